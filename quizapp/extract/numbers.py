"""Numbers with their unit, qualifier and what they count.

Cardinals in digits or words, fractions ("a third", "half"), percentages, money
("$7.3 billion", "422,000 euros"), durations ("five years") and the ends of
ranges ("8–10 years"). Not ordinals, not the digits of dates, not numbers inside
names or identifiers ("Boeing 747", "posts 542", "G20").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp import lexicon
from quizapp.extract.tokens import Spans, word_set

UNITS_WORDS = {
    "second": "seconds",
    "seconds": "seconds",
    "minute": "minutes",
    "minutes": "minutes",
    "hour": "hours",
    "hours": "hours",
    "day": "days",
    "days": "days",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
    "decade": "decades",
    "decades": "decades",
    "century": "centuries",
    "centuries": "centuries",
    "km": "km",
    "kilometres": "km",
    "kilometers": "km",
    "kilometre": "km",
    "kilometer": "km",
    "mile": "miles",
    "miles": "miles",
    "metres": "m",
    "meters": "m",
    "metre": "m",
    "meter": "m",
    "feet": "feet",
    "foot": "feet",
    "kg": "kg",
    "kilograms": "kg",
    "kilogram": "kg",
    "tonnes": "tonnes",
    "tons": "tonnes",
    "tonne": "tonnes",
    "ton": "tonnes",
    "hectares": "hectares",
    "acres": "acres",
    "litres": "litres",
    "liters": "litres",
    "gallons": "gallons",
    "mph": "mph",
    "km/h": "km/h",
    "degrees": "degrees",
    "cm": "cm",
    "mm": "mm",
    "inches": "inches",
    "per cent": "%",
    "percent": "%",
    "%": "%",
    "percentage points": "percentage points",
}
CURRENCY_WORDS = {
    "euro": "EUR",
    "euros": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "pound": "GBP",
    "pounds sterling": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "rubles": "RUB",
    "roubles": "RUB",
    "rupees": "INR",
    "francs": "CHF",
}
CURRENCY_SIGNS = {
    "US$": "USD",
    "US $": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "NZ$": "NZD",
    "NZ $": "NZD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "HK$": "HKD",
    "R$": "BRL",
    "₹": "INR",
    "₽": "RUB",
}
SCALES = {
    **{word: float(n) for word, n in lexicon.SCALES.items()},
    **{abbr: float(lexicon.SCALE_ABBREVIATIONS[abbr]) for abbr in ("bn", "m", "k")},
}
_ONES = lexicon.ONES
_TENS = lexicon.TENS
_FRACTIONS = lexicon.FRACTION_PHRASES
QUALIFIERS = [
    ("more than", "more than"),
    ("over", "more than"),
    ("upwards of", "more than"),
    ("in excess of", "more than"),
    ("at least", "at least"),
    ("no fewer than", "at least"),
    ("no less than", "at least"),
    ("about", "about"),
    ("around", "about"),
    ("approximately", "about"),
    ("roughly", "about"),
    ("some", "about"),
    ("an estimated", "about"),
    ("estimated", "about"),
    ("nearly", "almost"),
    ("almost", "almost"),
    ("close to", "almost"),
    ("up to", "up to"),
    ("as many as", "up to"),
    ("as much as", "up to"),
    ("at most", "at most"),
    ("no more than", "at most"),
    ("less than", "less than"),
    ("fewer than", "less than"),
    ("under", "less than"),
    ("below", "less than"),
    ("just over", "more than"),
    ("just under", "less than"),
    ("only", "only"),
]
# "a third", "two-thirds": the words before and after the hyphen or space.
_FRACTION_WORDS = [k.replace("-", " ").split() for k in _FRACTIONS if " " in k or "-" in k]
_FRACTION_NUMERATORS = "|".join(dict.fromkeys(w[0] for w in _FRACTION_WORDS))
_FRACTION_DENOMINATORS = "|".join(dict.fromkeys(w[-1] for w in _FRACTION_WORDS))
_WORD_NUM = "|".join(sorted([*_ONES, *_TENS], key=len, reverse=True))
_SPELLED = rf"(?:(?:{_WORD_NUM})(?:[-\s](?:{'|'.join(_ONES)}))?)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CUR = r"(?:US\s?\$|NZ\s?\$|A\$|AU\$|C\$|CA\$|HK\$|R\$|\$|€|£|¥|₹|₽)"
_SCALE = rf"(?:\s?(?:{'|'.join(lexicon.SCALES)}|bn)\b|(?<=\d)(?:bn|m|k)\b)"
# "hundred" and the scales up to "billion": the words of a number written out.
_HUNDREDS = "|".join((lexicon.HUNDRED, *(s for s in lexicon.SCALES if s != "trillion")))
_NUMBER_RE = re.compile(
    rf"(?P<cur>{_CUR})?\s?(?P<num>{_DIGITS})(?P<scale>{_SCALE})?"
    rf"|(?<![\w-])(?P<word>{_SPELLED}(?:\s(?:{_HUNDREDS}))*"
    rf"(?:\s(?:and\s)?{_SPELLED})?)(?P<wscale>\s(?:{_HUNDREDS}|trillion))?\b"
    rf"|\b(?P<frac>(?:{_FRACTION_NUMERATORS})[-\s](?:{_FRACTION_DENOMINATORS})"
    rf"|half)\b"
    rf"|\b(?P<scaleonly>a (?:{_HUNDREDS})|{'|'.join(lexicon.VAGUE_PLURALS)})\b",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"^(?P<sep>-|\s|\s?-\s?)?(?P<unit>per cent|percent|percentage points|%|km/h|"
    r"[A-Za-z]+)(?P<old>-old)?",
)
_ID_BEFORE = re.compile(
    r"\b(?:posts?|No\.?|number|numbers|flight|route|room|article|section|chapter|page|line|"
    r"highway|resolution|version|model|channel|gate|platform|lot|unit|building|apartment|"
    r"district|ward|bus|train|seat|item|paragraph|clause|code|level|stage|phase|grade|"
    r"Highway|Route|Flight|Room|Article|Section|Chapter|Resolution|Boeing|Airbus|Windows|iPhone|"
    r"Apollo|Covid|COVID|Class|Type|Model|Version|Phase|Stage|berth|pier|dock|terminal|"
    r"asteroid|comet|Berth|Pier|Dock|Terminal|Asteroid|Comet|Gate|Platform|Track|Block)\s+$",
)
#: A word before a number that makes the number an identifier ("Flight 2015", "room 12").
ID_BEFORE = _ID_BEFORE
# "posts 542 and 543", "rooms 12, 14 and 15": the later numbers of a list of identifiers.
_ID_LIST_BEFORE = re.compile(
    r"\b(?:posts?|rooms?|flights?|routes?|gates?|platforms?|pages?|chapters?|articles?|"
    r"sections?|lines?|seats?|units?|wards?|buildings?|levels?|stages?|phases?|grades?)\s+"
    r"\d[\d,]*(?:\s*,\s*\d[\d,]*)*\s*(?:,|and|&|or)\s*$",
    re.IGNORECASE,
)
_NOT_A_NAME_BEFORE = frozenset(
    ["In", "On", "The", "About", "Over", "Some", "Nearly", "Almost", "Only", "By", "At", "To",
     "From", "Since", "Until", "Around", "Under", "Between", "And", "Of", "With", "For"]
)  # fmt: skip


def _names_a_thing(before: str, after: str, currency: str | None) -> bool:
    """ "Internet Explorer 9 (IE9)", "Studio 54.", "Vostok 1,", "the 747, which …": a
    number right after a name (or after "the") with nothing counted after it names a
    model, a version or a place; a score ("Sweden 1 – 0") counts goals and stays."""
    if currency:
        return False
    if re.match(r"^\s*[–—-]\s*\d", after):
        return False  # a score or a range
    if not re.match(r"^(?:\s*[.,;:)(]|\s*$)", after):
        return False  # something follows that the number may count
    prev = re.search(r"([A-Za-z][\w’'.-]*)\s+$", before)
    if prev is None:
        return False
    word = prev.group(1)
    if word == "the" and not re.search(r"\b(?:of|all|among)\s+the\s+$", before):
        return True  # "the 747, which …" (not "two of the 12.")
    if not word[:1].isupper() or word in _NOT_A_NAME_BEFORE:
        return False
    if word.lower().rstrip(".") in _MONTH_WORDS:
        return False
    # the sentence's first word is no name ("Four. …" aside): a name has a word before it
    return re.search(r"(?:^|[.!?]\s+)" + re.escape(word) + r"\s+$", before) is None


_OF_BEFORE = re.compile(
    r"(?:^|\b(?:a|an|the|its|their|his|her|and|with|at|of|for)\s+)"
    r"((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+of\s+"
    r"(?:(?:about|around|nearly|almost|over|some|approximately|roughly|up to|more than|"
    r"less than|at least)\s+)?(?:[$€£]|[A-Z]{2,3}\s?\$?)?\s*$"
)
_MONTH_WORDS = frozenset(
    [m.lower() for m in lexicon.MONTH_NAMES]
    + ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)
_STOP = word_set(
    """
    a an the of in on at to for from by with and or but as is are was were be been being
    has have had do does did that which who whom whose this these those it its their his
    her our your my we they he she i you than then so such not no nor very more most
    less least only also just about over under up down out into onto off per each every
    both either neither there here when where while if because since until after before
    during through across against among between within without while will would can
    could should may might must shall what how why all any some many much few several
    other another same own
    """
)
_TIME_WORDS = word_set("last next this yesterday today tomorrow tonight ago earlier later") | {
    name.lower() for name in (*lexicon.WEEKDAY_NAMES, *lexicon.MONTH_NAMES)
}
_LEAD_STRIP = word_set(
    """
    in on although though while whereas but and which who that because since if when
    previously now however also
    """
)
_VERBISH = re.compile(
    r"(?:ed|ing)$|^(?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|shall|"
    r"do|does|did|arrived|left|said|says|say|came|went|made|took|got|fell|rose|grew|hit|won|"
    r"lost|became|remain|remains|live|lives|die|died|make|makes|take|takes|get|gets|come|"
    r"comes|go|goes|need|needs|see|sees|be)$"
)


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """A number found in the text."""

    start: int
    end: int
    value: float
    unit: str | None
    qualifier: str | None
    counts: str | None
    is_age: bool = False


def _spelled_value(raw: str) -> float | None:
    total = 0.0
    current = 0.0
    for w in re.split(r"[\s-]+", raw.lower()):
        if w in {"and", ""}:
            continue
        if w in _ONES:
            current += _ONES[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in lexicon.SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
        else:
            return None
    return total + current


def find_numbers(
    text: str,
    excluded: list[tuple[int, int]],
    names: list[tuple[int, int]] | None = None,
) -> list[NumberMatch]:
    """Every number of ``text`` outside the ``excluded`` spans (dates)."""
    out: list[NumberMatch] = []
    names = names or []
    skip = Spans(excluded)
    for m in _NUMBER_RE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        if skip.overlaps(s, e):
            continue
        found = _interpret(text, m, s, e, names)
        if found is not None:
            out.append(found)
    return _ranges(text, out)


def _interpret(
    text: str, m: re.Match[str], s: int, e: int, names: list[tuple[int, int]]
) -> NumberMatch | None:
    before = text[max(0, s - 40) : s]
    after = text[e : e + 40]
    unit: str | None = None
    value: float
    if m.group("num"):
        raw = m.group("num")
        # Glued to letters or part of an identifier/ordinal/time/URL.
        if re.match(r"^(?:st|nd|rd|th)\b|^[A-Za-z]|^:\d|^\.\d|^/\d|^-\d", after):
            return None
        if re.search(r"[A-Za-z/#@]$|\w-$|\bwww\.\S*$|:$", before):
            return None
        if _ID_BEFORE.search(before) or _ID_LIST_BEFORE.search(before):
            return None
        if _names_a_thing(before, after, m.group("cur")):
            return None
        if re.match(r"^\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT|UTC)", after, re.IGNORECASE):
            return None
        # "Movimento 5 Stelle", "Boeing 747": inside a capitalised name.
        prev_word = re.search(r"([A-Za-z][\w’']*)\s+$", before)
        next_word = re.match(r"^\s+([A-Z][a-z]+)", after)
        if prev_word and prev_word.group(1)[0].isupper() and next_word and not m.group("cur"):
            pw = prev_word.group(1)
            if pw not in {"In", "On", "The", "About", "Over", "Some", "Nearly", "Almost", "Only"}:
                return None
        value = float(raw.replace(",", ""))
        if m.group("scale"):
            value *= SCALES[m.group("scale").strip().lower()]
        if m.group("cur"):
            cur = re.sub(r"\s", "", m.group("cur"))
            unit = CURRENCY_SIGNS.get(cur, "USD")
    elif m.group("word"):
        raw = m.group("word")
        low = raw.lower()
        v = _spelled_value(raw)
        if v is None:
            return None
        if m.group("wscale"):
            v *= (
                SCALES.get(m.group("wscale").strip().lower(), 100)
                if m.group("wscale").strip().lower() != "hundred"
                else 100
            )
        value = v
        if (low == "one" or low.startswith("one ")) and not _one_is_number(before, after):
            return None
        if any(ns <= s < ne for ns, ne in names):
            return None
        prev_word = re.search(r"([A-Za-z][\w’']*)\s+$", before)
        if (
            raw[0].isupper()
            and prev_word
            and prev_word.group(1)[0].isupper()
            and not re.search(r"[.!?\"“”]\s*$", before)
        ):
            return None  # "Seven Seas", "Group of Eight"
    elif m.group("frac"):
        raw = m.group("frac").lower()
        key = raw.replace("-", " ") if raw.replace("-", " ") in _FRACTIONS else raw
        value = _FRACTIONS.get(key, _FRACTIONS.get(raw, 0.5))
        if raw == "half":
            if re.search(r"\b(?:first|second|a|the|one)\s+$", before, re.IGNORECASE) and not (
                re.match(r"^\s+(?:of|as)\b", after)
            ):
                return None
            if not re.match(r"^\s+(?:of|as|the|a|an)\b", after):
                return None
        elif not re.match(r"^\s+(?:of|as)\b", after) and not _qualifier(before):
            return None
    else:
        raw = m.group("scaleonly").lower()
        if raw in lexicon.VAGUE_PLURALS:
            value = lexicon.VAGUE_PLURALS[raw]
            if not re.match(r"^\s+of\b", after):
                return None
        else:
            scale = raw.split()[1]  # "a hundred", "a thousand", ...
            value = 100 if scale == lexicon.HUNDRED else float(lexicon.SCALES[scale])
    end = e
    is_age = False
    # Unit after the number: "%", "per cent", "years", "euros", "-year-old".
    um = _UNIT_AFTER.match(text[end : end + 30])
    if um and unit is None:
        word = um.group("unit").lower()
        sep = um.group("sep") or ""
        if word in UNITS_WORDS and (sep or word == "%"):
            unit = UNITS_WORDS[word]
            end = end + um.end("unit")
            if um.group("old"):
                end = end + 4
                is_age = True
        elif word in CURRENCY_WORDS and sep:
            unit = CURRENCY_WORDS[word]
            end = end + um.end("unit")
        elif word in {"per"} and text[end : end + 9].lower().startswith(" per cent"):
            unit = "%"
            end += 9
    if unit is None and re.match(r"^\s?-\s?year-old", text[end : end + 12]):
        unit = "years"
        is_age = True
        end = end + re.match(r"^\s?-\s?year-old", text[end:]).end()  # type: ignore[union-attr]
    qualifier = _qualifier(before)
    tail = text[end : end + 12].lower()
    if tail.startswith(" or more") or tail.startswith(" or over"):
        qualifier = "at least"
    # "Daniel Montalvo, 19, a member …": an age.
    if (
        not is_age
        and unit is None
        and m.group("num")
        and re.search(r"[A-Z][\w’'-]+,\s?$", before)
        and re.match(r"^,", text[end : end + 2])
        and 0 < value < 120
    ):
        is_age = True
        unit = "years"
    return NumberMatch(s, end, value, unit, qualifier, None, is_age)


def _one_is_number(before: str, after: str) -> bool:
    if re.search(
        r"\b(?:the|no|any|every|each|this|that|which|another|new|only one of)\s+$",
        before,
        re.IGNORECASE,
    ):
        return False
    if re.match(r"^\s+(?:of|another|or the other|by one|day,|way|another)\b", after):
        return False
    if re.match(r"^\s+or\s+(?:two|three)\b", after):
        return True
    nxt = re.match(r"^\s+([a-z][\w-]*)", after)
    if not nxt:
        return False
    w = nxt.group(1)
    return w not in _STOP and not _VERBISH.search(w)


def _qualifier(before: str) -> str | None:
    low = before.lower()
    low = re.sub(r"(?:us\s?\$|nz\s?\$|\$|€|£)\s*$", "", low)
    for phrase, norm in QUALIFIERS:
        if re.search(rf"\b{re.escape(phrase)}\s+$", low):
            if phrase == "only" and not re.search(r"\b(?:only)\s+$", low):
                continue
            return norm
    return None


def _ranges(text: str, found: list[NumberMatch]) -> list[NumberMatch]:
    """Give the left end of "8–10 years" the unit of the right end."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        gap = text[a.end : b.start]
        if (
            a.unit is None
            and b.unit is not None
            and re.fullmatch(r"\s?[-–]\s?|\s+(?:to|or)\s+", gap)
        ):
            out[i] = NumberMatch(a.start, a.end, a.value, b.unit, a.qualifier, None, b.is_age)
        if b.qualifier is None and a.qualifier and re.fullmatch(r"\s?[-–]\s?|\s+(?:to|or)\s+", gap):
            out[i + 1] = NumberMatch(b.start, b.end, b.value, b.unit, a.qualifier, None, b.is_age)
    return out


