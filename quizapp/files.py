"""Writing files so that a crash never leaves half of one: the one atomic writer.

Every file the app writes for the user (exports, deck files, PDFs, progress
files, settings) goes through :func:`atomic_path`: the content is written to a
temporary file beside the target, synced to disk, given the mode a new file
would get (or the mode of the file it replaces), and moved into place with one
``os.replace``. A failure leaves the old file, if any, and no temporary one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO


def _new_file_mode() -> int:
    """The mode a new file gets under the process's umask (0o644 under the usual 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def sync_file(path: Path) -> None:
    """Flush ``path``'s content to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path: str | Path, *, suffix: str = ".tmp",
                missing_folder: Callable[[Path], Exception] | None = None) -> Iterator[Path]:
    """A temporary path beside ``path`` to fill; moved into place when the block ends.

    ``missing_folder(path)`` makes the error raised when the target's folder
    does not exist (default: :class:`FileNotFoundError`).
    """
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        if missing_folder is not None:
            raise missing_folder(path)
        raise FileNotFoundError(f"{path}: the folder {folder} does not exist")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        sync_file(tmp)
        try:
            mode = path.stat().st_mode & 0o7777
        except OSError:
            mode = _new_file_mode()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    sync_folder(folder)


@contextlib.contextmanager
def atomic_text(path: str | Path, *, encoding: str = "utf-8", newline: str | None = "",
                missing_folder: Callable[[Path], Exception] | None = None) -> Iterator[IO[str]]:
    """An open text file whose content replaces ``path`` when the block ends.

    Line ends are written as given by default (``newline=""``).
    """
    with atomic_path(path, missing_folder=missing_folder) as tmp, \
            open(tmp, "w", encoding=encoding, newline=newline) as fh:
        yield fh


def write_text_atomic(path: str | Path, text: str, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` in one step."""
    with atomic_text(path, encoding=encoding) as fh:
        fh.write(text)
