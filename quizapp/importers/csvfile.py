"""Delimited text: spreadsheet CSV/TSV, Quizlet exports, Anki's "Notes in Plain Text".

Every row becomes a Q/A fact (front, back, tags).

- **Encoding**: UTF-8 with or without a BOM, or UTF-16 with a BOM (Excel's
  "Unicode text"). Bytes that are not UTF-8 are reported by line and field.
- **Separator**: Anki's ``#separator:`` header when present, else detected
  over the first rows: the candidate (tab, ``;``, ``,``, ``|``) that splits
  the most rows into the same number (at least two) of fields; on a tie the
  earlier candidate wins. Quoted fields may hold separators, quotes (``""``)
  and line breaks. A tab-separated file whose quotes do not parse as CSV
  (Quizlet writes quotes unescaped) is read with quotes taken literally.
- **Anki headers** at the top: ``#separator:``, ``#html:``, ``#tags:``,
  ``#columns:``, ``#deck:``, ``#notetype:``, ``#guid column:``,
  ``#notetype column:``, ``#deck column:``, ``#tags column:``. With
  ``#html:true`` fields are reduced to plain text
  (:mod:`quizapp.importers.htmltext`); Cloze rows give one fact per deletion.
- **Columns**: named by ``#columns:`` or by a header row (Front/Question/Term,
  Back/Answer/Definition, Id, Guid, Tags, Deck, Notetype); other named
  columns are ignored with a notice. Without names the first two columns are
  front and back.
- **Ids**: an Id column's value (letters, digits, ``-``, ``_``, ``.``); an
  Anki guid as :func:`~quizapp.importers.common.anki_fact_id`; else ``qa-``
  and a hash of the normalised front, so re-importing an edited file keeps
  every row whose front did not change. Two rows with the same normalised
  front (and no ids) are an error naming both lines.
- **Deck**: named by ``#deck:``, else by the one top-level deck of a deck
  column, else by the file name; its id is made from that name.

Errors name the file, the physical line where the record starts and the
field: ``cards.csv:12: back: empty``.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.facts.bulk import gc_paused
from quizapp.facts.deckfile import ID_RE, Problem
from quizapp.facts.model import Deck
from quizapp.facts.packed import QAFactPacker
from quizapp.importers.common import (
    MAX_PROBLEMS,
    ImportResult,
    Problems,
    Progress,
    anki_fact_id,
    deck_id_for,
    qa_id_for,
    refuse,
    split_tags,
)
from quizapp.importers.htmltext import (
    MAX_CLOZE_CARDS,
    MediaCount,
    cloze_card,
    cloze_ordinals,
    html_to_text,
)

#: A delimited text file is at most this many bytes, checked before it is read.
MAX_TEXT_BYTES = 100 * 1024 * 1024
#: And holds at most this many rows.
MAX_ROWS = 1_000_000
SAMPLE_CHARS = 64 * 1024
SAMPLE_RECORDS = 50
PROGRESS_EVERY = 5000
CANDIDATE_SEPARATORS = ("\t", ";", ",", "|")

ANKI_SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_HEADER_KEYS = {
    "separator", "html", "tags", "columns", "notetype", "deck", "guid column",
    "notetype column", "deck column", "tags column", "if matches",
}  # fmt: skip
_HEADER_RE = re.compile(r"#([A-Za-z][A-Za-z ]*?)\s*:(.*)")
_LINE_END_RE = re.compile(r"\r\n|\r|\n")
_SURROGATE_RE = re.compile("[\udc80-\udcff]")

# Column names a header row may use, and the role each one plays.
COLUMN_ROLES: dict[str, str] = {
    "front": "front",
    "question": "front",
    "term": "front",
    "back": "back",
    "answer": "back",
    "definition": "back",
    "id": "id",
    "guid": "guid",
    "tags": "tags",
    "tag": "tags",
    "deck": "deck",
    "notetype": "notetype",
    "note type": "notetype",
}


def format_help() -> list[tuple[str, str]]:
    """The spreadsheet format in a user's words: (heading, text) pairs, from the rules above."""
    names: dict[str, list[str]] = {}
    for name, role in COLUMN_ROLES.items():
        names.setdefault(role, []).append(name.title())

    def words(role: str) -> str:
        return ", ".join(names[role])
    return [
        ("Rows", "One card per row: the front (the question) and the back (the answer). "
                 "A cell may hold commas, quotes (written twice: \"\") and line breaks "
                 "if it is quoted."),
        ("Columns", "Without a header row, the first column is the front and the second "
                    "the back. A header row names the columns, in any order and case: "
                    f"front: {words('front')}; back: {words('back')}; "
                    f"id: {words('id')} (keeps a card's progress when its front changes); "
                    f"tags: {words('tags')} (separated by spaces); "
                    f"also {words('guid')}, {words('deck')}, {words('notetype')} "
                    "(Anki's). Other columns are left out, and the import says which."),
        ("Separator", "Comma, semicolon, tab or |, found from the first rows. Anki's "
                      "#separator:, #columns:, #tags:, #deck: and #html: lines at the top "
                      "are read too."),
        ("Encoding", "UTF-8 (with or without a BOM; Excel's \"CSV UTF-8\") or UTF-16 "
                     "with a BOM (Excel's \"Unicode text\"). Save a workbook (.xlsx, .ods) "
                     "as one of these first."),
        ("Bad rows", "A row with an empty front or back, a front used twice, or the wrong "
                     "number of cells is named with its line. Nothing is imported until it "
                     "is fixed, unless you choose to import the good rows and skip the bad "
                     "ones (quizapp import --skip-bad-rows)."),
        ("Limits", f"At most {MAX_TEXT_BYTES // (1024 * 1024)} MB and {MAX_ROWS:,} rows."),
    ]


