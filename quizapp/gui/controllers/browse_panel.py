"""Behaviour of the Browse screen: search, show a fact's cards and history, edit, author.

Every change goes through the core in one transaction: suspending through
:func:`quizapp.browse.set_suspended`; edits and new facts through the deck
loader's validation (:func:`quizapp.browse.check_fact_edit`) and then
:meth:`Collection.import_deck`, which keeps progress by stable fact id.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QWidget

from quizapp.gui.models.deck_list_model import DeckSummary
from quizapp.gui.models.fact_table_model import KIND_LABELS, FactTableModel
from quizapp.gui.theme import colors
from quizapp.gui.views.browse_view import BrowseView, fit_combo_to_items
from quizapp.timeutil import utc_now

if TYPE_CHECKING:
    from quizapp.browse import CardSummary, FactQuery, FactSummary
    from quizapp.facts.deckfile import Problem
    from quizapp.facts.model import Deck, Fact, MediaFile
    from quizapp.gui.views.fact_editor import FactEditorDialog, NewDeckDialog
    from quizapp.services.collection import Collection

KIND_PREFIX = {"date": "d", "number": "n", "quote": "q", "person": "p", "qa": "qa"}


def sentence_html(fact: Fact) -> str:
    """The fact's evidence sentence with its own words highlighted."""
    sentence = fact.sentence or ""
    if not sentence:
        return ""
    c = colors()
    if fact.start is None or fact.sentence_start is None or fact.end is None:
        return html.escape(sentence)
    a = fact.start - fact.sentence_start
    b = fact.end - fact.sentence_start
    if not 0 <= a < b <= len(sentence):
        return html.escape(sentence)
    return (html.escape(sentence[:a])
            + f"<span style='background-color:{c.mark_bg}; color:{c.mark_fg};'>"
            + html.escape(sentence[a:b]) + "</span>" + html.escape(sentence[b:]))


def fact_details(fact: Fact) -> list[tuple[str, str]]:
    """Label/value pairs that describe a fact for the detail panel."""
    value = fact.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    pairs = [
        ("Question", fact.stem or ""),
        ("Front", fact.front or ""),
        ("Back", fact.back or ""),
        ("Value", "" if value is None else str(value)),
        ("Unit", fact.unit or ""),
        ("Counts", fact.counts or ""),
        ("Qualifier", fact.qualifier or ""),
        ("Speaker", fact.speaker or ""),
        ("Name", fact.name or ""),
        ("Role", fact.role or ""),
        ("Other roles", "; ".join(fact.roles)),
        ("Event", fact.event or ""),
        ("Reported", "yes" if fact.reported else ""),
        ("Tags", ", ".join(fact.tags)),
    ]
    return [(k, v) for k, v in pairs if v]


