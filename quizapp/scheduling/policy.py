"""The study rules that sit on top of FSRS, stated once.

- **One memory per fact.** A card is (profile, fact): one FSRS memory that
  answers in a recognise form and in a recall form both update. The form is
  chosen when the fact is shown (recognition while the memory's stability is
  under :data:`~quizapp.scheduling.memory.RECALL_FROM_STABILITY_DAYS` days,
  recall from then on); the rules and how each answer updates the memory are
  :mod:`quizapp.scheduling.memory`'s.
- **Daily limits** count the study day's log: ``new_per_day`` new facts (a
  card answered for the first time) and ``reviews_per_day`` answers to cards
  in Review state. Learning and relearning cards are never held back.
  Practice-test answers count for neither. Limits apply per deck: a (profile,
  deck) override, else the profile's value.
- **Learn ahead**: when nothing else is due, a learning card due within
  :data:`LEARN_AHEAD` is shown early (as Anki does).
- **Leech**: a fact with :data:`LEECH_LAPSES` lapses. It is never suspended
  automatically: it is asked with its evidence shown first, in another form
  than the one last missed, and flagged to the learner and the teacher.
- **Mastered**: a fact whose memory has stability of at least
  :data:`MASTERED_STABILITY_DAYS` days and whose last answer was right.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from quizapp.scheduling.days import DEFAULT_ROLLOVER_HOUR, zone
from quizapp.scheduling.memory import LEECH_LAPSES as LEECH_LAPSES
from quizapp.scheduling.memory import MASTERED_STABILITY_DAYS as MASTERED_STABILITY_DAYS
from quizapp.scheduling.scheduler import (
    DEFAULT_LEARNING_STEPS,
    DEFAULT_RELEARNING_STEPS,
    SchedulerSettings,
    parse_parameters,
    parse_steps,
)

LEARN_AHEAD = timedelta(minutes=20)
DEFAULT_NEW_PER_DAY = 20
DEFAULT_REVIEWS_PER_DAY = 200


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
