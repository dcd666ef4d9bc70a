"""How long fact extraction takes, per 1,000 words, on articles and on hostile text.

Times :func:`quizapp.extract.pipeline.extract_facts` on each article of the
evaluation set (``tests/extraction_eval/articles``), on all of them joined into
one long text, and on one sentence repeated 2,000 times (a text that must stay
linear). Each figure is the best of ``--repeat`` runs, printed, never asserted;
the budget is 0.3 s per 1,000 words.

    python benchmarks/bench_extract.py [--repeat 3] [--sentences 2000] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp.extract.pipeline import extract_facts  # noqa: E402

ARTICLES = ROOT / "tests" / "extraction_eval" / "articles"
REPEATED = (
    'The council said on Tuesday that 1,200 workers, "more than ever before", '
    "would join the project in March 2021. "
)


def best_time(text: str, repeat: int) -> float:
    """The shortest of ``repeat`` extraction times of ``text``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        extract_facts(text)
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per text; the best counts")
    ap.add_argument(
        "--sentences", type=int, default=2000, help="times the one sentence is repeated"
    )
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))}
    rows: dict[str, dict[str, float]] = {}
    total_words = 0
    total_time = 0.0
    for name, text in texts.items():
        words = len(text.split())
        seconds = best_time(text, args.repeat)
        total_words += words
        total_time += seconds
        rows[name] = {"words": words, "seconds": seconds}
    rows["all articles (sum)"] = {"words": total_words, "seconds": total_time}
    joined = "\n\n".join(texts.values())
    rows["all articles joined"] = {
        "words": len(joined.split()),
        "seconds": best_time(joined, args.repeat),
    }
    repeated = REPEATED * args.sentences
    rows[f"one sentence x {args.sentences}"] = {
        "words": len(repeated.split()),
        "seconds": best_time(repeated, args.repeat),
    }
    for row in rows.values():
        row["s_per_1000_words"] = row["seconds"] / max(1, row["words"]) * 1000
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(f"{'text':<24} {'words':>7} {'seconds':>8} {'s/1000 words':>13}")
    for name, row in rows.items():
        per_1000 = row["s_per_1000_words"]
        print(f"{name:<24} {row['words']:>7.0f} {row['seconds']:>8.3f} {per_1000:>13.3f}")
    print("budget: 0.3 s per 1,000 words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
