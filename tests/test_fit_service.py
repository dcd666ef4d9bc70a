"""Personal FSRS parameters for every learner: what a fit leaves behind, the automatic
rule (enough answers a day or more apart, then every REFIT_EVERY answers), reset, and the
Settings line, on a history studied through the app's own study session."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from quizapp.scheduling import settings_from
from quizapp.scheduling.optimize import (
    DEFAULT_PARAMETERS_LIST,
    MIN_FIT_REVIEWS,
    REFIT_EVERY,
    FitAttempt,
    FitRecord,
    FitResult,
    Score,
    retention,
)
from quizapp.scheduling.scheduler import parse_parameters
from quizapp.services.collection import Collection
from quizapp.services.optimize import (
    RESET_REASON,
    auto_fit,
    fit_is_due,
    optimize_profile,
    parameters_status,
    reset_parameters,
)
from quizapp.services.profile_file import export_profile, import_profile
from quizapp.services.profiles import create_profile
from quizapp.storage.models import ProfileRow
from quizapp.study import StudySession
from tests.fit_history import FACTS, START, qa_deck, study_days

pytestmark = pytest.mark.both_backends

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
TODAY = f"{NOW.astimezone().day} {NOW.astimezone():%B}"  # as the app shows it, local time
FITTED = tuple(round(p * 1.1, 4) if i < 4 else p for i, p in enumerate(DEFAULT_PARAMETERS_LIST))


def _profile(**values: object) -> SimpleNamespace:
    base: dict[str, object] = dict(
        desired_retention=0.9, new_per_day=20, reviews_per_day=200, learning_steps=None,
        relearning_steps=None, maximum_interval=36500, fuzz=False, rollover_hour=4,
        timezone="UTC", fsrs_parameters=None)
    base.update(values)
    return SimpleNamespace(**base)


def test_stored_parameters_read_in_both_forms() -> None:
    plain = json.dumps(list(FITTED))
    record = FitRecord(parameters=FITTED, fitted_at=NOW, reviews=1842, log_loss=0.4,
                       rmse_bins=0.05, predicted_retention=0.9, actual_retention=0.88,
                       answers_at_fit=1842,
                       last_attempt=FitAttempt(NOW, 1842, True, "better")).to_text()
    defaults = FitRecord(last_attempt=FitAttempt(NOW, 700, False, "not better")).to_text()
    assert parse_parameters(plain) == FITTED
    assert parse_parameters(record) == FITTED
    assert parse_parameters(defaults) == DEFAULT_PARAMETERS_LIST
    for bad in ("{", '{"parameters": "x"}', '{"parameters": [1, 2]}', '"text"', "3"):
        assert parse_parameters(bad) == DEFAULT_PARAMETERS_LIST
    assert settings_from(_profile(fsrs_parameters=plain)).scheduler.parameters == FITTED
    assert settings_from(_profile(fsrs_parameters=record)).scheduler.parameters == FITTED
    assert (settings_from(_profile(fsrs_parameters=defaults)).scheduler.parameters
            == DEFAULT_PARAMETERS_LIST)
    # The record reads back as written; the plain list reads as parameters alone.
    back = FitRecord.from_text(record)
    assert back.to_text() == record and back.personal and back.answers_counted_from == 1842
    old = FitRecord.from_text(plain)
    assert old == FitRecord(parameters=FITTED) and old.answers_counted_from is None
    assert FitRecord.from_text("not json") == FitRecord()


def test_a_fit_that_does_not_switch_keeps_the_parameters_and_notes_the_attempt() -> None:
    kept = FitRecord(parameters=FITTED, fitted_at=START, reviews=900, answers_at_fit=900)
    result = FitResult(FITTED, DEFAULT_PARAMETERS_LIST, Score(0.4, 0.05, 0.9, 0.88),
                       Score(0.5, 0.07, 0.8, 0.88), 800, 200, START, False, "not better", 0.1)
    after = kept.after(result, at=NOW, answers=2900, switched=False, reason="not better")
    assert after.parameters == FITTED and after.fitted_at == START and after.reviews == 900
    assert after.last_attempt == FitAttempt(NOW, 2900, False, "not better")
    assert after.answers_counted_from == 2900
    switched = kept.after(replace(result, switch=True), at=NOW, answers=2900, switched=True,
                          reason="better")
    assert switched.parameters == DEFAULT_PARAMETERS_LIST and switched.fitted_at == NOW
    assert (switched.log_loss, switched.rmse_bins) == (0.5, 0.07)
    assert (switched.predicted_retention, switched.actual_retention) == (0.8, 0.88)


def _stored(col: Collection, pid: int) -> str | None:
    with col.session() as s:
        row = s.get(ProfileRow, pid)
        assert row is not None
        return row.fsrs_parameters


def _store(col: Collection, pid: int, text: str) -> None:
    with col.transaction() as s:
        row = s.get(ProfileRow, pid)
        assert row is not None
        row.fsrs_parameters = text
        s.add(row)


def test_every_learner_gets_a_fit_once_there_is_enough_history(db_url: str) -> None:
    with Collection.open(db_url, first_start=False) as col:
        col.import_deck(qa_deck(FACTS))
        pid = create_profile(col, "Ana", START).id

        # Ten days of study: not enough answers a day or more apart yet.
        study_days(col, pid, days=10, seed=7)
        status = parameters_status(col, pid)
        assert status.training_items is not None and status.training_items < MIN_FIT_REVIEWS
        assert not status.due and not fit_is_due(col, pid)
        assert status.line(NOW) == (
            f"Default parameters: a fit needs {MIN_FIT_REVIEWS} answers a day or more apart; "
            f"you have {status.training_items:,}.")
        assert auto_fit(col, pid, now=NOW) is None
        assert _stored(col, pid) is None

        # Two more weeks: the threshold is passed, and the automatic fit runs.
        study_days(col, pid, days=14, seed=8, start=START + timedelta(days=10))
        status = parameters_status(col, pid)
        assert status.training_items is not None and status.training_items >= MIN_FIT_REVIEWS
        assert status.due and fit_is_due(col, pid)
        report = auto_fit(col, pid, now=NOW)
        assert report is not None and report.fitted_parameters is not None
        r = report.result
        assert r.current is not None and r.fitted is not None
        assert report.switched == (r.fitted.log_loss < r.current.log_loss)
        assert report.switched  # this learner's forgetting is not FSRS' default learner's
        record = FitRecord.from_text(_stored(col, pid))
        assert record.parameters == report.fitted_parameters
        assert record.fitted_at == NOW and record.reviews == report.reviews == status.answers
        assert record.log_loss == r.fitted.log_loss and record.rmse_bins == r.fitted.rmse_bins
        assert record.predicted_retention == r.fitted.predicted_retention
        assert record.actual_retention is not None and 0.5 < record.actual_retention < 1
        assert record.answers_at_fit == status.answers
        assert record.last_attempt == FitAttempt(NOW, status.answers, True, report.reason)
        assert StudySession(col, pid).settings.scheduler.parameters == report.fitted_parameters
        assert parameters_status(col, pid).line(NOW) == (
            f"Personal parameters: fitted on {status.answers:,} reviews on {TODAY}; "
            f"predicted retention {record.predicted_retention:.0%}, "
            f"actual {record.actual_retention:.0%}.")

        # Right after a fit nothing is due, nor after a few more answers.
        assert not fit_is_due(col, pid) and auto_fit(col, pid) is None
        study_days(col, pid, days=2, seed=9, start=START + timedelta(days=24))
        answers = parameters_status(col, pid).answers
        assert answers > status.answers and not fit_is_due(col, pid)
        # Every REFIT_EVERY answers counted from the last attempt, switched or not.
        for since, due in ((REFIT_EVERY - 1, False), (REFIT_EVERY, True)):
            attempt = FitAttempt(NOW, answers - since, False, "not better")
            _store(col, pid, replace(record, last_attempt=attempt).to_text())
            assert fit_is_due(col, pid) is due

        # Reset: the defaults, and the automatic rule counts from the reset.
        reset = reset_parameters(col, pid, now=NOW)
        assert reset.record.parameters is None
        stored = FitRecord.from_text(_stored(col, pid))
        assert stored.parameters is None and stored.last_attempt is not None
        assert stored.last_attempt.reason == RESET_REASON
        assert stored.last_attempt.answers == answers
        assert StudySession(col, pid).settings.scheduler.parameters == DEFAULT_PARAMETERS_LIST
        assert not fit_is_due(col, pid)
        assert parameters_status(col, pid).line(NOW).startswith(
            f"Default parameters: reset on {TODAY}")

        # Optimize now fits at once, whatever the rule says.
        again = optimize_profile(col, pid, now=NOW + timedelta(hours=1))
        assert again.current_parameters == DEFAULT_PARAMETERS_LIST
        after = FitRecord.from_text(_stored(col, pid))
        assert after.last_attempt is not None
        assert after.last_attempt.at == NOW + timedelta(hours=1)
        assert after.personal == again.switched

        with pytest.raises(LookupError):
            reset_parameters(col, 9999)


def test_a_profile_file_carries_the_fit_record(db_url: str, tmp_path: Path) -> None:
    record = FitRecord(parameters=FITTED, fitted_at=NOW, reviews=1842, log_loss=0.4,
                       rmse_bins=0.05, predicted_retention=0.9, actual_retention=0.88,
                       answers_at_fit=1842, last_attempt=FitAttempt(NOW, 1842, True, "better"))
    with Collection.open(db_url, first_start=False) as col:
        col.import_deck(qa_deck(5))
        pid = create_profile(col, "Ana", START).id
        _store(col, pid, record.to_text())
        export_profile(col, pid, tmp_path / "ana.quizapp.json", NOW)
        moved = import_profile(col, tmp_path / "ana.quizapp.json", name="Ana elsewhere")
        assert FitRecord.from_text(_stored(col, moved.profile_id)) == record
        assert (StudySession(col, moved.profile_id).settings.scheduler.parameters
                == FITTED)


def test_predicted_retention_is_fsrs_recall_of_the_last_answer() -> None:
    w = DEFAULT_PARAMETERS_LIST
    decay = -w[20]
    factor = 0.9 ** (1 / decay) - 1
    # One Good answer leaves stability w[2]; five days later the curve predicts:
    expected = (1 + factor * 5 / w[2]) ** decay
    predicted, actual = retention([((3, 0), (3, 5))], w)
    assert predicted == pytest.approx(expected, rel=1e-4)
    assert actual == 1.0
    # An Again answer after one Easy answer (stability w[3]), ten days later: wrong.
    predicted, actual = retention([((3, 0), (3, 5)), ((4, 0), (1, 10))], w)
    assert predicted == pytest.approx((expected + (1 + factor * 10 / w[3]) ** decay) / 2,
                                      rel=1e-4)
    assert actual == 0.5
