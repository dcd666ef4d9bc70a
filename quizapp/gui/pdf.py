"""PDF files a teacher can print: quizzes with their answer key, and progress reports.

Drawn with :class:`QPainter` on a :class:`QPdfWriter` (no extra dependency).
Every block of text is a small :class:`QTextDocument` measured at the
printer's resolution, then placed by a simple flow: a block that does not fit
on what is left of a page goes whole to the next one, so **no question is ever
split across pages**; headings stay with what follows them. The page count is
known before anything is drawn, so every footer says "Page x of y".

A quiz paper has a title, a line for the name, class and date, short
instructions for the forms it uses, and numbered questions: lettered choices,
or a line to write the answer on. The answer key starts on a page of its own.

Qt needs a :class:`QGuiApplication` for fonts; :func:`ensure_gui_app` makes
one when none is running. Without a display (a server, CI) the caller sets
``QT_QPA_PLATFORM=offscreen`` first; :func:`ensure_gui_app` does it itself on
Linux and the BSDs when neither ``DISPLAY`` nor ``WAYLAND_DISPLAY`` is set.
"""

from __future__ import annotations

import atexit
import html
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from quizapp.files import atomic_path
from quizapp.questions.model import Form
from quizapp.quiz import FormGroup, KeyEntry, Quiz, answer_key, group_of, letter
from quizapp.services.progress import StudentProgress, describe_seconds

__all__ = [
    "Paper",
    "ensure_gui_app",
    "write_progress_pdf",
    "write_quiz_pdf",
]

DPI = 300
MM = DPI / 25.4
PT = DPI / 72
FONT_FAMILIES = ["DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Helvetica"]
INK = "#16181d"
MUTED = "#5b6170"
RULE = "#9aa1ae"
SHADE = "#eef0f4"
ACCENT = "#2f4bbf"

_app: QGuiApplication | None = None

class Paper(StrEnum):
    """Paper sizes."""

    A4 = "a4"
    LETTER = "letter"


def ensure_gui_app() -> QGuiApplication:
    """The running QGuiApplication, or a new one (offscreen when there is no display)."""
    global _app
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    unix = sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))
    if unix and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication(["quizapp"])
    atexit.register(_close_app)
    return _app


def _close_app() -> None:
    """Delete the application made here before the interpreter tears Qt down."""
    global _app
    if _app is not None:
        _app.shutdown()
        _app = None


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(points)
    font.setBold(bold)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    return font


_CSS = f"""
body {{ color: {INK}; }}
p {{ margin: 0; }}
.muted {{ color: {MUTED}; }}
.prompt {{ }}
.choice {{ }}
.letter {{ font-weight: bold; }}
th {{ color: {MUTED}; font-weight: bold; text-align: left; border-bottom: 1px solid {RULE}; }}
td.num, th.num {{ text-align: right; }}
"""


@dataclass(slots=True)
class _Block:
    height: float
    draw: Callable[[QPainter, float, float], None]
    keep_with_next: bool = False
    new_page: bool = False


def _nothing(_p: QPainter, _x: float, _y: float) -> None:
    return None


