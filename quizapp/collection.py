"""The collection, where its many callers import it from: see :mod:`quizapp.services.collection`."""

from __future__ import annotations

from quizapp.services.collection import Collection

__all__ = ["Collection"]
