"""All queries that read and write decks, facts, profiles and cards.

Callers pass a short-lived :class:`sqlmodel.Session`; the functions here never
commit unless their name says so (``*_and_commit``), so one unit of work can
span several calls and commit once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, update
from sqlmodel import Session, select

from quizapp.facts.model import Deck, DeckOptions, Fact, FactKind, Source
from quizapp.storage.models import (
    CardRow,
    DeckRow,
    FactRow,
    ProfileRow,
    SourceRow,
    utc_now,
)

FAMILIES: tuple[str, ...] = ("recognise", "recall")
DEFAULT_PROFILE = "Student"


class NotFoundError(LookupError):
    """A deck, profile or card that the caller named does not exist."""


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What storing a deck changed."""

    deck_id: int
    added: int
    updated: int
    retired: int
    cards_created: int


# --------------------------------------------------------------------------
# Facts <-> rows


def fact_values(fact: Fact) -> dict[str, Any]:
    """The fact's columns (without deck, source and position)."""
    return {
        "key": fact.id,
        "kind": fact.kind.value,
        "text": fact.text,
        "start": fact.start,
        "end": fact.end,
        "sentence": fact.sentence,
        "sentence_start": fact.sentence_start,
        "stem": fact.stem,
        "event": fact.event,
        "value_text": fact.value if isinstance(fact.value, str) else None,
        "value_num": float(fact.value) if isinstance(fact.value, int | float) else None,
        "unit": fact.unit,
        "counts": fact.counts,
        "qualifier": fact.qualifier,
        "speaker": fact.speaker,
        "role": fact.role,
        "reported": fact.reported,
        "name": fact.name,
        "roles": json.dumps(list(fact.roles), ensure_ascii=False),
        "front": fact.front,
        "back": fact.back,
        "tags": json.dumps(list(fact.tags), ensure_ascii=False),
    }


def row_to_fact(row: FactRow, source_key: str | None) -> Fact:
    """Rebuild the plain :class:`Fact` from its row."""
    kind = FactKind(row.kind)
    value: str | float | None = row.value_text if kind is FactKind.DATE else row.value_num
    return Fact(
        id=row.key,
        kind=kind,
        source_id=source_key,
        text=row.text,
        start=row.start,
        end=row.end,
        sentence=row.sentence,
        sentence_start=row.sentence_start,
        stem=row.stem,
        event=row.event,
        value=value,
        unit=row.unit,
        counts=row.counts,
        qualifier=row.qualifier,
        speaker=row.speaker,
        role=row.role,
        reported=row.reported,
        name=row.name,
        roles=tuple(json.loads(row.roles or "[]")),
        front=row.front,
        back=row.back,
        tags=tuple(json.loads(row.tags or "[]")),
    )


# --------------------------------------------------------------------------
# Decks


def find_deck(session: Session, key_or_id: str | int) -> DeckRow | None:
    """A stored deck by its stable key, its name or its numeric id."""
    if isinstance(key_or_id, int) or (isinstance(key_or_id, str) and key_or_id.isdigit()):
        row = session.get(DeckRow, int(key_or_id))
        if row is not None:
            return row
    key = str(key_or_id)
    row = session.exec(select(DeckRow).where(DeckRow.key == key)).first()
    if row is None:
        row = session.exec(select(DeckRow).where(DeckRow.name == key)).first()
    return row  # type: ignore[no-any-return]


def find_deck_by_key(session: Session, key: str) -> DeckRow | None:
    """A stored deck by its stable key only (as :func:`store_deck` matches decks)."""
    return session.exec(select(DeckRow).where(DeckRow.key == key)).first()


def list_decks(session: Session) -> list[DeckRow]:
    """Every stored deck, by name."""
    return list(session.exec(select(DeckRow).order_by(DeckRow.name)))


