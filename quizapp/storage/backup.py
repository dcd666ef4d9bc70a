"""Rotating backups of the SQLite database, checking it, and restoring it.

Backups are taken with SQLite's online backup API (never a file copy of a
live database, which could catch a half-written page or miss the WAL), kept
by count and by age, and checked with ``PRAGMA integrity_check`` before a
restore. A PostgreSQL server's backups are its administrator's job.

Crash safety: a backup is written under a temporary ``.partial`` name,
checked, and renamed into place (a killed backup's ``.partial`` files are
swept by the next backup and at start); a restore copies, journals and swaps
(:func:`restore_backup`), and :func:`recover_restore` finishes an interrupted
one before the database is opened.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.files import sync_file, sync_folder
from quizapp.storage import crashpoints

BACKUP_DIR = "backups"
KEEP_COUNT = 20
KEEP_DAYS = 60
PERIOD_MINUTES = 30
#: A ``.partial`` file without a process id, older than this, was left by a killed backup.
STALE_PARTIAL = timedelta(minutes=10)
_NAME_RE = re.compile(r"^quizapp-(\d{8}-\d{6}-\d{6})-([a-z]+)\.sqlite3$")


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why in plain words."""


#: How :func:`restore_backup` fails on a bad backup file or disk (the caller says so, in words).
RESTORE_FAILURES: tuple[type[Exception], ...] = (BackupError, OSError, sqlite3.Error)


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


def copy_database(source: str, target: Path, *, read_only: bool = True) -> None:
    """Copy the SQLite database ``source`` (a path) into the new file ``target``, synced.

    SQLite's online backup API copies a consistent snapshot even while
    another connection writes; the copy is a single file (no ``-wal``).
    """
    src = (sqlite3.connect(f"file:{source}?mode=ro", uri=True) if read_only
           else sqlite3.connect(source))
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    sync_file(target)


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":  # pragma: no cover - os.kill would end the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


_PARTIAL_RE = re.compile(r"\.partial(-journal|-wal|-shm)?$")
_PARTIAL_PID_RE = re.compile(r"\.(\d+)\.partial(-journal|-wal|-shm)?$")


def sweep_partials(folder: Path, now: datetime | None = None) -> int:
    """Delete the ``.partial`` files in ``folder`` that a killed copy left; how many went.

    A copy in progress is named ``<name>.<pid>.partial`` after the process
    writing it: the file (and its ``-journal``) goes when that process is gone. An older-style
    ``.partial`` without a process id (or on Windows, where no process is
    asked) goes once it is :data:`STALE_PARTIAL` old.
    """
    if not folder.is_dir():
        return 0
    now_ts = (now or datetime.now(UTC)).timestamp()
    gone = 0
    for p in folder.glob("*.partial*"):
        if not _PARTIAL_RE.search(p.name):
            continue
        m = _PARTIAL_PID_RE.search(p.name)
        try:
            if m is not None and os.name != "nt":
                stale = not _pid_alive(int(m.group(1)))
            else:
                stale = now_ts - p.stat().st_mtime > STALE_PARTIAL.total_seconds()
            if stale:
                p.unlink()
                gone += 1
        except OSError:
            continue
    return gone


def unique_aside(path: Path, label: str) -> Path:
    """A name next to ``path`` that nothing has yet: ``<stem>.<label>-<time><suffix>``."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    n = 0
    while True:
        extra = f"-{n}" if n else ""
        aside = path.with_name(f"{path.stem}.{label}-{stamp}{extra}{path.suffix}")
        if not any(aside.with_name(aside.name + s).exists() for s in ("", "-wal", "-shm")):
            return aside
        n += 1


WAY_OUT = "restore the newest good backup with: quizapp restore --newest"


def take_backup(db_path: Path, home: Path, reason: str = "manual",
                now: datetime | None = None) -> Backup:
    """Copy the live database into the backup folder with the online backup API.

    The copy is written as ``<name>.<pid>.partial``, synced and checked
    (``PRAGMA integrity_check``) before it is renamed into a backup: a copy
    of a damaged database is deleted, never kept as a backup, and the
    :class:`BackupError` says what is wrong and the way out. ``.partial``
    files left by killed backups are swept first.
    """
    now = now or datetime.now(UTC)
    folder = backup_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    sweep_partials(folder, now)
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"quizapp-{stamp}-{reason}.sqlite3"
    tmp = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        copy_database(str(db_path), tmp)
        crashpoints.crash_point("backup_copy")
        problem = check_database(tmp)
        if problem is not None:
            raise BackupError(
                f"could not back up {db_path}: {problem.replace(str(tmp), 'the copy')}; "
                f"no backup was kept; {WAY_OUT}")
        os.replace(tmp, target)
        sync_folder(folder)
    except sqlite3.Error as exc:
        raise BackupError(f"could not back up {db_path}: {exc}; {WAY_OUT}") from exc
    except OSError as exc:
        raise BackupError(f"could not back up {db_path}: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + "-journal").unlink(missing_ok=True)
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


_SIDES = ("-wal", "-shm")


def _restore_journal(db_path: Path) -> Path:
    """The journal of a restore's swap, next to the database."""
    return db_path.with_name(db_path.name + ".restore.json")


def _restore_copy(db_path: Path, pid: int) -> Path:
    """The temporary copy a restore by process ``pid`` writes next to the database."""
    return db_path.with_name(f"{db_path.name}.{pid}.restoring")


#: A journal younger than this, of a process still running, is a restore under way.
RESTORE_UNDER_WAY = timedelta(seconds=60)


def _move_with_sides(src: Path, dst: Path) -> None:
    """Rename a database and its ``-wal``/``-shm`` files together (the file last)."""
    for suffix in _SIDES:
        side = src.with_name(src.name + suffix)
        if side.exists():
            os.replace(side, dst.with_name(dst.name + suffix))
    crashpoints.crash_point("restore_sides")
    if src.exists():
        os.replace(src, dst)


