"""Fuzzing every importer with malformed, random and hostile input (hypothesis).

Each example is written to a file and imported the way the desktop app does
it (:func:`quizapp.gui.controllers.deck_io.import_file`: read, validate, store
in one transaction) into a real SQLite collection that already holds a deck.
What must hold for every input:

- the only error is :class:`~quizapp.facts.deckfile.DeckFileError`, whose
  problems each name the file (``FILE:LINE: field: …`` or ``FILE: MEMBER: …``);
  any other exception is a crash;
- no example runs longer than :data:`SOFT_TIMEOUT` seconds (a ``SIGALRM``
  guard raises in Python code; ``faulthandler`` ends the run with a traceback
  if C code hangs past three times that);
- a refused import leaves the database byte-for-byte equal (a digest of every
  row), so nothing is ever half imported;
- an Anki package never writes outside its private temporary folder, whatever
  its member names, and that folder is removed afterwards.

Inputs: random bytes under every extension (and none, so detection by content
is fuzzed too); TOML deck files built from hostile values and mutated valid
decks; delimited text built from separators, quotes, line ends, Anki headers,
HTML and cloze markup in several encodings; Anki packages with hostile member
names (path traversal, absolute, duplicate), zip bombs and lying sizes,
damaged protobuf and zstd, random SQL edits of a real collection (views and
triggers in place of tables, wrong schema, wrong types, huge fields) and
random byte damage of real packages.

``QUIZAPP_FUZZ_SCALE`` multiplies the number of examples (CI runs 1: about
two minutes on a 2-core machine, some 3,500 inputs). The figures are printed at the end.
"""

from __future__ import annotations

import faulthandler
import hashlib
import io
import json
import os
import random
import signal
import sqlite3
import struct
import tempfile
import time
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.facts.deckfile import DeckFileError
from quizapp.gui.controllers import deck_io
from quizapp.gui.tasks import Progress
from quizapp.importers import apkg as apkg_mod
from quizapp.services.collection import Collection
from quizapp.services.imports import ReplacementRefusedError

ROOT = Path(__file__).resolve().parent
FIXTURES = ROOT / "fixtures" / "import"
LEGACY = FIXTURES / "anki_legacy.apkg"
CURRENT = FIXTURES / "anki_current.apkg"
SEED_DECK = ROOT.parent / "content" / "seed" / "deck.toml"

SCALE = float(os.environ.get("QUIZAPP_FUZZ_SCALE", "1"))
SOFT_TIMEOUT = 10.0
EXISTING = "fuzz-existing"  # a deck already stored: imports under its id update it

FIGURES: Counter[str] = Counter()  # inputs per importer
REFUSED: Counter[str] = Counter()
SECONDS: Counter[str] = Counter()


def examples(n: int) -> settings:
    return settings(max_examples=max(5, int(n * SCALE)), deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture,
                                           HealthCheck.large_base_example])


