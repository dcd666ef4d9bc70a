"""Progress figures for one profile, computed in SQL over covering indexes.

Every figure is a ``GROUP BY`` (or a ``LIMIT``-ed ordered scan) in the
database; no function here loads the review log into Python. The log is read
as described in :mod:`quizapp.storage.reviews`: only *effective answers*
count (cancelled rows, undo rows and overruled answers are skipped; an
overrule counts as the answer it replaces).

The statements are plain SQL, written once and the same on SQLite and
PostgreSQL (apart from one fragment), so a call pays no statement building or
compilation. Each pass reads the pages of one index of schema 3 (see
:mod:`quizapp.storage.models`):

- one pass over ``ix_review_day_cover`` gives the answers per day, the streak
  and true retention;
- one pass over ``ix_review_card_cover`` (per card, then per fact) gives the
  most-missed facts; the same index answers "the last answer to a fact" with
  one short backward range per card, for the mastered facts;
- the card figures count ``ix_card_due`` (state and suspension) and then
  correct the few exceptions, cards of retired facts (``ix_fact_retired``) and
  buried cards (``ix_card_buried``), instead of joining every card to its fact;
- leeches and wrong choices read small partial indexes.

Cancelled rows are excluded with ``id NOT IN (the cancelled ids)``: the
database reads the (few) cancelling rows once per statement instead of probing
for every answer.
"""

from __future__ import annotations

import time as _time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, TextClause, case, func, text
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import FromClause
from sqlmodel import Session

from quizapp.scheduling import (
    LEECH_LAPSES,
    MASTERED_STABILITY_DAYS,
    CardStateKind,
    day_date,
    day_start,
    study_day,
)
from quizapp.storage.dialect import PlainSql, bind_value, driver_sql, is_sqlite
from quizapp.storage.models import (
    BURIED_WHERE,
    RETIRED_WHERE,
    WRONG_CHOICE_WHERE,
    WRONG_WHERE,
    DeckRow,
    spelled,
)
from quizapp.storage.reviewlog import review_table
from quizapp.storage.reviews import (
    KIND_OVERRULE,
    KIND_STUDY,
    KIND_TEST,
    effective_sql,
    is_effective,
    not_cancelled_sql,
    with_original,
)

HISTORY_DAYS = 365
RETENTION_DAYS = 30
FORECAST_DAYS = 30
TOP = 10

deck_table = DeckRow.__table__  # type: ignore[attr-defined]

_STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}


class _HasEngine(Protocol):
    engine: Engine


@contextmanager
def _connection(target: Session | _HasEngine) -> Iterator[Connection]:
    if isinstance(target, Session):
        yield target.connection()
    else:
        with target.engine.connect() as conn:
            yield conn


def profile_stats(collection_or_session: Session | _HasEngine, profile_id: int,
                  now: datetime) -> dict[str, Any]:
    """Progress figures of one profile at ``now``, JSON-ready.

    Keys:

    - ``profile``: ``{"id", "name"}``.
    - ``now`` (ISO UTC), ``study_day`` (days since 1970-01-01, after rollover),
      ``date`` (that day, ISO).
    - ``reviews_per_day``: the last 365 study days with activity, oldest first:
      ``{"study_day", "date", "reviews", "correct", "tests"}`` where
      ``reviews``/``correct`` count study answers and ``tests`` practice-test
      answers, grouped by the study day stored on each review.
    - ``streak``: ``{"days", "studied_today"}``: consecutive study days with at
      least one study answer, ending today (or yesterday, if today has none yet).
    - ``retention``: ``{"days": 30, "reviews", "correct", "rate"}``: true
      retention, i.e. right answers among study answers to cards that were in
      Review state, over the last 30 study days; ``rate`` is None without reviews.
    - ``cards``: ``{"new", "learning", "review", "relearning", "suspended",
      "buried", "total"}`` over cards of facts that are not retired (suspended
      and buried cards are counted only there).
    - ``due_forecast``: 30 entries ``{"study_day", "date", "due"}``: cards (not
      suspended) falling due on each study day from today; today includes
      overdue cards.
    - ``mastery``: ``{"threshold_days": 21, "total": {"facts", "mastered"},
      "decks": [{"deck_id", "deck", "facts", "mastered"}], "kinds": [{"kind",
      "facts", "mastered"}]}``. A fact is mastered when its memory (its one
      card) has stability ≥ 21 days and the fact's last answer was right.
    - ``most_missed``: up to 10 ``{"fact_id", "deck", "kind", "text", "misses",
      "answers"}``, most misses first (study and test answers).
    - ``wrong_choices``: up to 10 ``{"fact_id", "deck", "form", "given",
      "times"}``: wrong choices picked most often.
    - ``leeches``: ``{"card_id", "fact_id", "deck", "family", "lapses",
      "suspended"}`` for facts with 8 or more lapses, most lapses first;
      ``family`` is the family the fact was last asked in. A leech is not
      suspended automatically (it is asked another way); ``suspended`` says
      whether the learner suspended it by hand.
    """
    keep = not isinstance(collection_or_session, Session)  # a session's transaction is its own
    with _connection(collection_or_session) as conn:
        sql = _statements(conn.dialect.name)
        name, today, per_day, retention, cards, forecast = _common(
            conn, sql, profile_id, now, keep=keep)
        return {
            "profile": {"id": profile_id, "name": name},
            "now": now.isoformat(),
            "study_day": today,
            "date": day_date(today).isoformat(),
            "reviews_per_day": per_day,
            "streak": _streak(conn, sql, profile_id, today, per_day),
            "retention": retention,
            "cards": cards,
            "due_forecast": forecast,
            "mastery": _mastery(conn, sql, profile_id),
            "most_missed": _most_missed(conn, sql, profile_id),
            "wrong_choices": _wrong_choices(conn, sql, profile_id),
            "leeches": _leeches(conn, sql, profile_id),
        }


