"""The review log's tables and the statements a study sitting reads it with.

Which rows count is said once, in :mod:`quizapp.storage.reviews`; this module
holds the Core table handles, :func:`run`, and the log reads of a study
sitting: today's counted answers per deck, the learner's recent response
times, and the checks an undo or overrule makes before it writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Executable, Result, Select, Table, or_, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from quizapp.scheduling.state import CardStateKind
from quizapp.storage.models import CardRow, FactRow, ReviewRow
from quizapp.storage.reviews import (
    ANSWER_KINDS,
    KIND_STUDY,
    answer_kind,
    is_cancelled,
    is_effective,
    state_before_is,
)

review_table: Table = ReviewRow.__table__  # type: ignore[attr-defined]
card_table: Table = CardRow.__table__  # type: ignore[attr-defined]
fact_table: Table = FactRow.__table__  # type: ignore[attr-defined]


def run(session: Session, stmt: Executable) -> Result[*tuple[Any, ...]]:
    """Execute a Core statement through ``Session.exec`` and return its rows.

    SQLModel types ``exec`` only for its own ``select()`` of up to four
    columns; wider Core selects and compound statements are the same at run
    time, so the one type exception lives here.
    """
    result: Result[*tuple[Any, ...]] = session.exec(stmt)  # type: ignore[call-overload]
    return result


def exists(session: Session, stmt: Select[Any]) -> bool:
    """Whether ``stmt`` finds a row (it reads at most one)."""
    return run(session, stmt.limit(1)).first() is not None


def is_cancelled_row(session: Session, review_id: int) -> bool:
    """Whether another row (an undo or overrule) cancels the review ``review_id``."""
    return exists(session, select(review_table.c.id).where(
        review_table.c.cancels_id == review_id))


def answered_since(session: Session, card_id: int, review_id: int) -> bool:
    """Whether the card has an effective answer logged after the review ``review_id``."""
    r = review_table.alias("r")
    later = select(r.c.id).where(r.c.card_id == card_id, r.c.id > review_id, is_effective(r))
    return exists(session, later)


def day_answers(conn: Connection, profile_id: int, today: int) -> Iterator[tuple[int, int, bool]]:
    """(deck id, fact row id, was new) of every study answer of the day to a new or review card.

    The answers that count against the daily limits: effective, counted as
    ``study`` (an overrule as the answer it replaces), the card new or in
    Review state before it.
    """
    r = review_table.alias("r")
    o = review_table.alias("o")
    c = card_table.alias("c")
    stmt = (
        select(c.c.deck_id, c.c.fact_id, state_before_is(r, CardStateKind.NEW))
        .select_from(r)
        .join(c, c.c.id == r.c.card_id)
        .outerjoin(o, o.c.id == r.c.cancels_id)
        .where(r.c.profile_id == profile_id, r.c.study_day == today,
               is_effective(r), answer_kind(r, o) == KIND_STUDY,
               or_(state_before_is(r, CardStateKind.NEW),
                   state_before_is(r, CardStateKind.REVIEW)))
    )
    for deck_id, fact_row_id, was_new in conn.execute(stmt):
        yield deck_id, fact_row_id, bool(was_new)


def last_wrong_form(conn: Connection, profile_id: int, card_id: int) -> str | None:
    """The form of the card's latest effective wrong answer (None: never missed)."""
    r = review_table.alias("r")
    stmt = (select(r.c.form)
            .where(r.c.profile_id == profile_id, r.c.card_id == card_id,
                   r.c.correct == False, r.c.kind.in_(ANSWER_KINDS),  # noqa: E712
                   ~is_cancelled(r))
            .order_by(r.c.id.desc())
            .limit(1))
    form = conn.execute(stmt).scalar()
    return str(form) if form is not None else None
