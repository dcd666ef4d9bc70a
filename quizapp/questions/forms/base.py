"""The plans the forms of this package hand to the generator."""

from __future__ import annotations

from dataclasses import dataclass

TRUE = "True"
FALSE = "False"
TRUE_FALSE_CHOICES = (TRUE, FALSE)


@dataclass(frozen=True, slots=True)
class PickPlan:
    """A multiple-choice question whose distractors are other facts' values.

    ``distractors`` holds (choice text, id of the fact it comes from), each one
    checked against the whole deck; a question shows the answer and up to
    ``choices - 1`` of them.
    """

    prompt: str
    answer: str
    distractors: tuple[tuple[str, str], ...]
    choices: int = 4
    related: tuple[str, ...] = ()  # other facts whose answers the prompt shows


@dataclass(frozen=True, slots=True)
class TrueFalsePlan:
    """A statement built from a fact: true as the article gives it, or false with
    exactly one value changed to a checked distractor.

    ``true_prompt`` shows ``actual`` (written as ``true_shown`` when the
    article's words differ: "November of the same year"); each of ``false_prompts`` is
    (prompt, the distractor it shows in place of ``actual``).
    """

    true_prompt: str
    actual: str
    false_prompts: tuple[tuple[str, str], ...]
    related: tuple[str, ...] = ()
    true_shown: str | None = None  # how the true statement writes ``actual``, if otherwise
    says: str = "the article gives"  # "… {actual}" in the feedback

    def verdict_text(self, true: bool, claimed: str) -> str:
        """What the feedback says, right or wrong: "The statement is false: the article
        gives 1,960, not 2,180."."""
        if true:
            return f"The statement is true: {self.says} {self.actual}."
        return f"The statement is false: {self.says} {self.actual}, not {claimed}."
