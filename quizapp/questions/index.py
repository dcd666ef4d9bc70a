"""Indexes over a deck, built once, so that one question never scans all facts.

:class:`DeckIndex` groups facts by kind, unit, what they count, precision and
event; knows every person (speakers and people mentioned, with all their
written names and roles); and knows which quotation each fact lies in.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from quizapp.facts.bulk import gc_paused
from quizapp.facts.model import Deck, Fact, FactKind, Source
from quizapp.facts.speakers import SpeakerRelations, speaker_key
from quizapp.questions.dates import (
    DateStyle,
    PartialDate,
    detect_date_style,
    parse_iso_date,
    period,
    published_year,
)
from quizapp.questions.normalize import (
    STOPWORDS,
    TIME_WORDS,
    capitalise,
    clean_space,
    content_words,
    fold,
    norm_text,
    tokens,
    word_count,
    word_set,
)
from quizapp.questions.numbers import (
    NumberStyle,
    plausible_range,
    qualifier_kind,
    same_value,
    style_for,
)

SAMPLE_LIMIT = 24  # deck facts looked at per question when drawing distractors


_T = TypeVar("_T")


def _spread(items: list[_T], i: int, j: int, limit: int) -> list[_T]:
    """``items[i:j]``, thinned out evenly to at most ``limit`` entries."""
    if j - i <= limit:
        return items[i:j]
    step = (j - i) / limit
    return [items[i + int(k * step)] for k in range(limit)]


def _preferred(current: str | None, candidate: str) -> str:
    """Of two spellings of one name or role, the one to show, whatever the fact order.

    Accents win ("José" over "Jose"), then the alphabetically first.
    """
    if current is None or current == candidate:
        return candidate
    return min(current, candidate, key=lambda s: (s.isascii(), s))


def _longer(candidate: str, current: str) -> bool:
    """Whether ``candidate`` is the fuller name (longer, or equal and preferred)."""
    if len(candidate) != len(current):
        return len(candidate) > len(current)
    return _preferred(current, candidate) == candidate and candidate != current


_PARTICLES = word_set("de da di du del der den van von la le al el bin ibn ben dos das y")
_UNIT_ALIASES = {
    "percent": "%", "per cent": "%", "pct": "%", "percentage": "%",
    "$": "usd", "us$": "usd", "dollar": "usd", "dollars": "usd", "us dollars": "usd",
    "€": "eur", "euro": "eur", "euros": "eur", "£": "gbp", "pound": "gbp", "pounds": "gbp",
}  # fmt: skip


def unit_key(unit: str | None) -> str:
    """A unit's comparison key: "USD" = "$" = "dollars", "years" = "year", None = ""."""
    if not unit:
        return ""
    u = fold(unit).strip()
    u = _UNIT_ALIASES.get(u, u)
    if len(u) > 3 and u.endswith("s") and not u.endswith("ss"):
        u = u[:-1]
    return u


# Words that make a capitalised name an organisation's ("European Union", "Red Cross"):
# its last word is then no surname, and is not accepted alone for it.
ORGANISATION_WORDS = frozenset(
    [
        "union", "cross", "council", "institute", "institution", "organization", "organisation",
        "ministry", "committee", "bank", "party", "agency", "office", "court", "parliament",
        "assembly", "army", "forces", "university", "college", "school", "company", "group",
        "fund", "association", "commission", "service", "services", "department", "corporation",
        "inc", "ltd", "nations", "states", "federation", "republic", "kingdom", "government",
        "authorities", "watch", "foundation", "society", "league", "alliance", "front",
        "movement", "church", "club", "times", "post", "news", "network", "center", "centre",
        "hospital", "clinic", "police", "guard", "navy", "command", "board", "authority",
        "duma", "senate", "congress", "cabinet", "kremlin", "commonwealth", "community",
        "coalition", "house", "media",
    ]
)  # fmt: skip


def looks_like_person(name: str) -> bool:
    """Whether ``name`` reads as a personal name ("Nikol Pashinyan", not "Moscow" or
    "European Union")."""
    words = name.split()
    if len(words) < 2 or len(words) > 5:
        return False
    for w in words:
        lw = w.lower()
        if lw in ("and", "the", "of", "&") or lw.strip(".,") in ORGANISATION_WORDS:
            return False
        if not (w[:1].isupper() or lw in _PARTICLES):
            return False
    return True


