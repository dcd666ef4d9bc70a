"""The one writer of review, card and study-session rows.

Every path that changes a card's state, appends to the review log or counts a
study sitting goes through this module:

- **an answer** (study or practice test): an :class:`AnswerWriter`
  (:func:`answer_writer`) runs one transaction on the driver's own
  connection: it writes the card and the review with plain statements the
  driver keeps prepared, committed before the block ends, so before any
  feedback is built from them. The card is not read again when the sitting
  holds the row it served the question from: the update names the old
  values in its ``WHERE`` and must change exactly one row
  (:meth:`AnswerWriter.write_held_card`); otherwise (another writer changed
  the card since, or nothing is held) the card is read under the write
  lock first (:meth:`AnswerWriter.lock_card`). The card's update sets only
  what an answer can change (its family only when the fact was asked in
  another family than last time: the card's unique index on (profile,
  fact, family) is then left unwritten). The sitting's first answer also
  inserts its study-session row, open (no end time); later answers leave
  that row alone;
- **undo, overrule and the card actions** (bury, suspend, report) and the end
  of a sitting: :func:`writing` opens one ORM transaction and
  :class:`StudyWriter` does the reads and writes it needs inside it. A
  sitting's totals (answered, right) are written with its undo and overrule
  and when it ends (:meth:`StudyWriter.set_session_totals`); a sitting that
  never ended (the app was killed) is counted from its review rows and
  ended at its last answer by the next sitting of its profile
  (:meth:`StudyWriter.end_unfinished_sessions`);
- **a profile import**: :func:`insert_study_sessions`, :func:`insert_reviews`,
  :func:`link_cancels`, :func:`insert_cards` and :func:`update_cards` write
  many rows at once inside the importer's transaction.
- **memories replayed from the log** (the schema 6 upgrade, new FSRS
  parameters adopted): :func:`set_memories`.

The log is never edited: undo and overrule append rows that cancel earlier
ones (see :mod:`quizapp.storage.reviews`); only :func:`link_cancels` sets a
``cancels_id``, on rows it has just inserted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.engine import Connection
from sqlmodel import Session, SQLModel, select

from quizapp.scheduling.state import CardState
from quizapp.storage.models import (
    CardRow,
    QuestionReportRow,
    ReviewRow,
    StudySessionRow,
    as_utc,
)
from quizapp.storage.reviewlog import answered_since, fact_table, is_cancelled_row
from quizapp.storage.reviews import session_totals
from quizapp.storage.reviewstate import (
    AFTER_COLUMNS,
    BEFORE_COLUMNS,
    micros,
    review_state_columns,
    state_values,
)

_session_table: Table = StudySessionRow.__table__  # type: ignore[attr-defined]
_SESSION_TOTALS = update(_session_table).where(_session_table.c.id == bindparam("b_id")).values(
    answered=bindparam("b_answered"), correct=bindparam("b_correct"),
    ended_at=bindparam("b_ended", type_=_session_table.c.ended_at.type))

# An answer's statements, run on the driver's connection (qmark style; "%s" for psycopg).
_SQL_CARD = ("SELECT profile_id, deck_id, fact_id, state, step, stability, difficulty, due,"
             " last_review, reps, lapses, suspended, last_shown_day, family FROM card WHERE id = ?")
# An answer never changes ``suspended``; SQLite rewrites an index whose column is SET
# even to its own value, so the family is set only when it changes.
_SQL_UPDATE_CARD = ("UPDATE card SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?,"
                    " last_review = ?, reps = ?, lapses = ?, last_shown_day = ? WHERE id = ?")
_SQL_UPDATE_CARD_FAMILY = ("UPDATE card SET state = ?, step = ?, stability = ?, difficulty = ?,"
                           " due = ?, last_review = ?, reps = ?, lapses = ?, last_shown_day = ?,"
                           " family = ? WHERE id = ?")
# The same, on the card as the sitting holds it: changes one row only if no other writer
# changed it since it was read (each value the answer was scheduled from, ``IS`` for
# the columns that may be NULL; PostgreSQL spells it ``IS NOT DISTINCT FROM``).
_HELD = (" WHERE id = ? AND profile_id = ? AND state = ? AND step IS ? AND stability IS ?"
         " AND difficulty IS ? AND due IS ? AND last_review IS ? AND reps = ? AND lapses = ?"
         " AND suspended = ? AND last_shown_day IS ? AND family = ?")
_SQL_UPDATE_HELD = _SQL_UPDATE_CARD.removesuffix(" WHERE id = ?") + _HELD
_SQL_UPDATE_HELD_FAMILY = _SQL_UPDATE_CARD_FAMILY.removesuffix(" WHERE id = ?") + _HELD
_REVIEW_COLUMNS = ("card_id", "profile_id", "session_id", "reviewed_at", "study_day", "kind",
                   "form", "prompt", "choices", "given", "correct", "verdict", "response_ms",
                   "rating", *BEFORE_COLUMNS, *AFTER_COLUMNS)
_SQL_INSERT_REVIEW = (f"INSERT INTO review ({', '.join(_REVIEW_COLUMNS)})"
                      f" VALUES ({', '.join(['?'] * len(_REVIEW_COLUMNS))})")
# A sitting's row is open (no end time) while it runs: its totals are written with its
# undo and overrule and when it ends, not with each answer (one page less per answer).
_SQL_INSERT_SESSION = ("INSERT INTO study_session (profile_id, started_at, ended_at, answered,"
                       " correct) VALUES (?, ?, NULL, 0, 0)")
_SQL_REOPEN_SESSION = "UPDATE study_session SET ended_at = NULL WHERE id = ?"


@lru_cache(maxsize=16)
def _pg(sql: str) -> str:
    """A statement in psycopg's parameter style (and PostgreSQL's null-safe equality)."""
    return sql.replace(" IS ?", " IS NOT DISTINCT FROM ?").replace("?", "%s")


def sqlite_time(value: datetime) -> str:
    """An aware time as quizapp's SQLite columns store it: naive UTC text with microseconds.

    The same text as :class:`~quizapp.storage.models.UTCDateTime` through
    SQLAlchemy's SQLite ``DATETIME`` (``YYYY-MM-DD HH:MM:SS.ffffff``), so that
    stored times compare as text.
    """
    if value.tzinfo is None:
        raise ValueError("naive datetime given; quizapp stores aware UTC times only")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


class LockedCard(NamedTuple):
    """A card as an answer reads it, locked until the answer's transaction ends."""

    profile_id: int
    deck_id: int
    fact_id: int
    state: CardState
    family: str  # the family of form the fact was last asked in


