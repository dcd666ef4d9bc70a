"""What the calibration chart reads: a profile's answers to facts already learned.

The rows are the profile's *effective study answers* (the review-log rules of
:mod:`quizapp.storage.reviews`: kind ``study`` and the overrules that replace
such answers; cancelled rows, undo rows and practice-test answers are left
out) whose memory was in Review or Relearning before the answer. An overrule
counts at the time of the answer it replaces, with that answer's question
(form and choices) and its own verdict; its ``state_before`` is that
answer's. This module only reads: the prediction is computed by
:mod:`quizapp.scheduling.calibration`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_
from sqlalchemy import select as sa_select

from quizapp.scheduling.state import CardStateKind
from quizapp.storage.engine import Database
from quizapp.storage.models import as_utc
from quizapp.storage.reviewlog import review_table
from quizapp.storage.reviews import KIND_STUDY, answer_kind, is_effective, state_before_is

#: Rows fetched from the database at a time (memory stays bounded on a long log).
BATCH = 2000


@dataclass(frozen=True, slots=True)
class LearnedAnswer:
    """One effective study answer to a fact in Review or Relearning."""

    answered_at: datetime
    state_before: str  # the memory's state before the answer, as JSON (CardState)
    correct: bool
    form: str | None
    choices: str | None  # JSON array of the choices shown, None for a typed answer


def learned_answers(db: Database, profile_id: int) -> Iterator[LearnedAnswer]:
    """The profile's effective study answers to facts in Review or Relearning, in no order.

    Rows are read in batches inside one read; stop iterating (or close the
    iterator) to end the read early.
    """
    r = review_table.alias("r")
    o = review_table.alias("o")
    stmt = (
        sa_select(func.coalesce(o.c.reviewed_at, r.c.reviewed_at), r.c.state_before,
                  r.c.correct, func.coalesce(o.c.form, r.c.form),
                  func.coalesce(o.c.choices, r.c.choices))
        .select_from(r)
        .outerjoin(o, o.c.id == r.c.cancels_id)
        .where(r.c.profile_id == profile_id, is_effective(r),
               answer_kind(r, o) == KIND_STUDY, r.c.correct.is_not(None),
               or_(state_before_is(r, CardStateKind.REVIEW),
                   state_before_is(r, CardStateKind.RELEARNING)))
    )
    with db.engine.connect() as conn:
        result = conn.execution_options(yield_per=BATCH).execute(stmt)
        for when, state, correct, form, choices in result:
            moment = as_utc(when)
            if moment is None or state is None:
                continue
            yield LearnedAnswer(moment, state, bool(correct), form, choices)
