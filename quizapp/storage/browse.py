"""The statements of the Browse, Reader and Progress screens: plain values in, rows out.

:mod:`quizapp.browse` holds the value types (the query, the rows a screen
shows) and turns the rows read here into them. Hot reads are written once as
portable SQL text (:class:`~quizapp.storage.dialect.PlainSql`); the rest are
Core statements. Each call is one short read or one transaction.

- A search (:func:`search_fact_ids`, :func:`count_facts`) finds facts by free
  text over their text columns and filters on the profile's cards;
  :func:`summary_rows` reads the details of the facts a screen shows.
- :func:`card_rows` and :func:`history_rows` read a fact's cards and the
  review log (cancelled rows flagged, never hidden).
- :func:`retention_rows` reads true retention per study day, the way
  :mod:`quizapp.storage.stats` reads the log.
- :func:`set_suspended`, :func:`classes_a_delete_retires` and
  :func:`delete_deck` are the screens' writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import select as sa_select

from quizapp.scheduling import (
    LEECH_LAPSES,
    MASTERED_STABILITY_DAYS,
    CardStateKind,
    day_start,
    study_day,
)
from quizapp.storage import repository as repo
from quizapp.storage import writer
from quizapp.storage.counts import profile_day
from quizapp.storage.dialect import PlainSql, is_sqlite
from quizapp.storage.engine import transaction
from quizapp.storage.models import DeckRow
from quizapp.storage.reviewlog import card_table, review_table, run
from quizapp.storage.reviews import ANSWER_KINDS, KIND_OVERRULE, KIND_STUDY, is_cancelled

if TYPE_CHECKING:
    from quizapp.storage.engine import Database

STATES: tuple[str, ...] = ("new", "learning", "review", "suspended")
DUE_FILTERS: tuple[str, ...] = ("today", "overdue")


class SearchQuery(Protocol):
    """What a search looks for (:class:`quizapp.browse.FactQuery`)."""

    @property
    def text(self) -> str: ...
    @property
    def deck_id(self) -> int | None: ...
    @property
    def kind(self) -> str | None: ...
    @property
    def state(self) -> str | None: ...
    @property
    def due(self) -> str | None: ...
    @property
    def leech(self) -> bool: ...
    @property
    def reported(self) -> bool: ...


# --------------------------------------------------------------------------
# Search


_TEXT_COLUMNS = ("text", "stem", "speaker", "name", "front", "back")
_search_sql: dict[tuple[Any, ...], PlainSql] = {}
_summary_sql: dict[tuple[int, bool], PlainSql] = {}


def like_words(text: str) -> list[tuple[str, bool]]:
    """The LIKE pattern of each word of a search, and whether it needs an ESCAPE clause."""
    out = []
    for word in text.split():
        w = word.lower()
        special = any(ch in w for ch in "\\%_")
        if special:
            w = w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        out.append((f"%{w}%", special))
    return out


def _sqlite_match(pattern: str, escape: str) -> str:
    """SQLite: whether any of a fact's six text columns holds the word of ``pattern``.

    A word is never empty, so a pattern ``%word%`` matches neither NULL nor an
    empty text: a LIKE is skipped where it cannot match, and that changes no
    result. Each fact reads its columns at most once: a Q/A note's front and
    back first (a LIKE on NULL is NULL, cheaper than testing first), then
    ``text`` where it is not empty, then the three short columns only when one
    of them holds text (one ``coalesce`` instead of three tests: most facts
    use two or three of the six columns, the rest NULL, ``text`` empty).
    """
    like = f"LIKE {pattern}{escape}"
    return (f"(f.front {like} OR f.back {like} OR (f.text <> '' AND f.text {like})"
            f" OR (coalesce(f.stem, f.speaker, f.name) IS NOT NULL"
            f" AND (f.stem {like} OR f.speaker {like} OR f.name {like})))")


def _search_where(query: SearchQuery, words: list[tuple[str, bool]], dialect: str
                  ) -> tuple[tuple[Any, ...], str]:
    """The shape of a search (its cache key) and its WHERE text on ``fact f``.

    Text matches a word in any of the fact's text columns. SQLite's LIKE folds
    ASCII case by itself, as its lower() does, so the columns are compared as
    stored, and only those that hold text (:func:`_sqlite_match`); PostgreSQL's LIKE
    is case-sensitive, so there the columns are lowered. Card filters are
    uncorrelated ``f.id IN (…)`` lists, built once per search rather than
    probed per fact.
    """
    if query.state and query.state not in STATES:
        raise ValueError(f"unknown state {query.state!r} (use {', '.join(STATES)})")
    if query.due and query.due not in DUE_FILTERS:
        raise ValueError(f"unknown due filter {query.due!r} (use today or overdue)")
    shape = (dialect, tuple(esc for _, esc in words), query.deck_id is not None,
             bool(query.kind), query.state or "", query.due or "", query.leech,
             query.reported)
    # A profile that does not exist lists nothing (the caller then says why); the
    # test is one lookup by key per search, which saves a statement of its own.
    where = ["EXISTS (SELECT p.id FROM profile p WHERE p.id = :profile)"]
    if query.deck_id is not None:
        where.append("f.deck_id = :deck")
    if query.kind:
        where.append("f.kind = :kind")
    for i, (_, esc) in enumerate(words):
        escape = " ESCAPE '\\'" if esc else ""
        if is_sqlite(dialect):
            where.append(_sqlite_match(f":w{i}", escape))
        else:
            where.append("(" + " OR ".join(f"lower(f.{c}) LIKE :w{i}{escape}"
                                           for c in _TEXT_COLUMNS) + ")")
    # Listed: the facts studied and those held back (a teacher fixes them), not the
    # facts a newer version of their deck removed. Tested after the words (SQLite
    # 3.40 tests the terms in this order: a scan reads the two columns of a match only).
    where.append("(f.retired = FALSE OR f.hold IS NOT NULL)")
    cards = "f.id IN (SELECT x.fact_id FROM card x WHERE x.profile_id = :profile AND {})"
    if query.state:
        where.append(cards.format({
            "new": "x.suspended = :no AND x.state = 0",
            "learning": "x.suspended = :no AND x.state IN (1, 3)",
            "review": "x.suspended = :no AND x.state = 2",
            "suspended": "x.suspended = :yes",
        }[query.state]))
    if query.due:
        where.append(cards.format("x.suspended = :no AND x.state IN (1, 2, 3) "
                                  "AND x.due < :due_before"))
    if query.leech:
        where.append(cards.format("x.lapses >= :leech"))
    if query.reported:
        where.append("f.id IN (SELECT q.fact_id FROM question_report q "
                     "WHERE q.profile_id = :profile)")
    return shape, " AND ".join(where)


def _today_bounds(collection: Database, profile_id: int, now: datetime
                  ) -> tuple[datetime, datetime]:
    rollover_hour, timezone = profile_day(collection, profile_id)
    today = study_day(now, rollover_hour, timezone)
    return (day_start(today, rollover_hour, timezone),
            day_start(today + 1, rollover_hour, timezone))


def _search_params(collection: Database, profile_id: int, query: SearchQuery, now: datetime,
                   words: list[tuple[str, bool]]) -> dict[str, Any]:
    params: dict[str, Any] = {"no": False, "yes": True, "profile": profile_id,
                              "deck": query.deck_id, "kind": query.kind,
                              "leech": LEECH_LAPSES}
    params.update({f"w{i}": pattern for i, (pattern, _) in enumerate(words)})
    if query.due:
        start, end = _today_bounds(collection, profile_id, now)
        params["due_before"] = end if query.due == "today" else start
    return params


def search_fact_ids(collection: Database, profile_id: int, query: SearchQuery, now: datetime,
                    *, limit: int | None = None) -> list[int]:
    """The row ids of the facts matching ``query``, in list order (deck name, deck order):
    one statement that returns ids only."""
    dialect = collection.engine.dialect.name
    words = like_words(query.text)
    shape, where = _search_where(query, words, dialect)
    key = ("ids", limit is not None, *shape)
    stmt = _search_sql.get(key)
    if stmt is None:
        # SQLite would put the deck table outside a join and scan every fact
        # once per deck; the deck's name is looked up by key for each match
        # instead, so the facts are scanned once.
        deck_name = ("(SELECT d.name FROM deck d WHERE d.id = f.deck_id)"
                     if is_sqlite(dialect) else "d.name")
        join = "" if is_sqlite(dialect) else " JOIN deck d ON d.id = f.deck_id"
        stmt = PlainSql(
            f"SELECT f.id FROM fact f{join} WHERE {where} "
            f"ORDER BY {deck_name}, f.deck_id, f.position, f.id"
            + (" LIMIT :limit" if limit is not None else ""))
        _search_sql[key] = stmt
    params = _search_params(collection, profile_id, query, now, words)
    params["limit"] = limit
    ids = [int(row[0]) for row in stmt.rows(collection, params)]
    if not ids and not query.due:  # (a due filter has read the profile's day already)
        profile_day(collection, profile_id)  # an unknown profile is refused
    return ids


def count_facts(collection: Database, profile_id: int, query: SearchQuery,
                now: datetime) -> int:
    """How many facts :func:`search_fact_ids` would list."""
    dialect = collection.engine.dialect.name
    words = like_words(query.text)
    shape, where = _search_where(query, words, dialect)
    key = ("count", *shape)
    stmt = _search_sql.get(key)
    if stmt is None:
        stmt = PlainSql(f"SELECT count(*) FROM fact f WHERE {where}")
        _search_sql[key] = stmt
    params = _search_params(collection, profile_id, query, now, words)
    found = int(stmt.rows(collection, params)[0][0])
    if not found and not query.due:
        profile_day(collection, profile_id)  # an unknown profile is refused
    return found


_FACT_BY_KEY = PlainSql("SELECT id FROM fact WHERE deck_id = :deck AND key = :key "
                        "AND (retired = :no OR hold IS NOT NULL)")


def find_fact_row_id(collection: Database, deck_id: int, key: str) -> int | None:
    """The row id of a deck's listed fact (studied or held back) with this key, if any."""
    found = _FACT_BY_KEY.rows(collection, {"deck": deck_id, "key": key, "no": False})
    return int(found[0][0]) if found else None


