"""Numbers as people write them: reading answers, and writing values in a fact's style.

A fact's surface text ("1,960", "$7.3 billion", "43%", "five years", "a third")
fixes a :class:`NumberStyle`; distractors are written in that style so that no
choice stands out by its formatting. :func:`parse_number` reads what a learner
types ("7.3bn", "43 percent", "twenty-one", "1.5 million", "a third").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from fractions import Fraction

from quizapp import lexicon
from quizapp.questions.normalize import clean_space, fold

_ONES = lexicon.ONES
_TENS = lexicon.TENS
_BIG = lexicon.SCALES
_WORD_OF_ONES = {v: k for k, v in _ONES.items()}
NUMBER_WORDS = frozenset((*_ONES, *_TENS, *_BIG, lexicon.HUNDRED, lexicon.DOZEN))
_WORD_OF_TENS = {v: k for k, v in _TENS.items()}

# Denominators: singular and plural names.
_DENOMINATORS = lexicon.DENOMINATORS
_DENOMINATOR_OF = {name: den for den, names in _DENOMINATORS.items() for name in names}
_DENOMINATOR_OF.update(lexicon.DENOMINATOR_VARIANTS)
# Fractions a text commonly uses, the pool for fraction-style distractors.
COMMON_FRACTIONS: tuple[Fraction, ...] = tuple(
    sorted(
        {
            Fraction(n, d)
            for d in _DENOMINATORS
            for n in range(1, d)
            if math.gcd(n, d) == 1 and (d <= 5 or n == 1)
        }
    )
)

_SCALE_WORDS = {
    word: float(value)
    for word, value in (*lexicon.SCALES.items(), *lexicon.SCALE_ABBREVIATIONS.items())
}
_CURRENCY_SYMBOLS = {"us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB"}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "usd": "USD", "us dollars": "USD",
    "euro": "EUR", "euros": "EUR", "eur": "EUR", "pound": "GBP", "pounds": "GBP",
    "gbp": "GBP", "ruble": "RUB", "rubles": "RUB", "rouble": "RUB", "roubles": "RUB",
    "rub": "RUB", "yen": "JPY", "jpy": "JPY",
}  # fmt: skip
_PERCENT_RE = re.compile(r"^\s*(%|percent\b|per cent\b|pct\b)")

# Qualifiers that bound a number, by what they say about the true value.
LOWER_BOUNDS = (
    "more than", "over", "above", "at least", "upwards of", "in excess of",
    "no fewer than", "no less than", "exceeding", "greater than", "not less than",
    ">=", ">", "≥",
)  # fmt: skip
UPPER_BOUNDS = (
    "less than", "fewer than", "under", "below", "up to", "at most", "no more than",
    "not more than", "a maximum of", "<=", "<", "≤",
)  # fmt: skip
APPROXIMATIONS = (
    "about", "around", "approximately", "roughly", "some", "close to", "circa",
    "an estimated", "estimated", "~", "≈",
)  # fmt: skip
NEAR_BELOW = ("nearly", "almost", "just under", "just below")
EMPHASIS = ("only", "just", "exactly", "precisely")
_ALL_QUALIFIERS = sorted(
    (*LOWER_BOUNDS, *UPPER_BOUNDS, *APPROXIMATIONS, *NEAR_BELOW, *EMPHASIS),
    key=len,
    reverse=True,
)


def qualifier_kind(qualifier: str | None) -> str:
    """Classify a qualifier: exact, lower, upper, approx, near_below or unknown."""
    if not qualifier:
        return "exact"
    q = clean_space(fold(qualifier))
    if q in EMPHASIS:
        return "exact"
    if q in LOWER_BOUNDS:
        return "lower"
    if q in UPPER_BOUNDS:
        return "upper"
    if q in APPROXIMATIONS:
        return "approx"
    if q in NEAR_BELOW:
        return "near_below"
    return "unknown"


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed or half-open interval of values."""

    lo: float
    hi: float
    lo_closed: bool = True
    hi_closed: bool = True

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, int | float):
            return False
        above = value > self.lo or (self.lo_closed and value == self.lo)
        below = value < self.hi or (self.hi_closed and value == self.hi)
        return above and below

    def overlaps(self, other: Interval) -> bool:
        """Whether the two intervals share a value."""
        if self.hi < other.lo or other.hi < self.lo:
            return False
        if self.hi == other.lo:
            return self.hi_closed and other.lo_closed
        if other.hi == self.lo:
            return other.hi_closed and self.lo_closed
        return True