class BrowsePanel(QObject):
    """The Browse screen's controller; ``view`` is the widget to show."""

    decks_changed = Signal(int)  # a deck was created or edited (its id)
    status_message = Signal(str)
    read_requested = Signal(int, str)  # deck id, fact key
    searched = Signal()  # the list was refreshed

    def __init__(self, parent: QWidget, open_dialog: Callable[[QWidget], None],
                 clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self.model = FactTableModel(self)
        self.view = BrowseView(self.model, parent)
        self.clock = clock
        self._open_dialog = open_dialog
        self.collection: Collection | None = None
        self.profile_id: int | None = None
        self._decks: list[DeckSummary] = []
        self._deck_cache: dict[int, Deck] = {}
        self._fact: FactSummary | None = None
        self.total = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(180)
        self._timer.timeout.connect(self.refresh)

        v = self.view
        v.search.textChanged.connect(lambda _t: self._timer.start())
        v.search.returnPressed.connect(self._search_now)
        for box in (v.deck_filter, v.kind_filter, v.state_filter, v.due_filter):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        v.leech_filter.toggled.connect(lambda _b: self.refresh())
        v.reported_filter.toggled.connect(lambda _b: self.refresh())
        v.table.selectionModel().currentRowChanged.connect(self._current_changed)
        v.table.edit_requested.connect(self.edit_selected)
        v.table.doubleClicked.connect(lambda _i: self.edit_selected())
        v.cards.selectionModel().currentRowChanged.connect(self._card_changed)
        # Acting needs something selected: a deselected row leaves no button enabled.
        self._fact_deselected = False
        v.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        v.cards.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        v.edit.clicked.connect(self.edit_selected)
        v.suspend.clicked.connect(self.toggle_suspend)
        v.read.clicked.connect(self._read)
        v.add_fact.clicked.connect(lambda: self.add_fact())
        v.new_deck.clicked.connect(self.new_deck)
        self.model.modelReset.connect(self._after_reset)

    # ------------------------------------------------------------ context

    def set_context(self, collection: Collection | None, profile_id: int | None,
                    decks: Sequence[DeckSummary]) -> None:
        """The collection, learner and decks to browse; refreshes the list."""
        self.collection = collection
        self.profile_id = profile_id
        self._decks = list(decks)
        self._deck_cache.clear()
        box = self.view.deck_filter
        keep = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem("All decks", None)
        for d in self._decks:
            box.addItem(d.name, d.deck_id)
        index = box.findData(keep) if keep is not None else 0
        box.setCurrentIndex(max(0, index))
        box.blockSignals(False)
        fit_combo_to_items(box)
        self.view.table.setColumnHidden(FactTableModel.DECK, box.currentData() is not None)
        self.view.add_fact.setEnabled(bool(self._decks))
        self.refresh()

    def set_deck(self, deck_id: int | None) -> None:
        """Show one deck's facts (None: every deck)."""
        box = self.view.deck_filter
        index = box.findData(deck_id) if deck_id is not None else 0
        if index >= 0 and index != box.currentIndex():
            box.setCurrentIndex(index)

    def query(self) -> FactQuery:
        """The search the widgets describe."""
        from quizapp.browse import FactQuery

        v = self.view
        return FactQuery(
            text=v.search.text().strip(),
            deck_id=v.deck_filter.currentData(),
            kind=v.kind_filter.currentData(),
            state=v.state_filter.currentData(),
            due=v.due_filter.currentData(),
            leech=v.leech_filter.isChecked(),
            reported=v.reported_filter.isChecked(),
        )

    def _search_now(self) -> None:
        self._timer.stop()
        self.refresh()
        if self.model.rowCount():
            self.view.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def refresh(self) -> None:
        """Run the search again, keeping the selected fact when it is still listed."""
        self._timer.stop()
        if self.collection is None or self.profile_id is None:
            self.model.set_facts([])
            self.searched.emit()
            return
        from functools import partial

        from quizapp.browse import SUMMARY_PAGE, fact_summaries, search_fact_ids

        keep = self._fact.fact_row_id if self._fact is not None else None
        query = self.query()
        now = self.clock()
        self.view.table.setColumnHidden(FactTableModel.DECK, query.deck_id is not None)
        # Every matching id at once (the count is the full count); the details of
        # the rows on show are fetched page by page as the table shows them.
        ids = search_fact_ids(self.collection, self.profile_id, query, now)
        self.total = len(ids)
        header = self.view.table.horizontalHeader()
        column, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        self.model.set_result(ids, partial(fact_summaries, self.collection, self.profile_id),
                              now, SUMMARY_PAGE)
        if 0 <= column < self.model.columnCount():
            self.model.sort(column, order)
        self.view.count.setText("1 fact" if self.total == 1 else f"{self.total} facts")
        self.select_fact(keep)
        self.searched.emit()

    def _after_reset(self) -> None:
        empty = self.model.rowCount() == 0
        self.view.empty.setVisible(empty and self.collection is not None)

    # ------------------------------------------------------------ selection

    def select_fact(self, fact_row_id: int | None) -> None:
        """Make a fact current (the first row when it is not listed)."""
        table = self.view.table
        row = self.model.row_of(fact_row_id) if fact_row_id is not None else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            table.selectRow(row)
            table.setCurrentIndex(self.model.index(row, 0))
            table.scrollTo(self.model.index(row, 0))
        self._current_changed(table.currentIndex(), QModelIndex())

    def select_fact_key(self, deck_id: int, key: str) -> None:
        """Make the fact with this key current (its deck's facts listed)."""
        self.set_deck(deck_id)
        self.view.search.clear()
        self.refresh()
        if self.collection is None:
            return
        from quizapp.browse import find_fact_row_id

        fact_row_id = find_fact_row_id(self.collection, deck_id, key)
        if fact_row_id is not None and self.model.row_of(fact_row_id) >= 0:
            self.select_fact(fact_row_id)

    def current_fact(self) -> FactSummary | None:
        """The fact on show in the detail panel."""
        return self._fact

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        fact = self.model.fact_at(current.row()) if current.isValid() else None
        self._fact = fact
        self._show_fact(fact)

    def _deck(self, deck_id: int) -> Deck:
        assert self.collection is not None
        deck = self._deck_cache.get(deck_id)
        if deck is None:
            deck = self.collection.load_deck(deck_id, include_held=True)  # Browse lists them
            self._deck_cache[deck_id] = deck
        return deck

    def _show_fact(self, summary: FactSummary | None) -> None:
        v = self.view
        if summary is None or self.collection is None or self.profile_id is None:
            v.clear_fact()
            return
        from quizapp.browse import fact_cards

        try:
            fact = self._deck(summary.deck_id).fact(summary.key)
        except KeyError:
            fact = None
        meta = [KIND_LABELS.get(summary.kind, summary.kind), summary.deck_name]
        if summary.reports:
            meta.append("reported" if summary.reports == 1 else f"reported {summary.reports}×")
        v.show_fact(summary.text or summary.key, meta, summary.level.value,
                    fact_details(fact) if fact is not None else [],
                    sentence_html(fact) if fact is not None else "")
        from quizapp.gui.controllers.media import show_fact_media

        show_fact_media(v.fact_media, self.collection, summary.deck_id, summary.key,
                        autoplay=False)
        cards = fact_cards(self.collection, self.profile_id, summary.fact_row_id)
        v.card_model.set_cards(cards, self.clock())
        v.set_fact_actions(True)
        v.read.setEnabled(fact is not None and fact.start is not None)
        if cards:
            v.cards.selectRow(0)
            v.cards.setCurrentIndex(v.card_model.index(0, 0))
        self._card_changed(v.cards.currentIndex(), QModelIndex())

    def current_card(self) -> CardSummary | None:
        """The card selected in the detail panel (None when no card row is selected)."""
        cards = self.view.cards
        index = cards.currentIndex()
        if not index.isValid() or not cards.selectionModel().isRowSelected(index.row()):
            return None
        return self.view.card_model.card_at(index.row())

    def _update_actions(self) -> None:
        """Edit and Read need a selected fact, Suspend a selected card."""
        v = self.view
        if not v.table.selectionModel().hasSelection():
            v.set_fact_actions(False)
            self._fact_deselected = True
            return
        if self._fact_deselected:  # the same row selected again: its buttons come back
            self._fact_deselected = False
            self._current_changed(v.table.currentIndex(), QModelIndex())
            return
        v.suspend.setEnabled(self.current_card() is not None)

    def _card_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        v = self.view
        card = v.card_model.card_at(current.row()) if current.isValid() else None
        if card is None or self.collection is None or self.profile_id is None:
            v.history_model.set_entries([])
            v.history_empty.setVisible(True)
            v.suspend.setEnabled(False)
            return
        from quizapp.browse import review_history

        entries = review_history(self.collection, self.profile_id, card_id=card.card_id)
        v.history_model.set_entries(entries)
        v.history_caption.setText("REVIEW HISTORY · BOTH KINDS OF QUESTION")
        v.history_empty.setVisible(not entries)
        v.history.setVisible(bool(entries))
        v.suspend.setEnabled(True)
        v.suspend.setText("Unsuspend" if card.suspended else "Suspend")
        v.suspend.setToolTip("Show this fact again" if card.suspended
                             else "Stop showing this fact")

    # ------------------------------------------------------------ changes

    def toggle_suspend(self) -> None:
        """Suspend the selected card, or unsuspend it."""
        card = self.current_card()
        if card is None or self.collection is None or self.profile_id is None:
            return
        from quizapp.browse import set_suspended

        set_suspended(self.collection, self.profile_id, [card.card_id], not card.suspended)
        self.status_message.emit(
            f"The fact is {'shown again' if card.suspended else 'suspended'}.")
        row = self.view.cards.currentIndex().row()
        self.refresh()
        if 0 <= row < self.view.card_model.rowCount():
            self.view.cards.selectRow(row)
            self.view.cards.setCurrentIndex(self.view.card_model.index(row, 0))
        if self._fact is not None:
            self.decks_changed.emit(self._fact.deck_id)

    def _read(self) -> None:
        if self._fact is not None:
            self.read_requested.emit(self._fact.deck_id, self._fact.key)

    def edit_selected(self) -> FactEditorDialog | None:
        """Open the selected fact in the editor."""
        summary = self._fact
        if summary is None or self.collection is None:
            return None
        self._deck_cache.pop(summary.deck_id, None)
        deck = self._deck(summary.deck_id)
        try:
            fact = deck.fact(summary.key)
        except KeyError:
            return None
        from quizapp.gui.views.fact_editor import FactEditorDialog

        opened: list[FactEditorDialog] = []  # its new pictures are stored with the fact
        dialog = FactEditorDialog(deck, fact, self._saver(summary.deck_id, fact.id, opened),
                                  self.view.window())
        opened.append(dialog)
        self._open_dialog(dialog)
        return dialog

    def add_fact(self, deck_id: int | None = None,
                 initial: dict[str, Any] | None = None) -> FactEditorDialog | None:
        """Open an empty editor for a new fact in ``deck_id`` (asks which deck if unclear)."""
        if self.collection is None or not self._decks:
            return None
        if deck_id is None:
            deck_id = self.view.deck_filter.currentData()
        if deck_id is None and self._fact is not None:
            deck_id = self._fact.deck_id
        if deck_id is None:
            names = [d.name for d in self._decks]
            name, ok = QInputDialog.getItem(self.view, "Add a fact", "Add it to the deck:",
                                            names, 0, False)
            if not ok:
                return None
            deck_id = self._decks[names.index(name)].deck_id
        self._deck_cache.pop(deck_id, None)
        deck = self._deck(deck_id)
        from quizapp.gui.views.fact_editor import FactEditorDialog

        opened: list[FactEditorDialog] = []
        dialog = FactEditorDialog(deck, None, self._saver(deck_id, None, opened),
                                  self.view.window(), initial=initial,
                                  suggest_id=lambda kind, d: _suggest_id(deck, kind, d))
        opened.append(dialog)
        self._open_dialog(dialog)
        return dialog

    def _saver(self, deck_id: int, replaces: str | None,
               opened: Sequence[FactEditorDialog] = ()
               ) -> Callable[[dict[str, Any]], Sequence[Problem]]:
        def save(table: dict[str, Any]) -> Sequence[Problem]:
            media = tuple(opened[0].new_media) if opened else ()
            return self.save_fact(deck_id, table, replaces, media=media)

        return save

    def save_fact(self, deck_id: int, table: dict[str, Any],
                  replaces: str | None, *, media: Sequence[MediaFile] = ()
                  ) -> Sequence[Problem]:
        """Check an edited or new fact with the deck loader and store it; the problems if not.

        ``media`` are new pictures the fact shows: stored with it, in the same transaction.
        """
        import dataclasses

        from quizapp.browse import check_fact_edit
        from quizapp.facts.deckfile import DeckFileError

        assert self.collection is not None
        deck = dataclasses.replace(self.collection.load_deck(deck_id, include_held=True),
                                   media=tuple(media))  # the held facts stay as they are
        try:
            checked = check_fact_edit(deck, table, replaces=replaces)
            checked = dataclasses.replace(checked, media=tuple(media))
        except DeckFileError as exc:
            return exc.problems
        except KeyError:
            from quizapp.facts.deckfile import Problem

            return [Problem(deck.id, 1, "id", f"the fact {replaces!r} is no longer in the deck")]
        self.collection.import_deck(checked)
        self._deck_cache.pop(deck_id, None)
        key = str(table.get("id", ""))
        self.status_message.emit(
            f"Saved “{key}” in {deck.name}." if replaces else f"Added “{key}” to {deck.name}.")
        self.decks_changed.emit(deck_id)
        self._show_saved(deck_id, key, edited=replaces is not None)
        return []

    def _show_saved(self, deck_id: int, key: str, *, edited: bool) -> None:
        """Select a saved fact, keeping the search and the deck filter as the user left them.

        A new fact that the search does not list is shown with its deck's facts;
        an edited one that no longer matches leaves the list as it is, and says so.
        """
        from quizapp.browse import find_fact_row_id

        self.refresh()
        if self.collection is None:
            return
        fact_row_id = find_fact_row_id(self.collection, deck_id, key)
        if fact_row_id is not None and self.model.row_of(fact_row_id) >= 0:
            self.select_fact(fact_row_id)
        elif edited:
            self.status_message.emit(f"Saved “{key}”: it no longer matches the search.")
        else:
            self.select_fact_key(deck_id, key)

    def new_deck(self) -> NewDeckDialog | None:
        """Ask for a new deck's name (and article) and create it, empty."""
        if self.collection is None:
            return None
        from quizapp.gui.views.fact_editor import NewDeckDialog

        dialog = NewDeckDialog(self.create_deck, self.view.window())
        self._open_dialog(dialog)
        return dialog

    def create_deck(self, values: dict[str, str]) -> Sequence[Problem]:
        """Check and store a new, empty deck; the loader's problems if it cannot be."""
        from quizapp.browse import check_deck_header, check_new_source, slug
        from quizapp.facts.deckfile import DeckFileError, Problem
        from quizapp.facts.model import Deck
        from quizapp.services.decks import key_taken

        assert self.collection is not None
        deck_id = values.get("id", "")
        name = values.get("name", "")
        base = Deck(id=deck_id, name=name, description=values.get("description", ""))
        file = f"{deck_id or 'deck'}.toml"
        problems: list[Problem] = []
        if deck_id and key_taken(self.collection, deck_id):
            problems.append(Problem(file, 1, "id", f"a deck with id {deck_id!r} exists "
                                    "already; pick another id"))
        if not name.strip():
            problems.append(Problem(file, 1, "name", "must not be empty"))
        try:
            checked = check_deck_header(base, name=name, description=base.description)
            text = values.get("text", "")
            title = values.get("title", "").strip()
            if text.strip() or title:
                if not title:
                    problems.append(Problem(file, 1, "sources.title", "missing (required)"))
                else:
                    checked = check_new_source(checked, source_id=slug(title), title=title,
                                               text=text)
        except DeckFileError as exc:
            problems.extend(p for p in exc.problems
                            if not any(p.field == q.field for q in problems))
        if problems:
            return problems
        result = self.collection.import_deck(checked)
        self.status_message.emit(f"Created the deck “{name}”. Add facts to it with Add fact….")
        self.decks_changed.emit(result.deck_id)
        return []


def _suggest_id(deck: Deck, kind: str, dialog: FactEditorDialog) -> str:
    """A fresh id for a new fact: kind prefix and a few words of what it is about."""
    from quizapp.browse import slug
    from quizapp.gui.views.fact_editor import KIND_FIELDS

    words = ""
    for key in ("event", "counts", "name", "speaker", "front", "stem"):
        if key in KIND_FIELDS.get(kind, ()):
            text = dialog.field_text(key).strip()
            if text:
                words = slug(" ".join(text.split()[:5]))
                break
    base = f"{KIND_PREFIX.get(kind, kind)}-{words}" if words else KIND_PREFIX.get(kind, kind)
    taken = {f.id for f in deck.facts}
    if words and base not in taken:
        return base
    n = 1
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
