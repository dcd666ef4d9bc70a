"""The browser's fact list: one row per fact with its cards' states for one profile."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

if TYPE_CHECKING:
    from quizapp.browse import FactSummary
from quizapp.gui.palette import LEVEL_LABELS, level_color
from quizapp.gui.safe_text import tooltip

Index = QModelIndex | QPersistentModelIndex
CELL_CHARS = 500  # a cell shows one line; more would only slow painting down


def _cell(text: str) -> str:
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"

KIND_LABELS: dict[str, str] = {
    "date": "Date",
    "number": "Number",
    "quote": "Quote",
    "person": "Person",
    "qa": "Q/A note",
}
STATE_LABELS: dict[str, str] = {
    "new": "New",
    "learning": "Learning",
    "relearning": "Relearning",
    "review": "Review",
    "suspended": "Suspended",
    "": "–",
}


def describe_due(due: datetime | None, today: date) -> str:
    """"Today", "Overdue", "Tomorrow" or a short local date; a dash for unscheduled cards."""
    if due is None:
        return "–"
    local = due.astimezone().date()
    if local < today:
        return "Overdue"
    if local == today:
        return "Today"
    if (local - today).days == 1:
        return "Tomorrow"
    if local.year == today.year:
        return f"{local.day} {local:%b}"
    return f"{local.day} {local:%b %Y}"


class FactTableModel(QAbstractTableModel):
    """Facts found by a search; sortable by any column."""

    FACT, DETAIL, KIND, DECK, RECOGNISE, RECALL, DUE, LEVEL = range(8)
    HEADERS = ("Fact", "Question, speaker or answer", "Kind", "Deck", "Recognise", "Recall",
               "Due", "Known")
    TOOLTIPS = (
        "The fact's words in the article, or a note's question",
        "The question stem, the speaker, the person's role or the note's answer",
        "What kind of fact it is",
        "The deck it belongs to",
        "State of the card that asks you to choose the answer",
        "State of the card that asks you to produce the answer",
        "When the next of its cards falls due",
        "How well you know it: new, learning, known, mastered or leech",
    )
    FactRole = Qt.ItemDataRole.UserRole + 1
    SortRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[FactSummary] = []
        self._today = datetime.now(UTC).astimezone().date()

    def set_facts(self, facts: list[FactSummary], now: datetime | None = None) -> None:
        """Replace every row (``now`` decides what "Today" and "Overdue" mean)."""
        self.beginResetModel()
        self._rows = list(facts)
        self._today = (now or datetime.now(UTC)).astimezone().date()
        self.endResetModel()

    def fact_at(self, row: int) -> FactSummary | None:
        """The fact in ``row``, if any."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def facts(self) -> list[FactSummary]:
        """Every row, in display order."""
        return list(self._rows)

    def row_of(self, fact_row_id: int) -> int:
        """The row of a fact, or -1."""
        for i, f in enumerate(self._rows):
            if f.fact_row_id == fact_row_id:
                return i
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def _text(self, fact: FactSummary, col: int) -> str:
        if col == self.FACT:
            return " ".join(fact.text.split())
        if col == self.DETAIL:
            return " ".join(fact.detail.split())
        if col == self.KIND:
            return KIND_LABELS.get(fact.kind, fact.kind)
        if col == self.DECK:
            return fact.deck_name
        if col == self.RECOGNISE:
            return STATE_LABELS.get(fact.recognise, fact.recognise)
        if col == self.RECALL:
            return STATE_LABELS.get(fact.recall, fact.recall)
        if col == self.DUE:
            return describe_due(fact.due, self._today)
        return LEVEL_LABELS.get(fact.level.value, fact.level.value)

    def _sort_key(self, fact: FactSummary, col: int) -> Any:
        if col == self.DUE:
            return (fact.due is None, fact.due or datetime.min.replace(tzinfo=UTC))
        if col == self.LEVEL:
            order = ("leech", "new", "learning", "known", "mastered")
            return order.index(fact.level.value)
        return self._text(fact, col).casefold()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        fact = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(self._text(fact, col))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.HEADERS[col]}: {_cell(self._text(fact, col))}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in (self.FACT, self.DETAIL):
                text = fact.text if col == self.FACT else fact.detail
                return tooltip(text) or None  # deck text: escaped, clipped
            if col == self.LEVEL:
                extra = f"; {fact.lapses} lapses" if fact.lapses else ""
                return f"{fact.reviews} answers{extra}"
            if col == self.DUE and fact.due is not None:
                return fact.due.astimezone().strftime("%Y-%m-%d %H:%M")
            return None
        if role == Qt.ItemDataRole.DecorationRole and col == self.LEVEL:
            return QColor(level_color(fact.level.value).swatch)
        if role == self.FactRole:
            return fact
        if role == self.SortRole:
            return self._sort_key(fact, col)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.TOOLTIPS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._rows[i.row()].fact_row_id if 0 <= i.row() < len(self._rows) else None
               for i in before]
        self._rows.sort(key=lambda f: self._sort_key(f, column),
                        reverse=order == Qt.SortOrder.DescendingOrder)
        rows = {f.fact_row_id: r for r, f in enumerate(self._rows)}
        after = [self.index(rows[i], old.column()) if i in rows else QModelIndex()
                 for old, i in zip(before, ids, strict=True)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()
