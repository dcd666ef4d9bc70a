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
    if strip.player.available:  # Qt Multimedia installed: the player holds the sound's file
        source = strip.player.source()
        assert source is not None and Path(source.toLocalFile()).read_bytes() == SOUND
    else:  # without it the button says what to install
        assert not strip.sound_buttons[0].isEnabled()
        assert "PySide6-Addons" in strip.sound_buttons[0].toolTip()


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
