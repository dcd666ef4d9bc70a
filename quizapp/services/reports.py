"""Reports both faces show: a learner's progress figures.

The figures are computed in the database (:mod:`quizapp.storage.stats`); this
is the door the command line, the desktop app and progress files go through.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.services.collection import Collection


def profile_stats(collection: Collection, profile_id: int, now: datetime) -> dict[str, Any]:
    """Progress figures of one profile at ``now``, JSON-ready (see the storage module)."""
    from quizapp.storage.stats import profile_stats as figures

    return figures(collection, profile_id, now)
