"""The classroom's statements: roles, grants, row-level security, the class report's queries.

Identity is the database's. The owner of quizapp's tables (a PostgreSQL role
that may create roles) sets the classroom up once (:func:`make_classroom`),
then makes a ``LOGIN`` role for each student in the group role
:data:`STUDENT_GROUP` with a profile whose ``db_role`` is that role
(:func:`create_student`), and teacher roles in :data:`TEACHER_GROUP`
(:func:`create_teacher`). Row-level security does the rest:

- a student reads and writes only the rows of their own profile (profile,
  card, review, study_session, question_report, profile_deck), reads the
  answers per study day kept for it (review_day, review_day_mark; only the
  owner of the tables writes them), may append to
  the review log but never edit or delete it, and may change only the study
  settings of their profile (not its name, role or class); an undo or
  overrule row may cancel only a row of the same profile (a trigger, see
  :data:`_REVIEW_GUARD`);
- a role in :data:`TEACHER_GROUP` reads the profiles of the classes named for
  it in ``class_teacher`` and every row of those profiles, and may create
  their cards;
- decks, facts and sources are readable by both groups; only teachers write
  them, and never delete them: a teacher's delete retires a deck for their
  classes (``class_deck_retired``). The one delete a teacher's change makes
  is of media files no fact names any more, through a function of the owner's
  (:data:`ORPHAN_MEDIA_FUNCTION`) that deletes nothing else. The owner of the
  tables is not subject to row-level security, sees every class and alone
  deletes decks.

Every write right short of INSERT is a column privilege: a table-wide UPDATE
or DELETE would also allow ``LOCK TABLE`` in modes that stop every classmate.

Every table of the schema is covered: :data:`GUARDED_TABLES` have row-level
security, and :data:`SHARED_TABLES` are the documented exemption (whole and
read-only for students). ``tests/test_classroom_rls.py`` checks it against
the schema on a real server.

:func:`class_report_rows` (any backend, SQLite too) reads what the class
report shows: per visible student and deck, the reviews, accuracy, facts
mastered, most-missed facts and reported questions, each a ``GROUP BY`` in the
database, never the log in Python. The use cases (checking names, assembling
the report) are in :mod:`quizapp.services.classroom`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, func, inspect, text
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from quizapp.facts.model import Deck
from quizapp.scheduling import MASTERED_STABILITY_DAYS
from quizapp.storage import repository as repo
from quizapp.storage.db import (
    make_engine,
    normalise_url,
    open_database,
    redacted,
    unbounded_statements,
)
from quizapp.storage.models import (
    CLASSROOM_KEY,
    ClassTeacherRow,
    DeckRow,
    Meta,
    ProfileRow,
    QuestionReportRow,
)
from quizapp.storage.progress import counted_answers
from quizapp.storage.reviewlog import card_table, fact_table, review_table, run
from quizapp.storage.reviews import KIND_STUDY, KIND_TEST, answer_kind
from quizapp.storage.stats import _answers, _last_answer_right

__all__ = [
    "GUARDED_TABLES",
    "SHARED_TABLES",
    "STUDENT_CONNECTIONS",
    "STUDENT_GROUP",
    "TEACHER_GROUP",
    "ClassReportRows",
    "ClassroomError",
    "Engine",
    "Session",
    "class_report_rows",
    "create_student",
    "create_teacher",
    "load_seed_once",
    "make_classroom",
    "make_engine",
    "open_classroom_database",
    "redacted",
    "require_postgresql",
    "role_url",
    "secure",
    "secure_if_classroom",
]

STUDENT_GROUP = "quizapp_student"
TEACHER_GROUP = "quizapp_teacher"
STUDENT_CONNECTIONS = 10  # connections a student's login role may hold at once

# Tables keyed on a profile, and what a student may do to their own rows.
# The review log is append-only for students: no UPDATE, no DELETE.
_STUDENT_RIGHTS: dict[str, str] = {
    "card": "SELECT, INSERT",
    "review": "SELECT, INSERT",
    "study_session": "SELECT, INSERT",
    "question_report": "SELECT, INSERT",
    "profile_deck": "SELECT, INSERT",
}
# Columns a student may UPDATE (the rest stay the teacher's). Only column
# privileges: a table-wide UPDATE or DELETE would also let a student LOCK the
# table (SHARE mode and stronger) and hold up every classmate.
_STUDENT_UPDATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "profile_deck": ("desired_retention", "new_per_day", "reviews_per_day"),
    "profile": ("desired_retention", "new_per_day", "reviews_per_day", "rollover_hour",
                "timezone", "learning_steps", "relearning_steps", "maximum_interval", "fuzz",
                "fsrs_parameters"),
    "card": ("state", "step", "stability", "difficulty", "due", "last_review", "reps",
             "lapses", "suspended", "buried_until", "last_shown_day", "reported_forms",
             "family"),  # schema 6: the family an answer asked the fact in
    "study_session": ("ended_at", "answered", "correct"),
}
# The documented exemption from row-level security: readable by every student
# and teacher, whole ("meta": the schema version and set-up marks; decks, their
# articles, facts and media files: shared by every class). Students only read them.
SHARED_TABLES: tuple[str, ...] = ("meta", "deck", "source", "fact", "media")
# Teachers add and update decks; they never delete a row of them (a delete
# would cascade into other classes' cards and answers): a teacher's delete
# retires the deck for their classes (class_deck_retired). Updates are
# column privileges on every column but the keys, for the same reason as above.
_TEACHER_WRITES = ("deck", "source", "fact", "media")
_KEY_COLUMNS = ("id",)
# Tables every row of which belongs to a class: who may see which rows is in
# _policies.
_CLASS_TABLES = ("class_teacher", "class_deck_retired")
# Totals kept per profile and closed study day (schema 8): read by the
# profile's student and the class's teachers, written only by the owner of
# the tables (a student's or teacher's progress figures count from the log).
_KEPT_TOTALS = ("review_day", "review_day_mark")
# The tables with row-level security (policies in _policies). With
# SHARED_TABLES this is every table of the schema (tests/test_classroom_rls.py).
GUARDED_TABLES: tuple[str, ...] = ("profile", *_STUDENT_RIGHTS, *_CLASS_TABLES, *_KEPT_TOTALS)
_SEQUENCES = {
    STUDENT_GROUP: ("card", "review", "study_session", "question_report"),
    TEACHER_GROUP: ("deck", "source", "fact", "card"),
}

_OWN_PROFILES = "SELECT p.id FROM profile p WHERE p.db_role = current_user"
_CLASS_PROFILES = (
    "SELECT p.id FROM profile p JOIN class_teacher t ON t.class_name = p.class_name "
    "WHERE t.db_role = current_user"
)
_OWN_CARDS = f"SELECT c.id FROM card c WHERE c.profile_id IN ({_OWN_PROFILES})"
_OWN_CLASS = "SELECT p.class_name FROM profile p WHERE p.db_role = current_user"
_TAUGHT_CLASSES = "SELECT t.class_name FROM class_teacher t WHERE t.db_role = current_user"

# A review row may cancel (undo, overrule) only a row of its own profile, and
# belong only to a study session of its own profile. Row-level security cannot
# say so (a policy on review may not read review), so a trigger does, as the
# owner of the tables. Its one message is the same whether the other row
# belongs to someone else or does not exist: a refused row tells nothing.
_REVIEW_GUARD = """
CREATE OR REPLACE FUNCTION quizapp_review_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
    IF NEW.cancels_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM review r
            WHERE r.id = NEW.cancels_id AND r.profile_id = NEW.profile_id) THEN
        RAISE EXCEPTION 'a review may only cancel a review of its own profile'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.session_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM study_session s
            WHERE s.id = NEW.session_id AND s.profile_id = NEW.profile_id) THEN
        RAISE EXCEPTION 'a review may only belong to a study session of its own profile'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$
