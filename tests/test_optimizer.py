"""Personal FSRS parameters: history, training items, held-back scores and fitting
(fsrs-rs-python) on a simulated learner whose memory is not FSRS' default learner."""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs
import pytest
from sqlalchemy import insert
from sqlmodel import select

from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.scheduling import CardState, SchedulerSettings, memory, review, study_day
from quizapp.scheduling.optimize import (
    DEFAULT_PARAMETERS_LIST,
    MIN_FIT_REVIEWS,
    REFIT_EVERY,
    FitRecord,
    LoggedReview,
    clamp_parameters,
    fit_and_compare,
    fit_due,
    fit_parameters,
    score,
    training_items,
)
from quizapp.services.collection import Collection
from quizapp.services.optimize import load_history, optimize_profile
from quizapp.storage.models import CardRow, FactRow, ProfileRow, ReviewRow
from quizapp.storage.reviewstate import review_state_columns
from quizapp.study import StudySession

pytestmark = pytest.mark.both_backends

T0 = datetime(2023, 1, 2, 8, 0, tzinfo=UTC)
# The simulated learner forgets faster and consolidates more slowly than FSRS'
# default learner: the fitted parameters should predict them better.
TRUE_PARAMETERS = list(DEFAULT_PARAMETERS_LIST)
TRUE_PARAMETERS[0:4] = [0.05, 0.25, 0.7, 2.5]
TRUE_PARAMETERS[8] = 1.1


def _sim_deck(n: int) -> Deck:
    facts = tuple(Fact(id=f"qa-{i}", kind=FactKind.QA, front=f"Question {i}?", back=f"A{i}")
                  for i in range(n))
    return Deck(id="sim", name="Simulated", facts=facts)


def _simulated_rows(card_ids: list[int], profile_id: int, seed: int) -> list[dict[str, object]]:
    """A year of study answers by a simulated learner, as review rows."""
    rng = random.Random(seed)
    app = SchedulerSettings(fuzz=False)
    truth = fsrs.Scheduler(parameters=TRUE_PARAMETERS, enable_fuzzing=False)
    end = T0 + timedelta(days=365)
    rows: list[dict[str, object]] = []
    for card_id in card_ids:
        state = CardState()
        true_card = fsrs.Card(card_id=card_id, due=T0)
        t = T0 + timedelta(days=rng.randrange(0, 150), minutes=rng.randrange(0, 600))
        while t < end and state.reps < 40:
            if state.is_new:
                rating = rng.choices([1, 2, 3, 4], weights=[20, 5, 65, 10])[0]
            else:
                p = truth.get_card_retrievability(true_card, t)
                if state.state in (1, 3) and (t - true_card.last_review).days < 1:  # type: ignore[operator]
                    p = 0.9  # same-day learning steps
                recalled = rng.random() < p
                rating = rng.choices([2, 3, 4], weights=[10, 85, 5])[0] if recalled else 1
            after = review(state, rating, t, app)
            true_card, _ = truth.review_card(true_card, fsrs.Rating(rating), t)
            rows.append(dict(card_id=card_id, profile_id=profile_id, reviewed_at=t,
                             study_day=study_day(t, 4, "UTC"), kind="study", form="flashcard",
                             correct=rating > 1, verdict="right" if rating > 1 else "wrong",
                             rating=rating, response_ms=rng.randrange(2000, 15000),
                             **review_state_columns(state, after)))
            state = after
            assert state.due is not None
            late = timedelta(days=rng.choice([0, 0, 0, 1, 2, 5])) if state.state == 2 \
                else timedelta(0)
            t = state.due + late + timedelta(minutes=rng.randrange(0, 240))
    return rows


def _simulated_history(cards: int, *, seed: int) -> list[LoggedReview]:
    rows = _simulated_rows(list(range(1, cards + 1)), 1, seed)
    return sorted(LoggedReview(r["reviewed_at"], r["card_id"], r["rating"])  # type: ignore[arg-type]
                  for r in rows)