# --------------------------------------------------------------------------
# The statements. ``r`` is always the review row read; every condition that an
# index of schema 3 is made for is spelled as in that index's definition.

# Answers per (study day, kind, right) in index order, with how many were to
# cards in Review state in the retention window. Overrule rows are counted
# under their own kind here and replaced by _OVERRULES.
_PER_DAY = f"""
SELECT r.study_day, r.kind, r.correct, COUNT(*),
       SUM(CASE WHEN r.study_day > :retention_after
                     AND r.before_state = :review_state
                THEN 1 ELSE 0 END)
FROM review r {{by_day}}
WHERE r.profile_id = :p AND r.study_day > :after AND r.study_day <= :today
  AND {effective_sql("r")}
GROUP BY r.study_day, r.kind, r.correct
"""

# The effective overrule rows of the same days, under the kind they count as
# (the overruled row's), read from the few rows that cancel another.
_OVERRULES = f"""
SELECT r.study_day, o.kind, r.correct, COUNT(*),
       SUM(CASE WHEN r.study_day > :retention_after
                     AND r.before_state = :review_state
                THEN 1 ELSE 0 END)
FROM review r {{by_cancels}} CROSS JOIN review o
WHERE r.cancels_id IS NOT NULL AND r.kind = '{KIND_OVERRULE}' AND r.profile_id = :p
  AND r.study_day > :after AND r.study_day <= :today AND {not_cancelled_sql("r")}
  AND o.id = r.cancels_id
GROUP BY r.study_day, o.kind, r.correct
"""

# Misses per card (one card per fact) from the partial index of wrong answers;
# only the facts that can reach the top ten (misses at least the tenth highest)
# are looked up, and only for those are all their answers counted.
_MOST_MISSED = f"""
WITH per_card AS (
    SELECT r.card_id AS card_id, COUNT(*) AS misses
    FROM review r {{by_wrong}}
    WHERE r.profile_id = :p AND {spelled(WRONG_WHERE, "r")}
      AND {effective_sql("r")}
    GROUP BY r.card_id
), per_fact AS (
    SELECT (SELECT c.fact_id FROM card c WHERE c.id = pc.card_id) AS fact_id,
           pc.card_id AS card_id, pc.misses AS misses
    FROM per_card pc
)
SELECT f.key, d.name, f.kind, f.text, f.front, pf.misses,
       (SELECT COUNT(*)
        FROM review r3 {{by_card}}
        WHERE r3.profile_id = :p AND r3.card_id = pf.card_id
          AND {effective_sql("r3")})
FROM per_fact pf JOIN fact f ON f.id = pf.fact_id JOIN deck d ON d.id = f.deck_id
WHERE pf.misses >= COALESCE(
    (SELECT x.misses FROM per_fact x ORDER BY x.misses DESC LIMIT 1 OFFSET {TOP - 1}), 0)
ORDER BY pf.misses DESC, f.key
LIMIT {TOP}
"""

_WRONG_CHOICES = f"""
SELECT f.key, d.name, r.form, r.given, COUNT(*)
FROM review r {{by_wrong_choice}} CROSS JOIN card c CROSS JOIN fact f CROSS JOIN deck d
WHERE r.profile_id = :p AND {spelled(WRONG_CHOICE_WHERE, "r")}
  AND {effective_sql("r")}
  AND c.id = r.card_id AND f.id = c.fact_id AND d.id = f.deck_id
GROUP BY c.fact_id, f.key, d.name, r.form, r.given
ORDER BY COUNT(*) DESC, f.key, r.given
LIMIT {TOP}
"""

# Facts, and mastered ones, per deck and kind, in one pass over the profile's
# cards (one per fact; ix_card_mastery, in fact order, so the facts are looked
# up in the order they are stored). A fact is mastered when its memory's
# stability is at or above the threshold and its latest effective answer was
# right: the card's latest answer is the first entry of a backward range of
# ix_review_card_cover, whose key (time, id, right) ends in 1 for a right
# answer. The nested CASE looks for the last answer only on cards above the
# threshold.
_MASTERY = """
SELECT x.deck_id, d.name, x.kind, x.facts, x.mastered
FROM (SELECT f.deck_id AS deck_id, f.kind AS kind, COUNT(*) AS facts,
             SUM(CASE WHEN c.stability >= :threshold THEN
                   CASE WHEN (SELECT {key}
                              FROM review lr {by_card}
                              WHERE lr.profile_id = c.profile_id
                                AND lr.card_id = c.id
                                AND {effective}
                              ORDER BY lr.reviewed_at DESC, lr.id DESC
                              LIMIT 1) LIKE '%1'
                        THEN 1 ELSE 0 END
                 ELSE 0 END) AS mastered
      FROM card c CROSS JOIN fact f
      WHERE c.profile_id = :p
        AND f.id = c.fact_id AND f.retired = FALSE
      GROUP BY f.deck_id, f.kind) x
JOIN deck d ON d.id = x.deck_id
"""