"""
_REVIEW_TRIGGER = (
    "CREATE TRIGGER quizapp_review_guard BEFORE INSERT OR UPDATE ON review "
    "FOR EACH ROW EXECUTE FUNCTION quizapp_review_guard()"
)


# A teacher's import or edit deletes the deck's media files that no fact names
# any more (repository.delete_orphan_media). Teachers have no DELETE on media
# (a table-wide DELETE would let them LOCK it): this function, run with the
# owner's rights, deletes only files no fact of the deck names, in the
# caller's transaction. Nobody else may run it.
_ORPHAN_MEDIA = """
CREATE OR REPLACE FUNCTION quizapp_delete_orphan_media(target integer) RETURNS SETOF text
LANGUAGE sql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    DELETE FROM media m
    WHERE m.deck_id = target
      AND NOT EXISTS (
          SELECT 1 FROM fact f CROSS JOIN LATERAL json_array_elements_text(f.media::json) u(name)
          WHERE f.deck_id = target AND f.media <> '[]' AND u.name = m.name)
    RETURNING m.name
$$
"""
ORPHAN_MEDIA_FUNCTION = "quizapp_delete_orphan_media"


class ClassroomError(Exception):
    """A classroom step that cannot be done; the message says why in plain words."""


# --------------------------------------------------------------------------
# Set-up (PostgreSQL only)


def require_postgresql(url: str) -> None:
    """Refuse a database that is not on a PostgreSQL server (ClassroomError)."""
    if not url.startswith("postgresql"):
        raise ClassroomError(
            "a classroom needs a PostgreSQL server: set QUIZAPP_DATABASE_URL to "
            "postgresql://ROLE:PASSWORD@HOST/DATABASE")


def open_classroom_database(url: str) -> Engine:
    """Create (or upgrade) quizapp's schema at ``url``, a PostgreSQL server; its engine."""
    url = normalise_url(url)
    require_postgresql(url)
    return open_database(url)


