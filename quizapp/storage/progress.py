"""The statements behind progress files and whole-profile files.

Two files read and write these rows (:mod:`quizapp.services.progress` and
:mod:`quizapp.services.profile_file`); this module holds their SQL:

- for a **progress file**, per-deck figures of one profile, each a ``GROUP BY``
  in the database: answers, practice-test answers, true retention, time
  studied (:func:`per_deck_answers`), the most-missed facts, the reported
  questions and the days studied;
- for a **profile file**, every row of one profile as plain column values
  (:func:`read_profile_rows`), the description of each table's columns that
  the file is checked against (:func:`column_specs`), and the import: decks
  and facts (:func:`import_decks`), the profile and its overrides
  (:func:`add_imported_profile`), and the bulk inserts of its cards, study
  sessions, reviews and question reports (:func:`insert_imported_history`).

Only effective answers count (:func:`counted_answers`): cancelled rows, undo
rows and overruled answers are left out, an overrule counts as the answer it
replaces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Result, case, func, insert
from sqlalchemy import select as sa_select
from sqlalchemy.sql.expression import FromClause
from sqlmodel import Session, SQLModel, select

from quizapp.facts.model import MediaFile
from quizapp.scheduling import CardStateKind
from quizapp.storage import repository as repo
from quizapp.storage import writer
from quizapp.storage.memories import merged_card, replay_memories
from quizapp.storage.models import (
    CardRow,
    DeckRow,
    FactRow,
    ProfileDeckRow,
    ProfileRow,
    QuestionReportRow,
    ReviewRow,
    SourceRow,
    StudySessionRow,
    UTCDateTime,
)
from quizapp.storage.repository import FIRST_FAMILY
from quizapp.storage.reviewlog import card_table, fact_table, review_table, run
from quizapp.storage.reviews import (
    KIND_STUDY,
    KIND_TEST,
    answer_kind,
    is_effective,
    state_before_is,
)
from quizapp.storage.reviewstate import AFTER_COLUMNS, BEFORE_COLUMNS, state_of_row

__all__ = [
    "ColumnSpec",
    "ProfilePlan",
    "ProfileRows",
    "add_imported_profile",
    "column_specs",
    "counted_answers",
    "deck_keys",
    "delete_empty_profile",
    "find_profile",
    "import_decks",
    "insert_imported_history",
    "most_missed",
    "per_deck_answers",
    "profile_clock",
    "read_profile_rows",
    "reported_questions",
    "study_days",
]

deck_table = DeckRow.__table__  # type: ignore[attr-defined]
session_table = StudySessionRow.__table__  # type: ignore[attr-defined]
report_table = QuestionReportRow.__table__  # type: ignore[attr-defined]


def counted_answers(r: FromClause) -> ColumnElement[bool]:
    """The review rows that count as answers: effective ones (here and in storage/classroom.py)."""
    return is_effective(r)


# --------------------------------------------------------------------------
# Progress file


def profile_clock(s: Session, profile_id: int) -> tuple[str, int, str | None]:
    """A profile's name, rollover hour and time zone (NotFoundError without it)."""
    profile = s.get(ProfileRow, profile_id)
    if profile is None:
        raise repo.NotFoundError(f"no profile {profile_id}")
    return profile.name, profile.rollover_hour, profile.timezone


def deck_keys(s: Session) -> dict[int, tuple[str, str]]:
    """Every deck's id → (key, name)."""
    return {d.id: (d.key, d.name) for d in repo.list_decks(s) if d.id is not None}