def _checkpoint(db_path: Path) -> None:
    """Fold the WAL of a closed database into its file, so the file holds every commit.

    A damaged file may refuse; its ``-wal`` then travels with it.
    """
    try:
        con = sqlite3.connect(db_path, timeout=10)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    except sqlite3.Error:
        pass


def restore_backup(backup: Path, db_path: Path) -> Path | None:
    """Replace the database with a checked backup; the old file is kept aside.

    Returns the path the replaced database was moved to (None if there was
    none). The caller must have closed every connection to ``db_path``.

    Crash-safe: the backup is copied next to the database
    (``quizapp.sqlite3.<pid>.restoring``), synced and checked; then a small journal
    (``quizapp.sqlite3.restore.json``) records the swap before it starts;
    the old database moves aside with its ``-wal`` and ``-shm`` files
    (``quizapp.replaced-<time>.sqlite3``) and the copy is renamed into place.
    A start that finds the journal finishes the swap
    (:func:`recover_restore`); a crash before the journal leaves the old
    database as it was. No moment leaves an empty or a wrong collection, and
    no old ``-wal`` file ever sits next to the restored file.
    """
    recover_restore(db_path)
    problem = check_database(backup)
    if problem is not None:
        raise BackupError(f"{backup.name} cannot be restored: {problem}")
    tmp, journal = _restore_copy(db_path, os.getpid()), _restore_journal(db_path)
    try:
        copy_database(str(backup), tmp)
        crashpoints.crash_point("restore_copy")
        problem = check_database(tmp)
        if problem is not None:
            raise BackupError(f"{backup.name} cannot be restored: its copy failed the check: "
                              f"{problem}")
    except BaseException:
        _remove_copy(tmp)
        raise
    aside: Path | None = None
    if db_path.exists():
        _checkpoint(db_path)
        aside = unique_aside(db_path, "replaced")
    _write_journal(journal, {"backup": str(backup), "aside": aside.name if aside else None,
                             "copy": tmp.name, "pid": os.getpid()})
    crashpoints.crash_point("restore_journal")
    _swap(db_path, tmp, aside)
    return aside


def _remove_copy(tmp: Path) -> None:
    for suffix in ("", "-journal"):
        tmp.with_name(tmp.name + suffix).unlink(missing_ok=True)


def _write_journal(journal: Path, data: dict[str, object]) -> None:
    part = journal.with_name(journal.name + ".new")
    with open(part, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(part, journal)
    sync_folder(journal.parent)


def _swap(db_path: Path, tmp: Path, aside: Path | None) -> None:
    """The journalled part of a restore: old file (and its sides) aside, the copy in place."""
    journal = _restore_journal(db_path)
    if aside is not None:
        _move_with_sides(db_path, aside)
    else:  # no database, but maybe stray -wal/-shm files: they must not meet the copy
        for suffix in _SIDES:
            db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    crashpoints.crash_point("restore_swap")
    os.replace(tmp, db_path)
    sync_folder(db_path.parent)
    journal.unlink()
    sync_folder(db_path.parent)


def recover_restore(db_path: Path) -> str | None:
    """Finish a restore that a crash interrupted; what was done, or None if there was none.

    Called before the database is opened. With the journal and its checked
    copy there, the swap is done again from where it stopped (the old file,
    if still in place, moves aside; a ``-wal`` of the old file is never left
    next to the copy). With the journal but no copy, the copy was already in
    place: only the journal goes. A copy without a journal is a restore
    killed before it changed anything: the copy is deleted and the database
    is as it was.
    """
    journal = _restore_journal(db_path)
    journal.with_name(journal.name + ".new").unlink(missing_ok=True)
    if not journal.exists():
        gone = 0
        for copy in db_path.parent.glob(f"{db_path.name}.*.restoring*"):
            m = re.search(r"\.(\d+)\.restoring(-journal)?$", copy.name)
            if m is not None and (int(m.group(1)) == os.getpid()
                                  or not _pid_alive(int(m.group(1)))):
                copy.unlink(missing_ok=True)
                gone += 1
        return "an unfinished restore had changed nothing; its copy was removed" if gone else None
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        aside_name = data.get("aside")
        tmp = db_path.with_name(str(data["copy"]))
        pid = int(data["pid"])
    except (OSError, ValueError, AttributeError, KeyError, TypeError) as exc:
        raise BackupError(f"the journal of an interrupted restore, {journal}, cannot be "
                          f"read: {exc}") from exc
    young = datetime.now(UTC).timestamp() - journal.stat().st_mtime < (
        RESTORE_UNDER_WAY.total_seconds())
    if pid != os.getpid() and young and _pid_alive(pid):
        raise BackupError(f"another quizapp process (process {pid}) is restoring a backup "
                          "into this database; try again in a moment")
    if not tmp.exists():
        journal.unlink()
        sync_folder(db_path.parent)
        return "an interrupted restore was complete"
    if check_database(tmp) is not None:  # cannot happen short of disk damage: undo
        _remove_copy(tmp)
        if aside_name and not db_path.exists():
            _move_with_sides(db_path.with_name(aside_name), db_path)
        journal.unlink()
        sync_folder(db_path.parent)
        return "an interrupted restore was undone"
    aside = db_path.with_name(aside_name) if aside_name else None
    if aside is None and db_path.exists():  # never replace a file without keeping it
        aside = unique_aside(db_path, "replaced")
    if aside is not None and not db_path.exists() and not aside.exists():
        raise BackupError(f"an interrupted restore left neither {db_path} nor {aside}")
    _swap(db_path, tmp, aside)
    return "an interrupted restore was finished"
