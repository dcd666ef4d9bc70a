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
             "PySide6.QtMultimedia", "quizapp.cli.study", "quizapp.cli.optimize")
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
    from quizapp.cli import main

    status = main([])  # as the quizapp command with no arguments
    print("loaded:", ",".join(seen["loaded"]))
    print("after:", ",".join(m for m in LATER if m in sys.modules))
    sys.exit(status)
    """
)


def test_first_question_is_painted_before_other_screens_or_qt_multimedia_load(
        quizapp_home: Path) -> None:
    """A start straight into a sitting imports neither Browse, Reader nor Progress (they are
    built when first shown), nor Qt Multimedia (loaded when a sound is first shown), nor the
    command line's parsers (the command without arguments goes straight to the app)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QUIZAPP_HOME=str(quizapp_home),
               QUIZAPP_STUDY_AT_START="1", QUIZAPP_FIRST_QUESTION_STAMP="quit")
    done = subprocess.run([sys.executable, "-c", FIRST_QUESTION_SCRIPT], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("first-question-painted ") for line in lines)
    assert "loaded: " in lines and "after: " in lines  # none of them, even at the close


SOURCE_READS_SCRIPT = textwrap.dedent(
    """
    import inspect, sys
    import PySide6.QtWidgets
    from quizapp.gui.app import skip_source_reads

    feature = sys.modules["shibokensupport.feature"]
    own_check = feature._mod_uses_pyside
    before = set(sys.modules)
    read = []
    real_getsource = inspect.getsource

    def getsource(obj):
        read.append(getattr(obj, "__name__", "?"))
        return real_getsource(obj)

    inspect.getsource = getsource
    assert skip_source_reads() and skip_source_reads()  # a second call changes nothing
    import quizapp.services.collection, quizapp.study
    import quizapp.gui.controllers.browse_panel
    inspect.getsource = real_getsource
    new = sorted(set(sys.modules) - before)
    verdicts = feature.pyside_feature_dict
    # The verdict given without reading is the one PySide6 reads from the source.
    wrong = [m for m in new if m in verdicts and sys.modules.get(m) is not None
             and (verdicts[m] == 0) != own_check(sys.modules[m])]
    print("new", len(new))
    from quizapp.gui.app import NOT_QT
    spared = [r for r in read if r.partition(".")[0] in NOT_QT | set(sys.stdlib_module_names)
              or (r.startswith("quizapp.") and not r.startswith("quizapp.gui."))]
    print("read", ",".join(spared))
    print("gui_read", any(r.startswith("quizapp.gui.") for r in read))
    print("wrong", ",".join(wrong))
    """
)


def test_pyside_is_spared_reading_the_source_of_modules_known_not_to_use_it() -> None:
    """SQLAlchemy, SQLModel, pydantic and quizapp's core are imported with no source read
    by PySide6; GUI modules are still read, and every verdict is the one a read gives."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", SOURCE_READS_SCRIPT], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) if " " in line else (line, "")
                 for line in done.stdout.splitlines())
    assert int(lines["new"]) > 200  # the storage stack was imported here
    assert lines["read"] == ""  # none of the storage stack, the core or the standard library
    assert lines["gui_read"] == "True"
    assert lines["wrong"] == ""


GC_SCRIPT = textwrap.dedent(
    """
    import gc, sys
    from PySide6.QtCore import QEvent, QObject
    from quizapp.gui import main_window
    from quizapp.cli import main

    seen = {"passes": 0}
    original = main_window.MainWindow.start_study

    class Watch(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and watched.text() and "painted" not in seen:
                seen["painted"] = seen["passes"]
            return False

    def start_study(self):
        seen["enabled at start"] = gc.isenabled()
        original(self)
        self._watch = Watch(self)
        self.study.view.prompt.installEventFilter(self._watch)

    def count(phase, info):
        if phase == "start":
            seen["passes"] += 1

    main_window.MainWindow.start_study = start_study
    gc.collect()
    gc.callbacks.append(count)
    status = main([])
    gc.callbacks.remove(count)
    print(seen["enabled at start"], seen["painted"], gc.isenabled())
    sys.exit(status)
    """
)


def test_no_garbage_collection_pass_runs_before_the_first_question_is_painted(
        quizapp_home: Path) -> None:
    """The collector is paused from the start to the event loop's first turn, and what the
    start made is set aside then: no pass walks it before the first question is painted;
    collecting is on again afterwards."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QUIZAPP_HOME=str(quizapp_home),
               QUIZAPP_STUDY_AT_START="1", QUIZAPP_FIRST_QUESTION_STAMP="quit")
    done = subprocess.run([sys.executable, "-c", GC_SCRIPT], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "False 0 True"


EMBEDDED_SCRIPT = textwrap.dedent(
    """
    import gc
    from PySide6.QtWidgets import QApplication
    from quizapp.gui.app import _open_windows, run
    from quizapp.gui.controllers.backups import finish_exit_backups

    app = QApplication(["quizapp"])
    before = gc.isenabled()
    status = run([])  # in a running application: returns with the window open
    after = gc.isenabled()
    _open_windows.pop().close()
    app.processEvents()
    print(before, status, after, finish_exit_backups(60))
    """
)


def test_an_embedded_start_leaves_garbage_collection_on(quizapp_home: Path) -> None:
    """Started inside an application that runs its own loop (as tests do), the app
    returns with collecting on (in a process of its own: the theme it applies stays)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QUIZAPP_HOME=str(quizapp_home))
    done = subprocess.run([sys.executable, "-c", EMBEDDED_SCRIPT], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "0", "True", "True"]
