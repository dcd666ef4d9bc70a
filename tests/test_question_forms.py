"""The forms of questions/forms/: date → event, number → meaning, speaker → position and
true or false; and the mix of kinds of question."""

from __future__ import annotations

import dataclasses
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck, Fact, FactKind, Source, Speaker
from quizapp.importers.article import extract_article
from quizapp.questions.checks import QuestionChecker
from quizapp.questions.dates import format_date, parse_iso_date
from quizapp.questions.forms.base import FALSE, TRUE
from quizapp.questions.generate import (
    ALL_FORMS,
    DEFAULT_FORMS,
    FORM_SPECS,
    QuestionBuilder,
    card_id_for,
    card_rng,
    questions_for_deck,
    questions_json,
)
from quizapp.questions.grading import grade
from quizapp.questions.mix import MAX_SHARE, Kind, kind_of, kind_shares, prefer_kinds
from quizapp.questions.model import FAMILY_OF_FORM, Family, Form, Question
from tests.conftest import SEED_DECK
from tests.test_questions_properties import decks

ROOT = Path(__file__).resolve().parent.parent
NEW_FORMS = tuple(FORM_SPECS)
GRADING_DECK = ROOT / "tests" / "data" / "grading_deck.toml"
ARTICLES = ROOT / "tests" / "extraction_eval" / "articles"


@pytest.fixture(scope="module")
def seed() -> Deck:
    return load_deck_file(SEED_DECK)


def new_form_questions(deck: Deck, seeds: range) -> list[Question]:
    """Every new form of every fact that offers it, built with each seed."""
    builder = QuestionBuilder(deck, forms=ALL_FORMS)
    out: list[Question] = []
    for fact in deck.facts:
        for family in Family:
            card = card_id_for(fact.id, family)
            for form in builder.forms_for(fact.id, family):
                if form not in FORM_SPECS:
                    continue
                for s in seeds:
                    q = builder.build(card, fact.id, family, card_rng(s, card), form=form)
                    assert q is not None, (fact.id, form, s)
                    out.append(q)
    return out


def test_each_new_form_states_its_family_and_choices() -> None:
    assert set(NEW_FORMS) == {Form.DATE_EVENT, Form.NUMBER_MEANING, Form.SPEAKER_POSITION,
                              Form.TRUE_FALSE, Form.CONFIRMATION}
    for form, spec in FORM_SPECS.items():
        assert FAMILY_OF_FORM[form] is spec.family is Family.RECOGNISE
    assert FORM_SPECS[Form.TRUE_FALSE].choices == 2
    assert {FORM_SPECS[f].choices for f in NEW_FORMS if f is not Form.TRUE_FALSE} == {4}


def test_new_forms_on_the_seed_pass_every_check(seed: Deck) -> None:
    """Over 40 seeds, every new-form question of the seed has one right answer among
    its choices, checked distractors and no leak; each form is offered for the facts
    where it makes sense."""
    checker = QuestionChecker(seed)
    questions = new_form_questions(seed, range(1, 41))
    facts: dict[Form, set[str]] = {}
    for q in questions:
        assert checker.problems(q) == [], (q.fact_id, q.form, q.prompt, q.choices, q.answers)
        facts.setdefault(q.form, set()).add(q.fact_id)
        spec = FORM_SPECS[q.form]
        assert q.family is spec.family
        assert q.choices is not None and 3 - (spec.choices == 2) <= len(q.choices) <= spec.choices
    assert facts[Form.DATE_EVENT] == {"d-zatulin-reported", "d-trade-2023",
                                      "d-pashinyan-readiness", "d-almaty-declaration"}
    # 2020 holds the war, the statement and the deployment: "What happened in 2020?"
    # would have three right answers.
    assert not facts[Form.DATE_EVENT] & {"d-second-karabakh-war", "d-trilateral-statement",
                                         "d-main-forces-deployed"}
    assert {"n-military-personnel", "n-apcs", "n-vehicles", "n-helicopters",
            "n-weapons-share"} <= facts[Form.NUMBER_MEANING]
    # 43% may be "more than a third" (the trade share): two right answers.
    assert "n-trade-growth" not in facts[Form.NUMBER_MEANING]
    assert facts[Form.SPEAKER_POSITION] == {"q-pashinyan-no-redeployment"}
    kinds = {seed_fact.kind for seed_fact in seed.facts if seed_fact.id in facts[Form.TRUE_FALSE]}
    assert kinds == {FactKind.DATE, FactKind.NUMBER, FactKind.QUOTE, FactKind.PERSON}
    # "Yes this is true" says too little; "He clarified that …" says not who.
    assert not facts[Form.TRUE_FALSE] & {"q-peskov", "d-almaty-declaration"}


