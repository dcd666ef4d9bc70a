"""Storing and loading whole decks in bulk: every column round-trips, cards are numbered in order.

The import path writes facts with the driver's ``executemany`` (in chunks, leaving out
columns that are NULL in a whole chunk) and creates cards with one ``INSERT ... SELECT``;
opening a deck reads plain rows back. These tests check the stored rows themselves, on
SQLite files and on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest
from sqlmodel import col as col_
from sqlmodel import select

from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck, DeckOptions, Fact, FactKind, Source
from quizapp.facts.packed import PackedFacts, QAFactPacker
from quizapp.services.collection import Collection
from quizapp.storage import repository as repo
from quizapp.storage.models import CardRow, FactRow, ProfileRow

from .conftest import SEED_DECK

pytestmark = pytest.mark.both_backends

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _mixed_deck(n_qa: int) -> Deck:
    """Q/A notes first (more than one chunk), then facts of every other kind."""
    sources = (
        Source(id="news", title="Nouvelles", text="Le 3 mars 2021, 12 parcs. « Oui », dit Zoë.",
               published="2021-03", author="Zoë Ündset"),
        Source(id="other", title="Other", text="Nothing here."),
    )  # fmt: skip
    facts = [
        Fact(id=f"qa-{i:06d}", kind=FactKind.QA, front=f"Front {i} é", back=f"Back {i}",
             tags=("tag", f"t{i % 3}", "ünï \"q\" \\ /") if i % 2 else ())
        for i in range(n_qa)
    ]  # fmt: skip
    facts += [
        Fact(id="d-1", kind=FactKind.DATE, source_id="news", text="3 mars 2021", start=3,
             end=14, sentence="Le 3 mars 2021, 12 parcs.", sentence_start=0,
             stem="Quand ?", event="Parcs", value="2021-03-03"),
        Fact(id="n-1", kind=FactKind.NUMBER, source_id="news", text="12", start=16, end=18,
             stem="Combien ?", value=12, unit="parcs", counts="parcs", qualifier="about"),
        Fact(id="n-2", kind=FactKind.NUMBER, value=2.5, unit="%", text="2.5%"),
        Fact(id="q-1", kind=FactKind.QUOTE, source_id="news", text="Oui", speaker="Zoë",
             role="maire", reported=True),
        Fact(id="p-1", kind=FactKind.PERSON, source_id="other", name="Zoë Ündset",
             role="maire", roles=("maire", "autrice \u2028 «x»")),
        Fact(id="qa-empty-tags", kind=FactKind.QA, front="F", back="B", tags=()),
    ]  # fmt: skip
    return Deck(id="mixed", name="Mixed", description="d", sources=sources, facts=tuple(facts),
                options=DeckOptions(number_tolerance=0.1))  # fmt: skip


def _as_stored(deck: Deck) -> Deck:
    """``deck`` as it is stored: the facts no question can ask are held back (two of the
    mixed deck: a number with no sentence, a quote with no other speaker)."""
    from quizapp.questions.holds import with_holds

    return with_holds(deck)


def _asked(deck: Deck) -> list[Fact]:
    return [f for f in _as_stored(deck).facts if f.hold is None]


def test_a_large_mixed_deck_round_trips(db_url: str) -> None:
    deck = _mixed_deck(repo._CHUNK_ROWS + 10)
    with Collection.open(db_url) as col:
        result = col.import_deck(deck, NOW)
        assert (result.added, result.updated, result.retired) == (len(deck.facts), 0, 0)
        assert len(_asked(deck)) == len(deck.facts) - 2
        assert result.cards_created == len(_asked(deck))  # one card (memory) per fact asked
        assert col.load_deck("mixed", include_held=True) == _as_stored(deck)
        with col.session() as s:
            stored = s.exec(select(FactRow).where(FactRow.deck_id == result.deck_id))
            rows = {r.key: r for r in stored}
        # Columns left out of a chunk's INSERT hold NULL; columns with defaults hold them.
        qa = rows["qa-000000"]
        assert (qa.text, qa.roles, qa.tags) == ("", "[]", "[]")
        assert (qa.reported, qa.retired) == (False, False)
        assert qa.start is None and qa.value_num is None and qa.source_id is None
        tags = ["tag", "t1", 'ünï "q" \\ /']
        assert rows["qa-000001"].tags == json.dumps(tags, ensure_ascii=False)
        assert rows["p-1"].roles == json.dumps(["maire", "autrice \u2028 «x»"], ensure_ascii=False)
        assert rows["n-1"].value_num == 12.0 and rows["n-1"].value_text is None
        assert rows["d-1"].value_text == "2021-03-03" and rows["d-1"].value_num is None
        assert rows["q-1"].reported is True
        assert [rows[f.id].position for f in deck.facts] == list(range(len(deck.facts)))


FACT_ROW = ("key", "kind", "position", "source_id", "text", "start", "end", "sentence",
            "sentence_start", "stem", "event", "value_text", "value_num", "unit", "counts",
            "qualifier", "speaker", "role", "reported", "name", "roles", "front", "back",
            "tags", "retired", "media")  # fmt: skip


def _fact_rows(col: Collection, deck_id: int) -> list[tuple[object, ...]]:
    with col.session() as s:
        rows = s.exec(select(FactRow).where(FactRow.deck_id == deck_id)
                      .order_by(FactRow.position)).all()  # type: ignore[arg-type]
        return [tuple(getattr(r, c) for c in FACT_ROW) for r in rows]


def test_packed_facts_are_stored_as_the_same_facts_unpacked(db_url: str) -> None:
    """An import's packed Q/A facts skip the Fact objects: the rows are the same."""
    packer = QAFactPacker()
    n = repo._CHUNK_ROWS + 10
    for i in range(n):
        tags = ("tag", f"t{i % 3}", 'ünï "q" \\ /') if i % 2 else ()
        media = (f"m{i % 4}.png",) if i % 5 == 0 else ()
        packer.add(f"qa-{i:06d}", f"Front {i} é\u2028", f"Back {i}", tags, media)
    packed = packer.facts()
    plain = tuple(packed)
    assert isinstance(packed, PackedFacts) and not isinstance(plain, PackedFacts)
    with Collection.open(db_url) as col:
        a = col.import_deck(Deck(id="packed", name="Packed", facts=packed), NOW)
        b = col.import_deck(Deck(id="plain", name="Plain", facts=plain), NOW)
        assert (a.added, a.cards_created) == (b.added, b.cards_created) == (n, n)
        assert _fact_rows(col, a.deck_id) == _fact_rows(col, b.deck_id)
        assert col.load_deck("packed").facts == plain
        # Imported again, packed: every fact matched by its id, none added.
        again = col.import_deck(Deck(id="packed", name="Packed", facts=packed), NOW)
        assert (again.added, again.updated, again.retired) == (0, n, 0)
        assert _fact_rows(col, a.deck_id) == _fact_rows(col, b.deck_id)


