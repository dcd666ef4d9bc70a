"""Personal FSRS parameters fitted to a learner's own history.

Fitting uses ``fsrs-rs-python``, the binding of the Rust optimizer Anki uses
(no PyTorch): a fit on 10,000 answers takes well under two seconds
(``benchmarks/bench_fit.py`` prints the time).

The fit receives plain rows (:class:`LoggedReview`: time, memory id, rating).
Each answer given on a later study day than the previous answer to the same
memory makes one *training item* (the memory's answers up to and including
it). Items are ordered by the time of their last answer; the latest
:data:`HOLDOUT_SHARE` of them are held back. Parameters are fitted on the rest,
and the current and the fitted parameters are scored on the held-back items by
log loss (``-[y·log R + (1−y)·log(1−R)]``, R the predicted recall, y whether
the answer was right) and RMSE over recall bins, as fsrs-rs evaluates them.
The fitted parameters are adopted only when their held-back log loss is
lower; after a switch the memory states are recomputed from the log
(:func:`quizapp.scheduling.memory.replay`), as Anki does.

A fit needs :data:`MIN_FIT_REVIEWS` training items (answers a day or more
after the previous one); :func:`fit_due` says when an automatic fit is due:
at that threshold and then every :data:`REFIT_EVERY` new answers.

:func:`optimize_profile` reads the profile's effective study answers (kind
``study`` and the overrules that replace them; cancelled rows, undo rows and
practice-test answers are left out) and stores the fitted parameters in
``profile.fsrs_parameters`` when they predict the held-back answers better.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS
from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

from quizapp.scheduling.days import study_day
from quizapp.scheduling.scheduler import DEFAULT_PARAMETERS_LIST

HOLDOUT_SHARE = 0.2
MIN_FIT_REVIEWS = 512  # training items (answers a day or more apart) before a first fit
REFIT_EVERY = 2000  # new answers between automatic fits


@dataclass(frozen=True, slots=True, order=True)
class LoggedReview:
    """One effective answer, as the optimizer sees it (``card_id`` names the memory)."""

    reviewed_at: datetime
    card_id: int
    rating: int
    response_ms: int | None = None
    study_day: int | None = None  # the answer's study day; computed from the time if absent


@dataclass(frozen=True, slots=True)
class Score:
    """How well parameters predict held-back answers."""

    log_loss: float
    rmse_bins: float


@dataclass(frozen=True, slots=True)
class FitResult:
    """A fit on the older answers, scored against the current parameters on the newer ones."""

    current_parameters: tuple[float, ...]
    fitted_parameters: tuple[float, ...] | None
    current: Score | None
    fitted: Score | None
    train_items: int
    holdout_items: int
    split_at: datetime | None  # held-back items are those whose last answer is at or after this
    switch: bool
    reason: str
    fit_seconds: float


def fit_due(training_items: int, answers_since_last_fit: int, fitted_before: bool) -> bool:
    """Whether an automatic fit is due (enough history; then every :data:`REFIT_EVERY` answers)."""
    if training_items < MIN_FIT_REVIEWS:
        return False
    return not fitted_before or answers_since_last_fit >= REFIT_EVERY


def training_items(history: Iterable[LoggedReview], *, rollover_hour: int = 4,
                   timezone: str | None = "UTC") -> list[tuple[datetime, FSRSItem]]:
    """One fsrs-rs item per answer given on a later study day than the memory's previous one,
    with the time of that answer, oldest first."""
    by_card: dict[int, list[LoggedReview]] = defaultdict(list)
    for h in history:
        by_card[h.card_id].append(h)
    stamped: list[tuple[datetime, FSRSItem]] = []
    for reviews in by_card.values():
        reviews.sort()
        so_far: list[FSRSReview] = []
        last_day: int | None = None
        for h in reviews:
            day = (h.study_day if h.study_day is not None
                   else study_day(h.reviewed_at, rollover_hour, timezone))
            delta = 0 if last_day is None else day - last_day
            so_far.append(FSRSReview(int(h.rating), int(delta)))
            if delta > 0:
                stamped.append((h.reviewed_at, FSRSItem(list(so_far))))
            last_day = day
    stamped.sort(key=lambda x: x[0])
    return [(t, it) for t, it in stamped if it.long_term_review_cnt() > 0]


def clamp_parameters(parameters: Sequence[float]) -> tuple[float, ...]:
    """Parameters within the bounds the scheduler accepts."""
    return tuple(min(max(float(p), lo), hi) for p, lo, hi
                 in zip(parameters, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True))


def fit_items(items: Sequence[FSRSItem]) -> tuple[float, ...]:
    """FSRS-6 parameters fitted to training items by fsrs-rs."""
    return clamp_parameters(FSRS([]).compute_parameters(list(items)))


def fit_parameters(history: Iterable[LoggedReview], *, rollover_hour: int = 4,
                   timezone: str | None = "UTC") -> tuple[float, ...]:
    """FSRS-6 parameters fitted to all of ``history``."""
    return fit_items([it for _, it in training_items(history, rollover_hour=rollover_hour,
                                                     timezone=timezone)])


def score(items: Sequence[FSRSItem], parameters: Sequence[float]) -> Score | None:
    """Log loss and RMSE(bins) of ``parameters`` predicting each item's last answer."""
    if not items:
        return None
    ev = FSRS([float(p) for p in parameters]).evaluate(list(items))
    return Score(float(ev.log_loss), float(ev.rmse_bins))


