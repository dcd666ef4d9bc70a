"""Opening the collection at start: which file it is, and what a failed open leaves to do.

The desktop app opens the collection with
:meth:`quizapp.services.collection.Collection.open`; when that fails, these say which
SQLite file is behind it (to check it for damage with
:func:`quizapp.services.backups.check` and offer a backup) and whether a
failed schema upgrade left a copy from before it to go back to.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.services.collection import Collection


def __getattr__(name: str) -> Any:
    # The database's error types and their plain wording come with the storage stack,
    # which the app loads only once it opens the collection (not before its window).
    if name in ("DatabaseError", "plain_error", "is_database_error"):
        from quizapp.storage import db

        return getattr(db, name)
    raise AttributeError(name)


def configured_file() -> Path | None:
    """The SQLite file the app opens by default (None for a server or in-memory database)."""
    from quizapp.config import database_url

    url = database_url()
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix):] not in ("", ":memory:"):
        return Path(url[len(prefix):])
    return None


def collection_file(collection: Collection) -> Path | None:
    """The SQLite file behind an open collection (None for a server or in-memory database)."""
    url = collection.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(str(url.database))


def upgrade_copy(exc: BaseException) -> Path | None:
    """The copy taken before a schema upgrade that ``exc`` says failed (None: not that, or none).

    The database stays at the version before the failed step; the copy (made
    only for an SQLite file) is the collection as it was before the upgrade began.
    """
    from quizapp.storage.db import UpgradeError

    return exc.copy if isinstance(exc, UpgradeError) else None
