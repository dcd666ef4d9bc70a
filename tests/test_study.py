"""The study session on real SQLite files: order, limits, FSRS, durability, undo, overrule.

Times are fixed aware UTC instants; profiles use the UTC zone so study days are
predictable.
"""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import fsrs
import pytest
from sqlalchemy import event, text
from sqlmodel import select

from quizapp.assets import seed_deck_path
from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.questions.generate import QuestionBuilder
from quizapp.questions.model import Family, Form, Question, Verdict
from quizapp.scheduling import CardState, SchedulerSettings, review, study_day
from quizapp.services.collection import Collection
from quizapp.services.profiles import (
    create_profile,
    delete_profile,
    list_profiles,
    profile_settings,
    rename_profile,
    set_deck_overrides,
    update_profile_settings,
)
from quizapp.storage import repository as repo
from quizapp.storage import writer
from quizapp.storage.models import (
    CardRow,
    FactRow,
    QuestionReportRow,
    ReviewRow,
    StudySessionRow,
)
from quizapp.storage.reviews import session_totals
from quizapp.storage.stats import profile_stats
from quizapp.study import ReviewResult, StaleQuestionError, StudySession

# Tests taking url run on SQLite and, when a server is given, on PostgreSQL.
pytestmark = pytest.mark.both_backends

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
CARD_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps",
               "lapses", "suspended", "buried_until", "last_shown_day", "reported_forms")


# ---------------------------------------------------------------- helpers


def qa_deck(n: int, deck_id: str = "qa") -> Deck:
    facts = tuple(Fact(id=f"qa-{i:03d}", kind=FactKind.QA, front=f"What is item {i}?",
                       back=f"answer {i}") for i in range(n))
    return Deck(id=deck_id, name=f"Deck {deck_id}", facts=facts)


@pytest.fixture
def url(db_url: str, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'q.sqlite3'}" if db_url.startswith("sqlite") else db_url


def qa_collection(url: str, n: int = 10, **settings: Any) -> tuple[Collection, int]:
    """A collection with one QA deck and one profile (UTC, given settings)."""
    col = Collection.open(url, first_start=False)
    col.import_deck(qa_deck(n))
    profile = create_profile(col, "P", T0)
    update_profile_settings(col, profile.id, timezone="UTC", **settings)
    return col, profile.id


def right(q: Question) -> str:
    return q.answers[0]


def wrong(q: Question) -> str:
    if q.choices is not None:
        return next(c for c in q.choices if c not in q.answers)
    if q.form is Form.TIMELINE:
        assert q.items is not None
        order = list(reversed(q.answers[0].split(" | ")))
        return " | ".join(order)
    return "certainly not this"


def respond(session: StudySession, q: Question, ok: bool, now: datetime,
            ms: int = 4000) -> ReviewResult:
    if q.form is Form.FLASHCARD:
        return session.answer_flashcard(q, 3 if ok else 1, now, ms)
    return session.answer(q, right(q) if ok else wrong(q), now, ms)


def card_row(col: Collection, card_id: int | str) -> CardRow:
    with col.session() as s:
        row = s.get(CardRow, int(card_id))
        assert row is not None
        return row


def card_values(col: Collection, card_id: int | str) -> dict[str, Any]:
    row = card_row(col, card_id)
    return {f: getattr(row, f) for f in CARD_FIELDS}


def set_card(col: Collection, card_id: int, **values: Any) -> None:
    with col.transaction() as s:
        row = s.get(CardRow, card_id)
        assert row is not None
        for k, v in values.items():
            setattr(row, k, v)
        s.add(row)


def cards_of(col: Collection, profile_id: int) -> dict[str, int]:
    """Fact key -> card id (one card, one memory, per fact)."""
    with col.session() as s:
        rows = s.exec(select(CardRow.id, FactRow.key)
                      .join(FactRow, FactRow.id == CardRow.fact_id)  # type: ignore[arg-type]
                      .where(CardRow.profile_id == profile_id)).all()
    assert len({key for _cid, key in rows}) == len(rows)
    return {key: cid for cid, key in rows if cid is not None}


def review_rows(col: Collection, profile_id: int) -> list[ReviewRow]:
    with col.session() as s:
        return list(s.exec(select(ReviewRow).where(ReviewRow.profile_id == profile_id)
                           .order_by(ReviewRow.id)))  # type: ignore[arg-type]


def drain(session: StudySession, now: datetime, ok: bool = True,
          limit: int = 500) -> list[tuple[Question, ReviewResult]]:
    """Answer everything offered at ``now`` (time moves 30 s per answer)."""
    out = []
    for _ in range(limit):
        q = session.next_question(now)
        if q is None:
            break
        out.append((q, respond(session, q, ok, now)))
        now += timedelta(seconds=30)
    return out


# ---------------------------------------------------------------- FSRS through the database


