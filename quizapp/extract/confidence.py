"""The confidence of each extracted fact: *ready* or *check*, with reasons.

Computed from evidence the extractor already has: how a quote's speaker was
linked (an attribution in the quote's own sentence, or a speaker carried over
from an earlier statement), whether a number's counted thing is a noun phrase,
whether a date is written out or worked out from a relative phrase, whether a
"person" has a full name and a role. Where the rules cannot tell, the fact is
*check*: a teacher looks at it before it is asked. Every reason is one line a
teacher understands.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from quizapp import lexicon
from quizapp.extract.dates import MONTH_PATTERN, WEEKDAY_PATTERN, date_tense
from quizapp.extract.people import ROLE_CANNOT_OPEN, misspelt_surname, role_head
from quizapp.extract.stem_gate import stem_problem
from quizapp.facts.model import Fact, FactKind

READY = "ready"
CHECK = "check"

# Reasons, worded for a teacher.
NO_SPEAKER = "no speaker found: fill in who said it"
EARLIER_SPEAKER = "speaker taken from an earlier sentence"
SHARED_SURNAME = "the text names more than one person with this surname: check who said it"
GROUP_SPEAKER = "the speaker is not named (a group or an unnamed person)"
OUTLET_SPEAKER = "the speaker may be the outlet that reported it, not who said it"
PRONOUN_SPEAKER = "speaker taken from “he” or “she”, and another person is named just before"
VAGUE = "vague quantity"
UNCLEAR_COUNT = "what is counted is unclear"
OVER_DURING = "“over” may mean “during” here, not “more than”"
YEAR_LIKE = "looks like a year or a name, not a count"
RELATIVE = "relative date: check which day or year it means"
ALTERNATIVE = "the text gives alternatives or a range: check the value"
SIDE_REMARK = "the date belongs to a side remark: check what it dates"
IN_THAT_CLAUSE = "the date belongs to what was said, not to the saying: check what it dates"
OTHER_CLAUSE = "the date belongs to another clause (“before …”, “after …”): check what it dates"
DATELINE = "this looks like the article's dateline, not the date of an event"
BOUND = "the date is a limit (since, until, by …), not when it happened"
SINCE = "the date is a starting point (“since”), not when it happened"
ONE_NAME = "only one name is given: check that this is a person"
NOT_A_PERSON = "may not be a person (a group, place, title or thing)"
PROBLEM_ROLE = "the role may be cut in the wrong place"
VAGUE_ROLE = "the role does not say what the person is a member of"
OWN_PRONOUN = "the statement's “he” or “she” may be another person named just before"
NAME_CUT = "the name ends on an initial: it may be cut short"
BARE_TITLE = "the role is a bare title (“Minister”): it does not say of what"

_VAGUE_WORDS = lexicon.VAGUE_WORDS
# "the workers", "its staff", "this year": a counted thing opened by a determiner.
_COUNTED_OPENERS = frozenset([*lexicon.ARTICLES, "this", "that", *lexicon.THIRD_PERSON_POSSESSIVES])
_DURATION_UNITS = frozenset(
    ["seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades"]
)
_GROUP_WORDS = frozenset(
    [
        "analysts",
        "officials",
        "critics",
        "experts",
        "observers",
        "sources",
        "residents",
        "witnesses",
        "people",
        "authorities",
        "police",
        "media",
        "reports",
        "report",
        "researchers",
        "scientists",
        "officers",
        "workers",
        "members",
        "supporters",
        "opponents",
        "protesters",
        "campaigners",
        "locals",
        "critics",
        "activists",
        "spokespeople",
        "representatives",
        "students",
        "teachers",
        "parents",
        "doctors",
        "lawyers",
        "fans",
        "users",
    ]
)
_RELATIVE_RE = re.compile(
    r"\b(?:next|following|previous|same|last|this|coming|later|earlier|ago|after|before)\b",
    re.IGNORECASE,
)
# A month or a weekday alone, placed before or after the dateline by its clause's tense.
_UNPLACED_RE = re.compile(
    rf"^(?:(?:in|on|by|until|from|early|late|mid-?|during)\s+)?(?:{MONTH_PATTERN}|{WEEKDAY_PATTERN})"
    r"(?:\s+(?:morning|afternoon|evening|night))?$",
    re.IGNORECASE,
)
_SIMPLE_RELATIVE_RE = re.compile(
    r"^(?:on\s+)?(?:yesterday|today|tomorrow|tonight|(?:mon|tues|wednes|thurs|fri|satur|sun)day)"
    r"(?:\s+(?:morning|afternoon|evening|night))?$",
    re.IGNORECASE,
)
# "last year", "this year", "three years ago": counted from the date the text is
# written, which the dateline gives; only the year is asked, so nothing is in doubt
# (unlike "the next year" or "two years later", counted from a year the text was
# talking about, or "next Tuesday", which may mean either of two days)
_PUBLICATION_YEAR_RE = re.compile(
    r"^(?:(?:this|last|next)\s+year|(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|"
    r"eight|nine|ten)\s+years?\s+ago)$",
    re.IGNORECASE,
)
_FINITE = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "did",
        "does",
        "do",
        "said",
        "says",
        "be",
        "been",
        "being",
    ]
)


@dataclasses.dataclass(frozen=True, slots=True)
class QuoteEvidence:
    """What the extractor knows about how a quote's speaker was found."""

    link: str  # "explicit", "carried" or "none"
    #: The full names of the people the article names (for a speaker found by "he").
    people: tuple[str, ...] = ()
    #: The speaker's gender as the text shows it ("m", "f"), if it does.
    gender: str | None = None


