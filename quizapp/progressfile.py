"""Progress files for teachers, and whole profiles moved to another computer.

Two JSON files, both written atomically and both Qt-free:

**Progress file** (``"format": "quizapp-progress"``): what a student hands
a teacher who has no server. Per deck: facts mastered, true retention over
the last 30 study days, time studied, answers, practice-test answers; the
tests taken with their scores; the most-missed facts; the questions the
student reported as wrong; leeches. :func:`export_progress` writes it,
:func:`read_progress` reads it back (validated), :func:`class_table` puts
several side by side for the class view.

**Profile file** (``"format": "quizapp-profile"``): everything of one
learner, to move to another computer with nothing lost: the profile's
settings and per-deck overrides, every card's scheduling state, every study
session, every review row (undo and overrule rows with what they cancel,
times to the microsecond, state-before and state-after verbatim) and every
question report. Rows are mapped by deck key + fact key (+ family), never by
database ids, and the decks themselves travel along (sources and facts,
retired facts included), so the file imports into a fresh ``QUIZAPP_HOME``.
:func:`import_profile` is one transaction: a refused import writes nothing.

*Time studied* adds up the response time of every answer given (undone ones
too: the time was spent), each capped at :data:`ANSWER_TIME_CAP_MS` so that a
question left on screen over lunch does not count as an hour of study.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Result, case, func, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, select

from quizapp.files import atomic_text
from quizapp.scheduling import CardStateKind, study_day
from quizapp.scheduling.reviewlog import (
    KIND_STUDY,
    KIND_TEST,
    answer_kind,
    card_table,
    fact_table,
    is_effective,
    review_table,
    run,
    state_before_is,
)
from quizapp.storage import repository as repo
from quizapp.storage.models import (
    SCHEMA_VERSION,
    CardRow,
    DeckRow,
    FactRow,
    ProfileDeckRow,
    ProfileRow,
    QuestionReportRow,
    ReviewRow,
    SourceRow,
    StudySessionRow,
    UTCDateTime,
    utc_now,
)

if TYPE_CHECKING:
    from quizapp.collection import Collection

__all__ = [
    "ANSWER_TIME_CAP_MS",
    "PROFILE_FORMAT",
    "PROGRESS_FORMAT",
    "ClassRow",
    "ClassTable",
    "DeckProgress",
    "ProfileImportResult",
    "ProgressFileError",
    "StudentProgress",
    "class_json",
    "class_table",
    "describe_seconds",
    "export_profile",
    "export_progress",
    "fact_label",
    "import_profile",
    "profile_data",
    "progress_data",
    "read_progress",
    "read_progress_data",
    "write_json_atomic",
]

PROGRESS_FORMAT = "quizapp-progress"
PROFILE_FORMAT = "quizapp-profile"
FILE_VERSION = 1
RETENTION_DAYS = 30
ANSWER_TIME_CAP_MS = 120_000
TOP_MISSED = 10

deck_table = DeckRow.__table__  # type: ignore[attr-defined]
session_table = StudySessionRow.__table__  # type: ignore[attr-defined]
report_table = QuestionReportRow.__table__  # type: ignore[attr-defined]


class ProgressFileError(ValueError):
    """A progress or profile file that cannot be read or imported; one line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


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


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def write_json_atomic(path: str | Path, data: Any) -> None:
    """Write ``data`` as UTF-8 JSON through a temporary file beside ``path``."""
    def no_folder(target: Path) -> ProgressFileError:
        return ProgressFileError([f"{target}: the folder {target.parent} does not exist"])

    with atomic_text(path, newline=None, missing_folder=no_folder) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


