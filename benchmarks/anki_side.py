"""Anki's side of ``side_by_side.py``, through Anki's own Python library (``anki``).

Run with the Python of a virtualenv that has ``anki==26.9.3`` and (for the
history) ``libfaketime==3.0.1``. Three commands:

``build``
    Makes the collection the measurements start from, with the same content
    as quizapp's: one deck of N notes of the stock *Basic* note type (N
    cards: one card per note, as quizapp has one card per fact), whose fronts
    and backs are the very texts ``bench_perf.py`` gives quizapp's N Q/A facts (same generator, same
    seed, same order). FSRS is on with quizapp's defaults (desired retention
    0.9, learning steps 1 m 10 m, relearning step 10 m); new cards per day are
    set so that ``--studied-share`` of the cards are introduced over
    ``--days`` simulated days. The history is made by Anki's scheduler itself:
    a child process runs under libfaketime (so Anki's Rust core sees the
    simulated clock) and, every simulated day, empties the queue as the
    desktop reviewer does (``get_queued_cards`` → ``build_answer`` →
    ``answer_card``) with the ratings quizapp's history builder uses (new and
    learning cards: Again 15%, else Good; review cards: Good 90%, else Again),
    all drawn from one seeded generator, so a rerun on the same day builds the
    same history. The build writes with ``synchronous=OFF``; the measurements
    reopen the file with Anki's own settings (WAL, ``synchronous=FULL``).
``serve``
    The worker ``side_by_side.py`` keeps alive: one JSON request per line on
    stdin, one JSON reply per line on stdout (see ``quizapp_side.py`` for the
    requests). Anki's work for each:

    - ``study``: ``get_queued_cards`` + the card's question and answer
      rendered (next question); ``build_answer`` + ``answer_card`` (the answer,
      committed durably), and the same bare durable commit as quizapp's
      (one row into a scratch SQLite file in the same folder, WAL,
      ``synchronous=FULL``) right before and right after every answer. When today's queue runs
      out the study copy is replaced by a fresh copy of the built collection;
    - ``deck_list``: ``sched.deck_due_tree()``;
    - ``stats``: the figures both apps show, by SQL on Anki's tables through
      ``col.db``: answers and right answers per day over the last 365 days
      (also the year heatmap), true retention over the last 30 days (review
      answers), cards by type and queue, and the 30-day due forecast;
    - ``stats_screen``: what Anki's Statistics screen computes,
      ``graphs(search="", days=365)`` (every graph at once), for reference;
    - ``search``: the Browse screen in notes mode: ``find_notes(word,
      order=True)`` (ids ordered by the browser's sort column, set to the
      notes' creation, as quizapp lists a deck in deck order) plus
      ``browser_row_for_id`` of the first 50;
    - ``import``: ``get_csv_metadata`` + ``import_csv`` of the file into a
      fresh collection; rows per second and cards created per row.
``cold``
    A fresh process that imports ``anki.collection``, opens the collection,
    loads the deck list with due counts (``deck_due_tree``) and closes it: the
    same steps as ``quizapp decks``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROLLOVER_HOUR = 4  # Anki's default start of the next day, as quizapp's profile
DECK = "Benchmark deck"
NOTETYPE = "Basic"
PAGE = 50  # rows whose details a search fetches, as quizapp's Browse screen


def log(msg: str) -> None:
    print(f"[anki_side {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 4)


def day_start(now: float) -> float:
    """Epoch seconds of the start (rollover hour, UTC) of the day containing ``now``."""
    return math.floor((now - ROLLOVER_HOUR * 3600) / 86400) * 86400 + ROLLOVER_HOUR * 3600


# --------------------------------------------------------------------------
# build


def build(args: argparse.Namespace) -> dict[str, Any]:
    """Run the history build in a child process under libfaketime; return its report."""
    import libfaketime

    _, additions = libfaketime.get_reload_information()
    env = dict(os.environ, TZ="UTC", FAKETIME_DID_REEXEC="true", **additions)
    cmd = [sys.executable, os.path.abspath(__file__), "build-child", "--col", args.col,
           "--notes", str(args.notes), "--days", str(args.days),
           "--studied-share", str(args.studied_share), "--seed", str(args.seed),
           "--today", repr(args.today)]
    done = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def build_child(args: argparse.Namespace) -> dict[str, Any]:
    import anki.collection  # noqa: F401 (first: anki's modules import each other from it)
    from anki import deck_config_pb2
    from anki.cards import Card
    from anki.collection import AddNoteRequest, Collection
    from anki.scheduler.v3 import CardAnswer
    from libfaketime import fake_time

    sys.path.insert(0, HERE)
    from bench_perf import article_fact  # the texts quizapp's facts get

    rng = random.Random(args.seed)
    day0 = day_start(args.today) - args.days * 86400

    def utc(ts: float) -> datetime.datetime:
        return datetime.datetime.fromtimestamp(ts, datetime.UTC).replace(tzinfo=None)

    t_start = time.perf_counter()
    with fake_time(utc(day0 + 3600)) as clock:
        if abs(time.time() - (day0 + 3600)) > 60:
            raise SystemExit("libfaketime is not active in the build process")

        def set_clock(ts: float) -> None:
            clock.time_to_freeze = utc(ts)
            clock.tick(datetime.timedelta(0))

        for p in (args.col, args.col + "-wal", args.col + "-shm"):
            if os.path.exists(p):
                os.remove(p)
        col = Collection(args.col)
        col.db.execute("pragma synchronous = off")  # the build only
        did = col.decks.id(DECK)
        notetype = col.models.by_name(NOTETYPE)
        texts = random.Random(args.seed + 7)
        requests = []
        for i in range(args.notes):
            note = col.new_note(notetype)
            note["Front"], note["Back"] = article_fact(i, texts)
            requests.append(AddNoteRequest(note=note, deck_id=did))
        col.add_notes(requests)
        cards = col.card_count()

        # FSRS and the deck's options, through the request the Deck Options screen sends
        options = col.decks.get_deck_configs_for_update(did)
        preset = options.all_config[0].config
        preset.config.new_per_day = max(1, math.ceil(cards * args.studied_share / args.days))
        preset.config.reviews_per_day = 9999
        preset.config.desired_retention = 0.9
        del preset.config.learn_steps[:]
        preset.config.learn_steps.extend([1.0, 10.0])
        del preset.config.relearn_steps[:]
        preset.config.relearn_steps.extend([10.0])
        col.decks.update_deck_configs(deck_config_pb2.UpdateDeckConfigsRequest(
            target_deck_id=did, configs=[preset],
            mode=deck_config_pb2.UPDATE_DECK_CONFIGS_MODE_NORMAL,
            card_state_customizer=options.card_state_customizer,
            limits=options.current_deck.limits,
            new_cards_ignore_review_limit=options.new_cards_ignore_review_limit,
            apply_all_parent_limits=options.apply_all_parent_limits,
            fsrs=True, fsrs_reschedule=False, fsrs_health_check=False))
        if not col.decks.get_deck_configs_for_update(did).fsrs:
            raise SystemExit("FSRS could not be turned on")
        col.decks.select(did)

        again, good = CardAnswer.AGAIN, CardAnswer.GOOD
        answers = 0
        for day in range(args.days):
            now = day0 + day * 86400 + 3600 * rng.uniform(2, 8)
            day_end = day0 + (day + 1) * 86400 - 120
            set_clock(now)
            while now < day_end:
                queued = col.sched.get_queued_cards()
                if not queued.cards:
                    break
                q = queued.cards[0]
                card = Card(col)
                card._load_from_backend_card(q.card)
                card.start_timer()
                normal = q.states.current.normal
                if normal.WhichOneof("kind") == "review":
                    rating = good if rng.random() < 0.9 else again
                else:
                    rating = again if rng.random() < 0.15 else good
                taken = rng.randrange(1500, 9000)
                now += taken / 1000
                set_clock(now)
                answer = col.sched.build_answer(card=card, states=q.states, rating=rating)
                answer.milliseconds_taken = taken
                col.sched.answer_card(answer)
                answers += 1
                now += rng.uniform(0.5, 2.0)
                set_clock(now)
        revlog = col.db.scalar("select count() from revlog")
        by_type = dict(col.db.all("select type, count() from cards group by type"))
        studied = col.db.scalar("select count(distinct cid) from revlog")
        col.close()
    names = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
    return {"notes": args.notes, "cards": cards, "reviews": int(revlog),
            "answers": answers, "studied_cards": int(studied),
            "cards_by_type": {names.get(int(k), str(k)): int(v) for k, v in by_type.items()},
            "build_s": round(time.perf_counter() - t_start, 2)}


# --------------------------------------------------------------------------
# serve


class CommitFloor:
    """A scratch SQLite file in a folder: one-row commits, durable like Anki's commits."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._remove()
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")

    def _remove(self) -> None:
        for p in (self.path, self.path + "-wal", self.path + "-shm"):
            if os.path.exists(p):
                os.remove(p)

    def commit_s(self) -> float:
        t0 = time.perf_counter()
        self.conn.execute("BEGIN")
        self.conn.execute("INSERT INTO t (v) VALUES (?)", ("x" * 200,))
        self.conn.execute("COMMIT")
        return time.perf_counter() - t0

    def close(self) -> None:
        self.conn.close()
        self._remove()