class HangError(Exception):
    """An example ran past the per-example time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def on_alarm(_signum: int, _frame: FrameType | None) -> None:
        raise HangError(f"the import ran longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(seconds * 3, exit=True)  # a hang inside C code
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        faulthandler.cancel_dump_traceback_later()


# --------------------------------------------------------------------------
# The collection under test


class Target:
    """A real collection with one stored deck, and a scratch folder for inputs."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = root / "collection.sqlite3"
        self.col = Collection.open(f"sqlite:///{self.db}", first_start=False, durable=False)
        from quizapp.storage import repository as repo

        with self.col.transaction() as s:
            repo.create_profile(s, "Fuzz")
        (root / "in").mkdir()
        seed = root / "in" / f"{EXISTING}.csv"
        seed.write_text("Front,Back\nCapital of Peru?,Lima\nCapital of Chile?,Santiago\n",
                        encoding="utf-8")
        deck_io.import_file(self.col, seed, Progress())
        self.canary = root / "canary"  # where a traversing member name would land
        self.canary.mkdir()

    def digest(self) -> str:
        con = sqlite3.connect(self.db)
        try:
            return hashlib.sha256("\n".join(con.iterdump()).encode("utf-8", "surrogatepass")
                                  ).hexdigest()
        finally:
            con.close()

    def write(self, name: str, data: bytes) -> Path:
        path = self.root / "in" / name
        path.write_bytes(data)
        return path

    def check(self, path: Path, kind: str) -> str:
        """Import ``path`` as the app does; assert the rules; 'refused' or 'imported'."""
        FIGURES[kind] += 1
        before = self.digest()
        temp_before = _apkg_temp_dirs()
        started = time.perf_counter()
        try:
            with time_limit(SOFT_TIMEOUT):
                try:
                    summary, _notices = deck_io.import_file(self.col, path, Progress())
                except ReplacementRefusedError as refusal:
                    # A file under the stored deck's id that would retire most of it
                    # is refused first with nothing stored; the teacher may go on.
                    assert refusal.warnings and self.digest() == before
                    summary, _notices = deck_io.import_file(self.col, path, Progress(),
                                                            replace=True)
        except DeckFileError as exc:
            outcome = "refused"
            assert exc.problems, "a refusal without a problem"
            for p in exc.problems:
                line = str(p)
                assert line.startswith(str(path)), line
                assert "Traceback" not in line
            after = self.digest()
            assert after == before, f"a refused import of {path.name} changed the database"
        else:
            outcome = "imported"
            if summary.deck_name and summary.deck_id:
                from quizapp.storage import repository as repo
                from quizapp.storage.models import DeckRow

                with self.col.session() as s:
                    row = s.get(DeckRow, summary.deck_id)
                    key = row.key if row is not None else None
                if key != EXISTING:
                    from quizapp.browse import delete_deck

                    delete_deck(self.col, summary.deck_id)
                _ = repo
        finally:
            SECONDS[kind] += time.perf_counter() - started
        assert _apkg_temp_dirs() <= temp_before, "a package's temporary folder was left behind"
        assert list(self.canary.iterdir()) == [], "a member was written outside its folder"
        assert {p.name for p in (self.root / "in").iterdir()} <= {
            path.name, f"{EXISTING}.csv", *_INPUT_NAMES}, "an importer wrote next to its input"
        if outcome == "refused":
            REFUSED[kind] += 1
        return outcome


_INPUT_NAMES: set[str] = set()


def _apkg_temp_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("quizapp-apkg-*")}


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    t = Target(tmp_path_factory.mktemp("fuzz"))
    # A private temporary folder: what the importers leave there is theirs alone,
    # whatever other processes on the machine do in /tmp.
    private = t.root / "tmp"
    private.mkdir()
    old, tempfile.tempdir = tempfile.tempdir, str(private)
    try:
        yield t
    finally:
        tempfile.tempdir = old
        t.col.close()


def _name(stem: str, suffix: str) -> str:
    name = f"{stem}{suffix}"
    _INPUT_NAMES.add(name)
    return name


# --------------------------------------------------------------------------
# 1. Random bytes under every name: detection by extension and by content


SUFFIXES = [".toml", ".csv", ".tsv", ".tab", ".txt", ".apkg", ".colpkg", "", ".dat", ".xlsx"]
KIND_OF = {".toml": "toml", ".csv": "csv", ".tsv": "csv", ".tab": "csv", ".txt": "csv",
           ".apkg": "apkg", ".colpkg": "apkg"}
MAGIC = [b"", b"PK\x03\x04", b"PK\x05\x06", b"SQLite format 3\x00", b"\xef\xbb\xbf",
         b"\xff\xfe", b"\xfe\xff", b"format = 1\n", b"[[facts]]\n", b"\x28\xb5\x2f\xfd"]


@examples(700)
@given(suffix=st.sampled_from(SUFFIXES), magic=st.sampled_from(MAGIC),
       body=st.binary(max_size=3000))
def test_random_bytes_under_every_name(target: Target, suffix: str, magic: bytes,
                                       body: bytes) -> None:
    path = target.write(_name("random", suffix), magic + body)
    target.check(path, KIND_OF.get(suffix, "detected"))


