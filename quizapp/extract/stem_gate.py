"""The stem gate: does a fact's question read as a complete English question?

A fact becomes questions only if its stem reads as a complete question about
something the article states. :func:`stem_problem` is the one test: the
extractor marks a fact whose stem fails it *check* with the reason it returns,
the review screen shows that reason, and an import accepts such a fact only
when the teacher asked for doubtful facts too.

The rules are about form, not truth: a stem must exist, start with a question
phrase and end with a question mark, say what happened or what is counted in
words of its own (not "When did this happen?", "How many workers?" or "How much
was Cost?"), hold no spliced fragments ("How many years — left?"), not give its
answer away, and be short enough to read as one question.
"""

from __future__ import annotations

import re

from quizapp import lexicon
from quizapp.facts.model import Fact, FactKind

#: Question phrases a date or number stem may start with.
_OPENINGS = (
    "when ",
    "in what year ",
    "in which year ",
    "how many ",
    "how much ",
    "how long ",
    "how old ",
    "what percentage ",
    "by what percentage ",
    "what share ",
    "what ",
    "which ",
    "who ",
)
_DETERMINERS = lexicon.DETERMINERS
_PREPS = r"(?:in|on|at|of|for|to|by|from|with|into|than|the|a|an)"
_SPLICE = re.compile(
    rf"\b(?:in|on|at|of|for|to|by|from|with|into|than)\s+(?:of|in|on|at|for|to|by|from|with|into)\b"
    rf"|\b(?:the|a|an)\s+(?:the|a|an|of|in|on|at|to|by|and|or)\b|\b(\w+)\s+\1\b"
    rf"|\s(?:{_PREPS[3:-1]}|through|until|during|including|about|over|after|before|as)\?$",
    re.IGNORECASE,
)
# A side clause left with its verb alone once the date was taken out of it.
_EMPTIED_CLAUSE = re.compile(r",\s+(?:which|who)\s+(?:was\s+|were\s+)?[a-z]+ed\s*[,?]")
_VAGUE_SUBJECTS = frozenset(["this", "that", "it", "there"])
_MAX_WORDS = 28

