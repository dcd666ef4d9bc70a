"""How long the desktop app takes from starting the process to the first question on screen.

Each run starts ``python -m quizapp`` as a new process (offscreen Qt platform,
its own QUIZAPP_HOME) with ``QUIZAPP_STUDY_AT_START=1`` (study the selected
deck at once) and ``QUIZAPP_FIRST_QUESTION_STAMP=quit`` (print the wall-clock
time when the first question has been painted, then quit). The time counted is
from just before the process is spawned to that stamp: interpreter start-up,
imports, the window, opening the database and building the first question.

*Cold* runs start in an empty folder: the database is created and the seed
deck loaded first, as on a first start. *Warm* runs reuse one folder, as every
later start does. With ``--database FILE`` (for example a profile kept by
``bench_perf.py --keep``) the warm runs open a copy of that collection instead
(and there are no cold runs). Prints JSON with the median (and each run) in
milliseconds.

An installed app starts from compiled bytecode. When the environment sets
``PYTHONDONTWRITEBYTECODE`` (as some shells and CI do), a source checkout
recompiles every quizapp module at each start; ``--pycache DIR`` lets the app
keep its bytecode in DIR (``PYTHONPYCACHEPREFIX``), written by the untimed
first start, as an installation would. The JSON says which was measured.

    python benchmarks/bench_gui_start.py [--runs 7] [--platform offscreen]
        [--database FILE] [--pycache DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAMP = "first-question-painted"


def one_run(home: Path, platform: str, timeout: float, pycache: Path | None = None) -> float:
    """Milliseconds from spawning the app to its first question being painted."""
    env = dict(os.environ, QUIZAPP_HOME=str(home), QT_QPA_PLATFORM=platform,
               QUIZAPP_STUDY_AT_START="1", QUIZAPP_FIRST_QUESTION_STAMP="quit")
    env.pop("QUIZAPP_DATABASE_URL", None)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    start = time.time()
    done = subprocess.run([sys.executable, "-m", "quizapp"], env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)
    for line in done.stdout.splitlines():
        if line.startswith(STAMP):
            return (float(line.split()[1]) - start) * 1000
    raise RuntimeError(f"no {STAMP!r} line (exit {done.returncode}): {done.stderr[-2000:]}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each kind (default 7)")
    parser.add_argument("--platform", default="offscreen", help="Qt platform (default offscreen)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    parser.add_argument("--database", type=Path, default=None,
                        help="start on a copy of this SQLite collection (warm runs only)")
    parser.add_argument("--pycache", type=Path, default=None,
                        help="keep the app's bytecode here, as an installed app has it")
    args = parser.parse_args(argv)
    cold: list[float] = []
    warm: list[float] = []
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-gui-") as tmp:
        root = Path(tmp)
        if args.pycache is not None:  # compile once, untimed
            one_run(root / "compile", args.platform, args.timeout, args.pycache)
        shared = root / "warm"
        if args.database is None:
            for i in range(args.runs):
                cold.append(one_run(root / f"cold-{i}", args.platform, args.timeout,
                                    args.pycache))
        else:
            shared.mkdir()
            shutil.copyfile(args.database, shared / "quizapp.sqlite3")
            (shared / "gui.json").write_text(json.dumps({"hint_shown": True}), encoding="utf-8")
        one_run(shared, args.platform, args.timeout, args.pycache)  # first start of the folder
        for _ in range(args.runs):
            warm.append(one_run(shared, args.platform, args.timeout, args.pycache))
    print(json.dumps({
        "benchmark": "gui_start_to_first_question",
        "platform": args.platform,
        "runs": args.runs,
        "database": str(args.database) if args.database else None,
        "bytecode_cached": args.pycache is not None
        or not os.environ.get("PYTHONDONTWRITEBYTECODE"),
        "median_ms": round(statistics.median(warm), 1),
        "warm_median_ms": round(statistics.median(warm), 1),
        "cold_median_ms": round(statistics.median(cold), 1) if cold else None,
        "warm_ms": [round(v, 1) for v in warm],
        "cold_ms": [round(v, 1) for v in cold],
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
