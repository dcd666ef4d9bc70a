"""Counting cards for the deck list, the study progress strip and the session summary.

Read-only queries over the card table and the review log; undone answers are not
counted (the review-log helpers of :mod:`quizapp.storage.reviews`).

The desktop app reads the deck list before SQLAlchemy is loaded: this module
imports no part of it at module level (the deck list runs on the driver,
:class:`~quizapp.storage.dialect.PlainSql`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from quizapp.storage.dialect import PlainSql

if TYPE_CHECKING:
    from quizapp.storage.engine import Database


@dataclass(frozen=True, slots=True)
class StudyCounts:
    """Where a profile stands with one deck today."""

    answered_today: int
    correct_today: int
    remaining: int  # new_left + learning_left + review_left
    due_tomorrow: int
    new_left: int = 0  # new facts still to introduce today, within the daily limit
    learning_left: int = 0  # learning and relearning cards due now (or within learn-ahead)
    review_left: int = 0  # reviews due today, within the daily limit
    new_waiting: int = 0  # new facts ready beyond today's new limit
    reviews_waiting: int = 0  # reviews due today beyond today's review limit
    new_introduced: int = 0  # new facts answered today (what the new limit has let in)
    new_limit: int = 0  # today's new limit, "study more today" included


@dataclass(frozen=True, slots=True)
class DeckCounts:
    """One deck as the deck list shows it, with a profile's card counts.

    ``new`` and ``learning`` count unsuspended cards in those states (learning
    includes relearning); ``due`` counts unsuspended Review cards due before
    the study day ends and not buried; ``total`` counts every card, suspended
    ones too. Cards of retired facts are not counted.
    """

    deck_id: int
    key: str
    name: str
    description: str
    new: int
    learning: int
    due: int
    total: int
    #: New facts the study screen introduces today: ``new`` less the buried ones,
    #: at most today's new limit less the new facts answered today, as Anki's deck
    #: list shows it (:attr:`StudyCounts.new_left` of the deck, the same figure).
    new_today: int = 0


_PROFILE_DAY = PlainSql("SELECT rollover_hour, timezone FROM profile WHERE id = :profile")


def profile_day(collection: Database, profile_id: int) -> tuple[int, str | None]:
    """A profile's rollover hour and time zone, read on the driver (NotFoundError: none)."""
    found = _PROFILE_DAY.rows(collection, {"profile": profile_id})
    if not found:
        from quizapp.storage.repository import NotFoundError

        raise NotFoundError(f"no profile {profile_id}")
    rollover_hour, timezone = found[0]
    return int(rollover_hour), timezone


# Every deck with its counts, in one statement. Each count of a deck is the
# length of one range of ix_card_profile_deck (profile, deck, state,
# suspension, due): the database counts index entries and reads no card. The
# few cards those ranges count wrongly are then taken off: cards of retired
# facts (found from the partial index of retired facts) and, from the due
# count, buried cards (from the partial index of buried cards). Their
# conditions are spelt as those partial indexes are (RETIRED_WHERE and
# BURIED_WHERE of quizapp.storage.models, not imported here: the GUI shows its
# window before SQLAlchemy is loaded).
_DECK_COUNTS = PlainSql("""
SELECT d.id, d.key, d.name, d.description, coalesce(x.buried_new, 0),
       (SELECT count(*) FROM card c
        WHERE c.profile_id = :profile AND c.deck_id = d.id AND c.state = 0
          AND c.suspended = :no) - coalesce(x.new, 0),
       (SELECT count(*) FROM card c
        WHERE c.profile_id = :profile AND c.deck_id = d.id AND c.state IN (1, 3)
          AND c.suspended = :no) - coalesce(x.learning, 0),
       (SELECT count(*) FROM card c
        WHERE c.profile_id = :profile AND c.deck_id = d.id AND c.state = 2
          AND c.suspended = :no AND c.due < :end_today) - coalesce(x.due, 0),
       (SELECT count(*) FROM card c
        WHERE c.profile_id = :profile AND c.deck_id = d.id) - coalesce(x.total, 0)
FROM deck d
LEFT JOIN (
    SELECT e.deck_id AS deck_id,
           count(*) FILTER (WHERE e.retired = 1) AS total,
           count(*) FILTER (WHERE e.retired = 1 AND e.state = 0 AND e.suspended = :no) AS new,
           count(*) FILTER (WHERE e.retired = 1 AND e.state IN (1, 3)
                                  AND e.suspended = :no) AS learning,
           count(*) FILTER (WHERE e.state = 2 AND e.suspended = :no AND e.due < :end_today
                                  AND (e.retired = 1 OR e.buried_until >= :today)) AS due,
           count(*) FILTER (WHERE e.retired = 0 AND e.state = 0
                                  AND e.suspended = :no) AS buried_new
    FROM (SELECT c.deck_id AS deck_id, c.state AS state, c.suspended AS suspended,
                 c.due AS due, c.buried_until AS buried_until, 1 AS retired
          FROM fact f CROSS JOIN card c
          WHERE f.retired = TRUE AND c.profile_id = :profile AND c.fact_id = f.id
          UNION ALL
          SELECT c.deck_id, c.state, c.suspended, c.due, c.buried_until, 0
          FROM card c
          WHERE c.profile_id = :profile AND c.buried_until IS NOT NULL
            AND c.buried_until >= :today
            AND NOT EXISTS (SELECT 1 FROM fact f
                            WHERE f.id = c.fact_id AND f.retired = TRUE)) e
    GROUP BY e.deck_id
) x ON x.deck_id = d.id
WHERE d.id NOT IN (SELECT r.deck_id FROM class_deck_retired r
                   JOIN profile p ON p.class_name = r.class_name WHERE p.id = :profile)
  AND d.key NOT LIKE :importing
ORDER BY d.name, d.id
""")


