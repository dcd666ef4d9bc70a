"""Wire datelines, day-month date ranges, "told <outlet>" attributions and speakers
named in full: failure classes seen on unseen news articles.

Every text here is a short one written for the test, not copied from an article.
"""

from __future__ import annotations

from quizapp.extract import extract_facts
from quizapp.extract.confidence import SHARED_SURNAME
from quizapp.facts.model import Fact, FactKind


def _facts(text: str, published: str | None = "2021-05-07") -> list[Fact]:
    return extract_facts(text, published=published)


def _dates(text: str) -> list[Fact]:
    return [f for f in _facts(text) if f.kind is FactKind.DATE]


# --- a range of day-month dates is never two ready facts ---------------------------


def test_day_month_range_with_en_dash_is_not_two_ready_ends() -> None:
    text = (
        "Festival news\n\n"
        "The folk festival in Tampere was held over three days, 12 June–14 June 2019, "
        "and drew large crowds.\n"
    )
    ends = [d for d in _dates(text) if d.text in ("12 June", "14 June 2019")]
    assert {d.text for d in ends} == {"12 June", "14 June 2019"}
    assert all(d.level == "check" for d in ends), [(d.text, d.level) for d in ends]


def test_day_month_range_with_to_is_not_two_ready_ends() -> None:
    text = (
        "Choir news\n\nThe chamber choir toured Norway from 3 March to 9 March 2018 "
        "with a new programme.\n"
    )
    ends = [d for d in _dates(text) if d.text in ("3 March", "9 March 2018")]
    assert len(ends) == 2
    assert all(d.level == "check" for d in ends), [(d.text, d.level) for d in ends]


def test_day_month_range_with_hyphen_across_months() -> None:
    text = (
        "Summit news\n\nThe regional summit met in Bergen, 28 September-1 October 2017, "
        "to discuss fishing quotas.\n"
    )
    ends = [d for d in _dates(text) if d.text in ("28 September", "1 October 2017")]
    assert len(ends) == 2
    assert all(d.level == "check" for d in ends)


def test_a_single_day_month_date_stays_ready() -> None:
    # guard: one date beside a dash that opens a clause is no range
    text = (
        "Bridge news\n\nThe new bridge in Turku opened on 14 June 2019 after two years "
        "of work, the city said.\n"
    )
    (d,) = [d for d in _dates(text) if d.text.endswith("14 June 2019")]
    assert d.level == "ready", d.reasons


# --- a wire dateline is no part of the first sentence ------------------------------


def _evidence_is_the_text(text: str, f: Fact) -> None:
    assert f.start is not None and f.end is not None
    assert text[f.start : f.end] == f.text
    assert f.sentence is not None and f.sentence_start is not None
    s = f.sentence_start
    assert text[s : s + len(f.sentence)] == f.sentence


def test_wire_dateline_with_agency_is_left_out_of_the_stems() -> None:
    text = (
        "Miner bids for rival\nMonday, February 20, 2012\n\n"
        "PERTH (Reuters) - Australian miner Oriel Metals on Monday offered A$2.3 billion "
        "in cash for rival Quartz Nickel.\n\nThe offer runs until April.\n"
    )
    facts = _facts(text, published=None)
    bid = next(f for f in facts if f.kind is FactKind.NUMBER and f.text == "A$2.3 billion")
    day = next(f for f in facts if f.kind is FactKind.DATE and f.text == "on Monday")
    for f in (bid, day):
        assert "PERTH" not in (f.stem or "") and "Reuters" not in (f.stem or ""), f.stem
        assert "PERTH" not in (f.sentence or "")
        _evidence_is_the_text(text, f)
    assert bid.level == "ready", (bid.stem, bid.reasons)
    assert day.level == "ready", (day.stem, day.reasons)
    assert day.value == "2012-02-20"
    assert not [f for f in facts if f.kind is FactKind.PERSON and "PERTH" in (f.name or "")]


