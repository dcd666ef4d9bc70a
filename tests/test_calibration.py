"""Calibration of predicted recall: the binning on hand-made data, and the figures of a
history studied through the real study session on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from quizapp.facts.deckfile import load_deck_file
from quizapp.questions.model import Question
from quizapp.scheduling import (
    DEFAULT_PARAMETERS_LIST,
    CardState,
    SchedulerSettings,
    retrievability,
)
from quizapp.scheduling.calibration import (
    MIN_ANSWERS,
    CalibrationTally,
    RecallPredictor,
    calibrate,
    chance_right,
)
from quizapp.services.calibration import guess_chance, recall_calibration
from quizapp.services.collection import Collection
from quizapp.services.profiles import create_profile, update_profile_settings
from quizapp.storage.fitlog import store_parameters
from quizapp.storage.models import ReviewRow
from quizapp.storage.reviewstate import BEFORE_COLUMNS, state_of_row
from quizapp.study import StudySession
from tests.conftest import SEED_DECK

T0 = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


# --------------------------------------------------------------------------
# Binning, by hand


def test_two_bins_by_hand() -> None:
    answers = [(0.85, i < 8) for i in range(10)] + [(0.95, i < 9) for i in range(10)]
    result = calibrate(answers)
    # 20 answers: a bin needs max(10, 20/10) = 10; 0.85 and 0.95 fill one each.
    assert [(b.low, b.high, b.answers, b.right) for b in result.bins] == [
        (0.85, 0.90, 10, 8), (0.95, 1.0, 10, 9)]
    assert result.bins[0].predicted == pytest.approx(0.85)
    assert result.bins[0].actual == pytest.approx(0.8)
    assert result.bins[1].predicted == pytest.approx(0.95)
    assert result.bins[1].actual == pytest.approx(0.9)
    assert result.answers == 20 and result.right == 17
    assert result.predicted == pytest.approx(0.9)
    assert result.actual == pytest.approx(0.85)
    # Each bin is 5 points too confident: RMSE sqrt((10·0.05² + 10·0.05²) / 20).
    assert result.rmse_bins == pytest.approx(0.05)
    loss = -(8 * math.log(0.85) + 2 * math.log(0.15) + 9 * math.log(0.95)
             + math.log(0.05)) / 20
    assert result.log_loss == pytest.approx(loss)
    assert not result.enough  # fewer than 50 answers


def test_sparse_bins_are_joined_upwards_and_a_short_remainder_joins_the_bin_below() -> None:
    answers = ([(0.12, True)] * 3 + [(0.33, False)] * 4 + [(0.41, i < 2) for i in range(5)]
               + [(0.92, i < 36) for i in range(40)] + [(0.97, True)] * 8)
    result = calibrate(answers)
    # 60 answers: a bin needs max(10, 6) = 10. 0.10-0.45 gathers 3 + 4 + 5 = 12;
    # 0.90-0.95 holds 40; the 8 at 0.95-1 fall short and join it.
    assert [(b.low, b.high, b.answers, b.right) for b in result.bins] == [
        (0.10, 0.45, 12, 5), (0.90, 1.0, 48, 44)]
    assert result.bins[0].predicted == pytest.approx((3 * 0.12 + 4 * 0.33 + 5 * 0.41) / 12)
    assert result.bins[1].predicted == pytest.approx((40 * 0.92 + 8 * 0.97) / 48)
    assert result.enough


def test_at_most_ten_bins_and_the_ends_of_the_scale() -> None:
    # 200 answers spread evenly over 20 five-point bins: a bin needs 20, so pairs join.
    answers = [((i % 20) / 20 + 0.01, i % 3 == 0) for i in range(200)]
    result = calibrate(answers)
    assert len(result.bins) == 10
    assert [(b.low, b.high) for b in result.bins] == [
        (pytest.approx(i / 10), pytest.approx((i + 1) / 10)) for i in range(10)]
    assert sum(b.answers for b in result.bins) == 200
    # A prediction of exactly 1 goes in the top bin, 0 in the bottom one.
    ends = calibrate([(1.0, True)] * 10 + [(0.0, False)] * 10)
    assert [(b.low, b.high, b.answers) for b in ends.bins] == [(0.0, 0.05, 10),
                                                                (0.95, 1.0, 10)]
    # Log loss stays finite for a sure prediction that was wrong.
    sure = calibrate([(1.0, False)] * 10)
    assert sure.log_loss == pytest.approx(-math.log(1e-6))


def test_no_answers_and_the_tally_one_at_a_time() -> None:
    empty = calibrate([])
    assert empty.bins == () and empty.answers == 0 and not empty.enough
    assert empty.predicted is None and empty.actual is None and empty.rmse_bins is None
    tally = CalibrationTally()
    for i in range(MIN_ANSWERS):
        tally.add(0.9, i % 10 != 0)
    result = tally.result()
    assert result.enough and result.answers == MIN_ANSWERS and result.right == 45
    assert result.rmse_bins == pytest.approx(0.0)
    assert json.loads(json.dumps(result.to_json()))["bins"][0]["actual"] == pytest.approx(0.9)


def test_predicted_recall_is_the_scheduler_retrievability_before_the_answer() -> None:
    settings = SchedulerSettings()
    predictor = RecallPredictor(settings)
    learned = CardState(state=2, stability=10.0, difficulty=5.0, due=T0 + timedelta(days=10),
                        last_review=T0, reps=3)
    # FSRS: recall is 90% when the time since the last review equals the stability.
    assert predictor.before(learned, T0 + timedelta(days=10)) == pytest.approx(0.9)
    later = predictor.before(learned, T0 + timedelta(days=30))
    assert later is not None and later < 0.9
    relearning = learned.with_changes(state=3, stability=2.0)
    assert predictor.before(relearning, T0 + timedelta(days=2)) == pytest.approx(0.9)
    # An answer less than a day after the last review (a relearning step, a
    # review taken early the same day) has no prediction to check: the curve
    # says 100% there and the steps, not a prediction, timed it.
    assert predictor.before(relearning, T0 + timedelta(minutes=10)) is None
    assert predictor.before(learned, T0 + timedelta(hours=23, minutes=59)) is None
    # No prediction for a new or learning memory, one without stability, or a bad state.
    assert predictor.before(CardState(), T0) is None
    learning = CardState(state=1, step=0, stability=1.0, due=T0, last_review=T0)
    assert predictor.before(learning, T0) is None
    assert predictor.before(learned.with_changes(stability=None), T0) is None
    assert predictor.before(learned.with_changes(stability=0.0), T0 + timedelta(days=3)) is None
    assert predictor.before(learned.with_changes(last_review=None), T0 + timedelta(days=3)) is None


def test_the_predictor_agrees_with_the_scheduler_retrievability() -> None:
    rng = random.Random(3)
    personal = list(DEFAULT_PARAMETERS_LIST)
    personal[20] = 0.45
    for parameters in (DEFAULT_PARAMETERS_LIST, tuple(personal)):
        settings = SchedulerSettings(parameters=parameters)
        predictor = RecallPredictor(settings)
        for _ in range(300):
            last = T0 + timedelta(seconds=rng.randrange(0, 10**7))
            state = CardState(state=rng.choice((2, 3)), step=0,
                              stability=rng.uniform(0.05, 400.0),
                              difficulty=rng.uniform(1, 10), due=last + timedelta(days=3),
                              last_review=last, reps=4)
            at = last + timedelta(seconds=rng.randrange(86400, 400 * 86400))
            assert predictor.before(state, at) == pytest.approx(
                retrievability(state, at, settings), rel=1e-12)


def test_a_lucky_pick_counts_in_the_prediction() -> None:
    assert chance_right(0.5, 0.25) == pytest.approx(0.625)
    assert chance_right(0.9, 0.0) == pytest.approx(0.9)
    assert guess_chance("typed", None) == 0.0
    assert guess_chance("cloze", None) == 0.0
    assert guess_chance("choice", json.dumps(["a", "b", "c", "d"])) == pytest.approx(0.25)
    assert guess_chance("true_false", json.dumps(["True", "False"])) == pytest.approx(0.5)
    assert guess_chance("timeline", json.dumps(["a", "b", "c"])) == pytest.approx(1 / 6)
    assert guess_chance("choice", "not json") == 0.0
    assert guess_chance("choice", json.dumps(["only"])) == 0.0


# --------------------------------------------------------------------------
# A history studied through the study session, on both databases

pytestmark = pytest.mark.both_backends


def wrong_answer(question: Question) -> str:
    if question.choices:
        return next(c for c in question.choices if c not in question.answers)
    if question.items:
        return " | ".join(reversed(question.answers[0].split(" | ")))
    return "zzz nothing like it"


@dataclass
class History:
    col: Collection
    pid: int
    undone: int = 0
    overruled: int = 0
    tests: int = 0


def study(col: Collection, pid: int, days: int, seed: int) -> History:
    """``days`` days of study of the seed deck, 80% right, with undos, overrules and tests."""
    deck_id = col_deck_id(col)
    rng = random.Random(seed)
    history = History(col, pid)
    for day in range(days):
        now = T0 + timedelta(days=day, minutes=rng.randrange(0, 600))
        session = StudySession(col, pid, deck_id=deck_id, seed=seed + day)
        for _ in range(rng.randrange(12, 24)):
            question = session.next_question(now)
            if question is None:
                break
            right = rng.random() < 0.8
            result = session.answer(question, question.answers[0] if right
                                    else wrong_answer(question), now, 3000)
            now += timedelta(seconds=rng.randrange(20, 90))
            if day % 5 == 2 and history.undone < 6 and rng.random() < 0.3:
                assert session.undo(now) is not None
                history.undone += 1
            elif not result.correct and question.input_kind is not None \
                    and question.choices is None and rng.random() < 0.3:
                session.overrule(result.review_id, now)
                history.overruled += 1
        session.close(now)
        if day % 7 == 6:  # a practice test: counts nowhere in calibration
            session = StudySession(col, pid, deck_id=deck_id, seed=seed + 1000 + day)
            question = session.next_question(now)
            if question is not None:
                session.record_test_answer(question, question.answers[0], now, 3000)
                history.tests += 1
            session.close(now)
    return history


def col_deck_id(col: Collection) -> int:
    from quizapp.services.decks import profile_decks

    decks, _ = profile_decks(col, 1)
    return next(d.id for d in decks if d.key == "seed")


def retrievability_by_hand(state: dict[str, object], at: datetime,
                           parameters: tuple[float, ...]) -> float:
    """FSRS-6 recall after whole days since the last review: (1 + f·t/S)^−w20."""
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    last = datetime.fromisoformat(str(state["last_review"]))
    days = max(0, (at - last).days)
    return float((1 + factor * days / float(str(state["stability"]))) ** decay)


def expected(col: Collection, pid: int, parameters: tuple[float, ...],
             latest: int | None = None, same_day: bool = False) -> list[tuple[float, bool]]:
    """The calibration pairs worked out from the review rows, one rule at a time
    (the ``latest`` ones by study day and id)."""
    with col.session() as s:
        rows = {r.id: r for r in s.exec(select(ReviewRow).where(ReviewRow.profile_id == pid))}
    cancelled = {r.cancels_id for r in rows.values() if r.cancels_id is not None}
    pairs = []
    for r in sorted(rows.values(), key=lambda r: (r.study_day, r.id), reverse=True):
        if r.id in cancelled:
            continue
        original = r
        if r.kind == "overrule":
            assert r.cancels_id is not None
            original = rows[r.cancels_id]
        elif r.kind != "study":
            continue
        if original.kind != "study":
            continue
        before = state_of_row(r, BEFORE_COLUMNS)
        assert before is not None and original.reviewed_at is not None
        state = json.loads(before.to_json())
        if state["state"] not in (2, 3):
            continue
        at = original.reviewed_at.replace(tzinfo=UTC) if original.reviewed_at.tzinfo is None \
            else original.reviewed_at
        if not same_day and (at - datetime.fromisoformat(str(state["last_review"]))).days < 1:
            continue
        recall = retrievability_by_hand(state, at, parameters)
        choices = json.loads(original.choices) if original.choices else []
        if original.form in ("typed", "cloze", "flashcard") or len(choices) < 2:
            guess = 0.0
        elif original.form == "timeline":
            guess = 1 / math.factorial(len(choices))
        else:
            guess = 1 / len(choices)
        assert r.correct is not None
        pairs.append((recall + (1 - recall) * guess, bool(r.correct)))
    return pairs[:latest] if latest is not None else pairs


@pytest.fixture
def col(db_url: str) -> Iterator[Collection]:
    collection = Collection.open(db_url, first_start=False)
    collection.import_deck(load_deck_file(SEED_DECK))
    create_profile(collection, "Learner", T0)
    update_profile_settings(collection, 1, timezone="UTC")
    yield collection
    collection.close()


def test_studied_history_gives_the_bins_of_its_review_rows(col: Collection) -> None:
    history = study(col, 1, days=50, seed=19)
    assert history.undone and history.overruled and history.tests
    result = recall_calibration(col, 1)
    pairs = expected(col, 1, DEFAULT_PARAMETERS_LIST)
    want = calibrate(pairs)
    assert result.enough and result.answers == len(pairs) >= MIN_ANSWERS
    assert len(result.bins) >= 2
    assert [(b.low, b.high, b.answers, b.right) for b in result.bins] == [
        (b.low, b.high, b.answers, b.right) for b in want.bins]
    for got, wanted in zip(result.bins, want.bins, strict=True):
        assert got.predicted == pytest.approx(wanted.predicted)
    assert result.predicted == pytest.approx(want.predicted)
    assert result.log_loss == pytest.approx(want.log_loss)
    assert result.rmse_bins == pytest.approx(want.rmse_bins)
    # Answers less than a day after the last review (relearning steps) are out:
    # none is predicted at 100%, although the history has such answers.
    assert all(p < 1.0 for p, _ in pairs)
    assert len(expected(col, 1, DEFAULT_PARAMETERS_LIST, same_day=True)) > len(pairs)


def test_the_profile_parameters_make_the_prediction(col: Collection) -> None:
    study(col, 1, days=30, seed=5)
    default = recall_calibration(col, 1)
    personal = list(DEFAULT_PARAMETERS_LIST)
    personal[20] = 0.6  # a steeper forgetting curve than the default decay
    with col.transaction() as s:
        store_parameters(s, 1, json.dumps(personal))
    fitted = recall_calibration(col, 1)
    assert fitted.answers == default.answers > 0
    want = calibrate(expected(col, 1, tuple(personal)))
    assert fitted.predicted == pytest.approx(want.predicted)
    assert fitted.predicted != pytest.approx(default.predicted)


def test_a_new_profile_has_nothing_to_show(col: Collection) -> None:
    result = recall_calibration(col, 1)
    assert result.answers == 0 and result.bins == () and not result.enough


def test_only_the_latest_answers_are_read(col: Collection) -> None:
    study(col, 1, days=30, seed=7)
    every = recall_calibration(col, 1)
    assert not every.latest and every.answers > 40
    latest = recall_calibration(col, 1, latest=40)
    assert latest.latest and latest.answers == 40 and latest.limit == 40
    want = calibrate(expected(col, 1, DEFAULT_PARAMETERS_LIST, latest=40))
    assert [(b.low, b.high, b.answers, b.right) for b in latest.bins] == [
        (b.low, b.high, b.answers, b.right) for b in want.bins]
    assert latest.predicted == pytest.approx(want.predicted)