CONFIGS = {
    "defaults": ({}, None, fsrs.Scheduler(enable_fuzzing=False)),
    "custom": (
        {"learning_steps": [120], "relearning_steps": [300, 1200], "maximum_interval": 20},
        0.85,
        fsrs.Scheduler(desired_retention=0.85, learning_steps=[timedelta(minutes=2)],
                       relearning_steps=[timedelta(minutes=5), timedelta(minutes=20)],
                       maximum_interval=20, enable_fuzzing=False),
    ),
}


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_intervals_match_the_fsrs_library_through_the_database(url: str, config: str) -> None:
    profile_settings_, deck_retention, reference = CONFIGS[config]
    col, pid = qa_collection(url, n=3, fuzz=False, **profile_settings_)
    if deck_retention is not None:
        with col.session() as s:
            deck = repo.find_deck(s, "qa")
            assert deck is not None and deck.id is not None
            deck_id = deck.id
        set_deck_overrides(col, pid, deck_id, desired_retention=deck_retention)
    col.close()

    ratings = [3, 3, 1, 3, 4, 2, 3, 1, 1, 3, 3, 4, 3, 2, 3, 3]
    refs: dict[int, fsrs.Card] = {}
    now = T0
    answered = 0
    asked: set[str] = set()
    rng = random.Random(4)
    while answered < 90:
        # Every few answers the file is closed and opened again.
        with Collection.open(url, first_start=False) as col:
            session = StudySession(col, pid)
            for _ in range(7):
                q = session.next_question(now)
                if q is None:
                    with col.session() as s:
                        nxt = s.exec(select(CardRow.due).where(
                            CardRow.profile_id == pid, CardRow.state > 0)
                            .order_by(CardRow.due)).first()  # type: ignore[arg-type]
                    now = max(now + timedelta(hours=1), nxt or now)
                    continue
                cid = int(q.card_id)
                # One memory per fact: recognition (a flashcard) while its stability is
                # under 7 days, recall (typed) from then on.
                before = card_row(col, cid)
                grown = before.stability is not None and before.stability >= 7.0
                assert q.family is (Family.RECALL if grown else Family.RECOGNISE)
                asked.add(q.family.value)
                if q.form is Form.FLASHCARD:
                    result = session.answer_flashcard(q, ratings[answered % len(ratings)],
                                                      now, 3000)
                else:
                    result = session.answer(q, right(q) if rng.random() < 0.75 else wrong(q),
                                            now, 3000)
                ref = refs.get(cid) or fsrs.Card(card_id=cid, due=now)
                refs[cid], _ = reference.review_card(ref, fsrs.Rating(result.rating), now)
                assert result.due == refs[cid].due
                row = card_row(col, cid)
                assert (row.state, row.step) == (int(refs[cid].state), refs[cid].step)
                assert row.stability == refs[cid].stability
                assert row.difficulty == refs[cid].difficulty
                assert row.due == refs[cid].due
                assert row.last_review == refs[cid].last_review
                answered += 1
                now += timedelta(seconds=45)

    # The stored log replays to the same states, answer by answer.
    with Collection.open(url, first_start=False) as col:
        rows = review_rows(col, pid)
        assert len(rows) == answered
        replay: dict[int, fsrs.Card] = {}
        for r in rows:
            assert r.reviewed_at is not None and r.rating is not None
            card = replay.get(r.card_id) or fsrs.Card(card_id=r.card_id, due=r.reviewed_at)
            replay[r.card_id], _ = reference.review_card(card, fsrs.Rating(r.rating),
                                                         r.reviewed_at)
            after = r.state_after
            assert after is not None and after.due == replay[r.card_id].due
            assert after.stability == replay[r.card_id].stability
        for cid, ref_card in refs.items():
            assert card_row(col, cid).due == ref_card.due
        # Both families were asked: the facts moved to recall as their memory grew.
        assert asked == {"recognise", "recall"}


# ---------------------------------------------------------------- order and limits


def test_learning_before_reviews_before_new(url: str) -> None:
    col, pid = qa_collection(url, n=6)
    cards = cards_of(col, pid)
    learning = cards["qa-004"]
    reviewing = cards["qa-005"]
    set_card(col, learning, state=1, step=0, stability=1.0, difficulty=5.0,
             due=T0 - timedelta(minutes=1), last_review=T0 - timedelta(minutes=2), reps=1)
    set_card(col, reviewing, state=2, step=None, stability=10.0, difficulty=5.0,
             due=T0 - timedelta(hours=3), last_review=T0 - timedelta(days=10), reps=3)
    session = StudySession(col, pid)
    seen = []
    now = T0
    for _ in range(4):
        q = session.next_question(now)
        assert q is not None
        seen.append(int(q.card_id))
        respond(session, q, True, now)
        now += timedelta(seconds=20)
    assert seen[:3] == [learning, reviewing, cards["qa-000"]]
    assert seen[3] == cards["qa-001"]  # new cards in deck order
    col.close()


