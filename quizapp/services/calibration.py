"""Calibration of a learner's predicted recall: the figures behind the Progress chart.

Reads the learner's answers to facts already learned
(:func:`quizapp.storage.calibration.learned_answers`), predicts each with the
scheduler and the profile's FSRS parameters
(:class:`quizapp.scheduling.calibration.RecallPredictor`), allows for lucky
picks where the question had choices (:func:`guess_chance`), and bins the
predictions (:class:`quizapp.scheduling.calibration.CalibrationTally`). Only
the latest :data:`LATEST_ANSWERS` answers are read, so the figures take a
bounded time on however long a log (and follow the learner's memory as it is
now).
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from quizapp.questions.model import Form
from quizapp.scheduling.calibration import (
    LATEST_ANSWERS,
    MIN_ANSWERS,
    Calibration,
    CalibrationTally,
    RecallPredictor,
    chance_right,
)

if TYPE_CHECKING:
    from quizapp.services.collection import Collection

#: The most rows read to find the latest answers that have a prediction.
READ_UP_TO = 4 * LATEST_ANSWERS

__all__ = ["LATEST_ANSWERS", "MIN_ANSWERS", "Calibration", "guess_chance",
           "recall_calibration"]


def guess_chance(form: str | None, choices: str | None) -> float:
    """The chance of a right answer by luck alone in a question of ``form``.

    One in the number of choices shown; for a timeline (events put in order)
    one in the number of orders; none for a typed answer, a cloze or a
    self-rated flashcard, and none when the choices cannot be read.
    """
    if choices is None or form in (Form.TYPED, Form.CLOZE, Form.FLASHCARD):
        return 0.0
    try:
        shown = json.loads(choices)
    except ValueError:
        return 0.0
    n = len(shown) if isinstance(shown, list) else 0
    if n < 2:
        return 0.0
    return 1.0 / math.factorial(n) if form == Form.TIMELINE else 1.0 / n


def recall_calibration(collection: Collection, profile_id: int, *,
                       latest: int = LATEST_ANSWERS) -> Calibration:
    """Predicted against actual recall over the profile's latest ``latest`` answers to facts
    already learned (fewer when there are fewer)."""
    from quizapp.services.profiles import profile_settings
    from quizapp.storage.calibration import learned_answers

    predictor = RecallPredictor(profile_settings(collection, profile_id).scheduler)
    tally = CalibrationTally(limit=latest)
    taken = 0
    # Some rows have no prediction (an answer less than a day after the last
    # review): read on, newest first, until ``latest`` answers are taken.
    rows = learned_answers(collection, profile_id, max(READ_UP_TO, 4 * latest))
    try:
        for row in rows:
            if taken >= latest:
                break
            recall = predictor.before(row.state_before, row.answered_at)
            if recall is not None:
                tally.add(chance_right(recall, guess_chance(row.form, row.choices)), row.correct)
                taken += 1
    finally:
        rows.close()
    return tally.result()
