"""Reading deck files (TOML, documented in ``content/README.md``) with validation.

Every problem is reported as ``FILE:LINE: field: what is wrong``. Python's
The file is parsed with Python's ``tomllib`` (time linear in the file's size;
syntax errors name their line), and a small scanner maps each table and key
to its line for the validation messages. A file is at most
:data:`MAX_DECK_BYTES`; at most :data:`MAX_SHOWN_PROBLEMS` problems are
listed, then a count of the others.
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.facts.model import (
    DATE_VALUE_RE,
    Deck,
    DeckOptions,
    Fact,
    FactKind,
    MediaFile,
    Source,
    Speaker,
)
from quizapp.facts.speakers import speaker_key
from quizapp.facts.text import sentence_bounds

FORMAT_VERSION = 1
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
PUBLISHED_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
MAX_DECK_BYTES = 64 * 1024 * 1024
#: Problems listed one by one in an error; the others are counted in one last line.
MAX_SHOWN_PROBLEMS = 50
_TOML_AT_RE = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class DeckFileError(Exception):
    """A deck file that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        if len(problems) > MAX_SHOWN_PROBLEMS + 1:
            more = len(problems) - MAX_SHOWN_PROBLEMS
            problems = problems[:MAX_SHOWN_PROBLEMS]
            last = problems[-1]
            problems.append(
                dataclasses.replace(last, field="file", message=f"… and {more} more problems")
            )
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# --------------------------------------------------------------------------
# Where keys stand in the file


@dataclass(slots=True)
class _Table:
    line: int
    keys: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Layout:
    top: dict[str, int] = field(default_factory=dict)
    arrays: dict[str, list[_Table]] = field(default_factory=dict)
    tables: dict[str, _Table] = field(default_factory=dict)


_KEY_RE = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_\-]+)\s*=\s*(.*)$""")
_AOT_RE = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_\-.\"' ]+?)\s*\]\]")
_TABLE_RE = re.compile(r"^\s*\[\s*([A-Za-z0-9_\-.\"' ]+?)\s*\]")


def _scan_layout(text: str) -> _Layout:
    """Map top-level keys, tables and arrays of tables to their 1-based lines."""
    layout = _Layout()
    current: dict[str, int] = layout.top
    in_multiline: str | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if in_multiline is not None:
            if _closes_multiline(line, in_multiline):
                in_multiline = None
            continue
        if m := _AOT_RE.match(line):
            table = _Table(lineno)
            layout.arrays.setdefault(m.group(1).strip(), []).append(table)
            current = table.keys
            continue
        if m := _TABLE_RE.match(line):
            table = _Table(lineno)
            layout.tables[m.group(1).strip()] = table
            current = table.keys
            continue
        if m := _KEY_RE.match(line):
            key = m.group(1).strip("\"'")
            current.setdefault(key, lineno)
            rest = m.group(2)
            for delim in ('"""', "'''"):
                if rest.startswith(delim) and not _closes_multiline(rest[3:], delim):
                    in_multiline = delim
                    break
    return layout


def _closes_multiline(fragment: str, delim: str) -> bool:
    if delim == "'''":
        return "'''" in fragment
    i = 0
    while i < len(fragment):
        if fragment[i] == "\\":
            i += 2
            continue
        if fragment.startswith('"""', i):
            return True
        i += 1
    return False


# --------------------------------------------------------------------------
# Validation

_COMMON_FACT_KEYS = {
    "id", "kind", "source", "text", "start", "end", "occurrence", "tags", "media",
}  # fmt: skip
_KIND_KEYS: dict[FactKind, set[str]] = {
    FactKind.DATE: {"value", "stem", "event"},
    FactKind.NUMBER: {"value", "unit", "counts", "qualifier", "stem", "event"},
    FactKind.QUOTE: {"speaker", "role", "reported", "stem"},
    FactKind.PERSON: {"name", "role", "roles", "stem"},
    FactKind.QA: {"front", "back"},
}
_REQUIRED: dict[FactKind, tuple[str, ...]] = {
    FactKind.DATE: ("value", "stem"),
    FactKind.NUMBER: ("value", "counts", "stem"),
    FactKind.QUOTE: ("speaker",),
    FactKind.PERSON: ("name", "role"),
    FactKind.QA: ("front", "back"),
}
_TOP_KEYS = {
    "format", "id", "name", "description", "number_tolerance", "sources", "facts", "speakers",
}  # fmt: skip
_SPEAKER_KEYS = {"name", "aliases", "speaks_for"}
_SOURCE_KEYS = {"id", "title", "file", "text", "published", "url", "author", "licence"}
_STRING_KEYS = {
    "id", "kind", "source", "text", "stem", "event", "unit", "counts", "qualifier",
    "speaker", "role", "name", "front", "back", "title", "file", "published", "url",
    "author", "licence", "description",
}  # fmt: skip


