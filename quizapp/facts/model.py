"""The fact model: sources, facts and decks as plain, immutable values.

Everything above storage (questions, study, the GUI and the command line)
works with these dataclasses, never with ORM rows.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class FactKind(StrEnum):
    """What a fact is about; decides which question forms it gets."""

    DATE = "date"
    NUMBER = "number"
    QUOTE = "quote"
    PERSON = "person"
    QA = "qa"


FACT_KINDS: tuple[str, ...] = tuple(k.value for k in FactKind)

#: Why a stored fact is held back from study (:attr:`Fact.hold`).
HOLD_PENDING = "pending"
HOLD_NO_FORM = "no_form"

#: The confidence levels of an extracted fact.
LEVELS: tuple[str, ...] = ("ready", "check")

# ISO 8601 as precise as the text: 2020-11-10, 2020-11, 2020, --04-16 (no year).
DATE_VALUE_RE = re.compile(r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|--\d{2}-\d{2})$")


@dataclass(frozen=True, slots=True)
class Source:
    """An article that facts come from."""

    id: str
    title: str
    text: str
    published: str | None = None
    file: str | None = None
    url: str | None = None
    author: str | None = None
    licence: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """One checkable piece of a source, or a plain question/answer note.

    Only the fields of the fact's kind are set; the others stay ``None``.
    ``start``/``end`` are ``str`` offsets into the source text (end exclusive)
    and ``text == source.text[start:end]``; ``sentence`` is the evidence
    sentence (or sentences) around that span, starting at ``sentence_start``.
    """

    id: str
    kind: FactKind
    source_id: str | None = None
    text: str = ""
    start: int | None = None
    end: int | None = None
    sentence: str | None = None
    sentence_start: int | None = None
    stem: str | None = None
    event: str | None = None
    # date: ISO string; number: float
    value: str | float | None = None
    unit: str | None = None
    counts: str | None = None
    qualifier: str | None = None
    # quote (verbatim or reported)
    speaker: str | None = None
    role: str | None = None
    reported: bool = False
    # person
    name: str | None = None
    roles: tuple[str, ...] = ()
    # Q/A note
    front: str | None = None
    back: str | None = None
    tags: tuple[str, ...] = ()
    # Extracted facts: "ready" (may be accepted without a look) or "check", with the
    # one-line reasons a teacher reads ("speaker taken from an earlier sentence").
    level: str | None = None
    reasons: tuple[str, ...] = ()
    # Names of the deck's media files (pictures, sounds) the fact shows, in order;
    # its text keeps a plain-text alternative ("[image: flag.png]") for text-only views.
    media: tuple[str, ...] = ()
    # Why a stored fact is held back from study, with ``reasons`` saying why: None (it
    # is studied), "pending" (found in an article, marked check, waiting for a
    # teacher) or "no_form" (no question form can ask it; see questions.holds).
    hold: str | None = None

    @property
    def date_value(self) -> str:
        """The ISO date value of a date fact."""
        assert self.kind is FactKind.DATE and isinstance(self.value, str)
        return self.value

    @property
    def number_value(self) -> float:
        """The numeric value of a number fact."""
        assert self.kind is FactKind.NUMBER and isinstance(self.value, float | int)
        return float(self.value)


@dataclass(frozen=True, slots=True)
class Speaker:
    """Who a speaker is besides their name: other names, and whom they speak for.

    ``aliases`` are other names of the same speaker ("Russia", "the Kremlin"
    for "Moscow"); ``speaks_for`` names the speakers (a state, an office, an
    organisation) whose words this one states ("Grigory Karasin" speaks for
    "Moscow"), so the article attributes their statements to both.
    """

    name: str
    aliases: tuple[str, ...] = ()
    speaks_for: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DeckOptions:
    """Per-deck options a teacher can set."""

    # Relative tolerance for typed numbers, e.g. 0.0 means exact; None means
    # the size-dependent default of the grader.
    number_tolerance: float | None = None


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A picture or sound of a deck: its name (unique within the deck) and bytes."""

    name: str
    data: bytes = field(repr=False)
    mime: str = "application/octet-stream"

    @property
    def size(self) -> int:
        """Its size in bytes."""
        return len(self.data)

    @property
    def is_image(self) -> bool:
        """Whether it is a picture (else a sound or another file)."""
        return self.mime.startswith("image/")


class MediaStream(ABC):
    """A deck's media files read one at a time as they are stored, never all at once.

    An import of a large package hands its files over this way, so that the
    memory it takes is bounded by one file, not by the package. Iterating reads
    and checks each file in turn and raises the importer's usual error for a
    bad one; the import's transaction then stores nothing.
    """

    #: The names of the files, in the order they are read.
    names: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.names)

    @abstractmethod
    def __iter__(self) -> Iterator[MediaFile]:
        """Each file in turn, read and checked (the previous one may be freed)."""


@dataclass(frozen=True, slots=True)
class Deck:
    """A named set of facts, with the sources they come from."""

    id: str
    name: str
    description: str = ""
    sources: tuple[Source, ...] = ()
    facts: tuple[Fact, ...] = ()
    options: DeckOptions = field(default_factory=DeckOptions)
    speakers: tuple[Speaker, ...] = ()
    # The media files the facts name (bytes included) when the deck carries
    # them: an import or an export. A deck read from the database leaves them
    # there (see quizapp.services.media) and this stays empty. A package's
    # import hands them over as a MediaStream, read one at a time as stored.
    media: tuple[MediaFile, ...] | MediaStream = ()

    def source(self, source_id: str | None) -> Source | None:
        """The source with this id, if the deck has it."""
        for s in self.sources:
            if s.id == source_id:
                return s
        return None

    def fact(self, fact_id: str) -> Fact:
        """The fact with this id (KeyError if absent)."""
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)
