"""An answer given while another connection holds SQLite's write lock.

A second, real connection to the app's database file takes the write lock
(``BEGIN IMMEDIATE``). The study panel tries again; if the lock is still
held it says plainly that the answer was not saved and keeps the question
on screen, and nothing is half stored.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from quizapp.gui.controllers.study_panel import ANSWER_NOT_SAVED, StudyPanel
from quizapp.gui.main_window import MainWindow
from quizapp.questions.model import Form
from tests.gui.conftest import WAIT_MS, database_file, query
from tests.gui.test_study import answer, wait_feedback, wait_question

BUSY_MS = 300  # how long each try of the study session waits for the lock here


@pytest.fixture
def blocker(quizapp_home: Path) -> Iterator[sqlite3.Connection]:
    """A second connection to the app's database, in autocommit mode (BEGIN by hand)."""
    conn = sqlite3.connect(database_file(quizapp_home), isolation_level=None)
    yield conn
    if conn.in_transaction:
        conn.rollback()
    conn.close()


def _study(window: MainWindow, qtbot: QtBot) -> StudyPanel:
    window.start_study()
    study = window.study
    wait_question(qtbot, study)
    session = study.session
    assert session is not None
    conn = session._conn  # the connection the session answers on
    assert conn is not None
    conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_MS}")
    return study


def reviews(home: Path) -> int:
    return int(query(home, "SELECT count(*) FROM review")[0][0])  # type: ignore[call-overload]


def test_an_answer_the_database_stays_busy_for_is_not_lost_silently(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path, blocker: sqlite3.Connection
) -> None:
    study = _study(window, qtbot)
    question = study.question
    assert question is not None
    before = reviews(quizapp_home)
    blocker.execute("BEGIN IMMEDIATE")  # holds the write lock through every try
    messages: list[str] = []
    study.status_message.connect(messages.append)
    answer(qtbot, study, question, right=True, mouse=False)
    # Told plainly; the question is still there to answer again; nothing stored.
    assert ANSWER_NOT_SAVED in messages
    boxes = [d for d in window.open_dialogs() if d.windowTitle() == "Answer not saved"]
    assert len(boxes) == 1
    assert study.state == StudyPanel.QUESTION and study.question is question
    blocker.rollback()
    assert reviews(quizapp_home) == before
    boxes[0].close()
    # Given again once the database is free: stored, and the feedback shows.
    if question.form is Form.FLASHCARD:
        study.rate(3)
    else:
        study.submit(question.answers[0])
        wait_feedback(qtbot, study)
    assert reviews(quizapp_home) == before + 1


def test_an_answer_is_tried_again_when_the_database_was_busy(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path, blocker: sqlite3.Connection
) -> None:
    study = _study(window, qtbot)
    question = study.question
    assert question is not None
    before = reviews(quizapp_home)
    blocker.execute("BEGIN IMMEDIATE")

    class ReleaseAfterFirstTry(logging.Handler):
        """Frees the database when the panel reports its first failed try."""

        def emit(self, record: logging.LogRecord) -> None:
            if "try 1 of" in record.getMessage() and blocker.in_transaction:
                blocker.rollback()

    handler = ReleaseAfterFirstTry()
    logger = logging.getLogger("quizapp.gui.controllers.study_panel")
    logger.addHandler(handler)
    try:
        answer(qtbot, study, question, right=True, mouse=False)
    finally:
        logger.removeHandler(handler)
    wait_feedback(qtbot, study)
    assert reviews(quizapp_home) == before + 1
    assert not any(d.windowTitle() == "Answer not saved" for d in window.open_dialogs())
    qtbot.waitUntil(lambda: study.view.feedback.isVisible(), timeout=WAIT_MS)
