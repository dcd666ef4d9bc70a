"""From article text to facts: dates, numbers, quotes, reported statements and people."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from quizapp.extract.confidence import QuoteEvidence, judge
from quizapp.extract.dates import find_dateline, find_dates, parse_reference
from quizapp.extract.numbers import counts_for, find_numbers
from quizapp.extract.people import NounPhrase, Person, Registry, split_name
from quizapp.extract.readers import read_article
from quizapp.extract.speech import SpeechFinder
from quizapp.extract.stems import date_stem, number_stem, slug, unique_id
from quizapp.extract.tokens import find_quotations, sentence_spans, tokenize
from quizapp.facts.model import Deck, Fact, FactKind, Source
from quizapp.facts.text import sentence_bounds

Progress = Callable[[int, int], None]
_STAGES = 5


def extract_facts(
    text: str,
    *,
    source_id: str = "article",
    published: str | None = None,
    progress: Progress | None = None,
) -> list[Fact]:
    """Every date, number, quote, reported statement and speaker of an English news text.

    Args:
        text: the article's plain text; every fact's offsets point into it.
        source_id: the id of the Source the facts belong to.
        published: the publication date (ISO); relative dates ("yesterday",
            "on Thursday") resolve against it, or against the text's dateline.
        progress: called with (stages done, stages in all) as work goes on.
    """

    def step(done: int) -> None:
        if progress is not None:
            progress(done, _STAGES)

    step(0)
    reference = parse_reference(published) or find_dateline(text)
    quotations = find_quotations(text)
    quoted = [(q.start, q.end) for q in quotations]
    used: set[str] = set()
    facts: list[Fact] = []

    dates = find_dates(text, reference, quoted)
    for d in dates:
        sent_s, sent_e = sentence_bounds(text, d.start, d.end)
        sentence = text[sent_s:sent_e]
        stem, event = date_stem(sentence, d.start - sent_s, d.end - sent_s)
        facts.append(
            Fact(
                id=unique_id("d", slug(event), used),
                kind=FactKind.DATE,
                source_id=source_id,
                text=text[d.start : d.end],
                start=d.start,
                end=d.end,
                sentence=sentence,
                sentence_start=sent_s,
                stem=stem,
                event=event,
                value=d.value,
            )
        )
    step(1)

    numbers = find_numbers(text, [(d.start, d.end) for d in dates])
    for n in numbers:
        sent_s, sent_e = sentence_bounds(text, n.start, n.end)
        sentence = text[sent_s:sent_e]
        person = _name_before(text, n.start) if n.is_age else None
        counts = counts_for(text, sent_s, sent_e, n, person)
        stem, event = number_stem(
            sentence, n.start - sent_s, n.end - sent_s, counts, n.unit, n.value
        )
        facts.append(
            Fact(
                id=unique_id("n", slug(counts or text[n.start : n.end]), used),
                kind=FactKind.NUMBER,
                source_id=source_id,
                text=text[n.start : n.end],
                start=n.start,
                end=n.end,
                sentence=sentence,
                sentence_start=sent_s,
                stem=stem,
                event=event,
                value=round(n.value, 6),
                unit=n.unit,
                counts=counts,
                qualifier=n.qualifier if n.qualifier != "only" else None,
            )
        )
    step(2)

    sentences = sentence_spans(text)
    registry = Registry()
    registry.mentions = _mentions(text, sentences)
    finder = SpeechFinder(text, registry, sentences)
    statements = finder.run()
    step(3)

    evidence: dict[str, QuoteEvidence] = {}
    for st in statements:
        sent_s, sent_e = sentence_bounds(text, st.start, st.end)
        speaker = st.speaker
        who = slug(speaker.name.split()[-1] if speaker else "unknown", 1)
        fid = unique_id("q", f"{who}-{slug(text[st.start : st.end], 3)}", used)
        evidence[fid] = QuoteEvidence(st.link if speaker else "none")
        facts.append(
            Fact(
                id=fid,
                kind=FactKind.QUOTE,
                source_id=source_id,
                text=text[st.start : st.end],
                start=st.start,
                end=st.end,
                sentence=text[sent_s:sent_e],
                sentence_start=sent_s,
                speaker=speaker.name if speaker else None,
                role=(st.role or speaker.role) if speaker else None,
                reported=st.reported,
            )
        )
    step(4)

    # Named people only: "one poster" may speak, but is no person to learn about.
    people = [
        p
        for p in registry.people
        if not p.is_org
        and p.name[:1].isupper()
        and p.name.split()[0].lower() not in {"one", "a", "an", "the", "another", "some", "this"}
    ]
    _add_mentions(text, sentences, registry, people)
    for p in people:
        span = _first_mention(text, p)
        if span is None:
            continue
        s, e = span
        sent_s, sent_e = sentence_bounds(text, s, e)
        facts.append(
            Fact(
                id=unique_id("p", slug(p.name, 3), used),
                kind=FactKind.PERSON,
                source_id=source_id,
                text=text[s:e],
                start=s,
                end=e,
                sentence=text[sent_s:sent_e],
                sentence_start=sent_s,
                name=p.name,
                role=p.role,
                roles=tuple(p.roles),
            )
        )
    facts = [judge(f, text, evidence.get(f.id)) for f in facts]
    facts.sort(key=lambda f: (f.start or 0, f.kind.value))
    step(5)
    return facts


def _mentions(text: str, sentences: list[tuple[int, int]]) -> list[NounPhrase]:
    """Every full name (two words or more) the text gives, with its role when written."""
    out: list[NounPhrase] = []
    for s, e in sentences:
        toks = tokenize(text, s, e)
        i = 0
        while i < len(toks):
            if not toks[i].is_cap:
                i += 1
                continue
            j = i
            while j < len(toks) and (
                toks[j].is_cap or toks[j].lower in {"of", "the", "for", "on", "de", "al"}
            ):
                j += 1
            np = split_name(text, toks[i:j])
            if np is not None and np.is_person and len(np.name.split()) >= 2:
                out.append(np)
            i = j + 1
    out.sort(key=lambda np: np.role is None)
    return out


def _name_before(text: str, pos: int) -> str | None:
    m = re.search(r"((?:[A-Z][\w’'-]+\s){0,2}[A-Z][\w’'-]+),\s?$", text[max(0, pos - 60) : pos])
    if m:
        return m.group(1)
    m = re.match(r"^[\w-]*\s+([a-z]+)", text[pos : pos + 40])
    return m.group(1) if m else None


def _first_mention(text: str, p: Person) -> tuple[int, int] | None:
    i = text.find(p.name)
    if i < 0:
        return None
    return i, i + len(p.name)


def _add_mentions(
    text: str, sentences: list[tuple[int, int]], registry: Registry, people: list[Person]
) -> None:
    """People named with a role ("Kazakh President Kassym-Jomart Tokayev") who did not speak."""
    known = {p.surname for p in people}
    for s, e in sentences:
        toks = tokenize(text, s, e)
        i = 0
        while i < len(toks):
            if not toks[i].is_cap:
                i += 1
                continue
            j = i
            while j < len(toks) and (
                toks[j].is_cap or toks[j].lower in {"of", "the", "for", "on", "de", "al"}
            ):
                j += 1
            run = toks[i:j]
            i = j + 1
            if len(run) < 3:
                continue
            np = split_name(text, run)
            if np is None or not np.is_person or np.role is None:
                continue
            if len(np.name.split()) < 2:
                continue
            surname = np.name.split()[-1].lower()
            if surname in known:
                continue
            known.add(surname)
            person = registry.add(np)
            people.append(person)


def extract_deck(path: Path) -> Deck:
    """A deck of the facts found in an article file (.txt, .md or .html)."""
    path = Path(path)
    article = read_article(path)
    source_id = slug(path.stem, 6) or "article"
    published = article.published
    if published is None:
        dateline = find_dateline(article.text)
        published = dateline.isoformat() if dateline else None
    title = article.title or path.stem
    source = Source(
        id=source_id,
        title=title,
        text=article.text,
        published=published
        if published and re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", published)
        else None,
        file=path.name,
    )
    facts = extract_facts(article.text, source_id=source_id, published=source.published)
    return Deck(
        id=source_id,
        name=title,
        description=f"Facts found automatically in {path.name}; check them before studying.",
        sources=(source,),
        facts=tuple(facts),
    )
