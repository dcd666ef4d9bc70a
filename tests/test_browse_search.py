"""The Browse search in the core: ids first, details page by page, against a plain-Python
reading of the same tables, on real SQLite files and, when a server is given, on PostgreSQL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from quizapp.assets import seed_deck_path
from quizapp.browse import (
    SUMMARY_PAGE,
    FactQuery,
    FactSummary,
    KnowledgeLevel,
    count_facts,
    fact_summaries,
    knowledge_levels,
    search_fact_ids,
    search_facts,
)
from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.scheduling import (
    LEECH_LAPSES,
    MASTERED_STABILITY_DAYS,
    day_start,
    study_day,
)
from quizapp.services.collection import Collection
from quizapp.services.profiles import create_profile, update_profile_settings
from quizapp.storage import repository as repo
from quizapp.storage.models import as_utc
from quizapp.study import StudySession
from tests.test_counts_decks import sqlite_plans

pytestmark = pytest.mark.both_backends

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
WORDS = ("bridge", "river", "Tower", "100%", "snake_case", "back\\slash", "Bridge tower")


def notes_deck(n: int, skip: int | None = None) -> Deck:
    """Q/A notes whose words the searches look for, in mixed case and with LIKE's specials."""
    facts = []
    for i in range(n):
        if i == skip:
            continue
        front = ["What crosses the River?", "Who built the BRIDGE?", "How tall is the tower?",
                 "Is it 100% sure?", "Name in snake_case?", "A back\\slash path?",
                 "Plain question?"][i % 7]
        facts.append(Fact(id=f"n-{i:03d}", kind=FactKind.QA, front=f"{front} ({i})",
                          back=f"answer {i}" + (" bridge" if i % 5 == 0 else "")))
    return Deck(id="notes", name="Notes", facts=tuple(facts))


@pytest.fixture
def url(db_url: str, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'q.sqlite3'}" if db_url.startswith("sqlite") else db_url


@dataclass
class Built:
    col: Collection
    pid: int
    now: datetime


@pytest.fixture
def built(url: str) -> Any:
    """Two decks, a history with wrong and undone answers, and every filter's case."""
    col = Collection.open(url, first_start=False)
    col.import_deck(load_deck_file(seed_deck_path()))
    col.import_deck(notes_deck(130))
    profile = create_profile(col, "P", T0)
    update_profile_settings(col, profile.id, timezone="UTC", new_per_day=40)
    pid = profile.id
    now = T0
    for day in range(3):
        session = StudySession(col, pid, seed=day)
        for i in range(25):
            q = session.next_question(now)
            if q is None:
                break
            session.answer_flashcard(q, 1 if i % 4 == 0 else 3, now, 1500)
            now += timedelta(seconds=20)
        session.undo(now)
        session.close(now)
        now += timedelta(days=1)
    pg = not url.startswith("sqlite")
    yes = "true" if pg else "1"
    with col.transaction() as s:
        cards = [tuple(r) for r in s.execute(text(
            "SELECT c.id, c.fact_id FROM card c WHERE c.profile_id = :p AND c.reps > 0 "
            "ORDER BY c.id"), {"p": pid})]
        assert len(cards) > 12
        s.execute(text(f"UPDATE card SET suspended = {yes} WHERE id = :c"), {"c": cards[0][0]})
        s.execute(text("UPDATE card SET lapses = :n WHERE id = :c"),
                  {"c": cards[2][0], "n": LEECH_LAPSES})
        # Mastered candidates: a stable recall card (right and wrong last answers both occur).
        s.execute(text("UPDATE card SET stability = :st WHERE profile_id = :p "
                       "AND family = 'recall' AND reps > 0"),
                  {"p": pid, "st": MASTERED_STABILITY_DAYS + 5})
        s.execute(text("INSERT INTO question_report (profile_id, card_id, fact_id, form, prompt,"
                       " reason, created_at) VALUES (:p, :c, :f, 'choice', 'Q?', 'wrong', :t)"),
                  {"p": pid, "c": cards[4][0], "f": cards[4][1],
                   "t": now if pg else now.replace(tzinfo=None).isoformat(" ")})
    # Retire one note: it leaves every search.
    col.import_deck(notes_deck(130, skip=7))
    yield Built(col, pid, now)
    col.close()


