"""Audit built questions against the rules a teacher expects, straight from the facts.

:class:`QuestionChecker` re-derives every rule from the deck's facts by plain
scans (no shared indexes with the builder), so it can check the builder: the
answer is among the choices exactly once, choices are distinct and written in
one style, no distractor is true by any fact (qualifier bounds included), the
prompt does not give the answer away, a cloze blanks exactly the answer, a
timeline's events do not overlap, and the canonical answer grades as right.
It is the run-time guard of :class:`~quizapp.questions.generate.QuestionBuilder`:
a question that breaks a rule is not shown (the builder drops that form for
that fact), and tests use it to check the builder on random decks.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.facts.speakers import SpeakerRelations
from quizapp.questions.dates import (
    PartialDate,
    detect_date_style,
    format_date,
    parse_date_text,
    parse_iso_date,
    period,
    published_year,
)
from quizapp.questions.grading import grade
from quizapp.questions.index import (
    PERSON_SORT,
    looks_like_person,
    role_key,
    speaker_sort,
    unit_key,
)
from quizapp.questions.model import Form, Question, Verdict
from quizapp.questions.normalize import (
    TIME_WORDS,
    contains_phrase,
    content_words,
    norm_text,
    tokens,
)
from quizapp.questions.numbers import (
    NUMBER_WORDS,
    Interval,
    detect_style,
    literal_range,
    parse_number,
    plausible_range,
    qualifier_kind,
    same_value,
    trailing_zeros,
)
from quizapp.questions.prompts import (
    BLANK,
    CLOZE_LEAD,
    MIN_QUOTE_CONTENT_WORDS,
    OPTION_LENGTH_RATIO,
    TIMELINE_SEPARATOR,
    balance_quotes,
    cloze_text,
    content_word_count,
    grammatical_person,
    name_the_pronoun,
    opening_pronoun,
)


@dataclass(slots=True)
class _NumberGroup:
    """The facts of one counted quantity: exact values (sorted) and bounds."""

    exact: list[tuple[float, Fact]] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    bounds: list[tuple[Interval, Fact]] = field(default_factory=list)

    def add(self, g: Fact, uk: str) -> None:
        if qualifier_kind(g.qualifier) != "exact":
            self.bounds.append((plausible_range(g.number_value, g.qualifier, uk), g))
        else:
            self.exact.append((g.number_value, g))


_CHOICE_COUNT = {
    Form.CHOICE: (3, 4), Form.WHO_SAID: (3, 4), Form.WHICH_QUOTE: (3, 4),
    Form.DATE_EVENT: (3, 4), Form.NUMBER_MEANING: (3, 4), Form.SPEAKER_POSITION: (3, 4),
    Form.TRUE_FALSE: (2, 2), Form.CONFIRMATION: (3, 4),
}  # fmt: skip


def _number_key(text: str) -> float:
    """A choice's value, to put two number choices in order (0 when unreadable)."""
    reading = parse_number(text)
    return reading.value if reading is not None else 0.0


#: A check of one question against its fact: the problems found.
_Check = Callable[[Question, Fact], list[str]]