def test_wire_dateline_with_region_is_left_out() -> None:
    text = (
        "Pier vote\n\nOBAN, Scotland — The harbour board voted to spend 4 million pounds "
        "on a new pier.\n"
    )
    (n,) = [f for f in _facts(text) if f.kind is FactKind.NUMBER]
    assert n.stem is not None and "OBAN" not in n.stem and "Scotland" not in n.stem
    # the evidence highlighted is the sentence, without the dateline
    assert n.sentence is not None and n.sentence.startswith("The harbour board")
    _evidence_is_the_text(text, n)
    assert n.level == "ready", (n.stem, n.reasons)


def test_wire_dateline_day_is_the_reference_and_no_event() -> None:
    text = (
        "Terminal approved\n\nHELSINKI, May 12 (AP) — The city council on Tuesday approved "
        "a new ferry terminal.\n"
    )
    dates = _dates(text)
    assert [d.text for d in dates] == ["on Tuesday"]
    # the Tuesday before Wednesday 12 May 2021, not before the publication date (7 May)
    assert dates[0].value == "2021-05-11"
    assert "HELSINKI" not in (dates[0].stem or "")


def test_a_short_capitalised_word_and_dash_is_no_dateline() -> None:
    # guard: "NATO — the alliance …" opens a sentence; it is not cut off
    text = "Alliance news\n\nNATO — the alliance of 32 countries — met in Vilnius in 2023.\n"
    (d,) = _dates(text)
    assert "NATO" in (d.sentence or "")


# --- a question must not give the counted thing a verb of another clause ------------


def test_count_question_does_not_take_the_verb_of_a_later_clause() -> None:
    text = (
        "Court news\n\nA court on Thursday fined the shipping firm Clyde Lines 2.4 million "
        "pounds after it admitted safety failures.\n"
    )
    (n,) = [f for f in _facts(text) if f.kind is FactKind.NUMBER]
    assert n.level == "check", n.stem


def test_count_question_with_a_bare_participle_is_check() -> None:
    text = (
        "Trial news\n\nThe drug cut the risk of a stroke in a trial of 4,200 patients led "
        "by a hospital in Oslo.\n"
    )
    (n,) = [f for f in _facts(text) if f.kind is FactKind.NUMBER]
    assert n.level == "check", n.stem
    text = (
        "Trial news\n\nA drug cut the risk by a third in a trial of 4,200 patients led by a "
        "hospital in Oslo, doctors said.\n"
    )
    (n,) = [f for f in _facts(text) if f.kind is FactKind.NUMBER and f.text == "4,200"]
    assert n.level == "check", n.stem


def test_count_question_with_its_own_verb_stays_ready() -> None:
    # guard: the counted thing is the subject of its own verb
    text = "Strike news\n\nAbout 300 workers walked out of the plant in Leeds on Friday.\n"
    (n,) = [f for f in _facts(text) if f.kind is FactKind.NUMBER]
    assert n.level == "ready", (n.stem, n.reasons)


# --- "told <outlet>" is attribution, and half a sentence is no statement -------------


def _quotes(text: str) -> list[Fact]:
    return [f for f in _facts(text) if f.kind is FactKind.QUOTE]


def test_told_an_outlet_is_attribution_not_a_statement() -> None:
    text = (
        "Music news\n\nThe culture minister Anna Virtanen opened the hall on Monday.\n\n"
        '"Music belongs to everyone, young or old," Virtanen told the Finnish news '
        "agency STT.\n\n"
        '"The hall will stay open all year," Virtanen told Danish broadcaster DR.\n'
    )
    quotes = _quotes(text)
    said = {q.text for q in quotes}
    assert "Music belongs to everyone, young or old" in said
    assert "The hall will stay open all year" in said
    assert not [q for q in quotes if "STT" in q.text or "DR" in q.text.split()], said
    assert all(q.speaker == "Anna Virtanen" for q in quotes), [q.speaker for q in quotes]


