"""The main window: deck list, profiles, settings, import errors, dialogs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from quizapp.gui.main_window import MainWindow
from quizapp.gui.models.deck_list_model import DeckListModel, DeckSummary
from quizapp.gui.views.dialogs import AboutDialog, ImportErrorDialog
from quizapp.storage import repository as repo
from tests.gui.conftest import WAIT_MS, query


def test_deck_list_shows_seed_deck_with_repository_counts(window: MainWindow) -> None:
    # The profile, then the app's name once (Qt appends the display name to a title
    # that does not end with it).
    assert window.windowTitle() == f"{window.profile.name} — quizapp" if window.profile \
        else window.windowTitle() == "quizapp"
    assert window.windowTitle().count("quizapp") == 1
    assert not window.windowIcon().isNull()
    model = window.deck_model
    assert model.rowCount() == 1
    assert window.library is not None and window.profile is not None
    with window.library.collection.session() as s:
        seed = repo.find_deck(s, "seed")
        assert seed is not None and seed.id is not None
        counts = repo.card_counts(s, window.profile.profile_id)[seed.id]
    name = model.data(model.index(0, DeckListModel.NAME))
    assert name == seed.name
    # New as Anki shows it: the new cards (36: 4 of the seed's 40 facts have no
    # question), at most the day's new limit (20 by default).
    assert counts["new"] == 36
    assert model.data(model.index(0, DeckListModel.NEW)) == min(counts["new"], 20) == 20
    assert model.data(model.index(0, DeckListModel.LEARNING)) == counts["learning"]
    # Due counts review cards due today: on a fresh profile there are none.
    assert model.data(model.index(0, DeckListModel.DUE)) == 0 == counts["review"]
    assert counts["new"] > 0
    assert window.profile.name == repo.DEFAULT_PROFILE
    assert window.deck_page.profiles.currentText() == repo.DEFAULT_PROFILE
    assert window.deck_page.study_button.isEnabled()


def test_deck_list_model_without_widgets() -> None:
    model = DeckListModel()
    model.set_decks([DeckSummary(1, "a", "Alpha", "", 3, 2, 1, 6)])
    assert model.rowCount() == 1 and model.columnCount() == 4
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Deck"
    assert [model.data(model.index(0, c)) for c in range(4)] == ["Alpha", 3, 2, 1]
    assert model.data(model.index(0, 1), Qt.ItemDataRole.AccessibleTextRole) == "3 new"


def test_profile_switcher_creates_renames_and_deletes(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    combo = window.deck_page.profiles
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Ada", True))
    # Pick "New profile…" from the switcher, as a user would.
    new_index = combo.findData("new")
    assert new_index >= 0
    combo.setCurrentIndex(new_index)
    combo.activated.emit(new_index)
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.name == "Ada",
                    timeout=WAIT_MS)
    assert combo.currentText() == "Ada"
    names = [r[0] for r in query(quizapp_home, "SELECT name FROM profile ORDER BY id")]
    assert names == [repo.DEFAULT_PROFILE, "Ada"]
    # The new learner has cards for the seed deck, all new.
    assert window.deck_model.decks()[0].new > 0
    assert window.deck_page.delete_button.isEnabled()

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Ada L.", True))
    qtbot.mouseClick(window.deck_page.rename_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: combo.currentText() == "Ada L.", timeout=WAIT_MS)

    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes
    )
    qtbot.mouseClick(window.deck_page.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: combo.currentText() == repo.DEFAULT_PROFILE, timeout=WAIT_MS)
    names = [r[0] for r in query(quizapp_home, "SELECT name FROM profile ORDER BY id")]
    assert names == [repo.DEFAULT_PROFILE]
    assert not window.deck_page.delete_button.isEnabled()


def test_taken_profile_name_is_refused(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (repo.DEFAULT_PROFILE, True))
    assert window.new_profile() is False
    qtbot.waitUntil(lambda: any(isinstance(d, QMessageBox) for d in window.open_dialogs()),
                    timeout=WAIT_MS)


def test_settings_remember_size_and_profile(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Grace", True))
    assert window.new_profile()
    window.resize(900, 650)
    window.close()
    data = json.loads((quizapp_home / "gui.json").read_text(encoding="utf-8"))
    assert data["last_profile"] == "Grace"
    assert (data["width"], data["height"]) == (900, 650)

    from quizapp.gui.settings import GuiSettings

    again = MainWindow(GuiSettings.load())
    qtbot.addWidget(again)
    again.show()
    again.open_collection()
    qtbot.waitUntil(lambda: again.profile is not None, timeout=WAIT_MS)
    assert again.profile is not None and again.profile.name == "Grace"
    assert (again.width(), again.height()) == (900, 650)
    again.close()


def test_import_error_lists_problems(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, quizapp_home: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('format = 1\nid = "x"\n[[facts]]\nid = "d1"\nkind = "date"\n',
                   encoding="utf-8")
    before = query(quizapp_home, "SELECT count(*) FROM deck")
    window.import_deck(bad)
    qtbot.waitUntil(
        lambda: any(isinstance(d, ImportErrorDialog) for d in window.open_dialogs()),
        timeout=WAIT_MS,
    )
    dialog = next(d for d in window.open_dialogs() if isinstance(d, ImportErrorDialog))
    assert dialog.problems.count() >= 1
    assert dialog.problems.item(0).text().startswith("Line ")
    assert query(quizapp_home, "SELECT count(*) FROM deck") == before
    dialog.close()


def test_import_good_deck_adds_a_row(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    deck = tmp_path / "capitals.toml"
    deck.write_text(
        'format = 1\nid = "capitals"\nname = "Capitals"\n'
        '[[facts]]\nid = "qa-1"\nkind = "qa"\nfront = "Capital of Peru?"\nback = "Lima"\n',
        encoding="utf-8",
    )
    window.import_deck(deck)
    qtbot.waitUntil(lambda: window.deck_model.rowCount() == 2, timeout=WAIT_MS)
    names = [d.name for d in window.deck_model.decks()]
    assert "Capitals" in names
    assert "Imported" in window.status.text()


def test_about_names_the_seed_article_and_its_licence(window: MainWindow, qtbot: QtBot) -> None:
    window.act_about.trigger()
    qtbot.waitUntil(lambda: any(isinstance(d, AboutDialog) for d in window.open_dialogs()),
                    timeout=WAIT_MS)
    dialog = next(d for d in window.open_dialogs() if isinstance(d, AboutDialog))
    from PySide6.QtWidgets import QLabel

    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Russian peacekeepers leave Nagorno-Karabakh" in text
    assert "Supplied by the project" in text
    dialog.close()


def test_every_control_has_an_accessible_name(window: MainWindow) -> None:
    assert_accessible(window)


def assert_accessible(root: QWidget) -> None:
    """Every interactive control under ``root`` has a name a screen reader can say."""
    kinds = (QAbstractButton, QComboBox, QLineEdit, QListWidget, QTableView, QProgressBar)
    missing = [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, kinds)
        and not w.accessibleName()
        and not (isinstance(w, QAbstractButton) and w.text())
        and not w.objectName().startswith("qt_")
    ]
    assert not missing, [f"{type(w).__name__}:{w.objectName()}" for w in missing]


def _menu_import(window: MainWindow, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """File → Import, the file dialog answering ``path``."""
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    window.act_import.trigger()


def _replace_box(window: MainWindow, qtbot: QtBot) -> QMessageBox:
    def shown() -> QMessageBox | None:
        return next((d for d in window.open_dialogs() if isinstance(d, QMessageBox)
                     and d.objectName() == "replace-deck"), None)

    qtbot.waitUntil(lambda: shown() is not None, timeout=WAIT_MS)
    box = shown()
    assert box is not None
    return box


def test_menu_import_of_a_shortened_deck_is_refused_like_the_command_line(
        window: MainWindow, qtbot: QtBot, tmp_path: Path, quizapp_home: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from quizapp.cli import main

    def deck(name: str, ids: range) -> Path:
        path = tmp_path / name
        path.write_text('format = 1\nid = "capitals"\nname = "Capitals"\n' + "".join(
            f'[[facts]]\nid = "qa-{i}"\nkind = "qa"\nfront = "Capital {i}?"\nback = "C{i}"\n'
            for i in ids), encoding="utf-8")
        return path

    def retired() -> object:
        return query(quizapp_home, "SELECT count(*) FROM fact JOIN deck ON deck.id = fact.deck_id "
                     "WHERE deck.key = 'capitals' AND fact.retired")[0][0]

    _menu_import(window, deck("full.toml", range(10)), monkeypatch)
    qtbot.waitUntil(lambda: "Imported" in window.status.text(), timeout=WAIT_MS)
    short = deck("short.toml", range(2))
    capsys.readouterr()
    assert main(["import", str(short)]) == 2
    cli_reasons = [line.split(": deck: ", 1)[1] for line in capsys.readouterr().err.splitlines()]

    _menu_import(window, short, monkeypatch)
    box = _replace_box(window, qtbot)
    assert cli_reasons[0] in box.text()  # the same reason, in the same words
    assert "was not imported" in box.text()
    assert retired() == 0
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: "nothing was changed" in window.status.text(), timeout=WAIT_MS)
    assert retired() == 0

    _menu_import(window, short, monkeypatch)
    box = _replace_box(window, qtbot)
    anyway = next(b for b in box.buttons() if b.text() == "Import anyway")
    anyway.click()
    qtbot.waitUntil(lambda: retired() == 8, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "8 retired" in window.status.text(), timeout=WAIT_MS)


def test_menu_import_of_a_matching_file_offers_a_separate_deck(
        window: MainWindow, qtbot: QtBot, tmp_path: Path, quizapp_home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The fact deck's own .apkg matches it by name: refused, then kept apart on request."""
    from quizapp.cli import main

    package = tmp_path / "seed.apkg"
    assert main(["export", "seed", str(package)]) == 0
    names_before = {r[0] for r in query(quizapp_home, "SELECT name FROM deck")}
    _menu_import(window, package, monkeypatch)
    box = _replace_box(window, qtbot)
    separate = next(b for b in box.buttons() if b.text() == "Import as a new deck")
    separate.click()
    qtbot.waitUntil(lambda: len(query(quizapp_home, "SELECT name FROM deck")) == 2,
                    timeout=WAIT_MS)
    names = {r[0] for r in query(quizapp_home, "SELECT name FROM deck")}
    (seed_name,) = names_before
    assert names == {seed_name, f"{seed_name} (2)"}
    qtbot.waitUntil(lambda: "Imported" in window.status.text(), timeout=WAIT_MS)


