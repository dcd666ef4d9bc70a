"""Browse and edit: search and filters against SQL, history, suspend, editing, decks in and out."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from quizapp.browse import FactSummary, KnowledgeLevel
from quizapp.gui.main_window import MainWindow
from quizapp.gui.models.fact_table_model import FactTableModel
from quizapp.gui.views.fact_editor import FactEditorDialog, NewDeckDialog
from quizapp.questions.model import Question
from quizapp.scheduling import day_start, study_day
from tests.gui.conftest import WAIT_MS, query

# --------------------------------------------------------------------------
# Shared helpers (the reader, progress and options tests use them too)


def wrong_answer(question: Question) -> str:
    """A wrong answer to any question form."""
    if question.choices:
        return next(c for c in question.choices if c not in question.answers)
    if question.items:
        return " | ".join(reversed(question.answers[0].split(" | ")))
    return "zzz nothing like it"


def make_history(window: MainWindow, days: int = 4, per_day: int = 12,
                 wrong_every: int = 4) -> None:
    """Study the seed deck on a few past days through the core, as a learner would."""
    from quizapp.study import StudySession

    assert window.library is not None and window.profile is not None
    collection = window.library.collection
    seed = next(d.deck_id for d in window.deck_model.decks() if d.key == "seed")
    start = datetime.now(UTC) - timedelta(days=days)
    for day in range(days):
        now = start + timedelta(days=day)
        session = StudySession(collection, window.profile.profile_id, deck_id=seed, seed=day)
        for i in range(per_day):
            question = session.next_question(now)
            if question is None:
                break
            right = i % wrong_every != 0
            given = question.answers[0] if right else wrong_answer(question)
            session.answer(question, given, now, 3000 + 100 * i)
            now += timedelta(seconds=30)
        session.close(now)
    window.refresh_decks()


def seed_deck_id(window: MainWindow) -> int:
    """The stored id of the seed deck."""
    return next(d.deck_id for d in window.deck_model.decks() if d.key == "seed")


def sql_time(moment: datetime) -> str:
    """A UTC time as the SQLite column stores it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def open_browse(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page("browse")
    qtbot.waitUntil(lambda: window.browse.collection is not None, timeout=WAIT_MS)


def last_dialog(window: MainWindow, kind: type) -> Any:
    dialogs = [d for d in window.open_dialogs() if isinstance(d, kind)]
    assert dialogs, f"no {kind.__name__} open"
    return dialogs[-1]


# --------------------------------------------------------------------------
# The model, without widgets


def _summary(i: int, level: KnowledgeLevel, due: datetime | None = None) -> FactSummary:
    return FactSummary(fact_row_id=i, key=f"f-{i}", deck_id=1, deck_name="Deck", kind="date",
                       text=f"fact {i}", detail=f"question {i}", state="review",
                       asked_as="recall", due=due, reviews=i, lapses=0, suspended=0, reports=0,
                       level=level)


def test_fact_table_model_without_widgets() -> None:
    now = datetime(2025, 3, 3, 12, tzinfo=UTC)
    model = FactTableModel()
    model.set_facts([_summary(1, KnowledgeLevel.KNOWN, now),
                     _summary(2, KnowledgeLevel.NEW),
                     _summary(3, KnowledgeLevel.LEECH, now - timedelta(days=3))], now)
    assert model.rowCount() == 3
    assert model.columnCount() == len(FactTableModel.HEADERS)
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Fact"
    assert model.data(model.index(0, FactTableModel.FACT)) == "fact 1"
    assert model.data(model.index(0, FactTableModel.DETAIL)) == "question 1"
    assert model.data(model.index(0, FactTableModel.KIND)) == "Date"
    assert model.data(model.index(0, FactTableModel.STATE)) == "Review"
    assert model.data(model.index(0, FactTableModel.ASKED_AS)) == "Recall"
    assert model.data(model.index(0, FactTableModel.DUE)) == "Today"
    assert model.data(model.index(2, FactTableModel.DUE)) == "Overdue"
    assert model.data(model.index(1, FactTableModel.DUE)) == "–"
    assert model.data(model.index(2, FactTableModel.LEVEL)) == "Leech"
    assert model.data(model.index(0, FactTableModel.FACT),
                      Qt.ItemDataRole.AccessibleTextRole) == "Fact: fact 1"
    assert model.data(model.index(0, 0), FactTableModel.FactRole).key == "f-1"
    model.sort(FactTableModel.LEVEL, Qt.SortOrder.AscendingOrder)
    assert [f.key for f in model.facts()] == ["f-3", "f-2", "f-1"]  # leech, new, known
    assert model.row_of(2) == 1
    model.set_facts([])
    assert model.rowCount() == 0


# --------------------------------------------------------------------------
# Search and filters against SQL


@pytest.fixture
def studied(window: MainWindow, quizapp_home: Path) -> MainWindow:
    """The seed deck with history, a suspended card, a report, a leech and due cards."""
    make_history(window)
    assert window.library is not None and window.profile is not None
    pid = window.profile.profile_id
    now = datetime.now(UTC)
    cards = query(quizapp_home, "SELECT c.id, c.fact_id FROM card c JOIN fact f ON f.id = "
                  "c.fact_id WHERE c.profile_id = ? ORDER BY f.position, c.family", pid)
    last = cards[-10:]
    with window.library.collection.transaction() as s:
        from sqlalchemy import text

        s.execute(text("UPDATE card SET suspended = 1 WHERE id = :c"), {"c": last[0][0]})
        s.execute(text("UPDATE card SET lapses = 8 WHERE id = :c"), {"c": last[2][0]})
        s.execute(text("UPDATE card SET state = 2, stability = 5, due = :d WHERE id = :c"),
                  {"c": last[4][0], "d": sql_time(now - timedelta(days=3))})
        s.execute(text("INSERT INTO question_report (profile_id, card_id, fact_id, form, prompt,"
                       " reason, created_at) VALUES (:p, :c, :f, 'choice', 'Q?', 'wrong',"
                       " :t)"), {"p": pid, "c": last[6][0], "f": last[6][1],
                                  "t": sql_time(now)})
    window.refresh_decks()
    return window


EXISTS = "EXISTS (SELECT 1 FROM card c WHERE c.fact_id = f.id AND c.profile_id = :pid AND {})"
FILTERS: dict[str, tuple[dict[str, Any], str]] = {
    "all": ({}, "1"),
    "text": ({"text": "peskov"},
             "(lower(coalesce(f.text,'')) LIKE '%peskov%' OR lower(coalesce(f.stem,'')) LIKE "
             "'%peskov%' OR lower(coalesce(f.speaker,'')) LIKE '%peskov%' OR "
             "lower(coalesce(f.name,'')) LIKE '%peskov%' OR lower(coalesce(f.front,'')) LIKE "
             "'%peskov%' OR lower(coalesce(f.back,'')) LIKE '%peskov%')"),
    "two words": ({"text": "russian peacekeepers"},
                  "(lower(coalesce(f.text,'') || ' ' || coalesce(f.stem,'') || ' ' || "
                  "coalesce(f.speaker,'') || ' ' || coalesce(f.name,'')) LIKE '%russian%' AND "
                  "lower(coalesce(f.text,'') || ' ' || coalesce(f.stem,'') || ' ' || "
                  "coalesce(f.speaker,'') || ' ' || coalesce(f.name,'')) LIKE '%peacekeepers%')"),
    "kind": ({"kind": "quote"}, "f.kind = 'quote'"),
    "new": ({"state": "new"}, EXISTS.format("c.suspended = 0 AND c.state = 0")),
    "learning": ({"state": "learning"}, EXISTS.format("c.suspended = 0 AND c.state IN (1, 3)")),
    "review": ({"state": "review"}, EXISTS.format("c.suspended = 0 AND c.state = 2")),
    "suspended": ({"state": "suspended"}, EXISTS.format("c.suspended = 1")),
    "due today": ({"due": "today"},
                  EXISTS.format("c.suspended = 0 AND c.state != 0 AND c.due < :end")),
    "overdue": ({"due": "overdue"},
                EXISTS.format("c.suspended = 0 AND c.state != 0 AND c.due < :start")),
    "leech": ({"leech": True}, EXISTS.format("c.lapses >= 8")),
    "reported": ({"reported": True}, "EXISTS (SELECT 1 FROM question_report q WHERE "
                                     "q.fact_id = f.id AND q.profile_id = :pid)"),
    "kind and state": ({"kind": "number", "state": "review"},
                       "f.kind = 'number' AND "
                       + EXISTS.format("c.suspended = 0 AND c.state = 2")),
}


def set_filters(window: MainWindow, values: dict[str, Any]) -> None:
    v = window.browse.view
    v.search.setText(values.get("text", ""))
    for box, key in ((v.kind_filter, "kind"), (v.state_filter, "state"),
                     (v.due_filter, "due")):
        box.setCurrentIndex(box.findData(values.get(key)) if values.get(key) else 0)
    v.leech_filter.setChecked(bool(values.get("leech")))
    v.reported_filter.setChecked(bool(values.get("reported")))
    window.browse.refresh()


@pytest.mark.parametrize("name", list(FILTERS))
def test_browse_rows_equal_sql_count(studied: MainWindow, qtbot: QtBot, quizapp_home: Path,
                                     name: str) -> None:
    window = studied
    open_browse(window, qtbot)
    values, where = FILTERS[name]
    set_filters(window, values)
    assert window.profile is not None
    pid = window.profile.profile_id
    today = study_day(datetime.now(UTC))
    start, end = day_start(today), day_start(today + 1)
    import sqlite3

    con = sqlite3.connect(quizapp_home / "quizapp.sqlite3")
    try:
        (expected,) = con.execute(
            # Browse lists the facts studied and those held back from study.
            f"SELECT count(*) FROM fact f WHERE (f.retired = 0 OR f.hold IS NOT NULL) "
            f"AND {where}",
            {"pid": pid, "start": sql_time(start), "end": sql_time(end)}).fetchone()
    finally:
        con.close()
    model = window.browse.model
    assert model.rowCount() == expected
    assert window.browse.view.count.text().startswith(str(expected))
    if name not in ("all", "two words", "new"):
        assert expected < 40, "the filter should filter something"
    if name in ("suspended", "leech", "reported", "overdue", "learning", "text"):
        assert expected >= 1, "the fixture should give this filter something to find"


def test_text_search_matches_core_with_deck_filter(studied: MainWindow, qtbot: QtBot) -> None:
    window = studied
    open_browse(window, qtbot)
    window.browse.set_deck(seed_deck_id(window))
    window.browse.view.search.setText("Hajiyev")
    qtbot.waitUntil(lambda: 0 < window.browse.model.rowCount() < 40, timeout=WAIT_MS)
    for fact in window.browse.model.facts():
        hay = " ".join((fact.text, fact.detail)).lower()
        assert "hajiyev" in hay or fact.kind in ("quote", "date", "number")


# --------------------------------------------------------------------------
# A fact's cards, history and suspension


def test_cards_history_and_suspend(studied: MainWindow, qtbot: QtBot,
                                   quizapp_home: Path) -> None:
    window = studied
    open_browse(window, qtbot)
    model = window.browse.model
    row = next(i for i, f in enumerate(model.facts()) if f.reviews >= 2)
    window.browse.view.table.selectRow(row)
    fact = window.browse.current_fact()
    assert fact is not None
    assert window.profile is not None
    pid = window.profile.profile_id
    cards = query(quizapp_home, "SELECT id, family, suspended, reps FROM card WHERE fact_id = ? "
                  "AND profile_id = ? ORDER BY family = 'recall', id", fact.fact_row_id, pid)
    shown = window.browse.view.card_model.cards()
    assert [(c.card_id, c.family, c.suspended, c.reps) for c in shown] == [
        (cid, fam, bool(susp), reps) for cid, fam, susp, reps in cards]
    card = window.browse.current_card()
    assert card is not None
    (n,) = query(quizapp_home, "SELECT count(*) FROM review WHERE card_id = ?", card.card_id)[0]
    assert window.browse.view.history_model.rowCount() == n > 0
    # Suspend with the button, then unsuspend.
    qtbot.mouseClick(window.browse.view.suspend, Qt.MouseButton.LeftButton)
    assert query(quizapp_home, "SELECT suspended FROM card WHERE id = ?",
                 card.card_id) == [(1,)]
    assert window.browse.view.suspend.text() == "Unsuspend"
    qtbot.mouseClick(window.browse.view.suspend, Qt.MouseButton.LeftButton)
    assert query(quizapp_home, "SELECT suspended FROM card WHERE id = ?",
                 card.card_id) == [(0,)]


# --------------------------------------------------------------------------
# Editing with the deck loader's validation


def test_invalid_edit_shows_inline_error_and_leaves_db_unchanged(
        window: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    open_browse(window, qtbot)
    row = next(i for i, f in enumerate(window.browse.model.facts()) if f.kind == "date")
    window.browse.view.table.selectRow(row)
    fact = window.browse.current_fact()
    assert fact is not None
    before = query(quizapp_home, "SELECT * FROM fact WHERE id = ?", fact.fact_row_id)
    window.browse.view.table.setFocus()
    qtbot.keyClick(window.browse.view.table, Qt.Key.Key_Return)  # Enter edits
    dialog = last_dialog(window, FactEditorDialog)
    dialog.fields["value"].setText("2020-13-45")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    problems = dialog.shown_problems()
    assert problems["value"] == "value: expected a date as YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD"
    assert query(quizapp_home, "SELECT * FROM fact WHERE id = ?", fact.fact_row_id) == before

    # The same message the loader gives for the same mistake in a deck file.
    from quizapp.facts.deckfile import DeckFileError, parse_deck_text

    with pytest.raises(DeckFileError) as err:
        parse_deck_text('format = 1\nid = "x"\nname = "X"\n[[sources]]\nid = "s"\ntitle = "T"\n'
                        'text = "In 2020."\n[[facts]]\nid = "d"\nkind = "date"\nsource = "s"\n'
                        'text = "2020"\nvalue = "2020-13-45"\nstem = "When?"\n', Path("x.toml"))
    assert f"{err.value.problems[0].field}: {err.value.problems[0].message}" == problems["value"]

    # Two problems at once, each under its field; a blank required field reads as the loader's.
    dialog.fields["value"].setText("2020-11-10")
    dialog.fields["stem"].setText("   ")
    dialog.fields["text"].setText("Not in the article at all")
    dialog.try_save()
    problems = dialog.shown_problems()
    assert "stem: must not be empty" in problems["stem"]
    assert "does not occur in source" in problems["text"]
    assert query(quizapp_home, "SELECT * FROM fact WHERE id = ?", fact.fact_row_id) == before

    # A valid change is stored; the fact keeps its cards (and so its progress).
    cards = query(quizapp_home, "SELECT id FROM card WHERE fact_id = ? ORDER BY id",
                  fact.fact_row_id)
    dialog.fields["text"].setText(fact.text)
    dialog.fields["stem"].setText("On which day was the trilateral statement dated?")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert query(quizapp_home, "SELECT stem FROM fact WHERE id = ?", fact.fact_row_id) == [
        ("On which day was the trilateral statement dated?",)]
    assert query(quizapp_home, "SELECT id FROM card WHERE fact_id = ? ORDER BY id",
                 fact.fact_row_id) == cards


def test_new_deck_with_notes_and_a_fact_from_its_article(
        window: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    open_browse(window, qtbot)
    qtbot.mouseClick(window.browse.view.new_deck, Qt.MouseButton.LeftButton)
    dialog = last_dialog(window, NewDeckDialog)
    dialog.fields["name"].setText("Eclipse 2024")
    assert dialog.fields["id"].text() == "eclipse-2024"
    dialog.fields["title"].setText("Millions watch total eclipse")
    dialog.fields["text"].setText("Millions watched a total solar eclipse on April 8, 2024. "
                                  "More than 30 cities were in its path.")
    dialog.try_save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    deck = query(quizapp_home, "SELECT id, name FROM deck WHERE key = 'eclipse-2024'")
    assert deck and deck[0][1] == "Eclipse 2024"
    deck_id = int(deck[0][0])
    assert query(quizapp_home, "SELECT count(*) FROM fact WHERE deck_id = ?", deck_id) == [(0,)]
    assert window.deck_model.row_of(deck_id) >= 0
    # The same id again is refused, inline.
    again = window.browse.new_deck()
    assert again is not None
    again.fields["name"].setText("Eclipse 2024")
    again.try_save()
    assert again.isVisible() and again.errors["id"].isVisibleTo(again)
    again.reject()

    # A Q/A note, first without its answer (the loader's message), then complete.
    window.browse.set_deck(deck_id)
    qtbot.mouseClick(window.browse.view.add_fact, Qt.MouseButton.LeftButton)
    editor = last_dialog(window, FactEditorDialog)
    editor.kind_box.setCurrentIndex(editor.kind_box.findData("qa"))
    editor.fields["front"].setText("Which country saw the eclipse?")
    assert editor.id_edit.text().startswith("qa-")
    editor.try_save()
    assert "back" in editor.shown_problems()
    assert query(quizapp_home, "SELECT count(*) FROM fact WHERE deck_id = ?", deck_id) == [(0,)]
    editor.fields["back"].setText("The United States, Mexico and Canada")
    editor.try_save()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=WAIT_MS)

    # A date from the article, located by its words.
    editor = window.browse.add_fact(deck_id)
    assert editor is not None
    editor.kind_box.setCurrentIndex(editor.kind_box.findData("date"))
    editor.fields["text"].setText("April 8, 2024")
    editor.fields["value"].setText("2024-04-08")
    editor.fields["stem"].setText("When did the total eclipse cross North America?")
    editor.fields["event"].setText("Total eclipse")
    editor.try_save()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=WAIT_MS)
    rows = query(quizapp_home, "SELECT kind, start, end, text FROM fact WHERE deck_id = ? "
                 "ORDER BY position", deck_id)
    assert [r[0] for r in rows] == ["qa", "date"]
    article = "Millions watched a total solar eclipse on April 8, 2024. "
    assert rows[1][1:] == (article.index("April 8"), article.index("April 8") + 13,
                           "April 8, 2024")
    assert window.profile is not None
    (cards,) = query(quizapp_home, "SELECT count(*) FROM card WHERE deck_id = ? AND "
                     "profile_id = ?", deck_id, window.profile.profile_id)[0]
    assert cards == 2  # two facts, one card (memory) each
    assert window.browse.model.rowCount() == 2


# --------------------------------------------------------------------------
# Decks in and out through the GUI actions


def test_a_new_deck_whose_id_is_taken_is_refused_even_when_it_is_a_number(
        window: MainWindow, qtbot: QtBot, quizapp_home: Path, tmp_path: Path) -> None:
    """An all-digit id that is also another deck's number is still checked by id."""
    from quizapp.services.imports import import_path

    key = str(seed_deck_id(window))  # "1": the seed deck's number, and a valid id
    deck_file = tmp_path / "numbered.toml"
    deck_file.write_text(
        f'format = 1\nid = "{key}"\nname = "Numbered"\n\n[[facts]]\nid = "qa-1"\n'
        'kind = "qa"\nfront = "Capital of Peru?"\nback = "Lima"\n', encoding="utf-8")
    assert window.library is not None
    import_path(window.library.collection, deck_file)
    open_browse(window, qtbot)
    problems = window.browse.create_deck({"id": key, "name": "Numbered again"})
    assert [(p.field, p.message) for p in problems] == [
        ("id", f"a deck with id {key!r} exists already; pick another id")]
    # Nothing was stored over the deck with that id: its fact is not retired.
    assert query(quizapp_home, "SELECT fact.retired, deck.name FROM fact JOIN deck "
                 "ON deck.id = fact.deck_id WHERE deck.key = ?", key) == [(0, "Numbered")]


def deck_snapshot(home: Path, key: str) -> list[tuple[object, ...]]:
    return query(home, "SELECT f.key, f.kind, f.text, f.start, f.end, f.value_text, f.value_num,"
                 " f.stem, f.speaker, f.name, f.front, f.back FROM fact f JOIN deck d ON "
                 "d.id = f.deck_id WHERE d.key = ? AND f.retired = 0 ORDER BY f.position", key)


def test_export_delete_import_round_trip(
        window: MainWindow, qtbot: QtBot, tmp_path: Path, quizapp_home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    before = deck_snapshot(quizapp_home, "seed")
    target = tmp_path / "out" / "seed-copy"  # no suffix: the chosen filter adds .toml
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "quizapp deck file (*.toml)"))
    window.deck_page.select_deck(seed_deck_id(window))
    window.act_export.trigger()
    written = target.with_suffix(".toml")
    qtbot.waitUntil(lambda: written.is_file() and not window.tasks.busy(), timeout=WAIT_MS)
    assert "Exported" in window.status.text()

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.act_delete_deck.trigger()
    qtbot.waitUntil(lambda: window.deck_model.rowCount() == 0, timeout=WAIT_MS)
    assert query(quizapp_home, "SELECT count(*) FROM card") == [(0,)]

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(written), ""))
    window.act_import.trigger()
    qtbot.waitUntil(lambda: window.deck_model.rowCount() == 1, timeout=WAIT_MS)
    assert deck_snapshot(quizapp_home, "seed") == before
    assert "Imported" in window.status.text()


