"""quizapp's side of ``side_by_side.py``: a worker that times batches on request.

``side_by_side.py`` starts this process once per size and keeps it alive; it
sends one JSON request per line on standard input and reads one JSON reply per
line (the worker's standard output carries nothing else; progress goes to
stderr). Each request times one *batch* and replies with the batch's medians,
so that the orchestrator can alternate quizapp and Anki batches in time.

Requests (``op``):

- ``study`` (``n`` answers): ``StudySession.next_question`` (the question is
  built) and recording the answer durably (WAL, ``synchronous=FULL``), with
  the bare durable commit of the same disk (a one-row commit to a scratch
  SQLite file in the same folder, WAL, ``synchronous=FULL``) timed right after
  every answer. Replies ``next_question_ms``, ``answer_ms``, ``floor_ms`` and
  ``answer_minus_floor_ms`` (the median of each answer minus the floor commit
  timed after it). One session lives across batches, on a copy of the built
  file, its clock advancing 15 s per answer;
- ``deck_list`` (``n`` loads): ``Library.deck_summaries``, as the deck list
  loads it;
- ``stats`` (``n`` loads): the figures quizapp and Anki both show, computed
  the way the Progress screen computes them: answers and right answers per
  study day over the last year (which is also the year heatmap), true
  retention over the last 30 days, cards by state and the 30-day due forecast.
  Nothing changes between the loads: from the second on, quizapp returns the
  figures of the last reading (an unchanged database);
- ``stats_changed`` (``n`` loads): the same figures, each load after a change
  the figures do not show (a profile's name written as it was), untimed:
  committed on the reading's own connection (``ms``), and by another
  connection (``other_ms``, as a study session's answer is: SQLite then drops
  the reading connection's page cache too), so that every load reads again;
- ``stats_screen`` (``n`` loads): everything the Progress screen computes
  (``profile_stats``, ``retention_over_time``, ``fact_labels`` and the
  profile's settings), for reference;
- ``search`` (``n`` searches): the Browse screen's text search: the ordered
  ids of every matching fact plus the details of the first ``SUMMARY_PAGE``
  (50) of them;
- ``import`` (``file``): that delimited text file parsed and stored into a
  fresh database; replies rows per second and cards created per row;
- ``quit``.

Read-only requests run on a copy of the built file at the start of today; the
study batches on another copy.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


class CommitFloor:
    """A scratch SQLite file in a folder: one-row commits, durable as an answer's."""

    def __init__(self, path: Path) -> None:
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")

    def commit_s(self) -> float:
        """Seconds one durable one-row commit takes now."""
        t0 = time.perf_counter()
        self.conn.execute("BEGIN")
        self.conn.execute("INSERT INTO t (v) VALUES (?)", ("x" * 200,))
        self.conn.execute("COMMIT")
        return time.perf_counter() - t0

    def close(self) -> None:
        self.conn.close()
        for p in self.path.parent.glob(self.path.name + "*"):
            p.unlink()


def ms(samples: list[float]) -> float:
    """Median of seconds, in milliseconds."""
    return round(statistics.median(samples) * 1000, 4)


