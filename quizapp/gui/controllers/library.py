"""The collection as the GUI sees it: plain values in, plain values out.

Every call is one short unit of work on the core (:class:`Collection` and the
repository); no ORM row leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.gui.models.deck_list_model import DeckSummary

if TYPE_CHECKING:
    from quizapp.collection import Collection


@dataclass(frozen=True, slots=True)
class ProfileInfo:
    """A learner as the profile switcher shows it."""

    profile_id: int
    name: str


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """An article that a deck comes from (for the About box)."""

    deck_name: str
    title: str
    licence: str | None
    published: str | None
    url: str | None
    author: str | None


@dataclass(frozen=True, slots=True)
class StudyCounts:
    """Where a profile stands with one deck today."""

    answered_today: int
    correct_today: int
    remaining: int
    due_tomorrow: int


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What importing a deck file did."""

    deck_id: int
    deck_name: str
    added: int
    updated: int
    retired: int


class Library:
    """Profiles and decks of one open collection."""

    def __init__(self, collection: Collection) -> None:
        self.collection = collection

    @classmethod
    def open(cls, url: str | None = None) -> Library:
        """Open (and on first start, fill) the collection at ``url``."""
        from quizapp.collection import Collection

        return cls(Collection.open(url))

    def close(self) -> None:
        """Release the database."""
        self.collection.close()

    # profiles ---------------------------------------------------------------

    def profiles(self) -> list[ProfileInfo]:
        """Every profile, oldest first."""
        from quizapp.storage import repository as repo

        with self.collection.session() as s:
            return [ProfileInfo(p.id or 0, p.name) for p in repo.list_profiles(s)]

    def create_profile(self, name: str) -> ProfileInfo:
        """A new profile with cards for every deck (ValueError for a bad or taken name)."""
        from quizapp.storage import repository as repo

        with self.collection.transaction() as s:
            row = repo.create_profile(s, name)
            return ProfileInfo(row.id or 0, row.name)

    def rename_profile(self, profile_id: int, name: str) -> None:
        """Rename a profile (ValueError for a bad or taken name)."""
        from quizapp.storage import repository as repo

        with self.collection.transaction() as s:
            repo.rename_profile(s, profile_id, name)

    def delete_profile(self, profile_id: int) -> None:
        """Delete a profile and all its progress."""
        from quizapp.storage import repository as repo

        with self.collection.transaction() as s:
            repo.delete_profile(s, profile_id)

    # decks ------------------------------------------------------------------

    def deck_summaries(self, profile_id: int, now: datetime | None = None) -> list[DeckSummary]:
        """Every deck with the profile's new and learning cards and its reviews due today."""
        from quizapp.storage import repository as repo

        with self.collection.session() as s:
            decks = repo.list_decks(s)
            counts = repo.card_counts(s, profile_id)
        due = _due_reviews(self.collection, profile_id, now or _utc_now())
        out = []
        for d in decks:
            c = counts.get(d.id or 0, {})
            out.append(
                DeckSummary(
                    deck_id=d.id or 0,
                    key=d.key,
                    name=d.name,
                    description=d.description,
                    new=c.get("new", 0),
                    learning=c.get("learning", 0),
                    due=due.get(d.id or 0, 0),
                    total=c.get("total", 0),
                )
            )
        return out

    def import_deck_file(self, path: str | Path) -> ImportSummary:
        """Validate and store a deck file (DeckFileError: nothing was written)."""
        from quizapp.facts.deckfile import load_deck_file

        deck = load_deck_file(path)
        result = self.collection.import_deck(deck)
        return ImportSummary(
            result.deck_id, deck.name, result.added, result.updated, result.retired
        )

    def sources(self, deck_key: str = "seed") -> list[SourceInfo]:
        """The articles of a deck (empty when the deck is gone)."""
        from quizapp.storage.repository import NotFoundError

        try:
            deck = self.collection.load_deck(deck_key)
        except NotFoundError:
            return []
        return [
            SourceInfo(deck.name, s.title, s.licence, s.published, s.url, s.author)
            for s in deck.sources
        ]

    def study_counts(
        self, profile_id: int, deck_id: int, now: datetime | None = None
    ) -> StudyCounts:
        """Answered today, what is left for today, and what is due tomorrow, for one deck."""
        return _study_counts(self.collection, profile_id, deck_id, now or _utc_now())


def _utc_now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)


# --------------------------------------------------------------------------
# Counting due cards.
#
# TODO(core): these two read-only queries belong in quizapp.storage.repository or
# quizapp.study (e.g. ``repository.due_counts`` and ``StudySession.remaining``); they
# live here until the core offers them. They only read, and use the review-log
# helpers of quizapp.scheduling.reviewlog so undone answers are not counted.


