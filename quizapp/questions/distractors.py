"""Wrong answers a teacher would accept, for numbers and dates.

Candidates are computed once per fact (deterministically) and a question
draws from them with its own random generator. Every candidate

- is written in the answer's style and precision (same separators, scale word,
  unit, decimals and *roundness*: beside 1,960 come 2,130 and 1,640, never 2,000),
- lies within a plausible distance of the answer (magnitude-aware),
- is false according to every fact of the deck (a qualifier bound counts for its
  own quantity only: the same unit and the same counted thing),
- comes from another fact of the deck when one fits, and is generated otherwise.

Choices of these kinds are shown in ascending order; the number of distractors
below the answer is drawn uniformly, so the answer's position is uniform
whenever the candidates allow it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from fractions import Fraction

from quizapp.questions.dates import (
    PartialDate,
    format_date,
    is_valid,
    parse_iso_date,
    period,
)
from quizapp.questions.index import DeckIndex
from quizapp.questions.normalize import norm_text
from quizapp.questions.numbers import (
    COMMON_FRACTIONS,
    qualifier_kind,
    same_value,
    trailing_zeros,
)

MAX_CANDIDATES = 12  # per side of the answer
_WIDE = 1.8  # distractors lie within a factor of 1.8 of the answer
_NEAR = 1.06  # and at least 6% away from it


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible choice: its text, a sort key and its normalised form."""

    text: str
    key: float
    norm: str
    from_deck: bool = False


@dataclass(frozen=True, slots=True)
class OrderedCandidates:
    """The answer of a number or date question and its candidates on both sides."""

    answer: Candidate
    below: tuple[Candidate, ...]
    above: tuple[Candidate, ...]
    spacing: float = 0.0  # minimum relative gap between two chosen values
    min_gap: float = 0.0  # minimum absolute gap (days, for dates)


# --------------------------------------------------------------------------
# Numbers


def _spaced(lo: float, hi: float, count: int) -> list[float]:
    """``count`` points spread geometrically over [lo, hi]."""
    if lo <= 0 or hi < lo:
        return []
    if count == 1 or hi == lo:
        return [lo]
    ratio = (hi / lo) ** (1 / (count - 1))
    return [lo * ratio**i for i in range(count)]


def _mantissa_grid(c0: int) -> list[int]:
    """Integers near ``c0`` with exactly its roundness (same trailing zeros)."""
    if c0 == 0:
        return [1, 2, 3, 4, 5]
    r = trailing_zeros(c0)
    step = 10**r
    m = c0 // step
    js: set[int] = set()
    if m < 10:
        js.update(range(1, m))
        js.update(range(m + 1, 2 * m + 5))
    else:
        for x in _spaced(m * _NEAR, m * _WIDE, MAX_CANDIDATES) + _spaced(
            m / _WIDE, m / _NEAR, MAX_CANDIDATES
        ):
            j = round(x)
            if j % 10 == 0:
                j += 1 if x >= j else -1
            js.add(j)
    return sorted(j * step for j in js if j >= 1 and j % 10 != 0 and j != m)


def _nearest_fraction(value: float) -> Fraction | None:
    for fr in COMMON_FRACTIONS:
        if same_value(float(fr), value):
            return fr
    return None


