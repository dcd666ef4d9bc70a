"""Articles among the files to import: telling prose from tables, and reviewing found facts.

An article (.txt, .md or .html) is not a deck: its facts are found
automatically (:mod:`quizapp.extract`) and a teacher checks them before they
become one. This module holds the Qt-free half of that:

- :func:`looks_like_article` chooses by extension *and* content. ``.md`` and
  ``.html`` files are articles unless they are clearly something else (a zip
  archive, a deck file, a delimited table); a ``.txt`` file is an article when
  its lines are prose (long lines of sentences) rather than rows split by a
  separator that recurs the same number of times on most lines.
- :class:`ArticleReview` keeps the teacher's decisions: each found fact is
  undecided, accepted or rejected; edits and added facts go through the deck
  loader's own validation (:func:`quizapp.facts.deckfile.parse_deck_text` on the
  text :func:`quizapp.browse.deck_toml` renders), so a fact that passes here
  passes an import of the same deck file. :meth:`ArticleReview.build_deck`
  validates the accepted facts as one deck.
- :func:`load_article` is the importer's entry point: it refuses with
  :class:`ArticleReviewNeededError` (a :class:`DeckFileError`) unless the caller
  asks to accept every fact unreviewed; :func:`write_review_file` writes the
  found facts to a deck file for review by hand.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from quizapp.facts.deckfile import DeckFileError, Problem
from quizapp.facts.model import HOLD_PENDING, Deck, Fact, Source
from quizapp.importers.common import ImportResult, Progress, deck_id_for, refuse

#: Files that are articles unless their content says otherwise.
ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".xhtml"})
#: Files that may hold an article or a table: the content decides.
PROSE_OR_TABLE_SUFFIXES = frozenset({".txt", ".text"})
SAMPLE_BYTES = 64 * 1024
SAMPLE_LINES = 200

_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"SQLite format 3\x00")
_TOML_DECK_RE = re.compile(r"^\s*(?:format\s*=\s*\d|\[\[facts\]\])", re.MULTILINE)
_ANKI_HEADER_RE = re.compile(
    r"^#(?:separator|html|tags|columns|notetype|deck|guid column|notetype column|"
    r"deck column|tags column|if matches)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
# A sentence ends: . ! ? (and closing quotes or brackets), then a capital or the line's end.
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9]|\s*$)")
_SEPARATORS = ("\t", ";", "|", ",")
_COLUMN_NAMES = frozenset(
    {
        "front",
        "back",
        "question",
        "answer",
        "term",
        "definition",
        "id",
        "guid",
        "tags",
        "tag",
        "deck",
        "notetype",
        "note type",
    }
)
_MARKDOWN_RULE_RE = re.compile(r"^\s*\|?\s*:?-{3,}")


# --------------------------------------------------------------------------
# Article or table?


def looks_like_article(path: Path) -> bool:
    """Whether ``path`` is an article to find facts in, rather than a deck or a table.

    ``.md``/``.html`` are articles unless clearly something else; ``.txt`` is
    one when most of its lines read as sentences and no separator splits its
    lines into the same number of fields. Unreadable files are not articles
    (the deck importers report why they cannot be read).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES and suffix not in PROSE_OR_TABLE_SUFFIXES:
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(SAMPLE_BYTES)
    except OSError:
        return False
    if head.startswith(_MAGIC):
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:4096]:
        return False  # UTF-16 text comes from spreadsheets; NUL bytes from binary files
    text = head.decode("utf-8-sig", errors="replace")
    if _TOML_DECK_RE.search(text) or _ANKI_HEADER_RE.search(text[:4096]):
        return False
    if suffix in {".html", ".htm", ".xhtml"}:
        return True
    verdict, separator = _verdict(text)
    if suffix in ARTICLE_SUFFIXES:
        # Markdown: an article unless it is a pipe (or tab) table without prose; commas in
        # a bulleted list ("- Paris, France") make no table.
        return not (
            verdict == "table"
            and separator in {"|", "\t", ";"}
            and not any(_is_prose(line) for line in text.splitlines())
        )
    return verdict == "prose"


