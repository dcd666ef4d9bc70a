"""Kill loops: first start, upgrade, restore and backup killed with SIGKILL, then started again.

Each loop runs the real operation in a real process (forked by
``tests/kill_worker.py``, which imports quizapp once so that a round costs a
fork, not a Python start-up) and kills it with SIGKILL after a seeded random
delay drawn within the measured length of the operation, until at least
:data:`KILLS` kills have landed. Then come kills at named points
(``QUIZAPP_TEST_KILL_AT``): after each statement of a first start or of an
upgrade step, before each commit, after each copy (pre-upgrade, restore,
backup), after a restore's journal, between moving the old ``-wal`` aside and
the file itself, before the restored copy is renamed into place, so that every
critical window is hit whatever the timing.

After every round the next start (the same ``Collection.open`` as every
command and the desktop app) must open the collection, and then:

- **first start**: the schema at :data:`SCHEMA_VERSION`, the default profile
  and the seed deck;
- **upgrade** from every frozen fixture: the current schema version, every
  review and profile of the fixture, each pre-upgrade copy healthy and at the
  version its name says, and the copy of the fixture's own version exactly the
  fixture's schema (never a half-upgraded file);
- **restore**: either the old collection (with the commits that were still in
  its ``-wal`` file) or the backup's, never an empty or mixed one; when the
  backup's, the old collection is intact in the kept ``replaced-*`` file;
- **backup**: the collection intact, and after the next ``quizapp backup`` no
  ``.partial`` file left and every backup passing ``integrity_check`` with
  every committed row in it.

The figures (kills, bad states) are printed per loop. ``QUIZAPP_KILL_SEED``
and ``QUIZAPP_KILL_LOOPS`` change the seed and the number of kills;
``QUIZAPP_KILL_CODE`` runs the operations with another checkout of quizapp
(to measure the code before a change: that run is expected to fail).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from quizapp.storage.models import SCHEMA_VERSION

from .reviewrows import all_reviews

FIXTURES = Path(__file__).parent / "fixtures"
SEED = int(os.environ.get("QUIZAPP_KILL_SEED", "18"))
KILLS = int(os.environ.get("QUIZAPP_KILL_LOOPS", "50"))
CODE = os.environ.get("QUIZAPP_KILL_CODE")
MAX_ROUNDS = KILLS * 4
MARKER = "kill_test_marker"
RENAMED = "Renamed since the backup"


class Worker:
    """``tests/kill_worker.py`` running in a subprocess: one JSON job in, one answer out."""

    def __init__(self) -> None:
        root = CODE or str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONPATH=root)
        for name in ("QUIZAPP_DATABASE_URL", "QUIZAPP_TEST_KILL_AT", "QUIZAPP_HOME"):
            env.pop(name, None)
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("kill_worker.py"))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        assert json.loads(self._line()) == {"ready": True}

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "the kill worker ended"
        return line

    def job(self, op: str, home: Path, *, delay: float | None = None,
            kill_at: str | None = None, backup: Path | None = None) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({
            "op": op, "home": str(home), "delay": delay, "kill_at": kill_at,
            "backup": str(backup) if backup else None}) + "\n")
        self.proc.stdin.flush()
        answer: dict[str, Any] = json.loads(self._line())
        return answer

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    w = Worker()
    try:
        yield w
    finally:
        w.close()


# ------------------------------------------------------------------ reading files


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(path, timeout=10)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def integrity(path: Path) -> str:
    try:
        return "; ".join(str(r[0]) for r in query(path, "PRAGMA integrity_check"))
    except sqlite3.Error as exc:
        return f"cannot be read: {exc}"


def stamp(path: Path) -> str | None:
    rows = query(path, "SELECT value FROM meta WHERE key = 'schema_version'")
    return str(rows[0][0]) if rows else None


def schema_sql(path: Path) -> set[str]:
    return {" ".join(str(r[0]).split()) for r in query(
        path, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")}


def reviews(path: Path, width: int) -> list[tuple[Any, ...]]:
    """The review rows, their card states decoded (JSON before schema 10, columns since)."""
    return [r[:width] for r in all_reviews(path)]


def health(path: Path) -> list[str]:
    """What is wrong with a database file that must be healthy (integrity, a stamp)."""
    if not path.exists():
        return [f"{path.name} is missing"]
    check = integrity(path)
    if check != "ok":
        return [f"{path.name} fails integrity_check: {check}"]
    try:
        stamp(path)
    except sqlite3.Error as exc:
        return [f"{path.name} has no schema version: {exc}"]
    return []


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*") if ".partial" in p.name
                  or ".restoring" in p.name or p.name.endswith(".restore.json"))


# ------------------------------------------------------------------------ the loops


@dataclass
class Figures:
    kind: str
    rounds: int = 0
    kills: int = 0  # random-delay rounds that were killed before the operation ended
    point_kills: int = 0  # rounds killed at a named point
    bad: list[str] = field(default_factory=list)  # rounds that left a bad state

    def line(self) -> str:
        return (f"{self.kind}: {self.kills} random-delay kills and {self.point_kills} "
                f"named-point kills in {self.rounds} rounds; {len(self.bad)} left a bad state")


Prepare = Callable[[Path], dict[str, Any]]
Verify = Callable[["Worker", Path], list[str]]


def kill_loop(worker: Worker, root: Path, kind: str, op: str, prepare: Prepare,
              verify: Verify, points: list[str], rng: random.Random) -> Figures:
    figures = Figures(kind)

    def round_(name: str, delay: float | None, kill_at: str | None) -> bool:
        home = root / kind / name
        home.mkdir(parents=True)
        extra = prepare(home)
        answer = worker.job(op, home, delay=delay, kill_at=kill_at, **extra)
        if not answer["killed"] and not (answer["result"] or {}).get("ok"):
            figures.bad.append(f"{name}: the operation failed unkilled: {answer['result']}")
        problems = verify(worker, home)
        figures.rounds += 1
        if problems:
            figures.bad.append(f"{name} (delay {delay}, point {kill_at}): {problems[0]}")
        else:
            shutil.rmtree(home)
        return bool(answer["killed"])

    # The operation's length, measured uncut, bounds the random delays.
    lengths = []
    for i in range(3):
        home = root / kind / f"measure{i}"
        home.mkdir(parents=True)
        answer = worker.job(op, home, **prepare(home))
        assert (answer["result"] or {}).get("ok"), answer
        lengths.append(float(answer["seconds"]))
        assert verify(worker, home) == []
    span = max(lengths)
    while figures.kills < KILLS and figures.rounds < MAX_ROUNDS:
        figures.kills += round_(f"r{figures.rounds}", rng.uniform(0.0, span), None)
    for point in points:
        figures.point_kills += round_(point.replace(":", "-"), None, point)
    print(figures.line())
    return figures


def must_survive(figures: Figures, expected_points: int) -> None:
    assert not figures.bad, f"{figures.line()}; first: {figures.bad[:3]}"
    assert figures.kills >= KILLS, figures.line()
    assert figures.point_kills >= expected_points, figures.line()


# ------------------------------------------------------------------- first start


def test_first_start_survives_kills(worker: Worker, tmp_path: Path) -> None:
    def prepare(home: Path) -> dict[str, Any]:
        return {}

    def verify(worker: Worker, home: Path) -> list[str]:
        answer = worker.job("start", home)
        if not (answer["result"] or {}).get("ok"):
            return [f"the next start failed: {answer['result']}"]
        db = home / "quizapp.sqlite3"
        problems = health(db)
        if problems:
            return problems
        if stamp(db) != str(SCHEMA_VERSION):
            return [f"schema version {stamp(db)}"]
        if not query(db, "SELECT 1 FROM profile") or not query(
                db, "SELECT 1 FROM deck WHERE key = 'seed'"):
            return ["no default profile or no seed deck"]
        return []

    statements = [f"first_start:{n}" for n in (1, 2, 3, 5, 8, 13, 21, 30)]
    figures = kill_loop(worker, tmp_path, "first-start", "start", prepare, verify,
                        [*statements, "first_start_commit:1"], random.Random(SEED))
    must_survive(figures, len(statements) + 1)


# ----------------------------------------------------------------------- upgrades


def upgrade_statements(fixture: Path, folder: Path) -> int:
    """How many statements upgrading ``fixture`` to the current schema runs (uncut)."""
    from quizapp.storage import crashpoints
    from quizapp.storage.db import open_database

    folder.mkdir()
    shutil.copy(fixture, folder / "quizapp.sqlite3")
    mp = pytest.MonkeyPatch()
    mp.setenv(crashpoints.ENV, "upgrade:0")  # armed, never reached: the points only count
    mp.setattr(crashpoints, "_seen", {})
    try:
        open_database(f"sqlite:///{folder / 'quizapp.sqlite3'}").dispose()
        return crashpoints._seen.get("upgrade", 0)
    finally:
        mp.undo()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_upgrade_from_every_fixture_survives_kills(
        worker: Worker, tmp_path: Path, version: int) -> None:
    fixture = FIXTURES / f"schema_v{version}.sqlite3"
    width = len(all_reviews(fixture)[0])
    fixture_reviews = reviews(fixture, width)
    fixture_profiles = query(fixture, "SELECT id, name FROM profile ORDER BY id")
    fixture_schema = schema_sql(fixture)
    # Schema 6 keeps one card per (profile, fact), the lowest id: the reviews of the
    # others point to it, every other column unchanged.
    lowest: dict[tuple[int, int], int] = {}
    cards = query(fixture, "SELECT id, profile_id, fact_id FROM card")
    for cid, pid, fid in cards:
        lowest[(pid, fid)] = min(cid, lowest.get((pid, fid), cid))
    kept = {cid: lowest[(pid, fid)] for cid, pid, fid in cards}
    upgraded_reviews = [(r[0], kept[r[1]], *r[2:]) for r in fixture_reviews]

    def prepare(home: Path) -> dict[str, Any]:
        shutil.copy(fixture, home / "quizapp.sqlite3")
        return {}

    def verify(worker: Worker, home: Path) -> list[str]:
        answer = worker.job("start", home)
        if not (answer["result"] or {}).get("ok"):
            return [f"the next start failed: {answer['result']}"]
        db = home / "quizapp.sqlite3"
        problems = health(db)
        if problems:
            return problems
        if stamp(db) != str(SCHEMA_VERSION):
            return [f"schema version {stamp(db)}"]
        if reviews(db, width) != upgraded_reviews:
            return ["reviews lost or changed"]
        if query(db, "SELECT id, name FROM profile ORDER BY id") != fixture_profiles:
            return ["profiles lost or changed"]
        own = home / f"quizapp.schema{version}.bak.sqlite3"
        if not own.exists():
            return [f"no copy of schema {version} was kept"]
        for copy in sorted(home.glob("quizapp.schema*.bak.sqlite3")):
            problems = health(copy)
            if problems:
                return problems
            n = copy.name.removeprefix("quizapp.schema").split(".")[0]
            if stamp(copy) != n:
                return [f"{copy.name} holds schema {stamp(copy)}"]
            # A copy of schema 6 or later (kept when an upgrade cut off after its
            # 5 -> 6 step went on) holds the reviews as schema 6 made them.
            expected = fixture_reviews if int(n) < 6 else upgraded_reviews
            if reviews(copy, width) != expected:
                return [f"{copy.name} lost reviews"]
        if schema_sql(own) != fixture_schema:
            return [f"{own.name} is not the schema-{version} file it names (half-upgraded)"]
        if leftovers(home):
            return [f"left behind: {leftovers(home)}"]
        return []

    statements = upgrade_statements(fixture, tmp_path / "count")
    points = ([f"upgrade:{n}" for n in (1, 2, 3, 4, 5, 7, 9, 11) if n <= statements]
              + ["upgrade_commit:1", "upgrade_commit:2", "upgrade_copy:1"])
    points = [p for p in points if SCHEMA_VERSION - version > 1 or p != "upgrade_commit:2"]
    figures = kill_loop(worker, tmp_path, f"upgrade-v{version}", "start", prepare, verify,
                        points, random.Random(SEED + version))
    must_survive(figures, len(points) - 1)


# ------------------------------------------------------------------------ restore


@pytest.fixture(scope="module")
def old_collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A collection whose last commits are still in its ``-wal`` file, as a crash leaves it.

    The schema-3 fixture with a profile renamed and a marker row added in WAL
    mode; the file and its ``-wal`` are copied while the connection is open
    (no checkpoint has folded the WAL in).
    """
    folder = tmp_path_factory.mktemp("old-collection")
    work = folder / "work.sqlite3"
    shutil.copy(FIXTURES / f"schema_v{SCHEMA_VERSION}.sqlite3", work)
    con = sqlite3.connect(work)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA wal_autocheckpoint=0")
        with con:
            con.execute("UPDATE profile SET name = ? WHERE id = 2", (RENAMED,))
            con.execute("INSERT INTO meta (key, value) VALUES (?, 'old')", (MARKER,))
        shutil.copy(work, folder / "quizapp.sqlite3")
        shutil.copy(work.with_name("work.sqlite3-wal"), folder / "quizapp.sqlite3-wal")
    finally:
        con.close()
    assert (folder / "quizapp.sqlite3-wal").stat().st_size > 0
    return folder


