"""Calibration of a learner's predicted recall: the figures behind the Progress chart.

Reads the learner's answers to facts already learned
(:func:`quizapp.storage.calibration.learned_answers`), predicts each with the
scheduler and the profile's FSRS parameters
(:func:`quizapp.scheduling.calibration.predicted_recall`), allows for lucky
picks where the question had choices (:func:`guess_chance`), and bins the
predictions (:class:`quizapp.scheduling.calibration.CalibrationTally`).
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from quizapp.questions.model import Form
from quizapp.scheduling import CardState
from quizapp.scheduling.calibration import (
    MIN_ANSWERS,
    Calibration,
    CalibrationTally,
    chance_right,
    predicted_recall,
)

if TYPE_CHECKING:
    from quizapp.services.collection import Collection

__all__ = ["MIN_ANSWERS", "Calibration", "guess_chance", "recall_calibration"]


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


def recall_calibration(collection: Collection, profile_id: int) -> Calibration:
    """Predicted against actual recall over the profile's answers to facts already learned."""
    from quizapp.services.profiles import profile_settings
    from quizapp.storage.calibration import learned_answers

    settings = profile_settings(collection, profile_id).scheduler
    tally = CalibrationTally()
    for row in learned_answers(collection, profile_id):
        try:
            state = CardState.from_json(row.state_before)
        except (ValueError, TypeError):
            continue  # a state the log cannot be read back from predicts nothing
        recall = predicted_recall(state, row.answered_at, settings)
        if recall is None:
            continue
        tally.add(chance_right(recall, guess_chance(row.form, row.choices)), row.correct)
    return tally.result()
