"""quizapp and Anki side by side: the same work on the same sizes, interleaved in time, with ratios.

For each size N (``--sizes``) it

1. **builds** both collections at once (building is not measured), with the
   same content and a history of ``--days`` days in which ``--studied-share``
   of the cards were introduced, every random choice seeded (``--seed``; the
   scheduler's fuzz too), so that a rerun on the same day builds identical
   histories (the table prints a digest of each history's rows): quizapp's
   with ``bench_perf.py``'s builder (one deck of N Q/A facts, N cards: one
   card, one memory, per fact), Anki's with ``anki_side.py build`` (one deck
   of N *Basic* notes with the very same texts, N cards, its history made by
   Anki's own scheduler under libfaketime);
2. **starts one worker per side** and keeps both alive (``quizapp_side.py``
   in this interpreter, ``anki_side.py serve`` — or ``--anki-script`` — with
   ``--anki-python``). They take requests over a line protocol (one JSON
   request per line on stdin, one JSON reply on stdout); each request times
   one batch of the same work on its side;
3. **interleaves** the batches: every figure is measured ``--repeats`` times
   (default 3), each time one quizapp batch and one Anki batch back to back,
   the side that goes first alternating (A B, B A, A B, …), so that both
   sides of a ratio meet the same moment of a shared, noisy machine. A
   figure's value on each side is the median of its batch medians; its ratio
   (quizapp ÷ Anki, in the figure's unit) is the median of the per-repeat
   ratios, with their minimum and maximum (the spread);
4. times **cold starts** as alternating short processes, and the **desktop
   app** (quizapp only, offscreen Qt).

Figures (quizapp ↔ Anki), the same work on both sides:

- ``next_question``: ``StudySession.next_question`` (question built) ↔
  ``get_queued_cards`` + the card's question and answer rendered;
- ``answer``: the answer recorded durably (WAL, ``synchronous=FULL`` on both)
  ↔ ``build_answer`` + ``answer_card``; beside it ``commit_floor``, the bare
  durable commit (one row into a scratch SQLite file, WAL,
  ``synchronous=FULL``) timed by each process in the same folder right before
  and right after each answer (the answer's floor is the mean of the two), and
  ``answer_minus_floor``, the median of each answer minus its floor: the
  answer's own cost, whatever the disk was doing at that moment;
- ``deck_list``: ``Library.deck_summaries`` ↔ ``sched.deck_due_tree()``;
- ``stats``: the nearest common set of statistics, which both apps show:
  answers and right answers per day over the last year (also the year
  heatmap), true retention over the last 30 days, cards by state, the 30-day
  due forecast. quizapp computes them with the Progress screen's own
  statements; Anki's Statistics screen has no call for a subset, so its side
  is SQL on Anki's tables through ``col.db``. ``stats_screen`` adds the whole
  screens for reference: quizapp's Progress screen (per-day answers,
  streak, 30-day retention, cards by state, 30-day forecast, mastery by deck
  and kind, most missed, wrong choices, leeches, weekly retention over 26
  weeks) ↔ Anki's ``graphs(days=365)`` (today, future due, calendar heatmap,
  reviews, card counts, added, hours, buttons, intervals, ease or
  difficulty, stability, retrievability, true retention table);
- ``search``: the Browse screen's text search for ``--search-word``: ordered
  ids of every match plus the details of the first 50 rows on both sides
  (``search_fact_ids`` + ``fact_summaries`` ↔ notes mode ``find_notes(word,
  order=True)`` + ``browser_row_for_id``);
- ``import``: the same file on both sides, in rows per second (higher is
  better): ``--import-rows`` rows (default N) of front, back and tags, tab
  separated with Anki's headers (notetype *Basic*, tags
  column), parsed and stored into a fresh database; cards created per row
  are reported for each side;
- ``cold_start``: a fresh process, seconds: ``quizapp decks`` (imports, opens
  the collection, loads the decks with their counts, closes) ↔ ``anki_side.py
  cold`` (imports ``anki.collection``, opens, ``deck_due_tree``, closes), both
  with compiled bytecode after an untimed warm-up;
- ``db_size``: MiB of pages in use (page count minus free pages) of each built
  file;
- quizapp only (desktop app, offscreen): ``gui_first_question``, process
  start to first question painted with a recent backup present;
  ``gui_first_start``, the same with no recent backup in ``QUIZAPP_HOME``
  (the start-up backup is due; it begins a second after the first screen is
  painted, and the window, closed at the first question, takes the exit
  backup instead); ``close``, from the close being asked for (at the first
  question) to the window being hidden, what the learner waits for;
  ``close_process``, from the first question painted to the process'
  exit: closing the collection, the exit backup and its check, which run
  after the window has gone.

With ``--out FILE.json`` it writes ``{"sizes": {"<N>": {"<figure>": {"unit",
"quizapp", "anki", "ratio", "ratio_min", "ratio_max", …}}}, …}``.

    python benchmarks/side_by_side.py --anki-python /tmp/ankibench/bin/python \\
        --sizes 1000 10000 100000 --out side_by_side.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_perf import article_fact, study_day_start  # noqa: E402

GUI_STAMP = "first-question-painted"
GUI_CLOSED = "window-closed"

# figure: (unit, lower is better, target as (comparison, value), quizapp only)
FIGURES: dict[str, tuple[str, bool, tuple[str, float] | None, bool]] = {
    "next_question": ("ms", True, None, False),
    "answer": ("ms", True, ("≤", 1.0), False),
    "commit_floor": ("ms", True, None, False),
    "answer_minus_floor": ("ms", True, None, False),
    "deck_list": ("ms", True, None, False),
    "stats": ("ms", True, ("≤", 0.4), False),
    "stats_changed": ("ms", True, None, False),
    "stats_repeat": ("ms", True, None, False),
    "stats_screen": ("ms", True, None, False),
    "search": ("ms", True, ("≤", 1.0), False),
    "import": ("rows/s", False, ("≥", 1.5), False),
    "cold_start": ("s", True, ("≤", 1.5), False),
    "db_size": ("MiB", True, ("≤", 1.5), False),
    "gui_first_question": ("s", True, None, True),
    "gui_first_start": ("s", True, ("<", 1.0), True),
    "close": ("s", True, ("<", 0.5), True),
}
LABELS = {
    "next_question": "next question (+ render)",
    "answer": "answer recorded (sync=FULL)",
    "commit_floor": "bare durable commit, same folder",
    "answer_minus_floor": "answer − commit floor",
    "deck_list": "deck list with counts",
    "stats": "statistics, common set (fresh: after another connection's commit)",
    "stats_changed": "statistics, common set, after a commit on its own connection",
    "stats_repeat": "statistics, common set, unchanged file read again (reference)",
    "stats_screen": "statistics, whole screen (reference)",
    "search": "text search: ids + first 50 rows",
    "import": "import, same TSV rows",
    "cold_start": "cold `quizapp decks` ↔ open→deck tree→close",
    "db_size": "database, pages in use",
    "gui_first_question": "GUI start → first question (recent backup)",
    "gui_first_start": "GUI first start, start-up backup due",
    "close": "GUI close, until the window is gone",
    "close_process": "GUI close, until the process ends (exit backup + check)",
    "close_after_first_start": "GUI close after a first start (start-up backup too)",
}

# What each side's statistics screen computes, and the common set ``stats`` times.
STATS_FIGURES = {
    "common": ["answers and right answers per day, last 365 days (also the year heatmap)",
               "true retention, last 30 days", "cards by state", "due forecast, next 30 days"],
    "quizapp_progress_screen": [
        "answers and right answers per day, last 365 days (heatmap)", "streak",
        "true retention, last 30 days", "cards by state", "due forecast, next 30 days",
        "mastery by deck and kind", "most missed facts", "wrong choices", "leeches",
        "true retention per week, 26 weeks"],
    "anki_statistics_screen": [
        "today", "future due (forecast)", "calendar heatmap", "reviews per day",
        "card counts", "added per day", "hourly breakdown", "answer buttons",
        "review intervals", "ease or difficulty", "stability", "retrievability",
        "true retention table"],
}


def log(msg: str) -> None:
    print(f"[side_by_side {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# workers and processes


class Worker:
    """One side's long-lived worker: a JSON request per line, a JSON reply per line."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str] | None = None) -> None:
        self.name = name
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     env=env, text=True, bufsize=1)
        self._read()  # {"ready": true}

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.name} worker ended (exit {self.proc.wait()})")
        reply = dict(json.loads(line))
        if "error" in reply:
            raise RuntimeError(f"{self.name}: {reply['error']}")
        return reply

    def ask(self, **request: Any) -> dict[str, Any]:
        """Send one request and wait for its reply."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.ask(op="quit")
            finally:
                assert self.proc.stdin is not None
                self.proc.stdin.close()
                self.proc.wait(120)


def run_json(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run a command to its end and parse the JSON object on its last stdout line."""
    done = subprocess.run(cmd, stdout=subprocess.PIPE, env=env, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def timed_process(cmd: list[str], env: dict[str, str]) -> tuple[float, str, float]:
    """(spawn epoch, stdout, exit epoch) of one process run to its end."""
    start = time.time()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900,
                          check=False)
    end = time.time()
    if done.returncode != 0:
        raise RuntimeError(f"{cmd[:4]} exited with {done.returncode}: {done.stderr[-2000:]}")
    return start, done.stdout, end


