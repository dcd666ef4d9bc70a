"""A learning card that comes back within minutes is asked in another form.

On the seed deck, on a real SQLite file (and PostgreSQL when given), with a
fixed clock: every card asked again in the sitting (a missed new fact back
after its learning step) gets a different form from the one just answered
whenever its fact has another form in that family; undo asks the same again.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.assets import seed_deck_path
from quizapp.facts.deckfile import load_deck_file
from quizapp.questions.generate import QuestionBuilder
from quizapp.questions.model import Form, Question
from quizapp.services.collection import Collection
from quizapp.services.profiles import create_profile, update_profile_settings
from quizapp.storage import repository as repo
from quizapp.study import StudySession

pytestmark = pytest.mark.both_backends

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def url(db_url: str, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'q.sqlite3'}" if db_url.startswith("sqlite") else db_url


def _wrong(question: Question) -> str | list[str]:
    if question.form is Form.TIMELINE:
        return list(reversed(question.answers[0].split(" | ")))
    if question.choices is not None:
        return next(c for c in question.choices if c not in question.answers)
    return "zzz nothing like it"


def test_a_card_back_within_minutes_is_asked_another_way(url: str) -> None:
    deck = load_deck_file(seed_deck_path())
    builder = QuestionBuilder(deck)
    col = Collection.open(url, first_start=False)
    try:
        col.import_deck(deck)
        profile = create_profile(col, "P", T0)
        update_profile_settings(col, profile.id, timezone="UTC", new_per_day=6)
        with col.session() as s:
            found = repo.find_deck(s, "seed")
            assert found is not None and found.id is not None
        session = StudySession(col, profile.id, deck_id=found.id, seed=2)
        last: dict[str, Form] = {}
        returned = differed = 0
        now = T0
        rng = random.Random(4)
        for _ in range(60):
            question = session.next_question(now)
            if question is None:
                now += timedelta(minutes=5)
                continue
            before = last.get(question.card_id)
            if before is not None:
                returned += 1
                others = set(builder.forms_for(question.fact_id, question.family)) - {before}
                if others:
                    assert question.form is not before, (question.fact_id, before)
                    differed += 1
            last[question.card_id] = question.form
            # Mostly missed, so that cards come back while learning.
            given = question.answers[0] if rng.random() < 0.3 else _wrong(question)
            if question.form is Form.TIMELINE and given == question.answers[0]:
                given = question.answers[0].split(" | ")
            session.answer(question, given, now, 1000)
            now += timedelta(seconds=30)
        assert returned >= 6 and differed >= 3, (returned, differed)

        # Undo: the card is asked again as it was, in the same form.
        question = session.next_question(now)
        assert question is not None
        session.answer(question, _wrong(question), now, 1000)
        session.undo(now)
        again = session.next_question(now)
        assert again is not None and again.card_id == question.card_id
        assert again.form is question.form
        session.close(now)
    finally:
        col.close()
