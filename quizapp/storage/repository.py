"""All queries that read and write decks, facts, profiles and cards.

Callers pass a short-lived :class:`sqlmodel.Session`; the functions here never
commit unless their name says so (``*_and_commit``), so one unit of work can
span several calls and commit once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from operator import itemgetter
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, func, literal, or_, text, update
from sqlalchemy import select as core_select
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlmodel import Session, col, select

from quizapp.facts.bulk import gc_paused
from quizapp.facts.model import Deck, DeckOptions, Fact, FactKind, MediaFile, Source, Speaker
from quizapp.facts.packed import PackedFacts
from quizapp.scheduling.state import CardState
from quizapp.storage.dialect import placeholder
from quizapp.storage.models import (
    CardRow,
    DeckRow,
    FactRow,
    MediaRow,
    Meta,
    ProfileRow,
    SourceRow,
    utc_now,
)

FAMILIES: tuple[str, ...] = ("recognise", "recall")
#: The family a new card starts in (``card.family``: the family last asked).
FIRST_FAMILY = "recognise"
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
# Bulk statements on the DBAPI cursor
#
# Imports write tens of thousands of fact and card rows and opening a deck
# reads them all back. Building an ORM object (or even a Core parameter dict)
# for each row costs more than the database's own work, so these paths send
# plain tuples through the driver's ``executemany`` and read plain tuples
# back, on the session's own connection and transaction. Only columns that
# need no type conversion go this way (text, numbers, booleans).


def _cursor(session: Session) -> Any:
    """A DBAPI cursor on the session's connection (inside its transaction)."""
    return session.connection().connection.cursor()


def _placeholder(session: Session) -> str:
    return placeholder(session.connection().dialect.paramstyle)


def _quote(session: Session, name: str) -> str:
    return str(session.connection().dialect.identifier_preparer.quote(name))


def _insert_sql(session: Session, table: str, columns: Sequence[str]) -> str:
    ph = _placeholder(session)
    cols = ", ".join(_quote(session, c) for c in columns)
    values = ", ".join([ph] * len(columns))
    return f"INSERT INTO {_quote(session, table)} ({cols}) VALUES ({values})"


def _update_sql(session: Session, table: str, columns: Sequence[str]) -> str:
    """``UPDATE table SET c1 = ?, ... WHERE id = ?`` (the id comes last)."""
    ph = _placeholder(session)
    sets = ", ".join(f"{_quote(session, c)} = {ph}" for c in columns)
    return f"UPDATE {_quote(session, table)} SET {sets} WHERE id = {ph}"


