"""Spaced repetition for quizapp: FSRS through the fsrs package, study days and rules.

This package is the only code that imports :mod:`fsrs` and :mod:`fsrs_rs_python`.
One memory per fact (the form a fact is asked in, how an answer updates the
memory, leeches) is :mod:`quizapp.scheduling.memory`; fitting personal
parameters is :mod:`quizapp.scheduling.optimize`.
"""

from quizapp.scheduling.days import day_date, day_start, local_time, study_day
from quizapp.scheduling.policy import (
    LEARN_AHEAD,
    LEECH_LAPSES,
    MASTERED_STABILITY_DAYS,
    StudySettings,
    settings_from,
)
from quizapp.scheduling.scheduler import (
    DEFAULT_PARAMETERS_LIST,
    Rating,
    SchedulerSettings,
    retrievability,
    review,
    to_fsrs_card,
)
from quizapp.scheduling.state import CardState, CardStateKind

__all__ = [
    "DEFAULT_PARAMETERS_LIST",
    "LEARN_AHEAD",
    "LEECH_LAPSES",
    "MASTERED_STABILITY_DAYS",
    "CardState",
    "CardStateKind",
    "Rating",
    "SchedulerSettings",
    "StudySettings",
    "day_date",
    "day_start",
    "local_time",
    "retrievability",
    "review",
    "settings_from",
    "study_day",
    "to_fsrs_card",
]