HEADLINE = "taken from the headline, which the article tells more exactly"


def judge(fact: Fact, text: str, quote: QuoteEvidence | None = None) -> Fact:
    """The fact with its ``level`` and ``reasons`` set."""
    reasons = list(_reasons(fact, text, quote))
    first_line = text.find("\n")
    if (
        fact.kind in (FactKind.DATE, FactKind.NUMBER)
        and fact.start is not None
        and first_line > 0
        and fact.start < first_line
        and text.find("\n", first_line + 1) >= 0
    ):
        reasons.append(HEADLINE)
    gate = stem_problem(fact)
    if gate is not None and gate not in reasons:
        reasons.append(gate)
    reasons = list(dict.fromkeys(reasons))
    return dataclasses.replace(fact, level=CHECK if reasons else READY, reasons=tuple(reasons))


def _reasons(fact: Fact, text: str, quote: QuoteEvidence | None) -> Iterable[str]:
    if fact.kind is FactKind.DATE:
        yield from _date_reasons(fact, text)
    elif fact.kind is FactKind.NUMBER:
        yield from _number_reasons(fact, text)
    elif fact.kind is FactKind.QUOTE:
        yield from _quote_reasons(fact, text, quote)
    elif fact.kind is FactKind.PERSON:
        yield from _person_reasons(fact)


# ---- dates --------------------------------------------------------------------------


def _date_reasons(fact: Fact, text: str) -> Iterable[str]:
    written = " ".join(fact.text.split())
    value = str(fact.value or "")
    has_year = re.search(r"\b\d{4}\b", written) is not None
    # A year that the text does not write: worked out from a relative phrase.
    if (
        value[:4].isdigit()
        and not has_year
        and not re.search(r"\d", written[:2])
        and not _SIMPLE_RELATIVE_RE.match(written)
        and not _PUBLICATION_YEAR_RE.match(written)
        and not _same_year_written_before(fact, written)
        and _RELATIVE_RE.search(written)
    ):
        yield RELATIVE
    if (
        fact.start is not None
        and fact.end is not None
        and _UNPLACED_RE.match(written)
        and date_tense(text, fact.start, fact.end) is None
    ):
        # "the tour, which starts in January": before or after the dateline, the clause
        # does not say
        yield RELATIVE
    if (
        fact.start is not None
        and _SIMPLE_RELATIVE_RE.match(written)
        and _FIRST_PERSON_RE.search(_paragraph(text, fact.start))
    ):
        # "Today's announcement is an affront … I'm deeply disappointed": a speaker's
        # "today" is the day they spoke, which may not be the dateline's
        yield RELATIVE
    if fact.start is not None and fact.end is not None:
        before = text[max(0, fact.start - 30) : fact.start]
        after = text[fact.end : fact.end + 30]
        if _RANGE_NEXT.match(after) or _RANGE_BEFORE.search(before):
            yield ALTERNATIVE
        if (
            _side_remark(text, fact.start, fact.end)
            and not _asks_the_noun(fact)
            and not _ASKS_THE_PLAN.match(fact.stem or "")
        ):
            yield SIDE_REMARK
        if (_inside_that_clause(fact) or _inside_reported_clause(fact)) and not _asks_the_noun(
            fact
        ):
            yield IN_THAT_CLAUSE
        if _in_subordinate_clause(fact) or _left_out_time_aside(fact):
            yield OTHER_CLAUSE
        line_start = text.rfind("\n", 0, fact.start) + 1
        if (
            line_start == fact.start
            and text.count("\n", 0, fact.start) <= 3
            and re.fullmatch(r"(?:[A-Z][a-z]+day,?\s+)?[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}", written)
        ):
            yield DATELINE  # "Thursday, May 7, 2015 On Tuesday, the government announced …"
        bound = _BOUND_BEFORE.search(text[max(0, fact.start - 24) : fact.start])
        if bound is None:
            bound = _BOUND_WRITTEN.match(written)  # "since January": the word is written
        if bound is not None and not _RANGE_END_AFTER.match(text[fact.end : fact.end + 24]):
            yield SINCE if bound.group(0).lower().startswith("since") else BOUND


_FIRST_PERSON_RE = re.compile(r"(?<![\w’'])(?:I|I[’']m|I[’']ve|we|our|my|us)(?![\w’'])")


# How far a date's reasons read its sentence either side of it: a sentence of many
# thousand words costs no more per date than a long one (time linear in the text)
_SENTENCE_REACH = 600


def _sentence_before(fact: Fact) -> str:
    """The date's sentence before it, at most :data:`_SENTENCE_REACH` characters."""
    assert fact.sentence is not None and fact.start is not None
    assert fact.sentence_start is not None
    at = fact.start - fact.sentence_start
    return fact.sentence[max(0, at - _SENTENCE_REACH) : at]


