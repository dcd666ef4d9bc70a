"""A spreadsheet with bad rows: refused whole, or its good rows imported on request.

``quizapp import --skip-bad-rows`` imports the good rows, names each skipped
row on standard error as ``FILE:LINE: field: problem`` and exits 0; with no
good row it exits 2 and stores nothing. Real files, a real SQLite database.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.importers.csvfile import load_delimited
from quizapp.services.imports import bad_rows

ROWS = (
    "Front,Back\n"
    "Capital of France?,Paris\n"
    "Capital of Peru?,\n"  # line 3: no back
    '"Capital of Spain?",Madrid,extra\n'  # line 4: three fields
    "Capital of Italy?,Rome\n"
    "Capital of France?,Paris again\n"  # line 6: the front of line 2 again
    '"Capital of Chile?,Santiago\n'  # line 7: a quote never closed
)


def _decks(capsys: pytest.CaptureFixture[str]) -> dict[str, int]:
    capsys.readouterr()
    assert main(["decks", "--json"]) == 0
    return {d["key"]: d["new"] for d in json.loads(capsys.readouterr().out)["decks"]}


def test_a_bad_row_refuses_the_file_without_the_option(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "capitals.csv"
    path.write_text(ROWS, encoding="utf-8")
    before = _decks(capsys)
    assert main(["import", str(path)]) == 2
    assert capsys.readouterr().err.startswith(f"{path}:7: row: a quoted field is never closed")
    assert _decks(capsys) == before


def test_skip_bad_rows_imports_the_good_rows_and_names_each_bad_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "capitals.csv"
    path.write_text(ROWS, encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "--skip-bad-rows", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{path}:3: back: empty (column 2)",
        f"{path}:4: row: expected 2 fields, found 3",
        f"{path}:6: front: same front as line 2 ('Capital of France?'); make the fronts "
        "differ or add an Id column",
        f'{path}:7: row: a quoted field is never closed (" without its closing ")',
    ]
    assert "2 new facts" in out
    with_facts = load_delimited(path, skip_bad_rows=True).deck
    assert [(f.front, f.back) for f in with_facts.facts] == [
        ("Capital of France?", "Paris"), ("Capital of Italy?", "Rome")]
    assert "capitals" in _decks(capsys)


def test_skip_bad_rows_with_no_good_row_stores_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty-backs.csv"
    path.write_text("Front,Back\nA,\nB,\n", encoding="utf-8")
    before = _decks(capsys)
    assert main(["import", "--skip-bad-rows", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{path}:2: back: empty (column 2)", f"{path}:3: back: empty (column 2)"]
    assert _decks(capsys) == before
    assert bad_rows(path) is None  # nothing to offer: no good row


def test_a_problem_of_the_whole_file_is_never_skipped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("Front,Back\nCaf\xe9,coffee\nTea,th\xe9\n".encode("latin-1"))
    assert main(["import", "--skip-bad-rows", str(path)]) == 2
    assert "latin1" not in _decks(capsys)
    ok = tmp_path / "one-column.csv"
    ok.write_text("just one column\nand another line\n", encoding="utf-8")
    assert main(["import", "--skip-bad-rows", str(ok)]) == 2
    assert bad_rows(ok) is None


def test_the_offer_counts_the_good_and_the_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "capitals.csv"
    path.write_text(ROWS, encoding="utf-8")
    offer = bad_rows(path)
    assert offer is not None
    assert offer.good == 2
    assert [p.line for p in offer.skipped] == [3, 4, 6, 7]
