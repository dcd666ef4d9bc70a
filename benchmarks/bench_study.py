"""How long the study loop takes as a profile grows: next question, and recording an answer.

For each size N it builds, in a fresh SQLite file, one deck of N Q/A facts
(so N cards for one profile: one card, one memory, per fact) and a review
history: a share of the cards (``--studied-share``) were introduced over
``--days`` simulated days and reviewed with FSRS until today, recalled 90% of
the time. The history is
written with durability off (``synchronous=OFF``); the file is then reopened
as the app opens it (WAL, ``synchronous=FULL``: every answer's commit is
synced) and a study session answers ``--answers`` questions. It prints JSON
with the median (and 90th percentile) milliseconds of
``StudySession.next_question`` and of recording the answer (grading, FSRS, one
committed transaction), plus the first question (deck load and question
builder set-up) and one ``profile_stats`` call. ``commit_floor_ms`` is the
median of a bare one-row SQLite commit (WAL, ``synchronous=FULL``) on the same
disk, timed after every answer: what any durable answer costs at least there
and then (it varies with what else uses the disk).

    python benchmarks/bench_study.py --sizes 1000 10000 100000
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, insert, text, update
from sqlmodel import select

from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.questions.model import Form
from quizapp.scheduling import CardState, SchedulerSettings, review, study_day
from quizapp.services.collection import Collection
from quizapp.services.profiles import create_profile, update_profile_settings
from quizapp.storage.models import CardRow, ReviewRow
from quizapp.storage.reviewstate import review_state_columns
from quizapp.storage.stats import profile_stats
from quizapp.study import StudySession

TODAY = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


def build(path: Path, cards: int, days: int, studied_share: float, seed: int) -> dict[str, Any]:
    """Write the deck, the profile and its history with durability off.

    Every random choice is seeded, the scheduler's fuzz too (fsrs draws it from
    the global :mod:`random` generator), so a rerun on the same day builds the
    same history.
    """
    rng = random.Random(seed)
    random.seed(seed)
    url = f"sqlite:///{path}"
    t0 = time.perf_counter()
    with Collection.open(url, first_start=False, durable=False) as col:
        facts = tuple(Fact(id=f"qa-{i:06d}", kind=FactKind.QA,
                           front=f"What is the code word of entry {i}?",
                           back=f"word{i} {rng.choice(['alpha', 'bravo', 'delta', 'echo'])}")
                      for i in range(cards))  # one card (memory) per fact
        col.import_deck(Deck(id="bench", name="Benchmark deck", facts=facts))
        pid = create_profile(col, "Bench", TODAY - timedelta(days=days)).id
        # Large daily limits: every measured question comes from a real queue query.
        update_profile_settings(col, pid, timezone="UTC", reviews_per_day=1_000_000,
                                new_per_day=1_000_000)
        with col.session() as s:
            card_ids = [cid for cid in s.exec(select(CardRow.id).where(
                CardRow.profile_id == pid).order_by(CardRow.id)) if cid is not None]  # type: ignore[arg-type]
        settings = SchedulerSettings()
        start = TODAY - timedelta(days=days)
        log: list[dict[str, Any]] = []
        states: list[dict[str, Any]] = []
        reviews = 0

        def flush() -> None:  # written in chunks: a million cards' history never sits in memory
            nonlocal reviews
            if log:
                with col.transaction() as s:
                    s.exec(insert(ReviewRow), params=log)
                reviews += len(log)
                log.clear()

        for cid in card_ids:
            if rng.random() >= studied_share:
                continue
            state = CardState()
            t = start + timedelta(days=rng.randrange(days), minutes=rng.randrange(600))
            while t < TODAY:
                if state.state in (0, 1, 3):
                    rating = 1 if rng.random() < 0.15 else 3
                else:
                    rating = 3 if rng.random() < 0.9 else 1
                after = review(state, rating, t, settings).with_changes(
                    last_shown_day=study_day(t, 4, "UTC"))
                log.append(dict(card_id=cid, profile_id=pid, reviewed_at=t,
                                study_day=study_day(t, 4, "UTC"), kind="study",
                                form="flashcard", prompt="?", correct=rating > 1,
                                verdict="right" if rating > 1 else "wrong", rating=rating,
                                response_ms=rng.randrange(1500, 9000),
                                **review_state_columns(state, after)))
                state = after
                if len(log) >= 20_000:
                    flush()
                assert state.due is not None
                t = state.due + timedelta(minutes=rng.randrange(0, 720))
            states.append(dict(b_id=cid, state=state.state, step=state.step,
                               stability=state.stability, difficulty=state.difficulty,
                               due=state.due, last_review=state.last_review, reps=state.reps,
                               lapses=state.lapses, last_shown_day=state.last_shown_day))
        flush()
        with col.transaction() as s:
            table = CardRow.__table__  # type: ignore[attr-defined]
            stmt = update(table).where(table.c.id == bindparam("b_id")).values(
                {k: bindparam(k) for k in states[0] if k != "b_id"}) if states else None
            if stmt is not None:
                s.connection().execute(stmt, states)
        with col.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
    return {"profile_id": pid, "reviews_in_log": reviews, "studied_cards": len(states),
            "build_s": round(time.perf_counter() - t0, 2)}


def measure(path: Path, profile_id: int, answers: int, seed: int) -> dict[str, Any]:
    """Study ``answers`` questions on the durable file; time each step."""
    rng = random.Random(seed)
    url = f"sqlite:///{path}"
    next_ms: list[float] = []
    answer_ms: list[float] = []
    floor_ms: list[float] = []
    floor = _CommitFloor(path.with_name(path.name + ".floor"))
    with Collection.open(url, first_start=False) as col:
        with col.engine.connect() as conn:
            sync = conn.execute(text("PRAGMA synchronous")).scalar()
            journal = conn.execute(text("PRAGMA journal_mode")).scalar()
        session = StudySession(col, profile_id)
        now = TODAY + timedelta(hours=1)
        t0 = time.perf_counter()
        q = session.next_question(now)
        first_ms = (time.perf_counter() - t0) * 1000
        for _ in range(answers):
            if q is None:
                break
            ok = rng.random() < 0.85
            t0 = time.perf_counter()
            if q.form is Form.FLASHCARD:
                session.answer_flashcard(q, 3 if ok else 1, now, 4000)
            else:
                session.answer(q, q.answers[0] if ok else "no idea", now, 4000)
            answer_ms.append((time.perf_counter() - t0) * 1000)
            floor_ms.append(floor.commit_ms())
            now += timedelta(seconds=15)
            t0 = time.perf_counter()
            q = session.next_question(now)
            next_ms.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        profile_stats(col, profile_id, now)
        stats_ms = (time.perf_counter() - t0) * 1000
    floor.close()
    return {
        "answers": len(answer_ms),
        "next_question_ms_median": round(statistics.median(next_ms), 3),
        "next_question_ms_p90": round(_p90(next_ms), 3),
        "answer_ms_median": round(statistics.median(answer_ms), 3),
        "answer_ms_p90": round(_p90(answer_ms), 3),
        "commit_floor_ms_median": round(statistics.median(floor_ms), 3) if floor_ms else None,
        "first_question_ms": round(first_ms, 1),
        "profile_stats_ms": round(stats_ms, 1),
        "sqlite": {"journal_mode": journal,
                   "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(
                       int(sync or 0), sync)},
    }


class _CommitFloor:
    """A scratch SQLite file next to the database: one-row commits, durable like the app's."""

    def __init__(self, path: Path) -> None:
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")

    def commit_ms(self) -> float:
        t0 = time.perf_counter()
        self.conn.execute("BEGIN")
        self.conn.execute("INSERT INTO t (v) VALUES (?)", ("x" * 200,))
        self.conn.execute("COMMIT")
        return (time.perf_counter() - t0) * 1000

    def close(self) -> None:
        self.conn.close()
        for p in self.path.parent.glob(self.path.name + "*"):
            p.unlink()


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                        help="numbers of cards (one profile, N facts)")
    parser.add_argument("--answers", type=int, default=200, help="answers timed per size")
    parser.add_argument("--days", type=int, default=365, help="days of simulated history")
    parser.add_argument("--studied-share", type=float, default=0.6,
                        help="share of the cards introduced during the history")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder to keep the database files in (default: a temp folder)")
    args = parser.parse_args(argv)

    results = []
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            path = folder / f"bench-{size}.sqlite3"
            for p in path.parent.glob(path.name + "*"):
                p.unlink()
            print(f"building {size} cards ...", file=sys.stderr)
            built = build(path, size, args.days, args.studied_share, args.seed)
            print(f"measuring {size} cards ...", file=sys.stderr)
            measured = measure(path, built["profile_id"], args.answers, args.seed)
            results.append({"cards": size, **{k: v for k, v in built.items()
                                              if k != "profile_id"}, **measured})
    print(json.dumps({"benchmark": "study", "answers_per_size": args.answers,
                      "history_days": args.days, "sizes": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