class _Pages:
    """Lays blocks out on pages, then draws them with a footer on every page."""

    def __init__(self, writer: QPdfWriter, paper: Paper, margins_mm: tuple[float, ...]) -> None:
        self.writer = writer
        size = QPageSize(QPageSize.PageSizeId.A4 if paper is Paper.A4
                         else QPageSize.PageSizeId.Letter)
        writer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait,
                                         QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
        writer.setResolution(DPI)
        full = size.sizePoints()
        self.page_w = full.width() * PT
        self.page_h = full.height() * PT
        top, right, bottom, left = margins_mm
        self.left = left * MM
        self.top = top * MM
        self.width = self.page_w - (left + right) * MM
        self.bottom = self.page_h - bottom * MM
        self.blocks: list[_Block] = []

    def doc(self, html_text: str, width: float | None = None,
            points: float = 10.5) -> QTextDocument:
        """A laid-out text block at the printer's resolution."""
        d = QTextDocument()
        d.documentLayout().setPaintDevice(self.writer)
        d.setDocumentMargin(0)
        d.setDefaultFont(_font(points))
        d.setDefaultStyleSheet(_CSS)
        d.setHtml(f"<body>{html_text}</body>")
        d.setTextWidth(width if width is not None else self.width)
        return d

    def add(self, block: _Block) -> None:
        """Append a block to the flow."""
        self.blocks.append(block)

    def text(self, html_text: str, points: float = 10.5, *, space_after: float = 0,
             indent: float = 0, keep_with_next: bool = False, new_page: bool = False) -> None:
        """Append a block of rich text."""
        d = self.doc(html_text, self.width - indent, points)

        def draw(p: QPainter, x: float, y: float) -> None:
            p.save()
            p.translate(x + indent, y)
            d.drawContents(p)
            p.restore()

        self.add(_Block(d.size().height() + space_after, draw, keep_with_next, new_page))

    def space(self, mm: float) -> None:
        """Vertical space (dropped at the top of a page)."""
        self.add(_Block(mm * MM, _nothing))

    def layout(self) -> list[list[tuple[_Block, float]]]:
        """Blocks per page with their y positions; a block never straddles two pages."""
        pages: list[list[tuple[_Block, float]]] = [[]]
        y = self.top
        for i, block in enumerate(self.blocks):
            need = block.height
            if block.keep_with_next and i + 1 < len(self.blocks):
                need += self.blocks[i + 1].height
            if pages[-1] and (block.new_page or y + need > self.bottom):
                pages.append([])
                y = self.top
            if not pages[-1] and block.draw is _nothing:
                continue
            pages[-1].append((block, y))
            y += block.height
        return pages

    def render(self, footer: Callable[[QPainter, int, int], None]) -> int:
        """Draw every page; returns the page count."""
        pages = self.layout()
        count = len(pages)
        painter = QPainter()
        if not painter.begin(self.writer):
            raise OSError("the PDF file cannot be written")
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            for n, page in enumerate(pages, start=1):
                if n > 1:
                    self.writer.newPage()
                for block, y in page:
                    block.draw(painter, self.left, y)
                footer(painter, n, len(pages))
        finally:
            painter.end()
            # The blocks' drawing closures hold text documents and this object: let
            # them go now, while Qt is alive, not in a garbage collection at exit.
            self.blocks.clear()
            pages.clear()
        return count

    def footer_text(self, painter: QPainter, left: str, right: str) -> None:
        """Small muted text under the bottom margin's rule."""
        y = self.bottom + 4 * MM
        painter.save()
        painter.setPen(QPen(QColor(RULE), 0.25 * MM))
        painter.drawLine(QPointF(self.left, y), QPointF(self.left + self.width, y))
        painter.setPen(QColor(MUTED))
        painter.setFont(_font(8.5))
        box = QRectF(self.left, y + 1.5 * MM, self.width, 6 * MM)
        painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, left)
        painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, right)
        painter.restore()


def _esc(text: str | None) -> str:
    return html.escape(text or "")


def _write_atomic(path: Path, fill: Callable[[QPdfWriter], int]) -> int:
    """Let ``fill`` draw into a PDF beside ``path``, then move it into place."""
    ensure_gui_app()
    path = Path(path)
    def no_folder(target: Path) -> OSError:
        return OSError(f"{target}: the folder {target.parent} does not exist")

    with atomic_path(path, suffix=".pdf", missing_folder=no_folder) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setCreator("quizapp")
        pages = fill(writer)
        del writer  # flushes and closes the file
        if tmp.stat().st_size == 0:
            raise OSError(f"{path}: the PDF could not be written")
    return pages


# --------------------------------------------------------------------------
# Quiz


_INSTRUCTIONS: dict[FormGroup, str] = {
    FormGroup.CHOICE: "For a multiple-choice question, circle the letter of the one right "
                      "answer.",
    FormGroup.TYPED: "For a question with a line, write your answer on the line.",
    FormGroup.CLOZE: "To fill in a blank, write the missing words on the line below the "
                     "sentence.",
    FormGroup.ORDER: "To put events in order, write their letters from the earliest to the "
                     "latest.",
}


def _choices_html(options: Sequence[str]) -> str:
    rows = "".join(
        f'<tr><td width="7%" class="letter">{letter(i)}</td><td>{_esc(text)}</td></tr>'
        for i, text in enumerate(options)
    )
    return f'<table cellspacing="0" cellpadding="3" width="100%">{rows}</table>'


