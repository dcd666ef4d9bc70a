"""The one dialect helper (quizapp.storage.dialect) on the real drivers: parameter
styles, time text, row locking and insert-returning, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from quizapp.services.collection import Collection
from quizapp.storage.dialect import (
    DriverCursor,
    bind_value,
    driver_sql,
    placeholder,
    qmark_sql,
    time_text,
    time_value,
)

pytestmark = pytest.mark.both_backends

T = datetime(2024, 5, 1, 9, 30, 15, 1234, tzinfo=UTC)


def test_parameter_styles_per_driver() -> None:
    assert placeholder("qmark") == "?"
    assert placeholder("pyformat") == placeholder("format") == "%s"
    with pytest.raises(NotImplementedError, match="numeric"):
        placeholder("numeric")
    sql = "SELECT id FROM card WHERE id = ? AND deck_id = ?"
    assert qmark_sql(sql, "sqlite") == sql
    assert qmark_sql(sql, "postgresql") == "SELECT id FROM card WHERE id = %s AND deck_id = %s"
    named = "SELECT id FROM card WHERE id = :card AND note = 'a::b' AND x = :card"
    assert driver_sql(named, "sqlite") == (
        "SELECT id FROM card WHERE id = ? AND note = 'a::b' AND x = ?")
    assert driver_sql(named, "postgresql") == (
        "SELECT id FROM card WHERE id = %(card)s AND note = 'a::b' AND x = %(card)s")


def test_time_text_is_the_text_sqlalchemy_stores() -> None:
    assert time_text(T) == "2024-05-01 09:30:15.001234"
    east = T.astimezone(timezone(timedelta(hours=5, minutes=30)))
    assert time_text(east) == time_text(T)
    assert time_text(datetime(5, 1, 2, tzinfo=UTC)) == "0005-01-02 00:00:00.000000"
    with pytest.raises(ValueError, match="naive"):
        time_text(T.replace(tzinfo=None))
    assert time_value(None, "sqlite") is None
    assert time_value(east, "postgresql") == T and time_value(east, "postgresql").tzinfo == UTC
    assert bind_value(True, "sqlite") == 1 and bind_value(True, "postgresql") is True
    assert bind_value("x", "sqlite") == "x"


@pytest.fixture
def col(db_url: str, tmp_path: Path) -> Iterator[Collection]:
    url = f"sqlite:///{tmp_path / 'q.sqlite3'}" if db_url.startswith("sqlite") else db_url
    collection = Collection.open(url)
    yield collection
    collection.close()


def test_insert_returns_the_new_id_and_times_compare_as_stored(col: Collection) -> None:
    dialect = col.engine.dialect.name
    raw = col.engine.raw_connection()
    try:
        cur = DriverCursor(raw, dialect)
        ids = [cur.insert("INSERT INTO study_session (profile_id, started_at, ended_at,"
                          " answered, correct) VALUES (?, ?, ?, 0, 0)",
                          (col.profile().id, cur.time(T + timedelta(minutes=i)), cur.time(None)))
               for i in range(3)]
        raw.commit()
        assert ids == sorted(ids) and len(set(ids)) == 3
        found = cur.execute("SELECT id FROM study_session WHERE started_at > ? ORDER BY id",
                            (cur.time(T),)).fetchall()
        assert [r[0] for r in found] == ids[1:]
        cur.close()
    finally:
        raw.close()
    with col.session() as s:  # the ORM reads the times the driver wrote
        started = s.execute(text("SELECT started_at FROM study_session WHERE id = :i"),
                            {"i": ids[0]}).scalar_one()
    assert started in (T, time_text(T))


def test_a_row_read_for_update_stays_locked_until_the_commit(col: Collection) -> None:
    dialect = col.engine.dialect.name
    profile = col.profile().id
    first = col.engine.raw_connection()
    second = col.engine.raw_connection()
    try:
        holder = DriverCursor(first, dialect)
        row = holder.read_for_update("SELECT name FROM profile WHERE id = ?", (profile,))
        assert row is not None
        order: list[str] = []

        def rename() -> None:
            other = DriverCursor(second, dialect)
            other.read_for_update("SELECT name FROM profile WHERE id = ?", (profile,))
            order.append("second read")
            other.execute("UPDATE profile SET name = ? WHERE id = ?", ("second", profile))
            second.commit()

        worker = threading.Thread(target=rename)
        worker.start()
        # The second connection waits for the lock (SQLite: its busy timeout;
        # PostgreSQL: the row lock). Only the order is checked, never a time.
        worker.join(timeout=0.5)
        order.append("first commit")
        holder.execute("UPDATE profile SET name = ? WHERE id = ?", ("first", profile))
        first.commit()
        worker.join(timeout=60)
        assert not worker.is_alive()
        assert order == ["first commit", "second read"]
    finally:
        first.close()
        second.close()
    assert col.profile(profile).name == "second"