def _fetch_tuples(session: Session, statement: ClauseElement) -> list[tuple[Any, ...]]:
    """Every row of a Core SELECT as plain tuples, without result processing."""
    conn = session.connection()
    compiled = statement.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    assert isinstance(compiled, SQLCompiler)
    params: Any = compiled.params
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup or ())
    cursor = conn.connection.cursor()
    try:
        cursor.execute(compiled.string, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


# --------------------------------------------------------------------------
# Facts <-> rows

#: The fact columns written from a :class:`Fact` (the order of :func:`_fact_tuple`).
FACT_COLUMNS: tuple[str, ...] = (
    "key", "kind", "text", "start", "end", "sentence", "sentence_start", "stem", "event",
    "value_text", "value_num", "unit", "counts", "qualifier", "speaker", "role", "reported",
    "name", "roles", "front", "back", "tags", "media", "hold", "hold_reasons",
)  # fmt: skip
#: What storing a deck writes for each fact: the fact's columns and its place.
_STORED_COLUMNS = (*FACT_COLUMNS, "deck_id", "position", "retired", "source_id")
#: The columns :func:`load_deck` reads, in the order of :func:`_fact_from_tuple`.
_LOADED_COLUMNS = (
    "position", "id", "key", "kind", "source_id", "text", "start", "end", "sentence",
    "sentence_start", "stem", "event", "value_text", "value_num", "unit", "counts", "qualifier",
    "speaker", "role", "reported", "name", "roles", "front", "back", "tags", "media", "hold",
    "hold_reasons",
)  # fmt: skip
_KINDS = {k.value: k for k in FactKind}
_EMPTY_JSON_LIST = "[]"


_JSON = json.JSONEncoder(ensure_ascii=False)  # as json.dumps(..., ensure_ascii=False)
_json_string = json.encoder.encode_basestring  # the string encoder _JSON uses


def _json_list(items: tuple[str, ...]) -> str:
    """``json.dumps(list(items), ensure_ascii=False)``, quicker for strings."""
    if not items:
        return _EMPTY_JSON_LIST
    try:
        return "[" + ", ".join(map(_json_string, items)) + "]"
    except TypeError:  # not all strings
        return _JSON.encode(list(items))


def _json_tuple(
    text: str | None, seen: dict[str, tuple[str, ...]] | None = None
) -> tuple[str, ...]:
    """The JSON list ``text`` as a tuple; ``seen`` shares one tuple per distinct text."""
    if not text or text == _EMPTY_JSON_LIST:
        return ()
    if seen is None:
        return tuple(json.loads(text))
    found = seen.get(text)
    if found is None:
        found = seen[text] = tuple(json.loads(text))
    return found


def _fact_tuple(
    fact: Fact, deck_id: int | None = None, position: int = 0, source_id: int | None = None
) -> tuple[Any, ...]:
    """The :data:`_STORED_COLUMNS` values of a fact at ``position`` of a deck (not retired)."""
    value = fact.value
    return (
        fact.id,
        fact.kind.value,
        fact.text,
        fact.start,
        fact.end,
        fact.sentence,
        fact.sentence_start,
        fact.stem,
        fact.event,
        value if isinstance(value, str) else None,
        float(value) if isinstance(value, int | float) else None,
        fact.unit,
        fact.counts,
        fact.qualifier,
        fact.speaker,
        fact.role,
        fact.reported,
        fact.name,
        _json_list(fact.roles),
        fact.front,
        fact.back,
        _json_list(fact.tags),
        _json_list(fact.media),
        fact.hold,
        _json_list(fact.reasons) if fact.hold is not None and fact.reasons else None,
        deck_id,
        position,
        fact.hold is not None,  # a held fact is out of study (see FactRow)
        source_id,
    )


def fact_values(fact: Fact) -> dict[str, Any]:
    """The fact's columns (without deck, source and position)."""
    return dict(zip(FACT_COLUMNS, _fact_tuple(fact), strict=False))


_CHUNK_ROWS = 4096
#: Fact columns that are NULL when an INSERT leaves them out (nullable, no default).
_NULL_BY_DEFAULT = frozenset(
    c.name
    for c in FactRow.__table__.columns  # type: ignore[attr-defined]
    if c.nullable and c.default is None and c.server_default is None
)


def _insert_fact_rows(session: Session, cursor: Any, rows: Iterable[tuple[Any, ...]]) -> None:
    """INSERT rows of :data:`_STORED_COLUMNS` with ``executemany``, a chunk at a time.

    A column that is NULL in every row of a chunk (most columns of a Q/A deck)
    is left out of that chunk's statement: the database writes NULL just the
    same, and the driver binds far fewer values.
    """
    statements: dict[tuple[int, ...], str] = {}
    it = iter(rows)
    while chunk := list(islice(it, _CHUNK_ROWS)):
        by_column = list(zip(*chunk, strict=True))
        n = len(chunk)
        keep = tuple(
            i
            for i, name in enumerate(_STORED_COLUMNS)
            if name not in _NULL_BY_DEFAULT or by_column[i].count(None) != n
        )
        sql = statements.get(keep)
        if sql is None:
            sql = _insert_sql(session, "fact", [_STORED_COLUMNS[i] for i in keep])
            statements[keep] = sql
        if len(keep) < len(_STORED_COLUMNS):
            chunk = list(zip(*(by_column[i] for i in keep), strict=True))
        cursor.executemany(sql, chunk)


#: The columns of a Q/A fact kept packed (:class:`PackedFacts`) bound for each
#: fact; the others are the same for every fact (see :func:`_insert_facts`).
_QA_COLUMNS = ("position", "key", "front", "back", "tags", "media")


def fact_keys(facts: Sequence[Fact]) -> Iterable[str]:
    """The ids of ``facts`` in order (of packed facts without making each fact)."""
    if isinstance(facts, PackedFacts):
        return facts.ids()
    return (fact.id for fact in facts)


def _insert_facts(session: Session, cursor: Any, facts: Sequence[Fact],
                  positions: Iterable[int], deck_id: int, pending: bool = False,
                  source_ids: dict[str, int] | None = None) -> None:
    """INSERT the facts at ``positions`` of a deck (``pending``: hidden, see :func:`_qa_rows`).

    Packed Q/A facts go from their buffer to the INSERT's values directly
    (:data:`_QA_COLUMNS`; the values every such fact shares are written in
    the statement, as :func:`_fact_tuple` gives them, and each distinct tag
    or media list is made JSON once); others through :func:`_fact_tuple`.
    """
    if isinstance(facts, PackedFacts):
        ph = _placeholder(session)
        flag = "TRUE" if pending else "FALSE"
        sql = (
            f"INSERT INTO fact ({', '.join(_quote(session, c) for c in _QA_COLUMNS)}, "
            "kind, text, reported, roles, deck_id, retired) VALUES "
            f"({'-1 - ' if pending else ''}{ph}, {ph}, {ph}, {ph}, {ph}, {ph}, "
            f"'{FactKind.QA.value}', '', FALSE, '{_EMPTY_JSON_LIST}', {int(deck_id)}, {flag})"
        )
        tags = [_json_list(t) for t in facts.tag_lists]
        media = [*(_json_list(m) for m in facts.media_lists), _EMPTY_JSON_LIST]
        it = facts.parts(positions, tags, media)
        while chunk := list(islice(it, _CHUNK_ROWS)):
            cursor.executemany(sql, chunk)
        return

    def place(position: int) -> tuple[Any, ...]:
        fact = facts[position]
        source = source_ids.get(fact.source_id) if source_ids and fact.source_id else None
        values = _fact_tuple(fact, deck_id, -1 - position if pending else position, source)
        if pending:
            values = (*values[:_RETIRED], True, *values[_RETIRED + 1 :])
        return values

    _insert_fact_rows(session, cursor, (place(position) for position in positions))


_RETIRED = _STORED_COLUMNS.index("retired")


def _fact_from_tuple(
    r: tuple[Any, ...], source_key: dict[int, str], lists: dict[str, tuple[str, ...]]
) -> Fact:
    """A :class:`Fact` from a row of :data:`_LOADED_COLUMNS` (``lists``: :func:`_json_tuple`)."""
    kind = _KINDS[r[3]]
    source_id = r[4]
    return Fact(
        r[2],
        kind,
        source_key.get(source_id) if source_id is not None else None,
        r[5],
        r[6],
        r[7],
        r[8],
        r[9],
        r[10],
        r[11],
        r[12] if kind is FactKind.DATE else r[13],
        r[14],
        r[15],
        r[16],
        r[17],
        r[18],
        bool(r[19]),
        r[20],
        _json_tuple(r[21], lists),
        r[22],
        r[23],
        _json_tuple(r[24], lists),
        reasons=_json_tuple(r[27]) if r[26] is not None else (),
        media=_json_tuple(r[25]),
        hold=r[26],
    )


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
        roles=_json_tuple(row.roles),
        front=row.front,
        back=row.back,
        tags=_json_tuple(row.tags),
        media=_json_tuple(row.media),
        hold=row.hold,
        reasons=_json_tuple(row.hold_reasons) if row.hold is not None else (),
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
    return row


def find_deck_by_key(session: Session, key: str) -> DeckRow | None:
    """A stored deck by its stable key only (as :func:`store_deck` matches decks)."""
    return session.exec(select(DeckRow).where(DeckRow.key == key)).first()


def decks_from_source(session: Session, text: str, url: str | None = None) -> list[DeckRow]:
    """The stored decks with a source of this text (or at this address), oldest first."""
    match = col(SourceRow.text) == text
    if url:
        match = match | (col(SourceRow.url) == url)
    ids = select(SourceRow.deck_id).where(match)
    return list(session.exec(select(DeckRow).where(col(DeckRow.id).in_(ids))
                             .order_by(col(DeckRow.id))))


def list_decks(session: Session) -> list[DeckRow]:
    """Every stored deck, by name (a new deck whose import is under way is not one yet)."""
    from quizapp.storage.staged import PENDING_DECK_PREFIX

    return list(
        session.exec(
            select(DeckRow)
            .where(DeckRow.key.not_like(PENDING_DECK_PREFIX + "%"))  # type: ignore[attr-defined]
            .order_by(DeckRow.name)
        )
    )


def store_deck(session: Session, deck: Deck, now: datetime | None = None) -> StoreResult:
    """Add a deck or update the stored deck with the same id, keeping progress.

    Facts are matched by their stable id: kept facts keep their cards and
    history, new facts get cards for every profile, and facts no longer in the
    deck are retired (hidden from study, history kept), never deleted.
    """
    now = now or utc_now()
    deck_row = session.exec(select(DeckRow).where(DeckRow.key == deck.id)).first()
    new_deck = deck_row is None  # nothing of it stored: no source, fact or card to match
    if deck_row is None:
        deck_row = DeckRow(
            key=deck.id,
            name=deck.name,
            description=deck.description,
            number_tolerance=deck.options.number_tolerance,
            speakers=speakers_to_json(deck.speakers),
            created_at=now,
            updated_at=now,
        )
        session.add(deck_row)
    else:
        deck_row.name = deck.name
        deck_row.description = deck.description
        deck_row.number_tolerance = deck.options.number_tolerance
        deck_row.speakers = speakers_to_json(deck.speakers)
        deck_row.updated_at = now
    session.flush()
    assert deck_row.id is not None
    deck_id = deck_row.id

    source_ids: dict[str, int] = {}
    existing_sources = {
        s.key: s
        for s in session.exec(select(SourceRow).where(col(SourceRow.deck_id) == deck_id))
    } if deck.sources and not new_deck else {}
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
            srow = SourceRow(deck_id=deck_id, key=src.id, title=src.title, text=src.text,
                             published=src.published, file=src.file, url=src.url,
                             author=src.author, licence=src.licence)
            session.add(srow)
        else:
            for k, v in values.items():
                setattr(srow, k, v)
        session.flush()
        assert srow.id is not None
        source_ids[src.id] = srow.id

    fact_table = FactRow.__table__  # type: ignore[attr-defined]
    # A held fact is retired too; dropped from the deck, it is retired and no longer held.
    existing: dict[str, tuple[int, bool]] = {} if new_deck else {
        key: (fid, bool(retired) and hold is None)
        for fid, key, retired, hold in _fetch_tuples(
            session,
            select(fact_table.c.id, fact_table.c.key, fact_table.c.retired,
                   fact_table.c.hold).where(fact_table.c.deck_id == deck_id),
        )
    }
    # Which facts are new and which update a stored fact, by position in the deck.
    facts = deck.facts
    new_positions: Sequence[int]
    changed: list[tuple[int, int]] = []  # (position, fact row id)
    seen: set[str] = set()
    if not existing:  # a new deck: every fact is new
        new_positions = range(len(facts))
    else:
        new_positions = []
        for position, key in enumerate(fact_keys(facts)):
            seen.add(key)
            found = existing.get(key)
            if found is None:
                new_positions.append(position)
            else:
                changed.append((position, found[0]))

    def place(position: int) -> tuple[Any, ...]:
        fact = facts[position]
        source = source_ids.get(fact.source_id) if fact.source_id else None
        return _fact_tuple(fact, deck_id, position, source)

    cursor = _cursor(session)
    try:
        with gc_paused():  # a tuple per fact, no reference cycles
            if changed:  # one executemany: UPDATE ... WHERE id = ?
                cursor.executemany(
                    _update_sql(session, "fact", _STORED_COLUMNS),
                    ((*place(position), fid) for position, fid in changed),
                )
            if new_positions:
                _insert_facts(session, cursor, facts, new_positions, deck_id,
                              source_ids=source_ids)
    finally:
        cursor.close()
    if deck.media:
        store_media(session, deck_id, deck.media)
    retire = [fid for key, (fid, retired) in existing.items() if key not in seen and not retired]
    if retire:  # a retired fact shows nothing: its media go unless another fact names them
        for chunk in _chunks(retire):
            session.exec(update(FactRow).where(FactRow.id.in_(chunk))  # type: ignore[union-attr]
                         .values(retired=True, media="[]", hold=None, hold_reasons=None))
    delete_orphan_media(session, deck_id)
    profile_ids = [p for p in session.exec(select(ProfileRow.id)) if p is not None]
    if new_deck:
        created = create_cards_of_new_facts(session, profile_ids, deck_id)
    else:
        created = create_missing_cards(session, profile_ids, deck_id)
    return StoreResult(deck_id, len(new_positions), len(changed), len(retire), created)


# --------------------------------------------------------------------------
# Media files (the media store)


def store_media(session: Session, deck_id: int, files: Iterable[MediaFile]) -> int:
    """Add or replace the deck's media files by name; return how many were written.

    A file whose bytes are stored already under its name is left as it is.
    """
    # What is stored already, without its bytes; each file is then one statement
    # (no ORM object keeps a copy of its bytes).
    table = MediaRow.__table__  # type: ignore[attr-defined]
    stored = {name: (digest, size) for name, digest, size in session.connection().execute(
        core_select(table.c.name, table.c.sha256, table.c.size).where(
            table.c.deck_id == deck_id))}
    written = 0
    for media in files:
        digest = hashlib.sha256(media.data).hexdigest()
        values = {"mime": media.mime, "size": len(media.data), "sha256": digest,
                  "data": media.data}
        found = stored.get(media.name)
        if found == (digest, len(media.data)):
            continue
        if found is None:
            session.connection().execute(
                table.insert().values(deck_id=deck_id, name=media.name, **values))
        else:
            session.connection().execute(table.update().where(
                table.c.deck_id == deck_id, table.c.name == media.name).values(**values))
        stored[media.name] = (digest, len(media.data))
        written += 1
    return written


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def lock_deck(session: Session, deck_id: int) -> None:
    """Hold the deck's row until the transaction ends (a write of its media waits for another).

    Every change of which media files a deck keeps (an import, an edit, a
    picture added, a profile's decks) takes this lock first, so that one
    transaction's :func:`delete_orphan_media` and another's use of the same
    file never interleave on a server.
    """
    table = DeckRow.__table__  # type: ignore[attr-defined]
    session.connection().execute(
        core_select(table.c.id).where(table.c.id == deck_id).with_for_update())


def media_names_in_use(session: Session, deck_id: int) -> set[str]:
    """The names of the media files the deck's facts name (retired facts included)."""
    table = FactRow.__table__  # type: ignore[attr-defined]
    rows = session.connection().execute(core_select(table.c.media).where(
        table.c.deck_id == deck_id, table.c.media != "[]"))
    return {name for (media,) in rows for name in _json_tuple(media)}


def delete_orphan_media(session: Session, deck_id: int) -> list[str]:
    """Delete the deck's media files that no fact of the deck names; their names.

    Called in the transaction that changed which files the facts name (an
    import, an edit), after the change, under the deck's lock: a file goes
    only once no fact names it, and goes with the change or not at all.
    """
    lock_deck(session, deck_id)
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        from quizapp.storage.classroom import ORPHAN_MEDIA_FUNCTION

        if conn.execute(text("SELECT to_regproc(:f) IS NOT NULL"),
                        {"f": ORPHAN_MEDIA_FUNCTION}).scalar_one():
            # A classroom: the owner's function, the one way a teacher deletes a file.
            return sorted(conn.execute(text(f"SELECT {ORPHAN_MEDIA_FUNCTION}(:d)"),
                                       {"d": deck_id}).scalars())
        if not conn.execute(text("SELECT has_table_privilege('media', 'DELETE')")).scalar_one():
            # A classroom secured before the function existed: the files stay until
            # its set-up runs again (quizapp class setup, or the next schema upgrade).
            return []
    table = MediaRow.__table__  # type: ignore[attr-defined]
    stored = {name for (name,) in session.connection().execute(
        core_select(table.c.name).where(table.c.deck_id == deck_id))}
    if not stored:  # most decks: no file, no fact to read
        return []
    orphans = sorted(stored - media_names_in_use(session, deck_id))
    for start in range(0, len(orphans), 500):
        session.connection().execute(table.delete().where(
            table.c.deck_id == deck_id, table.c.name.in_(orphans[start:start + 500])))
    return orphans


def load_media(session: Session, deck_id: int, names: Iterable[str] | None = None
               ) -> list[MediaFile]:
    """The deck's media files (those named, or every one), by name."""
    q = select(MediaRow).where(MediaRow.deck_id == deck_id)
    wanted = None if names is None else sorted(set(names))
    if wanted is not None:
        if not wanted:
            return []
        q = q.where(col(MediaRow.name).in_(wanted))
    rows = session.exec(q.order_by(col(MediaRow.name))).all()
    return [MediaFile(r.name, bytes(r.data), r.mime) for r in rows]


def media_sizes(session: Session, deck_id: int) -> dict[str, int]:
    """The size of every media file of the deck, by name (no bytes read)."""
    rows = session.exec(select(MediaRow.name, MediaRow.size).where(MediaRow.deck_id == deck_id))
    return {name: size for name, size in rows}


def show_media_with_fact(session: Session, deck_id: int, fact_key: str, name: str,
                         alternative: str) -> Fact | None:
    """Add the media file ``name`` to the fact's ``media`` (None if there is no such fact).

    A Q/A note's front also gains ``alternative`` (its text for text-only views).
    """
    row = session.exec(select(FactRow).where(FactRow.deck_id == deck_id,
                                             FactRow.key == fact_key)).first()
    if row is None:
        return None
    names = list(_json_tuple(row.media))
    if name not in names:
        names.append(name)
        row.media = _json_list(tuple(names))
        if row.kind == FactKind.QA.value:
            row.front = f"{row.front or ''}\n{alternative}".strip()
        session.add(row)
        session.flush()
    source_key = None
    if row.source_id is not None:
        source = session.get(SourceRow, row.source_id)
        source_key = source.key if source is not None else None
    return row_to_fact(row, source_key)


def create_missing_cards(
    session: Session,
    profile_ids: Iterable[int],
    deck_id: int | None = None,
    fact_ids: tuple[int, int] | None = None,
) -> int:
    """Create the (profile, fact) cards that do not exist yet; return how many.

    One card per (profile, fact): the learner's one memory of the fact, asked
    in a recognise or a recall form as its memory grows (``family`` starts as
    ``recognise``, the family a new fact is first asked in). One ``INSERT ...
    SELECT`` in the database: cards are numbered by profile, then fact. Cards
    are made for facts that are not retired, or, with ``fact_ids`` (first,
    last), for the facts with row ids in that range whether retired or not (an
    import's facts not shown yet: see :mod:`quizapp.storage.staged`).
    """
    profile_ids = list(profile_ids)
    if not profile_ids:
        return 0
    fact = FactRow.__table__.alias("f")  # type: ignore[attr-defined]
    profile = ProfileRow.__table__.alias("p")  # type: ignore[attr-defined]
    card_table = CardRow.__table__  # type: ignore[attr-defined]
    card = card_table.alias("c")
    have = exists().where(
        and_(
            card.c.profile_id == profile.c.id,
            card.c.fact_id == fact.c.id,
        )
    )
    wanted = (
        core_select(
            profile.c.id,
            fact.c.id,
            fact.c.deck_id,
            literal(FIRST_FAMILY),
            literal(0),
            literal(0),
            literal(0),
            literal(False),
            literal(_EMPTY_JSON_LIST),
        )
        .select_from(fact.join(profile, profile.c.id.in_(profile_ids)))
        .where(~have)
        .order_by(profile.c.id, fact.c.id)
    )
    if fact_ids is None:
        wanted = wanted.where(fact.c.retired == False)  # noqa: E712
    else:  # a held fact of the import stays without cards
        wanted = wanted.where(fact.c.id.between(*fact_ids), fact.c.hold.is_(None))
    if deck_id is not None:
        wanted = wanted.where(fact.c.deck_id == deck_id)
    columns = [
        "profile_id", "fact_id", "deck_id", "family", "state", "reps", "lapses", "suspended",
        "reported_forms",
    ]  # fmt: skip
    statement = card_table.insert().from_select(columns, wanted)
    result = session.connection().execute(statement.execution_options(preserve_rowcount=True))
    return int(result.rowcount)


def create_cards_of_new_facts(session: Session, profile_ids: Sequence[int], deck_id: int,
                              first: int = 0) -> int:
    """Create each profile's card of every fact of the deck from row id ``first``; count them.

    For facts inserted in the session's transaction, of a deck made in it or
    with row ids above every fact stored before (``first`` is the old largest
    id + 1): no card can name them yet (the card table's foreign key), so none
    is looked for, unlike :func:`create_missing_cards`, which numbers the cards
    alike (by profile, then fact) and fills them alike.
    """
    if not profile_ids:
        return 0
    ph = _placeholder(session)
    sql = (
        "INSERT INTO card (profile_id, fact_id, deck_id, family, state, reps, lapses, "
        f"suspended, reported_forms) SELECT p.id, f.id, f.deck_id, {ph}, 0, 0, 0, FALSE, "
        f"{ph} FROM profile AS p CROSS JOIN fact AS f "
        f"WHERE p.id IN ({', '.join([ph] * len(profile_ids))}) AND f.deck_id = {ph} "
        f"AND f.id >= {ph} AND f.hold IS NULL ORDER BY p.id, f.id"
    )
    cursor = _cursor(session)
    try:
        cursor.execute(sql, (FIRST_FAMILY, _EMPTY_JSON_LIST, *profile_ids, deck_id, first))
        return int(cursor.rowcount)
    finally:
        cursor.close()


def load_deck(session: Session, key_or_id: str | int, *, include_retired: bool = False,
              without_qa: bool = False, include_held: bool = False) -> Deck:
    """The stored deck as a plain :class:`Deck` (NotFoundError if absent).

    ``without_qa`` leaves the Q/A facts out (a study session fetches those with
    :func:`load_facts` as their cards come up: no other question needs them).
    Held facts (:attr:`Fact.hold`) are retired: only ``include_retired`` or
    ``include_held`` (the deck as its teacher edits it) loads them.
    """
    row = find_deck(session, key_or_id)
    if row is None:
        raise NotFoundError(f"no deck named {key_or_id!r}")
    assert row.id is not None
    sources = list(
        session.exec(select(SourceRow).where(col(SourceRow.deck_id) == row.id)
                     .order_by(col(SourceRow.id)))
    )
    source_key: dict[int, str] = {s.id: s.key for s in sources if s.id is not None}
    fact_table = FactRow.__table__  # type: ignore[attr-defined]
    q = select(*(fact_table.c[name] for name in _LOADED_COLUMNS)).where(
        fact_table.c.deck_id == row.id
    )
    if include_held and not include_retired:
        q = q.where(or_(fact_table.c.retired == False, fact_table.c.hold.is_not(None)))  # noqa: E712
    elif not include_retired:
        q = q.where(fact_table.c.retired == False)  # noqa: E712
    if without_qa:
        q = q.where(fact_table.c.kind != FactKind.QA.value)
    with gc_paused():  # tens of thousands of facts, no reference cycles
        rows = _fetch_tuples(session, q)
        rows.sort(key=itemgetter(0, 1))  # by position, then id (cheaper here than in SQL)
        lists: dict[str, tuple[str, ...]] = {}  # a deck's facts share few tag lists
        facts = [_fact_from_tuple(r, source_key, lists) for r in rows]
        del rows
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
        speakers=speakers_from_json(row.speakers),
    )


