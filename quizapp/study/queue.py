"""The study queues: which cards come next, and what a session keeps of them.

The candidate queues (a card whose answer was just undone, due learning
cards, due reviews, new cards, learning cards due soon), the rows a session
keeps of each and the day's counts for the limits; the session
(:mod:`quizapp.study.session`) serves them in order, keeping them in memory
on an SQLite file. The statements that read the head of each queue are
storage's (:mod:`quizapp.storage.study`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from quizapp.scheduling import CardState, CardStateKind
from quizapp.storage import study as _storage

# Candidate queues, in the order they are served (the numbers the statements know).
_Q_PREFERRED = _storage.Q_PREFERRED  # the card whose answer was just undone
_Q_LEARNING = _storage.Q_LEARNING  # learning / relearning cards that are due now
_Q_REVIEW = _storage.Q_REVIEW  # review cards due before the study day ends
_Q_NEW = _storage.Q_NEW  # new cards (facts never answered), in deck order
_Q_LEARN_AHEAD = _storage.Q_LEARN_AHEAD  # learning cards due within LEARN_AHEAD

_BATCH = 8  # candidates per queue in one candidate list
_KEPT_BATCH = 64  # cards fetched per queue when the queue is kept in memory (SQLite files)
_LEARN_HORIZON = timedelta(hours=1)  # learning cards fetched this far past LEARN_AHEAD
_LAST_ID = sys.maxsize


@dataclass(frozen=True, slots=True)
class _Candidate:
    card_id: int
    deck_id: int
    fact_row_id: int
    fact_key: str
    family: str  # the family the fact was last asked in
    reps: int
    reported_forms: str
    queue: int
    state: int = 0
    stability: float | None = None
    lapses: int = 0
    # The rest of the card's state as it was read; ``whole``: all of it was.
    step: int | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    last_shown_day: int | None = None
    due: datetime | None = None
    whole: bool = False

    def held_state(self) -> CardState | None:
        """The card's scheduling state as it was read (None: not read whole).

        An answer is scheduled from it only once the card's row is found to
        be still exactly so (:meth:`quizapp.storage.writer.AnswerWriter.write_held_card`).
        """
        if not self.whole:
            return None
        return CardState(self.state, self.step, self.stability, self.difficulty, self.due,
                         self.last_review, self.reps, self.lapses, False, self.last_shown_day)


@dataclass(slots=True)
class _DayCounts:
    """What the current study day's log already holds, per deck."""

    day: int
    new_facts: dict[int, set[int]] = field(default_factory=dict)
    reviews: dict[int, int] = field(default_factory=dict)

    def add(self, deck_id: int, fact_row_id: int, state_before: int, sign: int = 1) -> None:
        if state_before == CardStateKind.NEW:
            facts = self.new_facts.setdefault(deck_id, set())
            if sign > 0:
                facts.add(fact_row_id)
            else:
                facts.discard(fact_row_id)
        elif state_before == CardStateKind.REVIEW:
            self.reviews[deck_id] = max(0, self.reviews.get(deck_id, 0) + sign)


@dataclass(slots=True)
class _Row:
    """A card waiting in an in-memory queue: what a question and its order need."""

    card_id: int
    deck_id: int
    fact_row_id: int
    fact_key: str
    family: str
    reps: int
    reported_forms: str
    due: datetime | None
    state: int = 0
    stability: float | None = None
    lapses: int = 0
    step: int | None = None
    difficulty: float | None = None
    last_review: datetime | None = None
    last_shown_day: int | None = None

    def key(self) -> tuple[datetime, int]:
        """The serving order of learning and review cards (due, then id)."""
        assert self.due is not None
        return (self.due, self.card_id)


@dataclass(slots=True)
class _Part:
    """The head of one queue, fetched in serving order, kept in step with this session.

    ``bound``: every eligible card whose (due, id) is at most this key is in
    ``rows``; None when the whole queue is. (The new queue only tells whether
    it is whole: its cards are never put back.)
    """

    rows: list[_Row]
    bound: tuple[datetime, int] | None


def _candidate(row: _Row, queue: int) -> _Candidate:
    return _Candidate(row.card_id, row.deck_id, row.fact_row_id, row.fact_key, row.family,
                      row.reps, row.reported_forms, queue, row.state, row.stability, row.lapses,
                      row.step, row.difficulty, row.last_review, row.last_shown_day, row.due,
                      True)

