"""Layout of the article review: the article with every found fact highlighted, and the facts.

The teacher accepts, edits or rejects each fact the extraction found, adds the
ones it missed from a selection in the article, names the deck and creates it.
Behaviour lives in :class:`quizapp.gui.controllers.article_review_panel.ArticleReviewPanel`;
this module only lays out widgets and draws what the panel hands it
(:class:`ReviewRow` values, never core objects).

Highlights are coloured by the teacher's decision (to decide, accepted,
rejected, needs editing); the fact selected in the list is drawn in the accent
colour. Where facts nest (a date inside a quotation) the inner one wins its
words, as in the Reader, so every fact stays visible.
"""

from __future__ import annotations

import bisect
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QCloseEvent,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.theme import colors
from quizapp.gui.views.fact_editor import error_style
from quizapp.gui.views.reader_view import FACT_SCHEME, ArticleBrowser, Span, segments

Index = QModelIndex | QPersistentModelIndex

STATUSES: tuple[str, ...] = ("check", "undecided", "accepted", "rejected", "needs")
STATUS_LABELS: dict[str, str] = {
    "check": "Check first",
    "undecided": "To decide",
    "accepted": "Accepted",
    "rejected": "Rejected",
    "needs": "Needs editing",
}
STATUS_HELP: dict[str, str] = {
    "check": "Found automatically, but the rules could not tell whether it is right: look at "
    "the reason beside its sentence (left out of the deck and of Accept all until you decide)",
    "undecided": "Found automatically; not decided yet (left out of the deck)",
    "accepted": "Goes into the deck",
    "rejected": "Left out of the deck",
    "needs": "Does not pass the deck checks yet: edit it to accept it",
}
KIND_LABELS: dict[str, str] = {
    "date": "Date",
    "number": "Number",
    "quote": "Quote",
    "person": "Person",
    "qa": "Q/A note",
}


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One fact as the review screen shows it."""

    fact_id: str
    status: str  # undecided, accepted, rejected or needs
    origin: str  # found, edited or added
    kind: str
    words: str  # the fact's words in the article
    detail: str  # value, speaker, or name and role
    stem: str  # the question stem ("" when questions are built from the kind)
    problems: str  # what the deck loader says, one problem a line
    start: int | None
    end: int | None
    sentence_html: str  # the evidence sentence with the fact's words marked
    details: tuple[tuple[str, str], ...] = ()  # label and value: question, value, speaker…
    reasons: tuple[str, ...] = ()  # why the extractor doubts the fact (level "check")


def status_label(row: ReviewRow) -> str:
    """The decision as the list words it: an accepted fact the teacher wrote says so."""
    if row.status == "accepted" and row.origin in ("added", "edited"):
        return row.origin.capitalize()
    return STATUS_LABELS.get(row.status, row.status)


def status_colors(status: str) -> tuple[str, str]:
    """Background and text colour of a decision in the current theme."""
    c = colors()
    return {
        "check": (c.mark_bg, c.mark_fg),
        "undecided": (c.partial_bg, c.text),
        "accepted": (c.right_bg, c.right_fg),
        "rejected": (c.alt_base, c.muted),
        "needs": (c.wrong_bg, c.wrong_fg),
    }.get(status, (c.partial_bg, c.text))


def review_html(text: str, spans: Sequence[Span], selected: str | None = None) -> str:
    """The article as rich text, each fact a link coloured by its decision.

    ``Span.level`` carries the decision; the selected fact is drawn in the accent colour.
    """
    c = colors()
    parts = []
    for a, b, span in segments(len(text), spans):
        piece = html.escape(text[a:b])
        if span is None:
            parts.append(piece)
            continue
        extra = ""
        if span.key == selected:
            bg, fg, extra = c.accent, c.accent_text, "font-weight:600;"
        else:
            bg, fg = status_colors(span.level)
            if span.level == "rejected":
                extra = "text-decoration:line-through;"
        href = html.escape(f"{FACT_SCHEME}:{span.key}", quote=True)
        deco = "" if "line-through" in extra else "text-decoration:none;"
        parts.append(
            f'<a href="{href}" style="background-color:{bg}; color:{fg};'
            f' {deco} {extra}">{piece}</a>'
        )
    return (
        f'<div style="white-space:pre-wrap; color:{c.text}; line-height:150%;">'
        f"{''.join(parts)}</div>"
    )


class ReviewBrowser(ArticleBrowser):
    """The article under review; converts between ``str`` offsets and document positions.

    A QTextDocument counts UTF-16 units, so characters outside the Basic
    Multilingual Plane (emoji, some CJK) take two positions there and one in
    Python. Offsets handed in and out of this widget are always ``str`` offsets.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wide: list[int] = []  # str offsets of characters that take two positions

    def set_article(self, text: str, rich: str) -> None:
        """Show the article (``rich`` is its HTML) keeping the scroll position."""
        self._wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        bar = self.verticalScrollBar().value()
        self.setHtml(rich)
        self.verticalScrollBar().setValue(bar)

    def to_doc(self, offset: int) -> int:
        """The document position of a ``str`` offset."""
        return offset + bisect.bisect_left(self._wide, offset)

    def to_str(self, position: int) -> int:
        """The ``str`` offset of a document position."""
        lo, hi = 0, position
        while lo < hi:  # the largest offset whose position is <= position
            mid = (lo + hi + 1) // 2
            if self.to_doc(mid) <= position:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def select_span(self, start: int, end: int) -> None:
        """Scroll to an article span (``str`` offsets) and select it."""
        super().select_span(self.to_doc(start), self.to_doc(end))

    def show_span(self, start: int) -> None:
        """Scroll to an offset and put the cursor there without selecting."""
        cursor = self.textCursor()
        length = self.document().characterCount() - 1
        cursor.setPosition(max(0, min(self.to_doc(start), length)))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def selection_span(self) -> tuple[int, int] | None:
        """The selected article text as ``str`` offsets, if any."""
        span = super().selection_span()
        if span is None:
            return None
        return self.to_str(span[0]), self.to_str(span[1])


