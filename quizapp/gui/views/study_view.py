"""Layout of the study screen: progress strip, question card, feedback, summary.

Behaviour (what happens on an answer, undo, overrule…) lives in
:class:`quizapp.gui.controllers.study_panel.StudyPanel`; the view only shows
plain values.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from quizapp.gui.safe_text import ANSWER_CHARS, PROMPT_CHARS, clip, one_line, tooltip
from quizapp.gui.theme import colors
from quizapp.gui.views.question_widgets import (
    ChoicePanel,
    FlashcardPanel,
    QuestionPanel,
    TimelinePanel,
    TypedPanel,
)
from quizapp.questions.model import TRUE_FALSE_LEAD, Evidence, Form, Question

#: What a leech's evidence sentence opens with, shown above its question.
LEECH_EVIDENCE_LEAD = "Read this first: "
CARD_MAX_WIDTH = 820

FORM_TITLES: dict[Form, str] = {
    Form.CHOICE: "Choose the answer",
    Form.LARGER: "Which is larger?",
    Form.WHO_SAID: "Who said it?",
    Form.WHICH_QUOTE: "Which quote?",
    Form.TYPED: "Type the answer",
    Form.CLOZE: "Fill in the blank",
    Form.TIMELINE: "Put in order",
    Form.FLASHCARD: "Flashcard",
    Form.DATE_EVENT: "What happened?",
    Form.NUMBER_MEANING: "What is counted?",
    Form.SPEAKER_POSITION: "What did they say?",
    Form.TRUE_FALSE: "True or false?",
    Form.CONFIRMATION: "What did they confirm?",
}

CHOICE_FORMS = frozenset({
    Form.CHOICE, Form.LARGER, Form.WHO_SAID, Form.WHICH_QUOTE,
    Form.DATE_EVENT, Form.NUMBER_MEANING, Form.SPEAKER_POSITION, Form.TRUE_FALSE,
    Form.CONFIRMATION,
})  # fmt: skip
TYPED_FORMS = frozenset({Form.TYPED, Form.CLOZE})


@dataclass(frozen=True, slots=True)
class FeedbackInfo:
    """What the feedback panel shows after an answer was committed."""

    verdict: str  # right | wrong | partial
    title: str  # "Right", "Not quite"…
    message: str  # the grader's words
    given: str
    correct_answer: str
    evidence: Evidence | None
    next_due: str = ""  # "Next review in 10 minutes"
    leech: bool = False
    can_overrule: bool = False


@dataclass(frozen=True, slots=True)
class ProgressInfo:
    """The progress strip."""

    answered: int
    remaining: int
    correct: int = 0
    new: int | None = None  # with learning and review: what is left, by queue (as Anki)
    learning: int = 0
    review: int = 0


@dataclass(frozen=True, slots=True)
class SummaryInfo:
    """The end-of-session summary."""

    answered: int
    correct: int
    seconds: float
    due_tomorrow: int | None
    deck_name: str
    nothing_due: bool = False
    new_waiting: int = 0  # new cards held back by today's limit
    reviews_waiting: int = 0  # reviews held back by today's limit
    more_new: int = 0  # the new cards "Study more today" adds (the deck's new per day, or 10)

    @property
    def accuracy(self) -> str:
        """Right answers as a percentage, or a dash."""
        if not self.answered:
            return "–"
        return f"{round(100 * self.correct / self.answered)}%"

    @property
    def duration(self) -> str:
        """Time spent, as minutes and seconds."""
        s = round(self.seconds)
        if s < 60:
            return f"{s} s"
        m, s = divmod(s, 60)
        if m < 60:
            return f"{m} min {s:02d} s"
        h, m = divmod(m, 60)
        return f"{h} h {m:02d} min"


def count_colours() -> tuple[str, str, str]:
    """The colours of the strip's new, learning and to-review counts (as Anki's: blue, red,
    green), readable on the theme's background."""
    c = colors()
    return ("#91a7ff" if c.dark else c.accent), c.wrong_fg, c.right_fg


