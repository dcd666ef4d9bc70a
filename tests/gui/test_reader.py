"""The article reader: every fact highlighted, coloured by knowledge, questions and history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from quizapp.gui.main_window import MainWindow
from quizapp.gui.palette import LEVELS, level_color
from quizapp.gui.theme import DARK, LIGHT
from quizapp.gui.views.fact_editor import FactEditorDialog
from quizapp.gui.views.reader_view import Span, article_html, segments
from quizapp.questions.generate import QuestionBuilder
from tests.gui.conftest import WAIT_MS, query
from tests.gui.test_browse import last_dialog, make_history, seed_deck_id, sql_time


def open_reader(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page("reader")
    qtbot.waitUntil(lambda: window.reader.deck is not None, timeout=WAIT_MS)


def test_every_fact_is_highlighted(window: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    open_reader(window, qtbot)
    deck_id = seed_deck_id(window)
    assert window.reader.deck_id == deck_id
    rows = query(quizapp_home, "SELECT f.key FROM fact f JOIN source s ON s.id = f.source_id "
                 "WHERE f.deck_id = ? AND f.retired = 0 AND f.start IS NOT NULL "
                 "ORDER BY f.start, -f.end", deck_id)
    expected = [r[0] for r in rows]
    assert len(expected) == 36  # the seed's 40 facts less the 4 no question can ask (held)
    assert sorted(window.reader.highlighted_keys()) == sorted(expected)
    assert len(window.reader.spans()) == len(expected)
    # The browser's text is the article, character for character: a fact's span selects its words.
    (article,) = query(quizapp_home, "SELECT text FROM source WHERE deck_id = ?", deck_id)[0]
    browser = window.reader.view.browser
    assert browser.toPlainText() == article
    for key, start, end, text in query(
            quizapp_home, "SELECT key, start, \"end\", text FROM fact WHERE deck_id = ? "
            "AND start IS NOT NULL", deck_id):
        browser.select_span(int(start), int(end))
        assert browser.textCursor().selectedText() == text, key
    assert "36 facts" in window.reader.view.article_meta.text()


def test_nested_facts_stay_clickable() -> None:
    outer = Span("q", 0, 30, "known", "Quote")
    inner = Span("d", 10, 14, "new", "Date")
    pieces = segments(40, [outer, inner])
    assert [(a, b, s.key if s else None) for a, b, s in pieces] == [
        (0, 10, "q"), (10, 14, "d"), (14, 30, "q"), (30, 40, None)]
    html = article_html("x" * 40, [outer, inner])
    assert html.count('href="fact:q"') == 2 and html.count('href="fact:d"') == 1


def test_colours_follow_what_the_learner_knows(
        window: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    make_history(window, days=3, per_day=10)
    assert window.library is not None and window.profile is not None
    pid = window.profile.profile_id
    deck_id = seed_deck_id(window)
    facts = query(quizapp_home, "SELECT id, key FROM fact WHERE deck_id = ? AND retired = 0 "
                  "ORDER BY position", deck_id)  # held facts are not studied nor shown
    fid = {key: i for i, key in facts}
    keys = [k for _, k in facts]
    leech, mastered = keys[-1], keys[0]
    from sqlalchemy import text

    with window.library.collection.transaction() as s:
        s.execute(text("UPDATE card SET lapses = 8 WHERE fact_id = :f AND profile_id = :p"),
                  {"f": fid[leech], "p": pid})
        s.execute(text("UPDATE card SET state = 2, stability = 30, due = :d WHERE fact_id = :f "
                       "AND profile_id = :p"),
                  {"f": fid[mastered], "p": pid,
                   "d": sql_time(datetime.now(UTC) + timedelta(days=20))})
    last_right = query(quizapp_home, "SELECT r.correct FROM review r JOIN card c ON c.id = "
                       "r.card_id WHERE c.fact_id = ? ORDER BY r.reviewed_at DESC, r.id DESC "
                       "LIMIT 1", fid[mastered])
    open_reader(window, qtbot)
    levels = {s.key: s.level for s in window.reader.spans()}
    assert levels[leech] == "leech"
    assert levels[mastered] == ("mastered" if last_right and last_right[0][0] else "known")
    # Every other level straight from the cards table.
    for key in keys:
        if key in (leech, mastered):
            continue
        states = {s for (s,) in query(quizapp_home, "SELECT state FROM card WHERE fact_id = ? "
                                      "AND profile_id = ?", fid[key], pid)}
        if 2 in states:
            assert levels[key] in ("known", "mastered"), key
        elif states - {0}:
            assert levels[key] == "learning", key
        else:
            assert levels[key] == "new", key
    # The article carries each fact's level colour; the legend counts them.
    html = window.reader.view.browser.toHtml().lower()
    for level in set(levels.values()):
        assert QColor(level_color(level).background).name() in html
    legend = window.reader.view.legend.labels
    for level in LEVELS:
        count = sum(1 for v in levels.values() if v == level)
        assert f"{count}&nbsp;" in legend[level].text()


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
def test_level_colours_are_readable(scheme: object) -> None:
    def luminance(hex_colour: str) -> float:
        c = QColor(hex_colour)
        parts = []
        for v in (c.redF(), c.greenF(), c.blueF()):
            parts.append(v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4)
        return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]

    for level in LEVELS:
        lc = level_color(level, scheme)  # type: ignore[arg-type]
        a, b = sorted((luminance(lc.background), luminance(lc.foreground)))
        assert (b + 0.05) / (a + 0.05) >= 4.5, level


def test_clicking_a_fact_shows_its_questions_and_history(
        window: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    make_history(window, days=2, per_day=8)
    open_reader(window, qtbot)
    deck_id = seed_deck_id(window)
    studied = query(quizapp_home, "SELECT f.key, f.id, count(r.id) FROM fact f JOIN card c ON "
                    "c.fact_id = f.id JOIN review r ON r.card_id = c.id WHERE f.deck_id = ? "
                    "GROUP BY f.id ORDER BY count(r.id) DESC LIMIT 1", deck_id)
    key, _row_id, answers = studied[0]
    with qtbot.waitSignal(window.reader.fact_shown, timeout=WAIT_MS):
        window.reader.view.browser.anchorClicked.emit(QUrl(f"fact:{key}"))
    assert window.reader.selected == key
    assert window.reader.view.history_model.rowCount() == answers
    deck = window.reader.deck
    assert deck is not None
    families = QuestionBuilder(deck).families_for(key)
    questions = window.reader.questions_for(key)
    assert [q.family for q in questions] == list(families)
    shown = window.reader.view.questions.text()
    import html

    for q in questions:
        assert html.escape(q.prompt) in shown
    # The fact is marked in the article with the highlight colour.
    from quizapp.gui.theme import colors

    assert QColor(colors().mark_bg).name() in window.reader.view.browser.toHtml().lower()
    # The keyboard route: the fact list.
    box = window.reader.view.fact_box
    other = box.itemData(3)
    box.setCurrentIndex(3)
    box.activated.emit(3)
    assert window.reader.selected == other


def test_add_a_fact_from_selected_words(window: MainWindow, qtbot: QtBot,
                                        quizapp_home: Path) -> None:
    open_reader(window, qtbot)
    deck_id = seed_deck_id(window)
    (article,) = query(quizapp_home, "SELECT text FROM source WHERE deck_id = ?", deck_id)[0]
    words = "Second Karabakh War"
    start = article.index(words)
    window.reader.view.browser.select_span(start, start + len(words))
    window.reader.view.add_from_selection.click()
    editor = last_dialog(window, FactEditorDialog)
    assert editor.field_text("text") == words
    editor.kind_box.setCurrentIndex(editor.kind_box.findData("person"))
    editor.fields["name"].setText("Second Karabakh War")
    editor.fields["role"].setText("a war")
    editor.id_edit.setText("p-test-war")
    editor.try_save()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=WAIT_MS)
    assert query(quizapp_home, "SELECT start, \"end\", text FROM fact WHERE key = 'p-test-war'"
                 ) == [(start, start + len(words), words)]
    qtbot.waitUntil(lambda: "p-test-war" in window.reader.highlighted_keys(), timeout=WAIT_MS)
