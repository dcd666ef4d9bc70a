"""Checking a learner's answer, and turning the grade into an FSRS rating.

Grading needs only the question: the builder puts every accepted form of the
answer into ``Question.answers`` (a person's full name, other written names,
the surname alone when no one else in the deck has it; a date's ISO value; a
number's plain value). What is accepted:

- **Choices**: the chosen choice string (case, accents and spacing ignored).
- **Names**: case- and accent-insensitive, "the" ignored, words in any order,
  small typos (1 slip up to 6 letters, 2 up to 12, 3 beyond) unless what was
  typed is exactly another name of the deck (pass ``known_names``). A title
  or an apposition around the name is ignored ("Prime Minister Nikol
  Pashinyan", "Pashinyan, the prime minister"). The builder puts a speaker's
  other names (the deck's aliases: "the Kremlin" for Moscow) among the
  answers; a speaker the answer speaks for (``Question.partial_answers``:
  "Moscow" for Karasin's words) is PARTIAL. A person's surname alone is
  accepted; an organisation's last word is not ("Washington" is not "Paris
  and Washington").
- **Dates**: common spellings ("10 Nov 2020", "November 10th, 2020",
  "2020-11-10"), read every fair way (:mod:`readings`): an all-digit date is
  right when either its day-first or its month-first reading is the key
  ("11/10/2020" and "10/11/2020" for 10 November 2020; "4/15/2024" can only be
  15 April), month names with a slip ("Novmber"), a date inside a short
  phrase ("on 10 November 2020"), a year in words ("nineteen ninety-one"). A
  partly right date (right year, wrong day) is PARTIAL and the message says
  which part was right. A day without a year in the article accepts any or no
  year, unless the source's publication year gives it one.
- **Numbers**: digits with English or European separators ("1,960", "1.960",
  "7,3 billion"), words ("twenty-one", "three hundred and eighty", "seven point
  three billion", "nineteen sixty"), percentages and money ("43 percent",
  "$7.3bn", "7.3 billion dollars"), a fraction in words for a percentage
  ("more than half" for "more than 50%"). Exact counts must be exact; only a
  figure the article gives as approximate ("about", "nearly"), as a fraction,
  in millions or more, or as a round number of thousands ("2,000") may be 1%
  off, unless the deck sets ``number_tolerance`` (relative; 0 is exact).
- **Cloze**: the article's own words for the blank are right ("next week",
  "November of the same year"), with small slips in words; the parsed value
  is compared after that.
- **Timelines**: right only if fully in order; PARTIAL when some pairs are.
- **Flashcards**: self-rated; the learner's rating is the grade.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from quizapp import lexicon
from quizapp.facts.model import DeckOptions
from quizapp.questions.dates import PartialDate, format_date, parse_date_text
from quizapp.questions.index import looks_like_person
from quizapp.questions.model import Form, Grade, Question, Verdict
from quizapp.questions.normalize import STOPWORDS, close_enough, norm_text, stem_word, tokens
from quizapp.questions.numbers import NumberReading, parse_number, qualifier_kind, trailing_zeros
from quizapp.questions.readings import date_readings, number_readings

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
TIMELINE_SEPARATOR = " | "
_TIME_UNITS = frozenset(
    ["second", "minute", "hour", "day", "week", "month", "year", "decade", "century"]
)


def grade(
    question: Question,
    answer: str | Sequence[str],
    deck_options: DeckOptions | None = None,
    known_names: Collection[str] = (),
    self_rating: int | None = None,
) -> Grade:
    """Check ``answer`` (a typed text, a chosen choice, an order, or a flashcard rating)."""
    correct = question.answers[0] if question.answers else ""
    if question.form is Form.FLASHCARD:
        rating = self_rating if self_rating is not None else _read_rating(answer)
        return grade_flashcard(question, rating)
    if question.form is Form.TIMELINE:
        return _grade_order(question, answer)
    text = answer if isinstance(answer, str) else " ".join(answer)
    if not norm_text(text):
        return Grade(Verdict.WRONG, correct, f"No answer given. The answer is {correct}.")
    if question.form is Form.TRUE_FALSE:
        return _grade_true_false(question, text)
    if question.choices is not None:
        return _grade_choice(question, text)
    if question.form is Form.CLOZE and _same_words(text, question.answers[0]):
        return _right(question)
    if question.input_kind == "number":
        return _grade_number(question, text, deck_options)
    if question.input_kind == "date":
        return _grade_date(question, text)
    if question.input_kind == "name":
        return _grade_name(question, text, known_names)
    return _grade_text(question, text)


def grade_flashcard(question: Question, rating: int | None) -> Grade:
    """A self-rated flashcard: Again is wrong, Hard, Good and Easy are right."""
    back = question.back or (question.answers[0] if question.answers else "")
    if rating not in RATING_NAMES:
        return Grade(Verdict.WRONG, back, "Rate yourself: Again, Hard, Good or Easy.")
    verdict = Verdict.RIGHT if rating and rating > AGAIN else Verdict.WRONG
    return Grade(verdict, back, f"You rated this {RATING_NAMES[int(rating or 0)]}.")


def _read_rating(answer: str | Sequence[str]) -> int | None:
    text = (answer if isinstance(answer, str) else " ".join(answer)).strip().lower()
    names = {v.lower(): k for k, v in RATING_NAMES.items()}
    if text in names:
        return names[text]
    if text.isdigit() and int(text) in RATING_NAMES:
        return int(text)
    return None


def _right(question: Question, message: str = "Right.") -> Grade:
    return Grade(Verdict.RIGHT, question.answers[0], message)


def _wrong(question: Question, lead: str = "") -> Grade:
    correct = question.answers[0]
    return Grade(Verdict.WRONG, correct, f"{lead}The answer is {correct}.".strip())


def _same_words(text: str, expected: str) -> bool:
    """Whether ``text`` is ``expected``'s words (slips allowed in words without digits)."""
    given, want = norm_text(text), norm_text(expected)
    if not want:
        return False
    if given == want:
        return True
    return not any(c.isdigit() for c in want) and close_enough(given, want)


