"""The settings dialog: appearance (theme, text size), the learner's study defaults and
personal FSRS parameters (what the last fit found, Optimize now, Reset to defaults)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from quizapp.gui.views.deck_options_dialog import count_box, percent_box
from quizapp.gui.views.fact_editor import error_style
from quizapp.gui.workers import WorkerRunner
from quizapp.services.decks import StudyDefaults
from quizapp.services.optimize import REFIT_EVERY, FitStatus, OptimizationReport

log = logging.getLogger(__name__)

THEME_CHOICES: tuple[tuple[str, str], ...] = (
    ("system", "Follow the system"),
    ("light", "Light"),
    ("dark", "Dark"),
)


@dataclass(frozen=True, slots=True)
class SettingsValues:
    """What the settings dialog edits."""

    theme: str
    font_size: int  # points
    profile_name: str
    defaults: StudyDefaults | None  # None when no profile is open


@dataclass(frozen=True, slots=True)
class ParameterActions:
    """What the Personal parameters group calls; each runs on a pool thread."""

    status: Callable[[], FitStatus]
    optimize: Callable[[], tuple[OptimizationReport, FitStatus]]
    reset: Callable[[], FitStatus]


def fit_outcome(report: OptimizationReport) -> str:
    """What Optimize now found, in a sentence or two."""
    r = report.result
    if r.current is None or r.fitted is None:
        return f"No fit: {r.reason}."
    figures = (f"log loss on your newest answers {r.current.log_loss:.3f} with the current "
               f"parameters, {r.fitted.log_loss:.3f} fitted")
    if report.switched:
        return f"Switched to parameters fitted on {report.reviews:,} reviews ({figures})."
    return f"Kept the current parameters: the fitted ones do not predict better ({figures})."


class SettingsDialog(QDialog):
    """App settings and the current learner's defaults.

    ``save`` gets the edited values and returns the problems in plain words
    (empty: applied and stored; the dialog closes). ``parameters`` (None: no
    profile open) drives the Personal parameters group: its status is read,
    and Optimize now and Reset to defaults run, off the GUI thread.
    """

    def __init__(self, values: SettingsValues,
                 save: Callable[[SettingsValues], Sequence[str]],
                 parent: QWidget | None = None,
                 parameters: ParameterActions | None = None) -> None:
        super().__init__(parent)
        self.initial = values
        self._save = save
        self._parameters = parameters
        self.runner = WorkerRunner(self, max_threads=1)
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.setStyleSheet(error_style())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(12)
        self.error = QLabel("", self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problems with the settings")
        self.error.hide()
        layout.addWidget(self.error)

        look = QGroupBox("Appearance", self)
        look.setAccessibleName("Appearance")
        form = QFormLayout(look)
        form.setHorizontalSpacing(14)
        self.theme = QComboBox(look)
        self.theme.setAccessibleName("Theme")
        for value, label in THEME_CHOICES:
            self.theme.addItem(label, value)
        self.font_size = QSpinBox(look)
        self.font_size.setRange(8, 24)
        self.font_size.setSuffix(" pt")
        self.font_size.setAccessibleName("Text size")
        self.font_size.setToolTip("Also Ctrl++ and Ctrl+- anywhere in the app")
        theme_label = QLabel("&Theme", look)
        theme_label.setBuddy(self.theme)
        size_label = QLabel("Te&xt size", look)
        size_label.setBuddy(self.font_size)
        form.addRow(theme_label, self.theme)
        form.addRow(size_label, self.font_size)
        layout.addWidget(look)

        self.study = QGroupBox(f"Study defaults for {values.profile_name}", self)
        self.study.setAccessibleName("Study defaults of the profile")
        sform = QFormLayout(self.study)
        sform.setHorizontalSpacing(14)
        self.new_per_day = count_box(self.study, "New facts per day")
        self.reviews_per_day = count_box(self.study, "Reviews per day", 99999)
        self.retention = percent_box(self.study, "Desired retention")
        self.retention.setToolTip("How likely you should be to remember a card when it comes "
                                  "back: higher means more reviews")
        for caption, box in (("&New facts per day", self.new_per_day),
                             ("&Reviews per day", self.reviews_per_day),
                             ("Desired re&tention", self.retention)):
            row_label = QLabel(caption, self.study)
            row_label.setBuddy(box)
            sform.addRow(row_label, box)
        note = QLabel("Each deck can override these in its options.", self.study)
        note.setObjectName("muted")
        sform.addRow(note)
        layout.addWidget(self.study)
        self.fit_group = self._parameters_group()
        layout.addWidget(self.fit_group)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName(
            "Save the settings")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            "Cancel without saving")
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill(values)
        self.setMinimumWidth(460)

    def _parameters_group(self) -> QGroupBox:
        group = QGroupBox("Personal parameters", self)
        group.setAccessibleName("Personal FSRS parameters")
        box = QVBoxLayout(group)
        box.setSpacing(8)
        self.fit_status = QLabel("Reading your answers…", group)
        self.fit_status.setWordWrap(True)
        self.fit_status.setAccessibleName("Personal parameters status")
        box.addWidget(self.fit_status)
        self.fit_result = QLabel("", group)
        self.fit_result.setWordWrap(True)
        self.fit_result.setObjectName("muted")
        self.fit_result.setAccessibleName("What the last fit found")
        self.fit_result.hide()
        box.addWidget(self.fit_result)
        self.fit_busy = QProgressBar(group)
        self.fit_busy.setRange(0, 0)  # busy: no end known
        self.fit_busy.setTextVisible(False)
        self.fit_busy.setMaximumHeight(8)
        self.fit_busy.setAccessibleName("Fitting in progress")
        self.fit_busy.hide()
        box.addWidget(self.fit_busy)
        row = QHBoxLayout()
        self.optimize_button = QPushButton("&Optimize now", group)
        self.optimize_button.setAccessibleName("Optimize the parameters now")
        self.optimize_button.setToolTip("Fit FSRS to your own answers; the fitted parameters "
                                        "are used only if they predict your newest answers "
                                        "better")
        self.reset_button = QPushButton("Reset to &defaults", group)
        self.reset_button.setAccessibleName("Reset the parameters to the defaults")
        self.optimize_button.clicked.connect(self.optimize_now)
        self.reset_button.clicked.connect(self.reset_parameters)
        row.addWidget(self.optimize_button)
        row.addWidget(self.reset_button)
        row.addStretch(1)
        box.addLayout(row)
        note = QLabel("Fitted automatically in the background once you have enough answers a "
                      "day or more apart, then again every "
                      f"{REFIT_EVERY:,} answers; the fitted parameters are used only when they "
                      "predict your newest answers better.", group)
        note.setObjectName("muted")
        note.setWordWrap(True)
        box.addWidget(note)
        group.setVisible(self._parameters is not None)
        if self._parameters is not None:
            self._run(self._parameters.status, self._show_status, busy=False)
        return group

    @property
    def fit_running(self) -> bool:
        """Whether the parameters' status, a fit or a reset is under way."""
        return self.runner.busy()

    def _run(self, job: Callable[[], Any], done: Callable[[Any], None], *,
             busy: bool = True) -> None:
        self.optimize_button.setEnabled(False)
        self.reset_button.setEnabled(False)
        self.fit_busy.setVisible(busy)

        def finished(result: Any) -> None:
            if not isValid(self):  # the dialog closed meanwhile
                return
            self._idle()
            done(result)

        def failed(exc: Exception) -> None:
            log.error("personal parameters: %s", exc, exc_info=exc)
            if not isValid(self):
                return
            self._idle()
            self.fit_result.setText(f"That did not work: {exc}")
            self.fit_result.show()
            self._grow()

        self.runner.start(job, finished, failed)

    def _idle(self) -> None:
        self.fit_busy.hide()
        self.optimize_button.setEnabled(True)
        self.reset_button.setEnabled(True)

    def _show_status(self, status: FitStatus) -> None:
        self.fit_status.setText(status.line())
        self.reset_button.setEnabled(status.record.personal)
        self._grow()

    def _grow(self) -> None:
        """Taller when a longer line came in, so that nothing is cut off."""
        QTimer.singleShot(0, self, self._grow_now)  # once the labels have laid out their text

    def _grow_now(self) -> None:
        layout = self.layout()
        if layout is None:
            return
        layout.invalidate()
        layout.activate()
        needed = max(self.minimumSizeHint().height(), layout.totalHeightForWidth(self.width()))
        if needed > self.height():
            self.resize(self.width(), needed)

    def optimize_now(self) -> None:
        """Fit now, in the background; then say what happened."""
        if self._parameters is None or self.fit_running:
            return
        self.fit_result.hide()
        self.fit_status.setText("Fitting FSRS to your answers…")

        def done(result: tuple[OptimizationReport, FitStatus]) -> None:
            report, status = result
            self.fit_result.setText(fit_outcome(report))
            self.fit_result.show()
            self._show_status(status)

        self._run(self._parameters.optimize, done)

    def reset_parameters(self) -> None:
        """Ask, then go back to FSRS' default parameters."""
        if self._parameters is None or self.fit_running:
            return
        answer = QMessageBox.question(
            self, "Reset to the default parameters?",
            "Schedule your reviews with FSRS' default parameters instead of the ones fitted "
            f"to your answers? The next automatic fit comes after {REFIT_EVERY:,} more answers; "
            "Optimize now fits again at once.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return

        def done(status: FitStatus) -> None:
            self.fit_result.setText("Back to the default parameters.")
            self.fit_result.show()
            self._show_status(status)

        self._run(self._parameters.reset, done)

    def _fill(self, v: SettingsValues) -> None:
        self.theme.setCurrentIndex(max(0, self.theme.findData(v.theme)))
        self.font_size.setValue(v.font_size)
        d = v.defaults
        self.study.setVisible(d is not None)
        if d is not None:
            self.new_per_day.setValue(d.new_per_day)
            self.reviews_per_day.setValue(d.reviews_per_day)
            self.retention.setValue(round(d.desired_retention * 100))

    def values(self) -> SettingsValues:
        """The settings as edited."""
        defaults = None
        if self.initial.defaults is not None:
            defaults = StudyDefaults(self.new_per_day.value(), self.reviews_per_day.value(),
                                     self.retention.value() / 100)
        return SettingsValues(str(self.theme.currentData()), self.font_size.value(),
                              self.initial.profile_name, defaults)

    def done(self, result: int) -> None:
        """Close; a fit or reset under way finishes first (it holds the database)."""
        self.runner.wait()
        super().done(result)

    def try_save(self) -> None:
        """Apply and store the settings, or say what is wrong."""
        problems = list(self._save(self.values()))
        if problems:
            self.error.setText("\n".join(problems))
            self.error.show()
            return
        self.accept()
