"""Questions built from facts, in every form a fact's kind allows.

| fact    | recognise (choose)                              | recall (produce)              |
| ------- | ----------------------------------------------- | ----------------------------- |
| date    | choice of four dates                            | typed date, cloze, timeline   |
| number  | choice of four numbers, which of two is larger  | numeric entry, cloze          |
| quote   | who said this?, which of these did X say?       | typed speaker                 |
| person  | what position does X hold?                      | typed "Who is the <role>?"    |
| Q/A     | flashcard (show, reveal, self-rate)             | typed answer                  |

A form is offered only when it can be asked well: at least two distractors
(three choices) exist, the prompt does not contain its answer, the evidence
sentence holds the answer span (cloze), and so on. :class:`QuestionBuilder`
indexes the deck once; each question is then built from precomputed,
per-fact candidate lists, so its cost does not grow with the deck.

Prompts: a fact stated inside a quotation is asked "According to <speaker>, …".
The stem's first letter is lowered only when the stem opens with a wh-word or
How, with a preposition ("In which year …"), or with an article before a
lower-case word ("The number of …"); any other opening (usually a name) keeps
its capital. When the stem already names the speaker, no prefix is added.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.lexicon import FINITE_AUXILIARIES
from quizapp.questions.checks import QuestionChecker
from quizapp.questions.dates import format_date, parse_date_text
from quizapp.questions.distractors import (
    Candidate,
    OrderedCandidates,
    can_draw,
    date_candidates,
    draw_ordered,
    number_candidates,
)
from quizapp.questions.forms.base import TRUE_FALSE_CHOICES, PickPlan, TrueFalsePlan
from quizapp.questions.forms.confirmations import plan_confirmation
from quizapp.questions.forms.dates import plan_date_event
from quizapp.questions.forms.numbers import plan_number_meaning
from quizapp.questions.forms.speakers import plan_speaker_position
from quizapp.questions.forms.true_false import plan_true_false
from quizapp.questions.index import DeckIndex, Person, TimelineEvent, role_key, strip_article
from quizapp.questions.model import Evidence, Family, Form, Question
from quizapp.questions.normalize import (
    capitalise,
    clean_space,
    contains_phrase,
    jaccard,
    norm_text,
    tokens,
    word_set,
)
from quizapp.questions.numbers import (
    NUMBER_WORDS,
    literal_range,
    plain_number,
    qualifier_kind,
)

# Re-exported (``X as X``): modules that import these names from here keep working.
from quizapp.questions.prompts import BLANK as BLANK
from quizapp.questions.prompts import CLOZE_LEAD as CLOZE_LEAD
from quizapp.questions.prompts import LARGER_PROMPT as LARGER_PROMPT
from quizapp.questions.prompts import (
    MIN_QUOTE_CONTENT_WORDS,
    OPTION_LENGTH_RATIO,
    cloze_text,
    content_word_count,
    grammatical_person,
    name_the_pronoun,
    opening_pronoun,
    quote_option,
)
from quizapp.questions.prompts import TIMELINE_PROMPT as TIMELINE_PROMPT
from quizapp.questions.prompts import TIMELINE_SEPARATOR as TIMELINE_SEPARATOR
from quizapp.questions.prompts import balance_quotes as balance_quotes

MAX_PROMPT_WORDS = 40  # a quotation in a prompt is cut to about this many words

WH_WORDS = frozenset(["what", "when", "where", "which", "who", "whom", "whose", "why", "how"])
PREPOSITIONS = word_set(
    "in on at for by from to during since until after before over about with of under "
    "within between among into through across against"
)
_ARTICLES = frozenset(("the", "a", "an"))
_FINITE = FINITE_AUXILIARIES

FORMS_BY_KIND: dict[FactKind, dict[Family, tuple[Form, ...]]] = {
    FactKind.DATE: {
        Family.RECOGNISE: (Form.CHOICE, Form.DATE_EVENT, Form.TRUE_FALSE),
        Family.RECALL: (Form.TYPED, Form.CLOZE, Form.TIMELINE),
    },
    FactKind.NUMBER: {
        Family.RECOGNISE: (Form.CHOICE, Form.LARGER, Form.NUMBER_MEANING, Form.TRUE_FALSE),
        Family.RECALL: (Form.TYPED, Form.CLOZE),
    },
    FactKind.QUOTE: {
        Family.RECOGNISE: (
            Form.WHO_SAID, Form.WHICH_QUOTE, Form.SPEAKER_POSITION, Form.TRUE_FALSE,
            Form.CONFIRMATION,
        ),
        Family.RECALL: (Form.TYPED,),
    },
    FactKind.PERSON: {
        Family.RECOGNISE: (Form.CHOICE, Form.TRUE_FALSE),
        Family.RECALL: (Form.TYPED,),
    },
    FactKind.QA: {Family.RECOGNISE: (Form.FLASHCARD,), Family.RECALL: (Form.TYPED,)},
}




@dataclass(frozen=True, slots=True)
class FormSpec:
    """What a form of ``questions/forms/`` states: its family and how many choices it
    shows (at most; three when only two distractors fit), for guessing odds."""

    family: Family
    choices: int


#: The forms of ``questions/forms/``, registered with their family and choices.
FORM_SPECS: dict[Form, FormSpec] = {
    Form.DATE_EVENT: FormSpec(Family.RECOGNISE, 4),
    Form.NUMBER_MEANING: FormSpec(Family.RECOGNISE, 4),
    Form.SPEAKER_POSITION: FormSpec(Family.RECOGNISE, 4),
    Form.TRUE_FALSE: FormSpec(Family.RECOGNISE, 2),
    Form.CONFIRMATION: FormSpec(Family.RECOGNISE, 4),
}
#: The forms a builder offers unless told otherwise (the original forms); a study
#: session, ``quizapp questions``, printed quizzes and practice tests pass
#: ``forms=ALL_FORMS``.
DEFAULT_FORMS: frozenset[Form] = frozenset(Form) - frozenset(FORM_SPECS)
ALL_FORMS: frozenset[Form] = frozenset(Form)

#: How often a draw of true or false gives way to another form of the fact.
TRUE_FALSE_REDRAW = 0.5

#: Which-is-larger is offered for a figure comparable with at least this many others.
MIN_LARGER_PARTNERS = 2


def stable_hash(*parts: object) -> int:
    """A 64-bit hash of ``parts`` that is the same in every process (unlike ``hash``)."""
    data = "\x1f".join(str(p) for p in parts).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def card_rng(seed: int, card_id: str) -> random.Random:
    """The random generator of one card for one seed."""
    return random.Random(stable_hash(seed, card_id))


def according_to(speaker: str, question: str) -> str:
    """``question`` attributed to ``speaker``: "According to X, when was …?"."""
    words = question.split()
    if not words:
        return question
    first = words[0].lower().strip(",")
    second = words[1] if len(words) > 1 else ""
    lower = (
        first in WH_WORDS or first in PREPOSITIONS or (first in _ARTICLES and second[:1].islower())
    )
    body = question[0].lower() + question[1:] if lower else question
    return f"According to {speaker}, {body}"


def is_clause(text: str) -> bool:
    """Whether a reported statement reads as a clause ("Russia can …"), not a noun phrase."""
    words = {w.strip(",.;:").lower().replace("\u2019", "'") for w in text.split()}
    return bool(words & _FINITE)


def _name_words(person: Person) -> frozenset[str]:
    """The content words of every name of ``person`` (to spot a name in a text)."""
    return person.name_words


def _split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return [p for p in parts if p]


def _cut(words: list[str], limit: int) -> str:
    if len(words) <= limit:
        return " ".join(words)
    return " ".join(words[:limit]).rstrip(",;:") + "\u2026"


@dataclass(frozen=True, slots=True)
class _ChoicePlan:
    prompt: str
    answer: str
    accepted: tuple[str, ...]
    ordered: OrderedCandidates | None = None
    tiers: tuple[tuple[Candidate, ...], ...] = ()  # distractors, drawn from the first tier first


_ATTRIBUTION_REACH = 3  # sentences before a quote searched for the one naming its speaker


def _name_span(text: str, names: list[str]) -> tuple[int, int] | None:
    """Where the first of ``names`` (longest first) stands in ``text`` as whole words."""
    for name in names:
        m = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text)
        if m is not None:
            return m.start(), m.end()
    return None


@dataclass(frozen=True, slots=True)
class _TypedPlan:
    prompt: str
    answers: tuple[str, ...]
    input_kind: str
    back: str | None = None
    partial: tuple[str, ...] = ()  # names that earn PARTIAL (see Question.partial_answers)


@dataclass(frozen=True, slots=True)
class _QuotePlan:
    prompt: str
    text: str  # the answer as an option (see quote_option)
    person: str  # the speaker's key
    tiers: tuple[tuple[str, ...], ...]  # quote fact ids, nearest in length first


@dataclass(frozen=True, slots=True)
class _LargerPlan:
    label: str
    others: tuple[tuple[str, str, bool], ...]  # (fact id, label, this fact is larger)


@dataclass(frozen=True, slots=True)
class _TimelinePlan:
    event: TimelineEvent
    candidates: tuple[TimelineEvent, ...]


_Plan = (
    _ChoicePlan | _TypedPlan | _QuotePlan | _LargerPlan | _TimelinePlan | PickPlan | TrueFalsePlan
)


class QuestionBuilder:
    """Builds the questions of one deck's cards; construct once, build many."""

    def __init__(
        self,
        deck: Deck,
        fetch: Callable[[str], Fact | None] | None = None,
        forms: frozenset[Form] = DEFAULT_FORMS,
        *,
        whole_quotes: bool = False,
    ) -> None:
        """Index ``deck`` once (facts by kind, unit, precision, speaker, role, quotation).

        ``fetch`` lets ``deck`` leave its Q/A facts out: a Q/A question needs
        its own fact only, and no other question uses Q/A facts, so each is
        fetched by id when its card is first asked. ``forms``: the forms offered
        (see :data:`DEFAULT_FORMS`). ``whole_quotes``: a quotation in a prompt
        is never cut to :data:`MAX_PROMPT_WORDS` (exports and printed quizzes
        carry the speaker's whole words; the study screen keeps prompts short).
        """
        self.deck = deck
        self.whole_quotes = whole_quotes
        self.offered = forms
        #: Per-deck values the planners of ``questions/forms/`` compute once.
        self.form_cache: dict[str, object] = {}
        self.index = DeckIndex(deck, fetch)
        self._plans: dict[tuple[str, Form], _Plan | None] = {}
        self._forms: dict[tuple[str, Family], tuple[Form, ...]] = {}
        self._options: dict[str, str | None] = {}
        self._labels: dict[str, str | None] = {}
        self.checker = QuestionChecker(deck)
        self._value_spans: dict[str, list[tuple[int, int, str]]] = {}
        #: (fact id, form) → the rules its question broke; the form is not offered again.
        self.dropped: dict[tuple[str, Form], tuple[str, ...]] = {}
        self._passed: set[tuple[str, Form]] = set()
        self._planners: dict[tuple[FactKind, Form], Callable[[Fact], _Plan | None]] = {
            (FactKind.DATE, Form.CHOICE): self._plan_date_choice,
            (FactKind.DATE, Form.TYPED): self._plan_date_typed,
            (FactKind.DATE, Form.CLOZE): self._plan_cloze,
            (FactKind.DATE, Form.TIMELINE): self._plan_timeline,
            (FactKind.NUMBER, Form.CHOICE): self._plan_number_choice,
            (FactKind.NUMBER, Form.LARGER): self._plan_larger,
            (FactKind.NUMBER, Form.TYPED): self._plan_number_typed,
            (FactKind.NUMBER, Form.CLOZE): self._plan_cloze,
            (FactKind.QUOTE, Form.WHO_SAID): self._plan_who_said,
            (FactKind.QUOTE, Form.WHICH_QUOTE): self._plan_which_quote,
            (FactKind.QUOTE, Form.TYPED): self._plan_quote_typed,
            (FactKind.PERSON, Form.CHOICE): self._plan_position_choice,
            (FactKind.PERSON, Form.TYPED): self._plan_person_typed,
            (FactKind.QA, Form.FLASHCARD): self._plan_flashcard,
            (FactKind.QA, Form.TYPED): self._plan_qa_typed,
            (FactKind.DATE, Form.DATE_EVENT): self._form(plan_date_event),
            (FactKind.NUMBER, Form.NUMBER_MEANING): self._form(plan_number_meaning),
            (FactKind.QUOTE, Form.SPEAKER_POSITION): self._form(plan_speaker_position),
            (FactKind.QUOTE, Form.CONFIRMATION): self._form(plan_confirmation),
        }
        for kind in (FactKind.DATE, FactKind.NUMBER, FactKind.QUOTE, FactKind.PERSON):
            self._planners[(kind, Form.TRUE_FALSE)] = self._form(plan_true_false)

    # ------------------------------------------------------------------ public API

    def families_for(self, fact_id: str) -> tuple[Family, ...]:
        """The families that have at least one form for this fact."""
        return tuple(fam for fam in Family if self.forms_for(fact_id, fam))

    def forms_for(self, fact_id: str, family: Family) -> tuple[Form, ...]:
        """The forms this fact can be asked in, within ``family``."""
        key = (fact_id, family)
        forms = self._forms.get(key)
        if forms is None:
            fact = self.index.facts.get(fact_id)
            candidates = FORMS_BY_KIND.get(fact.kind, {}).get(family, ()) if fact else ()
            forms = tuple(
                f for f in candidates if f in self.offered and self._plan(fact_id, f) is not None
            )
            self._forms[key] = forms
        return forms

    def build(
        self,
        card_id: str,
        fact_id: str,
        family: Family,
        rng: random.Random,
        form: Form | None = None,
        exclude: frozenset[Form] = frozenset(),
    ) -> Question | None:
        """A question for one card (a random available form unless ``form``); None if none."""
        available = [f for f in self.forms_for(fact_id, family) if f not in exclude]
        if form is not None:
            available = [form] if form in available else []
        if not available:
            return None
        first = rng.choice(available)
        if first is Form.TRUE_FALSE and len(available) > 1 and rng.random() < TRUE_FALSE_REDRAW:
            # Two choices teach less and a guess is right half the time: true or
            # false is drawn half as often as each other form of the fact.
            first = rng.choice([f for f in available if f is not Form.TRUE_FALSE])
        order = [first] + [f for f in available if f is not first]
        fact = self.index.facts[fact_id]
        for f in order:
            plan = self._plan(fact_id, f)
            if plan is None:
                continue
            question = self._realise(card_id, fact, family, f, plan, rng)
            if question is not None and self._guarded(question, fact):
                return question
        return None

    def _guarded(self, question: Question, fact: Fact) -> bool:
        """Whether ``question`` passes the run-time guard; if not, drop its form for the fact.

        A dropped form is not offered for that fact again by this builder, so
        :meth:`build` falls back to the next form of its (seeded) order.
        """
        # A typed question (no choices, no items) is the same every time: checked once.
        fixed = question.choices is None and question.items is None
        if fixed and (fact.id, question.form) in self._passed:
            return True
        problems = self.checker.problems(question, fact)
        if not problems:
            if fixed:
                self._passed.add((fact.id, question.form))
            return True
        self.dropped[(fact.id, question.form)] = tuple(problems)
        self._plans[(fact.id, question.form)] = None
        for family in Family:
            self._forms.pop((fact.id, family), None)
        return False

    def known_names(self) -> tuple[str, ...]:
        """Every person or speaker name of the deck (for :func:`grading.grade`)."""
        return self.index.known_names()

    # ------------------------------------------------------------------ for forms/

    def _form(self, planner: Callable[[QuestionBuilder, Fact], _Plan | None]) -> Callable[
        [Fact], _Plan | None
    ]:
        return lambda fact: planner(self, fact)

    def asked(self, fact: Fact, question: str) -> str:
        """``question`` with "According to <speaker>, " when the fact lies in a quotation."""
        return self._asked(fact, question)

    def leaks(self, prompt: str, answers: tuple[str, ...]) -> bool:
        """Whether ``prompt`` gives away any of ``answers``."""
        return self._leaks(prompt, answers)

    def written_number(self, fact: Fact) -> str:
        """The fact's number with its qualifier: "more than 50%"."""
        return self._written_number(fact)

    def container_speaker(self, fact: Fact) -> Person | None:
        """The speaker of the quotation that holds ``fact``, if any."""
        return self._container_speaker(fact)

    def said_by(self, person: Person, text_norm: str) -> bool:
        """Whether ``person`` (or one related to them) said words beginning with ``text_norm``."""
        return self._said_by(person, text_norm)

    def answer_in_sentence(self, fact: Fact) -> tuple[str, int] | None:
        """The evidence sentence and the answer's offset in it."""
        return self._answer_in_sentence(fact)

    def prompt_excerpt(self, text: str, avoid: frozenset[str]) -> str | None:
        """Up to about 40 words of a quotation, whole sentences, free of ``avoid`` words."""
        return self._prompt_excerpt(text, avoid)

    def choice_plan(self, fact_id: str, form: Form) -> tuple[tuple[Candidate, ...], ...] | None:
        """The checked distractor tiers of a fact's choice form (who said, position)."""
        plan = self._plan(fact_id, form)
        if not isinstance(plan, _ChoicePlan) or not plan.tiers:
            return None
        return plan.tiers

    # ------------------------------------------------------------------ plans

    def _plan(self, fact_id: str, form: Form) -> _Plan | None:
        key = (fact_id, form)
        if key in self._plans:
            return self._plans[key]
        fact = self.index.facts.get(fact_id)
        planner = self._planners.get((fact.kind, form)) if fact else None
        plan = planner(fact) if planner is not None and fact is not None else None
        self._plans[key] = plan
        return plan

    def _container_speaker(self, fact: Fact) -> Person | None:
        qid = self.index.container.get(fact.id)
        if qid is None:
            return None
        return self.index.person_of(self.index.facts[qid].speaker)

    def _asked(self, fact: Fact, question: str) -> str:
        """``question`` with "According to <speaker>, " when the fact lies in a quotation."""
        speaker = self._container_speaker(fact)
        if speaker is None:
            return question
        if _name_words(speaker) & frozenset(tokens(question)):
            return question
        return according_to(speaker.display, question)

    def _stem(self, fact: Fact) -> str | None:
        stem = clean_space(fact.stem or "")
        if not stem:
            if fact.kind is FactKind.DATE and fact.event:
                stem = f"What is the date of this event: {clean_space(fact.event)}?"
            elif fact.kind is FactKind.NUMBER and fact.counts:
                stem = f"What figure does the article give for {clean_space(fact.counts)}?"
            else:
                return None
        return self._asked(fact, stem)

    @staticmethod
    def _leaks(prompt: str, answers: tuple[str, ...]) -> bool:
        """Whether ``prompt`` gives away any of ``answers`` (numbers by their digits too)."""
        prompt_tokens = set(tokens(prompt))
        for answer in answers:
            if not answer:
                continue
            if contains_phrase(prompt, answer):
                return True
            for tok in tokens(answer):
                if (tok[0].isdigit() or tok in NUMBER_WORDS) and tok in prompt_tokens:
                    return True
        return False

    def _plan_date_choice(self, fact: Fact) -> _Plan | None:
        prompt = self._stem(fact)
        cands = date_candidates(self.index, fact.id)
        if prompt is None or cands is None or not can_draw(cands):
            return None
        if self._leaks(prompt, (cands.answer.text, fact.text)):
            return None
        accepted = tuple(dict.fromkeys((cands.answer.text, fact.text)))
        return _ChoicePlan(prompt, cands.answer.text, accepted, ordered=cands)

    def _date_answers(self, fact: Fact, with_text: bool = False) -> tuple[str, ...]:
        """Accepted dates: as shown, ISO, and with the publication year for a yearless day.

        The article's own words count only ``with_text`` (a cloze) or when they give
        the whole date: "November of the same year" is right in its sentence, but a
        bare "November" does not answer "When were the forces deployed?".
        """
        d = self.index.date_of[fact.id]
        shown = format_date(d, self.index.date_style(fact.id))
        answers = [shown, d.iso()]
        if with_text or parse_date_text(fact.text) == d:
            answers.insert(1, fact.text)
        year = self.index.published_year(fact)
        if d.year is None and year is not None:
            answers.append(d.with_year(year).iso())
        return tuple(dict.fromkeys(a for a in answers if a))

    def _plan_date_typed(self, fact: Fact) -> _Plan | None:
        prompt = self._stem(fact)
        if prompt is None or fact.id not in self.index.date_of:
            return None
        answers = self._date_answers(fact)
        if self._leaks(prompt, (*answers[:2],)):
            return None
        return _TypedPlan(prompt, answers, "date")

    def _plan_number_choice(self, fact: Fact) -> _Plan | None:
        prompt = self._stem(fact)
        cands = number_candidates(self.index, fact.id) if fact.id in self.index.unit_of else None
        if prompt is None or cands is None or not can_draw(cands):
            return None
        if self._leaks(prompt, (cands.answer.text, fact.text)):
            return None
        accepted = tuple(dict.fromkeys((cands.answer.text, self._written_number(fact))))
        return _ChoicePlan(prompt, cands.answer.text, accepted, ordered=cands)

    @staticmethod
    def _written_number(fact: Fact) -> str:
        """The fact's number with its qualifier: "more than 50%"."""
        text = clean_space(fact.text)
        q = clean_space(fact.qualifier or "")
        if q and qualifier_kind(q) != "exact" and not norm_text(text).startswith(norm_text(q)):
            return f"{q} {text}"
        return text

    def _plan_number_typed(self, fact: Fact) -> _Plan | None:
        prompt = self._stem(fact)
        if prompt is None or fact.id not in self.index.unit_of or not fact.text:
            return None
        written = self._written_number(fact)
        answers = tuple(
            dict.fromkeys((written, fact.text, plain_number(fact.number_value, fact.unit)))
        )
        if self._leaks(prompt, (fact.text,)):
            return None
        return _TypedPlan(prompt, answers, "number")

    def _answer_in_sentence(self, fact: Fact) -> tuple[str, int] | None:
        """The evidence sentence and the answer's offset in it."""
        found = self.index.sentence_of(fact)
        if found is None:
            if fact.sentence and fact.text and fact.sentence.count(fact.text) == 1:
                return fact.sentence, fact.sentence.index(fact.text)
            return None
        sentence, start = found
        if fact.start is not None:
            i = fact.start - start
            if i >= 0 and sentence[i : i + len(fact.text)] == fact.text:
                return sentence, i
        if fact.text and sentence.count(fact.text) == 1:
            return sentence, sentence.index(fact.text)
        return None

    def _plan_cloze(self, fact: Fact) -> _Plan | None:
        if not fact.text.strip():
            return None
        if fact.kind is FactKind.DATE and fact.id not in self.index.date_of:
            return None
        if fact.kind is FactKind.DATE and parse_date_text(fact.text) is None:
            # "on Tuesday", "yesterday afternoon": the blank would test the article's
            # words about time, which nothing in the sentence lets a student work out.
            return None
        if fact.kind is FactKind.NUMBER and fact.id not in self.index.unit_of:
            return None
        found = self._answer_in_sentence(fact)
        if found is None:
            return None
        sentence, i = found
        shown = cloze_text(sentence, i, len(fact.text), self._values_in_sentence(fact, sentence))
        if opening_pronoun(shown):
            # "He clarified that …": name the speaker of the words, or ask no cloze.
            speaker = self._container_speaker(fact)
            if speaker is None:
                return None
            shown = name_the_pronoun(shown, speaker.display)
        blanked = balance_quotes(shown)
        prompt = CLOZE_LEAD + blanked
        if self._leaks(blanked, (fact.text,)):
            return None
        if fact.kind is FactKind.DATE:
            answers = (fact.text, *self._date_answers(fact, with_text=True))
            kind = "date"
        else:
            answers = (fact.text, plain_number(fact.number_value, fact.unit))
            kind = "number"
        return _TypedPlan(prompt, tuple(dict.fromkeys(answers)), kind)

    def _values_in_sentence(self, fact: Fact, sentence: str) -> list[tuple[int, int]]:
        """Where other date and number facts stand in ``fact``'s evidence sentence.

        A cloze masks them: two facts of one sentence are related, and a cloze of
        one must not show the other's key.
        """
        found = self.index.sentence_of(fact)
        if found is None or found[0] != sentence or fact.source_id is None:
            return []
        start = found[1]
        spans = self._value_spans.get(fact.source_id)
        if spans is None:
            spans = self._value_spans[fact.source_id] = sorted(
                (g.start, g.end, g.text)
                for g in self.deck.facts
                if g.kind in (FactKind.DATE, FactKind.NUMBER)
                and g.source_id == fact.source_id
                and g.start is not None
                and g.end is not None
            )
        out: list[tuple[int, int]] = []
        k = bisect.bisect_left(spans, (start, -1, ""))
        while k < len(spans) and spans[k][0] < start + len(sentence):
            s, e, text = spans[k]
            k += 1
            if (s, e) != (fact.start, fact.end) and sentence[s - start : e - start] == text:
                out.append((s - start, e - start))
        return out

    def _figure_label(self, fact: Fact) -> str | None:
        """How a "which is larger?" choice names a figure: its event, else what it counts."""
        if fact.id in self._labels:
            return self._labels[fact.id]
        found = None
        for label in (fact.event, fact.counts):
            if label and clean_space(label) and not contains_phrase(label, fact.text):
                found = capitalise(clean_space(label))
                break
        self._labels[fact.id] = found
        return found

    def _plan_larger(self, fact: Fact) -> _Plan | None:
        ix = self.index
        key = ix.comparable_key.get(fact.id)
        label = self._figure_label(fact)
        if key is None or label is None:
            return None
        own = literal_range(fact.number_value, fact.qualifier)
        others: list[tuple[str, str, bool]] = []
        labels = {norm_text(label)}
        for scanned, gid in enumerate(ix.comparable.get(key, ())):
            if scanned > 64 or len(others) >= 8:
                break
            if gid == fact.id:
                continue
            g = ix.facts[gid]
            glabel = self._figure_label(g)
            if glabel is None or norm_text(glabel) in labels:
                continue
            theirs = literal_range(g.number_value, g.qualifier)
            if own.overlaps(theirs):
                continue
            labels.add(norm_text(glabel))
            others.append((gid, glabel, own.lo >= theirs.hi))
        if len(others) < MIN_LARGER_PARTNERS:
            # With a single comparable figure the question is the same coin toss
            # every time it is asked; it needs several quantities of one kind.
            return None
        return _LargerPlan(label, tuple(others))

    def _plan_timeline(self, fact: Fact) -> _Plan | None:
        ix = self.index
        pos = ix.event_pos.get(fact.id)
        if pos is None:
            return None
        event = ix.events[pos]
        found: list[TimelineEvent] = []
        labels = {event.label_key}
        for step in range(1, 400):
            for i in (pos - step, pos + step):
                if 0 <= i < len(ix.events):
                    e = ix.events[i]
                    disjoint = e.hi < event.lo or e.lo > event.hi
                    if disjoint and e.label_key not in labels:
                        labels.add(e.label_key)
                        found.append(e)
            if len(found) >= 12 or (step > pos and pos + step >= len(ix.events)):
                break
        if len(_disjoint_greedy(found)) < 2:
            return None
        return _TimelinePlan(event, tuple(found))

    def _quote_prompt(self, fact: Fact, person: Person) -> str | None:
        """ "Who said …?" for a quote, with an excerpt that does not name the speaker.

        None for words with too little content ("Yes this is true") and for a
        reported statement that opens with a pronoun ("we are talking about …"):
        it stands for a speaker the question may not name.
        """
        if content_word_count(fact.text) < MIN_QUOTE_CONTENT_WORDS:
            return None
        if fact.reported and opening_pronoun(fact.text):
            return None
        text = self._prompt_excerpt(fact.text, _name_words(person))
        if text is None:
            return None
        container = self._container_speaker(fact)
        if container is not None and container.key == person.key:
            container = None
        if fact.reported:
            clause = re.sub(r"^that\s+", "", text.rstrip(" .;:,"), flags=re.IGNORECASE)
            if is_clause(clause):
                question = f"Who said that {clause}?"
                return according_to(container.display, question) if container else question
            who = container.display if container else "the article"
            return f"To whom does {who} attribute this: \u201c{text}\u201d?"
        quoted = text.rstrip(" .,;:")  # "Who said: “… doing there?”" ends with its own mark
        end = "" if quoted.endswith(("?", "!")) else "?"
        question = f"Who said: \u201c{quoted}\u201d{end}"
        return according_to(container.display, question) if container else question

    def _prompt_excerpt(self, text: str, avoid: frozenset[str]) -> str | None:
        """Up to about 40 words of a quotation, whole sentences, free of ``avoid`` words.

        With ``whole_quotes``, every sentence from the first one free of
        ``avoid`` words to the end, never cut.
        """
        limit = None if self.whole_quotes else MAX_PROMPT_WORDS
        sentences = _split_sentences(clean_space(text))
        for first in range(len(sentences)):
            words: list[str] = []
            for s in sentences[first:]:
                if limit is not None and words and len(words) + len(s.split()) > limit:
                    break
                words += s.split()
            chosen = " ".join(words) if limit is None else _cut(words, limit)
            if frozenset(tokens(chosen)) & avoid:
                continue
            return chosen if first == 0 else "\u2026" + chosen
        return None

    def _people_pool(
        self, person: Person, banned: set[str], prompt: str, seed_key: str
    ) -> tuple[tuple[Candidate, ...], ...]:
        """Other speakers (then other people) of the answer's sort: persons with persons,
        organisations with organisations, states and places with their like (see
        :func:`~quizapp.questions.index.speaker_sort`). With fewer than two of the
        answer's sort there is no pool: the form is not offered.
        """
        ix = self.index
        prompt_words = frozenset(tokens(prompt))
        same: list[Candidate] = []
        seen = {norm_text(person.display)}
        for group in (ix.speakers, ix.non_speakers):
            if not group:
                continue
            offset = stable_hash(seed_key) % len(group)
            scanned = 0
            for k in range(len(group)):
                p = group[(offset + k) % len(group)]
                if len(same) >= 8 or scanned > 400:
                    break
                scanned += 1
                if p.key in banned or p.display_norm in seen or p.sort != person.sort:
                    continue
                if _name_words(p) & prompt_words:
                    continue
                seen.add(p.display_norm)
                same.append(Candidate(p.display, 0.0, p.display_norm, True))
        return (tuple(same),) if len(same) >= 2 else ()

    def _plan_who_said(self, fact: Fact) -> _Plan | None:
        ix = self.index
        person = ix.person_of(fact.speaker)
        if person is None or fact.id not in ix.quote_norm:
            return None
        prompt = self._quote_prompt(fact, person)
        if prompt is None:
            return None
        banned = set(ix.related_people(person))
        for owner in ix.text_people.get(ix.quote_norm[fact.id], ()):
            banned |= ix.related_people(ix.people[owner])
        qid = ix.container.get(fact.id)
        while qid is not None and qid not in banned:
            banned.add(ix.quote_person.get(qid, ""))
            banned.add(qid)
            qid = ix.container.get(qid)
        tiers = self._people_pool(person, banned, prompt, fact.id)
        if sum(len(t) for t in tiers) < 2:
            return None
        return _ChoicePlan(prompt, person.display, ix.accepted_names(person), tiers=tiers)

    def _plan_quote_typed(self, fact: Fact) -> _Plan | None:
        person = self.index.person_of(fact.speaker)
        if person is None or not fact.text.strip():
            return None
        prompt = self._quote_prompt(fact, person)
        if prompt is None:
            return None
        ix = self.index
        return _TypedPlan(
            prompt, ix.accepted_names(person), "name", partial=ix.speaks_for_names(person)
        )

    def _plan_which_quote(self, fact: Fact) -> _Plan | None:
        """ "Which of these did X say?" with whole clauses as options (see :func:`quote_option`).

        Not offered when the quotation's option is unfit, or when fewer than two
        other quotations give options of a similar length in the same grammatical
        person.
        """
        ix = self.index
        person = ix.person_of(fact.speaker)
        option = self._option(fact.id)
        if person is None or option is None:
            return None
        words = ix.quote_words.get(fact.id, 0)
        avoid = _name_words(person)
        related = ix.related_people(person)
        own = ix.quote_norm[fact.id]
        persons = grammatical_person(option)
        primary: list[str] = []
        secondary: list[str] = []
        seen_options = {norm_text(option)}
        pos = bisect.bisect_left(ix.quote_lengths, words)
        n = len(ix.quotes_by_length)
        for step in range(0, 300):
            if len(primary) >= 8 and len(secondary) >= 4:
                break
            if pos - step - 1 < 0 and pos + step >= n:
                break
            for i in (pos + step, pos - step - 1):
                if not 0 <= i < n:
                    continue
                _, qid = ix.quotes_by_length[i]
                if qid == fact.id or ix.quote_person.get(qid) in related:
                    continue
                speaker = ix.people.get(ix.quote_person.get(qid, ""))
                if speaker is None or speaker.sort != person.sort:
                    continue  # a person's words among a state's give the answer away
                theirs = ix.quote_norm[qid]
                if theirs in own or own in theirs or self._said_by(person, theirs):
                    continue
                if frozenset(theirs.split()) & avoid:
                    continue
                shown = self._option(qid)
                if shown is None or grammatical_person(shown) != persons:
                    continue
                if norm_text(shown) in seen_options:
                    continue
                seen_options.add(norm_text(shown))
                same = ix.facts[qid].reported == fact.reported
                bucket = primary if same else secondary
                if len(bucket) < 8:
                    bucket.append(qid)
        # Verbatim and reported statements: those of the answer's sort are drawn first,
        # and at least one must be shown, so that the answer is never the only one of
        # its sort (options agree in grammatical person either way).
        if not primary:
            return None
        tiers: tuple[tuple[str, ...], ...] = (tuple(primary), tuple(secondary))
        picked = self._pick_quotes(option, person, [q for t in tiers for q in t])
        if len(picked) < 2 or picked[0] not in primary:
            return None
        container = self._container_speaker(fact)
        if container is not None and container.key == person.key:
            container = None
        if fact.reported:
            who = container.display if container else "the article"
            prompt = f"Which of these statements does {who} attribute to {person.display}?"
        else:
            prompt = f"Which of these did {person.display} say?"
            if container is not None:
                prompt = according_to(container.display, prompt)
        return _QuotePlan(prompt, option, person.key, tiers)

    def _option(self, quote_id: str) -> str | None:
        """A quotation as a which-quote option (cached); None if it cannot be one."""
        if quote_id not in self._options:
            f = self.index.facts[quote_id]
            self._options[quote_id] = quote_option(f.text, f.reported)
        return self._options[quote_id]

    def _plan_position_choice(self, fact: Fact) -> _Plan | None:
        ix = self.index
        person = ix.person_of(fact.name)
        if person is None or not fact.role or not role_key(fact.role) or not fact.name:
            return None
        prompt = self._asked(fact, f"What position does {clean_space(fact.name)} hold?")
        answer = capitalise(clean_space(fact.role))
        if self._leaks(prompt, (answer,)):
            return None
        avoid = _name_words(person)
        pos = bisect.bisect_left(ix.role_lengths, len(fact.role))
        n = len(ix.roles)
        main: list[Candidate] = []
        others: list[Candidate] = []
        seen = {norm_text(answer)}
        used_owners = {person.key}
        for step in range(0, 200):
            if len(main) >= 8 or (pos - step - 1 < 0 and pos + step >= n):
                break
            for i in (pos + step, pos - step - 1):
                if not 0 <= i < n:
                    continue
                entry = ix.roles[i]
                if entry.owners & used_owners or entry.key in person.roles:
                    continue
                if any(jaccard(entry.words, w) >= 0.5 for w in person.role_words):
                    continue
                if entry.shown_norm in seen or frozenset(entry.shown_norm.split()) & avoid:
                    continue
                bucket = main if entry.primary else others
                if len(bucket) >= 8:
                    continue
                seen.add(entry.shown_norm)
                used_owners |= entry.owners
                bucket.append(Candidate(entry.shown, 0.0, entry.shown_norm, True))
        if len(main) + len(others) < 2:
            return None
        accepted = (answer, *(capitalise(r) for r in person.roles.values()))
        tiers = (tuple(main), tuple(others))
        return _ChoicePlan(prompt, answer, tuple(dict.fromkeys(accepted)), tiers=tiers)

    def _plan_person_typed(self, fact: Fact) -> _Plan | None:
        ix = self.index
        person = ix.person_of(fact.name)
        if person is None or not fact.name:
            return None
        avoid = _name_words(person)
        for role in (fact.role, *fact.roles):
            if not role or not role_key(role):
                continue
            if ix.role_owners.get(role_key(role)) != frozenset({person.key}):
                continue
            prompt = self._asked(fact, f"Who is the {strip_article(clean_space(role))}?")
            if frozenset(tokens(prompt)) & avoid:
                continue
            names = (clean_space(fact.name), *ix.accepted_names(person))
            return _TypedPlan(prompt, tuple(dict.fromkeys(names)), "name")
        return None

    def _plan_flashcard(self, fact: Fact) -> _Plan | None:
        front, back = clean_space(fact.front or ""), clean_space(fact.back or "")
        if not front or not back or contains_phrase(front, back):
            return None
        return _TypedPlan(front, (back,), "reveal", back=back)

    def _plan_qa_typed(self, fact: Fact) -> _Plan | None:
        front, back = clean_space(fact.front or ""), clean_space(fact.back or "")
        if fact.media:  # a picture or sound on the back is not typed: its words are
            from quizapp.facts.media import ALTERNATIVE_RE

            back = clean_space(ALTERNATIVE_RE.sub(" ", back))
        if not front or not back or contains_phrase(front, back):
            return None
        return _TypedPlan(front, (back,), "text")

    # ------------------------------------------------------------------ realising

    def _evidence(self, fact: Fact) -> Evidence:
        found = self.index.sentence_of(fact)
        if found is None:
            return Evidence(fact.sentence, fact.start, fact.end, fact.source_id)
        sentence, start = found
        hs = he = None
        if fact.start is not None and fact.end is not None:
            hs, he = fact.start - start, fact.end - start
            if not (0 <= hs <= he <= len(sentence)):
                hs = he = None
        return Evidence(sentence, fact.start, fact.end, fact.source_id, hs, he)

    def _speaker_evidence(self, fact: Fact, evidence: Evidence) -> Evidence:
        """For a question whose answer is who said a quote: the sentence that names them.

        The quote's own sentence when it names the speaker ("…,” said X."),
        with the name highlighted; otherwise the source from the nearest of the
        :data:`_ATTRIBUTION_REACH` sentences before it that names the speaker
        ("This was stated by X:") to the end of the quote, the name
        highlighted; failing that, the quote's sentence with the next one when
        that one names them. The quote alone when no sentence near it names them.
        """
        person = self.index.person_of(fact.speaker)
        sentence = evidence.sentence
        if person is None or not sentence:
            return evidence
        names = sorted(self.index.accepted_names(person), key=len, reverse=True)
        found = _name_span(sentence, names)
        if found is not None:
            return Evidence(sentence, evidence.start, evidence.end, evidence.source_id, *found)
        source = self.index.sources.get(fact.source_id) if fact.source_id else None
        located = self.index.sentence_of(fact)
        if source is None or located is None:
            return evidence
        from quizapp.facts.text import sentence_bounds

        text = source.text
        begin = located[1]
        end = begin + len(located[0])
        if text[begin:end] != located[0]:
            return evidence
        for _ in range(_ATTRIBUTION_REACH):
            p = begin - 1
            while p >= 0 and text[p].isspace():
                p -= 1
            if p < 0:
                break
            begin = sentence_bounds(text, p, p + 1)[0]
            found = _name_span(text[begin:end], names)
            if found is not None:
                return Evidence(text[begin:end], evidence.start, evidence.end,
                                evidence.source_id, *found)
        # A report followed by its attribution ("… withdraws. This was said by X.")
        begin = located[1]
        n = end
        while n < len(text) and text[n].isspace():
            n += 1
        if n < len(text):
            after = sentence_bounds(text, n, n + 1)[1]
            found = _name_span(text[begin:after], names)
            if found is not None:
                return Evidence(text[begin:after], evidence.start, evidence.end,
                                evidence.source_id, *found)
        return evidence

    def _realise(
        self,
        card_id: str,
        fact: Fact,
        family: Family,
        form: Form,
        plan: _Plan,
        rng: random.Random,
    ) -> Question | None:
        evidence = self._evidence(fact)
        if fact.kind is FactKind.QUOTE and (
                form is Form.WHO_SAID
                or (isinstance(plan, _TypedPlan) and plan.input_kind == "name")):
            evidence = self._speaker_evidence(fact, evidence)

        def question(**kw: Any) -> Question:
            return Question(
                card_id=card_id, fact_id=fact.id, family=family, form=form,
                evidence=evidence, **kw,
            )  # fmt: skip

        if isinstance(plan, _TypedPlan):
            return question(
                prompt=plan.prompt,
                answers=plan.answers,
                choices=None,
                input_kind=plan.input_kind,
                back=plan.back,
                partial_answers=plan.partial,
            )
        if isinstance(plan, _ChoicePlan):
            if plan.ordered is not None:
                drawn = draw_ordered(rng, plan.ordered)
                if drawn is None:
                    return None
                shown = [c.text for c in drawn]
            else:
                picks: list[str] = []
                for tier in plan.tiers:
                    texts = [c.text for c in tier]
                    rng.shuffle(texts)
                    picks += texts[: 3 - len(picks)]
                shown = [plan.answer, *picks]
                rng.shuffle(shown)
            return question(
                prompt=plan.prompt,
                answers=plan.accepted,
                choices=tuple(shown),
                input_kind="choice",
            )
        if isinstance(plan, _QuotePlan):
            return self._realise_which_quote(plan, rng, question)
        if isinstance(plan, PickPlan):
            pool = list(plan.distractors)
            rng.shuffle(pool)
            picked = pool[: FORM_SPECS[form].choices - 1]
            shown = [plan.answer, *(text for text, _ in picked)]
            rng.shuffle(shown)
            return question(
                prompt=plan.prompt,
                answers=(plan.answer,),
                choices=tuple(shown),
                input_kind="choice",
                related_fact_ids=tuple(dict.fromkeys((*(g for _, g in picked), *plan.related))),
            )
        if isinstance(plan, TrueFalsePlan):
            true = rng.random() < 0.5
            prompt, claimed = (
                (plan.true_prompt, plan.true_shown or plan.actual)
                if true
                else rng.choice(plan.false_prompts)
            )
            return question(
                prompt=prompt,
                answers=(TRUE_FALSE_CHOICES[0] if true else TRUE_FALSE_CHOICES[1],),
                choices=TRUE_FALSE_CHOICES,
                input_kind="choice",
                related_fact_ids=plan.related,
                note=plan.verdict_text(true, claimed),
                claimed=claimed,
                actual=plan.actual,
            )
        if isinstance(plan, _LargerPlan):
            other_id, other_label, mine_larger = rng.choice(plan.others)
            shown = [plan.label, other_label]
            rng.shuffle(shown)
            prompt = LARGER_PROMPT
            mine = self._container_speaker(fact)
            theirs = self._container_speaker(self.index.facts[other_id])
            if mine is not None and theirs is not None and mine.key == theirs.key:
                prompt = according_to(mine.display, prompt)
            return question(
                prompt=prompt,
                answers=(plan.label if mine_larger else other_label,),
                choices=tuple(shown),
                input_kind="choice",
                related_fact_ids=(other_id,),
            )
        return self._realise_timeline(plan, rng, question)

    def _realise_which_quote(
        self, plan: _QuotePlan, rng: random.Random, question: Callable[..., Question]
    ) -> Question | None:
        person = self.index.people[plan.person]
        order: list[str] = []
        for tier in plan.tiers:
            tier_ids = list(tier)
            rng.shuffle(tier_ids)
            order += tier_ids
        chosen = self._pick_quotes(plan.text, person, order)
        # An unlucky order (too few, or none of the answer's sort): the plan's own order works.
        if len(chosen) < 2 or chosen[0] not in plan.tiers[0]:
            chosen = self._pick_quotes(plan.text, person, [q for t in plan.tiers for q in t])
        shown = self._quote_choices(plan.text, person, chosen)
        if shown is None or len(shown) < 3:
            return None
        answer = shown[0]
        rng.shuffle(shown)
        return question(
            prompt=plan.prompt,
            answers=(answer,),
            choices=tuple(shown),
            input_kind="choice",
            related_fact_ids=tuple(chosen),
        )

    def _said_by(self, person: Person, text_norm: str) -> bool:
        """Whether ``person`` (or one they speak for, or who speaks for them) said words
        that begin with ``text_norm`` (normalised)."""
        ix = self.index
        return any(
            ix.quote_norm[q].startswith(text_norm)
            for key in ix.related_people(person)
            for q in ix.people[key].quote_ids
        )

    def _pick_quotes(self, answer_text: str, person: Person, order: list[str]) -> list[str]:
        """Up to three quotations from ``order`` whose excerpts read differently."""
        chosen: list[str] = []
        for qid in order:
            if len(chosen) == 3:
                break
            if self._quote_choices(answer_text, person, [*chosen, qid]) is not None:
                chosen.append(qid)
        return chosen

    def _quote_choices(
        self, answer_option: str, person: Person, quote_ids: list[str]
    ) -> list[str] | None:
        """The answer's option and those of ``quote_ids``; None if they are unfit together.

        Unfit: a quotation has no option, two options read the same, the longest
        option has more than :data:`OPTION_LENGTH_RATIO` times the words of the
        shortest, or a distractor is words ``person`` said.
        """
        shown = [answer_option]
        for qid in quote_ids:
            option = self._option(qid)
            if option is None or self._said_by(person, norm_text(option)):
                return None
            shown.append(option)
        if len({norm_text(t) for t in shown}) != len(shown):
            return None
        lengths = [len(t.split()) for t in shown]
        if max(lengths) > OPTION_LENGTH_RATIO * min(lengths):
            return None
        return shown

    def _date_shown(self, fact_id: str) -> str:
        """A date fact's value as a reader would write it ("November 2020"), else its text.

        A day written without a year ("April 16") is shown with the year the
        timeline placed it in (the source's publication year), so that it
        reads in order after "2023".
        """
        date = self.index.date_of.get(fact_id)
        if date is not None and date.year is None and date.month is not None:
            year = self.index.published_year(self.index.facts[fact_id])
            if year is not None:
                date = dataclasses.replace(date, year=year)
        shown = format_date(date) if date is not None else ""
        return shown or self.index.facts[fact_id].text

    def _realise_timeline(
        self, plan: _TimelinePlan, rng: random.Random, question: Callable[..., Question]
    ) -> Question | None:
        if not isinstance(plan, _TimelinePlan):
            return None
        cands = list(plan.candidates)
        rng.shuffle(cands)
        wanted = rng.randint(2, 4)
        chosen: list[TimelineEvent] = []
        for e in cands:
            if len(chosen) >= wanted:
                break
            if all(e.hi < o.lo or e.lo > o.hi for o in chosen):
                chosen.append(e)
        if len(chosen) < 2:
            chosen = _disjoint_greedy(list(plan.candidates))[:wanted]
        if len(chosen) < 2:
            return None
        events = sorted([plan.event, *chosen], key=lambda e: e.lo)
        ordered = [e.label for e in events]
        items = ordered[:]
        while items == ordered:
            rng.shuffle(items)
        return question(
            prompt=TIMELINE_PROMPT,
            answers=(TIMELINE_SEPARATOR.join(ordered),),
            choices=None,
            input_kind="order",
            items=tuple(items),
            related_fact_ids=tuple(e.fact_id for e in chosen),
            item_dates=tuple(self._date_shown(e.fact_id) for e in events),
        )


