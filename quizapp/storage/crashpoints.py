"""Named points where a crash test may kill the process (``QUIZAPP_TEST_KILL_AT``).

Crash tests must make a kill land inside a short critical window (between
two statements of a schema upgrade, between two renames of a restore)
without relying on timing. Each such place calls :func:`crash_point` with
its name; with ``QUIZAPP_TEST_KILL_AT=<name>:<n>`` in the environment the
process sends itself SIGKILL the ``n``-th time it reaches that point, the
same signal a crash test sends from outside. Without the variable (always,
outside the tests) a point costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "QUIZAPP_TEST_KILL_AT"
_seen: dict[str, int] = {}


def armed() -> bool:
    """Whether a kill point is set for this process."""
    return bool(os.environ.get(ENV))


def crash_point(name: str) -> None:
    """Kill this process with SIGKILL if ``QUIZAPP_TEST_KILL_AT`` names this visit of ``name``."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, nth = wanted.rpartition(":")
    if point != name:
        return
    _seen[name] = _seen.get(name, 0) + 1
    if str(_seen[name]) == nth:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
