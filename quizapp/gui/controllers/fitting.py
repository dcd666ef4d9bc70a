"""Personal FSRS parameters in the background: the automatic fit after a study sitting.

When a sitting reaches its summary, :class:`AutoFit` asks
:func:`quizapp.services.optimize.auto_fit` on a pool thread whether a fit is
due (enough answers a day or more apart and no fit yet, or
``REFIT_EVERY`` answers since the last one) and fits if so; the window never
waits for it. A switch is said in the status line; a fit that kept the
current parameters is only logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from quizapp.gui.workers import WorkerRunner

if TYPE_CHECKING:
    from quizapp.gui.views.settings_dialog import ParameterActions
    from quizapp.services.collection import Collection
    from quizapp.services.optimize import FitStatus, OptimizationReport

log = logging.getLogger(__name__)

__all__ = ["AutoFit", "parameter_actions", "switched_message"]


def parameter_actions(collection: Collection, profile_id: int) -> ParameterActions:
    """The Settings dialog's Personal parameters group, on a profile (each call runs on a
    pool thread)."""
    from quizapp.gui.views.settings_dialog import ParameterActions
    from quizapp.services.optimize import optimize_profile, parameters_status, reset_parameters

    def optimize() -> tuple[OptimizationReport, FitStatus]:
        report = optimize_profile(collection, profile_id)
        return report, parameters_status(collection, profile_id)

    return ParameterActions(status=lambda: parameters_status(collection, profile_id),
                            optimize=optimize,
                            reset=lambda: reset_parameters(collection, profile_id))


def switched_message(report: OptimizationReport) -> str:
    """The status line after a fit switched the profile's parameters."""
    return (f"Your FSRS parameters are now fitted to your {report.reviews:,} reviews: they "
            "predict your answers better than the previous ones.")


class AutoFit(QObject):
    """Runs the automatic fit off the GUI thread, one at a time."""

    status_message = Signal(str)
    fitted = Signal(object)  # OptimizationReport, once a due fit has run

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = WorkerRunner(self, max_threads=1)
        self.last_report: OptimizationReport | None = None

    def busy(self) -> bool:
        """Whether a check or a fit is running."""
        return self.runner.busy()

    def after_sitting(self, collection: Collection, profile_id: int) -> bool:
        """Check (and fit if due) in the background; False when one is running already."""
        if self.runner.busy():
            return False
        from quizapp.services.optimize import auto_fit

        self.runner.start(lambda: auto_fit(collection, profile_id), self._done, self._failed)
        return True

    def _done(self, report: Any) -> None:
        if report is None:
            return
        self.last_report = report
        log.info("automatic fit of profile %s: %s", report.profile_id, report.reason)
        if report.switched:
            self.status_message.emit(switched_message(report))
        self.fitted.emit(report)

    def _failed(self, exc: Exception) -> None:
        # A fit is a nicety: studying goes on with the parameters in use.
        log.error("the automatic fit of the FSRS parameters failed: %s", exc, exc_info=exc)

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for a running fit (on quit, before the collection closes)."""
        return self.runner.wait(msecs)
