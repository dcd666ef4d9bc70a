"""Dates and periods in English news text, normalised to ISO 8601 as precise as the text.

``November 10, 2020`` → ``2020-11-10``; ``November 2020`` → ``2020-11``; ``in 2020``
→ ``2020``; ``April 16`` → ``--04-16`` (a day without a year). Relative dates
("yesterday", "on Thursday", "last year", "in March") are resolved against a
reference date: the article's dateline or publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from quizapp import lexicon
from quizapp.extract.numbers import ID_BEFORE as _ID_BEFORE
from quizapp.extract.tokens import Spans
from quizapp.facts.text import wire_dateline

MONTHS = lexicon.MONTHS
WEEKDAYS = lexicon.WEEKDAYS
# "Sep" and "Sept" make one alternative, "Sept?".
_MONTH = (
    "(?:"
    + "|".join(lexicon.MONTH_NAMES)
    + "|"
    + "|".join(
        rf"{abbr.title()}t?\.?" if abbr + "t" in MONTHS else rf"{abbr.title()}\.?"
        for abbr in lexicon.MONTH_ABBREVIATIONS
        if abbr[:-1] not in MONTHS
    )
    + ")"
)
_WEEKDAY = "(?:" + "|".join(lexicon.WEEKDAY_NAMES) + ")"
#: A month name or abbreviation, and a weekday name, as regular expressions.
MONTH_PATTERN = _MONTH
WEEKDAY_PATTERN = _WEEKDAY
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)\b")),
    (
        "mdy",
        re.compile(
            rf"\b(?:{_WEEKDAY},?\s+)?(?P<mon>{_MONTH})\s+(?P<d>{_DAY})(?:,\s*|\s+)(?P<y>{_YEAR})\b"
        ),
    ),
    (
        "dmy",
        re.compile(
            rf"\b(?:{_WEEKDAY},?\s+)?(?P<d>{_DAY})(?:\s+of)?\s+(?P<mon>{_MONTH}),?\s+(?P<y>{_YEAR})\b"
        ),
    ),
    ("md", re.compile(rf"\b(?:{_WEEKDAY},?\s+)?(?P<mon>{_MONTH})\s+(?P<d>{_DAY})\b(?!\s*[:\d])")),
    ("dm", re.compile(rf"\b(?P<d>{_DAY})(?:\s+of)?\s+(?P<mon>{_MONTH})\b")),
    ("my", re.compile(rf"\b(?P<mon>{_MONTH})(?:\s+of)?,?\s+(?P<y>{_YEAR})\b")),
    ("msame", re.compile(rf"\b(?P<mon>{_MONTH})\s+of\s+(?:the\s+)?same\s+year\b")),
    (
        "rel_day",
        re.compile(rf"\b(?P<w>today|yesterday|tomorrow|tonight){_PART}\b", re.IGNORECASE),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?P<pre>on|last|next|this|On|Last|Next|This)\s+)?(?P<w>{_WEEKDAY}){_PART}\b"
        ),
    ),
    (
        "anchored",
        re.compile(
            r"\b(?:the\s+(?P<w>next|following|previous|same)\s+year"
            rf"|(?P<n>a|{'|'.join(w for w, n in lexicon.ONES.items() if 1 <= n <= 10)}|\d{{1,2}})"
            r"\s+years?\s+"
            r"(?P<dir>later|afterwards|earlier|before))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "rel_year",
        re.compile(r"\b(?P<w>last|next|this|Last|Next|This)\s+year\b(?!'s|’s)"),
    ),
    ("ago", re.compile(r"\b(?P<n>[A-Za-z]+|\d+)\s+years\s+ago\b")),
    (
        "month",
        re.compile(
            rf"\b(?:(?P<pre>in|In|since|Since|until|by|By|early|late|mid-?|last|next|this|from|to|between|and|during|of)\s+)(?P<mon>{_MONTH})\b"
        ),
    ),
    ("year", re.compile(rf"(?<![\d,.$€£-])\b(?P<y>{_YEAR})\b(?![\d,]\d|%|-\w)")),
]
# "two years later", "a year earlier": the counts such phrases use.
_NUMBER_WORDS = {
    **{word: n for word, n in lexicon.ONES.items() if n >= 1},
    **{word: n for word, n in lexicon.TENS.items() if n <= 50},
    "a": 1,
}
_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|of|since|from|to|until|till|by|between|and|during|before|after|early|late|"
    r"mid|circa|year|summer|winter|spring|autumn|fall|the|for|through|around|around|—|–|-|"
    r"on|until|season|fiscal|FY)\s*|[-–(]\s*|,\s*)$",
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(r"^\s+(?!and\b|or\b|to\b|through\b|in\b|on\b)[a-z]+s\b")


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in the text."""

    start: int
    end: int
    value: str


