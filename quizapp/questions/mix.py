"""The kinds of question and their mix.

A question's *kind* is what it teaches: who said what (who said it, which quote,
typed speaker, speaker → position, and true or false about a quote), a person
and their role, a date, a number; Q/A notes are a kind of their own. The kind
follows the fact a question is built from, whatever its form.

:func:`kind_shares` measures a list of questions (``quizapp questions`` gives one
per card, so there each kind's share is its share of the deck's cards), and
:func:`prefer_kinds` is how a study sitting keeps the mix: among cards that are
all due, the one of a kind asked less than its share so far comes first. It
only reorders; it never holds a due card back, so a deck of quotes still gets
its quotes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from typing import TypeVar

from quizapp.facts.model import FactKind

#: No kind should be more than this share of a mix (when the deck has three kinds).
MAX_SHARE = 0.4
#: :func:`prefer_kinds` judges shares as if at least this many questions were asked.
MIN_MIX = 5


class Kind(StrEnum):
    """What a question teaches."""

    WHO_SAID_WHAT = "who said what"
    PERSON = "person and role"
    DATE = "date"
    NUMBER = "number"
    NOTE = "note"


KIND_OF_FACT: dict[FactKind, Kind] = {
    FactKind.QUOTE: Kind.WHO_SAID_WHAT,
    FactKind.PERSON: Kind.PERSON,
    FactKind.DATE: Kind.DATE,
    FactKind.NUMBER: Kind.NUMBER,
    FactKind.QA: Kind.NOTE,
}


def kind_of(fact_kind: FactKind | str) -> Kind:
    """The kind of every question built from a fact of ``fact_kind``."""
    return KIND_OF_FACT[FactKind(fact_kind)]


def kind_shares(kinds: Iterable[Kind]) -> dict[Kind, float]:
    """Each kind's share of ``kinds`` (a kind per question), largest first."""
    counts = Counter(kinds)
    total = sum(counts.values())
    if not total:
        return {}
    return {k: n / total for k, n in counts.most_common()}


_T = TypeVar("_T")


def prefer_kinds(
    due: Sequence[_T],
    kind: Callable[[_T], Kind],
    asked: Sequence[Kind],
    limit: float = MAX_SHARE,
) -> list[_T]:
    """``due`` (cards that are all due, in serving order) with the mix preferred.

    A card whose kind would stay within ``limit`` of the questions ``asked`` so
    far (and itself) keeps its place; one whose kind would go over it moves
    behind those that would not, in its own order. Every card of ``due`` is
    returned: when all of them are of one kind, the order is unchanged.
    """
    counts = Counter(asked)
    # Early in a sitting one question is no mix yet: count as if five had been asked.
    total = max(len(asked) + 1, MIN_MIX)
    within: list[_T] = []
    over: list[_T] = []
    for card in due:
        share = (counts[kind(card)] + 1) / total
        (within if share <= limit else over).append(card)
    return within + over
