"""What a crash or a failure leaves behind: atomic schema work, the pre-upgrade copy,
restore's journal, backups of a damaged database, and the plain error with the way out.

The kill loops themselves are in ``tests/test_kill_loops.py``; these tests pin
down each state a kill can leave, one by one, on real files (and the real
PostgreSQL server for the atomic upgrade step).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from quizapp.cli import main
from quizapp.services.collection import Collection
from quizapp.storage import db as storage_db
from quizapp.storage.backup import (
    check_database,
    list_backups,
    recover_restore,
    restore_backup,
    take_backup,
)
from quizapp.storage.db import (
    MIGRATIONS,
    DatabaseError,
    UpgradeError,
    open_database,
    upgrade_copy_path,
)
from quizapp.storage.models import SCHEMA_VERSION

FIXTURES = Path(__file__).parent / "fixtures"
WAY_OUT = "quizapp restore --newest"


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def version_of(path: Path) -> str:
    return str(query(path, "SELECT value FROM meta WHERE key = 'schema_version'")[0][0])


def run_quizapp(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QUIZAPP_HOME=str(home),
               PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    env.pop("QUIZAPP_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "quizapp", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def dead_pid() -> int:
    """The id of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


# ------------------------------------------------------------------ first start


def test_first_start_is_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure after some tables were created leaves no table at all, and no version."""
    db = tmp_path / "quizapp.sqlite3"
    real = storage_db.SQLModel.metadata.create_all

    def create_then_fail(conn: Connection, **kw: object) -> None:
        real(conn, **kw)  # type: ignore[arg-type]
        raise RuntimeError("killed after the tables")

    monkeypatch.setattr(storage_db.SQLModel.metadata, "create_all", create_then_fail)
    with pytest.raises(DatabaseError, match="killed after the tables"):
        open_database(f"sqlite:///{db}")
    assert query(db, "SELECT name FROM sqlite_master") == []
    monkeypatch.undo()
    open_database(f"sqlite:///{db}").dispose()
    assert version_of(db) == str(SCHEMA_VERSION)


def test_a_file_left_by_an_older_killed_first_start_starts_fresh(tmp_path: Path) -> None:
    """Empty quizapp tables and no version stamp (what older versions left): no dead end."""
    db = tmp_path / "quizapp.sqlite3"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("CREATE TABLE deck (id INTEGER PRIMARY KEY)")  # half a table set, no rows
    con.commit()
    con.close()
    with Collection.open(f"sqlite:///{db}") as col, col.session() as s:
        assert s.execute(text("SELECT count(*) FROM profile")).scalar() == 1
    assert version_of(db) == str(SCHEMA_VERSION)
    assert check_database(db) is None


def test_a_file_with_rows_but_no_version_is_left_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "quizapp.sqlite3"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE deck (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("INSERT INTO deck (name) VALUES ('mine')")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match=r"not a quizapp database.*leaves it as it is"):
        open_database(f"sqlite:///{db}")
    assert query(db, "SELECT name FROM sqlite_master") == [("deck",)]
    assert query(db, "SELECT * FROM deck") == [(1, "mine")]


# ---------------------------------------------------------------------- upgrades


def _fail_in_the_middle(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE profile ADD COLUMN half_done VARCHAR"))
    conn.execute(text("CREATE TABLE half_table (id INTEGER PRIMARY KEY)"))
    conn.execute(text("CREATE INDEX ix_half ON profile (half_done)"))
    raise RuntimeError("the step broke after three statements")


def _add_a_column(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE profile ADD COLUMN half_done VARCHAR"))
    conn.execute(text("CREATE TABLE half_table (id INTEGER PRIMARY KEY)"))


@pytest.mark.both_backends
def test_an_upgrade_step_and_its_version_commit_together(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A step that fails after DDL leaves nothing of it (SQLite and PostgreSQL)."""
    open_database(db_url).dispose()
    monkeypatch.setattr(storage_db, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(storage_db, "MIGRATIONS", [*MIGRATIONS, _fail_in_the_middle])
    with pytest.raises(UpgradeError) as caught:
        open_database(db_url)
    message = str(caught.value)
    assert f"failed at step {SCHEMA_VERSION} to {SCHEMA_VERSION + 1}" in message
    assert "the step broke after three statements" in message
    assert "\n" not in message
    engine = storage_db.make_engine(db_url)
    with engine.connect() as conn:
        insp = inspect(conn)
        assert "half_done" not in {c["name"] for c in insp.get_columns("profile")}
        assert not insp.has_table("half_table")
        assert storage_db.schema_version(conn) == SCHEMA_VERSION
    engine.dispose()
    if db_url.startswith("sqlite"):
        copy = caught.value.copy
        assert copy is not None and f"quizapp restore {copy}" in message
        assert version_of(copy) == str(SCHEMA_VERSION)
    else:
        assert caught.value.copy is None and "server's backup" in message
    monkeypatch.setattr(storage_db, "MIGRATIONS", [*MIGRATIONS, _add_a_column])
    open_database(db_url).dispose()  # the next start goes on from the last whole step
    engine = storage_db.make_engine(db_url)
    with engine.connect() as conn:
        assert "half_done" in {c["name"] for c in inspect(conn).get_columns("profile")}
        assert storage_db.schema_version(conn) == SCHEMA_VERSION + 1
    engine.dispose()


def _half_upgraded_v1(home: Path) -> Path:
    """The schema-1 fixture as an older quizapp killed in its upgrade left it: a column added,
    version still 1; and the clean copy that first attempt kept."""
    home.mkdir(parents=True, exist_ok=True)
    db = home / "quizapp.sqlite3"
    shutil.copy(FIXTURES / "schema_v1.sqlite3", db)
    shutil.copy(FIXTURES / "schema_v1.sqlite3", upgrade_copy_path(db, 1))
    con = sqlite3.connect(db)
    con.execute("ALTER TABLE profile ADD COLUMN db_role VARCHAR")
    con.commit()
    con.close()
    return db


def test_a_failed_upgrade_keeps_the_clean_copy_and_says_how_to_bring_it_back(
        quizapp_home: Path) -> None:
    db = _half_upgraded_v1(quizapp_home)
    copy = upgrade_copy_path(db, 1)
    clean = copy.read_bytes()
    for _ in range(2):  # every start says so, and never overwrites the copy
        with pytest.raises(UpgradeError, match="duplicate column name") as caught:
            open_database(f"sqlite:///{db}")
        assert caught.value.copy == copy
        assert copy.read_bytes() == clean
    done = run_quizapp(quizapp_home, "decks")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "upgrade" in lines[0] and f"quizapp restore {copy}" in lines[0]
    done = run_quizapp(quizapp_home, "restore", str(copy))
    assert done.returncode == 0, done.stderr
    done = run_quizapp(quizapp_home, "decks", "--json")
    assert done.returncode == 0, done.stderr
    assert version_of(db) == str(SCHEMA_VERSION)
    assert query(db, "SELECT count(*) FROM review") == query(
        FIXTURES / "schema_v1.sqlite3", "SELECT count(*) FROM review")
    replaced = list(quizapp_home.glob("quizapp.replaced-*.sqlite3"))
    assert len(replaced) == 1  # the half-upgraded file is kept aside, not deleted


def test_the_pre_upgrade_copy_is_checked_and_a_damaged_one_is_moved_aside(tmp_path: Path) -> None:
    db = tmp_path / "quizapp.sqlite3"
    shutil.copy(FIXTURES / "schema_v2.sqlite3", db)
    copy = upgrade_copy_path(db, 2)
    copy.write_bytes(b"a damaged copy" * 100)
    open_database(f"sqlite:///{db}").dispose()
    assert check_database(copy) is None and version_of(copy) == "2"
    assert [p.name.startswith("quizapp.schema2.bak.damaged-")
            for p in tmp_path.glob("quizapp.schema2.bak.damaged-*")] == [True]
    assert not list(tmp_path.glob("*.partial*"))


# ------------------------------------------------------------------------ restore


def _collection_with_wal(home: Path) -> Path:
    """A collection whose last commit (profile "Since") is only in its -wal file."""
    Collection.open().close()
    db = home / "quizapp.sqlite3"
    take_backup(db, home, "manual")
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_autocheckpoint=0")
    with con:
        con.execute("UPDATE profile SET name = 'Since' WHERE id = 1")
    shutil.copy(db, home / "crash.sqlite3")
    shutil.copy(db.with_name(db.name + "-wal"), home / "crash.sqlite3-wal")
    con.close()
    shutil.move(home / "crash.sqlite3", db)
    shutil.move(home / "crash.sqlite3-wal", db.with_name(db.name + "-wal"))
    assert db.with_name(db.name + "-wal").stat().st_size > 0
    return db


def test_restore_keeps_the_old_wal_with_the_old_file(quizapp_home: Path) -> None:
    db = _collection_with_wal(quizapp_home)
    backup = list_backups(quizapp_home)[0].path
    aside = restore_backup(backup, db)
    assert aside is not None
    assert not db.with_name(db.name + "-wal").exists()  # no stale WAL next to the restored file
    assert query(db, "SELECT name FROM profile") == [("Student",)]
    assert query(aside, "SELECT name FROM profile") == [("Since",)]  # the old commits kept
    assert not list(quizapp_home.glob("quizapp.sqlite3.restor*"))


def test_a_start_finishes_a_restore_killed_between_its_renames(quizapp_home: Path) -> None:
    """The state a kill after moving the old file aside leaves: no database, a journal."""
    db = _collection_with_wal(quizapp_home)
    backup = list_backups(quizapp_home)[0].path
    pid = dead_pid()
    tmp = db.with_name(f"{db.name}.{pid}.restoring")
    journal = db.with_name(db.name + ".restore.json")
    shutil.copy(backup, tmp)
    aside = db.with_name("quizapp.replaced-20250101-000000.sqlite3")
    journal.write_text(json.dumps({"backup": str(backup), "aside": aside.name,
                                   "copy": tmp.name, "pid": pid}))
    os.replace(db, aside)  # the old -wal is still next to where the database was
    with Collection.open() as col, col.session() as s:
        assert s.execute(text("SELECT name FROM profile")).all() == [("Student",)]
    assert query(aside, "SELECT name FROM profile") == [("Since",)]
    assert not tmp.exists() and not journal.exists()


def test_a_copy_without_a_journal_is_an_unstarted_restore(quizapp_home: Path) -> None:
    db = _collection_with_wal(quizapp_home)
    tmp = db.with_name(f"{db.name}.{dead_pid()}.restoring")
    tmp.write_bytes(b"half a copy")
    running = db.with_name(f"{db.name}.{os.getppid()}.restoring")  # a restore under way
    running.write_bytes(b"being written")
    assert recover_restore(db) is not None
    assert not tmp.exists() and running.exists()
    assert query(db, "SELECT name FROM profile") == [("Since",)]


# ------------------------------------------------------- a damaged database, plainly


def _damage_pages(db: Path) -> None:
    """Garbage over the profile table's page: the file opens, reading profiles fails."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (page,) = con.execute("PRAGMA page_size").fetchone()
    (root,) = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'profile'").fetchone()
    con.close()
    with open(db, "r+b") as fh:
        fh.seek((root - 1) * page)
        fh.write(b"\xff" * page)


@pytest.mark.parametrize("damage", ["header", "pages"])
def test_commands_on_a_damaged_database_say_one_plain_line(quizapp_home: Path,
                                                            damage: str) -> None:
    Collection.open().close()
    db = quizapp_home / "quizapp.sqlite3"
    assert main(["backup"]) == 0
    good = list_backups(quizapp_home)
    if damage == "header":
        db.write_bytes(b"not a database at all" * 100)
    else:
        _damage_pages(db)
    for args in (["decks"], ["stats", "--json"], ["backup"]):
        done = run_quizapp(quizapp_home, *args)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 1, (args, done.stderr)
        assert len(lines) == 1 and "Traceback" not in done.stderr, (args, done.stderr)
        assert lines[0].startswith("quizapp: ") and lines[0].endswith(WAY_OUT), lines[0]
    assert list_backups(quizapp_home) == good  # no damaged copy was kept as a backup
    assert not list((quizapp_home / "backups").glob("*.partial*"))
    done = run_quizapp(quizapp_home, "restore", "--newest")
    assert done.returncode == 0, done.stderr
    assert run_quizapp(quizapp_home, "decks").returncode == 0


def test_backup_and_start_sweep_partials_of_killed_backups(quizapp_home: Path) -> None:
    Collection.open().close()
    folder = quizapp_home / "backups"
    folder.mkdir()
    pid = dead_pid()
    names = [f"quizapp-20250101-000000-000000-manual.sqlite3.{pid}.partial",
             f"quizapp-20250101-000000-000000-manual.sqlite3.{pid}.partial-journal"]
    for name in names:
        (folder / name).write_bytes(b"left by a kill" * 1000)
    live = folder / f"quizapp-x.sqlite3.{os.getpid()}.partial"  # a backup still being written
    live.write_bytes(b"in progress")
    Collection.open().close()  # a start sweeps
    assert not any((folder / n).exists() for n in names) and live.exists()
    for name in names:
        (folder / name).write_bytes(b"left by a kill")
    assert main(["backup"]) == 0  # and so does a backup
    assert not any((folder / n).exists() for n in names) and live.exists()
