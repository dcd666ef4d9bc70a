"""A study sitting for the command line: the study screen's session, its counts and "study more".

``quizapp study`` asks what the study screen asks, in the same order and
with the same daily limits, grading and durability (every answer is
committed before its feedback is printed). :func:`open_sitting` starts one;
:func:`sitting_counts` gives the figures the end of a sitting prints, among
them the new facts the daily limit holds back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quizapp.services.collection import Collection
from quizapp.storage import repository as repo
from quizapp.storage.counts import StudyCounts, study_counts
from quizapp.study import StudySession

#: The new facts one "study more today" lets in when the deck's new limit is 0.
MORE_NEW_DEFAULT = 10

__all__ = ["MORE_NEW_DEFAULT", "Sitting", "StudyCounts", "StudySession", "open_sitting",
           "sitting_counts", "study_more"]


@dataclass(frozen=True, slots=True)
class Sitting:
    """An open sitting on one deck."""

    session: StudySession
    deck_id: int
    deck_name: str
    more_step: int  # how many new facts "study more today" adds: the deck's new limit, or 10


def open_sitting(collection: Collection, deck: str, profile: str | None, now: datetime, *,
                 more: int = 0, seed: int = 0) -> Sitting:
    """A sitting on a stored deck (NotFoundError: no such deck or profile).

    ``more``: new facts this sitting may introduce beyond what the deck's saved
    new limit lets in today (the limit itself is not changed), as "Study more
    today" (:func:`study_more`).
    """
    with collection.session() as s:
        row = repo.find_deck(s, deck)
        if row is None or row.id is None:
            raise repo.NotFoundError(f"no deck named {deck!r}")
        deck_id, name = row.id, row.name
    profile_row = collection.profile(profile)
    session = StudySession(collection, profile_row.id, deck_id=deck_id, seed=seed)
    step = session.settings_for(deck_id).new_per_day or MORE_NEW_DEFAULT
    sitting = Sitting(session, deck_id, name, step)
    if more > 0:
        study_more(collection, sitting, more, now)
    return sitting


def study_more(collection: Collection, sitting: Sitting, count: int, now: datetime) -> None:
    """Let ``count`` more new facts in today than the new limit has let in so far.

    Nothing is saved: the extra lasts as long as the sitting. A new limit
    already used up (earlier sittings of the day, with more of their own)
    counts as used: ``count`` new facts can be introduced from now on.
    """
    if count <= 0:
        return
    counts = sitting_counts(collection, sitting, now)
    behind = max(0, counts.new_introduced - counts.new_limit)  # let in beyond the limit
    sitting.session.study_more_today(sitting.deck_id, count + behind,
                                     sitting.session.study_day(now))


def sitting_counts(collection: Collection, sitting: Sitting, now: datetime) -> StudyCounts:
    """Where the sitting's deck stands today (the extra new facts of ``--more`` counted)."""
    session = sitting.session
    more = session.more_today(sitting.deck_id, session.study_day(now))
    return study_counts(collection, session.profile_id, sitting.deck_id, now, more_new=more)
