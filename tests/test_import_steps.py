"""A long import never keeps an answer waiting, and stays all or nothing (SQLite).

A large deck is stored in short steps whose rows stay hidden until one final
short transaction (:mod:`quizapp.storage.staged`). These tests run a real
``quizapp import`` in another process on the same SQLite file while this one
answers questions, kill an import half-way, and stop one on an error.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.facts.packed import QAFactPacker
from quizapp.services.collection import Collection
from quizapp.services.counts import deck_counts
from quizapp.services.profiles import create_profile, update_profile_settings
from quizapp.storage import repository as repo
from quizapp.storage import staged
from quizapp.storage.models import Meta
from quizapp.study import StudySession
from tests.hostile import write_csv_rows

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
#: How long an answer of these tests waits for the write lock before it fails
#: (the app waits 10 s; an import step holds the lock for a fraction of a second).
ANSWER_BUSY_MS = 1500
IMPORT_ROWS = 100_000  # stored in one transaction: well over ANSWER_BUSY_MS of work


def qa_deck(n: int, deck_id: str = "qa", edit: bool = False) -> Deck:
    facts = tuple(
        Fact(id=f"q{i}", kind=FactKind.QA, front=f"What is item {i}?",
             back=f"answer {i}" + (" (edited)" if edit and i % 10 == 0 else ""), tags=("t",))
        for i in range(n)
        if not (edit and i % 100 == 1)
    )
    return Deck(id=deck_id, name=f"Deck {deck_id}", facts=facts)


def digest(db: Path) -> dict[str, Any]:
    """Every row a learner could see or that an import leaves behind."""
    conn = sqlite3.connect(db)
    try:
        return {
            "decks": conn.execute("SELECT id, key, name FROM deck ORDER BY id").fetchall(),
            "facts": conn.execute(
                "SELECT id, deck_id, key, position, retired, front, back FROM fact ORDER BY id"
            ).fetchall(),
            "cards": conn.execute(
                "SELECT id, profile_id, fact_id, family, state, reps FROM card ORDER BY id"
            ).fetchall(),
            "meta": conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall(),
        }
    finally:
        conn.close()


def pending_imports(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(
            "SELECT count(*) FROM meta WHERE key LIKE 'import-pending:%'").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[tuple[Collection, int, Path]]:
    db = tmp_path / "q.sqlite3"
    col = Collection.open(f"sqlite:///{db}", first_start=False)
    col.import_deck(qa_deck(40, "small"))
    profile = create_profile(col, "P", T0)
    update_profile_settings(col, profile.id, timezone="UTC")
    col.ensure_first_start()  # the seed deck, as the importing process would load it
    yield col, profile.id, db
    col.close()


def _importer(csv: Path, db: Path, home: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, QUIZAPP_DATABASE_URL=f"sqlite:///{db}", QUIZAPP_HOME=str(home),
               PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "quizapp", "import", str(csv)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)


def test_answers_are_stored_while_another_process_imports_a_large_csv(
    collection: tuple[Collection, int, Path], tmp_path: Path
) -> None:
    col, pid, db = collection
    # This process's answers wait at most ANSWER_BUSY_MS for the lock.
    col.engine.dispose()
    event.listen(col.engine, "connect",
                 lambda conn, _rec: conn.execute(f"PRAGMA busy_timeout={ANSWER_BUSY_MS}"))
    csv = write_csv_rows(tmp_path, IMPORT_ROWS, "big.csv")
    importer = _importer(csv, db, tmp_path / "home")
    session = StudySession(col, pid)
    now = T0
    answered = during = 0
    failures: list[str] = []
    try:
        while importer.poll() is None:
            q = session.next_question(now)
            assert q is not None
            running = pending_imports(db) > 0
            try:
                session.answer(q, q.answers[0], now, 3000)
            except Exception as exc:  # every failure is the finding
                failures.append(f"{type(exc).__name__}: {exc}")
                break
            answered += 1
            during += running
            now += timedelta(days=1)
    finally:
        out, err = importer.communicate(timeout=600)
    assert failures == []
    assert importer.returncode == 0, err
    assert f"{IMPORT_ROWS} new facts" in out
    # Every answer was stored, and many while the import was under way.
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT count(*) FROM review WHERE profile_id = ?", (pid,)).fetchone()
    facts = conn.execute("SELECT count(*) FROM fact f JOIN deck d ON d.id = f.deck_id "
                         "WHERE d.key = 'big' AND NOT f.retired").fetchone()
    conn.close()
    assert stored[0] == answered
    assert during > 0
    assert facts[0] == IMPORT_ROWS
    assert pending_imports(db) == 0


def test_an_import_killed_half_way_leaves_nothing_after_the_next_open(
    collection: tuple[Collection, int, Path], tmp_path: Path
) -> None:
    col, pid, db = collection
    col.close()
    before = digest(db)
    csv = write_csv_rows(tmp_path, IMPORT_ROWS, "big.csv")
    importer = _importer(csv, db, tmp_path / "home")
    # Wait until a step is written (its facts are in the file, hidden), then
    # hold the importer still there while its rows are looked for.
    conn = sqlite3.connect(db)
    try:
        while importer.poll() is None:
            (hidden,) = conn.execute("SELECT count(*) FROM fact WHERE position < 0").fetchone()
            if hidden > 0:
                os.kill(importer.pid, signal.SIGSTOP)
                break
        assert importer.poll() is None, importer.communicate()
        (hidden,) = conn.execute("SELECT count(*) FROM fact WHERE position < 0").fetchone()
        assert 0 < hidden < IMPORT_ROWS
        # Nothing of the import is visible while it runs.
        with Collection.open(f"sqlite:///{db}", first_start=False) as other, \
                other.session() as s:
            assert {d.key for d in repo.list_decks(s)} == {"small", "seed"}
            assert repo.card_counts(s, pid)[1]["total"] == 40  # one card per seed fact
            assert set(repo.card_counts(s, pid)) == {d.id for d in repo.list_decks(s)}
        with Collection.open(f"sqlite:///{db}", first_start=False) as other:
            listed = deck_counts(other, pid, T0)
            assert {d.key for d in listed} == {"small", "seed"}
        os.kill(importer.pid, signal.SIGKILL)
        importer.communicate()
    finally:
        conn.close()
    leftovers = digest(db)
    assert len(leftovers["facts"]) > len(before["facts"])  # the hidden rows are there
    with Collection.open(f"sqlite:///{db}", first_start=False):
        pass  # opening clears what the killed import left
    assert digest(db) == before
    assert not list(tmp_path.glob("*.lock"))


def test_an_import_stopped_by_an_error_between_steps_stores_nothing(
    collection: tuple[Collection, int, Path],
) -> None:
    col, _pid, db = collection
    col.import_deck(qa_deck(12_000, "big"))
    before = digest(db)

    steps: list[int] = []

    def stop(done: int, total: int) -> None:
        steps.append(done)
        if len(steps) == 3:
            raise RuntimeError("stopped")

    # An update (edits, removals, 495 additions) and a new deck, each stopped half-way.
    for deck in (qa_deck(12_500, "big", edit=True), qa_deck(12_000, "other")):
        steps.clear()
        with pytest.raises(RuntimeError, match="stopped"):
            staged.import_deck(col.engine, deck, T0, step=stop, step_facts=100, pause_s=0,
                               min_facts=1)
        assert steps == [100, 200, 300]
        assert digest(db) == before


def test_stored_in_steps_or_at_once_the_database_is_the_same(tmp_path: Path) -> None:
    results = []
    for name, options in (("once", {"min_facts": 10**9}),
                          ("steps", {"step_facts": 700, "pause_s": 0, "min_facts": 1})):
        db = tmp_path / f"{name}.sqlite3"
        with Collection.open(f"sqlite:///{db}", first_start=False) as col:
            create_profile(col, "P", T0)
            first = staged.import_deck(col.engine, qa_deck(5_000, "big"), T0, **options)
            # Edited: every tenth back changed, every hundredth row removed, rows added.
            edited = qa_deck(5_000, "big", edit=True)
            edited = Deck(id="big", name="Renamed", facts=(
                Fact(id="new", kind=FactKind.QA, front="New?", back="yes"), *edited.facts))
            second = staged.import_deck(col.engine, edited, T0, **options)
        results.append((first, second, digest(db)))
    (once1, once2, once_db), (steps1, steps2, steps_db) = results
    assert (once1, once2) == (steps1, steps2)
    assert once2.added == 1 and once2.retired == 50 and once2.updated == 4_950
    assert once_db == steps_db


def packed(deck: Deck) -> Deck:
    """``deck`` with its facts packed, as a spreadsheet's import holds them."""
    packer = QAFactPacker()
    for fact in deck.facts:
        packer.add(fact.id, fact.front or "", fact.back or "", fact.tags, fact.media)
    return Deck(id=deck.id, name=deck.name, facts=packer.facts())