# --------------------------------------------------------------------------
# 2. TOML deck files


def _toml_str(s: str) -> str:
    # JSON string syntax is TOML's basic string; control characters and a lone
    # surrogate come out as \uXXXX escapes (the surrogate one is invalid TOML).
    return json.dumps(s, ensure_ascii=False)


HOSTILE_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from([
        "", " ", "\x00", "\u202e", "\ufeff", "<b>bold</b>", "<img src='http://evil.example/x'>",
        "<a href='file:///etc/passwd'>x</a>", "{{c1::Lima}}", "[sound:x.mp3]", "../../etc",
        "C:\\Windows", "😀" * 50, "a" * 5000, "\n" * 200, "\r\n\r", "'''", '"""', "\\",
        "\ud800",
    ]),
)
TOML_VALUE = st.recursive(
    st.one_of(
        HOSTILE_TEXT.map(_toml_str),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.sampled_from(["nan", "inf", "-inf", "1e400", "true", "false", "1979-05-27",
                         "1979-05-27T07:32:00Z", "0x1F", "[]", "{}"]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.dictionaries(st.sampled_from(["id", "text", "value", "kind", "a"]), children,
                        max_size=3).map(
            lambda d: "{" + ", ".join(f"{k} = {v}" for k, v in d.items()) + "}"),
    ),
    max_leaves=6,
)
FACT_KEYS = ["id", "kind", "text", "value", "start", "end", "source", "sentence", "speaker",
             "role", "roles", "name", "counts", "unit", "qualifier", "reported", "front",
             "back", "tags", "bogus"]
KINDS = ["date", "number", "quote", "person", "qa", "Date", "", "event"]


@st.composite
def toml_decks(draw: st.DrawFn) -> str:
    lines = []
    if draw(st.booleans()):
        version = draw(st.sampled_from(["1", "2", "0", "-1", '"1"', "1.0"]))
        lines.append(f"format = {version}")
    lines.append(f"id = {_toml_str(draw(st.sampled_from([EXISTING, 'fz', '../x', '', 'a b'])))}")
    if draw(st.booleans()):
        lines.append(f"name = {draw(TOML_VALUE)}")
    if draw(st.booleans()):
        lines.append("[[sources]]")
        lines.append(f"id = {_toml_str(draw(st.sampled_from(['s', '', 'seed'])))}")
        lines.append(f"text = {draw(TOML_VALUE)}")
        lines.append(f"published = {draw(TOML_VALUE)}")
    for _ in range(draw(st.integers(0, 4))):
        lines.append("[[facts]]")
        kind = draw(st.sampled_from(KINDS))
        lines.append(f"kind = {_toml_str(kind)}")
        for key in draw(st.lists(st.sampled_from(FACT_KEYS), max_size=7, unique=True)):
            if key == "kind":
                continue
            lines.append(f"{key} = {draw(TOML_VALUE)}")
    if draw(st.booleans()):
        lines.append("[options]")
        lines.append(f"number_tolerance = {draw(TOML_VALUE)}")
    return "\n".join(lines) + "\n"


@examples(400)
@given(text=toml_decks())
def test_toml_deck_files_built_from_hostile_values(target: Target, text: str) -> None:
    path = target.write(_name("deck", ".toml"), text.encode("utf-8", "surrogatepass"))
    target.check(path, "toml")


_SEED_TEXT = SEED_DECK.read_text(encoding="utf-8")
_SMALL_DECK = (
    'format = 1\nid = "fz-small"\nname = "Small"\n\n[[facts]]\nid = "qa-1"\nkind = "qa"\n'
    'front = "Capital of Peru?"\nback = "Lima"\n\n[[facts]]\nid = "qa-2"\nkind = "qa"\n'
    'front = "Capital of Chile?"\nback = "Santiago"\n'
)


@st.composite
def mutated(draw: st.DrawFn, base: str) -> str:
    text = base
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "dup", "insert", "replace", "truncate"]))
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, min(len(text), a + 200)))
        if op == "cut":
            text = text[:a] + text[b:]
        elif op == "dup":
            text = text[:b] + text[a:b] + text[b:]
        elif op == "insert":
            text = text[:a] + draw(st.sampled_from(
                ['"', "'''", "[[facts]]\n", "=", "\n", "\\u0000", "\\ud800", "}", "[", "#",
                 "\x00", "kind = \"number\"\n", "value = 1e999\n", "start = -5\n"])) + text[a:]
        elif op == "replace":
            text = text[:a] + draw(st.text(max_size=30)) + text[b:]
        else:
            text = text[:a]
    return text


