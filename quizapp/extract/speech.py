"""Quotes and reported statements, attributed to their speakers.

Direct quotes: every double-quoted passage of three words or more. The speaker
is found, in this order, after the quote (`"…," X said` / `"…" said X`), before
it in the same sentence (`X said: "…"`, `X told the press, "…"`), in the
sentence that ends with a colon just before it (`… Grigory Karasin:` and the quote
in the next paragraph), from a speech verb elsewhere in the sentence, and last
as the continuation of the previous speaker's words.

Reported statements: `X said (that) …`, `X told Y (that) …`, `according to X, …`,
`…, according to X.`, `…, X says.`, `X accuses Y of …`, `X's position is that …`,
`X announced his readiness …`; the span is the reported clause.

Pronouns ("he", "she", "it", "they") and titles ("the deputy") resolve to the
last compatible speaker; surnames to the full name met elsewhere in the text.
"""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.extract.people import (
    CONNECTORS,
    GROUP_HEADS,
    PRONOUNS_F,
    PRONOUNS_M,
    PRONOUNS_N,
    PRONOUNS_P,
    NounPhrase,
    Person,
    Registry,
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
    }
)
# Verbs that report only a that- or wh-clause ("announced that …", not "announced the start").
_NEEDS_THAT = word_set(
    """
    announce announces announced confirm confirms confirmed deny denies denied reveal
    reveals revealed estimate estimates estimated predict predicts predicted recommend
    recommends recommended acknowledge acknowledges acknowledged admit admits admitted
    note notes noted observe observes observed comment comments commented report reports
    reported declare declares declared
    """
)
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


@dataclass(slots=True)
class Statement:
    """A quote or reported statement found in the text."""

    start: int
    end: int
    reported: bool
    speaker: Person | None
    role: str | None = None


def _np_allowed(tok: Token, prev_is_name: bool = False) -> bool:
    low = tok.lower
    if tok.text in _QUOTE_CHARS:
        return False
    if tok.is_cap or tok.text in {"(", ")", "-", "–", "&"}:
        return True
    if low in CONNECTORS or low.endswith("'s") or low in GROUP_HEADS:
        return True
    return is_role_word(tok.text) or low.startswith(("al-", "el-", "bin-"))


def _is_verb(tok: Token) -> bool:
    return tok.lower in SPEECH_VERBS


