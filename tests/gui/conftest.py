"""GUI test fixtures: a main window on a real SQLite file in the test's QUIZAPP_HOME.

The root conftest already sets the offscreen platform and a private
QUIZAPP_HOME per test; nothing here changes either.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from quizapp.gui.controllers.backups import finish_exit_backups
from quizapp.gui.main_window import MainWindow
from quizapp.gui.settings import GuiSettings

WAIT_MS = 10_000


@pytest.fixture(autouse=True)
def exit_backups_finished() -> Iterator[None]:
    """After each test, the exit backups of the windows it closed have ended (as at app exit)."""
    yield
    assert finish_exit_backups(60)


@pytest.fixture
def window(qtbot: QtBot, quizapp_home: Path) -> Iterator[MainWindow]:
    """The main window, shown, on the default database (seed deck loaded)."""
    win = MainWindow(GuiSettings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win, timeout=WAIT_MS)
    win.open_collection()
    qtbot.waitUntil(lambda: win.library is not None and win.deck_model.rowCount() > 0,
                    timeout=WAIT_MS)
    yield win
    if win.study.active:
        win.study.stop()
    win.close()


def database_file(home: Path) -> Path:
    """The SQLite file the app uses under QUIZAPP_HOME."""
    return home / "quizapp.sqlite3"


def query(home: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Run a read query on the app's database file with plain sqlite3."""
    con = sqlite3.connect(database_file(home))
    try:
        return list(con.execute(sql, params))
    finally:
        con.close()
