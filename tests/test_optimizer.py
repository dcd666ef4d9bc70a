"""Personal FSRS parameters: history, held-back log-loss and fitting on a simulated learner.

The fitting test needs PyTorch (the ``quizapp[optimizer]`` extra). It is skipped
only on a developer machine without it; under CI=true it runs and must pass.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
from datetime import UTC, datetime, timedelta

import fsrs
import pytest
from sqlalchemy import insert
from sqlmodel import select

from quizapp.collection import Collection
from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.scheduling import CardState, SchedulerSettings, review, study_day
from quizapp.scheduling.optimize import (
    DEFAULT_PARAMETERS_LIST,
    LoggedReview,
    load_history,
    log_loss,
    optimize_profile,
    split_history,
)
from quizapp.storage.models import CardRow, FactRow, ProfileRow, ReviewRow
from quizapp.study import StudySession

pytestmark = pytest.mark.optimizer

HAVE_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = pytest.mark.skipif(
    not HAVE_TORCH and os.environ.get("CI") != "true",
    reason="PyTorch is not installed (pip install quizapp[optimizer]); CI runs this test",
)

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


def _simulate(col: Collection, profile_id: int, *, cards: int, seed: int) -> int:
    """Write a year of study by a simulated learner; return how many study answers."""
    rng = random.Random(seed)
    app = SchedulerSettings(fuzz=False)
    truth = fsrs.Scheduler(parameters=TRUE_PARAMETERS, enable_fuzzing=False)
    end = T0 + timedelta(days=365)
    with col.session() as s:
        card_ids = list(s.exec(
            select(CardRow.id).join(FactRow, FactRow.id == CardRow.fact_id)  # type: ignore[arg-type]
            .where(CardRow.profile_id == profile_id, FactRow.key.startswith("qa-"))
            .order_by(CardRow.id)).all())[:cards]  # type: ignore[arg-type]
    rows: list[dict[str, object]] = []
    for card_id in card_ids:
        assert card_id is not None
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
                             state_before=state.to_json(), state_after=after.to_json()))
            state = after
            assert state.due is not None
            late = timedelta(days=rng.choice([0, 0, 0, 1, 2, 5])) if state.state == 2 \
                else timedelta(0)
            t = state.due + late + timedelta(minutes=rng.randrange(0, 240))
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
                              correct=False, state_before=CardState().to_json())
            s.add(wrong)
            s.flush()
            s.add(ReviewRow(card_id=card.id, profile_id=profile_id, reviewed_at=t,
                            study_day=study_day(t, 4, "UTC"), kind="undo",
                            cancels_id=wrong.id))
            s.add(ReviewRow(card_id=card.id, profile_id=profile_id, reviewed_at=t,
                            study_day=study_day(t, 4, "UTC"), kind="test", rating=1,
                            correct=False, state_before=CardState().to_json()))


def _open(tmp_path: object, *, durable: bool) -> Collection:
    return Collection.open(f"sqlite:///{tmp_path}/q.sqlite3", durable=durable)


def test_history_skips_cancelled_undo_and_test_rows(tmp_path: object) -> None:
    with _open(tmp_path, durable=False) as col:
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


def test_log_loss_prefers_the_parameters_that_generated_the_answers(tmp_path: object) -> None:
    with _open(tmp_path, durable=False) as col:
        col.import_deck(_sim_deck(200))
        pid = col.profile().id
        assert pid is not None
        _simulate(col, pid, cards=150, seed=5)
        with col.session() as s:
            history = load_history(s, pid)
    train, split_at = split_history(history)
    assert split_at is not None
    assert all(h.reviewed_at < split_at for h in train)
    assert 0.7 * len(history) <= len(train) <= 0.81 * len(history)
    true_loss, n = log_loss(history, TRUE_PARAMETERS, split_at)
    default_loss, n2 = log_loss(history, DEFAULT_PARAMETERS_LIST, split_at)
    assert n == n2 > 100
    assert true_loss is not None and default_loss is not None
    assert true_loss < default_loss


def test_too_little_history_changes_nothing(tmp_path: object) -> None:
    with _open(tmp_path, durable=False) as col:
        col.import_deck(_sim_deck(10))
        pid = col.profile().id
        assert pid is not None
        _simulate(col, pid, cards=5, seed=1)
        report = optimize_profile(col, pid)
        assert not report.switched and report.fitted_parameters is None
        assert "not enough history" in report.reason
        assert col.profile(pid).fsrs_parameters is None
        json.dumps(report.to_json())


def test_log_loss_of_an_empty_history() -> None:
    assert log_loss([], DEFAULT_PARAMETERS_LIST) == (None, 0)
    one = [LoggedReview(T0, 1, 3)]
    assert log_loss(one, DEFAULT_PARAMETERS_LIST) == (None, 0)
    assert split_history([]) == ([], None)


@needs_torch
def test_fitting_switches_only_to_better_parameters(tmp_path: object) -> None:
    with _open(tmp_path, durable=False) as col:
        col.import_deck(_sim_deck(250))
        pid = col.profile().id
        assert pid is not None
        written = _simulate(col, pid, cards=220, seed=11)
        _add_noise(col, pid)
    assert written >= 2000

    # Fitting runs on the file opened as the app opens it (durable).
    with _open(tmp_path, durable=True) as col:
        report = optimize_profile(col, pid)
        assert report.reviews == written
        assert report.holdout_reviews > 100
        assert report.current_parameters == DEFAULT_PARAMETERS_LIST
        assert report.fitted_parameters is not None
        assert len(report.fitted_parameters) == len(DEFAULT_PARAMETERS_LIST)
        assert report.current_log_loss is not None and report.fitted_log_loss is not None
        assert report.fitted_log_loss < report.current_log_loss
        assert report.switched
        json.dumps(report.to_json())

    with _open(tmp_path, durable=True) as col:
        with col.session() as s:
            stored = s.get(ProfileRow, pid)
            assert stored is not None and stored.fsrs_parameters is not None
            assert tuple(json.loads(stored.fsrs_parameters)) == report.fitted_parameters
        session = StudySession(col, pid)
        assert session.settings.scheduler.parameters == report.fitted_parameters

        # Fitting again from the fitted parameters must not switch to anything worse.
        again = optimize_profile(col, pid, apply=True)
        assert again.current_parameters == report.fitted_parameters
        if again.switched:
            assert again.fitted_log_loss is not None and again.current_log_loss is not None
            assert again.fitted_log_loss < again.current_log_loss
        else:
            assert col.profile(pid).fsrs_parameters == stored.fsrs_parameters
