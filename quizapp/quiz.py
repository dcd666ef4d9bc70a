"""Practice tests and printable quizzes built from one or more decks.

Both start from :func:`build_quiz`: N questions from the facts of the chosen
decks, each fact at most once, in the chosen forms (or a balanced mix of all
of them), seeded:

- ``draw`` decides *which* facts are asked and in *which* form, with which
  distractors. Asking for more questions with the same draw keeps the first
  ones (the draw goes fact by fact).
- ``version`` decides only the *order*: of the questions, and of the choices
  (or timeline events) inside each. Two versions of one draw ask the same
  questions with the same choices, so neighbouring desks get different
  papers with the same content and one answer key per version.

A question whose form shows another fact (which of two figures is larger,
which of these quotes did X say) keeps that fact out of the rest of the quiz,
so no question gives another one away.

**Practice tests** (:class:`PracticeTest`) ask such a quiz of a profile's
stored cards and commit every answer through
:meth:`quizapp.study.StudySession.record_test_answer` (kind ``test``) before
anything is shown: FSRS moves only cards already in review; new facts stay
new, outside the daily limits and true retention. A test's answers share one
``study_session`` row, which is how tests taken are kept per profile:
:func:`practice_test_history` reads them back, with their scores, from the review log.
A printed quiz changes nothing.

The mistakes of a test can become a short review round at once
(:meth:`PracticeTest.review_round`): the missed cards are asked again in an
ordinary study session (kind ``study``), like Anki's "review forgotten cards".
It has its own session row, so it never changes the test's score.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from quizapp.facts.model import Deck, FactKind
from quizapp.questions.generate import (
    ALL_FORMS,
    TIMELINE_SEPARATOR,
    QuestionBuilder,
    stable_hash,
)
from quizapp.questions.model import Family, Form, Question
from quizapp.questions.normalize import contains_phrase, norm_text
from quizapp.questions.numbers import default_style

if TYPE_CHECKING:
    from quizapp.services.collection import Collection
    from quizapp.study import ReviewResult, StudySession

__all__ = [
    "GROUP_FORMS",
    "GROUP_LABELS",
    "TEST_FORMS",
    "CardChoice",
    "FormGroup",
    "KeyEntry",
    "PracticeTest",
    "Quiz",
    "QuizError",
    "QuizItem",
    "QuizOptions",
    "ReviewRound",
    "TestItem",
    "TestReport",
    "TestScore",
    "TestSettings",
    "TestStyle",
    "answer_key",
    "build_quiz",
    "forms_of_groups",
    "group_of",
    "letter",
    "load_quiz_decks",
    "practice_test_history",
    "profile_cards",
    "quiz_json",
]

MAX_QUESTIONS = 200
_FORM_VALUES = frozenset(f.value for f in Form)

# Flashcards are self-rated: not a test question.
TEST_FORMS: frozenset[Form] = frozenset(Form) - {Form.FLASHCARD}


class FormGroup(StrEnum):
    """How a test question is answered; what a teacher or learner picks."""

    # multiple choice: choice, who said it, which quote, which is larger, what happened on
    # a date, what a figure counts, what a speaker said should happen, true or false
    CHOICE = "choice"
    TYPED = "typed"  # a typed answer (or a written one on paper)
    CLOZE = "cloze"  # fill in the blank of the article's sentence
    ORDER = "order"  # put events in order


GROUP_FORMS: dict[FormGroup, frozenset[Form]] = {
    FormGroup.CHOICE: frozenset({
        Form.CHOICE, Form.WHO_SAID, Form.WHICH_QUOTE, Form.LARGER, Form.DATE_EVENT,
        Form.NUMBER_MEANING, Form.SPEAKER_POSITION, Form.TRUE_FALSE, Form.CONFIRMATION,
    }),
    FormGroup.TYPED: frozenset({Form.TYPED}),
    FormGroup.CLOZE: frozenset({Form.CLOZE}),
    FormGroup.ORDER: frozenset({Form.TIMELINE}),
}

GROUP_LABELS: dict[FormGroup, str] = {
    FormGroup.CHOICE: "Multiple choice",
    FormGroup.TYPED: "Typed answer",
    FormGroup.CLOZE: "Fill in the blank",
    FormGroup.ORDER: "Put in order",
}


def group_of(form: Form) -> FormGroup:
    """The group a form belongs to."""
    return next(g for g, forms in GROUP_FORMS.items() if form in forms)


def forms_of_groups(groups: Iterable[FormGroup | str]) -> frozenset[Form]:
    """Every form of the given groups."""
    out: set[Form] = set()
    for g in groups:
        out |= GROUP_FORMS[FormGroup(g)]
    return frozenset(out)


def letter(index: int) -> str:
    """A, B, … Z, AA, AB … for a 0-based index."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("A") + rem) + out
    return out