def oracle(b: Built, query: FactQuery) -> list[FactSummary]:
    """The same search read with plain SELECTs and Python."""
    with b.col.session() as s:
        facts = [r._mapping for r in s.execute(text(
            "SELECT f.*, d.name AS deck_name FROM fact f JOIN deck d ON d.id = f.deck_id "
            "WHERE NOT f.retired OR f.hold IS NOT NULL "  # held back from study: listed too
            "ORDER BY d.name, f.deck_id, f.position, f.id"))]
        cards = [r._mapping for r in s.execute(text(
            "SELECT * FROM card WHERE profile_id = :p"), {"p": b.pid})]
        reviews = [r._mapping for r in s.execute(text(
            "SELECT r.*, c.fact_id FROM review r JOIN card c ON c.id = r.card_id "
            "WHERE c.profile_id = :p"), {"p": b.pid})]
        reports = [r[0] for r in s.execute(text(
            "SELECT fact_id FROM question_report WHERE profile_id = :p"), {"p": b.pid})]
        profile = s.execute(text("SELECT rollover_hour, timezone FROM profile WHERE id = :p"),
                            {"p": b.pid}).one()
    today = study_day(b.now, profile[0], profile[1])
    start, end = day_start(today, profile[0], profile[1]), day_start(today + 1, profile[0],
                                                                      profile[1])
    cancelled = {r["cancels_id"] for r in reviews if r["cancels_id"] is not None}
    by_fact: dict[int, list[Any]] = {}
    for c in cards:
        by_fact.setdefault(c["fact_id"], []).append(c)
    out = []
    for f in facts:
        fc = by_fact.get(f["id"], [])
        hay = [(f[k] or "").lower() for k in ("text", "stem", "speaker", "name", "front", "back")]
        if any(not any(w.lower() in h for h in hay) for w in query.text.split()):
            continue
        if query.deck_id is not None and f["deck_id"] != query.deck_id:
            continue
        if query.kind and f["kind"] != query.kind:
            continue
        live = [c for c in fc if not c["suspended"]]
        if query.state == "new" and not any(c["state"] == 0 for c in live):
            continue
        if query.state == "learning" and not any(c["state"] in (1, 3) for c in live):
            continue
        if query.state == "review" and not any(c["state"] == 2 for c in live):
            continue
        if query.state == "suspended" and not any(c["suspended"] for c in fc):
            continue
        if query.due:
            limit = end if query.due == "today" else start
            if not any(c["state"] != 0 and as_utc(c["due"]) < limit for c in live):
                continue
        if query.leech and not any(c["lapses"] >= LEECH_LAPSES for c in fc):
            continue
        if query.reported and f["id"] not in reports:
            continue
        assert len(fc) <= 1  # one card (memory) per fact
        card = fc[0] if fc else None
        answers = sorted((r for r in reviews if r["fact_id"] == f["id"]
                          and r["kind"] in ("study", "test", "overrule")
                          and r["id"] not in cancelled),
                         key=lambda r: (as_utc(r["reviewed_at"]), r["id"]))
        last_right = bool(answers[-1]["correct"]) if answers else None
        lapses = max((c["lapses"] for c in fc), default=0)
        stability = card["stability"] if card is not None else None
        states = {card["state"]} if card is not None else set()
        if lapses >= LEECH_LAPSES:
            level = KnowledgeLevel.LEECH
        elif stability is not None and stability >= MASTERED_STABILITY_DAYS and last_right:
            level = KnowledgeLevel.MASTERED
        elif 2 in states:
            level = KnowledgeLevel.KNOWN
        elif states - {0}:
            level = KnowledgeLevel.LEARNING
        else:
            level = KnowledgeLevel.NEW
        detail = {"qa": f["back"], "quote": f["speaker"], "person": f["role"]}.get(
            f["kind"], f["stem"])
        dues = [as_utc(c["due"]) for c in live if c["state"] != 0]
        out.append(FactSummary(
            fact_row_id=f["id"], key=f["key"], deck_id=f["deck_id"], deck_name=f["deck_name"],
            kind=f["kind"], text=f["text"] or f["front"] or f["name"] or "",
            detail=detail or "", state=f"held {f['hold']}" if f["hold"] else state(card),
            asked_as=card["family"] if card is not None and card["reps"] > 0 else "",
            due=min((d for d in dues if d is not None), default=None),
            reviews=sum(c["reps"] for c in fc), lapses=lapses,
            suspended=sum(1 for c in fc if c["suspended"]),
            reports=reports.count(f["id"]), level=level, held=f["hold"] or "",
            held_reason="; ".join(json.loads(f["hold_reasons"])) if f["hold"] else ""))
    return out


STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}


def state(card: Any) -> str:
    if card is None:
        return ""
    return "suspended" if card["suspended"] else STATE_NAMES[card["state"]]


def queries(b: Built) -> list[FactQuery]:
    with b.col.session() as s:
        notes = repo.find_deck(s, "notes")
        assert notes is not None and notes.id is not None
    out = [FactQuery(text=w) for w in WORDS]
    out += [FactQuery(), FactQuery(deck_id=notes.id), FactQuery(kind="quote"),
            FactQuery(text="bridge", deck_id=notes.id)]
    out += [FactQuery(state=s) for s in ("new", "learning", "review", "suspended")]
    out += [FactQuery(due="today"), FactQuery(due="overdue"), FactQuery(leech=True),
            FactQuery(reported=True), FactQuery(kind="quote", state="review", text="the")]
    return out


def test_search_matches_a_plain_reading_of_the_tables(built: Built) -> None:
    b = built
    seen_levels: set[KnowledgeLevel] = set()
    for query in queries(b):
        want = oracle(b, query)
        got = search_facts(b.col, b.pid, query, b.now)
        assert got == want, query
        ids = search_fact_ids(b.col, b.pid, query, b.now)
        assert ids == [f.fact_row_id for f in want], query
        assert count_facts(b.col, b.pid, query, b.now) == len(want), query
        seen_levels.update(f.level for f in got)
    # The fixture gives every level and filter something to show.
    assert seen_levels == set(KnowledgeLevel)
    for query in queries(b)[:4] + queries(b)[-5:]:
        assert search_fact_ids(b.col, b.pid, query, b.now), query


def test_a_word_is_found_in_each_text_column_alone(built: Built) -> None:
    """Each of the six text columns is searched even where the others are NULL or empty
    (SQLite skips the LIKE of a column that holds no text)."""
    b = built
    columns = ("text", "stem", "speaker", "name", "front", "back")
    with b.col.transaction() as s:
        ids = [r[0] for r in s.execute(text(
            "SELECT id FROM fact WHERE NOT retired AND kind = 'qa' ORDER BY id LIMIT 7"))]
        for fid, column in zip(ids, columns, strict=False):
            # The marker is the column's only text; the fact's others are emptied.
            s.execute(text("UPDATE fact SET text = '', front = NULL, back = NULL "
                           "WHERE id = :f"), {"f": fid})
            s.execute(text(f"UPDATE fact SET {column} = :v WHERE id = :f"),
                      {"v": f"Some Zq{column}Mark_1% here", "f": fid})
        # Both words, each in another column of one fact.
        s.execute(text("UPDATE fact SET stem = 'zqsplit', back = 'ZQother' WHERE id = :f"),
                  {"f": ids[6]})
    for fid, column in zip(ids, columns, strict=False):
        for word in (f"zq{column}mark", f"ZQ{column.upper()}MARK_1%", f"{column}Mark_1"):
            query = FactQuery(text=word)
            assert search_fact_ids(b.col, b.pid, query, b.now) == [fid], (column, word)
            assert [f.fact_row_id for f in oracle(b, query)] == [fid], (column, word)
            assert count_facts(b.col, b.pid, query, b.now) == 1
    query = FactQuery(text="zqother ZQSPLIT")
    assert search_fact_ids(b.col, b.pid, query, b.now) == [ids[6]]
    assert search_facts(b.col, b.pid, query, b.now) == oracle(b, query)
    assert search_fact_ids(b.col, b.pid, FactQuery(text="zqtextmark zqstemmark"), b.now) == []


# Characters that make case, LIKE's specials and non-ASCII letters meet in few draws.
_CHARS = "aAbB%_\\ \u00e9\u00c9\u00df"
_COLUMNS = ("text", "stem", "speaker", "name", "front", "back")


