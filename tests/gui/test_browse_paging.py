"""The Browse list fetches row details page by page: the count is the full count at once,
scrolling fetches more, sorting fetches the rest; on a real SQLite file, offscreen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.browse import SUMMARY_PAGE, FactQuery, search_facts
from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.gui.main_window import MainWindow
from quizapp.gui.models.fact_table_model import FactTableModel
from tests.gui.conftest import WAIT_MS, query
from tests.gui.test_browse import open_browse

N = 3 * SUMMARY_PAGE + 17  # more facts than three pages


def big_deck(n: int = N, skip: int | None = None) -> Deck:
    facts = tuple(Fact(id=f"note-{i:04d}", kind=FactKind.QA,
                       front=f"Which river does bridge {i} cross?" if i % 3 else f"Tower {i}?",
                       back=f"river {n - i}") for i in range(n) if i != skip)
    return Deck(id="big", name="Big notes", facts=facts)


def with_big_deck(window: MainWindow, qtbot: QtBot) -> int:
    assert window.library is not None
    result = window.library.collection.import_deck(big_deck())
    window.refresh_decks()
    open_browse(window, qtbot)
    window.browse.set_deck(result.deck_id)
    qtbot.waitUntil(lambda: window.browse.model.rowCount() == N, timeout=WAIT_MS)
    return result.deck_id


def test_count_is_full_and_only_the_first_page_is_fetched(window: MainWindow,
                                                           qtbot: QtBot) -> None:
    with_big_deck(window, qtbot)
    model = window.browse.model
    assert window.browse.view.count.text() == f"{N} facts"
    assert model.rowCount() == N
    assert SUMMARY_PAGE <= model.fetched() < N
    # The rows fetched are the ones shown first, with the core's details.
    assert window.profile is not None and window.library is not None
    core = search_facts(window.library.collection, window.profile.profile_id,
                        FactQuery(deck_id=window.browse.view.deck_filter.currentData()),
                        window.browse.clock())
    assert model.fact_at(0) == core[0]
    assert model.data(model.index(0, FactTableModel.FACT)) == core[0].text


def test_scrolling_fetches_more_pages(window: MainWindow, qtbot: QtBot) -> None:
    with_big_deck(window, qtbot)
    model = window.browse.model
    table = window.browse.view.table
    before = model.fetched()
    assert before < N
    table.scrollToBottom()
    qtbot.waitUntil(lambda: model.fetched() > before, timeout=WAIT_MS)
    last = model.index(N - 1, FactTableModel.FACT)
    assert model.data(last) is not None
    assert model.fetched() < N, "only the pages shown are fetched"
    # Every row reads the same as the full search, fetched or not yet.
    assert window.profile is not None and window.library is not None
    core = search_facts(window.library.collection, window.profile.profile_id,
                        FactQuery(deck_id=window.browse.view.deck_filter.currentData()),
                        window.browse.clock())
    assert [model.fact_at(r) for r in range(N)] == core
    assert model.fetched() == N


def test_text_search_count_and_selection_across_pages(window: MainWindow, qtbot: QtBot,
                                                      quizapp_home: Path) -> None:
    deck_id = with_big_deck(window, qtbot)
    browse = window.browse
    browse.view.search.setText("bridge")
    browse.refresh()
    (expected,) = query(quizapp_home, "SELECT count(*) FROM fact WHERE deck_id = ? AND "
                        "retired = 0 AND lower(front) LIKE '%bridge%'", deck_id)[0]
    assert isinstance(expected, int) and expected > 2 * SUMMARY_PAGE
    assert browse.model.rowCount() == expected
    assert browse.view.count.text() == f"{expected} facts"
    # Select a fact far down the list; a refresh keeps it selected.
    row = expected - 3
    browse.view.table.selectRow(row)
    fact = browse.current_fact()
    assert fact is not None and "bridge" in fact.text
    browse.refresh()
    current = browse.current_fact()
    assert current is not None and current.fact_row_id == fact.fact_row_id
    assert browse.view.table.currentIndex().row() == row
    # Going to a fact by key finds it even when its page was not fetched.
    key = f"note-{N - 5:04d}"
    browse.select_fact_key(deck_id, key)
    current = browse.current_fact()
    assert current is not None and current.key == key
    assert browse.view.table.currentIndex().row() == N - 5


def test_sorting_fetches_every_row_and_orders_them(window: MainWindow, qtbot: QtBot) -> None:
    with_big_deck(window, qtbot)
    model = window.browse.model
    table = window.browse.view.table
    table.sortByColumn(FactTableModel.DETAIL, Qt.SortOrder.DescendingOrder)
    assert model.fetched() == N
    details = [model.data(model.index(r, FactTableModel.DETAIL)) for r in range(N)]
    assert details == sorted(details, key=str.casefold, reverse=True)
    # The order is kept when the search runs again.
    window.browse.refresh()
    assert [model.data(model.index(r, FactTableModel.DETAIL)) for r in range(N)] == details


def test_a_fact_gone_before_its_page_is_fetched(window: MainWindow, qtbot: QtBot) -> None:
    with_big_deck(window, qtbot)
    model = window.browse.model
    assert window.library is not None
    # Retire a fact on the last page after the search listed it.
    window.library.collection.import_deck(big_deck(skip=N - 1))
    assert model.fact_at(N - 1) is None
    assert model.data(model.index(N - 1, FactTableModel.FACT)) is None
    assert model.fact_at(N - 2) is not None
    assert len(model.facts()) == N - 1
