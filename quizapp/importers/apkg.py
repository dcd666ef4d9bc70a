"""Anki packages (``.apkg``, and ``.colpkg`` collection backups).

A package is a zip archive holding the collection as SQLite:

- legacy packages: ``collection.anki2`` (Anki 2.0) or ``collection.anki21``
  (2.1, schema 11) with note types in the ``col.models`` JSON, and a JSON
  media map ``{"0": "flag.png"}``;
- current packages (Anki 2.1.50+): ``collection.anki21b``, the SQLite file
  compressed with zstd (schema 18: note types in the ``notetypes`` and
  ``fields`` tables, the kind in a protobuf blob), a ``meta`` member
  (protobuf ``PackageMetadata``: 1 = anki2, 2 = anki21, 3 = anki21b) naming
  the member to read, and a zstd-compressed protobuf media map. Such
  packages carry a ``collection.anki2`` stub that only says "please update".

Notes become Q/A facts: for normal note types the first field is the front
and the second the back; a Cloze note gives one fact per deletion number,
its front the text with that deletion blanked (``[…]`` or ``[hint]``) and the
others shown, its back the hidden words. Fields are reduced to plain text
(:mod:`quizapp.importers.htmltext`). Fact ids come from the note guid
(:func:`~quizapp.importers.common.anki_fact_id`), so re-importing an updated
package keeps progress. Image occlusion notes are skipped with a notice.

Media: the pictures and sounds the imported notes refer to (``<img
src="flag.png">``, ``[sound:hello.mp3]``) come with the deck (``Deck.media``;
stored in the database's media store) and each fact names its files in
``media``; its text keeps the alternative ``[image: …]`` or ``[sound: …]``.
Files no imported note refers to are not read. Each file read is checked as
every member is: its name from the media map is a plain file name
(:func:`quizapp.facts.media.name_problem`), its member is read by number and
never written to disk, at most :data:`~quizapp.facts.media.MAX_MEDIA_FILE`
bytes each (zstd included) and :data:`~quizapp.facts.media.MAX_MEDIA_TOTAL`
in all; a file a note names that the package lacks leaves the fact's text
alternative only (a notice says so). Reading the package checks what its
directory tells (names, sizes); the bytes are read one file at a time while
the deck is stored (:class:`PackageMedia`), so an import holds one media
file in memory, not the package's, and a bad file found then refuses the
whole import inside its transaction.

Safety: the package is untrusted. Before anything is decompressed the zip's
end record and central directory are checked against :data:`MAX_MEMBERS`,
:data:`MAX_TOTAL_UNCOMPRESSED` and :data:`MAX_RATIO`; nothing is extracted
by member name (the one member read is streamed into a file of our own name
in a private temporary folder, counting bytes against
:data:`MAX_COLLECTION_BYTES`, zstd included); the SQLite file is opened
read-only and immutable, with untrusted schema features off, and only plain
tables are read. Reading is bounded too: the package is at most
:data:`MAX_PACKAGE_BYTES`; a collection with views, triggers, virtual tables
or generated columns is refused before any row is read (a generated column
computes its value at every read: a few kilobytes could stand for gigabytes
of text); SQLite itself refuses any value over :data:`MAX_SQL_VALUE` and
stops after a budget of steps that grows with the file's size; each guid,
tags or fields value is at most :data:`MAX_NOTE_VALUE` bytes and the text
taken from all notes at most :data:`MAX_TOTAL_TEXT` characters. Every problem is reported as
``FILE: MEMBER[: notes row N]: field: what is wrong``.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
import sqlite3
import struct
import tempfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote

from quizapp.facts.deckfile import ID_RE
from quizapp.facts.media import (
    MAX_MEDIA_FILE,
    MAX_MEDIA_TOTAL,
    media_file,
    name_problem,
    size_problem,
)
from quizapp.facts.model import Deck, MediaFile, MediaStream
from quizapp.facts.packed import QAFactPacker
from quizapp.importers.common import (
    ImportResult,
    Problems,
    Progress,
    anki_fact_id,
    deck_id_for,
    refuse_record,
)
from quizapp.importers.htmltext import (
    MAX_CLOZE_CARDS,
    MediaCount,
    cloze_card,
    cloze_ordinals,
    html_to_text,
)

#: At most this many members in the archive (media files included).
MAX_MEMBERS = 50_000
#: At most this many bytes in the central directory.
MAX_DIRECTORY_BYTES = 32 * 1024 * 1024
#: At most this many bytes when every member is uncompressed (as declared).
MAX_TOTAL_UNCOMPRESSED = 8 * 1024**3
#: At most this many bytes in the collection once uncompressed (zip and zstd).
MAX_COLLECTION_BYTES = 1024**3
#: Small members (``meta``, the media map) we read whole.
MAX_SMALL_MEMBER = 64 * 1024 * 1024
#: Highest uncompressed/compressed ratio for a member above RATIO_FLOOR bytes.
MAX_RATIO = 200
RATIO_FLOOR = 8 * 1024 * 1024
#: At most this many notes.
MAX_NOTES = 2_000_000
#: A package file is at most this many bytes (media included), checked before it is opened.
MAX_PACKAGE_BYTES = 2 * 1024**3
#: Any one text or blob in the collection is at most this many bytes (SQLite's own limit).
MAX_SQL_VALUE = MAX_SMALL_MEMBER
#: A note's guid, tags and fields are each at most this many bytes.
MAX_NOTE_VALUE = 1024 * 1024
#: The fronts and backs taken from one package add up to at most this many characters.
MAX_TOTAL_TEXT = 128_000_000
#: SQLite steps allowed to read a collection: a base plus this many per byte of its file.
SQL_STEPS_BASE = 200_000_000
SQL_STEPS_PER_BYTE = 200

COLLECTION_MEMBERS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_META_VERSIONS = {1: "collection.anki2", 2: "collection.anki21", 3: "collection.anki21b"}
_STOCK_IMAGE_OCCLUSION = 6
PROGRESS_EVERY = 1000
ZIP = "zip"


@dataclass(slots=True)
class _NoteType:
    name: str
    cloze: bool = False
    occlusion: bool = False
    fields: list[str] = field(default_factory=list)

    @property
    def quizapp_deck(self) -> str | None:
        """The quizapp deck id of a note type that quizapp's Q/A export wrote."""
        m = _QUIZAPP_NOTETYPE_RE.match(self.name)
        return m.group(1) if m and "Card" in self.fields else None

    @property
    def card_field(self) -> int | None:
        """Where quizapp's exports keep the card id (``Card``), if this note type has it."""
        if self.name.startswith("quizapp") and "Card" in self.fields:
            return self.fields.index("Card")
        return None