def _question_block(pages: _Pages, number: int, prompt: str, options: Sequence[str] | None,
                    write_line: str | None) -> _Block:
    """One question: number in the gutter, prompt, choices or a line to write on."""
    gutter = 9 * MM
    width = pages.width - gutter
    body = f'<p class="prompt">{_esc(prompt)}</p>'
    prompt_doc = pages.doc(body, width, 11)
    choice_doc = pages.doc(_choices_html(options), width - 3 * MM, 10.5) if options else None
    num_doc = pages.doc(f"<b>{number}.</b>", gutter, 11)
    gap = 2.2 * MM
    line_h = 11 * MM if write_line is not None else 0.0
    height = prompt_doc.size().height()
    if choice_doc is not None:
        height += gap + choice_doc.size().height()
    height += line_h

    def draw(p: QPainter, x: float, y: float) -> None:
        p.save()
        p.translate(x, y)
        num_doc.drawContents(p)
        p.translate(gutter, 0)
        prompt_doc.drawContents(p)
        dy = prompt_doc.size().height()
        if choice_doc is not None:
            p.save()
            p.translate(3 * MM, dy + gap)
            choice_doc.drawContents(p)
            p.restore()
            dy += gap + choice_doc.size().height()
        if write_line is not None:
            base = dy + line_h - 1.5 * MM
            p.setPen(QColor(MUTED))
            p.setFont(_font(9))
            label_w = 0.0
            if write_line:
                label_w = p.fontMetrics().horizontalAdvance(write_line) + 2 * MM
                p.drawText(QPointF(0, base - 1 * MM), write_line)
            p.setPen(QPen(QColor(RULE), 0.3 * MM))
            p.drawLine(QPointF(label_w, base), QPointF(width, base))
        p.restore()

    return _Block(height + 6 * MM, draw)


def _name_line(pages: _Pages) -> _Block:
    """Name, class and date, each with a line to write on."""
    h = 10 * MM

    def draw(p: QPainter, x: float, y: float) -> None:
        p.save()
        p.setFont(_font(10))
        base = y + h - 2.5 * MM
        fields = (("Name", 0.52), ("Class", 0.2), ("Date", 0.28))
        left = x
        for label, share in fields:
            w = pages.width * share
            p.setPen(QColor(INK))
            p.drawText(QPointF(left, base - 1 * MM), label)
            lw = p.fontMetrics().horizontalAdvance(label) + 2 * MM
            p.setPen(QPen(QColor(RULE), 0.3 * MM))
            p.drawLine(QPointF(left + lw, base), QPointF(left + w - 5 * MM, base))
            left += w
        p.restore()

    return _Block(h + 3 * MM, draw)


def _instructions_block(pages: _Pages, quiz: Quiz) -> _Block:
    groups = {group_of(i.question.form) for i in quiz.items}
    lines = [f"Answer all {len(quiz.items)} questions."]
    lines += [_INSTRUCTIONS[g] for g in FormGroup if g in groups]
    pad = 3.5 * MM
    d = pages.doc(" ".join(_esc(x) for x in lines), pages.width - 2 * pad, 10)
    h = d.size().height() + 2 * pad

    def draw(p: QPainter, x: float, y: float) -> None:
        p.save()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(SHADE))
        p.drawRoundedRect(QRectF(x, y, pages.width, h), 2 * MM, 2 * MM)
        p.translate(x + pad, y + pad)
        d.drawContents(p)
        p.restore()

    return _Block(h + 7 * MM, draw)


def _written_label(form: Form) -> str:
    return "Order:" if form is Form.TIMELINE else "Answer:"


def write_quiz_pdf(quiz: Quiz, path: str | Path, *, answer_key_page: bool = True,
                   paper: Paper | str = Paper.A4, note: str | None = None) -> int:
    """Write a printable quiz (and its answer key on a page of its own); returns pages."""
    paper = Paper(paper)
    version = quiz.options.version

    def fill(writer: QPdfWriter) -> int:
        writer.setTitle(quiz.title)
        pages = _Pages(writer, paper, (16, 18, 20, 18))
        pages.text(f"<b>{_esc(quiz.title)}</b>", 17, space_after=1.5 * MM)
        sub = [f"{len(quiz.items)} questions", f"Version {version}"]
        if note:
            sub.append(note)
        pages.text(f'<span class="muted">{_esc(" · ".join(sub))}</span>', 10,
                   space_after=5 * MM)
        pages.add(_name_line(pages))
        pages.add(_instructions_block(pages, quiz))
        for item in quiz.items:
            q = item.question
            if q.form is Form.TIMELINE:
                options: Sequence[str] | None = q.items
                line: str | None = _written_label(q.form)
            elif q.choices is not None:
                options, line = q.choices, None
            else:
                options, line = None, _written_label(q.form)
            prompt = q.prompt
            if q.form is Form.TIMELINE:
                prompt = "Put these events in order, earliest first."
            pages.add(_question_block(pages, item.number, prompt, options, line))
        if answer_key_page:
            _answer_key(pages, quiz)

        def footer(p: QPainter, n: int, total: int) -> None:
            pages.footer_text(p, f"{quiz.title} · Version {version}", f"Page {n} of {total}")

        return pages.render(footer)

    return _write_atomic(Path(path), fill)