SUMMARY_PAGE = 50  # facts whose details the Browse screen fetches at a time
_CHUNKS = (SUMMARY_PAGE, 100, 250, 500)  # IN-list sizes summary_rows pads to


def _summary_statement(size: int, sqlite: bool) -> PlainSql:
    stmt = _summary_sql.get((size, sqlite))
    if stmt is None:
        ids = ", ".join(f":id{i}" for i in range(size))
        # One card (memory) per fact (ux_card_profile_fact), so a plain join
        # reads it: no grouping. The last answer is looked up only for a fact
        # whose memory is stable enough to count as mastered (the only case its
        # level needs it): the first entry of a backward range of that card's
        # answers in ix_review_card_cover. Whether a fact is listed is read as a
        # column and tested by the caller (in the WHERE clause, the statement
        # took half as long again on SQLite). On SQLite the deck's name is
        # looked up by key for each fact: joined, the deck table went outside
        # and the list of ids was probed once per deck. A fact's reports are
        # found by fact (a few per fact), never by profile (``+``: every report
        # the learner made, once per fact).
        deck_name = "(SELECT d.name FROM deck d WHERE d.id = f.deck_id)" if sqlite else "d.name"
        join = "" if sqlite else "JOIN deck d ON d.id = f.deck_id"
        stmt = PlainSql(f"""
SELECT f.id, f.key, f.deck_id, {deck_name}, f.kind, f.text, f.front, f.stem, f.speaker, f.name,
       f.role, f.back,
       c.state,
       CASE WHEN c.suspended THEN 1 ELSE 0 END,
       CASE WHEN c.reps > 0 THEN c.family END,
       CASE WHEN c.state <> 0 AND c.suspended = :no THEN c.due END,
       coalesce(c.reps, 0),
       coalesce(c.lapses, 0),
       CASE WHEN c.suspended THEN 1 ELSE 0 END,
       c.stability,
       CASE WHEN c.stability >= :mastered THEN (
           SELECT r.correct FROM review r
           WHERE r.profile_id = :profile AND r.card_id = c.id
             AND r.kind IN (:k_study, :k_test, :k_overrule)
             AND NOT EXISTS (SELECT x.cancels_id FROM review x WHERE x.cancels_id = r.id)
           ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1) END,
       (SELECT count(*) FROM question_report q
        WHERE q.fact_id = f.id AND +q.profile_id = :profile),
       f.hold, f.hold_reasons, f.retired
FROM fact f {join}
LEFT JOIN card c ON c.fact_id = f.id AND c.profile_id = :profile
WHERE f.id IN ({ids})
""")
        _summary_sql[(size, sqlite)] = stmt
    return stmt


