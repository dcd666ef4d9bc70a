"""Browsing and authoring: search facts and their cards, read histories, edit decks.

Qt-free reads and edits for the GUI's Browse, Reader and Progress screens (and
any other front end): plain values in, plain values out. The statements are
:mod:`quizapp.storage.browse`'s (one short read or transaction per call); this
module holds the values the screens show and turns the rows into them.

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

from quizapp.facts.deckfile import FORMAT_VERSION, DeckFileError, Problem, parse_deck_text
from quizapp.facts.model import HOLD_PENDING, Deck, DeckOptions, Fact, FactKind, Source
from quizapp.scheduling import (
    LEECH_LAPSES,
    MASTERED_STABILITY_DAYS,
    CardStateKind,
    day_date,
    study_day,
)
from quizapp.storage import browse as sql
from quizapp.storage.browse import (
    DUE_FILTERS,
    STATES,
    SUMMARY_PAGE,
    classes_a_delete_retires,
    delete_deck,
    find_fact_row_id,
    set_suspended,
)
from quizapp.storage.counts import profile_day
from quizapp.storage.models import as_utc

if TYPE_CHECKING:
    from quizapp.services.collection import Collection

__all__ = [
    "DUE_FILTERS",
    "STATES",
    "SUMMARY_PAGE",
    "CardSummary",
    "FactQuery",
    "FactSummary",
    "HistoryEntry",
    "KnowledgeLevel",
    "check_deck_header",
    "check_fact_edit",
    "check_new_source",
    "classes_a_delete_retires",
    "count_facts",
    "deck_toml",
    "delete_deck",
    "fact_cards",
    "fact_fields",
    "fact_labels",
    "fact_summaries",
    "find_fact_row_id",
    "knowledge_levels",
    "number_text",
    "retention_over_time",
    "review_history",
    "search_fact_ids",
    "search_facts",
    "set_suspended",
    "slug",
    "source_fields",
]

_STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}


class KnowledgeLevel(StrEnum):
    """How well a learner knows a fact, from their cards (the reader's colours)."""

    NEW = "new"  # never answered
    LEARNING = "learning"  # answered, not yet in Review
    KNOWN = "known"  # a card is in Review state
    MASTERED = "mastered"  # memory stability ≥ 21 days and the last answer was right
    LEECH = "leech"  # the fact lapsed 8 times or more


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
    state: str  # its card's state: new, learning, review, relearning, suspended ("": no card)
    asked_as: str  # the family it was last asked in: recognise, recall ("": never answered)
    due: datetime | None  # the earliest due of its studied, unsuspended cards
    reviews: int
    lapses: int
    suspended: int  # 1 when its card is suspended
    reports: int
    level: KnowledgeLevel
    #: Why the fact is held back from study ("pending": waiting for a teacher's check,
    #: "no_form": no question can ask it; "": it is studied), and the reason shown.
    held: str = ""
    held_reason: str = ""


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


def search_fact_ids(collection: Collection, profile_id: int, query: FactQuery, now: datetime,
                    *, limit: int | None = None) -> list[int]:
    """The row ids of the facts matching ``query``, in list order (deck name, deck order).

    This is the cheap half of a search: one statement that returns ids only.
    A list screen shows the count at once and fetches the details of the rows
    it shows with :func:`fact_summaries`, page by page.
    """
    return sql.search_fact_ids(collection, profile_id, query, now, limit=limit)


def count_facts(collection: Collection, profile_id: int, query: FactQuery,
                now: datetime) -> int:
    """How many facts :func:`search_facts` would list."""
    return sql.count_facts(collection, profile_id, query, now)


def fact_summaries(collection: Collection, profile_id: int,
                   fact_row_ids: Sequence[int]) -> list[FactSummary]:
    """The browser's rows for these facts, in the order given.

    Ids of facts no search lists any more (retired since, or deleted) are left out.
    """
    wanted = list(dict.fromkeys(int(i) for i in fact_row_ids))
    found: dict[int, FactSummary] = {}
    for row in sql.summary_rows(collection, profile_id, wanted):
        summary = _summary(row)
        found[summary.fact_row_id] = summary
    return [found[i] for i in wanted if i in found]


def _summary(row: Sequence[Any]) -> FactSummary:
    """One row of :func:`quizapp.storage.browse.summary_rows` as the browser lists it.

    Written out (no helper calls per row): the first page of every search
    builds 50 of these.
    """
    (fid, key, deck_id, deck_name, kind, text, front, stem, speaker, name, role, back,
     card_state, card_susp, asked_as, due, reps, lapses, suspended, stability,
     last_right, reports, hold, hold_reasons) = row
    lapses = int(lapses)
    detail = (back if kind == FactKind.QA else speaker if kind == FactKind.QUOTE
              else role if kind == FactKind.PERSON else stem)
    if hold:  # held back from study: its card (if any) is not asked
        state = "held " + hold
        reason = "; ".join(str(r) for r in json.loads(hold_reasons)) if hold_reasons else ""
    else:
        reason = ""
        state = ("" if card_state is None else "suspended" if card_susp
                 else _STATE_NAMES.get(int(card_state), "review"))
    if lapses >= LEECH_LAPSES:
        level = KnowledgeLevel.LEECH
    elif stability is not None and stability >= MASTERED_STABILITY_DAYS and last_right:
        level = KnowledgeLevel.MASTERED
    elif card_state == CardStateKind.REVIEW:
        level = KnowledgeLevel.KNOWN
    elif card_state is not None and card_state != CardStateKind.NEW:
        level = KnowledgeLevel.LEARNING
    else:
        level = KnowledgeLevel.NEW
    return FactSummary(
        int(fid), key, int(deck_id), deck_name, kind, text or front or name or "",
        detail or "", state, asked_as or "",
        None if due is None else as_utc(due), int(reps), lapses, int(suspended),
        int(reports or 0), level, hold or "", reason)


def search_facts(collection: Collection, profile_id: int, query: FactQuery, now: datetime,
                 *, limit: int | None = None) -> list[FactSummary]:
    """The facts matching ``query``, by deck and deck order, with the profile's cards.

    :func:`search_fact_ids` and then :func:`fact_summaries` of every id; a
    screen that shows a page at a time calls those two itself.
    """
    ids = search_fact_ids(collection, profile_id, query, now, limit=limit)
    return fact_summaries(collection, profile_id, ids)


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
    rows = sql.label_rows(collection, decks, keys)
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
    """The profile's card of one fact (its one memory), as a list (empty: no card)."""
    rows = sql.card_rows(collection, profile_id, fact_row_id)
    return [CardSummary(int(cid), fam, _STATE_NAMES.get(int(st), "review"), bool(susp),
                        as_utc(due), stab, diff, int(reps), int(lapses),
                        tuple(json.loads(forms or "[]")))
            for cid, fam, st, susp, due, stab, diff, reps, lapses, forms in rows]


def review_history(collection: Collection, profile_id: int, *, card_id: int | None = None,
                   fact_row_id: int | None = None, limit: int = 500) -> list[HistoryEntry]:
    """The review log of one card or of every card of a fact, newest first."""
    rows = sql.history_rows(collection, profile_id, card_id=card_id, fact_row_id=fact_row_id,
                            limit=limit)
    out = []
    for (rid, cid, fam, at, day, kind, form, prompt, given, correct, verdict, rating, ms,
         cancelled) in rows:
        when = as_utc(at)
        assert when is not None
        out.append(HistoryEntry(int(rid), int(cid), fam, when, int(day), kind, form, prompt,
                                given, None if correct is None else bool(correct), verdict,
                                rating, ms, bool(cancelled)))
    return out


# --------------------------------------------------------------------------
# Retention over time


def retention_over_time(collection: Collection, profile_id: int, now: datetime, *,
                        weeks: int = 26) -> list[dict[str, Any]]:
    """True retention per week (oldest first), from study answers to cards in Review.

    Each entry: ``{"study_day", "date", "reviews", "correct", "rate"}`` where
    ``study_day`` is the week's first day and ``rate`` is None in a week
    without reviews. Weeks end on today's study day. Read like
    :func:`quizapp.storage.stats.profile_stats`' retention: effective answers only,
    practice tests left out.
    """
    rollover_hour, timezone = profile_day(collection, profile_id)
    today = study_day(now, rollover_hour, timezone)
    first = today - 7 * weeks + 1
    counts: dict[int, tuple[int, int]] = {}
    for day, n, ok in sql.retention_rows(collection, profile_id, first, today):
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
    if fact.media:
        out["media"] = list(fact.media)
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


def _media_names(deck: Deck) -> set[str]:
    """The names of the media files the deck's facts show (stored in the database)."""
    return {name for fact in deck.facts for name in fact.media} | {m.name for m in deck.media}


def _keep_sources(checked: Deck, original: Deck) -> Deck:
    """The checked deck with the stored sources (file names and all) where unchanged,
    and its facts pending a teacher's check still pending (with their reasons).

    A deck file has no place for a fact's hold: the check through the loader
    drops it. A pending fact stays pending through any edit here (the review
    screen is where a teacher accepts it); whether a fact has a question form
    is found again when the deck is stored.
    """
    by_id = {s.id: s for s in original.sources}
    sources = tuple(by_id.get(s.id, s) if by_id.get(s.id, s).text == s.text else s
                    for s in checked.sources)
    pending = {f.id: f.reasons for f in original.facts if f.hold == HOLD_PENDING}
    facts = checked.facts
    if pending:
        facts = tuple(dataclasses.replace(f, hold=HOLD_PENDING, reasons=pending[f.id])
                      if f.id in pending else f for f in facts)
    return dataclasses.replace(checked, sources=sources, facts=facts)


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
    return _keep_sources(parse_deck_text(text, _file_for(deck.id),
                                         known_media=_media_names(deck)), deck)


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
        checked = parse_deck_text(text, file, known_media=_media_names(deck))
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
