"""Question building: forms per fact kind, distractors, prompts and the question JSON."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from quizapp.assets import seed_deck_path
from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck, DeckOptions, Fact, FactKind, Source
from quizapp.questions.checks import QuestionChecker
from quizapp.questions.generate import (
    ALL_FORMS,
    BLANK,
    CLOZE_LEAD,
    QuestionBuilder,
    according_to,
    balance_quotes,
    card_rng,
    questions_for_deck,
    questions_json,
    stable_hash,
)
from quizapp.questions.grading import grade
from quizapp.questions.model import FAMILY_OF_FORM, Family, Form, Question, Verdict
from quizapp.questions.normalize import norm_text
from quizapp.questions.numbers import parse_number

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seed_deck() -> Deck:
    return load_deck_file(seed_deck_path())


@pytest.fixture(scope="module")
def builder(seed_deck: Deck) -> QuestionBuilder:
    return QuestionBuilder(seed_deck)


@pytest.fixture(scope="module")
def checker(seed_deck: Deck) -> QuestionChecker:
    return QuestionChecker(seed_deck)


def build(b: QuestionBuilder, fact_id: str, form: Form, seed: int = 0) -> Question:
    q = b.build(f"{fact_id}/x", fact_id, FAMILY_OF_FORM[form], random.Random(seed), form=form)
    assert q is not None, (fact_id, form)
    return q


def many(b: QuestionBuilder, fact_id: str, form: Form, n: int = 60) -> list[Question]:
    return [build(b, fact_id, form, seed) for seed in range(n)]


def source_deck(text: str, facts: list[Fact], published: str | None = "2024-04") -> Deck:
    return Deck(
        id="t",
        name="test",
        sources=(Source(id="src", title="T", text=text, published=published),),
        facts=tuple(facts),
    )


def fact_at(text: str, fid: str, kind: FactKind, span: str, **fields: object) -> Fact:
    start = text.index(span)
    return Fact(
        id=fid, kind=kind, source_id="src", text=span, start=start, end=start + len(span),
        **fields,  # type: ignore[arg-type]
    )  # fmt: skip


# --------------------------------------------------------------------------
# The seed deck, checked rule by rule


def test_every_seed_fact_yields_at_least_two_forms(
    seed_deck: Deck, builder: QuestionBuilder
) -> None:
    # Moscow's statement names "Russia" and Armenia's names "Yerevan", other names of
    # their speakers: asking who said them would give the answer away.
    # Pashinyan's "we are talking about …" opens with a pronoun for a speaker the
    # question may not name: only which-quote is left.
    # Paris and Washington's words: a typed answer only, since no two other states or
    # places of the seed can stand beside them as choices ("their readiness to help
    # Yerevan" rules Yerevan out).
    one_form = {"q-moscow-accuses", "q-paris-washington"}
    # Peskov's "Yes this is true" has no content to ask who said it; Moscow's "trying to
    # remove Armenia …" is no clause, so no which-quote option, and names "Russia".
    # Armenia's position: which-quote would need two other statements of states or
    # places in its grammatical person, and the seed has none.
    no_form = {"q-peskov", "q-pashinyan-clarified", "q-moscow-accuses", "q-armenia-position"}
    for fact in seed_deck.facts:
        forms = [f for fam in Family for f in builder.forms_for(fact.id, fam)]
        least = 0 if fact.id in no_form else 1 if fact.id in one_form else 2
        assert len(forms) >= least, (fact.id, forms)
        for form in forms:  # every offered form really builds
            assert build(builder, fact.id, form).form is form


@pytest.mark.parametrize("seed", range(1, 21))
def test_seed_questions_follow_every_rule(
    seed: int, seed_deck: Deck, builder: QuestionBuilder, checker: QuestionChecker
) -> None:
    questions = questions_for_deck(seed_deck, seed, builder=builder)
    cards = {(f.id, fam) for f in seed_deck.facts for fam in builder.families_for(f.id)}
    assert {(q.fact_id, q.family) for q in questions} == cards
    for q in questions:
        assert checker.problems(q) == [], (q.fact_id, q.form, q.prompt, q.choices)


def test_every_form_of_every_seed_fact_follows_every_rule(
    seed_deck: Deck, builder: QuestionBuilder, checker: QuestionChecker
) -> None:
    for fact in seed_deck.facts:
        for family in Family:
            for form in builder.forms_for(fact.id, family):
                for q in many(builder, fact.id, form, 25):
                    assert checker.problems(q) == [], (fact.id, form, q.prompt, q.choices)


def test_the_checker_catches_broken_questions(
    builder: QuestionBuilder, checker: QuestionChecker
) -> None:
    q = build(builder, "n-military-personnel", Form.CHOICE)
    others = [c for c in q.choices or () if c != q.answers[0]]
    bad = {
        "answer twice": (q.answers[0], q.answers[0], *others[:2]),
        "same after normalising": ("1960", q.answers[0], *others[:2]),
        "rounded distractor": ("2,000", q.answers[0], *others[:2]),
        "two choices": (q.answers[0], others[0]),
    }
    for name, choices in bad.items():
        assert checker.problems(replace(q, choices=choices)), name
    assert checker.problems(replace(q, prompt="Was it 1,960 personnel?"))
    shares = _share_deck("growth of exports")
    bounded = build(QuestionBuilder(shares), "n-growth", Form.CHOICE)
    sixty = replace(bounded, choices=("38%", "43%", "60%"))  # "more than 50%" of that growth
    assert any("true by" in p for p in QuestionChecker(shares).problems(sixty))


# --------------------------------------------------------------------------
# Forms per kind


def test_forms_per_kind(builder: QuestionBuilder) -> None:
    assert builder.forms_for("d-trilateral-statement", Family.RECOGNISE) == (Form.CHOICE,)
    assert set(builder.forms_for("d-trilateral-statement", Family.RECALL)) == {
        Form.TYPED,
        Form.CLOZE,
        Form.TIMELINE,
    }
    # One comparable pair only in the seed: which-is-larger would be the same coin toss.
    assert set(builder.forms_for("n-weapons-share", Family.RECOGNISE)) == {Form.CHOICE}
    assert set(builder.forms_for("n-helicopters", Family.RECALL)) == {Form.TYPED, Form.CLOZE}
    # Hajiyev's first sentence (37 words) has no other option of a similar length.
    assert set(builder.forms_for("q-hajiyev", Family.RECOGNISE)) == {Form.WHO_SAID}
    # Zatulin's options would stand among statements of Moscow, Armenia or Paris and
    # Washington only: no which-quote (a person's words among persons' words only).
    assert set(builder.forms_for("q-zatulin", Family.RECOGNISE)) == {Form.WHO_SAID}
    assert set(builder.forms_for("q-iskandaryan", Family.RECOGNISE)) == {
        Form.WHO_SAID,
        Form.WHICH_QUOTE,
    }
    assert builder.forms_for("q-zatulin-not-demanding", Family.RECALL) == (Form.TYPED,)
    assert builder.forms_for("q-peskov", Family.RECALL) == ()  # "Yes this is true"
    assert builder.forms_for("p-tokayev", Family.RECOGNISE) == (Form.CHOICE,)
    assert builder.forms_for("p-tokayev", Family.RECALL) == (Form.TYPED,)


def test_open_bounds_get_no_multiple_choice(builder: QuestionBuilder) -> None:
    # "more than 50%": 60% would be true and "more than 30%" too; no fair choices exist.
    for fact_id in ("n-weapons-share-before", "n-presence-period", "n-trade-share"):
        assert Form.CHOICE not in builder.forms_for(fact_id, Family.RECOGNISE)
    typed = build(builder, "n-weapons-share-before", Form.TYPED)
    assert typed.answers[0] == "more than 50%"


def _arms_deck(countries: int) -> Deck:
    shares = [("Russia", 10), ("France", 30), ("India", 45), ("Iran", 62)][:countries]
    text = " ".join(f"{name} supplies {share}% of the country's arms imports."
                    for name, share in shares) + " In total 4 helicopters arrived."
    facts = [fact_at(text, f"n-{name.lower()}", FactKind.NUMBER, f"{share}%", value=share,
                     unit="%", counts="share of the country's arms imports",
                     event=f"{name}'s share of the country's arms imports",
                     stem=f"What share of the country's arms imports does {name} supply?")
             for name, share in shares]
    facts.append(fact_at(text, "n-helicopters", FactKind.NUMBER, "4", value=4,
                         counts="helicopters", stem="How many helicopters arrived?"))
    return source_deck(text, facts)


def test_which_is_larger_compares_the_same_kind_of_thing() -> None:
    b = QuestionBuilder(_arms_deck(3))
    asked = many(b, "n-france", Form.LARGER)
    partners = {q.related_fact_ids for q in asked}
    assert partners == {("n-russia",), ("n-india",)}  # not the same pair every time
    for q in asked:
        other = q.related_fact_ids[0]
        larger = "France" if other == "n-russia" else "India"
        assert q.answers[0].startswith(larger), (q.choices, q.answers)
    # Helicopters and arms shares are not the same kind of thing.
    assert Form.LARGER not in b.forms_for("n-helicopters", Family.RECOGNISE)


def test_which_is_larger_needs_several_comparable_figures() -> None:
    assert Form.LARGER not in QuestionBuilder(_arms_deck(2)).forms_for("n-russia",
                                                                        Family.RECOGNISE)
    assert Form.LARGER in QuestionBuilder(_arms_deck(3)).forms_for("n-russia",
                                                                    Family.RECOGNISE)


def test_quote_and_person_prompts(builder: QuestionBuilder) -> None:
    assert build(builder, "q-zatulin-reasons", Form.WHO_SAID).prompt == (
        "Who said that the reasons for maintaining the contingent are becoming fewer and "
        "fewer every day?")
    reported = build(builder, "q-zatulin-not-demanding", Form.WHO_SAID).prompt
    assert reported.startswith("Who said that Azerbaijan is not yet demanding")
    nested = build(builder, "q-pashinyan-territory", Form.WHO_SAID)
    assert nested.prompt == (
        "According to Grigory Karasin, who said that this is the territory of Azerbaijan?"
    )
    assert "Grigory Karasin" not in (nested.choices or ())  # his words contain the quote
    noun_phrase = build(builder, "q-pashinyan-peace", Form.WHO_SAID).prompt
    assert noun_phrase.startswith("To whom does the article attribute this: “his readiness")
    position = build(builder, "p-hajiyev", Form.CHOICE)
    assert position.prompt == "What position does Hikmet Hajiyev hold?"
    assert position.answers[0] == "Assistant to the President of Azerbaijan"
    who = build(builder, "p-tokayev", Form.TYPED)
    assert who.prompt == "Who is the Kazakh President?"
    assert who.answers == ("Kassym-Jomart Tokayev", "Tokayev")
    which = build(builder, "q-iskandaryan", Form.WHICH_QUOTE)
    assert which.prompt == "Which of these did Alexander Iskandaryan say?"


def test_facts_inside_quotations_are_attributed(builder: QuestionBuilder) -> None:
    q = build(builder, "d-trilateral-statement", Form.CHOICE)
    assert q.prompt.startswith("According to Hikmet Hajiyev, when was the trilateral statement")
    share = build(builder, "n-weapons-share", Form.TYPED)
    assert share.prompt.startswith("According to Alexander Iskandaryan, what share")
    # The stem already names the speaker: no prefix.
    almaty = build(builder, "d-almaty-declaration", Form.TYPED)
    assert almaty.prompt.startswith("Which year does the Almaty Declaration cited by Nikol")
    # Not inside a quotation: the stem as written.
    assert build(builder, "n-helicopters", Form.TYPED).prompt == (
        "How many helicopters arrived in Karabakh?"
    )


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("When was it signed?", "According to X, when was it signed?"),
        ("How many arrived?", "According to X, how many arrived?"),
        ("In which year was it?", "According to X, in which year was it?"),
        ("The number of troops was what?", "According to X, the number of troops was what?"),
        ("Russia's share was what?", "According to X, Russia's share was what?"),
        ("The Hague hosted what?", "According to X, The Hague hosted what?"),
    ],
)
def test_according_to_lowers_only_question_words(stem: str, expected: str) -> None:
    assert according_to("X", stem) == expected


def test_cloze_blanks_exactly_the_answer(seed_deck: Deck, builder: QuestionBuilder) -> None:
    q = build(builder, "n-helicopters", Form.CLOZE)
    assert q.prompt == (
        f"{CLOZE_LEAD}In total, […] military personnel, […] armored personnel carriers, "
        f"[…] vehicles and {BLANK} helicopters arrived in Karabakh."
    )
    assert q.answers[0] == "4"
    bounded = build(builder, "n-weapons-share-before", Form.CLOZE)
    # The sentence opens a quotation that goes on after it: the cloze closes it.
    assert bounded.prompt == (
        f"{CLOZE_LEAD}“Russia accounts for only […] of the total volume of weapons purchased "
        f"by Armenia, although previously this figure was more than {BLANK}.”")


@pytest.mark.parametrize(("text", "balanced"), [
    ("“It began here.", "“It began here.”"),
    ("and it ended.” He left.", "“and it ended.” He left."),
    ("“One” and “two”.", "“One” and “two”."),
    ('"Straight quotes too.', '"Straight quotes too."'),
    ('ends here," she said.', '"ends here," she said.'),
])
def test_quotation_marks_are_balanced(text: str, balanced: str) -> None:
    assert balance_quotes(text) == balanced


def test_cloze_builds_its_sentence_from_the_source_when_missing() -> None:
    text = "Troops left in May. In 2020, 40 tanks arrived in the town. Nothing else happened."
    deck = source_deck(
        text,
        [fact_at(text, "n", FactKind.NUMBER, "40", value=40, counts="tanks", stem="How many?")],
    )
    q = build(QuestionBuilder(deck), "n", Form.CLOZE)
    assert q.prompt == f"{CLOZE_LEAD}In 2020, {BLANK} tanks arrived in the town."
    assert q.evidence.sentence == "In 2020, 40 tanks arrived in the town."
    assert q.evidence.highlight_start == 9


# --------------------------------------------------------------------------
# Distractors


def test_number_distractors_keep_style_and_roundness(builder: QuestionBuilder) -> None:
    for q in many(builder, "n-military-personnel", Form.CHOICE):
        for c in q.choices or ():
            reading = parse_number(c)
            assert reading is not None
            value = int(reading.value)
            assert value % 10 == 0 and value % 100 != 0, c  # as round as 1,960, no rounder
            assert ("," in c) == (value >= 1000), c
    for q in many(builder, "n-trade-2023", Form.CHOICE):
        for c in q.choices or ():
            assert c.startswith("$") and c.endswith(" billion"), c
            assert len(c.split(".")[1]) == len("3 billion"), c  # one decimal, never "7.0"
            assert not c.split(" ")[0].endswith(".0")


def test_a_bound_limits_its_own_quantity_only(builder: QuestionBuilder) -> None:
    # Russia's former share of Armenia's weapons purchases was "more than 50%": that says
    # nothing about the growth of trade, whose choices may lie above 50% too, so the key
    # (43%) is not always the largest choice.
    largest = 0
    above = 0
    for q in many(builder, "n-trade-growth", Form.CHOICE, 80):
        values = []
        for c in q.choices or ():
            reading = parse_number(c)
            assert reading is not None and reading.percent
            values.append(reading.value)
        largest += max(values) == 43
        above += any(v > 50 for v in values)
    assert above > 0 and largest < 80


def test_distractors_come_from_the_deck_first(builder: QuestionBuilder) -> None:
    def shown(fact_id: str) -> Counter[str]:
        return Counter(c for q in many(builder, fact_id, Form.CHOICE) for c in q.choices or ())

    assert shown("d-second-karabakh-war")["2023"] > 30  # the deck's own year, nearly always
    assert shown("d-zatulin-reported")["April 15"] > 30


def test_dates_keep_precision_and_style(builder: QuestionBuilder) -> None:
    for q in many(builder, "d-trilateral-statement", Form.CHOICE, 20):
        assert all(c.count(",") == 1 and len(c.split()) == 3 for c in q.choices or ())
    for q in many(builder, "d-main-forces-deployed", Form.CHOICE, 20):
        assert q.answers[0] == "November 2020"
        assert all(len(c.split()) == 2 for c in q.choices or ())
    for q in many(builder, "d-zatulin-reported", Form.CHOICE, 20):
        assert all(len(c.split()) == 2 and "2024" not in c for c in q.choices or ())


def test_answer_position_is_uniform(builder: QuestionBuilder) -> None:
    for fact_id in ("n-military-personnel", "d-trilateral-statement", "p-hajiyev", "q-karasin"):
        form = Form.WHO_SAID if fact_id.startswith("q-") else Form.CHOICE
        positions: Counter[int] = Counter()
        for q in many(builder, fact_id, form, 400):
            assert q.choices is not None
            positions[q.choices.index(q.answers[0])] += 1
        assert set(positions) == {0, 1, 2, 3}, (fact_id, positions)
        assert min(positions.values()) > 60, (fact_id, positions)


def test_speaker_and_role_choices_come_from_the_deck(
    seed_deck: Deck, builder: QuestionBuilder
) -> None:
    names = {f.speaker for f in seed_deck.facts if f.speaker} | {
        f.name for f in seed_deck.facts if f.name
    }
    roles = {
        (r or "")[:1].upper() + (r or "")[1:]
        for f in seed_deck.facts
        for r in (f.role, *f.roles)
        if r
    }
    for fact_id in ("q-karasin", "q-hajiyev", "q-pashinyan-territory"):
        for q in many(builder, fact_id, Form.WHO_SAID):
            assert set(q.choices or ()) <= names
            for c in q.choices or ():  # no one named in the prompt is offered
                assert c.split()[-1] not in q.prompt, (q.prompt, c)
    for q in many(builder, "p-pashinyan", Form.CHOICE):
        assert set(q.choices or ()) <= roles
        shown = set(q.choices or ()) - {q.answers[0]}
        assert not shown & {"Prime Minister of the Republic", "Leader of Armenia"}


def test_seed_speaker_choices_are_of_one_sort(seed_deck: Deck) -> None:
    """Persons with persons, places with places; too few of a sort: the form is not offered."""
    builder = QuestionBuilder(seed_deck, forms=ALL_FORMS)
    places = {"Moscow", "Armenia", "Yerevan", "Paris and Washington"}
    # "their readiness to help Yerevan": Moscow is the one other place that may be shown.
    assert Form.WHO_SAID not in builder.forms_for("q-paris-washington", Family.RECOGNISE)
    assert builder.forms_for("q-paris-washington", Family.RECALL) == (Form.TYPED,)
    assert Form.WHICH_QUOTE not in builder.forms_for("q-armenia-position", Family.RECOGNISE)
    for fact in seed_deck.facts:
        if fact.kind is not FactKind.QUOTE:
            continue
        if Form.WHO_SAID in builder.forms_for(fact.id, Family.RECOGNISE):
            for q in many(builder, fact.id, Form.WHO_SAID):
                assert not set(q.choices or ()) & places, q.choices  # persons only
        if Form.WHICH_QUOTE in builder.forms_for(fact.id, Family.RECOGNISE):
            for q in many(builder, fact.id, Form.WHICH_QUOTE):
                owners = {g.speaker for g in seed_deck.facts if g.kind is FactKind.QUOTE
                          and any(norm_text(c) in norm_text(g.text) for c in q.choices or ())}
                assert not owners & places, (q.choices, owners)


def test_which_quote_options_are_whole_clauses_alike(builder: QuestionBuilder) -> None:
    for fid in ("q-iskandaryan", "q-pashinyan-no-redeployment"):
        for q in many(builder, fid, Form.WHICH_QUOTE):
            choices = q.choices or ()
            assert not any("…" in c for c in choices), choices
            assert all(c[0].isupper() and not c.endswith(".") for c in choices), choices
            lengths = [len(c.split()) for c in choices]
            assert max(lengths) <= 1.6 * min(lengths), choices
    # "Yes this is true" is too short, "his readiness …" no clause, "These are …" points
    # outside itself: no which-quote for them.
    for fid in ("q-peskov", "q-pashinyan-peace", "q-pashinyan-return"):
        assert Form.WHICH_QUOTE not in builder.forms_for(fid, Family.RECOGNISE)


def _speakers_deck(speakers: list[str]) -> Deck:
    facts = [
        Fact(id=f"q{i}", kind=FactKind.QUOTE, text=f"Words number {w} were spoken here", speaker=s)
        for i, (s, w) in enumerate(
            zip(speakers, ("one", "two", "three", "four", "five"), strict=False)
        )
    ]
    return Deck(id="s", name="speakers", facts=tuple(facts))


def test_small_decks_get_three_choices_or_none() -> None:
    three = QuestionBuilder(_speakers_deck(["Ann Lee", "Bo Chan", "Cy Diaz"]))
    q = build(three, "q0", Form.WHO_SAID)
    assert len(q.choices or ()) == 3
    two = QuestionBuilder(_speakers_deck(["Ann Lee", "Bo Chan"]))
    assert Form.WHO_SAID not in two.forms_for("q0", Family.RECOGNISE)
    assert two.forms_for("q0", Family.RECALL) == (Form.TYPED,)


def test_a_prompt_that_gives_the_answer_away_is_not_offered() -> None:
    text = "The bridge opened in 1990. It cost 40 dollars."
    deck = source_deck(
        text,
        [
            fact_at(text, "d", FactKind.DATE, "1990", value="1990", stem="Opened in 1990?"),
            fact_at(text, "n", FactKind.NUMBER, "40", value=40, counts="cost", stem="Cost 40?"),
        ],
    )
    b = QuestionBuilder(deck)
    for fact_id in ("d", "n"):
        assert Form.CHOICE not in b.forms_for(fact_id, Family.RECOGNISE)
        assert Form.TYPED not in b.forms_for(fact_id, Family.RECALL)
        assert Form.CLOZE in b.forms_for(fact_id, Family.RECALL)


# --------------------------------------------------------------------------
# Timelines


def test_timeline_uses_publication_year_and_skips_overlaps(builder: QuestionBuilder) -> None:
    for q in many(builder, "d-zatulin-reported", Form.TIMELINE, 40):
        events = (q.answers[0]).split(" | ")
        assert 3 <= len(events) <= 5
        assert sorted(q.items or ()) == sorted(events)
        assert list(q.items or ()) != events
        # 2020 (the war) overlaps November 2020 and November 10, 2020: never together.
        war = "Second Karabakh War" in events
        assert not (war and ("Trilateral statement signed" in events)), events
        assert not (war and ("Main Russian forces deployed" in events)), events
        if "Pashinyan announces readiness to sign peace with Baku" in events:
            i = events.index("Pashinyan announces readiness to sign peace with Baku")
            assert events[i + 1 :][:1] in (
                ["Zatulin says Azerbaijan is not demanding a withdrawal"],
                [],
            )


def test_yearless_days_need_a_publication_year() -> None:
    text = "On April 16 it rained. In 1990 it snowed. In 2001 it was dry. In 2010 it hailed."
    facts = [
        fact_at(text, "a", FactKind.DATE, "April 16", value="--04-16", stem="When?", event="Rain"),
        fact_at(text, "b", FactKind.DATE, "1990", value="1990", stem="When?", event="Snow"),
        fact_at(text, "c", FactKind.DATE, "2001", value="2001", stem="When?", event="Drought"),
        fact_at(text, "d", FactKind.DATE, "2010", value="2010", stem="When?", event="Hail"),
    ]
    with_year = QuestionBuilder(source_deck(text, facts, published="2024"))
    assert Form.TIMELINE in with_year.forms_for("a", Family.RECALL)
    without = QuestionBuilder(source_deck(text, facts, published=None))
    assert Form.TIMELINE not in without.forms_for("a", Family.RECALL)
    q = build(without, "b", Form.TIMELINE)
    assert "Rain" not in (q.items or ())


def test_a_timelines_yearless_day_is_dated_with_the_year_it_was_placed_in(
        builder: QuestionBuilder) -> None:
    # The feedback shows each event with its date: "April 16" alone, after
    # "2023", would read as out of order; it is April 16 of the article's year.
    dated = {}
    for q in many(builder, "d-zatulin-reported", Form.TIMELINE, 40):
        dated.update(zip(q.answers[0].split(" | "), q.item_dates, strict=True))
    assert dated["Zatulin says Azerbaijan is not demanding a withdrawal"] == "April 16, 2024"
    for event, date in dated.items():
        assert re.search(r"\b(19|20)\d\d$", date), (event, date)


# --------------------------------------------------------------------------
# Grading the canonical answer, Q/A notes


def test_canonical_answers_grade_right(seed_deck: Deck, builder: QuestionBuilder) -> None:
    for seed in (1, 2, 3):
        for q in questions_for_deck(seed_deck, seed, builder=builder):
            given = q.answers[0].split(" | ") if q.form is Form.TIMELINE else q.answers[0]
            assert grade(q, given, seed_deck.options).verdict is Verdict.RIGHT, q.prompt


def test_relative_wording_counts_only_in_its_sentence(builder: QuestionBuilder) -> None:
    cloze = build(builder, "d-main-forces-deployed", Form.CLOZE)
    assert grade(cloze, "November").verdict is Verdict.RIGHT
    typed = build(builder, "d-main-forces-deployed", Form.TYPED)
    assert grade(typed, "November 2020").verdict is Verdict.RIGHT
    partial = grade(typed, "November")
    assert partial.verdict is Verdict.PARTIAL and partial.message.startswith("Right month")


def test_qa_notes() -> None:
    deck = Deck(
        id="qa",
        name="qa",
        facts=(Fact(id="qa-1", kind=FactKind.QA, front="Capital of Peru?", back="Lima"),),
    )
    b = QuestionBuilder(deck)
    card = build(b, "qa-1", Form.FLASHCARD)
    assert (card.prompt, card.back, card.choices, card.input_kind) == (
        "Capital of Peru?",
        "Lima",
        None,
        "reveal",
    )
    typed = build(b, "qa-1", Form.TYPED)
    assert typed.answers == ("Lima",) and typed.family is Family.RECALL
    assert grade(typed, "lima").verdict is Verdict.RIGHT


def test_build_respects_form_and_exclude(builder: QuestionBuilder) -> None:
    rng = random.Random(3)
    q = builder.build("c", "d-trade-2023", Family.RECALL, rng, form=Form.CLOZE)
    assert q is not None and q.form is Form.CLOZE
    for _ in range(20):
        q = builder.build(
            "c", "d-trade-2023", Family.RECALL, rng, exclude=frozenset({Form.TYPED, Form.CLOZE})
        )
        assert q is not None and q.form is Form.TIMELINE
    assert builder.build("c", "d-trade-2023", Family.RECALL, rng, form=Form.LARGER) is None
    assert builder.build("c", "n-presence-period", Family.RECOGNISE, rng) is None
    assert builder.families_for("n-presence-period") == (Family.RECALL,)
    assert builder.families_for("no-such-fact") == ()


# --------------------------------------------------------------------------
# Question JSON


def test_question_json_shape(seed_deck: Deck) -> None:
    data = questions_json(seed_deck, 1)
    assert data["deck"] == "seed" and data["seed"] == 1
    json.dumps(data)  # serialisable
    keys = {"card_id", "fact_id", "family", "form", "prompt", "choices", "answers", "evidence"}
    # One question per card, that is per fact; a deck file that is not stored has the
    # fact ids as card ids, and its facts are new: asked in a recognise form when the
    # fact has one.
    builder = QuestionBuilder(seed_deck, forms=ALL_FORMS)
    assert len({q["fact_id"] for q in data["questions"]}) == len(data["questions"]) > 30
    for q in data["questions"]:
        assert keys <= set(q)
        assert q["card_id"] == q["fact_id"]
        can_recognise = bool(builder.forms_for(q["fact_id"], Family.RECOGNISE))
        assert q["family"] == ("recognise" if can_recognise else "recall")
        assert set(q["evidence"]) == {"sentence", "start", "end"}
        if q["form"] in ("typed", "cloze", "timeline", "flashcard"):
            assert q["choices"] is None
        else:
            assert q["answers"][0] in q["choices"]
        if q["form"] == "timeline":
            assert isinstance(q["answers"][0], list)
            assert sorted(q["items"]) == sorted(q["answers"][0])
        else:
            assert "items" not in q


def test_same_seed_same_json_other_seed_other_json(seed_deck: Deck) -> None:
    one = questions_json(seed_deck, 7)
    assert questions_json(seed_deck, 7) == one
    assert questions_json(seed_deck, 8) != one
    forms = Counter(q["form"] for q in one["questions"] if q["fact_id"].startswith("d-"))
    assert len(forms) >= 3  # forms vary across cards


def test_json_does_not_depend_on_card_order(seed_deck: Deck) -> None:
    reordered = Deck(
        id=seed_deck.id,
        name=seed_deck.name,
        sources=seed_deck.sources,
        facts=tuple(reversed(seed_deck.facts)),
        speakers=tuple(reversed(seed_deck.speakers)),
    )
    by_card = {q["card_id"]: q for q in questions_json(seed_deck, 5)["questions"]}
    again = {q["card_id"]: q for q in questions_json(reordered, 5)["questions"]}
    assert by_card == again


def test_stored_card_ids_and_families_are_used(seed_deck: Deck) -> None:
    """A stored card's id, and the family its memory is asked in (here recall)."""
    cards = {f.id: (f"card-{i}", Family.RECALL) for i, f in enumerate(seed_deck.facts)}
    data = questions_json(seed_deck, 1, cards)
    assert all(q["card_id"] == cards[q["fact_id"]][0] for q in data["questions"])
    builder = QuestionBuilder(seed_deck, forms=ALL_FORMS)
    for q in data["questions"]:
        can_recall = bool(builder.forms_for(q["fact_id"], Family.RECALL))
        assert q["family"] == ("recall" if can_recall else "recognise")


