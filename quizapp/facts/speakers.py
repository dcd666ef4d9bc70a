"""Who is who among a deck's speakers: other names, and who speaks for whom.

A deck's ``[[speakers]]`` tables say that "Russia" and "the Kremlin" are other
names of "Moscow", and that "Grigory Karasin" speaks for "Moscow". The article
then attributes Karasin's words to Moscow too, so a question that asks for
Moscow's words must not offer Karasin's as wrong, and a learner who types
"the Kremlin" for Moscow is right. :class:`SpeakerRelations` answers these
questions for any written name; names are compared without case, accents,
punctuation or a leading "the".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from quizapp.facts.model import Deck, Speaker

_WORD_RE = re.compile(r"[^\W_]+")


def speaker_key(name: str) -> str:
    """The form of a speaker's name that comparisons use ("The Kremlin" -> "kremlin")."""
    text = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"'s\b", "", text).replace("'", "")
    words = _WORD_RE.findall(text)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


class SpeakerRelations:
    """The aliases and ``speaks_for`` relation of a deck's speakers, closed transitively."""

    def __init__(self, speakers: Iterable[Speaker]) -> None:
        """Index the speaker tables (names or aliases unknown to them stand for themselves)."""
        self._entity: dict[str, str] = {}
        self._names: dict[str, list[str]] = {}
        direct: dict[str, set[str]] = {}
        tables = list(speakers)
        for sp in tables:
            me = speaker_key(sp.name)
            for name in (sp.name, *sp.aliases):
                key = speaker_key(name)
                if key and key not in self._entity:
                    self._entity[key] = me
                    self._names.setdefault(me, []).append(name.strip())
        for sp in tables:
            me = self.entity(sp.name)
            for target in sp.speaks_for:
                other = self.entity(target)
                if other and other != me:
                    direct.setdefault(me, set()).add(other)
        # Transitive closure: whom each speaker speaks for, directly or not.
        self._up: dict[str, frozenset[str]] = {}
        for me in direct:
            seen: set[str] = set()
            todo = list(direct[me])
            while todo:
                cur = todo.pop()
                if cur in seen or cur == me:
                    continue
                seen.add(cur)
                todo.extend(direct.get(cur, ()))
            self._up[me] = frozenset(seen)
        down: dict[str, set[str]] = {}
        for me, ups in self._up.items():
            for other in ups:
                down.setdefault(other, set()).add(me)
        self._down = {k: frozenset(v) for k, v in down.items()}

    @classmethod
    def of(cls, deck: Deck) -> SpeakerRelations:
        """The relations a deck states."""
        return cls(deck.speakers)

    def __bool__(self) -> bool:
        """Whether any relation is known."""
        return bool(self._entity) or bool(self._up)

    def entity(self, name: str) -> str:
        """The key of the speaker ``name`` is a name of."""
        key = speaker_key(name)
        return self._entity.get(key, key)

    def entity_names(self, entity: str) -> tuple[str, ...]:
        """The names a speaker table gives the speaker with key ``entity`` (name first)."""
        return tuple(self._names.get(entity, ()))

    def knows(self, name: str) -> bool:
        """Whether a speaker table names ``name`` (as its name or an alias)."""
        return speaker_key(name) in self._entity

    def names(self, name: str) -> tuple[str, ...]:
        """Every name of the speaker ``name`` names, as written in the deck (with ``name``)."""
        own = self._names.get(self.entity(name), [])
        return tuple(dict.fromkeys([name.strip(), *own]))

    def same(self, a: str, b: str) -> bool:
        """Whether ``a`` and ``b`` are names of one speaker."""
        return bool(speaker_key(a)) and self.entity(a) == self.entity(b)

    def speaks_for(self, a: str, b: str) -> bool:
        """Whether ``a`` speaks for ``b`` (directly or through others)."""
        return self.entity(b) in self._up.get(self.entity(a), frozenset())

    def spoken_for(self, name: str) -> frozenset[str]:
        """The keys of the speakers ``name`` speaks for, directly or through others."""
        return self._up.get(self.entity(name), frozenset())

    def related_entities(self, name: str) -> frozenset[str]:
        """The keys of the speakers related to ``name`` (itself included): see :meth:`related`.

        ``name`` may be a speaker's key (as :meth:`entity` returns it) too.
        """
        me = self.entity(name)
        return frozenset({me}) | self._up.get(me, frozenset()) | self._down.get(me, frozenset())

    def related(self, a: str, b: str) -> bool:
        """Whether the article may attribute one's words to the other: same speaker,
        or one speaks for the other."""
        return self.same(a, b) or self.speaks_for(a, b) or self.speaks_for(b, a)
