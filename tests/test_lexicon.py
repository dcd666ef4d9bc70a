"""One English lexicon: no module outside ``quizapp/lexicon.py`` keeps a word list of its own.

Every module is read with :mod:`ast`; a set, list, tuple or dict of strings (or a
``word_set("...")`` call) holding a month or weekday name, a number word, a
scale, an ordinal or a vague quantity is a copy of the lexicon and fails.
Modules not yet moved are listed in ``KNOWN``; the list may only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

from quizapp import lexicon

PACKAGE = Path(__file__).resolve().parent.parent / "quizapp"

# Words no other list needs: "May", "March" and "one" are common words, and
# "first", "second" and "third" name more than a rank.
SENTINELS = frozenset(
    [
        *(m.lower() for m in lexicon.MONTH_NAMES if m not in ("May", "March")),
        *(d.lower() for d in lexicon.WEEKDAY_NAMES),
        *(w for w, n in lexicon.ONES.items() if n >= 2),
        *lexicon.TENS,
        *lexicon.SCALES,
        *(w for w, n in lexicon.ORDINALS.items() if n >= 4),
        *lexicon.VAGUE_PLURALS,
    ]
)

# Modules that still keep a copy (relative to quizapp/); the list may only shrink.
KNOWN: set[str] = set()


def _strings(node: ast.AST) -> list[str]:
    """The words of a collection literal or ``word_set("...")`` call, else []."""
    if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
        elts: list[ast.expr | None] = list(node.elts)
    elif isinstance(node, ast.Dict):
        elts = list(node.keys)
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "word_set"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value.split()
    else:
        return []
    return [e.value for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]


def word_lists(source: str) -> list[tuple[int, list[str]]]:
    """(line, lexicon words) for each string collection of ``source`` holding some."""
    found: list[tuple[int, list[str]]] = []
    for node in ast.walk(ast.parse(source)):
        words = sorted({w.lower() for w in _strings(node)} & SENTINELS)
        if words:
            found.append((getattr(node, "lineno", 0), words))
    return sorted(found)


def copies(package: Path = PACKAGE) -> dict[str, list[tuple[int, list[str]]]]:
    """Each module of ``package`` (but the lexicon) that keeps a word list, with its lists."""
    out: dict[str, list[tuple[int, list[str]]]] = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if rel == "lexicon.py":
            continue
        found = word_lists(path.read_text(encoding="utf-8"))
        if found:
            out[rel] = found
    return out


def test_no_module_keeps_a_word_list_of_its_own() -> None:
    found = copies()
    new = {rel: lists for rel, lists in found.items() if rel not in KNOWN}
    assert not new, f"word lists outside quizapp/lexicon.py (read them from the lexicon): {new}"
    mended = KNOWN - set(found)
    assert not mended, f"take these off KNOWN, they keep no word list now: {sorted(mended)}"


def test_the_scan_finds_each_kind_of_list() -> None:
    source = (
        'MONTHS = {"january": 1, "february": 2}\n'
        'UNITS = ["one", "two", "twelve"]\n'
        'VAGUE = frozenset(("dozens", "several"))\n'
        'TIMES = word_set("today monday")\n'
        'def f(w):\n    return w in {"first", "fourth"}\n'
        'OTHER = {"the", "a", "an", "may", "march", "one"}\n'
    )
    assert word_lists(source) == [
        (1, ["february", "january"]),
        (2, ["twelve", "two"]),
        (3, ["dozens"]),
        (4, ["monday"]),
        (6, ["fourth"]),
    ]


def test_the_lexicon_is_consistent() -> None:
    assert len(lexicon.MONTH_NAMES) == 12 and len(lexicon.WEEKDAY_NAMES) == 7
    assert lexicon.MONTHS["sept"] == lexicon.MONTHS["september"] == 9
    assert all(
        lexicon.MONTHS[a] == lexicon.MONTHS[lexicon.MONTH_NAMES[n - 1].lower()]
        for a, n in lexicon.MONTH_ABBREVIATIONS.items()
    )
    assert sorted(lexicon.ONES.values()) == list(range(20))
    assert sorted(lexicon.TENS.values()) == list(range(20, 100, 10))
    assert lexicon.ORDINALS["twelfth"] == 12 and lexicon.WEEKDAYS["monday"] == 0
    assert set(lexicon.VAGUE_PLURALS) <= lexicon.VAGUE_WORDS
    assert set(lexicon.ARTICLES) <= lexicon.DETERMINERS