def summary_rows(collection: Database, profile_id: int, fact_row_ids: Sequence[int]
                 ) -> list[tuple[Any, ...]]:
    """One row per listed fact of ``fact_row_ids`` (distinct ids; studied or held back, not
    retired), in no order.

    Each row: id, key, deck id, deck name, kind, text, front, stem, speaker,
    name, role, back; its card's state, whether it is suspended and the family
    it was last asked in (None before its first answer); the due time if it
    is studied and not suspended; reps, lapses, suspended cards (0 or 1); its
    memory's stability; whether the last answer was right (read only when that
    stability makes the fact mastered); the profile's reports of its
    questions; why the fact is held back from study (``pending``, ``no_form``;
    None: it is studied) and the JSON list of reasons.
    """
    wanted = list(fact_row_ids)
    base = {"no": False, "profile": profile_id,
            "mastered": MASTERED_STABILITY_DAYS, "k_study": ANSWER_KINDS[0],
            "k_test": ANSWER_KINDS[1], "k_overrule": ANSWER_KINDS[2]}
    largest = _CHUNKS[-1]
    sqlite = is_sqlite(collection.engine.dialect.name)
    rows: list[tuple[Any, ...]] = []
    for at in range(0, len(wanted), largest):
        chunk = wanted[at:at + largest]
        size = next(n for n in _CHUNKS if n >= len(chunk))
        params = dict(base)
        params.update({f"id{i}": fid for i, fid in enumerate(_padded(chunk, size))})
        # The last column, retired, leaves out a fact a newer deck removed
        # (unless it is held back); hold is the third column from the end.
        rows.extend(row[:-1] for row in _summary_statement(size, sqlite).rows(collection, params)
                    if not row[-1] or row[-3] is not None)
    return rows


