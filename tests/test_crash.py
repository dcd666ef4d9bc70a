"""Crash safety: kill the real app with SIGKILL while it is answering, a hundred times.

The test sets up a profile once (a high daily limit and many short learning
steps, so the seed deck never runs dry), then, for each round, starts
``python -m quizapp`` on a private Xvfb display with ``QUIZAPP_STUDY_AT_START=1``,
types answers as fast as a keen learner (``1`` picks the first choice,
``Return`` goes on) with one long-running ``xdotool`` and kills the app with
SIGKILL at a seeded random moment: a fifth of the rounds during start-up (a
random delay after launch), the others after a random number of recorded
answers plus a random delay of up to a quarter second, so the kill lands
while a question is built, inside a commit, between the commit and the
feedback line, anywhere. Kills wait for answers rather than for the clock, so
a slow, loaded machine changes how long the loop takes, not what it tests.

After every kill:

- ``PRAGMA integrity_check`` is ``ok``;
- every answer whose line is in ``logs/feedback.log`` is in the review log,
  and the review log holds at most one answer more than the feedback log
  (committed, killed before its line): never fewer, never two more;
- the next start studies on (the last round quits with Ctrl+Q and must exit 0);
  after it every study sitting is ended, and its totals are its answers (a
  killed sitting is counted from its review rows by the next start).

The figures (kills survived, answers checked, answers lost) are printed.
``QUIZAPP_CRASH_KILLS`` and ``QUIZAPP_CRASH_SEED`` change the number of rounds
and the random seed (fixed by default, so every run kills at the same moments
of the same sequence). Keys reach the window through Xvfb's default
pointer-root focus: the pointer rests over the window's area, so no window
needs to be searched for in each round.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from quizapp.gui.feedback_log import feedback_log_path, parse_line
from tests.gui.test_xvfb import _xdotool, xvfb  # noqa: F401 - xvfb is a fixture

KILLS = int(os.environ.get("QUIZAPP_CRASH_KILLS", "100"))
SEED = int(os.environ.get("QUIZAPP_CRASH_SEED", "20241207"))
# A fifth of the kills land during start-up (opening the database, the first
# question): that many seconds after launch. The others wait for 1 to 4 new
# answers in the review log, then for up to a quarter second more.
STARTUP_KILLS = 0.2
STARTUP_DELAY = (0.05, 1.4)
ANSWERS_BEFORE_KILL = (1, 4)
AFTER_ANSWER_DELAY = (0.0, 0.25)
HANG_GUARD = 180.0  # seconds a round may wait for its answers before it is a failure
KEYS_PER_ROUND = 4000


@dataclass
class Figures:
    kills: int = 0
    answers: int = 0  # feedback lines checked against the review log
    lost: int = 0  # logged answers missing from the review log
    unlogged: int = 0  # committed answers killed before their line (at most 1 a round)
    torn: int = 0  # lines torn by a kill
    rounds_with_answers: int = 0
    problems: list[str] = field(default_factory=list)


def _prepare(home: Path) -> None:
    """The collection and a profile that keeps asking (set up once, like a learner's)."""
    from quizapp.services.collection import Collection
    from quizapp.storage.models import ProfileRow

    with Collection.open() as col, col.transaction() as s:
        profile = s.get(ProfileRow, 1)
        assert profile is not None
        profile.new_per_day = 10_000
        profile.reviews_per_day = 10_000
        profile.learning_steps = "[60, 120, 180, 240, 300, 360, 420, 480, 540, 600]"
        profile.relearning_steps = "[60, 120, 180, 240, 300]"
        s.add(profile)
    assert (home / "quizapp.sqlite3").is_file()


def _db_state(db: Path) -> tuple[str, dict[int, str]]:
    """(integrity_check result, {review id: kind}) read with plain sqlite3 after a kill."""
    con = sqlite3.connect(db, timeout=10)
    try:
        check = "; ".join(str(r[0]) for r in con.execute("PRAGMA integrity_check"))
        rows = {int(i): str(k) for i, k in con.execute("SELECT id, kind FROM review")}
    finally:
        con.close()
    return check, rows


def _review_count(db: Path) -> int:
    con = sqlite3.connect(db, timeout=10)
    try:
        return int(con.execute("SELECT count(*) FROM review").fetchone()[0])
    finally:
        con.close()


def _log_lines(path: Path) -> tuple[list[dict[str, str]], int]:
    """Complete lines of the feedback log, and how many lines were torn."""
    if not path.exists():
        return [], 0
    raw = path.read_bytes().decode("utf-8", "replace")
    lines = raw.splitlines(keepends=True)
    parsed = [parse_line(line) for line in lines]
    done = [p for p in parsed if p is not None]
    return done, len(parsed) - len(done)


def test_answers_survive_sigkill_at_random_moments(
    xvfb: str,  # noqa: F811 - the fixture
    quizapp_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    record_property: object,
) -> None:
    seed = SEED
    rng = random.Random(seed)
    _prepare(quizapp_home)
    db = quizapp_home / "quizapp.sqlite3"
    flog = feedback_log_path(quizapp_home)
    env = dict(os.environ, DISPLAY=xvfb, QT_QPA_PLATFORM="xcb", QUIZAPP_HOME=str(quizapp_home),
               QUIZAPP_STUDY_AT_START="1")
    for name in ("QUIZAPP_DATABASE_URL", "WAYLAND_DISPLAY", "QUIZAPP_FIRST_QUESTION_STAMP"):
        env.pop(name, None)
    _xdotool(xvfb, "mousemove", "320", "240")  # keys go to the window under the pointer
    keys = ["1", "Return"] * (KEYS_PER_ROUND // 2)
    app_log = tmp_path / "app.log"
    fig = Figures()
    seen_reviews: set[int] = set()
    seen_lines = 0
    started = time.monotonic()
    for round_no in range(1, KILLS + 1):
        with app_log.open("wb") as out:
            app = subprocess.Popen([sys.executable, "-m", "quizapp"], env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
        feeder = subprocess.Popen(["xdotool", "sleep", "0.4", "key", "--delay", "40", *keys],
                                  env=dict(os.environ, DISPLAY=xvfb),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if rng.random() < STARTUP_KILLS:
            what = "start-up"
            time.sleep(rng.uniform(*STARTUP_DELAY))
        else:
            wanted = len(seen_reviews) + rng.randint(*ANSWERS_BEFORE_KILL)
            what = f"answer {wanted}"
            waited = time.monotonic()
            while _review_count(db) < wanted and app.poll() is None:
                assert time.monotonic() - waited < HANG_GUARD, (
                    f"round {round_no}: no answer for {HANG_GUARD:.0f} s:\n"
                    + app_log.read_text(errors="replace")[-3000:])
                time.sleep(0.02)
            time.sleep(rng.uniform(*AFTER_ANSWER_DELAY))
        exited = app.poll()
        app.kill()  # SIGKILL
        app.wait(10)
        feeder.kill()
        feeder.wait(10)
        assert exited is None, f"round {round_no}: the app ended by itself ({exited}):\n" + (
            app_log.read_text(errors="replace")[-3000:])
        fig.kills += 1

        check, reviews = _db_state(db)
        assert check == "ok", f"round {round_no}: integrity_check: {check}"
        lines, torn = _log_lines(flog)
        fig.torn = torn
        new_lines = lines[seen_lines:]
        seen_lines = len(lines)
        new_reviews = set(reviews) - seen_reviews
        seen_reviews |= new_reviews
        logged = {int(line["review"]) for line in new_lines}
        missing = logged - set(reviews)
        fig.answers += len(logged)
        fig.lost += len(missing)
        unlogged = new_reviews - logged
        fig.unlogged += len(unlogged)
        if new_reviews:
            fig.rounds_with_answers += 1
        if os.environ.get("QUIZAPP_CRASH_VERBOSE"):
            with capsys.disabled():
                print(f"round {round_no}: killed at {what}, "
                      f"{len(new_reviews)} answers, {len(logged)} lines")
        if missing:
            fig.problems.append(f"round {round_no}: logged but not in the review log: {missing}")
        if len(unlogged) > 1:
            fig.problems.append(f"round {round_no}: {len(unlogged)} answers without a line")

    loop_seconds = time.monotonic() - started
    # A last, clean round: study goes on, and Ctrl+Q closes the app normally.
    before = len(_db_state(db)[1])
    with app_log.open("wb") as out:
        app = subprocess.Popen([sys.executable, "-m", "quizapp"], env=env, stdout=out,
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while len(_db_state(db)[1]) < before + 3:
            assert time.monotonic() < deadline, app_log.read_text(errors="replace")
            assert app.poll() is None, app_log.read_text(errors="replace")
            _xdotool(xvfb, "key", "--delay", "60", "1", "Return")
        # Shortcuts need an active window: focus it as a window manager would.
        window = _xdotool(xvfb, "search", "--sync", "--name", "Student", timeout=30)
        _xdotool(xvfb, "windowfocus", "--sync", window.splitlines()[0])
        time.sleep(0.3)
        _xdotool(xvfb, "key", "ctrl+q")
        code = app.wait(30)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
    assert code == 0, app_log.read_text(errors="replace")
    check, reviews = _db_state(db)
    assert check == "ok"
    # Every sitting was ended: the killed ones by the next start (counted from
    # their review rows), the last one by the app as it closed. Each row's
    # totals are its answers (no undo or overrule here).
    con = sqlite3.connect(db)
    try:
        sittings = con.execute(
            "SELECT s.id, s.ended_at IS NOT NULL, s.answered, s.correct,"
            " (SELECT count(*) FROM review r WHERE r.session_id = s.id),"
            " (SELECT count(*) FROM review r WHERE r.session_id = s.id AND r.correct)"
            " FROM study_session s").fetchall()
    finally:
        con.close()
    assert sittings and all(ended and (n, right) == (logged, logged_right)
                            for _id, ended, n, right, logged, logged_right in sittings), sittings
    lines, _ = _log_lines(flog)
    assert {int(line["review"]) for line in lines} <= set(reviews)

    summary = (
        f"crash test (seed {seed}): {fig.kills} kills survived in {loop_seconds:.0f} s, "
        f"{fig.answers} answers checked, {fig.lost} lost, {fig.unlogged} committed just "
        f"before a kill without their line, {fig.torn} torn lines, "
        f"{fig.rounds_with_answers} rounds recorded answers"
    )
    with capsys.disabled():
        print("\n" + summary)
    record_property("crash_figures", summary)  # type: ignore[operator]
    assert not fig.problems, "\n".join(fig.problems)
    assert fig.lost == 0
    assert fig.kills == KILLS
    assert fig.answers >= KILLS, summary  # the kills landed while studying, not only at start
    assert fig.rounds_with_answers >= KILLS * 2 // 5, summary


# --------------------------------------------------------------------------
# The feedback log on its own (no X server needed)


def test_each_line_is_written_after_the_commit_and_before_the_feedback(
    qtbot: object, quizapp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytestqt.qtbot import QtBot

    from quizapp.gui.feedback_log import FeedbackLog
    from quizapp.gui.main_window import MainWindow
    from quizapp.gui.settings import GuiSettings

    assert isinstance(qtbot, QtBot)
    win = MainWindow(GuiSettings())
    qtbot.addWidget(win)
    win.show()
    win.open_collection()
    db = quizapp_home / "quizapp.sqlite3"
    seen: list[tuple[int, bool, bool]] = []
    real = FeedbackLog.write

    def spy(self: FeedbackLog, review_id: int, card_id: object, kind: str,
            correct: bool) -> bool:
        # Another connection sees the row: it is committed. The feedback is not up yet.
        _check, rows = _db_state(db)
        seen.append((review_id, review_id in rows, win.study.view.feedback.isVisible()))
        return real(self, review_id, card_id, kind, correct)

    monkeypatch.setattr(FeedbackLog, "write", spy)
    win.start_study()
    for _ in range(3):
        question = win.study.question
        assert question is not None
        win.study.submit(question.choices[0] if question.choices else "no idea")
        assert win.study.state == win.study.FEEDBACK
        win.study.next()
    assert [(committed, shown) for _, committed, shown in seen] == [(True, False)] * 3
    lines, torn = _log_lines(feedback_log_path(quizapp_home))
    assert [int(line["review"]) for line in lines] == [r for r, _, _ in seen] and torn == 0
    assert all(line["kind"] == "study" and line["card"] for line in lines)
    win.close()


def test_a_torn_line_is_ended_and_a_long_log_rotated(tmp_path: Path) -> None:
    from quizapp.gui import feedback_log
    from quizapp.gui.feedback_log import FeedbackLog

    path = tmp_path / "logs" / "feedback.log"
    path.parent.mkdir()
    path.write_bytes(b"2025-01-01T00:00:00.000000Z\treview=1\tcard=1\tkind=study\tcorrect=1\n"
                     b"2025-01-01T00:00:01.000000Z\treview=2\tca")  # killed mid-line
    log = FeedbackLog(path)
    assert log.write(3, 7, "study", False)
    log.close()
    lines, torn = _log_lines(path)
    assert [line["review"] for line in lines] == ["1", "3"] and torn == 1
    path.write_bytes(b"x" * (feedback_log.MAX_BYTES + 1) + b"\n")
    log = FeedbackLog(path)
    assert log.write(4, 8, "overrule", True)
    log.close()
    assert path.with_name("feedback.log.1").stat().st_size > feedback_log.MAX_BYTES
    assert _log_lines(path)[0][0]["kind"] == "overrule"
    # A log that cannot be written is given up, quietly: studying goes on.
    broken = FeedbackLog(tmp_path / "file-not-folder" / "feedback.log")
    (tmp_path / "file-not-folder").write_text("in the way")
    assert not broken.write(5, 9, "study", True)
    assert not broken.write(6, 9, "study", True)
