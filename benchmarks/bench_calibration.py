"""What the Progress screen's calibration chart costs as the review log grows.

For each size N it builds, like ``bench_study.py`` (seeded), one deck of N/2
Q/A facts (N cards for one profile) and a history of ``--days`` simulated days
over a share of the cards, then times on that file, opened as the app opens
it:

- ``profile_stats_ms``: the Progress screen's other figures (for scale);
- ``calibration_ms``: :func:`quizapp.services.calibration.recall_calibration`
  (reading the answers to learned facts, predicting each, binning);
- ``calibration_peak_kib``: the most memory Python allocated during one
  calibration (``tracemalloc``; the rows are read in batches, so it should
  not grow with the log).

Every time is the median of ``--reps`` runs. Prints one JSON object per size
(a list when several sizes are given); progress goes to stderr.

    python benchmarks/bench_calibration.py --sizes 1000 10000 100000
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_study

from quizapp.services.calibration import recall_calibration
from quizapp.services.collection import Collection
from quizapp.storage.stats import profile_stats


def measure(size: int, days: int, share: float, seed: int, reps: int,
            folder: Path) -> dict[str, Any]:
    """Build a history of ``size`` cards and time the calibration on it."""
    path = folder / f"calibration-{size}.sqlite3"
    print(f"N={size}: building", file=sys.stderr)
    built = bench_study.build(path, size, days, share, seed)
    pid = int(built["profile_id"])
    now = bench_study.TODAY + timedelta(hours=1)
    col = Collection.open(f"sqlite:///{path}", first_start=False)
    try:
        stats_s, calib_s = [], []
        for _ in range(reps):
            t = time.perf_counter()
            profile_stats(col, pid, now)
            stats_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            result = recall_calibration(col, pid)
            calib_s.append(time.perf_counter() - t)
        tracemalloc.start()
        recall_calibration(col, pid)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        col.close()
    return {
        "cards": size,
        "reviews": built["reviews_in_log"],
        "calibration_answers": result.answers,
        "calibration_bins": len(result.bins),
        "predicted": round(result.predicted or 0.0, 4),
        "actual": round(result.actual or 0.0, 4),
        "profile_stats_ms": round(statistics.median(stats_s) * 1000, 1),
        "calibration_ms": round(statistics.median(calib_s) * 1000, 1),
        "calibration_peak_kib": round(peak / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the sizes asked for and print their figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--studied-share", type=float, default=0.6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="quizapp-calibration-") as tmp:
        runs = [measure(size, args.days, args.studied_share, args.seed, args.reps, Path(tmp))
                for size in args.sizes]
    print(json.dumps(runs[0] if len(runs) == 1 else runs, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