#: Words that make a speaker's name a state, its government or a place standing for it
#: ("Russian Federation", "the Armenian authorities", "the Kremlin"), not an organisation.
STATE_WORDS = frozenset(
    [
        "federation", "republic", "kingdom", "states", "emirates", "government",
        "authorities", "kremlin", "cabinet", "administration",
    ]
)  # fmt: skip

PERSON_SORT = "person"
ORGANISATION_SORT = "organisation"
PLACE_SORT = "place"  # a state, its government, or a place standing for it ("Moscow")


def speaker_sort(names: Iterable[str], *, has_role: bool = False,
                 person_fact: bool = False) -> str:
    """Whether a speaker is a person, an organisation, or a state or place.

    ``names``: every name of the speaker (the deck's ``aliases`` included);
    ``has_role``: a fact gives the speaker a role ("Press Secretary of …");
    ``person_fact``: a person fact of the deck names them. A person fact, a name
    that reads as a personal name ("Nikol Pashinyan") or a role given to a name
    with no word of an institution ("Lula", "President of Brazil") make a
    person; a name with a word of an institution ("Caucasus Institute", "European
    Union") an organisation, unless the word is one of a state (:data:`STATE_WORDS`);
    anything else ("Moscow", "Paris and Washington", "Armenia") is a place.
    """
    written = [n for n in (clean_space(n) for n in names) if n]
    if person_fact or any(looks_like_person(n) for n in written):
        return PERSON_SORT
    words = {w.strip(".,").lower() for n in written for w in n.split()}
    if has_role and not words & (ORGANISATION_WORDS | STATE_WORDS) and all(
        " and " not in f" {n.lower()} " for n in written
    ):
        return PERSON_SORT
    if words & (ORGANISATION_WORDS - STATE_WORDS):
        return ORGANISATION_SORT
    return PLACE_SORT


def strip_article(text: str) -> str:
    """``text`` without a leading "the", "a" or "an"."""
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)


def role_key(role: str) -> str:
    """A role's comparison key (article, case and accents ignored)."""
    return norm_text(strip_article(role))


@dataclass(slots=True)
class Person:
    """One person (or organisation) of the deck, with every name and role written for it."""

    key: str
    display: str
    names: dict[str, str] = field(default_factory=dict)  # norm -> as written
    roles: dict[str, str] = field(default_factory=dict)  # role key -> as written
    role_words: list[frozenset[str]] = field(default_factory=list)
    is_person: bool = False
    is_speaker: bool = False
    sort: str = ""  # PERSON_SORT, ORGANISATION_SORT or PLACE_SORT (see speaker_sort)
    quote_ids: list[str] = field(default_factory=list)
    name_words: frozenset[str] = frozenset()  # content words of all names
    display_norm: str = ""

    @property
    def surname(self) -> str:
        """The last word of the name, folded ("" for organisations)."""
        if not self.is_person:
            return ""
        return norm_text(self.display).split()[-1]


