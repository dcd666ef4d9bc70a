"""Seconds and peak memory of importing each hostile file, each in its own process.

Generates every file of ``tests/hostile.py`` (Anki packages with generated
columns, triggers, views, huge fields and huge total text; a TOML of blank
lines and one with 200,000 errors; HTML with unclosed tags; Markdown emphasis
and link storms; an article of one sentence repeated 2,000 times), plus a
CSV of ``--csv-mb`` megabytes imported and stored into a fresh SQLite
collection. Each is imported in a child process as ``quizapp import`` would
(articles with every found fact accepted); a child still running after
``--timeout`` seconds is killed and reported as a hang. Prints one line per
file: seconds, the child's peak resident memory (ru_maxrss), and the outcome
(facts read, or the first line of the refusal and how many lines it had),
then seconds per 1,000 words of the repeated article.

    python benchmarks/bench_hostile.py [--timeout 60] [--csv-mb 100] [--only NAME]

The quizapp imported is the one on PYTHONPATH, so the same script measures
any checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys
from pathlib import Path
from quizapp.facts.deckfile import DeckFileError
from quizapp.importers import import_file
path, store = Path(sys.argv[1]), sys.argv[2] == "store"
try:
    result = import_file(path, accept_articles=True)
except DeckFileError as exc:
    lines = str(exc).splitlines()
    print(f"refused ({len(lines)} lines, {len(str(exc))} chars): {lines[0][:150]}")
    sys.exit(0)
deck = result.deck
print(f"read {len(deck.facts)} facts, "
      f"{sum(len(f.front or '') + len(f.back or '') for f in deck.facts)} chars")
if store:
    from quizapp.services.collection import Collection
    with Collection.open("sqlite:///" + str(path.with_suffix(".sqlite3"))) as col:
        col.import_deck(deck)
    print("stored")
"""


def run_child(path: Path, timeout: float, store: bool = False) -> tuple[str, float, float]:
    """(outcome, seconds, peak MB) of importing ``path`` in a child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), "store" if store else "read"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        cwd=path.parent,  # not the checkout: the quizapp on PYTHONPATH is the one measured
    )
    deadline = t0 + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = -9
            return f"HANG: killed after {timeout:.0f} s", timeout, usage.ru_maxrss / 1024
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    assert proc.stdout is not None
    out = proc.stdout.read().strip().splitlines()
    proc.stdout.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = out[-1] if out else ""
        outcome = f"CRASH (exit {proc.returncode}): {tail[:150]}"
    else:
        outcome = " / ".join(out)
    return outcome, seconds, usage.ru_maxrss / 1024


GENERATE = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from tests.hostile import HOSTILE, write_csv_rows
folder, csv_mb, only = Path(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
cases = []
for name, writer in HOSTILE.items():
    if only and name not in only:
        continue
    sub = folder / name
    sub.mkdir()
    cases.append((name, str(writer(sub)), False))
name = f"csv-{csv_mb}mb-store"
if csv_mb and (not only or name in only):
    sub = folder / name
    sub.mkdir()
    size = csv_mb * 1024 * 1024
    rows = min(1_000_000, size // 60)  # the row limit, or lines of 60 bytes
    width = size // rows - 31  # what a row holds besides the padding
    cases.append((name, str(write_csv_rows(sub, rows, width=width)), True))
print(json.dumps(cases))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--csv-mb", type=int, default=100)
    parser.add_argument("--only", action="append", default=[])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quizapp-hostile-") as tmp:
        # The files are written by another process: a child's peak memory
        # (ru_maxrss) starts from this process's size when it is started.
        made = subprocess.run(
            [sys.executable, "-c", GENERATE, str(ROOT), tmp, str(args.csv_mb),
             json.dumps(args.only)],
            check=True, capture_output=True, text=True,
        )
        cases = [(name, Path(path), store) for name, path, store in json.loads(made.stdout)]
        print(f"{'file':28} {'KB':>9} {'seconds':>8} {'peak MB':>8}  outcome")
        for name, path, store in cases:
            outcome, seconds, peak = run_child(path, args.timeout, store)
            size = path.stat().st_size / 1024
            print(f"{name:28} {size:9.0f} {seconds:8.2f} {peak:8.0f}  {outcome}", flush=True)
            if name == "article-repeated-sentence" and not outcome.startswith("HANG"):
                words = len(path.read_text(encoding="utf-8").split())
                print(f"{'':28} {'':9} {1000 * seconds / words:8.3f} s per 1,000 words "
                      f"({words} words)", flush=True)


if __name__ == "__main__":
    main()
