"""SQL building blocks for reading the review log the same way everywhere.

The log is append-only. An *answer* is a row of kind ``study``, ``test`` or
``overrule``; an ``undo`` row (and an ``overrule`` row) names the row it
cancels in ``cancels_id``. A row is *cancelled* when any row names it, and
statistics, daily limits and the optimizer read only *effective answers*:
answer rows that are not cancelled. An overrule row stands in for the answer it
cancels, so its *answer kind* is that row's kind (``study`` or ``test``), its
study day is that row's, and its ``state_before`` is that row's.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import ColumnElement, Executable, Result, Table, and_, case, select
from sqlalchemy.sql.expression import FromClause
from sqlmodel import Session

from quizapp.scheduling.state import state_prefix
from quizapp.storage.models import CardRow, FactRow, ReviewRow

KIND_STUDY: Final = "study"
KIND_TEST: Final = "test"
KIND_UNDO: Final = "undo"
KIND_OVERRULE: Final = "overrule"
ANSWER_KINDS: Final = (KIND_STUDY, KIND_TEST, KIND_OVERRULE)

review_table: Table = ReviewRow.__table__  # type: ignore[attr-defined]
card_table: Table = CardRow.__table__  # type: ignore[attr-defined]
fact_table: Table = FactRow.__table__  # type: ignore[attr-defined]


def is_cancelled(r: FromClause) -> ColumnElement[bool]:
    """True for a review row that another row cancels (correlated, uses ix_review_cancels)."""
    x = review_table.alias("cancel_x")
    # Selecting the indexed column keeps the probe on the covering index
    # ix_review_cancels even when ANALYZE statistics (a column of mostly NULLs)
    # would make a table lookup look costly.
    return select(x.c.cancels_id).where(x.c.cancels_id == r.c.id).exists()


def is_effective(r: FromClause) -> ColumnElement[bool]:
    """True for an answer row (study, test, overrule) that nothing cancels."""
    return and_(r.c.kind.in_(ANSWER_KINDS), ~is_cancelled(r))


def answer_kind(r: FromClause, original: FromClause) -> ColumnElement[Any]:
    """``study`` or ``test``: the kind an answer row counts as.

    ``original`` must be outer-joined on ``original.id == r.cancels_id``.
    """
    return case((r.c.kind == KIND_OVERRULE, original.c.kind), else_=r.c.kind)


def state_before_is(r: FromClause, state: int) -> ColumnElement[bool]:
    """True for rows whose card was in ``state`` before the answer."""
    return r.c.state_before.like(state_prefix(state) + "%")


# Plain-SQL spellings of the same rules, for statements written as text. ``alias``
# names the review row; the fragments are the same on SQLite and PostgreSQL.
ANSWER_KINDS_SQL: Final = "(" + ", ".join(f"'{k}'" for k in ANSWER_KINDS) + ")"


def not_cancelled_sql(alias: str) -> str:
    """SQL: the review row ``alias`` is not cancelled.

    Written as ``NOT IN`` the list of cancelled ids, which the database reads
    once per statement from ``ix_review_cancels`` (only the few non-NULL
    entries): cheaper than a correlated probe per row when a statement reads
    many rows. For a statement that reads a handful of rows, prefer
    :func:`is_cancelled`, whose cost does not grow with the whole log's undos.
    """
    return f"{alias}.id NOT IN (SELECT cancels_id FROM review WHERE cancels_id IS NOT NULL)"


def run(session: Session, stmt: Executable) -> Result[*tuple[Any, ...]]:
    """Execute a Core statement through ``Session.exec`` and return its rows.

    SQLModel types ``exec`` only for its own ``select()`` of up to four
    columns; wider Core selects and compound statements are the same at run
    time, so the one type exception lives here.
    """
    result: Result[*tuple[Any, ...]] = session.exec(stmt)  # type: ignore[call-overload]
    return result
