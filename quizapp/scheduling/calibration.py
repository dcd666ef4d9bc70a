"""Calibration: how well the scheduler's predicted recall matches what the learner recalled.

Each answer to a fact the learner had already learned (its memory was in
Review or Relearning, with a stability), given a day or more after the
previous answer, has a prediction: the memory's
retrievability at the time of the answer, from the state before the answer
(:class:`RecallPredictor`: the scheduler's retrievability with the profile's
parameters). Where a right answer could be a lucky pick (a question
with choices), the prediction is the chance of a right answer,
``R + (1 − R) · guess`` (:func:`chance_right`), so that the two sides compare
like with like.

The answers are put in bins by prediction (:class:`CalibrationTally`):

- first into 20 bins 5 percentage points wide (0–5%, …, 95–100%; a
  prediction of exactly 100% goes in the last);
- then, from the lowest prediction up, neighbouring bins are joined until each
  holds at least a tenth of the answers and at least :data:`MIN_BIN_ANSWERS`;
  a remainder at the top that falls short joins the bin below it. Empty bins
  disappear, so there are at most 10 bins, fewer when answers are few, each
  named by the range of its non-empty 5-point bins.

Each bin reports its answers, their mean prediction and the share of them that
were right. The overall figures are the mean prediction and the share right,
the log loss (mean of ``−ln p`` of what happened, predictions held within
``[1e-6, 1 − 1e-6]``) and the RMSE over the bins (the root of the
answer-weighted mean of the squared gap between a bin's mean prediction and
its share right). Below :data:`MIN_ANSWERS` answers there is too little to
judge and the screens show an empty state instead. The screens read the
latest :data:`LATEST_ANSWERS` answers at most (``limit``; :attr:`Calibration.latest`
says whether the limit was reached).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizapp.scheduling.scheduler import SchedulerSettings
from quizapp.scheduling.state import CardState, CardStateKind

MIN_ANSWERS = 50
LATEST_ANSWERS = 10_000
MIN_BIN_ANSWERS = 10
MAX_BINS = 10
FINE_BINS = 20
_EPS = 1e-6
_LEARNED = (int(CardStateKind.REVIEW), int(CardStateKind.RELEARNING))


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """Answers whose prediction fell in ``[low, high)`` (the last bin includes 1)."""

    low: float
    high: float
    answers: int
    right: int
    predicted: float  # mean prediction of the bin's answers

    @property
    def actual(self) -> float:
        """The share of the bin's answers that were right."""
        return self.right / self.answers

    def to_json(self) -> dict[str, Any]:
        """The bin as JSON-ready values."""
        return {"low": self.low, "high": self.high, "answers": self.answers,
                "right": self.right, "predicted": self.predicted, "actual": self.actual}


@dataclass(frozen=True, slots=True)
class Calibration:
    """Predicted against actual recall, by bins and overall."""

    bins: tuple[CalibrationBin, ...]
    answers: int
    right: int
    predicted: float | None  # mean prediction; None without answers
    log_loss: float | None
    rmse_bins: float | None
    min_answers: int = MIN_ANSWERS
    limit: int | None = None  # the most answers read (None: every answer)

    @property
    def actual(self) -> float | None:
        """The share of all answers that were right; None without answers."""
        return self.right / self.answers if self.answers else None

    @property
    def latest(self) -> bool:
        """Whether these are only the latest answers (the limit was reached)."""
        return self.limit is not None and self.answers >= self.limit

    @property
    def enough(self) -> bool:
        """Whether there are enough answers to show the chart."""
        return self.answers >= self.min_answers

    def to_json(self) -> dict[str, Any]:
        """The figures as JSON-ready values."""
        return {"answers": self.answers, "right": self.right, "predicted": self.predicted,
                "actual": self.actual, "log_loss": self.log_loss,
                "rmse_bins": self.rmse_bins, "min_answers": self.min_answers,
                "limit": self.limit, "enough": self.enough,
                "bins": [b.to_json() for b in self.bins]}


