"""Names, roles and the people an article quotes.

No model: a capitalised run of words is split into a role or organisation part
and a trailing person name with small word lists (titles, role nouns,
organisation nouns). Later mentions by surname, pronoun or title ("he",
"the deputy") resolve to the last compatible person.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise

from quizapp import lexicon
from quizapp.extract.tokens import Token, word_set

# Titles that stand before a name and are not part of it.
TITLES = word_set(
    """
    mr mr. mrs mrs. ms ms. dr dr. prof prof. professor sir lord lady dame gen gen. sen
    sen. rep rep. emeritus
    """
)
# Nouns that name a role; lower case or capitalised ("President", "spokeswoman").
ROLE_WORDS = word_set(
    """
    president vice-president prime minister ministers secretary press spokesman
    spokeswoman spokesperson spokespeople director chairman chairwoman chair chairperson
    head chief leader deputy assistant adviser advisor aide ambassador envoy governor
    mayor senator congressman congresswoman representative lawmaker mp mep judge justice
    attorney lawyer prosecutor commissioner commander general colonel captain lieutenant
    sergeant officer inspector sheriff detective police professor researcher researchers
    scientist scientists analyst analysts expert experts economist doctor dr editor
    editor-in-chief reporter journalist correspondent columnist author authors founder
    co-founder ceo cfo coo executive manager chancellor king queen prince princess pope
    cardinal bishop archbishop rabbi imam priest undersecretary under-secretary coach
    player captain member members major student teacher principal dean president-elect
    premier monarch emir sheikh sultan chairman-elect official officials diplomat
    foreign interior defence defense finance health education justice senior junior
    first acting former general-secretary secretary-general creator owner partner
    consultant activist campaigner organiser organizer candidate nominee father mother
    son daughter wife husband brother sister resident witness spokesperson-general vice
    deputy-director head-coach manager-general superintendent administrator trustee
    master chief-executive curator treasurer instructor lecturer coauthor co-author
    barrister solicitor counsel historian physician nurse engineer architect
    politician swimmer athlete runner sprinter cyclist skier footballer cricketer golfer
    boxer singer songwriter singer-songwriter musician actor actress artist painter
    photographer novelist poet presenter broadcaster comedian olympian homeopath
    striker defender midfielder goalkeeper winger
    """
)
# Nouns that end an organisation's or place's name ("Relations", "Council").
ORG_WORDS = word_set(
    """
    agency authority authorities association institute institution university college
    school schools council committee commission ministry department office bureau
    service services party union court parliament assembly congress senate government
    administration company corporation corp inc ltd group bank fund foundation
    organisation organization society news times post herald journal gazette tribune
    magazine press television tv radio network centre center hospital police army navy
    force forces guard district state states nations federation republic kingdom affairs
    relations conference duma cabinet board club team church mosque museum library
    airport station league federation's program programme project initiative campaign
    movement coalition alliance front council's defence defense security standards
    affairs region province county city municipality village town street road
    """
)
# Words for groups that speak as one ("researchers say", "officials said").
GROUP_HEADS = word_set(
    """
    researchers scientists officials authorities police experts analysts critics
    witnesses residents sources doctors organisers organizers authors report study
    statement survey poll government ministry city municipality company agency council
    committee court media
    """
)
# Unnamed people who can be quoted under a description ("one poster", "an unknown author").
PERSON_NOUNS = word_set(
    """
    poster posters blogger bloggers user users commenter commenters author writer
    witness witnesses eyewitness resident residents passenger passengers survivor
    survivors onlooker onlookers neighbour neighbor individuals
    """
)
# Texts that "say" things when no person is named ("the letter reads", "the post said").
DOCUMENT_NOUNS = word_set(
    """
    letter letters post posts posting postings document documents report reports study
    studies statement statements survey analysis message memo website site blog release
    editorial article paper
    """
)
# Words that open a clause, not a name: "As Heald told …", "But Smith said …".
CLAUSE_OPENERS = word_set(
    """
    as but and or so while when if although though because since then also yet
    meanwhile however thus still dear
    """
)
CONNECTORS = frozenset({"of", "the", "for", "on", "to", "at", "and", "in", "de", "-", "–", "&"})
PRONOUNS_M = frozenset({"he", "him", "his"})
PRONOUNS_F = frozenset({"she", "her"})
PRONOUNS_N = frozenset({"it", "its"})
PRONOUNS_P = frozenset({"they", "them", "their"})
NAME_PARTICLES = frozenset({"de", "da", "van", "von", "der", "del", "bin", "ibn", "al", "el", "le"})
# Capitalised words that begin sentences or name times, not people.
NOT_NAMES = (
    word_set(
        """
        in on at of for to from by with and or but if as so it we i you he she they there
        here when while after before during since until although though however meanwhile
        also yet still then now today yesterday tomorrow according following despite
        instead both each every all some many most several image images photo source
        sources reportedly moreover furthermore indeed besides later earlier why what who
        how where which no not yes
        """
    )
    | {*lexicon.ARTICLES, *lexicon.DEMONSTRATIVES, *lexicon.POSSESSIVES}
    | {name.lower() for name in (*lexicon.WEEKDAY_NAMES, *lexicon.MONTH_NAMES)}
    | {word for word, n in lexicon.ONES.items() if 1 <= n <= 10}
)
# Determiners stripped from the front of a name's phrase and of a role.
_LEADING_DETERMINERS = frozenset([*lexicon.ARTICLES, *lexicon.THIRD_PERSON_POSSESSIVES, "our"])
_ROLE_DETERMINERS = frozenset([*lexicon.ARTICLES, *lexicon.THIRD_PERSON_POSSESSIVES])
# Last words of country and city names: a speaker named so is a state, not a person.
PLACES = word_set(
    """
    korea china russia america zealand kingdom states arabia iran iraq israel palestine
    syria turkey egypt india pakistan afghanistan japan germany france italy spain
    britain england scotland ireland wales canada australia brazil mexico ukraine poland
    armenia azerbaijan georgia kazakhstan moscow washington beijing london paris berlin
    baku yerevan kremlin tehran kabul baghdad europe africa asia union greece sweden
    norway finland denmark netherlands belgium austria switzerland portugal argentina
    chile colombia venezuela cuba nigeria kenya ethiopia indonesia philippines vietnam
    thailand malaysia singapore taiwan tokyo delhi seoul pyongyang kyiv kiev ottawa
    canberra wellington
    """
)
# First words of multi-word place names ("South Korea", "Saudi Arabia").
PLACE_MODIFIERS = word_set(
    """
    new north south east west northern southern eastern western united saudi central
    great greater upper lower san los las el sri costa puerto papua czech dominican
    """
)
MALE_HINTS = frozenset(
    {
        "mr",
        "mr.",
        "sir",
        "lord",
        "king",
        "prince",
        "father",
        "son",
        "husband",
        "brother",
        "spokesman",
        "chairman",
        "congressman",
        "he",
        "his",
        "him",
    }
)
FEMALE_HINTS = frozenset(
    {
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "lady",
        "dame",
        "queen",
        "princess",
        "mother",
        "daughter",
        "wife",
        "sister",
        "spokeswoman",
        "chairwoman",
        "congresswoman",
        "she",
        "her",
    }
)


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case without accents, possessives or punctuation (for comparing names)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’]s\b", "", text.lower())
    return re.sub(r"[^\w\s-]", "", text).strip()


def is_role_word(tok: str) -> bool:
    """Whether a word names a role or title."""
    w = tok.lower().rstrip(".")
    return w in ROLE_WORDS or w + "." in TITLES or w in TITLES


def is_org_word(tok: str) -> bool:
    """Whether a word ends an organisation's or place's name."""
    return tok.lower().replace("’", "'") in ORG_WORDS


def is_name_token(tok: Token) -> bool:
    """A capitalised word that can be part of a person's name."""
    t = tok.text
    if not t[:1].isalpha():
        return False
    low = t.lower()
    if re.match(r"I['’]", t):
        return False  # "I'd", "I’ve"
    if t[:1].isupper():
        return low not in NOT_NAMES
    # "al-Amr", "el-Hassan", "de"
    return low in NAME_PARTICLES or bool(re.match(r"(?:al|el|bin|ibn|abu|van|de)-[A-Z]", t))


