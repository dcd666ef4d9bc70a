"""The fitting benchmarks run end to end and print every figure they promise (no timing is
asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(script: str, *args: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert isinstance(data, dict)
    return data


def test_bench_fit_prints_times_and_held_back_scores() -> None:
    data = _run("bench_fit.py", "--repeats", "1")
    assert data["answers"] == 12_580
    for key in ("fit_seconds_10k", "fit_and_compare_seconds_10k"):
        times = data[key]
        assert isinstance(times, dict) and times["best"] > 0, key
    holdout = data["holdout"]
    assert isinstance(holdout, dict)
    for side in ("default", "fitted"):
        scores = holdout[side]
        assert set(scores) == {"log_loss", "rmse_bins", "predicted_retention"}
        assert all(0 < v < 1 for v in scores.values())
    assert 0 < holdout["actual_retention"] < 1


def test_bench_fit_profile_fits_through_the_database() -> None:
    data = _run("bench_fit_profile.py", "--answers", "3000", "--repeats", "1")
    assert data["answers"] == 3000
    assert isinstance(data["train_items"], int) and data["train_items"] >= 400
    for key in ("optimize_profile_seconds", "parameters_status_seconds"):
        times = data[key]
        assert isinstance(times, dict) and times["best"] > 0, key
    for key in ("current_log_loss", "fitted_log_loss", "current_rmse_bins", "fitted_rmse_bins"):
        assert isinstance(data[key], float), key