class _Checker:
    def __init__(self, path: Path, layout: _Layout) -> None:
        self.path = path
        self.file = str(path)
        self.layout = layout
        self.problems: list[Problem] = []
        self.known_media: Collection[str] | None = None
        self.media: dict[str, MediaFile] = {}  # name -> file read for this deck
        self.media_paths: dict[str, tuple[str, int]] = {}  # name -> (entry, line) first seen
        self.media_bytes = 0

    def add(self, line: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, field_name, message))


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "table"
    return type(value).__name__


def _check_type(chk: _Checker, line: int, name: str, value: object) -> bool:
    """True if ``value`` has the type the format wants for key ``name``."""
    want: str
    ok: bool
    if name in _STRING_KEYS or name == "speakers.name":
        want, ok = "string", isinstance(value, str)
    elif name in {"start", "end", "occurrence", "format"}:
        want, ok = "integer", isinstance(value, int) and not isinstance(value, bool)
    elif name == "reported":
        want, ok = "boolean", isinstance(value, bool)
    elif name in {"roles", "tags", "media", "speakers.aliases", "speakers.speaks_for"}:
        want = "array of strings"
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    elif name == "number_tolerance":
        want = "number"
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    else:
        return True
    if not ok:
        chk.add(line, name, f"expected {want}, got {_type_name(value)}")
    return ok


