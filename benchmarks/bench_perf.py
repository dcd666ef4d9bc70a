"""Performance at scale: one command that measures every user-visible step on a profile of N cards.

For each size N (``--sizes``, default 1,000 and 10,000) it

1. **builds** (in a child process, SQLite ``synchronous=OFF``) one deck of N
   Q/A facts, so N cards for one profile (one card per fact), with a review history, using
   :func:`bench_study.build`: a share (``--studied-share``) of the cards was
   introduced over ``--days`` simulated days and reviewed with FSRS up to the
   start of the current study day (real clock, 04:00 UTC rollover). The facts'
   fronts and backs are then rewritten as article-style facts of 60-120
   characters (dates, figures and quotations, in the manner of
   ``shared/bench/anki_bench.py``) so that a text search has realistic hits;
   the database is marked as past its first start (no seed deck is added);
2. **measures** in a second child process, on copies of that file opened as
   the app opens them (WAL, ``synchronous=FULL``):

   - ``next_question_ms`` / ``answer_ms``: medians of ``--answers`` steps of a
     study session (:func:`bench_study.measure`: ``StudySession.next_question``,
     which includes building the question, and recording the answer durably);
   - ``deck_list_ms``: ``Library.deck_summaries`` (the deck list with new,
     learning, due and total counts, as the desktop deck list loads it);
   - ``stats_ms``: the Progress screen's figures: ``profile_stats``,
     ``retention_over_time``, ``fact_labels``, the profile's settings and
     ``recall_calibration`` (what ``progress_panel.compute_figures`` runs,
     without the Qt progress object);
   - ``search_ms``: the Browse screen's text search for ``--search-word`` as the
     screen runs it: ``search_fact_ids`` (the ordered ids of every matching
     fact, whose number is the count shown) plus ``fact_summaries`` of the
     first page (``SUMMARY_PAGE`` rows, the details the table fetches before it
     paints). Further pages are fetched only when the user scrolls to them and
     are not timed; ``search_all_details_ms`` times ``search_facts`` (details
     of every match) once for comparison;
   - ``import_rows_per_s``: N CSV rows (:func:`bench_import.write_csv`) parsed
     and stored (:func:`bench_import._timed_import`) into a fresh database;
   - ``peak_rss_mib``: the high-water mark (VmHWM) of that measuring process
     just before the deck list imports PySide6.QtCore (the Library module's
     deck-summary type is a Qt model module); the figure after is reported too;
3. **starts** fresh processes (``--start-reps``): ``start_to_first_question_s``
   is the time from spawning the interpreter to the first question being ready
   (imports, opening the database, the study session, ``next_question``);
   ``cold_start_total_s`` is the whole process of that child, which then also
   loads the deck list and closes the database (the steps of Anki's cold open);
4. **starts the desktop app** (``--gui-reps``, offscreen Qt):
   ``gui_start_to_first_question_s`` is the time from spawning
   ``python -m quizapp`` to the first question being painted
   (``QUIZAPP_STUDY_AT_START`` / ``QUIZAPP_FIRST_QUESTION_STAMP`` hooks), after
   one untimed warm-up run; ``gui_peak_rss_mib`` is that process's peak RSS.

Both kinds of start keep compiled bytecode in a cache folder
(``PYTHONPYCACHEPREFIX``, with ``PYTHONDONTWRITEBYTECODE`` removed) and begin
with one untimed warm-up run that fills it, as an installed app has its
modules compiled (pip compiles a wheel's modules, Anki's included).

Every time is the median of its repetitions. Peak RSS of child processes comes
from ``os.wait4`` (``ru_maxrss``), i.e. per process, never summed. Prints one
JSON object: the figures of the one size when one size is given, else
``{"benchmark": "perf", "runs": [...]}``; progress goes to stderr.

    python benchmarks/bench_perf.py --sizes 1000 10000 100000
    python benchmarks/bench_perf.py --sizes 200 --answers 20 --start-reps 1 --gui-reps 1
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

ROLLOVER_HOUR = 4  # the profile's default rollover (bench_study builds with it)
GUI_STAMP = "first-question-painted"
CORE_STAMP = "first-question-ready"

# --------------------------------------------------------------------------
# Article-style fact text (60-120 characters): dates, figures, quotations.

SUBJECTS = (
    "the city council", "the national assembly", "the harbour authority",
    "the first polar expedition", "the regional museum", "the railway company",
    "the university hospital", "the weather service", "the press agency",
    "the printing guild", "the central bank", "the mountain observatory",
    "the textile workers' union", "the botanical society", "the navy",
    "the public library", "the canal builders", "the astronomy club",
)  # fmt: skip
EVENTS = (
    "sign the peace treaty", "open its first public reading room",
    "publish the census report", "launch the steam ferry service",
    "approve the new water supply", "complete the northern bridge",
    "record the lowest winter temperature", "found the evening school",
    "introduce electric street lighting", "hold the first free election",
    "discover the comet", "finish the coastal survey",
)  # fmt: skip
UNITS = (
    "kilometres of track", "volunteers", "tonnes of grain", "members", "printed copies",
    "visitors", "ships", "schools", "kilometres of canal", "hospital beds",
    "weather stations", "telegraph offices",
)  # fmt: skip
PEOPLE = (
    "Ada Lovelace", "Frederick Douglass", "Marie Curie", "Rabindranath Tagore",
    "Florence Nightingale", "Nikola Tesla", "Rosa Luxemburg", "Simon Bolivar",
    "Emmeline Pankhurst", "Alexander von Humboldt", "Mary Seacole", "Ignaz Semmelweis",
    "Jose Marti", "Sojourner Truth",
)  # fmt: skip
QUOTE_WORDS = (
    "knowledge", "patience", "courage", "every", "river", "city", "future", "bread", "people",
    "freedom", "science", "light", "work", "school", "truth", "ocean", "bridge", "memory",
    "promise", "station", "harvest", "letter", "winter", "engine", "voice", "street", "garden",
)  # fmt: skip
PADDING = (
    " (see paragraph {p} of the article)", " as reported in section {p}",
    " according to the article's timeline", " in the account on page {p}",
    " after a long public debate", " despite strong local opposition",
)  # fmt: skip


def _fit(text: str, rng: random.Random, lo: int = 60, hi: int = 120) -> str:
    target = rng.randint(lo, hi)
    while len(text) < target:
        text += rng.choice(PADDING).format(p=rng.randint(2, 99))
    if len(text) > hi:
        text = text[:hi].rsplit(" ", 1)[0]
    while len(text) < lo:
        text += " ."
    return text


def article_fact(i: int, rng: random.Random) -> tuple[str, str]:
    """Front and back of the i-th article-style Q/A fact."""
    subject = rng.choice(SUBJECTS)
    year = rng.randint(1750, 2020)
    if i % 3 == 0:
        event = rng.choice(EVENTS)
        front = f"In which year did {subject} {event} (fact {i})?"
        back = f"{year}, when {subject} decided to {event}"
    elif i % 3 == 1:
        unit = rng.choice(UNITS)
        front = f"How many {unit} did {subject} report in {year} (fact {i})?"
        back = f"{rng.randint(3, 250000):,} {unit}, the figure {subject} gave for {year}"
    else:
        words = " ".join(rng.choice(QUOTE_WORDS) for _ in range(rng.randint(5, 9)))
        front = f'Who said: "{words.capitalize()}" (quote {i})?'
        back = f"{rng.choice(PEOPLE)}, speaking in {year} about {rng.choice(SUBJECTS)}"
    return _fit(front, rng), _fit(back, rng)


# --------------------------------------------------------------------------
# helpers


def log(msg: str) -> None:
    print(f"[bench_perf {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def study_day_start(now: float) -> datetime:
    """The start (04:00 UTC rollover) of the study day containing epoch ``now``."""
    day = math.floor((now - ROLLOVER_HOUR * 3600) / 86400)
    return datetime.fromtimestamp(day * 86400 + ROLLOVER_HOUR * 3600, UTC)


def median_ms(samples_s: list[float]) -> float | None:
    return round(statistics.median(samples_s) * 1000, 3) if samples_s else None


def p90_ms(samples_s: list[float]) -> float | None:
    if not samples_s:
        return None
    ordered = sorted(samples_s)
    return round(ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)] * 1000, 3)


def vm_hwm_kib() -> int:
    """This process's peak resident set so far (VmHWM), in KiB."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def mib(kib: float | None) -> float | None:
    return None if kib is None else round(kib / 1024, 1)


