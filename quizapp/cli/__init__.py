"""The command line: the same core as the GUI, from a terminal.

Bad input never shows a traceback: problems go to standard error, one per
line as ``FILE:LINE: field: what is wrong``, and the exit status is 2. A
database that cannot be opened, upgraded or read (damaged, locked, newer) is
one plain line and exit status 1; for a damaged SQLite file the line ends with
the way out, ``quizapp restore --newest``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quizapp import __version__

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_INPUT = 2


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _fail(lines: Sequence[str], status: int = EXIT_BAD_INPUT) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return status


def _looks_like_file(name: str) -> bool:
    suffixes = (".toml", ".csv", ".tsv", ".txt", ".apkg", ".colpkg")
    return name.lower().endswith(suffixes) or Path(name).is_file()


def _load_deck_arg(name: str, *, include_held: bool = False) -> Any:
    """A deck named on the command line: a deck file, or a stored deck's key, name or id
    (its facts held back from study too with ``include_held``)."""
    if _looks_like_file(name):
        from quizapp.importers import detect_and_load

        return detect_and_load(Path(name)), None
    from quizapp.services.collection import Collection

    col = Collection.open()
    return col.load_deck(name, include_held=include_held), col


def cmd_facts(args: argparse.Namespace) -> int:
    """``quizapp facts DECK --json``."""
    from quizapp.facts.jsonout import deck_json

    deck, col = _load_deck_arg(args.deck, include_held=True)
    if col is not None:
        col.close()
    data = deck_json(deck)
    if args.json:
        _print_json(data)
    else:
        for fact in data["facts"]:
            label = fact.get("text") or fact.get("front")
            print(f"{fact['id']:<32} {fact['kind']:<7} {label}")
    return EXIT_OK


def cmd_questions(args: argparse.Namespace) -> int:
    """``quizapp questions DECK --json [--seed N]``."""
    from quizapp.questions.generate import questions_json

    deck, col = _load_deck_arg(args.deck)
    card_ids = None
    if col is not None:
        from quizapp.services.decks import stored_card_ids

        card_ids = stored_card_ids(col, deck.id, col.profile(args.profile).id)
        col.close()
    data = questions_json(deck, args.seed, card_ids)
    if args.json:
        _print_json(data)
    else:
        for q in data["questions"]:
            choices = " / ".join(q["choices"]) if q["choices"] else "(typed)"
            print(f"{q['prompt']}\n    {choices}\n    answer: {q['answers'][0]}")
    return EXIT_OK


def cmd_grade(args: argparse.Namespace) -> int:
    """``quizapp grade DECK --json``: mark typed answers read as JSON lines on standard input."""
    from quizapp.services.marking import mark_lines, read_lines

    deck, col = _load_deck_arg(args.deck)
    if col is not None:
        col.close()
    for mark in mark_lines(deck, read_lines(sys.stdin.buffer)):
        if args.json:
            json.dump(mark.to_json(), sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            print(f"{mark.fact_id}\t{mark.form}\t{mark.verdict}\t{mark.message}")
        sys.stdout.flush()
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    """``quizapp import FILE``: a deck file, a spreadsheet or Anki text file, an Anki package.

    An article's facts need a review: ``--review-file`` writes them to a deck
    file to check by hand, ``--accept-all`` stores the ones marked ready
    unreviewed (``--include-doubtful`` adds those marked check); without
    either nothing is imported and the message says so.
    """
    from quizapp.services.collection import Collection
    from quizapp.services.imports import (
        ReplacementRefusedError,
        load_path,
        load_path_skipping,
        store_loaded,
    )

    path = Path(args.file)
    if args.review_file:
        from quizapp.importers.article import write_review_file

        print(write_review_file(path, Path(args.review_file)))
        return EXIT_OK
    # Validates everything before touching the database.
    if args.include_doubtful and not args.accept_all:
        return _fail([f"{path}:1: --include-doubtful: only goes with --accept-all"])
    if args.skip_bad_rows:  # each row left out is named; no good row at all refuses the file
        deck, notices, skipped = load_path_skipping(
            path, accept_articles=args.accept_all, include_doubtful=args.include_doubtful
        )
        for problem in skipped:
            print(problem, file=sys.stderr)
    else:
        deck, notices = load_path(
            path, accept_articles=args.accept_all, include_doubtful=args.include_doubtful
        )
    with Collection.open() as col:
        try:
            outcome = store_loaded(col, path, deck, notices, replace=args.replace,
                                   as_new=args.as_new)
        except ReplacementRefusedError as refused:
            return _fail(refused.lines())
    for notice in outcome.notices:
        print(f"{path}: note: {notice}", file=sys.stderr)
    print(outcome.summary())
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """``quizapp export DECK FILE``: the format follows the file's extension."""
    from quizapp.exporters import export_deck

    deck, col = _load_deck_arg(args.deck)
    if col is not None:
        from quizapp.services.media import with_media

        try:
            deck = with_media(col, deck)  # its pictures and sounds, from the database
        finally:
            col.close()
    export_deck(deck, Path(args.file))
    print(f"Exported deck {deck.id!r} ({len(deck.facts)} facts) to {args.file}")
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    """``quizapp extract FILE --json``: facts found automatically in an article."""
    from quizapp.extract import ArticleError, extract_deck
    from quizapp.facts.jsonout import deck_json

    try:
        deck = extract_deck(Path(args.file))
    except ArticleError as exc:
        return _fail([f"{args.file}:1: file: {exc}"])
    if not deck.facts:
        return _fail([f"{args.file}:1: file: no dates, numbers, quotes or people found"])
    data = deck_json(deck)
    if args.json:
        _print_json(data)
    else:
        for f in data["facts"]:
            print(f"{f['id']:<40} {f['kind']:<7} {f['text'][:60]}")
    return EXIT_OK


