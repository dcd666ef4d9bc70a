"""Failure classes found on articles the extractor had never seen (issue 13), class by
class: each rule with a short text written for the test."""

from __future__ import annotations

import pytest

from quizapp.extract import confidence as conf
from quizapp.extract import extract_facts
from quizapp.extract.numbers import find_numbers
from quizapp.extract.stem_gate import GARBLED, stem_problem
from quizapp.facts.model import Fact, FactKind

DATELINE = "Thursday, September 22, 2011\n\n"


def _facts(body: str) -> list[Fact]:
    return extract_facts(DATELINE + body, source_id="t")


def _dates(body: str) -> dict[str, Fact]:
    return {f.text: f for f in _facts(body) if f.kind is FactKind.DATE}


# 1. Identifiers read as years or counts


def test_a_year_glued_to_a_code_is_part_of_a_designation() -> None:
    dates = _dates(
        "Astronomers watched comet 2004 QX7 pass the Moon. "
        "A second rock, 2016 HB2, will follow it in 2030."
    )
    assert set(dates) == {"2030"}


def test_a_year_after_a_capitalised_designation_noun_is_no_date() -> None:
    dates = _dates(
        "Nobody was hurt among the passengers of Flight 1996. "
        "Crews also checked the bus on route 2001. The harbour was rebuilt in 1996."
    )
    assert set(dates) == {"1996"}
    assert dates["1996"].sentence.startswith("The harbour")


def test_a_sentence_opening_word_before_a_year_is_no_designation() -> None:
    dates = _dates("The tower fell. Unlike 1998, no crane was used.")
    assert "1998" in dates


def test_a_number_after_a_designation_noun_is_no_count() -> None:
    text = "Workers repaired Berth 417 and Pier 9 while 60 ships waited."
    assert [text[n.start : n.end] for n in find_numbers(text, [])] == ["60"]


# 2. "since <date>" is a starting point, not when something happened


def test_since_a_month_is_a_starting_point_not_a_date_to_ask() -> None:
    dates = _dates("Shares in the bakery chain have climbed 6 percent since March.")
    fact = dates["since March"]
    assert fact.level == "check"
    assert conf.SINCE in fact.reasons


def test_since_a_year_before_to_and_a_verb_is_still_a_starting_point() -> None:
    dates = _dates("Ostby became the first club since 1987 to win the title twice.")
    assert dates["1987"].level == "check"
    assert conf.SINCE in dates["1987"].reasons


def test_a_range_opened_by_since_and_closed_by_a_date_is_no_starting_point() -> None:
    dates = _dates("The road was shut by the council from June 2004 to May 2007.")
    assert conf.SINCE not in dates["June 2004"].reasons
    dates = _dates("Bus fares in the town have risen since 2009 and will rise again.")
    assert conf.SINCE in dates["2009"].reasons


# 5. Garbled "did" stems: "did" with a past-tense verb, or two finite verbs


def _date_fact(stem: str) -> Fact:
    return Fact(id="d", kind=FactKind.DATE, text="May 3", value="2020-05-03", stem=stem)


@pytest.mark.parametrize(
    "stem",
    [
        "When did the strike began, when the drivers walk out over pay?",
        "When did the ferry, name Aurora, reached the island?",
        "When did the bakery opened its second shop?",
        "How many loaves did the bakery baked on its first day?",
        "When did the museum, run by volunteers, closed for the winter?",
        "When had held over two days in Oslo, the talks ended?",
        "When is the new bridge due to open in early, and the old one to close?",
    ],
)
def test_did_with_a_past_tense_verb_is_refused_by_the_stem_gate(stem: str) -> None:
    assert stem_problem(_date_fact(stem)) == GARBLED


@pytest.mark.parametrize(
    "stem",
    [
        "When did the bakery open its second shop?",
        "When did the museum, run by volunteers, close for the winter?",
        "When did the mayor say the bridge was unsafe?",
        "When did the injured rider return to racing?",
        "When did the court rule that the contract was void?",
        "When were seven people injured in the fire?",
        "When is the new bridge due to open in early May?",
        "When did the mayor say the old tower fell?",
    ],
)
def test_sound_did_stems_still_pass_the_stem_gate(stem: str) -> None:
    assert stem_problem(_date_fact(stem)) is None


# 4. A speaker's name ends where the capitalised words end


