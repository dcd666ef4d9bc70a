"""The one writer of review, card and study-session rows (quizapp.storage.writer).

An answer, its undo, an overrule and a practice test's answers, on SQLite and
PostgreSQL, leave exactly the review rows, card states and session counts they
should; the bulk writes a profile import uses append and link rows; and a
static check over quizapp/ finds no other module writing those tables.
"""

from __future__ import annotations

import ast
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select as sa_select
from sqlmodel import select

from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.questions.model import Family, Form, Question
from quizapp.quiz import PracticeTest, QuizOptions, TestSettings, TestStyle, practice_test_history
from quizapp.scheduling import CardState
from quizapp.services.collection import Collection
from quizapp.services.profiles import create_profile, update_profile_settings
from quizapp.storage import writer
from quizapp.storage.models import CardRow, ReviewRow, StudySessionRow
from quizapp.storage.reviewlog import review_table, run
from quizapp.storage.reviews import is_effective
from quizapp.study import ReviewResult, StaleQuestionError, StudySession

pytestmark = pytest.mark.both_backends

PACKAGE = Path(__file__).resolve().parent.parent / "quizapp"
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def url(db_url: str, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'w.sqlite3'}" if db_url.startswith("sqlite") else db_url


def qa_collection(url: str) -> tuple[Collection, int, int]:
    """A collection with one Q/A deck of three notes and one profile (UTC, no fuzz)."""
    col = Collection.open(url, first_start=False)
    facts = tuple(Fact(id=f"qa-{i}", kind=FactKind.QA, front=f"What is item {i}?",
                       back=f"answer {i}") for i in range(3))
    col.import_deck(Deck(id="qa", name="Q/A", facts=facts))
    profile = create_profile(col, "P", T0)
    update_profile_settings(col, profile.id, timezone="UTC", fuzz=False)
    with col.session() as s:
        card = s.exec(select(CardRow).where(CardRow.profile_id == profile.id)).first()
        assert card is not None
    return col, profile.id, card.deck_id


def answer_wrong(session: StudySession, q: Question, now: datetime) -> ReviewResult:
    if q.form is Form.FLASHCARD:
        return session.answer_flashcard(q, 1, now, 4000)  # Again
    wrong = next((c for c in q.choices or () if c not in q.answers), "certainly not this")
    return session.answer(q, wrong, now, 4000)


def reviews(col: Collection, profile_id: int) -> list[ReviewRow]:
    with col.session() as s:
        return list(s.exec(select(ReviewRow).where(ReviewRow.profile_id == profile_id)
                           .order_by(ReviewRow.id)))  # type: ignore[arg-type]


def effective_ids(col: Collection, profile_id: int) -> set[int]:
    r = review_table.alias("r")
    with col.session() as s:
        return {i for (i,) in run(s, sa_select(r.c.id).where(r.c.profile_id == profile_id,
                                                             is_effective(r)))}


def card_state(col: Collection, card_id: int | str) -> CardState:
    with col.session() as s:
        card = s.get(CardRow, int(card_id))
        assert card is not None
        return CardState.of(card)


