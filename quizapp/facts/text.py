"""Small text helpers shared by the deck loader, questions and extraction."""

from __future__ import annotations

import re

# A sentence ends at . ! or ? (after any closing quotes or brackets) followed by
# white space, or at a line break. "decision.”said X" does not end one: the
# attribution belongs to the quoted sentence.
_BOUNDARY_RE = re.compile(r"[.!?][\"”’')\]]*(?=\s)|\n")
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Jr.", "Sr.", "U.S.", "U.K.", "No.", "vs.")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence(s) that contain ``text[start:end]``, trimmed of white space."""
    s = 0
    for m in _BOUNDARY_RE.finditer(text, 0, start):
        if _is_abbreviation(text, m.start()):
            continue
        s = m.end()
    e = len(text)
    for m in _BOUNDARY_RE.finditer(text, end):
        if _is_abbreviation(text, m.start()):
            continue
        e = m.end() if text[m.start()] != "\n" else m.start()
        break
    while s < start and text[s].isspace():
        s += 1
    while e > end and text[e - 1].isspace():
        e -= 1
    return s, e


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    return any(text.endswith(abbr, 0, dot + 1) for abbr in _ABBREVIATIONS)
