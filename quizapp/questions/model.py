"""Questions and grades as plain values shared by the study core, CLI and GUI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: How a true-or-false question's prompt opens (a screen that names the form may drop it).
TRUE_FALSE_LEAD = "True or false? "


class Family(StrEnum):
    """Card families: choosing an answer, or producing it."""

    RECOGNISE = "recognise"
    RECALL = "recall"


class Form(StrEnum):
    """How a question is asked."""

    CHOICE = "choice"  # multiple choice (dates, numbers, positions)
    LARGER = "larger"  # which of two numbers is larger
    WHO_SAID = "who_said"  # who said this quote? (choices are speakers)
    WHICH_QUOTE = "which_quote"  # which of these did X say? (choices are quotes)
    TYPED = "typed"  # typed date / number / name / answer
    CLOZE = "cloze"  # evidence sentence with the answer blanked out
    TIMELINE = "timeline"  # put 3-5 dated events in order
    FLASHCARD = "flashcard"  # Q/A note: show, reveal, self-rate
    DATE_EVENT = "date_event"  # what happened on this date? (choices are events)
    NUMBER_MEANING = "number_meaning"  # what does the article count as 1,960?
    SPEAKER_POSITION = "speaker_position"  # what did X say should happen if …?
    TRUE_FALSE = "true_false"  # a statement from a fact, one value maybe changed
    CONFIRMATION = "confirmation"  # what did X confirm when saying "Yes this is true"?


FAMILY_OF_FORM: dict[Form, Family] = {
    Form.CHOICE: Family.RECOGNISE,
    Form.LARGER: Family.RECOGNISE,
    Form.WHO_SAID: Family.RECOGNISE,
    Form.WHICH_QUOTE: Family.RECOGNISE,
    Form.FLASHCARD: Family.RECOGNISE,
    Form.DATE_EVENT: Family.RECOGNISE,
    Form.NUMBER_MEANING: Family.RECOGNISE,
    Form.SPEAKER_POSITION: Family.RECOGNISE,
    Form.TRUE_FALSE: Family.RECOGNISE,
    Form.CONFIRMATION: Family.RECOGNISE,
    Form.TYPED: Family.RECALL,
    Form.CLOZE: Family.RECALL,
    Form.TIMELINE: Family.RECALL,
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """The sentence a question comes from, and the answer's span in the source."""

    sentence: str | None
    start: int | None
    end: int | None
    source_id: str | None = None
    # The answer's span inside ``sentence`` (for highlighting), if known.
    highlight_start: int | None = None
    highlight_end: int | None = None


@dataclass(frozen=True, slots=True)
class Question:
    """A question built for one card at the moment it is shown.

    ``answers[0]`` is the canonical answer; for a timeline it is the events in
    order joined by " | " and ``items`` holds them as shown (shuffled).
    ``choices`` is ``None`` for typed forms.
    """

    card_id: str
    fact_id: str
    family: Family
    form: Form
    prompt: str
    answers: tuple[str, ...]
    choices: tuple[str, ...] | None
    evidence: Evidence
    input_kind: str = "text"  # text | date | number | name | order | reveal | choice
    items: tuple[str, ...] | None = None  # timeline events as shown
    back: str | None = None  # flashcard answer side
    related_fact_ids: tuple[str, ...] = ()  # other facts a multi-fact form used
    # Typed names that earn PARTIAL: speakers the answer speaks for (Moscow for Karasin).
    partial_answers: tuple[str, ...] = ()
    # A timeline's dates as the article writes them, in the order of answers[0].
    item_dates: tuple[str, ...] = ()
    # True or false: the value the statement shows (the fact's own when the answer is
    # True, a checked distractor when it is False), and the value the article gives.
    claimed: str | None = None
    actual: str | None = None
    # What the grade says beside the verdict ("False: the article gives 1,960, not 2,180.").
    note: str | None = None
    # A leech (a fact with 8 lapses): shown with its evidence sentence first, in another
    # form than the one last missed, and flagged as needing another way in.
    leech: bool = False


class Verdict(StrEnum):
    """The grader's verdict on one answer."""

    RIGHT = "right"
    PARTIAL = "partial"  # e.g. right year, wrong day: rated Again
    WRONG = "wrong"


@dataclass(frozen=True, slots=True)
class Grade:
    """The result of checking an answer."""

    verdict: Verdict
    correct_answer: str
    message: str  # plain words for the learner ("Right year, wrong day.")

    @property
    def correct(self) -> bool:
        """Whether the answer counts as right."""
        return self.verdict is Verdict.RIGHT