def speakers_to_json(speakers: Sequence[Speaker]) -> str | None:
    """The ``deck.speakers`` column's text for a deck's speakers (None when there are none)."""
    if not speakers:
        return None
    return json.dumps(
        [{"name": s.name, "aliases": list(s.aliases), "speaks_for": list(s.speaks_for)}
         for s in speakers],
        ensure_ascii=False,
    )  # fmt: skip


def speakers_from_json(text: str | None) -> tuple[Speaker, ...]:
    """A deck's speakers from the ``deck.speakers`` column (none for NULL or damaged text)."""
    if not text:
        return ()
    try:
        raw = json.loads(text)
    except ValueError:
        return ()
    out: list[Speaker] = []
    for item in raw if isinstance(raw, list) else ():
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        lists = [item.get(key, []) for key in ("aliases", "speaks_for")]
        aliases, speaks_for = (
            tuple(a for a in v if isinstance(a, str)) if isinstance(v, list) else () for v in lists
        )
        out.append(Speaker(item["name"], aliases, speaks_for))
    return tuple(out)


def load_facts(session: Session, deck_id: int, keys: Iterable[str]) -> list[Fact]:
    """A deck's current (not retired) facts with these keys, in no particular order."""
    wanted = sorted(set(keys))
    if not wanted:
        return []
    source_key = {
        i: k
        for i, k in session.exec(select(SourceRow.id, SourceRow.key).where(
            col(SourceRow.deck_id) == deck_id))
        if i is not None
    }
    fact_table = FactRow.__table__  # type: ignore[attr-defined]
    lists: dict[str, tuple[str, ...]] = {}
    out: list[Fact] = []
    for i in range(0, len(wanted), 500):
        q = select(*(fact_table.c[name] for name in _LOADED_COLUMNS)).where(
            fact_table.c.deck_id == deck_id,
            fact_table.c.retired == False,  # noqa: E712
            fact_table.c.key.in_(wanted[i : i + 500]),
        )
        out += [_fact_from_tuple(r, source_key, lists) for r in _fetch_tuples(session, q)]
    return out


