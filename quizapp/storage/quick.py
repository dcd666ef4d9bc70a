"""Quick reads of a SQLite collection with the standard library, for short commands.

``quizapp decks`` only reads: it would spend most of its time importing
SQLAlchemy, SQLModel and pydantic to open the database. :func:`deck_list`
reads the same deck list with :mod:`sqlite3` instead, when opening the file
would change nothing: it exists, its schema is the current one, its first
start is done, and no interrupted restore, import or upgrade is waiting to be
finished. In any other case it returns None and the caller opens the
collection as every command does (:class:`quizapp.services.collection.Collection`),
which creates, upgrades or recovers it.

The constants below repeat those of the storage stack so that this module
imports none of it (the new-limit statement is taken from
:mod:`quizapp.storage.counts`, which loads no SQLAlchemy); ``tests/test_quick_read.py``
checks that they agree, and that the quick list is the one the full stack reads.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from quizapp.storage import counts as _counts

#: :data:`quizapp.storage.models.SCHEMA_VERSION`: another version goes the full way.
SCHEMA_VERSION = 10
#: :data:`quizapp.storage.models.CLASSROOM_KEY`.
CLASSROOM_KEY = "classroom"
#: :data:`quizapp.storage.staged.META_PREFIX`: an import that may need recovering.
IMPORT_PENDING = "import-pending:"
#: :data:`quizapp.storage.db.FORMS_UNCHECKED`: held facts not recorded yet since the upgrade.
FORMS_UNCHECKED = "forms_unchecked"
#: :data:`quizapp.storage.staged.PENDING_DECK_PREFIX`: a deck whose import is under way.
PENDING_DECK = "~importing-"

_STATES = ("new", "learning", "review", "suspended", "total")  # then new_today

#: Per deck, the profile's new limit and the new facts first answered on the study
#: day: the text of :data:`quizapp.storage.counts._NEW_LIMITS`, the full way's own
#: statement (``counts`` loads no SQLAlchemy; sqlite3 takes its ``:name`` parameters).
_NEW_LIMITS = _counts._NEW_LIMITS.text


def _study_day(rollover_hour: int, timezone: str | None) -> int | None:
    """:func:`quizapp.scheduling.days.study_day` of now (None: a zone not known here)."""
    now = datetime.now(UTC)
    if timezone:
        try:
            local = now.astimezone(ZoneInfo(timezone))
        except (ZoneInfoNotFoundError, ValueError):
            return None  # the full way says what is wrong
    else:
        local = now.astimezone()
    return ((local - timedelta(hours=rollover_hour)).date() - date(1970, 1, 1)).days


@dataclass(frozen=True, slots=True)
class QuickDeck:
    """One deck of the list, with the profile's card counts (empty: no cards)."""

    id: int
    key: str
    name: str
    counts: dict[str, int]


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL (None for anything else)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    rest = url[len(prefix):]
    if rest in ("", ":memory:") or "?" in rest:
        return None
    return Path(rest)


def _ready(con: sqlite3.Connection, path: Path) -> bool:
    """Whether opening the collection the full way would change nothing."""
    journal = path.with_name(path.name + ".restore.json")
    if journal.exists() or any(path.parent.glob(f"{path.name}.*.restoring*")):
        return False
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"meta", "deck", "fact", "card", "profile", "class_deck_retired"} <= tables:
        return False
    meta = dict(con.execute(
        "SELECT key, value FROM meta WHERE key IN ('schema_version', 'seed_loaded', ?, ?)",
        (CLASSROOM_KEY, FORMS_UNCHECKED)).fetchall())
    if meta.get("schema_version") != str(SCHEMA_VERSION) or "seed_loaded" not in meta:
        return False
    if FORMS_UNCHECKED in meta:
        return False
    if CLASSROOM_KEY in meta:
        return False
    pending = con.execute("SELECT 1 FROM meta WHERE substr(key, 1, ?) = ? LIMIT 1",
                          (len(IMPORT_PENDING), IMPORT_PENDING)).fetchone()
    return pending is None


