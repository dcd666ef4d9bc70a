"""Speaker forms beyond the generator's own: speaker → position.

"What did Nikol Pashinyan say should happen if the Russian peacekeeping
contingent withdraws?" with other speakers' positions as choices. Offered for a
reported statement that puts a position under a condition ("if …, …"): the
condition is asked, the position is the answer. Every choice is a whole clause
of a statement the article gives to someone else, never to the asked speaker,
to a speaker they speak for, or to one who speaks for them (``speaks_for`` and
aliases of the deck's ``[[speakers]]``), and said by a speaker of the asked one's
sort (a person's position among persons' positions).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from quizapp.facts.model import Fact
from quizapp.questions.forms.base import PickPlan
from quizapp.questions.normalize import capitalise, clean_space, norm_text, tokens

if TYPE_CHECKING:
    from quizapp.questions.generate import QuestionBuilder

MAX_POSITIONS = 8
MIN_WORDS = 3
#: A shown position is at most this many times as long as the answer (or as short).
LENGTH_RATIO = 2.0
_MODALS = frozenset(["should", "must", "shall", "ought", "needs", "need", "has", "have"])
_SUBORDINATE = re.compile(
    r"\s+(?:so as|so that|because|although|though|since|unless|while|whereas)\s+|,\s+which\s+",
    re.IGNORECASE,
)
_IF_FIRST = re.compile(r"^if\s+(?P<cond>[^,]{3,}?),\s*(?:then\s+)?(?P<then>.+)$", re.IGNORECASE)
_IF_LAST = re.compile(r"^(?P<then>.{3,}?),?\s+if\s+(?P<cond>[^,]{3,})$", re.IGNORECASE)


def _clause_words(text: str) -> int:
    return len(text.split())


def split_condition(text: str) -> tuple[str, str] | None:
    """(condition, position) of "if A, B" or "B if A"; None for other statements."""
    from quizapp.questions.generate import is_clause

    body = clean_space(text).rstrip(" .;")
    m = _IF_FIRST.match(body) or _IF_LAST.match(body)
    if m is None:
        return None
    cond, then = m.group("cond").strip(), m.group("then").strip()
    if _clause_words(then) < MIN_WORDS or _clause_words(cond) < 2 or not is_clause(then):
        return None
    return cond, then


def main_clause(text: str) -> str | None:
    """A statement's main clause, as a whole clause ("Azerbaijan is not yet demanding
    the withdrawal of troops" of "… so as not to spoil relations"), or None."""
    from quizapp.questions.generate import is_clause

    body = clean_space(text).rstrip(" .;")
    split = split_condition(body)
    if split is not None:
        body = split[1]
    cut = _SUBORDINATE.split(body, maxsplit=1)[0].strip(" ,")
    if _clause_words(cut) >= MIN_WORDS and is_clause(cut):
        return cut
    return body if is_clause(body) else None


def position_prompt(speaker: str, condition: str, position: str) -> str:
    """ "What did X say should happen if …?" (or "would happen" for a forecast)."""
    words = {w.lower() for w in tokens(position)}
    verb = "should" if words & _MODALS else "would"
    return f"What did {speaker} say {verb} happen if {condition}?"


def plan_speaker_position(builder: QuestionBuilder, fact: Fact) -> PickPlan | None:
    """What the speaker said should happen under the statement's condition."""
    ix = builder.index
    person = ix.person_of(fact.speaker)
    if person is None or not fact.reported or fact.id not in ix.quote_norm:
        return None
    split = split_condition(fact.text)
    if split is None:
        return None
    condition, position = split
    answer = capitalise(position)
    n_answer = _clause_words(answer)
    related = ix.related_people(person)
    avoid = person.name_words
    shown = {norm_text(answer)}
    distractors: list[tuple[str, str]] = []
    for _, qid in ix.quotes_by_length:
        if len(distractors) >= MAX_POSITIONS:
            break
        g = ix.facts[qid]
        if qid == fact.id or not g.reported or ix.quote_person.get(qid) in related:
            continue
        speaker = ix.people.get(ix.quote_person.get(qid, ""))
        if speaker is None or speaker.sort != person.sort:
            continue  # positions of speakers of the asked one's sort only
        clause = main_clause(g.text)
        if clause is None:
            continue
        words = _clause_words(clause)
        if not n_answer / LENGTH_RATIO <= words <= n_answer * LENGTH_RATIO:
            continue
        n = norm_text(clause)
        if n in shown or builder.said_by(person, n) or frozenset(tokens(clause)) & avoid:
            continue
        # Words that the article also gives to the asked speaker are a second right answer.
        if any(n in ix.quote_norm[q] for key in related for q in ix.people[key].quote_ids):
            continue
        shown.add(n)
        distractors.append((capitalise(clause), qid))
    if len(distractors) < 2:
        return None
    container = builder.container_speaker(fact)
    prompt = position_prompt(person.display, condition, position)
    if container is not None and container.key != person.key:
        from quizapp.questions.generate import according_to

        prompt = according_to(container.display, prompt)
    if builder.leaks(prompt, (answer,)):
        return None
    return PickPlan(prompt, answer, tuple(distractors))
