"""Behaviour of the practice-test screen: drives :class:`quizapp.quiz.PracticeTest`.

Every answer is committed by :meth:`PracticeTest.answer` (one transaction,
kind ``test``) *before* anything reacts to it: in practice style the feedback
follows, in exam style the next question. A time limit is checked on a
one-second timer and again on every answer; when it runs out the test ends on
its report, and questions not reached are listed as not answered (nothing is
logged for them). The mistakes can then be answered again at once in a review
round (an ordinary study session, practice style).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from quizapp.gui.views.practice_test_view import (
    DeckChoice,
    PracticeTestView,
    TestSetupValues,
)
from quizapp.gui.views.study_view import TYPED_FORMS, FeedbackInfo
from quizapp.questions.model import Form, Question
from quizapp.timeutil import utc_now

if TYPE_CHECKING:
    from quizapp.quiz import PracticeTest, ReviewRound, TestReport
    from quizapp.services.collection import Collection
    from quizapp.study import ReviewResult

log = logging.getLogger(__name__)


def _clock_text(seconds: float) -> str:
    s = max(0, int(seconds + 0.999))
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d} left" if h else f"{m}:{s:02d} left"


class PracticeTestPanel(QObject):
    """The practice-test screen's controller; ``view`` is the widget to show."""

    started = Signal(object)  # PracticeTest
    answered = Signal(object)  # ReviewResult, committed
    finished = Signal(object)  # TestReport
    round_finished = Signal(int, int)  # right, asked
    closed = Signal()
    status_message = Signal(str)

    SETUP, QUESTION, FEEDBACK, REPORT = "setup", "question", "feedback", "report"

    def __init__(self, parent: QWidget | None = None,
                 clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__(parent)
        self.view = PracticeTestView(parent)
        self.clock = clock
        self.collection: Collection | None = None
        self.profile_id: int | None = None
        self.decks: list[DeckChoice] = []
        self.test: PracticeTest | None = None
        self.round: ReviewRound | None = None
        self.report: TestReport | None = None
        self.state = self.SETUP
        self.draw: int | None = None  # which facts a test draws; None: a new draw each time
        self.index = 0
        self.last_result: ReviewResult | None = None
        self._shown_at = 0.0
        self._overruled: set[int] = set()
        self._reported: set[int] = set()
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)

        v = self.view
        v.setup.start_requested.connect(self.start)
        q = v.question
        for panel in q.panels:
            panel.submitted.connect(self.submit)
        q.feedback.continue_requested.connect(self.next)
        q.feedback.overrule_requested.connect(self._overrule_current)
        q.end_requested.connect(self._confirm_end)
        r = v.report
        r.review_requested.connect(self.start_review_round)
        r.again_requested.connect(self.new_test)
        r.close_requested.connect(self.closed)
        r.overrule_requested.connect(self.overrule)
        r.report_requested.connect(self.report_question)
        v.back_requested.connect(self.closed)

    # ---------------------------------------------------------------- context

    def set_context(self, collection: Collection | None, profile_id: int | None,
                    decks: Sequence[Any] = ()) -> None:
        """The collection, learner and decks to offer (objects with deck_id and name)."""
        if self.active:
            self.stop()
        self.collection = collection
        self.profile_id = profile_id
        self.decks = [d if isinstance(d, DeckChoice) else
                      DeckChoice(int(d.deck_id), str(d.name), int(getattr(d, "facts", 0) or 0))
                      for d in decks]
        checked = {i for i in self._checked_ids() if any(d.deck_id == i for d in self.decks)}
        self.view.setup.set_decks(self.decks, checked or None)
        self.refresh_history()
        self.view.setup.show_problem("")
        self.state = self.SETUP
        self.view.show_setup()

    def _checked_ids(self) -> tuple[int, ...]:
        return self.view.setup.values().deck_ids

    def refresh_history(self) -> None:
        """Reload the tests taken (the set-up page's table)."""
        if self.collection is None or self.profile_id is None:
            self.view.setup.set_history([])
            return
        from quizapp.quiz import practice_test_history

        self.view.setup.set_history(practice_test_history(self.collection, self.profile_id))

    @property
    def active(self) -> bool:
        """Whether a test or review round is under way (not on set-up or report)."""
        return self.state in (self.QUESTION, self.FEEDBACK)

    @property
    def in_round(self) -> bool:
        """Whether the questions on show are the review round's."""
        return self.round is not None

    def _questions(self) -> list[Question]:
        if self.round is not None:
            return self.round.questions
        return self.test.questions if self.test is not None else []

    # ------------------------------------------------------------------ start

    def start(self, values: TestSetupValues | None = None) -> bool:
        """Start a test with the set-up form's values (or ``values``); False if it cannot."""
        from quizapp.quiz import QuizError, QuizOptions, TestSettings, forms_of_groups

        if self.collection is None or self.profile_id is None:
            return False
        values = values or self.view.setup.values()
        setup = self.view.setup
        if not values.deck_ids:
            setup.show_problem("Tick at least one deck.")
            return False
        if values.groups is not None and not values.groups:
            setup.show_problem("Tick at least one form, or choose Mixed.")
            return False
        try:
            options = QuizOptions(
                questions=values.questions,
                forms=forms_of_groups(values.groups) if values.groups is not None else None,
                draw=self.draw if self.draw is not None else int(time.time_ns() % 2_147_483_647),
            )
            settings = TestSettings(values.deck_ids, options, values.style,
                                    values.time_limit_min * 60 if values.time_limit_min else None)
            from quizapp.quiz import PracticeTest

            test = PracticeTest(self.collection, self.profile_id, settings, self.clock())
        except QuizError as exc:
            setup.show_problem(" ".join(p.split(": ", 1)[-1].capitalize() for p in exc.problems))
            return False
        setup.show_problem("")
        self.test = test
        self.round = None
        self.report = None
        self._overruled.clear()
        self._reported.clear()
        self.view.report.show_note("")
        if test.quiz.short:
            n = len(test.quiz.items)
            self.status_message.emit(
                f"Only {n} questions could be asked from these decks without one giving "
                "another away.")
        self.index = 0
        self.view.show_question_page()
        if settings.time_limit_s:
            self.timer.start()
        self._tick()
        self._present()
        self.started.emit(test)
        return True

    def new_test(self) -> None:
        """Back to the set-up form."""
        self.stop()
        self.refresh_history()
        self.view.show_setup()

    def stop(self) -> None:
        """Leave whatever is under way (answers given are kept; nothing else is logged)."""
        self.timer.stop()
        if self.round is not None and self.collection is not None:
            self.round.close(self.clock())
        if self.test is not None and not self.test.finished:
            self.test.finish(self.clock())
        self.round = None
        self.state = self.SETUP

    # -------------------------------------------------------------- questions

    def _title(self) -> str:
        if self.round is not None:
            return "Review round: your mistakes once more"
        if self.test is None:
            return ""
        style = "Exam" if self.test.settings.style.value == "exam" else "Practice"
        return f"{style} test · {', '.join(self.test.quiz.deck_names)}"

    def _present(self) -> None:
        questions = self._questions()
        question = questions[self.index]
        self.last_result = None
        self.view.question.show_question(question, self.index + 1, len(questions),
                                         self._title())
        self._show_media(question, answered=False)
        self._shown_at = time.monotonic()
        self.state = self.QUESTION

    def _show_media(self, question: Question, *, answered: bool) -> None:
        """The fact's pictures and sounds (the question side's until it is answered)."""
        from quizapp.gui.controllers.media import show_fact_media

        deck_key = None
        if self.test is not None:
            deck_key = next((item.deck_key for item in self.test.quiz.items
                             if item.question.card_id == question.card_id), None)
        show_fact_media(self.view.question.card.media, self.collection, deck_key,
                        question.fact_id, prompt=None if answered else question.prompt,
                        prompt_label=self.view.question.card.prompt)

    @property
    def question(self) -> Question | None:
        """The question on show."""
        if self.state not in (self.QUESTION, self.FEEDBACK):
            return None
        questions = self._questions()
        return questions[self.index] if self.index < len(questions) else None

    def _practice_feedback(self) -> bool:
        if self.round is not None:
            return True
        return self.test is not None and self.test.settings.style.value == "practice"

    def submit(self, given: str) -> None:
        """Commit the answer to the question on show; then feedback or the next question."""
        if self.state != self.QUESTION:
            return
        now = self.clock()
        ms = max(0, int((time.monotonic() - self._shown_at) * 1000))
        if self.round is not None:
            result = self.round.answer(self.index, given, now, ms)
        else:
            assert self.test is not None
            if self.test.time_is_up(now):
                self.finish(timed_out=True)
                return
            try:
                result = self.test.answer(self.index, given, now, ms)
            except ValueError as exc:
                self.status_message.emit(f"Not recorded: {exc}.")
                return
        self.last_result = result
        self.answered.emit(result)
        if self._practice_feedback():
            self.view.question.show_feedback(self._feedback(result))
            question = self.question
            if question is not None:
                self._show_media(question, answered=True)
            self.state = self.FEEDBACK
        else:
            self.next()

    def next(self) -> None:
        """The next question, or the end of the test (or round)."""
        if self.state not in (self.QUESTION, self.FEEDBACK):
            return
        if self.index + 1 < len(self._questions()):
            self.index += 1
            self._present()
        elif self.round is not None:
            self._end_round()
        else:
            self.finish()

    def _feedback(self, result: ReviewResult) -> FeedbackInfo:
        from quizapp.gui.controllers.study_panel import describe_interval

        verdict = result.verdict.value
        titles = {"right": "Right", "partial": "Partly right", "wrong": "Not quite"}
        question = self.question
        form = question.form if question is not None else Form.TYPED
        correct, given = result.correct_answer, result.given or ""
        if form is Form.TIMELINE:
            correct = "  →  ".join(correct.split(" | "))
            given = "  →  ".join(given.split(" | "))
        if result.due is None:
            next_due = "This fact stays new: a test does not start it."
        elif result.kind == "test" and result.state != 2 and not self.in_round:
            next_due = "Not in review yet: its schedule is unchanged."
        else:
            when = describe_interval(result.interval)
            next_due = f"Next review {when}." if when else ""
        return FeedbackInfo(
            verdict=verdict, title=titles.get(verdict, "Not quite"), message=result.message,
            given=given or "(no answer)", correct_answer=correct, evidence=result.evidence,
            next_due=next_due, leech=result.leech,
            can_overrule=(not result.correct and form in TYPED_FORMS and not self.in_round
                          and bool((given or "").strip())),
        )

    def _overrule_current(self) -> None:
        if self.state == self.FEEDBACK and self.round is None:
            self.overrule(self.index)
            if self.test is not None and self.last_result is not None:
                fresh = self.test.results[self.index]
                if fresh is not None:
                    info = self._feedback(fresh)
                    self.view.question.show_feedback(FeedbackInfo(
                        verdict="right", title="Counted as right",
                        message="Your answer was accepted.", given=info.given,
                        correct_answer=info.correct_answer, evidence=info.evidence,
                        next_due=info.next_due, can_overrule=False))

    # ------------------------------------------------------------------- time

    def _tick(self) -> None:
        test = self.test
        if test is None or self.round is not None or test.finished:
            self.view.question.set_clock("")
            return
        deadline = test.deadline()
        if deadline is None:
            self.view.question.set_clock("")
            return
        left = (deadline - self.clock()).total_seconds()
        if left <= 0 and self.active:
            self.finish(timed_out=True)
            return
        self.view.question.set_clock(_clock_text(left), urgent=left < 60)

    def _confirm_end(self) -> None:
        if self.round is not None:
            self._end_round()
            return
        answer = QMessageBox.question(
            self.view, "End the test",
            "End the test now? Questions not answered count as not answered.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer == QMessageBox.StandardButton.Yes:
            self.finish()

    # ----------------------------------------------------------------- report

    def finish(self, timed_out: bool = False) -> TestReport | None:
        """End the test and show its report."""
        self.timer.stop()
        if self.test is None:
            return None
        if self.test.time_is_up(self.clock()):
            timed_out = True
        report = self.test.finish(self.clock(), timed_out=timed_out)
        self.report = report
        self.state = self.REPORT
        self.view.question.set_clock("")
        self.view.report.show_report(report, self._overruled, self._reported)
        self.view.show_report_page()
        if timed_out:
            self.status_message.emit("Time is up: the test has ended.")
        self.finished.emit(report)
        return report

    def overrule(self, index: int) -> None:
        """"I was right" for a typed answer of the test judged wrong."""
        if self.test is None:
            return
        try:
            self.test.overrule(index, self.clock())
        except ValueError as exc:
            self.status_message.emit(f"Cannot count it as right: {exc}.")
            return
        self._overruled.add(index)
        self.status_message.emit("Counted as right.")
        if self.test.report is not None:
            self.report = self.test.report
            if self.state == self.REPORT:
                self.view.report.show_report(self.report, self._overruled, self._reported)

    def report_question(self, index: int, reason: str | None = None) -> None:
        """Report a test question as wrong (asks for a reason unless given)."""
        if self.test is None or index in self._reported:
            return
        if reason is None:
            from quizapp.gui.views.dialogs import ReportDialog

            dialog = ReportDialog(self.view)
            dialog.accepted.connect(lambda: self.report_question(index, dialog.reason()))
            dialog.open()
            return
        self.test.report_question(index, reason, self.clock())
        self._reported.add(index)
        self.status_message.emit("Thank you: the question was reported.")
        if self.report is not None and self.state == self.REPORT:
            self.view.report.show_report(self.report, self._overruled, self._reported)

    # ----------------------------------------------------------- review round

    def start_review_round(self) -> bool:
        """Ask the test's mistakes again at once (kind ``study``, feedback after each)."""
        if self.test is None or self.report is None or not self.report.mistakes:
            return False
        self.round = self.test.review_round(self.clock())
        if not self.round.questions:
            self.round = None
            self.status_message.emit("These questions cannot be asked again.")
            return False
        self.index = 0
        self.view.show_question_page()
        self.view.question.set_clock("")
        self._present()
        return True

    def _end_round(self) -> None:
        assert self.round is not None
        right, asked = self.round.correct, len(self.round.questions)
        answered = sum(1 for r in self.round.results if r is not None)
        self.round.close(self.clock())
        self.round = None
        self.state = self.REPORT
        self.view.report.show_note(
            f"Review round: {right} of {answered} right now"
            + (f" ({asked - answered} skipped)" if answered < asked else "")
            + ". Those cards are now in your study schedule.")
        if self.report is not None:
            self.view.report.show_report(self.report, self._overruled, self._reported)
        self.view.show_report_page()
        self.round_finished.emit(right, asked)