def compiled_env(folder: Path) -> dict[str, str]:
    """An environment whose processes keep compiled bytecode, as an installed app has."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(folder / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("QUIZAPP_DATABASE_URL", None)
    return env


def pages_in_use_mib(path: Path) -> float:
    """MiB of the SQLite file's pages that hold data (free pages left out)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        count = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    finally:
        conn.close()
    return round((count - free) * size / 2**20, 3)


def history_digest(path: Path, sql: str) -> str:
    """A short digest of a built history's rows: equal digests, identical histories."""
    import hashlib

    digest = hashlib.sha256()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        for row in conn.execute(sql):
            digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()[:12]


QUIZAPP_HISTORY = ("SELECT card_id, reviewed_at, rating, after_state, after_step, after_stability,"
                   " after_difficulty, after_due, after_last_review, after_reps, after_lapses"
                   " FROM review ORDER BY id")
ANKI_HISTORY = "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"


def write_import_file(path: Path, rows: int, seed: int) -> None:
    """The import both sides read: tab-separated front, back, tags, with Anki's headers."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("#separator:tab\n#html:false\n#notetype:Basic\n"
                 "#deck:Imported deck\n#tags column:3\n#columns:Front\tBack\tTags\n")
        for i in range(rows):
            front, back = article_fact(i, rng)
            fh.write(f"Row {i}: {front}\t{back}\ttag{i % 20} set{i % 3}\n")


# --------------------------------------------------------------------------
# one size


def build(args: argparse.Namespace, size: int, folder: Path, today: datetime
          ) -> tuple[Path, dict[str, Any], Path, dict[str, Any]]:
    """Both collections, built at once (or reused from ``--keep`` when built alike)."""
    key = f"{size}-d{args.days}-s{args.studied_share}-seed{args.seed}-{today:%Y%m%d}"
    qdb, adb = folder / f"quizapp-{key}.sqlite3", folder / f"anki-{key}.anki2"
    report = folder / f"built-{key}.json"
    if report.exists() and qdb.exists() and adb.exists():
        saved = json.loads(report.read_text(encoding="utf-8"))
        log(f"N={size}: reusing the collections built alike in {folder}")
        return qdb, saved["quizapp"], adb, saved["anki"]
    for p in (*folder.glob(qdb.name + "*"), *folder.glob(adb.name + "*")):
        p.unlink()
    common = ["--days", str(args.days), "--studied-share", str(args.studied_share),
              "--seed", str(args.seed)]
    qcmd = [sys.executable, str(HERE / "bench_perf.py"), "--phase", "build", "--db", str(qdb),
            "--cards", str(size), "--today", str(today.timestamp()), *common]
    acmd = [args.anki_python, str(args.anki_script), "build", "--col", str(adb),
            "--notes", str(size), "--today", str(today.timestamp() + 3600), *common]
    log(f"N={size}: building both collections")
    results: dict[str, dict[str, Any]] = {}
    errors: list[BaseException] = []

    def run(name: str, cmd: list[str]) -> None:
        try:
            results[name] = run_json(cmd)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=("quizapp", qcmd)),
               threading.Thread(target=run, args=("anki", acmd))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    report.write_text(json.dumps(results), encoding="utf-8")
    return qdb, results["quizapp"], adb, results["anki"]


def interleaved(repeats: int, quizapp: Callable[[], float], anki: Callable[[], float]
                ) -> tuple[list[float], list[float]]:
    """Each repeat one quizapp and one Anki batch back to back; who goes first alternates."""
    qs: list[float] = []
    aks: list[float] = []
    for r in range(repeats):
        if r % 2 == 0:
            qs.append(quizapp())
            aks.append(anki())
        else:
            aks.append(anki())
            qs.append(quizapp())
    return qs, aks


def run_size(args: argparse.Namespace, size: int, folder: Path) -> dict[str, Any]:
    today = study_day_start(time.time())
    qdb, qbuilt, adb, abuilt = build(args, size, folder, today)
    log(f"N={size}: quizapp {qbuilt['reviews']} reviews, Anki {abuilt['reviews']} reviews")
    work = folder / f"work-{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    env = compiled_env(folder)
    reps = args.repeats
    values: dict[str, tuple[list[float], list[float]]] = {}
    meta: dict[str, Any] = {
        "history": {
            "quizapp": {k: qbuilt[k] for k in ("cards", "facts", "reviews", "studied_cards",
                                               "cards_by_state")},
            "anki": {k: abuilt[k] for k in ("cards", "notes", "reviews", "studied_cards",
                                            "cards_by_type")},
            "days": args.days, "studied_share": args.studied_share, "seed": args.seed,
            "digest": {"quizapp": history_digest(qdb, QUIZAPP_HISTORY),
                       "anki": history_digest(adb, ANKI_HISTORY)},
        },
    }
    qw = Worker("quizapp", [sys.executable, str(HERE / "quizapp_side.py"), "--db", str(qdb),
                            "--workdir", str(work / "quizapp"),
                            "--profile-id", str(qbuilt["profile_id"]),
                            "--today", str(today.timestamp()), "--seed", str(args.seed)], env)
    try:
        aw = Worker("anki", [args.anki_python, str(args.anki_script), "serve", "--col", str(adb),
                             "--workdir", str(work / "anki"), "--seed", str(args.seed)], env)
        try:
            replies: dict[str, dict[str, dict[str, Any]]] = {}

            def batch(worker: Worker, figure: str, key: str = "ms", **request: Any
                      ) -> Callable[[], float]:
                def go() -> float:
                    reply = worker.ask(**request)
                    replies.setdefault(figure, {})[worker.name] = reply
                    return float(reply[key])
                return go

            for figure, n in (("deck_list", args.deck_reps), ("stats_repeat", args.stats_reps),
                              ("stats_screen", args.stats_reps),
                              ("search", args.search_reps)):
                log(f"N={size}: {figure}")
                extra = {"word": args.search_word} if figure == "search" else {}
                op = "stats" if figure == "stats_repeat" else figure
                values[figure] = interleaved(reps, batch(qw, figure, op=op, n=n, **extra),
                                             batch(aw, figure, op=op, n=n, **extra))
            # The common set again, quizapp reading after a change each time (Anki reads
            # every time anyway): one quizapp batch gives both kinds of change.
            changed: list[dict[str, Any]] = []

            def changed_batch() -> float:
                reply = qw.ask(op="stats_changed", n=args.stats_reps)
                changed.append(reply)
                return float(reply["ms"])

            log(f"N={size}: stats_changed")
            qs, aks = interleaved(reps, changed_batch, batch(aw, "stats", op="stats",
                                                              n=args.stats_reps))
            values["stats_changed"] = (qs, aks)
            # The promised figure is the fresh reading (Anki reads afresh every time):
            # after another connection's commit, as after a study session's answers.
            values["stats"] = ([float(r["other_ms"]) for r in changed], aks)
            meta["search"] = {side: {k: v for k, v in r.items() if k != "ms"}
                              for side, r in replies["search"].items()}
            meta["search"]["word"] = args.search_word
            meta["stats"] = {side: {k: v for k, v in r.items() if k != "ms"}
                             for side, r in replies["stats_repeat"].items()}
            meta["deck_list"] = {side: r["counts"] for side, r in replies["deck_list"].items()}

            log(f"N={size}: study ({reps} × {args.answers} answers a side)")
            study: dict[str, list[dict[str, Any]]] = {"quizapp": [], "anki": []}

            def study_batch(worker: Worker) -> Callable[[], float]:
                def go() -> float:
                    reply = worker.ask(op="study", n=args.answers)
                    study[worker.name].append(reply)
                    return float(reply["answer_ms"])
                return go

            interleaved(reps, study_batch(qw), study_batch(aw))
            for figure, key in (("next_question", "next_question_ms"), ("answer", "answer_ms"),
                                ("commit_floor", "floor_ms"),
                                ("answer_minus_floor", "answer_minus_floor_ms")):
                values[figure] = ([float(r[key]) for r in study["quizapp"]],
                                  [float(r[key]) for r in study["anki"]])
            meta["study"] = {"answers_per_batch": args.answers,
                             "anki_queue_refills": study["anki"][-1].get("refills")}

            log(f"N={size}: import ({reps} × {args.import_rows or size} rows a side)")
            rows = args.import_rows or size
            per_row: dict[str, float] = {}

            files = [work / f"import-{r}.tsv" for r in range(reps)]
            for r, path in enumerate(files):  # one file per repeat, read by both sides
                write_import_file(path, rows, args.seed + 100 + r)

            def import_batch(worker: Worker) -> Callable[[], float]:
                calls = iter(files)

                def go() -> float:
                    reply = worker.ask(op="import", file=str(next(calls)), rows=rows)
                    per_row[worker.name] = reply["cards_per_row"]
                    return float(reply["rows_per_s"])
                return go

            qs, aks = interleaved(reps, import_batch(qw), import_batch(aw))
            for path in files:
                path.unlink()
            values["import"] = (qs, aks)
            meta["import"] = {"rows": rows, "cards_per_row": per_row}
        finally:
            aw.close()
    finally:
        qw.close()

    values["db_size"] = ([pages_in_use_mib(qdb)] * reps, [pages_in_use_mib(adb)] * reps)
    meta["db_file_bytes"] = {"quizapp": qdb.stat().st_size, "anki": adb.stat().st_size}

    log(f"N={size}: cold starts ({reps} × {args.cold_batch} a side)")
    home = work / "cold-home"
    home.mkdir()
    shutil.copyfile(qdb, home / "quizapp.sqlite3")
    acold = work / "cold.anki2"
    shutil.copyfile(adb, acold)
    qcold_env = dict(env, QUIZAPP_HOME=str(home))
    qcmd = [sys.executable, "-m", "quizapp", "decks"]
    acmd = [args.anki_python, str(args.anki_script), "cold", "--col", str(acold)]

    def cold_batch(cmd: list[str], cenv: dict[str, str]) -> Callable[[], float]:
        def go() -> float:
            walls = []
            for _ in range(args.cold_batch):
                start, _out, end = timed_process(cmd, cenv)
                walls.append(end - start)
            return statistics.median(walls)
        return go

    timed_process(qcmd, qcold_env)  # warm-up: compiles the bytecode, untimed
    timed_process(acmd, env)
    values["cold_start"] = interleaved(reps, cold_batch(qcmd, qcold_env), cold_batch(acmd, env))

    if args.gui:
        log(f"N={size}: desktop app starts ({reps} with a recent backup, {reps} without)")
        values.update(gui_figures(args, qdb, work, env))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return {"values": values, "meta": meta}


def gui_figures(args: argparse.Namespace, db: Path, work: Path, env: dict[str, str]
                ) -> dict[str, tuple[list[float], list[float]]]:
    """The desktop app (offscreen): first question, first start without a backup, close."""
    from quizapp.storage.backup import backup_dir

    home = work / "gui-home"
    home.mkdir()
    shutil.copyfile(db, home / "quizapp.sqlite3")
    (home / "gui.json").write_text(json.dumps({"hint_shown": True}), encoding="utf-8")
    genv = dict(env, QUIZAPP_HOME=str(home), QT_QPA_PLATFORM=args.platform,
                QUIZAPP_STUDY_AT_START="1", QUIZAPP_FIRST_QUESTION_STAMP="quit")
    cmd = [sys.executable, "-m", "quizapp"]

    def one() -> tuple[float, float, float]:
        """Start → first question, first question → window gone, and → process exit."""
        start, out, end = timed_process(cmd, genv)
        stamps = {}
        asked = None
        for line in out.splitlines():
            words = line.split()
            if len(words) in (2, 3) and words[0] in (GUI_STAMP, GUI_CLOSED):
                stamps[words[0]] = float(words[1])
                if words[0] == GUI_CLOSED and len(words) == 3:  # hidden; the close asked
                    asked = float(words[2])
        if GUI_STAMP not in stamps:
            raise RuntimeError(f"no {GUI_STAMP!r} line from the app")
        painted = stamps[GUI_STAMP]
        return (painted - start, stamps.get(GUI_CLOSED, end) - (asked or painted),
                end - painted)

    one()  # warm-up: compiles the bytecode and takes the start-up backup, untimed
    first_q, close, close_process, first_start, close_after_first = [], [], [], [], []
    for _ in range(args.repeats):
        shown, closed, ended = one()  # the backup taken moments ago is recent: none at start
        first_q.append(shown)
        close.append(closed)
        close_process.append(ended)
        shutil.rmtree(backup_dir(home), ignore_errors=True)  # no recent backup now
        shown, closed, _ended = one()
        first_start.append(shown)
        close_after_first.append(closed)
    return {"gui_first_question": (first_q, []), "gui_first_start": (first_start, []),
            "close": (close, []), "close_process": (close_process, []),
            "close_after_first_start": (close_after_first, [])}


# --------------------------------------------------------------------------
# figures, table, JSON


#: What ``--out`` promises for every size: these figures, each with these keys.
CONTRACT_PAIRED = ("next_question", "answer", "answer_minus_floor", "deck_list", "stats",
                   "search", "import", "cold_start", "db_size")
CONTRACT_QUIZAPP_ONLY = ("gui_first_question", "gui_first_start", "close")
CONTRACT_KEYS = ("unit", "quizapp", "anki", "ratio", "ratio_min", "ratio_max")


def sizes_json(values: dict[int, dict[str, tuple[list[float], list[float]]]]
               ) -> dict[str, dict[str, dict[str, Any]]]:
    """``{"<N>": {"<figure>": entry}}`` from each size's per-repeat values of each side."""
    return {str(size): {name: figure_entry(name, qs, aks) for name, (qs, aks) in figures.items()}
            for size, figures in values.items()}