def prose_or_table(text: str) -> str:
    """``prose``, ``table`` or ``unclear``: what the lines of a text look like."""
    return _verdict(text)[0]


def _verdict(text: str) -> tuple[str, str | None]:
    """What the lines look like, and the separator that splits them alike (if any)."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")][:SAMPLE_LINES]
    if not lines:
        return "unclear", None
    n = len(lines)
    prose = sum(1 for line in lines if _is_prose(line))
    multi = sum(1 for line in lines if _is_prose(line, words=25, sentences=2))
    separator, share = _table_separator(lines)
    if separator is not None:
        first = [f.strip().lower() for f in _fields(lines[0], separator)]
        if all(f in _COLUMN_NAMES for f in first if f) and sum(1 for f in first if f) >= 2:
            return "table", separator  # a header row: Front,Back / Question<TAB>Answer …
        # Prose repeats no separator the same number of times on most of many lines;
        # a few lines may agree by chance, and then sentences decide.
        # Commas are common in sentences: lines that all read as prose (many words,
        # ending like sentences) are an article even when their comma counts agree.
        all_prose = (
            separator == ","
            and prose / n >= 0.6
            and all(line.rstrip()[-1:] in '.!?"”’' for line in lines if _is_prose(line))
            and not any(re.search(r'(?:^|,)"', line) for line in lines)  # quoted CSV fields
        )
        if not all_prose and ((n >= 4 and share >= 0.8) or multi / n < 0.5):
            return "table", separator
    if prose / n >= 0.3 or multi / n >= 0.2:
        return "prose", separator
    return "unclear", separator


def _is_prose(line: str, *, words: int = 12, sentences: int = 1) -> bool:
    """Whether a line reads as prose: enough words and enough sentence ends."""
    return len(line.split()) >= words and len(_SENTENCE_END_RE.findall(line.strip())) >= sentences


def _fields(line: str, separator: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=separator), [])
    except csv.Error:
        return line.split(separator)


def _table_separator(lines: Sequence[str]) -> tuple[str | None, float]:
    """The separator that splits nearly every line into the same number of fields.

    Returns it with the share of lines that have its most common count (0 when none).
    """
    if len(lines) < 2:
        return None, 0.0
    for sep in _SEPARATORS:
        counts = [len(_fields(line, sep)) - 1 if sep in line else 0 for line in lines]
        if sep == "|":  # Markdown tables: | a | b | and the | --- | rule under the header
            counts = [
                c
                for c, line in zip(counts, lines, strict=True)
                if not _MARKDOWN_RULE_RE.match(line)
            ]
        having = [c for c in counts if c > 0]
        if not counts or len(having) < 0.8 * len(counts):
            continue
        _, modal = Counter(having).most_common(1)[0]
        if modal >= 0.6 * len(counts):
            return sep, modal / len(counts)
    return None, 0.0


# --------------------------------------------------------------------------
# Reviewing the facts found in an article


class Decision(StrEnum):
    """What the teacher decided about a found fact."""

    UNDECIDED = "undecided"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One fact under review.

    ``problems`` is what the deck loader says about the fact as it stands
    (a fact with problems cannot be accepted before it is edited);
    ``origin`` is ``found`` (by extraction), ``edited`` or ``added`` (by the teacher).
    """

    fact: Fact
    decision: Decision = Decision.UNDECIDED
    problems: tuple[Problem, ...] = ()
    origin: str = "found"

    @property
    def needs_editing(self) -> bool:
        """Whether the deck loader refuses the fact as it stands."""
        return bool(self.problems)


@dataclass(frozen=True, slots=True)
class ReviewCounts:
    """How far a review has come (``needs_editing``: undecided facts the loader refuses)."""

    total: int
    accepted: int
    rejected: int
    undecided: int
    needs_editing: int
    added: int
    edited: int


KIND_PREFIX = {"date": "d", "number": "n", "quote": "q", "person": "p", "qa": "qa"}


