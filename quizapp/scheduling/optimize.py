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
after the previous one), held-back part included; :func:`fit_due` says when an
automatic fit is due: at that threshold and then every :data:`REFIT_EVERY` new
answers after the last fit, whether it switched or not.

Each held-back item's last answer is also predicted on its own
(:func:`retention`): the *predicted retention* of a parameter set is the mean
predicted recall of those answers, the *actual retention* the share of them
that were right (Hard, Good or Easy). What a fit leaves behind is a
:class:`FitRecord`, stored as JSON in ``profile.fsrs_parameters``.

:func:`optimize_profile` reads the profile's effective study answers (kind
``study`` and the overrules that replace them; cancelled rows, undo rows and
practice-test answers are left out) and stores the fitted parameters in
``profile.fsrs_parameters`` when they predict the held-back answers better.
"""

from __future__ import annotations

import json
import math
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
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


#: An item's answers as (rating, days since the memory's previous answer), oldest first.
PlainItem = tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Score:
    """How well parameters predict held-back answers.

    ``predicted_retention`` is the mean predicted recall of the items' last
    answers, ``actual_retention`` the share of them that were right (None when
    the score was taken on fsrs-rs items alone, :func:`score`).
    """

    log_loss: float
    rmse_bins: float
    predicted_retention: float | None = None
    actual_retention: float | None = None


@dataclass(frozen=True, slots=True)
class FitResult:
    """A fit on the older answers, scored against the current parameters on the newer ones."""

    current_parameters: tuple[float, ...]
    fitted_parameters: tuple[float, ...] | None
    current: Score | None
    fitted: Score | None
    train_items: int  # without a fit: every training item there is
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


def plain_items(history: Iterable[LoggedReview], *, rollover_hour: int = 4,
                timezone: str | None = "UTC") -> list[tuple[datetime, PlainItem]]:
    """One item per answer given on a later study day than the memory's previous one,
    with the time of that answer, oldest first, as plain (rating, days) pairs."""
    by_card: dict[int, list[LoggedReview]] = defaultdict(list)
    for h in history:
        by_card[h.card_id].append(h)
    stamped: list[tuple[datetime, PlainItem]] = []
    for reviews in by_card.values():
        reviews.sort()
        so_far: list[tuple[int, int]] = []
        last_day: int | None = None
        for h in reviews:
            day = (h.study_day if h.study_day is not None
                   else study_day(h.reviewed_at, rollover_hour, timezone))
            delta = 0 if last_day is None else day - last_day
            so_far.append((int(h.rating), int(delta)))
            if delta > 0:
                stamped.append((h.reviewed_at, tuple(so_far)))
            last_day = day
    stamped.sort(key=lambda x: x[0])
    return stamped


def fsrs_item(item: PlainItem) -> FSRSItem:
    """The fsrs-rs item of plain (rating, days) pairs."""
    return FSRSItem([FSRSReview(rating, delta) for rating, delta in item])


def training_items(history: Iterable[LoggedReview], *, rollover_hour: int = 4,
                   timezone: str | None = "UTC") -> list[tuple[datetime, FSRSItem]]:
    """One fsrs-rs item per answer given on a later study day than the memory's previous one,
    with the time of that answer, oldest first."""
    return [(t, fsrs_item(it)) for t, it in plain_items(history, rollover_hour=rollover_hour,
                                                          timezone=timezone)]


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


def retention(items: Sequence[PlainItem], parameters: Sequence[float]) -> tuple[float, float]:
    """Mean predicted recall of each item's last answer (from the memory state its earlier
    answers leave, FSRS-6's forgetting curve) and the share of those answers that were right."""
    if not items:
        raise ValueError("no items to predict")
    params = [float(p) for p in parameters]
    model = FSRS(params)
    states = model.memory_state_batch([fsrs_item(it[:-1]) for it in items], [None] * len(items))
    decay = -params[20]
    factor = 0.9 ** (1 / decay) - 1
    predicted = 0.0
    right = 0
    for item, state in zip(items, states, strict=True):
        rating, days = item[-1]
        predicted += (1 + factor * days / max(float(state.stability), 1e-6)) ** decay
        right += rating > 1
    return predicted / len(items), right / len(items)