# quizapp's .apkg export names its note types "quizapp (<deck id>)" for Q/A
# decks and "quizapp questions (<deck id>)" for questions of fact decks.
_QUIZAPP_NOTETYPE_RE = re.compile(r"^quizapp \(([A-Za-z0-9][A-Za-z0-9_.\-]*)\)$")


@dataclass(slots=True)
class _Skipped:
    occlusion: int = 0
    no_cloze: int = 0
    many_clozes: int = 0
    one_field: int = 0
    empty: int = 0


# --------------------------------------------------------------------------
# The zip container


def _directory_size(fh: IO[bytes], size: int) -> tuple[int, int] | None:
    """(entries, central directory bytes) from the end record, or None if absent."""
    tail_len = min(size, 22 + 0xFFFF)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    i = tail.rfind(b"PK\x05\x06")
    if i < 0 or len(tail) - i < 22:
        return None
    _, _, _, _, entries, cd_size, _, _ = struct.unpack("<4s4H2LH", tail[i : i + 22])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        # Zip64: the locator just before the end record points at the real one.
        loc = i - 20
        if loc < 0 or tail[loc : loc + 4] != b"PK\x06\x07":
            return None
        (offset,) = struct.unpack("<Q", tail[loc + 8 : loc + 16])
        if offset + 56 > size:
            return None
        fh.seek(offset)
        rec = fh.read(56)
        if len(rec) < 56 or rec[:4] != b"PK\x06\x06":
            return None
        entries, cd_size = struct.unpack("<QQ", rec[32:48])
    return entries, cd_size


