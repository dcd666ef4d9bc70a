"""Frozen databases of earlier schema versions open and upgrade without losing a row."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect

from quizapp.collection import Collection
from quizapp.storage.db import MIGRATIONS, open_database
from quizapp.storage.models import SCHEMA_VERSION

FIXTURES = Path(__file__).parent / "fixtures"
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


def test_upgraded_schema_matches_a_fresh_one(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema_v1.sqlite3", db)
    upgraded = open_database(f"sqlite:///{db}")
    fresh = open_database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")

    def shape(engine) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
        insp = inspect(engine)
        return {t: {c["name"] for c in insp.get_columns(t)} for t in insp.get_table_names()}

    assert shape(upgraded) == shape(fresh)
    upgraded.dispose()
    fresh.dispose()


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
