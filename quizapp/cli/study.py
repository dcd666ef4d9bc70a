"""``quizapp study DECK``: study a stored deck on the command line, as the study screen does.

One question at a time on standard output, one answer a line on standard
input: a choice's number (or its text), typed text, a timeline's numbers in
order ("2 1 3"), or for a flashcard Enter to show the answer and then 1–4
(Again, Hard, Good, Easy). ``q`` or the end of the input ends the sitting.
Each answer is committed before its feedback is printed. When today's new
limit holds new facts back, the end of the sitting says so and offers to
study more today; ``--more N`` lets N more new facts in from the start
(without changing the saved limit), which works with no terminal at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from quizapp.timeutil import utc_now

if TYPE_CHECKING:  # the storage stack loads when the command runs, not when it is listed
    from quizapp.services.sitting import Sitting

_RATINGS = {"1": 1, "2": 2, "3": 3, "4": 4, "again": 1, "hard": 2, "good": 3, "easy": 4}


def _read(stdin: TextIO) -> str | None:
    line = stdin.readline()
    return None if line == "" else line.strip()


def _counts_line(counts: object) -> str:
    new, learning, review = (getattr(counts, n) for n in ("new_left", "learning_left",
                                                          "review_left"))
    return f"[new {new} · learning {learning} · to review {review}]"


def _ask(sitting: Sitting, question: object, stdin: TextIO, out: Callable[[str], None],
         col: object) -> bool | None:
    """Ask one question; True: answered, None: the learner stopped."""
    from quizapp.questions.model import Question
    from quizapp.services.sitting import sitting_counts

    assert isinstance(question, Question)
    session = sitting.session
    out("")
    out(_counts_line(sitting_counts(col, sitting, utc_now())))  # type: ignore[arg-type]
    out(question.prompt)
    options = question.items if question.input_kind == "order" else question.choices
    for i, option in enumerate(options or (), 1):
        out(f"  {i}) {option}")
    if question.input_kind == "reveal":
        out("(Enter shows the answer)")
        if _read(stdin) is None:
            return None
        out(question.back or "")
        while True:
            out("How well did you know it? 1 Again, 2 Hard, 3 Good, 4 Easy")
            line = _read(stdin)
            if line is None or line.lower() == "q":
                return None
            rating = _RATINGS.get(line.lower())
            if rating is not None:
                result = session.answer_flashcard(question, rating, utc_now())
                out("Right." if result.correct else "Again.")
                return True
            out("Type 1, 2, 3 or 4.")
    while True:
        line = _read(stdin)
        if line is None or line.lower() == "q":
            return None
        if not line:
            out("No answer given: type an answer (q stops).")
            continue
        given: str | list[str] = line
        if question.input_kind == "order" and options:
            picks = line.replace(",", " ").split()
            if sorted(picks) != [str(i) for i in range(1, len(options) + 1)]:
                out(f"Give the numbers 1 to {len(options)} in order, e.g. "
                    + " ".join(str(i) for i in range(1, len(options) + 1)))
                continue
            given = [options[int(p) - 1] for p in picks]
        elif question.choices and line.isdecimal() and 1 <= int(line) <= len(question.choices):
            given = question.choices[int(line) - 1]
        result = session.answer(question, given, utc_now())  # committed before the feedback
        out(result.message or ("Right." if result.correct
                               else f"Wrong. The answer: {result.correct_answer}."))
        if result.evidence.sentence:
            out(f"  {result.evidence.sentence}")
        return True


def run_study(args: argparse.Namespace, stdin: TextIO | None = None,
              out: Callable[[str], None] = print) -> int:
    """The ``quizapp study`` command (exit 0; a deck or profile not found: exit 2)."""
    from quizapp.services.collection import Collection
    from quizapp.services.decks import NotFoundError
    from quizapp.services.sitting import open_sitting, sitting_counts, study_more

    stdin = stdin or sys.stdin
    if args.more < 0:
        print(f"quizapp: --more: must be 0 or more, not {args.more}", file=sys.stderr)
        return 2
    with Collection.open() as col:
        try:
            sitting = open_sitting(col, args.deck, args.profile, utc_now(), more=args.more,
                                   seed=args.seed)
        except NotFoundError as exc:
            print(f"quizapp: {exc}", file=sys.stderr)
            return 2
        session = sitting.session
        answered = 0
        stopped = False
        try:
            while not stopped:
                while args.max is None or answered < args.max:
                    question = session.next_question(utc_now())
                    if question is None:
                        break
                    done = _ask(sitting, question, stdin, out, col)
                    if done is None:
                        stopped = True
                        break
                    answered += 1
                if stopped or (args.max is not None and answered >= args.max):
                    break
                counts = sitting_counts(col, sitting, utc_now())
                out("")
                out(f"Nothing more to study in {sitting.deck_name} for now: "
                    f"{counts.answered_today} answered today, {counts.correct_today} right.")
                if not counts.new_waiting:
                    break
                n = min(sitting.more_step, counts.new_waiting)
                out(f"Today's new limit holds back {counts.new_waiting} new "
                    f"fact{'s' if counts.new_waiting != 1 else ''}. Study {n} more today "
                    f"(the limit stays as it is): quizapp study {args.deck} --more {n}")
                if not stdin.isatty():
                    break
                out(f"Study {n} more today? [y/N]")
                line = _read(stdin)
                if line is None or line.lower() not in ("y", "yes"):
                    break
                study_more(col, sitting, n, utc_now())
        finally:
            session.close(utc_now())
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``quizapp study``."""
    p = sub.add_parser("study", help="study a stored deck on the command line")
    p.add_argument("deck", help="a stored deck's id, name or row id")
    p.add_argument("--profile", help="the learner (default: the first profile)")
    p.add_argument("--more", type=int, default=0, metavar="N",
                   help="study N more new facts today than the deck's new limit "
                        "(the saved limit is not changed)")
    p.add_argument("--max", type=int, default=None, metavar="N",
                   help="stop after N answers")
    p.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    p.set_defaults(func=run_study)
