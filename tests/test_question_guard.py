"""The run-time guard: every question the builder serves passes :mod:`quizapp.questions.checks`.

A question that breaks a rule is not shown; the builder drops that form for
that fact and serves the next form of its seeded order.
"""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from quizapp.facts.model import Deck, Fact, FactKind, Source
from quizapp.questions.checks import QuestionChecker
from quizapp.questions.generate import QuestionBuilder, card_rng, questions_for_deck
from quizapp.questions.model import Family, Form
from tests.test_questions_properties import decks, decks_with_speakers


def _deck(text: str, facts: list[Fact]) -> Deck:
    source = Source(id="src", title="T", text=text, published="2024-04")
    return Deck(id="t", name="test", sources=(source,), facts=tuple(facts))


def _fact(text: str, fid: str, kind: FactKind, span: str, **fields: object) -> Fact:
    start = text.index(span)
    return Fact(
        id=fid, kind=kind, source_id="src", text=span, start=start, end=start + len(span),
        **fields,  # type: ignore[arg-type]
    )  # fmt: skip


# A stem that gives the figure away in other words: "5-year" for "five years".
TERM_TEXT = (
    "The mission was supposed to stay for at least five years. "
    "Officials counted 40 tanks, 120 trucks and 300 soldiers at the border. "
    "The bridge was 70 metres long. The tower was 90 metres tall. The hall was 30 metres wide."
)


def _term_deck() -> Deck:
    t = TERM_TEXT
    return _deck(t, [
        _fact(t, "n-term", FactKind.NUMBER, "five years", value=5, unit="years",
              counts="the mission's term", qualifier="at least",
              stem="How long was the 5-year mission supposed to stay at the least?"),
        _fact(t, "n-tanks", FactKind.NUMBER, "40", value=40, counts="tanks",
              stem="How many tanks did officials count?"),
        _fact(t, "n-trucks", FactKind.NUMBER, "120", value=120, counts="trucks",
              stem="How many trucks did officials count?"),
        _fact(t, "n-soldiers", FactKind.NUMBER, "300", value=300, counts="soldiers",
              stem="How many soldiers did officials count?"),
    ])  # fmt: skip


def test_a_question_that_leaks_its_key_is_replaced_by_another_form() -> None:
    deck = _term_deck()
    checker = QuestionChecker(deck)
    builder = QuestionBuilder(deck)
    # The builder's own filters let the typed form through: its stem shows "5-year",
    # not "five years".
    assert builder.forms_for("n-term", Family.RECALL) == (Form.TYPED, Form.CLOZE)
    served = [
        builder.build("n-term/recall", "n-term", Family.RECALL, random.Random(seed))
        for seed in range(8)
    ]
    assert all(q is not None and q.form is Form.CLOZE for q in served), served
    assert all(checker.problems(q) == [] for q in served if q is not None)
    assert "figure" in " ".join(builder.dropped[("n-term", Form.TYPED)])
    assert builder.forms_for("n-term", Family.RECALL) == (Form.CLOZE,)


def test_the_fallback_is_the_same_for_every_seed_and_run() -> None:
    deck = _term_deck()
    first = [(q.card_id, q.form, q.prompt) for q in questions_for_deck(deck, 3)]
    assert first == [(q.card_id, q.form, q.prompt) for q in questions_for_deck(deck, 3)]
    assert all(form is not Form.TYPED for cid, form, _ in first if cid.startswith("n-term"))


def test_a_forced_form_that_fails_the_guard_is_not_served() -> None:
    builder = QuestionBuilder(_term_deck())
    assert builder.build("c", "n-term", Family.RECALL, random.Random(1), form=Form.TYPED) is None
    assert builder.build("c", "n-tanks", Family.RECALL, random.Random(1), form=Form.TYPED)


@given(deck=decks_with_speakers(), seed=st.integers(0, 2**32))
def test_every_served_question_of_a_random_deck_passes_the_checks(deck: Deck, seed: int) -> None:
    """Whatever form the seeded order picks, what is served passes every rule."""
    builder = QuestionBuilder(deck)
    checker = QuestionChecker(deck)
    for q in questions_for_deck(deck, seed % 1000, builder=builder):
        assert checker.problems(q) == [], (q.fact_id, q.form, q.prompt, q.choices)
    for fact in deck.facts:
        for family in Family:
            q = builder.build("c", fact.id, family, card_rng(seed, f"{fact.id}/{family}"))
            if q is not None:
                assert checker.problems(q) == [], (fact.id, q.form, q.prompt, q.choices)


@given(deck=decks())
def test_the_guard_drops_nothing_the_builder_can_ask_well(deck: Deck) -> None:
    """On random decks the builder's own filters already keep to the rules: the guard is a
    safety net, not the usual way a form disappears."""
    builder = QuestionBuilder(deck)
    questions_for_deck(deck, 7, builder=builder)
    assert builder.dropped == {}