def _spoken(body: str) -> list[Fact]:
    return [f for f in _facts(body) if f.kind in (FactKind.QUOTE, FactKind.PERSON)]


def test_a_title_before_a_name_is_the_role_and_lower_case_words_end_the_name() -> None:
    facts = _spoken(
        '"The harvest was the best in ten years," said Managing Director Olga Brenna '
        "at a briefing in the village hall."
    )
    quote = next(f for f in facts if f.kind is FactKind.QUOTE)
    assert quote.speaker == "Olga Brenna"
    assert quote.role == "Managing Director"


def test_of_the_body_after_a_name_is_the_affiliation_not_the_name() -> None:
    facts = _spoken(
        "In a letter to the editor, Tomas Varga of the University of Leeds wrote: "
        '"The survey counted the same birds twice and should be withdrawn."'
    )
    quote = next(f for f in facts if f.kind is FactKind.QUOTE)
    assert quote.speaker == "Tomas Varga"
    person = next(f for f in facts if f.kind is FactKind.PERSON)
    assert person.name == "Tomas Varga"
    assert person.role == "University of Leeds"


def test_of_a_place_or_a_prize_after_a_name_is_not_an_affiliation() -> None:
    facts = _spoken("The crowd cheered when Lena Holt of Norway lifted the trophy.")
    assert not any(f.kind is FactKind.PERSON and f.role == "Norway" for f in facts)


def test_lower_case_nouns_before_a_role_word_belong_to_the_role() -> None:
    facts = _spoken(
        "Ferry company operations chief Liv Sunde said the boats would sail on time. "
        '"We have trained six new crews," Sunde said.'
    )
    roles = {f.role for f in facts}
    assert roles == {"Ferry company operations chief"}


def test_a_preposition_before_a_title_is_no_part_of_the_role() -> None:
    facts = _spoken(
        "The visitors levelled soon after the break through captain Ola Brekke, "
        "who headed in a corner. "
        '"It was a great night for us," Brekke said.'
    )
    person = next(f for f in facts if f.kind is FactKind.PERSON)
    assert person.name == "Ola Brekke"
    if person.role and person.role.split()[0] == "through":
        assert person.level == "check"
        assert conf.PROBLEM_ROLE in person.reasons
    quote = next(f for f in facts if f.kind is FactKind.QUOTE)
    if quote.role and quote.role.split()[0] == "through":
        assert conf.PROBLEM_ROLE in quote.reasons


# 3. Relative dates counted the right way from the dateline (Thursday, 22 September 2011)


def test_a_weekday_in_a_past_clause_is_the_last_such_day_before_the_dateline() -> None:
    dates = _dates(
        "The union said in a letter on Monday that the company had ignored its staff plans."
    )
    assert dates["on Monday"].value == "2011-09-19"
    assert dates["on Monday"].level == "ready"


def test_a_weekday_in_a_future_clause_is_the_next_such_day() -> None:
    dates = _dates("The council will vote on the harbour budget on Monday.")
    assert dates["on Monday"].value == "2011-09-26"


def test_a_month_in_a_future_clause_after_the_dateline_month_is_next_year() -> None:
    dates = _dates("The ferry will leave the island in February and return in October.")
    assert dates["in February"].value == "2012-02"
    dates = _dates("The museum is due to reopen in January.")
    assert dates["in January"].value == "2012-01"


def test_a_month_in_a_past_clause_is_this_year() -> None:
    dates = _dates("The coach, who took over the club in March, was sacked.")
    assert dates["in March"].value == "2011-03"


def test_the_next_year_counts_from_the_year_the_sentence_refers_to() -> None:
    dates = _dates("The ferry will leave Bergen in February and sail on to Iceland the next year.")
    assert dates["the next year"].value == "2013"


def test_a_month_or_weekday_in_a_clause_without_tense_is_check() -> None:
    dates = _dates("The tour, which starts in January, takes in six cities.")
    assert dates["in January"].level == "check"
    assert conf.RELATIVE in dates["in January"].reasons


def test_a_relative_clause_has_its_own_tense_not_its_host_clauses() -> None:
    dates = _dates("The striker will miss the club's tour of Spain, which starts in January.")
    assert dates["in January"].level == "check"
    assert conf.RELATIVE in dates["in January"].reasons
