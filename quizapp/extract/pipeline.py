"""From article text to facts: dates, numbers, quotes, reported statements and people."""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections.abc import Callable
from pathlib import Path

from quizapp import lexicon
from quizapp.extract.confidence import (
    CHECK,
    SHARED_SURNAME,
    QuoteEvidence,
    judge,
    not_a_person,
)
from quizapp.extract.dates import (
    dateline_span,
    dateline_value,
    find_dateline,
    find_dates,
    find_wire_dateline,
    parse_reference,
    wire_date,
)
from quizapp.extract.numbers import counts_for, find_numbers
from quizapp.extract.people import (
    ROLE_WORDS,
    TITLES,
    NounPhrase,
    Person,
    Registry,
    consistent_capitals,
    organisation_in_text,
    role_beside,
    split_name,
    title_with_portfolio,
    written_beside,
)
from quizapp.extract.readers import read_article
from quizapp.extract.speech import SPEECH_VERBS, SpeechFinder, Statement
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
    # relative dates resolve against the date the text itself gives (its dateline line)
    # before a publication date from elsewhere, which may be a day off
    published_on = find_dateline(text) or parse_reference(published)
    # "HELSINKI, May 5 (AP) — …": the wire dateline's day is the day the text speaks from
    wire = find_wire_dateline(text)
    reference = (wire_date(text, wire, published_on) if wire else None) or published_on
    quotations = find_quotations(text)
    quoted = [(q.start, q.end) for q in quotations]
    used: set[str] = set()
    facts: list[Fact] = []

    dates = find_dates(text, reference, quoted)
    # The dateline is the publication date (the source's), not an event to ask about.
    line = dateline_span(text)
    if line is not None:
        dates = [d for d in dates if not (line[0] <= d.start and d.end <= line[1])]
    if wire is not None:
        dates = [d for d in dates if not (wire[0] <= d.start and d.end <= wire[1])]
    for d in dates:
        sent_s, sent_e = sentence_bounds(text, d.start, d.end)
        # the evidence is the sentence; of a sentence of thousands of words, the clauses
        # around the date (each fact holds its own copy of it)
        sent_s, sent_e = _stem_window(text, sent_s, sent_e, d.start, d.end)
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

    numbers = [
        n
        for n in find_numbers(
            text,
            [(d.start, d.end) for d in dates] + ([line] if line else []) + ([wire] if wire else []),
        )
        if not _vague(text[n.start : n.end]) and not _range_start(text, n.end)
    ]
    for n in numbers:
        sent_s, sent_e = sentence_bounds(text, n.start, n.end)
        sentence = text[sent_s:sent_e]
        person = _name_before(text, n.start) if n.is_age else None
        counts = counts_for(text, sent_s, sent_e, n, person)
        stem, event = number_stem(
            sentence, n.start - sent_s, n.end - sent_s, counts, n.unit, n.value
        )
        worth = re.fullmatch(r"How much was the (.+) worth\?", stem or "")
        if worth:
            counts = f"value of the {worth.group(1)}"  # "a contract worth $2.1 billion"
        elif (stem or "").startswith("At what age "):
            counts = "age"  # "… died at the age of 25": "At what age did the singer die?"
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
                qualifier=_qualifier(text, n.start, n.qualifier, n.unit),
            )
        )
    step(2)

    sentences = sentence_spans(text)
    registry = Registry()
    registry.mentions = _mentions(text, sentences)
    finder = SpeechFinder(text, registry, sentences)
    statements = [st for st in finder.run() if not _narration(text, st)]
    step(3)

    evidence: dict[str, QuoteEvidence] = {}
    several: set[str] = set()  # quotes whose speaker's surname several people share
    named = tuple(
        dict.fromkeys(
            name
            for name in (
                *(p.name for p in registry.people if not p.is_org),
                *(np.name for np in registry.mentions if np.is_person),
            )
            if len(name.split()) >= 2 and not not_a_person(name)
        )
    )
    full_names: dict[tuple[str, str | None], tuple[str, str | None, bool]] = {}
    for st in statements:
        sent_s, sent_e = sentence_bounds(text, st.start, st.end)
        speaker = st.speaker
        who_said: str | None = speaker.name if speaker else None
        their_role = consistent_capitals(_own_role(st.role, speaker.role)) if speaker else None
        unsure = False
        if who_said is not None:
            if len(who_said.split()) == 2:
                who_said, their_role, unsure = _full_speaker(
                    text, who_said, their_role, text[sent_s:sent_e]
                )
            else:
                key = (who_said, their_role)
                if key not in full_names:
                    full_names[key] = _full_speaker(text, who_said, their_role)
                who_said, their_role, unsure = full_names[key]
        who = slug(speaker.name.split()[-1] if speaker else "unknown", 1)
        fid = unique_id("q", f"{who}-{slug(text[st.start : st.end], 3)}", used)
        evidence[fid] = QuoteEvidence(
            st.link if speaker else "none", named, speaker.gender if speaker else None
        )
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
                speaker=who_said,
                role=their_role,
                reported=st.reported,
            )
        )
        if unsure:
            several.add(fid)
    step(4)

    # Named people only: "one poster" may speak, but is no person to learn about.
    people = [
        p
        for p in registry.people
        if not p.is_org
        and not not_a_person(p.name)
        and not organisation_in_text(text, p.name)
        and p.name[:1].isupper()
        and p.name.split()[0].lower() not in lexicon.NOUN_PHRASE_OPENERS
    ]
    _add_mentions(text, sentences, registry, people)
    for p in people:
        span = _first_mention(text, p)
        if span is None:
            continue
        if not p.role and not p.roles:
            for role in [*written_beside(text, p.name), *_written_roles(text, p.name)]:
                p.add_role(role)
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
                role=consistent_capitals(title_with_portfolio(text, p.name, p.role)),
                roles=tuple(r for r in map(consistent_capitals, p.roles) if r),
            )
        )
    facts = [judge(f, text, evidence.get(f.id)) for f in facts]
    facts = [
        dataclasses.replace(f, level=CHECK, reasons=(*f.reasons, SHARED_SURNAME))
        if f.id in several
        else f
        for f in facts
    ]
    # A date or number stated inside a quote nobody was found to say: whose claim is it?
    unsaid = sorted(
        (f.start, f.end)
        for f in facts
        if f.kind is FactKind.QUOTE and not f.speaker and f.start is not None and f.end is not None
    )
    facts = [_unsaid(f, unsaid) for f in facts]
    facts.sort(key=lambda f: (f.start or 0, f.kind.value))
    step(5)
    return facts


