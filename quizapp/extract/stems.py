"""Question stems, event labels and readable fact ids for extracted facts.

The stems are starting points for the teacher's review screen, built from the
evidence sentence with a few rules: the date or number is taken out and the
clause is turned into a question ("When were the main forces deployed …?",
"How many helicopters arrived in Karabakh?").
"""

from __future__ import annotations

import re

from quizapp import lexicon
from quizapp.extract.dates import MONTH_PATTERN, WEEKDAY_PATTERN
from quizapp.extract.people import is_role_word

_IRREGULAR = {
    "said": "say",
    "made": "make",
    "began": "begin",
    "took": "take",
    "left": "leave",
    "came": "come",
    "went": "go",
    "gave": "give",
    "told": "tell",
    "found": "find",
    "held": "hold",
    "met": "meet",
    "won": "win",
    "lost": "lose",
    "sent": "send",
    "brought": "bring",
    "built": "build",
    "wrote": "write",
    "spoke": "speak",
    "became": "become",
    "ran": "run",
    "saw": "see",
    "got": "get",
    "fell": "fall",
    "paid": "pay",
    "led": "lead",
    "kept": "keep",
    "knew": "know",
    "thought": "think",
    "chose": "choose",
    "rose": "rise",
    "struck": "strike",
    "shot": "shoot",
    "fought": "fight",
    "sold": "sell",
    "bought": "buy",
    "caught": "catch",
    "drew": "draw",
    "flew": "fly",
    "grew": "grow",
    "threw": "throw",
    "broke": "break",
    "stole": "steal",
    "drove": "drive",
    "put": "put",
    "set": "set",
    "hit": "hit",
    "cut": "cut",
    "let": "let",
    "quit": "quit",
    "signed": "sign",
    "arrived": "arrive",
    "announced": "announce",
    "killed": "kill",
    "agreed": "agree",
    "issued": "issue",
    "used": "use",
    "launched": "launch",
    "released": "release",
    "started": "start",
    "opened": "open",
    "closed": "close",
}
_AUX_INVERT = ("was", "were", "is", "are", "has", "have", "had", "will", "would", "can", "could")
_LEADING = re.compile(
    r"^(?:however|meanwhile|moreover|in total|in addition|at the same time|now|then|also|"
    r"reportedly|it is noteworthy that|back|despite the fact that[^,]*)\s*,?\s*",
    re.IGNORECASE,
)


def slug(text: str, max_words: int = 4) -> str:
    """A short ASCII slug of the content words of a text."""
    stop = {
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "by",
        "with",
        "that",
        "this",
        "is",
        "was",
        "were",
        "be",
        "its",
        "it",
        "from",
        "as",
    }
    ws = [w for w in re.findall(r"[a-z0-9]+", _ascii(text).lower()) if w not in stop]
    return "-".join(ws[:max_words]) or "fact"


def _ascii(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if ord(c) < 128)


# The suffix to try first for an id of the ``used`` set last given: every lower
# one was taken (``used`` only grows), so an article that says the same thing
# a thousand times does not try a thousand suffixes for each of its facts.
_next_suffix: tuple[set[str], dict[str, int]] | None = None


def unique_id(prefix: str, base: str, used: set[str]) -> str:
    """``prefix-base``, with -2, -3 … when taken (the lowest suffix that is free)."""
    global _next_suffix
    first = candidate = f"{prefix}-{base}"
    if candidate in used:
        memo = _next_suffix
        if memo is None or memo[0] is not used:
            memo = _next_suffix = (used, {})
        n = memo[1].get(first, 2)
        candidate = f"{first}-{n}"
        while candidate in used:
            n += 1
            candidate = f"{first}-{n}"
        memo[1][first] = n + 1
    used.add(candidate)
    return candidate


def _clause_around(sentence: str, start: int, end: int) -> tuple[str, int, int]:
    """The clause of ``sentence`` that holds ``[start, end)``, with shifted offsets.

    A parenthesis that does not hold the span is left out rather than taken as the
    clause's end ("76 people were killed when the hotel near the mosque (the Grand
    Mosque) collapsed")."""
    for m in reversed(list(re.finditer(r"\s*\([^()]{0,80}\)", sentence))):
        if m.end() <= start:
            start, end = start - (m.end() - m.start()), end - (m.end() - m.start())
        elif m.start() < end:
            continue
        sentence = sentence[: m.start()] + sentence[m.end() :]
    cuts = [m.end() for m in re.finditer(r";\s|\s[–—]\s|\(|\)", sentence) if m.end() <= start]
    s = max(cuts) if cuts else 0
    ends = [m.start() for m in re.finditer(r";\s|\s[–—]\s|\(|\)", sentence) if m.start() >= end]
    e = min(ends) if ends else len(sentence)
    return sentence[s:e], start - s, end - s


def _remove_span(clause: str, start: int, end: int) -> str:
    before = clause[:start]
    after = clause[end:]
    before = re.sub(
        r"(?:\b(?:on|in|since|from|by|until|as of|of|dated|back on|at)\s+)?(?:the\s+)?$",
        "",
        before,
        flags=re.IGNORECASE,
    )
    text = (before.rstrip() + " " + after.lstrip()).strip()
    text = re.sub(r"\s+,", ",", text)
    text = re.sub(r"^,\s*", "", text)
    return re.sub(r"\s{2,}", " ", text)


def _tidy(text: str) -> str:
    text = text.strip().strip(",;:").strip()
    text = re.sub(r"[“”\"]", "", text)
    text = _LEADING.sub("", text)
    text = re.sub(r"[.!?]+$", "", text)
    return text.strip()


# A side clause set off by commas: "the bridge, which opened in 1990, fell".
# A place in it may hold a comma of its own ("which is located in Evansville, Indiana,").
_SIDE_CLAUSE = re.compile(
    r",\s+(?:which|who)\s+[^,;]*(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*(?=,))?(?:,|$)"
)
_SIDE_HEAD_WORDS = 6  # the longest subject a side clause's own question is built on


def _side_clause(clause: str, s: int, e: int) -> tuple[str, int, int]:
    """The clause to ask about: a date inside a side clause dates that clause's event
    ("the collapse, which occurred on Monday, was caused by waves" → "the collapse
    occurred on Monday"); a date outside it is asked without the side clause."""
    for m in _SIDE_CLAUSE.finditer(clause):
        if m.start() <= s and e <= m.end():
            head = clause[: m.start()].strip()
            if not _noun_phrase_head(head):
                return clause, s, e
            pronoun = re.match(r",\s+(?:which|who)\s+", m.group(0))
            assert pronoun is not None
            body_start = m.start() + pronoun.end()
            body = clause[body_start : m.end()].rstrip(",")
            shift = body_start - (len(head) + 1)
            return f"{head} {body}", s - shift, e - shift
    out = clause
    for m in reversed(list(_SIDE_CLAUSE.finditer(clause))):
        if m.start() >= e:
            out = out[: m.start()] + out[m.end() :]
        elif m.end() <= s and m.group(0).endswith(","):
            out = out[: m.start()] + out[m.end() :]
            s -= m.end() - m.start()
            e -= m.end() - m.start()
    return out, s, e


