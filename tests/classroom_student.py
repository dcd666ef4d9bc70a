"""A student's computer in the classroom load test: one process, one database role.

Kept apart from the test module so that a spawned process imports only the
study core (not pytest plugins, hypothesis or other tests) before it starts.
"""

from __future__ import annotations

import time
import traceback
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import make_url

from quizapp.questions.model import Form, Question
from quizapp.services.collection import Collection
from quizapp.services.profiles import update_profile_settings
from quizapp.study import ReviewResult, StudySession

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
STEP = timedelta(seconds=40)  # between two answers


def wrong(q: Question) -> str:
    """An answer that is graded wrong."""
    if q.choices is not None:
        return next(c for c in q.choices if c not in q.answers)
    if q.form is Form.TIMELINE:
        return " | ".join(reversed(q.answers[0].split(" | ")))
    return "certainly not this"


def respond(session: StudySession, q: Question, ok: bool, now: datetime,
            ms: int = 2500) -> ReviewResult:
    """Answer ``q`` right or wrong (self-rated for a flashcard)."""
    if q.form is Form.FLASHCARD:
        return session.answer_flashcard(q, 3 if ok else 1, now, ms)
    return session.answer(q, q.answers[0] if ok else wrong(q), now, ms)


def open_study(col: Collection) -> StudySession:
    """The connection's own profile, studying in UTC with room for many new facts."""
    session = StudySession(col)
    update_profile_settings(col, session.profile_id, timezone="UTC", new_per_day=1000)
    return StudySession(col, seed=session.profile_id)


def answer_questions(session: StudySession, answers: int, *, start: datetime = T0,
                     every_wrong: int = 4) -> list[int]:
    """Answer ``answers`` questions (every ``every_wrong``-th one wrong); their review ids."""
    now, ids = start, []
    while len(ids) < answers:
        question = session.next_question(now)
        if question is None:  # nothing left today: come back tomorrow
            now += timedelta(days=1)
            continue
        ids.append(respond(session, question, len(ids) % every_wrong != 0, now).review_id)
        now += STEP
    return ids


def student_process(url: str, barrier: Any, answers: int, results: Any) -> None:
    """Open the app as the role of ``url``, wait for the class, answer; report the review ids."""
    try:
        with Collection.open(url) as col:
            session = open_study(col)
            session.next_question(T0)  # the first question is on screen (deck loaded)
            barrier.wait(timeout=180)
            started = time.time()
            ids = answer_questions(session, answers)
            session.close(datetime.now(UTC))  # the sitting ends: its totals are written
            results.put(("ok", session.profile_id, ids, started, time.time()))
    except BaseException:
        results.put(("error", make_url(url).username, traceback.format_exc(), 0.0, 0.0))
        barrier.abort()
