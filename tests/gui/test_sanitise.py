"""Imported text on screen: shown literally, never interpreted, never fetched, never a freeze.

Two hostile decks go through the window: a CSV deck whose cards hold markup,
links and images pointing at a local HTTP server, a giant field and a very
long unbroken word; and the seed deck with names and a quote swapped for tags
of the same length (so every span stays valid and every question form —
choices, typed, cloze, timeline, who said, which quote — is built from them).
Every card is shown in every form it has, answered, and its feedback shown;
after each step the whole window is searched: no label, tool tip, message box
or text browser may carry deck markup as rich text, the HTTP server must see
no request, and the giant card must render fast without widening the window.
"""

from __future__ import annotations

import dataclasses
import http.server
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QMessageBox,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck
from quizapp.gui import safe_text
from quizapp.gui.main_window import MainWindow
from quizapp.questions.model import Form
from tests.conftest import SEED_DECK
from tests.gui.conftest import WAIT_MS

# Same length as what they replace, so the seed deck's spans stay valid.
SWAPS = {
    "Dmitry Peskov": "<b>EVIL</b>!!",
    "Hikmet Hajiyev": "<b>Evil</b> Ha",
    "Yes this is true": "<img src=/x.png>",
    "Grigory Karasin": "<font size=99>X",
    "Nikol Pashinyan": "<a href=x>N</a>",
}
GIANT = 120_000  # the CSV reader takes fields up to 128 KiB


class Probe(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared by the server's threads on purpose

    def do_GET(self) -> None:
        Probe.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Probe.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Probe)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def markers(url: str) -> list[str]:
    """Markup from the decks that must never reach Qt as markup."""
    return [*SWAPS.values(), "<b>INJECTED", f"<img src='{url}", f"<a href='{url}",
            "<img src=/y.png>", "<script>"]


def _csv(url: str) -> str:
    rows = [
        f"<b>INJECTED bold</b> front?,<img src='{url}/back.png'> back",
        f"<a href='{url}/link'>INJECTED link</a>?,<script>alert(1)</script>",
        f"Giant?,{'giant text ' * (GIANT // 11)}",
        f"{'W' * 5000}?,{'unbroken' * 800}",
        f"Lines?,\"{chr(10).join(f'line {i}' for i in range(500))}\"",
    ]
    return f"#separator:comma\n#deck:<b>INJECTED deck</b> <img src='{url}/deck.png'>\n" + (
        "\n".join(rows) + "\n")


def hostile_seed() -> Deck:
    deck = load_deck_file(SEED_DECK)

    def swap(value: object) -> object:
        if type(value) is str:  # not the kind (a str enum)
            for old, new in SWAPS.items():
                value = value.replace(old, new)
            return value
        if isinstance(value, tuple):
            return tuple(swap(v) for v in value)
        return value

    facts = tuple(dataclasses.replace(f, **{
        fld.name: swap(getattr(f, fld.name)) for fld in dataclasses.fields(f)
        if isinstance(getattr(f, fld.name), str | tuple)}) for f in deck.facts)
    sources = tuple(dataclasses.replace(s, text=swap(s.text), title="<b>EVIL</b> title")
                    for s in deck.sources)
    return dataclasses.replace(deck, id="hostile", name="<img src=/y.png> hostile deck",
                               description="<b>INJECTED description</b>", facts=facts,
                               sources=sources)


