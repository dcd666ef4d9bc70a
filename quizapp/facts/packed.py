"""Question/answer facts packed into one buffer: what large imports hold in memory.

A :class:`~quizapp.facts.model.Fact` object with its strings costs about five
times the text it holds (a million rows of a 100 MB spreadsheet take over
500 MB). :class:`QAFactPacker` appends each fact's id, front, back and tag
list to one UTF-8 buffer instead, and :class:`PackedFacts` is the tuple of
facts a :class:`~quizapp.facts.model.Deck` holds: it makes each ``Fact`` when
it is read (by index or in order), so memory stays close to the text's size.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, SupportsIndex, overload

from quizapp.facts.model import Fact, FactKind


class QAFactPacker:
    """Collects Q/A facts compactly; :meth:`facts` gives them as :class:`PackedFacts`."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._ends = array("Q")  # three per fact: where its id, front and back end
        self._tag_index = array("I")
        self._tag_lists: list[tuple[str, ...]] = []
        self._tag_ids: dict[tuple[str, ...], int] = {}
        self._media_index = array("I")  # the fact's media names, as the tag lists
        self._media_lists: list[tuple[str, ...]] = []
        self._media_ids: dict[tuple[str, ...], int] = {}
        self.text_chars = 0  # characters of fronts and backs so far

    def __len__(self) -> int:
        return len(self._tag_index)

    def add(self, fact_id: str, front: str, back: str, tags: tuple[str, ...],
            media: tuple[str, ...] = ()) -> None:
        """Append one Q/A fact (``media``: the names of the files it shows)."""
        buf = self._buf  # a bytearray: += appends in place
        buf += fact_id.encode("utf-8", "surrogatepass")
        end_id = len(buf)
        buf += front.encode("utf-8", "surrogatepass")
        end_front = len(buf)
        buf += back.encode("utf-8", "surrogatepass")
        self._ends.extend((end_id, end_front, len(buf)))
        tag_id = self._tag_ids.get(tags)
        if tag_id is None:
            tag_id = self._tag_ids[tags] = len(self._tag_lists)
            self._tag_lists.append(tags)
        self._tag_index.append(tag_id)
        media_id = self._media_ids.get(media)
        if media_id is None:
            media_id = self._media_ids[media] = len(self._media_lists)
            self._media_lists.append(media)
        self._media_index.append(media_id)
        self.text_chars += len(front) + len(back)

    def media_names(self) -> set[str]:
        """Every media name a fact collected so far shows."""
        return {name for names in self._media_lists for name in names}

    def keep_media(self, names: dict[str, str]) -> None:
        """Keep the media names that are keys of ``names``, each as its value; drop the others."""
        self._media_lists = [tuple(dict.fromkeys(names[n] for n in lst if n in names))
                             for lst in self._media_lists]

    def facts(self) -> PackedFacts:
        """The facts collected, in order (the packer must not be used afterwards)."""
        return PackedFacts(bytes(self._buf), self._ends, self._tag_index, self._tag_lists,
                           self._media_index, self._media_lists)


class PackedFacts(tuple[Fact, ...]):
    """A tuple of Q/A facts kept packed; each ``Fact`` is made when it is read.

    It is a ``tuple`` for every reader of ``Deck.facts`` (indexing, slices,
    ``len``, iteration, equality); the underlying tuple object is empty.
    """

    _buf: bytes
    _ends: array[int]
    _tag_index: array[int]
    _tag_lists: list[tuple[str, ...]]
    _media_index: array[int] | None
    _media_lists: list[tuple[str, ...]]

    def __new__(
        cls,
        buf: bytes,
        ends: array[int],
        tag_index: array[int],
        tag_lists: list[tuple[str, ...]],
        media_index: array[int] | None = None,
        media_lists: list[tuple[str, ...]] | None = None,
    ) -> PackedFacts:
        self = super().__new__(cls, ())
        self._buf = buf
        self._ends = ends
        self._tag_index = tag_index
        self._tag_lists = tag_lists
        self._media_index = media_index
        self._media_lists = media_lists or []
        return self

    def __len__(self) -> int:
        return len(self._tag_index)

    def __bool__(self) -> bool:
        return len(self._tag_index) > 0

    def _fact(self, i: int) -> Fact:
        ends, buf = self._ends, self._buf
        k = 3 * i
        start = ends[k - 1] if k else 0
        fact_id = buf[start : ends[k]].decode("utf-8", "surrogatepass")
        front = buf[ends[k] : ends[k + 1]].decode("utf-8", "surrogatepass")
        back = buf[ends[k + 1] : ends[k + 2]].decode("utf-8", "surrogatepass")
        return Fact(
            id=fact_id,
            kind=FactKind.QA,
            front=front,
            back=back,
            tags=self._tag_lists[self._tag_index[i]],
            media=self._media_lists[self._media_index[i]] if self._media_index else (),
        )

    def ids(self) -> Iterator[str]:
        """Every fact's id, in order (only the ids are decoded)."""
        ends, buf = self._ends, self._buf
        start = 0
        for k in range(0, len(ends), 3):
            yield buf[start : ends[k]].decode("utf-8", "surrogatepass")
            start = ends[k + 2]

    def parts(self, positions: Iterable[int], tag_values: Sequence[Any],
              media_values: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """The facts at ``positions`` as plain values, without making a :class:`Fact`.

        Each is ``(position, id, front, back, tags, media)``, where ``tags`` is
        ``tag_values[n]`` for the fact's tag list ``tag_lists[n]`` (and media
        alike, ``media_values[-1]`` for a fact with no media list): many facts
        share one list, so a caller converts each list once.
        """
        ends, buf = self._ends, self._buf
        tag_index, media_index = self._tag_index, self._media_index
        for i in positions:
            k = 3 * i
            start = ends[k - 1] if k else 0
            yield (
                i,
                buf[start : ends[k]].decode("utf-8", "surrogatepass"),
                buf[ends[k] : ends[k + 1]].decode("utf-8", "surrogatepass"),
                buf[ends[k + 1] : ends[k + 2]].decode("utf-8", "surrogatepass"),
                tag_values[tag_index[i]],
                media_values[media_index[i] if media_index else -1],
            )

    @property
    def tag_lists(self) -> list[tuple[str, ...]]:
        """The distinct tag lists, numbered as :meth:`parts` reads them."""
        return self._tag_lists

    @property
    def media_lists(self) -> list[tuple[str, ...]]:
        """The distinct media name lists, numbered as :meth:`parts` reads them."""
        return self._media_lists

    @overload
    def __getitem__(self, index: SupportsIndex) -> Fact: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Fact, ...]: ...
    def __getitem__(self, index: SupportsIndex | slice) -> Fact | tuple[Fact, ...]:
        if isinstance(index, slice):
            return tuple(self._fact(i) for i in range(*index.indices(len(self))))
        i = index.__index__()
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("fact index out of range")
        return self._fact(i)

    def __iter__(self) -> Iterator[Fact]:
        for i in range(len(self)):
            yield self._fact(i)

    def __contains__(self, item: object) -> bool:
        return any(f == item for f in self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, tuple):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __add__(self, other: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(self) + other

    def __radd__(self, other: tuple[Any, ...]) -> tuple[Any, ...]:
        return other + tuple(self)

    def index(self, value: Any, start: SupportsIndex = 0, stop: SupportsIndex = 2**62) -> int:
        return tuple(self).index(value, start, stop)

    def count(self, value: Any) -> int:
        return sum(1 for f in self if f == value)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"PackedFacts({len(self)} facts)"

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (tuple(self),))
