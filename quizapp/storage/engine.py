"""Engines, connections and sessions of an open quizapp database.

The collection (:mod:`quizapp.services.collection`) holds an engine and asks
this module for everything that touches it: opening (create, upgrade, recover
what a crashed import left), connections held across calls, short sessions
and transactions, and the first start's writes. The engine's types are named
here so that modules outside ``storage/`` can spell them without importing
SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, select

from quizapp.facts.model import Deck
from quizapp.storage import repository as repo
from quizapp.storage.db import open_database
from quizapp.storage.models import CLASSROOM_KEY, Meta, ProfileRow

__all__ = [
    "Connection",
    "Database",
    "Engine",
    "Session",
    "close_connection",
    "connect",
    "dispose",
    "ensure_first_start",
    "find_profile",
    "load_deck",
    "open_engine",
    "session",
    "transaction",
]


class Database(Protocol):
    """An open database as the storage modules use it: an engine and short sessions."""

    @property
    def engine(self) -> Engine: ...

    def session(self) -> AbstractContextManager[Session]: ...


def open_engine(url: str, *, durable: bool = True) -> Engine:
    """The engine of the database at ``url``, created or upgraded, with what an import
    cut off by a crash left hidden again."""
    from quizapp.storage.staged import recover_interrupted

    engine = open_database(url, durable=durable)
    recover_interrupted(engine)
    return engine


def dispose(engine: Engine) -> None:
    """Close the engine's pooled connections."""
    engine.dispose()


def connect(engine: Engine) -> Connection:
    """A new connection, open until :func:`close_connection`."""
    return engine.connect()


def close_connection(conn: Connection) -> None:
    """Close a connection from :func:`connect` (closing twice is harmless)."""
    conn.close()


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    """A short session for one unit of work (commit explicitly)."""
    with Session(engine, expire_on_commit=False) as s:
        yield s


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session that commits at the end of the block, or rolls back on error."""
    with Session(engine, expire_on_commit=False) as s:
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise


def ensure_first_start(engine: Engine, seed_deck: Callable[[], Deck],
                       verdict: Callable[[Deck], Deck] | None = None) -> None:
    """Create the default profile and store the seed deck (``seed_deck()``) the first time.

    After the upgrade that added held facts, ``verdict`` records which facts of
    each stored deck no question can ask (:func:`repository.check_forms_once`).
    """
    with transaction(engine) as s:
        # In a classroom only the owner of the tables may record it (students and
        # teachers do not write the meta table): their start leaves it to the owner's.
        if verdict is not None and (s.get(Meta, CLASSROOM_KEY) is None
                                    or repo.owns_the_tables(s)):
            repo.check_forms_once(s, verdict)
        # A classroom's profiles are its students, made with their login
        # roles: whoever runs the app there gets no profile of their own.
        if s.get(Meta, CLASSROOM_KEY) is None and not repo.list_profiles(s):
            repo.create_profile(s, repo.DEFAULT_PROFILE)
        if s.get(Meta, "seed_loaded") is None:
            if repo.find_deck(s, "seed") is None:
                repo.store_deck(s, seed_deck())
            s.add(Meta(key="seed_loaded", value="1"))


def load_deck(engine: Engine, key_or_id: str | int, *, include_held: bool = False) -> Deck:
    """A stored deck as a plain value (its studied facts; ``include_held``: held ones too)."""
    with session(engine) as s:
        return repo.load_deck(s, key_or_id, include_held=include_held)


def find_profile(engine: Engine, name_or_id: str | int | None = None) -> ProfileRow:
    """A profile by name or id; the first profile when none is named (NotFoundError: none)."""
    with session(engine) as s:
        if name_or_id is None:
            row = s.exec(select(ProfileRow).order_by(ProfileRow.id)).first()  # type: ignore[arg-type]
        else:
            row = repo.find_profile(s, name_or_id)
        if row is None:
            raise repo.NotFoundError("no profile yet" if name_or_id is None
                                     else f"no profile named {name_or_id!r}")
        return row
