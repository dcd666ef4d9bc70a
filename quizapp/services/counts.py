"""Card counts for the deck list, the study progress strip and the session summary.

Where the desktop app and the command line import them from; the statements
are :mod:`quizapp.storage.counts`'.
"""

from __future__ import annotations

from quizapp.storage.counts import (
    DeckCounts,
    StudyCounts,
    deck_counts,
    due_reviews,
    held_counts,
    study_counts,
)

__all__ = ["DeckCounts", "StudyCounts", "deck_counts", "due_reviews", "held_counts",
           "study_counts"]
