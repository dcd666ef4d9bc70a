"""Exporters: deck files, CSV and Anki packages, each read back by quizapp (and by Anki)."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from quizapp.exporters import ExportError, export_deck
from quizapp.exporters.apkg import build_package
from quizapp.exporters.common import question_cards
from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck, DeckOptions, Fact, FactKind
from quizapp.importers import detect_and_load, import_file
from quizapp.importers.htmltext import html_to_text
from quizapp.services.collection import Collection

from .conftest import SEED_DECK

FIXTURES = Path(__file__).parent / "fixtures" / "import"

TRICKY_DECK = r'''
format = 1
id = "tricky"
name = "Tricky \"quoted\" deck"
description = "Backslashes \\ and tabs\t."
number_tolerance = 0.05

[[sources]]
id = "a"
title = "Article with CRLF"
text = """First line.\r\nIt said 12 things on "March 3, 2021".\r\n\
    Then 12 more, and 1e20 stars.\u0001 \\ end"""
published = "2021-03"
url = "https://example.org/a"

[[facts]]
id = "n-first"
kind = "number"
source = "a"
text = "12"
occurrence = 1
value = 12
counts = "things said"
stem = "How many things did it say?"

[[facts]]
id = "n-second"
kind = "number"
source = "a"
text = "12"
occurrence = 2
value = 12.5
unit = "%"
qualifier = "about"
counts = "more things"
stem = "How many more?"
tags = ["two words", "x"]

[[facts]]
id = "n-stars"
kind = "number"
source = "a"
text = "1e20"
value = 1e20
counts = "stars"
stem = "How many stars?"

[[facts]]
id = "d-march"
kind = "date"
source = "a"
text = "March 3, 2021"
value = "2021-03-03"
stem = "When?"
event = "It was said"

[[facts]]
id = "qa.1"
kind = "qa"
front = """Multi-line
front with "quotes" and \\ backslash"""
back = "Back, with comma; and semicolon\ttab"
'''


def facts_without_evidence(deck: Deck) -> list[Fact]:
    return [dataclasses.replace(f, sentence=None, sentence_start=None) for f in deck.facts]


def qa_deck() -> Deck:
    fronts = [
        ("peru", "Capital of Peru?", "Lima", ("geography", "south-america")),
        ("quote", 'He said "yes, really"', "Quote, with comma", ()),
        ("lines", "Two\nlines", "and\r\nCRLF", ("x",)),
        ("hash", "#separator:tab looks like a header", "but is a row", ()),
        ("uni", "Ünïcödé — “quotes”", "東京", ("日本",)),
    ]
    return Deck(
        id="capitals",
        name="Capitals",
        description="Q/A notes",
        facts=tuple(Fact(id=i, kind=FactKind.QA, front=f, back=b, tags=t) for i, f, b, t in fronts),
    )


# --------------------------------------------------------------------------
# Deck files


def test_seed_deck_round_trips_through_toml(tmp_path: Path) -> None:
    seed = load_deck_file(SEED_DECK)
    path = tmp_path / "out" / "seed.toml"
    path.parent.mkdir()
    export_deck(seed, path)
    again = load_deck_file(path)
    assert again.facts == seed.facts
    assert again.speakers == seed.speakers and len(seed.speakers) >= 5
    assert (again.id, again.name, again.description) == (seed.id, seed.name, seed.description)
    assert [s.text for s in again.sources] == [s.text for s in seed.sources]
    assert [dataclasses.replace(s, file=None) for s in again.sources] == [
        dataclasses.replace(s, file=None) for s in seed.sources
    ]
    assert sorted(p.name for p in path.parent.iterdir()) == ["seed.toml"]


def test_tricky_deck_round_trips_through_toml(tmp_path: Path) -> None:
    src = tmp_path / "tricky.toml"
    src.write_text(TRICKY_DECK, encoding="utf-8")
    deck = load_deck_file(src)
    assert deck.sources[0].text.count("\r\n") == 2
    out = tmp_path / "copy.toml"
    export_deck(deck, out)
    again = load_deck_file(out)
    assert again == deck
    assert again.options == DeckOptions(number_tolerance=0.05)
    assert again.fact("n-second").start != again.fact("n-first").start


def test_imported_decks_export_as_valid_deck_files(tmp_path: Path) -> None:
    for fixture in ("anki_current.apkg", "libreoffice.csv", "anki_notes.txt", "quizlet.txt"):
        deck = detect_and_load(FIXTURES / fixture)
        out = tmp_path / f"{fixture}.toml"
        export_deck(deck, out)
        # A package's media are read from it as they are written (or stored).
        assert load_deck_file(out) == dataclasses.replace(deck, media=tuple(deck.media))


def test_stored_deck_exports_and_loads_back(tmp_path: Path, db_url: str) -> None:
    with Collection.open(db_url) as col:
        col.import_deck(detect_and_load(FIXTURES / "anki_legacy.apkg"))
        from quizapp.services.media import with_media

        stored = with_media(col, col.load_deck("geography"))  # its picture comes along
        seed = col.load_deck("seed")
    assert [m.name for m in stored.media] == ["flag.png"]
    export_deck(stored, tmp_path / "geo.toml")
    assert load_deck_file(tmp_path / "geo.toml") == stored
    export_deck(seed, tmp_path / "seed.toml")
    assert facts_without_evidence(load_deck_file(tmp_path / "seed.toml")) == (
        facts_without_evidence(seed)
    )


# --------------------------------------------------------------------------
# CSV


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_qa_deck_round_trips_through_csv(tmp_path: Path, suffix: str) -> None:
    deck = qa_deck()
    path = tmp_path / f"capitals{suffix}"
    export_deck(deck, path)
    result = import_file(path)
    assert result.notices == ()
    again = result.deck
    assert again.id == deck.id
    assert again.facts == deck.facts
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (suffix == ".csv")
    assert b"\r\n" in raw


def test_tags_with_spaces_are_joined_for_csv(tmp_path: Path) -> None:
    deck = Deck("t", "t", facts=(Fact("a", FactKind.QA, front="q", back="a", tags=("two words",)),))
    export_deck(deck, tmp_path / "t.csv")
    assert detect_and_load(tmp_path / "t.csv").facts[0].tags == ("two_words",)


def test_fact_deck_exports_one_row_per_card(tmp_path: Path) -> None:
    seed = load_deck_file(SEED_DECK)
    path = tmp_path / "seed-questions.csv"
    export_deck(seed, path)
    cards = question_cards(seed)
    result = import_file(path)
    assert result.notices == ("columns not imported: Evidence",)
    assert [(f.id, f.front, f.back) for f in result.deck.facts] == [
        (c.id, c.question, c.answer) for c in cards
    ]
    families = {c.id.rsplit(".", 1)[1] for c in cards}
    assert families == {"recognise", "recall"}
    choice = next(c for c in cards if c.choices)
    assert choice.question.endswith(
        "\n".join(f"{'ABCD'[i]}. {x}" for i, x in enumerate(choice.choices))
    )
    assert choice.answer in choice.choices
    assert all(c.evidence for c in cards if not c.fact_id.startswith("qa"))


# --------------------------------------------------------------------------
# Anki packages


def test_fact_deck_apkg_reimports_with_the_same_notes(tmp_path: Path) -> None:
    seed = load_deck_file(SEED_DECK)
    path = tmp_path / "seed.apkg"
    export_deck(seed, path)
    deck = detect_and_load(path)
    cards = question_cards(seed)
    assert len(deck.facts) == len(cards)
    assert [(f.front, f.back) for f in deck.facts] == [
        (html_to_text(c.question.replace("\n", "<br>")), c.answer) for c in cards
    ]
    assert deck.name == seed.name
    # Questions come back as a deck of their own, never over the fact deck.
    assert deck.id != seed.id
    assert [f.id for f in deck.facts] == [c.id for c in cards]


def test_qa_deck_apkg_reimports_with_the_same_notes(tmp_path: Path) -> None:
    deck = qa_deck()
    export_deck(deck, tmp_path / "capitals.apkg")
    again = detect_and_load(tmp_path / "capitals.apkg")
    assert [(f.front, f.back) for f in again.facts] == [
        ("Capital of Peru?", "Lima"),
        ('He said "yes, really"', "Quote, with comma"),
        ("Two\nlines", "and\nCRLF"),
        ("#separator:tab looks like a header", "but is a row"),
        ("Ünïcödé — “quotes”", "東京"),
    ]
    assert again.facts[0].tags == ("geography", "south-america")
    # The same deck with the same fact ids: importing it back keeps progress.
    assert again.id == deck.id
    assert [f.id for f in again.facts] == [f.id for f in deck.facts]


def _package_ids(path: Path) -> tuple[set[str], set[str], list[str]]:
    with zipfile.ZipFile(path) as zf:
        db = path.with_suffix(".db")
        db.write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        import json

        models, decks = conn.execute("SELECT models, decks FROM col").fetchone()
        guids = [g for (g,) in conn.execute("SELECT guid FROM notes ORDER BY id")]
        return set(json.loads(models)), set(json.loads(decks)), guids
    finally:
        conn.close()


def test_a_qa_deck_edited_in_anki_comes_back_with_its_progress(tmp_path: Path, db_url: str) -> None:
    """Export to Anki, edit a note there, export from Anki, import: the same facts update."""
    anki_collection = _anki_collection()
    from anki.collection import (
        DeckIdLimit,
        ExportAnkiPackageOptions,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )

    deck = qa_deck()
    ours = tmp_path / "capitals.apkg"
    export_deck(deck, ours)
    (tmp_path / "anki").mkdir()
    col = anki_collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(ours), options=ImportAnkiPackageOptions())
        )
        nid = next(n for n in col.find_notes("") if col.get_note(n)["Card"] == "peru")
        note = col.get_note(nid)
        note["Answer"] = "Lima (capital city)"
        col.update_note(note)
        deck_id = col.decks.id_for_name(deck.name)
        assert deck_id is not None
        theirs = tmp_path / "from-anki.apkg"
        col.export_anki_package(
            out_path=str(theirs),
            options=ExportAnkiPackageOptions(legacy=False, with_media=False),
            limit=DeckIdLimit(deck_id),
        )
    finally:
        col.close()
    with Collection.open(db_url) as quiz:
        quiz.import_deck(deck)
        result = quiz.import_deck(detect_and_load(theirs))
        assert (result.added, result.updated, result.retired) == (0, len(deck.facts), 0)
        assert quiz.load_deck("capitals").fact("peru").back == "Lima (capital city)"


def test_anki_ids_are_derived_from_the_deck_id(tmp_path: Path) -> None:
    deck = qa_deck()
    export_deck(deck, tmp_path / "a.apkg")
    export_deck(deck, tmp_path / "b.apkg")
    a, b = _package_ids(tmp_path / "a.apkg"), _package_ids(tmp_path / "b.apkg")
    assert a == b
    other = dataclasses.replace(deck, id="other")
    export_deck(other, tmp_path / "c.apkg")
    c = _package_ids(tmp_path / "c.apkg")
    assert c[0].isdisjoint(a[0]) and c[2] != a[2]
    package = build_package(deck)
    assert package.decks[0].deck_id == int(next(i for i in a[1] if i != "1"))  # type: ignore[attr-defined]


def _anki_collection() -> type:
    """The real Anki's Collection; skipped without it, except under CI, which must have it."""
    try:
        from anki.collection import Collection as AnkiCollection
    except ImportError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("the anki package is not installed (pip install anki==26.9.3)")
    return AnkiCollection