def _open_zip(path: Path, fh: IO[bytes], file: str) -> zipfile.ZipFile:
    size = path.stat().st_size
    if size == 0:
        raise refuse_record(file, ZIP, "file", "the file is empty: nothing to import")
    head = fh.read(4)
    if head[:2] != b"PK":
        raise refuse_record(
            file, ZIP, "file", "not an Anki package: an .apkg file is a zip archive, this is not"
        )
    found = _directory_size(fh, size)
    if found is None:
        raise refuse_record(
            file, ZIP, "file", "damaged zip archive: its end record is missing (truncated file?)"
        )
    entries, cd_size = found
    if entries > MAX_MEMBERS:
        raise refuse_record(
            file, ZIP, "members", f"{entries} members (at most {MAX_MEMBERS} are accepted)"
        )
    if cd_size > MAX_DIRECTORY_BYTES:
        raise refuse_record(file, ZIP, "directory", f"central directory of {cd_size} bytes")
    fh.seek(0)
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, struct.error, UnicodeDecodeError) as exc:  # fmt: skip
        raise refuse_record(file, ZIP, "file", f"damaged zip archive ({exc})") from exc
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise refuse_record(
            file, ZIP, "members", f"{len(infos)} members (at most {MAX_MEMBERS} are accepted)"
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise refuse_record(
            file,
            ZIP,
            "size",
            f"{total} bytes uncompressed (at most {MAX_TOTAL_UNCOMPRESSED} are accepted)",
        )
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise refuse_record(
                file,
                info.filename,
                "size",
                f"compressed {info.file_size // max(info.compress_size, 1)}:1 "
                f"(at most {MAX_RATIO}:1 is accepted): not a real collection",
            )
    return zf


def _member(zf: zipfile.ZipFile, name: str, file: str) -> zipfile.ZipInfo | None:
    if len(zf.NameToInfo) == len(zf.filelist):  # no name twice: look it up by name
        found = zf.NameToInfo.get(name)
        matches = [found] if found is not None else []
    else:
        matches = [i for i in zf.infolist() if i.filename == name]
    if len(matches) > 1:
        raise refuse_record(file, name, "member", "appears more than once in the archive")
    if not matches:
        return None
    info = matches[0]
    if info.flag_bits & 0x1:
        raise refuse_record(file, name, "member", "encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise refuse_record(file, name, "member", f"unsupported compression {info.compress_type}")
    if info.is_dir():
        raise refuse_record(file, name, "member", "is a folder")
    return info


def _read_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo, file: str) -> bytes:
    if info.file_size > MAX_SMALL_MEMBER:
        raise refuse_record(file, info.filename, "size", f"{info.file_size} bytes: too large")
    try:
        with zf.open(info) as src:
            data = src.read(MAX_SMALL_MEMBER + 1)
    except _ZIP_READ_ERRORS as exc:
        raise refuse_record(file, info.filename, "data", f"cannot be read ({exc})") from exc
    if len(data) > MAX_SMALL_MEMBER:
        raise refuse_record(file, info.filename, "size", "too large")
    return data


_ZIP_READ_ERRORS = (
    zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError,
    struct.error, RuntimeError,
)  # fmt: skip


def _zstd_errors() -> tuple[type[BaseException], ...]:
    try:
        import zstandard
    except ImportError:
        return ()
    return (zstandard.ZstdError,)


def _zstd_reader(src: IO[bytes], file: str, member: str) -> IO[bytes]:
    try:
        import zstandard
    except ImportError as exc:
        raise refuse_record(
            file,
            member,
            "format",
            "this package is compressed with zstd: install the 'zstandard' package to read it",
        ) from exc
    dctx = zstandard.ZstdDecompressor(max_window_size=1 << 27)
    return dctx.stream_reader(src, read_across_frames=True)


def _unzstd(data: bytes, file: str, member: str, limit: int = MAX_SMALL_MEMBER) -> bytes:
    import io

    reader = _zstd_reader(io.BytesIO(data), file, member)
    errors: tuple[type[BaseException], ...] = (*_zstd_errors(), ValueError, OSError)
    try:
        out = reader.read(limit + 1)
    except errors as exc:
        raise refuse_record(file, member, "data", f"not valid zstd data ({exc})") from exc
    if len(out) > limit:
        raise refuse_record(file, member, "size", "too large once decompressed")
    return out


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, file: str, zstd: bool) -> None:
    """Stream one member into ``dest`` (our own name), counting every byte."""
    name = info.filename
    if info.file_size > MAX_COLLECTION_BYTES and not zstd:
        raise refuse_record(
            file, name, "size", f"{info.file_size} bytes (at most {MAX_COLLECTION_BYTES})"
        )
    written = 0
    errors: tuple[type[BaseException], ...] = (*_ZIP_READ_ERRORS, *_zstd_errors())
    try:
        with zf.open(info) as src, open(dest, "wb") as out:
            stream: IO[bytes] = _zstd_reader(src, file, name) if zstd else src
            while True:
                chunk = stream.read(1 << 20)
                if not chunk:
                    break
                written += len(chunk)
                if written > MAX_COLLECTION_BYTES:
                    raise refuse_record(
                        file,
                        name,
                        "size",
                        f"more than {MAX_COLLECTION_BYTES} bytes once decompressed",
                    )
                if zstd and written > RATIO_FLOOR and written > MAX_RATIO * max(info.file_size, 1):
                    raise refuse_record(
                        file, name, "size", f"zstd ratio above {MAX_RATIO}:1: not a real collection"
                    )
                out.write(chunk)
    except errors as exc:
        if isinstance(exc, OSError) and not isinstance(exc, zipfile.BadZipFile) and exc.errno:
            raise refuse_record(file, name, "data", f"cannot be read ({exc.strerror})") from exc
        raise refuse_record(file, name, "data", f"damaged ({exc})") from exc
    if written == 0:
        raise refuse_record(file, name, "data", "the member is empty")


