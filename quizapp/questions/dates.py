"""Dates as precise as a text gives them: reading, writing and comparing.

Deck values are ISO 8601 at the text's precision (``2020-11-10``, ``2020-11``,
``2020``, ``--04-16`` for a day without a year). Learners may type common
spellings: "10 Nov 2020", "November 10th, 2020", "2020-11-10", "10/11/2020".
An all-digit date with slashes or dots is read **day first** (10/11/2020 is
10 November 2020), as in most of the world; month-first readings are not
guessed, so "11/10/2020" for 10 November is graded as a wrong day and month.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from quizapp import lexicon
from quizapp.questions.normalize import fold, word_set

MONTH_NAMES = lexicon.MONTH_NAMES
_MONTH_OF: dict[str, int] = {}
for _i, _name in enumerate(MONTH_NAMES, start=1):
    _MONTH_OF[_name.lower()] = _i
    _MONTH_OF[_name[:3].lower()] = _i
_MONTH_OF.update(lexicon.MONTH_ABBREVIATIONS)  # "sept" beside "sep"

_ORDINAL_WORDS = lexicon.ORDINALS
_UNITS_ORDINAL = {k: v for k, v in _ORDINAL_WORDS.items() if v < 10}
_DAY_TENS = {k: v for k, v in lexicon.TENS.items() if v <= 30}  # "twenty-first", "thirty first"
_LEAP_YEAR = 2000  # reference year for a day without a year (has 29 February)


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date with any of year, month and day known."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        """``day``, ``monthday`` (no year), ``month``, ``monthonly``, ``year`` or ``other``."""
        if self.day is not None and self.month is not None:
            return "day" if self.year is not None else "monthday"
        if self.month is not None:
            return "month" if self.year is not None else "monthonly"
        if self.year is not None and self.day is None:
            return "year"
        return "other"

    def iso(self) -> str:
        """The ISO 8601 form used in decks (``--04-16`` for a day without year)."""
        if self.precision == "monthday":
            return f"--{self.month:02d}-{self.day:02d}"
        if self.precision == "monthonly":
            return f"--{self.month:02d}"
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def with_year(self, year: int | None) -> PartialDate:
        """This date with ``year`` filled in when it has none."""
        if self.year is not None or year is None:
            return self
        return PartialDate(year, self.month, self.day)


def parse_iso_date(value: str) -> PartialDate:
    """Read a deck date value; ValueError if it is not one."""
    m = re.fullmatch(r"--(\d{2})-(\d{2})", value)
    if m:
        d = PartialDate(None, int(m.group(1)), int(m.group(2)))
    else:
        m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
        if not m:
            raise ValueError(f"not a date value: {value!r}")
        d = PartialDate(
            int(m.group(1)),
            int(m.group(2)) if m.group(2) else None,
            int(m.group(3)) if m.group(3) else None,
        )
    if not is_valid(d):
        raise ValueError(f"not a date value: {value!r}")
    return d


def is_valid(d: PartialDate) -> bool:
    """Whether the fields of ``d`` can exist together."""
    if d.month is not None and not 1 <= d.month <= 12:
        return False
    if d.year is not None and not 1 <= d.year <= 9999:
        return False
    if d.day is not None:
        if d.month is None:
            return False
        last = calendar.monthrange(d.year if d.year is not None else _LEAP_YEAR, d.month)[1]
        return 1 <= d.day <= last
    return True


def period(d: PartialDate, fallback_year: int | None = None) -> tuple[int, int] | None:
    """First and last day (proleptic ordinals) that ``d`` covers; None without a year."""
    year = d.year if d.year is not None else fallback_year
    if year is None:
        return None
    if d.month is None:
        return dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
    if d.day is None:
        last = calendar.monthrange(year, d.month)[1]
        return dt.date(year, d.month, 1).toordinal(), dt.date(year, d.month, last).toordinal()
    if d.month == 2 and d.day == 29 and not calendar.isleap(year):
        return None
    day = dt.date(year, d.month, d.day).toordinal()
    return day, day


def published_year(published: str | None) -> int | None:
    """The year of a source's ``published`` value (``2024``, ``2024-04``, ``2024-04-15``)."""
    if not published:
        return None
    m = re.match(r"(\d{4})", published)
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------
# Writing dates


@dataclass(frozen=True, slots=True)
class DateStyle:
    """How a text writes its dates."""

    order: str = "mdy"  # mdy ("November 10, 2020") | dmy ("10 November 2020") | iso
    abbreviated: bool = False  # "Nov"
    abbreviation_dot: bool = False  # "Nov."
    ordinal: bool = False  # "10th"
    comma: bool = True  # "November 10, 2020"


