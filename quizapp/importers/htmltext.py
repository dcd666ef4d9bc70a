"""Anki fields to plain text, and cloze deletions to questions.

Decision: imported fields become **plain text**, not a subset of HTML. Facts
are plain text everywhere else in quizapp (questions, typed-answer grading,
JSON, exports), so keeping markup would leak into prompts and make grading
compare tags. The reduction:

- ``<script>``, ``<style>`` and similar elements are dropped with their content;
- ``<br>`` and the ends of block elements (div, p, li, tr, headings) become
  line breaks; runs of blank lines shrink to one;
- inline formatting (``<b>``, ``<i>``, ``<u>``, ``<span>``, links) is dropped,
  its text kept;
- entities are decoded and non-breaking spaces become spaces;
- ``<img>`` becomes ``[image]``, ``<audio>``/``<video>`` and Anki's
  ``[sound:…]`` become ``[sound]``. A reader that imports the media files
  (an Anki package) asks for their names (:class:`MediaCount` with
  ``names``): then a picture reads ``[image: its alt text]`` (or
  ``[image: flag.png]`` without one) and a sound ``[sound: hello.mp3]``,
  the text alternative that text-only views and screen readers use, and the
  names are collected in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from quizapp.facts.media import alternative

IMAGE = "[image]"
SOUND = "[sound]"
BLANK = "[…]"

_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "object"})
_BLOCK = frozenset(
    {
        "div", "p", "li", "tr", "ul", "ol", "dl", "dt", "dd", "table", "blockquote",
        "pre", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
        "footer", "hr", "figure", "figcaption",
    }
)  # fmt: skip
_SOUND_RE = re.compile(r"\[sound:([^\]]*)\]")
_INLINE_SPACE_RE = re.compile(r"[^\S\n]+")
_BLANK_LINES_RE = re.compile(r"\n{3,}")


@dataclass(slots=True)
class MediaCount:
    """How many media references the reduced fields held (and, if asked, their names)."""

    images: int = 0
    sounds: int = 0
    #: A list: collect each referenced file's name, in order (and name them in the text).
    names: list[str] | None = None
    #: Name the files in the text ([image: flag.png]) even without collecting names.
    labelled: bool = False

    def image(self, src: str | None, alt: str | None) -> str:
        """The text that stands for a picture (and note its name)."""
        self.images += 1
        if not (self.labelled or self.names is not None) or not src or not src.strip():
            return IMAGE
        if self.names is not None:
            self.names.append(src.strip())
        return alternative(src.strip(), alt)

    def sound(self, src: str | None) -> str:
        """The text that stands for a sound (and note its name)."""
        self.sounds += 1
        if not (self.labelled or self.names is not None) or not src or not src.strip():
            return SOUND
        if self.names is not None:
            self.names.append(src.strip())
        return f"[sound: {src.strip().replace(']', ')')}]"


class _Reducer(HTMLParser):
    def __init__(self, media: MediaCount) -> None:
        super().__init__(convert_charrefs=True)
        self.media = media
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
            return
        if self.skipping:
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag == "img":
            found = dict(attrs)
            self.parts.append(self.media.image(found.get("src"), found.get("alt")))
        elif tag in ("audio", "video"):
            self.parts.append(self.media.sound(dict(attrs).get("src")))
        elif tag in _BLOCK:
            self._break()

    def _break(self) -> None:
        """A line break at a block boundary, unless one stands there already."""
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SKIP:  # <script/> opens nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif not self.skipping and tag in _BLOCK:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _tidy(text: str) -> str:
    text = text.replace("\xa0", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines = [_INLINE_SPACE_RE.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(value: str, media: MediaCount | None = None) -> str:
    """A field's HTML as plain text (see the module's notes)."""
    media = media if media is not None else MediaCount()
    if "[sound:" in value:
        value = _SOUND_RE.sub(lambda m: media.sound(m.group(1)), value)
    if "<" not in value and "&" not in value:
        return _tidy(value)
    parser = _Reducer(media)
    try:
        parser.feed(value)
        parser.close()
    except Exception:  # HTMLParser is lenient; this only guards odd input
        import html

        return _tidy(html.unescape(re.sub(r"<[^>]*>", " ", value)))
    return _tidy("".join(parser.parts))


# --------------------------------------------------------------------------
# Cloze deletions: {{c1::answer}} and {{c1::answer::hint}}, nesting allowed


@dataclass(slots=True)
class _Cloze:
    ordinal: int
    children: list[str | _Cloze] = field(default_factory=list)


_CLOZE_TOKEN_RE = re.compile(r"\{\{c(\d{1,4})::|\}\}")
# A hint starts at the first "::" among a deletion's own text.
_HINT_SEP = "::"
#: Deletions nested deeper than this are kept as literal text. Anki notes nest
#: two or three levels at most; the bound keeps parsing linear and the
#: recursive walks below far from Python's recursion limit, whatever the input.
MAX_CLOZE_DEPTH = 16
#: A note with more deletion numbers than this is not imported: each number
#: makes a card that repeats the whole note, so the deck would grow with the
#: square of the note (the CSV importer refuses the row, the Anki importer
#: skips the note with a notice).
MAX_CLOZE_CARDS = 100


def _parse_cloze(text: str) -> list[str | _Cloze]:
    root: list[str | _Cloze] = []
    stack: list[_Cloze] = []
    literal_opens = 0  # opening tokens past MAX_CLOZE_DEPTH, kept as text
    pos = 0

    def add(node: str | _Cloze) -> None:
        (stack[-1].children if stack else root).append(node)

    for m in _CLOZE_TOKEN_RE.finditer(text):
        if m.start() > pos:
            add(text[pos : m.start()])
        pos = m.end()
        if m.group(1) is not None:
            if len(stack) >= MAX_CLOZE_DEPTH:
                literal_opens += 1
                add(m.group(0))
                continue
            node = _Cloze(int(m.group(1)))
            add(node)
            stack.append(node)
        elif literal_opens:
            literal_opens -= 1
            add("}}")
        elif stack:
            stack.pop()
        else:
            add("}}")
    if pos < len(text):
        add(text[pos:])
    # Unclosed deletions are literal text, as in Anki. Nothing was added to a
    # parent after its unclosed child, so the child is the parent's last node.
    while stack:
        node = stack.pop()
        parent = stack[-1].children if stack else root
        last = parent.pop()
        assert last is node
        parent.append(f"{{{{c{node.ordinal}::")
        parent.extend(node.children)
    return root


def _split_hint(node: _Cloze) -> tuple[list[str | _Cloze], str | None]:
    for i, child in enumerate(node.children):
        if isinstance(child, str) and _HINT_SEP in child:
            before, _, after = child.partition(_HINT_SEP)
            hint = after + "".join(_plain(c) for c in node.children[i + 1 :])
            return [*node.children[:i], before], hint
    return node.children, None


def _plain(node: str | _Cloze) -> str:
    if isinstance(node, str):
        return node
    answer, _ = _split_hint(node)
    return "".join(_plain(c) for c in answer)


def _ordinals(nodes: list[str | _Cloze], out: set[int]) -> set[int]:
    for node in nodes:
        if isinstance(node, _Cloze):
            out.add(node.ordinal)
            _ordinals(node.children, out)
    return out


def _render(nodes: list[str | _Cloze], ordinal: int, answers: list[str]) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
            continue
        answer, hint = _split_hint(node)
        if node.ordinal == ordinal:
            answers.append("".join(_plain(c) for c in answer))
            hint_text = html_to_text(hint).strip() if hint else ""
            parts.append(f"[{hint_text}]" if hint_text else BLANK)
        else:
            parts.append(_render(answer, ordinal, answers))
    return "".join(parts)


def has_cloze(text: str) -> bool:
    """Whether a field holds at least one cloze deletion."""
    return bool(cloze_ordinals(text))


def cloze_ordinals(text: str) -> list[int]:
    """The cloze numbers used in a field, in order."""
    if "{{c" not in text:
        return []
    return sorted(_ordinals(_parse_cloze(text), set()))


def cloze_card(text: str, ordinal: int) -> tuple[str, str]:
    """Front and back (both still HTML) of cloze ``ordinal`` of a field.

    The front is the text with deletion ``ordinal`` blanked as ``[…]`` (or
    ``[hint]``) and every other deletion revealed; the back is the hidden
    answer (several deletions with one number are joined with "; ").
    """
    answers: list[str] = []
    front = _render(_parse_cloze(text), ordinal, answers)
    return front, "; ".join(dict.fromkeys(answers))
