"""What the calibration chart reads: a profile's answers to facts already learned.

The rows are the profile's *effective study answers* (the review-log rules of
:mod:`quizapp.storage.reviews`: kind ``study`` and the overrules that replace
such answers; cancelled rows, undo rows and practice-test answers are left
out) whose memory was in Review or Relearning before the answer. An overrule
counts at the time of the answer it replaces, with that answer's question
(form and choices) and its own verdict; its state before is that
answer's. This module only reads: the prediction is computed by
:mod:`quizapp.scheduling.calibration`.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import TextClause, text

from quizapp.scheduling.state import CardState, CardStateKind
from quizapp.storage.dialect import is_sqlite
from quizapp.storage.engine import Database
from quizapp.storage.models import as_utc
from quizapp.storage.reviews import KIND_OVERRULE, KIND_STUDY, not_cancelled_sql
from quizapp.storage.reviewstate import BEFORE_COLUMNS, state_from_values

#: Rows fetched from the database at a time (memory stays bounded on a long log).
BATCH = 2000


@dataclass(frozen=True, slots=True)
class LearnedAnswer:
    """One effective study answer to a fact in Review or Relearning."""

    answered_at: datetime
    state_before: CardState  # the memory's state before the answer
    correct: bool
    form: str | None
    choices: str | None  # JSON array of the choices shown, None for a typed answer


# Study answers and overrules whose state before was Review or Relearning, read
# through ix_review_day_cover (profile, study day, kind, right, state before,
# cancels) as the true-retention pass of quizapp.storage.browse reads it; the
# cancelled rows are left out with one NOT IN list of the cancelling rows, and
# an overrule takes the time and question of the answer it replaces. Newest
# first (by the study day and id of the row), so that a limit keeps the latest.
_LEARNED_SQL = f"""
SELECT COALESCE(o.reviewed_at, r.reviewed_at), {{before}}, r.correct,
       COALESCE(o.form, r.form), COALESCE(o.choices, r.choices)
FROM review r {{by_day}} LEFT JOIN review o ON o.id = r.cancels_id
WHERE r.profile_id = :p AND r.kind IN (:study, :overrule)
  AND r.before_state IN (:in_review, :in_relearning)
  AND r.correct IS NOT NULL
  AND {not_cancelled_sql("r")}
  AND (r.kind = :study OR o.kind = :study)
ORDER BY r.study_day DESC, r.id DESC
LIMIT :limit
"""
_BEFORE = ", ".join(f"r.{c}" for c in BEFORE_COLUMNS)
_LEARNED: TextClause = text(_LEARNED_SQL.format(by_day="INDEXED BY ix_review_day_cover",
                                                before=_BEFORE))
_LEARNED_OTHER: TextClause = text(_LEARNED_SQL.format(by_day="", before=_BEFORE))


def learned_answers(db: Database, profile_id: int,
                    limit: int) -> Generator[LearnedAnswer, None, None]:
    """The profile's latest ``limit`` effective study answers to facts in Review or
    Relearning, newest first (by study day, then by the order they were logged).

    Rows are read in batches inside one read; stop iterating (or close the
    iterator) to end the read early.
    """
    with db.engine.connect() as conn:
        stmt = _LEARNED if is_sqlite(conn.dialect.name) else _LEARNED_OTHER
        result = conn.execution_options(yield_per=BATCH).execute(stmt, {
            "p": profile_id, "study": KIND_STUDY, "overrule": KIND_OVERRULE,
            "in_review": int(CardStateKind.REVIEW),
            "in_relearning": int(CardStateKind.RELEARNING), "limit": int(limit)})
        for when, *values in result:
            correct, form, choices = values[-3:]
            moment = as_utc(when)
            state = state_from_values(values[:-3])
            if moment is None or state is None:
                continue
            yield LearnedAnswer(moment, state, bool(correct), form, choices)
