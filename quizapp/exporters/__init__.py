"""Writing decks to files: the format follows the file's extension.

| extension | format |
| --- | --- |
| ``.toml`` | quizapp deck file (:mod:`quizapp.exporters.native`); loads back with the same facts |
| ``.csv`` / ``.tsv`` | spreadsheet text (:mod:`quizapp.exporters.csvfile`) |
| ``.apkg`` | Anki package (:mod:`quizapp.exporters.apkg`, needs ``genanki``) |

A failed export raises :class:`ExportError` and leaves no half-written file.
"""

from __future__ import annotations

from pathlib import Path

from quizapp.exporters.common import ExportError
from quizapp.facts.model import Deck

__all__ = ["EXPORT_FORMATS", "ExportError", "export_deck"]

EXPORT_FORMATS: dict[str, str] = {
    ".toml": "quizapp deck file",
    ".csv": "CSV (comma-separated, UTF-8)",
    ".tsv": "TSV (tab-separated, UTF-8)",
    ".apkg": "Anki package",
}


def export_deck(deck: Deck, path: Path) -> None:
    """Write ``deck`` to ``path`` in the format its extension names."""
    path = Path(path)
    try:
        _export(deck, path)
    except OSError as exc:
        raise ExportError(f"{path}: {exc.strerror or exc}") from exc


def _export(deck: Deck, path: Path) -> None:
    suffix = path.suffix.lower()
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; name the file to write")
    if suffix == ".toml":
        from quizapp.exporters.native import export_toml

        export_toml(deck, path)
    elif suffix in (".csv", ".tsv"):
        from quizapp.exporters.csvfile import export_csv

        export_csv(deck, path, "," if suffix == ".csv" else "\t")
    elif suffix == ".apkg":
        from quizapp.exporters.apkg import export_apkg

        export_apkg(deck, path)
    else:
        known = ", ".join(EXPORT_FORMATS)
        raise ExportError(
            f"{path}: cannot export to {suffix or 'a file without extension'!r}; use {known}"
        )