def evidence_html(evidence: Evidence | None, answers: tuple[str, ...] | list[str]) -> str:
    """The evidence sentence as rich text with the answer highlighted (deck text escaped)."""
    if evidence is None or not evidence.sentence:
        return ""
    sentence = evidence.sentence
    start, end = evidence.highlight_start, evidence.highlight_end
    if start is None or end is None or not 0 <= start < end <= len(sentence):
        start = end = None
        lowered = sentence.lower()
        for answer in answers:
            answer = answer.strip()
            if not answer:
                continue
            i = lowered.find(answer.lower())
            if i >= 0:
                start, end = i, i + len(answer)
                break
    c = colors()
    if start is None or end is None:
        return html.escape(clip(sentence, ANSWER_CHARS))
    side = ANSWER_CHARS // 3  # a giant sentence: keep the highlight and what is around it
    before, marked, after = sentence[:start], sentence[start:end], sentence[end:]
    if len(before) > side:
        before = "…" + before[-side:]
    return (
        html.escape(clip(before, side + 1))
        + f'<span style="background-color:{c.mark_bg}; color:{c.mark_fg};'
        f' font-weight:600;">{html.escape(clip(marked, side))}</span>'
        + html.escape(clip(after, side))
    )


def _plain(text: str) -> str:
    """Text reduced to lower-case letters and digits, for "says the same" checks."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _label(text: str = "", name: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


class FeedbackPanel(QFrame):
    """Right or wrong, the correct answer, the evidence, and what comes next."""

    continue_requested = Signal()
    overrule_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Feedback")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        self.banner = QFrame(self)
        self.banner.setObjectName("banner")
        self.banner.setProperty("verdict", "right")
        banner_layout = QVBoxLayout(self.banner)
        banner_layout.setContentsMargins(16, 12, 16, 12)
        banner_layout.setSpacing(4)
        self.title = _label("", "bannerTitle", self.banner)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setAccessibleName("Verdict")
        self.message = _label("", "bannerMessage", self.banner)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # may quote the answers
        self.message.setAccessibleName("Verdict message")
        self.answer = _label("", "correctAnswer", self.banner)
        self.answer.setTextFormat(Qt.TextFormat.RichText)
        self.answer.setAccessibleName("Correct answer")
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.leech = _label("", "leech", self.banner)
        self.leech.setTextFormat(Qt.TextFormat.PlainText)
        self.leech.setAccessibleName("Leech warning")
        banner_layout.addWidget(self.title)
        banner_layout.addWidget(self.message)
        banner_layout.addWidget(self.answer)
        banner_layout.addWidget(self.leech)
        layout.addWidget(self.banner)
        layout.addSpacing(4)

        self.evidence_caption = _label("From the article", "muted", self)
        self.evidence = _label("", "evidence", self)
        self.evidence.setTextFormat(Qt.TextFormat.RichText)
        self.evidence.setAccessibleName("Evidence from the article")
        self.evidence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.evidence.setMargin(2)
        layout.addWidget(self.evidence_caption)
        layout.addWidget(self.evidence)


        self.overrule = QPushButton("I was right", self)
        self.overrule.setAccessibleName("I was right: accept my answer")
        self.overrule.setToolTip("Your typed answer was correct: count it as right")
        self.overrule.setAutoDefault(True)
        self.overrule.clicked.connect(self.overrule_requested)
        self.continue_button = QPushButton("Continue", self)
        self.continue_button.setAccessibleName("Continue to the next question")
        self.continue_button.setToolTip("Next question (Enter or Space)")
        self.continue_button.setProperty("primary", True)
        self.continue_button.setAutoDefault(True)
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self.continue_requested)
        self.set_buttons_visible(False)

    def show_feedback(self, info: FeedbackInfo, answers: tuple[str, ...]) -> None:
        """Fill the panel for one graded answer."""
        self.banner.setProperty("verdict", info.verdict)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        for child in self.banner.findChildren(QLabel):
            child.style().unpolish(child)
            child.style().polish(child)
        mark = {"right": "✓", "wrong": "✗", "partial": "≈"}.get(info.verdict, "")
        self.title.setText(f"{mark}  {info.title}".strip())
        message = info.message.strip()
        self.message.setText(clip(message, ANSWER_CHARS))
        self.message.setVisible(bool(message) and _plain(message) != _plain(info.title))
        # The right answer, unless the verdict already says it or it was the answer given.
        show_answer = bool(info.correct_answer) and (
            info.verdict != "right" or _plain(info.given) != _plain(info.correct_answer)
        ) and _plain(info.correct_answer) not in _plain(message)
        self.answer.setText(
            f"The answer: <b>{html.escape(clip(info.correct_answer, ANSWER_CHARS))}</b>"
            if show_answer else ""
        )
        self.answer.setVisible(show_answer)
        highlighted = evidence_html(info.evidence, (info.correct_answer, *answers))
        self.evidence.setText(highlighted)
        self.evidence.setVisible(bool(highlighted))
        self.evidence_caption.setVisible(bool(highlighted))
        self.leech.setText(
            "⚠ This card keeps slipping away (8 lapses): it is marked as a leech."
            if info.leech
            else ""
        )
        self.leech.setVisible(info.leech)
        self.overrule.setEnabled(info.can_overrule)

    def set_buttons_visible(self, visible: bool, overrule: bool = False) -> None:
        """Show Continue (and "I was right" when it applies) while feedback is up."""
        self.continue_button.setVisible(visible)
        self.overrule.setVisible(visible and overrule)

    def focus_continue(self) -> None:
        """Enter and Space continue from here."""
        self.continue_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.continue_requested.emit()
            return
        super().keyPressEvent(event)


class StatBox(QFrame):
    """A big number with a caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        self.value = QLabel("–", self)
        self.value.setObjectName("statValue")
        self.caption = QLabel(caption, self)
        self.caption.setObjectName("statLabel")
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.setAccessibleName(caption)

    def set_value(self, text: str) -> None:
        """Show ``text`` as the number."""
        self.value.setText(text)
        self.value.setAccessibleName(f"{self.caption.text()}: {text}")
        self.setAccessibleDescription(text)


