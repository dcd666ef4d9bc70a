"""Opening the database: engine settings, schema creation and migrations.

SQLite runs in WAL mode with ``synchronous=FULL``: in WAL mode ``NORMAL``
may lose the last commits on a power cut, and quizapp promises that an answer
is durable before its feedback is shown, so every commit syncs the WAL.
Foreign keys are switched on for every connection.

Schema versions form one ordered list: :data:`MIGRATIONS[i]` upgrades a
database at version ``i + 1`` to ``i + 2``. A new database is created from the
current models and stamped with :data:`SCHEMA_VERSION` in one transaction; an
older one is upgraded step by step, each step's statements and its version
stamp in one transaction (DDL included: see :func:`_atomic`), after a checked
copy named after its version is kept with SQLite's online backup API.

The same code runs on PostgreSQL (psycopg 3; ``postgresql://`` URLs are
pointed at it): times are ``timestamptz``, ids come from sequences, and
every commit is durable with the server's default ``synchronous_commit``.
Every PostgreSQL connection waits at most :data:`LOCK_TIMEOUT` for a lock and
runs a statement for at most :data:`STATEMENT_TIMEOUT`, except in schema
upgrades and other long work (:func:`unbounded_statements`).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlmodel import SQLModel, create_engine

from quizapp.storage import crashpoints, models
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


def _deck_speakers(conn: Connection) -> None:
    """Schema 3 → 4: a deck's speakers (other names, who speaks for whom).

    ``deck.speakers`` holds the deck file's ``[[speakers]]`` tables as a JSON
    list of ``{"name", "aliases", "speaks_for"}``. Stored decks keep every
    other value and get NULL (no speakers stated; importing the deck file
    again fills it), except the seed deck, which gets the speakers the seed
    deck file of this version states. No new table, so no new row-level
    security.
    """
    conn.execute(text("ALTER TABLE deck ADD COLUMN speakers TEXT"))
    from quizapp.assets import seed_deck_path
    from quizapp.facts.deckfile import load_deck_file
    from quizapp.storage.repository import speakers_to_json

    speakers = speakers_to_json(load_deck_file(seed_deck_path()).speakers)
    conn.execute(
        text("UPDATE deck SET speakers = :s WHERE key = 'seed' AND speakers IS NULL"),
        {"s": speakers},
    )


def _class_deck_retirements(conn: Connection) -> None:
    """Schema 4 → 5: ``class_deck_retired``, the decks a teacher removed from a class.

    A new, empty table; no row of any other table changes. On a PostgreSQL
    classroom the grants and row-level security are made afresh, so that the
    new table is guarded from the first moment like every other.
    """
    models.ClassDeckRetiredRow.__table__.create(conn)  # type: ignore[attr-defined]
    if conn.dialect.name == "postgresql":
        from quizapp.storage.classroom import secure_if_classroom

        secure_if_classroom(conn)


def _one_memory_per_fact(conn: Connection) -> None:
    """Schema 5 → 6: one card (one FSRS memory) per (profile, fact).

    Before, a fact had a recognise card and a recall card per profile. For
    every (profile, fact) the card with the lowest id survives; the review
    and question-report rows of the others are re-pointed to it (only their
    ``card_id`` changes: no review row is deleted or otherwise rewritten),
    and the others are deleted. The survivor takes the latest ``buried_until``
    and ``last_shown_day`` of the merged cards and the union of their
    reported forms. A card the learner suspended keeps the fact suspended; a
    suspension at 8 lapses or more was the old automatic leech rule, which
    one memory per fact replaces by asking the fact another way, so that
    suspension is lifted. Then every card's memory is replayed from its
    effective study answers (:func:`quizapp.storage.memories.replay_memories`,
    deterministic: fuzz off), and ``family`` becomes the family the fact was
    last asked in. A unique index then holds one card per (profile, fact);
    ``ix_card_recall`` (recall cards by stability) gives way to
    ``ix_card_mastery`` (a profile's cards in fact order with stability). No
    new table, so no new row-level security; on a PostgreSQL classroom the
    grants are made afresh (a student's answer now writes ``card.family``).
    A SQLite file with planner
    statistics gets them for the new indexes (see schema 3).
    """
    from quizapp.storage.memories import merged_card, profile_ids, replay_memories

    rows = conn.execute(text(
        "SELECT id, profile_id, fact_id, suspended, lapses, buried_until, last_shown_day,"
        " reported_forms FROM card ORDER BY profile_id, fact_id, id")).mappings().all()
    groups: dict[tuple[int, int], list[Any]] = {}
    for row in rows:
        groups.setdefault((int(row["profile_id"]), int(row["fact_id"])), []).append(row)
    repoint: list[dict[str, int]] = []
    merged: list[dict[str, Any]] = []
    for cards in groups.values():
        survivor = int(cards[0]["id"])
        repoint.extend({"s": survivor, "o": int(c["id"])} for c in cards[1:])
        kept = merged_card(cards)
        merged.append({"s": survivor, "suspended": kept["suspended"],
                       "buried": kept["buried_until"], "shown": kept["last_shown_day"],
                       "forms": kept["reported_forms"]})
    if repoint:
        conn.execute(text("UPDATE review SET card_id = :s WHERE card_id = :o"), repoint)
        conn.execute(text("UPDATE question_report SET card_id = :s WHERE card_id = :o"),
                     repoint)
        conn.execute(text("DELETE FROM card WHERE id = :o"), [{"o": r["o"]} for r in repoint])
    if merged:
        conn.execute(text(
            "UPDATE card SET suspended = :suspended, buried_until = :buried,"
            " last_shown_day = :shown, reported_forms = :forms WHERE id = :s"), merged)
    for statement in (
        "DROP INDEX ix_card_recall",
        "CREATE UNIQUE INDEX ux_card_profile_fact ON card (profile_id, fact_id)",
        "CREATE INDEX ix_card_mastery ON card (profile_id, fact_id, stability)",
    ):
        conn.execute(text(statement))
    if conn.dialect.name == "sqlite" and inspect(conn).has_table("sqlite_stat1"):
        for name in ("ux_card_profile_fact", "ix_card_mastery"):  # as schema 3 did
            conn.execute(text(f"ANALYZE {name}"))
    for profile_id in profile_ids(conn):
        replay_memories(conn, profile_id)
    if conn.dialect.name == "postgresql":
        from quizapp.storage.classroom import secure_if_classroom

        secure_if_classroom(conn)  # a student's answer now writes card.family


def _media_store(conn: Connection) -> None:
    """Schema 6 → 7: the media store (a deck's pictures and sounds, and the ones
    each fact shows).

    ``media`` holds each file's bytes keyed by (deck, name), with its MIME
    type, size and SHA-256; ``fact.media`` names, as a JSON array, the files a
    fact shows (``'[]'`` for every existing fact: no row of any other table
    changes). On a PostgreSQL classroom the grants and row-level security are
    made afresh, so that the new table is shared read-only with students from
    the first moment, like the deck's facts.
    """
    conn.execute(text("ALTER TABLE fact ADD COLUMN media TEXT NOT NULL DEFAULT '[]'"))
    models.MediaRow.__table__.create(conn)  # type: ignore[attr-defined]
    if conn.dialect.name == "postgresql":
        from quizapp.storage.classroom import secure_if_classroom

        secure_if_classroom(conn)


def _day_totals_and_fewer_indexes(conn: Connection) -> None:
    """Schema 7 → 8: the progress figures' answers per closed study day, and fewer indexes.

    Indexes that others made redundant go: ``ix_review_profile_day`` (profile,
    day) is the start of ``ix_review_day_cover``; ``ix_review_card`` (card,
    time) gives way to ``ix_review_card_cover`` made again with the card
    first (card, profile, time, id, kind, right), which serves both the
    per-card reads of the progress figures (profile and card given) and a
    card's answers alone (a card's delete); ``ix_card_deck_id`` is left to
    ``ix_card_profile_deck`` (a deck's delete reads the card table once). A
    SQLite file with planner statistics gets them for the new index (see
    schema 3).

    ``review_day`` and ``review_day_mark`` (new, empty) keep a profile's answers
    per closed study day, which the progress figures fill from the log the
    first time they are read. No row of any other table changes. On a
    PostgreSQL classroom the grants and row-level security are made afresh,
    so that the new tables are guarded from the first moment like every other.
    """
    for statement in (
        "DROP INDEX ix_review_profile_day",
        "DROP INDEX ix_review_card",
        "DROP INDEX ix_review_card_cover",
        "CREATE INDEX ix_review_card_cover ON review "
        "(card_id, profile_id, reviewed_at, id, kind, correct)",
        "DROP INDEX ix_card_deck_id",
    ):
        conn.execute(text(statement))
    if conn.dialect.name == "sqlite" and inspect(conn).has_table("sqlite_stat1"):
        conn.execute(text("ANALYZE ix_review_card_cover"))
    models.ReviewDayRow.__table__.create(conn)  # type: ignore[attr-defined]
    models.ReviewDayMarkRow.__table__.create(conn)  # type: ignore[attr-defined]
    if conn.dialect.name == "postgresql":
        from quizapp.storage.classroom import secure_if_classroom

        secure_if_classroom(conn)


def _held_facts(conn: Connection) -> None:
    """Schema 8 → 9, held facts: ``fact.hold`` and ``fact.hold_reasons`` (facts kept out of study).

    A held fact is retired (out of study: no card, count, question or
    distractor uses it) with the reason it is held back: ``pending`` (an
    article's fact marked *check*, waiting for a teacher) or ``no_form`` (no
    question form can ask it); the CHECK ``ck_fact_hold`` holds both rules.
    Every existing fact gets NULL (studied as before, or removed from its
    deck). Which facts have no question form is the question builder's
    verdict, which storage does not compute: the step writes the meta key
    :data:`FORMS_UNCHECKED`, and the first start after it
    (:func:`quizapp.services.collection.Collection.ensure_first_start`)
    records the verdict of every deck and removes the key, in one
    transaction. The partial index ``ix_fact_held`` finds a deck's held
    facts. No new table, so no new row-level security (students read facts,
    teachers write them, as before); on a PostgreSQL classroom the grants are
    made afresh, so that a teacher may write the new columns.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("ALTER TABLE fact ADD COLUMN hold VARCHAR"))
        conn.execute(text(
            f"ALTER TABLE fact ADD CONSTRAINT ck_fact_hold CHECK ({models.HOLD_CHECK})"))
    else:  # SQLite adds no constraint to a table: the new column carries it
        conn.execute(text("ALTER TABLE fact ADD COLUMN hold VARCHAR"
                          f" CONSTRAINT ck_fact_hold CHECK ({models.HOLD_CHECK})"))
    conn.execute(text("ALTER TABLE fact ADD COLUMN hold_reasons TEXT"))
    conn.execute(text(
        "CREATE INDEX ix_fact_held ON fact (deck_id, hold) WHERE hold IS NOT NULL"))
    conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, '1')"),
                 {"k": FORMS_UNCHECKED})
    if conn.dialect.name == "postgresql":
        from quizapp.storage.classroom import secure_if_classroom

        secure_if_classroom(conn)  # a teacher's import writes the new columns


