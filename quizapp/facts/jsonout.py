"""The DESIGN.md fact JSON (``quizapp facts`` and ``quizapp extract``)."""

from __future__ import annotations

from typing import Any

from quizapp.facts.model import Deck, Fact, FactKind, Source, Speaker


def number_json(value: float) -> int | float:
    """A number as JSON shows it: integral values without a fraction."""
    return int(value) if float(value).is_integer() else value


def source_json(source: Source) -> dict[str, Any]:
    """One source entry."""
    out: dict[str, Any] = {
        "id": source.id,
        "title": source.title,
        "published": source.published,
        "file": source.file,
    }
    for key in ("url", "author", "licence"):
        value = getattr(source, key)
        if value is not None:
            out[key] = value
    return out


def fact_json(fact: Fact) -> dict[str, Any]:
    """One fact in the DESIGN.md schema."""
    out: dict[str, Any] = {"id": fact.id, "source": fact.source_id, "kind": fact.kind.value}
    if fact.kind is FactKind.QA:
        out.update(front=fact.front, back=fact.back)
    elif fact.kind is FactKind.DATE:
        out.update(text=fact.text, value=fact.value)
    elif fact.kind is FactKind.NUMBER:
        out.update(
            text=fact.text,
            value=number_json(fact.number_value),
            unit=fact.unit,
            counts=fact.counts,
            qualifier=fact.qualifier,
        )
    elif fact.kind is FactKind.QUOTE:
        out.update(reported=fact.reported, speaker=fact.speaker, role=fact.role, text=fact.text)
    elif fact.kind is FactKind.PERSON:
        out.update(name=fact.name, role=fact.role, roles=list(fact.roles), text=fact.text)
    if fact.kind is not FactKind.QA:
        out.update(start=fact.start, end=fact.end, sentence=fact.sentence)
    if fact.stem is not None:
        out["stem"] = fact.stem
    if fact.event is not None:
        out["event"] = fact.event
    if fact.tags:
        out["tags"] = list(fact.tags)
    if fact.media:
        out["media"] = list(fact.media)
    if fact.level is not None:
        out["level"] = fact.level
        out["reasons"] = list(fact.reasons)
    if fact.hold is not None:  # a stored fact held back from study, and why
        out["hold"] = fact.hold
        out["reasons"] = list(fact.reasons)
    return out


def speaker_json(speaker: Speaker) -> dict[str, Any]:
    """One speaker entry: a name, its other names and whom it speaks for."""
    return {
        "name": speaker.name,
        "aliases": list(speaker.aliases),
        "speaks_for": list(speaker.speaks_for),
    }


def deck_json(deck: Deck) -> dict[str, Any]:
    """A whole deck: its sources, speakers and facts."""
    return {
        "deck": {"id": deck.id, "name": deck.name, "description": deck.description},
        "sources": [source_json(s) for s in deck.sources],
        "speakers": [speaker_json(s) for s in deck.speakers],
        "facts": [fact_json(f) for f in deck.facts],
    }
