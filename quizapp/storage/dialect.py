"""The one dialect helper: what SQL text sent to the driver must do differently on
SQLite and PostgreSQL.

quizapp writes a few hot statements as plain SQL that both databases take and
runs them on the driver's own connection (SQLAlchemy's execution layer costs
more than the statements). Four things differ between the drivers, and this
module is the only place that knows them:

- **parameter style**: ``sqlite3`` takes ``?``, psycopg ``%s`` and
  ``%(name)s``. Statements are written with ``:name`` parameters
  (:class:`PlainSql`, :func:`driver_sql`) or with ``?`` (:func:`qmark_sql`);
  :func:`placeholder` gives the positional marker for a DBAPI paramstyle.
- **time text**: quizapp's SQLite columns hold aware UTC times as naive UTC
  text with microseconds (``YYYY-MM-DD HH:MM:SS.ffffff``, as SQLAlchemy's
  SQLite ``DATETIME`` writes them, so stored times compare as text);
  PostgreSQL takes the aware value (:func:`time_text`, :func:`bind_value`).
- **row locking**: a read that must hold its rows until the commit takes
  SQLite's write lock first (``BEGIN IMMEDIATE``) and is ``FOR UPDATE`` on
  PostgreSQL (:meth:`DriverCursor.read_for_update`).
- **insert-returning**: the new row's id is the cursor's ``lastrowid`` on
  SQLite and ``RETURNING id`` on PostgreSQL (:meth:`DriverCursor.insert`).

Rows come back as plain tuples of driver values: stored times are text on
SQLite (use :func:`quizapp.storage.models.as_utc`), booleans are 0/1 there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# Imported by the deck list's counts, which the desktop app reads before
# SQLAlchemy is loaded: this module imports no part of it at run time.

SQLITE = "sqlite"

_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class HasEngine(Protocol):
    """Anything with an open engine: a collection, or an engine itself."""

    @property
    def engine(self) -> Engine: ...


def is_sqlite(dialect: str) -> bool:
    """Whether ``dialect`` (SQLAlchemy's dialect name) is SQLite's."""
    return dialect == SQLITE


# --------------------------------------------------------------------------
# Parameter style


def placeholder(paramstyle: str) -> str:
    """The positional parameter marker of a DBAPI ``paramstyle``."""
    if paramstyle == "qmark":
        return "?"
    if paramstyle in ("format", "pyformat"):
        return "%s"
    raise NotImplementedError(f"unsupported DBAPI paramstyle {paramstyle!r}")


def qmark_sql(sql: str, dialect: str) -> str:
    """A statement written with ``?`` parameters, in the driver's style for ``dialect``."""
    return sql if is_sqlite(dialect) else sql.replace("?", "%s")


def parameter_names(text: str) -> tuple[str, ...]:
    """The ``:name`` parameters of a statement, in order (repeats included)."""
    return tuple(m.group(1) for m in _PARAM.finditer(text))


def driver_sql(text: str, dialect: str) -> str:
    """A statement written with ``:name`` parameters, in the driver's style for ``dialect``.

    SQLite gets ``?`` in the order of :func:`parameter_names`; psycopg (and
    other pyformat drivers) ``%(name)s``.
    """
    if is_sqlite(dialect):
        return _PARAM.sub("?", text)
    return _PARAM.sub(lambda m: f"%({m.group(1)})s", text)


# --------------------------------------------------------------------------
# Time text and parameter values


def _aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime given; quizapp stores aware UTC times only")
    return value.astimezone(UTC)


def time_text(value: datetime) -> str:
    """An aware time as quizapp's SQLite columns store it: naive UTC text with microseconds.

    The same text as :class:`~quizapp.storage.models.UTCDateTime` through
    SQLAlchemy's SQLite ``DATETIME``, so that stored times compare as text.
    """
    v = _aware_utc(value)
    return (f"{v.year:04d}-{v.month:02d}-{v.day:02d} "
            f"{v.hour:02d}:{v.minute:02d}:{v.second:02d}.{v.microsecond:06d}")


def time_value(value: datetime | None, dialect: str) -> Any:
    """A time as the driver takes it for a UTC time column (None stays None)."""
    if value is None:
        return None
    return time_text(value) if is_sqlite(dialect) else _aware_utc(value)


def bind_value(value: Any, dialect: str) -> Any:
    """A parameter value as the driver takes it: times as :func:`time_value`, and
    booleans as 0/1 on SQLite."""
    if isinstance(value, datetime):
        return time_value(value, dialect)
    if isinstance(value, bool) and is_sqlite(dialect):
        return int(value)
    return value


# --------------------------------------------------------------------------
# Statements with named parameters, run on a pooled driver connection


class PlainSql:
    """One SQL statement with ``:name`` parameters, prepared per dialect on first use.

    The statement is written once as portable SQL text and rewritten once per
    dialect into the driver's parameter style; the drivers keep the prepared
    statement (``sqlite3``'s statement cache, psycopg's prepared statements),
    so a repeated call is parsed once. The text must not contain literal
    ``%`` or ``:`` characters outside parameters (pass such strings, e.g.
    LIKE patterns, as parameters).
    """

    __slots__ = ("_forms", "names", "text")

    def __init__(self, text: str) -> None:
        self.text = " ".join(text.split())
        self.names: tuple[str, ...] = parameter_names(self.text)
        if "%" in _PARAM.sub("", self.text):
            raise ValueError("pass literal % characters as parameters")
        self._forms: dict[str, str] = {}

    def form(self, dialect: str) -> str:
        """The statement in the driver's parameter style for ``dialect``."""
        sql = self._forms.get(dialect)
        if sql is None:
            sql = driver_sql(self.text, dialect)
            self._forms[dialect] = sql
        return sql

    def args(self, dialect: str, params: Mapping[str, Any] | None) -> Any:
        """The parameter values as the driver takes them for :meth:`form`."""
        values = params or {}
        if is_sqlite(dialect):
            return tuple(bind_value(values[n], dialect) for n in self.names)
        return {n: bind_value(values[n], dialect) for n in self.names}

    def rows(self, target: HasEngine, params: Mapping[str, Any] | None = None
             ) -> list[tuple[Any, ...]]:
        """Run the statement in its own short read and return every row.

        ``target`` is a collection or an engine (an engine's ``engine`` is itself).
        """
        engine = target.engine
        raw = engine.raw_connection()
        try:
            return self.rows_on(raw, engine.dialect.name, params)
        finally:
            raw.close()  # back to the pool, which ends the read transaction

    def rows_on(self, dbapi_connection: Any, dialect: str,
                params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run the statement on a driver connection (in its transaction, if one is
        open) and return every row."""
        cur = dbapi_connection.cursor()
        try:
            cur.execute(self.form(dialect), self.args(dialect, params))
            return list(cur.fetchall())
        finally:
            cur.close()


# --------------------------------------------------------------------------
# Row locking and insert-returning on a driver cursor


class DriverCursor:
    """A cursor on the driver's own connection, for statements written with ``?``.

    It runs them in the driver's parameter style and knows how each database
    locks a row for the rest of the transaction and returns a new row's id.
    """

    __slots__ = ("cursor", "dialect")

    def __init__(self, dbapi_connection: Any, dialect: str) -> None:
        self.cursor = dbapi_connection.cursor()
        self.dialect = dialect

    @property
    def sqlite(self) -> bool:
        """Whether the connection is SQLite's."""
        return is_sqlite(self.dialect)

    def execute(self, sql: str, params: Sequence[Any]) -> Any:
        """Run one statement; returns the driver's cursor."""
        return self.cursor.execute(qmark_sql(sql, self.dialect), params)

    def read_for_update(self, sql: str, params: Sequence[Any]) -> Any:
        """The first row of a SELECT, locked until the transaction ends.

        No other connection can change it between this read and the commit
        (SQLite: the write lock is taken first; PostgreSQL: ``FOR UPDATE``).
        """
        if self.sqlite:
            self.cursor.execute("BEGIN IMMEDIATE")
            return self.cursor.execute(sql, params).fetchone()
        return self.cursor.execute(qmark_sql(sql, self.dialect) + " FOR UPDATE",
                                   params).fetchone()

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT and return the new row's id."""
        if self.sqlite:
            self.cursor.execute(sql, params)
            return int(self.cursor.lastrowid)
        self.cursor.execute(qmark_sql(sql, self.dialect) + " RETURNING id", params)
        return int(self.cursor.fetchone()[0])

    def time(self, value: datetime | None) -> Any:
        """A time as the driver takes it for a UTC time column."""
        return time_value(value, self.dialect)

    def close(self) -> None:
        """Close the cursor (the connection stays open)."""
        self.cursor.close()