def test_answer_undo_overrule_and_practice_test_leave_the_expected_rows(url: str) -> None:
    col, pid, deck_id = qa_collection(url)
    session = StudySession(col, pid)
    q = session.next_question(T0)
    assert q is not None
    before = card_state(col, q.card_id)

    # An answer: one study row, the card moved, committed before the result is back.
    a = answer_wrong(session, q, T0)
    assert not a.correct and card_state(col, q.card_id) != before
    # Its undo: an undo row cancelling it, the card exactly as before.
    u = session.undo(T0 + timedelta(seconds=10))
    assert u is not None and u.cancelled_id == a.review_id
    assert card_state(col, q.card_id) == before
    # Asked again (the undone card comes first), answered wrong, then overruled.
    q2 = session.next_question(T0 + timedelta(seconds=20))
    assert q2 is not None and q2.card_id == q.card_id
    b = answer_wrong(session, q2, T0 + timedelta(seconds=20))
    o = session.overrule(b.review_id, T0 + timedelta(seconds=30))
    assert o.kind == "overrule" and o.correct
    session.close(T0 + timedelta(seconds=40))

    # A practice test: a wrong typed answer, overruled, and a right one.
    start = T0 + timedelta(hours=1)
    test = PracticeTest(col, pid, TestSettings((deck_id,), QuizOptions(
        questions=2, forms=frozenset({Form.TYPED}), draw=1), TestStyle.PRACTICE, 600), start)
    assert len(test.questions) == 2
    t1 = test.answer(0, "certainly not this", start + timedelta(seconds=10), 5000)
    t2 = test.overrule(0, start + timedelta(seconds=20))
    t3 = test.answer(1, test.questions[1].answers[0], start + timedelta(seconds=30), 5000)
    assert (t1.kind, t1.correct, t2.kind, t3.kind, t3.correct) == (
        "test", False, "overrule", "test", True)
    report = test.finish(start + timedelta(minutes=1))

    rows = reviews(col, pid)
    ids = [a.review_id, u.review_id, b.review_id, o.review_id, t1.review_id, t2.review_id,
           t3.review_id]
    assert [r.id for r in rows] == ids
    assert [(r.kind, r.correct, r.cancels_id) for r in rows] == [
        ("study", False, None),
        ("undo", None, a.review_id),
        ("study", False, None),
        ("overrule", True, b.review_id),
        ("test", False, None),
        ("overrule", True, t1.review_id),
        ("test", True, None),
    ]
    # The undo row holds the card's state before and after it; the overrule the
    # answer's state-before and the card's state now.
    undo_row, answer_row, overrule_row = rows[1], rows[2], rows[3]
    assert undo_row.state_after == rows[0].state_before == before
    assert overrule_row.state_before == answer_row.state_before
    assert overrule_row.state_after == card_state(col, q.card_id)
    assert overrule_row.study_day == answer_row.study_day
    # Which rows count: the overrules and the right test answer, nothing cancelled.
    assert effective_ids(col, pid) == {o.review_id, t2.review_id, t3.review_id}
    # Session rows: the study sitting counts one answer, right after the overrule;
    # the test's counts two, both right, and begins when the test began.
    with col.session() as s:
        sessions = list(s.exec(select(StudySessionRow).where(
            StudySessionRow.profile_id == pid).order_by(StudySessionRow.id)))  # type: ignore[arg-type]
    assert [(x.answered, x.correct) for x in sessions] == [(1, 1), (2, 2)]
    assert {r.session_id for r in rows[:4]} == {sessions[0].id}
    assert {r.session_id for r in rows[4:]} == {sessions[1].id} == {report.session_id}
    assert sessions[1].started_at == start
    assert [(t.answered, t.correct) for t in practice_test_history(col, pid)] == [(2, 2)]
    col.close()


def card_family(col: Collection, card_id: int | str) -> str:
    with col.session() as s:
        card = s.get(CardRow, int(card_id))
        assert card is not None
        return card.family


def test_an_answer_writes_of_the_card_only_what_changes(url: str) -> None:
    """The family is set when it changes, and a card an answer leaves alone is not written.

    On SQLite the statements on the session's connection are watched too: an
    index whose column an UPDATE sets is rewritten even to the same value, so
    the card's update names ``family`` only when it changes and ``suspended``
    never (an answer does not suspend).
    """
    col, pid, _ = qa_collection(url)
    session = StudySession(col, pid)
    q = session.next_question(T0)
    assert q is not None and q.family is Family.RECOGNISE
    assert card_family(col, q.card_id) == "recognise"  # a card's family before it is asked
    updates: list[str] = []
    if url.startswith("sqlite"):
        held = session._link.conn
        assert held is not None
        driver = held.connection.dbapi_connection
        assert isinstance(driver, sqlite3.Connection)
        driver.set_trace_callback(
            lambda sql: updates.append(sql) if sql.startswith("UPDATE card ") else None)

    session.answer_flashcard(q, 3, T0, 4000)  # learning now; asked as it was last time
    first = card_state(col, q.card_id)
    assert first.reps == 1 and card_family(col, q.card_id) == "recognise"
    # A practice test asks it in the other family: a learning card keeps its state,
    # and the family it was asked in is recorded.
    t = session.build_question(q.card_id, T0, form=Form.TYPED)
    assert t is not None and t.family is Family.RECALL
    session.record_test_answer(t, t.answers[0], T0 + timedelta(minutes=1), 3000)
    assert card_state(col, q.card_id) == first and card_family(col, q.card_id) == "recall"
    # Asked so again: nothing of the card changes, and its row is not written.
    t = session.build_question(q.card_id, T0, form=Form.TYPED)
    assert t is not None
    session.record_test_answer(t, t.answers[0], T0 + timedelta(minutes=2), 3000)
    assert card_state(col, q.card_id) == first and card_family(col, q.card_id) == "recall"
    assert [r.kind for r in reviews(col, pid)] == ["study", "test", "test"]
    if url.startswith("sqlite"):
        assert len(updates) == 2, updates
        # What each sets (the WHERE of an update of a held card names every old value).
        sets = [u.split(" WHERE ")[0] for u in updates]
        assert "family" not in sets[0] and "suspended" not in sets[0]
        assert "family" in sets[1] and "suspended" not in sets[1]
    col.close()


