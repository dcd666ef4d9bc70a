"""A fact's cards and their review log, as small table models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

if TYPE_CHECKING:
    from quizapp.browse import CardSummary, HistoryEntry
from quizapp.gui.models.fact_table_model import FAMILY_LABELS, STATE_LABELS, describe_due
from quizapp.gui.safe_text import tooltip

Index = QModelIndex | QPersistentModelIndex

RATING_LABELS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
FORM_LABELS = {
    "choice": "Multiple choice",
    "larger": "Which is larger",
    "who_said": "Who said it",
    "which_quote": "Which quote",
    "typed": "Typed",
    "cloze": "Cloze",
    "timeline": "Timeline",
    "flashcard": "Flashcard",
    "date_event": "Date → event",
    "number_meaning": "Number → meaning",
    "speaker_position": "Speaker → position",
    "true_false": "True or false",
    "confirmation": "Short answer → what it confirmed",
}


class _Table(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def _count(self) -> int:
        raise NotImplementedError

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class CardTableModel(_Table):
    """The card of one fact (its one memory): the family it was last asked in, state,
    due, stability, answers, lapses."""

    HEADERS = ("Last asked", "State", "Due", "Stability", "Reps", "Lapses")
    CardRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._cards: list[CardSummary] = []
        self._today = datetime.now(UTC).astimezone().date()

    def set_cards(self, cards: list[CardSummary], now: datetime | None = None) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._cards = list(cards)
        self._today = (now or datetime.now(UTC)).astimezone().date()
        self.endResetModel()

    def card_at(self, row: int) -> CardSummary | None:
        """The card in ``row``, if any."""
        return self._cards[row] if 0 <= row < len(self._cards) else None

    def cards(self) -> list[CardSummary]:
        """Every row."""
        return list(self._cards)

    def _count(self) -> int:
        return len(self._cards)

    def _text(self, card: CardSummary, col: int) -> str:
        if col == 0:
            return FAMILY_LABELS.get(card.family, card.family)
        if col == 1:
            state = STATE_LABELS.get(card.state, card.state)
            return f"{state} (suspended)" if card.suspended else state
        if col == 2:
            return describe_due(card.due, self._today) if card.state != "new" else "–"
        if col == 3:
            return "–" if card.stability is None else _days(card.stability)
        if col == 4:
            return str(card.reps)
        return str(card.lapses)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        card = self._cards[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(card, index.column())
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.HEADERS[index.column()]}: {self._text(card, index.column())}"
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0 and card.reported_forms:
            forms = ", ".join(FORM_LABELS.get(f, f) for f in card.reported_forms)
            return f"Reported forms (no longer asked): {forms}"
        if role == self.CardRole:
            return card
        return None


def _days(stability: float) -> str:
    if stability < 1:
        return f"{stability * 24:.0f} h"
    if stability < 60:
        return f"{stability:.1f} days".replace(".0 ", " ")
    return f"{stability / 30.4:.1f} months".replace(".0 ", " ")


def _when(moment: datetime) -> str:
    local = moment.astimezone()
    now = datetime.now(UTC).astimezone()
    if local.year == now.year:
        return f"{local.day} {local:%b %H:%M}"
    return f"{local.day} {local:%b %Y}"


class HistoryModel(_Table):
    """Review log rows, newest first; cancelled rows are struck through."""

    WHEN, CARD, FORM, ANSWER, RESULT, RATING = range(6)
    HEADERS = ("When", "Card", "Form", "Answer given", "Result", "Rating")
    EntryRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryEntry] = []

    def set_entries(self, entries: list[HistoryEntry]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(entries)
        self.endResetModel()

    def entries(self) -> list[HistoryEntry]:
        """Every row."""
        return list(self._rows)

    def _count(self) -> int:
        return len(self._rows)

    @staticmethod
    def result_text(e: HistoryEntry) -> str:
        """Right, wrong or partly right, with the kind of answer when it is not study."""
        if e.kind == "undo":
            return "Undo"
        if e.correct is None:
            verdict = "–"
        elif e.verdict == "partial":
            verdict = "Partly right"
        else:
            verdict = "Right" if e.correct else "Wrong"
        if e.kind == "overrule":
            verdict = "Right (overruled)"
        elif e.kind == "test":
            verdict += " (test)"
        return f"{verdict}, undone" if e.cancelled else verdict

    def _text(self, e: HistoryEntry, col: int) -> str:
        if col == self.WHEN:
            return _when(e.reviewed_at)
        if col == self.CARD:
            return FAMILY_LABELS.get(e.family, e.family)
        if col == self.FORM:
            return FORM_LABELS.get(e.form or "", e.form or "–")
        if col == self.ANSWER:
            return " ".join((e.given or "–").split())
        if col == self.RESULT:
            return self.result_text(e)
        return RATING_LABELS.get(e.rating or 0, "–")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(e, col)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.HEADERS[col]}: {self._text(e, col)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [e.reviewed_at.astimezone().strftime("%Y-%m-%d %H:%M")]
            if e.prompt:
                lines.append(e.prompt)
            if e.response_ms is not None:
                lines.append(f"Answered in {e.response_ms / 1000:.1f} s")
            return tooltip("\n".join(lines))  # the prompt is deck text: escaped, clipped
        if role == Qt.ItemDataRole.FontRole and e.cancelled:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == self.EntryRole:
            return e
        return None