def cmd_decks(args: argparse.Namespace) -> int:
    """``quizapp decks``: the stored decks with card counts."""
    from quizapp.services.decks import deck_list_rows

    profile_name, rows = deck_list_rows(args.profile)
    if args.json:
        _print_json({"profile": profile_name, "decks": rows})
    else:
        from quizapp.terminal import table

        for line in table(("Id", "Deck", "New", "Learning", "Review"),
                          [(r["key"], r["name"], r.get("new_today", 0), r.get("learning", 0),
                            r.get("review", 0)) for r in rows],
                          right=frozenset({2, 3, 4})):
            print(line)
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """``quizapp stats --json [--profile P]``."""
    from quizapp.services.collection import Collection
    from quizapp.services.reports import profile_stats
    from quizapp.timeutil import utc_now

    with Collection.open() as col:
        profile = col.profile(args.profile)
        assert profile.id is not None
        data = profile_stats(col, profile.id, utc_now())
    _print_json(data) if args.json else print(json.dumps(data, indent=1))
    return EXIT_OK


def _sqlite_file() -> Path | None:
    from quizapp.config import database_url

    url = database_url()
    prefix = "sqlite:///"
    return Path(url[len(prefix) :]) if url.startswith(prefix) else None


def cmd_backup(args: argparse.Namespace) -> int:
    """``quizapp backup``: take a backup of the SQLite database now."""
    from quizapp.config import app_home
    from quizapp.services.backups import take

    db = _sqlite_file()
    if db is None or not db.exists():
        return _fail(["quizapp: backups are made of the embedded SQLite database only"], 1)
    backup = take(db, app_home(), "manual").backup  # checked; BackupError: one line, exit 1
    print(f"Backed up to {backup.path} ({backup.size} bytes).")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """``quizapp restore [BACKUP]``: list backups, or restore one (default: the newest good one)."""
    from quizapp.config import app_home
    from quizapp.services.backups import check, list_backups, newest_good, restore

    db = _sqlite_file()
    if db is None:
        return _fail(["quizapp: restore works on the embedded SQLite database only"], 1)
    backups = list_backups(app_home())
    if args.list or (args.backup is None and not args.newest):
        if not backups:
            print("No backups yet.")
        for b in backups:
            state = check(b.path) or "ok"
            print(
                f"{b.path.name}  {b.taken_at:%Y-%m-%d %H:%M} UTC  {b.reason:<8} "
                f"{b.size:>10} bytes  {state}"
            )
        return EXIT_OK
    if args.backup is not None:
        path = Path(args.backup)
        if not path.exists():
            path = app_home() / "backups" / args.backup
        if not path.exists():
            return _fail([f"{args.backup}:1: file: no such backup"])
    else:
        good = newest_good(app_home())
        if good is None:
            return _fail(["quizapp: no good backup to restore"], 1)
        path = good.path
    aside = restore(path, db)
    print(
        f"Restored {path.name}." + (f" The replaced database was kept as {aside}." if aside else "")
    )
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    """Open the desktop app."""
    from quizapp.gui.app import run

    return run([])


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``quizapp`` command."""
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description="Study the facts of a text: questions built from facts, graded, and "
        "scheduled with spaced repetition. Without a command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("facts", help="print the facts of a deck (stored deck or deck file)")
    p.add_argument("deck", help="a deck file (.toml), or a stored deck's id, name or number")
    p.add_argument("--json", action="store_true", help="print the fact JSON")
    p.set_defaults(func=cmd_facts)

    p = sub.add_parser("extract", help="find facts in an article (.txt, .md, .html)")
    p.add_argument("file", help="the article")
    p.add_argument("--json", action="store_true", help="print the fact JSON")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("questions", help="print one generated question per card")
    p.add_argument("deck", help="a deck file (.toml), or a stored deck's id, name or number")
    p.add_argument("--json", action="store_true", help="print the question JSON")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--profile", help="profile whose card ids to use (stored decks)")
    p.set_defaults(func=cmd_questions)

    p = sub.add_parser(
        "grade",
        help="mark typed answers: JSON lines {fact_id, form, answer} on standard input",
    )
    p.add_argument("deck", help="a deck file (.toml), or a stored deck's id, name or number")
    p.add_argument("--json", action="store_true", help="print one JSON line per answer")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser(
        "import",
        help="import a deck: .toml, .csv/.tsv/.txt (spreadsheet, Quizlet, Anki text), "
        ".apkg/.colpkg (Anki), or an article (.txt, .md, .html) after review",
    )
    p.add_argument("file", help="the file to import")
    p.add_argument(
        "--replace",
        action="store_true",
        help="import even if it would retire most facts of a stored deck",
    )
    p.add_argument(
        "--as-new",
        action="store_true",
        help="store a separate deck (a free id, a distinct name) even when the file "
        "matches a stored deck (same id, or same name and source), which it "
        "otherwise updates",
    )
    p.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="spreadsheet and text files: import the good rows and name each bad one "
        "on standard error (FILE:LINE: field: problem); without a good row nothing "
        "is stored (exit 2)",
    )
    review = p.add_mutually_exclusive_group()
    review.add_argument(
        "--accept-all",
        action="store_true",
        help="an article: store the facts found that are marked ready and pass the deck "
        "checks, unreviewed (the ones left out are counted and listed)",
    )
    p.add_argument(
        "--include-doubtful",
        action="store_true",
        help="with --accept-all: store the facts marked check too (unreviewed)",
    )
    review.add_argument(
        "--review-file",
        metavar="DECK.toml",
        help="an article: write the facts found to this new deck file to check by hand, "
        "then import that file; nothing is stored",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="write a deck to .toml, .csv, .tsv or .apkg")
    p.add_argument("deck", help="a stored deck's id, name or number, or a deck file")
    p.add_argument("file", help="the file to write; its extension picks the format")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("decks", help="list the stored decks with card counts")
    p.add_argument("--profile", help="profile name or id (default: the first)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_decks)

    p = sub.add_parser("stats", help="print progress figures")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--profile", help="profile name or id (default: the first)")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("backup", help="back up the database now")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="list backups, or restore one")
    p.add_argument("backup", nargs="?", help="a backup file or its name (see --list)")
    p.add_argument("--newest", action="store_true", help="restore the newest good backup")
    p.add_argument("--list", action="store_true", help="list the backups")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("gui", help="open the desktop app (the default)")
    p.set_defaults(func=cmd_gui)

    from quizapp.cli.quiz import register

    register(sub)  # quiz, progress, profile, class-view

    from quizapp.cli.classroom import register as register_class

    register_class(sub)  # class init / add-student / add-teacher, class-report

    from quizapp.cli.optimize import register as register_optimize

    register_optimize(sub)  # optimize

    from quizapp.cli.study import add_parser as register_study

    register_study(sub)  # study
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``quizapp`` command; returns the exit status."""
    if not (sys.argv[1:] if argv is None else argv):
        # No command: the desktop app, without building every command's parser first.
        try:
            return int(cmd_gui(argparse.Namespace(command=None)))
        except Exception as exc:
            return _report_error(exc)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.func = cmd_gui
    try:
        return int(args.func(args))
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        return _report_error(exc)


