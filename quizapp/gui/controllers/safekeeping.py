"""Keeping the learner's collection safe: backups, restore, damage, one writer per profile.

The main window owns one :class:`Safekeeping` and calls it at a few points
(the window is its :class:`SafekeepingHost`: the few public things it asks of
the window, so that this module never imports the window):

- :meth:`opened` when the collection is open: automatic backups start
  (:class:`~quizapp.gui.controllers.backups.BackupKeeper`: at start off the GUI
  thread, every 30 minutes, on exit);
- :meth:`open_failed` when it cannot be opened: a damaged file (checked with
  ``PRAGMA integrity_check``) is said so in plain words and the newest good
  backup is offered — *Restore newest good backup* or *Quit*; a failed schema
  upgrade is said so, and the copy taken before it is offered — *Restore the
  copy from before the upgrade* or *Quit*; any other failure
  (a newer schema, a locked or unreadable file) is reported as it is;
- :meth:`lock_profile` / :meth:`release_profile` when a profile is opened or
  left: :class:`quizapp.instance.ProfileLock` makes this window the profile's one
  writer; a profile open in another quizapp window is refused with a message
  that names it, and the learner can choose another profile;
- :meth:`closing` when the window closes: the exit backup starts on a thread
  of its own (the window does not wait for it), and the lock goes.

File › Backups… opens :class:`~quizapp.gui.views.backup_dialog.BackupDialog`;
a restore asks for confirmation, refuses while another quizapp window has the
collection open, closes the collection, replaces the file (the old one is kept
aside by :func:`quizapp.services.backups.restore`) and opens it again.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from quizapp.gui.controllers.backups import (
    BackupKeeper,
    BackupRow,
    backup_rows,
    local_time,
    profiles_open_elsewhere,
)
from quizapp.services import backups
from quizapp.services.startup import configured_file, upgrade_copy

if TYPE_CHECKING:
    from quizapp.gui.controllers.backups import ExitBackup
    from quizapp.gui.controllers.library import Library, ProfileInfo
    from quizapp.gui.views.backup_dialog import BackupDialog
    from quizapp.instance import ProfileLock
    from quizapp.services.backups import Backup, BackupOutcome

log = logging.getLogger(__name__)


class SafekeepingHost(Protocol):
    """What :class:`Safekeeping` asks of the window that owns it."""

    @property
    def study_active(self) -> bool:
        """Whether a study session is on screen (a restore would end it)."""
        ...

    def show_status(self, text: str) -> None:
        """Say ``text`` in the status bar."""

    def message(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        """Show a message box (not blocking) and return it."""
        ...

    def open_dialog(self, dialog: QWidget) -> None:
        """Show a dialog the window keeps track of."""

    def quit_with(self, status: int) -> None:
        """Leave the app with ``status``."""

    def close_collection(self) -> None:
        """Close the open collection (every connection to its file)."""

    def open_collection(self) -> None:
        """Open the default collection again."""


def _row(backup: Backup) -> BackupRow:
    return BackupRow(backup.path, backup.taken_at, backup.reason, backup.size, "ok")


class Safekeeping(QObject):
    """Backups, restore, a damaged collection, and the profile lock of one main window.

    ``host`` is the window (see :class:`SafekeepingHost`); ``parent`` is the
    widget the questions and messages are shown over (the window itself).
    """

    def __init__(self, host: SafekeepingHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.host = host
        self.parent_widget = parent
        self.keeper = BackupKeeper(self)
        self.keeper.backed_up.connect(self._backed_up)
        self.keeper.failed.connect(self._backup_failed)
        self.keeper.damaged.connect(self._damaged_while_open)
        self.keeper.checked.connect(self._checked)
        self.dialog: BackupDialog | None = None
        self._lock: ProfileLock | None = None
        self._lock_id: int | None = None
        self._asking = False

    @property
    def home(self) -> Path:
        """The app's folder."""
        return self.keeper.home

    # ------------------------------------------------------------ opening

    def opened(self, library: Library) -> None:
        """The collection is open: keep backups of it (the first one shortly, off-thread)."""
        self.keeper.attach(library.collection)
        self.keeper.back_up_at_start()  # off-thread, once the first screen is painted

    def open_failed(self, exc: Exception) -> Library | None:
        """The collection would not open: recover from a backup if it is damaged.

        Returns the reopened library after a restore, or None (the window then
        stays without a collection, or quits if the learner chose Quit).
        """
        w = self.host
        db = configured_file()
        copy = upgrade_copy(exc)
        if copy is not None and db is not None:
            return self._upgrade_failed(exc, copy, db)
        problem = None
        if db is not None and db.exists():
            problem = backups.check(db)
        if problem is None:  # not damage: a newer schema, a locked or unreadable file…
            w.show_status("The collection could not be opened.")
            w.message(QMessageBox.Icon.Critical, "Cannot open the collection",
                      f"quizapp could not open its database:\n\n{exc}")
            return None
        assert db is not None
        log.warning("the collection %s is damaged: %s (%s)", db, problem, exc)
        w.show_status("Your collection is damaged.")
        newest = self._newest_good()
        from quizapp.gui.views.backup_dialog import ask_damaged

        if not ask_damaged(self.parent_widget, problem, newest, str(db),
                           at_start=True) or newest is None:
            w.quit_with(1)
            return None
        reopened = self._reopen_from(newest.path, db, "The backup")
        if reopened is None:
            return None
        library, aside = reopened
        self._say_restored(newest, aside)
        return library

    def _upgrade_failed(self, exc: Exception, copy: Path, db: Path) -> Library | None:
        """An upgrade step failed: offer the copy taken before the upgrade, or quit."""
        w = self.host
        log.warning("the upgrade of %s failed: %s", db, exc)
        w.show_status("The upgrade of your collection failed.")
        from quizapp.gui.views.backup_dialog import ask_upgrade_failed

        if not ask_upgrade_failed(self.parent_widget, str(exc), str(copy)):
            w.quit_with(1)
            return None
        reopened = self._reopen_from(copy, db, "The copy from before the upgrade")
        if reopened is None:
            return None
        library, aside = reopened
        kept = f" The replaced collection was kept as {aside.name}." if isinstance(
            aside, Path) else ""
        w.show_status(f"Restored the copy from before the upgrade.{kept}")
        return library

    def _newest_good(self) -> BackupRow | None:
        good = backups.newest_good(self.home)
        return _row(good) if good is not None else None

    def _reopen_from(self, source: Path, db: Path,
                     what: str) -> tuple[Library, Path | bool | None] | None:
        """Put ``source`` in place of ``db`` and open it: the library and the replaced file.

        None when the swap failed (the app quits) or the collection still cannot
        be opened (the user is told; ``what`` names what was put back).
        """
        w = self.host
        aside = self._replace(source, db)
        if aside is False:
            w.quit_with(1)
            return None
        from quizapp.gui.controllers.library import Library

        try:
            return Library.open(), aside
        except Exception as again:
            w.message(QMessageBox.Icon.Critical, "Cannot open the collection",
                      f"{what} was restored, but the collection still could not be "
                      f"opened:\n\n{again}")
            return None

    def _replace(self, backup: Path, db: Path) -> Path | bool | None:
        """Put ``backup`` in place of ``db``; the replaced file's new name, or False."""
        try:
            return backups.restore(backup, db)
        except backups.RESTORE_FAILURES as exc:
            log.warning("restore of %s failed: %s", backup, exc)
            self.host.message(QMessageBox.Icon.Critical, "Restore failed",
                              f"The backup could not be restored:\n\n{exc}")
            return False

    def _say_restored(self, row: BackupRow, aside: Path | bool | None) -> None:
        kept = f" The replaced collection was kept as {aside.name}." if isinstance(
            aside, Path) else ""
        self.host.show_status(f"Restored the backup of {local_time(row.taken_at)}.{kept}")

    # ------------------------------------------------------------ closing

    def closing(self, *, back_up: bool) -> ExitBackup | None:
        """The window closes (the collection is closed): the exit backup starts, the lock goes.

        The backup reads the closed file through SQLite's online backup API
        and runs on after the window has gone
        (:func:`~quizapp.gui.controllers.backups.finish_exit_backups`).
        """
        job = self.keeper.back_up_on_exit() if back_up else None
        self.keeper.detach()
        self.release_profile()
        return job

    # ------------------------------------------------------ profile lock

    def lock_profile(self, profile: ProfileInfo) -> bool:
        """Make this window the profile's one writer; False (and a message) if it is in use."""
        from quizapp.instance import ProfileInUseError, ProfileLock

        if self._lock is not None and self._lock_id == profile.profile_id:
            return True
        lock = ProfileLock(self.home, profile.profile_id, profile.name)
        try:
            lock.acquire()
        except ProfileInUseError as exc:
            log.warning("%s", exc)
            self.host.show_status(f"“{profile.name}” is open in another quizapp window.")
            box = self.host.message(QMessageBox.Icon.Warning, "Profile in use", str(exc))
            box.setInformativeText("Choose another profile in the list, or make a new one "
                                   "(File › Profile › New profile…).")
            return False
        except OSError as exc:  # no lock folder (read-only home): open, but say so in the log
            log.warning("could not lock the profile %s: %s", profile.name, exc)
            return True
        self.release_profile()
        self._lock, self._lock_id = lock, profile.profile_id
        return True

    def release_profile(self) -> None:
        """Give up the profile lock (switching profiles, closing)."""
        if self._lock is not None:
            self._lock.release()
        self._lock, self._lock_id = None, None

    @property
    def locked_profile(self) -> int | None:
        """The id of the profile this window holds."""
        return self._lock_id

    # ------------------------------------------------------------ backups

    def show_backups(self) -> BackupDialog:
        """File › Backups…: the list of backups, with Restore and Back up now."""
        from quizapp.gui.views.backup_dialog import BackupDialog

        if self.dialog is not None:
            self.dialog.raise_()
            return self.dialog
        dialog = BackupDialog(str(backups.backup_folder(self.home)), self.parent_widget)
        dialog.restore_requested.connect(lambda row: self.restore(row))
        dialog.backup_requested.connect(self.back_up_now)
        dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        self.dialog = dialog
        self.refresh_dialog()
        self.host.open_dialog(dialog)
        return dialog

    def refresh_dialog(self) -> None:
        """List the backups again and check them off the GUI thread."""
        if self.dialog is None:
            return
        rows = backup_rows(self.home)
        self.dialog.set_rows(rows)
        if rows:
            self.keeper.check_later(rows)

    def back_up_now(self) -> bool:
        """Take a backup now (off the GUI thread)."""
        started = self.keeper.back_up_later("manual")
        if started:
            self.host.show_status("Backing up…")
            if self.dialog is not None:
                self.dialog.set_busy(True)
        else:
            self.host.show_status("There is no collection file to back up.")
        return started

    def _backed_up(self, outcome: BackupOutcome) -> None:
        if outcome.reason == "manual" and outcome.backup is not None:
            self.host.show_status(f"Backed up to {outcome.backup.path.name}.")
        if self.dialog is not None:
            self.dialog.set_busy(False)
            self.refresh_dialog()

    def _backup_failed(self, why: str) -> None:
        self.host.show_status(f"The backup failed: {why}")
        if self.dialog is not None:
            self.dialog.set_busy(False)

    def _checked(self, rows: list[BackupRow]) -> None:
        if self.dialog is not None and [r.path for r in rows] == [
                r.path for r in self.dialog.rows]:
            self.dialog.set_rows(rows)

    def _damaged_while_open(self, problem: str) -> None:
        """A backup's check found the open collection damaged: offer the newest good backup."""
        if self._asking:
            return
        from quizapp.gui.views.backup_dialog import ask_damaged

        if self.dialog is not None:
            self.dialog.set_busy(False)
        db = self.keeper.db_path
        log.warning("the open collection %s failed its check: %s", db, problem)
        self.host.show_status("Your collection is damaged: restore a backup (File › Backups…).")
        newest = self._newest_good()
        self._asking = True
        try:
            wanted = ask_damaged(self.parent_widget, problem, newest, str(db or ""),
                                 at_start=False)
        finally:
            self._asking = False
        if wanted and newest is not None:
            self.restore(newest, confirm=False)

    # ------------------------------------------------------------ restore

    def restore(self, row: BackupRow | Path, *, confirm: bool = True) -> bool:
        """Replace the collection with a backup, after confirmation; True if it was restored."""
        w = self.host
        if isinstance(row, Path):
            found = next((b for b in backups.list_backups(self.home) if b.path == row), None)
            if found is None:
                return False
            row = BackupRow(found.path, found.taken_at, found.reason, found.size)
        db = self.keeper.db_path or configured_file()
        if db is None:
            w.message(QMessageBox.Icon.Information, "Restore",
                      "This collection is on a server: its backups are kept there.")
            return False
        parent: QWidget = self.dialog if self.dialog is not None else self.parent_widget
        if confirm:
            answer = QMessageBox.question(
                parent,
                "Restore backup",
                f"Replace your collection with the backup from {local_time(row.taken_at)}?\n\n"
                "Answers given since then will no longer show. The collection it replaces "
                "is kept aside as a file, so nothing is thrown away."
                + ("\n\nThe study session on screen will end." if w.study_active else ""),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        own = self._lock.path if self._lock is not None else None
        elsewhere = profiles_open_elsewhere(self.home, own)
        if elsewhere:
            w.message(QMessageBox.Icon.Warning, "Restore backup",
                      "quizapp is open in another window on this computer. Close every other "
                      "quizapp window, then restore the backup.")
            return False
        problem = backups.check(row.path)
        if problem is not None:
            w.message(QMessageBox.Icon.Warning, "Restore backup",
                      f"This backup cannot be restored: {problem}.")
            self.refresh_dialog()
            return False
        w.show_status("Restoring…")
        w.close_collection()
        self.keeper.detach()
        aside = self._replace(row.path, db)
        w.open_collection()
        if aside is False:
            return False
        self._say_restored(row, aside)
        self.refresh_dialog()
        return True

