"""A study history for the optimizer's tests, written the way the app writes it: a
profile studies a deck of Q/A facts day after day through :class:`StudySession`,
answering right with a seeded chance that falls with the days since the last answer
(0.85 per day: a learner who forgets faster than FSRS' default learner)."""

from __future__ import annotations

import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.questions.model import Form, Question
from quizapp.services.collection import Collection
from quizapp.services.profiles import update_profile_settings
from quizapp.study import StudySession

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
#: Facts in the studied deck: with one memory per fact, 24 days of study of this many
#: facts at 30 new a day pass the threshold of a first fit.
FACTS = 250


def qa_deck(n: int, deck_id: str = "fit") -> Deck:
    """A deck of ``n`` question-and-answer facts."""
    facts = tuple(Fact(id=f"qa-{i:03d}", kind=FactKind.QA, front=f"What is item {i}?",
                       back=f"answer {i}") for i in range(n))
    return Deck(id=deck_id, name=f"Deck {deck_id}", facts=facts)


def _wrong(q: Question) -> str:
    if q.choices is not None:
        return next(c for c in q.choices if c not in q.answers)
    return "something else entirely"


def study_days(col: Collection, profile_id: int, *, days: int, seed: int,
               start: datetime = START, new_per_day: int = 30) -> int:
    """Study every day for ``days`` days from ``start``; return how many answers were given."""
    update_profile_settings(col, profile_id, timezone="UTC", new_per_day=new_per_day,
                            reviews_per_day=9999, fuzz=False)
    rng = random.Random(seed)
    last_seen: dict[str, datetime] = {}
    answered = 0
    for day in range(days):
        now = start + timedelta(days=day, minutes=rng.randrange(0, 120))
        session = StudySession(col, profile_id)
        for _ in range(2000):
            q = session.next_question(now)
            if q is None:
                break
            seen = last_seen.get(str(q.card_id))
            gap = (now - seen).days if seen is not None else 0
            ok = rng.random() < (0.93 if gap == 0 else 0.85 ** gap)
            if q.form is Form.FLASHCARD:
                session.answer_flashcard(q, rng.choice([2, 3, 3, 3, 4]) if ok else 1, now,
                                         rng.randrange(2000, 9000))
            else:
                session.answer(q, q.answers[0] if ok else _wrong(q), now,
                               rng.randrange(2000, 9000))
            last_seen[str(q.card_id)] = now
            answered += 1
            now += timedelta(seconds=rng.randrange(15, 60))
        session.close(now)
    return answered


def studied_file(folder: Path, *, days: int = 24, seed: int = 7) -> Path:
    """A SQLite collection (the seed deck's first start, a deck of FACTS Q/A facts) whose
    profile "Ana" studied ``days`` days: with the defaults, past the threshold of a fit.
    Build it once and copy it (:func:`copy_collection`) into each test's data folder."""
    from quizapp.services.profiles import create_profile

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "studied.sqlite3"
    with Collection.open(f"sqlite:///{path}") as col:
        col.import_deck(qa_deck(FACTS))
        pid = create_profile(col, "Ana", START).id
        study_days(col, pid, days=days, seed=seed)
    return path


def copy_collection(source: Path, home: Path) -> Path:
    """Copy a closed SQLite collection to be the data folder's database."""
    from quizapp.config import DATABASE_FILE

    home.mkdir(parents=True, exist_ok=True)
    target = home / DATABASE_FILE
    for suffix in ("", "-wal", "-shm"):
        extra = Path(f"{source}{suffix}")
        if extra.exists():
            shutil.copyfile(extra, Path(f"{target}{suffix}"))
    return target