# --------------------------------------------------------------------------
# Labels of facts by deck name and key


_LABEL_CHUNKS = (1, 4, 16, 64, 500)
_labels_sql: dict[tuple[int, int], PlainSql] = {}


def _padded(values: Sequence[Any], size: int) -> list[Any]:
    """``values`` repeated at the end up to ``size`` (a repeat changes no IN list)."""
    return list(values) + [values[-1]] * (size - len(values))


def _labels_statement(n_decks: int, n_keys: int) -> PlainSql:
    stmt = _labels_sql.get((n_decks, n_keys))
    if stmt is None:
        names = ", ".join(f":d{i}" for i in range(n_decks))
        keys = ", ".join(f":k{i}" for i in range(n_keys))
        stmt = PlainSql(
            "SELECT d.name, f.key, f.kind, f.text, f.front, f.name, f.counts, f.event, f.role "
            "FROM deck d JOIN fact f ON f.deck_id = d.id "
            f"WHERE d.name IN ({names}) AND f.key IN ({keys})")
        _labels_sql[(n_decks, n_keys)] = stmt
    return stmt


def label_rows(collection: Database, decks: Sequence[str], keys: Sequence[str]
               ) -> list[tuple[Any, ...]]:
    """(deck name, key, kind, text, front, name, counts, event, role) of every fact
    whose deck is named in ``decks`` and whose key is in ``keys``."""
    rows: list[tuple[Any, ...]] = []
    # Decks by name (a small table), then their facts through the (deck, key) index.
    step = _LABEL_CHUNKS[-1]
    for d_at in range(0, len(decks), step):
        some_decks = decks[d_at:d_at + step]
        n_decks = next(n for n in _LABEL_CHUNKS if n >= len(some_decks))
        for k_at in range(0, len(keys), step):
            some_keys = keys[k_at:k_at + step]
            n_keys = next(n for n in _LABEL_CHUNKS if n >= len(some_keys))
            params: dict[str, Any] = {}
            params.update({f"d{i}": v for i, v in enumerate(_padded(some_decks, n_decks))})
            params.update({f"k{i}": v for i, v in enumerate(_padded(some_keys, n_keys))})
            rows.extend(_labels_statement(n_decks, n_keys).rows(collection, params))
    return rows


# --------------------------------------------------------------------------
# Cards and history


def card_rows(collection: Database, profile_id: int, fact_row_id: int
              ) -> list[tuple[Any, ...]]:
    """The profile's card of one fact (one memory per fact; none before the profile has
    cards of its deck): (id, family last asked, state, suspended, due, stability,
    difficulty, reps, lapses, reported forms as JSON)."""
    c = card_table
    stmt = (sa_select(c.c.id, c.c.family, c.c.state, c.c.suspended, c.c.due, c.c.stability,
                      c.c.difficulty, c.c.reps, c.c.lapses, c.c.reported_forms)
            .where(c.c.profile_id == profile_id, c.c.fact_id == fact_row_id)
            .order_by(c.c.id))
    with collection.session() as s:
        return [tuple(row) for row in run(s, stmt)]