class ReviewFactModel(QAbstractTableModel):
    """The facts under review: decision, kind, words, value or speaker, question."""

    STATUS, KIND, WORDS, DETAIL, STEM = range(5)
    HEADERS = ("Decision", "Kind", "Words", "Value or speaker", "Question")
    TOOLTIPS = (
        "Accepted facts go into the deck; undecided and rejected ones do not",
        "What kind of fact it is",
        "The fact's words, exactly as in the article",
        "A date's or number's value, a quote's speaker, a person's role",
        "The question students are asked (built from the kind when empty)",
    )
    FACT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ReviewRow] = []

    def set_rows(self, rows: Sequence[ReviewRow]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update_rows(self, rows: Sequence[ReviewRow]) -> None:
        """New values for the same facts in the same order (keeps the selection)."""
        if [r.fact_id for r in rows] != [r.fact_id for r in self._rows]:
            self.set_rows(rows)
            return
        self._rows = list(rows)
        if rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, self.STEM))

    def rows(self) -> list[ReviewRow]:
        """Every row, in article order."""
        return list(self._rows)

    def row_at(self, row: int) -> ReviewRow | None:
        """The fact on a row."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, fact_id: str) -> int:
        """The row of a fact (-1 if absent)."""
        return next((i for i, r in enumerate(self._rows) if r.fact_id == fact_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.TOOLTIPS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self.row_at(index.row()) if index.isValid() else None
        if r is None:
            return None
        col = index.column()
        if role == self.FACT_ID_ROLE:
            return r.fact_id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == self.STATUS:
                return status_label(r)
            if col == self.KIND:
                return KIND_LABELS.get(r.kind, r.kind)
            text = {self.WORDS: r.words, self.DETAIL: r.detail, self.STEM: r.stem}[col]
            return " ".join(text.split())
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.STATUS:
                if r.problems:
                    return r.problems
                if r.status == "check" and r.reasons:
                    return "Check first: " + "; ".join(r.reasons)
                return {
                    "added": "Added by you; goes into the deck",
                    "edited": "Corrected by you; goes into the deck",
                }.get(r.origin if r.status == "accepted" else "", STATUS_HELP.get(r.status, ""))
            return {self.WORDS: r.words, self.DETAIL: r.detail, self.STEM: r.stem}.get(col)
        if col == self.STATUS and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(status_colors(r.status)[0]))
        if col == self.STATUS and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(status_colors(r.status)[1]))
        if role == Qt.ItemDataRole.FontRole and (col == self.STATUS or r.status == "rejected"):
            font = QFont()
            font.setBold(col == self.STATUS)
            font.setStrikeOut(r.status == "rejected" and col == self.WORDS)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and r.status == "rejected":
            return QBrush(QColor(colors().muted))
        return None


class ReviewTable(QTableView):
    """The fact list. A accepts, R or Delete rejects, E, F2 or Enter edits the current fact."""

    accept_pressed = Signal()
    reject_pressed = Signal()
    edit_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        if plain and key == Qt.Key.Key_A:
            self.accept_pressed.emit()
            return
        if plain and key in (Qt.Key.Key_R, Qt.Key.Key_Delete):
            self.reject_pressed.emit()
            return
        if plain and key in (Qt.Key.Key_E, Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_pressed.emit()
            return
        super().keyPressEvent(event)


class StatusLegend(QWidget):
    """The decision colours with how many facts have each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Colour legend")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.labels: dict[str, QLabel] = {}
        for status in STATUSES:
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setToolTip(STATUS_HELP[status])
            layout.addWidget(label)
            self.labels[status] = label
        layout.addStretch(1)
        self.restyle({})

    def restyle(self, counts: dict[str, int]) -> None:
        """Redraw the chips with their counts."""
        for status, label in self.labels.items():
            bg, fg = status_colors(status)
            n = counts.get(status, 0)
            label.setVisible(bool(n) or status not in ("needs", "check"))  # no empty warning
            label.setText(
                f"<span style='background-color:{bg}; color:{fg};'>"
                f"&nbsp;{STATUS_LABELS[status]} {n}&nbsp;</span>"
            )
            label.setAccessibleName(f"{STATUS_LABELS[status]}: {n}. {STATUS_HELP[status]}")


