"""Backups in the app: automatic, rotating, checked; restore; a damaged collection at start.

:class:`BackupKeeper` backs up the open SQLite collection with the backup
service, :mod:`quizapp.services.backups` (SQLite's online backup API):

- **at start**, on a pool thread, :data:`START_DELAY` after the event loop
  has begun: the collection's first screen (the deck list, or the first
  question when study starts at once) is built and painted before the copy
  and its check compete with it for the disk and the processor — unless a
  backup younger than :data:`START_GAP` exists, so that quick restarts (or a
  crash loop) do not rotate the history away. A window closed before then
  takes the exit backup instead;
- **every** :data:`~quizapp.services.backups.PERIOD_MINUTES` **minutes** during
  a long session, on a pool thread;
- **on exit**, after the collection is closed, on a thread of its own
  (:class:`ExitBackup`): the window is gone at once, and the process waits for
  the copy and its check before it ends (:func:`finish_exit_backups`, called
  by :func:`quizapp.gui.app.run` when the event loop returns).

Every backup is checked with ``PRAGMA integrity_check`` before it is renamed
into place (:func:`quizapp.services.backups.back_up`). A copy that fails the
check is deleted at once — a damaged copy must
never push a good one out of the rotation — and the check's finding is
reported: the live database is damaged, and the learner is offered the
newest good backup. Backups are then pruned by count and age
(:data:`~quizapp.services.backups.KEEP_COUNT`,
:data:`~quizapp.services.backups.KEEP_DAYS`; the newest three always stay).
Stale ``.partial`` files left by a killed backup are swept up.

A copy is never a backup before it has passed its check: until then it is a
``<name>.<pid>.partial`` file, which no list of backups shows and no restore
offers. If the app is killed while the exit backup runs, that file is all it
leaves, and the next start (or the next backup) deletes it.

A database on a server (``QUIZAPP_DATABASE_URL`` to PostgreSQL) is backed up
by its administrator: the keeper then does nothing.

Nothing here touches widgets from a pool thread; the jobs take and return
plain values.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from quizapp.gui.workers import WorkerRunner
from quizapp.services.backups import STALE_PARTIAL as _STALE_PARTIAL
from quizapp.services.backups import BackupOutcome, back_up, check

if TYPE_CHECKING:
    from quizapp.services.collection import Collection

log = logging.getLogger(__name__)

#: A start backup is skipped when the newest backup is younger than this.
START_GAP = timedelta(minutes=10)
#: The start backup begins this long after the event loop has begun (the first screen first).
START_DELAY = timedelta(seconds=1)
#: A ``.partial`` file without a process id, older than this, was left by a killed backup.
STALE_PARTIAL = _STALE_PARTIAL
REASON_LABELS = {
    "start": "At start",
    "exit": "On exit",
    "periodic": "During study",
    "manual": "By hand",
}


@dataclass(frozen=True, slots=True)
class BackupRow:
    """One backup as the backup dialog lists it."""

    path: Path
    taken_at: datetime  # aware UTC
    reason: str
    size: int
    state: str | None = None  # None: not checked yet; "ok"; else what is wrong

    @property
    def reason_label(self) -> str:
        """How the backup came about, in words."""
        return REASON_LABELS.get(self.reason, self.reason.capitalize())

    @property
    def good(self) -> bool:
        """Whether the backup passed its check."""
        return self.state == "ok"


def sqlite_file(collection: Collection | None) -> Path | None:
    """The SQLite file behind ``collection`` (None for a server or an in-memory database)."""
    from quizapp.services.startup import collection_file

    return collection_file(collection) if collection is not None else None


def backup_rows(home: Path) -> list[BackupRow]:
    """Every backup, newest first, not yet checked."""
    from quizapp.services.backups import list_backups

    return [BackupRow(b.path, b.taken_at, b.reason, b.size) for b in list_backups(home)]


def check_rows(rows: list[BackupRow]) -> list[BackupRow]:
    """The rows with their state filled in by ``PRAGMA integrity_check`` (pool thread)."""
    out = []
    for row in rows:
        problem = check(row.path)
        out.append(BackupRow(row.path, row.taken_at, row.reason, row.size, problem or "ok"))
    return out


def profiles_open_elsewhere(home: Path, own: Path | None) -> list[int]:
    """Profile ids whose lock another process holds (another quizapp window is open)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks to ask
        return []
    folder = home / "locks"
    if not folder.is_dir():
        return []
    busy = []
    for p in sorted(folder.glob("profile-*.lock")):
        if own is not None and p.resolve() == own.resolve():
            continue
        try:
            with open(p, "a+", encoding="utf-8") as fh:
                try:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    digits = p.stem.removeprefix("profile-")
                    busy.append(int(digits) if digits.isdigit() else -1)
                else:
                    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        except OSError:
            continue
    return busy


def local_time(when: datetime) -> str:
    """A backup's time as the learner reads it (local time, to the minute)."""
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def human_size(size: int) -> str:
    """1.2 MB, 640 KB…"""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


class ExitBackup(threading.Thread):
    """The exit backup of ``db`` into ``home``'s backups, on a thread that outlives the window.

    It touches no widget. The thread is not a daemon: the interpreter does not
    end while it runs; :func:`finish_exit_backups` waits for it explicitly.
    """

    def __init__(self, db: Path, home: Path) -> None:
        super().__init__(name="quizapp-exit-backup")
        self.db, self.home = db, home
        self.outcome: BackupOutcome | None = None  # None until done, or if it failed

    def run(self) -> None:
        try:
            outcome = back_up(self.db, self.home, "exit")
        except Exception as exc:  # logged: the window is gone, nothing else can say it
            log.warning("the exit backup failed: %s", exc)
            return
        if outcome.problem:
            log.warning("the collection failed its check on exit: %s", outcome.problem)
        elif outcome.error:
            log.warning("the exit backup failed: %s", outcome.error)
        self.outcome = outcome


