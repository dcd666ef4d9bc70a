"""Starting the desktop app: ``quizapp`` with no arguments runs :func:`run`.

The window is shown first and the storage stack (SQLAlchemy, the database, the
seed deck) is imported and opened right after, so the app appears at once.

Two environment variables serve start-up measurements and scripted runs:

- ``QUIZAPP_STUDY_AT_START=1`` starts studying the selected deck as soon as
  the collection is open.
- ``QUIZAPP_FIRST_QUESTION_STAMP=1`` prints ``first-question-painted <epoch
  seconds>`` on standard output once the first question has been painted,
  and ``first-question-cpu <process> <main thread>``, the CPU seconds spent
  until then (``=quit`` then closes the window and prints ``window-closed <epoch
  seconds> <epoch seconds>``: the moment it is hidden, and the moment the close
  was asked for); ``benchmarks/bench_gui_start.py`` and
  ``benchmarks/side_by_side.py`` use it.

When the window closes, the exit backup runs on a thread of its own; the
process ends once that backup has been written and checked
(:func:`quizapp.gui.controllers.backups.finish_exit_backups`).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from typing import Any

_open_windows: list[Any] = []  # keeps a window alive when run() does not own the loop

#: Packages that never use PySide6 (with the standard library and quizapp outside
#: ``quizapp.gui``): PySide6 need not read their source (:func:`skip_source_reads`).
NOT_QT = frozenset({"sqlalchemy", "sqlmodel", "pydantic", "pydantic_core", "annotated_types",
                    "typing_extensions", "typing_inspection", "fsrs", "fsrs_rs_python",
                    "tomlkit", "psycopg", "psycopg_binary", "psycopg_c"})


def skip_source_reads() -> bool:
    """Spare PySide6 reading the source of every module imported after it.

    PySide6 (its ``__feature__`` support) reads the whole source of each module
    imported once it is loaded, to see whether the text names PySide6: for the
    storage stack imported after the window is shown (SQLAlchemy, SQLModel,
    pydantic) that is about 50 ms of the start. For the standard library and the
    packages above the answer is known (no), and is given without the read; every
    other module is still read. False when this PySide6 has no such check.
    """
    feature = sys.modules.get("shibokensupport.feature")
    reads_source = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or reads_source is None or getattr(reads_source, "_known", False):
        return reads_source is not None

    def uses_pyside(module: Any) -> bool:
        name = str(getattr(module, "__name__", ""))
        top = name.partition(".")[0]
        if top in sys.stdlib_module_names or top in NOT_QT or (
                top == "quizapp" and not name.startswith("quizapp.gui")):
            return False
        return bool(reads_source(module))

    uses_pyside._known = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True


#: How long after the event loop first turns what the start made is left out of the
#: garbage collector's passes (then it is collected as anything else).
START_OBJECTS_SET_ASIDE_MS = 3000


def run(argv: list[str]) -> int:
    """Run the app until its window closes; returns the exit status.

    The garbage collector is paused until the event loop first turns: the
    imports, the window and the first screen make hundreds of thousands of
    objects and few cycles, and its passes over them took about a tenth of the
    start. What the start made is then set aside (:func:`gc.freeze`) so that the
    first passes do not walk it all before the first screen is painted, and
    handed back to the collector :data:`START_OBJECTS_SET_ASIDE_MS` later.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(argv, collect_from_first_turn=collecting)
    finally:
        if collecting and not gc.isenabled():  # no event loop ran (embedded, or an error)
            gc.enable()


def _collect_again() -> None:
    """The event loop turns: collect garbage again, with what the start made set aside."""
    from PySide6.QtCore import QTimer

    gc.freeze()
    gc.enable()
    QTimer.singleShot(START_OBJECTS_SET_ASIDE_MS, gc.unfreeze)


def _run(argv: list[str], *, collect_from_first_turn: bool) -> int:
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    skip_source_reads()
    QCoreApplication.setApplicationName("quizapp")
    QCoreApplication.setOrganizationName("quizapp")
    QGuiApplication.setDesktopFileName("quizapp")
    app = QApplication.instance()
    owns_app = app is None
    if app is None:
        app = QApplication(["quizapp", *argv])
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName("quizapp")

    from quizapp.gui.main_window import MainWindow, app_icon
    from quizapp.gui.settings import GuiSettings
    from quizapp.gui.theme import apply_theme

    settings = GuiSettings.load()
    apply_theme(app, settings.theme, settings.font_size)
    app.setWindowIcon(app_icon())
    window = MainWindow(settings)
    QGuiApplication.styleHints().colorSchemeChanged.connect(window.follow_system_scheme)
    if settings.maximized:
        window.showMaximized()
    else:
        window.show()
    app.processEvents()  # paint the window before the database work starts
    window.open_collection()
    if not window.isVisible():  # the learner chose Quit (a damaged collection) before the loop
        _finish_exit_backups()
        return window.exit_status
    _open_windows.append(window)
    if os.environ.get("QUIZAPP_STUDY_AT_START"):
        stamp = os.environ.get("QUIZAPP_FIRST_QUESTION_STAMP", "")
        if stamp:
            _stamp_first_question(window, quit_after=stamp == "quit")
        window.hint.hide()
        window.start_study()
    if not owns_app:  # embedded in a running application (tests): leave the loop to it
        return 0
    if collect_from_first_turn:
        QTimer.singleShot(0, _collect_again)
    status = int(app.exec()) or window.exit_status
    _finish_exit_backups()  # the window is gone; the process ends once its backup is checked
    return status


def _finish_exit_backups() -> None:
    from quizapp.gui.controllers.backups import finish_exit_backups

    finish_exit_backups()


def _stamp_first_question(window: Any, *, quit_after: bool) -> None:
    """Print the time the first question is painted (and optionally quit)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    prompt = window.study.view.prompt

    class Probe(QObject):
        painted = 0.0
        cpu = (0.0, 0.0)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and prompt.text():
                prompt.removeEventFilter(self)
                # Paint the prompt here and take the time once it is painted: work the
                # app queues for after the first paint does not count, nor delay the stamp.
                prompt.event(event)
                self.painted = time.time()
                self.cpu = (time.process_time(), time.thread_time())
                QTimer.singleShot(0, self.report)
                return True
            return False

        def report(self) -> None:
            print(f"first-question-painted {self.painted:.6f}", flush=True)
            print(f"first-question-cpu {self.cpu[0]:.6f} {self.cpu[1]:.6f}", flush=True)
            if quit_after:
                window.installEventFilter(gone)
                QTimer.singleShot(0, gone.close)

    class Gone(QObject):
        asked = 0.0

        def close(self) -> None:
            self.asked = time.time()
            window.close()

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Hide:
                watched.removeEventFilter(self)
                print(f"window-closed {time.time():.6f} {self.asked:.6f}", flush=True)
            return False

    gone = Gone(window)

    probe = Probe(window)
    prompt.installEventFilter(probe)


def main() -> None:
    """Entry point of the ``quizapp-gui`` script."""
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