@dataclass(slots=True)
class _Meta:
    """What Anki-style ``#key:value`` lines at the top of the file said."""

    separator: str | None = None
    html: bool = False
    tags: list[str] = field(default_factory=list)
    columns: str | None = None
    columns_line: int = 0
    notetype: str | None = None
    deck: str | None = None
    special: dict[str, tuple[int, int]] = field(default_factory=dict)  # role -> (col, line)
    lines: int = 0
    offset: int = 0


@dataclass(slots=True)
class _Layout:
    ncols: int
    roles: list[str | None]  # role of each column, None = ignored
    names: list[str]  # column names as written (for notices)

    def index(self, role: str) -> int | None:
        try:
            return self.roles.index(role)
        except ValueError:
            return None


def _encoding(path: Path, file: str) -> tuple[str, int, bool]:
    """The text encoding of the file, its number of lines and whether it decodes cleanly.

    One pass over its bytes. Refuses a file with NUL bytes (a binary file, or
    UTF-16 without a BOM). A file that is not valid UTF-8 is read all the same
    (its bad bytes are reported by line and field): the third value says
    whether any cell can hold one.
    """
    lines = 0
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            fh.seek(0)
            try:
                decoder = codecs.getincrementaldecoder("utf-16")()
                while chunk := fh.read(_CHUNK):
                    lines += decoder.decode(chunk).count("\n")
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                raise refuse(file, 1, "file", f"not valid UTF-16 ({exc.reason})") from exc
            return "utf-16", lines + 1, True
        fh.seek(0)
        utf8: Any = codecs.getincrementaldecoder("utf-8")()
        while chunk := fh.read(_CHUNK):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                line = lines + chunk.count(b"\n", 0, nul) + 1
                raise refuse(
                    file, line, "file",
                    "binary data (NUL bytes): not a text file; save it as CSV (UTF-8)",
                )  # fmt: skip
            lines += chunk.count(b"\n")
            if utf8 is not None and not chunk.isascii():
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = None
        if utf8 is not None:
            try:
                utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = None
    return "utf-8-sig", lines + 1, utf8 is not None


_CHUNK = 1024 * 1024


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    return open(path, encoding=encoding, errors="surrogateescape", newline="")


def _bad_bytes(cell: str) -> str:
    found = _SURROGATE_RE.search(cell)
    byte = ord(found.group()) - 0xDC00 if found else 0
    return f"not valid UTF-8 (byte 0x{byte:02X}); save the file as UTF-8"


