"""Number forms beyond the generator's own: number → meaning.

"What does the article count as 1,960?" with other counted things of the deck
as choices: the reverse of "How many military personnel arrived?". Offered only
where the figure belongs to one counted thing (no other fact of the unit can have
that value, qualifier bounds included) and at least two other counted things of
the same unit, named differently, can stand beside it.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, cast

from quizapp.facts.model import Fact, FactKind
from quizapp.questions.forms.base import PickPlan
from quizapp.questions.index import unit_key
from quizapp.questions.normalize import (
    capitalise,
    clean_space,
    contains_phrase,
    norm_text,
    tokens,
)
from quizapp.questions.numbers import Interval, plausible_range, qualifier_kind, same_value

if TYPE_CHECKING:
    from quizapp.questions.generate import QuestionBuilder

MAX_MEANINGS = 8  # distractors kept per question (nearest in value first)
_SCAN = 64  # facts looked at on each side of the value


def counted_label(fact: Fact) -> str | None:
    """How a choice names what a number fact counts, if it can."""
    label = clean_space(fact.counts or "")
    return capitalise(label) if label else None


def _percent_range(fact: Fact) -> Interval | None:
    """A share as a percentage range: "43%" as is, "more than a third" as >33.3%."""
    uk = unit_key(fact.unit)
    value = fact.number_value
    if uk == "%":
        return plausible_range(value, fact.qualifier, uk)
    if uk == "" and 0 < value < 1:
        r = plausible_range(value, fact.qualifier, uk)
        return Interval(r.lo * 100, r.hi * 100, r.lo_closed, r.hi_closed)
    return None


def can_be(fact: Fact, other: Fact) -> bool:
    """Whether ``other``'s statement allows ``fact``'s value (one could be the other)."""
    uk = unit_key(fact.unit)
    if uk == unit_key(other.unit):
        mine = plausible_range(fact.number_value, fact.qualifier, uk)
        theirs = plausible_range(other.number_value, other.qualifier, uk)
        return mine.overlaps(theirs) or same_value(fact.number_value, other.number_value)
    a, b = _percent_range(fact), _percent_range(other)
    return a is not None and b is not None and a.overlaps(b)


def _open_or_shares(builder: QuestionBuilder) -> tuple[str, ...]:
    """Number facts with an open bound ("more than 50%") or that are shares ("a third",
    "43%"): they may hold values far from their own, so each question looks at them all.
    Computed once per deck."""
    cached = builder.form_cache.get("open_or_shares")
    if cached is None:
        ix = builder.index
        found = tuple(
            gid
            for gid in ix.by_kind[FactKind.NUMBER]
            if gid in ix.unit_of
            and (qualifier_kind(ix.facts[gid].qualifier) != "exact"
                 or _percent_range(ix.facts[gid]) is not None)
        )
        builder.form_cache["open_or_shares"] = found
        return found
    return cast(tuple[str, ...], cached)


def number_meaning_prompt(written: str, unitless: bool, speaker: str | None) -> str:
    """ "What does the article count as 1,960?" / "What does X put at 10%?"."""
    who = speaker or "the article"
    verb = "count as" if unitless else "put at"
    return f"What does {who} {verb} {written}?"


def plan_number_meaning(builder: QuestionBuilder, fact: Fact) -> PickPlan | None:
    """What a figure counts, with other counted things of the deck as choices."""
    ix = builder.index
    answer = counted_label(fact)
    uk = ix.unit_of.get(fact.id)
    if answer is None or uk is None or not fact.text.strip():
        return None
    written = builder.written_number(fact)
    answer_norm = norm_text(answer)
    digits = {t for t in tokens(written) if t[0].isdigit()}
    # Every fact that could hold this value: exact values near it, and every bound.
    near: list[str] = []
    values = ix.exact_value_list.get(uk, [])
    i = bisect.bisect_left(values, fact.number_value)
    for _, gid in ix.exact_values.get(uk, [])[max(0, i - _SCAN) : i + _SCAN]:
        near.append(gid)
    shares = _open_or_shares(builder)
    for gid in (*near, *shares):
        g = ix.facts[gid]
        if gid != fact.id and can_be(fact, g) and norm_text(g.counts or "") != answer_norm:
            return None  # another counted thing may have this value: two right answers
    value = fact.number_value
    order = sorted(
        dict.fromkeys((*near, *shares)),
        key=lambda gid: (abs(ix.facts[gid].number_value - value), gid),
    )
    labels = {answer_norm}
    distractors: list[tuple[str, str]] = []
    for gid in order:
        if len(distractors) >= MAX_MEANINGS:
            break
        g = ix.facts[gid]
        label = counted_label(g)
        if gid == fact.id or label is None or ix.unit_of.get(gid) != uk or can_be(fact, g):
            continue
        if (_percent_range(g) is None) != (_percent_range(fact) is None):
            continue  # a share ("a third") beside head counts stands out
        n = norm_text(label)
        if any(n == x or contains_phrase(x, n) or contains_phrase(n, x) for x in labels):
            continue
        if digits & set(tokens(label)):
            continue
        labels.add(n)
        distractors.append((label, gid))
    if len(distractors) < 2:
        return None
    speaker = builder.container_speaker(fact)
    prompt = number_meaning_prompt(written, uk == "", speaker.display if speaker else None)
    if builder.leaks(prompt, (answer,)):
        return None
    return PickPlan(prompt, answer, tuple(distractors))