class ArticleReview:
    """The facts found in one article and the teacher's decision on each (no Qt, no database).

    ``problems`` maps fact ids to what the deck loader says about them (as
    :func:`check_facts` finds); without it every fact is checked here.
    """

    def __init__(self, deck: Deck, problems: Mapping[str, Sequence[Problem]] | None = None) -> None:
        if len(deck.sources) != 1:
            raise ValueError("an article review needs a deck with exactly one source")
        self.found = deck
        self.source: Source = deck.sources[0]
        checked = check_facts(deck) if problems is None else problems
        self._items: list[ReviewItem] = [
            ReviewItem(f, problems=tuple(checked.get(f.id, ()))) for f in deck.facts
        ]
        self._sort()

    # ------------------------------------------------------------------ reading

    @property
    def items(self) -> list[ReviewItem]:
        """Every fact under review, in article order."""
        return list(self._items)

    @property
    def title(self) -> str:
        """The article's title."""
        return self.source.title

    @property
    def file_name(self) -> str:
        """The article's file name (its title when unknown)."""
        return self.source.file or self.source.title

    def item(self, fact_id: str) -> ReviewItem:
        """The item of a fact (KeyError if absent)."""
        for it in self._items:
            if it.fact.id == fact_id:
                return it
        raise KeyError(fact_id)

    def index_of(self, fact_id: str) -> int:
        """The position of a fact in :attr:`items` (-1 if absent)."""
        return next((i for i, it in enumerate(self._items) if it.fact.id == fact_id), -1)

    def counts(self) -> ReviewCounts:
        """How many facts are accepted, rejected, still to decide or in need of editing."""
        c = Counter(it.decision for it in self._items)
        return ReviewCounts(
            total=len(self._items),
            accepted=c[Decision.ACCEPTED],
            rejected=c[Decision.REJECTED],
            undecided=c[Decision.UNDECIDED],
            needs_editing=sum(
                1 for it in self._items if it.needs_editing and it.decision is Decision.UNDECIDED
            ),
            added=sum(1 for it in self._items if it.origin == "added"),
            edited=sum(1 for it in self._items if it.origin == "edited"),
        )

    def accepted_facts(self) -> list[Fact]:
        """The accepted facts, in article order."""
        return [it.fact for it in self._items if it.decision is Decision.ACCEPTED]

    def working_deck(self, name: str | None = None) -> Deck:
        """The article with every fact under review (for editors that need a deck)."""
        return Deck(
            id=self.found.id,
            name=name or self.found.name,
            sources=(self.source,),
            facts=tuple(it.fact for it in self._items),
        )

    @property
    def default_name(self) -> str:
        """The deck name to offer: the article's title."""
        return " ".join(self.title.split()) or Path(self.file_name).stem

    @property
    def default_id(self) -> str:
        """The deck id to offer, made from the title's first words (40 characters at most)."""
        words: list[str] = []
        for word in self.default_name.split():
            if words and len(deck_id_for(" ".join([*words, word]))) > 40:
                break
            words.append(word)
        return deck_id_for(" ".join(words) or self.default_name)

    def description(self) -> str:
        """The description of the deck made from the reviewed facts."""
        return f"Facts from {self.file_name}, checked by a teacher before studying."

    # ------------------------------------------------------------------ deciding

    def decide(self, fact_id: str, decision: Decision) -> ReviewItem:
        """Accept, reject or undecide a fact; a fact with problems cannot be accepted."""
        i = self._index(fact_id)
        item = self._items[i]
        if decision is Decision.ACCEPTED and item.needs_editing:
            raise ValueError(f"{fact_id} needs editing before it can be accepted")
        self._items[i] = dataclasses.replace(item, decision=decision)
        return self._items[i]

    def accept_all(self, *, include_doubtful: bool = False) -> int:
        """Accept the undecided facts that are *ready* and pass the deck checks; how many
        facts are accepted in all.

        A fact the teacher rejected stays rejected. Facts marked *check* (the
        extractor's doubt, with its reasons) wait for the teacher, unless
        ``include_doubtful`` accepts them too.
        """
        for i, it in enumerate(self._items):
            if it.needs_editing or it.decision is not Decision.UNDECIDED:
                continue
            if it.fact.level == "check" and not include_doubtful:
                continue
            self._items[i] = dataclasses.replace(it, decision=Decision.ACCEPTED)
        return self.counts().accepted

    def doubtful(self) -> list[ReviewItem]:
        """The undecided facts the extractor marked *check*."""
        return [
            it
            for it in self._items
            if it.fact.level == "check" and it.decision is Decision.UNDECIDED
        ]

    def reject_all(self) -> int:
        """Reject every fact; how many that is."""
        self._items = [dataclasses.replace(it, decision=Decision.REJECTED) for it in self._items]
        return len(self._items)

    def check(self, table: Mapping[str, Any], *, replaces: str | None = None) -> Fact:
        """A fact table validated by the deck loader against the article; DeckFileError if not."""
        from quizapp.browse import deck_toml
        from quizapp.facts.deckfile import parse_deck_text

        file = _file_for(self.found.id)
        fid = table.get("id")
        if (
            isinstance(fid, str)
            and fid
            and any(it.fact.id == fid and it.fact.id != replaces for it in self._items)
        ):
            raise DeckFileError(
                [
                    Problem(
                        file,
                        1,
                        "id",
                        f"another fact of this article has the id {fid!r}; choose another",
                    )
                ]
            )
        holder = Deck(id=self.found.id, name=self.default_name or "article", sources=(self.source,))
        checked = parse_deck_text(deck_toml(holder, [dict(table)]), Path(file))
        (fact,) = checked.facts
        return fact

    def edit(self, fact_id: str, table: Mapping[str, Any]) -> ReviewItem:
        """Replace a fact with the teacher's version (validated).

        The stem gate (:func:`quizapp.extract.stem_gate.stem_problem`) is taken
        again on the new version: one whose question reads as a complete
        question is *ready* and counts as accepted; one whose question does
        not is *check* with the gate's reason and waits for the teacher's
        decision (Accept all leaves it alone).
        """
        from quizapp.extract.stem_gate import stem_problem

        i = self._index(fact_id)
        fact = self.check(table, replaces=fact_id)
        problem = stem_problem(fact)
        if problem is None:
            fact = dataclasses.replace(fact, level="ready", reasons=())
        else:
            fact = dataclasses.replace(fact, level="check", reasons=(problem,))
        origin = "added" if self._items[i].origin == "added" else "edited"
        decision = Decision.ACCEPTED if problem is None else Decision.UNDECIDED
        self._items[i] = ReviewItem(fact, decision, (), origin)
        self._sort()
        return self.item(fact.id)

    def add(self, table: Mapping[str, Any]) -> ReviewItem:
        """Add a fact the extraction missed (validated); it counts as accepted."""
        fact = self.check(table)
        self._items.append(ReviewItem(fact, Decision.ACCEPTED, (), "added"))
        self._sort()
        return self.item(fact.id)

    def suggest_id(self, kind: str, words: str = "") -> str:
        """A fresh fact id: the kind's prefix and a few words of what the fact is about."""
        from quizapp.browse import slug

        prefix = KIND_PREFIX.get(kind, kind)
        base = f"{prefix}-{slug(' '.join(words.split()[:5]))}" if words.strip() else prefix
        taken = {it.fact.id for it in self._items}
        if words.strip() and base not in taken:
            return base
        n = 1
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    # ------------------------------------------------------------------ the deck

    def build_deck(self, deck_id: str, name: str, description: str | None = None) -> Deck:
        """The accepted facts as one deck, validated by the deck loader; DeckFileError if not."""
        from quizapp.browse import deck_toml, fact_fields
        from quizapp.facts.deckfile import parse_deck_text

        file = _file_for(deck_id)
        problems: list[Problem] = []
        if not name.strip():
            problems.append(Problem(file, 1, "name", "must not be empty"))
        if not deck_id.strip():
            problems.append(Problem(file, 1, "id", "must not be empty"))
        facts = self.accepted_facts()
        if not facts:
            problems.append(
                Problem(file, 1, "facts", "no fact is accepted: accept or add at least one")
            )
        if problems:
            raise DeckFileError(problems)
        desc = self.description() if description is None else description
        deck = Deck(id=deck_id.strip(), name=name.strip(), description=desc, sources=(self.source,))
        text = deck_toml(deck, [fact_fields(f) for f in facts])
        checked = parse_deck_text(text, Path(file))
        # Keep the article's provenance (its file name) where the text is unchanged.
        sources = tuple(
            self.source if s.id == self.source.id and s.text == self.source.text else s
            for s in checked.sources
        )
        return dataclasses.replace(checked, sources=sources)

    # ------------------------------------------------------------------ helpers

    def _index(self, fact_id: str) -> int:
        i = self.index_of(fact_id)
        if i < 0:
            raise KeyError(fact_id)
        return i

    def _sort(self) -> None:
        self._items.sort(
            key=lambda it: (
                it.fact.start if it.fact.start is not None else 1 << 62,
                it.fact.end or 0,
                it.fact.kind.value,
                it.fact.id,
            )
        )


