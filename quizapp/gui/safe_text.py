"""Deck text on screen: never read as markup, never so long that it freezes a window.

Decks come from files anyone can write (Anki packages, CSV, TOML, articles),
so their text is untrusted. Qt reads a label's text as HTML when the label's
format is rich text — or "auto", the default, when the text merely *looks*
like HTML — and then ``<img src="/dev/zero">`` is an image to load (the window
freezes), ``<a href=…>`` a link, ``<font size=99>`` a layout bomb. Tool tips and
the static ``QMessageBox`` functions always guess. The rules, which
``tests/gui/test_sanitise.py`` holds the whole window to:

- a label that shows deck text is ``Qt.TextFormat.PlainText``;
- a label that needs our own markup (the highlighted answer in the evidence)
  is ``RichText``, and every piece of deck text in it goes through
  :func:`html.escape` (:func:`rich` for whole messages);
- tool tips with deck text are built by :func:`tooltip` (escaped rich text,
  so the guess cannot go wrong);
- message boxes are PlainText, or :func:`rich` text for the statics;
- text is clipped for display (:func:`clip`, :func:`one_line`): at most so
  many characters and lines, the rest counted ("… (12,345 more characters)"),
  and unbroken runs longer than :data:`RUN` get zero-width spaces so word wrap
  can break them instead of widening the window. Grading, storage and exports
  always use the full text; clipping is for the eyes only.

No deck text reaches Qt as markup, so no image or link from a deck is ever
loaded or followed; besides, QLabel and QTextBrowser never fetch remote URLs,
and the Reader's browser refuses every resource (``ArticleBrowser.loadResource``).
"""

from __future__ import annotations

import html
import re

#: Characters shown of a question's prompt.
PROMPT_CHARS = 1500
#: Characters shown of an answer, a flashcard's back or an evidence sentence.
ANSWER_CHARS = 3000
#: Characters shown of one choice or timeline event.
CHOICE_CHARS = 400
#: Characters shown of a name (deck, profile, speaker) on one line.
NAME_CHARS = 160
#: Characters shown in a tool tip.
TOOLTIP_CHARS = 600
#: Lines shown of any text.
MAX_LINES = 40
#: Longest run of non-space characters shown without a break opportunity.
RUN = 60

ZWSP = "\u200b"
_LONG_RUN = re.compile(rf"\S{{{RUN + 1},}}")
_SPACE = re.compile(r"\s+")


def _break_runs(text: str) -> str:
    if len(text) <= RUN:
        return text

    def cut(m: re.Match[str]) -> str:
        run = m.group(0)
        return ZWSP.join(run[i:i + RUN] for i in range(0, len(run), RUN))

    return _LONG_RUN.sub(cut, text)


def clip(text: str | None, limit: int, max_lines: int = MAX_LINES) -> str:
    """``text`` as it may be shown: at most ``limit`` characters and ``max_lines`` lines."""
    if not text:
        return ""
    shown = text[:limit]
    if shown.count("\n") >= max_lines:
        shown = "\n".join(shown.split("\n", max_lines)[:max_lines])
    more = len(text) - len(shown)
    shown = _break_runs(shown)
    if more > 0:
        shown = f"{shown.rstrip()}… ({more:,} more characters)"
    return shown


def one_line(text: str | None, limit: int = NAME_CHARS) -> str:
    """``text`` on one line (white space collapsed), at most ``limit`` characters."""
    if not text:
        return ""
    flat = _SPACE.sub(" ", text[: limit * 4]).strip()
    if len(flat) > limit or len(text) > limit * 4:
        flat = flat[: limit - 1].rstrip() + "…"
    return _break_runs(flat)


def rich(text: str) -> str:
    """Plain ``text`` as rich text that shows it literally (for APIs that guess the format)."""
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


def tooltip(text: str | None, limit: int = TOOLTIP_CHARS) -> str:
    """A tool tip that shows ``text`` literally, clipped."""
    if not text:
        return ""
    body = html.escape(clip(text, limit, max_lines=12)).replace("\n", "<br>")
    return f"<p style='white-space:pre-wrap'>{body}</p>"
