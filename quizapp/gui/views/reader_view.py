"""Layout of the article reader: the source text with every fact highlighted.

Each fact's span is a link coloured by how well the learner knows it (the
legend says which colour is which). Where facts nest (a date inside a
quotation) the inner fact wins its words and the outer one keeps the rest, so
every fact stays clickable. The article is the browser's whole document, so a
document position is a ``str`` offset into the source text.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.models.history_model import HistoryModel
from quizapp.gui.palette import LEVEL_HELP, LEVEL_LABELS, LEVELS, level_color
from quizapp.gui.theme import colors

FACT_SCHEME = "fact"


@dataclass(frozen=True, slots=True)
class Span:
    """A fact's place in the article."""

    key: str
    start: int
    end: int
    level: str
    label: str  # for the fact list: kind and words


def segments(text_length: int, spans: Sequence[Span]) -> list[tuple[int, int, Span | None]]:
    """The article cut at every span boundary; each piece with its innermost fact (or None)."""
    cuts = {0, text_length}
    for s in spans:
        if 0 <= s.start < s.end <= text_length:
            cuts.update((s.start, s.end))
    points = sorted(cuts)
    out: list[tuple[int, int, Span | None]] = []
    valid = [s for s in spans if 0 <= s.start < s.end <= text_length]
    for a, b in itertools.pairwise(points):
        covering = [s for s in valid if s.start <= a and b <= s.end]
        inner = min(covering, key=lambda s: (s.end - s.start, s.start)) if covering else None
        out.append((a, b, inner))
    return out


def article_html(text: str, spans: Sequence[Span], selected: str | None = None) -> str:
    """The article as rich text, every fact a coloured link (the selected one marked)."""
    c = colors()
    parts = []
    for a, b, span in segments(len(text), spans):
        piece = html.escape(text[a:b])
        if span is None:
            parts.append(piece)
            continue
        if span.key == selected:
            bg, fg, weight = c.mark_bg, c.mark_fg, "font-weight:600;"
        else:
            lc = level_color(span.level)
            bg, fg, weight = lc.background, lc.foreground, ""
        href = html.escape(f"{FACT_SCHEME}:{span.key}", quote=True)
        parts.append(f"<a href=\"{href}\" style=\"background-color:{bg}; color:{fg};"
                     f" text-decoration:none; {weight}\">{piece}</a>")
    body = "".join(parts)
    return (f"<div style=\"white-space:pre-wrap; color:{c.text}; line-height:150%;\">"
            f"{body}</div>")


