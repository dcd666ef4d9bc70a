"""The seed deck holds every date, number and speaker of the article, with exact spans."""

from __future__ import annotations

import json
import re

import pytest

from quizapp.assets import content_path, seed_deck_path
from quizapp.cli import main
from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import FactKind

ARTICLE = content_path("seed", "article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def deck():  # type: ignore[no-untyped-def]
    return load_deck_file(seed_deck_path())


def test_article_is_the_shared_seed_article() -> None:
    assert ARTICLE.startswith("The Russian peacekeeping contingent leaves Nagorno-Karabakh.")
    assert "Kassym-Jomart Tokayev" in ARTICLE


def test_every_span_matches_the_article(deck) -> None:  # type: ignore[no-untyped-def]
    source = deck.source("seed")
    assert source is not None and source.text == ARTICLE
    assert source.published == "2024-04"
    for fact in deck.facts:
        assert fact.start is not None and fact.end is not None
        assert ARTICLE[fact.start : fact.end] == fact.text, fact.id
        assert fact.sentence and fact.text in fact.sentence, fact.id
        assert fact.sentence_start is not None
        assert ARTICLE[fact.sentence_start :].startswith(fact.sentence), fact.id


EXPECTED_DATES = {
    "November 10, 2020": "2020-11-10",
    "November of the same year": "2020-11",
    "April 16": "--04-16",
    "April 15": "--04-15",
    "1991": "1991",
}


def test_dates(deck) -> None:  # type: ignore[no-untyped-def]
    dates = [f for f in deck.facts if f.kind is FactKind.DATE]
    by_text = {f.text: f.value for f in dates}
    for text, value in EXPECTED_DATES.items():
        assert by_text.get(text) == value, text
    years = sorted(f.value for f in dates if f.text in ("2020", "2023"))
    assert years == ["2020", "2023"]
    # Every month name and every four-digit year of the article is inside a date fact.
    covered = [(f.start, f.end) for f in dates]
    for m in re.finditer(
        r"\b(January|February|March|April|May|June|July|August|September|"
        r"October|November|December|(19|20)\d\d)\b",
        ARTICLE,
    ):
        assert any(s <= m.start() < e for s, e in covered), m.group()
    for f in dates:
        assert f.stem and f.stem.endswith("?") and f.event


EXPECTED_NUMBERS = {
    # text: (value, unit, qualifier, word in counts)
    "five years": (5, "years", "at least", None),
    "1,960": (1960, None, None, "personnel"),
    "90": (90, None, None, "armored personnel carriers"),
    "380": (380, None, None, "vehicles"),
    "4": (4, None, None, "helicopters"),
    "43%": (43, "%", None, "trade"),
    "$7.3 billion": (7_300_000_000, "USD", None, "trade"),
    "10%": (10, "%", None, "weapons"),
    "50%": (50, "%", "more than", "weapons"),
}


def test_numbers(deck) -> None:  # type: ignore[no-untyped-def]
    numbers = {f.text: f for f in deck.facts if f.kind is FactKind.NUMBER}
    for text, (value, unit, qualifier, counts_word) in EXPECTED_NUMBERS.items():
        f = numbers[text]
        assert f.number_value == pytest.approx(value), text
        assert f.unit == unit, text
        assert f.qualifier == qualifier, text
        if counts_word:
            assert counts_word in (f.counts or ""), text
    third = [f for f in numbers.values() if "third" in f.text]
    assert len(third) == 1
    assert third[0].number_value == pytest.approx(0.333) and third[0].qualifier == "more than"
    assert len(numbers) == 10
    # Every digit group outside dates is a number fact; ordinals are not.
    date_spans = [(f.start, f.end) for f in deck.facts if f.kind is FactKind.DATE]
    number_spans = [(f.start, f.end) for f in numbers.values()]
    for m in re.finditer(r"\d[\d,.]*\d|\d", ARTICLE):
        inside_date = any(s <= m.start() < e for s, e in date_spans)
        inside_number = any(s <= m.start() < e for s, e in number_spans)
        assert inside_date or inside_number, m.group()
    assert not any("Second" in f.text or "first" in f.text for f in numbers.values())


SPEAKERS = {
    "Hikmet Hajiyev": "assistant to the President of Azerbaijan",
    "Dmitry Peskov": "Press Secretary of the President of Russia",
    "Grigory Karasin": "head of the Federation Council Committee on International Affairs",
    "Konstantin Zatulin": "first deputy chairman of the State Duma Committee on CIS Affairs",
    "Nikol Pashinyan": "Armenian Prime Minister",
    "Alexander Iskandaryan": "director of the Caucasus Institute",
}


def test_speakers_quotes_and_people(deck) -> None:  # type: ignore[no-untyped-def]
    quotes = [f for f in deck.facts if f.kind is FactKind.QUOTE]
    people = {f.name: f for f in deck.facts if f.kind is FactKind.PERSON}
    for name, role in SPEAKERS.items():
        assert people[name].role == role
        assert any(q.speaker == name and not q.reported for q in quotes), name
    assert people["Kassym-Jomart Tokayev"].role == "Kazakh President"
    # Every “…” quotation of the article is one verbatim quote fact.
    verbatim = {(q.start, q.end) for q in quotes if not q.reported}
    for m in re.finditer(r"“([^”]*)”", ARTICLE):
        assert (m.start(1), m.end(1)) in verbatim, m.group(1)[:40]
    assert len(verbatim) == 6
    peskov = next(q for q in quotes if q.speaker == "Dmitry Peskov")
    assert peskov.text == "Yes this is true"
    reported = {q.speaker for q in quotes if q.reported}
    assert {"Konstantin Zatulin", "Nikol Pashinyan", "Grigory Karasin"} <= reported
    roles = [p.role for p in people.values()]
    assert len(roles) == len(set(roles))


def test_facts_json_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", str(seed_deck_path()), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sources"][0] == {
        "id": "seed",
        "title": "Russian peacekeepers leave Nagorno-Karabakh",
        "published": "2024-04",
        "file": "article.txt",
        "licence": "Supplied by the project's owner for use in quizapp",
    }
    facts = {f["id"]: f for f in data["facts"]}
    heli = next(f for f in facts.values() if f["kind"] == "number" and f["text"] == "4")
    assert heli["value"] == 4 and heli["text"] == "4" and heli["kind"] == "number"
    assert heli["sentence"].startswith("In total, 1,960 military personnel")
    trade = next(f for f in facts.values() if f["kind"] == "number" and f["unit"] == "USD")
    assert trade["value"] == 7300000000 and isinstance(trade["value"], int)
    peskov = next(f for f in facts.values() if f.get("speaker") == "Dmitry Peskov")
    assert peskov == peskov | {
        "kind": "quote",
        "reported": False,
        "text": "Yes this is true",
        "role": "Press Secretary of the President of Russia",
    }
    for f in data["facts"]:
        assert ARTICLE[f["start"] : f["end"]] == f["text"]
    # The stored deck prints the same facts as the deck file, and says which ones no
    # question can ask (held back from study, with the reason a teacher reads).
    assert main(["facts", "seed", "--json"]) == 0
    stored = json.loads(capsys.readouterr().out)
    held = {f["id"]: f for f in stored["facts"] if "hold" in f}
    assert set(held) == {"q-peskov", "q-moscow-accuses", "q-armenia-position",
                         "q-pashinyan-clarified"}
    assert all(f["hold"] == "no_form" and f["reasons"] for f in held.values())
    assert [{k: v for k, v in f.items() if k not in ("hold", "reasons")}
            for f in stored["facts"]] == data["facts"]
