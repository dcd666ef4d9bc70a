"""Progress figures on a hand-written review log in a real SQLite file."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.scheduling import CardState, day_date, day_start, study_day
from quizapp.services.collection import Collection
from quizapp.services.profiles import create_profile, update_profile_settings
from quizapp.storage.models import CardRow, FactRow, ReviewRow
from quizapp.storage.reviewstate import review_state_columns
from quizapp.storage.stats import profile_stats

# Tests taking log run on SQLite and, when a server is given, on PostgreSQL.
pytestmark = pytest.mark.both_backends

NOW = datetime(2024, 5, 20, 15, 0, tzinfo=UTC)
TODAY = study_day(NOW, 4, "UTC")


def _deck() -> Deck:
    facts = (
        Fact(id="d-one", kind=FactKind.DATE, text="2020", value="2020", start=0, end=4,
             sentence="In 2020 it began.", stem="When did it begin?", event="Began"),
        Fact(id="n-two", kind=FactKind.NUMBER, text="4", value=4.0, counts="helicopters",
             start=0, end=1, sentence="4 helicopters came.", stem="How many came?"),
        Fact(id="qa-three", kind=FactKind.QA, front="Capital of Peru?", back="Lima"),
        Fact(id="qa-four", kind=FactKind.QA, front="Capital of Chile?", back="Santiago"),
    )
    return Deck(id="stats", name="Stats deck", facts=facts)


class Log:
    """Writes review rows and card states directly, as a test fixture."""

    def __init__(self, url: str) -> None:
        self.col = Collection.open(url, first_start=False)
        self.col.import_deck(_deck())
        self.pid = create_profile(self.col, "P", NOW).id
        update_profile_settings(self.col, self.pid, timezone="UTC")
        with self.col.session() as s:
            rows = s.exec(select(CardRow.id, FactRow.key)
                          .join(FactRow, FactRow.id == CardRow.fact_id)  # type: ignore[arg-type]
                          .where(CardRow.profile_id == self.pid)).all()
        self.cards: dict[str, int] = {k: cid for cid, k in rows if cid is not None}
        assert len(self.cards) == len(rows)  # one card (memory) per fact

    def card(self, fact: str, **values: Any) -> int:
        cid = self.cards[fact]
        with self.col.transaction() as s:
            row = s.get(CardRow, cid)
            assert row is not None
            for k, v in values.items():
                setattr(row, k, v)
            s.add(row)
        return int(cid)

    def answer(self, fact: str, *, day: int = TODAY,
               correct: bool = True, kind: str = "study", state_before: int = 2,
               at: datetime | None = None, given: str | None = None,
               choices: list[str] | None = None, cancels: int | None = None,
               form: str = "typed") -> int:
        when = at or (NOW - timedelta(days=TODAY - day))
        with self.col.transaction() as s:
            row = ReviewRow(card_id=self.cards[fact], profile_id=self.pid,
                            reviewed_at=when, study_day=day, kind=kind, form=form,
                            given=given, choices=json.dumps(choices) if choices else None,
                            correct=correct, rating=3 if correct else 1,
                            **review_state_columns(CardState(state=state_before),
                                                   CardState(state=2)), cancels_id=cancels)
            s.add(row)
            s.flush()
            assert row.id is not None
            return row.id

    def undo(self, review_id: int, day: int = TODAY) -> int:
        with self.col.transaction() as s:
            row = ReviewRow(card_id=self.cards["qa-three"], profile_id=self.pid,
                            reviewed_at=NOW, study_day=day, kind="undo", cancels_id=review_id)
            s.add(row)
            s.flush()
            assert row.id is not None
            return row.id

    def stats(self, now: datetime = NOW) -> dict[str, Any]:
        result = profile_stats(self.col, self.pid, now)
        json.dumps(result)
        return result


@pytest.fixture
def log(db_url: str) -> Iterator[Log]:
    made = Log(db_url)
    yield made
    made.col.close()


def test_empty_profile(log: Log) -> None:
    stats = log.stats()
    assert stats["profile"] == {"id": log.pid, "name": "P"}
    assert stats["study_day"] == TODAY and stats["date"] == "2024-05-20"
    assert stats["reviews_per_day"] == []
    assert stats["streak"] == {"days": 0, "studied_today": False}
    assert stats["retention"] == {"days": 30, "reviews": 0, "correct": 0, "rate": None}
    assert stats["cards"] == {"new": 4, "learning": 0, "review": 0, "relearning": 0,
                              "suspended": 0, "buried": 0, "total": 4}
    assert len(stats["due_forecast"]) == 30 and all(d["due"] == 0
                                                    for d in stats["due_forecast"])
    assert stats["mastery"]["total"] == {"facts": 4, "mastered": 0}
    assert stats["most_missed"] == [] and stats["wrong_choices"] == [] and stats["leeches"] == []


def test_reviews_per_day_group_by_the_stored_study_day(log: Log) -> None:
    # 02:00 UTC on May 20 is still May 19's study day (rollover 4 AM): the stored day counts.
    early = datetime(2024, 5, 20, 2, 0, tzinfo=UTC)
    log.answer("qa-three", day=TODAY - 1, at=early)
    log.answer("qa-three", day=TODAY - 1, at=early, correct=False)
    log.answer("qa-four", day=TODAY)
    log.answer("qa-four", day=TODAY, kind="test")
    log.answer("qa-four", day=TODAY - 400)  # older than a year: left out
    cancelled = log.answer("qa-four", day=TODAY)
    log.undo(cancelled)
    days = log.stats()["reviews_per_day"]
    assert days == [
        {"study_day": TODAY - 1, "date": "2024-05-19", "reviews": 2, "correct": 1, "tests": 0},
        {"study_day": TODAY, "date": "2024-05-20", "reviews": 1, "correct": 1, "tests": 1},
    ]


def test_streak(log: Log) -> None:
    for back in (1, 2, 3, 5):
        log.answer("qa-three", day=TODAY - back)
    log.answer("qa-three", day=TODAY - 4, kind="test")  # tests do not keep a streak
    assert log.stats()["streak"] == {"days": 3, "studied_today": False}
    log.answer("qa-three", day=TODAY)
    assert log.stats()["streak"] == {"days": 4, "studied_today": True}
    # Two days without study break it.
    assert log.stats(NOW + timedelta(days=2))["streak"] == {"days": 0, "studied_today": False}


def test_a_streak_longer_than_the_per_day_window(log: Log) -> None:
    for back in range(400):
        log.answer("qa-three", day=TODAY - back)
    stats = log.stats()
    assert len(stats["reviews_per_day"]) == 365
    assert stats["streak"] == {"days": 400, "studied_today": True}


def test_true_retention(log: Log) -> None:
    log.answer("qa-three", correct=True)
    log.answer("qa-three", correct=False)
    log.answer("qa-four", correct=True, day=TODAY - 29)
    log.answer("qa-four", correct=False, day=TODAY - 30)  # outside the 30 days
    log.answer("qa-four", correct=False, state_before=1)  # learning: not a review
    log.answer("qa-four", correct=False, state_before=3)  # relearning: not a review
    log.answer("qa-four", correct=False, kind="test")  # practice test: left out
    undone = log.answer("qa-four", correct=False)
    log.undo(undone)  # cancelled: left out
    wrong = log.answer("d-one", correct=False)
    log.answer("d-one", correct=True, kind="overrule", cancels=wrong)  # counts as right
    assert log.stats()["retention"] == {"days": 30, "reviews": 4, "correct": 3, "rate": 0.75}


def test_cards_by_state_and_due_forecast(log: Log) -> None:
    log.card("qa-three", state=2, due=NOW - timedelta(days=3))  # overdue: today
    log.card("qa-four", state=1, due=NOW + timedelta(minutes=5))
    log.card("d-one", state=3, due=NOW + timedelta(days=45))  # beyond 30 days
    log.card("n-two", state=2, due=NOW + timedelta(days=2), suspended=True)
    stats = log.stats()
    assert stats["cards"] == {"new": 0, "learning": 1, "review": 1, "relearning": 1,
                              "suspended": 1, "buried": 0, "total": 4}
    forecast = stats["due_forecast"]
    assert [d["study_day"] for d in forecast] == list(range(TODAY, TODAY + 30))
    assert forecast[0]["due"] == 2
    assert sum(d["due"] for d in forecast) == 2
    log.card("n-two", suspended=False)
    forecast = log.stats()["due_forecast"]
    assert forecast[2]["due"] == 1 and sum(d["due"] for d in forecast) == 3


def test_due_forecast_day_ends(log: Log) -> None:
    """A card due at a study day's end falls on the next day; one due at the end of
    the 30th day is beyond the forecast; one due long ago counts today."""
    ends = [day_start(TODAY + i + 1, 4, "UTC") for i in range(30)]
    tick = timedelta(microseconds=1)
    log.card("qa-three", state=2, due=ends[0] - tick)  # today's last moment
    log.card("qa-four", state=2, due=ends[0])  # tomorrow's first
    log.card("d-one", state=1, due=ends[28])  # the 30th day's first moment
    log.card("n-two", state=3, due=ends[29])  # the day after the forecast
    due = [d["due"] for d in log.stats()["due_forecast"]]
    assert due == [1, 1] + [0] * 27 + [1]
    log.card("n-two", due=ends[29] - tick)  # the 30th day's last moment
    log.card("qa-four", due=datetime(2000, 1, 1, tzinfo=UTC))  # long overdue: today
    log.card("qa-three", due=ends[14] - tick)  # the 15th day's last moment
    due = [d["due"] for d in log.stats()["due_forecast"]]
    assert due == [1] + [0] * 13 + [1] + [0] * 14 + [2]


def test_mastery_needs_a_stable_memory_and_a_right_last_answer(log: Log) -> None:
    log.card("qa-three", state=2, stability=30.0)
    log.answer("qa-three", at=NOW - timedelta(days=2))
    log.card("qa-four", state=2, stability=30.0)
    log.answer("qa-four", at=NOW - timedelta(days=3))
    log.answer("qa-four", correct=False, form="flashcard",
               at=NOW - timedelta(days=1))  # last: wrong (in either family)
    log.card("d-one", state=2, stability=20.9)
    log.answer("d-one", at=NOW - timedelta(days=1))
    log.card("n-two", state=2, stability=25.0)
    log.answer("n-two", at=NOW - timedelta(days=4))
    wrong = log.answer("n-two", correct=False, at=NOW - timedelta(days=1))
    log.undo(wrong)  # the wrong answer was undone: the last answer is right again
    mastery = log.stats()["mastery"]
    assert mastery["threshold_days"] == 21.0
    assert mastery["total"] == {"facts": 4, "mastered": 2}
    assert mastery["decks"] == [{"deck_id": mastery["decks"][0]["deck_id"],
                                 "deck": "Stats deck", "facts": 4, "mastered": 2}]
    assert {k["kind"]: (k["facts"], k["mastered"]) for k in mastery["kinds"]} == {
        "date": (1, 0), "number": (1, 1), "qa": (2, 1)}


def test_most_missed_wrong_choices_and_leeches(log: Log) -> None:
    for _ in range(3):
        log.answer("n-two", correct=False, form="choice", given="6",
                   choices=["2", "4", "6", "12"])
    log.answer("n-two", correct=False, form="choice", given="12",
               choices=["2", "4", "6", "12"])
    log.answer("d-one", correct=False, given="2019")
    log.answer("d-one", correct=True)
    undone = log.answer("qa-three", correct=False)
    log.undo(undone)
    stats = log.stats()
    assert [(m["fact_id"], m["misses"], m["answers"]) for m in stats["most_missed"]] == [
        ("n-two", 4, 4), ("d-one", 1, 2)]
    assert stats["most_missed"][0]["kind"] == "number"
    assert [(w["fact_id"], w["given"], w["times"]) for w in stats["wrong_choices"]] == [
        ("n-two", "6", 3), ("n-two", "12", 1)]
    # A leech: 8 lapses or more, with the family it was last asked in; suspended only
    # when the learner suspended it.
    leech = log.card("qa-four", state=3, lapses=9, family="recall")
    log.card("qa-three", state=2, lapses=7)
    assert log.stats()["leeches"] == [{"card_id": str(leech), "fact_id": "qa-four",
                                       "deck": "Stats deck", "family": "recall", "lapses": 9,
                                       "suspended": False}]


def test_retired_facts_are_left_out(log: Log) -> None:
    log.card("qa-four", state=2, due=NOW, lapses=8)
    deck = _deck()
    log.col.import_deck(Deck(id=deck.id, name=deck.name, facts=deck.facts[:3]))
    stats = log.stats()
    assert stats["cards"]["total"] == 3
    assert stats["leeches"] == [] and stats["mastery"]["total"]["facts"] == 3


def test_overrules_count_under_the_overruled_kind_and_undone_rows_drop_out(log: Log) -> None:
    wrong_test = log.answer("qa-three", correct=False, kind="test", day=TODAY - 1)
    log.answer("qa-three", correct=True, kind="overrule", cancels=wrong_test, day=TODAY - 1)
    wrong = log.answer("qa-four", correct=False, day=TODAY - 1)
    overrule = log.answer("qa-four", correct=True, kind="overrule", cancels=wrong, day=TODAY - 1)
    log.undo(overrule)  # the overrule is taken back; the wrong answer stays cancelled
    log.answer("d-one", correct=False, day=TODAY - 1, state_before=2)
    stats = log.stats()
    assert stats["reviews_per_day"] == [
        {"study_day": TODAY - 1, "date": "2024-05-19", "reviews": 1, "correct": 0, "tests": 1}]
    assert stats["retention"] == {"days": 30, "reviews": 1, "correct": 0, "rate": 0.0}
    missed = {m["fact_id"]: (m["misses"], m["answers"]) for m in stats["most_missed"]}
    assert missed == {"d-one": (1, 1)}  # overruled and undone misses are no misses


def test_buried_cards_of_retired_facts_are_left_out(log: Log) -> None:
    log.card("qa-four", state=2, due=NOW + timedelta(days=1), buried_until=TODAY)
    log.card("n-two", state=2, due=NOW + timedelta(days=1), suspended=True)
    log.card("qa-three", state=1, due=NOW, buried_until=TODAY)
    log.card("d-one", state=2, due=NOW, buried_until=TODAY - 1)  # not now
    before = log.stats()
    assert before["cards"] == {"new": 0, "learning": 0, "review": 1, "relearning": 0,
                               "suspended": 1, "buried": 2, "total": 4}
    assert [d["due"] for d in before["due_forecast"][:2]] == [2, 1]
    deck = _deck()
    log.col.import_deck(Deck(id=deck.id, name=deck.name, facts=deck.facts[:3]))  # retires qa-four
    after = log.stats()
    assert after["cards"] == {"new": 0, "learning": 0, "review": 1, "relearning": 0,
                              "suspended": 1, "buried": 1, "total": 3}
    assert [d["due"] for d in after["due_forecast"][:2]] == [2, 0]


def test_the_last_answer_at_the_same_moment_is_the_later_row(log: Log) -> None:
    log.card("qa-three", state=2, stability=30.0)
    at = NOW - timedelta(days=1)
    log.answer("qa-three", correct=True, form="flashcard", at=at)
    log.answer("qa-three", correct=False, at=at)  # same time, written later: last
    assert log.stats()["mastery"]["total"] == {"facts": 4, "mastered": 0}
    log.answer("qa-three", correct=True, form="flashcard", at=at)
    assert log.stats()["mastery"]["total"] == {"facts": 4, "mastered": 1}


@pytest.mark.sqlite_only
def test_stats_run_a_fixed_number_of_aggregate_queries(log: Log) -> None:
    def statements() -> list[tuple[str, list[str]]]:
        # Every SELECT sent to SQLite (through SQLAlchemy or the driver), values
        # inlined, with its plan.
        from tests.test_counts_decks import sqlite_plans

        return sqlite_plans(log.col, log.stats)

    def check_plans(seen: list[tuple[str, list[str]]]) -> None:
        used: set[str] = set()
        for sql, plan in seen:
            flat = " ".join(sql.split()).upper()
            used.update(w for p in plan for w in p.split() if w.startswith("ix_"))
            # No statement scans the review log or the cards, under any alias;
            # cancellation and last-answer probes go through an index.
            scans = [p for p in plan if p.startswith("SCAN ")
                     and p.split()[1] in ("review", "r", "o", "lr", "r3", "cancel_x",
                                          "card", "c", "c2", "c3")]
            assert not scans, (flat, plan)
            for member in flat.replace("(SELECT MAX(ID) FROM REVIEW)", "").split(" UNION ALL "):
                if re.search(r"FROM REVIEW\b", member):
                    # each member reading the log is grouped or limited; else the
                    # rows newer than the kept day totals (a range of the key)
                    assert ("GROUP BY" in member or "COUNT(" in member or "LIMIT" in member
                            or any("INTEGER PRIMARY KEY (rowid>?)" in p for p in plan)), (
                        member, plan)
        # Every pass reads the schema-3 index made for it.
        assert {"ix_review_day_cover", "ix_review_card_cover", "ix_review_wrong",
                "ix_review_wrong_choice", "ix_review_cancels", "ix_card_due", "ix_card_mastery",
                "ix_card_leech", "ix_card_buried", "ix_fact_retired"} <= used, used

    # The first reading keeps the totals of closed days; the next reads them.
    first = statements()
    check_plans(first)  # no planner statistics, as a new file has
    small = statements()
    check_plans(small)
    ids = [log.answer("qa-three", day=TODAY - day % 60, correct=day % 3 != 0)
           for day in range(300)]
    # Enough cards (one per fact) that a lookup by id beats reading them all.
    log.col.import_deck(Deck(id="more", name="More", facts=tuple(
        Fact(id=f"qa-{i}", kind=FactKind.QA, front=f"Q{i}?", back=f"A{i}") for i in range(40))))
    with log.col.engine.connect() as conn:  # statistics as PRAGMA optimize would leave them
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    for review_id in ids[::60]:
        log.undo(review_id)
    # Answers and undos on 60 closed days: counted again from the log in one range.
    again = statements()
    check_plans(again)
    assert len(again) <= len(first) + 6
    large = statements()
    assert len(small) == len(large)
    check_plans(large)


def test_stats_accept_a_session(log: Log) -> None:
    with log.col.session() as s:
        assert profile_stats(s, log.pid, NOW)["profile"]["name"] == "P"
    with pytest.raises(LookupError):
        profile_stats(log.col, 999, NOW)


def _from_log(log: Log, today: int = TODAY) -> dict[int, list[int]]:
    """Every study day's five counts, read from the whole log (no kept totals)."""
    from quizapp.storage.stats import _FIRST_DAY, _log_days, _statements

    with log.col.engine.connect() as conn:
        return _log_days(conn, _statements(conn.dialect.name), log.pid, _FIRST_DAY, today)


