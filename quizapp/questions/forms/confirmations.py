"""What a short answer confirmed, denied or answered.

"Yes this is true" says too little to ask who said it (fewer than two content
words). When the article says what it answered, that is asked instead: in
"Asked whether the talks would resume in May, Hikmet Hajiyev said: “Yes this
is true”", the content is "the talks would resume in May", and the question is
"What did Hikmet Hajiyev confirm when he said “Yes this is true”?" with other
statements of the deck as choices. The rule reads the quotation's own sentence
(the part before the quotation) and the sentence before it:

- "asked whether (or if) X", "when asked about X", "answering (or in answer
  to, replying to) a question about (whether, if) X": X was answered;
- "confirmed (that) X", "denied (that) X", "acknowledged that X",
  "admitted that X": X was confirmed or denied.

X must be a clause or a phrase with two content words or more ("the
information" or "it" is not what was confirmed). Whether the words confirm
or deny is read from the verb when there is one, else from the quotation
("No", "not true" deny). Without such content the quotation is not asked.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, cast

from quizapp.facts.model import Fact
from quizapp.questions.forms.base import PickPlan
from quizapp.questions.forms.speakers import LENGTH_RATIO, main_clause
from quizapp.questions.normalize import capitalise, clean_space, norm_text, tokens
from quizapp.questions.prompts import MIN_QUOTE_CONTENT_WORDS, content_word_count

if TYPE_CHECKING:
    from quizapp.questions.generate import QuestionBuilder

MAX_CHOICES = 8
MIN_WORDS = 3
_END = r"(?P<x>[^,:;“”\"]{6,}?)\s*(?:[,:;“\"]|\bhe said\b|\bshe said\b|\bsaying\b|$)"
_ASKED = (
    re.compile(r"\b(?:asked|asking)\s+(?:(?:him|her|them)\s+)?(?:whether|if)\s+" + _END,
               re.IGNORECASE),
    re.compile(r"\bwhen asked about\s+" + _END, re.IGNORECASE),
    re.compile(r"\b(?:answered|answering|in answer to|replying to|responding to)\s+(?:a|the)\s+"
               r"question\s+(?:about|on|of|whether|if)\s+" + _END, re.IGNORECASE),
)
_STATED = re.compile(
    r"\b(?P<verb>confirmed|denied|acknowledged|admitted)\s+(?:that\s+)?" + _END,
    re.IGNORECASE,
)
_DENIALS = frozenset(["no", "not", "never", "false", "untrue", "nonsense", "wrong"])
_VAGUE = frozenset(["this", "that", "it", "these", "those", "the information", "the reports",
                    "the report", "the news", "the rumours", "the rumors"])


def _content(text: str) -> str | None:
    x = clean_space(text).strip(" .,;:")
    x = re.sub(r"^(?:that|whether|if)\s+", "", x, flags=re.IGNORECASE)
    if x.lower() in _VAGUE or len(x.split()) < MIN_WORDS:
        return None
    if content_word_count(x) < MIN_QUOTE_CONTENT_WORDS:
        return None
    return x


def answered_content(before: str, previous: str, quote: str) -> tuple[str, str] | None:
    """(verb, content) of a short answer: "confirm" or "deny", and what the article says
    it confirmed or denied; None when neither sentence says it.

    ``before``: the quotation's sentence up to the quotation; ``previous``: the
    sentence before it (used when ``before`` says nothing).
    """
    quote_words = {w.lower() for w in tokens(quote)}
    default = "deny" if quote_words & _DENIALS else "confirm"
    for text in (before, previous):
        stated = list(_STATED.finditer(text))
        if stated:
            m = stated[-1]
            x = _content(m.group("x"))
            if x is not None:
                verb = m.group("verb").lower()
                return ("deny" if verb == "denied" else "confirm"), x
        asked = [m for pattern in _ASKED for m in pattern.finditer(text)]
        if asked:
            m = max(asked, key=lambda found: found.start())
            x = _content(m.group("x"))
            if x is not None:
                return default, x
    return None


_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019]?\s+")


def previous_sentence(text: str, start: int) -> str:
    """The sentence of ``text`` that ends before ``start`` (the start of a sentence)."""
    before = text[:start].rstrip()
    if not before:
        return ""
    ends = [m.end() for m in _SENTENCE_END.finditer(before)]
    return before[ends[-1]:] if ends else before


def confirmation_of(builder: QuestionBuilder, fact: Fact) -> tuple[str, str] | None:
    """(verb, content) of a quotation with too little content, read from the article."""
    if fact.reported or content_word_count(fact.text) >= MIN_QUOTE_CONTENT_WORDS:
        return None
    located = builder.index.sentence_of(fact)
    if located is None or fact.start is None:
        return None
    sentence, start = located
    cut = fact.start - start
    if not 0 <= cut <= len(sentence):
        return None
    source = builder.index.sources.get(fact.source_id) if fact.source_id else None
    previous = previous_sentence(source.text, start) if source is not None else ""
    return answered_content(sentence[:cut], previous, fact.text)


def _answered(builder: QuestionBuilder) -> dict[str, tuple[str, str]]:
    """Every short answer of the deck whose content the article states (once per deck)."""
    cached = builder.form_cache.get("confirmations")
    if cached is None:
        ix = builder.index
        found: dict[str, tuple[str, str]] = {}
        for _, qid in ix.quotes_by_length:
            g = ix.facts[qid]
            if not g.reported and content_word_count(g.text) < MIN_QUOTE_CONTENT_WORDS:
                content = confirmation_of(builder, g)
                if content is not None:
                    found[qid] = content
        builder.form_cache["confirmations"] = cached = found
    return cast(dict[str, tuple[str, str]], cached)


def confirmation_prompt(speaker: str, verb: str, quote: str) -> str:
    """ "What did X confirm when they said “Yes this is true”?"."""
    words = quote.strip().rstrip(" .,;:")
    return f"What did {speaker} {verb} when saying \u201c{words}\u201d?"


def plan_confirmation(builder: QuestionBuilder, fact: Fact) -> PickPlan | None:
    """What a short answer confirmed or denied, with other statements of the deck as
    choices: other answers' contents first, then other speakers' statements (never
    the asked speaker's, one they speak for or one who speaks for them)."""
    ix = builder.index
    person = ix.person_of(fact.speaker)
    if person is None or fact.id not in ix.quote_norm:
        return None
    found = confirmation_of(builder, fact)
    if found is None:
        return None
    verb, content = found
    answer = capitalise(content)
    n_answer = len(answer.split())
    related = ix.related_people(person)
    shown = {norm_text(answer)}
    distractors: list[tuple[str, str]] = []

    def offer(text: str, qid: str) -> None:
        n = norm_text(text)
        words = len(text.split())
        if n in shown or not n_answer / LENGTH_RATIO <= words <= n_answer * LENGTH_RATIO:
            return
        if builder.said_by(person, n) or frozenset(tokens(text)) & person.name_words:
            return
        shown.add(n)
        distractors.append((text, qid))

    # What other short answers confirmed, then other speakers' statements.
    for qid, (_, theirs) in _answered(builder).items():
        if len(distractors) >= MAX_CHOICES:
            break
        if qid != fact.id and ix.quote_person.get(qid) not in related:
            offer(capitalise(theirs), qid)
    for _, qid in ix.quotes_by_length:
        if len(distractors) >= MAX_CHOICES:
            break
        g = ix.facts[qid]
        if qid == fact.id or not g.reported or ix.quote_person.get(qid) in related:
            continue
        clause = main_clause(g.text)
        if clause is not None:
            offer(capitalise(clause), qid)
    if len(distractors) < 2:
        return None
    prompt = confirmation_prompt(person.display, verb, fact.text)
    if builder.leaks(prompt, (answer,)):
        return None
    return PickPlan(prompt, answer, tuple(distractors))