def synchronous_levels(col: Collection) -> set[int]:
    """``PRAGMA synchronous`` of every connection the pool holds (checked out at once)."""
    conns = [col.engine.connect() for _ in range(max(1, col.engine.pool.checkedin()))]
    try:
        return {int(c.exec_driver_sql("PRAGMA synchronous").scalar_one()) for c in conns}
    finally:
        for c in conns:
            c.close()


def test_packed_facts_stored_in_steps_are_the_facts_stored_at_once(tmp_path: Path) -> None:
    results = []
    for name, options, pack in (("once", {"min_facts": 10**9}, False),
                                ("steps", {"step_facts": 700, "pause_s": 0, "min_facts": 1},
                                 True)):
        db = tmp_path / f"{name}.sqlite3"
        with Collection.open(f"sqlite:///{db}", first_start=False) as col:
            create_profile(col, "P", T0)
            deck = qa_deck(5_000, "big")
            edited = qa_deck(5_000, "big", edit=True)
            first = staged.import_deck(col.engine, packed(deck) if pack else deck, T0,
                                       **options)
            second = staged.import_deck(col.engine, packed(edited) if pack else edited, T0,
                                        **options)
            # The steps commit without syncing; every pooled connection is back at FULL.
            assert synchronous_levels(col) == {2}
        results.append((first, second, digest(db)))
    (once1, once2, once_db), (steps1, steps2, steps_db) = results
    assert (once1, once2) == (steps1, steps2)
    assert once2.retired == 50 and once2.updated == 4_950
    assert once_db == steps_db


