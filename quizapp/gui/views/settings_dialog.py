"""The settings dialog: appearance (theme, text size) and the learner's study defaults."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.views.deck_options_dialog import count_box, percent_box
from quizapp.gui.views.fact_editor import error_style
from quizapp.services.decks import StudyDefaults

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


class SettingsDialog(QDialog):
    """App settings and the current learner's defaults.

    ``save`` gets the edited values and returns the problems in plain words
    (empty: applied and stored; the dialog closes).
    """

    def __init__(self, values: SettingsValues,
                 save: Callable[[SettingsValues], Sequence[str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.initial = values
        self._save = save
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

    def try_save(self) -> None:
        """Apply and store the settings, or say what is wrong."""
        problems = list(self._save(self.values()))
        if problems:
            self.error.setText("\n".join(problems))
            self.error.show()
            return
        self.accept()
