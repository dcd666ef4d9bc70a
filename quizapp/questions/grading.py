"""Checking a learner's answer, and turning the grade into an FSRS rating.

Grading needs only the question: the builder puts every accepted form of the
answer into ``Question.answers`` (a person's full name, other written names,
the surname alone when no one else in the deck has it; a date's ISO value; a
number's plain value). What is accepted:

- **Choices**: the chosen choice string (case, accents and spacing ignored).
- **Names**: case- and accent-insensitive, "the" ignored, words in any order,
  small typos (1 slip up to 6 letters, 2 up to 12, 3 beyond) unless what was
  typed is exactly another name of the deck (pass ``known_names``).
- **Dates**: common spellings ("10 Nov 2020", "November 10th, 2020",
  "2020-11-10", "10/11/2020" read day first; see :mod:`dates`). A partly right
  date (right year, wrong day) is PARTIAL and the message says which part was
  right. A day without a year in the article accepts any or no year, unless
  the source's publication year gives it one.
- **Numbers**: digits with or without separators, words ("twenty-one",
  "a third", "1.5 million"), percentages and money ("43 percent", "$7.3bn",
  "7.3 billion dollars"). Integers below 100 must be exact; other values may be
  1% off, unless the deck sets ``number_tolerance`` (relative; 0 is exact).
- **Timelines**: right only if fully in order; PARTIAL when some pairs are.
- **Flashcards**: self-rated; the learner's rating is the grade.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Sequence

from quizapp.facts.model import DeckOptions
from quizapp.questions.dates import PartialDate, format_date, parse_date_text
from quizapp.questions.model import Form, Grade, Question, Verdict
from quizapp.questions.normalize import close_enough, norm_text, stem_word, tokens
from quizapp.questions.numbers import NumberReading, parse_number, qualifier_kind

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {AGAIN: "Again", HARD: "Hard", GOOD: "Good", EASY: "Easy"}
CHOICE_FORMS = frozenset({Form.CHOICE, Form.LARGER, Form.WHO_SAID, Form.WHICH_QUOTE})
SLOW_TYPED = 1.5  # slower than 1.5x the learner's typical time: Hard
SLOW_CHOICE = 1.25  # choices are quicker to answer, and weaker evidence
QUICK = 0.6  # faster than 0.6x the typical time: Easy (typed forms only)
TIMELINE_SEPARATOR = " | "
_TIME_UNITS = frozenset(
    ["second", "minute", "hour", "day", "week", "month", "year", "decade", "century"]
)


def rating_for(
    grade: Grade,
    form: Form,
    response_ms: int,
    typical_ms: int | None,
    *,
    self_rating: int | None = None,
) -> int:
    """The FSRS rating (1 Again, 2 Hard, 3 Good, 4 Easy) an answer earns.

    | answer                                   | rating |
    | ---------------------------------------- | ------ |
    | wrong or partly right                    | Again  |
    | right, pace unknown (``typical_ms`` None) | Good   |
    | right, typed, slower than 1.5x typical    | Hard   |
    | right, typed, faster than 0.6x typical    | Easy   |
    | right, typed, otherwise                   | Good   |
    | right, choice, slower than 1.25x typical  | Hard   |
    | right, choice, otherwise                  | Good   |
    | flashcard                                 | the learner's own rating |

    ``typical_ms`` is the learner's own pace for this form, e.g. the median time
    of their recent right answers (:func:`typical_response_ms`). A right
    multiple-choice answer is weaker evidence than a typed one: it never earns
    Easy and turns Hard sooner.
    """
    if form is Form.FLASHCARD:
        if self_rating in RATING_NAMES:
            return int(self_rating)
        return GOOD if grade.correct else AGAIN
    if not grade.correct:
        return AGAIN
    if typical_ms is None or typical_ms <= 0 or response_ms <= 0:
        return GOOD
    ratio = response_ms / typical_ms
    if form in CHOICE_FORMS:
        return HARD if ratio > SLOW_CHOICE else GOOD
    if ratio > SLOW_TYPED:
        return HARD
    if ratio < QUICK:
        return EASY
    return GOOD


def typical_response_ms(recent_right_ms: Sequence[int]) -> int | None:
    """A learner's typical response time: the median of recent right answers."""
    times = [t for t in recent_right_ms if t > 0]
    return int(statistics.median(times)) if times else None


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
    if question.choices is not None:
        return _grade_choice(question, text)
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


def _grade_choice(question: Question, text: str) -> Grade:
    given = norm_text(text)
    if any(given == norm_text(a) for a in question.answers):
        return _right(question)
    return _wrong(question)


def _grade_text(question: Question, text: str) -> Grade:
    given = norm_text(text)
    for accepted in question.answers:
        expected = norm_text(accepted)
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


def _grade_name(question: Question, text: str, known_names: Collection[str]) -> Grade:
    given = _name_key(text)
    accepted = [_name_key(a) for a in question.answers]
    if given in accepted or sorted(given.split()) in [sorted(a.split()) for a in accepted]:
        return _right(question)
    others: set[str] = set()
    for name in known_names:
        key = _name_key(name)
        if key and key not in accepted:
            others.add(key)
            if len(key.split()) > 1:
                others.add(key.split()[-1])
    others -= set(accepted)
    if given in others:
        return _wrong(question)
    for a, original in zip(accepted, question.answers, strict=True):
        if a and close_enough(given, a):
            return _right(question, f"Right (exact spelling: {original}).")
    return _wrong(question)


# --------------------------------------------------------------------------
# Numbers


def _unit_word(reading: NumberReading) -> str | None:
    for word in (reading.unit_words or "").split():
        stem = stem_word(word)
        if stem in _TIME_UNITS:
            return stem
    return None


def _allowed_error(target: float, deck_options: DeckOptions | None) -> float:
    """How far a typed number may be from ``target`` and still be right."""
    if deck_options is not None and deck_options.number_tolerance is not None:
        return abs(target) * max(0.0, deck_options.number_tolerance)
    if target == round(target) and abs(target) < 100:
        return 0.0
    return abs(target) * 0.01


def _grade_number(question: Question, text: str, deck_options: DeckOptions | None) -> Grade:
    reading = parse_number(text)
    targets = [r for a in question.answers if (r := parse_number(a)) is not None]
    if not targets:
        return _grade_text(question, text)
    if reading is None:
        return _wrong(question, "That is not a number I can read. ")
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
    if (
        any(t.scaled for t in targets)
        and not reading.scaled
        and not reading.percent
        and abs(reading.value) < 1000
    ):
        candidates += [reading.value * s for s in (1e3, 1e6, 1e9, 1e12)]  # "7.3" for "$7.3 billion"
    allowed = _allowed_error(target.value, deck_options)
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


def _grade_date(question: Question, text: str) -> Grade:
    given = parse_date_text(text)
    targets = [d for a in question.answers if (d := parse_date_text(a)) is not None]
    if not targets:
        return _grade_text(question, text)
    if given is None:
        return _wrong(question, "That is not a date I can read. ")
    if given in targets:
        return _right(question)
    full = max(targets, key=lambda d: (_fields(d), d.year is not None))
    soft_year = any(t.year is None and t.month is not None for t in targets)
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