class QuizappSide:
    """The open collections and study session of one size."""

    def __init__(self, args: argparse.Namespace) -> None:
        from quizapp.gui.controllers.library import Library
        from quizapp.services.collection import Collection
        from quizapp.study import StudySession

        random.seed(args.seed)  # the scheduler's fuzz draws from the global generator
        self.rng = random.Random(args.seed)
        self.pid = int(args.profile_id)
        self.today = datetime.fromtimestamp(args.today, UTC)
        self.now = self.today + timedelta(hours=1)
        self.work = Path(args.workdir)
        self.work.mkdir(parents=True, exist_ok=True)
        src = Path(args.db)
        ro = self._copy(src, self.work / "readonly.sqlite3")
        study = self._copy(src, self.work / "study.sqlite3")
        self.col = Collection.open(f"sqlite:///{ro}", first_start=False)
        self.library = Library(self.col)
        self.study_col = Collection.open(f"sqlite:///{study}", first_start=False)
        self.session = StudySession(self.study_col, self.pid)
        self.clock = self.now
        self.question = self.session.next_question(self.clock)
        self.floor = CommitFloor(self.work / "floor.sqlite3")

    @staticmethod
    def _copy(src: Path, dst: Path) -> Path:
        for p in dst.parent.glob(dst.name + "*"):
            p.unlink()
        shutil.copyfile(src, dst)
        return dst

    def study(self, n: int) -> dict[str, Any]:
        from quizapp.questions.model import Form

        nexts, answers, floors, net = [], [], [], []
        for _ in range(n):
            q = self.question
            if q is None:
                break
            ok = self.rng.random() < 0.85
            before = self.floor.commit_s()
            t0 = time.perf_counter()
            if q.form is Form.FLASHCARD:
                self.session.answer_flashcard(q, 3 if ok else 1, self.clock, 4000)
            else:
                self.session.answer(q, q.answers[0] if ok else "no idea", self.clock, 4000)
            answer = time.perf_counter() - t0
            floor = (before + self.floor.commit_s()) / 2  # the disk just before and after
            self.clock += timedelta(seconds=15)
            t0 = time.perf_counter()
            self.question = self.session.next_question(self.clock)
            nexts.append(time.perf_counter() - t0)
            answers.append(answer)
            floors.append(floor)
            net.append(answer - floor)
        if not answers:
            raise RuntimeError("the study queue ran out")
        return {
            "n": len(answers),
            "next_question_ms": ms(nexts),
            "answer_ms": ms(answers),
            "floor_ms": ms(floors),
            "answer_minus_floor_ms": ms(net),
        }

    def deck_list(self, n: int) -> dict[str, Any]:
        samples = []
        for _ in range(n):
            t0 = time.perf_counter()
            decks = self.library.deck_summaries(self.pid, self.now)
            samples.append(time.perf_counter() - t0)
        return {"ms": ms(samples), "decks": len(decks),
                "counts": [[d.new, d.learning, d.due, d.total] for d in decks]}

    def stats(self, n: int) -> dict[str, Any]:
        from quizapp.storage.stats import _common, _connection, _statements

        samples = []
        for _ in range(n):
            t0 = time.perf_counter()
            with _connection(self.col) as conn:
                _name, _today, per_day, retention, cards, forecast = _common(
                    conn, _statements(conn.dialect.name), self.pid, self.now, keep=True)
            samples.append(time.perf_counter() - t0)
        return {"ms": ms(samples), "days_with_answers": len(per_day),
                "answers_365d": sum(d["reviews"] for d in per_day),
                "retention_30d": retention["rate"], "cards": cards,
                "forecast_30d": sum(d["due"] for d in forecast)}

    def stats_changed(self, n: int) -> dict[str, Any]:
        from quizapp.storage.stats import _common, _connection, _statements

        db = self.col.engine.url.database
        assert db is not None
        other = sqlite3.connect(db, isolation_level=None)
        same: list[float] = []
        others: list[float] = []
        try:
            for i in range(2 * n):
                if i % 2 == 0:  # on the pooled connection the reading takes next
                    with self.col.engine.connect() as conn:
                        conn.exec_driver_sql("UPDATE profile SET name = name WHERE id = ?",
                                             (self.pid,))
                        conn.commit()
                else:
                    other.execute("UPDATE profile SET name = name WHERE id = ?", (self.pid,))
                t0 = time.perf_counter()
                with _connection(self.col) as conn:
                    _common(conn, _statements(conn.dialect.name), self.pid, self.now, keep=True)
                (same if i % 2 == 0 else others).append(time.perf_counter() - t0)
        finally:
            other.close()
        return {"ms": ms(same), "other_ms": ms(others)}

    def stats_screen(self, n: int) -> dict[str, Any]:
        from quizapp.browse import fact_labels, retention_over_time
        from quizapp.services.profiles import profile_settings
        from quizapp.storage.stats import profile_stats

        samples = []
        for _ in range(n):
            t0 = time.perf_counter()
            stats = profile_stats(self.col, self.pid, self.now)
            retention_over_time(self.col, self.pid, self.now)
            wanted = [(x["deck"], x["fact_id"])
                      for part in ("wrong_choices", "most_missed", "leeches") for x in stats[part]]
            fact_labels(self.col, wanted)
            profile_settings(self.col, self.pid).scheduler  # noqa: B018 (as the screen reads it)
            samples.append(time.perf_counter() - t0)
        return {"ms": ms(samples)}

    def search(self, n: int, word: str) -> dict[str, Any]:
        from quizapp.browse import SUMMARY_PAGE, FactQuery, fact_summaries, search_fact_ids

        query = FactQuery(text=word)
        samples = []
        hits = rows = 0
        for _ in range(n):
            t0 = time.perf_counter()
            ids = search_fact_ids(self.col, self.pid, query, self.now)
            page = fact_summaries(self.col, self.pid, ids[:SUMMARY_PAGE])
            samples.append(time.perf_counter() - t0)
            hits, rows = len(ids), len(page)
        return {"ms": ms(samples), "hits": hits, "detail_rows": rows}

    def import_file(self, path: str, rows: int) -> dict[str, Any]:
        from quizapp.importers import detect_and_load
        from quizapp.services.collection import Collection

        folder = self.work / "import"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        # The first start (schema, seed deck) happens before the timing, as in the app.
        with Collection.open(f"sqlite:///{folder / 'quizapp.sqlite3'}") as icol:
            t0 = time.perf_counter()
            deck = detect_and_load(Path(path), lambda done, total: None)
            result = icol.import_deck(deck)
            took = time.perf_counter() - t0
        shutil.rmtree(folder)
        if len(deck.facts) != rows:
            raise RuntimeError(f"imported {len(deck.facts)} rows, wanted {rows}")
        return {"rows_per_s": round(rows / took, 1), "s": round(took, 4),
                "cards_per_row": round(result.cards_created / rows, 3)}

    def close(self) -> None:
        self.floor.close()
        self.col.close()
        self.study_col.close()


def serve(args: argparse.Namespace) -> int:
    """Answer requests, one JSON line in, one JSON line out, until ``quit``."""
    from line_protocol import serve as serve_lines

    return serve_lines(lambda: QuizappSide(args))


def main(argv: list[str] | None = None) -> int:
    """Run the worker (``side_by_side.py`` starts it)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", required=True, help="the built SQLite file (left unchanged)")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--profile-id", type=int, required=True)
    parser.add_argument("--today", type=float, required=True, help="start of today (epoch)")
    parser.add_argument("--seed", type=int, default=1)
    return serve(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
