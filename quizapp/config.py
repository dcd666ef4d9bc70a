"""Where the app keeps its files: ``QUIZAPP_HOME`` and ``QUIZAPP_DATABASE_URL``."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "quizapp"
DATABASE_FILE = "quizapp.sqlite3"


def app_home() -> Path:
    """The folder for the database, backups, logs and GUI settings (created on demand)."""
    env = os.environ.get("QUIZAPP_HOME")
    if env:
        home = Path(env).expanduser()
    else:
        import platformdirs

        home = platformdirs.user_data_path(APP_NAME, appauthor=False)
    home.mkdir(parents=True, exist_ok=True)
    return home


def database_url() -> str:
    """The database to use: ``QUIZAPP_DATABASE_URL`` or a SQLite file in :func:`app_home`."""
    env = os.environ.get("QUIZAPP_DATABASE_URL")
    if env:
        return env
    return f"sqlite:///{app_home() / DATABASE_FILE}"