#: The meta key of a database whose facts' question forms are not checked yet.
FORMS_UNCHECKED = "forms_unchecked"


# Schema 10: a review row's card states as columns. The SQL type of each field
# (quizapp.storage.reviewstate.STATE_FIELDS), and how a schema-9 JSON value
# becomes it (a field missing from the JSON takes CardState's default).
_STATE_TYPES = {"state": "INTEGER", "step": "INTEGER", "stability": "FLOAT",
                "difficulty": "FLOAT", "due": "BIGINT", "last_review": "BIGINT",
                "reps": "INTEGER", "lapses": "INTEGER", "suspended": "BOOLEAN",
                "last_shown_day": "INTEGER"}
_STATE_DEFAULTS = {"state": "0", "reps": "0", "lapses": "0", "suspended": "FALSE"}


def _sqlite_micros(value: str) -> str:
    """SQLite: ISO 8601 text → whole microseconds since the epoch.

    The text is ``YYYY-MM-DD[T ]HH:MM:SS[.ffffff][zone]`` as quizapp writes
    times (``datetime.isoformat`` in a state's JSON; naive UTC with six digits
    of fraction in a time column): the whole seconds are read with the zone
    (``strftime`` would round a fraction to milliseconds), then the
    microseconds added.
    """
    fraction = f"substr({value}, 20, 1) = '.'"
    whole = (f"substr({value}, 1, 19) || CASE WHEN {fraction} THEN substr({value}, 27)"
             f" ELSE substr({value}, 20) END")
    return (f"CAST(strftime('%s', {whole}) AS INTEGER) * 1000000 + CASE WHEN {fraction}"
            f" THEN CAST(substr({value}, 21, 6) AS INTEGER) ELSE 0 END")