def _sentence_near(fact: Fact) -> str:
    """The date's sentence around it, at most :data:`_SENTENCE_REACH` characters each side."""
    assert fact.sentence is not None
    if fact.start is None or fact.sentence_start is None:
        return fact.sentence[: 2 * _SENTENCE_REACH]
    at = fact.start - fact.sentence_start
    return fact.sentence[max(0, at - _SENTENCE_REACH) : at + _SENTENCE_REACH]


def _same_year_written_before(fact: Fact, written: str) -> bool:
    """ "sentenced in September 2009, but lost their appeal in December of the same
    year": the year is written earlier in the same sentence, so nothing is in doubt."""
    if not re.search(r"(?i)\bsame\s+year$", written) or fact.sentence is None:
        return False
    if fact.start is None or fact.sentence_start is None:
        return False
    before = _sentence_before(fact)
    return re.search(r"\b(?:1[5-9]|20)\d\d\b", before) is not None


def _paragraph(text: str, at: int) -> str:
    """The paragraph (line) that holds an offset, at most 2,000 characters of it."""
    start = text.rfind("\n", max(0, at - 1000), at) + 1
    end = text.find("\n", at, at + 1000)
    return text[max(start, at - 1000) : end if end >= 0 else at + 1000]


# "3 to 5 May", "June or July", "Monday to Friday": another date after the date (not
# "began on August 10 and South Korea says …": a name is no second date)
_RANGE_NEXT = re.compile(
    rf"\s*(?:(?:or|to|and|through|until)\s+|[-–—]\s*)"
    rf"(?:\d|(?:{MONTH_PATTERN}|{WEEKDAY_PATTERN})\b)"
)
# The date closes a range or an alternative another date opens: "3–", "30 April–",
# "30 April to ", "June or ", "between … and "
_RANGE_BEFORE = re.compile(
    rf"(?:\bor|(?:\d|\b{MONTH_PATTERN})\s*[-–—]|(?:\d|\b{MONTH_PATTERN})\s+"
    r"(?:to|through|until|and)|\bbetween\b[^.]*)\s*$"
)


# "since 2001", "until 2019", "by 2030", "for the first time since 1990": a limit.
_BOUND_BEFORE = re.compile(
    r"\b(?:since|until|till|by|before|after|up to|no later than)\s+(?:the\s+end\s+of\s+)?$",
    re.IGNORECASE,
)
_BOUND_WRITTEN = re.compile(r"(?:since|until|till|by)\s", re.IGNORECASE)
# "from 2006 to 2009", "since 2009 – 2011": the date opens a range the text closes; "the
# first side since 2009 to win" is no range ("to" and a verb)
_RANGE_END_AFTER = re.compile(
    rf"\s*(?:to|and|until|through|[-–—])\s*(?:\d|{MONTH_PATTERN}|{WEEKDAY_PATTERN}|"
    r"the\s+(?:end|start|beginning|middle)|today|now|present)",
    re.IGNORECASE,
)
_REPORTING = (
    r"(?:said|says|told|announced|claimed|warned|reported|stated|added|confirmed|explained|"
    r"noted|predicted|expected|promised|insisted|argued|believes|believed|thinks|thought|"
    r"hoped|hopes|expects)"
)
_ASKS_A_SAYING = re.compile(
    r"^When (?:did|does|do|will) [^?]*?\b(?:say|tell|announce|claim|warn|report|state|add|"
    r"confirm|explain|note|predict|expect|promise|insist|argue|believe|think|hope)\b"
)


_SUBORDINATE = re.compile(
    r"\b(before|after|following|when|while|until|once|because|as|although|where|since)\s+"
    r"(?:it|he|she|they|we|the|a|an|his|her|their|its|[A-Z][\w’'-]*|[a-z]+s)\s+[\w’'-]+"
)


def _in_subordinate_clause(fact: Fact) -> bool:
    """ "The jury deliberated for two days before it returned its verdict on Monday": the
    date dates the verdict, but the question, built on the main clause, keeps "before it
    returned its verdict" and asks when the jury deliberated."""
    if not fact.stem or fact.sentence is None or fact.start is None:
        return False
    if fact.sentence_start is None:
        return False
    before = _sentence_before(fact)
    clauses = list(_SUBORDINATE.finditer(before))
    if not clauses:
        return False
    last = clauses[-1]
    if "," in before[last.end() :]:
        return False  # "After the vote, the council met on Monday": the main clause again
    return last.group(0) in fact.stem


# "When is the first meeting set to take place …?": the question asks about the phrase
# ", with the first meeting set to take place on May 16", not the sentence's verb
_ASKS_THE_PLAN = re.compile(
    r"When (?:is|are) [^?]*?\b(?:set|due|expected|scheduled|planned|slated) to\b"
)
_TIME_ASIDE = re.compile(r",\s+(?:following|after|before)\s[^,]{0,100},")


def _left_out_time_aside(fact: Fact) -> bool:
    """ "On April 15, the minister, following talks with the president, announced …":
    the question leaves the talks out, but the date may be theirs."""
    if not fact.stem or fact.sentence is None:
        return False
    m = _TIME_ASIDE.search(_sentence_near(fact))
    return m is not None and m.group(0).strip(", ") not in fact.stem


