"""Classroom use cases: set a classroom up, add students and teachers, the class report.

A classroom is a PostgreSQL database where each student logs in with their
own role and row-level security keeps every student to their own rows (the
roles, grants, policies and queries are in :mod:`quizapp.storage.classroom`).
The teacher who owns the database runs :func:`init_classroom` once, then
:func:`add_student` for each student and :func:`add_teacher` for each teacher
who reads a class. Names are checked here, before the database is touched;
every refusal is a :class:`ClassroomError` whose message says why in plain
words.

:func:`class_report` is portable (SQLite too): per visible student and deck,
the reviews, accuracy, facts mastered, most-missed facts and reported
questions, each a ``GROUP BY`` in the database, never the log in Python.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from quizapp.storage import classroom as store
from quizapp.storage.classroom import (
    STUDENT_CONNECTIONS,
    STUDENT_GROUP,
    TEACHER_GROUP,
    ClassroomError,
    Engine,
    Session,
)
from quizapp.timeutil import utc_now

if TYPE_CHECKING:
    from quizapp.facts.model import Deck

__all__ = [
    "DEFAULT_CLASS",
    "MOST_MISSED",
    "STUDENT_CONNECTIONS",
    "STUDENT_GROUP",
    "TEACHER_GROUP",
    "Account",
    "ClassroomError",
    "add_student",
    "add_teacher",
    "class_report",
    "connect",
    "init_classroom",
    "role_url",
    "shown_url",
]

DEFAULT_CLASS = "default"
MOST_MISSED = 5  # most-missed facts per student and deck in the report

# Login role names: lower-case letters, digits and underscores (PostgreSQL
# folds unquoted names to lower case; 63 bytes at most).
_ROLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")

# Characters a name may not hold: C0/C1 controls (terminal escape codes
# start with ESC or CSI) and the bidirectional overrides that reorder text.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, slots=True)
class Account:
    """A login role made for a student or a teacher, and how it connects."""

    role: str
    password: str
    class_name: str
    url: str  # QUIZAPP_DATABASE_URL for that person's computer (password included)
    profile_id: int | None = None  # students only


# --------------------------------------------------------------------------
# Set-up (PostgreSQL only)


def connect(url: str) -> Engine:
    """An engine for the classroom database at ``url`` (no schema work); dispose it after."""
    return store.make_engine(url)


def shown_url(url: str) -> str:
    """``url`` with its password masked, for messages."""
    return store.redacted(url)


def init_classroom(url: str) -> Engine:
    """Create (or upgrade) the schema at ``url``, the group roles, grants and policies.

    Run as the role that will own the tables (it needs CREATEROLE). Loads the
    seed deck once, as a first start would, but creates no profile. Safe to
    run again: roles are kept, grants and policies are made afresh.
    """
    engine = store.open_classroom_database(url)
    try:
        from quizapp.questions.holds import with_holds

        store.load_seed_once(engine, _seed_deck, with_holds)
        store.make_classroom(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _seed_deck() -> Deck:
    from quizapp.assets import seed_deck_path
    from quizapp.facts.deckfile import load_deck_file
    from quizapp.questions.holds import with_holds

    return with_holds(load_deck_file(seed_deck_path()))


def add_student(engine: Engine, role: str, *, password: str | None = None,
                class_name: str = DEFAULT_CLASS, name: str | None = None,
                now: datetime | None = None) -> Account:
    """A LOGIN role for a student and their profile (with cards for every deck), in one go.

    ``role`` is the student's login name; ``name`` the profile's name
    (default: the role). Without ``password`` a random one is made.
    """
    role = _check_role_name(role)
    class_name = _check_class(class_name)
    if name is not None:
        _check_printable(name, "a profile's name")
    password = password or secrets.token_urlsafe(12)
    profile_id = store.create_student(engine, role, password, class_name, name or role,
                                      now or utc_now())
    return Account(role, password, class_name, role_url(engine, role, password), profile_id)


def add_teacher(engine: Engine, role: str, *, class_name: str = DEFAULT_CLASS,
                password: str | None = None) -> Account:
    """Let ``role`` read a class: a new LOGIN role in the teacher group, or an existing role.

    An existing role is added to the teacher group (its password is left
    alone; the account's password is then empty).
    """
    role = _check_role_name(role)
    class_name = _check_class(class_name)
    new_password = password or secrets.token_urlsafe(12)
    created = store.create_teacher(engine, role, class_name, new_password)
    password = new_password if created else ""
    return Account(role, password, class_name,
                   role_url(engine, role, password) if password else "")


def role_url(engine: Engine, role: str, password: str) -> str:
    """The URL a role connects to the engine's database with (password included)."""
    return store.role_url(engine, role, password)


def _check_role_name(role: str) -> str:
    role = role.strip()
    if not _ROLE_NAME.fullmatch(role) or role.startswith(("pg_", "quizapp_")):
        raise ClassroomError(
            f"{role!r} cannot be a login name: use lower-case letters, digits and "
            "underscores, starting with a letter (not pg_… or quizapp_…)")
    return role


def _check_class(class_name: str) -> str:
    class_name = class_name.strip()
    if not class_name:
        raise ClassroomError("a class needs a name")
    return _check_printable(class_name, "a class's name")


def _check_printable(value: str, what: str) -> str:
    if _CONTROL.search(value):
        raise ClassroomError(f"{what} may not hold control characters: {value!r}")
    return value


# --------------------------------------------------------------------------
# The class report (any backend)


def class_report(session: Session, class_name: str | None = None,
                 now: datetime | None = None) -> dict[str, Any]:
    """Every visible student of a class (or of every class), per deck. JSON-ready.

    Keys: ``class`` (as asked, or None), ``now`` (ISO UTC), ``decks`` (every
    deck with class totals: ``deck_id``, ``key``, ``name``, ``students``
    (who answered any question of it), ``reviews``, ``correct``,
    ``accuracy``), and ``students``: ``{"profile_id", "name", "role",
    "class", "decks": [...]}`` sorted by class and name, one entry per deck
    the student has cards in:

    - ``reviews``: effective study answers (undone answers left out, an
      overrule counted as the answer it replaces); ``correct`` the right
      ones; ``accuracy`` = correct / reviews (None without reviews);
      ``tests``: practice-test answers; ``last_answer``: ISO time or None.
    - ``facts``, ``mastered``: as in ``quizapp stats`` (the fact's one memory
      stable for 21 days and its last answer right).
    - ``most_missed``: up to 5 ``{"fact_id", "kind", "text", "question",
      "misses", "answers"}``, study and test answers, most misses first;
      ``question`` says what the fact is about (its stem, a note's front, or
      the event or counted thing), so that "2023" or "90" is not shown bare.
    - ``reported``: ``{"fact_id", "form", "prompt", "reason", "created_at"}``
      for every question the student reported as wrong, oldest first.
    """
    now = now or utc_now()
    rows = store.class_report_rows(session, class_name)
    students: dict[int, dict[str, Any]] = {}
    for pid, name, role, klass in rows.profiles:
        students[pid] = {"profile_id": pid, "name": name, "role": role,
                         "class": klass, "decks": {}}
    decks: dict[int, dict[str, Any]] = {d: {"deck_id": d, "key": k, "name": n}
                                        for d, k, n in rows.decks}

    def entry(pid: int, deck_id: int) -> dict[str, Any]:
        per_deck: dict[int, dict[str, Any]] = students[pid]["decks"]
        return per_deck.setdefault(deck_id, {
            "deck_id": deck_id, "deck_key": decks[deck_id]["key"],
            "deck": decks[deck_id]["name"], "reviews": 0, "correct": 0, "accuracy": None,
            "tests": 0, "last_answer": None, "facts": 0, "mastered": 0, "most_missed": [],
            "reported": []})

    for pid, deck_id, facts, mastered in rows.mastery:
        e = entry(pid, deck_id)
        e["facts"], e["mastered"] = facts, mastered
    for pid, deck_id, reviews, correct, tests, last in rows.answers:
        e = entry(pid, deck_id)
        e["reviews"], e["correct"], e["tests"] = reviews, correct, tests
        e["accuracy"] = correct / reviews if reviews else None
        e["last_answer"] = last.isoformat() if last is not None else None
    missed = sorted(rows.missed, key=lambda row: (row[0], row[1], -int(row[6]), row[2]))
    for (pid, deck_id, key, kind, fact_text, front, misses, answers, stem, event,
         counts) in missed:
        e = entry(int(pid), int(deck_id))
        if len(e["most_missed"]) < MOST_MISSED:
            e["most_missed"].append({"fact_id": key, "kind": kind,
                                     "text": fact_text or front or "",
                                     "question": stem or front or event or counts or "",
                                     "misses": int(misses), "answers": int(answers)})
    for pid, deck_id, key, form, prompt, reason, created in rows.reports:
        entry(pid, deck_id)["reported"].append({
            "fact_id": key, "form": form, "prompt": prompt, "reason": reason,
            "created_at": created.isoformat() if created is not None else None})

    totals = {d: {**info, "students": 0, "reviews": 0, "correct": 0, "accuracy": None}
              for d, info in decks.items()}
    out_students = []
    for student in sorted(students.values(),
                          key=lambda x: (x["class"] is None, x["class"] or "", x["name"])):
        per_deck = sorted(student["decks"].values(),
                          key=lambda x: (str(x["deck"]), x["deck_id"]))
        for row in per_deck:
            t = totals[row["deck_id"]]
            t["students"] += 1 if row["reviews"] or row["tests"] else 0
            t["reviews"] += row["reviews"]
            t["correct"] += row["correct"]
        out_students.append({**student, "decks": per_deck})
    for t in totals.values():
        t["accuracy"] = t["correct"] / t["reviews"] if t["reviews"] else None
    return {
        "class": class_name,
        "now": now.isoformat(),
        "decks": sorted(totals.values(), key=lambda x: (str(x["name"]), x["deck_id"])),
        "students": out_students,
    }