def test_cards_are_numbered_by_profile_then_fact(db_url: str) -> None:
    deck = _mixed_deck(5)
    with Collection.open(db_url) as col:
        with col.transaction() as s:
            repo.create_profile(s, "Second", NOW)
        result = col.import_deck(deck, NOW)
        # two profiles, a card per fact a question can ask
        assert result.cards_created == 2 * len(_asked(deck))
        with col.session() as s:
            profiles = [p.id for p in s.exec(select(ProfileRow).order_by(ProfileRow.id))]
            fact_ids = [
                fid
                for fid in s.exec(
                    select(FactRow.id)
                    .where(FactRow.deck_id == result.deck_id, col_(FactRow.hold).is_(None))
                    .order_by(FactRow.id)  # type: ignore[arg-type]
                )
            ]
            cards = s.exec(
                select(CardRow.profile_id, CardRow.fact_id, CardRow.family, CardRow.state,
                       CardRow.reps, CardRow.lapses, CardRow.suspended, CardRow.reported_forms,
                       CardRow.due)
                .where(CardRow.deck_id == result.deck_id)
                .order_by(CardRow.id)  # type: ignore[arg-type]
            ).all()  # fmt: skip
        expected = [(p, f, "recognise") for p in profiles for f in fact_ids]
        assert [(c[0], c[1], c[2]) for c in cards] == expected
        assert {tuple(c[3:]) for c in cards} == {(0, 0, 0, False, "[]", None)}
        # Nothing is missing any more: a second call creates nothing.
        with col.transaction() as s:
            assert repo.create_missing_cards(s, profiles) == 0


