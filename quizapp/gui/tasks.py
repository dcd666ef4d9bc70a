"""Long work off the GUI thread, with progress and a Cancel button.

A *task* is a plain function that takes a :class:`Progress` and returns a
result. It runs on a pool thread and reports through ``progress(done, total,
text)``; when the learner presses Cancel, the next report raises
:class:`TaskCancelledError` inside the task, so a task that reports before its commit
leaves nothing behind. :class:`TaskRunner` shows a window-modal
:class:`QProgressDialog` once a task has run for a moment (quick tasks never
flash a dialog) and calls back on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget


class TaskCancelledError(Exception):
    """The learner cancelled the task; whatever it did so far was rolled back."""


class Progress:
    """What a task reports through; raises :class:`TaskCancelledError` once cancel was asked."""

    def __init__(self, emit: Callable[[int, int, str], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._emit = emit

    def __call__(self, done: int, total: int = 0, text: str = "") -> None:
        """Report ``done`` of ``total`` (0: unknown) and a line of text; may raise."""
        self.check()
        if self._emit is not None:
            self._emit(done, total, text)

    def check(self) -> None:
        """Raise :class:`TaskCancelledError` if the task should stop."""
        if self._cancel.is_set():
            raise TaskCancelledError()

    def cancel(self) -> None:
        """Ask the task to stop at its next report (any thread)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether cancel was asked."""
        return self._cancel.is_set()


TaskJob = Callable[[Progress], Any]


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(Exception)
    cancelled = Signal()


class TaskWorker(QRunnable):
    """Runs one task on a pool thread; never touches widgets."""

    def __init__(self, job: TaskJob) -> None:
        super().__init__()
        self.signals = _Signals()
        self.progress = Progress(self.signals.progress.emit)
        self._job = job
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self._job(self.progress)
        except TaskCancelledError:
            self.signals.cancelled.emit()
        except Exception as exc:
            if self.progress.cancelled:
                self.signals.cancelled.emit()
            else:
                self.signals.failed.emit(exc)
        else:
            # A task that got past its last check has done its work: the result stands.
            self.signals.finished.emit(result)


class TaskRunner(QObject):
    """Starts tasks, keeps them referenced until they report, and shows their progress."""

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 1) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._running: dict[TaskWorker, QProgressDialog | None] = {}

    def start(
        self,
        job: TaskJob,
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
        on_cancel: Callable[[], None] | None = None,
        *,
        title: str = "",
        label: str = "",
        parent: QWidget | None = None,
        delay_ms: int = 400,
    ) -> TaskWorker:
        """Run ``job``; a progress dialog titled ``title`` appears after ``delay_ms``."""
        worker = TaskWorker(job)
        dialog: QProgressDialog | None = None
        if parent is not None:
            dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
            dialog.setWindowTitle(title or label)
            dialog.setAccessibleName(title or label or "Progress")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(delay_ms)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.setMinimumWidth(380)
            for bar in dialog.findChildren(QProgressBar):
                bar.setAccessibleName(f"{title or 'Task'} progress")
            dialog.canceled.connect(worker.progress.cancel)
            dialog.setValue(0)
        self._running[worker] = dialog

        def close() -> None:
            box = self._running.pop(worker, None)
            if box is not None:
                box.canceled.disconnect()
                box.reset()
                box.hide()
                box.deleteLater()

        def progress(done: int, total: int, text: str) -> None:
            box = self._running.get(worker)
            if box is None:
                return
            if text:
                box.setLabelText(text)
            box.setRange(0, max(total, 0))
            if total:
                box.setValue(min(done, total))

        def done(result: Any) -> None:
            close()
            on_done(result)

        def failed(exc: Exception) -> None:
            close()
            on_error(exc)

        def cancelled() -> None:
            close()
            if on_cancel is not None:
                on_cancel()

        worker.signals.progress.connect(progress)
        worker.signals.finished.connect(done)
        worker.signals.failed.connect(failed)
        worker.signals.cancelled.connect(cancelled)
        self.pool.start(worker)
        return worker

    def dialog_of(self, worker: TaskWorker) -> QProgressDialog | None:
        """The progress dialog of a running task (tests and scripts)."""
        return self._running.get(worker)

    def dialogs(self) -> list[QProgressDialog]:
        """The progress dialogs of every running task."""
        return [d for d in self._running.values() if d is not None]

    def busy(self) -> bool:
        """Whether any task is still running."""
        return bool(self._running)

    def cancel_all(self) -> None:
        """Ask every running task to stop."""
        for worker in list(self._running):
            worker.progress.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for every task (used on quit)."""
        return self.pool.waitForDone(msecs)