def _ordered(a: float, b: float) -> tuple[float, float]:
    return (a, b) if a <= b else (b, a)


def literal_range(value: float, qualifier: str | None) -> Interval:
    """The values a statement "<qualifier> <value>" allows, read literally."""
    kind = qualifier_kind(qualifier)
    inf = math.inf
    if kind == "exact":
        return Interval(value, value)
    if kind == "lower":
        strict = clean_space(fold(qualifier or "")) not in (
            "at least",
            "no fewer than",
            "no less than",
            "not less than",
            ">=",
            "≥",
        )
        return Interval(value, inf, lo_closed=not strict)
    if kind == "upper":
        strict = clean_space(fold(qualifier or "")) not in (
            "up to",
            "at most",
            "no more than",
            "not more than",
            "a maximum of",
            "<=",
            "≤",
        )
        return Interval(-inf, value, hi_closed=not strict)
    if kind == "approx":
        lo, hi = _ordered(value * 0.9, value * 1.1)
        return Interval(lo, hi)
    if kind == "near_below":
        lo, hi = _ordered(value * 0.85, value)
        return Interval(lo, hi)
    return Interval(-inf, inf)


def plausible_range(value: float, qualifier: str | None, unit: str | None = None) -> Interval:
    """The values a reader would take "<qualifier> <value>" to make true.

    An open bound is read as reaching to twice (or half) the bound: "more than
    50%" makes 60% true, "at least five years" makes seven years true. The bound
    itself is included so that it never appears as a distractor either.
    """
    kind = qualifier_kind(qualifier)
    if kind == "exact":
        return Interval(value, value)
    if kind == "lower":
        lo, hi = _ordered(value, value * 2)
        if unit == "%" and 0 <= value <= 100:
            hi = min(hi, 100.0)
        return Interval(lo, hi)
    if kind == "upper":
        lo, hi = _ordered(value / 2, value)
        return Interval(lo, hi)
    if kind == "approx":
        lo, hi = _ordered(value * 0.85, value * 1.15)
        return Interval(lo, hi)
    if kind == "near_below":
        lo, hi = _ordered(value * 0.85, value)
        return Interval(lo, hi)
    lo, hi = _ordered(value / 2, value * 2)
    return Interval(lo, hi)


# --------------------------------------------------------------------------
# Number words


def int_to_words(n: int) -> str:
    """An integer in English words: 21 -> "twenty-one", 1300 -> "one thousand three hundred"."""
    if n < 0:
        return "minus " + int_to_words(-n)
    if n < 20:
        return _WORD_OF_ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        word = _WORD_OF_TENS[tens * 10]
        return word if ones == 0 else f"{word}-{_WORD_OF_ONES[ones]}"
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        word = f"{_WORD_OF_ONES[hundreds]} hundred"
        return word if rest == 0 else f"{word} {int_to_words(rest)}"
    for scale_word, scale in sorted(_BIG.items(), key=lambda kv: -kv[1]):
        if n >= scale:
            high, rest = divmod(n, scale)
            word = f"{int_to_words(high)} {scale_word}"
            return word if rest == 0 else f"{word} {int_to_words(rest)}"
    raise AssertionError(n)  # pragma: no cover