_exit_backups: list[ExitBackup] = []
_exit_lock = threading.Lock()


def finish_exit_backups(timeout: float | None = None) -> bool:
    """Wait for the exit backups still running; True when none is left.

    The app calls it after its window has closed and before the process ends,
    so that closing the window is not kept waiting for the copy and its check.
    """
    with _exit_lock:
        running = list(_exit_backups)
    for job in running:
        job.join(timeout)
    with _exit_lock:
        _exit_backups[:] = [j for j in _exit_backups if j.is_alive()]
        return not _exit_backups


class BackupKeeper(QObject):
    """Automatic backups of one open collection (see the module's notes)."""

    backed_up = Signal(object)  # BackupOutcome with a backup
    failed = Signal(str)  # the backup could not be written: why
    damaged = Signal(str)  # the live database failed its check: what is wrong
    checked = Signal(object)  # list[BackupRow] with states

    def __init__(self, parent: QObject | None = None, *,
                 period: timedelta = timedelta(minutes=30),
                 start_delay: timedelta = START_DELAY,
                 home: Callable[[], Path] | None = None) -> None:
        super().__init__(parent)
        self.runner = WorkerRunner(self)
        self.db_path: Path | None = None
        self._home = home
        self.timer = QTimer(self)
        self.timer.setInterval(int(period.total_seconds() * 1000))
        self.timer.timeout.connect(lambda: self.back_up_later("periodic"))
        # The start backup: armed when the event loop first turns (what the window does
        # before that, opening and the first question, is never shared with the copy),
        # then taken START_DELAY later.
        self._start_pending = False
        self.start_timer = QTimer(self)
        self.start_timer.setSingleShot(True)
        self.start_timer.setInterval(int(start_delay.total_seconds() * 1000))
        self.start_timer.timeout.connect(self._back_up_at_start_now)
        self._arm_start = QTimer(self)
        self._arm_start.setSingleShot(True)
        self._arm_start.setInterval(0)
        self._arm_start.timeout.connect(self.start_timer.start)
        self.last: BackupOutcome | None = None

    @property
    def home(self) -> Path:
        """The app's folder (the backups go to its ``backups`` folder)."""
        if self._home is not None:
            return self._home()
        from quizapp.config import app_home

        return app_home()

    def attach(self, collection: Collection | None) -> None:
        """Keep backups of ``collection`` (nothing for a server database)."""
        self.db_path = sqlite_file(collection)
        if self.db_path is not None:
            self.timer.start()
        else:
            self.timer.stop()

    def detach(self) -> None:
        """Stop the timer and wait for a running backup (before closing the collection)."""
        self.timer.stop()
        self._cancel_start()  # closed before it began: the exit backup is the one taken
        self.runner.wait(60_000)
        self.db_path = None

    def busy(self) -> bool:
        """Whether a backup or a check is running, or the start backup is still to come."""
        return self.runner.busy() or self._start_pending

    def back_up_later(self, reason: str, *, min_gap: timedelta | None = None) -> bool:
        """Back up on a pool thread; False if there is nothing to back up.

        An automatic backup is skipped while another job runs; one asked for by
        hand (``manual``) waits its turn.
        """
        db, home = self.db_path, self.home
        if db is None or (reason != "manual" and self.runner.busy()):
            return False
        self.runner.start(lambda: back_up(db, home, reason, min_gap=min_gap),
                          self._done, self._crashed)
        return True

    def back_up_at_start(self) -> bool:
        """Take the start backup soon, off-thread (skipped after a recent one).

        False if there is nothing to back up. It begins :data:`START_DELAY`
        after the event loop first turns, so that the window's first screen is
        built and painted before the copy and its check run beside it.
        """
        if self.db_path is None:
            return False
        self._cancel_start()
        self._start_pending = True
        self._arm_start.start()
        return True

    def _back_up_at_start_now(self) -> None:
        if self._start_pending:
            self._start_pending = False
            self.back_up_later("start", min_gap=START_GAP)

    def _cancel_start(self) -> None:
        self._start_pending = False
        self._arm_start.stop()
        self.start_timer.stop()

    def back_up_on_exit(self) -> ExitBackup | None:
        """Start the exit backup on its own thread; None if there is nothing to back up.

        The collection is closed first. The copy and its check go on after the
        window has gone; :func:`finish_exit_backups` waits for them.
        """
        if self.db_path is None:
            return None
        self.runner.wait(60_000)
        job = ExitBackup(self.db_path, self.home)
        with _exit_lock:
            _exit_backups.append(job)
        job.start()
        return job

    def check_later(self, rows: list[BackupRow]) -> None:
        """Check every backup on a pool thread; ``checked`` brings the states."""
        self.runner.start(lambda: check_rows(rows), self.checked.emit, self._crashed)

    def wait(self, msecs: int = 60_000) -> bool:
        """Wait for running jobs."""
        return self.runner.wait(msecs)

    def _done(self, outcome: Any) -> None:
        if not isinstance(outcome, BackupOutcome):  # a check's rows come through check_later
            return
        self.last = outcome
        if outcome.problem is not None:
            self.damaged.emit(outcome.problem)
        elif outcome.error is not None:
            self.failed.emit(outcome.error)
        elif outcome.backup is not None:
            self.backed_up.emit(outcome)

    def _crashed(self, exc: Exception) -> None:
        log.warning("a backup job failed: %s", exc)
        self.failed.emit(str(exc) or type(exc).__name__)

