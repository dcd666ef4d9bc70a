"""The browser's fact list: one row per fact with its cards' states for one profile.

A search gives the model every matching fact id at once (cheap) and a way to
fetch the rows' details; the details are fetched a page at a time, when the
view first asks for a row of that page (what a table shows, and scrolling
further). Sorting by a column needs every row's value, so it fetches the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
#: The family a fact was last asked in (its card's ``family``).
FAMILY_LABELS: dict[str, str] = {"recognise": "Recognise", "recall": "Recall"}
STATE_LABELS: dict[str, str] = {
    "new": "New",
    "learning": "Learning",
    "relearning": "Relearning",
    "review": "Review",
    "suspended": "Suspended",
    "held no_form": "No question",  # no question can be asked about it (a teacher fixes it)
    "held pending": "Pending check",  # stored unreviewed from an article, not studied
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

    FACT, DETAIL, KIND, DECK, STATE, ASKED_AS, DUE, LEVEL = range(8)
    HEADERS = ("Fact", "Question or answer", "Kind", "Deck", "State", "Last asked",
               "Due", "Known")
    TOOLTIPS = (
        "The fact's words in the article, or a note's question",
        "The question stem, the speaker, the person's role or the note's answer",
        "What kind of fact it is",
        "The deck it belongs to",
        "State of your memory of the fact (one card per fact)",
        "How it was last asked: recognise (choose the answer) or recall (produce it)",
        "When it next falls due",
        "How well you know it: new, learning, known, mastered or leech",
    )
    FactRole = Qt.ItemDataRole.UserRole + 1
    SortRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._ids: list[int] = []  # every listed fact, in display order
        self._facts: dict[int, FactSummary] = {}  # the rows fetched so far, by fact id
        self._gone: set[int] = set()  # ids whose fact was no longer there when fetched
        self._rows: dict[int, int] = {}  # fact id -> row
        self._fetch: Callable[[Sequence[int]], list[FactSummary]] | None = None
        self.page_size = 50  # the controller gives quizapp.browse.SUMMARY_PAGE
        self.fetches = 0  # how many times details were fetched (pages, or the rest)
        self._today = datetime.now(UTC).astimezone().date()

    def set_facts(self, facts: list[FactSummary], now: datetime | None = None) -> None:
        """Replace every row with these facts (``now`` decides what "Today" and "Overdue" mean)."""
        self.beginResetModel()
        self._fetch = None
        self._ids = [f.fact_row_id for f in facts]
        self._facts = {f.fact_row_id: f for f in facts}
        self._gone = set()
        self._reindex()
        self._today = (now or datetime.now(UTC)).astimezone().date()
        self.fetches = 0
        self.endResetModel()

    def set_result(self, ids: Sequence[int], fetch: Callable[[Sequence[int]], list[FactSummary]],
                   now: datetime | None = None, page_size: int | None = None) -> None:
        """List these fact ids; ``fetch`` gives the details of some of them, in any order.

        The first page is fetched now, so the table paints at once; the others
        when a row of theirs is first shown (or the rows are sorted).
        """
        self.beginResetModel()
        if page_size is not None:
            self.page_size = max(1, page_size)
        self._fetch = fetch
        self._ids = list(ids)
        self._facts = {}
        self._gone = set()
        self._reindex()
        self._today = (now or datetime.now(UTC)).astimezone().date()
        self.fetches = 0
        if self._ids:
            self._fetch_page(0)
        self.endResetModel()

    def _reindex(self) -> None:
        self._rows = {fid: r for r, fid in enumerate(self._ids)}

    def _fetch_ids(self, wanted: Sequence[int]) -> None:
        if self._fetch is None or not wanted:
            return
        self.fetches += 1
        for fact in self._fetch(wanted):
            self._facts[fact.fact_row_id] = fact
        self._gone.update(i for i in wanted if i not in self._facts)

    def _fetch_page(self, row: int) -> None:
        start = row - row % self.page_size
        self._fetch_ids([i for i in self._ids[start:start + self.page_size]
                         if i not in self._facts and i not in self._gone])

    def _fetch_all(self) -> None:
        self._fetch_ids([i for i in self._ids if i not in self._facts and i not in self._gone])

    def fetched(self) -> int:
        """How many rows' details are in memory."""
        return len(self._facts)

    def fact_at(self, row: int) -> FactSummary | None:
        """The fact in ``row``, if any (fetching its page when it is not here yet)."""
        if not 0 <= row < len(self._ids):
            return None
        fid = self._ids[row]
        fact = self._facts.get(fid)
        if fact is None and fid not in self._gone:
            self._fetch_page(row)
            fact = self._facts.get(fid)
        return fact

    def facts(self) -> list[FactSummary]:
        """Every row, in display order (fetches the rows not fetched yet)."""
        self._fetch_all()
        return [self._facts[i] for i in self._ids if i in self._facts]

    def row_of(self, fact_row_id: int) -> int:
        """The row of a fact, or -1."""
        return self._rows.get(fact_row_id, -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

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
        if col == self.STATE:
            return STATE_LABELS.get(fact.state, fact.state)
        if col == self.ASKED_AS:
            return FAMILY_LABELS.get(fact.asked_as, fact.asked_as)
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
        if not index.isValid():
            return None
        fact = self.fact_at(index.row())
        if fact is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(self._text(fact, col))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.HEADERS[col]}: {_cell(self._text(fact, col))}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in (self.FACT, self.DETAIL):
                text = fact.text if col == self.FACT else fact.detail
                return tooltip(text) or None  # deck text: escaped, clipped
            if col == self.STATE and fact.held:
                what = ("No question can be asked about this fact, so it is not studied"
                        if fact.held == "no_form" else
                        "Stored unreviewed from an article: not studied until a teacher "
                        "accepts it (Deck › Review pending facts…)")
                return what + (f": {fact.held_reason}" if fact.held_reason else "") + "."
            if col == self.LEVEL:
                extra = f"; {fact.lapses} lapses" if fact.lapses else ""
                return f"{fact.reviews} answers{extra}"
            if col == self.DUE and fact.due is not None:
                return fact.due.astimezone().strftime("%Y-%m-%d %H:%M")
            return None
        if role == Qt.ItemDataRole.ForegroundRole and col == self.STATE and fact.held:
            return QColor("#b3261e")  # a held fact stands out: a teacher should fix it
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
        self._fetch_all()
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._ids[i.row()] if 0 <= i.row() < len(self._ids) else None for i in before]
        listed = [i for i in self._ids if i in self._facts]
        listed.sort(key=lambda i: self._sort_key(self._facts[i], column),
                    reverse=order == Qt.SortOrder.DescendingOrder)
        self._ids = listed + [i for i in self._ids if i not in self._facts]
        self._reindex()
        after = [self.index(self._rows[i], old.column()) if i in self._rows else QModelIndex()
                 for old, i in zip(before, ids, strict=True)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()
