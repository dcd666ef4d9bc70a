"""Importers on real files: spreadsheet CSV, Quizlet, Anki text, and packages by the real Anki."""

from __future__ import annotations

import hashlib
import io
import json
import random
import shutil
import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from quizapp.facts.deckfile import DeckFileError
from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.importers import (
    ImportResult,
    anki_fact_id,
    deck_id_for,
    detect_and_load,
    detect_format,
    import_file,
    qa_id_for,
    replacement_warnings,
)
from quizapp.importers import apkg as apkg_module
from quizapp.importers.common import MAX_PROBLEMS, RecordProblem
from quizapp.importers.htmltext import cloze_card, cloze_ordinals, html_to_text
from quizapp.services.collection import Collection
from quizapp.storage import repository as repo
from quizapp.storage.models import CardRow, FactRow, ReviewRow

from .conftest import SEED_DECK

FIXTURES = Path(__file__).parent / "fixtures" / "import"
LEGACY = FIXTURES / "anki_legacy.apkg"
CURRENT = FIXTURES / "anki_current.apkg"
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

# What the real Anki fixtures hold (see tests/fixtures/make_anki_fixtures.py).
GEOGRAPHY = [
    ("anki-geo-peru", "Capital of Peru?", "Lima", ("geography", "south-america")),
    (
        anki_fact_id("geo:fr&1"),
        "Capital of France?",
        "Paris\non the Seine",
        ("europe", "geography"),
    ),
    ("anki-geo-nile", "Longest river in Africa?", "The Nile & its delta", ("rivers",)),
    ("anki-geo-flag", "Whose flag is this?\n[image: flag.png]", "Japan's", ("flags",)),
    ("anki-geo-k2", "Second highest mountain?", "K2 (8,611 m)", ()),
    ("anki-geo-everest", "Highest mountain?", "Mount Everest", ("mountains",)),
    ("anki-geo-cloze_c1", "[…] is the capital of Australia.", "Canberra", ("cloze", "geography")),
    (
        "anki-geo-cloze_c2",
        "Canberra is the capital of [country].",
        "Australia",
        ("cloze", "geography"),
    ),
]


def triples(deck: Deck) -> list[tuple[str, str | None, str | None]]:
    return [(f.id, f.front, f.back) for f in deck.facts]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DeckFileError) as info:
        import_file(path)
    lines = [str(p) for p in info.value.problems]
    assert lines, "a refusal names at least one problem"
    return lines


# --------------------------------------------------------------------------
# Spreadsheet CSV, Quizlet and Anki text


def test_libreoffice_csv_with_header_quotes_and_newlines() -> None:
    result = import_file(FIXTURES / "libreoffice.csv")
    deck = result.deck
    assert result.format == "csv"
    assert deck.id == "libreoffice" and deck.name == "libreoffice"
    assert [(f.front, f.back) for f in deck.facts] == [
        ("Capital of Peru?", "Lima"),
        ("Name the three primary colours, in any order.", "Red, yellow and blue"),
        ('Quote: "To be, or not to be"', "Hamlet\nAct 3, Scene 1"),
        ("Symbol for iron?", "Fe"),
        ("Ünïcödé front?", "Ça marche"),
    ]
    assert deck.facts[0].tags == ("geography", "south-america")
    assert deck.facts[3].tags == ()
    assert all(f.kind is FactKind.QA and f.id.startswith("qa-") for f in deck.facts)
    assert deck.facts[0].id == qa_id_for("Capital of Peru?")
    assert result.notices == ()


def test_excel_semicolon_csv_with_bom_and_crlf() -> None:
    deck = detect_and_load(FIXTURES / "excel_semicolon.csv")
    assert [(f.front, f.back) for f in deck.facts] == [
        ("1,5 + 1", "2,5"),
        ("Semicolon; inside", "yes"),
        ("Line one\r\nline two", "two lines"),
        ("Größte Stadt Deutschlands?", "Berlin"),
    ]


def test_quizlet_export_takes_quotes_literally() -> None:
    result = import_file(FIXTURES / "quizlet.txt")
    assert [(f.front, f.back) for f in result.deck.facts] == [
        ("el perro", "the dog"),
        ("la casa", "the house, the home"),
        ('"hola" (informal)', "hello"),
        ("gracias", "thank you"),
    ]
    assert any("quotation marks" in n for n in result.notices)


def test_excel_unicode_text_utf16() -> None:
    deck = detect_and_load(FIXTURES / "excel_unicode.txt")
    assert [(f.front, f.back) for f in deck.facts] == [("Αθήνα", "Athens"), ("東京", "Tokyo")]


