"""The article review screen: found facts accepted, edited, rejected or added, then a deck.

Real articles, real extraction off the GUI thread, a real SQLite database in
the test's QUIZAPP_HOME; what is stored is read back with plain sqlite3.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from quizapp.extract import read_article
from quizapp.gui.controllers.article_review_panel import (
    ArticleReviewPanel,
    open_article_review,
)
from quizapp.gui.main_window import MainWindow
from quizapp.gui.views.article_review_view import ArticleReviewView
from quizapp.gui.views.fact_editor import FactEditorDialog
from tests.gui.conftest import WAIT_MS, query

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "tests" / "extraction_eval" / "articles"
STAMPEDE = ARTICLES / "stampede.txt"
TAXES = ARTICLES / "taxes.txt"


def open_review(window: MainWindow, qtbot: QtBot, path: Path) -> ArticleReviewPanel:
    """The review screen on ``path``, its facts found."""
    assert window.library is not None
    panel = open_article_review(window.library.collection, path, window)
    qtbot.waitUntil(lambda: panel.review is not None, timeout=WAIT_MS)
    qtbot.waitExposed(panel.view, timeout=WAIT_MS)
    panel.view.activateWindow()
    return panel


def closed(widget: QWidget) -> bool:
    """Whether a window closed (windows opened with WA_DeleteOnClose are gone)."""
    return not shiboken6.isValid(widget) or not widget.isVisible()


def row_of(panel: ArticleReviewPanel, fact_id: str) -> int:
    row = panel.view.model.row_of(fact_id)
    assert row >= 0, fact_id
    return row


def deck_count(home: Path) -> int:
    return int(query(home, "SELECT count(*) FROM deck")[0][0])  # type: ignore[call-overload]


def editor(panel: ArticleReviewPanel, qtbot: QtBot) -> FactEditorDialog:
    qtbot.waitUntil(lambda: panel.editor is not None and panel.editor.isVisible(), timeout=WAIT_MS)
    assert panel.editor is not None
    return panel.editor


def set_field(dialog: FactEditorDialog, key: str, text: str) -> None:
    field = dialog.fields[key]
    field.setText(text)  # type: ignore[attr-defined]


def test_doubtful_facts_come_first_with_their_reason(window: MainWindow, qtbot: QtBot) -> None:
    panel = open_review(window, qtbot, STAMPEDE)
    view = panel.view
    review = panel.review
    assert review is not None
    doubtful = [it.fact for it in review.items if it.fact.level == "check"]
    ready = [it.fact for it in review.items if it.fact.level == "ready"]
    assert len(doubtful) == 4 and len(ready) == 3
    rows = view.model.rows()
    # The facts marked check are listed first, marked "Check first".
    assert [r.fact_id for r in rows[: len(doubtful)]] == [f.id for f in doubtful]
    assert all(r.status == "check" for r in rows[: len(doubtful)])
    assert view.model.data(view.model.index(0, 0)) == "Check first"
    # Selecting one shows its reason beside the evidence sentence.
    view.select_row(0)
    qtbot.waitUntil(lambda: view.doubt.isVisible(), timeout=WAIT_MS)
    assert doubtful[0].reasons[0] in view.doubt.text()
    assert view.sentence.text()
    ready_row = row_of(panel, "n-muslim-pilgrims")
    view.select_row(ready_row)
    qtbot.waitUntil(lambda: not view.doubt.isVisible(), timeout=WAIT_MS)
    # The tally and the coloured chips count the same groups.
    tally = view.counts.text()
    assert "4 to check first" in tally and "3 to decide" in tally
    chips = {s: view.legend.labels[s].text() for s in ("check", "undecided")}
    assert "Check first 4" in chips["check"] and "To decide 3" in chips["undecided"]
    # Accept all leaves them to the teacher; deciding one by hand takes it out of the group.
    assert view.accept_all.isEnabled()
    qtbot.mouseClick(view.accept_all, Qt.MouseButton.LeftButton)
    assert all(review.item(f.id).decision.value == "undecided" for f in doubtful)
    assert "4 to check first" in view.counts.text() and "3 accepted" in view.counts.text()
    assert view.message.text() == "Accepted 3 ready facts; 3 accepted in all."
    # No ready fact is left to decide: the button has nothing more to do.
    assert not view.accept_all.isEnabled()
    view.select_row(row_of(panel, doubtful[0].id))
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_A)
    assert review.item(doubtful[0].id).decision.value == "accepted"
    assert "3 to check first" in view.counts.text() and "4 accepted" in view.counts.text()
    assert "Check first 3" in view.legend.labels["check"].text()
    # The window fits a 1366×768 screen (with room for a taskbar).
    hint = view.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 728


def test_review_and_create_a_deck(window: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    decks_before = deck_count(quizapp_home)
    panel = open_review(window, qtbot, STAMPEDE)
    view = panel.view
    review = panel.review
    assert review is not None
    article = read_article(STAMPEDE).text
    assert review.source.text == article
    found = [it.fact.id for it in review.items]
    assert len(found) == 7 and review.counts().needs_editing == 0
    doubtful = {it.fact.id for it in review.items if it.fact.level == "check"}
    assert doubtful == {
        "n-pillars",
        "n-security-personnel",
        "n-pilgrims",
        "d-not-first-time-deadly",
    }
    # Every found fact is highlighted, and the article is the browser's text exactly.
    assert sorted(panel.highlighted_keys()) == sorted(found)
    assert view.browser.toPlainText() == article.rstrip("\n")  # Qt drops the last newline
    assert view.name_edit.text() == "Hundreds dead in Hajj stampede"
    assert view.id_edit.text() == "hundreds-dead-in-hajj-stampede"

    # Accept all takes the ready facts only, then reject two with the keyboard.
    qtbot.mouseClick(view.accept_all, Qt.MouseButton.LeftButton)
    assert review.counts().accepted == 3
    assert all(review.item(fid).decision.value == "undecided" for fid in doubtful)
    for fid in ("n-people", "q-ministry-over-345-muslim"):
        view.select_row(row_of(panel, fid))
        view.table.setFocus()
        qtbot.keyClick(view.table, Qt.Key.Key_R)
        assert review.item(fid).decision.value == "rejected"
    assert review.counts().accepted == 1 and review.counts().rejected == 2
    # Accept all again: an explicit rejection is never overridden.
    assert not view.accept_all.isEnabled()
    assert panel.accept_all() == 1
    assert review.item("n-people").decision.value == "rejected"
    assert review.item("q-ministry-over-345-muslim").decision.value == "rejected"
    assert review.counts().accepted == 1 and review.counts().rejected == 2

    # Edit one: an invalid value is refused inline and nothing changes, then a valid one.
    view.select_row(row_of(panel, "n-pilgrims"))
    qtbot.keyClick(view.table, Qt.Key.Key_E)
    dialog = editor(panel, qtbot)
    assert dialog.fact is not None and dialog.fact.id == "n-pilgrims"
    set_field(dialog, "value", "1.4 thousand")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    shown = dialog.shown_problems()
    assert "value" in shown and "expected a number" in shown["value"]
    assert dialog.isVisible()
    assert review.item("n-pilgrims").fact.value == 1426.0
    assert review.item("n-pilgrims").origin == "found"
    assert deck_count(quizapp_home) == decks_before
    set_field(dialog, "value", "1,426")
    set_field(dialog, "counts", "pilgrims trampled in the 1991 stampede")
    set_field(dialog, "stem", "How many pilgrims were trampled during the 1991 Hajj?")
    dialog.try_save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    edited = review.item("n-pilgrims")
    assert edited.origin == "edited" and edited.decision.value == "accepted"
    assert edited.fact.counts == "pilgrims trampled in the 1991 stampede"
    assert view.model.row_at(row_of(panel, "n-pilgrims")).status == "accepted"  # type: ignore[union-attr]

    # Add a missing fact from a selection in the article: "Last week" (a date).
    start = article.index("Last week")
    end = start + len("Last week")
    view.browser.select_span(start, end)
    assert view.browser.selection_span() == (start, end)
    view.browser.setFocus()
    qtbot.keyClick(view.browser, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = editor(panel, qtbot)
    assert dialog.fact is None
    assert dialog.field_text("text") == "Last week"
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("date"))  # the kind is chosen
    set_field(dialog, "value", "2006-01")
    set_field(dialog, "stem", "When did the Al-Ghaza Hotel near the Grand Mosque collapse?")
    set_field(dialog, "event", "The Al-Ghaza Hotel collapses")
    dialog.try_save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    added = [it for it in review.items if it.origin == "added"]
    assert len(added) == 1
    added_id = added[0].fact.id
    assert added[0].fact.start == start and added[0].fact.end == end
    assert added_id in panel.highlighted_keys()
    counts = review.counts()
    assert counts.accepted == 3 and counts.added == 1  # a ready one, the edited, the added
    assert "3 facts" in view.create_button.text()

    # Create the deck.
    view.name_edit.setText("Hajj stampede (checked)")
    view.id_edit.setText("hajj-stampede")
    with qtbot.waitSignal(panel.deck_created, timeout=WAIT_MS) as created:
        qtbot.mouseClick(view.create_button, Qt.MouseButton.LeftButton)
    deck_row_id = created.args[0]
    assert panel.created_deck_id == deck_row_id
    qtbot.waitUntil(lambda: closed(view), timeout=WAIT_MS)

    (deck,) = query(quizapp_home, "SELECT id, key, name FROM deck WHERE key = ?", "hajj-stampede")
    assert deck[0] == deck_row_id and deck[2] == "Hajj stampede (checked)"
    rows = query(
        quizapp_home,
        'SELECT f.key, f.kind, f.text, f.start, f."end", f.value_text, f.value_num, '
        "f.counts, f.stem, s.text FROM fact f JOIN source s ON s.id = f.source_id "
        "WHERE f.deck_id = ? AND f.retired = 0",
        deck_row_id,
    )
    by_key = {r[0]: r for r in rows}
    assert len(rows) == 2 + 1  # accepted (one ready, one edited) + added
    rejected = {"n-people", "q-ministry-over-345-muslim"}
    assert set(by_key) == (set(found) - rejected - doubtful) | {"n-pilgrims", added_id}
    for key, _kind, text, s, e, *_rest, source_text in rows:
        assert source_text == article
        assert source_text[s:e] == text, key  # spans exact
    pilgrims = by_key["n-pilgrims"]
    assert pilgrims[6] == 1426 and pilgrims[7] == "pilgrims trampled in the 1991 stampede"
    assert pilgrims[8] == "How many pilgrims were trampled during the 1991 Hajj?"
    new = by_key[added_id]
    assert (new[1], new[2], new[3], new[4], new[5]) == ("date", "Last week", start, end, "2006-01")
    assert deck_count(quizapp_home) == decks_before + 1
    # Every profile has cards for the new facts.
    cards = query(
        quizapp_home,
        "SELECT count(*) FROM card c JOIN fact f ON f.id = c.fact_id WHERE f.deck_id = ?",
        deck_row_id,
    )[0][0]
    assert cards == 3  # one card (memory) per fact


def test_a_refused_deck_stores_nothing(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path
) -> None:
    decks_before = deck_count(quizapp_home)
    panel = open_review(window, qtbot, STAMPEDE)
    view = panel.view
    # Nothing accepted yet: refused.
    assert not panel.create_deck()
    assert "no fact is accepted" in view.deck_error.text()
    panel.accept_all()
    # A bad id, then the id of a stored deck, then an empty name: each refused, nothing stored.
    view.id_edit.setText("bad id!")
    assert not panel.create_deck()
    assert "Deck id" in view.deck_error.text()
    view.id_edit.setText("seed")
    assert not panel.create_deck()
    assert "exists already" in view.deck_error.text()
    view.id_edit.setText("stampede")
    view.name_edit.setText("   ")
    assert not panel.create_deck()
    assert "Deck name: must not be empty" in view.deck_error.text()
    assert deck_count(quizapp_home) == decks_before
    assert view.isVisible()
    view.name_edit.setText("Stampede")
    assert panel.create_deck()
    assert deck_count(quizapp_home) == decks_before + 1
    assert not view.deck_error.isVisible()


def test_a_fact_that_needs_editing_is_accepted_once_fixed(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path
) -> None:
    panel = open_review(window, qtbot, TAXES)
    review = panel.review
    assert review is not None
    fid = "p-nunzio-galantino"
    assert review.item(fid).needs_editing
    assert panel.view.model.row_at(row_of(panel, fid)).status == "needs"  # type: ignore[union-attr]
    # Accept all leaves it undecided; accepting it opens the editor with the problem inline.
    panel.accept_all()
    assert review.item(fid).decision.value == "undecided"
    panel.select_fact(fid)
    assert not panel.accept()
    dialog = editor(panel, qtbot)
    assert "role" in dialog.shown_problems()
    assert "missing" in dialog.shown_problems()["role"]
    set_field(dialog, "role", "Secretary General of the Italian Bishops' Conference")
    dialog.try_save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    item = review.item(fid)
    assert item.decision.value == "accepted" and not item.needs_editing
    assert item.fact.role == "Secretary General of the Italian Bishops' Conference"


def test_cancel_while_finding_facts_stores_nothing(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizapp.importers.article as article_mod

    release = threading.Event()
    real = article_mod.extract_article

    def slow(path: Path, progress: object = None) -> object:
        release.wait(WAIT_MS / 1000)
        return real(path, progress)  # type: ignore[arg-type]

    monkeypatch.setattr(article_mod, "extract_article", slow)
    decks_before = deck_count(quizapp_home)
    assert window.library is not None
    panel = open_article_review(window.library.collection, STAMPEDE, window)
    view = panel.view
    qtbot.waitExposed(view, timeout=WAIT_MS)
    assert view.progress_card.isVisible() and not view.splitter.isVisible()
    assert panel.busy()
    messages: list[str] = []
    panel.status_message.connect(messages.append)
    qtbot.mouseClick(view.cancel_extraction, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: closed(view), timeout=WAIT_MS)
    assert any("nothing was stored" in m for m in messages)
    assert deck_count(quizapp_home) == decks_before


def test_an_unreadable_article_says_why(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    bad = tmp_path / "notes.pdf"
    bad.write_bytes(b"%PDF-1.4")
    assert window.library is not None
    panel = open_article_review(window.library.collection, bad, window)
    with qtbot.waitSignal(panel.extraction_finished, timeout=WAIT_MS):
        pass
    assert panel.review is None and panel.error is not None
    assert "notes.pdf" in panel.view.progress_label.text()
    assert not panel.view.create_button.isEnabled()
    panel.view.force_close()


def test_add_needs_a_selection_and_every_control_is_named(window: MainWindow, qtbot: QtBot) -> None:
    panel = open_review(window, qtbot, STAMPEDE)
    view = panel.view
    view.browser.show_span(0)  # no selection
    assert panel.add_from_selection() is None
    assert "Select the words" in view.message.text()
    for button in view.findChildren(QPushButton):
        assert button.accessibleName(), button.text()
    for edit in view.findChildren(QLineEdit):
        assert edit.accessibleName()
    for widget in (view.table, view.browser):
        assert widget.accessibleName()
    # Mnemonics: every action has a key of its own.
    texts = [
        b.text()
        for b in (
            view.accept_button,
            view.reject_button,
            view.edit_button,
            view.accept_all,
            view.reject_all,
            view.add_missing,
            view.create_button,
        )
    ]
    keys = [t[t.index("&") + 1].lower() for t in texts]
    labels = [w.text() for w in view.findChildren(QLabel) if w.buddy() is not None]
    keys += [t[t.index("&") + 1].lower() for t in labels]
    assert len(keys) == len(set(keys)), keys
    # The keyboard alone walks the list: A accepts and moves on.
    view.select_row(0)
    first = view.current_fact_id()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_A)
    assert panel.review is not None and first is not None
    assert panel.review.item(first).decision.value == "accepted"
    assert view.current_fact_id() != first
    # A decided review asks before it is thrown away.
    view.reject()
    qtbot.waitUntil(lambda: panel._confirm is not None, timeout=WAIT_MS)
    assert view.isVisible()
    panel._confirm.reject()  # type: ignore[union-attr]
    assert view.isVisible()
    view.force_close()


# --------------------------------------------------------------------------
# From the main window (File › New deck from article…, Import, drag and drop)

needs_window = pytest.mark.skipif(
    not hasattr(MainWindow, "new_deck_from_article"),
    reason="the review screen is not wired into main_window.py yet",
)


def review_windows(window: MainWindow) -> list[ArticleReviewView]:
    return [d for d in window.open_dialogs() if isinstance(d, ArticleReviewView)]


@needs_window
def test_new_deck_from_article_in_the_file_menu(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path
) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    assert "New deck from &article…" in [a.text() for a in file_menu.actions()]
    panel = window.new_deck_from_article(STAMPEDE)  # type: ignore[attr-defined]
    assert panel is not None
    qtbot.waitUntil(lambda: panel.review is not None, timeout=WAIT_MS)
    assert review_windows(window) == [panel.view]
    panel.accept_all()
    panel.view.id_edit.setText("stampede")
    assert panel.create_deck()
    qtbot.waitUntil(lambda: not review_windows(window), timeout=WAIT_MS)
    current = window.deck_page.current_deck()
    assert current is not None and current.key == "stampede"
    assert "Created the deck" in window.status.text()


@needs_window
def test_importing_or_dropping_an_article_opens_the_review(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path, tmp_path: Path
) -> None:
    before = deck_count(quizapp_home)
    window.import_deck(TAXES)
    qtbot.waitUntil(lambda: len(review_windows(window)) == 1, timeout=WAIT_MS)
    review_windows(window)[0].force_close()
    qtbot.waitUntil(lambda: not review_windows(window), timeout=WAIT_MS)
    article = tmp_path / "news.md"
    article.write_text("# Big news\n\n" + read_article(STAMPEDE).text, encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(article))])
    event = QDropEvent(
        QPointF(100, 100),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    qtbot.waitUntil(lambda: len(review_windows(window)) == 1, timeout=WAIT_MS)
    assert deck_count(quizapp_home) == before  # nothing is stored before the review
    review_windows(window)[0].force_close()


def test_offsets_survive_characters_outside_the_bmp(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    text = (
        "City news 🎉\nThe mayor 🏙️, John Smith, said on Tuesday, March 3, 2020, that the "
        "city 🌳 will build 3 new parks, which will cost $2 million.\n"
    )
    article = tmp_path / "emoji.txt"
    article.write_text(text, encoding="utf-8")
    panel = open_review(window, qtbot, article)
    assert panel.review is not None
    browser = panel.view.browser
    for it in panel.review.items:
        f = it.fact
        assert f.start is not None and f.end is not None
        browser.select_span(f.start, f.end)
        assert browser.textCursor().selectedText() == f.text, f.id
        assert browser.selection_span() == (f.start, f.end)
    panel.view.force_close()


def test_the_same_article_again_updates_its_deck(
        window: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    first = open_review(window, qtbot, STAMPEDE)
    qtbot.mouseClick(first.view.accept_all, Qt.MouseButton.LeftButton)
    assert first.create_deck()
    decks = deck_count(quizapp_home)
    stored = query(quizapp_home, "SELECT id, key, name FROM deck WHERE key = ?",
                   "hundreds-dead-in-hajj-stampede")
    assert len(stored) == 1
    again = open_review(window, qtbot, STAMPEDE)
    view = again.view
    # The stored deck is offered (its id, not "…-2"), and the screen says so.
    assert view.id_edit.text() == "hundreds-dead-in-hajj-stampede"
    assert view.name_edit.text() == "Hundreds dead in Hajj stampede"
    assert "is already the deck \u201cHundreds dead in Hajj stampede\u201d" in view.intro.text()
    qtbot.mouseClick(view.accept_all, Qt.MouseButton.LeftButton)
    assert again.create_deck()
    assert deck_count(quizapp_home) == decks
    assert again.created_deck_id == stored[0][0]


def test_a_stored_decks_pending_facts_are_reviewed_and_saved(
        window: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    """``import --accept-all`` stored the facts marked check as pending; the review screen
    opens them from the deck menu, check first with their reasons. Accept all accepts
    only what is ready and never overrides a rejection; saving makes the accepted facts
    studied (their cards made), drops the rejected ones, and leaves the rest pending."""
    from quizapp.importers.article import load_article
    from quizapp.services.held import held_facts

    assert window.library is not None
    col = window.library.collection
    result = load_article(STAMPEDE, accept_all=True)
    deck_id = col.import_deck(result.deck).deck_id
    key = result.deck.id
    window.refresh_decks()
    window.deck_page.select_deck(deck_id)
    pending = {f.id for f in held_facts(col, key, "pending")}
    assert pending == {"n-pillars", "n-security-personnel", "n-pilgrims", "d-not-first-time-deadly"}
    window._update_pending_action()
    assert window.act_review_pending.isEnabled()
    assert window.act_review_pending.text() == "Review &pending facts (4)…"

    panel = window.review_pending()
    assert panel is not None and panel.review is not None
    qtbot.waitExposed(panel.view, timeout=WAIT_MS)
    view, review = panel.view, panel.review
    rows = view.model.rows()
    assert {r.fact_id for r in rows} == pending
    assert all(r.status == "check" for r in rows)  # every one marked check …
    assert all(it.fact.reasons for it in review.items)  # … with its reason
    assert view.create_button.text() == "Save decisions"
    assert view.width() <= 1366 and view.height() <= 768
    # Every pending fact is marked check, so Accept all has nothing to accept.
    assert not view.accept_all.isEnabled()

    # Reject one; correct another so that its question passes the stem gate (ready,
    # accepted); Accept all then accepts nothing more and keeps the rejection.
    view.select_row(row_of(panel, "n-pillars"))
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_R)
    view.select_row(row_of(panel, "n-pilgrims"))
    qtbot.keyClick(view.table, Qt.Key.Key_E)
    dialog = editor(panel, qtbot)
    set_field(dialog, "counts", "pilgrims trampled in the 1991 stampede")
    set_field(dialog, "stem", "How many pilgrims were trampled during the 1991 Hajj?")
    dialog.try_save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert review.item("n-pilgrims").decision.value == "accepted"
    assert review.item("n-pilgrims").fact.level == "ready"
    assert not view.accept_all.isEnabled()
    assert panel.accept_all() == 1
    assert review.item("n-pillars").decision.value == "rejected"
    assert review.item("n-security-personnel").decision.value == "undecided"  # still check
    assert review.counts().accepted == 1 and review.counts().rejected == 1

    qtbot.mouseClick(view.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(view), timeout=WAIT_MS)
    assert {f.id for f in held_facts(col, key, "pending")} == {
        "n-security-personnel", "d-not-first-time-deadly"}
    stored = {f.id: f for f in col.load_deck(key, include_held=True).facts}
    assert "n-pillars" not in stored
    assert stored["n-pilgrims"].hold is None
    assert stored["n-pilgrims"].counts == "pilgrims trampled in the 1991 stampede"
    cards = query(quizapp_home, "SELECT count(*) FROM card c JOIN fact f ON f.id = c.fact_id "
                  "WHERE f.key = 'n-pilgrims' AND f.deck_id = ?", deck_id)
    assert cards == [(1,)]  # the Student's card: it is studied now
    window._update_pending_action()
    assert window.act_review_pending.text() == "Review &pending facts (2)…"
