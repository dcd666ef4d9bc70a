"""Opening the database: engine settings, schema creation and migrations.

SQLite runs in WAL mode with ``synchronous=FULL``: in WAL mode ``NORMAL``
may lose the last commits on a power cut, and quizapp promises that an answer
is durable before its feedback is shown, so every commit syncs the WAL.
Foreign keys are switched on for every connection.

Schema versions form one ordered list: :data:`MIGRATIONS[i]` upgrades a
database at version ``i + 1`` to ``i + 2``. A new database is created from the
current models and stamped with :data:`SCHEMA_VERSION`; an older one is
upgraded step by step in one transaction per step, after a backup copy made
with SQLite's online backup API.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, SQLModel, create_engine

from quizapp.storage import models
from quizapp.storage.models import SCHEMA_VERSION


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; the message says why in plain words."""


Migration = Callable[[Connection], None]

# MIGRATIONS[i] takes the schema from version i + 1 to i + 2. Append only.
MIGRATIONS: list[Migration] = []


def _set_sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str, *, durable: bool = True) -> Engine:
    """An engine for ``url`` with quizapp's connection settings (no schema work)."""
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _set_sqlite_pragmas)
        if not durable:

            def _fast(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
                dbapi_conn.execute("PRAGMA synchronous=OFF")

            event.listen(engine, "connect", _fast)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_path(url: str) -> Path | None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix) :] not in ("", ":memory:"):
        return Path(url[len(prefix) :])
    return None


def schema_version(conn: Connection) -> int | None:
    """The stored schema version, or None for an empty database."""
    insp = inspect(conn)
    if not insp.has_table("meta"):
        return None if not insp.get_table_names() else 0
    row = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).first()
    return int(row[0]) if row else 0


def open_database(url: str, *, durable: bool = True) -> Engine:
    """Open (creating or upgrading) the database at ``url`` and return its engine."""
    engine = make_engine(url, durable=durable)
    try:
        with engine.connect() as conn:
            version = schema_version(conn)
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open the database {url}: {exc}") from exc
    if version is None:
        create_schema(engine)
    elif version > SCHEMA_VERSION:
        engine.dispose()
        raise DatabaseError(
            f"the database was written by a newer quizapp (schema {version}; this version "
            f"knows up to {SCHEMA_VERSION}); update quizapp to open it"
        )
    elif version < SCHEMA_VERSION:
        if version < 1:
            engine.dispose()
            raise DatabaseError(f"{url} is not a quizapp database")
        migrate(engine, version)
    return engine


def create_schema(engine: Engine) -> None:
    """Create every table of the current schema and stamp its version."""
    SQLModel.metadata.create_all(engine, tables=[t.__table__ for t in _TABLES])  # type: ignore[attr-defined]
    with Session(engine) as session:
        session.merge(models.Meta(key="schema_version", value=str(SCHEMA_VERSION)))
        session.commit()


_TABLES: tuple[type[SQLModel], ...] = (
    models.Meta,
    models.DeckRow,
    models.SourceRow,
    models.FactRow,
    models.ProfileRow,
    models.ProfileDeckRow,
    models.CardRow,
    models.StudySessionRow,
    models.ReviewRow,
    models.QuestionReportRow,
)


def migrate(engine: Engine, from_version: int) -> None:
    """Apply the migrations after ``from_version``, each in its own transaction."""
    backup_before_upgrade(engine, from_version)
    for version in range(from_version, SCHEMA_VERSION):
        step = MIGRATIONS[version - 1]
        with engine.begin() as conn:
            step(conn)
            conn.execute(
                text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                {"v": str(version + 1)},
            )


def backup_before_upgrade(engine: Engine, version: int) -> Path | None:
    """Copy a SQLite database aside (online backup API) before upgrading it."""
    path = _sqlite_path(str(engine.url))
    if path is None:
        return None
    target = path.with_name(f"{path.stem}.schema{version}.bak{path.suffix}")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target
