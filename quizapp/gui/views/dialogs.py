"""Small dialogs: About, keyboard shortcuts, the list of problems in a deck file, the
spreadsheet (CSV) format, and reporting a question as wrong.

All are window-modal dialogs opened with ``open()`` (not ``exec()``), so no
code path blocks in a nested event loop.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QRadioButton,
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
        #: "Format…" for a spreadsheet: which columns, headers and encodings work.
        self.format_button = None
        if file_name.lower().endswith((".csv", ".tsv", ".tab", ".txt")):
            self.format_button = buttons.addButton("&Format…",
                                                   QDialogButtonBox.ButtonRole.HelpRole)
            self.format_button.setToolTip("Which columns, header names and encodings work")
            self.format_button.clicked.connect(lambda: CsvFormatDialog(self).open())
        layout.addWidget(buttons)
        line = self.problems.sizeHintForRow(0) if problems else 20
        self.resize(600, min(520, 150 + line * max(3, len(problems))))


class CsvFormatDialog(QDialog):
    """What a spreadsheet (CSV) file to import looks like: columns, headers, encoding."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from quizapp.importers.csvfile import format_help

        super().__init__(parent)
        self.setWindowTitle("Spreadsheet (CSV) format")
        self.setAccessibleName("Spreadsheet (CSV) format")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        parts = "".join(f"<p><b>{html.escape(head)}.</b> {html.escape(text)}</p>"
                        for head, text in format_help())
        example = html.escape("Front,Back,Tags\nCapital of Peru?,Lima,geography\n")
        self.text = QLabel(
            "<p>A spreadsheet saved as CSV (or tab-separated text) imports as a deck of "
            "question and answer cards, one per row; the deck is named after the file.</p>"
            f"{parts}<p><b>Example.</b></p><pre>{example}</pre>", self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.resize(620, self.sizeHint().height())


#: What a student may say is wrong with a question (the report's reason starts with it).
REPORT_REASONS: tuple[str, ...] = (
    "The right answer is wrong",
    "Another choice is right too",
    "The question gives the answer away",
    "The question is unclear",
    "Something else",
)


class ReportDialog(QDialog):
    """Report the question on show as wrong: a reason to choose, and words of one's own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Report this question")
        self.setAccessibleName("Report this question")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        intro = QLabel("What is wrong with this question? It will not be asked in this "
                       "form again for this fact.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.group = QButtonGroup(self)
        self.choices: list[QRadioButton] = []
        for i, reason in enumerate(REPORT_REASONS):
            button = QRadioButton(reason, self)
            self.group.addButton(button, i)
            self.choices.append(button)
            layout.addWidget(button)
        self.choices[0].setChecked(True)
        self._style_choices()
        details = QLabel("&Details (optional):", self)
        self.details = QLineEdit(self)
        self.details.setAccessibleName("Details")
        self.details.setPlaceholderText("For example: both dates are in the article")
        self.details.setMaxLength(500)
        details.setBuddy(self.details)
        layout.addWidget(details)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox(self)
        self.send = buttons.addButton("&Report", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.send.setDefault(True)
        self.choices[0].setFocus()
        self.setMinimumWidth(420)

    def _style_choices(self) -> None:
        """Round marks that show on a dark theme too (the default ring is nearly invisible)."""
        from quizapp.gui.theme import colors

        c = colors()
        dot = (f"qradialgradient(cx:0.5, cy:0.5, radius:0.5, fx:0.5, fy:0.5, "
               f"stop:0 {c.accent}, stop:0.42 {c.accent}, stop:0.5 {c.base}, stop:1 {c.base})")
        self.setStyleSheet(
            f"QRadioButton::indicator {{ width: 14px; height: 14px; border-radius: 8px; "
            f"border: 1px solid {c.muted}; background: {c.base}; }}"
            f"QRadioButton::indicator:checked {{ border-color: {c.accent}; background: {dot}; }}"
            f"QRadioButton::indicator:focus {{ border: 2px solid {c.accent}; width: 12px; "
            f"height: 12px; }}")

    def reason(self) -> str:
        """The chosen reason, with the details after a colon when there are any."""
        choice = REPORT_REASONS[max(self.group.checkedId(), 0)]
        details = " ".join(self.details.text().split())
        if not details:
            return choice
        return details if choice == "Something else" else f"{choice}: {details}"