def card_reads(session: StudySession) -> list[str]:
    """Watch the session's SQLite connection; the card reads by id it runs go in the list."""
    held = session._link.conn
    assert held is not None
    driver = held.connection.dbapi_connection
    assert isinstance(driver, sqlite3.Connection)
    reads: list[str] = []
    driver.set_trace_callback(
        lambda sql: reads.append(sql) if sql.startswith("SELECT") and " FROM card WHERE id" in sql
        else None)
    return reads


def test_an_answer_is_scheduled_from_the_card_as_served_only_while_it_is_so(url: str) -> None:
    """The answer does not read the card its question was built from, unless it changed.

    A card in review is served; another writer then gives it another memory
    with the same number of answers (new FSRS parameters adopted in another
    window): the answer finds its held copy stale, reads the card and is
    scheduled from what the card now is. Another writer answering it in
    between (one answer more) makes the question stale: refused, nothing
    written. Untouched, the answer reads nothing and leaves the same rows.
    """
    col, pid, _ = qa_collection(url)
    with col.session() as s:
        ids = [c.id for c in s.exec(select(CardRow).where(CardRow.profile_id == pid)
                                    .order_by(CardRow.id))]  # type: ignore[arg-type]
    review_state = CardState(2, None, 10.0, 5.0, T0 - timedelta(days=1),
                             T0 - timedelta(days=11), 3, 0, False, None)
    with col.transaction() as s:
        writer.update_cards(s, [{"id": i, **review_state.values()} for i in ids])
    sqlite = url.startswith("sqlite")

    # Untouched since served: no read of the card.
    session = StudySession(col, pid)
    q = session.next_question(T0)
    assert q is not None
    reads = card_reads(session) if sqlite else []
    a = session.answer_flashcard(q, 3, T0, 4000)
    assert reads == []
    assert reviews(col, pid)[-1].state_before == review_state
    assert card_state(col, q.card_id).reps == 4 and a.state == 2

    # Another memory, as many answers: read again, scheduled from what it is now.
    q = session.next_question(T0 + timedelta(seconds=10))
    assert q is not None and q.card_id != a.card_id
    changed = review_state.with_changes(stability=20.0, difficulty=3.0)
    with col.transaction() as s:
        writer.update_cards(s, [{"id": int(q.card_id), **changed.values()}])
    reads = card_reads(session) if sqlite else []
    session.answer_flashcard(q, 3, T0 + timedelta(seconds=10), 4000)
    assert len(reads) == (1 if sqlite else 0)
    assert reviews(col, pid)[-1].state_before == changed
    after = card_state(col, q.card_id)
    assert after.reps == 4 and after.stability is not None and after.stability > 20.0

    # Answered elsewhere in between: the question is stale, and nothing is written.
    q = session.next_question(T0 + timedelta(seconds=20))
    assert q is not None
    other = StudySession(col, pid)
    elsewhere = other.build_question(q.card_id, T0)
    assert elsewhere is not None
    other.answer_flashcard(elsewhere, 1, T0 + timedelta(seconds=25), 4000)
    logged = len(reviews(col, pid))
    moved = card_state(col, q.card_id)
    with pytest.raises(StaleQuestionError):
        session.answer_flashcard(q, 3, T0 + timedelta(seconds=30), 4000)
    assert len(reviews(col, pid)) == logged and card_state(col, q.card_id) == moved
    col.close()


