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

The same code runs on PostgreSQL (psycopg 3; ``postgresql://`` URLs are
pointed at it): times are ``timestamptz``, ids come from sequences, and
every commit is durable with the server's default ``synchronous_commit``.
Every PostgreSQL connection waits at most :data:`LOCK_TIMEOUT` for a lock and
runs a statement for at most :data:`STATEMENT_TIMEOUT`, except in schema
upgrades and other long work (:func:`unbounded_statements`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import Session, SQLModel, create_engine

from quizapp.storage import models
from quizapp.storage.models import SCHEMA_VERSION


class DatabaseError(Exception):
    """The database cannot be opened or upgraded; the message says why in plain words."""


Migration = Callable[[Connection], None]


def _classroom_columns(conn: Connection) -> None:
    """Schema 1 → 2: who owns a profile and its class, and who teaches a class.

    ``profile.db_role`` is the PostgreSQL login role of a student (row-level
    security keys on it), ``profile.class_name`` their class, and
    ``class_teacher`` names the roles that may read a class. Existing profiles
    keep every value and get NULLs: they belong to no role and no class.
    """
    for statement in (
        "ALTER TABLE profile ADD COLUMN db_role VARCHAR",
        "ALTER TABLE profile ADD COLUMN class_name VARCHAR",
        "CREATE UNIQUE INDEX ix_profile_db_role ON profile (db_role)",
        "CREATE INDEX ix_profile_class_name ON profile (class_name)",
        "CREATE TABLE class_teacher (class_name VARCHAR NOT NULL, db_role VARCHAR NOT NULL, "
        "PRIMARY KEY (class_name, db_role))",
    ):
        conn.execute(text(statement))


def _progress_indexes(conn: Connection) -> None:
    """Schema 2 → 3: indexes that let the progress figures read only index pages.

    Two covering indexes over the review log (per study day, with the
    state-before prefix true retention reads; per card, in answer order), and
    small partial indexes over wrong answers, wrong multiple-choice answers,
    retired facts, leeches and buried cards; one index of recall cards in
    fact order with their stability, and one of a profile's cards per deck (by state and suspension,
    with due times) whose ranges the deck list counts; one of a learner's answers per
    question form in log order, which the study session reads for the learner's pace.
    No table or row
    changes: only ``CREATE INDEX``, and the statements are the same on SQLite
    and PostgreSQL.

    A SQLite file that has planner statistics (``ANALYZE`` was run) gets them
    for the new indexes too: without, SQLite would take a new index for a very
    selective one and prefer it over the older, analysed indexes.
    """
    for statement in (
        "CREATE INDEX ix_review_day_cover ON review "
        "(profile_id, study_day, kind, correct, substr(state_before, 1, 11), cancels_id)",
        "CREATE INDEX ix_review_card_cover ON review "
        "(profile_id, card_id, reviewed_at, id, kind, correct)",
        "CREATE INDEX ix_review_wrong ON review (profile_id, card_id, kind) WHERE correct = FALSE",
        "CREATE INDEX ix_review_wrong_choice ON review (profile_id, card_id, form, given) "
        "WHERE correct = FALSE AND choices IS NOT NULL AND given IS NOT NULL",
        "CREATE INDEX ix_review_pace ON review (profile_id, form, study_day, id)",
        "CREATE INDEX ix_fact_retired ON fact (id) WHERE retired = TRUE",
        "CREATE INDEX ix_card_recall ON card (profile_id, family, fact_id, stability)",
        "CREATE INDEX ix_card_profile_deck ON card (profile_id, deck_id, state, suspended, due)",
        "CREATE INDEX ix_card_leech ON card (profile_id, lapses) WHERE lapses >= 8",
        "CREATE INDEX ix_card_buried ON card (profile_id, buried_until) "
        "WHERE buried_until IS NOT NULL",
    ):
        conn.execute(text(statement))
    if conn.dialect.name == "sqlite" and inspect(conn).has_table("sqlite_stat1"):
        for name in _PROGRESS_INDEXES:
            conn.execute(text(f"ANALYZE {name}"))


_PROGRESS_INDEXES = (
    "ix_review_day_cover", "ix_review_card_cover", "ix_review_wrong", "ix_review_wrong_choice",
    "ix_review_pace", "ix_fact_retired", "ix_card_recall", "ix_card_profile_deck", "ix_card_leech",
    "ix_card_buried",
)


def _class_deck_retirements(conn: Connection) -> None:
    """Schema 3 → 4: ``class_deck_retired``, the decks a teacher removed from a class.

    A new, empty table; no row of any other table changes. On a PostgreSQL
    classroom the grants and row-level security are made afresh, so that the
    new table is guarded from the first moment like every other.
    """
    models.ClassDeckRetiredRow.__table__.create(conn)  # type: ignore[attr-defined]
    if conn.dialect.name == "postgresql":
        from quizapp.classroom import secure_if_classroom

        secure_if_classroom(conn)


# MIGRATIONS[i] takes the schema from version i + 1 to i + 2. Append only.
MIGRATIONS: list[Migration] = [
    _classroom_columns,  # 1 → 2
    _progress_indexes,  # 2 → 3
    _class_deck_retirements,  # 3 → 4
]


def _set_sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def normalise_url(url: str) -> str:
    """``url`` with PostgreSQL URLs pointed at psycopg 3 (quizapp's PostgreSQL driver).

    ``postgresql://`` and ``postgres://`` would otherwise ask SQLAlchemy for
    psycopg2; ``postgresql+psycopg://`` and every other URL pass unchanged.
    """
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def redacted(url: str) -> str:
    """``url`` with any password masked, for messages."""
    if "@" not in url:
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def make_engine(url: str, *, durable: bool = True) -> Engine:
    """An engine for ``url`` with quizapp's connection settings (no schema work).

    On PostgreSQL every commit is durable already (``synchronous_commit`` is
    the server's; on by default), so ``durable`` only concerns SQLite.
    """
    url = normalise_url(url)
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
    return create_engine(url, pool_pre_ping=True,
                         connect_args={"options": POSTGRESQL_OPTIONS})


# Every PostgreSQL connection of the app waits at most LOCK_TIMEOUT for a lock
# (a classmate's open transaction, an owner's schema change) and runs a
# statement for at most STATEMENT_TIMEOUT; then the statement fails with a
# plain error instead of hanging. Long work of the owner and teachers (schema
# upgrades, class set-up, deck imports) lifts the statement limit for its own
# transaction only (:func:`unbounded_statements`).
LOCK_TIMEOUT = "10s"
STATEMENT_TIMEOUT = "2min"
POSTGRESQL_OPTIONS = f"-c lock_timeout={LOCK_TIMEOUT} -c statement_timeout={STATEMENT_TIMEOUT}"


def unbounded_statements(conn: Connection) -> None:
    """Lift the statement time limit for the rest of ``conn``'s transaction (PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL statement_timeout = 0"))


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
    shown = redacted(url)
    try:
        engine = make_engine(url, durable=durable)
    except ModuleNotFoundError as exc:  # a PostgreSQL URL without psycopg installed
        raise DatabaseError(
            f"cannot open the database {shown}: {exc}; for PostgreSQL install "
            "quizapp[postgres] (psycopg 3)") from exc
    try:
        with engine.connect() as conn:
            version = schema_version(conn)
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open the database {shown}: {exc}") from exc
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
            raise DatabaseError(f"{shown} is not a quizapp database")
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
    models.ClassTeacherRow,
    models.ClassDeckRetiredRow,
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
            unbounded_statements(conn)
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