class QuizError(ValueError):
    """A quiz cannot be built as asked; ``problems`` says why, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True, slots=True)
class QuizOptions:
    """What to ask: how many questions, in which forms, from which draw, in which order."""

    questions: int = 20
    forms: frozenset[Form] | None = None  # None: a balanced mix of every test form
    draw: int = 1  # which facts and forms
    version: int = 1  # the order of questions and choices (neighbouring desks)

    def __post_init__(self) -> None:
        if not 1 <= self.questions <= MAX_QUESTIONS:
            raise QuizError([f"questions: ask for 1 to {MAX_QUESTIONS} questions"])
        if self.forms is not None:
            if not self.forms:
                raise QuizError(["forms: choose at least one form"])
            if not self.forms <= TEST_FORMS:
                bad = ", ".join(sorted(f.value for f in self.forms - TEST_FORMS))
                raise QuizError([f"forms: {bad} cannot be asked in a test"])

    @property
    def mixed(self) -> bool:
        """Whether every test form may be used."""
        return self.forms is None or self.forms == TEST_FORMS

    @property
    def allowed(self) -> frozenset[Form]:
        """The forms questions may take."""
        return TEST_FORMS if self.forms is None else self.forms


@dataclass(frozen=True, slots=True)
class CardChoice:
    """A profile's card that a practice test may ask: its id and the forms it reported."""

    card_id: str
    excluded: frozenset[Form] = frozenset()


@dataclass(frozen=True, slots=True)
class QuizItem:
    """One numbered question of a quiz."""

    number: int
    deck_key: str
    deck_name: str
    fact_kind: str
    question: Question


@dataclass(frozen=True, slots=True)
class Quiz:
    """A built quiz: the questions in their version's order."""

    title: str
    deck_keys: tuple[str, ...]
    deck_names: tuple[str, ...]
    options: QuizOptions
    items: tuple[QuizItem, ...]
    candidates: int  # facts that had at least one allowed form

    @property
    def short(self) -> bool:
        """Whether fewer questions could be built than were asked for."""
        return len(self.items) < self.options.questions

    def problems(self) -> list[str]:
        """Why the quiz is short (empty when it is not)."""
        if not self.short:
            return []
        decks = ", ".join(self.deck_names) or "the chosen decks"
        if not self.items:
            return [f"questions: no question in the chosen forms can be asked from {decks}"]
        n = len(self.items)
        return [
            f"questions: only {n} question{'s' if n != 1 else ''} in the chosen forms can be "
            f"asked from {decks}; ask for {n} or fewer"
        ]


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One line of an answer key."""

    number: int
    letter: str | None  # "B", or the order "C, A, D, B"; None for written answers
    answer: str  # the right answer in words
    also: tuple[str, ...] = ()  # other accepted spellings (written answers)
    why: str = ""  # true or false: "the article gives 1,960, not 2,180"


# --------------------------------------------------------------------------
# Building


@dataclass(slots=True)
class _Candidate:
    deck: Deck
    builder: QuestionBuilder
    fact_id: str
    options: list[tuple[Family, Form, str]]  # (family, form, card id)


def _deck_candidates(
    deck: Deck,
    builder: QuestionBuilder,
    allowed: frozenset[Form],
    cards: Mapping[tuple[str, str], CardChoice] | None,
) -> list[_Candidate]:
    """The facts a quiz may ask, each with its allowed forms of both families and its card
    id (the stored card of the fact, or the fact id for a deck file that is not stored)."""
    out: list[_Candidate] = []
    for fact in deck.facts:
        opts: list[tuple[Family, Form, str]] = []
        if cards is not None:
            choice = cards.get((deck.id, fact.id))
            if choice is None:
                continue
            card_id, excluded = choice.card_id, choice.excluded
        else:
            card_id, excluded = fact.id, frozenset()
        for family in builder.families_for(fact.id):
            for form in builder.forms_for(fact.id, family):
                if form in allowed and form not in excluded:
                    opts.append((family, form, card_id))
        if opts:
            out.append(_Candidate(deck, builder, fact.id, opts))
    return out


def _interleave(per_deck: list[list[_Candidate]]) -> list[_Candidate]:
    """Round-robin over the decks so that a small deck is not drowned by a large one."""
    out: list[_Candidate] = []
    longest = max((len(x) for x in per_deck), default=0)
    for i in range(longest):
        out.extend(x[i] for x in per_deck if i < len(x))
    return out


def _form_order(cand: _Candidate, used: Counter[FormGroup], mixed: bool,
                rng: random.Random) -> list[tuple[Family, Form, str]]:
    """The fact's forms, best first: in a mix, the least used group so far comes first."""
    opts = list(cand.options)
    rng.shuffle(opts)
    if mixed:
        opts.sort(key=lambda o: used[group_of(o[1])])
    return opts