def _sqlite_state_value(src: str, field: str) -> str:
    """SQLite: one field of the JSON state in column ``src`` (NULL without a state)."""
    value = f"json_extract({src}, '$.{field}')"
    if field in ("due", "last_review"):
        value = _sqlite_micros(value)
    elif field in _STATE_DEFAULTS:
        value = f"COALESCE({value}, {_STATE_DEFAULTS[field]})"
    # Text that is not a JSON object (never written by quizapp) is no state.
    return (f"CASE WHEN {src} IS NULL OR NOT json_valid({src}) THEN NULL"
            f" WHEN json_type({src}) <> 'object' THEN NULL ELSE {value} END")


def _postgresql_state_value(src: str, alias: str, field: str) -> str:
    """PostgreSQL: one field of the state in column ``src``, read by ``json_to_record`` as
    ``alias`` (:data:`_PG_RECORD`: numbers through the float's own input, so the same double)."""
    value = f"{alias}.{field}"
    if field in ("due", "last_review"):
        value = f"(EXTRACT(EPOCH FROM {value}) * 1000000)::bigint"
    elif field in _STATE_DEFAULTS:
        value = f"COALESCE({value}, {_STATE_DEFAULTS[field]})"
    return f"CASE WHEN r.{src} IS NULL THEN NULL ELSE {value} END"