def test_search_is_a_plain_like_over_the_six_columns(url: str) -> None:
    """Random column texts (NULL, empty, mixed case, %, _, \\, é/É, ß) and random words:
    the search finds exactly what one plain LIKE per column finds (what SQLite's LIKE
    and PostgreSQL's lower() LIKE say; neither tests a column's text first)."""
    col = Collection.open(url, first_start=False)
    try:
        col.import_deck(notes_deck(10))
        pid = create_profile(col, "P", T0).id
        with col.session() as s:
            deck = repo.find_deck(s, "notes")
            assert deck is not None and deck.id is not None
            ids = [r[0] for r in s.execute(text(
                "SELECT id FROM fact WHERE deck_id = :d ORDER BY position, id"), {"d": deck.id})]
        pg = not url.startswith("sqlite")
        seen = {"found": 0, "missed": 0}
        texts = st.text(alphabet=_CHARS, max_size=7)
        words = st.lists(st.text(alphabet=_CHARS.replace(" ", ""), min_size=1, max_size=3),
                         min_size=1, max_size=2)

        @settings(derandomize=True, max_examples=60, deadline=None)
        @given(st.lists(st.tuples(texts, *[st.one_of(st.none(), texts)] * 5),
                        min_size=len(ids), max_size=len(ids)),
               st.lists(words, min_size=1, max_size=4))
        def check(rows: list[tuple[str, ...]], searches: list[list[str]]) -> None:
            with col.transaction() as s:
                for fid, values in zip(ids, rows, strict=True):
                    s.execute(text("UPDATE fact SET " + ", ".join(
                        f"{c} = :{c}" for c in _COLUMNS) + " WHERE id = :f"),
                        {"f": fid, **dict(zip(_COLUMNS, values, strict=True))})
            for search in searches:
                query = FactQuery(text=" ".join(search), deck_id=deck.id)
                wheres, params = [], {"d": deck.id}
                for i, word in enumerate(search):
                    w = word.lower()
                    params[f"w{i}"] = "%" + w.replace("\\", "\\\\").replace(
                        "%", "\\%").replace("_", "\\_") + "%"
                    column = "lower(f.{})" if pg else "f.{}"
                    wheres.append("(" + " OR ".join(
                        f"{column.format(c)} LIKE :w{i} ESCAPE '\\'" for c in _COLUMNS) + ")")
                with col.session() as s:
                    want = [r[0] for r in s.execute(text(
                        "SELECT f.id FROM fact f WHERE f.deck_id = :d AND " + " AND ".join(wheres)
                        + " ORDER BY f.position, f.id"), params)]
                assert search_fact_ids(col, pid, query, T0) == want, (rows, search)
                assert count_facts(col, pid, query, T0) == len(want), (rows, search)
                seen["found" if want else "missed"] += 1

        check()
        assert seen["found"] > 20 and seen["missed"] > 20, seen  # the draws test both ways
    finally:
        col.close()


def test_ids_then_pages_give_the_whole_list(built: Built) -> None:
    b = built
    query = FactQuery()
    everything = search_facts(b.col, b.pid, query, b.now)
    assert len(everything) > 2 * SUMMARY_PAGE
    ids = search_fact_ids(b.col, b.pid, query, b.now)
    pages = [fact_summaries(b.col, b.pid, ids[i:i + SUMMARY_PAGE])
             for i in range(0, len(ids), SUMMARY_PAGE)]
    assert [f for page in pages for f in page] == everything
    # Any order and size in, the same order out; unknown ids are left out.
    picked = [ids[5], ids[0], 999_999, ids[-1], ids[5]]
    assert [f.fact_row_id for f in fact_summaries(b.col, b.pid, picked)] == [
        ids[5], ids[0], ids[-1]]
    assert fact_summaries(b.col, b.pid, []) == []
    with b.col.session() as s:
        retired = s.execute(text("SELECT id FROM fact WHERE key = 'n-007'")).one()[0]
    assert retired not in ids
    assert fact_summaries(b.col, b.pid, [retired, ids[0]]) == [everything[0]]
    assert len(fact_summaries(b.col, b.pid, ids * 3)) == len(ids)
    # A limit keeps the first rows of the list.
    assert search_fact_ids(b.col, b.pid, query, b.now, limit=7) == ids[:7]
    assert search_facts(b.col, b.pid, query, b.now, limit=7) == everything[:7]
    with b.col.session() as s:
        notes = repo.find_deck(s, "notes")
        assert notes is not None and notes.id is not None
    levels = knowledge_levels(b.col, b.pid, notes.id, b.now)
    assert levels == {f.key: f.level for f in everything if f.deck_id == notes.id}