class Child:
    """One finished child process: its output, timing and own peak RSS."""

    def __init__(self, stdout: str, spawned_at: float, wall_s: float, maxrss_kib: int) -> None:
        self.stdout = stdout
        self.spawned_at = spawned_at  # epoch seconds just before the spawn
        self.wall_s = wall_s  # spawn to exit (perf_counter)
        self.maxrss_kib = maxrss_kib  # ru_maxrss of this child alone (os.wait4)

    def stamp(self, name: str) -> float:
        """Seconds from the spawn to the epoch time the child printed after ``name``."""
        for line in self.stdout.splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1]) - self.spawned_at
        raise RuntimeError(f"no {name!r} line in the child's output")

    def json(self) -> dict[str, Any]:
        """The child's JSON object (its last stdout line)."""
        return dict(json.loads(self.stdout.strip().splitlines()[-1]))


def spawn(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    quiet: bool = False,
    timeout: float = 3600.0,
) -> Child:
    """Run ``cmd`` to its end; its rusage is read with os.wait4 (this child only)."""
    err = tempfile.TemporaryFile() if quiet else None  # noqa: SIM115 (closed below)
    try:
        spawned_at = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            assert proc.stdout is not None
            out = proc.stdout.read()
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        if proc.returncode != 0:
            detail = ""
            if err is not None:
                err.seek(0)
                detail = err.read().decode(errors="replace")[-3000:]
            raise RuntimeError(f"{cmd[1:3]} exited with {proc.returncode}: {detail}")
        return Child(out.decode(), spawned_at, wall, int(usage.ru_maxrss))
    finally:
        if err is not None:
            err.close()


