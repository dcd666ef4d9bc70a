"""The question builder's deck index builds its parts on first use, with the same result."""

from __future__ import annotations

import dataclasses
import random

import pytest

from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.questions.generate import QuestionBuilder, card_id_for, card_rng
from quizapp.questions.index import DeckIndex
from quizapp.questions.model import Family

from .conftest import SEED_DECK

PARTS = {"people": "people", "numbers": "unit_of", "dates": "date_of"}


def _questions(builder: QuestionBuilder, deck: Deck, seed: int) -> list[object]:
    out: list[object] = []
    for fact in deck.facts:
        for family in Family:
            card = card_id_for(fact.id, family)
            q = builder.build(card, fact.id, family, card_rng(seed, card))
            out.append(dataclasses.asdict(q) if q is not None else None)
    return out


@pytest.mark.parametrize(
    "order", [(), ("people", "numbers", "dates"), ("dates", "numbers", "people"), ("numbers",)]
)
def test_parts_built_in_any_order_give_the_same_questions(order: tuple[str, ...]) -> None:
    deck = load_deck_file(SEED_DECK)
    reference = QuestionBuilder(deck)
    for attr in PARTS.values():  # everything built up front
        getattr(reference.index, attr)
    expected = _questions(reference, deck, 3)
    builder = QuestionBuilder(deck)
    for part in order:
        getattr(builder.index, PARTS[part])
    facts = list(deck.facts)
    random.Random(len(order)).shuffle(facts)  # ask in another order than the deck's
    shuffled = dataclasses.replace(deck, facts=tuple(facts))
    by_card = dict(zip(
        [(f.id, fam) for f in shuffled.facts for fam in Family],
        _questions(builder, shuffled, 3), strict=True,
    ))  # fmt: skip
    assert [by_card[(f.id, fam)] for f in deck.facts for fam in Family] == expected
    assert builder.known_names() == reference.known_names()


def test_a_qa_deck_builds_no_part_for_its_questions() -> None:
    facts = tuple(
        Fact(id=f"qa-{i}", kind=FactKind.QA, front=f"Front {i}?", back=f"back {i}")
        for i in range(50)
    )
    deck = Deck(id="qa", name="QA", facts=facts)
    builder = QuestionBuilder(deck)
    q = builder.build("c1", "qa-7", Family.RECALL, random.Random(1))
    assert q is not None and q.prompt == "Front 7?"
    built = set(vars(builder.index))
    assert not built & {"people", "unit_of", "date_of", "container"}
    assert builder.known_names() == ()
    assert "people" in vars(builder.index)


def test_unknown_attributes_still_raise() -> None:
    index = DeckIndex(Deck(id="e", name="E"))
    with pytest.raises(AttributeError):
        index.no_such_part  # noqa: B018
    assert index.people == {} and index.events == [] and index.exact_values == {}


def test_the_first_fact_with_a_repeated_id_counts() -> None:
    a = Fact(id="x", kind=FactKind.QA, front="A?", back="a")
    b = Fact(id="x", kind=FactKind.QA, front="B?", back="b")
    index = DeckIndex(Deck(id="d", name="D", facts=(a, b)))
    assert index.facts == {"x": a} and index.by_kind[FactKind.QA] == ["x"]
