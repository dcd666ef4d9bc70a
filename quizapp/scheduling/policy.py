"""The study rules that sit on top of FSRS, stated once.

- **Recall introduction.** A fact's recall card stays new, and is not offered,
  until its recognise card is *stable*: in Review state with stability of at
  least :data:`RECALL_MIN_STABILITY_DAYS` days (FSRS reaches this after a
  couple of successful reviews on different days; the first Good on a new
  card gives about 2.3 days). Exception: when the recognise card can never be
  shown (the deck offers no recognise form for the fact), the recall card is
  offered as a new card straight away.
- **Daily limits** count the study day's log: ``new_per_day`` new *facts*
  (a fact counts when any of its new cards is answered, so a recall card's
  introduction counts as that fact's first production), and
  ``reviews_per_day`` answers to cards in Review state. Learning and
  relearning cards are never held back. Practice-test answers count for
  neither. Limits apply per deck: a (profile, deck) override, else the
  profile's value.
- **Siblings**: a card is not shown on a study day on which the other card of
  its fact was shown.
- **Learn ahead**: when nothing else is due, a learning card due within
  :data:`LEARN_AHEAD` is shown early (as Anki does).
- **Leech**: an Again that brings a card to :data:`LEECH_LAPSES` lapses (and
  every :data:`LEECH_REPEAT` lapses after that) suspends the card and flags
  its fact to the learner.
- **Mastered**: a fact whose recall card has stability of at least
  :data:`MASTERED_STABILITY_DAYS` days and whose last answer was right.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from quizapp.scheduling.days import DEFAULT_ROLLOVER_HOUR, zone
from quizapp.scheduling.scheduler import (
    DEFAULT_LEARNING_STEPS,
    DEFAULT_RELEARNING_STEPS,
    SchedulerSettings,
    parse_parameters,
    parse_steps,
)

RECALL_MIN_STABILITY_DAYS = 3.0
LEECH_LAPSES = 8
LEECH_REPEAT = 4
LEARN_AHEAD = timedelta(minutes=20)
MASTERED_STABILITY_DAYS = 21.0
DEFAULT_NEW_PER_DAY = 20
DEFAULT_REVIEWS_PER_DAY = 200


def is_recall_ready(recognise_state: int, recognise_stability: float | None) -> bool:
    """Whether a fact's recall card may be introduced, judged by its recognise card."""
    return (recognise_state == 2 and recognise_stability is not None
            and recognise_stability >= RECALL_MIN_STABILITY_DAYS)


def is_new_leech(lapses_before: int, lapses_after: int) -> bool:
    """Whether this answer's lapse makes the card a leech (8 lapses, then every 4)."""
    return (lapses_after > lapses_before and lapses_after >= LEECH_LAPSES
            and (lapses_after - LEECH_LAPSES) % LEECH_REPEAT == 0)


@dataclass(frozen=True, slots=True)
class StudySettings:
    """Everything that decides what a (profile, deck) studies and when."""

    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    new_per_day: int = DEFAULT_NEW_PER_DAY
    reviews_per_day: int = DEFAULT_REVIEWS_PER_DAY
    rollover_hour: int = DEFAULT_ROLLOVER_HOUR
    timezone: str | None = None

    def __post_init__(self) -> None:
        if self.new_per_day < 0 or self.reviews_per_day < 0:
            raise ValueError("daily limits cannot be negative")
        if not 0 <= self.rollover_hour <= 23:
            raise ValueError("the rollover hour must be between 0 and 23")
        zone(self.timezone)


class ProfileSettingsLike(Protocol):
    """The settings columns of a profile row."""

    desired_retention: float
    new_per_day: int
    reviews_per_day: int
    rollover_hour: int
    timezone: str | None
    learning_steps: str
    relearning_steps: str
    maximum_interval: int
    fuzz: bool
    fsrs_parameters: str | None


class DeckOverrideLike(Protocol):
    """The override columns of a (profile, deck) row."""

    desired_retention: float | None
    new_per_day: int | None
    reviews_per_day: int | None


def settings_from(profile: ProfileSettingsLike,
                  override: DeckOverrideLike | None = None) -> StudySettings:
    """A profile's settings with a (profile, deck) row's overrides applied."""
    retention = profile.desired_retention
    new_per_day = profile.new_per_day
    reviews_per_day = profile.reviews_per_day
    if override is not None:
        if override.desired_retention is not None:
            retention = override.desired_retention
        if override.new_per_day is not None:
            new_per_day = override.new_per_day
        if override.reviews_per_day is not None:
            reviews_per_day = override.reviews_per_day
    return StudySettings(
        scheduler=SchedulerSettings(
            desired_retention=retention,
            learning_steps=parse_steps(profile.learning_steps, DEFAULT_LEARNING_STEPS),
            relearning_steps=parse_steps(profile.relearning_steps, DEFAULT_RELEARNING_STEPS),
            maximum_interval=profile.maximum_interval,
            fuzz=bool(profile.fuzz),
            parameters=parse_parameters(profile.fsrs_parameters),
        ),
        new_per_day=new_per_day,
        reviews_per_day=reviews_per_day,
        rollover_hour=profile.rollover_hour,
        timezone=profile.timezone,
    )


def steps_json(steps: tuple[int, ...]) -> str:
    """Steps in seconds as stored in the profile table."""
    return json.dumps([int(s) for s in steps])
