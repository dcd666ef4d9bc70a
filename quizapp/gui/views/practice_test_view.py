"""Layout of the practice-test screen: set-up, questions, and the end report.

Behaviour lives in :class:`quizapp.gui.controllers.practice_test_panel.PracticeTestPanel`;
the view shows plain values: :class:`TestSetupValues` for the set-up form,
:class:`quizapp.questions.model.Question` on the question page and
:class:`quizapp.quiz.TestReport` on the report page.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.safe_text import tooltip
from quizapp.gui.theme import colors
from quizapp.gui.views.question_widgets import QuestionPanel
from quizapp.gui.views.study_view import (
    CARD_MAX_WIDTH,
    FeedbackInfo,
    QuestionCard,
    StatBox,
    centered,
    evidence_html,
)
from quizapp.questions.model import Form, Question
from quizapp.quiz import GROUP_LABELS, MAX_QUESTIONS, FormGroup, TestReport, TestScore, TestStyle
from quizapp.services.progress import describe_seconds

TIMELINE_ARROW = "  →  "


@dataclass(frozen=True, slots=True)
class DeckChoice:
    """A deck the learner may test themselves on."""

    deck_id: int
    name: str
    facts: int = 0


@dataclass(frozen=True, slots=True)
class TestSetupValues:
    """What the set-up form holds."""

    __test__ = False

    deck_ids: tuple[int, ...]
    questions: int
    groups: tuple[FormGroup, ...] | None  # None: mixed
    time_limit_min: int | None
    style: TestStyle


def _label(text: str = "", name: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


# --------------------------------------------------------------------------
# Set-up


class SetupPage(QWidget):
    """Choose decks, the number of questions, forms, a time limit and the style."""

    start_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Practice test set-up")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        box = QFrame()
        box.setObjectName("card")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(28, 22, 28, 24)
        layout.setSpacing(12)
        layout.addWidget(_label("Practice test", "pageTitle", box))
        layout.addWidget(_label(
            "Answers count as test answers: cards you already review are rescheduled, new "
            "facts stay new, and nothing is taken from today's limits.", "muted", box))

        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)

        grid.addWidget(_heading("Decks", box), 0, 0, Qt.AlignmentFlag.AlignTop)
        self.decks = QListWidget(box)
        self.decks.setAccessibleName("Decks to test")
        self.decks.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.decks.setMaximumHeight(140)
        self.decks.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        grid.addWidget(self.decks, 0, 1)

        grid.addWidget(_heading("Questions", box), 1, 0)
        self.count = QSpinBox(box)
        self.count.setAccessibleName("Number of questions")
        self.count.setRange(1, MAX_QUESTIONS)
        self.count.setValue(10)
        self.count.setMaximumWidth(100)
        grid.addWidget(self.count, 1, 1, Qt.AlignmentFlag.AlignLeft)

        grid.addWidget(_heading("Forms", box), 2, 0, Qt.AlignmentFlag.AlignTop)
        forms = QVBoxLayout()
        forms.setSpacing(4)
        self.mixed = QRadioButton("Mixed: every form", box)
        self.chosen = QRadioButton("Only these:", box)
        self.form_group = QButtonGroup(box)
        self.form_group.addButton(self.mixed)
        self.form_group.addButton(self.chosen)
        self.mixed.setChecked(True)
        forms.addWidget(self.mixed)
        forms.addWidget(self.chosen)
        checks = QHBoxLayout()
        checks.setContentsMargins(24, 0, 0, 0)
        self.group_boxes: dict[FormGroup, QCheckBox] = {}
        for group in FormGroup:
            cb = QCheckBox(GROUP_LABELS[group], box)
            cb.setChecked(True)
            cb.setEnabled(False)
            self.group_boxes[group] = cb
            checks.addWidget(cb)
        checks.addStretch(1)
        forms.addLayout(checks)
        grid.addLayout(forms, 2, 1)
        self.chosen.toggled.connect(self._enable_groups)

        grid.addWidget(_heading("Time", box), 3, 0)
        timing = QHBoxLayout()
        self.timed = QCheckBox("Time limit of", box)
        self.minutes = QSpinBox(box)
        self.minutes.setAccessibleName("Time limit in minutes")
        self.minutes.setRange(1, 240)
        self.minutes.setValue(10)
        self.minutes.setSuffix(" min")
        self.minutes.setEnabled(False)
        self.timed.toggled.connect(self.minutes.setEnabled)
        timing.addWidget(self.timed)
        timing.addWidget(self.minutes)
        timing.addStretch(1)
        grid.addLayout(timing, 3, 1)

        grid.addWidget(_heading("Style", box), 4, 0, Qt.AlignmentFlag.AlignTop)
        style = QVBoxLayout()
        style.setSpacing(4)
        self.exam = QRadioButton("Exam: see how you did at the end", box)
        self.practice = QRadioButton("Practice: feedback after each question", box)
        self.style_group = QButtonGroup(box)
        self.style_group.addButton(self.exam)
        self.style_group.addButton(self.practice)
        self.exam.setChecked(True)
        style.addWidget(self.exam)
        style.addWidget(self.practice)
        grid.addLayout(style, 4, 1)
        layout.addLayout(grid)

        self.problem = _label("", "problem", box)
        self.problem.setAccessibleName("Problem")
        self.problem.setStyleSheet(f"color: {colors().wrong_fg};")
        self.problem.hide()
        layout.addWidget(self.problem)
        row = QHBoxLayout()
        row.addStretch(1)
        self.start = QPushButton("Start test", box)
        self.start.setAccessibleName("Start the practice test")
        self.start.setProperty("primary", True)
        self.start.setAutoDefault(True)
        self.start.setDefault(True)
        self.start.clicked.connect(self.start_requested)
        row.addWidget(self.start)
        layout.addLayout(row)

        layout.addSpacing(6)
        layout.addWidget(_heading("Your tests", box))
        self.history = QTableWidget(0, 4, box)
        self.history.setAccessibleName("Tests taken")
        self.history.setHorizontalHeaderLabels(["Date", "Decks", "Score", "Time"])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setShowGrid(False)
        self.history.setAlternatingRowColors(True)
        self.history.verticalHeader().hide()
        self.history.setTabKeyNavigation(False)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.history.setMinimumHeight(150)
        self.no_history = _label("No tests taken yet.", "muted", box)
        layout.addWidget(self.history)
        layout.addWidget(self.no_history)
        outer.addWidget(centered(box, self))

    def _enable_groups(self, on: bool) -> None:
        for cb in self.group_boxes.values():
            cb.setEnabled(on)

    def set_decks(self, decks: list[DeckChoice], checked: set[int] | None = None) -> None:
        """List the decks; ``checked`` ones (default: the first) are ticked."""
        self.decks.clear()
        for i, d in enumerate(decks):
            text = d.name if not d.facts else f"{d.name}  ({d.facts} facts)"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, d.deck_id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            on = d.deck_id in checked if checked is not None else i == 0
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.decks.addItem(item)

    def set_history(self, scores: list[TestScore]) -> None:
        """Show the tests taken, newest first."""
        rows = list(reversed(scores))[:20]
        self.history.setRowCount(len(rows))
        for r, t in enumerate(rows):
            score = "–" if t.score is None else f"{round(100 * t.score)}%"
            values = (f"{t.date.day} {t.date:%b %Y}", ", ".join(t.decks),
                      f"{score}  ({t.correct} of {t.answered})", describe_seconds(t.seconds))
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(tooltip(text))
                self.history.setItem(r, c, item)
        self.history.setVisible(bool(rows))
        self.no_history.setVisible(not rows)

    def values(self) -> TestSetupValues:
        """What the form holds."""
        ids = tuple(
            int(self.decks.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.decks.count())
            if self.decks.item(i).checkState() == Qt.CheckState.Checked
        )
        groups = None
        if self.chosen.isChecked():
            groups = tuple(g for g, cb in self.group_boxes.items() if cb.isChecked())
        return TestSetupValues(
            deck_ids=ids,
            questions=self.count.value(),
            groups=groups,
            time_limit_min=self.minutes.value() if self.timed.isChecked() else None,
            style=TestStyle.PRACTICE if self.practice.isChecked() else TestStyle.EXAM,
        )

    def show_problem(self, text: str) -> None:
        """Say why the test cannot start ("" hides it)."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


