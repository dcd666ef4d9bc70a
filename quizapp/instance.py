"""One writer per profile: a lock that a second app instance cannot take.

The lock is an advisory ``flock`` on a file under ``QUIZAPP_HOME/locks``; the
operating system drops it when the holding process ends, however it ends
(a crash or SIGKILL leaves no stale lock behind).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class ProfileInUseError(Exception):
    """The profile is open in another quizapp window."""

    def __init__(self, profile_name: str, pid: int | None) -> None:
        who = f" (process {pid})" if pid else ""
        super().__init__(
            f"The profile “{profile_name}” is already open in another quizapp window{who}. "
            "Close that window first, or choose another profile."
        )
        self.profile_name = profile_name
        self.pid = pid


class ProfileLock:
    """An exclusive lock on one profile for the life of this process (or until released)."""

    def __init__(self, home: Path, profile_id: int, profile_name: str) -> None:
        self.path = home / "locks" / f"profile-{profile_id}.lock"
        self.profile_name = profile_name
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`ProfileInUseError`."""
        if self._fh is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()
        if fcntl is not None:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                fh.seek(0)
                text = fh.read().strip()
                fh.close()
                raise ProfileInUseError(
                    self.profile_name, int(text) if text.isdigit() else None
                ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        """Give the lock up."""
        if self._fh is not None:
            if fcntl is not None:
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    @property
    def held(self) -> bool:
        """Whether this object holds the lock."""
        return self._fh is not None

    def __enter__(self) -> ProfileLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
