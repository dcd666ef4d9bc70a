"""A fit as the app runs it, on a real SQLite collection holding 10,000 real answers.

The first 10,000 answers of the public review log (``tests/data/py_fsrs_review_logs.csv``,
see ``tests/data/README.md``) are stored as a profile's study answers on a deck with
one fact per card of the log; then :func:`quizapp.services.optimize.optimize_profile`
(reading the log from the database, training items, the fit, both parameter sets
scored on the held-back answers) and :func:`quizapp.services.optimize.parameters_status`
(what the Settings dialog reads) are timed. Prints JSON: best and median seconds of
``--repeats`` runs, with what the fit found.

    python benchmarks/bench_fit_profile.py [--answers 10000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_fit import read_review_log  # noqa: E402
from quizapp.facts.model import Deck, Fact, FactKind  # noqa: E402
from quizapp.scheduling import CardState, study_day  # noqa: E402
from quizapp.services.collection import Collection  # noqa: E402
from quizapp.services.optimize import optimize_profile, parameters_status  # noqa: E402
from quizapp.services.profiles import create_profile  # noqa: E402
from quizapp.storage.models import CardRow  # noqa: E402
from quizapp.storage.writer import insert_reviews  # noqa: E402


def _timed(job: object, repeats: int) -> tuple[dict[str, float], object]:
    times = []
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = job()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return {"best": min(times), "median": statistics.median(times)}, result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--log", type=Path, default=ROOT / "tests" / "data" / "py_fsrs_review_logs.csv")
    ap.add_argument("--answers", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    history = read_review_log(args.log)[: args.answers]
    memories = sorted({h.card_id for h in history})
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-fit-") as folder:
        col = Collection.open(f"sqlite:///{Path(folder) / 'fit.sqlite3'}", first_start=False)
        facts = tuple(Fact(id=f"qa-{m}", kind=FactKind.QA, front=f"Card {m}?", back=f"A{m}")
                      for m in memories)
        col.import_deck(Deck(id="log", name="Review log", facts=facts))
        pid = create_profile(col, "Learner", history[0].reviewed_at).id
        with col.session() as s:
            cards = list(s.exec(
                CardRow.__table__.select().where(CardRow.profile_id == pid)  # type: ignore[attr-defined]
                .order_by(CardRow.id)).all())
        # One card per memory of the log (the first card of each fact).
        by_fact: dict[int, int] = {}
        for card in cards:
            by_fact.setdefault(card.fact_id, card.id)
        card_of = dict(zip(memories, [by_fact[f] for f in sorted(by_fact)], strict=False))
        rows = [dict(card_id=card_of[h.card_id], profile_id=pid, reviewed_at=h.reviewed_at,
                     study_day=study_day(h.reviewed_at, 4, "UTC"), kind="study",
                     form="flashcard", correct=h.rating > 1,
                     verdict="right" if h.rating > 1 else "wrong", rating=h.rating,
                     response_ms=h.response_ms, state_before=CardState(),
                     state_after=CardState())
                for h in history]
        with col.transaction() as s:
            insert_reviews(s, rows)
        fit, report = _timed(lambda: optimize_profile(col, pid, apply=False), args.repeats)
        status, _ = _timed(lambda: parameters_status(col, pid), args.repeats)
        col.close()
    data = report.to_json()  # type: ignore[attr-defined]
    print(json.dumps({
        "answers": len(history),
        "memories": len(memories),
        "optimize_profile_seconds": fit,
        "parameters_status_seconds": status,
        "repeats": args.repeats,
        "train_items": data["train_items"], "holdout_items": data["holdout_items"],
        "current_log_loss": data["current_log_loss"], "fitted_log_loss": data["fitted_log_loss"],
        "current_rmse_bins": data["current_rmse_bins"],
        "fitted_rmse_bins": data["fitted_rmse_bins"],
        "would_switch": data["reason"].endswith("(not applied)"),
    }, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
