"""Every fair reading of a typed answer: dates and numbers as learners write them.

:func:`parse_date_text` and :func:`parse_number` read one canonical spelling.
A learner may mean more than one thing, or wrap the value in words; the
grader accepts an answer when *any* fair reading equals the key:

- **Dates**: an all-digit date is read day first and month first ("11/10/2020"
  is 11 October or 10 November; "4/15/2024" can only be 15 April); a month name
  with a slip ("Novmber", "Apirl") is the month; a date inside a short phrase
  ("It was signed on 10 November 2020.") is the date; a year in words
  ("nineteen ninety-one", "two thousand and twenty") is the year.
- **Numbers**: European separators ("1.960" for 1,960; "7,3 billion" for 7.3
  billion) besides the English ones; "point" decimals ("seven point three
  billion"); years said as two pairs ("nineteen sixty").
"""

from __future__ import annotations

import re
from dataclasses import replace

from quizapp import lexicon
from quizapp.questions.dates import MONTH_NAMES, PartialDate, is_valid, parse_date_text
from quizapp.questions.normalize import clean_space, edit_distance, fold
from quizapp.questions.numbers import NumberReading, int_to_words, parse_number

MAX_PHRASE_WORDS = 12  # a "short phrase" around a date; longer answers are not searched

_MONTHS = tuple(m.lower() for m in MONTH_NAMES)
# "May" is its own abbreviation; "Sept" is no slip.
_ABBREVIATIONS = frozenset([*(m[:3] for m in _MONTHS), *lexicon.MONTH_ABBREVIATIONS])
_ONES = list(lexicon.ONES)
_TENS = list(lexicon.TENS)
_NUMERIC_DATE_RE = re.compile(r"^\s*(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})\s*$")
_DAY_MONTH_RE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})\s*$")
_DIGIT_FRACTION_RE = re.compile(
    r"^\s*(\d{1,2})\s+(?:"
    + "|".join(
        [plural for _, plural in lexicon.DENOMINATORS.values()]
        + [w for w in lexicon.DENOMINATOR_VARIANTS if w.endswith("s")]
    )
    + r")\b"
)


# --------------------------------------------------------------------------
# Words


def fix_month_slips(text: str) -> str:
    """``text`` with misspelt month names corrected ("Novmber 10" -> "november 10").

    A word of four or more letters one slip from a month name (two from a name of
    seven or more letters) is that month, unless it is nearer another month.
    """

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if len(low) < 4 or low in _MONTHS or low in _ABBREVIATIONS:
            return word
        best: tuple[int, str] | None = None
        for name in _MONTHS:
            allowance = 2 if len(name) >= 7 else 1
            d = edit_distance(low, name, allowance)
            if d <= allowance and (best is None or d < best[0]):
                best = (d, name)
        return best[1] if best else word

    return re.sub(r"[A-Za-z]+", fix, text)


def _pair_value(words: list[str]) -> tuple[int, int] | None:
    """A number 10..99 said in words at the start of ``words``: (value, words used)."""
    if not words:
        return None
    first = words[0]
    if first in _ONES[10:]:
        return _ONES.index(first), 1
    if first in _TENS:
        tens = 20 + 10 * _TENS.index(first)
        if len(words) > 1 and words[1] in _ONES[1:10]:
            return tens + _ONES.index(words[1]), 2
        return tens, 1
    return None


def year_in_words(text: str) -> int | None:
    """A year said as two pairs ("nineteen ninety-one", "twenty twenty", "nineteen oh five")."""
    words = re.findall(r"[a-z]+", fold(text))
    words = [w for w in words if w != "and"]
    first = _pair_value(words)
    if first is None:
        return None
    century, used = first
    rest = words[used:]
    if rest[:1] == ["hundred"] and len(rest) == 1:
        return century * 100
    if rest[:1] in (["oh"], ["o"]) and len(rest) == 2 and rest[1] in _ONES[1:10]:
        return century * 100 + _ONES.index(rest[1])
    second = _pair_value(rest)
    if second is None or second[1] != len(rest):
        return None
    return century * 100 + second[0]


# --------------------------------------------------------------------------
# Dates


def _years_to_digits(text: str) -> str:
    """``text`` with a year said in words written in digits, when the words end it."""
    m = re.search(r"((?:[A-Za-z]+[\s-]+){1,4}[A-Za-z]+)\s*\.?$", text)
    if m is None:
        return text
    words = m.group(1).split()
    for i in range(len(words)):
        year = year_in_words(" ".join(words[i:]))
        if year is not None and 1000 <= year <= 2199:
            return text[: m.start(1)] + " ".join([*words[:i], str(year)])
    return text