# --------------------------------------------------------------------------
# Protobuf, just enough for note type kinds, package versions and media maps


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError("truncated varint")
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def _pb_fields(data: bytes) -> Iterator[tuple[int, int | bytes]]:
    """(field number, value) of every field of one message; ValueError if malformed."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 1:
            value, pos = data[pos : pos + 8], pos + 8
        elif wire == 2:
            length, pos = _varint(data, pos)
            value, pos = data[pos : pos + length], pos + length
        elif wire == 5:
            value, pos = data[pos : pos + 4], pos + 4
        else:
            raise ValueError(f"wire type {wire}")
        if pos > len(data):
            raise ValueError("truncated field")
        yield number, value


def _pb_int(data: bytes, number: int, default: int = 0) -> int:
    for n, value in _pb_fields(data):
        if n == number and isinstance(value, int):
            return value
    return default


# --------------------------------------------------------------------------
# The collection


class _Reader:
    """Reads notes, note types and decks from one collection file."""

    def __init__(self, conn: sqlite3.Connection, file: str, member: str) -> None:
        self.conn = conn
        self.file = file
        self.member = member
        self.probs = Problems(file)

    def fail(self, where: str, field_name: str, message: str) -> Exception:
        return refuse_record(self.file, f"{self.member}: {where}", field_name, message)

    def query(self, sql: str, where: str) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql).fetchall()
        except _SQL_ERRORS as exc:
            raise self.fail(where, "sqlite", _sqlite_message(exc)) from exc

    def text(self, value: object, where: str, field_name: str) -> str | None:
        if isinstance(value, str):
            if not value.isascii() and _SURROGATE_RE.search(value):
                self.probs.record(f"{self.member}: {where}", field_name, "text is not UTF-8")
                return None
            return value
        self.probs.record(
            f"{self.member}: {where}", field_name, f"expected text, got {_sql_type(value)}"
        )
        return None

    def tables(self) -> dict[str, str]:
        rows = self.query("SELECT type, name FROM sqlite_master", "sqlite_master")
        out: dict[str, str] = {}
        for kind, name in rows:
            out[str(name)] = str(kind)
        return out

    def json_column(self, column: str) -> Any:
        rows = self.query(f"SELECT {column} FROM col LIMIT 1", "col")
        if not rows:
            raise self.fail("col", column, "the col table is empty")
        raw = self.text(rows[0][0], "col", column)
        self.probs.raise_if_any()
        try:
            return json.loads(raw or "")
        except (ValueError, RecursionError) as exc:
            raise self.fail("col", column, f"not valid JSON ({exc})") from exc

    def note_types_legacy(self) -> dict[int, _NoteType]:
        models = self.json_column("models")
        if not isinstance(models, dict):
            raise self.fail("col", "models", "expected a JSON object of note types")
        out: dict[int, _NoteType] = {}
        for key, model in models.items():
            where = f"col: models[{key}]"
            try:
                mid = int(key)
            except ValueError:
                raise self.fail("col", "models", f"note type key {key!r} is not a number") from None
            if not isinstance(model, dict) or not isinstance(model.get("flds"), list):
                raise self.fail(where, "flds", "a note type needs a list of fields")
            names = []
            for fld in model["flds"]:
                if not isinstance(fld, dict) or not isinstance(fld.get("name"), str):
                    raise self.fail(where, "flds", "a field needs a name")
                names.append(fld["name"])
            name = model.get("name")
            out[mid] = _NoteType(
                name=name if isinstance(name, str) else str(mid),
                cloze=model.get("type") == 1,
                occlusion=model.get("originalStockKind") == _STOCK_IMAGE_OCCLUSION,
                fields=names,
            )
        return out

    def note_types_current(self) -> dict[int, _NoteType]:
        out: dict[int, _NoteType] = {}
        for ntid, raw_name, config in self.query(
            "SELECT id, name, config FROM notetypes", "notetypes"
        ):
            where = f"notetypes id {ntid}"
            if not isinstance(ntid, int):
                raise self.fail(where, "id", f"expected an integer, got {_sql_type(ntid)}")
            name = self.text(raw_name, where, "name") or str(ntid)
            if not isinstance(config, bytes):
                config = b""
            try:
                cloze = _pb_int(config, 1) == 1
                occlusion = _pb_int(config, 9) == _STOCK_IMAGE_OCCLUSION
            except ValueError as exc:
                raise self.fail(where, "config", f"damaged note type settings ({exc})") from exc
            out[ntid] = _NoteType(name, cloze, occlusion)
        for ntid, _ord, raw_name in self.query(
            "SELECT ntid, ord, name FROM fields ORDER BY ntid, ord", "fields"
        ):
            nt = out.get(ntid) if isinstance(ntid, int) else None
            if nt is not None:
                nt.fields.append(self.text(raw_name, f"fields ntid {ntid}", "name") or "")
        return out

    def deck_names(self, current: bool) -> dict[int, str]:
        out: dict[int, str] = {}
        if current:
            for did, raw in self.query("SELECT id, name FROM decks", "decks"):
                name = self.text(raw, f"decks id {did}", "name")
                if isinstance(did, int) and name is not None:
                    out[did] = name.replace("\x1f", "::")
            return out
        decks = self.json_column("decks")
        if isinstance(decks, dict):
            for key, deck in decks.items():
                if isinstance(deck, dict) and isinstance(deck.get("name"), str):
                    try:
                        out[int(key)] = deck["name"]
                    except ValueError:
                        continue
        return out

    def note_decks(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for nid, did in self.query("SELECT nid, did FROM cards ORDER BY ord, id", "cards"):
            if isinstance(nid, int) and isinstance(did, int):
                out.setdefault(nid, did)
        return out


_SQL_ERRORS = (sqlite3.Error, ValueError)  # ValueError: undecodable names and messages
_SURROGATE_RE = re.compile("[\udc80-\udcff]")


def _text_factory(raw: bytes) -> str:
    """SQLite text as str; bytes that are not UTF-8 stay visible as surrogates."""
    return raw.decode("utf-8", "surrogateescape")


def _sql_type(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        return "a blob"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a real"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _sqlite_message(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "damaged SQLite database (names that are not UTF-8)"
    message = str(exc)
    if "not a database" in message or "malformed" in message or "encrypted" in message:
        return f"damaged SQLite database ({message})"
    if message == "interrupted":
        return "reading the collection took more steps than its size allows: not a real collection"
    if "too big" in message:
        return f"a value longer than {MAX_SQL_VALUE:,} bytes: not a real collection"
    return message


# --------------------------------------------------------------------------
# Reading a package


def load_apkg(path: Path, progress: Progress | None = None) -> ImportResult:
    """Read an Anki package; raise DeckFileError listing every problem."""
    file = str(path)
    try:
        stamp = _stamp(path)
        size = stamp[0]
        if size > MAX_PACKAGE_BYTES:
            raise refuse_record(
                file, ZIP, "file", f"too large ({size:,} bytes; at most {MAX_PACKAGE_BYTES:,})"
            )
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise refuse_record(file, ZIP, "file", exc.strerror or str(exc)) from exc
    with fh:
        zf = _open_zip(path, fh, file)
        with zf:
            member, zstd = _choose_member(zf, file)
            notices: list[str] = []
            info = _member(zf, member, file)
            assert info is not None
            wanted = _MediaWanted(zf, file)
            with tempfile.TemporaryDirectory(
                prefix="quizapp-apkg-", ignore_cleanup_errors=True
            ) as tmp:
                dest = Path(tmp) / "collection.sqlite"
                _extract(zf, info, dest, file, zstd)
                deck, more, _media = _read_collection(dest, path, member, progress, wanted)
            _check_media(zf, file, wanted)
    notices.extend(more)
    if wanted.missing:
        shown = ", ".join(sorted(wanted.missing)[:5])
        notices.append(f"{len(wanted.missing)} media file(s) the notes refer to are not in the "
                       f"package ({shown}): their facts show the text alternative only")
    if wanted.names:  # read one at a time when stored, not held here
        deck = dataclasses.replace(deck, media=PackageMedia(path, wanted.names, wanted.zstd,
                                                            stamp))
    return ImportResult(deck, tuple(notices), "apkg")


def _choose_member(zf: zipfile.ZipFile, file: str) -> tuple[str, bool]:
    meta = _member(zf, "meta", file)
    if meta is not None:
        data = _read_small(zf, meta, file)
        try:
            version = _pb_int(data, 1)
        except ValueError as exc:
            raise refuse_record(file, "meta", "version", f"damaged ({exc})") from exc
        if version > 3:
            raise refuse_record(
                file,
                "meta",
                "version",
                f"package version {version} is newer than this app reads; export it from "
                "Anki with 'Support older Anki versions' ticked",
            )
        wanted = _META_VERSIONS.get(version)
        if wanted is not None:
            if _member(zf, wanted, file) is None:
                raise refuse_record(file, wanted, "member", "missing (named by the meta member)")
            return wanted, wanted.endswith("b")
    for name in COLLECTION_MEMBERS:
        if _member(zf, name, file) is not None:
            return name, name.endswith("b")
    raise refuse_record(
        file,
        ZIP,
        "members",
        "no collection.anki21b, collection.anki21 or collection.anki2: not an Anki package",
    )


_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


@dataclass(slots=True)
class _MediaWanted:
    """The package's media map, and which of its files the imported notes refer to."""

    zf: zipfile.ZipFile
    file: str
    names: dict[str, str] = field(default_factory=dict)  # name -> member, once resolved
    zstd: bool = False
    missing: set[str] = field(default_factory=set)

    def resolve(self, referenced: set[str]) -> dict[str, str]:
        """{name a note uses: the file's name} for the files the package holds.

        A note may name a file percent-encoded (``my%20map.png`` for
        ``my map.png``), as HTML does; the others go to ``missing``.
        """
        if not referenced:
            return {}
        members, self.zstd = _media_map(self.zf, self.file)
        found: dict[str, str] = {}
        for used in referenced:
            name = used if used in members else unquote(used)
            if name in members and _member(self.zf, members[name], self.file) is not None:
                found[used] = name
                self.names[name] = members[name]
        self.missing = referenced - set(found)
        return found