def _grade_choice(question: Question, text: str) -> Grade:
    given = norm_text(text)
    if any(given == norm_text(a) for a in question.answers):
        return _right(question)
    return _wrong(question)


def _grade_true_false(question: Question, text: str) -> Grade:
    """True or false: the verdict says which value the article gives (``note``)."""
    correct = question.answers[0]
    why = question.note or f"The statement is {correct.lower()}."
    verdict = Verdict.RIGHT if norm_text(text) == norm_text(correct) else Verdict.WRONG
    return Grade(verdict, correct, why)


def _without_article(text: str) -> str:
    words = norm_text(text).split()
    if len(words) > 1 and words[0] in lexicon.ARTICLES:
        words = words[1:]
    return " ".join(words)


def _grade_text(question: Question, text: str) -> Grade:
    given = _without_article(text)
    for accepted in question.answers:
        expected = _without_article(accepted)
        if given == expected:
            return _right(question)
        if close_enough(given, expected):
            return _right(question, f"Right (exact spelling: {accepted}).")
    numbers = [parse_number(a) for a in question.answers[:1]]
    reading = parse_number(text)
    target = numbers[0] if numbers else None
    if (
        target is not None
        and reading is not None
        and abs(reading.value - target.value) <= 1e-9 * max(1.0, abs(target.value))
    ):
        return _right(question)
    return _wrong(question)


# --------------------------------------------------------------------------
# Names


def _name_key(text: str) -> str:
    words = tokens(text)
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


# Words that stand before or after a name as a title, not as part of it.
TITLE_WORDS = frozenset(
    [
        "mr", "mrs", "ms", "miss", "dr", "doctor", "prof", "professor", "sir", "dame", "madam",
        "lord", "lady", "president", "vice", "prime", "minister", "ministers", "deputy", "first",
        "chairman", "chairwoman", "chairperson", "chair", "head", "secretary", "press", "spokesman",
        "spokeswoman", "spokesperson", "assistant", "director", "general", "foreign", "defence",
        "defense", "interior", "mayor", "governor", "senator", "ambassador", "premier",
        "chancellor",
        "king", "queen", "leader", "envoy", "official", "officials", "deputy", "speaker", "former",
        "acting", "republic", "state", "duma", "parliament", "parliamentary", "committee",
        "council",
        "federation", "institute", "ministry", "government", "authorities", "kazakh", "azerbaijani",
        "russian", "armenian", "french", "american", "us", "uk", "said", "says",
    ]
)  # fmt: skip


def _is_title_word(word: str) -> bool:
    return word in TITLE_WORDS or word in STOPWORDS or word.endswith(("ian", "ese", "ish"))


def _name_readings(text: str) -> list[str]:
    """``text`` and the name inside it: without an apposition or leading title words."""
    out = [_name_key(text)]
    parts = [p for p in re.split(r"[,;()–—]|\s-\s", text) if norm_text(p)]
    if len(parts) > 1:
        out += [_name_key(p) for p in parts]
    for reading in list(out):
        words = reading.split()
        while len(words) > 1 and _is_title_word(words[0]):
            words = words[1:]
        while len(words) > 1 and _is_title_word(words[-1]):
            words = words[:-1]
        out.append(" ".join(words))
    return [r for r in dict.fromkeys(out) if r]