def _copy_db(src: Path, dst: Path) -> Path:
    for p in dst.parent.glob(dst.name + "*"):
        p.unlink()
    shutil.copyfile(src, dst)
    return dst


# --------------------------------------------------------------------------
# phase: build (child process, durability off)


def phase_build(args: argparse.Namespace) -> dict[str, Any]:
    import bench_study
    from sqlalchemy import bindparam, func, text, update
    from sqlmodel import select

    from quizapp.services.collection import Collection
    from quizapp.storage.models import CardRow, FactRow, Meta, ReviewRow

    bench_study.TODAY = datetime.fromtimestamp(args.today, UTC)
    path = Path(args.db)
    built = bench_study.build(path, args.cards, args.days, args.studied_share, args.seed)
    t0 = time.perf_counter()
    rng = random.Random(args.seed + 7)
    with Collection.open(f"sqlite:///{path}", first_start=False, durable=False) as col:
        with col.transaction() as s:
            ids = list(s.exec(select(FactRow.id).order_by(FactRow.id)))  # type: ignore[arg-type]
            rows = []
            for i, fid in enumerate(ids):
                front, back = article_fact(i, rng)
                rows.append({"b_id": fid, "front": front, "back": back})
            table = FactRow.__table__  # type: ignore[attr-defined]
            s.connection().execute(
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values(front=bindparam("front"), back=bindparam("back")),
                rows,
            )
            # Past its first start: opening it as the app does adds no seed deck.
            s.merge(Meta(key="seed_loaded", value="1"))
        with col.session() as s:
            cards = s.exec(select(func.count()).select_from(CardRow)).one()
            facts = s.exec(select(func.count()).select_from(FactRow)).one()
            reviews = s.exec(select(func.count()).select_from(ReviewRow)).one()
            by_state = dict(
                s.exec(
                    select(CardRow.state, func.count()).group_by(CardRow.state)  # type: ignore[call-overload]
                ).all()
            )
        with col.engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    names = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
    return {
        "profile_id": built["profile_id"],
        "cards": int(cards),
        "facts": int(facts),
        "reviews": int(reviews),
        "studied_cards": built["studied_cards"],
        "cards_by_state": {names.get(int(k), str(k)): int(v) for k, v in by_state.items()},
        "build_s": round(built["build_s"] + time.perf_counter() - t0, 2),
        "database_bytes": path.stat().st_size,
    }


# --------------------------------------------------------------------------
# phase: measure (child process, durable settings)