class Legend(QWidget):
    """The knowledge levels with their colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Colour legend")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        self.labels: dict[str, QLabel] = {}
        for level in LEVELS:
            label = QLabel(self)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setToolTip(LEVEL_HELP[level])
            label.setAccessibleName(f"{LEVEL_LABELS[level]}: {LEVEL_HELP[level]}")
            layout.addWidget(label)
            self.labels[level] = label
        layout.addStretch(1)
        self.restyle()

    def restyle(self, counts: Mapping[str, int] | None = None) -> None:
        """Redraw the colour chips (after a theme change) with optional counts."""
        for level, label in self.labels.items():
            lc = level_color(level)
            n = f" {counts.get(level, 0)}" if counts is not None else ""
            label.setText(
                f"<span style='background-color:{lc.background}; color:{lc.foreground};'>"
                f"&nbsp;{LEVEL_LABELS[level]}{n}&nbsp;</span>")


class ArticleBrowser(QTextBrowser):
    """The article; links are facts (Tab moves between them, Enter opens one)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)

    def loadResource(self, type: int, name: QUrl | str) -> object:
        """Load nothing: the article is escaped text, so any resource asked for is foreign."""
        del type, name
        return None

    def select_span(self, start: int, end: int) -> None:
        """Scroll to an article span (str offsets) and put the cursor there."""
        cursor = QTextCursor(self.document())
        length = self.document().characterCount() - 1
        cursor.setPosition(max(0, min(start, length)))
        cursor.setPosition(max(0, min(end, length)), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def selection_span(self) -> tuple[int, int] | None:
        """The selected article text as (start, end) offsets, if any."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return cursor.selectionStart(), cursor.selectionEnd()

    def highlighted_keys(self) -> list[str]:
        """The facts that have a link in the document, in article order."""
        keys: list[str] = []
        seen: set[str] = set()
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                href = fragment.charFormat().anchorHref()
                if href.startswith(f"{FACT_SCHEME}:"):
                    key = href[len(FACT_SCHEME) + 1:]
                    if key not in seen:
                        seen.add(key)
                        keys.append(key)
                it += 1
            block = block.next()
        return keys


class ReaderView(QWidget):
    """An article with its facts, and the chosen fact's questions and history."""

    fact_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readerView")
        self.setAccessibleName("Article reader")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.setSpacing(10)

        top = QHBoxLayout()
        top.setSpacing(8)
        title = QLabel("Reader", self)
        title.setObjectName("pageTitle")
        top.addWidget(title)
        top.addStretch(1)
        deck_label = QLabel("&Deck:", self)
        self.deck_box = QComboBox(self)
        self.deck_box.setAccessibleName("Deck to read")
        self.deck_box.setMinimumContentsLength(36)
        self.deck_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        deck_label.setBuddy(self.deck_box)
        self.source_box = QComboBox(self)
        self.source_box.setAccessibleName("Article")
        self.source_box.setToolTip("Which article of the deck to read")
        self.source_box.setMinimumContentsLength(16)
        self.source_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        top.addWidget(deck_label)
        top.addWidget(self.deck_box)
        top.addWidget(self.source_box)
        outer.addLayout(top)

        legend_row = QHBoxLayout()
        self.legend = Legend(self)
        legend_row.addWidget(self.legend, 1)
        fact_label = QLabel("&Go to fact:", self)
        self.fact_box = QComboBox(self)
        self.fact_box.setAccessibleName("Go to fact")
        self.fact_box.setToolTip("Pick a fact to show it in the article and see its questions")
        self.fact_box.setMinimumContentsLength(22)
        self.fact_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        fact_label.setBuddy(self.fact_box)
        legend_row.addWidget(fact_label)
        legend_row.addWidget(self.fact_box)
        outer.addLayout(legend_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        article = QFrame(self.splitter)
        article.setObjectName("card")
        a_layout = QVBoxLayout(article)
        a_layout.setContentsMargins(20, 14, 12, 10)
        a_layout.setSpacing(4)
        self.article_title = QLabel("", article)
        self.article_title.setWordWrap(True)
        self.article_title.setObjectName("articleTitle")
        font = self.article_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.article_title.setFont(font)
        self.article_meta = QLabel("", article)
        self.article_meta.setObjectName("muted")
        self.article_meta.setWordWrap(True)
        self.browser = ArticleBrowser(article)
        self.browser.setObjectName("articleText")
        self.browser.setAccessibleName("Article text with highlighted facts")
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.anchorClicked.connect(self._anchor)
        a_layout.addWidget(self.article_title)
        a_layout.addWidget(self.article_meta)
        a_layout.addSpacing(6)
        a_layout.addWidget(self.browser, 1)
        self.empty = QLabel("", article)
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        self.empty.hide()
        a_layout.addWidget(self.empty)
        self.splitter.addWidget(article)

        side = QScrollArea(self.splitter)
        side.setWidgetResizable(True)
        side.setFrameShape(QFrame.Shape.NoFrame)
        panel = QFrame(side)
        panel.setObjectName("card")
        side.setWidget(panel)
        p = QVBoxLayout(panel)
        p.setContentsMargins(16, 14, 16, 14)
        p.setSpacing(8)
        self.fact_title = QLabel("Click a highlighted fact to see its questions and history.",
                                 panel)
        self.fact_title.setWordWrap(True)
        self.fact_title.setTextFormat(Qt.TextFormat.PlainText)
        self.fact_title.setAccessibleName("Selected fact")
        tf = self.fact_title.font()
        tf.setBold(True)
        self.fact_title.setFont(tf)
        self.fact_meta = QLabel("", panel)
        self.fact_meta.setTextFormat(Qt.TextFormat.RichText)
        self.fact_meta.setObjectName("muted")
        self.fact_meta.setWordWrap(True)
        from PySide6.QtCore import QSize

        from quizapp.gui.views.media_view import MediaStrip

        self.fact_media = MediaStrip(panel, max_picture=QSize(200, 110))  # pictures, sounds
        p.addWidget(self.fact_title)
        p.addWidget(self.fact_meta)
        p.addWidget(self.fact_media)
        qcap = QLabel("QUESTIONS", panel)
        qcap.setObjectName("formTag")
        p.addWidget(qcap)
        self.questions = QLabel("", panel)
        self.questions.setWordWrap(True)
        self.questions.setTextFormat(Qt.TextFormat.RichText)
        self.questions.setAccessibleName("Questions about the fact")
        self.questions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        p.addWidget(self.questions)
        hcap = QLabel("REVIEW HISTORY", panel)
        hcap.setObjectName("formTag")
        p.addWidget(hcap)
        self.history_model = HistoryModel(self)
        self.history = QTableView(panel)
        self.history.setObjectName("readerHistory")
        self.history.setAccessibleName("Review history of the fact")
        self.history.setModel(self.history_model)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setAlternatingRowColors(True)
        self.history.setShowGrid(False)
        self.history.setWordWrap(False)
        self.history.setTabKeyNavigation(False)
        self.history.verticalHeader().hide()
        self.history.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)
        for col in (3, 6, 7):  # form, rating, time: the browser shows them
            self.history.setColumnHidden(col, True)
        self.history.setMinimumHeight(150)
        p.addWidget(self.history, 1)
        self.history_empty = QLabel("Not answered yet.", panel)
        self.history_empty.setObjectName("muted")
        p.addWidget(self.history_empty)
        buttons = QHBoxLayout()
        self.edit = QPushButton("Edit fact…", panel)
        self.edit.setAccessibleName("Edit the selected fact")
        self.browse = QPushButton("Show in Browse", panel)
        self.browse.setAccessibleName("Show the selected fact in Browse")
        buttons.addWidget(self.edit)
        buttons.addWidget(self.browse)
        buttons.addStretch(1)
        p.addLayout(buttons)
        self.add_from_selection = QPushButton("Add fact from selection…", panel)
        self.add_from_selection.setAccessibleName("Add a fact from the selected words")
        self.add_from_selection.setToolTip(
            "Select words in the article, then add them as a new fact of this deck")
        p.addWidget(self.add_from_selection, 0, Qt.AlignmentFlag.AlignLeft)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([620, 380])
        outer.addWidget(self.splitter, 1)
        self.set_fact_actions(False)

    def _anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith(f"{FACT_SCHEME}:"):
            self.fact_clicked.emit(text[len(FACT_SCHEME) + 1:])

    def set_fact_actions(self, enabled: bool) -> None:
        """Enable the buttons that act on the selected fact."""
        self.edit.setEnabled(enabled)
        self.browse.setEnabled(enabled)