def _inside_reported_clause(fact: Fact) -> bool:
    """ "The mayor said the bridge would open in June": June dates the opening, but the
    question built from the sentence asks when the mayor said it."""
    if not fact.stem or fact.sentence is None or fact.start is None:
        return False
    if fact.sentence_start is None or not _ASKS_A_SAYING.match(fact.stem):
        return False
    before = _sentence_before(fact)
    verbs = list(re.finditer(r"\b" + _REPORTING + r"\b", before))
    if not verbs:
        return False
    between = before[verbs[-1].end() :].split()
    return any(
        w.lower() in lexicon.FINITE_AUXILIARIES or re.fullmatch(r"[a-z]{3,}ed", w) for w in between
    )


_ASKS_THE_SAYING = re.compile(r"^When (?:did|does|do|will) [^?]*?\b\w+ that\b")
_THAT_CLAUSE = re.compile(
    r"\b(?:\w+ed|said|says|told \w+|knew|thought|found|saw)\s+(?:\w+\s+){0,3}that\b"
)


def _inside_that_clause(fact: Fact) -> bool:
    """ "When did Wilkins observe that the program coincided with …?" for a date in
    "… with Warhol's death in 1987": the question asks when the observing was."""
    if not fact.stem or fact.sentence is None or fact.start is None:
        return False
    if fact.sentence_start is None:
        return False
    # the question may ask about the saying ("When did Wilkins observe that …?") or
    # about what was said ("When did the program start?"): either way the date is
    # the speaker's
    return _THAT_CLAUSE.search(_sentence_before(fact)) is not None


# "on Sunday night (March 4)": the parenthesis gives the day just named, no side remark
_RESTATES_A_DAY = re.compile(
    rf"\b(?:{WEEKDAY_PATTERN}|today|yesterday|tomorrow)(?:\s+(?:morning|afternoon|evening|night))?"
    r"\s*\(\s*$",
    re.IGNORECASE,
)


def _asks_the_noun(fact: Fact) -> bool:
    """The question asks for the date of the noun phrase the date belongs to ("When was
    the Almaty Declaration?", "When was the statement dated?"), so a date that is a side
    remark to the sentence's own event is asked about the right thing."""
    event = fact.event or ""
    if not event or not fact.stem:
        return False
    label = event[0].lower() + event[1:] if event.startswith("The ") else event
    return fact.stem in (f"When was {label}?", f"When was {label} dated?")


def _side_remark(text: str, start: int, end: int) -> bool:
    """A date in a parenthesis or an appositive participle clause: "(founded 1957)",
    "the award, first given in 1950, went to her"."""
    before = text[max(0, start - 60) : start]
    after = text[end : end + 3]
    if re.search(r"\b(?:dated|signed on|issued on|of the|from the)\s+$", before) and not re.search(
        r"\b(?:end|start|beginning|middle|spring|summer|autumn|fall|winter)\s+of the\s+$", before
    ):
        return True  # "a trilateral statement dated November 10, 2020"
    wide = text[max(0, start - 160) : start]  # bounded: linear in the text
    sentence_start = max(wide.rfind(". "), wide.rfind("\n"))
    if re.search(r",\s+with\s+[^,.]*$", wide[sentence_start + 1 :]):
        return True  # "…, with the first meeting set to take place on May 16"
    if re.search(r"\b[A-Z][a-z]+\s+of\s+$", before):
        return True  # "the Almaty Declaration of 1991": part of a name
    if re.match(r"\s+[a-z]+s\b", text[end : end + 20]) and re.search(r"\bof\s+$", before):
        return True  # "10% of 2000 levels": the year describes a noun
    m_of = re.search(r"\bthe\s+([a-z]+)\s+of\s+$", before)
    if m_of and m_of.group(1) not in {
        "spring",
        "summer",
        "autumn",
        "fall",
        "winter",
        "end",
        "start",
        "beginning",
        "middle",
        "rest",
        "year",
        "month",
        "first",
        "last",
        "whole",
    }:
        return True  # "the battle of 1815", "the class of 2010": a name, not an event date
    if (
        re.search(
            r"\((?:[^()]*\s)?(?:founded|established|created|formed|built|born|since|est\.?)?\s*$",
            before,
        )
        and after.startswith(")")
        and not _RESTATES_A_DAY.search(before)
    ):
        return True
    m = re.search(
        r",\s+(?:\w+\s+){0,2}(?:given|founded|established|created|formed|built|awarded|"
        r"introduced|launched|opened|set up|first held|held|born)\s+(?:in\s+|on\s+)?(?:the\s+)?$",
        before,
    )
    return m is not None and after[:1] == ","


# ---- numbers ------------------------------------------------------------------------


def _number_reasons(fact: Fact, text: str) -> Iterable[str]:
    written = fact.text.lower()
    if any(w in _VAGUE_WORDS for w in re.findall(r"[a-z]+", written)) and not re.search(
        r"\d", written
    ):
        yield VAGUE
    counts = (fact.counts or "").strip()
    if _question_says_what(fact):
        pass  # "How much did the company pay to settle the case?": the question says it
    elif not counts or not _noun_phrase(counts) or counts.upper() == (fact.unit or "").upper():
        yield UNCLEAR_COUNT
    elif (
        fact.end is not None
        and not counts.startswith(("age of ", "value of "))
        and not _counts_follow(text, fact.end, counts)
        and not _in_stem(counts, fact.stem)
    ):
        # What is counted was taken from the words before the number: a guess.
        yield UNCLEAR_COUNT
    if (
        fact.start is not None
        and (fact.unit or "") in _DURATION_UNITS
        and not fact.qualifier
        and re.search(
            r"\bover\s+(?:the\s+(?:next|past|last)\s+)?$",
            text[max(0, fact.start - 20) : fact.start],
        )
    ):
        yield OVER_DURING
    value = fact.value if isinstance(fact.value, int | float) else None
    if (
        value is not None
        and float(value).is_integer()
        and 1000 <= value <= 2100
        and not fact.unit
        and "," not in fact.text
    ):
        yield YEAR_LIKE


