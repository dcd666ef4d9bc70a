"""The feedback log: one line for every answer whose feedback goes on screen.

``QUIZAPP_HOME/logs/feedback.log`` gets a line such as::

    2025-03-01T09:12:44.120385Z	review=118	card=42	kind=study	correct=0

for each answer (study, overrule, self-rated flashcard), written *after* the
answer's transaction has committed and just *before* its feedback is shown.

How it is written, and why:

- The file is opened unbuffered (``buffering=0``) with ``O_APPEND`` and each
  line is a single ``write()``. When the call returns the line is in the
  operating system's page cache, so it survives the app being killed (SIGKILL,
  a crash, the window manager) at any later moment; nothing waits in a Python
  buffer.
- Lines are *not* fsync'ed. The database commit before the line was synced
  (SQLite in WAL mode with ``synchronous=FULL``), so even a power cut cannot
  leave a line whose answer is missing from the database; it can only lose the
  newest lines. The log's one promise — every answer with a feedback line is in
  the review log — therefore holds without a second sync per answer, which
  would double the disk work of answering for nothing the database does not
  already guarantee.
- A line torn by a kill in the middle of ``write()`` is ended with a newline
  when the log is next opened, so the next line starts clean.
- The log is rotated when it passes :data:`MAX_BYTES` (one older file kept).
  A log that cannot be written (read-only folder, full disk) is given up with
  a warning; it never stops studying.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

LOG_DIR = "logs"
LOG_NAME = "feedback.log"
MAX_BYTES = 2 * 1024 * 1024


def feedback_log_path(home: Path | None = None) -> Path:
    """Where the feedback log lives under the app's home."""
    if home is None:
        from quizapp.config import app_home

        home = app_home()
    return home / LOG_DIR / LOG_NAME


def format_line(
    review_id: int, card_id: object, kind: str, correct: bool, now: datetime | None = None
) -> str:
    """One log line (with its newline)."""
    when = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{when}\treview={review_id}\tcard={card_id}\tkind={kind}\tcorrect={int(correct)}\n"


def parse_line(line: str) -> dict[str, str] | None:
    """The fields of a complete log line (None for a torn or foreign line)."""
    if not line.endswith("\n"):
        return None
    parts = line.rstrip("\n").split("\t")
    fields = {"time": parts[0]}
    for part in parts[1:]:
        key, sep, value = part.partition("=")
        if not sep:
            return None
        fields[key] = value
    return fields if "review" in fields else None


class FeedbackLog:
    """Appends feedback lines to one file, unbuffered (see the module's notes)."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._fh: IO[bytes] | None = None
        self._broken = False

    @property
    def path(self) -> Path:
        """The log file."""
        if self._path is None:
            self._path = feedback_log_path()
        return self._path

    def _open(self) -> IO[bytes]:
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if path.stat().st_size > MAX_BYTES:
                os.replace(path, path.with_name(path.name + ".1"))
        except FileNotFoundError:
            pass
        fh = open(path, "ab", buffering=0)  # noqa: SIM115 - kept open for the app's life
        if fh.tell() > 0:
            with open(path, "rb") as check:
                check.seek(-1, os.SEEK_END)
                if check.read(1) != b"\n":  # a line torn by a kill: end it
                    fh.write(b"\n")
        return fh

    def write(self, review_id: int, card_id: object, kind: str, correct: bool) -> bool:
        """Append one line for a committed answer; False if the log cannot be written."""
        if self._broken:
            return False
        line = format_line(review_id, card_id, kind, correct).encode("utf-8")
        try:
            if self._fh is None:
                self._fh = self._open()
            written = self._fh.write(line) or 0  # one write(2): unbuffered
            while written < len(line):  # a short write (rare on a regular file)
                written += self._fh.write(line[written:]) or 0
        except OSError as exc:
            self._broken = True
            log.warning("the feedback log %s cannot be written (%s); going on without it",
                        self._path, exc)
            return False
        return True

    def close(self) -> None:
        """Close the file (it is reopened on the next line)."""
        if self._fh is not None:
            try:
                self._fh.close()
            finally:
                self._fh = None