def test_real_anki_opens_the_exported_package(tmp_path: Path) -> None:
    anki_collection = _anki_collection()
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    seed = load_deck_file(SEED_DECK)
    path = tmp_path / "seed.apkg"
    export_deck(seed, path)
    cards = question_cards(seed)
    (tmp_path / "anki").mkdir()
    col = anki_collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=False)
        )
        log = col.import_anki_package(request).log
        assert len(log.new) == len(cards)
        notes = [col.get_note(nid) for nid in col.find_notes("")]
        by_card = {n["Card"]: n for n in notes}
        assert set(by_card) == {c.id for c in cards}
        for card in cards:
            note = by_card[card.id]
            assert html_to_text(note["Question"]) == html_to_text(
                card.question.replace("\n", "<br>")
            )
            assert html_to_text(note["Answer"]) == card.answer
            assert html_to_text(note["Evidence"]) == card.evidence
        assert seed.name in [d.name for d in col.decks.all_names_and_ids()]
        # Importing the same export again updates nothing and duplicates nothing.
        export_deck(seed, path)
        log = col.import_anki_package(request).log
        assert len(log.new) == 0
        assert len(col.find_notes("")) == len(cards)
    finally:
        col.close()


# --------------------------------------------------------------------------
# Failures


def test_unknown_extension_and_missing_folder(tmp_path: Path) -> None:
    deck = qa_deck()
    with pytest.raises(ExportError, match=r"cannot export to '\.pdf'"):
        export_deck(deck, tmp_path / "deck.pdf")
    with pytest.raises(ExportError, match="does not exist"):
        export_deck(deck, tmp_path / "nowhere" / "deck.csv")
    with pytest.raises(ExportError, match="is a folder"):
        export_deck(deck, tmp_path)
    with pytest.raises(ExportError, match="no facts"):
        export_deck(Deck("e", "Empty"), tmp_path / "e.csv")