def _noun_phrase_head(head: str) -> bool:
    """ "The collapse", "Smith's company": a short subject with no verb in it."""
    words = head.split()
    if not words or len(words) > _SIDE_HEAD_WORDS or "," in head:
        return False
    return not any(
        w.lower() in _AUX_INVERT
        or w.lower() in {"he", "she", "they", "we", "i", "it", "you"}
        or (w.islower() and (re.fullmatch(r"[a-z]{3,}ed", w) or w in _IRREGULAR))
        for w in words
    )


# A relative clause that holds the date, with or without its comma: "newsgroups such as
# alt.religion.scientology, which posted documents in 1994", "the orbiter's last flight
# which launches June 28", "someone who gave it to the CBC today". Its antecedent is the
# noun phrase just before the pronoun.
_RELATIVE = re.compile(r"(?:,\s+|\s+)(?:which|who)\s+(?P<body>[^,;]*)")
# "the first boat rescued on Friday was turned around": a participle after a short noun
# phrase, then the date, then the sentence's own verb.
_REDUCED = re.compile(
    r"\b(?P<np>(?:[Tt]he|[Aa]n?)\s+(?:[\w’'-]+\s+){0,3}?)(?P<part>[a-z]{3,}ed)\s+(?:on\s+|in\s+)?$"
)
# Words that end the noun phrase before a relative pronoun, read backwards.
_NP_STOP = frozenset(
    ["as", "of", "by", "to", "in", "on", "at", "for", "from", "with", "following", "after",
     "before", "about", "than", "and", "or", "that", "into", "during", "over", "under"]
)  # fmt: skip


def _antecedent(head: str) -> str | None:
    """The noun phrase at the end of ``head``: "… since the early days of newsgroups such
    as alt.religion.scientology" → "alt.religion.scientology"; at most six words, none a
    verb or a pronoun."""
    words = head.split()
    np: list[str] = []
    for w in reversed(words):
        if w.lower() in _NP_STOP or w.endswith(",") or len(np) == _SIDE_HEAD_WORDS:
            break
        np.insert(0, w)
    if not np or not _noun_phrase_head(" ".join(np)):
        return None
    return " ".join(np)


def _relative_clause(clause: str, s: int, e: int) -> tuple[str, int, int, bool] | None:
    """The clause to ask about for a date inside a relative clause: its antecedent and
    its body ("alt.religion.scientology posted documents in 1994"), and whether it is an
    object relative ("amnesty, which the Home Office today rejects": its verb's object is
    the antecedent, so no question can be made by inverting it)."""
    for m in _RELATIVE.finditer(clause):
        body_start = m.start("body")
        if not (body_start <= s and e <= m.end()):
            continue
        body = m.group("body")
        first = body.split()[0] if body.split() else ""
        if first.lower() in lexicon.ARTICLES or first[:1].isupper():
            # an object relative: "which the Home Office today rejects"
            return body, s - body_start, e - body_start, True
        head = _antecedent(clause[: m.start()])
        if head is None:
            return None
        shift = body_start - (len(head) + 1)
        return f"{head} {body}", s - shift, e - shift, False
    reduced = _REDUCED.search(clause[:s])
    after = clause[e:]
    if reduced and re.match(r"\s*(?:was|were|is|are|has|had|have)\b", after):
        np = reduced.group("np").rstrip()
        if not _noun_phrase_head(np):
            return None
        aux = "were" if np.split()[-1].endswith("s") else "was"
        lead = f"{np} {aux} {reduced.group('part')} "
        date = clause[s:e]
        return lead + date, len(lead), len(lead) + len(date), False
    return None


# Nouns that name an event a date can belong to ("the war in 2020", "Warhol's death in
# 1987", "the sentence of the Court on July 8").
EVENT_NOUNS = frozenset(
    ["war", "battle", "death", "birth", "election", "elections", "referendum", "vote",
     "meeting", "summit", "conference", "sentence", "ruling", "verdict", "judgment",
     "judgement", "trial", "statement", "declaration", "agreement", "treaty", "accord",
     "attack", "attacks", "bombing", "crash", "earthquake", "tsunami", "flood", "floods",
     "fire", "storm", "hurricane", "launch", "opening", "founding", "visit", "match",
     "final", "games", "olympics", "tournament", "championship", "festival", "ceremony",
     "invasion", "coup", "revolution", "disaster", "accident", "collapse", "assassination",
     "wedding", "funeral", "debut", "premiere", "inauguration", "resignation", "arrest",
     "hajj", "cup", "strike", "protest", "protests", "riots", "massacre", "eruption"]
)  # fmt: skip
_NP_WORD = r"(?!(?:of|on|in|for|from|to|with|by|at|as|and|or)\s)[\w.’'-]+"
# "a trilateral statement dated November 10, 2020"
_DATED = re.compile(
    rf"\b(?P<np>(?:[Tt]he|[Aa]n?)\s+(?:{_NP_WORD}\s+){{0,4}}?{_NP_WORD})\s+dated\s+$"
)
# "the Almaty Declaration of 1991": a name of two or more capitalised words, then "of"
_NAMED_OF = re.compile(r"\b(?P<np>(?:the\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,4})\s+of\s+$")
# "following the results of the Second Karabakh War in 2020", "the sentence of the
# Court of Cassation on July 8": a noun phrase after a preposition, headed by an event
# noun (perhaps with an "of" phrase after it), then "in" or "on" and the date
_NOUN_IN = re.compile(
    rf"(?P<np>(?:(?:[Tt]he|[Aa]n?|{_NP_WORD}['’]s)\s+)?(?:{_NP_WORD}\s+){{0,3}}?"
    r"(?P<head>[\w’'-]+)"
    r"(?:\s+of\s+(?:the\s+)?[A-Z][\w.’'-]*(?:\s+(?:of\s+)?[A-Z][\w.’'-]*){0,6})?)"
    r"\s+(?:in|on)\s+$"
)
_NOUN_IN_OPENERS = re.compile(r"(?:^|\b(?:of|from|following|after|before|with|since)\s+)")


# "Today's announcement is …", "Tuesday's vote was …": the noun phrase the date owns,
# up to its verb
_POSSESSED = re.compile(
    r"['’]s\s+(?P<np>(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)\s+"
    r"(?:is|was|were|are|has|had|will|would|could|may|[a-z]+ed)\b"
)


