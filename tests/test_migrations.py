"""Frozen databases of earlier schema versions open and upgrade without losing a row."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect

from quizapp.scheduling import CardState
from quizapp.services.collection import Collection
from quizapp.storage import db as db_module
from quizapp.storage.db import (
    MIGRATIONS,
    _card_state_columns,
    _day_totals_and_fewer_indexes,
    _held_facts,
    _media_store,
    open_database,
)
from quizapp.storage.models import SCHEMA_VERSION

from .conftest import PgDatabase
from .reviewrows import all_reviews, decoded_reviews, undo_card_state_columns

FIXTURES = Path(__file__).parent / "fixtures"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
TABLES = ("deck", "source", "fact", "profile", "card", "review", "study_session", "question_report")


def row_counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def all_rows(path: Path, table: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    finally:
        con.close()


def table_rows(path: Path, table: str) -> list[tuple[object, ...]]:
    """A table's rows (the review table's with its states decoded: :func:`all_reviews`)."""
    return all_reviews(path) if table == "review" else all_rows(path, table)


def facts_unheld(path: Path) -> list[tuple[object, ...]]:
    """The fact rows, with the one change the held-facts step makes to an old column undone.

    That step holds back the facts no question can ask (four quotes of the
    seed deck): it retires them (``retired`` = 1) and says why in its new
    columns. Every other old column of every fact keeps its value.
    """
    con = sqlite3.connect(path)
    try:
        names = [r[1] for r in con.execute("PRAGMA table_info(fact)")]
        rows = con.execute("SELECT * FROM fact ORDER BY rowid").fetchall()
    finally:
        con.close()
    if "hold" not in names:
        return rows
    retired, hold = names.index("retired"), names.index("hold")
    return [tuple(0 if i == retired and r[hold] is not None else v for i, v in enumerate(r))
            for r in rows]


def test_migrations_cover_every_version() -> None:
    assert len(MIGRATIONS) == SCHEMA_VERSION - 1


def survivors(path: Path) -> dict[int, int]:
    """Each card id → the id of the card of its (profile, fact) that schema 6 keeps (the lowest)."""
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT id, profile_id, fact_id FROM card").fetchall()
    finally:
        con.close()
    lowest: dict[tuple[int, int], int] = {}
    for cid, pid, fid in rows:
        lowest[(pid, fid)] = min(cid, lowest.get((pid, fid), cid))
    return {cid: lowest[(pid, fid)] for cid, pid, fid in rows}


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_fixture_upgrades_without_losing_a_row(version: int, tmp_path: Path) -> None:
    fixture = FIXTURES / f"schema_v{version}.sqlite3"
    assert fixture.exists(), f"the frozen schema-{version} fixture must be committed"
    db = tmp_path / "old.sqlite3"
    shutil.copy(fixture, db)
    before = row_counts(db)
    assert before["review"] >= 25 and before["profile"] == 2
    reviews_before = all_reviews(db)
    kept = survivors(db)
    col = Collection.open(f"sqlite:///{db}")
    col.close()
    after = row_counts(db)
    # Schema 6 merges the recognise and recall cards of a fact into one card:
    # the card rows become one per (profile, fact); every other count is the same.
    assert after == {**before, "card": len(set(kept.values()))}
    # Every old column of every review is still there with its value, except that
    # a merged card's reviews point to the card of their fact that is kept, and the
    # card states (JSON before schema 10) are the same states.
    assert all_reviews(db) == [(r[0], kept[r[1]], *r[2:]) for r in reviews_before]
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(
        SCHEMA_VERSION
    )
    con.close()


def index_sql(path: Path) -> dict[str, str]:
    """Every index's CREATE statement (whitespace normalised), by name."""
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                           "AND sql IS NOT NULL").fetchall()
    finally:
        con.close()
    return {name: " ".join(sql.split()) for name, sql in rows}


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_upgraded_schema_matches_a_fresh_one(version: int, tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / f"schema_v{version}.sqlite3", db)
    upgraded = open_database(f"sqlite:///{db}")
    fresh = open_database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")

    def shape(engine) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
        insp = inspect(engine)
        return {t: {c["name"] for c in insp.get_columns(t)} for t in insp.get_table_names()}

    assert shape(upgraded) == shape(fresh)
    upgraded.dispose()
    fresh.dispose()
    # The same indexes, expressions and partial-index conditions included.
    assert index_sql(db) == index_sql(tmp_path / "fresh.sqlite3")


