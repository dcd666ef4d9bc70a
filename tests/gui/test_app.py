"""Starting the app: the window comes up before the storage stack is imported."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(["quizapp"])
    from quizapp.gui import main_window

    seen = {}
    original = main_window.MainWindow.open_collection

    def open_collection(self, library=None):
        seen["visible"] = self.isVisible()
        seen["sqlalchemy"] = "sqlalchemy" in sys.modules
        original(self, library)
        seen["decks"] = self.deck_model.rowCount()
        QTimer.singleShot(0, self.close)

    main_window.MainWindow.open_collection = open_collection
    from quizapp.gui.app import run

    assert run([]) == 0
    app.exec()
    print(seen["visible"], seen["sqlalchemy"], seen["decks"])
    """
)


def test_window_shows_before_the_database_is_opened(quizapp_home: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QUIZAPP_HOME=str(quizapp_home))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    visible, sqlalchemy_loaded, decks = done.stdout.split()
    assert visible == "True"
    assert sqlalchemy_loaded == "False"
    assert int(decks) == 1
    assert (quizapp_home / "gui.json").is_file()
