"""Progress files: what a student hands a teacher who has no server.

A progress file (``"format": "quizapp-progress"``, UTF-8 JSON written
atomically, Qt-free) holds, per deck: facts mastered, true retention over the
last 30 study days, time studied, answers, practice-test answers; the tests
taken with their scores; the most-missed facts; the questions the student
reported as wrong; leeches. :func:`export_progress` writes it,
:func:`read_progress` reads it back (validated), :func:`class_table` puts
several side by side for the class view. The figures are read in the
database (:mod:`quizapp.storage.progress`).

*Time studied* adds up the response time of every answer given (undone ones
too: the time was spent), each capped at :data:`ANSWER_TIME_CAP_MS` so that a
question left on screen over lunch does not count as an hour of study.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.scheduling import study_day
from quizapp.services.jsonfiles import (
    FILE_VERSION,
    Checker,
    ProgressFileError,
    iso,
    read_json,
    write_json_atomic,
)
from quizapp.storage import progress as store
from quizapp.timeutil import utc_now

if TYPE_CHECKING:
    from quizapp.services.collection import Collection

__all__ = [
    "ANSWER_TIME_CAP_MS",
    "PROGRESS_FORMAT",
    "ClassRow",
    "ClassTable",
    "DeckProgress",
    "MissedFact",
    "ProgressFileError",
    "StudentProgress",
    "class_json",
    "class_table",
    "describe_seconds",
    "export_progress",
    "fact_label",
    "progress_data",
    "read_progress",
    "read_progress_data",
    "write_json_atomic",
]

PROGRESS_FORMAT = "quizapp-progress"
RETENTION_DAYS = 30
ANSWER_TIME_CAP_MS = 120_000
TOP_MISSED = 10


# --------------------------------------------------------------------------
# Small helpers


def describe_seconds(seconds: float | None) -> str:
    """A duration for people: "45 s", "12 min", "3 h 05 min"; "–" when unknown."""
    if seconds is None:
        return "–"
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    m = round(s / 60)
    if m < 60:
        return f"{m} min"
    h, m = divmod(m, 60)
    return f"{h} h {m:02d} min"


def fact_label(kind: str, **fields: str | None) -> str:
    """A short, readable name for a fact (for tables of missed facts), capitalised."""
    label = _fact_label(kind, **fields)
    return label[:1].upper() + label[1:]


def _fact_label(kind: str, *, text: str | None = None, event: str | None = None,
               stem: str | None = None, counts: str | None = None,
               speaker: str | None = None, name: str | None = None,
               role: str | None = None, front: str | None = None) -> str:
    text = (text or "").strip()
    if kind == "date":
        what = (event or stem or "").strip().rstrip("?")
        return f"{what} ({text})" if what and text else (what or text)
    if kind == "number":
        what = (counts or stem or "").strip().rstrip("?")
        return f"{what}: {text}" if what and text else (what or text)
    if kind == "quote":
        words = text.split()
        short = " ".join(words[:10])
        if len(words) > 10:
            short = short.rstrip(".,;:!?…") + "…"
        return f"{speaker}: “{short}”" if speaker else f"“{short}”"
    if kind == "person":
        return f"{name}, {role}" if name and role else (name or text)
    return (front or text or "").strip()


# --------------------------------------------------------------------------
# Export


def _most_missed(s: Any, profile_id: int,
                 decks: Mapping[int, tuple[str, str]]) -> list[dict[str, Any]]:
    out = []
    for (deck_id, key, kind, text, event, stem, counts, speaker, name, role, front,
         m, n) in store.most_missed(s, profile_id, TOP_MISSED):
        deck_key, deck_name = decks.get(int(deck_id), ("", ""))
        out.append({
            "deck": deck_key, "deck_name": deck_name, "fact_id": key, "kind": kind,
            "label": fact_label(kind, text=text, event=event, stem=stem, counts=counts,
                                speaker=speaker, name=name, role=role, front=front),
            "misses": int(m), "answers": int(n),
        })
    return out


def _reported(s: Any, profile_id: int,
              decks: Mapping[int, tuple[str, str]]) -> list[dict[str, Any]]:
    out = []
    for deck_id, key, form, prompt, reason, created in store.reported_questions(s, profile_id):
        deck_key, deck_name = decks.get(int(deck_id), ("", ""))
        out.append({"deck": deck_key, "deck_name": deck_name, "fact_id": key, "form": form,
                    "prompt": prompt, "reason": reason, "created_at": iso(created)})
    return out


def _rate(right: int, n: int) -> float | None:
    return round(right / n, 4) if n else None

def progress_data(collection: Collection, profile_id: int,
                  now: datetime | None = None) -> dict[str, Any]:
    """The progress file's content for one profile (JSON-ready)."""
    from quizapp import __version__
    from quizapp.quiz import practice_test_history
    from quizapp.services.reports import profile_stats

    now = now or utc_now()
    stats = profile_stats(collection, profile_id, now)
    with collection.session() as s:
        student, rollover_hour, timezone = store.profile_clock(s, profile_id)
        today = study_day(now, rollover_hour, timezone)
        decks = store.deck_keys(s)
        answers = store.per_deck_answers(s, profile_id, today, RETENTION_DAYS,
                                         ANSWER_TIME_CAP_MS)
        missed = _most_missed(s, profile_id, decks)
        reported = _reported(s, profile_id, decks)
        study_days = store.study_days(s, profile_id)
    mastery = {int(m["deck_id"]): m for m in stats["mastery"]["decks"]}
    deck_rows: list[dict[str, Any]] = []
    for deck_id, (key, name) in sorted(decks.items(), key=lambda x: x[1][1].lower()):
        m = mastery.get(deck_id, {"facts": 0, "mastered": 0})
        a = answers.get(deck_id, {"answers": 0, "test_answers": 0, "test_correct": 0,
                                  "retention_reviews": 0, "retention_correct": 0, "ms": 0})
        deck_rows.append({
            "key": key, "name": name, "facts": int(m["facts"]), "mastered": int(m["mastered"]),
            "retention": _rate(a["retention_correct"], a["retention_reviews"]),
            "retention_reviews": a["retention_reviews"],
            "seconds_studied": round(a["ms"] / 1000),
            "answers": a["answers"],
            "test_answers": a["test_answers"],
            "test_correct": a["test_correct"],
            "test_score": _rate(a["test_correct"], a["test_answers"]),
        })
    tests = [t.as_json() for t in practice_test_history(collection, profile_id)]
    ret_n = sum(d["retention_reviews"] for d in deck_rows)
    ret_right = sum(a["retention_correct"] for a in answers.values())
    scores = [t["score"] for t in tests if t["score"] is not None]
    return {
        "format": PROGRESS_FORMAT,
        "version": FILE_VERSION,
        "app_version": __version__,
        "exported_at": iso(now),
        "student": student,
        "retention_days": RETENTION_DAYS,
        "totals": {
            "facts": sum(d["facts"] for d in deck_rows),
            "mastered": sum(d["mastered"] for d in deck_rows),
            "retention": _rate(ret_right, ret_n),
            "retention_reviews": ret_n,
            "seconds_studied": sum(d["seconds_studied"] for d in deck_rows),
            "answers": sum(d["answers"] for d in deck_rows),
            "study_days": study_days,
            "streak_days": int(stats["streak"]["days"]),
            "tests": len(tests),
            "test_average": round(sum(scores) / len(scores), 4) if scores else None,
        },
        "decks": deck_rows,
        "tests": tests,
        "most_missed": missed,
        "reported": reported,
        "leeches": stats["leeches"],
    }


