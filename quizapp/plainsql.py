"""Plain SQL text for the hot read queries of the list screens, run on the DBAPI connection.

The deck list, the Browse search and the Progress figures run the same few
read-only statements again and again. Building them as SQLAlchemy expressions
costs more Python time than SQLite spends answering them on a small collection,
so those statements are written once as portable SQL text (it runs unchanged on
SQLite and PostgreSQL) with ``:name`` parameters. :class:`PlainSql` rewrites the
text once per database dialect into the driver's own parameter style and runs
it on a pooled DBAPI connection; the drivers keep the prepared statement
(``sqlite3``'s statement cache, psycopg's prepared statements), so a repeated
call is parsed once.

Parameter values: ``datetime`` values must be aware; they are passed to SQLite
as the naive UTC text SQLAlchemy stores (``YYYY-MM-DD HH:MM:SS.ffffff``), so
comparisons with stored times are text comparisons exactly as in the ORM's
statements. ``bool`` values become 0/1 on SQLite. Rows come back as plain
tuples of driver values: stored times are text on SQLite (use
:func:`quizapp.storage.models.as_utc`), booleans are 0/1 there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.collection import Collection

_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime given; quizapp stores aware UTC times only")
    return value.astimezone(UTC)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return _aware(value).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


def _server_value(value: Any) -> Any:
    return _aware(value) if isinstance(value, datetime) else value


class PlainSql:
    """One SQL statement with ``:name`` parameters, prepared per dialect on first use.

    The text must not contain literal ``%`` or ``:`` characters outside
    parameters (pass such strings, e.g. LIKE patterns, as parameters).
    """

    __slots__ = ("_forms", "names", "text")

    def __init__(self, text: str) -> None:
        self.text = " ".join(text.split())
        self.names: tuple[str, ...] = tuple(m.group(1) for m in _PARAM.finditer(self.text))
        if "%" in _PARAM.sub("", self.text):
            raise ValueError("pass literal % characters as parameters")
        self._forms: dict[str, str] = {}

    def form(self, dialect: str) -> str:
        """The statement in the driver's parameter style for ``dialect``."""
        sql = self._forms.get(dialect)
        if sql is None:
            if dialect == "sqlite":
                sql = _PARAM.sub("?", self.text)
            else:  # psycopg and other pyformat drivers
                sql = _PARAM.sub(lambda m: f"%({m.group(1)})s", self.text)
            self._forms[dialect] = sql
        return sql

    def rows(self, collection: Collection, params: Mapping[str, Any] | None = None
             ) -> list[tuple[Any, ...]]:
        """Run the statement in its own short read and return every row."""
        engine = collection.engine
        dialect = engine.dialect.name
        sql = self.form(dialect)
        values = params or {}
        args: Any
        if dialect == "sqlite":
            args = tuple(_sqlite_value(values[n]) for n in self.names)
        else:
            args = {n: _server_value(values[n]) for n in self.names}
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            try:
                cur.execute(sql, args)
                return list(cur.fetchall())
            finally:
                cur.close()
        finally:
            raw.close()  # back to the pool, which ends the read transaction


def placeholders(prefix: str, count: int) -> tuple[str, list[str]]:
    """``(:p0, :p1, …)`` text and the names, for an IN list of ``count`` values."""
    names = [f"{prefix}{i}" for i in range(count)]
    return "(" + ", ".join(f":{n}" for n in names) + ")", names