def _key_row(pages: _Pages, entry: KeyEntry, lead_width: int) -> _Block:
    answer = f"<b>{_esc(entry.answer)}</b>" if entry.letter is None else _esc(entry.answer)
    lead = f"<b>{_esc(entry.letter)}</b>" if entry.letter else "—"
    also = ""
    if entry.why:
        also = f'<br/><span class="muted">{_esc(entry.why[:1].upper() + entry.why[1:])}.</span>'
    if entry.also:
        also = (f'<br/><span class="muted">Also right: '
                f'{_esc("; ".join(entry.also))}</span>')
    html_text = (
        '<table width="100%" cellspacing="0" cellpadding="2"><tr>'
        f'<td width="6%"><b>{entry.number}.</b></td>'
        f'<td width="{lead_width}%">{lead}</td>'
        f"<td>{answer}{also}</td></tr></table>"
    )
    d = pages.doc(html_text, pages.width, 10.5)

    def draw(p: QPainter, x: float, y: float) -> None:
        p.save()
        p.translate(x, y)
        d.drawContents(p)
        p.setPen(QPen(QColor(SHADE), 0.3 * MM))
        h = d.size().height() + 1.2 * MM
        p.drawLine(QPointF(0, h), QPointF(pages.width, h))
        p.restore()

    return _Block(d.size().height() + 2.6 * MM, draw)


def _answer_key(pages: _Pages, quiz: Quiz) -> None:
    pages.text("<b>Answer key</b>", 17, space_after=1.5 * MM, new_page=True)
    pages.text(f'<span class="muted">{_esc(quiz.title)} · Version {quiz.options.version}'
               " · for the teacher: keep this page away from the students</span>", 10,
               space_after=6 * MM)
    entries = answer_key(quiz)
    wide = any(e.letter is not None and "," in e.letter for e in entries)
    for entry in entries:
        pages.add(_key_row(pages, entry, 17 if wide else 8))


# --------------------------------------------------------------------------
# Progress report


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def _stat_cells(pages: _Pages, cells: Sequence[tuple[str, str]]) -> _Block:
    """A row of big figures with captions, on shaded cards."""
    gap = 4 * MM
    w = (pages.width - gap * (len(cells) - 1)) / len(cells)
    pad = 3 * MM
    docs = [pages.doc(f'<p style="font-size:14pt"><b>{_esc(v).replace(" ", "&nbsp;")}</b></p>'
                      f'<p class="muted">{_esc(c)}</p>', w - 2 * pad, 9.5) for v, c in cells]
    h = max(d.size().height() for d in docs) + 2 * pad

    def draw(p: QPainter, x: float, y: float) -> None:
        for i, d in enumerate(docs):
            p.save()
            left = x + i * (w + gap)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(SHADE))
            p.drawRoundedRect(QRectF(left, y, w, h), 2 * MM, 2 * MM)
            p.translate(left + pad, y + pad)
            d.drawContents(p)
            p.restore()

    return _Block(h + 7 * MM, draw)


def _table(pages: _Pages, headers: Sequence[str], rows: Sequence[Sequence[str]],
           widths: Sequence[int], numeric: set[int], chunk: int = 22) -> None:
    """A table, split into blocks of ``chunk`` rows (each with the header row)."""
    def cell(i: int, text: str, tag: str) -> str:
        cls = ' class="num"' if i in numeric else ""
        align = ' align="right"' if i in numeric else ""
        return f'<{tag}{cls}{align} width="{widths[i]}%">{text}</{tag}>'

    head = "<tr>" + "".join(cell(i, _esc(h), "th") for i, h in enumerate(headers)) + "</tr>"
    for start in range(0, max(len(rows), 1), chunk):
        part = rows[start:start + chunk]
        body = "".join(
            f'<tr{" bgcolor=" + chr(34) + SHADE + chr(34) if (start + r) % 2 else ""}>'
            + "".join(cell(i, _esc(v).replace(" ", "&nbsp;") if i in numeric else _esc(v), "td")
                      for i, v in enumerate(row)) + "</tr>"
            for r, row in enumerate(part)
        )
        pages.text(f'<table width="100%" cellspacing="0" cellpadding="4">{head}{body}</table>',
                   9.5, space_after=6 * MM)


def _section(pages: _Pages, title: str, note: str = "") -> None:
    extra = f'  <span class="muted" style="font-size:9pt">{_esc(note)}</span>' if note else ""
    pages.text(f"<b>{_esc(title)}</b>{extra}", 12.5, space_after=2 * MM, keep_with_next=True)


def _date(value: datetime | None) -> str:
    if value is None:
        return "–"
    value = value.astimezone(UTC)
    return f"{value.day} {value:%B %Y}"


