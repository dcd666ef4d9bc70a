"""What fitting a profile's FSRS parameters reads and writes.

:mod:`quizapp.scheduling.optimize` fits; this module reads the log it fits
to, as plain rows, and stores the parameters it adopts. The rows are the
profile's *effective study answers*: kind ``study`` and the overrules that
replace them; cancelled rows, undo rows and practice-test answers are left
out (the review-log rules of :mod:`quizapp.storage.reviews`). An overrule
counts at the time and on the study day of the answer it replaces, with its
own rating.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import ColumnElement, func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from quizapp.storage.models import ProfileRow, as_utc
from quizapp.storage.reviewlog import review_table, run
from quizapp.storage.reviews import KIND_STUDY, answer_kind, is_effective

__all__ = ["Engine", "FitRow", "FitTarget", "Session", "answer_count", "fit_session",
           "fit_settings", "history_rows", "store_parameters"]

#: One effective study answer: (time, card id, rating, response ms, study day).
FitRow = tuple[datetime, int, int, int | None, int | None]


class _HasEngine(Protocol):
    engine: Engine


FitTarget = Session | _HasEngine | Engine


@contextmanager
def fit_session(target: FitTarget) -> Iterator[Session]:
    """The session a fit reads and writes in.

    ``target`` is a Session (the caller commits), a collection or an engine (a
    session of its own, committed when the block ends without an error).
    """
    if isinstance(target, Session):
        yield target
        return
    engine = target if isinstance(target, Engine) else target.engine
    with Session(engine, expire_on_commit=False) as session:
        yield session
        session.commit()


def fit_settings(session: Session, profile_id: int) -> tuple[str | None, int, str | None]:
    """A profile's stored parameters (JSON text or None), rollover hour and time zone.

    LookupError when there is no such profile.
    """
    profile = session.get(ProfileRow, profile_id)
    if profile is None:
        raise LookupError(f"no profile {profile_id}")
    return profile.fsrs_parameters, profile.rollover_hour, profile.timezone


def _effective_study(profile_id: int) -> tuple[Any, Any, list[ColumnElement[bool]]]:
    r = review_table.alias("r")
    o = review_table.alias("o")
    return r, o, [r.c.profile_id == profile_id, is_effective(r),
                  answer_kind(r, o) == KIND_STUDY, r.c.rating.is_not(None)]


def answer_count(session: Session, profile_id: int) -> int:
    """How many effective study answers with a rating the profile has (the rows
    :func:`history_rows` reads), counted in the database."""
    r, o, where = _effective_study(profile_id)
    stmt = sa_select(func.count()).select_from(r).outerjoin(o, o.c.id == r.c.cancels_id) \
        .where(*where)
    return int(run(session, stmt).scalar_one())


def history_rows(session: Session, profile_id: int) -> list[FitRow]:
    """The profile's effective study answers with a rating, in no particular order."""
    r, o, where = _effective_study(profile_id)
    at = func.coalesce(o.c.reviewed_at, r.c.reviewed_at)
    day = func.coalesce(o.c.study_day, r.c.study_day)
    stmt = (
        sa_select(at, r.c.card_id, r.c.rating, r.c.response_ms, day)
        .select_from(r)
        .outerjoin(o, o.c.id == r.c.cancels_id)
        .where(*where)
    )
    out: list[FitRow] = []
    for when, card_id, rating, response_ms, sday in run(session, stmt):
        moment = as_utc(when)
        assert moment is not None
        out.append((moment, int(card_id), int(rating), response_ms,
                    int(sday) if sday is not None else None))
    return out


def store_parameters(session: Session, profile_id: int, parameters_json: str) -> None:
    """Store a profile's fitted parameters (JSON text) in the session (not committed)."""
    profile = session.get(ProfileRow, profile_id)
    if profile is None:
        raise LookupError(f"no profile {profile_id}")
    profile.fsrs_parameters = parameters_json
    session.add(profile)
