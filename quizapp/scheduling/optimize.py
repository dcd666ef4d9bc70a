"""Personal FSRS parameters fitted to a learner's own history.

Fitting uses py-fsrs' ``Optimizer``, which needs PyTorch, pandas and tqdm: the
optional extra ``quizapp[optimizer]``. Everything else here (reading the
history, scoring parameters) works without them.

:func:`optimize_profile` reads the profile's effective study answers (kind
``study`` and the overrules that replace them; cancelled rows, undo rows and
practice-test answers are left out), holds back the latest
:data:`HOLDOUT_SHARE` of them by time, fits parameters on the rest, and scores
the current and the fitted parameters by log-loss on the held-back answers:
each card's whole history is replayed with the parameters, and every held-back
answer given at least a day after the card's previous answer contributes
``-[y·log R + (1−y)·log(1−R)]`` where R is the predicted recall and y whether
it was recalled (any rating but Again). The fitted parameters are stored in
``profile.fsrs_parameters`` only when they predict the held-back answers
better.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from fsrs import Card, ReviewLog, Scheduler
from fsrs import Rating as FsrsRating
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from quizapp.scheduling.reviewlog import (
    KIND_STUDY,
    answer_kind,
    is_effective,
    review_table,
    run,
)
from quizapp.scheduling.scheduler import DEFAULT_PARAMETERS_LIST, parse_parameters
from quizapp.storage.models import ProfileRow, as_utc

HOLDOUT_SHARE = 0.2
MIN_FIT_REVIEWS = 512  # py-fsrs returns its defaults below this many cross-day reviews
_EPS = 1e-6


class OptimizerUnavailableError(RuntimeError):
    """PyTorch (the ``quizapp[optimizer]`` extra) is not installed."""


class _HasEngine(Protocol):
    engine: Engine


@dataclass(frozen=True, slots=True, order=True)
class LoggedReview:
    """One effective study answer, as the optimizer sees it."""

    reviewed_at: datetime
    card_id: int
    rating: int
    response_ms: int | None = None


@dataclass(frozen=True, slots=True)
class OptimizationReport:
    """What fitting found, and whether the profile switched to the fitted parameters."""

    profile_id: int
    reviews: int  # effective study answers read
    train_reviews: int
    holdout_reviews: int  # held-back answers that were scored (a day or more apart)
    split_at: datetime | None  # held-back answers are those at or after this time
    current_parameters: tuple[float, ...]
    fitted_parameters: tuple[float, ...] | None
    current_log_loss: float | None
    fitted_log_loss: float | None
    switched: bool
    reason: str

    def to_json(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "profile_id": self.profile_id,
            "reviews": self.reviews,
            "train_reviews": self.train_reviews,
            "holdout_reviews": self.holdout_reviews,
            "split_at": self.split_at.isoformat() if self.split_at else None,
            "current_parameters": list(self.current_parameters),
            "fitted_parameters": (list(self.fitted_parameters)
                                  if self.fitted_parameters is not None else None),
            "current_log_loss": self.current_log_loss,
            "fitted_log_loss": self.fitted_log_loss,
            "switched": self.switched,
            "reason": self.reason,
        }


def optimizer_available() -> bool:
    """Whether py-fsrs' Optimizer can run (PyTorch, pandas and tqdm are installed)."""
    try:
        _optimizer_class()
    except OptimizerUnavailableError:
        return False
    return True


def _optimizer_class() -> Any:
    try:
        import torch  # noqa: F401
    except ImportError as exc:
        raise OptimizerUnavailableError(
            "fitting FSRS parameters needs PyTorch: install quizapp[optimizer]") from exc
    from fsrs import Optimizer

    try:  # py-fsrs hides a missing pandas/tqdm behind a stub that raises on use
        Optimizer([])
    except ImportError as exc:
        raise OptimizerUnavailableError(
            "fitting FSRS parameters needs pandas and tqdm too: install quizapp[optimizer]"
        ) from exc
    return Optimizer


def load_history(session: Session, profile_id: int) -> list[LoggedReview]:
    """The profile's effective study answers, oldest first.

    An overrule counts at the time of the answer it replaces, with its rating.
    """
    r = review_table.alias("r")
    o = review_table.alias("o")
    at = func.coalesce(o.c.reviewed_at, r.c.reviewed_at)
    stmt = (
        sa_select(at, r.c.card_id, r.c.rating, r.c.response_ms)
        .select_from(r)
        .outerjoin(o, o.c.id == r.c.cancels_id)
        .where(r.c.profile_id == profile_id, is_effective(r),
               answer_kind(r, o) == KIND_STUDY, r.c.rating.is_not(None))
    )
    out = []
    for when, card_id, rating, response_ms in run(session, stmt):
        moment = as_utc(when)
        assert moment is not None
        out.append(LoggedReview(moment, int(card_id), int(rating), response_ms))
    out.sort()
    return out


