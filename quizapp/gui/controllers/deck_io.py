"""Decks in and out of the collection, as tasks for :class:`quizapp.gui.tasks.TaskRunner`.

Importing reads the file with the format's loader (``quizapp.importers`` when
it is installed, else the native deck-file loader), then stores the deck in
one transaction that checks for Cancel just before it commits: a cancelled
import writes nothing at all. Exporting writes the format the file name asks
for (``quizapp.exporters`` when installed, else native deck-file TOML).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.gui.controllers.library import ImportSummary

if TYPE_CHECKING:
    from quizapp.facts.model import Deck
    from quizapp.gui.tasks import Progress
    from quizapp.services.collection import Collection

NATIVE = (".toml",)
LABELS: dict[str, str] = {
    ".toml": "quizapp decks",
    ".csv": "CSV question lists",
    ".tsv": "Tab-separated question lists",
    ".tab": "Tab-separated question lists",
    ".txt": "Question lists (text)",
    ".apkg": "Anki decks",
    ".colpkg": "Anki collections",
}


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def import_suffixes() -> tuple[str, ...]:
    """The file extensions the app can import (native only without ``quizapp.importers``)."""
    mod = _module("quizapp.importers")
    if mod is None:
        return NATIVE
    extra = sorted(getattr(mod, "TEXT_SUFFIXES", ())) + sorted(getattr(mod, "APKG_SUFFIXES", ()))
    return tuple(dict.fromkeys((*NATIVE, *extra)))


def export_formats() -> dict[str, str]:
    """The extensions the app can export to, with their names (native first)."""
    mod = _module("quizapp.exporters")
    formats = getattr(mod, "EXPORT_FORMATS", None) if mod is not None else None
    if not isinstance(formats, dict) or not formats:
        return {".toml": "quizapp deck file"}
    return {".toml": formats.get(".toml", "quizapp deck file"),
            **{str(k): str(v) for k, v in formats.items()}}


def import_filter() -> str:
    """The file dialog's filter for importing."""
    suffixes = import_suffixes()
    everything = " ".join(f"*{s}" for s in suffixes)
    parts = [f"All decks ({everything})"] if len(suffixes) > 1 else []
    by_label: dict[str, list[str]] = {}
    for s in suffixes:
        by_label.setdefault(LABELS.get(s, f"{s[1:].upper()} files"), []).append(f"*{s}")
    parts += [f"{label} ({' '.join(globs)})" for label, globs in by_label.items()]
    parts.append("All files (*)")
    return ";;".join(parts)


def export_filters() -> list[str]:
    """The file dialog's filters for exporting, one per format (native first)."""
    return [f"{name} (*{suffix})" for suffix, name in export_formats().items()]


def suffix_for_filter(selected: str) -> str:
    """The extension a chosen export filter stands for (".toml" when unclear)."""
    for suffix in export_formats():
        if selected.endswith(f"(*{suffix})"):
            return suffix
    return ".toml"


def can_import(path: Path) -> bool:
    """Whether a dropped file looks like something the app can import."""
    return path.is_file() and path.suffix.lower() in import_suffixes()


def unsupported(path: Path, suffixes: tuple[str, ...]) -> Exception:
    """The loader's error for a file of a format the app does not read."""
    from quizapp.facts.deckfile import DeckFileError, Problem

    known = ", ".join(suffixes)
    return DeckFileError([Problem(str(path), 1, "file",
                                  f"unsupported format {path.suffix or '(none)'!r}; "
                                  f"quizapp imports {known}")])


def load_file(path: Path, progress: Progress) -> tuple[Deck, tuple[str, ...]]:
    """Read and validate a deck file of any supported format, with notices for the user.

    Raises DeckFileError when the file is refused, TaskCancelledError on Cancel.
    """
    mod = _module("quizapp.importers")
    if mod is None:
        if path.suffix.lower() not in NATIVE:
            raise unsupported(path, NATIVE)
        from quizapp.facts.deckfile import load_deck_file

        deck = load_deck_file(path)
        progress.check()
        return deck, ()

    def report(done: int, total: int) -> None:
        progress(1 if total and done >= total else 0, 3, f"Reading {path.name}… "
                 + (f"{round(100 * done / total)}%" if total else ""))

    result = mod.import_file(path, report)
    progress.check()
    return result.deck, tuple(getattr(result, "notices", ()))


def import_file(collection: Collection, path: str | Path, progress: Progress, *,
                replace: bool = False, as_new: bool = False,
                skip_bad_rows: bool = False) -> tuple[ImportSummary, tuple[str, ...]]:
    """Load ``path`` and store its deck in one transaction; Cancel before commit stores nothing.

    Returns what was stored and the importer's notices (things left out or changed).
    Raises :class:`quizapp.services.imports.ReplacementRefusedError` (nothing stored) when
    the file would retire most of the stored deck with its id, unless ``replace``:
    the same check, in the same words, as ``quizapp import``. A file that
    matches a stored deck updates it; ``as_new`` stores a separate deck.
    A spreadsheet with bad rows among good ones raises
    :class:`quizapp.services.imports.BadRowsError` (nothing stored) unless
    ``skip_bad_rows`` leaves the bad rows out.
    """
    from quizapp.services.imports import store_loaded

    file = Path(path)
    progress(0, 3, f"Reading {file.name}…")
    if skip_bad_rows:
        from quizapp.services.imports import load_path_skipping

        def report(done: int, total: int) -> None:
            progress(1 if total and done >= total else 0, 3, f"Reading {file.name}… "
                     + (f"{round(100 * done / total)}%" if total else ""))

        deck, notices, skipped = load_path_skipping(file, report)
        progress.check()
        if skipped:
            notices = (f"{len(skipped)} bad row{'s' if len(skipped) != 1 else ''} skipped",
                       *notices)
    else:
        from quizapp.facts.deckfile import DeckFileError
        from quizapp.services.imports import bad_rows

        try:
            deck, notices = load_file(file, progress)
        except DeckFileError as exc:
            offer = bad_rows(file)  # good rows among the bad: the user may skip the bad
            if offer is not None:
                raise offer from exc
            raise
    progress(1, 3, f"Storing “{deck.name}” ({len(deck.facts)} facts)…")

    def step(done: int, total: int) -> None:
        # Each call is a chance to cancel: raising stores nothing.
        if done >= total:
            progress(2, 3, "Saving…")
        else:
            progress(1, 3, f"Storing “{deck.name}”… {round(100 * done / max(total, 1))}%")

    outcome = store_loaded(collection, file, deck, notices, replace=replace, as_new=as_new,
                           step=step)
    progress.check()  # committed; a late Cancel is too late and is ignored below
    return ImportSummary(outcome.deck_id, outcome.deck_name, outcome.added, outcome.updated,
                         outcome.retired, outcome.matched), outcome.notices


def export_file(collection: Collection, deck_id: int, path: str | Path,
                progress: Progress | None = None) -> Path:
    """Write a stored deck to ``path`` in the format its extension names."""
    file = Path(path)
    from quizapp.services.media import with_media

    deck = with_media(collection, collection.load_deck(deck_id))
    if progress is not None:
        progress(0, 0, f"Writing {file.name}…")
    mod = _module("quizapp.exporters")
    if mod is not None:
        mod.export_deck(deck, file)
        return file
    if file.suffix.lower() not in NATIVE:
        raise ValueError(f"cannot export to {file.suffix or 'a file without extension'}; "
                         "quizapp writes deck files (.toml)")
    from quizapp.browse import deck_toml
    from quizapp.files import write_text_atomic

    file.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(file, deck_toml(deck))
    return file