def _media_map(zf: zipfile.ZipFile, file: str) -> tuple[dict[str, str], bool]:
    """{file name: member name} from the package's media map, and whether members are zstd.

    Legacy packages map member numbers to names in JSON (``{"0": "flag.png"}``);
    current ones hold a zstd-compressed protobuf ``MediaEntries`` whose n-th
    entry (name = 1, size = 2, sha1 = 3, legacy zip name = 255) is member
    ``n``, itself zstd-compressed.
    """
    info = _member(zf, "media", file)
    if info is None:
        return {}, False
    data = _read_small(zf, info, file)
    out: dict[str, str] = {}
    if data.startswith(_ZSTD_MAGIC):
        entries = _unzstd(data, file, "media")
        try:
            index = 0
            for number, value in _pb_fields(entries):
                if number != 1 or not isinstance(value, bytes):
                    continue
                name, member = "", str(index)
                for n, v in _pb_fields(value):
                    if n == 1 and isinstance(v, bytes):
                        name = v.decode("utf-8")
                    elif n == 255 and isinstance(v, int):
                        member = str(v)
                index += 1
                out.setdefault(name, member)
        except (ValueError, UnicodeDecodeError) as exc:
            raise refuse_record(file, "media", "map", f"damaged ({exc})") from exc
        return out, True
    try:
        raw = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise refuse_record(file, "media", "map", f"damaged ({exc})") from exc
    if not isinstance(raw, dict):
        raise refuse_record(file, "media", "map", "not a JSON object of numbered files")
    for member, name in raw.items():
        if isinstance(name, str):
            out.setdefault(name, str(member))
    return out, False