def _file_for(deck_id: str) -> str:
    return (re.sub(r"[^A-Za-z0-9_.\-]", "-", deck_id) or "deck") + ".toml"


def check_facts(deck: Deck) -> dict[str, tuple[Problem, ...]]:
    """What the deck loader says about each fact of ``deck`` (facts without problems left out).

    The deck is rendered and parsed once; each problem goes to the fact whose
    ``[[facts]]`` table holds its line.
    """
    from quizapp.browse import deck_toml
    from quizapp.facts.deckfile import parse_deck_text

    if not deck.facts:
        return {}
    text = deck_toml(deck)
    head = deck_toml(deck, facts=[])
    if not text.startswith(head):  # pragma: no cover - deck_toml appends the facts last
        return _check_one_by_one(deck)
    first_line = head.count("\n") + 1
    starts = [
        first_line + i
        for i, line in enumerate(text[len(head) :].split("\n"))
        if line == "[[facts]]"
    ]
    if len(starts) != len(deck.facts):  # pragma: no cover - a fact value with "[[facts]]"
        return _check_one_by_one(deck)
    try:
        parse_deck_text(text, Path(_file_for(deck.id)))
    except DeckFileError as exc:
        out: dict[str, list[Problem]] = {}
        for p in exc.problems:
            index = bisect_right(starts, p.line) - 1  # the table holding the line
            key = deck.facts[index].id if index >= 0 else ""
            out.setdefault(key, []).append(p)
        return {k: tuple(v) for k, v in out.items()}
    return {}