@pytest.mark.parametrize("name", ["grading_deck", "iodine", "nasa", "soccer", "warhol"])
def test_new_forms_pass_every_check_on_other_decks(name: str) -> None:
    deck = (load_deck_file(GRADING_DECK) if name == "grading_deck"
            else extract_article(ARTICLES / f"{name}.txt").found)
    checker = QuestionChecker(deck)
    questions = new_form_questions(deck, range(1, 6))
    assert questions
    for q in questions:
        assert checker.problems(q) == [], (q.fact_id, q.form, q.prompt, q.choices, q.answers)


# --------------------------------------------------------------------------- date → event

SOURCE = Source(id="s", title="T", text="", published="2024-04")


def date_fact(fid: str, value: str, event: str) -> Fact:
    d = parse_iso_date(value)
    return Fact(id=fid, kind=FactKind.DATE, source_id="s", text=format_date(d), value=value,
                event=event, stem=f"When did this happen: {event}?")


def test_date_event_only_for_a_date_of_one_event() -> None:
    deck = Deck(id="d", name="d", sources=(SOURCE,), facts=(
        date_fact("a", "2019-03-02", "The bridge opened"),
        date_fact("b", "2021-06-10", "The mayor resigned"),
        date_fact("c", "2021-06-10", "The strike began"),
        date_fact("d", "2022", "The stadium was sold"),
        date_fact("e", "2022-09-01", "The school reopened"),
        date_fact("f", "2017-01-20", "The river flooded"),
        date_fact("g", "2015-05-05", "The museum burned"),
    ))
    builder = QuestionBuilder(deck, forms=ALL_FORMS)
    offered = {f.id for f in deck.facts
               if Form.DATE_EVENT in builder.forms_for(f.id, Family.RECOGNISE)}
    # b and c share a day; d (2022) holds e (September 2022): each would have two answers.
    assert offered == {"a", "f", "g"}
    checker = QuestionChecker(deck)
    for fid in sorted(offered):
        for s in range(20):
            q = builder.build("x", fid, Family.RECOGNISE, random.Random(s), form=Form.DATE_EVENT)
            assert q is not None and checker.problems(q) == []
    q = builder.build("x", "a", Family.RECOGNISE, random.Random(1), form=Form.DATE_EVENT)
    assert q is not None and q.prompt == "What happened on March 2, 2019?"
    # The checker catches an event that also happened on the asked date.
    bad = dataclasses.replace(q, fact_id="b", prompt="What happened on June 10, 2021?",
                              answers=("The mayor resigned",),
                              choices=("The mayor resigned", "The strike began",
                                       "The bridge opened"))
    assert any("two right answers" in p for p in checker.problems(bad))


# --------------------------------------------------------------------------- number → meaning


def number_fact(fid: str, text: str, value: float, unit: str | None, counts: str,
                qualifier: str | None = None) -> Fact:
    return Fact(id=fid, kind=FactKind.NUMBER, source_id="s", text=text, value=value, unit=unit,
                counts=counts, qualifier=qualifier, stem=f"What figure is given for {counts}?")