def _reorder(question: Question, fact_kind: str, rng: random.Random) -> Question:
    """The same question with its choices (or events) in another order."""
    if question.choices is not None and question.form is not Form.TRUE_FALSE:
        # True or false keeps its two choices as "A True, B False" on every paper.
        choices = list(question.choices)
        if question.form is Form.CHOICE and fact_kind in (FactKind.DATE, FactKind.NUMBER):
            # Dates and figures are listed in order: flip it, keep it readable.
            if rng.random() < 0.5:
                choices.reverse()
        else:
            rng.shuffle(choices)
        question = replace(question, choices=tuple(choices))
    if question.items is not None:
        items = list(question.items)
        rng.shuffle(items)
        question = replace(question, items=tuple(items))
    return question


class _LeakGuard:
    """Keeps out of a quiz any question that another one gives away.

    A question gives another away when its prompt holds the other's answer
    (a cloze sentence holding another figure, "According to X" when "Who said
    …?" has X for answer), or when it shows a quotation that holds a fact the
    other asks about.
    """

    def __init__(self) -> None:
        self._chosen: list[tuple[str, Question, QuestionBuilder]] = []

    @staticmethod
    def _answers(q: Question) -> tuple[str, ...]:
        if q.form is Form.TIMELINE:
            return ()
        if q.form is Form.TRUE_FALSE:
            # "True" or "False" is no content; the value the article gives is.
            return (q.actual,) if q.actual else ()
        return tuple(a for a in q.answers if a)

    @staticmethod
    def _quotes_shown(q: Question, builder: QuestionBuilder) -> set[str]:
        facts = builder.index.facts
        shown: set[str] = set()
        if q.form in (Form.WHO_SAID, Form.TYPED, Form.WHICH_QUOTE):
            fact = facts.get(q.fact_id)
            if fact is not None and fact.kind is FactKind.QUOTE:
                shown.add(q.fact_id)
        if q.form is Form.TRUE_FALSE:
            fact = facts.get(q.fact_id)
            if fact is not None and fact.kind is FactKind.QUOTE:
                shown.add(q.fact_id)
        if q.form in (Form.WHICH_QUOTE, Form.SPEAKER_POSITION, Form.CONFIRMATION):
            shown.update(q.related_fact_ids)
        return shown

    @staticmethod
    def _facts(q: Question) -> set[str]:
        return {q.fact_id, *q.related_fact_ids}

    def _clash(self, a: Question, b: Question, deck_a: str, deck_b: str,
               builder_a: QuestionBuilder, builder_b: QuestionBuilder) -> bool:
        if any(contains_phrase(b.prompt, ans) for ans in self._answers(a)):
            return True
        if deck_a != deck_b:
            return False
        shown = self._quotes_shown(b, builder_b)
        container = builder_a.index.container
        return any(container.get(f) in shown for f in self._facts(a))

    def admits(self, deck: str, q: Question, builder: QuestionBuilder) -> bool:
        """Whether ``q`` and every question admitted so far keep each other's answers."""
        for other_deck, other, other_builder in self._chosen:
            if self._clash(q, other, deck, other_deck, builder, other_builder) or \
                    self._clash(other, q, other_deck, deck, other_builder, builder):
                return False
        return True

    def add(self, deck: str, q: Question, builder: QuestionBuilder) -> None:
        """Admit ``q``."""
        self._chosen.append((deck, q, builder))