def _check_one_by_one(deck: Deck) -> dict[str, tuple[Problem, ...]]:
    from quizapp.browse import fact_fields

    review = ArticleReview(dataclasses.replace(deck, facts=()), {})
    out: dict[str, tuple[Problem, ...]] = {}
    for f in deck.facts:
        try:
            review.check(fact_fields(f))
        except DeckFileError as exc:
            out[f.id] = tuple(exc.problems)
    return out


# --------------------------------------------------------------------------
# Extraction


def extract_article(path: Path, progress: Progress | None = None) -> ArticleReview:
    """Read an article file, find its facts and check each one: a review to decide on.

    Raises :class:`quizapp.extract.ArticleError` when the file cannot be read.
    ``progress(done, total)`` follows the extraction's stages and the check.
    """
    from quizapp.extract import extract_facts, read_article
    from quizapp.extract.dates import find_dateline
    from quizapp.extract.stems import slug

    path = Path(path)
    article = read_article(path)
    source_id = slug(path.stem, 6) or "article"
    published = article.published
    if published is None:
        dateline = find_dateline(article.text)
        published = dateline.isoformat() if dateline else None
    if published is not None and not re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", published):
        published = None
    title = short_title(article.title or "") or path.stem
    source = Source(
        id=source_id, title=title, text=article.text, published=published, file=path.name
    )
    steps = [0]

    def step(done: int, total: int) -> None:
        steps[0] = total
        if progress is not None:
            progress(done, total + 1)

    facts = (
        extract_facts(article.text, source_id=source_id, published=published, progress=step)
        if article.text.strip()
        else []
    )
    deck = Deck(
        id=source_id,
        name=title,
        description=f"Facts found automatically in {path.name}; check them before studying.",
        sources=(source,),
        facts=tuple(facts),
    )
    review = ArticleReview(deck)
    if progress is not None:
        progress(steps[0] + 1, steps[0] + 1)
    return review