# The record json_to_record reads a state's JSON as (PostgreSQL).
_PG_RECORD = ("state integer, step integer, stability float8, difficulty float8,"
              " due timestamptz, last_review timestamptz, reps integer, lapses integer,"
              " suspended boolean, last_shown_day integer")


_REVIEW_PLAIN = ("study_day, kind, form, prompt, choices, given, correct, verdict, response_ms,"
                 " rating")
# The review table of schema 10 as a new file has it, made as review_new; its
# reference to review(id) is the table itself once it is renamed.
_REVIEW_10 = """CREATE TABLE review_new (
    id INTEGER NOT NULL, card_id INTEGER NOT NULL, profile_id INTEGER NOT NULL,
    session_id INTEGER, reviewed_at BIGINT NOT NULL, study_day INTEGER NOT NULL,
    kind VARCHAR NOT NULL, form VARCHAR, prompt VARCHAR, choices VARCHAR, given VARCHAR,
    correct BOOLEAN, verdict VARCHAR, response_ms INTEGER, rating INTEGER, {states},
    cancels_id INTEGER,
    PRIMARY KEY (id),
    FOREIGN KEY(card_id) REFERENCES card (id) ON DELETE CASCADE,
    FOREIGN KEY(profile_id) REFERENCES profile (id) ON DELETE CASCADE,
    FOREIGN KEY(session_id) REFERENCES study_session (id),
    FOREIGN KEY(cancels_id) REFERENCES review (id)
)"""
# The indexes of review at schema 10 (ix_review_day_cover with before_state).
_REVIEW_10_INDEXES = (
    "CREATE INDEX ix_review_card_cover ON review "
    "(card_id, profile_id, reviewed_at, id, kind, correct)",
    "CREATE INDEX ix_review_day_cover ON review "
    "(profile_id, study_day, kind, correct, before_state, cancels_id)",
    "CREATE INDEX ix_review_pace ON review (profile_id, form, study_day, id)",
    "CREATE INDEX ix_review_wrong ON review (profile_id, card_id, kind) WHERE correct = FALSE",
    "CREATE INDEX ix_review_cancels ON review (cancels_id) WHERE cancels_id IS NOT NULL",
    "CREATE INDEX ix_review_wrong_choice ON review (profile_id, card_id, form, given) "
    "WHERE correct = FALSE AND choices IS NOT NULL AND given IS NOT NULL",
)


