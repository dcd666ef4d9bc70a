"""Marking typed answers given outside the app (``quizapp grade``).

Each input line is a JSON object ``{"fact_id", "form": "typed" | "cloze",
"answer"}``; each result says ``right``, ``partial`` or ``wrong`` with the
message a learner would read, or ``error`` (a line that is not such an
object, an unknown fact or form) without stopping the others.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from quizapp.facts.model import Deck
from quizapp.questions.generate import QuestionBuilder
from quizapp.questions.grading import grade
from quizapp.questions.marking import MarkingError, answer_key
from quizapp.questions.model import Question

MAX_LINE_BYTES = 100_000  # one answer; a longer line is refused without being held whole
# What :func:`read_lines` yields for a line it could not read (no JSON text has a NUL).
TOO_LONG = "\x00too long"
NOT_UTF8 = "\x00not utf-8"


def read_lines(stream: BinaryIO) -> Iterator[str]:
    """The lines of ``stream``, at most :data:`MAX_LINE_BYTES` of memory each."""
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (more := stream.readline(MAX_LINE_BYTES)) and not more.endswith(b"\n"):
                pass
            yield TOO_LONG
            continue
        try:
            yield raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            yield NOT_UTF8


@dataclass(frozen=True, slots=True)
class Mark:
    """The verdict on one typed answer."""

    fact_id: Any
    form: Any
    verdict: str  # right | partial | wrong | error
    message: str

    def to_json(self) -> dict[str, Any]:
        """The output line's object."""
        return {
            "fact_id": self.fact_id,
            "form": self.form,
            "verdict": self.verdict,
            "message": self.message,
        }


class Marker:
    """Marks answers to one deck's facts; keys are built once per fact and form."""

    def __init__(self, deck: Deck) -> None:
        """Index ``deck`` for marking."""
        self.deck = deck
        self.builder = QuestionBuilder(deck)
        self.names = self.builder.known_names()
        self._keys: dict[tuple[str, str], Question | MarkingError] = {}

    def mark(self, fact_id: str, form: str, answer: str) -> Mark:
        """The verdict on ``answer`` to ``fact_id`` in ``form``."""
        key = (fact_id, form)
        if key not in self._keys:
            try:
                self._keys[key] = answer_key(self.builder, fact_id, form)
            except MarkingError as exc:
                self._keys[key] = exc
        question = self._keys[key]
        if isinstance(question, MarkingError):
            return Mark(fact_id, form, "error", str(question))
        result = grade(question, answer, self.deck.options, known_names=self.names)
        return Mark(fact_id, form, result.verdict.value, result.message)

    def mark_line(self, line: str, number: int) -> Mark:
        """The verdict on one input line (1-based ``number`` for messages)."""
        if line == TOO_LONG:
            return Mark(None, None, "error", f"line {number}: longer than {MAX_LINE_BYTES} "
                        "bytes")  # fmt: skip
        if line == NOT_UTF8:
            return Mark(None, None, "error", f"line {number}: not UTF-8 text")
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            return Mark(None, None, "error", f"line {number}: not valid JSON ({exc.msg})")
        except ValueError:  # a number too long to convert
            return Mark(None, None, "error", f"line {number}: not valid JSON")
        if not isinstance(data, dict):
            return Mark(None, None, "error", f"line {number}: expected a JSON object")
        fact_id, form, answer = data.get("fact_id"), data.get("form"), data.get("answer")
        if isinstance(answer, int | float) and not isinstance(answer, bool):
            answer = str(answer)  # a figure typed into a spreadsheet: 43
        for name, value in (("fact_id", fact_id), ("form", form), ("answer", answer)):
            if not isinstance(value, str):
                got = "nothing" if value is None else json.dumps(value)[:40]
                return Mark(fact_id, form, "error", f"line {number}: {name}: expected a "
                            f"string, got {got}")  # fmt: skip
        assert isinstance(fact_id, str) and isinstance(form, str) and isinstance(answer, str)
        return self.mark(fact_id, form, answer)


def mark_lines(deck: Deck, lines: Iterable[str]) -> Iterator[Mark]:
    """One :class:`Mark` per non-blank input line, in order."""
    marker = Marker(deck)
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield marker.mark_line(line, number)