def _grade_name(question: Question, text: str, known_names: Collection[str]) -> Grade:
    accepted = [_name_key(a) for a in question.answers]
    readings = _name_readings(text)
    others: set[str] = set()
    for name in known_names:
        key = _name_key(name)
        if key and key not in accepted:
            others.add(key)
            if len(key.split()) > 1 and looks_like_person(name):
                others.add(key.split()[-1])
    others -= set(accepted)
    for given in readings:
        if given in accepted or sorted(given.split()) in [sorted(a.split()) for a in accepted]:
            return _right(question)
    # Another name of the deck named in the answer ("Anna Petrov" for Ivan Petrov) is wrong.
    if any(r in others for r in readings):
        return _partial_name(question, readings) or _wrong(question)
    # A full name inside a longer answer ("Health Minister Laura Benson"), no other name in it.
    words = f" {readings[0]} "
    if not any(f" {o} " in words for o in others):
        for a in accepted:
            if len(a.split()) > 1 and f" {a} " in words:
                return _right(question)
        # The fact knows the speaker by surname only ("Dunbar"); the article, and the
        # learner, name them in full ("Robert Dunbar", "Prof. Robert Dunbar")
        surname_only = all(len(a.split()) <= 1 for a in accepted)
        for given in readings:
            words_given = given.split()
            if surname_only and 2 <= len(words_given) <= 3 and any(
                original[:1].isupper() and words_given[-1] == a
                for a, original in zip(accepted, question.answers, strict=True)
            ):
                return _right(question)
    partial = _partial_name(question, readings)
    if partial is not None:
        return partial
    for given in readings:
        for a, original in zip(accepted, question.answers, strict=True):
            if a and close_enough(given, a):
                return _right(question, f"Right (exact spelling: {original}).")
    return _wrong(question)


def _partial_name(question: Question, readings: list[str]) -> Grade | None:
    """PARTIAL for a speaker the answer speaks for."""
    for name in question.partial_answers:
        if _name_key(name) in readings:
            correct = question.answers[0]
            return Grade(
                Verdict.PARTIAL,
                correct,
                f"Partly right: {correct} spoke for {name} here. The answer is {correct}.",
            )
    return None


# --------------------------------------------------------------------------
# Numbers


def _unit_word(reading: NumberReading) -> str | None:
    for word in (reading.unit_words or "").split():
        stem = stem_word(word)
        if stem in _TIME_UNITS:
            return stem
    return None


def approximate(targets: Sequence[NumberReading]) -> bool:
    """Whether the article gives the figure as approximate, rounded or large.

    "about 2,000", "nearly 500", "a third", "$7.3 billion", "2,000" (a round number
    of thousands) and figures of a million or more are; "380 vehicles" and "1,960
    military personnel" are exact counts.
    """
    for t in targets:
        if qualifier_kind(t.qualifier) in ("approx", "near_below"):
            return True
        if t.scaled or t.fraction or abs(t.value) >= 1e6:
            return True
        if t.value.is_integer() and abs(t.value) >= 1000 and trailing_zeros(int(t.value)) >= 2:
            return True
    return False


def _allowed_error(target: float, rough: bool, deck_options: DeckOptions | None) -> float:
    """How far a typed number may be from ``target`` and still be right."""
    if deck_options is not None and deck_options.number_tolerance is not None:
        return abs(target) * max(0.0, deck_options.number_tolerance)
    return abs(target) * 0.01 if rough else 0.0


def _grade_number(question: Question, text: str, deck_options: DeckOptions | None) -> Grade:
    readings = number_readings(text)
    targets = [r for a in question.answers if (r := parse_number(a)) is not None]
    if not targets:
        return _grade_text(question, text)
    if not readings:
        return _wrong(question, "That is not a number I can read. ")
    first: Grade | None = None
    for reading in readings:
        result = _match_number(question, reading, targets, deck_options)
        if result.correct:
            return result
        first = first or result
    assert first is not None
    return first