def _disjoint_greedy(events: list[TimelineEvent]) -> list[TimelineEvent]:
    """A largest set of pairwise disjoint events (earliest end first)."""
    chosen: list[TimelineEvent] = []
    for e in sorted(events, key=lambda e: (e.hi, e.lo)):
        if all(e.hi < o.lo or e.lo > o.hi for o in chosen):
            chosen.append(e)
    return chosen


def question_json(question: Question) -> dict[str, Any]:
    """One question as in DESIGN.md's question JSON."""
    answers: list[Any] = list(question.answers)
    if question.form is Form.TIMELINE:
        answers = [question.answers[0].split(TIMELINE_SEPARATOR)]
    data: dict[str, Any] = {
        "card_id": question.card_id,
        "fact_id": question.fact_id,
        "family": question.family.value,
        "form": question.form.value,
        "prompt": question.prompt,
        "choices": list(question.choices) if question.choices is not None else None,
        "answers": answers,
        "evidence": {
            "sentence": question.evidence.sentence,
            "start": question.evidence.start,
            "end": question.evidence.end,
        },
    }
    if question.items is not None:
        data["items"] = list(question.items)
    return data


def card_id_for(fact_id: str, family: Family | str) -> str:
    """The name a fact's question in a family is seeded by in exports: ``<fact_id>/<family>``."""
    return f"{fact_id}/{Family(family).value}"


