"""What the exporters share: the error type, safe writing, and question cards."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from quizapp import files
from quizapp.facts.model import Deck, FactKind

#: The seed that picks the form and distractors of the exported questions,
#: so that exporting the same deck twice gives the same file.
EXPORT_SEED = 1
TIMELINE_SEPARATOR = " | "


class ExportError(Exception):
    """A deck that cannot be written to the chosen file; the message says why."""


def _no_folder(path: Path) -> ExportError:
    return ExportError(f"{path}: the folder {path.parent} does not exist")


@contextlib.contextmanager
def atomic_text(path: Path, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Write text to ``path`` through a temporary file beside it, replaced at the end.

    A failed export leaves the old file (if any) and no half-written one.
    Line ends are written as given (``newline=""``).
    """
    with files.atomic_text(path, encoding=encoding, missing_folder=_no_folder) as fh:
        yield fh


def write_atomic(path: Path, writer: Callable[[Path], None]) -> None:
    """Let ``writer`` fill a temporary path beside ``path``, then move it into place."""
    with files.atomic_path(path, missing_folder=_no_folder) as tmp:
        writer(tmp)


def stable_int(*parts: str, low: int = 1 << 30, high: int = 1 << 31) -> int:
    """A number in ``[low, high)`` that depends only on ``parts``."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return low + int.from_bytes(digest[:8], "big") % (high - low)


@dataclass(frozen=True, slots=True)
class Card:
    """One exported card: its canonical question, answer and evidence, as plain text."""

    id: str  # <fact id>.<family>, or the fact id for a Q/A note
    fact_id: str
    question: str
    answer: str
    evidence: str
    tags: tuple[str, ...]
    choices: tuple[str, ...] = ()
    prompt: str = ""


def is_qa_deck(deck: Deck) -> bool:
    """Whether every fact is a plain Q/A note (exported as notes, not questions)."""
    return all(f.kind is FactKind.QA for f in deck.facts)


def letter(i: int) -> str:
    """A, B, C… for choice ``i``."""
    return chr(ord("A") + i) if i < 26 else str(i + 1)


def question_cards(deck: Deck, seed: int = EXPORT_SEED) -> list[Card]:
    """One card per question the builder makes for the deck (each fact x family
    that has a form), built with ``seed``.

    Every text is whole: a quotation in a prompt is never cut (the study
    screen shortens long ones, an export does not). Choice forms list their
    choices under the prompt ("A. …"); a timeline lists its events, and its
    answer gives them in order, one per line. A Q/A note whose two cards ask
    the same thing gives one card. A fact with no question form at all (a
    quotation too short to attribute) has no card; the deck file keeps it.
    """
    from quizapp.questions.generate import ALL_FORMS, QuestionBuilder, questions_for_deck

    facts = {f.id: f for f in deck.facts}
    cards: list[Card] = []
    seen: set[tuple[str, str, str]] = set()
    builder = QuestionBuilder(deck, forms=ALL_FORMS, whole_quotes=True)
    for q in questions_for_deck(deck, seed, builder=builder):
        question = q.prompt
        choices: tuple[str, ...] = ()
        if q.choices:
            choices = tuple(q.choices)
            question += "\n\n" + "\n".join(f"{letter(i)}. {c}" for i, c in enumerate(choices))
        elif q.items:
            question += "\n\n" + "\n".join(f"- {item}" for item in q.items)
        if q.items and TIMELINE_SEPARATOR in q.answers[0]:
            answer = "\n".join(
                f"{i}. {event}"
                for i, event in enumerate(q.answers[0].split(TIMELINE_SEPARATOR), start=1)
            )
        else:
            answer = q.back or q.answers[0]
        key = (q.fact_id, question, answer)
        if key in seen:
            continue
        seen.add(key)
        fact = facts[q.fact_id]
        cards.append(
            Card(
                id=f"{q.fact_id}.{q.family.value}",
                fact_id=q.fact_id,
                question=question,
                answer=answer,
                evidence=q.evidence.sentence or "",
                tags=fact.tags,
                choices=choices,
                prompt=q.prompt,
            )
        )
    return cards
