"""``benchmarks/bench_extract_model.py`` without the model: a clear message, no traceback.

quizapp does not install spaCy, so the measuring script runs only where someone
installed it by hand; elsewhere it must say what to install and stop with status 2.
Its install-size measure (the packages a distribution needs, and their bytes) is
checked on packages quizapp does install.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "bench_extract_model.py"


def test_without_the_pipeline_it_says_what_to_install() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--model", "quizapp_no_such_pipeline"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "quizapp_no_such_pipeline is not installed" in lines[0]
    assert "pip install" in lines[0] and "spacy" in lines[0]


def test_install_size_counts_what_a_package_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    bench = importlib.import_module("bench_extract_model")
    needed = bench.closure(["sqlmodel"])
    assert {"sqlmodel", "sqlalchemy", "pydantic"} <= set(needed)
    assert all(bench.installed_bytes(d) > 0 for d in needed.values())
    # A name that is not installed adds nothing.
    assert bench.closure(["quizapp-no-such-package"]) == {}