def _check_media(zf: zipfile.ZipFile, file: str, wanted: _MediaWanted) -> None:
    """Refuse the package for what its directory tells of the media files, reading none.

    Names always; sizes and their total where the members are not zstd
    (a zstd member's size is known once read, when it is stored).
    """
    total = 0
    for name, member in sorted(wanted.names.items()):
        problem = name_problem(name)
        if problem is not None:
            raise refuse_record(file, member, "media", problem)
        if wanted.zstd:
            continue
        info = _member(zf, member, file)
        assert info is not None  # resolve() kept only the names whose member is there
        problem = size_problem(info.file_size)
        if problem is not None:
            raise refuse_record(file, member, "media", f"{name!r}: {problem}")
        total += info.file_size
        if total > MAX_MEDIA_TOTAL:
            raise refuse_record(file, member, "media", _TOTAL_PROBLEM)


_TOTAL_PROBLEM = (f"the media files add up to more than {MAX_MEDIA_TOTAL:,} bytes "
                  "(at most that many in one package)")


def _read_media_file(zf: zipfile.ZipFile, file: str, name: str, member: str,
                     zstd: bool) -> MediaFile:
    """One media file's bytes, checked (at most one file in memory, zstd included)."""
    problem = name_problem(name)
    if problem is not None:
        raise refuse_record(file, member, "media", problem)
    info = _member(zf, member, file)
    if info is None:
        raise refuse_record(file, member, "media", f"{name!r}: missing from the package")
    if not zstd:
        problem = size_problem(info.file_size)
        if problem is not None:
            raise refuse_record(file, member, "media", f"{name!r}: {problem}")
    try:
        with zf.open(info) as src:
            data = src.read(MAX_MEDIA_FILE + 1 if not zstd else MAX_SMALL_MEMBER + 1)
    except _ZIP_READ_ERRORS as exc:
        raise refuse_record(file, member, "media", f"{name!r} cannot be read ({exc})") from exc
    if zstd:
        data = _unzstd(data, file, member, MAX_MEDIA_FILE)
    problem = size_problem(len(data))
    if problem is not None:
        raise refuse_record(file, member, "media", f"{name!r}: {problem}")
    return media_file(name, data)


