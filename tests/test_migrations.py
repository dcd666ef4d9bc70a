"""Frozen databases of earlier schema versions open and upgrade without losing a row."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect

from quizapp.services.collection import Collection
from quizapp.storage.db import MIGRATIONS, _media_store, open_database
from quizapp.storage.models import SCHEMA_VERSION

from .conftest import PgDatabase

FIXTURES = Path(__file__).parent / "fixtures"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
TABLES = ("deck", "source", "fact", "profile", "card", "review", "study_session", "question_report")


def row_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def all_rows(path: Path, table: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    finally:
        con.close()


def test_migrations_cover_every_version() -> None:
    assert len(MIGRATIONS) == SCHEMA_VERSION - 1


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_fixture_upgrades_without_losing_a_row(version: int, tmp_path: Path) -> None:
    fixture = FIXTURES / f"schema_v{version}.sqlite3"
    assert fixture.exists(), f"the frozen schema-{version} fixture must be committed"
    db = tmp_path / "old.sqlite3"
    shutil.copy(fixture, db)
    before = row_counts(db)
    assert before["review"] >= 25 and before["profile"] == 2
    reviews_before = all_rows(db, "review")
    col = Collection.open(f"sqlite:///{db}")
    col.close()
    after = row_counts(db)
    assert after == before
    # Every old column of every review is still there with its value.
    reviews_after = all_rows(db, "review")
    assert [r[: len(reviews_before[0])] for r in reviews_after] == reviews_before
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(
        SCHEMA_VERSION
    )
    con.close()


def index_sql(path: Path) -> dict[str, str]:
    """Every index's CREATE statement (whitespace normalised), by name."""
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                           "AND sql IS NOT NULL").fetchall()
    finally:
        con.close()
    return {name: " ".join(sql.split()) for name, sql in rows}


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_upgraded_schema_matches_a_fresh_one(version: int, tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / f"schema_v{version}.sqlite3", db)
    upgraded = open_database(f"sqlite:///{db}")
    fresh = open_database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")

    def shape(engine) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
        insp = inspect(engine)
        return {t: {c["name"] for c in insp.get_columns(t)} for t in insp.get_table_names()}

    assert shape(upgraded) == shape(fresh)
    upgraded.dispose()
    fresh.dispose()
    # The same indexes, expressions and partial-index conditions included.
    assert index_sql(db) == index_sql(tmp_path / "fresh.sqlite3")


