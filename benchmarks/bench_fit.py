"""Fitting personal FSRS parameters: time for 10,000 answers and scores on a real review log.

Reads a review log in py-fsrs' CSV format (card_id, review_rating, review_time,
review_duration; default ``tests/data/py_fsrs_review_logs.csv``, a real
learner's 12,580 answers) and prints, as JSON:

- ``fit_seconds_10k``: the time of :func:`quizapp.scheduling.optimize.fit_parameters`
  on the first 10,000 answers (best and median of ``--repeats``);
- ``fit_and_compare_seconds_10k``: the same answers through
  :func:`~quizapp.scheduling.optimize.fit_and_compare` (training items, the
  fit, and both parameter sets scored with their predicted retention), what
  a fit in the app does once the rows are read;
- ``holdout``: :func:`quizapp.scheduling.optimize.fit_and_compare` on the whole log:
  parameters fitted on the older 80% of training items, log loss, RMSE(bins)
  and predicted retention of the default and the fitted parameters on the
  newest 20%, and the actual retention (share right) of those answers;
- ``in_sample``: the same scores of the defaults and of parameters fitted on
  everything, on everything (what a learner's calibration chart would show).

Study days roll over at 04:00 UTC (the log's time zone is not known).

    python benchmarks/bench_fit.py [--log FILE] [--repeats 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp.scheduling.optimize import (  # noqa: E402
    DEFAULT_PARAMETERS_LIST,
    LoggedReview,
    fit_and_compare,
    fit_parameters,
    score,
    training_items,
)


def read_review_log(path: Path) -> list[LoggedReview]:
    """Answers from a py-fsrs review-log CSV, oldest first (card ids renumbered from 1)."""
    ids: dict[str, int] = {}
    out = []
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            card = ids.setdefault(row["card_id"], len(ids) + 1)
            out.append(LoggedReview(datetime.fromisoformat(row["review_time"]), card,
                                    int(row["review_rating"]), int(row["review_duration"])))
    out.sort()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--log", type=Path, default=ROOT / "tests" / "data" / "py_fsrs_review_logs.csv")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    history = read_review_log(args.log)
    first = history[:10_000]
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        fit_parameters(first)
        times.append(time.perf_counter() - t0)
    whole = []  # what an automatic fit does with the rows read: items, fit, both scores
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        fit_and_compare(first, DEFAULT_PARAMETERS_LIST)
        whole.append(time.perf_counter() - t0)
    result = fit_and_compare(history, DEFAULT_PARAMETERS_LIST)
    items = [it for _, it in training_items(history)]
    everything = fit_parameters(history)
    before, after = score(items, DEFAULT_PARAMETERS_LIST), score(items, everything)
    assert result.current and result.fitted and before and after
    print(json.dumps({
        "log": args.log.name,
        "answers": len(history),
        "memories": len({h.card_id for h in history}),
        "fit_answers": len(first),
        "fit_training_items": len(training_items(first)),
        "fit_seconds_10k": {"best": min(times), "median": statistics.median(times),
                            "repeats": args.repeats},
        "fit_and_compare_seconds_10k": {"best": min(whole), "median": statistics.median(whole),
                                        "repeats": args.repeats},
        "holdout": {
            "train_items": result.train_items, "holdout_items": result.holdout_items,
            "default": {"log_loss": result.current.log_loss,
                        "rmse_bins": result.current.rmse_bins,
                        "predicted_retention": result.current.predicted_retention},
            "fitted": {"log_loss": result.fitted.log_loss, "rmse_bins": result.fitted.rmse_bins,
                       "predicted_retention": result.fitted.predicted_retention},
            "actual_retention": result.current.actual_retention,
            "switch": result.switch,
        },
        "in_sample": {
            "items": len(items),
            "default": {"log_loss": before.log_loss, "rmse_bins": before.rmse_bins},
            "fitted": {"log_loss": after.log_loss, "rmse_bins": after.rmse_bins},
        },
        "fitted_parameters": [round(p, 4) for p in everything],
    }, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
