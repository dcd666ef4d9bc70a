"""Importing over a stored deck: the command line and the service refuse alike.

A file that shares a stored deck's id but would retire most of its facts is
refused with the reasons and nothing stored; ``--replace`` (``replace=True``)
goes ahead, and retired facts keep their history. The GUI's menu import uses
the same service (tests/gui/test_main_window.py).
"""

from __future__ import annotations

import shutil
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
        f"{short}:1: deck: add --replace to import anyway, or --as-new to keep it as a "
            "separate deck",
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


# --------------------------------------------------------------------------
# Importing again: a file that matches a stored deck updates it


def _decks(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    import json

    capsys.readouterr()
    assert main(["decks", "--json"]) == 0
    decks: list[dict[str, object]] = json.loads(capsys.readouterr().out)["decks"]
    return decks


def _reviews(home: Path) -> int:
    import sqlite3

    with sqlite3.connect(home / "quizapp.sqlite3") as conn:
        count: int = conn.execute("SELECT count(*) FROM review").fetchone()[0]
    return count


def _answer_one(deck_key: str) -> None:
    from datetime import UTC, datetime

    from quizapp.services.decks import profile_decks
    from quizapp.study.session import StudySession

    with Collection.open() as col:
        profile = col.profile()
        assert profile.id is not None
        deck = next(d for d in profile_decks(col, profile.id)[0] if d.key == deck_key)
        session = StudySession(col, profile.id, deck_id=deck.id)
        now = datetime(2026, 3, 2, 9, tzinfo=UTC)
        q = session.next_question(now)
        assert q is not None
        session.answer(q, q.answers[0], now, 3000)


def test_an_exported_package_imported_again_updates_its_deck_and_keeps_progress(
        tmp_path: Path, quizapp_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = deck_file(tmp_path / "capitals.toml", range(5))
    assert main(["import", str(path)]) == 0
    _answer_one("capitals")
    assert _reviews(quizapp_home) == 1
    package = tmp_path / "Capitals export.apkg"
    assert main(["export", "capitals", str(package)]) == 0
    before = _decks(capsys)
    assert main(["import", str(package)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Updated deck 'capitals' (Capitals): 0 new facts, 5 updated")
    assert _decks(capsys) == before
    assert _reviews(quizapp_home) == 1


def test_a_deck_file_with_a_new_id_but_the_same_name_and_article_updates_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import SEED_DECK

    text = SEED_DECK.read_text(encoding="utf-8")
    shutil.copy(SEED_DECK.parent / "article.txt", tmp_path / "article.txt")
    copy = tmp_path / "copy.toml"
    copy.write_text(text.replace('id = "seed"', 'id = "peacekeepers"', 1), encoding="utf-8")
    before = _decks(capsys)
    assert main(["import", str(copy)]) == 0
    assert capsys.readouterr().out.startswith("Updated deck 'seed'")
    assert _decks(capsys) == before
    # --as-new keeps it apart, under a name no deck has.
    assert main(["import", "--as-new", str(copy)]) == 0
    assert main(["import", "--as-new", str(copy)]) == 0
    names = {d["key"]: d["name"] for d in _decks(capsys)}
    seed_name = names["seed"]
    assert names["peacekeepers"] == f"{seed_name} (2)"
    assert names["peacekeepers-2"] == f"{seed_name} (3)"


def test_the_same_name_from_another_article_is_a_new_deck_with_a_distinct_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from .conftest import SEED_DECK

    text = SEED_DECK.read_text(encoding="utf-8")
    article = (SEED_DECK.parent / "article.txt").read_text(encoding="utf-8")
    (tmp_path / "article.txt").write_text(article + "\nAnother report.\n", encoding="utf-8")
    other = text.replace('id = "seed"', 'id = "other"', 1)
    path = tmp_path / "other.toml"
    path.write_text(other, encoding="utf-8")
    seed_name = {d["key"]: d["name"] for d in _decks(capsys)}["seed"]
    assert main(["import", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("Imported deck 'other'")
    assert f"exists already: stored as \u201c{seed_name} (2)\u201d" in captured.err
    names = {d["key"]: d["name"] for d in _decks(capsys)}
    assert names == {"seed": seed_name, "other": f"{seed_name} (2)"}


def test_the_fact_decks_own_package_is_refused_over_it_and_kept_apart_with_as_new(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    package = tmp_path / "seed.apkg"
    assert main(["export", "seed", str(package)]) == 0
    before = _decks(capsys)
    assert main(["import", str(package)]) == 2  # its notes would retire the deck's facts
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == (f"{package}:1: deck: add --replace to import anyway, "
                       "or --as-new to keep it as a separate deck")
    assert _decks(capsys) == before
    assert main(["import", "--as-new", str(package)]) == 0
    decks = _decks(capsys)
    assert len(decks) == 2
    assert len({d["name"] for d in decks}) == 2


@pytest.mark.both_backends
def test_matching_reads_names_and_sources_on_both_backends(tmp_path: Path, db_url: str) -> None:
    """The same article under a new id updates its deck; another article of the same
    name, or --as-new, is a separate deck with a distinct name (SQLite and PostgreSQL)."""
    import dataclasses

    from quizapp.facts.deckfile import load_deck_file
    from quizapp.services.imports import deck_from_source, matching_deck, store_loaded

    from .conftest import SEED_DECK

    seed = load_deck_file(SEED_DECK)
    with Collection.open(db_url) as col:
        assert matching_deck(col, dataclasses.replace(seed, id="renamed")) == "seed"
        assert deck_from_source(col, seed.sources[0]) == ("seed", seed.name)
        other_text = dataclasses.replace(seed.sources[0], text=seed.sources[0].text + " More.",
                                         url=None)
        other = dataclasses.replace(seed, id="other", sources=(other_text,))
        assert matching_deck(col, other) is None
        assert deck_from_source(col, other_text) is None
        outcome = store_loaded(col, tmp_path / "x.toml", dataclasses.replace(seed, id="copy"),
                               as_new=True)
        assert (outcome.deck_key, outcome.deck_name, outcome.matched) == (
            "copy", f"{seed.name} (2)", False)