def parse_reference(value: str | None) -> dt.date | None:
    """A day-precise ISO date, or None."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T.*)?", value.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def find_dateline(text: str) -> dt.date | None:
    """The article's dateline: a full date at the start of one of its first lines."""
    for line in text.split("\n")[:4]:
        line = re.sub(r"^(?:Today is|Published:?|Posted:?)\s+", "", line.strip())
        for kind in ("mdy", "dmy", "iso"):
            m = _PATTERNS[[k for k, _ in _PATTERNS].index(kind)][1].match(line)
            if m:
                d = _full(m)
                if d is not None:
                    return d
    return None


def find_wire_dateline(text: str) -> tuple[int, int] | None:
    """The span of the wire dateline ("SYDNEY (Reuters) - ") opening the article's first
    paragraph, if it has one."""
    pos = 0
    for line in text.split("\n")[:_WIRE_LINES]:
        span = wire_dateline(text, pos)
        if span is not None:
            return span
        pos += len(line) + 1
    return None


def wire_date(text: str, span: tuple[int, int], reference: dt.date | None) -> dt.date | None:
    """The day a wire dateline gives ("HELSINKI, May 5 (AP) — "), in the year of
    ``reference`` (the publication date); None if it gives no day or no year is known."""
    line = text[span[0] : span[1]]
    m = re.search(rf"\b(?P<mon>{_MONTH})\s+(?P<d>\d{{1,2}})\b", line) or re.search(
        rf"\b(?P<d>\d{{1,2}})\s+(?P<mon>{_MONTH})\b", line
    )
    if m is None or reference is None:
        return None
    month = MONTHS.get(m.group("mon").lower().rstrip("."))
    if month is None:
        return None
    try:
        return dt.date(reference.year, month, int(m.group("d")))
    except ValueError:
        return None


_WIRE_LINES = 6


_MONTH_YEAR_LINE = re.compile(rf"^(?P<mon>{_MONTH})\s+(?P<y>{_YEAR})\.?$")


def dateline_value(text: str) -> str | None:
    """The publication date a dateline gives, as precise as it is written: a full date
    ("Tuesday, March 8, 2011" → 2011-03-08) or a month ("March 2011" → 2011-03)."""
    full = find_dateline(text)
    if full is not None:
        return full.isoformat()
    for line in text.split("\n")[:4]:
        m = _MONTH_YEAR_LINE.match(line.strip())
        if m:
            month = MONTHS[m.group("mon").lower().rstrip(".")]
            return f"{int(m.group('y')):04d}-{month:02d}"
    return None


def dateline_span(text: str) -> tuple[int, int] | None:
    """Where the dateline line is (a line of the first four that is only a date)."""
    pos = 0
    for line in text.split("\n")[:4]:
        body = re.sub(r"^(?:Today is|Published:?|Posted:?)\s+", "", line.strip()).rstrip(".")
        if body and (
            _MONTH_YEAR_LINE.match(body)
            or any(rx.fullmatch(body) for kind, rx in _PATTERNS if kind in {"iso", "mdy", "dmy"})
        ):
            return pos, pos + len(line)
        pos += len(line) + 1
    return None


def _full(m: re.Match[str]) -> dt.date | None:
    try:
        mon = m.group("mon")
        month = MONTHS[mon.lower().rstrip(".")]
    except (IndexError, KeyError):
        month = int(m.group("m"))
    day = int(re.sub(r"\D", "", m.group("d")))
    try:
        return dt.date(int(m.group("y")), month, day)
    except ValueError:
        return None