# A text key that sorts like (reviewed_at, id) and ends in 1 for a right answer.
_LAST_ANSWER_KEY = {
    # SQLite keeps review times as microseconds since the epoch (schema 10).
    "sqlite": "printf('%020d', lr.reviewed_at) || printf('%012d', lr.id) "
              "|| CASE WHEN lr.correct THEN '1' ELSE '0' END",
    "postgresql": "to_char(lr.reviewed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') "
                  "|| lpad(lr.id::text, 12, '0') || CASE WHEN lr.correct THEN '1' ELSE '0' END",
}

# ``c.lapses >= 8`` is the condition of the partial index ix_card_leech.
_LEECHES = f"""
SELECT c.id, f.key, d.name, c.family, c.lapses, c.suspended
FROM card c CROSS JOIN fact f CROSS JOIN deck d
WHERE c.profile_id = :p AND c.lapses >= {LEECH_LAPSES}
  AND f.id = c.fact_id AND d.id = f.deck_id AND f.retired = FALSE
ORDER BY c.lapses DESC, c.id
"""

# The first statement of a reading: the profile, the kept totals' mark and the
# newest review id; on SQLite also the database's data version, which changes
# whenever another connection commits (PRAGMA data_version; see _common).
_HEAD = """
SELECT p.name, p.rollover_hour, p.timezone, m.through_day, m.through_id,
       (SELECT max(id) FROM review){version}
FROM profile p LEFT JOIN review_day_mark m ON m.profile_id = p.id
WHERE p.id = :p
"""
_HEAD_VERSION = {"sqlite": ", (SELECT data_version FROM pragma_data_version)"}

# The second: one UNION ALL of every other reading of the figures shown first,
# each member tagged by its first column and padded to the same eight columns
# (tag, six values, an answer kind), typed so that PostgreSQL matches them.
# Each member is planned on its own, over the same index as a statement of its
# own would be.
_NEWER_ROWS, _KEPT_ROWS, _LOG_ROWS, _CARD_ROWS, _FORECAST_ROWS, _EXCEPTION_ROWS = range(6)
_NO_INT = "CAST(NULL AS INTEGER)"
_NO_KIND = "CAST(NULL AS TEXT)"
_PAD2 = f"{_NO_INT}, {_NO_INT}"
_PAD4 = f"{_PAD2}, {_PAD2}"

_CARD_COUNTS = ", ".join(
    f"(SELECT COUNT(*) FROM card c WHERE c.profile_id = :p AND {where})"
    for where in ("c.suspended = TRUE", *(f"c.suspended = FALSE AND c.state = {state}"
                                          for state in range(4)),
                  "c.suspended = FALSE AND (c.state < 0 OR c.state > 3)"))

# One row per study day from today: (day, cards due that day), a range count of
# ix_card_due per state for each day (today's from :e_lo, before any time).
_FORECAST_DAY_ENDS = " UNION ALL ".join(
    f"SELECT {day} AS i, :e{day - 1 if day else '_lo'} AS lo, :e{day} AS hi"
    for day in range(FORECAST_DAYS))
_FORECAST_COUNTS = f"""SELECT {_FORECAST_ROWS}, d.i,
       (SELECT COUNT(*) FROM card c
        WHERE c.profile_id = :p AND c.suspended = FALSE AND c.state IN (1, 2, 3)
          AND c.due >= d.lo AND c.due < d.hi),
       {_PAD4}, {_NO_KIND}
FROM ({_FORECAST_DAY_ENDS}) d"""