@dataclass(slots=True)
class Person:
    """A speaker or person of the article, with what is known about them."""

    name: str
    role: str | None = None
    roles: list[str] = field(default_factory=list)
    is_org: bool = False
    gender: str | None = None  # "m", "f" or None
    plural: bool = False
    start: int = 0
    end: int = 0

    @property
    def surname(self) -> str:
        """The last word of the name, folded."""
        parts = fold(self.name).split()
        return parts[-1] if parts else ""

    def add_role(self, role: str | None) -> None:
        """Record a role as written; the first one stays the main role."""
        if not role:
            return
        if role.startswith("of "):
            # "Senior researcher Mu Li, of the University of NSW's school of public health":
            # where the person works, part of the role before it, never a role alone
            if self.role is not None and not self.role.endswith(role):
                self.role = f"{self.role} {role}"
            return
        if self.role is None:
            self.role = role
        elif fold(role) != fold(self.role) and all(fold(role) != fold(r) for r in self.roles):
            self.roles.append(role)


@dataclass(frozen=True, slots=True)
class NounPhrase:
    """A speaker phrase split into name and role."""

    name: str
    role: str | None
    is_person: bool
    start: int
    end: int
    gender: str | None = None
    plural: bool = False


_ADJECTIVE_END = re.compile(r"(?:al|an|ic|ese|ish)$")


#: Words that never open a role: prepositions and adverbs ("through captain X").
ROLE_CANNOT_OPEN = frozenset(
    ["through", "by", "from", "with", "to", "at", "in", "on", "for", "into", "via", "after",
     "before", "against", "over", "under", "then", "also", "later", "once", "again", "now",
     "still", "only", "even", "just", "when", "while", "as", "including"]
)  # fmt: skip