def leaks(url: str) -> list[str]:
    """Deck markup that Qt would interpret, anywhere on screen."""
    marks = markers(url)
    found = []
    widgets: list[QWidget] = []
    for top in QApplication.topLevelWidgets():
        widgets.append(top)
        widgets.extend(top.findChildren(QWidget))

    def raw(text: str) -> str | None:
        return next((m for m in marks if m in text), None)

    for w in widgets:
        name = f"{type(w).__name__}({w.objectName() or w.accessibleName()})"
        if isinstance(w, QLabel):
            fmt = w.textFormat()
            text = w.text()
            rich = fmt == Qt.TextFormat.RichText or (
                fmt in (Qt.TextFormat.AutoText, Qt.TextFormat.MarkdownText)
                and Qt.mightBeRichText(text))
            if rich and (m := raw(text)):
                found.append(f"{name} renders {m!r} as rich text: {text[:120]!r}")
            if w.openExternalLinks() and "href" in text:
                found.append(f"{name} opens links")
        tip = w.toolTip()
        if tip and Qt.mightBeRichText(tip) and (m := raw(tip)):
            found.append(f"{name} tool tip renders {m!r}")
        if isinstance(w, QTextEdit):
            html = w.document().toHtml()
            for bad in (f'src="{url}', f'href="{url}', 'src="/x.png"', 'src="/y.png"'):
                if bad in html:
                    found.append(f"{name} document holds {bad!r}")
        if isinstance(w, QAbstractItemView) and w.model() is not None and w.isVisible():
            model = w.model()
            from PySide6.QtCore import QModelIndex

            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list widget's model keeps it private: one column
                columns = 1
            for row in range(min(model.rowCount(QModelIndex()), 200)):
                for col in range(columns):
                    tip = model.data(model.index(row, col), Qt.ItemDataRole.ToolTipRole)
                    if isinstance(tip, str) and Qt.mightBeRichText(tip) and (m := raw(tip)):
                        found.append(f"{name} row {row} tool tip renders {m!r}")
    return found


def settle(qtbot: QtBot) -> None:
    QApplication.processEvents()
    qtbot.wait(5)


def import_csv(window: MainWindow, qtbot: QtBot, tmp_path: Path, url: str) -> None:
    path = tmp_path / "hostile.csv"
    path.write_text(_csv(url), encoding="utf-8")
    window.import_deck(path)
    qtbot.waitUntil(lambda: window.deck_model.rowCount() == 2 and not window.tasks.busy(),
                    timeout=WAIT_MS)


def store(window: MainWindow, deck: Deck) -> int:
    assert window.library is not None
    result = window.library.collection.import_deck(deck)
    window.refresh_decks()
    return result.deck_id


def every_card(window: MainWindow, deck_id: int) -> list[int]:
    from tests.gui.conftest import query

    home = Path(window.library.collection.engine.url.database).parent  # type: ignore[union-attr,arg-type]
    return [int(r[0]) for r in query(home, "SELECT id FROM card WHERE deck_id = ? AND "  # type: ignore[arg-type]
                                            "profile_id = 1 ORDER BY id", deck_id)]


def study_every_form(window: MainWindow, qtbot: QtBot, deck_id: int, url: str) -> set[Form]:
    """Show every card in every form it has, answer it, and search the window each time."""
    window.deck_page.select_deck(deck_id)
    window.start_study()
    study = window.study
    assert study.session is not None
    seen: set[Form] = set()
    now = datetime.now(UTC)
    for card_id in every_card(window, deck_id):
        for form in Form:
            question = study.session.build_question(card_id, now, form)
            if question is None or question.form is not form:
                continue
            seen.add(form)
            study.present(question)
            settle(qtbot)
            assert leaks(url) == [], f"{form} question"
            if form is Form.FLASHCARD:
                study.view.flashcard_panel.reveal()
                settle(qtbot)
                assert leaks(url) == [], f"{form} revealed"
                study.rate(3)
            else:
                given = question.answers[0] if form is not Form.TYPED else "<b>INJECTED</b>"
                if question.choices and form is not Form.TIMELINE:
                    given = question.choices[-1]
                study.submit(given)
                settle(qtbot)
                assert study.state == study.FEEDBACK
                assert leaks(url) == [], f"{form} feedback"
                if study.can_overrule:
                    study.overrule()
                    settle(qtbot)
                    assert leaks(url) == [], f"{form} overruled"
    window.show_decks()
    return seen