def store_deck(session: Session, deck: Deck, now: datetime | None = None) -> StoreResult:
    """Add a deck or update the stored deck with the same id, keeping progress.

    Facts are matched by their stable id: kept facts keep their cards and
    history, new facts get cards for every profile, and facts no longer in the
    deck are retired (hidden from study, history kept), never deleted.
    """
    now = now or utc_now()
    deck_row = session.exec(select(DeckRow).where(DeckRow.key == deck.id)).first()
    if deck_row is None:
        deck_row = DeckRow(
            key=deck.id,
            name=deck.name,
            description=deck.description,
            number_tolerance=deck.options.number_tolerance,
            created_at=now,
            updated_at=now,
        )
        session.add(deck_row)
    else:
        deck_row.name = deck.name
        deck_row.description = deck.description
        deck_row.number_tolerance = deck.options.number_tolerance
        deck_row.updated_at = now
    session.flush()
    assert deck_row.id is not None
    deck_id = deck_row.id

    source_ids: dict[str, int] = {}
    existing_sources = {
        s.key: s
        for s in session.exec(select(SourceRow).where(SourceRow.deck_id == deck_id))  # type: ignore[call-overload]
    }
    for src in deck.sources:
        srow = existing_sources.get(src.id)
        values = {
            "title": src.title,
            "text": src.text,
            "published": src.published,
            "file": src.file,
            "url": src.url,
            "author": src.author,
            "licence": src.licence,
        }
        if srow is None:
            srow = SourceRow(deck_id=deck_id, key=src.id, **values)
            session.add(srow)
        else:
            for k, v in values.items():
                setattr(srow, k, v)
        session.flush()
        assert srow.id is not None
        source_ids[src.id] = srow.id

    existing = {
        key: (fid, retired)
        for fid, key, retired in session.exec(
            select(FactRow.id, FactRow.key, FactRow.retired).where(FactRow.deck_id == deck_id)
        )
    }
    new_rows: list[dict[str, Any]] = []
    changed_rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for position, fact in enumerate(deck.facts):
        seen.add(fact.id)
        values = fact_values(fact)
        values.update(
            deck_id=deck_id,
            position=position,
            retired=False,
            source_id=source_ids.get(fact.source_id) if fact.source_id else None,
        )
        if fact.id in existing:
            fid, _ = existing[fact.id]
            changed_rows.append({"id": fid, **values})
        else:
            new_rows.append(values)
    if changed_rows:  # one executemany: ORM bulk UPDATE by primary key
        session.exec(update(FactRow), params=changed_rows)
    if new_rows:
        session.exec(insert(FactRow), params=new_rows)
    retire = [fid for key, (fid, retired) in existing.items() if key not in seen and not retired]
    if retire:
        session.exec(update(FactRow).where(FactRow.id.in_(retire)).values(retired=True))  # type: ignore[union-attr]
    session.flush()
    profile_ids = [p for p in session.exec(select(ProfileRow.id)) if p is not None]
    created = create_missing_cards(session, profile_ids, deck_id)
    return StoreResult(deck_id, len(new_rows), len(changed_rows), len(retire), created)


def create_missing_cards(
    session: Session, profile_ids: Iterable[int], deck_id: int | None = None
) -> int:
    """Create the (profile, fact, family) cards that do not exist yet; return how many."""
    profile_ids = list(profile_ids)
    if not profile_ids:
        return 0
    q = select(FactRow.id, FactRow.deck_id).where(FactRow.retired == False)  # noqa: E712
    if deck_id is not None:
        q = q.where(FactRow.deck_id == deck_id)
    facts = session.exec(q).all()
    have = (
        set(
            session.exec(
                select(CardRow.profile_id, CardRow.fact_id, CardRow.family).where(
                    CardRow.profile_id.in_(profile_ids)  # type: ignore[attr-defined]
                )
            ).all()
        )
        if facts
        else set()
    )
    rows = [
        {"profile_id": p, "fact_id": fid, "deck_id": did, "family": fam, "state": 0}
        for p in profile_ids
        for fid, did in facts
        for fam in FAMILIES
        if (p, fid, fam) not in have
    ]
    if rows:
        session.exec(insert(CardRow), params=rows)
    return len(rows)


def load_deck(session: Session, key_or_id: str | int, *, include_retired: bool = False) -> Deck:
    """The stored deck as a plain :class:`Deck` (NotFoundError if absent)."""
    row = find_deck(session, key_or_id)
    if row is None:
        raise NotFoundError(f"no deck named {key_or_id!r}")
    assert row.id is not None
    sources = list(
        session.exec(select(SourceRow).where(SourceRow.deck_id == row.id).order_by(SourceRow.id))  # type: ignore[call-overload]
    )
    source_key = {s.id: s.key for s in sources}
    q = select(FactRow).where(FactRow.deck_id == row.id)
    if not include_retired:
        q = q.where(FactRow.retired == False)  # noqa: E712
    facts = [
        row_to_fact(f, source_key.get(f.source_id))
        for f in session.exec(q.order_by(FactRow.position, FactRow.id))
    ]
    return Deck(
        id=row.key,
        name=row.name,
        description=row.description,
        sources=tuple(
            Source(
                id=s.key,
                title=s.title,
                text=s.text,
                published=s.published,
                file=s.file,
                url=s.url,
                author=s.author,
                licence=s.licence,
            )
            for s in sources
        ),
        facts=tuple(facts),
        options=DeckOptions(number_tolerance=row.number_tolerance),
    )


def fact_ids_by_key(session: Session, deck_id: int) -> dict[str, int]:
    """Map a deck's fact keys to their row ids."""
    return {
        k: i
        for i, k in session.exec(select(FactRow.id, FactRow.key).where(FactRow.deck_id == deck_id))
    }


def delete_deck(session: Session, deck_id: int) -> None:
    """Delete a deck with its facts, cards and their reviews."""
    from quizapp.storage.models import QuestionReportRow, ReviewRow

    card_ids = select(CardRow.id).where(CardRow.deck_id == deck_id)
    # Undo rows point at the rows they cancel: drop the pointers first.
    session.exec(update(ReviewRow).where(ReviewRow.card_id.in_(card_ids)).values(cancels_id=None))  # type: ignore[attr-defined]
    session.exec(ReviewRow.__table__.delete().where(ReviewRow.card_id.in_(card_ids)))  # type: ignore[attr-defined]
    session.exec(
        QuestionReportRow.__table__.delete().where(QuestionReportRow.card_id.in_(card_ids))
    )  # type: ignore[attr-defined]
    session.exec(CardRow.__table__.delete().where(CardRow.deck_id == deck_id))  # type: ignore[attr-defined]
    session.exec(FactRow.__table__.delete().where(FactRow.deck_id == deck_id))  # type: ignore[attr-defined]
    session.exec(SourceRow.__table__.delete().where(SourceRow.deck_id == deck_id))  # type: ignore[attr-defined]
    session.exec(DeckRow.__table__.delete().where(DeckRow.id == deck_id))  # type: ignore[attr-defined]