def _simulate(col: Collection, profile_id: int, *, cards: int, seed: int) -> int:
    """Write a year of study by a simulated learner; return how many study answers."""
    with col.session() as s:
        card_ids = list(s.exec(
            select(CardRow.id).join(FactRow, FactRow.id == CardRow.fact_id)  # type: ignore[arg-type]
            .where(CardRow.profile_id == profile_id, FactRow.key.startswith("qa-"))
            .order_by(CardRow.id)).all())[:cards]  # type: ignore[arg-type]
    rows = _simulated_rows([c for c in card_ids if c is not None], profile_id, seed)
    with col.transaction() as s:
        s.exec(insert(ReviewRow), params=rows)
    return len(rows)


def _add_noise(col: Collection, profile_id: int) -> None:
    """Rows the optimizer must skip: undone answers, undo rows and practice-test answers."""
    with col.transaction() as s:
        card = s.exec(select(CardRow).where(CardRow.profile_id == profile_id)).first()
        assert card is not None and card.id is not None
        for i in range(40):
            t = T0 + timedelta(days=200, minutes=i)
            wrong = ReviewRow(card_id=card.id, profile_id=profile_id, reviewed_at=t,
                              study_day=study_day(t, 4, "UTC"), kind="study", rating=1,
                              correct=False, **review_state_columns(CardState(), None))
            s.add(wrong)
            s.flush()
            s.add(ReviewRow(card_id=card.id, profile_id=profile_id, reviewed_at=t,
                            study_day=study_day(t, 4, "UTC"), kind="undo",
                            cancels_id=wrong.id))
            s.add(ReviewRow(card_id=card.id, profile_id=profile_id, reviewed_at=t,
                            study_day=study_day(t, 4, "UTC"), kind="test", rating=1,
                            correct=False, **review_state_columns(CardState(), None)))


def _open(db_url: str, *, durable: bool) -> Collection:
    return Collection.open(db_url, durable=durable)


def test_history_skips_cancelled_undo_and_test_rows(db_url: str) -> None:
    with _open(db_url, durable=False) as col:
        col.import_deck(_sim_deck(30))
        pid = col.profile().id
        assert pid is not None
        written = _simulate(col, pid, cards=20, seed=3)
        _add_noise(col, pid)
        with col.session() as s:
            history = load_history(s, pid)
        assert len(history) == written
        assert history == sorted(history)
        assert all(1 <= h.rating <= 4 for h in history)


def test_held_back_score_prefers_the_parameters_that_generated_the_answers(
        db_url: str) -> None:
    with _open(db_url, durable=False) as col:
        col.import_deck(_sim_deck(200))
        pid = col.profile().id
        assert pid is not None
        _simulate(col, pid, cards=150, seed=5)
        with col.session() as s:
            history = load_history(s, pid)
    stamped = training_items(history)
    assert [t for t, _ in stamped] == sorted(t for t, _ in stamped)
    held_back = [it for _, it in stamped[int(len(stamped) * 0.8):]]
    assert len(held_back) > 100
    true_score = score(held_back, TRUE_PARAMETERS)
    default_score = score(held_back, DEFAULT_PARAMETERS_LIST)
    assert true_score is not None and default_score is not None
    assert true_score.log_loss < default_score.log_loss