def test_schema_2_adds_classroom_columns_and_keeps_profiles(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema_v1.sqlite3", db)
    profiles_before = all_rows(db, "profile")
    open_database(f"sqlite:///{db}").dispose()
    con = sqlite3.connect(db)
    try:
        after = con.execute("SELECT * FROM profile ORDER BY rowid").fetchall()
        # Every old value kept; the new columns (db_role, class_name) are NULL.
        assert [r[: len(profiles_before[0])] for r in after] == profiles_before
        assert all(r[len(profiles_before[0]) :] == (None, None) for r in after)
        assert con.execute("SELECT count(*) FROM class_teacher").fetchone()[0] == 0
        indexes = {r[1]: r[2] for r in con.execute("PRAGMA index_list(profile)")}
        assert indexes["ix_profile_db_role"] == 1  # unique: one profile per login role
    finally:
        con.close()
    assert (tmp_path / "old.schema1.bak.sqlite3").exists()


def test_schema_3_adds_progress_indexes_with_statistics_where_there_were_some(
        tmp_path: Path) -> None:
    new = {"ix_review_day_cover", "ix_review_card_cover", "ix_review_wrong",
           "ix_review_wrong_choice", "ix_review_pace", "ix_fact_retired", "ix_card_recall",
           "ix_card_profile_deck", "ix_card_leech", "ix_card_buried"}
    plain, analysed = tmp_path / "plain.sqlite3", tmp_path / "analysed.sqlite3"
    shutil.copy(FIXTURES / "schema_v2.sqlite3", plain)
    shutil.copy(FIXTURES / "schema_v2.sqlite3", analysed)
    con = sqlite3.connect(analysed)
    con.execute("ANALYZE")
    con.close()
    assert not new & set(index_sql(plain))
    reviews_before = all_rows(plain, "review")
    for db in (plain, analysed):
        open_database(f"sqlite:///{db}").dispose()
        assert new <= set(index_sql(db))
    assert all_rows(plain, "review") == reviews_before
    con = sqlite3.connect(plain)
    try:  # an unanalysed file stays without statistics
        assert not con.execute("SELECT count(*) FROM sqlite_master "
                               "WHERE name = 'sqlite_stat1'").fetchone()[0]
    finally:
        con.close()
    con = sqlite3.connect(analysed)
    try:  # an analysed one gets them for the new (non-empty) indexes too
        stats = {r[0] for r in con.execute("SELECT idx FROM sqlite_stat1")}
        assert {"ix_review_day_cover", "ix_review_card_cover", "ix_card_recall",
                "ix_card_profile_deck"} <= stats
    finally:
        con.close()
    assert (tmp_path / "plain.schema2.bak.sqlite3").exists()


def test_schema_4_adds_deck_speakers_and_gives_the_seed_deck_its_own(tmp_path: Path) -> None:
    from quizapp.assets import seed_deck_path
    from quizapp.facts.deckfile import load_deck_file
    from quizapp.facts.model import Deck, Fact, FactKind

    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema_v3.sqlite3", db)
    decks_before = all_rows(db, "deck")
    facts_before = all_rows(db, "fact")
    assert "speakers" not in {r[1] for r in sqlite3.connect(db).execute("PRAGMA table_info(deck)")}
    col = Collection.open(f"sqlite:///{db}")
    try:
        # The seed deck gets the speakers its file states; other decks state none.
        assert col.load_deck("seed").speakers == load_deck_file(seed_deck_path()).speakers
        other = Deck(id="mine", name="Mine", facts=(Fact(id="qa", kind=FactKind.QA,
                                                         front="Capital of Peru?", back="Lima"),))
        col.import_deck(other)
        assert col.load_deck("mine").speakers == ()
    finally:
        col.close()
    speakers = {s.name: s for s in load_deck_file(seed_deck_path()).speakers}
    assert speakers["Grigory Karasin"].speaks_for == ("Moscow",)
    decks_after = all_rows(db, "deck")
    # every old column of every deck keeps its value
    assert [r[: len(decks_before[0])] for r in decks_after[:1]] == decks_before
    # every old column of every fact keeps its value (later schemas add columns)
    assert [r[: len(facts_before[0])] for r in all_rows(db, "fact")[: len(facts_before)]] == (
        facts_before)


def test_schema_5_adds_class_deck_retirements_and_keeps_every_row(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema_v4.sqlite3", db)
    every = {t: all_rows(db, t) for t in (*TABLES, "profile_deck", "class_teacher", "meta")}
    open_database(f"sqlite:///{db}").dispose()
    for table, rows in every.items():
        if table == "meta":  # only the version changes
            rows = [r if r[0] != "schema_version" else ("schema_version", str(SCHEMA_VERSION))
                    for r in rows]
        # every old column keeps its value (later schemas add columns)
        assert [r[: len(rows[0])] for r in all_rows(db, table)] == rows if rows else (
            all_rows(db, table) == []), table
    assert all_rows(db, "class_deck_retired") == []
    assert (tmp_path / "old.schema4.bak.sqlite3").exists()


def test_a_schema_4_classroom_upgrades_on_postgresql(pg_database: PgDatabase) -> None:
    """Every row is kept, and the new table is guarded like the others from the start."""
    from sqlalchemy import create_engine, text

    from quizapp.services.classroom import add_student, init_classroom

    pg_database.reset()
    role = f"{pg_database.role_prefix}mia"
    engine = init_classroom(pg_database.url)
    add_student(engine, role, class_name="9a", password="pw-mia")
    engine.dispose()
    student_url = pg_database.role_url(role, "pw-mia")
    with Collection.open(student_url) as col:
        from quizapp.study import StudySession

        session = StudySession(col)
        question = session.next_question(T0)
        assert question is not None
        session.answer(question, question.answers[0], T0, 3000)
    owner = create_engine(pg_database.url)
    tables = ("meta", "deck", "source", "fact", "profile", "class_teacher", "profile_deck",
              "card", "study_session", "review", "question_report")

    def snapshot() -> dict[str, object]:
        with owner.connect() as conn:
            # every column of every row but those later schemas add (fact.media)
            row = "(to_jsonb(x) - 'media')::text"
            return {t: conn.execute(text(
                f"SELECT md5(coalesce(string_agg({row}, '|' ORDER BY {row}), '')), "
                f"count(*) FROM {t} x WHERE NOT (x::text LIKE '(schema_version,%' "
                f"OR x::text LIKE '(classroom,%')")).one()
                for t in tables}

    with owner.begin() as conn:  # back to schema 4, as an older quizapp left it
        conn.execute(text("DROP TABLE media"))  # and what later schemas add
        conn.execute(text("ALTER TABLE fact DROP COLUMN media"))
        conn.execute(text("DROP TABLE class_deck_retired"))
        conn.execute(text("DROP TRIGGER quizapp_review_guard ON review"))
        conn.execute(text("UPDATE meta SET value = '4' WHERE key = 'schema_version'"))
        conn.execute(text("DELETE FROM meta WHERE key = 'classroom'"))
    before = snapshot()
    assert before["review"][1] == 1  # type: ignore[index]
    open_database(pg_database.url).dispose()
    assert snapshot() == before
    with owner.connect() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")
                            ).scalar() == str(SCHEMA_VERSION)
        assert conn.execute(text("SELECT relrowsecurity FROM pg_class "
                                 "WHERE relname = 'class_deck_retired'")).scalar() is True
        assert conn.execute(text("SELECT count(*) FROM pg_trigger "
                                 "WHERE tgname = 'quizapp_review_guard'")).scalar() == 1
        # Marked as a classroom: a first start there makes no profile.
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'classroom'")
                            ).scalar() == "1"
    owner.dispose()
    with Collection.open(student_url) as col:  # the student's app reads the new table
        from quizapp.services.counts import deck_counts

        assert [d.key for d in deck_counts(col, col.profile().id or 0, T0)] == ["seed"]


