"""Question stems, event labels and readable fact ids for extracted facts.

The stems are starting points for the teacher's review screen, built from the
evidence sentence with a few rules: the date or number is taken out and the
clause is turned into a question ("When were the main forces deployed …?",
"How many helicopters arrived in Karabakh?").
"""

from __future__ import annotations

import re

_IRREGULAR = {
    "said": "say",
    "made": "make",
    "began": "begin",
    "took": "take",
    "left": "leave",
    "came": "come",
    "went": "go",
    "gave": "give",
    "told": "tell",
    "found": "find",
    "held": "hold",
    "met": "meet",
    "won": "win",
    "lost": "lose",
    "sent": "send",
    "brought": "bring",
    "built": "build",
    "wrote": "write",
    "spoke": "speak",
    "became": "become",
    "ran": "run",
    "saw": "see",
    "got": "get",
    "fell": "fall",
    "paid": "pay",
    "led": "lead",
    "kept": "keep",
    "knew": "know",
    "thought": "think",
    "chose": "choose",
    "rose": "rise",
    "struck": "strike",
    "shot": "shoot",
    "fought": "fight",
    "sold": "sell",
    "bought": "buy",
    "caught": "catch",
    "drew": "draw",
    "flew": "fly",
    "grew": "grow",
    "threw": "throw",
    "broke": "break",
    "stole": "steal",
    "drove": "drive",
    "put": "put",
    "set": "set",
    "hit": "hit",
    "cut": "cut",
    "let": "let",
    "quit": "quit",
    "signed": "sign",
    "arrived": "arrive",
    "announced": "announce",
    "killed": "kill",
    "agreed": "agree",
    "issued": "issue",
    "used": "use",
    "launched": "launch",
    "released": "release",
    "started": "start",
    "opened": "open",
    "closed": "close",
}
_AUX_INVERT = ("was", "were", "is", "are", "has", "have", "had", "will", "would", "can", "could")
_LEADING = re.compile(
    r"^(?:however|meanwhile|moreover|in total|in addition|at the same time|now|then|also|"
    r"reportedly|it is noteworthy that|back|despite the fact that[^,]*)\s*,?\s*",
    re.IGNORECASE,
)


def slug(text: str, max_words: int = 4) -> str:
    """A short ASCII slug of the content words of a text."""
    stop = {
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "by",
        "with",
        "that",
        "this",
        "is",
        "was",
        "were",
        "be",
        "its",
        "it",
        "from",
        "as",
    }
    ws = [w for w in re.findall(r"[a-z0-9]+", _ascii(text).lower()) if w not in stop]
    return "-".join(ws[:max_words]) or "fact"


def _ascii(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if ord(c) < 128)


# The suffix to try first for an id of the ``used`` set last given: every lower
# one was taken (``used`` only grows), so an article that says the same thing
# a thousand times does not try a thousand suffixes for each of its facts.
_next_suffix: tuple[set[str], dict[str, int]] | None = None


def unique_id(prefix: str, base: str, used: set[str]) -> str:
    """``prefix-base``, with -2, -3 … when taken (the lowest suffix that is free)."""
    global _next_suffix
    first = candidate = f"{prefix}-{base}"
    if candidate in used:
        memo = _next_suffix
        if memo is None or memo[0] is not used:
            memo = _next_suffix = (used, {})
        n = memo[1].get(first, 2)
        candidate = f"{first}-{n}"
        while candidate in used:
            n += 1
            candidate = f"{first}-{n}"
        memo[1][first] = n + 1
    used.add(candidate)
    return candidate


def _clause_around(sentence: str, start: int, end: int) -> tuple[str, int, int]:
    """The clause of ``sentence`` that holds ``[start, end)``, with shifted offsets."""
    cuts = [m.end() for m in re.finditer(r";\s|\s[–—]\s|\(|\)", sentence) if m.end() <= start]
    s = max(cuts) if cuts else 0
    ends = [m.start() for m in re.finditer(r";\s|\s[–—]\s|\(|\)", sentence) if m.start() >= end]
    e = min(ends) if ends else len(sentence)
    return sentence[s:e], start - s, end - s


def _remove_span(clause: str, start: int, end: int) -> str:
    before = clause[:start]
    after = clause[end:]
    before = re.sub(
        r"(?:\b(?:on|in|since|from|by|until|of|dated|back on|at)\s+)?(?:the\s+)?$",
        "",
        before,
        flags=re.IGNORECASE,
    )
    text = (before.rstrip() + " " + after.lstrip()).strip()
    text = re.sub(r"\s+,", ",", text)
    text = re.sub(r"^,\s*", "", text)
    return re.sub(r"\s{2,}", " ", text)