# --------------------------------------------------------------------------
# Questions


class QuestionPage(QWidget):
    """One question at a time, with the count, a clock and (practice style) feedback."""

    end_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Practice test question")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        strip = QWidget(self)
        strip_layout = QVBoxLayout(strip)
        strip_layout.setContentsMargins(16, 10, 16, 8)
        strip_layout.setSpacing(6)
        top = QHBoxLayout()
        self.title = QLabel("", strip)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.counter = QLabel("", strip)
        self.counter.setObjectName("progressText")
        self.counter.setAccessibleName("Question number")
        self.clock = QLabel("", strip)
        self.clock.setObjectName("progressText")
        self.clock.setAccessibleName("Time left")
        self.end = QPushButton("End test", strip)
        self.end.setAccessibleName("End the test now")
        self.end.setToolTip("Stop here and see the report")
        self.end.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.end.clicked.connect(self.end_requested)
        top.addWidget(self.title, 1)
        top.addWidget(self.counter)
        top.addSpacing(16)
        top.addWidget(self.clock)
        top.addSpacing(12)
        top.addWidget(self.end)
        strip_layout.addLayout(top)
        self.progress = QProgressBar(strip)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Test progress")
        self.progress.setFixedHeight(6)
        strip_layout.addWidget(self.progress)
        outer.addWidget(strip)

        self.card = QuestionCard(self, flashcards=False)
        self.form_tag = self.card.form_tag
        self.prompt = self.card.prompt
        self.choice_panel = self.card.choice_panel
        self.typed_panel = self.card.typed_panel
        self.timeline_panel = self.card.timeline_panel
        self.panels = self.card.panels
        self.feedback = self.card.feedback
        self.question_scroll = centered(self.card, self)
        outer.addWidget(self.question_scroll, 1)

        bar = QWidget(self)
        bar_layout = QHBoxLayout(bar)
        bar_layout.setContentsMargins(16, 8, 16, 12)
        self.hint = QLabel("", bar)
        self.hint.setObjectName("muted")
        self.hint.setAccessibleName("Keyboard hint")
        bar_layout.addWidget(self.hint)
        bar_layout.addStretch(1)
        bar_layout.addWidget(self.feedback.overrule)
        bar_layout.addWidget(self.feedback.continue_button)
        outer.addWidget(bar)

    def panel_for(self, form: Form) -> QuestionPanel:
        """The answer panel of a form."""
        return self.card.panel_for(form)

    @property
    def current_panel(self) -> QuestionPanel:
        """The answer panel on show."""
        return self.card.current_panel

    def show_question(self, question: Question, number: int, total: int, title: str) -> None:
        """Show one question, ready for an answer."""
        self.title.setText(title)
        self.counter.setText(f"Question {number} of {total}")
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(number - 1)
        panel = self.card.show_question(question)
        self.question_scroll.verticalScrollBar().setValue(0)
        panel.focus_answer()
        self.hint.setText(panel.key_hint())

    def show_feedback(self, info: FeedbackInfo) -> None:
        """Lock the answer and show the verdict under it (practice style)."""
        self.card.show_feedback(info)
        self.hint.setText("Enter to go on")

    def set_clock(self, text: str, urgent: bool = False) -> None:
        """Show the time left ("" hides it)."""
        self.clock.setText(text)
        self.clock.setVisible(bool(text))
        self.clock.setStyleSheet(f"color: {colors().wrong_fg}; font-weight: 600;"
                                 if urgent else "")


