"""Importing over a stored deck: the command line and the service refuse alike.

A file that shares a stored deck's id but would retire most of its facts is
refused with the reasons and nothing stored; ``--replace`` (``replace=True``)
goes ahead, and retired facts keep their history. The GUI's menu import uses
the same service (tests/gui/test_main_window.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.services.collection import Collection
from quizapp.services.imports import ReplacementRefusedError, import_path


def deck_file(path: Path, fact_ids: range, *, deck_id: str = "capitals") -> Path:
    facts = "".join(
        f'[[facts]]\nid = "qa-{i}"\nkind = "qa"\nfront = "Capital number {i}?"\n'
        f'back = "City {i}"\n' for i in fact_ids)
    path.write_text(f'format = 1\nid = "{deck_id}"\nname = "Capitals"\n{facts}',
                    encoding="utf-8")
    return path


def active_facts(deck_key: str) -> int:
    with Collection.open() as col:
        return sum(1 for _ in col.load_deck(deck_key).facts)


def test_cli_refuses_a_file_that_would_retire_most_of_a_deck(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(deck_file(tmp_path / "full.toml", range(10)))]) == 0
    short = deck_file(tmp_path / "short.toml", range(3))
    capsys.readouterr()
    assert main(["import", str(short)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{short}:1: deck: importing would retire 7 of the 10 facts of deck 'capitals' "
        "(Capitals)",
        f"{short}:1: deck: add --replace to import anyway",
    ]
    assert active_facts("capitals") == 10
    assert main(["import", "--replace", str(short)]) == 0
    assert "7 retired" in capsys.readouterr().out
    assert active_facts("capitals") == 3


def test_the_service_refuses_and_stores_nothing_then_replaces(tmp_path: Path) -> None:
    with Collection.open() as col:
        first = import_path(col, deck_file(tmp_path / "a.toml", range(6)))
        assert (first.added, first.retired) == (6, 0)
        other = deck_file(tmp_path / "b.toml", range(100, 104))
        with pytest.raises(ReplacementRefusedError) as refused:
            import_path(col, other)
        assert refused.value.warnings == [
            "deck 'capitals' (Capitals) exists and shares no fact with this file: "
            "importing would retire all its 6 facts"]
        assert len(col.load_deck("capitals").facts) == 6
        done = import_path(col, other, replace=True)
        assert (done.added, done.retired) == (4, 6)


def test_an_update_that_keeps_most_facts_is_not_refused(tmp_path: Path) -> None:
    with Collection.open() as col:
        import_path(col, deck_file(tmp_path / "a.toml", range(10)))
        update = import_path(col, deck_file(tmp_path / "b.toml", range(4, 12)))
        assert (update.added, update.updated, update.retired) == (2, 6, 4)
