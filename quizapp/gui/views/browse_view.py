"""Layout of the Browse screen: search and filters, the fact list, and the selected fact.

Behaviour (searching, editing, suspending) lives in
:class:`quizapp.gui.controllers.browse_panel.BrowsePanel`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.models.fact_table_model import KIND_LABELS, FactTableModel
from quizapp.gui.models.history_model import CardTableModel, HistoryModel
from quizapp.gui.palette import LEVEL_LABELS, level_color
from quizapp.gui.theme import colors

STATE_FILTERS: tuple[tuple[str | None, str], ...] = (
    (None, "Any state"),
    ("new", "New"),
    ("learning", "Learning"),
    ("review", "Review"),
    ("suspended", "Suspended"),
)
DUE_FILTERS: tuple[tuple[str | None, str], ...] = (
    (None, "Any time"),
    ("today", "Due today"),
    ("overdue", "Overdue"),
)


def _table(parent: QWidget, name: str, accessible: str) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
    table.horizontalHeader().setHighlightSections(False)
    table.setTabKeyNavigation(False)
    return table


class FactTable(QTableView):
    """The fact list; Enter edits the current fact."""

    edit_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_requested.emit()
            return
        super().keyPressEvent(event)


class BrowseView(QWidget):
    """Search facts and cards; see and change the selected fact."""

    def __init__(self, model: FactTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("browseView")
        self.setAccessibleName("Browse")
        self.model = model
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.setSpacing(10)

        # Title, search and authoring ---------------------------------------
        top = QHBoxLayout()
        top.setSpacing(8)
        title = QLabel("Browse", self)
        title.setObjectName("pageTitle")
        top.addWidget(title)
        top.addSpacing(12)
        self.search = QLineEdit(self)
        self.search.setObjectName("browseSearch")
        self.search.setAccessibleName("Search facts")
        self.search.setPlaceholderText(
            "Search words, questions, speakers, names, fronts and backs…")
        self.search.setClearButtonEnabled(True)
        for clear in self.search.findChildren(QToolButton):
            clear.setAccessibleName("Clear the search")
        top.addWidget(self.search, 1)
        top.addSpacing(8)
        self.new_deck = QPushButton("New deck…", self)
        self.new_deck.setAccessibleName("Create a new deck")
        self.new_deck.setToolTip("Create an empty deck to write facts into (Ctrl+Shift+N)")
        self.add_fact = QPushButton("Add fact…", self)
        self.add_fact.setAccessibleName("Add a fact or Q/A note")
        self.add_fact.setToolTip("Add a fact or Q/A note to the deck (Ctrl+N)")
        top.addWidget(self.new_deck)
        top.addWidget(self.add_fact)
        outer.addLayout(top)

        # Filters ---------------------------------------------------------------
        filters = QHBoxLayout()
        filters.setSpacing(8)
        self.deck_filter = QComboBox(self)
        self.deck_filter.setAccessibleName("Deck filter")
        self.deck_filter.setToolTip("Only facts of this deck")
        self.deck_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.deck_filter.setMinimumContentsLength(22)
        self.kind_filter = QComboBox(self)
        self.kind_filter.setAccessibleName("Kind filter")
        self.kind_filter.setToolTip("Only facts of this kind")
        self.kind_filter.addItem("Any kind", None)
        for value, label in KIND_LABELS.items():
            self.kind_filter.addItem(label, value)
        self.state_filter = QComboBox(self)
        self.state_filter.setAccessibleName("Card state filter")
        self.state_filter.setToolTip("Only facts with a card in this state")
        for state, label in STATE_FILTERS:
            self.state_filter.addItem(label, state)
        self.due_filter = QComboBox(self)
        self.due_filter.setAccessibleName("Due filter")
        self.due_filter.setToolTip("Only facts with a card due today, or overdue")
        for due, label in DUE_FILTERS:
            self.due_filter.addItem(label, due)
        self.leech_filter = QCheckBox("Leeches", self)
        self.leech_filter.setAccessibleName("Only leeches")
        self.leech_filter.setToolTip("Only facts with a card forgotten 8 times or more")
        self.reported_filter = QCheckBox("Reported", self)
        self.reported_filter.setAccessibleName("Only reported facts")
        self.reported_filter.setToolTip("Only facts with a question reported as wrong")
        for w in (self.deck_filter, self.kind_filter, self.state_filter, self.due_filter):
            # The deck filter takes a share of the spare width, up to its longest name.
            filters.addWidget(w, 4 if w is self.deck_filter else 0)
        filters.addSpacing(6)
        filters.addWidget(self.leech_filter)
        filters.addWidget(self.reported_filter)
        filters.addStretch(1)
        self.count = QLabel("", self)
        self.count.setObjectName("muted")
        self.count.setAccessibleName("Number of facts found")
        filters.addWidget(self.count)
        outer.addLayout(filters)

        # Fact list over details ------------------------------------------------
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.table = FactTable(self.splitter)
        self._setup_fact_table()
        self.splitter.addWidget(self.table)
        self.detail = QFrame(self.splitter)
        self.detail.setObjectName("card")
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 300])
        outer.addWidget(self.splitter, 1)
        self._build_detail()
        self.empty = QLabel("No facts match. Clear the search or the filters.", self)
        self.empty.setObjectName("muted")
        self.empty.hide()
        outer.addWidget(self.empty)

    def _setup_fact_table(self) -> None:
        t = self.table
        t.setObjectName("factTable")
        t.setAccessibleName("Facts found")
        t.setModel(self.model)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setAlternatingRowColors(True)
        t.setShowGrid(False)
        t.setWordWrap(False)
        t.setSortingEnabled(True)
        t.setTabKeyNavigation(False)
        t.setTextElideMode(Qt.TextElideMode.ElideRight)
        t.verticalHeader().hide()
        t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 14)
        header = t.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FactTableModel.FACT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FactTableModel.DETAIL, QHeaderView.ResizeMode.Stretch)
        fm = self.fontMetrics()
        for col, sample in ((FactTableModel.KIND, "Q/A note"),
                            (FactTableModel.DECK, "World capitals"),
                            (FactTableModel.STATE, "Relearning"),
                            (FactTableModel.ASKED_AS, "Recognise"),
                            (FactTableModel.DUE, "Tomorrow"), (FactTableModel.LEVEL, "Mastered")):
            header.resizeSection(col, fm.horizontalAdvance(sample) + 40)
        t.setColumnHidden(FactTableModel.DECK, True)
        t.sortByColumn(-1, Qt.SortOrder.AscendingOrder)

    def _build_detail(self) -> None:
        layout = QHBoxLayout(self.detail)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(18)

        # Left: the fact itself, scrollable, with its buttons under it.
        left = QVBoxLayout()
        left.setSpacing(6)
        info_scroll = QScrollArea(self.detail)
        info_scroll.setWidgetResizable(True)
        info_scroll.setFrameShape(QFrame.Shape.NoFrame)
        info_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        info = QWidget(info_scroll)
        info.setObjectName("factInfo")
        info_scroll.setWidget(info)
        il = QVBoxLayout(info)
        il.setContentsMargins(0, 0, 6, 0)
        il.setSpacing(4)
        self.fact_title = QLabel("Select a fact to see its cards and history.", info)
        self.fact_title.setObjectName("factTitle")
        self.fact_title.setWordWrap(True)
        self.fact_title.setTextFormat(Qt.TextFormat.PlainText)
        self.fact_title.setAccessibleName("Selected fact")
        font = self.fact_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        font.setBold(True)
        self.fact_title.setFont(font)
        self.fact_title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fact_meta = QLabel("", info)
        self.fact_meta.setObjectName("muted")
        self.fact_meta.setWordWrap(True)
        self.fact_meta.setTextFormat(Qt.TextFormat.RichText)
        self.fact_meta.setAccessibleName("Kind, deck and level")
        self.fact_detail = QLabel("", info)
        self.fact_detail.setWordWrap(True)
        self.fact_detail.setTextFormat(Qt.TextFormat.RichText)
        self.fact_detail.setAccessibleName("Fact details")
        self.fact_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        from PySide6.QtCore import QSize

        from quizapp.gui.views.media_view import MediaStrip

        self.fact_media = MediaStrip(info, max_picture=QSize(200, 110))  # pictures, sounds
        il.addWidget(self.fact_title)
        il.addWidget(self.fact_meta)
        il.addWidget(self.fact_detail)
        il.addWidget(self.fact_media)
        il.addStretch(1)
        left.addWidget(info_scroll, 1)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        self.edit = QPushButton("Edit…", self.detail)
        self.edit.setAccessibleName("Edit the selected fact")
        self.edit.setToolTip("Edit this fact (Enter)")
        self.read = QPushButton("Show in article", self.detail)
        self.read.setAccessibleName("Show the fact in the article reader")
        self.read.setToolTip("Open the article with this fact highlighted")
        buttons.addWidget(self.edit)
        buttons.addWidget(self.read)
        buttons.addStretch(1)
        left.addLayout(buttons)
        layout.addLayout(left, 5)

        # Right: the fact's cards, and the selected card's review log.
        right = QVBoxLayout()
        right.setSpacing(6)
        cards_head = QHBoxLayout()
        caption = QLabel("CARDS", self.detail)
        caption.setObjectName("formTag")
        cards_head.addWidget(caption)
        cards_head.addStretch(1)
        self.suspend = QPushButton("Suspend", self.detail)
        self.suspend.setAccessibleName("Suspend or unsuspend the selected card")
        self.suspend.setToolTip("Stop showing the selected card, or show it again")
        cards_head.addWidget(self.suspend)
        right.addLayout(cards_head)
        self.card_model = CardTableModel(self)
        self.cards = _table(self.detail, "cardTable", "Cards of the selected fact")
        self.cards.setModel(self.card_model)
        cheader = self.cards.horizontalHeader()
        cheader.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        cheader.setStretchLastSection(True)
        row_h = self.cards.verticalHeader().defaultSectionSize()
        head_h = self.cards.horizontalHeader().sizeHint().height()
        self.cards.setFixedHeight(head_h + row_h * 2 + 6)
        self.cards.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right.addWidget(self.cards)
        self.history_caption = QLabel("REVIEW HISTORY", self.detail)
        self.history_caption.setObjectName("formTag")
        right.addSpacing(4)
        right.addWidget(self.history_caption)
        self.history_model = HistoryModel(self)
        self.history = _table(self.detail, "historyTable", "Review history of the selected card")
        self.history.setModel(self.history_model)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HistoryModel.ANSWER, QHeaderView.ResizeMode.Stretch)
        self.history.setColumnHidden(HistoryModel.CARD, True)
        right.addWidget(self.history, 1)
        self.history_empty = QLabel("Not answered yet.", self.detail)
        self.history_empty.setObjectName("muted")
        right.addWidget(self.history_empty)
        right.addStretch(0)
        layout.addLayout(right, 6)
        self.set_fact_actions(False)

    def set_fact_actions(self, enabled: bool) -> None:
        """Enable the buttons that act on the selected fact."""
        for b in (self.edit, self.suspend, self.read):
            b.setEnabled(enabled)

    def show_fact(self, title: str, meta: list[str], level: str, details: list[tuple[str, str]],
                  sentence_html: str) -> None:
        """Fill the detail panel for one fact."""
        self.fact_title.setText(title)
        color = level_color(level)
        chip = (f"<span style='background-color:{color.background}; color:{color.foreground};'>"
                f"&nbsp;{html.escape(LEVEL_LABELS.get(level, level))}&nbsp;</span>")
        self.fact_meta.setText(" · ".join(html.escape(m) for m in meta) + " · " + chip)
        rows = "".join(
            f"<tr><td style='padding:1px 12px 1px 0; color:{colors().muted};'>"
            f"{html.escape(k)}</td><td style='padding:1px 0;'>{html.escape(v)}</td></tr>"
            for k, v in details if v)
        text = f"<table cellspacing='0'>{rows}</table>" if rows else ""
        if sentence_html:
            text += f"<p style='margin-top:6px;'>{sentence_html}</p>"
        self.fact_detail.setText(text)
        self.fact_detail.setVisible(bool(text))

    def clear_fact(self) -> None:
        """No fact selected."""
        self.fact_title.setText("Select a fact to see its cards and history.")
        self.fact_meta.setText("")
        self.fact_detail.setText("")
        self.fact_media.clear()
        self.card_model.set_cards([])
        self.history_model.set_entries([])
        self.history_empty.setVisible(True)
        self.set_fact_actions(False)


def fit_combo_to_items(box: QComboBox) -> None:
    """Let ``box`` grow, where its layout has room, to show its longest item in full.

    Its size hint stays that of its minimum contents length (so that a small
    window still fits); its maximum width becomes what its longest item needs.
    """
    policy = box.sizeAdjustPolicy()
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    full = box.sizeHint().width()
    box.setSizeAdjustPolicy(policy)
    box.setMaximumWidth(max(full, box.minimumSizeHint().width()))
    # Expanding, like the stretch beside it: a box layout then sizes the two in
    # proportion to their stretch factors.
    box.setSizePolicy(QSizePolicy.Policy.Expanding, box.sizePolicy().verticalPolicy())