class QuestionChecker:
    """Checks questions of one deck against the generic rules.

    Each rule reads the deck's facts through plain lookup tables the checker
    builds for itself on first use (none shared with the builder), so a check
    costs about the same on a deck of ten facts and of a hundred thousand.
    """

    def __init__(self, deck: Deck) -> None:
        """Remember the deck to check questions against; its tables are built when needed."""
        self.deck = deck
        self.sources = {s.id: s for s in deck.sources}
        self.relations = SpeakerRelations.of(deck)
        self._speaker_pairs: dict[tuple[str, ...], bool] = {}
        self._graded: dict[tuple[object, ...], Verdict] = {}

    @cached_property
    def _choice_checks(self) -> dict[FactKind, _Check]:
        """The check of a multiple-choice question's choices, by fact kind."""
        return {FactKind.NUMBER: self._check_number_choices,
                FactKind.DATE: self._check_date_choices,
                FactKind.PERSON: self._check_roles}

    @cached_property
    def _form_checks(self) -> dict[Form, _Check]:
        """The check proper to each form that has one."""
        return {Form.WHO_SAID: self._check_speakers,
                Form.WHICH_QUOTE: self._check_quotes,
                Form.CLOZE: self._check_cloze,
                Form.TIMELINE: self._check_timeline,
                Form.LARGER: self._check_larger,
                Form.DATE_EVENT: self._check_date_event,
                Form.NUMBER_MEANING: self._check_number_meaning,
                Form.SPEAKER_POSITION: self._check_positions,
                Form.TRUE_FALSE: self._check_true_false,
                Form.CONFIRMATION: self._check_confirmation}

    @cached_property
    def facts(self) -> dict[str, Fact]:
        """The deck's facts by id."""
        return {f.id: f for f in self.deck.facts}

    @cached_property
    def _people(self) -> tuple[set[str], dict[str, set[str]]]:
        names: set[str] = set()
        roles: dict[str, set[str]] = {}
        for f in self.deck.facts:
            name = f.name if f.kind is FactKind.PERSON else f.speaker
            if f.kind in (FactKind.PERSON, FactKind.QUOTE) and name:
                names.add(norm_text(name))
                for role in (f.role, *f.roles):
                    if role:
                        roles.setdefault(role_key(role), set()).add(norm_text(name))
        for sp in self.deck.speakers:
            for name in (sp.name, *sp.aliases):
                names.add(norm_text(name))
        return names, roles

    @property
    def names(self) -> set[str]:
        """Every normalised person or speaker name of the deck (aliases included)."""
        return self._people[0]

    @property
    def roles(self) -> dict[str, set[str]]:
        """Role key → the normalised names of those who hold it."""
        return self._people[1]

    @cached_property
    def _sorts(self) -> dict[str, str]:
        """Speaker key (as :class:`SpeakerRelations` groups names) → its sort: a person, an
        organisation, or a state or place (:func:`~quizapp.questions.index.speaker_sort`)."""
        rel = self.relations
        names: dict[str, set[str]] = {}
        with_role: set[str] = set()
        with_fact: set[str] = set()
        for f in self.deck.facts:
            name = f.name if f.kind is FactKind.PERSON else f.speaker
            if f.kind not in (FactKind.PERSON, FactKind.QUOTE) or not name:
                continue
            key = rel.entity(name)
            names.setdefault(key, set()).add(name)
            if f.role or f.roles:
                with_role.add(key)
            if f.kind is FactKind.PERSON:
                with_fact.add(key)
        for sp in self.deck.speakers:
            names.setdefault(rel.entity(sp.name), set()).update((sp.name, *sp.aliases))
        surnames: dict[str, int] = {}
        for written in names.values():
            for n in {norm_text(x).split()[-1] for x in written if looks_like_person(x)}:
                surnames[n] = surnames.get(n, 0) + 1
        out: dict[str, str] = {}
        for key, written in names.items():
            out[key] = speaker_sort(written, has_role=key in with_role,
                                    person_fact=key in with_fact)
            alone = {norm_text(x) for x in written}
            if len(alone) == 1 and " " not in (one := next(iter(alone))) \
                    and surnames.get(one) == 1:
                out[key] = PERSON_SORT  # "Pashinyan", the one person of that surname
        return out

    def sort_of(self, name: str) -> str | None:
        """The sort of the speaker ``name`` names (None for a name the deck does not hold)."""
        return self._sorts.get(self.relations.entity(name))

    def _mixed_sorts(self, what: str, asked: str, names: dict[str, set[str]]) -> list[str]:
        """Choices (each with the speakers it stands for) of a sort other than ``asked``'s."""
        mine = self.sort_of(asked)
        out: list[str] = []
        for choice, speakers in names.items():
            sorts = {sort for n in speakers if (sort := self.sort_of(n)) is not None}
            if mine is not None and sorts and mine not in sorts:
                out.append(f"{what} {choice!r} is of another sort ({', '.join(sorted(sorts))}) "
                           f"than {asked} ({mine})")
        return out

    @cached_property
    def _quotes(self) -> list[tuple[Fact, str]]:
        return [(g, norm_text(g.text)) for g in self.deck.facts if g.kind is FactKind.QUOTE]

    @cached_property
    def _quote_words(self) -> dict[str, list[int]]:
        postings: dict[str, list[int]] = {}
        for i, (_, body) in enumerate(self._quotes):
            for w in set(body.split()):
                postings.setdefault(w, []).append(i)
        return postings

    def _quotes_containing(self, body: str) -> list[tuple[Fact, str]]:
        """The quotations whose normalised text contains ``body`` (normalised)."""
        # A holder has every inner word of ``body`` as a whole word (its first and
        # last may be the ends of longer words); look only where the rarest one is.
        inner = body.split()[1:-1]
        if not inner:
            return [(g, text) for g, text in self._quotes if body in text]
        rarest = min((self._quote_words.get(w, []) for w in inner), key=len)
        return [self._quotes[i] for i in rarest if body in self._quotes[i][1]]

    @cached_property
    def _number_groups(self) -> dict[tuple[str, frozenset[str]], _NumberGroup]:
        """Facts that count the same kind of thing (same unit, same words), by that key."""
        groups: dict[tuple[str, frozenset[str]], _NumberGroup] = {}
        for g in self.deck.facts:
            if g.kind is FactKind.NUMBER:
                words = content_words(g.counts or "", drop=TIME_WORDS)
                if words:
                    key = (unit_key(g.unit), words)
                    groups.setdefault(key, _NumberGroup()).add(g, key[0])
        for group in groups.values():
            group.exact.sort(key=lambda vf: vf[0])
            group.values = [v for v, _ in group.exact]
        return groups

    def _related_speakers(self, a: str, b: str) -> bool:
        """:meth:`SpeakerRelations.related`, remembered (names repeat from question to question)."""
        key = (a, b)
        found = self._speaker_pairs.get(key)
        if found is None:
            found = self._speaker_pairs[key] = self.relations.related(a, b)
        return found

    def _same_speaker(self, a: str, b: str) -> bool:
        key = (a, b, "same")
        found = self._speaker_pairs.get(key)
        if found is None:
            found = self._speaker_pairs[key] = self.relations.same(a, b)
        return found

    @cached_property
    def _dates_by_event(self) -> dict[str, list[Fact]]:
        groups: dict[str, list[Fact]] = {}
        for g in self.deck.facts:
            if g.kind is FactKind.DATE:
                groups.setdefault(self._event_key(g), []).append(g)
        return groups

    @cached_property
    def _events_by_label(self) -> dict[str, Fact]:
        return {
            norm_text(g.event): g for g in self.deck.facts if g.kind is FactKind.DATE and g.event
        }

    @cached_property
    def _values_by_source(self) -> dict[str | None, list[tuple[int, int, Fact]]]:
        """Date and number facts of each source, by where they start."""
        groups: dict[str | None, list[tuple[int, int, Fact]]] = {}
        for g in self.deck.facts:
            kind = g.kind in (FactKind.DATE, FactKind.NUMBER)
            if kind and g.source_id is not None and g.start is not None and g.end is not None:
                groups.setdefault(g.source_id, []).append((g.start, g.end, g))
        for spans in groups.values():
            spans.sort(key=lambda se: (se[0], se[1]))
        return groups

    @cached_property
    def _quotes_by_source(self) -> dict[str | None, list[Fact]]:
        groups: dict[str | None, list[Fact]] = {}
        for g in self.deck.facts:
            if g.kind is FactKind.QUOTE and g.start is not None and g.end is not None:
                groups.setdefault(g.source_id, []).append(g)
        return groups

    def problems(self, question: Question, fact: Fact | None = None) -> list[str]:
        """Every rule ``question`` breaks (empty when it is fine).

        ``fact`` is the question's own fact, for a deck that leaves some facts
        out (its Q/A notes are fetched one by one); by default it is looked up.
        """
        fact = fact or self.facts.get(question.fact_id)
        if fact is None:
            return [f"unknown fact {question.fact_id}"]
        out: list[str] = []
        if not question.prompt.strip():
            out.append("empty prompt")
        if question.prompt.count("“") != question.prompt.count("”"):
            out.append("the prompt opens a quotation mark it does not close (or the reverse)")
        if not question.answers or not question.answers[0]:
            return [*out, "no answer"]
        out += self._check_grading(question)
        out += self._check_leak(question, fact)
        if question.choices is not None:
            out += self._check_choices(question)
        if question.form is Form.CHOICE:
            by_kind = self._choice_checks.get(fact.kind)
            if by_kind is not None:
                out += by_kind(question, fact)
        by_form = self._form_checks.get(question.form)
        if by_form is not None:
            out += by_form(question, fact)
        if fact.kind is FactKind.QUOTE and question.form in (Form.WHO_SAID, Form.TYPED):
            out += self._check_quote_content(fact)
        if question.form in (
            Form.CHOICE, Form.TYPED, Form.DATE_EVENT, Form.NUMBER_MEANING
        ) and fact.kind in (
            FactKind.DATE,
            FactKind.NUMBER,
            FactKind.PERSON,
        ):
            out += self._check_attribution(question, fact)
        return out

    # ------------------------------------------------------------------ generic

    def _check_grading(self, q: Question) -> list[str]:
        if q.form is Form.FLASHCARD:
            verdict = grade(q, "", self_rating=3).verdict
        elif q.form is Form.TIMELINE:
            verdict = grade(q, q.answers[0].split(TIMELINE_SEPARATOR)).verdict
        elif q.choices is None:
            # A typed question's grading depends on its answers alone: remember it.
            key = (q.form, q.input_kind, q.answers, q.partial_answers)
            verdict = self._graded.get(key) or grade(q, q.answers[0], self.deck.options).verdict
            self._graded[key] = verdict
        else:
            verdict = grade(q, q.answers[0], self.deck.options).verdict
        return [] if verdict is Verdict.RIGHT else [f"canonical answer graded {verdict}"]

    def _check_leak(self, q: Question, fact: Fact) -> list[str]:
        if q.form in (Form.TIMELINE, Form.LARGER, Form.TRUE_FALSE):
            return []  # a true-or-false statement shows its value by design
        answer = q.answers[0]
        prompt = q.prompt
        if q.form is Form.CLOZE:
            prompt = prompt.replace(BLANK, " ")
        if contains_phrase(prompt, answer):
            return [f"prompt contains its answer {answer!r}"]
        prompt_words = set(tokens(prompt))
        # "What does the article count as 1,960?" shows its figure by design: the
        # answer is what is counted.
        if fact.kind is FactKind.NUMBER and q.form is not Form.NUMBER_MEANING:
            for tok in tokens(answer):
                if (tok[0].isdigit() or tok in NUMBER_WORDS) and tok in prompt_words:
                    return [f"prompt contains the number {tok!r}"]
            # The same figure written another way ("5-year" for "five years").
            for tok in sorted(prompt_words):
                if tok[0].isdigit() or tok in NUMBER_WORDS:
                    reading = parse_number(tok)
                    if reading is not None and same_value(reading.value, fact.number_value):
                        return [f"prompt gives the figure as {tok!r}"]
        if q.input_kind == "name" or q.form is Form.WHO_SAID:
            words = [w for w in tokens(answer) if len(w) > 3]
            if words and words[-1] in prompt_words:
                return [f"prompt contains the name {words[-1]!r}"]
        return []

    def _check_choices(self, q: Question) -> list[str]:
        out: list[str] = []
        choices = q.choices or ()
        count = sum(1 for c in choices if c == q.answers[0])
        if count != 1:
            out.append(f"answer appears {count} times among the choices")
        norms = [norm_text(c) for c in choices]
        if len(set(norms)) != len(norms):
            out.append(f"duplicate choices {choices}")
        accepted = {norm_text(a) for a in q.answers}
        extra = [c for c in choices if c != q.answers[0] and norm_text(c) in accepted]
        if extra:
            out.append(f"choices {extra} are also accepted answers")
        lo, hi = _CHOICE_COUNT.get(q.form, (2, 2) if q.form is Form.LARGER else (2, 4))
        if not lo <= len(choices) <= hi:
            out.append(f"{len(choices)} choices")
        return out

    # ------------------------------------------------------------------ numbers

    def _related(self, fact: Fact, other: Fact) -> bool:
        """Whether two number facts count the same kind of thing (same unit, same words)."""
        if unit_key(fact.unit) != unit_key(other.unit):
            return False
        a = content_words(fact.counts or "", drop=TIME_WORDS)
        b = content_words(other.counts or "", drop=TIME_WORDS)
        return bool(a) and a == b

    def _check_number_choices(self, q: Question, fact: Fact) -> list[str]:
        out: list[str] = []
        choices = q.choices or ()
        readings = [parse_number(c) for c in choices]
        if any(r is None for r in readings):
            return [f"unreadable number among {choices}"]
        values = [r.value for r in readings if r is not None]
        if len({round(v, 9) for v in values}) != len(values):
            out.append(f"choices with equal values {choices}")
        if values != sorted(values):
            out.append(f"number choices not in order {choices}")
        styles = [detect_style(c, v, fact.unit) for c, v in zip(choices, values, strict=True)]
        if any(s is None for s in styles):
            return [*out, f"choice not in a recognisable style {choices}"]
        answer_i = choices.index(q.answers[0]) if q.answers[0] in choices else 0
        ref = styles[answer_i]
        assert ref is not None
        ref_m = ref.mantissa(values[answer_i])
        for c, v, s in zip(choices, values, styles, strict=True):
            assert s is not None
            sig = (s.notation, s.decimals, s.prefix, s.suffix, s.scale_word.strip(), s.qualifier)
            ref_sig = (
                ref.notation,
                ref.decimals,
                ref.prefix,
                ref.suffix,
                ref.scale_word.strip(),
                ref.qualifier,
            )
            if sig != ref_sig:
                out.append(f"choice {c!r} is not written like the answer {q.answers[0]!r}")
            if norm_text(s.unit_plural) != norm_text(ref.unit_plural):
                out.append(f"choice {c!r} has another unit than {q.answers[0]!r}")
            m = s.mantissa(v)
            if m is not None and ref_m is not None and s.notation in ("digits", "words"):
                # Half of a round answer (5% beside 10%) is as round as it can be below it.
                half = ref_m % 10 == 0 and m * 2 == ref_m
                if trailing_zeros(m) != trailing_zeros(ref_m) and ref_m and m and not half:
                    out.append(f"choice {c!r} is rounder or less round than {q.answers[0]!r}")
                if s.notation == "digits" and abs(v) / s.scale >= 1000:
                    has_sep = "," in c
                    if has_sep != ref.separator:
                        out.append(f"choice {c!r} uses other thousands separators")
        uk = unit_key(fact.unit)
        for c, v in zip(choices, values, strict=True):
            if c == q.answers[0]:
                continue
            if v in plausible_range(fact.number_value, fact.qualifier, uk) or same_value(
                v, fact.number_value
            ):
                out.append(f"distractor {c!r} is the fact's own value")
            # A bound makes values true only for its own quantity: only facts that
            # count the same kind of thing (same unit, same words) can make a value true.
            words = content_words(fact.counts or "", drop=TIME_WORDS)
            group = self._number_groups.get((uk, words)) if words else None
            if group is None:
                continue
            for r, g in group.bounds:
                if g.id != fact.id and v in r:
                    out.append(f"distractor {c!r} is true by {g.id} ({g.qualifier} {g.text})")
            i = bisect.bisect_left(group.values, v - 0.01 * abs(v))
            while i < len(group.values) and group.values[i] <= v + 0.01 * abs(v):
                g = group.exact[i][1]
                if g.id != fact.id and same_value(v, group.values[i]):
                    out.append(f"distractor {c!r} is true by related fact {g.id}")
                i += 1
        return out

    def _check_larger(self, q: Question, fact: Fact) -> list[str]:
        if len(q.related_fact_ids) != 1:
            return ["larger without its other fact"]
        other = self.facts[q.related_fact_ids[0]]
        if not self._related(fact, other):
            return [f"{fact.id} and {other.id} do not count the same kind of thing"]
        mine = literal_range(fact.number_value, fact.qualifier)
        theirs = literal_range(other.number_value, other.qualifier)
        if mine.overlaps(theirs):
            return ["the two figures may be equal"]
        larger_is_mine = mine.lo >= theirs.hi
        choices = q.choices or ()
        answer_i = choices.index(q.answers[0]) if q.answers[0] in choices else -1
        labels = [norm_text(c) for c in choices]
        mine_label = norm_text(fact.event or fact.counts or "")
        if (labels[answer_i] == mine_label) != larger_is_mine:
            return ["the larger figure is not the answer"]
        return []

    # ------------------------------------------------------------------ dates

    def _event_key(self, fact: Fact) -> str:
        return norm_text(fact.event or fact.stem or "")

    def _period(self, fact: Fact, d: PartialDate) -> tuple[int, int] | None:
        source = self.sources.get(fact.source_id) if fact.source_id else None
        return period(d, published_year(source.published) if source else None)

    def _check_date_choices(self, q: Question, fact: Fact) -> list[str]:
        out: list[str] = []
        answer = parse_iso_date(fact.date_value)
        choices = q.choices or ()
        style = detect_date_style(q.answers[0])
        parsed = [parse_date_text(c) for c in choices]
        if any(p is None for p in parsed):
            return [f"unreadable date among {choices}"]
        seen: set[PartialDate] = set()
        for c, p in zip(choices, parsed, strict=True):
            assert p is not None
            if p.precision != answer.precision:
                out.append(f"date {c!r} has another precision than {q.answers[0]!r}")
            if format_date(p, style) != c:
                out.append(f"date {c!r} is not written like {q.answers[0]!r}")
            if p in seen:
                out.append(f"duplicate date {c!r}")
            seen.add(p)
            if c == q.answers[0]:
                continue
            if p == answer:
                out.append(f"distractor {c!r} equals the answer")
            for g in self._dates_by_event.get(self._event_key(fact), []):
                gd = parse_iso_date(g.date_value)
                if (
                    p.month is not None
                    and p.day is not None
                    and (p.month, p.day)
                    == (
                        gd.month,
                        gd.day,
                    )
                ):
                    out.append(f"distractor {c!r} is the day of {g.id}")
                gp, cp = self._period(g, gd), self._period(fact, p)
                if gp and cp and cp[0] <= gp[1] and gp[0] <= cp[1]:
                    out.append(f"distractor {c!r} overlaps {g.id}")
        return out

    def _check_timeline(self, q: Question, fact: Fact) -> list[str]:
        ordered = q.answers[0].split(TIMELINE_SEPARATOR)
        items = list(q.items or ())
        out: list[str] = []
        if sorted(items) != sorted(ordered):
            out.append("items are not the events of the answer")
        if not 3 <= len(ordered) <= 5:
            out.append(f"{len(ordered)} events on a timeline")
        if items == ordered:
            out.append("items are shown already in order")
        by_label = self._events_by_label
        periods: list[tuple[int, int]] = []
        for label in ordered:
            g = by_label.get(norm_text(label))
            p = self._period(g, parse_iso_date(g.date_value)) if g else None
            if p is None:
                out.append(f"event {label!r} has no datable fact")
                continue
            periods.append(p)
        for a, b in itertools.pairwise(periods):
            if not a[1] < b[0]:
                out.append("timeline events overlap or are out of order")
        if norm_text(fact.event or "") not in {norm_text(x) for x in ordered}:
            out.append("the card's own event is not on its timeline")
        return out

    # ------------------------------------------------------------------ people

    def _check_speakers(self, q: Question, fact: Fact) -> list[str]:
        out: list[str] = []
        # Everyone the article gives these words to: the speakers of every quotation
        # that holds them (a quotation inside them is someone else's), and whoever
        # speaks for one of those or is spoken for.
        body = norm_text(fact.text)
        holders = self._quotes_containing(body)
        same_text = {norm_text(g.speaker or "") for g, text in holders if text == body}
        owners = {g.speaker or "" for g, _ in holders}
        for c in q.choices or ():
            n = norm_text(c)
            if n not in self.names:
                out.append(f"speaker choice {c!r} is not a name of the deck")
            if c == q.answers[0]:
                continue
            if n in same_text:
                out.append(f"distractor {c!r} said these words")
            elif any(self._related_speakers(c, o) for o in owners):
                out.append(f"distractor {c!r} is {fact.speaker}, speaks for them or is spoken for")
        for a, b in itertools.combinations(q.choices or (), 2):
            if self._same_speaker(a, b):
                out.append(f"choices {a!r} and {b!r} name one speaker")
        out += self._mixed_sorts("speaker choice", fact.speaker or "",
                                 {c: {c} for c in q.choices or () if c != q.answers[0]})
        return out

    @staticmethod
    def _check_quote_content(fact: Fact) -> list[str]:
        out: list[str] = []
        if content_word_count(fact.text) < MIN_QUOTE_CONTENT_WORDS:
            out.append(f"quotation {fact.text!r} has too little content to ask who said it")
        pronoun = opening_pronoun(fact.text) if fact.reported else None
        if pronoun:
            out.append(f"reported statement opens with {pronoun!r} and names no one")
        return out

    def _check_roles(self, q: Question, fact: Fact) -> list[str]:
        out: list[str] = []
        own = {role_key(r) for r in (fact.role, *fact.roles) if r}
        person = norm_text(fact.name or "")
        for c in q.choices or ():
            k = role_key(c)
            if k not in self.roles:
                out.append(f"role choice {c!r} is not a role of the deck")
            elif c != q.answers[0] and (k in own or person in self.roles[k]):
                out.append(f"distractor {c!r} is a role of {fact.name}")
        return out

    def _check_quotes(self, q: Question, fact: Fact) -> list[str]:
        """Which-quote: whole clauses of quotations of the deck, alike in length and person,
        none of them also said by the asked speaker (or one they speak for)."""
        out: list[str] = []
        choices = q.choices or ()
        speaker = norm_text(fact.speaker or "")
        for c in choices:
            if "\u2026" in c:
                out.append(f"quote choice {c!r} is cut")
            if not c[:1].isupper():
                out.append(f"quote choice {c!r} does not open with a capital")
            body = norm_text(c)
            holders = self._quotes_containing(body)
            sources = [g for g, text in holders if self._opens_with(g, text, body)]
            if not sources:
                out.append(f"quote choice {c!r} is no whole clause of a quotation of the deck")
            owners = {norm_text(g.speaker or "") for g, _ in holders}
            if c != q.answers[0] and speaker in owners:
                out.append(f"distractor {c!r} was said by {fact.speaker}")
            elif c != q.answers[0] and any(
                self._related_speakers(g.speaker or "", fact.speaker or "") for g, _ in holders
            ):
                out.append(f"distractor {c!r} is also attributed to {fact.speaker}")
            if c != q.answers[0] and sources:
                out += self._mixed_sorts("quote choice", fact.speaker or "",
                                         {c: {g.speaker or "" for g in sources}})
        if choices:
            lengths = [len(c.split()) for c in choices]
            if max(lengths) > OPTION_LENGTH_RATIO * min(lengths):
                out.append(f"quote choices differ in length: {lengths} words")
            persons = {grammatical_person(c) for c in choices}
            if len(persons) > 1:
                shown = sorted(map(sorted, persons))
                out.append(f"quote choices differ in grammatical person: {shown}")
        return out

    @staticmethod
    def _opens_with(g: Fact, text: str, body: str) -> bool:
        """Whether quotation ``g`` (``text`` normalised) is ``body``, or, verbatim, opens
        with it as its first sentence."""
        if text == body:
            return True
        if g.reported or not text.startswith(body):
            return False
        first = re.split(r"(?<=[.!?])[”\"’']?\s+", g.text.strip(), maxsplit=1)[0]
        return norm_text(first) == body

    # ------------------------------------------------------------------ forms/

    def _check_date_event(self, q: Question, fact: Fact) -> list[str]:
        """Every choice names one dated event; only the answer's period meets the date."""
        out: list[str] = []
        own = self._period(fact, parse_iso_date(fact.date_value))
        if own is None:
            return ["date of an event question has no period"]
        shown = format_date(parse_iso_date(fact.date_value), detect_date_style(fact.text))
        if shown not in q.prompt:
            out.append(f"prompt does not give the date as {shown!r}")
        if norm_text(q.answers[0]) != norm_text(fact.event or ""):
            out.append(f"answer {q.answers[0]!r} is not the fact's event")
        for c in q.choices or ():
            events = [g for g in self.deck.facts
                      if g.kind is FactKind.DATE and norm_text(g.event or "") == norm_text(c)]
            if not events:
                out.append(f"event choice {c!r} is no event of the deck")
            if any(ch.isdigit() for ch in c):
                out.append(f"event choice {c!r} shows a figure")
        for g in self.deck.facts:
            if g.kind is not FactKind.DATE or not g.event or g.id == fact.id:
                continue
            if norm_text(g.event) == norm_text(fact.event or ""):
                continue
            gp = self._period(g, parse_iso_date(g.date_value))
            if gp is not None and gp[0] <= own[1] and own[0] <= gp[1]:
                out.append(f"{g.id} ({g.event}) also happened then: two right answers")
        return out

    def _check_number_meaning(self, q: Question, fact: Fact) -> list[str]:
        """Every choice is what a fact counts; none of those facts can have the value."""
        out: list[str] = []
        uk = unit_key(fact.unit)
        if norm_text(q.answers[0]) != norm_text(fact.counts or ""):
            out.append(f"answer {q.answers[0]!r} is not what the fact counts")
        mine = plausible_range(fact.number_value, fact.qualifier, uk)
        for c in q.choices or ():
            if c == q.answers[0]:
                continue
            owners = [g for g in self.deck.facts
                      if g.kind is FactKind.NUMBER and norm_text(g.counts or "") == norm_text(c)]
            if not owners:
                out.append(f"choice {c!r} is nothing the deck counts")
            for g in owners:
                gu = unit_key(g.unit)
                theirs = plausible_range(g.number_value, g.qualifier, gu)
                if gu == uk and (theirs.overlaps(mine) or same_value(g.number_value,
                                                                     fact.number_value)):
                    out.append(f"distractor {c!r} may also be {fact.text} ({g.id})")
        for g in self.deck.facts:
            if g.kind is not FactKind.NUMBER or g.id == fact.id or unit_key(g.unit) != uk:
                continue
            if norm_text(g.counts or "") == norm_text(fact.counts or ""):
                continue
            theirs = plausible_range(g.number_value, g.qualifier, uk)
            if theirs.overlaps(mine) and norm_text(g.counts or "") in {
                norm_text(c) for c in q.choices or ()
            }:
                out.append(f"{g.id} is also {fact.text}: two right answers")
        return out

    def _check_positions(self, q: Question, fact: Fact) -> list[str]:
        """The answer is the fact's words; no other choice is words the article gives to
        the asked speaker, one they speak for or one who speaks for them."""
        out: list[str] = []
        if norm_text(q.answers[0]) not in norm_text(fact.text):
            out.append(f"answer {q.answers[0]!r} is not part of {fact.id}")
        for c in q.choices or ():
            if c == q.answers[0]:
                continue
            body = norm_text(c)
            owners = {g.speaker or "" for g in self.deck.facts
                      if g.kind is FactKind.QUOTE and body in norm_text(g.text)}
            if not owners:
                out.append(f"position {c!r} is no statement of the deck")
            if any(self.relations.related(o, fact.speaker or "") or
                   norm_text(o) == norm_text(fact.speaker or "") for o in owners):
                out.append(f"distractor {c!r} is also attributed to {fact.speaker}")
            out += self._mixed_sorts("position", fact.speaker or "", {c: owners})
        return out

    def _check_confirmation(self, q: Question, fact: Fact) -> list[str]:
        """What a short answer confirmed: the quotation says too little by itself, the
        answer is words of its own sentence or the one before, and every other choice
        is words of another quotation of the deck, never of the asked speaker, one
        they speak for or one who speaks for them."""
        out: list[str] = []
        if fact.kind is not FactKind.QUOTE or fact.reported:
            return ["only a verbatim quotation is asked what it confirmed"]
        if content_word_count(fact.text) >= MIN_QUOTE_CONTENT_WORDS:
            out.append(f"quotation {fact.text!r} says enough to be asked itself")
        around = self._around(fact)
        if norm_text(q.answers[0]) not in around:
            out.append(f"answer {q.answers[0]!r} is not in the sentences of {fact.id}")
        for c in q.choices or ():
            if c == q.answers[0]:
                continue
            body = norm_text(c)
            # Words of a quotation, or what another short answer confirmed.
            holders = [g for g in self.deck.facts if g.kind is FactKind.QUOTE and g.id != fact.id
                       and (body in norm_text(g.text) or (
                           content_word_count(g.text) < MIN_QUOTE_CONTENT_WORDS
                           and body in self._around(g)))]
            if not holders:
                out.append(f"choice {c!r} is no statement of the deck")
            if any(self.relations.related(g.speaker or "", fact.speaker or "")
                   or norm_text(g.speaker or "") == norm_text(fact.speaker or "")
                   for g in holders):
                out.append(f"distractor {c!r} is also attributed to {fact.speaker}")
        return out

    def _around(self, fact: Fact) -> str:
        """The normalised text of a fact's sentence and the sentence before it."""
        from quizapp.facts.text import sentence_bounds
        from quizapp.questions.forms.confirmations import previous_sentence

        source = self.sources.get(fact.source_id or "")
        if source is None or fact.start is None or fact.end is None:
            return norm_text(fact.sentence or "")
        s, e = sentence_bounds(source.text, fact.start, fact.end)
        return norm_text(previous_sentence(source.text, s) + " " + source.text[s:e])

    def _check_true_false(self, q: Question, fact: Fact) -> list[str]:
        """True: the statement is the fact as the article gives it. False: exactly one
        value is changed, to one the multiple-choice checks find false by every fact."""
        from quizapp.questions.forms.base import FALSE, TRUE, TRUE_FALSE_CHOICES
        from quizapp.questions.forms.true_false import (
            as_subject,
            quote_statement,
            role_statement,
            sentence_statement,
        )

        if q.choices != TRUE_FALSE_CHOICES or q.answers[0] not in (TRUE, FALSE):
            return [f"true or false with choices {q.choices} and answer {q.answers[0]!r}"]
        claimed, actual = q.claimed or "", q.actual or ""
        is_true = q.answers[0] == TRUE
        out: list[str] = []
        if not is_true and norm_text(claimed) == norm_text(actual):
            out.append(f"a false statement shows the article's own value {actual!r}")
        if fact.kind in (FactKind.DATE, FactKind.NUMBER):
            found = self._sentence(fact)
            if found is None or fact.start is None:
                return ["true or false without a located sentence"]
            sentence, start = found
            # Words of a quotation may say whose they are ("Hikmet Hajiyev said: “…”").
            speakers: list[str | None] = [None, *self._holder_speaker_names(fact)]
            if not any(
                q.prompt == sentence_statement(sentence, fact.start - start, len(fact.text),
                                               claimed, speaker)
                for speaker in speakers
            ):
                out.append("statement is not the evidence sentence with one value changed")
            if is_true and claimed != fact.text:
                out.append(f"a true statement shows {claimed!r}, not {fact.text!r}")
            if not is_true:
                pair = tuple(sorted((actual, claimed), key=_number_key))
                probe = Question(q.card_id, q.fact_id, q.family, Form.CHOICE, "", (actual,),
                                 pair, q.evidence)
                if fact.kind is FactKind.NUMBER:
                    out += self._check_number_choices(probe, fact)
                else:
                    out += self._check_date_choices(probe, fact)
        elif fact.kind is FactKind.QUOTE:
            if is_true and norm_text(claimed) not in self.relations_names(fact.speaker or ""):
                out.append(f"a true statement names {claimed!r}, not {fact.speaker!r}")
            if not is_true:
                probe = Question(q.card_id, q.fact_id, q.family, Form.WHO_SAID, "", (actual,),
                                 (actual, claimed), q.evidence)
                out += self._check_speakers(probe, fact)
            subject = as_subject(claimed)
            lead = quote_statement(subject, "", fact.reported)
            lead = lead[: lead.index(subject) + len(subject)]
            if not q.prompt.startswith(lead):
                out.append("statement does not name the claimed speaker")
        elif fact.kind is FactKind.PERSON:
            if q.prompt != role_statement(fact.name or "", claimed):
                out.append("statement is not the person with one role")
            if is_true and role_key(claimed) != role_key(fact.role or ""):
                out.append(f"a true statement shows {claimed!r}, not {fact.role!r}")
            if not is_true:
                probe = Question(q.card_id, q.fact_id, q.family, Form.CHOICE, "", (actual,),
                                 (actual, claimed), q.evidence)
                out += self._check_roles(probe, fact)
        else:
            out.append(f"true or false of a {fact.kind.value} fact")
        return out

    def _holder_speaker_names(self, fact: Fact) -> tuple[str, ...]:
        """Every name of the speaker of the innermost quotation holding ``fact``."""
        inner = self._innermost_quote(fact)
        if inner is None:
            return ()
        names = set(self.relations.names(inner.speaker or ""))
        surname = norm_text(inner.speaker or "").split()[-1:]
        for g in self.deck.facts:  # the person's fuller names ("Hikmet Hajiyev" for "Hajiyev")
            name = g.name if g.kind is FactKind.PERSON else g.speaker
            if name and surname and norm_text(name).split()[-1:] == surname:
                names.add(name)
        return tuple(sorted(names))

    def relations_names(self, speaker: str) -> set[str]:
        """Every name of ``speaker`` (their aliases too), normalised."""
        return {norm_text(n) for n in (speaker, *self.relations.names(speaker))}

    # ------------------------------------------------------------------ prompts

    def _sentence(self, fact: Fact) -> tuple[str, int] | None:
        if fact.sentence is not None and fact.sentence_start is not None:
            return fact.sentence, fact.sentence_start
        source = self.sources.get(fact.source_id) if fact.source_id else None
        if source is None or fact.start is None or fact.end is None:
            return None
        from quizapp.facts.text import sentence_bounds

        s, e = sentence_bounds(source.text, fact.start, fact.end)
        return source.text[s:e], s

    def _check_cloze(self, q: Question, fact: Fact) -> list[str]:
        """The sentence with exactly the answer blanked, every other date and number of
        the sentence masked, and an opening "He"/"They" replaced by the speaker's name."""
        if q.answers[0] != fact.text:
            return [f"cloze answer {q.answers[0]!r} is not the fact's text {fact.text!r}"]
        found = self._sentence(fact)
        if found is None or fact.start is None:
            return ["cloze without a located sentence"]
        sentence, start = found
        i = fact.start - start
        end = start + len(sentence)
        # Offsets are the source's: facts without one have nothing to mask.
        spans = self._values_by_source.get(fact.source_id, []) if fact.source_id else []
        masked: list[tuple[int, int]] = []
        k = bisect.bisect_left(spans, (start,))
        while k < len(spans) and spans[k][0] < end:
            s, e, g = spans[k]
            k += 1
            if g.id != fact.id and e <= end and sentence[s - start : e - start] == g.text:
                masked.append((s - start, e - start))
        shown = cloze_text(sentence, i, len(fact.text), masked)
        out: list[str] = []
        if opening_pronoun(shown):
            named = re.match(r"[\s“\"'‘]*\[([^\]]+)\]", q.prompt[len(CLOZE_LEAD) :])
            speakers = self._container_names(fact)
            if named is None or norm_text(named.group(1)) not in speakers:
                return [f"cloze opens with {opening_pronoun(shown)!r} and names no speaker"]
            shown = name_the_pronoun(shown, named.group(1))
        if q.prompt != CLOZE_LEAD + balance_quotes(shown):
            out.append("cloze does not blank exactly the answer span and mask the other values")
        return out

    def _container_names(self, fact: Fact) -> set[str]:
        """The names (normalised) of the speaker of the innermost quotation holding ``fact``."""
        inner = self._innermost_quote(fact)
        if inner is None:
            return set()
        speaker = inner.speaker or ""
        return {norm_text(n) for n in (speaker, *self.relations.names(speaker)) if n}

    def _innermost_quote(self, fact: Fact) -> Fact | None:
        """The shortest quotation of the deck whose span holds ``fact``'s (None: none)."""
        if fact.start is None or fact.end is None:
            return None
        holders = [
            g
            for g in self._quotes_by_source.get(fact.source_id, [])
            if g.id != fact.id
            and g.start is not None
            and g.end is not None
            and g.start <= fact.start
            and fact.end <= g.end
        ]
        if not holders:
            return None
        return min(holders, key=lambda g: (g.end or 0) - (g.start or 0))

    def _check_attribution(self, q: Question, fact: Fact) -> list[str]:
        inner = self._innermost_quote(fact)
        if inner is None:
            return []
        # The speaker may be named by any of their names ("the Kremlin" for Moscow).
        words = set(tokens(q.prompt))
        surnames = {(tokens(n) or [""])[-1] for n in self.relations.names(inner.speaker or "")}
        surnames.discard("")
        if surnames and not surnames & words:
            return [f"fact inside {inner.speaker}'s quotation is not attributed to them"]
        return []