def _name_of_body(text: str, toks: list[Token]) -> NounPhrase | None:
    """ "Tomas Varga of the University of Leeds": a person's name (two or more capitalised
    words, no title among them), then "of" and the body they belong to, which is their
    affiliation, not part of the name."""
    k = 0
    while k < len(toks) and is_name_token(toks[k]) and toks[k].lower != "of":
        if is_role_word(toks[k].text) or is_org_word(toks[k].text):
            return None
        k += 1
    if k < 2 or k > 4 or k >= len(toks) - 1 or toks[k].lower != "of":
        return None
    body = toks[k + 1 :]
    if body and body[0].lower == "the":
        body = body[1:]
    if not body or not body[0].text[:1].isupper():
        return None
    if not all(t.text[:1].isupper() or t.lower in CONNECTORS for t in body):
        return None
    if not any(is_org_word(t.text) for t in body) or body[-1].lower.endswith(("'s", "’s")):
        return None  # "Man of the Match", "Hicks of Australia": no body a person works for
    name = toks[:k]
    hints = [t.lower for t in name if t.lower in MALE_HINTS | FEMALE_HINTS]
    gender = ("m" if hints[0] in MALE_HINTS else "f") if hints else None
    return NounPhrase(
        text[name[0].start : name[-1].end],
        text[body[0].start : body[-1].end],
        True,
        name[0].start,
        name[-1].end,
        gender=gender,
    )


def split_name(text: str, toks: list[Token]) -> NounPhrase | None:
    """Split a phrase like "Environment Canada spokesperson Julie Hahn" into role and name."""
    toks = [t for t in toks if t.text not in {",", "(", ")"}]
    while toks and toks[0].lower in CLAUSE_OPENERS and len(toks) > 1:
        toks = toks[1:]
    # "through captain Stian Nygaard": a preposition or an adverb opens no role
    while len(toks) > 1 and toks[0].text[:1].islower() and toks[0].lower in ROLE_CANNOT_OPEN:
        toks = toks[1:]
    while toks and toks[0].lower in _LEADING_DETERMINERS:
        toks = toks[1:]
    # "said Managing Director Olga Brenna at a briefing": lower-case words end a name
    while toks and (
        toks[-1].lower in CONNECTORS
        or toks[-1].text in {"'s", "’s"}
        or toks[-1].text in {"a", "an"}
    ):
        toks = toks[:-1]
    affiliated = _name_of_body(text, toks)
    if affiliated is not None:
        return affiliated
    if toks and len(toks[-1].text) > 2 and toks[-1].lower.endswith("'s"):
        last = toks[-1]  # "Prime Minister Rishi Sunak's effort": the name is "Rishi Sunak"
        toks = [*toks[:-1], Token(last.text[:-2], last.start, last.end - 2)]
    if not toks:
        return None
    speaking_for = _speaking_for(text, toks)
    if speaking_for is not None:
        return speaking_for
    gender = None
    for t in toks:
        if t.lower in MALE_HINTS:
            gender = "m"
        elif t.lower in FEMALE_HINTS:
            gender = "f"
    # Trailing run of name tokens after the last role/organisation word.
    i = len(toks)
    while (
        i > 0
        and is_name_token(toks[i - 1])
        and not is_role_word(toks[i - 1].text)
        and not (is_org_word(toks[i - 1].text))
    ):
        i -= 1
    name_toks = toks[i:]
    # "Director of the National Iodine Nutrition study": after "the", capitalised
    # words led by an adjective ("National", "Federal", "Olympic") name a body, not
    # a person.
    if (
        len(name_toks) >= 3
        and i > 0
        and toks[i - 1].lower == "the"
        and _ADJECTIVE_END.search(name_toks[0].text)
    ):
        name_toks = []
    # "the Ocean Trust (OT": a body followed by its abbreviation, no person.
    if name_toks and "(" in text[name_toks[0].start : name_toks[-1].end]:
        name_toks = []
    # "University of Texas Arlington Amneh Jafari": the run's head belongs to the place.
    if (
        len(name_toks) >= 3
        and i > 0
        and (
            toks[i - 1].lower in CONNECTORS
            or (toks[i - 1].is_cap and not is_role_word(toks[i - 1].text))
        )
    ):
        name_toks = name_toks[-2:]
        i = len(toks) - 2
    # "Demosisto's Nathan Law", "Korea's Kim Shin-Wook": a possessive before the name
    # belongs to the body or place, not to the name
    possessive = [k for k, t in enumerate(name_toks[:-1]) if t.lower.endswith(("'s", "’s"))]
    owned = bool(possessive) and len(name_toks) - possessive[-1] - 1 >= 2
    if owned:
        cut = possessive[-1] + 1
        name_toks = name_toks[cut:]
        i += cut
    if len(name_toks) > 3:
        name_toks = name_toks[-3:]
        i = len(toks) - 3
    while (
        name_toks
        and name_toks[0].text[:1].islower()
        and len(name_toks) > 1
        and (name_toks[0].lower not in NAME_PARTICLES)
    ):
        name_toks = name_toks[1:]
        i += 1
    prefix = toks[:i]
    while prefix and prefix[-1].lower in {"of", "the", "for", "and", ","}:
        prefix = prefix[:-1]
    head_is_role = any(is_role_word(t.text) for t in prefix)
    # "South Korea", "New Zealand" are places; "Valeska Paris" is a woman named Paris.
    is_place = (
        bool(name_toks)
        and fold(name_toks[-1].text) in PLACES
        and (len(name_toks) == 1 or fold(name_toks[0].text) in PLACE_MODIFIERS)
    )
    org_prefix = any(is_org_word(t.text) for t in prefix)
    # "KCNA", "NASA", "AFP": an acronym alone names a body, not a person.
    acronym = len(name_toks) == 1 and len(name_toks[0].text) >= 2 and name_toks[0].text.isupper()
    if (
        name_toks
        and not is_place
        and not acronym
        and (head_is_role or not prefix or (org_prefix and len(name_toks) >= 2) or owned)
    ):
        name = text[name_toks[0].start : name_toks[-1].end]
        role = _role_text(text, prefix) if head_is_role or org_prefix else None
        if prefix and prefix[-1].lower.rstrip(".") in {"mr", "ms", "mrs", "dr"}:
            role = _role_text(text, prefix[:-1])
        return NounPhrase(name, role, True, name_toks[0].start, name_toks[-1].end, gender)
    # An organisation, group or place ("KCNA", "the Deseret News", "researchers").
    whole = text[toks[0].start : toks[-1].end]
    # "the Ocean Trust (OT)", and "the Ocean Trust (OT" when the phrase stops before ")"
    whole = re.sub(r"\s*\([^)]*\)?\s*$", "", whole)
    plural = toks[-1].lower in GROUP_HEADS and toks[-1].lower.endswith("s")
    return NounPhrase(whole, None, False, toks[0].start, toks[-1].end, gender, plural)


