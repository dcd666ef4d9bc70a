"""A review row's card states as columns (schema 10).

Each review row keeps the card's scheduling state before and after the answer
(:class:`~quizapp.scheduling.state.CardState`) as ten typed columns each,
``before_<field>`` and ``after_<field>`` (:data:`BEFORE_COLUMNS`,
:data:`AFTER_COLUMNS`): the state kind, learning step, stability, difficulty,
due time, last review, reps, lapses, suspended and last study day shown.
Times are whole microseconds since 1970-01-01 00:00 UTC (a ``BIGINT``: exact,
the same on SQLite and PostgreSQL); a row without a state (``NULL`` in the
JSON of schema 9 and earlier) has ``NULL`` in every column of it, and a state
always has its kind (``before_state`` / ``after_state`` not ``NULL``).

Before schema 10 the two states were JSON text (:meth:`CardState.to_json`);
profile files still carry them so (``state_before``, ``state_after``), and
:func:`state_from_json` reads that text back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from quizapp.scheduling.state import CardState

#: The fields of a state, in the order of its columns (and of :meth:`CardState.values`).
STATE_FIELDS: Final = ("state", "step", "stability", "difficulty", "due", "last_review",
                       "reps", "lapses", "suspended", "last_shown_day")
#: The columns of a state as it was when an answer was given, and as the answer left it.
BEFORE_COLUMNS: Final = tuple(f"before_{f}" for f in STATE_FIELDS)
AFTER_COLUMNS: Final = tuple(f"after_{f}" for f in STATE_FIELDS)
#: The fields stored as microseconds since the epoch.
TIME_FIELDS: Final = ("due", "last_review")

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)

#: Ten ``None`` values: the columns of a row without a state.
NO_STATE: Final[tuple[None, ...]] = (None,) * len(STATE_FIELDS)


def micros(value: datetime | None) -> int | None:
    """An aware time as whole microseconds since the epoch (exact)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given; quizapp stores aware UTC times only")
    return (value - _EPOCH) // _MICROSECOND


def from_micros(value: int | None) -> datetime | None:
    """The aware UTC time of :func:`micros`."""
    if value is None:
        return None
    return _EPOCH + timedelta(microseconds=int(value))


def state_values(state: CardState | None) -> tuple[Any, ...]:
    """The ten column values of ``state`` (:data:`STATE_FIELDS` order; all None for None)."""
    if state is None:
        return NO_STATE
    return (state.state, state.step, state.stability, state.difficulty, micros(state.due),
            micros(state.last_review), state.reps, state.lapses, state.suspended,
            state.last_shown_day)


def state_from_values(values: Sequence[Any]) -> CardState | None:
    """The state of ten column values as read back (None when the row has no state)."""
    (kind, step, stability, difficulty, due, last_review, reps, lapses, suspended,
     shown) = values
    if kind is None:
        return None
    return CardState(int(kind), step, stability, difficulty, from_micros(due),
                     from_micros(last_review), reps, lapses, bool(suspended), shown)


def state_columns(columns: Sequence[str], state: CardState | None) -> dict[str, Any]:
    """Column name → value of ``state`` for :data:`BEFORE_COLUMNS` or :data:`AFTER_COLUMNS`."""
    return dict(zip(columns, state_values(state), strict=True))


def review_state_columns(before: CardState | None, after: CardState | None) -> dict[str, Any]:
    """The columns of a review row's state before and after its answer, by name."""
    return {**state_columns(BEFORE_COLUMNS, before), **state_columns(AFTER_COLUMNS, after)}


def state_of_row(row: Mapping[str, Any] | Any, columns: Sequence[str]) -> CardState | None:
    """The state held in ``columns`` of a row (a mapping, or an object with those attributes)."""
    if isinstance(row, Mapping):
        return state_from_values([row[c] for c in columns])
    return state_from_values([getattr(row, c) for c in columns])


def state_from_json(text: str) -> CardState:
    """A state written as JSON by :meth:`CardState.to_json` (schema 9 and profile files).

    ValueError for text that is not such a state: not JSON, not an object,
    a field of the wrong type, or a time that is not ISO 8601.
    """
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise ValueError("not JSON") from exc
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    for name in ("state", "reps", "lapses"):
        if name in data and (type(data[name]) is not int):
            raise ValueError(f"{name} is not a whole number")
    for name in ("step", "last_shown_day"):
        if data.get(name) is not None and type(data[name]) is not int:
            raise ValueError(f"{name} is not a whole number")
    for name in ("stability", "difficulty"):
        if data.get(name) is not None and type(data[name]) not in (int, float):
            raise ValueError(f"{name} is not a number")
    if "suspended" in data and type(data["suspended"]) is not bool:
        raise ValueError("suspended is not true or false")
    for name in TIME_FIELDS:
        if data.get(name) is not None and not isinstance(data[name], str):
            raise ValueError(f"{name} is not an ISO 8601 time")
    try:
        return CardState.from_json(text)
    except (TypeError, ValueError) as exc:
        raise ValueError(str(exc) or "not a card state") from exc
