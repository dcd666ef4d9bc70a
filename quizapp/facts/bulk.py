"""Helpers for code that makes or reads many facts at once (imports, opening a deck)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while many acyclic objects are made.

    Reading tens of thousands of rows makes the collector run again and again
    over new lists, tuples and facts that cannot form reference cycles (and are
    freed by reference counting anyway); in a process that already holds many
    objects each full collection also walks all of those. The collector is
    switched back on at the end unless it was off before. Nesting, and other
    threads doing the same, are harmless: at worst the collector is back on a
    little early.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
