"""Backups in the app: automatic and rotating, restore from the GUI, a damaged collection.

Real SQLite files under the test's QUIZAPP_HOME; QMessageBox statics (and the
exec of the damaged-collection box) are patched with monkeypatch, except in
one test that clicks the real box.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from quizapp.gui.controllers.backups import finish_exit_backups
from quizapp.gui.main_window import MainWindow
from quizapp.gui.settings import GuiSettings
from quizapp.gui.views.backup_dialog import BackupDialog
from quizapp.services.collection import Collection
from quizapp.storage import backup as storage_backup
from quizapp.storage.backup import KEEP_COUNT, check_database, list_backups, take_backup
from tests.gui.conftest import WAIT_MS, database_file, query


def profiles(home: Path) -> set[str]:
    return {str(r[0]) for r in query(home, "SELECT name FROM profile")}


def add_profile(name: str) -> None:
    from quizapp.storage import repository as repo

    with Collection.open() as col, col.transaction() as s:
        repo.create_profile(s, name)


def damage_file(path: Path) -> None:
    """Garbage over the header: SQLite no longer reads the file at all."""
    with open(path, "r+b") as fh:
        fh.write(b"this is not a database any more" * 8)


def damage_unused_index(path: Path) -> None:
    """Garbage over one index page that opening the collection never reads."""
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (root,) = con.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_review_wrong_choice'"
        ).fetchone()
        (page,) = con.execute("PRAGMA page_size").fetchone()
    finally:
        con.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page)
        fh.write(os.urandom(page))


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[Callable[[], MainWindow]]:
    made: list[MainWindow] = []

    def make() -> MainWindow:
        win = MainWindow(GuiSettings())
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win, timeout=WAIT_MS)
        made.append(win)
        return win

    yield make
    for win in made:
        win.close()


def answer_box(monkeypatch: pytest.MonkeyPatch, button: str, seen: list[QMessageBox]) -> None:
    """Make QMessageBox.exec click the button whose text starts with ``button``."""

    def exec_(box: QMessageBox) -> int:
        seen.append(box)
        for b in box.buttons():
            if b.text().replace("&", "").startswith(button):
                b.click()
                return 0
        raise AssertionError(f"no button {button!r} in {[b.text() for b in box.buttons()]}")

    monkeypatch.setattr(QMessageBox, "exec", exec_)


# ---------------------------------------------------------------- automatic backups


def test_start_backup_off_the_gui_thread_periodic_and_exit(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[str] = []
    real = storage_backup.take_backup

    def spy(*args: object, **kwargs: object) -> storage_backup.Backup:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(storage_backup, "take_backup", spy)
    win = make_window()
    assert list_backups(quizapp_home) == []  # nothing before the window shows
    win.open_collection()
    qtbot.waitUntil(lambda: len(list_backups(quizapp_home)) == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not win.safekeeping.keeper.busy(), timeout=WAIT_MS)
    assert threads and threads[0] != threading.main_thread().name  # a pool thread
    (start,) = list_backups(quizapp_home)
    assert start.reason == "start" and check_database(start.path) is None

    keeper = win.safekeeping.keeper
    assert keeper.timer.isActive() and keeper.timer.interval() == 30 * 60 * 1000
    keeper.timer.timeout.emit()  # thirty minutes later
    qtbot.waitUntil(lambda: len(list_backups(quizapp_home)) == 2, timeout=WAIT_MS)
    assert list_backups(quizapp_home)[0].reason == "periodic"

    win.close()
    assert finish_exit_backups(60)
    assert [b.reason for b in list_backups(quizapp_home)] == ["exit", "periodic", "start"]
    assert threads[-1] == "quizapp-exit-backup"  # the exit backup: after the window has gone
    assert all(check_database(b.path) is None for b in list_backups(quizapp_home))


def test_the_start_backup_waits_until_the_first_question_is_painted(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Opening, studying and painting the first question run without the copy beside them."""
    started: list[str] = []
    real = storage_backup.take_backup

    def spy(*args: object, **kwargs: object) -> storage_backup.Backup:
        started.append("backup")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(storage_backup, "take_backup", spy)
    win = make_window()
    win.open_collection()
    keeper = win.safekeeping.keeper
    assert keeper.busy()  # to come: whoever waits for the keeper waits for it too
    win.start_study()  # as the app does at start, before its event loop turns
    assert win.study.question is not None
    prompt = win.study.view.prompt
    prompt.repaint()  # the first question painted
    assert prompt.text() and started == []
    assert not keeper.start_timer.isActive()  # armed only once the event loop turns ...
    qtbot.waitUntil(keeper.start_timer.isActive, timeout=WAIT_MS)
    assert started == []  # ... and taken a moment later
    qtbot.waitUntil(lambda: len(list_backups(quizapp_home)) == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not keeper.busy(), timeout=WAIT_MS)
    assert started == ["backup"] and list_backups(quizapp_home)[0].reason == "start"


