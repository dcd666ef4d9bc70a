"""How fast large decks import: parsing the file, then storing it in a real SQLite file.

Writes a CSV of ``--rows`` Q/A rows (100,000 by default, with quoting, commas
and a few multi-line fields, as spreadsheets write them), imports it with
:func:`quizapp.importers.detect_and_load` and stores it with
``Collection.import_deck`` into a fresh SQLite database (one profile, so two
cards per fact), then imports an edited copy (every tenth row changed, 1% of
rows removed, 1% added) to time an update. With ``--apkg`` the stored deck is
also exported as an Anki package and imported back from it (an update of the
same deck: quizapp's packages keep the fact ids). Prints JSON.

    python benchmarks/bench_import.py [--rows 100000] [--apkg]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from quizapp.importers import detect_and_load
from quizapp.services.collection import Collection

WORDS = (
    "the", "of", "and", "to", "in", "capital", "river", "mountain", "year", "war", "king",
    "city", "country", "language", "president", "treaty", "ocean", "island", "desert",
    "planet", "element", "number", "author", "painter",
)  # fmt: skip


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def write_csv(path: Path, rows: int, seed: int, edit: bool = False) -> None:
    """A spreadsheet-style CSV: header row, quoted fields where needed."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["Question", "Answer", "Tags"])
        for i in range(rows):
            rng = random.Random(seed * 1_000_003 + i)  # row i reads the same in both files
            if edit and i % 100 == 1:
                continue  # removed
            front = f"Question {i}: {_sentence(rng, 8)}?"
            back = _sentence(rng, 4)
            if i % 7 == 0:
                back += ", with a comma"
            if i % 50 == 0:
                back += "\nand a second line"
            if edit and i % 10 == 0:
                back += " (edited)"
            writer.writerow([front, back, f"tag{i % 20} set{i % 3}"])
        if edit:
            rng = random.Random(-seed)
            for j in range(rows // 100):
                writer.writerow([f"New question {j}?", _sentence(rng, 4), "new"])


def _timed_import(col: Collection, path: Path) -> dict[str, Any]:
    calls = 0

    def progress(done: int, total: int) -> None:
        nonlocal calls
        calls += 1

    t0 = time.perf_counter()
    deck = detect_and_load(path, progress)
    t1 = time.perf_counter()
    result = col.import_deck(deck)
    t2 = time.perf_counter()
    n = len(deck.facts)
    return {
        "facts": n,
        "parse_s": round(t1 - t0, 3),
        "parse_rows_per_s": round(n / (t1 - t0)),
        "store_s": round(t2 - t1, 3),
        "store_rows_per_s": round(n / (t2 - t1)),
        "total_s": round(t2 - t0, 3),
        "rows_per_s": round(n / (t2 - t0)),
        "progress_calls": calls,
        "added": result.added,
        "updated": result.updated,
        "retired": result.retired,
        "cards_created": result.cards_created,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--apkg", action="store_true", help="also time an Anki package import")
    args = parser.parse_args()
    out: dict[str, Any] = {"rows": args.rows}
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-") as tmp:
        folder = Path(tmp)
        first, edited = folder / "bench.csv", folder / "bench-edited.csv"
        write_csv(first, args.rows, args.seed)
        write_csv(edited, args.rows, args.seed, edit=True)
        edited = edited.rename(folder / "bench.csv.tmp")
        out["csv_bytes"] = first.stat().st_size
        db = folder / "quizapp.sqlite3"
        with Collection.open(f"sqlite:///{db}") as col:
            out["csv_first_import"] = _timed_import(col, first)
            update = folder / "update" / "bench.csv"  # same file name: the same deck
            update.parent.mkdir()
            edited.rename(update)
            out["csv_reimport_edited"] = _timed_import(col, update)
            if args.apkg:
                from quizapp.exporters import export_deck

                package = folder / "bench.apkg"
                t0 = time.perf_counter()
                export_deck(col.load_deck("bench"), package)
                out["apkg_export_s"] = round(time.perf_counter() - t0, 3)
                out["apkg_bytes"] = package.stat().st_size
                out["apkg_import"] = _timed_import(col, package)
        out["database_bytes"] = db.stat().st_size
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
