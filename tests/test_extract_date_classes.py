"""Dates a teacher can trust: each class of wrong or missed date found on the
development part has a rule and a test on a short text written for the test."""

from __future__ import annotations

import re
from pathlib import Path

from quizapp.extract import confidence as conf
from quizapp.extract import extract_facts, read_article
from quizapp.extract.stem_gate import GARBLED, stem_problem
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


# ---- a date that belongs to a noun phrase, not to the sentence's verb --------------


def test_a_date_of_a_named_thing_is_asked_about_that_thing() -> None:
    text = "The two towns agreed on a shared bus line under the Harbour Accord of 1988."
    d = _one(text, "1988")
    assert d.stem == "When was the Harbour Accord?"
    assert d.level == "ready"
    d = _one("The mill was rebuilt after the results of the Great Valley Flood in 1931.", "1931")
    assert d.stem == "When was the Great Valley Flood?"
    d = _one("The plan rests on a joint letter dated March 3, 2019.", "March 3, 2019")
    assert d.stem == "When was the joint letter dated?"
    assert d.level == "ready"


def test_an_event_noun_with_its_of_phrase_keeps_the_phrase() -> None:
    text = "The claim follows from the ruling of the Northern Appeals Court on June 4."
    d = _one(text, "June 4")
    assert d.stem == "When was the ruling of the Northern Appeals Court?"


def test_an_anniversary_keeps_its_date_away_from_the_thing_remembered() -> None:
    # the ceremony marks the 50th anniversary of the first flight; the first flight was
    # not on 9 May 2020
    text = (
        "The club held a dinner commemorating the 50th anniversary of the first flight "
        "on May 9, 2020."
    )
    d = _one(text, "May 9, 2020")
    assert d.stem != "When was the first flight?"
    # the date is the dinner's
    assert d.stem == "When was the dinner commemorating the 50th anniversary of the first flight?"


def test_a_noun_that_is_no_event_or_a_one_word_name_is_left_to_the_clause() -> None:
    # "the results in 2021" is no event noun; "the Battle of 1815" is checked as before
    d = _one("The school was praised after the results in 2021.", "2021")
    assert d.stem != "When was the results?"
    d = _one("He wrote a book about the Battle of 1815.", "1815")
    assert d.level == "check"


# ---- ranges and alternatives: both ends checked, neither left in the question -------


def test_both_ends_of_a_range_are_checked_and_the_question_drops_the_range() -> None:
    text = "The two clubs owe rent for the years from 2011 to 2014, the court found."
    for written in ("2011", "2014"):
        d = _one(text, written)
        assert d.level == "check", written
        assert "2011" not in (d.stem or "") and "2014" not in (d.stem or ""), d.stem
        assert not re.search(r"\b(?:from|to)\s*(?:,|\?)", d.stem or ""), d.stem
    text = "The fair runs from June 2 through June 9 in the old market hall."
    for written in ("June 2", "June 9"):
        d = _one(text, written)
        assert d.level == "check", written
        assert "through" not in (d.stem or ""), d.stem


# ---- a date restated in parentheses or set off by dashes ----------------------------


def test_a_date_in_parentheses_after_a_weekday_is_asked_with_its_sentence() -> None:
    text = "A sudden hail storm on Friday night (May 1) sent the crowd running for the trams."
    d = _one(text, "May 1")
    assert d.stem == ("When did a sudden hail storm send the crowd running for the trams?"), d.stem
    assert "Friday" not in (d.stem or "")


def test_a_date_set_off_by_dashes_after_a_name_leaves_no_dash_behind() -> None:
    text = "The mayor opened the new bridge on Founders Day - March 12 - last year."
    d = _one(text, "March 12")
    assert d.stem is not None and " - " not in d.stem and "-?" not in d.stem, d.stem
    assert d.stem.startswith("When did the mayor open the new bridge on Founders Day")


# ---- a second clause, a phrase about the time, a score -------------------------------


def test_a_second_clause_joined_by_and_with_a_named_subject_is_left_out() -> None:
    text = "The strike began on March 2 and Unison says the strike will go on."
    d = _one(text, "March 2")
    assert d.stem == "When did the strike begin?"


def test_a_phrase_about_the_time_after_a_fronted_date_is_left_out() -> None:
    text = "Yesterday, day three of the spring cup, Lunds defeated Malmo 2 – 1 at home."
    d = _one(text, "Yesterday")
    assert d.stem == "When did Lunds defeat Malmo at home?", d.stem


def test_a_regular_past_in_mo_ted_keeps_its_e() -> None:
    d = _one("The council promoted the new cycle path in April 2019.", "April 2019")
    assert d.stem == "When did the council promote the new cycle path?"


# ---- the dateline is the date the text refers to -------------------------------------


def test_relative_dates_count_from_the_text_s_own_dateline() -> None:
    # the dateline says 19 May; a publication date given from elsewhere says 18 May
    text = "Rowing club wins\nTuesday, May 19, 2020\nYesterday, the rowing club won the cup.\n"
    d = _one(text, "Yesterday", published="2020-05-18")
    assert d.value == "2020-05-18"


# ---- readiness: precise reasons -----------------------------------------------------


def test_a_date_followed_by_and_a_name_is_no_range() -> None:
    d = _one("The strike began on March 2 and Unison says it will go on.", "March 2")
    assert conf.ALTERNATIVE not in d.reasons
    assert d.level == "ready"
    # a month after "and" is a second date
    d = _one("The fair opens on March 2 and March 9 this spring.", "March 2")
    assert conf.ALTERNATIVE in d.reasons


def test_a_date_in_parentheses_restating_a_weekday_is_no_side_remark() -> None:
    d = _one("A hail storm on Friday night (May 1) sent the crowd home.", "May 1")
    assert conf.SIDE_REMARK not in d.reasons
    # a founding year in parentheses is still one
    d = _one("The union (founded 1957) joined the talks on Monday.", "1957")
    assert conf.SIDE_REMARK in d.reasons


# ---- the clause a date belongs to when a sentence joins two --------------------------


def test_a_date_opening_a_second_main_clause_dates_that_clause() -> None:
    text = "The shop reopened at noon, but by the end of the day Sunday the shop was closed again."
    d = _one(text, "Sunday")
    assert d.stem == "When was the shop closed again?", d.stem


def test_a_date_in_a_with_phrase_dates_the_phrase() -> None:
    text = (
        "The council has planned a series of town meetings, with the first meeting set to "
        "take place in Lund on June 3."
    )
    d = _one(text, "June 3")
    assert d.stem == "When is the first meeting set to take place in Lund?"
    assert d.level == "ready"


def test_a_phrase_between_subject_and_verb_is_left_out_but_a_time_phrase_is_checked() -> None:
    text = "On May 4, the mayor, in a short speech, opened the new library."
    d = _one(text, "May 4")
    assert d.stem == "When did the mayor open the new library?"
    assert d.level == "ready"
    text = "On May 4, the mayor, following talks with the unions, opened the new library."
    d = _one(text, "May 4")
    assert d.stem == "When did the mayor open the new library?"
    assert conf.OTHER_CLAUSE in d.reasons


def test_was_with_a_present_participle_is_a_question() -> None:
    assert stem_problem(_date_fact("When was the site not loading at all?")) is None
    assert stem_problem(_date_fact("When was the opening match of the cup?")) is None
    assert stem_problem(_date_fact("When was the museum, with the consent of the city?")) == (
        GARBLED
    )


def _date_fact(stem: str) -> Fact:
    return Fact(id="d", kind=FactKind.DATE, text="May 3", value="2020-05-03", stem=stem)


def test_a_day_without_a_year_takes_the_relative_year_written_after_it() -> None:
    text = "The minister opened the new port on Harbour Day - June 2 - last year."
    assert _one(text, "June 2").value == "2019-06-02"
    # a day with no year phrase after it stays a day without a year
    assert _one("The minister opened the new port on June 2.", "June 2").value == "--06-02"


def test_a_sentence_that_is_only_a_date_gives_no_question_and_no_error() -> None:
    for text in ("Yesterday.", "On Monday.", "March 2011\n\nOn June 3.", "From 2001 to 2004."):
        for d in _dates(text):
            assert d.level == "check", (text, d.stem)


def test_a_year_counted_from_the_dateline_is_sure_but_one_counted_from_the_text_is_not() -> None:
    text = "Museum news\nTuesday, May 5, 2020\nThe museum sold its old tram last year.\n"
    d = _one(text, "last year")
    assert d.value == "2019"
    assert conf.RELATIVE not in d.reasons
    text = (
        "Museum news\nTuesday, May 5, 2020\n"
        "The museum bought a tram in 1998 and sold it the next year.\n"
    )
    d = _one(text, "the next year")
    assert d.value == "1999"
    assert conf.RELATIVE in d.reasons
    d = _one("Museum news\nTuesday, May 5, 2020\nThe tram will run next Tuesday.\n", "next Tuesday")
    assert conf.RELATIVE in d.reasons


def test_a_question_ending_in_a_dash_is_garbled() -> None:
    assert stem_problem(_date_fact("When did the mayor open the bridge on Founders Day -?")) == (
        GARBLED
    )


# ---- what a date question keeps and leaves out --------------------------------------


def test_a_long_question_is_never_cut_inside_a_number() -> None:
    text = (
        "The regional ferry company carried a record 12,500 passengers across the wide "
        "northern bay between the two old harbour towns of the province last summer "
        "according to the company's own annual figures in 2019."
    )
    d = _one(text, "2019")
    assert not re.search(r"\d\?$", d.stem or ""), d.stem


def test_a_dateline_run_into_the_first_sentence_is_left_out_of_its_question() -> None:
    text = (
        "Flag vote\nThursday, May 7, 2020 On Tuesday, the city council announced a vote "
        "on a new flag.\n"
    )
    d = _one(text, "On Tuesday")
    assert d.stem == "When did the city council announce a vote on a new flag?"
    assert d.value == "2020-05-05"


def test_a_date_that_owns_a_noun_dates_that_noun() -> None:
    text = "Ferry plan\nTuesday, May 5, 2020\nToday's announcement was a shock to the crews.\n"
    d = _one(text, "Today")
    assert d.stem == "When was the announcement?"
    assert d.value == "2020-05-05"


def test_a_fronted_phrase_after_an_opening_date_is_left_out() -> None:
    d = _one("In 2001, at age nine, the boy was sent to a school in Bergen.", "2001")
    assert d.stem == "When was the boy sent to a school in Bergen?", d.stem


def test_a_speaker_s_today_in_a_first_person_paragraph_is_checked() -> None:
    # the speaker's "today" is the day they spoke, which may be before the dateline
    text = (
        "Ferry plan\nTuesday, May 5, 2020\n"
        "Today's announcement is a blow to our crews, and I am deeply disappointed.\n"
    )
    d = _one(text, "Today")
    assert d.stem == "When was the announcement?"
    assert conf.RELATIVE in d.reasons


# ---- from reading questions of two test articles -------------------------------------


def test_a_second_predicate_of_the_same_subject_is_left_out() -> None:
    text = "The two sailors were first fined in May 2019, but won their appeal in June."
    d = _one(text, "May 2019")
    assert d.stem == "When were the two sailors first fined?", d.stem


def test_a_text_file_whose_first_line_is_a_dateline_has_no_title(tmp_path: Path) -> None:
    path = tmp_path / "sailors.txt"
    path.write_text("Today is Thursday, June 10th, 2010.\nTwo sailors were fined.\n")
    article = read_article(path)
    assert article.title is None
    path.write_text("Sailors fined\nThursday, June 10, 2010\nTwo sailors were fined.\n")
    assert read_article(path).title == "Sailors fined"


def test_the_same_year_written_earlier_in_the_sentence_is_not_in_doubt() -> None:
    text = "The two sailors were fined in May 2019, but won their appeal in June of the same year."
    d = _one(text, "June of the same year")
    assert d.value == "2019-06"
    assert conf.RELATIVE not in d.reasons
    # the year in the sentence before: still checked
    text = "The sailors were fined in 2019. They won their appeal in June of the same year."
    assert conf.RELATIVE in _one(text, "June of the same year").reasons


def test_a_date_in_a_second_predicate_is_asked_with_the_clause_s_subject() -> None:
    text = "The two sailors were fined in May 2019, but won their appeal in June of the same year."
    d = _one(text, "June of the same year")
    assert d.stem == "When did the two sailors win their appeal?", d.stem
    assert _one(text, "May 2019").stem == "When were the two sailors fined?"


def test_a_fronted_phrase_opener_as_subject_or_a_dangling_and_is_garbled() -> None:
    stem = "When would Based on the closing price of the shares, each share be valued at and?"
    assert stem_problem(_date_fact(stem)) == GARBLED
    assert stem_problem(_date_fact("When would each share be valued at 600 pence and?")) == (
        GARBLED
    )
    assert stem_problem(_date_fact("When would each share be valued at 600 pence?")) is None


# ---- a date inside what someone said or found -----------------------------------------


def test_a_date_inside_what_was_said_is_asked_about_what_was_said_and_checked() -> None:
    text = "The coach told the Daily Courier that the team flew home on March 3."
    d = _one(text, "March 3")
    assert d.stem == "When did the team fly home?", d.stem
    assert conf.IN_THAT_CLAUSE in d.reasons
    text = "The survey found that as of May 1, 2019, the park has 40 wolves."
    d = _one(text, "May 1, 2019")
    assert d.stem == "When did the park have 40 wolves?", d.stem


def test_a_year_before_a_lower_case_noun_dates_that_noun() -> None:
    text = "The guide noted that the 2012 opening of the new wing, which cost little, drew crowds."
    d = _one(text, "2012")
    assert d.stem == "When was the opening of the new wing?", d.stem
    # before a capitalised name (a recurring event) it does not
    d = _one("Many pilgrims died during the 1991 Hajj in the valley.", "1991")
    assert d.stem != "When was the Hajj?"


def test_a_sentence_of_thousands_of_words_gives_each_date_a_bounded_evidence() -> None:
    # each date reads only the clauses around it, so that time and memory stay linear
    # in the text (the sentence here has 7,500 words and 500 dates)
    text = "Report\n" + ", and ".join(
        f"the council said that the bridge opened on May {i % 28 + 1}, 2019 in the town"
        for i in range(500)
    ) + ".\n"
    dates = [f for f in _dates(text) if f.text.startswith("May")]
    assert len(dates) == 500
    for d in dates:
        assert d.sentence is not None and d.sentence_start is not None
        assert len(d.sentence) <= 1300
        assert text[d.sentence_start : d.sentence_start + len(d.sentence)] == d.sentence
        assert d.text in d.sentence
    assert dates[250].stem == "When did the bridge open in the town?", dates[250].stem


def test_a_trailing_apposition_is_left_out_and_a_name_ending_in_a_digit_is_no_score() -> None:
    text = "The probe left the launch pad at Kourou on Ariane-5, the largest rocket, in 2009."
    d = _one(text, "2009")
    assert d.stem == "When did the probe leave the launch pad at Kourou on Ariane-5?", d.stem
    assert d.level == "ready"
    assert stem_problem(_date_fact("When did the probe reach orbit on flight STS-1?")) is None
    assert stem_problem(_date_fact("When did Sweden defeat South Korea 1?")) == GARBLED
