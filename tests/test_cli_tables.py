"""The command line's tables: columns line up whatever the ids and names, and names
cannot drive the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.terminal import shown, table


def test_columns_are_as_wide_as_their_widest_cell() -> None:
    lines = table(("Id", "Deck", "New"), [("a", "Short", 5), ("a-much-longer-id", "B", 120)],
                  right=frozenset({2}))
    assert lines == [
        "Id                Deck   New",
        "a                 Short    5",
        "a-much-longer-id  B      120",
    ]


def test_control_codes_are_shown_not_obeyed() -> None:
    assert shown("red\x1b[31m name\u202e") == "red\\x1b[31m name\\u202e"


def test_quizapp_decks_lines_up_long_ids(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "long.toml"
    deck.write_text(
        'format = 1\nid = "a-deck-id-longer-than-twenty-characters"\n'
        'name = "A deck whose name is longer than fifty characters, as names can be"\n'
        '[[facts]]\nid = "qa-1"\nkind = "qa"\nfront = "Capital of Peru?"\nback = "Lima"\n',
        encoding="utf-8")
    assert main(["import", str(deck)]) == 0
    capsys.readouterr()
    assert main(["decks"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Id", "Deck", "New", "Learning", "Review"]
    ends = {len(line) for line in lines}
    assert len(ends) == 1, lines  # every row ends at the Review column's right edge
    second = [line.split("  ")[0].strip() for line in lines[1:]]
    assert "a-deck-id-longer-than-twenty-characters" in second