_ATTEMPTS = 4


class _Selection:
    """What the questions chosen so far ask and show."""

    def __init__(self) -> None:
        self.taken: set[tuple[str, str]] = set()  # (deck, fact) asked or shown
        self.timelines: list[frozenset[tuple[str, str]]] = []  # events of each timeline
        self.used: Counter[FormGroup] = Counter()
        self.guard = _LeakGuard()

    def admit(self, cand: _Candidate, question: Question) -> bool:
        """Take ``question`` unless it clashes with an earlier one."""
        deck = cand.deck.id
        events: frozenset[tuple[str, str]] = frozenset()
        if question.form is Form.TIMELINE:
            # A timeline shows events, not their dates: it only must not share two
            # events (their order) with another timeline.
            events = frozenset((deck, f) for f in (cand.fact_id, *question.related_fact_ids))
            if any(len(events & other) > 1 for other in self.timelines):
                return False
            shown: tuple[str, ...] = ()
        else:
            # Forms that show other facts (a figure, a quote) keep them out of the quiz.
            shown = question.related_fact_ids
            if any((deck, f) in self.taken for f in shown):
                return False
        if not self.guard.admits(deck, question, cand.builder):
            return False
        self.guard.add(deck, question, cand.builder)
        if events:
            self.timelines.append(events)
        self.taken.add((deck, cand.fact_id))
        self.taken.update((deck, f) for f in shown)
        self.used[group_of(question.form)] += 1
        return True


def build_quiz(
    decks: Sequence[Deck],
    options: QuizOptions,
    *,
    title: str | None = None,
    cards: Mapping[tuple[str, str], CardChoice] | None = None,
) -> Quiz:
    """N questions from ``decks``, each fact at most once, seeded by ``options``.

    Args:
        decks: the decks to ask from (their retired facts left out).
        options: how many questions, which forms, which draw and version.
        title: the quiz's title (default: the deck names).
        cards: for a practice test, the profile's cards that may be asked, by
            (deck key, fact key): one card per fact, asked in any allowed form of
            either family; questions then carry those card ids. Without it every
            fact may be asked, with the fact id as card id, and a quotation is
            printed whole (a practice test on screen keeps long ones short, as
            the study screen does).

    The result may hold fewer questions than asked (:attr:`Quiz.short`).
    """
    if not decks:
        raise QuizError(["decks: choose at least one deck"])
    keys = tuple(d.id for d in decks)
    if len(set(keys)) != len(keys):
        raise QuizError(["decks: a deck is named twice"])
    ordered = sorted(decks, key=lambda d: d.id)
    draw_rng = random.Random(stable_hash("quiz-draw", options.draw, *keys))
    per_deck: list[list[_Candidate]] = []
    for deck in ordered:
        builder = QuestionBuilder(deck, forms=ALL_FORMS,
                                  whole_quotes=cards is None)  # paper: whole quotes
        cands = _deck_candidates(deck, builder, options.allowed, cards)
        draw_rng.shuffle(cands)
        per_deck.append(cands)
    pool = _interleave(per_deck)

    chosen: list[tuple[_Candidate, Question]] = []
    selection = _Selection()
    for cand in pool:
        if len(chosen) >= options.questions:
            break
        if (cand.deck.id, cand.fact_id) in selection.taken:
            continue
        form_rng = random.Random(stable_hash("quiz-form", options.draw, cand.deck.id,
                                             cand.fact_id))
        question = None
        for family, form, card_id in _form_order(cand, selection.used, options.mixed,
                                                 form_rng):
            # Another draw of distractors or events may avoid a clash with earlier questions.
            for attempt in range(_ATTEMPTS):
                rng = random.Random(stable_hash("quiz-question", options.draw, cand.deck.id,
                                                cand.fact_id, form.value, attempt))
                built = cand.builder.build(card_id, cand.fact_id, family, rng, form=form)
                if built is None:
                    break
                if selection.admit(cand, built):
                    question = built
                    break
            if question is not None:
                break
        if question is not None:
            chosen.append((cand, question))

    version_rng = random.Random(stable_hash("quiz-version", options.version, options.draw,
                                            *keys))
    version_rng.shuffle(chosen)
    items: list[QuizItem] = []
    for number, (cand, question) in enumerate(chosen, start=1):
        kind = cand.builder.index.facts[cand.fact_id].kind.value
        rng = random.Random(stable_hash("quiz-choices", options.version, options.draw,
                                        cand.deck.id, cand.fact_id))
        items.append(QuizItem(number, cand.deck.id, cand.deck.name, kind,
                              _reorder(question, kind, rng)))
    names = tuple(d.name for d in decks)
    return Quiz(
        title=title or " · ".join(names),
        deck_keys=keys,
        deck_names=names,
        options=options,
        items=tuple(items),
        candidates=sum(len(x) for x in per_deck),
    )