class SummaryView(QWidget):
    """The end of a session: answered, accuracy, time, due tomorrow."""

    back_requested = Signal()
    limits_requested = Signal()  # "Change the daily limit…": the deck's options
    more_requested = Signal()  # "Study more today": more new cards today, the limit unchanged

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Session summary")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        box = QWidget(self)
        box.setMaximumWidth(CARD_MAX_WIDTH)
        layout = QVBoxLayout(box)
        layout.setSpacing(14)
        self.title = _label("Session complete", "pageTitle", box)
        self.subtitle = _label("", "muted", box)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)  # it names the deck
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.answered = StatBox("Answered", box)
        self.accuracy = StatBox("Accuracy", box)
        self.time = StatBox("Time", box)
        self.due_tomorrow = StatBox("Due tomorrow", box)
        for i, w in enumerate((self.answered, self.accuracy, self.time, self.due_tomorrow)):
            grid.addWidget(w, i // 2, i % 2)
        layout.addLayout(grid)
        row = QHBoxLayout()
        row.addStretch(1)
        self.more = QPushButton("Study more today", box)
        self.more.setAccessibleName("Study more new cards today")
        self.more.clicked.connect(self.more_requested)
        self.more.hide()
        row.addWidget(self.more)
        self.limits = QPushButton("Change the daily limit…", box)
        self.limits.setAccessibleName("Change this deck's daily limits")
        self.limits.setToolTip("Open this deck's options to study more today (Ctrl+Shift+D)")
        self.limits.clicked.connect(self.limits_requested)
        self.limits.hide()
        row.addWidget(self.limits)
        self.back = QPushButton("Back to decks", box)
        self.back.setAccessibleName("Back to the deck list")
        self.back.setToolTip("Return to the deck list (Enter or Escape)")
        self.back.setProperty("primary", True)
        self.back.setAutoDefault(True)
        self.back.clicked.connect(self.back_requested)
        row.addWidget(self.back)
        layout.addLayout(row)
        h = QHBoxLayout()
        h.addStretch(1)
        h.addWidget(box, 10)
        h.addStretch(1)
        outer.addLayout(h)
        outer.addStretch(2)

    def show_summary(self, info: SummaryInfo) -> None:
        """Fill in the figures."""
        info = replace(info, deck_name=one_line(info.deck_name))
        waiting = _waiting(info)
        self.limits.setVisible(bool(info.nothing_due and waiting))
        more = bool(info.nothing_due and info.new_waiting and info.more_new > 0)
        self.more.setVisible(more)
        if more:
            n = min(info.more_new, info.new_waiting)
            self.more.setToolTip(f"Study {n} more new card{'s' if n != 1 else ''} today; "
                                 "the deck's daily limit stays as it is")
        if info.nothing_due and waiting:
            self.title.setText("Today's limit reached" if info.answered == 0
                               else "Session complete")
            self.subtitle.setText(
                f"You have reached today's limit for “{info.deck_name}”: {waiting} are "
                "waiting. Come back tomorrow, "
                + ("press Study more today for more new cards now, " if more else "")
                + "or raise the daily limits in Deck options (Ctrl+Shift+D)."
            )
        elif info.answered == 0 and info.nothing_due:
            self.title.setText("All done for now")
            self.subtitle.setText(
                f"Nothing is due in “{info.deck_name}”. Come back later, or add new cards "
                "by importing a deck."
            )
        else:
            self.title.setText("Session complete")
            self.subtitle.setText(
                f"You have finished everything due in “{info.deck_name}” for now."
                if info.nothing_due
                else f"You stopped studying “{info.deck_name}”."
            )
        self.answered.set_value(str(info.answered))
        self.accuracy.set_value(info.accuracy)
        self.time.set_value(info.duration)
        self.due_tomorrow.set_value("–" if info.due_tomorrow is None else str(info.due_tomorrow))
        self.back.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.back_requested.emit()
            return
        super().keyPressEvent(event)


def _waiting(info: SummaryInfo) -> str:
    """What today's limits hold back, in words ("12 new cards and 3 reviews"), or ""."""
    parts = []
    if info.new_waiting:
        parts.append(f"{info.new_waiting} new card" + ("s" if info.new_waiting != 1 else ""))
    if info.reviews_waiting:
        parts.append(f"{info.reviews_waiting} review"
                     + ("s" if info.reviews_waiting != 1 else ""))
    return " and ".join(parts)


def centered(inner: QWidget, parent: QWidget, width: int = CARD_MAX_WIDTH) -> QScrollArea:
    """``inner`` in a scroll area, centred and at most ``width`` wide."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no invisible Tab stop around the card
    holder = QWidget(scroll)
    row = QHBoxLayout(holder)
    row.setContentsMargins(20, 16, 20, 16)
    row.addStretch(1)
    inner.setParent(holder)
    inner.setMaximumWidth(width)
    row.addWidget(inner, 40, Qt.AlignmentFlag.AlignTop)
    row.addStretch(1)
    scroll.setWidget(holder)
    return scroll


class QuestionCard(QFrame):
    """The card a question is asked on: its form, the prompt, an answer panel, the feedback.

    The study page and the practice test both show questions on it; the
    practice test has no self-rated flashcards (``flashcards=False``).
    """

    def __init__(self, parent: QWidget | None = None, *, flashcards: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 24)
        layout.setSpacing(14)
        self.form_tag = QLabel("", self)
        self.form_tag.setObjectName("formTag")
        self.prompt = _label("", "prompt", self)
        self.prompt.setAccessibleName("Question")
        self.prompt.setTextFormat(Qt.TextFormat.PlainText)
        self.prompt.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A leech (a fact missed 8 times) is shown with its evidence first.
        self.evidence_first = _label("", "evidenceFirst", self)
        self.evidence_first.setAccessibleName("Read this first")
        self.evidence_first.setTextFormat(Qt.TextFormat.PlainText)
        self.evidence_first.hide()
        layout.addWidget(self.form_tag)
        layout.addWidget(self.evidence_first)
        layout.addWidget(self.prompt)
        from quizapp.gui.views.media_view import MediaStrip

        self.media = MediaStrip(self)  # the fact's pictures and sounds (filled by the panel)
        layout.addWidget(self.media)
        self.choice_panel = ChoicePanel(self)
        self.typed_panel = TypedPanel(self)
        self.timeline_panel = TimelinePanel(self)
        self.flashcard_panel = FlashcardPanel(self) if flashcards else None
        self.panels: tuple[QuestionPanel, ...] = (
            self.choice_panel, self.typed_panel, self.timeline_panel,
            *((self.flashcard_panel,) if self.flashcard_panel is not None else ()),
        )
        for p in self.panels:
            layout.addWidget(p)
            p.hide()
        self._panel: QuestionPanel = self.choice_panel
        self.feedback = FeedbackPanel(self)
        self.feedback.hide()
        layout.addWidget(self.feedback)
        self._question: Question | None = None

    def panel_for(self, form: Form) -> QuestionPanel:
        """The answer panel that renders ``form``."""
        if form in CHOICE_FORMS:
            return self.choice_panel
        if form is Form.TIMELINE:
            return self.timeline_panel
        if form in TYPED_FORMS or self.flashcard_panel is None:
            return self.typed_panel
        return self.flashcard_panel

    @property
    def current_panel(self) -> QuestionPanel:
        """The panel on show."""
        return self._panel

    def show_question(self, question: Question) -> QuestionPanel:
        """Show a fresh question with its answer panel (the caller focuses it)."""
        self._question = question
        self.media.clear()
        self.feedback.hide()
        self.feedback.set_buttons_visible(False)
        self.form_tag.setText(FORM_TITLES.get(question.form, "").upper())
        prompt = question.prompt
        if question.form is Form.TRUE_FALSE:  # the form's title asks it already
            prompt = prompt.removeprefix(TRUE_FALSE_LEAD)
        self.prompt.setText(clip(prompt, PROMPT_CHARS))  # deck text: plain, clipped
        sentence = question.evidence.sentence if question.leech else None
        self.evidence_first.setText(
            f"{LEECH_EVIDENCE_LEAD}{clip(sentence, PROMPT_CHARS)}" if sentence else "")
        self.evidence_first.setVisible(bool(sentence))
        self.prompt.setProperty("sentence", question.form in (Form.CLOZE, Form.TRUE_FALSE))
        self.prompt.style().unpolish(self.prompt)
        self.prompt.style().polish(self.prompt)
        panel = self.panel_for(question.form)
        for p in self.panels:
            if p is not panel:
                p.hide()
        panel.show_question(question)
        panel.show()
        self._panel = panel
        return panel

    def show_feedback(self, info: FeedbackInfo) -> None:
        """Lock the answer and show the verdict under it."""
        panel = self._panel
        panel.set_locked(True)
        if isinstance(panel, ChoicePanel):
            panel.mark(info.given, info.correct_answer)
        answers = self._question.answers if self._question else ()
        self.feedback.show_feedback(info, answers)
        self.feedback.show()
        self.feedback.set_buttons_visible(True, info.can_overrule)
        self.feedback.focus_continue()


class StudyView(QWidget):
    """The study page: a question card that turns into feedback."""

    back_requested = Signal()
    undo_requested = Signal()
    report_requested = Signal()
    bury_requested = Signal()
    suspend_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("studyView")
        self.setAccessibleName("Study")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        # Progress strip -------------------------------------------------------
        strip = QWidget(self)
        strip.setObjectName("progressStrip")
        strip_layout = QVBoxLayout(strip)
        strip_layout.setContentsMargins(16, 10, 16, 8)
        strip_layout.setSpacing(6)
        top = QHBoxLayout()
        self.back = QPushButton("‹  Decks", strip)
        self.back.setAccessibleName("Back to the deck list")
        self.back.setToolTip("Back to the deck list (Escape)")
        self.back.clicked.connect(self.back_requested)
        self.deck_name = QLabel("", strip)
        self.deck_name.setObjectName("deckName")
        self.deck_name.setTextFormat(Qt.TextFormat.PlainText)
        font = self.deck_name.font()
        font.setBold(True)
        self.deck_name.setFont(font)
        self.deck_name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.progress_text = QLabel("", strip)
        self.progress_text.setObjectName("progressText")
        self.progress_text.setTextFormat(Qt.TextFormat.RichText)
        self._progress_info: ProgressInfo | None = None
        self.progress_text.setAccessibleName("Progress")
        top.addWidget(self.back)
        top.addSpacing(8)
        top.addWidget(self.deck_name, 1)
        top.addWidget(self.progress_text)
        strip_layout.addLayout(top)
        self.progress = QProgressBar(strip)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Session progress")
        self.progress.setFixedHeight(6)
        strip_layout.addWidget(self.progress)
        outer.addWidget(strip)

        # Pages: question card or summary -------------------------------------
        self.pages = QStackedWidget(self)
        outer.addWidget(self.pages, 1)

        self.card = QuestionCard(self)
        self.question_page = centered(self.card, self.pages)
        self.form_tag = self.card.form_tag
        self.prompt = self.card.prompt
        self.choice_panel = self.card.choice_panel
        self.typed_panel = self.card.typed_panel
        self.timeline_panel = self.card.timeline_panel
        assert self.card.flashcard_panel is not None
        self.flashcard_panel: FlashcardPanel = self.card.flashcard_panel
        self.panels = self.card.panels
        self.feedback = self.card.feedback

        # Action bar ------------------------------------------------------------
        bar = QWidget(self)
        bar.setObjectName("actionBar")
        bar_layout = QHBoxLayout(bar)
        bar_layout.setContentsMargins(16, 8, 16, 12)
        bar_layout.setSpacing(8)
        self.undo = QPushButton("Undo", bar)
        self.undo.setAccessibleName("Undo the last answer")
        self.undo.setToolTip("Undo the last answer (Ctrl+Z)")
        self.undo.clicked.connect(self.undo_requested)
        self.report = QPushButton("Report…", bar)
        self.report.setAccessibleName("Report this question")
        self.report.setToolTip("Report this question as wrong (Ctrl+R)")
        self.report.clicked.connect(self.report_requested)
        self.bury = QPushButton("Bury", bar)
        self.bury.setAccessibleName("Bury this card until tomorrow")
        self.bury.setToolTip("Hide this card until tomorrow (Ctrl+B)")
        self.bury.clicked.connect(self.bury_requested)
        self.suspend = QPushButton("Suspend", bar)
        self.suspend.setAccessibleName("Suspend this card")
        self.suspend.setToolTip("Stop showing this card (Ctrl+J)")
        self.suspend.clicked.connect(self.suspend_requested)
        self.hint = QLabel("", bar)
        self.hint.setObjectName("muted")
        self.hint.setAccessibleName("Keyboard hint")
        for b in (self.undo, self.report, self.bury, self.suspend):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            bar_layout.addWidget(b)
        bar_layout.addStretch(1)
        bar_layout.addWidget(self.hint)
        bar_layout.addWidget(self.feedback.overrule)
        bar_layout.addWidget(self.feedback.continue_button)
        self.action_bar = bar
        outer.addWidget(bar)

        self.summary = SummaryView(self.pages)
        self.pages.addWidget(self.question_page)
        self.pages.addWidget(self.summary)

    # -----------------------------------------------------------------------

    def panel_for(self, form: Form) -> QuestionPanel:
        """The answer panel that renders ``form``."""
        return self.card.panel_for(form)

    @property
    def current_panel(self) -> QuestionPanel:
        """The panel on show."""
        return self.card.current_panel

    def show_question(self, question: Question) -> QuestionPanel:
        """Show a fresh question; returns its panel, focused."""
        self.pages.setCurrentWidget(self.question_page)
        self.action_bar.show()
        self.hint.setAccessibleName("Keyboard hint")
        self.hint.show()
        panel = self.card.show_question(question)
        self.question_page.verticalScrollBar().setValue(0)
        panel.focus_answer()
        self.hint.setText(panel.key_hint())
        return panel

    def show_feedback(self, info: FeedbackInfo) -> None:
        """Lock the answer and show the verdict under it."""
        self.card.show_feedback(info)
        self.hint.setText(info.next_due)
        self.hint.setAccessibleName("Next review")
        self.hint.setVisible(bool(info.next_due))
        QTimer.singleShot(0, self._reveal_feedback)

    def _reveal_feedback(self) -> None:
        """Scroll so the verdict and the evidence are in view."""
        if self.feedback.isVisible():
            self.question_page.ensureWidgetVisible(self.feedback, 0, 0)

    def show_summary(self, info: SummaryInfo) -> None:
        """Switch to the summary page."""
        self.feedback.set_buttons_visible(False)
        self.pages.setCurrentWidget(self.summary)
        self.action_bar.hide()
        self.summary.show_summary(info)

    def set_progress(self, info: ProgressInfo) -> None:
        """Update the strip: what is left by queue (new, learning, to review) and answered today."""
        self._progress_info = info
        answered = f"{info.answered} answered today"
        if info.new is not None:
            # Coloured as Anki colours them: new blue, learning red, to review green.
            new_c, learning_c, review_c = count_colours()
            parts = ((info.new, "new", new_c), (info.learning, "learning", learning_c),
                     (info.review, "to review", review_c))
            plain = "  ·  ".join(f"{n} {what}" for n, what, _ in parts)
            rich = " &nbsp;·&nbsp; ".join(
                f'<span style="color:{colour}; font-weight:600;">{n}</span> {what}'
                for n, what, colour in parts)
            self.progress_text.setText(f"{rich} &nbsp;·&nbsp; {answered}")
            plain = f"{plain}  ·  {answered}"
        else:
            plain = f"{info.remaining} remaining  ·  {answered}"
            self.progress_text.setText(html.escape(plain))
        self.progress_text.setAccessibleDescription(plain)
        total = info.answered + info.remaining
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(info.answered if total else 0)
        self.progress.setAccessibleDescription(
            f"{info.answered} answered today, {info.remaining} remaining"
        )

    def clear_progress(self) -> None:
        """Blank the strip while a sitting's counts are being read."""
        self._progress_info = None
        self.progress_text.setText("")
        self.progress_text.setAccessibleDescription("")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setAccessibleDescription("")

    def restyle_progress(self) -> None:
        """Colour the strip's counts again (after a theme change)."""
        if self._progress_info is not None:
            self.set_progress(self._progress_info)

    def set_deck_name(self, name: str) -> None:
        """Show which deck is being studied."""
        self.deck_name.setText(one_line(name))
        self.deck_name.setToolTip(tooltip(name))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The window's "Back to decks" action normally takes Escape first; this
        # covers the view on its own.
        if event.key() == Qt.Key.Key_Escape:
            self.back_requested.emit()
            return
        # R replays the question's sound, as in Anki (a text field takes its own R).
        plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
        if event.key() == Qt.Key.Key_R and plain and self.card.media.replay():
            return
        super().keyPressEvent(event)

    @property
    def in_feedback(self) -> bool:
        """Whether the feedback for an answer is on show."""
        return self.feedback.isVisible() or (
            not self.feedback.isHidden() and self.pages.currentWidget() is self.question_page
        )