def _card_state_columns(conn: Connection) -> None:
    """Schema 9 → 10: a review row's card states before and after the answer as columns.

    ``state_before`` and ``state_after`` (JSON text of
    :class:`~quizapp.scheduling.state.CardState`, about 210 bytes each) become
    ten typed columns each, ``before_<field>`` and ``after_<field>``
    (:mod:`quizapp.storage.reviewstate`): state, step, stability,
    difficulty, due and last review as whole microseconds since the epoch,
    reps, lapses, suspended and last study day shown. Every row is converted
    exactly in one statement (stability and difficulty are the same doubles;
    a field missing from an old JSON takes the default that reading it gave; a
    row without a state keeps none: every column NULL). ``ix_review_day_cover``
    keeps the state before as the column ``before_state`` instead of the
    JSON's first 11 characters, and ``ix_review_cancels`` holds only the rows
    that cancel another (the few undo and overrule rows; every statement that
    reads it asks for a ``cancels_id``, which is then not NULL).

    On SQLite ``reviewed_at`` becomes whole microseconds since the epoch (an
    integer, :class:`~quizapp.storage.models.UTCMicros`; 26 characters of
    text before), in the row and in ``ix_review_card_cover``; the app reads
    and writes the same aware UTC times. PostgreSQL keeps its ``timestamptz``.

    SQLite: the table is made again (``review_new`` filled with one ``INSERT …
    SELECT`` in id order, the old table dropped, the new one renamed, its
    indexes made), so that the rows fill their pages as in a new file; the
    step runs with foreign keys off (:data:`WITHOUT_FOREIGN_KEYS`) and
    checks them before it commits. Text that is not a JSON object (never
    written by quizapp) becomes no state. PostgreSQL: the columns are added,
    filled by one ``UPDATE`` (the review guard's trigger does not run for
    the rewritten rows: nothing they point to changes) and the JSON columns
    dropped; text that is not JSON stops the step (nothing changed).

    No new table, so no new row-level security; a student's grants on review
    are the table's (SELECT, INSERT), so they cover the new columns.
    """
    from quizapp.storage.reviewstate import STATE_FIELDS

    columns = ", ".join(f"{prefix}_{field}" for prefix in ("before", "after")
                        for field in STATE_FIELDS)
    if conn.dialect.name == "sqlite":
        states = ", ".join(f"{prefix}_{field} {_STATE_TYPES[field]}"
                           for prefix in ("before", "after") for field in STATE_FIELDS)
        values = ", ".join(_sqlite_state_value(src, field)
                           for src in ("state_before", "state_after") for field in STATE_FIELDS)
        conn.execute(text(_REVIEW_10.format(states=states)))
        conn.execute(text(
            "INSERT INTO review_new (id, card_id, profile_id, session_id, reviewed_at,"
            f" {_REVIEW_PLAIN}, {columns}, cancels_id)"
            " SELECT id, card_id, profile_id, session_id,"
            f" {_sqlite_micros('reviewed_at')}, {_REVIEW_PLAIN}, {values}, cancels_id"
            " FROM review ORDER BY id"))
        conn.execute(text("DROP TABLE review"))  # and its indexes
        conn.execute(text("ALTER TABLE review_new RENAME TO review"))
        for statement in _REVIEW_10_INDEXES:
            conn.execute(text(statement))
        dangling = conn.execute(text("PRAGMA foreign_key_check")).first()
        if dangling is not None:
            raise DatabaseError(f"a {dangling[0]} row points to a missing {dangling[2]} row")
        if inspect(conn).has_table("sqlite_stat1"):
            conn.execute(text("ANALYZE review"))
        return
    for prefix in ("before", "after"):
        for field in STATE_FIELDS:
            conn.execute(text(
                f"ALTER TABLE review ADD COLUMN {prefix}_{field} {_STATE_TYPES[field]}"))
    values = ", ".join(_postgresql_state_value(src, alias, field)
                       for src, alias in (("state_before", "b"), ("state_after", "a"))
                       for field in STATE_FIELDS)
    conn.execute(text("ALTER TABLE review DISABLE TRIGGER USER"))
    conn.execute(text(
        f"UPDATE review AS r SET ({columns}) = (SELECT {values} FROM (SELECT 1) AS one"
        f" LEFT JOIN LATERAL json_to_record(r.state_before::json) AS b({_PG_RECORD}) ON TRUE"
        f" LEFT JOIN LATERAL json_to_record(r.state_after::json) AS a({_PG_RECORD}) ON TRUE)"))
    conn.execute(text("ALTER TABLE review ENABLE TRIGGER USER"))
    for statement in (
        "DROP INDEX ix_review_day_cover",
        "ALTER TABLE review DROP COLUMN state_before",
        "ALTER TABLE review DROP COLUMN state_after",
        "CREATE INDEX ix_review_day_cover ON review "
        "(profile_id, study_day, kind, correct, before_state, cancels_id)",
        "DROP INDEX ix_review_cancels",
        "CREATE INDEX ix_review_cancels ON review (cancels_id) WHERE cancels_id IS NOT NULL",
    ):
        conn.execute(text(statement))


