"""Media files of a deck (pictures and sounds): names, limits, types, text alternatives.

Every way in (an Anki package, a deck file, the editor's "Add picture…")
checks a file with the same rules: a name is a plain file name (no folder,
no ``..``, no control characters, at most :data:`MAX_NAME_CHARS`
characters), a file is at most :data:`MAX_MEDIA_FILE` bytes and a deck's
files add up to at most :data:`MAX_MEDIA_TOTAL` bytes. The text of a fact
keeps a plain-text alternative for each file (``[image: flag.png]``, or the
picture's description) so that text-only views and screen readers still work.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable
from pathlib import Path

from quizapp.facts.model import Fact, MediaFile

#: One media file is at most this many bytes.
MAX_MEDIA_FILE = 20 * 1024 * 1024
#: The media files of one package or deck add up to at most this many bytes.
MAX_MEDIA_TOTAL = 500 * 1024 * 1024
#: A media name is at most this many characters.
MAX_NAME_CHARS = 255

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg"})
SOUND_EXTENSIONS = frozenset({".mp3", ".ogg", ".oga", ".wav", ".m4a", ".flac", ".opus",
                              ".aac", ".webm", ".mp4"})
_EXTRA_TYPES = {".webp": "image/webp", ".opus": "audio/opus", ".oga": "audio/ogg",
                ".ogg": "audio/ogg", ".m4a": "audio/mp4", ".flac": "audio/flac",
                ".aac": "audio/aac", ".webm": "audio/webm", ".mp4": "audio/mp4",
                ".mp3": "audio/mpeg", ".wav": "audio/wav"}
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
#: The text alternative a fact keeps for a file: ``[image: …]`` or ``[sound: …]``.
ALTERNATIVE_RE = re.compile(r"\[(image|sound): ([^\]\n]*)\]")


def name_problem(name: str) -> str | None:
    """What is wrong with ``name`` as a media file's name, or None."""
    if not name or not name.strip():
        return "empty file name"
    if len(name) > MAX_NAME_CHARS:
        return f"file name of {len(name)} characters (at most {MAX_NAME_CHARS})"
    if "/" in name or "\\" in name:
        return f"{name!r} holds a path separator: a media name is a plain file name"
    if name in (".", "..") or name.startswith(".."):
        return f"{name!r} is not a plain file name"
    if _CONTROL_RE.search(name):
        return f"{name!r} holds a control character"
    if re.match(r"^[A-Za-z]:", name):
        return f"{name!r} names a drive: a media name is a plain file name"
    return None


def size_problem(size: int) -> str | None:
    """What is wrong with a file of ``size`` bytes, or None."""
    if size > MAX_MEDIA_FILE:
        return f"{size:,} bytes (at most {MAX_MEDIA_FILE:,} in one media file)"
    return None


def total_problem(total: int) -> str | None:
    """What is wrong with media adding up to ``total`` bytes, or None."""
    if total > MAX_MEDIA_TOTAL:
        return f"media of more than {MAX_MEDIA_TOTAL:,} bytes (at most that many in one deck)"
    return None


def mime_type(name: str) -> str:
    """The MIME type of a media file by its name."""
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot >= 0 else ""
    if ext in _EXTRA_TYPES:
        return _EXTRA_TYPES[ext]
    guessed, _ = mimetypes.guess_type("x" + ext)
    return guessed or "application/octet-stream"


def is_image_name(name: str) -> bool:
    """Whether ``name`` is a picture by its extension."""
    return mime_type(name).startswith("image/")


def media_file(name: str, data: bytes) -> MediaFile:
    """A :class:`MediaFile` with its type from its name."""
    return MediaFile(name, data, mime_type(name))


def alternative(name: str, description: str | None = None) -> str:
    """The text a fact keeps for a media file: ``[image: description]`` or ``[sound: name]``."""
    label = " ".join((description or "").split()) or name
    label = label.replace("]", ")").replace("[", "(")
    return f"[{'image' if is_image_name(name) else 'sound'}: {label}]"


def fact_text_alternatives(fact: Fact) -> dict[str, str]:
    """For each media name of ``fact``, the label its text gives it (name by default).

    Text alternatives are matched to the fact's files in order, pictures with
    ``[image: …]`` and sounds with ``[sound: …]``: a label that is a file's own
    name goes to that file, any other label to the next picture not yet given one.
    """
    text = " ".join(p for p in (fact.front, fact.back, fact.text) if p)
    labels: dict[str, str] = {}
    pictures = [n for n in fact.media if is_image_name(n)]
    for kind, label in ALTERNATIVE_RE.findall(text):
        if label in fact.media:
            labels.setdefault(label, label)
        elif kind == "image":
            for name in pictures:
                if name not in labels:
                    labels[name] = label
                    break
    return {name: labels.get(name, name) for name in fact.media}


def unique_names(names: Iterable[str]) -> tuple[str, ...]:
    """``names`` without repeats, in order."""
    return tuple(dict.fromkeys(names))


class MediaError(ValueError):
    """A media file that cannot be used; the message is ``FILE: field: what is wrong``."""


def read_media_file(path: str | Path, name: str | None = None) -> MediaFile:
    """Read a picture or sound from disk with the checks of every media file.

    ``name`` is the name it gets in the deck (default: the file's own name).
    Raises :class:`MediaError` for a bad name, a file too large, a folder or
    an unreadable file; at most :data:`MAX_MEDIA_FILE` + 1 bytes are read.
    """
    path = Path(path)
    name = path.name if name is None else name
    problem = name_problem(name)
    if problem is not None:
        raise MediaError(f"{path}: media: {problem}")
    try:
        if not path.is_file():
            raise MediaError(f"{path}: media: not a file")
        with open(path, "rb") as fh:
            data = fh.read(MAX_MEDIA_FILE + 1)
    except OSError as exc:
        raise MediaError(f"{path}: media: {exc.strerror or exc}") from exc
    problem = size_problem(len(data) if len(data) <= MAX_MEDIA_FILE else path.stat().st_size)
    if problem is not None:
        raise MediaError(f"{path}: media: {problem}")
    return media_file(name, data)