def test_daily_new_limit_counts_facts_and_resets_next_day(url: str) -> None:
    col, pid = qa_collection(url, n=12, new_per_day=4)
    session = StudySession(col, pid)
    day1 = drain(session, T0)
    introduced = {q.fact_id for q, r in day1}
    assert len(introduced) == 4
    assert all(q.family is Family.RECOGNISE for q, _ in day1)
    # Same study day, a fresh session (the count comes from the log): nothing new.
    assert StudySession(col, pid).next_question(T0 + timedelta(hours=3)) is None
    # Next study day (after the 4 AM rollover): four more facts.
    day2 = drain(StudySession(col, pid), T0 + timedelta(days=1))
    new_day2 = {q.fact_id for q, _ in day2} - introduced
    assert len(new_day2) == 4
    col.close()


def test_daily_review_limit(url: str) -> None:
    col, pid = qa_collection(url, n=6, reviews_per_day=2, new_per_day=0)
    cards = cards_of(col, pid)
    for i in range(5):
        set_card(col, cards[f"qa-{i:03d}"], state=2, stability=5.0,
                 difficulty=5.0, due=T0 - timedelta(hours=i + 1),
                 last_review=T0 - timedelta(days=5), reps=2)
    done = drain(StudySession(col, pid), T0)
    assert len(done) == 2
    # The oldest due first.
    assert [q.fact_id for q, _ in done] == ["qa-004", "qa-003"]
    col.close()


def test_deck_override_of_limits(url: str) -> None:
    col, pid = qa_collection(url, n=8, new_per_day=5)
    col.import_deck(qa_deck(8, "other"))
    with col.session() as s:
        qa = repo.find_deck(s, "qa")
        other = repo.find_deck(s, "other")
        assert qa is not None and other is not None and qa.id and other.id
        qa_id, other_id = qa.id, other.id
    set_deck_overrides(col, pid, qa_id, new_per_day=2)
    assert profile_settings(col, pid, qa_id).new_per_day == 2
    assert profile_settings(col, pid, other_id).new_per_day == 5
    done = drain(StudySession(col, pid), T0)
    per_deck: dict[int, set[str]] = {}
    for q, _ in done:
        per_deck.setdefault(card_row(col, q.card_id).deck_id, set()).add(q.fact_id)
    assert len(per_deck[qa_id]) == 2 and len(per_deck[other_id]) == 5
    # A session restricted to one deck shows only that deck.
    set_deck_overrides(col, pid, qa_id)  # back to the profile's value
    only = drain(StudySession(col, pid, deck_id=qa_id), T0 + timedelta(days=1))
    assert only and {card_row(col, q.card_id).deck_id for q, _ in only} == {qa_id}
    col.close()


def test_a_fact_with_no_recognise_form_is_asked_in_recall_from_the_start(url: str) -> None:
    """One memory per fact: the family is chosen when the fact is shown; a new fact starts
    with recognition unless no recognise form is left for it (here: reported)."""
    col, pid = qa_collection(url, n=2)
    session = StudySession(col, pid)
    q = session.next_question(T0)
    assert q is not None and q.fact_id == "qa-000" and q.family is Family.RECOGNISE
    session.report(q, "the flashcard is wrong", T0)
    again = session.build_question(q.card_id, T0)
    assert again is not None and again.family is Family.RECALL and again.form is Form.TYPED
    col.close()


def test_retired_suspended_and_buried_cards_are_not_shown(url: str) -> None:
    col, pid = qa_collection(url, n=4)
    cards = cards_of(col, pid)
    # qa-000 retires from the deck; qa-001's recognise card is suspended; qa-002's buried.
    deck = qa_deck(4)
    col.import_deck(Deck(id=deck.id, name=deck.name, facts=deck.facts[1:]))
    session = StudySession(col, pid)
    session.suspend(cards["qa-001"])
    session.bury(cards["qa-002"], T0)
    shown = {q.fact_id for q, _ in drain(session, T0)}
    assert shown == {"qa-003"}
    # Buried until the next study day; suspended until unsuspended; retired for good.
    session.unsuspend(cards["qa-001"])
    shown2 = {q.fact_id for q, _ in drain(StudySession(col, pid), T0 + timedelta(days=1))}
    assert {"qa-001", "qa-002"} <= shown2 and "qa-000" not in shown2
    col.close()


def test_reported_forms_are_excluded_and_formless_cards_skipped(url: str) -> None:
    col = Collection.open(url)
    pid = col.profile().id
    assert pid is not None
    update_profile_settings(col, pid, timezone="UTC")
    session = StudySession(col, pid)
    # A quote's recognise card has several forms (who said it, which of these they said,
    # true or false, …); report the one asked.
    with col.session() as s:
        quote = s.exec(select(CardRow).join(FactRow, FactRow.id == CardRow.fact_id)  # type: ignore[arg-type]
                       .where(FactRow.key == "q-zatulin", CardRow.profile_id == pid,
                              )).one()
    assert quote.id is not None
    q = session.build_question(quote.id, T0)
    assert q is not None
    report_id = session.report(q, "The choices are ambiguous", T0)
    with col.session() as s:
        report = s.get(QuestionReportRow, report_id)
        assert report is not None and report.form == q.form.value and report.card_id == quote.id
    assert json.loads(card_row(col, quote.id).reported_forms) == [q.form.value]
    again: Question | None = None
    for _ in range(10):
        again = session.build_question(quote.id, T0)
        assert again is not None and again.form is not q.form
    assert again is not None
    # Report the other forms too: the card has no form left and is never offered.
    reported = [q.form]
    while again is not None:
        assert again.form not in reported and len(reported) < 10
        session.report(again, "Also wrong", T0)
        reported.append(again.form)
        again = session.build_question(quote.id, T0)
    assert len(reported) >= 2
    assert sorted(json.loads(card_row(col, quote.id).reported_forms)) == sorted(
        f.value for f in reported)
    shown = {int(q.card_id) for q, _ in drain(StudySession(col, pid), T0)}
    assert quote.id not in shown and len(shown) >= 20
    col.close()