def test_closed_before_the_start_backup_the_exit_backup_is_taken(
    make_window: Callable[[], MainWindow], quizapp_home: Path,
) -> None:
    win = make_window()
    win.open_collection()
    assert win.safekeeping.keeper.busy()
    win.close()  # before the start backup began: none, the exit backup instead
    assert not win.safekeeping.keeper.busy()
    assert finish_exit_backups(60)
    (only,) = list_backups(quizapp_home)
    assert only.reason == "exit" and check_database(only.path) is None


def test_a_recent_backup_skips_the_start_backup_and_rotation_keeps_count_and_age(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
) -> None:
    Collection.open().close()
    db = database_file(quizapp_home)
    now = datetime.now(UTC)
    for i in range(KEEP_COUNT + 5):  # 25 backups, one a day, the oldest 24 days old
        take_backup(db, quizapp_home, "exit", now=now - timedelta(days=i, minutes=1))
    take_backup(db, quizapp_home, "exit", now=now - timedelta(days=200))  # far too old
    (quizapp_home / "backups" / "quizapp-x.partial").write_bytes(b"left by a kill")
    stale = (now - timedelta(hours=1)).timestamp()
    os.utime(quizapp_home / "backups" / "quizapp-x.partial", (stale, stale))
    win = make_window()
    win.open_collection()
    qtbot.waitUntil(lambda: not win.safekeeping.keeper.busy(), timeout=WAIT_MS)
    outcome = win.safekeeping.keeper.last
    assert outcome is not None and outcome.skipped  # the newest is a minute old
    assert len(list_backups(quizapp_home)) == KEEP_COUNT + 6
    win.close()  # the exit backup prunes
    assert finish_exit_backups(60)
    left = list_backups(quizapp_home)
    assert len(left) == KEEP_COUNT
    assert left[0].reason == "exit" and now - left[-1].taken_at < timedelta(days=60)
    assert not (quizapp_home / "backups" / "quizapp-x.partial").exists()


# --------------------------------------------------------------------- restore


