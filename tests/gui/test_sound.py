"""Sound, for real: Qt Multimedia decodes a deck's sound, R plays it, and it reaches an
output device (the test run's PulseAudio null sink, recorded from its monitor).

What is not checked: that a loudspeaker makes the sound. The run's only output
device is the null sink, which plays into nothing; what reached it is recorded.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.facts.media import media_file
from quizapp.gui.main_window import MainWindow
from quizapp.gui.views.media_view import NO_DEVICE_TIP, NO_SOUND_TIP, SoundPlayer
from quizapp.questions.model import Form
from tests.gui.conftest import WAIT_MS
from tests.gui.test_study import wait_question
from tests.mediadata import tone
from tests.sound_server import Recording, SoundServer
from tests.test_media import flags_deck

ROOT = Path(__file__).resolve().parents[2]
TONE = tone(1500)


def media_status(player: SoundPlayer) -> str:
    qt = player.qt_player
    return "" if qt is None else qt.mediaStatus().name


def test_the_player_decodes_a_real_sound_file(sound_server: SoundServer, qtbot: QtBot) -> None:
    player = SoundPlayer()
    assert player.problem() is None and player.available
    assert player.play(media_file("tone.wav", TONE))
    qtbot.waitUntil(lambda: media_status(player) in (
        "LoadedMedia", "BufferingMedia", "BufferedMedia", "EndOfMedia"), timeout=WAIT_MS)
    assert player.qt_player.duration() == 1500  # the file's 12,000 frames at 8 kHz
    assert player.qt_player.error().name == "NoError"
    assert Path(player.source().toLocalFile()).read_bytes() == TONE  # type: ignore[union-attr]
    player.stop()


def test_r_in_the_study_screen_plays_the_sound_to_the_output_device(
        sound_server: SoundServer, window: MainWindow, qtbot: QtBot) -> None:
    deck = flags_deck()
    deck = dataclasses.replace(deck, media=tuple(
        media_file("nihon.wav", TONE) if m.name == "nihon.wav" else m for m in deck.media))
    assert window.library is not None
    window.library.collection.import_deck(deck)
    window.refresh_decks()
    window.deck_page.select_deck(next(d for d in window.deck_model.decks()
                                      if d.key == "flags").deck_id)
    window.start_study()
    study = window.study
    question = wait_question(qtbot, study)
    while question.fact_id != "jp":
        study.view.flashcard_panel.show_button.click()
        study.rate(3)
        question = wait_question(qtbot, study)
    assert question.form is Form.FLASHCARD
    strip = study.view.card.media
    study.view.flashcard_panel.show_button.click()  # the answer side: its sound plays once
    qtbot.waitUntil(lambda: len(strip.sound_buttons) == 1, timeout=WAIT_MS)
    (button,) = strip.sound_buttons
    assert button.isEnabled() and button.toolTip() == "Play the sound again (R)"
    player = strip.player
    qt = player.qt_player
    assert qt is not None
    qtbot.waitUntil(lambda: qt.playbackState().name == "PlayingState", timeout=WAIT_MS)
    player.stop()
    qtbot.waitUntil(lambda: qt.playbackState().name == "StoppedState", timeout=WAIT_MS)

    recording = Recording(sound_server)
    try:
        qtbot.keyClick(study.view, Qt.Key.Key_R)
        assert player.requests == ["nihon.wav", "nihon.wav"]
        qtbot.waitUntil(lambda: qt.playbackState().name == "PlayingState", timeout=WAIT_MS)
        assert Path(qt.source().toLocalFile()).read_bytes() == TONE
        assert qt.duration() == 1500
        qtbot.waitUntil(lambda: qt.position() > 0, timeout=WAIT_MS)  # it moves on
        qtbot.waitUntil(lambda: qt.mediaStatus().name == "EndOfMedia", timeout=WAIT_MS)
    finally:
        samples = recording.stop()
    # The tone reached the output device: a good share of its 12,000 samples, loud.
    loud = sum(1 for s in samples if abs(s) > 2000)
    assert loud > 3000, f"{loud} loud samples of {len(samples)} recorded"


NO_DEVICE = textwrap.dedent("""
    import sys
    from PySide6.QtWidgets import QApplication
    {block}
    from quizapp.facts.media import media_file
    from quizapp.gui.views.media_view import MediaStrip
    app = QApplication(sys.argv)
    strip = MediaStrip()
    strip.show_media([(media_file("a.wav", sys.stdin.buffer.read()), "a.wav")])
    (button,) = strip.sound_buttons
    print(button.isEnabled(), strip.replay(), strip.player.requests, sep="|")
    print(button.toolTip())
""")

BLOCK_MULTIMEDIA = textwrap.dedent("""
    import importlib.abc
    class NoMultimedia(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name == "PySide6.QtMultimedia":
                raise ImportError("libpulse.so.0: cannot open shared object file")
            return None
    sys.meta_path.insert(0, NoMultimedia())
""")


@pytest.mark.parametrize(("block", "tip"), [("", NO_DEVICE_TIP),
                                             (BLOCK_MULTIMEDIA, NO_SOUND_TIP)],
                         ids=["no-output-device", "no-qt-multimedia"])
def test_without_a_device_or_qt_multimedia_the_sound_button_is_disabled_and_says_why(
        block: str, tip: str, tmp_path: Path) -> None:
    # A real Qt in its own process whose sound server does not exist: no output device.
    # (Qt Multimedia missing is shown by refusing its import, as a failed load does.)
    import os

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "PULSE_SERVER": f"unix:{tmp_path / 'no-such-socket'}"}
    done = subprocess.run([sys.executable, "-c", NO_DEVICE.format(block=block)], input=TONE,
                          capture_output=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    lines = done.stdout.decode().splitlines()
    assert lines[0] == "False|False|['a.wav', 'a.wav']"  # asked twice, played never
    assert lines[1] == tip
