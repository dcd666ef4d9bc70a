"""Importing a deck file: load, check what it would replace, store.

Both faces call :func:`import_path` (or its two halves, :func:`load_path` and
:func:`store_loaded`), so the command line and the desktop app refuse, warn
and count alike. Loading validates everything before the database is
touched; the replacement check then reads the stored deck, and the store is
all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.importers import import_file, replacement_warnings

if TYPE_CHECKING:
    from quizapp.facts.model import Deck
    from quizapp.services.collection import Collection

#: ``progress(done, total)`` while the file is read (see :func:`quizapp.importers.import_file`).
ReadProgress = Callable[[int, int], None]
#: ``step(done, total)`` while the deck is stored; raising stops the import (nothing stored).
StoreProgress = Callable[[int, int], None]


class ReplacementRefusedError(Exception):
    """Importing would retire most of a stored deck (or turn its facts into notes).

    ``warnings`` are the reasons, in the words both faces show; nothing was
    stored. Importing again with ``replace=True`` goes ahead.
    """

    def __init__(self, path: Path, warnings: list[str]) -> None:
        super().__init__("; ".join(warnings))
        self.path = path
        self.warnings = list(warnings)

    def lines(self) -> list[str]:
        """The refusal as ``FILE:1: deck: …`` lines, the last one saying how to go on."""
        return ([f"{self.path}:1: deck: {w}" for w in self.warnings]
                + [f"{self.path}:1: deck: add --replace to import anyway"])


@dataclass(frozen=True)
class ImportOutcome:
    """What importing a file stored."""

    deck_id: int
    deck_key: str
    deck_name: str
    added: int
    updated: int
    retired: int
    cards_created: int
    notices: tuple[str, ...]

    def summary(self) -> str:
        """One sentence for the command line."""
        return (f"Imported deck {self.deck_key!r} ({self.deck_name}): {self.added} new facts, "
                f"{self.updated} updated, {self.retired} retired, "
                f"{self.cards_created} cards created.")


def load_path(path: str | Path, progress: ReadProgress | None = None, *,
              accept_articles: bool = False,
              include_doubtful: bool = False) -> tuple[Deck, tuple[str, ...]]:
    """Read and validate ``path``: its deck and the notices for the user (nothing stored)."""
    result = import_file(Path(path), progress, accept_articles=accept_articles,
                         include_doubtful=include_doubtful)
    return result.deck, tuple(result.notices)


def check_replacement(collection: Collection, path: str | Path, deck: Deck) -> None:
    """Raise :class:`ReplacementRefusedError` if ``deck`` would retire most of its stored deck."""
    from quizapp.storage import repository as repo

    with collection.session() as s:
        row = repo.find_deck_by_key(s, deck.id)
        stored = repo.load_deck(s, row.id) if row is not None and row.id else None
    warnings = replacement_warnings(stored, deck)
    if warnings:
        raise ReplacementRefusedError(Path(path), warnings)


def store_loaded(collection: Collection, path: str | Path, deck: Deck,
                 notices: tuple[str, ...] = (), *, replace: bool = False,
                 step: StoreProgress | None = None) -> ImportOutcome:
    """Store a loaded deck, all or nothing, refusing a replacement unless ``replace``.

    Raises :class:`ReplacementRefusedError` (nothing stored) when the file would
    retire most of the stored deck with its id. The deck is stored as
    :meth:`~quizapp.services.collection.Collection.import_deck` stores it (a large one in
    short steps on an SQLite file, so that an answer never waits behind it);
    ``step(done, total)`` is called after each step and last with ``done ==
    total`` just before the deck becomes visible: raising from it (a Cancel)
    stores nothing.
    """
    if not replace:
        check_replacement(collection, path, deck)
    result = collection.import_deck(deck, step=step)
    return ImportOutcome(result.deck_id, deck.id, deck.name, result.added, result.updated,
                         result.retired, result.cards_created, notices)


def import_path(collection: Collection, path: str | Path, *, replace: bool = False,
                accept_articles: bool = False,
                progress: ReadProgress | None = None) -> ImportOutcome:
    """Load ``path`` and store its deck (see :func:`store_loaded` for the refusal)."""
    deck, notices = load_path(path, progress, accept_articles=accept_articles)
    return store_loaded(collection, path, deck, notices, replace=replace)