_STEM_REACH = 600  # characters of a very long sentence read either side of a date


def _stem_window(text: str, sent_s: int, sent_e: int, start: int, end: int) -> tuple[int, int]:
    """The part of a date's sentence its question is built from: the whole sentence, or
    for a sentence of thousands of words the clauses within :data:`_STEM_REACH`
    characters of the date (cut after a comma or semicolon), so that each date costs
    bounded time and the extraction stays linear in the text."""
    if sent_e - sent_s <= 4 * _STEM_REACH:
        return sent_s, sent_e
    lo = max(sent_s, start - _STEM_REACH)
    if lo > sent_s:
        cut = re.search(r"[,;]\s", text[lo:start])
        lo = lo + cut.end() if cut else start
    hi = min(sent_e, end + _STEM_REACH)
    return lo, hi


def _own_role(written: str | None, known: str | None) -> str | None:
    """The role a statement gives its speaker; "of the University of Oslo" is where they
    work, part of the role they are known by, not a role of its own."""
    if written and written.startswith("of "):
        return known
    return written or known


_FIRST_NAME = r"[A-Z][a-z’'\-]+"


def _named_in_full(text: str, surname: str) -> set[str]:
    """The people the text names in full with this surname ("Robert Dunbar")."""
    return set(_names_in_full(text, surname))


@functools.lru_cache(maxsize=256)
def _names_in_full(text: str, surname: str) -> frozenset[str]:
    # once per surname and text: a text of many quotes is read once per speaker
    found = set()
    for m in re.finditer(rf"\b({_FIRST_NAME})\s+{re.escape(surname)}\b", text):
        first = m.group(1)
        if first.lower() in TITLES or first.lower() in ROLE_WORDS:
            continue  # "Judge Dunbar", "Mr Dunbar"
        if re.search(rf"(?<![\w’']){re.escape(first.lower())}(?![\w’'])", text):
            continue  # "When Dunbar …": a word the text also writes in lower case
        found.add(f"{first} {surname}")
    return frozenset(found)


def _several(names: set[str]) -> bool:
    """Whether the full names are of more than one person: "Kristin Wilkins" and
    "Kristen Wilkins" (a letter apart) are one person spelt two ways."""
    firsts = sorted({n.split()[0].lower() for n in names})
    return any(not _one_letter_apart(a, b) for a in firsts for b in firsts if a < b)


