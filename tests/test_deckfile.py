"""Bad deck files are refused with precise, correctly numbered messages, and nothing is stored."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.config import app_home
from quizapp.facts.deckfile import DeckFileError, load_deck_file

ARTICLE = "On March 3, 2021, the council approved 12 new parks. “We are proud,” said Mayor Ann Lee."

GOOD = """\
format = 1
id = "parks"
name = "City parks"

[[sources]]
id = "news"
title = "Council approves parks"
file = "news.txt"
published = "2021-03"

[[facts]]
id = "d-approval"
kind = "date"
source = "news"
text = "March 3, 2021"
value = "2021-03-03"
stem = "When did the council approve the new parks?"
event = "Parks approved"

[[facts]]
id = "n-parks"
kind = "number"
source = "news"
text = "12"
start = 39
end = 41
value = 12
counts = "new parks approved"
stem = "How many new parks did the council approve?"

[[facts]]
id = "q-lee"
kind = "quote"
source = "news"
text = "We are proud,"
speaker = "Ann Lee"
role = "Mayor"

[[facts]]
id = "qa-1"
kind = "qa"
front = "Capital of Peru?"
back = "Lima"
"""


def write_deck(tmp_path: Path, body: str, name: str = "deck.toml") -> Path:
    (tmp_path / "news.txt").write_text(ARTICLE, encoding="utf-8")
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DeckFileError) as info:
        load_deck_file(path)
    return [str(p) for p in info.value.problems]


def test_good_deck_loads(tmp_path: Path) -> None:
    deck = load_deck_file(write_deck(tmp_path, GOOD))
    assert [f.id for f in deck.facts] == ["d-approval", "n-parks", "q-lee", "qa-1"]
    parks = deck.fact("n-parks")
    assert ARTICLE[parks.start : parks.end] == "12"  # type: ignore[misc]
    date = deck.fact("d-approval")
    assert (date.start, date.end) == (3, 16)
    assert date.sentence == "On March 3, 2021, the council approved 12 new parks."
    assert deck.fact("q-lee").sentence == "“We are proud,” said Mayor Ann Lee."


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # unknown field, on its own line
        (
            'event = "Parks approved"',
            'event = "Parks approved"\nvaule = 3',
            "deck.toml:19: vaule: unknown field for a date fact",
        ),
        # wrong type
        ("value = 12", 'value = "twelve"', "deck.toml:27: value: expected a number, got string"),
        # span that does not match its text
        (
            "start = 39",
            "start = 38",
            "deck.toml:25: start: span 38..41 holds ' 12', not the fact's text '12'",
        ),
        # duplicate id
        (
            'id = "q-lee"',
            'id = "n-parks"',
            "deck.toml:32: id: duplicate id 'n-parks' (first used at line 21)",
        ),
        # bad date value
        (
            'value = "2021-03-03"',
            'value = "2021-02-30"',
            "deck.toml:16: value: expected a date as YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD",
        ),
        # unknown kind
        ('kind = "quote"', 'kind = "saying"', "deck.toml:33: kind: unknown kind 'saying'"),
        # text not in the article
        (
            'text = "March 3, 2021"',
            'text = "March 4, 2021"',
            "deck.toml:15: text: 'March 4, 2021' does not occur in source 'news'",
        ),
        # source that does not exist
        (
            'source = "news"\ntext = "12"',
            'source = "paper"\ntext = "12"',
            "deck.toml:23: source: no source with id 'paper' in this deck",
        ),
        # missing required key
        (
            'stem = "When did the council approve the new parks?"\n',
            "",
            "deck.toml:11: stem: missing (required for a date fact)",
        ),
        # TOML syntax error
        ('name = "City parks"', 'name = "City parks', "deck.toml:3: toml:"),
        # wrong type of a boolean
        (
            'role = "Mayor"',
            'role = "Mayor"\nreported = "no"',
            "deck.toml:38: reported: expected boolean, got string",
        ),
    ],
)
def test_bad_deck_messages(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD
    path = write_deck(tmp_path, GOOD.replace(old, new, 1))
    found = problems_of(path)
    assert any(p.startswith(f"{tmp_path}/{expected}") for p in found), found


def test_several_problems_all_reported_in_line_order(tmp_path: Path) -> None:
    body = GOOD.replace("value = 12", "value = true").replace('front = "Capital', 'frnt = "Capital')
    found = problems_of(write_deck(tmp_path, body))
    lines = [int(p.split(":")[1]) for p in found]
    assert lines == sorted(lines) and len(found) >= 3, found
    assert any(":27: value: expected a number, got boolean" in p for p in found)
    assert any(":42: frnt: unknown field for a qa fact" in p for p in found)
    assert any(":39: front: missing" in p for p in found)


def test_multiline_strings_do_not_confuse_line_numbers(tmp_path: Path) -> None:
    body = (
        GOOD.replace("description_placeholder", "")
        .replace(
            'name = "City parks"',
            'name = "City parks"\ndescription = """\nid = "not a key"\n[[facts]]\n"""',
        )
        .replace("value = 12", "value = []")
    )
    found = problems_of(write_deck(tmp_path, body))
    assert any(":31: value: expected a number, got array" in p for p in found), found


def test_unreadable_source_and_bad_utf8(tmp_path: Path) -> None:
    path = write_deck(tmp_path, GOOD.replace('file = "news.txt"', 'file = "missing.txt"'))
    found = problems_of(path)
    assert any(":8: sources.file: cannot read 'missing.txt'" in p for p in found), found
    bad = tmp_path / "bad.toml"
    bad.write_bytes(GOOD.encode() + b"\n# \xff\xfe\n")
    assert any(":45: file: not valid UTF-8" in p for p in problems_of(bad))


def _db_digest() -> str:
    path = app_home() / "quizapp.sqlite3"
    con = sqlite3.connect(path)
    try:
        rows = [
            con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
            for t in ("deck", "source", "fact", "card", "profile", "review")
        ]
    finally:
        con.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_cli_import_refuses_bad_file_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_deck(tmp_path, GOOD)
    assert main(["import", str(good)]) == 0
    assert "Imported deck 'parks'" in capsys.readouterr().out
    before = _db_digest()
    bad = write_deck(
        tmp_path,
        GOOD.replace('id = "parks"', 'id = "parks2"').replace("start = 39", "start = 40"),
        name="bad.toml",
    )
    assert main(["import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{bad}:25: start: span 40..41")
    assert "Traceback" not in err
    assert _db_digest() == before
    missing = tmp_path / "nope.toml"
    assert main(["import", str(missing)]) == 2
    assert capsys.readouterr().err.startswith(f"{missing}:1: file: no such file")
    assert _db_digest() == before


def test_deck_with_no_facts_is_an_error(tmp_path: Path) -> None:
    body = GOOD.split("[[facts]]")[0]
    found = problems_of(write_deck(tmp_path, body))
    assert any(": facts: missing" in p for p in found), found


SPEAKERS = """
[[speakers]]
name = "City Hall"
aliases = ["the council"]

