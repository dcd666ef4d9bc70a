"""The collection: one open database with its decks and profiles.

This is the entry point the command line, the GUI and tests share: it opens
(or creates and upgrades) the database, makes sure a first start finds a
profile and the seed deck, and imports deck files in one transaction. What
touches the database is :mod:`quizapp.storage.engine`'s.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.assets import seed_deck_path
from quizapp.config import database_url
from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck
from quizapp.storage import engine as store
from quizapp.storage.engine import Connection, Engine, Session
from quizapp.storage.models import ProfileRow

if TYPE_CHECKING:
    from quizapp.storage.repository import StoreResult
    from quizapp.storage.staged import StepCallback


def _sweep_backup_partials() -> None:
    """Delete the ``.partial`` files killed backups left in the app's backup folder."""
    from quizapp.config import app_home
    from quizapp.storage.backup import backup_dir, sweep_partials

    if database_url().startswith("sqlite"):
        sweep_partials(backup_dir(app_home()))


def _seed_deck() -> Deck:
    from quizapp.questions.holds import with_holds

    return with_holds(load_deck_file(seed_deck_path()))


class Collection:
    """An open quizapp database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._held: set[Connection] = set()

    @classmethod
    def open(
        cls, url: str | None = None, *, first_start: bool = True, durable: bool = True
    ) -> Collection:
        """Open the database at ``url`` (default: :func:`database_url`).

        With ``first_start`` a database without profiles gets the default
        profile (not a classroom's: there every profile is a student's), and
        the seed deck is loaded once.
        """
        if url is None:
            _sweep_backup_partials()
        col = cls(store.open_engine(url or database_url(), durable=durable))
        if first_start:
            col.ensure_first_start()
        return col

    def close(self) -> None:
        """Release the database connections (held ones too)."""
        for conn in list(self._held):
            store.close_connection(conn)
        self._held.clear()
        store.dispose(self.engine)

    def hold_connection(self) -> Connection:
        """A connection kept open across calls until released or the collection closes.

        A study session keeps one so that its reads and writes skip the pool
        and so that SQLite's ``PRAGMA data_version`` on it tells whether any
        other connection wrote since it last looked.
        """
        conn = store.connect(self.engine)
        self._held.add(conn)
        return conn

    def release_connection(self, conn: Connection) -> None:
        """Close a connection from :meth:`hold_connection` (closing twice is harmless)."""
        self._held.discard(conn)
        store.close_connection(conn)

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A short session for one unit of work (commit explicitly)."""
        with store.session(self.engine) as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits at the end of the block, or rolls back on error."""
        with store.transaction(self.engine) as session:
            yield session

    def ensure_first_start(self) -> None:
        """Create the default profile and load the seed deck the first time."""
        from quizapp.questions.holds import with_holds

        store.ensure_first_start(self.engine, _seed_deck, with_holds)

    def import_deck(
        self, deck: Deck, now: datetime | None = None, *, step: StepCallback | None = None
    ) -> StoreResult:
        """Store a validated deck (all or nothing), its facts without a question held back.

        A large deck on an SQLite file is written in short steps that never
        keep an answer waiting (:mod:`quizapp.storage.staged`); ``step(done,
        total)`` is called after each and may raise to stop the import, which
        then stores nothing.
        """
        from quizapp.questions.holds import with_holds
        from quizapp.storage.staged import import_deck

        # Facts no question can ask are held back (a deck of notes builds nothing).
        return import_deck(self.engine, with_holds(deck), now, step=step)

    def import_deck_file(self, path: str | Path) -> StoreResult:
        """Validate and store a deck file; DeckFileError leaves the database untouched."""
        return self.import_deck(load_deck_file(path))

    def load_deck(self, key_or_id: str | int, *, include_held: bool = False) -> Deck:
        """A stored deck as a plain value: the facts studied, and with ``include_held``
        the facts held back from study too (:attr:`Fact.hold` says why)."""
        return store.load_deck(self.engine, key_or_id, include_held=include_held)

    def profile(self, name_or_id: str | int | None = None) -> ProfileRow:
        """A profile by name or id; the first profile when none is named."""
        return store.find_profile(self.engine, name_or_id)
