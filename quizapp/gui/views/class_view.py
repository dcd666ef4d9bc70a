"""The class view: a teacher opens several progress files and sees the class side by side.

No server: every student exports a progress file (``quizapp progress export``
or File › Export progress file…) and hands it in. The files are read and
checked by :func:`quizapp.services.progress.read_progress` and laid side by side
by :func:`quizapp.services.progress.class_table`; this widget only draws them:

- one row per student: per deck the facts mastered and true retention, then
  time studied, tests taken with their average and last score, the facts the
  student misses most, and how many questions they reported;
- the facts missed by the most students;
- every question a student reported as wrong.

A file that cannot be read is named under the table with the reason; the
others still show.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.palette import level_color
from quizapp.gui.safe_text import tooltip
from quizapp.gui.theme import colors
from quizapp.services.progress import (
    ClassTable,
    ProgressFileError,
    StudentProgress,
    class_table,
    describe_seconds,
    read_progress,
)

LOW_RETENTION = 0.7
MISSED_SHOWN = 2
DECK_HEADER_CHARS = 22
MISSED_ROWS = 10


def _short(text: str, limit: int = DECK_HEADER_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def _day(iso: object) -> str:
    try:
        d = datetime.fromisoformat(str(iso))
    except ValueError:
        return "–"
    return f"{d.day} {d:%b %Y}"


def _table(name: str) -> QTableWidget:
    table = QTableWidget(0, 0)
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return table


def _item(text: str, *, numeric: bool = False, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(tooltip(tip or text))
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _fit_height(table: QTableWidget, minimum_rows: int = 1, *, wide: bool = True) -> None:
    """Make a table as tall as its rows (the page scrolls, not the table)."""
    row_h = table.fontMetrics().height() + 14
    table.verticalHeader().setDefaultSectionSize(row_h)
    table.verticalHeader().setMinimumSectionSize(row_h)
    rows = row_h * max(table.rowCount(), minimum_rows)
    header = table.horizontalHeader().sizeHint().height()
    scroll = table.horizontalScrollBar().sizeHint().height() if wide else 0
    if not wide:
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setFixedHeight(rows + header + scroll + 2 * table.frameWidth() + 4)


class ClassView(QWidget):
    """Several students' progress files side by side."""

    files_loaded = Signal(int)  # how many students are on show

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classView")
        self.setAccessibleName("Class view")
        self.students: list[StudentProgress] = []
        self.table_data: ClassTable | None = None
        self.problems: list[str] = []

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        page = QWidget(scroll)
        scroll.setWidget(page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 16, 24, 20)
        layout.setSpacing(12)

        top = QHBoxLayout()
        title = QLabel("Class", page)
        title.setObjectName("pageTitle")
        top.addWidget(title)
        top.addSpacing(10)
        self.subtitle = QLabel("Open the progress files your students handed in.", page)
        self.subtitle.setObjectName("muted")
        top.addWidget(self.subtitle, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        self.open_button = QPushButton("Open progress files…", page)
        self.open_button.setAccessibleName("Open progress files")
        self.open_button.setToolTip("Add students' progress files (.json) to the table")
        self.open_button.setProperty("primary", True)
        self.open_button.clicked.connect(self.open_files)
        self.clear_button = QPushButton("Clear", page)
        self.clear_button.setAccessibleName("Clear the class")
        self.clear_button.clicked.connect(self.clear)
        top.addWidget(self.clear_button)
        top.addWidget(self.open_button)
        layout.addLayout(top)

        self.table = _table("Students side by side")
        layout.addWidget(self.table)
        self.empty = QLabel("No progress files open yet. Each student exports one with "
                            "File › Export progress file…, or “quizapp progress export FILE”.",
                            page)
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.problem_label = QLabel("", page)
        self.problem_label.setWordWrap(True)
        self.problem_label.setAccessibleName("Files that could not be read")
        self.problem_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_label.hide()
        layout.addWidget(self.problem_label)

        self.missed_title = self._section_title("Missed by the most students", page)
        layout.addWidget(self.missed_title)
        self.missed = _table("Facts missed by the most students")
        layout.addWidget(self.missed)
        self.reported_title = self._section_title("Questions students reported as wrong", page)
        layout.addWidget(self.reported_title)
        self.reported = _table("Questions students reported")
        layout.addWidget(self.reported)
        layout.addStretch(1)
        self._show()

    @staticmethod
    def _section_title(text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        font = label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        label.setFont(font)
        return label

    # ----------------------------------------------------------------- files

    def open_files(self) -> None:
        """Ask for progress files and add them."""
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Open progress files", str(Path.home()),
            "Progress files (*.json);;All files (*)")
        if paths:
            self.load_files([Path(p) for p in paths])

    def load_files(self, paths: Sequence[str | Path]) -> int:
        """Read progress files and add their students; returns how many were read."""
        read = 0
        self.problems = []
        known = {s.file for s in self.students}
        for path in paths:
            if str(path) in known:
                continue
            try:
                self.students.append(read_progress(path))
                read += 1
            except ProgressFileError as exc:
                self.problems += exc.problems
        self._show()
        self.files_loaded.emit(len(self.students))
        return read

    def set_students(self, students: Sequence[StudentProgress]) -> None:
        """Show these students (replacing any on show)."""
        self.students = list(students)
        self.problems = []
        self._show()

    def clear(self) -> None:
        """Close every file."""
        self.set_students([])
        self.files_loaded.emit(0)

    # ------------------------------------------------------------------ draw

    def _show(self) -> None:
        table = class_table(self.students)
        self.table_data = table
        has = bool(table.rows)
        n = len(table.rows)
        self.subtitle.setText(
            f"{n} student{'s' if n != 1 else ''} · {len(table.decks)} "
            f"deck{'s' if len(table.decks) != 1 else ''}" if has
            else "Open the progress files your students handed in.")
        self.table.setVisible(has)
        self.empty.setVisible(not has)
        self.clear_button.setEnabled(has)
        self._fill_students(table)
        self._fill_missed(table)
        self._fill_reported(table)
        if self.problems:
            c = colors()
            self.problem_label.setStyleSheet(f"color: {c.wrong_fg};")
            self.problem_label.setText("Not read:\n" + "\n".join(self.problems))
        self.problem_label.setVisible(bool(self.problems))

    def _fill_students(self, table: ClassTable) -> None:
        headers = ["Student"]
        tips = ["The student's profile name"]
        for _key, name in table.decks:
            headers += [f"{_short(name)}\nmastered", "\nretention"]
            tips += [f"{name}: facts mastered (recalled three weeks on, last answer right)",
                     f"{name}: right answers to reviews, last 30 days"]
        headers += ["Time\nstudied", "Tests\ntaken", "Test\naverage", "Last\ntest",
                    "Most missed facts", "Reported\nquestions"]
        tips += ["Time spent answering", "Practice tests taken", "Average test score",
                 "Score of the latest test", "The facts this student gets wrong most",
                 "Questions this student reported as wrong"]
        t = self.table
        t.clear()
        t.setColumnCount(len(headers))
        t.setHorizontalHeaderLabels(headers)
        for i, tip in enumerate(tips):
            header_item = t.horizontalHeaderItem(i)
            if header_item is not None:
                header_item.setToolTip(tooltip(tip))
        t.setRowCount(len(table.rows))
        c = colors()
        mastered_bg = QColor(level_color("mastered").background)
        for r, row in enumerate(table.rows):
            when = f"exported {_day(row.exported_at.isoformat())}" if row.exported_at else ""
            student = _item(row.student, tip=f"{row.student} — {when}\n{row.file}")
            font = student.font()
            font.setBold(True)
            student.setFont(font)
            t.setItem(r, 0, student)
            col = 1
            for key, name in table.decks:
                d = row.decks.get(key)
                if d is None:
                    t.setItem(r, col, _item("–", numeric=True, tip=f"No progress in {name}"))
                    t.setItem(r, col + 1, _item("–", numeric=True))
                else:
                    m = _item(f"{d.mastered} of {d.facts}", numeric=True,
                              tip=f"{d.mastered} of {d.facts} facts of {name} mastered")
                    if d.facts and d.mastered * 2 >= d.facts:
                        m.setBackground(mastered_bg)
                    t.setItem(r, col, m)
                    ret = _item(_pct(d.retention), numeric=True,
                                tip=f"{d.retention_reviews} reviews in the last 30 days")
                    if d.retention is not None and d.retention < LOW_RETENTION:
                        ret.setForeground(QColor(c.wrong_fg))
                    t.setItem(r, col + 1, ret)
                col += 2
            missed = "; ".join(row.most_missed[:MISSED_SHOWN]) or "–"
            values = [
                _item(describe_seconds(row.seconds_studied), numeric=True),
                _item(str(row.tests), numeric=True),
                _item(_pct(row.test_average), numeric=True),
                _item(_pct(row.last_test), numeric=True),
                _item(missed, tip="\n".join(row.most_missed) or "Nothing missed"),
                _item(str(row.reported), numeric=True),
            ]
            for item in values:
                t.setItem(r, col, item)
                col += 1
        header = t.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        missed_col = len(headers) - 2
        header.setSectionResizeMode(missed_col, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        _fit_height(t)

    def _fill_missed(self, table: ClassTable) -> None:
        t = self.missed
        t.clear()
        rows = ([m for m in table.missed if m.students > 1] or list(table.missed))[:MISSED_ROWS]
        several = len(table.rows) > 1
        t.setColumnCount(3)
        t.setHorizontalHeaderLabels(["Fact", "Students", "Wrong answers"])
        t.setRowCount(len(rows))
        for r, m in enumerate(rows):
            t.setItem(r, 0, _item(m.label, tip=f"{m.label}\n{m.deck} · {m.fact_id}"))
            t.setItem(r, 1, _item(str(m.students), numeric=True))
            t.setItem(r, 2, _item(str(m.misses), numeric=True))
        header = t.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        visible = bool(rows)
        self.missed_title.setText("Missed by the most students" if several
                                  else "Most missed facts")
        self.missed_title.setVisible(visible)
        t.setVisible(visible)
        _fit_height(t, wide=False)

    def _fill_reported(self, table: ClassTable) -> None:
        t = self.reported
        t.clear()
        t.setColumnCount(4)
        t.setHorizontalHeaderLabels(["Student", "Question", "Reason", "Date"])
        t.setRowCount(len(table.reported))
        for r, rep in enumerate(table.reported):
            date = _day(rep.get("created_at"))
            t.setItem(r, 0, _item(str(rep.get("student", ""))))
            t.setItem(r, 1, _item(str(rep.get("prompt") or ""),
                                  tip=f"{rep.get('prompt')}\n{rep.get('deck_name') or ''}"))
            t.setItem(r, 2, _item(str(rep.get("reason") or "–")))
            t.setItem(r, 3, _item(date))
        header = t.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        visible = bool(table.reported)
        self.reported_title.setVisible(visible)
        t.setVisible(visible)
        _fit_height(t, wide=False)


class ClassViewDialog(QDialog):
    """The class view in a window of its own (File › Class view…)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Class view")
        self.resize(1100, 720)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        self.view = ClassView(self)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.setContentsMargins(0, 0, 12, 0)
        layout.addWidget(buttons)