[[speakers]]
name = "Ann Lee"
speaks_for = ["City Hall"]
"""


def test_speakers_load_with_aliases_and_speaks_for(tmp_path: Path) -> None:
    deck = load_deck_file(write_deck(tmp_path, GOOD + SPEAKERS))
    assert [(s.name, s.aliases, s.speaks_for) for s in deck.speakers] == [
        ("City Hall", ("the council",), ()),
        ("Ann Lee", (), ("City Hall",)),
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('speaks_for = ["City Hall"]', 'speaks_for = ["Town Hall"]',
         "deck.toml:51: speakers.speaks_for: 'Town Hall' is no speaker of this deck"),
        ('speaks_for = ["City Hall"]', 'speaks_for = ["Ann Lee"]',
         "deck.toml:51: speakers.speaks_for: 'Ann Lee' cannot speak for itself"),
        ('speaks_for = ["City Hall"]', 'speaks_for = "City Hall"',
         "deck.toml:51: speakers.speaks_for: expected array of strings, got string"),
        ('aliases = ["the council"]', 'aliases = ["the council"]\nvoice = "x"',
         "deck.toml:48: speakers.voice: unknown field"),
        ('name = "Ann Lee"', 'name = "The Council"',
         "deck.toml:50: speakers.name: 'The Council' already names the speaker at line 45"),
        ('name = "Ann Lee"\n', "",
         "deck.toml:49: speakers.name: missing (required)"),
        ('name = "City Hall"\naliases = ["the council"]',
         'name = "City Hall"\naliases = ["the council"]\nspeaks_for = ["Ann Lee"]',
         "deck.toml:48: speakers.speaks_for: 'City Hall' speaks for a speaker that speaks for it"),
    ],
)
def test_bad_speakers_messages(tmp_path: Path, old: str, new: str, expected: str) -> None:
    body = GOOD + SPEAKERS
    assert old in body
    found = problems_of(write_deck(tmp_path, body.replace(old, new, 1)))
    assert any(p.startswith(f"{tmp_path}/{expected}") for p in found), found


def test_fact_json_lists_the_speakers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["facts", str(write_deck(tmp_path, GOOD + SPEAKERS)), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["deck", "sources", "speakers", "facts"]
    assert data["speakers"] == [
        {"name": "City Hall", "aliases": ["the council"], "speaks_for": []},
        {"name": "Ann Lee", "aliases": [], "speaks_for": ["City Hall"]},
    ]
    assert main(["facts", str(write_deck(tmp_path, GOOD, "plain.toml")), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["speakers"] == []