# "the 2007 starting date of the donation program": a year before a lower-case noun
# phrase (with its "of" phrase), up to the verb
_ATTRIBUTIVE = re.compile(
    r"\s+(?P<np>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}(?:\s+of\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,2}?)?)"
    r"(?:,[^,]{0,100},)?\s+(?:is|was|were|are|has|had|will|would|[a-z]+ed|"
    + "|".join(sorted(_IRREGULAR))
    + r")\b"
)


_COMMEMORATION = re.compile(
    r"\b(?P<np>(?:[Aa]n?|[Tt]he)\s+(?:[a-z]+\s+){0,2}?[a-z]+\s+(?:commemorating|marking|"
    r"celebrating)\s+[^,;]{1,100}?)\s+(?:on|in)\s+$"
)


def _noun_date(clause: str, s: int, e: int, year_only: bool) -> tuple[str, str] | None:
    """The stem and label of a date that belongs to a noun phrase, not to the clause's
    verb: "a statement dated May 3" → "When was the statement dated?"; "the Almaty
    Declaration of 1991", "the Second Karabakh War in 2020", "Warhol's death in 1987" →
    "When was the Almaty Declaration?". The date must end its clause; an anniversary
    ("the 30th anniversary of the first launch on April 12") is left alone, its date is
    the anniversary's, not the launch's."""
    before, after = clause[:s], clause[e:]
    owned = _POSSESSED.match(after)
    if owned and not before.strip():
        # "Today's announcement is an affront …": the date dates the announcement
        np = "the " + owned.group("np")
        return f"When was {np}?", _cap(np)
    attributive = _ATTRIBUTIVE.match(after)
    if attributive and re.search(r"(?i)\bthe\s+$", before) and year_only:
        # "the 2007 starting date of the donation program coincided …"
        np = "the " + attributive.group("np")
        return f"When was {np}?", _cap(np)
    if not re.match(r"\s*(?:$|[,.;)]|and\b)", after):
        return None
    if re.search(r"\b(?:annivers|commemorat|celebrat|marking\b)", before[-100:], re.IGNORECASE):
        # the date is the commemoration's (even "the 30th anniversay of …"): "an event
        # commemorating the 30th anniversary of the first launch on April 12, 2011"
        event = _COMMEMORATION.search(before[-160:])
        if event is None:
            return None
        np = _the(event.group("np"))
        return f"When was {np}?", _cap(np)
    m = _DATED.search(before)
    if m:
        np = _the(m.group("np"))
        return f"When was {np} dated?", _cap(np)
    m = _NAMED_OF.search(before) if year_only else None
    if m and not _is_role(m.group("np").split()[0]):
        np = _the(m.group("np"))
        return f"When was {np}?", _cap(np)
    # the noun phrase nearest the date first ("of the Second Karabakh War in 2020", not
    # "following the results of …")
    near = before[-200:]  # bounded: linear in the text
    for opener in reversed(list(_NOUN_IN_OPENERS.finditer(near))):
        m = _NOUN_IN.fullmatch(near, opener.end())
        if m is None or m.group("head").lower() not in EVENT_NOUNS:
            continue
        np = m.group("np")
        if not re.match(r"(?:[Tt]he|[Aa]n?)\s|[A-Z]|[\w.’'-]+['’]s\s", np):
            np = "the " + np
        return f"When was {_lower_first(_the(np))}?", _cap(_the(np))
    return None


def _the(np: str) -> str:
    """ "a trilateral statement" → "the trilateral statement"; "The war" → "the war"."""
    return re.sub(r"^(?:[Aa]n?|The)\s+", "the ", np)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


_OTHER_END = (
    rf"(?:(?:{MONTH_PATTERN})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:{MONTH_PATTERN}))?(?:,?\s+\d{{4}})?"
    rf"|\d{{4}}|(?:{MONTH_PATTERN})(?:\s+\d{{4}})?)"
)
_RANGE_AFTER = re.compile(rf"\s*(?:[-–—]|to|through|until|and|or)\s*{_OTHER_END}(?![\w%])")
_RANGE_BEFORE = re.compile(
    rf"(?:\b(?:from|between|over)\s+)?{_OTHER_END}\s*(?:[-–—]|to|through|until|and|or)\s*$"
)
# "on Sunday night (March 4)": a date in parentheses that restates the time before it
_RESTATED = re.compile(
    rf"\b(?:on\s+|last\s+)?(?:{WEEKDAY_PATTERN}|today|yesterday|tomorrow)"
    r"(?:\s+(?:morning|afternoon|evening|night))?\s*\(\s*$",
    re.IGNORECASE,
)
# "on Waitangi Day - February 6 - this year": a date set off by dashes after a name
_DASHED = re.compile(r"\s+[-–—]\s*$")


_SCORE = re.compile(r"(?<=[A-Za-z]\s)\d{1,2}\s*[–—-]\s*\d{1,2}(?=[\s;,.]|$)")


# "by the end of the day Saturday": a time phrase that only leads to the date
_TIME_LEAD = re.compile(
    r"\b(?:by|at|until|before|after|from)\s+the\s+(?:end|start|beginning|middle|close)\s+"
    r"of\s+the\s+(?:day|week|month|year)\s+$",
    re.IGNORECASE,
)
# ", and by the end of the day Saturday the site was down": a second main clause
_AND_CLAUSE = re.compile(r",\s+(?:and|but)\s+")
_VERB_AFTER = re.compile(
    r"^\s*,?\s*(?:the|a|an|its|his|her|their|[A-Z][\w’'-]*)\s+(?:[\w’'.-]+\s+){0,3}?"
    r"(?:was|were|is|are|has|had|have|will|would|[a-z]+ed)\b"
)
# ", with the first meeting set to take place on May 16": an absolute phrase
_WITH_ABSOLUTE = re.compile(
    r",\s+with\s+(?P<np>(?:the|a|an|its|their|his|her)\s+(?:[\w’'-]+\s+){0,4}?)"
    r"(?P<verb>set|due|expected|scheduled|planned|slated)\s+(?P<rest>[^,;]*)$"
)


_ASIDE = re.compile(
    r"(?<=[A-Za-z]),\s+(?:following|after|before|despite|amid|with|without|during|under|"
    r"according to|in a|in an|in the)\b[^,]{0,100},(?=\s+[a-z]+(?:ed)?\b)"
)


# "… on STS-1, the first space shuttle mission": a noun phrase set off at the end of
# the clause, with no verb, names again what was just named
_TRAILING_APPOSITION = re.compile(
    r"(?<=[\w)]),\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,5}?[\w-]+$"
)


def _without_aside(rest: str) -> str:
    """The clause without a phrase set off by commas right after its subject (within
    its first eight words, no verb before it)."""
    m = _ASIDE.search(rest)
    if m is None:
        return rest
    before = rest[: m.start()].split()
    if len(before) > 8 or any(
        w in _AUX_INVERT or (w.islower() and (w in _IRREGULAR or w.endswith("ed")))
        for w in before
    ):
        return rest
    return rest[: m.start()] + rest[m.end() :]