def load_seed_once(engine: Engine, seed: Callable[[], Deck],
                   verdict: Callable[[Deck], Deck] | None = None) -> None:
    """Store the seed deck (``seed()`` reads it) once, as a first start would; no profile.

    After the upgrade that added held facts, ``verdict`` records which facts
    of each deck no question can ask (the owner does it: students cannot).
    """
    with Session(engine) as s:
        if verdict is not None:
            repo.check_forms_once(s, verdict)
            s.commit()
        if s.get(Meta, "seed_loaded") is None:
            if repo.find_deck(s, "seed") is None:
                repo.store_deck(s, seed())
            s.add(Meta(key="seed_loaded", value="1"))
            s.commit()


def make_classroom(engine: Engine) -> None:
    """The group roles, grants, policies and review guard, made afresh (roles are kept)."""
    with _admin(engine) as conn:
        _create_group_roles(conn)
        secure(conn)
        _limit_student_connections(conn)


def create_student(engine: Engine, role: str, password: str, class_name: str,
                   name: str, now: datetime) -> int:
    """A LOGIN role in the student group and its profile named ``name``; the profile's id.

    One transaction: cards for every deck come with the profile. A role that
    exists already, or a taken profile name, is a ClassroomError.
    """
    with _admin(engine) as conn:
        unbounded_statements(conn)  # cards for every fact of every deck
        _require_new_role(conn, role)
        _create_login_role(conn, role, password, STUDENT_GROUP)
        with Session(bind=conn) as s:
            try:
                profile = repo.create_profile(s, name, now)
            except ValueError as exc:
                raise ClassroomError(str(exc)) from None
            profile.db_role, profile.class_name = role, class_name
            s.add(profile)
            s.flush()
            assert profile.id is not None
            return profile.id


