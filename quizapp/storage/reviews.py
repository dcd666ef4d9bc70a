"""Which review rows count: the one statement of the rule, as SQL building blocks.

The log is append-only. An *answer* is a row of kind ``study``, ``test`` or
``overrule``; an ``undo`` row (and an ``overrule`` row) names the row it
cancels in ``cancels_id``. A row is *cancelled* when any row names it, and
statistics, daily limits and the optimizer read only *effective answers*:
answer rows that are not cancelled. An overrule row stands in for the answer it
cancels, so its *answer kind* is that row's kind (``study`` or ``test``), its
study day is that row's, and its state before (the ``before_*``
columns) is that row's. Practice-test
answers (kind ``test``) are effective answers too; a statement that wants study
answers only asks for :func:`answer_kind` ``== KIND_STUDY``.

Every statement that reads answers uses these helpers: SQLAlchemy expressions
(:func:`is_effective`, :func:`is_cancelled`, :func:`answer_kind`,
:func:`with_original`, :func:`state_before_is`) or, for statements written as
text, :func:`effective_sql`, :func:`not_cancelled_sql` and
:data:`ANSWER_KINDS_SQL`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import ColumnElement, Select, Table, and_, case, func, select, true
from sqlalchemy.sql.expression import FromClause, Join

from quizapp.storage.models import ReviewRow

KIND_STUDY: Final = "study"
KIND_TEST: Final = "test"
KIND_UNDO: Final = "undo"
KIND_OVERRULE: Final = "overrule"
ANSWER_KINDS: Final = (KIND_STUDY, KIND_TEST, KIND_OVERRULE)

_review: Table = ReviewRow.__table__  # type: ignore[attr-defined]


def is_cancelled(r: FromClause) -> ColumnElement[bool]:
    """True for a review row that another row cancels (correlated, uses ix_review_cancels)."""
    x = _review.alias("cancel_x")
    # Selecting the indexed column keeps the probe on the covering index
    # ix_review_cancels even when ANALYZE statistics (a column of mostly NULLs)
    # would make a table lookup look costly.
    return select(x.c.cancels_id).where(x.c.cancels_id == r.c.id).exists()


def is_effective(r: FromClause) -> ColumnElement[bool]:
    """True for an answer row (study, test, overrule) that nothing cancels."""
    return and_(r.c.kind.in_(ANSWER_KINDS), ~is_cancelled(r))


def with_original(r: FromClause, original: FromClause) -> Join:
    """``r`` outer-joined to the row an overrule in ``r`` replaces (for :func:`answer_kind`)."""
    return r.outerjoin(original, original.c.id == r.c.cancels_id)


def answer_kind(r: FromClause, original: FromClause) -> ColumnElement[Any]:
    """``study`` or ``test``: the kind an answer row counts as.

    ``original`` must be outer-joined on ``original.id == r.cancels_id``
    (:func:`with_original`).
    """
    return case((r.c.kind == KIND_OVERRULE, original.c.kind), else_=r.c.kind)


def state_before_is(r: FromClause, state: int) -> ColumnElement[bool]:
    """True for rows whose card was in ``state`` before the answer."""
    return r.c.before_state == int(state)


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


def effective_sql(alias: str) -> str:
    """SQL: the review row ``alias`` is an effective answer (:func:`is_effective` as text)."""
    return f"{alias}.kind IN {ANSWER_KINDS_SQL} AND {not_cancelled_sql(alias)}"


def session_totals(profile_id: int, session_ids: Sequence[int]) -> Select[Any]:
    """Rows (session id, answered, right, last answer time) of these study sessions.

    The totals a sitting keeps of itself, counted from its review rows: each
    study or test answer counts one answered (and one right when it was); an
    overrule of an answer of the same sitting counts one right more; an undo
    of a row of the same sitting takes that row back (one answered, and one
    right when the row was right). A sitting with no review row has no row.
    """
    r = _review.alias("r")
    t = _review.alias("t")  # the row an undo or overrule cancels
    same = t.c.session_id == r.c.session_id
    answer = r.c.kind.in_((KIND_STUDY, KIND_TEST))
    undo_here = and_(r.c.kind == KIND_UNDO, same)
    answered = func.sum(case((answer, 1), (undo_here, -1), else_=0))
    right = func.sum(case(
        (and_(answer, r.c.correct == true()), 1),
        (and_(r.c.kind == KIND_OVERRULE, same), 1),
        (and_(undo_here, t.c.correct == true()), -1), else_=0))
    return (select(r.c.session_id, answered, right, func.max(r.c.reviewed_at))
            .select_from(r.outerjoin(t, t.c.id == r.c.cancels_id))
            .where(r.c.profile_id == profile_id, r.c.session_id.in_(list(session_ids)))
            .group_by(r.c.session_id))