_LEADING_DATELINE = re.compile(
    rf"^(?:(?:{WEEKDAY_PATTERN}),?\s+)?(?:{MONTH_PATTERN})\s+\d{{1,2}},?\s+\d{{4}},?\s+(?=\S)"
)


# "Whitmore told LA Weekly that …", "the scientists found that …": what was said or
# found, a clause of its own
_SAYING_THAT = re.compile(
    r"\b(?:said|says|told(?:\s+[\w.’'-]+){1,3}?|wrote|reported|stated|observed|noted|"
    r"announced|added|explained|claimed|found|confirmed)\s+that\s+"
)


def _what_was_said(clause: str, s: int, e: int) -> tuple[str, int, int]:
    """A date inside what someone said or found ("Whitmore told LA Weekly that Montalvo
    walked into the station on October 6") dates that clause: the question asks about
    it ("When did Montalvo walk into the station?"), never about the saying. The fact
    stays *check* (the confidence says the date belongs to what was said)."""
    said = _last_match(_SAYING_THAT, clause, s)
    if said is None:
        return clause, s, e
    inner = clause[said.end() :]
    if not any(
        w in _AUX_INVERT or w in _IRREGULAR or re.fullmatch(r"[a-z]{3,}ed", w)
        for w in re.findall(r"[a-z]+", inner)
    ):
        return clause, s, e  # no verb: no clause of its own
    return inner[:1].upper() + inner[1:], s - said.end(), e - said.end()


def _own_clause(clause: str, s: int, e: int) -> tuple[str, int, int]:
    """The clause a date belongs to when the sentence joins two: a date that opens the
    second main clause ("…, and by the end of the day Saturday the site was not loading")
    dates that clause only, and a date in an absolute phrase (", with the first meeting
    set to take place on May 16") dates that phrase: "the first meeting is set to …"."""
    lead = _TIME_LEAD.search(clause[max(0, s - 60) : s])
    if lead:
        s -= len(lead.group(0))
    joins = [m for m in _AND_CLAUSE.finditer(clause, 0, s)]
    if joins:
        j = joins[-1]
        front = clause[j.end() : s]
        if (
            len(front.split()) <= 3
            and not any(w in _AUX_INVERT or w.endswith("ed") for w in front.lower().split())
            and _VERB_AFTER.match(clause[e:])
        ):
            return clause[j.end() :], s - j.end(), e - j.end()
    with_ = _WITH_ABSOLUTE.search(clause[:s])
    if with_ and re.match(r"\s*(?:$|[.;])", clause[e:]):
        np = with_.group("np").rstrip()
        head = np.split(" of ")[0].split()[-1]  # "the first of these meetings": "first"
        aux = "are" if head.endswith("s") and not head.endswith("ss") else "is"
        body = f"{np} {aux} {with_.group('verb')} {with_.group('rest')}"
        return body + clause[s:], len(body), len(body) + (e - s)
    return clause, s, e


