"""How long the desktop app takes from starting the process to the first question on screen.

Each run starts ``python -m quizapp`` as a new process (offscreen Qt platform,
its own QUIZAPP_HOME) with ``QUIZAPP_STUDY_AT_START=1`` (study the selected
deck at once) and ``QUIZAPP_FIRST_QUESTION_STAMP=quit`` (print the wall-clock
time when the first question has been painted, then quit). The time counted is
from just before the process is spawned to that stamp: interpreter start-up,
imports, the window, opening the database and building the first question.
The CPU time the process (and its main thread) spent until that paint is
printed too (``cpu_ms``, ``main_thread_cpu_ms``, warm runs): on a loaded
machine it moves far less than the time on the clock.
With ``--first-start`` the backups folder is emptied before every warm run,
so that each is a first start with no recent backup: the start-up backup is
due (it begins a second after the first screen has been painted). Each run
then closes the window, and two more figures are kept: *close*,
from the close being asked for to the window being hidden (the app's
``window-closed`` stamp), what the learner waits for; and *close to exit*,
from the first question painted to the process' end (closing the collection,
the exit backup and its integrity check, which run after the window has gone).

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
        [--database FILE] [--pycache DIR] [--first-start]
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
CPU = "first-question-cpu"
CLOSED = "window-closed"


def one_run(home: Path, platform: str, timeout: float, pycache: Path | None = None
            ) -> tuple[float, float, float, float, float]:
    """Milliseconds from spawning the app to its first question being painted, from the
    close being asked for to the window being hidden, and from that paint to the process'
    exit; then the CPU milliseconds the process (all threads) and its main thread spent
    until that paint."""
    env = dict(os.environ, QUIZAPP_HOME=str(home), QT_QPA_PLATFORM=platform,
               QUIZAPP_STUDY_AT_START="1", QUIZAPP_FIRST_QUESTION_STAMP="quit")
    env.pop("QUIZAPP_DATABASE_URL", None)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    start = time.time()
    done = subprocess.run([sys.executable, "-m", "quizapp"], env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)
    end = time.time()
    stamps = {}
    asked = None
    cpu = (float("nan"), float("nan"))
    for line in done.stdout.splitlines():
        words = line.split()
        if len(words) in (2, 3) and words[0] in (STAMP, CLOSED):
            stamps[words[0]] = float(words[1])
            if words[0] == CLOSED and len(words) == 3:  # hidden, and when the close was asked
                asked = float(words[2])
        elif len(words) == 3 and words[0] == CPU:
            cpu = (float(words[1]) * 1000, float(words[2]) * 1000)
    if STAMP not in stamps or CLOSED not in stamps:
        raise RuntimeError(f"no {STAMP!r} or {CLOSED!r} line (exit {done.returncode}): "
                           f"{done.stderr[-2000:]}")
    painted = stamps[STAMP]
    return ((painted - start) * 1000, (stamps[CLOSED] - (asked or painted)) * 1000,
            (end - painted) * 1000, *cpu)


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
    parser.add_argument("--first-start", action="store_true",
                        help="no recent backup before each warm run (the start-up backup due)")
    args = parser.parse_args(argv)
    cold: list[float] = []
    warm: list[float] = []
    closes: list[float] = []
    exits: list[float] = []
    cpus: list[float] = []
    main_cpus: list[float] = []
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-gui-") as tmp:
        root = Path(tmp)
        if args.pycache is not None:  # compile once, untimed
            one_run(root / "compile", args.platform, args.timeout, args.pycache)
        shared = root / "warm"
        if args.database is None:
            for i in range(args.runs):
                cold.append(one_run(root / f"cold-{i}", args.platform, args.timeout,
                                    args.pycache)[0])
        else:
            shared.mkdir()
            shutil.copyfile(args.database, shared / "quizapp.sqlite3")
            (shared / "gui.json").write_text(json.dumps({"hint_shown": True}), encoding="utf-8")
        one_run(shared, args.platform, args.timeout, args.pycache)  # first start of the folder
        for _ in range(args.runs):
            if args.first_start:
                shutil.rmtree(shared / "backups", ignore_errors=True)
            shown, closed, ended, cpu, main_cpu = one_run(shared, args.platform, args.timeout,
                                                          args.pycache)
            warm.append(shown)
            cpus.append(cpu)
            main_cpus.append(main_cpu)
            closes.append(closed)
            exits.append(ended)
    print(json.dumps({
        "benchmark": "gui_start_to_first_question",
        "platform": args.platform,
        "runs": args.runs,
        "database": str(args.database) if args.database else None,
        "first_start": args.first_start,
        "bytecode_cached": args.pycache is not None
        or not os.environ.get("PYTHONDONTWRITEBYTECODE"),
        "median_ms": round(statistics.median(warm), 1),
        "warm_median_ms": round(statistics.median(warm), 1),
        "cold_median_ms": round(statistics.median(cold), 1) if cold else None,
        "warm_ms": [round(v, 1) for v in warm],
        "cold_ms": [round(v, 1) for v in cold],
        "cpu_median_ms": round(statistics.median(cpus), 1),
        "main_thread_cpu_median_ms": round(statistics.median(main_cpus), 1),
        "cpu_ms": [round(v, 1) for v in cpus],
        "main_thread_cpu_ms": [round(v, 1) for v in main_cpus],
        "close_median_ms": round(statistics.median(closes), 1),
        "close_to_exit_median_ms": round(statistics.median(exits), 1),
        "close_ms": [round(v, 1) for v in closes],
        "close_to_exit_ms": [round(v, 1) for v in exits],
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