#: Reasons, worded for a teacher.
NO_STEM = "no question could be made from its sentence"
NOT_A_QUESTION = "the question is not a complete sentence"
NO_EVENT = "the question does not say what happened"
UNCLEAR_COUNT = "what is counted is unclear"
GARBLED = "the question is garbled"
TOO_LONG = "the question is too long to read as one"
LEAKS = "the question gives its answer away"
SHORT_QUOTE = "the quote is too short to ask about"
NO_ROLE = "no role found, so nothing to ask about this person"
PRONOUN = "the question says “he”, “she” or “they” without naming who"


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9][\w’'-]*", text)


def stem_problem(fact: Fact) -> str | None:
    """Why the fact's question does not read as a complete English question, or None.

    Dates and numbers are judged on their stem; a quote on its words (the
    question is "Who said: “…”?"); a person on having a role to ask about.
    """
    if fact.kind is FactKind.QUOTE:
        return SHORT_QUOTE if len(_words(fact.text)) < 3 else None
    if fact.kind is FactKind.PERSON:
        return None if (fact.role or fact.roles) else NO_ROLE
    if fact.kind not in (FactKind.DATE, FactKind.NUMBER):
        return None
    return _stem_form(fact.stem, fact.text)


_SENTENCE_WORDS = frozenset(
    [
        "after",
        "also",
        "although",
        "and",
        "as",
        "at",
        "because",
        "before",
        "but",
        "despite",
        "finally",
        "for",
        "furthermore",
        "here",
        "however",
        "if",
        "in",
        "instead",
        "meanwhile",
        "moreover",
        "now",
        "on",
        "since",
        "so",
        "still",
        "then",
        "there",
        "therefore",
        "though",
        "thus",
        "unless",
        "until",
        "when",
        "whereas",
        "which",
        "while",
        "with",
        "without",
        "yet",
    ]
)
_FINITE_WORDS = frozenset(
    ["is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "did"]
)
_PRONOUN_SUBJECTS = frozenset(["he", "she", "they", "it", "we", "i", "you", "him", "her", "them"])
_BASE_AUX = frozenset(["did", "will", "would", "can", "could", "does", "do", "should", "may"])
_PARTICIPLE = re.compile(
    r"[a-z]+(?:ed|en|wn|ght|ung)|built|held|made|paid|sold|told|found|put|set|cut|hit|shut|won|"
    r"lost|sent|spent|left|kept|met|led|read|said|shot|born|done|gone|run|begun|sunk|struck|"
    r"hung|dealt|meant|felt|dug|fed|fled|laid|lit|quit|spun|stuck|swept|taught|thrown|upheld"
)


def _inverted_garbled(words: list[str]) -> bool:
    """ "How many points did According to …?", "How many teams is Afghanistan …?":
    a sentence opener where the subject should be, or a singular verb for a plural count."""
    for i, w in enumerate(words[:6]):
        if w.lower() in _FINITE_WORDS | _BASE_AUX and i + 1 < len(words):
            nxt = words[i + 1]
            if nxt[:1].isupper() and nxt.lower() in _SENTENCE_WORDS | {"according", "there"}:
                return True
            if w.lower() in {"is", "was", "has", "does"} and i > 0 and words[i - 1].endswith("s"):
                return True  # "How many teams is …"
            break
    return False


def _when_garbled(words: list[str], stem: str) -> bool:
    """ "When has Despite an increase …?", "When will Bolden announces?", "When did Kiara
    Perkins, a second year art major?", "When was the contingent, with the consent …?"."""
    aux = words[0].lower()
    if len(words) > 1 and words[1].lower() in _SENTENCE_WORDS and words[1][:1].isupper():
        return True  # a sentence opener where the subject should be
    if re.search(r"\b(?:which|that|who)\s+\w+\?$|\d\?$", stem):
        return True  # cut inside a clause or a score
    if aux in _BASE_AUX and re.search(r"\b[A-Z][\w’'-]*\s+[a-z]+(?<!ss)s\?$", stem):
        return True  # "will … Bolden announces?": a finite verb after did/will
    if re.fullmatch(r"When (?:did|was|were|is|has|have) [^,]+, (?:a|an|the) [^,?]+\?", stem):
        return True  # subject and an apposition, no verb
    if re.match(r"When (?:did|was|were|is|has|have|will|would) (?:[A-Z][\w’'.-]*\s?)+,", stem):
        return True  # "When did Daniel Montalvo, after having …?": no verb after the subject
    that = re.search(r"\sthat\s(.+)\?$", stem)
    if that and not any(
        w.lower() in _FINITE_WORDS or _PARTICIPLE.fullmatch(w.lower()) or w.endswith("s")
        for w in that.group(1).split()
    ):
        return True  # "… observe that the 2007 starting date of the program?": no verb
    if aux in {"was", "were"}:
        return not any(_PARTICIPLE.fullmatch(w.lower()) for w in words[2:])
    return False


def _stem_form(stem: str | None, answer: str) -> str | None:
    if not stem or not stem.strip():
        return NO_STEM
    s = " ".join(stem.split())
    low = s.lower()
    if not s.endswith("?") or s.count("?") != 1:
        return NOT_A_QUESTION
    opening = next((o for o in _OPENINGS if low.startswith(o)), None)
    if opening is None:
        return NOT_A_QUESTION
    if re.search(r"\s[—–]\s|\s-\s|:\s", s) or s.count("(") != s.count(")"):
        return GARBLED
    if s.count("“") != s.count("”") or s.count('"') % 2:
        return GARBLED
    if _SPLICE.search(s):
        return GARBLED  # "… this fast in of farming", "the the": words cut out badly
    if _EMPTIED_CLAUSE.search(s):
        return GARBLED  # "the accident, which occurred, caused by …": the date was cut out
    if low.startswith(("what figure does the article give", "what percentage is given for")):
        return UNCLEAR_COUNT  # the question does not say what the figure is of
    body = s[len(opening) : -1].strip()
    body_words = _words(body)
    if opening == "when ":
        # "When did this happen?", "When was it?": the event is not said.
        rest = [w.lower() for w in body_words[1:]]
        if not rest or (rest[0] in _VAGUE_SUBJECTS and len(rest) <= 2):
            return NO_EVENT
        if len(body_words) < 3:
            return NO_EVENT
        if _when_garbled(body_words, s):
            return GARBLED
        if len(body_words) > 1 and body_words[1].lower() in _PRONOUN_SUBJECTS:
            return PRONOUN
    if opening in ("how many ", "how much ") and _inverted_garbled(body_words):
        return GARBLED
    if opening in ("how many ", "how much "):
        if not body_words:
            return UNCLEAR_COUNT
        first = body_words[0]
        if first.lower() in _DETERMINERS:
            return UNCLEAR_COUNT  # "How many the area near …?"
        if opening == "how much " and first.lower() in {"was", "were", "is", "are"}:
            # "How much was Cost?": the thing priced must be a noun phrase of its own.
            thing = body_words[1:]
            if len(thing) < 2 or (len(thing) == 1 and thing[0][:1].isupper()):
                return UNCLEAR_COUNT
        elif len(body_words) < 2:
            return UNCLEAR_COUNT  # "How many workers?": counted, but doing what?
    if len(_words(s)) > _MAX_WORDS:
        return TOO_LONG
    a = " ".join(answer.split())
    if a and len(a) > 1 and re.search(r"(?<!\w)" + re.escape(a) + r"(?!\w)", s):
        return LEAKS
    return None