def split_history(history: Sequence[LoggedReview],
                  holdout_share: float = HOLDOUT_SHARE) -> tuple[list[LoggedReview],
                                                                 datetime | None]:
    """The training part (before the split time) and the split time."""
    if not history:
        return [], None
    ordered = sorted(history)
    index = min(len(ordered) - 1, max(1, int(len(ordered) * (1 - holdout_share))))
    split_at = ordered[index].reviewed_at
    return [h for h in ordered if h.reviewed_at < split_at], split_at


def log_loss(history: Iterable[LoggedReview], parameters: Sequence[float],
             since: datetime | None = None) -> tuple[float | None, int]:
    """Mean log-loss of ``parameters`` on the answers at or after ``since``, and their count.

    Each card's whole history is replayed; only answers a day or more after the
    card's previous answer are scored (same-day answers say little about memory,
    and py-fsrs' optimizer skips them too).
    """
    scheduler = Scheduler(parameters=tuple(parameters), enable_fuzzing=False)
    by_card: dict[int, list[LoggedReview]] = defaultdict(list)
    for h in history:
        by_card[h.card_id].append(h)
    total = 0.0
    count = 0
    for card_id, reviews in by_card.items():
        reviews.sort()
        card = Card(card_id=card_id, due=reviews[0].reviewed_at)
        for h in reviews:
            if (card.last_review is not None and (h.reviewed_at - card.last_review).days > 0
                    and (since is None or h.reviewed_at >= since)):
                p = min(max(scheduler.get_card_retrievability(card, h.reviewed_at), _EPS),
                        1 - _EPS)
                y = 1.0 if h.rating > 1 else 0.0
                total -= y * math.log(p) + (1 - y) * math.log(1 - p)
                count += 1
            card, _ = scheduler.review_card(card, FsrsRating(h.rating), h.reviewed_at)
    return (total / count if count else None), count


def fit_parameters(history: Sequence[LoggedReview]) -> tuple[float, ...]:
    """Parameters fitted to ``history`` by py-fsrs' Optimizer (needs PyTorch)."""
    optimizer_class = _optimizer_class()
    logs = [ReviewLog(card_id=h.card_id, rating=FsrsRating(h.rating),
                      review_datetime=h.reviewed_at.astimezone(UTC),
                      review_duration=h.response_ms) for h in history]
    fitted = optimizer_class(logs).compute_optimal_parameters()
    return tuple(float(p) for p in fitted)


def optimize_profile(target: Session | _HasEngine | Engine, profile_id: int, *,
                     apply: bool = True,
                     holdout_share: float = HOLDOUT_SHARE) -> OptimizationReport:
    """Fit, score on held-back answers, and switch only if the fitted parameters predict better.

    ``target`` is a Collection, an Engine or a Session (with a Session the
    caller commits). With ``apply=False`` nothing is stored.
    """
    if isinstance(target, Session):
        return _optimize(target, profile_id, apply, holdout_share)
    engine = target if isinstance(target, Engine) else target.engine
    with Session(engine, expire_on_commit=False) as session:
        report = _optimize(session, profile_id, apply, holdout_share)
        session.commit()
        return report


def _optimize(session: Session, profile_id: int, apply: bool,
              holdout_share: float) -> OptimizationReport:
    profile = session.get(ProfileRow, profile_id)
    if profile is None:
        raise LookupError(f"no profile {profile_id}")
    current = parse_parameters(profile.fsrs_parameters)
    history = load_history(session, profile_id)
    train, split_at = split_history(history, holdout_share)
    current_loss, scored = log_loss(history, current, split_at)

    def report(fitted: tuple[float, ...] | None, fitted_loss: float | None, switched: bool,
               reason: str) -> OptimizationReport:
        return OptimizationReport(profile_id, len(history), len(train), scored, split_at,
                                  current, fitted, current_loss, fitted_loss, switched, reason)

    if current_loss is None or _cross_day_count(train) < MIN_FIT_REVIEWS:
        return report(None, None, False,
                      f"not enough history: at least {MIN_FIT_REVIEWS} answers given a day "
                      "or more apart are needed before the held-back part")
    fitted = fit_parameters(train)
    fitted_loss, _ = log_loss(history, fitted, split_at)
    assert fitted_loss is not None
    if fitted_loss >= current_loss:
        return report(fitted, fitted_loss, False,
                      "the fitted parameters do not predict the held-back answers better")
    if apply:
        profile.fsrs_parameters = json.dumps(list(fitted))
        session.add(profile)
    return report(fitted, fitted_loss, apply,
                  "the fitted parameters predict the held-back answers better"
                  + ("" if apply else " (not applied)"))


def _cross_day_count(history: Sequence[LoggedReview]) -> int:
    last: dict[int, datetime] = {}
    count = 0
    for h in sorted(history):
        previous = last.get(h.card_id)
        if previous is not None and (h.reviewed_at - previous).days > 0:
            count += 1
        last[h.card_id] = h.reviewed_at
    return count


__all__ = [
    "DEFAULT_PARAMETERS_LIST",
    "HOLDOUT_SHARE",
    "LoggedReview",
    "OptimizationReport",
    "OptimizerUnavailableError",
    "fit_parameters",
    "load_history",
    "log_loss",
    "optimize_profile",
    "optimizer_available",
    "split_history",
]
