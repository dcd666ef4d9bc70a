"""Quotes and reported statements, attributed to their speakers.

Direct quotes: every double-quoted passage of three words or more. The speaker
is found, in this order, after the quote (`"…," X said` / `"…" said X`), before
it in the same sentence (`X said: "…"`, `X told the press, "…"`), in the
sentence that ends with a colon just before it (`… Grigory Karasin:` and the quote
in the next paragraph), from a speech verb elsewhere in the sentence, and last
as the continuation of the previous speaker's words.

Quotes are also signed after the closing mark (`"…" - Matthew Ingram`,
`"…", according to the Herald`), introduced by `in the words of X` or by a clause
ending in a colon (`Sunak defended the record …: "…"`); a paragraph without
quotation marks is a quote when it is a pull quote signed with a name the article
gives elsewhere, or when the previous paragraph announces it (`… the Church denied
these allegations:`). A quotation that runs on into the next paragraph goes on there,
with or without a new opening mark. Titles and names in quotation marks (Title Case,
not a sentence) are not quotes.

Reported statements: `X said (that) …`, `X told Y (that) …`, `according to X, …`,
`…, according to X.`, `…, X says.`, `X accuses Y of …`, `X's position is that …`,
`X announced his readiness …`, `…, said X, …`; the span is the reported clause,
which ends at a second speech verb of the same subject (`claimed … and claim …`).
Verbs that often take a plain object (`announced the locations`) need a clause
after them: `that`, a pronoun subject, or a noun phrase and a finite verb.

Speakers are the subjects of speech verbs or explicitly attributed names: people
(with roles from appositives), organisations, and descriptions of unnamed people or
texts (`one poster`, `a leaked internal letter`); a lone capitalised word that only
ever opens sentences ("Estimates"), a place or time word, or a noun phrase inside a
prepositional phrase is not one. Pronouns resolve to a compatible person named
earlier in the same sentence, or (at the start of a sentence) in the previous one,
then to the last compatible speaker; titles ("the deputy") to the person with that
role; surnames, first names and one-letter misspellings to the full name met
elsewhere in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import pairwise

from quizapp import lexicon
from quizapp.extract.people import (
    CLAUSE_OPENERS,
    CONNECTORS,
    DOCUMENT_NOUNS,
    GROUP_HEADS,
    PERSON_NOUNS,
    PRONOUNS_F,
    PRONOUNS_M,
    PRONOUNS_N,
    PRONOUNS_P,
    NounPhrase,
    Person,
    Registry,
    fold,
    is_role_word,
    split_name,
)
from quizapp.extract.tokens import QuoteSpan, Token, find_quotations, tokenize, word_set, words

SPEECH_VERBS = word_set(
    """
    say says said saying tell tells told state states stated add adds added report
    reports reported announce announces announced explain explains explained note notes
    noted claim claims claimed argue argues argued warn warns warned insist insists
    insisted confirm confirms confirmed deny denies denied suggest suggests suggested
    assert asserts asserted observe observes observed comment comments commented clarify
    clarifies clarified write writes wrote tweet tweets tweeted declare declares
    declared admit admits admitted acknowledge acknowledges acknowledged predict
    predicts predicted recommend recommends recommended maintain maintains maintained
    contend contends contended conclude concludes concluded reply replies replied
    respond responds responded reiterate reiterates reiterated stress stresses stressed
    emphasise emphasised emphasize emphasized describe describes described believe
    believes believed continue continues continued remark remarks remarked reveal
    reveals revealed estimate estimates estimated urge urges urged reasoned
    stating adding noting writing claiming warning arguing telling reporting explaining
    insisting asserting replying characterize characterizes characterized characterise
    characterises characterised theorize theorizes theorized theorise theorises
    theorised reads
    """
)
# Verbs that introduce a quotation but do not report a clause on their own.
_QUOTE_ONLY = frozenset(
    {
        "describe",
        "describes",
        "described",
        "continue",
        "continues",
        "continued",
        "urge",
        "urges",
        "urged",
        "characterize",
        "characterizes",
        "characterized",
        "characterise",
        "characterises",
        "characterised",
        "reads",
    }
)
# Verbs that report only a that- or wh-clause ("announced that …", not "announced the start").
_NEEDS_THAT = word_set(
    """
    announce announces announced confirm confirms confirmed deny denies denied reveal
    reveals revealed estimate estimates estimated predict predicts predicted recommend
    recommends recommended acknowledge acknowledges acknowledged admit admits admitted
    note notes noted observe observes observed comment comments commented report reports
    reported declare declares declared maintain maintains maintained theorize theorizes
    theorized theorise theorises theorised noting reporting respond responds responded
    reply replies replied claim claims claimed suggest
    suggests suggested add adds added explain explains explained write writes wrote tweet
    tweets tweeted argue argues argued warn warns warned
    """
)
# Words that show a clause follows a verb without "that" ("noted the findings show …").
_FINITE = word_set(
    """
    is are was were has have had will would could can may might should must did does do
    show shows showed remain remains
    """
)
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "there", "you"})
# Nouns for what a person or body puts out ("PC World's analysis concluded").
_STATEMENT_NOUNS = DOCUMENT_NOUNS | word_set("spokesperson account comments research findings")
# A sentence that opens with one of these words opens with an adverbial, not its subject.
_INTRO = word_set(
    """
    during after before in on at following despite with for speaking writing when while
    as since from by under amid
    """
)
_DISCOURSE = word_set(
    """
    however meanwhile indeed moreover furthermore also still yet instead then now thus
    therefore similarly likewise
    """
)
_DETERMINERS = lexicon.NOUN_PHRASE_OPENERS
_ROLE_DETERMINERS = frozenset([*lexicon.ARTICLES, *lexicon.THIRD_PERSON_POSSESSIVES])
# ", a spokesman for …", ", his deputy", ", of the ministry": an appositive after a name.
_APPOSITIVE_OPENERS = _ROLE_DETERMINERS | {"of"}
_CLAUSE_WORDS = frozenset({"that", "what", "how", "why", "whether", "if", "when", "where"})
_SIGNAL_VERBS = frozenset(
    {
        "announced",
        "announces",
        "signaled",
        "signalled",
        "signals",
        "expressed",
        "expresses",
        "reaffirmed",
        "confirmed",
    }
)
_POSSESSIVES = frozenset({"his", "her", "their", "its", "our"})
_AUX = word_set(
    """
    has have had also later then further previously already again personally reportedly
    will would recently earlier subsequently publicly repeatedly once first finally now
    has, just
    """
)
_PARENTHETICAL = word_set(
    """
    following in after during with speaking citing despite when while before at on as
    quoting writing addressing responding referring
    """
)
_OBJECT_WORDS = word_set(
    """
    the press reporters journalists him her them us me media audience crowd parliament
    lawmakers
    """
)
_QUOTE_CHARS = frozenset('“”"')
_NOT_CLAUSE_START = word_set(
    """
    on in about at for with to from by of into onto upon over under after before during
    via as against toward towards
    """
)
_STOP_FORWARD = frozenset({".", ",", ";", ":", "!", "?", "“", "”", '"', "(", "—", "–"})
# Words that open a time adverbial before "that" ("announced on Friday that …").
_TIME_WORDS = word_set("on in at during last this earlier yesterday today late early") | {
    name.lower() for name in lexicon.WEEKDAY_NAMES
}
# Two-word openers of a sentence that are not part of its clause ("For example, …").
_INTRO_PAIRS = frozenset(
    {
        ("for", "example"),
        ("for", "instance"),
        ("in", "fact"),
        ("in", "addition"),
        ("at", "least"),
        ("of", "course"),
        ("in", "particular"),
        ("by", "contrast"),
    }
)
# Small words a title in Title Case leaves in lower case.
_TITLE_SMALL = word_set("a an the of in on at to for from by with and or but vs vs. de")
# Day and month names: "Obama on Tuesday said" has a time between subject and verb.
_TIME_NAMES = word_set("today yesterday") | {
    name.lower() for name in (*lexicon.WEEKDAY_NAMES, *lexicon.MONTH_NAMES)
}
# Words before a speech word that make it a noun ("the state", "his claims").
_NOUN_MARKERS = word_set("the a an this its his her their our my your whose every each")
# A noun phrase right after one of these is not a subject.
_PREPOSITIONS = word_set(
    """
    on of in at from with about into over under among between to for against toward
    towards without within per via through
    """
)
# Verbs a description of an unnamed speaker does not run across.
_MODALS = word_set("might may can could would should will must shall be been being")
# "declined to say", "wanted to say": a speech verb after these reports nothing.
_REFUSALS = word_set(
    """
    declined declines decline refused refuses refuse failed fails unable not reluctant
    tempted wanted wants want
    """
)


@dataclass(slots=True)
class Statement:
    """A quote or reported statement found in the text."""

    start: int
    end: int
    reported: bool
    speaker: Person | None
    role: str | None = None
    #: How the speaker was found: "explicit" (an attribution in the quote's own
    #: sentence), "carried" (the speaker of an earlier statement) or "none".
    link: str = "explicit"


# Lower-case words that are no noun before a role ("said the new chief", "and chief").
_NOT_MODIFIERS = frozenset(
    ["and", "or", "but", "that", "who", "which", "to", "new", "former", "then", "also", "as",
     "with", "by", "from", "through", "after", "before", "said", "says", "when", "while",
     "not", "now", "its", "their", "his", "her", "our", "interim", "acting"]
)  # fmt: skip


def _np_allowed(tok: Token, prev_is_name: bool = False) -> bool:
    low = tok.lower
    if tok.text in _QUOTE_CHARS:
        return False
    if tok.is_cap or tok.text in {"(", ")", "-", "–", "&"}:
        return True
    if low in CONNECTORS or low.endswith("'s") or low in GROUP_HEADS:
        return True
    if low in PERSON_NOUNS or low in DOCUMENT_NOUNS:
        return True
    return is_role_word(tok.text) or low.startswith(("al-", "el-", "bin-"))


def _is_verb(tok: Token) -> bool:
    # Lower case only: "Colorado State University", "the United States" hold no verb.
    return tok.text[:1].islower() and tok.lower in SPEECH_VERBS


class _Sentence:
    """The tokens of one sentence, with quoted tokens marked."""

    def __init__(self, text: str, start: int, end: int, quotes: list[QuoteSpan]) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.toks = tokenize(text, start, end)
        self.quoted = [
            any(q.open < t.start < q.close or t.start == q.start for q in quotes) for t in self.toks
        ]

    def index_at(self, offset: int) -> int:
        """The index of the first token at or after ``offset``."""
        for i, t in enumerate(self.toks):
            if t.start >= offset:
                return i
        return len(self.toks)


class SpeechFinder:
    """Finds statements in a text, keeping the registry of people up to date."""

    def __init__(self, text: str, registry: Registry, sentences: list[tuple[int, int]]) -> None:
        self.text = text
        self.reg = registry
        self.quotes = find_quotations(text)
        self.sentences = sentences
        self._sent_cache: dict[int, _Sentence] = {}
        self.last_statement_end = -1
        self.last_speaker: Person | None = None
        # Sentences and quotations in text order are searched by bisection, so
        # that finding the sentence of every statement takes linear time.
        self._starts = [s for s, _ in sentences]
        self._ends = [e for _, e in sentences]
        self._in_order = all(s <= e for s, e in sentences) and all(
            a[1] <= b[0] for a, b in pairwise(sentences)
        )
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self._counts: dict[str, int] = {}
        self._opens = [q.open for q in self.quotes]
        self._closes = [q.close for q in self.quotes]
        self._quotes_in_order = self._opens == sorted(self._opens) and self._closes == sorted(
            self._closes
        )

    # ---- helpers --------------------------------------------------------

    def sentence_of(self, offset: int) -> _Sentence:
        """The sentence that contains ``offset``."""
        last = len(self.sentences) - 1
        if self._in_order:
            i = bisect_right(self._starts, offset) - 1
            candidates = [i] if i >= 0 else []
        else:
            candidates = list(range(len(self.sentences)))
        for i in candidates:
            s, e = self.sentences[i]
            if s <= offset < e or (offset == e and i == last):
                if i not in self._sent_cache:
                    self._sent_cache[i] = _Sentence(self.text, s, e, self._quotes_near(s, e))
                return self._sent_cache[i]
        s = self.text.rfind("\n", 0, offset) + 1
        e = self.text.find("\n", offset)
        e = len(self.text) if e < 0 else e
        return _Sentence(self.text, s, e, self._quotes_near(s, e))

    def _occurrences(self, phrase: str) -> int:
        """How often ``phrase`` occurs in the text (counted once per phrase)."""
        if phrase not in self._counts:
            self._counts[phrase] = self.text.count(phrase)
        return self._counts[phrase]

    def _quotes_near(self, start: int, end: int) -> list[QuoteSpan]:
        """The quotations that may mark tokens in ``[start, end)`` (all when out of order)."""
        if not self._quotes_in_order:
            return self.quotes
        lo = bisect_left(self._closes, start)
        hi = bisect_right(self._opens, end)
        return self.quotes[lo:hi]

    def _phrase(self, toks: list[Token]) -> NounPhrase | None:
        return split_name(self.text, toks)

    def _person_of(self, np: NounPhrase | None, toks: list[Token]) -> Person | None:
        """Resolve a speaker phrase: pronoun, title or name."""
        while len(toks) > 1 and toks[0].lower in CLAUSE_OPENERS:
            toks = toks[1:]  # "When I tell …", "As Heald told …"
        if not toks:
            return None
        words_ = [t.lower for t in toks if t.text not in {",", "(", ")"}]
        if len(words_) == 1 and (words_[0] in PRONOUNS_M | PRONOUNS_F | PRONOUNS_N | PRONOUNS_P):
            return self.reg.resolve_pronoun(words_[0])
        if words_ and words_[0].split("'")[0] in {"i", "we", "you", "who", "which", "that", "this"}:
            return None  # also "I'd", "we've"
        if np is None:
            return None
        if not np.is_person and words_ and words_[0] == "the" and len(words_) <= 3:
            # "the deputy", "the minister": a title of someone met before.
            found = self.reg.resolve_title(words_[1:])
            if found is not None:
                return found
        if not np.is_person:
            if len(words_) == 1 and toks[0].is_cap:
                # "Paris said": a surname that is also a place, of a person met before.
                known = self.reg.known_full_name(np.name)
                if known is not None and not known.is_org:
                    return known
            head = words_[-1]
            if head in PERSON_NOUNS | DOCUMENT_NOUNS:
                if words_[0] in {"the", "this"}:
                    # "The poster wrote", "The Home Office letter reads": the one met before.
                    for p in reversed(self.reg.people):
                        if fold(p.name).split()[-1:] == [head]:
                            return p
                named = [t for t in toks if t.is_cap and self._may_name(t)]
                if (
                    head in DOCUMENT_NOUNS
                    and not named
                    and words_[0] not in _DETERMINERS - {"some"}
                ):
                    return None  # "Recent reports have revealed …": no one in particular
            heads = {t.lower for t in toks}
            speaker_heads = GROUP_HEADS | PERSON_NOUNS | DOCUMENT_NOUNS
            if not (any(t.is_cap for t in toks if t.lower not in {"the"}) or heads & speaker_heads):
                return None
            if words_[-1] in PERSON_NOUNS and not any(
                t.is_cap for t in toks if t.lower not in _DETERMINERS
            ):
                # "one poster", "an unknown author": a person without a name ("some
                # residents": a group).
                name = self.text[toks[0].start : toks[-1].end]
                group = words_[-1].endswith("s") and words_[-1] != "witness"
                desc = NounPhrase(name, None, not group, toks[0].start, toks[-1].end, plural=group)
                return self.reg.add(desc)
            if (
                len(words_) == 1
                and words_[0] not in GROUP_HEADS
                and not is_role_word(words_[0])
                and not self._may_name(toks[0])
            ):
                return None
        if np.is_person and len(np.name.split()) == 1:
            known = self.reg.known_full_name(np.name)
            if known is not None and not known.is_org:
                known.add_role(np.role)
                return known
            name_tok = next((t for t in toks if t.start == np.start), None)
            if np.role is None and name_tok is not None and not self._may_name(name_tok):
                return None
        return self.reg.add(np)

    def _may_name(self, tok: Token) -> bool:
        """Whether one capitalised word can name a speaker ("Microsoft", not "Estimates").

        A word that only ever stands first in a sentence is a common noun there; an
        acronym, a known organisation or a word also capitalised mid-sentence is a name.
        """
        word = tok.text
        if (
            word.isupper()
            or "." in word
            or any(fold(p.name) == fold(word) for p in self.reg.people)
        ):
            return True
        for m in re.finditer(rf"\b{re.escape(word)}\b", self.text):
            before = self.text[: m.start()].rstrip(" \t")
            if before and before[-1] not in '.!?"“”:\n':
                return True
        return False

    def subject_before(self, sent: _Sentence, vi: int) -> tuple[Person | None, str | None]:
        """The speaker phrase that ends just before the verb at token ``vi``."""
        toks = sent.toks
        j = vi - 1
        while j >= 0 and toks[j].lower in _AUX:
            j -= 1
        if j < 0:
            return None, None
        if toks[j].lower == "to":
            # "He went on to say that …": the subject of the clause; "declined to say"
            # and "refused to comment" report nothing.
            if j > 0 and toks[j - 1].lower in _REFUSALS:
                return None, None
            return self.clause_subject(sent, j)
        owner = self._possessor(sent, vi)
        if owner is not None:
            return owner, None
        appositive_role: str | None = None
        if toks[j].lower == "and" or (toks[j].text == "," and j > 0 and toks[j - 1].lower == "and"):
            # "X claimed … and claim …": the subject of the earlier speech verb.
            for v in range(j - 1, -1, -1):
                if sent.quoted[v] or toks[v].text in {";", ":"}:
                    break
                if _is_verb(toks[v]):
                    return self.subject_before(sent, v)
            return self.clause_subject(sent, j)
        if toks[j].text == "," and toks[vi].lower.endswith("ing"):
            # "…, writing in a blog post": the subject of the sentence.
            return self.clause_subject(sent, j)
        if toks[j].text == ",":
            found = self._appositive_subject(sent, j)
            if found is not None:
                return found
            k = j - 1
            while k >= 0 and toks[k].text not in {",", ":", ";", "“", "”", '"', "("} and j - k < 25:
                k -= 1
            if k < 0 or toks[k].text != ",":
                return None, None
            app = toks[k + 1 : j]
            if not app:
                return None, None
            first = app[0].lower
            if first in _PARENTHETICAL and first not in {"of"}:
                pass
            elif first in _APPOSITIVE_OPENERS or is_role_word(
                app[0].text
            ):
                if first != "of":
                    np = split_name(self.text, app)
                    appositive_role = (
                        _strip_article(self.text, app)
                        if np and any(is_role_word(t.text) for t in app)
                        else None
                    )
            else:
                return self._named_after_role(sent, k, app)
            j = k - 1
        if j >= 1 and toks[j].lower in _TIME_NAMES and toks[j - 1].lower in {"on", "from", "this"}:
            j -= 2  # "Obama on Tuesday said", "Posts … from Friday theorized"
        end = j
        if end < 0:
            return None, None
        if toks[vi].lower.endswith("ing") and toks[end].lower in DOCUMENT_NOUNS:
            return None, None  # "a message stating …" describes the message
        inside = vi < len(toks) and sent.quoted[vi]
        j = self._np_start(sent, end, inside) - 1
        if j >= 1 and toks[j].lower == "by" and _participle(toks[j - 1]):
            # "A leaked letter seen by Sky News says": the letter says.
            end = j - 2
            j = self._np_start(sent, end, inside) - 1
        if (
            j >= 0
            and toks[j].lower in _PREPOSITIONS
            and not (toks[j].lower == "with" and toks[vi].lower.endswith("ing"))
        ):
            return None, None  # "investigation on the original letters suggests": not them
        np_toks = toks[j + 1 : end + 1]
        while len(np_toks) > 1 and np_toks[0].lower in CONNECTORS and not np_toks[0].is_cap:
            np_toks = np_toks[1:]  # "the mouth of Nikol Pashinyan, who said …"
        if np_toks and np_toks[0].is_cap and np_toks[0].lower in _PREPOSITIONS | {"among"}:
            return None, None  # "Among Thais …": a prepositional phrase, not a subject
        if len(np_toks) == 1 and np_toks[0].lower in (
            PRONOUNS_M | PRONOUNS_F | PRONOUNS_N | PRONOUNS_P
        ):
            return self._pronoun(sent, j + 1), None
        if (
            j >= 0
            and toks[j].lower in PRONOUNS_M | PRONOUNS_F | PRONOUNS_P | PRONOUNS_N
            and (not np_toks)
        ):
            return self._pronoun(sent, j), None
        if not np_toks:
            return None, None
        np = self._phrase(np_toks)
        person = self._person_of(np, np_toks)
        if person is not None and appositive_role:
            person.add_role(appositive_role)
        role = appositive_role or (np.role if np else None)
        return person, role

    def _named_after_role(
        self, sent: _Sentence, comma: int, name_toks: list[Token]
    ) -> tuple[Person | None, str | None]:
        """ "the head of the union, Anna Lund, said": a full name set off by commas after
        a role phrase is the speaker, and the phrase is their role. ``comma`` is the
        token index of the comma between the two."""
        np = split_name(self.text, name_toks) if name_toks else None
        if np is None or not np.is_person or np.role or len(np.name.split()) < 2:
            return None, None
        if not all(t.is_cap for t in name_toks):
            return None, None
        toks = sent.toks
        b = comma - 1
        while (
            b >= 0
            and comma - b <= 8
            and toks[b].is_word
            and not sent.quoted[b]
            and not _is_verb(toks[b])
            and toks[b].lower not in _FINITE | _AUX | _MODALS | {"and", "or", "that", "who"}
        ):
            b -= 1
        role_toks = toks[b + 1 : comma]
        while role_toks and role_toks[0].lower in CLAUSE_OPENERS | {"as"}:
            role_toks = role_toks[1:]
        if (
            not role_toks
            or role_toks[0].lower not in lexicon.DETERMINERS
            or not is_role_word(role_toks[1].text if len(role_toks) > 1 else "")
        ):
            return None, None  # "the head of …", "its chief executive, …": a role first
        role = _strip_article(self.text, role_toks)
        person = self._person_of(np, name_toks)
        if person is None:
            return None, None
        person.add_role(role)
        return person, role

    def _pronoun(self, sent: _Sentence, i: int) -> Person | None:
        """The person a pronoun subject stands for: one named earlier in the same sentence
        ("Thomas' sister pleaded with him …, but he replied"), else the last speaker."""
        word = sent.toks[i].lower
        if word in PRONOUNS_M | PRONOUNS_F:
            named = self._named_before(sent, i, word)
            if named is not None:
                return named
            prev = self._previous_sentence(sent)
            first = all(sent.quoted[k] or not sent.toks[k].is_word for k in range(i))
            if first and prev is not None:
                # "Harry Kane won the award. He said, "…"", and "… award. "…," he said":
                # the person just named.
                named = self._named_before(prev, len(prev.toks), word)
                if named is not None:
                    return named
        return self.reg.resolve_pronoun(word)

    def _previous_sentence(self, sent: _Sentence) -> _Sentence | None:
        """The sentence before this one in the same paragraph."""
        before = self.sentences
        if self._in_order:
            j = bisect_right(self._ends, sent.start)
            before = self.sentences[max(0, j - 1) : j]
        for s, e in reversed(before):
            if e <= sent.start:
                if "\n" in self.text[e : sent.start]:
                    return None
                return self.sentence_of(s)
        return None

    def _named_before(self, sent: _Sentence, upto: int, pronoun: str) -> Person | None:
        """The first person the sentence names before a "he"/"she" (by any of their names).

        Only names the article shows to be people's: with a role or an appositive
        ("English captain Harry Kane", "Thomas Sam, 42,"), not "the Spanish Civil War".
        """
        want = "m" if pronoun in PRONOUNS_M else "f"
        people = [p for p in self.reg.people if not p.is_org and len(p.name.split()) >= 2]
        for k, t in enumerate(sent.toks[:upto]):
            if not t.is_cap or sent.quoted[k]:
                continue
            key = fold(t.text.rstrip("'’"))
            for p in people:
                parts = fold(p.name).split()
                if key in (parts[0], parts[-1]) and (p.gender in (None, want)):
                    return p
            for np in self.reg.mentions:
                parts = fold(np.name).split()
                if (
                    len(parts) >= 2
                    and key in (parts[0], parts[-1])
                    and np.gender in (None, want)
                    and self._person_like(np)
                ):
                    return self.reg.add(np)
        return None

    def _person_like(self, np: NounPhrase) -> bool:
        """Whether the text treats a name as a person's: a role before it, or an
        appositive after it ("Kevin Allton, a USI instructor", "Thomas Sam, 42,")."""
        if np.role is not None:
            return True
        name = re.escape(np.name)
        return re.search(rf"{name},\s+(?:a|an|the|his|her|\d)\b", self.text) is not None or any(
            is_role_word(m.group(1)) for m in re.finditer(rf"\b(\w+)\s+{name}\b", self.text)
        )

    def _np_start(self, sent: _Sentence, end: int, inside: bool) -> int:
        """The first token of the noun phrase that ends at token ``end``.

        Capitalised words, connectors and role words; a description of an unnamed
        speaker or of a text is taken back to its determiner ("one poster", "a leaked
        internal letter", "the Internet security firm Secunia.com").
        """
        toks = sent.toks
        j = end
        while j >= 0 and (inside or not sent.quoted[j]):
            if _np_allowed(toks[j]):
                j -= 1
                continue
            k = self._modifiers_start(sent, j)
            if k is None:
                break
            j = k
        if j < 0 or (j == end and toks[end].lower not in _DETERMINERS):
            return j + 1
        m = j
        while m >= 0 and j - m < 5 and not sent.quoted[m]:
            t = toks[m]
            if t.lower in _DETERMINERS:
                if m == 0 or toks[m - 1].lower in CONNECTORS | {"with", ",", "by"}:
                    return m
                return j + 1
            if (
                not t.is_word
                or _is_verb(t)
                or t.lower in _FINITE | _AUX | _MODALS
                or t.lower in {"and", "or", "that", "who", "which", "to"}
            ):
                break
            m -= 1
        return j + 1

    def _modifiers_start(self, sent: _Sentence, j: int) -> int | None:
        """ "Airbus sales chief", "Ferry company operations chief": up to three lower-case
        nouns between a capitalised name and a role word belong to the role. The index of
        the capitalised word before them, or None."""
        toks = sent.toks
        if j + 1 >= len(toks) or not is_role_word(toks[j + 1].text):
            return None
        k = j
        while (
            k >= 0
            and j - k < 3
            and toks[k].is_word
            and toks[k].text[:1].islower()
            and not sent.quoted[k]
            and not _is_verb(toks[k])
            and toks[k].lower not in _FINITE | _AUX | _MODALS | _DETERMINERS | CONNECTORS
            and toks[k].lower not in _NOT_MODIFIERS
        ):
            k -= 1
        if k < 0 or k == j or not toks[k].is_cap or sent.quoted[k]:
            return None
        return k

    def _possessor(self, sent: _Sentence, vi: int) -> Person | None:
        """The owner in "PC World's recent analysis … concluded", "Cornyn's statement added"."""
        toks = sent.toks
        for k in range(vi - 1, max(-1, vi - 13), -1):
            t = toks[k]
            if sent.quoted[k] or t.text in {",", ":", ";", ".", "(", ")"} or _is_verb(t):
                return None
            if not (t.is_cap and t.lower.endswith("'s")):
                continue
            after = [x.lower for x in toks[k + 1 : k + 3]]
            if not any(w in _STATEMENT_NOUNS for w in after):
                return None
            b = k
            while b > 0 and toks[b - 1].is_cap and not sent.quoted[b - 1]:
                b -= 1
            name_toks = [*toks[b:k], Token(t.text[:-2], t.start, t.end - 2)]
            np = self._phrase(name_toks)
            return self._person_of(np, name_toks) if np is not None else None
        return None

    def _appositive_subject(
        self, sent: _Sentence, j: int
    ) -> tuple[Person | None, str | None] | None:
        """The named speaker before an appositive ("Tom Molomby, SC, said").

        ``j`` is the comma just before the verb. The nearest comma before it that
        follows a person's name (at the start of the sentence or of a clause) closes
        the name; what lies between is the appositive, a role when it names one.
        """
        toks = sent.toks
        commas: list[int] = []
        k = j - 1
        while k >= 0 and j - k <= 40:
            t = toks[k]
            if t.text in {":", ";", "“", "”", '"'} or sent.quoted[k] or _is_verb(t):
                break
            if t.text == ",":
                commas.append(k)
            k -= 1
        floor = k
        for c in commas:
            b = c - 1
            while b > floor and _np_allowed(toks[b]) and toks[b].text != ",":
                b -= 1
            if b > floor and toks[b].text != ",":
                continue
            np_toks = toks[b + 1 : c]
            np = self._phrase(np_toks) if np_toks else None
            if np is None or not np.is_person or len(np.name.split()) < 2:
                continue
            app = toks[c + 1 : j]
            role = None
            if any(is_role_word(t.text) for t in app):
                role = _strip_article(self.text, app)
            elif app and all(t.text.isupper() and len(t.text) <= 4 for t in app):
                role = self.text[app[0].start : app[-1].end]  # "QC", "SC", "MP"
            person = self._person_of(np, np_toks)
            if person is None:
                return None
            person.add_role(np.role)
            person.add_role(role)
            return person, role or np.role
        if not commas:
            # "The Internet security firm Secunia.com, has said …": subject, comma, verb.
            b = self._np_start(sent, j - 1, False)
            if b == 0 and b < j:
                np = self._phrase(toks[b:j])
                person = self._person_of(np, toks[b:j])
                if person is not None:
                    return person, np.role if np else None
        return None

    def clause_subject(self, sent: _Sentence, upto: int) -> tuple[Person | None, str | None]:
        """The subject of the sentence's main clause, before token ``upto``."""
        toks = sent.toks
        i = 0
        if toks and toks[0].lower in _INTRO:
            while i < upto and toks[i].text != ",":
                i += 1
            i += 1
        for v in range(i + 1, upto):
            t = toks[v]
            if sent.quoted[v] or not t.is_word:
                return None, None
            if t.is_cap or _np_allowed(t) or t.lower in _DETERMINERS:
                continue
            return self.subject_before(sent, v) if not t.lower.endswith("ing") else (None, None)
        return None, None

    def object_after(self, sent: _Sentence, vi: int) -> tuple[Person | None, str | None]:
        """The speaker phrase right after a verb ("said the minister Hajiyev")."""
        toks = sent.toks
        j = vi + 1
        if j < len(toks) and (toks[j].lower in _TIME_OPENERS or toks[j].lower in lexicon.WEEKDAYS):
            # "said on Monday", "said last week, …": a time, not the speaker
            while j < len(toks) and toks[j].text != "," and not sent.quoted[j]:
                j += 1
            if j >= len(toks) or toks[j].text != ",":
                return None, None
            j += 1
        out: list[Token] = []
        prev_name = False
        while j < len(toks) and toks[j].text not in _STOP_FORWARD and not sent.quoted[j]:
            t = toks[j]
            if t.lower == "the" and prev_name:
                break
            lower_noun = (
                t.is_word
                and any(is_role_word(o.text) for o in out)
                and out[-1].lower in {"the", "of"}
                and not _is_verb(t)
            )
            modifier = (
                t.is_word
                and not t.is_cap
                and not _is_verb(t)
                and any(is_role_word(x.text) for x in toks[j + 1 : j + 3])
            )
            if not (_np_allowed(t) or t.lower in {"a", "an"} or lower_noun or modifier):
                break
            out.append(t)
            prev_name = t.is_cap and not is_role_word(t.text)
            j += 1
        if not out:
            return None, None
        np = self._phrase(out)
        if (
            np is not None
            and not np.is_person
            and j < len(toks)
            and toks[j].text == ","
            and out[0].lower in _DETERMINERS
        ):
            # "said the head of the union, Anna Lund": the name after the comma
            e = j + 1
            while e < len(toks) and toks[e].is_cap and not sent.quoted[e]:
                e += 1
            if e - (j + 1) >= 2 and (e == len(toks) or toks[e].text in _STOP_FORWARD):
                found = self._named_after_role(sent, j, toks[j + 1 : e])
                if found[0] is not None:
                    return found
        person = self._person_of(np, out)
        return person, np.role if np else None

    # ---- direct quotes --------------------------------------------------

    def attribute_quote(self, q: QuoteSpan) -> tuple[Person | None, str | None, bool]:
        """The speaker of a quote, its role there, and whether the attribution is explicit."""
        text = self.text
        close_sent = self.sentence_of(min(q.close, len(text) - 1))
        # 1. After the closing mark, in the same sentence.
        if not q.runs_on:
            ci = close_sent.index_at(q.close + 1)
            toks = close_sent.toks
            k = ci
            while k < len(toks) and toks[k].text in {",", ".", "!", "?", "”", '"', "—", "–", "-"}:
                if toks[k].text == "." and k + 1 < len(toks) and toks[k + 1].is_cap:
                    break
                k += 1
            if k < len(toks) and not close_sent.quoted[k]:
                if _is_verb(toks[k]) and not _noun_use(toks, k):
                    person, role = self.object_after(close_sent, k)
                    if person is not None:
                        return person, role, True
                else:
                    for v in range(k, min(len(toks), k + 30)):
                        if close_sent.quoted[v] or toks[v].text in _QUOTE_CHARS:
                            break
                        if toks[v].text in {".", ";", "!", "?"}:
                            break
                        if _is_verb(toks[v]) and not _noun_use(toks, v):
                            person, role = self.subject_before(close_sent, v)
                            if person is not None:
                                return person, role, True
                            break
            if (
                k + 1 < len(toks)
                and toks[k].lower == "according"
                and toks[k + 1].lower == "to"
                and not close_sent.quoted[k]
            ):
                person, role = self.object_after(close_sent, k + 1)
                if person is not None:
                    return person, role, True  # "…", according to the Sydney Morning Herald.
            found = self._signed(q)
            if found is not None:
                return found[0], found[1], True
        # 2. Before the opening mark, in the same sentence.
        open_sent = self.sentence_of(q.open)
        oi = open_sent.index_at(q.open)
        toks = open_sent.toks
        lo = 0
        for qq in self._quotes_near(open_sent.start, q.open):
            if qq.close < q.open and qq.close >= open_sent.start:
                lo = max(lo, open_sent.index_at(qq.close + 1))
        words_of = self._in_the_words_of(open_sent, lo, oi)
        if words_of is not None:
            return words_of[0], words_of[1], True
        for v in range(oi - 1, lo - 1, -1):
            if open_sent.quoted[v]:
                break
            if (_is_verb(toks[v]) and not _noun_use(toks, v)) or (
                toks[v].lower == "for"
                and v > 0
                and toks[v - 1].lower in {"call", "calls", "called"}
            ):
                between = toks[v + 1 : oi]
                if (
                    between
                    and between[0].text not in {":", ","}
                    and toks[v + 1].is_cap
                    and (toks[v].lower not in {"for", "tell", "tells", "told"})
                    and all(_np_allowed(t) or t.text in {",", ":"} for t in between)
                ):
                    person, role = self.object_after(open_sent, v)
                    if person is not None:
                        return person, role, True
                vv = v - 1 if toks[v].lower == "for" else v
                person, role = self.subject_before(open_sent, vv)
                if person is not None:
                    return person, role, True
                break
        # 3. A sentence that ends with a colon just before the quote.
        if oi == 0:
            p = q.open - 1
            while p >= 0 and text[p].isspace():
                p -= 1
            if p >= 0 and text[p] == ":":
                intro = self.sentence_of(p)
                person, role = self._from_intro(intro)
                if person is not None:
                    return person, role, True
        # 3b. "Sunak defended the record …: "…"": the subject of the clause before the colon.
        if oi > 0 and text[: q.open].rstrip().endswith(":"):
            person, role = self.clause_subject(open_sent, oi)
            if person is not None:
                return person, role, True
        # 4. A speech verb anywhere else in the sentence ("…", it added; and, later, "…").
        for sent in (open_sent,):
            for v, t in enumerate(sent.toks):
                if sent.quoted[v] or not _is_verb(t) or _noun_use(sent.toks, v):
                    continue
                person, role = self.subject_before(sent, v)
                if person is None and v + 1 < len(sent.toks):
                    person, role = self.object_after(sent, v)
                if person is not None:
                    return person, role, True
        return None, None, False

    def _signed(self, q: QuoteSpan) -> tuple[Person | None, str | None] | None:
        """A quote signed after its closing mark: "…" - Matthew Ingram; or, when the quote
        opens its paragraph, "…" Anonymous blogger, "title of the post"."""
        text = self.text
        par_start = text.rfind("\n", 0, q.open) + 1
        par_end = text.find("\n", q.close)
        par_end = len(text) if par_end < 0 else par_end
        m = re.match(r"[.,!?]?\s*([-–—]+)?\s*", text[q.close + 1 : par_end])
        if m is None:
            return None
        dash = m.group(1) is not None
        if not dash and text[par_start : q.open].strip():
            return None
        toks = tokenize(text, q.close + 1 + m.end(), par_end)
        i = 0
        while (
            i < len(toks)
            and toks[i].text not in _QUOTE_CHARS
            and (_np_allowed(toks[i]) or toks[i].lower in _DETERMINERS)
        ):
            i += 1
        if i == 0 or not toks[0].is_cap or any(_is_verb(t) for t in toks[:i]):
            return None
        if i < len(toks) and toks[i].text not in {",", ".", "(", "“", '"'}:
            return None
        np = self._phrase(toks[:i])
        person = self._person_of(np, toks[:i])
        if person is None:
            return None
        role = np.role if np else None
        if i < len(toks) and toks[i].text == ",":
            rest = toks[i + 1 :]
            if (
                rest
                and any(is_role_word(t.text) for t in rest)
                and not any(t.text in _QUOTE_CHARS for t in rest)
            ):
                role = _strip_article(self.text, rest)
        person.add_role(role)
        return person, role

    def _in_the_words_of(
        self, sent: _Sentence, lo: int, oi: int
    ) -> tuple[Person | None, str | None] | None:
        """ "in the words of the Crown prosecutor, Mark Tedeschi, QC, "…" """
        toks = sent.toks
        for w in range(max(lo, 2), oi - 2):
            if not (
                toks[w].lower == "words"
                and toks[w + 1].lower == "of"
                and toks[w - 1].lower == "the"
                and toks[w - 2].lower == "in"
            ):
                continue
            segments: list[list[Token]] = [[]]
            for t in toks[w + 2 : oi]:
                if t.text == ",":
                    segments.append([])
                else:
                    segments[-1].append(t)
            person: Person | None = None
            role: str | None = None
            for seg in segments:
                np = self._phrase(seg) if seg else None
                if np is None:
                    continue
                if person is None and np.is_person and len(np.name.split()) >= 2:
                    person = self._person_of(np, seg)
                    role = role or np.role
                elif role is None and any(is_role_word(t.text) for t in seg):
                    role = _strip_article(self.text, seg)
            if person is not None:
                person.add_role(role)
                return person, role
            if segments and segments[0]:
                np = self._phrase(segments[0])
                found = self._person_of(np, segments[0])
                if found is not None:
                    return found, None
        return None

    def _from_intro(self, sent: _Sentence) -> tuple[Person | None, str | None]:
        toks = sent.toks
        for v in range(len(toks) - 1, -1, -1):
            if sent.quoted[v]:
                continue
            if _is_verb(toks[v]) and not _noun_use(toks, v):
                # "This was stated … by X:"
                for b in range(v + 1, len(toks)):
                    if toks[b].lower == "by":
                        person, role = self.object_after(sent, b)
                        if person is not None:
                            return person, role
                person, role = self.subject_before(sent, v)
                if person is not None:
                    return person, role
                person, role = self.object_after(sent, v)
                if person is not None:
                    return person, role
        # No speech verb: the last person named in the sentence.
        best: NounPhrase | None = None
        best_toks: list[Token] = []
        i = 0
        while i < len(toks):
            if not toks[i].is_cap:
                i += 1
                continue
            j = i
            while (
                j < len(toks)
                and (toks[j].is_cap or toks[j].lower in CONNECTORS)
                and (toks[j].text not in _QUOTE_CHARS)
            ):
                j += 1
            np = self._phrase(toks[i:j])
            if np is not None and np.is_person and len(np.name.split()) >= 2:
                best, best_toks = np, toks[i:j]
            i = j + 1
        if best is not None:
            return self._person_of(best, best_toks), best.role
        return None, None

    # ---- reported statements --------------------------------------------

    def reported_in(self, sent: _Sentence) -> list[Statement]:
        """Reported statements of one sentence."""
        out: list[Statement] = []
        toks = sent.toks
        n = len(toks)
        handled_until = -1
        for i, t in enumerate(toks):
            if i <= handled_until:
                continue
            low = t.lower
            if low == "according" and i + 1 < n and toks[i + 1].lower == "to":
                st = self._according(sent, i)
                if st is not None:
                    out.append(st)
                    handled_until = n
                continue
            if not _is_verb(t) or low in _QUOTE_ONLY or _noun_use(toks, i):
                continue
            if i > 0 and toks[i - 1].lower in {"been", "be", "being", "is", "are", "was", "were"}:
                continue
            if sent.quoted[i] and not (i > 1 and toks[i - 1].lower == "who"):
                continue
            st = self._verb_statement(sent, i)
            if st is not None:
                out.append(st)
                # Later verbs may report more ("claimed X and claim Y"), not those inside.
                handled_until = max(v for v, tk in enumerate(toks) if tk.start < st.end)
        if not out:
            st = self._special(sent)
            if st is not None:
                out.append(st)
        return out

    def _clause(self, sent: _Sentence, k: int, *, stop_at_comma: bool = False) -> tuple[int, int]:
        toks = sent.toks
        if k < len(toks) and toks[k].lower == "that":
            k += 1
            while k < len(toks) and toks[k].text == ",":
                k += 1  # "said that, as the parents came from India, …"
        if k >= len(toks):
            return -1, -1
        s = toks[k].start
        e = sent.end
        if stop_at_comma:
            for t in toks[k:]:
                if t.text == ",":
                    e = t.start
                    break
        e = min(e, self._clause_end(sent, k))
        for q in self._quotes_near(s, e):
            if s < q.open < e and q.close >= e - 3 and len(words(self.text[q.start : q.end])) > 3:
                lead = words(self.text[s : q.open])
                # "the deal is off, "…"": the clause before the quote stands on its own;
                # "on October 6, Montalvo "walked into …"": it does not.
                if len(lead) >= 3 and any(w in _FINITE or _is_verb_word(w) for w in lead):
                    e = q.open
                break
        while e > s and self.text[e - 1] in ' .!?;:,"”’)':
            e -= 1  # a clause that ends on a quotation ends before its closing mark
        return s, e

    def _clause_end(self, sent: _Sentence, k: int) -> int:
        """Where a reported clause stops before the sentence ends.

        At a second speech verb of the same subject ("claimed Paris was a volunteer and
        claim she …") and at an absolute phrase (", with the i reporting …").
        """
        toks = sent.toks
        n = len(toks)
        for m in range(k + 1, n):
            t = toks[m]
            if sent.quoted[m]:
                continue
            if t.lower == "and" and m + 1 < n and _is_verb(toks[m + 1]) and not sent.quoted[m + 1]:
                c = m - 1 if toks[m - 1].text == "," else m
                return toks[c].start
            if (
                t.text == ","
                and m + 1 < n
                and toks[m + 1].lower == "with"
                and any(x.lower.endswith("ing") and x.is_word for x in toks[m + 2 : m + 7])
            ):
                return t.start
        return sent.end

    def _inside_quote(self, pos: int) -> bool:
        return any(q.close == pos and q.start < pos for q in self._quotes_near(pos, pos))

    def _acceptable(self, s: int, e: int, *, free_start: bool = False) -> bool:
        if s < 0 or e - s < 8:
            return False
        w = words(self.text[s:e])
        after_that = free_start or re.search(r"\bthat[\s,]*$", self.text[max(0, s - 12) : s])
        if len(w) < 3 or (not after_that and (w[0].endswith("ly") or w[0] in _NOT_CLAUSE_START)):
            return False
        if self.text[s] in _QUOTE_CHARS:
            return False
        quoted = 0
        for q in self._quotes_near(s, e):
            if q.start < e and s < q.end and not (q.start <= s and e <= q.end):
                quoted += len(words(self.text[max(q.start, s) : min(q.end, e)]))
        return quoted < 0.5 * len(w) and (quoted == 0 or len(w) - quoted >= 5)

    def _verb_statement(self, sent: _Sentence, vi: int) -> Statement | None:
        toks = sent.toks
        n = len(toks)
        low = toks[vi].lower
        k = vi + 1
        if k >= n or toks[k].text in {",", ":", ".", "“", '"', "!", "?", ";"}:
            # "…, researchers say." is handled by _special; a quote follows otherwise.
            return None
        inserted = self._parenthetical(sent, vi)
        if inserted is not None:
            return inserted
        relative = vi > 0 and toks[vi - 1].lower == "who"
        if relative:
            j = vi - 2
            while j >= 0 and toks[j].text == ",":
                j -= 1
            person, role = self.subject_before(sent, j + 1) if j >= 0 else (None, None)
        else:
            person, role = self.subject_before(sent, vi)
        if person is None:
            return None
        k = _skip_time(toks, k)
        if low in _NEEDS_THAT and not _clause_follows(toks, k):
            return None
        if low in {"tell", "tells", "told"}:
            k = self._skip_object(toks, k)
        elif k < n and toks[k].lower == "to" and low in {"stated", "said", "says", "explained"}:
            k = self._skip_object(toks, k + 1)
        if k < n and toks[k].text == "," and toks[0].lower == "as":
            k += 1  # "As Heald told The Huffington Post, US surface ozone has dropped …"
        if k >= n or toks[k].text in {",", ":", ".", "“", '"', "!", "?", ";"}:
            return None  # "told GB News: "…"": a quote follows
        # "in a statement", "on Tuesday", "in an interview"
        if (
            k + 2 < n
            and toks[k].lower in {"in", "on"}
            and toks[k + 1].lower in {"a", "an", "his", "her", "their"}
            and toks[k + 2].lower in {"statement", "interview", "speech", "letter", "post", "tweet"}
        ):
            k += 3
        if (
            k < n
            and toks[k].lower in {"on"}
            and k + 1 < n
            and toks[k + 1].is_cap
            and toks[k + 2 if k + 2 < n else k + 1].lower == "that"
        ):
            k += 2
        s, e = self._clause(sent, k, stop_at_comma=relative)
        if not self._acceptable(s, e):
            return None
        if (
            low in {"tell", "tells", "told"}
            and toks[k].lower != "that"
            and not _FINITE_MARK.search(self.text[s:e])
        ):
            return None  # "told the Finnish news agency STT.": who was told, nothing said
        self._spoke(person)
        return Statement(s, e, True, person, role)

    def _skip_object(self, toks: list[Token], k: int) -> int:
        n = len(toks)
        if k < n and toks[k].lower in _OBJECT_WORDS:
            start = k
            while k < n and toks[k].lower in _OBJECT_WORDS:
                k += 1
            if not (k - start == 1 and toks[start].lower == "the"):
                return k
            k = start + 1
            if k < n and toks[k].is_word and not toks[k].is_cap and toks[k].lower != "that":
                return k + 1  # "told the court that …"
        while k < n and toks[k].is_cap and toks[k].lower not in {"that"}:
            k += 1
        return k

    def _parenthetical(self, sent: _Sentence, vi: int) -> Statement | None:
        """ "Institutional recipients, said Mauer, are required …": the whole sentence."""
        toks = sent.toks
        n = len(toks)
        if vi < 2 or toks[vi - 1].text != "," or any(sent.quoted) or toks[vi].lower.endswith("ing"):
            return None
        m = vi + 1
        while m < n and toks[m].text != "," and _np_allowed(toks[m]):
            m += 1
        if m == vi + 1 or m >= n - 2 or toks[m].text != ",":
            return None
        person, role = self.object_after(sent, vi)
        if person is None:
            return None
        s, e = toks[0].start, sent.end
        while e > s and self.text[e - 1] in " .!?":
            e -= 1
        self._spoke(person)
        return Statement(s, e, True, person, role)

    def _according(self, sent: _Sentence, i: int) -> Statement | None:
        toks = sent.toks
        n = len(toks)
        if i > _body_start(toks) and toks[i - 1].text not in {",", "(", "—", "–"}:
            # Mid-sentence without a comma only at the end ("… 6 million visitors according
            # to the event website."), not "organized according to the West European system".
            k = i + 2
            while k < n and toks[k].text not in {".", "!", "?", ",", ";", "(", ":"}:
                k += 1
            if k < n and toks[k].text not in {".", "!", "?", "("}:
                return None
        j = i + 2
        np_toks: list[Token] = []
        prev_name = False
        while j < n and toks[j].text not in _STOP_FORWARD:
            t = toks[j]
            if t.lower == "the" and prev_name:
                break
            if not _np_allowed(t):
                # "according to the event website": modifiers before a speaker noun
                ahead = toks[j : j + 3]
                heads = [
                    m
                    for m, x in enumerate(ahead)
                    if x.lower in DOCUMENT_NOUNS | PERSON_NOUNS | GROUP_HEADS
                ]
                if not heads or not all(x.is_word for x in ahead[: heads[0]]):
                    break
                np_toks.extend(ahead[: heads[0] + 1])
                j += heads[0] + 1
                continue
            np_toks.append(t)
            prev_name = t.is_cap and not is_role_word(t.text) and t.lower not in {"the"}
            j += 1
        if not np_toks:
            return None
        np = self._phrase(np_toks)
        role = np.role if np else None
        # "according to the team's coach, Alireza Mehraban, …"
        if (np is None or not np.is_person) and j + 1 < n and toks[j].text == ",":
            k = j + 1
            name: list[Token] = []
            while k < n and toks[k].is_cap and not is_role_word(toks[k].text):
                name.append(toks[k])
                k += 1
            if len(name) >= 2 and k < n and toks[k].text == ",":
                app_role = _strip_article(self.text, np_toks)
                np = self._phrase(name)
                role = app_role if any(is_role_word(t.text) for t in np_toks) else None
                j = k
        # A speech verb right after ("According to the Herald, Professor X said …"): not ours.
        for v in range(j, n):
            if (
                _is_verb(toks[v])
                and not sent.quoted[v]
                and toks[v - 1].lower not in {"been", "be", "being", "is", "are", "was", "were"}
            ):
                return None
        person = self._person_of(np, np_toks)
        if person is None:
            return None
        at_end = j >= n or toks[j].text in {".", "!", "?", "("}
        if not at_end and toks[j].text == "," and i > 1 and toks[i - 1].text == ",":
            # "…, according to Kristen Wilkins, assistant professor of photography."
            rest = [t for t in toks[j + 1 :] if t.text not in {".", "!", "?"}]
            if (
                rest
                and len(rest) <= 16
                and not any(sent.quoted[j + 1 :])
                and not any(_is_verb(t) or t.lower in _FINITE for t in rest)
                and any(is_role_word(t.text) for t in rest)
            ):
                at_end = True
                role = role or _strip_article(self.text, rest)
        if role:
            person.add_role(role)
        free_start = False
        if at_end and i > 1 and toks[i - 1].text != "," and not sent.quoted[i - 1]:
            # "… and this year the city expects 6 million visitors according to the website."
            b = i - 1
            while b > 0 and toks[b - 1].text not in {",", ";", ":"} and toks[b - 1].lower != "and":
                b -= 1
            s, e = toks[max(b, _body_start(toks))].start, toks[i - 1].end
        elif i > 1 and toks[i - 1].text == "," and at_end:
            # "…, according to X."
            s = toks[_body_start(toks)].start
            e = toks[i - 1].start
            while e > s and self.text[e - 1] in " ,":
                e -= 1
        else:
            k = j
            while k < n and toks[k].text == ",":
                k += 1
            if k < n and toks[k].lower in {"quoting", "citing"}:
                while k < n and toks[k].text != ",":
                    k += 1
                if k < n:
                    k += 1
            s, e = self._clause(sent, k)
            # "According to the Saudi Interior Ministry over 345 pilgrims have been killed"
            free_start = k == j
        if not self._acceptable(s, e, free_start=free_start):
            return None
        self._spoke(person)
        return Statement(s, e, True, person, role)

    def _special(self, sent: _Sentence) -> Statement | None:
        toks = sent.toks
        n = len(toks)
        # "…, researchers say." (not "“…, so you'll see problems,” Eastman said.": words
        # inside a quotation are the quote's, not a statement of their own)
        if (
            n >= 4
            and toks[-1].text in {".", "!"}
            and _is_verb(toks[-2])
            and not sent.quoted[-2]
            and not sent.quoted[0]
        ):
            c = n - 3
            while c >= 0 and toks[c].text != ",":
                c -= 1
            if c > 0 and n - 2 - c <= 7:
                person, role = self.subject_before(sent, n - 2)
                if person is not None:
                    s, e = toks[0].start, toks[c].start
                    if self._acceptable(s, e):
                        self._spoke(person)
                        return Statement(s, e, True, person, role)
        for i, t in enumerate(toks):
            if sent.quoted[i]:
                continue
            low = t.lower
            # "X accuses Y of …"
            if low in {"accuses", "accused", "accuse"}:
                person, role = self.subject_before(sent, i)
                for k in range(i + 1, min(n, i + 8)):
                    if toks[k].lower == "of" and person is not None:
                        s, e = self._clause(sent, k + 1)
                        if self._acceptable(s, e):
                            self._spoke(person)
                            return Statement(s, e, True, person, role)
                        break
            # "X's public position is that …"
            if (
                low == "position"
                and i + 2 < n
                and toks[i + 1].lower == "is"
                and toks[i + 2].lower == "that"
            ):
                j = i - 1
                while j >= 0 and toks[j].is_word and not toks[j].lower.endswith("'s"):
                    j -= 1
                if j >= 0 and toks[j].lower.endswith("'s"):
                    name_text = toks[j].text[:-2]
                    np = NounPhrase(name_text, None, False, toks[j].start, toks[j].end - 2)
                    person = self.reg.add(np)
                    s, e = self._clause(sent, i + 3)
                    if self._acceptable(s, e):
                        self._spoke(person)
                        return Statement(s, e, True, person, None)
            # "X announced his readiness …", "X have signaled their readiness …"
            if low in _SIGNAL_VERBS and i + 1 < n and toks[i + 1].lower in _POSSESSIVES:
                person, role = self.subject_before(sent, i)
                if person is not None:
                    s, e = self._clause(sent, i + 1)
                    if self._acceptable(s, e):
                        self._spoke(person)
                        return Statement(s, e, True, person, role)
        return None

    def _spoke(self, person: Person) -> None:
        self.reg.spoke(person)
        self.last_speaker = person

    # ---- driver ---------------------------------------------------------

    def run(self) -> list[Statement]:
        """Every quote and reported statement, in text order."""
        out: list[Statement] = []
        quotes = sorted(self.quotes, key=lambda q: q.open)
        qi = 0
        prev_par_of_speech = -10
        skip_until = -1
        for si, (s, e) in enumerate(self.sentences):
            sent = self.sentence_of(s)
            if s == self.text.rfind("\n", 0, s + 1) + 1 or si == 0:
                # A paragraph quoted without quotation marks: a pull quote signed with a
                # name, or the words announced by "… denied these allegations:".
                st = self._pull_quote(s) or self._colon_block(s)
                if st is not None:
                    out.append(st)
                    prev_par_of_speech = self._paragraph_index(st.start)
                    skip_until = st.end
            if e <= skip_until:
                continue
            self._note_subject(sent)
            # Quotes that open in this sentence, then reported statements.
            while qi < len(quotes) and quotes[qi].open < e:
                q = quotes[qi]
                qi += 1
                if q.open < s:
                    continue
                st = self._quote_statement(q, si, prev_par_of_speech)
                if st is not None:
                    out.append(st)
                    prev_par_of_speech = self._paragraph_index(q.open)
            for st in self.reported_in(sent):
                out.append(st)
                prev_par_of_speech = self._paragraph_index(st.start)
            if self._statement_act(sent):
                prev_par_of_speech = self._paragraph_index(s)
        out.sort(key=lambda st: st.start)
        return out

    def _pull_quote(self, start: int) -> Statement | None:
        """A paragraph of quoted words signed with a name and no quotation marks:
        "This was a very difficult decision. […] Charles Bolden, NASA Administrator"."""
        text = self.text
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        par = text[start:end]
        if any(c in par for c in _QUOTE_CHARS) or self._paragraph_index(start) < 2:
            return None
        cuts = list(re.finditer(r"[.!?][’'”)]?\s+(?=[A-Z])", par))
        for cut in reversed(cuts[-3:]):
            st = self._signed_paragraph(start, end, start + cut.start() + 1, start + cut.end())
            if st is not None:
                return st
        return None

    def _signed_paragraph(
        self, start: int, end: int, body_end: int, sign_start: int
    ) -> Statement | None:
        text = self.text
        sign = tokenize(text, sign_start, end)
        name: list[Token] = []
        i = 0
        while (
            i < len(sign) and sign[i].is_cap and sign[i].is_word and not is_role_word(sign[i].text)
        ):
            name.append(sign[i])
            i += 1
        if not 2 <= len(name) <= 3 or (i < len(sign) and sign[i].text != ","):
            return None
        rest = sign[i + 1 :]
        if len(rest) > 10 or any(_is_verb(t) or t.lower in _FINITE for t in rest):
            return None
        np = self._phrase(name)
        if np is None or not np.is_person:
            return None
        full = text[name[0].start : name[-1].end]
        if self._occurrences(full) < 2 and self.reg.known_full_name(np.name.split()[-1]) is None:
            return None  # only a person the article names elsewhere signs a quote
        body = text[start:body_end].rstrip(" .!?")
        if len(words(body)) < 6:
            return None
        person = self._person_of(np, name)
        if person is None:
            return None
        role = _strip_article(text, rest) if any(is_role_word(t.text) for t in rest) else None
        person.add_role(role)
        self._spoke(person)
        return Statement(start, start + len(body), False, person, role)

    def _colon_block(self, start: int) -> Statement | None:
        """ "In a statement …, the Church denied these allegations:" and then, as the next
        paragraph without quotation marks, the words of the statement."""
        text = self.text
        if start < 2 or text[start - 1] != "\n":
            return None
        before = start  # the end of text[:start].rstrip(), without copying the text
        while before > 0 and text[before - 1].isspace():
            before -= 1
        if text[before - 1 : before] != ":":
            return None
        if text[start] in _QUOTE_CHARS:
            return None
        intro = self.sentence_of(before - 1)
        person, _role = self._from_intro(intro)
        if person is None:
            return None
        end = start
        par_end = text.find("\n", start)
        par_end = len(text) if par_end < 0 else par_end
        first = bisect_left(self._starts, start) if self._in_order else 0
        for s, e in self.sentences[first:]:
            if s < start or s >= par_end:
                if self._in_order and s >= par_end:
                    break
                continue
            sent = self.sentence_of(s)
            if any(_is_verb(t) for t in sent.toks) or any(c in text[s:e] for c in '"“”'):
                break
            end = e
        while end > start and text[end - 1] in " .!?":
            end -= 1
        if len(words(text[start:end])) < 4:
            return None
        self._spoke(person)
        return Statement(start, end, False, person, None)

    def _statement_act(self, sent: _Sentence) -> bool:
        """ "Cornyn … issued a statement": he speaks in the quotes that follow."""
        toks = sent.toks
        for i in range(len(toks) - 2):
            if (
                toks[i].lower in {"issued", "released", "published", "made", "gave"}
                and toks[i + 1].lower in {"a", "an"}
                and toks[i + 2].lower in {"statement", "speech", "announcement"}
                and not sent.quoted[i]
            ):
                person, _role = self.subject_before(sent, i)
                if person is not None:
                    self._spoke(person)
                    return True
        return False

    def _note_subject(self, sent: _Sentence) -> None:
        """A sentence that opens with a known speaker's name makes them the topic."""
        toks = sent.toks
        if not toks or not toks[0].is_cap or sent.quoted[0]:
            return
        j = 0
        while j < len(toks) and toks[j].is_cap and not sent.quoted[j]:
            j += 1
        if j == 0:
            return
        np = self._phrase(toks[:j])
        if np is None or not np.is_person:
            return
        known = self.reg.known_full_name(np.name.split()[-1])
        if known is not None and self.reg.has_spoken(known):
            self.reg.spoke(known)

    def _paragraph_index(self, offset: int) -> int:
        return bisect_left(self._newlines, offset)

    def _quote_statement(self, q: QuoteSpan, si: int, prev_par: int) -> Statement | None:
        n_words = len(words(self.text[q.start : q.end]))
        if n_words < 3:
            return None
        person, role, _explicit = self.attribute_quote(q)
        open_sent = self.sentence_of(q.open)
        at_start = open_sent.index_at(q.open) == 0
        before = self.text[open_sent.start : q.open].rstrip().lower()
        if before.endswith((" named", " called", " titled", " dubbed", " entitled")):
            return None
        if before.endswith(" as") and n_words < 6:
            return None  # "described the plan as "a bold step"" is a scare quote
        if _is_title(self.text[q.start : q.end]):
            return None  # "The Internet Explorer 6 Countdown", "Cowboys and Indians"
        link = "explicit"
        if person is None:
            par = self._paragraph_index(q.open)
            if (at_start or n_words >= 8) and self.last_speaker is not None and par - prev_par <= 2:
                person = self.last_speaker
                link = "carried"
            elif not at_start and n_words < 8:
                return None
            else:
                link = "none"
        if person is not None:
            self._spoke(person)
        return Statement(q.start, q.end, False, person, role, link)


def _strip_article(text: str, toks: list[Token]) -> str | None:
    toks = [t for t in toks if t.text not in {","}]
    while toks and toks[0].lower in _ROLE_DETERMINERS:
        toks = toks[1:]
    if not toks:
        return None
    return text[toks[0].start : toks[-1].end]


def _participle(tok: Token) -> bool:
    """A past participle before "by" ("seen", "obtained", "quoted")."""
    low = tok.lower
    return tok.is_word and not tok.is_cap and low.endswith(("ed", "en", "wn"))


# Words that open a time or place adverbial after a speech verb, never a speaker.
_TIME_OPENERS = frozenset(
    ["on", "in", "at", "during", "after", "before", "last", "this", "yesterday", "today",
     "earlier", "later", "late", "early", "tonight", "recently", "previously", "again"]
)  # fmt: skip


# A clause has a verb: an auxiliary or a past form ("told reporters prices will rise",
# "told the court the engine failed")
_FINITE_MARK = re.compile(
    r"\b(?:is|are|was|were|will|would|has|have|had|can|could|should|must|may|might|"
    r"did|does|do|[a-z]{2,}ed)\b"
)


def _skip_time(toks: list[Token], k: int) -> int:
    """Past a time adverbial before "that" ("announced on Friday that …")."""
    if k < len(toks) and toks[k].lower in _TIME_WORDS:
        for m in range(k + 1, min(len(toks), k + 5)):
            if toks[m].lower == "that":
                return m
            if not (toks[m].is_word or toks[m].text[:1].isdigit()):
                break
    return k


def _clause_follows(toks: list[Token], k: int) -> bool:
    """Whether a clause starts at ``k`` even without "that" ("admitted she was …")."""
    if k >= len(toks):
        return False
    if toks[k].lower in _CLAUSE_WORDS or toks[k].lower in _SUBJECT_PRONOUNS:
        return True
    if toks[k].is_cap and toks[k].is_word:
        # A name and then a lower-case word: "claimed Montalvo allegedly left …",
        # "explained Warhol's obsession … began"; a name is rarely followed by a noun.
        m = k
        while m < len(toks) and toks[m].is_cap:
            m += 1
        if (
            m < len(toks)
            and m - k <= 4
            and toks[m].is_word
            and toks[m].lower
            not in (CONNECTORS | _NOT_CLAUSE_START | {"and", "or", "who", "which", "that"})
        ):
            return True
    for m in range(k + 1, min(len(toks), k + 5)):
        if toks[m].lower in _FINITE:
            return True
        if not toks[m].is_word or _is_verb(toks[m]) or toks[m].lower in {"that", "which", "who"}:
            return False  # "announced the locations that would …": a relative clause
    return False


def _body_start(toks: list[Token]) -> int:
    """The first token after an opening "However," or "For example,"."""
    if len(toks) > 2 and toks[0].lower in _DISCOURSE and toks[1].text == ",":
        return 2
    if len(toks) > 3 and (toks[0].lower, toks[1].lower) in _INTRO_PAIRS and toks[2].text == ",":
        return 3
    if len(toks) > 1 and toks[0].lower in _DISCOURSE:
        return 1
    return 0


def _is_title(quoted: str) -> bool:
    """A name or title in quotation marks: short, in Title Case, not a sentence."""
    ws = quoted.split()
    if not ws or len(ws) > 12 or re.search(r"[.!?]$", quoted.rstrip("\"”’'")):
        return False
    content = [w for w in ws if w.lower().strip(",:;") not in _TITLE_SMALL]
    if not content:
        return False
    capital = sum(1 for w in content if w[:1].isupper() or w[:1].isdigit() or w[:1] == "[")
    return capital / len(content) >= 0.6 and ws[0][:1].isupper()


def _is_verb_word(word: str) -> bool:
    """A lower-case word that looks like a finite verb (for clause tests)."""
    return word in _FINITE or word in SPEECH_VERBS or (word.endswith("ed") and len(word) > 4)


def _noun_use(toks: list[Token], i: int) -> bool:
    """A speech word used as a noun: "the state", "a report", "his claims"."""
    return i > 0 and toks[i - 1].lower in _NOUN_MARKERS
