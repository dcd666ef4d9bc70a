"""Plain text from .txt, .md and .html articles.

The text returned is what a Source stores; every fact's offsets point into it.
Markdown markup (headings, emphasis, links, images, code, lists, block quotes,
front matter) is removed; HTML is parsed with :mod:`html.parser`, scripts,
styles and page furniture are dropped, and block elements become lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from quizapp.extract.dates import dateline_span


@dataclass(frozen=True, slots=True)
class Article:
    """An article read from a file."""

    text: str
    title: str | None
    published: str | None


class ArticleError(ValueError):
    """An article file that cannot be read."""


#: An article file is at most this many bytes (HTML pages carry much markup).
MAX_ARTICLE_FILE_BYTES = 2 * 1024 * 1024
#: An article's text, once markup is removed, is at most this many characters.
MAX_ARTICLE_CHARS = 200_000


def read_article(path: Path) -> Article:
    """The plain text, title and publication date of an article file.

    Files over :data:`MAX_ARTICLE_FILE_BYTES`, and texts over
    :data:`MAX_ARTICLE_CHARS` once their markup is removed, are refused with
    :class:`ArticleError` (finding facts takes time that grows with the text).
    """
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_FILE_BYTES:
            raise ArticleError(
                f"too large for an article ({size:,} bytes; at most "
                f"{MAX_ARTICLE_FILE_BYTES:,}): split it into shorter articles"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot read {path}: {exc.strerror or exc}") from exc
    article = _read_text(path, raw)
    if len(article.text) > MAX_ARTICLE_CHARS:
        raise ArticleError(
            f"too long for an article ({len(article.text):,} characters of text; at most "
            f"{MAX_ARTICLE_CHARS:,}): split it into shorter articles"
        )
    return article


def _read_text(path: Path, raw: bytes) -> Article:
    try:
        data = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        data = raw.decode("latin-1")
    data = data.replace("\r\n", "\n").replace("\r", "\n")
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm", ".xhtml"}:
        return html_to_article(data)
    if suffix in {".md", ".markdown"}:
        return markdown_to_article(data)
    if suffix in {".txt", ".text", ""}:
        text = data.strip("\n") + "\n" if data.strip() else ""
        first = text.split("\n", 1)[0].strip()
        if first and dateline_span(first) is not None:
            # "Today is Thursday, June 10th, 2010.": a dateline, not a title
            return Article(text, None, None)
        return Article(text, first or None, None)
    raise ArticleError(f"unsupported article format {suffix!r} (use .txt, .md or .html)")


# ---- Markdown ---------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
# Spans of inline markup are bounded (a link's text, an emphasis…), so that a
# line of markers that never close costs time linear in its length.
_SPAN = 400
_INLINE = [
    (re.compile(rf"!\[([^\]]{{0,{_SPAN}}})\]\([^)]{{0,{_SPAN}}}\)"), r"\1"),  # images: alt text
    (re.compile(rf"\[([^\]]{{1,{_SPAN}}})\]\([^)]{{0,{_SPAN}}}\)"), r"\1"),  # links
    (re.compile(rf"\[([^\]]{{1,{_SPAN}}})\]\[[^\]]{{0,{_SPAN}}}\]"), r"\1"),  # reference links
    (re.compile(rf"<(https?://[^>]{{1,{_SPAN}}})>"), r"\1"),  # autolinks
    (re.compile(rf"`([^`]{{0,{_SPAN}}})`"), r"\1"),  # code
    (re.compile(rf"(\*\*|__)(?=\S)(.{{1,{_SPAN}}}?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(rf"(?<![\w*])\*(?=\S)(.{{1,{_SPAN}}}?)(?<=\S)\*(?!\w)"), r"\1"),  # emphasis
    (re.compile(rf"(?<![\w_])_(?=\S)(.{{1,{_SPAN}}}?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(rf"~~(.{{1,{_SPAN}}}?)~~"), r"\1"),
    (re.compile(rf"<[^>\n]{{1,{_SPAN}}}>"), ""),  # inline HTML tags
]


def markdown_to_article(data: str) -> Article:
    """Strip Markdown markup; the first heading is the title."""
    title: str | None = None
    published: str | None = None
    fm = _FRONT_MATTER.match(data)
    if fm:
        for line in fm.group(1).split("\n"):
            key, _, value = line.partition(":")
            value = value.strip().strip("\"'")
            if key.strip().lower() == "title" and value:
                title = value
            elif key.strip().lower() in {"date", "published"} and value:
                published = value[:10]
        data = data[fm.end() :]
    lines: list[str] = []
    in_code = False
    for line in data.split("\n"):
        if line.strip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code:
            continue
        if re.fullmatch(r"\s*(?:[-*_]\s*){3,}", line) or re.fullmatch(r"\s*[=-]{2,}\s*", line):
            continue  # rules and setext underlines
        if line.lstrip().startswith("[") and re.match(r"^\s*\[[^\]]+\]:\s*\S", line):
            continue  # link reference definitions
        heading = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            line = heading.group(1)
            if title is None:
                title = _inline(line)
        line = re.sub(r"^\s{0,3}(?:>\s?)+", "", line)  # block quotes
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line)  # list items
        lines.append(_inline(line).rstrip())
    text = "\n".join(lines)
    # Paragraphs: lines of one paragraph join with a space; blank lines separate.
    paras = [" ".join(p.split("\n")).strip() for p in re.split(r"\n\s*\n", text)]
    text = "\n".join(p for p in paras if p)
    return Article(text + "\n" if text else "", title, published)


def _inline(line: str) -> str:
    for rx, repl in _INLINE:
        line = rx.sub(repl, line)
    line = re.sub(r"\\([\\`*_{}\[\]()#+\-.!>])", r"\1", line)
    return line


# ---- HTML -------------------------------------------------------------------

_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "svg",
        "nav",
        "footer",
        "aside",
        "form",
        "button",
        "iframe",
        "object",
        "canvas",
        "select",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "tr",
        "blockquote",
        "section",
        "article",
        "header",
        "figcaption",
        "figure",
        "table",
        "ul",
        "ol",
        "dd",
        "dt",
        "pre",
        "hr",
        "main",
        "td",
        "th",
    }
)
_VOID = frozenset(
    {
        "br",
        "hr",
        "img",
        "meta",
        "link",
        "input",
        "area",
        "base",
        "col",
        "embed",
        "source",
        "track",
        "wbr",
        "param",
    }
)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.title_parts: list[str] = []
        self.h1_parts: list[str] = []
        self.in_title = False
        self.in_h1 = False
        self.published: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in {
                "article:published_time",
                "date",
                "pubdate",
                "datepublished",
                "dc.date",
                "publish-date",
                "og:published_time",
            } and a.get("content"):
                self.published = self.published or a["content"][:10]
            return
        if tag == "time" and a.get("datetime") and not self.published:
            self.published = a["datetime"][:10]
        if tag == "title":
            self.in_title = True
        if tag in _SKIP and tag not in _VOID:
            self.skip_depth += 1
            return
        if tag == "h1":
            self.in_h1 = True
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP and tag not in _VOID:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIP and tag not in _VOID:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "h1":
            self.in_h1 = False
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        if self.skip_depth:
            return
        if self.in_h1:
            self.h1_parts.append(data)
        self.parts.append(data)


def _tame_html(data: str) -> str:
    """``data`` with every ``<`` that opens no complete tag or comment written ``&lt;``.

    :mod:`html.parser` rescans an unfinished tag or comment from every later
    ``<``, which takes time quadratic in the page; a ``<`` whose ``>`` (or
    ``-->``) comes only after another ``<``, or never, is text. One pass: the
    positions searched for only move forward.
    """
    if "<" not in data:
        return data
    out: list[str] = []
    n = len(data)
    pos = 0
    next_lt = data.find("<")
    next_gt = -1
    next_close = -1  # the next "-->"
    while next_lt >= 0:
        i = next_lt
        out.append(data[pos:i])
        next_lt = data.find("<", i + 1)
        later = next_lt if next_lt >= 0 else n
        if data.startswith("<!--", i):
            if 0 <= next_close < i + 4:
                next_close = data.find("-->", i + 4)
            if next_close < 0:  # no comment is ever closed again: the rest is text
                out.append(data[i:].replace("<", "&lt;"))
                return "".join(out)
            out.append("<!--")
            out.append(data[i + 4 : next_close].replace("<", " "))
            out.append("-->")
            pos = next_close + 3
            while 0 <= next_lt < pos:
                next_lt = data.find("<", next_lt + 1)
            continue
        if next_gt < i:
            next_gt = data.find(">", i + 1)
        if next_gt < 0 or next_gt > later:
            out.append("&lt;")
        else:
            out.append("<")
        pos = i + 1
    out.append(data[pos:])
    return "".join(out)


def html_to_article(data: str) -> Article:
    """The visible text of an HTML page, one block per line."""
    parser = _TextParser()
    parser.feed(_tame_html(data))
    parser.close()
    raw = "".join(parser.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in raw.split("\n")]
    text = "\n".join(line for line in lines if line)
    title = (
        re.sub(r"\s+", " ", "".join(parser.h1_parts)).strip()
        or re.sub(r"\s+", " ", "".join(parser.title_parts)).strip()
        or None
    )
    return Article(text + "\n" if text else "", title, parser.published)
