"""Hostile files for every importer: each written for real, small to store, costly to read.

Every ``write_*`` function writes one file into ``folder`` and returns its
path. They are used by ``tests/test_hostile_imports.py`` (refused at once or
read with a bounded result) and by ``benchmarks/bench_hostile.py`` (seconds
and peak memory per file). Sizes default to the ones that hung or exhausted
memory before the limits existed; tests pass smaller ones where the outcome
is the same.
"""

from __future__ import annotations

import random
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "import"
LEGACY = FIXTURES / "anki_legacy.apkg"


def _legacy_db(folder: Path, name: str) -> Path:
    db = folder / f"{name}.anki21"
    with zipfile.ZipFile(LEGACY) as zf:
        db.write_bytes(zf.read("collection.anki21"))
    return db


def _package(db: Path, path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(db, "collection.anki21")  # streamed: the writer stays small
        zf.writestr("media", b"{}")
    db.unlink()
    return path


def _edit(folder: Path, name: str, *sql: str) -> Path:
    db = _legacy_db(folder, name)
    conn = sqlite3.connect(db)
    conn.executescript(";\n".join(sql))
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    return _package(db, folder / f"{name}.apkg")


_NOTE_COLUMNS = "id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data"


def write_apkg_generated(folder: Path, notes: int = 130, chars: int = 30_000_000) -> Path:
    """A few KB whose note fields are virtual generated columns ``chars`` long each."""
    return _edit(
        folder,
        "generated",
        "ALTER TABLE notes RENAME TO old_notes",
        "CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, "
        "mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, "
        f"flds text GENERATED ALWAYS AS (printf('%.*c', {chars}, 'x') || char(31) || guid) "
        "VIRTUAL, sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, "
        "data text NOT NULL)",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
        f"WHERE i < {notes}) INSERT INTO notes (id, guid, mid, mod, usn, tags, sfld, csum, "
        "flags, data) SELECT i, 'g' || i, (SELECT mid FROM old_notes LIMIT 1), 0, 0, '', '', "
        "0, 0, '' FROM n",
        "DROP TABLE old_notes",
    )


def write_apkg_trigger(folder: Path) -> Path:
    """A collection with a trigger (never run by a reader, refused all the same)."""
    return _edit(
        folder,
        "trigger",
        "CREATE TRIGGER t AFTER INSERT ON notes BEGIN DELETE FROM notes; END",
    )


def write_apkg_view(folder: Path) -> Path:
    """A collection with a view that multiplies the notes."""
    return _edit(
        folder,
        "view",
        "CREATE VIEW storm AS SELECT a.flds FROM notes a, notes b, notes c, notes d",
    )


def write_apkg_huge_field(folder: Path, chars: int = 3_000_000) -> Path:
    """One note whose front is ``chars`` characters of plain stored text."""
    return _edit(
        folder,
        "hugefield",
        f"UPDATE notes SET flds = printf('%.*c', {chars}, 'q') || char(31) || 'back' "
        "WHERE guid = 'geo-peru'",
    )


def write_apkg_huge_total(folder: Path, notes: int = 2_000, chars: int = 200_000) -> Path:
    """Many notes, each under the field limit, whose text adds up past the total limit.

    The text is seeded pseudo-random hex, so that the package does not compress
    beyond the ratio limit (which would refuse it for another reason).
    """
    db = _legacy_db(folder, "hugetotal")
    rng = random.Random(18)
    conn = sqlite3.connect(db)
    (mid,) = conn.execute("SELECT mid FROM notes WHERE guid = 'geo-peru'").fetchone()
    conn.executemany(
        f"INSERT INTO notes ({_NOTE_COLUMNS}) VALUES (?, ?, ?, 0, 0, '', ?, '', 0, 0, '')",
        (
            (10_000 + i, f"big{i}", mid, rng.randbytes(chars // 2).hex() + "\x1fback")
            for i in range(notes)
        ),
    )
    conn.commit()
    conn.close()
    return _package(db, folder / "hugetotal.apkg")


def write_toml_blank_lines(folder: Path, size: int = 3_000_000) -> Path:
    """A deck file of ``size`` bytes of blank lines."""
    path = folder / "blank.toml"
    path.write_bytes(b"\n" * size)
    return path


def write_toml_many_errors(folder: Path, facts: int = 200_000) -> Path:
    """A deck file whose every fact lacks its required fields."""
    path = folder / "errors.toml"
    with path.open("w", encoding="utf-8") as fh:
        fh.write('format = 1\nid = "errors"\nname = "Errors"\n\n')
        for i in range(facts):
            fh.write(f'[[facts]]\nid = "f{i}"\nkind = "qa"\n\n')
    return path


def write_html_unclosed(folder: Path, size: int = 450_000) -> Path:
    """An HTML article of tags that are never closed."""
    path = folder / "unclosed.html"
    unit = "<div><p><span><b>Word "
    path.write_text(unit * (size // len(unit)), encoding="utf-8")
    return path


def write_md_emphasis(folder: Path, size: int = 300_000) -> Path:
    """A Markdown article of one line of unmatched emphasis marks."""
    path = folder / "emphasis.md"
    unit = "*a _b **c __d "
    path.write_text("# Storm\n\n" + unit * (size // len(unit)) + "\n", encoding="utf-8")
    return path


def write_md_links(folder: Path, size: int = 300_000) -> Path:
    """A Markdown article of one line of unclosed links and images."""
    path = folder / "links.md"
    unit = "[a](b ![c]("
    path.write_text("# Storm\n\n" + unit * (size // len(unit)) + "\n", encoding="utf-8")
    return path


SENTENCE = (
    "On 12 March 2021 the Springfield council approved 4.5 million dollars, said Mayor Jane Smith. "
)


def write_repeated_article(folder: Path, repeats: int = 2_000) -> Path:
    """A plain-text article of one factual sentence said ``repeats`` times."""
    path = folder / "repeated.txt"
    path.write_text("Springfield budget\n\n" + SENTENCE * repeats + "\n", encoding="utf-8")
    return path


def write_csv_rows(folder: Path, rows: int, name: str = "rows.csv", width: int = 0) -> Path:
    """A two-column CSV with a header row; ``width`` pads each back to that many characters."""
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Front,Back\n")
        pad = "x" * max(0, width)
        chunk: list[str] = []
        for i in range(rows):
            chunk.append(f"Question {i}?,Answer {i} {pad}\n")
            if len(chunk) >= 10_000:
                fh.write("".join(chunk))
                chunk.clear()
        fh.write("".join(chunk))
    return path


def write_over_size(folder: Path, name: str, limit: int) -> Path:
    """A file one byte over ``limit`` (sparse: costs no disk space)."""
    path = folder / name
    with path.open("wb") as fh:
        fh.truncate(limit + 1)
    return path


#: name -> writer with default (full hostile) sizes, for the benchmark.
HOSTILE: dict[str, Callable[[Path], Path]] = {
    "apkg-generated-columns": write_apkg_generated,
    "apkg-trigger": write_apkg_trigger,
    "apkg-view": write_apkg_view,
    "apkg-huge-field": write_apkg_huge_field,
    "apkg-huge-total": write_apkg_huge_total,
    "toml-blank-lines": write_toml_blank_lines,
    "toml-200k-errors": write_toml_many_errors,
    "html-unclosed-tags": write_html_unclosed,
    "md-emphasis-storm": write_md_emphasis,
    "md-link-storm": write_md_links,
    "article-repeated-sentence": write_repeated_article,
}