def test_anki_headers_set_separator_columns_tags_and_deck() -> None:
    result = import_file(FIXTURES / "anki_headers.txt")
    deck = result.deck
    assert deck.name == "Spanish::Verbs" and deck.id == "spanish-verbs"
    assert [(f.front, f.back, f.tags) for f in deck.facts] == [
        ("hablar", "to speak", ("imported", "spanish", "verb", "ar")),
        ("comer", "to eat", ("imported", "spanish", "verb", "er")),
        ("vivir", "to live", ("imported", "spanish")),
    ]


def test_real_anki_notes_in_plain_text() -> None:
    """The "Notes in Plain Text" export of the real Anki: guid, note type, deck and tags columns."""
    result = import_file(FIXTURES / "anki_notes.txt")
    deck = result.deck
    assert deck.id == "geography" and deck.name == "Geography"
    assert [(f.id, f.front, f.back) for f in deck.facts] == [(i, f, b) for i, f, b, _ in GEOGRAPHY]
    assert deck.facts[0].tags == ("geography", "south-america")
    assert any("image" in n for n in result.notices)
    # The same notes from the package get the same ids: progress follows them.
    assert triples(deck) == triples(import_file(CURRENT).deck)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Capital of Peru?,Lima\nA; B?,C\n", [("Capital of Peru?", "Lima"), ("A; B?", "C")]),
        ("x;1,5\ny;2,5\n", [("x", "1,5"), ("y", "2,5")]),
        ("a\tb, c\nd\te, f\n", [("a", "b, c"), ("d", "e, f")]),
        ("a|b\nc|d\n", [("a", "b"), ("c", "d")]),
        ("one,two\n", [("one", "two")]),
        ("\n\nFront,Back\n\nq,a\n\n", [("q", "a")]),
        ("#separator:Pipe\nx,1|y\n", [("x,1", "y")]),
        ("#separator:;\nx,1;y\n", [("x,1", "y")]),
    ],
)
def test_separator_detection(tmp_path: Path, text: str, expected: list[tuple[str, str]]) -> None:
    deck = detect_and_load(write(tmp_path, "cards.csv", text))
    assert [(f.front, f.back) for f in deck.facts] == expected


@pytest.mark.parametrize(
    "header",
    ["Front,Back", "Question,Answer", "term,definition", "Id,Front,Back,Tags", "Back,Front"],
)
def test_header_rows_are_recognised(tmp_path: Path, header: str) -> None:
    cells = {"front": "Capital of Peru?", "back": "Lima", "id": "peru", "tags": "geo"}
    names = header.split(",")
    role = {"question": "front", "term": "front", "answer": "back", "definition": "back"}
    row = ",".join(cells[role.get(n.lower(), n.lower())] for n in names)
    deck = detect_and_load(write(tmp_path, "cards.csv", f"{header}\n{row}\n"))
    (fact,) = deck.facts
    assert (fact.front, fact.back) == ("Capital of Peru?", "Lima")
    if "Id" in names:
        assert fact.id == "peru" and fact.tags == ("geo",)


def test_unknown_columns_are_ignored_with_a_notice(tmp_path: Path) -> None:
    path = write(tmp_path, "cards.csv", "Front,Back,Notes\nq,a,my note\n")
    result = import_file(path)
    assert triples(result.deck) == [(qa_id_for("q"), "q", "a")]
    assert result.notices == ("columns not imported: Notes",)


def test_spreadsheet_rows_with_trailing_empty_cells(tmp_path: Path) -> None:
    deck = detect_and_load(write(tmp_path, "cards.csv", "q1,a1,,\nq2,a2,,\n"))
    assert [(f.front, f.back) for f in deck.facts] == [("q1", "a1"), ("q2", "a2")]


def test_ids_are_stable_under_case_space_and_html(tmp_path: Path) -> None:
    assert qa_id_for("Capital of <b>Peru</b>?") == qa_id_for("  capital OF\tperu? ")
    assert qa_id_for("Capital of Peru?") != qa_id_for("Capital of Chile?")
    a = detect_and_load(write(tmp_path, "a.csv", "Capital of Peru?,Lima\n"))
    b = detect_and_load(write(tmp_path, "b.csv", "capital of  PERU?,Lima (Peru)\n"))
    assert a.facts[0].id == b.facts[0].id


def test_row_ids_are_the_ones_stored_decks_already_hold() -> None:
    """A row's id is kept in every stored deck: re-importing matches facts by it."""
    assert qa_id_for("Capital of Peru?") == "qa-b9117ee737373865"
    assert qa_id_for("Capital of <b>Peru</b> &amp; Chile?") == "qa-084c037193cb50c0"
    assert qa_id_for("Ça  VA\tbien?") == "qa-3e4f2c63a04cfc0f"
    assert qa_id_for("\u03a9\u0301 x") == "qa-7b8472d0e5c8696f"  # NFC: one letter


