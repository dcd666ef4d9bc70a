"""One memory per fact: the family a fact is asked in, the guess-corrected update of a
right multiple-choice answer, leeches flagged (never suspended) and the replay after a
parameter switch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizapp.scheduling import CardState, Rating, SchedulerSettings, review
from quizapp.scheduling.memory import (
    LEECH_LAPSES,
    RECALL_FROM_STABILITY_DAYS,
    Family,
    LoggedAnswer,
    RecognitionRule,
    answer,
    choose_presentation,
    family_for,
    is_leech,
    is_mastered,
    rating_for,
    recalled_given_right_choice,
    replay,
)
from quizapp.scheduling.optimize import DEFAULT_PARAMETERS_LIST

T0 = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
SETTINGS = SchedulerSettings(fuzz=False)


def _grown(stability_at_least: float) -> tuple[CardState, datetime]:
    """A memory answered right at each due time until its stability reaches the bound."""
    memory, now = CardState(), T0
    while memory.stability is None or memory.stability < stability_at_least:
        memory = review(memory, Rating.GOOD, now, SETTINGS)
        assert memory.due is not None
        now = memory.due
    return memory, now


def test_young_memories_are_recognised_and_stable_ones_recalled() -> None:
    assert family_for(CardState()) is Family.RECOGNISE
    young, _ = _grown(1.0)
    assert young.stability is not None and young.stability < RECALL_FROM_STABILITY_DAYS
    assert family_for(young) is Family.RECOGNISE
    stable, _ = _grown(RECALL_FROM_STABILITY_DAYS)
    assert family_for(stable) is Family.RECALL
    # A fact with no recognise form is recalled from the start.
    assert family_for(CardState(), can_recognise=False) is Family.RECALL
    assert family_for(young, recall_from=0.0) is Family.RECALL


def test_the_chance_a_right_choice_was_recalled() -> None:
    assert recalled_given_right_choice(0.9, 4) == pytest.approx(0.9 / (0.9 + 0.1 / 4))
    assert recalled_given_right_choice(1.0, 4) == 1.0
    assert recalled_given_right_choice(0.0, 4) == 0.0
    assert recalled_given_right_choice(0.5, 1) == 1.0  # no choice, no guess
    # More choices make a lucky guess less likely.
    assert recalled_given_right_choice(0.5, 6) > recalled_given_right_choice(0.5, 3)


def test_a_right_choice_counts_less_than_a_right_recall() -> None:
    memory, due = _grown(3.0)
    late = due + timedelta(days=10)  # recall has dropped well below 90%
    recall = answer(memory, Family.RECALL, True, late, SETTINGS)
    choice = answer(memory, Family.RECOGNISE, True, late, SETTINGS, choices=4)
    forgot = answer(memory, Family.RECOGNISE, False, late, SETTINGS, choices=4)
    assert recall == review(memory, Rating.GOOD, late, SETTINGS)
    assert forgot == review(memory, Rating.AGAIN, late, SETTINGS)
    assert recall.stability and choice.stability and forgot.stability
    assert forgot.stability < choice.stability < recall.stability
    assert recall.due and choice.due
    assert late + timedelta(days=1) <= choice.due < recall.due
    assert choice.state == recall.state and choice.reps == recall.reps == memory.reps + 1
    assert choice.lapses == memory.lapses
    # The same answer at the due time, when recall is likelier, is closer to a right recall.
    on_time = answer(memory, Family.RECOGNISE, True, due, SETTINGS, choices=4)
    full = answer(memory, Family.RECALL, True, due, SETTINGS)
    assert on_time.stability and full.stability
    assert on_time.stability / full.stability > choice.stability / recall.stability
    # The alternative the simulation compared it with.
    assert answer(memory, Family.RECOGNISE, True, late, SETTINGS, choices=4,
                  rule=RecognitionRule.GOOD) == recall


def test_a_first_right_choice_is_weighed_with_the_prior() -> None:
    first = answer(CardState(), Family.RECOGNISE, True, T0, SETTINGS, choices=4)
    good = review(CardState(), Rating.GOOD, T0, SETTINGS)
    assert first.state == good.state and first.due == good.due  # same learning step
    assert first.stability is not None and good.stability is not None
    assert first.stability < good.stability


def test_both_families_update_the_one_memory() -> None:
    memory = answer(CardState(), Family.RECOGNISE, True, T0, SETTINGS, choices=4)
    memory = answer(memory, Family.RECALL, True, T0 + timedelta(days=2), SETTINGS)
    memory = answer(memory, Family.RECOGNISE, False, T0 + timedelta(days=5), SETTINGS,
                    choices=4)
    assert memory.reps == 3


def test_ratings_are_again_or_good() -> None:
    assert rating_for(True) is Rating.GOOD
    assert rating_for(False) is Rating.AGAIN


def test_a_leech_gets_another_way_in_and_is_never_suspended() -> None:
    memory, now = _grown(3.0)
    assert not choose_presentation(memory).needs_another_way_in
    for _ in range(LEECH_LAPSES + 6):
        memory = answer(memory, Family.RECALL, False, now, SETTINGS)  # a lapse
        assert memory.due is not None
        memory = answer(memory, Family.RECALL, True, memory.due, SETTINGS)  # relearnt
        assert memory.due is not None
        now = memory.due + timedelta(days=1)
        shown = choose_presentation(memory)
        assert not memory.suspended
        assert shown.needs_another_way_in == (memory.lapses >= LEECH_LAPSES) == is_leech(memory)
        assert shown.evidence_first == shown.other_form == shown.needs_another_way_in
    assert memory.lapses == LEECH_LAPSES + 6


def test_mastered_needs_three_weeks_and_a_right_last_answer() -> None:
    stable, _ = _grown(21.0)
    young, _ = _grown(3.0)
    assert is_mastered(stable, True)
    assert not is_mastered(stable, False)
    assert not is_mastered(young, True)
    assert not is_mastered(CardState(), True)


def _log() -> tuple[list[LoggedAnswer], dict[int, CardState]]:
    """Two facts answered live, with the log the app keeps."""
    log: list[LoggedAnswer] = []
    live: dict[int, CardState] = {}
    plan = [(1, 0.0, True), (2, 0.1, False), (1, 2.0, True), (2, 1.0, True), (1, 6.0, False),
            (2, 4.0, True), (1, 7.0, True), (1, 15.0, True), (2, 12.0, True)]
    for fact, day, correct in plan:
        memory = live.get(fact, CardState())
        shown = choose_presentation(memory)
        choices = 4 if shown.family is Family.RECOGNISE else 0
        when = T0 + timedelta(days=day)
        live[fact] = answer(memory, shown.family, correct, when, SETTINGS, choices=choices)
        log.append(LoggedAnswer(when, fact, correct, shown.family, choices))
    return log, live


def test_replay_reproduces_the_memories_and_follows_new_parameters() -> None:
    log, live = _log()
    assert any(a.family is Family.RECALL for a in log)
    assert any(a.family is Family.RECOGNISE for a in log)
    assert replay(reversed(log), SETTINGS) == live
    personal = list(DEFAULT_PARAMETERS_LIST)
    personal[0:4] = [0.1, 0.5, 1.0, 3.0]
    other = replay(log, SchedulerSettings(fuzz=False, parameters=tuple(personal)))
    assert other.keys() == live.keys()
    for fact, memory in other.items():
        assert memory.reps == live[fact].reps and memory.lapses == live[fact].lapses
        assert memory.stability != live[fact].stability
