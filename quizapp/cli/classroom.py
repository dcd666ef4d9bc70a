"""Command-line commands for a classroom on PostgreSQL.

Registered on ``quizapp``'s parser by :func:`register`; every command works
on the database of ``QUIZAPP_DATABASE_URL``:

- ``quizapp class init``: as the teacher who owns the database (a role that
  may create roles), create the schema, the group roles ``quizapp_teacher``
  and ``quizapp_student``, their grants and the row-level security policies.
- ``quizapp class add-student NAME [--password P] [--class C] [--name N]
  [--json]``: a login role for a student and their profile; prints the
  ``QUIZAPP_DATABASE_URL`` for the student's computer.
- ``quizapp class add-teacher NAME [--password P] [--class C] [--json]``:
  a role that may read one class (an existing role keeps its password).
- ``quizapp class-report [--json] [--class C]``: every student the
  connection may see, per deck: reviews, accuracy, facts mastered, the
  most-missed facts and the questions reported as wrong.

Problems are printed as one plain line on standard error, exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from quizapp.terminal import shown

EXIT_OK = 0
EXIT_BAD_INPUT = 2

__all__ = [
    "cmd_class_add_student",
    "cmd_class_add_teacher",
    "cmd_class_init",
    "cmd_class_report",
    "register",
]


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _guarded(run: Any) -> Any:
    """Run a command; a ClassroomError becomes one line on standard error and status 2."""

    def wrapper(args: argparse.Namespace) -> int:
        from quizapp.services.classroom import ClassroomError

        try:
            return int(run(args))
        except ClassroomError as exc:
            print(f"quizapp: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT

    wrapper.__doc__ = run.__doc__
    return wrapper


def _url() -> str:
    from quizapp.config import database_url

    return database_url()


def cmd_class_init(args: argparse.Namespace) -> int:
    """``quizapp class init``."""
    from quizapp.services.classroom import (
        STUDENT_GROUP,
        TEACHER_GROUP,
        init_classroom,
        shown_url,
    )

    url = _url()
    engine = init_classroom(url)
    engine.dispose()
    print(f"Classroom ready in {shown_url(url)}: roles {TEACHER_GROUP} and {STUDENT_GROUP}, "
          "row-level security on every student's rows.")
    print("Add students with: quizapp class add-student NAME --class CLASS")
    return EXIT_OK


def _account(args: argparse.Namespace, teacher: bool) -> int:
    from quizapp.services.classroom import DEFAULT_CLASS, add_student, add_teacher, connect

    class_name = args.class_name or DEFAULT_CLASS
    engine = connect(_url())
    try:
        if teacher:
            account = add_teacher(engine, args.role, class_name=class_name,
                                  password=args.password)
        else:
            account = add_student(engine, args.role, class_name=class_name,
                                  password=args.password, name=args.name)
    finally:
        engine.dispose()
    if args.json:
        _print_json({"role": account.role, "class": account.class_name,
                     "password": account.password, "profile_id": account.profile_id,
                     "database_url": account.url or None})
        return EXIT_OK
    who = "teacher" if teacher else "student"
    print(f"Added {who} {account.role} to class {account.class_name}.")
    if account.url:
        print(f"On {account.role}'s computer, set:")
        print(f"  QUIZAPP_DATABASE_URL={account.url}")
    else:
        print(f"{account.role} keeps their password.")
    return EXIT_OK


def cmd_class_add_student(args: argparse.Namespace) -> int:
    """``quizapp class add-student NAME [--password P] [--class C] [--name N] [--json]``."""
    return _account(args, teacher=False)


def cmd_class_add_teacher(args: argparse.Namespace) -> int:
    """``quizapp class add-teacher NAME [--password P] [--class C] [--json]``."""
    return _account(args, teacher=True)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def cmd_class_report(args: argparse.Namespace) -> int:
    """``quizapp class-report [--json] [--class C]``."""
    from quizapp.services.classroom import class_report
    from quizapp.services.collection import Collection

    with Collection.open(_url(), first_start=False) as col, col.session() as s:
        report = class_report(s, args.class_name)
    if args.json:
        _print_json(report)
        return EXIT_OK
    if not report["students"]:
        print("No students" + (f" in class {shown(args.class_name)}." if args.class_name
                               else "."))
        return EXIT_OK
    for student in report["students"]:
        klass = f" ({shown(student['class'])})" if student["class"] else ""
        print(f"{shown(student['name'])}{klass}")
        for d in student["decks"]:
            missed = ", ".join(shown(m["fact_id"]) for m in d["most_missed"][:3]) or "–"
            print(f"  {shown(d['deck'])[:40]:<40} reviews {d['reviews']:>5}  accuracy "
                  f"{_pct(d['accuracy']):>4}  mastered {d['mastered']:>3} of {d['facts']:<3}  "
                  f"reported {len(d['reported']):>2}  missed: {missed}")
    return EXIT_OK


def register(sub: Any) -> None:
    """Add ``class …`` and ``class-report`` to ``quizapp``'s sub-command parsers."""
    p = sub.add_parser("class", help="set up a classroom on PostgreSQL (teachers)")
    actions = p.add_subparsers(dest="class_command", metavar="ACTION", required=True)
    a = actions.add_parser("init", help="create the schema, roles and row-level security")
    a.set_defaults(func=_guarded(cmd_class_init))
    for action, who in (("add-student", "student"), ("add-teacher", "teacher")):
        a = actions.add_parser(action, help=f"create a {who}'s database role"
                               + (" and profile" if who == "student" else ""))
        a.add_argument("role", metavar="NAME",
                       help="login name: lower-case letters, digits and underscores")
        a.add_argument("--password", help="the password (default: a random one, printed)")
        a.add_argument("--class", dest="class_name",
                       help="the class (default: one called default)")
        if who == "student":
            a.add_argument("--name", help="the profile's name (default: NAME)")
        a.add_argument("--json", action="store_true", help="print JSON")
        a.set_defaults(func=_guarded(cmd_class_add_student if who == "student"
                                     else cmd_class_add_teacher))

    p = sub.add_parser("class-report", help="every student of a class, per deck (teachers)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--class", dest="class_name", help="only this class (default: every class)")
    p.set_defaults(func=_guarded(cmd_class_report))