def find_dates(
    text: str, reference: dt.date | None, quoted: list[tuple[int, int]] | None = None
) -> list[DateMatch]:
    """Every date of ``text`` with its ISO value; spans never overlap."""
    quoted_spans = Spans(quoted or [])
    taken = Spans()
    out: list[DateMatch] = []
    last_year: int | None = None
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if taken.overlaps(s, e):
                continue
            value = _value(kind, m, text, reference, quoted_spans)
            if value is None:
                continue
            # A bare weekday names a day as "Thursday afternoon", after "by", "until" …, or
            # in the news style "celebrated the launch Tuesday at an event"
            if (
                kind == "weekday"
                and m.group("pre") is None
                and not re.search(r"\s(?:morning|afternoon|evening|night)$", m.group())
                and not re.search(
                    r"(?:by|until|since|from|and|to|of)\s+$", text[max(0, s - 12) : s].lower()
                )
                and not _news_weekday(text, s, e)
            ):
                continue
            out.append(DateMatch(s, e, value))
            taken.add(s, e)
    out.sort(key=lambda d: d.start)
    # "November of the same year": the year of the last full date before it.
    # "the next year", "two years later": the year of the last written date in the same or
    # the previous sentence; with none near, the text does not say, and no date is made.
    fixed: list[DateMatch] = []
    last_at = -1
    out = _years_of_days(text, out)
    for d in out:
        if d.value.startswith("same-"):
            if last_year is None:
                continue
            d = DateMatch(d.start, d.end, f"{last_year}-{d.value[5:]}")
        elif d.value.startswith("anchor"):
            near = last_year is not None and _sentences_between(text, last_at, d.start) <= 1
            if not near or last_year is None:
                continue
            d = DateMatch(d.start, d.end, str(last_year + int(d.value[6:])))
        elif d.value[:4].isdigit() and (
            re.search(r"\d{4}", text[d.start : d.end])
            or re.fullmatch(rf"(?i:in|by|until|early|late)\s+{_MONTH}", text[d.start : d.end])
        ):
            # "will leave in February and fly past the comet the next year": the year a
            # month was placed in counts as well
            last_year = int(d.value[:4])
            last_at = d.end
        fixed.append(d)
    return fixed


_HABIT_WORDS = frozenset(["every", "each", "a", "an", "one", "per", "any", "some", "that"])


def _years_of_days(text: str, dates: list[DateMatch]) -> list[DateMatch]:
    """ "on Waitangi Day - February 6 - this year", "on May 3 last year": a day without
    a year takes the year of the relative year written just after it."""
    out = list(dates)
    for i, d in enumerate(out[:-1]):
        nxt = out[i + 1]
        if not d.value.startswith("--") or not re.fullmatch(r"\d{4}", nxt.value):
            continue
        gap = text[d.end : nxt.start]
        if re.fullmatch(r"\s*(?:[-–—,]\s*)?", gap) and re.fullmatch(
            r"(?i)(?:this|last|next)\s+year", text[nxt.start : nxt.end]
        ):
            out[i] = DateMatch(d.start, d.end, nxt.value + d.value[1:])
    return out


def _news_weekday(text: str, start: int, end: int) -> bool:
    """A bare weekday used as a date in running text: after a lower-case word ("the
    launch Tuesday at", "the Thursday opening", "by the end of the day Saturday"), not
    a habit ("every Friday", "each Monday") nor part of a name or a possessive ("Good
    Friday", "Super Tuesday", "the Sunday Times", "Tuesday's vote" are left out)."""
    before = text[max(0, start - 30) : start]
    after = text[end : end + 12]
    prev = re.search(r"([\w’'-]+)([,;:]?)\s+$", before)
    if prev is None or prev.group(2):
        return False
    if not prev.group(1).islower() or prev.group(1) in _HABIT_WORDS:
        return False
    return re.match(r"(?:['’]s\b|\s+[A-Z])", after) is None


def _sentences_between(text: str, start: int, end: int) -> int:
    """How many sentence ends lie between two offsets."""
    return len(re.findall(r"[.!?](?=\s)|\n", text[max(0, start) : end]))


