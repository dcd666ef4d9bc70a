"""The queue kept in memory serves exactly what one SQL statement per question serves.

:class:`OneStatementSession` is the study session with the queue read the way
it was before the queue was kept in memory: one ``UNION ALL`` statement per
candidate list, with every rule in SQL. Two copies of one SQLite file are
studied in lockstep, one with the real session and one with that oracle, by
the same script of answers (right and wrong, learning steps, days, daily
limits, siblings), undos, overrules, reports, buries and suspends, and by
writes from another Collection and from another process. Every question served
must be the same card, form and prompt on both; so must the review logs.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    false,
    literal,
    or_,
    true,
    union_all,
)
from sqlalchemy import select as sa_select

import quizapp.study.session as study_module
from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.questions.model import Form, Question
from quizapp.scheduling import LEARN_AHEAD, CardStateKind, day_start
from quizapp.services.collection import Collection
from quizapp.services.profiles import create_profile, set_deck_overrides, update_profile_settings
from quizapp.storage.models import as_utc
from quizapp.storage.reviewlog import card_table, fact_table
from quizapp.storage.reviewstate import AFTER_COLUMNS, BEFORE_COLUMNS, state_from_values
from quizapp.study import StaleQuestionError, StudySession
from quizapp.study.queue import (
    _BATCH,
    _Q_LEARN_AHEAD,
    _Q_LEARNING,
    _Q_NEW,
    _Q_PREFERRED,
    _Q_REVIEW,
    _Candidate,
    _DayCounts,
)

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


# ---------------------------------------------------------------- the oracle


class OneStatementSession(StudySession):
    """A study session that reads every candidate list with one SQL statement."""

    def _candidates(self, now: datetime, today: int) -> list[_Candidate]:
        with self._db() as conn:
            counts = self._day_counts(conn, today)
            return [_Candidate(*row) for row in conn.execute(
                one_statement(self, now, today, counts))]


def one_statement(session: StudySession, now: datetime, today: int,
                  counts: _DayCounts) -> Select[Any]:
    """The first few cards of every queue, in serving order (queue, due, id)."""
    c = card_table.alias("c")
    f = fact_table.alias("f")
    settings = session.settings
    day_end = day_start(today + 1, settings.rollover_hour, settings.timezone)
    no_form = sorted(session._no_form)

    def base(queue: ColumnElement[Any] | int) -> Select[Any]:
        q = (
            sa_select(c.c.id.label("cid"), (literal(queue) if isinstance(queue, int)
                                            else queue).label("queue"))
            .select_from(c)
            .join(f, f.c.id == c.c.fact_id)
            .where(
                c.c.profile_id == session.profile_id,
                c.c.suspended == false(),
                or_(c.c.buried_until.is_(None), c.c.buried_until < today),
                f.c.retired == false(),
            )
        )
        if session._deck_id is not None:
            q = q.where(c.c.deck_id == session._deck_id)
        if no_form:
            q = q.where(c.c.id.not_in(no_form))
        return q

    parts: list[Select[Any]] = []
    if session._preferred is not None:
        parts.append(base(_Q_PREFERRED).where(c.c.id == session._preferred))
    parts.append(
        base(case((c.c.due <= now, _Q_LEARNING), else_=_Q_LEARN_AHEAD))
        .where(c.c.state.in_((CardStateKind.LEARNING, CardStateKind.RELEARNING)),
               c.c.due <= now + LEARN_AHEAD)
        .order_by(c.c.due, c.c.id).limit(_BATCH))
    open_reviews = limit_filter(session, c.c.deck_id, counts, new=False)
    if open_reviews is not None:
        parts.append(
            base(_Q_REVIEW)
            .where(c.c.state == CardStateKind.REVIEW, c.c.due < day_end, open_reviews)
            .order_by(c.c.due, c.c.id).limit(_BATCH))
    open_new = limit_filter(session, c.c.deck_id, counts, new=True)
    if open_new is not None:
        parts.append(base(_Q_NEW).where(c.c.state == CardStateKind.NEW, open_new)
                     .order_by(c.c.due, c.c.id).limit(_BATCH))

    subs = [p.subquery() for p in parts]
    u = union_all(*(sa_select(sq.c.cid, sq.c.queue) for sq in subs)).subquery("u")
    return (
        sa_select(card_table.c.id, card_table.c.deck_id, card_table.c.fact_id,
                  fact_table.c.key, card_table.c.family, card_table.c.reps,
                  card_table.c.reported_forms, u.c.queue, card_table.c.state,
                  card_table.c.stability, card_table.c.lapses)
        .select_from(u)
        .join(card_table, card_table.c.id == u.c.cid)
        .join(fact_table, fact_table.c.id == card_table.c.fact_id)
        .order_by(u.c.queue, card_table.c.due, card_table.c.id)
    )


def limit_filter(session: StudySession, column: ColumnElement[Any], counts: _DayCounts, *,
                 new: bool) -> ColumnElement[bool] | None:
    """Decks still under their new (or review) limit today; None when none is."""

    def limit(deck_id: int | None) -> int:
        settings = session.settings if deck_id is None else session.settings_for(deck_id)
        return settings.new_per_day if new else settings.reviews_per_day

    def done(deck_id: int) -> int:
        return (len(counts.new_facts.get(deck_id, ())) if new
                else counts.reviews.get(deck_id, 0))

    if session._deck_id is not None:
        return true() if done(session._deck_id) < limit(session._deck_id) else None
    known = set(counts.new_facts if new else counts.reviews) | set(session._deck_settings)
    if limit(None) > 0:
        closed = sorted(d for d in known if done(d) >= limit(d))
        return column.not_in(closed) if closed else true()
    open_decks = sorted(d for d in session._deck_settings if done(d) < limit(d))
    return column.in_(open_decks) if open_decks else None


# ---------------------------------------------------------------- the script


def decks() -> tuple[Deck, Deck]:
    a = Deck(id="qa", name="Deck A", facts=tuple(
        Fact(id=f"a-{i:03d}", kind=FactKind.QA, front=f"What is item {i}?",
             back=f"answer {i}") for i in range(30)))
    b = Deck(id="qb", name="Deck B", facts=tuple(
        Fact(id=f"b-{i:03d}", kind=FactKind.QA, front=f"Which word goes with {i}?",
             back=f"word {i}") for i in range(16)))
    return a, b


def deck_row_id(path: Path, key: str) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT id FROM deck WHERE key = ?", (key,)).fetchone()[0])
    finally:
        con.close()


def build_file(path: Path) -> int:
    with Collection.open(f"sqlite:///{path}", first_start=False) as col:
        a, b = decks()
        col.import_deck(a)
        col.import_deck(b)
        pid = create_profile(col, "P", T0).id
        update_profile_settings(col, pid, timezone="UTC", fuzz=False, new_per_day=6,
                                reviews_per_day=8)
        set_deck_overrides(col, pid, deck_row_id(path, "qb"), new_per_day=3, reviews_per_day=4)
    return pid


def external_sql(path: Path, statement: str, params: tuple[Any, ...]) -> None:
    """Run one write in another process (as another app instance would)."""
    code = ("import sqlite3, sys, json\n"
            "con = sqlite3.connect(sys.argv[1])\n"
            "con.execute(sys.argv[2], json.loads(sys.argv[3]))\n"
            "con.commit()\n"
            "con.close()\n")
    subprocess.run([sys.executable, "-c", code, str(path), statement, json.dumps(params)],
                   check=True, timeout=60)


def right(q: Question) -> str:
    return q.answers[0]


def wrong(q: Question) -> str:
    if q.choices is not None:
        return next(c for c in q.choices if c not in q.answers)
    if q.form is Form.TIMELINE:
        assert q.items is not None
        return " | ".join(reversed(q.answers[0].split(" | ")))
    return "certainly not this"


@dataclass
class Run:
    """One study of a file by a script; what was served and done."""

    path: Path
    session_type: type[StudySession]
    served: list[tuple[str, str, str, str]] = field(default_factory=list)
    actions: dict[str, int] = field(default_factory=dict)

    def note(self, action: str) -> None:
        self.actions[action] = self.actions.get(action, 0) + 1


def study(run: Run, pid: int, seed: int, *, deck_id: int | None = None, days: int = 10) -> None:
    """The script: days of study with every kind of event, the same for every file."""
    rng = random.Random(seed)
    url = f"sqlite:///{run.path}"
    col = Collection.open(url, first_start=False)
    other = Collection.open(url, first_start=False)  # another window, its own engine
    session = run.session_type(col, pid, seed=3, deck_id=deck_id)
    now = T0
    try:
        for day in range(days):
            now = T0 + timedelta(days=day)
            idle = 0
            steps = 0
            while steps < 70 and idle < 6:
                q = session.next_question(now)
                if q is None:
                    run.served.append(("-", "", "", now.isoformat()))
                    idle += 1
                    now += timedelta(minutes=7)
                    continue
                idle = 0
                steps += 1
                run.served.append((q.card_id, q.form.value, q.prompt, now.isoformat()))
                roll = rng.random()
                if roll < 0.04:
                    StudySession(other, pid).bury(q.card_id, now)
                    run.note("bury by another window")
                elif roll < 0.07:
                    external_sql(run.path, "UPDATE card SET suspended = 1 WHERE id = ?",
                                 (int(q.card_id),))
                    run.note("suspend by another process")
                elif roll < 0.09:
                    session.suspend(q.card_id)
                    run.note("suspend")
                elif roll < 0.11:
                    session.report(q, "looks wrong", now)
                    run.note("report")
                else:
                    ok = rng.random() < 0.75
                    if q.form is Form.FLASHCARD:
                        result = session.answer_flashcard(q, 3 if ok else 1, now, 3000)
                    else:
                        result = session.answer(q, right(q) if ok else wrong(q), now, 3000)
                    run.note("answer")
                    after = rng.random()
                    if after < 0.07:
                        session.undo(now + timedelta(seconds=5))
                        run.note("undo")
                    elif after < 0.11 and not result.correct and q.form is not Form.FLASHCARD:
                        session.overrule(result.review_id, now + timedelta(seconds=5))
                        run.note("overrule")
                if rng.random() < 0.05:
                    # Another process brings some card forward, or unsuspends one.
                    card = rng.randrange(1, 93)
                    if rng.random() < 0.5:
                        external_sql(run.path, "UPDATE card SET suspended = 0 WHERE id = ?",
                                     (card,))
                        run.note("unsuspend by another process")
                    else:
                        due = (now - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
                        external_sql(run.path, "UPDATE card SET due = ? WHERE id = ? "
                                     "AND state > 0", (due, card))
                        run.note("due moved by another process")
                now += timedelta(seconds=rng.choice((15, 40, 90, 200)))
    finally:
        session.close(now)
        other.close()
        col.close()


def log_of(path: Path) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT id, card_id, kind, form, prompt, given, correct, rating, "
                           f"study_day, {', '.join(BEFORE_COLUMNS + AFTER_COLUMNS)}, cancels_id"
                           " FROM review ORDER BY id").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize(("seed", "kept_batch"), [(1, study_module._KEPT_BATCH), (2, 9)])
def test_kept_queue_serves_what_one_statement_serves(tmp_path: Path, seed: int, kept_batch: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # A small batch makes the kept queue run short and fetch again often.
    monkeypatch.setattr(study_module, "_KEPT_BATCH", kept_batch)
    base = tmp_path / "base.sqlite3"
    pid = build_file(base)
    kept = Run(tmp_path / "kept.sqlite3", StudySession)
    oracle = Run(tmp_path / "oracle.sqlite3", OneStatementSession)
    for run in (kept, oracle):
        shutil.copyfile(base, run.path)
        study(run, pid, seed)
    for i, (got, want) in enumerate(zip(kept.served, oracle.served, strict=False)):
        assert got == want, f"step {i}: served {got}, one statement serves {want}"
    assert len(kept.served) == len(oracle.served)
    assert kept.actions == oracle.actions
    assert log_of(kept.path) == log_of(oracle.path)
    # The script went through what it is meant to test.
    assert kept.actions["answer"] > 200
    for action in ("undo", "bury by another window", "suspend by another process", "report",
                   "suspend", "due moved by another process"):
        assert kept.actions.get(action, 0) > 0, (action, kept.actions)
    con = sqlite3.connect(kept.path)
    try:
        rows = con.execute("SELECT r.reviewed_at, r.study_day, d.key, "
                           + ", ".join(f"r.{c}" for c in BEFORE_COLUMNS) + " "
                           "FROM review r JOIN card c ON c.id = r.card_id "
                           "JOIN deck d ON d.id = c.deck_id WHERE r.kind = 'study'").fetchall()
    finally:
        con.close()
    befores = [(as_utc(at), state_from_values(sb), day,
                deck) for at, day, deck, *sb in rows]
    assert {0, 1, 2, 3} <= {b.state for _, b, _, _ in befores}  # every state was answered
    # Learning cards were shown ahead of time when nothing else was left.
    assert any(b.state in (1, 3) and b.due is not None and b.due > at
               for at, b, _, _ in befores)
    # Deck B's own limit of three new cards a day was reached.
    new_b: dict[int, int] = {}
    for _, b, day, deck in befores:
        if deck == "qb" and b.state == 0:
            new_b[day] = new_b.get(day, 0) + 1
    assert max(new_b.values()) >= 3


@pytest.mark.parametrize("variant", ["one deck", "only decks with limits of their own"])
def test_kept_queue_for_one_deck_and_for_deck_limits_only(tmp_path: Path, variant: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(study_module, "_KEPT_BATCH", 9)
    base = tmp_path / "base.sqlite3"
    pid = build_file(base)
    deck_id = None
    if variant == "one deck":
        deck_id = deck_row_id(base, "qa")
    else:  # the profile allows nothing; deck B's override opens it alone
        with Collection.open(f"sqlite:///{base}", first_start=False) as col:
            update_profile_settings(col, pid, new_per_day=0, reviews_per_day=0)
    kept = Run(tmp_path / "kept.sqlite3", StudySession)
    oracle = Run(tmp_path / "oracle.sqlite3", OneStatementSession)
    for run in (kept, oracle):
        shutil.copyfile(base, run.path)
        study(run, pid, 7, deck_id=deck_id, days=6)
    for i, (got, want) in enumerate(zip(kept.served, oracle.served, strict=False)):
        assert got == want, f"step {i}: served {got}, one statement serves {want}"
    assert len(kept.served) == len(oracle.served)
    assert log_of(kept.path) == log_of(oracle.path)
    assert kept.actions["answer"] > 30
    prompts = {prompt for _, _, prompt, _ in kept.served if prompt}
    if variant == "one deck":
        assert all("Which word" not in p for p in prompts)
    else:
        assert all("What is item" not in p for p in prompts)


# ---------------------------------------------------------------- the driver path and connections


def test_times_written_by_the_driver_are_the_text_sqlalchemy_writes() -> None:
    from zoneinfo import ZoneInfo

    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from quizapp.storage.models import UTCDateTime
    from quizapp.storage.writer import sqlite_time as _sqlite_time

    dialect = sqlite_dialect.dialect()
    process = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert process is not None
    for value in (T0, T0 + timedelta(microseconds=7), datetime(1999, 12, 31, 23, 59, 59, 999999,
                                                                  tzinfo=UTC),
                  datetime(2025, 10, 26, 2, 30, tzinfo=ZoneInfo("Europe/Berlin"))):
        assert _sqlite_time(value) == process(value)
    with pytest.raises(ValueError):
        _sqlite_time(datetime(2025, 1, 1))


def _answer_one(session: StudySession, now: datetime) -> None:
    q = session.next_question(now)
    assert q is not None
    if q.form is Form.FLASHCARD:
        session.answer_flashcard(q, 3, now, 2000)
    else:
        session.answer(q, right(q), now, 2000)


def test_held_connections_are_released(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    pid = build_file(path)
    col = Collection.open(f"sqlite:///{path}", first_start=False)
    update_profile_settings(col, pid, new_per_day=100)
    # Sessions dropped without close give their connection back: more of them than
    # the pool holds (5 + 10 overflow) still study without waiting for a connection.
    for i in range(20):
        _answer_one(StudySession(col, pid), T0 + timedelta(minutes=i))
    assert len(col._held) <= 1
    session = StudySession(col, pid)
    _answer_one(session, T0 + timedelta(hours=1))
    held = session._conn
    assert held is not None and held in col._held
    session.close(T0 + timedelta(hours=1))
    assert held.closed and held not in col._held
    # A closed session connects again when used on.
    _answer_one(session, T0 + timedelta(hours=2))
    again = session._conn
    assert again is not None and not again.closed
    col.close()  # closes the connections sessions hold
    assert again.closed and not col._held


def test_an_answer_cannot_overwrite_a_write_it_did_not_see(tmp_path: Path) -> None:
    """Another window answers the same card and commits while this answer is on its way."""
    import threading

    path = tmp_path / "q.sqlite3"
    pid = build_file(path)
    col = Collection.open(f"sqlite:///{path}", first_start=False)
    session = StudySession(col, pid)
    q = session.next_question(T0)
    assert q is not None
    other = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE card SET reps = reps + 1 WHERE id = ?", (int(q.card_id),))
    timer = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    timer.start()
    try:
        # The answer waits for the other writer, then sees its change: refused, not overwritten.
        with pytest.raises(StaleQuestionError):
            session.answer_flashcard(q, 3, T0, 1000)
    finally:
        timer.join()
        other.close()
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT reps FROM card WHERE id = ?", (int(q.card_id),)).fetchone() \
            == (1,)
        assert con.execute("SELECT count(*) FROM review").fetchone() == (0,)
    finally:
        con.close()
    col.close()


def test_q_a_facts_are_fetched_with_the_kept_queue_and_ask_as_a_whole_deck_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A study session leaves a deck's Q/A facts out when it loads the deck and fetches
    them a batch at a time (the kept queue's cards); the questions are those a builder
    over the whole deck makes."""
    from quizapp.questions.generate import ALL_FORMS, QuestionBuilder, stable_hash
    from quizapp.storage import repository as repo

    path = tmp_path / "qa.sqlite3"
    qa = tuple(Fact(id=f"qa-{i:03d}", kind=FactKind.QA, front=f"What is code {i}?",
                    back=f"word {i}") for i in range(80))
    with Collection.open(f"sqlite:///{path}") as col:  # the seed deck, then a Q/A deck
        col.import_deck(Deck(id="notes", name="Notes", facts=qa))
        pid = col.profile().id
        assert pid is not None
        update_profile_settings(col, pid, new_per_day=1000, timezone="UTC")
    fact_loads: list[int] = []
    load_facts = repo.load_facts

    def counted(s: Any, deck_id: int, keys: Any) -> list[Fact]:
        facts = load_facts(s, deck_id, keys)
        fact_loads.append(len(facts))
        return facts

    monkeypatch.setattr(repo, "load_facts", counted)

    with Collection.open(f"sqlite:///{path}") as col:
        whole = {d: QuestionBuilder(col.load_deck(d), forms=ALL_FORMS) for d in ("notes", "seed")}
        ids = {}
        with col.session() as s:
            for d in ("notes", "seed"):
                row = repo.find_deck(s, d)
                assert row is not None
                ids[row.id] = d
        session = StudySession(col, pid)
        asked = 0
        last_form: dict[str, Form] = {}
        for i in range(120):
            now = T0 + timedelta(seconds=i)
            q = session.next_question(now)
            assert q is not None
            reps, deck_id = session._shown[int(q.card_id)]
            rng = random.Random(stable_hash(0, int(q.card_id), reps))
            builder = whole[ids[deck_id]]
            expected = None
            if q.card_id in last_form:  # back again: another form than its last (see _build)
                for avoid in ({last_form[q.card_id], Form.TRUE_FALSE}, {last_form[q.card_id]}):
                    expected = builder.build(q.card_id, q.fact_id, q.family, rng,
                                             exclude=frozenset(avoid))
                    if expected is not None:
                        break
            if expected is None:
                expected = builder.build(q.card_id, q.fact_id, q.family, rng)
            assert q == expected, (q, expected)
            last_form[q.card_id] = q.form
            asked += q.fact_id.startswith("qa-")
            if q.form is Form.FLASHCARD:
                session.answer_flashcard(q, 3, now, 2000)
            else:
                session.answer(q, right(q), now, 2000)
        session.close(T0 + timedelta(minutes=5))
    assert asked >= 60
    # Fetched with the queue's cards: a few statements, not one per question.
    assert 1 <= len(fact_loads) <= asked // 10, fact_loads
    assert sum(fact_loads) >= asked


def test_a_q_a_fact_retired_after_the_deck_was_loaded_is_not_asked(tmp_path: Path) -> None:
    path = tmp_path / "retired.sqlite3"
    qa = tuple(Fact(id=f"qa-{i}", kind=FactKind.QA, front=f"Term {i}?", back=f"meaning {i}")
               for i in range(3))
    with Collection.open(f"sqlite:///{path}", first_start=False) as col:
        col.import_deck(Deck(id="notes", name="Notes", facts=qa))
        pid = create_profile(col, "P", T0).id
        session = StudySession(col, pid)
        first = session.next_question(T0)
        assert first is not None
        # The teacher re-imports the deck without qa-2: it is retired.
        col.import_deck(Deck(id="notes", name="Notes", facts=qa[:2]))
        shown = set()
        for i in range(6):
            now = T0 + timedelta(seconds=i)
            q = session.next_question(now)
            if q is None:
                break
            shown.add(q.fact_id)
            session.answer_flashcard(q, 4, now, 2000)
        assert "qa-2" not in shown
