"""Every window and dialog fits a 1366×768 screen with a taskbar (1366×728 left).

Each is opened the way a user opens it (menu actions, the Browse buttons, the
study screen's Report), on a real collection, offscreen; its size on screen and
the least size its layout allows must both fit.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from quizapp.gui.main_window import MainWindow
from tests.gui import test_class_report
from tests.gui.conftest import WAIT_MS

SCREEN_W, SCREEN_H = 1366, 768 - 40  # a taskbar's room left
teacher_url = test_class_report.teacher_url  # a classroom on PostgreSQL (a teacher's role)
ROOT = Path(__file__).resolve().parents[2]


def _fits(widget: QWidget) -> list[str]:
    out = []
    for what, size in (("size", widget.size()), ("least size", widget.minimumSizeHint()),
                       ("minimum", widget.minimumSize())):
        if size.width() > SCREEN_W or size.height() > SCREEN_H:
            out.append(f"{type(widget).__name__} {what} {size.width()}x{size.height()}")
    return out


def _ptr(widget: QWidget) -> int:
    return int(shiboken6.getCppPointer(widget)[0])


def _new_dialog(window: MainWindow, qtbot: QtBot, before: set[int],
                kind: type[QWidget] = QDialog) -> QWidget:
    def found() -> QWidget | None:
        for w in QApplication.topLevelWidgets():
            if (shiboken6.isValid(w) and w.isVisible() and isinstance(w, kind)
                    and _ptr(w) not in before and w is not window):
                return w
        return None

    qtbot.waitUntil(lambda: found() is not None, timeout=WAIT_MS)
    widget = found()
    assert widget is not None
    return widget


def _close_all(window: MainWindow) -> None:
    for w in QApplication.topLevelWidgets():
        if w is not window and shiboken6.isValid(w) and w.isVisible():
            w.close()


OPENERS: dict[str, Callable[[MainWindow], object]] = {
    "settings": lambda w: w.act_settings.trigger(),
    "deck options": lambda w: w.act_deck_options.trigger(),
    "backups": lambda w: w.act_backups.trigger(),
    "keyboard shortcuts": lambda w: w.act_shortcuts.trigger(),
    "csv format": lambda w: w.act_csv_format.trigger(),
    "about": lambda w: w.act_about.trigger(),
    "class view": lambda w: w.act_class_view.trigger(),
    "new deck": lambda w: (w.show_page("browse"), w.browse.new_deck()),
    "add fact": lambda w: (w.show_page("browse"), w.browse.add_fact()),
    "edit fact": lambda w: (w.show_page("browse"), w.browse.select_fact(None),
                            w.browse.edit_selected()),
    "import error": lambda w: w.import_deck(ROOT / "tests" / "fixtures" / "import"
                                            / "missing-back.csv"),
    "article review": lambda w: w.new_deck_from_article(
        ROOT / "tests" / "extraction_eval" / "articles" / "stampede.txt"),
}


@pytest.mark.parametrize("name", list(OPENERS))
def test_every_dialog_fits_a_small_screen(window: MainWindow, qtbot: QtBot, name: str,
                                          tmp_path: Path) -> None:
    window.show()
    qtbot.waitExposed(window)
    assert not _fits(window), _fits(window)
    before = {_ptr(w) for w in QApplication.topLevelWidgets()}
    if name == "import error":
        bad = tmp_path / "missing-back.csv"
        bad.write_text("Front,Back\nA,\n", encoding="utf-8")
        window.import_deck(bad)
    else:
        OPENERS[name](window)
    dialog = _new_dialog(window, qtbot, before)
    QApplication.processEvents()
    assert not _fits(dialog), _fits(dialog)
    _close_all(window)


def test_the_report_dialog_and_the_main_window_fit(window: MainWindow, qtbot: QtBot) -> None:
    window.show()
    qtbot.waitExposed(window)
    window.start_study()
    qtbot.waitUntil(lambda: window.study.question is not None, timeout=WAIT_MS)
    before = {_ptr(w) for w in QApplication.topLevelWidgets()}
    window.act_report.trigger()
    dialog = _new_dialog(window, qtbot, before)
    assert not _fits(dialog), _fits(dialog)
    dialog.close()
    assert not _fits(window), _fits(window)
    window.resize(SCREEN_W, SCREEN_H)  # the window itself works at that size
    QApplication.processEvents()
    assert window.width() <= SCREEN_W and window.height() <= SCREEN_H


def test_the_class_report_dialog_fits(qtbot: QtBot, teacher_url: str) -> None:
    # PostgreSQL only: the report a teacher reads of their class, opened as
    # File › Class report… opens it, read through the teacher's own role.
    from quizapp.gui.views.class_report_view import ClassReportDialog
    from quizapp.services.collection import Collection

    with Collection.open(teacher_url, first_start=False) as col:
        dialog = ClassReportDialog(col)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(lambda: dialog.view.report is not None, timeout=WAIT_MS)
        QApplication.processEvents()
        assert dialog.view.table.rowCount() == 2 and dialog.view.missed.rowCount() > 0
        assert not _fits(dialog), _fits(dialog)
        # Squeezed to the least size its layout allows, the report is still all there:
        # its tables scroll rather than push the Close button off the screen.
        least = dialog.minimumSizeHint()
        dialog.resize(least)
        QApplication.processEvents()
        close = dialog.findChild(QDialogButtonBox)
        assert close is not None and close.isVisible()
        bottom = close.mapTo(dialog, close.rect().bottomLeft()).y()
        assert bottom <= dialog.height() <= SCREEN_H
        dialog.resize(SCREEN_W, SCREEN_H)
        QApplication.processEvents()
        assert dialog.width() <= SCREEN_W and dialog.height() <= SCREEN_H
        dialog.close()
