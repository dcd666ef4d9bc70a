"""How fairly typed answers are graded: right, too strict and too lenient, per class.

``tests/data/typed_answers.jsonl`` holds typed answers to facts of the seed deck
(``"deck": "seed"``) and of ``tests/data/grading_deck.toml`` (``"clinic"``),
each with the verdict a fair teacher gives (``expected``: right, partial or
wrong) and the class of answer it tests. Each answer is graded by the quizapp
at ``--quizapp-root`` (default: this checkout) in a subprocess: with
``quizapp.services.marking`` when that quizapp has it (``quizapp grade``),
else with the study session's own typed or cloze question of the fact. A deck
file is read without its ``[[speakers]]`` tables by a quizapp that does not
know them. Then::

    too strict:  the grader gave less than the teacher (wrong for right, ...)
    too lenient: the grader gave more (right for wrong, partial for wrong, ...)

    python benchmarks/bench_grading.py [--quizapp-root DIR] [--show]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "typed_answers.jsonl"
RANK = {"wrong": 0, "partial": 1, "right": 2}

WORKER = r"""
import json, random, re, sys, tempfile
from pathlib import Path
from quizapp.facts.deckfile import DeckFileError, load_deck_file

def load(path):
    try:
        return load_deck_file(path)
    except DeckFileError:  # a quizapp that does not know [[speakers]]
        text = Path(path).read_text(encoding="utf-8")
        text = re.sub(r"(?ms)^\[\[speakers\]\].*?(?=^\[\[(?!speakers)|\Z)", "", text)
        tmp = Path(path).with_name(Path(path).stem + ".nospeakers.toml")
        tmp.write_text(text, encoding="utf-8")
        try:
            return load_deck_file(tmp)
        finally:
            tmp.unlink()

decks = {name: load(path) for name, path in json.loads(sys.argv[1]).items()}
rows = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
try:
    from quizapp.services.marking import Marker
    markers = {name: Marker(deck) for name, deck in decks.items()}
    for r in rows:
        m = markers[r["deck"]].mark(r["fact_id"], r["form"], r["answer"])
        print(json.dumps({"verdict": m.verdict, "message": m.message}))
except ImportError:
    from quizapp.questions.generate import QuestionBuilder
    from quizapp.questions.grading import grade
    from quizapp.questions.model import Family, Form
    builders = {name: QuestionBuilder(deck) for name, deck in decks.items()}
    for r in rows:
        b = builders[r["deck"]]
        form = Form.CLOZE if r["form"] == "cloze" else Form.TYPED
        q = b.build("c", r["fact_id"], Family.RECALL, random.Random(0), form=form)
        if q is None:
            print(json.dumps({"verdict": "error", "message": "no such question"}))
            continue
        g = grade(q, r["answer"], decks[r["deck"]].options, known_names=b.known_names())
        print(json.dumps({"verdict": g.verdict.value, "message": g.message}))
"""


def main() -> None:
    """Grade every answer of the data set and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quizapp-root", type=Path, default=ROOT)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--show", action="store_true", help="print every answer graded unfairly")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    root = args.quizapp_root.resolve()
    decks = {
        "seed": str(root / "content" / "seed" / "deck.toml"),
        "clinic": str(ROOT / "tests" / "data" / "grading_deck.toml"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "worker.py"
        script.write_text(WORKER, encoding="utf-8")
        out = subprocess.run(
            [sys.executable, str(script), json.dumps(decks), str(args.data.resolve())],
            env={**os.environ, "PYTHONPATH": str(root)}, cwd=tmp,
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line]
    got = [json.loads(line) for line in out.splitlines()]
    assert len(got) == len(rows), (len(got), len(rows))
    per_class: dict[str, Counter[str]] = defaultdict(Counter)
    for row, result in zip(rows, got, strict=True):
        verdict = result["verdict"]
        if verdict not in RANK:
            outcome = "not graded"
        elif RANK[verdict] == RANK[row["expected"]]:
            outcome = "fair"
        elif RANK[verdict] < RANK[row["expected"]]:
            outcome = "too strict"
        else:
            outcome = "too lenient"
        per_class[row["class"]][outcome] += 1
        per_class["all"][outcome] += 1
        if args.show and outcome != "fair":
            print(f"{outcome:11} {row['class']:20} {row['fact_id']:24} {row['answer']!r}: "
                  f"{verdict} (fair: {row['expected']}) {result['message']}")  # fmt: skip
    if args.json:
        print(
            json.dumps(
                {
                    "quizapp": str(root),
                    "data": args.data.name,
                    "classes": {k: dict(v) for k, v in sorted(per_class.items())},
                }
            )
        )
        return
    print(f"quizapp at {root}; {len(rows)} typed answers from {args.data.name}")
    print(f"{'class':22} {'answers':>7} {'fair':>5} {'too strict':>10} {'too lenient':>11} "
          f"{'not graded':>10}")  # fmt: skip
    for name in sorted(per_class, key=lambda n: (n == "all", n)):
        c = per_class[name]
        print(f"{name:22} {sum(c.values()):7} {c['fair']:5} {c['too strict']:10} "
              f"{c['too lenient']:11} {c['not graded']:10}")  # fmt: skip


if __name__ == "__main__":
    main()
