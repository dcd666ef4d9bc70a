"""Pictures and sounds on screen: the study card (question, answer, R) and Browse."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.gui.controllers.study_panel import StudyPanel
from quizapp.gui.main_window import MainWindow
from quizapp.gui.views.media_view import MAX_PICTURE, MediaStrip, SoundPlayer
from quizapp.questions.model import Form
from tests.gui.conftest import WAIT_MS
from tests.gui.test_study import wait_question
from tests.mediadata import png
from tests.test_media import SOUND, flags_deck


def open_flags(window: MainWindow) -> None:
    assert window.library is not None
    window.library.collection.import_deck(flags_deck())
    window.refresh_decks()
    deck = next(d for d in window.deck_model.decks() if d.key == "flags")
    window.deck_page.select_deck(deck.deck_id)


def test_the_study_card_shows_the_questions_picture_and_the_answers_sound_after(
        window: MainWindow, qtbot: QtBot) -> None:
    open_flags(window)
    window.start_study()
    study = window.study
    question = wait_question(qtbot, study)
    strip = study.view.card.media
    while question.fact_id != "jp":  # the deck's other note may come first
        study.view.flashcard_panel.show_button.click()
        study.rate(3)
        question = wait_question(qtbot, study)
    assert question.form is Form.FLASHCARD
    # The question side: its picture, scaled never up, named for screen readers;
    # the sound belongs to the answer and is neither shown nor played yet.
    assert strip.isVisible()
    (picture,) = strip.pictures
    assert picture.accessibleName() == "A red disc on white"
    assert picture.pixmap().size().toTuple() == (3, 2)
    assert strip.sound_buttons == [] and strip.player.requests == []
    # The answer side: the picture stays, the sound comes and plays once; R plays it again.
    study.view.flashcard_panel.show_button.click()
    qtbot.waitUntil(lambda: len(strip.sound_buttons) == 1, timeout=WAIT_MS)
    assert strip.sound_buttons[0].accessibleName() == "Play sound: nihon.wav"
    assert [p.accessibleName() for p in strip.pictures] == ["A red disc on white"]
    assert strip.player.requests == ["nihon.wav"]
    qtbot.keyClick(study.view, Qt.Key.Key_R)
    assert strip.player.requests == ["nihon.wav", "nihon.wav"]
    # Qt Multimedia comes with quizapp and the test run has an output device (the
    # sound server of tests/sound_server.py): the player holds the sound's file.
    assert strip.player.available and strip.sound_buttons[0].isEnabled()
    source = strip.player.source()
    assert source is not None and Path(source.toLocalFile()).read_bytes() == SOUND


def test_a_question_without_media_hides_the_strip(window: MainWindow, qtbot: QtBot) -> None:
    open_flags(window)
    window.start_study()
    study = window.study
    question = wait_question(qtbot, study)
    while question.fact_id != "tokyo":
        study.view.flashcard_panel.show_button.click()
        study.rate(3)
        question = wait_question(qtbot, study)
    assert not study.view.card.media.isVisible() and study.view.card.media.pictures == []
    assert study.state == StudyPanel.QUESTION


def test_a_large_picture_is_scaled_down_to_fit(qtbot: QtBot) -> None:
    from quizapp.facts.media import media_file

    strip = MediaStrip(player=SoundPlayer())
    qtbot.addWidget(strip)
    strip.show_media([(media_file("big.png", png(2000, 500)), "A wide banner")])
    (picture,) = strip.pictures
    size = picture.pixmap().size()
    assert size.width() == MAX_PICTURE.width() and size.height() == MAX_PICTURE.width() // 4
    # Bytes Qt cannot read as a picture leave the text alternative on screen.
    strip.show_media([(media_file("broken.png", b"not a png"), "Broken")])
    assert strip.pictures[0].text() == "[image: Broken]"
    assert strip.pictures[0].accessibleName() == "Broken"


def test_browse_shows_the_facts_pictures_and_sound(window: MainWindow, qtbot: QtBot) -> None:
    from tests.gui.test_browse import open_browse

    open_flags(window)
    open_browse(window, qtbot)
    deck = next(d for d in window.deck_model.decks() if d.key == "flags")
    window.browse.select_fact_key(deck.deck_id, "jp")
    strip = window.browse.view.fact_media
    qtbot.waitUntil(lambda: len(strip.pictures) == 1, timeout=WAIT_MS)
    assert strip.pictures[0].accessibleName() == "A red disc on white"
    assert [b.accessibleName() for b in strip.sound_buttons] == ["Play sound: nihon.wav"]
    assert strip.player.requests == []  # browsing plays nothing by itself
    window.browse.select_fact_key(deck.deck_id, "tokyo")
    qtbot.waitUntil(lambda: not strip.pictures, timeout=WAIT_MS)
    assert not strip.isVisible()


def test_the_editor_adds_a_picture_to_a_fact(window: MainWindow, qtbot: QtBot,
                                             tmp_path: Path) -> None:
    from quizapp.gui.views.fact_editor import FactEditorDialog
    from quizapp.services.media import media_of_deck
    from tests.gui.test_browse import open_browse

    open_flags(window)
    open_browse(window, qtbot)
    deck = next(d for d in window.deck_model.decks() if d.key == "flags")
    window.browse.select_fact_key(deck.deck_id, "tokyo")
    dialog = window.browse.edit_selected()
    assert isinstance(dialog, FactEditorDialog)
    assert dialog.add_picture_button.isEnabled() and dialog.media_label.text() == "None"
    # A sound, a name another file of the deck has, and a file too large are refused.
    (tmp_path / "a.wav").write_bytes(SOUND)
    assert not dialog.add_picture_file(str(tmp_path / "a.wav"))
    assert "not a picture" in dialog.form_error.text()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "japan.png").write_bytes(png(1, 1))
    assert not dialog.add_picture_file(str(tmp_path / "other" / "japan.png"))
    assert "another file named 'japan.png'" in dialog.form_error.text()
    tower = tmp_path / "tower.png"
    tower.write_bytes(png(4, 4))
    assert dialog.add_picture_file(str(tower))
    assert dialog.media_label.text() == "tower.png"
    assert dialog.field_text("front") == "Capital of Japan? [image: tower.png]"
    front = dialog.fields["front"]
    front.setText("Capital of Japan? [image: Tokyo Tower]")  # type: ignore[attr-defined]
    dialog.try_save()
    assert dialog.result() == FactEditorDialog.DialogCode.Accepted, dialog.form_error.text()
    assert window.library is not None
    col = window.library.collection
    fact = col.load_deck("flags").fact("tokyo")
    assert fact.media == ("tower.png",) and fact.front == "Capital of Japan? [image: Tokyo Tower]"
    assert {m.name: m.data for m in media_of_deck(col, "flags")}["tower.png"] == tower.read_bytes()
    # Editing the fact again keeps its picture.
    window.browse.select_fact_key(deck.deck_id, "tokyo")
    again = window.browse.edit_selected()
    assert isinstance(again, FactEditorDialog) and again.media == ["tower.png"]
    again.fields["back"].setText("Tokyo (東京)")  # type: ignore[attr-defined]
    again.try_save()
    assert col.load_deck("flags").fact("tokyo").media == ("tower.png",)
    strip = window.browse.view.fact_media
    qtbot.waitUntil(lambda: len(strip.pictures) == 1, timeout=WAIT_MS)
    assert strip.pictures[0].accessibleName() == "Tokyo Tower"


def test_a_practice_test_shows_the_questions_picture(qtbot: QtBot, quizapp_home: Path) -> None:
    from quizapp.gui.controllers.practice_test_panel import PracticeTestPanel
    from quizapp.gui.views.practice_test_view import DeckChoice, TestSetupValues
    from quizapp.quiz import TestStyle
    from quizapp.services.collection import Collection

    col = Collection.open()
    try:
        import dataclasses

        deck = flags_deck()
        result = col.import_deck(dataclasses.replace(deck, facts=deck.facts[:1]))  # the flag
        pid = col.profile().id
        assert pid is not None
        panel = PracticeTestPanel(None)
        qtbot.addWidget(panel.view)
        panel.view.show()
        panel.set_context(col, pid, [DeckChoice(result.deck_id, "Flags", 1)])
        assert panel.start(TestSetupValues((result.deck_id,), 1, None, None, TestStyle.PRACTICE))
        strip = panel.view.question.card.media
        seen = {}
        assert panel.test is not None
        for _ in panel.test.questions:
            q = panel.question
            assert q is not None
            seen[q.fact_id] = [p.accessibleName() for p in strip.pictures]
            assert strip.sound_buttons == []  # the answer's sound waits for the answer
            panel.submit(q.answers[0])
            if q.fact_id == "jp":
                assert [b.accessibleName() for b in strip.sound_buttons] == [
                    "Play sound: nihon.wav"]
                assert strip.player.requests == ["nihon.wav"]  # played with the answer
                qtbot.keyClick(panel.view, Qt.Key.Key_R)
                assert strip.player.requests == ["nihon.wav", "nihon.wav"]
            panel.next()
        assert seen == {"jp": ["A red disc on white"]}
        panel.stop()
    finally:
        col.close()


def test_the_reader_shows_a_facts_picture(window: MainWindow, qtbot: QtBot,
                                          tmp_path: Path) -> None:
    from PySide6.QtCore import QUrl

    from quizapp.services.media import add_picture
    from tests.gui.test_reader import open_reader

    assert window.library is not None
    portrait = tmp_path / "tokayev.png"
    portrait.write_bytes(png(5, 6))
    add_picture(window.library.collection, "seed", "p-tokayev", portrait, "A portrait")
    open_reader(window, qtbot)
    strip = window.reader.view.fact_media
    with qtbot.waitSignal(window.reader.fact_shown, timeout=WAIT_MS):
        window.reader.view.browser.anchorClicked.emit(QUrl("fact:p-tokayev"))
    assert [p.accessibleName() for p in strip.pictures] == ["tokayev.png"]
    assert strip.pictures[0].pixmap().size().toTuple() == (5, 6)
    with qtbot.waitSignal(window.reader.fact_shown, timeout=WAIT_MS):
        window.reader.view.browser.anchorClicked.emit(QUrl("fact:d-trilateral-statement"))
    assert strip.pictures == [] and not strip.isVisible()


def test_the_editor_takes_a_picture_off_a_fact_and_the_file_goes_with_it(
        window: MainWindow, qtbot: QtBot) -> None:
    from quizapp.gui.views.fact_editor import FactEditorDialog
    from quizapp.services.media import media_sizes
    from tests.gui.test_browse import open_browse

    open_flags(window)
    open_browse(window, qtbot)
    deck = next(d for d in window.deck_model.decks() if d.key == "flags")
    window.browse.select_fact_key(deck.deck_id, "tokyo")
    plain = window.browse.edit_selected()
    assert isinstance(plain, FactEditorDialog) and not plain.remove_media_button.isEnabled()
    plain.reject()
    window.browse.select_fact_key(deck.deck_id, "jp")
    dialog = window.browse.edit_selected()
    assert isinstance(dialog, FactEditorDialog)
    assert dialog.remove_media_button.isEnabled()
    assert dialog.media_label.text() == "japan.png, nihon.wav"
    assert dialog.remove_media("japan.png")
    # Its text alternative leaves the note's front; the sound stays.
    assert dialog.field_text("front") == "Whose flag is this?"
    assert dialog.media_label.text() == "nihon.wav"
    dialog.try_save()
    assert dialog.result() == FactEditorDialog.DialogCode.Accepted, dialog.form_error.text()
    assert window.library is not None
    col = window.library.collection
    assert col.load_deck("flags").fact("jp").media == ("nihon.wav",)
    assert sorted(media_sizes(col, "flags")) == ["nihon.wav"]  # no fact shows japan.png now
    strip = window.browse.view.fact_media
    qtbot.waitUntil(lambda: not strip.pictures and len(strip.sound_buttons) == 1,
                    timeout=WAIT_MS)


def test_a_bad_picture_found_while_storing_shows_the_import_error_and_stores_nothing(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    # The package's directory reads well; its third picture's bytes are damaged and
    # are read only while the deck is stored: the GUI refuses it as any bad file.
    from quizapp.gui.views.dialogs import ImportErrorDialog
    from tests.test_media_stream import damage_member, picture_package

    path = picture_package(tmp_path / "src", 4, 3000)
    damage_member(path, "p002.png")
    decks = window.deck_model.rowCount()
    window.import_deck(path)
    qtbot.waitUntil(lambda: any(isinstance(d, ImportErrorDialog)
                                for d in window.open_dialogs()), timeout=WAIT_MS)
    dialog = next(d for d in window.open_dialogs() if isinstance(d, ImportErrorDialog))
    assert "'p002.png' cannot be read" in dialog.problems.item(0).text()
    dialog.close()
    assert window.deck_model.rowCount() == decks
    assert window.library is not None
    assert "pictures" not in {d.key for d in window.deck_model.decks()}