def content_words(text: str) -> list[str]:
    """Lower-case content words (for what a number counts)."""
    return [w for w in re.findall(r"[a-z][a-z'’-]*", text.lower()) if w not in _STOP]


def counts_for(
    text: str, sent_start: int, sent_end: int, n: NumberMatch, person_near: str | None = None
) -> str | None:
    """What a number counts, in a few words, from its sentence."""
    if n.is_age:
        return f"age of {person_near}" if person_near else "age"
    right = text[n.end : sent_end]
    hyphen = re.match(r"^-([a-z]+)\s+([a-z][\w-]*)", right)
    if hyphen and hyphen.group(2) not in _STOP:
        return f"{hyphen.group(1)} {hyphen.group(2)}"
    # "1,960 military personnel", "10% of the total volume of weapons"
    rm = re.match(
        r"^\s*(?:of\s+(?:the\s+|all\s+|its\s+|their\s+)?)?((?:[A-Za-z][\w’'-]*\s*){1,6})", right
    )
    phrase_words: list[str] = []
    if rm:
        for w in rm.group(1).split():
            lw = w.lower()
            if lw in _STOP or (lw in UNITS_WORDS and phrase_words) or lw in _TIME_WORDS:
                break
            if _VERBISH.search(lw) and not (lw.endswith("ed") and not phrase_words):
                break
            phrase_words.append(w)
        while phrase_words and _VERBISH.search(phrase_words[-1].lower()):
            phrase_words.pop()
    takes_of = bool(re.match(r"^\s*of\b", right))
    if (
        phrase_words
        and (n.unit in {None, "%"} or takes_of)
        and not (n.unit in UNITS_WORDS.values() and n.unit != "%" and not takes_of)
    ):
        return " ".join(phrase_words)
    # Otherwise the clause before the number: "trade turnover … increased by 43%".
    left = text[sent_start : n.start]
    of = _OF_BEFORE.search(left)
    if of is not None:
        # "… and a turnout rate of 58%", "at an estimated cost of NZ$26 million": the
        # noun phrase right before "of" is what the number measures
        ws = [w for w in of.group(1).split() if w.lower() not in _STOP]
        if ws and not _VERBISH.search(ws[-1].lower()):  # "estimated cost", not "rose"
            return " ".join(ws[-3:])
    parts = re.split(r"[,;:()–—]|\s-\s", left)
    for chunk in reversed(parts):
        ws = [w for w in re.findall(r"[A-Za-z][\w’'-]*", chunk)]
        while ws and (ws[-1].lower() in _STOP or _VERBISH.search(ws[-1].lower())):
            ws.pop()
        while ws and (ws[0].lower() in _STOP or ws[0].lower() in _LEAD_STRIP):
            ws.pop(0)
        if len([w for w in ws if w.lower() not in _STOP]) >= 1:
            return " ".join(ws[-7:])
    if n.unit:
        return n.unit
    return None