def _read_words(words: list[str]) -> tuple[float, int, bool] | None:
    """Read number words from the start of ``words``: (value, words used, is a fraction)."""
    total = 0
    current = 0
    seen = False
    pending_a = False
    i = 0
    while i < len(words):
        w = words[i]
        if w in ("a", "an") and not seen:
            pending_a = True
            i += 1
            continue
        if w == "and" and seen:
            if words[i + 1 : i + 3] in (["a", "half"], ["one", "half"]):
                return total + current + 0.5, i + 3, False
            i += 1
            continue
        if w in _ONES:
            current += _ONES[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in _BIG:
            total += max(current, 1) * _BIG[w]
            current = 0
        elif w in _DENOMINATOR_OF and (seen or pending_a or w in ("half", "halves")):
            numerator = total + current if seen else 1
            return numerator / _DENOMINATOR_OF[w], i + 1, True
        elif w == "dozen":
            current = max(current, 1) * 12
        else:
            break
        seen = True
        pending_a = False
        i += 1
    if not seen:
        return None
    return float(total + current), i, False


# --------------------------------------------------------------------------
# Reading numbers


@dataclass(frozen=True, slots=True)
class NumberReading:
    """A number read from text, with what came with it."""

    value: float
    percent: bool = False
    currency: str | None = None
    qualifier: str | None = None
    unit_words: str | None = None
    scaled: bool = False
    fraction: bool = False


_DIGITS_RE = re.compile(
    r"(?P<num>\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s*/\s*(?P<den>\d+))?"
)
# Scale words, the longer abbreviations first: "thousand|...|mln|mn|bn|tn|k|m".
_SCALE_ALTERNATIVES = "|".join(
    (*lexicon.SCALES, *sorted(lexicon.SCALE_ABBREVIATIONS, key=len, reverse=True))
)
_SCALE_RE = re.compile(rf"^\s*(?P<w>{_SCALE_ALTERNATIVES})\b", re.IGNORECASE)


def parse_number(text: str) -> NumberReading | None:
    """Read a number as written by a person; None if ``text`` holds none."""
    s = clean_space(fold(text)).strip(" .!")
    if not s:
        return None
    qualifier = None
    for q in _ALL_QUALIFIERS:
        if s.startswith(q) and (len(s) == len(q) or not s[len(q)].isalpha() or not q[-1].isalpha()):
            qualifier = q
            s = s[len(q) :].strip()
            break
    currency = None
    for sym, code in sorted(_CURRENCY_SYMBOLS.items(), key=lambda kv: -len(kv[0])):
        if s.startswith(sym):
            currency = code
            s = s[len(sym) :].strip()
            break
    for word in ("usd", "eur", "gbp", "rub"):
        if currency is None and s.startswith(word + " "):
            currency = _CURRENCY_WORDS[word]
            s = s[len(word) :].strip()
    sign = 1.0
    if s[:1] in "-+":
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:].strip()
    fraction = False
    scaled = False
    m = _DIGITS_RE.match(s)
    if m:
        num = float(re.sub(r"[, ]", "", m.group("num")))
        if m.group("den"):
            den = float(m.group("den"))
            if den == 0:
                return None
            num /= den
            fraction = True
        value = num
        s = s[m.end() :]
        # "1 million" but not "1 m2"; a scale word directly after the digits.
        sm = _SCALE_RE.match(s)
        if sm and not fraction:
            value *= _SCALE_WORDS[sm.group("w").lower()]
            s = s[sm.end() :]
            scaled = True
    else:
        matches = list(re.finditer(r"[a-z]+", s))
        read = _read_words([wm.group(0) for wm in matches])
        if read is None:
            return None
        value, used, fraction = read
        scaled = any(wm.group(0) in _BIG for wm in matches[:used])
        s = s[matches[used - 1].end() :]
    s = s.strip()
    percent = False
    pm = _PERCENT_RE.match(s)
    if pm:
        percent = True
        s = s[pm.end() :].strip()
    rest = clean_space(s.strip(" .,;"))
    if rest:
        for word, code in sorted(_CURRENCY_WORDS.items(), key=lambda kv: -len(kv[0])):
            if rest == word or rest.startswith(word + " "):
                currency = currency or code
                rest = rest[len(word) :].strip()
                break
    return NumberReading(
        value=sign * value,
        percent=percent,
        currency=currency,
        qualifier=qualifier,
        unit_words=rest or None,
        scaled=scaled,
        fraction=fraction,
    )


