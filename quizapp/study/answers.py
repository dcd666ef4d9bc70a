"""An answer's statements on the driver's connection, and the time text SQLite stores.

An answer reads its card under the write lock, updates it, appends the review
and counts the study-session row: four prepared statements in one transaction
(see :class:`quizapp.study.session.StudySession`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    bindparam,
    update,
)

from quizapp.storage.models import (
    StudySessionRow,
)

_session_table = StudySessionRow.__table__  # type: ignore[attr-defined]
_COUNT_SESSION = update(_session_table).where(_session_table.c.id == bindparam("b_id")).values(
    answered=_session_table.c.answered + bindparam("b_answered"),
    correct=_session_table.c.correct + bindparam("b_correct"),
    ended_at=bindparam("b_ended", type_=_session_table.c.ended_at.type))

# An answer's statements, run on the driver's connection (qmark style; "%s" for psycopg).
_SQL_CARD = ("SELECT profile_id, deck_id, fact_id, state, step, stability, difficulty, due,"
             " last_review, reps, lapses, suspended, last_shown_day FROM card WHERE id = ?")
_SQL_UPDATE_CARD = ("UPDATE card SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?,"
                    " last_review = ?, reps = ?, lapses = ?, suspended = ?, last_shown_day = ?"
                    " WHERE id = ?")
_SQL_INSERT_REVIEW = ("INSERT INTO review (card_id, profile_id, session_id, reviewed_at,"
                      " study_day, kind, form, prompt, choices, given, correct, verdict,"
                      " response_ms, rating, state_before, state_after)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_SQL_INSERT_SESSION = ("INSERT INTO study_session (profile_id, started_at, ended_at, answered,"
                       " correct) VALUES (?, ?, ?, 0, 0)")
_SQL_COUNT_SESSION = ("UPDATE study_session SET answered = answered + ?,"
                      " correct = correct + ?, ended_at = ? WHERE id = ?")


def _sqlite_time(value: datetime) -> str:
    """An aware time as quizapp's SQLite columns store it: naive UTC text with microseconds.

    The same text as :class:`~quizapp.storage.models.UTCDateTime` through
    SQLAlchemy's SQLite ``DATETIME``, so that stored times compare as text.
    """
    if value.tzinfo is None:
        raise ValueError("naive datetime given; quizapp stores aware UTC times only")
    v = value.astimezone(UTC)
    return (f"{v.year:04d}-{v.month:02d}-{v.day:02d} "
            f"{v.hour:02d}:{v.minute:02d}:{v.second:02d}.{v.microsecond:06d}")


class _Driver:
    """The database driver's own connection, for the few statements of an answer.

    SQLAlchemy's execution layer costs more than the statements themselves
    here; the statements are plain SQL that SQLite and PostgreSQL both take.
    """

    def __init__(self, dbapi: Any, sqlite: bool) -> None:
        self.cursor = dbapi.cursor()
        self.sqlite = sqlite

    def execute(self, sql: str, params: Sequence[Any]) -> Any:
        return self.cursor.execute(sql if self.sqlite else sql.replace("?", "%s"), params)

    def read_for_update(self, sql: str, params: Sequence[Any]) -> Any:
        """The first row of a SELECT, locked until the transaction ends.

        No other connection can change it between this read and the commit
        (SQLite: the write lock is taken first; PostgreSQL: ``FOR UPDATE``).
        """
        if self.sqlite:
            self.cursor.execute("BEGIN IMMEDIATE")
            return self.cursor.execute(sql, params).fetchone()
        return self.cursor.execute(sql.replace("?", "%s") + " FOR UPDATE", params).fetchone()

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT and return the new row's id."""
        if self.sqlite:
            self.cursor.execute(sql, params)
            return int(self.cursor.lastrowid)
        self.cursor.execute(sql.replace("?", "%s") + " RETURNING id", params)
        return int(self.cursor.fetchone()[0])

    def time(self, value: datetime | None) -> Any:
        """A time as the driver takes it for a UTC time column."""
        if value is None:
            return None
        return _sqlite_time(value) if self.sqlite else value