# The media store is the last migration of this list; its tests name it, not its
# number, so that they stay right wherever it stands in the ordered list.
MEDIA_FROM = MIGRATIONS.index(_media_store) + 1  # the version before it


def test_the_media_store_adds_its_table_and_column_and_keeps_every_row(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / f"schema_v{MEDIA_FROM}.sqlite3", db)
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite%'")]
    con.close()
    assert "media" not in tables
    every = {t: all_rows(db, t) for t in tables}
    engine = open_database(f"sqlite:///{db}")
    engine.dispose()
    for table, rows in every.items():
        if table == "meta":
            rows = [r if r[0] != "schema_version" else ("schema_version", str(SCHEMA_VERSION))
                    for r in rows]
        after = all_rows(db, table)
        assert [r[: len(rows[0])] for r in after] == rows if rows else after == [], table
    facts = all_rows(db, "fact")
    assert facts and {r[-1] for r in facts} == {"[]"}  # fact.media, last column: no media yet
    assert all_rows(db, "media") == []
    assert (tmp_path / f"old.schema{MEDIA_FROM}.bak.sqlite3").exists()
    # The upgraded database stores and gives back a deck's pictures.
    from quizapp.facts.media import media_file
    from quizapp.facts.model import Deck, Fact, FactKind
    from quizapp.services.media import media_of_deck

    from .mediadata import png as make_png

    png = make_png()
    deck = Deck(id="flags", name="Flags", facts=(
        Fact(id="jp", kind=FactKind.QA, front="Whose flag? [image: jp.png]", back="Japan's",
             media=("jp.png",)),), media=(media_file("jp.png", png),))
    with Collection.open(f"sqlite:///{db}") as col:
        col.import_deck(deck)
        assert col.load_deck("flags").facts[0].media == ("jp.png",)
        assert [(m.name, m.data) for m in media_of_deck(col, "flags")] == [("jp.png", png)]


def test_a_classroom_before_the_media_store_upgrades_on_postgresql(
        pg_database: PgDatabase) -> None:
    """Every row is kept, and the media table is shared read-only with students at once."""
    from sqlalchemy import create_engine, text

    from quizapp.services.classroom import add_student, init_classroom

    pg_database.reset()
    role = f"{pg_database.role_prefix}noa"
    engine = init_classroom(pg_database.url)
    add_student(engine, role, class_name="9a", password="pw-noa")
    engine.dispose()
    owner = create_engine(pg_database.url)
    with owner.begin() as conn:  # back to the version before the media store
        conn.execute(text("DROP TABLE media"))
        conn.execute(text("ALTER TABLE fact DROP COLUMN media"))
        conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                     {"v": str(MEDIA_FROM)})
    with owner.connect() as conn:
        facts_before = conn.execute(text("SELECT md5(string_agg(x::text, '|' ORDER BY x.id)), "
                                         "count(*) FROM fact x")).one()
    open_database(pg_database.url).dispose()
    with owner.connect() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")
                            ).scalar() == str(SCHEMA_VERSION)
        # the old columns of every fact are unchanged; each fact shows no media
        cols = [r[0] for r in conn.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'fact' "
            "AND column_name <> 'media' ORDER BY ordinal_position"))]
        row = "ROW(" + ", ".join(f'x."{c}"' for c in cols) + ")::text"
        assert conn.execute(text(f"SELECT md5(string_agg({row}, '|' ORDER BY x.id)), count(*) "
                                 "FROM fact x")).one() == facts_before
        assert conn.execute(text("SELECT count(*) FROM fact WHERE media <> '[]'")).scalar() == 0
        rights = set(conn.execute(text(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = 'media' AND grantee = 'quizapp_student'")).scalars())
        assert rights == {"SELECT"}
    owner.dispose()
    with Collection.open(pg_database.role_url(role, "pw-noa")) as col:
        from quizapp.services.media import media_of_deck

        assert media_of_deck(col, "seed") == []  # the student's app reads the new table