# --------------------------------------------------------------------------
# Writing numbers in a fact's style


@dataclass(frozen=True, slots=True)
class NumberStyle:
    """How a fact writes its number; distractors are written the same way."""

    notation: str = "digits"  # digits | words | fraction | digit_fraction
    decimals: int = 0
    separator: bool = True  # thousands separators for numbers >= 1000
    scale: float = 1.0
    scale_word: str = ""  # " billion", "bn": written after the digits
    prefix: str = ""  # "$"
    suffix: str = ""  # "%", " percent"
    unit_singular: str = ""  # " year"
    unit_plural: str = ""  # " years"
    capital: bool = False  # "Five years" at the start of a sentence
    article: str = "a"  # "a third" or "one third"
    joiner: str = " "  # "one third" or "one-third"
    qualifier: str = ""  # shown before every choice ("about ")

    @property
    def _pow10(self) -> int:
        return int(10**self.decimals)

    def mantissa(self, value: float) -> int | None:
        """The integer that this style writes for ``value``, if exactly writable."""
        x = abs(value) / self.scale * self._pow10
        c = round(x)
        if abs(c - x) > 1e-6 * max(1.0, x):
            return None
        return c

    def value_of(self, mantissa: int, negative: bool = False) -> float:
        """The value that ``mantissa`` stands for in this style."""
        v = mantissa / self._pow10 * self.scale
        return -v if negative else v

    def render(self, mantissa: int, negative: bool = False) -> str | None:
        """Write ``mantissa`` (see :meth:`mantissa`) in this style; None if impossible."""
        if self.notation == "words":
            if self.decimals or mantissa > 999_999:
                return None
            number = int_to_words(mantissa)
            if self.capital and not self.qualifier:
                number = number[:1].upper() + number[1:]
        elif self.notation == "digits":
            x = mantissa / self._pow10
            number = f"{x:,.{self.decimals}f}" if self.separator else f"{x:.{self.decimals}f}"
        else:
            return None
        if negative:
            number = "-" + number
        one = mantissa == self._pow10 and self.scale == 1.0
        unit = self.unit_singular if one else self.unit_plural
        return f"{self.qualifier}{self.prefix}{number}{self.scale_word}{self.suffix}{unit}"

    def render_fraction(self, fraction: Fraction) -> str | None:
        """Write a fraction (e.g. 1/3) in this fraction style."""
        n, d = fraction.numerator, fraction.denominator
        if self.notation == "digit_fraction":
            body = f"{n}/{d}"
        elif self.notation == "fraction" and d in _DENOMINATORS:
            singular, plural = _DENOMINATORS[d]
            if n == 1:
                body = f"{self.article}{self.joiner}{singular}" if self.article else singular
            else:
                body = f"{int_to_words(n)}{self.joiner}{plural}"
            if self.capital and not self.qualifier:
                body = body[:1].upper() + body[1:]
        else:
            return None
        return f"{self.qualifier}{self.prefix}{body}{self.suffix}{self.unit_plural}"


_STYLE_DIGITS_RE = re.compile(
    r"^(?P<prefix>US\$|\$|€|£|¥|₽)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?P<scale>\s?(?:{_SCALE_ALTERNATIVES})\b)?"
    r"(?P<suffix>%|\s?percent\b|\s?per cent\b)?"
    r"(?P<unit>\s+\S.*)?$",
    re.IGNORECASE,
)
_STYLE_FRACTION_RE = re.compile(
    rf"^(?P<num>a|an|{'|'.join(w for w, n in _ONES.items() if 1 <= n <= 9)})(?P<join>[\s-])"
    r"(?P<den>[a-z]+)(?P<suffix>\s+of)?(?P<unit>\s+\S.*)?$|^(?P<half>half)(?P<unit2>\s+\S.*)?$",
    re.IGNORECASE,
)
_STYLE_DIGIT_FRACTION_RE = re.compile(r"^(?P<n>\d+)/(?P<d>\d+)(?P<unit>\s+\S.*)?$")


