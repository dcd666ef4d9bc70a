"""quizapp and Anki side by side: both benchmarks on the same sizes in one run, with ratios.

For each size it runs ``benchmarks/bench_perf.py`` (this interpreter) and then
the Anki benchmark script (``--anki-script``, e.g. ``shared/bench/anki_bench.py``)
with the Python of its virtualenv (``--anki-python``), with the same number of
cards and the same simulated history (``--days``, ``--studied-share``,
``--seed``; Anki gets ``--notes N`` Basic notes = N cards, quizapp N/2 Q/A
facts = N cards). Then it prints, per size, a markdown table of medians:
quizapp's value, Anki's, their ratio, the issue's target and whether it is met.

Pairs (quizapp ↔ Anki):

- next question (``next_question_ms``, question built) ↔ ``get_queued_cards``
  + card render (question and answer);
- answer recorded durably (``answer_ms``; WAL, synchronous=FULL on both) ↔
  ``build_answer`` + ``answer_card``;
- deck list with counts ↔ ``deck_due_tree``;
- Progress screen figures ↔ the Statistics screen's ``graphs(days=365)``;
- text search (Browse screen) ↔ ``find_cards`` of the same word;
- CSV import, rows per second ↔ ``import_csv`` of N TSV rows (higher is better);
- cold start, a fresh process that imports, opens, gets the first question, loads
  the deck list and closes ↔ Anki's cold-open process (the same steps);
- peak RSS of the measuring process ↔ Anki's main benchmark process; the
  desktop app's peak and its own share (GUI peak − core start peak) are listed
  apart, as is the GUI's process start to first question painted (target < 1 s).

    python benchmarks/side_by_side.py --anki-script ../shared/bench/anki_bench.py \\
        --anki-python /tmp/ankibench/bin/python --sizes 1000 10000 100000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _t(anki: dict[str, Any], key: str) -> float | None:
    value = anki.get("timings", {}).get(key, {}).get("median_ms")
    return float(value) if value is not None else None


def _sum(*values: float | None) -> float | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def pairs(q: dict[str, Any], a: dict[str, Any]) -> list[dict[str, Any]]:
    """The compared figures: (label, unit, quizapp, anki, target ratio, lower is better)."""
    rss = a.get("rss", {})
    anki_peak = rss.get("main_process_peak_kib")
    anki_cold_rss = rss.get("cold_open_process_maxrss_kib_median")
    cold = _t(a, "cold_process_total_wall")
    rows = [
        (
            "next question (+ render)",
            "ms",
            q.get("next_question_ms"),
            _sum(_t(a, "get_queued_cards_next_card"), _t(a, "render_card_question_and_answer")),
            1.0,
            True,
        ),
        (
            "answer recorded (sync=FULL)",
            "ms",
            q.get("answer_ms"),
            _sum(_t(a, "build_answer"), _t(a, "answer_card")),
            1.0,
            True,
        ),
        ("deck list with counts", "ms", q.get("deck_list_ms"), _t(a, "deck_due_tree"), 0.5, True),
        (
            "stats screen (365 days)",
            "ms",
            q.get("stats_ms"),
            _t(a, "stats_screen_graphs_365d"),
            0.5,
            True,
        ),
        (
            f"text search ({q.get('search_hits')} facts / {a.get('search_text_hits')} cards)",
            "ms",
            q.get("search_ms"),
            _t(a, "search_text"),
            1.0,
            True,
        ),
        (
            "CSV import",
            "rows/s",
            q.get("import_rows_per_s"),
            a.get("csv_import_rows_per_s_median"),
            2.0,
            False,
        ),
        (
            "cold start: process import→open→1st question→deck list→close",
            "s",
            q.get("cold_start_total_s"),
            None if cold is None else cold / 1000,
            None,
            True,
        ),
        (
            "peak RSS, measuring process",
            "MiB",
            q.get("peak_rss_mib"),
            None if anki_peak is None else round(anki_peak / 1024, 1),
            1.2,
            True,
        ),
        (
            "peak RSS, cold-start process",
            "MiB",
            q.get("start_peak_rss_mib"),
            None if anki_cold_rss is None else round(anki_cold_rss / 1024, 1),
            None,
            True,
        ),
    ]
    out = []
    for label, unit, ours, theirs, target, lower in rows:
        ratio = (ours / theirs) if ours is not None and theirs else None
        met = None
        if ratio is not None and target is not None:
            met = ratio <= target if lower else ratio >= target
        out.append(
            {
                "figure": label,
                "unit": unit,
                "quizapp": ours,
                "anki": theirs,
                "ratio": ratio,
                "target": target,
                "lower_is_better": lower,
                "met": met,
            }
        )
    gui = q.get("gui_start_to_first_question_s")
    out.append(
        {
            "figure": "GUI: process start → first question painted (offscreen)",
            "unit": "s",
            "quizapp": gui,
            "anki": None,
            "ratio": None,
            "target": "< 1 s",
            "lower_is_better": True,
            "met": None if gui is None else gui < 1.0,
        }
    )
    out.append(
        {
            "figure": "GUI: peak RSS (own cost: GUI − core start peak)",
            "unit": "MiB",
            "quizapp": q.get("gui_peak_rss_mib"),
            "anki": None,
            "ratio": None,
            "target": f"own cost {q.get('gui_own_rss_mib')} MiB",
            "lower_is_better": True,
            "met": None,
        }
    )
    return out


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(size: int, q: dict[str, Any], a: dict[str, Any]) -> str:
    """The markdown table of one size."""
    build = a.get("build", {})
    lines = [
        f"### {size:,} cards",
        "",
        f"History: quizapp {q.get('facts'):,} Q/A facts = {q.get('cards'):,} cards, "
        f"{q.get('reviews'):,} reviews ({q.get('reviews_per_card')}/card); "
        f"Anki {a.get('notes'):,} notes = {a.get('notes'):,} cards, "
        f"{build.get('revlog_rows', 0):,} revlog rows "
        f"({round(build.get('revlog_rows', 0) / max(1, a.get('notes', 1)), 2)}/card), "
        f"{a.get('params', {}).get('days')} days.",
        "",
        "| figure | unit | quizapp | Anki | ratio | target | met? |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for p in pairs(q, a):
        target = p["target"]
        if isinstance(target, float):
            target = f"{'≤' if p['lower_is_better'] else '≥'} {target:g}×"
        ratio = "—" if p["ratio"] is None else f"{p['ratio']:.2f}×"
        met = {True: "yes", False: "**no**", None: "—"}[p["met"]]
        lines.append(
            f"| {p['figure']} | {p['unit']} | {_fmt(p['quizapp'])} | "
            f"{_fmt(p['anki'])} | {ratio} | {target or '—'} | {met} |"
        )
    lines.append("")
    return "\n".join(lines)


def run_json(cmd: list[str]) -> dict[str, Any]:
    """Run a benchmark, pass its stderr through and parse the JSON it prints."""
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=True)
    return dict(json.loads(done.stdout))


def main(argv: list[str] | None = None) -> int:
    """Run both benchmarks per size and print the tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--anki-script", type=Path, required=True)
    parser.add_argument("--anki-python", required=True)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--studied-share", type=float, default=0.35)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--anki-decks",
        type=int,
        default=1,
        help="Anki sub-decks (quizapp builds one deck; default 1)",
    )
    parser.add_argument(
        "--perf-args", default="", help="extra arguments for bench_perf.py (one string)"
    )
    parser.add_argument(
        "--anki-args",
        default="--skip-optimize",
        help="extra arguments for the Anki script (default --skip-optimize)",
    )
    parser.add_argument("--out", type=Path, help="also write both sides' JSON here")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    results = []
    for size in args.sizes:
        q = run_json(
            [
                sys.executable,
                str(HERE / "bench_perf.py"),
                "--sizes",
                str(size),
                "--days",
                str(args.days),
                "--studied-share",
                str(args.studied_share),
                "--seed",
                str(args.seed),
                *args.perf_args.split(),
            ]
        )
        a = run_json(
            [
                args.anki_python,
                str(args.anki_script),
                "--notes",
                str(size),
                "--days",
                str(args.days),
                "--studied-share",
                str(args.studied_share),
                "--seed",
                str(args.seed),
                "--decks",
                str(args.anki_decks),
                *args.anki_args.split(),
            ]
        )
        results.append({"cards": size, "quizapp": q, "anki": a, "pairs": pairs(q, a)})
        print(table(size, q, a), flush=True)
        if args.out:
            args.out.write_text(json.dumps({"sizes": results}, indent=1), encoding="utf-8")
    print(
        f"Options: --days {args.days} --studied-share {args.studied_share} --seed {args.seed}"
        f"; Anki --decks {args.anki_decks} {args.anki_args}; bench_perf {args.perf_args}"
        f"; total {time.perf_counter() - t0:.0f} s."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
