"""Filling a media strip with a fact's pictures and sounds (study, practice, browse)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel

from quizapp.gui.views.media_view import MediaStrip

if TYPE_CHECKING:
    from quizapp.services.collection import Collection

log = logging.getLogger(__name__)


def show_fact_media(strip: MediaStrip, collection: Collection | None, deck_id: int | str | None,
                    fact_id: str | None, *, prompt: str | None = None,
                    autoplay: bool = True, prompt_label: QLabel | None = None) -> None:
    """Show the fact's media on ``strip`` (with ``prompt``: only the question side's).

    A fact without media, or media that cannot be read, leaves the strip
    empty and hidden: the fact's text keeps its alternatives. ``prompt_label``
    (the question on screen) loses the ``[image: …]`` marks of the pictures
    shown: the picture says it, and a screen reader reads its text alternative.
    """
    if collection is None or deck_id is None or fact_id is None:
        strip.clear()
        return
    from quizapp.services.media import fact_media

    try:
        files = fact_media(collection, deck_id, fact_id, prompt=prompt)
    except Exception:  # the question stays usable with its text alternatives
        log.exception("could not read the media of fact %s", fact_id)
        files = []
    # On a question its sound plays; on the answer only a sound not heard yet does.
    before = set(strip.shown_names)
    new_sound = any(not m.is_image and m.name not in before for m, _ in files)
    strip.show_media(files, autoplay=autoplay and (prompt is not None or new_sound))
    if prompt_label is not None and files:
        text = prompt_label.text()
        for marker in strip.markers():
            text = text.replace(marker, "")
        prompt_label.setText(text.strip())
