"""``quizapp optimize [--profile P] [--json] [--dry-run]`` on a real SQLite collection whose
profile studied through the app's study session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.scheduling.optimize import MIN_FIT_REVIEWS, FitRecord
from quizapp.services.collection import Collection
from tests.fit_history import copy_collection, studied_file

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def studied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return studied_file(tmp_path_factory.mktemp("fit"))


def _stored(name: str) -> str | None:
    with Collection.open() as col:
        return col.profile(name).fsrs_parameters


def test_optimize_fits_switches_and_says_so(studied: Path, quizapp_home: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    copy_collection(studied, quizapp_home)
    assert main(["optimize", "--profile", "Ana"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert err == ""
    assert lines[0].startswith("Profile Ana: ") and "answers a day or more apart" in lines[0]
    assert lines[1].startswith("Held-back log loss ") and "RMSE(bins)" in lines[1]
    assert lines[2].startswith("Predicted retention ")
    assert lines[-1] == ("Switched to the fitted parameters: they predict the held-back "
                         "answers better.")
    record = FitRecord.from_text(_stored("Ana"))
    assert record.personal and record.last_attempt is not None and record.last_attempt.switched
    # The profile that never studied: too few reviews, said plainly, exit 0.
    assert main(["optimize"]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines() == [
        "Profile Student: 0 reviews.",
        f"Kept the current parameters: too few reviews: 0 answers a day or more apart, "
        f"a fit needs {MIN_FIT_REVIEWS}."]
    assert _stored("Student") is None


def test_optimize_json_and_dry_run(studied: Path, quizapp_home: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    copy_collection(studied, quizapp_home)
    assert main(["optimize", "--profile", "Ana", "--json", "--dry-run"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"] == "Ana" and data["dry_run"] is True
    assert data["reviews"] > 1000 and data["train_items"] + data["holdout_items"] >= 512
    assert data["fitted_log_loss"] < data["current_log_loss"]
    assert not data["switched"] and data["reason"].endswith("(not applied)")
    for key in ("current_rmse_bins", "fitted_rmse_bins", "current_predicted_retention",
                "fitted_predicted_retention", "actual_retention", "fit_seconds"):
        assert isinstance(data[key], float), key
    assert len(data["fitted_parameters"]) == 21
    assert _stored("Ana") is None  # a dry run stores nothing
    assert main(["optimize", "--profile", "Ana", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["switched"] is True and data["dry_run"] is False
    assert FitRecord.from_text(_stored("Ana")).parameters == tuple(data["fitted_parameters"])


def test_unknown_profile_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = dict(os.environ, QUIZAPP_HOME=str(tmp_path / "home"), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "quizapp", "optimize", "--profile", "Nobody"],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "quizapp: no profile named 'Nobody'\n"
