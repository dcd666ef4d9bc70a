"""Date forms beyond the generator's own: date → event.

"What happened on April 15?" with events of the deck as choices. Offered only
where the date belongs to one event of the deck (no other event's period
overlaps it, or there would be two right answers) and at least two other
events, each clearly apart in time and named differently, can stand beside it.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from quizapp.facts.model import Fact
from quizapp.questions.dates import format_date
from quizapp.questions.forms.base import PickPlan
from quizapp.questions.normalize import capitalise, clean_space, contains_phrase, norm_text

if TYPE_CHECKING:
    from quizapp.questions.generate import QuestionBuilder

#: Distractor events looked at per question (nearest in time first).
MAX_EVENTS = 8
#: No dated period is longer than this (a year, in days); bounds the overlap scan.
LONGEST_PERIOD = 367


def event_label(fact: Fact) -> str | None:
    """How a choice names a date fact's event ("Trilateral statement signed"), if it can."""
    label = clean_space(fact.event or "")
    if not label or any(c.isdigit() for c in label):
        # "Trade in 2023" would say which choice fits a year before the student thinks.
        return None
    return capitalise(label)


def date_event_prompt(shown: str, precision: str) -> str:
    """ "What happened on April 15?" / "What happened in November 2020?"."""
    on = "on" if precision in ("day", "monthday") else "in"
    return f"What happened {on} {shown}?"


def plan_date_event(builder: QuestionBuilder, fact: Fact) -> PickPlan | None:
    """What happened on this fact's date, with other events of the deck as choices."""
    ix = builder.index
    d = ix.date_of.get(fact.id)
    own = ix.date_period.get(fact.id)
    answer = event_label(fact)
    if d is None or own is None or answer is None:
        return None
    if d.precision not in ("day", "monthday", "month", "year"):
        return None
    shown = format_date(d, ix.date_style(fact.id))
    if not shown:
        return None
    pos = ix.event_pos.get(fact.id)
    if pos is None:
        return None
    answer_norm = norm_text(answer)
    events = ix.events
    # Another event whose period overlaps this date would be a second right answer.
    first = bisect.bisect_left(ix.event_los, own[0] - LONGEST_PERIOD)
    for e in events[first:]:
        if e.lo > own[1]:
            break
        if e.fact_id != fact.id and e.hi >= own[0] and e.label_key != answer_norm:
            return None  # two events on this date: two right answers
    labels = {answer_norm}
    distractors: list[tuple[str, str]] = []
    for step in range(1, len(events)):
        if len(distractors) >= MAX_EVENTS or (pos - step < 0 and pos + step >= len(events)):
            break
        for i in (pos - step, pos + step):
            if not 0 <= i < len(events):
                continue
            e = events[i]
            if not (e.hi < own[0] or e.lo > own[1]):
                continue  # the same event dated twice, or at this date
            label = event_label(ix.facts[e.fact_id])
            if label is None:
                continue
            n = norm_text(label)
            if any(n == x or contains_phrase(x, n) or contains_phrase(n, x) for x in labels):
                continue
            labels.add(n)
            distractors.append((label, e.fact_id))
    if len(distractors) < 2:
        return None
    prompt = builder.asked(fact, date_event_prompt(shown, d.precision))
    if builder.leaks(prompt, (answer,)):
        return None
    return PickPlan(prompt, answer, tuple(distractors))