def test_menu_import_of_a_spreadsheet_with_bad_rows_offers_the_good_ones(
        window: MainWindow, qtbot: QtBot, tmp_path: Path, quizapp_home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "capitals.csv"
    path.write_text("Front,Back\nCapital of France?,Paris\nCapital of Peru?,\n"
                    "Capital of Italy?,Rome\n", encoding="utf-8")

    def stored() -> int:
        return len(query(quizapp_home, "SELECT id FROM deck WHERE key = 'capitals'"))

    def box() -> QMessageBox:
        def shown() -> QMessageBox | None:
            return next((d for d in window.open_dialogs() if isinstance(d, QMessageBox)
                         and d.objectName() == "skip-bad-rows" and d.isVisible()), None)

        qtbot.waitUntil(lambda: shown() is not None, timeout=WAIT_MS)
        found = shown()
        assert found is not None
        return found

    _menu_import(window, path, monkeypatch)
    first = box()
    assert "Line 3: back: empty (column 2)" in first.text()
    assert "Nothing was imported" in first.text()
    first.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: "nothing was changed" in window.status.text(), timeout=WAIT_MS)
    assert stored() == 0

    _menu_import(window, path, monkeypatch)
    second = box()
    skip = next(b for b in second.buttons() if b.text() == "Import the 2 good rows and skip 1")
    skip.click()
    qtbot.waitUntil(lambda: stored() == 1, timeout=WAIT_MS)
    assert len(query(quizapp_home, "SELECT f.id FROM fact f JOIN deck d ON d.id = f.deck_id "
                                   "WHERE d.key = 'capitals'")) == 2