def create_teacher(engine: Engine, role: str, class_name: str, password: str) -> bool:
    """Let ``role`` read ``class_name``: a new LOGIN role with ``password``, or an existing one.

    An existing role joins the teacher group and keeps its password (returns
    False); a new role is made (returns True). A student's role is refused.
    """
    with _admin(engine) as conn:
        _require_classroom(conn)
        if _role_exists(conn, role):
            if conn.execute(text("SELECT pg_has_role(:r, :g, 'MEMBER')"),
                            {"r": role, "g": STUDENT_GROUP}).scalar_one():
                raise ClassroomError(f"{role!r} is a student's role; a teacher needs another")
            conn.execute(text(f'GRANT {TEACHER_GROUP} TO "{role}"'))
            created = False
        else:
            _create_login_role(conn, role, password, TEACHER_GROUP)
            created = True
        with Session(bind=conn) as s:
            if s.get(ClassTeacherRow, (class_name, role)) is None:
                s.add(ClassTeacherRow(class_name=class_name, db_role=role))
            s.flush()
    return created


def role_url(engine: Engine, role: str, password: str) -> str:
    """The URL a role connects to the engine's database with (password included)."""
    return engine.url.set(username=role, password=password).render_as_string(
        hide_password=False)


@contextmanager
def _admin(engine: Engine) -> Iterator[Connection]:
    """One transaction on a PostgreSQL engine; server errors become ClassroomError."""
    require_postgresql(str(engine.url))
    try:
        with engine.begin() as conn:
            yield conn
    except DBAPIError as exc:
        message = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ClassroomError(f"the database refused: {message}") from exc


def _role_exists(conn: Connection, role: str) -> bool:
    return conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                        {"r": role}).first() is not None


def _require_new_role(conn: Connection, role: str) -> None:
    _require_classroom(conn)
    if _role_exists(conn, role):
        raise ClassroomError(f"a database role named {role!r} exists already")


def _require_classroom(conn: Connection) -> None:
    if not _role_exists(conn, STUDENT_GROUP) or not inspect(conn).has_table("class_teacher"):
        raise ClassroomError("this database is no classroom yet: run quizapp class init first")


def _create_login_role(conn: Connection, role: str, password: str, group: str) -> None:
    # The password is hashed here (SCRAM, as libpq's \\password does), so the
    # server never sees or logs it in clear text. A student's role may hold
    # STUDENT_CONNECTIONS connections at once: the app needs a few, and no
    # student can take up the server's connections and lock classmates out.
    verifier = _hash_password(conn, role, password)
    limit = STUDENT_CONNECTIONS if group == STUDENT_GROUP else -1
    statement = conn.execute(
        text(f"SELECT format('CREATE ROLE %I LOGIN PASSWORD %L CONNECTION LIMIT {limit} "
             "IN ROLE %I', "
             "CAST(:role AS text), CAST(:pw AS text), CAST(:grp AS text))"),
        {"role": role, "pw": verifier, "grp": group},
    ).scalar_one()
    # Run as it is: no bind parameters (the driver's paramstyle wants % doubled).
    conn.exec_driver_sql(statement.replace("%", "%%"))


def _hash_password(conn: Connection, role: str, password: str) -> str:
    raw: Any = conn.connection.driver_connection
    pgconn = getattr(raw, "pgconn", None)
    if pgconn is None:  # another driver: the server hashes it
        return password
    return bytes(pgconn.encrypt_password(password.encode(), role.encode())).decode()


def _create_group_roles(conn: Connection) -> None:
    for group in (STUDENT_GROUP, TEACHER_GROUP):
        if not _role_exists(conn, group):
            conn.execute(text(f"CREATE ROLE {group} NOLOGIN"))


def secure(conn: Connection) -> None:
    """Make the classroom's grants, row-level security policies and review guard afresh.

    Run by the owner of the tables (in :func:`init_classroom`, and by a schema
    upgrade of a classroom database).
    """
    _grant(conn)
    _policies(conn)
    schema = conn.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
    conn.execute(text(_REVIEW_GUARD.replace("{schema}", schema)))
    conn.execute(text("DROP TRIGGER IF EXISTS quizapp_review_guard ON review"))
    conn.execute(text(_REVIEW_TRIGGER))
    if inspect(conn).has_table("media"):  # an upgrade's step before the media store: not yet
        conn.execute(text(_ORPHAN_MEDIA.replace("{schema}", schema)))
        conn.execute(text(f"REVOKE ALL ON FUNCTION {ORPHAN_MEDIA_FUNCTION}(integer) "
                          "FROM PUBLIC"))
        conn.execute(text(f"GRANT EXECUTE ON FUNCTION {ORPHAN_MEDIA_FUNCTION}(integer) "
                          f"TO {TEACHER_GROUP}"))
    # The mark that keeps a first start from making a profile (Collection).
    conn.execute(text("INSERT INTO meta (key, value) VALUES (:k, '1') "
                      "ON CONFLICT (key) DO NOTHING"), {"k": CLASSROOM_KEY})