def test_json_does_not_depend_on_hash_seed() -> None:
    script = (
        "import json;from quizapp.assets import seed_deck_path;"
        "from quizapp.facts.deckfile import load_deck_file;"
        "from quizapp.questions.generate import questions_json;"
        "print(json.dumps(questions_json(load_deck_file(seed_deck_path()), 3)))"
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
            check=True,
        )  # fmt: skip
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_card_rng_is_stable() -> None:
    assert stable_hash(1, "a/recall") == stable_hash(1, "a/recall")
    assert stable_hash(1, "a/recall") != stable_hash(2, "a/recall")
    assert card_rng(1, "x").random() == card_rng(1, "x").random()


def test_deck_tolerance_reaches_grading(seed_deck: Deck) -> None:
    deck = Deck(
        id=seed_deck.id,
        name=seed_deck.name,
        sources=seed_deck.sources,
        facts=seed_deck.facts,
        options=DeckOptions(number_tolerance=0.1),
    )
    q = build(QuestionBuilder(deck), "n-vehicles", Form.TYPED)
    assert grade(q, "400", deck.options).verdict is Verdict.RIGHT
    assert grade(q, "400").verdict is Verdict.WRONG


def test_multiple_choice_is_offered_only_when_well_spaced_distractors_exist() -> None:
    """“More than 54%” rules out 54–100%: for 86% only 51% and 53% remain, too close to
    each other to be shown together, so no choice question is offered (and none fails)."""
    text = (
        "Officials reported 48% for the tanks in region harvest. Officials reported more "
        "than 54% for the tanks in region flood. Officials reported 86% for the tanks in "
        "region summit. "
    )
    stem = "What figure was given for the tanks?"

    def number(fid: str, span: str, value: int, qualifier: str | None = None) -> Fact:
        start = text.index(span)
        return Fact(id=fid, kind=FactKind.NUMBER, source_id="src", text=span, start=start,
                    end=start + len(span), stem=stem, value=value, unit="%", counts="tanks",
                    qualifier=qualifier)

    deck = Deck(id="tanks", name="tanks",
                sources=(Source(id="src", title="Tanks", text=text),),
                facts=(number("n0", "48%", 48), number("n1", "54%", 54, "more than"),
                       number("n2", "86%", 86)))
    builder = QuestionBuilder(deck)
    checker = QuestionChecker(deck)
    assert Form.CHOICE not in builder.forms_for("n2", Family.RECOGNISE)
    for fact in deck.facts:
        for family in Family:
            for form in builder.forms_for(fact.id, family):
                for seed in range(20):
                    q = builder.build(f"{fact.id}/{family}", fact.id, family,
                                      random.Random(seed), form=form)
                    assert q is not None, (fact.id, form, seed)
                    assert checker.problems(q) == []


