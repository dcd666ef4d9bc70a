"""Layout of the home page: profile switcher, deck list and the Study button."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.models.deck_list_model import DeckListModel, DeckSummary
from quizapp.gui.safe_text import clip

NEW_PROFILE = "new"  # item data of the "New profile…" entry


class _NoFocusRectDelegate(QStyledItemDelegate):
    """Rows are selected whole: no extra frame around the current cell."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.state &= ~QStyle.StateFlag.State_HasFocus


class DeckTable(QTableView):
    """The deck list; Enter starts studying the current deck."""

    activated_by_key = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated_by_key.emit()
            return
        super().keyPressEvent(event)


class DeckPage(QWidget):
    """Pick a profile and a deck, then study."""

    study_requested = Signal()

    def __init__(self, model: DeckListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deckPage")
        self.setAccessibleName("Decks")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        outer.setSpacing(14)

        # Profile row ---------------------------------------------------------
        top = QHBoxLayout()
        top.setSpacing(8)
        title = QLabel("Decks", self)
        title.setObjectName("pageTitle")
        top.addWidget(title)
        top.addStretch(1)
        profile_label = QLabel("&Profile:", self)
        self.profiles = QComboBox(self)
        self.profiles.setObjectName("profileSwitcher")
        self.profiles.setAccessibleName("Profile")
        self.profiles.setToolTip("Who is studying (each profile keeps its own progress)")
        self.profiles.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.profiles.setMinimumContentsLength(12)
        profile_label.setBuddy(self.profiles)
        self.rename_button = QToolButton(self)
        self.rename_button.setText("Rename…")
        self.rename_button.setAccessibleName("Rename profile")
        self.rename_button.setToolTip("Rename this profile")
        self.delete_button = QToolButton(self)
        self.delete_button.setText("Delete…")
        self.delete_button.setAccessibleName("Delete profile")
        self.delete_button.setToolTip("Delete this profile and all its progress")
        top.addWidget(profile_label)
        top.addWidget(self.profiles)
        top.addWidget(self.rename_button)
        top.addWidget(self.delete_button)
        outer.addLayout(top)

        # Deck list ---------------------------------------------------------------
        self.model = model
        self.table = DeckTable(self)
        self.table.setObjectName("deckList")
        self.table.setAccessibleName("Deck list")
        self.table.setModel(model)
        self.table.setItemDelegate(_NoFocusRectDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 18
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(DeckListModel.NAME, QHeaderView.ResizeMode.Stretch)
        for col in (DeckListModel.NEW, DeckListModel.LEARNING, DeckListModel.DUE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            width = self.fontMetrics().horizontalAdvance("Learning") + 40
            header.resizeSection(col, max(96, width))
        header.setHighlightSections(False)
        self.table.doubleClicked.connect(lambda _i: self.study_requested.emit())
        self.table.activated_by_key.connect(self.study_requested)
        outer.addWidget(self.table, 1)

        # Description and Study button ------------------------------------------
        bottom = QHBoxLayout()
        bottom.setSpacing(12)
        self.description = QLabel("", self)
        self.description.setTextFormat(Qt.TextFormat.PlainText)  # deck text
        self.description.setObjectName("muted")
        self.description.setWordWrap(True)
        self.description.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.study_button = QPushButton("Study", self)
        self.study_button.setObjectName("studyButton")
        self.study_button.setAccessibleName("Study the selected deck")
        self.study_button.setToolTip("Study the selected deck (Enter)")
        self.study_button.setProperty("primary", True)
        self.study_button.setAutoDefault(True)
        font = self.study_button.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.study_button.setFont(font)
        self.study_button.setMinimumWidth(180)
        self.study_button.clicked.connect(self.study_requested)
        bottom.addWidget(self.description, 1)
        bottom.addWidget(self.study_button, 0, Qt.AlignmentFlag.AlignBottom)
        outer.addLayout(bottom)

        self.empty_hint = QLabel(
            "No decks yet. Use File › Import deck… to add one.", self
        )
        self.empty_hint.setObjectName("muted")
        self.empty_hint.hide()
        outer.addWidget(self.empty_hint)

        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        model.modelReset.connect(self._after_reset)

    def current_deck(self) -> DeckSummary | None:
        """The deck the learner picked (the first one if none is selected)."""
        index = self.table.currentIndex()
        row = index.row() if index.isValid() else 0
        return self.model.deck_at(row)

    def select_deck(self, deck_id: int | None) -> None:
        """Make a deck current (the first if ``deck_id`` is gone)."""
        row = self.model.row_of(deck_id) if deck_id is not None else -1
        if row < 0 and self.model.rowCount() > 0:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._current_changed(self.table.currentIndex(), QModelIndex())

    def _after_reset(self) -> None:
        empty = self.model.rowCount() == 0
        self.empty_hint.setVisible(empty)
        self.study_button.setEnabled(not empty)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        deck = self.model.deck_at(current.row()) if current.isValid() else None
        if deck is None:
            self.description.setText("")
            return
        total = f"{deck.total} cards" if deck.total != 1 else "1 card"
        if deck.pending:  # facts stored unreviewed: not studied until a teacher accepts them
            total += (f" · {deck.pending} fact{'s' if deck.pending != 1 else ''} pending a "
                      "teacher's check: Deck › Review pending facts…")
        text = f"{clip(deck.description, 600, 6)}  ({total})" if deck.description else total
        self.description.setText(text)
