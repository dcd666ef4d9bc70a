"""Decks as CSV (comma, UTF-8 with a BOM so that Excel reads it) or TSV (tab, no BOM).

- A deck of Q/A notes: a header row ``Id,Front,Back,Tags`` and one row per
  note. It reads back through the CSV importer with the same facts (ids
  from the Id column), so a teacher can edit the deck in a spreadsheet.
- A deck of article facts: one row per card, ``Id,Question,Answer,Evidence,Tags``,
  the canonical question of each card (choices listed under the prompt)
  with its answer and evidence sentence. Ids are ``<fact id>.<family>``.

Tags are separated by spaces; spaces and commas inside a tag become ``_``.
Rows end with CRLF as RFC 4180 and spreadsheets expect.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from quizapp.exporters.common import ExportError, atomic_text, is_qa_deck, question_cards
from quizapp.facts.model import Deck

_TAG_SPACE_RE = re.compile(r"[\s,]+")


def tags_cell(tags: tuple[str, ...]) -> str:
    """Tags as one cell: space-separated, inner spaces and commas as ``_``."""
    return " ".join(t for t in (_TAG_SPACE_RE.sub("_", tag.strip()) for tag in tags) if t)


def csv_rows(deck: Deck) -> list[list[str]]:
    """The header row and the rows of the deck's CSV export."""
    if is_qa_deck(deck):
        rows = [["Id", "Front", "Back", "Tags"]]
        rows += [[f.id, f.front or "", f.back or "", tags_cell(f.tags)] for f in deck.facts]
        return rows
    rows = [["Id", "Question", "Answer", "Evidence", "Tags"]]
    rows += [
        [c.id, c.question, c.answer, c.evidence, tags_cell(c.tags)] for c in question_cards(deck)
    ]
    return rows


def export_csv(deck: Deck, path: Path, delimiter: str = ",") -> None:
    """Write ``deck`` as CSV (``delimiter=","``) or TSV (``"\\t"``) at ``path``."""
    if not deck.facts:
        raise ExportError(f"{path}: the deck has no facts")
    rows = csv_rows(deck)
    if len(rows) == 1:
        raise ExportError(f"{path}: no card of the deck has a question to export")
    encoding = "utf-8-sig" if delimiter == "," else "utf-8"
    with atomic_text(path, encoding) as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        writer.writerows(rows)