def test_a_step_ends_after_the_chunk_that_takes_it_past_its_time(
    collection: tuple[Collection, int, Path],
) -> None:
    col, _pid, _db = collection
    n = 2 * staged.CHUNK_FACTS + 500
    for step_s, step_facts, want in (
        (0.0, 10**6, [staged.CHUNK_FACTS, 2 * staged.CHUNK_FACTS, n]),  # a chunk a step
        (10**6, 10**6, [n]),  # never out of time: one step
        (10**6, 700, [*range(700, n, 700), n]),  # at most step_facts a step
    ):
        steps: list[int] = []
        deck = packed(qa_deck(n, f"big-{step_facts}-{step_s:g}"))
        result = staged.import_deck(col.engine, deck, T0, step=lambda done, _t, s=steps:
                                    s.append(done), pause_s=0, min_facts=1, step_s=step_s,
                                    step_facts=step_facts)
        assert steps == [*want, n + 1]  # and the final transaction
        assert result.added == n


def test_an_import_stopped_in_its_steps_leaves_the_connections_synced(
    collection: tuple[Collection, int, Path],
) -> None:
    col, _pid, db = collection
    before = digest(db)

    def stop(done: int, total: int) -> None:
        if done == 2_000:
            raise RuntimeError("stopped")

    with pytest.raises(RuntimeError, match="stopped"):
        staged.import_deck(col.engine, packed(qa_deck(6_000, "big")), T0, step=stop,
                           step_facts=1_000, pause_s=0, min_facts=1)
    assert digest(db) == before
    assert synchronous_levels(col) == {2}


def test_a_second_import_of_a_deck_under_import_is_refused(
    collection: tuple[Collection, int, Path],
) -> None:
    col, _pid, db = collection
    stored = col.import_deck(qa_deck(100, "big"))
    with staged._import_lock(db, "other"), col.transaction() as s:
        s.add(Meta(key=staged.META_PREFIX + "other",
                   value=json.dumps({"deck": stored.deck_id, "new": False})))
    before = digest(db)
    with staged._import_lock(db, "other"):  # that import is alive
        with pytest.raises(staged.ImportConflictError, match="being imported"):
            staged.import_deck(col.engine, qa_deck(200, "big"), T0, min_facts=1)
        assert digest(db) == before
        assert staged.recover_interrupted(col.engine) == 0  # a live import is left alone
    # Its process gone, the next open clears its row and the deck imports.
    assert staged.recover_interrupted(col.engine) == 1
    assert staged.import_deck(col.engine, qa_deck(200, "big"), T0, min_facts=1).added == 100


def test_an_import_after_one_that_died_does_not_show_its_leftovers(
    collection: tuple[Collection, int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that died mid-import left hidden rows; the next import clears them first."""
    col, _pid, db = collection
    col.import_deck(qa_deck(100, "big"))
    before = digest(db)

    def die(done: int, total: int) -> None:
        raise KeyboardInterrupt  # as if the process ended here: nothing cleaned up

    with monkeypatch.context() as m:
        m.setattr(staged, "_discard", lambda *args: None)
        with pytest.raises(KeyboardInterrupt):
            staged.import_deck(col.engine, qa_deck(3_000, "big"), T0, step=die,
                               step_facts=1_000, min_facts=1, pause_s=0)
    assert pending_imports(db) == 1 and digest(db) != before
    result = staged.import_deck(col.engine, qa_deck(200, "big"), T0, min_facts=1, pause_s=0)
    assert (result.added, result.updated) == (100, 100)
    after = digest(db)
    assert after["meta"] == before["meta"]
    big = [f for f in after["facts"] if f[2].startswith("q") and f[1] == result.deck_id]
    assert sorted(f[3] for f in big) == list(range(200))  # no leftover row shown
