"""The study counts (new · learning · to review) follow a sitting answer by answer.

A whole sitting on the seed deck, on a real SQLite file (and PostgreSQL when
given), with a fixed clock: after every answer the three counts change exactly
as the answered card moved (a new fact leaves "new", a learning card that
comes back leaves "learning" and, missed again, comes back into it), the
session serves a question exactly while the counts say something is left, and
at the start the deck list gives the same figures.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.assets import seed_deck_path
from quizapp.facts.deckfile import load_deck_file
from quizapp.scheduling import LEARN_AHEAD, CardStateKind
from quizapp.services.collection import Collection
from quizapp.services.counts import StudyCounts, deck_counts, study_counts
from quizapp.services.profiles import create_profile, update_profile_settings
from quizapp.storage import repository as repo
from quizapp.study import StudySession

pytestmark = pytest.mark.both_backends

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
LEARNING = (CardStateKind.LEARNING, CardStateKind.RELEARNING)


@pytest.fixture
def url(db_url: str, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'q.sqlite3'}" if db_url.startswith("sqlite") else db_url


def _three(c: StudyCounts) -> tuple[int, int, int]:
    return c.new_left, c.learning_left, c.review_left


def test_counts_follow_a_sitting_on_the_seed_deck(url: str) -> None:
    col = Collection.open(url, first_start=False)
    try:
        col.import_deck(load_deck_file(seed_deck_path()))
        profile = create_profile(col, "P", T0)
        update_profile_settings(col, profile.id, timezone="UTC", new_per_day=8)
        pid = profile.id
        with col.session() as s:
            deck = repo.find_deck(s, "seed")
            assert deck is not None and deck.id is not None
            deck_id = deck.id
        start = study_counts(col, pid, deck_id, T0)
        listed = next(d for d in deck_counts(col, pid, T0) if d.deck_id == deck_id)
        # At the start the deck list and the study screen agree.
        assert start.new_left == min(listed.new, 8) == 8
        assert start.new_left + start.new_waiting == listed.new
        assert (start.learning_left, start.review_left) == (listed.learning, listed.due) == (0, 0)

        session = StudySession(col, pid, deck_id=deck_id, seed=3)
        rng = random.Random(17)
        now = T0
        came_back = 0
        answers = 0
        while True:
            before = study_counts(col, pid, deck_id, now)
            assert before.remaining == sum(_three(before))
            # The deck list's New is the study screen's new count, capped by the day's limit.
            listed = next(d for d in deck_counts(col, pid, now) if d.deck_id == deck_id)
            assert listed.new_today == before.new_left
            question = session.next_question(now)
            if question is None:
                # Nothing served exactly when nothing is counted.
                assert before.remaining == 0
                later = [c for c in _learning_due(col, pid, deck_id)
                         if c > now + LEARN_AHEAD]
                if not later:
                    break
                now = min(later) - LEARN_AHEAD  # wait until a learning card is counted again
                continue
            assert before.remaining > 0
            state = _state(col, int(question.card_id))
            result = session.answer(question, _given(question, rng.random() < 0.6), now, 1000)
            after = study_counts(col, pid, deck_id, now)
            new, learning, review = _three(before)
            if state == CardStateKind.NEW:
                new -= 1
            elif state in LEARNING:
                learning -= 1
                came_back += 1
            else:
                review -= 1
            assert result.due is not None
            if result.state in LEARNING and result.due <= now + LEARN_AHEAD:
                learning += 1  # asked again within minutes: back among the learning cards
            elif result.state == CardStateKind.REVIEW and result.due.date() == now.date():
                review += 1
            assert _three(after) == (new, learning, review), (answers, state, result.state)
            answers += 1
            now += timedelta(seconds=20)
            assert answers < 400
        assert came_back > 0  # learning cards came back and were counted down
        assert study_counts(col, pid, deck_id, now).new_left == 0
        session.close(now)
    finally:
        col.close()


def _state(col: Collection, card_id: int) -> int:
    from sqlalchemy import text

    with col.session() as s:
        return int(s.execute(text("SELECT state FROM card WHERE id = :i"), {"i": card_id})
                   .scalar_one())


def _learning_due(col: Collection, pid: int, deck_id: int) -> list[datetime]:
    from sqlalchemy import text

    with col.session() as s:
        rows = s.execute(text("SELECT due FROM card WHERE profile_id = :p AND deck_id = :d "
                              "AND state IN (1, 3) AND suspended = :f"),
                         {"p": pid, "d": deck_id, "f": False}).scalars().all()
    return [d if d.tzinfo else d.replace(tzinfo=UTC) for d in rows]


def _given(question: object, right: bool) -> str | list[str]:
    from quizapp.questions.model import Form, Question

    assert isinstance(question, Question)
    if question.form is Form.TIMELINE:
        order = question.answers[0].split(" | ")
        return order if right else list(reversed(order))
    if right:
        return question.answers[0]
    if question.choices is not None:
        return next(c for c in question.choices if c not in question.answers)
    return "zzz nothing like it"


@pytest.mark.parametrize("one_deck", [True, False])
def test_study_more_today_adds_new_facts_for_the_day_only(url: str, one_deck: bool) -> None:
    col = Collection.open(url, first_start=False)
    try:
        col.import_deck(load_deck_file(seed_deck_path()))
        profile = create_profile(col, "P", T0)
        update_profile_settings(col, profile.id, timezone="UTC", new_per_day=0)
        pid = profile.id
        with col.session() as s:
            deck = repo.find_deck(s, "seed")
            assert deck is not None and deck.id is not None
            deck_id = deck.id
        session = StudySession(col, pid, deck_id=deck_id if one_deck else None, seed=1)
        assert session.next_question(T0) is None  # the saved limit: no new fact today
        listed = next(d for d in deck_counts(col, pid, T0) if d.deck_id == deck_id)
        assert (listed.new, listed.new_today) == (36, 0)  # 4 of the seed's 40 have no form
        day = session.study_day(T0)
        session.study_more_today(deck_id, 3, day)
        assert session.more_today(deck_id, day) == 3
        assert study_counts(col, pid, deck_id, T0, more_new=3).new_left == 3
        listed = next(d for d in deck_counts(col, pid, T0, {(day, deck_id): 3})
                      if d.deck_id == deck_id)
        assert listed.new_today == 3
        new_asked = 0
        now = T0
        while (q := session.next_question(now)) is not None:
            if _state(col, int(q.card_id)) == CardStateKind.NEW:
                new_asked += 1
            session.answer(q, _given(q, True), now, 1000)
            now += timedelta(minutes=15)
        assert new_asked == 3
        assert study_counts(col, pid, deck_id, now, more_new=3).new_left == 0
        listed = next(d for d in deck_counts(col, pid, now, {(day, deck_id): 3})
                      if d.deck_id == deck_id)
        assert (listed.new, listed.new_today) == (33, 0)
        # The next study day keeps the saved limit (0): no new fact.
        tomorrow = T0 + timedelta(days=1)
        while (q := session.next_question(tomorrow)) is not None:
            assert _state(col, int(q.card_id)) != CardStateKind.NEW
            session.answer(q, _given(q, True), tomorrow, 1000)
            tomorrow += timedelta(minutes=15)
        session.close(tomorrow)
    finally:
        col.close()