@examples(150)
@given(text=st.one_of(mutated(_SMALL_DECK), mutated(_SEED_TEXT)))
def test_mutated_valid_deck_files(target: Target, text: str) -> None:
    path = target.write(_name("mutated", ".toml"), text.encode("utf-8", "surrogatepass"))
    target.check(path, "toml")


CELL = st.one_of(
    st.text(min_size=1, max_size=40),
    st.sampled_from(["<b>bold</b>", "<img src='http://evil.example/x.png'>",
                     "<a href='javascript:alert(1)'>x</a>", "&lt;b&gt;", "<!DOCTYPE html><p>x",
                     "\u202eevil", "a\x00b", "x" * 20000, "line\nbreak", "{{c1::Lima}}",
                     "<script>alert(1)</script>", "\ufeffBOM", "  padded  ", "☃" * 300]),
)


@st.composite
def plausible_toml(draw: st.DrawFn) -> str:
    """A well-formed deck file of Q/A notes with hostile text (reaches the database)."""
    lines = ['format = 1', f"id = {_toml_str(draw(st.sampled_from([EXISTING, 'fz-qa'])))}",
             f"name = {_toml_str(draw(CELL))}"]
    for i in range(draw(st.integers(1, 6))):
        lines += ["[[facts]]", f'id = "qa-{draw(st.integers(0, 3)) if i else 0}-{i}"',
                  'kind = "qa"', f"front = {_toml_str(draw(CELL))}",
                  f"back = {_toml_str(draw(CELL))}"]
        if draw(st.booleans()):
            lines.append(f"tags = [{_toml_str(draw(CELL))}]")
    return "\n".join(lines) + "\n"


@examples(250)
@given(text=plausible_toml())
def test_plausible_toml_with_hostile_text(target: Target, text: str) -> None:
    path = target.write(_name("plausible", ".toml"), text.encode("utf-8", "surrogatepass"))
    target.check(path, "toml")


# --------------------------------------------------------------------------
# 3. Delimited text


CSV_TOKENS = [",", ";", "\t", "|", '"', '""', "\n", "\r\n", "\r", " ", "Front", "Back", "Tags",
              "Guid", "Deck", "Notetype", "Id", "#separator:tab\n", "#separator:Comma\n",
              "#separator:pipe\n", "#separator:nonsense\n", "#html:true\n", "#html:false\n",
              "#columns:Front\tBack\tTags\n", "#deck:Fuzz::Sub\n", "#guid column:1\n",
              "#tags column:9\n", "#notetype column:3\n", "#deck column:2\n", "#tags:a b\n",
              "<b>", "</b>", "<br>", "<img src=x>", "&amp;", "&#0;", "&#xD800;", "{{c1::",
              "{{c2::", "::hint", "}}", "[sound:a.mp3]", "\x00", "\ufeff", "\u2028", "é",
              "\udcff", "Capital of Peru?", "Lima", "x" * 300, "a,b\n" * 20]


@st.composite
def delimited(draw: st.DrawFn) -> bytes:
    parts = draw(st.lists(st.one_of(st.sampled_from(CSV_TOKENS), st.text(max_size=12)),
                          max_size=120))
    text = "".join(parts)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1",
                                     "raw"]))
    if encoding == "raw":
        return text.encode("utf-8", "surrogatepass") + draw(st.binary(max_size=20))
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")


@examples(600)
@given(data=delimited(), suffix=st.sampled_from([".csv", ".tsv", ".txt", ".tab", ""]),
       stem=st.sampled_from(["cards", EXISTING, "Ünïcode deck", "x"]))
