"""Shared test set-up: an offscreen Qt platform, a private QUIZAPP_HOME, hypothesis profiles,
and the databases of storage tests (SQLite files; PostgreSQL when a server is given)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

# Without a display Qt aborts the process before pytest prints anything.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from tests.sound_server import SoundServer

# CI draws the same examples every run (derandomize), so a run's result depends
# on the code alone; locally every run explores new random examples.
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=60,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=40)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")

ROOT = Path(__file__).resolve().parent.parent
SEED_DECK = ROOT / "content" / "seed" / "deck.toml"
SEED_ARTICLE = ROOT / "content" / "seed" / "article.txt"


@pytest.fixture(autouse=True)
def quizapp_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own app folder; no test touches the user's data."""
    home = tmp_path / "home"
    monkeypatch.setenv("QUIZAPP_HOME", str(home))
    monkeypatch.delenv("QUIZAPP_DATABASE_URL", raising=False)
    yield home


# --------------------------------------------------------------------------
# PostgreSQL: the storage, study and stats tests run on both backends.
#
# QUIZAPP_TEST_PG_URL is an admin connection (a role that may create databases
# and roles), e.g. postgresql+psycopg://quizapp_ci:secret@127.0.0.1:5432/postgres.
# Every test module gets a fresh database of its own; every test a fresh schema
# in it. Without the variable the PostgreSQL variants are skipped, except under
# CI=true, where they fail.

PG_URL_ENV = "QUIZAPP_TEST_PG_URL"
_SOUND_SERVER = pytest.StashKey["SoundServer | None"]()


def pytest_configure(config: pytest.Config) -> None:
    _start_sound_server(config)
    config.addinivalue_line(
        "markers", "both_backends: run the module's db_url tests on SQLite and PostgreSQL")
    config.addinivalue_line(
        "markers", "sqlite_only: a test of SQLite itself (files, PRAGMAs, WAL, query plans)")


def _start_sound_server(config: pytest.Config) -> None:
    """A private sound server for the whole run, before Qt Multimedia is first used."""
    from tests import sound_server

    server = sound_server.start()
    config.stash[_SOUND_SERVER] = server
    folder = server.folder if server is not None else Path("/nonexistent-quizapp-pulse")
    os.environ["PULSE_SERVER"] = (server.address if server is not None
                                  else f"unix:{folder / 'native'}")


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(_SOUND_SERVER, None)
    if server is not None:
        server.stop()


@pytest.fixture(scope="session")
def sound_server(pytestconfig: pytest.Config) -> SoundServer:
    """The run's PulseAudio server with its null sink (fails without ``pulseaudio``)."""
    server = pytestconfig.stash.get(_SOUND_SERVER, None)
    if server is None:
        pytest.fail("no sound server: install PulseAudio (Debian's pulseaudio and "
                    "pulseaudio-utils; bash .ci/run does)")
    return server


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_url" not in metafunc.fixturenames:
        return
    node = metafunc.definition
    if node.get_closest_marker("both_backends") and not node.get_closest_marker("sqlite_only"):
        metafunc.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """The admin URL from QUIZAPP_TEST_PG_URL (skip without it; fail under CI=true)."""
    url = os.environ.get(PG_URL_ENV, "").strip()
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_URL_ENV} is not set: under CI=true the PostgreSQL tests must run")
        pytest.skip(f"{PG_URL_ENV} is not set: no PostgreSQL server to test against")
    return url


@pytest.fixture(scope="module")
def pg_database(pg_admin_url: str, request: pytest.FixtureRequest) -> Iterator[PgDatabase]:
    """A fresh PostgreSQL database for one test module, dropped (with its roles) after it."""
    db = PgDatabase.create(pg_admin_url, request.module.__name__)
    try:
        yield db
    finally:
        db.drop()


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database: a SQLite file in the test's folder, or a PostgreSQL schema."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return f"sqlite:///{tmp_path / 'quizapp.sqlite3'}"
    db: PgDatabase = request.getfixturevalue("pg_database")
    db.reset()
    return db.url


class PgDatabase:
    """A throw-away database on the test server, and the login roles made for it."""

    def __init__(self, admin_url: str, name: str) -> None:
        from sqlalchemy.engine import make_url

        from quizapp.storage.db import normalise_url

        self.admin_url = normalise_url(admin_url)
        self.name = name
        self.url = make_url(self.admin_url).set(database=name).render_as_string(
            hide_password=False)
        # Login roles are cluster-wide: tests name them with this prefix so that
        # drop() can remove them.
        self.role_prefix = f"r{name[-8:]}_"

    @classmethod
    def create(cls, admin_url: str, module: str) -> PgDatabase:
        import re
        import secrets

        slug = re.sub(r"[^a-z0-9]+", "_", module.rsplit(".", 1)[-1].lower())[:30]
        db = cls(admin_url, f"qt_{slug}_{secrets.token_hex(4)}")
        # Code-point order, as SQLite compares text, whatever the cluster's locale.
        try:
            db._server(f'CREATE DATABASE "{db.name}" TEMPLATE template0 ENCODING \'UTF8\' '
                       "LOCALE 'C.UTF-8'")
        except Exception:  # a server without the C.UTF-8 locale
            db._server(f'CREATE DATABASE "{db.name}" TEMPLATE template0 ENCODING \'UTF8\' '
                       "LOCALE 'C'")
        return db

    def _server(self, *statements: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                for statement in statements:
                    conn.execute(text(statement))
        finally:
            engine.dispose()

    def reset(self) -> None:
        """Drop everything in the database (a fresh, empty ``public`` schema)."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                # Client connections a test left open would block DROP SCHEMA. The
                # server's own processes (an autovacuum worker, run as a superuser)
                # may not be ended by the test role and give way to DROP by themselves.
                conn.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_type = 'client backend' "
                    "AND usesysid IN (SELECT oid FROM pg_roles WHERE NOT rolsuper)"))
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        finally:
            engine.dispose()

    def role_url(self, role: str, password: str) -> str:
        """The URL a login role connects to this database with."""
        from sqlalchemy.engine import make_url

        return make_url(self.url).set(username=role, password=password).render_as_string(
            hide_password=False)

    def drop(self) -> None:
        """Drop the database and every role whose name starts with :attr:`role_prefix`."""
        from sqlalchemy import create_engine, text

        self._server(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                roles = conn.execute(
                    text("SELECT rolname FROM pg_roles WHERE starts_with(rolname, :p)"),
                    {"p": self.role_prefix}).scalars().all()
                for role in roles:
                    conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        finally:
            engine.dispose()
