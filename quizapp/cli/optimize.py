"""``quizapp optimize [--profile P] [--json] [--dry-run]``: fit a profile's FSRS parameters now.

Registered on ``quizapp``'s parser by :func:`register`. The fit is
:func:`quizapp.services.optimize.optimize_profile`: parameters fitted on the
older answers are adopted only when they predict the newer, held-back answers
better (lower log loss). An unknown profile is one line on standard error and
exit status 2 (``quizapp``'s usual handling of a name that is not found).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

EXIT_OK = 0

__all__ = ["cmd_optimize", "register", "report_lines"]


def report_lines(report: Any, profile_name: str, *, dry_run: bool) -> list[str]:
    """The plain lines ``quizapp optimize`` prints for an
    :class:`~quizapp.scheduling.optimize.OptimizationReport`."""
    r = report.result
    lines = [f"Profile {profile_name}: {report.reviews:,} reviews"]
    if r.fitted is None or r.current is None:
        lines[0] += "."
        lines.append(f"Kept the current parameters: {r.reason}.")
        return lines
    items = r.train_items + r.holdout_items
    lines[0] += (f", {items:,} answers a day or more apart ({r.train_items:,} fitted on, "
                 f"{r.holdout_items:,} held back).")
    lines.append(f"Held-back log loss {r.current.log_loss:.4f} (current) -> "
                 f"{r.fitted.log_loss:.4f} (fitted); RMSE(bins) {r.current.rmse_bins:.4f} -> "
                 f"{r.fitted.rmse_bins:.4f}.")
    if r.current.predicted_retention is not None and r.fitted.predicted_retention is not None:
        lines.append(f"Predicted retention {r.current.predicted_retention:.0%} (current), "
                     f"{r.fitted.predicted_retention:.0%} (fitted); actual "
                     f"{r.current.actual_retention:.0%}.")
    if report.switched:
        lines.append("Switched to the fitted parameters: they predict the held-back answers "
                     "better.")
    elif r.switch and dry_run:
        lines.append("Would switch to the fitted parameters (dry run: nothing was stored).")
    else:
        lines.append("Kept the current parameters: the fitted ones do not predict the "
                     "held-back answers better.")
    return lines


def cmd_optimize(args: argparse.Namespace) -> int:
    """``quizapp optimize``: fit now and say what happened."""
    from quizapp.services.collection import Collection
    from quizapp.services.optimize import optimize_profile

    with Collection.open() as col:
        profile = col.profile(args.profile)
        assert profile.id is not None
        report = optimize_profile(col, profile.id, apply=not args.dry_run)
    if args.json:
        data = {"profile": profile.name, "dry_run": bool(args.dry_run), **report.to_json()}
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for line in report_lines(report, profile.name, dry_run=args.dry_run):
            print(line)
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``optimize`` to ``quizapp``'s subparsers."""
    p = sub.add_parser("optimize", help="fit the profile's FSRS parameters to its answers now")
    p.add_argument("--profile", help="profile name or id (default: the first)")
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.add_argument("--dry-run", action="store_true",
                   help="fit and compare, but keep the current parameters")
    p.set_defaults(func=cmd_optimize)