def _short_date(iso: str | None) -> str:
    if not iso:
        return "–"
    try:
        d = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d:%b %Y}"


def write_progress_pdf(progress: StudentProgress | dict[str, Any], path: str | Path, *,
                       paper: Paper | str = Paper.A4) -> int:
    """Write a readable progress report for one student; returns the page count."""
    from quizapp.services.progress import read_progress_data

    student = progress if isinstance(progress, StudentProgress) \
        else read_progress_data(progress, "progress")
    paper = Paper(paper)

    def fill(writer: QPdfWriter) -> int:
        writer.setTitle(f"Progress report — {student.student}")
        pages = _Pages(writer, paper, (16, 18, 20, 18))
        pages.text("<b>Progress report</b>", 17, space_after=1 * MM)
        pages.text(f"<b>{_esc(student.student)}</b>", 13, space_after=1 * MM)
        pages.text(f'<span class="muted">Exported {_esc(_date(student.exported_at))} from '
                   "quizapp</span>", 10, space_after=6 * MM)
        facts = sum(d.facts for d in student.decks)
        mastered = sum(d.mastered for d in student.decks)
        scores = student.test_scores
        tests = len(student.tests)
        pages.add(_stat_cells(pages, [
            (f"{mastered} of {facts}", "facts mastered"),
            (_pct(student.retention), "retention (30 days)"),
            (describe_seconds(student.seconds_studied), "time studied"),
            (_pct(sum(scores) / len(scores)) if scores else "–",
             f"average of {tests} test{'s' if tests != 1 else ''}" if scores
             else "no tests taken"),
        ]))
        _section(pages, "Decks")
        _table(pages, ("Deck", "Facts", "Mastered", "Retention", "Time", "Answers", "Tests"),
               [(d.name, str(d.facts), str(d.mastered), _pct(d.retention),
                 describe_seconds(d.seconds_studied), str(d.answers), _pct(d.test_score))
                for d in student.decks],
               (26, 8, 12, 13, 15, 13, 13), {1, 2, 3, 4, 5, 6})
        _section(pages, "Practice tests", f"{len(student.tests)} taken" if student.tests
                 else "none taken yet")
        if not student.tests:
            pages.text('<span class="muted">No practice tests yet.</span>', 10,
                       space_after=6 * MM)
        else:
            _table(pages, ("Date", "Decks", "Right", "Score", "Time"),
                   [(_short_date(t.get("started_at") or t.get("date")),
                     ", ".join(t.get("decks") or []),
                     f"{t.get('correct', 0)} of {t.get('answered', 0)}", _pct(t.get("score")),
                     describe_seconds(t.get("seconds"))) for t in student.tests],
                   (16, 44, 14, 12, 14), {2, 3, 4})
        _section(pages, "Most missed facts", "wrong answers, most first")
        several = len({m.get("deck") for m in student.most_missed}) > 1
        if student.most_missed and several:
            _table(pages, ("Fact", "Deck", "Missed"),
                   [(str(m.get("label") or m.get("fact_id")), str(m.get("deck_name") or ""),
                     f"{m.get('misses', 0)} of {m.get('answers', 0)}")
                    for m in student.most_missed],
                   (62, 26, 12), {2})
        elif student.most_missed:
            _table(pages, ("Fact", "Missed"),
                   [(str(m.get("label") or m.get("fact_id")),
                     f"{m.get('misses', 0)} of {m.get('answers', 0)}")
                    for m in student.most_missed],
                   (86, 14), {1})
        else:
            pages.text('<span class="muted">No wrong answers yet.</span>', 10,
                       space_after=6 * MM)
        _section(pages, "Reported questions", "questions the student found wrong")
        if student.reported:
            _table(pages, ("Question", "Reason", "Date"),
                   [(str(r.get("prompt") or ""), str(r.get("reason") or "–"),
                     _short_date(r.get("created_at"))) for r in student.reported],
                   (60, 26, 14), set())
        else:
            pages.text('<span class="muted">None.</span>', 10, space_after=6 * MM)

        def footer(p: QPainter, n: int, total: int) -> None:
            pages.footer_text(p, f"Progress report · {student.student}", f"Page {n} of {total}")

        return pages.render(footer)

    return _write_atomic(Path(path), fill)


def page_size_mm(paper: Paper | str) -> QSizeF:
    """The paper's size in millimetres."""
    size = QPageSize(QPageSize.PageSizeId.A4 if Paper(paper) is Paper.A4
                     else QPageSize.PageSizeId.Letter)
    return size.size(QPageSize.Unit.Millimeter)
