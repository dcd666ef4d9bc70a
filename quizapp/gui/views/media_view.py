"""A fact's pictures and sounds on screen: the media strip.

Pictures are shown from their bytes (``QPixmap.loadFromData``), scaled down
to fit the strip and never up, each with its text alternative as accessible
name, so a screen reader says what the picture shows. Sounds are buttons
("Play: nihon.wav"); the first sound plays when a question is shown and
**R** plays it again, as in Anki.

Sound plays through Qt Multimedia (the ``PySide6-Addons`` package, which
quizapp installs, with its own FFmpeg for MP3, Ogg, Opus, AAC, FLAC and WAV).
When it cannot load (on Linux it needs the PulseAudio client library,
``libpulse0``) or the computer has no sound output device, the sound buttons
stay, disabled, with a tooltip that says why; pictures need nothing more.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from quizapp.facts.model import MediaFile

log = logging.getLogger(__name__)

#: Pictures are scaled to fit this box (device-independent pixels).
MAX_PICTURE = QSize(520, 220)
NO_SOUND_TIP = ("Playing sound needs Qt Multimedia, which did not load: reinstall quizapp "
                "(it brings PySide6-Addons); on Linux also the PulseAudio client library "
                "(libpulse0)")
NO_DEVICE_TIP = "No sound output device was found: connect speakers or headphones"


#: Qt Multimedia's chatter on standard error (FFmpeg's description of every file
#: played, optional libraries it did not find) is left out; its real warnings stay,
#: and QT_LOGGING_RULES still overrides this.
QUIET_MULTIMEDIA = ("qt.multimedia.*.debug=false\nqt.multimedia.*.info=false\n"
                    "qt.multimedia.symbolsresolver.warning=false")


def multimedia_module() -> Any | None:
    """PySide6.QtMultimedia if it is installed, else None."""
    from PySide6.QtCore import QLoggingCategory

    QLoggingCategory.setFilterRules(QUIET_MULTIMEDIA)
    try:
        from PySide6 import QtMultimedia
    except ImportError:
        return None
    return QtMultimedia


_NOT_LOADED = object()


class SoundPlayer:
    """Plays one sound at a time from its bytes (kept in a private temporary folder)."""

    def __init__(self) -> None:
        self._multimedia: Any = _NOT_LOADED
        self._player: Any = None
        self._output: Any = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        #: The names of the sounds asked to play, in order (what the strip asked for).
        self.requests: list[str] = []

    @property
    def multimedia(self) -> Any | None:
        """PySide6.QtMultimedia, imported when a sound is first shown or played (None
        without it): a strip that never shows a sound never loads it."""
        if self._multimedia is _NOT_LOADED:
            self._multimedia = multimedia_module()
        return self._multimedia

    def problem(self) -> str | None:
        """Why sound cannot play on this computer now (a tooltip's text), or None."""
        if self.multimedia is None:
            return NO_SOUND_TIP
        if not self.multimedia.QMediaDevices.audioOutputs():
            return NO_DEVICE_TIP
        return None

    @property
    def available(self) -> bool:
        """Whether sound can play on this computer (Qt Multimedia and an output device)."""
        return self.problem() is None

    @property
    def qt_player(self) -> Any:
        """The ``QMediaPlayer`` (None before the first sound, or without Qt Multimedia)."""
        return self._player

    def source(self) -> QUrl | None:
        """The file the player holds (None before the first sound, or without Qt Multimedia)."""
        return self._player.source() if self._player is not None else None

    def play(self, media: MediaFile) -> bool:
        """Play ``media``; False if sound is not available."""
        self.requests.append(media.name)
        multimedia = self.multimedia
        if multimedia is None or self.problem() is not None:
            return False
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="quizapp-sound-")
        path = Path(self._folder.name) / f"{len(self.requests)}{Path(media.name).suffix}"
        path.write_bytes(media.data)
        if self._player is None:
            self._player = multimedia.QMediaPlayer()
            self._output = multimedia.QAudioOutput()
            self._player.setAudioOutput(self._output)
        self._player.stop()
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        self._player.play()
        return True

    def stop(self) -> None:
        """Stop what is playing."""
        if self._player is not None:
            self._player.stop()


