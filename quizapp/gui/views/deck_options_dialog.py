"""The deck options dialog: this learner's limits and retention for one deck, and its tolerance.

Each study setting can follow the profile's default (the box is ticked) or
override it for this deck only; the number tolerance belongs to the deck and
applies to every learner.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.views.fact_editor import error_style
from quizapp.services.decks import DeckOptions


def percent_box(parent: QWidget, name: str, low: int = 50, high: int = 99) -> QSpinBox:
    """A spin box for a rate shown as a whole percentage."""
    box = QSpinBox(parent)
    box.setRange(low, high)
    box.setSuffix(" %")
    box.setAccessibleName(name)
    return box


def count_box(parent: QWidget, name: str, high: int = 9999) -> QSpinBox:
    """A spin box for a daily count."""
    box = QSpinBox(parent)
    box.setRange(0, high)
    box.setAccessibleName(name)
    box.setGroupSeparatorShown(False)
    return box


class _Override:
    """A "use the default" tick box next to the spin box it unlocks."""

    def __init__(self, box: QSpinBox | QDoubleSpinBox, check: QCheckBox) -> None:
        self.box = box
        self.check = check
        check.toggled.connect(self._toggled)

    def _toggled(self, use_default: bool) -> None:
        self.box.setEnabled(not use_default)
        if not use_default:
            self.box.setFocus(Qt.FocusReason.OtherFocusReason)


class DeckOptionsDialog(QDialog):
    """Options of one deck for the current learner.

    ``save`` gets the edited :class:`DeckOptions` and returns the problems in
    plain words (empty: stored, the dialog closes).
    """

    def __init__(self, options: DeckOptions,
                 save: Callable[[DeckOptions], Sequence[str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self._save = save
        self.setWindowTitle("Deck options")
        self.setAccessibleName("Deck options")
        self.setStyleSheet(error_style())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(12)
        head = QLabel(f"<b>{html.escape(options.deck_name)}</b>", self)
        head.setTextFormat(Qt.TextFormat.RichText)
        head.setWordWrap(True)
        layout.addWidget(head)
        self.error = QLabel("", self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problems with the options")
        self.error.hide()
        layout.addWidget(self.error)

        d = options.defaults
        study = QGroupBox(f"Study limits for {options.profile_name}", self)
        study.setAccessibleName("Study limits for this deck")
        grid = QGridLayout(study)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.new_per_day = count_box(study, "New facts per day")
        self.reviews_per_day = count_box(study, "Reviews per day", 99999)
        self.retention = percent_box(study, "Desired retention")
        self.retention.setToolTip("How likely you should be to remember a card when it "
                                  "comes back: higher means more reviews")
        self.new_default = QCheckBox(f"Use my default ({d.new_per_day})", study)
        self.new_default.setAccessibleName("Use the default number of new facts per day")
        self.reviews_default = QCheckBox(f"Use my default ({d.reviews_per_day})", study)
        self.reviews_default.setAccessibleName("Use the default number of reviews per day")
        self.retention_default = QCheckBox(
            f"Use my default ({round(d.desired_retention * 100)} %)", study)
        self.retention_default.setAccessibleName("Use the default desired retention")
        rows = (
            ("&New facts per day", self.new_per_day, self.new_default),
            ("&Reviews per day", self.reviews_per_day, self.reviews_default),
            ("Desired re&tention", self.retention, self.retention_default),
        )
        self._overrides = []
        for i, (text, box, check) in enumerate(rows):
            label = QLabel(text, study)
            label.setBuddy(box)
            grid.addWidget(label, i, 0)
            grid.addWidget(box, i, 1)
            grid.addWidget(check, i, 2)
            self._overrides.append(_Override(box, check))
        grid.setColumnStretch(3, 1)
        layout.addWidget(study)

        deck_box = QGroupBox("Deck (every learner)", self)
        deck_box.setAccessibleName("Deck settings for every learner")
        dgrid = QGridLayout(deck_box)
        dgrid.setHorizontalSpacing(12)
        self.tolerance = QDoubleSpinBox(deck_box)
        self.tolerance.setRange(0.0, 99.9)
        self.tolerance.setDecimals(1)
        self.tolerance.setSingleStep(0.5)
        self.tolerance.setSuffix(" %")
        self.tolerance.setAccessibleName("Number tolerance")
        self.tolerance.setToolTip("How far a typed number may be from the right one and still "
                                  "count: 0 % means exact")
        self.tolerance_auto = QCheckBox("Automatic", deck_box)
        self.tolerance_auto.setAccessibleName("Automatic number tolerance")
        self.tolerance_auto.setToolTip("Counts the article gives exactly must be exact; figures "
                                       "it gives as approximate, rounded or in millions may be "
                                       "1 % off")
        label = QLabel("Number &tolerance", deck_box)
        label.setBuddy(self.tolerance)
        dgrid.addWidget(label, 0, 0)
        dgrid.addWidget(self.tolerance, 0, 1)
        dgrid.addWidget(self.tolerance_auto, 0, 2)
        dgrid.setColumnStretch(3, 1)
        self._overrides.append(_Override(self.tolerance, self.tolerance_auto))
        layout.addWidget(deck_box)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName(
            "Save the deck options")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            "Cancel without saving")
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill(options)
        self.setMinimumWidth(580)

    def _fill(self, o: DeckOptions) -> None:
        d = o.defaults
        self.new_per_day.setValue(o.new_per_day if o.new_per_day is not None else d.new_per_day)
        self.reviews_per_day.setValue(o.reviews_per_day if o.reviews_per_day is not None
                                      else d.reviews_per_day)
        rate = o.desired_retention if o.desired_retention is not None else d.desired_retention
        self.retention.setValue(round(rate * 100))
        self.tolerance.setValue((o.number_tolerance or 0.0) * 100)
        for check, value in ((self.new_default, o.new_per_day),
                             (self.reviews_default, o.reviews_per_day),
                             (self.retention_default, o.desired_retention),
                             (self.tolerance_auto, o.number_tolerance)):
            check.setChecked(True)  # fires toggled so the spin box state follows
            check.setChecked(value is None)
        for ov in self._overrides:
            ov.box.setEnabled(not ov.check.isChecked())

    def values(self) -> DeckOptions:
        """The options as edited."""
        from dataclasses import replace

        return replace(
            self.options,
            new_per_day=None if self.new_default.isChecked() else self.new_per_day.value(),
            reviews_per_day=(None if self.reviews_default.isChecked()
                             else self.reviews_per_day.value()),
            desired_retention=(None if self.retention_default.isChecked()
                               else self.retention.value() / 100),
            number_tolerance=(None if self.tolerance_auto.isChecked()
                              else round(self.tolerance.value() / 100, 4)),
        )

    def try_save(self) -> None:
        """Store the options, or say what is wrong."""
        problems = list(self._save(self.values()))
        if problems:
            self.error.setText("\n".join(problems))
            self.error.show()
            return
        self.accept()