def contract_problems(out: dict[str, Any], *, gui: bool = True) -> list[str]:
    """What in ``out`` breaks the ``--out`` contract (nothing: an empty list)."""
    problems = []
    sizes = out.get("sizes")
    if not isinstance(sizes, dict) or not sizes:
        return ["no sizes"]
    number = (int, float)
    for size, figures in sizes.items():
        if not size.isdigit():
            problems.append(f"size {size!r} is not a number of cards")
        wanted = CONTRACT_PAIRED + (CONTRACT_QUIZAPP_ONLY if gui else ())
        for name in wanted:
            f = figures.get(name)
            if not isinstance(f, dict):
                problems.append(f"{size}: no {name}")
                continue
            missing = [k for k in CONTRACT_KEYS if k not in f]
            if missing:
                problems.append(f"{size}: {name} lacks {missing}")
                continue
            if f["unit"] != FIGURES[name][0]:
                problems.append(f"{size}: {name} in {f['unit']!r}, not {FIGURES[name][0]!r}")
            if not isinstance(f["quizapp"], number):
                problems.append(f"{size}: {name} has no quizapp value")
            if name in CONTRACT_QUIZAPP_ONLY:
                if any(f[k] is not None for k in CONTRACT_KEYS[2:]):
                    problems.append(f"{size}: {name} is quizapp only, yet has an Anki side")
                continue
            if not isinstance(f["anki"], number):
                problems.append(f"{size}: {name} has no Anki value")
            ratios = [f[k] for k in ("ratio_min", "ratio", "ratio_max")]
            anki_runs = f.get("anki_runs") or [f["anki"]]
            if all(isinstance(r, number) for r in ratios):
                if not ratios[0] <= ratios[1] <= ratios[2]:
                    problems.append(f"{size}: {name}'s ratio is outside its range")
            elif all(isinstance(a, number) and a > 0 for a in anki_runs):
                # none only when an Anki value is not positive (answer minus floor can be)
                problems.append(f"{size}: {name} has no ratio")
    return problems