def test_a_failed_undo_writes_nothing(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Undo is one transaction: a failure after its first write leaves no trace."""
    col, pid, _ = qa_collection(url)
    session = StudySession(col, pid)
    q = session.next_question(T0)
    assert q is not None
    answer_wrong(session, q, T0)
    after_answer = card_state(col, q.card_id)

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(writer.StudyWriter, "set_session_totals", boom)
    with pytest.raises(RuntimeError):
        session.undo(T0 + timedelta(seconds=10))
    assert [r.kind for r in reviews(col, pid)] == ["study"]
    assert card_state(col, q.card_id) == after_answer
    monkeypatch.undo()
    assert session.undo(T0 + timedelta(seconds=20)) is not None
    assert [r.kind for r in reviews(col, pid)] == ["study", "undo"]
    col.close()


def session_rows(col: Collection, profile_id: int) -> list[StudySessionRow]:
    with col.session() as s:
        return list(s.exec(select(StudySessionRow).where(
            StudySessionRow.profile_id == profile_id).order_by(StudySessionRow.id)))  # type: ignore[arg-type]


def test_answers_leave_the_session_row_alone_until_the_sitting_ends(url: str) -> None:
    """The sitting's first answer inserts its row, open; its totals are written when it ends.

    On SQLite the statements of every answer are watched: only the first
    names ``study_session`` (its INSERT). Closing writes the totals and the
    end; an answer after that opens the row again, and the next close counts
    it too.
    """
    col, pid, _ = qa_collection(url)
    session = StudySession(col, pid)
    statements: list[str] = []
    per_answer: list[list[str]] = []
    now = T0
    for i in range(4):
        q = session.next_question(now)
        assert q is not None
        if url.startswith("sqlite"):
            held = session._link.conn
            assert held is not None
            driver = held.connection.dbapi_connection
            assert isinstance(driver, sqlite3.Connection)
            statements.clear()
            driver.set_trace_callback(statements.append)
        session.answer_flashcard(q, 1 if i == 2 else 3, now, 4000)
        if url.startswith("sqlite"):
            driver.set_trace_callback(None)
            per_answer.append([x for x in statements if "study_session" in x])
        now += timedelta(seconds=30)
        (row,) = session_rows(col, pid)
        assert row.ended_at is None and (row.answered, row.correct) == (0, 0)
    if url.startswith("sqlite"):
        assert [len(x) for x in per_answer] == [1, 0, 0, 0], per_answer
        assert per_answer[0][0].startswith("INSERT INTO study_session")
    session.close(now)
    (row,) = session_rows(col, pid)
    assert (row.answered, row.correct, row.ended_at) == (4, 3, now)
    # Used on after the close: the row is open again, and counted at the next close.
    q = session.next_question(now)
    assert q is not None
    session.answer_flashcard(q, 3, now, 4000)
    (row,) = session_rows(col, pid)
    assert row.ended_at is None
    session.close(now + timedelta(minutes=1))
    (row,) = session_rows(col, pid)
    assert (row.answered, row.correct, row.ended_at) == (5, 4, now + timedelta(minutes=1))
    col.close()


KILLED_SITTING = r"""
import json, os, signal, sys
from datetime import UTC, datetime, timedelta
from quizapp.services.collection import Collection
from quizapp.study import StudySession

url, pid = sys.argv[1], int(sys.argv[2])
now = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
col = Collection.open(url, first_start=False)
session = StudySession(col, pid)

def answer(right):
    global now
    q = session.next_question(now)
    while q is None:
        now += timedelta(minutes=10)
        q = session.next_question(now)
    result = session.answer_flashcard(q, 3 if right else 1, now, 4000)
    now += timedelta(seconds=20)
    return result

answer(True)
wrong = answer(False)
session.overrule(wrong.review_id, now)  # its totals are written with it
answer(False)
session.undo(now)  # and with it
written = list(session._totals)
answer(True)
answer(False)
last = answer(True)
print(json.dumps({"row": session._session_row_id, "written": written,
                  "totals": list(session._totals), "last": last.review_id}), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_sitting_the_app_never_ended_is_counted_by_the_next(url: str) -> None:
    """A real process answers, undoes and overrules, then is killed (SIGKILL) mid-sitting.

    Its row still holds the totals of its last undo, open; the profile's next
    sitting counts it from its review rows to exactly the totals the killed
    sitting held in memory, and ends it at its last answer.
    """
    col, pid, _ = qa_collection(url)
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(root), *filter(None, [os.environ.get("PYTHONPATH")])]))
    child = subprocess.run([sys.executable, "-c", KILLED_SITTING, url, str(pid)], env=env,
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    told = json.loads(child.stdout.strip().splitlines()[-1])
    (row,) = session_rows(col, pid)
    assert row.id == told["row"] and row.ended_at is None
    assert [row.answered, row.correct] == told["written"] != told["totals"]
    StudySession(col, pid)  # the next sitting begins
    (row,) = session_rows(col, pid)
    assert [row.answered, row.correct] == told["totals"] == [5, 4]
    with col.session() as s:
        last = s.get(ReviewRow, told["last"])
        assert last is not None
    assert row.ended_at == last.reviewed_at
    col.close()


def test_bulk_writes_append_and_link_rows_in_order(url: str) -> None:
    """What a profile import writes: sessions, reviews, their links, cards."""
    col, pid, _ = qa_collection(url)
    with col.session() as s:
        cards = list(s.exec(select(CardRow).where(CardRow.profile_id == pid)
                            .order_by(CardRow.id)))  # type: ignore[arg-type]
    card = cards[0]
    assert card.id is not None
    state = CardState(2, None, 5.0, 4.0, T0 + timedelta(days=5), T0, 1, 0, False, 19844)
    with col.transaction() as s:
        (sid,) = writer.insert_study_sessions(s, [{"profile_id": pid, "started_at": T0,
                                                   "ended_at": T0, "answered": 1,
                                                   "correct": 1}])
        rows = [
            {"card_id": card.id, "profile_id": pid, "session_id": sid, "reviewed_at": T0,
             "study_day": 19844, "kind": "study", "correct": False, "rating": 1},
            {"card_id": card.id, "profile_id": pid, "session_id": sid,
             "reviewed_at": T0 + timedelta(seconds=5), "study_day": 19844,
             "kind": "overrule", "correct": True, "rating": 3},
        ]
        first, second = writer.insert_reviews(s, rows)
        writer.link_cancels(s, [(second, first)])
        writer.update_cards(s, [{"id": card.id, **state.values()}])
    got = reviews(col, pid)
    assert [(r.id, r.kind, r.cancels_id, r.session_id) for r in got] == [
        (first, "study", None, sid), (second, "overrule", first, sid)]
    assert effective_ids(col, pid) == {second}
    assert card_state(col, card.id) == state
    col.close()


# ---------------------------------------------------------------- the one writer, statically

ROWS = {"CardRow", "ReviewRow", "StudySessionRow"}
HANDLES = ROWS | {"card_table", "review_table"}
_SQL_WRITE = re.compile(
    r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(?:card|review|study_session)\b")

# Modules other than storage/writer.py that still write these rows themselves, and
# what they write. The list only shrinks: each is a path for the writer to take over.
ELSEWHERE: dict[str, str] = {
    "storage/repository.py": "cards made for new facts; a deleted deck's or profile's rows",
    "storage/staged.py": "the cards of a staged import, removed when it is rolled back",
    "storage/db.py": "the schema 5 → 6 upgrade merges each fact's two cards into one",
}


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and node.body and isinstance(node.body[0], ast.Expr)
                and isinstance(node.body[0].value, ast.Constant)):
            out.add(id(node.body[0].value))
    return out


def _handles(tree: ast.AST) -> set[str]:
    """Names that stand for the card, review or study-session table in a module."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.ImportFrom) and node.module
                and node.module.startswith("quizapp.storage")):
            names.update(a.asname or a.name for a in node.names if a.name in HANDLES)
        value, targets = None, []
        if isinstance(node, ast.Assign):
            value, targets = node.value, node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            value, targets = node.value, [node.target]
        if (isinstance(value, ast.Attribute) and value.attr == "__table__"
                and _name(value.value) in names | ROWS):
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        if (isinstance(node, ast.For) and isinstance(node.target, ast.Name)
                and isinstance(node.iter, ast.Tuple)
                and any(_name(e) in ROWS for e in node.iter.elts)):
            names.add(node.target.id)
    return names


def writes_of(source: str, *, in_storage: bool) -> list[str]:
    """What a module's code writes to card, review or study-session rows (empty: nothing)."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    names = _handles(tree)
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docs and _SQL_WRITE.search(node.value)):
            found.append(f"{node.lineno}: SQL text")
        elif isinstance(node, ast.Call):
            fn = _name(node.func)
            if fn in ("insert", "update", "delete") and node.args and _name(node.args[0]) in names:
                found.append(f"{node.lineno}: {fn}({_name(node.args[0])})")
            elif isinstance(node.func, ast.Attribute) and fn in ("insert", "update", "delete"):
                target = node.func.value
                if isinstance(target, ast.Attribute) and target.attr == "__table__":
                    target = target.value
                if _name(target) in names:
                    found.append(f"{node.lineno}: {_name(target)}.{fn}()")
            elif isinstance(node.func, ast.Name) and node.func.id in names & ROWS:
                found.append(f"{node.lineno}: new {node.func.id}")
        elif (isinstance(node, ast.ImportFrom) and not in_storage
              and any(a.name in ROWS for a in node.names) and node.module
              and node.module.startswith("quizapp.storage")):
            # A row object outside storage could be changed and flushed through the ORM.
            found.append(f"{node.lineno}: imports a row class")
    return found