# MIGRATIONS[i] takes the schema from version i + 1 to i + 2. Append only.
MIGRATIONS: list[Migration] = [
    _classroom_columns,  # 1 → 2
    _progress_indexes,  # 2 → 3
    _deck_speakers,  # 3 → 4
    _class_deck_retirements,  # 4 → 5
    _one_memory_per_fact,  # 5 → 6
    _media_store,  # 6 → 7
    _day_totals_and_fewer_indexes,  # 7 → 8
    _held_facts,  # 8 → 9
    _card_state_columns,  # 9 → 10
]

#: Steps that run with SQLite's foreign keys off (a table made again: dropping the
#: old one must not delete its rows one by one); each checks them before it commits.
WITHOUT_FOREIGN_KEYS: frozenset[Migration] = frozenset({_card_state_columns})


# Each SQLite connection's page cache, in KiB (a negative cache_size): SQLite's
# default of 2 MiB is smaller than the fact table of a 10,000-card collection,
# so a Browse search (a scan of the facts' text) read every page of it from the
# file again. Pages are cached as they are read, so a small collection uses no
# more memory than before.
SQLITE_CACHE_KIB = 32 * 1024


def _set_sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
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
    """Open (creating or upgrading) the database at ``url`` and return its engine.

    A SQLite file first gets any restore that a crash interrupted finished
    or undone (:func:`quizapp.storage.backup.recover_restore`).
    """
    shown = redacted(url)
    path = _sqlite_path(normalise_url(url))
    if path is not None:
        from quizapp.storage.backup import BackupError, recover_restore

        try:
            recover_restore(path)
        except (BackupError, OSError, sqlite3.Error) as exc:
            raise DatabaseError(f"cannot open the database {shown}: {exc}") from exc
    try:
        engine = make_engine(url, durable=durable)
    except ModuleNotFoundError as exc:  # a PostgreSQL URL without psycopg installed
        raise DatabaseError(
            f"cannot open the database {shown}: {exc}; for PostgreSQL install "
            "quizapp[postgres] (psycopg 3)") from exc
    try:
        with engine.connect() as conn:
            version = schema_version(conn)
            fresh = version is None or (version == 0 and _leftover_tables(conn) is not None)
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open the database {shown}: {plain_error(exc)}") from exc
    try:
        if fresh:
            create_schema(engine)
        elif version is not None and version > SCHEMA_VERSION:
            raise DatabaseError(
                f"the database was written by a newer quizapp (schema {version}; this version "
                f"knows up to {SCHEMA_VERSION}); update quizapp to open it"
            )
        elif version is not None and version < SCHEMA_VERSION:
            if version < 1:
                raise DatabaseError(
                    f"{shown} is not a quizapp database: it holds tables and rows but no "
                    "quizapp schema version; quizapp leaves it as it is")
            migrate(engine, version)
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open the database {shown}: {plain_error(exc)}") from exc
    return engine


def is_database_error(exc: BaseException) -> bool:
    """Whether ``exc`` is the database failing (opening, upgrading, reading or writing)."""
    from sqlalchemy.exc import DatabaseError as SQLDatabaseError

    return isinstance(exc, DatabaseError | SQLDatabaseError | sqlite3.DatabaseError)


