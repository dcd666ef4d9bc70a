"""Deck options, settings, the first-run hint, and accessibility of the new screens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from quizapp.gui.main_window import MainWindow
from quizapp.gui.settings import GuiSettings
from quizapp.gui.theme import colors
from quizapp.gui.views.deck_options_dialog import DeckOptionsDialog
from quizapp.gui.views.settings_dialog import SettingsDialog
from quizapp.services.decks import deck_options, save_deck_options
from tests.gui.conftest import WAIT_MS, query
from tests.gui.test_browse import last_dialog, seed_deck_id
from tests.gui.test_main_window import assert_accessible


def test_deck_options_are_per_profile_overrides(window: MainWindow, qtbot: QtBot,
                                                quizapp_home: Path) -> None:
    deck_id = seed_deck_id(window)
    window.deck_page.select_deck(deck_id)
    window.act_deck_options.trigger()
    dialog = last_dialog(window, DeckOptionsDialog)
    assert dialog.new_default.isChecked() and not dialog.new_per_day.isEnabled()
    assert dialog.tolerance_auto.isChecked()
    dialog.new_default.setChecked(False)
    dialog.new_per_day.setValue(7)
    dialog.retention_default.setChecked(False)
    dialog.retention.setValue(85)
    dialog.tolerance_auto.setChecked(False)
    dialog.tolerance.setValue(5.0)
    dialog.try_save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert window.profile is not None
    pid = window.profile.profile_id
    assert query(quizapp_home, "SELECT new_per_day, reviews_per_day, desired_retention FROM "
                 "profile_deck WHERE profile_id = ? AND deck_id = ?", pid, deck_id) == [
        (7, None, 0.85)]
    assert query(quizapp_home, "SELECT number_tolerance FROM deck WHERE id = ?",
                 deck_id) == [(0.05,)]
    # The profile's own defaults are untouched.
    assert query(quizapp_home, "SELECT new_per_day, desired_retention FROM profile WHERE id = ?",
                 pid) == [(20, 0.9)]
    # Reopened, the dialog shows the overrides; back to the defaults removes the row.
    window.deck_options(deck_id)
    again = last_dialog(window, DeckOptionsDialog)
    assert not again.new_default.isChecked() and again.new_per_day.value() == 7
    assert again.retention.value() == 85 and again.tolerance.value() == pytest.approx(5.0)
    for box in (again.new_default, again.retention_default, again.tolerance_auto):
        box.setChecked(True)
    again.try_save()
    qtbot.waitUntil(lambda: not again.isVisible(), timeout=WAIT_MS)
    assert query(quizapp_home, "SELECT count(*) FROM profile_deck") == [(0,)]
    assert query(quizapp_home, "SELECT number_tolerance FROM deck WHERE id = ?",
                 deck_id) == [(None,)]


def test_invalid_options_are_refused_with_the_loaders_words(
        window: MainWindow, quizapp_home: Path) -> None:
    assert window.library is not None and window.profile is not None
    collection, pid = window.library.collection, window.profile.profile_id
    deck_id = seed_deck_id(window)
    from dataclasses import replace

    options = deck_options(collection, pid, deck_id)
    problems = save_deck_options(collection, pid, deck_id,
                                 replace(options, number_tolerance=1.5))
    assert problems == ["number_tolerance: must be between 0 and 1"]
    problems = save_deck_options(collection, pid, deck_id,
                                 replace(options, desired_retention=1.0))
    assert problems and "retention" in problems[0]
    assert query(quizapp_home, "SELECT number_tolerance FROM deck") == [(None,)]
    assert query(quizapp_home, "SELECT count(*) FROM profile_deck") == [(0,)]
    # Shown in the dialog, which stays open.
    dialog = window.deck_options(deck_id)
    assert isinstance(dialog, DeckOptionsDialog)
    dialog._save = lambda v: save_deck_options(collection, pid, deck_id,
                                               replace(v, number_tolerance=2.0))
    dialog.try_save()
    assert dialog.isVisible() and "number_tolerance" in dialog.error.text()
    dialog.reject()


def test_settings_dialog(window: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    window.act_settings.trigger()
    dialog = last_dialog(window, SettingsDialog)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.font_size.setValue(13)
    dialog.new_per_day.setValue(15)
    dialog.reviews_per_day.setValue(120)
    dialog.retention.setValue(87)
    dialog.try_save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert window.profile is not None
    assert query(quizapp_home, "SELECT new_per_day, reviews_per_day, desired_retention FROM "
                 "profile WHERE id = ?", window.profile.profile_id) == [(15, 120, 0.87)]
    assert colors().dark
    assert QApplication.font().pointSize() == 13
    data = json.loads((quizapp_home / "gui.json").read_text(encoding="utf-8"))
    assert data["theme"] == "dark" and data["font_size"] == 13
    window.set_theme("light")


def test_first_run_hint_is_shown_once(window: MainWindow, qtbot: QtBot,
                                      quizapp_home: Path) -> None:
    assert window.hint.isVisible()
    qtbot.mouseClick(window.hint.close_button, Qt.MouseButton.LeftButton)
    assert not window.hint.isVisible()
    assert json.loads((quizapp_home / "gui.json").read_text(encoding="utf-8"))["hint_shown"]
    window.close()
    again = MainWindow(GuiSettings.load())
    qtbot.addWidget(again)
    again.show()
    again.open_collection()
    qtbot.waitUntil(lambda: again.library is not None, timeout=WAIT_MS)
    assert not again.hint.isVisible()
    again.close()


def test_hint_is_remembered_even_when_not_dismissed(qtbot: QtBot, quizapp_home: Path) -> None:
    first = MainWindow(GuiSettings())
    qtbot.addWidget(first)
    first.show()
    first.open_collection()
    assert first.hint.isVisible()
    first.close()  # quits without pressing "Got it"
    assert json.loads((quizapp_home / "gui.json").read_text(encoding="utf-8"))["hint_shown"]


def test_new_screens_and_dialogs_are_accessible(window: MainWindow, qtbot: QtBot) -> None:
    for page in ("browse", "reader", "progress"):
        window.show_page(page)
        assert window.current_page() == page
    qtbot.waitUntil(lambda: not window.progress.busy, timeout=WAIT_MS)
    assert_accessible(window)
    dialogs: list[QWidget] = []
    window.browse.select_fact(None)
    dialogs.append(window.browse.edit_selected())  # type: ignore[arg-type]
    dialogs.append(window.browse.new_deck())  # type: ignore[arg-type]
    dialogs.append(window.deck_options(seed_deck_id(window)))  # type: ignore[arg-type]
    dialogs.append(window.show_settings())  # type: ignore[arg-type]
    for dialog in dialogs:
        assert dialog is not None and dialog.accessibleName()
        assert_accessible(dialog)
        dialog.close()


def focus_chain(start: QWidget, limit: int = 5000) -> list[QWidget]:
    """The widgets Tab visits from ``start`` (one round)."""
    seen: list[QWidget] = []
    widget: QWidget | None = start
    for _ in range(limit):
        assert widget is not None
        widget = widget.nextInFocusChain()
        if widget is start:
            break
        if (widget.isVisibleTo(start.window()) and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            seen.append(widget)
    return seen


def test_new_screens_are_keyboard_reachable(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page("browse")
    v = window.browse.view
    chain = focus_chain(v.search)
    for control in (v.new_deck, v.add_fact, v.deck_filter, v.kind_filter, v.state_filter,
                    v.due_filter, v.leech_filter, v.reported_filter, v.table, v.cards,
                    v.suspend, v.edit):
        assert control in chain, control.accessibleName()
    window.show_page("reader")
    r = window.reader.view
    chain = focus_chain(r.browser)
    for control in (r.deck_box, r.fact_box, r.add_from_selection):
        assert control in chain, control.accessibleName()
    # Shortcuts switch pages; Escape goes back to the deck list.
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "progress"
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == "browse" and v.search.hasFocus()
    qtbot.keyClick(v.search, Qt.Key.Key_Escape)
    assert window.current_page() == "decks"
    qtbot.waitUntil(lambda: not window.progress.busy, timeout=WAIT_MS)