def test_number_meaning_only_for_a_figure_one_thing_can_have() -> None:
    deck = Deck(id="n", name="n", sources=(SOURCE,), facts=(
        number_fact("growth", "43%", 43, "%", "growth of trade"),
        number_fact("share", "a third", 0.333, None, "Russia's share of trade", "more than"),
        number_fact("weapons", "10%", 10, "%", "Russia's share of weapons"),
        number_fact("before", "50%", 50, "%", "Russia's former share of weapons", "more than"),
        number_fact("troops", "1,960", 1960, None, "troops who arrived"),
        number_fact("tanks", "90", 90, None, "tanks that arrived"),
        number_fact("trucks", "380", 380, None, "trucks that arrived"),
        number_fact("planes", "4", 4, None, "helicopters that arrived"),
        number_fact("guns", "380", 380, None, "guns that arrived"),
    ))
    builder = QuestionBuilder(deck, forms=ALL_FORMS)
    offered = {f.id for f in deck.facts
               if Form.NUMBER_MEANING in builder.forms_for(f.id, Family.RECOGNISE)}
    # 43% may be "more than a third"; 380 counts both trucks and guns.
    assert "growth" not in offered and "trucks" not in offered and "guns" not in offered
    assert {"troops", "tanks", "planes", "weapons"} <= offered
    checker = QuestionChecker(deck)
    for fid in sorted(offered):
        for s in range(20):
            q = builder.build("x", fid, Family.RECOGNISE, random.Random(s),
                              form=Form.NUMBER_MEANING)
            assert q is not None and checker.problems(q) == [], q
            # A share never stands beside head counts, nor a head count beside shares.
            assert ("Russia's share of trade" in (q.choices or ())) is False
    q = builder.build("x", "troops", Family.RECOGNISE, random.Random(3), form=Form.NUMBER_MEANING)
    assert q is not None and q.prompt == "What does the article count as 1,960?"
    # The checker catches a choice that may have the asked value too.
    bad = dataclasses.replace(q, fact_id="trucks", prompt="What does the article count as 380?",
                              answers=("Trucks that arrived",),
                              choices=("Trucks that arrived", "Guns that arrived",
                                       "Tanks that arrived"))
    assert any("may also be" in p for p in checker.problems(bad))


# --------------------------------------------------------------------------- speaker → position


def quote(fid: str, speaker: str, text: str) -> Fact:
    return Fact(id=fid, kind=FactKind.QUOTE, source_id="s", text=text, speaker=speaker,
                reported=True)


def position_deck() -> Deck:
    return Deck(id="p", name="p", sources=(SOURCE,), facts=(
        quote("asked", "Nikol Pashinyan",
              "if the contingent withdraws, it should not be redeployed to Armenia"),
        quote("yerevan", "Armenia", "Russia can no longer provide security in the region"),
        quote("zatulin", "Konstantin Zatulin", "the reasons for the troops are fewer every day"),
        quote("karasin", "Grigory Karasin", "the withdrawal is a logical consequence of it"),
        quote("peskov", "Dmitry Peskov", "the decision was taken by both leaders together"),
    ), speakers=(
        Speaker("Yerevan", ("Armenia",), ()),
        Speaker("Nikol Pashinyan", (), ("Yerevan",)),
    ))


def test_speaker_position_never_offers_words_of_a_related_speaker() -> None:
    deck = position_deck()
    builder = QuestionBuilder(deck, forms=ALL_FORMS)
    checker = QuestionChecker(deck)
    assert builder.forms_for("asked", Family.RECOGNISE).count(Form.SPEAKER_POSITION) == 1
    seen: set[str] = set()
    for s in range(40):
        q = builder.build("x", "asked", Family.RECOGNISE, random.Random(s),
                          form=Form.SPEAKER_POSITION)
        assert q is not None and checker.problems(q) == []
        assert q.prompt == ("What did Nikol Pashinyan say should happen if the contingent "
                            "withdraws?")
        assert q.answers[0] == "It should not be redeployed to Armenia"
        seen |= set(q.choices or ())
    # Armenia is Yerevan, for whom Pashinyan speaks: its words are never a wrong choice.
    assert not any("provide security" in c for c in seen)
    assert any("fewer every day" in c for c in seen)
    bad = dataclasses.replace(q, choices=(q.answers[0],
                                          "Russia can no longer provide security in the region",
                                          "The decision was taken by both leaders together"))
    assert any("also attributed" in p for p in checker.problems(bad))


