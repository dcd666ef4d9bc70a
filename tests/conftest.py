"""Shared test set-up: an offscreen Qt platform, a private QUIZAPP_HOME, hypothesis profiles."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Without a display Qt aborts the process before pytest prints anything.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, max_examples=40)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")

ROOT = Path(__file__).resolve().parent.parent
SEED_DECK = ROOT / "content" / "seed" / "deck.toml"
SEED_ARTICLE = ROOT / "content" / "seed" / "article.txt"


@pytest.fixture(autouse=True)
def quizapp_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own app folder; no test touches the user's data."""
    home = tmp_path / "home"
    monkeypatch.setenv("QUIZAPP_HOME", str(home))
    monkeypatch.delenv("QUIZAPP_DATABASE_URL", raising=False)
    yield home


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A SQLite database file in the test's folder."""
    return f"sqlite:///{tmp_path / 'quizapp.sqlite3'}"
