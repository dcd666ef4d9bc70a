"""Which facts of a deck no question can ask: the builder's verdict, recorded when stored.

A fact the question builder finds no form for (every form's plan fails, or
every question it builds breaks a rule of the guard) would get a card that
is never shown, and the deck list would count it as new for ever. When a deck
is stored or edited its facts get the verdict as :attr:`Fact.hold`
(``no_form``, with the reason a teacher reads), so that storage keeps them
out of study and Browse shows them. A fact's forms can depend on the deck's
other facts (distractors, speakers to choose from), so the verdict is taken
for the whole deck each time. Q/A notes always have a form: a deck of notes
builds nothing, and a large import's notes (held packed,
:class:`~quizapp.facts.packed.PackedFacts`) are not even looked at.

Facts held ``pending`` (waiting for a teacher) are left as they are and are
no part of the deck the verdict is taken on: they are never asked, so they
cannot give another fact a form.
"""

from __future__ import annotations

import dataclasses

from quizapp.facts.model import HOLD_NO_FORM, HOLD_PENDING, Deck, Fact, FactKind
from quizapp.facts.packed import PackedFacts
from quizapp.questions.generate import ALL_FORMS, QuestionBuilder, card_rng
from quizapp.questions.model import Family

#: The reason shown when no form's plan fits the fact.
NO_FORM = "no question can be asked about it in this deck"


def no_form_reasons(deck: Deck) -> dict[str, str]:
    """Fact id → why no question can ask it, for every fact of ``deck`` without a form.

    ``deck`` is taken as it will be studied: its pending facts are left out.
    """
    studied = tuple(f for f in deck.facts if f.hold != HOLD_PENDING)
    if all(f.kind is FactKind.QA for f in studied):
        return {}
    builder = QuestionBuilder(dataclasses.replace(deck, facts=studied), forms=ALL_FORMS)
    out: dict[str, str] = {}
    for fact in studied:
        if fact.kind is FactKind.QA:
            continue
        if any(builder.build(fact.id, fact.id, family, card_rng(0, fact.id)) is not None
               for family in Family):
            continue
        broken = [rule for (fid, _form), rules in builder.dropped.items() if fid == fact.id
                  for rule in rules]
        out[fact.id] = f"{NO_FORM}: {broken[0]}" if broken else NO_FORM
    return out


def with_holds(deck: Deck) -> Deck:
    """``deck`` with each fact's ``no_form`` verdict as its hold (pending facts kept).

    A fact that had the verdict and now has a form is studied again (hold
    None, its reasons cleared); the deck itself is returned when nothing
    changes.
    """
    if isinstance(deck.facts, PackedFacts):  # a large import's Q/A notes: nothing to hold
        return deck
    if all(f.kind is FactKind.QA and f.hold is None for f in deck.facts):
        return deck
    reasons = no_form_reasons(deck)
    changed = False
    facts: list[Fact] = []
    for fact in deck.facts:
        if fact.hold == HOLD_PENDING:
            facts.append(fact)
            continue
        why = reasons.get(fact.id)
        if why is not None:
            new = dataclasses.replace(fact, hold=HOLD_NO_FORM, reasons=(why,))
        elif fact.hold == HOLD_NO_FORM:
            new = dataclasses.replace(fact, hold=None, reasons=())
        else:
            new = fact
        changed = changed or new is not fact
        facts.append(new)
    return dataclasses.replace(deck, facts=tuple(facts)) if changed else deck
