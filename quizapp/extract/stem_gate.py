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
    "at what age ",
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
    rf"\b(?:in|on|at|of|for|to|by|from|with|into|than)\s+"
    rf"(?:of|in|on|at|for|to|by|from|with|into|and|or|but)\b"
    rf"|\b(?:the|a|an)\s+(?:the|a|an|of|in|on|at|to|by|and|or)\b|\b(\w+)\s+\1\b"
    rf"|\s(?:{_PREPS[3:-1]}|through|until|during|including|about|over|after|before|as)\?$"
    rf"|\s(?:and|or|but|nor)\?$",
    re.IGNORECASE,
)
# A side clause left with its verb alone once the date was taken out of it.
_EMPTIED_CLAUSE = re.compile(r",\s+(?:which|who)\s+(?:was\s+|were\s+)?[a-z]+ed\s*[,?]")
# "How many votes was Elizabeth Quat of DAB elected with?": a named subject of a passive
# verb, and the preposition the count belongs to left at the end. The verb agrees with
# the named subject, not with the count, and the preposition closes the question.
_NAMED_PASSIVE = re.compile(
    r"How many [a-z]+ (?:was|were) (?:the )?"
    r"(?:(?!(?:not|also|then|only|there|it|this|that|a|an|the)\s)[a-z][\w-]*\s+){0,3}"
    r"(?:[A-Z][\w’'.-]*(?:\s+(?:of|from|for)\s+(?:the\s+)?|\s+)){0,5}[A-Z][\w’'.-]*"
    r"\s+(?:re-)?[a-z]{3,}ed\s+(?:with|by)\?"
)
# "… replaced it with?", "… won it by?": a short question whose verb takes its object
# and leaves the preposition the count belongs to at the end.
_STRANDED_AFTER_OBJECT = re.compile(
    r"^[^,]*\s(?:[a-z]{3,}ed|won|beat|got|gave|made|sold|bought|paid|left|kept|lost)\s+"
    r"(?:it|them|him|her)\s+(?:with|by|for|to|from|into)\?$"
)
# "How many years had prosecutors asked for?": a short question, no comma, whose verb
# keeps its preposition at the end; the count is the preposition's object.
_STRANDED_AFTER_VERB = re.compile(
    r"^(?:How many|How much) [a-z]+ (?:had|have|has|did|was|were) [^,]{1,60}?"
    r"\s[a-z]{3,}ed\s(?:for|to|with|by|from|at)\?$"
)
_TIME_BEFORE_AFTER = re.compile(
    r"\s(?:the|a)\s(?:year|day|week|month|night|season|decade)\s(?:before|after|earlier)\?$"
)
# "… sentenced to for giving bribes", "… a profit of for 2010": the count's preposition,
# then a purpose or a period.
_PREP_THEN_PURPOSE = re.compile(
    r"\b(?:to|of|for|with|at)\s+(?=for\s+(?:[a-z]+ing\b|(?:1[89]|20)\d\d\b))"
)
# "… account for in 2009?": a verb's preposition, then when.
_PREP_THEN_WHEN = re.compile(
    r"\b(?:for|to|with|on|at|from)\s+(?=(?:in|on|by)\s+(?:(?:1[89]|20)\d\d|"
    + "|".join(lexicon.MONTH_NAMES)
    + r")\b)"
)