def modules_writing_rows(package: Path = PACKAGE) -> dict[str, list[str]]:
    out = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        found = writes_of(path.read_text(encoding="utf-8"), in_storage=rel.startswith("storage/"))
        if found:
            out[rel] = found
    return out


def test_only_the_writer_writes_card_review_and_session_rows() -> None:
    found = modules_writing_rows()
    assert "storage/writer.py" in found
    new = {m: w for m, w in found.items() if m != "storage/writer.py" and m not in ELSEWHERE}
    assert not new, ("these modules write card, review or session rows: "
                     f"use storage/writer.py: {new}")
    mended = sorted(set(ELSEWHERE) - set(found))
    assert not mended, ("these modules no longer write those rows: "
                        f"take them off ELSEWHERE: {mended}")


@pytest.mark.parametrize("source", [
    'SQL = "UPDATE card SET suspended = 1 WHERE id = ?"\n',
    'def f(c):\n    c.execute("INSERT INTO review (card_id) VALUES (?)", (1,))\n',
    'X = "DELETE FROM study_session WHERE id = 1"\n',
    "from sqlalchemy import update\nfrom quizapp.storage.models import CardRow\n"
    "def f(s):\n    s.exec(update(CardRow).values(state=0))\n",
    "from quizapp.storage.reviewlog import review_table as r\n"
    "def f(s):\n    s.execute(r.delete())\n",
    "from quizapp.storage.models import StudySessionRow\n"
    "def f(s):\n    s.add(StudySessionRow(profile_id=1))\n",
    "from quizapp.storage.models import ReviewRow\nT = ReviewRow.__table__\n"
    "def f(s):\n    s.execute(T.insert())\n",
])
def test_the_static_check_sees_each_way_of_writing(source: str) -> None:
    assert writes_of(source, in_storage=True)


def test_the_static_check_leaves_reads_and_prose_alone() -> None:
    source = ('"""We UPDATE card rows only in the writer."""\n'
              "from quizapp.storage.reviewlog import card_table\n"
              'SQL = "SELECT id FROM card WHERE id = ?"\n'
              "def f(s):\n    return s.execute(card_table.select())\n")
    assert writes_of(source, in_storage=False) == []
    assert writes_of("from quizapp.storage.models import CardRow\n", in_storage=False)
