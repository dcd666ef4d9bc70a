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
    while e > end and text[e - 1].isspace():
        e -= 1
    return s, e


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
