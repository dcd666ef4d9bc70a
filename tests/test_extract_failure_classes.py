"""One test per failure class of article extraction (issue: a teacher's own article).

Every text is a short one written for the test. Precision before recall: where
the rules cannot tell, a fact must be *check*, never silently wrong.
"""

from __future__ import annotations

from pathlib import Path

from quizapp.extract import confidence as conf
from quizapp.extract import extract_deck, extract_facts
from quizapp.extract.stem_gate import stem_problem
from quizapp.facts.model import Fact, FactKind

HEAD = "A story\nMonday, May 3, 2021\n"


def _facts(body: str) -> list[Fact]:
    return extract_facts(HEAD + body, source_id="t")


def _kind(facts: list[Fact], kind: FactKind) -> list[Fact]:
    return [f for f in facts if f.kind is kind]


def _by_text(facts: list[Fact], text: str) -> Fact | None:
    return next((f for f in facts if f.text == text), None)


def _ready_ok(facts: list[Fact]) -> None:
    """Whatever else, a ready fact's question passes the stem gate."""
    for f in facts:
        if f.level == "ready":
            assert stem_problem(f) is None, f


# ---- dates ----------------------------------------------------------------------------


def test_relative_year_counts_from_the_year_the_sentence_refers_to() -> None:
    facts = _facts(
        "She joined the board in 1998 and became chair the next year. Two years later she left.\n"
    )
    dates = {f.text: f.value for f in _kind(facts, FactKind.DATE)}
    assert dates["the next year"] == "1999"  # not 2022, the year after the dateline
    assert dates["Two years later"] == "2000"
    # with no written year near, the text does not say: no date is made up
    lone = _facts("The mill closed. Workers were told it would reopen the next year.\n")
    assert not [f for f in _kind(lone, FactKind.DATE) if "next year" in f.text]
    _ready_ok(facts)


def test_today_in_a_description_and_the_dateline_are_no_events() -> None:
    facts = _facts("He was elected mayor in 2004, a post he still holds today.\n")
    dates = _kind(facts, FactKind.DATE)
    assert [d.text for d in dates] == ["2004"]
    assert all(f.stem != "When did this happen?" for f in facts)
    assert not [f for f in facts if f.start is not None and f.start < len(HEAD)]


def test_a_year_of_a_side_remark_is_not_the_event_date() -> None:
    facts = _facts(
        "The award, first given in 1950, went to her on Friday. "
        "The union (founded 1957) that the two states joined in 1973 grew.\n"
    )
    for year in ("1950", "1957"):
        f = _by_text(facts, year)
        assert f is not None and f.level == "check" and conf.SIDE_REMARK in f.reasons
    battle = _facts("The jet landed near the site of the battle of 1815.\n")
    f = _by_text(battle, "1815")
    assert f is None or f.level == "check"


def test_ranges_and_alternatives_are_not_cut_to_one_end() -> None:
    facts = _facts(
        "Talks were held 3–5 May in Oslo. A vote is planned in June or July of next year.\n"
    )
    assert _by_text(facts, "3") is None  # the first day of the range is no count
    for f in _kind(facts, FactKind.DATE):
        assert f.level == "check", f  # "5 May" alone, "June" alone: a teacher decides


def test_publication_date_is_read_from_a_dateline_line(tmp_path: Path) -> None:
    full = tmp_path / "full.txt"
    full.write_text("Storm hits coast\nTuesday, March 8, 2011\nA storm hit the coast.\n", "utf-8")
    assert extract_deck(full).sources[0].published == "2011-03-08"
    month = tmp_path / "month.txt"
    month.write_text("Storm hits coast\nMarch 2011\nA storm hit the coast in 2010.\n", "utf-8")
    deck = extract_deck(month)
    assert deck.sources[0].published == "2011-03"
    assert [f.text for f in deck.facts if f.kind is FactKind.DATE] == ["2010"]


# ---- numbers --------------------------------------------------------------------------


def test_vague_quantities_are_no_numbers() -> None:
    facts = _facts(
        "Thousands of people marched through the city, and dozens were arrested. "
        "Hundreds of shops closed and millions watched on television.\n"
    )
    assert _kind(facts, FactKind.NUMBER) == []


def test_model_names_routes_and_years_are_no_counts() -> None:
    facts = _facts(
        "The A330 airliner landed on Route 66. Flight 103 carried 240 passengers "
        "to the site of the battle of 1815.\n"
    )
    values = sorted(f.value for f in _kind(facts, FactKind.NUMBER))
    assert values == [240.0]
    passengers = _kind(facts, FactKind.NUMBER)[0]
    assert passengers.stem == (
        "How many passengers did Flight 103 carry to the site of the battle of 1815?"
    )


def test_over_meaning_during_is_no_bound() -> None:
    facts = _facts(
        "The city will spend $40 million over three years on roads. "
        "The strike lasted over three weeks.\n"
    )
    years = _by_text(facts, "three years")
    assert years is not None and years.qualifier is None
    assert years.level == "check" and conf.OVER_DURING in years.reasons
    weeks = _by_text(facts, "three weeks")
    assert weeks is not None and weeks.qualifier == "more than"