def place_old_collection(old: Path, home: Path) -> None:
    for name in ("quizapp.sqlite3", "quizapp.sqlite3-wal"):
        shutil.copy(old / name, home / name)


def is_old(path: Path) -> bool:
    """Whether ``path`` (with its -wal) holds the old collection's last commits."""
    return bool(query(path, f"SELECT 1 FROM meta WHERE key = '{MARKER}'")) and (
        query(path, "SELECT name FROM profile WHERE id = 2") == [(RENAMED,)])


def test_restore_survives_kills(worker: Worker, tmp_path: Path, old_collection: Path) -> None:
    fixture = FIXTURES / f"schema_v{SCHEMA_VERSION}.sqlite3"
    width = len(all_reviews(fixture)[0])
    fixture_reviews = reviews(fixture, width)

    def prepare(home: Path) -> dict[str, Any]:
        place_old_collection(old_collection, home)
        (home / "backups").mkdir()
        backup = home / "backups" / "quizapp-20250101-000000-000000-manual.sqlite3"
        shutil.copy(fixture, backup)
        return {"backup": backup}

    def verify(worker: Worker, home: Path) -> list[str]:
        answer = worker.job("start", home)
        if not (answer["result"] or {}).get("ok"):
            return [f"the next start failed: {answer['result']}"]
        db = home / "quizapp.sqlite3"
        problems = health(db)
        if problems:
            return problems
        if reviews(db, width) != fixture_reviews:
            return ["the collection is empty or lost reviews"]
        names = {r[0] for r in query(db, "SELECT name FROM profile")}
        if is_old(db):
            pass  # the restore had not begun, or was undone
        elif names == {"Student", "Ana"} and not query(
                db, f"SELECT 1 FROM meta WHERE key = '{MARKER}'"):
            kept = [p for p in home.glob("quizapp.replaced-*.sqlite3") if is_old(p)]
            if not kept:
                return ["restored, but the replaced collection was not kept whole"]
        else:
            return [f"neither the old collection nor the backup: profiles {sorted(names)}"]
        if leftovers(home):
            return [f"left behind: {leftovers(home)}"]
        return []

    points = ["restore_copy:1", "restore_journal:1", "restore_sides:1", "restore_swap:1"]
    figures = kill_loop(worker, tmp_path, "restore", "restore", prepare, verify, points,
                        random.Random(SEED + 10))
    must_survive(figures, len(points))


