"""What the progress file and the profile file share: version, reading, writing, problems.

Both are UTF-8 JSON objects with a ``"format"`` and a ``"version"``, written
atomically (:func:`write_json_atomic`) and read with every problem reported
on one line (:class:`ProgressFileError`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quizapp.files import atomic_text

FILE_VERSION = 1


class ProgressFileError(ValueError):
    """A progress or profile file that cannot be read or imported; one line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def iso(value: datetime | None) -> str | None:
    """An aware time as ISO 8601 UTC text (None stays None)."""
    return value.astimezone(UTC).isoformat() if value is not None else None


def write_json_atomic(path: str | Path, data: Any) -> None:
    """Write ``data`` as UTF-8 JSON through a temporary file beside ``path``."""
    def no_folder(target: Path) -> ProgressFileError:
        return ProgressFileError([f"{target}: the folder {target.parent} does not exist"])

    with atomic_text(path, newline=None, missing_folder=no_folder) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


def read_json(path: str | Path, fmt: str, what: str) -> dict[str, Any]:
    """Read a JSON file of format ``fmt`` (``what`` names it in problems), version checked."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ProgressFileError([f"{path}:1: file: cannot be read ({exc.strerror or exc})"]) \
            from None
    except UnicodeDecodeError:
        raise ProgressFileError([f"{path}:1: file: not UTF-8 text"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProgressFileError([f"{path}:{exc.lineno}: file: not valid JSON ({exc.msg})"]) \
            from None
    if not isinstance(data, dict) or data.get("format") != fmt:
        raise ProgressFileError([f"{path}:1: format: not a quizapp {what} "
                                 f"(expected \"format\": \"{fmt}\")"])
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise ProgressFileError([f"{path}:1: version: missing or not a whole number"])
    if version > FILE_VERSION:
        raise ProgressFileError([f"{path}:1: version: written by a newer quizapp "
                                 f"(version {version}); update quizapp to read it"])
    return data


class Checker:
    """Collects one-line problems ``FILE:WHERE: FIELD: MESSAGE`` while a file is checked."""

    def __init__(self, path: Path | str) -> None:
        self.path = path
        self.problems: list[str] = []

    def add(self, where: str, field_name: str, message: str) -> None:
        self.problems.append(f"{self.path}:{where}: {field_name}: {message}")

    def text(self, obj: Mapping[str, Any], key: str, where: str, *, required: bool = True,
             default: str = "") -> str:
        v = obj.get(key)
        if v is None and not required:
            return default
        if not isinstance(v, str) or (required and not v.strip()):
            self.add(where, key, "missing or not text")
            return default
        return v

    def number(self, obj: Mapping[str, Any], key: str, where: str, *,
               optional: bool = False) -> float | None:
        v = obj.get(key, None if optional else 0)
        if v is None and optional:
            return None
        if isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
            self.add(where, key, "not a number of zero or more")
            return None if optional else 0
        return float(v)
