"""Progress figures for one profile, computed in SQL over indexed columns.

Every figure is a ``GROUP BY`` (or a ``LIMIT``-ed ordered scan) in the
database; no function here loads the review log into Python. The log is read
as described in :mod:`quizapp.scheduling.reviewlog`: only *effective answers*
count (cancelled rows, undo rows and overruled answers are skipped; an
overrule counts as the answer it replaces).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, case, func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.expression import FromClause
from sqlmodel import Session

from quizapp.scheduling import (
    LEECH_LAPSES,
    MASTERED_STABILITY_DAYS,
    CardStateKind,
    day_date,
    day_start,
    study_day,
)
from quizapp.scheduling.reviewlog import (
    KIND_STUDY,
    KIND_TEST,
    answer_kind,
    card_table,
    fact_table,
    is_effective,
    review_table,
    run,
    state_before_is,
)
from quizapp.storage.models import DeckRow, ProfileRow

HISTORY_DAYS = 365
RETENTION_DAYS = 30
FORECAST_DAYS = 30
TOP = 10

deck_table = DeckRow.__table__  # type: ignore[attr-defined]


class _HasEngine(Protocol):
    engine: Engine


@contextmanager
def _session(target: Session | _HasEngine) -> Iterator[Session]:
    if isinstance(target, Session):
        yield target
    else:
        with Session(target.engine) as session:
            yield session


def profile_stats(collection_or_session: Session | _HasEngine, profile_id: int,
                  now: datetime) -> dict[str, Any]:
    """Progress figures of one profile at ``now``, JSON-ready.

    Keys:

    - ``profile``: ``{"id", "name"}``.
    - ``now`` (ISO UTC), ``study_day`` (days since 1970-01-01, after rollover),
      ``date`` (that day, ISO).
    - ``reviews_per_day``: the last 365 study days with activity, oldest first:
      ``{"study_day", "date", "reviews", "correct", "tests"}`` where
      ``reviews``/``correct`` count study answers and ``tests`` practice-test
      answers, grouped by the study day stored on each review.
    - ``streak``: ``{"days", "studied_today"}``: consecutive study days with at
      least one study answer, ending today (or yesterday, if today has none yet).
    - ``retention``: ``{"days": 30, "reviews", "correct", "rate"}``: true
      retention, i.e. right answers among study answers to cards that were in
      Review state, over the last 30 study days; ``rate`` is None without reviews.
    - ``cards``: ``{"new", "learning", "review", "relearning", "suspended",
      "buried", "total"}`` over cards of facts that are not retired (suspended
      and buried cards are counted only there).
    - ``due_forecast``: 30 entries ``{"study_day", "date", "due"}``: cards (not
      suspended) falling due on each study day from today; today includes
      overdue cards.
    - ``mastery``: ``{"threshold_days": 21, "total": {"facts", "mastered"},
      "decks": [{"deck_id", "deck", "facts", "mastered"}], "kinds": [{"kind",
      "facts", "mastered"}]}``. A fact is mastered when its recall card has
      stability ≥ 21 days and the fact's last answer was right.
    - ``most_missed``: up to 10 ``{"fact_id", "deck", "kind", "text", "misses",
      "answers"}``, most misses first (study and test answers).
    - ``wrong_choices``: up to 10 ``{"fact_id", "deck", "form", "given",
      "times"}``: wrong choices picked most often.
    - ``leeches``: ``{"card_id", "fact_id", "deck", "family", "lapses",
      "suspended"}`` for cards with 8 or more lapses, most lapses first.
    """
    with _session(collection_or_session) as s:
        profile = s.get(ProfileRow, profile_id)
        if profile is None:
            raise LookupError(f"no profile {profile_id}")
        rollover, tz = profile.rollover_hour, profile.timezone
        today = study_day(now, rollover, tz)
        per_day = _reviews_per_day(s, profile_id, today)
        return {
            "profile": {"id": profile_id, "name": profile.name},
            "now": now.isoformat(),
            "study_day": today,
            "date": day_date(today).isoformat(),
            "reviews_per_day": per_day,
            "streak": _streak(s, profile_id, today, per_day),
            "retention": _retention(s, profile_id, today),
            "cards": _cards(s, profile_id, today),
            "due_forecast": _forecast(s, profile_id, today, rollover, tz),
            "mastery": _mastery(s, profile_id),
            "most_missed": _most_missed(s, profile_id),
            "wrong_choices": _wrong_choices(s, profile_id),
            "leeches": _leeches(s, profile_id),
        }


def _answers() -> tuple[FromClause, FromClause, FromClause]:
    """The review log joined to the rows that overrules replace (for the answer kind)."""
    r = review_table.alias("r")
    o = review_table.alias("o")
    return r, o, r.outerjoin(o, o.c.id == r.c.cancels_id)


def _sum_if(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _reviews_per_day(s: Session, profile_id: int, today: int) -> list[dict[str, Any]]:
    r, o, joined = _answers()
    kind = answer_kind(r, o)
    stmt = (
        sa_select(r.c.study_day,
                  _sum_if(kind == KIND_STUDY),
                  _sum_if(and_(kind == KIND_STUDY, r.c.correct == True)),  # noqa: E712
                  _sum_if(kind == KIND_TEST))
        .select_from(joined)
        .where(r.c.profile_id == profile_id, r.c.study_day > today - HISTORY_DAYS,
               r.c.study_day <= today, is_effective(r))
        .group_by(r.c.study_day)
        .order_by(r.c.study_day)
    )
    return [{"study_day": int(day), "date": day_date(int(day)).isoformat(),
             "reviews": int(n), "correct": int(right), "tests": int(tests)}
            for day, n, right, tests in run(s, stmt)]


def _streak(s: Session, profile_id: int, today: int,
            per_day: list[dict[str, Any]]) -> dict[str, Any]:
    """Consecutive study days up to today (or yesterday), from the per-day figures.

    Only a streak as long as the per-day window needs another (grouped) query.
    """
    studied = {d["study_day"] for d in per_day if d["reviews"] > 0}
    if len(studied) >= HISTORY_DAYS - 1:
        r, o, joined = _answers()
        stmt = (
            sa_select(r.c.study_day)
            .select_from(joined)
            .where(r.c.profile_id == profile_id, r.c.study_day <= today, is_effective(r),
                   answer_kind(r, o) == KIND_STUDY)
            .group_by(r.c.study_day)
        )
        studied = {int(day) for (day,) in run(s, stmt)}
    studied_today = today in studied
    day = today if studied_today else today - 1
    days = 0
    while day in studied:
        days += 1
        day -= 1
    return {"days": days, "studied_today": studied_today}


def _retention(s: Session, profile_id: int, today: int) -> dict[str, Any]:
    r, o, joined = _answers()
    stmt = (
        sa_select(func.count(), _sum_if(r.c.correct == True))  # noqa: E712
        .select_from(joined)
        .where(r.c.profile_id == profile_id, r.c.study_day > today - RETENTION_DAYS,
               r.c.study_day <= today, is_effective(r), answer_kind(r, o) == KIND_STUDY,
               state_before_is(r, CardStateKind.REVIEW))
    )
    n, right = run(s, stmt).one()
    return {"days": RETENTION_DAYS, "reviews": int(n), "correct": int(right),
            "rate": (int(right) / int(n)) if n else None}


def _cards(s: Session, profile_id: int, today: int) -> dict[str, int]:
    c, f = card_table.alias("c"), fact_table.alias("f")
    buried = and_(c.c.buried_until.is_not(None), c.c.buried_until >= today)
    # One expression object in SELECT and GROUP BY: PostgreSQL accepts an
    # expression with parameters in both only when they are the same parameters.
    is_buried = case((buried, 1), else_=0)
    stmt = (
        sa_select(c.c.state, c.c.suspended, is_buried, func.count())
        .select_from(c.join(f, f.c.id == c.c.fact_id))
        .where(c.c.profile_id == profile_id, f.c.retired == False)  # noqa: E712
        .group_by(c.c.state, c.c.suspended, is_buried)
    )
    names = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
    out = {k: 0 for k in ("new", "learning", "review", "relearning", "suspended", "buried",
                          "total")}
    for state, suspended, is_buried, n in run(s, stmt):
        out["total"] += n
        if suspended:
            out["suspended"] += n
        elif is_buried:
            out["buried"] += n
        else:
            out[names.get(int(state), "review")] += n
    return out


def _forecast(s: Session, profile_id: int, today: int, rollover: int,
              tz: str | None) -> list[dict[str, Any]]:
    c = card_table.alias("c")
    f = fact_table.alias("f")
    ends = [day_start(today + i + 1, rollover, tz) for i in range(FORECAST_DAYS)]
    bucket = case(*((c.c.due < end, i) for i, end in enumerate(ends)), else_=FORECAST_DAYS)
    stmt = (
        sa_select(bucket, func.count())
        .select_from(c.join(f, f.c.id == c.c.fact_id))
        .where(c.c.profile_id == profile_id, c.c.suspended == False,  # noqa: E712
               c.c.state.in_((CardStateKind.LEARNING, CardStateKind.REVIEW,
                              CardStateKind.RELEARNING)),
               c.c.due < ends[-1], f.c.retired == False)  # noqa: E712
        .group_by(bucket)
    )
    counts = {int(i): int(n) for i, n in run(s, stmt)}
    return [{"study_day": today + i, "date": day_date(today + i).isoformat(),
             "due": counts.get(i, 0)} for i in range(FORECAST_DAYS)]


def _last_answer_right(c: FromClause) -> ColumnElement[Any]:
    """Correlated: whether the latest effective answer to any card of c's fact was right."""
    r = review_table.alias("lr")
    c2 = card_table.alias("c2")
    return (
        sa_select(r.c.correct)
        .select_from(r.join(c2, c2.c.id == r.c.card_id))
        .where(c2.c.profile_id == c.c.profile_id, c2.c.fact_id == c.c.fact_id,
               is_effective(r))
        .order_by(r.c.reviewed_at.desc(), r.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _mastery(s: Session, profile_id: int) -> dict[str, Any]:
    c, f, d = card_table.alias("c"), fact_table.alias("f"), deck_table.alias("d")
    mastered = case(
        (c.c.stability >= MASTERED_STABILITY_DAYS,
         case((_last_answer_right(c) == True, 1), else_=0)),  # noqa: E712
        else_=0,
    )
    stmt = (
        sa_select(f.c.deck_id, d.c.name, f.c.kind, func.count(), func.sum(mastered))
        .select_from(c.join(f, f.c.id == c.c.fact_id).join(d, d.c.id == f.c.deck_id))
        .where(c.c.profile_id == profile_id, c.c.family == "recall",
               f.c.retired == False)  # noqa: E712
        .group_by(f.c.deck_id, d.c.name, f.c.kind)
    )
    decks: dict[int, dict[str, Any]] = {}
    kinds: dict[str, dict[str, Any]] = {}
    total = {"facts": 0, "mastered": 0}
    for deck_id, deck_name, kind, facts, done in run(s, stmt):
        done = int(done or 0)
        deck = decks.setdefault(deck_id, {"deck_id": deck_id, "deck": deck_name, "facts": 0,
                                          "mastered": 0})
        by_kind = kinds.setdefault(kind, {"kind": kind, "facts": 0, "mastered": 0})
        for bucket in (deck, by_kind, total):
            bucket["facts"] += int(facts)
            bucket["mastered"] += done
    return {
        "threshold_days": MASTERED_STABILITY_DAYS,
        "total": total,
        "decks": sorted(decks.values(), key=lambda x: str(x["deck"])),
        "kinds": sorted(kinds.values(), key=lambda x: str(x["kind"])),
    }


def _most_missed(s: Session, profile_id: int) -> list[dict[str, Any]]:
    r = review_table.alias("r")
    c, f, d = card_table.alias("c"), fact_table.alias("f"), deck_table.alias("d")
    misses = _sum_if(r.c.correct == False)  # noqa: E712
    stmt = (
        sa_select(f.c.key, d.c.name, f.c.kind, f.c.text, f.c.front, misses, func.count())
        .select_from(r.join(c, c.c.id == r.c.card_id).join(f, f.c.id == c.c.fact_id)
                     .join(d, d.c.id == f.c.deck_id))
        .where(r.c.profile_id == profile_id, is_effective(r))
        .group_by(c.c.fact_id, f.c.key, d.c.name, f.c.kind, f.c.text, f.c.front)
        .having(misses > 0)
        .order_by(misses.desc(), f.c.key)
        .limit(TOP)
    )
    return [{"fact_id": key, "deck": deck, "kind": kind, "text": text or front or "",
             "misses": int(m), "answers": int(n)}
            for key, deck, kind, text, front, m, n in run(s, stmt)]


def _wrong_choices(s: Session, profile_id: int) -> list[dict[str, Any]]:
    r = review_table.alias("r")
    c, f, d = card_table.alias("c"), fact_table.alias("f"), deck_table.alias("d")
    times = func.count()
    stmt = (
        sa_select(f.c.key, d.c.name, r.c.form, r.c.given, times)
        .select_from(r.join(c, c.c.id == r.c.card_id).join(f, f.c.id == c.c.fact_id)
                     .join(d, d.c.id == f.c.deck_id))
        .where(r.c.profile_id == profile_id, is_effective(r),
               r.c.correct == False, r.c.choices.is_not(None),  # noqa: E712
               r.c.given.is_not(None))
        .group_by(c.c.fact_id, f.c.key, d.c.name, r.c.form, r.c.given)
        .order_by(times.desc(), f.c.key, r.c.given)
        .limit(TOP)
    )
    return [{"fact_id": key, "deck": deck, "form": form, "given": given, "times": int(n)}
            for key, deck, form, given, n in run(s, stmt)]


def _leeches(s: Session, profile_id: int) -> list[dict[str, Any]]:
    c, f, d = card_table.alias("c"), fact_table.alias("f"), deck_table.alias("d")
    stmt = (
        sa_select(c.c.id, f.c.key, d.c.name, c.c.family, c.c.lapses, c.c.suspended)
        .select_from(c.join(f, f.c.id == c.c.fact_id).join(d, d.c.id == f.c.deck_id))
        .where(c.c.profile_id == profile_id, c.c.lapses >= LEECH_LAPSES,
               f.c.retired == False)  # noqa: E712
        .order_by(c.c.lapses.desc(), c.c.id)
    )
    return [{"card_id": str(cid), "fact_id": key, "deck": deck, "family": family,
             "lapses": int(lapses), "suspended": bool(suspended)}
            for cid, key, deck, family, lapses, suspended in run(s, stmt)]
