"""Command-line commands for quizzes, progress files, profile moves and the class view.

Registered on ``quizapp``'s parser by :func:`register`:

- ``quizapp quiz DECK... --questions N [--seed S] [--draw D] [--forms F]
  [--pdf FILE] [--answer-key] [--json]``: a printable quiz.
- ``quizapp progress export FILE [--profile P] [--pdf FILE]``: a student's
  progress file (and a readable PDF report).
- ``quizapp profile export FILE [--profile P]``: a whole profile, to move it
  to another computer; ``quizapp profile import FILE [--as NAME]`` brings it
  in (all or nothing).
- ``quizapp class-view FILE... [--json]``: several progress files side by side.

``--seed`` is the paper's *version*: two seeds give the same questions and
choices in another order (neighbouring desks); ``--draw`` picks other facts.
Problems go to standard error, one per line, with exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_BAD_INPUT = 2

__all__ = [
    "cmd_class_view",
    "cmd_profile_export",
    "cmd_profile_import",
    "cmd_progress_export",
    "cmd_quiz",
    "register",
]


def _fail(lines: Sequence[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return EXIT_BAD_INPUT


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _known_errors(exc: Exception) -> list[str] | None:
    """Plain lines for a known error, or None to let it through."""
    from quizapp.facts.deckfile import DeckFileError
    from quizapp.quiz import QuizError
    from quizapp.services.decks import NotFoundError
    from quizapp.services.progress import ProgressFileError

    if isinstance(exc, DeckFileError):
        return [str(p) for p in exc.problems]
    if isinstance(exc, ProgressFileError):  # each line names its file already
        return list(exc.problems)
    if isinstance(exc, QuizError):
        return [f"quizapp: {line}" for line in exc.problems]
    if isinstance(exc, NotFoundError):
        return [f"quizapp: {exc.args[0]}"]
    return None


def _guarded(run: Any) -> Any:
    """Turn known errors into lines on standard error and exit status 2."""

    def wrapper(args: argparse.Namespace) -> int:
        try:
            return int(run(args))
        except Exception as exc:
            lines = _known_errors(exc)
            if lines is None:
                raise
            return _fail(lines)

    wrapper.__doc__ = run.__doc__
    wrapper.__name__ = run.__name__
    return wrapper


def _out_path(name: str, what: str) -> Path:
    from quizapp.services.progress import ProgressFileError

    path = Path(name)
    if not path.parent.is_dir():
        raise ProgressFileError([f"{path}:1: {what}: the folder {path.parent} does not exist"])
    return path


# ---------------------------------------------------------------------- quiz


def _load_decks(names: Sequence[str]) -> list[Any]:
    from quizapp.facts.deckfile import load_deck_file

    decks = []
    stored = []
    for name in names:
        if name.endswith(".toml") or Path(name).is_file():
            decks.append(load_deck_file(name))
        else:
            stored.append(name)
    if stored:
        from quizapp.services.collection import Collection

        with Collection.open() as col:
            decks += [col.load_deck(n) for n in stored]
    return decks


def _forms(text: str | None) -> Any:
    from quizapp.quiz import FormGroup, QuizError, forms_of_groups

    if text is None or text.strip().lower() in ("", "mixed", "all"):
        return None
    groups = [g.strip().lower() for g in text.split(",") if g.strip()]
    known = {g.value for g in FormGroup}
    bad = [g for g in groups if g not in known]
    if bad:
        raise QuizError([f"forms: unknown {', '.join(bad)}; use mixed or any of "
                         f"{', '.join(sorted(known))}"])
    return forms_of_groups(groups)


@_guarded
def cmd_quiz(args: argparse.Namespace) -> int:
    """``quizapp quiz DECK... --questions N [--seed S] --pdf FILE [--answer-key]``."""
    from quizapp.quiz import QuizError, QuizOptions, answer_key, build_quiz, quiz_json

    options = QuizOptions(questions=args.questions, forms=_forms(args.forms), draw=args.draw,
                          version=args.seed)
    pdf = _out_path(args.pdf, "pdf") if args.pdf else None
    quiz = build_quiz(_load_decks(args.deck), options, title=args.title)
    if quiz.short:
        raise QuizError(quiz.problems())
    if pdf is not None:
        from quizapp.gui.pdf import write_quiz_pdf

        pages = write_quiz_pdf(quiz, pdf, answer_key_page=args.answer_key, paper=args.paper)
        key = " with the answer key" if args.answer_key else ""
        print(f"Wrote {pdf}: {len(quiz.items)} questions{key}, version {options.version}, "
              f"{pages} pages.", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        _print_json(quiz_json(quiz))
    elif pdf is None:
        for item in quiz.items:
            q = item.question
            print(f"{item.number}. {q.prompt}")
            options_shown = q.items if q.items is not None else q.choices
            for i, text in enumerate(options_shown or ()):
                print(f"   {chr(ord('A') + i)}  {text}")
        if args.answer_key:
            print("\nAnswer key")
            for k in answer_key(quiz):
                why = f" ({k.why})" if k.why else ""
                print(f"{k.number}. {k.letter + '  ' if k.letter else ''}{k.answer}{why}")
    return EXIT_OK


# ------------------------------------------------------------ progress files


def _profile_id(col: Any, name: str | None) -> int:
    profile = col.profile(name)
    assert profile.id is not None
    return int(profile.id)


@_guarded
def cmd_progress_export(args: argparse.Namespace) -> int:
    """``quizapp progress export FILE [--profile P] [--pdf FILE]``."""
    from quizapp.services.collection import Collection
    from quizapp.services.progress import export_progress, read_progress_data

    path = _out_path(args.file, "file")
    pdf = _out_path(args.pdf, "pdf") if args.pdf else None
    with Collection.open() as col:
        data = export_progress(col, _profile_id(col, args.profile), path)
    print(f"Wrote the progress file of {data['student']} to {path}.")
    if pdf is not None:
        from quizapp.gui.pdf import write_progress_pdf

        pages = write_progress_pdf(read_progress_data(data, str(path)), pdf)
        print(f"Wrote the progress report to {pdf} ({pages} page{'s' if pages > 1 else ''}).")
    return EXIT_OK


@_guarded
def cmd_profile_export(args: argparse.Namespace) -> int:
    """``quizapp profile export FILE [--profile P]``."""
    from quizapp.services.collection import Collection
    from quizapp.services.profile_file import export_profile

    path = _out_path(args.file, "file")
    with Collection.open() as col:
        pid = _profile_id(col, args.profile)
        name = col.profile(pid).name
        counts = export_profile(col, pid, path)
    print(f"Wrote the profile {name} to {path}: {counts['reviews']} reviews, "
          f"{counts['sessions']} sessions, {counts['cards']} cards, "
          f"{_plural(counts['decks'], 'deck')}.")
    return EXIT_OK


@_guarded
def cmd_profile_import(args: argparse.Namespace) -> int:
    """``quizapp profile import FILE [--as NAME]``."""
    from quizapp.services.collection import Collection
    from quizapp.services.profile_file import import_profile

    with Collection.open() as col:
        result = import_profile(col, args.file, name=args.as_name)
    extra = ""
    if result.decks_added:
        extra = f"; {result.decks_added} decks added"
    print(f"Imported the profile {result.name}: {result.reviews} reviews, "
          f"{result.sessions} sessions, {result.cards} cards{extra}.")
    return EXIT_OK


@_guarded
def cmd_class_view(args: argparse.Namespace) -> int:
    """``quizapp class-view FILE... [--json]``."""
    from quizapp.services.progress import (
        ProgressFileError,
        class_json,
        class_table,
        describe_seconds,
        read_progress,
    )

    students = []
    problems: list[str] = []
    for name in args.files:
        try:
            students.append(read_progress(name))
        except ProgressFileError as exc:
            problems += exc.problems
    if problems:
        raise ProgressFileError(problems)
    table = class_table(students)
    if args.json:
        _print_json(class_json(table))
        return EXIT_OK

    def pct(v: float | None) -> str:
        return "–" if v is None else f"{round(100 * v)}%"

    for row in table.rows:
        print(row.student)
        for key, name in table.decks:
            d = row.decks.get(key)
            if d is None:
                continue
            print(f"  {name}: {d.mastered}/{d.facts} mastered, retention {pct(d.retention)}, "
                  f"{describe_seconds(d.seconds_studied)}")
        print(f"  tests {row.tests}, average {pct(row.test_average)}; "
              f"reported {row.reported}")
        if row.most_missed:
            print(f"  most missed: {'; '.join(row.most_missed[:3])}")
    return EXIT_OK


# ------------------------------------------------------------------ parser


def register(sub: Any) -> None:
    """Add ``quiz``, ``progress``, ``profile`` and ``class-view`` to ``quizapp``'s subparsers."""
    p = sub.add_parser("quiz", help="a printable quiz (PDF) from one or more decks")
    p.add_argument("deck", nargs="+", help="deck files, or stored decks' ids, names or numbers")
    p.add_argument("--questions", type=int, default=20, metavar="N",
                   help="how many questions (default 20)")
    p.add_argument("--seed", type=int, default=1, metavar="S",
                   help="the version: same questions, another order (default 1)")
    p.add_argument("--draw", type=int, default=1, metavar="D",
                   help="which facts and forms are drawn (default 1)")
    p.add_argument("--forms", metavar="F",
                   help="mixed (default) or a comma list of choice, typed, cloze, order")
    p.add_argument("--pdf", metavar="FILE", help="write the quiz as a PDF")
    p.add_argument("--answer-key", action="store_true",
                   help="add the answer key, on a page of its own")
    p.add_argument("--title", help="the quiz's title (default: the deck names)")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4")
    p.add_argument("--json", action="store_true", help="print the quiz as JSON")
    p.set_defaults(func=cmd_quiz)

    p = sub.add_parser("progress", help="progress files for a teacher")
    psub = p.add_subparsers(dest="progress_command", metavar="ACTION", required=True)
    e = psub.add_parser("export", help="write a profile's progress file (JSON)")
    e.add_argument("file", help="the progress file to write (.json)")
    e.add_argument("--profile", help="profile name or id (default: the first)")
    e.add_argument("--pdf", metavar="FILE", help="also write a readable PDF report")
    e.set_defaults(func=cmd_progress_export)

    p = sub.add_parser("profile", help="move a whole profile to another computer")
    psub = p.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    e = psub.add_parser("export", help="write everything of a profile to a file")
    e.add_argument("file", help="the profile file to write (.json)")
    e.add_argument("--profile", help="profile name or id (default: the first)")
    e.set_defaults(func=cmd_profile_export)
    i = psub.add_parser("import", help="bring in a profile file (all or nothing)")
    i.add_argument("file", help="a profile file written by 'quizapp profile export'")
    i.add_argument("--as", dest="as_name", metavar="NAME", help="import under another name")
    i.set_defaults(func=cmd_profile_import)

    p = sub.add_parser("class-view", help="several students' progress files side by side")
    p.add_argument("files", nargs="+", metavar="FILE", help="progress files")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_class_view)