def test_a_failed_export_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "deck.toml"
    target.write_text("old")
    bad = Deck("bad id!", "Bad", facts=qa_deck().facts)
    with pytest.raises(ExportError, match="not a valid deck-file id"):
        export_deck(bad, target)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.toml"]
    export_deck(qa_deck(), target)
    assert load_deck_file(target).id == "capitals"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.toml"]


def test_editing_a_fact_or_the_header_keeps_the_speakers() -> None:
    from quizapp.browse import check_deck_header, check_fact_edit, fact_fields

    seed = load_deck_file(SEED_DECK)
    table = fact_fields(seed.fact("n-vehicles"))
    table["stem"] = "How many vehicles arrived in Karabakh in total?"
    edited = check_fact_edit(seed, table, replaces="n-vehicles")
    assert edited.fact("n-vehicles").stem == table["stem"]
    assert edited.speakers == seed.speakers
    renamed = check_deck_header(seed, name="Peacekeepers", description=seed.description)
    assert renamed.name == "Peacekeepers" and renamed.speakers == seed.speakers


# --------------------------------------------------------------------------
# Fidelity: every question the deck has, every word of it


def _long_quote_deck() -> Deck:
    """The seed deck with Karasin's three sentences as one 80-word sentence."""
    seed = load_deck_file(SEED_DECK)
    facts = tuple(
        dataclasses.replace(f, text=f.text.replace(". ", "; ")) if f.id == "q-karasin" else f
        for f in seed.facts
    )
    return dataclasses.replace(seed, facts=facts)