def per_deck_answers(s: Session, profile_id: int, today: int, retention_days: int,
                     cap_ms: int) -> dict[int, dict[str, int]]:
    """Per deck: answers, test answers and test right answers, true retention, time.

    True retention reads study answers to review cards over the last
    ``retention_days`` study days up to ``today``. Time (``ms``) adds up
    every answer given (study or test, undone ones too), each capped at
    ``cap_ms``.
    """
    r, o = review_table.alias("r"), review_table.alias("o")
    c = card_table.alias("c")
    kind = answer_kind(r, o)

    def count_if(cond: Any) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    in_retention = (kind == KIND_STUDY) & state_before_is(r, CardStateKind.REVIEW) & (
        r.c.study_day > today - retention_days)
    stmt = (
        sa_select(c.c.deck_id,
                  count_if(kind == KIND_STUDY),
                  count_if(kind == KIND_TEST),
                  count_if((kind == KIND_TEST) & (r.c.correct == True)),  # noqa: E712
                  count_if(in_retention),
                  count_if(in_retention & (r.c.correct == True)))  # noqa: E712
        .select_from(r.outerjoin(o, o.c.id == r.c.cancels_id).join(c, c.c.id == r.c.card_id))
        .where(r.c.profile_id == profile_id, counted_answers(r))
        .group_by(c.c.deck_id)
    )
    out: dict[int, dict[str, int]] = {}
    for deck_id, study, tests, tests_right, ret_n, ret_right in run(s, stmt):
        out[int(deck_id)] = {"answers": int(study), "test_answers": int(tests),
                             "test_correct": int(tests_right), "retention_reviews": int(ret_n),
                             "retention_correct": int(ret_right), "ms": 0}
    # Time: every answer given (study or test, undone ones too), capped per answer.
    r2 = review_table.alias("r2")
    capped = case((r2.c.response_ms > cap_ms, cap_ms), else_=r2.c.response_ms)
    stmt2 = (
        sa_select(c.c.deck_id, func.coalesce(func.sum(capped), 0))
        .select_from(r2.join(c, c.c.id == r2.c.card_id))
        .where(r2.c.profile_id == profile_id, r2.c.kind.in_((KIND_STUDY, KIND_TEST)),
               r2.c.response_ms.is_not(None))
        .group_by(c.c.deck_id)
    )
    for deck_id, ms in run(s, stmt2):
        entry = out.setdefault(int(deck_id), {"answers": 0, "test_answers": 0,
                                              "test_correct": 0, "retention_reviews": 0,
                                              "retention_correct": 0, "ms": 0})
        entry["ms"] = int(ms)
    return out


def most_missed(s: Session, profile_id: int, limit: int) -> list[tuple[Any, ...]]:
    """The ``limit`` facts missed most (then by key), as rows of

    (deck id, fact key, kind, text, event, stem, counts, speaker, name, role,
    front, misses, answers).
    """
    r, c, f = review_table.alias("r"), card_table.alias("c"), fact_table.alias("f")
    misses = func.coalesce(func.sum(case((r.c.correct == False, 1), else_=0)), 0)  # noqa: E712
    stmt = (
        sa_select(f.c.deck_id, f.c.key, f.c.kind, f.c.text, f.c.event, f.c.stem, f.c.counts,
                  f.c.speaker, f.c.name, f.c.role, f.c.front, misses, func.count())
        .select_from(r.join(c, c.c.id == r.c.card_id).join(f, f.c.id == c.c.fact_id))
        .where(r.c.profile_id == profile_id, counted_answers(r))
        .group_by(f.c.id, f.c.deck_id, f.c.key, f.c.kind, f.c.text, f.c.event, f.c.stem,
                  f.c.counts, f.c.speaker, f.c.name, f.c.role, f.c.front)
        .having(misses > 0)
        .order_by(misses.desc(), f.c.key)
        .limit(limit)
    )
    return [tuple(row) for row in run(s, stmt)]


def reported_questions(s: Session, profile_id: int) -> list[tuple[Any, ...]]:
    """The profile's question reports, oldest first, as rows of

    (deck id, fact key, form, prompt, reason, created at).
    """
    stmt = (
        sa_select(FactRow.deck_id, FactRow.key, QuestionReportRow.form,  # type: ignore[call-overload]
                  QuestionReportRow.prompt, QuestionReportRow.reason,
                  QuestionReportRow.created_at)
        .join(FactRow, FactRow.id == QuestionReportRow.fact_id)
        .where(QuestionReportRow.profile_id == profile_id)
        .order_by(QuestionReportRow.created_at, QuestionReportRow.id)
    )
    return [tuple(row) for row in s.exec(stmt)]


