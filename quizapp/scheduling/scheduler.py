"""FSRS through the fsrs package: settings, the card mapping and one review.

This package is the only code that imports :mod:`fsrs`. A card row maps to an
``fsrs.Card`` as follows: ``state`` 0 (new, never answered) becomes a fresh
Learning card at step 0; states 1-3 are fsrs' Learning, Review and Relearning
with their step, stability, difficulty, due and last review. An answer's
rating and time go to :class:`quizapp.scheduling.fsrs6.Step`, the arithmetic
of ``fsrs.Scheduler.review_card`` on plain values (an answer waits for it), so
intervals are exactly the library's: bit for bit, the fuzz's random draws
included (``tests/test_scheduling.py`` compares the two).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from functools import lru_cache

from fsrs import Card, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.scheduling.fsrs6 import Step
from quizapp.scheduling.state import CardState, CardStateKind

log = logging.getLogger(__name__)

DEFAULT_LEARNING_STEPS: tuple[int, ...] = (60, 600)  # seconds
DEFAULT_RELEARNING_STEPS: tuple[int, ...] = (600,)
DEFAULT_PARAMETERS_LIST: tuple[float, ...] = tuple(float(p) for p in DEFAULT_PARAMETERS)


class Rating(IntEnum):
    """How well an answer went, as FSRS sees it (same numbers as ``fsrs.Rating``)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


@dataclass(frozen=True, slots=True)
class SchedulerSettings:
    """The FSRS options of one (profile, deck)."""

    desired_retention: float = 0.9
    learning_steps: tuple[int, ...] = DEFAULT_LEARNING_STEPS  # seconds
    relearning_steps: tuple[int, ...] = DEFAULT_RELEARNING_STEPS  # seconds
    maximum_interval: int = 36500  # days
    fuzz: bool = True
    parameters: tuple[float, ...] = DEFAULT_PARAMETERS_LIST

    def __post_init__(self) -> None:
        if not 0.0 < self.desired_retention < 1.0:
            raise ValueError("desired retention must be between 0 and 1 (e.g. 0.9)")
        if self.maximum_interval < 1:
            raise ValueError("the maximum interval must be at least one day")
        if any(s <= 0 for s in (*self.learning_steps, *self.relearning_steps)):
            raise ValueError("learning and relearning steps must be positive seconds")
        check_parameters(self.parameters)


def check_parameters(parameters: Sequence[float]) -> None:
    """Raise ValueError unless ``parameters`` is a valid FSRS parameter list for fsrs."""
    Scheduler(parameters=tuple(float(p) for p in parameters))


def parse_steps(text: str | None, default: tuple[int, ...]) -> tuple[int, ...]:
    """Steps stored as a JSON list of seconds."""
    if not text:
        return default
    value = json.loads(text)
    if not isinstance(value, list):
        raise ValueError(f"steps must be a JSON list of seconds, not {text!r}")
    return tuple(int(v) for v in value)


def parse_parameters(text: str | None) -> tuple[float, ...]:
    """Personal FSRS parameters stored as JSON; the defaults when absent or unusable.

    The stored text is a plain list of numbers (the first form) or an object
    whose ``"parameters"`` is that list, or null for the defaults (what a fit
    leaves behind: :class:`quizapp.scheduling.optimize.FitRecord`).
    """
    if not text:
        return DEFAULT_PARAMETERS_LIST
    try:
        stored = json.loads(text)
        if isinstance(stored, dict):
            stored = stored.get("parameters")
            if stored is None:
                return DEFAULT_PARAMETERS_LIST
        if not isinstance(stored, list):
            raise TypeError(f"not a list of numbers: {text[:80]!r}")
        value = tuple(float(v) for v in stored)
        check_parameters(value)
    except (ValueError, TypeError) as exc:
        log.warning("ignoring stored FSRS parameters (%s); using the defaults", exc)
        return DEFAULT_PARAMETERS_LIST
    return value


@lru_cache(maxsize=64)
def _step(settings: SchedulerSettings) -> Step:
    return Step(settings.parameters, settings.desired_retention,
                tuple(timedelta(seconds=s) for s in settings.learning_steps),
                tuple(timedelta(seconds=s) for s in settings.relearning_steps),
                settings.maximum_interval, settings.fuzz)


def to_fsrs_card(state: CardState, now: datetime, card_id: int = 0) -> Card:
    """The ``fsrs.Card`` for a card state (a new card becomes a fresh Learning card)."""
    if state.is_new:
        return Card(card_id=card_id, state=State.Learning, step=0, due=_utc(now))
    assert state.due is not None, "a card that was answered has a due time"
    return Card(
        card_id=card_id,
        state=State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=_utc(state.due),
        last_review=_utc(state.last_review) if state.last_review is not None else None,
    )


def review(state: CardState, rating: int, now: datetime,
           settings: SchedulerSettings) -> CardState:
    """The card's state after an answer rated ``rating`` (1-4) at ``now``.

    Counts the answer in ``reps``; an Again on a card in Review state is a lapse.
    ``suspended`` and ``last_shown_day`` are left to the caller.
    """
    rating = Rating(rating)
    now = _utc(now)
    step: int | None
    stability: float | None
    difficulty: float | None
    if state.is_new:
        kind, step, stability, difficulty, last = int(State.Learning), 0, None, None, None
    else:
        assert state.due is not None, "a card that was answered has a due time"
        kind = int(State(state.state))
        step, stability, difficulty = state.step, state.stability, state.difficulty
        last = _utc(state.last_review) if state.last_review is not None else None
    kind, step, stability, difficulty, due = _step(settings).review(
        kind, step, stability, difficulty, last, int(rating), now)
    lapse = state.state == CardStateKind.REVIEW and rating is Rating.AGAIN
    return CardState(kind, step, float(stability), float(difficulty), due, now,
                     state.reps + 1, state.lapses + (1 if lapse else 0), state.suspended,
                     state.last_shown_day)


def retrievability(state: CardState, now: datetime, settings: SchedulerSettings) -> float:
    """The predicted chance of recalling the card at ``now`` (0 for a new card)."""
    if state.is_new:
        return 0.0
    assert state.due is not None, "a card that was answered has a due time"
    last = _utc(state.last_review) if state.last_review is not None else None
    return float(_step(settings).retrievability(state.stability, last, _utc(now)))


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime given; pass an aware UTC time")
    return value.astimezone(UTC)
