"""Behaviour of the article reader: colour facts by knowledge, show a fact's questions.

Questions are generated on the spot with :class:`QuestionBuilder`, one per
card family the fact has, exactly as study would build them (with a fixed
seed, so the same fact shows the same questions until the deck changes).
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from quizapp.gui.models.deck_list_model import DeckSummary
from quizapp.gui.models.fact_table_model import KIND_LABELS
from quizapp.gui.palette import LEVEL_LABELS, level_color
from quizapp.gui.theme import colors
from quizapp.gui.views.reader_view import ReaderView, Span, article_html
from quizapp.lexicon import DOZEN, HUNDRED, MONTH_NAMES, ONES, SCALES, TENS
from quizapp.timeutil import utc_now

if TYPE_CHECKING:
    from quizapp.browse import FactSummary
    from quizapp.facts.model import Deck, Fact, Source
    from quizapp.questions.generate import QuestionBuilder
    from quizapp.questions.model import Family, Question
    from quizapp.services.collection import Collection

FORM_NAMES = {
    "choice": "Multiple choice",
    "larger": "Which is larger?",
    "who_said": "Who said it?",
    "which_quote": "Which quote?",
    "typed": "Typed answer",
    "cloze": "Fill in the blank",
    "timeline": "Put in order",
    "flashcard": "Flashcard",
    "date_event": "What happened then?",
    "number_meaning": "What does it count?",
    "speaker_position": "What did they say?",
    "true_false": "True or false?",
    "confirmation": "What did they confirm?",
}
_MONTHS = tuple(name.lower() for name in MONTH_NAMES)
# A selection holding a number word (or a fraction's word) is probably a number.
_NUMBER_WORDS = re.compile(r"\b(" + "|".join(sorted(
    {*ONES, *TENS, HUNDRED, DOZEN, *SCALES, "half", "third", "quarter"} - {"zero"},
    key=len, reverse=True)) + r")\b")


def guess_kind(text: str) -> str:
    """What kind of fact selected words probably are (the teacher can change it)."""
    lowered = text.lower()
    if any(m in lowered for m in _MONTHS) or re.fullmatch(r"\s*(1[5-9]|20)\d\d\s*", text):
        return "date"
    if re.search(r"\d", text) or _NUMBER_WORDS.search(lowered):
        return "number"
    if len(text.split()) <= 4 and text[:1].isupper():
        return "person"
    return "quote"


def fact_title(fact: Fact) -> str:
    """A short heading for a fact: what it is, not the whole quotation."""
    words = " ".join((fact.text or fact.front or fact.id).split())
    if len(words) > 90:
        words = words[:89].rstrip() + "…"
    if fact.kind.value == "quote" and fact.speaker:
        verb = "reported" if fact.reported else "said"
        return f"{fact.speaker} {verb}: “{words}”"
    if fact.kind.value == "person" and fact.name:
        return f"{fact.name}, {fact.role}" if fact.role else fact.name
    if fact.kind.value in ("date", "number") and fact.stem:
        return f"{words} — {fact.stem}"
    return words


def questions_html(questions: Sequence[Question]) -> str:
    """Questions as rich text: prompt, choices with the right one marked, the answer."""
    if not questions:
        return "<p>No question can be built for this fact.</p>"
    c = colors()
    parts = []
    for q in questions:
        head = (f"<span style='color:{c.muted}; font-weight:600;'>"
                f"{html.escape(q.family.value.capitalize())} · "
                f"{html.escape(FORM_NAMES.get(q.form.value, q.form.value))}</span>")
        body = [f"<p style='margin:0 0 4px 0;'>{head}<br>{html.escape(q.prompt)}</p>"]
        if q.choices:
            rows = []
            for i, choice in enumerate(q.choices, start=1):
                if choice in q.answers:
                    rows.append(f"<b style='color:{c.right_fg};'>{i}. "
                                f"{html.escape(choice)} ✓</b>")
                else:
                    rows.append(f"{i}. {html.escape(choice)}")
            body.append("<p style='margin:0 0 12px 12px;'>" + "<br>".join(rows) + "</p>")
        else:
            answer = q.back or q.answers[0]
            if q.form.value == "timeline":
                answer = "  →  ".join(answer.split(" | "))
            body.append(f"<p style='margin:0 0 12px 12px;'>Answer: "
                        f"<b>{html.escape(answer)}</b></p>")
        parts.append("".join(body))
    return "".join(parts)


class ReaderPanel(QObject):
    """The reader's controller; ``view`` is the widget to show."""

    edit_requested = Signal(int, str)  # deck id, fact key
    browse_requested = Signal(int, str)
    add_requested = Signal(int, object)  # deck id, initial fact table
    status_message = Signal(str)
    fact_shown = Signal(str)

    def __init__(self, parent: QWidget, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self.view = ReaderView(parent)
        self.clock = clock
        self.collection: Collection | None = None
        self.profile_id: int | None = None
        self.deck: Deck | None = None
        self.deck_id: int | None = None
        self.source: Source | None = None
        self.selected: str | None = None
        self._summaries: dict[str, FactSummary] = {}
        self._spans: list[Span] = []
        self._builder: QuestionBuilder | None = None
        self._card_ids: dict[str, tuple[str, Family]] = {}  # fact id -> card id, family
        v = self.view
        v.deck_box.currentIndexChanged.connect(self._deck_chosen)
        v.source_box.currentIndexChanged.connect(self._source_chosen)
        v.fact_box.activated.connect(self._fact_chosen)
        v.fact_clicked.connect(self.show_fact)
        v.edit.clicked.connect(self._edit)
        v.browse.clicked.connect(self._browse)
        v.add_from_selection.clicked.connect(self.add_from_selection)

    # ------------------------------------------------------------------ context

    def set_context(self, collection: Collection | None, profile_id: int | None,
                    decks: Sequence[DeckSummary], deck_id: int | None = None) -> None:
        """The collection, learner and decks; shows ``deck_id`` (or keeps the current one)."""
        self.collection = collection
        self.profile_id = profile_id
        box = self.view.deck_box
        keep = deck_id if deck_id is not None else box.currentData()
        box.blockSignals(True)
        box.clear()
        for d in decks:
            box.addItem(d.name, d.deck_id)
        index = box.findData(keep) if keep is not None else -1
        box.setCurrentIndex(index if index >= 0 else (0 if box.count() else -1))
        box.blockSignals(False)
        self.load_deck(box.currentData())

    def set_deck(self, deck_id: int, fact_key: str | None = None) -> None:
        """Read a deck (and go to one of its facts)."""
        box = self.view.deck_box
        index = box.findData(deck_id)
        if index >= 0 and index != box.currentIndex():
            box.setCurrentIndex(index)  # loads the deck
        elif index >= 0 and self.deck_id != deck_id:
            self.load_deck(deck_id)
        if fact_key is not None:
            fact = self._fact(fact_key)
            if fact is not None and self.deck is not None and fact.source_id and (
                    self.source is None or self.source.id != fact.source_id):
                self._choose_source(fact.source_id)
            self.show_fact(fact_key)

    def _deck_chosen(self, _index: int) -> None:
        self.load_deck(self.view.deck_box.currentData())

    def load_deck(self, deck_id: int | None) -> None:
        """Load a deck's articles and the learner's knowledge of its facts."""
        self.deck = None
        self.deck_id = deck_id
        self._builder = None
        self.selected = None
        sources = self.view.source_box
        sources.blockSignals(True)
        sources.clear()
        if deck_id is not None and self.collection is not None:
            from quizapp.services.decks import stored_card_ids

            self.deck = self.collection.load_deck(deck_id)
            self._card_ids = stored_card_ids(self.collection, self.deck.id, self.profile_id)
            for src in self.deck.sources:
                sources.addItem(src.title, src.id)
        sources.setCurrentIndex(0 if sources.count() else -1)
        sources.setVisible(sources.count() > 1)
        sources.blockSignals(False)
        self.refresh()

    def _choose_source(self, source_id: str) -> None:
        index = self.view.source_box.findData(source_id)
        if index >= 0:
            self.view.source_box.setCurrentIndex(index)

    def _source_chosen(self, _index: int) -> None:
        self.selected = None
        self.refresh()

    def refresh(self) -> None:
        """Recolour the article from the database (after study or an edit)."""
        v = self.view
        deck = self.deck
        source_id = v.source_box.currentData()
        self.source = deck.source(source_id) if deck is not None else None
        if deck is not None and self.collection is not None and self.profile_id is not None:
            from quizapp.browse import FactQuery, search_facts

            rows = search_facts(self.collection, self.profile_id,
                                FactQuery(deck_id=self.deck_id), self.clock())
            self._summaries = {r.key: r for r in rows}
        else:
            self._summaries = {}
        self._spans = self._make_spans()
        counts: dict[str, int] = {}
        for span in self._spans:
            counts[span.level] = counts.get(span.level, 0) + 1
        v.legend.restyle(counts if self._spans else None)
        self._fill_fact_box()
        if self.source is None:
            v.article_title.setText(deck.name if deck is not None else "")
            v.article_meta.setText("")
            v.browser.clear()
            v.browser.hide()
            v.empty.setText(
                "This deck has no article: its notes are plain questions and answers."
                if deck is not None else "No deck to read. Import or create one first.")
            v.empty.show()
            v.add_from_selection.setEnabled(False)
        else:
            v.empty.hide()
            v.browser.show()
            v.article_title.setText(self.source.title)
            meta = [p for p in (self.source.author, self.source.published and
                                f"published {self.source.published}") if p]
            n = len(self._spans)
            meta.append("1 fact" if n == 1 else f"{n} facts")
            v.article_meta.setText(" · ".join(str(m) for m in meta))
            self._render()
            v.add_from_selection.setEnabled(True)
        if self.selected is not None and self._fact(self.selected) is not None:
            self._show_details(self.selected)
        else:
            self._clear_details()

    def _make_spans(self) -> list[Span]:
        if self.deck is None or self.source is None:
            return []
        out = []
        for f in self.deck.facts:
            if f.source_id != self.source.id or f.start is None or f.end is None:
                continue
            summary = self._summaries.get(f.id)
            level = summary.level.value if summary is not None else "new"
            words = " ".join(f.text.split())
            if len(words) > 48:
                words = words[:47] + "…"
            out.append(Span(f.id, f.start, f.end, level,
                            f"{KIND_LABELS.get(f.kind.value, f.kind.value)}: {words}"))
        out.sort(key=lambda s: (s.start, -s.end))
        return out

    def _fill_fact_box(self) -> None:
        box = self.view.fact_box
        box.blockSignals(True)
        box.clear()
        for span in self._spans:
            box.addItem(span.label, span.key)
        box.setCurrentIndex(box.findData(self.selected) if self.selected else -1)
        box.setEnabled(bool(self._spans))
        box.blockSignals(False)

    def _render(self) -> None:
        assert self.source is not None
        browser = self.view.browser
        bar = browser.verticalScrollBar().value()
        browser.setHtml(article_html(self.source.text, self._spans, self.selected))
        browser.verticalScrollBar().setValue(bar)

    def highlighted_keys(self) -> list[str]:
        """The facts highlighted in the article on show (for tests)."""
        return self.view.browser.highlighted_keys()

    def spans(self) -> list[Span]:
        """The facts of the article on show with their levels."""
        return list(self._spans)

    # ------------------------------------------------------------------ a fact

    def _fact(self, key: str) -> Fact | None:
        if self.deck is None:
            return None
        try:
            return self.deck.fact(key)
        except KeyError:
            return None

    def _fact_chosen(self, index: int) -> None:
        key = self.view.fact_box.itemData(index)
        if key:
            self.show_fact(str(key))

    def show_fact(self, key: str) -> None:
        """Select a fact: mark it in the article and show its questions and history."""
        fact = self._fact(key)
        if fact is None:
            return
        self.selected = key
        if self.source is not None and fact.source_id == self.source.id:
            self._render()
            if fact.start is not None and fact.end is not None:
                self.view.browser.select_span(fact.start, fact.end)
                cursor = self.view.browser.textCursor()
                cursor.clearSelection()
                cursor.setPosition(fact.start)
                self.view.browser.setTextCursor(cursor)
                self.view.browser.ensureCursorVisible()
        box = self.view.fact_box
        box.blockSignals(True)
        box.setCurrentIndex(box.findData(key))
        box.blockSignals(False)
        self._show_details(key)
        self.fact_shown.emit(key)

    def _clear_details(self) -> None:
        v = self.view
        v.fact_title.setText("Click a highlighted fact to see its questions and history.")
        v.fact_meta.setText("")
        v.fact_media.clear()
        v.questions.setText("")
        v.history_model.set_entries([])
        v.history.hide()
        v.history_empty.hide()
        v.set_fact_actions(False)

    def _show_details(self, key: str) -> None:
        from quizapp.browse import review_history

        fact = self._fact(key)
        if fact is None:
            self._clear_details()
            return
        v = self.view
        summary = self._summaries.get(key)
        level = summary.level.value if summary is not None else "new"
        lc = level_color(level)
        v.fact_title.setText(fact_title(fact))
        chip = (f"<span style='background-color:{lc.background}; color:{lc.foreground};'>"
                f"&nbsp;{LEVEL_LABELS.get(level, level)}&nbsp;</span>")
        v.fact_meta.setText(f"{html.escape(KIND_LABELS.get(fact.kind.value, ''))} · "
                            f"<code>{html.escape(fact.id)}</code> · {chip}")
        from quizapp.gui.controllers.media import show_fact_media

        show_fact_media(v.fact_media, self.collection, self.deck_id, fact.id, autoplay=False)
        v.questions.setText(questions_html(self.questions_for(key)))
        entries = []
        if summary is not None and self.collection is not None and self.profile_id is not None:
            entries = review_history(self.collection, self.profile_id,
                                     fact_row_id=summary.fact_row_id)
        v.history_model.set_entries(entries)
        v.history.setVisible(bool(entries))
        v.history_empty.setVisible(not entries)
        v.set_fact_actions(True)

    def questions_for(self, key: str) -> list[Question]:
        """One generated question per family of forms of the fact (its one card's id)."""
        from quizapp.questions.generate import QuestionBuilder

        if self.deck is None:
            return []
        if self._builder is None:
            self._builder = QuestionBuilder(self.deck)
        out = []
        for family in self._builder.families_for(key):
            card_id = self._card_ids[key][0] if key in self._card_ids else key
            question = self._builder.build(card_id, key, family, random.Random(f"{key}/{family}"))
            if question is not None:
                out.append(question)
        return out

    # ------------------------------------------------------------------ actions

    def _edit(self) -> None:
        if self.selected is not None and self.deck_id is not None:
            self.edit_requested.emit(self.deck_id, self.selected)

    def _browse(self) -> None:
        if self.selected is not None and self.deck_id is not None:
            self.browse_requested.emit(self.deck_id, self.selected)

    def add_from_selection(self) -> None:
        """Start a new fact from the words selected in the article."""
        if self.source is None or self.deck_id is None:
            return
        span = self.view.browser.selection_span()
        if span is None:
            self.status_message.emit("Select the fact's words in the article first.")
            self.view.browser.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        start, end = span
        text = self.source.text[start:end]
        stripped = text.strip()
        start += len(text) - len(text.lstrip())
        end = start + len(stripped)
        initial: dict[str, Any] = {"kind": guess_kind(stripped), "source": self.source.id,
                                   "text": stripped, "start": start, "end": end}
        kind = initial["kind"]
        if kind == "person":
            initial["name"] = stripped
        elif kind == "quote":
            initial["speaker"] = ""
        self.add_requested.emit(self.deck_id, initial)