_MACHINE_FORM = re.compile(r"^(-?\d{4}(-\d{2}){0,2}|--\d{2}-\d{2}|-?\d+\.\d{3,})$")
#: A number as the grader also accepts it: "23000000000 USD", "1960", "43%".
_PLAIN_NUMBER = re.compile(r"^(?P<value>-?\d+(?:\.\d+)?)(?P<unit>%| [A-Za-z][^\d]*)?$")


def _readable(answer: str) -> bool:
    """Whether an accepted answer reads as people write it (not 2020-11 or 0.333)."""
    return not _MACHINE_FORM.match(answer.strip())


def _as_written(answer: str) -> str:
    """An accepted answer as a person writes it: "23000000000 USD" → "$23 billion".

    Plain numbers with a unit (the grader's own form of a number fact) are
    written the way a deck writes a number it cannot copy (thousands
    separators, "billion", the currency sign); other answers are unchanged.
    """
    m = _PLAIN_NUMBER.match(answer.strip())
    if m is None:
        return answer
    value = float(m.group("value"))
    unit = (m.group("unit") or "").strip() or None
    style = default_style(value, unit)
    mantissa = style.mantissa(value)
    written = style.render(mantissa, value < 0) if mantissa is not None else None
    return written or answer


def _also_right(q: Question, right: str) -> tuple[str, ...]:
    """Up to three other accepted answers, as people write them, none the key's own."""
    seen = {norm_text(right)}
    out: list[str] = []
    for a in q.answers[1:]:
        if not _readable(a):
            continue
        text = _as_written(a)
        if norm_text(text) in seen:
            continue
        seen.add(norm_text(text))
        out.append(text)
    return tuple(out[:3])


def answer_key(quiz: Quiz) -> list[KeyEntry]:
    """The right answer of every question, with the letters a paper shows."""
    out: list[KeyEntry] = []
    for item in quiz.items:
        q = item.question
        right = q.answers[0] if q.answers else (q.back or "")
        if q.form is Form.TIMELINE and q.items is not None:
            events = right.split(TIMELINE_SEPARATOR)
            letters = ", ".join(letter(q.items.index(e)) for e in events if e in q.items)
            out.append(KeyEntry(item.number, letters, "  →  ".join(events)))
        elif q.choices is not None:
            idx = next((i for i, c in enumerate(q.choices) if c in q.answers), None)
            why = ""
            if q.form is Form.TRUE_FALSE and q.note and right == "False":
                # "The statement is false: the article gives …" -> "the article gives …"
                why = q.note.partition(": ")[2].rstrip(".") or q.note
            out.append(KeyEntry(item.number, letter(idx) if idx is not None else None, right,
                                why=why))
        else:
            out.append(KeyEntry(item.number, None, right, _also_right(q, right)))
    return out


def quiz_json(quiz: Quiz, *, with_answers: bool = True) -> dict[str, Any]:
    """The quiz as JSON: its options and every question as printed (answers optional)."""
    key = {k.number: k for k in answer_key(quiz)} if with_answers else {}
    questions = []
    for item in quiz.items:
        q = item.question
        entry: dict[str, Any] = {
            "number": item.number,
            "deck": item.deck_key,
            "fact_id": q.fact_id,
            "family": q.family.value,
            "form": q.form.value,
            "prompt": q.prompt,
            "choices": list(q.choices) if q.choices is not None else None,
            "items": list(q.items) if q.items is not None else None,
        }
        if with_answers:
            k = key[item.number]
            entry["answer"] = k.answer
            entry["letter"] = k.letter
            if k.why:
                entry["why"] = k.why
            entry["evidence"] = q.evidence.sentence
        questions.append(entry)
    return {
        "title": quiz.title,
        "decks": list(quiz.deck_keys),
        "questions_asked": quiz.options.questions,
        "forms": "mixed" if quiz.options.mixed
        else sorted(f.value for f in quiz.options.allowed),
        "draw": quiz.options.draw,
        "version": quiz.options.version,
        "questions": questions,
    }


