"""The deck list's counts (quizapp.services.counts.deck_counts) against the repository's
own counting, on real SQLite files and, when a server is given, on PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, text

from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.scheduling import day_start, study_day
from quizapp.services.collection import Collection
from quizapp.services.counts import DeckCounts, deck_counts, due_reviews, study_counts
from quizapp.services.profiles import create_profile, update_profile_settings
from quizapp.storage import repository as repo
from quizapp.storage.dialect import PlainSql

pytestmark = pytest.mark.both_backends

NOW = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def qa_deck(deck_id: str, name: str, n: int, skip: int | None = None) -> Deck:
    facts = tuple(Fact(id=f"{deck_id}-{i:03d}", kind=FactKind.QA, front=f"Question {i}?",
                       back=f"answer {i}") for i in range(n) if i != skip)
    return Deck(id=deck_id, name=name, facts=facts)


@pytest.fixture
def url(db_url: str, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'q.sqlite3'}" if db_url.startswith("sqlite") else db_url


def expected(col: Collection, profile_id: int, now: datetime) -> list[DeckCounts]:
    """What the deck list showed before: the repository's per-state counts and due_reviews,
    and the new facts of today as the study screen counts them (study_counts)."""
    with col.session() as s:
        decks = repo.list_decks(s)
        counts = repo.card_counts(s, profile_id)
    due = due_reviews(col, profile_id, now)
    return [DeckCounts(d.id or 0, d.key, d.name, d.description,
                       counts.get(d.id or 0, {}).get("new", 0),
                       counts.get(d.id or 0, {}).get("learning", 0),
                       due.get(d.id or 0, 0),
                       counts.get(d.id or 0, {}).get("total", 0),
                       study_counts(col, profile_id, d.id or 0, now).new_left)
            for d in decks]


def set_cards(col: Collection, sql: str, **params: object) -> None:
    with col.transaction() as s:
        s.execute(text(sql), params)


def stored(moment: datetime) -> object:
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def test_deck_counts_match_the_repository_counts(url: str) -> None:
    col = Collection.open(url, first_start=False)
    try:
        col.import_deck(qa_deck("b-deck", "Beta", 12))
        col.import_deck(qa_deck("a-deck", "Alpha", 8))
        col.import_deck(Deck(id="empty", name="Gamma (empty)", description="nothing yet"))
        profile = create_profile(col, "P", NOW)
        other = create_profile(col, "Q", NOW)
        update_profile_settings(col, profile.id, timezone="UTC")
        pid = profile.id
        today = study_day(NOW, 4, "UTC")
        end_today = day_start(today + 1, 4, "UTC")
        is_pg = not url.startswith("sqlite")

        def when(moment: datetime) -> object:
            return moment if is_pg else stored(moment)

        true = "true" if is_pg else "1"
        with col.session() as s:
            ids = [int(r[0]) for r in s.execute(text(
                "SELECT c.id FROM card c JOIN fact f ON f.id = c.fact_id "
                "WHERE c.profile_id = :p ORDER BY f.key, c.family"), {"p": pid})]
        review = "UPDATE card SET state = 2, due = :due WHERE id = :c"
        set_cards(col, review, c=ids[0], due=when(NOW - timedelta(days=2)))  # due
        set_cards(col, review, c=ids[1], due=when(end_today - timedelta(seconds=1)))  # due
        set_cards(col, review, c=ids[2], due=when(end_today))  # due tomorrow
        set_cards(col, review, c=ids[3], due=when(NOW))
        set_cards(col, f"UPDATE card SET suspended = {true} WHERE id = :c", c=ids[3])
        set_cards(col, review, c=ids[4], due=when(NOW))
        set_cards(col, "UPDATE card SET buried_until = :d WHERE id = :c", c=ids[4], d=today)
        set_cards(col, review, c=ids[5], due=when(NOW))
        set_cards(col, "UPDATE card SET buried_until = :d WHERE id = :c", c=ids[5], d=today - 1)
        set_cards(col, "UPDATE card SET state = 1, due = :due WHERE id = :c", c=ids[6],
                  due=when(NOW))
        set_cards(col, "UPDATE card SET state = 3, due = :due WHERE id = :c", c=ids[7],
                  due=when(NOW))
        set_cards(col, "UPDATE card SET state = 3, due = :due, suspended = "
                  f"{true} WHERE id = :c", c=ids[8], due=when(NOW))
        set_cards(col, f"UPDATE card SET suspended = {true} WHERE id = :c", c=ids[9])
        # A due card of a fact that is then retired (left out of the re-imported deck).
        set_cards(col, review, c=ids[10], due=when(NOW - timedelta(days=1)))
        with col.session() as s:
            key = s.execute(text("SELECT f.key FROM card c JOIN fact f ON f.id = c.fact_id "
                                 "WHERE c.id = :c"), {"c": ids[10]}).one()[0]
        deck_key, number = key.rsplit("-", 1)
        name = "Alpha" if deck_key == "a-deck" else "Beta"
        size = 8 if deck_key == "a-deck" else 12
        col.import_deck(qa_deck(deck_key, name, size, skip=int(number)))
        with col.session() as s:
            assert s.execute(text("SELECT retired FROM fact WHERE key = :k"),
                             {"k": key}).one()[0] in (True, 1)

        got = deck_counts(col, pid, NOW)
        assert got == expected(col, pid, NOW)
        assert [d.name for d in got] == ["Alpha", "Beta", "Gamma (empty)"]
        assert got[2] == DeckCounts(got[2].deck_id, "empty", "Gamma (empty)", "nothing yet",
                                    0, 0, 0, 0)
        assert sum(d.due for d in got) == 3  # ids 0, 1 and 5 (4 is buried, 10 retired)
        assert sum(d.learning for d in got) == 2
        assert sum(d.total for d in got) == (8 + 12) - 1  # one card per fact; one retired
        # The other profile's cards are untouched: everything new.
        assert deck_counts(col, other.id, NOW) == expected(col, other.id, NOW)
        assert sum(d.new for d in deck_counts(col, other.id, NOW)) == (8 + 12) - 1
        # A day later the card due tomorrow is due too, and the buried one is back.
        later = NOW + timedelta(days=1)
        assert deck_counts(col, pid, later) == expected(col, pid, later)
        assert sum(d.due for d in deck_counts(col, pid, later)) == 5
        with pytest.raises(repo.NotFoundError):
            deck_counts(col, 999_999, NOW)
    finally:
        col.close()


def test_plain_sql_binds_times_like_the_orm(url: str) -> None:
    col = Collection.open(url, first_start=False)
    try:
        col.import_deck(qa_deck("d", "D", 3))
        profile = create_profile(col, "P", NOW)
        set_cards(col, "UPDATE card SET due = :due", due=NOW if not url.startswith("sqlite")
                  else stored(NOW))
        count = PlainSql("SELECT count(*) FROM card WHERE profile_id = :p AND due < :t "
                         "AND suspended = :no")
        assert count.rows(col, {"p": profile.id, "t": NOW, "no": False}) == [(0,)]
        assert count.rows(col, {"p": profile.id, "t": NOW + timedelta(microseconds=1),
                                "no": False}) == [(3,)]  # one card per fact
        with pytest.raises(ValueError, match="naive"):
            count.rows(col, {"p": profile.id, "t": NOW.replace(tzinfo=None), "no": False})
        with pytest.raises(KeyError):
            count.rows(col, {"p": profile.id})
    finally:
        col.close()


def test_plain_sql_rewrites_parameters_per_driver() -> None:
    sql = PlainSql("SELECT a FROM t WHERE a = :x AND b IN (:y, :x) AND c = 'a::b'")
    assert sql.names == ("x", "y", "x")
    assert sql.form("sqlite") == "SELECT a FROM t WHERE a = ? AND b IN (?, ?) AND c = 'a::b'"
    assert sql.form("postgresql") == ("SELECT a FROM t WHERE a = %(x)s AND b IN (%(y)s, "
                                      "%(x)s) AND c = 'a::b'")
    with pytest.raises(ValueError, match="%"):
        PlainSql("SELECT 1 WHERE 'a' LIKE '%a'")


def sqlite_plans(col: Collection, run: Callable[[], object]) -> list[tuple[str, list[str]]]:
    """Each SELECT that ``run`` sends to SQLite (values inlined) with its query plan."""
    seen: list[str] = []

    def trace(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.set_trace_callback(seen.append)

    col.engine.dispose()  # new pooled connections, each traced
    event.listen(col.engine, "connect", trace)
    try:
        run()
    finally:
        event.remove(col.engine, "connect", trace)
        col.engine.dispose()
    statements = [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    with col.engine.connect() as conn:
        return [(s, [r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + s)])
                for s in statements]


def test_deck_counts_spell_the_partial_index_conditions_as_the_schema() -> None:
    from quizapp.storage import counts
    from quizapp.storage.models import BURIED_WHERE, RETIRED_WHERE, spelled

    statement = counts._DECK_COUNTS.text
    assert statement.count(spelled(RETIRED_WHERE, "f")) == 2
    assert spelled(BURIED_WHERE, "c") in statement


@pytest.mark.sqlite_only
def test_deck_counts_read_the_deck_index_with_and_without_statistics(tmp_path: Path) -> None:
    col = Collection.open(f"sqlite:///{tmp_path / 'q.sqlite3'}", first_start=False)
    try:
        for i in range(3):
            col.import_deck(qa_deck(f"deck-{i}", f"Deck {i}", 40))
        pid = create_profile(col, "P", NOW).id
        create_profile(col, "Q", NOW)
        set_cards(col, "UPDATE card SET state = 2, due = :due WHERE id % 3 = 0",
                  due=stored(NOW - timedelta(days=1)))
        set_cards(col, "UPDATE card SET state = 1 WHERE id % 7 = 0")
        col.import_deck(qa_deck("deck-0", "Deck 0", 40, skip=3))  # one retired fact
        want = deck_counts(col, pid, NOW)

        def check() -> None:
            plans = sqlite_plans(col, lambda: deck_counts(col, pid, NOW))
            # the profile's day, every deck's counts, then the decks' new limits
            assert len(plans) == 3
            limits_sql, limits_plan = plans[2]
            # Today's new facts of a deck: a range of the profile's answers of today.
            assert not [p for p in limits_plan if p.startswith("SCAN ")
                        and p.split()[1] in ("review", "r", "card", "c")], (limits_sql,
                                                                          limits_plan)
            assert any("ix_review_" in p and "profile_id=? AND study_day=?" in p
                       for p in limits_plan), limits_plan
            sql, plan = plans[1]
            # No pass over the card table or the facts: each count of a deck is a
            # range of ix_card_profile_deck (no card is read), and the cards of
            # retired facts and buried cards come from their partial indexes.
            scans = [p for p in plan if p.startswith("SCAN ")
                     and p.split()[1] in ("card", "c", "fact", "f")
                     and "ix_fact_retired" not in p]
            assert not scans, (sql, plan)
            used = {w for p in plan for w in p.split() if w.startswith("ix_")}
            assert {"ix_card_profile_deck", "ix_fact_retired", "ix_card_buried"} <= used, plan
            ranges = [p for p in plan if "ix_card_profile_deck" in p]
            assert len(ranges) == 4, plan  # new, learning, due, total
            assert all(p.startswith("SEARCH c USING COVERING INDEX ix_card_profile_deck "
                                    "(profile_id=? AND deck_id=?") for p in ranges), plan
            assert "due<?" in ranges[2], plan

        check()  # no planner statistics, as a new file has
        with col.engine.connect() as conn:  # statistics as PRAGMA optimize would leave them
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        check()
        with col.engine.connect() as conn:  # and as 100,000 cards' statistics would be
            for table, index, stat in (
                    ("card", "ix_card_profile_deck", "100000 100000 20000 5000 5000 2"),
                    ("card", "ix_card_due", "100000 100000 100000 25000 4"),
                    ("card", "ix_card_fact", "100000 2"),
                    ("card", "ix_card_mastery", "100000 100000 1 1"),
                    ("card", "ux_card_profile_fact", "100000 100000 1"),
                    ("card", "sqlite_autoindex_card_1", "100000 100000 1 1"),
                    ("fact", "ix_fact_deck_id", "50000 10000"),
                    ("fact", "sqlite_autoindex_fact_1", "50000 10000 1")):
                conn.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE idx = ?", (index,))
                conn.exec_driver_sql("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)",
                                     (table, index, stat))
            conn.commit()
        check()
        assert deck_counts(col, pid, NOW) == want == expected(col, pid, NOW)
    finally:
        col.close()


def test_study_counts_follow_the_answers_and_the_limits(url: str) -> None:
    from quizapp.services.counts import StudyCounts, study_counts
    from quizapp.study import StudySession

    col = Collection.open(url, first_start=False)
    try:
        col.import_deck(qa_deck("d", "D", 12))
        col.import_deck(qa_deck("e", "E", 3))
        profile = create_profile(col, "P", NOW)
        update_profile_settings(col, profile.id, timezone="UTC", new_per_day=5)
        pid = profile.id
        with col.session() as s:
            deck = repo.find_deck(s, "d")
            assert deck is not None and deck.id is not None
        fresh = study_counts(col, pid, deck.id, NOW)
        # Nothing answered: the daily limit of new facts bounds what remains.
        assert fresh == StudyCounts(0, 0, 5, 0, new_left=5, learning_left=0, review_left=0,
                                    new_waiting=7, reviews_waiting=0, new_introduced=0,
                                    new_limit=5)
        session = StudySession(col, pid, deck_id=deck.id, seed=1)
        now = NOW
        for rating in (3, 1, 3):
            q = session.next_question(now)
            assert q is not None
            session.answer_flashcard(q, rating, now, 1500)
            now += timedelta(seconds=30)
        session.undo(now)  # the third answer is taken back: not counted
        session.close(now)
        got = study_counts(col, pid, deck.id, now)
        with col.session() as s:
            cards = [r._mapping for r in s.execute(text(
                "SELECT * FROM card WHERE profile_id = :p AND deck_id = :d"),
                {"p": pid, "d": deck.id})]
        learning = [c for c in cards if c["state"] in (1, 3)]
        introduced = {c["fact_id"] for c in cards if c["state"] != 0}
        assert (got.answered_today, got.correct_today) == (2, 1)
        assert got.new_left == 5 - len(introduced) == 3
        assert got.learning_left == len(learning) == 2  # both are due within learn-ahead
        assert got.remaining == got.new_left + got.learning_left + got.review_left
        assert got.new_waiting == 12 - len(introduced) - got.new_left
        assert (got.new_introduced, got.new_limit) == (len(introduced), 5)
        # The deck list's New is the same figure (the undone answer not counted either).
        listed = next(d for d in deck_counts(col, pid, now) if d.deck_id == deck.id)
        assert listed.new_today == got.new_left
        # The next study day starts afresh; an unknown profile is refused.
        assert study_counts(col, pid, deck.id, now + timedelta(days=1)).answered_today == 0
        with pytest.raises(repo.NotFoundError):
            study_counts(col, 999_999, deck.id, now)
    finally:
        col.close()


def test_study_counts_leave_out_buried_suspended_and_retired_cards(url: str) -> None:
    """Each study count against the cards read one by one with their facts."""
    from sqlalchemy import select

    from quizapp.scheduling import LEARN_AHEAD, CardStateKind
    from quizapp.storage.reviewlog import card_table as c
    from quizapp.storage.reviewlog import fact_table as f

    col = Collection.open(url, first_start=False)
    try:
        n = 16
        col.import_deck(qa_deck("a-deck", "Alpha", n))
        profile = create_profile(col, "P", NOW)
        create_profile(col, "Q", NOW)  # another profile's cards are not counted
        update_profile_settings(col, profile.id, timezone="UTC")
        pid = profile.id
        today = study_day(NOW, 4, "UTC")
        end_today = day_start(today + 1, 4, "UTC")
        is_pg = not url.startswith("sqlite")
        true = "true" if is_pg else "1"

        def when(moment: datetime) -> object:
            return moment if is_pg else stored(moment)

        with col.session() as s:
            ids = [int(r[0]) for r in s.execute(text(
                "SELECT c.id FROM card c JOIN fact f ON f.id = c.fact_id "
                "WHERE c.profile_id = :p ORDER BY f.key"), {"p": pid})]
            deck_id = int(s.execute(text("SELECT id FROM deck WHERE key = 'a-deck'")).one()[0])
        state = "UPDATE card SET state = :st, due = :due WHERE id = :c"
        bury = "UPDATE card SET buried_until = :d WHERE id = :c"
        for i, st, due in ((0, 2, NOW - timedelta(days=2)), (1, 2, NOW), (2, 2, NOW),
                           (3, 2, NOW), (4, 1, NOW), (5, 1, NOW), (6, 3, NOW),
                           (7, 2, end_today + timedelta(hours=1)),
                           (8, 2, end_today + timedelta(hours=1)),
                           (9, 2, end_today + timedelta(hours=1)), (14, 2, NOW)):
            set_cards(col, state, c=ids[i], st=st, due=when(due))
        for i in (1, 5, 8, 11):  # buried today
            set_cards(col, bury, c=ids[i], d=today)
        set_cards(col, bury, c=ids[2], d=today - 1)  # buried yesterday: back today
        for i in (13, 14):
            set_cards(col, f"UPDATE card SET suspended = {true} WHERE id = :c", c=ids[i])
        retired = {3, 6, 9, 10}  # facts left out of the deck's next version
        col.import_deck(Deck(id="a-deck", name="Alpha", facts=tuple(
            fact for i, fact in enumerate(qa_deck("a-deck", "Alpha", n).facts)
            if i not in retired)))

        def looked_up_one_by_one(now: datetime) -> tuple[int, int, int, int]:
            learning = review = new = tomorrow = 0
            with col.session() as s:
                rows = s.execute(select(c.c.state, c.c.due, c.c.suspended, c.c.buried_until,
                                        f.c.retired)
                                 .join(f, f.c.id == c.c.fact_id)
                                 .where(c.c.profile_id == pid, c.c.deck_id == deck_id)).all()
            day = study_day(now, 4, "UTC")
            ends = day_start(day + 1, 4, "UTC"), day_start(day + 2, 4, "UTC")
            for st, due, suspended, buried_until, is_retired in rows:
                due = due if due is None or due.tzinfo else due.replace(tzinfo=UTC)
                if suspended or is_retired:
                    continue
                if st != CardStateKind.NEW and ends[0] <= due < ends[1]:
                    tomorrow += 1
                if buried_until is not None and buried_until >= day:
                    continue
                learning += (st in (CardStateKind.LEARNING, CardStateKind.RELEARNING)
                             and due <= now + LEARN_AHEAD)
                review += st == CardStateKind.REVIEW and due < ends[0]
                new += st == CardStateKind.NEW
            return learning, review, new, tomorrow

        for now in (NOW, NOW + timedelta(days=1)):
            got = study_counts(col, pid, deck_id, now)
            assert (got.learning_left, got.review_left + got.reviews_waiting,
                    got.new_left + got.new_waiting, got.due_tomorrow) == looked_up_one_by_one(now)
        # Today: cards 4 (learning), 0 and 2 (due), 12 and 15 new (11 buried, 13 suspended,
        # 10 retired); tomorrow's are 7 and 8 (buried today, due tomorrow all the same).
        got = study_counts(col, pid, deck_id, NOW)
        assert (got.learning_left, got.review_left, got.new_left, got.due_tomorrow) == (
            1, 2, 2, 2)
    finally:
        col.close()



@pytest.mark.sqlite_only
def test_study_counts_read_no_fact_row_per_card(tmp_path: Path) -> None:
    """The study counts are ranges of the deck's card index and the small partial indexes:
    no pass over the cards or the facts, no fact looked up card by card."""
    col = Collection.open(f"sqlite:///{tmp_path / 'q.sqlite3'}", first_start=False)
    try:
        col.import_deck(qa_deck("deck-0", "Deck 0", 40))
        pid = create_profile(col, "P", NOW).id
        set_cards(col, "UPDATE card SET state = 2, due = :due WHERE id % 3 = 0",
                  due=stored(NOW - timedelta(days=1)))
        col.import_deck(qa_deck("deck-0", "Deck 0", 40, skip=3))  # one retired fact
        with col.session() as s:
            deck_id = int(s.execute(text("SELECT id FROM deck")).one()[0])
        plans = sqlite_plans(col, lambda: study_counts(col, pid, deck_id, NOW))
        counting = [(sql, plan) for sql, plan in plans if "count(" in sql or "sum(" in sql]
        assert len(counting) == 2, plans  # the four counts, then what is taken off them
        for sql, plan in counting:
            assert not [p for p in plan if p.startswith("SCAN ") and p.split()[1] in (
                "card", "c", "fact", "f") and "ix_fact_retired" not in p], (sql, plan)
            assert not [p for p in plan if p.startswith("SEARCH fact")
                        or p.startswith("SEARCH f ")], (sql, plan)
        counts_plan, off_plan = counting[0][1], counting[1][1]
        assert sum("COVERING INDEX ix_card_profile_deck" in p for p in counts_plan) == 4
        used = {w for p in off_plan for w in p.split() if w.startswith("ix_")}
        assert {"ix_card_buried", "ix_fact_retired"} <= used, off_plan
    finally:
        col.close()