def fact_ids_by_key(session: Session, deck_id: int) -> dict[str, int]:
    """Map a deck's fact keys to their row ids."""
    return {
        k: i
        for i, k in session.exec(select(FactRow.id, FactRow.key).where(
            col(FactRow.deck_id) == deck_id))
        if i is not None
    }


def delete_deck(session: Session, deck_id: int) -> None:
    """Delete a deck with its facts, cards and their reviews."""
    from quizapp.storage.models import QuestionReportRow, ReviewDayMarkRow, ReviewDayRow, ReviewRow

    card_ids = select(CardRow.id).where(CardRow.deck_id == deck_id)
    # Undo rows point at the rows they cancel: drop the pointers first.
    session.exec(update(ReviewRow).where(ReviewRow.card_id.in_(card_ids)).values(cancels_id=None))  # type: ignore[attr-defined]
    session.exec(ReviewRow.__table__.delete().where(ReviewRow.card_id.in_(card_ids)))  # type: ignore[attr-defined]
    session.exec(delete(QuestionReportRow).where(col(QuestionReportRow.card_id).in_(card_ids)))
    # The answers per closed study day kept for the progress figures counted
    # these reviews: every profile's are counted from the log again.
    session.exec(delete(ReviewDayMarkRow))
    session.exec(delete(ReviewDayRow))
    session.exec(CardRow.__table__.delete().where(CardRow.deck_id == deck_id))  # type: ignore[attr-defined]
    session.exec(FactRow.__table__.delete().where(FactRow.deck_id == deck_id))  # type: ignore[attr-defined]
    session.exec(SourceRow.__table__.delete().where(SourceRow.deck_id == deck_id))  # type: ignore[attr-defined]
    session.exec(DeckRow.__table__.delete().where(DeckRow.id == deck_id))  # type: ignore[attr-defined]


