"""Where an answer's time goes: statements, pages written and Python time per durable answer.

Runs a study session on a copy of a built collection (``side_by_side.py
--keep`` or ``bench_perf.py --phase build`` writes one) and answers
``--answers`` questions, answered right 85% of the time (seeded), the clock
advancing 15 s per answer, as ``quizapp_side.py`` does. It reports, per
answer:

- ``answer_ms``: the median time of ``StudySession.answer`` with the file as
  the app opens it (WAL, ``synchronous=FULL``: the commit waits for the
  disk), and ``cpu_ms``: the same with ``synchronous=OFF`` on a second copy,
  that is without waiting for the disk: quizapp's own cost;
- ``statements``: SQL statements the driver runs per answer (BEGIN and
  COMMIT included), from SQLite's trace callback;
- ``wal_pages``: pages written to the WAL per answer (automatic checkpoints
  off on the measuring connection, so that the WAL only grows); its
  ``wal_bytes``;
- with ``--profile``, the 25 functions with the most cumulative time over
  the answers (cProfile, ``synchronous=OFF``).

``--drop-index NAME`` (repeatable) drops an index on the copies first and
``--no-state-json`` leaves the state-before/after columns of the review rows
empty (NULL): a measure of what writing the card states costs, nothing more
(the states are thrown away). Since schema 10 the states are columns, not JSON.

    python benchmarks/bench_answer.py --db /tmp/sbs/quizapp-100000-….sqlite3 --profile
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def _copy(src: Path, dst: Path, drop: list[str]) -> Path:
    for p in dst.parent.glob(dst.name + "*"):
        p.unlink()
    shutil.copyfile(src, dst)
    if drop:
        conn = sqlite3.connect(dst)
        for name in drop:
            conn.execute(f'DROP INDEX "{name}"')
        conn.commit()
        conn.close()
    return dst


def _driver(session: Any) -> sqlite3.Connection:
    """The sqlite3 connection the session answers on."""
    conn = session._link.conn
    if conn is None:
        raise RuntimeError("the session holds no connection")
    dbapi = conn.connection.dbapi_connection
    assert isinstance(dbapi, sqlite3.Connection)
    return dbapi


def run(path: Path, profile_id: int, today: datetime, answers: int, seed: int, *,
        durable: bool, profile: bool, sort: str = "cumulative") -> dict[str, Any]:
    """Answer ``answers`` questions on ``path``; per-answer figures."""
    from quizapp.questions.model import Form
    from quizapp.services.collection import Collection
    from quizapp.study import StudySession

    random.seed(seed)  # the scheduler's fuzz draws from the global generator
    rng = random.Random(seed)
    clock = today + timedelta(hours=1)
    col = Collection.open(f"sqlite:///{path}", first_start=False)
    session = StudySession(col, profile_id)
    question = session.next_question(clock)
    dbapi = _driver(session)
    dbapi.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    dbapi.execute("PRAGMA wal_autocheckpoint=0")
    if not durable:
        dbapi.execute("PRAGMA synchronous=OFF")
    page = int(dbapi.execute("PRAGMA page_size").fetchone()[0])
    wal = Path(str(path) + "-wal")
    statements: list[str] = []
    counts: list[int] = []
    pages: list[int] = []
    times: list[float] = []
    cpu: list[float] = []
    prof = cProfile.Profile(time.thread_time) if profile else None
    for _ in range(answers):
        if question is None:
            break
        ok = rng.random() < 0.85
        size0 = wal.stat().st_size if wal.exists() else 0
        statements.clear()
        dbapi.set_trace_callback(statements.append)
        t0 = time.perf_counter()
        c0 = time.thread_time()
        if prof is not None:
            prof.enable()
        if question.form is Form.FLASHCARD:
            session.answer_flashcard(question, 3 if ok else 1, clock, 4000)
        else:
            session.answer(question, question.answers[0] if ok else "no idea", clock, 4000)
        if prof is not None:
            prof.disable()
        cpu.append(time.thread_time() - c0)
        times.append(time.perf_counter() - t0)
        dbapi.set_trace_callback(None)
        counts.append(len(statements))
        grown = wal.stat().st_size - max(size0, 32)  # 32-byte WAL header, frames of 24 + page
        pages.append(grown // (page + 24))
        clock += timedelta(seconds=15)
        question = session.next_question(clock)
    session.close(clock)
    col.close()
    out: dict[str, Any] = {
        "n": len(times),
        "ms": round(statistics.median(times) * 1000, 4),
        "cpu_ms": round(statistics.median(cpu) * 1000, 4),
        "statements": statistics.median(counts),
        "wal_pages": round(statistics.mean(pages), 2),
        "wal_bytes": round(statistics.mean(pages) * (page + 24)),
    }
    if prof is not None:
        text = io.StringIO()
        pstats.Stats(prof, stream=text).sort_stats(sort).print_stats(40)
        out["profile"] = text.getvalue()
    return out


def main(argv: list[str] | None = None) -> int:
    """Measure and print one JSON object (and the profile, if asked, on stderr)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a built quizapp collection")
    parser.add_argument("--profile-id", type=int, default=1)
    parser.add_argument("--today", type=float, default=None,
                        help="start of the study day (epoch s; default today's, 04:00 UTC)")
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--drop-index", action="append", default=[])
    parser.add_argument("--no-state-json", action="store_true",
                        help="leave the review rows' state columns empty (a measure only)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the answers")
    parser.add_argument("--sort", default="cumulative", help="the profile's order (pstats)")
    parser.add_argument("--cpu-only", action="store_true",
                        help="only the synchronous=OFF run (quizapp's own time)")
    args = parser.parse_args(argv)
    from bench_perf import study_day_start

    today = (datetime.fromtimestamp(args.today, UTC) if args.today is not None
             else study_day_start(time.time()))
    if args.no_state_json:
        from quizapp.storage import writer

        plain = writer.AnswerWriter.append_review

        def without_json(self: Any, card_id: int, profile_id: int, session_row_id: int,
                         now: datetime, row: Any) -> int:
            return plain(self, card_id, profile_id, session_row_id, now,
                         row._replace(state_before=None, state_after=None))

        writer.AnswerWriter.append_review = without_json  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory(prefix="quizapp-answer-") as tmp:
        fast = _copy(args.db, Path(tmp) / "fast.sqlite3", args.drop_index)
        cpu = run(fast, args.profile_id, today, args.answers, args.seed,
                  durable=False, profile=args.profile, sort=args.sort)
        on_disk = cpu
        if not args.cpu_only:
            durable = _copy(args.db, Path(tmp) / "durable.sqlite3", args.drop_index)
            on_disk = run(durable, args.profile_id, today, args.answers, args.seed,
                          durable=True, profile=False)
    report = {"db": str(args.db), "answers": on_disk["n"],
              "answer_ms": None if args.cpu_only else on_disk["ms"],
              "wall_ms_sync_off": cpu["ms"], "cpu_ms": cpu["cpu_ms"],
              "statements": on_disk["statements"],
              "wal_pages": on_disk["wal_pages"], "wal_bytes": on_disk["wal_bytes"],
              "dropped_indexes": args.drop_index, "state_json": not args.no_state_json}
    if "profile" in cpu:
        print(cpu["profile"], file=sys.stderr)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