def test_told_with_a_clause_is_still_a_statement() -> None:
    # guard: "told <someone> that …" reports what was said
    text = (
        "Port news\n\nHarbour master Jon Berg told reporters that the new pier would "
        "open in the spring.\n"
    )
    (q,) = _quotes(text)
    assert q.text.startswith("the new pier would open"), q.text
    assert q.speaker == "Jon Berg"


def test_a_statement_cut_before_its_quoted_end_is_check() -> None:
    text = (
        "Music news\n\nThe culture minister Anna Virtanen said the festival had given the "
        'town "a reason to be proud."\n'
    )
    quotes = _quotes(text)
    (cut,) = [q for q in quotes if q.reported]
    assert cut.text.endswith("given the town"), cut.text
    assert cut.level == "check", cut.reasons


def test_a_whole_quote_after_said_stays_ready() -> None:
    # guard: a quote that is a sentence of its own is no fragment
    text = (
        "Music news\n\nThe culture minister Anna Virtanen said: "
        '"The festival has given the town a reason to be proud."\n'
    )
    (q,) = _quotes(text)
    assert q.level == "ready", q.reasons


# --- a speaker the text names in full carries the full name --------------------------


def test_surname_speaker_takes_the_full_name_the_text_gives() -> None:
    text = (
        "Ferry news\n\nChief executive of Isle Lines Robert Dunbar apologised to the "
        "passengers.\n\n"
        '"We let down our passengers and our own staff," said Dunbar.\n'
    )
    (q,) = _quotes(text)
    assert q.speaker == "Robert Dunbar"
    assert q.level == "ready", q.reasons


def test_role_speaker_takes_the_name_after_the_role() -> None:
    text = (
        "Mining news\n\n"
        '"This is the best copper deposit in the state," said Oriel\'s managing '
        "director, Peter Hallam.\n"
    )
    (q,) = _quotes(text)
    assert q.speaker == "Peter Hallam"
    assert q.role == "Oriel's managing director"


def test_surname_shared_by_two_people_is_check() -> None:
    # guard both ways: two people named Dunbar, so "said Dunbar" is not resolved
    text = (
        "Ferry news\n\nRobert Dunbar runs Isle Lines; his sister Fiona Dunbar runs its "
        "rival.\n\n"
        '"We let down our passengers and our own staff," said Dunbar.\n'
    )
    (q,) = _quotes(text)
    assert q.level == "check", q.reasons
    assert SHARED_SURNAME in q.reasons


def test_a_title_before_the_surname_is_no_first_name() -> None:
    text = (
        "Court news\n\nJudge Dunbar heard the case in Oban.\n\n"
        '"The company ignored every warning it was given," said Dunbar.\n'
    )
    (q,) = _quotes(text)
    assert q.speaker == "Dunbar"


def test_one_person_spelt_two_ways_is_no_shared_surname() -> None:
    # guard: "Kristin" and "Kristen" a letter apart are one person, not two
    text = (
        "Art news\n\nKristin Wilkins, curator of the show, opened it on Friday.\n\n"
        "Kristen Wilkins, who teaches photography, chose the prints.\n\n"
        '"The prints show how he worked," said Wilkins.\n'
    )
    (q,) = _quotes(text)
    assert SHARED_SURNAME not in q.reasons


def test_lead_sentence_verb_keeps_its_base_form() -> None:
    # "fined" asks "When did … fine …?", not "fin"; "joined" stays "join"
    text = (
        "Court news\n\nGLASGOW (Reuters) - A court on Thursday fined the ferry firm "
        "Isle Lines for a fire on one of its ships.\n\n"
        "The town joined the league on Monday after a long vote.\n"
    )
    stems = [d.stem or "" for d in _dates(text)]
    assert any(" fine the ferry firm" in s for s in stems), stems
    assert any(" join the league" in s for s in stems), stems