def phase_measure(args: argparse.Namespace) -> dict[str, Any]:
    import bench_import
    import bench_study

    from quizapp.browse import (
        SUMMARY_PAGE,
        FactQuery,
        fact_labels,
        fact_summaries,
        retention_over_time,
        search_fact_ids,
        search_facts,
    )
    from quizapp.services.calibration import recall_calibration
    from quizapp.services.collection import Collection
    from quizapp.services.profiles import profile_settings
    from quizapp.storage.stats import profile_stats

    today = datetime.fromtimestamp(args.today, UTC)
    bench_study.TODAY = today
    now = today + timedelta(hours=1)  # the moment bench_study.measure studies at
    src = Path(args.db)
    work = Path(args.workdir)
    pid = args.profile_id
    out: dict[str, Any] = {}

    # Read-only screens first, on the state at the start of today.
    ro = _copy_db(src, work / "readonly.sqlite3")
    col = Collection.open(f"sqlite:///{ro}")
    stats_s: list[float] = []
    profile_stats_s: list[float] = []
    for _ in range(args.stats_reps):
        t = time.perf_counter()
        stats = profile_stats(col, pid, now)
        t1 = time.perf_counter()
        retention_over_time(col, pid, now)
        wanted = [
            (x["deck"], x["fact_id"])
            for part in ("wrong_choices", "most_missed", "leeches")
            for x in stats[part]
        ]
        fact_labels(col, wanted)
        profile_settings(col, pid).scheduler  # noqa: B018 (as compute_figures reads it)
        recall_calibration(col, pid)
        stats_s.append(time.perf_counter() - t)
        profile_stats_s.append(t1 - t)
    out["stats_ms"] = median_ms(stats_s)
    out["stats_profile_stats_ms"] = median_ms(profile_stats_s)
    log(f"stats {out['stats_ms']} ms")

    query = FactQuery(text=args.search_word)
    search_s: list[float] = []
    hits = 0
    for _ in range(args.search_reps):
        t = time.perf_counter()
        ids = search_fact_ids(col, pid, query, now)  # every match, in list order
        fact_summaries(col, pid, ids[:SUMMARY_PAGE])  # the first page the table shows
        hits = len(ids)
        search_s.append(time.perf_counter() - t)
    out["search_ms"] = median_ms(search_s)
    out["search_hits"] = hits
    out["search_page_rows"] = SUMMARY_PAGE
    t = time.perf_counter()
    search_facts(col, pid, query, now)
    out["search_all_details_ms"] = median_ms([time.perf_counter() - t])
    log(f"search {out['search_ms']} ms, {hits} facts")

    # Study loop on a fresh copy: next question, then the answer committed durably.
    study = _copy_db(src, work / "study.sqlite3")
    measured = bench_study.measure(study, pid, args.answers, args.seed)
    out["answers"] = measured["answers"]
    out["next_question_ms"] = measured["next_question_ms_median"]
    out["next_question_ms_p90"] = measured["next_question_ms_p90"]
    out["answer_ms"] = measured["answer_ms_median"]
    out["answer_ms_p90"] = measured["answer_ms_p90"]
    out["first_question_ms"] = measured["first_question_ms"]
    out["sqlite"] = measured["sqlite"]
    log(f"next question {out['next_question_ms']} ms, answer {out['answer_ms']} ms")

    # Importing N CSV rows into a fresh database (first start done before timing).
    rows_n = args.import_rows or args.cards
    totals, parses, stores = [], [], []
    for r in range(args.import_reps):
        folder = work / f"import-{r}"
        folder.mkdir()
        csv_path = folder / "bench.csv"
        bench_import.write_csv(csv_path, rows_n, args.seed + 100 + r)
        with Collection.open(f"sqlite:///{folder / 'quizapp.sqlite3'}") as icol:
            timed = bench_import._timed_import(icol, csv_path)
        totals.append(timed["total_s"])
        parses.append(timed["parse_s"])
        stores.append(timed["store_s"])
        shutil.rmtree(folder)
    out["import_rows"] = rows_n
    out["import_s"] = round(statistics.median(totals), 4)
    out["import_rows_per_s"] = round(rows_n / statistics.median(totals))
    out["import_parse_s"] = round(statistics.median(parses), 4)
    out["import_store_s"] = round(statistics.median(stores), 4)
    log(f"import {out['import_rows_per_s']} rows/s")

    out["peak_rss_kib"] = vm_hwm_kib()

    # The deck list as the desktop app loads it (its module imports PySide6.QtCore).
    from quizapp.gui.controllers.library import Library

    library = Library(col)
    deck_s: list[float] = []
    for _ in range(args.deck_reps):
        t = time.perf_counter()
        decks = library.deck_summaries(pid, now)
        deck_s.append(time.perf_counter() - t)
    out["deck_list_ms"] = median_ms(deck_s)
    out["deck_list_decks"] = len(decks)
    out["deck_list_counts"] = [
        {"new": d.new, "learning": d.learning, "due": d.due, "total": d.total} for d in decks
    ]
    col.close()
    out["peak_rss_after_deck_list_kib"] = vm_hwm_kib()
    log(f"deck list {out['deck_list_ms']} ms")
    return out


# --------------------------------------------------------------------------
# phase: start (fresh process, as the app's core starts)