def test_the_shortcuts_dialog_fits_a_small_screen(window: MainWindow, qtbot: QtBot) -> None:
    from quizapp.gui.views.dialogs import SHORTCUTS, ShortcutsDialog

    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    size = dialog.sizeHint()
    assert size.height() <= 768 - 48 and size.width() <= 1366  # a taskbar's room left
    shown = "".join(label.text() for label in dialog.columns)
    for _group, items in SHORTCUTS:
        for _keys, action in items:
            assert action.replace("'", "&#x27;") in shown or action in shown


def test_the_csv_format_is_explained_in_the_help_menu_and_on_a_refusal(
        window: MainWindow, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.gui.views.dialogs import CsvFormatDialog, ImportErrorDialog

    window.act_csv_format.trigger()
    shown = next(d for d in window.open_dialogs() if isinstance(d, CsvFormatDialog))
    text = shown.text.text()
    for words in ("Front, Question, Term", "Back, Answer, Definition", "Tags", "UTF-8",
                  "UTF-16", "--skip-bad-rows", "Comma, semicolon, tab"):
        assert words in text, words
    shown.close()
    # A refused spreadsheet's problem list has a Format… button that opens the same text.
    path = tmp_path / "one.csv"
    path.write_text("Front,Back\nA,\n", encoding="utf-8")
    _menu_import(window, path, monkeypatch)
    qtbot.waitUntil(lambda: any(isinstance(d, ImportErrorDialog) for d in window.open_dialogs()),
                    timeout=WAIT_MS)
    refused = next(d for d in window.open_dialogs() if isinstance(d, ImportErrorDialog))
    assert refused.format_button is not None
    refused.format_button.click()
    qtbot.waitUntil(lambda: refused.findChild(CsvFormatDialog) is not None, timeout=WAIT_MS)


def test_the_practice_test_page_highlights_no_tab_and_escape_asks_first(
        window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QApplication

    from quizapp.gui.controllers.practice_test_panel import PracticeTestPanel

    window.show()
    qtbot.waitExposed(window)
    window.start_practice_test()
    practice = window.practice
    assert practice is not None
    assert not any(b.isChecked() for b in window.nav.buttons.values())
    qtbot.mouseClick(practice.view.setup.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: practice.state == PracticeTestPanel.QUESTION, timeout=WAIT_MS)
    asked: list[str] = []

    def answer(choice: QMessageBox.StandardButton) -> object:
        def ask(_parent: object, title: str, *_a: object, **_k: object) -> object:
            asked.append(title)
            return choice
        return staticmethod(ask)

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    qtbot.keyClick(QApplication.focusWidget() or practice.view, Qt.Key.Key_Escape)
    assert asked == ["End the practice test?"]
    assert practice.active and window.pages.currentWidget() is practice.view
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    qtbot.keyClick(QApplication.focusWidget() or practice.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.deck_page, timeout=WAIT_MS)
    assert not practice.active
    assert window.nav.buttons["decks"].isChecked()
