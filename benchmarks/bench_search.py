"""Where a Browse search's time goes, on a copy of a built collection.

Runs the Browse screen's text search for ``--word`` (the ordered ids of every
matching fact, then the details of the first ``SUMMARY_PAGE`` of them, as
``quizapp_side.py``'s ``search`` does) ``--searches`` times on a copy of
``--db`` (``side_by_side.py --keep`` or ``bench_perf.py --phase build`` writes
one) and prints, as JSON, the median of each part in wall time (``*_ms``) and
in the thread's CPU time (``*_cpu_ms``, which a loaded machine moves far less):

- ``ids``: ``search_fact_ids`` (one statement: the scan of the facts' text);
- ``details``: ``fact_summaries`` of the first page, split into
  ``details_sql`` (the one 50-row statement, ``summary_rows``) and
  ``details_python`` (the rows turned into ``FactSummary`` values);
- ``total``: both, as the screen runs them;

with the statements a search sends (SQLite's trace callback), the number of
matches and the SQLite library's version.

With ``--anki-db`` (the Anki collection built beside it) and
``--anki-python`` it compares instead: ``--rounds`` times, one fresh process
a side, the side that goes first alternating, each timing ``--searches``
searches after a warm-up; Anki's side is the Browse screen in notes mode, as
``anki_side.py``'s ``search`` (``find_notes(word, order=True)`` sorted by
creation, then ``browser_row_for_id`` of the first 50). It prints each side's
median wall and CPU time and the ratio quizapp ÷ Anki per round (median and
range): on a shared machine the CPU-time ratio moves far less than
``side_by_side.py``'s wall-time one.

    python benchmarks/bench_search.py --db /tmp/sbs/quizapp-10000-….sqlite3 [--word bridge]
    python benchmarks/bench_search.py --db … --anki-db /tmp/sbs/anki-10000-….anki2 \
        --anki-python /path/to/anki-venv/bin/python [--rounds 5] [--searches 50]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PAGE = 50  # rows whose details a search fetches, as quizapp's Browse screen (SUMMARY_PAGE)


def _timed(run: Callable[[], Any], times: int) -> tuple[float, float]:
    """Median wall and thread-CPU milliseconds of ``run``."""
    wall, cpu = [], []
    for _ in range(times):
        t0, c0 = time.perf_counter(), time.thread_time()
        run()
        cpu.append(time.thread_time() - c0)
        wall.append(time.perf_counter() - t0)
    return (round(statistics.median(wall) * 1000, 4), round(statistics.median(cpu) * 1000, 4))


def quizapp_side(args: argparse.Namespace) -> dict[str, Any]:
    """quizapp's search, part by part, on a copy of ``args.db``."""
    from sqlalchemy import event

    from quizapp.browse import SUMMARY_PAGE, FactQuery, fact_summaries, search_fact_ids
    from quizapp.services.collection import Collection
    from quizapp.storage.browse import summary_rows

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "search.sqlite3"
        shutil.copyfile(args.db, db)
        col = Collection.open(f"sqlite:///{db}", first_start=False)
        try:
            pid = args.profile_id
            if pid is None:
                with sqlite3.connect(db) as conn:
                    pid = int(conn.execute("SELECT min(id) FROM profile").fetchone()[0])
            now = datetime.now(UTC)
            query = FactQuery(text=args.word)

            def search() -> tuple[list[int], list[Any]]:
                ids = search_fact_ids(col, pid, query, now)
                return ids, fact_summaries(col, pid, ids[:SUMMARY_PAGE])

            ids, page = search()  # warm: statements prepared, pages cached
            first = ids[:SUMMARY_PAGE]
            seen: list[str] = []

            def trace(dbapi_conn: sqlite3.Connection, _record: object) -> None:
                dbapi_conn.set_trace_callback(seen.append)

            col.engine.dispose()
            event.listen(col.engine, "connect", trace)
            search()
            event.remove(col.engine, "connect", trace)
            col.engine.dispose()
            search()
            n = args.searches
            out: dict[str, Any] = {"sqlite": sqlite3.sqlite_version, "word": args.word,
                                   "matches": len(ids), "detail_rows": len(page),
                                   "statements": len(seen), "searches": n}
            parts = {
                "total": search,
                "ids": lambda: search_fact_ids(col, pid, query, now),
                "details": lambda: fact_summaries(col, pid, first),
                "details_sql": lambda: summary_rows(col, pid, first),
            }
            for name, run in parts.items():
                out[f"{name}_ms"], out[f"{name}_cpu_ms"] = _timed(run, n)
            for unit in ("ms", "cpu_ms"):
                out[f"details_python_{unit}"] = round(
                    out[f"details_{unit}"] - out[f"details_sql_{unit}"], 4)
            return out
        finally:
            col.close()