def questions_for_deck(
    deck: Deck,
    seed: int,
    builder: QuestionBuilder | None = None,
) -> list[Question]:
    """One question per fact and family with a form (for exports: a note per family), seeded."""
    builder = builder or QuestionBuilder(deck, forms=ALL_FORMS)
    out: list[Question] = []
    for fact_id in builder.index.facts:
        for family in builder.families_for(fact_id):
            card_id = card_id_for(fact_id, family)
            question = builder.build(card_id, fact_id, family, card_rng(seed, card_id))
            if question is not None:
                out.append(question)
    return out


def questions_per_card(
    deck: Deck,
    seed: int,
    cards: Mapping[str, tuple[str, Family]] | None = None,
    builder: QuestionBuilder | None = None,
) -> list[Question]:
    """One question per card, that is per fact with a form, seeded.

    ``cards`` maps a fact id to its stored card id and the family its memory is
    asked in now (:func:`quizapp.scheduling.memory.family_for`); a fact not in
    it (a deck file that is not stored) has the fact id as its card id and is
    new, so it is asked in its first recognise form. A fact with no form in
    that family is asked in the other.
    """
    builder = builder or QuestionBuilder(deck, forms=ALL_FORMS)
    out: list[Question] = []
    for fact_id in builder.index.facts:
        card_id, family = (cards or {}).get(fact_id, (fact_id, Family.RECOGNISE))
        for fam in (family, *(f for f in Family if f is not family)):
            question = builder.build(card_id, fact_id, fam, card_rng(seed, card_id))
            if question is not None:
                out.append(question)
                break
    return out


def questions_json(
    deck: Deck, seed: int, cards: Mapping[str, tuple[str, Family]] | None = None
) -> dict[str, Any]:
    """The question JSON of DESIGN.md for ``deck``: one question per card (fact), for ``seed``."""
    return {
        "deck": deck.id,
        "seed": seed,
        "questions": [question_json(q) for q in questions_per_card(deck, seed, cards)],
    }