def test_anki_fact_ids_are_valid_and_distinct() -> None:
    from quizapp.facts.deckfile import ID_RE

    guids = ["abc", "a-b", "a_b", "a.b", "x", "geo:fr&1", "AbC", "abc_c1", "_", "Ω"]
    ids = {anki_fact_id(g) for g in guids} | {anki_fact_id(g, 1) for g in guids}
    assert len(ids) == 2 * len(guids)
    assert all(ID_RE.match(i) for i in ids)
    assert anki_fact_id("geo-peru") == "anki-geo-peru"
    assert anki_fact_id("geo-peru", 2) == "anki-geo-peru_c2"


def test_deck_ids_from_names() -> None:
    assert deck_id_for("Spanish verbs (A1)") == "spanish-verbs-a1"
    assert deck_id_for("Café") == "cafe"
    assert deck_id_for("Столицы").startswith("deck-")
    assert deck_id_for("Глава 1") != deck_id_for("Урок 1")


def test_progress_is_reported_and_ends_at_total(tmp_path: Path) -> None:
    rows = "".join(f"question {i},answer {i}\n" for i in range(12_000))
    calls: list[tuple[int, int]] = []
    detect_and_load(write(tmp_path, "big.csv", rows), lambda d, t: calls.append((d, t)))
    assert len(calls) >= 3
    assert calls[-1][0] == calls[-1][1]
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_cloze_rows_in_anki_text(tmp_path: Path) -> None:
    text = "#separator:tab\n#html:true\n#notetype:Cloze\n{{c1::Lima}} is in {{c2::Peru}}.\textra\n"
    deck = detect_and_load(write(tmp_path, "cloze.txt", text))
    base = qa_id_for("{{c1::Lima}} is in {{c2::Peru}}.")
    assert triples(deck) == [
        (f"{base}_c1", "[…] is in Peru.", "Lima"),
        (f"{base}_c2", "Lima is in […].", "Peru"),
    ]


# --------------------------------------------------------------------------
# Errors in text files


def test_error_lines_and_fields(tmp_path: Path) -> None:
    text = (
        "Front,Back\n"  # 1
        "Capital of Peru?,Lima\n"  # 2
        '"A question\nover two lines",\n'  # 3-4: empty back, record starts at 3
        ",no front\n"  # 5
        "one,two,three\n"  # 6
        "capital of  PERU?,again\n"  # 7: same front as line 2
    )
    path = write(tmp_path, "cards.csv", text)
    assert problems_of(path) == [
        f"{path}:3: back: empty (column 2)",
        f"{path}:5: front: empty (column 1)",
        f"{path}:6: row: expected 2 fields, found 3",
        f"{path}:7: front: same front as line 2 ('capital of PERU?'); "
        "make the fronts differ or add an Id column",
    ]


def test_duplicate_and_invalid_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "cards.csv", "Id,Front,Back\na,q1,x\nb c,q2,y\na,q3,z\n,q4,w\n")
    assert problems_of(path) == [
        f"{path}:3: id: 'b c': use letters, digits, '-', '_' or '.'",
        f"{path}:4: id: duplicate id 'a' (first used at line 2)",
    ]


def test_undecodable_bytes_name_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "cards.csv", b"Front,Back\nok,fine\ncaf\xe9,coffee\ntea,th\xe9\n")
    assert problems_of(path) == [
        f"{path}:3: front: not valid UTF-8 (byte 0xE9); save the file as UTF-8",
        f"{path}:4: back: not valid UTF-8 (byte 0xE9); save the file as UTF-8",
    ]


def test_undecodable_bytes_far_into_a_file_are_found(tmp_path: Path) -> None:
    """The bytes are checked as the file is first read, a megabyte at a time."""
    rows = b"".join(b"row %d,\xc3\xa9t\xc3\xa9\n" % i for i in range(120_000))  # 1.6 MB
    path = write(tmp_path, "cards.csv", rows + b"caf\xe9,coffee\n" + b"\xe2\x82\xac,euro\n")
    assert problems_of(path) == [
        f"{path}:120001: front: not valid UTF-8 (byte 0xE9); save the file as UTF-8",
    ]
    # A character cut by a megabyte's end is whole: the file is clean.
    head = b"".join(b"q%07d,a\n" % i for i in range(95_000))  # 11 bytes a row
    pad = 1024 * 1024 - 1 - len(head) - 1  # the \xc3 is the megabyte's last byte
    cut = head + b"z" * pad + b",\xc3\xa9\n"
    assert cut[1024 * 1024 - 1] == 0xC3
    facts = detect_and_load(write(tmp_path, "cut.csv", cut)).facts
    assert len(facts) == 95_001 and facts[-1].back == "\u00e9"