def _splice_view(s: str, named_passive: bool) -> str:
    """The question as the splice test sees it: an end preposition that closes a sound
    question (a named passive subject; a short "verb it with?") and a verb's
    preposition before a year ("account for in 2009") are left out of its view. Only
    in a question asking for a figure, whose answer is the preposition's object; a
    date question ending on a preposition has lost its object ("When did X replace it
    with?")."""
    if not re.match(r"(?:How many|How much|What percentage|By what percentage)\s", s):
        return s
    # "… the year before?", "… the day after?": a time phrase, not a cut preposition
    s = _TIME_BEFORE_AFTER.sub(" x?", s)
    if (
        named_passive
        or (len(_words(s)) <= 12 and _STRANDED_AFTER_OBJECT.search(s))
        or _STRANDED_AFTER_VERB.search(s)
    ):
        s = re.sub(r"\s\w+\?$", " x?", s)
    return _PREP_THEN_WHEN.sub("x ", _PREP_THEN_PURPOSE.sub("x ", s))


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
BARE_NOUN = "the question names a person or thing without “the” or “a”"
SELF_SUBJECT = "the statement starts with “he”, “she” or “they”: the question would not say who"
QUOTE_MARKUP = "the quote holds markup or a stray symbol: tidy it before asking"
FRAGMENT = "the statement is not a complete clause"
OTHER_FIGURES = "the question holds other figures of the same kind"


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9][\w’'-]*", text)


def stem_problem(fact: Fact) -> str | None:
    """Why the fact's question does not read as a complete English question, or None.

    Dates and numbers are judged on their stem; a quote on its words (the
    question is "Who said: “…”?"); a person on having a role to ask about.
    """
    if fact.kind is FactKind.QUOTE:
        return _quote_problem(fact)
    if fact.kind is FactKind.PERSON:
        return None if (fact.role or fact.roles) else NO_ROLE
    if fact.kind not in (FactKind.DATE, FactKind.NUMBER):
        return None
    problem = _stem_form(fact.stem, fact.text)
    if problem is None and fact.kind is FactKind.NUMBER and _verb_of_another_clause(fact):
        return GARBLED
    return problem


_STEM_AUX = frozenset(
    {"did", "do", "does", "was", "were", "is", "are", "had", "have", "has", "will", "would"}
    | {"could", "can", "should", "may", "might"}
)
# Between the counted thing and the verb the question gives it: another clause opens
# ("2.4 million pounds after it admitted …"), with a subject of its own
_OTHER_CLAUSE = re.compile(
    r"^[^.;:?!]*?\b(?:after|before|because|when|while|since|although|though|as|if|"
    r"which|that|who|and|but)\s+(?:it|he|she|they|we|i|you|the\s+\w+|\w+)\s+$"
)


def _verb_of_another_clause(fact: Fact) -> bool:
    """ "How many pounds admitted safety failures?" from "fined the firm 2.4 million
    pounds after it admitted safety failures"; "How many patients led by a hospital?"
    from "a trial of 4,200 patients led by a hospital": the question makes the counted
    thing the subject of a verb that is not its own."""
    stem = " ".join((fact.stem or "").split())
    if re.search(r"\b(?:of|in|for|with|among|from)\s+[a-z]+ed\s+by\b", stem):
        return True  # "in a trial of led by a hospital": the counted thing cut out
    m = re.match(r"How many ([a-z][\w'-]*(?: [a-z][\w'-]*){0,3}?) ([a-z][\w'-]*)\b(.*)\?$", stem)
    if m is None or m.group(2).lower() in _STEM_AUX:
        return False
    noun, verb, rest = m.group(1), m.group(2), m.group(3)
    if re.fullmatch(r"[a-z]+ed", verb) and rest.startswith(" by "):
        return True  # a participle with "by" and no verb of its own: "patients led by …"
    if fact.sentence is None or fact.end is None or fact.sentence_start is None:
        return False
    after = fact.sentence[fact.end - fact.sentence_start :][:400]
    at = re.search(rf"\b{re.escape(noun)}\b", after)
    if at is None:
        return False
    gap_end = re.search(rf"\b{re.escape(verb)}\b", after[at.end() :])
    if gap_end is None:
        return False
    gap = after[at.end() : at.end() + gap_end.start()]
    return _OTHER_CLAUSE.match(gap) is not None


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


# Forms that are only ever a simple past (never a base form nor a participle).
_PAST_ONLY = frozenset(
    ["began", "went", "took", "saw", "came", "gave", "wrote", "spoke", "broke", "chose",
     "rose", "fell", "grew", "knew", "drew", "flew", "threw", "drove", "rode", "forgot",
     "froze", "stole", "woke", "wore", "tore", "shook", "sang", "swam", "ate", "became",
     "forbade", "strove", "undertook", "overtook", "withdrew", "arose", "awoke", "mistook",
     "overcame"]
)  # fmt: skip
# Base forms that take a clause of their own ("say the tower fell").
_COMPLEMENT_VERBS = frozenset(
    ["say", "tell", "claim", "announce", "admit", "confirm", "report", "think", "believe",
     "know", "show", "reveal", "learn", "find", "hear", "decide", "agree", "argue", "suggest",
     "insist", "deny", "explain", "warn", "state", "write", "note", "add", "realise",
     "realize", "discover", "conclude", "rule", "declare", "allege", "acknowledge", "feel"]
)  # fmt: skip
_DID_REST = re.compile(r"\b(?:did|does|do)\s+(?P<rest>[^?]*)\?$")
# Where the clause of "did" ends and a subordinate clause with its own verb begins.
_SUBORDINATE = re.compile(
    r",?\s\b(?:when|where|which|who|whom|whose|that|because|after|before|while|if|as|since|"
    r"until|although|though|so|than)\b|\s[—–-]\s|\(",
)
_DET_NOUN_PAST = re.compile(
    r"^(?:the|a|an|its|his|her|their|our|this|that|these|those)\s+[a-z][\w-]*\s+[a-z]{3,}ed\b"
)
_PAST_AFTER_INSERT = re.compile(r"^[^,]+,\s[^,]+,\s(?:[a-z]+ly\s)?[a-z]{3,}ed\b")


# "When had held …?", "When was signed …?": a participle right after the auxiliary.
_NO_SUBJECT = re.compile(
    r"When (?:did|was|were|is|are|has|have|had|will|would) (?:[a-z]{3,}ed|held|made|built|"
    r"paid|sold|told|found|taken|given|seen|won|lost|sent|spent|kept|met|shot|done|gone|"
    r"begun|shown|known|chosen|written|broken|spoken|driven|brought|bought|caught)\b"
)
# "in late,", "by early?": a part of a period left without the year it qualified.
_BARE_PERIOD = re.compile(
    r"\b(?:in|by|from|until|since|before|after)\s+(?:early|late|mid)(?=[,?]|\s+(?:and|or)\b)"
)


def _did_then_past(stem: str) -> bool:
    """ "When did the case began, when …?", "When did the probe, call Hermes, detected the
    ice …?": after "did", "does" or "do" the verb is a base form. A past-tense-only form
    in the clause of "did", an "-ed" verb straight after "the <noun>", or one after a
    phrase set off by commas ("the probe, call Hermes, detected") makes two finite verbs
    where the question needs one."""
    m = _DID_REST.search(stem)
    if m is None:
        return False
    rest = m.group("rest")
    cut = _SUBORDINATE.search(rest)
    clause = rest[: cut.start()] if cut else rest
    for w in re.findall(r"[a-z]+", clause):
        if w in _COMPLEMENT_VERBS:
            break  # "did the mayor say the tower fell": the past is the reported clause's
        if w in _PAST_ONLY:
            return True
    return bool(_DET_NOUN_PAST.match(rest) or _PAST_AFTER_INSERT.match(rest))


def _inverted_garbled(words: list[str]) -> bool:
    """ "How many points did According to …?", "How many teams is Afghanistan …?":
    a sentence opener where the subject should be, or a singular verb for a plural count."""
    for i, w in enumerate(words[:6]):
        if w.lower() in _FINITE_WORDS | _BASE_AUX and i + 1 < len(words):
            nxt = words[i + 1]
            if nxt[:1].isupper() and nxt.lower() in _SENTENCE_WORDS | {"according", "there"}:
                return True
            # "How many referendums does the government …?", "… has Microsoft replaced …?"
            # the word after the subject: after a name of several capitalised words
            k = i + 2
            while k < len(words) and words[k][:1].isupper() and k < i + 5:
                k += 1
            inverted = w.lower() in {"has", "does"} and (
                nxt.lower() in _DETERMINERS
                or nxt.lower() in _PRONOUN_SUBJECTS  # "How many goals has he scored …?"
                or (
                    nxt[:1].isupper()
                    and nxt.lower() not in _SENTENCE_WORDS
                    and nxt.lower() not in _CAPITAL_FUNCTION_WORDS
                    and k < len(words)
                    and re.fullmatch(r"[a-z]{3,}ed|[a-z]{3,}", words[k]) is not None
                )
            )
            # "How many years was the director sentenced to?": a passive of its own subject
            passive = w.lower() in {"is", "was"} and any(
                re.fullmatch(r"[a-z]{3,}ed", x) for x in words[i + 2 : i + 12]
            )
            if (
                w.lower() in {"is", "was", "has", "does"}
                and i > 0
                and words[i - 1].endswith("s")
                and not inverted  # "How many referendums does the government intend …?"
                and not passive
            ):
                return True  # "How many teams is …"
            break
    return False


# Words that open a fronted phrase, never a subject: "Based on the closing price, …"
_PHRASE_OPENERS = frozenset(
    ["based", "according", "given", "following", "during", "as", "having", "being", "unlike",
     "like", "amid", "under", "over", "by", "from", "to", "of", "at", "for", "including"]
)  # fmt: skip


def _when_garbled(words: list[str], stem: str) -> bool:
    """ "When has Despite an increase …?", "When will Bolden announces?", "When did Kiara
    Perkins, a second year art major?", "When was the contingent, with the consent …?"."""
    aux = words[0].lower()
    if (
        len(words) > 1
        and words[1].lower() in _SENTENCE_WORDS | _PHRASE_OPENERS
        and words[1][:1].isupper()
    ):
        return True  # a sentence opener where the subject should be ("When would Based on …")
    if re.search(r"\b(?:which|that|who)\s+\w+\?$|\s\d[\d,.]*\?$", stem):
        return True  # cut inside a clause or a score (not a name: "on STS-1?")
    if aux in _BASE_AUX and re.search(r"\b[A-Z][\w’'-]*\s+[a-z]+(?<!ss)s\?$", stem):
        return True  # "will … Bolden announces?": a finite verb after did/will
    head = re.fullmatch(r"When (?:did|was|were|is|has|have) ([^,]+), (?:a|an|the) [^,?]+\?", stem)
    if head and not any(_PARTICIPLE.fullmatch(w) for w in _words(head.group(1))[1:]):
        return True  # subject and an apposition, no verb ("… finished, a year late" has one)
    if re.match(
        r"When (?:did|was|were|is|has|have|will|would) (?:[A-Z][\w’'.-]*\s?)+,"
        r"(?!\s\d{1,3},\s(?!(?:a|an|the)\s)[a-z]+\s)",
        stem,
    ):
        return True  # "When did Daniel Montalvo, after having …?": no verb after the subject
        # (an age set off by commas, then the verb, reads well: "When did Lund, 30, join …?")
    that = re.search(r"\sthat\s(.+)\?$", stem)
    if that and not any(
        w.lower() in _FINITE_WORDS or _PARTICIPLE.fullmatch(w.lower()) or w.endswith("s")
        for w in that.group(1).split()
    ):
        return True  # "… observe that the 2007 starting date of the program?": no verb
    if aux in {"was", "were"}:
        # "When was the site not loading?": a present participle is a verb as well
        return not any(
            _PARTICIPLE.fullmatch(w.lower()) or _present_participle(words, i)
            for i, w in enumerate(words[2:], start=2)
        ) and not (
            _named_event(words[1:], stem)
        )
    return False


def _present_participle(words: list[str], i: int) -> bool:
    """ "the site not loading": an -ing word used as a verb, not as an adjective or a noun
    after a determiner ("the opening match", "a meeting")."""
    w, prev = words[i], words[i - 1].lower()
    if not re.fullmatch(r"[a-z]{3,}ing", w):
        return False
    return prev not in _DETERMINERS and not prev.endswith(("'s", "’s"))


def _named_event(words: list[str], stem: str) -> bool:
    """ "When was the Second Karabakh War?", "When was Andy Warhol's death?": a question
    on the date of a thing a noun phrase names, with no verb to invert. The phrase opens
    with "the" or a name, holds no comma, and no preposition but "of"."""
    if not words or len(words) > 9 or "," in stem:
        return False
    first = words[0]
    if first.lower() != "the" and not first[:1].isupper():
        return False
    if first[:1].isupper() and first.lower() in _SENTENCE_WORDS:
        return False
    return not any(
        w.lower() in _SENTENCE_WORDS
        or w.lower() in _PREPOSITIONS - {"of"}
        or w.lower() in _FINITE_WORDS
        or w.lower() in _PRONOUN_SUBJECTS
        for w in words[1:]
    )


# Markup a quote must not carry into a question: a table bar, wiki or HTML markup.
_MARKUP = re.compile(r"[|<>{}\\]|\[\[|\]\]|''|\*\*|(?:^|\s)#[A-Za-z]|&\w+;")
_SELF_PRONOUNS = frozenset(["he", "she", "i", "we", "his", "her", "my", "our", "they", "their"])
_CLAUSE_OPENERS = frozenset(["and", "but", "or", "because", "which", "who", "while", "when"])


def _quote_problem(fact: Fact) -> str | None:
    """A quote is asked as "Who said: “…”?", a reported statement as "Who said that …?"."""
    words = _words(fact.text)
    if len(words) < 3:
        return SHORT_QUOTE
    if _MARKUP.search(fact.text):
        return QUOTE_MARKUP  # "We found lead | in two samples": a table bar or markup
    if fact.text.count('"') % 2 or fact.text.count("“") != fact.text.count("”"):
        return QUOTE_MARKUP  # '… had grown into a "support movement': a mark left open
    _, after = _around_in_sentence(fact)
    if not fact.reported:
        return None
    if re.match(r"\s*[“\"]", after):
        # "Who said that the festival had given the town?": cut before its quoted end
        return FRAGMENT
    first = words[0].lower()
    if (first in _SELF_PRONOUNS or words[0] in ("I", "I'm", "I’m")) and not _speaker_is_subject(
        fact
    ):
        # "Who said that he is alarmed …?": who "he" is, the question does not say.
        return SELF_SUBJECT
    if first in _CLAUSE_OPENERS:
        return FRAGMENT
    if words[-1].lower() in _OPEN_ENDINGS:
        return FRAGMENT  # "Who said that the purpose of the group is?": cut before its quote
    if _speaker_is_subject(fact) and _one_gender(fact.text):
        return None  # "Dahl said she had lost her case": every "she" and "her" is Dahl
    if _pronoun_unresolved(fact.text, first_is_name=True):
        return PRONOUN  # "… complained to him": who "him" is, the question does not say
    return None


def _around_in_sentence(fact: Fact) -> tuple[str, str]:
    """The few characters of the fact's sentence just before and just after it."""
    if fact.sentence is None or fact.sentence_start is None or fact.start is None:
        return "", ""
    if fact.end is None:
        return "", ""
    at, end = fact.start - fact.sentence_start, fact.end - fact.sentence_start
    if not (0 <= at <= end <= len(fact.sentence)):
        return "", ""
    return fact.sentence[max(0, at - 40) : at], fact.sentence[end : end + 40]


# Words a reported statement cannot end on: it was cut before what completes it.
_OPEN_ENDINGS = frozenset(
    ["is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would",
     "can", "could", "should", "must", "may", "might", "the", "a", "an", "of", "to", "for",
     "in", "on", "at", "by", "with", "from", "and", "or", "but", "that", "as", "than"]
)  # fmt: skip
_HE_OR_SHE = frozenset(["he", "she", "his", "her"])
_ORG_ENDINGS = frozenset(
    ["church", "council", "party", "ministry", "department", "agency", "company", "government",
     "group", "office", "court", "police", "news", "times", "post", "union", "committee"]
)  # fmt: skip


def _one_gender(text: str) -> bool:
    """Whether the third-person pronouns of a text are all "he/him/his", all
    "she/her/hers" or all "they/them/their"."""
    found = {m.group(1).lower() for m in _THIRD_PRONOUN.finditer(text)}
    return (
        found <= {"he", "him", "his"}
        or found <= {"she", "her", "hers"}
        or found <= {"they", "them", "their"}
    )


# A fronted time or place before the speaker ("On board the Freewinds, …", "In Oslo, …").
_PLACE_FRONT = re.compile(
    r"(?:In|On|At|After|Before|During|From|Aboard|Inside|Outside|Later|Earlier)\b[^,]{0,60},\s*"
)


def _plural_body(speaker: str) -> bool:
    """ "Paris and Washington", "Gawker.com", "the Lund Paper Company": a speaker that
    "they" may stand for."""
    words = speaker.split()
    return (
        "and" in words
        or words[-1].lower() in _ORG_ENDINGS
        or re.search(r"\.(?:com|org|net)$", speaker) is not None
    )


def _speaker_is_subject(fact: Fact) -> bool:
    """ "Lena Dahl said she would appeal": the reported statement's "he" or "she" is
    its speaker without doubt when the speaker, a named person, is the subject of the
    saying right before it ("Dahl said (that) she …", with at most a few lower-case
    words between) and no other name is written in the sentence before the statement."""
    if (
        not fact.speaker
        or fact.sentence is None
        or fact.start is None
        or fact.sentence_start is None
    ):
        return False
    first = _words(fact.text)[0].lower()
    names = [w for w in fact.speaker.split() if w[:1].isupper()]
    if len(names) != len([w for w in fact.speaker.split() if w != "and"]):
        return False  # "Scientology officials": no named speaker
    body = _plural_body(fact.speaker)
    if first in ("they", "their"):
        if not body:
            return False  # "Julie Hahn said they apply …": "they" are others
    elif first not in _HE_OR_SHE:
        return False  # "we", "I": the speaker's own words
    elif len(names) < 2 or body or fact.speaker.isupper():
        return False  # "Church said she …": a body is no "she"
    before = fact.sentence[: fact.start - fact.sentence_start]
    front = _PLACE_FRONT.match(before)
    if front and not re.search(r"[A-Z][\w’'-]+\s+[A-Z]", front.group(0)):
        before = before[front.end() :]  # "On board the Freewinds, Paris claims that she …"
    m = re.search(
        r"(?<![\w’'-])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w’'-])"
        r"(?:,[^,]{1,80},)?((?:\s+[a-z]+){1,4}?)(?:\s+that)?\s*$",
        before,
    )
    if m is None:
        return False  # the speaker is not the subject right before the statement
    if not re.search(r"\b(?:said|says|claims|claimed|told|added|stated|admitted|explained"
                     r"|noted|insisted|argued|announced|denied|believes|believed|thinks|"
                     r"thought|hopes|hoped|wrote|writes|recalled|recalls|expressed|"
                     r"confirmed|promised|pledged|stressed|declared|signaled|signalled|"
                     r"indicated)\b", m.group(1)):
        return False  # "Dahl met her …": no verb of saying before the statement
    own = set(names)
    others = [
        w
        for i, w in enumerate(_words(before))
        if w[:1].isupper() and w not in own and i > 0 and not w.isupper()
    ]
    return not others  # "… with President Ola Berg, announced his …": whose "his"?


# Words that are never the first word of a subject or a counted thing in a question
# when written with a capital: a sentence's first word carried into the middle.
_CAPITAL_FUNCTION_WORDS = frozenset(
    [
        "no", "of", "one", "both", "last", "this", "these", "those", "that", "its", "their",
        "his", "her", "our", "my", "some", "many", "most", "all", "each", "every", "other",
        "such", "another", "several", "figures", "results", "critics", "posts", "voters",
        "officials", "reports", "sources", "experts", "analysts", "residents", "scientists",
        "researchers", "authorities", "commanders", "workers", "members", "people", "police",
        "the", "a", "an", "in", "on", "at", "by", "to", "from", "for", "with", "as", "after",
        "before", "during", "under", "over", "about", "portrait", "photos", "images",
    ]
)  # fmt: skip
# Plural counted nouns not written with an "s".
_PLURALS = frozenset(
    [
        "people", "children", "men", "women", "personnel", "staff", "police", "aircraft",
        "cattle", "sheep", "fish", "deer", "crew", "media", "data", "feet", "teeth", "mice",
        "geese", "troops", "kg", "km", "m", "cm", "mm", "mph", "ha", "mw", "gw", "kw", "tonnes",
        "livestock", "offspring", "series", "species", "counties", "percent", "per",
    ]
)  # fmt: skip
_AUX_WORDS = frozenset(lexicon.FINITE_AUXILIARIES)
_PREPOSITIONS = frozenset(
    ["in", "on", "at", "of", "for", "to", "by", "from", "with", "into", "than", "after", "before"]
)
_FIRST_SECOND_PERSON = re.compile(
    r"(?<![\w’'])(?:I|I[’']m|I[’']ve|I[’']d|I[’']ll|we|we[’']re|we[’']ve|us|our|ours|my|me|you|"
    r"your|could[’']ve|would[’']ve|should[’']ve)(?![\w’'])",
    re.IGNORECASE,
)
_THIRD_PRONOUN = re.compile(r"(?<![\w’'])(he|she|him|his|her|hers|they|them|their)(?![\w’'])", re.I)


def _pronoun_unresolved(body: str, *, first_is_name: bool = False) -> bool:
    """ "When did police arrest him?": a pronoun with no name before it in the question
    (``first_is_name``: the first word may be a name, as in a statement)."""
    m = _THIRD_PRONOUN.search(body)
    if m is None:
        return False
    before = _words(body[: m.start()])
    # a name (a capitalised word, past a question's first) or, for "they", a plural noun
    if any(w[:1].isupper() for w in before[0 if first_is_name else 1 :]):
        return False
    if m.group(1).lower() in {"they", "them", "their"}:
        return not any(w.endswith("s") and w.lower() not in _AUX_WORDS for w in before)
    return True


# After "did", "will": a second verb in the past tense ("… begin and ended …", "… join grew?").
_SECOND_VERB = re.compile(
    r"\band\s+(?:then\s+|later\s+)?(?:[a-z]{3,}ed|became|began|went|came|grew|fell|rose|sank|"
    r"took|gave|made|won|left|met|said|told|held|saw|ran|found|got|brought|bought|sold|kept|"
    r"lost|led|wrote|spoke|chose|drove|flew)\b"
    r"|\b(?:join|open|close|start|end|win|lose|meet|leave)\s+(?:grew|became|fell|rose|sank|"
    r"[a-z]{3,}ed)\?$"
)
# Words that open a clause of its own, whose verb may follow "did …".
_CLAUSE_WORDS = frozenset(
    ["who", "which", "that", "where", "when", "after", "before", "while", "because", "since",
     "until", "if", "whether", "what", "although", "as", "once", "say", "said", "think",
     "believe", "says", "and", "but", "or"]
)  # fmt: skip


def _later_finite(s: str, start: int) -> bool:
    """ "How many decades did iodine … has been …?": a finite verb after "did" with no
    word before it that opens a clause of its own."""
    for w in _words(s[start:]):
        low = w.lower()
        if low in _CLAUSE_WORDS:
            return False
        # "have" after did/does/do is its base form ("does he have to lodge …?")
        if low in ("has", "is", "are", "was", "were"):
            return True
    return False


# Verbs in the third person singular that a question after "did" must not keep.
_FINITE_S = (
    r"(?:intends|plans|wants|aims|hopes|expects|says|seems|needs|tries|agrees|refuses|"
    r"decides|promises|claims|continues|remains|believes|thinks|knows|means|makes|takes)"
)
_ASKS_WITH_DID = re.compile(r"[^?]*?\b(?:did|does|do|will|would)\b", re.IGNORECASE)


def _grammar_problem(s: str, opening: str, body_words: list[str]) -> str | None:
    """Form checks that hold for every opening: the words where a subject, a verb or a
    counted thing should be."""
    if _FIRST_SECOND_PERSON.search(s):
        return PRONOUN  # "How many things did I'm tell …?": words of a quote
    if re.search(r"(?:^|\s)[’']s\b|\w-\s|,\s*(?:which|who|that|when|where)\?$|,\?$", s):
        return GARBLED  # "When is 's announcement …?", "claim- are", "…, which?"
    if re.search(r"\b(?:in|on|at|of|for|to|by|from|with|into|than),", s):
        return GARBLED  # "held from November 20 to, selecting …"
    if re.search(
        r"\b(?:was|were|is|are|had|has|have|did|do|does|will|would|could|can)\?$", s
    ) and not re.fullmatch(r"[^ ]+ [^ ]+ \w+\?", s):
        return GARBLED  # "… who not yet had?", "…, when it was?": a clause cut short
    rest = body_words
    # the word after the auxiliary (the subject): not a preposition, an auxiliary, a
    # capitalised function word or a quote's first word
    for i, w in enumerate(rest[:8]):
        if w.lower() in _AUX_WORDS:
            nxt = rest[i + 1] if i + 1 < len(rest) else ""
            if not nxt:
                break
            if nxt.lower() in _PREPOSITIONS and nxt.islower():
                return GARBLED  # "By what percentage did in 2023, …?"
            if nxt.lower() in _AUX_WORDS or nxt in ("that", "which", "who", "whose"):
                return GARBLED  # "… did has launch …?", "When did that the states join …?"
            if nxt[:1].isupper() and nxt.lower() in _CAPITAL_FUNCTION_WORDS:
                return GARBLED  # "… were No injuries …", "When would Voters then …?"
            if w.lower() in ("did", "do", "does") and re.fullmatch(r"[a-z]{2,}ly", nxt):
                return GARBLED  # "How many votes did commonly know as …?": no subject
            if (
                opening == "how old "
                and nxt.islower()
                and nxt.lower() not in _DETERMINERS
                and len(rest) == i + 2
            ):
                return BARE_NOUN  # "How old was boy?"
            break
    m = re.search(r"\b(?:did|does|do)\b", s)
    if m and _later_finite(s, m.end()):
        return GARBLED  # "How many decades did iodine … has been the major source …?"
    if re.search(
        r"\b(?:was|were|did|does|do|is|are|has|have|had|will|would)\s+(?:[A-Z][\w’'.-]*\s+){1,3}"
        r"(?:says|claims|believes|thinks|insists|argues|admits|alleges|said|claimed)\s+"
        r"(?:he|she|they|it|that)\b",
        s,
    ):
        return GARBLED  # "At what age was Paris claims she first sent …?": a saying kept
    if re.search(r"\bwith\s+(?:the\s+)?[\w’'-]+\s+[a-z]{3,}ing\?$", s):
        return GARBLED  # "How many points did the match end with Sweden winning?"
    if opening in ("what percentage ", "by what percentage ") and re.search(
        r"\d\s*(?:%|percent\b|per cent\b)", s
    ):
        return OTHER_FIGURES  # "What percentage will A own, B 23 percent and C 24 percent?"
    if re.search(r"\b(?:did|does|do|will|would|can|could)\b[^?]*?\b" + _FINITE_S + r"\s", s):
        return GARBLED  # "How many citizens did the government intends to hold …?"
    if re.search(
        r"\b(?:did|does|do|was|were|is|are|will|would|has|have) (?:[A-Z][\w’'.-]*\s?)+, "
        # an age set off by commas, then the verb, reads well ("did Lund, 30, join …")
        r"(?!\d{1,3},\s(?!(?:a|an|the)\s)[a-z]+\s)",
        s,
    ):
        return GARBLED  # "How many points did Alireza Mehraban, in their first match?": no verb
    if re.search(
        r",\s+(?:where|which|who|when)\b[^?]*\b(?:say|says|said)\s+(?:were|was|is|are)\b", s
    ):
        return GARBLED  # "… did the fatalities occur in Samoa, where workers say were killed?"
    if _ASKS_WITH_DID.match(s) and _SECOND_VERB.search(s):
        return GARBLED  # "When did the trial begin and ended on Thursday?": a verb left in the past
    if re.search(
        r",\s+(?:(?:his|her|their|its|the|a|an)\s+)?(?:[\w’'-]+\s+){0,3}"
        r"(?:said|says|added|told|reported|claimed|stated)\?$",
        s,
    ):
        return GARBLED  # "When will Grey appeal, his lawyer said?": the attribution left in
    if re.search(r"\b(?:who|which)\s+[a-z]+\s+(?:will|would|can|could|shall|may|might|must)\b", s):
        return GARBLED  # "How many terms did Grey, who serve will appeal?"
    if re.search(
        r"(?:,|\d)\s*[a-z]+ing\?$|\b(?:killing|injuring|wounding|leaving|including|"
        r"affecting|displacing|costing|forcing|making|bringing|taking)\?$",
        s,
    ):
        return GARBLED  # "How many people did the storm hit the coast on Sunday, killing?"
    if opening == "how many " and rest:
        lead = []
        for w in rest[:4]:
            if w.lower() in _AUX_WORDS or (w.islower() and re.fullmatch(r"[a-z]+ed", w)):
                break
            lead.append(w)
        if lead and not any(
            w.lower().endswith("s") or w.lower() in _PLURALS or w[:1].isupper() for w in lead
        ):
            return GARBLED  # "How many poster admitted …?", "How many vote do …?"
    if re.search(
        r"\b(?:did|do|does|was|were|is|are|will|would) (?:[A-Za-z][\w’'.-]*\s){0,2}"
        r"[A-Za-z][\w’'.-]*, (?:a|an|the|\w+ed|commonly|chief|\w+ \w+ (?:of|at|for))\b",
        s,
    ):
        return GARBLED  # "How many institutions did Maurer, chief financial officer …?"
    return None


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
    if re.search(r"\s[—–]\s|\s-\s|:\s|\s[-—–]\?$", s) or s.count("(") != s.count(")"):
        return GARBLED
    if s.count("“") != s.count("”") or s.count('"') % 2:
        return GARBLED
    named_passive = _NAMED_PASSIVE.fullmatch(s) is not None
    if re.search(r"\s(?:and|or|but|nor|ago)\?$", s):
        return GARBLED  # "… be valued at 691 pence and?": a clause cut after its "and"
    if re.match(
        r"\w+(?:\s+\w+)?\s+(?:would|will|did|was|were|is|are|has|have|does|do)\s+"
        r"(?:Based|Given|Compared|Due|Following|Despite|Having|Being)\b",
        s,
    ):
        return GARBLED  # "When would Based on the TSX closing price, …?": the opener kept
    if _SPLICE.search(_splice_view(s, named_passive)):
        return GARBLED  # "… this fast in of farming", "the the": words cut out badly
    if _EMPTIED_CLAUSE.search(s):
        return GARBLED  # "the accident, which occurred, caused by …": the date was cut out
    if _did_then_past(s):
        return GARBLED  # "When did the case began …?", "When did the probe, call X, detected …?"
    if _NO_SUBJECT.match(s):
        return GARBLED  # "When had held over 23 days …?": the verb where the subject goes
    if _BARE_PERIOD.search(s):
        return GARBLED  # "… due to be delivered in late, and …": the year cut out of "late 2015"
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
    if (
        opening in ("how many ", "how much ")
        and not named_passive
        and _inverted_garbled(body_words)
    ):
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
    problem = _grammar_problem(s, opening, body_words)
    if problem is not None:
        return problem
    if _pronoun_unresolved(body):
        return PRONOUN
    if len(_words(s)) > _MAX_WORDS:
        return TOO_LONG
    a = " ".join(answer.split())
    if a and len(a) > 1 and re.search(r"(?<!\w)" + re.escape(a) + r"(?!\w)", s):
        return LEAKS
    if opening in ("how many ", "how much ") and _OTHER_FIGURE.search(s):
        return OTHER_FIGURES  # "How many hard drives … each of $ 200 in value?"
    return None


# A figure in a count's question other than a year or a time ("each of $ 200 in value",
# "posts 542 and 543", "out of 70"): which figure is asked?
_OTHER_FIGURE = re.compile(
    r"[$€£]\s?\d|\d\s*(?:%|percent\b|per cent\b)|(?<![\w:.,$€£-])(?!(?:1[89]|20)\d\d\b)"
    r"\d[\d,]*(?![\w:-])"
)