def study_days(s: Session, profile_id: int) -> int:
    """How many distinct study days hold an answer of the profile."""
    stmt = (sa_select(func.count(func.distinct(review_table.c.study_day)))
            .where(review_table.c.profile_id == profile_id, counted_answers(review_table)))
    return int(run(s, stmt).one()[0])


# --------------------------------------------------------------------------
# Profile file: reading every row of one profile


def _columns(model: type[SQLModel]) -> list[Any]:
    return list(model.__table__.columns)  # type: ignore[attr-defined]


def _values_of(row: SQLModel) -> dict[str, Any]:
    """Every column's value of an ORM row, in the table's column order."""
    return {col.name: getattr(row, col.name) for col in _columns(type(row))}


#: The profile file's names of a review row's two card states, kept as JSON text
#: (:meth:`CardState.to_json`) as before schema 10 stored them in these columns.
FILE_STATES = (("state_before", BEFORE_COLUMNS), ("state_after", AFTER_COLUMNS))
_STATE_COLUMNS = frozenset(BEFORE_COLUMNS + AFTER_COLUMNS)


def _review_file_values(row: ReviewRow) -> dict[str, Any]:
    """A review row's values as a profile file holds them: each card state as one JSON
    text (None: no state) where its columns are, the other columns as they are."""
    out: dict[str, Any] = {}
    for col in _columns(ReviewRow):
        if col.name == BEFORE_COLUMNS[0]:
            for name, columns in FILE_STATES:
                state = state_of_row(row, columns)
                out[name] = None if state is None else state.to_json()
        elif col.name not in _STATE_COLUMNS:
            out[col.name] = getattr(row, col.name)
    return out


@dataclass(frozen=True, slots=True)
class ProfileRows:
    """Every row of one profile, and the decks it has cards in, as column values by name.

    ``facts`` and ``decks`` hold every fact and deck by id; ``sources`` the
    sources of the decks the profile has cards in (by deck id, by id);
    ``cards``, ``sessions``, ``reviews`` and ``reports`` are by id.
    """

    profile: dict[str, Any]
    decks: dict[int, dict[str, Any]]
    facts: dict[int, dict[str, Any]]
    sources: dict[int, list[dict[str, Any]]]
    cards: list[dict[str, Any]]
    sessions: list[dict[str, Any]]
    reviews: list[dict[str, Any]]
    reports: list[dict[str, Any]]
    overrides: list[dict[str, Any]]


def read_profile_rows(s: Session, profile_id: int) -> ProfileRows:
    """Everything of one profile (NotFoundError without it)."""
    profile = s.get(ProfileRow, profile_id)
    if profile is None:
        raise repo.NotFoundError(f"no profile {profile_id}")
    facts = {f.id: _values_of(f) for f in s.exec(select(FactRow)) if f.id is not None}
    decks = {d.id: _values_of(d) for d in s.exec(select(DeckRow)) if d.id is not None}
    cards = list(s.exec(select(CardRow).where(CardRow.profile_id == profile_id)
                        .order_by(CardRow.id)))  # type: ignore[arg-type]
    sources = {
        deck_id: [_values_of(src) for src in s.exec(
            select(SourceRow).where(SourceRow.deck_id == deck_id)
            .order_by(SourceRow.id))]  # type: ignore[arg-type]
        for deck_id in sorted({c.deck_id for c in cards})
    }
    sessions = s.exec(select(StudySessionRow).where(StudySessionRow.profile_id == profile_id)
                      .order_by(StudySessionRow.id))  # type: ignore[arg-type]
    reviews = s.exec(select(ReviewRow).where(ReviewRow.profile_id == profile_id)
                     .order_by(ReviewRow.id))  # type: ignore[arg-type]
    reports = s.exec(select(QuestionReportRow)
                     .where(QuestionReportRow.profile_id == profile_id)
                     .order_by(QuestionReportRow.id))  # type: ignore[arg-type]
    overrides = s.exec(select(ProfileDeckRow).where(ProfileDeckRow.profile_id == profile_id))
    return ProfileRows(
        profile=_values_of(profile), decks=decks, facts=facts, sources=sources,
        cards=[_values_of(c) for c in cards],
        sessions=[_values_of(x) for x in sessions],
        reviews=[_review_file_values(r) for r in reviews],
        reports=[_values_of(x) for x in reports],
        overrides=[_values_of(o) for o in overrides],
    )