# --------------------------------------------------------------------------
# Speakers: other names and who speaks for whom


def test_no_seed_attribution_question_offers_a_second_right_answer(
    seed_deck: Deck, builder: QuestionBuilder, checker: QuestionChecker
) -> None:
    """Seeds 1-40: who-said and which-quote never offer Karasin's words as not Moscow's,
    Pashinyan's as not Armenia's, nor Moscow, Russia or the Kremlin as not Karasin."""
    asked = 0
    for seed in range(1, 41):
        for q in questions_for_deck(seed_deck, seed, builder=builder):
            if q.form in (Form.WHO_SAID, Form.WHICH_QUOTE):
                asked += 1
                assert checker.problems(q) == [], (seed, q.fact_id, q.prompt, q.choices)
    assert asked >= 400  # who-said and which-quote of places and persons mixed are not asked


def test_seed_speakers_fold_other_names_into_one(builder: QuestionBuilder) -> None:
    ix = builder.index
    moscow = ix.person_of("the Kremlin")
    assert moscow is not None and moscow is ix.person_of("Russia") is ix.person_of("Moscow")
    armenia = ix.person_of("the Armenian authorities")
    assert armenia is not None and armenia is ix.person_of("Yerevan")
    karasin = ix.person_of("Grigory Karasin")
    assert karasin is not None
    assert moscow.key in ix.related_people(karasin) and karasin.key in ix.related_people(moscow)
    peskov = ix.person_of("Dmitry Peskov")
    assert peskov is not None and peskov.key not in ix.related_people(karasin)  # siblings
    for fid in ("q-iskandaryan", "q-pashinyan-no-redeployment"):  # Karasin's words are Moscow's
        for q in many(builder, fid, Form.WHICH_QUOTE):
            assert not any("haste" in c for c in q.choices or ()), q.choices


