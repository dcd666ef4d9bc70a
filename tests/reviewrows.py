"""Review rows read for comparison across schema versions, the card states decoded."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from quizapp.scheduling import CardState


def decoded_reviews(names: list[str], rows: list[Any]) -> list[tuple[object, ...]]:
    """Review rows as (every column but the card states, in table order, then the state
    before and after as :class:`CardState` or None), whichever way the schema keeps the
    states (JSON text before schema 10, columns since) and the time (ISO text before
    schema 10, microseconds since on SQLite: here an aware UTC time)."""
    from quizapp.storage.models import as_utc
    from quizapp.storage.reviewstate import AFTER_COLUMNS, BEFORE_COLUMNS, state_of_row

    states = {"state_before", "state_after", *BEFORE_COLUMNS, *AFTER_COLUMNS}
    plain = [i for i, n in enumerate(names) if n not in states]
    out = []
    for row in rows:
        values = dict(zip(names, row, strict=True))
        if "state_before" in values:
            decoded = tuple(None if values[k] is None else CardState.from_json(values[k])
                            for k in ("state_before", "state_after"))
        else:
            decoded = (state_of_row(values, BEFORE_COLUMNS), state_of_row(values, AFTER_COLUMNS))
        out.append((*(as_utc(row[i]) if names[i] == "reviewed_at" else row[i] for i in plain),
                    *decoded))
    return out


def all_reviews(path: Path) -> list[tuple[object, ...]]:
    """The review rows of a SQLite file, the states decoded (:func:`_decoded_reviews`)."""
    con = sqlite3.connect(path)
    try:
        names = [r[1] for r in con.execute("PRAGMA table_info(review)")]
        return decoded_reviews(names, con.execute("SELECT * FROM review ORDER BY rowid").fetchall())
    finally:
        con.close()
