"""The fixed words of generated prompts, shared by the builder and its guard.

:mod:`quizapp.questions.generate` writes prompts with these; the run-time
guard (:mod:`quizapp.questions.checks`) rebuilds what a cloze or a timeline
must look like from them, without importing the builder.
"""

from __future__ import annotations

BLANK = "_____"
CLOZE_LEAD = "Fill in the blank: "
TIMELINE_PROMPT = "Put these events in order, earliest first."
LARGER_PROMPT = "Which of these two figures is larger?"
TIMELINE_SEPARATOR = " | "


def balance_quotes(text: str) -> str:
    """``text`` with the quotation marks it opens closed (and those it closes opened).

    A sentence cut out of a longer quotation ("“Russia accounts for only 10% …")
    would otherwise open a mark it never closes.
    """
    opens, closes = text.count("“"), text.count("”")
    if opens > closes:
        text += "”" * (opens - closes)
    elif closes > opens:
        text = "“" * (closes - opens) + text
    if text.count('"') % 2:
        first = text.index('"')
        text = text + '"' if first < len(text) - first - 1 else '"' + text
    return text