# Today's new limit of each deck (the profile's, or the deck's own for the
# profile) and the new facts answered in it today: the study-count rule of
# study_counts (effective study answers of today whose card was new before),
# spelt as text because the deck list runs before SQLAlchemy is loaded (the
# expressions of quizapp.storage.reviews: effective_sql, answer_kind,
# state_before_is). tests/test_study_counts.py checks that both agree.
_NEW_LIMITS = PlainSql("""
SELECT d.id, coalesce(pd.new_per_day, p.new_per_day),
       (SELECT count(DISTINCT c.fact_id) FROM review r
        JOIN card c ON c.id = r.card_id
        LEFT JOIN review o ON o.id = r.cancels_id
        WHERE r.profile_id = :profile AND c.deck_id = d.id AND r.study_day = :today
          AND r.kind IN ('study', 'test', 'overrule')
          AND NOT EXISTS (SELECT 1 FROM review x WHERE x.cancels_id = r.id)
          AND (CASE WHEN r.kind = 'overrule' THEN o.kind ELSE r.kind END) = 'study'
          AND r.before_state = 0)
FROM deck d
JOIN profile p ON p.id = :profile
LEFT JOIN profile_deck pd ON pd.profile_id = p.id AND pd.deck_id = d.id
""")


def deck_counts(collection: Database, profile_id: int, now: datetime,
                more_new: Mapping[tuple[int, int], int] | None = None) -> list[DeckCounts]:
    """Every deck by name, with the profile's new, learning, due-today and total cards,
    and the new facts it can still introduce today (``more_new``: (study day, deck id)
    → new facts allowed that day beyond the saved limit, "Study more today").

    Decks retired for the profile's class (a classroom's) are left out.

    The same counts as :func:`due_reviews`, the repository's per-state card
    counts and :func:`study_counts`' new facts left today, read in three short
    statements (the profile's day, the decks, their limits).
    """
    from quizapp.scheduling import day_start, study_day

    rollover_hour, timezone = profile_day(collection, profile_id)
    today = study_day(now, rollover_hour, timezone)
    end_today = day_start(today + 1, rollover_hour, timezone)
    from quizapp.storage.staged import PENDING_DECK_PREFIX  # a new deck still being imported

    rows = _DECK_COUNTS.rows(collection, {"profile": profile_id, "no": False,
                                          "end_today": end_today, "today": today,
                                          "importing": PENDING_DECK_PREFIX + "%"})
    limits = {int(d): (int(limit), int(done)) for d, limit, done in _NEW_LIMITS.rows(
        collection, {"profile": profile_id, "today": today})}
    more = more_new or {}
    out: list[DeckCounts] = []
    for i, key, name, description, buried_new, new, learning, due, total in rows:
        limit, done = limits.get(int(i), (0, 0))
        left = max(0, limit + more.get((today, int(i)), 0) - done)
        out.append(DeckCounts(int(i), key, name, description or "", int(new), int(learning),
                              int(due), int(total), min(int(new) - int(buried_new), left)))
    return out


