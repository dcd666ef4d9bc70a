"""The learner's pace: how fast they usually answer a question form right.

A right answer is rated Hard when slow and Easy when quick *for this learner*
(:func:`quizapp.questions.grading.rating_for`); the typical time of a form is
read from their latest right answers of that form (at most
:data:`PACE_SAMPLES` of the last :data:`PACE_DAYS` days) once per sitting and
then kept up to date with the sitting's own answers.
"""

from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import Any

from quizapp.questions.grading import typical_response_ms
from quizapp.scheduling import StudySettings, study_day
from quizapp.storage import reviewlog
from quizapp.storage.study import SittingConnection

PACE_SAMPLES = 50  # recent right answers per form that define the learner's pace
PACE_MIN_SAMPLES = 5
PACE_DAYS = 60


class Pace:
    """One profile's typical response time per question form, read on a sitting's connection."""

    def __init__(self, profile_id: int, settings: StudySettings,
                 link: SittingConnection[Any]) -> None:
        self._profile_id = profile_id
        self._settings = settings
        self._link = link
        self._samples: dict[str, deque[int]] = {}

    def typical_ms(self, form: str, now: datetime) -> int | None:
        """The learner's typical time for a right answer in ``form``; None with too few."""
        samples = self.samples(form, now)
        if len(samples) < PACE_MIN_SAMPLES:
            return None
        return typical_response_ms(list(samples))

    def samples(self, form: str, now: datetime) -> deque[int]:
        """The latest right answers' times in ``form``, oldest first (append new ones)."""
        samples = self._samples.get(form)
        if samples is None:
            today = study_day(now, self._settings.rollover_hour, self._settings.timezone)
            since = today - PACE_DAYS
            with self._link.unit() as conn:
                values = reviewlog.right_response_ms(conn, self._profile_id, since, form,
                                                     PACE_SAMPLES)
            samples = deque(reversed(values), maxlen=PACE_SAMPLES)
            self._samples[form] = samples
        return samples