def test_questions_are_reproducible_per_card_and_rep(url: str) -> None:
    with Collection.open(url) as col:
        pid = col.profile().id
        assert pid is not None
        update_profile_settings(col, pid, timezone="UTC")
        first = [StudySession(col, pid, seed=7).next_question(T0) for _ in range(2)]
        assert first[0] == first[1] and first[0] is not None
        card = first[0].card_id
        session = StudySession(col, pid, seed=7)
        shown = [session.build_question(card, T0) for _ in range(3)]
        assert shown[0] == shown[1] == shown[2] == first[0]
        # Another rep of the card gets its own question (same seed, same rep: same question).
        q = session.next_question(T0)
        assert q is not None
        respond(session, q, True, T0)
        later = session.build_question(card, T0)
        assert later == StudySession(col, pid, seed=7).build_question(card, T0)
        assert later is not None and card_row(col, card).reps == 1


# ---------------------------------------------------------------- durability


@pytest.mark.sqlite_only
def test_each_answer_is_committed_before_the_result_returns(url: str, tmp_path: Path) -> None:
    col, pid = qa_collection(url, n=3)
    with col.engine.connect() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    session = StudySession(col, pid)
    q = session.next_question(T0)
    assert q is not None
    result = session.answer_flashcard(q, 3, T0, 2500)
    # Another connection (as after a crash and restart) sees the committed answer.
    raw = sqlite3.connect(tmp_path / "q.sqlite3")
    try:
        row = raw.execute("SELECT card_id, kind, form, prompt, choices, given, correct, verdict,"
                          " response_ms, rating, study_day, before_state, after_state, session_id"
                          " FROM review WHERE id = ?", (result.review_id,)).fetchone()
        state, reps = raw.execute("SELECT state, reps FROM card WHERE id = ?",
                                  (int(q.card_id),)).fetchone()
    finally:
        raw.close()
    assert row[0] == int(q.card_id) and row[1] == "study" and row[2] == "flashcard"
    assert row[3] == q.prompt and row[6] == 1 and row[7] == "right"
    assert row[8] == 2500 and row[9] == 3 and row[10] == study_day(T0, 4, "UTC")
    assert row[11] == 0 and row[12] == 1
    assert row[13] is not None
    assert (state, reps) == (1, 1)
    col.close()


