"""The names the desktop app's views import for progress and profile files.

Progress files are :mod:`quizapp.services.progress`, whole-profile files
:mod:`quizapp.services.profile_file`, their SQL :mod:`quizapp.storage.progress`;
this module only keeps the names the views import.
"""

from __future__ import annotations

from quizapp.services.profile_file import ProfileImportResult, export_profile, import_profile
from quizapp.services.progress import (
    ClassTable,
    ProgressFileError,
    StudentProgress,
    class_table,
    describe_seconds,
    export_progress,
    read_progress,
    read_progress_data,
)

__all__ = [
    "ClassTable",
    "ProfileImportResult",
    "ProgressFileError",
    "StudentProgress",
    "class_table",
    "describe_seconds",
    "export_profile",
    "export_progress",
    "import_profile",
    "read_progress",
    "read_progress_data",
]
