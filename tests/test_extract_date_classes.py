"""Dates a teacher can trust: each class of wrong or missed date found on the
development part has a rule and a test on a short text written for the test."""

from __future__ import annotations

from quizapp.extract import extract_facts
from quizapp.facts.model import Fact, FactKind


def _dates(text: str, published: str = "2020-05-07") -> list[Fact]:
    return [
        f for f in extract_facts(text, source_id="t", published=published) if f.kind is FactKind.DATE
    ]


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