def _read_meta(text: str, probs: Problems) -> _Meta:
    meta = _Meta()
    pos, line = 0, 1
    while pos < len(text):
        end_m = _LINE_END_RE.search(text, pos)
        end, nxt = (end_m.start(), end_m.end()) if end_m else (len(text), len(text))
        m = _HEADER_RE.fullmatch(text, pos, end)
        if not m or m.group(1).strip().lower() not in _HEADER_KEYS:
            break
        key, value = m.group(1).strip().lower(), m.group(2).strip()
        if key == "separator":
            sep = ANKI_SEPARATORS.get(value.lower(), value if len(value) == 1 else None)
            if sep is None or sep in '\r\n"':
                probs.line(line, "separator", f"unknown separator {value!r}")
            else:
                meta.separator = sep
        elif key == "html":
            if value.lower() not in ("true", "false"):
                probs.line(line, "html", f"expected true or false, got {value!r}")
            meta.html = value.lower() == "true"
        elif key == "tags":
            meta.tags = split_tags(value)
        elif key == "columns":
            meta.columns, meta.columns_line = value, line
        elif key == "notetype":
            meta.notetype = value
        elif key == "deck":
            meta.deck = value or None
        elif key.endswith(" column"):
            role = key.removesuffix(" column")
            if not value.isdigit() or not 1 <= int(value) <= 1000:
                probs.line(line, key, f"expected a column number, got {value!r}")
            else:
                meta.special[role] = (int(value) - 1, line)
        pos, line = nxt, line + 1
    meta.lines, meta.offset = line - 1, pos
    return meta


def _detect_separator(text: str) -> str | None:
    sample = text[:SAMPLE_CHARS]
    if len(text) > SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    best: tuple[float, str] | None = None
    for sep in CANDIDATE_SEPARATORS:
        if sep not in sample:
            continue
        counts: list[int] = []
        try:
            for row in csv.reader(io.StringIO(sample, newline=""), delimiter=sep):
                if any(cell.strip() for cell in row):
                    counts.append(len(row))
                    if len(counts) >= SAMPLE_RECORDS:
                        break
        except csv.Error:
            continue
        if not counts:
            continue
        mode, freq = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = freq / len(counts)
        if best is None or score > best[0]:
            best = (score, sep)
    return best[1] if best else None


class _RecordError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _records(
    stream: io.TextIOBase, sep: str, first_line: int, literal: bool, errors: list[_RecordError]
) -> Iterator[tuple[int, list[str]]]:
    """Every non-blank record with the physical line it starts on, as the file is read.

    ``literal`` reads quotation marks as ordinary characters (Quizlet). Records
    that do not parse are added to ``errors`` (reading stops after 50 of them).
    """
    if literal:
        reader = csv.reader(stream, delimiter=sep, quoting=csv.QUOTE_NONE, strict=True)
    else:
        reader = csv.reader(stream, delimiter=sep, quoting=csv.QUOTE_MINIMAL, strict=True)
    prev = 0
    while True:
        try:
            for row in reader:  # resumes after a record that raised csv.Error
                if row and (len(row) > 1 or row[0].strip()):
                    yield first_line + prev, row
                prev = reader.line_num
        except csv.Error as exc:
            message = str(exc)
            if "field larger than field limit" in message:
                message = f"a field is longer than {csv.field_size_limit()} characters"
            elif "unexpected end of data" in message:
                message = 'a quoted field is never closed (" without its closing ")'
            errors.append(_RecordError(first_line + prev, message))
            if len(errors) > 50:
                return
            prev = reader.line_num
            continue
        return


def _layout_from_names(names: list[str], meta: _Meta) -> _Layout:
    roles: list[str | None] = [COLUMN_ROLES.get(n.strip().casefold()) for n in names]
    # A role named twice: the first column has it.
    seen: set[str] = set()
    for i, role in enumerate(roles):
        if role in seen:
            roles[i] = None
        elif role:
            seen.add(role)
    for role, (col, _) in meta.special.items():
        if col < len(roles):
            roles = [None if r == role else r for r in roles]
            roles[col] = role
    if "front" not in roles or "back" not in roles:
        # Anki note type fields ("Text", "Extra", "Word"...): the first two
        # columns that play no other part are front and back.
        free = [i for i, r in enumerate(roles) if r is None or r in ("front", "back")]
        roles = [None if r in ("front", "back") else r for r in roles]
        for role, i in zip(("front", "back"), free, strict=False):
            roles[i] = role
    return _Layout(len(names), roles, [n.strip() for n in names])


def _is_header(row: list[str]) -> bool:
    roles = {COLUMN_ROLES.get(cell.strip().casefold()) for cell in row}
    return "front" in roles and "back" in roles