def number_candidates(ix: DeckIndex, fact_id: str) -> OrderedCandidates | None:
    """Choices for a number fact, or None if its value cannot be asked as a choice.

    Facts with an open bound ("more than 50%", "at least five years") get none:
    every other value is either true ("60%") or not known to be false.
    """
    f = ix.facts[fact_id]
    kind = qualifier_kind(f.qualifier)
    if kind not in ("exact", "approx", "near_below"):
        return None
    value = f.number_value
    uk = ix.unit_of.get(fact_id, "")
    style = ix.number_style(fact_id)
    negative = value < 0
    approx = kind != "exact"

    def acceptable(v: float) -> bool:
        if ix.number_is_true(fact_id, v):
            return False
        if approx and min(abs(v), abs(value)) * 1.35 > max(abs(v), abs(value)):
            return False
        return not (uk == "%" and abs(value) <= 100 and abs(v) > 100)

    if style.notation in ("fraction", "digit_fraction"):
        answer_fr = _nearest_fraction(abs(value))
        answer_text = style.render_fraction(answer_fr) if answer_fr is not None else None
        if answer_fr is None or answer_text is None:
            return None
        sign = -1.0 if negative else 1.0
        fractions = _Collector(Candidate(answer_text, value, norm_text(answer_text)))
        for fr in COMMON_FRACTIONS:
            v = sign * float(fr)
            text = style.render_fraction(fr)
            if fr != answer_fr and text is not None and not fractions.full(v) and acceptable(v):
                fractions.add(Candidate(text, v, norm_text(text)))
        return fractions.result(spacing=0.0)
    c0 = style.mantissa(value)
    answer_text = style.render(c0, negative) if c0 is not None else None
    if c0 is None or answer_text is None:
        return None
    found = _Collector(Candidate(answer_text, value, answer_text))
    grid = _mantissa_grid(c0)
    step = 10 ** trailing_zeros(c0) if c0 else 1
    spacing = 0.04 if c0 // step >= 10 else 0.0
    # Other facts of the deck first: same unit, same roundness, within range.
    if grid:
        lo = style.value_of(grid[0])
        hi = style.value_of(grid[-1])
        lo, hi = (-hi, -lo) if negative else (lo, hi)
        for v, _fid in ix.exact_values_between(uk, lo, hi):
            c = style.mantissa(v)
            if c is None or c == c0 or (v < 0) != negative:
                continue
            if c % step or (c // step) % 10 == 0 or (c0 == 0 and c > 5):
                continue
            v = style.value_of(c, negative)
            text = style.render(c, negative)
            if text is None or found.full(v) or text in found.seen or not acceptable(v):
                continue
            if _too_close(v, value, spacing):
                continue
            found.add(Candidate(text, v, text, True))
    for c in grid:
        v = style.value_of(c, negative)
        if found.full(v):
            continue
        text = style.render(c, negative)
        if text is None or text in found.seen or not acceptable(v):
            continue
        found.add(Candidate(text, v, text))
    if not found.below and c0 == step and step >= 10:
        # A round answer with nothing as round below it (10%, 100, 1,000): half of
        # it is the one value below that is about as round, so that the answer is
        # not always the smallest choice.
        v = style.value_of(c0 // 2, negative)
        text = style.render(c0 // 2, negative)
        if text is not None and text not in found.seen and acceptable(v):
            found.add(Candidate(text, v, text))
    return found.result(spacing=spacing)


class _Collector:
    """Candidates on both sides of the answer, at most ``MAX_CANDIDATES`` per side."""

    def __init__(self, answer: Candidate) -> None:
        self.answer = answer
        self.below: list[Candidate] = []
        self.above: list[Candidate] = []
        self.seen: set[str] = {answer.norm}

    def full(self, key: float) -> bool:
        """Whether the side of ``key`` has enough candidates already."""
        side = self.below if key < self.answer.key else self.above
        return len(side) >= MAX_CANDIDATES

    def add(self, cand: Candidate) -> None:
        """Keep ``cand`` (the caller has checked it)."""
        if cand.key == self.answer.key or cand.norm in self.seen:
            return
        self.seen.add(cand.norm)
        (self.below if cand.key < self.answer.key else self.above).append(cand)

    def result(self, spacing: float, min_gap: float = 0.0) -> OrderedCandidates:
        """The candidates found, nearest first on each side."""

        def distance(c: Candidate) -> float:
            return abs(c.key - self.answer.key)

        return OrderedCandidates(
            self.answer,
            tuple(sorted(self.below, key=distance)),
            tuple(sorted(self.above, key=distance)),
            spacing,
            min_gap,
        )


# --------------------------------------------------------------------------
# Dates

_DAY_SHIFTS = (4, 6, 8, 9, 12, 13, 17, 19, 23, 27, 33, 41, 52, 64, 78, 95)
_MONTH_SHIFTS = (1, 2, 3, 4, 5, 6, 7, 9)
_YEAR_SHIFTS = (1, 2, 3, 4, 5, 6, 7, 8)
_REFERENCE_YEAR = 2000  # a leap year, for days without a year


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def date_candidates(ix: DeckIndex, fact_id: str) -> OrderedCandidates | None:
    """Choices for a date fact: same precision and style, false for its event."""
    f = ix.facts[fact_id]
    d = ix.date_of.get(fact_id)
    if d is None or d.precision not in ("day", "monthday", "month", "year"):
        return None
    style = ix.date_style(fact_id)
    published = ix.published_year(f)
    source = ix.sources.get(f.source_id) if f.source_id else None
    limit: int | None = None
    if source is not None and source.published:
        try:
            p = period(parse_iso_date(source.published))
            limit = p[1] if p else None
        except ValueError:
            limit = None
    ref_year = d.year if d.year is not None else (published or _REFERENCE_YEAR)
    yearless = d.year is None

    def key_of(x: PartialDate) -> float | None:
        p = period(x, ref_year)
        return float(p[0]) if p else None

    answer_key = key_of(d)
    if answer_key is None:
        return None
    answer_text = format_date(d, style)
    answer = Candidate(answer_text, answer_key, d.iso())
    own = period(d, ref_year)
    after_limit = own is not None and limit is not None and own[0] > limit

    generated: list[PartialDate] = []
    deck: list[PartialDate] = []
    if d.precision == "year" and d.year is not None:
        generated = [PartialDate(d.year + s * k) for k in _YEAR_SHIFTS for s in (-1, 1)]
        deck = [ix.date_of[fid] for _, fid in ix.dates_between("year", d.year - 15, d.year + 15)]
    elif d.precision == "month" and d.year is not None and d.month is not None:
        for k in _MONTH_SHIFTS:
            for s in (-1, 1):
                y, mo = _shift_month(d.year, d.month, s * k)
                generated.append(PartialDate(y, mo))
        if own is not None:
            deck = [
                ix.date_of[fid]
                for _, fid in ix.dates_between("month", own[0] - 3 * 366, own[0] + 3 * 366)
            ]
    elif d.month is not None and d.day is not None:
        base = dt.date(ref_year, d.month, d.day)
        shifted = [base + dt.timedelta(days=s * k) for k in _DAY_SHIFTS for s in (-1, 1)]
        for k in (1, 2, 3):
            for s in (-1, 1):
                y, mo = _shift_month(ref_year, d.month, s * k)
                shifted_date = PartialDate(y, mo, d.day)
                if is_valid(shifted_date):
                    shifted.append(dt.date(y, mo, d.day))
        generated = [PartialDate(None if yearless else x.year, x.month, x.day) for x in shifted]
        if own is not None:
            for _, fid in ix.dates_between("day", own[0] - 400, own[0] + 400):
                other = ix.date_of[fid]
                year = other.year
                if year is None:
                    year = ix.published_year(ix.facts[fid])
                deck.append(PartialDate(None if yearless else year, other.month, other.day))

    found = _Collector(answer)
    for from_deck, pool in ((True, deck), (False, generated)):
        for x in pool:
            if x.precision != d.precision or not is_valid(x):
                continue
            sort_key = key_of(x)
            if sort_key is None or found.full(sort_key):
                continue
            n = x.iso()
            if n in found.seen or ix.date_is_true(fact_id, x, published):
                continue
            xp = period(x, ref_year)
            if limit is not None and not after_limit and xp is not None and xp[0] > limit:
                continue
            found.add(Candidate(format_date(x, style), sort_key, n, from_deck))
    # Two days a day apart read as a trick, unless the deck itself offers one.
    return found.result(spacing=0.0, min_gap=3 if d.day is not None else 0)


# --------------------------------------------------------------------------
# Drawing


def _take(
    rng: random.Random,
    cands: tuple[Candidate, ...],
    count: int,
    chosen: list[Candidate],
    spacing: float,
    min_gap: float = 0.0,
) -> list[Candidate]:
    """Up to ``count`` candidates, facts of the deck first, spaced from ``chosen``."""
    deck = [c for c in cands if c.from_deck]
    rest = [c for c in cands if not c.from_deck]
    rng.shuffle(deck)
    rng.shuffle(rest)
    taken: list[Candidate] = []
    for c in deck + rest:
        if len(taken) >= count:
            break
        if any(_clash(c, o, spacing, min_gap) for o in chosen + taken):
            continue
        taken.append(c)
    return taken


def _clash(c: Candidate, o: Candidate, spacing: float, min_gap: float) -> bool:
    """Whether ``c`` may not be shown beside ``o`` (same text, or too close in value)."""
    return (
        c.norm == o.norm
        or _too_close(c.key, o.key, spacing)
        or (not c.from_deck and abs(c.key - o.key) < min_gap)
    )


def _spaced_pair(cands: OrderedCandidates) -> list[Candidate] | None:
    """Two candidates that may be shown together with the answer, nearest first; None if none."""
    pool = sorted(cands.below + cands.above, key=lambda c: abs(c.key - cands.answer.key))
    fits = [c for c in pool if not _clash(c, cands.answer, cands.spacing, cands.min_gap)]
    for i, a in enumerate(fits):
        for b in fits[i + 1:]:
            if not _clash(b, a, cands.spacing, cands.min_gap):
                return [a, b]
    return None


def can_draw(cands: OrderedCandidates) -> bool:
    """Whether :func:`draw_ordered` can show the answer with at least two distractors."""
    return _spaced_pair(cands) is not None


def _too_close(a: float, b: float, spacing: float) -> bool:
    if spacing <= 0:
        return False
    return abs(a - b) < spacing * max(abs(a), abs(b))


def draw_ordered(
    rng: random.Random, cands: OrderedCandidates, wanted: int = 3
) -> list[Candidate] | None:
    """The answer and up to ``wanted`` distractors in ascending order (None if < 2)."""
    total = len(cands.below) + len(cands.above)
    n = min(wanted, total)
    if n < 2:
        return None
    lo = max(0, n - len(cands.above))
    hi = min(n, len(cands.below))
    k_below = rng.randint(lo, hi)
    gap = cands.min_gap
    chosen: list[Candidate] = [cands.answer]
    chosen += _take(rng, cands.below, k_below, chosen, cands.spacing, gap)
    chosen += _take(rng, cands.above, n - (len(chosen) - 1), chosen, cands.spacing, gap)
    if len(chosen) - 1 < n:
        chosen += _take(rng, cands.below, n - (len(chosen) - 1), chosen, cands.spacing, gap)
    if len(chosen) < 3:
        # The random split left too few well-spaced values: take the nearest pair that fits,
        # then fill up nearest first (no further draw from ``rng``).
        pair = _spaced_pair(cands)
        if pair is None:
            return None
        chosen = [cands.answer, *pair]
        pool = sorted(cands.below + cands.above, key=lambda c: abs(c.key - cands.answer.key))
        for c in pool:
            if len(chosen) - 1 >= n:
                break
            if not any(_clash(c, o, cands.spacing, cands.min_gap) for o in chosen):
                chosen.append(c)
    return sorted(chosen, key=lambda c: c.key)
