"""Classroom on PostgreSQL: students as roles, row-level security, 30 students at once, report.

Needs QUIZAPP_TEST_PG_URL (an admin connection; see tests/conftest.py). The
classroom lives in a database of its own, made once for this module; its
login roles are dropped with it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import queue
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from quizapp.cli import classroom as cli_class
from quizapp.questions.model import Form
from quizapp.services.classroom import (
    STUDENT_GROUP,
    TEACHER_GROUP,
    Account,
    ClassroomError,
    add_student,
    add_teacher,
    class_report,
    init_classroom,
)
from quizapp.services.collection import Collection
from quizapp.services.profiles import update_profile_settings
from quizapp.storage.db import open_database
from quizapp.storage.models import SCHEMA_VERSION
from quizapp.study import StudySession

from .classroom_student import (
    T0,
    answer_questions,
    open_study,
    respond,
    student_process,
    wrong,
)
from .conftest import PgDatabase
from .reviewrows import undo_card_state_columns

STUDENTS = 30
ANSWERS = 100  # per student
PROFILE_TABLES = ("profile", "card", "review", "study_session", "question_report",
                  "profile_deck")


@dataclass
class Classroom:
    db: PgDatabase
    engine: Engine  # the owner's (the teacher who ran class init)
    students: dict[str, Account]
    teachers: dict[str, Account]

    def role(self, name: str) -> str:
        return f"{self.db.role_prefix}{name}"

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()


@pytest.fixture(scope="module")
def classroom(pg_admin_url: str) -> Iterator[Classroom]:
    """Class 7b (ana, ben; teacher lee) and class 7c (cy; teacher kim), on the seed deck."""
    db = PgDatabase.create(pg_admin_url, "classroom")
    try:
        engine = init_classroom(db.url)
        room = Classroom(db, engine, {}, {})
        for name, klass in (("ana", "7b"), ("ben", "7b"), ("cy", "7c")):
            room.students[name] = add_student(engine, room.role(name), class_name=klass,
                                              password=f"pw-{name}", now=T0)
        for name, klass in (("lee", "7b"), ("kim", "7c")):
            room.teachers[name] = add_teacher(engine, room.role(name), class_name=klass,
                                              password=f"pw-{name}")
        yield room
        engine.dispose()
    finally:
        db.drop()


def study(url: str, answers: int, *, start: datetime = T0) -> list[int]:
    """Answer ``answers`` questions as the profile of ``url``; their review ids."""
    with Collection.open(url) as col:
        return answer_questions(open_study(col), answers, start=start, every_wrong=3)


# ---------------------------------------------------------------- 30 students at once


def test_thirty_students_answer_together_and_no_review_is_lost(classroom: Classroom) -> None:
    accounts = [add_student(classroom.engine, classroom.role(f"load{i:02d}"), class_name="load",
                            password=f"pw-load-{i}") for i in range(STUDENTS)]
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(STUDENTS)
    results = ctx.Queue()
    procs = [ctx.Process(target=student_process, args=(a.url, barrier, ANSWERS, results))
             for a in accounts]
    t0 = time.time()
    for p in procs:
        p.start()
    done: list[tuple[Any, ...]] = []
    try:
        while len(done) < STUDENTS:
            done.append(results.get(timeout=240))
    except queue.Empty:
        pytest.fail(f"only {len(done)} of {STUDENTS} students reported back")
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.kill()
    wall = time.time() - t0
    errors = [d[2] for d in done if d[0] == "error"]
    assert not errors, errors[0]
    starts = [d[3] for d in done]
    answering = max(d[4] for d in done) - min(starts)
    print(f"\n{STUDENTS} students x {ANSWERS} answers: started within "
          f"{max(starts) - min(starts):.2f}s of each other, answered in {answering:.1f}s, "
          f"{wall:.1f}s with start-up")
    assert max(starts) - min(starts) < 5  # they did start together

    claimed = {int(d[1]): list(d[2]) for d in done}
    assert len(claimed) == STUDENTS
    with classroom.engine.connect() as conn:  # the owner sees every row
        for profile_id, ids in claimed.items():
            assert len(ids) == ANSWERS == len(set(ids))
            stored = conn.execute(
                text("SELECT id FROM review WHERE profile_id = :p ORDER BY id"),
                {"p": profile_id}).scalars().all()
            assert stored == sorted(ids), f"profile {profile_id} lost reviews"
            # Each review belongs to a card of its own profile, and the sitting counted it.
            assert conn.execute(text(
                "SELECT count(*) FROM review r JOIN card c ON c.id = r.card_id "
                "WHERE r.profile_id = :p AND c.profile_id = :p"), {"p": profile_id}).scalar() \
                == ANSWERS
            assert conn.execute(text(
                "SELECT sum(answered) FROM study_session WHERE profile_id = :p"),
                {"p": profile_id}).scalar() == ANSWERS
        lost = STUDENTS * ANSWERS - conn.execute(text(
            "SELECT count(*) FROM review r JOIN profile p ON p.id = r.profile_id "
            "WHERE p.class_name = 'load'")).scalar_one()
    assert lost == 0


# ---------------------------------------------------------------- row-level security


def _refused(conn: Any, sql: str, **params: Any) -> str:
    """Run ``sql`` in a savepoint; return the server's refusal (fails if it was allowed)."""
    with pytest.raises(DBAPIError) as caught, conn.begin_nested():
        conn.execute(text(sql), params)
    return str(caught.value.orig)


