"""What every importer shares: results, problems, ids and the progress callback."""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from quizapp.facts.deckfile import ID_RE, DeckFileError, Problem
from quizapp.facts.model import Deck

#: ``progress(done, total)``: called now and then while a file is read, and
#: once with ``done == total`` at the end. The unit is the importer's own
#: (physical lines for text files, notes for Anki packages).
Progress = Callable[[int, int], None]

#: Problems listed one by one before the rest are only counted.
MAX_PROBLEMS = 50


@dataclass(frozen=True, slots=True)
class ImportResult:
    """A deck read from a file, with what the user should know about it.

    ``notices`` are sentences about things that were read but left out or
    changed (media, ignored columns, skipped notes); they do not stop the
    import. ``format`` names the importer: ``toml``, ``csv`` or ``apkg``.
    """

    deck: Deck
    notices: tuple[str, ...] = ()
    format: str = ""
    #: Rows left out when bad rows are skipped (a spreadsheet read with
    #: ``skip_bad_rows``), one problem each, in file order.
    skipped: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordProblem(Problem):
    """A problem in a binary file: a member or record stands where a line would.

    Printed as ``FILE: WHERE: field: what is wrong``, for example
    ``deck.apkg: collection.anki21: notes row 12: flds: not text``.
    """

    where: str = ""

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.field}: {self.message}"


class Problems:
    """Collects the problems of one file; shows the first :data:`MAX_PROBLEMS`."""

    def __init__(self, file: str, limit: int | None = MAX_PROBLEMS) -> None:
        """``limit``: how many problems to keep one by one (None: every one)."""
        self.file = file
        self.items: list[Problem] = []
        self.more = 0
        self.limit = limit

    def __bool__(self) -> bool:
        return bool(self.items)

    def _add(self, problem: Problem) -> None:
        if self.limit is None or len(self.items) < self.limit:
            self.items.append(problem)
        else:
            self.more += 1

    def line(self, line: int, field: str, message: str) -> None:
        """A problem at a line of a text file."""
        self._add(Problem(self.file, line, field, message))

    def record(self, where: str, field: str, message: str) -> None:
        """A problem at a member or record of a binary file."""
        self._add(RecordProblem(self.file, 0, field, message, where))

    def error(self) -> DeckFileError:
        """The exception that refuses the file (call only when there are problems)."""
        items = list(self.items)
        if self.more:
            last = items[-1]
            summary = f"{self.more} more problem(s) not shown"
            if isinstance(last, RecordProblem):
                items.append(RecordProblem(self.file, 0, "file", summary, last.where))
            else:
                items.append(Problem(self.file, last.line, "file", summary))
        return DeckFileError(items)

    def raise_if_any(self) -> None:
        """Refuse the file if anything was wrong."""
        if self.items:
            raise self.error()


def refuse(file: str, line: int, field: str, message: str) -> DeckFileError:
    """A one-problem refusal at a line of a text file."""
    return DeckFileError([Problem(file, line, field, message)])


def refuse_record(file: str, where: str, field: str, message: str) -> DeckFileError:
    """A one-problem refusal at a member or record of a binary file."""
    return DeckFileError([RecordProblem(file, 0, field, message, where)])


# --------------------------------------------------------------------------
# Stable ids

_BREAK_TAG_RE = re.compile(r"<(?:br|/?(?:div|p|li|tr|h[1-6]))\b[^>]*>", re.IGNORECASE)
_TAG_RE = re.compile(r"<[A-Za-z!/?][^>]*>")
_SLUG_RE = re.compile(r"[^a-z0-9]+")


def normalise_key(text: str) -> str:
    """The form of a first field that decides whether two notes are the same.

    HTML tags removed, entities decoded, Unicode NFC, case folded and
    whitespace collapsed, so that "Capital of <b>Peru</b>?" and
    "capital of  peru?" are one note.
    """
    if "<" in text:
        text = _TAG_RE.sub("", _BREAK_TAG_RE.sub(" ", text))
    if "&" in text:
        import html

        text = html.unescape(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    # str.split() splits on the characters that ``\s`` matches (str.isspace).
    return " ".join(text.casefold().split())


def qa_id_for(front: str) -> str:
    """The stable fact id of a row without an id: ``qa-`` and a hash of its front."""
    key = normalise_key(front).encode("utf-8")
    return "qa-" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:16]


_SAFE_GUID_RE = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def anki_fact_id(guid: str, cloze: int | None = None) -> str:
    """The stable fact id of an Anki note (and cloze number) from its guid.

    A guid of letters, digits and ``-`` is kept readable (``anki-<guid>``);
    any other is base32-encoded (``anki-_<base32>``), since Anki guids use
    characters that fact ids do not allow. Cloze cards add ``_c<N>``. The
    three parts cannot be confused: readable guids hold no ``_`` and base32
    holds none either.
    """
    if _SAFE_GUID_RE.match(guid):
        out = "anki-" + guid
    else:
        encoded = base64.b32encode(guid.encode("utf-8")).decode("ascii").rstrip("=").lower()
        out = "anki-_" + encoded
    if cloze is not None:
        out += f"_c{cloze}"
    return out


def deck_id_for(name: str) -> str:
    """A stable deck id from a deck or file name: ASCII letters, digits and ``-``.

    "Spanish verbs (A1)" gives ``spanish-verbs-a1``. Letters that have no
    ASCII form would be lost, so a name with any gets a short hash of the
    whole name too (``deck-3f2a...`` when nothing ASCII is left).
    """
    folded = unicodedata.normalize("NFKD", name)
    ascii_part = folded.encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_RE.sub("-", ascii_part.lower()).strip("-")[:60].strip("-")
    lost = any(unicodedata.category(ch).startswith(("L", "N")) for ch in folded if not ch.isascii())
    if lost or not slug:
        digest = hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]
        slug = f"{slug}-{digest}" if slug else f"deck-{digest}"
    assert ID_RE.match(slug), slug
    return slug


def split_tags(text: str) -> list[str]:
    """Tags from a cell: separated by spaces or commas, duplicates dropped."""
    return list(dict.fromkeys(text.replace(",", " ").split()))
