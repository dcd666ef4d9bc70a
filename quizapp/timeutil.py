"""The one clock of the app: the current time as an aware UTC datetime."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)
