"""Personal FSRS parameters for a profile: read its log, fit, switch only when better.

The fitting itself (fsrs-rs-python) is :mod:`quizapp.scheduling.optimize`,
which receives plain rows; the reading and the storing are
:mod:`quizapp.storage.fitlog`'s.

Every learner gets personal parameters by default: once a profile has
:data:`~quizapp.scheduling.optimize.MIN_FIT_REVIEWS` answers given a day or
more after the previous answer to the same memory, a fit runs in the
background after a study sitting (:func:`auto_fit`, decided by
:func:`fit_is_due`), and again every
:data:`~quizapp.scheduling.optimize.REFIT_EVERY` new answers after the last
fit. The fitted parameters are adopted only when their held-back log loss is
lower than the current parameters'. What each fit found is kept with the
parameters (:class:`~quizapp.scheduling.optimize.FitRecord`);
:func:`parameters_status` says it in one line for the Settings dialog, and
:func:`reset_parameters` goes back to FSRS' defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizapp.scheduling.optimize import (
    HOLDOUT_SHARE,
    MIN_FIT_REVIEWS,
    REFIT_EVERY,
    FitAttempt,
    FitRecord,
    LoggedReview,
    OptimizationReport,
    fit_and_compare,
    fit_due,
    plain_items,
)
from quizapp.scheduling.scheduler import parse_parameters
from quizapp.storage.fitlog import (
    FitTarget,
    Session,
    answer_count,
    fit_session,
    fit_settings,
    history_rows,
    store_parameters,
)
from quizapp.storage.memories import replay_profile
from quizapp.timeutil import utc_now


def load_history(session: Session, profile_id: int) -> list[LoggedReview]:
    """The profile's effective study answers, oldest first (read by
    :func:`quizapp.storage.fitlog.history_rows`).

    An overrule counts at the time of the answer it replaces, with its rating.
    """
    return sorted(LoggedReview(*row) for row in history_rows(session, profile_id))


def optimize_profile(target: FitTarget, profile_id: int, *,
                     apply: bool = True,
                     holdout_share: float = HOLDOUT_SHARE,
                     now: datetime | None = None) -> OptimizationReport:
    """Fit, score on held-back answers, and switch only if the fitted parameters predict better.

    ``target`` is a Collection, an Engine or a Session (with a Session the
    caller commits). With ``apply=False`` nothing is stored. With
    ``apply=True`` a fit that was scored is recorded with the parameters
    (:class:`~quizapp.scheduling.optimize.FitRecord`), switched or not, so
    that the automatic rule counts its next :data:`REFIT_EVERY` answers from
    it; too little history stores nothing.
    """
    with fit_session(target) as session:
        return _optimize(session, profile_id, apply, holdout_share, now or utc_now())


def _optimize(session: Session, profile_id: int, apply: bool, holdout_share: float,
              now: datetime) -> OptimizationReport:
    stored, rollover_hour, timezone = fit_settings(session, profile_id)
    history = load_history(session, profile_id)
    result = fit_and_compare(history, parse_parameters(stored), holdout_share=holdout_share,
                             rollover_hour=rollover_hour, timezone=timezone)
    switched = result.switch and apply
    report = OptimizationReport(profile_id, len(history), result, switched)
    if apply and report.fitted_parameters is not None:
        # One write: the record holds the parameters in use after the fit.
        record = FitRecord.from_text(stored).after(result, at=now, answers=report.reviews,
                                                   switched=switched, reason=report.reason)
        store_parameters(session, profile_id, record.to_text())
    if switched:
        # As Anki does: every memory is recomputed from the log with the new parameters.
        replay_profile(session, profile_id)
    return report


@dataclass(frozen=True, slots=True)
class FitStatus:
    """A profile's FSRS parameters and its history, as far as fitting is concerned."""

    record: FitRecord
    answers: int  # effective study answers
    training_items: int | None  # answers a day or more after the previous one (None: not read)
    due: bool  # whether an automatic fit is due

    def line(self, now: datetime | None = None) -> str:
        """One line for the Settings dialog."""
        r = self.record
        now = now or utc_now()
        if r.personal:
            if r.fitted_at is None:
                return "Personal parameters (stored before fits kept their figures)."
            text = (f"Personal parameters: fitted on {r.reviews or 0:,} reviews on "
                    f"{_day(r.fitted_at, now)}")
            if r.predicted_retention is not None and r.actual_retention is not None:
                text += (f"; predicted retention {_percent(r.predicted_retention)}, "
                         f"actual {_percent(r.actual_retention)}")
            a = r.last_attempt
            if a is not None and not a.switched and a.at > r.fitted_at:
                text += f". Checked again on {_day(a.at, now)}: kept"
            return text + "."
        a = r.last_attempt
        if a is not None:
            if a.reason == RESET_REASON:
                return (f"Default parameters: reset on {_day(a.at, now)}; the next fit runs "
                        f"after {REFIT_EVERY:,} more answers, or press Optimize now.")
            return (f"Default parameters: the fit on {_day(a.at, now)} ({a.answers:,} reviews) "
                    "did not predict your answers better than the defaults.")
        if self.training_items is not None and self.training_items < MIN_FIT_REVIEWS:
            return (f"Default parameters: a fit needs {MIN_FIT_REVIEWS} answers a day or more "
                    f"apart; you have {self.training_items:,}.")
        if self.training_items is not None:
            return (f"Default parameters: {self.training_items:,} answers a day or more apart, "
                    "enough for a fit; it runs after your next sitting, or press Optimize now.")
        return "Default parameters."

    def to_json(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {"record": self.record.to_json(), "answers": self.answers,
                "training_items": self.training_items, "due": self.due,
                "line": self.line()}


RESET_REASON = "reset to defaults"


def _day(moment: datetime, now: datetime) -> str:
    local = moment.astimezone()
    text = f"{local.day} {local.strftime('%B')}"
    return text if local.year == now.astimezone().year else f"{text} {local.year}"


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _status(session: Session, profile_id: int, *, read_history: bool) -> FitStatus:
    stored, rollover_hour, timezone = fit_settings(session, profile_id)
    record = FitRecord.from_text(stored)
    answers = answer_count(session, profile_id)
    since = record.answers_counted_from
    # Each training item is an answer: the count alone can rule a fit out.
    possible = answers >= MIN_FIT_REVIEWS and (since is None or answers - since >= REFIT_EVERY)
    items = (_count_items(session, profile_id, rollover_hour, timezone)
             if read_history or possible else None)
    due = (possible and items is not None
           and fit_due(items, answers - (since or 0), since is not None))
    return FitStatus(record, answers, items, due)


def _count_items(session: Session, profile_id: int, rollover_hour: int,
                 timezone: str | None) -> int:
    return len(plain_items(load_history(session, profile_id), rollover_hour=rollover_hour,
                           timezone=timezone))


def parameters_status(target: FitTarget, profile_id: int) -> FitStatus:
    """The profile's parameters, what the last fit found, and how much history there is
    (reads the whole log: call it off the GUI thread). LookupError: no such profile."""
    with fit_session(target) as session:
        return _status(session, profile_id, read_history=True)


def fit_is_due(target: FitTarget, profile_id: int) -> bool:
    """Whether an automatic fit is due: :data:`MIN_FIT_REVIEWS` answers a day or more
    apart and no fit yet, or :data:`REFIT_EVERY` answers since the last fit or reset.
    Reads the log only when the count of answers allows a fit."""
    with fit_session(target) as session:
        return _status(session, profile_id, read_history=False).due


def auto_fit(target: FitTarget, profile_id: int, *,
             now: datetime | None = None) -> OptimizationReport | None:
    """Fit when :func:`fit_is_due` says so (None when it was not due); the report says
    whether the profile switched. Meant for a background thread."""
    if not fit_is_due(target, profile_id):
        return None
    return optimize_profile(target, profile_id, now=now)


def reset_parameters(target: FitTarget, profile_id: int, *,
                     now: datetime | None = None) -> FitStatus:
    """Go back to FSRS' default parameters.

    Every memory state is recomputed from the log with the defaults. The
    reset counts as a fit for the automatic rule: the next automatic fit
    comes :data:`REFIT_EVERY` answers later (Optimize now fits at once).
    """
    with fit_session(target) as session:
        answers = answer_count(session, profile_id)
        fit_settings(session, profile_id)  # LookupError: no such profile
        record = FitRecord(last_attempt=FitAttempt(now or utc_now(), answers, False,
                                                   RESET_REASON))
        store_parameters(session, profile_id, record.to_text())
        # Every memory is recomputed from the log with the default parameters.
        replay_profile(session, profile_id)
        return FitStatus(record, answers, None, False)


__all__ = [
    "MIN_FIT_REVIEWS",
    "REFIT_EVERY",
    "RESET_REASON",
    "FitRecord",
    "FitStatus",
    "OptimizationReport",
    "auto_fit",
    "fit_is_due",
    "load_history",
    "optimize_profile",
    "parameters_status",
    "reset_parameters",
]
