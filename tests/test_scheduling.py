"""Scheduling: study days, the card ⇄ fsrs.Card mapping, FSRS reviews, settings and rules."""

from __future__ import annotations

import ast
import json
import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import fsrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.scheduling import (
    DEFAULT_PARAMETERS_LIST,
    CardState,
    CardStateKind,
    Rating,
    SchedulerSettings,
    StudySettings,
    day_date,
    day_start,
    retrievability,
    review,
    settings_from,
    study_day,
    to_fsrs_card,
)
from quizapp.scheduling.scheduler import parse_parameters

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


# ---------------------------------------------------------------- study days


def test_study_day_rolls_over_at_the_set_hour() -> None:
    may1 = (datetime(2024, 5, 1).date() - datetime(1970, 1, 1).date()).days
    assert study_day(datetime(2024, 5, 1, 3, 59, tzinfo=UTC), 4, "UTC") == may1 - 1
    assert study_day(datetime(2024, 5, 1, 4, 0, tzinfo=UTC), 4, "UTC") == may1
    assert study_day(datetime(2024, 5, 1, 23, 59, tzinfo=UTC), 4, "UTC") == may1
    assert study_day(datetime(2024, 5, 1, 0, 30, tzinfo=UTC), 0, "UTC") == may1
    assert day_date(may1).isoformat() == "2024-05-01"


def test_study_day_uses_the_learners_zone() -> None:
    # 03:00 UTC is 05:00 in Berlin (summer time): May 1 there, still April 30 in UTC.
    t = datetime(2024, 5, 1, 3, 0, tzinfo=UTC)
    berlin = study_day(t, 4, "Europe/Berlin")
    assert berlin == study_day(t, 4, "UTC") + 1
    assert day_date(berlin).isoformat() == "2024-05-01"
    # 01:30 UTC is 03:30 in Berlin: before the rollover, so April 30.
    assert study_day(t - timedelta(minutes=90), 4, "Europe/Berlin") == berlin - 1
    assert day_start(berlin, 4, "Europe/Berlin") == datetime(2024, 5, 1, 2, 0, tzinfo=UTC)


def test_study_day_rejects_naive_times_and_unknown_zones() -> None:
    with pytest.raises(ValueError):
        study_day(datetime(2024, 5, 1, 12, 0), 4, "UTC")
    with pytest.raises(ValueError):
        study_day(T0, 4, "Not/AZone")


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2060, 1, 1)),
    st.integers(0, 23),
    st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Australia/Adelaide",
                     "Asia/Kolkata"]),
)
def test_day_start_brackets_every_instant(naive: datetime, hour: int, tz: str) -> None:
    now = naive.replace(tzinfo=UTC)
    day = study_day(now, hour, tz)
    assert day_start(day, hour, tz) <= now < day_start(day + 1, hour, tz)


# ---------------------------------------------------------------- card state


def test_card_state_json_round_trip() -> None:
    state = CardState(state=2, step=None, stability=12.5, difficulty=4.25,
                      due=T0 + timedelta(days=12), last_review=T0, reps=5, lapses=1,
                      suspended=False, last_shown_day=19844)
    text = state.to_json()
    assert CardState.from_json(text) == state
    assert json.loads(CardState().to_json())["state"] == 0


_TIMES = st.one_of(st.none(), st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)),
                               timezone(-timedelta(hours=8))])))
_NUMBERS = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                     st.integers(-10**20, 10**20), st.sampled_from([CardStateKind.REVIEW]))


@given(st.one_of(st.integers(0, 3), st.sampled_from(list(CardStateKind))),
       st.one_of(st.none(), st.integers(-5, 10**12)), _NUMBERS, _NUMBERS, _TIMES, _TIMES,
       st.integers(0, 10**9), st.integers(0, 10**9), st.booleans(),
       st.one_of(st.none(), st.integers(-10**6, 10**7)))
def test_card_state_json_is_the_json_modules_text(
        kind: int, step: int | None, stability: float | None, difficulty: float | None,
        due: datetime | None, last: datetime | None, reps: int, lapses: int, suspended: bool,
        shown: int | None) -> None:
    """The review log's state text, written field by field, is exactly what ``json`` writes."""
    state = CardState(kind, step, stability, difficulty, due, last, reps, lapses, suspended,
                      shown)
    values = state.values()
    for key in ("due", "last_review"):
        if values[key] is not None:
            values[key] = values[key].astimezone(UTC).isoformat()
    assert state.to_json() == json.dumps(values, separators=(",", ":"))

