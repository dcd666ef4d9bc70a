"""File-menu glue: export a progress file (with its PDF report), move a profile in and out.

Each function asks for a file (unless ``path`` is given, for scripts and
tests), does one call on the Qt-free core in :mod:`quizapp.services.progress`, and
says what happened in a message box only when something went wrong. A refused
profile import writes nothing; its problems are listed one per line.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

if TYPE_CHECKING:
    from quizapp.services.collection import Collection
    from quizapp.services.profile_file import ProfileImportResult

JSON_FILTER = "Progress files (*.json);;All files (*)"
PROFILE_FILTER = "quizapp profiles (*.json);;All files (*)"


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "student"


def _failed(parent: QWidget | None, title: str, lines: list[str]) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, "\n".join(lines[:20]),
                      QMessageBox.StandardButton.Ok, parent)
    box.exec()


def export_progress_file(parent: QWidget | None, collection: Collection, profile_id: int,
                         profile_name: str, path: str | Path | None = None,
                         now: datetime | None = None) -> tuple[Path, Path] | None:
    """Write the learner's progress file and, beside it, its PDF report; None if cancelled."""
    from quizapp.gui.pdf import write_progress_pdf
    from quizapp.services.progress import ProgressFileError, export_progress, read_progress_data

    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Export progress file",
            str(Path.home() / f"{_slug(profile_name)}-progress.json"), JSON_FILTER)
        if not chosen:
            return None
        path = chosen
    file = Path(path)
    if not file.suffix:
        file = file.with_suffix(".json")
    pdf = file.with_suffix(".pdf")
    try:
        data = export_progress(collection, profile_id, file, now or datetime.now(UTC))
        write_progress_pdf(read_progress_data(data, str(file)), pdf)
    except (ProgressFileError, OSError) as exc:
        _failed(parent, "Export progress file", [str(exc)])
        return None
    return file, pdf


def export_profile_file(parent: QWidget | None, collection: Collection, profile_id: int,
                        profile_name: str, path: str | Path | None = None) -> Path | None:
    """Write everything of the learner to a file for another computer; None if cancelled."""
    from quizapp.services.profile_file import export_profile
    from quizapp.services.progress import ProgressFileError

    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Export profile",
            str(Path.home() / f"{_slug(profile_name)}.quizapp-profile.json"), PROFILE_FILTER)
        if not chosen:
            return None
        path = chosen
    file = Path(path)
    try:
        export_profile(collection, profile_id, file)
    except (ProgressFileError, OSError) as exc:
        _failed(parent, "Export profile", [str(exc)])
        return None
    return file


def import_profile_file(parent: QWidget | None, collection: Collection,
                        path: str | Path | None = None,
                        name: str | None = None) -> ProfileImportResult | None:
    """Bring in a profile file (all or nothing); None if cancelled or refused."""
    from quizapp.services.profile_file import import_profile
    from quizapp.services.progress import ProgressFileError

    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(parent, "Import profile", str(Path.home()),
                                                PROFILE_FILTER)
        if not chosen:
            return None
        path = chosen
    try:
        return import_profile(collection, path, name=name)
    except ProgressFileError as exc:
        _failed(parent, "Import profile: nothing was imported", exc.problems)
        return None
