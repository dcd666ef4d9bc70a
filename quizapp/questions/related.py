"""Related facts: facts a question about one may give away to the other.

Two facts are *related* when their evidence sentences overlap in one source
(they share a sentence, or one lies inside the other's quotation: a figure
inside a quotation is shown by every "Who said …?" of it), or when the prompt
of one (its stem, or a Q/A note's front) shows the other's answer: a date's
or a figure's words, or a person's name together with their role.

A cloze masks the related values of its sentence (see
:func:`quizapp.questions.prompts.cloze_text`); the other forms cannot, so a
study session asks a fact only when :func:`gives_away` is false for the facts
it has asked already.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.facts.text import sentence_bounds
from quizapp.questions.normalize import contains_phrase, tokens

#: A Q/A note's back of at most this many words counts as an answer another prompt can show.
MAX_QA_ANSWER_WORDS = 5


def _evidence_span(fact: Fact, deck: Deck) -> tuple[int, int] | None:
    if fact.sentence is not None and fact.sentence_start is not None:
        return fact.sentence_start, fact.sentence_start + len(fact.sentence)
    source = deck.source(fact.source_id)
    if source is None or fact.start is None or fact.end is None:
        return None
    if not 0 <= fact.start <= fact.end <= len(source.text):
        return None
    return sentence_bounds(source.text, fact.start, fact.end)


def _answer_phrases(fact: Fact) -> tuple[str, ...]:
    """The words that give ``fact``'s answer away when another prompt shows them."""
    if fact.kind in (FactKind.DATE, FactKind.NUMBER) and fact.text.strip():
        return (fact.text,)
    if fact.kind is FactKind.QA and fact.back:
        # A short back ("Paris", "The Seine") is given away by a front that shows it;
        # a long one (a definition) is not a phrase another prompt repeats.
        words = tokens(fact.back)
        if 0 < len(words) <= MAX_QA_ANSWER_WORDS and any(len(w) >= 3 for w in words):
            return (fact.back,)
    return ()


def related_facts(deck: Deck) -> dict[str, set[str]]:
    """Each fact id of ``deck`` → the ids of the facts related to it (never itself).

    Symmetric; facts with no related fact map to an empty set. Time about
    linear in the deck (sentences are found once per source, prompts are
    matched through an index of the answers' first words).
    """
    related: dict[str, set[str]] = {f.id: set() for f in deck.facts}

    def link(a: str, b: str) -> None:
        if a != b:
            related[a].add(b)
            related[b].add(a)

    # Overlapping evidence sentences, one source at a time: a sweep by start.
    by_source: dict[str, list[tuple[int, int, str]]] = {}
    for f in deck.facts:
        span = _evidence_span(f, deck) if f.source_id else None
        if span is not None and f.source_id is not None:
            by_source.setdefault(f.source_id, []).append((span[0], span[1], f.id))
    for spans in by_source.values():
        spans.sort()
        open_spans: list[tuple[int, str]] = []  # (end, id) of spans still open
        for start, end, fid in spans:
            open_spans = [(e, g) for e, g in open_spans if e > start]
            for _, g in open_spans:
                link(fid, g)
            open_spans.append((end, fid))

    # A prompt that shows another fact's answer.
    by_first_word: dict[str, list[tuple[str, str]]] = {}
    people: dict[str, list[Fact]] = {}
    for f in deck.facts:
        for phrase in _answer_phrases(f):
            first = tokens(phrase)[:1]
            if first:
                by_first_word.setdefault(first[0], []).append((phrase, f.id))
        if f.kind is FactKind.PERSON and f.name and f.role:
            for w in set(tokens(f.name)):
                people.setdefault(w, []).append(f)
    for f in deck.facts:
        prompt = f.stem if f.kind is not FactKind.QA else f.front
        if not prompt:
            continue
        for word in set(tokens(prompt)):
            for phrase, gid in by_first_word.get(word, ()):
                if contains_phrase(prompt, phrase):
                    link(f.id, gid)
            for person in people.get(word, ()):
                name, role = person.name or "", person.role or ""
                if contains_phrase(prompt, name) and contains_phrase(prompt, role):
                    link(f.id, person.id)
    return related


def gives_away(fact_id: str, asked: Collection[str], related: Mapping[str, set[str]]) -> bool:
    """Whether asking ``fact_id`` now may give away, or be given away by, a fact of
    ``asked`` (the facts asked so far in the session)."""
    return not related.get(fact_id, set()).isdisjoint(asked)
