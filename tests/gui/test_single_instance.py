"""One writer per profile: a second quizapp on the same profile is refused, by name.

Two real processes on one QUIZAPP_HOME (offscreen): the first studies as
"Student"; the second, started with ``QUIZAPP_STUDY_AT_START``, does not open
that profile — it says which profile is open elsewhere (a message box, and a
warning on standard error), does not study, and lets the learner go on with
another profile. Once the first process is killed, its lock is gone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from quizapp.gui.main_window import MainWindow
from quizapp.services.collection import Collection

SECOND = textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QApplication, QMessageBox
    app = QApplication(["quizapp"])
    from quizapp.gui.app import _open_windows, run

    run([])  # embedded: opens the window and the collection, leaves the loop to us
    win = _open_windows[-1]
    app.processEvents()
    for box in win.open_dialogs():
        if isinstance(box, QMessageBox):
            print("MESSAGE", box.windowTitle(), "|", box.text(), "|", box.informativeText())
            box.accept()
    print("PROFILE", win.profile.name if win.profile else None)
    print("STUDYING", win.study.active)
    print("TITLE", win.windowTitle())
    # The learner goes on with another profile.
    created = win.library.create_profile("Ana")
    win.reload_profiles(created.profile_id)
    win.start_study()
    print("NOW", win.profile.name, win.study.active, win.study.question is not None)
    win.close()
    """
)


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QUIZAPP_HOME=str(home),
               QUIZAPP_STUDY_AT_START="1", PYTHONIOENCODING="utf-8")
    env.pop("QUIZAPP_DATABASE_URL", None)
    env.pop("QUIZAPP_FIRST_QUESTION_STAMP", None)
    return env


@pytest.fixture
def first(quizapp_home: Path) -> Iterator[subprocess.Popen[str]]:
    """A first quizapp, studying as Student (its first question painted)."""
    Collection.open().close()
    env = dict(_env(quizapp_home), QUIZAPP_FIRST_QUESTION_STAMP="1")
    proc = subprocess.Popen([sys.executable, "-m", "quizapp"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("first-question-painted"), proc.stderr.read() if proc.stderr else ""
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def test_second_process_on_the_same_profile_is_refused_by_name(
    first: subprocess.Popen[str], quizapp_home: Path
) -> None:
    done = subprocess.run([sys.executable, "-c", SECOND], env=_env(quizapp_home),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    message = out["MESSAGE"]
    assert message.startswith("Profile in use |")
    assert "The profile “Student” is already open in another quizapp window" in message
    assert f"(process {first.pid})" in message
    assert "choose another profile" in message.lower()
    assert out["PROFILE"] == "None" and out["STUDYING"] == "False"
    assert out["TITLE"] == "quizapp"
    assert out["NOW"] == "Ana True True"  # another profile studies at once
    assert "“Student” is already open" in done.stderr  # the warning, for scripts and logs
    assert first.poll() is None  # the first window studies on, untouched


def test_plain_second_start_shows_the_message_and_does_not_study(
    first: subprocess.Popen[str], quizapp_home: Path
) -> None:
    second = subprocess.Popen([sys.executable, "-m", "quizapp"], env=_env(quizapp_home),
                              text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert second.stderr is not None
        line = second.stderr.readline()
        assert "The profile “Student” is already open in another quizapp window" in line
        assert second.poll() is None  # the window stays, offering the other profiles
    finally:
        second.kill()
        second.wait(10)


def test_a_killed_holder_leaves_no_stale_lock(
    first: subprocess.Popen[str], quizapp_home: Path
) -> None:
    first.kill()  # SIGKILL: no clean-up runs
    first.wait(10)
    code = SECOND.replace('created = win.library.create_profile("Ana")\n', "").replace(
        "win.reload_profiles(created.profile_id)\n", "")
    done = subprocess.run([sys.executable, "-c", code], env=_env(quizapp_home),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "MESSAGE" not in done.stdout
    assert "NOW Student True True" in done.stdout


def test_switching_to_a_profile_open_elsewhere_keeps_the_current_one(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path
) -> None:
    ana = window.library.create_profile("Ana")  # type: ignore[union-attr]
    window.reload_profiles("Student")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import time\nfrom pathlib import Path\nfrom quizapp.instance import ProfileLock\n"
         f"held = ProfileLock(Path({str(quizapp_home)!r}), {ana.profile_id}, 'Ana')\n"
         "held.acquire()\nprint('held', flush=True)\ntime.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        combo = window.deck_page.profiles
        combo.setCurrentIndex(combo.findData(ana.profile_id))
        combo.activated.emit(combo.currentIndex())
        boxes = [d for d in window.open_dialogs() if isinstance(d, QMessageBox)]
        assert boxes and "The profile “Ana” is already open" in boxes[-1].text()
        assert window.profile is not None and window.profile.name == "Student"
        assert combo.currentData() == window.profile.profile_id
        assert window.safekeeping.locked_profile == window.profile.profile_id
        window.start_study()
        assert window.study.active
        window.show_decks()
    finally:
        holder.kill()
        holder.wait(10)
    # Once Ana's window is gone, switching works; Student's lock is given up.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        combo.setCurrentIndex(combo.findData(ana.profile_id))
        combo.activated.emit(combo.currentIndex())
        if window.profile is not None and window.profile.name == "Ana":
            break
        time.sleep(0.1)
    assert window.profile is not None and window.profile.name == "Ana"
    assert window.safekeeping.locked_profile == ana.profile_id
