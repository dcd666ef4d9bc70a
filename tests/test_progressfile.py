"""Progress files, the class table, and whole profiles moved to a fresh QUIZAPP_HOME."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.questions.model import Form, Question
from quizapp.quiz import PracticeTest, QuizOptions, TestSettings, practice_test_history
from quizapp.scheduling import CardState
from quizapp.services.collection import Collection
from quizapp.services.profile_file import (
    PROFILE_FORMAT,
    export_profile,
    import_profile,
    profile_data,
)
from quizapp.services.profiles import create_profile, set_deck_overrides, update_profile_settings
from quizapp.services.progress import (
    ProgressFileError,
    class_json,
    class_table,
    export_progress,
    progress_data,
    read_progress,
)
from quizapp.storage import repository as repo
from quizapp.storage.models import (
    CardRow,
    DeckRow,
    FactRow,
    ProfileRow,
    QuestionReportRow,
    ReviewRow,
    StudySessionRow,
)
from quizapp.study import StudySession

T0 = datetime(2024, 4, 2, 15, 0, 0, 123456, tzinfo=UTC)


def qa_deck() -> Deck:
    facts = tuple(Fact(id=f"qa-{i}", kind=FactKind.QA, front=f"Capital number {i}?",
                       back=f"City {i}") for i in range(6))
    return Deck(id="capitals", name="Capitals", facts=facts)


def reply(q: Question, right: bool) -> str | list[str]:
    if q.form is Form.TIMELINE:
        order = q.answers[0].split(" | ")
        return order if right else order[::-1]
    if right:
        return q.answers[0]
    if q.choices is not None:
        return next(c for c in q.choices if c not in q.answers)
    return "no idea"


def study_history(col: Collection, profile_id: int, days: int = 6, seed: int = 0,
                  overrule: bool = False) -> datetime:
    """Several days of study with undo and overrule, a practice test and a report."""
    update_profile_settings(col, profile_id, timezone="UTC", new_per_day=8)
    now = T0
    for day in range(days):
        now = T0 + timedelta(days=day * 2)
        session = StudySession(col, profile_id, seed=seed + day)
        for n in range(25):
            q = session.next_question(now)
            if q is None:
                break
            right = (n + day + seed) % 4 != 0
            if q.form is Form.FLASHCARD:
                session.answer_flashcard(q, 3 if right else 1, now, 3000 + 10 * n)
            else:
                result = session.answer(q, reply(q, right), now, 3000 + 10 * n)
                if n == 3 and not result.correct and q.form in (Form.TYPED, Form.CLOZE):
                    session.overrule(result.review_id, now + timedelta(seconds=2))
            if n == 5:
                session.undo(now + timedelta(seconds=3))
            now += timedelta(seconds=7, microseconds=311)
        session.close(now)
    test = PracticeTest(col, profile_id, TestSettings((1,), QuizOptions(questions=6, draw=3)),
                        now)
    for i, q in enumerate(test.questions):
        test.answer(i, reply(q, i % 2 == 0), now + timedelta(seconds=30 * (i + 1)), 20_000)
    test.report_question(1, "Two answers fit", now)
    if overrule:  # "I was right" on a wrong test answer
        test.overrule(1, now + timedelta(seconds=200))
    test.finish(now + timedelta(minutes=4))
    return now + timedelta(minutes=5)


# Every test runs on SQLite and on PostgreSQL (db_url, tests/conftest.py).
pytestmark = pytest.mark.both_backends


@pytest.fixture
def col(db_url: str) -> Any:
    c = Collection.open(db_url)
    yield c
    c.close()


# ---------------------------------------------------------------- progress file


def test_progress_file_holds_what_a_teacher_needs(col: Collection, tmp_path: Path) -> None:
    pid = col.profile().id
    assert pid is not None
    end = study_history(col, pid)
    path = tmp_path / "ann.json"
    data = export_progress(col, pid, path, end)
    assert json.loads(path.read_text(encoding="utf-8")) == data
    assert data["format"] == "quizapp-progress" and data["student"] == "Student"
    deck = next(d for d in data["decks"] if d["key"] == "seed")
    assert deck["facts"] == 36 and deck["answers"] > 20  # 4 of the 40 have no question
    assert deck["seconds_studied"] > 60
    assert deck["test_answers"] == 6 and deck["test_correct"] == 3
    assert len(data["tests"]) == 1 and data["tests"][0]["score"] == 0.5
    assert data["tests"][0]["seconds"] == 240
    assert data["reported"] and data["reported"][0]["reason"] == "Two answers fit"
    assert data["most_missed"] and all(m["label"] for m in data["most_missed"])
    student = read_progress(path)
    assert student.student == "Student" and student.test_scores == [0.5]
    assert student.decks[0].key == "seed" or any(d.key == "seed" for d in student.decks)


def test_class_table_puts_students_side_by_side(col: Collection, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    col.import_deck(qa_deck())
    ann = col.profile().id
    assert ann is not None
    ben = create_profile(col, "Ben").id
    study_history(col, ann, days=3)
    study_history(col, ben, days=2, seed=1)
    files = []
    for pid, name in ((ann, "ann"), (ben, "ben")):
        files.append(tmp_path / f"{name}.json")
        export_progress(col, pid, files[-1], T0 + timedelta(days=30))
    table = class_table([read_progress(f) for f in files])
    assert [r.student for r in table.rows] == ["Ben", "Student"]
    assert {k for k, _ in table.decks} == {"seed", "capitals"}
    assert all(r.tests == 1 for r in table.rows)
    assert table.reported and {r["student"] for r in table.reported} == {"Ben", "Student"}
    assert table.missed
    data = class_json(table)
    assert data["students"][0]["decks"]["seed"]["facts"] == 36  # 4 have no question
    # The command line gives the same JSON.
    from quizapp.cli.quiz import register

    parser = argparse.ArgumentParser(prog="quizapp")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["class-view", *map(str, files), "--json"])
    assert args.func(args) == 0
    assert json.loads(capsys.readouterr().out)["students"] == json.loads(
        json.dumps(data["students"]))
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "quizapp-progress", "version": 1, "decks": 3}', "utf-8")
    args = parser.parse_args(["class-view", str(files[0]), str(bad)])
    assert args.func(args) == 2
    err = capsys.readouterr().err.splitlines()
    assert err and all(line.startswith(f"{bad}:") for line in err)


def test_progress_report_pdf_renders(col: Collection, tmp_path: Path, qapp: object) -> None:
    from quizapp.gui.pdf import write_progress_pdf
    from quizapp.services.progress import read_progress_data

    pid = col.profile().id
    assert pid is not None
    end = study_history(col, pid, days=2)
    data = progress_data(col, pid, end)
    pdf = tmp_path / "report.pdf"
    pages = write_progress_pdf(read_progress_data(data, "memory"), pdf)
    assert pages >= 1
    tool = shutil.which("pdftotext")
    if tool is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is missing on CI")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = " ".join(text.split()).replace("ﬁ", "fi").replace("ﬂ", "fl")
    assert "Progress report" in text and "Student" in text
    assert "Practice tests" in text and "Two answers fit" in text
    ppm = shutil.which("pdftoppm")
    assert ppm is not None
    subprocess.run([ppm, "-png", "-r", "30", str(pdf), str(tmp_path / "r")], check=True)
    pngs = sorted(tmp_path.glob("r-*.png"))
    assert len(pngs) == pages and all(p.stat().st_size > 2000 for p in pngs)


# ---------------------------------------------------------------- moving a profile


def rows(col: Collection, profile_id: int) -> dict[str, Any]:
    """Everything of one profile, keyed so that two databases compare equal."""
    with col.session() as s:
        facts = {f.id: (f.deck_id, f.key) for f in s.exec(select(FactRow))}
        decks = {d.id: d.key for d in s.exec(select(DeckRow))}
        cards = {c.id: c for c in s.exec(select(CardRow).where(CardRow.profile_id == profile_id))}

        def ref(card_id: int) -> tuple[str, str, str]:
            c = cards[card_id]
            deck_id, key = facts[c.fact_id]
            return decks[deck_id], key, c.family

        reviews = list(s.exec(select(ReviewRow).where(ReviewRow.profile_id == profile_id)
                              .order_by(ReviewRow.id)))  # type: ignore[arg-type]
        position = {r.id: i for i, r in enumerate(reviews)}
        sessions = list(s.exec(select(StudySessionRow).where(
            StudySessionRow.profile_id == profile_id).order_by(StudySessionRow.id)))  # type: ignore[arg-type]
        spos = {x.id: i for i, x in enumerate(sessions)}
        reports = list(s.exec(select(QuestionReportRow).where(
            QuestionReportRow.profile_id == profile_id)))
        profile = s.get(ProfileRow, profile_id)
        assert profile is not None
        return {
            "profile": {k: v for k, v in profile.model_dump().items() if k != "id"},
            "cards": sorted(
                (ref(cid), CardState.of(c), c.buried_until, c.reported_forms)
                for cid, c in cards.items() if c.id is not None),
            "reviews": [
                (ref(r.card_id), r.reviewed_at, r.study_day, r.kind, r.form, r.prompt, r.choices,
                 r.given, r.correct, r.verdict, r.response_ms, r.rating, r.state_before,
                 r.state_after, position.get(r.cancels_id) if r.cancels_id else None,
                 spos.get(r.session_id) if r.session_id else None)
                for r in reviews
            ],
            "sessions": [(x.started_at, x.ended_at, x.answered, x.correct) for x in sessions],
            "reports": sorted((ref(x.card_id), x.form, x.prompt, x.reason, x.created_at)
                              for x in reports),
        }


def test_a_profile_moves_to_a_fresh_home_with_nothing_lost(
        col: Collection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    col.import_deck(qa_deck())
    pid = col.profile().id
    assert pid is not None
    end = study_history(col, pid, overrule=True)
    with col.session() as s:
        capitals = repo.find_deck(s, "capitals")
        assert capitals is not None and capitals.id is not None
        deck_id = capitals.id
    set_deck_overrides(col, pid, deck_id, desired_retention=0.85, new_per_day=5)
    update_profile_settings(col, pid, rollover_hour=3, learning_steps=[30, 300])
    before = rows(col, pid)
    assert len(before["reviews"]) > 60
    assert any(r[3] == "undo" for r in before["reviews"])
    assert any(r[3] == "overrule" for r in before["reviews"])
    assert any(r[3] == "test" for r in before["reviews"])
    history = practice_test_history(col, pid)
    file = tmp_path / "student.quizapp.json"
    counts = export_profile(col, pid, file, end)
    assert counts["reviews"] == len(before["reviews"])
    assert json.loads(file.read_text("utf-8"))["format"] == PROFILE_FORMAT

    # Another computer: a new QUIZAPP_HOME, opened the way the app opens it.
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "other-computer"))
    with Collection.open() as fresh:
        result = import_profile(fresh, file)
        assert result.name == "Student" and result.replaced_empty  # the untouched default
        assert result.decks_added == 1  # the capitals deck came along
        after = rows(fresh, result.profile_id)
        assert after["reviews"] == before["reviews"]  # count, times, ratings, states, links
        assert after["cards"] == before["cards"]
        assert after["sessions"] == before["sessions"]
        assert after["reports"] == before["reports"]
        assert after["profile"] == before["profile"]
        with fresh.session() as s:
            from quizapp.storage.models import ProfileDeckRow

            override = s.exec(select(ProfileDeckRow)).one()
            assert (override.desired_retention, override.new_per_day) == (0.85, 5)
        moved = practice_test_history(fresh, result.profile_id)
        assert [(t.answered, t.correct, t.started_at, t.ended_at) for t in moved] == [
            (t.answered, t.correct, t.started_at, t.ended_at) for t in history]
        # The moved profile studies on: the next question comes from its own schedule.
        session = StudySession(fresh, result.profile_id)
        assert session.next_question(end + timedelta(days=1)) is not None
        # A second import of the same file is refused: that profile has history now.
        with pytest.raises(ProgressFileError, match="already exists"):
            import_profile(fresh, file)
        again = import_profile(fresh, file, name="Student (copy)")
        assert rows(fresh, again.profile_id)["reviews"] == before["reviews"]


def test_a_bad_profile_file_changes_nothing(col: Collection, tmp_path: Path) -> None:
    pid = col.profile().id
    assert pid is not None
    study_history(col, pid, days=2)
    data = profile_data(col, pid)
    data["profile"]["name"] = "Moved"
    data["reviews"][3]["fact"] = "no-such-fact"
    data["reviews"][4]["reviewed_at"] = "yesterday"
    data["reviews"][5]["state_before"] = '{"state": "two"}'
    data["reviews"][6]["state_after"] = "{not json"
    data["reviews"][7]["state_after"] = 3
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(data), "utf-8")
    with col.session() as s:
        counts = (len(list(s.exec(select(ReviewRow)))), len(list(s.exec(select(ProfileRow)))))
    with pytest.raises(ProgressFileError) as info:
        import_profile(col, file)
    problems = info.value.problems
    assert any("reviews[3]" in p and "card" in p for p in problems)
    assert any("reviews[4]" in p and "reviewed_at" in p for p in problems)
    assert any(p.endswith("reviews[5]: state_before: not a card state: state is not a whole number")
               for p in problems), problems
    assert any(p.endswith("reviews[6]: state_after: not a card state: not JSON") for p in problems)
    assert any(p.endswith("reviews[7]: state_after: not a card state (JSON text)")
               for p in problems)
    assert all(p.startswith(f"{file}:") for p in problems)
    with col.session() as s:
        assert (len(list(s.exec(select(ReviewRow)))),
                len(list(s.exec(select(ProfileRow))))) == counts
    file.write_text("{not json", "utf-8")
    with pytest.raises(ProgressFileError, match=r":1: file: not valid JSON"):
        import_profile(col, file)


def test_a_profile_file_imports_beside_its_own_profile(col: Collection, tmp_path: Path) -> None:
    """Exported and imported in the same database: the decks are there, the rows come anew."""
    col.import_deck(qa_deck())
    pid = col.profile().id
    assert pid is not None
    end = study_history(col, pid, days=3, overrule=True)
    before = rows(col, pid)
    file = tmp_path / "student.quizapp.json"
    export_profile(col, pid, file, end)
    copy = import_profile(col, file, name="Student (copy)")
    assert (copy.decks_added, copy.facts_added, copy.replaced_empty) == (0, 0, False)
    assert copy.reviews == len(before["reviews"]) and copy.profile_id != pid
    after = rows(col, copy.profile_id)
    assert after["profile"] == {**before["profile"], "name": "Student (copy)"}
    for key in ("cards", "reviews", "sessions", "reports"):
        assert after[key] == before[key], key
    assert rows(col, pid) == before  # the original is untouched


def test_a_profile_file_written_before_one_memory_per_fact_still_imports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of schema 5 (a card per family, answers on both cards of a fact) imports as
    one card per fact: no answer lost, and each card as the schema upgrade makes it from
    the same history (cards merged, memory replayed from the answers)."""
    from collections.abc import Iterator
    from contextlib import contextmanager

    from sqlmodel import Session

    from quizapp.storage.db import make_engine, open_database

    fixture = Path(__file__).parent / "fixtures" / "schema_v5.sqlite3"
    old_db, upgraded_db = tmp_path / "v5.sqlite3", tmp_path / "upgraded.sqlite3"
    shutil.copy(fixture, old_db)
    shutil.copy(fixture, upgraded_db)
    engine = make_engine(f"sqlite:///{old_db}")  # read as schema 5 left it: no upgrade
    # ... but for the media store of schema 7, empty, which this code's export reads
    # (a file of schema 5 has no media: the export's media entries are dropped below),
    # the held facts' columns (none held), and the review states as columns (schema 10:
    # the export writes them as the JSON text schema 5 kept).
    from quizapp.storage.db import _atomic, _card_state_columns
    from quizapp.storage.models import MediaRow

    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE fact ADD COLUMN media TEXT NOT NULL DEFAULT '[]'")
        conn.exec_driver_sql("ALTER TABLE fact ADD COLUMN hold VARCHAR")
        conn.exec_driver_sql("ALTER TABLE fact ADD COLUMN hold_reasons TEXT")
        MediaRow.__table__.create(conn)  # type: ignore[attr-defined]
    with _atomic(engine, "test", foreign_keys=False) as conn:  # as the upgrade runs it
        _card_state_columns(conn)

    class Schema5:
        @contextmanager
        def session(self) -> Iterator[Session]:
            with Session(engine) as s:
                yield s

    with Session(engine) as s:
        ana = s.exec(select(ProfileRow).where(ProfileRow.name == "Ana")).one()
    assert ana.id is not None
    data = profile_data(Schema5(), ana.id, T0)  # type: ignore[arg-type]
    engine.dispose()
    data["schema"] = 5  # as quizapp of schema 5 wrote it
    for deck in data.get("decks", []):
        deck.pop("media", None)
    facts = {(c["deck"], c["fact"]) for c in data["cards"]}
    assert len(data["cards"]) == 2 * len(facts)
    answered = {(r["deck"], r["fact"], r["family"]) for r in data["reviews"]}
    assert {f for _d, f, fam in answered if fam == "recall"} & {
        f for _d, f, fam in answered if fam == "recognise"}  # answers on both cards of a fact
    file = tmp_path / "ana.quizapp.json"
    file.write_text(json.dumps(data), "utf-8")

    def by_fact(col: Collection, profile_id: int) -> tuple[dict[str, Any], list[Any]]:
        with col.session() as s:
            keys = {f.id: f.key for f in s.exec(select(FactRow))}
            cards = list(s.exec(select(CardRow).where(CardRow.profile_id == profile_id)))
            reviews = list(s.exec(select(ReviewRow).where(ReviewRow.profile_id == profile_id)
                                  .order_by(ReviewRow.id)))  # type: ignore[arg-type]
        card_fact = {c.id: keys[c.fact_id] for c in cards}
        assert len(card_fact) == len(set(card_fact.values()))  # one card per fact
        return ({keys[c.fact_id]: (CardState.of(c), c.family, c.buried_until,
                                   json.loads(c.reported_forms)) for c in cards},
                [(card_fact[r.card_id], r.reviewed_at, r.kind, r.form, r.correct,
                  r.state_before, r.state_after, r.cancels_id is not None) for r in reviews])

    upgraded = open_database(f"sqlite:///{upgraded_db}")
    expected_cards, expected_reviews = by_fact(Collection(upgraded), ana.id)
    upgraded.dispose()
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "other-computer"))
    with Collection.open() as fresh:
        result = import_profile(fresh, file)
        cards, reviews = by_fact(fresh, result.profile_id)
    assert reviews == expected_reviews and len(reviews) == len(data["reviews"])
    assert cards == expected_cards
    assert sum(state.reps > 0 for state, *_ in cards.values()) >= 12
    assert any(state.suspended for state, *_ in cards.values())  # suspended by hand: kept