# --------------------------------------------------------------------------
# A bound rules out values of its own quantity only


def _percent(choice: str) -> float:
    reading = parse_number(choice)
    assert reading is not None and reading.percent, choice
    return reading.value


def _share_deck(bound_counts: str) -> Deck:
    text = ("Exports grew by 43% last year. Earlier, more than 50% of the grain went "
            "abroad. The ministry holds 10% of the shares of the port.")
    return source_deck(text, [
        fact_at(text, "n-growth", FactKind.NUMBER, "43%", value=43, unit="%",
                counts="growth of exports", stem="By what percentage did exports grow?"),
        fact_at(text, "n-grain", FactKind.NUMBER, "50%", value=50, unit="%",
                qualifier="more than", counts=bound_counts,
                stem="What share of the grain went abroad?"),
        fact_at(text, "n-port", FactKind.NUMBER, "10%", value=10, unit="%",
                counts="the ministry's share of the port",
                stem="What share of the port does the ministry hold?"),
    ])


def test_a_bound_of_another_quantity_leaves_values_above_it_free() -> None:
    b = QuestionBuilder(_share_deck("share of the grain sold abroad"))
    values = [_percent(c) for q in many(b, "n-growth", Form.CHOICE) for c in (q.choices or ())]
    assert any(v > 50 for v in values), "values above 50% were kept out of another share"