def _one_letter_apart(a: str, b: str) -> bool:
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _full_speaker(
    text: str, speaker: str, role: str | None, sentence: str | None = None
) -> tuple[str, str | None, bool]:
    """The speaker as the text names them in full, their role, and whether in doubt.

    "said Dunbar" where the text names "Robert Dunbar": "Robert Dunbar", when one
    person of the text has that surname (several: the surname stays, in doubt). "said
    Kestrel's managing director, Peter Halloran" taken as the role alone: the one
    person the text names right after that role, with the role as theirs.
    """
    words = speaker.split()
    if len(words) == 1 and speaker[:1].isupper() and not speaker.isupper():
        found = _named_in_full(text, speaker)
        if len(found) == 1:
            return found.pop(), role, False
        return speaker, role, _several(found)
    if (
        len(words) == 2
        and words[1][:1].isupper()
        and sentence is not None
        and speaker not in sentence
        and re.search(rf"\b{re.escape(words[1])}\b", sentence)
        and _several(_named_in_full(text, words[1]))
    ):
        return speaker, role, True  # "said Dunbar", and two Dunbars in the text
    if speaker[:1].islower() or ("’s " in speaker or "'s " in speaker):
        if words[-1].lower() not in ROLE_WORDS:
            return speaker, role, False
        names = {
            m.group(1)
            for m in re.finditer(
                rf"{re.escape(speaker)},?\s+((?:{_FIRST_NAME}\s+){{1,2}}{_FIRST_NAME})\b", text
            )
        }
        if len(names) == 1:
            return names.pop(), role or speaker, False
    return speaker, role, False


def _narration(text: str, st: Statement) -> bool:
    """Words with no quotation marks and no reporting verb are narration, never a
    statement: a paragraph of the article's own sentences followed by a line that looks
    like a signature ("Palmerston North, Manawatu"). Kept: the words announced by
    "… denied these allegations:", and a pull quote that speaks as "I" or "we" or is
    signed with a role ("Charles Bolden, NASA Administrator")."""
    if st.reported:
        return False
    near = text[max(0, st.start - 3) : st.start] + text[st.end : st.end + 3]
    if any(c in near for c in "\"“”‘’'"):
        return False
    intro = text[max(0, st.start - 300) : st.start].rstrip()
    if intro.endswith(":"):
        line = intro[intro.rfind("\n") + 1 :]
        if any(w in SPEECH_VERBS for w in re.findall(r"[a-z]+", line)):
            return False  # "In a statement, the Church denied these allegations:"
    return st.role is None and _FIRST_PERSON.search(text, st.start, st.end) is None


_FIRST_PERSON = re.compile(r"\b(?:I|I[’']m|me|my|we|us|our|you|your)\b", re.IGNORECASE)


UNSAID = "stated inside a quote whose speaker was not found"


def _unsaid(fact: Fact, spans: list[tuple[int, int]]) -> Fact:
    """``spans``: the sorted spans of the quotes with no speaker found."""
    if fact.kind not in (FactKind.DATE, FactKind.NUMBER) or fact.start is None:
        return fact
    i = bisect.bisect_right(spans, (fact.start, 1 << 62)) - 1
    if i < 0 or not spans[i][0] <= fact.start < spans[i][1]:
        return fact
    return dataclasses.replace(fact, level="check", reasons=(*fact.reasons, UNSAID))


_VAGUE_RE = re.compile(
    r"(?:(?:tens|hundreds|thousands|millions)\s+of\s+)?"
    rf"(?:{'|'.join(lexicon.VAGUE_PLURALS)}|scores|tens|several|a\s+few|many)"
    r"(?:\s+of)?",
    re.IGNORECASE,
)
_DURATIONS = frozenset(
    {"seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades"}
)


def _vague(written: str) -> bool:
    """ "thousands", "dozens", "tens of thousands": a vague quantity, no number to ask for."""
    return _VAGUE_RE.fullmatch(" ".join(written.split())) is not None


def _range_start(text: str, end: int) -> bool:
    """The first day of a range of days ("3–5 May"): part of a date, not a count."""
    return (
        re.match(
            r"\s*[–-]\s*\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
            text[end : end + 30],
        )
        is not None
    )


def _qualifier(text: str, start: int, qualifier: str | None, unit: str | None) -> str | None:
    """The bound a number is given with; "over three years" (meaning "during") is none."""
    if qualifier == "only":
        return None
    if (
        unit in _DURATIONS
        and re.search(
            r"\bover\s+(?:the\s+(?:next|past|last)\s+)?$", text[max(0, start - 20) : start]
        )
        and not re.search(
            r"\b(?:for|lasted|lasting|last|took|taking|spent|after|in|of)\s+over\s+",
            text[max(0, start - 30) : start],
        )
    ):
        return None
    return qualifier