def _whole_range(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The span of the whole range or alternative a date is one end of ("from 2004 to
    2009", "November 20 to December 11", "June or July", "2000 - 2050"): both ends go
    out of the question, so that it is not left with "… to 2009 …"."""
    after = _RANGE_AFTER.match(sentence, end)
    if after:
        before = re.search(r"\b(?:from|between|over)\s+$", sentence[max(0, start - 12) : start])
        return (start - len(before.group(0)) if before else start), after.end()
    before = _RANGE_BEFORE.search(sentence[max(0, start - 60) : start])
    if before:
        return start - len(before.group(0)), end
    return start, end


def _restated(sentence: str, start: int, end: int) -> tuple[str, int, int]:
    """A date in parentheses after the time it restates ("on Sunday night (March 4)")
    or set off by dashes after a name ("on Waitangi Day - February 6 - this year") is
    read with the words around it: the question is the sentence's, the parenthesis or
    the dashes go."""
    close = re.match(r"\s*\)", sentence[end:])
    if close:
        m = _RESTATED.search(sentence[max(0, start - 40) : start])
        if m:
            return sentence, start - len(m.group(0)), end + close.end()
    dashed = re.match(r"\s*[-–—]\s+", sentence[end:])
    before = _DASHED.search(sentence[:start])
    if dashed and before and re.search(r"[A-Z][\w’'-]*\s+[-–—]\s*$", sentence[:start]):
        return sentence, before.start(), end + dashed.end() - 1
    return sentence, start, end


def date_stem(sentence: str, start: int, end: int) -> tuple[str, str]:
    """A "When …?" stem and a short event label for a date in a sentence."""
    sentence, start, end = _restated(sentence, start, end)
    start, end = _whole_range(sentence, start, end)
    # a score ("defeated South Korea 1 – 0") is no part of the question, and its dash
    # does not end the clause: blanked out, offsets kept
    sentence = _SCORE.sub(
        lambda m: " " * len(m.group(0)) if m.end() <= start or m.start() >= end else m.group(0),
        sentence,
    )
    clause, s, e = _clause_around(sentence, start, end)
    clause, s, e = _own_clause(clause, s, e)
    clause, s, e = _what_was_said(clause, s, e)
    noun = _noun_date(clause, s, e, re.fullmatch(r"\d{4}", clause[s:e].strip()) is not None)
    if noun is not None:
        return noun
    relative = _relative_clause(clause, s, e)
    if relative is not None:
        clause, s, e, object_relative = relative
        if object_relative:
            rest = _tidy(_remove_span(clause, s, e))
            return f"When: {rest}?", _event(rest)
    else:
        clause, s, e = _side_clause(clause, s, e)
    second = _last_match(_SECOND_PREDICATE, clause, s)
    if second is not None:
        # "… were sentenced in September 2009, but lost their appeal in December": the
        # date dates the second predicate, asked with the clause's subject
        subject = _subject_of(clause[: second.start()])
        if subject:
            verb_at = second.end() - len(second.group("verb"))
            shift = verb_at - (len(subject) + 1)
            clause, s, e = f"{subject} {clause[verb_at:]}", s - shift, e - shift
    joined = _JOINED_CLAUSE.search(clause, e) or _SECOND_PREDICATE.search(clause, e)
    if joined:
        # "… brought the clock to school on September 14, and a teacher thought …":
        # the date belongs to the first clause; the second is no part of the question
        clause = clause[: joined.start()]
    rest = _tidy(_remove_span(clause, s, e))
    # "Thursday, May 7, 2015 On Tuesday, the government announced": a dateline run into
    # the sentence is no part of its question
    rest = _LEADING_DATELINE.sub("", rest)
    if not re.sub(r"(?i)\b(?:on|in|at|by|since|from)\b", "", clause[:s]).strip():
        # the date opened the clause ("Yesterday, day five of the Cup, Sweden …"; "In
        # 1995, at age seventeen, she was told …")
        words = rest.split()
        if words and words[0] in _FRONT_OPENERS:
            words = _without_front([words[0].capitalize(), *words[1:]])
        rest = " ".join(_without_time_apposition(words))
    event = _event(rest)
    # "Pashinyan, following negotiations with Tokayev, announced …": a phrase set off by
    # commas between the subject and its verb is no part of the question
    rest = _without_aside(rest)
    rest = _TRAILING_APPOSITION.sub("", rest.rstrip(" ,;:"))
    words = _without_front(rest.split())
    if not words:
        return "When did this happen?", event
    for i, w in enumerate(words):
        if w.lower() in {"has", "have", "had"} and i > 0 and _possession(words, i):
            # "IE6 has 277 vulnerabilities": "have" is the verb, not an auxiliary
            subject = " ".join(words[:i])
            tail = " ".join(words[i + 1 :])
            lead = f"When did {_lower_first(subject)} have"
            return _shorten(f"{lead} {tail}".rstrip() + "?", len(lead)), event
        if w.lower() in _AUX_INVERT and i > 0:
            subject = " ".join(words[:i])
            tail = " ".join(words[i + 1 :])
            lead = f"When {w.lower()} {_lower_first(subject)}"
            return _shorten(f"{lead} {tail}".rstrip() + "?", len(lead)), event
        # a capitalised word is part of a name ("the Rose Guild"), not a verb
        base = (_IRREGULAR.get(w) or _regular_base(w)) if i > 0 and w.islower() else None
        if base and i > 0:
            subject = " ".join(words[:i])
            tail = " ".join(words[i + 1 :])
            lead = f"When did {_lower_first(subject)} {base}"
            return _shorten(f"{lead} {tail}".rstrip() + "?", len(lead)), event
        present = _present_date_verb(words, i)
        if present:
            # "the orbiter's last flight launches" → "When does … launch?"
            subject = " ".join(words[:i])
            tail = " ".join(words[i + 1 :])
            lead = f"When does {_lower_first(subject)} {present}"
            return _shorten(f"{lead} {tail}".rstrip() + "?", len(lead)), event
    return f"When: {rest}?", event


# ", and a teacher …", ", but the police …": a second main clause with its own subject.
_JOINED_CLAUSE = re.compile(
    r"(?:,\s+(?:and|but)\s+(?:the|a|an|his|her|their|its|this|these|[A-Z][\w’'-]*)"
    r"|\s+(?:and|but)\s+[A-Z][\w’'-]*)\s+"
    r"(?:[\w’'-]+\s+){0,3}(?:[a-z]+ed|was|were|is|are|has|have|had|will|would|says|"
    + "|".join(sorted(_IRREGULAR))
    + r")\b"
)


# ", but lost their appeal in December": a second predicate of the same subject after
# the date's clause, with its own verb and (often) its own date
_SECOND_PREDICATE = re.compile(
    r",\s+(?:and|but)\s+(?:then\s+|later\s+|also\s+)?(?P<verb>[a-z]+ed|"
    + "|".join(sorted(_IRREGULAR))
    + r")\b"
)


def _last_match(rx: re.Pattern[str], text: str, before: int) -> re.Match[str] | None:
    """The last match of ``rx`` that ends before an offset."""
    last = None
    for m in rx.finditer(text, 0, before):
        last = m
    return last


def _subject_of(clause: str) -> str | None:
    """The words before a clause's first verb ("Joshua French and Tjostolv Moland" of
    "Joshua French and Tjostolv Moland were originally sentenced"), when they read as a
    noun phrase of at most six words."""
    words = clause.split()
    for i, w in enumerate(words):
        if i > 0 and w.islower() and (w in _AUX_INVERT or w in _IRREGULAR or w.endswith("ed")):
            subject = " ".join(words[:i])
            return subject if _noun_phrase_head(subject) or " and " in subject else None
    return None


def _regular_base(word: str) -> str | None:
    if word in ("died", "lied", "tied"):
        return word[:-1]  # "die", "lie", "tie"
    if not word.endswith("ed") or len(word) < 5:
        return None
    if word.endswith("ied"):
        return word[:-3] + "y"
    stem = word[:-2]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]
    if stem.endswith(("eat", "oat")):
        return stem  # "defeated", "boated": no "e"
    if re.search(r"[cnvg]it$", stem) or stem.endswith("cu"):
        return stem + "e"  # "cited", "united", "invited"; "rescued"
    if re.search(r"(?:[mnv]o|uo)t$", stem):
        return stem + "e"  # "promoted", "noted", "voted", "quoted"
    if stem.endswith(
        (
            "at",
            "iz",
            "us",
            "ir",
            "ur",
            "v",
            "c",
            "g",
            "bl",
            "pl",
            "dl",
            "tl",
            "as",
            "uc",
            "ag",
            "ov",
        )
    ) or re.search(r"[^aeiou]id$", stem):
        return stem + "e"
    if re.search(r"[^aeiou]in$", stem):
        return stem + "e"  # "fined", "declined", "examined" (not "joined", "rained")
    return stem


# Words that open a sentence and stay in lower case inside a question.
_LOWER_OPENERS = frozenset(
    [
        *lexicon.ARTICLES, *lexicon.DEMONSTRATIVES, *lexicon.THIRD_PERSON_POSSESSIVES,
        "it", "they", "he", "she", "we",
    ]
)  # fmt: skip


def _lower_first(text: str) -> str:
    if (
        text[:1].isupper()
        and not text[1:2].isupper()
        and text.split()[0].lower() in _LOWER_OPENERS
    ):
        return text[0].lower() + text[1:]
    return text


def _event(rest: str) -> str:
    rest = " ".join(_without_front(rest.split()))  # "Finally, Atlantis will …"
    rest = re.sub(r",[^,]{0,80},", "", rest)  # drop a parenthetical clause
    words = _short_subject(rest.split())
    # a clause of up to 14 words with a name after its tenth word is kept whole
    # ("Mohamed and his father are to travel to the United Nations"): cut at ten, the
    # name was dropped and with it where they travel
    inside_name = len(words) > 10 and words[10][:1].isupper()
    whole = len(words) <= 10 or (inside_name and len(words) <= _WHOLE_LABEL_WORDS)
    cut = list(words) if whole else words[:10]
    if not whole:
        # "… travel to the United" / "… in California at": a label cut inside a name or
        # before its object ends where a phrase ends, not on "the", "at" or half a name.
        while len(cut) > 4 and words[len(cut)][:1].isupper() and cut[-1][:1].isupper():
            cut.pop()
        while len(cut) > 4 and cut[-1].lower().strip(",;:") in _LABEL_DANGLING:
            cut.pop()
        cut[-1] = cut[-1].rstrip(",;:")
    label = " ".join(cut)
    return (label[:1].upper() + label[1:]) if label else "Event"


_WHOLE_LABEL_WORDS = 14


def _short_subject(words: list[str]) -> list[str]:
    """ "The first deputy chairman of the State Duma Committee Konstantin Zatulin reported
    …" → "Konstantin Zatulin reported …": a long subject that ends in a person's name
    after a role is cut to the name, so the label names who did what, not a title."""
    verb = next(
        (
            i
            for i, w in enumerate(words)
            if i > 0
            and w.islower()
            and (w in _AUX_INVERT or w in _IRREGULAR or _regular_base(w) is not None)
        ),
        None,
    )
    if verb is None or verb <= 3:
        return words
    subject = [w.rstrip(",") for w in words[:verb]]
    run = 0
    while run < len(subject) and re.fullmatch(r"[A-Z][\w’'.-]*", subject[-1 - run]):
        run += 1
    if run < 2:
        return words
    if run == len(subject):
        # "Armenian Prime Minister Nikol Pashinyan": the words after the last title
        roles = [i for i, w in enumerate(subject) if _is_role(w)]
        if not roles or len(subject) - roles[-1] - 1 < 2:
            return words
        return [*subject[roles[-1] + 1 :], *words[verb:]]
    name = subject[-run:][-2:] if run > 3 else subject[-run:]
    before = subject[: len(subject) - len(name)]
    if not any(_is_role(w) for w in before):
        return words
    return [*name, *words[verb:]]


def _is_role(word: str) -> bool:
    return is_role_word(word.strip(",").lower())


# Words an event label must not end on.
_LABEL_DANGLING = frozenset(
    [*lexicon.ARTICLES, *lexicon.POSSESSIVES, "in", "on", "at", "of", "for", "to", "by", "from",
     "with", "into", "than", "and", "or", "but", "that", "which", "who", "as", "after",
     "before", "during", "about", "over", "under", "its", "this", "these", "those", "is",
     "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "not"]
)  # fmt: skip


# An age given after its clause: "… at the age of 25", "… aged 14", "… at age 17".
_AT_AGE = re.compile(r"(?:,\s*)?\b(?:at\s+(?:the\s+)?age\s+(?:of\s+)?|aged\s+)$", re.IGNORECASE)
_QUALIFIER_TAIL = re.compile(
    r"(?:\b(?:more than|less than|fewer than|at least|at most|up to|about|around|nearly|almost|"
    r"some|over|under|approximately|roughly|only|just|a total of|an estimated|estimated|"
    r"as many as|as much as|close to|the|a|an|another|all|its|their|his|her)\s*)+$",
    re.IGNORECASE,
)
_TIME_UNITS = {"seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades"}


#: The stem of a number whose clause gives no verb to ask with (the stem gate refuses it).
NO_NUMBER_STEM = "What figure does the article give here?"


def number_stem(
    sentence: str, start: int, end: int, counts: str | None, unit: str | None, value: float = 0
) -> tuple[str, str]:
    stem, event = _number_stem(sentence, start, end, counts, unit, value)
    return stem or NO_NUMBER_STEM, event


def _number_stem(
    sentence: str, start: int, end: int, counts: str | None, unit: str | None, value: float = 0
) -> tuple[str | None, str]:
    """A "How many …?"/"How much …?" stem and an event label for a number in a sentence.

    The question is made from the clause: with the number as the subject's count
    ("Four helicopters arrived …" → "How many helicopters arrived …?") or as the
    object of a verb, inverted ("The factory cut 300 workers" → "How many workers
    did the factory cut?"). Where the clause gives no verb to ask with, the stem is
    :data:`NO_NUMBER_STEM` and the fact waits for a teacher.
    """
    clause, s, e = _clause_around(sentence, start, end)
    clause, s, e = _number_clause(clause, s, e)
    label = counts or "the figure"
    event = label[:1].upper() + label[1:]
    after = clause[e:]
    np_len = 0
    if counts:
        m = re.match(r"\s*(?:-[a-z]+\s+)?(?:of\s+(?:the\s+)?)?" + re.escape(counts), after)
        if m:
            np_len = m.end()
    rest_after = _tidy(after[np_len:]) if np_len or not counts else _tidy(after)
    # "…, the company said": the attribution is not part of the question.
    rest_after = re.sub(
        r"^(?:[\w’'-]+\s+){0,5}(?:said|says|added|reported|announced|told\s+\w+)\b.*$",
        "",
        rest_after,
    )
    rest_after = re.sub(
        r",\s*(?:[\w’'-]+\s+){0,5}(?:said|says|added|reported|announced|told\s+\w+)\b.*$",
        "",
        rest_after,
    )
    if re.match(r",\s+the\s+(?:[a-z]+est|most|largest|highest|lowest)\b", after[np_len:]):
        # "… elected with 58,825 votes, the highest in the constituency": an appositive
        # after the figure is no part of the question
        rest_after = ""
    before = _tidy(_QUALIFIER_TAIL.sub("", clause[:s]).rstrip(" $€£("))
    age = _AT_AGE.search(clause[:s])
    if age and not unit and value == int(value) and 0 < value < 130:
        # "The singer died on Monday at the age of 25": "At what age did the singer die?"
        stem = _inverted("At what age", _tidy(clause[: age.start()]).split(), "")
        return stem, event
    if unit == "%":
        if counts and not before:
            pred = _predicate(after)
            if pred:
                return f"What percentage of {counts} {pred}?", event
        if before:
            words = before.split()
            head = "By what percentage" if words[-1].lower() == "by" else "What percentage"
            if words[-1].lower() == "by":
                words = words[:-1]
            stem = _inverted(head, words, rest_after)
            if stem:
                return stem, event
        return f"What percentage is given for {label}?", event
    if counts and counts.startswith("age of "):
        who = counts[7:]
        if who[:1].islower() and who.split()[0] not in lexicon.DETERMINERS:
            who = f"the {who}"  # "a 12-year-old boy": "How old was the boy?", not "… was boy?"
        return f"How old was {who}?", event
    money = bool(unit and unit.isupper() and len(unit) == 3)
    if unit in _TIME_UNITS:
        head = f"How many {unit}"
    elif money:
        head = "How much"
    elif counts and np_len and 0 < value < 1:
        # "a quarter of citizens favoured …": a share, not a count
        head = f"What share of {counts}"
    elif counts and np_len:
        # "One poster admitted …": "How many posters …?"; a singular after any other
        # number ("240,000 square …") is a sign the counted thing is wrong: left as it is.
        head = f"How many {_plural(counts) if value == 1 else counts}"
    else:
        return None, event
    if not before or _enumeration(before) or _front_only(before):
        # The number counts the subject ("In total, 1,960 personnel, 90 carriers … arrived").
        pred = _predicate(after) if counts else ""
        if pred and not money and unit not in _TIME_UNITS:
            return _shorten(f"{head} {pred}?"), event
        return None, event
    worth = re.search(
        r"\b(?:a|an|the)\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+(?:worth|valued at)$", before
    )
    if money and worth:
        return f"How much was the {worth.group(1)} worth?", event
    of = re.match(
        r"of\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s*){1,6}"
        r"(?=$|[,;]|(?:in|on|at|for|to|by|from|with|and|or|who|which|that)\b)",
        rest_after,
    )
    if counts and of is not None and not money:
        # "… elects 70 members of the Legislative Council": "How many members of the
        # Legislative Council does the election elect?"
        head = f"{head} {of.group(0).strip()}"
        rest_after = rest_after[of.end() :].strip()
    return _inverted(head, before.split(), rest_after), event


# Where the clause that holds a number starts, past what comes before it in the sentence:
# a picture's caption run into the paragraph ("… in any constituency In the New
# Territories, Eddie Chu was elected with …"), a clause of its own joined by "but",
# "while" … ("No injuries were reported, but South Korea evacuated about 80 people").
_CLAUSE_START = re.compile(
    r"(?<=[a-z0-9])\s+(?=(?:In|On|At|For|During|After|Before|Meanwhile)\s)"
    r"|,\s+(?:but|while|whereas|although|though|yet)\s+(?!\d)"
    r"|\s(?:after|when|because|before|until|once)\s+"
    r"(?!(?:it|he|she|they|we|i|you|this|that|there)\s)"
    r"(?=(?:at\s+least\s+|about\s+|some\s+|"
    r"nearly\s+|almost\s+|over\s+|more\s+than\s+)?\S+\s+[a-z])"
)
# A fronted time or place in lower case at a clause's start ("(in 2023, Armenia's …").
_LOWER_FRONT = re.compile(r"(?:in|on|at|during|by|since)\s+[^,]{1,40},\s+(?=\S+\s+\S)")


def _number_clause(clause: str, s: int, e: int) -> tuple[str, int, int]:
    """The clause of a number's question: from the last clause start before the number."""
    cut = 0
    for m in _CLAUSE_START.finditer(clause, 0, s):
        if m.end() <= s:
            cut = m.end()
    front = _LOWER_FRONT.match(clause, cut)
    if front is not None and front.end() <= s:
        cut = front.end()
    if cut == 0:
        return clause, s, e
    return clause[cut:], s - cut, e - cut


_NUMBER_START = re.compile(
    r"^(?:[$€£]?\d[\d,.]*|"
    + "|".join(w for w, n in lexicon.ONES.items() if 1 <= n <= 12)
    + "|"
    + "|".join(w for w, n in lexicon.TENS.items() if n <= 50)
    + rf"|{lexicon.HUNDRED}|a|an)\b",
    re.IGNORECASE,
)


def _plural(counts: str) -> str:
    """ "One poster admitted …": "How many posters …?", not "How many poster …?"."""
    if not re.fullmatch(r"[a-z]{3,}", counts) or counts.endswith(("s", "ff", "ple", "nnel")):
        return counts  # "people", "staff", "personnel", already plural, or not one noun
    if re.search(r"[^aeiou]y$", counts):
        return counts[:-1] + "ies"
    if counts.endswith(("x", "z", "ch", "sh")):
        return counts + "es"
    return counts + "s"


_FRONT_ONLY = re.compile(
    r"(?:(?:last|this|next|that)\s+(?:week|month|year|season|spring|summer|autumn|winter|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)|today|yesterday|in\s+\d{4}|"
    r"according\s+to\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s*){1,6}|"
    # "Estimates suggest 8000 migrants may be at sea": a source's word before the clause
    r"(?:(?:the|new|recent|official|early|latest)\s+)?(?:estimates|figures|reports|surveys|"
    r"studies|data|polls|records)\s+(?:suggest|show|indicate|say)(?:\s+that)?)\s*,?",
    re.IGNORECASE,
)


def _front_only(before: str) -> bool:
    """ "Last week, at least 76 people were killed …", "According to the Interior
    Ministry over 345 pilgrims have died …": the words before the number are only a
    fronted time or source, so the number counts the subject."""
    m = _FRONT_ONLY.fullmatch(before)
    if m is None:
        return False
    if before.lower().startswith("according"):
        # the source's name must be capitalised words only ("… Ministry"), not a clause
        return all(w[:1].isupper() for w in before.rstrip(",").split()[2:] if w != "the")
    return True


def _enumeration(before: str) -> bool:
    """ "1,960 military personnel, 90 armored carriers and": earlier items of a list."""
    parts = [p.strip() for p in re.split(r",|\band\b", before) if p.strip()]
    return bool(parts) and all(_NUMBER_START.match(p) for p in parts)


_CUT_BEFORE = re.compile(
    r",(?!\d)|\s(?:which|who|whom|whose|after|because|although|though|while|whereas|so that|so as|"
    r"as well as|despite|in order to|where|when|if|unless|until|since)\s"
)
_MAX_STEM_WORDS = 24


def _shorten(stem: str, verb_end: int = 0) -> str:
    """A long question cut before its first subordinate clause after the verb phrase
    (never inside the subject, which ends at ``verb_end`` when the caller knows it:
    "How many votes did <subject, commonly known as …, of the party> receive?")."""
    words = stem.split()
    if len(words) <= _MAX_STEM_WORDS:
        return stem
    body = stem.rstrip("?")
    floor = max(len(" ".join(words[:7])), verb_end)
    for m in _CUT_BEFORE.finditer(body):
        if m.start() >= floor:
            cut = body[: m.start()].rstrip(" ,;:")
            if len(cut.split()) <= _MAX_STEM_WORDS:
                return cut + "?"
            break
    return stem


# Words that open a fronted adverbial ("On Friday, fishermen rescued …", "For example,
# the museum saw …"): the subject comes after its comma.
_FRONT_OPENERS = frozenset(
    ["in", "on", "at", "after", "before", "by", "as", "since", "for", "during",
     "despite", "following", "under", "with", "without", "according", "last",
     "yesterday", "today", "earlier", "later", "meanwhile", "however", "also", "now", "then",
     "instead", "still", "overall", "finally", "first", "so", "thus", "indeed", "besides"]
)  # fmt: skip


def _without_front(words: list[str]) -> list[str]:
    """The words of a clause without a fronted adverbial that ends in a comma, and
    without a phrase set off after it that describes the time ("Yesterday, day five of
    the Cup, Sweden defeated …" → "Sweden defeated …")."""
    first = words[0].lower().rstrip(",") if words else ""
    if len(words) < 3 or first not in _FRONT_OPENERS or not words[0][:1].isupper():
        return words
    for i, w in enumerate(words[:12]):
        if w.endswith(","):
            rest = words[i + 1 :]
            if len(rest) < 2:
                return words
            return _without_time_apposition(rest)
    return words


def _without_time_apposition(words: list[str]) -> list[str]:
    """ "day five of the 2018 Cup, Sweden defeated …" → "Sweden defeated …": a phrase
    that opens in lower case with a noun (not "the", not a pronoun), has no verb and
    ends in a comma, followed by a capitalised subject."""
    if not words:
        return words
    head = words[0]
    if not head.islower() or head in lexicon.DETERMINERS or head in _LOWER_OPENERS:
        return words
    for i, w in enumerate(words[:14]):
        low = w.lower().rstrip(",")
        if low in _AUX_INVERT or (w.islower() and (low in _IRREGULAR or low.endswith("ed"))):
            return words  # a verb: the phrase is the clause itself
        if w.endswith(","):
            rest = words[i + 1 :]
            if len(rest) >= 2 and rest[0][:1].isupper():
                return rest
            return words
    return words


# Common nouns that open a sentence and stay common inside a question ("Police said …":
# "How many people did police say …?").
_COMMON_OPENERS = frozenset(
    ["police", "officials", "researchers", "scientists", "experts", "analysts", "critics",
     "residents", "authorities", "workers", "voters", "doctors", "investigators", "rescuers",
     "witnesses", "sources", "reports", "figures", "results", "data", "unemployment",
     "inflation", "sales", "revenue", "revenues", "profits", "profit", "prices", "exports",
     "imports", "shares", "turnout", "attendance", "production", "spending", "debt",
     "organisers", "organizers", "prosecutors", "firefighters", "officers", "troops"]
)  # fmt: skip


def _lower_common(subject: str) -> str:
    first, _, rest = subject.partition(" ")
    if first[:1].isupper() and first.lower() in _COMMON_OPENERS:
        return f"{first.lower()} {rest}".strip()
    return subject


def _inverted(head: str, words: list[str], tail: str) -> str | None:
    """ "The city will spend" + "on roads" → "How much will the city spend on roads?"."""
    words = _without_front(words)
    for i, w in enumerate(words):
        low = w.lower()
        if i == 0:
            continue
        if w[:1].isupper() and low not in _AUX_INVERT:
            continue
        subject = _lower_common(_lower_first(" ".join(words[:i])))
        between = " ".join(words[i + 1 :])
        if low in _AUX_INVERT:
            if low in {"has", "have", "had"} and not between:
                aux = "did" if low == "had" else ("does" if low == "has" else "do")
                body = f"{aux} {subject} have"
            else:
                body = f"{low} {subject} {between}"
        else:
            base = _IRREGULAR.get(low) or _regular_base(low)
            aux = "did"
            if not base:
                base = _present_base(words, i)
                aux = "does"
            if not base:
                continue
            body = f"{aux} {subject} {base} {between}"
        stem = " ".join(f"{head} {body} {tail}".split()) + "?"
        # the number stood at the end of ``body``: a cut before it would drop what
        # the question asks about
        return _shorten(stem, len(" ".join(f"{head} {body}".split())))
    return None


_PREDICATE_OPENERS = frozenset(
    ["were", "was", "are", "is", "have", "has", "had", "will", "would", "may", "might",
     "could", "can", "should", "must"]
)  # fmt: skip


# Words after which a lower-case "-s" word is a verb ("intends to", "plans the").
_VERB_FOLLOWERS = frozenset(["to", "the", "a", "an", "that", "its", "their", "his", "her"])


def _present_base(words: list[str], i: int) -> str | None:
    """ "The government intends to hold" → "intend": a present-tense verb after a
    subject of one noun phrase (its last word a singular noun or a name), followed by
    "to", a determiner or "that"."""
    w = words[i]
    if not re.fullmatch(r"[a-z]{3,}s", w) or w.endswith(("ss", "us", "is")):
        return None
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    prev = words[i - 1]
    # "The election elects [70 members]": the number stood right after the verb
    if (nxt not in _VERB_FOLLOWERS and nxt) or not re.fullmatch(r"[A-Za-z][\w-]*", prev):
        return None
    if prev.islower() and (prev.endswith("s") or prev in lexicon.DETERMINERS):
        return None  # "the workers plans", "the plans": a plural noun, not a verb
    if any(x.islower() and x not in lexicon.DETERMINERS and x != "of" for x in words[: i - 1]):
        return None  # more than a simple noun phrase before it
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses")):
        return w[:-2]
    return w[:-1]


def _possession(words: list[str], i: int) -> bool:
    """ "has 277 vulnerabilities", "had a record year": "have" followed by an object (a
    number, a determiner), not by a participle ("has closed", "had been")."""
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    return bool(re.fullmatch(r"\d[\d,.]*|a|an|the|no|some|many|more|its|their|his|her", nxt))


def _present_date_verb(words: list[str], i: int) -> str | None:
    """The base of a present-tense verb after a short noun-phrase subject, at the end of
    the clause or before its object ("the last flight launches", "the fair opens its
    doors"): "launch", "open"."""
    w = words[i]
    if i == 0 or not re.fullmatch(r"[a-z]{3,}s", w) or w.endswith(("ss", "us", "is", "ous")):
        return None
    subject = words[:i]
    if not _noun_phrase_head(" ".join(subject)) or subject[-1].lower() in lexicon.DETERMINERS:
        return None
    if subject[-1].islower() and subject[-1].endswith("s") and not subject[-1].endswith("’s"):
        return None  # "the workers plans": a plural noun before it, not a subject
    nxt = words[i + 1].lower() if i + 1 < len(words) else ""
    if nxt and nxt not in _VERB_FOLLOWERS:
        return None
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses")):
        return w[:-2]
    return w[:-1]


# "…, the poll found", "…, officials said": an attribution after the clause.
_TRAILING_ATTRIBUTION = re.compile(
    r",\s*(?:[\w’'-]+\s+){0,4}(?:said|says|found|finds|added|reported|announced|showed|"
    r"shows|estimated|estimates)$"
)


def _predicate(after: str) -> str:
    """The verb phrase after a number's noun phrase (past any enumeration), without an
    attribution after it ("… favoured the change, the poll found")."""
    return _TRAILING_ATTRIBUTION.sub("", _verb_phrase(after))


def _verb_phrase(after: str) -> str:
    toks = re.findall(r"[\w’'-]+|[^\w\s]", after)
    prev = ""
    for i, tok in enumerate(toks):
        low = tok.lower()
        if low in {".", ";"}:
            break
        is_verb = low in _PREDICATE_OPENERS or low in _IRREGULAR or (
            low.endswith("ed") and len(low) > 4
        )
        if is_verb and prev and not prev[0].isdigit() and prev not in {",", "and"}:
            rest = " ".join(toks[i:])
            # "… attended the event and this year the city expects …": one clause only
            rest = re.split(r"\s+and\s+(?=(?:this|that|last|next|the|a|an|[A-Z])\b)", rest)[0]
            rest = re.sub(r"\s+([,.;:!?’'])", r"\1", rest)
            return _tidy(rest)
        prev = tok
    return ""
