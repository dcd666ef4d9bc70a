"""Small text helpers shared by the deck loader, questions and extraction."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

# A sentence ends at . ! or ? (after any closing quotes or brackets) followed by
# white space, or at a line break. "decision.”said X" does not end one: the
# attribution belongs to the quoted sentence.
_BOUNDARY_RE = re.compile(r"[.!?][\"”’')\]]*(?=\s)|\n")
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Jr.", "Sr.", "U.S.", "U.K.", "No.", "vs.")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence(s) that contain ``text[start:end]``, trimmed of white space.

    The text's sentence boundaries are found once and kept for the next call
    on the same text, so that finding the sentence of every fact of an article
    takes time linear in its length.
    """
    keys, starts, ends, breaks = _boundaries(text)
    # The last boundary wholly before ``start`` (a full stop must be followed by
    # white space before ``start``; a line break only has to precede it).
    i = bisect_right(keys, start) - 1
    s = ends[i] if i >= 0 else 0
    j = bisect_left(starts, end)
    e = len(text)
    if j < len(starts):
        e = starts[j] if breaks[j] else ends[j]
    while s < start and text[s].isspace():
        s += 1
    # "SYDNEY (Reuters) - Kestrel made a bid …": the wire dateline opening the article's
    # first paragraph is no part of its first sentence
    line = wire_dateline(text, s)
    if line is not None and line[1] <= start:
        s = line[1]
    while e > end and text[e - 1].isspace():
        e -= 1
    return s, e


# A wire dateline: a place in capitals ("SYDNEY", "NEW YORK", "ST. LOUIS"), perhaps a
# region or a day after a comma (", Scotland", ", May 5"), perhaps the agency in
# brackets ("(Reuters)"), then a dash ("-", "–", "—", "--") and a space
_WIRE_DATELINE_RE = re.compile(
    r"(?P<place>[A-Z][A-Z.'\-]*[A-Z.](?:[ ][A-Z][A-Z.'\-]*[A-Z.]){0,3})"
    r"(?:,[ ](?P<where>[A-Z][A-Za-z.]+(?:[ ](?:[A-Z][A-Za-z.]*|\d{1,2})){0,3}))?"
    r"(?:[ ]\((?P<agency>[A-Z][A-Za-z .&\-]{0,30})\))?"
    r"[ ]*(?:--|[-–—])[ ]+(?=\S)"
)
# Only the first lines of a text open its first paragraph (a headline and a date line
# may come before it)
_WIRE_DATELINE_LINES = 6


def wire_dateline(text: str, at: int) -> tuple[int, int] | None:
    """The span of a wire dateline ("HELSINKI, May 5 (AP) — ") opening the line at
    ``at``, when that line is one of the text's first lines; else None."""
    if at >= len(text) or (at > 0 and text[at - 1] != "\n") or at > 2000:
        return None
    if text.count("\n", 0, at) > _WIRE_DATELINE_LINES:
        return None
    m = _WIRE_DATELINE_RE.match(text, at, min(len(text), at + 160))
    if m is None:
        return None
    # "NATO - the alliance …": one capitalised word and a dash is a dateline only with
    # an agency or a place after a comma beside it, or a place of more than 4 letters
    if m.group("agency") is None and m.group("where") is None and len(m.group("place")) <= 4:
        return None
    return m.start(), m.end()


@lru_cache(maxsize=4)
def _boundaries(text: str) -> tuple[list[int], list[int], list[int], list[bool]]:
    """Every sentence boundary of ``text`` that is no abbreviation, in order.

    For each: the key :func:`sentence_bounds` compares with a start (its end,
    one more for a full stop), its start, its end and whether it is a line break.
    """
    keys: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    breaks: list[bool] = []
    for m in _BOUNDARY_RE.finditer(text):
        if _is_abbreviation(text, m.start()):
            continue
        is_break = text[m.start()] == "\n"
        keys.append(m.end() if is_break else m.end() + 1)
        starts.append(m.start())
        ends.append(m.end())
        breaks.append(is_break)
    return keys, starts, ends, breaks


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    return any(text.endswith(abbr, 0, dot + 1) for abbr in _ABBREVIATIONS)
