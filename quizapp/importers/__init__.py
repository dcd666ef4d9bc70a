"""Reading decks from files: quizapp deck files, CSV/TSV text and Anki packages.

:func:`detect_and_load` (the deck) and :func:`import_file` (the deck with
notices) choose the importer by the file's extension and content:

| file | importer |
| --- | --- |
| ``.toml`` | the native deck format (:func:`quizapp.facts.deckfile.load_deck_file`) |
| ``.apkg``, ``.colpkg`` | Anki packages (:mod:`quizapp.importers.apkg`) |
| ``.csv``, ``.tsv``, ``.tab``, ``.txt`` | delimited text (:mod:`quizapp.importers.csvfile`) |
| ``.txt`` of prose, ``.md``, ``.html`` | an article (:mod:`quizapp.importers.article`): its |
| | facts are found automatically and need a teacher's review first |
| other names | by content: a zip archive is read as an Anki package, a text that |
| | looks like a deck file (``format = 1`` / ``[[facts]]``) as TOML, other text as CSV |

A text-named file that is really a zip archive is read as an Anki package
(with a notice). Spreadsheet workbooks (``.xlsx``, ``.ods``…) and bare
SQLite collections are refused with a hint.

Every problem raises :class:`~quizapp.facts.deckfile.DeckFileError` whose
``problems`` print as ``FILE:LINE: field: what is wrong`` (text files) or
``FILE: MEMBER: field: what is wrong`` (packages); nothing is written
anywhere, and no other exception escapes for bad input.
"""

from __future__ import annotations

import re
from pathlib import Path

from quizapp.facts.deckfile import DeckFileError, load_deck_file
from quizapp.facts.model import Deck, FactKind
from quizapp.importers.article import (
    ARTICLE_SUFFIXES,
    ArticleReviewNeededError,
    looks_like_article,
)
from quizapp.importers.common import (
    ImportResult,
    Progress,
    RecordProblem,
    anki_fact_id,
    deck_id_for,
    qa_id_for,
    refuse,
)

__all__ = [
    "ARTICLE_SUFFIXES",
    "ArticleReviewNeededError",
    "DeckFileError",
    "ImportResult",
    "Progress",
    "RecordProblem",
    "anki_fact_id",
    "deck_id_for",
    "detect_and_load",
    "detect_format",
    "import_file",
    "looks_like_article",
    "qa_id_for",
    "replacement_warnings",
]

TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".tab", ".txt"})
APKG_SUFFIXES = frozenset({".apkg", ".colpkg"})
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".numbers"})
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_TOML_DECK_RE = re.compile(rb"^\s*(?:format\s*=|\[\[facts\]\])", re.MULTILINE)


def detect_format(path: Path) -> tuple[str, list[str]]:
    """The importer for ``path`` (``toml``, ``csv``, ``apkg`` or ``article``) and notices.

    Raises DeckFileError for files no importer reads.
    """
    file = str(path)
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        raise refuse(
            file, 1, "file", f"a spreadsheet workbook ({suffix}) cannot be imported: "
            "save the sheet as CSV (UTF-8) and import that file",
        )  # fmt: skip
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise refuse(file, 1, "file", exc.strerror or str(exc)) from exc
    if suffix == ".toml":
        return "toml", []
    if suffix in APKG_SUFFIXES:
        return "apkg", []
    is_zip = head.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC))
    if head.startswith(_SQLITE_MAGIC):
        raise refuse(
            file, 1, "file", "an SQLite database, not a deck: to bring in an Anki collection, "
            "export it from Anki as a deck package (.apkg)",
        )  # fmt: skip
    if not is_zip and looks_like_article(path):  # .md/.html, or a .txt of prose
        return "article", []
    if suffix in TEXT_SUFFIXES:
        if is_zip:
            return "apkg", [f"{path.name} is a zip archive: read as an Anki package"]
        return "csv", []
    if is_zip:
        return "apkg", []
    if _TOML_DECK_RE.search(head):
        return "toml", []
    return "csv", []


def import_file(
    path: str | Path,
    progress: Progress | None = None,
    *,
    accept_articles: bool = False,
    include_doubtful: bool = False,
    skip_bad_rows: bool = False,
) -> ImportResult:
    """Read any supported deck file: the deck and the notices for the user.

    ``progress(done, total)`` is called while large files are read and once
    with ``done == total`` at the end. Raises DeckFileError listing every
    problem; nothing is stored by this function. An article is refused with
    :class:`ArticleReviewNeededError` (its facts need a teacher's review)
    unless ``accept_articles`` takes the found facts that are ready and pass the
    checks (``include_doubtful``: the ones marked check too). ``skip_bad_rows``
    leaves a spreadsheet's bad rows out (listed in ``skipped``) instead of
    refusing it; it changes nothing for other formats.
    """
    path = Path(path)
    if not path.exists():
        raise refuse(str(path), 1, "file", "no such file")
    if path.is_dir():
        raise refuse(str(path), 1, "file", "is a folder, not a file")
    kind, notices = detect_format(path)
    if kind == "toml":
        deck = load_deck_file(path)
        if progress:
            progress(1, 1)
        result = ImportResult(deck, (), "toml")
    elif kind == "apkg":
        from quizapp.importers.apkg import load_apkg

        result = load_apkg(path, progress)
    elif kind == "article":
        from quizapp.importers.article import load_article

        result = load_article(
            path, progress, accept_all=accept_articles, include_doubtful=include_doubtful
        )
    else:
        from quizapp.importers.csvfile import load_delimited

        result = load_delimited(path, progress, skip_bad_rows=skip_bad_rows)
    if notices:
        result = ImportResult(result.deck, (*notices, *result.notices), result.format,
                              result.skipped)
    return result


def detect_and_load(path: Path, progress: Progress | None = None) -> Deck:
    """The deck in ``path``, whatever its format (see :func:`import_file`)."""
    return import_file(path, progress).deck


def replacement_warnings(stored: Deck | None, incoming: Deck) -> list[str]:
    """Why importing ``incoming`` over the stored deck with its id may be a mistake.

    Importing a deck updates the stored deck with the same id and retires the
    facts it no longer has. A file that happens to share a deck's id (a CSV
    named like a fact deck, an export of the questions re-imported) would
    retire most of that deck; the command line can ask before it goes on.
    Empty when ``stored`` is None or the import looks like an update.
    """
    if stored is None or not stored.facts:
        return []
    old = {f.id for f in stored.facts}
    new = {f.id for f in incoming.facts}
    kept = len(old & new)
    out = []
    if kept == 0:
        out.append(
            f"deck {stored.id!r} ({stored.name}) exists and shares no fact with this file: "
            f"importing would retire all its {len(old)} facts"
        )
    elif kept < len(old) / 2:
        out.append(
            f"importing would retire {len(old) - kept} of the {len(old)} facts of deck "
            f"{stored.id!r} ({stored.name})"
        )
    stored_kinds = {f.kind for f in stored.facts} - {FactKind.QA}
    if stored_kinds and all(f.kind is FactKind.QA for f in incoming.facts):
        out.append(
            f"deck {stored.id!r} holds article facts; this file holds only question/answer notes"
        )
    return out