def short_title(text: str, limit: int = 90) -> str:
    """A title fit for a deck list: a first line that is a paragraph gives its first sentence."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    m = _SENTENCE_END_RE.search(text)
    if m is not None and m.end() <= limit:
        return text[: m.end()].rstrip(".")
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _kinds_summary(items: Iterable[ReviewItem]) -> str:
    names = {"date": "date", "number": "number", "quote": "quote", "person": "person", "qa": "note"}
    counts = Counter(it.fact.kind.value for it in items)
    parts = [f"{n} {names.get(k, k)}{'s' if n != 1 else ''}" for k, n in counts.items()]
    return ", ".join(parts)


class ArticleReviewNeededError(DeckFileError):
    """An article whose found facts need a teacher's review before they become a deck."""

    def __init__(self, path: Path, review: ArticleReview) -> None:
        file = str(path)
        counts = review.counts()
        ok = counts.total - counts.needs_editing
        ready = sum(1 for it in review.items if not it.needs_editing and it.fact.level != "check")
        super().__init__(
            [
                Problem(
                    file,
                    1,
                    "file",
                    f"an article, not a deck: {counts.total} facts were found automatically "
                    f"({_kinds_summary(review.items)}) and need a teacher's review before "
                    "they become a deck; nothing was imported",
                ),
                Problem(
                    file,
                    1,
                    "file",
                    "review them in the app (File › New deck from article…), write them to "
                    "a deck file to check by hand with --review-file DECK.toml, or import "
                    f"the {ready} of the {ok} that pass the deck checks and are marked ready "
                    "unreviewed with --accept-all (--include-doubtful adds the ones marked "
                    "check)",
                ),
            ]
        )
        self.review = review


def _extract_or_refuse(path: Path, progress: Progress | None) -> ArticleReview:
    from quizapp.extract import ArticleError

    file = str(path)
    try:
        review = extract_article(path, progress)
    except ArticleError as exc:
        raise refuse(file, 1, "file", str(exc)) from exc
    if not review.items:
        raise refuse(
            file,
            1,
            "file",
            "an article in which no dates, numbers, quotes or people were found: nothing to import",
        )
    return review


def load_article(
    path: Path,
    progress: Progress | None = None,
    *,
    accept_all: bool = False,
    include_doubtful: bool = False,
) -> ImportResult:
    """The importer of articles: refuses unless ``accept_all`` takes the facts unreviewed.

    Without ``accept_all`` it raises :class:`ArticleReviewNeededError`. With it,
    the *ready* facts that pass the deck loader's checks are accepted; the
    facts marked *check* go with the deck held *pending* (:attr:`Fact.hold`:
    never asked until a teacher accepts them in the review screen), each named
    with its reasons in the notices (with ``include_doubtful`` they are
    accepted too), and each fact the checks refuse is named. An article with
    no ready fact is refused.
    """
    path = Path(path)
    review = _extract_or_refuse(path, progress)
    if not accept_all:
        raise ArticleReviewNeededError(path, review)
    accepted = review.accept_all(include_doubtful=include_doubtful)
    doubtful = [it for it in review.doubtful() if not it.needs_editing]
    if not accepted:
        if doubtful:
            raise refuse(
                str(path),
                1,
                "file",
                f"no fact found is ready to import unreviewed: all {len(doubtful)} that pass "
                "the deck checks are marked check; review them in the app (File › New deck "
                "from article…), or import them anyway with --accept-all --include-doubtful",
            )
        raise refuse(
            str(path),
            1,
            "file",
            f"none of the {len(review.items)} facts found passes the deck checks: "
            "write them to a deck file with --review-file DECK.toml and fix them",
        )
    for it in doubtful:  # stored with the deck, held pending
        review.decide(it.fact.id, Decision.ACCEPTED)
    deck = review.build_deck(
        review.default_id,
        review.default_name,
        f"Facts found automatically in {review.file_name}, imported without review.",
    )
    if doubtful:
        why = {it.fact.id: it.fact.reasons for it in doubtful}
        deck = dataclasses.replace(deck, facts=tuple(
            dataclasses.replace(f, hold=HOLD_PENDING, level="check", reasons=why[f.id])
            if f.id in why else f for f in deck.facts))
    left_out = [it for it in review.items if it.needs_editing]
    notices = [
        f"imported the {accepted} facts found automatically without review"
        + (" (doubtful ones included)" if include_doubtful else "")
        + (f"; {len(left_out)} that do not pass the deck checks were left out" if left_out else "")
    ]
    if doubtful:
        notices.append(
            f"{len(doubtful)} facts marked check are stored with the deck as pending: they are "
            "not studied until a teacher accepts them (Deck › Review pending facts… in the app), "
            "or add "
            "--include-doubtful to import them unreviewed"
        )
        for it in doubtful:
            notices.append(
                f"pending {it.fact.id} ({it.fact.kind.value} “{_short(it.fact.text)}”): "
                + "; ".join(it.fact.reasons)
            )
    for it in left_out:
        reasons = "; ".join(f"{p.field}: {p.message}" for p in it.problems)
        notices.append(
            f"left out {it.fact.id} ({it.fact.kind.value} “{_short(it.fact.text)}”): {reasons}"
        )
    return ImportResult(deck, tuple(notices), "article")