def test_export_csv_when_the_exporters_are_installed(
        window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.gui.controllers import deck_io

    if ".csv" not in deck_io.export_formats():
        pytest.skip("quizapp.exporters is not installed: only deck files are written")
    target = tmp_path / "seed.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.export_deck()
    qtbot.waitUntil(lambda: target.is_file() and not window.tasks.busy(), timeout=WAIT_MS)
    assert target.read_text(encoding="utf-8").strip()


def test_delete_needs_confirmation(window: MainWindow, qtbot: QtBot, quizapp_home: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert window.delete_deck() is False
    assert query(quizapp_home, "SELECT count(*) FROM deck") == [(1,)]


QA_DECK = ('format = 1\nid = "capitals"\nname = "Capitals"\n'
           '[[facts]]\nid = "qa-1"\nkind = "qa"\nfront = "Capital of Peru?"\nback = "Lima"\n')


def test_drop_files_on_the_window_imports_them(
        window: MainWindow, qtbot: QtBot, tmp_path: Path, quizapp_home: Path) -> None:
    deck = tmp_path / "capitals.toml"
    deck.write_text(QA_DECK, encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(deck))])
    event = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: window.deck_model.rowCount() == 2, timeout=WAIT_MS)
    assert query(quizapp_home, "SELECT name FROM deck WHERE key = 'capitals'") == [("Capitals",)]