class AnkiSide:
    """The open collections of one size."""

    def __init__(self, args: argparse.Namespace) -> None:
        from anki.collection import Collection, Config

        self.Collection = Collection
        self.template = args.col
        self.work = args.workdir
        os.makedirs(self.work, exist_ok=True)
        self.rng = random.Random(args.seed)
        self.col = Collection(self._copy("readonly.anki2"))
        # The Browse screen in notes mode: one row per note, as quizapp lists facts.
        self.col.set_config_bool(Config.Bool.BROWSER_TABLE_SHOW_NOTES_MODE, True)
        self.col.load_browser_note_columns()
        # Sorted by creation, as quizapp lists a deck's facts in deck order.
        self.col.set_config("noteSortType", "noteCrt")
        self.col.set_config("browserNoteSortBackwards", False)
        self.study_col = Collection(self._copy("study.anki2"))
        self.refills = 0
        self.current = self._next()
        self.floor = CommitFloor(os.path.join(self.work, "floor.sqlite3"))

    def _copy(self, name: str) -> str:
        dst = os.path.join(self.work, name)
        for p in (dst, dst + "-wal", dst + "-shm"):
            if os.path.exists(p):
                os.remove(p)
        shutil.copyfile(self.template, dst)
        return dst

    def _next(self) -> Any:
        import anki.collection  # noqa: F401 (first: anki's modules import each other from it)
        from anki.cards import Card

        queued = self.study_col.sched.get_queued_cards()
        if not queued.cards:
            return None
        q = queued.cards[0]
        card = Card(self.study_col)
        card._load_from_backend_card(q.card)
        card.start_timer()
        card.question()
        card.answer()
        return q, card

    def study(self, n: int) -> dict[str, Any]:
        from anki.scheduler.v3 import CardAnswer

        nexts, answers, floors, net = [], [], [], []
        for _ in range(n):
            if self.current is None:  # today's queue is done: start again from the build
                self.study_col.close()
                self.study_col = self.Collection(self._copy("study.anki2"))
                self.refills += 1
                self.current = self._next()
                if self.current is None:
                    raise RuntimeError("the built collection has nothing to study today")
            q, card = self.current
            rating = CardAnswer.GOOD if self.rng.random() < 0.85 else CardAnswer.AGAIN
            before = self.floor.commit_s()
            t0 = time.perf_counter()
            answer = self.study_col.sched.build_answer(card=card, states=q.states, rating=rating)
            self.study_col.sched.answer_card(answer)
            took = time.perf_counter() - t0
            floor = (before + self.floor.commit_s()) / 2  # the disk just before and after
            t0 = time.perf_counter()
            self.current = self._next()
            nexts.append(time.perf_counter() - t0)
            answers.append(took)
            floors.append(floor)
            net.append(took - floor)
        return {"n": len(answers), "next_question_ms": ms(nexts), "answer_ms": ms(answers),
                "floor_ms": ms(floors), "answer_minus_floor_ms": ms(net),
                "refills": self.refills}

    def deck_list(self, n: int) -> dict[str, Any]:
        samples = []
        for _ in range(n):
            t0 = time.perf_counter()
            tree = self.col.sched.deck_due_tree()
            samples.append(time.perf_counter() - t0)
        deck = next(c for c in tree.children if c.name == DECK)
        return {"ms": ms(samples), "decks": len(tree.children),
                "counts": [[deck.new_count, deck.learn_count, deck.review_count,
                            deck.total_including_children]]}

    def stats(self, n: int) -> dict[str, Any]:
        db = self.col.db
        samples = []
        for _ in range(n):
            t0 = time.perf_counter()
            today = self.col.sched.today
            cutoff = self.col.sched.day_cutoff  # end of today, epoch seconds
            first = cutoff - 365 * 86400
            per_day = db.all(
                "select (id / 1000 - ?) / 86400, count(), sum(ease > 1) from revlog "
                "where id >= ? and type != 4 group by 1", first, first * 1000)
            reviews, right = db.first(
                "select count(), coalesce(sum(ease > 1), 0) from revlog "
                "where id >= ? and type = 1", (cutoff - 30 * 86400) * 1000)
            cards = db.all("select type, queue, count() from cards group by type, queue")
            forecast = [0] * 30
            for due, count in db.all(
                    "select max(due - ?, 0), count() from cards "
                    "where queue in (2, 3) and due < ? group by 1", today, today + 30):
                forecast[int(due)] += count
            for due, count in db.all(
                    "select max((due - ?) / 86400, 0), count() from cards "
                    "where queue = 1 and due < ? group by 1",
                    cutoff - 86400, cutoff + 29 * 86400):
                forecast[int(due)] += count
            samples.append(time.perf_counter() - t0)
        return {"ms": ms(samples), "days_with_answers": len(per_day),
                "answers_365d": sum(r[1] for r in per_day),
                "retention_30d": right / reviews if reviews else None,
                "cards": {f"type{t}_queue{q}": c for t, q, c in cards},
                "forecast_30d": sum(forecast)}

    def stats_screen(self, n: int) -> dict[str, Any]:
        samples = []
        for _ in range(n):
            t0 = time.perf_counter()
            self.col._backend.graphs(search="", days=365)
            samples.append(time.perf_counter() - t0)
        return {"ms": ms(samples)}

    def search(self, n: int, word: str) -> dict[str, Any]:
        samples = []
        hits = rows = 0
        for _ in range(n):
            t0 = time.perf_counter()
            ids = self.col.find_notes(word, order=True)
            page = [list(self.col.browser_row_for_id(nid)[0]) for nid in ids[:PAGE]]
            samples.append(time.perf_counter() - t0)
            hits, rows = len(ids), len(page)
        return {"ms": ms(samples), "hits": hits, "detail_rows": rows}

    def import_file(self, path: str, rows: int) -> dict[str, Any]:
        from anki.collection import ImportCsvRequest

        target = os.path.join(self.work, "import.anki2")
        for p in (target, target + "-wal", target + "-shm"):
            if os.path.exists(p):
                os.remove(p)
        icol = self.Collection(target)
        before = icol.card_count()
        t0 = time.perf_counter()
        metadata = icol.get_csv_metadata(path, None)
        result = icol.import_csv(ImportCsvRequest(path=path, metadata=metadata))
        took = time.perf_counter() - t0
        created = icol.card_count() - before
        imported = len(result.log.new)
        icol.close()
        os.remove(target)
        if imported != rows:
            raise RuntimeError(f"imported {imported} rows, wanted {rows}")
        return {"rows_per_s": round(rows / took, 1), "s": round(took, 4),
                "cards_per_row": round(created / rows, 3)}

    def close(self) -> None:
        self.floor.close()
        self.col.close()
        self.study_col.close()


def serve(args: argparse.Namespace) -> int:
    """Answer requests, one JSON line in, one JSON line out, until ``quit``."""
    from line_protocol import serve as serve_lines

    return serve_lines(lambda: AnkiSide(args))


# --------------------------------------------------------------------------
# cold


def cold(args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    from anki.collection import Collection

    t1 = time.perf_counter()
    col = Collection(args.col)
    t2 = time.perf_counter()
    col.sched.deck_due_tree()
    t3 = time.perf_counter()
    col.close()
    t4 = time.perf_counter()
    return {"import_s": t1 - t0, "open_s": t2 - t1, "deck_list_s": t3 - t2,
            "close_s": t4 - t3}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("command", choices=["build", "build-child", "serve", "cold"])
    parser.add_argument("--col", required=True, help="the collection file")
    parser.add_argument("--workdir", help="serve: folder for the working copies")
    parser.add_argument("--notes", type=int, default=500)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--studied-share", type=float, default=0.35)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=float, default=0.0,
                        help="build: a moment of the real today (epoch); the history ends "
                             "with the day before")
    args = parser.parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "build":
        report = build(args)
    elif args.command == "build-child":
        report = build_child(args)
    else:
        report = cold(args)
    print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