def _button(text: str, accessible: str, tip: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(accessible)
    button.setToolTip(tip)
    button.setAutoDefault(False)
    return button


class ArticleReviewView(QDialog):
    """Review the facts found in an article, then create a deck of the accepted ones."""

    fact_clicked = Signal(str)
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleReview")
        self.setWindowTitle("New deck from article")
        self.setAccessibleName("Review the facts found in an article")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setSizeGripEnabled(True)
        self.setStyleSheet(error_style())
        self.allow_close = True  # the panel asks before a review with decisions is thrown away
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 14)
        outer.setSpacing(10)

        # Title and the deck's name and id -------------------------------------
        top = QHBoxLayout()
        top.setSpacing(8)
        title = QLabel("Review facts", self)
        title.setObjectName("pageTitle")
        top.addWidget(title)
        top.addSpacing(16)
        name_label = QLabel("Deck &name:", self)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("deckName")
        self.name_edit.setAccessibleName("Deck name")
        self.name_edit.setPlaceholderText("Shown in the deck list")
        name_label.setBuddy(self.name_edit)
        id_label = QLabel("&Id:", self)
        self.id_edit = QLineEdit(self)
        self.id_edit.setObjectName("deckId")
        self.id_edit.setAccessibleName("Deck id")
        self.id_edit.setPlaceholderText("letters, digits, '-', '_' or '.'")
        self.id_edit.setToolTip(
            "The deck's stable id: importing a deck with the same id updates it"
        )
        id_label.setBuddy(self.id_edit)
        top.addWidget(name_label)
        top.addWidget(self.name_edit, 3)
        top.addWidget(id_label)
        top.addWidget(self.id_edit, 2)
        outer.addLayout(top)
        self.intro = QLabel("", self)
        self.intro.setObjectName("muted")
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.intro)
        self.deck_error = QLabel("", self)
        self.deck_error.setObjectName("formError")
        self.deck_error.setWordWrap(True)
        self.deck_error.setTextFormat(Qt.TextFormat.PlainText)
        self.deck_error.setAccessibleName("Problems with the deck")
        self.deck_error.hide()
        outer.addWidget(self.deck_error)

        # Progress while the facts are found ---------------------------------
        self.progress_card = QFrame(self)
        self.progress_card.setObjectName("card")
        pc = QVBoxLayout(self.progress_card)
        pc.setContentsMargins(20, 16, 20, 16)
        pc.setSpacing(8)
        self.progress_label = QLabel("Finding facts…", self.progress_card)
        self.progress_label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress_bar = QProgressBar(self.progress_card)
        self.progress_bar.setAccessibleName("Progress of finding facts")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setRange(0, 0)
        self.cancel_extraction = _button(
            "Cancel", "Stop finding facts", "Stop and close; nothing is stored", self
        )
        prow = QHBoxLayout()
        prow.addWidget(self.progress_bar, 1)
        prow.addWidget(self.cancel_extraction)
        pc.addWidget(self.progress_label)
        pc.addLayout(prow)
        outer.addWidget(self.progress_card)

        # The article and the facts --------------------------------------------
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        article = QFrame(self.splitter)
        article.setObjectName("card")
        a = QVBoxLayout(article)
        a.setContentsMargins(20, 14, 12, 10)
        a.setSpacing(4)
        self.article_title = QLabel("", article)
        self.article_title.setObjectName("articleTitle")
        self.article_title.setWordWrap(True)
        self.article_title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.article_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.article_title.setFont(font)
        self.article_meta = QLabel("", article)
        self.article_meta.setObjectName("muted")
        self.article_meta.setWordWrap(True)
        self.article_meta.setTextFormat(Qt.TextFormat.PlainText)
        self.legend = StatusLegend(article)
        self.browser = ReviewBrowser(article)
        self.browser.setObjectName("articleText")
        self.browser.setAccessibleName("Article text with the found facts highlighted")
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.anchorClicked.connect(self._anchor)
        article_label = QLabel("AR&TICLE", article)
        article_label.setBuddy(self.browser)
        article_label.setObjectName("formTag")
        a.addWidget(article_label)
        a.addWidget(self.article_title)
        a.addWidget(self.article_meta)
        a.addWidget(self.legend)
        a.addSpacing(4)
        a.addWidget(self.browser, 1)
        add_row = QHBoxLayout()
        self.add_missing = _button(
            "Add &missing fact…",
            "Add a missing fact from the selected words",
            "Select the words of a fact the search missed, then add it (Ctrl+M)",
            article,
        )
        self.add_hint = QLabel("Select its words in the article first.", article)
        self.add_hint.setObjectName("muted")
        self.add_hint.setWordWrap(True)
        add_row.addWidget(self.add_missing)
        add_row.addWidget(self.add_hint, 1)
        a.addLayout(add_row)
        self.splitter.addWidget(article)

        side = QFrame(self.splitter)
        side.setObjectName("card")
        s = QVBoxLayout(side)
        s.setContentsMargins(16, 14, 16, 12)
        s.setSpacing(8)
        head = QHBoxLayout()
        facts_label = QLabel("&FACTS FOUND", side)
        facts_label.setObjectName("formTag")
        self.counts = QLabel("", side)
        self.counts.setObjectName("muted")
        self.counts.setAccessibleName("How many facts are decided")
        head.addWidget(facts_label)
        head.addStretch(1)
        head.addWidget(self.counts)
        s.addLayout(head)
        self.model = ReviewFactModel(self)
        self.table = ReviewTable(side)
        facts_label.setBuddy(self.table)
        self.table.setObjectName("reviewFacts")
        self.table.setAccessibleName("Facts found in the article")
        self.table.setAccessibleDescription(
            "A accepts the current fact, R rejects it, E or Enter edits it"
        )
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        bold = QFont(self.table.font())
        bold.setBold(True)
        plain = self.table.fontMetrics()
        for col, width in (
            (ReviewFactModel.STATUS, QFontMetrics(bold).horizontalAdvance("Needs editing") + 16),
            (ReviewFactModel.KIND, plain.horizontalAdvance("Number") + 20),
            (ReviewFactModel.WORDS, plain.horizontalAdvance("x" * 17)),
            (ReviewFactModel.DETAIL, plain.horizontalAdvance("x" * 19)),
        ):
            self.table.setColumnWidth(col, width)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        s.addWidget(self.table, 3)

        actions = QHBoxLayout()
        actions.setSpacing(6)
        self.accept_button = _button(
            "&Accept", "Accept the selected fact", "Put the fact into the deck (A)", side
        )
        self.reject_button = _button(
            "&Reject", "Reject the selected fact", "Leave the fact out of the deck (R)", side
        )
        self.edit_button = _button(
            "&Edit…",
            "Edit the selected fact",
            "Correct the fact; an edited fact is accepted (E)",
            side,
        )
        self.accept_all = _button(
            "Accept a&ll",
            "Accept every fact that passes the checks",
            "Accept every fact except those that need editing",
            side,
        )
        self.reject_all = _button(
            "Re&ject all",
            "Reject every fact",
            "Reject every fact, then accept the ones you want",
            side,
        )
        for b in (self.accept_button, self.reject_button, self.edit_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.accept_all)
        actions.addWidget(self.reject_all)
        s.addLayout(actions)

        detail = QFrame(side)
        detail.setObjectName("reviewDetail")
        d = QVBoxLayout(detail)
        d.setContentsMargins(0, 4, 0, 0)
        d.setSpacing(4)
        cap = QLabel("EVIDENCE", detail)
        cap.setObjectName("formTag")
        self.fact_heading = QLabel("", detail)
        self.fact_heading.setTextFormat(Qt.TextFormat.RichText)
        self.fact_heading.setObjectName("muted")
        self.fact_heading.setWordWrap(True)
        self.sentence = QLabel("", detail)
        self.sentence.setTextFormat(Qt.TextFormat.RichText)
        self.sentence.setWordWrap(True)
        self.sentence.setAccessibleName("The sentence the fact comes from")
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel("", detail)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        self.details.setAccessibleName("What the fact says")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.doubt = QLabel("", detail)
        self.doubt.setTextFormat(Qt.TextFormat.RichText)
        self.doubt.setWordWrap(True)
        self.doubt.setAccessibleName("Why this fact needs a look")
        self.doubt.hide()
        self.problems = QLabel("", detail)
        self.problems.setObjectName("fieldError")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setAccessibleName("What needs editing")
        self.problems.hide()
        d.addWidget(cap)
        d.addWidget(self.fact_heading)
        d.addWidget(self.doubt)
        d.addWidget(self.sentence)
        d.addSpacing(4)
        d.addWidget(self.details)
        d.addWidget(self.problems)
        d.addStretch(1)
        s.addWidget(detail, 2)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 7)
        self.splitter.setSizes([470, 660])
        outer.addWidget(self.splitter, 1)

        # Messages and the deck ------------------------------------------------
        self.message = QLabel("", self)
        self.message.setObjectName("muted")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("Message")
        bottom = QHBoxLayout()
        bottom.setSpacing(8)
        bottom.addWidget(self.message, 1)
        self.cancel_button = _button(
            "Cancel", "Close without creating a deck", "Close; nothing is stored (Esc)", self
        )
        self.create_button = _button(
            "&Create deck",
            "Create the deck from the accepted facts",
            "Validate the accepted facts as a deck and store it (Ctrl+Enter)",
            self,
        )
        self.create_button.setProperty("primary", True)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.create_button)
        outer.addLayout(bottom)

        self.shortcut_create = QShortcut(QKeySequence("Ctrl+Return"), self)
        self.shortcut_create_enter = QShortcut(QKeySequence("Ctrl+Enter"), self)
        self.shortcut_add = QShortcut(QKeySequence("Ctrl+M"), self)
        self.cancel_button.clicked.connect(self.reject)
        self.set_busy(True)
        self.resize(1180, 680)  # fits a 1366x768 screen with a taskbar and a title bar
        self.setMinimumSize(760, 520)

    # ------------------------------------------------------------------ states

    def set_busy(self, busy: bool) -> None:
        """Show the progress card while facts are being found; the review once they are."""
        self.progress_card.setVisible(busy)
        self.splitter.setVisible(not busy)
        for w in (self.name_edit, self.id_edit, self.create_button):
            w.setEnabled(not busy)

    def set_progress(self, done: int, total: int, text: str = "") -> None:
        """Report how far finding the facts has come."""
        if text:
            self.progress_label.setText(text)
        self.progress_bar.setRange(0, max(total, 0))
        if total:
            self.progress_bar.setValue(min(done, total))

    def show_failure(self, text: str) -> None:
        """The article could not be read: say why; only Close is left."""
        self.progress_bar.hide()
        self.cancel_extraction.hide()
        self.progress_label.setText(text)
        self.progress_label.setObjectName("formError")
        self.progress_label.setWordWrap(True)
        self.progress_label.setStyleSheet(error_style())
        self.create_button.setEnabled(False)
        self.cancel_button.setText("Close")
        self.cancel_button.setAccessibleName("Close")
        self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_rows(self, rows: Sequence[ReviewRow]) -> None:
        """Show the facts (keeps the current row when the facts are the same)."""
        self.model.update_rows(rows)

    def current_fact_id(self) -> str | None:
        """The fact on the current row of the list."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row = self.model.row_at(index.row())
        return row.fact_id if row is not None else None

    def select_row(self, row: int) -> None:
        """Make ``row`` the current row of the list."""
        if 0 <= row < self.model.rowCount():
            index = self.model.index(row, 0)
            self.table.setCurrentIndex(index)
            self.table.selectRow(row)
            self.table.scrollTo(index)

    def show_fact(self, row: ReviewRow | None) -> None:
        """Show the selected fact's evidence and problems (or nothing)."""
        for b in (self.accept_button, self.reject_button, self.edit_button):
            b.setEnabled(row is not None)
        if row is None:
            self.fact_heading.setText("Select a fact to see the sentence it comes from.")
            self.sentence.setText("")
            self.details.setText("")
            self.problems.hide()
            self.doubt.hide()
            return
        kind = KIND_LABELS.get(row.kind, row.kind)
        bg, fg = status_colors(row.status)
        chip = (
            f"<span style='background-color:{bg}; color:{fg};'>"
            f"&nbsp;{html.escape(STATUS_LABELS.get(row.status, row.status))}&nbsp;</span>"
        )
        self.fact_heading.setText(
            f"{html.escape(kind)} · <code>{html.escape(row.fact_id)}</code> · {chip}"
        )
        self.sentence.setText(row.sentence_html or "<i>No sentence: a note of its own.</i>")
        muted = colors().muted
        self.details.setText(
            "<br>".join(
                f"<span style='color:{muted};'>{html.escape(label)}:</span> {html.escape(value)}"
                for label, value in row.details
            )
        )
        self.problems.setText(row.problems)
        self.problems.setVisible(bool(row.problems))
        if row.reasons:
            bg, fg = status_colors("check")
            self.doubt.setText(
                f"<span style='background-color:{bg}; color:{fg};'>&nbsp;<b>Check:</b> "
                + html.escape("; ".join(row.reasons))
                + "&nbsp;</span>"
            )
        self.doubt.setVisible(bool(row.reasons))
        self.accept_button.setEnabled(row.status != "accepted")
        self.reject_button.setEnabled(row.status != "rejected")

    def set_counts(self, text: str, counts: dict[str, int], accepted: int) -> None:
        """The tally above the list, in the legend and on the Create button."""
        self.counts.setText(text)
        self.legend.restyle(counts)
        self.create_button.setText(
            "&Create deck"
            if not accepted
            else f"&Create deck with {accepted} fact{'s' if accepted != 1 else ''}"
        )

    def show_message(self, text: str, *, error: bool = False) -> None:
        """A line above the Create button."""
        self.message.setObjectName("fieldError" if error else "muted")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)

    def show_deck_problems(self, lines: Sequence[str]) -> None:
        """Problems with the deck as a whole (its name, id, or no accepted fact)."""
        self.deck_error.setText("\n".join(lines))
        self.deck_error.setVisible(bool(lines))

    def _anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith(f"{FACT_SCHEME}:"):
            self.fact_clicked.emit(text[len(FACT_SCHEME) + 1 :])

    # ------------------------------------------------------------------ closing

    def reject(self) -> None:
        if not self.allow_close:
            self.close_requested.emit()  # the panel asks, then closes with force_close()
            return
        super().reject()

    def force_close(self) -> None:
        """Close without asking."""
        self.allow_close = True
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.allow_close:
            event.ignore()
            self.close_requested.emit()
            return
        super().closeEvent(event)


__all__ = [
    "STATUS_LABELS",
    "ArticleReviewView",
    "ReviewBrowser",
    "ReviewFactModel",
    "ReviewRow",
    "ReviewTable",
    "Span",
    "review_html",
    "status_colors",
]
