"""A card's scheduling state as a plain value, with its JSON form.

The JSON is how a profile file carries a review's states, and how the review
log kept them until schema 10 (since, they are columns:
:mod:`quizapp.storage.reviewstate`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any


class CardStateKind(IntEnum):
    """The ``card.state`` column: 0 for a new card, else fsrs' State."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True, slots=True)
class CardState:
    """Everything an answer changes on a card, and undo restores exactly."""

    state: int = 0
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    last_shown_day: int | None = None

    @property
    def is_new(self) -> bool:
        """Whether the card has never been answered (state 0)."""
        return self.state == CardStateKind.NEW

    def to_json(self) -> str:
        """Compact JSON, ``state`` first (fields in declaration order), times as ISO 8601 UTC.

        Written field by field (a profile file holds two per answer): the very
        text ``json`` writes for the same values with separators ``,`` and
        ``:`` (``tests/test_scheduling.py`` compares the two).
        """
        due, last = self.due, self.last_review
        return (f'{{"state":{_value(self.state)},"step":{_value(self.step)},'
                f'"stability":{_value(self.stability)},'
                f'"difficulty":{_value(self.difficulty)},'
                f'"due":{"null" if due is None else _time(due)},'
                f'"last_review":{"null" if last is None else _time(last)},'
                f'"reps":{_value(self.reps)},"lapses":{_value(self.lapses)},'
                f'"suspended":{_value(self.suspended)},'
                f'"last_shown_day":{_value(self.last_shown_day)}}}')

    def values(self) -> dict[str, Any]:
        """The fields by name, in declaration order (the card row's column values)."""
        return {"state": self.state, "step": self.step, "stability": self.stability,
                "difficulty": self.difficulty, "due": self.due, "last_review": self.last_review,
                "reps": self.reps, "lapses": self.lapses, "suspended": self.suspended,
                "last_shown_day": self.last_shown_day}

    @classmethod
    def from_json(cls, text: str) -> CardState:
        """Read the JSON written by :meth:`to_json`."""
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("due", "last_review"):
            if values.get(key) is not None:
                values[key] = _utc(datetime.fromisoformat(values[key]))
        return cls(**values)

    @classmethod
    def of(cls, obj: object) -> CardState:
        """The state read off any object with the same attribute names (a card row)."""
        values = {f.name: getattr(obj, f.name) for f in fields(cls)}
        for key in ("due", "last_review"):
            if values[key] is not None:
                values[key] = _utc(values[key])
        values["suspended"] = bool(values["suspended"])
        return cls(**values)

    def apply_to(self, obj: object) -> None:
        """Write this state onto an object with the same attribute names (a card row)."""
        for name, value in self.values().items():
            setattr(obj, name, value)

    def shown_on(self, day: int) -> CardState:
        """A copy whose last answer was on study day ``day``."""
        return CardState(self.state, self.step, self.stability, self.difficulty, self.due,
                         self.last_review, self.reps, self.lapses, self.suspended, day)

    def with_changes(self, **changes: Any) -> CardState:
        """A copy with some fields changed."""
        return replace(self, **changes)


_ENCODER = json.JSONEncoder(separators=(",", ":"))
_INFINITY = float("inf")


def _value(value: object) -> str:
    """One JSON value as ``_ENCODER`` writes it, without its generic walk for the usual types."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    kind = type(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float and -_INFINITY < value < _INFINITY:  # type: ignore[operator]
        return float.__repr__(value)
    return _ENCODER.encode(value)  # NaN, infinities, int and float subclasses


def _time(value: datetime) -> str:
    """A time as ISO 8601 UTC in JSON quotes (its text needs no escaping)."""
    return f'"{value.astimezone(UTC).isoformat()}"'


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