def _csv_cells(path: Path) -> list[list[str]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_csv_export_has_a_row_for_every_fact_and_family_with_a_form(tmp_path: Path) -> None:
    from quizapp.questions.generate import ALL_FORMS, QuestionBuilder

    seed = load_deck_file(SEED_DECK)
    builder = QuestionBuilder(seed, forms=ALL_FORMS)
    wanted = {
        f"{f.id}.{family.value}" for f in seed.facts for family in builder.families_for(f.id)
    }
    path = tmp_path / "seed.csv"
    export_deck(seed, path)
    rows = _csv_cells(path)[1:]
    assert sorted(r[0] for r in rows) == sorted(wanted)
    with_form = {w.rsplit(".", 1)[0] for w in wanted}
    assert {r[0].rsplit(".", 1)[0] for r in rows} == with_form
    # Facts without any form are only quotations too short to attribute.
    assert all(f.kind is FactKind.QUOTE for f in seed.facts if f.id not in with_form)


@pytest.mark.parametrize("suffix", [".csv", ".apkg"])
def test_a_long_quotation_is_exported_whole(tmp_path: Path, suffix: str) -> None:
    deck = _long_quote_deck()
    words = next(f.text for f in deck.facts if f.id == "q-karasin").rstrip(".")
    path = tmp_path / f"long{suffix}"
    export_deck(deck, path)
    loaded = detect_and_load(path)
    karasin = [f for f in loaded.facts if f.id.startswith("q-karasin.")]
    assert {f.id for f in karasin} == {"q-karasin.recall", "q-karasin.recognise"}
    for fact in karasin:
        assert words in (fact.front or "")
    for fact in loaded.facts:
        for text in (fact.front or "", fact.back or ""):
            assert "\u2026" not in text.replace("[\u2026]", ""), (fact.id, text)