def test_delimited_text_in_many_encodings(target: Target, data: bytes, suffix: str,
                                          stem: str) -> None:
    path = target.write(_name(stem, suffix), data)
    target.check(path, "csv" if suffix else "detected")


def _csv_cell(text: str, sep: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in (sep, '"', "\n", "\r")) \
        else text


@st.composite
def plausible_csv(draw: st.DrawFn) -> bytes:
    """Well-formed rows of hostile cells (reaches the database)."""
    sep = draw(st.sampled_from([",", ";", "\t"]))
    header = draw(st.sampled_from(["", "Front{s}Back\n", "#separator:{n}\n#html:true\n",
                                   "#separator:{n}\n#notetype:Cloze\n"]))
    names = {",": "comma", ";": "semicolon", "\t": "tab"}
    rows = [header.format(s=sep, n=names[sep])]
    width = draw(st.integers(2, 3))
    cell = CELL.filter(lambda c: "\x00" not in c)  # NUL bytes: refused as binary, tested above
    for _ in range(draw(st.integers(1, 8))):
        cells = draw(st.lists(cell, min_size=width, max_size=width))
        rows.append(sep.join(_csv_cell(c, sep) for c in cells) + "\n")
    return "".join(rows).encode("utf-8", "surrogatepass")


@examples(300)
@given(data=plausible_csv(), stem=st.sampled_from(["cards", EXISTING]))
def test_plausible_csv_with_hostile_cells(target: Target, data: bytes, stem: str) -> None:
    path = target.write(_name(stem, ".csv"), data)
    target.check(path, "csv")


# --------------------------------------------------------------------------
# 4. Anki packages


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", method) as zf:
        warnings.simplefilter("ignore")  # duplicate names are meant
        for name, data in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            zf.writestr(info, data)
    return buf.getvalue()


def _legacy_collection_bytes() -> bytes:
    with zipfile.ZipFile(LEGACY) as zf:
        return zf.read("collection.anki21")


_LEGACY_DB = _legacy_collection_bytes()
TRAVERSAL_NAMES = ["../../canary/evil.txt", "../canary/evil", "/tmp/evil-quizapp", "..\\..\\evil",
                   "C:/evil", "collection.anki21/../../evil", "./collection.anki21", "", " ",
                   "a" * 250, "media/../../evil", "\u202eevil", "collection.anki21\x00.txt",
                   "0", "1", "media", "meta"]


@st.composite
def hostile_zips(draw: st.DrawFn) -> bytes:
    members: list[tuple[str, bytes]] = []
    for _ in range(draw(st.integers(0, 4))):
        members.append((draw(st.sampled_from(TRAVERSAL_NAMES)), draw(st.binary(max_size=200))))
    collection = draw(st.sampled_from(["collection.anki21", "collection.anki2",
                                       "collection.anki21b", None]))
    if collection is not None:
        payload = draw(st.sampled_from(["real", "random", "empty", "zstd-real", "zstd-random"]))
        data = {"real": _LEGACY_DB, "empty": b"", "random": draw(st.binary(max_size=500))}.get(
            payload, b"")
        if payload.startswith("zstd"):
            import zstandard

            raw = _LEGACY_DB if payload == "zstd-real" else draw(st.binary(max_size=500))
            data = zstandard.ZstdCompressor().compress(raw)
        members.append((collection, data))
        if draw(st.booleans()):  # a second member of the same name
            members.append((collection, data))
    if draw(st.booleans()):
        members.append(("meta", draw(st.sampled_from(
            [b"\x08\x01", b"\x08\x02", b"\x08\x03", b"\x08\x09", b"\x08", b"\xff\xff\xff",
             b"\x0a\x05ab"]))))
    if draw(st.booleans()):
        members.append(("media", draw(st.sampled_from(
            [b"{}", b'{"0": "../../evil.png"}', b"[", b"\x28\xb5\x2f\xfd\x00", b"null"]))))
    method = draw(st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]))
    return _zip(members, method)


