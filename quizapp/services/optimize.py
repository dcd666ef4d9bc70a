"""Personal FSRS parameters for a profile: read its log, fit, switch only when better.

The fitting itself (fsrs-rs-python) is :mod:`quizapp.scheduling.optimize`,
which receives plain rows; the reading and the storing are
:mod:`quizapp.storage.fitlog`'s.
"""

from __future__ import annotations

import json

from quizapp.scheduling.optimize import (
    HOLDOUT_SHARE,
    LoggedReview,
    OptimizationReport,
    fit_and_compare,
)
from quizapp.scheduling.scheduler import parse_parameters
from quizapp.storage.fitlog import (
    FitTarget,
    Session,
    fit_session,
    fit_settings,
    history_rows,
    store_parameters,
)
from quizapp.storage.memories import replay_profile


def load_history(session: Session, profile_id: int) -> list[LoggedReview]:
    """The profile's effective study answers, oldest first (read by
    :func:`quizapp.storage.fitlog.history_rows`).

    An overrule counts at the time of the answer it replaces, with its rating.
    """
    return sorted(LoggedReview(*row) for row in history_rows(session, profile_id))


def optimize_profile(target: FitTarget, profile_id: int, *,
                     apply: bool = True,
                     holdout_share: float = HOLDOUT_SHARE) -> OptimizationReport:
    """Fit, score on held-back answers, and switch only if the fitted parameters predict better.

    ``target`` is a Collection, an Engine or a Session (with a Session the
    caller commits). With ``apply=False`` nothing is stored.
    """
    with fit_session(target) as session:
        return _optimize(session, profile_id, apply, holdout_share)


def _optimize(session: Session, profile_id: int, apply: bool,
              holdout_share: float) -> OptimizationReport:
    stored, rollover_hour, timezone = fit_settings(session, profile_id)
    current = parse_parameters(stored)
    history = load_history(session, profile_id)
    result = fit_and_compare(history, current, holdout_share=holdout_share,
                             rollover_hour=rollover_hour, timezone=timezone)
    switched = result.switch and apply
    if switched:
        assert result.fitted_parameters is not None
        store_parameters(session, profile_id, json.dumps(list(result.fitted_parameters)))
        # As Anki does: every memory is recomputed from the log with the new parameters.
        replay_profile(session, profile_id)
    return OptimizationReport(profile_id, len(history), result, switched)


__all__ = ["load_history", "optimize_profile"]
