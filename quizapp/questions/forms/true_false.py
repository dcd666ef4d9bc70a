"""True or false, built from facts.

A statement is the fact as the article gives it (True) or the same statement
with exactly one value changed to a distractor the generator's own checks found
false by every fact of the deck (False):

- a date or number: the evidence sentence, its date or figure replaced by a
  distractor of the multiple-choice question (same style and precision);
- a quote: "According to the article, X said: “…”", the speaker replaced by a
  speaker of the who-said question (never one the article also gives the words
  to, one they speak for or one who speaks for them);
- a person: "The article describes X as the …", the role replaced by a role of
  the position question (never one of X's own roles).

The feedback shows the evidence sentence, and the grade says which value the
article gives.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, cast

from quizapp.facts.model import Fact, FactKind
from quizapp.questions.dates import parse_date_text
from quizapp.questions.distractors import Candidate, date_candidates, number_candidates
from quizapp.questions.forms.base import TrueFalsePlan
from quizapp.questions.index import ORGANISATION_WORDS, looks_like_person, role_key
from quizapp.questions.model import TRUE_FALSE_LEAD, Form
from quizapp.questions.normalize import clean_space, tokens
from quizapp.questions.numbers import parse_number, qualifier_kind

if TYPE_CHECKING:
    from quizapp.questions.generate import QuestionBuilder

LEAD = TRUE_FALSE_LEAD
MAX_FALSE = 6  # false statements kept per fact (nearest distractors first)
MIN_QUOTE_WORDS = 6  # "Yes this is true" says too little to attribute
_PRONOUNS = frozenset(["he", "she", "they", "it", "this", "that", "these", "those", "we", "i"])


def sentence_statement(
    sentence: str, offset: int, length: int, value: str, speaker: str | None = None
) -> str:
    """The evidence sentence with the answer's span (``offset``, ``length``) written as
    ``value``: the statement a true-or-false question shows. A sentence of someone's
    quotation that does not name them says whose words it is: "X said: “…”"."""
    from quizapp.questions.generate import balance_quotes

    said = f"{speaker} said: " if speaker else ""
    return LEAD + said + balance_quotes(sentence[:offset] + value + sentence[offset + length :])


def quote_statement(speaker: str, text: str, reported: bool) -> str:
    """ "True or false? According to the article, X said: “…”" (or "said that …")."""
    if reported:
        return f"{LEAD}According to the article, {speaker} said that {text.rstrip(' .')}."
    quoted = text.rstrip(" ,;:")
    return f"{LEAD}According to the article, {speaker} said: \u201c{quoted}\u201d"


def role_statement(name: str, role: str) -> str:
    """ "True or false? The article describes X as the director of …"."""
    words = role.split()
    first = words[0].lower() if words else ""
    the_role = role if first in ("the", "a", "an") else f"the {role}"
    return f"{LEAD}The article describes {name} as {the_role}."


def as_subject(name: str) -> str:
    """A speaker's name as the subject of a sentence: "the European Union", "Moscow"."""
    words = name.split()
    if words and words[0] in ("The", "A", "An"):
        return words[0].lower() + name[len(words[0]) :]  # "the World Health Organization"
    if not words or words[0] in ("the", "a", "an") or looks_like_person(name):
        return name
    if any(w.lower().strip(".,") in ORGANISATION_WORDS for w in words):
        return f"the {name}"
    return name


def _nearest(cands: tuple[Candidate, ...], key: float) -> list[Candidate]:
    return sorted(cands, key=lambda c: abs(c.key - key))


def _shown_in(builder: QuestionBuilder, fact: Fact, start: int, end: int) -> tuple[str, ...]:
    """Other facts whose span lies in [start, end) of the fact's source."""
    cached = builder.form_cache.get("spans")
    if cached is None:
        spans: dict[str, list[tuple[int, int, str]]] = {}
        for f in builder.index.facts.values():
            if f.start is not None and f.end is not None and f.source_id is not None:
                spans.setdefault(f.source_id, []).append((f.start, f.end, f.id))
        for found in spans.values():
            found.sort()
        builder.form_cache["spans"] = spans
    else:
        spans = cast(dict[str, list[tuple[int, int, str]]], cached)
    lst = spans.get(fact.source_id or "", [])
    i = bisect.bisect_left(lst, (start, -1, ""))
    out: list[str] = []
    for s, e, fid in lst[i:]:
        if s >= end:
            break
        if e <= end and fid != fact.id and builder.index.facts[fid].kind in (
            FactKind.DATE, FactKind.NUMBER
        ):
            out.append(fid)
    return tuple(out)