class RecallPredictor:
    """The recall the scheduler predicted for answers, from the memory state before each.

    The prediction is FSRS's retrievability with the given parameters,
    ``(1 + f · t / S) ^ −w20`` with ``f = 0.9 ^ (−1 / w20) − 1``, ``S`` the
    stability and ``t`` the whole days since the last review: what
    :func:`quizapp.scheduling.scheduler.retrievability` returns for the same
    state (a test holds the two equal), worked out directly so that a long
    log is read without building an fsrs card per answer.
    """

    def __init__(self, settings: SchedulerSettings) -> None:
        self.decay = -float(settings.parameters[20])
        self.factor = 0.9 ** (1.0 / self.decay) - 1.0

    def recall(self, stability: float, last_review: datetime, answered_at: datetime) -> float:
        """Retrievability ``answered_at``, of a memory of ``stability`` days last reviewed then."""
        days = max(0, (answered_at - last_review).days)
        return float((1.0 + self.factor * days / stability) ** self.decay)

    def before(self, state_before: CardState, answered_at: datetime) -> float | None:
        """The prediction of an answer from the memory's state before it.

        None unless the memory was in Review or Relearning with a stability and
        a last review (a new or learning fact has no prediction to check), None
        for an answer less than a whole day after that review (the forgetting
        curve predicts 100% there: such answers are the learning and relearning
        steps, timed by the steps and not by a prediction, and would make every
        scheduler look over-confident).
        """
        if state_before.state not in _LEARNED:
            return None
        stability = state_before.stability
        last_review = state_before.last_review
        if stability is None or not stability > 0 or last_review is None:
            return None
        if (answered_at - last_review).days < 1:
            return None
        return self.recall(float(stability), last_review, answered_at)


def chance_right(recall: float, guess: float) -> float:
    """The chance of a right answer: recalled, or not recalled and guessed right."""
    r = min(max(recall, 0.0), 1.0)
    return r + (1.0 - r) * min(max(guess, 0.0), 1.0)


class CalibrationTally:
    """Adds answers one at a time (memory does not grow with them); :meth:`result` bins them."""

    def __init__(self, min_answers: int = MIN_ANSWERS, limit: int | None = None) -> None:
        self.min_answers = min_answers
        self.limit = limit
        self._n = [0] * FINE_BINS
        self._right = [0] * FINE_BINS
        self._sum = [0.0] * FINE_BINS
        self._loss = 0.0

    def add(self, predicted: float, right: bool) -> None:
        """One answer: its prediction (0-1) and whether it was right."""
        p = min(max(float(predicted), 0.0), 1.0)
        i = min(int(p * FINE_BINS), FINE_BINS - 1)
        self._n[i] += 1
        self._sum[i] += p
        held = min(max(p, _EPS), 1.0 - _EPS)
        if right:
            self._right[i] += 1
            self._loss -= math.log(held)
        else:
            self._loss -= math.log(1.0 - held)

    def result(self) -> Calibration:
        """The bins and the overall figures of the answers added so far."""
        total = sum(self._n)
        if total == 0:
            return Calibration((), 0, 0, None, None, None, self.min_answers, self.limit)
        floor = max(MIN_BIN_ANSWERS, math.ceil(total / MAX_BINS))
        groups: list[list[int]] = []
        current: list[int] = []
        for i in range(FINE_BINS):
            if not self._n[i]:
                continue
            current.append(i)
            if sum(self._n[j] for j in current) >= floor:
                groups.append(current)
                current = []
        if current:
            if groups:
                groups[-1].extend(current)
            else:
                groups.append(current)
        bins = []
        for group in groups:
            n = sum(self._n[i] for i in group)
            bins.append(CalibrationBin(
                low=group[0] / FINE_BINS, high=(group[-1] + 1) / FINE_BINS, answers=n,
                right=sum(self._right[i] for i in group),
                predicted=sum(self._sum[i] for i in group) / n))
        right = sum(self._right)
        rmse = math.sqrt(sum(b.answers * (b.predicted - b.actual) ** 2 for b in bins) / total)
        return Calibration(tuple(bins), total, right, sum(self._sum) / total,
                           self._loss / total, rmse, self.min_answers, self.limit)


def calibrate(answers: Iterable[tuple[float, bool]],
              min_answers: int = MIN_ANSWERS) -> Calibration:
    """Bin ``(prediction, right)`` pairs (see the module's description)."""
    tally = CalibrationTally(min_answers)
    for predicted, right in answers:
        tally.add(predicted, right)
    return tally.result()
