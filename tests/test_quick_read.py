"""``quizapp decks`` read with the standard library (quizapp.storage.quick) on real SQLite files.

The quick read must print byte for byte what opening the collection the full
way prints, must not load the storage stack when it applies, and must step
aside (the full way then creates, upgrades or recovers the file) whenever
opening the file would change something.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.services.collection import Collection
from quizapp.storage import quick, staged
from quizapp.storage import repository as repo
from quizapp.storage.models import CLASSROOM_KEY, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


def qa_deck(deck_id: str, name: str, n: int) -> Deck:
    facts = tuple(Fact(id=f"{deck_id}-{i:03d}", kind=FactKind.QA, front=f"Question {i}?",
                       back=f"answer {i}") for i in range(n))
    return Deck(id=deck_id, name=name, facts=facts)


def db_file(home: Path) -> Path:
    return home / "quizapp.sqlite3"


def sql(home: Path, statement: str, *params: object) -> None:
    con = sqlite3.connect(db_file(home))
    try:
        con.execute(statement, params)
        con.commit()
    finally:
        con.close()


@pytest.fixture
def seeded(quizapp_home: Path) -> Path:
    """A collection with the seed deck, three more decks (one retired for a class, one
    whose import is under way), two profiles, and cards in every state."""
    with Collection.open() as col:
        col.import_deck(qa_deck("zoo", "Animals", 12))
        col.import_deck(qa_deck("alps", "Mountains", 7))
        col.import_deck(qa_deck("empty", "Aardvark (no cards yet)", 0))
        col.import_deck(qa_deck("gone", "Retired for class 4b", 3))
        with col.transaction() as s:
            repo.create_profile(s, "Ada")
            repo.create_profile(s, "42")  # a name made of digits
    sql(quizapp_home, "UPDATE card SET state = 2 WHERE id % 5 = 0")
    sql(quizapp_home, "UPDATE card SET state = 1 WHERE id % 7 = 0")
    sql(quizapp_home, "UPDATE card SET state = 3 WHERE id % 11 = 0")
    sql(quizapp_home, "UPDATE card SET suspended = 1 WHERE id % 13 = 0")
    # and Ada's animals in every state whatever the ids (one card per fact)
    ada_zoo = ("SELECT c.id FROM card c JOIN profile p ON p.id = c.profile_id JOIN deck d "
               "ON d.id = c.deck_id JOIN fact f ON f.id = c.fact_id WHERE p.name = 'Ada' "
               "AND d.key = 'zoo' AND f.key = ")
    for fact, change in (("'zoo-000'", "state = 1, suspended = 0"),
                         ("'zoo-001'", "state = 2, suspended = 0"),
                         ("'zoo-002'", "state = 3, suspended = 0"),
                         ("'zoo-004'", "suspended = 1")):
        sql(quizapp_home, f"UPDATE card SET {change} WHERE id = ({ada_zoo}{fact})")
    sql(quizapp_home, "UPDATE fact SET retired = 1 WHERE key IN ('zoo-003', 'alps-001')")
    # Ada's own new limit for the animals (the deck list's New is capped by it), and a
    # daily limit of 5 for every deck of Student.
    sql(quizapp_home, "INSERT INTO profile_deck (profile_id, deck_id, new_per_day) "
        "SELECT p.id, d.id, 1 FROM profile p, deck d WHERE p.name = 'Ada' AND d.key = 'zoo'")
    sql(quizapp_home, "UPDATE profile SET new_per_day = 5 WHERE name = 'Student'")
    sql(quizapp_home, "UPDATE profile SET class_name = '4b' WHERE name = 'Ada'")
    sql(quizapp_home, "INSERT INTO class_deck_retired (class_name, deck_id, retired_at) "
        "SELECT '4b', id, '2024-01-01 00:00:00.000000' FROM deck WHERE key = 'gone'")
    sql(quizapp_home, "INSERT INTO deck (key, name, description, created_at, updated_at) "
        f"VALUES ('{staged.PENDING_DECK_PREFIX}x', 'Half imported', '', "
        "'2024-01-01 00:00:00.000000', '2024-01-01 00:00:00.000000')")
    return quizapp_home


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def full_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the quick read step aside, as it does when it does not apply."""
    monkeypatch.setattr(quick, "deck_list", lambda path, profile: None)


ARGVS = [["decks"], ["decks", "--json"], ["decks", "--profile", "Ada"],
         ["decks", "--profile", "Ada", "--json"], ["decks", "--profile", "2"],
         ["decks", "--profile", "42", "--json"], ["decks", "--profile", "1"]]