def date_readings(text: str) -> list[PartialDate]:
    """Every fair reading of a typed date, most literal first (empty: not a date)."""
    out: list[PartialDate] = []

    def add(d: PartialDate | None) -> None:
        if d is not None and is_valid(d) and d not in out:
            out.append(d)

    s = clean_space(text)
    fixed = _years_to_digits(fix_month_slips(s))
    for variant in dict.fromkeys((s, fixed)):
        add(parse_date_text(variant))
        if m := _NUMERIC_DATE_RE.match(variant):
            a, b = int(m.group(1)), int(m.group(3))
            year = parse_date_text(f"1/1/{m.group(4)}")
            y = year.year if year else None
            add(PartialDate(y, a, b))  # month first: 11/10/2020 is also 10 November
        elif m := _DAY_MONTH_RE.match(variant):
            add(PartialDate(None, int(m.group(1)), int(m.group(2))))
    if out:
        return out
    number = parse_number(fixed)  # "two thousand and twenty": a year in words
    if (
        number is not None
        and not number.unit_words
        and number.value.is_integer()
        and 1000 <= number.value <= 2199
        and not number.percent
        and not number.currency
    ):
        add(PartialDate(int(number.value)))
        return out
    # A date inside a short phrase: the longest run of words that reads as a date.
    words = re.findall(r"[\w'/.\-]+", fixed.rstrip(".!?"))
    if len(words) > MAX_PHRASE_WORDS:
        return out
    for size in range(min(len(words), 6), 0, -1):
        for start in range(len(words) - size + 1):
            add(parse_date_text(" ".join(words[start : start + size])))
        if out:
            break
    return out


# --------------------------------------------------------------------------
# Numbers


def _european(text: str) -> str | None:
    """``text`` read with European separators: "1.960" -> "1960", "7,3" -> "7.3"."""
    m = re.search(r"\d[\d.,\s]*\d", text)
    if m is None:
        return None
    digits = m.group(0)
    if "," in digits and "." in digits:  # 1.960,5
        swapped = digits.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):  # 1.960 or 2.000.000
        swapped = digits.replace(".", "")
    elif re.fullmatch(r"\d+,\d+", digits) and not re.fullmatch(r"\d{1,3},\d{3}", digits):
        swapped = digits.replace(",", ".")  # 7,3 (not 1,960, which is read both ways below)
    elif re.fullmatch(r"\d{1,3},\d{3}", digits):
        swapped = digits.replace(",", ".")  # 1,960 as 1.96: a reading, not the only one
    else:
        return None
    return text[: m.start()] + swapped + text[m.end() :]


def _point_decimals(text: str) -> str | None:
    """ "seven point three billion" -> "7.3 billion" (a number in words with a decimal point)."""
    m = re.search(r"\b([a-z\-\s]+?)\s+point\s+([a-z\s]+?)(?=\s+(?:thousand|million|billion|"
                  r"trillion|percent|per cent|%)|\s*$)", fold(text))  # fmt: skip
    if m is None:
        return None
    whole = parse_number(m.group(1))
    digits = []
    for word in m.group(2).split():
        if word not in _ONES[:10]:
            return None
        digits.append(str(_ONES.index(word)))
    if whole is None or not digits:
        return None
    number = f"{int(whole.value)}.{''.join(digits)}"
    return fold(text)[: m.start()] + number + fold(text)[m.end() :]


def number_readings(text: str) -> list[NumberReading]:
    """Every fair reading of a typed number, most literal first (empty: not a number)."""
    out: list[NumberReading] = []

    def add(r: NumberReading | None) -> None:
        if r is not None and r not in out:
            out.append(r)

    first = parse_number(text)
    if re.match(r"^\s*0,\d", text):  # "0,212" is a decimal, never two hundred and twelve
        first = None
    if m := _DIGIT_FRACTION_RE.match(fold(text)):  # "3 quarters": three quarters, never 3
        first = parse_number(int_to_words(int(m.group(1))) + text[m.end(1) :])
    add(first)
    if first is None:  # a number after a few words: "by 43%", "it grew by 43%"
        words = text.split()
        for i in range(1, min(len(words), 5)):
            if words[i - 1].lower() in ("not", "no", "never", "nor", "neither"):
                break  # "not 43%" is no answer of 43%
            reading = parse_number(" ".join(words[i:]))
            if reading is not None:
                add(reading)
                break
    for variant in (_european(text), _point_decimals(text)):
        if variant is not None:
            add(parse_number(variant))
    year = year_in_words(text)
    if year is not None and first is not None:
        add(replace(first, value=float(year), unit_words=None))
    elif year is not None:
        add(NumberReading(float(year)))
    # A reading that leaves digits unread ("7,3 bn" read as 7) is no reading when
    # another one reads them all.
    whole = [r for r in out if not (r.unit_words or "")[:1].isdigit()]
    return whole or out
