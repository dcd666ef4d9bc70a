"""One FSRS-6 review step on plain values: the fsrs package's arithmetic, without its objects.

``fsrs.Scheduler.review_card`` copies an ``fsrs.Card``, dispatches on enums
and keyword arguments and builds a review log; for one answer that is most of
its time. :class:`Step` computes the same new state from plain values: the
same formulas, evaluated in the same order on the same ``float`` values (so
the results are equal bit for bit, not merely close), the same learning and
relearning steps, and the same fuzz, drawn from the same global
:mod:`random` generator in the same order (a seeded run stays identical).
``tests/test_scheduling.py`` checks it against ``fsrs.Scheduler`` on random
answer histories, parameters, settings and fuzz; the fsrs package stays the
reference, the parameter check and the optimizer.

The compiled ``fsrs_rs_python`` was measured for this step as well (its
``next_states`` takes about a microsecond, this step a few): it computes in
32-bit floats, so its stabilities differ from the package's by up to
2.5e-6 relatively (20,000 random review states, default parameters) and one
interval in 20,000 rounded to a different whole day; it has no learning
steps or fuzz either. Equal results were preferred to those microseconds.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from random import random

STABILITY_MIN = 0.001
MIN_DIFFICULTY = 1.0
MAX_DIFFICULTY = 10.0
# (start, end, factor) of the fuzz ranges, in days.
FUZZ_RANGES: tuple[tuple[float, float, float], ...] = (
    (2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05))

LEARNING = 1
REVIEW = 2
RELEARNING = 3
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


class Step:
    """FSRS-6 with one set of parameters and options, its constants computed once."""

    __slots__ = (
        "_again_short",
        "_d_easy",
        "_decay",
        "_e8",
        "_factor",
        "_fuzz_ranges",
        "_interval_scale",
        "_learning",
        "_learning_hard0",
        "_relearning",
        "_relearning_hard0",
        "fuzz",
        "maximum_interval",
        "p",
    )

    def __init__(self, parameters: tuple[float, ...], desired_retention: float,
                 learning_steps: tuple[timedelta, ...], relearning_steps: tuple[timedelta, ...],
                 maximum_interval: int, fuzz: bool) -> None:
        p = self.p = tuple(parameters)
        self.maximum_interval = maximum_interval
        self.fuzz = fuzz
        self._decay = -p[20]
        self._factor: float = 0.9 ** (1 / self._decay) - 1
        self._interval_scale: float = (desired_retention ** (1 / self._decay)) - 1
        self._e8: float = math.e ** (p[8])
        self._again_short: float = math.e ** (p[17] * p[18])
        # The initial difficulty of an Easy answer, unclamped (the mean reversion target).
        self._d_easy: float = p[4] - (math.e ** (p[5] * (EASY - 1))) + 1
        self._learning = tuple(learning_steps)
        self._relearning = tuple(relearning_steps)
        self._learning_hard0 = _hard_first_step(self._learning)
        self._relearning_hard0 = _hard_first_step(self._relearning)
        self._fuzz_ranges: dict[int, tuple[int, int]] = {}  # interval days -> fuzz range

    # ------------------------------------------------------------ the formulas

    def retrievability(self, stability: float | None, last_review: datetime | None,
                       now: datetime) -> float:
        """Predicted recall at ``now`` (0 without a stability or a last review)."""
        if last_review is None or stability is None:
            return 0
        elapsed_days = max(0, (now - last_review).days)
        recall: float = (1 + self._factor * elapsed_days / stability) ** self._decay
        return recall

    def _initial_difficulty(self, rating: int) -> float:
        p = self.p
        value: float = p[4] - (math.e ** (p[5] * (rating - 1))) + 1
        return min(max(value, MIN_DIFFICULTY), MAX_DIFFICULTY)

    def _next_difficulty(self, difficulty: float, rating: int) -> float:
        p = self.p
        delta = -(p[6] * (rating - 3))
        damped = difficulty + (10.0 - difficulty) * delta / 9.0
        value: float = p[7] * self._d_easy + (1 - p[7]) * damped
        return min(max(value, MIN_DIFFICULTY), MAX_DIFFICULTY)

    def _short_term_stability(self, stability: float, rating: int) -> float:
        p = self.p
        increase: float = (math.e ** (p[17] * (rating - 3 + p[18]))) * (stability ** -p[19])
        if rating != AGAIN:
            increase = max(increase, 1.0)
        return max(stability * increase, STABILITY_MIN)

    def _next_stability(self, difficulty: float, stability: float, recall: float,
                        rating: int) -> float:
        p = self.p
        value: float
        if rating == AGAIN:
            long_term: float = (p[11] * (difficulty ** -p[12]) * (((stability + 1) ** (p[13])) - 1)
                         * (math.e ** ((1 - recall) * p[14])))
            value = min(long_term, stability / self._again_short)
        else:
            hard_penalty = p[15] if rating == HARD else 1
            easy_bonus = p[16] if rating == EASY else 1
            value = stability * (1 + self._e8 * (11 - difficulty) * (stability ** -p[9])
                                 * ((math.e ** ((1 - recall) * p[10])) - 1)
                                 * hard_penalty * easy_bonus)
        return max(value, STABILITY_MIN)

    def _interval_days(self, stability: float) -> int:
        days = round((stability / self._factor) * self._interval_scale)
        return min(max(days, 1), self.maximum_interval)

    def _fuzz_range(self, days: int) -> tuple[int, int]:
        """The whole days an interval of ``days`` may be fuzzed to, first and last."""
        delta = 1.0
        for start, end, factor in FUZZ_RANGES:
            delta += factor * max(min(float(days), end) - start, 0.0)
        low = max(2, round(days - delta))
        high = min(round(days + delta), self.maximum_interval)
        return min(low, high), high

    def _fuzzed(self, interval: timedelta) -> timedelta:
        days = interval.days
        if days < 2.5:
            return interval
        bounds = self._fuzz_ranges.get(days)
        if bounds is None:
            bounds = self._fuzz_ranges[days] = self._fuzz_range(days)
        low, high = bounds
        fuzzed = (random() * (high - low + 1)) + low
        return timedelta(days=min(round(fuzzed), self.maximum_interval))

    # ------------------------------------------------------------ one review

    def review(self, state: int, step: int | None, stability: float | None,
               difficulty: float | None, last_review: datetime | None, rating: int,
               now: datetime) -> tuple[int, int | None, float, float, datetime]:
        """(state, step, stability, difficulty, due) after an answer rated ``rating`` at ``now``.

        ``state`` is fsrs' (1 learning, 2 review, 3 relearning; a new card is
        a learning card at step 0 with no stability, difficulty or last
        review); ``now`` and ``last_review`` are aware UTC times.
        """
        days_since = (now - last_review).days if last_review is not None else None
        short_term = days_since is not None and days_since < 1
        if state == REVIEW:
            if stability is None or difficulty is None:
                raise AssertionError("a review card has a stability and a difficulty")
            if short_term:
                new_s = self._short_term_stability(stability, rating)
            else:
                new_s = self._next_stability(
                    difficulty, stability, self.retrievability(stability, last_review, now),
                    rating)
            new_d = self._next_difficulty(difficulty, rating)
            if rating == AGAIN and self._relearning:
                state, step, interval = RELEARNING, 0, self._relearning[0]
            elif AGAIN <= rating <= EASY:
                interval = timedelta(days=self._interval_days(new_s))
            else:
                raise ValueError(f"Unknown rating: {rating}")
        elif state in (LEARNING, RELEARNING):
            if step is None:
                if state == RELEARNING:
                    raise AssertionError("a relearning card has a step")
                step = 0
            if state == LEARNING and (stability is None or difficulty is None):
                new_s = max(self.p[rating - 1], STABILITY_MIN)
                new_d = self._initial_difficulty(rating)
            elif stability is None or difficulty is None:
                raise AssertionError("a relearning card has a stability and a difficulty")
            else:
                if short_term:
                    new_s = self._short_term_stability(stability, rating)
                else:
                    new_s = self._next_stability(
                        difficulty, stability,
                        self.retrievability(stability, last_review, now), rating)
                new_d = self._next_difficulty(difficulty, rating)
            steps, hard0 = ((self._learning, self._learning_hard0) if state == LEARNING
                            else (self._relearning, self._relearning_hard0))
            if not steps or (step >= len(steps) and HARD <= rating <= EASY):
                state, step = REVIEW, None
                interval = timedelta(days=self._interval_days(new_s))
            elif rating == AGAIN:
                step, interval = 0, steps[0]
            elif rating == HARD:
                interval = hard0 if step == 0 and hard0 is not None else steps[step]
            elif rating == GOOD:
                if step + 1 == len(steps):
                    state, step = REVIEW, None
                    interval = timedelta(days=self._interval_days(new_s))
                else:
                    step += 1
                    interval = steps[step]
            elif rating == EASY:
                state, step = REVIEW, None
                interval = timedelta(days=self._interval_days(new_s))
            else:
                raise ValueError(f"Unknown rating: {rating}")
        else:
            raise ValueError(f"Unknown card state: {state}")
        if self.fuzz and state == REVIEW:
            interval = self._fuzzed(interval)
        return state, step, new_s, new_d, now + interval


def _hard_first_step(steps: tuple[timedelta, ...]) -> timedelta | None:
    """The Hard interval at the first (re)learning step: 1.5 steps, or the mean of two."""
    if len(steps) == 1:
        return steps[0] * 1.5
    if len(steps) >= 2:
        return (steps[0] + steps[1]) / 2.0
    return None