_BODY = {
    # Review rows newer than the kept totals (a range of the table's key from the
    # kept id on): their study day, and the day of the row each cancels.
    "newer": f"""
SELECT {_NEWER_ROWS}, r.study_day, (SELECT c.study_day FROM review c WHERE c.id = r.cancels_id),
       {_PAD4}, {_NO_KIND}
FROM review r {{by_key}}
WHERE r.id > :through_id AND r.profile_id = :p""",
    # The kept totals of closed days.
    "kept": f"""
SELECT {_KEPT_ROWS}, study_day, reviews, correct, tests, in_review, in_review_correct, {_NO_KIND}
FROM review_day
WHERE profile_id = :p AND study_day > :after AND study_day <= :through""",
    # The log's answers per (study day, kind, right) after :start, with those to
    # cards in Review state (_PER_DAY), and the effective overrules under the
    # kind they count as (_OVERRULES).
    "log": f"""
SELECT {_LOG_ROWS}, r.study_day, CASE WHEN r.correct THEN 1 ELSE 0 END, COUNT(*),
       SUM(CASE WHEN r.before_state = :review_state THEN 1 ELSE 0 END),
       {_PAD2}, r.kind
FROM review r {{by_day}}
WHERE r.profile_id = :p AND r.study_day > :start AND r.study_day <= :today
  AND {effective_sql("r")}
GROUP BY r.study_day, r.kind, r.correct
UNION ALL
SELECT {_LOG_ROWS}, r.study_day, CASE WHEN r.correct THEN 1 ELSE 0 END, COUNT(*),
       SUM(CASE WHEN r.before_state = :review_state THEN 1 ELSE 0 END),
       {_PAD2}, o.kind
FROM review r {{by_cancels}} CROSS JOIN review o
WHERE r.cancels_id IS NOT NULL AND r.kind = '{KIND_OVERRULE}' AND r.profile_id = :p
  AND r.study_day > :start AND r.study_day <= :today AND {not_cancelled_sql("r")}
  AND o.id = r.cancels_id
GROUP BY r.study_day, o.kind, r.correct""",
    # Cards by suspension and state: one range count of ix_card_due each
    # (suspended; then new, learning, review, relearning and any other state
    # among the others), cheaper than grouping the index's entries; cards (not
    # suspended) by the day from today they fall due on: one range count of
    # ix_card_due per day (_FORECAST_COUNTS), cheaper than finding each card's day
    # and grouping; and the cards that these counts put in the wrong place: cards
    # of retired facts (left out) and buried cards (counted as buried).
    "cards": f"""
SELECT {_CARD_ROWS}, {_CARD_COUNTS}, {_NO_KIND}
UNION ALL
{_FORECAST_COUNTS}
UNION ALL
SELECT {_EXCEPTION_ROWS}, c.id, CASE WHEN c.suspended THEN 1 ELSE 0 END, c.state, {{buckets}},
       c.buried_until, 1, {_NO_KIND}
FROM fact f CROSS JOIN card c
WHERE {spelled(RETIRED_WHERE, "f")} AND c.profile_id = :p AND c.fact_id = f.id
UNION ALL
SELECT {_EXCEPTION_ROWS}, c.id, CASE WHEN c.suspended THEN 1 ELSE 0 END, c.state, {{buckets}},
       c.buried_until, 0, {_NO_KIND}
FROM card c
WHERE c.profile_id = :p AND {spelled(BURIED_WHERE, "c")} AND c.buried_until >= :today""",
}

# The body's four forms: (totals kept, cards read) → statement name.
_BODY_NAMES = {(True, True): "body_kept_cards", (True, False): "body_kept",
               (False, True): "body_cards", (False, False): "body"}
_BODY_PARTS = {"body_kept_cards": ("newer", "kept", "log", "cards"),
               "body_kept": ("newer", "kept", "log"),
               "body_cards": ("log", "cards"), "body": ("log",)}

_CARD_KEYS = ("new", "learning", "review", "relearning", "suspended", "buried", "total")

# The totals kept per closed study day (schema 8), and the review rows newer
# than them: a range of the review table's key from the kept id on (on
# SQLite, NOT INDEXED keeps the planner from reading every row of the profile
# through an index instead; the key is no index).
_DAY_STATEMENTS = {
    "forget_days": "DELETE FROM review_day WHERE profile_id = :p AND study_day > :after "
                   "AND study_day < :today",
    "keep_day": "INSERT INTO review_day (profile_id, study_day, reviews, correct, tests, "
                "in_review, in_review_correct) VALUES (:p, :d, :n, :r, :t, :rn, :rr)",
    "forget_mark": "DELETE FROM review_day_mark WHERE profile_id = :p",
    "keep_mark": "INSERT INTO review_day_mark (profile_id, through_day, through_id) "
                 "VALUES (:p, :d, :id)",
    "may_keep": "SELECT has_table_privilege('review_day_mark', 'INSERT') "
                "AND has_table_privilege('review_day', 'DELETE')",
}

# SQLite 3.40 (what Python ships with on many systems) does not count an index
# on an expression as covering, so with planner statistics it may read the
# review log through the narrower ix_review_profile_day and fetch every row
# from the table; the passes over the log name their index there.
_INDEX_HINTS = {
    "sqlite": {"by_day": "INDEXED BY ix_review_day_cover",
               "by_card": "INDEXED BY ix_review_card_cover",
               "by_cancels": "INDEXED BY ix_review_cancels",
               "by_wrong": "INDEXED BY ix_review_wrong",
               "by_wrong_choice": "INDEXED BY ix_review_wrong_choice",
               "by_key": "NOT INDEXED"},
}
_NO_HINTS = dict.fromkeys(_INDEX_HINTS["sqlite"], "")

_COMPILED: dict[str, dict[str, TextClause]] = {}


def _bucket(lo: int, hi: int) -> str:
    """SQL: the first i in [lo, hi) with ``c.due < :e{i}`` (``hi`` if none), by halving."""
    if lo == hi:
        return str(lo)
    mid = (lo + hi) // 2
    return f"CASE WHEN c.due < :e{mid} THEN {_bucket(lo, mid)} ELSE {_bucket(mid + 1, hi)} END"


def _statements(dialect: str) -> dict[str, TextClause]:
    """The statements for a database dialect, made once per process."""
    made = _COMPILED.get(dialect)
    if made is None:
        hints = _INDEX_HINTS.get(dialect, _NO_HINTS)
        mastery = _MASTERY.format(
            key=_LAST_ANSWER_KEY.get(dialect, _LAST_ANSWER_KEY["postgresql"]),
            effective=effective_sql("lr"), **hints)
        body = {name: _BODY[name].format(buckets=_bucket(0, FORECAST_DAYS), **hints)
                for name in _BODY}
        made = {
            "head": text(_HEAD.format(version=_HEAD_VERSION.get(dialect, ""))),
            **{name: text("\nUNION ALL".join(body[part] for part in parts))
               for name, parts in _BODY_PARTS.items()},
            "per_day": text(_PER_DAY.format(**hints)),
            "overrules": text(_OVERRULES.format(**hints)),
            "most_missed": text(_MOST_MISSED.format(**hints)),
            "wrong_choices": text(_WRONG_CHOICES.format(**hints)),
            "mastery": text(mastery),
            "leeches": text(_LEECHES),
            **{name: text(statement.format(**hints))
               for name, statement in _DAY_STATEMENTS.items()},
        }
        _COMPILED[dialect] = made
    return made