def test_the_constants_are_the_storage_stacks() -> None:
    assert quick.SCHEMA_VERSION == SCHEMA_VERSION
    assert quick.CLASSROOM_KEY == CLASSROOM_KEY
    assert quick.IMPORT_PENDING == staged.META_PREFIX
    assert quick.PENDING_DECK == staged.PENDING_DECK_PREFIX
    from quizapp.storage.counts import _NEW_LIMITS
    from quizapp.storage.db import FORMS_UNCHECKED

    assert quick.FORMS_UNCHECKED == FORMS_UNCHECKED
    assert " ".join(quick._NEW_LIMITS.split()) == _NEW_LIMITS.text


@pytest.mark.parametrize("argv", ARGVS, ids=" ".join)
def test_quick_output_is_byte_identical_to_the_full_way(
    seeded: Path, argv: list[str], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert quick.deck_list(db_file(seeded), None) is not None  # the quick read applies
    fast = run_cli(argv, capsys)
    full_way(monkeypatch)
    assert run_cli(argv, capsys) == fast
    assert fast[0] == 0 and fast[1]


def test_the_listing_shows_what_the_seeding_made(
    seeded: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run_cli(["decks", "--profile", "Ada", "--json"], capsys)
    data = json.loads(out)
    assert status == 0 and data["profile"] == "Ada"
    names = [d["name"] for d in data["decks"]]
    assert names == sorted(names) and "Retired for class 4b" not in names
    assert "Half imported" not in names
    zoo = next(d for d in data["decks"] if d["key"] == "zoo")
    con = sqlite3.connect(db_file(seeded))
    try:
        (every,) = con.execute(
            "SELECT count(*) FROM card c JOIN profile p ON p.id = c.profile_id "
            "WHERE p.name = 'Ada' AND c.deck_id = ?", (zoo["id"],)).fetchone()
    finally:
        con.close()
    assert zoo["total"] * 12 == every * 11  # the cards of one retired fact of 12 are not counted
    assert zoo["suspended"] > 0 and zoo["learning"] > 0 and zoo["review"] > 0
    assert sum(zoo[k] for k in ("new", "learning", "review", "suspended")) == zoo["total"]
    _, others, _ = run_cli(["decks", "--json"], capsys)
    assert "Retired for class 4b" in [d["name"] for d in json.loads(others)["decks"]]


def test_the_command_does_not_load_the_storage_stack(seeded: Path, tmp_path: Path) -> None:
    env = dict(os.environ, QUIZAPP_HOME=str(seeded),
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "quizapp", "decks"],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Animals" in done.stdout
    loaded = {line.split("|")[-1].strip() for line in done.stderr.splitlines()
              if line.startswith("import time:")}
    assert "quizapp.storage.quick" in loaded
    assert not {"sqlalchemy", "sqlmodel", "pydantic", "quizapp.storage.models"} & loaded


def test_a_first_start_goes_the_full_way(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert quick.deck_list(db_file(quizapp_home), None) is None  # no file yet
    status, out, _ = run_cli(["decks"], capsys)
    assert status == 0 and "seed" in out  # created, with the seed deck
    assert quick.deck_list(db_file(quizapp_home), None) is not None


def test_an_older_schema_is_upgraded_the_full_way(
    quizapp_home: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    quizapp_home.mkdir(parents=True)
    shutil.copyfile(FIXTURES / f"schema_v{SCHEMA_VERSION - 1}.sqlite3", db_file(quizapp_home))
    assert quick.deck_list(db_file(quizapp_home), None) is None
    status, _, err = run_cli(["decks"], capsys)
    assert status == 0, err
    con = sqlite3.connect(db_file(quizapp_home))
    try:
        (version,) = con.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    finally:
        con.close()
    assert version == str(SCHEMA_VERSION)
    assert quick.deck_list(db_file(quizapp_home), None) is not None


@pytest.mark.parametrize("case", ["answered today", "buried today"])
def test_todays_answers_and_burials_lower_new_alike_on_both_ways(
    seeded: Path, case: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The deck list's New for today counts today's first answers to new facts and
    today's buried new cards on the quick way too, with the same figures."""
    from datetime import UTC, datetime

    from quizapp.scheduling import study_day

    db = db_file(seeded)
    before = quick.deck_list(db, None)
    assert before is not None
    today = study_day(datetime.now(UTC))  # Student keeps the default rollover and zone
    if case == "answered today":  # a third of Student's new cards first answered today
        sql(seeded, "INSERT INTO review (card_id, profile_id, reviewed_at, study_day, kind, "
            "before_state) SELECT c.id, c.profile_id, '2024-01-01 00:00:00', ?, 'study', 0 "
            "FROM card c JOIN profile p ON p.id = c.profile_id WHERE p.name = 'Student' "
            "AND c.state = 0 AND c.id % 3 = 0", today)
    else:  # half of Student's new cards buried until today
        sql(seeded, "UPDATE card SET buried_until = ? WHERE state = 0 AND id % 2 = 0 AND "
            "profile_id = (SELECT id FROM profile WHERE name = 'Student')", today)
    after = quick.deck_list(db, None)
    assert after is not None  # the quick read still applies …
    assert [d.counts.get("new_today") for d in after[1]] != [
        d.counts.get("new_today") for d in before[1]]  # … and New went down
    fast = [run_cli(argv, capsys) for argv in ARGVS]
    full_way(monkeypatch)
    assert [run_cli(argv, capsys) for argv in ARGVS] == fast


@pytest.mark.parametrize("case", ["import pending", "restore journal", "restore copy",
                                  "classroom", "no seed mark", "forms unchecked",
                                  "newer schema"])
def test_quick_steps_aside_when_opening_would_change_something(
    seeded: Path, case: str,
) -> None:
    db = db_file(seeded)
    assert quick.deck_list(db, None) is not None
    if case == "import pending":
        sql(seeded, "INSERT INTO meta (key, value) VALUES (?, '{}')",
            staged.META_PREFIX + "token")
    elif case == "restore journal":
        db.with_name(db.name + ".restore.json").write_text("{}", encoding="utf-8")
    elif case == "restore copy":
        db.with_name(f"{db.name}.999999.restoring").write_bytes(b"")
    elif case == "classroom":
        sql(seeded, "INSERT INTO meta (key, value) VALUES (?, '1')", CLASSROOM_KEY)
    elif case == "no seed mark":
        sql(seeded, "DELETE FROM meta WHERE key = 'seed_loaded'")
    elif case == "forms unchecked":  # the upgrade to held facts, before its first start
        sql(seeded, "INSERT INTO meta (key, value) VALUES ('forms_unchecked', '1')")
    else:
        sql(seeded, "UPDATE meta SET value = ? WHERE key = 'schema_version'",
            str(SCHEMA_VERSION + 1))
    assert quick.deck_list(db, None) is None


def test_an_unknown_profile_is_reported_the_full_way(
    seeded: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert quick.deck_list(db_file(seeded), "Nobody") is None
    fast = run_cli(["decks", "--profile", "Nobody"], capsys)
    full_way(monkeypatch)
    assert run_cli(["decks", "--profile", "Nobody"], capsys) == fast
    assert fast[0] != 0 and "Nobody" in fast[2]


def test_a_damaged_file_goes_the_full_way(seeded: Path) -> None:
    db = db_file(seeded)
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    with open(db, "r+b") as fh:
        fh.write(b"not a database at all" * 10)
    assert quick.deck_list(db, None) is None


def test_only_a_plain_sqlite_file_url_is_read_quickly() -> None:
    assert quick.sqlite_file("sqlite:////tmp/q.sqlite3") == Path("/tmp/q.sqlite3")
    assert quick.sqlite_file("sqlite:///:memory:") is None
    assert quick.sqlite_file("sqlite:///q.sqlite3?mode=ro") is None
    assert quick.sqlite_file("postgresql+psycopg://u@h/db") is None


@pytest.mark.parametrize("name", ["²", "Nobody"])
def test_a_profile_that_is_not_there_is_one_line_on_both_ways(
    seeded: Path, name: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast = run_cli(["decks", "--profile", name], capsys)
    full_way(monkeypatch)
    assert run_cli(["decks", "--profile", name], capsys) == fast
    status, out, err = fast
    assert status == 2 and out == ""
    assert err == f"quizapp: no profile named {name!r}\n"


def test_a_profile_named_by_arabic_indic_digits_is_found_by_id(
    seeded: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast = run_cli(["decks", "--profile", "\u0662", "--json"], capsys)  # ٢: profile 2
    assert json.loads(fast[1])["profile"] == "Ada"
    full_way(monkeypatch)
    assert run_cli(["decks", "--profile", "\u0662", "--json"], capsys) == fast