def figure_entry(figure: str, qs: list[float], aks: list[float]) -> dict[str, Any]:
    """One figure's medians, ratio (median of the per-repeat ratios) and its range."""
    unit = FIGURES.get(figure, ("s", True, None, True))[0]
    entry: dict[str, Any] = {"unit": unit, "quizapp": round(statistics.median(qs), 4),
                             "anki": round(statistics.median(aks), 4) if aks else None,
                             "ratio": None, "ratio_min": None, "ratio_max": None,
                             "quizapp_runs": [round(v, 4) for v in qs],
                             "anki_runs": [round(v, 4) for v in aks]}
    if aks and all(a > 0 for a in aks):
        ratios = [q / a for q, a in zip(qs, aks, strict=True)]
        entry.update(ratio=round(statistics.median(ratios), 4),
                     ratio_min=round(min(ratios), 4), ratio_max=round(max(ratios), 4))
    spec = FIGURES.get(figure)
    if spec is not None and spec[2] is not None:
        comparison, target = spec[2]
        value = entry["quizapp"] if spec[3] else entry["ratio"]
        entry["target"] = f"{comparison} {target:g}{' s' if spec[3] else '×'}"
        if value is not None:
            entry["met"] = {"≤": value <= target, "≥": value >= target,
                            "<": value < target}[comparison]
    return entry


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def _spread(runs: list[float]) -> str:
    return f"{_fmt(min(runs))}–{_fmt(max(runs))}" if runs else "—"