def _speaking_for(text: str, toks: list[Token]) -> NounPhrase | None:
    """ "Lydia Buchtmann for Food Standards Australia", "Tom Reyes for the Dairy Council":
    a person (two or three name words) speaking for an organisation, written after
    the name: the person is the speaker, the organisation what they speak for."""
    k = next((i for i, t in enumerate(toks) if t.lower == "for"), -1)
    if not 2 <= k <= 3 or k + 1 >= len(toks):
        return None
    name_toks = toks[:k]
    if not all(
        is_name_token(t) and not is_role_word(t.text) and not is_org_word(t.text)
        for t in name_toks
    ):
        return None
    org = toks[k + 1 :]
    if org[0].lower == "the":
        org = org[1:]
    if not org or not all(t.is_cap or t.lower in CONNECTORS for t in org) or not org[0].is_cap:
        return None
    name = text[name_toks[0].start : name_toks[-1].end]
    whom = text[toks[k + 1].start : org[-1].end]
    return NounPhrase(name, f"speaking for {whom}", True, name_toks[0].start, name_toks[-1].end)


# Words before a title that qualify it rather than belong to it ("former Prime Minister").
_ROLE_MODIFIERS = frozenset(["former", "acting", "deputy", "vice", "interim", "then", "late"])


def consistent_capitals(role: str | None) -> str | None:
    """A role whose title words go from lower case to capitals ("Civil Defense
    Authority director General"; not "Senior researcher" opening a sentence) written
    in one case: capitals after a capitalised word or at the start of the
    role ("Civil Defense Authority Director General"), else lower case ("the
    company's director general"). Qualifiers ("former", "deputy") keep their case."""
    if not role:
        return role
    words = role.split(" ")
    i = 0
    while i < len(words):
        j = i
        while (
            j < len(words)
            and words[j]
            and words[j].lower() not in _ROLE_MODIFIERS
            and is_role_word(words[j])
        ):
            j += 1
        run = words[i:j]
        if any(a[:1].islower() and b[:1].isupper() for a, b in pairwise(run)):
            title = i == 0 or words[i - 1][:1].isupper()
            words[i:j] = [w[:1].upper() + w[1:] if title else w.lower() for w in run]
        i = max(j, i + 1)
    return " ".join(words)


def _role_text(text: str, toks: list[Token]) -> str | None:
    while toks and toks[0].lower in _ROLE_DETERMINERS:
        toks = toks[1:]
    while toks and (toks[-1].lower in CONNECTORS or toks[-1].text == ","):
        toks = toks[:-1]
    if not toks or not any(is_role_word(t.text) for t in toks):
        return None
    if len(toks) == 1 and toks[0].lower.rstrip(".") in {"mr", "ms", "mrs", "dr"}:
        return None
    return text[toks[0].start : toks[-1].end]