def _day_bounds(collection: Collection, profile_id: int, deck_id: int | None, now: datetime
                ) -> tuple[Any, int, datetime, datetime]:
    from quizapp.scheduling import day_start, settings_from, study_day
    from quizapp.storage.models import ProfileDeckRow, ProfileRow

    with collection.session() as s:
        profile = s.get(ProfileRow, profile_id)
        if profile is None:
            from quizapp.storage.repository import NotFoundError

            raise NotFoundError(f"no profile {profile_id}")
        override = s.get(ProfileDeckRow, (profile_id, deck_id)) if deck_id else None
        st = settings_from(profile, override)
    today = study_day(now, st.rollover_hour, st.timezone)
    return (
        st,
        today,
        day_start(today + 1, st.rollover_hour, st.timezone),
        day_start(today + 2, st.rollover_hour, st.timezone),
    )


def _due_reviews(collection: Collection, profile_id: int, now: datetime) -> dict[int, int]:
    from sqlalchemy import false, func, or_, select

    from quizapp.scheduling import CardStateKind
    from quizapp.scheduling.reviewlog import card_table as c
    from quizapp.scheduling.reviewlog import fact_table as f

    _st, today, end_today, _ = _day_bounds(collection, profile_id, None, now)
    stmt = (
        select(c.c.deck_id, func.count())
        .select_from(c)
        .join(f, f.c.id == c.c.fact_id)
        .where(
            c.c.profile_id == profile_id,
            c.c.suspended == false(),
            f.c.retired == false(),
            c.c.state == CardStateKind.REVIEW,
            c.c.due < end_today,
            or_(c.c.buried_until.is_(None), c.c.buried_until < today),
        )
        .group_by(c.c.deck_id)
    )
    with collection.session() as s:
        return {int(d): int(n) for d, n in s.exec(stmt)}  # type: ignore[call-overload]


def _study_counts(
    collection: Collection, profile_id: int, deck_id: int, now: datetime
) -> StudyCounts:
    from sqlalchemy import false, func, or_, select

    from quizapp.scheduling import LEARN_AHEAD, CardStateKind
    from quizapp.scheduling.reviewlog import (
        KIND_STUDY,
        answer_kind,
        is_effective,
        review_table,
        state_before_is,
    )
    from quizapp.scheduling.reviewlog import card_table as c
    from quizapp.scheduling.reviewlog import fact_table as f

    st, today, end_today, end_tomorrow = _day_bounds(collection, profile_id, deck_id, now)
    live = (
        c.c.profile_id == profile_id,
        c.c.deck_id == deck_id,
        c.c.suspended == false(),
        f.c.retired == false(),
    )
    not_buried = or_(c.c.buried_until.is_(None), c.c.buried_until < today)
    learning = c.c.state.in_((CardStateKind.LEARNING, CardStateKind.RELEARNING))

    def count(*where: Any) -> Any:
        return (
            select(func.count()).select_from(c).join(f, f.c.id == c.c.fact_id)
            .where(*live, *where).scalar_subquery()
        )

    r = review_table.alias("r")
    o = review_table.alias("o")
    answers = (
        select(r.c.correct, c.c.fact_id, state_before_is(r, CardStateKind.NEW),
               state_before_is(r, CardStateKind.REVIEW))
        .select_from(r)
        .join(c, c.c.id == r.c.card_id)
        .outerjoin(o, o.c.id == r.c.cancels_id)
        .where(r.c.profile_id == profile_id, c.c.deck_id == deck_id, r.c.study_day == today,
               is_effective(r), answer_kind(r, o) == KIND_STUDY)
    )
    with collection.session() as s:
        learning_due, review_due, new_ready, due_tomorrow = s.exec(  # type: ignore[call-overload]
            select(
                count(not_buried, learning, c.c.due <= now + LEARN_AHEAD),
                count(not_buried, c.c.state == CardStateKind.REVIEW, c.c.due < end_today),
                count(not_buried, c.c.state == CardStateKind.NEW,
                      c.c.family == "recognise"),
                count(c.c.state != CardStateKind.NEW, c.c.due >= end_today,
                      c.c.due < end_tomorrow),
            )
        ).one()
        rows = list(s.exec(answers))  # type: ignore[call-overload]
    answered = len(rows)
    correct = sum(1 for ok, *_ in rows if ok)
    new_facts = {fact for _, fact, was_new, _ in rows if was_new}
    reviews = sum(1 for *_, was_review in rows if was_review)
    remaining = (
        int(learning_due)
        + min(int(review_due), max(0, st.reviews_per_day - reviews))
        + min(int(new_ready), max(0, st.new_per_day - len(new_facts)))
    )
    return StudyCounts(answered, correct, remaining, int(due_tomorrow))