def table(size: int, figures: dict[str, dict[str, Any]], meta: dict[str, Any]) -> str:
    """The markdown table of one size."""
    h = meta["history"]
    q, a = h["quizapp"], h["anki"]
    lines = [
        f"### {size:,} cards",
        "",
        f"History ({h['days']} days, studied share {h['studied_share']}, seed {h['seed']}): "
        f"quizapp {q['facts']:,} Q/A facts = {q['cards']:,} cards, {q['reviews']:,} reviews "
        f"({q['reviews'] / max(1, q['cards']):.2f}/card); Anki {a['notes']:,} notes = "
        f"{a['cards']:,} cards, {a['reviews']:,} revlog rows "
        f"({a['reviews'] / max(1, a['cards']):.2f}/card); history digests quizapp "
        f"{h['digest']['quizapp']}, Anki {h['digest']['anki']}. Search "
        f"{meta['search']['word']!r}: quizapp {meta['search']['quizapp']['hits']:,} facts, "
        f"Anki {meta['search']['anki']['hits']:,} notes. Import {meta['import']['rows']:,} "
        f"rows: cards per row quizapp {meta['import']['cards_per_row'].get('quizapp')}, Anki "
        f"{meta['import']['cards_per_row'].get('anki')}.",
        "",
        "| figure | unit | quizapp | (range) | Anki | (range) | ratio | ratio range | target "
        "| met? |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for name, f in figures.items():
        ratio = "—" if f["ratio"] is None else f"{f['ratio']:.2f}×"
        spread = ("—" if f["ratio_min"] is None
                  else f"{f['ratio_min']:.2f}–{f['ratio_max']:.2f}×")
        met = {True: "yes", False: "**no**", None: "—"}[f.get("met")]
        lines.append(
            f"| {LABELS.get(name, name)} | {f['unit']} | {_fmt(f['quizapp'])} | "
            f"{_spread(f['quizapp_runs'])} | {_fmt(f['anki'])} | {_spread(f['anki_runs'])} | "
            f"{ratio} | {spread} | {f.get('target', '—')} | {met} |")
    lines.append("")
    return "\n".join(lines)


def add_run_arguments(parser: argparse.ArgumentParser, *, repeats: int,
                      repeats_help: str) -> None:
    """The options every side-by-side run takes: the Anki side, the sizes, the
    history built, the repeats and the answers per study batch, and ``--out``."""
    parser.add_argument("--anki-script", type=Path, default=HERE / "anki_side.py",
                        help="Anki's side (default benchmarks/anki_side.py)")
    parser.add_argument("--anki-python", required=True,
                        help="Python of a virtualenv with anki==26.9.3 and libfaketime")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--studied-share", type=float, default=0.35)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=repeats, help=repeats_help)
    parser.add_argument("--answers", type=int, default=100, help="answers per study batch")


def main(argv: list[str] | None = None) -> int:
    """Run both sides per size, interleaved, and print the tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    add_run_arguments(parser, repeats=3, repeats_help="interleaved repeats per figure")
    parser.add_argument("--deck-reps", type=int, default=10, help="deck lists per batch")
    parser.add_argument("--stats-reps", type=int, default=3, help="statistics loads per batch")
    parser.add_argument("--search-reps", type=int, default=5, help="searches per batch")
    parser.add_argument("--import-rows", type=int, default=0,
                        help="rows per import (default N: the size's N cards)")
    parser.add_argument("--cold-batch", type=int, default=2,
                        help="cold-start processes per batch")
    parser.add_argument("--search-word", default="bridge")
    parser.add_argument("--no-gui", dest="gui", action="store_false",
                        help="leave out the desktop app's figures")
    parser.add_argument("--platform", default="offscreen", help="Qt platform for the app")
    parser.add_argument("--keep", type=Path, default=None,
                        help="folder that keeps the built collections; a rerun with the same "
                             "options on the same day reuses them")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    out: dict[str, Any] = {"sizes": {}, "meta": {}, "stats_figures": STATS_FIGURES, "options": {
        k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}}
    with tempfile.TemporaryDirectory(prefix="quizapp-sbs-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            done = run_size(args, size, folder)
            figures = sizes_json({size: done["values"]})[str(size)]
            out["sizes"][str(size)] = figures
            out["meta"][str(size)] = done["meta"]
            print(table(size, figures, done["meta"]), flush=True)
            if args.out:
                args.out.write_text(json.dumps(out, indent=1), encoding="utf-8")
    for problem in contract_problems(out, gui=args.gui):
        log(f"the JSON breaks its contract: {problem}")
    load = [round(x, 2) for x in os.getloadavg()]
    print(f"Options: --days {args.days} --studied-share {args.studied_share} --seed {args.seed} "
          f"--repeats {args.repeats} --answers {args.answers}; load {load}; "
          f"total {time.perf_counter() - t0:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
