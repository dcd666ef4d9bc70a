"""Storing a large deck in short steps, so that an answer never waits long for SQLite.

SQLite lets one connection write at a time; an answer waits for the write
lock (``busy_timeout``, 10 s) and fails after that. Storing a deck of 300,000
facts in one transaction holds the lock far longer. :func:`import_deck`
stores a large deck on an SQLite file in steps instead, each a transaction
that ends once it has worked for :data:`STEP_S` (or holds :data:`STEP_FACTS`
facts), a chunk of :data:`CHUNK_FACTS` facts and their cards at a time, with
a pause of :data:`PAUSE_S` after each (longer than SQLite's longest wait
between two tries of a waiting writer, so that a waiting answer always gets
its turn). Bounding a step by time rather than by a number of facts keeps
the wait of an answer the same on a fast or a slow computer, and makes no
more pauses than that needs:

1. One short transaction creates the deck row if the deck is new (under a
   hidden key, :data:`PENDING_DECK_PREFIX`, so it is listed nowhere) and
   writes a ``meta`` row ``import-pending:TOKEN`` naming the deck.
2. New facts are inserted step by step as *pending*: retired (so that no
   query shows them or their cards) with the negative position
   ``-1 - position``, and their cards are created in the same step.
3. One final short transaction makes everything visible at once: the
   deck's name and key, the facts whose content changed (compared with the
   stored ones first, outside any transaction), the new positions of the
   facts that moved, the facts retired, and the pending facts turned into
   ordinary ones; the deck's media files no fact names any more are deleted;
   the ``meta`` row goes. Its work grows with the number of
   changed facts, not with the size of the deck.

While it runs, the importing process holds an advisory lock on the file
``DATABASE.import-TOKEN.lock``. If the import stops on an error, its pending
rows are deleted at once; if the process dies, :func:`recover_interrupted`
(run when a collection is opened) finds the ``meta`` row whose lock nobody
holds and deletes them. Either way nothing of the import is ever seen.

Decks of fewer than :data:`STAGED_MIN_FACTS` facts (stored in one
transaction in about the time of one step), decks with sources
(articles, a few hundred facts) and PostgreSQL (where writers wait only for
the rows they share) are stored in one transaction as before.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, select

from quizapp.facts.bulk import gc_paused
from quizapp.facts.model import Deck
from quizapp.storage import repository as repo
from quizapp.storage.db import DatabaseError, unbounded_statements
from quizapp.storage.models import DeckRow, FactRow, Meta, ProfileRow, utc_now

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: Seconds of work after which a step commits (it ends at the next chunk's end).
STEP_S = 0.5
#: New facts (with their cards) written at most in one step.
STEP_FACTS = 50_000
#: New facts (with their cards) written at a time within a step.
CHUNK_FACTS = 1_000
#: Seconds between two steps: more than the 100 ms SQLite's busy handler
#: sleeps at most between two tries, so a waiting answer takes the lock.
PAUSE_S = 0.12
#: Decks with fewer facts than this are stored in one transaction.
STAGED_MIN_FACTS = 15_000
#: Pending facts deleted at a time when an import is undone.
DISCARD_FACTS = 5_000
#: The key of a new deck while its import is under way (no deck id starts so).
PENDING_DECK_PREFIX = "~importing-"
META_PREFIX = "import-pending:"

#: ``step(done, total)``: called after every step; it may raise to stop the import.
StepCallback = Callable[[int, int], None]

_POSITION = repo._STORED_COLUMNS.index("position")
_HOLD = repo._STORED_COLUMNS.index("hold")


class ImportConflictError(DatabaseError):
    """The deck changed under the import (another import of it ran at the same time)."""


def import_deck(
    engine: Engine,
    deck: Deck,
    now: datetime | None = None,
    *,
    step: StepCallback | None = None,
    step_facts: int = STEP_FACTS,
    pause_s: float = PAUSE_S,
    min_facts: int = STAGED_MIN_FACTS,
    step_s: float = STEP_S,
) -> repo.StoreResult:
    """Store ``deck`` (add it or update the stored deck with its id), all or nothing.

    On an SQLite file a deck of ``min_facts`` facts or more is stored in steps
    (see the module's description) of at most ``step_facts`` facts, each ending
    after the chunk that takes it past ``step_s`` seconds; otherwise in one
    transaction.
    """
    path = _sqlite_file(engine)
    if path is None or len(deck.facts) < min_facts or deck.sources or deck.media:
        with Session(engine, expire_on_commit=False) as s:
            unbounded_statements(s.connection())  # a large deck may take a while on a server
            result = repo.store_deck(s, deck, now)
            if step is not None:
                step(1, 1)  # the last chance to stop: raising rolls back
            s.commit()
            return result
    return _Staged(engine, path, deck, now or utc_now(), step, step_facts, pause_s,
                   step_s).run()


def _sqlite_file(engine: Engine) -> Path | None:
    url = engine.url
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:"):
        return None
    if "mode=memory" in str(url):
        return None
    return Path(database)


def _lock_path(db: Path, token: str) -> Path:
    return db.with_name(f"{db.name}.import-{token}.lock")


@contextmanager
def _import_lock(db: Path, token: str) -> Iterator[None]:
    """Hold the advisory lock that tells other processes this import is alive."""
    path = _lock_path(db, token)
    fh: IO[bytes] = open(path, "wb")  # noqa: SIM115 - closed below
    try:
        if fcntl is not None:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        fh.write(str(os.getpid()).encode())
        fh.flush()
        yield
    finally:
        fh.close()  # releases the lock
        path.unlink(missing_ok=True)


def _is_alive(db: Path, token: str) -> bool:
    """Whether the import ``token`` is still running (its lock is held)."""
    path = _lock_path(db, token)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return False
    with fh:
        if fcntl is None:  # pragma: no cover - Windows: trust the process id
            try:
                os.kill(int(fh.read() or b"0"), 0)
            except (OSError, ValueError):
                return False
            return True
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        return False


class _Staged:
    def __init__(self, engine: Engine, path: Path, deck: Deck, now: datetime,
                 step: StepCallback | None, step_facts: int, pause_s: float,
                 step_s: float) -> None:
        self.engine = engine
        self.path = path
        self.deck = deck
        self.now = now
        self.step = step
        self.step_facts = max(1, step_facts)
        self.pause_s = pause_s
        self.step_s = step_s
        self.token = secrets.token_hex(8)
        self.deck_id = 0
        self.new_deck = False
        self.unheld = False  # a stored fact held back before is studied after this import

    def run(self) -> repo.StoreResult:
        # An import that died since this database was opened left hidden rows
        # that a final step of this one would otherwise show.
        recover_interrupted(self.engine)
        with _import_lock(self.path, self.token):
            self._begin()
            try:
                return self._store()
            except BaseException:
                _discard(self.engine, self.token, self.deck_id, self.new_deck,
                         DISCARD_FACTS, self.pause_s)
                raise

    def _begin(self) -> None:
        """Step 1: the deck row (hidden if new) and the meta row naming the import."""
        deck = self.deck
        with Session(self.engine, expire_on_commit=False) as s:
            row = repo.find_deck_by_key(s, deck.id)
            if row is not None:
                for other in s.exec(select(Meta).where(Meta.key.startswith(META_PREFIX))):
                    if json.loads(other.value).get("deck") == row.id and _is_alive(
                        self.path, other.key.removeprefix(META_PREFIX)
                    ):
                        raise ImportConflictError(
                            f"deck {deck.id!r} is being imported by another window or "
                            "process: try again when that import is done"
                        )
            if row is None:
                hidden = PENDING_DECK_PREFIX + self.token
                row = DeckRow(key=hidden, name=hidden, description=deck.description,
                              number_tolerance=deck.options.number_tolerance,
                              created_at=self.now, updated_at=self.now)
                s.add(row)
                s.flush()
                self.new_deck = True
            assert row.id is not None
            self.deck_id = row.id
            s.add(Meta(key=META_PREFIX + self.token,
                       value=json.dumps({"deck": self.deck_id, "new": self.new_deck})))
            s.commit()

    def _store(self) -> repo.StoreResult:
        deck, deck_id = self.deck, self.deck_id
        facts = deck.facts
        fact_table = FactRow.__table__  # type: ignore[attr-defined]
        with Session(self.engine) as s:
            existing: dict[str, tuple[int, bool]] = {  # a held fact counts as not retired
                key: (fid, bool(retired) and hold is None)
                for fid, key, retired, hold in repo._fetch_tuples(
                    s,
                    select(fact_table.c.id, fact_table.c.key, fact_table.c.retired,
                           fact_table.c.hold).where(
                        fact_table.c.deck_id == deck_id, fact_table.c.position >= 0
                    ),
                )
            }
            profiles = [p for p in s.exec(select(ProfileRow.id)) if p is not None]
            s.rollback()
        new_positions: Sequence[int]
        kept: dict[int, int] = {}  # fact row id -> position in the deck
        seen: set[str] = set()
        if not existing:  # a new deck (or one with no fact left): every fact is new
            new_positions = range(len(facts))
        else:
            new_positions = []
            for position, key in enumerate(repo.fact_keys(facts)):
                seen.add(key)
                found = existing.get(key)
                if found is None:
                    new_positions.append(position)
                else:
                    kept[found[0]] = position
        retire = [fid for key, (fid, retired) in existing.items()
                  if key not in seen and not retired]
        del seen, existing
        moved, changed = self._compare(kept)
        updated = len(kept)  # as store_deck counts: every fact the deck kept
        del kept
        total = len(new_positions) + 1
        done = 0

        # Step 2: new facts, hidden, with their cards.
        cards = 0
        with self.engine.connect() as conn, _synced_at_the_end(conn):
            while done < len(new_positions):
                with Session(bind=conn) as s, gc_paused():
                    began, end = time.monotonic(), min(done + self.step_facts,
                                                       len(new_positions))
                    while done < end:
                        chunk = new_positions[done : min(done + CHUNK_FACTS, end)]
                        cards += self._insert_pending(s, chunk, profiles)
                        done += len(chunk)
                        if time.monotonic() - began >= self.step_s:
                            break
                    s.commit()
                self._after_step(done, total)

        # Step 3: everything visible at once.
        with Session(self.engine, expire_on_commit=False) as s:
            row = s.get(DeckRow, deck_id)
            if row is None:
                raise ImportConflictError(f"the deck {deck.id!r} was deleted during the import")
            if self.new_deck:
                if repo.find_deck_by_key(s, deck.id) is not None:
                    raise ImportConflictError(
                        f"another import stored a deck {deck.id!r} meanwhile: import again"
                    )
                row.key = deck.id
            row.name = deck.name
            row.description = deck.description
            row.number_tolerance = deck.options.number_tolerance
            row.updated_at = self.now
            s.flush()
            cursor = repo._cursor(s)
            try:
                if changed:
                    cursor.executemany(
                        repo._update_sql(s, "fact", repo._STORED_COLUMNS),
                        ((*repo._fact_tuple(facts[p], deck_id, p, None), fid)
                         for fid, p in changed),
                    )
                if moved:  # facts whose position alone changed
                    cursor.executemany(repo._update_sql(s, "fact", ("position",)), moved)
                if retire:  # retired: it shows nothing (media go unless named), held no more
                    cursor.executemany(
                        repo._update_sql(s, "fact", ("retired", "media", "hold", "hold_reasons")),
                        ((True, "[]", None, None, fid) for fid in retire)
                    )
                cursor.execute(
                    "UPDATE fact SET retired = CASE WHEN hold IS NULL THEN 0 ELSE 1 END,"
                    " position = -1 - position "
                    "WHERE deck_id = ? AND position < 0",
                    (deck_id,),
                )
            finally:
                cursor.close()
            repo.delete_orphan_media(s, deck_id)  # files no fact names any more, with the rest
            now_profiles = [p for p in s.exec(select(ProfileRow.id)) if p is not None]
            late = [p for p in now_profiles if p not in set(profiles)]
            if self.unheld:  # a fact held back before is studied now: cards for everyone
                cards += repo.create_missing_cards(s, now_profiles, deck_id)
            elif late:  # profiles made during the import: cards for every fact of the deck
                cards += repo.create_missing_cards(s, late, deck_id)
            meta = s.get(Meta, META_PREFIX + self.token)
            if meta is not None:
                s.delete(meta)
            s.commit()
        if self.step is not None:
            self.step(total, total)
        return repo.StoreResult(deck_id, len(new_positions), updated, len(retire), cards)

    def _insert_pending(self, s: Session, chunk: Sequence[int], profiles: list[int]) -> int:
        """Insert the facts at positions ``chunk`` as pending, with their cards; count cards.

        The facts get row ids above every stored one, so no card names them yet
        (see :func:`repo.create_cards_of_new_facts`).
        """
        first = _max_fact_id(s) + 1
        cursor = repo._cursor(s)
        try:
            repo._insert_facts(s, cursor, self.deck.facts, chunk, self.deck_id, pending=True)
        finally:
            cursor.close()
        return repo.create_cards_of_new_facts(s, profiles, self.deck_id, first)

    def _compare(self, kept: dict[int, int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Kept facts whose position alone changed ((position, id)), and whose content did."""
        moved: list[tuple[int, int]] = []
        changed: list[tuple[int, int]] = []
        if not kept:
            return moved, changed
        facts, deck_id = self.deck.facts, self.deck_id
        columns = ", ".join(f'"{c}"' for c in repo._STORED_COLUMNS)
        with Session(self.engine) as s:
            cursor = repo._cursor(s)
            try:
                cursor.execute(f"SELECT id, {columns} FROM fact WHERE deck_id = ? "
                               "AND position >= 0", (deck_id,))
                while rows := cursor.fetchmany(2_000):
                    for fid, *stored in rows:
                        position = kept.get(fid)
                        if position is None:
                            continue
                        want = list(repo._fact_tuple(facts[position], deck_id, position, None))
                        have = list(stored)
                        have[_POSITION] = want[_POSITION] = 0
                        if _same(want, have):
                            if stored[_POSITION] != position:
                                moved.append((position, fid))
                        else:
                            changed.append((fid, position))
                            if have[_HOLD] is not None and want[_HOLD] is None:
                                self.unheld = True  # it gets its cards in the last step
            finally:
                cursor.close()
            s.rollback()
        return moved, changed

    def _after_step(self, done: int, total: int) -> None:
        if self.step is not None:
            self.step(done, total)
        time.sleep(self.pause_s)


#: SQLite's ``PRAGMA synchronous`` levels: NORMAL leaves a WAL commit unsynced.
_SYNC_NORMAL = 1


@contextmanager
def _synced_at_the_end(conn: Connection) -> Iterator[None]:
    """Commit on ``conn`` without waiting for the disk, until the block ends.

    The steps' rows are hidden until the final transaction, and an import cut
    off before it is cleared (:func:`recover_interrupted`), so a step need not
    be on the disk when it commits: with ``synchronous=NORMAL`` SQLite still
    keeps the file whole after a crash or power cut (the WAL is synced before
    every checkpoint), it may only lose the latest steps. The final
    transaction commits at the connection pool's level (FULL), and syncing the
    WAL then makes every step before it durable as well. The level is set
    back before the connection returns to the pool.
    """
    driver = conn.connection.driver_connection
    assert driver is not None
    level = int(driver.execute("PRAGMA synchronous").fetchone()[0])
    if level > _SYNC_NORMAL:
        driver.execute(f"PRAGMA synchronous={_SYNC_NORMAL}")
    try:
        yield
    finally:
        if driver.in_transaction:
            driver.rollback()
        if level > _SYNC_NORMAL:
            driver.execute(f"PRAGMA synchronous={level}")


def _same(want: list[Any], have: list[Any]) -> bool:
    """Whether stored values equal the values to store (SQLite's booleans are 0 and 1)."""
    for a, b in zip(want, have, strict=True):
        if a == b:
            continue
        if isinstance(a, float) and isinstance(b, float) and abs(a - b) <= 1e-12 * abs(a):
            continue
        return False
    return True


def _max_fact_id(s: Session) -> int:
    cursor = repo._cursor(s)
    try:
        cursor.execute("SELECT coalesce(max(id), 0) FROM fact")
        return int(cursor.fetchone()[0])
    finally:
        cursor.close()


def _discard(engine: Engine, token: str, deck_id: int, new_deck: bool, step_facts: int,
             pause_s: float) -> None:
    """Delete an import's pending facts, their cards, its hidden deck and its meta row."""
    if not deck_id:
        return
    while True:
        with Session(engine) as s:
            cursor = repo._cursor(s)
            try:
                cursor.execute("SELECT id FROM fact WHERE deck_id = ? AND position < 0 LIMIT ?",
                               (deck_id, step_facts))
                ids = [(i,) for (i,) in cursor.fetchall()]
                if ids:
                    cursor.executemany("DELETE FROM card WHERE fact_id = ?", ids)
                    cursor.executemany("DELETE FROM fact WHERE id = ?", ids)
                else:
                    if new_deck:
                        cursor.execute("DELETE FROM card WHERE deck_id = ?", (deck_id,))
                        cursor.execute("DELETE FROM fact WHERE deck_id = ?", (deck_id,))
                        cursor.execute("DELETE FROM deck WHERE id = ? AND key LIKE ?",
                                       (deck_id, PENDING_DECK_PREFIX + "%"))
                    cursor.execute("DELETE FROM meta WHERE key = ?", (META_PREFIX + token,))
            finally:
                cursor.close()
            s.commit()
        if not ids:
            return
        time.sleep(pause_s)


def recover_interrupted(engine: Engine) -> int:
    """Delete what imports that stopped with their process left; return how many there were.

    An import still running (another process holds its lock) is left alone.
    """
    path = _sqlite_file(engine)
    if path is None:
        return 0
    with Session(engine) as s:
        rows = list(s.exec(select(Meta).where(Meta.key.startswith(META_PREFIX))))
    found = 0
    for meta in rows:
        token = meta.key.removeprefix(META_PREFIX)
        if _is_alive(path, token):
            continue
        try:
            info = json.loads(meta.value)
            deck_id, new_deck = int(info["deck"]), bool(info["new"])
        except (ValueError, KeyError, TypeError):
            deck_id, new_deck = 0, False
        found += 1
        if deck_id:
            _discard(engine, token, deck_id, new_deck, DISCARD_FACTS, 0.0)
        else:
            with Session(engine) as s:
                stale = s.get(Meta, meta.key)
                if stale is not None:
                    s.delete(stale)
                s.commit()
        _lock_path(path, token).unlink(missing_ok=True)
    return found
