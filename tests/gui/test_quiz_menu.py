"""The main window's quiz-mode actions: practice test, printed quiz, progress and profile files."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot

from quizapp.gui.main_window import MainWindow

from .conftest import WAIT_MS


def test_practice_test_opens_from_the_study_menu(qtbot: QtBot, window: MainWindow) -> None:
    assert window.practice is None  # built on first use
    window.act_practice_test.trigger()
    qtbot.waitUntil(lambda: window.practice is not None, timeout=WAIT_MS)
    assert window.practice is not None
    assert window.pages.currentWidget() is window.practice.view
    window.act_back.trigger()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.deck_page, timeout=WAIT_MS)


def test_print_quiz_writes_a_pdf(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "quiz.pdf"
    monkeypatch.setattr(QInputDialog, "getInt", lambda *a, **k: (8, True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF"))
    window.deck_page.table.selectRow(0)
    window.act_print_quiz.trigger()
    qtbot.waitUntil(out.exists, timeout=WAIT_MS)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Answer key" in text
    assert "8." in text and "9." not in text.split("Answer key")[0]
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # readable by a print server


def test_progress_file_export(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "me.json"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Progress file")
    )
    window.act_export_progress.trigger()
    qtbot.waitUntil(target.exists, timeout=WAIT_MS)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert "Student" in json.dumps(data)


def test_escape_during_a_practice_test_asks_before_ending_it(
        qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from quizapp.gui.controllers.practice_test_panel import PracticeTestPanel

    window.act_practice_test.trigger()
    qtbot.waitUntil(lambda: window.practice is not None, timeout=WAIT_MS)
    practice = window.practice
    assert practice is not None
    qtbot.mouseClick(practice.view.setup.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: practice.state == PracticeTestPanel.QUESTION, timeout=WAIT_MS)
    asked: list[str] = []

    def answer_with(button: QMessageBox.StandardButton) -> None:
        def question(_parent: object, title: str, *_a: object, **_k: object
                     ) -> QMessageBox.StandardButton:
            asked.append(title)
            return button
        monkeypatch.setattr(QMessageBox, "question", staticmethod(question))

    answer_with(QMessageBox.StandardButton.No)
    window.act_back.trigger()  # Escape
    assert asked == ["End the practice test?"]
    assert practice.active and window.pages.currentWidget() is practice.view
    answer_with(QMessageBox.StandardButton.Yes)
    window.act_back.trigger()
    assert asked == ["End the practice test?"] * 2
    assert not practice.active and window.pages.currentWidget() is window.deck_page