def classes_retiring_decks(session: Session) -> list[str] | None:
    """Whose delete retires a deck: None when this connection deletes decks outright.

    On SQLite, and for the owner of the tables on PostgreSQL, None. Any other
    PostgreSQL role (a classroom's teacher) gets the classes it teaches, and
    a delete of theirs retires the deck for those classes only.
    """
    if session.get_bind().dialect.name != "postgresql":
        return None
    owner = session.execute(text(
        "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c "
        "WHERE c.oid = CAST('deck' AS regclass)")).scalar()
    if owner:
        return None
    return sorted(session.execute(text(
        "SELECT class_name FROM class_teacher WHERE db_role = current_user")).scalars())


def retired_deck_ids(session: Session, profile_id: int) -> set[int]:
    """The decks retired for the class of a profile (none outside a classroom)."""
    return {int(d) for d in session.execute(text(
        "SELECT r.deck_id FROM class_deck_retired r JOIN profile p "
        "ON p.class_name = r.class_name WHERE p.id = :p"), {"p": profile_id}).scalars()}


def retire_deck(session: Session, deck_id: int, classes: Iterable[str],
                now: datetime | None = None) -> None:
    """Retire a deck for some classes: hidden from their deck lists and study, rows kept."""
    from quizapp.storage.models import ClassDeckRetiredRow

    who = session.execute(text("SELECT current_user")).scalar()
    for class_name in classes:
        if session.get(ClassDeckRetiredRow, (class_name, deck_id)) is None:
            session.add(ClassDeckRetiredRow(class_name=class_name, deck_id=deck_id,
                                            retired_at=now or utc_now(), retired_by=who))
    session.flush()