def _unit_forms(unit_text: str, value_is_one: bool) -> tuple[str, str]:
    """Singular and plural of a unit written after a number (" years")."""
    if not unit_text:
        return "", ""
    words = unit_text.rstrip()
    if value_is_one:
        if words.endswith("y") and not words.endswith(("ay", "ey", "oy", "uy")):
            return words, words[:-1] + "ies"
        return words, words + "s"
    if words.endswith("ies"):
        return words[:-3] + "y", words
    if words.endswith("s") and not words.endswith("ss"):
        return words[:-1], words
    return words, words


def _strip_qualifier(text: str, qualifier: str | None) -> tuple[str, str]:
    """Split a leading qualifier off a fact's text: ("more than ", "50%")."""
    t = text.strip()
    candidates = [qualifier] if qualifier else []
    candidates += list(_ALL_QUALIFIERS)
    for q in candidates:
        if q and fold(t).startswith(fold(q) + " "):
            return t[: len(q) + 1], t[len(q) + 1 :].strip()
    return "", t


def detect_style(
    text: str, value: float, unit: str | None = None, qualifier: str | None = None
) -> NumberStyle | None:
    """The style of a fact's surface text, or None if it does not write ``value``."""
    shown_qualifier, body = _strip_qualifier(text, qualifier)
    kind = qualifier_kind(qualifier or shown_qualifier.strip() or None)
    qual = ""
    if kind in ("approx", "near_below"):
        qual = (shown_qualifier or f"{qualifier} ").lower() if qualifier or shown_qualifier else ""
    capital = body[:1].isupper()
    m = _STYLE_DIGITS_RE.match(body)
    if m:
        num = m.group("num")
        decimals = len(num.split(".")[1]) if "." in num else 0
        scale_text = m.group("scale") or ""
        scale = _SCALE_WORDS[scale_text.strip().lower()] if scale_text else 1.0
        written = float(num.replace(",", "")) * scale
        if not _same_value(written, abs(value)):
            return None
        digits = num.split(".")[0].replace(",", "")
        separator = "," in num or len(digits) < 4
        singular, plural = _unit_forms(m.group("unit") or "", _same_value(written, 1.0))
        return NumberStyle(
            notation="digits",
            decimals=decimals,
            separator=separator,
            scale=scale,
            scale_word=scale_text,
            prefix=m.group("prefix") or "",
            suffix=m.group("suffix") or "",
            unit_singular=singular,
            unit_plural=plural,
            qualifier=qual,
        )
    m = _STYLE_DIGIT_FRACTION_RE.match(body)
    if m:
        den = int(m.group("d"))
        if den == 0 or not _same_value(int(m.group("n")) / den, abs(value)):
            return None
        unit = m.group("unit") or ""
        return NumberStyle(
            notation="digit_fraction", unit_singular=unit, unit_plural=unit, qualifier=qual
        )
    m = _STYLE_FRACTION_RE.match(body)
    if m and (m.group("half") or m.group("den").lower() in _DENOMINATOR_OF):
        if m.group("half"):
            written = 0.5
            article, joiner = "", " "
            unit = m.group("unit2") or ""
        else:
            den_word = m.group("den").lower()
            num_word = m.group("num").lower()
            numerator = 1 if num_word in ("a", "an") else _ONES[num_word]
            written = numerator / _DENOMINATOR_OF[den_word]
            article = num_word if num_word in ("a", "an", "one") else "a"
            joiner = m.group("join")
            unit = (m.group("suffix") or "") + (m.group("unit") or "")
        if not _same_value(written, abs(value)):
            return None
        return NumberStyle(
            notation="fraction",
            article=article,
            joiner=joiner,
            unit_singular=unit,
            unit_plural=unit,
            capital=capital,
            qualifier=qual,
        )
    number_part, rest = _split_words_number(body)
    words = re.findall(r"[a-z]+", number_part.lower())
    read = _read_words(words) if words and words[0] not in ("a", "an") else None
    if read is not None and not read[2] and read[1] == len(words):
        written = read[0]
        if not _same_value(written, abs(value)) or written != int(written):
            return None
        singular, plural = _unit_forms(f" {rest}" if rest else "", written == 1)
        return NumberStyle(
            notation="words",
            separator=True,
            unit_singular=singular,
            unit_plural=plural,
            capital=capital,
            qualifier=qual,
        )
    return None


