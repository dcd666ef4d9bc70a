"""The class report: every student of a class on the classroom server, one deck at a time.

Reads :func:`quizapp.services.classroom.class_report` off the GUI thread, through the
open collection's own connection, so it shows what that database role may
see: a teacher their classes, the owner every class, a student themselves.
Per student: reviews, accuracy, facts mastered, practice-test answers, the
last answer, the facts they miss most and how many questions they reported;
under the table, the facts the most students miss and every question a
student reported as wrong.

The widget is self-contained: give it a :class:`~quizapp.services.collection.Collection`
(or call :meth:`ClassReportView.set_report` with a report) and it does the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
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

from quizapp.gui.theme import colors
from quizapp.gui.views.browse_view import fit_combo_to_items
from quizapp.gui.workers import WorkerRunner

if TYPE_CHECKING:
    from quizapp.services.collection import Collection

ALL_CLASSES = "All classes"
LOW_ACCURACY = 0.7
MISSED_SHOWN = 3
MISSED_ROWS = 10
STUDENT_COLUMNS = ("Student", "Class", "Reviews", "Accuracy", "Mastered", "Tests",
                   "Last answer", "Most missed facts", "Reported")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def _when(iso: str | None) -> str:
    if not iso:
        return "–"
    try:
        t = datetime.fromisoformat(iso).astimezone()
    except ValueError:
        return "–"
    return f"{t.day} {t:%b %Y %H:%M}"


def _table(name: str) -> QTableWidget:
    table = QTableWidget(0, 0)
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return table


def _item(text: str, *, numeric: bool = False, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(tip or text)
    if numeric:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _fill(table: QTableWidget, headers: tuple[str, ...] | list[str], rows: list[list[Any]],
          stretch: int) -> None:
    """Put rows of items (or texts) in a table as tall as its rows; column ``stretch`` fills."""
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, value if isinstance(value, QTableWidgetItem) else _item(value))
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    row_h = table.fontMetrics().height() + 14
    table.verticalHeader().setDefaultSectionSize(row_h)
    table.setFixedHeight(row_h * max(len(rows), 1) + header.sizeHint().height()
                         + 2 * table.frameWidth() + 4)


def _missed_label(m: dict[str, Any]) -> str:
    """A missed fact as a teacher reads it: what it is about, then its value."""
    value = m.get("text") or m["fact_id"]
    question = (m.get("question") or "").strip()
    if not question or question == value:
        return str(value)
    return f"{question} — {value}"


class ClassReportView(QWidget):
    """Every student of a class, per deck, from the classroom database."""

    report_loaded = Signal(int)  # students on show after a (re)load
    load_failed = Signal(str)

    def __init__(self, collection: Collection | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classReportView")
        self.setAccessibleName("Class report")
        self.collection = collection
        self.report: dict[str, Any] | None = None
        self.runner = WorkerRunner(self)

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
        title = QLabel("Class report", page)
        title.setObjectName("pageTitle")
        top.addWidget(title)
        top.addSpacing(10)
        self.subtitle = QLabel("", page)
        self.subtitle.setObjectName("muted")
        top.addWidget(self.subtitle, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        self.class_box = QComboBox(page)
        self.class_box.setAccessibleName("Class")
        self.class_box.setToolTip("Show one class, or every class you may see")
        self.class_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.class_box.setMinimumContentsLength(len(ALL_CLASSES) + 1)
        self.deck_box = QComboBox(page)
        self.deck_box.setAccessibleName("Deck")
        self.deck_box.setToolTip("The deck whose figures are shown")
        self.deck_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.deck_box.setMinimumContentsLength(24)
        self.refresh_button = QPushButton("Refresh", page)
        self.refresh_button.setAccessibleName("Refresh the class report")
        self.refresh_button.setToolTip("Read the latest answers from the server")
        self.refresh_button.clicked.connect(self.refresh)
        for widget in (self.class_box, self.deck_box, self.refresh_button):
            # The deck box takes a share of the spare width, up to its longest name.
            top.addWidget(widget, 20 if widget is self.deck_box else 0)
        layout.addLayout(top)
        self.class_box.currentIndexChanged.connect(lambda _=0: self._show())
        self.deck_box.currentIndexChanged.connect(lambda _=0: self._show())

        self.table = _table("Students of the class")
        layout.addWidget(self.table)
        self.empty = QLabel("", page)
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
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

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        """Read the report again (off the GUI thread); a no-op without a collection."""
        collection = self.collection
        if collection is None or self.runner.busy():
            return
        self.refresh_button.setEnabled(False)
        self.subtitle.setText("Reading the class…")

        def job() -> dict[str, Any]:
            from quizapp.services.classroom import class_report

            with collection.session() as s:
                return class_report(s)

        self.runner.start(job, self.set_report, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.refresh_button.setEnabled(True)
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        self.subtitle.setText("The class could not be read.")
        self.empty.setText(f"The class could not be read: {message}")
        self.empty.show()
        self.load_failed.emit(message)

    def set_report(self, report: Mapping[str, Any]) -> None:
        """Show a report of :func:`quizapp.services.classroom.class_report`.

        Keeps the chosen class and deck.
        """
        self.refresh_button.setEnabled(True)
        self.report = dict(report)
        klass, deck = self.class_box.currentText(), self.deck_box.currentData()
        classes = sorted({str(s["class"]) for s in self.report["students"]
                          if s["class"] is not None})
        decks = list(self.report["decks"])
        for box in (self.class_box, self.deck_box):
            box.blockSignals(True)
            box.clear()
        self.class_box.addItem(ALL_CLASSES)
        self.class_box.addItems(classes)
        self.class_box.setCurrentIndex(max(0, self.class_box.findText(klass)))
        busiest = max(decks, key=lambda d: d["reviews"], default=None)
        for d in decks:
            self.deck_box.addItem(d["name"], d["deck_id"])
        chosen = self.deck_box.findData(deck if deck is not None else
                                        busiest["deck_id"] if busiest else None)
        self.deck_box.setCurrentIndex(max(0, chosen))
        for box in (self.class_box, self.deck_box):
            box.blockSignals(False)
        fit_combo_to_items(self.deck_box)
        self._show()
        self.report_loaded.emit(len(self.visible_students()))

    # ------------------------------------------------------------------ drawing

    def visible_students(self) -> list[dict[str, Any]]:
        """The students of the chosen class (all when every class is chosen)."""
        if self.report is None:
            return []
        klass = self.class_box.currentText()
        return [s for s in self.report["students"]
                if klass in ("", ALL_CLASSES) or s["class"] == klass]

    def deck_rows(self) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
        """(student, that student's figures for the chosen deck or None), in table order."""
        deck_id = self.deck_box.currentData()
        return [(s, next((d for d in s["decks"] if d["deck_id"] == deck_id), None))
                for s in self.visible_students()]

    def _show(self) -> None:
        rows = self.deck_rows()
        has = bool(rows)
        if self.report is None:
            self.subtitle.setText("")
            self.empty.setText("Press Refresh to read the class from the server.")
        else:
            n = len(rows)
            self.subtitle.setText(f"{n} student{'s' if n != 1 else ''} · "
                                  f"as of {_when(self.report.get('now'))}")
            self.empty.setText(
                "No students to show. The teacher adds them with "
                "“quizapp class add-student NAME --class CLASS”; a teacher's role sees "
                "the classes it was given with “quizapp class add-teacher”.")
        self.table.setVisible(has)
        self.empty.setVisible(not has)
        self._fill_students(rows)
        self._fill_missed(rows)
        self._fill_reported(rows)

    def _fill_students(self, rows: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> None:
        wrong = QColor(colors().wrong_fg)
        out: list[list[Any]] = []
        for student, d in rows:
            name = _item(student["name"], tip=f"{student['name']} (role {student['role']})"
                         if student.get("role") else student["name"])
            font = name.font()
            font.setBold(True)
            name.setFont(font)
            if d is None:
                out.append([name, student["class"] or "–", *(["–"] * 7)])
                continue
            accuracy = _item(_pct(d["accuracy"]), numeric=True,
                             tip=f"{d['correct']} of {d['reviews']} study answers right")
            if d["accuracy"] is not None and d["accuracy"] < LOW_ACCURACY:
                accuracy.setForeground(wrong)
            missed = [_missed_label(m) for m in d["most_missed"]]
            out.append([
                name,
                student["class"] or "–",
                _item(str(d["reviews"]), numeric=True),
                accuracy,
                _item(f"{d['mastered']} of {d['facts']}", numeric=True,
                      tip=f"{d['mastered']} of {d['facts']} facts mastered (recalled three "
                          "weeks on, last answer right)"),
                _item(str(d["tests"]), numeric=True, tip="Practice-test answers"),
                _item(_when(d["last_answer"])),
                _item("; ".join(missed[:MISSED_SHOWN]) or "–",
                      tip="\n".join(f"{_missed_label(m)}: {m['misses']} of "
                                    f"{m['answers']} wrong" for m in d["most_missed"])
                      or "Nothing missed"),
                _item(str(len(d["reported"])), numeric=True),
            ])
        _fill(self.table, STUDENT_COLUMNS, out, stretch=STUDENT_COLUMNS.index(
            "Most missed facts"))

    def _fill_missed(self, rows: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> None:
        facts: dict[str, dict[str, Any]] = {}
        for _student, d in rows:
            for m in d["most_missed"] if d else []:
                f = facts.setdefault(m["fact_id"], {"label": _missed_label(m),
                                                    "students": 0, "misses": 0})
                f["students"] += 1
                f["misses"] += m["misses"]
        ranked = sorted(facts.items(), key=lambda kv: (-kv[1]["students"], -kv[1]["misses"],
                                                        kv[0]))[:MISSED_ROWS]
        _fill(self.missed, ("Fact", "Students", "Wrong answers"),
              [[_item(f["label"], tip=f"{f['label']}\n{key}"),
                _item(str(f["students"]), numeric=True), _item(str(f["misses"]), numeric=True)]
               for key, f in ranked], stretch=0)
        self.missed_title.setVisible(bool(ranked))
        self.missed.setVisible(bool(ranked))

    def _fill_reported(self, rows: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> None:
        reports = [(student, r) for student, d in rows for r in (d["reported"] if d else [])]
        _fill(self.reported, ("Student", "Question", "Reason", "Date"),
              [[student["name"], _item(r["prompt"], tip=f"{r['prompt']}\n{r['fact_id']} · "
                                                        f"{r['form']}"),
                r["reason"] or "–", _when(r["created_at"])] for student, r in reports],
              stretch=1)
        self.reported_title.setVisible(bool(reports))
        self.reported.setVisible(bool(reports))


class ClassReportDialog(QDialog):
    """The class report in a window of its own (File › Class report…)."""

    def __init__(self, collection: Collection | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Class report")
        self.resize(1100, 720)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        self.view = ClassReportView(collection, self)
        layout.addWidget(self.view, 1)
        self.view.refresh()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.setContentsMargins(0, 0, 12, 0)
        layout.addWidget(buttons)

    def done(self, result: int) -> None:
        """Wait for a report still being read before the window goes."""
        self.view.runner.wait()
        super().done(result)
