"""Decks as Anki packages (``.apkg``), written with genanki.

One Anki note per quizapp card, of a note type with the fields Question,
Answer, Evidence and Card: the card's canonical question
(:func:`~quizapp.exporters.common.question_cards`, built with a fixed seed;
choice forms list their choices on the front), its answer and the evidence
sentence. A deck of Q/A notes gives one Anki note per fact, front and back.
Fields are HTML (text escaped, line breaks as ``<br>``).

The note type id and the Anki deck id are derived from the quizapp deck id,
and each note's guid from the deck id and card id, so exporting again and
importing into Anki updates the notes instead of duplicating them. The
note type is named ``quizapp (<deck id>)`` for a Q/A deck and ``quizapp
questions (<deck id>)`` for the questions of a fact deck; the Card field
keeps the card id. quizapp's importer reads both back: a Q/A deck (edited in
Anki or not) comes back as the same deck with the same fact ids, keeping its
progress; questions come back as a new Q/A deck named after the Anki deck.

The package is the legacy format (``collection.anki2``) that every Anki
version imports.

Media: the pictures and sounds a fact shows go into the package as numbered
members with the JSON media map (``{"0": "flag.png"}``), byte for byte. In
the fields, each text alternative (``[image: …]``, ``[sound: …]``) becomes
the reference Anki shows (``<img src="flag.png">``, ``[sound:hello.mp3]``);
a file the text does not mark is added at the end of the question.
"""

from __future__ import annotations

import html
import itertools
import json
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path

from quizapp.exporters.common import (
    Card,
    ExportError,
    is_qa_deck,
    question_cards,
    stable_int,
    write_atomic,
)
from quizapp.facts.media import ALTERNATIVE_RE, fact_text_alternatives, is_image_name
from quizapp.facts.model import Deck, Fact

FIELDS = ("Question", "Answer", "Evidence", "Card")
CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black;
  background-color: white; }
.evidence { margin-top: 1em; font-size: 16px; color: #555; }
"""
QFMT = "{{Question}}"
AFMT = (
    '{{FrontSide}}<hr id="answer">{{Answer}}'
    '{{#Evidence}}<div class="evidence">{{Evidence}}</div>{{/Evidence}}'
)


def field_html(text: str) -> str:
    """Plain text as an Anki field: escaped, with line breaks as ``<br>``."""
    return html.escape(text, quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def anki_tag(tag: str) -> str:
    """A tag as Anki allows it: no spaces."""
    return "_".join(tag.split())


def _media_tag(name: str, label: str) -> str:
    if not is_image_name(name):
        return f"[sound:{name}]"
    alt = f' alt="{html.escape(label)}"' if label != name else ""
    return f'<img src="{html.escape(name)}"{alt}>'


def media_field(text: str, fact: Fact | None, used: set[str]) -> str:
    """A field of plain ``text`` with the fact's text alternatives turned into media references.

    ``used`` collects the names placed (each file once per note).
    """
    if fact is None or not fact.media:
        return field_html(text)
    labels = fact_text_alternatives(fact)
    out: list[str] = []
    pos = 0
    for m in ALTERNATIVE_RE.finditer(text):
        out.append(field_html(text[pos : m.start()]))
        pos = m.end()
        label = m.group(2)
        name = label if label in fact.media and label not in used else next(
            (n for n in fact.media if n not in used and labels.get(n) == label), None)
        if name is None:
            out.append(field_html(m.group(0)))
            continue
        used.add(name)
        out.append(_media_tag(name, label))
    out.append(field_html(text[pos:]))
    return "".join(out)


def _question_field(card: Card, fact: Fact | None, used: set[str]) -> str:
    """The Question field: media of the fact not placed by the answer go at its end."""
    question = media_field(card.question, fact, used)
    if fact is None:
        return question
    labels = fact_text_alternatives(fact)
    rest = [n for n in fact.media if n not in used]
    used.update(rest)
    return question + "".join(
        ("<br>" if is_image_name(n) else " ") + _media_tag(n, labels.get(n, n)) for n in rest)


def _cards(deck: Deck) -> list[Card]:
    if is_qa_deck(deck):
        return [
            Card(
                id=f.id,
                fact_id=f.id,
                question=f.front or "",
                answer=f.back or "",
                evidence="",
                tags=f.tags,
            )
            for f in deck.facts
        ]
    return question_cards(deck)


def build_package(deck: Deck) -> object:
    """The genanki Package of ``deck``."""
    import genanki

    qa = is_qa_deck(deck)
    model = genanki.Model(
        stable_int("quizapp-model" if qa else "quizapp-questions-model", deck.id),
        f"quizapp ({deck.id})" if qa else f"quizapp questions ({deck.id})",
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Card", "qfmt": QFMT, "afmt": AFMT}],
        css=CSS,
    )
    anki_deck = genanki.Deck(
        stable_int("quizapp-deck", deck.id), deck.name, description=deck.description
    )
    facts = {f.id: f for f in deck.facts if f.media}
    for card in _cards(deck):
        fact = facts.get(card.fact_id)
        used: set[str] = set()
        answer = media_field(card.answer, fact, used)  # the answer's own marks stay there
        question = _question_field(card, fact, used)
        anki_deck.add_note(
            genanki.Note(
                model=model,
                fields=[
                    question,
                    answer,
                    field_html(card.evidence),
                    html.escape(card.id),
                ],
                tags=[t for t in (anki_tag(tag) for tag in card.tags) if t],
                guid=genanki.guid_for("quizapp", deck.id, card.id),
            )
        )
    return genanki.Package(anki_deck)


def export_apkg(deck: Deck, path: Path) -> None:
    """Write ``deck`` as an Anki package at ``path``."""
    if not deck.facts:
        raise ExportError(f"{path}: the deck has no facts")
    try:
        import genanki  # noqa: F401
    except ImportError as exc:
        raise ExportError(
            f"{path}: writing Anki packages needs the 'genanki' package (pip install genanki)"
        ) from exc
    shown = {name for fact in deck.facts for name in fact.media}
    files = [m for m in deck.media if m.name in shown]
    missing = shown - {m.name for m in files}
    if missing:
        raise ExportError(f"{path}: media file {sorted(missing)[0]!r} that a fact shows is missing")
    package = build_package(deck)
    if not package.decks[0].notes:  # type: ignore[attr-defined]
        raise ExportError(f"{path}: no card of the deck has a question to export")

    def write(target: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="quizapp-apkg-") as tmp:
            db = Path(tmp) / "collection.anki2"
            conn = sqlite3.connect(db)
            try:
                # Notes carry the export time: Anki updates a note it already
                # has only from a newer one.
                now = time.time()
                package.write_to_db(  # type: ignore[attr-defined]
                    conn.cursor(), now, itertools.count(int(now * 1000))
                )
                conn.commit()
            finally:
                conn.close()
            with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
                out.write(db, "collection.anki2")
                for number, media in enumerate(files):
                    out.writestr(str(number), media.data)
                out.writestr("media", json.dumps(
                    {str(number): media.name for number, media in enumerate(files)},
                    ensure_ascii=False))

    write_atomic(path, write)
