"""Browsing and authoring: search facts and their cards, read histories, edit decks.

Qt-free queries for the GUI's Browse, Reader and Progress screens (and any
other front end): plain values in, plain values out, one short session per
call.

- :func:`search_facts` finds the facts of one profile's decks by free text
  (fact text, stem, speaker, name, front, back) and filters on their cards
  (state, due, leech, reported), one row per fact with both cards' states
  and the learner's :class:`KnowledgeLevel` of it.
- :func:`fact_cards` and :func:`review_history` give a fact's cards and its
  review log (cancelled rows flagged, never hidden: the log is shown as it is).
- :func:`retention_over_time` is true retention per week, read the way
  :mod:`quizapp.storage.stats` reads the log.
- Deck editing goes through the deck loader's own validation: the edited deck
  is rendered back to deck-file TOML (:func:`deck_toml`) and parsed with
  :func:`quizapp.facts.deckfile.parse_deck_text`, so a teacher sees exactly the
  messages an import of the same file would give. Valid decks are stored with
  :meth:`Collection.import_deck`, which keeps progress by stable fact id.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, update
from sqlalchemy import select as sa_select

from quizapp.facts.deckfile import FORMAT_VERSION, DeckFileError, Problem, parse_deck_text
from quizapp.facts.model import Deck, DeckOptions, Fact, FactKind, Source
from quizapp.plainsql import PlainSql
from quizapp.scheduling import (
    LEECH_LAPSES,
    MASTERED_STABILITY_DAYS,
    CardStateKind,
    day_date,
    day_start,
    study_day,
)
from quizapp.scheduling.reviewlog import (
    ANSWER_KINDS,
    KIND_OVERRULE,
    KIND_STUDY,
    card_table,
    is_cancelled,
    review_table,
    run,
)
from quizapp.scheduling.state import state_prefix
from quizapp.storage import repository as repo
from quizapp.storage.models import (
    STATE_BEFORE_PREFIX,
    CardRow,
    DeckRow,
    QuestionReportRow,
    as_utc,
    spelled,
)

if TYPE_CHECKING:
    from quizapp.collection import Collection

deck_table = DeckRow.__table__  # type: ignore[attr-defined]
report_table = QuestionReportRow.__table__  # type: ignore[attr-defined]

STATES: tuple[str, ...] = ("new", "learning", "review", "suspended")
DUE_FILTERS: tuple[str, ...] = ("today", "overdue")
_STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}


class KnowledgeLevel(StrEnum):
    """How well a learner knows a fact, from their cards (the reader's colours)."""

    NEW = "new"  # never answered
    LEARNING = "learning"  # answered, not yet in Review
    KNOWN = "known"  # a card is in Review state
    MASTERED = "mastered"  # recall stability ≥ 21 days and the last answer was right
    LEECH = "leech"  # a card lapsed 8 times or more


@dataclass(frozen=True, slots=True)
class FactQuery:
    """What to look for: free text and card filters (empty fields filter nothing).

    ``state``: new, learning (includes relearning), review or suspended: the
    fact has a card in that state (new, learning and review count unsuspended
    cards only). ``due``: today (a studied card falls due before the study day
    ends) or overdue (it fell due before the study day began). ``leech``: a card
    has 8 or more lapses. ``reported``: the learner reported one of its questions.
    """

    text: str = ""
    deck_id: int | None = None
    kind: str | None = None
    state: str | None = None
    due: str | None = None
    leech: bool = False
    reported: bool = False


@dataclass(frozen=True, slots=True)
class FactSummary:
    """One fact as the browser lists it, with its cards for one profile."""

    fact_row_id: int
    key: str
    deck_id: int
    deck_name: str
    kind: str
    text: str  # the fact's words, or a Q/A note's front
    detail: str  # its question stem, speaker, role or back
    recognise: str  # the recognise card's state: new, learning, review, relearning, suspended
    recall: str
    due: datetime | None  # the earliest due of its studied, unsuspended cards
    reviews: int
    lapses: int
    suspended: int  # how many of its cards are suspended
    reports: int
    level: KnowledgeLevel


@dataclass(frozen=True, slots=True)
class CardSummary:
    """One card of a fact, with its scheduling state."""

    card_id: int
    family: str
    state: str  # new, learning, review, relearning
    suspended: bool
    due: datetime | None
    stability: float | None
    difficulty: float | None
    reps: int
    lapses: int
    reported_forms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One row of the review log, as recorded."""

    review_id: int
    card_id: int
    family: str
    reviewed_at: datetime
    study_day: int
    kind: str  # study, test, undo, overrule
    form: str | None
    prompt: str | None
    given: str | None
    correct: bool | None
    verdict: str | None
    rating: int | None
    response_ms: int | None
    cancelled: bool  # a later undo (or overrule) cancels this row


# --------------------------------------------------------------------------
# Search


SUMMARY_PAGE = 50  # facts whose details the Browse screen fetches at a time
_CHUNKS = (SUMMARY_PAGE, 100, 250, 500)  # IN-list sizes fact_summaries pads to
_TEXT_COLUMNS = ("text", "stem", "speaker", "name", "front", "back")
_search_sql: dict[tuple[Any, ...], PlainSql] = {}
_summary_sql: dict[int, PlainSql] = {}


def _words(text: str) -> list[tuple[str, bool]]:
    """The LIKE pattern of each word of a search, and whether it needs an ESCAPE clause."""
    out = []
    for word in text.split():
        w = word.lower()
        special = any(ch in w for ch in "\\%_")
        if special:
            w = w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        out.append((f"%{w}%", special))
    return out


def _search_where(query: FactQuery, words: list[tuple[str, bool]], dialect: str
                  ) -> tuple[tuple[Any, ...], str]:
    """The shape of a search (its cache key) and its WHERE text on ``fact f``.

    Text matches a word in any of the fact's text columns. SQLite's LIKE folds
    ASCII case by itself, as its lower() does, so the columns are compared as
    stored; PostgreSQL's LIKE is case-sensitive, so there the columns are
    lowered. Card filters are uncorrelated ``f.id IN (…)`` lists, built once
    per search rather than probed per fact.
    """
    if query.state and query.state not in STATES:
        raise ValueError(f"unknown state {query.state!r} (use {', '.join(STATES)})")
    if query.due and query.due not in DUE_FILTERS:
        raise ValueError(f"unknown due filter {query.due!r} (use today or overdue)")
    shape = (dialect, tuple(esc for _, esc in words), query.deck_id is not None,
             bool(query.kind), query.state or "", query.due or "", query.leech,
             query.reported)
    where = ["f.retired = FALSE"]
    if query.deck_id is not None:
        where.append("f.deck_id = :deck")
    if query.kind:
        where.append("f.kind = :kind")
    for i, (_, esc) in enumerate(words):
        escape = " ESCAPE '\\'" if esc else ""
        cols = [f"lower(f.{c})" if dialect != "sqlite" else f"f.{c}" for c in _TEXT_COLUMNS]
        where.append("(" + " OR ".join(f"{c} LIKE :w{i}{escape}" for c in cols) + ")")
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


def _search_params(collection: Collection, profile_id: int, query: FactQuery, now: datetime,
                   words: list[tuple[str, bool]]) -> dict[str, Any]:
    params: dict[str, Any] = {"no": False, "yes": True, "profile": profile_id,
                              "deck": query.deck_id, "kind": query.kind,
                              "leech": LEECH_LAPSES}
    params.update({f"w{i}": pattern for i, (pattern, _) in enumerate(words)})
    if query.due:
        start, end = _today_bounds_plain(collection, profile_id, now)
        params["due_before"] = end if query.due == "today" else start
    return params


_PROFILE_DAY = PlainSql("SELECT rollover_hour, timezone FROM profile WHERE id = :profile")


def _today_bounds_plain(collection: Collection, profile_id: int, now: datetime
                        ) -> tuple[datetime, datetime]:
    found = _PROFILE_DAY.rows(collection, {"profile": profile_id})
    if not found:
        raise repo.NotFoundError(f"no profile {profile_id}")
    rollover_hour, timezone = found[0]
    today = study_day(now, rollover_hour, timezone)
    return (day_start(today, rollover_hour, timezone),
            day_start(today + 1, rollover_hour, timezone))


def search_fact_ids(collection: Collection, profile_id: int, query: FactQuery, now: datetime,
                    *, limit: int | None = None) -> list[int]:
    """The row ids of the facts matching ``query``, in list order (deck name, deck order).

    This is the cheap half of a search: one statement that returns ids only.
    A list screen shows the count at once and fetches the details of the rows
    it shows with :func:`fact_summaries`, page by page.
    """
    dialect = collection.engine.dialect.name
    words = _words(query.text)
    shape, where = _search_where(query, words, dialect)
    key = ("ids", limit is not None, *shape)
    stmt = _search_sql.get(key)
    if stmt is None:
        stmt = PlainSql(
            f"SELECT f.id FROM fact f JOIN deck d ON d.id = f.deck_id WHERE {where} "
            "ORDER BY d.name, f.deck_id, f.position, f.id"
            + (" LIMIT :limit" if limit is not None else ""))
        _search_sql[key] = stmt
    params = _search_params(collection, profile_id, query, now, words)
    params["limit"] = limit
    if not query.due:
        _require_profile(collection, profile_id)
    return [int(row[0]) for row in stmt.rows(collection, params)]


def _require_profile(collection: Collection, profile_id: int) -> None:
    if not _PROFILE_DAY.rows(collection, {"profile": profile_id}):
        raise repo.NotFoundError(f"no profile {profile_id}")


def count_facts(collection: Collection, profile_id: int, query: FactQuery,
                now: datetime) -> int:
    """How many facts :func:`search_facts` would list."""
    dialect = collection.engine.dialect.name
    words = _words(query.text)
    shape, where = _search_where(query, words, dialect)
    key = ("count", *shape)
    stmt = _search_sql.get(key)
    if stmt is None:
        stmt = PlainSql(f"SELECT count(*) FROM fact f WHERE {where}")
        _search_sql[key] = stmt
    if not query.due:
        _require_profile(collection, profile_id)
    params = _search_params(collection, profile_id, query, now, words)
    return int(stmt.rows(collection, params)[0][0])


_FACT_BY_KEY = PlainSql("SELECT id FROM fact WHERE deck_id = :deck AND key = :key "
                        "AND retired = :no")


def find_fact_row_id(collection: Collection, deck_id: int, key: str) -> int | None:
    """The row id of a deck's listed (not retired) fact with this key, if there is one."""
    found = _FACT_BY_KEY.rows(collection, {"deck": deck_id, "key": key, "no": False})
    return int(found[0][0]) if found else None


def _summary_statement(size: int) -> PlainSql:
    stmt = _summary_sql.get(size)
    if stmt is None:
        ids = ", ".join(f":id{i}" for i in range(size))
        # The last answer is looked up only for a fact whose recall card is
        # stable enough to count as mastered: the only case its level needs it.
        stmt = PlainSql(f"""
SELECT f.id, f.key, f.deck_id, d.name, f.kind, f.text, f.front, f.stem, f.speaker, f.name,
       f.role, f.back,
       max(CASE WHEN c.family = :rec THEN c.state END),
       max(CASE WHEN c.family = :rec THEN (CASE WHEN c.suspended THEN 1 ELSE 0 END) END),
       max(CASE WHEN c.family = :rcl THEN c.state END),
       max(CASE WHEN c.family = :rcl THEN (CASE WHEN c.suspended THEN 1 ELSE 0 END) END),
       min(CASE WHEN c.state <> 0 AND c.suspended = :no THEN c.due END),
       coalesce(sum(c.reps), 0),
       coalesce(max(c.lapses), 0),
       coalesce(sum(CASE WHEN c.suspended THEN 1 ELSE 0 END), 0),
       max(CASE WHEN c.family = :rcl THEN c.stability END),
       CASE WHEN max(CASE WHEN c.family = :rcl THEN c.stability END) >= :mastered THEN (
           SELECT r.correct FROM review r JOIN card c2 ON c2.id = r.card_id
           WHERE c2.profile_id = :profile AND c2.fact_id = f.id
             AND r.kind IN (:k_study, :k_test, :k_overrule)
             AND NOT EXISTS (SELECT x.cancels_id FROM review x WHERE x.cancels_id = r.id)
           ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1) END,
       (SELECT count(*) FROM question_report q
        WHERE q.fact_id = f.id AND q.profile_id = :profile)
FROM fact f JOIN deck d ON d.id = f.deck_id
LEFT JOIN card c ON c.fact_id = f.id AND c.profile_id = :profile
WHERE f.id IN ({ids}) AND f.retired = :no
GROUP BY f.id, d.id, d.name
""")
        _summary_sql[size] = stmt
    return stmt


def fact_summaries(collection: Collection, profile_id: int,
                   fact_row_ids: Sequence[int]) -> list[FactSummary]:
    """The browser's rows for these facts, in the order given.

    Ids of facts no search lists any more (retired since, or deleted) are left out.
    """
    wanted = list(dict.fromkeys(int(i) for i in fact_row_ids))
    found: dict[int, FactSummary] = {}
    base = {"rec": "recognise", "rcl": "recall", "no": False, "profile": profile_id,
            "mastered": MASTERED_STABILITY_DAYS, "k_study": ANSWER_KINDS[0],
            "k_test": ANSWER_KINDS[1], "k_overrule": ANSWER_KINDS[2]}
    largest = _CHUNKS[-1]
    for at in range(0, len(wanted), largest):
        chunk = wanted[at:at + largest]
        size = next(n for n in _CHUNKS if n >= len(chunk))
        padded = chunk + [chunk[-1]] * (size - len(chunk))  # repeats change no IN list
        params = dict(base)
        params.update({f"id{i}": fid for i, fid in enumerate(padded)})
        for row in _summary_statement(size).rows(collection, params):
            summary = _summary(row)
            found[summary.fact_row_id] = summary
    return [found[i] for i in wanted if i in found]


def _summary(row: Sequence[Any]) -> FactSummary:
    (fid, key, deck_id, deck_name, kind, text, front, stem, speaker, name, role, back,
     rec_state, rec_susp, rcl_state, rcl_susp, due, reps, lapses, suspended, stability,
     last_right, reports) = row
    return FactSummary(
        fact_row_id=int(fid), key=key, deck_id=int(deck_id), deck_name=deck_name,
        kind=kind, text=text or front or name or "",
        detail=_detail(kind, stem, speaker, name, role, back),
        recognise=_state_name(rec_state, rec_susp),
        recall=_state_name(rcl_state, rcl_susp),
        due=as_utc(due), reviews=int(reps), lapses=int(lapses),
        suspended=int(suspended), reports=int(reports or 0),
        level=_level(rec_state, rcl_state, int(lapses), stability, last_right),
    )


def search_facts(collection: Collection, profile_id: int, query: FactQuery, now: datetime,
                 *, limit: int | None = None) -> list[FactSummary]:
    """The facts matching ``query``, by deck and deck order, with the profile's cards.

    :func:`search_fact_ids` and then :func:`fact_summaries` of every id; a
    screen that shows a page at a time calls those two itself.
    """
    ids = search_fact_ids(collection, profile_id, query, now, limit=limit)
    return fact_summaries(collection, profile_id, ids)


def _detail(kind: str, stem: str | None, speaker: str | None, name: str | None,
            role: str | None, back: str | None) -> str:
    if kind == FactKind.QA:
        return back or ""
    if kind == FactKind.QUOTE:
        return speaker or ""
    if kind == FactKind.PERSON:
        return role or ""
    return stem or ""


def _state_name(state: int | None, suspended: int | None) -> str:
    if state is None:
        return ""
    if suspended:
        return "suspended"
    return _STATE_NAMES.get(int(state), "review")


def _level(rec_state: int | None, rcl_state: int | None, lapses: int,
           recall_stability: float | None, last_right: Any) -> KnowledgeLevel:
    if lapses >= LEECH_LAPSES:
        return KnowledgeLevel.LEECH
    if (recall_stability is not None and recall_stability >= MASTERED_STABILITY_DAYS
            and bool(last_right)):
        return KnowledgeLevel.MASTERED
    states = {int(x) for x in (rec_state, rcl_state) if x is not None}
    if CardStateKind.REVIEW in states:
        return KnowledgeLevel.KNOWN
    if states - {CardStateKind.NEW}:
        return KnowledgeLevel.LEARNING
    return KnowledgeLevel.NEW


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


def fact_labels(collection: Collection, pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Short labels for (deck name, fact key) pairs: what the fact says, in a few words.

    A number gets what it counts ("380 (vehicles)"), a date its event, a
    person their role; a quotation and a note their words. The result is keyed
    ``"<deck name>/<fact key>"``; unknown pairs are left out.
    """
    wanted = set(pairs)
    if not wanted:
        return {}
    decks = sorted({d for d, _ in wanted})
    keys = sorted({k for _, k in wanted})
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
    out = {}
    for deck, key, kind, text, front, name, counts, event, role in rows:
        if (deck, key) not in wanted:
            continue
        words = " ".join((text or front or name or key).split())
        extra = {"number": counts, "date": event, "person": role}.get(kind)
        out[f"{deck}/{key}"] = f"{words} ({' '.join(extra.split())})" if extra else words
    return out


def knowledge_levels(collection: Collection, profile_id: int, deck_id: int,
                     now: datetime) -> dict[str, KnowledgeLevel]:
    """How well the learner knows each fact of a deck, by fact key."""
    return {f.key: f.level
            for f in search_facts(collection, profile_id, FactQuery(deck_id=deck_id), now)}


# --------------------------------------------------------------------------
# Cards and history


def fact_cards(collection: Collection, profile_id: int, fact_row_id: int) -> list[CardSummary]:
    """The profile's cards of one fact, recognise first."""
    c = card_table
    stmt = (sa_select(c.c.id, c.c.family, c.c.state, c.c.suspended, c.c.due, c.c.stability,
                      c.c.difficulty, c.c.reps, c.c.lapses, c.c.reported_forms)
            .where(c.c.profile_id == profile_id, c.c.fact_id == fact_row_id)
            .order_by(case((c.c.family == "recognise", 0), else_=1), c.c.id))
    with collection.session() as s:
        rows = list(run(s, stmt))
    return [CardSummary(int(cid), fam, _STATE_NAMES.get(int(st), "review"), bool(susp),
                        as_utc(due), stab, diff, int(reps), int(lapses),
                        tuple(json.loads(forms or "[]")))
            for cid, fam, st, susp, due, stab, diff, reps, lapses, forms in rows]


def review_history(collection: Collection, profile_id: int, *, card_id: int | None = None,
                   fact_row_id: int | None = None, limit: int = 500) -> list[HistoryEntry]:
    """The review log of one card or of every card of a fact, newest first."""
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
        rows = list(run(s, stmt))
    out = []
    for (rid, cid, fam, at, day, kind, form, prompt, given, correct, verdict, rating, ms,
         cancelled) in rows:
        when = as_utc(at)
        assert when is not None
        out.append(HistoryEntry(int(rid), int(cid), fam, when, int(day), kind, form, prompt,
                                given, None if correct is None else bool(correct), verdict,
                                rating, ms, bool(cancelled)))
    return out


def set_suspended(collection: Collection, profile_id: int, card_ids: Sequence[int],
                  suspended: bool) -> int:
    """Suspend or unsuspend cards of a profile (one transaction); returns how many changed."""
    if not card_ids:
        return 0
    c = CardRow.__table__  # type: ignore[attr-defined]
    with collection.transaction() as s:
        result = s.exec(
            update(c).where(c.c.profile_id == profile_id, c.c.id.in_(list(card_ids)),
                            c.c.suspended != suspended)
            .values(suspended=suspended))
        return int(result.rowcount or 0)


# --------------------------------------------------------------------------
# Retention over time


# Effective study answers to cards in Review, per study day: an overrule counts
# as the answer it cancels (its kind is that row's); undone and overruled rows
# are left out with one NOT IN list of the cancelled ids. "In Review before the
# answer" is the state JSON's first 11 characters, spelt as schema 3's
# ix_review_day_cover has it, so the pass reads that index (profile, study day,
# kind, right, state prefix) like quizapp.storage.stats' pass per day. SQLite 3.40 does
# not count an index on an expression as covering and, with planner
# statistics, would rather read every row of the days through the narrower
# ix_review_profile_day; named, the index filters on kind before the row is
# read, so only study answers and overrules are fetched.
_IN_REVIEW = state_prefix(CardStateKind.REVIEW)
assert len(_IN_REVIEW) == 11
_RETENTION_SQL = f"""
SELECT r.study_day, count(*), sum(CASE WHEN r.correct THEN 1 ELSE 0 END)
FROM review r {{by_day}}
WHERE r.profile_id = :profile AND r.study_day >= :first AND r.study_day <= :today
  AND r.kind IN (:study, :overrule)
  AND {spelled(STATE_BEFORE_PREFIX, "r")} = :in_review
  AND r.id NOT IN (SELECT x.cancels_id FROM review x WHERE x.cancels_id IS NOT NULL)
  AND (r.kind = :study OR (SELECT o.kind FROM review o WHERE o.id = r.cancels_id) = :study)
GROUP BY r.study_day
"""
_RETENTION = {"sqlite": PlainSql(_RETENTION_SQL.format(by_day="INDEXED BY ix_review_day_cover"))}
_RETENTION_OTHER = PlainSql(_RETENTION_SQL.format(by_day=""))


def retention_over_time(collection: Collection, profile_id: int, now: datetime, *,
                        weeks: int = 26) -> list[dict[str, Any]]:
    """True retention per week (oldest first), from study answers to cards in Review.

    Each entry: ``{"study_day", "date", "reviews", "correct", "rate"}`` where
    ``study_day`` is the week's first day and ``rate`` is None in a week
    without reviews. Weeks end on today's study day. Read like
    :func:`quizapp.storage.stats.profile_stats`' retention: effective answers only,
    practice tests left out.
    """
    found = _PROFILE_DAY.rows(collection, {"profile": profile_id})
    if not found:
        raise repo.NotFoundError(f"no profile {profile_id}")
    rollover_hour, timezone = found[0]
    today = study_day(now, rollover_hour, timezone)
    first = today - 7 * weeks + 1
    counts: dict[int, tuple[int, int]] = {}
    statement = _RETENTION.get(collection.engine.dialect.name, _RETENTION_OTHER)
    for day, n, ok in statement.rows(collection, {
            "profile": profile_id, "first": first, "today": today, "study": KIND_STUDY,
            "overrule": KIND_OVERRULE,
            "in_review": _IN_REVIEW}):
        w = (int(day) - first) // 7
        had_n, had_ok = counts.get(w, (0, 0))
        counts[w] = (had_n + int(n), had_ok + int(ok or 0))
    out = []
    for w in range(weeks):
        n, ok = counts.get(w, (0, 0))
        day = first + 7 * w
        out.append({"study_day": day, "date": day_date(day).isoformat(), "reviews": n,
                    "correct": ok, "rate": ok / n if n else None})
    return out


# --------------------------------------------------------------------------
# Decks as deck-file TOML, and edits validated by the deck loader


def number_text(value: float) -> int | float:
    """A number as a deck file writes it: integral values without ".0"."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer() \
            and abs(value) < 2**53:
        return int(value)
    return value


def fact_fields(fact: Fact) -> dict[str, Any]:
    """The deck-file keys of a fact, in the order the format documents them."""
    out: dict[str, Any] = {"id": fact.id, "kind": fact.kind.value}
    if fact.source_id is not None:
        out["source"] = fact.source_id
    kind = fact.kind
    if kind is not FactKind.QA:
        out["text"] = fact.text
        if fact.start is not None and fact.end is not None:
            out["start"] = fact.start
            out["end"] = fact.end
    if kind is FactKind.DATE:
        out["value"] = fact.value
        _put(out, stem=fact.stem, event=fact.event)
    elif kind is FactKind.NUMBER:
        out["value"] = number_text(float(fact.value)) if isinstance(fact.value, int | float) \
            else fact.value
        _put(out, unit=fact.unit, counts=fact.counts, qualifier=fact.qualifier,
             stem=fact.stem, event=fact.event)
    elif kind is FactKind.QUOTE:
        _put(out, speaker=fact.speaker, role=fact.role, stem=fact.stem)
        if fact.reported:
            out["reported"] = True
    elif kind is FactKind.PERSON:
        _put(out, name=fact.name, role=fact.role, stem=fact.stem)
        if fact.roles:
            out["roles"] = list(fact.roles)
    else:
        _put(out, front=fact.front, back=fact.back)
    if fact.tags:
        out["tags"] = list(fact.tags)
    return out


def _put(out: dict[str, Any], **values: Any) -> None:
    for k, v in values.items():
        if v is not None:
            out[k] = v


def source_fields(source: Source) -> dict[str, Any]:
    """The deck-file keys of a source, with its article inline (``text``)."""
    out: dict[str, Any] = {"id": source.id, "title": source.title}
    _put(out, published=source.published, url=source.url, author=source.author,
         licence=source.licence)
    out["text"] = source.text
    return out


def deck_toml(deck: Deck, facts: Sequence[Mapping[str, Any]] | None = None,
              header: Mapping[str, Any] | None = None) -> str:
    """The deck as deck-file text (sources inline), readable by :func:`load_deck_file`.

    ``facts`` (deck-file tables) and ``header`` (top-level keys) replace the
    deck's own when given: that is how an edit is checked before it is stored.
    """
    import tomlkit

    doc = tomlkit.document()
    top: dict[str, Any] = {"format": FORMAT_VERSION, "id": deck.id, "name": deck.name}
    if deck.description:
        top["description"] = deck.description
    if deck.options.number_tolerance is not None:
        top["number_tolerance"] = deck.options.number_tolerance
    if header is not None:
        top = {"format": FORMAT_VERSION, **header}
    for k, v in top.items():
        if v is not None:
            doc.add(k, v)
    if deck.sources:
        sources = tomlkit.aot()
        for src in deck.sources:
            sources.append(tomlkit.item(source_fields(src)))
        doc.add("sources", sources)
    if deck.speakers:
        speakers = tomlkit.aot()
        for sp in deck.speakers:
            table_sp: dict[str, Any] = {"name": sp.name}
            if sp.aliases:
                table_sp["aliases"] = list(sp.aliases)
            if sp.speaks_for:
                table_sp["speaks_for"] = list(sp.speaks_for)
            speakers.append(tomlkit.item(table_sp))
        doc.add("speakers", speakers)
    tables = [fact_fields(f) for f in deck.facts] if facts is None else list(facts)
    if tables:
        aot = tomlkit.aot()
        for table in tables:
            aot.append(tomlkit.item({k: v for k, v in table.items() if v is not None}))
        doc.add("facts", aot)
    return tomlkit.dumps(doc)


def _file_for(deck_id: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.\-]", "-", deck_id) or "deck"
    return Path(f"{safe}.toml")


def _keep_sources(checked: Deck, original: Deck) -> Deck:
    """The checked deck with the stored sources (file names and all) where unchanged."""
    by_id = {s.id: s for s in original.sources}
    sources = tuple(by_id.get(s.id, s) if by_id.get(s.id, s).text == s.text else s
                    for s in checked.sources)
    return dataclasses.replace(checked, sources=sources)


def check_fact_edit(deck: Deck, table: Mapping[str, Any], *,
                    replaces: str | None = None) -> Deck:
    """The deck with one fact added or replaced, validated by the deck loader.

    ``table`` holds the fact's deck-file keys (as :func:`fact_fields` gives
    them). With ``replaces`` (a fact id) that fact is replaced in place,
    otherwise the fact is appended. Raises :class:`DeckFileError` with the
    loader's problems; nothing is stored.
    """
    tables = [fact_fields(f) for f in deck.facts]
    if replaces is None:
        tables.append(dict(table))
    else:
        index = next((i for i, f in enumerate(deck.facts) if f.id == replaces), None)
        if index is None:
            raise KeyError(replaces)
        tables[index] = dict(table)
    text = deck_toml(deck, tables)
    return _keep_sources(parse_deck_text(text, _file_for(deck.id)), deck)


def check_deck_header(deck: Deck, *, name: str, description: str = "",
                      number_tolerance: float | None = None, deck_id: str | None = None) -> Deck:
    """The deck with a new name, description or number tolerance, validated by the loader.

    A deck without facts (a new, empty deck) is checked for everything but
    its facts.
    """
    header: dict[str, Any] = {"id": deck_id if deck_id is not None else deck.id, "name": name}
    if description:
        header["description"] = description
    if number_tolerance is not None:
        header["number_tolerance"] = number_tolerance
    text = deck_toml(deck, header=header)
    file = _file_for(str(header["id"]))
    try:
        checked = parse_deck_text(text, file)
    except DeckFileError as exc:
        problems = [p for p in exc.problems if not (not deck.facts and p.field == "facts")]
        if problems:
            raise DeckFileError(problems) from None
        checked = Deck(
            id=str(header["id"]), name=name, description=description,
            sources=deck.sources, speakers=deck.speakers,
            options=DeckOptions(number_tolerance=(float(number_tolerance)
                                                  if number_tolerance is not None else None)))
    return _keep_sources(checked, deck)


def check_new_source(deck: Deck, *, source_id: str, title: str, text: str,
                     published: str | None = None) -> Deck:
    """The deck with one more article, validated by the deck loader."""
    if not text.strip():
        raise DeckFileError([Problem(str(_file_for(deck.id)), 1, "sources.text",
                                     "must not be empty")])
    source = Source(id=source_id, title=title, text=text, published=published or None)
    extended = dataclasses.replace(deck, sources=(*deck.sources, source))
    return check_deck_header(extended, name=deck.name, description=deck.description,
                             number_tolerance=deck.options.number_tolerance)


def slug(name: str) -> str:
    """A deck or source id made from a name: lower-case words joined by hyphens."""
    words = re.findall(r"[A-Za-z0-9]+", name.lower())
    return "-".join(words)[:48].strip("-") or "deck"


def classes_a_delete_retires(collection: Collection) -> list[str] | None:
    """The classes whose deck lists a delete by this connection's role would change.

    None where a delete removes the deck outright (SQLite, or the database's
    owner); a teacher's classes on a classroom server; empty for anyone else.
    """
    with collection.session() as s:
        return repo.classes_retiring_decks(s)


def delete_deck(collection: Collection, deck_id: int, now: datetime | None = None) -> str:
    """Delete a stored deck with its facts, cards, reviews and per-profile options.

    Returns ``"deleted"``. In a classroom on PostgreSQL only the owner of the
    tables deletes a deck outright (every class loses it); a teacher's delete
    retires it for the classes they teach instead and returns ``"retired"``:
    it leaves those classes' deck lists and is not studied there, while every
    card and answer is kept and other classes keep the deck. Anyone else gets
    a PermissionError and nothing changes.
    """
    with collection.transaction() as s:
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