def anki_side(args: argparse.Namespace) -> dict[str, Any]:
    """Anki's Browse search in notes mode on a copy of ``args.anki_db`` (Anki's Python)."""
    from anki.collection import Collection, Config

    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "search.anki2")
        shutil.copyfile(args.anki_db, path)
        col = Collection(path)
        try:
            col.set_config_bool(Config.Bool.BROWSER_TABLE_SHOW_NOTES_MODE, True)
            col.load_browser_note_columns()
            col.set_config("noteSortType", "noteCrt")
            col.set_config("browserNoteSortBackwards", False)

            def search() -> tuple[list[int], list[Any]]:
                ids = list(col.find_notes(args.word, order=True))
                return ids, [list(col.browser_row_for_id(nid)[0]) for nid in ids[:PAGE]]

            ids, page = search()
            search()
            wall, cpu = _timed(search, args.searches)
            return {"word": args.word, "matches": len(ids), "detail_rows": len(page),
                    "searches": args.searches, "total_ms": wall, "total_cpu_ms": cpu}
        finally:
            col.close()


def compare(args: argparse.Namespace) -> dict[str, Any]:
    """Rounds of one quizapp and one Anki process, the first side alternating."""
    common = ["--word", args.word, "--searches", str(args.searches)]
    if args.profile_id is not None:
        common += ["--profile-id", str(args.profile_id)]
    sides = {
        "quizapp": [sys.executable, __file__, "--phase", "quizapp", "--db", str(args.db),
                    *common],
        "anki": [args.anki_python, __file__, "--phase", "anki", "--db", str(args.db),
                 "--anki-db", str(args.anki_db), *common],
    }
    runs: dict[str, list[dict[str, Any]]] = {"quizapp": [], "anki": []}
    for r in range(args.rounds):
        for side in ("quizapp", "anki") if r % 2 == 0 else ("anki", "quizapp"):
            done = subprocess.run(sides[side], stdout=subprocess.PIPE, text=True, check=True)
            runs[side].append(json.loads(done.stdout))
    out: dict[str, Any] = {"word": args.word, "rounds": args.rounds,
                           "searches": args.searches,
                           "matches": {k: v[0]["matches"] for k, v in runs.items()},
                           "quizapp_sqlite": runs["quizapp"][0]["sqlite"]}
    for unit in ("ms", "cpu_ms"):
        for side, results in runs.items():
            out[f"{side}_{unit}"] = round(statistics.median(x[f"total_{unit}"] for x in results), 4)
        ratios = sorted(q[f"total_{unit}"] / a[f"total_{unit}"]
                        for q, a in zip(runs["quizapp"], runs["anki"], strict=True))
        out[f"ratio_{unit}"] = [round(statistics.median(ratios), 3), round(ratios[0], 3),
                                round(ratios[-1], 3)]
    for part in ("ids", "details_sql", "details_python"):
        out[f"quizapp_{part}_cpu_ms"] = round(
            statistics.median(x[f"{part}_cpu_ms"] for x in runs["quizapp"]), 4)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a built SQLite collection")
    parser.add_argument("--word", default="bridge")
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--profile-id", type=int, default=None,
                        help="the profile searched for (default: the first)")
    parser.add_argument("--anki-db", type=Path, help="the Anki collection built beside --db")
    parser.add_argument("--anki-python", help="Python of a virtualenv with anki==26.9.3")
    parser.add_argument("--rounds", type=int, default=5, help="processes a side (comparing)")
    parser.add_argument("--phase", choices=("quizapp", "anki"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase == "anki":
        result = anki_side(args)
    elif args.phase == "quizapp" or args.anki_db is None:
        result = quizapp_side(args)
    else:
        if not args.anki_python:
            parser.error("--anki-db needs --anki-python")
        result = compare(args)
    print(json.dumps(result, indent=None if args.phase else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