def _limit_student_connections(conn: Connection) -> None:
    """Give students made before connection limits the limit a new student gets."""
    roles = conn.execute(text(
        "SELECT r.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid "
        "JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname = :g AND r.rolconnlimit = -1"),
        {"g": STUDENT_GROUP}).scalars().all()
    for role in roles:
        conn.execute(text(f'ALTER ROLE "{role}" CONNECTION LIMIT {STUDENT_CONNECTIONS}'))


def secure_if_classroom(conn: Connection) -> None:
    """:func:`secure`, if the database on ``conn`` was set up as a classroom."""
    if _role_exists(conn, STUDENT_GROUP) and inspect(conn).has_table("class_teacher"):
        secure(conn)


def _update_columns(conn: Connection, table: str) -> str:
    names = inspect(conn).get_columns(table)
    return ", ".join(f'"{c["name"]}"' for c in names if c["name"] not in _KEY_COLUMNS)


def _grant(conn: Connection) -> None:
    both = f"{STUDENT_GROUP}, {TEACHER_GROUP}"
    # A schema upgrade secures the classroom at each step; a table a later step
    # makes is granted by that step.
    have = set(inspect(conn).get_table_names())
    shared = [t for t in SHARED_TABLES if t in have]
    teacher_writes = [t for t in _TEACHER_WRITES if t in have]
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {both}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {both}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {both}",
        f"GRANT SELECT ON {', '.join((*shared, *_CLASS_TABLES))} TO {both}",
        f"GRANT INSERT ON {', '.join(teacher_writes)} TO {TEACHER_GROUP}",
        f"GRANT INSERT ON class_deck_retired TO {TEACHER_GROUP}",
        f"GRANT SELECT ON profile, {', '.join(_STUDENT_RIGHTS)} TO {TEACHER_GROUP}",
        f"GRANT INSERT ON card TO {TEACHER_GROUP}",
        f"GRANT SELECT ON profile TO {STUDENT_GROUP}",
    ]
    kept = [t for t in _KEPT_TOTALS if t in have]
    if kept:
        statements.append(f"GRANT SELECT ON {', '.join(kept)} TO {both}")
    statements += [f"GRANT {rights} ON {table} TO {STUDENT_GROUP}"
                   for table, rights in _STUDENT_RIGHTS.items()]
    statements += [f"GRANT UPDATE ({', '.join(cols)}) ON {table} TO {STUDENT_GROUP}"
                   for table, cols in _STUDENT_UPDATE_COLUMNS.items()]
    statements += [f"GRANT UPDATE ({_update_columns(conn, table)}) ON {table} TO {TEACHER_GROUP}"
                   for table in teacher_writes]
    statements += [f"GRANT USAGE ON SEQUENCE {table}_id_seq TO {group}"
                   for group, tables in _SEQUENCES.items() for table in tables]
    for statement in statements:
        conn.execute(text(statement))