def export_progress(collection: Collection, profile_id: int, path: str | Path,
                    now: datetime | None = None) -> dict[str, Any]:
    """Write the profile's progress file to ``path``; returns what was written."""
    data = progress_data(collection, profile_id, now)
    write_json_atomic(path, data)
    return data


# --------------------------------------------------------------------------
# Progress file: reading, and the class side by side


@dataclass(frozen=True, slots=True)
class DeckProgress:
    """One deck in a student's progress file."""

    key: str
    name: str
    facts: int
    mastered: int
    retention: float | None
    retention_reviews: int
    seconds_studied: int
    answers: int
    test_answers: int
    test_correct: int

    @property
    def test_score(self) -> float | None:
        """Right test answers out of test answers (None without tests)."""
        return self.test_correct / self.test_answers if self.test_answers else None


@dataclass(frozen=True, slots=True)
class StudentProgress:
    """A student's progress file, read and checked."""

    student: str
    exported_at: datetime | None
    decks: tuple[DeckProgress, ...]
    tests: tuple[dict[str, Any], ...]
    most_missed: tuple[dict[str, Any], ...]
    reported: tuple[dict[str, Any], ...]
    totals: dict[str, Any] = field(default_factory=dict)
    file: str = ""

    @property
    def seconds_studied(self) -> int:
        """Time studied over every deck."""
        return sum(d.seconds_studied for d in self.decks)

    @property
    def test_scores(self) -> list[float]:
        """Scores of the tests taken, oldest first."""
        return [float(t["score"]) for t in self.tests if t.get("score") is not None]

    @property
    def retention(self) -> float | None:
        """True retention over every deck."""
        n = sum(d.retention_reviews for d in self.decks)
        right = sum(round((d.retention or 0) * d.retention_reviews) for d in self.decks)
        return right / n if n else None