# --------------------------------------------------------------------------
# Profile file: importing


_MODELS: dict[str, type[SQLModel]] = {
    str(m.__tablename__): m
    for m in (ProfileRow, ProfileDeckRow, DeckRow, SourceRow, FactRow, CardRow,
              StudySessionRow, ReviewRow, QuestionReportRow)
}


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """What a file's value for one column must be.

    ``kind`` is ``time`` (an aware UTC time), ``bool``, ``int``, ``float``,
    ``str``, ``state`` (a review's card state as :meth:`CardState.to_json`
    text, stored in its columns) or ``other`` (taken as it is); ``required``:
    the row cannot be made without it (no default, not nullable).
    """

    name: str
    kind: str
    required: bool


def _kind(col: Any) -> str:
    if isinstance(col.type, UTCDateTime):
        return "time"
    try:
        py = col.type.python_type
    except NotImplementedError:  # pragma: no cover - every column has one
        return "other"
    names: dict[type, str] = {bool: "bool", int: "int", float: "float", str: "str"}
    return names.get(py, "other")


def column_specs(table: str) -> list[ColumnSpec]:
    """The columns of ``table`` (one of the profile file's tables), in order."""
    model = _MODELS[table]
    specs: list[ColumnSpec] = []
    for col in _columns(model):
        if model is ReviewRow and col.name == BEFORE_COLUMNS[0]:
            specs.extend(ColumnSpec(name, "state", False) for name, _ in FILE_STATES)
        elif model is not ReviewRow or col.name not in _STATE_COLUMNS:
            required = not col.nullable and model.model_fields[col.name].is_required()
            specs.append(ColumnSpec(col.name, _kind(col), required))
    return specs


