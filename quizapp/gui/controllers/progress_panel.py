"""Behaviour of the Progress screen: compute the statistics off the GUI thread.

:func:`quizapp.storage.stats.profile_stats`, the weekly retention and the calibration of
predicted recall run as a task on
a pool thread (the window stays responsive; a Cancel button appears if it takes
a while); the figures come back as plain dictionaries and are drawn by
:class:`~quizapp.gui.views.progress_view.ProgressView`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from quizapp.gui.tasks import Progress, TaskRunner
from quizapp.gui.views.progress_view import ProgressView
from quizapp.timeutil import utc_now

if TYPE_CHECKING:
    from quizapp.services.calibration import Calibration
    from quizapp.services.collection import Collection


@dataclass(frozen=True, slots=True)
class ProgressFigures:
    """What the Progress screen draws."""

    stats: dict[str, Any]
    retention: list[dict[str, Any]]
    desired_retention: float
    labels: dict[str, str]  # "<deck>/<fact key>" -> the fact's words, for the tables
    calibration: Calibration  # predicted against actual recall


def compute_figures(collection: Collection, profile_id: int, now: datetime,
                    progress: Progress) -> ProgressFigures:
    """Every figure of the Progress screen (runs on a pool thread)."""
    from quizapp.browse import fact_labels, retention_over_time
    from quizapp.services.calibration import recall_calibration
    from quizapp.services.profiles import profile_settings
    from quizapp.services.reports import profile_stats

    progress(0, 4, "Counting reviews…")
    stats = profile_stats(collection, profile_id, now)
    progress(1, 4, "Retention over time…")
    retention = retention_over_time(collection, profile_id, now)
    progress(2, 4, "Predicted and actual recall…")
    calibration = recall_calibration(collection, profile_id)
    progress(3, 4, "Done.")
    target = profile_settings(collection, profile_id).scheduler.desired_retention
    wanted = [(x["deck"], x["fact_id"])
              for part in ("wrong_choices", "most_missed", "leeches") for x in stats[part]]
    labels = fact_labels(collection, wanted)
    return ProgressFigures(stats, retention, target, labels, calibration)


class ProgressPanel(QObject):
    """The Progress screen's controller; ``view`` is the widget to show."""

    loaded = Signal(object)  # ProgressFigures
    status_message = Signal(str)

    def __init__(self, parent: QWidget, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self.view = ProgressView(parent)
        self.clock = clock
        self.runner = TaskRunner(self, max_threads=1)
        self.collection: Collection | None = None
        self.profile_id: int | None = None
        self.figures: ProgressFigures | None = None
        self._pending = False
        self.view.refresh.clicked.connect(self.refresh)

    def set_context(self, collection: Collection | None, profile_id: int | None) -> None:
        """The collection and learner whose figures to show (computed on the next refresh)."""
        changed = (collection, profile_id) != (self.collection, self.profile_id)
        self.collection = collection
        self.profile_id = profile_id
        if changed:
            self.figures = None

    @property
    def busy(self) -> bool:
        """Whether the figures are being computed."""
        return self.runner.busy()

    def refresh(self) -> None:
        """Compute the figures again, off the GUI thread."""
        if self.collection is None or self.profile_id is None:
            return
        if self.runner.busy():
            self._pending = True
            return
        collection, profile_id, now = self.collection, self.profile_id, self.clock()
        self.view.busy.show()
        self.view.refresh.setEnabled(False)
        self.runner.start(
            lambda progress: compute_figures(collection, profile_id, now, progress),
            self._done, self._failed, self._cancelled,
            title="Statistics", label="Computing your statistics…",
            parent=self.view.window(), delay_ms=600,
        )

    def _finish(self) -> bool:
        self.view.busy.hide()
        self.view.refresh.setEnabled(True)
        if self._pending:
            self._pending = False
            self.refresh()
            return False
        return True

    def _done(self, figures: ProgressFigures) -> None:
        if not self._finish():
            return
        self.figures = figures
        self.view.show_stats(figures.stats, figures.retention, figures.desired_retention,
                             figures.labels)
        self.view.show_calibration(figures.calibration)
        self.loaded.emit(figures)

    def _failed(self, exc: Exception) -> None:
        self._finish()
        self.status_message.emit(f"The statistics could not be computed: {exc}")

    def _cancelled(self) -> None:
        self._finish()
        self.status_message.emit("Statistics cancelled.")

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for a running computation (on quit)."""
        return self.runner.wait(msecs)