@examples(300)
@given(data=hostile_zips(), suffix=st.sampled_from([".apkg", ".colpkg", ".txt", ""]))
def test_packages_with_hostile_members(target: Target, data: bytes, suffix: str) -> None:
    path = target.write(_name("hostile", suffix), data)
    target.check(path, "apkg")


def _bomb(size: int) -> bytes:
    """A deflated member of ``size`` zero bytes (about 1000:1)."""
    buf = io.BytesIO()
    with (zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf,
          zf.open(zipfile.ZipInfo("collection.anki21"), "w", force_zip64=True) as out):
        chunk = bytes(1 << 20)
        for _ in range(size >> 20):
            out.write(chunk)
    return buf.getvalue()


_BOMB = _bomb(64 << 20)  # 64 MB of zeros in ~64 KB


def _lie_about_size(data: bytes, size: int) -> bytes:
    """Rewrite every declared uncompressed size (local and central headers)."""
    out = bytearray(data)
    i = 0
    while (i := out.find(b"PK\x01\x02", i)) >= 0:  # central directory: size at +24
        struct.pack_into("<L", out, i + 24, size & 0xFFFFFFFF)
        i += 4
    i = 0
    while (i := out.find(b"PK\x03\x04", i)) >= 0:  # local header: size at +22
        struct.pack_into("<L", out, i + 22, size & 0xFFFFFFFF)
        i += 4
    return bytes(out)


@examples(40)
@given(kind=st.sampled_from(["bomb", "small-lie", "big-lie", "many", "zstd-bomb", "encrypted",
                             "bzip2"]),
       size=st.integers(0, 2**32 - 1))