def test_rows_get_the_ids_their_fronts_always_had(tmp_path: Path) -> None:
    fronts = ["Capital of Peru?", "  capital OF\tperu? ", "Capital of <b>Chile</b>?",
              "Tom &amp; Jerry?", "Ça va?", "Ω\u0301?", "a\u00a0b?", "x\u2028y?"]
    body = "".join(f'"{f}",back {i}\n' for i, f in enumerate(fronts) if i != 1)
    deck = detect_and_load(write(tmp_path, "cards.csv", body))
    assert [f.id for f in deck.facts] == [qa_id_for(f) for i, f in enumerate(fronts) if i != 1]
    assert deck.facts[0].id == "qa-b9117ee737373865"
    again = detect_and_load(write(tmp_path, "again.csv", f'"{fronts[1]}",other back\n'))
    assert again.facts[0].id == "qa-b9117ee737373865"


def test_unclosed_quote(tmp_path: Path) -> None:
    path = write(tmp_path, "cards.csv", 'q1,a1\nq2,"never closed\nq3,a3\n')
    (line,) = problems_of(path)
    assert line.startswith(f"{path}:2: row: ")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "1: file: the file is empty: nothing to import"),
        (b"  \n\n \r\n", "1: file: the file is empty: nothing to import"),
        (b"Front,Back\n", "1: file: no rows to import (only a header row)"),
        (b"#separator:tab\n#html:false\n", "3: file: no rows to import"),
        (b"just one column\nand another\n", "1: file: no separator found"),
        (b"\x00\x01\x02binary\x00", "1: file: binary data (NUL bytes)"),
        (b"#separator:tab\n#html:maybe\nq\ta\n", "2: html: expected true or false"),
        (b"#separator:tab\n#tags column:9\nq\ta\n", "2: tags column: column 9 does not exist"),
        (b"#separator:tab\n#guid column:1\nabc\tq\n", "3: columns: 2 column(s), none left"),
    ],
)
def test_text_files_with_nothing_to_import(tmp_path: Path, content: bytes, message: str) -> None:
    path = write(tmp_path, "cards.csv", content)
    lines = problems_of(path)
    assert lines[0].startswith(f"{path}:{message}"), lines


def test_many_problems_are_capped(tmp_path: Path) -> None:
    path = write(tmp_path, "cards.csv", "Front,Back\n" + "q,\n" * 500)
    lines = problems_of(path)
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1].endswith("more problem(s) not shown")


@pytest.mark.parametrize("seed", range(20))
def test_binary_garbage_as_csv_never_crashes(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000)))
    path = write(tmp_path, "garbage.csv", data)
    try:
        result = import_file(path)
    except DeckFileError as exc:
        assert all(str(p).startswith(str(path)) for p in exc.problems)
    else:
        assert isinstance(result, ImportResult)


