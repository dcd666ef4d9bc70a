"""A study sitting's reads: its profile, its decks and cards, and the queues' statements.

The candidate queues (a card whose answer was just undone, due learning
cards, due reviews, new cards, learning cards due soon) are each read with a
statement compiled once, a ``LIMIT``-ed range scan of ``ix_card_due``.
:class:`SittingConnection` is the connection a sitting reads (and answers) on:
on an SQLite file one held for the whole sitting, so that ``PRAGMA
data_version`` on it tells about every other writer; elsewhere one from the
pool for each unit of work. A sitting's writes go through
:mod:`quizapp.storage.writer`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import Select, bindparam, false, or_
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.expression import BindParameter
from sqlmodel import Session, select

from quizapp.facts.model import Deck, Fact
from quizapp.scheduling.state import CardStateKind
from quizapp.storage import repository as repo
from quizapp.storage.models import CardRow, ClassDeckRetiredRow, ProfileDeckRow, ProfileRow
from quizapp.storage.reviewlog import card_table, fact_table
from quizapp.storage.writer import AnswerWriter, StoredCard, answer_writer, stored_card

# Candidate queues, in the order they are served.
Q_PREFERRED = 0  # the card whose answer was just undone
Q_LEARNING = 1  # learning / relearning cards that are due now
Q_REVIEW = 2  # review cards due before the study day ends
Q_NEW = 3  # new cards (facts never answered), in deck order
Q_LEARN_AHEAD = 4  # learning cards due within LEARN_AHEAD


class _Sessions(Protocol):
    engine: Engine

    def hold_connection(self) -> Connection: ...

    def release_connection(self, conn: Connection) -> None: ...


def _retired_for_profile() -> Select[Any]:
    """The decks retired for the class of the profile ``profile_id`` (a classroom's)."""
    r = ClassDeckRetiredRow.__table__  # type: ignore[attr-defined]
    p = ProfileRow.__table__  # type: ignore[attr-defined]
    return (sa_select(r.c.deck_id).select_from(r.join(p, p.c.class_name == r.c.class_name))
            .where(p.c.id == bindparam("profile_id")))


# Every cached statement takes these bind parameters: profile_id, today and,
# as its shape asks, deck_id, no_form, decks, card_id, horizon, day_end.
@lru_cache(maxsize=64)
def part_statement(queue: int, one_deck: bool, no_form: bool, decks: str | None,
                   size: int) -> Select[Any]:
    """The SQL of one queue (or of the preferred card), compiled once per shape.

    The filters are the study rules of :mod:`quizapp.scheduling.policy`: not
    suspended, buried or retired (the fact, or the deck for the profile's
    class), and ``decks`` (``in`` / ``not_in``) for the daily limits. A card
    is (profile, fact), so there is no sibling to keep apart. Each queue is a
    range scan of ``ix_card_due`` (profile, suspended, state, due) in (due,
    id) order. Rows: card id, deck id, fact row id, fact key, family (last
    asked), reps, reported forms, due, state, stability, lapses, step,
    difficulty, last review, last shown day (with due, state, stability,
    reps and lapses, the card's whole state: an answer is scheduled from it
    without reading the card again).
    """
    c = card_table.alias("c")
    f = fact_table.alias("f")
    today: BindParameter[int] = bindparam("today")
    q = (
        sa_select(c.c.id, c.c.deck_id, c.c.fact_id, f.c.key, c.c.family, c.c.reps,
                  c.c.reported_forms, c.c.due, c.c.state, c.c.stability, c.c.lapses,
                  c.c.step, c.c.difficulty, c.c.last_review, c.c.last_shown_day)
        .select_from(c)
        .join(f, f.c.id == c.c.fact_id)
        .where(
            c.c.profile_id == bindparam("profile_id"),
            c.c.suspended == false(),
            or_(c.c.buried_until.is_(None), c.c.buried_until < today),
            f.c.retired == false(),
            c.c.deck_id.not_in(_retired_for_profile()),
        )
    )
    if one_deck:
        q = q.where(c.c.deck_id == bindparam("deck_id"))
    if no_form:
        q = q.where(c.c.id.not_in(bindparam("no_form", expanding=True)))
    if queue == Q_PREFERRED:
        return q.where(c.c.id == bindparam("card_id"))
    if decks == "in":
        q = q.where(c.c.deck_id.in_(bindparam("decks", expanding=True)))
    elif decks == "not_in":
        q = q.where(c.c.deck_id.not_in(bindparam("decks", expanding=True)))
    if queue == Q_LEARNING:
        q = q.where(c.c.state.in_((CardStateKind.LEARNING, CardStateKind.RELEARNING)),
                    c.c.due <= bindparam("horizon"))
    elif queue == Q_REVIEW:
        q = q.where(c.c.state == CardStateKind.REVIEW, c.c.due < bindparam("day_end"))
    else:
        # New cards have no due time: index order within state 0 is card id
        # order, which is deck order.
        q = q.where(c.c.state == CardStateKind.NEW)
    return q.order_by(c.c.due, c.c.id).limit(size)


def read_part(conn: Connection, queue: int, one_deck: bool, no_form: bool, decks: str | None,
              size: int, params: dict[str, Any]) -> Iterable[Any]:
    """The rows of one queue's statement (:func:`part_statement`) with ``params``."""
    return conn.execute(part_statement(queue, one_deck, no_form, decks, size), params)


def keeps_queue(engine: Engine) -> bool:
    """Whether a session may keep its queue in memory: an SQLite file.

    Only there does ``PRAGMA data_version`` on a held connection tell about
    every other writer (another connection of this process, or another
    process). Elsewhere the queue is fetched afresh for every question.
    """
    url = engine.url
    database = url.database or ""
    return (url.get_backend_name() == "sqlite" and database not in ("", ":memory:")
            and "mode=memory" not in str(url))


def data_version(conn: Connection) -> Any:
    """SQLite's ``PRAGMA data_version`` on ``conn``: changes when another connection wrote."""
    # Straight to the driver: the pragma starts no transaction.
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    return dbapi.execute("PRAGMA data_version").fetchone()[0]


_Owner = TypeVar("_Owner")


class SittingConnection(Generic[_Owner]):
    """The connection a study sitting reads and answers on.

    On an SQLite file (``keep``) one connection is held from the first use
    until :meth:`release`, the owner being dropped, or the collection closing;
    ``on_hold(owner)`` is called each time a new one is taken (data versions of
    two connections do not compare). Only a weak reference to the owner is
    kept, so a dropped owner still frees its connection at once. Elsewhere each
    unit of work takes one from the pool and gives it back.
    """

    def __init__(self, collection: _Sessions, keep: bool, owner: _Owner,
                 on_hold: Callable[[_Owner], None]) -> None:
        self._col = collection
        self.keep = keep
        self._owner = weakref.ref(owner)
        self._on_hold = on_hold
        self.conn: Connection | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None
        self._writer: tuple[Connection, AnswerWriter] | None = None  # the held connection's

    @contextmanager
    def unit(self, *, write: bool = False) -> Iterator[Connection]:
        """A connection for one unit of work: committed (``write``) or ended, never left open."""
        if self.keep:
            conn = self.conn
            if conn is None or conn.closed or conn.invalidated:
                conn = self._hold()
        else:
            conn = self._col.engine.connect()
        try:
            yield conn
            if write:
                conn.commit()
            else:
                conn.rollback()
        except BaseException:
            conn.rollback()
            raise
        finally:
            if not self.keep:
                conn.close()

    def answer_writer(self) -> tuple[AnswerWriter, Connection | None]:
        """A writer for one answer's transaction, and the connection to close after it (if any).

        On an SQLite file the held connection's writer, made once and kept
        (its cursor, and the driver's prepared statements, serve every
        answer); elsewhere a writer on a connection from the pool, to be
        closed once the answer is committed or rolled back.
        """
        if not self.keep:
            pooled = self._col.engine.connect()
            return answer_writer(pooled), pooled
        conn = self.conn
        if conn is None or conn.closed or conn.invalidated:
            conn = self._hold()
        held = self._writer
        if held is None or held[0] is not conn:
            held = self._writer = (conn, answer_writer(conn))
        return held[1], None

    def _hold(self) -> Connection:
        self.release()
        conn = self._col.hold_connection()
        self.conn = conn
        owner = self._owner()
        # Released when the owner (the study session) is dropped: no cycle keeps it.
        self._finalizer = weakref.finalize(owner if owner is not None else self,
                                           self._col.release_connection, conn)
        if owner is not None:
            self._on_hold(owner)
        return conn

    def release(self) -> None:
        """Give the held connection back (harmless when none is held)."""
        self._writer = None
        if self._finalizer is not None:
            self._finalizer()
        self._finalizer = None
        self.conn = None


# ---------------------------------------------------------------- a sitting's reads


def load_profile(s: Session, profile_id: int | None) -> ProfileRow:
    """The profile ``profile_id`` (the first one when None); NotFoundError if there is none."""
    profile = (s.get(ProfileRow, profile_id) if profile_id is not None
               else s.exec(select(ProfileRow).order_by(ProfileRow.id)).first())  # type: ignore[arg-type]
    if profile is None:
        raise repo.NotFoundError(f"no profile {profile_id!r}")
    return profile


def deck_overrides(s: Session, profile_id: int) -> list[ProfileDeckRow]:
    """The profile's per-deck setting overrides."""
    return list(s.exec(select(ProfileDeckRow).where(ProfileDeckRow.profile_id == profile_id)))


def find_card(s: Session, card_id: int) -> StoredCard | None:
    """A card, or None."""
    row = s.get(CardRow, card_id)
    return stored_card(row) if row is not None else None


def fact_key(s: Session, fact_row_id: int) -> str:
    """The key of the fact with row id ``fact_row_id``."""
    key: str = s.exec(select(fact_table.c.key).where(fact_table.c.id == fact_row_id)).one()
    return key


def load_deck(s: Session, deck_id: int) -> Deck:
    """A deck for questions, without its Q/A facts (fetched as their cards come up)."""
    return repo.load_deck(s, deck_id, without_qa=True)


def load_facts(s: Session, deck_id: int, keys: set[str]) -> list[Fact]:
    """The facts of a deck with these keys."""
    return repo.load_facts(s, deck_id, keys)


#: The connection a sitting's reads run on, as :meth:`SittingConnection.unit` gives
#: it; outside storage it is only handed back to this module's functions.
SittingDb = Connection