def test_schema_2_adds_classroom_columns_and_keeps_profiles(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema_v1.sqlite3", db)
    profiles_before = all_rows(db, "profile")
    open_database(f"sqlite:///{db}").dispose()
    con = sqlite3.connect(db)
    try:
        after = con.execute("SELECT * FROM profile ORDER BY rowid").fetchall()
        # Every old value kept; the new columns (db_role, class_name) are NULL.
        assert [r[: len(profiles_before[0])] for r in after] == profiles_before
        assert all(r[len(profiles_before[0]) :] == (None, None) for r in after)
        assert con.execute("SELECT count(*) FROM class_teacher").fetchone()[0] == 0
        indexes = {r[1]: r[2] for r in con.execute("PRAGMA index_list(profile)")}
        assert indexes["ix_profile_db_role"] == 1  # unique: one profile per login role
    finally:
        con.close()
    assert (tmp_path / "old.schema1.bak.sqlite3").exists()


def test_schema_3_adds_progress_indexes_with_statistics_where_there_were_some(
        tmp_path: Path) -> None:
    new = {"ix_review_day_cover", "ix_review_card_cover", "ix_review_wrong",
           "ix_review_wrong_choice", "ix_review_pace", "ix_fact_retired", "ix_card_recall",
           "ix_card_profile_deck", "ix_card_leech", "ix_card_buried"}
    plain, analysed = tmp_path / "plain.sqlite3", tmp_path / "analysed.sqlite3"
    shutil.copy(FIXTURES / "schema_v2.sqlite3", plain)
    shutil.copy(FIXTURES / "schema_v2.sqlite3", analysed)
    con = sqlite3.connect(analysed)
    con.execute("ANALYZE")
    con.close()
    assert not new & set(index_sql(plain))
    reviews_before = all_reviews(plain)
    kept = survivors(plain)
    for db in (plain, analysed):
        open_database(f"sqlite:///{db}").dispose()
        # Schema 6 replaced ix_card_recall (cards were per family) by ix_card_mastery.
        assert new - {"ix_card_recall"} | {"ix_card_mastery"} <= set(index_sql(db))
    assert all_reviews(plain) == [(r[0], kept[r[1]], *r[2:]) for r in reviews_before]
    con = sqlite3.connect(plain)
    try:  # an unanalysed file stays without statistics
        assert not con.execute("SELECT count(*) FROM sqlite_master "
                               "WHERE name = 'sqlite_stat1'").fetchone()[0]
    finally:
        con.close()
    con = sqlite3.connect(analysed)
    try:  # an analysed one gets them for the new (non-empty) indexes too
        stats = {r[0] for r in con.execute("SELECT idx FROM sqlite_stat1")}
        assert {"ix_review_day_cover", "ix_review_card_cover", "ix_card_mastery",
                "ux_card_profile_fact", "ix_card_profile_deck"} <= stats
    finally:
        con.close()
    assert (tmp_path / "plain.schema2.bak.sqlite3").exists()


def test_schema_4_adds_deck_speakers_and_gives_the_seed_deck_its_own(tmp_path: Path) -> None:
    from quizapp.assets import seed_deck_path
    from quizapp.facts.deckfile import load_deck_file
    from quizapp.facts.model import Deck, Fact, FactKind

    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema_v3.sqlite3", db)
    decks_before = all_rows(db, "deck")
    facts_before = all_rows(db, "fact")
    assert "speakers" not in {r[1] for r in sqlite3.connect(db).execute("PRAGMA table_info(deck)")}
    col = Collection.open(f"sqlite:///{db}")
    try:
        # The seed deck gets the speakers its file states; other decks state none.
        assert col.load_deck("seed").speakers == load_deck_file(seed_deck_path()).speakers
        other = Deck(id="mine", name="Mine", facts=(Fact(id="qa", kind=FactKind.QA,
                                                         front="Capital of Peru?", back="Lima"),))
        col.import_deck(other)
        assert col.load_deck("mine").speakers == ()
    finally:
        col.close()
    speakers = {s.name: s for s in load_deck_file(seed_deck_path()).speakers}
    assert speakers["Grigory Karasin"].speaks_for == ("Moscow",)
    decks_after = all_rows(db, "deck")
    # every old column of every deck keeps its value
    assert [r[: len(decks_before[0])] for r in decks_after[:1]] == decks_before
    # every old column of every fact keeps its value (later schemas add columns)
    assert [r[: len(facts_before[0])] for r in facts_unheld(db)[: len(facts_before)]] == (
        facts_before)


def test_schema_5_adds_class_deck_retirements_and_keeps_every_row(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db_module, "SCHEMA_VERSION", 5)  # this step alone
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema_v4.sqlite3", db)
    every = {t: all_rows(db, t) for t in (*TABLES, "profile_deck", "class_teacher", "meta")}
    open_database(f"sqlite:///{db}").dispose()
    for table, rows in every.items():
        if table == "meta":  # only the version changes
            rows = [r if r[0] != "schema_version" else ("schema_version", "5") for r in rows]
        assert all_rows(db, table) == rows, table
    assert all_rows(db, "class_deck_retired") == []
    assert (tmp_path / "old.schema4.bak.sqlite3").exists()


def test_a_schema_4_classroom_upgrades_on_postgresql(
        pg_database: PgDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row is kept, and the new table is guarded like the others from the start."""
    from sqlalchemy import create_engine, text

    from quizapp.services.classroom import add_student, init_classroom

    pg_database.reset()
    role = f"{pg_database.role_prefix}mia"
    engine = init_classroom(pg_database.url)
    add_student(engine, role, class_name="9a", password="pw-mia")
    engine.dispose()
    student_url = pg_database.role_url(role, "pw-mia")
    with Collection.open(student_url) as col:
        from quizapp.study import StudySession

        session = StudySession(col)
        question = session.next_question(T0)
        assert question is not None
        session.answer(question, question.answers[0], T0, 3000)
    owner = create_engine(pg_database.url)
    tables = ("meta", "deck", "source", "fact", "profile", "class_teacher", "profile_deck",
              "card", "study_session", "review", "question_report")

    def snapshot() -> dict[str, object]:
        with owner.connect() as conn:
            # every column of every row but those later schemas add (fact.media)
            row = "(to_jsonb(x) - 'media' - 'hold' - 'hold_reasons')::text"
            return {t: conn.execute(text(
                f"SELECT md5(coalesce(string_agg({row}, '|' ORDER BY {row}), '')), "
                f"count(*) FROM {t} x WHERE NOT (x::text LIKE '(schema_version,%' "
                f"OR x::text LIKE '(classroom,%')")).one()
                for t in tables}

    with owner.begin() as conn:  # back to schema 4, as an older quizapp left it
        _undo_media_store(conn)  # and what later schemas add
        conn.execute(text("DROP TABLE class_deck_retired"))
        conn.execute(text("DROP TRIGGER quizapp_review_guard ON review"))
        conn.execute(text("UPDATE meta SET value = '4' WHERE key = 'schema_version'"))
        conn.execute(text("DELETE FROM meta WHERE key = 'classroom'"))
    before = snapshot()
    assert before["review"][1] == 1  # type: ignore[index]
    monkeypatch.setattr(db_module, "SCHEMA_VERSION", 5)  # this step alone
    open_database(pg_database.url).dispose()
    assert snapshot() == before
    with owner.connect() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")
                            ).scalar() == "5"
        assert conn.execute(text("SELECT relrowsecurity FROM pg_class "
                                 "WHERE relname = 'class_deck_retired'")).scalar() is True
        assert conn.execute(text("SELECT count(*) FROM pg_trigger "
                                 "WHERE tgname = 'quizapp_review_guard'")).scalar() == 1
        # Marked as a classroom: a first start there makes no profile.
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'classroom'")
                            ).scalar() == "1"
    owner.dispose()
    with owner.begin() as conn:  # the review columns this version's app reads (schema 10)
        db_module._card_state_columns(conn)
    with Collection.open(student_url) as col:  # the student's app reads the new table
        from quizapp.services.counts import deck_counts

        assert [d.key for d in deck_counts(col, col.profile().id or 0, T0)] == ["seed"]


# ---------------------------------------------------------------- schema 5 → 6

ANA = 2  # the fixture's studying profile


def _prepare_schema_5(path: Path) -> None:
    """The frozen schema-5 file, plus what the fixture lacks: a leech suspended by the old
    rule, cards suspended by hand, a buried card, reported forms, an overrule and a
    practice-test answer (two cards per fact, answers on both)."""
    shutil.copy(FIXTURES / "schema_v5.sqlite3", path)
    con = sqlite3.connect(path)
    try:
        card = {(f, fam): cid for cid, f, fam in con.execute(
            "SELECT id, fact_id, family FROM card WHERE profile_id = ?", (ANA,))}
        # Suspended by the old leech rule (8 lapses): lifted. By hand: kept.
        con.execute("UPDATE card SET suspended = 1, lapses = 8 WHERE id = ?",
                    (card[(13, "recall")],))
        con.execute("UPDATE card SET suspended = 1, lapses = 2 WHERE id = ?",
                    (card[(14, "recall")],))
        con.execute("UPDATE card SET buried_until = 19850 WHERE id = ?", (card[(15, "recall")],))
        # A recall answer (typed) as the last answer of a fact: it was last asked in recall.
        con.execute("UPDATE review SET form = 'typed', choices = NULL WHERE id = (SELECT max(id)"
                    " FROM review WHERE kind = 'study' AND card_id = ?)", (card[(5, "recall")],))
        con.execute("UPDATE card SET reported_forms = '[\"typed\"]' WHERE id = ?",
                    (card[(1, "recognise")],))
        con.execute("UPDATE card SET reported_forms = '[\"cloze\", \"typed\"]' WHERE id = ?",
                    (card[(1, "recall")],))
        wrong = con.execute("SELECT id, card_id, form, prompt, choices, given, state_before "
                            "FROM review WHERE kind = 'study' AND correct = 0 AND id NOT IN "
                            "(SELECT cancels_id FROM review WHERE cancels_id IS NOT NULL) "
                            "ORDER BY id LIMIT 2").fetchall()
        assert len(wrong) == 2
        rid, cid, form, prompt, choices, given, before = wrong[0]
        con.execute(
            "INSERT INTO review (card_id, profile_id, reviewed_at, study_day, kind, form, prompt,"
            " choices, given, correct, verdict, rating, state_before, state_after, cancels_id)"
            " VALUES (?, ?, '2024-05-01 12:00:00.000000', 19844, 'overrule', ?, ?, ?, ?, 1,"
            " 'right', 3, ?, '{\"state\": 2}', ?)",
            (cid, ANA, form, prompt, choices, given, before, rid))
        con.execute(
            "INSERT INTO review (card_id, profile_id, reviewed_at, study_day, kind, form, prompt,"
            " choices, given, correct, verdict, rating, state_before, state_after)"
            " VALUES (?, ?, '2024-05-01 13:00:00.000000', 19844, 'test', 'typed', 'Test?',"
            " NULL, 'x', 0, 'wrong', 1, '{\"state\": 2}', '{\"state\": 3}')",
            (wrong[1][1], ANA))
        con.commit()
    finally:
        con.close()


def _expected_memories(path: Path) -> dict[int, tuple[CardState, str]]:
    """Each kept card's memory, replayed here from the old file's log, apart from the app."""
    from quizapp.questions.model import FAMILY_OF_FORM, Form
    from quizapp.scheduling import SchedulerSettings, memory

    kept = survivors(path)
    con = sqlite3.connect(path)
    try:
        profile = con.execute(
            "SELECT desired_retention, learning_steps, relearning_steps, maximum_interval,"
            " fsrs_parameters FROM profile WHERE id = ?", (ANA,)).fetchone()
        rows = con.execute("SELECT id, card_id, reviewed_at, kind, form, choices, correct,"
                           " cancels_id FROM review WHERE profile_id = ?", (ANA,)).fetchall()
    finally:
        con.close()
    assert profile == (0.9, "[60, 600]", "[600]", 36500, None)  # the defaults, below
    settings = SchedulerSettings(fuzz=False)
    by_id = {r[0]: r for r in rows}
    cancelled = {r[7] for r in rows if r[7] is not None}
    answers: dict[int, list[tuple[datetime, int, str, str | None, bool]]] = {}
    for rid, cid, at, kind, form, choices, correct, cancels in rows:
        if rid in cancelled or kind not in ("study", "overrule"):
            continue
        if kind == "overrule":
            original = by_id[cancels]
            if original[3] != "study":
                continue
            at = original[2]
        when = datetime.fromisoformat(at).replace(tzinfo=UTC)
        answers.setdefault(kept[cid], []).append((when, rid, form, choices, bool(correct)))
    con = sqlite3.connect(path)
    try:
        ana_cards = {cid for (cid,) in con.execute("SELECT id FROM card WHERE profile_id = ?",
                                                    (ANA,))}
    finally:
        con.close()
    out: dict[int, tuple[CardState, str]] = {}
    for cid in {kept[c] for c in ana_cards}:
        state, family = CardState(), memory.Family.RECOGNISE
        for when, _rid, form, choices, correct in sorted(answers.get(cid, [])):
            family = memory.Family(FAMILY_OF_FORM[Form(form)].value)
            n = len(json.loads(choices)) if family is memory.Family.RECOGNISE and choices else 0
            state = memory.answer(state, family, correct, when, settings, choices=n)
        out[cid] = (state, family.value)
    return out


def _cards(engine: Any, profile_id: int) -> dict[int, tuple[CardState, str, bool, int | None,
                                                          list[str]]]:
    from sqlmodel import Session, select

    from quizapp.storage.models import CardRow

    with Session(engine) as s:
        return {c.id: (CardState.of(c).with_changes(suspended=False, last_shown_day=None),
                       c.family, c.suspended, c.buried_until, json.loads(c.reported_forms))
                for c in s.exec(select(CardRow).where(CardRow.profile_id == profile_id))
                if c.id is not None}


def _check_one_memory_per_fact(engine: Any, old: Path) -> None:
    """The upgraded database ``engine`` against the schema-5 file ``old`` it came from."""
    kept = survivors(old)
    expected = _expected_memories(old)
    cards = _cards(engine, ANA)
    assert set(cards) == set(expected)
    assert all(kept[c] == c for c in cards)
    con = sqlite3.connect(old)
    try:
        old_card = {(f, fam): cid for cid, f, fam in con.execute(
            "SELECT id, fact_id, family FROM card WHERE profile_id = ?", (ANA,))}
    finally:
        con.close()
    for cid, (state, family, *_rest) in cards.items():
        assert (state, family) == expected[cid], cid
    assert sum(state.reps > 0 for state, _f in expected.values()) >= 12  # a dozen facts
    leech = cards[old_card[(13, "recognise")]]
    assert leech[2] is False  # suspended by the old leech rule: asked another way now
    assert cards[old_card[(14, "recognise")]][2] is True  # suspended by hand: kept
    assert cards[old_card[(2, "recognise")]][2] is True  # (the fixture's, 0 lapses)
    assert cards[old_card[(15, "recognise")]][3] == 19850  # the latest burial of the two
    assert cards[old_card[(1, "recognise")]][4] == ["typed", "cloze"]  # the union
    assert cards[old_card[(3, "recognise")]][2] is False
    assert cards[old_card[(5, "recognise")]][1] == "recall"
    assert cards[old_card[(6, "recognise")]][1] == "recognise"
    # Some memories had answers on both old cards: one state replays both.
    both = [f for f in range(1, 13) if expected[old_card[(f, "recognise")]][0].reps >= 2]
    assert both


def _review_rows(engine: Any) -> list[tuple[Any, ...]]:
    from sqlalchemy import text

    with engine.connect() as conn:
        result = conn.execute(text("SELECT * FROM review ORDER BY id"))
        return decoded_reviews(list(result.keys()), list(result))


def test_schema_6_keeps_one_card_per_fact_with_its_memory_replayed(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    _prepare_schema_5(db)
    old = tmp_path / "before.sqlite3"
    shutil.copy(db, old)
    kept = survivors(db)
    reviews = all_reviews(db)
    reports = all_rows(db, "question_report")
    engine = open_database(f"sqlite:///{db}")
    try:
        _check_one_memory_per_fact(engine, old)
    finally:
        engine.dispose()
    # The same review rows, byte for byte, but for the card they point to: the
    # kept card of the same (profile, fact).
    assert all_reviews(db) == [(r[0], kept[r[1]], *r[2:]) for r in reviews]
    assert all_rows(db, "question_report") == [(r[0], r[1], kept[r[2]], *r[3:]) for r in reports]
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT count(*) FROM (SELECT profile_id, fact_id FROM card "
                           "GROUP BY profile_id, fact_id HAVING count(*) > 1)").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM card").fetchone()[0] == len(set(kept.values()))
    finally:
        con.close()
    assert (tmp_path / "old.schema5.bak.sqlite3").exists()


def _undo_held_facts(conn: Any) -> None:
    """Take a PostgreSQL database of the current schema back to before held facts."""
    from sqlalchemy import text

    undo_card_state_columns(conn)
    conn.execute(text("ALTER TABLE fact DROP CONSTRAINT ck_fact_hold"))
    conn.execute(text("UPDATE fact SET retired = FALSE WHERE hold IS NOT NULL"))
    conn.execute(text("ALTER TABLE fact DROP COLUMN hold"))  # and its index
    conn.execute(text("ALTER TABLE fact DROP COLUMN hold_reasons"))
    conn.execute(text("DELETE FROM meta WHERE key = 'forms_unchecked'"))


def _undo_day_totals_and_fewer_indexes(conn: Any) -> None:
    """Take a PostgreSQL database of the current schema back to before schema 8's
    day totals and index changes."""
    from sqlalchemy import text

    _undo_held_facts(conn)
    conn.execute(text("DROP TABLE review_day"))
    conn.execute(text("DROP TABLE review_day_mark"))
    for statement in (
        "CREATE INDEX ix_review_profile_day ON review (profile_id, study_day)",
        "CREATE INDEX ix_review_card ON review (card_id, reviewed_at)",
        "DROP INDEX ix_review_card_cover",
        "CREATE INDEX ix_review_card_cover ON review "
        "(profile_id, card_id, reviewed_at, id, kind, correct)",
        "CREATE INDEX ix_card_deck_id ON card (deck_id)",
    ):
        conn.execute(text(statement))


def _undo_media_store(conn: Any) -> None:
    """Take a PostgreSQL database of the current schema back to before the media store."""
    from sqlalchemy import text

    _undo_day_totals_and_fewer_indexes(conn)
    conn.execute(text("DROP TABLE media"))
    conn.execute(text("ALTER TABLE fact DROP COLUMN media"))


def _load_into_postgresql(path: Path, url: str) -> None:
    """A PostgreSQL database at schema 5 holding the rows of the SQLite file ``path``."""
    from sqlalchemy import Boolean, text

    from quizapp.storage.models import SQLModel, UTCDateTime, as_utc

    engine = open_database(url)  # the current schema, empty
    try:
        with engine.begin() as conn:
            _undo_media_store(conn)
            conn.execute(text("DROP INDEX ux_card_profile_fact"))
            conn.execute(text("DROP INDEX ix_card_mastery"))
            conn.execute(text(
                "CREATE INDEX ix_card_recall ON card (profile_id, family, fact_id, stability)"))
            conn.execute(text("UPDATE meta SET value = '5' WHERE key = 'schema_version'"))
            src = sqlite3.connect(path)
            try:
                for table in SQLModel.metadata.sorted_tables:
                    if table.name in ("meta", "media", "review_day", "review_day_mark"):
                        continue  # not at schema 5
                    # the columns of schema 5 (fact.media came later)
                    present = {r[1] for r in src.execute(f"PRAGMA table_info({table.name})")}
                    columns = [c for c in table.columns if c.name in present]
                    names = [c.name for c in columns]
                    rows = src.execute(f"SELECT {', '.join(names)} FROM {table.name} "
                                       "ORDER BY rowid").fetchall()
                    values = []
                    for row in rows:
                        item = {}
                        for column, value in zip(columns, row, strict=True):
                            if value is not None and isinstance(column.type, Boolean):
                                value = bool(value)
                            elif value is not None and isinstance(column.type, UTCDateTime):
                                value = as_utc(value)
                            item[column.name] = value
                        values.append(item)
                    if values:
                        conn.execute(table.insert(), values)
                    if "id" in names and values:
                        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}',"
                                          f" 'id'), (SELECT max(id) FROM {table.name}))"))
                # The card states, JSON text before schema 10 (no model column).
                states = [{"i": i, "b": b, "a": a} for i, b, a in src.execute(
                    "SELECT id, state_before, state_after FROM review")]
                if states:
                    conn.execute(text("UPDATE review SET state_before = :b, state_after = :a"
                                      " WHERE id = :i"), states)
            finally:
                src.close()
    finally:
        engine.dispose()


def test_schema_6_upgrade_on_postgresql(pg_database: PgDatabase, tmp_path: Path) -> None:
    """The same upgrade on PostgreSQL: no review lost or changed but for its card, one card
    per fact with the replayed memory, suspensions as on SQLite."""
    from sqlalchemy import create_engine, text

    pg_database.reset()
    old = tmp_path / "old.sqlite3"
    _prepare_schema_5(old)
    kept = survivors(old)
    _load_into_postgresql(old, pg_database.url)
    owner = create_engine(pg_database.url)
    try:
        reviews = _review_rows(owner)
        assert len(reviews) == len(all_rows(old, "review"))
        with owner.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM card")).scalar() == len(kept)
        engine = open_database(pg_database.url)
        try:
            _check_one_memory_per_fact(engine, old)
        finally:
            engine.dispose()
        assert _review_rows(owner) == [(r[0], kept[r[1]], *r[2:]) for r in reviews]
        with owner.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM card")).scalar() == len(
                set(kept.values()))
            assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")
                                ).scalar() == str(SCHEMA_VERSION)
            unique = conn.execute(text("SELECT indexdef FROM pg_indexes "
                                       "WHERE indexname = 'ux_card_profile_fact'")).scalar()
            assert unique is not None and "UNIQUE" in unique
    finally:
        owner.dispose()


def test_a_schema_5_classroom_student_answers_after_the_upgrade(pg_database: PgDatabase) -> None:
    """On a classroom the upgrade remakes the grants: a student's answer now writes
    ``card.family``, which schema 5 did not let a student update."""
    from sqlalchemy import create_engine, text

    from quizapp.services.classroom import add_student, init_classroom
    from quizapp.storage.classroom import STUDENT_GROUP
    from quizapp.study import StudySession

    pg_database.reset()
    role = f"{pg_database.role_prefix}noa"
    engine = init_classroom(pg_database.url)
    add_student(engine, role, class_name="9a", password="pw-noa")
    engine.dispose()
    owner = create_engine(pg_database.url)
    with owner.begin() as conn:  # back to schema 5, as an older quizapp left it
        _undo_media_store(conn)
        conn.execute(text("DROP INDEX ux_card_profile_fact"))
        conn.execute(text("DROP INDEX ix_card_mastery"))
        conn.execute(text(
            "CREATE INDEX ix_card_recall ON card (profile_id, family, fact_id, stability)"))
        conn.execute(text(f"REVOKE UPDATE (family) ON card FROM {STUDENT_GROUP}"))
        conn.execute(text("UPDATE meta SET value = '5' WHERE key = 'schema_version'"))
    owner.dispose()
    open_database(pg_database.url).dispose()  # the owner's start upgrades it
    with Collection.open(pg_database.role_url(role, "pw-noa")) as col:
        session = StudySession(col)
        question = session.next_question(T0)
        assert question is not None
        result = session.answer(question, question.answers[0], T0, 3000)
        assert result.correct
    owner = create_engine(pg_database.url)
    with owner.connect() as conn:
        assert conn.execute(text("SELECT family FROM card WHERE id = :c"),
                            {"c": int(question.card_id)}).scalar() == question.family.value
    owner.dispose()


# The media store is the last migration of this list; its tests name it, not its
# number, so that they stay right wherever it stands in the ordered list.
MEDIA_FROM = MIGRATIONS.index(_media_store) + 1  # the version before it


def test_the_media_store_adds_its_table_and_column_and_keeps_every_row(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / f"schema_v{MEDIA_FROM}.sqlite3", db)
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite%'")]
    con.close()
    assert "media" not in tables
    every = {t: table_rows(db, t) for t in tables}
    engine = open_database(f"sqlite:///{db}")
    engine.dispose()
    for table, rows in every.items():
        if table == "meta":
            rows = [r if r[0] != "schema_version" else ("schema_version", str(SCHEMA_VERSION))
                    for r in rows] + [("forms_unchecked", "1")]  # held facts: not recorded yet
        after = facts_unheld(db) if table == "fact" else table_rows(db, table)
        assert [r[: len(rows[0])] for r in after] == rows if rows else after == [], table
    facts = all_rows(db, "fact")
    media_column = len(every["fact"][0])  # fact.media, after the old columns: no media yet
    assert facts and {r[media_column] for r in facts} == {"[]"}
    assert all_rows(db, "media") == []
    assert (tmp_path / f"old.schema{MEDIA_FROM}.bak.sqlite3").exists()
    # The upgraded database stores and gives back a deck's pictures.
    from quizapp.facts.media import media_file
    from quizapp.facts.model import Deck, Fact, FactKind
    from quizapp.services.media import media_of_deck

    from .mediadata import png as make_png

    png = make_png()
    deck = Deck(id="flags", name="Flags", facts=(
        Fact(id="jp", kind=FactKind.QA, front="Whose flag? [image: jp.png]", back="Japan's",
             media=("jp.png",)),), media=(media_file("jp.png", png),))
    with Collection.open(f"sqlite:///{db}") as col:
        col.import_deck(deck)
        assert col.load_deck("flags").facts[0].media == ("jp.png",)
        assert [(m.name, m.data) for m in media_of_deck(col, "flags")] == [("jp.png", png)]


def test_a_classroom_before_the_media_store_upgrades_on_postgresql(
        pg_database: PgDatabase) -> None:
    """Every row is kept, and the media table is shared read-only with students at once."""
    from sqlalchemy import create_engine, text

    from quizapp.services.classroom import add_student, init_classroom

    pg_database.reset()
    role = f"{pg_database.role_prefix}ida"
    engine = init_classroom(pg_database.url)
    add_student(engine, role, class_name="9a", password="pw-ida")
    engine.dispose()
    owner = create_engine(pg_database.url)
    with owner.begin() as conn:  # back to the version before the media store
        _undo_media_store(conn)
        conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                     {"v": str(MEDIA_FROM)})
    with owner.connect() as conn:
        facts_before = conn.execute(text("SELECT md5(string_agg(x::text, '|' ORDER BY x.id)), "
                                         "count(*) FROM fact x")).one()
    open_database(pg_database.url).dispose()
    with owner.connect() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")
                            ).scalar() == str(SCHEMA_VERSION)
        # the old columns of every fact are unchanged; each fact shows no media
        cols = [r[0] for r in conn.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'fact' "
            "AND column_name NOT IN ('media', 'hold', 'hold_reasons') ORDER BY ordinal_position"))]
        row = "ROW(" + ", ".join(f'x."{c}"' for c in cols) + ")::text"
        assert conn.execute(text(f"SELECT md5(string_agg({row}, '|' ORDER BY x.id)), count(*) "
                                 "FROM fact x")).one() == facts_before
        assert conn.execute(text("SELECT count(*) FROM fact WHERE media <> '[]'")).scalar() == 0
        rights = set(conn.execute(text(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = 'media' AND grantee = 'quizapp_student'")).scalars())
        assert rights == {"SELECT"}
    owner.dispose()
    with Collection.open(pg_database.role_url(role, "pw-ida")) as col:
        from quizapp.services.media import media_of_deck

        assert media_of_deck(col, "seed") == []  # the student's app reads the new table


# Schema 8's day totals and index changes: tests name the step, not its number.
DAYS_FROM = MIGRATIONS.index(_day_totals_and_fewer_indexes) + 1  # the version before it


def test_schema_8_keeps_every_row_adds_empty_day_totals_and_drops_redundant_indexes(
        tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / f"schema_v{DAYS_FROM}.sqlite3", db)
    con = sqlite3.connect(db)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite%'")]
    con.close()
    assert "review_day" not in tables
    every = {t: table_rows(db, t) for t in tables}
    assert len(every["review"]) >= 25
    open_database(f"sqlite:///{db}").dispose()
    for table, rows in every.items():
        after = table_rows(db, table)
        if table == "meta":
            rows = [r if r[0] != "schema_version" else ("schema_version", str(SCHEMA_VERSION))
                    for r in rows] + [("forms_unchecked", "1")]  # held facts: a later step
        if table == "fact":  # the held-facts step adds columns after the old ones
            after = [r[: len(rows[0])] for r in after]
        assert after == rows, table  # every row, every old column, unchanged
    assert all_rows(db, "review_day") == [] and all_rows(db, "review_day_mark") == []
    indexes = index_sql(db)
    assert not {"ix_review_profile_day", "ix_review_card", "ix_card_deck_id"} & set(indexes)
    assert "(card_id, profile_id, reviewed_at, id, kind, correct)" in indexes[
        "ix_review_card_cover"]
    # The upgraded file's figures count from the log, then from the kept totals, alike.
    from quizapp.services.profiles import list_profiles
    from quizapp.storage.stats import profile_stats

    with Collection.open(f"sqlite:///{db}") as col:
        pid = next(p.id for p in list_profiles(col) if p.name == "Ana")
        later = T0.replace(month=7)
        first = profile_stats(col, pid, later)
        assert sum(d["reviews"] for d in first["reviews_per_day"]) > 0
        assert all_rows(db, "review_day") != []
        assert profile_stats(col, pid, later) == first


def test_a_classroom_at_schema_7_upgrades_to_8_on_postgresql(pg_database: PgDatabase) -> None:
    """Every row of every table is kept on a classroom server; the day totals are guarded:
    a student reads their figures, counted from the log, and may not write totals."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import ProgrammingError

    from quizapp.services.classroom import add_student, init_classroom
    from quizapp.services.profiles import list_profiles
    from quizapp.storage.stats import profile_stats

    pg_database.reset()
    role = f"{pg_database.role_prefix}eli"
    engine = init_classroom(pg_database.url)
    add_student(engine, role, class_name="9a", password="pw-eli")
    engine.dispose()
    owner = create_engine(pg_database.url)
    with owner.begin() as conn:  # back to the version before schema 8's step
        _undo_day_totals_and_fewer_indexes(conn)
        conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                     {"v": str(DAYS_FROM)})
    tables = ("deck", "source", "fact", "profile", "card", "review", "study_session",
              "question_report", "class_teacher", "profile_deck", "media")

    def digests() -> dict[str, Any]:
        """Each table's rows over the columns it had before (a later step adds to fact)."""
        with owner.connect() as conn:
            out = {}
            for t in tables:
                cols = [r[0] for r in conn.execute(text(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
                    "AND column_name NOT IN ('hold', 'hold_reasons') ORDER BY ordinal_position"),
                    {"t": t})]
                row = "ROW(" + ", ".join(f'x."{c}"' for c in cols) + ")::text"
                out[t] = conn.execute(text(f"SELECT md5(coalesce(string_agg({row}, '|' "
                                           f"ORDER BY {row}), '')), count(*) FROM {t} x")).one()
            return out

    before = digests()
    open_database(pg_database.url).dispose()
    assert digests() == before
    with owner.connect() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")
                            ).scalar() == str(SCHEMA_VERSION)
        assert conn.execute(text("SELECT count(*) FROM pg_indexes WHERE indexname IN "
                                 "('ix_review_profile_day', 'ix_review_card', "
                                 "'ix_card_deck_id')")).scalar() == 0
    with Collection.open(pg_database.role_url(role, "pw-eli")) as col:
        pid = list_profiles(col)[0].id  # the student sees their own profile only
        assert profile_stats(col, pid, T0)["reviews_per_day"] == []
    student = create_engine(pg_database.role_url(role, "pw-eli"))
    try:
        with pytest.raises(ProgrammingError, match="permission denied"), \
                student.begin() as conn:
            conn.execute(text("INSERT INTO review_day_mark (profile_id, through_day, "
                              "through_id) VALUES (:p, 0, 0)"), {"p": pid})
    finally:
        student.dispose()
    with owner.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM review_day_mark")).scalar() == 0
    owner.dispose()


