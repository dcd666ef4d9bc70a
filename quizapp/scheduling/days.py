"""Study days: the learner's local calendar day, rolling over at a set hour.

A review stores the study day it belongs to so that per-day figures group by a
stored integer instead of doing date maths in SQL. The study day of an instant
is the number of days since 1970-01-01 of the learner's local wall-clock time
minus the rollover hours: with the default rollover at 4 AM, an answer given at
01:30 on a Tuesday still counts for Monday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EPOCH = date(1970, 1, 1)
DEFAULT_ROLLOVER_HOUR = 4


def zone(name: str | None) -> tzinfo | None:
    """The time zone called ``name`` (IANA), or None for the computer's local zone.

    Raises:
        ValueError: the name is not a known time zone.
    """
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


def local_time(now: datetime, timezone: str | None = None) -> datetime:
    """``now`` (aware) as wall-clock time in ``timezone`` (None: the computer's zone)."""
    _require_aware(now)
    tz = zone(timezone)
    return now.astimezone(tz) if tz is not None else now.astimezone()


def study_day(now: datetime, rollover_hour: int = DEFAULT_ROLLOVER_HOUR,
              timezone: str | None = None) -> int:
    """Days since 1970-01-01 of (local time of ``now`` − ``rollover_hour`` hours)."""
    shifted = local_time(now, timezone) - timedelta(hours=rollover_hour)
    return (shifted.date() - EPOCH).days


def day_date(day: int) -> date:
    """The calendar date a study day is named after."""
    return EPOCH + timedelta(days=day)


def day_start(day: int, rollover_hour: int = DEFAULT_ROLLOVER_HOUR,
              timezone: str | None = None) -> datetime:
    """The aware UTC instant at which study day ``day`` begins."""
    wall = datetime.combine(day_date(day), time(hour=rollover_hour))
    tz = zone(timezone)
    local = wall.replace(tzinfo=tz) if tz is not None else wall.astimezone()
    return local.astimezone(UTC)


def _require_aware(value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime given; pass an aware UTC time")
