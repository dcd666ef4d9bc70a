"""One memory per fact: the form a fact is asked in, and how an answer updates its memory.

A learner has one FSRS memory state per (profile, fact). The recognise and
recall forms of a fact test the same memory, so every answer, in either
family, updates that one state and the fact has one due time. This module is
the policy on top of :mod:`quizapp.scheduling.scheduler`; it is pure (no
database, no clock): callers pass the state, the answer and the time.

The rules, chosen by simulation (``benchmarks/learning_sim.py``; figures in
its docstring). The simulated learners' memory does not depend on the form,
so the simulation can show what recognition costs (lucky guesses) but not
what it gains (an easier start); the thresholds below are those with no
measurable cost there:

- **Family by stability.** A fact is asked in a recognise form (multiple
  choice) while its memory is young and in a recall form (typed answer) once
  the memory's stability reaches :data:`RECALL_FROM_STABILITY_DAYS` days, or
  at once when the deck has no recognise form for the fact. A new fact starts
  with recognition. (At 500 facts over 180 days: 7 days +10.9 items against
  the FSRS-6 frontier at equal workload, recall from the start +7.6, from 21
  days +8.7; recognition throughout had the least knowledge from day 60.)
- **Guess-corrected recognition.** A right multiple-choice answer with ``n``
  choices is weaker evidence than a right recall: a learner who has forgotten
  the fact still picks the right choice with probability ``1/n``. With ``R``
  the predicted recall at the time of the answer, the chance the fact was
  really recalled is ``q = R / (R + (1 − R)/n)``. The memory after the
  answer has the difficulty and the log-stability of the Good and Again
  outcomes weighted by ``q`` and ``1 − q`` (for a fact never answered
  before, ``R`` is :data:`NEW_RECALL_PRIOR`), and its next interval is the
  Good interval scaled by the ratio of the stabilities (never under a day
  for a memory in Review). A wrong answer is Again in both families; a right
  recall is Good. (Counting a right choice as Good: +5.4 and retention at
  review 0.86 instead of 0.88; rating it Hard keeps a new fact in its first
  learning step for good, since Hard repeats the step.)
- **No pace.** Ratings are Again or Good only: response time is not used,
  since nothing has shown that it predicts memory better than the outcome
  (slow-right-is-Hard and multiple-choice-never-Easy both raised the workload
  in simulation, and the simulator has no response times to test a better
  use).
- **Leeches get another way in, never silence.** A fact with
  :data:`LEECH_LAPSES` lapses or more is a leech: it is asked with its
  evidence (the source sentence) shown first and in another form of its
  family than the one last missed, and it is flagged to the learner (and the
  teacher) as needing another way in. Nothing is suspended automatically; a
  learner may still suspend a fact by hand.
- **Mastered**: stability of at least :data:`MASTERED_STABILITY_DAYS` days
  and a right last answer.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from quizapp.scheduling.scheduler import Rating, SchedulerSettings, retrievability, review
from quizapp.scheduling.state import CardState, CardStateKind

RECALL_FROM_STABILITY_DAYS = 7.0
NEW_RECALL_PRIOR = 0.5
LEECH_LAPSES = 8
MASTERED_STABILITY_DAYS = 21.0
DAY = timedelta(days=1)


class Family(Enum):
    """The kind of form a fact is asked in."""

    RECOGNISE = "recognise"
    RECALL = "recall"


class RecognitionRule(Enum):
    """How a right multiple-choice answer updates the memory.

    ``GUESS_CORRECTED`` is the policy; the others are the alternatives the
    simulation compared it with.
    """

    GUESS_CORRECTED = "guess-corrected"
    GOOD = "good"  # a right choice counts as a right recall


@dataclass(frozen=True, slots=True)
class Presentation:
    """How a fact is to be asked now."""

    family: Family
    evidence_first: bool = False  # show the source sentence before the question
    other_form: bool = False  # use another form of the family than the one last missed
    needs_another_way_in: bool = False  # flag the fact to the learner and the teacher


def is_leech(memory: CardState) -> bool:
    """Whether the fact has lapsed often enough to need another way in."""
    return memory.lapses >= LEECH_LAPSES


def is_mastered(memory: CardState, last_answer_right: bool) -> bool:
    """Stability of three weeks or more and a right last answer."""
    return (last_answer_right and memory.stability is not None
            and memory.stability >= MASTERED_STABILITY_DAYS)


def family_for(memory: CardState, *, can_recognise: bool = True,
               recall_from: float = RECALL_FROM_STABILITY_DAYS) -> Family:
    """Recognition while the memory is young, recall once its stability reaches ``recall_from``."""
    if not can_recognise:
        return Family.RECALL
    if memory.is_new or memory.stability is None or memory.stability < recall_from:
        return Family.RECOGNISE
    return Family.RECALL


def choose_presentation(memory: CardState, *, can_recognise: bool = True,
                        recall_from: float = RECALL_FROM_STABILITY_DAYS) -> Presentation:
    """The family and the help a fact gets when it is shown."""
    family = family_for(memory, can_recognise=can_recognise, recall_from=recall_from)
    if is_leech(memory):
        return Presentation(family, evidence_first=True, other_form=True,
                            needs_another_way_in=True)
    return Presentation(family)


def rating_for(correct: bool) -> Rating:
    """The FSRS rating of an answer: Again or Good (response time is not used)."""
    return Rating.GOOD if correct else Rating.AGAIN


def recalled_given_right_choice(predicted_recall: float, choices: int) -> float:
    """P(the fact was recalled | the right choice was picked among ``choices``)."""
    if choices < 2:
        return 1.0
    r = min(max(predicted_recall, 0.0), 1.0)
    guessed = (1.0 - r) / choices
    return r / (r + guessed) if r + guessed > 0 else 0.0


def answer(memory: CardState, family: Family, correct: bool, now: datetime,
           settings: SchedulerSettings, *, choices: int = 0,
           rule: RecognitionRule = RecognitionRule.GUESS_CORRECTED) -> CardState:
    """The fact's memory after an answer in ``family`` (``choices`` options for recognition)."""
    if not correct:
        return review(memory, Rating.AGAIN, now, settings)
    if family is Family.RECALL or choices < 2:
        return review(memory, Rating.GOOD, now, settings)
    if rule is RecognitionRule.GOOD:
        return review(memory, Rating.GOOD, now, settings)
    predicted = (NEW_RECALL_PRIOR if memory.is_new
                 else retrievability(memory, now, settings))
    q = recalled_given_right_choice(predicted, choices)
    good = review(memory, Rating.GOOD, now, settings)
    if q >= 1.0:
        return good
    again = review(memory, Rating.AGAIN, now, settings)
    assert good.stability is not None and again.stability is not None
    assert good.difficulty is not None and again.difficulty is not None
    assert good.due is not None
    stability = math.exp(q * math.log(good.stability) + (1 - q) * math.log(again.stability))
    difficulty = q * good.difficulty + (1 - q) * again.difficulty
    due = good.due
    if good.state == CardStateKind.REVIEW:
        scaled = (good.due - now) * (stability / good.stability)
        due = now + max(scaled, DAY)
    return good.with_changes(stability=stability, difficulty=difficulty, due=due)