def _value(
    kind: str,
    m: re.Match[str],
    text: str,
    ref: dt.date | None,
    quoted: Spans,
) -> str | None:
    s = m.start()
    if kind in {"iso", "mdy", "dmy"}:
        d = _full(m)
        return d.isoformat() if d else None
    if kind in {"md", "dm"}:
        mon = m.group("mon")
        if mon.lower().startswith("mar") and mon != "March":
            return None
        month = MONTHS[mon.lower().rstrip(".")]
        day = int(re.sub(r"\D", "", m.group("d")))
        try:
            dt.date(2000, month, day)
        except ValueError:
            return None
        return f"--{month:02d}-{day:02d}"
    if kind == "my":
        month = MONTHS[m.group("mon").lower().rstrip(".")]
        return f"{int(m.group('y')):04d}-{month:02d}"
    if kind == "msame":
        month = MONTHS[m.group("mon").lower().rstrip(".")]
        return f"same-{month:02d}"
    if kind == "anchored":
        # "the next year", "two years later": counted from the year the text was just
        # talking about, not from the dateline (resolved after all dates are found).
        if m.group("w"):
            step = {"next": 1, "following": 1, "previous": -1, "same": 0}[m.group("w").lower()]
        else:
            word = m.group("n").lower()
            count = int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 1)
            step = -count if m.group("dir").lower() in {"earlier", "before"} else count
        return f"anchor{step:+d}"
    if kind == "month":
        mon = m.group("mon")
        if not mon[0].isupper() or (
            mon.rstrip(".") in {"Mar", "May"}
            and m.group("pre")
            not in {
                "in",
                "In",
                "since",
                "Since",
                "until",
                "by",
                "By",
                "early",
                "late",
                "from",
                "of",
            }
        ):
            return None
        if ref is None:
            return None
        month = MONTHS[mon.lower().rstrip(".")]
        pre = (m.group("pre") or "").lower()
        tense = "future" if pre == "next" else "past" if pre == "last" else None
        tense = tense or date_tense(text, s, m.end())
        if tense == "future":
            # "will leave the asteroid in February" (written in September): the next one
            year = ref.year if month >= ref.month else ref.year + 1
        else:
            year = ref.year if month <= ref.month + 1 else ref.year - 1
        return f"{year:04d}-{month:02d}"
    if kind == "year":
        year_text = str(m.group("y"))
        before = text[max(0, s - 14) : s]
        after = text[m.end() : m.end() + 20]
        if _designation(text, s, m.end()):
            return None
        if _NOUN_AFTER.match(after) and not _YEAR_BEFORE.search(before):
            return None
        if (
            not _YEAR_BEFORE.search(before)
            and not (before.endswith(("'", "’")) or re.match(r"^\s*[A-Z]", after) or s == 0)
            and not re.match(r"^(?:\s*[,.;)]|\s*$|\s+(?:and|to|until|through)\b)", after)
        ):
            return None
        return year_text
    if ref is None:
        return None
    if kind == "rel_day":
        w = m.group("w").lower()
        if w in {"today", "tonight"} and quoted.contains(s):
            return None
        clause_before = re.split(r"[.;!?]\s", text[max(0, s - 80) : s])[-1]
        if w == "today" and re.search(
            r"\b(?:still|remains?|to this|until|up to|even)\b", clause_before, re.IGNORECASE
        ):
            return None  # "a post he still holds today": not the date of an event
        delta = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w]
        return (ref + dt.timedelta(days=delta)).isoformat()
    if kind == "weekday":
        pre = (m.group("pre") or "").lower()
        wd = WEEKDAYS[m.group("w").lower()]
        diff = (ref.weekday() - wd) % 7
        future = pre == "next" or (pre != "last" and date_tense(text, s, m.end()) == "future")
        if future:
            ahead = (wd - ref.weekday()) % 7 or 7
            return (ref + dt.timedelta(days=ahead)).isoformat()
        if pre == "last" and diff == 0:
            diff = 7
        return (ref - dt.timedelta(days=diff)).isoformat()
    if kind == "rel_year":
        w = m.group("w").lower()
        return str(ref.year + {"last": -1, "next": 1, "this": 0}[w])
    if kind == "ago":
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
        if n is None:
            return None
        return str(ref.year - n)
    return None


# "asteroid 2008 EV5", "comet 1999 JU3": a year-like number glued to a code of capitals
# and digits is part of the code.
_CODE_AFTER = re.compile(r"^[ \u00a0]+(?:[A-Z]+\d[A-Z\d]*|\d+[A-Z][A-Z\d]*)\b")
# "Flight 2015", "Berth 1990", "Gate 2001": a capitalised noun just before the number
# names the thing the number identifies (a month, a season, a weekday or a preposition
# is no designation).
_CAPITAL_BEFORE = re.compile(r"\b([A-Z][a-z]+)[ \u00a0]+$")
_NOT_DESIGNATION = frozenset(
    ["In", "On", "Of", "By", "Since", "Until", "From", "To", "Between", "And", "During",
     "Before", "After", "Early", "Late", "Mid", "Circa", "Around", "Through", "For", "The",
     "Summer", "Winter", "Spring", "Autumn", "Fall", "Year", "Season", "Fiscal", "Christmas",
     "Easter", "Also", "About", "Only", "Till"]
)  # fmt: skip


