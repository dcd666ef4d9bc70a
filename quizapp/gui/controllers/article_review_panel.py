"""Behaviour of the article review: find facts off the GUI thread, decide on each, create the deck.

The facts are found by :func:`quizapp.importers.article.extract_article` on a
pool thread (a :class:`quizapp.gui.tasks.TaskRunner` of the panel's own, so a
long extraction never holds up imports), with its progress and a Cancel button
on the screen itself. Every decision is kept in a Qt-free
:class:`~quizapp.importers.article.ArticleReview`; edits and added facts are
checked by the deck loader (the same messages an import of the deck file
would give, shown under the editor's fields), and "Create deck" validates the
accepted facts as one deck and stores it with :meth:`Collection.import_deck`
in one transaction: all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from quizapp.gui.tasks import TaskRunner, TaskWorker
from quizapp.gui.views.article_review_view import (
    STATUS_LABELS,
    ArticleReviewView,
    ReviewRow,
    Span,
    review_html,
)

if TYPE_CHECKING:
    from quizapp.facts.deckfile import Problem
    from quizapp.facts.model import Deck, Fact
    from quizapp.gui.tasks import Progress
    from quizapp.gui.views.fact_editor import FactEditorDialog
    from quizapp.importers.article import ArticleReview, ReviewItem
    from quizapp.services.collection import Collection


def detail_text(fact: Fact) -> str:
    """A date's or number's value, a quote's speaker, a person's name and role."""
    from quizapp.browse import number_text

    kind = fact.kind.value
    if kind == "date":
        value = str(fact.value or "")
        return f"{value} (no year)" if value.startswith("--") else value
    if kind == "number":
        if not isinstance(fact.value, int | float):
            return ""
        plain = number_text(float(fact.value))
        number = f"{plain:,}" if isinstance(plain, int) else f"{plain:g}"
        unit = fact.unit or ""
        if unit and unit != "%":
            number = f"{number} {unit}"
        elif unit:
            number += unit
        out = f"{fact.qualifier} {number}" if fact.qualifier else number
        return f"{out} · {fact.counts}" if fact.counts else out
    if kind == "quote":
        who = fact.speaker or "no speaker"
        return f"{who} (reported)" if fact.reported else who
    if kind == "person":
        return f"{fact.name}, {fact.role}" if fact.role else (fact.name or "")
    return fact.back or ""


def status_of(item: ReviewItem) -> str:
    """The decision as the screen colours it: check (undecided, doubted by the
    extractor), undecided, accepted, rejected or needs (editing)."""
    value = item.decision.value
    if value == "undecided" and item.needs_editing:
        return "needs"
    if value == "undecided" and item.fact.level == "check":
        return "check"
    return value


def review_order(items: list[ReviewItem]) -> list[ReviewItem]:
    """Doubt first: the undecided facts marked check, then the others, each in article order."""
    return sorted(items, key=lambda it: 0 if status_of(it) == "check" else 1)


class ArticleReviewPanel(QObject):
    """The review screen's controller; ``view`` is the window to show.

    The panel is owned by its view: closing the view (which the main window
    opens with ``WA_DeleteOnClose``) ends both and cancels a running extraction.
    """

    deck_created = Signal(int)  # the stored deck's id
    status_message = Signal(str)
    extraction_finished = Signal()  # the facts are on show (or the article could not be read)

    def __init__(
        self, collection: Collection, path: str | Path, parent: QWidget | None = None
    ) -> None:
        super().__init__()
        self.view = ArticleReviewView(parent)
        self.setParent(self.view)
        self.collection = collection
        self.path = Path(path)
        self.review: ArticleReview | None = None
        self.error: Exception | None = None
        self.created_deck_id: int | None = None
        self.created_deck: Deck | None = None
        #: The stored deck made from this article before (its id): creating updates it.
        self.updates_key: str | None = None
        self.editor: FactEditorDialog | None = None  # the last editor opened (tests, scripts)
        self.tasks = TaskRunner(self)
        self.worker: TaskWorker | None = None
        self._selected: str | None = None
        self._dirty = False
        #: The stored deck whose pending facts are under review (None: a new article).
        self.pending_key: str | None = None
        self._renamed: dict[str, str] = {}  # an edited fact's new id → the id it had
        self._confirm: QMessageBox | None = None
        v = self.view
        v.intro.setText(f"Finding the facts of {self.path.name}…")
        v.cancel_extraction.clicked.connect(self.cancel)
        v.table.selectionModel().currentRowChanged.connect(self._row_changed)
        v.table.accept_pressed.connect(lambda: self.accept())
        v.table.reject_pressed.connect(lambda: self.reject())
        v.table.edit_pressed.connect(lambda: self.edit())
        v.table.doubleClicked.connect(lambda _i: self.edit())
        v.accept_button.clicked.connect(lambda: self.accept())
        v.reject_button.clicked.connect(lambda: self.reject())
        v.edit_button.clicked.connect(lambda: self.edit())
        v.accept_all.clicked.connect(self.accept_all)
        v.reject_all.clicked.connect(self.reject_all)
        v.add_missing.clicked.connect(lambda: self.add_from_selection())
        v.shortcut_add.activated.connect(lambda: self.add_from_selection())
        v.create_button.clicked.connect(lambda: self.create_deck())
        v.shortcut_create.activated.connect(lambda: self.create_deck())
        v.shortcut_create_enter.activated.connect(lambda: self.create_deck())
        v.fact_clicked.connect(self.select_fact)
        v.browser.selectionChanged.connect(self._selection_changed)
        v.close_requested.connect(self._ask_discard)
        v.finished.connect(self._closed)
        v.show_fact(None)
        self._selection_changed()

    # ------------------------------------------------------------------ finding facts

    def start(self) -> None:
        """Find the article's facts on a pool thread; the screen shows progress meanwhile."""
        from quizapp.importers.article import extract_article

        path = self.path
        label = f"Finding dates, numbers, quotes and people in {path.name}…"
        self.view.set_busy(True)
        self.view.set_progress(0, 0, label)

        def job(progress: Progress) -> ArticleReview:
            return extract_article(path, lambda done, total: progress(done, total, label))

        self.worker = self.tasks.start(job, self._found, self._failed, self._cancelled)
        self.worker.signals.progress.connect(self.view.set_progress)

    def busy(self) -> bool:
        """Whether facts are still being found."""
        return self.tasks.busy()

    def cancel(self) -> None:
        """Stop finding facts; the screen closes and nothing is stored."""
        if self.worker is not None and self.tasks.busy():
            self.worker.progress.cancel()
            self.view.progress_label.setText("Cancelling…")
            self.view.cancel_extraction.setEnabled(False)
        else:
            self.view.force_close()

    def _alive(self) -> bool:
        import shiboken6

        return shiboken6.isValid(self.view) and shiboken6.isValid(self)

    def _cancelled(self) -> None:
        if not self._alive():
            return
        self.status_message.emit(f"Stopped finding facts in {self.path.name}: nothing was stored.")
        self.view.force_close()

    def _failed(self, exc: Exception) -> None:
        from quizapp.extract import ArticleError

        if not self._alive():
            return
        self.error = exc
        reason = (
            str(exc)
            if isinstance(exc, ArticleError | OSError | ValueError)
            else f"{type(exc).__name__}: {exc}"
        )
        self.view.intro.setText("")
        self.view.show_failure(f"The facts of {self.path.name} could not be found: {reason}")
        self.status_message.emit(f"{self.path.name} could not be read as an article.")
        self.extraction_finished.emit()

    def _found(self, review: ArticleReview) -> None:
        if not self._alive():
            return
        self.review = review
        v = self.view
        v.set_busy(False)
        from quizapp.services.imports import deck_from_source

        earlier = deck_from_source(self.collection, review.source)
        if earlier is not None:  # the same article again: offer to update its deck
            self.updates_key, stored_name = earlier
            v.name_edit.setText(stored_name)
            v.id_edit.setText(self.updates_key)
        else:
            v.name_edit.setText(review.default_name)
            v.id_edit.setText(self._free_id(review.default_id))
        v.name_edit.setCursorPosition(0)
        v.id_edit.setCursorPosition(0)
        src = review.source
        v.article_title.setText(src.title)
        meta = [review.file_name]
        if src.published:
            meta.append(f"published {src.published}")
        n = len(review.items)
        meta.append("1 fact found" if n == 1 else f"{n} facts found")
        v.article_meta.setText(" · ".join(meta))
        if n:
            v.intro.setText(
                f"quizapp found these facts in {review.file_name} automatically. Check each "
                "against its sentence: accept it, correct it, or reject it; add what was "
                "missed; then create the deck. Only accepted facts go into the deck."
            )
        else:
            v.intro.setText(
                f"No dates, numbers, quotes or people were found in {review.file_name}. "
                "Select the words of a fact in the article and add it with Add missing fact."
            )
        if earlier is not None:
            v.intro.setText(
                v.intro.text() + f" This article is already the deck \u201c{earlier[1]}\u201d: "
                "creating the deck updates it, and every learner keeps their progress."
            )
        self.refresh()
        if n:
            v.select_row(0)
            v.table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            v.browser.setFocus(Qt.FocusReason.OtherFocusReason)
        counts = review.counts()
        if counts.needs_editing:
            v.show_message(
                f"{counts.needs_editing} of the facts need editing before they can "
                "be accepted (marked in red)."
            )
        self.status_message.emit(f"Found {n} facts in {review.file_name}: review them.")
        self.extraction_finished.emit()

    def _free_id(self, base: str) -> str:
        from quizapp.services.decks import deck_keys

        taken = deck_keys(self.collection)
        candidate, n = base, 2
        while candidate in taken:
            candidate = f"{base}-{n}"
            n += 1
        return candidate

    # ------------------------------------------------------------------ showing

    def rows(self) -> list[ReviewRow]:
        """What the list shows, one row per fact."""
        from quizapp.gui.controllers.browse_panel import fact_details, sentence_html

        if self.review is None:
            return []
        out = []
        for it in review_order(self.review.items):
            f = it.fact
            out.append(
                ReviewRow(
                    fact_id=f.id,
                    status=status_of(it),
                    origin=it.origin,
                    kind=f.kind.value,
                    words=f.text or f.front or "",
                    detail=detail_text(f),
                    stem=f.stem or "",
                    problems="\n".join(f"{p.field}: {p.message}" for p in it.problems),
                    start=f.start,
                    end=f.end,
                    sentence_html=sentence_html(f),
                    details=tuple(fact_details(f)),
                    reasons=f.reasons if f.level == "check" else (),
                )
            )
        return out

    def spans(self) -> list[Span]:
        """The highlighted facts, with their decision as the span's level."""
        if self.review is None:
            return []
        sid = self.review.source.id
        out = []
        for it in self.review.items:
            f = it.fact
            if f.source_id != sid or f.start is None or f.end is None:
                continue
            out.append(Span(f.id, f.start, f.end, status_of(it), f.text))
        out.sort(key=lambda s: (s.start, -s.end))
        return out

    def refresh(self) -> None:
        """Redraw the list, the tally and the article after a change."""
        review = self.review
        if review is None:
            return
        v = self.view
        v.set_rows(self.rows())
        c = review.counts()
        by_status: dict[str, int] = {}
        for it in review.items:
            key = status_of(it)
            by_status[key] = by_status.get(key, 0) + 1
        # The tally names the same groups as the coloured chips, so the two agree.
        parts = [
            f"{by_status.get(key, 0)} {label}"
            for key, label in (
                ("check", "to check first"),
                ("undecided", "to decide"),
                ("accepted", "accepted"),
                ("rejected", "rejected"),
                ("needs", "need editing"),
            )
            if by_status.get(key, 0) or key in ("accepted", "rejected", "undecided")
        ]
        v.set_counts(" · ".join(parts), by_status, c.accepted)
        # Accept all takes the ready facts still to decide: with none, it has nothing to do.
        v.accept_all.setEnabled(by_status.get("undecided", 0) > 0)
        v.browser.set_article(
            review.source.text, review_html(review.source.text, self.spans(), self._selected)
        )
        if self._selected is not None and review.index_of(self._selected) >= 0:
            row = v.model.row_of(self._selected)
            if row != v.table.currentIndex().row():
                v.select_row(row)
            v.show_fact(v.model.row_at(row))
        else:
            v.show_fact(None)
        v.allow_close = not self._dirty

    def highlighted_keys(self) -> list[str]:
        """The facts with a highlight in the article on show (tests)."""
        return self.view.browser.highlighted_keys()

    def select_fact(self, fact_id: str) -> None:
        """Make a fact current: in the list, in the article and in the evidence panel."""
        row = self.view.model.row_of(fact_id)
        if row >= 0:
            self.view.select_row(row)

    def current_fact_id(self) -> str | None:
        """The fact on the list's current row."""
        return self.view.current_fact_id()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.view.model.row_at(current.row()) if current.isValid() else None
        self._selected = row.fact_id if row is not None else None
        review = self.review
        if review is None:
            return
        v = self.view
        v.browser.set_article(
            review.source.text, review_html(review.source.text, self.spans(), self._selected)
        )
        if row is not None and row.start is not None:
            v.browser.show_span(row.start)
        v.show_fact(row)

    def _selection_changed(self) -> None:
        has = self.view.browser.selection_span() is not None
        self.view.add_hint.setText(
            "Adds the selected words as a new fact."
            if has
            else "Select the words of a missing fact in the article first."
        )

    # ------------------------------------------------------------------ deciding

    def _target(self, fact_id: str | None) -> str | None:
        fid = fact_id or self.current_fact_id()
        if fid is None or self.review is None or self.review.index_of(fid) < 0:
            return None
        return fid

    def accept(self, fact_id: str | None = None) -> bool:
        """Accept a fact (the current one by default); one that needs editing opens the editor."""
        from quizapp.importers.article import Decision

        fid = self._target(fact_id)
        if fid is None or self.review is None:
            return False
        item = self.review.item(fid)
        if item.needs_editing:
            self.view.show_message(
                "This fact does not pass the deck checks yet: correct what "
                "is marked and save it to accept it.",
                error=True,
            )
            self.edit(fid)
            return False
        self.review.decide(fid, Decision.ACCEPTED)
        self._changed(f"Accepted “{_short(item.fact.text or fid)}”.", advance_from=fid)
        return True

    def reject(self, fact_id: str | None = None) -> bool:
        """Reject a fact (the current one by default): it stays out of the deck."""
        from quizapp.importers.article import Decision

        fid = self._target(fact_id)
        if fid is None or self.review is None:
            return False
        item = self.review.decide(fid, Decision.REJECTED)
        self._changed(f"Rejected “{_short(item.fact.text or fid)}”.", advance_from=fid)
        return True

    def accept_all(self) -> int:
        """Accept every fact that passes the checks; how many are accepted now."""
        if self.review is None:
            return 0
        before = self.review.counts().accepted
        n = self.review.accept_all()
        left = self.review.counts().needs_editing
        message = f"Accepted {n - before} ready facts; {n} accepted in all."
        if left:
            message += f" {left} need editing before they can be accepted."
        self._changed(message)
        return n

    def reject_all(self) -> int:
        """Reject every fact (then accept the ones wanted)."""
        if self.review is None:
            return 0
        n = self.review.reject_all()
        self._changed(f"Rejected all {n} facts: accept the ones you want to keep.")
        return n

    def _changed(self, message: str, *, advance_from: str | None = None) -> None:
        self._dirty = True
        self.view.show_message(message)
        self.refresh()
        if advance_from is not None and advance_from == self.current_fact_id():
            row = self.view.model.row_of(advance_from)
            if row + 1 < self.view.model.rowCount():
                self.view.select_row(row + 1)

    # ------------------------------------------------------------------ editing

    def edit(self, fact_id: str | None = None) -> FactEditorDialog | None:
        """Open a fact in the fact editor; saving checks it with the deck loader and accepts it."""
        from quizapp.facts.deckfile import DeckFileError
        from quizapp.gui.views.fact_editor import FactEditorDialog

        fid = self._target(fact_id)
        review = self.review
        if fid is None or review is None:
            return None
        item = review.item(fid)

        def save(table: dict[str, Any]) -> Sequence[Problem]:
            try:
                saved = review.edit(fid, table)
            except DeckFileError as exc:
                return exc.problems
            self._selected = saved.fact.id
            if saved.fact.id != fid:  # the stored fact it stands for (pending facts)
                self._renamed[saved.fact.id] = self._renamed.pop(fid, fid)
            shown = _short(saved.fact.text or saved.fact.id)
            if saved.fact.level == "check":  # the stem gate, taken again on the edit
                self._changed(f"Saved “{shown}”, still to check: "
                              + "; ".join(saved.fact.reasons) + ".")
            else:
                self._changed(f"Saved and accepted “{shown}”.")
            return []

        dialog = FactEditorDialog(
            review.working_deck(self._deck_name()), item.fact, save, self.view
        )
        if item.problems:
            dialog.show_problems(item.problems)
        return self._open(dialog)

    def add_from_selection(self) -> FactEditorDialog | None:
        """Add a fact the extraction missed, from the words selected in the article."""
        from quizapp.facts.deckfile import DeckFileError
        from quizapp.gui.controllers.reader_panel import guess_kind
        from quizapp.gui.views.fact_editor import FactEditorDialog

        review = self.review
        if review is None:
            return None
        span = self.view.browser.selection_span()
        text = review.source.text
        words = text[span[0] : span[1]] if span is not None else ""
        if span is None or not words.strip():
            self.view.show_message(
                "Select the words of the missing fact in the article "
                "first, then choose Add missing fact.",
                error=True,
            )
            self.view.browser.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        start = span[0] + len(words) - len(words.lstrip())
        stripped = words.strip()
        end = start + len(stripped)
        kind = guess_kind(stripped)
        initial: dict[str, Any] = {
            "kind": kind,
            "source": review.source.id,
            "text": stripped,
            "start": start,
            "end": end,
        }
        if kind == "person":
            initial["name"] = stripped

        def save(table: dict[str, Any]) -> Sequence[Problem]:
            try:
                added = review.add(table)
            except DeckFileError as exc:
                return exc.problems
            self._selected = added.fact.id
            self._changed(f"Added and accepted “{_short(added.fact.text or added.fact.id)}”.")
            return []

        def suggest(kind: str, dialog: FactEditorDialog) -> str:
            from quizapp.gui.views.fact_editor import KIND_FIELDS

            for key in ("event", "counts", "name", "speaker", "front", "stem", "text"):
                if key in KIND_FIELDS.get(kind, ()) and dialog.field_text(key).strip():
                    return review.suggest_id(kind, dialog.field_text(key))
            return review.suggest_id(kind)

        dialog = FactEditorDialog(
            review.working_deck(self._deck_name()),
            None,
            save,
            self.view,
            initial=initial,
            suggest_id=suggest,
        )
        return self._open(dialog)

    def _open(self, dialog: FactEditorDialog) -> FactEditorDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.editor = dialog
        dialog.destroyed.connect(lambda *_: setattr(self, "editor", None))
        dialog.open()
        return dialog

    def _deck_name(self) -> str:
        return self.view.name_edit.text().strip() or (
            self.review.default_name if self.review is not None else ""
        )

    # ------------------------------------------------------------------ pending facts

    def open_pending(self, deck_key: str) -> None:
        """Show the facts of a stored deck that wait for a teacher (held *pending*).

        They are marked *check*, with their reasons, first; accepting, correcting
        and rejecting work as for a new article, and **Save decisions** stores
        them: accepted facts are studied from then on, rejected ones leave the
        deck, undecided ones stay pending (ValueError: none is pending).
        """
        from quizapp.importers.article import ArticleReview
        from quizapp.services.held import pending_review_deck

        deck = pending_review_deck(self.collection, deck_key)
        self.pending_key = deck_key
        self._found(ArticleReview(deck))
        v = self.view
        v.setWindowTitle(f"Pending facts of {deck.name}")
        n = len(deck.facts)
        v.intro.setText(
            f"{n} fact{'s' if n != 1 else ''} of “{deck.name}” "
            f"{'were' if n != 1 else 'was'} stored without review and "
            f"{'are' if n != 1 else 'is'} not studied until you accept "
            f"{'them' if n != 1 else 'it'}. Each is marked check with the reason: "
            "accept it, correct it, or reject it, then save your decisions. "
            "Facts you leave undecided stay pending."
        )
        v.name_edit.setText(deck.name)
        v.id_edit.setText(deck.id)
        v.name_edit.setEnabled(False)
        v.id_edit.setEnabled(False)
        v.create_button.setText("Save decisions")
        v.create_button.setToolTip("Store your decisions: accepted facts are studied, "
                                   "rejected ones leave the deck")
        v.add_missing.setEnabled(False)
        self.status_message.emit(f"{n} pending facts of “{deck.name}”: review them.")

    def _save_pending(self) -> bool:
        from quizapp.importers.article import Decision
        from quizapp.services.held import decide_pending

        review, key = self.review, self.pending_key
        assert review is not None and key is not None
        accepted = {self._renamed.get(it.fact.id, it.fact.id): it.fact for it in review.items
                    if it.decision is Decision.ACCEPTED}
        rejected = {self._renamed.get(it.fact.id, it.fact.id) for it in review.items
                    if it.decision is Decision.REJECTED}
        v = self.view
        try:
            done, gone = decide_pending(self.collection, key, accepted, rejected)
        except Exception as exc:  # the database may be locked or gone: nothing was stored
            v.show_deck_problems([f"The decisions could not be stored: {exc}"])
            v.show_message("Nothing was stored.", error=True)
            return False
        self._dirty = False
        left = len(review.items) - done - gone
        self.status_message.emit(
            f"Accepted {done} and rejected {gone} pending facts"
            + (f"; {left} still pending." if left else "."))
        from quizapp.services.held import deck_row_id

        deck_id = deck_row_id(self.collection, key)
        self.created_deck_id = deck_id
        if deck_id is not None:
            self.deck_created.emit(deck_id)
        v.allow_close = True
        v.accept()
        return True

    # ------------------------------------------------------------------ the deck

    def create_deck(self) -> bool:
        """Validate the accepted facts as a deck and store it (all or nothing); True if stored.

        For a stored deck's pending facts (:meth:`open_pending`), store the decisions.
        """
        from quizapp.facts.deckfile import DeckFileError, Problem
        from quizapp.services.decks import key_taken

        review = self.review
        if review is None or self.tasks.busy():
            return False
        if self.pending_key is not None:
            return self._save_pending()
        v = self.view
        name = " ".join(v.name_edit.text().split())
        deck_id = v.id_edit.text().strip()
        problems: list[Problem] = []
        updating = bool(deck_id) and deck_id == self.updates_key
        if deck_id and not updating and key_taken(self.collection, deck_id):
            problems.append(
                Problem(
                    f"{deck_id}.toml",
                    1,
                    "id",
                    f"a deck with id {deck_id!r} exists already; choose another id",
                )
            )
        try:
            deck = review.build_deck(deck_id, name)
        except DeckFileError as exc:
            problems.extend(
                p for p in exc.problems if not any(p.field == q.field for q in problems)
            )
        if problems:
            v.show_deck_problems(
                [f"{_FIELD_NAMES.get(p.field, p.field)}: {p.message}" for p in problems]
            )
            first = problems[0].field
            target = {"name": v.name_edit, "id": v.id_edit}.get(first, v.table)
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            v.show_message("The deck was not created: nothing was stored.", error=True)
            return False
        from quizapp.services.imports import ReplacementRefusedError, store_loaded

        try:
            if updating:  # the same refusal as any import that would retire most of a deck
                outcome = store_loaded(self.collection, self.path, deck)
                result_id = outcome.deck_id
            else:
                result_id = self.collection.import_deck(deck).deck_id
        except ReplacementRefusedError as refused:
            v.show_deck_problems(refused.warnings)
            v.show_message("The deck was not updated: nothing was stored.", error=True)
            return False
        except Exception as exc:  # the database may be locked or gone: nothing was stored
            v.show_deck_problems([f"The deck could not be stored: {exc}"])
            v.show_message("The deck was not created: nothing was stored.", error=True)
            return False
        v.show_deck_problems([])
        self.created_deck_id = result_id
        self.created_deck = deck
        self._dirty = False
        n = len(deck.facts)
        self.status_message.emit(
            f"{'Updated' if updating else 'Created'} the deck “{deck.name}” with {n} "
            f"fact{'s' if n != 1 else ''} from {review.file_name}."
        )
        self.deck_created.emit(result_id)
        v.allow_close = True
        v.accept()
        return True

    # ------------------------------------------------------------------ closing

    def _ask_discard(self) -> None:
        if self._confirm is not None:
            return
        counts = self.review.counts() if self.review is not None else None
        decided = (counts.accepted + counts.rejected) if counts is not None else 0
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Discard the review?",
            f"You decided on {decided} of the facts found in {self.path.name}. "
            + ("Close without saving your decisions? The facts stay pending."
               if self.pending_key is not None
               else "Close without creating a deck? Nothing is stored."),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self.view,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.button(QMessageBox.StandardButton.Cancel).setText("Keep reviewing")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._confirm = box

        def done(_result: int) -> None:
            self._confirm = None
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Discard:
                self.status_message.emit("Closed the review: no deck was created.")
                self.view.force_close()

        box.finished.connect(done)
        box.open()

    def _closed(self, _result: int) -> None:
        if self.tasks.busy():
            self.tasks.cancel_all()


_FIELD_NAMES = {
    "name": "Deck name",
    "id": "Deck id",
    "facts": "Facts",
    "description": "Description",
}


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def open_pending_review(
    collection: Collection, deck_key: str, parent: QWidget | None = None
) -> ArticleReviewPanel:
    """Open the review screen on a stored deck's pending facts (ValueError: none)."""
    from quizapp.services.held import pending_review_deck

    source = pending_review_deck(collection, deck_key).sources[0]
    panel = ArticleReviewPanel(collection, Path(source.file or source.title), parent)
    panel.open_pending(deck_key)
    return panel


def open_article_review(
    collection: Collection, path: str | Path, parent: QWidget | None = None
) -> ArticleReviewPanel:
    """Open the review screen for an article and start finding its facts."""
    panel = ArticleReviewPanel(collection, path, parent)
    panel.view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    panel.view.open()
    panel.start()
    return panel


__all__ = ["STATUS_LABELS", "ArticleReviewPanel", "detail_text", "open_article_review",
           "open_pending_review", "status_of"]