def _policies(conn: Connection) -> None:
    own_rows = f"profile_id IN ({_OWN_PROFILES})"
    class_rows = f"profile_id IN ({_CLASS_PROFILES})"
    # (table, policy, command, role, USING, WITH CHECK)
    policies: list[tuple[str, str, str, str, str | None, str | None]] = [
        ("profile", "quizapp_own", "ALL", STUDENT_GROUP,
         "db_role = current_user", "db_role = current_user"),
        ("profile", "quizapp_class", "SELECT", TEACHER_GROUP,
         "class_name IN (SELECT t.class_name FROM class_teacher t "
         "WHERE t.db_role = current_user)", None),
        ("card", "quizapp_class_cards", "INSERT", TEACHER_GROUP, None, class_rows),
        # Who teaches a class: a student sees their own class's teachers, a
        # teacher their own rows.
        ("class_teacher", "quizapp_own_class", "SELECT", STUDENT_GROUP,
         f"class_name IN ({_OWN_CLASS})", None),
        ("class_teacher", "quizapp_own", "SELECT", TEACHER_GROUP,
         "db_role = current_user", None),
        # Decks retired for a class: seen by its students; a teacher sees and
        # adds those of the classes they teach.
        ("class_deck_retired", "quizapp_own_class", "SELECT", STUDENT_GROUP,
         f"class_name IN ({_OWN_CLASS})", None),
        ("class_deck_retired", "quizapp_class", "SELECT", TEACHER_GROUP,
         f"class_name IN ({_TAUGHT_CLASSES})", None),
        ("class_deck_retired", "quizapp_class_retire", "INSERT", TEACHER_GROUP, None,
         f"class_name IN ({_TAUGHT_CLASSES}) AND retired_by = current_user"),
    ]
    for table in _STUDENT_RIGHTS:
        own_check = own_rows
        if table in ("review", "question_report"):  # and only about one's own cards
            own_check = f"{own_rows} AND card_id IN ({_OWN_CARDS})"
        policies.append((table, "quizapp_own", "ALL", STUDENT_GROUP, own_rows, own_check))
        policies.append((table, "quizapp_class", "SELECT", TEACHER_GROUP, class_rows, None))
    for table in _KEPT_TOTALS:
        policies.append((table, "quizapp_own", "SELECT", STUDENT_GROUP, own_rows, None))
        policies.append((table, "quizapp_class", "SELECT", TEACHER_GROUP, class_rows, None))
    have = set(inspect(conn).get_table_names())
    policies = [p for p in policies if p[0] in have]
    for table in [t for t in GUARDED_TABLES if t in have]:
        conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        for (old,) in conn.execute(text(
                "SELECT policyname FROM pg_policies WHERE schemaname = current_schema() "
                "AND tablename = :t"), {"t": table}).all():
            conn.execute(text(f'DROP POLICY "{old}" ON {table}'))
    for table, name, command, role, using, check in policies:
        sql = f"CREATE POLICY {name} ON {table} FOR {command} TO {role}"
        if using is not None:
            sql += f" USING ({using})"
        if check is not None:
            sql += f" WITH CHECK ({check})"
        conn.execute(text(sql))



# --------------------------------------------------------------------------
# The class report's queries (any backend)

profile_table: Table = ProfileRow.__table__  # type: ignore[attr-defined]
deck_table: Table = DeckRow.__table__  # type: ignore[attr-defined]
report_table: Table = QuestionReportRow.__table__  # type: ignore[attr-defined]


def _sum_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


@dataclass(frozen=True, slots=True)
class ClassReportRows:
    """What the class report reads, as plain rows, for the visible profiles of a class.

    - ``profiles``: (profile id, name, login role, class);
    - ``decks``: (deck id, key, name), every deck;
    - ``mastery``: (profile id, deck id, facts, mastered);
    - ``answers``: (profile id, deck id, study answers, right ones, test answers,
      time of the last answer or None), effective answers only;
    - ``missed``: (profile id, deck id, fact key, kind, text, front, misses,
      answers, stem, event, counts) for every fact missed at least once;
    - ``reports``: (profile id, deck id, fact key, form, prompt, reason,
      created at), oldest first.
    """

    profiles: list[tuple[int, str, str | None, str | None]]
    decks: list[tuple[int, str, str]]
    mastery: list[tuple[int, int, int, int]]
    answers: list[tuple[int, int, int, int, int, datetime | None]]
    missed: list[tuple[Any, ...]]
    reports: list[tuple[int, int, str, str, str, str, datetime | None]]


