"""Practice tests' statements: the cards a test may ask, and the tests a profile took.

A practice test's answers are written by :mod:`quizapp.storage.writer` like
every other answer (kind ``test``); this module only reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session

from quizapp.storage.models import CardRow, DeckRow, FactRow, ReviewRow, StudySessionRow, as_utc
from quizapp.storage.reviewlog import card_table, review_table, run
from quizapp.storage.reviews import KIND_TEST, answer_kind, is_effective, with_original


def profile_card_rows(s: Session, profile_id: int,
                      deck_keys: Sequence[str]) -> list[tuple[str, str, int, str | None]]:
    """(deck key, fact key, card id, reported forms) of the profile's cards (one per
    fact) in these decks that a test may ask: not suspended, fact not retired."""
    stmt = (
        sa_select(DeckRow.key, FactRow.key, CardRow.id,  # type: ignore[call-overload]
                  CardRow.reported_forms)
        .join(FactRow, FactRow.id == CardRow.fact_id)
        .join(DeckRow, DeckRow.id == CardRow.deck_id)
        .where(CardRow.profile_id == profile_id, CardRow.suspended == False,  # noqa: E712
               FactRow.retired == False, DeckRow.key.in_(list(deck_keys)))  # type: ignore[attr-defined]  # noqa: E712
    )
    return [tuple(row) for row in s.exec(stmt)]


def session_of_review(s: Session, review_id: int) -> int | None:
    """The study-session row of the review ``review_id`` (None if there is none)."""
    row = s.get(ReviewRow, review_id)
    return row.session_id if row is not None else None


def practice_test_rows(
        s: Session, profile_id: int,
) -> list[tuple[int, datetime | None, datetime | None, str, int, int, int]]:
    """Per (test session, deck): session id, start, end, deck name, answers, right
    answers and first study day, in session order then deck name.

    A test is a study session with effective answers that count as kind
    ``test`` (an overruled answer counts as the overrule says; undone answers
    not at all).
    """
    r = review_table.alias("r")
    o = review_table.alias("o")
    c = card_table.alias("c")
    d = DeckRow.__table__.alias("d")  # type: ignore[attr-defined]
    st = StudySessionRow.__table__.alias("st")  # type: ignore[attr-defined]
    right = func.coalesce(func.sum(case((r.c.correct == True, 1), else_=0)), 0)  # noqa: E712
    stmt = (
        sa_select(r.c.session_id, st.c.started_at, st.c.ended_at, d.c.name,
                  func.count(), right, func.min(r.c.study_day))
        .select_from(with_original(r, o)
                     .join(c, c.c.id == r.c.card_id)
                     .join(d, d.c.id == c.c.deck_id)
                     .join(st, st.c.id == r.c.session_id))
        .where(r.c.profile_id == profile_id, is_effective(r),
               answer_kind(r, o) == KIND_TEST)
        .group_by(r.c.session_id, st.c.started_at, st.c.ended_at, d.c.name)
        .order_by(r.c.session_id, d.c.name)
    )
    out: list[tuple[int, datetime | None, datetime | None, str, int, int, int]] = []
    for sid, started, ended, deck, n, right_n, day in run(s, stmt):
        row: Any = (int(sid), as_utc(started), as_utc(ended), deck, int(n), int(right_n),
                    int(day))
        out.append(row)
    return out