def review_file_text(review: ArticleReview, file_name: str = "DECK.toml") -> str:
    """Deck-file text of every fact found, with comments to review them by hand."""
    from quizapp.browse import deck_toml, fact_fields

    deck = Deck(
        id=review.default_id,
        name=review.default_name,
        description=f"Facts found automatically in {review.file_name}; check them before studying.",
        sources=(review.source,),
    )
    facts = [it.fact for it in review.items]
    text = deck_toml(deck, [fact_fields(f) for f in facts])
    head = deck_toml(deck, [])
    lines = text[len(head) :].split("\n") if text.startswith(head) else []
    out: list[str] = []
    index = 0
    for line in lines:
        out.append(line)
        if line == "[[facts]]" and index < len(facts):
            item = review.items[index]
            index += 1
            for p in item.problems:
                out.append(f"# NEEDS EDITING: {p.field}: {p.message}")
            if item.fact.sentence:
                out.append("# " + _short(" ".join(item.fact.sentence.split()), 300))
    intro = [
        f"# Facts found automatically in {review.file_name} by quizapp: check each one",
        "# against its sentence (the comment under [[facts]]). Correct what is wrong, delete",
        "# the [[facts]] tables you do not want, fix the ones marked NEEDS EDITING, then:",
        f"#     quizapp import {file_name}",
        "",
    ]
    body = "\n".join(out) if lines else text[len(head) :]
    return "\n".join(intro) + head + body


def write_review_file(article: Path, out: Path, progress: Progress | None = None) -> str:
    """Write the facts found in ``article`` to the deck file ``out``; a line saying what was done.

    Refuses (DeckFileError) an ``out`` that exists, and a file that is not an article.
    """
    article, out = Path(article), Path(out)
    if not looks_like_article(article):
        raise refuse(
            str(article),
            1,
            "file",
            "not an article (.txt, .md or .html prose): --review-file is for the "
            "facts found in an article",
        )
    review = _extract_or_refuse(article, progress)
    text = review_file_text(review, out.name)
    try:
        with open(out, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError as exc:
        raise refuse(
            str(out), 1, "file", "exists already: choose another name (nothing was written)"
        ) from exc
    except OSError as exc:
        raise refuse(str(out), 1, "file", exc.strerror or str(exc)) from exc
    counts = review.counts()
    fix = f", {counts.needs_editing} of them marked NEEDS EDITING" if counts.needs_editing else ""
    return (
        f"Wrote the {counts.total} facts found in {article.name} to {out}{fix}. "
        f"Check them, then run: quizapp import {out}"
    )


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "ARTICLE_SUFFIXES",
    "PROSE_OR_TABLE_SUFFIXES",
    "ArticleReview",
    "ArticleReviewNeededError",
    "Decision",
    "ReviewCounts",
    "ReviewItem",
    "check_facts",
    "extract_article",
    "load_article",
    "looks_like_article",
    "prose_or_table",
    "review_file_text",
    "write_review_file",
]