def test_restore_from_the_dialog_after_confirmation(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Collection.open().close()
    old = take_backup(database_file(quizapp_home), quizapp_home, "manual",
                      now=datetime.now(UTC) - timedelta(hours=2))
    add_profile("Ana")  # made after the backup
    win = make_window()
    win.open_collection()
    qtbot.waitUntil(lambda: not win.safekeeping.keeper.busy(), timeout=WAIT_MS)
    assert "Ana" in {p.name for p in win._profiles}
    dialog = win.show_backups()
    assert isinstance(dialog, BackupDialog)
    assert dialog.accessibleName() == "Backups"
    rows = dialog.rows
    assert [r.path for r in rows] == [b.path for b in list_backups(quizapp_home)]
    qtbot.waitUntil(lambda: all(dialog.table.item(i, 3).text() == "Good"
                                for i in range(dialog.table.rowCount())), timeout=WAIT_MS)
    assert dialog.table.item(len(rows) - 1, 1).text() == "By hand"

    asked: list[str] = []

    def question(parent: object, title: str, text: str, *a: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog.select_path(old.path)
    dialog.restore.click()
    assert asked and "kept aside" in asked[0]
    assert "Ana" in profiles(quizapp_home)  # cancelled: nothing changed

    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    before = win.library
    dialog.restore.click()
    assert win.library is not None and win.library is not before  # reopened
    assert profiles(quizapp_home) == {"Student"}
    assert {p.name for p in win._profiles} == {"Student"}
    assert win.deck_model.rowCount() == 1 and win.profile is not None
    replaced = list(quizapp_home.glob("quizapp.replaced-*.sqlite3"))
    assert len(replaced) == 1  # the collection it replaced is kept aside
    assert "Ana" in {r[0] for r in sqlite3.connect(replaced[0]).execute(
        "SELECT name FROM profile")}
    assert "Restored the backup of" in win.status.text()
    # Study goes on in the restored collection.
    win.start_study()
    assert win.study.active and win.study.question is not None
    win.show_decks()


def test_restore_is_refused_while_another_window_holds_a_profile(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import subprocess
    import sys

    Collection.open().close()
    take_backup(database_file(quizapp_home), quizapp_home, "manual")
    add_profile("Ana")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom pathlib import Path\nfrom quizapp.instance import ProfileLock\n"
         f"held = ProfileLock(Path({str(quizapp_home)!r}), 2, 'Ana')\nheld.acquire()\n"
         "print('held', flush=True)\ntime.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        win = make_window()
        win.open_collection()
        monkeypatch.setattr(QMessageBox, "question",
                            lambda *a, **k: QMessageBox.StandardButton.Yes)
        assert not win.safekeeping.restore(list_backups(quizapp_home)[-1].path)
        assert any("another window" in d.text() for d in win.open_dialogs()
                   if isinstance(d, QMessageBox))
        assert "Ana" in profiles(quizapp_home)
    finally:
        holder.kill()
        holder.wait(10)


def test_a_restore_that_cannot_write_its_copy_says_so_and_keeps_the_collection(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
) -> None:
    Collection.open().close()
    db = database_file(quizapp_home)
    old = take_backup(db, quizapp_home, "manual", now=datetime.now(UTC) - timedelta(hours=2))
    add_profile("Ana")
    win = make_window()
    win.open_collection()
    qtbot.waitUntil(lambda: not win.safekeeping.keeper.busy(), timeout=WAIT_MS)
    # A folder where the restore writes its copy of the backup: the copy cannot be made.
    blocker = db.with_name(f"{db.name}.{os.getpid()}.restoring")
    blocker.mkdir()
    assert not win.safekeeping.restore(old.path, confirm=False)
    failed = [d for d in win.open_dialogs()
              if isinstance(d, QMessageBox) and d.windowTitle() == "Restore failed"]
    assert failed and "could not be restored" in failed[0].text()
    # The collection is the one it was, open again, with nothing moved aside.
    # Nothing was replaced: the file still holds every profile; once the folder
    # in the way is gone, the collection opens as it was.
    assert "Ana" in profiles(quizapp_home)
    assert not list(quizapp_home.glob("quizapp.replaced-*.sqlite3"))
    blocker.rmdir()
    win.open_collection()
    assert win.library is not None and "Ana" in {p.name for p in win._profiles}


def test_back_up_now_from_the_dialog(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
) -> None:
    win = make_window()
    win.open_collection()
    qtbot.waitUntil(lambda: not win.safekeeping.keeper.busy(), timeout=WAIT_MS)
    dialog = win.show_backups()
    assert isinstance(dialog, BackupDialog)
    n = len(dialog.rows)
    dialog.backup_now.click()
    qtbot.waitUntil(lambda: len(dialog.rows) == n + 1, timeout=WAIT_MS)
    assert dialog.table.item(0, 1).text() == "By hand"
    assert "Backed up to" in win.status.text()


# ------------------------------------------------------------ damaged collection


def test_damaged_collection_at_start_offers_the_newest_good_backup(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Collection.open().close()
    add_profile("Ana")
    db = database_file(quizapp_home)
    good = take_backup(db, quizapp_home, "exit", now=datetime.now(UTC) - timedelta(days=1))
    bad = take_backup(db, quizapp_home, "exit", now=datetime.now(UTC) - timedelta(hours=1))
    damage_file(bad.path)  # the newest backup is damaged too: it must be passed over
    damage_file(db)
    seen: list[QMessageBox] = []
    answer_box(monkeypatch, "Restore newest good backup", seen)
    win = make_window()
    win.open_collection()
    (box,) = seen
    assert box.windowTitle() == "Your collection is damaged"
    assert "cannot open your collection" in box.text() and "damaged" in box.text()
    assert "newest good backup is from" in box.informativeText()
    assert {b.text() for b in box.buttons()} >= {"Restore newest good backup", "Quit"}
    assert "file is not a database" in box.detailedText()  # the technical words, out of the way
    assert "Traceback" not in box.text() + box.informativeText()
    assert win.library is not None and win.isVisible()
    assert profiles(quizapp_home) == {"Student", "Ana"}
    assert check_database(db) is None
    assert good.path.exists()
    assert len(list(quizapp_home.glob("quizapp.replaced-*.sqlite3"))) == 1
    win.start_study()
    assert win.study.question is not None


def test_damaged_collection_at_start_quit(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Collection.open().close()
    take_backup(database_file(quizapp_home), quizapp_home, "exit")
    damage_file(database_file(quizapp_home))
    before = database_file(quizapp_home).read_bytes()
    seen: list[QMessageBox] = []
    answer_box(monkeypatch, "Quit", seen)
    win = make_window()
    win.open_collection()
    assert len(seen) == 1
    assert win.library is None and not win.isVisible() and win.exit_status == 1
    assert database_file(quizapp_home).read_bytes() == before  # left as it was


def test_damaged_collection_without_a_backup_says_where_the_file_is(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Collection.open().close()
    damage_file(database_file(quizapp_home))
    seen: list[QMessageBox] = []
    answer_box(monkeypatch, "Quit", seen)
    win = make_window()
    win.open_collection()
    (box,) = seen
    assert [b.text() for b in box.buttons() if "Details" not in b.text()] == ["Quit"]
    assert "no good backup" in box.informativeText()
    assert str(database_file(quizapp_home)) in box.informativeText()
    assert win.exit_status == 1


def test_damaged_collection_real_dialog_is_clicked(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
) -> None:
    Collection.open().close()
    take_backup(database_file(quizapp_home), quizapp_home, "exit")
    damage_file(database_file(quizapp_home))
    clicked: list[str] = []

    def click_restore() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, click_restore)
            return
        for b in box.findChildren(QPushButton):
            if b.text() == "Restore newest good backup":
                clicked.append(box.text())
                b.click()
                return

    QTimer.singleShot(50, click_restore)
    win = make_window()
    win.open_collection()
    assert clicked and "damaged" in clicked[0]
    assert win.library is not None
    assert check_database(database_file(quizapp_home)) is None


def test_damage_found_by_the_start_backup_is_reported(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Collection.open().close()
    db = database_file(quizapp_home)
    good = take_backup(db, quizapp_home, "exit", now=datetime.now(UTC) - timedelta(hours=3))
    damage_unused_index(db)  # opens fine; the integrity check finds it
    seen: list[QMessageBox] = []
    answer_box(monkeypatch, "Restore newest good backup", seen)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked twice"))
    win = make_window()
    win.open_collection()
    assert win.library is not None
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: check_database(db) is None, timeout=WAIT_MS)
    assert "while backing it up" in seen[0].text()
    # The damaged copy was thrown away, not kept to push good backups out.
    assert good.path in [b.path for b in list_backups(quizapp_home)]
    assert all(check_database(b.path) is None for b in list_backups(quizapp_home))
    assert win.library is not None and win.profile is not None


# ------------------------------------------------------------------ failed upgrade


def half_upgraded_collection(home: Path) -> Path:
    """The schema-1 fixture as an older quizapp killed during its upgrade left it.

    A column of step 1 → 2 is there but the version is still 1, so every
    upgrade fails ("duplicate column name"); the clean copy that first
    attempt kept is next to it.
    """
    import shutil

    from quizapp.storage.db import upgrade_copy_path

    fixture = Path(__file__).parent.parent / "fixtures" / "schema_v1.sqlite3"
    home.mkdir(parents=True, exist_ok=True)
    db = database_file(home)
    shutil.copy(fixture, db)
    shutil.copy(fixture, upgrade_copy_path(db, 1))
    con = sqlite3.connect(db)
    con.execute("ALTER TABLE profile ADD COLUMN db_role VARCHAR")
    con.commit()
    con.close()
    return upgrade_copy_path(db, 1)


def test_a_failed_upgrade_at_start_offers_the_copy_from_before_it(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copy = half_upgraded_collection(quizapp_home)
    seen: list[QMessageBox] = []
    answer_box(monkeypatch, "Restore the copy from before the upgrade", seen)
    win = make_window()
    win.open_collection()
    (box,) = seen
    assert box.windowTitle() == "The upgrade of your collection failed"
    assert "could not upgrade your collection" in box.text()
    assert str(copy) in box.informativeText()
    assert f"quizapp restore {copy}" in box.informativeText()
    assert {b.text() for b in box.buttons()} >= {"Restore the copy from before the upgrade",
                                                 "Quit"}
    assert "duplicate column name" in box.detailedText()
    assert win.library is not None and win.isVisible()
    assert profiles(quizapp_home) == {"Student", "Ana"}
    assert len(query(quizapp_home, "SELECT id FROM review")) >= 25
    # The half-upgraded file is kept aside; the copy stays for another time.
    assert len(list(quizapp_home.glob("quizapp.replaced-*.sqlite3"))) == 1
    assert check_database(copy) is None
    win.start_study()
    assert win.study.question is not None


def test_a_failed_upgrade_at_start_quit_leaves_every_file(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copy = half_upgraded_collection(quizapp_home)
    before = copy.read_bytes()
    seen: list[QMessageBox] = []
    answer_box(monkeypatch, "Quit", seen)
    win = make_window()
    win.open_collection()
    assert len(seen) == 1
    assert win.library is None and not win.isVisible() and win.exit_status == 1
    assert copy.read_bytes() == before
    assert not list(quizapp_home.glob("quizapp.replaced-*.sqlite3"))


# ------------------------------------------------------------------ exit backup


def test_closing_hides_the_window_before_the_exit_backup_which_ends_checked_and_listed(
    make_window: Callable[[], MainWindow], qtbot: QtBot, quizapp_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The exit backup is held until the window is gone; then it ends checked and listed."""
    from quizapp.gui.controllers import backups as keeper_module

    gate = threading.Event()
    seen_hidden: list[bool] = []
    real = keeper_module.back_up

    def held(*args: object, **kwargs: object) -> object:
        if args[2] == "exit":
            assert gate.wait(60)  # the real backup runs once the test lets it
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(keeper_module, "back_up", held)
    win = make_window()
    win.open_collection()
    qtbot.waitUntil(lambda: len(list_backups(quizapp_home)) == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not win.safekeeping.keeper.busy(), timeout=WAIT_MS)
    jobs: list[object] = []
    real_closing = win.safekeeping.closing

    def closing(*, back_up: bool) -> object:
        seen_hidden.append(not win.isVisible())
        job = real_closing(back_up=back_up)
        jobs.append(job)
        return job

    monkeypatch.setattr(win.safekeeping, "closing", closing)
    win.close()  # returns while the exit backup is held
    assert not win.isVisible() and seen_hidden == [True]
    (job,) = jobs
    assert isinstance(job, keeper_module.ExitBackup) and job.is_alive()
    assert [b.reason for b in list_backups(quizapp_home)] == ["start"]
    assert not finish_exit_backups(0.05)  # still held: the process would wait for it
    gate.set()
    assert finish_exit_backups(60)
    assert job.outcome is not None and job.outcome.backup is not None
    newest = list_backups(quizapp_home)[0]
    assert newest.reason == "exit" and newest.path == job.outcome.backup.path
    assert check_database(newest.path) is None
    assert storage_backup.newest_good_backup(quizapp_home) == newest
    assert not list((quizapp_home / "backups").glob("*.partial*"))


def test_a_kill_during_the_exit_backup_leaves_nothing_restore_would_offer(
    quizapp_home: Path, tmp_path: Path,
) -> None:
    """The real app in a child process, killed after its exit copy and before its check."""
    import signal
    import subprocess
    import sys

    Collection.open().close()
    before = take_backup(database_file(quizapp_home), quizapp_home, "manual")  # recent: no
    env = dict(os.environ, QUIZAPP_HOME=str(quizapp_home), QT_QPA_PLATFORM="offscreen",
               QUIZAPP_STUDY_AT_START="1", QUIZAPP_FIRST_QUESTION_STAMP="quit")  # start backup
    env.pop("QUIZAPP_DATABASE_URL", None)
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")])

    def app(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "quizapp"], env=dict(env, **extra),
                              cwd=tmp_path, capture_output=True, text=True, timeout=120,
                              check=False)

    killed = app(QUIZAPP_TEST_KILL_AT="backup_copy:1")  # the exit copy, not yet checked
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    lines = [line.split()[0] for line in killed.stdout.splitlines()]
    assert lines == ["first-question-painted", "first-question-cpu",
                     "window-closed"]  # gone before the kill
    partials = list((quizapp_home / "backups").glob("*.partial*"))
    assert partials  # the unchecked copy is on disk, under a name no list shows
    assert list_backups(quizapp_home) == [before]
    assert storage_backup.newest_good_backup(quizapp_home) == before
    assert check_database(database_file(quizapp_home)) is None

    again = app()  # the next start sweeps the copy; its own exit backup ends checked
    assert again.returncode == 0, again.stderr[-2000:]
    assert not list((quizapp_home / "backups").glob("*.partial*"))
    reasons = [b.reason for b in list_backups(quizapp_home)]
    assert reasons == ["exit", "manual"]
    assert all(check_database(b.path) is None for b in list_backups(quizapp_home))
