"""The built wheel carries content/ and resources/ and loads the seed deck when installed."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from .conftest import ROOT


def test_wheel_installs_and_loads_seed_deck(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    wheel = next(dist.glob("quizapp-*.whl"))
    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # Install the wheel itself non-editable; its dependencies come from the test
    # environment's site-packages (added after the fresh environment's own).
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-compile",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (site / "zz_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    code = (
        "import quizapp, quizapp.assets as a\n"
        "from quizapp.facts.deckfile import load_deck_file\n"
        "d = load_deck_file(a.seed_deck_path())\n"
        "print(quizapp.__file__); print(a.seed_deck_path()); print(len(d.facts))\n"
        "print(a.content_path('README.md').is_file())\n"
    )
    out = subprocess.run(
        [str(py), "-I", "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path
    ).stdout.splitlines()
    assert out[0].startswith(str(site)), out
    assert out[1] == str(site / "quizapp" / "content" / "seed" / "deck.toml")
    assert int(out[2]) >= 40
    assert out[3] == "True"
    # The installed command works on its embedded default database.
    home = tmp_path / "home"
    run = subprocess.run(
        [str(py), "-I", "-m", "quizapp", "decks", "--json"],
        capture_output=True,
        text=True,
        env={"QUIZAPP_HOME": str(home), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert '"key": "seed"' in run.stdout
    assert (home / "quizapp.sqlite3").exists()