# --------------------------------------------------------------------------
# Profiles


def list_profiles(session: Session) -> list[ProfileRow]:
    """Every profile, oldest first."""
    return list(session.exec(select(ProfileRow).order_by(col(ProfileRow.id))))


def find_profile(session: Session, name_or_id: str | int) -> ProfileRow | None:
    """A profile by name or numeric id."""
    if isinstance(name_or_id, int) or str(name_or_id).isdecimal():  # int() reads these
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
        ReviewDayMarkRow,
        ReviewDayRow,
        ReviewRow,
        StudySessionRow,
    )

    session.exec(
        update(ReviewRow).where(col(ReviewRow.profile_id) == profile_id).values(cancels_id=None)
    )
    for table in (ReviewRow, QuestionReportRow, CardRow, StudySessionRow, ProfileDeckRow,
                  ReviewDayRow):
        session.exec(delete(table).where(col(table.profile_id) == profile_id))
    # Every profile's day totals are counted from the log again: SQLite may give
    # the next answers the ids of the reviews deleted here, and the totals tell
    # newer rows by their ids (review_day_mark.through_id).
    session.exec(delete(ReviewDayMarkRow))
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
        .join(FactRow, col(FactRow.id) == col(CardRow.fact_id))
        .where(col(CardRow.profile_id) == profile_id, col(FactRow.retired) == False)  # noqa: E712
        .group_by(col(CardRow.deck_id), col(CardRow.state), col(CardRow.suspended))
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