def _designation(text: str, start: int, end: int) -> bool:
    """A year-like number that is part of a designation ("asteroid 2008 EV5", "Flight
    2015", "flight 1999"): an identifier, not a date."""
    if _CODE_AFTER.match(text[end : end + 16]):
        return True
    before = text[max(0, start - 30) : start]
    if _ID_BEFORE.search(before):
        return True
    m = _CAPITAL_BEFORE.search(before)
    if m is None:
        return False
    at = start - len(before) + m.start()
    lead = text[max(0, at - 4) : at].rstrip()
    if not lead or lead[-1] in ".!?\"“”:(—–-":
        return False  # a sentence's first word is capitalised anyway
    word = m.group(1)
    return (
        word not in _NOT_DESIGNATION
        and word.lower() not in MONTHS
        and word.lower() not in WEEKDAYS
    )


# Words that put a clause in the future: "will", "is due to", "plans to", "next".
_FUTURE_MARK = re.compile(
    r"\b(?:will|shall|would|[’']ll|(?:is|are|was|were)\s+(?:to|due|set\s+to|going\s+to|"
    r"scheduled|expected|planned)|due|set\s+to|going\s+to|scheduled\s+to|expected\s+to|"
    r"plans?\s+to|planned\s+to|intends?\s+to|aims?\s+to|hopes?\s+to|next|upcoming)\b",
    re.IGNORECASE,
)
# Words that put it in the past: "was", "had", "said", a verb in "-ed".
_PAST_MARK = re.compile(
    r"\b(?:was|were|had|did|said|told|took|went|came|began|made|held|met|left|won|lost|saw|"
    r"gave|became|fell|rose|wrote|spoke|sent|paid|sold|found|got|ago|yesterday|"
    r"(?!(?:need|indeed|seed|speed|feed|bed|red|shed|breed|hundred|sacred|naked)\b)[a-z]{2,}ed)\b",
)


def date_tense(text: str, start: int, end: int) -> str | None:
    """The tense of the clause a date without a year or a day stands in: "future" ("will
    leave in February", "is due to meet on Monday"), "past" ("said on Monday", "took
    over in January"), or None when the clause does not say ("the tour, which starts in
    January"): the date cannot be placed before or after the dateline."""
    left, right = _clause_parts(text, start, end)
    # ", which starts in January": a relative clause has its own tense, not its host's
    rel = list(_RELATIVE_OPENER.finditer(left))
    if rel:
        left = left[rel[-1].start() :]
    clause = left + " " + right
    if _FUTURE_MARK.search(clause):
        return "future"
    if _PAST_MARK.search(clause):
        return "past"
    return None


_BOUNDARY = re.compile(r"[.!?](?=\s)|\n|;|\band\b|\bbut\b|\bwhile\b|\bafter\b|\bbefore\b")


_RELATIVE_OPENER = re.compile(r",\s+(?:which|who|where)\b")


def _clause_around(text: str, start: int, end: int) -> str:
    """The clause around a date: from the last boundary before it to the next one after it."""
    left, right = _clause_parts(text, start, end)
    return left + " " + right


def _clause_parts(text: str, start: int, end: int) -> tuple[str, str]:
    """The clause around a date, the part before it and the part after it."""
    lo = max(0, start - 200)
    left_cuts = [m.end() for m in _BOUNDARY.finditer(text, lo, start)]
    left = text[(left_cuts[-1] if left_cuts else lo) : start]
    rest = text[end : end + 200]
    fronted = not left.strip() or re.fullmatch(
        r"\s*(?:on|On|by|By|this|This|next|Next)\s*", left
    )
    if fronted:
        rest = re.sub(r"^\s*,", "", rest)  # "On Wednesday, they are to travel"
    cut = None
    for b in _BOUNDARY.finditer(rest):
        if fronted and b.group(0) == "and" and 1 <= len(rest[: b.start()].split()) <= 3:
            continue  # "On Wednesday, Mohamed and his father are to travel": one subject
        cut = b
        break
    right = rest[: cut.start()] if cut else rest
    return left, right