def read_progress(path: str | Path) -> StudentProgress:
    """Read and check a progress file (ProgressFileError, one line per problem)."""
    return read_progress_data(read_json(path, PROGRESS_FORMAT, "progress file"), str(path))


def read_progress_data(data: Mapping[str, Any], source: str) -> StudentProgress:
    """Check progress-file content already parsed (``source`` names it in problems)."""
    chk = Checker(source)
    student = chk.text(data, "student", "student")
    exported = None
    raw_time = data.get("exported_at")
    if isinstance(raw_time, str):
        try:
            exported = datetime.fromisoformat(raw_time)
            if exported.tzinfo is None:
                exported = exported.replace(tzinfo=UTC)
        except ValueError:
            chk.add("exported_at", "exported_at", "not an ISO 8601 time")
    decks: list[DeckProgress] = []
    raw_decks = data.get("decks")
    if not isinstance(raw_decks, list):
        chk.add("decks", "decks", "missing or not a list")
        raw_decks = []
    for i, d in enumerate(raw_decks):
        where = f"decks[{i}]"
        if not isinstance(d, dict):
            chk.add(where, "deck", "not an object")
            continue
        retention = chk.number(d, "retention", where, optional=True)
        if retention is not None and retention > 1:
            chk.add(where, "retention", "not between 0 and 1")
        decks.append(DeckProgress(
            key=chk.text(d, "key", where), name=chk.text(d, "name", where),
            facts=int(chk.number(d, "facts", where) or 0),
            mastered=int(chk.number(d, "mastered", where) or 0),
            retention=retention,
            retention_reviews=int(chk.number(d, "retention_reviews", where) or 0),
            seconds_studied=int(chk.number(d, "seconds_studied", where) or 0),
            answers=int(chk.number(d, "answers", where) or 0),
            test_answers=int(chk.number(d, "test_answers", where) or 0),
            test_correct=int(chk.number(d, "test_correct", where) or 0),
        ))
    lists: dict[str, tuple[dict[str, Any], ...]] = {}
    for key in ("tests", "most_missed", "reported"):
        raw = data.get(key, [])
        if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
            chk.add(key, key, "not a list of objects")
            raw = []
        lists[key] = tuple(raw)
    for i, t in enumerate(lists["tests"]):
        score = t.get("score")
        if score is not None and (isinstance(score, bool) or not isinstance(score, int | float)
                                  or not 0 <= score <= 1):
            chk.add(f"tests[{i}]", "score", "not between 0 and 1")
    if chk.problems:
        raise ProgressFileError(chk.problems)
    totals = data.get("totals") if isinstance(data.get("totals"), dict) else {}
    return StudentProgress(student, exported, tuple(decks), lists["tests"],
                           lists["most_missed"], lists["reported"], dict(totals or {}),
                           source)