def _match_number(
    question: Question,
    reading: NumberReading,
    targets: list[NumberReading],
    deck_options: DeckOptions | None,
) -> Grade:
    target = targets[0]
    currency = next((t.currency for t in targets if t.currency), None)
    if reading.currency and currency and reading.currency != currency:
        return _wrong(question, "Wrong currency. ")
    unit = next((u for t in targets if (u := _unit_word(t))), None)
    given_unit = _unit_word(reading)
    if unit and given_unit and unit != given_unit:
        return _wrong(question, f"Wrong unit ({given_unit}s). ")
    kinds = {qualifier_kind(t.qualifier) for t in targets}
    given_kind = qualifier_kind(reading.qualifier)
    if (given_kind, kinds & {"lower", "upper"}) in (("lower", {"upper"}), ("upper", {"lower"})):
        return _wrong(question, "The bound goes the other way. ")
    candidates = [reading.value]
    if reading.percent and not any(t.percent for t in targets) and abs(target.value) < 1.5:
        candidates.append(reading.value / 100)  # "33%" for "a third"
    if reading.fraction and not reading.percent and any(t.percent for t in targets):
        candidates.append(reading.value * 100)  # "more than half" for "more than 50%"
    if (
        any(t.scaled for t in targets)
        and not reading.scaled
        and not reading.percent
        and abs(reading.value) < 1000
    ):
        candidates += [reading.value * s for s in (1e3, 1e6, 1e9, 1e12)]  # "7.3" for "$7.3 billion"
    rough = approximate(targets) or reading.fraction
    allowed = _allowed_error(target.value, rough, deck_options)
    slack = 1e-9 * max(1.0, abs(target.value))
    for value in candidates:
        if abs(value - target.value) <= allowed + slack:
            return _right(question, "Right." if value == reading.value else
                          f"Right: {question.answers[0]}.")  # fmt: skip
    return _wrong(question)


# --------------------------------------------------------------------------
# Dates


def _fields(d: PartialDate) -> int:
    return sum(x is not None for x in (d.year, d.month, d.day))


def _date_parts(
    given: PartialDate, full: PartialDate, soft_year: bool
) -> tuple[list[str], list[str], list[str]]:
    """The parts of ``given`` that are right, wrong and missing against ``full``."""
    parts = {"year": full.year, "month": full.month, "day": full.day}
    typed = {"year": given.year, "month": given.month, "day": given.day}
    right: list[str] = []
    wrong: list[str] = []
    missing: list[str] = []
    for part, expected in parts.items():
        if expected is None:
            continue
        got = typed[part]
        if got is None:
            if not (part == "year" and soft_year):
                missing.append(part)
        elif got == expected and (part != "day" or typed["month"] == full.month):
            right.append(part)
        else:
            wrong.append(part)
    return right, wrong, missing


def _grade_date(question: Question, text: str) -> Grade:
    readings = date_readings(text)
    targets = [d for a in question.answers if (d := parse_date_text(a)) is not None]
    if not targets:
        return _grade_text(question, text)
    if not readings:
        return _wrong(question, "That is not a date I can read. ")
    if any(given in targets for given in readings):
        return _right(question)
    full = max(targets, key=lambda d: (_fields(d), d.year is not None))
    soft_year = any(t.year is None and t.month is not None for t in targets)
    # The reading that gets most right (the day-first one on a tie).
    right, wrong, missing = max(
        (_date_parts(given, full, soft_year) for given in readings),
        key=lambda p: (len(p[0]), -len(p[1])),
    )
    if not wrong and not missing:
        return _right(question)
    shown = question.answers[0] or format_date(full)
    if not right or right == ["day"]:
        return Grade(Verdict.WRONG, shown, f"The answer is {shown}.")
    order = ("day", "month", "year")
    right.sort(key=order.index)
    message = f"Right {' and '.join(right)}"
    if wrong:
        message += f", wrong {' and '.join(sorted(wrong, key=order.index))}"
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        message += f"; the {' and '.join(sorted(missing, key=order.index))} {verb} missing"
    return Grade(Verdict.PARTIAL, shown, f"{message}. The answer is {shown}.")


# --------------------------------------------------------------------------
# Timelines


def _grade_order(question: Question, answer: str | Sequence[str]) -> Grade:
    correct = question.answers[0].split(TIMELINE_SEPARATOR)
    if isinstance(answer, str):
        given = [p.strip() for p in answer.replace("\n", TIMELINE_SEPARATOR).split("|")]
    else:
        given = [str(a) for a in answer]
    position = {norm_text(label): i for i, label in enumerate(correct)}
    try:
        ranks = [position[norm_text(g)] for g in given if norm_text(g)]
    except KeyError:
        return _wrong(question, "Use the events shown. ")
    if sorted(ranks) != list(range(len(correct))):
        return _wrong(question, "Place every event once. ")
    pairs = len(ranks) * (len(ranks) - 1) // 2
    in_order = sum(
        1 for i in range(len(ranks)) for j in range(i + 1, len(ranks)) if ranks[i] < ranks[j]
    )
    if in_order == pairs:
        return _right(question)
    message = f"{in_order} of {pairs} pairs in the right order. The order is {question.answers[0]}."
    if in_order == 0:
        return Grade(Verdict.WRONG, question.answers[0], f"The order is {question.answers[0]}.")
    return Grade(Verdict.PARTIAL, question.answers[0], message)