def phase_start(args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    from quizapp.services.collection import Collection
    from quizapp.study import StudySession

    t1 = time.perf_counter()
    col = Collection.open(f"sqlite:///{args.db}")  # as the app opens it (first-start check)
    t2 = time.perf_counter()
    session = StudySession(col)  # the first profile, every deck
    question = session.next_question(datetime.now(UTC))
    print(f"{CORE_STAMP} {time.time():.6f}", flush=True)
    t3 = time.perf_counter()
    from quizapp.gui.controllers.library import Library

    Library(col).deck_summaries(session.profile_id)
    t4 = time.perf_counter()
    col.close()
    t5 = time.perf_counter()
    return {
        "import_s": t1 - t0,
        "open_s": t2 - t1,
        "first_question_s": t3 - t2,
        "deck_list_s": t4 - t3,
        "close_s": t5 - t4,
        "question": question is not None,
    }


# --------------------------------------------------------------------------
# orchestration


def _child_cmd(phase: str, args: argparse.Namespace, **extra: Any) -> list[str]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", phase]
    for key, value in extra.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    return cmd


def run_size(args: argparse.Namespace, size: int, folder: Path) -> dict[str, Any]:
    big = size >= 50_000
    reps = {
        "answers": args.answers,
        "start": args.start_reps or (5 if big else 7),
        "gui": args.gui_reps if args.gui_reps is not None else (5 if big else 7),
        "deck_list": args.deck_reps,
        "stats": args.stats_reps or (5 if big else 10),
        "search": args.search_reps,
        "import": args.import_reps or (3 if big else 5),
    }
    today = study_day_start(time.time())
    db = folder / f"perf-{size}.sqlite3"
    for p in folder.glob(db.name + "*"):
        p.unlink()
    result: dict[str, Any] = {"cards": size}

    log(f"N={size}: building ({args.days} days, studied share {args.studied_share})")
    common = dict(
        days=args.days, studied_share=args.studied_share, seed=args.seed, today=today.timestamp()
    )
    build = spawn(_child_cmd("build", args, db=db, cards=size, **common))
    built = build.json()
    result.update(
        facts=built["facts"],
        reviews=built["reviews"],
        reviews_per_card=round(built["reviews"] / max(1, built["cards"]), 2),
        studied_cards=built["studied_cards"],
        cards_by_state=built["cards_by_state"],
        build_s=built["build_s"],
        database_bytes=built["database_bytes"],
        history_days=args.days,
        studied_share=args.studied_share,
        history_ends=today.isoformat(),
    )
    if built["cards"] != size:
        raise RuntimeError(f"built {built['cards']} cards, wanted {size}")
    log(f"N={size}: built in {built['build_s']} s: {built['reviews']} reviews")

    work = folder / f"work-{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    measure = spawn(
        _child_cmd(
            "measure",
            args,
            db=db,
            workdir=work,
            profile_id=built["profile_id"],
            cards=size,
            answers=reps["answers"],
            stats_reps=reps["stats"],
            search_reps=reps["search"],
            deck_reps=reps["deck_list"],
            import_reps=reps["import"],
            import_rows=args.import_rows or size,
            search_word=args.search_word,
            **common,
        )
    )
    m = measure.json()
    result.update(
        {k: v for k, v in m.items() if k not in ("peak_rss_kib", "peak_rss_after_deck_list_kib")}
    )
    result["peak_rss_mib"] = mib(m["peak_rss_kib"])
    result["peak_rss_with_qtcore_mib"] = mib(m["peak_rss_after_deck_list_kib"])

    log(f"N={size}: {reps['start']} core starts")
    start_db = _copy_db(db, work / "start.sqlite3")
    # Started processes keep compiled bytecode, as an installed app (and Anki's wheel) has:
    # with PYTHONDONTWRITEBYTECODE set every start would recompile quizapp's modules.
    compiled = dict(os.environ, PYTHONPYCACHEPREFIX=str(folder / "pycache"))
    compiled.pop("PYTHONDONTWRITEBYTECODE", None)
    spawn(_child_cmd("start", args, db=start_db), env=compiled)  # warm-up, untimed
    firsts, walls, rss, parts = [], [], [], []
    for _ in range(reps["start"]):
        child = spawn(_child_cmd("start", args, db=start_db), env=compiled)
        firsts.append(child.stamp(CORE_STAMP))
        walls.append(child.wall_s)
        rss.append(child.maxrss_kib)
        parts.append(child.json())
    result["start_to_first_question_s"] = round(statistics.median(firsts), 4)
    result["cold_start_total_s"] = round(statistics.median(walls), 4)
    result["start_parts_ms"] = {
        k: median_ms([p[k] for p in parts])
        for k in ("import_s", "open_s", "first_question_s", "deck_list_s", "close_s")
    }
    result["start_peak_rss_mib"] = mib(statistics.median(rss))

    result["gui_start_to_first_question_s"] = None
    result["gui_peak_rss_mib"] = None
    if reps["gui"] > 0:
        log(f"N={size}: {reps['gui']} desktop app starts (offscreen)")
        home = work / "gui-home"
        home.mkdir()
        _copy_db(db, home / "quizapp.sqlite3")
        (home / "gui.json").write_text(json.dumps({"hint_shown": True}), encoding="utf-8")
        env = dict(
            compiled,
            QUIZAPP_HOME=str(home),
            QT_QPA_PLATFORM=args.platform,
            QUIZAPP_STUDY_AT_START="1",
            QUIZAPP_FIRST_QUESTION_STAMP="quit",
        )
        env.pop("QUIZAPP_DATABASE_URL", None)
        cmd = [sys.executable, "-m", "quizapp"]
        spawn(cmd, env=env, quiet=True, timeout=args.gui_timeout)  # warm-up, untimed
        gui_t, gui_rss = [], []
        for _ in range(reps["gui"]):
            child = spawn(cmd, env=env, quiet=True, timeout=args.gui_timeout)
            gui_t.append(child.stamp(GUI_STAMP))
            gui_rss.append(child.maxrss_kib)
        result["gui_start_to_first_question_s"] = round(statistics.median(gui_t), 4)
        result["gui_start_runs_s"] = [round(x, 3) for x in gui_t]
        result["gui_peak_rss_mib"] = mib(statistics.median(gui_rss))
        result["gui_own_rss_mib"] = round(
            result["gui_peak_rss_mib"] - result["start_peak_rss_mib"], 1
        )
    result["reps"] = reps
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
        for p in folder.glob(db.name + "*"):
            p.unlink()
    log(f"N={size}: done")
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or one of its child phases) and print its JSON."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[1000, 10000],
        help="numbers of cards (one profile, N Q/A facts)",
    )
    parser.add_argument("--days", type=int, default=90, help="days of simulated history")
    parser.add_argument(
        "--studied-share",
        type=float,
        default=0.35,
        help="share of the cards introduced during the history",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--answers", type=int, default=200, help="study steps timed")
    parser.add_argument(
        "--start-reps",
        type=int,
        default=0,
        help="core start processes (default 7, 5 from 50,000 cards)",
    )
    parser.add_argument(
        "--gui-reps",
        type=int,
        default=None,
        help="desktop app starts (default 7, 5 from 50,000 cards; 0: none)",
    )
    parser.add_argument("--deck-reps", type=int, default=30)
    parser.add_argument(
        "--stats-reps",
        type=int,
        default=0,
        help="Progress screen loads (default 10, 5 from 50,000 cards)",
    )
    parser.add_argument("--search-reps", type=int, default=10)
    parser.add_argument(
        "--import-reps", type=int, default=0, help="CSV imports (default 5, 3 from 50,000 cards)"
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=0,
        help="rows per CSV import (default: the number of cards)",
    )
    parser.add_argument("--search-word", default="bridge")
    parser.add_argument("--platform", default="offscreen", help="Qt platform for the app")
    parser.add_argument("--gui-timeout", type=float, default=600.0)
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="folder to keep the databases in (default: a temp folder)",
    )
    # child phases
    parser.add_argument(
        "--phase",
        choices=["main", "build", "measure", "start"],
        default="main",
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--cards", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile-id", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--today", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.phase != "main":
        phase = {"build": phase_build, "measure": phase_measure, "start": phase_start}
        print(json.dumps(phase[args.phase](args)), flush=True)
        return 0

    t0 = time.perf_counter()
    runs = []
    with tempfile.TemporaryDirectory(prefix="quizapp-perf-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            run = run_size(args, size, folder)
            run.update(
                python=platform.python_version(),
                platform=platform.platform(),
                cpu_count=os.cpu_count(),
                loadavg_1_5_15=[round(x, 2) for x in os.getloadavg()],
            )
            runs.append(run)
    out: dict[str, Any] = runs[0] if len(runs) == 1 else {"benchmark": "perf", "runs": runs}
    out["total_runtime_s"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
