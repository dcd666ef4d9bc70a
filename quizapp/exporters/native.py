"""Decks as quizapp deck files (TOML, ``content/README.md``).

The file is made to load back through :func:`quizapp.facts.deckfile.load_deck_file`
with the same facts: every fact keeps its id, kind and values, and facts
from an article keep ``start``/``end``, so a text found twice in the article
still points at the right place. An article is written into the deck as
``text``; when TOML cannot hold it exactly (it never happens with ordinary
text, but e.g. a text starting with a byte-order mark), it goes into a
sibling file ``<deck file stem>.source<N>.txt`` named by ``file``.

Media files (pictures, sounds) are written byte for byte into the folder
``<deck file stem>.media`` beside the deck file, and each fact's ``media``
names them relative to the deck file (``geography.media/flag.png``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quizapp.exporters.common import ExportError, atomic_text, write_atomic
from quizapp.facts.deckfile import FORMAT_VERSION, ID_RE
from quizapp.facts.media import name_problem
from quizapp.facts.model import Deck, Fact, FactKind, Source

# The keys of each kind, in the order they are written.
_KIND_KEYS: dict[FactKind, tuple[str, ...]] = {
    FactKind.DATE: ("value", "stem", "event"),
    FactKind.NUMBER: ("value", "unit", "counts", "qualifier", "stem", "event"),
    FactKind.QUOTE: ("speaker", "role", "reported", "stem"),
    FactKind.PERSON: ("name", "role", "roles", "stem"),
    FactKind.QA: ("front", "back"),
}
_MAX_EXACT_INT = 2**53


def _number(value: float) -> int | float:
    if float(value).is_integer() and abs(value) < _MAX_EXACT_INT:
        return int(value)
    return float(value)


def media_folder(path: Path) -> str:
    """The folder (beside the deck file ``path``) that its media files go to."""
    return f"{path.stem}.media"


def fact_table(fact: Fact, media_folder: str = "") -> dict[str, Any]:
    """The keys of one ``[[facts]]`` table (media named inside ``media_folder``)."""
    out: dict[str, Any] = {"id": fact.id, "kind": fact.kind.value}
    if fact.source_id is not None:
        out["source"] = fact.source_id
    if fact.kind is not FactKind.QA:
        out["text"] = fact.text
        if fact.start is not None and fact.end is not None:
            out["start"], out["end"] = fact.start, fact.end
    for key in _KIND_KEYS[fact.kind]:
        value = getattr(fact, key)
        if key == "value" and fact.kind is FactKind.NUMBER and value is not None:
            value = _number(float(value))
        elif key == "reported":
            value = True if value else None
        elif key == "roles":
            value = list(value) or None
        if value is not None:
            out[key] = value
    if fact.tags:
        out["tags"] = list(fact.tags)
    if fact.media:
        out["media"] = [f"{media_folder}/{name}" if media_folder else name for name in fact.media]
    return out


def _check(deck: Deck, path: Path) -> None:
    problems = []
    have = {m.name for m in deck.media}
    if not ID_RE.match(deck.id):
        problems.append(f"deck id {deck.id!r} is not a valid deck-file id")
    for fact in deck.facts:
        if not ID_RE.match(fact.id):
            problems.append(f"fact id {fact.id!r} is not a valid deck-file id")
        if fact.kind is not FactKind.QA and fact.source_id is None:
            problems.append(f"fact {fact.id!r} has no source")
        for name in fact.media:
            if name_problem(name) is not None:
                problems.append(f"media file {name!r}: {name_problem(name)}")
            elif name not in have:
                problems.append(f"fact {fact.id!r} shows media file {name!r}, which is missing")
    if not deck.facts:
        problems.append("the deck has no facts")
    if problems:
        raise ExportError(f"{path}: cannot write a deck file: " + "; ".join(problems[:5]))


def _string_item(text: str) -> Any:
    import tomlkit

    # Multi-line strings may have their line ends normalised by a reader, so
    # texts with carriage returns are written on one line, escaped.
    return tomlkit.string(text, multiline="\n" in text and "\r" not in text)


def _fits_toml(text: str) -> bool:
    try:
        doc = "x = " + _string_item(text).as_string()
        return bool(tomllib.loads(doc)["x"] == text)
    except (tomllib.TOMLDecodeError, ValueError):
        return False


def deck_document(deck: Deck, path: Path) -> tuple[str, dict[str, str]]:
    """The deck file's text, and the sibling files (name -> text) it refers to."""
    import tomlkit

    _check(deck, path)
    doc = tomlkit.document()
    doc.add("format", FORMAT_VERSION)
    doc.add("id", deck.id)
    doc.add("name", deck.name)
    if deck.description:
        doc.add("description", deck.description)
    if deck.options.number_tolerance is not None:
        doc.add("number_tolerance", deck.options.number_tolerance)
    siblings: dict[str, str] = {}
    expected: dict[str, Any] = {"format": FORMAT_VERSION, "id": deck.id, "name": deck.name}
    if deck.description:
        expected["description"] = deck.description
    if deck.options.number_tolerance is not None:
        expected["number_tolerance"] = deck.options.number_tolerance
    if deck.sources:
        sources = tomlkit.aot()
        expected["sources"] = []
        for src in deck.sources:
            table, plain = _source_table(src, path, siblings)
            sources.append(table)
            expected["sources"].append(plain)
        doc.add(tomlkit.nl())
        doc.add("sources", sources)
    if deck.speakers:
        speakers = tomlkit.aot()
        expected["speakers"] = []
        for sp in deck.speakers:
            plain_sp: dict[str, Any] = {"name": sp.name}
            if sp.aliases:
                plain_sp["aliases"] = list(sp.aliases)
            if sp.speaks_for:
                plain_sp["speaks_for"] = list(sp.speaks_for)
            table_sp = tomlkit.table()
            for key, value in plain_sp.items():
                table_sp.add(key, _string_item(value) if isinstance(value, str) else value)
            speakers.append(table_sp)
            expected["speakers"].append(plain_sp)
        doc.add(tomlkit.nl())
        doc.add("speakers", speakers)
    facts = tomlkit.aot()
    expected["facts"] = []
    folder = media_folder(path)
    for fact in deck.facts:
        plain = fact_table(fact, folder)
        table = tomlkit.table()
        for key, value in plain.items():
            table.add(key, _string_item(value) if isinstance(value, str) else value)
        facts.append(table)
        expected["facts"].append(plain)
    doc.add(tomlkit.nl())
    doc.add("facts", facts)
    text = tomlkit.dumps(doc)
    try:
        ok = tomllib.loads(text) == expected
    except tomllib.TOMLDecodeError:
        ok = False
    if not ok:
        raise ExportError(f"{path}: the deck cannot be written as TOML exactly")
    return text, siblings


