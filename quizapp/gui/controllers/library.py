"""The collection as the GUI sees it: plain values in, plain values out.

Every call is one short unit of work on the core (:class:`Collection` and the
services); no database row reaches the GUI.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.gui.models.deck_list_model import DeckSummary
from quizapp.services.counts import StudyCounts, deck_counts, study_counts
from quizapp.timeutil import utc_now

if TYPE_CHECKING:
    from quizapp.services.collection import Collection


@dataclass(frozen=True, slots=True)
class ProfileInfo:
    """A learner as the profile switcher shows it."""

    profile_id: int
    name: str


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """An article that a deck comes from (for the About box)."""

    deck_name: str
    title: str
    licence: str | None
    published: str | None
    url: str | None
    author: str | None


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What importing a deck file did."""

    deck_id: int
    deck_name: str
    added: int
    updated: int
    retired: int
    matched: bool = False  # the file updated a deck stored already


class Library:
    """Profiles and decks of one open collection."""

    def __init__(self, collection: Collection) -> None:
        self.collection = collection

    @classmethod
    def open(cls, url: str | None = None) -> Library:
        """Open (and on first start, fill) the collection at ``url``."""
        from quizapp.services.collection import Collection

        return cls(Collection.open(url))

    def close(self) -> None:
        """Release the database."""
        self.collection.close()

    # profiles ---------------------------------------------------------------

    def profiles(self) -> list[ProfileInfo]:
        """Every profile, oldest first."""
        from quizapp.services.profiles import list_profiles

        return [ProfileInfo(p.id, p.name) for p in list_profiles(self.collection)]

    def create_profile(self, name: str) -> ProfileInfo:
        """A new profile with cards for every deck (ValueError for a bad or taken name)."""
        from quizapp.services.profiles import create_profile

        made = create_profile(self.collection, name)
        return ProfileInfo(made.id, made.name)

    def rename_profile(self, profile_id: int, name: str) -> None:
        """Rename a profile (ValueError for a bad or taken name)."""
        from quizapp.services.profiles import rename_profile

        rename_profile(self.collection, profile_id, name)

    def delete_profile(self, profile_id: int) -> None:
        """Delete a profile and all its progress."""
        from quizapp.services.decks import NotFoundError
        from quizapp.services.profiles import delete_profile

        # Another window may have deleted it already: then nothing is left of it.
        with contextlib.suppress(NotFoundError):
            delete_profile(self.collection, profile_id)

    # decks ------------------------------------------------------------------

    def deck_summaries(self, profile_id: int, now: datetime | None = None,
                       more_new: Mapping[tuple[int, int], int] | None = None
                       ) -> list[DeckSummary]:
        """Every deck with the profile's new facts for today (capped by the day's new limit,
        ``more_new``: (study day, deck id) → "study more today" extras), its learning cards,
        its reviews due today and its facts pending a teacher's check."""
        from quizapp.services.counts import held_counts  # on the driver, as the counts

        held = held_counts(self.collection)
        return [
            DeckSummary(
                deck_id=d.deck_id,
                key=d.key,
                name=d.name,
                description=d.description,
                new=d.new_today,
                pending=held.get(d.deck_id, {}).get("pending", 0),
                learning=d.learning,
                due=d.due,
                total=d.total,
            )
            for d in deck_counts(self.collection, profile_id, now or utc_now(), more_new)
        ]

    def import_deck_file(self, path: str | Path) -> ImportSummary:
        """Validate and store a deck file (DeckFileError: nothing was written)."""
        from quizapp.facts.deckfile import load_deck_file

        deck = load_deck_file(path)
        result = self.collection.import_deck(deck)
        return ImportSummary(
            result.deck_id, deck.name, result.added, result.updated, result.retired
        )

    def sources(self, deck_key: str = "seed") -> list[SourceInfo]:
        """The articles of a deck (empty when the deck is gone)."""
        from quizapp.services.decks import NotFoundError

        try:
            deck = self.collection.load_deck(deck_key)
        except NotFoundError:
            return []
        return [
            SourceInfo(deck.name, s.title, s.licence, s.published, s.url, s.author)
            for s in deck.sources
        ]

    def study_counts(
        self, profile_id: int, deck_id: int, now: datetime | None = None, *, more_new: int = 0
    ) -> StudyCounts:
        """Answered today, what is left for today, and what is due tomorrow, for one deck
        (``more_new``: new facts allowed today beyond the saved limit)."""
        return study_counts(self.collection, profile_id, deck_id, now or utc_now(),
                            more_new=more_new)


