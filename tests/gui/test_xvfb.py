"""A real window on a real X server: start quizapp under Xvfb and study by key presses.

The test starts its own ``Xvfb :N`` on a free display number, runs ``python -m
quizapp`` with the xcb platform, finds the window with ``xdotool``, studies a few
cards with the keyboard (Enter to start, digits to choose, Enter to go on),
quits with Ctrl+Q and reads the review log from the SQLite file. Under
``CI=true`` a missing Xvfb or xdotool is a failure, elsewhere a skip.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ANSWERS = 3
CHOICE_FORMS = {"choice", "larger", "who_said", "which_quote", "date_event", "number_meaning",
                "speaker_position", "true_false"}


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed (apt-get install xvfb xdotool)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _display_free(n: int) -> bool:
    return not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists()


@pytest.fixture
def xvfb(tmp_path: Path) -> Iterator[str]:
    """A private X server; yields its DISPLAY."""
    binary = _require("Xvfb")
    _require("xdotool")
    log = tmp_path / "xvfb.log"
    for n in [n for n in range(91, 400) if _display_free(n)][:6]:
        with log.open("wb") as out:
            proc = subprocess.Popen([binary, f":{n}", "-screen", "0", "1280x800x24",
                                     "-nolisten", "tcp"], stdout=out, stderr=subprocess.STDOUT)
        socket = Path(f"/tmp/.X11-unix/X{n}")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and proc.poll() is None and not socket.exists():
            time.sleep(0.05)
        if proc.poll() is None and socket.exists():
            try:
                yield f":{n}"
            finally:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            return
        if proc.poll() is None:
            proc.kill()
    pytest.fail(f"Xvfb did not start: {log.read_text(errors='replace')[-2000:]}")


def _xdotool(display: str, *args: str, timeout: float = 60) -> str:
    done = subprocess.run(["xdotool", *args], env=dict(os.environ, DISPLAY=display),
                          capture_output=True, text=True, timeout=timeout, check=False)
    return done.stdout.strip()


def _reviews(db: Path) -> list[tuple[str, str, int | None]]:
    if not db.exists():
        return []
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return [(str(k), str(f), c) for k, f, c in
                con.execute("SELECT kind, form, correct FROM review ORDER BY id")]
    except sqlite3.OperationalError:  # the schema is being created
        return []
    finally:
        con.close()


def test_study_with_the_keyboard_in_a_real_window(xvfb: str, quizapp_home: Path,
                                                   tmp_path: Path) -> None:
    env = dict(os.environ, DISPLAY=xvfb, QT_QPA_PLATFORM="xcb",
               QUIZAPP_HOME=str(quizapp_home))
    env.pop("QUIZAPP_DATABASE_URL", None)
    env.pop("WAYLAND_DISPLAY", None)
    log = tmp_path / "app.log"
    with log.open("wb") as out:
        app = subprocess.Popen([sys.executable, "-m", "quizapp"], env=env, stdout=out,
                               stderr=subprocess.STDOUT)
    db = quizapp_home / "quizapp.sqlite3"
    try:
        found = _xdotool(xvfb, "search", "--sync", "--name", "quizapp", timeout=90)
        assert found, log.read_text(errors="replace")
        # The title names the profile once the collection is open: then keys go to the deck list.
        window = _xdotool(xvfb, "search", "--sync", "--name", "Student", timeout=90)
        window = window.splitlines()[0]
        _xdotool(xvfb, "windowfocus", "--sync", window)
        time.sleep(0.5)
        _xdotool(xvfb, "key", "Return")  # study the selected deck
        for target in range(1, ANSWERS + 1):
            deadline = time.monotonic() + 90
            keys = ["1", "Return"]
            while len(_reviews(db)) < target:
                assert time.monotonic() < deadline, (
                    f"answer {target} was not recorded: {log.read_text(errors='replace')}")
                assert app.poll() is None, log.read_text(errors="replace")
                _xdotool(xvfb, "key", keys[0])  # a digit chooses; Enter starts or goes on
                keys.reverse()
                for _ in range(12):
                    if len(_reviews(db)) >= target:
                        break
                    time.sleep(0.25)
            time.sleep(0.3)
            _xdotool(xvfb, "key", "Return")  # continue to the next question
            time.sleep(0.3)
        _xdotool(xvfb, "windowfocus", "--sync", window)
        _xdotool(xvfb, "key", "ctrl+q")
        try:
            code = app.wait(30)
        except subprocess.TimeoutExpired:
            _xdotool(xvfb, "windowfocus", "--sync", window)
            _xdotool(xvfb, "key", "ctrl+q")
            code = app.wait(30)
        assert code == 0, log.read_text(errors="replace")
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
    rows = _reviews(db)
    assert len(rows) >= ANSWERS
    assert all(kind == "study" for kind, _, _ in rows)
    # New facts are asked to recognise, but for a fact with no recognise form (recall).
    from quizapp.assets import seed_deck_path
    from quizapp.facts.deckfile import load_deck_file
    from quizapp.questions.generate import ALL_FORMS, QuestionBuilder
    from quizapp.questions.model import Family

    builder = QuestionBuilder(load_deck_file(seed_deck_path()), forms=ALL_FORMS)
    con = sqlite3.connect(db)
    try:
        asked = con.execute("SELECT r.form, f.key FROM review r JOIN card c ON c.id = r.card_id "
                            "JOIN fact f ON f.id = c.fact_id ORDER BY r.id").fetchall()
    finally:
        con.close()
    assert all(form in CHOICE_FORMS or not builder.forms_for(key, Family.RECOGNISE)
               for form, key in asked), asked
    assert all(correct is not None for _, _, correct in rows)
    con = sqlite3.connect(db)
    try:
        (ended,) = con.execute("SELECT count(*) FROM study_session WHERE ended_at IS NOT NULL "
                               "AND answered >= ?", (ANSWERS,)).fetchone()
        (settings_saved,) = con.execute("SELECT count(*) FROM profile").fetchone()
    finally:
        con.close()
    assert ended == 1
    assert settings_saved == 1
    assert (quizapp_home / "gui.json").is_file()  # closed cleanly: settings were written