# Held facts: their tests name the step, not its number (see the media store's).
HELD_FROM = MIGRATIONS.index(_held_facts) + 1  # the version before it
SEED_NO_FORM = {"q-peskov", "q-moscow-accuses", "q-armenia-position", "q-pashinyan-clarified"}


def test_held_facts_are_recorded_at_the_first_start_after_the_upgrade(tmp_path: Path) -> None:
    """The step adds the columns and marks the database; the first start records the
    builder's verdict (the seed's four quotes no question can ask), keeps their cards
    and history, and leaves them out of every count."""
    from quizapp.services.counts import deck_counts
    from quizapp.storage import quick

    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / f"schema_v{HELD_FROM}.sqlite3", db)
    cards_before = all_rows(db, "card")
    reviews_before = all_reviews(db)
    open_database(f"sqlite:///{db}").dispose()  # the upgrade alone: nothing recorded yet
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'forms_unchecked'").fetchone()
        assert con.execute("SELECT count(*) FROM fact WHERE hold IS NOT NULL").fetchone() == (0,)
    finally:
        con.close()
    assert quick.deck_list(db, None) is None  # the quick read steps aside until it is done
    with Collection.open(f"sqlite:///{db}") as col:
        profile = col.profile("Ana")
        assert profile.id is not None
        seed = next(d for d in deck_counts(col, profile.id, T0) if d.key == "seed")
        held = {f.id for f in col.load_deck("seed", include_held=True).facts if f.hold}
    assert held == SEED_NO_FORM
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT key, hold, retired, hold_reasons FROM fact "
                           "WHERE hold IS NOT NULL").fetchall()
        assert {r[0] for r in rows} == SEED_NO_FORM
        assert all(r[1] == "no_form" and r[2] == 1 and r[3] for r in rows)
        assert con.execute("SELECT key FROM meta WHERE key = 'forms_unchecked'").fetchone() is None
        ana_cards = con.execute(
            "SELECT count(*) FROM card c JOIN profile p ON p.id = c.profile_id "
            "JOIN fact f ON f.id = c.fact_id WHERE p.name = 'Ana' AND f.retired = 0 "
            "AND c.deck_id = (SELECT id FROM deck WHERE key = 'seed')").fetchone()[0]
    finally:
        con.close()
    assert all_rows(db, "card") == cards_before  # no card or answer is lost …
    assert all_reviews(db) == reviews_before
    assert seed.total == ana_cards == 36  # … but the held facts' cards are not counted


