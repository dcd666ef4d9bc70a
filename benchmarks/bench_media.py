"""How fast an Anki package with pictures imports, and what the pictures cost.

Writes an ``.apkg`` with genanki: ``--notes`` Basic notes (2,000 by default),
each showing its own picture of ``--kib`` KiB (20 by default; seeded random
bytes), then times reading it (:func:`quizapp.importers.detect_and_load`),
storing it in a fresh SQLite file (``Collection.import_deck``) and, where the
media store exists, writing it back out as ``.apkg`` with its media. Prints
JSON: seconds per step, media files and bytes carried, the database's size
and the process's peak RSS twice: once the import is stored
(``peak_rss_import_mib``: reading and storing the package) and at the end
(``peak_rss_mib``, the export included, which holds the deck's media).

    python benchmarks/bench_media.py [--notes 2000] [--kib 20]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from pathlib import Path
from typing import Any


def write_package(folder: Path, notes: int, kib: int, seed: int = 7) -> Path:
    """The package: one picture per note, named in the note's front."""
    import genanki

    rng = random.Random(seed)
    model = genanki.Model(1607392319, "Basic", fields=[{"name": "Front"}, {"name": "Back"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Front}}",
                                      "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}])
    deck = genanki.Deck(2059400110, "Pictures")
    files = []
    for i in range(notes):
        picture = folder / f"picture-{i:05d}.png"
        picture.write_bytes(rng.randbytes(kib * 1024))
        files.append(str(picture))
        deck.add_note(genanki.Note(model=model, guid=f"bench-{i}", fields=[
            f'What does picture {i} show?<br><img src="{picture.name}">', f"Thing {i}"]))
    path = folder / "pictures.apkg"
    genanki.Package(deck, media_files=files).write_to_file(str(path))
    return path


def run(notes: int, kib: int) -> dict[str, Any]:
    from quizapp.importers import detect_and_load
    from quizapp.services.collection import Collection

    out: dict[str, Any] = {"notes": notes, "kib_per_picture": kib}
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-media-") as tmp:
        folder = Path(tmp)
        (folder / "src").mkdir()
        package = write_package(folder / "src", notes, kib)
        out["package_bytes"] = package.stat().st_size
        start = time.perf_counter()
        deck = detect_and_load(package)
        out["load_s"] = round(time.perf_counter() - start, 3)
        media = getattr(deck, "media", ())
        out["media_files"] = len(media)
        db = folder / "quizapp.sqlite3"
        with Collection.open(f"sqlite:///{db}") as col:
            start = time.perf_counter()
            col.import_deck(deck)
            out["store_s"] = round(time.perf_counter() - start, 3)
            out["peak_rss_import_mib"] = _peak_rss_mib()
            try:
                from quizapp.services.media import media_sizes
            except ImportError:  # a quizapp without it
                out["media_bytes"] = sum(len(m.data) for m in media)
            else:
                out["media_bytes"] = sum(media_sizes(col, deck.id).values())
            try:
                from quizapp.exporters import export_deck
                from quizapp.services.media import with_media
            except ImportError:  # a quizapp without the media store
                out["export_s"] = None
            else:
                start = time.perf_counter()
                stored = with_media(col, col.load_deck(deck.id))
                export_deck(stored, folder / "back.apkg")
                out["export_s"] = round(time.perf_counter() - start, 3)
        out["database_bytes"] = db.stat().st_size
    out["peak_rss_mib"] = _peak_rss_mib()
    return out


def _peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--kib", type=int, default=20)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.notes, args.kib), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