def test_cards_of_new_facts_are_the_missing_cards(db_url: str) -> None:
    """A staged import's cards (no search for existing ones) are the cards otherwise made."""
    packer = QAFactPacker()
    for i in range(30):
        packer.add(f"qa-{i}", f"F{i}", f"B{i}", ())
    facts = packer.facts()
    with Collection.open(db_url) as col:
        with col.transaction() as s:
            repo.create_profile(s, "Second", NOW)
        made = col.import_deck(Deck(id="missing", name="Missing", facts=facts), NOW)
        with col.transaction() as s:
            profiles = [p for p in s.exec(select(ProfileRow.id).order_by(ProfileRow.id))]
            deck = repo.DeckRow(key="new", name="New", created_at=NOW, updated_at=NOW)
            s.add(deck)
            s.flush()
            first = s.exec(select(FactRow.id).order_by(FactRow.id.desc())).first() + 1  # type: ignore[union-attr,operator]
            cursor = repo._cursor(s)
            repo._insert_facts(s, cursor, facts, range(len(facts)), deck.id)
            cursor.close()
            assert repo.create_cards_of_new_facts(s, profiles, deck.id, first) == made.cards_created
        with col.session() as s:
            def cards(deck_id: int) -> list[tuple[object, ...]]:
                rows = s.exec(select(CardRow).where(CardRow.deck_id == deck_id)
                              .order_by(CardRow.id)).all()  # type: ignore[arg-type]
                return [(c.profile_id, s.get(FactRow, c.fact_id).key, c.family, c.state,  # type: ignore[union-attr]
                         c.reps, c.lapses, c.suspended, c.reported_forms, c.due) for c in rows]
            assert made.cards_created == 2 * len(facts)
            assert cards(made.deck_id) == cards(deck.id)


def test_reimport_updates_every_column_and_retires_the_rest(db_url: str) -> None:
    deck = _mixed_deck(3)
    with Collection.open(db_url) as col:
        col.import_deck(deck, NOW)
        changed = [
            dataclasses.replace(f, stem=None, unit=None, value=99) if f.id == "n-1" else f
            for f in deck.facts
            if f.id != "q-1"
        ]
        changed.insert(0, Fact(id="qa-new", kind=FactKind.QA, front="New", back="Neu"))
        newer = dataclasses.replace(deck, facts=tuple(changed))
        result = col.import_deck(newer, NOW)
        assert (result.added, result.updated, result.retired) == (1, len(deck.facts) - 1, 1)
        assert result.cards_created == 1  # the new fact's one card
        assert col.load_deck("mixed", include_held=True) == _as_stored(newer)
        with col.session() as s:
            n1 = s.exec(select(FactRow).where(FactRow.key == "n-1")).one()
            assert (n1.stem, n1.unit, n1.value_num, n1.position) == (None, None, 99.0, 5)
            retired = repo.load_deck(s, "mixed", include_retired=True)
            assert "q-1" in {f.id for f in retired.facts}
        # The retired fact comes back (held again: no question asks it), no card new.
        again = col.import_deck(deck, NOW)
        assert (again.retired, again.cards_created) == (1, 0)
        assert col.load_deck("mixed", include_held=True) == _as_stored(deck)


def test_seed_deck_loads_as_its_file(db_url: str) -> None:
    with Collection.open(db_url) as col:
        assert col.load_deck("seed", include_held=True) == _as_stored(load_deck_file(SEED_DECK))
        assert col.load_deck("seed").facts == tuple(_asked(load_deck_file(SEED_DECK)))


@pytest.mark.sqlite_only
def test_the_cycle_collector_is_back_after_a_bulk_step(db_url: str) -> None:
    import gc

    from quizapp.facts.bulk import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves the outer one alone
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("a failed import")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
    # Importing and opening a deck leave it on, as they found it.
    with Collection.open(db_url) as col:
        col.import_deck(_mixed_deck(10), NOW)
        col.load_deck("mixed")
    assert gc.isenabled()