def test_a_profile_file_keeps_the_card_states_as_json_text(col: Collection, tmp_path: Path) -> None:
    """Since schema 10 a review's states are columns; the file keeps them as the JSON text
    it always held (CardState.to_json), and a file of an older quizapp, with its own
    spelling of that JSON, imports the same states."""
    from quizapp.storage.reviewstate import state_from_json

    col.import_deck(qa_deck())
    pid = col.profile().id
    assert pid is not None
    study_history(col, pid, days=3, overrule=True)
    before = rows(col, pid)["reviews"]
    data = profile_data(col, pid)
    for review, row in zip(data["reviews"], before, strict=True):
        for key, state in (("state_before", row[12]), ("state_after", row[13])):
            assert review[key] == (None if state is None else state.to_json())
    # An older quizapp's spelling: spaces after the separators, defaults left out.
    defaults = json.loads(CardState().to_json())
    for review in data["reviews"]:
        for key in ("state_before", "state_after"):
            if review[key] is not None:
                values = json.loads(review[key])
                values = {k: v for k, v in values.items()
                          if k == "state" or v != defaults[k] or type(v) is not type(defaults[k])}
                review[key] = json.dumps(values)
                assert state_from_json(review[key]) == CardState.from_json(review[key])
    data["profile"]["name"] = "Older file"
    file = tmp_path / "old.quizapp.json"
    file.write_text(json.dumps(data), "utf-8")
    result = import_profile(col, file)
    assert rows(col, result.profile_id)["reviews"] == before