def class_report_rows(session: Session, class_name: str | None = None) -> ClassReportRows:
    """Read the class report's figures for the visible profiles of ``class_name`` (or all)."""
    p = profile_table
    who = sa_select(p.c.id)
    if class_name is not None:
        who = who.where(p.c.class_name == class_name)
    s = session
    profiles = sa_select(p.c.id, p.c.name, p.c.db_role, p.c.class_name).where(p.c.id.in_(who))
    return ClassReportRows(
        profiles=[(int(pid), name, role, klass) for pid, name, role, klass in run(s, profiles)],
        decks=[(int(d), k, n) for d, k, n in run(s, sa_select(
            deck_table.c.id, deck_table.c.key, deck_table.c.name))],
        mastery=[(int(pid), int(deck_id), int(facts), int(mastered or 0))
                 for pid, deck_id, facts, mastered in run(s, _mastery_statement(who))],
        answers=[(int(pid), int(deck_id), int(reviews), int(correct), int(tests), last)
                 for pid, deck_id, reviews, correct, tests, last
                 in run(s, _answers_statement(who))],
        missed=[tuple(row) for row in run(s, _missed_statement(who))],
        reports=[(int(pid), int(deck_id), key, form, prompt, reason, created)
                 for pid, deck_id, key, form, prompt, reason, created
                 in run(s, _reports_statement(who))],
    )


def _mastery_statement(who: Any) -> Any:
    c, f = card_table.alias("c"), fact_table.alias("f")
    mastered = case(
        (c.c.stability >= MASTERED_STABILITY_DAYS,
         case((_last_answer_right(c) == True, 1), else_=0)),  # noqa: E712
        else_=0,
    )
    return (
        sa_select(c.c.profile_id, f.c.deck_id, func.count(), func.sum(mastered))
        .select_from(c.join(f, f.c.id == c.c.fact_id))
        .where(c.c.profile_id.in_(who), f.c.retired == False)  # noqa: E712
        .group_by(c.c.profile_id, f.c.deck_id)
    )


def _answers_statement(who: Any) -> Any:
    r, o, joined = _answers()
    c = card_table.alias("c")
    kind = answer_kind(r, o)
    return (
        sa_select(r.c.profile_id, c.c.deck_id,
                  _sum_if(kind == KIND_STUDY),
                  _sum_if(and_(kind == KIND_STUDY, r.c.correct == True)),  # noqa: E712
                  _sum_if(kind == KIND_TEST),
                  func.max(r.c.reviewed_at))
        .select_from(joined.join(c, c.c.id == r.c.card_id))
        .where(r.c.profile_id.in_(who), counted_answers(r))
        .group_by(r.c.profile_id, c.c.deck_id)
    )


def _missed_statement(who: Any) -> Any:
    r = review_table.alias("r")
    c, f = card_table.alias("c"), fact_table.alias("f")
    misses = _sum_if(r.c.correct == False)  # noqa: E712
    return (
        sa_select(r.c.profile_id, f.c.deck_id, f.c.key, f.c.kind, f.c.text, f.c.front,
                  misses, func.count(), f.c.stem, f.c.event, f.c.counts)
        .select_from(r.join(c, c.c.id == r.c.card_id).join(f, f.c.id == c.c.fact_id))
        .where(r.c.profile_id.in_(who), counted_answers(r))
        .group_by(r.c.profile_id, f.c.deck_id, f.c.id, f.c.key, f.c.kind, f.c.text,
                  f.c.front, f.c.stem, f.c.event, f.c.counts)
        .having(misses > 0)
    )


def _reports_statement(who: Any) -> Any:
    q, f = report_table.alias("q"), fact_table.alias("f")
    return (
        sa_select(q.c.profile_id, f.c.deck_id, f.c.key, q.c.form, q.c.prompt, q.c.reason,
                  q.c.created_at)
        .select_from(q.join(f, f.c.id == q.c.fact_id))
        .where(q.c.profile_id.in_(who))
        .order_by(q.c.created_at, q.c.id)
    )