@pytest.mark.parametrize("when", ["while reading", "before the commit"])
def test_cancelled_import_stores_nothing(
        window: MainWindow, qtbot: QtBot, tmp_path: Path, quizapp_home: Path,
        monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    from quizapp.gui.controllers import deck_io
    from quizapp.storage import repository as repo

    deck = tmp_path / "capitals.toml"
    deck.write_text(QA_DECK, encoding="utf-8")
    release = threading.Event()
    reached = threading.Event()
    if when == "while reading":
        real_load = deck_io.load_file

        def slow_load(path: Path, progress: Any) -> Any:
            reached.set()
            release.wait(30)
            return real_load(path, progress)

        monkeypatch.setattr(deck_io, "load_file", slow_load)
    else:
        real_store = repo.store_deck

        def slow_store(session: Any, d: Any, now: Any = None) -> Any:
            result = real_store(session, d, now)
            session.flush()  # the rows are written inside the transaction …
            reached.set()
            release.wait(30)  # … when the learner presses Cancel
            return result

        monkeypatch.setattr(repo, "store_deck", slow_store)
    before = query(quizapp_home, "SELECT count(*) FROM deck"), query(
        quizapp_home, "SELECT count(*) FROM fact"), query(quizapp_home, "SELECT count(*) FROM card")
    window.import_deck(deck)
    assert reached.wait(WAIT_MS / 1000)
    qtbot.waitUntil(lambda: bool(window.tasks.dialogs()), timeout=WAIT_MS)
    dialog = window.tasks.dialogs()[0]
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)  # shown once the import takes a while
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: not window.tasks.busy(), timeout=WAIT_MS)
    assert "cancelled" in window.status.text()
    after = query(quizapp_home, "SELECT count(*) FROM deck"), query(
        quizapp_home, "SELECT count(*) FROM fact"), query(quizapp_home, "SELECT count(*) FROM card")
    assert after == before
    assert window.deck_model.rowCount() == 1


