"""How fast large decks import: parsing the file, then storing it in a real SQLite file.

Writes a CSV of ``--rows`` Q/A rows (100,000 by default, with quoting, commas
and a few multi-line fields, as spreadsheets write them), imports it with
:func:`quizapp.importers.detect_and_load` and stores it with
``Collection.import_deck`` into a fresh SQLite database (one profile, so one
card per fact), then imports an edited copy (every tenth row changed, 1% of
rows removed, 1% added) to time an update. With ``--apkg`` the stored deck is
also exported as an Anki package and imported back from it (an update of the
same deck: quizapp's packages keep the fact ids). Prints JSON.

With ``--vs-anki PYTHON`` it compares instead: for each of ``--sizes`` it
writes ``--repeats`` tab-separated files with Anki's headers (the files of
``side_by_side.py``'s ``import`` figure) and imports each into a fresh
collection with quizapp and with Anki (the ``anki`` package of PYTHON), each
side in its own long-lived process, the two in turn and who goes first
alternating. It prints rows per second (file read and stored, the database
already created) for both, and the ratio quizapp ÷ Anki per pair: median and
range.

    python benchmarks/bench_import.py [--rows 100000] [--apkg]
    python benchmarks/bench_import.py --vs-anki /path/to/anki/python \
        [--sizes 1000 10000 100000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.services.collection import Collection

HERE = Path(__file__).resolve().parent

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
    from quizapp.importers import detect_and_load

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


def _quizapp_import(work: Path, path: Path) -> tuple[float, int, int]:
    """Seconds to read and store ``path`` into a fresh database; facts and cards stored."""
    from quizapp.importers import detect_and_load
    from quizapp.services.collection import Collection

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    # The first start (schema, seed deck) happens before the timing, as in the app.
    with Collection.open(f"sqlite:///{work / 'quizapp.sqlite3'}") as col:
        t0 = time.perf_counter()
        deck = detect_and_load(path, lambda done, total: None)
        result = col.import_deck(deck)
        took = time.perf_counter() - t0
    shutil.rmtree(work)
    return took, len(deck.facts), result.cards_created


def _anki_import(work: Path, path: Path) -> tuple[float, int, int]:
    """Seconds Anki takes to read and store ``path`` (get_csv_metadata + import_csv)."""
    from anki.collection import Collection, ImportCsvRequest  # type: ignore[import-not-found]

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    col = Collection(str(work / "import.anki2"))
    before = col.card_count()
    t0 = time.perf_counter()
    metadata = col.get_csv_metadata(str(path), None)
    result = col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata))
    took = time.perf_counter() - t0
    cards = col.card_count() - before
    col.close()
    shutil.rmtree(work)
    return took, len(result.log.new), cards


def worker(side: str) -> None:
    """Import each file named on standard input (one a line); one JSON reply a line."""
    work = Path(tempfile.mkdtemp(prefix=f"bench-import-{side}-"))
    run = _anki_import if side == "anki" else _quizapp_import
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        took, rows, cards = run(work / "db", Path(line.strip()))
        print(json.dumps({"s": took, "rows": rows, "cards": cards}), flush=True)
    shutil.rmtree(work, ignore_errors=True)


def versus_anki(args: argparse.Namespace) -> None:
    """Both sides import the same files in turn; print rows per second and ratios."""
    from side_by_side import write_import_file

    here = str(Path(__file__).resolve())
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (os.environ.get("PYTHONPATH", ""), str(HERE.parent)) if p))
    sides = {
        "quizapp": subprocess.Popen([sys.executable, here, "--worker", "quizapp"], env=env,
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True),
        "anki": subprocess.Popen([args.vs_anki, here, "--worker", "anki"], env=env,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True),
    }

    def ask(side: str, path: Path, rows: int) -> float:
        proc = sides[side]
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(f"{path}\n")
        proc.stdin.flush()
        reply = json.loads(proc.stdout.readline())
        if reply["rows"] != rows:
            raise SystemExit(f"{side} imported {reply['rows']} rows of {rows}")
        cards[side] = reply["cards"] / rows
        return float(rows / reply["s"])

    out: dict[str, Any] = {}
    cards: dict[str, float] = {}
    try:
        for proc in sides.values():
            assert proc.stdout is not None
            json.loads(proc.stdout.readline())  # ready
        with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
            for size in args.sizes:
                rates: dict[str, list[float]] = {"quizapp": [], "anki": []}
                for r in range(args.repeats):
                    path = Path(tmp) / f"import-{size}-{r}.tsv"
                    write_import_file(path, size, args.seed + 100 + r)
                    order = ("quizapp", "anki") if r % 2 == 0 else ("anki", "quizapp")
                    for side in order:
                        rates[side].append(ask(side, path, size))
                    path.unlink()
                ratios = [q / a for q, a in zip(rates["quizapp"], rates["anki"], strict=True)]
                out[str(size)] = {
                    "quizapp_rows_per_s": round(statistics.median(rates["quizapp"])),
                    "anki_rows_per_s": round(statistics.median(rates["anki"])),
                    "ratio": round(statistics.median(ratios), 2),
                    "ratio_min": round(min(ratios), 2),
                    "ratio_max": round(max(ratios), 2),
                    "cards_per_row": dict(cards),
                }
                print(f"N={size}: quizapp {out[str(size)]['quizapp_rows_per_s']:,} rows/s, "
                      f"Anki {out[str(size)]['anki_rows_per_s']:,} rows/s, quizapp ÷ Anki "
                      f"{out[str(size)]['ratio']} ({out[str(size)]['ratio_min']}–"
                      f"{out[str(size)]['ratio_max']})", file=sys.stderr, flush=True)
    finally:
        for proc in sides.values():
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait()
    print(json.dumps({"repeats": args.repeats, "sizes": out}, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--apkg", action="store_true", help="also time an Anki package import")
    parser.add_argument("--vs-anki", metavar="PYTHON",
                        help="compare with Anki: a Python that has the anki package")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--worker", choices=("quizapp", "anki"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    if args.vs_anki:
        if str(HERE) not in sys.path:
            sys.path.insert(0, str(HERE))
        versus_anki(args)
        return
    from quizapp.services.collection import Collection

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