def test_zip_bombs_and_lying_sizes_are_refused_before_reading(
    target: Target, kind: str, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    if kind == "bomb":
        data = _BOMB
    elif kind == "small-lie":  # says 100 bytes, inflates to 64 MB: reading stops at 100
        data = _lie_about_size(_BOMB, 100)
    elif kind == "big-lie":  # any size but the true one
        data = _lie_about_size(_zip([("collection.anki21", _LEGACY_DB)]),
                               size if size != len(_LEGACY_DB) else size + 1)
    elif kind == "many":
        monkeypatch.setattr(apkg_mod, "MAX_MEMBERS", 50)  # the check, without 50 000 files
        data = _zip([(str(i), b"x") for i in range(60)] + [("collection.anki21", _LEGACY_DB)])
    elif kind == "zstd-bomb":
        import zstandard

        data = _zip([("collection.anki21b", zstandard.ZstdCompressor(level=1).compress(
            bytes(64 << 20))), ("meta", b"\x08\x03")], zipfile.ZIP_STORED)
    elif kind == "encrypted":
        raw = bytearray(_zip([("collection.anki21", _LEGACY_DB)]))
        for marker, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            i = raw.find(marker)
            raw[i + offset] |= 1
        data = bytes(raw)
    else:
        data = _zip([("collection.anki21", _LEGACY_DB)], zipfile.ZIP_BZIP2)
    path = target.write(_name("bomb", ".apkg"), data)
    started = time.perf_counter()
    outcome = target.check(path, "apkg")
    # A declared size is checked against the limits before anything is read; below
    # them, extraction counts the real bytes (and zipfile checks the CRC), so a
    # harmless lie about a sound member may import.
    harmless = kind == "big-lie" and size <= apkg_mod.MAX_COLLECTION_BYTES
    assert outcome == "refused" or harmless
    assert time.perf_counter() - started < 60  # a hang guard, not a speed limit


SQL_EDITS = [
    "UPDATE notes SET flds = :v",
    "UPDATE notes SET flds = :v WHERE id = (SELECT min(id) FROM notes)",
    "UPDATE notes SET guid = :v",
    "UPDATE notes SET guid = :v WHERE id = (SELECT max(id) FROM notes)",
    "UPDATE notes SET mid = :v",
    "UPDATE notes SET tags = :v",
    "UPDATE notes SET id = :v WHERE id = (SELECT min(id) FROM notes)",
    "UPDATE col SET models = :v",
    "UPDATE col SET decks = :v",
    "UPDATE cards SET did = :v",
    "UPDATE cards SET nid = :v",
    "DELETE FROM notes",
    "DELETE FROM col",
    "DELETE FROM cards",
    "DROP TABLE cards",
    "DROP TABLE col",
    "ALTER TABLE notes RENAME TO n2; CREATE VIEW notes AS SELECT * FROM n2",
    "ALTER TABLE notes RENAME TO n2; CREATE TABLE notes (x)",
    "ALTER TABLE notes RENAME TO n2; CREATE TABLE notes (id, guid, mid, tags)",
    "CREATE TRIGGER t AFTER INSERT ON notes BEGIN DELETE FROM col; END",
    "CREATE VIEW v AS SELECT * FROM notes, notes, notes",
    "CREATE TABLE notetypes (id, name, config)",
    "CREATE TABLE big (x); INSERT INTO big VALUES (zeroblob(3000000))",
    "INSERT INTO notes SELECT id + 1000, guid || 'x', mid, mod, usn, tags, flds, sfld, csum, "
    "flags, data FROM notes",
    "UPDATE notes SET flds = replace(hex(zeroblob(1500000)), '00', 'ab') || char(31) || 'b'",
    "UPDATE notes SET flds = replace(hex(zeroblob(300000)), '00', '<b>') || char(31) || 'b'",
    "UPDATE notes SET flds = replace(hex(zeroblob(100000)), '00', '{{c1::') || char(31)",
    "UPDATE col SET models = '[' || replace(hex(zeroblob(20000)), '00', '[') || ']'",
    "UPDATE col SET models = replace(models, '\"type\": 0', '\"type\": 1')",
    "PRAGMA user_version = 999",
]
SQL_VALUES = st.one_of(
    st.none(), st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(),
    st.binary(max_size=60), HOSTILE_TEXT.filter(lambda s: "\ud800" not in s),
    st.sampled_from(['{"1": {"flds": [{"name": "F"}], "type": 1}}', "{}", "[]", "null",
                     '{"x": 1}', '{"1": {"flds": "x"}}', "a\x1fb", "\x1f" * 100,
                     '{"1": {"name": "D"}}']),
)


@st.composite
def edited_collections(draw: st.DrawFn, scratch: Path) -> bytes:
    db = scratch / "edit.sqlite3"
    db.write_bytes(_LEGACY_DB)
    con = sqlite3.connect(db)
    try:
        for _ in range(draw(st.integers(1, 3))):
            sql = draw(st.sampled_from(SQL_EDITS))
            try:
                if ":v" in sql:
                    con.execute(sql, {"v": draw(SQL_VALUES)})
                else:
                    con.executescript(sql)
            except sqlite3.Error:
                continue  # the edit does not apply to this shape: try the next
        con.commit()
    finally:
        con.close()
    return db.read_bytes()


_SCRATCH = Path(tempfile.mkdtemp(prefix="quizapp-fuzz-"))


@examples(150)
@given(db=edited_collections(_SCRATCH), member=st.sampled_from(
    ["collection.anki21", "collection.anki2"]))
def test_packages_with_hostile_collections(target: Target, db: bytes, member: str) -> None:
    path = target.write(_name("edited", ".apkg"), _zip([(member, db), ("media", b"{}")]))
    target.check(path, "apkg")


@examples(250)
@given(base=st.sampled_from([LEGACY, CURRENT]), seed=st.integers(0, 2**32 - 1),
       flips=st.integers(1, 40), cut=st.one_of(st.none(), st.floats(0, 1)))
def test_randomly_damaged_packages(target: Target, base: Path, seed: int, flips: int,
                                   cut: float | None) -> None:
    rng = random.Random(seed)
    data = bytearray(base.read_bytes())
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    if cut is not None:
        data = data[: int(len(data) * cut)]
    path = target.write(_name("damaged", ".apkg"), bytes(data))
    target.check(path, "apkg")


@examples(200)
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 60))
def test_damaged_sqlite_inside_a_sound_zip(target: Target, seed: int, flips: int) -> None:
    rng = random.Random(seed)
    db = bytearray(_LEGACY_DB)
    for _ in range(flips):
        db[rng.randrange(100, len(db))] = rng.randrange(256)
    path = target.write(_name("damaged-db", ".apkg"), _zip([("collection.anki21", bytes(db))]))
    target.check(path, "apkg")