def test_card_state_reads_and_writes_row_like_objects() -> None:
    row = SimpleNamespace(state=1, step=0, stability=2.3, difficulty=5.0,
                          due=datetime(2024, 5, 1, 9, 1), last_review=datetime(2024, 5, 1, 9),
                          reps=1, lapses=0, suspended=0, last_shown_day=7, extra="kept")
    state = CardState.of(row)
    assert state.due == datetime(2024, 5, 1, 9, 1, tzinfo=UTC)
    assert state.suspended is False
    target = SimpleNamespace(extra="kept")
    state.apply_to(target)
    assert target.reps == 1 and target.due == state.due and target.extra == "kept"


def test_new_card_maps_to_a_fresh_fsrs_learning_card() -> None:
    card = to_fsrs_card(CardState(), T0, card_id=7)
    assert card.state is fsrs.State.Learning and card.step == 0
    assert card.stability is None and card.difficulty is None and card.last_review is None
    assert card.card_id == 7


# ---------------------------------------------------------------- FSRS equivalence


def _reference(settings: SchedulerSettings) -> fsrs.Scheduler:
    return fsrs.Scheduler(
        parameters=settings.parameters,
        desired_retention=settings.desired_retention,
        learning_steps=[timedelta(seconds=s) for s in settings.learning_steps],
        relearning_steps=[timedelta(seconds=s) for s in settings.relearning_steps],
        maximum_interval=settings.maximum_interval,
        enable_fuzzing=settings.fuzz,
    )


@given(
    st.lists(st.tuples(st.integers(1, 4), st.integers(0, 40 * 24 * 60)), min_size=1,
             max_size=25),
    st.sampled_from([0.8, 0.9, 0.95]),
    st.sampled_from([(60, 600), (300,), ()]),
    st.sampled_from([(600,), ()]),
    st.sampled_from([36500, 30]),
)
def test_review_matches_the_fsrs_library(
    answers: list[tuple[int, int]], retention: float, steps: tuple[int, ...],
    relearn: tuple[int, ...], maximum: int,
) -> None:
    settings = SchedulerSettings(desired_retention=retention, learning_steps=steps,
                                 relearning_steps=relearn, maximum_interval=maximum,
                                 fuzz=False)
    reference = _reference(settings)
    ref_card = fsrs.Card(card_id=1, due=T0)
    state = CardState()
    now = T0
    lapses = 0
    for i, (rating, gap_minutes) in enumerate(answers):
        was_review = ref_card.state is fsrs.State.Review and i > 0
        ref_card, _ = reference.review_card(ref_card, fsrs.Rating(rating), now)
        state = review(state, rating, now, settings)
        lapses += int(was_review and rating == 1)
        assert state.state == int(ref_card.state)
        assert state.step == ref_card.step
        assert state.stability == ref_card.stability
        assert state.difficulty == ref_card.difficulty
        assert state.due == ref_card.due
        assert state.last_review == ref_card.last_review
        assert state.reps == i + 1
        assert state.lapses == lapses
        # Through JSON (as the review log stores it) nothing is lost.
        state = CardState.from_json(state.to_json())
        now = now + timedelta(minutes=gap_minutes)


_PARAMETERS = st.tuples(*(st.floats(lo, hi) for lo, hi in zip(
    fsrs.scheduler.LOWER_BOUNDS_PARAMETERS, fsrs.scheduler.UPPER_BOUNDS_PARAMETERS,
    strict=True)))
_SETTINGS = st.builds(
    SchedulerSettings, desired_retention=st.floats(0.7, 0.99),
    learning_steps=st.sampled_from([(60, 600), (300,), (), (60, 600, 3600)]),
    relearning_steps=st.sampled_from([(600,), (), (300, 1200)]),
    maximum_interval=st.sampled_from([36500, 30, 3]), fuzz=st.booleans(),
    parameters=st.one_of(st.just(DEFAULT_PARAMETERS_LIST), _PARAMETERS))


@given(
    st.lists(st.tuples(st.integers(1, 4), st.integers(0, 400 * 24 * 60), st.integers(0, 2)),
             min_size=1, max_size=30),
    st.lists(_SETTINGS, min_size=1, max_size=3),
    st.integers(0, 2**32),
)
def test_review_is_the_fsrs_librarys_bit_for_bit_fuzz_included(
    answers: list[tuple[int, int, int]], options: list[SchedulerSettings], seed: int,
) -> None:
    """Every answer's new state equals ``fsrs.Scheduler.review_card``'s, to the last bit.

    Any parameters within fsrs' bounds, any retention, steps and maximum;
    the settings may change between answers (a card left at a step the new
    settings do not have); with fuzz on, both draw from the same seeded
    global generator. The predicted recall before each answer is the
    library's too.
    """
    ref_card = fsrs.Card(card_id=1, due=T0)
    state = CardState()
    now = T0
    for i, (rating, gap_minutes, which) in enumerate(answers):
        settings = options[which % len(options)]
        reference = _reference(settings)
        if i:
            assert retrievability(state, now, settings) == \
                reference.get_card_retrievability(ref_card, now)
        random.seed(seed + i)
        ref_card, _ = reference.review_card(ref_card, fsrs.Rating(rating), now)
        drawn = random.getstate()
        random.seed(seed + i)
        state = review(state, rating, now, settings)
        assert (state.state, state.step, state.stability, state.difficulty, state.due,
                state.last_review) == (int(ref_card.state), ref_card.step, ref_card.stability,
                                       ref_card.difficulty, ref_card.due, ref_card.last_review)
        assert random.getstate() == drawn  # as many draws: a seeded run stays the same
        now = now + timedelta(minutes=gap_minutes)