def _split_words_number(body: str) -> tuple[str, str]:
    """Split "twenty-one years" into ("twenty-one", "years")."""
    parts = body.split()
    number_words = set(_ONES) | set(_TENS) | set(_BIG) | {lexicon.HUNDRED, "and", "a", "an"}
    i = 0
    while i < len(parts) and all(p in number_words for p in parts[i].lower().split("-")):
        i += 1
    while i > 0 and parts[i - 1].lower() == "and":
        i -= 1
    return " ".join(parts[:i]), " ".join(parts[i:])


def default_style(value: float, unit: str | None, qualifier: str | None = None) -> NumberStyle:
    """A plain style for a value whose text cannot be reproduced."""
    prefix = suffix = ""
    singular = plural = ""
    scale, scale_word = 1.0, ""
    code = (unit or "").upper()
    symbol = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "RUB": "₽"}.get(code)
    if unit == "%" or (unit or "").lower() in ("percent", "per cent"):
        suffix = "%"
    elif symbol:
        prefix = symbol
        if abs(value) >= 1e9:
            scale, scale_word = 1e9, " billion"
        elif abs(value) >= 1e6:
            scale, scale_word = 1e6, " million"
    elif unit:
        singular, plural = _unit_forms(" " + unit, _same_value(abs(value), 1.0))
    x = abs(value) / scale
    decimals = 0
    while decimals < 3 and abs(round(x, decimals) - x) > 1e-9 * max(1.0, x):
        decimals += 1
    qual = f"{qualifier} " if qualifier_kind(qualifier) in ("approx", "near_below") else ""
    return NumberStyle(
        decimals=decimals,
        scale=scale,
        scale_word=scale_word,
        prefix=prefix,
        suffix=suffix,
        unit_singular=singular,
        unit_plural=plural,
        qualifier=qual.lower(),
    )


def style_for(text: str, value: float, unit: str | None, qualifier: str | None) -> NumberStyle:
    """The style of a fact's text, or a plain style when the text cannot be reproduced."""
    style = detect_style(text, value, unit, qualifier) if text else None
    if style is None:
        return default_style(value, unit, qualifier)
    if style.notation in ("digits", "words") and style.mantissa(value) is None:
        return default_style(value, unit, qualifier)
    return style


def with_qualifier(style: NumberStyle, qualifier: str) -> NumberStyle:
    """``style`` that writes ``qualifier`` before every number."""
    return replace(style, qualifier=qualifier)


def trailing_zeros(n: int) -> int:
    """How many zeros end the decimal digits of ``n`` (0 for 0)."""
    if n == 0:
        return 0
    count = 0
    while n % 10 == 0:
        n //= 10
        count += 1
    return count


def _same_value(a: float, b: float) -> bool:
    """Whether two values agree to within 0.5% (a written "a third" is 0.333)."""
    if a == b:
        return True
    return abs(a - b) <= 0.005 * max(abs(a), abs(b))


def same_value(a: float, b: float) -> bool:
    """Whether two values agree to within 0.5%."""
    return _same_value(a, b)


def plain_number(value: float, unit: str | None) -> str:
    """``value`` with its unit in a plain, parseable form ("7300000000 USD", "43%")."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}"