_SHORT_MONEY_QUESTION = 14


def _question_says_what(fact: Fact) -> bool:
    """A sum of money or a percentage asked by a short, plain question built on its
    clause ("How much did the company pay to settle the case?", "What percentage will
    Thomson shareholders own?"): the unit is what is counted and the question says of
    what, whatever words were guessed as its counted thing. Plain: at most 14 words, no
    comma, a subject that opens with "the", "a", a possessive or a name (not "this",
    "it" or an adverb), and a question the stem gate passes."""
    unit = fact.unit or ""
    if not ((len(unit) == 3 and unit.isupper()) or unit == "%"):
        return False
    stem = fact.stem or ""
    m = re.match(
        r"(?:How much|What percentage|By what percentage) "
        r"(?:did|does|do|will|would|was|were|is|are|has|have|had|can|could) (\S+)",
        stem,
    )
    if m is None or "," in stem or len(stem.split()) > _SHORT_MONEY_QUESTION:
        return False
    subject = m.group(1)
    plain = subject.lower() in {"the", "a", "an", "its", "their", "his", "her"} or (
        subject[:1].isupper() and subject.lower() not in _UNNAMED_FIRST | {"this", "that", "it"}
    )
    return plain and stem_problem(fact) is None


def _in_stem(counts: str, stem: str | None) -> bool:
    """Whether the question itself names the counted thing (as its subject)."""
    if not stem:
        return False
    words = set(re.findall(r"[\w’'-]+", stem.lower()))
    return all(w in words for w in re.findall(r"[\w’'-]+", counts.lower()))


def _counts_follow(text: str, end: int, counts: str) -> bool:
    """Whether the counted thing is written right after the number ("4 helicopters",
    "10% of the total volume", "a 19-year-old man")."""
    after = " ".join(text[end : end + len(counts) + 40].split())
    return (
        re.match(
            r"(?:-\s?|\s)?(?:[a-z]+-)?(?:of\s+(?:the\s+|all\s+|its\s+|their\s+)?)?"
            + re.escape(" ".join(counts.split())),
            after,
        )
        is not None
    )


_PLACEHOLDERS = frozenset(["figure", "number", "total", "amount", "rate", "level", "figures"])


def _noun_phrase(counts: str) -> bool:
    """Whether a counted thing reads as a noun phrase: a few words, no finite verb, not
    starting with a determiner clause or a capitalised lone word ("Cost")."""
    words = counts.split()
    if not words or len(words) > 8 or counts.lower() in _PLACEHOLDERS:
        return False
    if (
        len(words) > 1
        and re.fullmatch(r"[a-z]{3,}ed", words[0])
        and words[1].lower()
        in {"to", "by", "from", "in", "at", "approximately", "about", "around", "nearly", "for"}
    ):
        return False  # "dropped to approximately"
    if any(w.lower() in _FINITE for w in words):
        return False
    if words[0].lower() in _COUNTED_OPENERS:
        return len(words) <= 5
    if len(words) == 1 and words[0][:1].isupper() and not words[0].isupper():
        return False
    for a, b, c in zip(words, words[1:], words[2:], strict=False):
        if re.fullmatch(r"[a-z]{3,}s", a) and b[:1].isupper() and c[:1].isupper():
            return False  # "veteran politicians Lee Cheuk-yan": a name after the head noun
    # a verb in -ed after the head noun: "shells fell near …", "people arrived"
    return not any(re.fullmatch(r"[a-z]{3,}ed", w) for w in words[1:])


# ---- quotes -------------------------------------------------------------------------


def _quote_reasons(fact: Fact, text: str, quote: QuoteEvidence | None) -> Iterable[str]:
    link = quote.link if quote is not None else "explicit"
    if not fact.speaker:
        yield NO_SPEAKER
        return
    if not _named_near(fact, text) or (
        link == "carried" and not _carried_plainly(fact, text, quote.people if quote else ())
    ):
        yield EARLIER_SPEAKER
    elif quote is not None and _other_person_between(fact, text, quote.people):
        yield PRONOUN_SPEAKER
    if fact.role and _role_opens_badly(fact.role):
        yield PROBLEM_ROLE  # "through captain": a role is a noun phrase
    first = fact.speaker.split()[0]
    if (
        first[:1].islower()
        or first.lower() in _UNNAMED_FIRST
        or fact.speaker.lower() in _GROUP_WORDS
        or fact.speaker.split()[-1].lower() in _GROUP_WORDS
    ):
        yield GROUP_SPEAKER
    if fact.reported and quote is not None and _own_pronoun_doubtful(fact, text, quote):
        yield OWN_PRONOUN
    s = fact.sentence_start if fact.sentence_start is not None else (fact.start or 0)
    near = text[max(0, s - 300) : (fact.end or s) + 300]  # bounded: linear in the text
    if any(w.lower().strip(".") in _OUTLET_WORDS for w in fact.speaker.split()) and re.search(
        r"\b(?:told|to|in an interview with|speaking to)\s+(?:the\s+)?" + re.escape(fact.speaker),
        near,
    ):
        yield OUTLET_SPEAKER  # "…, a ministry aide told the Daily Courier"
    elif any(w.lower().strip(".") in _OUTLET_WORDS for w in fact.speaker.split()) and re.search(
        re.escape(fact.speaker.split()[-1])
        + r"\s+(?:\w+\s+){0,2}(?:cited|cites|quoted|quotes|published|publishes|obtained|"
        r"reproduced|printed|listed)\b",
        text[s : fact.start or s],
    ):
        yield OUTLET_SPEAKER  # "The Daily Courier cited questions including: “…”": not its words