# --------------------------------------------------------------------------
# HTML and cloze


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("Capital of <b>Peru</b>?", "Capital of Peru?"),
        ("<div>Paris</div><div><i>on the Seine</i></div>", "Paris\non the Seine"),
        ("a<br>b<br/><br>c", "a\nb\n\nc"),
        ("x&nbsp;&lt;&nbsp;5 &amp;&amp; y", "x < 5 && y"),
        ("before<script>alert('x')</script>after", "beforeafter"),
        ("<style>.a{color:red}</style>text", "text"),
        ('see <img src="a.png" onerror="alert(1)"> here', "see [image] here"),
        ("say [sound:hello.mp3]", "say [sound]"),
        ("<ul><li>one</li><li>two</li></ul>", "one\ntwo"),
        ("plain < text > with & signs", "plain < text > with & signs"),
        ("a <unclosed", "a <unclosed"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_cloze_blanks_one_deletion_and_reveals_the_others() -> None:
    text = "{{c1::Canberra}} is the capital of {{c2::Australia::country}}; {{c1::it}} is small."
    assert cloze_ordinals(text) == [1, 2]
    assert cloze_card(text, 1) == ("[…] is the capital of Australia; […] is small.", "Canberra; it")
    assert cloze_card(text, 2) == (
        "Canberra is the capital of [country]; it is small.",
        "Australia",
    )


def test_nested_and_unclosed_clozes() -> None:
    text = "{{c1::outer {{c2::inner}} end}} {{c3::open"
    assert cloze_ordinals(text) == [1, 2]
    assert cloze_card(text, 1) == ("[…] {{c3::open", "outer inner end")
    assert cloze_card(text, 2) == ("outer […] end {{c3::open", "inner")


# --------------------------------------------------------------------------
# Anki packages written by the real Anki


@pytest.mark.parametrize("package", [LEGACY, CURRENT], ids=["legacy", "current"])
def test_real_anki_packages(package: Path) -> None:
    calls: list[tuple[int, int]] = []
    result = import_file(package, lambda d, t: calls.append((d, t)))
    assert result.format == "apkg"
    deck = result.deck
    assert deck.id == "geography" and deck.name == "Geography"
    assert [(f.id, f.front, f.back, f.tags) for f in deck.facts] == GEOGRAPHY
    assert all(f.kind is FactKind.QA for f in deck.facts)
    assert calls[-1] == (7, 7)
    assert result.notices == ()
    # The picture the flag note shows comes with it, byte for byte, and only that note names it.
    assert [(m.name, m.mime, m.data) for m in deck.media] == [("flag.png", "image/png", FLAG_PNG)]
    assert {f.id: f.media for f in deck.facts if f.media} == {"anki-geo-flag": ("flag.png",)}


@pytest.mark.parametrize(
    ("html", "text", "names"),
    [
        ('see <img src="a.png" onerror="alert(1)"> here', "see [image: a.png] here", ["a.png"]),
        ('<img alt="Flag of Japan" src="jp.png">', "[image: Flag of Japan]", ["jp.png"]),
        ("say [sound:hello.mp3]", "say [sound: hello.mp3]", ["hello.mp3"]),
        ('<audio src="a b.ogg"></audio>x', "[sound: a b.ogg]x", ["a b.ogg"]),
        ("<img>no source", "[image]no source", []),
    ],
)
def test_media_references_keep_a_text_alternative_and_their_names(
        html: str, text: str, names: list[str]) -> None:
    from quizapp.importers.htmltext import MediaCount

    media = MediaCount(names=[])
    assert html_to_text(html, media) == text
    assert media.names == names


# The 1x1 PNG tests/fixtures/make_anki_fixtures.py stores as flag.png.
FLAG_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_package_members_as_the_real_anki_writes_them() -> None:
    with zipfile.ZipFile(LEGACY) as zf:
        assert {"collection.anki21", "collection.anki2", "media", "meta"} <= set(zf.namelist())
    with zipfile.ZipFile(CURRENT) as zf:
        assert {"collection.anki21b", "collection.anki2", "media", "meta"} <= set(zf.namelist())
        assert zf.read("meta") == b"\x08\x03"


def _legacy_collection(tmp_path: Path) -> Path:
    """The legacy fixture's collection.anki21 as a file to edit."""
    db = tmp_path / "collection.anki21"
    with zipfile.ZipFile(LEGACY) as zf:
        db.write_bytes(zf.read("collection.anki21"))
    return db


def _package(tmp_path: Path, members: dict[str, bytes], name: str = "deck.apkg") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return path


def _edited_package(tmp_path: Path, *sql: str) -> Path:
    db = _legacy_collection(tmp_path)
    conn = sqlite3.connect(db)
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return _package(tmp_path, {"collection.anki21": db.read_bytes(), "media": b"{}"})


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            ["UPDATE notes SET flds = CAST(x'41ff' AS TEXT) WHERE guid = 'geo-nile'"],
            "collection.anki21: notes row 3: flds: text is not UTF-8",
        ),
        (
            ["UPDATE notes SET flds = x'41' WHERE guid = 'geo-nile'"],
            "collection.anki21: notes row 3: flds: expected text, got a blob",
        ),
        (
            ["UPDATE notes SET mid = 'abc' WHERE guid = 'geo-nile'"],
            "collection.anki21: notes row 3: mid: expected an integer, got text",
        ),
        (
            ["UPDATE notes SET mid = 7 WHERE guid = 'geo-k2'"],
            "collection.anki21: notes row 5: mid: no note type with id 7",
        ),
        (
            ["UPDATE notes SET guid = 'geo-peru' WHERE guid = 'geo-k2'"],
            "collection.anki21: notes row 5: guid: same guid 'geo-peru' as notes row 1",
        ),
        (["DELETE FROM notes"], "collection.anki21: notes: notes: the package holds no notes"),
        (
            ["ALTER TABLE notes RENAME TO n2", "CREATE VIEW notes AS SELECT * FROM n2"],
            "collection.anki21: notes: table: missing: not an Anki collection",
        ),
        (["UPDATE col SET models = '{'"], "collection.anki21: col: models: not valid JSON"),
        (
            ["UPDATE col SET models = '[' || replace(hex(zeroblob(5000)), '00', '[') || ']'"],
            "collection.anki21: col: models: not valid JSON",
        ),
    ],
)
def test_damaged_collections_name_member_row_and_field(
    tmp_path: Path, sql: list[str], expected: str
) -> None:
    path = _edited_package(tmp_path, *sql)
    lines = problems_of(path)
    assert lines[0].startswith(f"{path}: {expected}"), lines


def test_notes_without_importable_cards_are_skipped_with_notices(tmp_path: Path) -> None:
    path = _edited_package(
        tmp_path,
        "UPDATE notes SET flds = 'no deletion here' || char(31) WHERE guid = 'geo-cloze'",
        "UPDATE notes SET flds = 'front only' || char(31) || '' WHERE guid = 'geo-k2'",
    )
    result = import_file(path)
    ids = [f.id for f in result.deck.facts]
    assert "anki-geo-k2" not in ids and not any(i.startswith("anki-geo-cloze") for i in ids)
    assert "1 cloze note(s) without deletions skipped" in result.notices
    assert "1 card(s) with an empty front or back skipped" in result.notices


