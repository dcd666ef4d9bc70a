"""The study queues: which cards come next, read with statements compiled once.

The candidate queues (a card whose answer was just undone, due learning
cards, due reviews, new cards, learning cards due soon) and the SQL that
reads the head of each, as a ``LIMIT``-ed range scan of ``ix_card_due``; the
session (:mod:`quizapp.study.session`) serves them in order, keeping them in
memory on an SQLite file (:func:`keeps_queue`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    false,
    or_,
)
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.expression import BindParameter

from quizapp.questions.model import Family
from quizapp.scheduling import (
    CardStateKind,
)
from quizapp.scheduling.policy import RECALL_MIN_STABILITY_DAYS
from quizapp.scheduling.reviewlog import (
    card_table,
    fact_table,
)
from quizapp.storage.models import (
    ClassDeckRetiredRow,
    ProfileRow,
)

# Candidate queues, in the order they are served.
_Q_PREFERRED = 0  # the card whose answer was just undone
_Q_LEARNING = 1  # learning / relearning cards that are due now
_Q_REVIEW = 2  # review cards due before the study day ends
_Q_NEW = 3  # new cards (recall cards only once the recognise card is stable)
_Q_LEARN_AHEAD = 4  # learning cards due within LEARN_AHEAD

_BATCH = 8  # candidates per queue in one candidate list
_KEPT_BATCH = 64  # cards fetched per queue when the queue is kept in memory (SQLite files)
_LEARN_HORIZON = timedelta(hours=1)  # learning cards fetched this far past LEARN_AHEAD
_LAST_ID = sys.maxsize


@dataclass(frozen=True, slots=True)
class _Candidate:
    card_id: int
    deck_id: int
    fact_row_id: int
    fact_key: str
    family: str
    reps: int
    reported_forms: str
    queue: int




@dataclass(slots=True)
class _DayCounts:
    """What the current study day's log already holds, per deck."""

    day: int
    new_facts: dict[int, set[int]] = field(default_factory=dict)
    reviews: dict[int, int] = field(default_factory=dict)

    def add(self, deck_id: int, fact_row_id: int, state_before: int, sign: int = 1) -> None:
        if state_before == CardStateKind.NEW:
            facts = self.new_facts.setdefault(deck_id, set())
            if sign > 0:
                facts.add(fact_row_id)
            else:
                facts.discard(fact_row_id)
        elif state_before == CardStateKind.REVIEW:
            self.reviews[deck_id] = max(0, self.reviews.get(deck_id, 0) + sign)


@dataclass(slots=True)
class _Row:
    """A card waiting in an in-memory queue: what a question and its order need."""

    card_id: int
    deck_id: int
    fact_row_id: int
    fact_key: str
    family: str
    reps: int
    reported_forms: str
    due: datetime | None

    def key(self) -> tuple[datetime, int]:
        """The serving order of learning and review cards (due, then id)."""
        assert self.due is not None
        return (self.due, self.card_id)


@dataclass(slots=True)
class _Part:
    """The head of one queue, fetched in serving order, kept in step with this session.

    ``bound``: every eligible card whose (due, id) is at most this key is in
    ``rows``; None when the whole queue is. (The new queue only tells whether
    it is whole: its cards are never put back.)
    """

    rows: list[_Row]
    bound: tuple[datetime, int] | None


def _retired_for_profile() -> Select[Any]:
    """The decks retired for the class of the profile ``profile_id`` (a classroom's)."""
    r = ClassDeckRetiredRow.__table__  # type: ignore[attr-defined]
    p = ProfileRow.__table__  # type: ignore[attr-defined]
    return (sa_select(r.c.deck_id).select_from(r.join(p, p.c.class_name == r.c.class_name))
            .where(p.c.id == bindparam("profile_id")))


# Every cached statement takes these bind parameters: profile_id, today and,
# as its shape asks, deck_id, no_form, decks, card_id, horizon, day_end.
@lru_cache(maxsize=64)
def _part_statement(queue: int, one_deck: bool, no_form: bool, decks: str | None,
                    size: int) -> Select[Any]:
    """The SQL of one queue (or of the preferred card), compiled once per shape.

    The filters are the study rules of :mod:`quizapp.scheduling.policy`: not
    suspended, buried or retired (the fact, or the deck for the profile's
    class), no sibling shown today, a new recall card
    only once its recognise card is stable (or can never be shown), and
    ``decks`` (``in`` / ``not_in``) for the daily limits. Each queue is a range
    scan of ``ix_card_due`` (profile, suspended, state, due) in (due, id) order.
    """
    c = card_table.alias("c")
    f = fact_table.alias("f")
    sib = card_table.alias("sib")
    today: BindParameter[int] = bindparam("today")
    q = (
        sa_select(c.c.id, c.c.deck_id, c.c.fact_id, f.c.key, c.c.family, c.c.reps,
                  c.c.reported_forms, c.c.due)
        .select_from(c)
        .join(f, f.c.id == c.c.fact_id)
        .outerjoin(sib, and_(sib.c.profile_id == c.c.profile_id,
                             sib.c.fact_id == c.c.fact_id, sib.c.id != c.c.id))
        .where(
            c.c.profile_id == bindparam("profile_id"),
            c.c.suspended == false(),
            or_(c.c.buried_until.is_(None), c.c.buried_until < today),
            f.c.retired == false(),
            or_(sib.c.last_shown_day.is_(None), sib.c.last_shown_day != today),
            c.c.deck_id.not_in(_retired_for_profile()),
        )
    )
    if one_deck:
        q = q.where(c.c.deck_id == bindparam("deck_id"))
    if no_form:
        q = q.where(c.c.id.not_in(bindparam("no_form", expanding=True)))
    if queue == _Q_PREFERRED:
        return q.where(c.c.id == bindparam("card_id"))
    if decks == "in":
        q = q.where(c.c.deck_id.in_(bindparam("decks", expanding=True)))
    elif decks == "not_in":
        q = q.where(c.c.deck_id.not_in(bindparam("decks", expanding=True)))
    if queue == _Q_LEARNING:
        q = q.where(c.c.state.in_((CardStateKind.LEARNING, CardStateKind.RELEARNING)),
                    c.c.due <= bindparam("horizon"))
    elif queue == _Q_REVIEW:
        q = q.where(c.c.state == CardStateKind.REVIEW, c.c.due < bindparam("day_end"))
    else:
        ready = or_(
            c.c.family == Family.RECOGNISE.value,
            and_(sib.c.state == CardStateKind.REVIEW,
                 sib.c.stability >= RECALL_MIN_STABILITY_DAYS),
        )
        if no_form:
            ready = or_(ready, sib.c.id.in_(bindparam("no_form", expanding=True)))
        # New cards have no due time: index order within state 0 is card id
        # order, which is deck order.
        q = q.where(c.c.state == CardStateKind.NEW, ready)
    return q.order_by(c.c.due, c.c.id).limit(size)



def _keeps_queue(engine: Engine) -> bool:
    """Whether a session may keep its queue in memory: an SQLite file.

    Only there does ``PRAGMA data_version`` on a held connection tell about
    every other writer (another connection of this process, or another
    process). Elsewhere the queue is fetched afresh for every question.
    """
    url = engine.url
    database = url.database or ""
    return (url.get_backend_name() == "sqlite" and database not in ("", ":memory:")
            and "mode=memory" not in str(url))


def _candidate(row: _Row, queue: int) -> _Candidate:
    return _Candidate(row.card_id, row.deck_id, row.fact_row_id, row.fact_key, row.family,
                      row.reps, row.reported_forms, queue)
