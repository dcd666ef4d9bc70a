"""Every table of the schema is covered by the classroom's row-level security.

On a real PostgreSQL classroom (``quizapp class init``), each table of the
schema (the tables of ``quizapp.storage.models`` and any other table in the
database) either has row-level security switched on with at least one
policy, or is one of the documented shared tables
(``quizapp.storage.classroom.SHARED_TABLES``: whole and read-only for
students). A new table that nobody guards is reported by name.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import quizapp.storage.models  # noqa: F401  (registers every table in SQLModel.metadata)
from quizapp.services.classroom import STUDENT_GROUP, init_classroom
from quizapp.storage import classroom as store

from .conftest import PgDatabase


def schema_tables() -> set[str]:
    """The tables quizapp's models declare."""
    return set(SQLModel.metadata.tables)


def rls_gaps(conn: Connection) -> dict[str, str]:
    """Tables of the model or of the database without row-level-security coverage, and why."""
    in_database = set(conn.execute(text(
        "SELECT relname FROM pg_class WHERE relkind = 'r' "
        "AND relnamespace = CAST(current_schema() AS regnamespace)")).scalars())
    secured = dict(conn.execute(text(
        "SELECT relname, relrowsecurity FROM pg_class WHERE relkind = 'r' "
        "AND relnamespace = CAST(current_schema() AS regnamespace)")).all())
    policies: dict[str, int] = dict(conn.execute(text(
        "SELECT tablename, count(*) FROM pg_policies WHERE schemaname = current_schema() "
        "GROUP BY tablename")).all())
    gaps: dict[str, str] = {}
    for table in sorted(schema_tables() | in_database):
        if table not in in_database:
            gaps[table] = "not in the classroom's database"
        elif table in store.SHARED_TABLES:
            rights = set(conn.execute(text(
                "SELECT privilege_type FROM information_schema.role_table_grants "
                "WHERE table_name = :t AND grantee = :g"),
                {"t": table, "g": STUDENT_GROUP}).scalars())
            if not rights <= {"SELECT"}:
                gaps[table] = f"shared, but students may {sorted(rights)}"
        elif not secured[table]:
            gaps[table] = "row-level security is off"
        elif not policies.get(table):
            gaps[table] = "row-level security without a policy"
    return gaps


@pytest.fixture
def classroom(pg_database: PgDatabase) -> Iterator[Engine]:
    pg_database.reset()
    engine = init_classroom(pg_database.url)
    try:
        yield engine
    finally:
        engine.dispose()


def test_every_table_of_the_schema_has_row_level_security_or_is_shared(
        classroom: Engine) -> None:
    with classroom.connect() as conn:
        assert rls_gaps(conn) == {}
    # Each table is named once: guarded, or the documented shared exemption.
    assert set(store.GUARDED_TABLES) | set(store.SHARED_TABLES) == schema_tables()
    assert not set(store.GUARDED_TABLES) & set(store.SHARED_TABLES)


def test_a_table_left_out_of_the_guarded_list_is_reported(
        pg_database: PgDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
    pg_database.reset()
    monkeypatch.setattr(store, "GUARDED_TABLES",
                        tuple(t for t in store.GUARDED_TABLES if t != "question_report"))
    engine = init_classroom(pg_database.url)
    try:
        with engine.connect() as conn:
            assert rls_gaps(conn) == {"question_report": "row-level security is off"}
    finally:
        engine.dispose()


def test_a_new_table_nobody_guards_is_reported(classroom: Engine) -> None:
    with classroom.begin() as conn:
        conn.execute(text("CREATE TABLE flashcard_note (id serial PRIMARY KEY, "
                          "profile_id integer REFERENCES profile (id), body text)"))
    with classroom.connect() as conn:
        assert rls_gaps(conn) == {"flashcard_note": "row-level security is off"}
        conn.execute(text("ALTER TABLE flashcard_note ENABLE ROW LEVEL SECURITY"))
        assert rls_gaps(conn) == {"flashcard_note": "row-level security without a policy"}


def test_a_student_reads_a_decks_media_and_cannot_write_it(pg_database: PgDatabase) -> None:
    """Media files are shared like the deck's facts: students read, teachers add, nobody else."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DBAPIError

    from quizapp.facts.media import media_file
    from quizapp.facts.model import Deck, Fact, FactKind
    from quizapp.services.classroom import add_student, add_teacher
    from quizapp.services.collection import Collection
    from quizapp.services.media import media_of_deck

    from .mediadata import png

    pg_database.reset()
    engine = init_classroom(pg_database.url)
    student, teacher = f"{pg_database.role_prefix}ida", f"{pg_database.role_prefix}mr_o"
    add_student(engine, student, class_name="9a", password="pw-ida")
    add_teacher(engine, teacher, class_name="9a", password="pw-o")
    engine.dispose()
    picture = png()
    deck = Deck(id="flags", name="Flags", facts=(Fact(
        id="jp", kind=FactKind.QA, front="Whose flag? [image: jp.png]", back="Japan's",
        media=("jp.png",)),), media=(media_file("jp.png", picture),))
    with Collection.open(pg_database.role_url(teacher, "pw-o"), first_start=False) as col:
        col.import_deck(deck)  # a teacher adds a deck with its picture
    with Collection.open(pg_database.role_url(student, "pw-ida")) as col:
        assert [(m.name, m.data) for m in media_of_deck(col, "flags")] == [("jp.png", picture)]
    as_student = create_engine(pg_database.role_url(student, "pw-ida"))
    try:
        for statement in (
            "INSERT INTO media (deck_id, name, mime, size, sha256, data) "
            "SELECT id, 'x.png', 'image/png', 1, '', '\\x00' FROM deck WHERE key = 'flags'",
            "UPDATE media SET data = '\\x00'",
            "UPDATE media SET name = 'other.png'",
            "DELETE FROM media",
            "UPDATE fact SET media = '[\"x.png\"]'",
        ):
            with as_student.connect() as conn, pytest.raises(DBAPIError,
                                                             match="permission denied"):
                conn.execute(text(statement))
    finally:
        as_student.dispose()
    with Collection.open(pg_database.role_url(student, "pw-ida")) as col:
        assert [(m.name, m.data) for m in media_of_deck(col, "flags")] == [("jp.png", picture)]
