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


def undo_card_state_columns(conn: Any) -> None:
    """Take a PostgreSQL database of the current schema back to before schema 10: each
    review's card states as JSON text (:meth:`CardState.to_json`) again."""
    from sqlalchemy import text

    from quizapp.storage.reviewstate import AFTER_COLUMNS, BEFORE_COLUMNS, state_of_row

    rows = conn.execute(text(f"SELECT id, {', '.join(BEFORE_COLUMNS + AFTER_COLUMNS)}"
                             " FROM review")).mappings().all()
    conn.execute(text("ALTER TABLE review ADD COLUMN state_before VARCHAR"))
    conn.execute(text("ALTER TABLE review ADD COLUMN state_after VARCHAR"))
    updates = []
    for row in rows:
        before, after = state_of_row(row, BEFORE_COLUMNS), state_of_row(row, AFTER_COLUMNS)
        updates.append({"i": row["id"], "b": None if before is None else before.to_json(),
                        "a": None if after is None else after.to_json()})
    if updates:
        conn.execute(text("UPDATE review SET state_before = :b, state_after = :a WHERE id = :i"),
                     updates)
    for column in BEFORE_COLUMNS + AFTER_COLUMNS:  # ix_review_day_cover goes with before_state
        conn.execute(text(f"ALTER TABLE review DROP COLUMN {column}"))
    conn.execute(text("CREATE INDEX ix_review_day_cover ON review "
                      "(profile_id, study_day, kind, correct, substr(state_before, 1, 11),"
                      " cancels_id)"))
    conn.execute(text("DROP INDEX ix_review_cancels"))  # over every row before schema 10
    conn.execute(text("CREATE INDEX ix_review_cancels ON review (cancels_id)"))