@dataclass(frozen=True, slots=True)
class ClassRow:
    """One student in the class view."""

    student: str
    exported_at: datetime | None
    decks: dict[str, DeckProgress]  # by deck key
    seconds_studied: int
    retention: float | None
    tests: int
    test_average: float | None
    last_test: float | None
    most_missed: tuple[str, ...]  # fact labels, most missed first
    reported: int
    file: str


@dataclass(frozen=True, slots=True)
class MissedFact:
    """A fact that several students miss."""

    deck: str
    fact_id: str
    label: str
    students: int
    misses: int


@dataclass(frozen=True, slots=True)
class ClassTable:
    """The class side by side: one row per student, decks as column groups."""

    decks: tuple[tuple[str, str], ...]  # (key, name), by name
    rows: tuple[ClassRow, ...]
    missed: tuple[MissedFact, ...]  # across the class, by students then misses
    reported: tuple[dict[str, Any], ...]  # every report, with its student


def class_table(students: Iterable[StudentProgress]) -> ClassTable:
    """Put several students' progress side by side (rows sorted by name)."""
    students = sorted(students, key=lambda p: (p.student.lower(), p.exported_at or datetime.min
                                               .replace(tzinfo=UTC)))
    decks: dict[str, str] = {}
    rows: list[ClassRow] = []
    missed: dict[tuple[str, str], dict[str, Any]] = {}
    reported: list[dict[str, Any]] = []
    for p in students:
        for d in p.decks:
            decks.setdefault(d.key, d.name)
        scores = p.test_scores
        for m in p.most_missed:
            key = (str(m.get("deck", "")), str(m.get("fact_id", "")))
            entry = missed.setdefault(key, {"label": str(m.get("label") or m.get("fact_id")),
                                            "students": 0, "misses": 0})
            entry["students"] += 1
            entry["misses"] += int(m.get("misses") or 0)
        for r in p.reported:
            reported.append({"student": p.student, **r})
        rows.append(ClassRow(
            student=p.student, exported_at=p.exported_at, decks={d.key: d for d in p.decks},
            seconds_studied=p.seconds_studied, retention=p.retention, tests=len(p.tests),
            test_average=sum(scores) / len(scores) if scores else None,
            last_test=scores[-1] if scores else None,
            most_missed=tuple(str(m.get("label") or m.get("fact_id")) for m in p.most_missed),
            reported=len(p.reported), file=p.file,
        ))
    # Keep only decks someone worked on or has facts in, by name.
    order = tuple(sorted(decks.items(), key=lambda kv: kv[1].lower()))
    top = sorted(missed.items(), key=lambda kv: (-kv[1]["students"], -kv[1]["misses"],
                                                 kv[1]["label"]))
    return ClassTable(
        decks=order,
        rows=tuple(rows),
        missed=tuple(MissedFact(k[0], k[1], v["label"], v["students"], v["misses"])
                     for k, v in top[:20]),
        reported=tuple(reported),
    )


def class_json(table: ClassTable) -> dict[str, Any]:
    """The class table as JSON (``quizapp class-view --json``)."""

    def pct(v: float | None) -> float | None:
        return round(v, 4) if v is not None else None

    return {
        "decks": [{"key": k, "name": n} for k, n in table.decks],
        "students": [
            {
                "student": r.student,
                "file": r.file,
                "exported_at": iso(r.exported_at),
                "decks": {
                    k: {"facts": d.facts, "mastered": d.mastered, "retention": pct(d.retention),
                        "seconds_studied": d.seconds_studied, "answers": d.answers,
                        "test_score": pct(d.test_score)}
                    for k, d in r.decks.items()
                },
                "seconds_studied": r.seconds_studied,
                "retention": pct(r.retention),
                "tests": r.tests,
                "test_average": pct(r.test_average),
                "last_test": pct(r.last_test),
                "most_missed": list(r.most_missed),
                "reported": r.reported,
            }
            for r in table.rows
        ],
        "most_missed": [{"deck": m.deck, "fact_id": m.fact_id, "label": m.label,
                         "students": m.students, "misses": m.misses} for m in table.missed],
        "reported": list(table.reported),
    }
