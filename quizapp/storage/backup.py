"""Rotating backups of the SQLite database, checking it, and restoring it.

Backups are taken with SQLite's online backup API (never a file copy of a
live database, which could catch a half-written page or miss the WAL), kept
by count and by age, and checked with ``PRAGMA integrity_check`` before a
restore. A PostgreSQL server's backups are its administrator's job.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

BACKUP_DIR = "backups"
KEEP_COUNT = 20
KEEP_DAYS = 60
PERIOD_MINUTES = 30
_NAME_RE = re.compile(r"^quizapp-(\d{8}-\d{6}-\d{6})-([a-z]+)\.sqlite3$")


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file."""

    path: Path
    taken_at: datetime
    reason: str
    size: int


def backup_dir(home: Path) -> Path:
    """The folder for backups under the app's home."""
    return home / BACKUP_DIR


def check_database(path: Path) -> str | None:
    """None if ``path`` is a healthy SQLite database, else what is wrong, in plain words."""
    if not path.exists():
        return f"{path} does not exist"
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
            if rows != [("ok",)]:
                return "the database is damaged: " + "; ".join(str(r[0]) for r in rows[:3])
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            if "meta" not in tables:
                return "the file is not a quizapp database"
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return f"the database cannot be read: {exc}"
    return None


def take_backup(db_path: Path, home: Path, reason: str = "manual",
                now: datetime | None = None) -> Backup:
    """Copy the live database into the backup folder with the online backup API."""
    now = now or datetime.now(UTC)
    folder = backup_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"quizapp-{stamp}-{reason}.sqlite3"
    tmp = target.with_suffix(".partial")
    try:
        src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"could not back up {db_path}: {exc}") from exc
    return Backup(target, now, reason, target.stat().st_size)


def list_backups(home: Path) -> list[Backup]:
    """Every backup, newest first."""
    out = []
    folder = backup_dir(home)
    if not folder.is_dir():
        return []
    for p in folder.iterdir():
        m = _NAME_RE.match(p.name)
        if m:
            taken = datetime.strptime(m.group(1), "%Y%m%d-%H%M%S-%f").replace(tzinfo=UTC)
            out.append(Backup(p, taken, m.group(2), p.stat().st_size))
    return sorted(out, key=lambda b: b.taken_at, reverse=True)


def prune_backups(home: Path, keep: int = KEEP_COUNT, keep_days: int = KEEP_DAYS,
                  now: datetime | None = None) -> list[Path]:
    """Delete backups beyond the newest ``keep`` and older than ``keep_days``.

    The newest three are always kept, whatever their age, so a long break
    from studying never leaves the learner without a backup.
    """
    now = now or datetime.now(UTC)
    removed = []
    for i, b in enumerate(list_backups(home)):
        too_many = i >= keep
        too_old = now - b.taken_at > timedelta(days=keep_days)
        if i >= 3 and (too_many or too_old):
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def newest_good_backup(home: Path) -> Backup | None:
    """The newest backup that passes the integrity check."""
    for b in list_backups(home):
        if check_database(b.path) is None:
            return b
    return None


def restore_backup(backup: Path, db_path: Path) -> Path | None:
    """Replace the database with a checked backup; the old file is kept aside.

    Returns the path the replaced database was moved to (None if there was
    none). The caller must have closed every connection to ``db_path``.
    """
    problem = check_database(backup)
    if problem is not None:
        raise BackupError(f"{backup.name} cannot be restored: {problem}")
    aside: Path | None = None
    if db_path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        aside = db_path.with_name(f"{db_path.stem}.replaced-{stamp}{db_path.suffix}")
        os.replace(db_path, aside)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            if aside is not None:
                os.replace(side, aside.with_name(aside.name + suffix))
            else:
                side.unlink()
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(db_path)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return aside