# --------------------------------------------------------------------------
# Practice tests


class TestStyle(StrEnum):
    """When a practice test gives feedback."""

    __test__ = False  # not a pytest class

    EXAM = "exam"  # only at the end
    PRACTICE = "practice"  # after each question


@dataclass(frozen=True, slots=True)
class TestSettings:
    """What a learner chose for a practice test."""

    __test__ = False

    deck_ids: tuple[int, ...]
    options: QuizOptions = field(default_factory=QuizOptions)
    style: TestStyle = TestStyle.EXAM
    time_limit_s: int | None = None  # None: no time limit


@dataclass(frozen=True, slots=True)
class TestItem:
    """One question of a finished test, with what was answered."""

    __test__ = False

    number: int
    deck_name: str
    question: Question
    result: ReviewResult | None  # None: not answered (time ran out)

    @property
    def answered(self) -> bool:
        """Whether an answer was given (and logged)."""
        return self.result is not None

    @property
    def correct(self) -> bool:
        """Whether the answer counted as right."""
        return self.result is not None and self.result.correct

    @property
    def given(self) -> str:
        """The answer given, as the learner gave it ("" when none)."""
        return (self.result.given or "") if self.result is not None else ""

    @property
    def right_answer(self) -> str:
        """The right answer in words."""
        if self.result is not None and self.result.correct_answer:
            return self.result.correct_answer
        q = self.question
        return q.answers[0] if q.answers else (q.back or "")

    @property
    def verdict(self) -> str:
        """right, partial, wrong, or unanswered."""
        return self.result.verdict.value if self.result is not None else "unanswered"


@dataclass(frozen=True, slots=True)
class TestReport:
    """The end of a practice test: the score, the time and every question."""

    __test__ = False

    items: tuple[TestItem, ...]
    seconds: float
    style: TestStyle
    time_limit_s: int | None
    timed_out: bool
    deck_names: tuple[str, ...]
    session_id: int | None  # the study_session row holding the answers (None: none given)

    @property
    def total(self) -> int:
        """Questions in the test."""
        return len(self.items)

    @property
    def answered(self) -> int:
        """Questions answered."""
        return sum(1 for i in self.items if i.answered)

    @property
    def correct(self) -> int:
        """Questions answered right."""
        return sum(1 for i in self.items if i.correct)

    @property
    def score(self) -> float:
        """Right answers out of all questions (0 to 1)."""
        return self.correct / self.total if self.total else 0.0

    @property
    def mistakes(self) -> tuple[TestItem, ...]:
        """Questions answered wrong, partly right, or not at all."""
        return tuple(i for i in self.items if not i.correct)


def load_quiz_decks(collection: Collection, deck_ids: Sequence[int | str]) -> list[Deck]:
    """Stored decks by id, key or name (NotFoundError for an unknown one)."""
    from quizapp.storage import repository as repo

    with collection.session() as s:
        return [repo.load_deck(s, d) for d in deck_ids]


def profile_cards(collection: Collection, profile_id: int,
                   decks: Sequence[Deck]) -> dict[tuple[str, str], CardChoice]:
    """The profile's cards a test may ask (for :func:`build_quiz`): not suspended, not retired."""
    import json

    from quizapp.storage.quiz import profile_card_rows

    keys = [d.id for d in decks]
    out: dict[tuple[str, str], CardChoice] = {}
    with collection.session() as s:
        for deck_key, fact_key, card_id, reported in profile_card_rows(s, profile_id, keys):
            forms = json.loads(reported or "[]")
            excluded = frozenset(Form(f) for f in forms if f in _FORM_VALUES)
            out[(deck_key, fact_key)] = CardChoice(str(card_id), excluded)
    return out