_ROLE_CLAUSES = (
    # "Lind was elected to parliament", "Lind was appointed Minister of Health"
    r"(?:was|has been|had been|is)\s+(?:(?:re-?)?elected|appointed|named|made|sworn in)\s+"
    r"(?:as\s+)?(?P<role>(?:to\s+)?(?:the\s+)?[A-Za-z][\w’'-]*(?:\s+(?:of|for|to|the|[A-Z][\w’'-]*|"
    r"[a-z]+(?=\s+of\b)))*)",
    # "served as Minister of Health", "works as a nurse"
    r"(?:later\s+|also\s+|then\s+)?(?:served|serves|worked|works|acted|acts)\s+as\s+(?:an?\s+|the\s+)?"
    r"(?P<role>[A-Za-z][\w’'-]*(?:\s+(?:of|for|the|[A-Z][\w’'-]*))*)",
    # "founded the Green Future party"
    r"(?:later\s+|also\s+|then\s+)?(?P<verb>founded|co-founded|set up|established)\s+"
    r"(?P<role>(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:of|for|the|[A-Z][\w’'-]*|party|group|movement|company))*)",
)


def _written_roles(text: str, name: str) -> list[str]:
    """Roles the text gives a person in clauses of their own: an elected office, a post,
    an organisation they founded ("Lind was elected to parliament. She later served as
    Minister of Health and founded the Green Future party.")."""
    surname = name.split()[-1]
    out: list[str] = []
    subjects = rf"(?:{re.escape(name)}|{re.escape(surname)})"
    for m in re.finditer(rf"\b{subjects}\b", text):
        # the sentence of the mention and the next one when it opens with a pronoun
        end = text.find(". ", m.end())
        end = len(text) if end < 0 else end
        nxt = text[end + 2 : end + 2 + 300]
        chunk = text[m.end() : end]
        if re.match(r"(?:He|She)\b", nxt):
            stop = nxt.find(". ")
            chunk += " . " + nxt[3 if nxt.startswith("He") else 4 : stop if stop > 0 else len(nxt)]
        for part in re.split(r"\s+\.\s+|\band\b|,", chunk):
            part = part.strip()
            for rx in _ROLE_CLAUSES:
                rm = re.match(rx, part)
                if rm is None:
                    continue
                role = rm.group("role").strip()
                role = re.sub(r"\s+(?:in|on|at|by|from|after)$", "", role)
                if "verb" in rm.groupdict() and rm.group("verb"):
                    role = f"founder of {role}"
                elif role.lower().startswith("to "):
                    role = f"elected {role}"
                words = role.split()
                if not words or words[0].lower() in {"with", "for", "by", "in", "on", "at"}:
                    continue  # "was re-elected with 60,760 votes": no office
                if role not in out and len(words) <= 8:
                    out.append(role)
    return out


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
            # "Kari Dahl on Saturday": a weekday or month after "on" ends the name
            for k in range(1, len(run) - 1):
                if run[k].lower == "on" and (
                    run[k + 1].lower in lexicon.WEEKDAYS or run[k + 1].lower in lexicon.MONTHS
                ):
                    run = run[:k]
                    break
            if len(run) < 2:
                continue
            np = split_name(text, run)
            if np is not None and np.is_person and np.role is None and len(run) == 2:
                # "Olympic swimmer Kari Dahl": the role noun in lower case before the name
                role = role_beside(
                    text[max(0, np.start - 120) : np.start], text[np.end : np.end + 120]
                )
                np = dataclasses.replace(np, role=role) if role else None
            if np is None or not np.is_person or np.role is None:
                continue
            if len(np.name.split()) < 2:
                continue
            surname = np.name.split()[-1].lower()
            if surname in known:
                continue
            known.add(surname)
            if organisation_in_text(text, np.name):
                continue
            person = registry.add(np)
            people.append(person)


def extract_deck(path: Path) -> Deck:
    """A deck of the facts found in an article file (.txt, .md or .html)."""
    path = Path(path)
    article = read_article(path)
    source_id = slug(path.stem, 6) or "article"
    published = article.published
    if published is None:
        published = dateline_value(article.text)
    title = article.title or path.stem
    line = dateline_span(article.text)
    if line is not None and line[0] == 0 and article.text[: line[1]].strip() == title:
        title = path.stem  # "Today is Thursday, June 10th, 2010.": a date, not a title
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