# --------------------------------------------------------------------------- true or false


def test_true_or_false_changes_exactly_one_value_to_a_checked_distractor(seed: Deck) -> None:
    builder = QuestionBuilder(seed, forms=ALL_FORMS)
    checker = QuestionChecker(seed)
    truth: dict[str, set[str]] = {}
    for fact in seed.facts:
        if Form.TRUE_FALSE not in builder.forms_for(fact.id, Family.RECOGNISE):
            continue
        for s in range(1, 41):
            q = builder.build("x", fact.id, Family.RECOGNISE, random.Random(s),
                              form=Form.TRUE_FALSE)
            assert q is not None and q.choices == (TRUE, FALSE)
            assert checker.problems(q) == [], (q.prompt, q.claimed, q.actual)
            truth.setdefault(fact.id, set()).add(q.answers[0])
            assert q.claimed and q.actual and q.evidence.sentence
            if q.answers[0] == FALSE:
                true_q = next(
                    t for t in (builder.build("x", fact.id, Family.RECOGNISE, random.Random(k),
                                              form=Form.TRUE_FALSE) for k in range(200))
                    if t is not None and t.answers[0] == TRUE
                )
                # The false statement is the true one with one value written otherwise.
                shown = true_q.claimed or ""
                starts = [i for i in range(len(true_q.prompt))
                          if true_q.prompt.startswith(shown, i)]
                assert any(true_q.prompt[:i] + q.claimed + true_q.prompt[i + len(shown):]
                           == q.prompt for i in starts), (q.prompt, true_q.prompt)
                assert q.claimed != q.actual
    assert all(answers == {TRUE, FALSE} for answers in truth.values()), truth
    assert len(truth) >= 20


def test_true_or_false_checks_catch_a_true_value_shown_as_false(seed: Deck) -> None:
    builder = QuestionBuilder(seed, forms=ALL_FORMS)
    checker = QuestionChecker(seed)

    def false_of(fact_id: str) -> Question:
        for s in range(100):
            q = builder.build("x", fact_id, Family.RECOGNISE, random.Random(s),
                              form=Form.TRUE_FALSE)
            if q is not None and q.answers[0] == FALSE:
                return q
        raise AssertionError(fact_id)

    def claiming(q: Question, value: str) -> Question:
        pattern = rf"(?<![\w,]){re.escape(q.claimed or '')}(?![\w,])"
        return dataclasses.replace(q, prompt=re.sub(pattern, value, q.prompt, count=1),
                                   claimed=value)

    q = false_of("n-apcs")
    assert checker.problems(claiming(q, "120")) == []  # the checks pass a false 120 …
    same = claiming(q, "90")  # … and not the article's own 90 shown as false
    assert any("equal values" in p or "own value" in p for p in checker.problems(same))
    q = false_of("q-karasin")
    moscow = claiming(q, "Moscow")
    assert any("speaks for them" in p for p in checker.problems(moscow))
    q = false_of("p-iskandaryan")
    own = claiming(q, "director of the Caucasus Institute")
    assert any("own value" in p for p in checker.problems(own))


def test_true_or_false_grade_says_what_the_article_gives(seed: Deck) -> None:
    builder = QuestionBuilder(seed, forms=ALL_FORMS)
    found = {}
    for s in range(60):
        q = builder.build("x", "n-helicopters", Family.RECOGNISE, random.Random(s),
                          form=Form.TRUE_FALSE)
        assert q is not None
        found.setdefault(q.answers[0], q)
    false, true = found[FALSE], found[TRUE]
    said = f"The statement is false: the article gives 4, not {false.claimed}."
    right = grade(false, "False")
    assert right.correct and right.message == said
    wrong = grade(false, "True")
    assert not wrong.correct and wrong.message == said
    said = "The statement is true: the article gives 4."
    assert grade(true, "True").correct and grade(true, "True").message == said
    assert not grade(true, "False").correct and grade(true, "False").message == said