def _own_pronoun_doubtful(fact: Fact, text: str, quote: QuoteEvidence) -> bool:
    """ "Holm said she would get an answer": a statement that opens with "he" or "she"
    (the stem gate takes it as the speaker) is doubtful when the text gives the speaker
    the other gender, or names another person in its paragraph before it ("Lena Dahl
    met Mayor Per Holm. Holm said she …")."""
    first = re.match(r"\W*(\w+)", fact.text)
    if first is None or first.group(1).lower() not in {"he", "she", "his", "her"}:
        return False
    want = "m" if first.group(1).lower() in {"he", "his"} else "f"
    if quote.gender is not None and quote.gender != want:
        return True
    if fact.sentence_start is None or not fact.speaker:
        return False
    s = fact.sentence_start
    lo = max(0, s - 600)  # bounded: linear in the text
    window = text[lo:s]
    window = window[window.rfind("\n") + 1 :]  # the statement's paragraph, before it
    own = set(fact.speaker.split())
    for name in quote.people:
        words = name.split()
        if own & set(words):
            continue
        if name in window or re.search(r"(?<!\w)" + re.escape(words[-1]) + r"(?!\w)", window):
            return True
    return False


_SAID_BY_PRONOUN = re.compile(
    r"\b(?:he|she)\s+(?:said|says|added|told|explained|noted|continued|insisted|argued|wrote)\b"
    r"|\b(?:said|says|added)\s+(?:he|she)\b",
    re.IGNORECASE,
)


def _other_person_between(fact: Fact, text: str, people: tuple[str, ...]) -> bool:
    """ "Kari Dahl said … The mayor, Jon Berg, was angry. “This is a disgrace,” he said.":
    the quote's speaker was found through "he", and another person the article names
    is written between the speaker's last mention and the quote."""
    if fact.start is None or fact.end is None or not fact.speaker:
        return False
    s = fact.sentence_start if fact.sentence_start is not None else fact.start
    e = s + len(fact.sentence or "")
    outside = text[s : fact.start] + " " + text[fact.end : max(e, fact.end)]
    if not _SAID_BY_PRONOUN.search(outside):
        return False
    lo = max(0, s - 600)  # bounded: linear in the text
    window = text[lo : fact.start]
    surname = fact.speaker.split()[-1]
    last = [m.end() for m in re.finditer(r"(?<!\w)" + re.escape(surname) + r"(?!\w)", window)]
    between = window[last[-1] :] if last else window
    own = set(fact.speaker.split())
    return any(
        name in between for name in people if len(name.split()) >= 2 and not own & set(name.split())
    )


_UNNAMED_FIRST = frozenset(
    ["some", "many", "several", "other", "others", "most", "few", "various", "a", "an", "one"]
)
_OUTLET_WORDS = frozenset(
    [
        "guardian",
        "times",
        "post",
        "telegraph",
        "herald",
        "bbc",
        "cnn",
        "reuters",
        "ap",
        "afp",
        "xinhua",
        "tass",
        "yonhap",
        "kcna",
        "news",
        "journal",
        "gazette",
        "tribune",
        "independent",
        "observer",
        "mail",
        "express",
        "mirror",
        "chronicle",
        "daily",
        "weekly",
        "magazine",
        "agency",
        "newspaper",
        "press",
        "radio",
        "television",
        "tv",
        "broadcaster",
        "courier",
        "register",
    ]
)


def _carried_plainly(fact: Fact, text: str, people: tuple[str, ...]) -> bool:
    """A speaker carried from an earlier statement is as sure as a written one when the
    quote goes straight on from them: their name is written in the quote's sentence or
    the two before it ("Bolden said. “…”", "Kane said, “…” / “…”", "Heald noted …
    “…”"), and between that last mention and the quote no other person the article
    names is written, not even by surname ("Dahl said … Berg was angry. “…”")."""
    if fact.start is None or not fact.speaker:
        return False
    s = fact.sentence_start if fact.sentence_start is not None else fact.start
    lo = _window_start(text, s)  # bounded: linear in the text
    window = text[lo : fact.start]
    own = [w for w in re.findall(r"[\w’'-]+", fact.speaker) if w[:1].isupper() and len(w) > 1]
    last = -1
    for n in own:
        for m in re.finditer(r"(?<!\w)" + re.escape(n) + r"(?!\w)", window):
            last = max(last, m.end())
    if own:
        # the surname as the text misspells it ("Ms Bauchtman said" for Lydia Buchtmann)
        for m in re.finditer(r"(?<!\w)[A-Z][\w’'-]{4,}", window):
            if misspelt_surname(m.group(0), own[-1]):
                last = max(last, m.end())
    if last < 0:
        return False
    between = _blank_captions(window[last:])  # a caption's credit is no person between
    own_words = set(fact.speaker.split())
    for name in people:
        words = name.split()
        if len(words) < 2 or own_words & set(words):
            continue
        if name in between or re.search(r"(?<!\w)" + re.escape(words[-1]) + r"(?!\w)", between):
            return False
    return True