def _damaged_file() -> Path | None:
    """The SQLite database, if it is there and fails its integrity check."""
    from quizapp.services.backups import check

    db = _sqlite_file()
    if db is None or not db.exists():
        return None
    problem = check(db)
    if problem is None or problem == "the file is not a quizapp database":
        return None
    return db


def _database_error(exc: Exception) -> str:
    """One plain line for a database that cannot be opened or read.

    A damaged SQLite file gets the way out: ``quizapp restore --newest``.
    """
    from quizapp.services.backups import WAY_OUT
    from quizapp.services.startup import DatabaseError, plain_error

    damaged = _damaged_file()
    if isinstance(exc, DatabaseError):
        line = f"quizapp: {exc}"
        if damaged is not None and "quizapp restore" not in line:
            line += f"; the file is damaged; {WAY_OUT}"
        return line
    if damaged is not None:
        return f"quizapp: the database {damaged} is damaged ({plain_error(exc)}); {WAY_OUT}"
    return f"quizapp: the database failed: {plain_error(exc)}"


def _report_error(exc: Exception) -> int:
    """Turn a known error into plain lines on standard error; re-raise anything else.

    The error types are imported here, not at start-up, so that opening the
    desktop app does not pay for the storage stack before its window shows.
    """
    from quizapp.facts.deckfile import DeckFileError
    from quizapp.services.decks import NotFoundError

    if isinstance(exc, DeckFileError):
        return _fail([str(p) for p in exc.problems])
    if isinstance(exc, NotFoundError):
        return _fail([f"quizapp: {exc.args[0]}"])
    from quizapp.exporters import ExportError
    from quizapp.services.backups import BackupError

    if isinstance(exc, ExportError):
        return _fail([str(exc)])

    if isinstance(exc, BackupError):
        return _fail([f"quizapp: {exc}"], EXIT_ERROR)
    from quizapp.services.startup import is_database_error

    if is_database_error(exc):
        return _fail([_database_error(exc)], EXIT_ERROR)
    raise exc


if __name__ == "__main__":
    sys.exit(main())