def test_a_student_cannot_see_or_touch_another_students_rows(classroom: Classroom) -> None:
    ana, ben, cy = (classroom.students[n] for n in ("ana", "ben", "cy"))
    study(ana.url, 6)
    study(ben.url, 6)
    before = {t: classroom.scalar(f"SELECT count(*) FROM {t} WHERE "
                                  + ("id" if t == "profile" else "profile_id") + " = :p",
                                  p=ben.profile_id) for t in PROFILE_TABLES}
    assert before["review"] >= 6 and before["profile"] == 1
    ben_reps = classroom.scalar("SELECT sum(reps) FROM card WHERE profile_id = :p",
                                p=ben.profile_id)

    engine = create_engine(ana.url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar() == ana.role
            # Raw SQL sees no row of another student, whatever the WHERE clause says.
            assert conn.execute(text("SELECT count(*) FROM review WHERE profile_id = :p"),
                                {"p": ben.profile_id}).scalar() == 0
            assert conn.execute(text("SELECT * FROM review WHERE profile_id <> :p"),
                                {"p": ana.profile_id}).all() == []
            for table in PROFILE_TABLES:
                key = "id" if table == "profile" else "profile_id"
                seen = set(conn.execute(text(f"SELECT DISTINCT {key} FROM {table}")).scalars())
                assert seen <= {ana.profile_id}, table
            assert conn.execute(text("SELECT count(*) FROM review")).scalar() >= 6
            assert conn.execute(text("SELECT name FROM profile")).scalars().all() == [ana.role]
            # Writes to another's rows change nothing, or are refused.
            for sql in ("UPDATE card SET reps = 99 WHERE profile_id = :p",
                        "UPDATE profile SET desired_retention = 0.5 WHERE id = :p",
                        "UPDATE study_session SET answered = 0 WHERE profile_id = :p",
                        "UPDATE profile_deck SET new_per_day = 0 WHERE profile_id = :p"):
                assert conn.execute(text(sql), {"p": ben.profile_id}).rowcount == 0, sql
            ben_card = classroom.scalar("SELECT min(id) FROM card WHERE profile_id = :p",
                                        p=ben.profile_id)
            own_card = conn.execute(text("SELECT min(id) FROM card")).scalar()
            insert = ("INSERT INTO review (card_id, profile_id, reviewed_at, study_day, kind) "
                      "VALUES (:c, :p, now(), 19844, 'study')")
            assert "row-level security" in _refused(conn, insert, c=ben_card,
                                                    p=ben.profile_id)
            assert "row-level security" in _refused(conn, insert, c=ben_card,
                                                    p=ana.profile_id)
            # The review log is append-only, and a student keeps to their settings.
            assert "permission denied" in _refused(conn, "DELETE FROM review")
            assert "permission denied" in _refused(conn, "UPDATE review SET correct = true")
            assert "permission denied" in _refused(conn, "DELETE FROM card WHERE id = :c",
                                                   c=own_card)
            assert "permission denied" in _refused(conn, "DELETE FROM profile_deck")
            assert "permission denied" in _refused(
                conn, "UPDATE profile SET class_name = '7c'")
            assert "permission denied" in _refused(
                conn, f"UPDATE profile SET db_role = '{cy.role}'")
            assert "permission denied" in _refused(conn, "UPDATE deck SET name = 'mine'")
            assert "permission denied" in _refused(conn, f'SET ROLE "{ben.role}"')
            # Shared tables: every deck and fact is readable.
            assert conn.execute(text("SELECT count(*) FROM fact")).scalar() == \
                classroom.scalar("SELECT count(*) FROM fact")
            conn.rollback()
    finally:
        engine.dispose()
    after = {t: classroom.scalar(f"SELECT count(*) FROM {t} WHERE "
                                 + ("id" if t == "profile" else "profile_id") + " = :p",
                                 p=ben.profile_id) for t in PROFILE_TABLES}
    assert after == before
    assert classroom.scalar("SELECT sum(reps) FROM card WHERE profile_id = :p",
                            p=ben.profile_id) == ben_reps


def test_a_teacher_reads_the_whole_class_and_nothing_else(classroom: Classroom) -> None:
    for name in ("ana", "ben", "cy"):
        study(classroom.students[name].url, 3, start=T0 + timedelta(days=30))
    lee = classroom.teachers["lee"]
    class_7b = {classroom.students[n].profile_id for n in ("ana", "ben")}
    engine = create_engine(lee.url)
    try:
        with engine.connect() as conn:
            for table in PROFILE_TABLES:
                key = "id" if table == "profile" else "profile_id"
                owner_count = classroom.scalar(
                    f"SELECT count(*) FROM {table} t JOIN profile p ON p.id = t.{key} "
                    "WHERE p.class_name = '7b'")
                assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() \
                    == owner_count, table
                seen = set(conn.execute(text(f"SELECT DISTINCT {key} FROM {table}")).scalars())
                assert seen <= class_7b, table
            assert set(conn.execute(text("SELECT id FROM profile")).scalars()) == class_7b
            # Reading is all: the class's rows are not the teacher's to change.
            assert "permission denied" in _refused(conn, "UPDATE card SET reps = 0")
            assert "permission denied" in _refused(conn, "DELETE FROM review")
            conn.rollback()
        with Collection.open(lee.url, first_start=False) as col, col.session() as s:
            report = class_report(s)
        assert {st["profile_id"] for st in report["students"]} == class_7b
        assert {st["class"] for st in report["students"]} == {"7b"}
    finally:
        engine.dispose()


def test_roles_and_group_membership(classroom: Classroom) -> None:
    ana, lee = classroom.students["ana"], classroom.teachers["lee"]
    with classroom.engine.connect() as conn:
        def member(role: str, group: str) -> bool:
            return bool(conn.execute(text("SELECT pg_has_role(:r, :g, 'MEMBER')"),
                                     {"r": role, "g": group}).scalar())

        assert member(ana.role, STUDENT_GROUP) and not member(ana.role, TEACHER_GROUP)
        assert member(lee.role, TEACHER_GROUP) and not member(lee.role, STUDENT_GROUP)
        assert conn.execute(text("SELECT db_role, class_name FROM profile WHERE id = :p"),
                            {"p": ana.profile_id}).one() == (ana.role, "7b")
        # RLS is on for every table keyed on a profile; the password is stored hashed.
        flags = dict(conn.execute(text(
            "SELECT relname, relrowsecurity FROM pg_class WHERE relname = ANY(:t)"),
            {"t": list(PROFILE_TABLES)}).all())
        assert flags == dict.fromkeys(PROFILE_TABLES, True)
    with pytest.raises(ClassroomError, match="exists already"):
        add_student(classroom.engine, ana.role, class_name="7b")
    with pytest.raises(ClassroomError, match="cannot be a login name"):
        add_student(classroom.engine, "Robert'); DROP TABLE review;--")
    with pytest.raises(ClassroomError, match="student's role"):
        add_teacher(classroom.engine, ana.role)
    # A refused add leaves nothing behind: the role goes with the profile's transaction.
    zed = classroom.role("zed")
    with pytest.raises(ClassroomError, match="exists already"):
        add_student(classroom.engine, zed, name=ana.role)  # a taken profile name
    assert classroom.scalar("SELECT count(*) FROM pg_roles WHERE rolname = :r", r=zed) == 0
    # init again: nothing lost, nothing doubled.
    init_classroom(classroom.db.url).dispose()
    assert classroom.scalar("SELECT count(*) FROM pg_policies WHERE tablename = 'review'") == 2
    assert classroom.scalar("SELECT count(*) FROM profile") >= 3


# ---------------------------------------------------------------- the class report


def run_cli(argv: list[str], url: str, monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run a classroom command as ``quizapp`` would (its register on the parser)."""
    monkeypatch.setenv("QUIZAPP_DATABASE_URL", url)
    parser = argparse.ArgumentParser(prog="quizapp")
    cli_class.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    status = args.func(args)
    out = capsys.readouterr()
    return status, out.out, out.err


REPORT_SQL = """
SELECT r.profile_id, c.deck_id,
       SUM(CASE WHEN COALESCE(o.kind, r.kind) = 'study' AND r.kind <> 'undo' THEN 1 ELSE 0 END),
       SUM(CASE WHEN COALESCE(o.kind, r.kind) = 'study' AND r.kind <> 'undo'
                 AND r.correct THEN 1 ELSE 0 END),
       SUM(CASE WHEN COALESCE(o.kind, r.kind) = 'test' AND r.kind <> 'undo' THEN 1 ELSE 0 END)
FROM review r
JOIN card c ON c.id = r.card_id
LEFT JOIN review o ON o.id = r.cancels_id AND r.kind = 'overrule'
WHERE r.kind <> 'undo' AND NOT EXISTS (SELECT 1 FROM review x WHERE x.cancels_id = r.id)
GROUP BY r.profile_id, c.deck_id
"""


def make_history(url: str) -> None:
    """Answers of every kind for the first visible profile: undo, overrule, test, report."""
    with Collection.open(url) as col:
        session = open_study(col)
        now = T0 + timedelta(days=60)
        overruled = False
        for i in range(14):
            q = session.next_question(now)
            assert q is not None
            result = respond(session, q, i % 3 == 0, now)
            if not result.correct and not overruled and q.form in (Form.TYPED, Form.CLOZE):
                session.overrule(result.review_id, now)
                overruled = True
            if i == 5:
                session.undo(now)
            if i == 8:
                session.report(q, "two answers fit", now)
            now += timedelta(seconds=30)
        with col.session() as s:
            card_id = s.execute(text("SELECT min(id) FROM card")).scalar()
        q = session.build_question(card_id, now)
        assert q is not None
        session.record_test_answer(q, wrong(q), now, 3000)


def check_report(report: dict[str, Any], engine: Engine, class_name: str | None) -> None:
    """Compare the report with raw SQL over the same database."""
    with engine.connect() as conn:
        counts = {(int(p), int(d)): (int(n), int(ok), int(t))
                  for p, d, n, ok, t in conn.execute(text(REPORT_SQL))}
        members = {int(p) for (p,) in conn.execute(
            text("SELECT id FROM profile WHERE class_name = :c OR :c IS NULL"),
            {"c": class_name})}
        facts = {(int(p), int(d)): int(n) for p, d, n in conn.execute(text(
            "SELECT c.profile_id, f.deck_id, count(*) FROM card c JOIN fact f ON f.id = "
            "c.fact_id WHERE NOT f.retired "
            "GROUP BY c.profile_id, f.deck_id"))}
        reports = {(int(p), int(d)): int(n) for p, d, n in conn.execute(text(
            "SELECT q.profile_id, f.deck_id, count(*) FROM question_report q "
            "JOIN fact f ON f.id = q.fact_id GROUP BY q.profile_id, f.deck_id"))}
        misses = {(int(p), key): (int(m), int(n)) for p, key, m, n in conn.execute(text(
            "SELECT r.profile_id, f.key, SUM(CASE WHEN NOT r.correct THEN 1 ELSE 0 END), "
            "count(*) FROM review r JOIN card c ON c.id = r.card_id JOIN fact f ON "
            "f.id = c.fact_id WHERE r.kind <> 'undo' AND NOT EXISTS (SELECT 1 FROM review x "
            "WHERE x.cancels_id = r.id) GROUP BY r.profile_id, f.key"))}
    assert {s["profile_id"] for s in report["students"]} == members
    seen_reviews = 0
    for student in report["students"]:
        pid = student["profile_id"]
        for deck in student["decks"]:
            key = (pid, deck["deck_id"])
            n, ok, tests = counts.get(key, (0, 0, 0))
            assert (deck["reviews"], deck["correct"], deck["tests"]) == (n, ok, tests), key
            assert deck["accuracy"] == (ok / n if n else None)
            assert deck["facts"] == facts[key]
            assert len(deck["reported"]) == reports.get(key, 0)
            for m in deck["most_missed"]:
                assert (m["misses"], m["answers"]) == misses[(pid, m["fact_id"])]
                assert m["question"], m  # what the fact is about, beside its value
            top = sorted((-m, k) for (p, k), (m, _n) in misses.items() if p == pid and m > 0)
            assert [-m for m, _k in top[: len(deck["most_missed"])]] == \
                [m["misses"] for m in deck["most_missed"]]
            seen_reviews += n
    assert seen_reviews == sum(n for (p, _d), (n, _ok, _t) in counts.items() if p in members)
    json.dumps(report)


def test_class_report_json_agrees_with_raw_sql(
        classroom: Classroom, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    make_history(classroom.students["ben"].url)
    status, out, err = run_cli(["class-report", "--json", "--class", "7b"],
                               classroom.db.url, monkeypatch, capsys)
    assert status == 0, err
    report = json.loads(out)
    assert report["class"] == "7b"
    assert [s["name"] for s in report["students"]] == [classroom.role("ana"),
                                                       classroom.role("ben")]
    ben = report["students"][1]["decks"][0]
    assert ben["reviews"] > 0 and ben["tests"] == 1 and len(ben["reported"]) == 1
    assert ben["reported"][0]["reason"] == "two answers fit"
    check_report(report, classroom.engine, "7b")
    # Every class at once, as the owner; and a teacher's connection gets its class only.
    status, out, _ = run_cli(["class-report", "--json"], classroom.db.url, monkeypatch, capsys)
    check_report(json.loads(out), classroom.engine, None)
    status, out, _ = run_cli(["class-report", "--json"], classroom.teachers["kim"].url,
                             monkeypatch, capsys)
    assert {s["class"] for s in json.loads(out)["students"]} == {"7c"}
    status, out, _ = run_cli(["class-report", "--class", "7b"], classroom.db.url,
                             monkeypatch, capsys)
    assert status == 0 and classroom.role("ben") in out and "accuracy" in out


@pytest.mark.both_backends
def test_class_report_on_any_backend(db_url: str) -> None:
    """The report is portable: a class of profiles on SQLite reads the same as on PostgreSQL."""
    from quizapp.services.profiles import create_profile

    with Collection.open(db_url) as col:
        for name in ("Ana", "Ben"):
            create_profile(col, name, T0)
        with col.transaction() as s:
            s.execute(text("UPDATE profile SET class_name = '7b' WHERE name IN ('Ana', 'Ben')"))
    for name in ("Ana", "Ben", "Student"):
        with Collection.open(db_url) as col:
            pid = col.profile(name).id
            session = StudySession(col, pid)
            update_profile_settings(col, session.profile_id, timezone="UTC", new_per_day=1000)
            session, now = StudySession(col, pid), T0
            for i in range(12):
                q = session.next_question(now)
                assert q is not None
                respond(session, q, i % 2 == 0, now)
                now += timedelta(seconds=30)
    with Collection.open(db_url) as col, col.session() as s:
        report = class_report(s, "7b")
        assert [st["name"] for st in report["students"]] == ["Ana", "Ben"]
        assert [d["reviews"] for st in report["students"] for d in st["decks"]] == [12, 12]
        check_report(report, col.engine, "7b")
        everyone = class_report(s)
        assert [st["class"] for st in everyone["students"]] == ["7b", "7b", None]
        check_report(everyone, col.engine, None)


# ---------------------------------------------------------------- the commands


def test_class_commands(pg_database: PgDatabase, monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> None:
    pg_database.reset()
    url = pg_database.url
    role = f"{pg_database.role_prefix}dana"
    status, _, err = run_cli(["class", "add-student", role], url, monkeypatch, capsys)
    assert status == 2 and "class init first" in err
    status, out, err = run_cli(["class", "init"], url, monkeypatch, capsys)
    assert status == 0, err
    assert "Classroom ready" in out and "quizapp-ci" not in out  # no password shown
    status, out, err = run_cli(["class", "add-student", role, "--class", "8a", "--json"],
                               url, monkeypatch, capsys)
    assert status == 0, err
    account = json.loads(out)
    assert account["class"] == "8a" and len(account["password"]) >= 12
    study(account["database_url"], 4)
    status, out, err = run_cli(["class", "add-student", role], url, monkeypatch, capsys)
    assert status == 2 and "exists already" in err
    status, out, err = run_cli(["class", "add-student", "No Spaces"], url, monkeypatch, capsys)
    assert status == 2 and err.count("\n") == 1 and "login name" in err
    teacher = f"{pg_database.role_prefix}ed"
    status, out, err = run_cli(["class", "add-teacher", teacher, "--class", "8a",
                                "--password", "pw-ed"], url, monkeypatch, capsys)
    assert status == 0 and "QUIZAPP_DATABASE_URL=" in out, err
    teacher_url = pg_database.role_url(teacher, "pw-ed")
    status, out, err = run_cli(["class-report", "--json"], teacher_url, monkeypatch, capsys)
    assert status == 0, err
    report = json.loads(out)
    assert [(s["role"], s["decks"][0]["reviews"]) for s in report["students"]] == [(role, 4)]
    # A student's own connection reports on that student only.
    status, out, _ = run_cli(["class-report", "--json"], account["database_url"],
                             monkeypatch, capsys)
    assert [s["role"] for s in json.loads(out)["students"]] == [role]


def test_classroom_needs_postgresql(db_url: str, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_cli(["class", "init"], db_url, monkeypatch, capsys)
    assert status == 2 and "needs a PostgreSQL server" in err


def test_a_schema_1_database_upgrades_on_postgresql(pg_database: PgDatabase) -> None:
    pg_database.reset()
    with Collection.open(pg_database.url) as col:
        StudySession(col)
    engine = create_engine(pg_database.url)
    with engine.begin() as conn:  # back to schema 1, as an older quizapp left it
        undo_card_state_columns(conn)
        conn.execute(text("DROP INDEX ix_review_day_cover, ix_review_card_cover, ix_review_wrong, "
                          "ix_review_wrong_choice, ix_review_pace, ix_fact_retired, "
                          "ux_card_profile_fact, ix_card_mastery, "
                          "ix_card_profile_deck, ix_card_leech, ix_card_buried"))
        conn.execute(text("DROP TABLE class_teacher, class_deck_retired, media, review_day, "
                          "review_day_mark"))
        conn.execute(text("ALTER TABLE fact DROP CONSTRAINT ck_fact_hold"))
        conn.execute(text("UPDATE fact SET retired = FALSE WHERE hold IS NOT NULL"))
        conn.execute(text("ALTER TABLE fact DROP COLUMN media, DROP COLUMN hold, "
                          "DROP COLUMN hold_reasons"))
        conn.execute(text("DELETE FROM meta WHERE key = 'forms_unchecked'"))
        conn.execute(text("CREATE INDEX ix_review_profile_day ON review (profile_id, study_day)"))
        conn.execute(text("CREATE INDEX ix_review_card ON review (card_id, reviewed_at)"))
        conn.execute(text("CREATE INDEX ix_card_deck_id ON card (deck_id)"))
        conn.execute(text("ALTER TABLE profile DROP COLUMN db_role, DROP COLUMN class_name"))
        conn.execute(text("ALTER TABLE deck DROP COLUMN speakers"))
        conn.execute(text("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
        decks = conn.execute(text("SELECT * FROM deck ORDER BY id")).all()
        before = conn.execute(text("SELECT * FROM profile ORDER BY id")).all()
        cards = conn.execute(text("SELECT count(*) FROM card")).scalar()
    engine.dispose()
    upgraded = open_database(pg_database.url)
    with upgraded.connect() as conn:
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")
                            ).scalar() == str(SCHEMA_VERSION)
        after = conn.execute(text("SELECT * FROM profile ORDER BY id")).all()
        assert [tuple(r)[: len(before[0])] for r in after] == [tuple(r) for r in before]
        assert conn.execute(text("SELECT count(*) FROM card")).scalar() == cards
        assert conn.execute(text("SELECT count(*) FROM class_teacher")).scalar() == 0
        # Schema 4: decks keep every value; the seed deck gets the speakers its file states.
        deck_rows = conn.execute(text("SELECT * FROM deck ORDER BY id")).all()
        assert [tuple(r)[: len(decks[0])] for r in deck_rows] == [tuple(r) for r in decks]
        stated = conn.execute(text("SELECT key, speakers FROM deck WHERE speakers IS NOT NULL")
                              ).all()
        assert [k for k, _ in stated] == ["seed"] and "Grigory Karasin" in stated[0][1]
        assert conn.execute(text("SELECT count(*) FROM class_deck_retired")).scalar() == 0
        # The media store: an empty table, and no fact shows media.
        assert conn.execute(text("SELECT count(*) FROM media")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM fact WHERE media <> '[]'")).scalar() == 0
        indexes = {r[0] for r in conn.execute(text(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('review', 'card', 'fact')"))}
        assert {"ix_review_day_cover", "ix_review_wrong", "ix_fact_retired",
                "ix_card_leech", "ix_card_profile_deck", "ix_review_pace"} <= indexes  # schema 3
    upgraded.dispose()


def test_postgresql_urls_use_psycopg_and_hide_passwords() -> None:
    from quizapp.storage.db import DatabaseError, normalise_url, redacted

    assert normalise_url("postgresql://a:b@h/d") == "postgresql+psycopg://a:b@h/d"
    assert normalise_url("postgres://a:b@h/d") == "postgresql+psycopg://a:b@h/d"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"
    assert "secret" not in redacted("postgresql://a:secret@h/d")
    with pytest.raises(DatabaseError) as caught:
        open_database("postgresql://nobody:secret@127.0.0.1:1/none")
    assert "secret" not in str(caught.value)
