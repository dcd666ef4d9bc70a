"""The class report, for the desktop app's class-report view.

The classroom's use cases are in :mod:`quizapp.services.classroom`, its
statements in :mod:`quizapp.storage.classroom`; this module only keeps the
name the view imports.
"""

from __future__ import annotations

from quizapp.services.classroom import class_report

__all__ = ["class_report"]