def stored_cards(
    session: Session, deck_key: str, profile_id: int | None
) -> dict[str, tuple[str, CardState]]:
    """Map a fact key to one profile's stored card of it (id, memory) for a deck."""
    deck = find_deck(session, deck_key)
    if deck is None or profile_id is None:
        return {}
    rows = session.exec(
        select(FactRow.key, CardRow)
        .join(CardRow, col(CardRow.fact_id) == col(FactRow.id))
        .where(col(FactRow.deck_id) == deck.id, col(CardRow.profile_id) == profile_id)
    )
    return {key: (str(card.id), CardState.of(card)) for key, card in rows}


# --------------------------------------------------------------------------
# Held facts (schema: held facts)


def set_holds(session: Session, deck_id: int,
              holds: Mapping[str, tuple[str | None, Sequence[str]]]) -> int:
    """Hold facts of a deck back from study, or let them be studied; how many changed.

    ``holds`` maps fact keys to (hold, reasons): ``pending`` or ``no_form``
    retire the fact with its reasons, None makes it studied again (its
    cards are made). Facts removed from the deck (retired, not held) are
    left alone, as are keys the deck does not have.
    """
    fact_table = FactRow.__table__  # type: ignore[attr-defined]
    rows = {
        key: (fid, hold, reasons)
        for fid, key, hold, reasons in _fetch_tuples(session, select(
            fact_table.c.id, fact_table.c.key, fact_table.c.hold, fact_table.c.hold_reasons,
        ).where(fact_table.c.deck_id == deck_id,
                or_(fact_table.c.retired == False, fact_table.c.hold.is_not(None))))  # noqa: E712
    }
    changes: list[dict[str, Any]] = []
    freed = False
    for key, (hold, reasons) in holds.items():
        found = rows.get(key)
        if found is None:
            continue
        text_reasons = _json_list(tuple(reasons)) if hold is not None and reasons else None
        if (found[1], found[2]) == (hold, text_reasons):
            continue
        freed = freed or hold is None
        changes.append({"i": found[0], "h": hold, "r": text_reasons, "t": hold is not None})
    if changes:
        session.connection().execute(
            update(fact_table).where(fact_table.c.id == bindparam("i")).values(
                hold=bindparam("h"), hold_reasons=bindparam("r"), retired=bindparam("t")),
            changes)
    if freed:
        profile_ids = [p for p in session.exec(select(ProfileRow.id)) if p is not None]
        create_missing_cards(session, profile_ids, deck_id)
    return len(changes)


