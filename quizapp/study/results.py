"""What a study sitting hands back: an answer's feedback, an undo, a refused answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from quizapp.questions.model import Evidence, Verdict
from quizapp.scheduling import CardState


class StaleQuestionError(ValueError):
    """The question's card was answered since the question was built (e.g. a double submit)."""


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """The feedback for one recorded answer (the review row is already committed)."""

    review_id: int
    card_id: str
    fact_id: str
    kind: str  # study | test | overrule
    correct: bool
    verdict: Verdict
    message: str
    correct_answer: str
    given: str | None
    evidence: Evidence
    rating: int
    state: int  # the card's state after the answer (0 new … 3 relearning)
    due: datetime | None  # None only for a test answer to a card that is still new
    interval: timedelta | None  # due − now
    leech: bool = False  # this answer made the card a leech: it is now suspended


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What an undo did: the cancelling row, the cancelled row and the restored card."""

    review_id: int
    cancelled_id: int
    card_id: str
    state: CardState