def _read_json(path: str | Path, fmt: str) -> dict[str, Any]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ProgressFileError([f"{path}:1: file: cannot be read ({exc.strerror or exc})"]) \
            from None
    except UnicodeDecodeError:
        raise ProgressFileError([f"{path}:1: file: not UTF-8 text"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProgressFileError([f"{path}:{exc.lineno}: file: not valid JSON ({exc.msg})"]) \
            from None
    if not isinstance(data, dict) or data.get("format") != fmt:
        what = "progress file" if fmt == PROGRESS_FORMAT else "profile file"
        raise ProgressFileError([f"{path}:1: format: not a quizapp {what} "
                                 f"(expected \"format\": \"{fmt}\")"])
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise ProgressFileError([f"{path}:1: version: missing or not a whole number"])
    if version > FILE_VERSION:
        raise ProgressFileError([f"{path}:1: version: written by a newer quizapp "
                                 f"(version {version}); update quizapp to read it"])
    return data


# --------------------------------------------------------------------------
# Progress file: export


def _deck_keys(s: Session) -> dict[int, tuple[str, str]]:
    return {d.id: (d.key, d.name) for d in repo.list_decks(s) if d.id is not None}


def _per_deck_answers(s: Session, profile_id: int, today: int) -> dict[int, dict[str, int]]:
    """Per deck: answers, test answers and test right answers, true retention, time."""
    r, o = review_table.alias("r"), review_table.alias("o")
    c = card_table.alias("c")
    kind = answer_kind(r, o)

    def count_if(cond: Any) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    in_retention = (kind == KIND_STUDY) & state_before_is(r, CardStateKind.REVIEW) & (
        r.c.study_day > today - RETENTION_DAYS)
    stmt = (
        sa_select(c.c.deck_id,
                  count_if(kind == KIND_STUDY),
                  count_if(kind == KIND_TEST),
                  count_if((kind == KIND_TEST) & (r.c.correct == True)),  # noqa: E712
                  count_if(in_retention),
                  count_if(in_retention & (r.c.correct == True)))  # noqa: E712
        .select_from(r.outerjoin(o, o.c.id == r.c.cancels_id).join(c, c.c.id == r.c.card_id))
        .where(r.c.profile_id == profile_id, is_effective(r))
        .group_by(c.c.deck_id)
    )
    out: dict[int, dict[str, int]] = {}
    for deck_id, study, tests, tests_right, ret_n, ret_right in run(s, stmt):
        out[int(deck_id)] = {"answers": int(study), "test_answers": int(tests),
                             "test_correct": int(tests_right), "retention_reviews": int(ret_n),
                             "retention_correct": int(ret_right), "ms": 0}
    # Time: every answer given (study or test, undone ones too), capped per answer.
    r2 = review_table.alias("r2")
    capped = case((r2.c.response_ms > ANSWER_TIME_CAP_MS, ANSWER_TIME_CAP_MS),
                  else_=r2.c.response_ms)
    stmt2 = (
        sa_select(c.c.deck_id, func.coalesce(func.sum(capped), 0))
        .select_from(r2.join(c, c.c.id == r2.c.card_id))
        .where(r2.c.profile_id == profile_id, r2.c.kind.in_((KIND_STUDY, KIND_TEST)),
               r2.c.response_ms.is_not(None))
        .group_by(c.c.deck_id)
    )
    for deck_id, ms in run(s, stmt2):
        entry = out.setdefault(int(deck_id), {"answers": 0, "test_answers": 0,
                                              "test_correct": 0, "retention_reviews": 0,
                                              "retention_correct": 0, "ms": 0})
        entry["ms"] = int(ms)
    return out


def _most_missed(s: Session, profile_id: int,
                 decks: Mapping[int, tuple[str, str]]) -> list[dict[str, Any]]:
    r, c, f = review_table.alias("r"), card_table.alias("c"), fact_table.alias("f")
    misses = func.coalesce(func.sum(case((r.c.correct == False, 1), else_=0)), 0)  # noqa: E712
    stmt = (
        sa_select(f.c.deck_id, f.c.key, f.c.kind, f.c.text, f.c.event, f.c.stem, f.c.counts,
                  f.c.speaker, f.c.name, f.c.role, f.c.front, misses, func.count())
        .select_from(r.join(c, c.c.id == r.c.card_id).join(f, f.c.id == c.c.fact_id))
        .where(r.c.profile_id == profile_id, is_effective(r))
        .group_by(f.c.id, f.c.deck_id, f.c.key, f.c.kind, f.c.text, f.c.event, f.c.stem,
                  f.c.counts, f.c.speaker, f.c.name, f.c.role, f.c.front)
        .having(misses > 0)
        .order_by(misses.desc(), f.c.key)
        .limit(TOP_MISSED)
    )
    out = []
    for (deck_id, key, kind, text, event, stem, counts, speaker, name, role, front,
         m, n) in run(s, stmt):
        deck_key, deck_name = decks.get(int(deck_id), ("", ""))
        out.append({
            "deck": deck_key, "deck_name": deck_name, "fact_id": key, "kind": kind,
            "label": fact_label(kind, text=text, event=event, stem=stem, counts=counts,
                                speaker=speaker, name=name, role=role, front=front),
            "misses": int(m), "answers": int(n),
        })
    return out


def _reported(s: Session, profile_id: int,
              decks: Mapping[int, tuple[str, str]]) -> list[dict[str, Any]]:
    stmt = (
        sa_select(FactRow.deck_id, FactRow.key, QuestionReportRow.form,  # type: ignore[call-overload]
                  QuestionReportRow.prompt, QuestionReportRow.reason,
                  QuestionReportRow.created_at)
        .join(FactRow, FactRow.id == QuestionReportRow.fact_id)
        .where(QuestionReportRow.profile_id == profile_id)
        .order_by(QuestionReportRow.created_at, QuestionReportRow.id)
    )
    out = []
    for deck_id, key, form, prompt, reason, created in s.exec(stmt):
        deck_key, deck_name = decks.get(int(deck_id), ("", ""))
        out.append({"deck": deck_key, "deck_name": deck_name, "fact_id": key, "form": form,
                    "prompt": prompt, "reason": reason, "created_at": _iso(created)})
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
        profile = s.get(ProfileRow, profile_id)
        if profile is None:
            raise repo.NotFoundError(f"no profile {profile_id}")
        today = study_day(now, profile.rollover_hour, profile.timezone)
        decks = _deck_keys(s)
        answers = _per_deck_answers(s, profile_id, today)
        missed = _most_missed(s, profile_id, decks)
        reported = _reported(s, profile_id, decks)
        study_days = int(run(s, sa_select(func.count(func.distinct(review_table.c.study_day)))
                             .where(review_table.c.profile_id == profile_id,
                                    is_effective(review_table))).one()[0])
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
        "exported_at": _iso(now),
        "student": profile.name,
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


class _Checker:
    def __init__(self, path: Path | str) -> None:
        self.path = path
        self.problems: list[str] = []

    def add(self, where: str, field_name: str, message: str) -> None:
        self.problems.append(f"{self.path}:{where}: {field_name}: {message}")

    def text(self, obj: Mapping[str, Any], key: str, where: str, *, required: bool = True,
             default: str = "") -> str:
        v = obj.get(key)
        if v is None and not required:
            return default
        if not isinstance(v, str) or (required and not v.strip()):
            self.add(where, key, "missing or not text")
            return default
        return v

    def number(self, obj: Mapping[str, Any], key: str, where: str, *,
               optional: bool = False) -> float | None:
        v = obj.get(key, None if optional else 0)
        if v is None and optional:
            return None
        if isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
            self.add(where, key, "not a number of zero or more")
            return None if optional else 0
        return float(v)


def read_progress(path: str | Path) -> StudentProgress:
    """Read and check a progress file (ProgressFileError, one line per problem)."""
    return read_progress_data(_read_json(path, PROGRESS_FORMAT), str(path))


def read_progress_data(data: Mapping[str, Any], source: str) -> StudentProgress:
    """Check progress-file content already parsed (``source`` names it in problems)."""
    chk = _Checker(source)
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
                "exported_at": _iso(r.exported_at),
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


# --------------------------------------------------------------------------
# Whole profile: export


_CARD_SKIP = {"id", "profile_id", "fact_id", "deck_id"}
_REVIEW_SKIP = {"id", "card_id", "profile_id", "session_id", "cancels_id"}
_SESSION_SKIP = {"id", "profile_id"}
_REPORT_SKIP = {"id", "profile_id", "card_id", "fact_id"}
# A PostgreSQL login role belongs to one database server, not to the learner.
_PROFILE_SKIP = {"id", "db_role", "class_name"}
_OVERRIDE_SKIP = {"profile_id", "deck_id"}
_DECK_SKIP = {"id"}
_SOURCE_SKIP = {"id", "deck_id"}
_FACT_SKIP = {"id", "deck_id", "source_id"}


def _columns(model: type[SQLModel]) -> list[Any]:
    return list(model.__table__.columns)  # type: ignore[attr-defined]


def _dump(row: SQLModel, skip: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in _columns(type(row)):
        if col.name in skip:
            continue
        value = getattr(row, col.name)
        if isinstance(value, datetime):
            value = _iso(value)
        out[col.name] = value
    return out


def profile_data(collection: Collection, profile_id: int,
                 now: datetime | None = None) -> dict[str, Any]:
    """Everything of one profile, mapped by deck key + fact key (JSON-ready)."""
    from quizapp import __version__

    now = now or utc_now()
    with collection.session() as s:
        profile = s.get(ProfileRow, profile_id)
        if profile is None:
            raise repo.NotFoundError(f"no profile {profile_id}")
        facts = {f.id: f for f in s.exec(select(FactRow))}
        decks_by_id = {d.id: d for d in s.exec(select(DeckRow))}
        cards = list(s.exec(select(CardRow).where(CardRow.profile_id == profile_id)
                            .order_by(CardRow.id)))  # type: ignore[arg-type]
        card_ref: dict[int, tuple[str, str, str]] = {}
        used_decks: set[int] = set()
        for c in cards:
            assert c.id is not None
            card_ref[c.id] = (decks_by_id[c.deck_id].key, facts[c.fact_id].key, c.family)
            used_decks.add(c.deck_id)
        decks_out = []
        for deck_id in sorted(used_decks):
            d = decks_by_id[deck_id]
            sources = list(s.exec(select(SourceRow).where(SourceRow.deck_id == deck_id)
                                  .order_by(SourceRow.id)))  # type: ignore[arg-type]
            source_key = {src.id: src.key for src in sources}
            deck_facts = sorted((f for f in facts.values() if f.deck_id == deck_id),
                                key=lambda f: (f.position, f.id or 0))
            decks_out.append({
                **_dump(d, _DECK_SKIP),
                "sources": [_dump(src, _SOURCE_SKIP) for src in sources],
                "facts": [{**_dump(f, _FACT_SKIP),
                           "source": source_key.get(f.source_id) if f.source_id else None}
                          for f in deck_facts],
            })
        sessions = list(s.exec(select(StudySessionRow)
                               .where(StudySessionRow.profile_id == profile_id)
                               .order_by(StudySessionRow.id)))  # type: ignore[arg-type]
        reviews = list(s.exec(select(ReviewRow).where(ReviewRow.profile_id == profile_id)
                              .order_by(ReviewRow.id)))  # type: ignore[arg-type]
        reports = list(s.exec(select(QuestionReportRow)
                              .where(QuestionReportRow.profile_id == profile_id)
                              .order_by(QuestionReportRow.id)))  # type: ignore[arg-type]
        overrides = list(s.exec(select(ProfileDeckRow)
                                .where(ProfileDeckRow.profile_id == profile_id)))

    def ref(card_id: int) -> dict[str, str]:
        deck, fact, family = card_ref[card_id]
        return {"deck": deck, "fact": fact, "family": family}

    return {
        "format": PROFILE_FORMAT,
        "version": FILE_VERSION,
        "schema": SCHEMA_VERSION,
        "app_version": __version__,
        "exported_at": _iso(now),
        "profile": _dump(profile, _PROFILE_SKIP),
        "deck_overrides": [{"deck": decks_by_id[o.deck_id].key, **_dump(o, _OVERRIDE_SKIP)}
                           for o in overrides],
        "decks": decks_out,
        "cards": [{**ref(c.id or 0), **_dump(c, _CARD_SKIP)} for c in cards],
        "sessions": [{"id": x.id, **_dump(x, _SESSION_SKIP)} for x in sessions],
        "reviews": [{"id": r.id, **ref(r.card_id), "session": r.session_id,
                     "cancels": r.cancels_id, **_dump(r, _REVIEW_SKIP)} for r in reviews],
        "reports": [{**ref(x.card_id), **_dump(x, _REPORT_SKIP)} for x in reports],
    }


def export_profile(collection: Collection, profile_id: int, path: str | Path,
                   now: datetime | None = None) -> dict[str, int]:
    """Write the whole profile to ``path``; returns how many rows of each kind."""
    data = profile_data(collection, profile_id, now)
    write_json_atomic(path, data)
    return {k: len(data[k]) for k in ("decks", "cards", "sessions", "reviews", "reports")}


# --------------------------------------------------------------------------
# Whole profile: import


@dataclass(frozen=True, slots=True)
class ProfileImportResult:
    """What importing a profile file did."""

    profile_id: int
    name: str
    cards: int
    sessions: int
    reviews: int
    reports: int
    decks_added: int
    facts_added: int
    replaced_empty: bool  # an untouched profile of the same name made way for it


def _convert(col: Any, value: Any, model: type[SQLModel], chk: _Checker, where: str) -> Any:
    name = col.name
    if value is None:
        required = not col.nullable and model.model_fields[name].is_required()
        if required:
            chk.add(where, name, "missing")
        return None
    if isinstance(col.type, UTCDateTime):
        if not isinstance(value, str):
            chk.add(where, name, "not an ISO 8601 time")
            return None
        try:
            t = datetime.fromisoformat(value)
        except ValueError:
            chk.add(where, name, "not an ISO 8601 time")
            return None
        return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
    try:
        py = col.type.python_type
    except NotImplementedError:  # pragma: no cover - every column has one
        return value
    if py is bool:
        if not isinstance(value, bool):
            chk.add(where, name, "not true or false")
        return bool(value)
    if py is int:
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or float(value) != int(value):
            chk.add(where, name, "not a whole number")
            return None
        return int(value)
    if py is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            chk.add(where, name, "not a number")
            return None
        return float(value)
    if py is str and not isinstance(value, str):
        chk.add(where, name, "not text")
        return None
    return value


def _values(model: type[SQLModel], obj: Any, skip: set[str], chk: _Checker,
            where: str) -> dict[str, Any]:
    """Checked column values of one row (missing optional columns take their defaults)."""
    if not isinstance(obj, dict):
        chk.add(where, "row", "not an object")
        return {}
    out: dict[str, Any] = {}
    for col in _columns(model):
        if col.name in skip:
            continue
        if col.name not in obj:
            if not col.nullable and model.model_fields[col.name].is_required():
                chk.add(where, col.name, "missing")
            continue
        out[col.name] = _convert(col, obj[col.name], model, chk, where)
    return out


def _full_row(model: type[SQLModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values with the model's defaults filled in (for Core inserts)."""
    row = model(**values)
    return {c.name: getattr(row, c.name) for c in _columns(model) if c.name != "id"}


@dataclass(slots=True)
class _Plan:
    profile: dict[str, Any]
    overrides: list[tuple[str, dict[str, Any]]]
    decks: list[tuple[dict[str, Any], list[dict[str, Any]], list[tuple[str | None,
                                                                       dict[str, Any]]]]]
    cards: list[tuple[tuple[str, str, str], dict[str, Any]]]
    sessions: list[tuple[int, dict[str, Any]]]
    reviews: list[tuple[int, tuple[str, str, str], int | None, int | None, dict[str, Any]]]
    reports: list[tuple[tuple[str, str, str], dict[str, Any]]]


def _ref(obj: Any, chk: _Checker, where: str) -> tuple[str, str, str]:
    if not isinstance(obj, dict):
        return ("", "", "")
    parts = []
    for key in ("deck", "fact", "family"):
        v = obj.get(key)
        if not isinstance(v, str) or not v:
            chk.add(where, key, "missing or not text")
            v = ""
        parts.append(v)
    if parts[2] and parts[2] not in repo.FAMILIES:
        chk.add(where, "family", f"not one of {', '.join(repo.FAMILIES)}")
    return (parts[0], parts[1], parts[2])


def _check_profile_file(data: dict[str, Any], path: Path) -> _Plan:
    chk = _Checker(path)
    schema = data.get("schema")
    if isinstance(schema, int) and schema > SCHEMA_VERSION:
        raise ProgressFileError([f"{path}:1: schema: written by a newer quizapp (schema "
                                 f"{schema}); update quizapp to import it"])

    def items(key: str) -> list[Any]:
        raw = data.get(key, [])
        if not isinstance(raw, list):
            chk.add(key, key, "not a list")
            return []
        return raw

    profile = _values(ProfileRow, data.get("profile"), _PROFILE_SKIP, chk, "profile")
    if "name" in profile and isinstance(profile["name"], str) and not profile["name"].strip():
        chk.add("profile", "name", "empty")
    overrides = []
    for i, o in enumerate(items("deck_overrides")):
        where = f"deck_overrides[{i}]"
        deck = o.get("deck") if isinstance(o, dict) else None
        if not isinstance(deck, str):
            chk.add(where, "deck", "missing or not text")
            continue
        overrides.append((deck, _values(ProfileDeckRow, o, _OVERRIDE_SKIP, chk, where)))
    decks = []
    deck_facts: dict[str, set[str]] = {}
    for i, d in enumerate(items("decks")):
        where = f"decks[{i}]"
        values = _values(DeckRow, d, _DECK_SKIP, chk, where)
        if not isinstance(d, dict):
            continue
        sources = [_values(SourceRow, src, _SOURCE_SKIP, chk, f"{where}.sources[{j}]")
                   for j, src in enumerate(d.get("sources") or [])]
        facts = []
        for j, f in enumerate(d.get("facts") or []):
            fwhere = f"{where}.facts[{j}]"
            fvalues = _values(FactRow, f, _FACT_SKIP, chk, fwhere)
            source = f.get("source") if isinstance(f, dict) else None
            if source is not None and not isinstance(source, str):
                chk.add(fwhere, "source", "not text")
                source = None
            facts.append((source, fvalues))
        decks.append((values, sources, facts))
        deck_facts[str(values.get("key"))] = {str(fv.get("key")) for _, fv in facts}
    cards = []
    for i, c in enumerate(items("cards")):
        where = f"cards[{i}]"
        ref = _ref(c, chk, where)
        cards.append((ref, _values(CardRow, c, _CARD_SKIP, chk, where)))
    known_refs = {ref for ref, _ in cards}
    for ref in known_refs:
        if ref[0] and ref[1] and ref[1] not in deck_facts.get(ref[0], {ref[1]}):
            chk.add("cards", "fact", f"{ref[0]}/{ref[1]} is not among the file's facts")
    sessions = []
    session_ids: set[int] = set()
    for i, x in enumerate(items("sessions")):
        where = f"sessions[{i}]"
        sid = x.get("id") if isinstance(x, dict) else None
        if not isinstance(sid, int) or isinstance(sid, bool):
            chk.add(where, "id", "missing or not a whole number")
            continue
        session_ids.add(sid)
        sessions.append((sid, _values(StudySessionRow, x, _SESSION_SKIP, chk, where)))
    reviews = []
    seen: set[int] = set()
    for i, r in enumerate(items("reviews")):
        where = f"reviews[{i}]"
        if not isinstance(r, dict):
            chk.add(where, "review", "not an object")
            continue
        rid = r.get("id")
        if not isinstance(rid, int) or isinstance(rid, bool) or rid in seen:
            chk.add(where, "id", "missing, not a whole number, or used twice")
            continue
        ref = _ref(r, chk, where)
        if ref not in known_refs:
            chk.add(where, "card", f"{'/'.join(ref)} is not among the file's cards")
        session = r.get("session")
        if session is not None and session not in session_ids:
            chk.add(where, "session", f"{session} is not among the file's sessions")
        cancels = r.get("cancels")
        if cancels is not None and cancels not in seen:
            chk.add(where, "cancels", f"{cancels} is not an earlier review of the file")
        seen.add(rid)
        reviews.append((rid, ref, session, cancels,
                        _values(ReviewRow, r, _REVIEW_SKIP, chk, where)))
    reports = []
    for i, x in enumerate(items("reports")):
        where = f"reports[{i}]"
        ref = _ref(x, chk, where)
        if ref not in known_refs:
            chk.add(where, "card", f"{'/'.join(ref)} is not among the file's cards")
        reports.append((ref, _values(QuestionReportRow, x, _REPORT_SKIP, chk, where)))
    if chk.problems:
        raise ProgressFileError(chk.problems[:50])
    return _Plan(profile, overrides, decks, cards, sessions, reviews, reports)


def _many(s: Session, stmt: Any, rows: Sequence[Mapping[str, Any]]) -> Result[Any]:
    """Execute ``stmt`` for many parameter sets (ORM bulk insert or update by primary key)."""
    result: Result[Any] = s.exec(stmt, params=list(rows))
    return result


def _has_history(s: Session, profile_id: int) -> bool:
    for table in (review_table, session_table, report_table):
        q = sa_select(table.c.id).where(table.c.profile_id == profile_id).limit(1)
        if run(s, q).first() is not None:
            return True
    return False


def import_profile(collection: Collection, path: str | Path, *, name: str | None = None,
                   now: datetime | None = None) -> ProfileImportResult:
    """Import a profile file (one transaction; ProgressFileError writes nothing).

    The profile keeps its name unless ``name`` is given. A profile of that name
    already here is replaced only when it has no history at all (a fresh
    computer's default profile); otherwise the import is refused.
    Decks missing here are added from the file; facts missing from a deck that
    is here are added as retired facts, so their history is kept without
    changing what others study.
    """
    del now
    path = Path(path)
    plan = _check_profile_file(_read_json(path, PROFILE_FORMAT), path)
    target = (name or plan.profile.get("name") or "").strip()
    if not target:
        raise ProgressFileError([f"{path}:profile: name: missing"])
    with collection.transaction() as s:
        replaced = False
        existing = repo.find_profile_by_name(s, target)
        if existing is not None:
            assert existing.id is not None
            if _has_history(s, existing.id):
                raise ProgressFileError([
                    f"{path}:profile: name: a profile named {target!r} already exists here "
                    "with its own progress; import under another name"])
            repo.delete_profile(s, existing.id)
            s.expunge(existing)
            s.flush()
            replaced = True
        decks_added, facts_added, fact_ids, deck_ids = _import_decks(s, plan)
        profile = ProfileRow(**{**plan.profile, "name": target})
        s.add(profile)
        s.flush()
        assert profile.id is not None
        pid = profile.id
        all_profiles = [p for p in s.exec(select(ProfileRow.id)) if p is not None]
        repo.create_missing_cards(s, all_profiles)
        for deck_key, values in plan.overrides:
            if deck_key in deck_ids:
                s.add(ProfileDeckRow(**{**values, "profile_id": pid,
                                        "deck_id": deck_ids[deck_key]}))
        card_ids = _import_cards(s, pid, plan, fact_ids, deck_ids)
        session_map: dict[int, int] = {}
        if plan.sessions:
            rows = [_full_row(StudySessionRow, {**v, "profile_id": pid})
                    for _, v in plan.sessions]
            new = _many(s, insert(StudySessionRow).returning(
                session_table.c.id, sort_by_parameter_order=True), rows).scalars().all()
            session_map = {old: int(n) for (old, _), n in zip(plan.sessions, new, strict=True)}
        review_map: dict[int, int] = {}
        if plan.reviews:
            rows = [_full_row(ReviewRow, {**v, "profile_id": pid, "card_id": card_ids[ref],
                                          "session_id": session_map.get(sess)
                                          if sess is not None else None})
                    for _, ref, sess, _, v in plan.reviews]
            new = _many(s, insert(ReviewRow).returning(
                review_table.c.id, sort_by_parameter_order=True), rows).scalars().all()
            review_map = {rid: int(n) for (rid, *_), n in zip(plan.reviews, new, strict=True)}
            links = [{"id": review_map[rid], "cancels_id": review_map[cancels]}
                     for rid, _, _, cancels, _ in plan.reviews if cancels is not None]
            if links:
                _many(s, update(ReviewRow), links)
        for ref, v in plan.reports:
            card = s.get(CardRow, card_ids[ref])
            assert card is not None
            s.add(QuestionReportRow(**{**v, "profile_id": pid, "card_id": card_ids[ref],
                                       "fact_id": card.fact_id}))
        s.flush()
    return ProfileImportResult(pid, target, len(plan.cards), len(plan.sessions),
                               len(plan.reviews), len(plan.reports), decks_added, facts_added,
                               replaced)


def _import_decks(s: Session, plan: _Plan) -> tuple[int, int, dict[tuple[str, str], int],
                                                    dict[str, int]]:
    """Add the file's decks (or their missing facts); map (deck, fact) keys to row ids."""
    decks_added = facts_added = 0
    fact_ids: dict[tuple[str, str], int] = {}
    deck_ids: dict[str, int] = {}
    for values, sources, facts in plan.decks:
        key = str(values["key"])
        row = s.exec(select(DeckRow).where(DeckRow.key == key)).first()
        new_deck = row is None
        if row is None:
            row = DeckRow(**values)
            s.add(row)
            s.flush()
            decks_added += 1
        assert row.id is not None
        deck_id = row.id
        deck_ids[key] = deck_id
        source_ids = {src.key: src.id for src in s.exec(select(SourceRow).where(
            SourceRow.deck_id == deck_id))}
        for src in sources:
            if src.get("key") not in source_ids:
                srow = SourceRow(**{**src, "deck_id": deck_id})
                s.add(srow)
                s.flush()
                source_ids[srow.key] = srow.id
        have = repo.fact_ids_by_key(s, deck_id)
        position = int(run(s, sa_select(func.max(fact_table.c.position)).where(
            fact_table.c.deck_id == deck_id)).scalar() or 0)
        rows = []
        for source, fvalues in facts:
            if fvalues["key"] in have:
                continue
            extra: dict[str, Any] = {"deck_id": deck_id,
                                     "source_id": source_ids.get(source) if source else None}
            if not new_deck:  # history kept; what others study is not changed
                position += 1
                extra.update(retired=True, position=position)
            rows.append(_full_row(FactRow, {**fvalues, **extra}))
        if rows:
            _many(s, insert(FactRow), rows)
            facts_added += len(rows)
        s.flush()
        for fkey, fid in repo.fact_ids_by_key(s, deck_id).items():
            fact_ids[(key, fkey)] = fid
    return decks_added, facts_added, fact_ids, deck_ids


def _import_cards(s: Session, pid: int, plan: _Plan, fact_ids: Mapping[tuple[str, str], int],
                  deck_ids: Mapping[str, int]) -> dict[tuple[str, str, str], int]:
    """Give the new profile's cards the file's states; return card ids by reference."""
    have = {
        (fid, fam): cid
        for cid, fid, fam in s.exec(sa_select(CardRow.id, CardRow.fact_id, CardRow.family)  # type: ignore[call-overload]
                                    .where(CardRow.profile_id == pid))
    }
    missing = []
    for ref, _ in plan.cards:
        fid = fact_ids[(ref[0], ref[1])]
        if (fid, ref[2]) not in have:  # a retired fact: no card was created for it
            missing.append({"profile_id": pid, "fact_id": fid, "deck_id": deck_ids[ref[0]],
                            "family": ref[2], "state": 0})
    if missing:
        _many(s, insert(CardRow), missing)
        have = {
            (fid, fam): cid
            for cid, fid, fam in s.exec(sa_select(CardRow.id, CardRow.fact_id, CardRow.family)  # type: ignore[call-overload]
                                        .where(CardRow.profile_id == pid))
        }
    out: dict[tuple[str, str, str], int] = {}
    updates = []
    for ref, values in plan.cards:
        cid = have[(fact_ids[(ref[0], ref[1])], ref[2])]
        out[ref] = cid
        updates.append({"id": cid, **values})
    if updates:
        _many(s, update(CardRow), updates)
    return out