def history_rows(collection: Database, profile_id: int, *, card_id: int | None = None,
                 fact_row_id: int | None = None, limit: int = 500) -> list[tuple[Any, ...]]:
    """The review log of one card or of every card of a fact, newest first: (id, card id,
    family, time, study day, kind, form, prompt, given, correct, verdict, rating,
    response ms, cancelled)."""
    r = review_table.alias("r")
    c = card_table.alias("c")
    stmt = (sa_select(r.c.id, r.c.card_id, c.c.family, r.c.reviewed_at, r.c.study_day,
                      r.c.kind, r.c.form, r.c.prompt, r.c.given, r.c.correct, r.c.verdict,
                      r.c.rating, r.c.response_ms, is_cancelled(r))
            .select_from(r.join(c, c.c.id == r.c.card_id))
            .where(r.c.profile_id == profile_id)
            .order_by(r.c.reviewed_at.desc(), r.c.id.desc())
            .limit(limit))
    if card_id is not None:
        stmt = stmt.where(r.c.card_id == card_id)
    if fact_row_id is not None:
        stmt = stmt.where(c.c.fact_id == fact_row_id)
    with collection.session() as s:
        return [tuple(row) for row in run(s, stmt)]


def set_suspended(collection: Database, profile_id: int, card_ids: Sequence[int],
                  suspended: bool) -> int:
    """Suspend or unsuspend cards of a profile (one transaction); returns how many changed."""
    if not card_ids:
        return 0
    with transaction(collection.engine) as s:
        return writer.suspend_cards(s, profile_id, card_ids, suspended)


# --------------------------------------------------------------------------
# Retention over time


# Effective study answers to cards in Review, per study day: an overrule counts
# as the answer it cancels (its kind is that row's); undone and overruled rows
# are left out with one NOT IN list of the cancelled ids. "In Review before the
# answer" is the column before_state (schema 10; before, the state JSON's first
# 11 characters), which ix_review_day_cover holds, so the pass reads that index
# (profile, study day, kind, right, state before) like quizapp.storage.stats'
# pass per day. Named, the index filters on kind before the row is read, so
# only study answers and overrules are fetched.
_IN_REVIEW = int(CardStateKind.REVIEW)
_RETENTION_SQL = """
SELECT r.study_day, count(*), sum(CASE WHEN r.correct THEN 1 ELSE 0 END)
FROM review r {by_day}
WHERE r.profile_id = :profile AND r.study_day >= :first AND r.study_day <= :today
  AND r.kind IN (:study, :overrule)
  AND r.before_state = :in_review
  AND r.id NOT IN (SELECT x.cancels_id FROM review x WHERE x.cancels_id IS NOT NULL)
  AND (r.kind = :study OR (SELECT o.kind FROM review o WHERE o.id = r.cancels_id) = :study)
GROUP BY r.study_day
"""
_RETENTION = PlainSql(_RETENTION_SQL.format(by_day="INDEXED BY ix_review_day_cover"))
_RETENTION_OTHER = PlainSql(_RETENTION_SQL.format(by_day=""))


def retention_rows(collection: Database, profile_id: int, first: int, today: int
                   ) -> list[tuple[Any, ...]]:
    """(study day, answers, right answers) per study day from ``first`` to ``today``:
    effective study answers to cards that were in Review, practice tests left out."""
    statement = _RETENTION if is_sqlite(collection.engine.dialect.name) else _RETENTION_OTHER
    return statement.rows(collection, {
        "profile": profile_id, "first": first, "today": today, "study": KIND_STUDY,
        "overrule": KIND_OVERRULE, "in_review": _IN_REVIEW})


# --------------------------------------------------------------------------
# Deleting decks


def classes_a_delete_retires(collection: Database) -> list[str] | None:
    """The classes whose deck lists a delete by this connection's role would change.

    None where a delete removes the deck outright (SQLite, or the database's
    owner); a teacher's classes on a classroom server; empty for anyone else.
    """
    with collection.session() as s:
        return repo.classes_retiring_decks(s)


def delete_deck(collection: Database, deck_id: int, now: datetime | None = None) -> str:
    """Delete a stored deck with its facts, cards, reviews and per-profile options.

    Returns ``"deleted"``. In a classroom on PostgreSQL only the owner of the
    tables deletes a deck outright (every class loses it); a teacher's delete
    retires it for the classes they teach instead and returns ``"retired"``:
    it leaves those classes' deck lists and is not studied there, while every
    card and answer is kept and other classes keep the deck. Anyone else gets
    a PermissionError and nothing changes.
    """
    with transaction(collection.engine) as s:
        if s.get(DeckRow, deck_id) is None:
            raise repo.NotFoundError(f"no deck {deck_id}")
        classes = repo.classes_retiring_decks(s)
        if classes is None:
            repo.delete_deck(s, deck_id)
            return "deleted"
        if not classes:
            raise PermissionError("only the database's owner or a class's teacher may "
                                  "remove a deck")
        repo.retire_deck(s, deck_id, classes, now)
        return "retired"
