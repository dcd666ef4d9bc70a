"""Facts held back from study: an article's facts waiting for a teacher, facts no question asks.

A stored fact is held back (:attr:`quizapp.facts.model.Fact.hold`) when it is
``pending`` (found in an article, marked *check*, stored unreviewed by
``quizapp import ARTICLE --accept-all``) or ``no_form`` (the question builder
finds no question for it; see :mod:`quizapp.questions.holds`). Neither is
asked, counted or used by another fact's question. A teacher accepts a
pending fact (as it stands or edited: it is studied from then on, with the
stem gate and the builder's verdict taken again) or rejects it (it leaves the
deck; its history, if any, is kept as for any fact a deck no longer has).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from quizapp.facts.model import HOLD_NO_FORM, HOLD_PENDING, Deck, Fact
from quizapp.services.collection import Collection
from quizapp.storage import repository as repo


@dataclass(frozen=True, slots=True)
class HeldCounts:
    """How many facts of a deck are held back, and why."""

    pending: int = 0
    no_form: int = 0


def held_counts(collection: Collection) -> dict[int, HeldCounts]:
    """Deck row id → its held facts' counts (decks without held facts are left out)."""
    with collection.session() as s:
        found = repo.held_counts(s)
    return {deck_id: HeldCounts(c.get(HOLD_PENDING, 0), c.get(HOLD_NO_FORM, 0))
            for deck_id, c in found.items()}


def held_facts(collection: Collection, deck: str | int, hold: str | None = None) -> list[Fact]:
    """A stored deck's held facts (only ``pending`` or ``no_form`` ones with ``hold``)."""
    with collection.session() as s:
        row = repo.find_deck(s, deck)
        if row is None or row.id is None:
            raise repo.NotFoundError(f"no deck named {deck!r}")
        return repo.held_facts(s, row.id, hold)


def _stored_with(collection: Collection, deck_key: str, fact_id: str,
                 replacement: Fact | None) -> Deck:
    deck = collection.load_deck(deck_key, include_held=True)
    if all(f.id != fact_id for f in deck.facts):
        raise repo.NotFoundError(f"deck {deck_key!r} has no fact {fact_id!r}")
    facts = tuple(replacement if f.id == fact_id else f for f in deck.facts)
    return dataclasses.replace(deck, facts=tuple(f for f in facts if f is not None))


def accept_pending(collection: Collection, deck_key: str, fact: Fact,
                   replaces: str | None = None) -> Fact:
    """Accept a pending fact of a stored deck, as ``fact`` (the teacher's version).

    The fact is studied from now on (its cards are made), unless no question
    can ask it (then it is held ``no_form``, with the reason); the stored
    fact it ``replaces`` (default: the one with ``fact.id``) goes. Returns
    the fact as stored.
    """
    accepted = dataclasses.replace(fact, hold=None, level=None, reasons=())
    deck = _stored_with(collection, deck_key, replaces or fact.id, accepted)
    collection.import_deck(deck)
    stored = collection.load_deck(deck_key, include_held=True)
    return next(f for f in stored.facts if f.id == accepted.id)


def reject_pending(collection: Collection, deck_key: str, fact_id: str) -> None:
    """Reject a pending fact: it leaves the deck and is never asked."""
    collection.import_deck(_stored_with(collection, deck_key, fact_id, None))
