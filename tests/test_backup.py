"""Backups with the online backup API, rotation, corruption detection, restore, one writer."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.config import app_home
from quizapp.instance import ProfileInUseError, ProfileLock
from quizapp.services.collection import Collection
from quizapp.storage.backup import (
    BackupError,
    check_database,
    list_backups,
    newest_good_backup,
    prune_backups,
    restore_backup,
    take_backup,
)
from quizapp.storage.db import DatabaseError, open_database


def db_file() -> Path:
    return app_home() / "quizapp.sqlite3"


def count(path: Path, table: str) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


def test_backup_of_a_live_database_and_restore(quizapp_home: Path) -> None:
    col = Collection.open()
    # Write while the engine is open (WAL not checkpointed) and back up live.
    with col.transaction() as s:
        from quizapp.storage import repository as repo

        repo.create_profile(s, "Ana")
    b = take_backup(db_file(), quizapp_home, "start")
    assert check_database(b.path) is None
    assert count(b.path, "profile") == 2
    with col.transaction() as s:
        repo.create_profile(s, "Ben")
    col.close()
    assert count(db_file(), "profile") == 3
    aside = restore_backup(b.path, db_file())
    assert aside is not None and aside.exists()
    assert count(db_file(), "profile") == 2
    assert count(aside, "profile") == 3  # nothing the user made is thrown away
    with Collection.open() as col2, col2.session() as s:
        assert {p.name for p in repo.list_profiles(s)} == {"Student", "Ana"}


def test_rotation_keeps_by_count_and_age(quizapp_home: Path) -> None:
    Collection.open().close()
    now = datetime(2025, 1, 1, tzinfo=UTC)
    for i in range(8):
        take_backup(db_file(), quizapp_home, "periodic", now=now - timedelta(days=10 * i))
    assert len(list_backups(quizapp_home)) == 8
    removed = prune_backups(quizapp_home, keep=6, keep_days=45, now=now)
    left = list_backups(quizapp_home)
    # 6 by count, and of those the ones older than 45 days go too (50 days is the 6th).
    assert len(left) == 5 and len(removed) == 3
    assert all(now - b.taken_at <= timedelta(days=45) for b in left)
    # The newest three survive any age.
    prune_backups(quizapp_home, keep=20, keep_days=1, now=now + timedelta(days=400))
    assert len(list_backups(quizapp_home)) == 3


def test_corrupt_database_is_detected_and_newest_good_backup_offered(quizapp_home: Path) -> None:
    Collection.open().close()
    good = take_backup(db_file(), quizapp_home, "start", now=datetime(2025, 1, 1, tzinfo=UTC))
    bad = take_backup(db_file(), quizapp_home, "exit", now=datetime(2025, 1, 2, tzinfo=UTC))
    with open(bad.path, "r+b") as fh:  # damage the newer backup
        fh.seek(4096)
        fh.write(os.urandom(8192))
    with open(db_file(), "r+b") as fh:  # and the database itself
        fh.seek(0)
        fh.write(b"garbage" * 20)
    assert check_database(db_file()) is not None
    with pytest.raises(DatabaseError, match="cannot open"):
        open_database(f"sqlite:///{db_file()}")
    assert newest_good_backup(quizapp_home) == good
    with pytest.raises(BackupError, match="cannot be restored"):
        restore_backup(bad.path, db_file())


def test_the_backup_service_takes_prunes_skips_and_reports_damage(quizapp_home: Path) -> None:
    """What both faces call: a backup is taken and pruned; automatic ones say what happened."""
    from quizapp.services import backups

    Collection.open().close()
    db = db_file()
    now = datetime(2025, 3, 1, tzinfo=UTC)
    for i in range(backups.KEEP_COUNT):  # a full rotation, a day apart
        take_backup(db, quizapp_home, "periodic", now=now - timedelta(days=i + 1))
    oldest = list_backups(quizapp_home)[-1].path
    taken = backups.take(db, quizapp_home, "manual", now=now)
    assert taken.backup.reason == "manual" and check_database(taken.backup.path) is None
    assert taken.removed == (oldest,) and len(list_backups(quizapp_home)) == backups.KEEP_COUNT
    # An automatic backup soon after another is skipped; a later one is taken and rotates.
    soon = backups.back_up(db, quizapp_home, "start", min_gap=timedelta(minutes=10),
                           now=now + timedelta(minutes=5))
    assert soon.skipped and soon.backup is None
    later = backups.back_up(db, quizapp_home, "start", min_gap=timedelta(minutes=10),
                            now=now + timedelta(minutes=15))
    assert later.backup is not None and later.removed == 1 and not later.skipped
    # A damaged collection: no copy of it is kept, and the outcome says what is wrong.
    with open(db, "r+b") as fh:
        fh.write(b"garbage" * 20)
    kept = list_backups(quizapp_home)
    damaged = backups.back_up(db, quizapp_home, "periodic", now=now + timedelta(hours=1))
    assert damaged.backup is None and damaged.error is None
    assert damaged.problem == check_database(db) and damaged.problem is not None
    assert list_backups(quizapp_home) == kept
    assert backups.newest_good(quizapp_home) == kept[0]


def test_cli_backup_list_and_restore(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Collection.open().close()
    assert main(["backup"]) == 0
    assert "Backed up to" in capsys.readouterr().out
    assert main(["restore", "--list"]) == 0
    out = capsys.readouterr().out
    assert "manual" in out and " ok" in out
    db_file().write_bytes(b"not a database at all" * 100)
    assert main(["decks"]) == 1
    assert "cannot open the database" in capsys.readouterr().err
    assert main(["restore", "--newest"]) == 0
    assert "Restored" in capsys.readouterr().out
    assert main(["decks"]) == 0


def test_second_instance_on_same_profile_is_refused(quizapp_home: Path) -> None:
    lock = ProfileLock(quizapp_home, 1, "Student")
    lock.acquire()
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from quizapp.instance import ProfileLock, ProfileInUseError\n"
        "try:\n"
        f"    ProfileLock(Path({str(quizapp_home)!r}), 1, 'Student').acquire()\n"
        "except ProfileInUseError as e:\n"
        "    print(e); sys.exit(3)\n"
        f"ProfileLock(Path({str(quizapp_home)!r}), 2, 'Ana').acquire()\n"
        "print('other profile ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 3, out.stderr
    assert "“Student” is already open in another quizapp window" in out.stdout
    assert f"(process {os.getpid()})" in out.stdout
    lock.release()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and "other profile ok" in out.stdout
    # A killed holder leaves no stale lock.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import time\nfrom pathlib import Path\nfrom quizapp.instance import ProfileLock\n"
                f"held = ProfileLock(Path({str(quizapp_home)!r}), 1, 'Student')\nheld.acquire()\n"
                "print('held', flush=True); time.sleep(60)\n"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(ProfileInUseError):
        ProfileLock(quizapp_home, 1, "Student").acquire()
    holder.kill()
    holder.wait()
    with ProfileLock(quizapp_home, 1, "Student") as again:
        assert again.held
