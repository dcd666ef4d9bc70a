"""The backups dialog, and the message boxes about a damaged collection.

:class:`BackupDialog` lists the backups (when, how, size, and the state found
by ``PRAGMA integrity_check``, filled in once a pool thread has checked them)
and asks for a restore or a backup now; the controller
(:mod:`quizapp.gui.controllers.safekeeping`) does the work. All text is plain.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.controllers.backups import BackupRow, human_size, local_time

COLUMNS = ("Taken", "How", "Size", "State")


def state_text(row: BackupRow) -> str:
    """The State column: Checking…, Good, or Damaged."""
    if row.state is None:
        return "Checking…"
    return "Good" if row.good else "Damaged"


class BackupDialog(QDialog):
    """Lists the backups; Restore… and Back up now are asked of the controller."""

    restore_requested = Signal(object)  # BackupRow
    backup_requested = Signal()

    def __init__(self, folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Backups")
        self.setAccessibleName("Backups")
        self.rows: list[BackupRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        self.intro = QLabel(
            "quizapp backs up your collection when it starts, every 30 minutes while you "
            "study, and when you quit. Restoring a backup replaces the collection with it; "
            "the collection it replaces is kept aside as a file.",
            self,
        )
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Backups, newest first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda *_: self._restore())
        layout.addWidget(self.table, 1)
        self.folder = QLabel(f"Folder: {folder}", self)
        self.folder.setTextFormat(Qt.TextFormat.PlainText)
        self.folder.setObjectName("muted")
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder.setWordWrap(True)
        layout.addWidget(self.folder)
        self.empty = QLabel("No backups yet.", self)
        self.empty.setObjectName("muted")
        layout.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore = QPushButton("&Restore…", self)
        self.restore.setAccessibleName("Restore the selected backup")
        self.restore.setToolTip("Replace the collection with the selected backup")
        self.backup_now = QPushButton("&Back up now", self)
        self.backup_now.setAccessibleName("Back up now")
        self.backup_now.setToolTip("Take a backup of the collection now")
        buttons.addButton(self.restore, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.backup_now, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore.clicked.connect(self._restore)
        self.backup_now.clicked.connect(self.backup_requested)
        layout.addWidget(buttons)
        self.resize(620, 420)
        self._update_buttons()

    def set_rows(self, rows: Sequence[BackupRow]) -> None:
        """Show ``rows`` (newest first), keeping the selection by file."""
        current = self.selected()
        self.rows = list(rows)
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            cells = (local_time(row.taken_at), row.reason_label, human_size(row.size),
                     state_text(row))
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 3 and row.state not in (None, "ok"):
                    item.setToolTip(row.state or "")
                if j == 0:
                    item.setData(Qt.ItemDataRole.AccessibleTextRole,
                                 f"{cells[0]}, {cells[1].lower()}, {cells[2]}, {cells[3].lower()}")
                self.table.setItem(i, j, item)
        self.empty.setVisible(not self.rows)
        keep = next((i for i, r in enumerate(self.rows)
                     if current is not None and r.path == current.path), 0 if self.rows else -1)
        if keep >= 0:
            self.table.selectRow(keep)
        self._update_buttons()

    def selected(self) -> BackupRow | None:
        """The backup selected in the list."""
        index = self.table.currentRow()
        rows = {i.row() for i in self.table.selectedItems()}
        if index < 0 or index not in rows or index >= len(self.rows):
            return None
        return self.rows[index]

    def select_path(self, path: object) -> None:
        """Select the backup stored at ``path`` (scripts, tests)."""
        for i, row in enumerate(self.rows):
            if row.path == path:
                self.table.selectRow(i)
                return

    def set_busy(self, busy: bool) -> None:
        """Disable the buttons while a backup is being taken."""
        self.backup_now.setEnabled(not busy)
        self._update_buttons(busy)

    def _update_buttons(self, busy: bool = False) -> None:
        row = self.selected()
        # An unchecked backup may be chosen: the restore checks it before anything changes.
        self.restore.setEnabled(not busy and row is not None and (row.state is None or row.good))

    def _restore(self) -> None:
        row = self.selected()
        if row is not None and self.restore.isEnabled():
            self.restore_requested.emit(row)


def damaged_box(parent: QWidget | None, problem: str, newest: BackupRow | None,
                db_path: str, *, at_start: bool) -> QMessageBox:
    """The message about a damaged collection, with Restore (if there is a good backup)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setWindowTitle("Your collection is damaged")
    box.setAccessibleName("Your collection is damaged")
    if at_start:
        box.setText("quizapp cannot open your collection: its file is damaged, so your decks "
                    "and progress cannot be read from it.")
    else:
        box.setText("quizapp found damage in your collection while backing it up. Answers "
                    "may fail to save, and the damage can spread.")
    if newest is not None:
        box.setInformativeText(
            f"The newest good backup is from {local_time(newest.taken_at)} "
            f"({newest.reason_label.lower()}, {human_size(newest.size)}). Restoring it brings "
            "back everything up to that moment; the damaged file is kept aside, untouched.")
        box.addButton("Restore newest good backup", QMessageBox.ButtonRole.AcceptRole)
    else:
        box.setInformativeText(
            f"There is no good backup to restore. The damaged file is {db_path}; quizapp "
            "leaves it as it is.")
    quit_text = "Quit" if at_start else "Not now"
    default = box.addButton(quit_text, QMessageBox.ButtonRole.RejectRole)
    box.setDetailedText(f"What the check found:\n{problem}")
    if newest is None:
        box.setDefaultButton(default)
    return box


def ask_damaged(parent: QWidget | None, problem: str, newest: BackupRow | None,
                db_path: str, *, at_start: bool) -> bool:
    """Show :func:`damaged_box`; True if the learner chose to restore the newest good backup."""
    box = damaged_box(parent, problem, newest, db_path, at_start=at_start)
    box.exec()
    clicked = box.clickedButton()
    return clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole


def upgrade_failed_box(parent: QWidget | None, message: str, copy: str) -> QMessageBox:
    """The message about an upgrade that failed, offering the copy taken before it."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setWindowTitle("The upgrade of your collection failed")
    box.setAccessibleName("The upgrade of your collection failed")
    box.setText("quizapp could not upgrade your collection to this version. The step that "
                "failed changed nothing, but the collection cannot be opened as it is.")
    box.setInformativeText(
        f"A checked copy of your collection from before the upgrade was kept: {copy}. "
        "Restoring it brings back your collection as it was before the upgrade, and quizapp "
        "upgrades it again; the current file is kept aside, untouched. From a terminal: "
        f"quizapp restore {copy}")
    box.addButton("Restore the copy from before the upgrade", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDetailedText(f"What failed:\n{message}")
    return box


def ask_upgrade_failed(parent: QWidget | None, message: str, copy: str) -> bool:
    """Show :func:`upgrade_failed_box`; True if the learner chose to restore the copy."""
    box = upgrade_failed_box(parent, message, copy)
    box.exec()
    clicked = box.clickedButton()
    return clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole
