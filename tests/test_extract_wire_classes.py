"""Wire datelines, day-month date ranges, "told <outlet>" attributions and speakers
named in full: failure classes seen on unseen news articles.

Every text here is a short one written for the test, not copied from an article.
"""

from __future__ import annotations

from quizapp.extract import extract_facts
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
