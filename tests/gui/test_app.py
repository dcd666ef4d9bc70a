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


FIRST_QUESTION_SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QEvent, QObject
    from quizapp.gui import main_window

    LATER = ("quizapp.gui.controllers.browse_panel", "quizapp.gui.controllers.reader_panel",
             "quizapp.gui.controllers.progress_panel", "quizapp.gui.views.browse_view",
             "quizapp.gui.views.reader_view", "quizapp.gui.views.progress_view",
             "PySide6.QtMultimedia")
    seen = {}
    original = main_window.MainWindow.start_study

    class Watch(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and watched.text() and not seen:
                seen["loaded"] = [m for m in LATER if m in sys.modules]
            return False

    def start_study(self):
        original(self)
        self._watch = Watch(self)
        self.study.view.prompt.installEventFilter(self._watch)

    main_window.MainWindow.start_study = start_study
    from quizapp.gui.app import run

    status = run([])
    print("loaded:", ",".join(seen["loaded"]))
    print("after:", ",".join(m for m in LATER if m in sys.modules))
    sys.exit(status)
    """
)


def test_first_question_is_painted_before_other_screens_or_qt_multimedia_load(
        quizapp_home: Path) -> None:
    """A start straight into a sitting imports neither Browse, Reader nor Progress (they are
    built when first shown) nor Qt Multimedia (loaded when a sound is first shown)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QUIZAPP_HOME=str(quizapp_home),
               QUIZAPP_STUDY_AT_START="1", QUIZAPP_FIRST_QUESTION_STAMP="quit")
    done = subprocess.run([sys.executable, "-c", FIRST_QUESTION_SCRIPT], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("first-question-painted ") for line in lines)
    assert "loaded: " in lines and "after: " in lines  # none of them, even at the close