class PracticeTest:
    """A practice test for one profile: questions in, answers committed as kind ``test``.

    Plain values in and out, ``now`` passed in (aware UTC), like
    :class:`~quizapp.study.StudySession`; not thread-safe.
    """

    __test__ = False

    def __init__(self, collection: Collection, profile_id: int, settings: TestSettings,
                 now: datetime) -> None:
        from quizapp.study import StudySession

        if not settings.deck_ids:
            raise QuizError(["decks: choose at least one deck"])
        if settings.time_limit_s is not None and settings.time_limit_s <= 0:
            raise QuizError(["time limit: give a positive number of minutes"])
        self.collection = collection
        self.profile_id = profile_id
        self.settings = settings
        self.started_at = now
        decks = load_quiz_decks(collection, settings.deck_ids)
        cards = profile_cards(collection, profile_id, decks)
        self.quiz = build_quiz(decks, settings.options, cards=cards)
        if not self.quiz.items:
            raise QuizError(self.quiz.problems())
        self._session: StudySession = StudySession(collection, profile_id,
                                                   seed=settings.options.draw)
        self._results: list[ReviewResult | None] = [None] * len(self.quiz.items)
        self._report: TestReport | None = None

    @property
    def questions(self) -> list[Question]:
        """The questions, in the order they are asked."""
        return [item.question for item in self.quiz.items]

    @property
    def results(self) -> list[ReviewResult | None]:
        """The committed answer of each question so far (None: not answered yet)."""
        return list(self._results)

    @property
    def finished(self) -> bool:
        """Whether :meth:`finish` was called."""
        return self._report is not None

    def deadline(self) -> datetime | None:
        """When the time limit runs out (None without a limit)."""
        from datetime import timedelta

        if self.settings.time_limit_s is None:
            return None
        return self.started_at + timedelta(seconds=self.settings.time_limit_s)

    def time_is_up(self, now: datetime) -> bool:
        """Whether the time limit has run out at ``now``."""
        deadline = self.deadline()
        return deadline is not None and now >= deadline

    def answer(self, index: int, given: str | Sequence[str], now: datetime,
               response_ms: int | None = None) -> ReviewResult:
        """Grade and commit the answer to question ``index`` (0-based); then return it.

        Raises ValueError when the test is over, the question was answered, or
        the time limit has run out (the answer is then not recorded).
        """
        if self._report is not None:
            raise ValueError("the test is over")
        if self._results[index] is not None:
            raise ValueError("that question was answered already")
        if self.time_is_up(now):
            raise ValueError("the time is up")
        question = self.quiz.items[index].question
        result = self._session.record_test_answer(question, given, now, response_ms)
        self._results[index] = result
        return result

    def overrule(self, index: int, now: datetime) -> ReviewResult:
        """"I was right": count a typed answer judged wrong as right (logged as ``overrule``)."""
        result = self._results[index]
        if result is None:
            raise ValueError("that question was not answered")
        new = self._session.overrule(result.review_id, now)
        merged = replace(new, given=result.given, evidence=result.evidence,
                         correct_answer=result.correct_answer)
        self._results[index] = merged
        if self._report is not None:
            self._report = self._make_report(self._report.seconds, self._report.timed_out)
        return merged

    def report_question(self, index: int, reason: str, now: datetime) -> int:
        """Report a question as wrong (its form is no longer asked for this fact)."""
        return self._session.report(self.quiz.items[index].question, reason, now)

    def finish(self, now: datetime, *, timed_out: bool = False) -> TestReport:
        """End the test: keep its time on its session row and return the report."""
        if self._report is not None:
            return self._report
        seconds = max(0.0, (now - self.started_at).total_seconds())
        if self.settings.time_limit_s is not None:
            seconds = min(seconds, float(self.settings.time_limit_s))
        self._session.close(now)
        session_id = self.session_id
        if session_id is not None:
            from quizapp.storage.writer import writing

            # The sitting began when the test began, not at its first answer.
            with writing(self.collection) as w:
                w.set_session_start(session_id, self.started_at)
        self._report = self._make_report(seconds, timed_out)
        return self._report

    @property
    def session_id(self) -> int | None:
        """The study_session row of this test's answers (None before the first answer)."""
        from quizapp.storage.quiz import session_of_review

        first = next((r for r in self._results if r is not None), None)
        if first is None:
            return None
        with self.collection.session() as s:
            return session_of_review(s, first.review_id)

    @property
    def report(self) -> TestReport | None:
        """The report, once the test is finished."""
        return self._report

    def _make_report(self, seconds: float, timed_out: bool) -> TestReport:
        items = tuple(
            TestItem(item.number, item.deck_name, item.question, result)
            for item, result in zip(self.quiz.items, self._results, strict=True)
        )
        return TestReport(items, seconds, self.settings.style, self.settings.time_limit_s,
                          timed_out, self.quiz.deck_names, self.session_id)

    def review_round(self, now: datetime) -> ReviewRound:
        """The mistakes of the finished test, to be answered again at once (kind ``study``)."""
        if self._report is None:
            raise ValueError("finish the test first")
        return ReviewRound(self.collection, self.profile_id,
                           [i.question for i in self._report.mistakes], now)