def load_delimited(path: Path, progress: Progress | None = None, *,
                   skip_bad_rows: bool = False) -> ImportResult:
    """Read a CSV/TSV/plain-text deck; raise DeckFileError listing every problem.

    The file is read as a stream (never whole) and its facts are kept packed
    (:mod:`quizapp.facts.packed`), so memory stays near the size of its text.

    ``skip_bad_rows``: a row with a problem (a wrong number of fields, an
    empty front or back, a repeated front or id, bad bytes, broken quoting)
    is left out and listed in :attr:`ImportResult.skipped` instead of
    refusing the file. A problem of the whole file (its encoding, separator,
    headers or columns) still refuses it, and so does a file with no good row.
    """
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise refuse(
                file, 1, "file", f"too large ({size:,} bytes; at most {MAX_TEXT_BYTES:,}): "
                "split it into several files",
            )  # fmt: skip
        encoding, total_lines, clean = _encoding(path, file)
        with _open_text(path, encoding) as fh:
            head = fh.read(SAMPLE_CHARS + 1)
    except OSError as exc:
        raise refuse(file, 1, "file", exc.strerror or str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise refuse(file, 1, "file", f"not valid UTF-16 ({exc.reason})") from exc
    truncated = len(head) > SAMPLE_CHARS
    if not head.strip() and not truncated:
        raise refuse(file, 1, "file", "the file is empty: nothing to import")
    probs = Problems(file)
    meta = _read_meta(head, probs)
    probs.raise_if_any()
    body_head = head[meta.offset :]
    first_line = meta.lines + 1
    if not body_head.strip() and not truncated:
        raise refuse(file, first_line, "file", "no rows to import")
    if truncated and "\n" in body_head:
        body_head = body_head[: body_head.rindex("\n")]  # whole lines only

    sep = meta.separator or _detect_separator(body_head)
    if sep is None:
        raise refuse(
            file,
            first_line,
            "file",
            "no separator found: put the front and the back of each card in two columns "
            "separated by a tab, a comma or a semicolon",
        )

    def read(literal: bool) -> tuple[ImportResult | None, list[_RecordError], set[int]]:
        errors: list[_RecordError] = []
        widths: set[int] = set()
        with _open_text(path, encoding) as fh:
            fh.read(meta.offset)  # the header lines, as read above
            records = _records(fh, sep, first_line, literal, errors)
            rows = Problems(file, None if skip_bad_rows else MAX_PROBLEMS)
            result = _load_body(path, records, meta, sep, first_line, rows,
                                progress, total_lines, errors, widths, skip_bad_rows, clean)
        return result, errors, widths

    try:
        with gc_paused():  # many rows, no reference cycles
            result, errors, _ = read(False)
            if errors and sep == "\t" and meta.lines == 0:
                # Quizlet writes quotes unescaped: read them as written if that parses.
                literal, literal_errors, widths = read(True)
                if literal is not None and not literal_errors and len(widths) == 1:
                    notice = "quotation marks were kept as written (the file does not quote fields)"
                    return ImportResult(literal.deck, (notice, *literal.notices), "csv")
            if errors and skip_bad_rows and result is not None:
                broken = tuple(Problem(file, err.line, "row", str(err)) for err in errors)
                skipped = tuple(sorted((*result.skipped, *broken), key=lambda p: p.line))
                return ImportResult(result.deck, result.notices, "csv", skipped)
            if errors:
                for err in errors:
                    probs.line(err.line, "row", str(err))
                raise probs.error()
    except OSError as exc:
        raise refuse(file, 1, "file", exc.strerror or str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise refuse(file, 1, "file", f"not valid UTF-16 ({exc.reason})") from exc
    assert result is not None
    return result


class _TooManyRowsError(Exception):
    pass


def _load_body(
    path: Path,
    records: Iterator[tuple[int, list[str]]],
    meta: _Meta,
    sep: str,
    first_line: int,
    probs: Problems,
    progress: Progress | None,
    total_lines: int,
    errors: list[_RecordError],
    widths: set[int],
    skip_bad_rows: bool = False,
    clean: bool = False,
) -> ImportResult | None:
    """The deck of the records; None when the records do not parse (``errors``).

    With ``skip_bad_rows`` the rows' problems are returned as skipped rows, unless
    no row is good (or the records do not parse and no row is good).
    """
    file = str(path)
    notices: list[str] = []
    first = next(records, None)
    if first is None:
        if errors:
            return None
        raise refuse(file, first_line, "file", "no rows to import")
    widths.add(len(first[1]))

    # Column layout: #columns, a header row, or position.
    rows: Iterator[tuple[int, list[str]]] = itertools.chain([first], records)
    if meta.columns is not None:
        names = next(csv.reader([meta.columns], delimiter=sep), [])
        layout = _layout_from_names(names, meta)
    elif _is_header(first[1]):
        layout = _layout_from_names(first[1], meta)
        rows = records
    else:
        width = len(first[1])
        layout = _layout_from_names([""] * width, meta)
        layout.names = [f"column {i + 1}" for i in range(width)]
    for role, (col, line) in meta.special.items():
        if col >= layout.ncols:
            probs.line(line, f"{role} column", f"column {col + 1} does not exist")
    probs.raise_if_any()
    if layout.index("front") is None or layout.index("back") is None:
        line = meta.columns_line or first[0]
        raise refuse(
            file,
            line,
            "columns",
            f"{layout.ncols} column(s), none left for the front and the back of the cards",
        )
    ignored = [
        layout.names[i] or f"column {i + 1}" for i, role in enumerate(layout.roles) if role is None
    ]
    if ignored:
        notices.append("columns not imported: " + ", ".join(ignored))

    try:
        deck, more, last = _build(path, layout, rows, meta, probs, progress, total_lines,
                                  widths, clean)
    except _TooManyRowsError:
        raise probs.error() from None
    if errors and not (skip_bad_rows and deck.facts):
        return None
    if last == 0 and not probs:
        raise refuse(file, first_line, "file", "no rows to import (only a header row)")
    notices.extend(more)
    skipped: tuple[Problem, ...] = ()
    if skip_bad_rows and deck.facts:
        skipped, probs.items = tuple(probs.items), []
    probs.raise_if_any()
    if progress:
        progress(total_lines, total_lines)
    return ImportResult(deck, tuple(notices), "csv", skipped)


def _build(
    path: Path,
    layout: _Layout,
    records: Iterator[tuple[int, list[str]]],
    meta: _Meta,
    probs: Problems,
    progress: Progress | None,
    total_lines: int,
    widths: set[int],
    clean: bool,
) -> tuple[Deck, list[str], int]:
    """The deck of the records, notices, and the line of the last record (0: none).

    Adds the number of fields of every record to ``widths``; raises
    _TooManyRowsError after :data:`MAX_ROWS` records. ``clean``: the file
    decoded without a bad byte, so no cell need be searched for one.
    """
    ncols = layout.ncols
    fi, bi = layout.index("front"), layout.index("back")
    assert fi is not None and bi is not None
    ii, gi, ti = layout.index("id"), layout.index("guid"), layout.index("tags")
    di, ni = layout.index("deck"), layout.index("notetype")
    optional = {i for i, r in enumerate(layout.roles) if r not in ("front", "back")}
    pad_short = ni is not None  # Anki pads notes of note types with fewer fields
    html = meta.html
    base_tags = meta.tags
    cloze_all = bool(meta.notetype and "cloze" in meta.notetype.casefold())
    media = MediaCount(labelled=True)  # the text names each file: [image: flag.png]
    # Tags of a row: the tags cell's (the same cells recur, so each is split once).
    no_cell_tags = tuple(dict.fromkeys(base_tags))
    tags_of_cell: dict[str, tuple[str, ...]] = {}
    facts = QAFactPacker()
    first_seen: dict[str, int] = {}
    decks: Counter[str] = Counter()
    line = 0

    add_fact = facts.add
    sha1 = hashlib.sha1
    for count, (line, row) in enumerate(records, start=1):
        n = len(row)
        widths.add(n)
        if count > MAX_ROWS:
            probs.line(line, "file", f"more than {MAX_ROWS:,} rows: split the file "
                       "into several files")
            raise _TooManyRowsError
        if progress and count % PROGRESS_EVERY == 0:
            progress(min(line, total_lines), total_lines)
        if n != ncols:
            if n > ncols and not any(c.strip() for c in row[ncols:]):
                row = row[:ncols]
            elif n < ncols and (pad_short or all(i in optional for i in range(n, ncols))):
                row = row + [""] * (ncols - n)
            else:
                probs.line(line, "row", f"expected {ncols} fields, found {n}")
                continue
        if not clean:
            bad = False
            for i, cell in enumerate(row):
                if not cell.isascii() and _SURROGATE_RE.search(cell):
                    probs.line(line, layout.roles[i] or layout.names[i], _bad_bytes(cell))
                    bad = True
            if bad:
                continue
        front_raw = row[fi].strip()
        back_raw = row[bi].strip()
        if ti is None:
            tags = no_cell_tags
        else:
            tags_cell = row[ti]
            found_tags = tags_of_cell.get(tags_cell)
            if found_tags is None:
                found = split_tags(tags_cell)
                if base_tags:
                    found = list(dict.fromkeys([*base_tags, *found]))
                found_tags = tags_of_cell[tags_cell] = tuple(found)
            tags = found_tags
        if di is not None and row[di].strip():
            decks[row[di].strip().split("::")[0].strip()] += 1
        cloze = cloze_all or (ni is not None and "cloze" in row[ni].casefold())

        explicit: str | None = None
        if ii is not None and row[ii].strip():
            explicit = row[ii].strip()
            if not ID_RE.match(explicit):
                probs.line(line, "id", f"{explicit!r}: use letters, digits, '-', '_' or '.'")
                continue
        elif gi is not None and row[gi].strip():
            explicit = anki_fact_id(row[gi].strip())

        if not front_raw:
            probs.line(line, "front", f"empty (column {fi + 1})")
            continue
        if cloze:
            base = explicit or qa_id_for(front_raw)
            ordinals = cloze_ordinals(front_raw)
            if not ordinals:
                probs.line(line, "front", "a cloze note without {{c1::...}} deletions")
                continue
            if len(ordinals) > MAX_CLOZE_CARDS:
                probs.line(line, "front", f"{len(ordinals)} cloze deletions (at most "
                           f"{MAX_CLOZE_CARDS} in one note)")
                continue
            cards = []
            for ordinal in ordinals:
                f, b = cloze_card(front_raw, ordinal)
                cards.append((f"{base}_c{ordinal}", f, b))
        else:
            if not back_raw:
                probs.line(line, "back", f"empty (column {bi + 1})")
                continue
            if explicit is not None:
                fid = explicit
            elif front_raw.isascii() and "<" not in front_raw and "&" not in front_raw:
                # qa_id_for, inline: an ASCII front without markup normalises so
                key = " ".join(front_raw.casefold().split()).encode()
                fid = "qa-" + sha1(key, usedforsecurity=False).hexdigest()[:16]
            else:
                fid = qa_id_for(front_raw)
            if not html and fid not in first_seen:  # the usual row: stored as it is
                first_seen[fid] = line
                add_fact(fid, front_raw, back_raw, tags)
                continue
            cards = [(fid, front_raw, back_raw)]

        for fid, f, b in cards:
            front = html_to_text(f, media) if html else f
            back = html_to_text(b, media) if html else b.strip()
            if not front:
                probs.line(line, "front", "empty once HTML is removed")
                continue
            if not back:
                probs.line(line, "back", "empty once HTML is removed")
                continue
            seen = first_seen.get(fid)
            if seen is not None:
                if explicit is None:
                    probs.line(
                        line,
                        "front",
                        f"same front as line {seen} ({_short(front_raw)!r}); "
                        "make the fronts differ or add an Id column",
                    )
                else:
                    probs.line(line, "id", f"duplicate id {fid!r} (first used at line {seen})")
                continue
            first_seen[fid] = line
            add_fact(fid, front, back, tags)

    notices: list[str] = []
    if media.images or media.sounds:
        notices.append(_media_notice(media))
    if meta.deck:
        name = meta.deck.strip()
    elif len(decks) == 1:
        name = next(iter(decks))
    else:
        name = path.stem
    if not facts and not probs and line:
        probs.line(line, "file", "no rows to import")
    del first_seen
    deck = Deck(
        id=deck_id_for(name),
        name=name,
        description=f"Imported from {path.name}",
        facts=facts.facts(),
    )
    return deck, notices, line


def _media_notice(media: MediaCount) -> str:
    parts = []
    if media.images:
        parts.append(f"{media.images} image(s)")
    if media.sounds:
        parts.append(f"{media.sounds} sound(s)")
    return (
        " and ".join(parts)
        + " not imported: a text file carries no media files ([image: flag.png] or "
        "[sound: …] marks the place; an Anki package (.apkg) brings them)"
    )


def _short(s: str, limit: int = 40) -> str:
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"
