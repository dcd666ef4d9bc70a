"""Backups of the embedded SQLite collection: take, list, check, restore.

Both faces call these: ``quizapp backup`` and ``quizapp restore`` on the
command line, the automatic backups and File › Backups… in the desktop app.
The copies are made by :mod:`quizapp.storage.backup` (SQLite's online backup
API, checked with ``PRAGMA integrity_check`` before a copy becomes a backup);
this module adds what a user's request means: a backup is taken *and* the old
ones are pruned, an automatic one may be skipped after a recent one, and a
copy that fails its check says whether the live collection is damaged.

A database on a server is backed up by its administrator: every function here
works on a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.storage import backup as _files
from quizapp.storage.backup import (
    KEEP_COUNT,
    KEEP_DAYS,
    PERIOD_MINUTES,
    RESTORE_FAILURES,
    STALE_PARTIAL,
    WAY_OUT,
    Backup,
    BackupError,
)

__all__ = [
    "KEEP_COUNT",
    "KEEP_DAYS",
    "PERIOD_MINUTES",
    "RESTORE_FAILURES",
    "STALE_PARTIAL",
    "WAY_OUT",
    "Backup",
    "BackupError",
    "BackupOutcome",
    "BackupTaken",
    "back_up",
    "backup_folder",
    "check",
    "list_backups",
    "newest_good",
    "restore",
    "sweep_partials",
    "take",
]


@dataclass(frozen=True, slots=True)
class BackupTaken:
    """A backup that was taken, and the old backups pruned after it."""

    backup: Backup
    removed: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class BackupOutcome:
    """What one automatic or manual backup did (a plain value, safe to pass between threads)."""

    backup: Backup | None  # None: skipped, failed, or the copy was damaged
    reason: str
    skipped: bool = False  # a recent backup made this one needless
    problem: str | None = None  # the live database failed its check: what is wrong
    error: str | None = None  # the backup could not be written (disk full, …)
    removed: int = 0  # old backups pruned


def backup_folder(home: Path) -> Path:
    """The folder the backups of the app at ``home`` go to."""
    return _files.backup_dir(home)


def sweep_partials(home: Path, now: datetime | None = None) -> int:
    """Delete the ``.partial`` files killed backups left in ``home``'s backup folder; how many.

    A file named after a process that is gone goes at once; an older-style one
    after :data:`STALE_PARTIAL`.
    """
    return _files.sweep_partials(backup_folder(home), now)


def take(db_path: Path, home: Path, reason: str = "manual",
         now: datetime | None = None) -> BackupTaken:
    """Take a checked backup of ``db_path`` and prune the old ones (BackupError: none kept)."""
    backup = _files.take_backup(db_path, home, reason, now)
    removed = _files.prune_backups(home, now=now)
    return BackupTaken(backup, tuple(removed))


def back_up(db_path: Path, home: Path, reason: str, *, min_gap: timedelta | None = None,
            now: datetime | None = None) -> BackupOutcome:
    """Take, check and rotate one backup, saying what happened instead of raising.

    With ``min_gap`` the backup is skipped when the newest one is younger.
    A copy that fails its check is never kept; the live database is then
    checked too, and its problem (if it is damaged) is the outcome's
    ``problem``; any other failure to write the copy is its ``error``.
    """
    now = now or datetime.now(UTC)
    sweep_partials(home, now)
    if min_gap is not None:
        newest = next(iter(_files.list_backups(home)), None)
        if newest is not None and now - newest.taken_at < min_gap:
            return BackupOutcome(None, reason, skipped=True)
    try:  # the copy is checked before it becomes a backup: a damaged one is never kept
        taken = take(db_path, home, reason, now)
    except BackupError as exc:
        problem = check(db_path)
        if problem is not None:
            return BackupOutcome(None, reason, problem=problem)
        return BackupOutcome(None, reason, error=str(exc))
    return BackupOutcome(taken.backup, reason, removed=len(taken.removed))


def list_backups(home: Path) -> list[Backup]:
    """Every backup of the app at ``home``, newest first (not checked)."""
    return _files.list_backups(home)


def check(path: Path) -> str | None:
    """None if ``path`` is a healthy quizapp database file, else what is wrong, in plain words."""
    return _files.check_database(path)


def newest_good(home: Path) -> Backup | None:
    """The newest backup that passes its check (None if there is none)."""
    return _files.newest_good_backup(home)


def restore(backup: Path, db_path: Path) -> Path | None:
    """Put ``backup`` in place of ``db_path``; where the replaced file was kept (None: none).

    Every connection to ``db_path`` must be closed first. The swap is
    crash-safe and keeps the replaced collection aside as a file. How it can
    fail on a bad file or disk: any of :data:`RESTORE_FAILURES`.
    """
    return _files.restore_backup(backup, db_path)
