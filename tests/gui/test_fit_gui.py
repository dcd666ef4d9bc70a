"""Personal FSRS parameters in the app: the automatic fit after a study sitting, and the
Settings dialog's Personal parameters group (Optimize now, Reset to defaults), on a real
SQLite collection whose profile "Ana" studied through the study session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from quizapp.gui.controllers.fitting import switched_message
from quizapp.gui.main_window import MainWindow
from quizapp.gui.settings import GuiSettings
from quizapp.gui.views.settings_dialog import SettingsDialog
from quizapp.scheduling.optimize import MIN_FIT_REVIEWS, FitRecord
from tests.fit_history import copy_collection, studied_file
from tests.gui.conftest import WAIT_MS, query

FIT_WAIT_MS = 120_000  # a fit of a thousand answers, on a loaded machine


@pytest.fixture(scope="module")
def studied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return studied_file(tmp_path_factory.mktemp("fit-gui"))


@pytest.fixture
def ana(studied: Path, qtbot: QtBot, quizapp_home: Path) -> Iterator[MainWindow]:
    """The main window on the studied collection, profile Ana, her deck selected."""
    copy_collection(studied, quizapp_home)
    win = MainWindow(GuiSettings(hint_shown=True))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win, timeout=WAIT_MS)
    win.open_collection()
    qtbot.waitUntil(lambda: win.library is not None and win.deck_model.rowCount() > 0,
                    timeout=WAIT_MS)
    win.reload_profiles("Ana")
    assert win.profile is not None and win.profile.name == "Ana"
    deck = next(d for d in win.deck_model.decks() if d.key == "fit")
    win.deck_page.select_deck(deck.deck_id)
    yield win
    if win.study.active:
        win.study.stop()
    win.close()


def _record(home: Path, name: str) -> FitRecord:
    rows = query(home, "SELECT fsrs_parameters FROM profile WHERE name = ?", name)
    assert len(rows) == 1
    text = rows[0][0]
    assert text is None or isinstance(text, str)
    return FitRecord.from_text(text)


def _sitting(window: MainWindow, qtbot: QtBot) -> None:
    """Study the selected deck: answer one flashcard or question, end on the summary."""
    window.start_study()
    qtbot.waitUntil(lambda: window.study.state == window.study.QUESTION, timeout=WAIT_MS)
    window.study.finish()
    assert window.study.state == window.study.SUMMARY


def test_a_sitting_that_ends_with_enough_history_fits_in_the_background(
        ana: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    assert not _record(quizapp_home, "Ana").personal
    _sitting(ana, qtbot)
    assert ana.fitting.busy()  # the fit runs off the GUI thread
    qtbot.waitUntil(lambda: ana.fitting.last_report is not None, timeout=FIT_WAIT_MS)
    report = ana.fitting.last_report
    assert report is not None and report.switched
    assert ana.status.text() == switched_message(report)
    record = _record(quizapp_home, "Ana")
    assert record.parameters == report.fitted_parameters
    assert record.last_attempt is not None and record.last_attempt.switched
    # The next sitting finds nothing due: no second fit, nothing changes.
    ana.show_decks()
    _sitting(ana, qtbot)
    qtbot.waitUntil(lambda: not ana.fitting.busy(), timeout=FIT_WAIT_MS)
    assert ana.fitting.last_report is report
    assert _record(quizapp_home, "Ana") == record


def _settings(window: MainWindow, qtbot: QtBot) -> SettingsDialog:
    window.act_settings.trigger()
    dialogs = [d for d in window.open_dialogs() if isinstance(d, SettingsDialog)]
    assert dialogs
    dialog = dialogs[-1]
    qtbot.waitUntil(lambda: not dialog.fit_running, timeout=FIT_WAIT_MS)
    return dialog


def test_settings_optimize_now_and_reset_to_defaults(
        ana: MainWindow, qtbot: QtBot, quizapp_home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _settings(ana, qtbot)
    assert dialog.fit_group.isVisible()
    assert dialog.fit_status.text().startswith("Default parameters: ")
    assert "enough for a fit" in dialog.fit_status.text()
    assert not dialog.reset_button.isEnabled()  # nothing to reset yet

    qtbot.mouseClick(dialog.optimize_button, Qt.MouseButton.LeftButton)
    assert dialog.fit_running and dialog.fit_busy.isVisible()
    assert not dialog.optimize_button.isEnabled() and not dialog.reset_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.fit_running, timeout=FIT_WAIT_MS)
    assert not dialog.fit_busy.isVisible() and dialog.optimize_button.isEnabled()
    record = _record(quizapp_home, "Ana")
    assert record.personal and record.reviews is not None
    assert record.predicted_retention is not None and record.actual_retention is not None
    assert dialog.fit_status.text() == (
        f"Personal parameters: fitted on {record.reviews:,} reviews on "
        f"{record.fitted_at.astimezone().day if record.fitted_at else 0} "
        f"{record.fitted_at.astimezone().strftime('%B') if record.fitted_at else ''}; "
        f"predicted retention {record.predicted_retention:.0%}, "
        f"actual {record.actual_retention:.0%}.")
    assert dialog.fit_result.text().startswith(
        f"Switched to parameters fitted on {record.reviews:,} reviews")
    assert dialog.reset_button.isEnabled()

    # Reset asks first: Cancel changes nothing.
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> Any:
        def question(parent: Any, title: str, *args: Any) -> QMessageBox.StandardButton:
            asked.append(title)
            return button
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert asked == ["Reset to the default parameters?"] and not dialog.fit_running
    assert _record(quizapp_home, "Ana") == record

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.fit_running, timeout=FIT_WAIT_MS)
    reset = _record(quizapp_home, "Ana")
    assert reset.parameters is None and reset.last_attempt is not None
    assert dialog.fit_status.text().startswith("Default parameters: reset on ")
    assert dialog.fit_result.text() == "Back to the default parameters."
    assert not dialog.reset_button.isEnabled()
    dialog.reject()


def test_settings_of_a_new_learner_say_how_many_answers_a_fit_needs(
        window: MainWindow, qtbot: QtBot) -> None:
    dialog = _settings(window, qtbot)
    assert dialog.fit_status.text() == (
        f"Default parameters: a fit needs {MIN_FIT_REVIEWS} answers a day or more apart; "
        "you have 0.")
    qtbot.mouseClick(dialog.optimize_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.fit_running, timeout=FIT_WAIT_MS)
    assert dialog.fit_result.text() == (
        f"No fit: too few reviews: 0 answers a day or more apart, a fit needs "
        f"{MIN_FIT_REVIEWS}.")
    dialog.reject()