class PackageMedia(MediaStream):
    """The media files of a package, read from it one at a time while they are stored.

    The package is opened again when the files are read (with every check of
    the first reading); a package changed on disk since it was read is
    refused. Each file is checked as it is read (name, size, the package's
    total), and a bad one raises :class:`DeckFileError` in the importing
    transaction, which then stores nothing.
    """

    def __init__(self, path: Path, members: dict[str, str], zstd: bool,
                 stamp: tuple[int, int]) -> None:
        self.path = path
        self.file = str(path)
        self.members = dict(sorted(members.items()))
        self.names = tuple(self.members)
        self.zstd = zstd
        self.stamp = stamp

    def __iter__(self) -> Iterator[MediaFile]:
        file = self.file
        try:
            if _stamp(self.path) != self.stamp:
                raise refuse_record(file, ZIP, "file", "changed since it was read: import it "
                                    "again")
            fh = open(self.path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise refuse_record(file, ZIP, "file", exc.strerror or str(exc)) from exc
        with fh, _open_zip(self.path, fh, file) as zf:
            total = 0
            for name, member in self.members.items():
                media = _read_media_file(zf, file, name, member, self.zstd)
                total += media.size
                if total > MAX_MEDIA_TOTAL:
                    raise refuse_record(file, member, "media", _TOTAL_PROBLEM)
                yield media


def _stamp(path: Path) -> tuple[int, int]:
    """What tells that a file changed: its size and modification time."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _read_collection(
    dest: Path, path: Path, member: str, progress: Progress | None, wanted: _MediaWanted
) -> tuple[Deck, list[str], MediaCount]:
    file = str(path)
    uri = dest.resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise refuse_record(file, member, "sqlite", _sqlite_message(exc)) from exc
    try:
        conn.text_factory = _text_factory
        try:
            conn.execute("PRAGMA trusted_schema = OFF")
            conn.execute("PRAGMA query_only = ON")
            conn.execute("PRAGMA cell_size_check = ON")
            conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_SQL_VALUE)
            conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, 100_000)
            conn.setlimit(sqlite3.SQLITE_LIMIT_COMPOUND_SELECT, 50)
            conn.setlimit(sqlite3.SQLITE_LIMIT_EXPR_DEPTH, 100)
            conn.setlimit(sqlite3.SQLITE_LIMIT_FUNCTION_ARG, 16)
            conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        except _SQL_ERRORS as exc:
            raise refuse_record(file, member, "sqlite", _sqlite_message(exc)) from exc
        budget = _StepBudget(SQL_STEPS_BASE + SQL_STEPS_PER_BYTE * dest.stat().st_size)
        conn.set_progress_handler(budget, _StepBudget.EVERY)
        return _read_notes(_Reader(conn, file, member), path, progress, wanted)
    finally:
        conn.close()


class _StepBudget:
    """SQLite's progress handler: stops a statement once the collection used its steps."""

    EVERY = 10_000  # virtual machine steps between calls

    def __init__(self, steps: int) -> None:
        self.calls_left = max(1, steps // self.EVERY)
        self.steps = steps

    def __call__(self) -> int:
        self.calls_left -= 1
        return 1 if self.calls_left < 0 else 0  # non-zero interrupts the statement


def _check_schema(reader: _Reader) -> None:
    """Refuse a collection whose schema could make reading it cost more than its size."""
    rows = reader.query(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY rowid", "sqlite_master"
    )
    for kind, name, sql in rows:
        if kind in ("view", "trigger"):
            raise reader.fail(
                "sqlite_master", kind, f"{name!r}: a collection with {kind}s is not read "
                "(Anki collections have none)",
            )  # fmt: skip
        if kind == "table" and re.match(r"(?is)\s*create\s+virtual\s", str(sql)):
            raise reader.fail(
                "sqlite_master", "table", f"{name!r}: a virtual table is not read "
                "(Anki collections have none)",
            )  # fmt: skip
    for kind, name, _sql in rows:
        if kind != "table":
            continue
        for column in reader.query(f"PRAGMA table_xinfo({_quote(str(name))})", str(name)):
            if column[6] in (2, 3):  # hidden: 2 = virtual generated, 3 = stored generated
                raise reader.fail(
                    str(name), str(column[1]), "a generated column: a collection with "
                    "computed columns is not read (Anki collections have none)",
                )  # fmt: skip


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_notes(
    reader: _Reader, path: Path, progress: Progress | None, wanted: _MediaWanted
) -> tuple[Deck, list[str], MediaCount]:
    tables = reader.tables()
    current = tables.get("notetypes") == "table"
    needed = ["notes", "col", "cards"] + (["notetypes", "fields", "decks"] if current else [])
    for name in needed:
        if tables.get(name) != "table":
            raise reader.fail(name, "table", "missing: not an Anki collection")
    _check_schema(reader)
    note_types = reader.note_types_current() if current else reader.note_types_legacy()
    reader.probs.raise_if_any()
    deck_names = reader.deck_names(current)
    note_decks = reader.note_decks()

    (total,) = reader.query("SELECT count(*) FROM notes", "notes")[0]
    if not isinstance(total, int) or total == 0:
        raise reader.fail("notes", "notes", "the package holds no notes: nothing to import")
    if total > MAX_NOTES:
        raise reader.fail("notes", "notes", f"{total} notes (at most {MAX_NOTES})")

    probs = reader.probs
    media = MediaCount(names=[])
    skipped = _Skipped()
    facts = QAFactPacker()
    guid_rows: dict[str, int] = {}
    fact_ids: set[str] = set()
    quizapp_decks: set[str] = set()
    top_decks: Counter[str] = Counter()
    row_no = 0
    text_left = [MAX_TOTAL_TEXT]
    # A value over MAX_NOTE_VALUE is not fetched, only its size (length() of a blob
    # reads no text); its row is refused below.
    sizes = ", ".join(f"length(CAST({c} AS BLOB))" for c in ("guid", "tags", "flds"))
    capped = ", ".join(
        f"CASE WHEN length(CAST({c} AS BLOB)) > {MAX_NOTE_VALUE} THEN NULL ELSE {c} END"
        for c in ("guid", "tags", "flds")
    )
    sql = f"SELECT id, {capped}, mid, {sizes} FROM notes ORDER BY id"
    for batch in _batches(reader, sql):
        for nid, raw_guid, raw_tags, raw_flds, mid, *lengths in batch:
            row_no += 1
            if progress and row_no % PROGRESS_EVERY == 0:
                progress(row_no, total)
            where = f"notes row {row_no}"
            too_long = [
                (name, n) for name, n in zip(("guid", "tags", "flds"), lengths, strict=True)
                if isinstance(n, int) and n > MAX_NOTE_VALUE
            ]
            if too_long:
                name, n = too_long[0]
                probs.record(f"{reader.member}: {where}", name,
                             f"{n:,} bytes (at most {MAX_NOTE_VALUE:,} in one note)")
                continue
            _note_facts(
                reader, where, row_no, nid, raw_guid, mid, raw_tags, raw_flds,
                note_types, guid_rows, facts, fact_ids, media, skipped, text_left,
            )  # fmt: skip
            if text_left[0] < 0:
                raise reader.fail(
                    where, "flds", f"the notes up to this one hold more than "
                    f"{MAX_TOTAL_TEXT:,} characters of text (at most that many in one package)",
                )  # fmt: skip
            nt = note_types.get(mid) if isinstance(mid, int) else None
            if nt is not None and nt.quizapp_deck:
                quizapp_decks.add(nt.quizapp_deck)
            if isinstance(nid, int) and nid in note_decks:
                deck_name = deck_names.get(note_decks[nid])
                if deck_name:
                    top_decks[deck_name.split("::")[0]] += 1
    probs.raise_if_any()
    if progress:
        progress(total, total)

    notices = _skip_notices(skipped)
    if not facts:
        reason = "; ".join(notices) or "every note is empty"
        raise reader.fail("notes", "notes", f"no notes quizapp can import ({reason})")

    if len(top_decks) == 1 and next(iter(top_decks)) not in ("", "Default"):
        name = next(iter(top_decks))
    else:
        name = path.stem
    facts.keep_media(wanted.resolve(facts.media_names()))
    # A Q/A deck that quizapp exported comes back as the same deck.
    deck_id = quizapp_decks.pop() if len(quizapp_decks) == 1 else deck_id_for(name)
    deck = Deck(
        id=deck_id,
        name=name,
        description=f"Imported from {path.name}",
        facts=facts.facts(),
    )
    return deck, notices, media


def _batches(reader: _Reader, sql: str) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of a query in batches; damage found while reading refuses the file."""
    try:
        cursor = reader.conn.execute(sql)
        while True:
            batch = cursor.fetchmany(1000)
            if not batch:
                return
            yield batch
    except _SQL_ERRORS as exc:
        raise reader.fail("notes", "sqlite", _sqlite_message(exc)) from exc


def _note_facts(
    reader: _Reader,
    where: str,
    row_no: int,
    nid: object,
    raw_guid: object,
    mid: object,
    raw_tags: object,
    raw_flds: object,
    note_types: dict[int, _NoteType],
    guid_rows: dict[str, int],
    facts: QAFactPacker,
    fact_ids: set[str],
    media: MediaCount,
    skipped: _Skipped,
    text_left: list[int],
) -> None:
    """The facts of one note, appended to ``facts``; ``text_left[0]`` drops by their text."""
    probs = reader.probs
    at = f"{reader.member}: {where}"
    guid = reader.text(raw_guid, where, "guid")
    tags_text = reader.text(raw_tags, where, "tags")
    flds = reader.text(raw_flds, where, "flds")
    if not isinstance(nid, int):
        probs.record(at, "id", f"expected an integer, got {_sql_type(nid)}")
        return
    if guid is None or tags_text is None or flds is None:
        return
    guid = guid.strip()
    if not guid:
        probs.record(at, "guid", "empty")
        return
    if guid in guid_rows:
        probs.record(at, "guid", f"same guid {guid!r} as notes row {guid_rows[guid]}")
        return
    guid_rows[guid] = row_no
    if not isinstance(mid, int):
        probs.record(at, "mid", f"expected an integer, got {_sql_type(mid)}")
        return
    nt = note_types.get(mid)
    if nt is None:
        probs.record(at, "mid", f"no note type with id {mid}")
        return
    fields = flds.split("\x1f")
    tags = tuple(dict.fromkeys(tags_text.split()))
    if nt.occlusion:
        skipped.occlusion += 1
        return
    if nt.cloze:
        text = fields[0]
        ordinals = cloze_ordinals(text)
        if not ordinals:
            skipped.no_cloze += 1
            return
        if len(ordinals) > MAX_CLOZE_CARDS:
            skipped.many_clozes += 1
            return
        for ordinal in ordinals:
            f, b = cloze_card(text, ordinal)
            first = _names_so_far(media)
            front, back = html_to_text(f, media), html_to_text(b, media)
            if not front or not back:
                skipped.empty += 1
                continue
            fid = anki_fact_id(guid, ordinal)
            if fid in fact_ids:
                probs.record(at, "guid", f"gives the fact id {fid!r} of an earlier note")
                return
            fact_ids.add(fid)
            text_left[0] -= len(front) + len(back)
            facts.add(fid, front, back, tags, _names_since(media, first))
        return
    if len(fields) < 2:
        skipped.one_field += 1
        return
    first = _names_so_far(media)
    front, back = html_to_text(fields[0], media), html_to_text(fields[1], media)
    if not front or not back:
        skipped.empty += 1
        return
    fid = anki_fact_id(guid)
    if nt.card_field is not None and nt.card_field < len(fields):
        # A note quizapp exported: its card id is the fact id, so that a deck
        # edited in Anki and imported back keeps its progress.
        card_id = html.unescape(fields[nt.card_field]).strip()
        if ID_RE.match(card_id) and card_id not in fact_ids:
            fid = card_id
    if fid in fact_ids:
        probs.record(at, "guid", f"gives the fact id {fid!r} of an earlier note")
        return
    fact_ids.add(fid)
    text_left[0] -= len(front) + len(back)
    facts.add(fid, front, back, tags, _names_since(media, first))


def _names_so_far(media: MediaCount) -> int:
    return len(media.names) if media.names is not None else 0


def _names_since(media: MediaCount, first: int) -> tuple[str, ...]:
    """The media names the fields read since ``first`` (each once, in order); forgets them."""
    if media.names is None:
        return ()
    names = tuple(dict.fromkeys(media.names[first:]))
    del media.names[first:]
    return names


def _skip_notices(skipped: _Skipped) -> list[str]:
    out = []
    if skipped.occlusion:
        out.append(f"{skipped.occlusion} image occlusion note(s) skipped (images only)")
    if skipped.no_cloze:
        out.append(f"{skipped.no_cloze} cloze note(s) without deletions skipped")
    if skipped.many_clozes:
        out.append(f"{skipped.many_clozes} cloze note(s) with more than {MAX_CLOZE_CARDS} "
                   "deletions skipped")
    if skipped.one_field:
        out.append(f"{skipped.one_field} note(s) with a single field skipped")
    if skipped.empty:
        out.append(f"{skipped.empty} card(s) with an empty front or back skipped")
    return out