# --------------------------------------------------------------------------- where forms go


def test_a_default_builder_leaves_the_new_forms_out(seed: Deck) -> None:
    # Printed quizzes and practice tests ask them (tests/test_quiz.py); a builder made
    # without ``forms`` offers the original forms only.
    builder = QuestionBuilder(seed)
    assert builder.offered == DEFAULT_FORMS
    for fact in seed.facts:
        for family in Family:
            assert not set(builder.forms_for(fact.id, family)) & set(NEW_FORMS)


def test_questions_json_offers_the_new_forms(seed: Deck) -> None:
    forms = Counter(q["form"] for s in range(1, 11) for q in questions_json(seed, s)["questions"])
    # The seed says nothing of what Peskov's "Yes this is true" confirmed: no confirmation
    # (tests/test_confirmations.py asks it of texts that say it).
    assert all(forms[f.value] > 0 for f in NEW_FORMS if f is not Form.CONFIRMATION), forms
    assert forms[Form.CONFIRMATION.value] == 0


# --------------------------------------------------------------------------- kinds


def shares_over_seeds(deck: Deck) -> dict[Kind, float]:
    kinds = {f.id: kind_of(f.kind) for f in deck.facts}
    return kind_shares(kinds[q.fact_id] for s in range(1, 41) for q in questions_for_deck(deck, s))


@pytest.mark.parametrize("path", [SEED_DECK, GRADING_DECK], ids=["seed", "grading_deck"])
def test_no_kind_is_over_40_percent_of_questions(path: Path) -> None:
    shares = shares_over_seeds(load_deck_file(path))
    assert len(shares) >= 3
    assert max(shares.values()) <= MAX_SHARE, shares


def test_a_deck_mostly_of_quotes_is_over_40_percent() -> None:
    """The bound measures something: a deck whose cards are mostly quotes breaks it (one
    question per card, so no choice of form lowers a kind's share there)."""
    deck = extract_article(ARTICLES / "iodine.txt").found
    shares = shares_over_seeds(deck)
    assert shares[Kind.WHO_SAID_WHAT] > MAX_SHARE


def test_prefer_kinds_reorders_due_cards_and_keeps_them_all() -> None:
    cards = [(f"q{i}", Kind.WHO_SAID_WHAT) for i in range(12)] + [
        (f"d{i}", Kind.DATE) for i in range(4)] + [(f"n{i}", Kind.NUMBER) for i in range(4)]
    rng = random.Random(7)
    rng.shuffle(cards)
    queue, asked = list(cards), []
    while queue:
        queue = prefer_kinds(queue, lambda c: c[1], asked)
        asked.append(queue.pop(0)[1])
    assert Counter(asked) == Counter(k for _, k in cards)  # nothing held back or lost
    first = kind_shares(asked[:10])
    assert max(first.values()) <= MAX_SHARE, first
    # Served as they come, the first ten are mostly quotes.
    assert kind_shares(k for _, k in cards[:10])[Kind.WHO_SAID_WHAT] > MAX_SHARE
    # All of one kind: the order is left as it is.
    same = [("a", Kind.DATE), ("b", Kind.DATE), ("c", Kind.DATE)]
    assert prefer_kinds(same, lambda c: c[1], [Kind.DATE] * 5) == same


@given(deck=decks(), seed=st.integers(0, 1000))
def test_new_forms_on_random_decks_pass_every_check(deck: Deck, seed: int) -> None:
    """On random decks (dates, figures with bounds, quotes of speakers who speak for
    others), every new-form question has one right answer and checked choices."""
    builder = QuestionBuilder(deck, forms=ALL_FORMS)
    checker = QuestionChecker(deck)
    rng = random.Random(seed)
    for fact in deck.facts:
        for form in builder.forms_for(fact.id, Family.RECOGNISE):
            if form in FORM_SPECS:
                q = builder.build("x", fact.id, Family.RECOGNISE, rng, form=form)
                assert q is not None
                assert checker.problems(q) == [], (fact.id, form, q.prompt, q.choices)