def test_bad_filters_and_unknown_profiles_are_refused(built: Built) -> None:
    b = built
    with pytest.raises(ValueError, match="unknown state"):
        search_fact_ids(b.col, b.pid, FactQuery(state="sleeping"), b.now)
    with pytest.raises(ValueError, match="unknown due"):
        count_facts(b.col, b.pid, FactQuery(due="someday"), b.now)
    with pytest.raises(repo.NotFoundError):
        search_fact_ids(b.col, 999_999, FactQuery(text="bridge"), b.now)
    with pytest.raises(repo.NotFoundError):
        count_facts(b.col, 999_999, FactQuery(text="bridge"), b.now)
    # A known profile's search that finds nothing is no error.
    assert search_fact_ids(b.col, b.pid, FactQuery(text="zzqq"), b.now) == []
    assert count_facts(b.col, b.pid, FactQuery(text="zzqq"), b.now) == 0
    with pytest.raises(repo.NotFoundError):
        search_facts(b.col, 999_999, FactQuery(due="today"), b.now)


def test_retention_and_labels_match_a_plain_reading(built: Built) -> None:
    from quizapp.browse import fact_labels, retention_over_time

    b = built
    # Answer the cards due now, so some answers were given to cards in Review.
    later = b.now + timedelta(days=4)
    session = StudySession(b.col, b.pid, seed=9)
    for i in range(30):
        q = session.next_question(later)
        if q is None:
            break
        session.answer_flashcard(q, 1 if i % 3 == 0 else 3, later, 1200)
        later += timedelta(seconds=20)
    session.undo(later)
    session.close(later)
    weekly = retention_over_time(b.col, b.pid, later, weeks=3)
    with b.col.session() as s:
        rows = [r._mapping for r in s.execute(text(
            "SELECT * FROM review WHERE profile_id = :p"), {"p": b.pid})]
    by_id = {r["id"]: r for r in rows}
    cancelled = {r["cancels_id"] for r in rows if r["cancels_id"] is not None}
    today = study_day(later, 4, "UTC")
    first = today - 7 * 3 + 1
    want = [[0, 0] for _ in range(3)]
    for r in rows:
        kind = by_id[r["cancels_id"]]["kind"] if r["kind"] == "overrule" else r["kind"]
        if (r["kind"] in ("study", "test", "overrule") and r["id"] not in cancelled
                and kind == "study" and first <= r["study_day"] <= today
                and r["before_state"] == 2):
            want[(r["study_day"] - first) // 7][0] += 1
            want[(r["study_day"] - first) // 7][1] += 1 if r["correct"] else 0
    assert [[w["reviews"], w["correct"]] for w in weekly] == want
    assert sum(n for n, _ in want) > 0, "the fixture should answer cards in Review"
    assert [w["study_day"] for w in weekly] == [first, first + 7, first + 14]
    # Labels: pairs of both decks; a key under another deck's name is not a pair.
    pairs = [("Notes", "n-001"), ("Notes", "n-007"), ("Notes", "nope")]
    seed = [f for f in search_facts(b.col, b.pid, FactQuery(), b.now) if f.deck_name != "Notes"]
    pairs += [(f.deck_name, f.key) for f in seed[:30]] + [("Notes", seed[0].key)]
    labels = fact_labels(b.col, pairs)
    assert labels["Notes/n-001"] == "Who built the BRIDGE? (1)"
    assert labels["Notes/n-007"] == "What crosses the River? (7)"  # retired: labelled too
    assert "Notes/nope" not in labels and f"Notes/{seed[0].key}" not in labels
    assert len(labels) == 2 + 30
    for f in seed[:30]:
        label = labels[f"{f.deck_name}/{f.key}"]
        assert label.startswith(" ".join(f.text.split())), label
    assert fact_labels(b.col, []) == {}


@pytest.mark.sqlite_only
def test_retention_reads_the_per_day_index_with_and_without_statistics(built: Built) -> None:
    from quizapp.browse import retention_over_time

    b = built
    later = b.now + timedelta(days=4)
    session = StudySession(b.col, b.pid, seed=9)  # answers to cards in Review
    for i in range(30):
        q = session.next_question(later)
        if q is None:
            break
        session.answer_flashcard(q, 1 if i % 3 == 0 else 3, later, 1200)
        later += timedelta(seconds=20)
    session.undo(later)
    session.close(later)
    want = retention_over_time(b.col, b.pid, later)
    assert sum(w["reviews"] for w in want) > 0

    def check() -> None:
        plans = sqlite_plans(b.col, lambda: retention_over_time(b.col, b.pid, later))
        assert len(plans) == 2  # the profile's day, then the answers per day
        sql, plan = plans[1]
        # The log is read through ix_review_day_cover (the kind and the state
        # prefix are in it), never whole; cancellations through their index.
        scans = [p for p in plan if p.startswith("SCAN ")]
        assert not scans, (sql, plan)
        assert plan[0].startswith(("SEARCH r USING INDEX ix_review_day_cover ",
                                   "SEARCH r USING COVERING INDEX ix_review_day_cover ")), plan
        assert any("ix_review_cancels" in p for p in plan), plan

    check()  # no planner statistics, as a new file has
    with b.col.engine.connect() as conn:  # statistics as PRAGMA optimize would leave them
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    check()
    with b.col.engine.connect() as conn:  # and as a long history's statistics would be
        for index, stat in (("ix_review_day_cover", "240000 240000 2670 2670 1335 337 337"),
                            ("ix_review_cancels", "240000 240000")):
            conn.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE idx = ?", (index,))
            conn.exec_driver_sql("INSERT INTO sqlite_stat1 VALUES ('review', ?, ?)",
                                 (index, stat))
        conn.commit()
    check()
    assert retention_over_time(b.col, b.pid, later) == want


@pytest.mark.sqlite_only
def test_details_read_a_facts_reports_by_fact(built: Built) -> None:
    """A page's details find each fact's reports by fact, not by scanning all of the
    learner's reports once per fact: whichever of the two indexes was made first (SQLite
    breaks a tie between them by that order, and a new file's order varies), with no
    planner statistics, with statistics taken before any report (as on a new
    collection), and with statistics of many reports."""
    b = built
    ids = search_fact_ids(b.col, b.pid, FactQuery(), b.now)[:SUMMARY_PAGE]
    want = fact_summaries(b.col, b.pid, ids)
    indexes = {"fact_id": "CREATE INDEX ix_question_report_fact_id ON question_report (fact_id)",
               "profile_id": "CREATE INDEX ix_question_report_profile_id "
                             "ON question_report (profile_id)"}

    def check() -> None:
        for first, then in (("fact_id", "profile_id"), ("profile_id", "fact_id")):
            with b.col.engine.connect() as conn:
                for name in (first, then):
                    conn.exec_driver_sql(f"DROP INDEX ix_question_report_{name}")
                for name in (first, then):
                    conn.exec_driver_sql(indexes[name])
                conn.commit()
            plans = sqlite_plans(b.col, lambda: fact_summaries(b.col, b.pid, ids))
            (_, plan), = [(s, p) for s, p in plans if "question_report" in s]
            reports = [p for p in plan if " q " in f" {p} "]
            assert reports == [
                "SEARCH q USING INDEX ix_question_report_fact_id (fact_id=?)"], (first, plan)

    def analyze() -> None:
        with b.col.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()

    check()
    with b.col.transaction() as s:
        s.execute(text("DELETE FROM question_report"))
    analyze()
    check()
    with b.col.transaction() as s:  # a learner who reported many questions
        for fid in ids * 4:
            s.execute(text("INSERT INTO question_report (profile_id, card_id, fact_id, form, "
                           "prompt, reason, created_at) SELECT :p, c.id, c.fact_id, 'choice', "
                           "'Q?', 'wrong', '2024-05-01 09:00:00.000000' FROM card c "
                           "WHERE c.profile_id = :p AND c.fact_id = :f"), {"p": b.pid, "f": fid})
    check()
    analyze()
    check()
    with b.col.session() as s:
        carded = {r[0] for r in s.execute(text(
            "SELECT fact_id FROM card WHERE profile_id = :p"), {"p": b.pid})}
    assert carded & set(ids)
    assert [f.reports for f in fact_summaries(b.col, b.pid, ids)] == [
        (4 if w.fact_row_id in carded else 0) for w in want]


def test_cards_history_and_edits_match_a_plain_reading(built: Built) -> None:
    from quizapp.browse import (
        classes_a_delete_retires,
        delete_deck,
        fact_cards,
        find_fact_row_id,
        review_history,
        set_suspended,
    )

    b = built
    with b.col.session() as s:
        fact_id, deck_id, key = s.execute(text(
            "SELECT f.id, f.deck_id, f.key FROM fact f JOIN card c ON c.fact_id = f.id "
            "JOIN review r ON r.card_id = c.id WHERE c.profile_id = :p AND NOT f.retired "
            "GROUP BY f.id, f.deck_id, f.key ORDER BY count(*) DESC, f.id LIMIT 1"),
            {"p": b.pid}).one()
        cards = [r._mapping for r in s.execute(text(
            "SELECT * FROM card WHERE profile_id = :p AND fact_id = :f"),
            {"p": b.pid, "f": fact_id})]
        rows = [r._mapping for r in s.execute(text(
            "SELECT * FROM review WHERE profile_id = :p"), {"p": b.pid})]
        notes = repo.find_deck(s, "notes")
        assert notes is not None and notes.id is not None
    # A listed fact by key; a retired one, or a key of another deck, is not found.
    assert find_fact_row_id(b.col, deck_id, key) == fact_id
    assert find_fact_row_id(b.col, notes.id, "n-007") is None
    assert find_fact_row_id(b.col, deck_id + notes.id, key) is None
    # Cards: recognise first, with their states as stored.
    got = fact_cards(b.col, b.pid, fact_id)
    cards.sort(key=lambda c: (c["family"] != "recognise", c["id"]))
    assert [(c.card_id, c.family, c.state, c.suspended, c.reps, c.lapses) for c in got] == [
        (c["id"], c["family"], STATE_NAMES[c["state"]], bool(c["suspended"]), c["reps"],
         c["lapses"]) for c in cards]
    assert [c.due for c in got] == [as_utc(c["due"]) for c in cards]
    assert fact_cards(b.col, b.pid + 1, fact_id) == []
    # History: newest first, cancelled rows flagged and kept.
    cancelled = {r["cancels_id"] for r in rows if r["cancels_id"] is not None}
    card_ids = {c["id"] for c in cards}
    mine = sorted((r for r in rows if r["card_id"] in card_ids),
                  key=lambda r: (as_utc(r["reviewed_at"]), r["id"]), reverse=True)
    history = review_history(b.col, b.pid, fact_row_id=fact_id)
    assert [(h.review_id, h.kind, h.cancelled) for h in history] == [
        (r["id"], r["kind"], r["id"] in cancelled) for r in mine]
    assert len(history) >= 2
    one = history[-1].card_id
    assert [h.review_id for h in review_history(b.col, b.pid, card_id=one)] == [
        r["id"] for r in mine if r["card_id"] == one]
    assert len(review_history(b.col, b.pid, limit=3)) == 3
    assert any(h.cancelled for h in review_history(b.col, b.pid))
    # Suspending counts the cards it changes, and only the profile's own.
    ids = [c["id"] for c in cards]
    unsuspended = sum(1 for c in cards if not c["suspended"])
    assert set_suspended(b.col, b.pid + 1, ids, True) == 0
    assert set_suspended(b.col, b.pid, ids, True) == unsuspended
    assert set_suspended(b.col, b.pid, ids, True) == 0
    assert all(c.suspended for c in fact_cards(b.col, b.pid, fact_id))
    assert set_suspended(b.col, b.pid, ids, False) == len(ids)
    assert set_suspended(b.col, b.pid, [], False) == 0
    # The tables' owner deletes a deck outright, with its facts.
    assert classes_a_delete_retires(b.col) is None
    assert delete_deck(b.col, notes.id) == "deleted"
    assert find_fact_row_id(b.col, notes.id, "n-001") is None
    with pytest.raises(repo.NotFoundError):
        delete_deck(b.col, notes.id)
