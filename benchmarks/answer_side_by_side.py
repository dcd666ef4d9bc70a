"""The durable answer only, quizapp and Anki side by side, interleaved in time.

The ``answer``, ``commit_floor`` and ``answer_minus_floor`` figures of
``side_by_side.py`` (same builders, same workers, same A/B/B/A interleaving),
without the other figures, so that the answer path can be measured with more
repeats in a few minutes::

    python benchmarks/answer_side_by_side.py --anki-python /tmp/ankibench/bin/python \\
        --sizes 1000 10000 100000 --repeats 5 --keep /tmp/sbs

Prints one markdown table per size and, with ``--out``, the figures as JSON in
``side_by_side.py``'s shape.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_perf import study_day_start  # noqa: E402
from side_by_side import (  # noqa: E402
    LABELS,
    Worker,
    _fmt,
    _spread,
    add_run_arguments,
    build,
    compiled_env,
    figure_entry,
    interleaved,
    log,
)

STUDY_FIGURES = (("next_question", "next_question_ms"), ("answer", "answer_ms"),
                 ("commit_floor", "floor_ms"), ("answer_minus_floor", "answer_minus_floor_ms"))


def run_size(args: argparse.Namespace, size: int, folder: Path) -> dict[str, dict[str, Any]]:
    """The study figures of one size: ``--repeats`` interleaved batches a side."""
    today = study_day_start(time.time())
    qdb, qbuilt, adb, _abuilt = build(args, size, folder, today)
    work = folder / f"answer-work-{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    env = compiled_env(folder)
    qw = Worker("quizapp", [sys.executable, str(HERE / "quizapp_side.py"), "--db", str(qdb),
                            "--workdir", str(work / "quizapp"),
                            "--profile-id", str(qbuilt["profile_id"]),
                            "--today", str(today.timestamp()), "--seed", str(args.seed)], env)
    study: dict[str, list[dict[str, Any]]] = {"quizapp": [], "anki": []}
    try:
        aw = Worker("anki", [args.anki_python, str(args.anki_script), "serve", "--col", str(adb),
                             "--workdir", str(work / "anki"), "--seed", str(args.seed)], env)
        try:
            def batch(worker: Worker) -> Any:
                def go() -> float:
                    reply = worker.ask(op="study", n=args.answers)
                    study[worker.name].append(reply)
                    return float(reply["answer_ms"])
                return go

            log(f"N={size}: study ({args.repeats} × {args.answers} answers a side)")
            interleaved(args.repeats, batch(qw), batch(aw))
        finally:
            aw.close()
    finally:
        qw.close()
    shutil.rmtree(work, ignore_errors=True)
    return {figure: figure_entry(figure, [float(r[key]) for r in study["quizapp"]],
                                 [float(r[key]) for r in study["anki"]])
            for figure, key in STUDY_FIGURES}


def table(size: int, figures: dict[str, dict[str, Any]]) -> str:
    """One size's figures as a markdown table."""
    lines = [f"### {size:,} cards", "",
             "| figure | unit | quizapp | (range) | Anki | (range) | ratio | ratio range |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, f in figures.items():
        ratio = "—" if f["ratio"] is None else f"{f['ratio']:.2f}×"
        spread = ("—" if f["ratio_min"] is None
                  else f"{f['ratio_min']:.2f}–{f['ratio_max']:.2f}×")
        lines.append(f"| {LABELS.get(name, name)} | {f['unit']} | {_fmt(f['quizapp'])} | "
                     f"{_spread(f['quizapp_runs'])} | {_fmt(f['anki'])} | "
                     f"{_spread(f['anki_runs'])} | {ratio} | {spread} |")
    return "\n".join([*lines, ""])


def main(argv: list[str] | None = None) -> int:
    """Run the answer figures per size and print the tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    add_run_arguments(parser, repeats=5, repeats_help="interleaved repeats per size")
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder that keeps the built collections (side_by_side.py's)")
    args = parser.parse_args(argv)
    out: dict[str, Any] = {"sizes": {}}
    with tempfile.TemporaryDirectory(prefix="quizapp-answer-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            figures = run_size(args, size, folder)
            out["sizes"][str(size)] = figures
            print(table(size, figures), flush=True)
            if args.out:
                args.out.write_text(json.dumps(out, indent=1), encoding="utf-8")
    print(f"Options: --repeats {args.repeats} --answers {args.answers} --seed {args.seed}; "
          f"load {[round(x, 2) for x in os.getloadavg()]}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
