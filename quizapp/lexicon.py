"""One English lexicon: the word lists the extractor, the question builder and the grader share.

Number words (units and teens, tens, scales, fractions), month and weekday names
and the month abbreviations, ordinals, the words that make a quantity vague, and
the small closed classes of determiners. Every module that needs one of these
words reads it here; none keeps a list of its own, so that a word added here
(a month's abbreviation, a number word) is known to extraction, questions and
grading alike.

All words are lower case except the names in :data:`MONTH_NAMES` and
:data:`WEEKDAY_NAMES`, which are written as a text writes them. Only the
standard library is imported: every layer may read this module.
"""

from __future__ import annotations

# ---- months and weekdays --------------------------------------------------------------

#: The months, January first, as written in a text.
MONTH_NAMES: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip

#: Abbreviations of month names (lower case, without the full stop) and their month.
#: "May" has none; September has two ("Sep", "Sept").
MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

#: Every month word (full names, then abbreviations), lower case, and its month.
MONTHS: dict[str, int] = {
    **{name.lower(): i for i, name in enumerate(MONTH_NAMES, start=1)},
    **MONTH_ABBREVIATIONS,
}

#: The days of the week, Monday first, as written in a text.
WEEKDAY_NAMES: tuple[str, ...] = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)  # fmt: skip

#: Weekday names, lower case, and their number (Monday is 0, as ``date.weekday()``).
WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(WEEKDAY_NAMES)}

# ---- cardinal numbers -----------------------------------------------------------------

#: Units and teens: "zero" to "nineteen".
ONES: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip

#: The tens: "twenty" to "ninety".
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip

HUNDRED = "hundred"
DOZEN = "dozen"

#: Scale words: "thousand" to "trillion" (short scale, as English news uses it).
SCALES: dict[str, int] = {
    "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
}  # fmt: skip

#: Abbreviated scales written after a figure ("7.3bn", "40k"), with their value.
SCALE_ABBREVIATIONS: dict[str, int] = {
    "k": 10**3, "m": 10**6, "mn": 10**6, "mln": 10**6, "bn": 10**9, "tn": 10**12,
}  # fmt: skip

# ---- fractions and ordinals -----------------------------------------------------------

#: Denominators a text names in words: singular and plural.
DENOMINATORS: dict[int, tuple[str, str]] = {
    2: ("half", "halves"), 3: ("third", "thirds"), 4: ("quarter", "quarters"),
    5: ("fifth", "fifths"), 6: ("sixth", "sixths"), 8: ("eighth", "eighths"),
    10: ("tenth", "tenths"),
}  # fmt: skip

#: Other names of denominators ("three fourths", American English).
DENOMINATOR_VARIANTS: dict[str, int] = {"fourth": 4, "fourths": 4}

#: Fractions as an article writes them in words, with their value to three decimals.
FRACTION_PHRASES: dict[str, float] = {
    "half": 0.5, "a half": 0.5, "one half": 0.5,
    "a third": 0.333, "one third": 0.333, "one-third": 0.333,
    "two thirds": 0.667, "two-thirds": 0.667,
    "a quarter": 0.25, "one quarter": 0.25, "three quarters": 0.75, "three-quarters": 0.75,
    "a fifth": 0.2, "one fifth": 0.2, "a tenth": 0.1,
}  # fmt: skip

#: Ordinal words and their number, as a date's day is written ("the twenty-first").
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30,
}  # fmt: skip

# ---- vague quantities -----------------------------------------------------------------

#: Plural scale words used alone ("dozens of", "thousands of"), each with the least
#: it stands for. They say "many", not a number a question can ask for.
VAGUE_PLURALS: dict[str, float] = {
    "dozens": 24, "hundreds": 100, "thousands": 1000, "millions": 1e6, "billions": 1e9,
}  # fmt: skip

#: Every word that makes a quantity vague: the plural scales, the scales themselves
#: ("a million times"), and words that give no number at all ("several", "scores").
VAGUE_WORDS: frozenset[str] = frozenset(
    [
        *VAGUE_PLURALS, "tens", "scores", "several", "many", "few", DOZEN, HUNDRED,
        "thousand", "million", "billion", "handful", "numerous", "countless",
    ]
)  # fmt: skip

# ---- determiners ----------------------------------------------------------------------

ARTICLES: tuple[str, ...] = ("the", "a", "an")
DEMONSTRATIVES: tuple[str, ...] = ("this", "that", "these", "those")
THIRD_PERSON_POSSESSIVES: tuple[str, ...] = ("his", "her", "its", "their")
POSSESSIVES: tuple[str, ...] = (*THIRD_PERSON_POSSESSIVES, "our", "my", "your")

#: Words that open a noun phrase: articles, demonstratives, possessives, "some", "any".
DETERMINERS: frozenset[str] = frozenset([*ARTICLES, *DEMONSTRATIVES, *POSSESSIVES, "some", "any"])

#: Words that open a common noun phrase ("one official", "another aide", "some
#: analysts"): what follows them is a description, not a name.
NOUN_PHRASE_OPENERS: frozenset[str] = frozenset([*ARTICLES, "one", "another", "this", "some"])

#: Auxiliary and modal verbs (and their negations): a clause holding one has a finite verb.
FINITE_AUXILIARIES: frozenset[str] = frozenset((
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could",
    "should", "must", "may", "might", "shall", "do", "does", "did", "am", "isn't", "aren't",
    "wasn't", "weren't", "hasn't", "haven't", "hadn't", "won't", "wouldn't", "can't",
    "cannot", "couldn't", "shouldn't", "mustn't", "don't", "doesn't", "didn't",
))  # fmt: skip