class Registry:
    """The people and organisations met so far, in order, for resolving mentions."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self.history: list[Person] = []  # speakers in the order they spoke
        # Each speaker once, in the order they last spoke: what a walk back through
        # ``history`` meets first, without walking a long text's every statement.
        self._last_spoke: dict[int, Person] = {}
        self.mentions: list[NounPhrase] = []  # people named anywhere, for surnames and roles

    def known_full_name(self, surname: str) -> Person | None:
        """A person met earlier whose surname (or name) this is."""
        key = fold(surname)
        for p in reversed(self.people):
            if p.is_org:
                if fold(p.name) == key:
                    return p
                continue
            if p.surname == key or fold(p.name) == key:
                return p
            if len(key.split()) > 1 and fold(p.name).endswith(key):
                return p
        for np in self.mentions:
            parts = fold(np.name).split()
            if len(parts) >= 2 and parts[-1] == key:
                return self.add(np)
        return self._first_name(key) or self._misspelt(key)

    def _first_name(self, key: str) -> Person | None:
        """The one person met so far whose first name this is ("Ahmed" for Ahmed Mohamed)."""
        if " " in key or len(key) < 3:
            return None
        found = {
            fold(p.name): p
            for p in self.people
            if not p.is_org and _plain_name(p.name) and fold(p.name).split()[0] == key
        }
        if len(found) == 1:
            return next(iter(found.values()))
        names = {fold(np.name) for np in self.mentions if _plain_name(np.name)}
        firsts = [n for n in names if n.split()[0] == key]
        if len(firsts) == 1 and not found:
            np = next(m for m in self.mentions if fold(m.name) == firsts[0])
            return self.add(np)
        return None

    def _misspelt(self, key: str) -> Person | None:
        """A person whose surname differs by one letter ("Mauer" for "Maurer"), or by two
        in a surname of eight letters or more with the same first letter ("Bauchtman" for
        "Buchtmann")."""
        if len(key) < 5 or " " in key:
            return None
        found = [
            p
            for p in self.people
            if not p.is_org
            and len(p.name.split()) >= 2
            and misspelt_surname(key, p.surname)
        ]
        return found[-1] if len(found) == 1 else None

    def add(self, np: NounPhrase) -> Person:
        """The person of a phrase, merged with a known one of the same surname."""
        key_name = np.name
        if np.is_person:
            parts = fold(key_name).split()
            surname = parts[-1] if parts else ""
            for p in self.people:
                if p.is_org:
                    continue
                full = fold(p.name)
                if full == fold(key_name) or (
                    p.surname == surname and (len(parts) == 1 or len(full.split()) == 1)
                ):
                    if len(parts) > len(full.split()):
                        p.name = key_name
                    p.add_role(np.role)
                    p.gender = p.gender or np.gender
                    return p
            if len(parts) == 1:
                near = self._misspelt(surname)
                if near is not None:
                    near.add_role(np.role)
                    return near
        else:
            for p in self.people:
                if p.is_org and fold(p.name) == fold(key_name):
                    return p
        person = Person(
            key_name, np.role, [], not np.is_person, np.gender, np.plural, np.start, np.end
        )
        self.people.append(person)
        return person

    def spoke(self, person: Person) -> None:
        """Note that a person spoke (for pronoun resolution)."""
        self.history.append(person)
        self._last_spoke.pop(id(person), None)
        self._last_spoke[id(person)] = person

    def recent_speakers(self) -> list[Person]:
        """Each speaker once, the last to speak first."""
        return list(reversed(self._last_spoke.values()))

    def has_spoken(self, person: Person) -> bool:
        """Whether ``person`` (or a person equal to it) spoke."""
        return person in self._last_spoke.values()

    def resolve_pronoun(self, word: str) -> Person | None:
        """The last speaker compatible with a pronoun."""
        w = word.lower()
        for p in self.recent_speakers():
            if w in PRONOUNS_M or w in PRONOUNS_F:
                if p.is_org or p.plural:
                    continue
                want = "m" if w in PRONOUNS_M else "f"
                if p.gender and p.gender != want:
                    continue
                p.gender = want  # "she said" of Wilkins: Wilkins is a woman from now on
                return p
            if w in PRONOUNS_N:
                if p.is_org and not p.plural:
                    return p
            elif w in PRONOUNS_P and (p.is_org or p.plural):
                return p
        if w in PRONOUNS_P:
            for p in self.recent_speakers():
                if p.is_org:
                    return p
        return None

    def resolve_title(self, words: list[str]) -> Person | None:
        """The last person whose role contains every word of a title ("the deputy")."""
        want = [fold(w) for w in words if w.lower() not in lexicon.ARTICLES]
        if not want:
            return None
        recent = self.recent_speakers()
        silent = [q for q in self.people if q not in recent]
        for p in [*reversed(silent), *recent]:
            roles = " ".join(fold(r) for r in [p.role or "", *p.roles]).split()
            if all(w in roles or w.rstrip("s") in roles for w in want):
                return p
        return None


def _one_edit(a: str, b: str) -> bool:
    """Whether two words differ by exactly one inserted, deleted or replaced letter."""
    if a == b or abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 4:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def misspelt_surname(written: str, surname: str) -> bool:
    """Whether a written word is a misspelling of a surname: one letter off, or two in a
    surname of eight letters or more with the same first letter ("Bauchtman")."""
    a, b = fold(written), fold(surname)
    if a == b:
        return False
    if _one_edit(a, b):
        return True
    return min(len(a), len(b)) >= 8 and a[0] == b[0] and _edits(a, b) <= 2


def _edits(a: str, b: str) -> int:
    """The number of inserted, deleted or replaced letters between two short words."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@functools.lru_cache(maxsize=8192)
