"""Tokens, sentences, paragraphs and quotation spans with exact ``str`` offsets."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from quizapp.facts.text import sentence_bounds

# Words keep inner hyphens and apostrophes ("al-Amr", "don't"); initials keep their dots ("U.S.").
_TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}"
    r"|[A-Za-z][\w-]*(?:\.[a-z][\w-]*)*\.(?:com|org|net|gov|edu|info|io|co|uk|ca|au|nz)\b"
    r"|\d+(?:[.,:]\d+)*(?:st|nd|rd|th)?"
    r"|[^\W\d_][\w’'`]*(?:-[\w’']+)*"
    r"|[^\w\s]",
)
_ABBREVIATIONS = frozenset({"Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Prof", "Gen", "Sen", "Rep"})

OPEN_QUOTES = '“"'
CLOSE_QUOTES = '”"'


def word_set(text: str) -> frozenset[str]:
    """The white-space separated words of a text, as a set (for word lists)."""
    return frozenset(text.split())


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its text and offsets."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        """The token in lower case, with a typographic apostrophe made plain."""
        return self.text.lower().replace("’", "'")

    @property
    def is_cap(self) -> bool:
        """Whether the token starts with a capital letter."""
        return self.text[:1].isupper()

    @property
    def is_word(self) -> bool:
        """Whether the token is a word (not punctuation or a number)."""
        return self.text[:1].isalpha()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of ``text[start:end]`` with offsets into ``text``."""
    stop = len(text) if end is None else end
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(text, start, stop):
        tok, s, e = m.group(), m.start(), m.end()
        if tok in _ABBREVIATIONS and e < stop and text[e] == ".":
            out.append(Token(tok + ".", s, e + 1))
            continue
        if tok == "." and out and out[-1].end == s and out[-1].text.endswith("."):
            continue  # the dot already taken by an abbreviation
        if out and out[-1].text.endswith(".") and out[-1].end > s:
            continue
        out.append(Token(tok, s, e))
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as (start, end) spans, in order."""
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        s, e = sentence_bounds(text, i, i)
        s = max(s, i)
        if e <= s:
            e = text.find("\n", i)
            e = n if e < 0 else e
            if e <= s:
                i += 1
                continue
        if spans and _split_after_initials(text, spans[-1][1], s):
            spans[-1] = (spans[-1][0], e)  # "the East L.A. station": one sentence
        else:
            spans.append((s, e))
        i = e
    return spans


def _split_after_initials(text: str, prev_end: int, start: int) -> bool:
    """Whether a sentence break is false: "the East L.A. station", "K.C. Maurer said",
    "doing this already [...] including for …" (no sentence starts in lower case)."""
    if "\n" in text[prev_end:start]:
        return False
    if text[start : start + 1].islower():
        return True
    m = re.search(
        r"(?:^|(\S+)\s+)((?:[A-Z]\.){2,}|[A-Z]\.)$", text[max(0, prev_end - 40) : prev_end]
    )
    if m is None:
        return False
    before, initials = m.group(1), m.group(2)
    line_start = text.rfind("\n", 0, prev_end) + 1
    # "K.C. Maurer" opening a sentence; "John F. Kennedy" (not "Washington D.C. He …").
    alone = text[line_start:prev_end].strip() == initials or (
        before is not None and before[-1:] in '.!?"”'
    )
    middle = len(initials) == 2 and before is not None and before[:1].isupper()
    return alone or (middle and before is not None and before[-1:].isalpha())


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Non-empty lines (paragraphs) as (start, end) spans."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation: the marks' positions and the quoted text between them."""

    open: int  # offset of the opening mark
    close: int  # offset of the closing mark (or paragraph end when it runs on)
    start: int  # first character of the quoted text
    end: int  # end of the quoted text (exclusive)
    runs_on: bool  # no closing mark in the paragraph: it continues in the next one


def find_quotations(text: str) -> list[QuoteSpan]:
    """Double-quoted passages, paragraph by paragraph.

    Curly quotes pair by shape; straight quotes alternate. A quotation without a
    closing mark runs to the end of its paragraph (the next paragraph usually
    reopens it).
    """
    out: list[QuoteSpan] = []
    runs_on = False
    for ps, pe in paragraph_spans(text):
        open_at: int | None = None
        first = next((i for i in range(ps, pe) if text[i] in '“”"'), None)
        if runs_on and first is not None and first > ps and _closes_here(text, first, pe):
            # The previous paragraph's quotation goes on here without a new opening mark
            # and closes at this mark ("… the first.\nIt was a very emotional day.").
            span = _trim_quote(text, ps - 1, first, runs_on=False)
            if span is not None:
                out.append(QuoteSpan(ps, first, span.start, span.end, False))
            start_at = first + 1
        else:
            start_at = ps
        runs_on = False
        for i in range(start_at, pe):
            ch = text[i]
            if ch not in '“”"':
                continue
            if open_at is None:
                if ch == "”":
                    continue
                open_at = i
            elif ch in '”"' or _closes_like(text, i, pe):
                span = _trim_quote(text, open_at, i, runs_on=False)
                if span is not None:
                    out.append(span)
                open_at = None
            else:  # a second “ before a closing mark: restart
                open_at = i
        if open_at is not None:
            span = _trim_quote(text, open_at, pe, runs_on=True)
            if span is not None:
                out.append(span)
                runs_on = True
    return out


def _closes_here(text: str, i: int, end: int) -> bool:
    """A mark glued to the words before it and followed by a space, punctuation or the end."""
    return (
        text[i] in '”"'
        and not text[i - 1].isspace()
        and (i + 1 >= end or text[i + 1].isspace() or text[i + 1] in ".,;:!?")
    )


def _closes_like(text: str, i: int, end: int) -> bool:
    """A “ typed where ” was meant: glued to the quoted words and followed by a break."""
    return (
        i > 0
        and not text[i - 1].isspace()
        and text[i - 1] in ".,!?;:…'’"
        and (i + 1 >= end or text[i + 1].isspace())
    )


def _trim_quote(text: str, open_at: int, close_at: int, *, runs_on: bool) -> QuoteSpan | None:
    s, e = open_at + 1, close_at
    while s < e and (text[s].isspace() or (text[s] in ".…" and text.startswith("...", s))):
        s += 3 if text.startswith("...", s) else 1
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:"):
        e -= 1
    if e <= s:
        return None
    return QuoteSpan(open_at, close_at, s, e, runs_on)


def words(text: str) -> list[str]:
    """Lower-case words of a text (for overlap measures)."""
    return [w.replace("’", "'") for w in re.findall(r"[\w’']+", text.lower())]


class Spans:
    """Spans ``[start, end)`` of a text, asked for overlaps in logarithmic time.

    Extraction asks, for every match, whether it overlaps a span taken
    before (a date, a quotation); scanning every span each time took time
    quadratic in the length of an article.
    """

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        pairs = sorted(spans)
        self._starts = [s for s, _ in pairs]
        self._ends = [e for _, e in pairs]
        self._reach = list(accumulate(self._ends, max))  # the furthest end so far

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a span ``[s, e)`` has ``s < end`` and ``start < e``."""
        i = bisect_left(self._starts, end) - 1
        return i >= 0 and self._reach[i] > start

    def contains(self, offset: int) -> bool:
        """Whether a span holds ``offset``."""
        return self.overlaps(offset, offset + 1)

    def add(self, start: int, end: int) -> None:
        """Add a span; every span of a set that grows so must be disjoint from the others.

        (Disjoint spans in order of start end in order too: each one's reach is its end.)
        """
        i = bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        self._reach.insert(i, end)
