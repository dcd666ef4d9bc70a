"""Small dialogs: About, keyboard shortcuts, and the list of problems in a deck file.

All are window-modal dialogs opened with ``open()`` (not ``exec()``), so no
code path blocks in a nested event loop.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.controllers.library import SourceInfo

SHORTCUTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Deck list",
        (
            ("Enter", "Study the selected deck"),
            ("Ctrl+O", "Import a deck file (or drop files on the window)"),
            ("Ctrl+E", "Export the selected deck"),
            ("Ctrl+Shift+N", "New deck"),
            ("Ctrl+N", "Add a fact or Q/A note"),
            ("Ctrl+Shift+D", "Deck options"),
            ("Ctrl+,", "Settings"),
            ("F1", "Keyboard shortcuts"),
            ("Ctrl+Q", "Quit"),
        ),
    ),
    (
        "Pages",
        (
            ("Ctrl+1", "Decks"),
            ("Ctrl+2 or Ctrl+F", "Browse (search facts and cards)"),
            ("Ctrl+3", "Reader (the article with its facts)"),
            ("Ctrl+4", "Progress (F5 computes it again)"),
            ("Enter (Browse)", "Edit the selected fact; Ctrl+Enter saves the form"),
            ("Tab / Enter (Reader)", "Move between facts / show a fact's questions"),
            ("Escape", "Back to the deck list"),
        ),
    ),
    (
        "Questions",
        (
            ("1 – 9", "Choose and submit an answer"),
            ("Enter", "Check a typed answer or a timeline"),
            ("Ctrl+D", "Don't know: show the answer of a typed question"),
            ("Alt+↑ / Alt+↓", "Move the selected event in a timeline"),
            ("Space", "Show a flashcard's answer"),
            ("1 – 4", "Rate a flashcard: Again, Hard, Good, Easy"),
        ),
    ),
    (
        "After answering",
        (
            ("Enter or Space", "Next question"),
            ("Ctrl+Z", "Undo the last answer"),
            ("Ctrl+Shift+O", "I was right (typed answers)"),
        ),
    ),
    (
        "Any time while studying",
        (
            ("R", "Play the question's sound again (not while typing)"),
            ("Ctrl+R", "Report this question as wrong"),
            ("Ctrl+B", "Bury the card until tomorrow"),
            ("Ctrl+J", "Suspend the card"),
            ("Escape", "Back to the deck list"),
        ),
    ),
)


def _shortcut_table(groups: Sequence[tuple[str, tuple[tuple[str, str], ...]]]) -> str:
    rows = []
    for group, items in groups:
        rows.append(
            f"<tr><td colspan='2' style='padding: 12px 0 4px 0;'>"
            f"<b>{html.escape(group)}</b></td></tr>"
        )
        for keys, action in items:
            rows.append(
                "<tr><td style='padding: 3px 24px 3px 8px; white-space: nowrap;'>"
                f"<code>{html.escape(keys)}</code></td>"
                f"<td style='padding: 3px 0;'>{html.escape(action)}</td></tr>"
            )
    return "<table cellspacing='0'>" + "".join(rows) + "</table>"


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut, grouped by where it works."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        # Two columns, so that the dialog fits a 1366×768 screen with a taskbar.
        columns = QHBoxLayout()
        columns.setSpacing(32)
        sizes = [len(items) + 2 for _group, items in SHORTCUTS]  # a heading counts twice
        half = min(range(1, len(SHORTCUTS)),
                   key=lambda i: max(sum(sizes[:i]), sum(sizes[i:])))
        self.columns: list[QLabel] = []
        for part in (SHORTCUTS[:half], SHORTCUTS[half:]):
            label = QLabel(_shortcut_table(part), self)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setAccessibleName("List of keyboard shortcuts")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            columns.addWidget(label, 0, Qt.AlignmentFlag.AlignTop)
            self.columns.append(label)
        layout.addLayout(columns)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class AboutDialog(QDialog):
    """The app's name, version, licence, and where the seed article comes from."""

    def __init__(
        self,
        version: str,
        sources: Sequence[SourceInfo],
        icon: QIcon | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("About quizapp")
        self.setAccessibleName("About quizapp")
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.setContentsMargins(24, 20, 24, 16)
        head = QHBoxLayout()
        head.setSpacing(16)
        if icon is not None and not icon.isNull():
            pic = QLabel(self)
            pic.setPixmap(icon.pixmap(72, 72))
            pic.setAccessibleName("quizapp icon")
            head.addWidget(pic, 0, Qt.AlignmentFlag.AlignTop)
        title = QLabel(
            f"<h2 style='margin:0'>quizapp</h2><p style='margin:4px 0 0 0'>Version "
            f"{html.escape(version)}</p><p style='margin:6px 0 0 0'>Study the facts of a "
            "text: questions are built from its dates, numbers and quotations, graded, and "
            "scheduled with spaced repetition (FSRS).</p>",
            self,
        )
        title.setWordWrap(True)
        title.setTextFormat(Qt.TextFormat.RichText)
        head.addWidget(title, 1)
        layout.addLayout(head)
        if sources:
            parts = []
            for s in sources:
                line = f"<b>“{html.escape(s.title)}”</b>"
                if s.published:
                    line += f", published {html.escape(s.published)}"
                if s.author:
                    line += f", by {html.escape(s.author)}"
                line += "<br>Licence: " + html.escape(s.licence or "not stated")
                if s.url:
                    url = html.escape(s.url, quote=True)
                    line += f"<br><a href='{url}'>{html.escape(s.url)}</a>"
                parts.append(line)
            src = QLabel("The built-in deck comes from the article<br><br>"
                         + "<br><br>".join(parts), self)
            src.setWordWrap(True)
            src.setTextFormat(Qt.TextFormat.RichText)
            src.setOpenExternalLinks(True)
            src.setAccessibleName("Source of the built-in deck")
            src.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextBrowserInteraction
            )
            layout.addWidget(src)
        layout.addSpacing(4)
        licence = QLabel("quizapp is free software under the MIT licence. Built with Qt "
                         "(PySide6), SQLModel and py-fsrs.", self)
        licence.setWordWrap(True)
        licence.setObjectName("muted")
        layout.addWidget(licence)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.resize(560, self.sizeHint().height())


class ImportErrorDialog(QDialog):
    """A deck file was refused: say so, and list every problem with its line."""

    def __init__(
        self, file_name: str, problems: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import failed")
        self.setAccessibleName("Import failed")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(12)
        n = len(problems)
        head = QLabel(
            f"<b>“{html.escape(file_name)}” was not imported.</b><br>"
            f"Nothing was changed. Fix the {'problem' if n == 1 else f'{n} problems'} "
            "below and import the file again.",
            self,
        )
        head.setWordWrap(True)
        head.setTextFormat(Qt.TextFormat.RichText)
        row = QHBoxLayout()
        row.setSpacing(12)
        icon = QLabel(self)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40)
        )
        icon.setAccessibleName("Warning")
        row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(head, 1)
        layout.addLayout(row)
        self.problems = QListWidget(self)
        self.problems.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.problems.setAccessibleName("Problems in the deck file")
        self.problems.setWordWrap(True)
        self.problems.setAlternatingRowColors(True)
        self.problems.addItems(list(problems))
        layout.addWidget(self.problems, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        line = self.problems.sizeHintForRow(0) if problems else 20
        self.resize(600, min(520, 150 + line * max(3, len(problems))))