def _kept(log: Log) -> tuple[tuple[int, int] | None, dict[int, list[int]]]:
    """The kept mark (through day, through id) and totals per day of the profile."""
    from sqlalchemy import text

    with log.col.engine.connect() as conn:
        mark = conn.execute(text("SELECT through_day, through_id FROM review_day_mark "
                                 "WHERE profile_id = :p"), {"p": log.pid}).first()
        days = {int(r[0]): [int(x) for x in r[1:]] for r in conn.execute(text(
            "SELECT study_day, reviews, correct, tests, in_review, in_review_correct "
            "FROM review_day WHERE profile_id = :p"), {"p": log.pid})}
    return (None if mark is None else (int(mark[0]), int(mark[1]))), days


def _expected(log: Log, today: int = TODAY) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The per-day answers and the 30-day retention as the log alone gives them."""
    days = {d: v for d, v in _from_log(log, today).items() if d > today - 365}
    per_day = [{"study_day": d, "date": day_date(d).isoformat(), "reviews": v[0],
                "correct": v[1], "tests": v[2]} for d, v in sorted(days.items())]
    recent = [v for d, v in days.items() if d > today - 30]
    n, right = sum(v[3] for v in recent), sum(v[4] for v in recent)
    return per_day, {"days": 30, "reviews": n, "correct": right,
                     "rate": right / n if n else None}


def test_day_totals_are_kept_for_closed_days_and_counted_again_where_a_later_row_changes_one(
        log: Log) -> None:
    answers = {}
    for back in range(40):
        day = TODAY - back
        answers[day] = log.answer("qa-three", day=day, correct=back % 3 != 0,
                                  state_before=2 if back % 2 else 1)
        if back % 5 == 0:
            log.answer("qa-four", day=day, kind="test", correct=back % 2 == 0)
    assert _kept(log) == (None, {})
    first = log.stats()
    assert (first["reviews_per_day"], first["retention"]) == _expected(log)
    # The first reading kept every closed day (not today) as the log counts it.
    mark, kept = _kept(log)
    assert mark is not None and mark[0] == TODAY - 1
    assert kept == {d: v for d, v in _from_log(log).items() if d < TODAY}
    assert log.stats() == first  # read from the kept totals: the same figures
    # Rows newer than the totals that change closed days: an undo today of an
    # answer ten days back, an overrule of a wrong answer twenty-one days back, an
    # answer stored on a closed day (as a profile file brings them); and today's.
    log.undo(answers[TODAY - 9])
    log.answer("qa-three", day=TODAY, kind="overrule", cancels=answers[TODAY - 21],
               correct=True)
    log.answer("qa-four", day=TODAY - 3, correct=False)
    log.answer("qa-four", day=TODAY, correct=True)
    after = log.stats()
    assert (after["reviews_per_day"], after["retention"]) == _expected(log)
    assert after["reviews_per_day"] != first["reviews_per_day"]
    mark, kept = _kept(log)
    assert kept == {d: v for d, v in _from_log(log).items() if d < TODAY}
    # The next study day: today's answers join the kept totals.
    tomorrow = NOW + timedelta(days=1)
    later = log.stats(tomorrow)
    assert (later["reviews_per_day"], later["retention"]) == _expected(log, TODAY + 1)
    mark, kept = _kept(log)
    assert mark is not None and mark[0] == TODAY
    assert kept == {d: v for d, v in _from_log(log, TODAY + 1).items() if d <= TODAY}
    # Read inside a caller's session, the figures are the same and nothing is kept.
    log.answer("qa-four", day=TODAY + 1)
    with log.col.session() as s:
        two_days = profile_stats(s, log.pid, NOW + timedelta(days=2))
    assert (two_days["reviews_per_day"], two_days["retention"]) == _expected(log, TODAY + 2)
    assert _kept(log)[0] == mark
    # Deleting a profile deletes its answers (SQLite may give their ids to the next
    # answers): every other profile's totals are counted again.
    from quizapp.services.profiles import delete_profile

    other = create_profile(log.col, "Q", NOW).id
    delete_profile(log.col, other)
    assert _kept(log)[0] is None
    again = log.stats(tomorrow)
    assert (again["reviews_per_day"], again["retention"]) == _expected(log, TODAY + 1)
    assert (_kept(log)[0] or (0, 0))[0] == TODAY
    assert _kept(log)[1] == {d: v for d, v in _from_log(log, TODAY + 1).items() if d <= TODAY}
    # Deleting a deck deletes its answers: every profile's totals are counted again.
    from quizapp.browse import delete_deck

    with log.col.session() as s:
        deck = s.exec(select(FactRow.deck_id).where(FactRow.key == "qa-three")).one()
    delete_deck(log.col, deck)
    assert _kept(log) == (None, {})
    gone = log.stats(tomorrow)
    assert gone["reviews_per_day"] == [] and _kept(log)[1] == {}


@pytest.mark.sqlite_only
def test_day_totals_wait_for_no_other_writer(log: Log, tmp_path: Any) -> None:
    """While another connection holds SQLite's write lock (a long import), the figures are
    counted from the log and nothing is kept; the next reading keeps them."""
    import sqlite3

    from sqlalchemy import text

    for back in range(5):
        log.answer("qa-three", day=TODAY - back, correct=back % 2 == 0)
    path = log.col.engine.url.database
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        locked = log.stats()
        assert (locked["reviews_per_day"], locked["retention"]) == _expected(log)
        assert _kept(log) == (None, {})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert log.stats() == locked
    assert _kept(log)[0] is not None
    with log.col.engine.connect() as conn:  # the pool's connections wait as before
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10000


@pytest.mark.sqlite_only
def test_the_figures_shown_first_are_two_statements(log: Log) -> None:
    from quizapp.storage.stats import _common, _connection, _statements
    from tests.test_counts_decks import sqlite_plans

    for day in range(40):
        log.answer("qa-three", day=TODAY - day, correct=day % 3 != 0)
    log.card("qa-four", state=2, due=NOW + timedelta(days=2), buried_until=TODAY)

    def first() -> tuple[Any, ...]:
        with _connection(log.col) as conn:
            return _common(conn, _statements(conn.dialect.name), log.pid, NOW, keep=True)

    first()  # keeps the totals of the closed days
    seen = sqlite_plans(log.col, first)
    # The profile with the kept mark, then everything else in one statement.
    assert len(seen) == 2, [s for s, _ in seen]
    _name, today, per_day, retention, cards, forecast = first()
    stats = log.stats()
    assert (today, per_day, retention, cards, forecast) == (
        stats["study_day"], stats["reviews_per_day"], stats["retention"], stats["cards"],
        stats["due_forecast"])
    assert cards["buried"] == 1 and len(per_day) == 40


@pytest.mark.sqlite_only
def test_a_reading_of_an_unchanged_database_returns_the_last_figures_and_any_change_is_seen(
        log: Log) -> None:
    """On SQLite an unchanged database gives the last reading's figures after one
    statement; every change since (an answer, overrule and undo through a study
    session, an edit, an import, another connection's commit, a change in a
    transaction rolled back) and a new study day give figures equal to a reading
    on a fresh connection."""
    import sqlite3

    from sqlalchemy import update

    from quizapp.study import StudySession
    from tests.test_counts_decks import sqlite_plans

    url = str(log.col.engine.url)
    for back in range(3):
        log.answer("qa-three", day=TODAY - back, correct=back != 1)

    def fresh(now: datetime = NOW) -> dict[str, Any]:
        """The figures as a new connection reads them (a session's: nothing kept)."""
        with Collection.open(url, first_start=False) as other, other.session() as s:
            return profile_stats(s, log.pid, now)

    def seen(now: datetime = NOW) -> dict[str, Any]:
        got = log.stats(now)
        assert got == fresh(now)
        return got

    first = seen()
    again = seen()
    assert again == first
    again["reviews_per_day"][0]["reviews"] = 99  # the caller's own copy
    again["cards"]["new"] = 99
    assert seen() == first
    # A reading on new connections sends n statements; two readings, 2n - 1: the
    # second sends the first statement (the head) and not the body.
    n = len(sqlite_plans(log.col, log.stats))
    traced = [s for s, _ in sqlite_plans(log.col, lambda: (log.stats(), log.stats()))]
    assert len(traced) == 2 * n - 1
    assert len([s for s in traced if "review_day_mark" in s]) == 2
    figures = ("reviews_per_day", "retention", "cards", "due_forecast", "streak")

    sitting = StudySession(log.col, log.pid)
    question = sitting.next_question(NOW)
    assert question is not None
    wrong = sitting.answer_flashcard(question, 1, NOW, 2000)
    answered = seen()
    assert answered["reviews_per_day"] != first["reviews_per_day"]
    sitting.overrule(wrong.review_id, NOW)
    overruled = seen()
    assert overruled["reviews_per_day"][-1]["correct"] == answered["reviews_per_day"][-1][
        "correct"] + 1
    assert sitting.undo(NOW) is not None  # the answer and its overrule
    undone = seen()
    assert {k: undone[k] for k in figures} == {k: first[k] for k in figures}

    log.card("qa-four", suspended=True)
    edited = seen()
    assert edited["cards"]["suspended"] == undone["cards"]["suspended"] + 1

    log.col.import_deck(Deck(id="more", name="More", facts=(
        Fact(id="qa-five", kind=FactKind.QA, front="Capital of Spain?", back="Madrid"),)))
    imported = seen()
    assert imported["cards"]["total"] == edited["cards"]["total"] + 1

    path = log.col.engine.url.database
    assert path is not None
    other = sqlite3.connect(path)
    with other:
        other.execute("UPDATE card SET suspended = 0 WHERE id = ?", (log.cards["qa-four"],))
    other.close()
    committed = seen()
    assert committed["cards"]["suspended"] == imported["cards"]["suspended"] - 1

    with log.col.session() as s:  # one connection: changed rows, read, rolled back
        s.exec(update(CardRow).where(CardRow.id == log.cards["d-one"])  # type: ignore[arg-type]
               .values(suspended=True))
        inside = profile_stats(s, log.pid, NOW)
        assert inside["cards"]["suspended"] == committed["cards"]["suspended"] + 1
        s.rollback()
        assert profile_stats(s, log.pid, NOW) == committed

    tomorrow = seen(NOW + timedelta(days=1))
    assert tomorrow["study_day"] == TODAY + 1
    assert tomorrow["due_forecast"] != committed["due_forecast"]
    assert {k: committed[k] for k in figures} == {k: seen()[k] for k in figures}