def test_a_package_with_only_unimportable_notes_is_refused(tmp_path: Path) -> None:
    path = _edited_package(tmp_path, "UPDATE notes SET flds = 'x' || char(31) || ''")
    (line,) = problems_of(path)
    assert "no notes quizapp can import" in line


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"media": b"{}"}, "zip: members: no collection.anki21b"),
        ({"meta": b"\x08\x04", "collection.anki21b": b""}, "meta: version: package version 4"),
        ({"meta": b"\x08\x03"}, "collection.anki21b: member: missing"),
        ({"meta": b"\xff"}, "meta: version: damaged"),
        ({"collection.anki21": b"not a database at all" * 100}, "collection.anki21: "),
        ({"collection.anki21b": b"not zstd"}, "collection.anki21b: data: damaged"),
        ({"collection.anki21": b""}, "collection.anki21: data: the member is empty"),
    ],
)
def test_packages_without_a_usable_collection(
    tmp_path: Path, members: dict[str, bytes], expected: str
) -> None:
    path = _package(tmp_path, members)
    lines = problems_of(path)
    assert lines[0].startswith(f"{path}: {expected}"), lines


def test_duplicate_member_names_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.apkg"
    data = (_legacy_collection(tmp_path)).read_bytes()
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("collection.anki21", data)
        with pytest.warns(UserWarning):
            zf.writestr("collection.anki21", b"other")
    (line,) = problems_of(path)
    assert line == f"{path}: collection.anki21: member: appears more than once in the archive"


def test_member_names_are_never_used_as_paths(tmp_path: Path) -> None:
    """Traversal names in the archive are read as data or ignored, never written."""
    work = tmp_path / "work"
    work.mkdir()
    db = _legacy_collection(tmp_path).read_bytes()
    members = {
        "collection.anki21": db,
        "../escaped.txt": b"x",
        "/tmp/absolute.txt": b"x",
        "media": json.dumps({"0": "../../evil.sh"}).encode(),
        "0": b"#!/bin/sh\n",
    }
    path = _package(work, members)
    before = sorted(p for p in tmp_path.rglob("*"))
    deck = detect_and_load(path)
    assert len(deck.facts) == len(GEOGRAPHY)
    assert sorted(p for p in tmp_path.rglob("*")) == before
    assert not Path("/tmp/absolute.txt").exists()


def test_zip_limits_are_checked_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _legacy_collection(tmp_path).read_bytes()
    many = {f"{i}": b"x" for i in range(30)} | {"collection.anki21": db}
    path = _package(tmp_path, many, "many.apkg")
    monkeypatch.setattr(apkg_module, "MAX_MEMBERS", 20)
    (line,) = problems_of(path)
    assert line == f"{path}: zip: members: 31 members (at most 20 are accepted)"

    monkeypatch.setattr(apkg_module, "MAX_MEMBERS", 50_000)
    monkeypatch.setattr(apkg_module, "MAX_TOTAL_UNCOMPRESSED", 1000)
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: zip: size: ")

    bomb = _package(tmp_path, {"collection.anki21": b"\x00" * 5_000_000}, "bomb.apkg")
    monkeypatch.setattr(apkg_module, "MAX_TOTAL_UNCOMPRESSED", 8 * 1024**3)
    monkeypatch.setattr(apkg_module, "RATIO_FLOOR", 1024)
    (line,) = problems_of(bomb)
    assert line.startswith(f"{bomb}: collection.anki21: size: compressed ")

    monkeypatch.setattr(apkg_module, "RATIO_FLOOR", 8 * 1024 * 1024)
    monkeypatch.setattr(apkg_module, "MAX_COLLECTION_BYTES", 1_000_000)
    (line,) = problems_of(bomb)
    assert line.startswith(f"{bomb}: collection.anki21: size: ")


def test_zstd_bomb_is_stopped_while_streaming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zstandard

    # Written as a stream: the frame does not declare its size.
    out = io.BytesIO()
    with zstandard.ZstdCompressor().stream_writer(out, closefd=False) as w:
        w.write(b"\x00" * 20_000_000)
    path = _package(tmp_path, {"meta": b"\x08\x03", "collection.anki21b": out.getvalue()})
    monkeypatch.setattr(apkg_module, "RATIO_FLOOR", 1024 * 1024)
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: collection.anki21b: size: zstd ratio above")
    monkeypatch.setattr(apkg_module, "RATIO_FLOOR", 1 << 40)
    monkeypatch.setattr(apkg_module, "MAX_COLLECTION_BYTES", 4 * 1024 * 1024)
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: collection.anki21b: size: more than")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "zip: file: the file is empty"),
        (b"hello, I am not a zip", "zip: file: not an Anki package"),
        (b"PK\x03\x04" + b"\x00" * 100, "zip: file: damaged zip archive"),
    ],
)
def test_not_a_package(tmp_path: Path, content: bytes, expected: str) -> None:
    path = write(tmp_path, "deck.apkg", content)
    assert problems_of(path) == [f"{path}: {expected}"] or problems_of(path)[0].startswith(
        f"{path}: {expected}"
    )


