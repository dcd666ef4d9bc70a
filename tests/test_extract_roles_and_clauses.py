"""A strict teacher's reading of generated questions: people, roles and side clauses.

Each class of failure has a rule that generalises and a test on a short text
written for it: a fact becomes right, or is *check* with a one-line reason.
"""

from __future__ import annotations

from quizapp.extract import confidence as conf
from quizapp.extract import extract_facts
from quizapp.extract.people import consistent_capitals, split_name
from quizapp.extract.stem_gate import GARBLED, stem_problem
from quizapp.extract.tokens import tokenize
from quizapp.facts.model import Fact, FactKind

HEAD = "A story\nWednesday, March 4, 2020\n"


def _facts(body: str) -> list[Fact]:
    return extract_facts(HEAD + body, source_id="t")


def _people(facts: list[Fact]) -> dict[str, Fact]:
    return {f.name or "": f for f in facts if f.kind is FactKind.PERSON}


def _date(facts: list[Fact], text: str) -> Fact:
    return next(f for f in facts if f.kind is FactKind.DATE and f.text == text)


# ---- non-persons: an organisation's name cut into a role and a "person" ----------------


def test_words_after_an_adjective_in_an_organisation_name_are_no_person() -> None:
    facts = _facts(
        "Dr Ruth Allen, Director of the National Soil Health survey, said the fields were poor."
    )
    people = _people(facts)
    assert "Soil Health" not in people
    assert people["Ruth Allen"].role == "Director of the National Soil Health survey"


def test_split_name_keeps_a_person_after_a_body_that_ends_in_a_noun() -> None:
    text = "Director of the Federal Water Quality"
    np = split_name(text, tokenize(text))
    assert np is not None and not np.is_person
    text = "Secretary General of the Nordic Council Anna Berg"
    np = split_name(text, tokenize(text))
    assert np is not None and np.is_person and np.name == "Anna Berg"


def test_a_role_ending_in_an_adjective_marks_the_person_check() -> None:
    fact = Fact(
        id="p-x", kind=FactKind.PERSON, source_id="t", text="Seed Bank", name="Seed Bank",
        role="Director of the National",
    )  # fmt: skip
    judged = conf.judge(fact, "Director of the National Seed Bank said so.")
    assert judged.level == "check"
    assert conf.PROBLEM_ROLE in judged.reasons and conf.NOT_A_PERSON in judged.reasons


# ---- a role cut short: "member" of nothing ----------------------------------------------


def test_a_member_of_nothing_is_check() -> None:
    facts = _facts('"We trained hard," squad member Tomas Reyes told reporters.')
    reyes = _people(facts)["Tomas Reyes"]
    assert reyes.level == "check"
    assert conf.VAGUE_ROLE in reyes.reasons


def test_a_member_of_something_is_not_vague() -> None:
    fact = Fact(
        id="p-x", kind=FactKind.PERSON, source_id="t", text="Ann Cole", name="Ann Cole",
        role="member of the city council",
    )  # fmt: skip
    assert conf.VAGUE_ROLE not in conf.judge(fact, "Ann Cole, member of the city council.").reasons
    named = Fact(
        id="p-y", kind=FactKind.PERSON, source_id="t", text="Ann Cole", name="Ann Cole",
        role="Labour Party member",
    )  # fmt: skip
    assert conf.VAGUE_ROLE not in conf.judge(named, "Labour Party member Ann Cole.").reasons


# ---- a garbled stem: a date inside (or beside) a side clause ----------------------------


def test_a_date_inside_a_side_clause_dates_that_clause() -> None:
    facts = _facts(
        "The flood, which began on Monday, was caused by heavy rain. "
        "The mayor, who resigned in 2019, was born in 1960."
    )
    assert _date(facts, "on Monday").stem == "When did the flood begin?"
    assert _date(facts, "2019").stem == "When did the mayor resign?"
    born = _date(facts, "1960")
    assert born.stem == "When was the mayor born?"
    for f in (_date(facts, "on Monday"), _date(facts, "2019"), born):
        assert f.level == "ready", f


def test_a_side_clause_that_cannot_be_asked_alone_is_check() -> None:
    facts = _facts("She visited the dam, which opened in 1995.")
    fact = _date(facts, "1995")
    assert fact.level == "check"
    assert GARBLED in fact.reasons


def test_the_gate_refuses_a_side_clause_left_with_its_verb_alone() -> None:
    fact = Fact(
        id="d-x", kind=FactKind.DATE, source_id="t", text="2001", value="2001",
        stem="When was the storm, which occurred, caused by the heat?",
    )  # fmt: skip
    assert stem_problem(fact) == GARBLED


def test_a_date_inside_what_was_noted_is_check() -> None:
    facts = _facts("Lee Grant observed that the plant closed in 1999.")
    fact = _date(facts, "1999")
    assert fact.level == "check"
    assert conf.IN_THAT_CLAUSE in fact.reasons


# ---- odd capitals in a role -------------------------------------------------------------


def test_a_title_in_mixed_case_is_written_in_one_case() -> None:
    facts = _facts('Water Board director General Sam Okafor said "The quay is closed."')
    okafor = _people(facts)["Sam Okafor"]
    assert okafor.role == "Water Board Director General"
    quote = next(f for f in facts if f.kind is FactKind.QUOTE)
    assert quote.role == "Water Board Director General"


def test_consistent_capitals_follows_the_words_before_the_title() -> None:
    assert consistent_capitals("director General") == "Director General"
    assert consistent_capitals("the company's director General") == (
        "the company's director general"
    )
    # A capital that only opens the sentence, and a qualifier, are left as written.
    assert consistent_capitals("Senior researcher") == "Senior researcher"
    assert consistent_capitals("former Prime Minister") == "former Prime Minister"
    assert consistent_capitals(None) is None


# ---- a body and its abbreviation: "the Ocean Trust (OT)" --------------------------------


def test_a_name_never_keeps_half_a_parenthesis() -> None:
    facts = _facts(
        "The Food Safety Agency (FSA) recommends that every school should serve fresh "
        "fruit daily. The Ocean Trust (OT) says that reefs are dying fast across the region."
    )
    speakers = {f.speaker for f in facts if f.kind is FactKind.QUOTE}
    assert speakers == {"Food Safety Agency", "Ocean Trust"}
    assert all("(" not in (f.name or "") for f in facts)