_PLAIN: dict[tuple[str, str], PlainSql] = {}


def _read(conn: Connection, sql: dict[str, TextClause], name: str,
          params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Every row of the statement ``name``, run on ``conn``'s driver connection.

    The reads of the figures the Progress screen shows first (per day, cards,
    forecast) are a handful of small statements: SQLAlchemy's execution would
    cost more than the statements themselves, so they run as
    :class:`~quizapp.storage.dialect.PlainSql` in ``conn``'s transaction.
    Values come back as the driver gives them (SQLite: booleans as 0 or 1,
    times as text).
    """
    dialect = conn.dialect.name
    stmt = _PLAIN.get((dialect, name))
    if stmt is None:
        stmt = _PLAIN[(dialect, name)] = PlainSql(sql[name].text)
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    return stmt.rows_on(dbapi, dialect, params)


_NAMED: dict[tuple[str, str], str] = {}


def _read_named(conn: Connection, sql: dict[str, TextClause], name: str,
                params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """Every row of the statement ``name`` with named parameters, as :func:`_read`.

    ``params`` hold values as the driver takes them (see :func:`_day_ends`).
    The body repeats the day ends in several members: SQLite takes the
    ``:name`` parameters as they are written and psycopg ``%(name)s``, so each
    value is bound once by name instead of once per place.
    """
    dialect = conn.dialect.name
    form = _NAMED.get((dialect, name))
    if form is None:
        flat = " ".join(sql[name].text.split())
        form = _NAMED[(dialect, name)] = flat if is_sqlite(dialect) else driver_sql(flat, dialect)
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cur = dbapi.cursor()
    try:
        cur.execute(form, params)
        return list(cur.fetchall())
    finally:
        cur.close()


def _common(conn: Connection, sql: dict[str, TextClause], profile_id: int, now: datetime,
            *, keep: bool
            ) -> tuple[str, int, list[dict[str, Any]], dict[str, Any], dict[str, int],
                       list[dict[str, Any]]]:
    """The figures both the Progress screen and a short look show first, in two statements.

    Returns the profile's name, today's study day, the answers per day over the
    last year, true retention over the last 30 days, cards by state and the 30-day
    forecast. The first statement (:data:`_HEAD`) reads the profile, the kept
    totals' mark and the newest review id; the second (:data:`_BODY`) everything
    else at once. ``keep`` as for :func:`_answers_per_day`.

    On SQLite the figures of the last reading are kept with the driver
    connection, and a reading of the same profile on the same study day on that
    connection returns them again (as new dictionaries) after the first
    statement alone when the database is unchanged since: no other connection
    has committed (``PRAGMA data_version``, read by that statement, is the same)
    and this one has changed no row (its ``total_changes`` is the same). Any
    answer, undo, overrule, import, edit, restore (a new connection) or a
    setting of the profile changes one of the two; a new study day, or another
    local zone for a profile without one, is another key. Figures read inside
    a transaction that changed rows, or by a reading that kept day totals (or
    meant to: the next reading tries again), are not kept.
    """
    head = _read(conn, sql, "head", {"p": profile_id})
    if not head:
        raise LookupError(f"no profile {profile_id}")
    name, rollover, tz, *mark = head[0]
    today = study_day(now, rollover, tz)
    stamp: tuple[Any, ...] | None = None
    if len(mark) > 3:  # SQLite: the data version
        driver = conn.connection.dbapi_connection
        changes = int(getattr(driver, "total_changes", -1))
        stamp = (profile_id, today, rollover, tz, _time.tzname if tz is None else None,
                 mark[3], changes)
        kept = conn.connection.info.get(_LAST_FIGURES)
        if kept is not None and kept[0] == stamp and changes >= 0:
            return _figures(*kept[1])
    bound, dates = _day_ends(conn.dialect.name, today, rollover, tz)
    days, card_rows, keeping = _answers_per_day(
        conn, sql, profile_id, today - HISTORY_DAYS, today, keep=keep, head=tuple(mark[:3]),
        ends=bound)
    # The per-day answers as plain tuples (what is kept for the next reading), with
    # true retention summed over the last 30 days in the same pass.
    since = today - RETENTION_DAYS
    rows: list[tuple[int, str, int, int, int]] = []
    n = right = 0
    for day, v in sorted(days.items()):
        rows.append((day, _DATES.get(day) or _iso_date(day), v[0], v[1], v[2]))
        if day > since:
            n += v[3]
            right += v[4]
    cards, due = _cards_and_forecast(card_rows, today)
    plain = (name, today, rows, n, right, tuple(cards.items()), due, dates)
    figures = _figures(*plain)
    if stamp is not None and not keeping:
        driver = conn.connection.dbapi_connection
        if (stamp[-1] >= 0 and not getattr(driver, "in_transaction", True)
                and getattr(driver, "total_changes", -1) == stamp[-1]):
            conn.connection.info[_LAST_FIGURES] = (stamp, plain)
    return figures


_LAST_FIGURES = "quizapp.stats.last_figures"  # key of the driver connection's info


def _figures(name: str, today: int, rows: list[tuple[int, str, int, int, int]], n: int,
             right: int, cards: tuple[tuple[str, int], ...], due: list[int], dates: list[str]
             ) -> tuple[str, int, list[dict[str, Any]], dict[str, Any], dict[str, int],
                        list[dict[str, Any]]]:
    """The figures of :func:`_common` as new lists and dictionaries, from plain values:
    per-day rows (study day, date, answers, right ones, test answers), true
    retention's answers and right ones, cards by state, cards due on each of
    the 30 days and their dates."""
    per_day = [{"study_day": day, "date": date, "reviews": a, "correct": r, "tests": t}
               for day, date, a, r, t in rows]
    retention = {"days": RETENTION_DAYS, "reviews": n, "correct": right,
                 "rate": (right / n) if n else None}
    forecast = [{"study_day": today + i, "date": dates[i], "due": due[i]}
                for i in range(FORECAST_DAYS)]
    return name, today, per_day, retention, dict(cards), forecast


_DATES: dict[int, str] = {}


def _iso_date(day: int) -> str:
    """The ISO date of a study day (remembered: a year's screen asks for the same days)."""
    found = _DATES.get(day)
    if found is None:
        found = _DATES[day] = day_date(day).isoformat()
    return found


_ENDS: dict[tuple[Any, ...], tuple[dict[str, Any], list[str]]] = {}
_BEFORE_ANY_TIME = datetime(1, 1, 2, tzinfo=UTC)  # the forecast's today starts here


def _day_ends(dialect: str, today: int, rollover: int, tz: str | None
              ) -> tuple[dict[str, Any], list[str]]:
    """The ends of the 30 study days from ``today`` as the forecast's parameters
    ``e0``…``e29`` (UTC, as the driver takes them; ``e_lo``, a time before any
    card's, starts today), and the 30 days' ISO dates.

    Remembered per day and zone (the local zone's names too, for a profile
    without one): every reading of a day asks for the same ends.
    """
    key = (dialect, today, rollover, tz, _time.tzname if tz is None else None)
    found = _ENDS.get(key)
    if found is None:
        ends = [day_start(today + i + 1, rollover, tz) for i in range(FORECAST_DAYS)]
        bound = {f"e{i}": bind_value(end, dialect) for i, end in enumerate(ends)}
        bound["e_lo"] = bind_value(_BEFORE_ANY_TIME, dialect)
        dates = [_iso_date(today + i) for i in range(FORECAST_DAYS)]
        if len(_ENDS) >= 64:
            _ENDS.clear()
        found = _ENDS[key] = (bound, dates)
    return found


_FIRST_DAY = -(2**31)  # before any study day
_REVIEW_STATE = int(CardStateKind.REVIEW)


def _answers_per_day(conn: Connection, sql: dict[str, TextClause], profile_id: int,
                     after: int, today: int, *, keep: bool = False,
                     head: tuple[Any, ...] | None = None, ends: Mapping[str, Any] | None = None
                     ) -> tuple[dict[int, list[int]], list[tuple[Any, ...]], bool]:
    """Study day → [study answers, right ones, test answers, answers to cards in Review,
    right ones], for the days after ``after`` up to ``today`` with at least one
    effective answer; with ``ends`` (the forecast's bound day ends, see
    :func:`_day_ends`) also the card rows of :func:`_cards_and_forecast`; and
    whether this reading kept totals (or meant to, with ``keep``).

    Closed study days (before ``today``) come from the totals kept in
    ``review_day`` up to the day ``review_day_mark`` names, except a day that a
    review row newer than the totals touches (its own day, or the day of the row
    it cancels: an undo or overrule of an older answer, a profile file's
    answers), which is counted from the log again; later days are counted from
    the log. With ``keep``, totals that were missing or stale are stored then,
    in a short transaction of their own on ``conn`` (the caller's own
    connection), so that the next reading counts only from there. An answer
    never writes them.

    ``head``: the mark's day and id and the newest review id, as :data:`_HEAD`
    read them (read here when not given). All of it is one statement
    (:data:`_BODY`), plus a range of the log when newer rows touch kept days.
    """
    if head is None:
        head = tuple(_read(conn, sql, "head", {"p": profile_id})[0][3:6])
    mark_day, mark_id, newest_id = head
    through_day = int(mark_day) if mark_day is not None else None
    if through_day is not None and through_day >= today:
        through_day = None  # kept when the study day was later (the clock or zone went back)
    newest = int(newest_id or 0)
    build = keep and (through_day is None or through_day < today - 1)
    if through_day is None:
        start = _FIRST_DAY if keep else after
    else:
        # every closed day after the kept ones, when they are to be kept
        start = through_day if build else max(after, through_day)
    params: dict[str, Any] = {"p": profile_id, "after": after, "today": today,
                              "start": start, "review_state": _REVIEW_STATE}
    if through_day is not None:
        params["through"] = through_day
        params["through_id"] = int(mark_id)
    if ends is not None:
        params.update(ends)
    name = _BODY_NAMES[(through_day is not None, ends is not None)]
    live: dict[int, list[int]] = {}
    kept: list[tuple[Any, ...]] = []
    cards: list[tuple[Any, ...]] = []
    dirty: set[int] = set()
    for row in _read_named(conn, sql, name, params):
        tag = row[0]
        if tag == _KEPT_ROWS:  # most rows: a year's closed days
            kept.append(row)
        elif tag == _LOG_ROWS:
            _add_answers(live, row[1], row[7], row[2], row[3], row[4])
        elif tag == _NEWER_ROWS:
            for d in (row[1], row[2]):
                if d is not None and int(d) <= int(params["through"]):
                    dirty.add(int(d))
        else:
            cards.append(row)
    # the kept totals are integer columns: both drivers give ints
    days: dict[int, list[int]] = {row[1]: list(row[2:7]) for row in kept if row[1] not in dirty}
    if dirty:  # one range of the log over the days touched, whatever their number
        build = keep
        dirty = set(range(min(dirty), max(dirty) + 1))
        for d in dirty:
            days.pop(d, None)
        days.update(_log_days(conn, sql, profile_id, min(dirty) - 1, max(dirty)))
    days.update((d, v) for d, v in live.items() if d > after)
    if build:
        closed = {d: v for d, v in live.items() if d < today}
        closed.update((d, v) for d, v in _log_days_of(days, dirty).items())
        _keep_days(conn, sql, profile_id, through_day, today, dirty, closed, newest)
    if dirty:  # the log's range may start at or before ``after``; the rest is after it
        days = {d: v for d, v in days.items() if d > after}
    return days, cards, build


def _log_days_of(days: dict[int, list[int]], dirty: set[int]) -> dict[int, list[int]]:
    """The days of ``dirty`` that ``days`` holds (counted from the log again)."""
    return {d: days[d] for d in dirty if d in days}


def _keep_days(conn: Connection, sql: dict[str, TextClause], profile_id: int,
               through_day: int | None, today: int, dirty: set[int],
               closed: dict[int, list[int]], newest: int) -> None:
    """Store the totals of closed days counted from the log, and how far they go.

    A role that may not write them (a classroom's student or teacher) leaves
    them as they are: the figures are counted from the log for it. On SQLite
    the figures never wait for another writer (a long import holding the
    database): the totals are kept at a later reading instead.
    """
    if conn.dialect.name == "postgresql" and not conn.execute(sql["may_keep"]).scalar():
        return
    conn.commit()  # the reads are done; the writes are one short transaction
    sqlite = conn.dialect.name == "sqlite"
    waited = 0
    if sqlite:  # never wait for another writer (a long import): keep them another time
        waited = int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0)
        conn.exec_driver_sql("PRAGMA busy_timeout = 0")
        conn.commit()
    try:
        with conn.begin():
            conn.execute(sql["forget_days"], {"p": profile_id, "after": (
                _FIRST_DAY if through_day is None else through_day), "today": today})
            if dirty:
                conn.execute(sql["forget_days"], {"p": profile_id, "after": min(dirty) - 1,
                                                  "today": max(dirty) + 1})
            rows = [{"p": profile_id, "d": d, "n": v[0], "r": v[1], "t": v[2], "rn": v[3],
                     "rr": v[4]} for d, v in sorted(closed.items()) if d < today]
            if rows:
                conn.execute(sql["keep_day"], rows)
            conn.execute(sql["forget_mark"], {"p": profile_id})
            conn.execute(sql["keep_mark"], {"p": profile_id, "d": today - 1, "id": newest})
    except DBAPIError:
        pass  # another writer holds the database, or the file is read-only: not kept now
    finally:
        if sqlite:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {waited}")
            conn.commit()


def _log_days(conn: Connection, sql: dict[str, TextClause], profile_id: int,
              after: int, last: int) -> dict[int, list[int]]:
    """Study day → the five counts of :func:`_answers_per_day`, counted from the log for
    the days after ``after`` up to ``last`` (answers to cards in Review on every day)."""
    params = {"p": profile_id, "after": after, "today": last,
              "retention_after": after, "review_state": _REVIEW_STATE}
    days: dict[int, list[int]] = {}
    for statement in ("per_day", "overrules"):
        for day, kind, correct, n, reviews in _read(conn, sql, statement, params):
            _add_answers(days, day, kind, correct, n, reviews)
    return days


def _add_answers(days: dict[int, list[int]], day: int, kind: str, correct: Any, n: int,
                 reviews: int) -> None:
    """Add one group of the log's answers (day, kind, right or not) to ``days``' counts.

    Overrule rows are left out: they are counted under the kind of the answer
    they replace (the ``overrules`` reading).
    """
    if kind == KIND_STUDY:
        counts = days.get(day)
        if counts is None:
            counts = days[int(day)] = [0, 0, 0, 0, 0]
        counts[0] += int(n)
        counts[3] += int(reviews)
        if correct:
            counts[1] += int(n)
            counts[4] += int(reviews)
    elif kind == KIND_TEST:
        counts = days.get(day)
        if counts is None:
            counts = days[int(day)] = [0, 0, 0, 0, 0]
        counts[2] += int(n)


def _streak(conn: Connection, sql: dict[str, TextClause], profile_id: int, today: int,
            per_day: list[dict[str, Any]]) -> dict[str, Any]:
    """Consecutive study days up to today (or yesterday), from the per-day figures.

    Only a streak as long as the per-day window needs another (grouped) query.
    """
    studied = {d["study_day"] for d in per_day if d["reviews"] > 0}
    if len(studied) >= HISTORY_DAYS - 1:
        days, _, _ = _answers_per_day(conn, sql, profile_id, _FIRST_DAY, today)
        studied = {day for day, counts in days.items() if counts[0]}
    studied_today = today in studied
    day = today if studied_today else today - 1
    streak = 0
    while day in studied:
        streak += 1
        day -= 1
    return {"days": streak, "studied_today": studied_today}


def _cards_and_forecast(rows: list[tuple[Any, ...]], today: int
                        ) -> tuple[dict[str, int], list[int]]:
    """Cards by state, and cards falling due on each of the next 30 study days.

    ``rows`` are the card rows of :data:`_BODY`: both figures count every card
    of the profile from ``ix_card_due`` and are then corrected for the
    exceptions, cards of retired facts and buried cards.
    """
    out = dict.fromkeys(_CARD_KEYS, 0)
    counts: dict[int, int] = {}
    exceptions: dict[int, tuple[Any, ...]] = {}
    for tag, a, b, c, d, e, f, _kind in rows:
        if tag == _CARD_ROWS:  # suspended; new, learning, review, relearning, other
            out["suspended"] = a
            out["new"] = b
            out["learning"] = c
            out["review"] = d + f  # a state of no name counts as review
            out["relearning"] = e
            out["total"] = a + b + c + d + e + f
        elif tag == _FORECAST_ROWS:  # day from today, cards
            counts[int(a)] = int(b)
        elif a not in exceptions or f:  # a retired fact's card is left out, buried or not
            exceptions[a] = (b, c, d, e, f)  # suspended, state, day due, buried until, retired
    for suspended, state, due_day, buried_until, retired in exceptions.values():
        bucket = "suspended" if suspended else _STATE_NAMES.get(int(state), "review")
        if retired:
            out["total"] -= 1
            out[bucket] -= 1
            if not suspended and int(state) in (1, 2, 3) and due_day < FORECAST_DAYS:
                counts[int(due_day)] -= 1
        elif not suspended and buried_until is not None and buried_until >= today:
            out[bucket] -= 1
            out["buried"] += 1
    return out, [counts.get(i, 0) for i in range(FORECAST_DAYS)]


def _mastery(conn: Connection, sql: dict[str, TextClause], profile_id: int) -> dict[str, Any]:
    decks: dict[int, dict[str, Any]] = {}
    kinds: dict[str, dict[str, Any]] = {}
    total = {"facts": 0, "mastered": 0}
    for deck_id, deck_name, kind, facts, mastered in conn.execute(
            sql["mastery"], {"p": profile_id, "threshold": MASTERED_STABILITY_DAYS}):
        done = int(mastered or 0)
        deck = decks.setdefault(deck_id, {"deck_id": deck_id, "deck": deck_name, "facts": 0,
                                          "mastered": 0})
        by_kind = kinds.setdefault(kind, {"kind": kind, "facts": 0, "mastered": 0})
        for bucket in (deck, by_kind, total):
            bucket["facts"] += int(facts)
            bucket["mastered"] += done
    return {
        "threshold_days": MASTERED_STABILITY_DAYS,
        "total": total,
        "decks": sorted(decks.values(), key=lambda x: str(x["deck"])),
        "kinds": sorted(kinds.values(), key=lambda x: str(x["kind"])),
    }


def _most_missed(conn: Connection, sql: dict[str, TextClause],
                 profile_id: int) -> list[dict[str, Any]]:
    return [{"fact_id": key, "deck": deck, "kind": kind, "text": text or front or "",
             "misses": int(m), "answers": int(n)}
            for key, deck, kind, text, front, m, n in conn.execute(
                sql["most_missed"], {"p": profile_id})]


def _wrong_choices(conn: Connection, sql: dict[str, TextClause],
                   profile_id: int) -> list[dict[str, Any]]:
    return [{"fact_id": key, "deck": deck, "form": form, "given": given, "times": int(n)}
            for key, deck, form, given, n in conn.execute(
                sql["wrong_choices"], {"p": profile_id})]


def _leeches(conn: Connection, sql: dict[str, TextClause],
             profile_id: int) -> list[dict[str, Any]]:
    return [{"card_id": str(cid), "fact_id": key, "deck": deck, "family": family,
             "lapses": int(lapses), "suspended": bool(suspended)}
            for cid, key, deck, family, lapses, suspended in conn.execute(
                sql["leeches"], {"p": profile_id})]


# --------------------------------------------------------------------------
# SQLAlchemy building blocks shared with the class view (quizapp.storage.classroom).


def _answers() -> tuple[FromClause, FromClause, FromClause]:
    """The review log joined to the rows that overrules replace (for the answer kind)."""
    r = review_table.alias("r")
    o = review_table.alias("o")
    return r, o, with_original(r, o)


def _sum_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _last_answer_right(c: FromClause) -> ColumnElement[Any]:
    """Correlated: whether the latest effective answer to the card c (its fact) was right."""
    r = review_table.alias("lr")
    return (
        sa_select(r.c.correct)
        .where(r.c.profile_id == c.c.profile_id, r.c.card_id == c.c.id, is_effective(r))
        .order_by(r.c.reviewed_at.desc(), r.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
