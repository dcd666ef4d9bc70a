"""Confidence of extracted facts (ready / check with reasons) and the stem gate.

Every text here is a short one written for the test, not copied from an article.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from quizapp.extract import confidence as conf
from quizapp.extract import extract_facts
from quizapp.extract.stem_gate import (
    GARBLED,
    LEAKS,
    NO_EVENT,
    NO_ROLE,
    NOT_A_QUESTION,
    PRONOUN,
    SHORT_QUOTE,
    UNCLEAR_COUNT,
    stem_problem,
)
from quizapp.facts.model import Fact, FactKind

ROOT = Path(__file__).resolve().parent.parent


def _date(stem: str | None, text: str = "March 3") -> Fact:
    return Fact(id="d", kind=FactKind.DATE, text=text, value="2020-03-03", stem=stem)


def _number(stem: str | None, text: str = "40") -> Fact:
    return Fact(id="n", kind=FactKind.NUMBER, text=text, value=40.0, stem=stem)


def _facts(text: str, published: str | None = "2021-05-07") -> list[Fact]:
    return extract_facts(text, source_id="t", published=published)


# ---- the stem gate -------------------------------------------------------------------


def test_gate_passes_complete_questions() -> None:
    assert stem_problem(_date("When did the council open the new bridge?")) is None
    assert stem_problem(_number("How many workers lost their jobs at the plant?")) is None
    assert stem_problem(_number("How much was the estimated cost of the bridge?", "$4m")) is None
    assert stem_problem(_number("What percentage of voters took part?", "58%")) is None


def test_gate_refuses_broken_stems() -> None:
    assert stem_problem(_date("When did this happen?")) == NO_EVENT
    assert stem_problem(_date(None)) is not None
    assert stem_problem(_date("When: the council and the mayor?")) == NOT_A_QUESTION
    assert stem_problem(_number("How many workers?")) == UNCLEAR_COUNT
    assert stem_problem(_number("How much was Cost?", "$4m")) == UNCLEAR_COUNT
    assert stem_problem(_number("How many years — left?", "3 years")) == GARBLED
    assert stem_problem(_number("How many the area near the posts?")) == UNCLEAR_COUNT
    assert stem_problem(_number("How many of the 40 workers lost their jobs?")) == LEAKS


def test_gate_refuses_spliced_and_verbless_questions() -> None:
    assert stem_problem(_date("When has Despite an increase in traffic?")) == GARBLED
    assert stem_problem(_date("When will Mayor Ana Ruiz announces?")) == GARBLED
    assert stem_problem(_date("When did Ana Ruiz, a second year student?")) == GARBLED
    assert stem_problem(_date("When was the bridge, with the consent of the city?")) == GARBLED
    assert stem_problem(_date("When did Sweden beat Korea 1?")) == GARBLED
    assert stem_problem(_number("How many years have we farmed in of the valley?")) == GARBLED
    assert stem_problem(_date("When was the bridge opened to traffic?")) is None
    assert stem_problem(_date("When did Ana Ruiz, after having leave the club?")) == GARBLED
    assert stem_problem(_date("When did Ruiz observe that the start of the program?")) == GARBLED
    assert stem_problem(_date("When did Ruiz say that the program had ended?")) is None
    assert stem_problem(_date("When was he released on bail?")) == PRONOUN
    assert stem_problem(_number("How many points did According to the coach score?")) == GARBLED
    assert stem_problem(_number("How many teams were There also scheduled to play?")) == GARBLED
    assert stem_problem(_number("How many teams is the country not one of?")) == GARBLED
    assert stem_problem(_number("How many teams did the league admit this year?")) is None


def test_gate_on_quotes_and_people() -> None:
    short = Fact(id="q", kind=FactKind.QUOTE, text="bold step", speaker="Ana Ruiz")
    assert stem_problem(short) == SHORT_QUOTE
    nobody = Fact(id="p", kind=FactKind.PERSON, text="Ana Ruiz", name="Ana Ruiz")
    assert stem_problem(nobody) == NO_ROLE
    mayor = Fact(id="p2", kind=FactKind.PERSON, text="Ana Ruiz", name="Ana Ruiz", role="mayor")
    assert stem_problem(mayor) is None


def test_gate_decides_the_level() -> None:
    fact = conf.judge(_date("When did this happen?"), "March 3")
    assert fact.level == "check" and NO_EVENT in fact.reasons


# ---- levels and reasons from the extractor's evidence ------------------------------


def test_every_extracted_fact_has_a_level() -> None:
    text = (
        "Port closed\n"
        "The port of Varna closed on Friday after 3 ships collided in the harbour.\n"
        '"Nobody was hurt," said harbour master Lena Vogt.\n'
    )
    facts = _facts(text)
    assert facts
    for f in facts:
        assert f.level in {"ready", "check"}
        assert (f.level == "check") == bool(f.reasons)
    quote = next(f for f in facts if f.kind is FactKind.QUOTE)
    assert quote.speaker == "Lena Vogt" and quote.level == "ready", quote.reasons


def test_quote_without_speaker_is_offered_for_checking() -> None:
    text = (
        "Flood warning\n"
        "Rivers rose across the valley overnight.\n"
        '"We have never seen the water come up this fast in forty years of farming here."\n'
    )
    quotes = [f for f in _facts(text) if f.kind is FactKind.QUOTE]
    assert len(quotes) == 1
    q = quotes[0]
    assert q.speaker is None and q.level == "check"
    assert conf.NO_SPEAKER in q.reasons


def test_speaker_from_an_earlier_sentence_is_checked() -> None:
    text = (
        "Mine reopens\n"
        '"The shafts are safe again," said engineer Tomas Brandt.\n'
        "Work stopped in March after a small collapse. The owners paid for new supports.\n"
        '"Nobody goes down until every beam has been tested twice by an inspector."\n'
    )
    quotes = [f for f in _facts(text) if f.kind is FactKind.QUOTE]
    first, second = quotes
    assert first.speaker == "Tomas Brandt" and first.level == "ready"
    if second.speaker is not None:
        assert conf.EARLIER_SPEAKER in second.reasons
    assert second.level == "check"


def test_extract_json_carries_level_and_reasons(tmp_path: Path) -> None:
    article = tmp_path / "story.txt"
    article.write_text(
        "Port closed\nMonday, March 4, 2019\n"
        "The port of Varna closed on Friday after 3 ships collided in the harbour.\n"
        '"Nobody was hurt," said harbour master Lena Vogt.\n',
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QUIZAPP_HOME": str(tmp_path / "home")}
    out = subprocess.run(
        [sys.executable, "-m", "quizapp", "extract", str(article), "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    data = json.loads(out.stdout)
    assert data["facts"]
    for f in data["facts"]:
        assert f["level"] in {"ready", "check"}
        assert isinstance(f["reasons"], list)
        assert (f["level"] == "check") == bool(f["reasons"])