# --------------------------------------------------------------------------
# Report


def _verdict_mark(verdict: str) -> tuple[str, str, str]:
    c = colors()
    return {
        "right": ("✓", "Right", c.right_fg),
        "partial": ("≈", "Partly right", c.partial_fg),
        "wrong": ("✗", "Wrong", c.wrong_fg),
    }.get(verdict, ("–", "Not answered", c.muted))


def _shown_answer(text: str, form: Form) -> str:
    return TIMELINE_ARROW.join(text.split(" | ")) if form is Form.TIMELINE else text


def report_html(report: TestReport, overruled: set[int] | frozenset[int] = frozenset(),
                reported: set[int] | frozenset[int] = frozenset()) -> str:
    """Every question of a finished test with the answer given, the right one and evidence."""
    c = colors()
    parts = []
    for item in report.items:
        q = item.question
        mark, word, color = _verdict_mark(item.verdict)
        given = _shown_answer(item.given, q.form) if item.answered else ""
        right = _shown_answer(item.right_answer, q.form)
        lines = [
            f'<p style="margin:0"><b>{item.number}.&nbsp; {html.escape(q.prompt)}</b></p>',
            f'<p style="margin:4px 0 0 0"><span style="color:{color}; font-weight:600">'
            f"{mark} {word}</span>"
            + (f' &nbsp;<span style="color:{c.muted}">counted as right at your request</span>'
               if item.number - 1 in overruled else "") + "</p>",
        ]
        if item.answered:
            lines.append(f'<p style="margin:2px 0 0 0">Your answer: '
                         f"{html.escape(given) if given else '<i>(none)</i>'}</p>")
        if not item.correct or given != right:
            lines.append(f'<p style="margin:2px 0 0 0">Right answer: '
                         f"<b>{html.escape(right)}</b></p>")
        evidence = evidence_html(q.evidence, (item.right_answer, *q.answers))
        if evidence:
            lines.append(f'<p style="margin:4px 0 0 0; color:{c.muted}">From the article: '
                         f'<span style="color:{c.text}">{evidence}</span></p>')
        links = []
        typed = q.form in (Form.TYPED, Form.CLOZE)
        if typed and item.answered and not item.correct and item.number - 1 not in overruled:
            links.append(f'<a href="overrule:{item.number - 1}">I was right</a>')
        if item.number - 1 in reported:
            links.append(f'<span style="color:{c.muted}">reported, thank you</span>')
        else:
            links.append(f'<a href="report:{item.number - 1}">Report this question</a>')
        lines.append(f'<p style="margin:4px 0 0 0">{" &nbsp;·&nbsp; ".join(links)}</p>')
        parts.append("".join(lines))
    sep = f'<hr style="border:none; background:{c.border}; height:1px"/>'
    return sep.join(parts)


