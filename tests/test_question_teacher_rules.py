"""Rules a strict teacher holds generated questions to, on short texts written for them.

Related facts do not give each other away (a cloze masks the other values of its
sentence; :func:`related_facts` tells a session which facts not to ask together),
a cloze names the speaker an opening pronoun stands for, and words with no content
or a reported statement opening with a pronoun are not asked as "Who said …?".
"""

from __future__ import annotations

import dataclasses
import random

from quizapp.facts.model import Deck, Fact, FactKind, Source
from quizapp.questions.checks import QuestionChecker
from quizapp.questions.generate import QuestionBuilder, questions_for_deck
from quizapp.questions.model import Family, Form, Question
from quizapp.questions.prompts import BLANK, CLOZE_LEAD, MASK
from quizapp.questions.related import gives_away, related_facts


def _deck(text: str, facts: list[Fact]) -> Deck:
    source = Source(id="src", title="T", text=text, published="2024-04")
    return Deck(id="t", name="test", sources=(source,), facts=tuple(facts))


def _fact(text: str, fid: str, kind: FactKind, span: str, **fields: object) -> Fact:
    start = text.index(span)
    return Fact(
        id=fid, kind=kind, source_id="src", text=span, start=start, end=start + len(span),
        **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def _build(b: QuestionBuilder, fid: str, family: Family, form: Form) -> Question | None:
    return b.build(f"{fid}/{family}", fid, family, random.Random(0), form=form)


# --------------------------------------------------------------------------- related facts

ARRIVALS = (
    "The convoy left on Monday. In total, 40 tanks, 120 trucks and 3 helicopters arrived "
    "in the valley. Later 900 soldiers followed. "
    "“We counted 75 schools in the north,” said Anna Petrov. Boris Okafor said nothing."
)


def _arrivals() -> Deck:
    t = ARRIVALS
    return _deck(t, [
        _fact(t, "n-tanks", FactKind.NUMBER, "40", value=40, counts="tanks",
              stem="How many tanks arrived in the valley?"),
        _fact(t, "n-trucks", FactKind.NUMBER, "120", value=120, counts="trucks",
              stem="How many trucks arrived in the valley?"),
        _fact(t, "n-helicopters", FactKind.NUMBER, "3", value=3, counts="helicopters",
              stem="How many helicopters arrived in the valley?"),
        _fact(t, "n-soldiers", FactKind.NUMBER, "900", value=900, counts="soldiers",
              stem="How many soldiers followed the 40 tanks?"),
        _fact(t, "n-schools", FactKind.NUMBER, "75", value=75, counts="schools",
              stem="How many schools were counted in the north?"),
        _fact(t, "q-petrov", FactKind.QUOTE, "We counted 75 schools in the north",
              speaker="Anna Petrov", reported=False),
    ])  # fmt: skip


def test_a_cloze_masks_the_other_values_of_its_sentence() -> None:
    builder = QuestionBuilder(_arrivals())
    q = _build(builder, "n-trucks", Family.RECALL, Form.CLOZE)
    assert q is not None
    assert q.prompt == (
        f"{CLOZE_LEAD}In total, {MASK} tanks, {BLANK} trucks and {MASK} helicopters arrived "
        "in the valley."
    )
    assert q.answers[0] == "120"
    # 900 stands in another sentence: its cloze has nothing to mask.
    alone = _build(builder, "n-soldiers", Family.RECALL, Form.CLOZE)
    assert alone is not None and alone.prompt == f"{CLOZE_LEAD}Later {BLANK} soldiers followed."


def test_the_guard_refuses_a_cloze_that_shows_a_related_key() -> None:
    deck = _arrivals()
    q = _build(QuestionBuilder(deck), "n-trucks", Family.RECALL, Form.CLOZE)
    assert q is not None
    shows_keys = dataclasses.replace(
        q, prompt=f"{CLOZE_LEAD}In total, 40 tanks, {BLANK} trucks and 3 helicopters arrived "
        "in the valley.")  # fmt: skip
    problems = QuestionChecker(deck).problems(shows_keys)
    assert any("mask" in p for p in problems), problems


def test_related_facts_share_a_sentence_a_quotation_or_a_prompt() -> None:
    related = related_facts(_arrivals())
    assert related["n-trucks"] == {"n-tanks", "n-helicopters"}
    # A figure inside a quotation: "Who said: “We counted 75 schools …”?" shows it.
    assert related["n-schools"] == {"q-petrov"}
    assert related["q-petrov"] == {"n-schools"}
    # The soldiers' stem shows the tanks' answer ("the 40 tanks").
    assert related["n-soldiers"] == {"n-tanks"}
    assert related["n-tanks"] == {"n-trucks", "n-helicopters", "n-soldiers"}
    for fid, others in related.items():  # symmetric, never itself
        assert fid not in others
        assert all(fid in related[o] for o in others)


def test_gives_away_checks_the_facts_asked_so_far() -> None:
    related = related_facts(_arrivals())
    assert gives_away("n-trucks", {"n-tanks"}, related)
    assert not gives_away("n-trucks", {"n-soldiers", "n-schools"}, related)
    assert not gives_away("n-schools", set(), related)
    assert not gives_away("unknown", {"n-tanks"}, related)


def test_a_person_named_with_their_role_in_a_prompt_is_related() -> None:
    t = "Anna Petrov is the mayor of the city. The mayor of the city Anna Petrov opened 4 parks."
    deck = _deck(t, [
        _fact(t, "p-petrov", FactKind.PERSON, "Anna Petrov", name="Anna Petrov",
              role="mayor of the city"),
        _fact(t, "n-parks", FactKind.NUMBER, "4", value=4, counts="parks",
              stem="How many parks did Anna Petrov, the mayor of the city, open?"),
    ])  # fmt: skip
    assert related_facts(deck)["n-parks"] == {"p-petrov"}


# --------------------------------------------------------------------------- speakers

SPEECH = (
    "Anna Petrov opened the bridge. She said that 40 schools would open in the spring. "
    "They said that 12 clinics had closed. "
    "Boris Okafor was asked about the bridge. “Yes this is true,” Boris Okafor replied. "
    "Carla Tanaka said that the river will flood again before winter. "
    "Dmitri Silva said that we are talking about a new road to the coast. "
    "Elena Haddad said that prices rise slowly while roads stay closed."
)


def _speech() -> Deck:
    t = SPEECH
    return _deck(t, [
        _fact(t, "q-petrov", FactKind.QUOTE, "40 schools would open in the spring",
              speaker="Anna Petrov", reported=True),
        _fact(t, "n-schools", FactKind.NUMBER, "40", value=40, counts="schools",
              stem="How many schools would open in the spring?"),
        _fact(t, "n-clinics", FactKind.NUMBER, "12", value=12, counts="clinics",
              stem="How many clinics had closed?"),
        _fact(t, "q-okafor", FactKind.QUOTE, "Yes this is true", speaker="Boris Okafor",
              reported=False),
        _fact(t, "q-tanaka", FactKind.QUOTE, "the river will flood again before winter",
              speaker="Carla Tanaka", reported=True),
        _fact(t, "q-silva", FactKind.QUOTE, "we are talking about a new road to the coast",
              speaker="Dmitri Silva", reported=True),
        _fact(t, "q-haddad", FactKind.QUOTE, "prices rise slowly while roads stay closed",
              speaker="Elena Haddad", reported=True),
    ])  # fmt: skip


def test_a_cloze_opening_with_a_pronoun_names_the_speaker() -> None:
    builder = QuestionBuilder(_speech())
    q = _build(builder, "n-schools", Family.RECALL, Form.CLOZE)
    assert q is not None
    assert q.prompt == (
        f"{CLOZE_LEAD}[Anna Petrov] said that {BLANK} schools would open in the spring.")


def test_a_cloze_whose_pronoun_stands_for_no_known_speaker_is_not_offered() -> None:
    builder = QuestionBuilder(_speech())
    assert Form.CLOZE not in builder.forms_for("n-clinics", Family.RECALL)
    assert Form.TYPED in builder.forms_for("n-clinics", Family.RECALL)


def test_the_guard_refuses_a_cloze_that_names_no_one() -> None:
    deck = _speech()
    q = _build(QuestionBuilder(deck), "n-schools", Family.RECALL, Form.CLOZE)
    assert q is not None
    anonymous = dataclasses.replace(
        q, prompt=f"{CLOZE_LEAD}She said that {BLANK} schools would open in the spring.")
    assert any("names no speaker" in p for p in QuestionChecker(deck).problems(anonymous))
    wrong_name = dataclasses.replace(
        q, prompt=f"{CLOZE_LEAD}[Carla Tanaka] said that {BLANK} schools would open in the spring.")
    assert QuestionChecker(deck).problems(wrong_name)


def test_words_without_content_are_not_asked_who_said_them() -> None:
    builder = QuestionBuilder(_speech())
    assert builder.forms_for("q-okafor", Family.RECOGNISE) == ()
    assert builder.forms_for("q-okafor", Family.RECALL) == ()
    # Content words beside function words and assent: asked.
    assert Form.WHO_SAID in builder.forms_for("q-tanaka", Family.RECOGNISE)
    assert Form.TYPED in builder.forms_for("q-tanaka", Family.RECALL)


def test_a_reported_statement_opening_with_a_pronoun_is_not_asked_who_said_it() -> None:
    builder = QuestionBuilder(_speech())
    assert Form.WHO_SAID not in builder.forms_for("q-silva", Family.RECOGNISE)
    assert Form.TYPED not in builder.forms_for("q-silva", Family.RECALL)


def test_the_guard_refuses_who_said_for_empty_words_or_an_opening_pronoun() -> None:
    deck = _speech()
    checker = QuestionChecker(deck)
    q = _build(QuestionBuilder(deck), "q-tanaka", Family.RECOGNISE, Form.WHO_SAID)
    assert q is not None and checker.problems(q) == []
    empty = dataclasses.replace(q, fact_id="q-okafor", prompt="Who said: “Yes this is true”?",
                                answers=("Boris Okafor",))
    assert any("too little content" in p for p in checker.problems(empty))
    we = dataclasses.replace(q, fact_id="q-silva", answers=("Dmitri Silva",),
                             prompt="Who said that we are talking about a new road to the coast?")
    assert any("opens with 'we'" in p for p in checker.problems(we))


def test_every_question_of_the_short_decks_passes_the_guard() -> None:
    for deck in (_arrivals(), _speech()):
        builder = QuestionBuilder(deck)
        checker = QuestionChecker(deck)
        for seed in range(5):
            for q in questions_for_deck(deck, seed, builder=builder):
                assert checker.problems(q) == [], (q.fact_id, q.form, q.prompt)
        assert builder.dropped == {}


# --------------------------------------------------------------------------- which-quote

STATEMENTS = (
    "“The new bridge will carry trucks across the river by the spring. Work starts soon,” "
    "said Anna Petrov. "
    "Boris Okafor said that the old ferry will stop running after the summer holidays. "
    "Carla Tanaka said that the coastal road will reopen to buses before the first snow. "
    "Dmitri Silva said that the northern railway will need new tracks within two years. "
    "Elena Haddad announced her plan to rebuild the harbour walls. "
    "Farid Jensen announced their plan to rebuild the harbour walls. "
    "“I will ask the council for money to rebuild the school roof,” said Galina Rossi. "
    "“The city will plant new trees along the main avenue this autumn,” said Hasan Novak."
)


def _statements() -> Deck:
    t = STATEMENTS
    return _deck(t, [
        _fact(t, "q-petrov", FactKind.QUOTE,
              "The new bridge will carry trucks across the river by the spring. Work starts soon",
              speaker="Anna Petrov", reported=False),
        _fact(t, "q-okafor", FactKind.QUOTE,
              "the old ferry will stop running after the summer holidays",
              speaker="Boris Okafor", reported=True),
        _fact(t, "q-tanaka", FactKind.QUOTE,
              "the coastal road will reopen to buses before the first snow",
              speaker="Carla Tanaka", reported=True),
        _fact(t, "q-silva", FactKind.QUOTE,
              "the northern railway will need new tracks within two years",
              speaker="Dmitri Silva", reported=True),
        _fact(t, "q-haddad", FactKind.QUOTE, "her plan to rebuild the harbour walls",
              speaker="Elena Haddad", reported=True),
        _fact(t, "q-jensen", FactKind.QUOTE, "their plan to rebuild the harbour walls",
              speaker="Farid Jensen", reported=True),
        _fact(t, "q-rossi", FactKind.QUOTE,
              "I will ask the council for money to rebuild the school roof",
              speaker="Galina Rossi", reported=False),
        _fact(t, "q-novak", FactKind.QUOTE,
              "The city will plant new trees along the main avenue this autumn",
              speaker="Hasan Novak", reported=False),
    ])  # fmt: skip


def test_which_quote_options_are_whole_clauses_of_one_style() -> None:
    builder = QuestionBuilder(_statements())
    q = _build(builder, "q-okafor", Family.RECOGNISE, Form.WHICH_QUOTE)
    assert q is not None
    assert q.prompt == "Which of these statements does the article attribute to Boris Okafor?"
    assert q.answers[0] == "The old ferry will stop running after the summer holidays"
    assert set(q.choices or ()) <= {
        "The old ferry will stop running after the summer holidays",
        "The coastal road will reopen to buses before the first snow",
        "The northern railway will need new tracks within two years",
        "The new bridge will carry trucks across the river by the spring",
        "The city will plant new trees along the main avenue this autumn",
    }
    assert len(q.choices or ()) >= 3
    # A verbatim quotation is shown by its first sentence, whole.
    petrov = _build(builder, "q-petrov", Family.RECOGNISE, Form.WHICH_QUOTE)
    assert petrov is not None
    assert petrov.answers[0] == "The new bridge will carry trucks across the river by the spring"


def test_which_quote_is_not_offered_where_the_pronoun_or_the_form_gives_it_away() -> None:
    builder = QuestionBuilder(_statements())
    # "her plan …" beside "their plan …": noun phrases whose pronoun tells the speaker.
    assert Form.WHICH_QUOTE not in builder.forms_for("q-haddad", Family.RECOGNISE)
    assert Form.WHICH_QUOTE not in builder.forms_for("q-jensen", Family.RECOGNISE)
    # The only first-person statement: every other option would be in the third person.
    assert Form.WHICH_QUOTE not in builder.forms_for("q-rossi", Family.RECOGNISE)
    for fid in ("q-okafor", "q-tanaka", "q-silva", "q-petrov"):
        for seed in range(10):
            q = builder.build("c", fid, Family.RECOGNISE, random.Random(seed),
                              form=Form.WHICH_QUOTE)
            assert q is not None and "her " not in " ".join(q.choices or ())


def test_the_guard_refuses_cut_or_mixed_which_quote_options() -> None:
    deck = _statements()
    checker = QuestionChecker(deck)
    q = _build(QuestionBuilder(deck), "q-okafor", Family.RECOGNISE, Form.WHICH_QUOTE)
    assert q is not None and checker.problems(q) == []
    answer = q.answers[0]
    cut = dataclasses.replace(q, choices=(
        answer, "The coastal road will reopen to buses…",
        "The northern railway will need new tracks…"))  # fmt: skip
    assert any("is cut" in p for p in checker.problems(cut))
    mixed = dataclasses.replace(q, choices=(
        answer, "I will ask the council for money to rebuild the school roof",
        "The northern railway will need new tracks within two years"))  # fmt: skip
    assert any("grammatical person" in p for p in checker.problems(mixed))
    lower = dataclasses.replace(q, choices=(
        answer, "the coastal road will reopen to buses before the first snow",
        "The northern railway will need new tracks within two years"))  # fmt: skip
    assert any("capital" in p for p in checker.problems(lower))
