"""How long a large import holds SQLite's write lock at a time: at once, or in steps.

Stores a Q/A deck of ``--rows`` facts (one profile: two cards a fact) into a
fresh SQLite file, first in one transaction (the write lock is held for all
of it), then in steps (:mod:`quizapp.storage.staged`: the longest step and the
final transaction), then re-imports an edited copy (every tenth back changed,
every hundredth row removed, 1% added, so that most facts move) in steps. An answer
waits for the longest hold. Prints JSON (seconds).

    python benchmarks/bench_import_lock.py [--rows 60000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.services.collection import Collection
from quizapp.services.profiles import create_profile
from quizapp.storage import staged

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def qa_deck(n: int, edit: bool = False) -> Deck:
    facts = tuple(
        Fact(id=f"q{i}", kind=FactKind.QA, front=f"What is item {i}?",
             back=f"answer {i}" + (" (edited)" if edit and i % 10 == 0 else ""), tags=("t",))
        for i in range(n)
        if not (edit and i % 100 == 1)
    )
    if edit:  # and 1% new rows
        facts += tuple(Fact(id=f"new{i}", kind=FactKind.QA, front=f"New {i}?", back="yes")
                       for i in range(n // 100))
    return Deck(id="big", name="Big", facts=facts)


def _in_steps(col: Collection, deck: Deck) -> dict[str, Any]:
    stamps: list[float] = []
    steps: list[float] = []

    def step(done: int, total: int) -> None:
        stamps.append(time.perf_counter())

    # The pause between steps is not lock time: time each step from the end of the pause.
    original_sleep = time.sleep

    def sleep(seconds: float) -> None:
        original_sleep(seconds)
        stamps.append(time.perf_counter())

    staged.time.sleep = sleep
    try:
        t0 = time.perf_counter()
        result = staged.import_deck(col.engine, deck, T0, step=step)
        total = time.perf_counter() - t0
    finally:
        staged.time.sleep = original_sleep
    # stamps: step end, pause end, step end, pause end, ..., final end
    for start, end in zip(stamps[1::2], stamps[2::2], strict=False):
        steps.append(end - start)
    final = steps.pop() if steps else total
    return {
        "total_s": round(total, 3),
        "steps": len(steps) + 1,
        "longest_step_s": round(max(steps, default=0.0), 3),
        "final_transaction_s": round(final, 3),
        "added": result.added,
        "updated": result.updated,
        "retired": result.retired,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000)
    args = parser.parse_args()
    out: dict[str, Any] = {"rows": args.rows}
    with tempfile.TemporaryDirectory(prefix="quizapp-lock-") as tmp:
        with Collection.open(f"sqlite:///{Path(tmp) / 'once.sqlite3'}", first_start=False) as col:
            create_profile(col, "P", T0)
            t0 = time.perf_counter()
            staged.import_deck(col.engine, qa_deck(args.rows), T0, min_facts=10**12)
            out["one_transaction_s"] = round(time.perf_counter() - t0, 3)
        with Collection.open(f"sqlite:///{Path(tmp) / 'steps.sqlite3'}", first_start=False) as col:
            create_profile(col, "P", T0)
            out["in_steps_new_deck"] = _in_steps(col, qa_deck(args.rows))
            out["in_steps_edited_copy"] = _in_steps(col, qa_deck(args.rows, edit=True))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