def _day_bounds(
    collection: Database, profile_id: int, deck_id: int | None, now: datetime
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


def due_reviews(collection: Database, profile_id: int, now: datetime) -> dict[int, int]:
    """Review cards due by the end of today, per deck (for the deck list)."""
    from sqlalchemy import false, func, or_, select

    from quizapp.scheduling import CardStateKind
    from quizapp.storage.reviewlog import card_table as c
    from quizapp.storage.reviewlog import fact_table as f

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


def study_counts(
    collection: Database, profile_id: int, deck_id: int, now: datetime, *, more_new: int = 0
) -> StudyCounts:
    """Today's answered and correct counts, what remains within the limits, and what is due
    tomorrow, for one deck.

    ``more_new``: new facts allowed today beyond the saved limit ("Study more
    today", kept by the app, never saved).
    """
    from sqlalchemy import and_, case, false, func, literal_column, select, union

    from quizapp.scheduling import LEARN_AHEAD, CardStateKind
    from quizapp.storage.reviewlog import card_table as c
    from quizapp.storage.reviewlog import fact_table as f
    from quizapp.storage.reviewlog import review_table
    from quizapp.storage.reviews import KIND_STUDY, answer_kind, is_effective, state_before_is

    st, today, end_today, end_tomorrow = _day_bounds(collection, profile_id, deck_id, now)
    # Read from the index on (profile, deck, state, suspended, due) alone: each figure
    # counts the deck's unsuspended cards by state and due, then takes off the few
    # cards that are buried today or whose fact is retired (each found through its
    # own small partial index), so no card's fact row is looked up.
    deck_cards = (c.c.profile_id == profile_id, c.c.deck_id == deck_id,
                  c.c.suspended == false())
    learning = and_(c.c.state.in_((CardStateKind.LEARNING, CardStateKind.RELEARNING)),
                    c.c.due <= now + LEARN_AHEAD)
    review = and_(c.c.state == CardStateKind.REVIEW, c.c.due < end_today)
    new = c.c.state == CardStateKind.NEW
    tomorrow = and_(c.c.state != CardStateKind.NEW, c.c.due >= end_today,
                    c.c.due < end_tomorrow)

    def count(where: Any) -> Any:
        return select(func.count()).select_from(c).where(*deck_cards, where).scalar_subquery()

    # Spelled as ix_fact_retired's condition, so that SQLite reads that partial index.
    retired_facts = select(f.c.id).where(f.c.retired == literal_column("TRUE"))
    retired = c.c.fact_id.in_(retired_facts)
    out_of_study = union(
        select(c.c.id).where(c.c.profile_id == profile_id, c.c.buried_until >= today),
        select(c.c.id).where(c.c.profile_id == profile_id, retired),
    )

    def taken_off(where: Any) -> Any:
        return func.coalesce(func.sum(case((where, 1), else_=0)), 0)

    excluded = (
        select(taken_off(learning), taken_off(review), taken_off(new),
               taken_off(and_(retired, tomorrow)))
        .where(*deck_cards, c.c.id.in_(out_of_study))
    )

    r = review_table.alias("r")
    o = review_table.alias("o")
    answers = (
        select(
            r.c.correct,
            c.c.fact_id,
            state_before_is(r, CardStateKind.NEW),
            state_before_is(r, CardStateKind.REVIEW),
        )
        .select_from(r)
        .join(c, c.c.id == r.c.card_id)
        .outerjoin(o, o.c.id == r.c.cancels_id)
        .where(
            r.c.profile_id == profile_id,
            c.c.deck_id == deck_id,
            r.c.study_day == today,
            is_effective(r),
            answer_kind(r, o) == KIND_STUDY,
        )
    )
    with collection.session() as s:
        all_ = s.exec(  # type: ignore[call-overload]
            select(count(learning), count(review), count(new), count(tomorrow))
        ).one()
        off = s.exec(excluded).one()  # type: ignore[call-overload]
        learning_due, review_due, new_ready, due_tomorrow = (
            int(a) - int(b) for a, b in zip(all_, off, strict=True))
        rows = list(s.exec(answers))  # type: ignore[call-overload]
    answered = len(rows)
    correct = sum(1 for ok, *_ in rows if ok)
    new_facts = {fact for _, fact, was_new, _ in rows if was_new}
    reviews = sum(1 for *_, was_review in rows if was_review)
    review_left = min(int(review_due), max(0, st.reviews_per_day - reviews))
    new_left = min(int(new_ready), max(0, st.new_per_day + more_new - len(new_facts)))
    remaining = int(learning_due) + review_left + new_left
    return StudyCounts(answered, correct, remaining, int(due_tomorrow), new_left,
                       int(learning_due), review_left, int(new_ready) - new_left,
                       int(review_due) - review_left, len(new_facts),
                       st.new_per_day + more_new)


# A deck's held facts by why they are held (the partial index ix_fact_held).
_HELD = PlainSql("SELECT deck_id, hold, count(*) FROM fact WHERE hold IS NOT NULL "
                 "GROUP BY deck_id, hold")


def held_counts(collection: Database) -> dict[int, dict[str, int]]:
    """Deck id → {hold: how many of its facts are held so}, for decks with held facts
    (read on the driver, as the deck list is)."""
    out: dict[int, dict[str, int]] = {}
    for deck_id, hold, n in _HELD.rows(collection, {}):
        out.setdefault(int(deck_id), {})[str(hold)] = int(n)
    return out