def test_what_a_number_counts_reads_as_a_question_or_is_checked() -> None:
    facts = _facts(
        "The factory cut 300 workers last year. The new bridge will cost $4 million. "
        "Four helicopters and 90 trucks arrived in the valley.\n"
    )
    workers = _by_text(facts, "300")
    assert workers is not None and workers.counts == "workers"
    assert workers.stem == "How many workers did the factory cut last year?"
    assert workers.level == "ready"
    trucks = _by_text(facts, "90")
    assert trucks is not None and trucks.stem == "How many trucks arrived in the valley?"
    cost = _by_text(facts, "$4 million")
    assert cost is not None and cost.stem == "How much will the new bridge cost?"
    for f in _kind(facts, FactKind.NUMBER):
        assert f.stem is None or "—" not in f.stem
    _ready_ok(facts)


def test_the_key_figure_of_the_story_is_found() -> None:
    facts = _facts(
        "The navy awarded Harlow Shipyards a contract worth $2.1 billion to build six "
        "frigates, the company said.\n"
    )
    value = _by_text(facts, "$2.1 billion")
    assert value is not None and value.value == 2.1e9
    assert value.counts == "value of the contract"
    assert value.stem == "How much was the contract worth?" and value.level == "ready"


# ---- speakers and people ----------------------------------------------------------------


def test_organisations_adjectives_publications_and_events_are_no_people() -> None:
    facts = _facts(
        "North African and Western European leaders met at the Pacific Forum. The rule was "
        "published in the Federal Register. Prime Minister Jon Dale said the talks were useful.\n"
    )
    names = {f.name for f in _kind(facts, FactKind.PERSON)}
    assert names == {"Jon Dale"}
    dale = _kind(facts, FactKind.PERSON)[0]
    assert dale.role == "Prime Minister" and dale.level == "ready"


def test_quotes_after_a_generic_noun_are_not_credited_to_it_silently() -> None:
    facts = _facts(
        "Analysts say the budget is too tight. "
        '"It cuts too deep into the health service," one of them warned. '
        '"We will not accept cuts to hospitals or to schools this year," said Finance '
        'Minister Ola Ruud. "The numbers add up and every hospital will be safe," Ruud added.\n'
    )
    for q in _kind(facts, FactKind.QUOTE):
        if q.speaker == "Ola Ruud":
            assert q.level == "ready"
        else:
            assert q.level == "check", q  # "Analysts", "one of them": not a named person
    ruud = [q for q in _kind(facts, FactKind.QUOTE) if q.speaker == "Ola Ruud"]
    assert len(ruud) == 2


def test_a_quote_is_not_credited_to_the_outlet_that_reported_it() -> None:
    body = (
        '"The minister will not resign over this affair," a ministry aide told the Daily Courier.\n'
    )
    facts = _facts(body)
    (quote,) = _kind(facts, FactKind.QUOTE)
    assert quote.speaker is None or "Courier" not in quote.speaker
    assert quote.level == "check"
    courier = Fact(id="q", kind=FactKind.QUOTE, text=quote.text, speaker="Daily Courier")
    judged = conf.judge(courier, HEAD + body)
    assert judged.level == "check" and conf.OUTLET_SPEAKER in judged.reasons
    # A news agency that speaks for itself ("KCNA said …") is no outlet reporting others.
    agency = Fact(id="q2", kind=FactKind.QUOTE, text="The talks failed", speaker="KCNA")
    said = HEAD + "The talks failed, KCNA said.\n"
    assert conf.OUTLET_SPEAKER not in conf.judge(agency, said).reasons


def test_narration_is_no_statement_of_a_place() -> None:
    facts = _facts(
        "In Lagos, the river burst its banks after a week of rain. "
        "Kenya's capital stayed dry, and Nairobi reopened its schools.\n"
    )
    assert _kind(facts, FactKind.QUOTE) == []


def test_name_and_role_are_split_at_the_right_place() -> None:
    facts = _facts(
        "Secretary General of the Nordic Council Anna Berg said the meeting would take "
        "place in Oslo.\n"
    )
    (berg,) = _kind(facts, FactKind.PERSON)
    assert berg.name == "Anna Berg"
    assert berg.role == "Secretary General of the Nordic Council"
    (quote,) = _kind(facts, FactKind.QUOTE)
    assert quote.speaker == "Anna Berg" and quote.level == "ready"


def test_the_main_person_keeps_the_roles_the_text_gives() -> None:
    facts = _facts(
        "Maria Lind was elected to parliament in 2010. She later served as Minister of Health "
        "and founded the Green Future party. Lind said she would retire in June.\n"
    )
    (lind,) = _kind(facts, FactKind.PERSON)
    roles = {lind.role, *lind.roles}
    assert "Minister of Health" in roles
    assert "founder of the Green Future party" in roles
    assert any(r and "parliament" in r for r in roles)
    assert lind.level == "ready"


def test_a_quote_without_a_found_speaker_is_offered_with_the_speaker_to_fill_in() -> None:
    facts = _facts(
        "Rivers rose across the valley overnight.\n"
        '"We have never seen the water come up this fast in forty years of farming here."\n'
    )
    (quote,) = _kind(facts, FactKind.QUOTE)
    assert quote.speaker is None and quote.level == "check"
    assert quote.reasons[0] == conf.NO_SPEAKER
