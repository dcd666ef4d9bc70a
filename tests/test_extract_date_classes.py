"""Dates a teacher can trust: each class of wrong or missed date found on the
development part has a rule and a test on a short text written for the test."""

from __future__ import annotations

from quizapp.extract import extract_facts
from quizapp.facts.model import Fact, FactKind


def _dates(text: str, published: str = "2020-05-07") -> list[Fact]:
    facts = extract_facts(text, source_id="t", published=published)
    return [f for f in facts if f.kind is FactKind.DATE]


def _one(text: str, written: str, published: str = "2020-05-07") -> Fact:
    found = [f for f in _dates(text, published) if f.text == written]
    assert len(found) == 1, [(f.text, f.value) for f in _dates(text, published)]
    return found[0]


# ---- a bare weekday in running text ------------------------------------------------


def test_a_bare_weekday_after_a_lower_case_word_is_a_date() -> None:
    # 2020-05-07 is a Thursday: "Tuesday" is two days before it
    d = _one("The museum opened its new wing Tuesday at a small ceremony.", "Tuesday")
    assert d.value == "2020-05-05"
    assert "opened its new wing" in (d.event or "").lower()
    assert _one("By the end of the day Monday the road was closed.", "Monday").value == (
        "2020-05-04"
    )


def test_a_weekday_that_is_a_habit_a_name_or_a_possessive_is_no_date() -> None:
    assert _dates("The market is held every Friday in the square.") == []
    assert _dates("Shops close early on Good Friday in the town.") == []
    assert _dates("She writes for the Sunday Times and other papers.") == []
    assert _dates("The council said Tuesday's vote was close.") == []


# ---- a date inside a relative clause dates that clause's event ----------------------


def test_a_date_in_a_relative_clause_is_asked_about_its_antecedent() -> None:
    text = (
        "The critic compared the dispute to an old quarrel among gardening clubs such as "
        "the Rose Guild, which printed its own seed catalogue in 1982."
    )
    d = _one(text, "1982")
    assert d.stem == "When did the Rose Guild print its own seed catalogue?"
    assert d.level == "ready"
    # no comma before "who": the same rule
    d = _one("A lost wallet was found by a cyclist who handed it to the police today.", "today")
    assert d.stem == "When did a cyclist hand it to the police?"


def test_a_date_in_a_reduced_relative_clause_dates_the_participle() -> None:
    d = _one("The first ferry stopped on Monday was sent back twice.", "on Monday")
    assert d.stem == "When was the first ferry stopped?"
    assert d.level == "ready"


def test_a_present_tense_relative_clause_is_asked_in_the_present() -> None:
    text = "The fair will close after the final parade which starts June 28."
    d = _one(text, "June 28")
    assert d.stem == "When does the final parade start?"


def test_an_object_relative_clause_is_not_inverted_and_is_checked() -> None:
    # "which the council today rejects": the council rejects the plan; no question can
    # be made by inverting the clause alone
    text = "The mayor backed a new road plan, which the council today rejects."
    d = _one(text, "today")
    assert d.level == "check"
    assert "council" in (d.event or "")
