"""Importing a deck file: load, check what it would replace, store.

Both faces call :func:`import_path` (or its two halves, :func:`load_path` and
:func:`store_loaded`), so the command line and the desktop app refuse, warn
and count alike. Loading validates everything before the database is
touched; the replacement check then reads the stored deck, and the store is
all or nothing.

An import that matches a stored deck updates it, keeping every learner's
progress: the same deck id, or (for a file whose id is new) the same name
and the same source, as when an exported ``.apkg`` or the same article comes
back. ``as_new`` stores a separate deck under a free id and a distinct name
("Capitals (2)"). A deck whose name is taken by a deck from another source
gets a distinct name too, so that two decks never look alike in a list.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.facts.deckfile import DeckFileError
from quizapp.importers import import_file, replacement_warnings

if TYPE_CHECKING:
    from quizapp.facts.deckfile import Problem
    from quizapp.facts.model import Deck, Source
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
                + [f"{self.path}:1: deck: add --replace to import anyway, "
                   "or --as-new to keep it as a separate deck"])


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
    matched: bool = False  # the file updated a deck that was stored already
    pending: int = 0  # facts of the deck held back for a teacher's check
    no_form: int = 0  # facts of the deck no question can ask (held back)

    def summary(self) -> str:
        """One sentence for the command line."""
        verb = "Updated" if self.matched else "Imported"
        held = [f"{n} {what}" for n, what in (
            (self.pending, "pending a teacher's check"),
            (self.no_form, "with no question to ask")) if n]
        return (f"{verb} deck {self.deck_key!r} ({self.deck_name}): {self.added} new facts, "
                f"{self.updated} updated, {self.retired} retired, "
                f"{self.cards_created} cards created"
                + (f"; held back from study: {', '.join(held)}." if held else "."))


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def matching_deck(collection: Collection, deck: Deck) -> str | None:
    """The id of the stored deck that importing ``deck`` updates, or None (a new deck).

    The deck with the same id; failing that, the oldest deck with the same
    name (case and spacing aside) and the same source. A file with no article
    behind it (a spreadsheet, an Anki package) is known by its name alone; an
    article deck by its article: a stored source with the same text or address.
    Only the decks' names and sources are read, never their facts.
    """
    from quizapp.storage import repository as repo

    with collection.session() as s:
        if repo.find_deck_by_key(s, deck.id) is not None:
            return deck.id
        named = sorted((row for row in repo.list_decks(s)
                        if _name_key(row.name) == _name_key(deck.name)),
                       key=lambda r: r.id or 0)
        if not named or not deck.sources:
            return named[0].key if named else None
        same_source = {row.id for src in deck.sources
                       for row in repo.decks_from_source(s, src.text, src.url)}
    return next((row.key for row in named if row.id in same_source), None)


def deck_from_source(collection: Collection, source: Source) -> tuple[str, str] | None:
    """The id and name of the stored deck made from ``source`` (the same article), if any."""
    from quizapp.storage import repository as repo

    with collection.session() as s:
        rows = repo.decks_from_source(s, source.text, source.url)
    return (rows[0].key, rows[0].name) if rows else None


def _free(fmt: str, base: str, taken: set[str]) -> str:
    """``fmt`` with the first ``n`` from 2 whose text (case aside) is not in ``taken``."""
    n = 2
    while _name_key(candidate := fmt.format(base=base, n=n)) in taken:
        n += 1
    return candidate


def as_new_deck(collection: Collection, deck: Deck) -> Deck:
    """``deck`` under an id no stored deck has and a name none has ("Capitals (2)")."""
    from quizapp.storage import repository as repo

    with collection.session() as s:
        rows = repo.list_decks(s)
    keys = {_name_key(r.key) for r in rows}
    names = {_name_key(r.name) for r in rows}
    key, name = deck.id, deck.name
    if _name_key(key) in keys:
        key = _free("{base}-{n}", key, keys)
    if _name_key(name) in names:
        name = _free("{base} ({n})", re.sub(r" \(\d+\)$", "", name), names)
    return dataclasses.replace(deck, id=key, name=name)


def load_path(path: str | Path, progress: ReadProgress | None = None, *,
              accept_articles: bool = False,
              include_doubtful: bool = False) -> tuple[Deck, tuple[str, ...]]:
    """Read and validate ``path``: its deck and the notices for the user (nothing stored)."""
    result = import_file(Path(path), progress, accept_articles=accept_articles,
                         include_doubtful=include_doubtful)
    return result.deck, tuple(result.notices)


class BadRowsError(DeckFileError):
    """A spreadsheet with bad rows and good ones: refused whole unless the bad are skipped.

    A refusal like any other (its ``problems`` are the file's); ``good`` rows
    would be stored, ``skipped`` are the problems of the rows left out
    (``FILE:LINE: field: problem``). Nothing was stored.
    """

    def __init__(self, path: Path, good: int, skipped: tuple[Problem, ...]) -> None:
        super().__init__(list(skipped))
        self.path = path
        self.good = good
        self.skipped = skipped


def load_path_skipping(path: str | Path, progress: ReadProgress | None = None, *,
                       accept_articles: bool = False, include_doubtful: bool = False,
                       ) -> tuple[Deck, tuple[str, ...], tuple[Problem, ...]]:
    """Read ``path`` leaving a spreadsheet's bad rows out: deck, notices, skipped rows.

    Raises DeckFileError (nothing to store) for a problem of the whole file or
    when no row is good. Other formats are read as :func:`load_path` reads them.
    """
    result = import_file(Path(path), progress, accept_articles=accept_articles,
                         include_doubtful=include_doubtful, skip_bad_rows=True)
    return result.deck, tuple(result.notices), result.skipped


def bad_rows(path: str | Path) -> BadRowsError | None:
    """For a refused spreadsheet: its good and bad rows, if skipping the bad would leave some.

    None when the file is no spreadsheet, or skipping would not help (a problem
    of the whole file, or no good row).
    """
    from quizapp.importers import detect_format

    path = Path(path)
    try:
        if detect_format(path)[0] != "csv":
            return None
        deck, _notices, skipped = load_path_skipping(path)
    except (DeckFileError, OSError):
        return None
    return BadRowsError(path, len(deck.facts), skipped) if skipped else None


def check_replacement(collection: Collection, path: str | Path, deck: Deck) -> None:
    """Raise :class:`ReplacementRefusedError` if ``deck`` would retire most of its stored deck."""
    from quizapp.storage import repository as repo

    with collection.session() as s:
        row = repo.find_deck_by_key(s, deck.id)
        stored = repo.load_deck(s, row.id) if row is not None and row.id else None
    warnings = replacement_warnings(stored, deck)
    if warnings:
        raise ReplacementRefusedError(Path(path), warnings)


def resolve_deck(collection: Collection, deck: Deck, *,
                 as_new: bool = False) -> tuple[Deck, bool, tuple[str, ...]]:
    """The deck to store for ``deck``: with the id of the stored deck it matches.

    Returns the deck, whether it updates a stored deck, and notices for the
    user. With ``as_new``, or when nothing matches, the deck gets a free id
    and a name no stored deck has.
    """
    key = None if as_new else matching_deck(collection, deck)
    if key is not None:
        if key == deck.id:
            return deck, True, ()
        return (dataclasses.replace(deck, id=key), True,
                (f"updates the stored deck {key!r} of the same name and source",))
    new = as_new_deck(collection, deck)
    notes: tuple[str, ...] = ()
    if new.name != deck.name:
        notes = (f"a deck named “{deck.name}” exists already: "
                 f"stored as “{new.name}”",)
    return new, False, notes


def store_loaded(collection: Collection, path: str | Path, deck: Deck,
                 notices: tuple[str, ...] = (), *, replace: bool = False,
                 as_new: bool = False,
                 step: StoreProgress | None = None) -> ImportOutcome:
    """Store a loaded deck, all or nothing, refusing a replacement unless ``replace``.

    The deck updates the stored deck it matches (see :func:`matching_deck`),
    or with ``as_new`` becomes a separate one (see :func:`as_new_deck`).
    Raises :class:`ReplacementRefusedError` (nothing stored) when the file would
    retire most of the stored deck it matches. The deck is stored as
    :meth:`~quizapp.services.collection.Collection.import_deck` stores it (a large one in
    short steps on an SQLite file, so that an answer never waits behind it);
    ``step(done, total)`` is called after each step and last with ``done ==
    total`` just before the deck becomes visible: raising from it (a Cancel)
    stores nothing.
    """
    deck, matched, more = resolve_deck(collection, deck, as_new=as_new)
    if matched and not replace:
        check_replacement(collection, path, deck)
    result = collection.import_deck(deck, step=step)
    from quizapp.services.held import HeldCounts, held_counts

    held = held_counts(collection).get(result.deck_id, HeldCounts())
    return ImportOutcome(result.deck_id, deck.id, deck.name, result.added, result.updated,
                         result.retired, result.cards_created, (*notices, *more), matched,
                         held.pending, held.no_form)


def import_path(collection: Collection, path: str | Path, *, replace: bool = False,
                as_new: bool = False, accept_articles: bool = False,
                progress: ReadProgress | None = None) -> ImportOutcome:
    """Load ``path`` and store its deck (see :func:`store_loaded` for the refusal)."""
    deck, notices = load_path(path, progress, accept_articles=accept_articles)
    return store_loaded(collection, path, deck, notices, replace=replace, as_new=as_new)
