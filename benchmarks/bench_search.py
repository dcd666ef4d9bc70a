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

    python benchmarks/bench_search.py --db /tmp/sbs/quizapp-10000-….sqlite3 [--word bridge]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def _timed(run: Callable[[], Any], times: int) -> tuple[float, float]:
    """Median wall and thread-CPU milliseconds of ``run``."""
    wall, cpu = [], []
    for _ in range(times):
        t0, c0 = time.perf_counter(), time.thread_time()
        run()
        cpu.append(time.thread_time() - c0)
        wall.append(time.perf_counter() - t0)
    return (round(statistics.median(wall) * 1000, 4), round(statistics.median(cpu) * 1000, 4))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a built SQLite collection")
    parser.add_argument("--word", default="bridge")
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--profile-id", type=int, default=None,
                        help="the profile searched for (default: the first)")
    args = parser.parse_args(argv)

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
            print(json.dumps(out, indent=2))
        finally:
            col.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