def test_training_items_are_the_answers_on_a_later_study_day() -> None:
    day = timedelta(days=1)
    history = [
        LoggedReview(T0, 1, 3),
        LoggedReview(T0 + timedelta(minutes=10), 1, 3),  # same day: no item
        LoggedReview(T0 + 2 * day, 1, 1),
        LoggedReview(T0 + 2 * day + timedelta(minutes=10), 1, 3),  # same day
        LoggedReview(T0 + 5 * day, 1, 3),
        LoggedReview(T0 + 5 * day, 2, 3),  # another memory, answered once
        # 02:00 is still the previous study day with the 04:00 rollover
        LoggedReview(T0 + timedelta(hours=18), 3, 3),
        LoggedReview(T0 + timedelta(hours=19), 3, 3),
    ]
    stamped = training_items(history)
    assert [t for t, _ in stamped] == [T0 + 2 * day, T0 + 5 * day]
    last = stamped[-1][1]
    expected = [(3, 0), (3, 0), (1, 2), (3, 0), (3, 3)]
    assert [repr(r) for r in last.reviews] == [
        f"FSRSReview {{ rating: {g}, delta_t: {d} }}" for g, d in expected]
    # A study day stored with the answer wins over the one computed from its time.
    moved = [LoggedReview(T0, 4, 3, study_day=100), LoggedReview(T0, 4, 3, study_day=101)]
    assert len(training_items(moved)) == 1


def test_fit_due_waits_for_enough_history_then_every_n_answers() -> None:
    assert not fit_due(MIN_FIT_REVIEWS - 1, 10_000, False)
    assert fit_due(MIN_FIT_REVIEWS, 0, False)
    assert not fit_due(MIN_FIT_REVIEWS * 4, REFIT_EVERY - 1, True)
    assert fit_due(MIN_FIT_REVIEWS * 4, REFIT_EVERY, True)


def test_fitted_parameters_are_clamped_into_the_schedulers_bounds() -> None:
    wild = [1000.0] * len(DEFAULT_PARAMETERS_LIST)
    clamped = clamp_parameters(wild)
    SchedulerSettings(parameters=clamped)  # accepted by the scheduler
    assert clamped != tuple(wild)
    assert clamp_parameters(DEFAULT_PARAMETERS_LIST) == DEFAULT_PARAMETERS_LIST


def test_fit_on_a_plain_history_switches_and_says_why() -> None:
    history = _simulated_history(220, seed=11)
    result = fit_and_compare(history, DEFAULT_PARAMETERS_LIST)
    assert result.train_items >= MIN_FIT_REVIEWS and result.holdout_items > 100
    assert result.fitted_parameters is not None and result.current and result.fitted
    assert result.fitted.log_loss < result.current.log_loss
    assert result.switch and "better" in result.reason
    # Scoring the fitted parameters against themselves never switches.
    same = fit_and_compare(history, result.fitted_parameters)
    assert same.current is not None and same.fitted is not None
    assert same.switch == (same.fitted.log_loss < same.current.log_loss)


def test_too_little_history_changes_nothing(db_url: str) -> None:
    with _open(db_url, durable=False) as col:
        col.import_deck(_sim_deck(10))
        pid = col.profile().id
        assert pid is not None
        _simulate(col, pid, cards=5, seed=1)
        report = optimize_profile(col, pid)
        assert not report.switched and report.fitted_parameters is None
        assert "too few reviews" in report.reason
        assert col.profile(pid).fsrs_parameters is None
        json.dumps(report.to_json())


def test_an_empty_or_tiny_history_is_not_fitted() -> None:
    assert training_items([]) == []
    assert score([], DEFAULT_PARAMETERS_LIST) is None
    for history in ([], [LoggedReview(T0, 1, 3)]):
        result = fit_and_compare(history, DEFAULT_PARAMETERS_LIST)
        assert not result.switch and result.fitted_parameters is None
        assert "too few reviews" in result.reason