def _plain_name(name: str) -> bool:
    """Two or three plain words, as a person's name ("Ahmed Mohamed", not "Microsoft's
    Internet Explorer")."""
    parts = name.split()
    return 2 <= len(parts) <= 3 and all(
        re.fullmatch(r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?", w) for w in parts
    )


# Roles written beside a name, not in a capitalised run with it.
_KIN_OR_VAGUE = frozenset(
    ["father", "mother", "son", "daughter", "wife", "husband", "brother", "sister", "member",
     "members", "resident", "witness", "first", "former", "senior", "junior", "acting",
     "foreign", "interior", "defence", "defense", "finance", "health", "education", "justice",
     "press", "vice", "major", "general", "police", "partner", "owner"]
)  # fmt: skip
_ROLE_STOP = frozenset(
    [*lexicon.DETERMINERS, "and", "or", "but", "said", "says", "told", "with", "by", "from",
     "to", "in", "on", "at", "as", "of", "for", "that", "who", "which", "was", "is", "were",
     "are", "has", "had", "have", "will", "would", "when", "after", "before", "while", "like",
     "critics", "including", "against", "defeated", "beat", "than", "between"]
)  # fmt: skip
_ROLE_CONNECTORS = frozenset(["of", "for", "the", "and", "on"])
# Prepositions that may stand right before a role noun but are never part of the role
# ("a free kick through captain Jan Berg").
_PREPOSITIONS = frozenset(
    ["through", "via", "over", "under", "into", "onto", "behind", "beside", "about", "without",
     "within", "toward", "towards", "across", "past", "near", "upon", "despite", "beyond",
     "during", "since", "until", "among", "amid", "around", "per"]
)  # fmt: skip
_AGENT_END = re.compile(r"[a-z]{3,}(?:ist|or|er|ian|ant|path)$")
_NOT_IN_APPOSITION = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|said|says|told|who|which|that|when|"
    r"[a-z]{3,}ed)\b|\d"
)


def role_head(word: str) -> bool:
    """Whether a word can be the noun a role is built on ("director", "homeopath")."""
    low = word.lower().strip(".,")
    if low in _KIN_OR_VAGUE:
        return False
    return low in ROLE_WORDS or bool(_AGENT_END.fullmatch(low))


def title_before(before: str) -> str | None:
    """ "English captain Harry Kane", "Joint Council for the Welfare of Immigrants
    campaigner Caitlin Boswell", "immigration barrister Colin Yeo": a lower-case role
    noun right before the name, with the capitalised words (a body, a place) before it."""
    if not re.search(r"[a-z] $", before):
        return None
    words = before.split()
    if not words or not words[-1].islower() or not role_head(words[-1]):
        return None
    if words[-1].lower() not in ROLE_WORDS:
        return None  # before a name only a known role noun, not any "-er"
    role = [words[-1]]
    i = len(words) - 2
    # one lower-case modifier ("immigration barrister"), or two joined by "and"
    # ("interior and overseas minister"); never a verb ("to witness city mayor …")
    def modifier(k: int) -> bool:
        w = words[k] if k >= 0 else ""
        return (
            w.islower()
            and w.isalpha()
            and w not in _ROLE_STOP
            and w not in _PREPOSITIONS
            and not re.fullmatch(r"[a-z]+(?:ed|ly)", w)
        )

    if modifier(i):
        role.insert(0, words[i])
        i -= 1
        if i >= 1 and words[i] == "and" and modifier(i - 1):
            role[:0] = words[i - 1 : i + 1]
            i -= 2
    while i >= 0:
        w = words[i]
        if w.endswith((",", ".", ":", ";", ")", "”", '"')):
            break
        capitalised = w[:1].isupper() and w.lower() not in NOT_NAMES
        # "for the" inside a body's name ("Joint Board for the Care of Rivers")
        connector = (
            w in _ROLE_CONNECTORS
            and i > 0
            and (role[0][:1].isupper() or role[0] in _ROLE_CONNECTORS)
            and (words[i - 1][:1].isupper() or words[i - 1] in _ROLE_CONNECTORS)
        )
        if capitalised or connector:
            role.insert(0, w)
        else:
            # "former Everton striker": a modifier of the whole role before its body
            if w in _ROLE_MODIFIERS and role[0][:1].isupper():
                role.insert(0, w)
            break
        i -= 1
    while role and role[0] in _ROLE_CONNECTORS:
        role.pop(0)
    return " ".join(role) if role else None