def fit_and_compare(history: Iterable[LoggedReview], current: Sequence[float], *,
                    holdout_share: float = HOLDOUT_SHARE, rollover_hour: int = 4,
                    timezone: str | None = "UTC") -> FitResult:
    """Fit on the older items, score both parameter sets on the newer ones: switch or not."""
    current = tuple(float(p) for p in current)
    stamped = training_items(history, rollover_hour=rollover_hour, timezone=timezone)
    cut = min(len(stamped) - 1, int(len(stamped) * (1 - holdout_share)))
    if len(stamped) < 2 or cut < MIN_FIT_REVIEWS:
        return FitResult(current, None, None, None, max(cut, 0), 0, None, False,
                         f"not enough history: at least {MIN_FIT_REVIEWS} answers given a day "
                         "or more after the previous one are needed before the held-back part",
                         0.0)
    train = [it for _, it in stamped[:cut]]
    test = [it for _, it in stamped[cut:]]
    t0 = time.perf_counter()
    fitted = fit_items(train)
    seconds = time.perf_counter() - t0
    before, after = score(test, current), score(test, fitted)
    assert before is not None and after is not None
    better = after.log_loss < before.log_loss
    reason = ("the fitted parameters predict the held-back answers better" if better
              else "the fitted parameters do not predict the held-back answers better")
    return FitResult(current, fitted, before, after, len(train), len(test), stamped[cut][0],
                     better, reason, seconds)


@dataclass(frozen=True, slots=True)
class OptimizationReport:
    """What fitting found, and whether the profile switched to the fitted parameters."""

    profile_id: int
    reviews: int  # effective study answers read
    result: FitResult
    switched: bool

    @property
    def current_parameters(self) -> tuple[float, ...]:
        """The parameters in use before the fit."""
        return self.result.current_parameters

    @property
    def fitted_parameters(self) -> tuple[float, ...] | None:
        """The fitted parameters (None when there was too little history)."""
        return self.result.fitted_parameters

    @property
    def reason(self) -> str:
        """Why the profile switched or did not."""
        return self.result.reason + ("" if self.switched or not self.result.switch
                                     else " (not applied)")

    def to_json(self) -> dict[str, Any]:
        """JSON-ready values."""
        r = self.result
        return {
            "profile_id": self.profile_id,
            "reviews": self.reviews,
            "train_items": r.train_items,
            "holdout_items": r.holdout_items,
            "split_at": r.split_at.isoformat() if r.split_at else None,
            "current_parameters": list(r.current_parameters),
            "fitted_parameters": (list(r.fitted_parameters)
                                  if r.fitted_parameters is not None else None),
            "current_log_loss": r.current.log_loss if r.current else None,
            "fitted_log_loss": r.fitted.log_loss if r.fitted else None,
            "current_rmse_bins": r.current.rmse_bins if r.current else None,
            "fitted_rmse_bins": r.fitted.rmse_bins if r.fitted else None,
            "fit_seconds": r.fit_seconds,
            "switched": self.switched,
            "reason": self.reason,
        }


__all__ = [
    "DEFAULT_PARAMETERS_LIST",
    "HOLDOUT_SHARE",
    "MIN_FIT_REVIEWS",
    "REFIT_EVERY",
    "FitResult",
    "LoggedReview",
    "OptimizationReport",
    "Score",
    "clamp_parameters",
    "fit_and_compare",
    "fit_due",
    "fit_items",
    "fit_parameters",
    "score",
    "training_items",
]