# A picture's caption line between paragraphs ("… on their launchpads. Image: NASA."):
# no sentence of the story, so it does not count when looking back for a speaker.
_CAPTION_LINE = re.compile(
    r"(?m)^[^\n]{0,300}\b(?:Image|Photo|Picture|Photograph|Credit):\s*[^\n]{1,60}\n"
)


def _window_start(text: str, s: int) -> int:
    """Where to start looking back for a quote's speaker from its sentence at ``s``: the
    two sentences before (caption lines skipped), or, when the paragraph before leaves a
    quotation open that this paragraph's quote goes on with ("… Gregoire said, “The
    museum … / Image: NASA. / “However, the trainer …”"), that paragraph's start. At
    most 1,500 characters back: linear in the text."""
    lo = max(0, s - 400)
    prev = [m.end() for m in re.finditer(r"[.!?:][”\"’']?\s+|\n", _blank_captions(text[lo:s]))]
    start = lo + prev[-3] if len(prev) >= 3 else lo
    if text[s - 1 : s] != "\n":
        return start
    base = max(0, s - 1500)
    before = _blank_captions(text[base:s]).rstrip()
    pstart = before.rfind("\n") + 1
    paragraph = before[pstart:]
    if paragraph.count('"') % 2 == 1 or paragraph.count("“") > paragraph.count("”"):
        return min(start, base + pstart)
    return start


def _blank_captions(chunk: str) -> str:
    """The chunk with its caption lines blanked (same length, so offsets hold)."""
    return _CAPTION_LINE.sub(lambda m: " " * len(m.group(0)), chunk)