def _tidy(text: str) -> str:
    text = text.strip().strip(",;:").strip()
    text = re.sub(r"[“”\"]", "", text)
    text = _LEADING.sub("", text)
    text = re.sub(r"[.!?]+$", "", text)
    return text.strip()


def date_stem(sentence: str, start: int, end: int) -> tuple[str, str]:
    """A "When …?" stem and a short event label for a date in a sentence."""
    clause, s, e = _clause_around(sentence, start, end)
    rest = _tidy(_remove_span(clause, s, e))
    event = _event(rest)
    words = rest.split()
    if not words:
        return "When did this happen?", event
    for i, w in enumerate(words):
        if w.lower() in _AUX_INVERT and i > 0:
            subject = " ".join(words[:i])
            tail = " ".join(words[i + 1 :])
            return f"When {w.lower()} {_lower_first(subject)} {tail}".rstrip() + "?", event
        base = _IRREGULAR.get(w.lower()) or (
            _regular_base(w.lower()) if i > 0 and w.islower() else None
        )
        if base and i > 0:
            subject = " ".join(words[:i])
            tail = " ".join(words[i + 1 :])
            return f"When did {_lower_first(subject)} {base} {tail}".rstrip() + "?", event
    return f"When: {rest}?", event


def _regular_base(word: str) -> str | None:
    if not word.endswith("ed") or len(word) < 5:
        return None
    if word.endswith("ied"):
        return word[:-3] + "y"
    stem = word[:-2]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    if stem.endswith(
        (
            "at",
            "iz",
            "us",
            "ir",
            "ur",
            "v",
            "c",
            "g",
            "bl",
            "pl",
            "dl",
            "tl",
            "as",
            "uc",
            "ag",
            "ov",
        )
    ) or re.search(r"[^aeiou]id$", stem):
        return stem + "e"
    return stem


def _lower_first(text: str) -> str:
    if (
        text[:1].isupper()
        and not text[1:2].isupper()
        and text.split()[0].lower()
        in {
            "the",
            "a",
            "an",
            "this",
            "that",
            "these",
            "those",
            "his",
            "her",
            "their",
            "its",
            "it",
            "they",
            "he",
            "she",
            "we",
        }
    ):
        return text[0].lower() + text[1:]
    return text


def _event(rest: str) -> str:
    rest = re.sub(r",[^,]{0,80},", "", rest)  # drop a parenthetical clause
    words = rest.split()
    label = " ".join(words[:10])
    return (label[:1].upper() + label[1:]) if label else "Event"


def number_stem(
    sentence: str, start: int, end: int, counts: str | None, unit: str | None, value: float = 0
) -> tuple[str, str]:
    """A "How many …?"/"What …?" stem and an event label for a number in a sentence."""
    clause, _s, e = _clause_around(sentence, start, end)
    pred = _predicate(clause[e:])
    label = counts or "the figure"
    event = label[:1].upper() + label[1:]
    if unit == "%":
        return f"What percentage is given for {label}?", event
    if unit and unit.isupper() and len(unit) == 3:
        return f"How much was {label}?", event
    if unit in {"seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades"}:
        return f"How many {unit} — {label}?", event
    if unit is None and counts and 0 < value < 1:
        return f"What share of {label} is given?", event
    if counts and pred:
        return f"How many {counts} {pred}?", event
    return f"How many {label}?" if counts else "What figure does the article give here?", event


def _predicate(after: str) -> str:
    """The verb phrase after a number's noun phrase (past any enumeration)."""
    toks = re.findall(r"[\w’'-]+|[^\w\s]", after)
    prev = ""
    for i, tok in enumerate(toks):
        low = tok.lower()
        if low in {".", ";"}:
            break
        is_verb = low in {"were", "was", "are", "is", "have", "has", "had", "will", "would"} or (
            low.endswith("ed") and len(low) > 4
        )
        if is_verb and prev and not prev[0].isdigit() and prev not in {",", "and"}:
            rest = " ".join(toks[i:])
            rest = re.sub(r"\s+([,.;:!?’'])", r"\1", rest)
            return _tidy(rest)
        prev = tok
    return ""
