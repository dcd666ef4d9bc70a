"""Decks as both faces see them: lookups, and a learner's options for a deck.

Lookups answer the questions a screen asks before it stores a deck (is this
id taken? which ids are?) and the card ids a learner has in a deck; a deck or
profile that is not there is :class:`NotFoundError`.

Options are plain values: per-(profile, deck) overrides live in the
``profile_deck`` table (through :func:`quizapp.services.profiles.set_deck_overrides`);
the deck's number tolerance is part of the deck and is checked by the deck
loader like any edit; profile defaults go through
:func:`quizapp.services.profiles.update_profile_settings`, which validates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quizapp.questions.model import Family

if TYPE_CHECKING:
    from quizapp.services.collection import Collection
    from quizapp.storage.repository import NotFoundError

__all__ = [
    "DeckOptions", "NotFoundError", "StudyDefaults", "deck_keys", "deck_list_rows",
    "deck_options", "key_taken", "profile_decks", "save_deck_options", "save_study_defaults",
    "stored_card_ids", "study_defaults",
]


def __getattr__(name: str) -> Any:
    # NotFoundError comes with the storage stack, which the app loads only once
    # its window is on screen: the value types here are imported before that.
    if name == "NotFoundError":
        from quizapp.storage.repository import NotFoundError

        return NotFoundError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# lookups ------------------------------------------------------------------


def deck_keys(collection: Collection) -> set[str]:
    """The ids (stable keys) of every stored deck."""
    from quizapp.storage import repository as repo

    with collection.session() as s:
        return {row.key for row in repo.list_decks(s)}


def key_taken(collection: Collection, key: str) -> bool:
    """Whether a stored deck has the id ``key`` (storing a deck with it would replace that one)."""
    from quizapp.storage import repository as repo

    with collection.session() as s:
        return repo.find_deck_by_key(s, key) is not None


def profile_decks(collection: Collection,
                  profile_id: int) -> tuple[list[Any], dict[int, dict[str, int]]]:
    """The stored decks a profile sees (its class's retired decks left out) and its card
    counts per deck id."""
    from quizapp.storage import repository as repo

    with collection.session() as s:
        retired = repo.retired_deck_ids(s, profile_id)
        decks = [d for d in repo.list_decks(s) if d.id not in retired]
        return decks, repo.card_counts(s, profile_id)


def deck_list_rows(profile: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """``quizapp decks``: the profile's name and its decks, each ``{"id", "key", "name"}``
    with its card counts (``new``, ``learning``, ``review``, ``suspended``, ``total``,
    and ``new_today``: the new facts the study screen introduces today, at most the
    day's new limit, as the deck list shows them; none for a deck without cards).

    A SQLite collection that opening would not change (current schema, first
    start done, nothing to recover) is read with the standard library
    (:func:`quizapp.storage.quick.deck_list`), without loading the storage
    stack; any other is opened as every command opens it. The rows are the
    same either way. A profile that is not there is :class:`NotFoundError`.
    """
    from quizapp.config import app_home, database_url
    from quizapp.storage.quick import deck_list, sqlite_file

    path = sqlite_file(database_url())
    if path is not None:
        from quizapp.storage.backup import backup_dir, sweep_partials

        sweep_partials(backup_dir(app_home()))  # as opening the collection does
        quick = deck_list(path, profile)
        if quick is not None:
            name, decks = quick
            return name, [{"id": d.id, "key": d.key, "name": d.name, **d.counts}
                          for d in decks]
    from quizapp.services.collection import Collection
    from quizapp.services.counts import deck_counts
    from quizapp.timeutil import utc_now

    with Collection.open() as col:
        row = col.profile(profile)
        assert row.id is not None
        listed, counts = profile_decks(col, row.id)
        today = {d.deck_id: d.new_today for d in deck_counts(col, row.id, utc_now())}
    return row.name, [{"id": d.id, "key": d.key, "name": d.name, **counts.get(d.id or 0, {}),
                       **({"new_today": today.get(d.id or 0, 0)} if d.id in counts else {})}
                      for d in listed]


def stored_card_ids(collection: Collection, deck_key: str,
                    profile_id: int | None) -> dict[str, tuple[str, Family]]:
    """Fact id → the learner's stored card id and the family its memory is asked in now,
    for a stored deck (empty: none)."""
    from quizapp.scheduling.memory import family_for
    from quizapp.storage import repository as repo

    with collection.session() as s:
        cards = repo.stored_cards(s, deck_key, profile_id)
    return {key: (card_id, Family(family_for(state).value))
            for key, (card_id, state) in cards.items()}


# options ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudyDefaults:
    """A profile's default daily limits and desired retention."""

    new_per_day: int
    reviews_per_day: int
    desired_retention: float


@dataclass(frozen=True, slots=True)
class DeckOptions:
    """What the deck options dialog edits; None means "use the profile's default"."""

    deck_name: str
    profile_name: str
    defaults: StudyDefaults
    new_per_day: int | None
    reviews_per_day: int | None
    desired_retention: float | None
    number_tolerance: float | None  # None: the grader's size-dependent default


def study_defaults(collection: Collection, profile_id: int) -> StudyDefaults:
    """The profile's defaults."""
    from quizapp.storage.models import ProfileRow
    from quizapp.storage.repository import NotFoundError

    with collection.session() as s:
        row = s.get(ProfileRow, profile_id)
        if row is None:
            raise NotFoundError(f"no profile {profile_id}")
        return StudyDefaults(row.new_per_day, row.reviews_per_day, row.desired_retention)


def save_study_defaults(collection: Collection, profile_id: int, values: StudyDefaults) -> None:
    """Store the profile's defaults (ValueError if the scheduler refuses them)."""
    from quizapp.services.profiles import update_profile_settings

    if values.new_per_day < 0 or values.reviews_per_day < 0:
        raise ValueError("daily limits cannot be negative")
    update_profile_settings(collection, profile_id, new_per_day=values.new_per_day,
                            reviews_per_day=values.reviews_per_day,
                            desired_retention=values.desired_retention)


def deck_options(collection: Collection, profile_id: int, deck_id: int) -> DeckOptions:
    """The deck's options for one learner."""
    from quizapp.storage.models import DeckRow, ProfileDeckRow, ProfileRow
    from quizapp.storage.repository import NotFoundError

    with collection.session() as s:
        deck = s.get(DeckRow, deck_id)
        profile = s.get(ProfileRow, profile_id)
        if deck is None or profile is None:
            raise NotFoundError(f"no deck {deck_id} or profile {profile_id}")
        override = s.get(ProfileDeckRow, (profile_id, deck_id))
        defaults = StudyDefaults(profile.new_per_day, profile.reviews_per_day,
                                 profile.desired_retention)
        return DeckOptions(
            deck_name=deck.name,
            profile_name=profile.name,
            defaults=defaults,
            new_per_day=override.new_per_day if override else None,
            reviews_per_day=override.reviews_per_day if override else None,
            desired_retention=override.desired_retention if override else None,
            number_tolerance=deck.number_tolerance,
        )


def save_deck_options(collection: Collection, profile_id: int, deck_id: int,
                      options: DeckOptions) -> list[str]:
    """Check and store a deck's options; the problems in plain words (empty: stored).

    The overrides are checked by the scheduler's own settings; the number
    tolerance by the deck loader (``number_tolerance: must be between 0 and 1``).
    Nothing is stored unless everything is right.
    """
    from quizapp.browse import check_deck_header
    from quizapp.facts.deckfile import DeckFileError
    from quizapp.scheduling import SchedulerSettings, StudySettings

    problems: list[str] = []
    try:
        StudySettings(
            scheduler=SchedulerSettings(
                desired_retention=(options.desired_retention
                                   if options.desired_retention is not None
                                   else options.defaults.desired_retention)),
            new_per_day=options.new_per_day if options.new_per_day is not None else 0,
            reviews_per_day=(options.reviews_per_day
                             if options.reviews_per_day is not None else 0))
    except ValueError as exc:
        problems.append(str(exc))
    deck = collection.load_deck(deck_id, include_held=True)  # stored again: keep them
    checked = None
    if deck.options.number_tolerance != options.number_tolerance:
        try:
            checked = check_deck_header(deck, name=deck.name, description=deck.description,
                                        number_tolerance=options.number_tolerance)
        except DeckFileError as exc:
            problems.extend(f"{p.field}: {p.message}" for p in exc.problems)
    if problems:
        return problems
    from quizapp.services.profiles import set_deck_overrides

    set_deck_overrides(collection, profile_id, deck_id,
                       desired_retention=options.desired_retention,
                       new_per_day=options.new_per_day,
                       reviews_per_day=options.reviews_per_day)
    if checked is not None:
        collection.import_deck(checked)
    return []