def _named_near(fact: Fact, text: str) -> bool:
    """Whether a word of the speaker's name is written in the quote's own sentence or the
    next one, outside the quoted words (else a pronoun or an earlier mention gave it)."""
    if fact.start is None or fact.end is None or not fact.speaker:
        return True
    s = fact.sentence_start if fact.sentence_start is not None else fact.start
    e = s + len(fact.sentence or "")
    # the two sentences before, also across a paragraph break ("Karasin said:" / "“…”",
    # "Heald noted … “…”", "“…,” she said" after a sentence naming her)
    s = _window_start(text, s)
    e = max(e, fact.end)
    nxt = re.search(r"[.!?][”\"’']?\s", text[e : e + 300])
    e2 = e + (nxt.end() if nxt else 0)
    window = text[s : fact.start] + " " + text[fact.end : e2]
    names = [w for w in re.findall(r"[\w’'-]+", fact.speaker) if w[:1].isupper() and len(w) > 1]
    if not names:
        names = fact.speaker.split()[-1:]
    if any(re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", window) for n in names):
        return True
    return any(
        misspelt_surname(m.group(0), names[-1])
        for m in re.finditer(r"(?<!\w)[A-Z][\w’'-]{4,}", window)
    )


# ---- people -------------------------------------------------------------------------

_NOT_PERSON_HEADS = frozenset(
    [
        "register",
        "times",
        "post",
        "journal",
        "herald",
        "news",
        "gazette",
        "tribune",
        "review",
        "magazine",
        "daily",
        "weekly",
        "forum",
        "summit",
        "conference",
        "congress",
        "council",
        "committee",
        "commission",
        "union",
        "party",
        "ministry",
        "department",
        "agency",
        "bank",
        "company",
        "corporation",
        "group",
        "association",
        "federation",
        "league",
        "club",
        "university",
        "college",
        "school",
        "institute",
        "foundation",
        "court",
        "parliament",
        "assembly",
        "senate",
        "award",
        "awards",
        "prize",
        "medal",
        "trophy",
        "cup",
        "games",
        "championship",
        "olympics",
        "festival",
        "expo",
        "airbus",
        "boeing",
        "airliner",
        "aircraft",
        "jet",
        "model",
        "series",
        "station",
        "airport",
        "hospital",
        "church",
        "day",
        "week",
        # laws, places and programmes: "Clean Air Act", "Johnson Space Center"
        "act",
        "center",
        "centre",
        "shuttle",
        "museum",
        "gallery",
        "program",
        "programme",
        "project",
        "treaty",
        "declaration",
        "convention",
        "accord",
        "protocol",
        # regions: "Pacific Northwest"
        "northwest",
        "northeast",
        "southwest",
        "southeast",
        "midwest",
        "pacific",
        "atlantic",
        "arctic",
        "ocean",
        "region",
        "province",
        "county",
    ]
)
# A country's or body's abbreviation opening a "name": "U.S. Space", "UN Security".
_ABBREVIATION_FIRST = frozenset(["u.s.", "us", "uk", "u.k.", "eu", "un", "u.n.", "nasa"])
_DEMONYM_RE = re.compile(
    r"^(?:(?:north|south|east|west|central|western|eastern|northern|southern)\s+)?"
    r"[A-Z][a-z]+(?:an|ian|ese|ish|i|ic|ch)$",
    re.IGNORECASE,
)


def _role_opens_badly(role: str) -> bool:
    """ "through captain", "following talks", "who led": a role is a noun phrase, and
    none opens with a preposition, an adverb or a relative word."""
    first = role.split()[0].lower() if role.split() else ""
    return first in ROLE_CANNOT_OPEN or first in {"following", "during", "who", "which"}


def _person_reasons(fact: Fact) -> Iterable[str]:
    name = (fact.name or "").strip()
    words = name.split()
    if not_a_person(name):
        yield NOT_A_PERSON
    elif len(words) < 2:
        yield ONE_NAME
    elif re.fullmatch(r"[A-Z]\.?", words[-1]):
        yield NAME_CUT  # "Richard J" of "Richard J. Harrington": cut at the initial
    for role in (fact.role, *fact.roles):
        if not role:
            continue
        words = role.split()
        if (
            re.search(r"\b(?:of|for)(?:\s+the)?$", role.strip(), re.IGNORECASE)
            or (len(words) > 7 and not _long_title(words))
            or _role_opens_badly(role)
            # "Jon Dahl and Minister": another person's name joined to the title
            or re.match(r"[A-Z][\w’'-]+ [A-Z][\w’'-]+ and [A-Z]", role) is not None
            or (
                re.fullmatch(r"[a-z]+ing", words[0])
                and not role.startswith("speaking for ")
                and not (len(words) == 2 and role_head(words[1]))  # "practising homeopath"
            )
        ):
            yield PROBLEM_ROLE
            break
        if _CUT_ORGANISATION_RE.search(role.strip()):
            # "Director of the National" + "Iodine Nutrition": an organisation's name
            # split into a role and a "person".
            yield PROBLEM_ROLE
            yield NOT_A_PERSON
            break
    for role in (fact.role, *fact.roles):
        if role and _member_of_nothing(role):
            yield VAGUE_ROLE
            break
        if role and _bare_title(role):
            yield BARE_TITLE
            break


# A role ending in "of (the) <adjective>": the organisation's name goes on past it
# ("Director of the National"); a country after "of" is no adjective ("of Azerbaijan").
_CUT_ORGANISATION_RE = re.compile(
    r"\b(?:of|for)\s+(?:the\s+(?:[A-Z][a-z]+\s+)*[A-Z][a-z]+(?:al|an|ic|ese|ish)"
    r"|(?:[A-Z][a-z]+\s+)*[A-Z][a-z]+(?:al|ic|ese|ish))$"
)
_LONG_TITLE_WORDS = 12
_TITLE_CONNECTORS = frozenset(["of", "the", "for", "on", "and", "at", "to", "in"])


def _long_title(words: list[str]) -> bool:
    """ "first deputy chairman of the State Duma Committee on CIS Affairs", "chief
    financial officer and treasurer at the Andy Warhol Foundation": a long role that is
    one title, a role noun, then the body it belongs to, ending on a capitalised name
    (or a role noun), with no verb and no clause in it."""
    if len(words) > _LONG_TITLE_WORDS:
        return False
    if any(
        w.lower() in _FINITE or re.fullmatch(r"[a-z]{3,}(?:ed|ing)", w) or w.endswith((",", ";"))
        for w in words
    ):
        return False
    if not any(role_head(w) for w in words):
        return False
    last = words[-1].strip(".")
    if not (last[:1].isupper() or role_head(last)):
        return False
    lower = [w for w in words if w[:1].islower() and w.lower() not in _TITLE_CONNECTORS]
    return len(lower) <= 4


# Titles that mean little without what they are a title of: "Minister" (of what?).
_NEEDS_PORTFOLIO = frozenset(
    [
        "minister", "secretary", "director", "chairman", "chairwoman", "chair", "head",
        "chief", "president", "spokesman", "spokeswoman", "spokesperson", "official",
        "representative", "commissioner", "deputy", "undersecretary", "manager", "leader",
        "governor", "ambassador", "envoy", "adviser", "advisor", "aide", "officer",
        "ceo", "cfo", "coo", "cto", "chairperson", "executive", "treasurer",
    ]
)  # fmt: skip


def _bare_title(role: str) -> bool:
    """ "Minister", "the spokesman": a title alone, with no office, body or place."""
    words = [w for w in role.split() if w.lower() not in lexicon.ARTICLES]
    return len(words) == 1 and words[0].lower().strip(".,") in _NEEDS_PORTFOLIO


def _member_of_nothing(role: str) -> bool:
    """ "Member", "team member", "a board member": a membership without what of."""
    words = role.split()  # "member of the board" ends in what it is a member of
    return words[-1].lower() in {"member", "members"} and not any(
        w[:1].isupper() for w in words[:-1]
    )


def not_a_person(name: str) -> bool:
    """Names that are not people: "North African", "the Federal Register", "Pacific Forum"."""
    words = name.split()
    if not words:
        return True
    if _DEMONYM_RE.match(name) and len(words) <= 2:
        return True
    if words[0].lower() in _ABBREVIATION_FIRST and len(words) <= 3:
        return True
    return any(w.lower().strip(".,") in _NOT_PERSON_HEADS for w in words)
