"""Partial indexes: made partial on both databases, without SQLite's start importing the
PostgreSQL dialect."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from quizapp.storage.db import open_database
from quizapp.storage.models import SQLModel

pytestmark = pytest.mark.both_backends

ROOT = Path(__file__).resolve().parents[1]


def partial_indexes() -> dict[str, str]:
    """Every partial index of the models: name → table."""
    found = {}
    for table in SQLModel.metadata.tables.values():
        for index in table.indexes:
            if index.dialect_options["sqlite"]["where"] is not None:
                assert index.name is not None
                found[index.name] = table.name
    return found


def test_the_models_have_partial_indexes() -> None:
    assert {"ix_fact_retired", "ix_card_buried", "ix_review_wrong"} <= set(partial_indexes())


def test_every_partial_index_is_partial_on_the_database(db_url: str) -> None:
    engine = open_database(db_url)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                rows = conn.execute(text(
                    "SELECT indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname = current_schema()")).all()
            else:
                rows = conn.execute(text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND sql IS NOT NULL")).all()
    finally:
        engine.dispose()
    made = {name: sql for name, sql in rows}
    for name in partial_indexes():
        assert name in made, name
        assert " WHERE " in made[name].upper(), (name, made[name])


OPEN_SQLITE = textwrap.dedent(
    """
    import sys
    from quizapp.services.collection import Collection

    col = Collection.open(sys.argv[1])
    col.close()
    print("sqlalchemy.dialects.postgresql" in sys.modules, "sqlalchemy" in sys.modules)
    """
)


@pytest.mark.sqlite_only
def test_opening_a_sqlite_collection_does_not_import_the_postgresql_dialect(
        tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QUIZAPP_HOME=str(tmp_path / "home"))
    url = f"sqlite:///{tmp_path / 'quizapp.sqlite3'}"
    done = subprocess.run([sys.executable, "-c", OPEN_SQLITE, url], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "True"]