def _apposition_after(after: str) -> str | None:
    """ "Kathryn Waters, director of the gallery, said", "Kevin Allton, a USI instructor
    in English, …": a role set off by commas right after the name."""
    # the role ends at a comma, at the end of the sentence, at a bracket or where a
    # relative clause opens ("…, a geologist at Lund University who was not …")
    m = re.match(
        r",\s+(?:(?:a|an|the)\s+)?([^,.;:()“”\"]{3,90}?)"
        r"(?:\s*(?:[,;(]|\.(?=\s|$)|$)|\s+(?=(?:who|which|whose)\b))",
        after,
    )
    if m is None:
        return None
    role = m.group(1).strip()
    words = role.split()
    if not 1 <= len(words) <= 10 or _NOT_IN_APPOSITION.search(role):
        return None
    if not (words[0].islower() or (len(words) > 1 and words[1].islower())):
        return None  # a role starts in lower case ("director of …", "USI instructor …")
    head = next(
        (i for i, w in enumerate(words) if w.lower() in {"of", "at", "in", "for", "to", "with"}),
        len(words),
    )
    last = words[head - 1].lower() if head else ""
    if not role_head(last) or last not in ROLE_WORDS:
        return None  # only a known role noun: "Per Lund, a teenager," is no role
    return role


def _apposition_before(before: str) -> str | None:
    """ "Malaysia's Prime Minister, Najib Razak said", "The secretary general of CEI
    (Italian Episcopal Conference), Nunzio Galantino, has …": a role phrase that opens
    its clause, then a comma, then the name."""
    m = re.search(r"(?:^|[.;:!?]\s+|,\s+|\n)([^,.;:!?\n]{3,100}),\s*$", before)
    if m is None:
        return None
    role = m.group(1).strip()
    role = re.sub(r"^(?:The|the)\s+", "", role)
    words = role.split()
    if not 1 <= len(words) <= 10 or _NOT_IN_APPOSITION.search(role):
        return None
    if words[0].lower() in _ROLE_STOP or re.fullmatch(r"[A-Za-z]+ing", words[0]):
        return None  # "According to …", "Discussing …"
    body = re.sub(r"\([^)]*\)", "", role).split()
    head = next(
        (i for i, w in enumerate(body) if w.lower() in {"of", "at", "in", "for", "to"}),
        len(body),
    )
    if head == 0 or body[head - 1].lower() not in ROLE_WORDS:
        return None
    if body[head - 1].lower().strip(".,") in _KIN_OR_VAGUE:
        return None
    return role


def _object_apposition(before: str, after: str) -> str | None:
    """ "The court sentenced the former head of the city's port, Per Lund, to …": a role
    phrase opened by an article inside a longer clause, with the name set off by commas
    on both sides."""
    if not after.startswith(","):
        return None
    m = re.search(r"(?:^|[.;:!?]\s+|,\s+|\n)([^,.;:!?\n]{3,160}),\s*$", before)
    if m is None:
        return None
    clause = m.group(1)
    for art in re.finditer(r"(?:^|\s)(?:the|a|an)\s+", clause):
        role = clause[art.end() :].strip()
        words = role.split()
        if not 1 <= len(words) <= 10 or _NOT_IN_APPOSITION.search(role):
            continue
        if not words[0].islower():
            return None  # "the Port of Oslo, Per Lund": a body, not a role
        head = next(
            (i for i, w in enumerate(words) if w.lower() in {"of", "at", "in", "for", "to"}),
            len(words),
        )
        last = words[head - 1].lower() if head else ""
        if last in ROLE_WORDS and last not in _KIN_OR_VAGUE:
            return role
        return None
    return None


# "X, who heads Y,": the verb of a post and the role noun it gives.
_POST_VERBS = {
    "heads": "head", "headed": "head", "leads": "leader", "led": "leader",
    "chairs": "chair", "chaired": "chair", "runs": "head", "ran": "head",
    "directs": "director", "directed": "director", "manages": "manager",
    "managed": "manager", "coaches": "coach", "coached": "coach", "captains": "captain",
    "captained": "captain", "founded": "founder", "co-founded": "co-founder",
    "edits": "editor", "edited": "editor",
}  # fmt: skip


def _who_holds(after: str) -> str | None:
    """ "Per Lund, who heads the Nordic Rail Union, said": the post a relative clause
    gives ("head of the Nordic Rail Union"); only when the clause names a body."""
    m = re.match(
        r",\s+who\s+(?:also\s+|now\s+|once\s+)?([a-z-]+)\s+(the\s+)?([^,.;:()“”\"]{3,80}?)"
        r"\s*(?:[,;(]|\.(?=\s|$)|$)",
        after,
    )
    if m is None or m.group(1) not in _POST_VERBS:
        return None
    body = m.group(3).strip()
    words = body.split()
    if not words or not words[0][:1].isupper() or len(words) > 8:
        return None  # "who runs a bakery": no named body, no post to ask about
    if any(w[:1].islower() and w not in _ROLE_CONNECTORS for w in words):
        return None
    return f"{_POST_VERBS[m.group(1)]} of {m.group(2) or ''}{body}"


def role_beside(before: str, after: str) -> str | None:
    """The first role written beside a name, given the text before and after it."""
    for role in (
        title_before(before),
        _object_apposition(before, after),
        _apposition_after(after),
        _who_holds(after),
    ):
        if role:
            return role
    return None