@pytest.mark.parametrize("package", [LEGACY, CURRENT], ids=["legacy", "current"])
@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.5, 0.9, 0.99, 0.9995])
def test_truncated_packages(tmp_path: Path, package: Path, fraction: float) -> None:
    data = package.read_bytes()
    path = write(tmp_path, "cut.apkg", data[: int(len(data) * fraction)])
    lines = problems_of(path)
    assert all(line.startswith(f"{path}: ") for line in lines)


@pytest.mark.parametrize("package", [LEGACY, CURRENT], ids=["legacy", "current"])
@pytest.mark.parametrize("seed", range(15))
def test_corrupted_packages_never_crash(tmp_path: Path, package: Path, seed: int) -> None:
    """Flipped bytes in the archive, and in the collection inside a valid archive."""
    rng = random.Random(seed)
    data = bytearray(package.read_bytes())
    for _ in range(rng.randrange(1, 20)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    outer = write(tmp_path, "flipped.apkg", bytes(data))
    with zipfile.ZipFile(package) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    name = "collection.anki21b" if "collection.anki21b" in members else "collection.anki21"
    if name.endswith("b"):
        import zstandard

        inner = bytearray(zstandard.ZstdDecompressor().stream_reader(members[name]).read())
    else:
        inner = bytearray(members[name])
    for _ in range(rng.randrange(1, 40)):
        inner[rng.randrange(100, len(inner))] = rng.randrange(256)
    if name.endswith("b"):
        members[name] = zstandard.ZstdCompressor().compress(bytes(inner))
    else:
        members[name] = bytes(inner)
    rezipped = _package(tmp_path, members, "inner.apkg")
    for path in (outer, rezipped):
        try:
            result = import_file(path)
        except DeckFileError as exc:
            assert all(str(p).startswith(f"{path}: ") for p in exc.problems)
            assert all(isinstance(p, RecordProblem) for p in exc.problems)
        else:
            assert result.deck.facts


# --------------------------------------------------------------------------
# Choosing the importer


def test_format_detection(tmp_path: Path) -> None:
    assert detect_format(SEED_DECK) == ("toml", [])
    assert detect_format(LEGACY) == ("apkg", [])
    assert detect_format(FIXTURES / "quizlet.txt") == ("csv", [])
    no_ext = tmp_path / "deck"
    shutil.copy(SEED_DECK, no_ext)
    assert detect_format(no_ext) == ("toml", [])
    shutil.copy(CURRENT, no_ext)
    assert detect_format(no_ext) == ("apkg", [])
    no_ext.write_text("a,b\n")
    assert detect_format(no_ext) == ("csv", [])
    renamed = tmp_path / "deck.csv"
    shutil.copy(CURRENT, renamed)
    result = import_file(renamed)
    assert result.format == "apkg" and "zip archive" in result.notices[0]


def test_native_deck_files_are_delegated() -> None:
    result = import_file(SEED_DECK)
    assert result.format == "toml" and result.deck.id == "seed" and result.notices == ()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("sheet.xlsx", b"PK\x03\x04", "1: file: a spreadsheet workbook (.xlsx)"),
        ("coll.anki2", b"SQLite format 3\x00" + b"\x00" * 100, "1: file: an SQLite database"),
        ("missing.csv", None, "1: file: no such file"),
    ],
)
def test_unsupported_files(tmp_path: Path, name: str, content: bytes | None, expected: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    (line,) = problems_of(path)
    assert line.startswith(f"{path}:{expected}")


def test_replacement_warnings() -> None:
    seed = detect_and_load(SEED_DECK)
    qa = Deck("seed", "x", facts=(Fact("qa-1", FactKind.QA, front="q", back="a"),))
    warnings = replacement_warnings(seed, qa)
    assert len(warnings) == 2 and "retire all its" in warnings[0]
    assert replacement_warnings(None, qa) == []
    assert replacement_warnings(seed, seed) == []


# --------------------------------------------------------------------------
# Into the collection: updates keep progress, refusals write nothing


def _digest(db_file: Path) -> str:
    conn = sqlite3.connect(db_file)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


def test_reimporting_an_edited_csv_keeps_progress(tmp_path: Path, db_url: str) -> None:
    path = tmp_path / "capitals.csv"
    path.write_text("Front,Back\nPeru?,Lima\nChile?,Santiago\nFrance?,Paris\n")
    with Collection.open(db_url) as col:
        first = col.import_deck(detect_and_load(path))
        assert (first.added, first.retired) == (3, 0)
        with col.transaction() as s:
            ids = repo.fact_ids_by_key(s, first.deck_id)
            card = s.exec(
                select(CardRow).where(
                    CardRow.fact_id == ids[qa_id_for("Peru?")], CardRow.family == "recognise"
                )
            ).one()
            card.state, card.stability, card.difficulty, card.reps = 2, 12.5, 4.0, 3
            card.due = card.last_review = NOW
            s.add(card)
            s.flush()
            assert card.id is not None
            s.add(
                ReviewRow(
                    card_id=card.id,
                    profile_id=card.profile_id,
                    reviewed_at=NOW,
                    study_day=19844,
                    rating=3,
                    correct=True,
                )
            )
            kept_card = card.id

        # One row changed (Peru's back), one removed (Chile), one added (Japan).
        path.write_text("Front,Back\nPeru?,Lima (capital)\nFrance?,Paris\nJapan?,Tokyo\n")
        second = col.import_deck(detect_and_load(path))
        assert second.deck_id == first.deck_id
        assert (second.added, second.updated, second.retired) == (1, 2, 1)
        with col.session() as s:
            card = s.get(CardRow, kept_card)
            assert card is not None
            assert (card.state, card.stability, card.reps) == (2, 12.5, 3)
            assert len(s.exec(select(ReviewRow).where(ReviewRow.card_id == kept_card)).all()) == 1
            rows = {
                r.key: r for r in s.exec(select(FactRow).where(FactRow.deck_id == first.deck_id))
            }
            assert rows[qa_id_for("Peru?")].back == "Lima (capital)"
            assert rows[qa_id_for("Peru?")].retired is False
            assert rows[qa_id_for("Chile?")].retired is True
            assert rows[qa_id_for("Japan?")].retired is False
        deck = col.load_deck("capitals")
        assert [f.front for f in deck.facts] == ["Peru?", "France?", "Japan?"]


def test_reimporting_an_anki_package_keeps_progress(db_url: str) -> None:
    with Collection.open(db_url) as col:
        first = col.import_deck(detect_and_load(LEGACY))
        second = col.import_deck(detect_and_load(CURRENT))
        assert second.deck_id == first.deck_id
        assert (second.added, second.updated, second.retired) == (0, len(GEOGRAPHY), 0)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.csv", b""),
        ("garbage.csv", bytes(range(256)) * 8),
        ("bad.csv", b"Front,Back\nq1,a1\nq2,\n"),
        ("empty.apkg", b""),
        ("garbage.apkg", bytes(range(256)) * 8),
        ("cut.apkg", LEGACY.read_bytes()[:40_000]),
        ("bad.toml", b"format = 1\nid = 'x'\n"),
    ],
)
def test_a_refused_import_writes_nothing(
    tmp_path: Path, db_url: str, name: str, content: bytes
) -> None:
    with Collection.open(db_url) as col:
        col.import_deck(detect_and_load(FIXTURES / "libreoffice.csv"))
    db_file = Path(db_url.removeprefix("sqlite:///"))
    before = _digest(db_file)
    path = write(tmp_path, name, content)
    with Collection.open(db_url) as col, pytest.raises(DeckFileError):
        col.import_deck(detect_and_load(path))
    assert _digest(db_file) == before