# --------------------------------------------------------------------------
# Profiles


def list_profiles(session: Session) -> list[ProfileRow]:
    """Every profile, oldest first."""
    return list(session.exec(select(ProfileRow).order_by(ProfileRow.id)))


def find_profile(session: Session, name_or_id: str | int) -> ProfileRow | None:
    """A profile by name or numeric id."""
    if isinstance(name_or_id, int) or str(name_or_id).isdigit():
        row = session.get(ProfileRow, int(name_or_id))
        if row is not None:
            return row
    return session.exec(select(ProfileRow).where(ProfileRow.name == str(name_or_id))).first()


def create_profile(session: Session, name: str, now: datetime | None = None) -> ProfileRow:
    """A new learner with cards for every stored deck."""
    name = name.strip()
    if not name:
        raise ValueError("a profile needs a name")
    if find_profile_by_name(session, name) is not None:
        raise ValueError(f"a profile named {name!r} exists already")
    row = ProfileRow(name=name, created_at=now or utc_now())
    session.add(row)
    session.flush()
    assert row.id is not None
    create_missing_cards(session, [row.id])
    return row


def find_profile_by_name(session: Session, name: str) -> ProfileRow | None:
    """A profile by exact name."""
    return session.exec(select(ProfileRow).where(ProfileRow.name == name)).first()


def rename_profile(session: Session, profile_id: int, new_name: str) -> None:
    """Rename a profile (names are unique)."""
    new_name = new_name.strip()
    if not new_name:
        raise ValueError("a profile needs a name")
    other = find_profile_by_name(session, new_name)
    if other is not None and other.id != profile_id:
        raise ValueError(f"a profile named {new_name!r} exists already")
    row = session.get(ProfileRow, profile_id)
    if row is None:
        raise NotFoundError(f"no profile {profile_id}")
    row.name = new_name


def delete_profile(session: Session, profile_id: int) -> None:
    """Delete a profile with its cards, reviews, sessions and reports."""
    from quizapp.storage.models import (
        ProfileDeckRow,
        QuestionReportRow,
        ReviewRow,
        StudySessionRow,
    )

    session.exec(
        update(ReviewRow).where(ReviewRow.profile_id == profile_id).values(cancels_id=None)
    )
    for table in (ReviewRow, QuestionReportRow, CardRow, StudySessionRow, ProfileDeckRow):
        session.exec(table.__table__.delete().where(table.profile_id == profile_id))  # type: ignore[attr-defined]
    session.exec(ProfileRow.__table__.delete().where(ProfileRow.id == profile_id))  # type: ignore[attr-defined]


def count_rows(session: Session, table: type[Any]) -> int:
    """How many rows a table holds."""
    return int(session.exec(select(func.count()).select_from(table)).one())


def card_counts(
    session: Session, profile_id: int, deck_ids: Sequence[int] | None = None
) -> dict[int, dict[str, int]]:
    """Cards per deck by state: {'new', 'learning', 'review', 'suspended', 'total'}."""
    q = (
        select(CardRow.deck_id, CardRow.state, CardRow.suspended, func.count())
        .join(FactRow, FactRow.id == CardRow.fact_id)
        .where(CardRow.profile_id == profile_id, FactRow.retired == False)  # noqa: E712
        .group_by(CardRow.deck_id, CardRow.state, CardRow.suspended)
    )
    if deck_ids is not None:
        q = q.where(CardRow.deck_id.in_(list(deck_ids)))  # type: ignore[attr-defined]
    out: dict[int, dict[str, int]] = {}
    for deck_id, state, suspended, n in session.exec(q):
        c = out.setdefault(
            deck_id, {"new": 0, "learning": 0, "review": 0, "suspended": 0, "total": 0}
        )
        c["total"] += n
        if suspended:
            c["suspended"] += n
        elif state == 0:
            c["new"] += n
        elif state in (1, 3):
            c["learning"] += n
        else:
            c["review"] += n
    return out


def stored_card_ids(
    session: Session, deck_key: str, profile_id: int | None
) -> dict[tuple[str, str], str]:
    """Map (fact key, family) to the stored card id of one profile for a deck."""
    deck = find_deck(session, deck_key)
    if deck is None or profile_id is None:
        return {}
    rows = session.exec(
        select(FactRow.key, CardRow.family, CardRow.id)
        .join(CardRow, CardRow.fact_id == FactRow.id)
        .where(FactRow.deck_id == deck.id, CardRow.profile_id == profile_id)
    )
    return {(key, fam): str(cid) for key, fam, cid in rows}