def test_held_facts_upgrade_on_postgresql(pg_database: PgDatabase) -> None:
    from sqlalchemy import create_engine, text

    pg_database.reset()
    Collection.open(pg_database.url).close()  # the current schema, the seed stored
    owner = create_engine(pg_database.url)
    with owner.begin() as conn:  # back to the version before held facts
        _undo_held_facts(conn)
        conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                     {"v": str(HELD_FROM)})
    with owner.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM fact WHERE retired")).scalar() == 0
    with Collection.open(pg_database.url) as col:
        held = {f.id for f in col.load_deck("seed", include_held=True).facts if f.hold}
    assert held == SEED_NO_FORM
    with owner.begin() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")
                            ).scalar() == str(SCHEMA_VERSION)
        assert conn.execute(text("SELECT count(*) FROM meta WHERE key = 'forms_unchecked'")
                            ).scalar() == 0
        # The database holds the rule itself: a held fact is out of study.
        with pytest.raises(Exception, match="ck_fact_hold"), conn.begin_nested():
            conn.execute(text("UPDATE fact SET retired = FALSE WHERE hold IS NOT NULL"))
    owner.dispose()


def test_a_classroom_before_held_facts_upgrades_and_its_teacher_holds_facts(
        pg_database: PgDatabase) -> None:
    """After the upgrade a teacher's import writes the new columns (the grants are made
    afresh), the owner's class init records the seed's verdict, and a student still
    reads the deck."""
    import dataclasses

    from sqlalchemy import create_engine, text

    from quizapp.facts.model import Deck, Fact, FactKind
    from quizapp.services.classroom import add_student, add_teacher, init_classroom
    from quizapp.services.held import held_facts

    pg_database.reset()
    teacher, student = f"{pg_database.role_prefix}tom", f"{pg_database.role_prefix}ivy"
    engine = init_classroom(pg_database.url)
    add_teacher(engine, teacher, class_name="9a", password="pw-tom")
    add_student(engine, student, class_name="9a", password="pw-ivy")
    engine.dispose()
    owner = create_engine(pg_database.url)
    with owner.begin() as conn:  # back to the version before held facts
        _undo_held_facts(conn)
        conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                     {"v": str(HELD_FROM)})
    open_database(pg_database.url).dispose()  # the owner's start upgrades it
    notes = Deck(id="notes", name="Notes", facts=(
        Fact(id="n1", kind=FactKind.QA, front="One?", back="1"),
        dataclasses.replace(Fact(id="n2", kind=FactKind.QA, front="Two?", back="2"),
                            hold="pending", reasons=("check the answer",))))
    with Collection.open(pg_database.role_url(teacher, "pw-tom")) as col:
        col.import_deck(notes)  # the teacher writes fact.hold and fact.hold_reasons
        assert [f.id for f in held_facts(col, "notes", "pending")] == ["n2"]
        accepted = dataclasses.replace(notes.facts[1], hold=None, reasons=())
        col.import_deck(dataclasses.replace(notes, facts=(notes.facts[0], accepted)))
        assert held_facts(col, "notes") == []  # accepted: an UPDATE of the new columns
    with Collection.open(pg_database.role_url(student, "pw-ivy")) as col:
        assert {f.id for f in col.load_deck("notes").facts} == {"n1", "n2"}
    init_classroom(pg_database.url).dispose()  # class init records the seed's verdict
    with owner.connect() as conn:
        held = set(conn.execute(text("SELECT key FROM fact WHERE hold = 'no_form'")).scalars())
        assert conn.execute(text("SELECT count(*) FROM meta WHERE key = 'forms_unchecked'")
                            ).scalar() == 0
    owner.dispose()
    assert held == SEED_NO_FORM