_MONTH_WORD = r"(?P<m>[A-Za-z]{3,9})(?P<dot>\.)?"
_STYLE_MDY_RE = re.compile(
    rf"^{_MONTH_WORD}\s+(?P<d>\d{{1,2}})(?P<o>st|nd|rd|th)?(?P<c>,)?(?P<y>\s+\d{{4}})?$"
)
_STYLE_DMY_RE = re.compile(
    rf"^(?:the\s+)?(?P<d>\d{{1,2}})(?P<o>st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_WORD},?(?:\s+\d{{4}})?$"
)
_STYLE_MY_RE = re.compile(rf"^{_MONTH_WORD},?\s+(?:of\s+)?\d{{4}}$")


def detect_date_style(text: str) -> DateStyle:
    """The style of a fact's date text; a month-first style when it cannot tell."""
    t = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}(?:-\d{2})?", t):
        return DateStyle(order="iso")
    for order, regex in (("mdy", _STYLE_MDY_RE), ("dmy", _STYLE_DMY_RE), ("mdy", _STYLE_MY_RE)):
        m = regex.match(t)
        if m and m.group("m").lower() in _MONTH_OF:
            month_word = m.group("m")
            groups = m.groupdict()
            return DateStyle(
                order=order,
                abbreviated=month_word.lower()
                != MONTH_NAMES[_MONTH_OF[month_word.lower()] - 1].lower(),
                abbreviation_dot=bool(m.group("dot")),
                ordinal=bool(groups.get("o")),
                comma=bool(groups.get("c")) or not groups.get("y"),
            )
    return DateStyle()


def _ordinal_suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def format_date(d: PartialDate, style: DateStyle = DateStyle()) -> str:
    """Write ``d`` at its own precision in ``style``."""
    if d.month is None:
        return f"{d.year:04d}" if d.year is not None else ""
    if style.order == "iso" and d.year is not None:
        return d.iso()
    name = MONTH_NAMES[d.month - 1]
    if style.abbreviated and len(name) > 4:
        name = name[:3] + ("." if style.abbreviation_dot else "")
    if d.day is None:
        return f"{name} {d.year:04d}" if d.year is not None else name
    day = f"{d.day}{_ordinal_suffix(d.day) if style.ordinal else ''}"
    if style.order == "dmy":
        return f"{day} {name}" + (f" {d.year:04d}" if d.year is not None else "")
    if d.year is None:
        return f"{name} {day}"
    return f"{name} {day}{',' if style.comma else ''} {d.year:04d}"


# --------------------------------------------------------------------------
# Reading learners' dates

_FILLER = word_set(
    "the of on in at during year day month sometime around about same that this following "
    "previous last next early late mid"
)


def _two_digit_year(text: str) -> int:
    n = int(text)
    if len(text) == 2:
        return 2000 + n if n < 50 else 1900 + n
    return n


def parse_date_text(text: str) -> PartialDate | None:
    """Read a date as a person writes it; None if ``text`` is not a date."""
    s = fold(text).strip().strip(".").strip()
    if not s:
        return None
    candidate: PartialDate | None = None
    if m := re.fullmatch(r"--(\d{1,2})-(\d{1,2})", s):
        candidate = PartialDate(None, int(m.group(1)), int(m.group(2)))
    elif m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?", s):
        candidate = PartialDate(
            int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
        )
    elif m := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})", s):
        candidate = PartialDate(_two_digit_year(m.group(3)), int(m.group(2)), int(m.group(1)))
    elif m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})", s):
        candidate = PartialDate(None, int(m.group(2)), int(m.group(1)))
    elif m := re.fullmatch(r"(\d{1,2})[/.\-](\d{4})", s):
        candidate = PartialDate(int(m.group(2)), int(m.group(1)), None)
    else:
        candidate = _parse_words(s)
    if candidate is None or candidate.precision == "other" or not is_valid(candidate):
        return None
    return candidate


def _parse_words(s: str) -> PartialDate | None:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    small: list[int] = []
    tokens = re.findall(r"[a-z]+|\d+|'\d{2}", s)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in _MONTH_OF:
            if month is not None:
                return None
            month = _MONTH_OF[tok]
        elif tok.startswith("'"):
            year = _two_digit_year(tok[1:])
        elif tok.isdigit():
            if len(tok) >= 3:
                if year is not None:
                    return None
                year = int(tok)
            else:
                small.append(int(tok))
        elif (
            tok in _DAY_TENS
            and i + 1 < len(tokens)
            and tokens[i + 1] in (_UNITS_ORDINAL)
        ):
            small.append(_DAY_TENS[tok] + _UNITS_ORDINAL[tokens[i + 1]])
            i += 1
        elif tok in _ORDINAL_WORDS:
            small.append(_ORDINAL_WORDS[tok])
        elif tok in ("st", "nd", "rd", "th") or tok in _FILLER:
            pass
        else:
            return None
        i += 1
    if month is None:
        return PartialDate(year, None, None) if year is not None and not small else None
    if len(small) > 1:
        if year is None and small[-1] > 31:
            year = _two_digit_year(f"{small[-1]:02d}")
            small = small[:-1]
        if len(small) > 1:
            return None
    if small:
        day = small[0]
    return PartialDate(year, month, day)
