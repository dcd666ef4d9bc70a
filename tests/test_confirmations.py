"""A short answer ("Yes this is true") is asked for what it confirmed, when the article
says what that was; otherwise it is not asked at all.

Texts written here: a question put before the answer ("Asked whether X, … said:
“Yes this is true”"), a confirmation in the sentence before ("Reporters asked
him whether X. He replied: “No”."), a verb that says it ("confirmed that X"),
and texts that do not say it ("commented briefly on the information").
"""

from __future__ import annotations

import random

from quizapp.facts.model import Deck, Fact, FactKind, Source, Speaker
from quizapp.questions.checks import QuestionChecker
from quizapp.questions.forms.confirmations import answered_content
from quizapp.questions.generate import ALL_FORMS, FORM_SPECS, QuestionBuilder
from quizapp.questions.grading import grade
from quizapp.questions.model import FAMILY_OF_FORM, Family, Form, Question, Verdict
from quizapp.quiz import GROUP_FORMS, FormGroup

STATEMENTS = (
    "Ana Petrova said that the harbour tariffs will fall before the end of the season. "
    "Boris Kim said that the railway line to the coast must be repaired before winter. "
    "Carla Mendes said that the border crossings should stay open for grain trucks. "
)


def quote_at(text: str, fid: str, words: str, speaker: str, reported: bool = False,
             after: int = 0) -> Fact:
    start = text.index(words, after)
    return Fact(id=fid, kind=FactKind.QUOTE, source_id="src", text=words, start=start,
                end=start + len(words), speaker=speaker, reported=reported)


def make_deck(text: str, extra: list[Fact], speakers: tuple[Speaker, ...] = ()) -> Deck:
    facts = [
        quote_at(text, "r-petrova", "the harbour tariffs will fall before the end of the season",
                 "Ana Petrova", True),
        quote_at(text, "r-kim", "the railway line to the coast must be repaired before winter",
                 "Boris Kim", True),
        quote_at(text, "r-mendes", "the border crossings should stay open for grain trucks",
                 "Carla Mendes", True),
        *extra,
    ]
    return Deck(id="c", name="confirmations", facts=tuple(facts), speakers=speakers,
                sources=(Source(id="src", title="T", text=text),))


def built(builder: QuestionBuilder, fid: str, n: int = 10) -> list[Question]:
    out = []
    for seed in range(n):
        q = builder.build(f"{fid}/x", fid, Family.RECOGNISE, random.Random(seed),
                          form=Form.CONFIRMATION)
        assert q is not None
        out.append(q)
    return out


def test_the_form_states_its_family_and_choices() -> None:
    assert FORM_SPECS[Form.CONFIRMATION].family is Family.RECOGNISE
    assert FAMILY_OF_FORM[Form.CONFIRMATION] is Family.RECOGNISE
    assert FORM_SPECS[Form.CONFIRMATION].choices == 4
    assert Form.CONFIRMATION in GROUP_FORMS[FormGroup.CHOICE]  # printed and practice tests


def test_asked_whether_then_yes_asks_what_was_confirmed() -> None:
    text = (STATEMENTS + "Asked whether the grain corridor would reopen in May, Hikmet "
            "Hajiyev said: \u201cYes this is true\u201d. The talks went on.")
    yes = quote_at(text, "q-yes", "Yes this is true", "Hikmet Hajiyev")
    deck = make_deck(text, [yes])
    builder = QuestionBuilder(deck, forms=ALL_FORMS)
    checker = QuestionChecker(deck)
    # Who said "Yes this is true"? says nothing; what it confirmed does.
    assert builder.forms_for("q-yes", Family.RECOGNISE) == (Form.CONFIRMATION,)
    for q in built(builder, "q-yes"):
        assert q.prompt == ("What did Hikmet Hajiyev confirm when saying "
                            "\u201cYes this is true\u201d?")
        assert q.answers == ("The grain corridor would reopen in May",)
        assert q.choices is not None and 3 <= len(q.choices) <= 4
        assert q.answers[0] in q.choices
        assert set(q.choices) - {q.answers[0]} <= {
            "The harbour tariffs will fall before the end of the season",
            "The railway line to the coast must be repaired before winter",
            "The border crossings should stay open for grain trucks"}
        assert checker.problems(q) == []
        assert grade(q, q.answers[0]).verdict is Verdict.RIGHT
        wrong = next(c for c in q.choices if c != q.answers[0])
        assert grade(q, wrong).verdict is Verdict.WRONG


def test_a_denial_in_the_sentence_before() -> None:
    text = (STATEMENTS + "Reporters asked him whether the troops had left the northern "
            "region. Dmitry Peskov replied: \u201cNo\u201d.")
    no = quote_at(text, "q-no", "No", "Dmitry Peskov")
    deck = make_deck(text, [no])
    builder = QuestionBuilder(deck, forms=ALL_FORMS)
    for q in built(builder, "q-no"):
        assert q.prompt == "What did Dmitry Peskov deny when saying \u201cNo\u201d?"
        assert q.answers[0] == "The troops had left the northern region"
        assert QuestionChecker(deck).problems(q) == []


def test_a_verb_that_says_what_was_confirmed() -> None:
    text = (STATEMENTS + "Elif Demir confirmed that the new ferry would sail twice a week: "
            "\u201cExactly so\u201d.")
    q = quote_at(text, "q-so", "Exactly so", "Elif Demir")
    builder = QuestionBuilder(make_deck(text, [q]), forms=ALL_FORMS)
    assert built(builder, "q-so")[0].answers[0] == "The new ferry would sail twice a week"