@dataclass(frozen=True, slots=True)
class RoleEntry:
    """A distinct role of the deck and who holds it."""

    key: str
    display: str
    owners: frozenset[str]
    words: frozenset[str]
    primary: bool  # the main role of someone (a person fact's ``role``)
    shown: str  # as shown among choices (first letter upper-case)
    shown_norm: str


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A dated event that can stand on a timeline."""

    lo: int
    hi: int
    fact_id: str
    label: str
    label_key: str


#: The attributes of :class:`DeckIndex` that are computed on first use, by part.
_LAZY_PARTS: dict[str, tuple[str, ...]] = {
    # people, quotations and which quotation holds a fact (quotes fill people's quote_ids)
    "people": (
        "_alias", "people", "surname_count", "roles", "role_lengths", "role_owners", "speakers",
        "non_speakers", "quote_words", "quote_norm", "quote_person", "text_people",
        "quotes_by_length", "quote_lengths", "container", "relations", "_entity_people",
        "_person_entity",
    ),
    "numbers": (
        "unit_of", "comparable_key", "exact_values", "exact_value_list", "bounds", "comparable",
        "group_values", "_styles",
    ),
    "dates": (
        "date_of", "event_keys", "date_period", "_date_styles", "date_pools", "date_pool_keys",
        "event_periods", "event_monthdays", "events", "event_los", "event_pos",
    ),
}  # fmt: skip
_PART_OF = {name: part for part, names in _LAZY_PARTS.items() for name in names}


class _FetchedFacts(dict[str, Fact]):
    """Facts by id; an id not held yet is fetched once (``fetch`` returns None: no such fact).

    ``in`` and iteration see only the facts held so far.
    """

    def __init__(self, facts: dict[str, Fact], fetch: Callable[[str], Fact | None]) -> None:
        super().__init__(facts)
        self._fetch = fetch
        self._absent: set[str] = set()

    def __missing__(self, key: str) -> Fact:
        if key in self._absent:
            raise KeyError(key)
        fact = self._fetch(key)
        if fact is None:
            self._absent.add(key)
            raise KeyError(key)
        self[key] = fact
        return fact

    def get(self, key: str, default: Fact | None = None) -> Fact | None:  # type: ignore[override]
        try:
            return self[key]
        except KeyError:
            return default


class DeckIndex:
    """Everything question building needs to look up, computed once per deck.

    Facts by id and by kind are indexed at once; the people, number and date
    parts are built the first time one of their attributes is read, so a deck
    of Q/A notes (or the first question of any deck) does not pay for parts it
    does not use. What a part holds does not depend on when it is built.
    """

    def __init__(self, deck: Deck, fetch: Callable[[str], Fact | None] | None = None) -> None:
        """``fetch``: where a Q/A fact left out of ``deck`` is found by id (see QuestionBuilder)."""
        self.deck = deck
        facts = {f.id: f for f in deck.facts}
        if len(facts) != len(deck.facts):  # a repeated id: the first fact with it counts
            facts = {}
            for f in deck.facts:
                facts.setdefault(f.id, f)
        self.facts: dict[str, Fact] = facts if fetch is None else _FetchedFacts(facts, fetch)
        self.sources: dict[str, Source] = {s.id: s for s in deck.sources}
        self.by_kind: dict[FactKind, list[str]] = defaultdict(list)
        for f in facts.values():
            self.by_kind[f.kind].append(f.id)
        self._building: set[str] = set()

    def __getattr__(self, name: str) -> object:
        """Build the lazy part that ``name`` belongs to, then return it."""
        part = _PART_OF.get(name)
        if part is None or part in self._building:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        self._building.add(part)
        try:
            with gc_paused():  # many small objects, no reference cycles
                self._build_part(part)
        finally:
            self._building.discard(part)
        return self.__dict__[name]

    def _build_part(self, part: str) -> None:
        if part == "people":
            self._build_people()
            self._build_quotes()
            self._build_containers()
        elif part == "numbers":
            self._build_numbers()
        else:
            self._build_dates()

    # ------------------------------------------------------------------ people

    def _build_people(self) -> None:
        people: dict[str, Person] = {}
        key_of_fact: dict[str, str] = {}
        name_keys: dict[str, str] = {}  # norm_text of each name (speakers recur)
        for f in self.facts.values():
            if f.kind is FactKind.PERSON:
                name = (f.name or "").strip()
            elif f.kind is FactKind.QUOTE:
                name = (f.speaker or "").strip()
            else:
                continue
            key = name_keys.get(name)
            if key is None:
                key = name_keys[name] = norm_text(name)
            if not key:
                continue
            key_of_fact[f.id] = key
            person = people.get(key)
            if person is None:
                person = Person(key=key, display=name, is_person=looks_like_person(name))
                people[key] = person
            person.names[key] = _preferred(person.names.get(key), name)
            if _longer(name, person.display):
                person.display = name
            if f.kind is FactKind.QUOTE:
                person.is_speaker = True
        # A one-word name ("Pashinyan") is the person whose surname it is, when only one is.
        by_surname: dict[str, list[str]] = defaultdict(list)
        for key, p in people.items():
            if p.is_person:
                by_surname[key.split()[-1]].append(key)
        self._alias: dict[str, str] = {key: key for key in people}
        for key, p in list(people.items()):
            owners = by_surname.get(key, [])
            if not p.is_person and " " not in key and len(owners) == 1:
                target = people[owners[0]]
                target.names.update(p.names)
                target.is_speaker = target.is_speaker or p.is_speaker
                self._alias[key] = target.key
                del people[key]
        self._apply_speaker_tables(people)
        self.people = people
        self.surname_count: dict[str, int] = defaultdict(int)
        for p in people.values():
            p.name_words = frozenset(
                w
                for name in p.names.values()
                for w in tokens(name)
                if w not in STOPWORDS and len(w) > 2
            )
            p.display_norm = norm_text(p.display)
            if p.is_person:
                self.surname_count[p.surname] += 1
        # Roles, and which of them are someone's main role.
        holders = {fid: people[self._alias[key]] for fid, key in key_of_fact.items()}
        with_person_fact = {
            holders[fid].key for fid in self.by_kind[FactKind.PERSON] if fid in holders
        }
        primary: set[str] = set()
        role_keys: dict[str, str] = {}  # role_key of each role as written (roles recur)
        for fid, holder in holders.items():
            f = self.facts[fid]
            roles = [f.role, *f.roles] if f.kind is FactKind.PERSON else [f.role]
            for i, role in enumerate(roles):
                if role:
                    rk = role_keys.get(role)
                    if rk is None:
                        rk = role_keys[role] = role_key(role)
                else:
                    rk = ""
                if not rk or role is None:
                    continue
                holder.roles[rk] = _preferred(holder.roles.get(rk), role.strip())
                main = f.kind is FactKind.PERSON or holder.key not in with_person_fact
                if i == 0 and main:
                    primary.add(rk)
        role_owners: dict[str, set[str]] = defaultdict(set)
        role_display: dict[str, str] = {}
        for p in people.values():
            p.roles = dict(sorted(p.roles.items()))
            p.role_words = [content_words(r) for r in p.roles.values()]
            for rk, rd in p.roles.items():
                role_owners[rk].add(p.key)
                role_display[rk] = _preferred(role_display.get(rk), rd)
        self.roles: list[RoleEntry] = sorted(
            (
                RoleEntry(
                    rk,
                    role_display[rk],
                    frozenset(owners),
                    content_words(role_display[rk]),
                    rk in primary,
                    capitalise(clean_space(role_display[rk])),
                    norm_text(role_display[rk]),
                )
                for rk, owners in role_owners.items()
            ),
            key=lambda r: (len(r.display), r.key),
        )
        self.role_lengths = [len(r.display) for r in self.roles]
        self.role_owners = {rk: frozenset(o) for rk, o in role_owners.items()}
        for p in people.values():
            p.sort = speaker_sort(p.names.values(), has_role=bool(p.roles),
                                  person_fact=p.key in with_person_fact or p.is_person)
        ordered = sorted(people.values(), key=lambda p: p.key)
        self.speakers: list[Person] = [p for p in ordered if p.is_speaker]
        self.non_speakers: list[Person] = [p for p in ordered if not p.is_speaker]

    def _apply_speaker_tables(self, people: dict[str, Person]) -> None:
        """Fold a speaker's other names (the deck's ``[[speakers]]`` aliases) into one person.

        Every name of a speaker becomes a name of its person, so that a learner may
        type any of them and no question offers two names of one speaker. The
        ``speaks_for`` relation is kept per person for :meth:`related_people`.
        """
        rel = SpeakerRelations.of(self.deck)
        self.relations = rel
        self._entity_people: dict[str, list[str]] = defaultdict(list)
        self._person_entity: dict[str, str] = {}
        if not rel:
            return
        groups: dict[str, list[str]] = defaultdict(list)
        for key, p in people.items():
            # The speaker table may use any of the person's names ("Pashinyan").
            known = next((n for n in (p.display, *p.names.values()) if rel.knows(n)), p.display)
            groups[rel.entity(known)].append(key)
        for entity, keys in groups.items():
            keys.sort(key=lambda k: (speaker_key(people[k].display) != entity, k))
            target = people[keys[0]]
            for key in keys[1:]:
                other = people.pop(key)
                target.names.update(other.names)
                target.is_speaker = target.is_speaker or other.is_speaker
                target.is_person = target.is_person or other.is_person
                for alias, aliased in self._alias.items():
                    if aliased == key:
                        self._alias[alias] = target.key
            for name in rel.entity_names(entity):
                folded = norm_text(name)
                if folded and folded not in self._alias:
                    target.names[folded] = name
                    self._alias[folded] = target.key
            self._entity_people[entity].append(target.key)
            self._person_entity[target.key] = entity

    def related_people(self, person: Person) -> frozenset[str]:
        """Keys of the people whose words the article may also give ``person`` (and vice
        versa): ``person`` itself, whom they speak for, and who speaks for them."""
        entity = self._person_entity.get(person.key)
        if entity is None:
            return frozenset({person.key})
        return frozenset(
            {person.key}
            | {
                k
                for e in self.relations.related_entities(entity)
                for k in self._entity_people.get(e, ())
            }
        )

    def speaks_for_names(self, person: Person) -> tuple[str, ...]:
        """Every name of the speakers ``person`` speaks for ("Moscow", "Russia" for Karasin).

        The article gives their words to those speakers too, so a learner who types one
        of these names for ``person``'s words is partly right. The other way round is
        not: Moscow's own statements are not Karasin's.
        """
        entity = self._person_entity.get(person.key)
        if entity is None:
            return ()
        names: list[str] = []
        for other in sorted(self.relations.spoken_for(entity)):
            for key in self._entity_people.get(other, ()):
                names += [*self.accepted_names(self.people[key]), *self.people[key].names.values()]
            names += self.relations.entity_names(other)  # also when no fact quotes them
        return tuple(dict.fromkeys(names))

    def person_of(self, name: str | None) -> Person | None:
        """The person a written name stands for."""
        if not name:
            return None
        key = self._alias.get(norm_text(name))
        return self.people.get(key) if key is not None else None

    def accepted_names(self, person: Person) -> tuple[str, ...]:
        """Every name a learner may type for ``person`` (surname alone when unambiguous)."""
        names = [person.display]
        names += sorted(
            n for n in person.names.values() if norm_text(n) != norm_text(person.display)
        )
        if person.is_person and self.surname_count.get(person.surname, 0) == 1:
            last = person.display.split()[-1]
            if norm_text(last) not in {norm_text(n) for n in names}:
                names.append(last)
        return tuple(dict.fromkeys(names))

    def known_names(self) -> tuple[str, ...]:
        """Every name written in the deck."""
        return tuple(n for p in self.people.values() for n in p.names.values())

    # ------------------------------------------------------------------ quotes

    def _build_quotes(self) -> None:
        self.quote_words: dict[str, int] = {}
        self.quote_norm: dict[str, str] = {}
        self.quote_person: dict[str, str] = {}
        text_people: dict[str, set[str]] = defaultdict(set)
        for fid in self.by_kind[FactKind.QUOTE]:
            f = self.facts[fid]
            person = self.person_of(f.speaker)
            if person is None or not f.text.strip():
                continue
            person.quote_ids.append(fid)
            self.quote_words[fid] = word_count(f.text)
            self.quote_norm[fid] = norm_text(f.text)
            self.quote_person[fid] = person.key
            text_people[self.quote_norm[fid]].add(person.key)
        self.text_people = {k: frozenset(v) for k, v in text_people.items()}
        self.quotes_by_length: list[tuple[int, str]] = sorted(
            (w, fid) for fid, w in self.quote_words.items()
        )
        self.quote_lengths = [w for w, _ in self.quotes_by_length]

    # ------------------------------------------------------------------ containment

    def _build_containers(self) -> None:
        spans: dict[str | None, list[tuple[int, int, str]]] = defaultdict(list)
        for fid in self.quote_person:
            f = self.facts[fid]
            if f.start is not None and f.end is not None and f.source_id is not None:
                spans[f.source_id].append((f.start, f.end, fid))
        for lst in spans.values():
            lst.sort()
        starts = {src: [s for s, _, _ in lst] for src, lst in spans.items()}
        self.container: dict[str, str] = {}
        for f in self.facts.values():
            if f.start is None or f.end is None or f.source_id not in spans:
                continue
            lst = spans[f.source_id]
            i = bisect.bisect_right(starts[f.source_id], f.start)
            best: tuple[int, int, str] | None = None
            for s, e, qid in reversed(lst[max(0, i - 64) : i]):
                if qid == f.id or e < f.end or (s, e) == (f.start, f.end):
                    continue
                if best is None or e - s < best[1] - best[0]:
                    best = (s, e, qid)
            if best is not None:
                self.container[f.id] = best[2]

    # ------------------------------------------------------------------ numbers

    def _build_numbers(self) -> None:
        self.unit_of: dict[str, str] = {}
        self.comparable_key: dict[str, tuple[str, frozenset[str]]] = {}
        exact: dict[str, list[tuple[float, str]]] = defaultdict(list)
        bounds: dict[tuple[str, frozenset[str]], list[tuple[float, float]]] = defaultdict(list)
        groups: dict[tuple[str, frozenset[str]], list[str]] = defaultdict(list)
        for fid in self.by_kind[FactKind.NUMBER]:
            f = self.facts[fid]
            if not isinstance(f.value, int | float) or isinstance(f.value, bool):
                continue
            value = float(f.value)
            uk = unit_key(f.unit)
            self.unit_of[fid] = uk
            words = content_words(f.counts or "", drop=TIME_WORDS)
            if qualifier_kind(f.qualifier) == "exact":
                exact[uk].append((value, fid))
            elif words:
                # A bound ("more than 50%") makes values true only for the same
                # quantity: the same unit and the same counted thing.
                r = plausible_range(value, f.qualifier, uk)
                bounds[(uk, words)].append((r.lo, r.hi))
            if words:
                key = (uk, words)
                self.comparable_key[fid] = key
                groups[key].append(fid)
        self.exact_values: dict[str, list[tuple[float, str]]] = {
            uk: sorted(v) for uk, v in exact.items()
        }
        self.exact_value_list = {uk: [v for v, _ in lst] for uk, lst in self.exact_values.items()}
        self.bounds: dict[tuple[str, frozenset[str]], tuple[list[float], list[float]]] = {}
        for bound_key, intervals in bounds.items():
            merged: list[list[float]] = []
            for lo, hi in sorted(intervals):
                if merged and lo <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], hi)
                else:
                    merged.append([lo, hi])
            self.bounds[bound_key] = ([m[0] for m in merged], [m[1] for m in merged])
        self.comparable: dict[tuple[str, frozenset[str]], list[str]] = {
            key: sorted(fids) for key, fids in groups.items()
        }
        self.group_values: dict[tuple[str, frozenset[str]], list[float]] = {
            key: sorted(float(self.facts[fid].number_value) for fid in fids)
            for key, fids in groups.items()
            if len(fids) > 1
        }
        self._styles: dict[str, NumberStyle] = {}

    def number_style(self, fact_id: str) -> NumberStyle:
        """The style of a number fact's text (cached)."""
        style = self._styles.get(fact_id)
        if style is None:
            f = self.facts[fact_id]
            style = style_for(f.text, f.number_value, f.unit, f.qualifier)
            self._styles[fact_id] = style
        return style

    def number_is_true(self, fact_id: str, value: float) -> bool:
        """Whether ``value`` is true, as an answer to this fact's question, by any deck fact.

        True when the fact itself allows it (qualifier bounds included), when a
        bounded fact of the same quantity (same unit, same counted thing) allows
        it ("more than 50%" of a share makes 60% of that share true, not 60% of
        another share), or when a fact counting the same kind of thing has that
        value.
        """
        f = self.facts[fact_id]
        uk = self.unit_of[fact_id] if fact_id in self.unit_of else unit_key(f.unit)
        if value in plausible_range(f.number_value, f.qualifier, uk):
            return True
        if same_value(value, f.number_value):
            return True
        key = self.comparable_key.get(fact_id)
        if key is not None and key in self.bounds:
            los, his = self.bounds[key]
            i = bisect.bisect_right(los, value) - 1
            if i >= 0 and value <= his[i]:
                return True
        values = self.group_values.get(key) if key else None
        if values:
            i = bisect.bisect_left(values, value * (0.995 if value >= 0 else 1.005))
            if i < len(values) and same_value(values[i], value):
                return True
            if i + 1 < len(values) and same_value(values[i + 1], value):
                return True
        return False

    def exact_values_between(
        self, unit: str, lo: float, hi: float, limit: int = SAMPLE_LIMIT
    ) -> list[tuple[float, str]]:
        """Values of unqualified number facts of ``unit`` in [lo, hi], ascending.

        At most ``limit`` of them, spread evenly over the range, so that a large deck
        costs no more than a small one.
        """
        values = self.exact_value_list.get(unit)
        if not values:
            return []
        i = bisect.bisect_left(values, lo)
        j = bisect.bisect_right(values, hi)
        return _spread(self.exact_values[unit], i, j, limit)

    # ------------------------------------------------------------------ dates

    def _build_dates(self) -> None:
        self.date_of: dict[str, PartialDate] = {}
        self.event_keys: dict[str, str] = {}
        self.date_period: dict[str, tuple[int, int]] = {}
        self._date_styles: dict[str, DateStyle] = {}
        pools: dict[str, list[tuple[int, str]]] = defaultdict(list)
        event_periods: dict[str, list[tuple[int, int]]] = defaultdict(list)
        event_monthdays: dict[str, set[tuple[int, int]]] = defaultdict(set)
        events: list[TimelineEvent] = []
        for fid in self.by_kind[FactKind.DATE]:
            f = self.facts[fid]
            if not isinstance(f.value, str):
                continue
            try:
                d = parse_iso_date(f.value)
            except ValueError:
                continue
            self.date_of[fid] = d
            year = self.published_year(f)
            p = period(d, year)
            if p is not None:
                self.date_period[fid] = p
            if d.precision in ("day", "monthday") and p is not None:
                pools["day"].append((p[0], fid))
            elif d.precision == "month" and p is not None:
                pools["month"].append((p[0], fid))
            elif d.precision == "year" and d.year is not None:
                pools["year"].append((d.year, fid))
            ek = self.event_key(f)
            self.event_keys[fid] = ek
            if ek:
                if p is not None:
                    event_periods[ek].append(p)
                if d.month is not None and d.day is not None:
                    event_monthdays[ek].add((d.month, d.day))
            if f.event and norm_text(f.event) and p is not None:
                events.append(TimelineEvent(p[0], p[1], fid, f.event.strip(), norm_text(f.event)))
        self.date_pools = {k: sorted(v) for k, v in pools.items()}
        self.date_pool_keys = {k: [x for x, _ in v] for k, v in self.date_pools.items()}
        self.event_periods = dict(event_periods)
        self.event_monthdays = dict(event_monthdays)
        events.sort(key=lambda e: (e.lo, e.hi, e.fact_id))
        self.events = events
        self.event_los = [e.lo for e in events]
        self.event_pos = {e.fact_id: i for i, e in enumerate(events)}

    def published_year(self, fact: Fact) -> int | None:
        """The publication year of a fact's source, if recorded."""
        source = self.sources.get(fact.source_id) if fact.source_id else None
        return published_year(source.published) if source else None

    def date_style(self, fact_id: str) -> DateStyle:
        """The style of a date fact's text (cached)."""
        style = self._date_styles.get(fact_id)
        if style is None:
            style = detect_date_style(self.facts[fact_id].text)
            self._date_styles[fact_id] = style
        return style

    @staticmethod
    def event_key(fact: Fact) -> str:
        """What a date fact dates: its event label, else its question."""
        return norm_text(fact.event or fact.stem or "")

    def date_is_true(self, fact_id: str, candidate: PartialDate, fallback_year: int | None) -> bool:
        """Whether ``candidate`` is true for this fact's event by any fact of the deck."""
        ek = self.event_keys.get(fact_id, "")
        own = self.date_of[fact_id]
        if candidate == own:
            return True
        if ek:
            monthday = (candidate.month, candidate.day)
            if candidate.day is not None and monthday in self.event_monthdays.get(ek, ()):
                return True
            p = period(candidate, fallback_year)
            if p is not None:
                for lo, hi in self.event_periods.get(ek, ()):
                    if p[0] <= hi and lo <= p[1]:
                        return True
        return False

    def dates_between(
        self, pool: str, lo: int, hi: int, limit: int = SAMPLE_LIMIT
    ) -> list[tuple[int, str]]:
        """Date facts of a precision pool whose key lies in [lo, hi] (at most ``limit``)."""
        keys = self.date_pool_keys.get(pool)
        if not keys:
            return []
        i = bisect.bisect_left(keys, lo)
        j = bisect.bisect_right(keys, hi)
        return _spread(self.date_pools[pool], i, j, limit)

    # ------------------------------------------------------------------ text

    def sentence_of(self, fact: Fact) -> tuple[str, int] | None:
        """The evidence sentence of a fact and where it starts in the source."""
        if fact.sentence is not None and fact.sentence_start is not None:
            return fact.sentence, fact.sentence_start
        source = self.sources.get(fact.source_id) if fact.source_id else None
        if source is None or fact.start is None or fact.end is None:
            return None
        from quizapp.facts.text import sentence_bounds

        s, e = sentence_bounds(source.text, fact.start, fact.end)
        return source.text[s:e], s
