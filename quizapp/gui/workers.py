"""Long work off the GUI thread: a QRunnable that reports through signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class WorkerSignals(QObject):
    """What a worker reports; delivered on the thread that owns this object."""

    finished = Signal(object)  # the job's result
    failed = Signal(Exception)


class Worker(QRunnable):
    """Run ``job`` on a pool thread; its result or exception comes back as a signal."""

    def __init__(self, job: Callable[[], Any]) -> None:
        super().__init__()
        self.signals = WorkerSignals()
        self._job = job
        self.setAutoDelete(False)

    def run(self) -> None:  # pool thread: never touch widgets here
        try:
            result = self._job()
        except Exception as exc:
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class WorkerRunner(QObject):
    """Keeps each running worker referenced until it reports back."""

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 1) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)  # database writers run one at a time
        self._running: set[Worker] = set()

    def start(
        self,
        job: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> Worker:
        """Run ``job``; call ``on_done(result)`` or ``on_error(exc)`` on the GUI thread."""
        worker = Worker(job)
        self._running.add(worker)

        def done(result: Any) -> None:
            self._running.discard(worker)
            on_done(result)

        def failed(exc: Exception) -> None:
            self._running.discard(worker)
            on_error(exc)

        worker.signals.finished.connect(done)
        worker.signals.failed.connect(failed)
        self.pool.start(worker)
        return worker

    def busy(self) -> bool:
        """Whether any job is still running."""
        return bool(self._running)

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for every job (used on quit)."""
        return self.pool.waitForDone(msecs)
