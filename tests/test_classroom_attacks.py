"""Attacks on a classroom, run as SQL by real student and teacher login roles.

Needs QUIZAPP_TEST_PG_URL (see tests/conftest.py). One classroom is built
once in a template database: class 7b (students ana and ben, teacher lee)
and class 7c (student cy, teacher kim), all on the seed deck, each student
with a few answers given through the app. Every attack gets a fresh copy of
it (``CREATE DATABASE ... TEMPLATE``), runs its statements in one transaction
as the attacker's own login role, commits whatever the server let through,
and then the owner compares every row the attacker does not own with the copy
as it was. An attack is blocked when the server refused it, or when it
changed nothing of anyone else (for the attacks marked ``refuse``, only a
refusal counts: a lock taken, or an answer told apart, is the harm itself).

A few legitimate actions must keep working (end of the file): a student's own
answers and undo, their deck settings, a teacher's report and deck import.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError

from quizapp.services.classroom import add_student, add_teacher, init_classroom
from quizapp.services.collection import Collection
from quizapp.storage.db import normalise_url

from .classroom_student import T0, answer_questions, open_study
from .conftest import PgDatabase

STUDENTS = {"ana": "7b", "ben": "7b", "cy": "7c"}
TEACHERS = {"lee": "7b", "kim": "7c"}
PROFILE_TABLES = ("card", "review", "study_session", "question_report", "profile_deck")
SHARED_TABLES = ("meta", "deck", "source", "fact", "class_teacher")
LOCK_MODES = ("SHARE", "ACCESS EXCLUSIVE")


@dataclass
class Template:
    """The classroom built once; copies of it are made per attack."""

    db: PgDatabase
    ids: dict[str, int] = field(default_factory=dict)  # student -> profile id

    def role(self, who: str) -> str:
        return f"{self.db.role_prefix}{who}"

    def copy(self) -> Copy:
        name = f"{self.db.name[:40]}_{secrets.token_hex(4)}"
        self.db._server(f'CREATE DATABASE "{name}" TEMPLATE "{self.db.name}"')
        url = make_url(self.db.url).set(database=name).render_as_string(hide_password=False)
        return Copy(self, name, url)


@dataclass
class Copy:
    """One fresh copy of the classroom; the owner's engine sees every row."""

    template: Template
    name: str
    url: str
    _engine: Engine | None = None

    @property
    def owner(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(normalise_url(self.url))
        return self._engine

    def url_of(self, who: str) -> str:
        return make_url(self.url).set(username=self.template.role(who),
                                      password=f"pw-{who}").render_as_string(
                                          hide_password=False)

    def ids(self) -> dict[str, int]:
        return self.template.ids

    def drop(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        self.template.db._server(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def template(pg_admin_url: str) -> Iterator[Template]:
    db = PgDatabase.create(pg_admin_url, "attacks")
    try:
        room = Template(db)
        engine = init_classroom(db.url)
        try:
            for who, klass in STUDENTS.items():
                account = add_student(engine, room.role(who), class_name=klass,
                                      password=f"pw-{who}", now=T0)
                assert account.profile_id is not None
                room.ids[who] = account.profile_id
            for who, klass in TEACHERS.items():
                add_teacher(engine, room.role(who), class_name=klass, password=f"pw-{who}")
        finally:
            engine.dispose()
        for i, who in enumerate(STUDENTS):
            url = PgDatabase.role_url(db, room.role(who), f"pw-{who}")
            with Collection.open(url) as col:
                session = open_study(col)
                answer_questions(session, 8 + 2 * i, every_wrong=3)
                session.undo(T0 + timedelta(hours=2))  # one undo row of their own
        yield room
    finally:
        db.drop()


@pytest.fixture
def room(template: Template) -> Iterator[Copy]:
    copy = template.copy()
    try:
        yield copy
    finally:
        copy.drop()


# ---------------------------------------------------------------- what "no effect" means


def others_state(conn: Connection, attacker_profile: int | None) -> dict[str, Any]:
    """Every row not the attacker's, and what a teacher's report counts of each student."""
    state: dict[str, Any] = {}
    me = attacker_profile if attacker_profile is not None else -1
    for table in (*PROFILE_TABLES, "profile"):
        key = "id" if table == "profile" else "profile_id"
        state[table] = conn.execute(text(
            f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')), count(*) "
            f"FROM {table} t WHERE {key} <> :me"), {"me": me}).one()
    for table in SHARED_TABLES:
        state[table] = conn.execute(text(
            f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')), count(*) "
            f"FROM {table} t")).one()
    # Effective answers per student, as the class report counts them: a row
    # another row cancels is left out, whoever wrote the cancelling row.
    state["effective"] = dict(conn.execute(text(
        "SELECT r.profile_id, count(*) FROM review r WHERE r.kind <> 'undo' AND r.profile_id "
        "<> :me AND NOT EXISTS (SELECT 1 FROM review x WHERE x.cancels_id = r.id) "
        "GROUP BY r.profile_id"), {"me": me}).all())
    return state


@dataclass(frozen=True)
class Attack:
    """Statements one role runs in one transaction, against a fresh classroom."""

    name: str
    who: str
    statements: tuple[str, ...]
    refuse: bool = False  # only a refusal by the server counts as blocked


def _params(room: Copy) -> dict[str, Any]:
    """Ids the attacker would have learnt or guessed: other students' rows, the seed deck."""
    with room.owner.connect() as owner:
        def one(sql: str, **kw: Any) -> Any:
            return owner.execute(text(sql), kw).scalar()

        ids = room.ids()
        return {
            "ana": ids["ana"], "ben": ids["ben"], "cy": ids["cy"],
            "ben_review": one("SELECT min(id) FROM review WHERE profile_id = :p "
                              "AND kind = 'study'", p=ids["ben"]),
            "cy_review": one("SELECT min(id) FROM review WHERE profile_id = :p "
                             "AND kind = 'study'", p=ids["cy"]),
            "ben_session": one("SELECT min(id) FROM study_session WHERE profile_id = :p",
                               p=ids["ben"]),
            "ben_card": one("SELECT min(id) FROM card WHERE profile_id = :p", p=ids["ben"]),
            "cy_card": one("SELECT min(id) FROM card WHERE profile_id = :p", p=ids["cy"]),
            "ana_card": one("SELECT min(id) FROM card WHERE profile_id = :p", p=ids["ana"]),
            "ana_review": one("SELECT max(id) FROM review WHERE profile_id = :p "
                              "AND kind = 'study'", p=ids["ana"]),
            "seed": one("SELECT id FROM deck WHERE key = 'seed'"),
            "fact": one("SELECT min(id) FROM fact"),
        }


_INSERT_REVIEW = ("INSERT INTO review (card_id, profile_id, reviewed_at, study_day, kind, "
                  "cancels_id, session_id) VALUES ")
_ALL_TABLES = (*SHARED_TABLES, "profile", *PROFILE_TABLES)

ATTACKS: list[Attack] = [
    # Item 5: an undo or overrule row of one's own that cancels another student's answer.
    Attack("undo cancels a classmate's answer", "ana",
           (_INSERT_REVIEW + "(:ana_card, :ana, now(), 19844, 'undo', :ben_review, NULL)",)),
    Attack("overrule cancels a classmate's answer", "ana",
           (_INSERT_REVIEW + "(:ana_card, :ana, now(), 19844, 'overrule', :ben_review, NULL)",)),
    Attack("undo cancels another class's answer", "ana",
           (_INSERT_REVIEW + "(:ana_card, :ana, now(), 19844, 'undo', :cy_review, NULL)",)),
    Attack("own answer re-pointed at a classmate's", "ana",
           ("UPDATE review SET cancels_id = :ben_review WHERE id = :ana_review",)),
    Attack("own review filed in a classmate's study session", "ana",
           (_INSERT_REVIEW + "(:ana_card, :ana, now(), 19844, 'study', NULL, :ben_session)",)),
    # Rows of another student.
    Attack("review for a classmate's card", "ana",
           (_INSERT_REVIEW + "(:ben_card, :ben, now(), 19844, 'study', NULL, NULL)",)),
    Attack("own review of a classmate's card", "ana",
           (_INSERT_REVIEW + "(:ben_card, :ana, now(), 19844, 'study', NULL, NULL)",)),
    Attack("edit a classmate's cards", "ana",
           ("UPDATE card SET reps = 99, stability = 100 WHERE profile_id = :ben",)),
    Attack("edit a classmate's settings", "ana",
           ("UPDATE profile SET desired_retention = 0.5, new_per_day = 0 WHERE id = :ben",)),
    Attack("edit a classmate's study sessions", "ana",
           ("UPDATE study_session SET answered = 0 WHERE profile_id = :ben",)),
    Attack("delete a classmate's deck settings", "ana",
           ("DELETE FROM profile_deck WHERE profile_id = :ben",)),
    Attack("deck settings for a classmate", "ana",
           ("INSERT INTO profile_deck (profile_id, deck_id, new_per_day) "
            "VALUES (:ben, :seed, 0)",)),
    Attack("card for a classmate", "ana",
           ("INSERT INTO card (profile_id, fact_id, deck_id, family) "
            "VALUES (:ben, :fact, :seed, 'extra')",)),
    Attack("study session for a classmate", "ana",
           ("INSERT INTO study_session (profile_id, started_at) VALUES (:ben, now())",)),
    Attack("question report for a classmate", "ana",
           ("INSERT INTO question_report (profile_id, card_id, fact_id, form, prompt, "
            "created_at) VALUES (:ben, :ben_card, :fact, 'choice', 'x', now())",)),
    Attack("move oneself to another class", "ana", ("UPDATE profile SET class_name = '7c'",)),
    Attack("take a classmate's role", "ana", ("UPDATE profile SET db_role = 'x'",)),
    Attack("become a classmate", "ana", ("SET ROLE {ben}",), refuse=True),
    Attack("erase the review log", "ana", ("DELETE FROM review",)),
    Attack("truncate the review log", "ana", ("TRUNCATE review",)),
    Attack("rewrite the review log", "ana", ("UPDATE review SET correct = true",)),
    Attack("delete a card", "ana", ("DELETE FROM card",)),
    Attack("edit a deck", "ana", ("UPDATE deck SET name = 'mine'",)),
    Attack("delete a deck", "ana", ("DELETE FROM deck",)),
    Attack("add a fact", "ana",
           ("INSERT INTO fact (deck_id, key, kind) VALUES (:seed, 'x', 'qa')",)),
    Attack("teach a class", "ana",
           ("INSERT INTO class_teacher (class_name, db_role) VALUES ('7b', current_user)",)),
    Attack("reset the answer counter", "ana", ("SELECT setval('review_id_seq', 1)",),
           refuse=True),
    Attack("retire a deck for one's class", "ana",
           ("INSERT INTO class_deck_retired (class_name, deck_id) VALUES ('7b', :seed)",)),
    # Item 7: locks that would hold up every classmate.
    *[Attack(f"LOCK {table} IN {mode} MODE", "ana",
             (f"LOCK TABLE {table} IN {mode} MODE",), refuse=True)
      for table in _ALL_TABLES for mode in LOCK_MODES],
    # Item 6: a teacher's delete reaching another class.
    Attack("teacher deletes a shared deck", "lee", ("DELETE FROM deck WHERE id = :seed",)),
    Attack("teacher deletes a shared deck's facts", "lee",
           ("DELETE FROM fact WHERE deck_id = :seed",)),
    Attack("teacher deletes a shared deck's article", "lee",
           ("DELETE FROM source WHERE deck_id = :seed",)),
    Attack("teacher retires a deck for another class", "lee",
           ("INSERT INTO class_deck_retired (class_name, deck_id) VALUES ('7c', :seed)",)),
    Attack("teacher rewrites another class's cards", "lee",
           ("UPDATE card SET reps = 0 WHERE profile_id = :cy",)),
    Attack("teacher adds a card for another class", "lee",
           ("INSERT INTO card (profile_id, fact_id, deck_id, family) "
            "VALUES (:cy, :fact, :seed, 'extra')",)),
    Attack("teacher answers for a student", "lee",
           (_INSERT_REVIEW + "(:ana_card, :ana, now(), 19844, 'study', NULL, NULL)",)),
    Attack("teacher takes another class", "lee",
           ("INSERT INTO class_teacher (class_name, db_role) VALUES ('7c', current_user)",)),
    Attack("teacher moves a student to their class", "lee",
           ("UPDATE profile SET class_name = '7b' WHERE id = :cy",)),
    *[Attack(f"teacher LOCK {table} IN {mode} MODE", "lee",
             (f"LOCK TABLE {table} IN {mode} MODE",), refuse=True)
      for table in ("deck", "source", "fact") for mode in LOCK_MODES],
]


def _run(conn: Connection, attack: Attack, params: dict[str, Any]) -> str | None:
    """Run the attack's statements in one transaction; the server's refusal, or None."""
    try:
        with conn.begin():
            for statement in attack.statements:
                sql = statement.replace("{ben}", f'"{params.get("ben_role")}"')
                used = {k: v for k, v in params.items() if f":{k}" in sql}
                conn.execute(text(sql), used)
    except DBAPIError as exc:
        return str(exc.orig).strip().splitlines()[0]
    return None


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_is_blocked(room: Copy, attack: Attack) -> None:
    attacker = room.ids().get(attack.who)
    with room.owner.connect() as owner:
        before = others_state(owner, attacker)
    params = _params(room)
    params["ben_role"] = room.template.role("ben")
    engine = create_engine(normalise_url(room.url_of(attack.who)))
    try:
        with engine.connect() as conn:
            refusal = _run(conn, attack, params)
    finally:
        engine.dispose()
    with room.owner.connect() as owner:
        after = others_state(owner, attacker)
    assert after == before, f"{attack.name}: the server let it change others' rows"
    if attack.refuse:
        assert refusal is not None, f"{attack.name}: the server did not refuse it"


def test_probing_review_ids_through_cancels_id_tells_nothing(room: Copy) -> None:
    """An undo row aimed at a classmate's answer and one aimed at no answer fail alike."""
    params = _params(room)
    with room.owner.connect() as owner:
        missing = owner.execute(text("SELECT max(id) + 1000 FROM review")).scalar()
    engine = create_engine(normalise_url(room.url_of("ana")))
    refusals = []
    try:
        with engine.connect() as conn:
            for target in (params["ben_review"], missing):
                attack = Attack("probe", "ana", (
                    _INSERT_REVIEW + f"(:ana_card, :ana, now(), 19844, 'undo', {target}, NULL)",))
                refusals.append(_run(conn, attack, params))
    finally:
        engine.dispose()
    assert refusals[0] is not None and refusals[1] is not None
    # The same message, ids taken out: nothing tells an existing answer from none.
    assert re.sub(r"\d+", "N", refusals[0]) == re.sub(r"\d+", "N", refusals[1])


def test_a_student_cannot_read_other_classes_teachers(room: Copy) -> None:
    engine = create_engine(normalise_url(room.url_of("ana")))
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT class_name, db_role FROM class_teacher")).all()
    finally:
        engine.dispose()
    assert {c for c, _r in rows} <= {"7b"}


# ---------------------------------------------------------------- what must keep working


def _open(room: Copy, who: str) -> Collection:
    return Collection.open(room.url_of(who), first_start=False)


def test_a_students_own_answers_undo_and_settings_still_work(room: Copy) -> None:
    from quizapp.services.profiles import set_deck_overrides

    with _open(room, "ana") as col:
        session = open_study(col)
        ids = answer_questions(session, 3, start=T0 + timedelta(days=3))
        result = session.undo(T0 + timedelta(days=3, hours=1))
        assert result is not None and result.cancelled_id == ids[-1]
        with col.session() as s:
            seed = s.execute(text("SELECT id FROM deck WHERE key = 'seed'")).scalar_one()
        set_deck_overrides(col, session.profile_id, seed, new_per_day=5)
        set_deck_overrides(col, session.profile_id, seed)  # back to the profile's value
    with room.owner.connect() as owner:
        undo = owner.execute(text("SELECT profile_id, cancels_id FROM review WHERE id = :i"),
                             {"i": result.review_id}).one()
        assert tuple(undo) == (room.ids()["ana"], ids[-1])
        assert owner.execute(text(
            "SELECT count(*) FROM profile_deck WHERE profile_id = :p "
            "AND (new_per_day IS NOT NULL OR desired_retention IS NOT NULL "
            "OR reviews_per_day IS NOT NULL)"), {"p": room.ids()["ana"]}).scalar() == 0


def test_a_raw_undo_of_ones_own_answer_is_allowed(room: Copy) -> None:
    engine = create_engine(normalise_url(room.url_of("ana")))
    params = _params(room)
    try:
        with engine.begin() as conn:
            conn.execute(text(_INSERT_REVIEW + "(:c, :p, now(), 19844, 'undo', :r, NULL)"),
                         {"c": params["ana_card"], "p": params["ana"], "r": params["ana_review"]})
    finally:
        engine.dispose()


def test_a_teacher_reads_their_class_report(room: Copy) -> None:
    from quizapp.services.classroom import class_report

    with _open(room, "lee") as col, col.session() as s:
        report = class_report(s)
    assert {st["profile_id"] for st in report["students"]} == {room.ids()["ana"],
                                                                 room.ids()["ben"]}
    assert all(d["reviews"] > 0 for st in report["students"] for d in st["decks"])



def _counts(conn: Connection, profile_id: int, deck_id: int) -> tuple[int, int]:
    """(cards, reviews) of a profile on a deck."""
    return tuple(conn.execute(text(
        "SELECT (SELECT count(*) FROM card WHERE profile_id = :p AND deck_id = :d), "
        "(SELECT count(*) FROM review r JOIN card c ON c.id = r.card_id "
        " WHERE r.profile_id = :p AND c.deck_id = :d)"), {"p": profile_id, "d": deck_id}).one())


def _deck_list(room: Copy, who: str) -> set[str]:
    from quizapp.services.counts import deck_counts

    with _open(room, who) as col:
        return {d.key for d in deck_counts(col, col.profile().id or 0, T0)}


def test_a_teachers_delete_retires_the_deck_for_their_classes_only(
        room: Copy, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from quizapp.browse import delete_deck
    from quizapp.cli import main as cli_main
    from quizapp.study import StudySession

    ids = room.ids()
    with room.owner.connect() as owner:
        seed = owner.execute(text("SELECT id FROM deck WHERE key = 'seed'")).scalar_one()
        before = {who: _counts(owner, ids[who], seed) for who in STUDENTS}
    assert all(cards > 0 and reviews > 0 for cards, reviews in before.values())
    with _open(room, "lee") as col:
        assert delete_deck(col, seed) == "retired"
    with room.owner.connect() as owner:
        # Every card and answer is kept, in both classes.
        assert {who: _counts(owner, ids[who], seed) for who in STUDENTS} == before
        assert owner.execute(text("SELECT count(*) FROM deck WHERE id = :d"),
                             {"d": seed}).scalar() == 1
    # Class 7b no longer lists or studies it; class 7c does.
    assert "seed" not in _deck_list(room, "ana") and "seed" not in _deck_list(room, "ben")
    assert "seed" in _deck_list(room, "cy")
    for who, listed in (("ana", []), ("cy", ["seed"])):  # quizapp decks, too
        monkeypatch.setenv("QUIZAPP_DATABASE_URL", room.url_of(who))
        assert cli_main(["decks", "--json"]) == 0
        assert [d["key"] for d in json.loads(capsys.readouterr().out)["decks"]] == listed
    with _open(room, "ana") as col:
        assert StudySession(col).next_question(T0 + timedelta(days=5)) is None
    with _open(room, "cy") as col:
        assert StudySession(col).next_question(T0 + timedelta(days=5)) is not None
    # Only the owner deletes it outright.
    with Collection.open(room.url, first_start=False) as col:
        assert delete_deck(col, seed) == "deleted"
    with room.owner.connect() as owner:
        assert owner.execute(text("SELECT count(*) FROM deck WHERE id = :d"),
                             {"d": seed}).scalar() == 0


def test_a_teacher_still_imports_and_updates_a_deck(room: Copy) -> None:
    from quizapp.facts.deckfile import load_deck_file

    from .conftest import SEED_DECK

    with _open(room, "lee") as col:
        deck = load_deck_file(SEED_DECK)
        result = col.import_deck(deck, T0)  # the seed again: an update of every fact
        assert result.updated > 0


def test_app_connections_bound_lock_waits_and_statements(room: Copy) -> None:
    for who in ("ana", "lee"):
        with _open(room, who) as col, col.engine.connect() as conn:
            lock = conn.execute(text("SHOW lock_timeout")).scalar()
            statement = conn.execute(text("SHOW statement_timeout")).scalar()
            assert lock not in (None, "0"), who
            assert statement not in (None, "0"), who


def test_class_and_profile_names_with_control_codes_are_refused(room: Copy) -> None:
    from quizapp.services.classroom import ClassroomError

    engine = create_engine(normalise_url(room.url))
    try:
        for kwargs in ({"class_name": "7b\x1b[2J"}, {"name": "Eve\x1b]0;owned\x07"}):
            role = room.template.role(f"eve{secrets.token_hex(2)}")
            with pytest.raises(ClassroomError, match="control"):
                add_student(engine, role, password="pw", **kwargs)  # type: ignore[arg-type]
            with engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM pg_roles WHERE rolname = :r"),
                                    {"r": role}).scalar() == 0
    finally:
        engine.dispose()


def test_class_report_prints_no_terminal_codes(room: Copy, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from .test_postgres import run_cli

    with room.owner.begin() as owner:  # names stored before names were checked
        owner.execute(text("UPDATE profile SET class_name = '7b\x1b[2J\x1b[31m', "
                           "name = 'ana\x1b]0;pwned\x07' WHERE id = :p"),
                      {"p": room.ids()["ana"]})
        owner.execute(text("UPDATE deck SET name = 'Seed\x1b[5m' WHERE key = 'seed'"))
    status, out, err = run_cli(["class-report"], room.url, monkeypatch, capsys)
    assert status == 0, err
    assert "ana" in out and "7b" in out
    assert not any(ch in out for ch in "\x1b\x07\x9b"), repr(out)


def test_commands_run_by_the_owner_make_no_stray_profile(template: Template) -> None:
    db = PgDatabase(template.db.admin_url, f"{template.db.name[:40]}_empty")
    db._server(f'CREATE DATABASE "{db.name}" TEMPLATE template0')
    try:
        init_classroom(db.url).dispose()
        with Collection.open(db.url) as col, col.session() as s:  # e.g. quizapp stats
            names = s.execute(text("SELECT name FROM profile")).scalars().all()
        assert names == []
    finally:
        db._server(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')


def test_every_table_has_row_level_security_or_is_shared_read_only(room: Copy) -> None:
    from quizapp.storage.classroom import SHARED_TABLES as _SHARED_TABLES
    from quizapp.storage.db import _TABLES

    schema = {t.__tablename__ for t in _TABLES}  # type: ignore[attr-defined]
    with room.owner.connect() as conn:
        flags = dict(conn.execute(text(
            "SELECT relname, relrowsecurity FROM pg_class WHERE relkind = 'r' "
            "AND relnamespace = CAST(current_schema() AS regnamespace)")).all())
        assert set(flags) == schema
        # The shared tables are whole for everyone to read, and only to read.
        assert set(_SHARED_TABLES) == {"meta", "deck", "source", "fact", "media"}
        for table, guarded in flags.items():
            assert guarded or table in _SHARED_TABLES, table
        for table in _SHARED_TABLES:
            for group in ("quizapp_student", "quizapp_teacher"):
                rights = conn.execute(text(
                    "SELECT privilege_type FROM information_schema.role_table_grants "
                    "WHERE table_name = :t AND grantee = :g"), {"t": table, "g": group})
                allowed = set(rights.scalars())
                assert allowed <= ({"SELECT"} if group == "quizapp_student" or table == "meta"
                                   else {"SELECT", "INSERT"}), (table, group, allowed)


def test_a_student_cannot_take_up_the_servers_connections(room: Copy) -> None:
    import psycopg

    from quizapp.services.classroom import STUDENT_CONNECTIONS

    def connect(who: str) -> psycopg.Connection[Any]:
        url = make_url(room.url_of(who))
        return psycopg.connect(host=url.host, port=url.port, dbname=url.database,
                               user=url.username, password=url.password)

    held = [connect("ana") for _ in range(STUDENT_CONNECTIONS)]
    try:
        with pytest.raises(psycopg.OperationalError, match="too many connections"):
            connect("ana").close()
        ben = connect("ben")  # a classmate still gets in
        assert ben.execute("SELECT current_user").fetchone() == (room.template.role("ben"),)
        ben.close()
    finally:
        for conn in held:
            conn.close()


def test_a_students_open_transaction_cannot_freeze_the_owners_schema_change(
        room: Copy) -> None:
    """Without lock_timeout the owner's ALTER would wait for ever, and every start behind it."""
    from quizapp.storage.db import make_engine

    student = create_engine(normalise_url(room.url_of("ana")))
    owner = make_engine(room.url)  # as the app connects
    try:
        with student.connect() as held:
            held.execute(text("SELECT count(*) FROM card"))  # and keeps the transaction open
            with pytest.raises(DBAPIError, match="lock timeout"), owner.begin() as conn:
                conn.execute(text("ALTER TABLE card ADD COLUMN probe integer"))
            held.rollback()
        with _open(room, "ben") as col:  # a classmate starts as usual
            assert open_study(col).next_question(T0 + timedelta(days=1)) is not None
    finally:
        owner.dispose()
        student.dispose()


def test_a_teachers_update_deletes_only_the_media_no_fact_names_any_more(room: Copy) -> None:
    from quizapp.services.media import media_sizes

    from .test_orphan_media import V1, flags, qa

    with _open(room, "lee") as col:
        col.import_deck(V1, T0)
        col.import_deck(flags(qa("jp", "Japan?", "japan.png"), qa("a", "A?", "shared.png"),
                              media=("japan.png", "shared.png")), T0)
        assert sorted(media_sizes(col, "flags")) == ["japan.png", "shared.png"]
    with room.owner.connect() as owner:
        deck = owner.execute(text("SELECT id FROM deck WHERE key = 'flags'")).scalar_one()
    # The clean-up is the owner's function: a student may not run it, and a teacher
    # deletes no file directly, not even one no fact names.
    for who, sql in (("ana", "SELECT quizapp_delete_orphan_media(:d)"),
                     ("lee", "DELETE FROM media WHERE deck_id = :d"),
                     ("lee", "LOCK TABLE media IN ACCESS EXCLUSIVE MODE")):
        engine = create_engine(normalise_url(room.url_of(who)))
        try:
            with engine.connect() as conn:
                refusal = _run(conn, Attack(sql, who, (sql,)), {"d": deck})
        finally:
            engine.dispose()
        assert refusal is not None and "permission denied" in refusal, (who, sql, refusal)
    with room.owner.connect() as owner:
        assert owner.execute(text("SELECT count(*) FROM media WHERE deck_id = :d"),
                             {"d": deck}).scalar() == 2


def test_a_classroom_secured_before_the_clean_up_function_still_takes_a_teachers_update(
        room: Copy) -> None:
    # Set up by a version without the function: the teacher's update is stored and the
    # files no fact names stay, until the set-up runs again and makes the function.
    from quizapp.services.classroom import init_classroom
    from quizapp.services.media import media_sizes

    from .test_orphan_media import V1, flags, qa

    with room.owner.begin() as owner:
        owner.execute(text("DROP FUNCTION quizapp_delete_orphan_media(integer)"))
    smaller = flags(qa("jp", "Japan?", "japan.png"), media=("japan.png",))
    with _open(room, "lee") as col:
        col.import_deck(V1, T0)
        assert col.import_deck(smaller, T0).retired == 3
        assert len(media_sizes(col, "flags")) == 4
    init_classroom(room.url).dispose()
    with _open(room, "lee") as col:
        col.import_deck(smaller, T0)
        assert sorted(media_sizes(col, "flags")) == ["japan.png"]