def load_deck_file(path: str | Path) -> Deck:
    """Read and validate a deck file; raise :class:`DeckFileError` listing every problem."""
    path = Path(path)
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_DECK_BYTES:
            raise DeckFileError([Problem(file, 1, "file", f"too large ({size} bytes)")])
        raw = path.read_bytes()
    except OSError as exc:
        raise DeckFileError([Problem(file, 1, "file", exc.strerror or str(exc))]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DeckFileError([Problem(file, line, "file", "not valid UTF-8")]) from exc
    return parse_deck_text(text, path)


def parse_deck_text(text: str, path: Path, *, known_media: Collection[str] | None = None
                    ) -> Deck:
    """Validate deck-file text (``path`` names it and anchors relative source files).

    A fact's ``media`` names files relative to the deck file's folder, read
    with their checks. With ``known_media`` (the names of a stored deck's
    files: an edit checked before it is stored) each entry must be one of
    those names instead, and no file is read.
    """
    file = str(path)
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_AT_RE.search(message)
        if found and found.group(1):
            line = int(found.group(1))
        else:  # "(at end of document)"
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
        message = _TOML_AT_RE.sub("", message).strip() or "not valid TOML"
        raise DeckFileError([Problem(file, max(line, 1), "toml", message)]) from exc
    except RecursionError as exc:  # arrays nested thousands deep
        raise DeckFileError([Problem(file, 1, "toml", "nested too deeply")]) from exc
    chk = _Checker(path, _scan_layout(text))
    chk.known_media = known_media
    deck = _build_deck(chk, data)
    if chk.problems or deck is None:
        raise DeckFileError(sorted(chk.problems, key=lambda p: p.line))
    return deck


def _build_deck(chk: _Checker, data: dict[str, Any]) -> Deck | None:
    top = chk.layout.top

    def line_of(key: str) -> int:
        return top.get(key, 1)

    for key, value in data.items():
        if key not in _TOP_KEYS:
            chk.add(line_of(key), key, "unknown field")
        elif key not in {"sources", "facts", "speakers"}:
            _check_type(chk, line_of(key), key, value)
    for key in ("format", "id", "name"):
        if key not in data:
            chk.add(1, key, "missing (required)")
    if data.get("format") not in (None, FORMAT_VERSION) and isinstance(data.get("format"), int):
        chk.add(line_of("format"), "format", f"unsupported version {data['format']}")
    deck_id = data.get("id")
    if isinstance(deck_id, str) and not ID_RE.match(deck_id):
        chk.add(line_of("id"), "id", "use letters, digits, '-', '_' or '.'")
    tolerance = data.get("number_tolerance")
    if (
        isinstance(tolerance, int | float)
        and not isinstance(tolerance, bool)
        and (not (0 <= tolerance < 1) or math.isnan(tolerance))
    ):
        chk.add(line_of("number_tolerance"), "number_tolerance", "must be between 0 and 1")

    sources = _build_sources(chk, data.get("sources", []))
    raw_facts = data.get("facts")
    if raw_facts is None:
        chk.add(1, "facts", "missing: a deck needs at least one [[facts]] table")
        raw_facts = []
    elif not isinstance(raw_facts, list) or not all(isinstance(f, dict) for f in raw_facts):
        chk.add(line_of("facts"), "facts", "must be an array of tables ([[facts]])")
        raw_facts = []
    elif not raw_facts:
        chk.add(line_of("facts"), "facts", "the deck has no facts")
    tables = chk.layout.arrays.get("facts", [])
    facts: list[Fact] = []
    first_line: dict[str, int] = {}
    for i, raw in enumerate(raw_facts):
        table = tables[i] if i < len(tables) else _Table(1)
        fact = _build_fact(chk, raw, table, sources)
        if fact is None:
            continue
        if fact.id in first_line:
            chk.add(
                table.keys.get("id", table.line),
                "id",
                f"duplicate id {fact.id!r} (first used at line {first_line[fact.id]})",
            )
            continue
        first_line[fact.id] = table.keys.get("id", table.line)
        facts.append(fact)
    speakers = _build_speakers(chk, data.get("speakers", []), facts)
    if chk.problems or not isinstance(deck_id, str) or not isinstance(data.get("name"), str):
        return None
    description = data.get("description", "")
    return Deck(
        id=deck_id,
        name=str(data["name"]),
        description=description if isinstance(description, str) else "",
        sources=tuple(sources.values()),
        facts=tuple(facts),
        options=DeckOptions(number_tolerance=float(tolerance) if tolerance is not None else None),
        speakers=speakers,
        media=tuple(chk.media[name] for name in sorted(chk.media)),
    )


def _media_names(chk: _Checker, raw: list[str], line: int) -> tuple[str, ...]:
    """The media names of one fact; reads each new file next to the deck file, with checks.

    An entry is a path relative to the deck file's folder (``flag.png``,
    ``pictures/flag.png``) that stays inside that folder, symbolic links
    included; the file's name is its media name, unique within the deck.
    """
    from quizapp.facts.media import (
        MAX_MEDIA_FILE,
        media_file,
        name_problem,
        size_problem,
        total_problem,
    )

    names: list[str] = []
    for entry in raw:
        if chk.known_media is not None:
            if entry not in chk.known_media:
                chk.add(line, "media", f"{entry!r} is no media file of this deck")
            elif entry not in names:
                names.append(entry)
            continue
        parts = re.split(r"[\\/]", entry)
        name = parts[-1]
        if entry.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", entry):
            chk.add(line, "media", f"{entry!r} is an absolute path: name files relative to "
                    "the deck file's folder")
            continue
        if ".." in parts:
            chk.add(line, "media", f"{entry!r} leaves the deck file's folder")
            continue
        problem = name_problem(name)
        if problem is not None:
            chk.add(line, "media", problem)
            continue
        if name in chk.media_paths:
            first, first_line = chk.media_paths[name]
            if first != entry:
                chk.add(line, "media", f"{entry!r} has the name of {first!r} (line {first_line}): "
                        "media names are unique within a deck")
            elif name not in names:
                names.append(name)
            continue
        chk.media_paths[name] = (entry, line)
        folder = chk.path.parent.resolve()
        target = (chk.path.parent / "/".join(parts)).resolve()
        if not target.is_relative_to(folder):
            chk.add(line, "media", f"{entry!r} leads outside the deck file's folder")
            continue
        try:
            if not target.is_file():
                chk.add(line, "media", f"{entry!r}: no such file next to the deck file")
                continue
            with open(target, "rb") as fh:
                data = fh.read(MAX_MEDIA_FILE + 1)
        except OSError as exc:
            chk.add(line, "media", f"cannot read {entry!r}: {exc.strerror or exc}")
            continue
        problem = size_problem(len(data) if len(data) <= MAX_MEDIA_FILE else target.stat().st_size)
        if problem is not None:
            chk.add(line, "media", f"{entry!r}: {problem}")
            continue
        chk.media_bytes += len(data)
        problem = total_problem(chk.media_bytes)
        if problem is not None:
            chk.add(line, "media", problem)
            continue
        chk.media[name] = media_file(name, data)
        if name not in names:
            names.append(name)
    return tuple(names)


def _build_speakers(chk: _Checker, raw_speakers: object, facts: list[Fact]) -> tuple[Speaker, ...]:
    """The ``[[speakers]]`` tables: names, aliases and whom each speaks for.

    A name or alias belongs to one table only; ``speaks_for`` names a speaker of
    the deck (a table's name or alias, a quote's speaker or a person's name),
    never the speaker itself, and the relation has no circles.
    """
    if not isinstance(raw_speakers, list) or not all(isinstance(s, dict) for s in raw_speakers):
        chk.add(chk.layout.top.get("speakers", 1), "speakers", "must be an array of tables")
        return ()
    tables = chk.layout.arrays.get("speakers", [])
    known = {
        speaker_key(name)
        for f in facts
        if (name := (f.speaker if f.kind is FactKind.QUOTE else f.name)) and name.strip()
    }
    owner: dict[str, int] = {}  # folded name or alias -> line of its table
    entries: list[tuple[Speaker, _Table]] = []
    for i, raw in enumerate(raw_speakers):
        table = tables[i] if i < len(tables) else _Table(1)

        def line_of(key: str, table: _Table = table) -> int:
            return table.keys.get(key, table.line)

        ok = True
        for key, value in raw.items():
            if key not in _SPEAKER_KEYS:
                chk.add(line_of(key), f"speakers.{key}", "unknown field")
                ok = False
            elif not _check_type(chk, line_of(key), f"speakers.{key}", value):
                ok = False
        if "name" not in raw:
            chk.add(table.line, "speakers.name", "missing (required)")
            ok = False
        if not ok:
            continue
        name = raw["name"]
        aliases = tuple(raw.get("aliases", ()))
        for key, value in (("name", name), *(("aliases", a) for a in aliases)):
            if not value.strip():
                chk.add(line_of(key), f"speakers.{key}", "must not be empty")
                ok = False
                continue
            folded = speaker_key(value)
            if folded in owner:
                chk.add(
                    line_of(key),
                    f"speakers.{key}",
                    f"{value!r} already names the speaker at line {owner[folded]}",
                )
                ok = False
            else:
                owner[folded] = table.line
        if ok:
            entries.append((Speaker(name, aliases, tuple(raw.get("speaks_for", ()))), table))
    known |= set(owner)
    entity = {
        speaker_key(a): speaker_key(sp.name) for sp, _ in entries for a in (sp.name, *sp.aliases)
    }
    edges: dict[str, set[str]] = {}
    for sp, table in entries:
        line = table.keys.get("speaks_for", table.line)
        me = speaker_key(sp.name)
        for target in sp.speaks_for:
            folded = speaker_key(target)
            if folded not in known:
                chk.add(line, "speakers.speaks_for", f"{target!r} is no speaker of this deck")
            elif entity.get(folded, folded) == me:
                chk.add(line, "speakers.speaks_for", f"{sp.name!r} cannot speak for itself")
            else:
                edges.setdefault(me, set()).add(entity.get(folded, folded))
    for sp, table in entries:
        me = speaker_key(sp.name)
        seen: set[str] = set()
        todo = list(edges.get(me, ()))
        while todo:
            cur = todo.pop()
            if cur == me:
                chk.add(
                    table.keys.get("speaks_for", table.line),
                    "speakers.speaks_for",
                    f"{sp.name!r} speaks for a speaker that speaks for it",
                )
                break
            if cur not in seen:
                seen.add(cur)
                todo.extend(edges.get(cur, ()))
    return tuple(sp for sp, _ in entries)


def _build_sources(chk: _Checker, raw_sources: object) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    if not isinstance(raw_sources, list) or not all(isinstance(s, dict) for s in raw_sources):
        chk.add(chk.layout.top.get("sources", 1), "sources", "must be an array of tables")
        return sources
    tables = chk.layout.arrays.get("sources", [])
    for i, raw in enumerate(raw_sources):
        table = tables[i] if i < len(tables) else _Table(1)

        def line_of(key: str, table: _Table = table) -> int:
            return table.keys.get(key, table.line)

        ok = True
        for key, value in raw.items():
            if key not in _SOURCE_KEYS:
                chk.add(line_of(key), f"sources.{key}", "unknown field")
                ok = False
            elif not _check_type(chk, line_of(key), f"sources.{key}", value):
                ok = False
        for key in ("id", "title"):
            if key not in raw:
                chk.add(table.line, f"sources.{key}", "missing (required)")
                ok = False
        published = raw.get("published")
        if isinstance(published, str) and not PUBLISHED_RE.match(published):
            chk.add(line_of("published"), "sources.published", "use YYYY, YYYY-MM or YYYY-MM-DD")
            ok = False
        body: str | None = None
        if "file" in raw and "text" in raw:
            chk.add(line_of("text"), "sources.text", "give either file or text, not both")
            ok = False
        elif isinstance(raw.get("file"), str):
            src_path = (chk.path.parent / raw["file"]).resolve()
            try:
                body = src_path.read_bytes().decode("utf-8-sig")
            except OSError as exc:
                chk.add(
                    line_of("file"),
                    "sources.file",
                    f"cannot read {raw['file']!r}: {exc.strerror or exc}",
                )
                ok = False
            except UnicodeDecodeError:
                chk.add(line_of("file"), "sources.file", f"{raw['file']!r} is not UTF-8 text")
                ok = False
        elif isinstance(raw.get("text"), str):
            body = raw["text"]
        elif "file" not in raw and "text" not in raw:
            chk.add(table.line, "sources.file", "missing: give the article as file or text")
            ok = False
        if not ok or body is None:
            continue
        sid = raw["id"]
        if sid in sources:
            chk.add(line_of("id"), "sources.id", f"duplicate source id {sid!r}")
            continue
        sources[sid] = Source(
            id=sid,
            title=raw["title"],
            text=body,
            published=raw.get("published"),
            file=raw.get("file"),
            url=raw.get("url"),
            author=raw.get("author"),
            licence=raw.get("licence"),
        )
    return sources


def _build_fact(
    chk: _Checker, raw: dict[str, Any], table: _Table, sources: dict[str, Source]
) -> Fact | None:
    def line_of(key: str) -> int:
        return table.keys.get(key, table.line)

    before = len(chk.problems)
    kind_raw = raw.get("kind")
    fid = raw.get("id")
    if "id" not in raw:
        chk.add(table.line, "id", "missing (required)")
    elif isinstance(fid, str) and not ID_RE.match(fid):
        chk.add(line_of("id"), "id", "use letters, digits, '-', '_' or '.'")
    kind: FactKind | None = None
    if kind_raw is None:
        chk.add(table.line, "kind", "missing (required)")
    elif not isinstance(kind_raw, str) or kind_raw not in {k.value for k in FactKind}:
        chk.add(
            line_of("kind"),
            "kind",
            f"unknown kind {kind_raw!r} (use date, number, quote, person or qa)",
        )
    else:
        kind = FactKind(kind_raw)
    allowed = _COMMON_FACT_KEYS | (_KIND_KEYS[kind] if kind else set().union(*_KIND_KEYS.values()))
    for key, item in raw.items():
        if key not in allowed:
            chk.add(
                line_of(key),
                key,
                f"unknown field for a {kind.value} fact" if kind else "unknown field",
            )
        else:
            _check_type(chk, line_of(key), key, item)
    if kind is None:
        return None
    for key in _REQUIRED[kind]:
        if key not in raw:
            chk.add(table.line, key, f"missing (required for a {kind.value} fact)")
    if len(chk.problems) > before:
        return None
    if kind is FactKind.DATE and "value" in raw:
        given = raw["value"]
        if not isinstance(given, str) or not DATE_VALUE_RE.match(given) or not _valid_date(given):
            chk.add(
                line_of("value"), "value", "expected a date as YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD"
            )
    if kind is FactKind.NUMBER and "value" in raw:
        given = raw["value"]
        if isinstance(given, bool) or not isinstance(given, int | float):
            chk.add(line_of("value"), "value", f"expected a number, got {_type_name(given)}")
        elif not math.isfinite(given):
            chk.add(line_of("value"), "value", "must be a finite number")
    for key in ("stem", "speaker", "name", "front", "back", "counts", "text"):
        if isinstance(raw.get(key), str) and not raw[key].strip():
            chk.add(line_of(key), key, "must not be empty")

    source: Source | None = None
    start = end = None
    text = raw.get("text", "")
    if kind is not FactKind.QA:
        sid = raw.get("source")
        if sid is None:
            chk.add(table.line, "source", f"missing (a {kind.value} fact needs its source)")
        elif sid not in sources:
            chk.add(line_of("source"), "source", f"no source with id {sid!r} in this deck")
        else:
            source = sources[sid]
        if "text" not in raw:
            chk.add(table.line, "text", "missing (the fact's words as in the article)")
        if source is not None and isinstance(text, str) and text:
            start, end = _locate(chk, raw, table, source, text)
    elif "source" in raw and raw["source"] not in sources:
        chk.add(line_of("source"), "source", f"no source with id {raw['source']!r} in this deck")
    if len(chk.problems) > before:
        return None

    sentence = sentence_start = None
    if source is not None and start is not None and end is not None:
        s, e = sentence_bounds(source.text, start, end)
        sentence, sentence_start = source.text[s:e], s
    value: str | float | None = None
    if kind is FactKind.DATE:
        value = raw["value"]
    elif kind is FactKind.NUMBER:
        value = float(raw["value"])
    return Fact(
        id=raw["id"],
        kind=kind,
        source_id=source.id if source else raw.get("source"),
        text=text if isinstance(text, str) else "",
        start=start,
        end=end,
        sentence=sentence,
        sentence_start=sentence_start,
        stem=raw.get("stem"),
        event=raw.get("event"),
        value=value,
        unit=raw.get("unit"),
        counts=raw.get("counts"),
        qualifier=raw.get("qualifier"),
        speaker=raw.get("speaker"),
        role=raw.get("role"),
        reported=bool(raw.get("reported", False)),
        name=raw.get("name"),
        roles=tuple(raw.get("roles", ())),
        front=raw.get("front"),
        back=raw.get("back"),
        tags=tuple(raw.get("tags", ())),
        media=_media_names(chk, raw.get("media", []), line_of("media")) if "media" in raw else (),
    )


def _valid_date(value: str) -> bool:
    import datetime as dt

    if value.startswith("--"):
        month, day = int(value[2:4]), int(value[5:7])
        try:
            dt.date(2000, month, day)  # a leap year admits --02-29
        except ValueError:
            return False
        return True
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _locate(
    chk: _Checker, raw: dict[str, Any], table: _Table, source: Source, text: str
) -> tuple[int | None, int | None]:
    def line_of(key: str) -> int:
        return table.keys.get(key, table.line)

    article = source.text
    has_start, has_end = "start" in raw, "end" in raw
    if has_start != has_end:
        missing = "end" if has_start else "start"
        chk.add(
            line_of("start" if has_start else "end"), missing, "give both start and end, or neither"
        )
        return None, None
    if has_start:
        start, end = raw["start"], raw["end"]
        if not (0 <= start < end <= len(article)):
            chk.add(
                line_of("start"),
                "start",
                f"span {start}..{end} is outside the article (length {len(article)})",
            )
            return None, None
        found = article[start:end]
        if found != text:
            chk.add(
                line_of("start"),
                "start",
                f"span {start}..{end} holds {_short(found)!r}, not the fact's text "
                f"{_short(text)!r}",
            )
            return None, None
        return start, end
    positions = list(_find_all(article, text))
    if not positions:
        chk.add(line_of("text"), "text", f"{_short(text)!r} does not occur in source {source.id!r}")
        return None, None
    occurrence = raw.get("occurrence")
    if occurrence is None:
        if len(positions) > 1:
            chk.add(
                line_of("text"),
                "text",
                f"{_short(text)!r} occurs {len(positions)} times; "
                "give start and end, or occurrence = N",
            )
            return None, None
        return positions[0], positions[0] + len(text)
    if not 1 <= occurrence <= len(positions):
        chk.add(
            line_of("occurrence"),
            "occurrence",
            f"the text occurs {len(positions)} time(s), not {occurrence}",
        )
        return None, None
    pos = positions[occurrence - 1]
    return pos, pos + len(text)


def _find_all(haystack: str, needle: str) -> Iterator[int]:
    i = haystack.find(needle)
    while i >= 0:
        yield i
        i = haystack.find(needle, i + 1)


def _short(s: str, limit: int = 40) -> str:
    return s if len(s) <= limit else s[: limit - 1] + "…"
