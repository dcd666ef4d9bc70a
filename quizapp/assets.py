"""Files shipped with the app (``content/`` and ``resources/``).

In an installed wheel both folders live inside the package and are found
through :mod:`importlib.resources`; in a source checkout (editable install)
they are the top-level folders beside the package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CHECKOUT_ROOT = Path(__file__).resolve().parent.parent


def _folder(name: str) -> Path:
    packaged = resources.files("quizapp") / name
    if packaged.is_dir():
        return Path(str(packaged))
    return _CHECKOUT_ROOT / name


def content_path(*parts: str) -> Path:
    """A path inside the shipped ``content/`` folder."""
    return _folder("content").joinpath(*parts)


def resource_path(*parts: str) -> Path:
    """A path inside the shipped ``resources/`` folder."""
    return _folder("resources").joinpath(*parts)


def seed_deck_path() -> Path:
    """The seed deck file built from the bundled news article."""
    return content_path("seed", "deck.toml")
