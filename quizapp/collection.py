"""The collection: one open database with its decks and profiles.

This is the entry point the command line, the GUI and tests share: it opens
(or creates and upgrades) the database, makes sure a first start finds a
profile and the seed deck, and imports deck files in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, select

from quizapp.assets import seed_deck_path
from quizapp.config import database_url
from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck
from quizapp.storage import repository as repo
from quizapp.storage.db import open_database
from quizapp.storage.models import CLASSROOM_KEY, Meta, ProfileRow


def _sweep_backup_partials() -> None:
    """Delete the ``.partial`` files killed backups left in the app's backup folder."""
    from quizapp.config import app_home
    from quizapp.storage.backup import backup_dir, sweep_partials

    if database_url().startswith("sqlite"):
        sweep_partials(backup_dir(app_home()))

if TYPE_CHECKING:
    from quizapp.storage.staged import StepCallback


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
        col = cls(open_database(url or database_url(), durable=durable))
        from quizapp.storage.staged import recover_interrupted

        recover_interrupted(col.engine)  # what an import cut off by a crash left, hidden
        if first_start:
            col.ensure_first_start()
        return col

    def close(self) -> None:
        """Release the database connections (held ones too)."""
        for conn in list(self._held):
            conn.close()
        self._held.clear()
        self.engine.dispose()

    def hold_connection(self) -> Connection:
        """A connection kept open across calls until released or the collection closes.

        A study session keeps one so that its reads and writes skip the pool
        and so that SQLite's ``PRAGMA data_version`` on it tells whether any
        other connection wrote since it last looked.
        """
        conn = self.engine.connect()
        self._held.add(conn)
        return conn

    def release_connection(self, conn: Connection) -> None:
        """Close a connection from :meth:`hold_connection` (closing twice is harmless)."""
        self._held.discard(conn)
        conn.close()

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A short session for one unit of work (commit explicitly)."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits at the end of the block, or rolls back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def ensure_first_start(self) -> None:
        """Create the default profile and load the seed deck the first time."""
        with self.transaction() as s:
            # A classroom's profiles are its students, made with their login
            # roles: whoever runs the app there gets no profile of their own.
            if s.get(Meta, CLASSROOM_KEY) is None and not repo.list_profiles(s):
                repo.create_profile(s, repo.DEFAULT_PROFILE)
            if s.get(Meta, "seed_loaded") is None:
                if repo.find_deck(s, "seed") is None:
                    repo.store_deck(s, load_deck_file(seed_deck_path()))
                s.add(Meta(key="seed_loaded", value="1"))

    def import_deck(
        self, deck: Deck, now: datetime | None = None, *, step: StepCallback | None = None
    ) -> repo.StoreResult:
        """Store a validated deck (all or nothing).

        A large deck on an SQLite file is written in short steps that never
        keep an answer waiting (:mod:`quizapp.storage.staged`); ``step(done,
        total)`` is called after each and may raise to stop the import, which
        then stores nothing.
        """
        from quizapp.storage.staged import import_deck

        return import_deck(self.engine, deck, now, step=step)

    def import_deck_file(self, path: str | Path) -> repo.StoreResult:
        """Validate and store a deck file; DeckFileError leaves the database untouched."""
        return self.import_deck(load_deck_file(path))

    def load_deck(self, key_or_id: str | int) -> Deck:
        """A stored deck as a plain value."""
        with self.session() as s:
            return repo.load_deck(s, key_or_id)

    def profile(self, name_or_id: str | int | None = None) -> ProfileRow:
        """A profile by name or id; the first profile when none is named."""
        with self.session() as s:
            if name_or_id is None:
                row = s.exec(select(ProfileRow).order_by(ProfileRow.id)).first()  # type: ignore[arg-type]
            else:
                row = repo.find_profile(s, name_or_id)
            if row is None:
                raise repo.NotFoundError("no profile yet" if name_or_id is None
                                         else f"no profile named {name_or_id!r}")
            return row