# ---------------------------------------------------------------- schema 9 → 10

STATES_FROM = MIGRATIONS.index(_card_state_columns) + 1  # the version before it
_STATE_T = datetime(2026, 9, 15, 9, 58, 0, 123456, tzinfo=UTC)


def _json_states() -> list[str]:
    """Card states as JSON text, as schema 9 and earlier wrote them: the hard cases of an
    exact conversion (every float bit, times to the microsecond, fields left out).

    No negative zero: SQLite stores a REAL of integer value as an integer, so -0.0
    becomes 0.0 in any REAL column (the card's too); quizapp never computes one."""
    import random
    import struct

    full = CardState(1, 1, 2.3065, 2.118103970459016, _STATE_T,
                     _STATE_T - timedelta(minutes=10), 1, 0, False, 20711)
    states = [
        full.to_json(),
        CardState().to_json(),
        full.with_changes(due=_STATE_T.replace(microsecond=0),
                          last_review=_STATE_T.replace(microsecond=1)).to_json(),
        full.with_changes(step=None, suspended=True, reps=100_000, lapses=9,
                          last_shown_day=None, stability=1e-300, difficulty=5e-324).to_json(),
        # Older files' spellings: spaces, fields left out (their defaults), a whole
        # number for a float, a time in another zone.
        '{"state": 0}',
        json.dumps({"state": 2, "stability": 3.0, "difficulty": 5.0,
                    "due": "2024-05-04T09:00:00+00:00"}),
        '{"state":2,"stability":4,"difficulty":5.5,"due":"2026-01-01T01:30:00.000005+01:00",'
        '"last_review":"1969-12-31T23:59:59.999999+00:00","reps":3}',
        '{"reps":2,"state":3,"unknown":"ignored"}',
    ]
    rng = random.Random(10)
    for _ in range(200):
        while True:  # any finite double, from its bits
            value = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
            if value == value and abs(value) != float("inf") and value != 0.0:
                break
        due = _STATE_T + timedelta(microseconds=rng.randrange(-10**15, 10**15))
        states.append(CardState(rng.randrange(4), rng.choice([None, 0, 1, 2]), value,
                                rng.uniform(1, 10), due, due - timedelta(days=rng.random() * 99),
                                rng.randrange(50), rng.randrange(9), rng.random() < 0.1,
                                rng.randrange(30000)).to_json())
    return states