def _plan_in_sentence(builder: QuestionBuilder, fact: Fact) -> TrueFalsePlan | None:
    ix = builder.index
    if fact.kind is FactKind.DATE:
        if fact.id not in ix.date_of or parse_date_text(fact.text) is None:
            return None
        cands = date_candidates(ix, fact.id)
    else:
        if fact.id not in ix.unit_of or qualifier_kind(fact.qualifier) != "exact":
            return None
        cands = number_candidates(ix, fact.id)
    found = builder.answer_in_sentence(fact)
    if cands is None or found is None:
        return None
    sentence, offset = found
    if sentence.split(maxsplit=1)[0].lower().strip("“\"") in _PRONOUNS:
        return None  # "He clarified that …": the statement must say who
    length = len(fact.text)
    readable = parse_date_text if fact.kind is FactKind.DATE else parse_number
    if readable(fact.text) is None:
        return None  # "the first quarter": not a figure a statement can change
    container = builder.container_speaker(fact)
    speaker = None
    if container is not None and not container.name_words & frozenset(tokens(sentence)):
        speaker = container.display
    false = [
        (sentence_statement(sentence, offset, length, c.text, speaker), c.text)
        for c in _nearest(cands.below + cands.above, cands.answer.key)
        if readable(c.text) is not None
    ][:MAX_FALSE]
    if not false:
        return None
    related: tuple[str, ...] = ()
    located = ix.sentence_of(fact)
    if located is not None:
        related = _shown_in(builder, fact, located[1], located[1] + len(located[0]))
    true = sentence_statement(sentence, offset, length, fact.text, speaker)
    return TrueFalsePlan(true, cands.answer.text, tuple(false), related, fact.text)


def _plan_quote(builder: QuestionBuilder, fact: Fact) -> TrueFalsePlan | None:
    from quizapp.questions.generate import is_clause

    ix = builder.index
    person = ix.person_of(fact.speaker)
    if person is None or builder.container_speaker(fact) is not None:
        return None
    who_said = builder.choice_plan(fact.id, Form.WHO_SAID)
    if who_said is None:
        return None
    others = [c.text for tier in who_said for c in tier][:MAX_FALSE]
    avoid = frozenset(person.name_words)
    for name in others:
        other = ix.person_of(name)
        if other is not None:
            avoid |= other.name_words
    text = builder.prompt_excerpt(fact.text, avoid)
    if text is None or text.startswith("\u2026") or len(text.split()) < MIN_QUOTE_WORDS:
        return None
    if fact.reported:
        text = text[4:].lstrip() if text.lower().startswith("that ") else text
        if not is_clause(text) or text.endswith("\u2026"):
            return None  # "his readiness to …": no clause to say, and a pronoun to give it away
    false = [(quote_statement(as_subject(name), text, fact.reported), name) for name in others]
    if not false:
        return None
    own = person.display
    return TrueFalsePlan(quote_statement(as_subject(own), text, fact.reported), own,
                         tuple(false), says="the article gives these words to")


def _plan_role(builder: QuestionBuilder, fact: Fact) -> TrueFalsePlan | None:
    ix = builder.index
    person = ix.person_of(fact.name)
    if person is None or not fact.name or not fact.role or builder.container_speaker(fact):
        return None
    position = builder.choice_plan(fact.id, Form.CHOICE)
    if position is None:
        return None
    written = {r.key: r.display for r in ix.roles}
    name = clean_space(fact.name)
    false: list[tuple[str, str]] = []
    # Main roles only: a secondary "deputy" says too little to be clearly false.
    for tier in position[:1]:
        for c in tier:
            role = clean_space(written.get(role_key(c.text), c.text))
            if frozenset(tokens(role)) & person.name_words:
                continue
            false.append((role_statement(name, role), role))
    if not false:
        return None
    own = clean_space(fact.role)
    return TrueFalsePlan(role_statement(name, own), own, tuple(false[:MAX_FALSE]),
                         says=f"the article describes {name} as")


def plan_true_false(builder: QuestionBuilder, fact: Fact) -> TrueFalsePlan | None:
    """A true-or-false statement of ``fact`` and its false variants, or None."""
    if fact.kind in (FactKind.DATE, FactKind.NUMBER):
        return _plan_in_sentence(builder, fact)
    if fact.kind is FactKind.QUOTE:
        return _plan_quote(builder, fact)
    if fact.kind is FactKind.PERSON:
        return _plan_role(builder, fact)
    return None
