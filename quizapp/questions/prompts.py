"""The fixed words of generated prompts, shared by the builder and its guard.

:mod:`quizapp.questions.generate` writes prompts with these; the run-time
guard (:mod:`quizapp.questions.checks`) rebuilds what a cloze or a timeline
must look like from them, without importing the builder.
"""

from __future__ import annotations

import re

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


#: A quotation needs at least this many content words (words other than function
#: words and bare assent or denial) to be asked who said it: "Yes this is true"
#: has none, "this is the territory of Azerbaijan" has two.
MIN_QUOTE_CONTENT_WORDS = 2

_EMPTY_WORDS = frozenset(
    [
        "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and",
        "or", "as", "is", "are", "was", "were", "be", "been", "being", "am", "that", "this",
        "these", "those", "it", "its", "there", "here", "so", "do", "does", "did", "not", "no",
        "yes", "yeah", "true", "right", "correct", "indeed", "exactly", "sure", "ok", "okay",
        "agree", "absolutely", "certainly", "course", "well",
    ]
)

#: Subject pronouns that, opening a reported statement or a sentence, stand for a
#: speaker the text does not name ("He clarified that …", "we are talking about …").
SPEAKER_PRONOUNS = frozenset(["i", "we", "he", "she", "they"])


def content_word_count(text: str) -> int:
    """How many words of ``text`` carry content (see :data:`MIN_QUOTE_CONTENT_WORDS`)."""
    words = (w.strip("“”\"'‘’.,;:!?()…").lower() for w in text.split())
    return sum(1 for w in words if w and w not in _EMPTY_WORDS)


def opening_pronoun(text: str) -> str | None:
    """The personal pronoun ``text`` opens with ("He", "we"), if any."""
    words = text.lstrip("“\"'‘ ").split(maxsplit=1)
    if not words:
        return None
    first = words[0].strip(",;:")
    return first if first.lower() in SPEAKER_PRONOUNS else None


#: What a cloze shows in place of another fact's value in its sentence, so that
#: one card does not show the keys of the others ("In total, […] military
#: personnel, _____ armored personnel carriers, […] vehicles …").
MASK = "[…]"


def cloze_text(sentence: str, at: int, length: int, masked: list[tuple[int, int]]) -> str:
    """``sentence`` with ``length`` characters at ``at`` blanked and each span of
    ``masked`` (offsets in ``sentence``) shown as :data:`MASK`.

    A masked span that overlaps the blank or an earlier masked span is left as it
    is (spans are taken by start, longest first).
    """
    taken = [(at, at + length)]
    for s, e in sorted(masked, key=lambda se: (se[0], -se[1])):
        if 0 <= s < e <= len(sentence) and all(e <= ts or s >= te for ts, te in taken):
            taken.append((s, e))
    out = sentence
    for s, e in sorted(taken, reverse=True):
        out = out[:s] + (BLANK if s == at else MASK) + out[e:]
    return out


def name_the_pronoun(text: str, name: str) -> str:
    """``text`` with its opening subject pronoun replaced by ``[name]``.

    "He clarified that …" → "[Nikol Pashinyan] clarified that …", the editorial
    brackets showing the article's words were changed.
    """
    m = re.match(r"[“\"'‘\s]*", text)
    i = m.end() if m else 0
    word = text[i:].split(maxsplit=1)[0].rstrip(",;:")
    return text[:i] + f"[{name}]" + text[i + len(word) :]