def _full_row(model: type[SQLModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values with the model's defaults filled in (for Core inserts)."""
    row = model(**values)
    return {c.name: getattr(row, c.name) for c in _columns(model) if c.name != "id"}


def _many(s: Session, stmt: Any, rows: Sequence[Mapping[str, Any]]) -> Result[Any]:
    """Execute ``stmt`` for many parameter sets (ORM bulk insert or update by primary key)."""
    result: Result[Any] = s.exec(stmt, params=list(rows))
    return result


#: (deck key, fact key, family) of a card in a profile file. Since schema 6 a card is
#: (profile, fact) and ``family`` the family it was last asked in; files written
#: before have a card per family.
CardRef = tuple[str, str, str]


@dataclass(slots=True)
class ProfilePlan:
    """A checked profile file, ready to store: column values by name, rows mapped by keys.

    ``decks``: (deck values, source values, [(source key or None, fact values)]);
    ``cards``: (card reference, card values); ``sessions``: (file id, values);
    ``reviews``: (file id, card reference, file session id or None, file id of
    the review it cancels or None, values); ``reports``: (card reference, values).
    ``replay``: the file was written before one memory per fact (schema 6):
    its cards of one fact are merged into one and the memory is replayed from
    its answers, as the schema upgrade does.
    """

    profile: dict[str, Any]
    overrides: list[tuple[str, dict[str, Any]]]
    decks: list[tuple[dict[str, Any], list[dict[str, Any]], list[tuple[str | None,
                                                                       dict[str, Any]]]]]
    cards: list[tuple[CardRef, dict[str, Any]]]
    sessions: list[tuple[int, dict[str, Any]]]
    reviews: list[tuple[int, CardRef, int | None, int | None, dict[str, Any]]]
    reports: list[tuple[CardRef, dict[str, Any]]]
    replay: bool = False
    #: The decks' media files (pictures, sounds) by deck key, checked.
    media: dict[str, list[MediaFile]] = field(default_factory=dict)


def find_profile(s: Session, name: str) -> tuple[int, bool] | None:
    """The profile named ``name``: (its id, whether it has any history); None without it."""
    existing = repo.find_profile_by_name(s, name)
    if existing is None:
        return None
    assert existing.id is not None
    return existing.id, _has_history(s, existing.id)


def _has_history(s: Session, profile_id: int) -> bool:
    for table in (review_table, session_table, report_table):
        q = sa_select(table.c.id).where(table.c.profile_id == profile_id).limit(1)
        if run(s, q).first() is not None:
            return True
    return False


def delete_empty_profile(s: Session, profile_id: int) -> None:
    """Delete a profile (one without history, to make way for an imported one)."""
    existing = s.get(ProfileRow, profile_id)
    repo.delete_profile(s, profile_id)
    if existing is not None:
        s.expunge(existing)
    s.flush()


def import_decks(s: Session, plan: ProfilePlan) -> tuple[int, int, dict[tuple[str, str], int],
                                                         dict[str, int]]:
    """Add the file's decks (or their missing facts); map (deck, fact) keys to row ids.

    Returns (decks added, facts added, fact ids by (deck key, fact key), deck
    ids by key). Facts missing from a deck that is here are added retired, at
    the end of the deck, so their history is kept without changing what
    others study.
    """
    decks_added = facts_added = 0
    fact_ids: dict[tuple[str, str], int] = {}
    deck_ids: dict[str, int] = {}
    for values, sources, facts in plan.decks:
        key = str(values["key"])
        row = s.exec(select(DeckRow).where(DeckRow.key == key)).first()
        new_deck = row is None
        if row is None:
            row = DeckRow(**values)
            s.add(row)
            s.flush()
            decks_added += 1
        assert row.id is not None
        deck_id = row.id
        deck_ids[key] = deck_id
        source_ids = {src.key: src.id for src in s.exec(select(SourceRow).where(
            SourceRow.deck_id == deck_id))}
        for src in sources:
            if src.get("key") not in source_ids:
                srow = SourceRow(**{**src, "deck_id": deck_id})
                s.add(srow)
                s.flush()
                source_ids[srow.key] = srow.id
        if plan.media.get(key):
            repo.lock_deck(s, deck_id)  # no orphan clean-up of this deck meanwhile
            stored_media = repo.media_sizes(s, deck_id)  # a file here already stays as it is
            repo.store_media(s, deck_id, [m for m in plan.media[key]
                                          if m.name not in stored_media])
        have = repo.fact_ids_by_key(s, deck_id)
        position = int(run(s, sa_select(func.max(fact_table.c.position)).where(
            fact_table.c.deck_id == deck_id)).scalar() or 0)
        rows = []
        for source, fvalues in facts:
            if fvalues["key"] in have:
                continue
            extra: dict[str, Any] = {"deck_id": deck_id,
                                     "source_id": source_ids.get(source) if source else None}
            if not new_deck:  # history kept; what others study is not changed
                position += 1
                extra.update(retired=True, position=position)
            rows.append(_full_row(FactRow, {**fvalues, **extra}))
        if rows:
            _many(s, insert(FactRow), rows)
            facts_added += len(rows)
        s.flush()
        for fkey, fid in repo.fact_ids_by_key(s, deck_id).items():
            fact_ids[(key, fkey)] = fid
    return decks_added, facts_added, fact_ids, deck_ids


def add_imported_profile(s: Session, values: Mapping[str, Any],
                         overrides: Sequence[tuple[str, Mapping[str, Any]]],
                         deck_ids: Mapping[str, int]) -> int:
    """Add the profile (cards for every deck, as for any profile) and its deck overrides."""
    profile = ProfileRow(**values)
    s.add(profile)
    s.flush()
    assert profile.id is not None
    pid = profile.id
    all_profiles = [p for p in s.exec(select(ProfileRow.id)) if p is not None]
    repo.create_missing_cards(s, all_profiles)
    for deck_key, override in overrides:
        if deck_key in deck_ids:
            s.add(ProfileDeckRow(**{**override, "profile_id": pid,
                                    "deck_id": deck_ids[deck_key]}))
    return pid


def insert_imported_history(s: Session, pid: int, plan: ProfilePlan,
                            fact_ids: Mapping[tuple[str, str], int],
                            deck_ids: Mapping[str, int]) -> None:
    """Write an imported profile's cards, study sessions, reviews and question reports.

    The cards (made with the profile) take the file's states; a card of a
    retired fact, which no profile gets by itself, is made first. Sessions
    and reviews are bulk inserts in file order; each review's ``cancels_id``
    and ``session_id`` are mapped from the file's ids to the new rows' ids.
    """
    card_ids = _import_cards(s, pid, plan, fact_ids, deck_ids)

    def card_of(ref: CardRef) -> int:
        return card_ids[(ref[0], ref[1])]

    session_map: dict[int, int] = {}
    if plan.sessions:
        new = writer.insert_study_sessions(s, [{**v, "profile_id": pid} for _, v in plan.sessions])
        session_map = {old: int(n) for (old, _), n in zip(plan.sessions, new, strict=True)}
    review_map: dict[int, int] = {}
    if plan.reviews:
        new = writer.insert_reviews(s, [
            {**v, "profile_id": pid, "card_id": card_of(ref),
             "session_id": session_map.get(sess) if sess is not None else None}
            for _, ref, sess, _, v in plan.reviews])
        review_map = {rid: int(n) for (rid, *_), n in zip(plan.reviews, new, strict=True)}
        writer.link_cancels(s, [(review_map[rid], review_map[cancels])
                                for rid, _, _, cancels, _ in plan.reviews if cancels is not None])
    for ref, v in plan.reports:
        card = s.get(CardRow, card_of(ref))
        assert card is not None
        s.add(QuestionReportRow(**{**v, "profile_id": pid, "card_id": card_of(ref),
                                   "fact_id": card.fact_id}))
    s.flush()
    if plan.replay:
        replay_memories(s.connection(), pid)


def _import_cards(s: Session, pid: int, plan: ProfilePlan,
                  fact_ids: Mapping[tuple[str, str], int],
                  deck_ids: Mapping[str, int]) -> dict[tuple[str, str], int]:
    """Give the new profile's cards the file's states; return card ids by (deck, fact) key.

    One card per fact: the cards of a file written before schema 6 (one per
    family) are merged as the upgrade merges them (:func:`merged_card`; the
    memory is replayed once the answers are in).
    """
    def cards_by_fact() -> dict[int, int]:
        return {int(fid): int(cid) for cid, fid in s.exec(
            sa_select(CardRow.id, CardRow.fact_id)  # type: ignore[call-overload]
            .where(CardRow.profile_id == pid))}

    have = cards_by_fact()
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for ref, values in plan.cards:
        grouped.setdefault((ref[0], ref[1]), []).append(values)
    missing = [{"profile_id": pid, "fact_id": fact_ids[key], "deck_id": deck_ids[key[0]],
                "family": FIRST_FAMILY, "state": 0}
               for key in grouped if fact_ids[key] not in have]  # retired facts: no card yet
    if missing:
        writer.insert_cards(s, missing)
        have = cards_by_fact()
    out: dict[tuple[str, str], int] = {}
    updates = []
    for key, cards in grouped.items():
        cid = have[fact_ids[key]]
        out[key] = cid
        values = dict(cards[0])
        if plan.replay:
            values.update(merged_card(cards))
        updates.append({"id": cid, **values})
    writer.update_cards(s, updates)
    return out