def test_no_stated_content_no_question() -> None:
    # The seed's case: "the information" says nothing of what was confirmed.
    text = (STATEMENTS + "The Kremlin commented briefly on the information. Press Secretary "
            "Dmitry Peskov stated: \u201cYes this is true\u201d.")
    yes = quote_at(text, "q-yes", "Yes this is true", "Dmitry Peskov")
    builder = QuestionBuilder(make_deck(text, [yes]), forms=ALL_FORMS)
    assert builder.forms_for("q-yes", Family.RECOGNISE) == ()
    assert builder.forms_for("q-yes", Family.RECALL) == ()
    # A quotation that says enough is asked itself, not what it confirmed.
    text2 = (STATEMENTS + "Asked whether the grain corridor would reopen, Hikmet Hajiyev "
             "said: \u201cThe corridor reopens in May for every ship\u201d.")
    full = quote_at(text2, "q-full", "The corridor reopens in May for every ship",
                    "Hikmet Hajiyev")
    builder2 = QuestionBuilder(make_deck(text2, [full]), forms=ALL_FORMS)
    assert Form.CONFIRMATION not in builder2.forms_for("q-full", Family.RECOGNISE)


def test_too_few_other_statements_no_question() -> None:
    text = ("Ana Petrova said that the harbour tariffs will fall before the end of the season. "
            "Asked whether the grain corridor would reopen in May, Hikmet Hajiyev said: "
            "\u201cYes this is true\u201d.")
    facts = [
        quote_at(text, "r-petrova", "the harbour tariffs will fall before the end of the season",
                 "Ana Petrova", True),
        quote_at(text, "q-yes", "Yes this is true", "Hikmet Hajiyev"),
    ]
    deck = Deck(id="c", name="c", facts=tuple(facts),
                sources=(Source(id="src", title="T", text=text),))
    assert QuestionBuilder(deck, forms=ALL_FORMS).forms_for("q-yes", Family.RECOGNISE) == ()


def test_the_speakers_own_words_are_never_a_distractor() -> None:
    # Kim speaks for the ministry Hajiyev is asked about: neither Kim's words nor the
    # ministry's may be offered as what Hajiyev did not confirm.
    text = (STATEMENTS + "Asked whether the grain corridor would reopen in May, Hikmet "
            "Hajiyev said: \u201cYes this is true\u201d.")
    yes = quote_at(text, "q-yes", "Yes this is true", "Hikmet Hajiyev")
    deck = make_deck(text, [yes], speakers=(Speaker("Boris Kim", speaks_for=("Hikmet Hajiyev",)),))
    builder = QuestionBuilder(deck, forms=ALL_FORMS)
    for q in built(builder, "q-yes"):
        assert not any("railway" in c for c in q.choices or ()), q.choices
    # The guard refuses a question that offers them.
    checker = QuestionChecker(deck)
    q = built(builder, "q-yes", 1)[0]
    bad = Question(q.card_id, q.fact_id, q.family, q.form, q.prompt, q.answers,
                   (q.answers[0], "The railway line to the coast must be repaired before winter",
                    "The harbour tariffs will fall before the end of the season"), q.evidence,
                   input_kind="choice")
    assert any("also attributed" in p for p in checker.problems(bad))
    made_up = Question(q.card_id, q.fact_id, q.family, q.form, q.prompt,
                       ("The grain corridor stays shut",),
                       ("The grain corridor stays shut",
                        "The harbour tariffs will fall before the end of the season",
                        "The border crossings should stay open for grain trucks"), q.evidence,
                       input_kind="choice")
    assert any("not in the sentences" in p for p in checker.problems(made_up))


def test_the_rule_reads_only_what_the_sentences_state() -> None:
    assert answered_content("When asked about the new pipeline to Europe, she said: ", "",
                            "Exactly") == ("confirm", "the new pipeline to Europe")
    assert answered_content("He answered a question about whether the bridge would open "
                            "soon: ", "", "No, never") == ("deny", "the bridge would open soon")
    assert answered_content("Peskov denied the reports: ", "", "No") is None
    assert answered_content("He said: ", "It was asked about this.", "Yes") is None


def test_two_short_answers_offer_each_others_content() -> None:
    text = (STATEMENTS + "Asked whether the grain corridor would reopen in May, Hikmet "
            "Hajiyev said: \u201cYes this is true\u201d. Reporters asked him whether the "
            "ferry prices would double this summer. Dmitry Peskov replied: \u201cNo\u201d.")
    yes = quote_at(text, "q-yes", "Yes this is true", "Hikmet Hajiyev")
    no = quote_at(text, "q-no", "No", "Dmitry Peskov", after=text.index("ferry"))
    deck = make_deck(text, [yes, no])
    builder = QuestionBuilder(deck, forms=ALL_FORMS)
    checker = QuestionChecker(deck)
    yes_questions = built(builder, "q-yes")
    assert any("The ferry prices would double this summer" in (q.choices or ())
               for q in yes_questions)
    no_questions = built(builder, "q-no")
    assert any("The grain corridor would reopen in May" in (q.choices or ())
               for q in no_questions)
    for q in yes_questions + no_questions:
        assert checker.problems(q) == []
    assert {q.answers[0] for q in no_questions} == {"The ferry prices would double this summer"}