def is_busy_error(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite saying another connection holds the write lock too long."""
    from sqlalchemy.exc import OperationalError

    if not isinstance(exc, sqlite3.OperationalError | OperationalError):
        return False
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def plain_error(exc: BaseException) -> str:
    """The driver's own words for a database error, on one line (no SQL, no links)."""
    orig = getattr(exc, "orig", None) or exc
    return " ".join(str(orig).split()) or type(orig).__name__


@contextmanager
def _atomic(engine: Engine, point: str, *, foreign_keys: bool = True) -> Iterator[Connection]:
    """One transaction that schema changes (DDL) are part of too.

    Python's ``sqlite3`` module does not begin a transaction before DDL, so
    through SQLAlchemy every ``CREATE TABLE`` or ``ALTER TABLE`` on SQLite
    would commit on its own: a crash between two of them would leave half a
    schema. On SQLite this takes the write lock with an explicit ``BEGIN
    IMMEDIATE``; the driver then commits or rolls back that transaction.
    PostgreSQL's DDL is transactional already. ``point`` names the crash-test
    points (:mod:`quizapp.storage.crashpoints`) after each statement and
    before the commit. ``foreign_keys=False``: SQLite's foreign keys are off
    for this transaction (they can only be switched outside one) and on again
    after it.
    """
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite and not foreign_keys:
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        try:
            if sqlite:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield from _in_transaction(conn, point)
        finally:
            if sqlite and not foreign_keys:
                conn.exec_driver_sql("PRAGMA foreign_keys = ON")
                conn.commit()  # nothing to commit: ends SQLAlchemy's own transaction


def _in_transaction(conn: Connection, point: str) -> Iterator[Connection]:
    """The body of :func:`_atomic`: the crash points, then commit (or roll back)."""
    if crashpoints.armed():

        def _after(*_args: Any) -> None:
            crashpoints.crash_point(point)

        event.listen(conn, "after_cursor_execute", _after)
    try:
        yield conn
        crashpoints.crash_point(point + "_commit")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


_SQLITE_OWN = ("sqlite_sequence", "sqlite_stat1", "sqlite_stat4")


def _leftover_tables(conn: Connection) -> list[str] | None:
    """The tables a killed first start left, if that is all the file holds; else None.

    Versions of quizapp before schema creation was one transaction could be
    killed after creating some tables and before stamping the version. Such a
    file holds no user data: only quizapp's own tables, every one empty. A
    file with any other table, or with any row, is someone's data and is
    never taken for a leftover.
    """
    known = {t.__table__.name for t in _TABLES}  # type: ignore[attr-defined]
    names = [n for n in inspect(conn).get_table_names() if n not in _SQLITE_OWN]
    if not set(names) <= known:
        return None
    for name in names:
        if conn.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first() is not None:
            return None
    return names


def create_schema(engine: Engine) -> None:
    """Create every table of the current schema and stamp its version, in one transaction.

    A crash at any point leaves either no schema at all (the next start
    creates it) or the whole schema with its version. Empty tables left by an
    older quizapp killed during its first start are replaced in the same
    transaction.
    """
    with _atomic(engine, "first_start") as conn:
        if schema_version(conn) == SCHEMA_VERSION:  # another process was quicker
            return
        leftover = _leftover_tables(conn)
        if leftover is None:
            raise DatabaseError("the database is not empty: quizapp leaves it as it is")
        tables = [t.__table__ for t in _TABLES]  # type: ignore[attr-defined]
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name in leftover:
                conn.execute(text(f'DROP TABLE "{table.name}"'))
        SQLModel.metadata.create_all(conn, tables=tables)
        conn.execute(
            text("INSERT INTO meta (key, value) VALUES ('schema_version', :v)"),
            {"v": str(SCHEMA_VERSION)},
        )


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
    models.MediaRow,
    models.ReviewDayRow,
    models.ReviewDayMarkRow,
)


class UpgradeError(DatabaseError):
    """An upgrade step failed: the database stays at the version before that step.

    ``copy`` is the checked copy taken before the upgrade (None on a server).
    """

    def __init__(self, message: str, copy: Path | None) -> None:
        super().__init__(message)
        self.copy = copy