def test_import_error_from_other_formats_reads_like_the_loader(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    from quizapp.gui.views.dialogs import ImportErrorDialog

    bad = tmp_path / "sheet.xlsx"
    bad.write_bytes(b"not really a workbook")
    window.import_deck(bad)
    qtbot.waitUntil(lambda: any(isinstance(d, ImportErrorDialog) for d in window.open_dialogs()),
                    timeout=WAIT_MS)
    dialog = last_dialog(window, ImportErrorDialog)
    assert dialog.problems.count() >= 1
    assert "file:" in dialog.problems.item(0).text()
    dialog.close()


def test_history_json_choices_are_plain_text(studied: MainWindow, quizapp_home: Path) -> None:
    # The browser shows given answers as recorded; choices are stored as JSON arrays.
    rows = query(quizapp_home, "SELECT choices FROM review WHERE choices IS NOT NULL LIMIT 3")
    assert rows and all(isinstance(json.loads(str(r[0])), list) for r in rows)


def test_csv_round_trip_through_the_gui(
        window: MainWindow, qtbot: QtBot, tmp_path: Path, quizapp_home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.gui.controllers import deck_io

    if ".csv" not in deck_io.import_suffixes():
        pytest.skip("quizapp.importers is not installed: only deck files are read")
    source = tmp_path / "capitals.csv"
    source.write_text("front,back\nCapital of Peru?,Lima\nCapital of Chile?,Santiago\n",
                      encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    window.act_import.trigger()
    qtbot.waitUntil(lambda: window.deck_model.rowCount() == 2 and not window.tasks.busy(),
                    timeout=WAIT_MS)
    deck = next(d for d in window.deck_model.decks() if d.key != "seed")
    fronts = query(quizapp_home, "SELECT front, back FROM fact WHERE deck_id = ? ORDER BY "
                   "position", deck.deck_id)
    assert fronts == [("Capital of Peru?", "Lima"), ("Capital of Chile?", "Santiago")]
    # Out again as CSV, then back in: the same notes.
    target = tmp_path / "again.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.deck_page.select_deck(deck.deck_id)
    window.act_export.trigger()
    qtbot.waitUntil(lambda: target.is_file() and not window.tasks.busy(), timeout=WAIT_MS)
    from quizapp.importers import detect_and_load

    again = detect_and_load(target)
    assert [(f.front, f.back) for f in again.facts] == fronts


def test_the_editor_opens_on_the_facts_words_not_on_its_id(
        window: MainWindow, qtbot: QtBot) -> None:
    open_browse(window, qtbot)
    row = next(i for i, f in enumerate(window.browse.model.facts()) if f.kind == "quote")
    window.browse.view.table.selectRow(row)
    window.browse.view.table.setFocus()
    qtbot.keyClick(window.browse.view.table, Qt.Key.Key_Return)  # Enter edits
    dialog = last_dialog(window, FactEditorDialog)
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None, timeout=WAIT_MS)
    assert dialog.focusWidget() is dialog.fields["text"]
    dialog.reject()
    # A new note opens on its front.
    qtbot.mouseClick(window.browse.view.add_fact, Qt.MouseButton.LeftButton)
    editor = last_dialog(window, FactEditorDialog)
    editor.kind_box.setCurrentIndex(editor.kind_box.findData("qa"))
    qtbot.waitUntil(lambda: editor.focusWidget() is not None, timeout=WAIT_MS)
    assert editor.focusWidget() is not editor.id_edit
    assert editor.first_field() is editor.fields["front"]
    editor.reject()


def test_saving_an_edit_keeps_the_search_and_the_deck_filter(
        window: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    open_browse(window, qtbot)
    v = window.browse.view
    seed_index = v.deck_filter.findText(
        str(query(quizapp_home, "SELECT name FROM deck WHERE key = 'seed'")[0][0]))
    # "All decks" and a search: both must stay after Save.
    v.deck_filter.setCurrentIndex(0)
    v.search.setText("peskov")
    window.browse.refresh()
    listed = [f.key for f in window.browse.model.facts()]
    assert listed and all("peskov" in k for k in listed)
    window.browse.view.table.selectRow(0)
    fact = window.browse.current_fact()
    assert fact is not None
    v.table.setFocus()
    qtbot.keyClick(v.table, Qt.Key.Key_Return)
    dialog = last_dialog(window, FactEditorDialog)
    dialog.fields["stem"].setText("Who answered for the Kremlin?")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert v.search.text() == "peskov"
    assert v.deck_filter.currentIndex() == 0  # still "All decks"
    assert [f.key for f in window.browse.model.facts()] == listed
    current = window.browse.current_fact()
    assert current is not None and current.key == fact.key
    # And with one deck chosen, the deck stays chosen.
    v.deck_filter.setCurrentIndex(seed_index)
    window.browse.select_fact(fact.fact_row_id)
    qtbot.keyClick(v.table, Qt.Key.Key_Return)
    dialog = last_dialog(window, FactEditorDialog)
    dialog.fields["stem"].setText("Who spoke for the Kremlin?")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert v.deck_filter.currentIndex() == seed_index and v.search.text() == "peskov"


def test_which_time_the_words_appear_is_said_plainly(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel

    open_browse(window, qtbot)
    row = next(i for i, f in enumerate(window.browse.model.facts()) if f.kind == "number")
    window.browse.view.table.selectRow(row)
    window.browse.view.table.setFocus()
    qtbot.keyClick(window.browse.view.table, Qt.Key.Key_Return)
    dialog = last_dialog(window, FactEditorDialog)
    box = dialog.occurrence
    assert box.text() == "Only once in the article"
    box.setValue(2)
    assert box.text() == "The 2nd time they appear"
    box.setValue(21)
    assert box.text() == "The 21st time they appear"
    labels = [w.text() for w in dialog.findChildren(QLabel) if w.buddy() is box]
    assert labels == ["Which &time"]
    assert "Only one in the article" not in box.text()
    # The words are never cut: the box is as wide as its longest text.
    for value in (0, 888):
        box.setValue(value)
        assert box.width() >= box.fontMetrics().horizontalAdvance(box.text()) + 20, box.text()
    dialog.reject()


def test_suspend_and_edit_need_a_selection(window: MainWindow, qtbot: QtBot) -> None:
    open_browse(window, qtbot)
    v = window.browse.view
    window.browse.select_fact(None)
    assert window.browse.current_card() is not None
    assert v.suspend.isEnabled() and v.edit.isEnabled()
    v.cards.selectionModel().clearSelection()  # no card selected: nothing to suspend
    assert window.browse.current_card() is None
    assert not v.suspend.isEnabled() and v.edit.isEnabled()
    v.cards.selectRow(0)
    assert v.suspend.isEnabled()
    v.table.selectionModel().clearSelection()  # no fact selected: nothing to act on
    assert not v.suspend.isEnabled() and not v.edit.isEnabled() and not v.read.isEnabled()
    v.table.selectRow(v.table.currentIndex().row())
    assert v.edit.isEnabled() and v.suspend.isEnabled()
    # Suspend with no card selected does nothing.
    v.cards.selectionModel().clearSelection()
    window.browse.toggle_suspend()
    assert "suspended" not in window.status.text()


@pytest.mark.parametrize("size", [None, (1366, 728)])
def test_column_headers_are_not_cut(window: MainWindow, qtbot: QtBot,
                                    size: tuple[int, int] | None) -> None:
    """At the window's default size and on a small screen, every header reads whole."""
    window.show()
    qtbot.waitExposed(window)
    if size is not None:
        window.resize(*size)
    open_browse(window, qtbot)
    v = window.browse.view
    for deck_filter in (0, 1):  # all decks (with the Deck column), then one deck
        v.deck_filter.setCurrentIndex(deck_filter)
        qtbot.wait(20)
        header = v.table.horizontalHeader()
        for table in (v.table, v.cards, v.history):
            header = table.horizontalHeader()
            model = table.model()
            for i in range(header.count()):
                if header.isSectionHidden(i):
                    continue
                label = model.headerData(i, Qt.Orientation.Horizontal)
                assert header.sectionSize(i) >= header.sectionSizeHint(i), (label, size)


def test_browse_shows_facts_no_question_can_ask(window: MainWindow, qtbot: QtBot) -> None:
    """The seed's quotes with no question form are listed with a state that says so and
    the reason in its tooltip, so a teacher can fix them; they have no card."""
    open_browse(window, qtbot)
    window.browse.refresh()
    model = window.browse.model
    rows = {model.fact_at(r).key: r for r in range(model.rowCount())}  # type: ignore[union-attr]
    assert len(rows) == 40
    held = [k for k, r in rows.items()
            if model.data(model.index(r, FactTableModel.STATE)) == "No question"]
    assert sorted(held) == sorted(["q-peskov", "q-moscow-accuses", "q-armenia-position",
                                   "q-pashinyan-clarified"])
    tip = model.data(model.index(rows["q-peskov"], FactTableModel.STATE),
                     Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("No question can be asked about this fact, so it is not studied: ")
    studied = model.data(model.index(rows["d-trilateral-statement"], FactTableModel.STATE))
    assert studied == "New"


def test_the_deck_filter_shows_a_long_deck_name_in_full(window: MainWindow, qtbot: QtBot) -> None:
    """Where the window has room, the deck filter widens to show the chosen deck's whole
    name rather than cutting it; at the default size the filters still fit."""
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    open_browse(window, qtbot)
    window.browse.set_deck(seed_deck_id(window))
    box = window.browse.view.deck_filter
    name = box.currentText()
    assert name == "Russian peacekeepers leave Nagorno-Karabakh"

    def text_room() -> int:
        opt = QStyleOptionComboBox()
        box.initStyleOption(opt)
        field = box.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField, box)
        return field.width()

    for width in (1040, 1366):
        window.resize(width, 720)
        qtbot.waitUntil(lambda w=width: window.width() == w, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: text_room() >= box.fontMetrics().horizontalAdvance(name),
                        timeout=WAIT_MS)
        # … and no wider than its longest name needs.
        longest = max(box.fontMetrics().horizontalAdvance(box.itemText(i))
                      for i in range(box.count()))
        assert text_room() < longest + 40
        count = window.browse.view.count
        assert count.isVisible()
        assert count.geometry().left() >= box.geometry().right()  # nothing overlaps