def _source_table(src: Source, path: Path, siblings: dict[str, str]) -> tuple[Any, dict[str, Any]]:
    import tomlkit

    plain: dict[str, Any] = {"id": src.id, "title": src.title}
    if _fits_toml(src.text):
        plain["text"] = src.text
    else:
        if src.text.startswith("\ufeff"):
            raise ExportError(f"{path}: source {src.id!r} starts with a byte-order mark")
        name = f"{path.stem}.source{len(siblings) + 1}.txt"  # never a name from the deck
        siblings[name] = src.text
        plain["file"] = name
    for key in ("published", "url", "author", "licence"):
        value = getattr(src, key)
        if value is not None:
            plain[key] = value
    table = tomlkit.table()
    for key, value in plain.items():
        table.add(key, _string_item(value))
    return table, plain


def _bytes_writer(data: bytes) -> Callable[[Path], None]:
    def write(target: Path) -> None:
        target.write_bytes(data)

    return write


def export_toml(deck: Deck, path: Path) -> None:
    """Write ``deck`` as a deck file at ``path`` (and any sibling article files)."""
    text, siblings = deck_document(deck, path)
    for name, body in siblings.items():
        try:
            data = body.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ExportError(f"{path}: source text is not valid Unicode") from exc
        write_atomic(path.parent / name, _bytes_writer(data))
    shown = {name for fact in deck.facts for name in fact.media}
    files = [m for m in deck.media if m.name in shown]
    if files:
        folder = path.parent / media_folder(path)
        folder.mkdir(exist_ok=True)
        for media in files:
            write_atomic(folder / media.name, _bytes_writer(media.data))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ExportError(f"{path}: the deck holds text that is not valid Unicode") from exc
    with atomic_text(path) as fh:
        fh.write(text)