def migrate(engine: Engine, from_version: int) -> None:
    """Apply the migrations after ``from_version``, each step in its own transaction.

    Each step's statements and its new version stamp commit together (DDL
    included, see :func:`_atomic`): a crash leaves the database at the
    version of the last whole step, and the next start goes on from there.
    Before the first step a checked copy of the database is kept
    (:func:`backup_before_upgrade`); no step runs without it. A failing step
    raises :class:`UpgradeError`, which names the copy and how to bring it back.
    """
    shown = redacted(str(engine.url))
    try:
        copy = backup_before_upgrade(engine, from_version)
    except (OSError, sqlite3.Error, DatabaseError) as exc:
        raise DatabaseError(
            f"cannot upgrade the database {shown} (schema {from_version} to {SCHEMA_VERSION}): "
            f"the copy to keep before upgrading could not be made: {plain_error(exc)}; nothing "
            "was changed") from exc
    version = from_version
    while version < SCHEMA_VERSION:
        try:
            step = MIGRATIONS[version - 1]
            with _atomic(engine, "upgrade",
                         foreign_keys=step not in WITHOUT_FOREIGN_KEYS) as conn:
                unbounded_statements(conn)
                current = schema_version(conn) or 0
                if current == version:
                    step(conn)
                    conn.execute(
                        text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                        {"v": str(version + 1)},
                    )
                    current = version + 1
        except Exception as exc:
            raise UpgradeError(_upgrade_failed(shown, from_version, version, exc, copy),
                               copy) from exc
        if current <= version:
            raise UpgradeError(
                f"the upgrade of the database {shown} failed: its schema version went from "
                f"{version} to {current} while upgrading", copy)
        version = current


def _upgrade_failed(shown: str, from_version: int, version: int, exc: Exception,
                    copy: Path | None) -> str:
    """The one-line message of a failed upgrade step: what failed and the way back."""
    message = (
        f"the upgrade of the database {shown} from schema {from_version} to {SCHEMA_VERSION} "
        f"failed at step {version} to {version + 1}: {plain_error(exc)}; that step changed "
        f"nothing and the database is at schema {version}")
    if copy is not None:
        message += (f". The copy taken before the upgrade is {copy}; bring it back with: "
                    f"quizapp restore {copy}")
    else:
        message += ". Restore the server's backup taken before the upgrade"
    return message


def upgrade_copy_path(db_path: Path, version: int) -> Path:
    """Where the copy of ``db_path`` at schema ``version`` is kept before an upgrade."""
    return db_path.with_name(f"{db_path.stem}.schema{version}.bak{db_path.suffix}")


def _copy_problem(path: Path, version: int) -> str | None:
    """None if ``path`` is a healthy quizapp database at schema ``version``, else what is wrong."""
    from quizapp.storage.backup import check_database

    problem = check_database(path)
    if problem is not None:
        return problem
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    finally:
        con.close()
    if row is None or str(row[0]) != str(version):
        found = "no version" if row is None else f"schema {row[0]}"
        return f"it holds {found}, not schema {version}"
    return None


def backup_before_upgrade(engine: Engine, version: int) -> Path | None:
    """Keep a checked copy of a SQLite database at schema ``version`` before upgrading it.

    The copy is named after its version (``quizapp.schema1.bak.sqlite3``) and
    is written under a temporary name with SQLite's online backup API,
    synced, checked (``PRAGMA integrity_check``, the version) and only then
    renamed into place. A good copy of that version that is there already is
    kept as it is (it is the older, so the cleaner one); a damaged file under
    that name is moved aside, never overwritten. Raises ``DatabaseError`` if
    no good copy can be made. None for a server database.
    """
    from quizapp.files import sync_folder
    from quizapp.storage.backup import copy_database, sweep_partials, unique_aside

    path = _sqlite_path(str(engine.url))
    if path is None:
        return None
    target = upgrade_copy_path(path, version)
    sweep_partials(path.parent)
    if target.exists() and _copy_problem(target, version) is None:
        return target
    tmp = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        copy_database(str(path), tmp, read_only=False)
        crashpoints.crash_point("upgrade_copy")
        problem = _copy_problem(tmp, version)
        if problem is not None:
            raise DatabaseError(f"the copy failed its check: {problem}")
        if target.exists():
            os.replace(target, unique_aside(target, "damaged"))
        os.replace(tmp, target)
        sync_folder(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + "-journal").unlink(missing_ok=True)
    return target