# --------------------------------------------------------------------------
# The figures


def test_fuzz_figures(capsys: pytest.CaptureFixture[str],
                      record_property: object) -> None:
    """Print how many inputs each importer took (run after the fuzz tests above)."""
    lines = [f"  {kind:9} {n:5} inputs, {REFUSED[kind]:5} refused cleanly, "
             f"{n - REFUSED[kind]:4} imported, {SECONDS[kind]:6.1f} s importing"
             for kind, n in sorted(FIGURES.items())]
    summary = "importer fuzzing (inputs per importer):\n" + "\n".join(lines)
    with capsys.disabled():
        print("\n" + summary)
    record_property("fuzz_figures", summary)  # type: ignore[operator]
    if FIGURES:  # not when this test is run on its own
        assert sum(FIGURES.values()) > 0


# --------------------------------------------------------------------------
# Bugs the fuzzing found, kept as plain tests


def test_found_by_fuzzing_deeply_nested_cloze_is_not_a_crash(tmp_path: Path) -> None:
    from quizapp.importers.htmltext import MAX_CLOZE_DEPTH, cloze_card, cloze_ordinals

    # Before: RecursionError escaped the importer (a crash, not a DeckFileError).
    text = "{{c1::" * 5000 + "deep" + "}}" * 5000
    assert cloze_ordinals(text) == [1]
    front, back = cloze_card(text, 1)
    assert front.startswith("[") and back  # the outer deletion is blanked
    # Past MAX_CLOZE_DEPTH the tokens are literal text, as unclosed ones are.
    assert cloze_ordinals("{{c2::" * MAX_CLOZE_DEPTH + "{{c3::x}}" + "}}" * 17) == [2]
    path = tmp_path / "deep.txt"
    path.write_text(f"#separator:tab\n#notetype:Cloze\n{text}\textra\n", encoding="utf-8")
    from quizapp.importers import import_file

    assert len(import_file(path).deck.facts) == 1


def test_found_by_fuzzing_unclosed_clozes_parse_in_linear_time() -> None:
    from quizapp.importers.htmltext import cloze_ordinals

    # Before: quadratic; 100 000 unclosed deletions took minutes (the hang guard fired).
    started = time.perf_counter()
    assert cloze_ordinals("{{c1::" * 200_000 + "x") == []  # unclosed: literal text
    assert time.perf_counter() - started < 60  # a hang guard: quadratic took minutes


def test_found_by_fuzzing_a_note_with_too_many_deletions(tmp_path: Path) -> None:
    from quizapp.importers import import_file
    from quizapp.importers.htmltext import MAX_CLOZE_CARDS

    many = " ".join(f"{{{{c{i}::w{i}}}}}" for i in range(1, MAX_CLOZE_CARDS + 2))
    csv_path = tmp_path / "many.txt"
    csv_path.write_text(f"#separator:tab\n#notetype:Cloze\n{many}\t\nOne {{{{c1::ok}}}}\t\n",
                        encoding="utf-8")
    with pytest.raises(DeckFileError) as err:
        import_file(csv_path)
    assert f"{MAX_CLOZE_CARDS + 1} cloze deletions (at most {MAX_CLOZE_CARDS}" in str(err.value)

    db = tmp_path / "c.anki21"
    db.write_bytes(_LEGACY_DB)
    con = sqlite3.connect(db)
    con.execute("UPDATE notes SET flds = ? || char(31) WHERE guid = 'geo-cloze'", (many,))
    con.commit()
    con.close()
    apkg_path = tmp_path / "many.apkg"
    apkg_path.write_bytes(_zip([("collection.anki21", db.read_bytes())]))
    result = import_file(apkg_path)
    assert any(f"more than {MAX_CLOZE_CARDS} deletions skipped" in n for n in result.notices)
