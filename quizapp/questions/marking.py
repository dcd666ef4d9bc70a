"""The answer key of a typed answer to one fact, for marking answers given elsewhere.

A teacher marks a class's typed answers with ``quizapp grade``: each answer
names a fact and a form, and is graded exactly as the study session grades
it, against the same accepted answers. What a typed answer is, per kind:

| kind   | ``typed``                                     | ``cloze``             |
| ------ | --------------------------------------------- | --------------------- |
| date   | the date                                      | the blanked words     |
| number | the figure                                    | the blanked words     |
| quote  | the speaker's name (PARTIAL: a speaker they speak for) | -         |
| person | the name ("Who is the <role>?")               | -                     |
| qa     | the back of the note                          | -                     |

The key is built even when the study session would not ask the fact in that
form (a prompt that would give the answer away, a role two people share):
the answer was given, so it is marked.
"""

from __future__ import annotations

import random

from quizapp.facts.model import Fact, FactKind
from quizapp.questions.generate import QuestionBuilder
from quizapp.questions.model import Evidence, Family, Form, Question
from quizapp.questions.normalize import clean_space
from quizapp.questions.numbers import plain_number
from quizapp.questions.prompts import BLANK, CLOZE_LEAD

MARKED_FORMS = {"typed": Form.TYPED, "cloze": Form.CLOZE}


class MarkingError(ValueError):
    """An answer that cannot be marked: unknown fact, or a form the fact has not."""


def answer_key(builder: QuestionBuilder, fact_id: str, form_name: str) -> Question:
    """The question whose ``answers`` mark a typed answer to ``fact_id`` in ``form_name``."""
    form = MARKED_FORMS.get(form_name)
    if form is None:
        raise MarkingError(f"unknown form {form_name!r} (use typed or cloze)")
    fact = builder.index.facts.get(fact_id)
    if fact is None:
        raise MarkingError(f"no fact with id {fact_id!r} in this deck")
    # Typed forms draw nothing at random: any generator builds the same question.
    built = builder.build(f"{fact_id}/recall", fact_id, Family.RECALL, random.Random(0), form=form)
    if built is not None:
        return built
    answers, kind, partial = _answers(builder, fact, form)
    evidence = Evidence(fact.sentence, fact.start, fact.end, fact.source_id)
    prompt = CLOZE_LEAD + BLANK if form is Form.CLOZE else clean_space(fact.stem or "")
    return Question(
        card_id=f"{fact_id}/recall", fact_id=fact_id, family=Family.RECALL, form=form,
        prompt=prompt, answers=answers, choices=None, evidence=evidence, input_kind=kind,
        partial_answers=partial,
    )  # fmt: skip


def _answers(
    builder: QuestionBuilder, fact: Fact, form: Form
) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """Accepted answers, input kind and PARTIAL names of a fact the builder would not ask."""
    ix = builder.index
    if form is Form.CLOZE:
        if fact.kind not in (FactKind.DATE, FactKind.NUMBER) or not fact.text.strip():
            raise MarkingError(f"a {fact.kind.value} fact has no cloze")
        if fact.kind is FactKind.DATE and fact.id in ix.date_of:
            return (fact.text, *builder._date_answers(fact, with_text=True)), "date", ()
        if fact.kind is FactKind.NUMBER and fact.id in ix.unit_of:
            return (fact.text, plain_number(fact.number_value, fact.unit)), "number", ()
        return (fact.text,), "text", ()
    if fact.kind is FactKind.DATE and fact.id in ix.date_of:
        return builder._date_answers(fact), "date", ()
    if fact.kind is FactKind.NUMBER and fact.id in ix.unit_of:
        written = builder._written_number(fact)
        plain = plain_number(fact.number_value, fact.unit)
        return tuple(dict.fromkeys((written, fact.text, plain))), "number", ()
    if fact.kind in (FactKind.QUOTE, FactKind.PERSON):
        person = ix.person_of(fact.speaker if fact.kind is FactKind.QUOTE else fact.name)
        if person is not None:
            names = ix.accepted_names(person)
            partial = ix.speaks_for_names(person) if fact.kind is FactKind.QUOTE else ()
            return names, "name", partial
    back = fact.back or ""
    if fact.kind is FactKind.QA and fact.media:  # the words of the back, not its media marks
        from quizapp.facts.media import ALTERNATIVE_RE

        back = ALTERNATIVE_RE.sub(" ", back)
    if fact.kind is FactKind.QA and clean_space(back):
        return (clean_space(back),), "text", ()
    raise MarkingError(f"fact {fact.id!r} has no typed answer")
