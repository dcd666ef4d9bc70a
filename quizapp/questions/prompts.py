"""The fixed words of generated prompts, shared by the builder and its guard.

:mod:`quizapp.questions.generate` writes prompts with these; the run-time
guard (:mod:`quizapp.questions.checks`) rebuilds what a cloze or a timeline
must look like from them, without importing the builder.
"""

from __future__ import annotations

import re

from quizapp.lexicon import FINITE_AUXILIARIES

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


#: Which-quote options: a whole first sentence (or a whole reported clause) of
#: this many words at least and at most; the longest option of a question has
#: at most OPTION_LENGTH_RATIO times the words of the shortest.
MIN_OPTION_WORDS = 6
MAX_OPTION_WORDS = 40
OPTION_LENGTH_RATIO = 1.6

# Openings that point outside the option ("And it was decided …", "This is …",
# "his readiness …"): such an option is not self-contained.
_ANAPHORIC = frozenset(
    [
        "and", "but", "or", "so", "however", "also", "then", "therefore", "moreover", "this",
        "that", "these", "those", "it", "its", "such", "there", "here", "he", "she", "they",
        "his", "her", "their", "him", "them", "yes", "no",
    ]
)
_PERSONS = {
    "first": frozenset(["i", "me", "my", "mine", "we", "us", "our", "ours"]),
    "he": frozenset(["he", "him", "his", "himself"]),
    "she": frozenset(["she", "her", "hers", "herself"]),
    "they": frozenset(["they", "them", "their", "theirs", "themselves"]),
}
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’']?\s+(?=[“\"‘']?[A-Z0-9])")
_FINITE = FINITE_AUXILIARIES


def _words(text: str) -> list[str]:
    return [w.strip("“”\"'‘’.,;:!?()…").lower().replace("’", "'") for w in text.split()]


def grammatical_person(text: str) -> frozenset[str]:
    """The persons ``text``'s pronouns are in: ``first``, ``he``, ``she``, ``they``.

    Options of one question agree in these, so that "his readiness" beside
    "their readiness" does not tell which one a person said.
    """
    words = set(_words(text))
    return frozenset(p for p, forms in _PERSONS.items() if words & forms)


def quote_option(text: str, reported: bool) -> str | None:
    """How a quotation reads as a which-quote option, or None if it cannot be one.

    The first sentence of a verbatim quotation, or a whole reported statement that
    is a clause (has a finite verb), capitalised and without its final full stop;
    None when it is shorter or longer than the bounds above, or opens with a word
    that points outside it.
    """
    body = " ".join(text.split()).strip(" “”\"")
    if not reported:
        body = _SENTENCE_END.split(body, maxsplit=1)[0]
    body = body.rstrip(" .,;:").strip(" “”\"")
    words = _words(body)
    if not MIN_OPTION_WORDS <= len(words) <= MAX_OPTION_WORDS or words[0] in _ANAPHORIC:
        return None
    if reported and not set(words) & _FINITE:
        return None  # "his readiness to sign …": a noun phrase, not a statement
    return body[0].upper() + body[1:]