class _Sentence:
    """The tokens of one sentence, with quoted tokens marked."""

    def __init__(self, text: str, start: int, end: int, quotes: list[QuoteSpan]) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.toks = tokenize(text, start, end)
        self.quoted = [any(q.open < t.start < q.close for q in quotes) for t in self.toks]

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

    # ---- helpers --------------------------------------------------------

    def sentence_of(self, offset: int) -> _Sentence:
        """The sentence that contains ``offset``."""
        for i, (s, e) in enumerate(self.sentences):
            if s <= offset < e or (offset == e and i == len(self.sentences) - 1):
                if i not in self._sent_cache:
                    self._sent_cache[i] = _Sentence(self.text, s, e, self.quotes)
                return self._sent_cache[i]
        s = self.text.rfind("\n", 0, offset) + 1
        e = self.text.find("\n", offset)
        return _Sentence(self.text, s, len(self.text) if e < 0 else e, self.quotes)

    def _phrase(self, toks: list[Token]) -> NounPhrase | None:
        return split_name(self.text, toks)

    def _person_of(self, np: NounPhrase | None, toks: list[Token]) -> Person | None:
        """Resolve a speaker phrase: pronoun, title or name."""
        if not toks:
            return None
        words_ = [t.lower for t in toks if t.text not in {",", "(", ")"}]
        if len(words_) == 1 and (words_[0] in PRONOUNS_M | PRONOUNS_F | PRONOUNS_N | PRONOUNS_P):
            return self.reg.resolve_pronoun(words_[0])
        if words_ and words_[0] in {"i", "we", "you", "who", "which", "that", "this"}:
            return None
        if np is None:
            return None
        if not np.is_person and words_ and words_[0] == "the" and len(words_) <= 3:
            # "the deputy", "the minister": a title of someone met before.
            found = self.reg.resolve_title(words_[1:])
            if found is not None:
                return found
        if not np.is_person:
            heads = {t.lower for t in toks}
            if not (any(t.is_cap for t in toks if t.lower not in {"the"}) or heads & GROUP_HEADS):
                return None
        if np.is_person and len(np.name.split()) == 1:
            known = self.reg.known_full_name(np.name)
            if known is not None and not known.is_org:
                known.add_role(np.role)
                return known
        return self.reg.add(np)

    def subject_before(self, sent: _Sentence, vi: int) -> tuple[Person | None, str | None]:
        """The speaker phrase that ends just before the verb at token ``vi``."""
        toks = sent.toks
        j = vi - 1
        while j >= 0 and toks[j].lower in _AUX:
            j -= 1
        if j < 0:
            return None, None
        appositive_role: str | None = None
        if toks[j].lower == "and":
            # "X tweeted to Y and said …": the subject of the first verb.
            k = j - 1
            while k >= 0 and (_np_allowed(toks[k]) or toks[k].text == ","):
                k -= 1
            if k > 0 and toks[k].is_word and not toks[k].is_cap:
                return self.subject_before(sent, k)
            return None, None
        if toks[j].text == ",":
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
            elif first in {"a", "an", "the", "his", "her", "its", "their", "of"} or is_role_word(
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
                return None, None
            j = k - 1
        end = j
        inside = vi < len(toks) and sent.quoted[vi]
        while j >= 0 and _np_allowed(toks[j]) and (inside or not sent.quoted[j]):
            j -= 1
        np_toks = toks[j + 1 : end + 1]
        if len(np_toks) == 1 and np_toks[0].lower in (
            PRONOUNS_M | PRONOUNS_F | PRONOUNS_N | PRONOUNS_P
        ):
            return self._person_of(None, np_toks), None
        if (
            j >= 0
            and toks[j].lower in PRONOUNS_M | PRONOUNS_F | PRONOUNS_P | PRONOUNS_N
            and (not np_toks)
        ):
            return self._person_of(None, [toks[j]]), None
        if not np_toks:
            if j >= 0 and toks[j].lower in {"he", "she", "they", "it"}:
                return self._person_of(None, [toks[j]]), None
            return None, None
        np = self._phrase(np_toks)
        person = self._person_of(np, np_toks)
        if person is not None and appositive_role:
            person.add_role(appositive_role)
        role = appositive_role or (np.role if np else None)
        return person, role

    def object_after(self, sent: _Sentence, vi: int) -> tuple[Person | None, str | None]:
        """The speaker phrase right after a verb ("said the minister Hajiyev")."""
        toks = sent.toks
        j = vi + 1
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
                if _is_verb(toks[k]):
                    person, role = self.object_after(close_sent, k)
                    if person is not None:
                        return person, role, True
                else:
                    for v in range(k, min(len(toks), k + 30)):
                        if close_sent.quoted[v] or toks[v].text in _QUOTE_CHARS:
                            break
                        if toks[v].text in {".", ";", "!", "?"}:
                            break
                        if _is_verb(toks[v]):
                            person, role = self.subject_before(close_sent, v)
                            if person is not None:
                                return person, role, True
                            break
        # 2. Before the opening mark, in the same sentence.
        open_sent = self.sentence_of(q.open)
        oi = open_sent.index_at(q.open)
        toks = open_sent.toks
        lo = 0
        for qq in self.quotes:
            if qq.close < q.open and qq.close >= open_sent.start:
                lo = max(lo, open_sent.index_at(qq.close + 1))
        for v in range(oi - 1, lo - 1, -1):
            if open_sent.quoted[v]:
                break
            if _is_verb(toks[v]) or (
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
        # 4. A speech verb anywhere else in the sentence ("…", it added; and, later, "…").
        for sent in (open_sent,):
            for v, t in enumerate(sent.toks):
                if sent.quoted[v] or not _is_verb(t):
                    continue
                person, role = self.subject_before(sent, v)
                if person is None and v + 1 < len(sent.toks):
                    person, role = self.object_after(sent, v)
                if person is not None:
                    return person, role, True
        return None, None, False

    def _from_intro(self, sent: _Sentence) -> tuple[Person | None, str | None]:
        toks = sent.toks
        for v in range(len(toks) - 1, -1, -1):
            if sent.quoted[v]:
                continue
            if _is_verb(toks[v]):
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
            if not _is_verb(t) or low in _QUOTE_ONLY:
                continue
            if i > 0 and toks[i - 1].lower in {"been", "be", "being", "is", "are", "was", "were"}:
                continue
            if sent.quoted[i] and not (i > 1 and toks[i - 1].lower == "who"):
                continue
            st = self._verb_statement(sent, i)
            if st is not None:
                out.append(st)
                handled_until = n
        if not out:
            st = self._special(sent)
            if st is not None:
                out.append(st)
        return out

    def _clause(self, sent: _Sentence, k: int, *, stop_at_comma: bool = False) -> tuple[int, int]:
        toks = sent.toks
        if k < len(toks) and toks[k].lower == "that":
            k += 1
        if k >= len(toks):
            return -1, -1
        s = toks[k].start
        e = sent.end
        if stop_at_comma:
            for t in toks[k:]:
                if t.text == ",":
                    e = t.start
                    break
        for q in self.quotes:
            if s < q.open < e and q.close >= e - 3 and len(words(self.text[q.start : q.end])) > 3:
                if len(words(self.text[s : q.open])) >= 3:
                    e = q.open
                break
        while e > s and self.text[e - 1] in ' .!?;:,"”’)':
            if self.text[e - 1] in '"”' and self._inside_quote(e - 1):
                break
            e -= 1
        return s, e

    def _inside_quote(self, pos: int) -> bool:
        return any(q.close == pos and q.start < pos for q in self.quotes)

    def _acceptable(self, s: int, e: int) -> bool:
        if s < 0 or e - s < 8:
            return False
        w = words(self.text[s:e])
        if len(w) < 3 or w[0].endswith("ly") or w[0] in _NOT_CLAUSE_START:
            return False
        if self.text[s] in _QUOTE_CHARS:
            return False
        quoted = 0
        for q in self.quotes:
            if q.start >= s and q.end <= e + 1:
                quoted += len(words(self.text[q.start : q.end]))
        return quoted < 0.5 * len(w) and (quoted == 0 or len(w) - quoted >= 5)

    def _verb_statement(self, sent: _Sentence, vi: int) -> Statement | None:
        toks = sent.toks
        n = len(toks)
        low = toks[vi].lower
        k = vi + 1
        if k >= n or toks[k].text in {",", ":", ".", "“", '"', "!", "?", ";"}:
            # "…, researchers say." is handled by _special; a quote follows otherwise.
            return None
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
        if low in _NEEDS_THAT and toks[k].lower not in _CLAUSE_WORDS:
            return None
        if low in {"tell", "tells", "told"}:
            k = self._skip_object(toks, k)
        elif k < n and toks[k].lower == "to" and low in {"stated", "said", "says", "explained"}:
            k = self._skip_object(toks, k + 1)
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
        self._spoke(person)
        return Statement(s, e, True, person, role)

    def _skip_object(self, toks: list[Token], k: int) -> int:
        n = len(toks)
        if k < n and toks[k].lower in _OBJECT_WORDS:
            while k < n and toks[k].lower in _OBJECT_WORDS:
                k += 1
            return k
        while k < n and toks[k].is_cap and toks[k].lower not in {"that"}:
            k += 1
        return k

    def _according(self, sent: _Sentence, i: int) -> Statement | None:
        toks = sent.toks
        n = len(toks)
        j = i + 2
        np_toks: list[Token] = []
        prev_name = False
        while j < n and toks[j].text not in _STOP_FORWARD:
            t = toks[j]
            if t.lower == "the" and prev_name:
                break
            if not _np_allowed(t):
                break
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
        if role:
            person.add_role(role)
        at_end = j >= n or toks[j].text in {".", "!", "?"}
        if i > 1 and toks[i - 1].text == "," and at_end:
            # "…, according to X."
            s = sent.toks[0].start
            if toks[0].lower in {"however", "meanwhile"} and len(toks) > 1:
                s = toks[2].start if toks[1].text == "," else toks[1].start
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
        if not self._acceptable(s, e):
            return None
        self._spoke(person)
        return Statement(s, e, True, person, role)

    def _special(self, sent: _Sentence) -> Statement | None:
        toks = sent.toks
        n = len(toks)
        # "…, researchers say."
        if n >= 4 and toks[-1].text in {".", "!"} and _is_verb(toks[-2]) and not sent.quoted[-2]:
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
        for si, (s, e) in enumerate(self.sentences):
            sent = self.sentence_of(s)
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
        out.sort(key=lambda st: st.start)
        return out

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
        if known is not None and known in self.reg.history:
            self.reg.spoke(known)

    def _paragraph_index(self, offset: int) -> int:
        return self.text.count("\n", 0, offset)

    def _quote_statement(self, q: QuoteSpan, si: int, prev_par: int) -> Statement | None:
        n_words = len(words(self.text[q.start : q.end]))
        if n_words < 3:
            return None
        person, role, _explicit = self.attribute_quote(q)
        open_sent = self.sentence_of(q.open)
        at_start = open_sent.index_at(q.open) == 0
        before = self.text[open_sent.start : q.open].rstrip().lower()
        if before.endswith((" named", " called", " as", " titled", " dubbed", " entitled")):
            return None
        if person is None:
            par = self._paragraph_index(q.open)
            if (at_start or n_words >= 8) and self.last_speaker is not None and par - prev_par <= 2:
                person = self.last_speaker
            elif not at_start and n_words < 8:
                return None
        if person is not None:
            self._spoke(person)
        return Statement(q.start, q.end, False, person, role)


def _strip_article(text: str, toks: list[Token]) -> str | None:
    toks = [t for t in toks if t.text not in {","}]
    while toks and toks[0].lower in {"a", "an", "the", "his", "her", "its", "their"}:
        toks = toks[1:]
    if not toks:
        return None
    return text[toks[0].start : toks[-1].end]
