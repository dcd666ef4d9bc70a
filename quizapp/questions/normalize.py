"""Text normalisation shared by question building and grading.

Comparisons of answers, choices and prompts go through :func:`norm_text`:
case, accents, typographic quotes and thousands separators do not matter
("1,960" equals "1960", "Hajíyev" equals "hajiyev").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2026": "...",
    }
)
_THOUSANDS_RE = re.compile(r"(?<=\d)[, ](?=\d{3}(?!\d))")
_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?|[^\W\d_]+")
_SPACE_RE = re.compile(r"\s+")
_POSSESSIVE_RE = re.compile(r"'s\b")


def word_set(text: str) -> frozenset[str]:
    """The white-space separated words of ``text``, as a set."""
    return frozenset(text.split())


STOPWORDS = word_set(
    "a an the of in on at to for by with from and or as is are was were be been that this "
    "these those its it their his her our your my than into over about which who whom whose "
    "what when where why how"
)
# Words that say *when* a quantity held, not *what* it is: "Russia's former share"
# and "Russia's share" count the same kind of thing.
TIME_WORDS = word_set(
    "previously previous former formerly now current currently today earlier later "
    "initially initial originally original then before after since until last next this "
    "recent recently latest new old year years month months week day"
)


def fold(text: str) -> str:
    """Case-, accent- and typography-insensitive form of ``text``."""
    if text.isascii():
        return text.lower()
    t = unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHY))
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return t.casefold()


def tokens(text: str) -> list[str]:
    """The words and numbers of ``text``, folded; "1,960" is one token "1960"."""
    t = _THOUSANDS_RE.sub("", fold(text))
    t = _POSSESSIVE_RE.sub("", t).replace("'", "")
    return _TOKEN_RE.findall(t)


@lru_cache(maxsize=1 << 16)
def norm_text(text: str) -> str:
    """``text`` as a canonical string of folded tokens, for equality tests."""
    return " ".join(tokens(text))


def contains_phrase(haystack: str, needle: str) -> bool:
    """Whether the normalised ``needle`` occurs as whole words in ``haystack``."""
    n = norm_text(needle)
    if not n:
        return False
    return f" {n} " in f" {norm_text(haystack)} "


def clean_space(text: str) -> str:
    """``text`` with runs of white space collapsed to one space and trimmed."""
    return _SPACE_RE.sub(" ", text).strip()


def capitalise(text: str) -> str:
    """``text`` with its first letter upper-case (the rest untouched)."""
    return text[:1].upper() + text[1:] if text else text


@lru_cache(maxsize=1 << 16)
def stem_word(word: str) -> str:
    """A crude English stem, enough to match "purchases" with "purchased"."""
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)] + repl
    return word


@lru_cache(maxsize=1 << 16)
def content_words(text: str, drop: frozenset[str] = frozenset()) -> frozenset[str]:
    """Stemmed content words of ``text`` without stop words, digits and ``drop``."""
    return frozenset(
        stem_word(w)
        for w in tokens(text)
        if w not in STOPWORDS and w not in drop and not w[0].isdigit()
    )


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two word sets (0 when both are empty)."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Optimal-string-alignment distance (a swap of neighbours costs one).

    With ``limit`` the computation stops early and returns ``limit + 1`` once the
    distance is known to exceed it.
    """
    if a == b:
        return 0
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            best = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, prev2[j - 2] + 1)
            cur[j] = best
        if limit is not None and min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def typo_allowance(length: int) -> int:
    """How many typing slips an answer of ``length`` characters may contain."""
    if length <= 3:
        return 0
    if length <= 6:
        return 1
    if length <= 12:
        return 2
    return 3


def close_enough(given: str, expected: str) -> bool:
    """Whether two normalised strings match, allowing slips scaled to length."""
    if given == expected:
        return True
    allowance = typo_allowance(len(expected))
    return allowance > 0 and edit_distance(given, expected, allowance) <= allowance


def word_count(text: str) -> int:
    """The number of white-space separated words in ``text``."""
    return len(text.split())
