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
from quizapp.storage import counts
from quizapp.storage import repository as repo


@dataclass(frozen=True, slots=True)
class HeldCounts:
    """How many facts of a deck are held back, and why."""

    pending: int = 0
    no_form: int = 0


def held_counts(collection: Collection) -> dict[int, HeldCounts]:
    """Deck row id → its held facts' counts (decks without held facts are left out)."""
    found = counts.held_counts(collection)
    return {deck_id: HeldCounts(c.get(HOLD_PENDING, 0), c.get(HOLD_NO_FORM, 0))
            for deck_id, c in found.items()}


def held_facts(collection: Collection, deck: str | int, hold: str | None = None) -> list[Fact]:
    """A stored deck's held facts (only ``pending`` or ``no_form`` ones with ``hold``)."""
    with collection.session() as s:
        row = repo.find_deck(s, deck)
        if row is None or row.id is None:
            raise repo.NotFoundError(f"no deck named {deck!r}")
        return repo.held_facts(s, row.id, hold)


def accept_pending(collection: Collection, deck_key: str, fact: Fact,
                   replaces: str | None = None) -> Fact:
    """Accept one pending fact of a stored deck as ``fact`` (the teacher's version, which
    replaces the pending fact ``replaces``, by default the one with ``fact.id``).

    See :func:`decide_pending`; returns the fact as stored (``hold`` None, or
    ``no_form`` when no question can ask it).
    """
    target = replaces or fact.id
    if decide_pending(collection, deck_key, {target: fact}, set()) == (0, 0):
        raise repo.NotFoundError(f"deck {deck_key!r} has no pending fact {target!r}")
    stored = collection.load_deck(deck_key, include_held=True)
    return next(f for f in stored.facts if f.id == fact.id)


def reject_pending(collection: Collection, deck_key: str, fact_id: str) -> None:
    """Reject one pending fact: it leaves the deck and is never asked."""
    if decide_pending(collection, deck_key, {}, {fact_id}) == (0, 0):
        raise repo.NotFoundError(f"deck {deck_key!r} has no pending fact {fact_id!r}")


def pending_review_deck(collection: Collection, deck_key: str) -> Deck:
    """The stored deck's article with its pending facts, for the review screen.

    ``deck.facts`` are the pending facts (level *check*, with their reasons);
    the deck has the one source they come from (ValueError: the deck has no
    pending fact, or its pending facts come from no single article).
    """
    deck = collection.load_deck(deck_key, include_held=True)
    pending = tuple(dataclasses.replace(f, level="check") for f in deck.facts
                    if f.hold == HOLD_PENDING)
    if not pending:
        raise ValueError(f"the deck {deck.name!r} has no fact pending a teacher's check")
    sources = {f.source_id for f in pending}
    source = [s for s in deck.sources if s.id in sources]
    if len(source) != 1:
        raise ValueError(f"the pending facts of {deck.name!r} do not come from one article")
    return dataclasses.replace(deck, sources=tuple(source), facts=pending)


def decide_pending(collection: Collection, deck_key: str, accepted: dict[str, Fact],
                   rejected: set[str]) -> tuple[int, int]:
    """Store a teacher's decisions on pending facts in one import (all or nothing).

    ``accepted`` maps a pending fact's id to the fact as the teacher accepted
    it (edited, maybe under another id): it is studied from now on, unless no
    question can ask it (then it is held ``no_form``). ``rejected`` facts
    leave the deck. Other pending facts stay pending. Returns (accepted,
    rejected) counts.
    """
    deck = collection.load_deck(deck_key, include_held=True)
    facts: list[Fact] = []
    done_accepted = done_rejected = 0
    for fact in deck.facts:
        if fact.hold != HOLD_PENDING:
            facts.append(fact)
        elif fact.id in rejected:
            done_rejected += 1
        elif fact.id in accepted:
            facts.append(dataclasses.replace(accepted[fact.id], hold=None, level=None,
                                             reasons=()))
            done_accepted += 1
        else:
            facts.append(fact)
    if done_accepted or done_rejected:
        collection.import_deck(dataclasses.replace(deck, facts=tuple(facts)))
    return done_accepted, done_rejected


def deck_row_id(collection: Collection, deck: str | int) -> int | None:
    """A stored deck's row id (None: no such deck)."""
    with collection.session() as s:
        row = repo.find_deck(s, deck)
        return row.id if row is not None else None