def held_facts(session: Session, deck_id: int, hold: str | None = None) -> list[Fact]:
    """A deck's held facts (only those held so with ``hold``), in deck order."""
    deck = session.get(DeckRow, deck_id)
    if deck is None:
        raise NotFoundError(f"no deck {deck_id}")
    fact_table = FactRow.__table__  # type: ignore[attr-defined]
    where = [fact_table.c.deck_id == deck_id, fact_table.c.hold.is_not(None)]
    if hold is not None:
        where.append(fact_table.c.hold == hold)
    sources = {
        i: k for i, k in session.exec(select(SourceRow.id, SourceRow.key).where(
            col(SourceRow.deck_id) == deck_id)) if i is not None
    }
    rows = _fetch_tuples(session, select(*(fact_table.c[n] for n in _LOADED_COLUMNS)).where(*where))
    rows.sort(key=itemgetter(0, 1))
    return [_fact_from_tuple(r, sources, {}) for r in rows]


def owns_the_tables(session: Session) -> bool:
    """Whether the connection may write the meta table (always on SQLite; on a PostgreSQL
    classroom, the owner of the tables, not a student's or a teacher's role)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.execute(text(
        "SELECT has_table_privilege(current_user, 'meta', 'DELETE')")).scalar())


def check_forms_once(session: Session, verdict: Callable[[Deck], Deck]) -> int:
    """After the upgrade that added held facts: record every deck's ``no_form`` verdict.

    ``verdict`` returns a deck with each fact's hold as the question builder
    finds it (:func:`quizapp.questions.holds.with_holds`); the upgrade's meta
    key is removed in the same transaction. Returns how many facts changed.
    """
    from quizapp.storage.db import FORMS_UNCHECKED

    mark = session.get(Meta, FORMS_UNCHECKED)
    if mark is None:
        return 0
    changed = 0
    for row in list_decks(session):
        assert row.id is not None
        deck = load_deck(session, row.id, include_held=True)
        checked = verdict(deck)
        if checked is deck:
            continue
        changed += set_holds(session, row.id, {
            f.id: (f.hold, f.reasons) for f, was in zip(checked.facts, deck.facts, strict=True)
            if f.hold != was.hold})
    session.delete(mark)
    return changed