# ------------------------------------------------------------------------- backup


def test_backup_survives_kills(worker: Worker, tmp_path: Path, old_collection: Path) -> None:
    fixture = FIXTURES / f"schema_v{SCHEMA_VERSION}.sqlite3"
    width = len(all_reviews(fixture)[0])
    fixture_reviews = reviews(fixture, width)

    def prepare(home: Path) -> dict[str, Any]:
        place_old_collection(old_collection, home)
        return {}

    def verify(worker: Worker, home: Path) -> list[str]:
        answer = worker.job("start", home)
        if not (answer["result"] or {}).get("ok"):
            return [f"the next start failed: {answer['result']}"]
        after_start = leftovers(home / "backups")
        answer = worker.job("backup", home)
        if not (answer["result"] or {}).get("ok"):
            return [f"the next backup failed: {answer['result']}"]
        db = home / "quizapp.sqlite3"
        problems = health(db)
        if problems:
            return problems
        if not is_old(db) or reviews(db, width) != fixture_reviews:
            return ["the collection lost data"]
        if after_start:
            return [f"the next start left {after_start}"]
        if leftovers(home / "backups"):
            return [f"the next backup left {leftovers(home / 'backups')}"]
        made = sorted((home / "backups").glob("quizapp-*.sqlite3"))
        if not made:
            return ["no backup"]
        for backup in made:
            problems = health(backup)
            if problems:
                return problems
            if not is_old(backup) or reviews(backup, width) != fixture_reviews:
                return [f"{backup.name} misses committed rows"]
        return []

    figures = kill_loop(worker, tmp_path, "backup", "backup", prepare, verify,
                        ["backup_copy:1"], random.Random(SEED + 20))
    must_survive(figures, 1)