class ReportPage(QWidget):
    """The end of a test: score, time, and every question."""

    review_requested = Signal()
    again_requested = Signal()
    close_requested = Signal()
    overrule_requested = Signal(int)
    report_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Practice test report")
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setSpacing(12)
        self.title = _label("Test complete", "pageTitle", box)
        self.subtitle = _label("", "muted", box)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.score = StatBox("Score", box)
        self.right = StatBox("Right answers", box)
        self.time = StatBox("Time", box)
        for i, w in enumerate((self.score, self.right, self.time)):
            grid.addWidget(w, 0, i)
        layout.addLayout(grid)
        self.note = _label("", "muted", box)
        self.note.setAccessibleName("Review round result")
        self.note.hide()
        layout.addWidget(self.note)
        row = QHBoxLayout()
        self.review = QPushButton("Review my mistakes", box)
        self.review.setAccessibleName("Review the mistakes now")
        self.review.setToolTip("Answer the questions you missed once more, right away")
        self.review.setProperty("primary", True)
        self.review.setAutoDefault(True)
        self.review.clicked.connect(self.review_requested)
        self.again = QPushButton("New test", box)
        self.again.setAutoDefault(True)
        self.again.clicked.connect(self.again_requested)
        self.close_button = QPushButton("Done", box)
        self.close_button.setAccessibleName("Done: leave the practice test")
        self.close_button.setAutoDefault(True)
        self.close_button.clicked.connect(self.close_requested)
        row.addWidget(self.review)
        row.addStretch(1)
        row.addWidget(self.again)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        layout.addWidget(_heading("Every question", box))
        self.details = QTextBrowser(box)
        self.details.setAccessibleName("Questions with your answers and the right answers")
        self.details.setOpenLinks(False)
        self.details.setOpenExternalLinks(False)
        self.details.setMinimumHeight(320)
        self.details.anchorClicked.connect(self._link)
        layout.addWidget(self.details, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        holder = QWidget(self)
        h = QHBoxLayout(holder)
        h.setContentsMargins(20, 16, 20, 16)
        h.addStretch(1)
        box.setParent(holder)
        box.setMaximumWidth(CARD_MAX_WIDTH)
        h.addWidget(box, 40)
        h.addStretch(1)
        outer.addWidget(holder)

    def _link(self, url: QUrl) -> None:
        kind, _, index = url.toString().partition(":")
        if not index.isdigit():
            return
        if kind == "overrule":
            self.overrule_requested.emit(int(index))
        elif kind == "report":
            self.report_requested.emit(int(index))

    def show_report(self, report: TestReport, overruled: set[int], reported: set[int]) -> None:
        """Fill in the score, the time and the questions."""
        self.title.setText("Time is up" if report.timed_out else "Test complete")
        style = "exam" if report.style is TestStyle.EXAM else "practice"
        limit = (f", time limit {describe_seconds(report.time_limit_s)}"
                 if report.time_limit_s else "")
        self.subtitle.setText(f"{', '.join(report.deck_names)} · {style} style{limit}")
        self.score.set_value(f"{round(100 * report.score)}%")
        unanswered = report.total - report.answered
        extra = f" ({unanswered} not answered)" if unanswered else ""
        self.right.set_value(f"{report.correct} of {report.total}")
        self.right.caption.setText(f"Right answers{extra}")
        self.time.set_value(describe_seconds(report.seconds))
        n = len(report.mistakes)
        self.review.setText(f"Review my mistakes ({n})")
        self.review.setVisible(n > 0)
        bar = self.details.verticalScrollBar()
        keep = bar.value()
        self.details.setHtml(report_html(report, overruled, reported))
        bar.setValue(keep)
        (self.review if n else self.close_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def show_note(self, text: str) -> None:
        """A line under the figures ("" hides it)."""
        self.note.setText(text)
        self.note.setVisible(bool(text))


class PracticeTestView(QWidget):
    """The practice-test screen: set-up, questions, report."""

    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practiceTestView")
        self.setAccessibleName("Practice test")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget(self)
        self.setup = SetupPage(self.pages)
        self.question = QuestionPage(self.pages)
        self.report = ReportPage(self.pages)
        for page in (self.setup, self.question, self.report):
            self.pages.addWidget(page)
        layout.addWidget(self.pages)

    def show_setup(self) -> None:
        """The set-up form."""
        self.pages.setCurrentWidget(self.setup)
        self.setup.start.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_question_page(self) -> None:
        """The question page."""
        self.pages.setCurrentWidget(self.question)

    def show_report_page(self) -> None:
        """The report page."""
        self.pages.setCurrentWidget(self.report)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.pages.currentWidget() is not self.question:
            self.back_requested.emit()
            return
        # R replays the question's sound, as on the study screen.
        if (event.key() == Qt.Key.Key_R and event.modifiers() == Qt.KeyboardModifier.NoModifier
                and self.pages.currentWidget() is self.question
                and self.question.card.media.replay()):
            return
        super().keyPressEvent(event)
