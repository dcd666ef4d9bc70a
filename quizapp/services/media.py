"""A deck's pictures and sounds as both faces use them (the media store).

Media bytes live in the database (table ``media``, keyed by deck and name):
a classroom server shares them, and backups, restores and profile moves
carry them with the rest. A deck read from the database names its files in
each fact's ``media``; the bytes are read here, when a screen shows them or
an export writes them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.facts.media import (
    MediaError,
    alternative,
    read_media_file,
    total_problem,
    unique_names,
)
from quizapp.facts.model import Deck, Fact, MediaFile

if TYPE_CHECKING:
    from quizapp.services.collection import Collection

__all__ = [
    "MediaError", "add_picture", "fact_media", "media_file_of", "media_of_deck", "media_sizes",
    "with_media",
]


def _deck_id(session: object, deck: str | int) -> int:
    from quizapp.storage import repository as repo

    row = repo.find_deck(session, deck)  # type: ignore[arg-type]
    if row is None or row.id is None:
        raise repo.NotFoundError(f"no deck named {deck!r}")
    return row.id


def media_of_deck(collection: Collection, deck: str | int,
                  names: tuple[str, ...] | None = None) -> list[MediaFile]:
    """The deck's media files (those named, or every one), by name."""
    from quizapp.storage import repository as repo

    with collection.session() as s:
        return repo.load_media(s, _deck_id(s, deck), names)


def media_sizes(collection: Collection, deck: str | int) -> dict[str, int]:
    """The size in bytes of each of the deck's media files, by name (no bytes read)."""
    from quizapp.storage import repository as repo

    with collection.session() as s:
        return repo.media_sizes(s, _deck_id(s, deck))


def media_file_of(collection: Collection, deck: str | int, name: str) -> MediaFile | None:
    """One media file of the deck, or None if the deck has none of that name."""
    found = media_of_deck(collection, deck, (name,))
    return found[0] if found else None


def with_media(collection: Collection, deck: Deck) -> Deck:
    """The stored deck ``deck`` with the bytes of every media file its facts name."""
    names = unique_names(n for f in deck.facts for n in f.media)
    if not names:
        return deck
    return dataclasses.replace(deck, media=tuple(media_of_deck(collection, deck.id, names)))


def add_picture(collection: Collection, deck: str | int, fact_id: str, path: str | Path,
                description: str = "") -> Fact:
    """Store the picture at ``path`` in the deck and show it with the fact ``fact_id``.

    The picture gets the file's own name (a different picture of that name in
    the deck is refused: names are unique within a deck). The fact lists it in
    ``media``; a Q/A note's front also gains the text alternative
    ``[image: description]`` (the file's name without one) for text-only views
    and screen readers. Raises :class:`MediaError` (``FILE: media: problem``)
    for a file that is no picture, too large or has a bad name; nothing is
    stored then.
    """
    from quizapp.facts.media import is_image_name
    from quizapp.storage import repository as repo

    media = read_media_file(path)
    if not is_image_name(media.name):
        raise MediaError(f"{path}: media: not a picture (use PNG, JPEG, GIF, WebP, BMP or SVG)")
    with collection.transaction() as s:
        deck_id = _deck_id(s, deck)
        repo.lock_deck(s, deck_id)  # no orphan clean-up of this deck meanwhile
        sizes = repo.media_sizes(s, deck_id)
        old = repo.load_media(s, deck_id, (media.name,))
        if old and old[0].data != media.data:
            raise MediaError(f"{path}: media: the deck has another file named {media.name!r}; "
                             "rename the picture")
        problem = total_problem(sum(sizes.values()) - sizes.get(media.name, 0) + media.size)
        if problem is not None:
            raise MediaError(f"{path}: media: {problem}")
        repo.store_media(s, deck_id, (media,))
        fact = repo.show_media_with_fact(s, deck_id, fact_id, media.name,
                                         alternative(media.name, description))
        if fact is None:
            raise repo.NotFoundError(f"no fact {fact_id!r} in the deck")
        return fact


def fact_media(collection: Collection, deck: str | int, fact_id: str, *,
               prompt: str | None = None) -> list[tuple[MediaFile, str]]:
    """The fact's media files with their text alternatives, for a screen to show.

    With ``prompt`` (a question on show, before its answer) only the files
    whose text alternative the prompt holds are given: a picture or sound of
    the answer side is not shown before the answer is. Without, every file.
    """
    from quizapp.facts.media import fact_text_alternatives, is_image_name
    from quizapp.storage import repository as repo

    with collection.session() as s:
        deck_id = deck if isinstance(deck, int) else _deck_id(s, deck)
        facts = repo.load_facts(s, deck_id, (fact_id,))
        if not facts or not facts[0].media:
            return []
        fact = facts[0]
        labels = fact_text_alternatives(fact)
        names = [n for n in fact.media if prompt is None or (
            f"[image: {labels[n]}]" in prompt if is_image_name(n)
            else f"[sound: {labels[n]}]" in prompt)]
        files = {m.name: m for m in repo.load_media(s, deck_id, names)}
    return [(files[n], labels[n]) for n in names if n in files]