def written_beside(text: str, name: str) -> list[str]:
    """Roles written beside a person's full name: a role noun before it, or a role set
    off by commas before or after it."""
    out: list[str] = []
    for m in re.finditer(r"(?<![\w’'-])" + re.escape(name) + r"(?![\w’'-])", text):
        before = text[max(0, m.start() - 120) : m.start()]
        after = text[m.end() : m.end() + 120]
        for role in (
            title_before(before),
            _apposition_before(before),
            _apposition_after(after),
            _object_apposition(before, after),
            _who_holds(after),
        ):
            if role and role not in out:
                out.append(role)
    return out


def title_with_portfolio(text: str, name: str, role: str | None) -> str | None:
    """ "Māori Crown Relations — Te Arawhiti — Minister Kelvin Davis": a one-word title
    whose portfolio is written before it in capitalised words, between dashes or not,
    takes the portfolio ("Northern Rivers — Te Awa — Minister"); otherwise the role
    as it was."""
    if not role or len(role.split()) != 1 or not role[:1].isupper():
        return role
    m = re.search(
        r"((?:(?:[A-Z][\w’'.-]*|of|for|and|the)\s+|[—–]\s+){1,12})"
        + re.escape(role)
        + r"\s+"
        + re.escape(name)
        + r"(?![\w’'-])",
        text,
    )
    if m is None:
        return role
    words = m.group(1).split()
    # a sentence ends before the title ("… on Monday. Mayor Ola Berg")
    ends = [i for i, w in enumerate(words) if re.search(r"[a-z]{2}\.$", w)]
    if ends:
        words = words[ends[-1] + 1 :]
    lead = {"of", "for", "and", "the", "—", "–"}
    while words and (words[0] in lead or words[0].lower() in NOT_NAMES):
        words.pop(0)
    if not words or not (words[-1] in {"—", "–"} or words[-1][:1].isupper()):
        return role  # "Jon Berg and Minister …": a name before, not a portfolio
    if any(w in {"and"} for w in words) and not any(w in {"—", "–"} for w in words):
        return role
    return " ".join([*words, role])


# Words that end a company's name ("Nordic Air", "Brekke Shipping Ltd").
COMPANY_ENDINGS = word_set(
    """
    air airlines airways airline ltd plc inc corp corporation company co group holdings
    bank gmbh ag sa llc asa ab oy motors shipping dredging energy telecom pharma
    """
)
# First words that show a name has no first name ("Van Dijk", "Nordic Air").
_NO_FIRST_NAME = frozenset(
    [*NAME_PARTICLES, *PLACE_MODIFIERS, "nordic", "atlantic", "baltic", "pacific", "arctic",
     "global", "national", "international", "royal", "continental", "european", "american",
     "asian", "african", "scandinavian"]
)  # fmt: skip
# Nouns for people who work for a company: "a Van Roon executive".
_STAFF_NOUNS = (
    "executive|executives|employee|employees|engineer|engineers|manager|managers|"
    "official|officials|worker|workers|staff|director|directors|spokesman|spokeswoman|"
    "spokesperson|salesman|representative"
)
_CORPORATE_VERBS = "announced|announces|ordered|orders|reported|reports|posted|posts"


def organisation_in_text(text: str, name: str) -> bool:
    """Whether the text shows a name to be an organisation, not a person: it ends in a
    company word ("Nordic Air"), the text names it elsewhere with one ("Van Roon Ltd"),
    or it owns things as "it" does ("Van Roon replaced its sales team"). A name without
    a first name ("Van Roon") is an organisation also when people work for it ("a Van
    Roon executive"), it is "based in" a place, or it "announced", "ordered" or
    "reported" something."""
    words = name.split()
    if not words:
        return False
    if len(words) > 1 and words[-1].lower() in COMPANY_ENDINGS:
        return True
    n = re.escape(name)
    ends = "|".join(sorted(w.capitalize() for w in COMPANY_ENDINGS))
    # "Van Roon Ltd", "Van Roon Dredging Group"
    if re.search(rf"(?<![\w’'-]){n}\s+(?:[A-Z]\w+\s+)?(?:{ends})\b", text):
        return True
    # "Van Roon replaced its", "Van Roon has since replaced its", "Van Roon and its"
    if re.search(
        rf"(?<![\w’'-]){n}(?:\s+(?:has|had|will|would|also|since|then)){{0,3}}"
        rf"\s+(?:[a-z]+(?:ed|s)|and)\s+its\b",
        text,
    ):
        return True
    if words[0].lower() not in _NO_FIRST_NAME:
        return False
    return bool(
        re.search(rf"\b(?:a|an|the)\s+{n}\s+(?:{_STAFF_NOUNS})\b", text)
        or re.search(rf"(?<![\w’'-]){n},\s+based\s+in\b", text)
        or re.search(rf"(?<![\w’'-]){n}\s+(?:{_CORPORATE_VERBS})\b", text)
    )