def test_imported_markup_is_shown_literally_everywhere(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, server: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import_csv(window, qtbot, tmp_path, server)
    deck_id = store(window, hostile_seed())
    settle(qtbot)
    assert leaks(server) == []

    forms = study_every_form(window, qtbot, deck_id, server)
    assert {Form.CHOICE, Form.WHO_SAID, Form.WHICH_QUOTE, Form.TYPED, Form.CLOZE} <= forms
    csv_deck = next(d.deck_id for d in window.deck_model.decks() if "INJECTED" in d.name)
    assert Form.FLASHCARD in study_every_form(window, qtbot, csv_deck, server)

    # The name shows literally where it is studied.
    window.deck_page.select_deck(deck_id)
    window.start_study()
    assert window.study.view.deck_name.text().startswith("<img src=/y.png>")
    window.show_decks()

    # Every other page, with the hostile decks selected.
    for page in ("browse", "reader", "progress"):
        window.show_page(page)
        qtbot.waitUntil(lambda: not window.progress.busy, timeout=WAIT_MS)
        settle(qtbot)
        assert leaks(server) == [], page
    window.show_page("reader")
    window.reader.set_deck(deck_id)
    settle(qtbot)
    assert leaks(server) == [], "reader on the hostile deck"
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    browser = window.reader.view.browser
    for url in (f"{server}/x.png", "file:///etc/passwd", "/dev/zero"):
        assert browser.loadResource(int(QTextDocument.ResourceType.ImageResource.value),
                                    QUrl(url)) is None
    window.show_page("browse")
    for row in range(min(window.browse.model.rowCount(), 60)):  # type: ignore[attr-defined]
        window.browse.view.table.selectRow(row)
        settle(qtbot)
    assert leaks(server) == [], "browse details"
    window.show_decks()

    # Message boxes that quote the deck's name.
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *a: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", question)
    window.deck_page.select_deck(deck_id)
    window.delete_deck(deck_id)
    assert asked and (not Qt.mightBeRichText(asked[0]) or "<img src=/y.png>" not in asked[0])
    assert "&lt;img src=/y.png&gt;" in asked[0] or "<img" not in asked[0]
    assert Probe.hits == [], f"the app fetched {Probe.hits}"


def test_giant_and_unbroken_text_is_clipped_and_does_not_freeze(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, server: str,
) -> None:
    import_csv(window, qtbot, tmp_path, server)
    csv_deck = next(d.deck_id for d in window.deck_model.decks() if "INJECTED" in d.name)
    window.deck_page.select_deck(csv_deck)
    width = window.width()
    window.start_study()
    study = window.study
    assert study.session is not None
    view = study.view
    slowest = 0.0
    for card_id in every_card(window, csv_deck):
        for form in (Form.FLASHCARD, Form.TYPED):
            question = study.session.build_question(card_id, datetime.now(UTC), form)
            if question is None:
                continue
            started = time.perf_counter()
            study.present(question)
            if form is Form.FLASHCARD:
                view.flashcard_panel.reveal()
            else:
                study.submit("nope")
            window.repaint()
            settle(qtbot)
            slowest = max(slowest, time.perf_counter() - started)
            for label in (view.prompt, view.flashcard_panel.back, view.feedback.answer):
                assert len(label.text()) < safe_text.ANSWER_CHARS + 200
                assert label.text().count("\n") <= safe_text.MAX_LINES
                assert label.sizeHint().width() < 1600, label.accessibleName()
            if form is Form.FLASHCARD:
                study.rate(1)
            else:
                study.next()
    # A hang guard only (a quadratic layout took minutes), not a speed limit.
    assert slowest < 60.0, f"a giant card took {slowest:.2f} s to show"
    assert window.width() == width  # nothing widened the window
    window.show_decks()
    # The full text is kept where it belongs: in the database and for grading.
    assert window.library is not None
    deck = window.library.collection.load_deck(csv_deck)
    assert max(len(f.back or "") for f in deck.facts) >= GIANT - 20
    assert Probe.hits == []


def test_clip_and_escape_helpers() -> None:
    assert safe_text.clip("short", 10) == "short"
    clipped = safe_text.clip("x" * 100, 10)
    assert clipped.startswith("x" * 10) and "90 more characters" in clipped
    assert safe_text.ZWSP in safe_text.clip("y" * 200, 500)  # a break opportunity
    assert safe_text.clip("\n".join("abc" for _ in range(100)), 10_000, 5).count("\n") == 4
    assert safe_text.one_line("a\n\n b\t c") == "a b c"
    assert safe_text.one_line("z" * 500, 20).endswith("…")
    tip = safe_text.tooltip("<b>x</b> & y")
    assert Qt.mightBeRichText(tip) and "&lt;b&gt;x&lt;/b&gt; &amp; y" in tip
    assert safe_text.rich("<img src=x>\nnext") == "<p>&lt;img src=x&gt;<br>next</p>"
