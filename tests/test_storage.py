"""Storage on real SQLite files: settings, decks, profiles, cards and updates that keep progress."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from quizapp.config import app_home, database_url
from quizapp.facts.deckfile import load_deck_file
from quizapp.services.collection import Collection
from quizapp.storage import repository as repo
from quizapp.storage.db import SQLITE_CACHE_KIB, DatabaseError, open_database
from quizapp.storage.models import CardRow, FactRow, ProfileRow, ReviewRow

from .conftest import SEED_DECK

# Tests taking db_url run on SQLite and, when a server is given, on PostgreSQL.
pytestmark = pytest.mark.both_backends

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_default_database_lives_in_quizapp_home(quizapp_home: Path) -> None:
    assert app_home() == quizapp_home
    assert database_url() == f"sqlite:///{quizapp_home / 'quizapp.sqlite3'}"


def test_first_start_creates_profile_and_seed_deck(db_url: str) -> None:
    with Collection.open(db_url) as col, col.session() as s:
        profiles = repo.list_profiles(s)
        assert [p.name for p in profiles] == ["Student"]
        deck = repo.load_deck(s, "seed", include_held=True)
        assert len(deck.facts) == len(load_deck_file(SEED_DECK).facts)
        cards = s.exec(select(CardRow)).all()
        # one card (memory) per fact a question can ask: four quotes of the seed have none
        asked = [f for f in deck.facts if f.hold is None]
        assert len(cards) == len(asked) == len(deck.facts) - 4
        assert {c.family for c in cards} == {"recognise"}  # new: first asked to recognise
    # A second start adds nothing.
    with Collection.open(db_url) as col, col.session() as s:
        assert len(repo.list_profiles(s)) == 1
        assert len(s.exec(select(CardRow)).all()) == len(asked)


@pytest.mark.sqlite_only
def test_sqlite_settings(db_url: str, tmp_path: Path) -> None:
    with Collection.open(db_url) as col, col.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA cache_size")).scalar() == -SQLITE_CACHE_KIB
        indexes = {r[1] for r in conn.execute(text("PRAGMA index_list(card)"))}
        assert "ix_card_due" in indexes
        review_indexes = {r[1] for r in conn.execute(text("PRAGMA index_list(review)"))}
        assert {"ix_review_day_cover", "ix_review_card_cover"} <= review_indexes
        # schema 8: the indexes others made redundant are gone
        assert not {"ix_review_profile_day", "ix_review_card"} & review_indexes
        assert "ix_card_deck_id" not in indexes
    assert (tmp_path / "quizapp.sqlite3").exists()


def test_foreign_keys_are_enforced(db_url: str) -> None:
    with Collection.open(db_url) as col, pytest.raises(IntegrityError), col.transaction() as s:
        s.add(CardRow(profile_id=999, fact_id=999, deck_id=999, family="recall"))


def test_times_come_back_aware_utc(db_url: str) -> None:
    with Collection.open(db_url) as col:
        with col.transaction() as s:
            card = s.exec(select(CardRow)).first()
            assert card is not None
            card.due = datetime(2024, 5, 1, 14, 0, tzinfo=UTC) + timedelta(hours=0)
            card.last_review = NOW.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Yerevan"))
            card_id = card.id
        with col.session() as s:
            again = s.get(CardRow, card_id)
            assert again is not None and again.due is not None
            assert again.due.tzinfo is not None and again.due.utcoffset() == timedelta(0)
            assert again.last_review == NOW
            with pytest.raises(Exception, match="naive"):
                again.due = datetime(2024, 5, 1)
                s.commit()


def test_reimport_keeps_progress_and_retires_removed_facts(db_url: str) -> None:
    deck = load_deck_file(SEED_DECK)
    with Collection.open(db_url) as col:
        with col.transaction() as s:
            profile = repo.list_profiles(s)[0]
            heli = s.exec(select(FactRow).where(FactRow.key == "n-helicopters")).one()
            card = s.exec(select(CardRow).where(CardRow.fact_id == heli.id)).first()
            assert card is not None
            card.state, card.reps, card.due, card.stability = 2, 3, NOW, 12.5
            s.add(
                ReviewRow(
                    card_id=card.id,
                    profile_id=profile.id,
                    reviewed_at=NOW,
                    study_day=19844,
                    kind="study",
                    rating=3,
                    correct=True,
                )
            )
            card_id = card.id
        kept = [f for f in deck.facts if f.id != "p-tokayev"]
        changed = [
            dataclasses.replace(f, stem="How many helicopters reached Karabakh?")
            if f.id == "n-helicopters"
            else f
            for f in kept
        ]
        newer = dataclasses.replace(
            deck, facts=(*changed, dataclasses.replace(deck.fact("n-apcs"), id="n-apcs-copy"))
        )
        result = col.import_deck(newer)
        assert (result.added, result.retired) == (1, 1)
        assert result.cards_created == 1  # one card for the one new fact
        with col.session() as s:
            card2 = s.get(CardRow, card_id)
            assert card2 is not None and (card2.reps, card2.stability) == (3, 12.5)
            assert len(s.exec(select(ReviewRow)).all()) == 1
            stored = repo.load_deck(s, "seed")
            assert stored.fact("n-helicopters").stem == "How many helicopters reached Karabakh?"
            assert "p-tokayev" not in {f.id for f in stored.facts}
            retired = s.exec(select(FactRow).where(FactRow.key == "p-tokayev")).one()
            assert retired.retired
            # Cards of a retired fact are kept (with their history) but not counted.
            counts = repo.card_counts(s, profile.id)  # type: ignore[arg-type]
            assert counts[stored_deck_id(s)]["total"] == len(stored.facts)
        # Bringing the fact back un-retires it with its old cards.
        col.import_deck(deck)
        with col.session() as s:
            assert "p-tokayev" in {f.id for f in repo.load_deck(s, "seed").facts}


def stored_deck_id(s) -> int:  # type: ignore[no-untyped-def]
    row = repo.find_deck(s, "seed")
    assert row is not None and row.id is not None
    return row.id


def test_profiles_create_rename_delete(db_url: str) -> None:
    with Collection.open(db_url) as col:
        with col.transaction() as s:
            ana = repo.create_profile(s, "Ana", NOW)
            n_cards = len(s.exec(select(CardRow).where(CardRow.profile_id == ana.id)).all())
            assert n_cards == len(repo.load_deck(s, "seed").facts)
            with pytest.raises(ValueError, match="exists already"):
                repo.create_profile(s, "Ana")
            with pytest.raises(ValueError, match="needs a name"):
                repo.create_profile(s, "  ")
        with col.transaction() as s:
            assert ana.id is not None
            repo.rename_profile(s, ana.id, "Ana B.")
        with col.transaction() as s:
            assert repo.find_profile(s, "Ana B.") is not None
            repo.delete_profile(s, ana.id)
        with col.session() as s:
            assert [p.name for p in s.exec(select(ProfileRow)).all()] == ["Student"]
            assert not s.exec(select(CardRow).where(CardRow.profile_id == ana.id)).all()


@pytest.mark.sqlite_only
def test_newer_schema_is_refused_in_plain_words(db_url: str, tmp_path: Path) -> None:
    Collection.open(db_url).close()
    con = sqlite3.connect(tmp_path / "quizapp.sqlite3")
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="newer quizapp"):
        open_database(db_url)


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "junk.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError, match="cannot open"):
        open_database(f"sqlite:///{bad}")


def test_core_imports_without_pyside6() -> None:
    code = (
        "import sys\n"
        "import quizapp.study, quizapp.cli, quizapp.services.collection, quizapp.facts.deckfile\n"
        "import quizapp.questions.generate, quizapp.storage.repository, quizapp.storage.stats\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(bad)\n"
        "raise SystemExit(1 if bad else 0)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


def test_cli_decks_json(capsys: pytest.CaptureFixture[str]) -> None:
    from quizapp.cli import main

    assert main(["decks", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["profile"] == "Student"
    assert data["decks"][0]["key"] == "seed" and data["decks"][0]["new"] == 36  # 4 have no form


def test_cli_questions_of_a_stored_deck_follow_each_memory(
        capsys: pytest.CaptureFixture[str]) -> None:
    """``quizapp questions`` on a stored deck: one question per card (fact), with the
    learner's card id, asked in the family the fact's memory is at (recall from 7 days)."""
    from quizapp.cli import main
    from quizapp.questions.generate import ALL_FORMS, QuestionBuilder
    from quizapp.questions.model import Family

    with Collection.open() as col:
        with col.transaction() as s:
            cards = {key: card for key, card in s.exec(
                select(FactRow.key, CardRow).join(CardRow, CardRow.fact_id == FactRow.id))}
            for key in ("n-helicopters", "d-trilateral-statement"):
                cards[key].state, cards[key].stability = 2, 10.0
                cards[key].due = NOW + timedelta(days=10)
                s.add(cards[key])
        deck = col.load_deck("seed")
    assert main(["questions", "seed", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    questions = {q["fact_id"]: q for q in data["questions"]}
    assert len(questions) == len(data["questions"])
    builder = QuestionBuilder(deck, forms=ALL_FORMS)
    for key, q in questions.items():
        assert q["card_id"] == str(cards[key].id)
        grown = key in ("n-helicopters", "d-trilateral-statement")
        wanted = Family.RECALL if grown else Family.RECOGNISE
        if not builder.forms_for(key, wanted):
            wanted = Family.RECALL if wanted is Family.RECOGNISE else Family.RECOGNISE
        assert q["family"] == wanted.value, key
    assert questions["n-helicopters"]["family"] == "recall"