class ReviewRound:
    """The missed questions of a test, asked again in an ordinary study session."""

    def __init__(self, collection: Collection, profile_id: int,
                 missed: Sequence[Question], now: datetime) -> None:
        from quizapp.study import StudySession

        self._session: StudySession = StudySession(collection, profile_id,
                                                   seed=stable_hash("review-round", now))
        self.questions: list[Question] = []
        for q in missed:
            fresh = self._session.build_question(q.card_id, now, form=q.form)
            if fresh is None:  # the form was reported since: any other form of the card
                fresh = self._session.build_question(q.card_id, now)
            if fresh is not None:
                self.questions.append(fresh)
        self.results: list[ReviewResult | None] = [None] * len(self.questions)

    def answer(self, index: int, given: str | Sequence[str], now: datetime,
               response_ms: int | None = None) -> ReviewResult:
        """Grade, schedule and commit the answer (kind ``study``); then return it."""
        if self.results[index] is not None:
            raise ValueError("that question was answered already")
        result = self._session.answer(self.questions[index], given, now, response_ms)
        self.results[index] = result
        return result

    def close(self, now: datetime) -> None:
        """Mark the round's sitting as ended."""
        self._session.close(now)

    @property
    def correct(self) -> int:
        """Right answers so far."""
        return sum(1 for r in self.results if r is not None and r.correct)


# --------------------------------------------------------------------------
# Tests taken


@dataclass(frozen=True, slots=True)
class TestScore:
    """One practice test a profile took, as the log keeps it."""

    __test__ = False

    session_id: int
    started_at: datetime | None
    ended_at: datetime | None
    study_day: int
    date: date
    decks: tuple[str, ...]
    answered: int
    correct: int

    @property
    def score(self) -> float | None:
        """Right answers out of answers given (None when none was given)."""
        return self.correct / self.answered if self.answered else None

    @property
    def seconds(self) -> float | None:
        """How long the test took."""
        if self.started_at is None or self.ended_at is None:
            return None
        return max(0.0, (self.ended_at - self.started_at).total_seconds())

    def as_json(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "session_id": self.session_id,
            "date": self.date.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "seconds": round(self.seconds) if self.seconds is not None else None,
            "decks": list(self.decks),
            "answered": self.answered,
            "correct": self.correct,
            "score": round(self.score, 4) if self.score is not None else None,
        }


def practice_test_history(collection: Collection, profile_id: int) -> list[TestScore]:
    """Every practice test the profile took, oldest first, with its score (scores over time).

    A test is a study session whose effective answers are of kind ``test``
    (an overruled answer counts as the overrule says; undone answers not at all).
    """
    from quizapp.scheduling import day_date
    from quizapp.storage.quiz import practice_test_rows

    sessions: dict[int, dict[str, Any]] = {}
    with collection.session() as s:
        rows = practice_test_rows(s, profile_id)
    for sid, started, ended, deck, n, right_n, day in rows:
        entry = sessions.setdefault(sid, {
            "started": started, "ended": ended, "decks": [], "answered": 0, "correct": 0,
            "day": day})
        entry["decks"].append(deck)
        entry["answered"] += n
        entry["correct"] += right_n
        entry["day"] = min(entry["day"], day)
    out = [
        TestScore(sid, e["started"], e["ended"], e["day"], day_date(e["day"]),
                  tuple(e["decks"]), e["answered"], e["correct"])
        for sid, e in sessions.items()
    ]
    out.sort(key=lambda t: (t.started_at.timestamp() if t.started_at else 0.0, t.session_id))
    return out
