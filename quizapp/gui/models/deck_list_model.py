"""The deck list: one row per deck with its new, learning and due counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from quizapp.gui.safe_text import NAME_CHARS, one_line, tooltip

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class DeckSummary:
    """What the deck list shows about one deck for the current profile."""

    deck_id: int
    key: str
    name: str
    description: str = ""
    new: int = 0
    learning: int = 0
    due: int = 0
    total: int = 0
    pending: int = 0  # facts waiting for a teacher's check (not studied, not counted)

    @property
    def has_work(self) -> bool:
        """Whether studying this deck now would show anything."""
        return (self.new + self.learning + self.due) > 0


class DeckListModel(QAbstractTableModel):
    """Decks with their counts; the numbers are right-aligned, zeros muted."""

    NAME, NEW, LEARNING, DUE = range(4)
    HEADERS = ("Deck", "New", "Learning", "Due")
    TOOLTIPS = (
        "The deck's name",
        "Cards never studied",
        "Cards in their first steps or relearning after a lapse",
        "Cards scheduled for review",
    )
    DeckRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._decks: list[DeckSummary] = []

    def set_decks(self, decks: list[DeckSummary]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._decks = list(decks)
        self.endResetModel()

    def deck_at(self, row: int) -> DeckSummary | None:
        """The deck in ``row``, if any."""
        if 0 <= row < len(self._decks):
            return self._decks[row]
        return None

    def row_of(self, deck_id: int) -> int:
        """The row of a deck, or -1."""
        for i, d in enumerate(self._decks):
            if d.deck_id == deck_id:
                return i
        return -1

    def decks(self) -> list[DeckSummary]:
        """Every row."""
        return list(self._decks)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._decks)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        deck = self._decks[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == self.NAME:
                return one_line(deck.name, NAME_CHARS * 2)
            value = (deck.new, deck.learning, deck.due)[col - 1]
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{value} {self.HEADERS[col].lower()}"
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.NAME:
                return tooltip(deck.description or deck.name)  # deck text: never markup
            return self.TOOLTIPS[col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col == self.NAME:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.DeckRole:
            return deck
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
            if section == self.NAME:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