def test_known_intervals_with_default_parameters() -> None:
    settings = SchedulerSettings(fuzz=False)
    s1 = review(CardState(), Rating.GOOD, T0, settings)  # step 0 -> step 1 (10 minutes)
    assert (s1.state, s1.step, s1.due) == (1, 1, T0 + timedelta(minutes=10))
    s2 = review(s1, Rating.GOOD, T0 + timedelta(minutes=10), settings)
    assert s2.state == 2 and s2.step is None
    assert s2.due is not None and (s2.due - (T0 + timedelta(minutes=10))).days >= 1
    s3 = review(s2, Rating.AGAIN, s2.due, settings)
    assert (s3.state, s3.lapses) == (3, 1)
    assert retrievability(s2, s2.due, settings) == pytest.approx(0.9, abs=0.02)
    assert retrievability(CardState(), T0, settings) == 0.0


def test_fuzz_keeps_intervals_near_the_exact_ones() -> None:
    exact = SchedulerSettings(fuzz=False)
    fuzzy = SchedulerSettings(fuzz=True)
    state = CardState()
    now = T0
    for _ in range(4):
        state = review(state, Rating.GOOD, now, exact)
        assert state.due is not None
        now = state.due
    target = review(state, Rating.GOOD, now, exact)
    assert target.due is not None
    exact_days = (target.due - now).days
    seen = {(review(state, Rating.GOOD, now, fuzzy).due - now).days  # type: ignore[operator]
            for _ in range(40)}
    assert all(abs(d - exact_days) <= max(3, exact_days * 0.2) for d in seen)


def test_naive_review_time_is_refused() -> None:
    with pytest.raises(ValueError):
        review(CardState(), Rating.GOOD, datetime(2024, 5, 1, 9, 0), SchedulerSettings())


# ---------------------------------------------------------------- settings and rules


def _profile(**overrides: object) -> SimpleNamespace:
    values: dict[str, object] = dict(
        desired_retention=0.9, new_per_day=20, reviews_per_day=200, rollover_hour=4,
        timezone=None, learning_steps="[60, 600]", relearning_steps="[600]",
        maximum_interval=36500, fuzz=True, fsrs_parameters=None)
    values.update(overrides)
    return SimpleNamespace(**values)


def test_settings_from_profile_defaults_and_deck_overrides() -> None:
    base = settings_from(_profile())
    assert base == StudySettings()
    assert base.scheduler.parameters == DEFAULT_PARAMETERS_LIST
    override = SimpleNamespace(desired_retention=0.85, new_per_day=None, reviews_per_day=50)
    deck = settings_from(_profile(learning_steps="[30]", fuzz=False), override)
    assert deck.scheduler.desired_retention == 0.85
    assert deck.scheduler.learning_steps == (30,)
    assert deck.scheduler.fuzz is False
    assert (deck.new_per_day, deck.reviews_per_day) == (20, 50)


def test_stored_parameters_are_used_when_valid() -> None:
    fitted = list(DEFAULT_PARAMETERS_LIST)
    fitted[0] = 0.5
    settings = settings_from(_profile(fsrs_parameters=json.dumps(fitted)))
    assert settings.scheduler.parameters[0] == 0.5
    # Unusable stored parameters fall back to the defaults rather than stopping study.
    assert parse_parameters("[1, 2, 3]") == DEFAULT_PARAMETERS_LIST
    assert parse_parameters("not json") == DEFAULT_PARAMETERS_LIST


@pytest.mark.parametrize("bad", [
    {"desired_retention": 1.2}, {"desired_retention": 0.0}, {"maximum_interval": 0},
    {"learning_steps": "[0]"}, {"rollover_hour": 24}, {"new_per_day": -1},
    {"timezone": "Nowhere/City"},
])
def test_bad_settings_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        settings_from(_profile(**bad))


def test_only_the_scheduling_package_imports_fsrs() -> None:
    offenders = []
    for path in (ROOT / "quizapp").rglob("*.py"):
        if "scheduling" in path.relative_to(ROOT / "quizapp").parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "fsrs" or n.startswith("fsrs.") for n in names):
                offenders.append(str(path))
    assert offenders == []