class AnswerRow(NamedTuple):
    """What one answer appends to the log (besides card, profile, session and time)."""

    study_day: int
    kind: str
    form: str
    prompt: str
    choices: str | None
    given: str | None
    correct: bool
    verdict: str
    response_ms: int | None
    rating: int
    state_before: CardState
    state_after: CardState


class AnswerWriter:
    """The driver's own connection, for the few statements of an answer.

    SQLAlchemy's execution layer costs more than the statements themselves
    here; the statements are plain SQL that SQLite and PostgreSQL both take.
    One writer may serve every answer of a connection it was made for: it
    keeps one cursor (the driver keeps the statements prepared) and ends
    each answer's transaction with :meth:`commit` or :meth:`rollback`.
    """

    def __init__(self, dbapi: Any, sqlite: bool) -> None:
        self.dbapi = dbapi
        self.cursor = dbapi.cursor()
        self.sqlite = sqlite
        self._formatted: tuple[datetime | None, str] = (None, "")  # the last time written

    def _execute(self, sql: str, params: Sequence[Any]) -> Any:
        return self.cursor.execute(sql if self.sqlite else _pg(sql), params)

    def _insert(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT and return the new row's id."""
        if self.sqlite:
            self.cursor.execute(sql, params)
            return int(self.cursor.lastrowid)
        self.cursor.execute(_pg(sql) + " RETURNING id", params)
        return int(self.cursor.fetchone()[0])

    def _time(self, value: datetime | None) -> Any:
        """A time as the driver takes it for a UTC time column."""
        if value is None or not self.sqlite:
            return value
        last, text = self._formatted
        if value is not last:  # an answer writes its time three times: formatted once
            text = sqlite_time(value)
            self._formatted = (value, text)
        return text

    def commit(self) -> None:
        """Commit the answer's transaction (durable when this returns)."""
        self.dbapi.commit()

    def rollback(self) -> None:
        """Roll the answer's transaction back."""
        self.dbapi.rollback()

    def close(self) -> None:
        """Let go of the cursor."""
        self.cursor.close()

    def begin(self) -> None:
        """Begin the answer's transaction (SQLite: with the write lock taken at once)."""
        if self.sqlite:
            self.cursor.execute("BEGIN IMMEDIATE")

    def lock_card(self, card_id: int) -> LockedCard | None:
        """The card ``card_id``, locked until the transaction ends (None if there is none).

        No other connection can change it between this read and the commit
        (SQLite: the write lock taken by :meth:`begin`; PostgreSQL: ``FOR UPDATE``).
        """
        if self.sqlite:
            row = self.cursor.execute(_SQL_CARD, (card_id,)).fetchone()
        else:
            row = self.cursor.execute(_pg(_SQL_CARD) + " FOR UPDATE", (card_id,)).fetchone()
        if row is None:
            return None
        (profile_id, deck_id, fact_id, state, step, stability, difficulty, due, last_review,
         reps, lapses, suspended, last_shown_day, family) = row
        return LockedCard(profile_id, deck_id, fact_id, CardState(
            state, step, stability, difficulty, as_utc(due), as_utc(last_review), reps, lapses,
            bool(suspended), last_shown_day), family)

    def start_session(self, profile_id: int, now: datetime) -> int:
        """A new study-session row, begun at ``now`` and open (not ended); its id."""
        return self._insert(_SQL_INSERT_SESSION, (profile_id, self._time(now)))

    def reopen_session(self, session_row_id: int) -> None:
        """The sitting goes on after it was ended: its row is open again."""
        self._execute(_SQL_REOPEN_SESSION, (session_row_id,))

    def write_card(self, card: LockedCard, card_id: int, after: CardState, family: str) -> None:
        """Give the locked card its state after an answer asked in a form of ``family``.

        Nothing is written when neither changes (a practice-test answer to a
        card not in review). ``after.suspended`` must be the card's own: an
        answer does not suspend.
        """
        if after.suspended != card.state.suspended:
            raise ValueError("an answer does not change whether a card is suspended")
        same_family = family == card.family
        if same_family and after == card.state:
            return
        values = (after.state, after.step, after.stability, after.difficulty,
                  self._time(after.due), self._time(after.last_review), after.reps,
                  after.lapses, after.last_shown_day)
        if same_family:
            self._execute(_SQL_UPDATE_CARD, (*values, card_id))
        else:
            self._execute(_SQL_UPDATE_CARD_FAMILY, (*values, family, card_id))

    def write_held_card(self, card: LockedCard, card_id: int, after: CardState,
                        family: str) -> bool:
        """Give the card its state after an answer, if it still is ``card`` as the sitting read it.

        One ``UPDATE`` whose ``WHERE`` names every value of ``card``: True
        when it changed the row, which was then exactly ``card`` (and is
        locked until the transaction ends); False when it changed nothing
        (another writer changed the card since it was read, or it is gone):
        read it with :meth:`lock_card` and schedule the answer from that. Also
        False, writing nothing, when the answer changes nothing of the card
        (a practice-test answer to a card not in review): only a read then
        tells that ``card`` is current.
        """
        if after.suspended != card.state.suspended:
            raise ValueError("an answer does not change whether a card is suspended")
        same_family = family == card.family
        if same_family and after == card.state:
            return False
        old = card.state
        where = (card_id, card.profile_id, old.state, old.step, old.stability, old.difficulty,
                 self._time(old.due), self._time(old.last_review), old.reps, old.lapses,
                 old.suspended, old.last_shown_day, card.family)
        values = (after.state, after.step, after.stability, after.difficulty,
                  self._time(after.due), self._time(after.last_review), after.reps,
                  after.lapses, after.last_shown_day)  # the answer's time formatted last
        if same_family:
            cur = self._execute(_SQL_UPDATE_HELD, (*values, *where))
        else:
            cur = self._execute(_SQL_UPDATE_HELD_FAMILY, (*values, family, *where))
        return int(cur.rowcount) == 1

    def append_review(self, card_id: int, profile_id: int, session_row_id: int, now: datetime,
                      row: AnswerRow) -> int:
        """Append the answer's review row; its id (its time as
        :class:`~quizapp.storage.models.UTCMicros` keeps it: microseconds on SQLite)."""
        return self._insert(_SQL_INSERT_REVIEW, (
            card_id, profile_id, session_row_id, micros(now) if self.sqlite else now,
            row.study_day, row.kind,
            row.form, row.prompt, row.choices, row.given, row.correct, row.verdict,
            row.response_ms, row.rating, *state_values(row.state_before),
            *state_values(row.state_after)))


def answer_writer(conn: Connection) -> AnswerWriter:
    """An :class:`AnswerWriter` on ``conn``'s driver connection."""
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    return AnswerWriter(dbapi, conn.dialect.name == "sqlite")


@dataclass(frozen=True, slots=True)
class LoggedReview:
    """A review row as undo and overrule read it."""

    id: int
    card_id: int
    profile_id: int
    session_id: int | None
    reviewed_at: datetime | None
    study_day: int
    kind: str
    form: str | None
    prompt: str | None
    choices: str | None
    given: str | None
    correct: bool | None
    response_ms: int | None
    state_before: CardState | None
    state_after: CardState | None
    cancels_id: int | None


@dataclass(frozen=True, slots=True)
class StoredCard:
    """A card as undo, overrule and the card actions read it."""

    id: int
    profile_id: int
    deck_id: int
    fact_id: int
    family: str
    reps: int
    reported_forms: str
    state: CardState


def stored_card(row: CardRow) -> StoredCard:
    """The plain values of a card row."""
    assert row.id is not None
    return StoredCard(row.id, row.profile_id, row.deck_id, row.fact_id, row.family, row.reps,
                      row.reported_forms, CardState.of(row))


class _Transactional(Protocol):
    def transaction(self) -> AbstractContextManager[Session]: ...


def open_session_ids(session: Session, profile_id: int) -> list[int]:
    """The profile's sittings left open (no end time): one still going on, or one
    the app never ended (see :meth:`StudyWriter.end_unfinished_sessions`)."""
    return [int(i) for i in session.exec(
        select(_session_table.c.id).where(_session_table.c.profile_id == profile_id,
                                          _session_table.c.ended_at.is_(None)))]


class StudyWriter:
    """Reads and writes of one ORM transaction: undo, overrule, card actions, a sitting's end."""

    def __init__(self, session: Session) -> None:
        self._s = session
        self._cards: dict[int, CardRow] = {}

    def review(self, review_id: int) -> LoggedReview | None:
        """The review row ``review_id``, or None."""
        row = self._s.get(ReviewRow, review_id)
        if row is None:
            return None
        assert row.id is not None
        return LoggedReview(
            row.id, row.card_id, row.profile_id, row.session_id, row.reviewed_at, row.study_day,
            row.kind, row.form, row.prompt, row.choices, row.given, row.correct,
            row.response_ms, row.state_before, row.state_after, row.cancels_id)

    def is_cancelled(self, review_id: int) -> bool:
        """Whether an undo or overrule row cancels the review ``review_id``."""
        return is_cancelled_row(self._s, review_id)

    def answered_since(self, card_id: int, review_id: int) -> bool:
        """Whether the card was answered again (effectively) after ``review_id``."""
        return answered_since(self._s, card_id, review_id)

    def card(self, card_id: int) -> StoredCard | None:
        """The card ``card_id``, or None; kept for the writes of this transaction."""
        row = self._s.get(CardRow, card_id)
        if row is None:
            return None
        card = stored_card(row)
        self._cards[card.id] = row
        return card

    def _row(self, card_id: int) -> CardRow:
        row = self._cards.get(card_id)
        if row is None:
            row = self._s.get(CardRow, card_id)
            if row is None:
                raise LookupError(f"no card {card_id}")
            self._cards[card_id] = row
        return row

    def fact_key(self, fact_row_id: int) -> str:
        """The key of the fact with row id ``fact_row_id``."""
        key: str = self._s.exec(select(fact_table.c.key).where(
            fact_table.c.id == fact_row_id)).one()
        return key

    def set_card_state(self, card_id: int, state: CardState) -> None:
        """Give the card a scheduling state (an undo's restored one, an overrule's new one)."""
        row = self._row(card_id)
        state.apply_to(row)
        self._s.add(row)

    def bury(self, card_id: int, until_day: int) -> None:
        """Hide the card until the study day after ``until_day``."""
        row = self._row(card_id)
        row.buried_until = until_day
        self._s.add(row)

    def set_suspended(self, card_id: int, value: bool) -> None:
        """Suspend the card (or show it again)."""
        row = self._row(card_id)
        row.suspended = value
        self._s.add(row)

    def set_reported_forms(self, card_id: int, forms_json: str) -> None:
        """Record the forms reported as wrong for this card (a JSON list)."""
        row = self._row(card_id)
        row.reported_forms = forms_json
        self._s.add(row)

    def add_report(self, profile_id: int, card_id: int, fact_id: int, form: str, prompt: str,
                   reason: str, now: datetime) -> int:
        """A question report for the teacher's views; its id."""
        report = QuestionReportRow(profile_id=profile_id, card_id=card_id, fact_id=fact_id,
                                   form=form, prompt=prompt, reason=reason, created_at=now)
        self._s.add(report)
        self._s.flush()
        assert report.id is not None
        return report.id

    def session_row(self, profile_id: int, now: datetime, existing: int | None) -> int:
        """``existing``, or a new study-session row begun at ``now`` and open (not ended)."""
        if existing is not None:
            return existing
        row = StudySessionRow(profile_id=profile_id, started_at=now, ended_at=None)
        self._s.add(row)
        self._s.flush()
        assert row.id is not None
        return row.id

    def append_review(self, *, state_before: CardState, state_after: CardState,
                      **values: Any) -> int:
        """Append a review row (an undo or overrule) with the pending writes; its id."""
        row = ReviewRow(**values, **review_state_columns(state_before, state_after))
        self._s.add(row)
        self._s.flush()
        assert row.id is not None
        return row.id

    def set_session_totals(self, session_row_id: int, answered: int, correct: int,
                           ended_at: datetime | None) -> None:
        """The sitting's totals so far; ``ended_at`` when it ended (None: it goes on)."""
        self._s.execute(_SESSION_TOTALS, {"b_id": session_row_id, "b_answered": answered,
                                          "b_correct": correct, "b_ended": ended_at})

    def end_unfinished_sessions(self, profile_id: int, keep: int | None = None) -> int:
        """End the profile's sittings left open (the app was killed, or never ended them).

        Each is counted from its review rows as the sitting counts itself (see
        :func:`quizapp.storage.reviews.session_totals`) and ended at its last
        answer (at its start when it has none). ``keep``: a sitting still
        going on, left alone. How many were ended.
        """
        open_ids = [i for i in open_session_ids(self._s, profile_id) if i != keep]
        if not open_ids:
            return 0
        totals = {sid: (answered, correct, last)
                  for sid, answered, correct, last in self._s.execute(
                      session_totals(profile_id, open_ids))}
        for sid in open_ids:
            answered, correct, last = totals.get(sid, (0, 0, None))
            ended = as_utc(last) if last is not None else self._s.execute(
                select(_session_table.c.started_at).where(
                    _session_table.c.id == sid)).scalar_one()
            self.set_session_totals(sid, int(answered or 0), int(correct or 0), ended)
        return len(open_ids)

    def set_session_start(self, session_row_id: int, started_at: datetime) -> None:
        """The sitting began at ``started_at`` (a practice test began before its first answer)."""
        self._s.exec(update(StudySessionRow)
                     .where(StudySessionRow.id == session_row_id)  # type: ignore[arg-type]
                     .values(started_at=started_at))


@contextmanager
def writing(collection: _Transactional) -> Iterator[StudyWriter]:
    """A :class:`StudyWriter` in one transaction, committed at the end of the block."""
    with collection.transaction() as s:
        yield StudyWriter(s)


# ---------------------------------------------------------------- many rows at once


def _full_rows(model: type[SQLModel], rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Column values with the model's defaults filled in (for a Core insert)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    out = []
    for values in rows:
        obj = model(**values)
        out.append({c.name: getattr(obj, c.name) for c in table.columns if c.name != "id"})
    return out


def _insert_returning(s: Session, model: type[SQLModel],
                      rows: Sequence[Mapping[str, Any]]) -> list[int]:
    if not rows:
        return []
    table: Table = model.__table__  # type: ignore[attr-defined]
    stmt = insert(model).returning(table.c.id, sort_by_parameter_order=True)
    result = s.exec(stmt, params=_full_rows(model, rows))
    return [int(i) for i in result.scalars().all()]


def insert_study_sessions(s: Session, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert study-session rows (column values, no id); their new ids, in order."""
    return _insert_returning(s, StudySessionRow, rows)


def insert_reviews(s: Session, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Append review rows (column values, no id, no ``cancels_id``); their new ids, in order.

    A row's ``state_before`` and ``state_after`` (a :class:`CardState` or None)
    are written to their columns (:mod:`quizapp.storage.reviewstate`).

    Link undo and overrule rows to the rows they cancel with :func:`link_cancels`
    once both are inserted.
    """
    return _insert_returning(s, ReviewRow, [_with_state_columns(r) for r in rows])


def _with_state_columns(values: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if k not in ("state_before", "state_after")}
    out.update(review_state_columns(values.get("state_before"), values.get("state_after")))
    return out


def link_cancels(s: Session, links: Sequence[tuple[int, int]]) -> None:
    """Set ``cancels_id`` on just-inserted rows: (cancelling row id, cancelled row id) pairs."""
    if links:
        s.exec(update(ReviewRow),
               params=[{"id": rid, "cancels_id": cancels} for rid, cancels in links])


def insert_cards(s: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert card rows (column values, no id)."""
    if rows:
        s.exec(insert(CardRow), params=list(rows))


def update_cards(s: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Update cards by primary key: each mapping holds ``id`` and the columns to set."""
    if rows:
        s.exec(update(CardRow), params=list(rows))


_card_table: Table = CardRow.__table__  # type: ignore[attr-defined]
_SET_MEMORY = (
    update(_card_table).where(_card_table.c.id == bindparam("b_id")).values(
        state=bindparam("b_state"), step=bindparam("b_step"),
        stability=bindparam("b_stability"), difficulty=bindparam("b_difficulty"),
        due=bindparam("b_due", type_=_card_table.c.due.type),
        last_review=bindparam("b_last_review", type_=_card_table.c.last_review.type),
        reps=bindparam("b_reps"), lapses=bindparam("b_lapses"), family=bindparam("b_family")))


def set_memories(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Give cards a replayed memory (:mod:`quizapp.storage.memories`), in ``conn``'s transaction.

    Each mapping holds ``b_id`` and ``b_state``, ``b_step``, ``b_stability``,
    ``b_difficulty``, ``b_due``, ``b_last_review``, ``b_reps``, ``b_lapses``,
    ``b_family``.
    """
    if rows:
        conn.execute(_SET_MEMORY, list(rows))


def suspend_cards(s: Session, profile_id: int, card_ids: Sequence[int], suspended: bool) -> int:
    """Suspend or unsuspend cards of a profile picked in the browser; how many changed."""
    c: Table = CardRow.__table__  # type: ignore[attr-defined]
    result = s.exec(
        update(c).where(c.c.profile_id == profile_id, c.c.id.in_(list(card_ids)),
                        c.c.suspended != suspended)
        .values(suspended=suspended))
    return int(result.rowcount or 0)