def _same_state(got: CardState | None, want: CardState | None) -> bool:
    """Equal states, the floats bit for bit."""
    import struct

    if got is None or want is None:
        return got is want
    bits = [struct.pack("<d", float(x)) if x is not None else None
            for s in (got, want) for x in (s.stability, s.difficulty)]
    return got == want and bits[:2] == bits[2:]


def _add_json_reviews(conn: Any, profile_id: int, card_id: int, study_day: int,
                      texts: list[str | None]) -> None:
    """Review rows of schema 9 whose state before and after are ``texts`` (each in turn)."""
    from sqlalchemy import text

    conn.execute(text(
        "INSERT INTO review (card_id, profile_id, reviewed_at, study_day, kind, form, correct,"
        " rating, state_before, state_after) VALUES (:c, :p, :t, :d, 'study', 'typed', TRUE, 3,"
        " :b, :a)"), [{"c": card_id, "p": profile_id, "t": _STATE_T, "d": study_day, "b": b,
                       "a": texts[(i + 1) % len(texts)]} for i, b in enumerate(texts)])


def test_schema_10_keeps_every_card_state_exactly_as_columns(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every review's state before and after, JSON before, is the same state after the
    upgrade (floats bit for bit, times to the microsecond, no state stays none), every
    other column unchanged; text that is not a JSON object (never written by quizapp)
    becomes no state, the row kept."""
    from sqlalchemy import create_engine, text

    monkeypatch.setattr(db_module, "SCHEMA_VERSION", STATES_FROM + 1)  # this step alone
    db = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / f"schema_v{STATES_FROM}.sqlite3", db)
    texts: list[str | None] = [None, *_json_states()]
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        card, profile, day = conn.execute(text(
            "SELECT card_id, profile_id, study_day FROM review LIMIT 1")).one()
        _add_json_reviews(conn, profile, card, day, texts)
    before = all_reviews(db)  # decoded with CardState.from_json …
    with engine.begin() as conn:
        _add_json_reviews(conn, profile, card, day, ["not JSON", "[1, 2]", '"text"'])
    engine.dispose()
    assert len(before) >= len(texts) + 25
    open_database(f"sqlite:///{db}").dispose()
    after = all_reviews(db)  # … and from the columns
    assert len(after) == len(before) + 3
    for old, new in zip(before, after, strict=False):
        assert old[:-2] == new[:-2]  # every other column
        assert _same_state(new[-2], old[-2]) and _same_state(new[-1], old[-1]), (old, new)
    assert [r[-2:] for r in after[len(before):]] == [(None, None)] * 3
    con = sqlite3.connect(db)
    try:
        columns = {r[1] for r in con.execute("PRAGMA table_info(review)")}
        assert not {"state_before", "state_after"} & columns
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                           ).fetchone()[0] == str(STATES_FROM + 1)
    finally:
        con.close()
    assert "before_state" in index_sql(db)["ix_review_day_cover"]
    assert (tmp_path / f"old.schema{STATES_FROM}.bak.sqlite3").exists()


def test_schema_10_upgrades_a_classroom_on_postgresql(
        pg_database: PgDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same conversion on PostgreSQL, run by the owner of the tables; afterwards a
    student answers and undoes under row-level security."""
    from sqlalchemy import create_engine, text

    from quizapp.services.classroom import add_student, init_classroom
    from quizapp.study import StudySession

    pg_database.reset()
    student = f"{pg_database.role_prefix}zoe"
    engine = init_classroom(pg_database.url)
    add_student(engine, student, class_name="9a", password="pw-zoe")
    engine.dispose()
    student_url = pg_database.role_url(student, "pw-zoe")
    with Collection.open(student_url) as col:  # an answer of schema 10's app
        session = StudySession(col)
        question = session.next_question(_STATE_T)
        assert question is not None
        session.answer(question, question.answers[0], _STATE_T, 3000)
        pid = col.profile().id
    owner = create_engine(pg_database.url)
    texts: list[str | None] = [None, *_json_states()]
    with owner.begin() as conn:  # back to schema 9, with the hard cases in its log
        undo_card_state_columns(conn)
        conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                     {"v": str(STATES_FROM)})
        card, day = conn.execute(text("SELECT card_id, study_day FROM review")).one()
        _add_json_reviews(conn, pid, card, day, texts)
    before = _review_rows(owner)
    assert len(before) == len(texts) + 1
    monkeypatch.setattr(db_module, "SCHEMA_VERSION", STATES_FROM + 1)  # this step alone
    open_database(pg_database.url).dispose()  # the owner's start upgrades it
    after = _review_rows(owner)
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        assert old[:-2] == new[:-2]
        assert _same_state(new[-2], old[-2]) and _same_state(new[-1], old[-1]), (old, new)
    with owner.connect() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")
                            ).scalar() == str(STATES_FROM + 1)
        assert "before_state" in (conn.execute(text(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_review_day_cover'")
        ).scalar() or "")
        assert conn.execute(text("SELECT count(*) FROM pg_trigger "
                                 "WHERE tgname = 'quizapp_review_guard' AND tgenabled = 'O'")
                            ).scalar() == 1  # the review guard runs again
    owner.dispose()
    with Collection.open(student_url) as col:  # RLS and grants hold for the new columns
        session = StudySession(col)
        question = session.next_question(_STATE_T + timedelta(minutes=1))
        assert question is not None
        result = session.answer(question, question.answers[0], _STATE_T + timedelta(minutes=1),
                                3000)
        undone = session.undo(_STATE_T + timedelta(minutes=2))
        assert undone is not None and undone.cancelled_id == result.review_id
    rows = _review_rows(owner)
    owner.dispose()
    answer, undo = rows[-2], rows[-1]
    assert answer[-2] is not None and answer[-1] is not None
    assert undo[-2] == answer[-1] and undo[-1] == answer[-2]  # undo restored the state before
