"""Answer checking and the grade -> FSRS rating rule."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from quizapp.assets import seed_deck_path
from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck, DeckOptions, Fact, FactKind
from quizapp.questions.dates import PartialDate, parse_date_text
from quizapp.questions.generate import QuestionBuilder, card_rng
from quizapp.questions.grading import (
    AGAIN,
    EASY,
    HARD,
    grade,
    grade_flashcard,
)
from quizapp.questions.model import Evidence, Family, Form, Question, Verdict
from quizapp.questions.numbers import parse_number
from quizapp.questions.readings import (
    date_readings,
    fix_month_slips,
    number_readings,
    year_in_words,
)
from quizapp.services.marking import Marker

NO_EVIDENCE = Evidence(None, None, None)


def typed(answers: tuple[str, ...], kind: str, form: Form = Form.TYPED) -> Question:
    return Question(
        card_id="c", fact_id="f", family=Family.RECALL, form=form, prompt="?",
        answers=answers, choices=None, evidence=NO_EVIDENCE, input_kind=kind,
    )  # fmt: skip


RIGHT, PARTIAL, WRONG = Verdict.RIGHT, Verdict.PARTIAL, Verdict.WRONG

# --------------------------------------------------------------------------
# Names


@pytest.fixture(scope="module")
def people() -> QuestionBuilder:
    facts = [
        Fact(id="p1", kind=FactKind.PERSON, name="Hikmet Hajiyev", role="assistant to the PM"),
        Fact(id="p2", kind=FactKind.PERSON, name="Ivan Petrov", role="mayor of Tula"),
        Fact(id="p3", kind=FactKind.PERSON, name="Anna Petrov", role="mayor of Oryol"),
        Fact(id="p4", kind=FactKind.PERSON, name="José Núñez", role="head of the bank"),
        Fact(id="p5", kind=FactKind.PERSON, name="Ivan Petrova", role="rector"),
    ]  # fmt: skip
    return QuestionBuilder(Deck(id="p", name="people", facts=tuple(facts)))


def who(b: QuestionBuilder, fact_id: str) -> Question:
    q = b.build("c", fact_id, Family.RECALL, card_rng(1, fact_id), form=Form.TYPED)
    assert q is not None
    return q


@pytest.mark.parametrize(
    ("fact_id", "given", "verdict"),
    [
        ("p1", "Hikmet Hajiyev", RIGHT),
        ("p1", "hikmet hajiyev", RIGHT),
        ("p1", "HAJIYEV", RIGHT),  # surname alone: unique in the deck
        ("p1", "Hajiev", RIGHT),  # one slip in a 7-letter name
        ("p1", "Hajiyev Hikmet", RIGHT),  # order of words
        ("p1", "Hikmet", WRONG),
        ("p1", "Hajaxyz", WRONG),
        ("p4", "Jose Nunez", RIGHT),  # accents
        ("p4", "núñez", RIGHT),
        ("p2", "Ivan Petrov", RIGHT),
        ("p2", "Petrov", WRONG),  # two Petrovs in the deck: the surname is ambiguous
        ("p2", "Anna Petrov", WRONG),
        ("p2", "Ivan Petrova", WRONG),  # a typo away, but another person of the deck
        ("p1", "", WRONG),
    ],
)
def test_names(people: QuestionBuilder, fact_id: str, given: str, verdict: Verdict) -> None:
    q = who(people, fact_id)
    assert q.input_kind == "name"
    assert grade(q, given, known_names=people.known_names()).verdict is verdict


def test_typo_message_shows_the_spelling(people: QuestionBuilder) -> None:
    g = grade(who(people, "p1"), "Hikmet Hajiev")
    assert g.verdict is RIGHT and "Hikmet Hajiyev" in g.message


# --------------------------------------------------------------------------
# Dates

FULL = ("November 10, 2020", "2020-11-10")


@pytest.mark.parametrize(
    "given",
    [
        "November 10, 2020",
        "10 Nov 2020",
        "2020-11-10",
        "November 10th, 2020",
        "10/11/2020",  # day first
        "10.11.2020",
        "the 10th of November 2020",
        "tenth of November 2020",
        "Nov. 10 2020",
        "10 november 2020",
    ],
)
def test_date_spellings(given: str) -> None:
    assert grade(typed(FULL, "date"), given).verdict is RIGHT


@pytest.mark.parametrize(
    ("given", "verdict", "message"),
    [
        ("November 12, 2020", PARTIAL, "Right month and year, wrong day."),
        ("10 November 2021", PARTIAL, "Right day and month, wrong year."),
        ("13/12/2020", PARTIAL, "Right year, wrong day and month."),
        ("11/12/2020", PARTIAL, "Right month and year, wrong day."),  # read month first
        ("November 2020", PARTIAL, "Right month and year; the day is missing."),
        ("2020", PARTIAL, "Right year; the day and month are missing."),
        ("March 3, 2019", WRONG, "The answer is November 10, 2020."),
        ("soon", WRONG, "That is not a date I can read."),
    ],
)
def test_partly_right_dates_say_which_part(given: str, verdict: Verdict, message: str) -> None:
    g = grade(typed(FULL, "date"), given)
    assert g.verdict is verdict
    assert g.message.startswith(message)
    assert g.correct_answer == "November 10, 2020"
    assert not g.correct


def test_days_without_a_year() -> None:
    published = typed(("April 16", "--04-16", "2024-04-16"), "date")
    assert grade(published, "16 April").verdict is RIGHT
    assert grade(published, "April 16, 2024").verdict is RIGHT
    assert grade(published, "April 16, 2023").verdict is PARTIAL
    unknown_year = typed(("April 16", "--04-16"), "date")
    assert grade(unknown_year, "April 16, 1999").verdict is RIGHT


def test_cloze_date_with_a_relative_phrase() -> None:
    q = typed(("November of the same year", "November 2020", "2020-11"), "date", Form.CLOZE)
    assert grade(q, "November").verdict is RIGHT
    assert grade(q, "November 2020").verdict is RIGHT
    assert grade(q, "November 2021").verdict is PARTIAL
    assert grade(q, "December").verdict is WRONG


def test_the_date_parser_reads_all_digit_dates_day_first() -> None:
    assert parse_date_text("10/11/2020") == PartialDate(2020, 11, 10)
    assert parse_date_text("13/01/2020") == PartialDate(2020, 1, 13)
    assert parse_date_text("01/13/2020") is None  # no month 13


# --------------------------------------------------------------------------
# Numbers


@pytest.mark.parametrize(
    ("answers", "given", "verdict"),
    [
        (("1,960", "1960"), "1960", RIGHT),
        (("1,960", "1960"), "1,960", RIGHT),
        (("1,960", "1960"), "1 960", RIGHT),
        (("1,960", "1960"), "one thousand nine hundred sixty", RIGHT),
        (("1,960", "1960"), "1,955", WRONG),  # an exact count: no tolerance
        (("1,960", "1960"), "1,900", WRONG),
        (("4", "4"), "four", RIGHT),
        (("4", "4"), "5", WRONG),  # small counts are exact
        (("90", "90"), "89", WRONG),
        (("21", "21"), "twenty-one", RIGHT),
        (("43%", "43%"), "43 percent", RIGHT),
        (("43%", "43%"), "43", RIGHT),
        (("43%", "43%"), "44%", WRONG),
        (("$7.3 billion", "7300000000 USD"), "$7.3bn", RIGHT),
        (("$7.3 billion", "7300000000 USD"), "7.3 billion dollars", RIGHT),
        (("$7.3 billion", "7300000000 USD"), "7,300,000,000", RIGHT),
        (("$7.3 billion", "7300000000 USD"), "7.3", RIGHT),  # the scale word left out
        (("$7.3 billion", "7300000000 USD"), "€7.3 billion", WRONG),
        (("$7.3 billion", "7300000000 USD"), "7 billion", WRONG),
        (("1.5 million", "1500000"), "1,500,000", RIGHT),
        (("1.5 million", "1500000"), "one and a half million", RIGHT),
        (("more than a third", "a third", "0.333"), "a third", RIGHT),
        (("more than a third", "a third", "0.333"), "1/3", RIGHT),
        (("more than a third", "a third", "0.333"), "33%", RIGHT),
        (("more than a third", "a third", "0.333"), "more than a third", RIGHT),
        (("more than a third", "a third", "0.333"), "less than a third", WRONG),
        (("more than a third", "a third", "0.333"), "a half", WRONG),
        (("at least five years", "five years", "5 years"), "5", RIGHT),
        (("at least five years", "five years", "5 years"), "5 years", RIGHT),
        (("at least five years", "five years", "5 years"), "5 months", WRONG),
        (("at least five years", "five years", "5 years"), "six", WRONG),
        (("43%", "43%"), "many", WRONG),
    ],
)
def test_numbers(answers: tuple[str, ...], given: str, verdict: Verdict) -> None:
    assert grade(typed(answers, "number"), given).verdict is verdict


def test_deck_tolerance_overrides_the_default() -> None:
    q = typed(("380", "380"), "number")
    assert grade(q, "383").verdict is WRONG  # default: an exact count is exact
    assert grade(q, "383", DeckOptions(number_tolerance=0.01)).verdict is RIGHT
    rough = typed(("about 2,000", "2,000"), "number")
    assert grade(rough, "1,990").verdict is RIGHT  # default: 1% for an approximate figure
    assert grade(rough, "1,990", DeckOptions(number_tolerance=0.0)).verdict is WRONG
    assert grade(q, "400", DeckOptions(number_tolerance=0.1)).verdict is RIGHT
    small = typed(("4", "4"), "number")
    assert grade(small, "5", DeckOptions(number_tolerance=0.25)).verdict is RIGHT


def test_parse_number_readings() -> None:
    r = parse_number("more than 50%")
    assert r is not None and (r.value, r.percent, r.qualifier) == (50, True, "more than")
    r = parse_number("$7.3bn")
    assert r is not None and (r.value, r.currency) == (7.3e9, "USD")
    assert parse_number("a third") is not None
    assert parse_number("nothing") is None


# --------------------------------------------------------------------------
# Choices, timelines, flashcards, Q/A text


def test_choice_answers() -> None:
    q = Question(
        card_id="c", fact_id="f", family=Family.RECOGNISE, form=Form.CHOICE, prompt="?",
        answers=("4",), choices=("2", "4", "6", "8"), evidence=NO_EVIDENCE, input_kind="choice",
    )  # fmt: skip
    assert grade(q, "4").verdict is RIGHT
    assert grade(q, "6").verdict is WRONG
    assert grade(q, "6").correct_answer == "4"


def _timeline() -> Question:
    return Question(
        card_id="c", fact_id="f", family=Family.RECALL, form=Form.TIMELINE, prompt="?",
        answers=("A | B | C",), choices=None, evidence=NO_EVIDENCE, input_kind="order",
        items=("C", "A", "B"),
    )  # fmt: skip


def test_timeline_order() -> None:
    q = _timeline()
    assert grade(q, ["A", "B", "C"]).verdict is RIGHT
    assert grade(q, "A | B | C").verdict is RIGHT
    partial = grade(q, ["B", "A", "C"])
    assert partial.verdict is PARTIAL and partial.message.startswith("2 of 3 pairs")
    assert grade(q, ["C", "B", "A"]).verdict is WRONG
    assert grade(q, ["A", "B"]).verdict is WRONG
    assert grade(q, ["A", "B", "D"]).verdict is WRONG


def test_flashcards_are_self_rated() -> None:
    q = Question(
        card_id="c", fact_id="f", family=Family.RECOGNISE, form=Form.FLASHCARD, prompt="Peru?",
        answers=("Lima",), choices=None, evidence=NO_EVIDENCE, input_kind="reveal", back="Lima",
    )  # fmt: skip
    assert grade(q, "", self_rating=AGAIN).verdict is WRONG
    assert grade(q, "good").verdict is RIGHT
    assert grade(q, "4").verdict is RIGHT
    assert grade_flashcard(q, None).verdict is WRONG
    assert grade(q, "", self_rating=HARD).verdict is RIGHT
    assert grade(q, "", self_rating=EASY).verdict is RIGHT


def test_qa_text_answers() -> None:
    q = typed(("Mitochondria",), "text")
    assert grade(q, "mitochondria").verdict is RIGHT
    assert grade(q, "mitochondira").verdict is RIGHT  # a swap of two letters
    assert grade(q, "ribosome").verdict is WRONG


# --------------------------------------------------------------------------
# Typed answers with a fair teacher's verdict (tests/data/typed_answers.jsonl)

DATA = Path(__file__).parent / "data"
ANSWERS = [
    json.loads(line)
    for line in (DATA / "typed_answers.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]
CLASSES = {
    "month_first_dates", "month_name_typos", "date_in_phrase", "numbers_in_words",
    "european_separators", "fraction_bounds", "names_with_titles", "speaker_names",
    "cloze_words", "exact_counts", "organisation_names", "controls",
}  # fmt: skip


@pytest.fixture(scope="module")
def markers() -> dict[str, Marker]:
    return {
        "seed": Marker(load_deck_file(seed_deck_path())),
        "clinic": Marker(load_deck_file(DATA / "grading_deck.toml")),
    }


def test_the_data_set_covers_every_class_on_several_facts() -> None:
    assert {a["class"] for a in ANSWERS} == CLASSES
    for name in CLASSES:
        rows = [a for a in ANSWERS if a["class"] == name]
        assert len(rows) >= 9, name
        assert len({(a["deck"], a["fact_id"]) for a in rows}) >= 4, name
        assert {a["expected"] for a in rows} >= {"right", "wrong"}, name
    assert len(ANSWERS) >= 150


@pytest.mark.parametrize(
    "row", ANSWERS, ids=[f"{a['class']}:{a['fact_id']}:{a['answer']}" for a in ANSWERS]
)
def test_typed_answers_get_a_fair_teachers_verdict(
    markers: dict[str, Marker], row: dict[str, str]
) -> None:
    mark = markers[row["deck"]].mark(row["fact_id"], row["form"], row["answer"])
    assert mark.verdict == row["expected"], mark.message


def test_readings_of_typed_dates_and_numbers() -> None:
    assert date_readings("11/10/2020") == [PartialDate(2020, 10, 11), PartialDate(2020, 11, 10)]
    assert date_readings("4/15/2024") == [PartialDate(2024, 4, 15)]  # only month first
    assert date_readings("the Novmber 10 2020 statement") == [PartialDate(2020, 11, 10)]
    assert date_readings("two thousand and twenty") == [PartialDate(2020)]
    assert date_readings("a long time ago, in a galaxy far away, before the war began") == []
    assert year_in_words("nineteen oh five") == 1905
    assert year_in_words("ninety") is None
    assert fix_month_slips("Sept 3, Septmber 4") == "Sept 3, september 4"
    values = [r.value for r in number_readings("1.960")]
    assert 1960 in values and 1.96 in values
    assert [r.value for r in number_readings("0,212")] == [0.212]
    assert 7.3e9 in [r.value for r in number_readings("seven point three billion")]
    assert [r.value for r in number_readings("it grew by 43%")] == [43]
    assert number_readings("not 43%") == []
    assert [r.value for r in number_readings("3 quarters")] == [0.75]


def test_partial_speaker_message_names_both() -> None:
    q = typed(("Nikol Pashinyan", "Pashinyan"), "name")
    q = replace(q, partial_answers=("Yerevan", "Armenia"))
    g = grade(q, "Armenia")
    assert g.verdict is PARTIAL and "Armenia" in g.message and "Nikol Pashinyan" in g.message
    assert grade(q, "Moscow").verdict is WRONG


def test_full_name_is_right_for_a_speaker_known_by_surname() -> None:
    q = typed(("Dunbar",), "name", Form.TYPED)
    assert grade(q, "Robert Dunbar").verdict is RIGHT
    assert grade(q, "Dunbar").verdict is RIGHT
    assert grade(q, "Robert Brown").verdict is WRONG
    # another person of the deck with that surname is still wrong
    assert grade(q, "Fiona Dunbar", known_names=("Fiona Dunbar",)).verdict is WRONG
    # a full name's surname does not make any first name right
    full = typed(("Robert Dunbar", "Dunbar"), "name", Form.TYPED)
    assert grade(full, "Fiona Dunbar").verdict is WRONG
    assert grade(full, "Dunbar").verdict is RIGHT
