"""Right facts made *ready* by precise rules, wrong ones still held for checking.

A *check* reason that fires on right facts whose question reads well costs the
teacher work for nothing; each rule here narrows such a reason to the cases that
are truly in doubt. Every text is a short one written for the test, not copied
from an article.
"""

from __future__ import annotations

from quizapp.extract import confidence as conf
from quizapp.extract import extract_facts
from quizapp.facts.model import Fact, FactKind

FERRY = """Harbour town opens new ferry line

The mayor of Nordvik, Kari Dahl, opened the ferry line on Monday. "We waited ten years for \
this boat and the town is proud of it," Dahl said.

{between}"The first crossing was full, and the next three are sold out already."
"""


def _facts(text: str) -> list[Fact]:
    return extract_facts(text, source_id="t", published="2021-05-07")


def _quotes(text: str) -> list[Fact]:
    return [f for f in _facts(text) if f.kind is FactKind.QUOTE]


def test_a_quote_that_goes_straight_on_from_a_named_speaker_is_ready() -> None:
    first, second = _quotes(FERRY.format(between=""))
    assert first.speaker == second.speaker == "Kari Dahl"
    assert second.level == conf.READY, second.reasons


def test_a_carried_speaker_with_another_person_named_in_between_is_check() -> None:
    text = FERRY.format(between="The harbour master, Jon Berg, counted the passengers. ")
    second = _quotes(text)[1]
    assert second.speaker == "Kari Dahl"
    assert second.level == conf.CHECK
    assert conf.EARLIER_SPEAKER in second.reasons
    # by surname alone, too (the full name written earlier in the article)
    text = FERRY.format(between="Later Berg counted the passengers. ").replace(
        "on Monday.", "on Monday with the harbour master Jon Berg."
    )
    second = _quotes(text)[1]
    assert second.speaker == "Kari Dahl"
    assert conf.EARLIER_SPEAKER in second.reasons