def test_a_failed_answer_changes_nothing(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    col, pid = qa_collection(url, n=2)
    session = StudySession(col, pid)
    q = session.next_question(T0)
    assert q is not None
    before = card_values(col, q.card_id)

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("disk on fire")

    # The review row fails after the card row was written: the answer's one
    # transaction rolls both back (and the sitting's first row with them).
    monkeypatch.setattr(writer.AnswerWriter, "append_review", boom)
    with pytest.raises(RuntimeError):
        session.answer_flashcard(q, 3, T0, 1000)
    assert card_values(col, q.card_id) == before
    assert review_rows(col, pid) == []
    with col.session() as s:
        assert s.exec(select(StudySessionRow)).all() == []
    monkeypatch.undo()
    # The same question can still be answered.
    assert session.answer_flashcard(q, 3, T0, 1000).review_id > 0
    col.close()


def test_a_question_cannot_be_answered_twice(url: str) -> None:
    col, pid = qa_collection(url, n=2)
    session = StudySession(col, pid)
    q = session.next_question(T0)
    assert q is not None
    session.answer_flashcard(q, 3, T0, 1000)
    with pytest.raises(StaleQuestionError):  # a double submit
        session.answer_flashcard(q, 3, T0, 1000)
    # Two windows on one profile: the card was answered in the other one since.
    a, b = StudySession(col, pid), StudySession(col, pid)
    qa_ = a.next_question(T0 + timedelta(hours=1))
    qb = b.next_question(T0 + timedelta(hours=1))
    assert qa_ is not None and qb is not None and qa_.card_id == qb.card_id
    b.answer_flashcard(qb, 3, T0 + timedelta(hours=1), 1000)
    with pytest.raises(StaleQuestionError):
        a.answer_flashcard(qa_, 3, T0 + timedelta(hours=1), 1000)
    assert len(review_rows(col, pid)) == 2
    col.close()


# ---------------------------------------------------------------- undo and overrule


def test_undo_restores_the_card_exactly_and_appends_a_row(url: str) -> None:
    col, pid = qa_collection(url, n=3)
    session = StudySession(col, pid)
    assert session.undo(T0) is None
    now = T0
    snapshots = []
    results = []
    for _ in range(3):
        q = session.next_question(now)
        assert q is not None
        snapshots.append((q.card_id, card_values(col, q.card_id)))
        results.append(session.answer_flashcard(q, 1, now, 1000))
        now += timedelta(seconds=30)
    # Undo the last two answers, newest first.
    for (card_id, before), result in zip(reversed(snapshots[1:]), reversed(results[1:]),
                                         strict=True):
        undone = session.undo(now)
        assert undone is not None and undone.cancelled_id == result.review_id
        assert undone.card_id == card_id
        assert card_values(col, card_id) == before
    rows = review_rows(col, pid)
    assert [r.kind for r in rows] == ["study"] * 3 + ["undo"] * 2
    assert [r.cancels_id for r in rows[3:]] == [results[2].review_id, results[1].review_id]
    assert rows[3].state_after == rows[2].state_before
    # The undone card is asked again next, with the same question.
    q = session.next_question(now)
    assert q is not None and q.card_id == snapshots[1][0]
    # Statistics skip cancelled rows and undo rows.
    stats = profile_stats(col, pid, now)
    assert sum(d["reviews"] for d in stats["reviews_per_day"]) == 1
    col.close()


def test_undo_gives_back_the_daily_new_quota(url: str) -> None:
    col, pid = qa_collection(url, n=5, new_per_day=1)
    session = StudySession(col, pid)
    q = session.next_question(T0)
    assert q is not None
    session.answer_flashcard(q, 3, T0, 1000)
    session.undo(T0)
    again = session.next_question(T0)
    assert again is not None and again.card_id == q.card_id
    col.close()


def test_overrule_counts_a_typed_answer_as_right(url: str) -> None:
    col, pid = qa_collection(url, n=1, fuzz=False)
    cards = cards_of(col, pid)
    recall = cards["qa-000"]  # stability 8 days: asked in recall (typed)
    set_card(col, recall, state=2, stability=8.0, difficulty=6.0, due=T0 - timedelta(hours=2),
             last_review=T0 - timedelta(days=8), reps=3)
    before = CardState.of(card_row(col, recall))
    session = StudySession(col, pid)
    q = session.next_question(T0)
    assert q is not None and int(q.card_id) == recall and q.form is Form.TYPED
    wrong_result = session.answer(q, "Lima, I think", T0, 5000)
    assert not wrong_result.correct and wrong_result.verdict is Verdict.WRONG
    assert card_row(col, recall).lapses == 1

    later = T0 + timedelta(minutes=1)
    result = session.overrule(wrong_result.review_id, later)
    assert result.correct and result.kind == "overrule"
    expected = review(before, result.rating, T0, SchedulerSettings(fuzz=False))
    row = card_row(col, recall)
    assert (row.state, row.stability, row.difficulty, row.due, row.lapses) == (
        expected.state, expected.stability, expected.difficulty, expected.due, before.lapses)
    rows = review_rows(col, pid)
    assert [r.kind for r in rows] == ["study", "overrule"]
    assert rows[1].cancels_id == rows[0].id and rows[1].state_before == rows[0].state_before
    assert rows[1].study_day == rows[0].study_day and rows[1].given == rows[0].given
    with pytest.raises(ValueError):
        session.overrule(wrong_result.review_id, later)
    # The retention figure counts the overruled answer as a right review.
    stats = profile_stats(col, pid, later)
    assert stats["retention"] == {"days": 30, "reviews": 1, "correct": 1, "rate": 1.0}
    # Undo takes back the whole answer.
    session.undo(later)
    assert CardState.of(card_row(col, recall)) == before
    assert profile_stats(col, pid, later)["retention"]["reviews"] == 0
    col.close()


def test_overrule_refuses_right_answers_and_stale_ones(url: str) -> None:
    col, pid = qa_collection(url, n=1)
    session = StudySession(col, pid)
    q = session.next_question(T0)
    assert q is not None
    first = session.answer_flashcard(q, 3, T0, 1000)
    with pytest.raises(ValueError):
        session.overrule(first.review_id, T0)
    q2 = session.next_question(T0 + timedelta(minutes=1))
    assert q2 is not None and q2.card_id == q.card_id
    wrong1 = session.answer_flashcard(q2, 1, T0 + timedelta(minutes=1), 1000)
    q3 = session.next_question(T0 + timedelta(minutes=2))
    assert q3 is not None and q3.card_id == q.card_id
    session.answer_flashcard(q3, 3, T0 + timedelta(minutes=2), 1000)
    with pytest.raises(ValueError):
        session.overrule(wrong1.review_id, T0 + timedelta(minutes=3))  # answered again since
    col.close()


# ---------------------------------------------------------------- leeches, tests, profiles


def test_eighth_lapse_makes_a_leech_that_is_asked_another_way_not_suspended(url: str) -> None:
    col, pid = qa_collection(url, n=1, new_per_day=0)
    card = cards_of(col, pid)["qa-000"]
    set_card(col, card, state=2, stability=4.0, difficulty=8.0, due=T0 - timedelta(hours=1),
             last_review=T0 - timedelta(days=4), reps=20, lapses=7)
    session = StudySession(col, pid)
    q = session.next_question(T0)
    assert q is not None and int(q.card_id) == card and not q.leech
    result = session.answer_flashcard(q, 1, T0, 1000)
    assert result.leech
    row = card_row(col, card)
    assert not row.suspended and row.lapses == 8
    # It comes back (relearning) flagged: the screens show its evidence first.
    again = session.next_question(T0 + timedelta(hours=1))
    assert again is not None and int(again.card_id) == card and again.leech
    leeches = profile_stats(col, pid, T0)["leeches"]
    assert [(x["fact_id"], x["lapses"], x["suspended"]) for x in leeches] == [("qa-000", 8, False)]
    session.undo(T0)
    row = card_row(col, card)
    assert not row.suspended and row.lapses == 7
    col.close()


def test_a_leech_is_asked_in_another_form_than_the_one_last_missed(url: str) -> None:
    col = Collection.open(url)
    pid = col.profile().id
    assert pid is not None
    update_profile_settings(col, pid, timezone="UTC")
    with col.session() as s:
        quote = s.exec(select(CardRow).join(FactRow, FactRow.id == CardRow.fact_id)  # type: ignore[arg-type]
                       .where(FactRow.key == "q-zatulin", CardRow.profile_id == pid)).one()
    assert quote.id is not None
    set_card(col, quote.id, state=2, stability=3.0, difficulty=8.0, due=T0 - timedelta(hours=1),
             last_review=T0 - timedelta(days=3), reps=20, lapses=7)
    session = StudySession(col, pid)
    missed = session.build_question(quote.id, T0)
    assert missed is not None and missed.family is Family.RECOGNISE
    result = session.answer(missed, wrong(missed), T0, 2000)
    assert result.leech and not result.correct
    for day in range(1, 6):  # whatever the card's random draw, never the form it missed
        set_card(col, quote.id, reps=20 + day)
        again = StudySession(col, pid, seed=day).build_question(quote.id, T0)
        assert again is not None and again.leech and again.form is not missed.form
    col.close()


def test_practice_test_answers(url: str) -> None:
    col, pid = qa_collection(url, n=2)
    cards = cards_of(col, pid)
    new_card = cards["qa-000"]
    review_card = cards["qa-001"]  # stability 10 days: asked in recall
    set_card(col, review_card, state=2, stability=10.0, difficulty=5.0,
             due=T0 + timedelta(days=3), last_review=T0 - timedelta(days=7), reps=3)
    session = StudySession(col, pid)
    new_before = card_values(col, new_card)
    q = session.build_question(new_card, T0, Form.TYPED)
    assert q is not None
    result = session.record_test_answer(q, right(q), T0, 3000)
    assert result.kind == "test" and result.correct and result.state == 0
    assert card_values(col, new_card) == new_before  # new stays new
    before = CardState.of(card_row(col, review_card))
    q2 = session.build_question(review_card, T0)
    assert q2 is not None
    result2 = session.record_test_answer(q2, wrong(q2), T0, 3000)
    assert result2.kind == "test" and not result2.correct
    after = CardState.of(card_row(col, review_card))
    assert after == review(before, 1, T0, session.settings.scheduler)
    # Test answers are outside the daily limit and out of true retention.
    assert {q.fact_id for q, _ in drain(session, T0)} >= {"qa-000"}
    stats = profile_stats(col, pid, T0)
    assert stats["retention"]["reviews"] == 0
    assert sum(d["tests"] for d in stats["reviews_per_day"]) == 2
    col.close()


def test_profile_wrappers(url: str) -> None:
    col = Collection.open(url)
    assert [p.name for p in list_profiles(col)] == ["Student"]
    ana = create_profile(col, "  Ana ", T0)
    assert ana.name == "Ana" and ana.created_at == T0
    with pytest.raises(ValueError):
        create_profile(col, "Ana")
    rename_profile(col, ana.id, "Ana B")
    assert [p.name for p in list_profiles(col)] == ["Student", "Ana B"]
    # The new profile has cards for the seed deck and can study.
    session = StudySession(col, ana.id)
    q = session.next_question(T0)
    assert q is not None
    respond(session, q, True, T0)
    settings = update_profile_settings(col, ana.id, desired_retention=0.8, new_per_day=5,
                                       learning_steps=[30, 300])
    assert settings.scheduler.desired_retention == 0.8
    assert settings.scheduler.learning_steps == (30, 300)
    with pytest.raises(ValueError):
        update_profile_settings(col, ana.id, desired_retention=2.0)
    with pytest.raises(ValueError):
        update_profile_settings(col, ana.id, colour="blue")
    assert profile_settings(col, ana.id).scheduler.desired_retention == 0.8
    delete_profile(col, ana.id)
    assert [p.name for p in list_profiles(col)] == ["Student"]
    with col.session() as s:
        assert s.exec(select(ReviewRow).where(ReviewRow.profile_id == ana.id)).first() is None
        assert s.exec(select(CardRow).where(CardRow.profile_id == ana.id)).first() is None
    with pytest.raises(repo.NotFoundError):
        delete_profile(col, ana.id)
    col.close()


# ---------------------------------------------------------------- the core stays flat


@pytest.mark.sqlite_only
def test_next_question_is_served_from_memory_and_fetches_use_the_due_index(
        url: str, tmp_path: Path) -> None:
    col = Collection.open(url)
    pid = col.profile().id
    assert pid is not None
    update_profile_settings(col, pid, timezone="UTC")
    session = StudySession(col, pid)
    drain(session, T0, limit=30)
    statements: list[tuple[str, Any]] = []

    @event.listens_for(col.engine, "before_cursor_execute")
    def capture(_c: Any, _cur: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    # Served from the queue kept in memory: no statement (PRAGMA data_version, which
    # tells whether anything else wrote, goes straight to the driver).
    q = session.next_question(T0 + timedelta(minutes=30))
    assert q is not None
    assert statements == []
    # A write by another connection: the queues are fetched again, each with a
    # range scan of ix_card_due.
    other = StudySession(col, pid)
    other.bury(q.card_id, T0 + timedelta(minutes=30))
    statements.clear()
    q2 = session.next_question(T0 + timedelta(minutes=30))
    assert q2 is not None and q2.card_id != q.card_id
    selects = [(st, ps) for st, ps in statements if st.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 3  # learning, review and new cards
    raw = sqlite3.connect(tmp_path / "q.sqlite3")
    try:
        for statement, parameters in selects:
            plan = [r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
            card_scans = [p for p in plan if p.startswith(("SCAN c", "SEARCH c "))]
            assert card_scans and all("ix_card_due" in p for p in card_scans), plan
    finally:
        raw.close()
    col.close()


def test_study_core_does_not_load_qt() -> None:
    code = ("import sys, quizapp.study, quizapp.storage.stats, quizapp.scheduling; "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------- sixty days of the seed deck


def _days(start: datetime, n: int) -> Iterator[tuple[int, datetime]]:
    for day in range(n):
        yield day, start + timedelta(days=day)


def test_sixty_days_of_the_seed_deck(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    deck = load_deck_file(seed_deck_path())
    with Collection.open(url) as col:
        pid = col.profile().id
        assert pid is not None
        update_profile_settings(col, pid, timezone="UTC")
        # every fact, those no question can ask held back (4 quotes)
        assert len(col.load_deck("seed", include_held=True).facts) == len(deck.facts)
        assert len(col.load_deck("seed").facts) == len(deck.facts) - 4

    builder = QuestionBuilder(deck)
    # Facts with a recall form but no recognise form (a fact with no form at all, such as
    # "Yes this is true", is never asked).
    no_recognise = {f.id for f in deck.facts if not builder.forms_for(f.id, Family.RECOGNISE)
                    and builder.forms_for(f.id, Family.RECALL)}
    introduced_recall: set[str] = set()
    rng = random.Random(60)
    answered: dict[int, ReviewResult] = {}
    undone: set[int] = set()
    overruled: set[int] = set()
    for day, start in _days(datetime(2024, 6, 1, 7, 30, tzinfo=UTC), 60):
        if day % 9 == 8:
            continue  # a day off now and then
        with Collection.open(url) as col:  # reopened every day
            session = StudySession(col, pid, seed=day)
            now = start
            for _ in range(300):
                q = session.next_question(now)
                if q is None:
                    break
                if q.family is Family.RECALL:
                    with col.session() as s:
                        row = s.get(CardRow, int(q.card_id))
                        assert row is not None
                        # A grown memory (7 days), or no recognise form for this fact.
                        assert (row.state != 0 and (row.stability or 0) >= 7.0) or (
                            not builder.forms_for(q.fact_id, Family.RECOGNISE))
                        if row.state == 0:
                            introduced_recall.add(q.fact_id)
                ok = rng.random() < 0.8
                result = respond(session, q, ok, now, rng.randrange(1500, 12000))
                assert result.correct == ok, (q.form, q.prompt, result.message)
                answered[result.review_id] = result
                now += timedelta(seconds=rng.randrange(10, 60))
                if rng.random() < 0.04:
                    undo = session.undo(now)
                    assert undo is not None and undo.cancelled_id == result.review_id
                    undone.add(result.review_id)
                elif not ok and q.form is not Form.TIMELINE \
                        and rng.random() < 0.3:  # "I was right"
                    over = session.overrule(result.review_id, now)
                    answered[over.review_id] = over
                    overruled.add(result.review_id)
            session.close(now)
    last = now
    # Facts without any recognise form still get their recall card introduced.
    assert no_recognise and no_recognise <= introduced_recall

    with Collection.open(url) as col:
        rows = {r.id: r for r in review_rows(col, pid)}
        # Every answer is in the log, as returned.
        for rid, result in answered.items():
            logged = rows[rid]
            assert logged.kind == result.kind and bool(logged.correct) == result.correct
            assert logged.rating == result.rating and logged.card_id == int(result.card_id)
            assert logged.state_after is not None and logged.state_before is not None
            assert logged.study_day is not None and logged.session_id is not None
        cancels = {r.cancels_id for r in rows.values() if r.cancels_id is not None}
        assert undone | overruled <= cancels
        assert len(undone) >= 10 and len(overruled) >= 3 and len(answered) > 500
        # Every study session row adds up.
        with col.session() as s:
            sessions = s.exec(select(StudySessionRow).where(
                StudySessionRow.profile_id == pid)).all()
            assert sum(x.answered for x in sessions) == sum(
                1 for r in rows.values() if r.kind == "study" and r.id not in undone)
            # Each sitting kept its totals in memory and wrote them when it ended:
            # counted again from its review rows (as for a sitting a killed app
            # left open), every row, undos and overrules included, is the same.
            assert all(x.ended_at is not None for x in sessions)
            stored = {x.id: (x.answered, x.correct) for x in sessions}
            counted = {sid: (int(n), int(right)) for sid, n, right, _last in s.execute(
                session_totals(pid, list(stored)))}
            assert counted == stored

        stats = profile_stats(col, pid, last)
        json.dumps(stats)
        with col.engine.connect() as conn:
            def sql(query: str, **params: Any) -> list[Any]:
                return list(conn.execute(text(query), {"p": pid, **params}))

            effective = """
                FROM review r LEFT JOIN review o ON o.id = r.cancels_id
                WHERE r.profile_id = :p AND r.kind IN ('study', 'test', 'overrule')
                  AND r.id NOT IN (SELECT cancels_id FROM review WHERE cancels_id IS NOT NULL)
            """
            kind = "CASE WHEN r.kind = 'overrule' THEN o.kind ELSE r.kind END"
            per_day = sql(f"""SELECT r.study_day, COUNT(*), SUM(r.correct) {effective}
                              AND {kind} = 'study' GROUP BY r.study_day ORDER BY 1""")
            assert [(d["study_day"], d["reviews"], d["correct"])
                    for d in stats["reviews_per_day"]] == [tuple(x) for x in per_day]
            today = stats["study_day"]
            (n, right_), = sql(f"""SELECT COUNT(*), COALESCE(SUM(r.correct), 0) {effective}
                                  AND {kind} = 'study'
                                  AND r.before_state = 2
                                  AND r.study_day > :d - 30""", d=today)
            assert (stats["retention"]["reviews"], stats["retention"]["correct"]) == (n, right_)
            assert stats["retention"]["reviews"] > 50
            states = dict(sql("SELECT state, COUNT(*) FROM card WHERE profile_id = :p AND "
                              "suspended = 0 AND (buried_until IS NULL OR buried_until < :d) "
                              "GROUP BY state", d=today))
            cards = stats["cards"]
            assert (cards["new"], cards["learning"], cards["review"], cards["relearning"]) == (
                states.get(0, 0), states.get(1, 0), states.get(2, 0), states.get(3, 0))
            # one card (memory) per fact a question can ask (4 quotes of 40 have none)
            assert cards["total"] == len(deck.facts) - 4
            days = {r[0] for r in sql(f"SELECT DISTINCT r.study_day {effective} "
                                      f"AND {kind} = 'study'")}
            streak = 0
            d = today if today in days else today - 1
            while d in days:
                streak += 1
                d -= 1
            assert stats["streak"]["days"] == streak
            missed = sql(f"""SELECT f.key, COUNT(*) {effective.replace('FROM review r',
                             'FROM review r JOIN card c ON c.id = r.card_id '
                             'JOIN fact f ON f.id = c.fact_id')}
                             AND r.correct = 0 GROUP BY f.key ORDER BY 2 DESC, 1 LIMIT 10""")
            assert [(m["fact_id"], m["misses"]) for m in stats["most_missed"]] == [
                tuple(x) for x in missed]
            due = sql("SELECT COUNT(*) FROM card WHERE profile_id = :p AND suspended = 0 "
                      "AND state > 0")[0][0]
            forecast_total = sum(x["due"] for x in stats["due_forecast"])
            assert forecast_total <= due
            mastered = stats["mastery"]["total"]
            assert mastered["facts"] == len(deck.facts) - 4  # the facts studied
            assert 0 < mastered["mastered"] <= mastered["facts"]
            kinds = {k["kind"]: k for k in stats["mastery"]["kinds"]}
            assert set(kinds) == {"date", "number", "quote", "person"}
            assert sum(k["mastered"] for k in kinds.values()) == mastered["mastered"]
