"""GUI settings kept in ``gui.json`` under :func:`quizapp.config.app_home`.

The file is small, human-readable JSON. A missing or damaged file gives the
defaults; unknown keys are ignored so older and newer versions can share it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from quizapp.files import write_text_atomic

SETTINGS_FILE = "gui.json"
THEMES: tuple[str, ...] = ("system", "light", "dark")


def settings_path() -> Path:
    """Where the GUI settings live."""
    from quizapp.config import app_home

    return app_home() / SETTINGS_FILE


@dataclass(slots=True)
class GuiSettings:
    """What the window remembers between runs."""

    width: int = 1040
    height: int = 720
    maximized: bool = False
    last_profile: str | None = None
    theme: str = "system"  # system | light | dark
    font_size: int = 0  # points; 0 follows the platform default (at least 10 pt)
    hint_shown: bool = False  # the first-run hint was shown once

    @classmethod
    def load(cls, path: Path | None = None) -> GuiSettings:
        """Read the settings file; defaults for anything missing or invalid."""
        path = path or settings_path()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        out = cls()
        for f in fields(cls):
            if f.name in data:
                _set_checked(out, f.name, data[f.name])
        return out

    def save(self, path: Path | None = None) -> None:
        """Write the settings atomically (a crash never leaves half a file)."""
        path = path or settings_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, json.dumps(asdict(self), indent=2, ensure_ascii=False))


def _set_checked(settings: GuiSettings, name: str, value: Any) -> None:
    default = getattr(GuiSettings(), name)
    if name == "last_profile":
        if value is None or isinstance(value, str):
            settings.last_profile = value
        return
    if name == "theme":
        if value in THEMES:
            settings.theme = value
        return
    if isinstance(default, bool):
        if isinstance(value, bool):
            setattr(settings, name, value)
        return
    if isinstance(default, int) and isinstance(value, int) and not isinstance(value, bool):
        limits = {"width": (320, 10000), "height": (240, 10000), "font_size": (0, 40)}
        lo, hi = limits.get(name, (0, 10000))
        setattr(settings, name, max(lo, min(hi, value)))