def test_a_bound_of_the_same_quantity_still_rules_values_out() -> None:
    b = QuestionBuilder(_share_deck("growth of exports"))
    for q in many(b, "n-growth", Form.CHOICE):
        for c in q.choices or ():
            if c != q.answers[0]:
                assert not 50 <= _percent(c) <= 100, (c, q.choices)


def test_a_round_answer_with_nothing_as_round_below_it_is_not_always_first() -> None:
    b = QuestionBuilder(_share_deck("share of the grain sold abroad"))
    places = [(q.choices or ()).index(q.answers[0]) for q in many(b, "n-port", Form.CHOICE)]
    assert set(places) - {0}, "10% was the smallest choice every time"


def test_no_cloze_blanks_a_relative_date() -> None:
    text = ("The summit opened on April 16, 2024 in Oslo. The talks ended on Tuesday "
            "without a statement.")
    deck = source_deck(text, [
        fact_at(text, "d-opened", FactKind.DATE, "April 16, 2024", value="2024-04-16",
                stem="When did the summit open?"),
        fact_at(text, "d-ended", FactKind.DATE, "on Tuesday", value="2024-04-23",
                stem="When did the talks end?"),
    ], published="2024-04-24")
    b = QuestionBuilder(deck)
    assert Form.CLOZE in b.forms_for("d-opened", Family.RECALL)
    assert Form.CLOZE not in b.forms_for("d-ended", Family.RECALL)