def score_items(items: Sequence[PlainItem], parameters: Sequence[float]) -> Score | None:
    """:func:`score` with the predicted and actual retention of the items' last answers."""
    if not items:
        return None
    base = score([fsrs_item(it) for it in items], parameters)
    assert base is not None
    predicted, actual = retention(items, parameters)
    return replace(base, predicted_retention=predicted, actual_retention=actual)


def too_few_reason(items: int) -> str:
    """Why there was no fit: how many training items there are and how many a fit needs."""
    return (f"too few reviews: {items:,} answer{'' if items == 1 else 's'} a day or more "
            f"apart, a fit needs {MIN_FIT_REVIEWS}")


def fit_and_compare(history: Iterable[LoggedReview], current: Sequence[float], *,
                    holdout_share: float = HOLDOUT_SHARE, rollover_hour: int = 4,
                    timezone: str | None = "UTC") -> FitResult:
    """Fit on the older items, score both parameter sets on the newer ones: switch or not."""
    current = tuple(float(p) for p in current)
    stamped = plain_items(history, rollover_hour=rollover_hour, timezone=timezone)
    cut = min(len(stamped) - 1, int(len(stamped) * (1 - holdout_share)))
    if len(stamped) < max(MIN_FIT_REVIEWS, 2) or cut < 1:
        return FitResult(current, None, None, None, len(stamped), 0, None, False,
                         too_few_reason(len(stamped)), 0.0)
    train = [fsrs_item(it) for _, it in stamped[:cut]]
    test = [it for _, it in stamped[cut:]]
    t0 = time.perf_counter()
    fitted = fit_items(train)
    seconds = time.perf_counter() - t0
    before, after = score_items(test, current), score_items(test, fitted)
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
            "current_predicted_retention": r.current.predicted_retention if r.current else None,
            "fitted_predicted_retention": r.fitted.predicted_retention if r.fitted else None,
            "actual_retention": r.current.actual_retention if r.current else None,
            "fit_seconds": r.fit_seconds,
            "switched": self.switched,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class FitAttempt:
    """The latest fit (or reset), whether or not it switched: the every-N rule counts from it."""

    at: datetime
    answers: int  # effective study answers in the log at that time
    switched: bool
    reason: str

    def to_json(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {"at": self.at.isoformat(), "answers": self.answers,
                "switched": self.switched, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class FitRecord:
    """What the profile's FSRS parameters are and what the fit that chose them found.

    Stored as JSON in ``profile.fsrs_parameters``::

        {"parameters": [21 numbers] | null, "fitted_at": ISO time, "reviews": N,
         "train_items": N, "holdout_items": N, "log_loss": x, "rmse_bins": x,
         "predicted_retention": x, "actual_retention": x, "answers_at_fit": N,
         "last_attempt": {"at": ISO time, "answers": N, "switched": bool, "reason": "..."}}

    ``parameters`` null means FSRS' defaults. The fit's figures are those of
    the adopted parameters on the held-back answers; ``reviews`` is the
    number of effective study answers the fit read, ``answers_at_fit`` the
    same count (the every-N rule counts from ``last_attempt.answers``). The
    first stored form, a plain JSON list of parameters, reads as a record
    with only ``parameters``.
    """

    parameters: tuple[float, ...] | None = None
    fitted_at: datetime | None = None
    reviews: int | None = None
    train_items: int | None = None
    holdout_items: int | None = None
    log_loss: float | None = None
    rmse_bins: float | None = None
    predicted_retention: float | None = None
    actual_retention: float | None = None
    answers_at_fit: int | None = None
    last_attempt: FitAttempt | None = field(default=None)

    @property
    def personal(self) -> bool:
        """Whether the profile uses parameters of its own (not the defaults)."""
        return self.parameters is not None

    @property
    def answers_counted_from(self) -> int | None:
        """The answer count the every-N rule counts from (None: never fitted)."""
        if self.last_attempt is not None:
            return self.last_attempt.answers
        return self.answers_at_fit

    @classmethod
    def from_text(cls, text: str | None) -> FitRecord:
        """The record stored in ``profile.fsrs_parameters`` (an empty one for None or
        anything unreadable: the scheduler uses the defaults then too)."""
        if not text:
            return cls()
        try:
            stored = json.loads(text)
            if isinstance(stored, list):
                return cls(parameters=_numbers(stored))
            if not isinstance(stored, dict):
                return cls()
            attempt = stored.get("last_attempt")
            return cls(
                parameters=(_numbers(stored["parameters"])
                            if stored.get("parameters") is not None else None),
                fitted_at=_time(stored.get("fitted_at")),
                reviews=_int(stored.get("reviews")),
                train_items=_int(stored.get("train_items")),
                holdout_items=_int(stored.get("holdout_items")),
                log_loss=_float(stored.get("log_loss")),
                rmse_bins=_float(stored.get("rmse_bins")),
                predicted_retention=_float(stored.get("predicted_retention")),
                actual_retention=_float(stored.get("actual_retention")),
                answers_at_fit=_int(stored.get("answers_at_fit")),
                last_attempt=(FitAttempt(_required_time(attempt.get("at")),
                                         int(attempt.get("answers", 0)),
                                         bool(attempt.get("switched")),
                                         str(attempt.get("reason", "")))
                              if isinstance(attempt, dict) else None),
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            return cls()

    def to_json(self) -> dict[str, Any]:
        """JSON-ready values (the stored form)."""
        return {
            "parameters": list(self.parameters) if self.parameters is not None else None,
            "fitted_at": self.fitted_at.isoformat() if self.fitted_at else None,
            "reviews": self.reviews,
            "train_items": self.train_items,
            "holdout_items": self.holdout_items,
            "log_loss": self.log_loss,
            "rmse_bins": self.rmse_bins,
            "predicted_retention": self.predicted_retention,
            "actual_retention": self.actual_retention,
            "answers_at_fit": self.answers_at_fit,
            "last_attempt": self.last_attempt.to_json() if self.last_attempt else None,
        }

    def to_text(self) -> str:
        """The JSON text stored in ``profile.fsrs_parameters``."""
        return json.dumps(self.to_json(), separators=(",", ":"))

    def after(self, result: FitResult, *, at: datetime, answers: int,
              switched: bool, reason: str) -> FitRecord:
        """The record once a fit (``result``, on ``answers`` effective answers) was taken at
        ``at``: the fitted parameters and their figures when it switched, else the same
        parameters with the attempt noted."""
        attempt = FitAttempt(at, answers, switched, reason)
        if not switched:
            return replace(self, last_attempt=attempt)
        assert result.fitted_parameters is not None and result.fitted is not None
        f = result.fitted
        return FitRecord(parameters=result.fitted_parameters, fitted_at=at, reviews=answers,
                         train_items=result.train_items, holdout_items=result.holdout_items,
                         log_loss=f.log_loss, rmse_bins=f.rmse_bins,
                         predicted_retention=f.predicted_retention,
                         actual_retention=f.actual_retention, answers_at_fit=answers,
                         last_attempt=attempt)


def _numbers(value: Any) -> tuple[float, ...]:
    if not isinstance(value, list) or not all(
            isinstance(v, int | float) and math.isfinite(v) for v in value):
        raise ValueError("parameters must be a list of numbers")
    return tuple(float(v) for v in value)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _time(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def _required_time(value: Any) -> datetime:
    moment = _time(value)
    if moment is None:
        raise ValueError("an attempt needs its time")
    return moment


__all__ = [
    "DEFAULT_PARAMETERS_LIST",
    "HOLDOUT_SHARE",
    "MIN_FIT_REVIEWS",
    "REFIT_EVERY",
    "FitAttempt",
    "FitRecord",
    "FitResult",
    "LoggedReview",
    "OptimizationReport",
    "PlainItem",
    "Score",
    "clamp_parameters",
    "fit_and_compare",
    "fit_due",
    "fit_items",
    "fit_parameters",
    "fsrs_item",
    "plain_items",
    "retention",
    "score",
    "score_items",
    "too_few_reason",
    "training_items",
]