def test_fitting_switches_only_to_better_parameters(db_url: str) -> None:
    with _open(db_url, durable=False) as col:
        col.import_deck(_sim_deck(250))
        pid = col.profile().id
        assert pid is not None
        written = _simulate(col, pid, cards=220, seed=11)
        _add_noise(col, pid)
    assert written >= 2000

    # Fitting runs on the file opened as the app opens it (durable).
    with _open(db_url, durable=True) as col:
        report = optimize_profile(col, pid)
        assert report.reviews == written
        assert report.result.holdout_items > 100
        assert report.current_parameters == DEFAULT_PARAMETERS_LIST
        assert report.fitted_parameters is not None
        assert len(report.fitted_parameters) == len(DEFAULT_PARAMETERS_LIST)
        r = report.result
        assert r.current is not None and r.fitted is not None
        assert r.fitted.log_loss < r.current.log_loss
        assert report.switched
        json.dumps(report.to_json())

    with _open(db_url, durable=True) as col:
        with col.session() as s:
            stored = s.get(ProfileRow, pid)
            assert stored is not None and stored.fsrs_parameters is not None
            assert (FitRecord.from_text(stored.fsrs_parameters).parameters
                    == report.fitted_parameters)
            # Every memory was recomputed from the log with the new parameters (fuzz off).
            fitted = SchedulerSettings(parameters=report.fitted_parameters, fuzz=False)
            answers: dict[int, list[ReviewRow]] = {}
            for row in s.exec(select(ReviewRow).where(ReviewRow.profile_id == pid,
                                                     ReviewRow.kind == "study")):
                answers.setdefault(row.card_id, []).append(row)
            undone = {r.cancels_id for r in s.exec(select(ReviewRow).where(
                ReviewRow.profile_id == pid, ReviewRow.kind == "undo"))}
            checked = 0
            for card in s.exec(select(CardRow).where(CardRow.profile_id == pid)):
                expected = CardState()
                for r in sorted(answers.get(card.id or 0, []),
                                key=lambda r: (r.reviewed_at, r.id)):
                    if r.id in undone:
                        continue
                    assert r.reviewed_at is not None
                    expected = memory.answer(expected, memory.Family.RECOGNISE, bool(r.correct),
                                             r.reviewed_at, fitted)
                got = CardState.of(card).with_changes(suspended=False, last_shown_day=None)
                assert got == expected, card.id
                checked += expected.reps > 0
            assert checked >= 200
        session = StudySession(col, pid)
        assert session.settings.scheduler.parameters == report.fitted_parameters

        # Fitting again from the fitted parameters must not switch to anything worse.
        again = optimize_profile(col, pid, apply=True)
        assert again.current_parameters == report.fitted_parameters
        if again.switched:
            a = again.result
            assert a.current is not None and a.fitted is not None
            assert a.fitted.log_loss < a.current.log_loss
        else:  # the same parameters, and the attempt noted for the every-N rule
            kept = FitRecord.from_text(col.profile(pid).fsrs_parameters)
            assert kept.parameters == report.fitted_parameters
            assert kept.last_attempt is not None and not kept.last_attempt.switched
            assert kept.last_attempt.answers == written


def _real_log() -> list[LoggedReview]:
    """A real learner's 12,580 answers (py-fsrs' public test log; see tests/data/README.md)."""
    ids: dict[str, int] = {}
    out = []
    with open(Path(__file__).parent / "data" / "py_fsrs_review_logs.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            out.append(LoggedReview(datetime.fromisoformat(row["review_time"]),
                                    ids.setdefault(row["card_id"], len(ids) + 1),
                                    int(row["review_rating"]), int(row["review_duration"])))
    return sorted(out)


def test_fit_on_a_real_review_log_predicts_it_better() -> None:
    history = _real_log()
    assert len(history) == 12_580
    items = [it for _, it in training_items(history)]
    fitted = fit_parameters(history)
    before, after = score(items, DEFAULT_PARAMETERS_LIST), score(items, fitted)
    assert before is not None and after is not None
    assert after.log_loss < before.log_loss and after.rmse_bins < before.rmse_bins
    held_back = fit_and_compare(history, DEFAULT_PARAMETERS_LIST)
    assert held_back.current is not None and held_back.fitted is not None
    assert held_back.switch == (held_back.fitted.log_loss < held_back.current.log_loss)