@dataclass(frozen=True, slots=True, order=True)
class LoggedAnswer:
    """One answer as the memory replay needs it."""

    reviewed_at: datetime
    fact_id: int
    correct: bool
    family: Family = Family.RECALL
    choices: int = 0


def replay(answers: Iterable[LoggedAnswer], settings: SchedulerSettings, *,
           rule: RecognitionRule = RecognitionRule.GUESS_CORRECTED) -> dict[int, CardState]:
    """Every fact's memory recomputed from its answers (after a parameter switch)."""
    by_fact: dict[int, list[LoggedAnswer]] = defaultdict(list)
    for a in answers:
        by_fact[a.fact_id].append(a)
    out: dict[int, CardState] = {}
    for fact_id, rows in by_fact.items():
        memory = CardState()
        for a in sorted(rows, key=lambda x: x.reviewed_at):
            memory = answer(memory, a.family, a.correct, a.reviewed_at, settings,
                            choices=a.choices, rule=rule)
        out[fact_id] = memory
    return out


__all__ = [
    "LEECH_LAPSES",
    "MASTERED_STABILITY_DAYS",
    "NEW_RECALL_PRIOR",
    "RECALL_FROM_STABILITY_DAYS",
    "Family",
    "LoggedAnswer",
    "Presentation",
    "RecognitionRule",
    "answer",
    "choose_presentation",
    "family_for",
    "is_leech",
    "is_mastered",
    "rating_for",
    "recalled_given_right_choice",
    "replay",
]