def _profile(con: sqlite3.Connection, name_or_id: str | None) -> tuple[int, str] | None:
    """The profile as :func:`quizapp.storage.repository.find_profile` finds it."""
    row = None
    if name_or_id is None:
        row = con.execute("SELECT id, name FROM profile ORDER BY id LIMIT 1").fetchone()
    else:
        if name_or_id.isdecimal():
            row = con.execute("SELECT id, name FROM profile WHERE id = ?",
                              (int(name_or_id),)).fetchone()
        if row is None:
            row = con.execute("SELECT id, name FROM profile WHERE name = ? LIMIT 1",
                              (name_or_id,)).fetchone()
    return (int(row[0]), str(row[1])) if row is not None else None


def deck_list(path: Path, profile: str | None) -> tuple[str, list[QuickDeck]] | None:
    """The profile's name and its deck list with card counts, or None: open it the full way.

    The decks are those :func:`quizapp.services.decks.profile_decks` lists
    (by name, without a deck whose import is under way or one retired for the
    profile's class); the counts are
    :func:`quizapp.storage.repository.card_counts`'. None also when the file
    is missing, not the current schema, or the profile is not there (the full
    way then says so in its own words).
    """
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(path, timeout=10)
    except sqlite3.Error:
        return None
    try:
        con.execute("PRAGMA query_only = 1")
        if not _ready(con, path):
            return None
        found = _profile(con, profile)
        if found is None:
            return None
        profile_id, profile_name = found
        decks = con.execute(
            "SELECT id, key, name FROM deck WHERE key NOT LIKE ? AND id NOT IN ("
            " SELECT r.deck_id FROM class_deck_retired r JOIN profile p"
            " ON p.class_name = r.class_name WHERE p.id = ?) ORDER BY name",
            (PENDING_DECK + "%", profile_id)).fetchall()
        # The deck list's new facts for today, as quizapp.storage.counts.deck_counts
        # reads them: the new cards not buried today, at most the day's new limit
        # less the new facts first answered today.
        rollover_hour, timezone = con.execute(
            "SELECT rollover_hour, timezone FROM profile WHERE id = ?", (profile_id,)).fetchone()
        today = _study_day(int(rollover_hour), timezone)
        if today is None:
            return None
        limits = {int(d): (int(limit), int(done)) for d, limit, done in con.execute(
            _NEW_LIMITS, {"profile": profile_id, "today": today})}
        buried_new = {int(d): int(n) for d, n in con.execute(
            "SELECT c.deck_id, count(*) FROM card c JOIN fact f ON f.id = c.fact_id"
            " WHERE c.profile_id = ? AND c.buried_until IS NOT NULL AND c.buried_until >= ?"
            " AND c.state = 0 AND c.suspended = 0 AND f.retired = 0 GROUP BY c.deck_id",
            (profile_id, today))}
        counts: dict[int, dict[str, int]] = {}
        for deck_id, state, suspended, n in con.execute(
                "SELECT c.deck_id, c.state, c.suspended, count(*) FROM card c"
                " JOIN fact f ON f.id = c.fact_id"
                " WHERE c.profile_id = ? AND f.retired = 0"
                " GROUP BY c.deck_id, c.state, c.suspended", (profile_id,)):
            c = counts.setdefault(int(deck_id), dict.fromkeys(_STATES, 0))
            c["total"] += n
            if suspended:
                c["suspended"] += n
            elif state == 0:
                c["new"] += n
            elif state in (1, 3):
                c["learning"] += n
            else:
                c["review"] += n
        for deck_id, c in counts.items():
            limit, done = limits.get(deck_id, (0, 0))
            c["new_today"] = min(c["new"] - buried_new.get(deck_id, 0), max(0, limit - done))
        return profile_name, [QuickDeck(int(i), str(k), str(nm), counts.get(int(i), {}))
                              for i, k, nm in decks]
    except sqlite3.Error:  # damaged, locked too long, an unexpected shape: the full way
        return None
    finally:
        con.close()