# --------------------------------------------------------------------------
# Packages the installed Anki writes now (CI installs anki; elsewhere it may be absent)


def _fixture_builder() -> object:
    import importlib.util
    import os

    try:
        import anki.collection  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("the anki package is not installed (pip install anki==26.9.3)")
    spec = importlib.util.spec_from_file_location(
        "make_anki_fixtures", Path(__file__).parent / "fixtures" / "make_anki_fixtures.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_packages_written_by_the_installed_anki(tmp_path: Path) -> None:
    """The fixture script run now, plus a whole-collection backup (.colpkg)."""
    builder = _fixture_builder()
    from anki.collection import Collection as AnkiCollection

    col = AnkiCollection(str(tmp_path / "collection.anki2"))
    try:
        written = builder.write_packages(col, builder.build(col), tmp_path)  # type: ignore[attr-defined]
        colpkg = tmp_path / "backup.colpkg"
        col.export_collection_package(str(colpkg), include_media=True, legacy=False)
    finally:
        if col.db is not None:
            col.close()
    for path in [*written, colpkg]:
        result = import_file(path)
        assert [(f.id, f.front, f.back) for f in result.deck.facts] == [
            (i, f, b) for i, f, b, _ in GEOGRAPHY
        ], path
        assert result.deck.id == "geography"