class MediaStrip(QWidget):
    """A row of pictures and sound buttons for the fact on show (hidden when it has none)."""

    def __init__(self, parent: QWidget | None = None, *, player: SoundPlayer | None = None,
                 max_picture: QSize = MAX_PICTURE) -> None:
        super().__init__(parent)
        self.setObjectName("mediaStrip")
        self.player = player if player is not None else SoundPlayer()
        self.max_picture = max_picture
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(12)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.pictures: list[QLabel] = []
        self.sound_buttons: list[QPushButton] = []
        self._sounds: list[MediaFile] = []
        self.shown_names: list[str] = []  # the files on show, in order
        self.hide()

    def clear(self) -> None:
        """Show nothing (and stop any sound)."""
        self.player.stop()
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:  # gone from the screen now, freed by the event loop
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.pictures, self.sound_buttons, self._sounds = [], [], []
        self.shown_names = []
        self.hide()

    def show_media(self, files: Sequence[tuple[MediaFile, str]], *, autoplay: bool = True
                   ) -> None:
        """Show ``files`` (each with its text alternative); play the first sound if asked."""
        self.clear()
        self.shown_names = [media.name for media, _ in files]
        for media, label in files:
            if media.is_image:
                self._add_picture(media, label)
            elif media.mime.startswith(("audio/", "video/")):
                self._add_sound(media, label)
        self._layout.addStretch(1)  # keep them together on the left
        self.setVisible(bool(self.pictures or self.sound_buttons))
        if autoplay and self._sounds:
            self.player.play(self._sounds[0])

    def _add_picture(self, media: MediaFile, label: str) -> None:
        picture = QLabel(self)
        picture.setObjectName("mediaPicture")
        pixmap = QPixmap()
        if pixmap.loadFromData(media.data) and not pixmap.isNull():
            if (pixmap.width() > self.max_picture.width()
                    or pixmap.height() > self.max_picture.height()):
                pixmap = pixmap.scaled(self.max_picture, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
            picture.setPixmap(pixmap)
        else:  # not a picture Qt can read: its text alternative stands in
            picture.setText(f"[image: {label}]")
        picture.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        # A thin frame, so that a picture's white edge does not melt into the card.
        picture.setStyleSheet("QLabel#mediaPicture { border: 1px solid palette(mid); "
                              "padding: 0px; }")
        picture.setAccessibleName(label)
        picture.setAccessibleDescription("Picture")
        picture.setToolTip(label)
        self._layout.addWidget(picture)
        self.pictures.append(picture)

    def _add_sound(self, media: MediaFile, label: str) -> None:
        number = len(self._sounds)
        button = QPushButton(f"\u25b6 Play: {label}", self)
        button.setObjectName("mediaSound")
        button.setAccessibleName(f"Play sound: {label}")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # R and the answer keys stay where they are
        problem = self.player.problem()
        if problem is None:
            button.setToolTip("Play the sound again (R)")
            button.clicked.connect(lambda: self.player.play(self._sounds[number]))
        else:
            button.setEnabled(False)
            button.setToolTip(problem)
            button.setAccessibleDescription(problem)
        self._layout.addWidget(button)
        self.sound_buttons.append(button)
        self._sounds.append(media)

    def markers(self) -> list[str]:
        """The text alternatives of the files on show, as a fact's text writes them."""
        return [f"[image: {p.accessibleName()}]" for p in self.pictures] + [
            f"[sound: {m.name}]" for m in self._sounds]

    def replay(self) -> bool:
        """Play the first sound again (R); False when there is none or sound is not available."""
        if not self._sounds:
            return False
        return self.player.play(self._sounds[0])
