"""Behaviour of the study screen: drives :class:`quizapp.study.StudySession`.

The order on every answer is the core's promise: the answer is graded,
scheduled and committed by :meth:`StudySession.answer` *before* the feedback
is put on screen. Between the two, one line goes to the feedback log
(:mod:`quizapp.gui.feedback_log`), which the crash test holds against the
review log. Undo, overrule, bury, suspend and report are each one call
(one transaction) on the session.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from quizapp.gui.feedback_log import FeedbackLog
from quizapp.gui.models.deck_list_model import DeckSummary
from quizapp.gui.views.study_view import (
    TYPED_FORMS,
    FeedbackInfo,
    ProgressInfo,
    StudyView,
    SummaryInfo,
)
from quizapp.questions.model import Form, Question, Verdict
from quizapp.timeutil import utc_now

if TYPE_CHECKING:
    from quizapp.services.collection import Collection
    from quizapp.study import ReviewResult, StudySession

log = logging.getLogger(__name__)


def describe_interval(interval: timedelta | None) -> str:
    """"in 10 minutes", "in 3 days"… for the feedback line."""
    if interval is None:
        return ""
    seconds = max(0, int(interval.total_seconds()))
    if seconds < 90:
        return "in a minute or so" if seconds >= 30 else "in a moment"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"in {minutes} minutes"
    hours = round(seconds / 3600)
    if hours < 24:
        return "in 1 hour" if hours == 1 else f"in {hours} hours"
    days = round(seconds / 86400)
    if days < 31:
        return "tomorrow" if days == 1 else f"in {days} days"
    months = round(days / 30.4)
    if months < 12:
        return "in 1 month" if months == 1 else f"in {months} months"
    years = days / 365.25
    return f"in {years:.1f} years".replace(".0 ", " ")


@dataclass(slots=True)
class _Done:
    """What one entry of the GUI's undo stack added to the session's figures."""

    answered: int
    correct: int


MORE_NEW_DEFAULT = 10  # "Study more today" when the deck's new per day is 0

LEECH_NOTE = ("This fact has lapsed 8 times: from now on it gets another way in (its "
              "sentence first, another kind of question) and is flagged as a leech.")
ANSWER_NOT_SAVED = (
    "Your answer was NOT saved: the database is busy (another program is writing to it). "
    "Please give your answer again."
)


class _AfterPaint(QObject):
    """Watches a widget: after its next paint, ``then`` runs at the event loop's next turn."""

    def __init__(self, then: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._then = then

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False


class StudyPanel(QObject):
    """The study screen's controller; ``view`` is the widget to show."""

    #: Tries to commit an answer while the database stays busy (each waits for it).
    ANSWER_TRIES = 3

    question_shown = Signal(object)  # Question
    answer_not_saved = Signal(str)  # why; the question stays on screen
    answered = Signal(object)  # ReviewResult, after the commit, as feedback shows
    overruled = Signal(object)  # ReviewResult
    undone = Signal(object)  # UndoResult
    finished = Signal(object)  # SummaryInfo
    closed = Signal()
    limits_requested = Signal(int)  # deck id: the summary's "Change the daily limit…"
    state_changed = Signal()
    status_message = Signal(str)

    IDLE, QUESTION, FEEDBACK, SUMMARY = "idle", "question", "feedback", "summary"

    def __init__(
        self, parent: QWidget, clock: Callable[[], datetime] = utc_now
    ) -> None:
        super().__init__(parent)
        self.view = StudyView(parent)
        self.clock = clock
        self.feedback_log = FeedbackLog()  # QUIZAPP_HOME/logs/feedback.log, opened on use
        self.session: StudySession | None = None
        self.collection: Collection | None = None
        self.profile_id: int | None = None
        self.deck: DeckSummary | None = None
        self.state = self.IDLE
        self.question: Question | None = None
        self.last_result: ReviewResult | None = None
        self._shown_at = 0.0
        self._started_at = 0.0
        self._answered = 0
        self._correct = 0
        self._before_today = (0, 0)  # answered, correct earlier today (before this sitting)
        self._strip_pending = False  # the first question is on screen, its counts not yet
        self._stack: list[_Done] = []
        self._remaining = 0
        self._left: tuple[int, int, int] | None = None  # new, learning, review left today
        self._feedback_info: FeedbackInfo | None = None
        # "Study more today": (profile, deck, study day) -> new cards allowed beyond the
        # saved limit. Kept while the app runs, never saved; another day does not see it.
        self._more_new: dict[tuple[int, int, int], int] = {}
        self._painted = _AfterPaint(self._fill_strip, self)

        v = self.view
        for panel in (v.choice_panel, v.typed_panel, v.timeline_panel):
            panel.submitted.connect(self.submit)
        v.flashcard_panel.rated.connect(self.rate)
        v.flashcard_panel.revealed.connect(self._flashcard_revealed)
        v.feedback.continue_requested.connect(self.next)
        v.feedback.overrule_requested.connect(self.overrule)
        v.summary.back_requested.connect(self.closed)
        v.summary.more_requested.connect(self.study_more)
        v.summary.limits_requested.connect(
            lambda: self.limits_requested.emit(self.deck.deck_id) if self.deck else None)
        v.back_requested.connect(self.closed)
        v.undo_requested.connect(self.undo)
        v.report_requested.connect(self.report)
        v.bury_requested.connect(self.bury)
        v.suspend_requested.connect(self.suspend)
        self._update_buttons()

    # ---------------------------------------------------------------- state

    @property
    def active(self) -> bool:
        """Whether a session is open."""
        return self.session is not None

    @property
    def has_question(self) -> bool:
        """Whether a question (answered or not) is on screen."""
        return self.state in (self.QUESTION, self.FEEDBACK) and self.question is not None

    @property
    def can_undo(self) -> bool:
        """Whether there is an answer of this sitting to take back."""
        return self.active and bool(self._stack) and self.state != self.IDLE

    @property
    def can_overrule(self) -> bool:
        """Whether "I was right" applies to the feedback on show."""
        r = self.last_result
        return (
            self.state == self.FEEDBACK
            and r is not None
            and not r.correct
            and r.kind == "study"
            and self.question is not None
            and self.question.form in TYPED_FORMS
            and bool((r.given or "").strip())  # "Don't know" has nothing to count as right
        )

    def _set_state(self, state: str) -> None:
        self.state = state
        self._update_buttons()
        self.state_changed.emit()

    def _update_buttons(self) -> None:
        v = self.view
        v.undo.setEnabled(self.can_undo)
        for b in (v.report, v.bury, v.suspend):
            b.setEnabled(self.has_question)

    # ------------------------------------------------------------- sitting

    def start(self, collection: Collection, profile_id: int, deck: DeckSummary) -> None:
        """Open a study session on ``deck`` for the profile and show the first question."""
        from quizapp.study import StudySession

        self.stop()
        self.collection = collection
        self.profile_id = profile_id
        self.deck = deck
        self.session = StudySession(collection, profile_id, deck_id=deck.deck_id)
        day = self.session.study_day(self.clock())
        more = self._more_new.get((profile_id, deck.deck_id, day), 0)
        if more:
            self.session.study_more_today(deck.deck_id, more, day)
        self._answered = self._correct = 0
        self._stack.clear()
        self._started_at = time.monotonic()
        self.view.set_deck_name(deck.name)
        # The first question is painted before the strip is counted: at start-up
        # the counts read every card of the deck, and the learner need not wait
        # for them. Until they are read the strip is blank (never a stale or
        # guessed figure); they are filled once the question has been painted.
        self._before_today = (0, 0)
        self._left = None
        self._remaining = 0
        self.view.clear_progress()
        self._strip_pending = True
        self._show_next()
        if self._strip_pending:
            self._fill_strip_once_painted()

    def _fill_strip_once_painted(self) -> None:
        """Count the strip at the event loop's turn after the question's first paint.

        A zero timer alone is not enough: the loop may run it before the
        window's pending paint, and the learner would wait for the counts. A
        prompt that is not on screen (a hidden window) gets no paint; its strip
        is counted at the loop's next turn.
        """
        prompt = self.view.prompt
        prompt.removeEventFilter(self._painted)
        if prompt.isVisible():
            prompt.installEventFilter(self._painted)
        else:
            QTimer.singleShot(0, self._fill_strip)

    def _fill_strip(self) -> None:
        """Count the strip of a sitting's first question, once it is on screen."""
        self.view.prompt.removeEventFilter(self._painted)
        if not self._strip_pending or self.session is None:
            return
        counts = self._refresh_progress()
        if counts is not None:  # answers of this sitting, if any already, are in the counts
            self._before_today = (max(0, counts.answered_today - self._answered),
                                  max(0, counts.correct_today - self._correct))

    def stop(self) -> None:
        """End the sitting (records its end time)."""
        if self.session is not None:
            try:
                self.session.close(self.clock())
            finally:
                self.session = None
        self.question = None
        self.last_result = None
        self._strip_pending = False
        self._set_state(self.IDLE)

    def next(self) -> None:
        """Continue after feedback."""
        if self.state == self.FEEDBACK:
            self._show_next()

    def present(self, question: Question) -> None:
        """Show a particular question of this session's profile (scripts, tests)."""
        if self.session is None:
            raise RuntimeError("start a session first")
        self._present(question)

    def finish(self) -> None:
        """End the sitting on the summary page."""
        if self.session is not None:
            self.question = None
            self._show_summary(nothing_due=False)

    def study_more(self) -> None:
        """"Study more today": N more new cards of this deck today, the saved limit unchanged.

        N is the deck's new cards per day (10 when that is 0). The allowance is
        kept by this screen until the app is closed or the study day rolls over.
        """
        if self.session is None or self.deck is None or self.profile_id is None:
            return
        n = self._more_step()
        day = self.session.study_day(self.clock())
        key = (self.profile_id, self.deck.deck_id, day)
        self._more_new[key] = self._more_new.get(key, 0) + n
        self.session.study_more_today(self.deck.deck_id, n, day)
        self._show_next()
        self.status_message.emit(
            f"{n} more new card{'s' if n != 1 else ''} today; the daily limit is unchanged.")

    def more_today(self, profile_id: int) -> dict[tuple[int, int], int]:
        """A profile's "study more today" extras: (study day, deck id) → new facts."""
        return {(day, deck): n for (pid, deck, day), n in self._more_new.items()
                if pid == profile_id}

    def _more_step(self) -> int:
        """How many new cards "Study more today" adds: the deck's new per day, or 10."""
        if self.session is None or self.deck is None:
            return MORE_NEW_DEFAULT
        return self.session.settings_for(self.deck.deck_id).new_per_day or MORE_NEW_DEFAULT

    def _more_today(self) -> int:
        if self.session is None or self.deck is None or self.profile_id is None:
            return 0
        return self.session.more_today(self.deck.deck_id, self.session.study_day(self.clock()))

    def _show_next(self) -> None:
        assert self.session is not None
        try:
            question = self.session.next_question(self.clock())
        except Exception:
            # A question that cannot be built must not take the app down: say so
            # and end the sitting on its summary (answers so far are committed).
            log.exception("could not get the next question")
            self.status_message.emit("The next question could not be prepared; see the log.")
            self.question = None
            self._show_summary(nothing_due=False)
            return
        if question is None:
            self.last_result = None
            self.question = None
            self._show_summary()
            return
        self._present(question)

    def _present(self, question: Question) -> None:
        # A new question clears the status line: messages about an earlier
        # question ("Counted as right.") do not linger on later ones.
        self.status_message.emit("")
        self.last_result = None
        self.question = question
        self.view.show_question(question)
        self._show_media(question, answered=False)
        self._shown_at = time.monotonic()
        if not self._strip_pending:  # else counted once the question is on screen
            self._refresh_progress()
        self._set_state(self.QUESTION)
        self.question_shown.emit(question)

    def _show_summary(self, nothing_due: bool = True) -> None:
        counts = self._counts()
        if counts is not None and not nothing_due:
            nothing_due = counts.remaining == 0
        info = SummaryInfo(
            answered=self._answered,
            correct=self._correct,
            seconds=time.monotonic() - self._started_at,
            due_tomorrow=counts.due_tomorrow if counts else None,
            deck_name=self.deck.name if self.deck else "",
            nothing_due=nothing_due,
            new_waiting=counts.new_waiting if counts else 0,
            reviews_waiting=counts.reviews_waiting if counts else 0,
            more_new=self._more_step(),
        )
        self._refresh_progress(counts)
        self.view.show_summary(info)
        self._set_state(self.SUMMARY)
        self.finished.emit(info)

    def _counts(self) -> Any:
        if self.collection is None or self.profile_id is None or self.deck is None:
            return None
        from quizapp.gui.controllers.library import Library

        try:
            return Library(self.collection).study_counts(
                self.profile_id, self.deck.deck_id, self.clock(), more_new=self._more_today()
            )
        except Exception:  # figures are a nicety; never stop studying for them
            return None

    def _refresh_progress(self, counts: Any = None) -> Any:
        """Show the strip from ``counts`` (read now when None); returns the counts shown."""
        self._strip_pending = False
        if counts is None:
            counts = self._counts()
        if counts is not None:
            self._remaining = counts.remaining
            self._left = (counts.new_left, counts.learning_left, counts.review_left)
            answered = counts.answered_today
        else:
            answered = self._before_today[0] + self._answered
        new, learning, review = self._left if self._left is not None else (None, 0, 0)
        self.view.set_progress(ProgressInfo(answered, self._remaining, new=new,
                                            learning=learning, review=review))
        return counts

    # -------------------------------------------------------------- answers

    def _elapsed_ms(self) -> int:
        return max(0, int((time.monotonic() - self._shown_at) * 1000))

    def _commit(self, answer: Callable[[], ReviewResult]) -> ReviewResult | None:
        """Run ``answer`` (which commits the answer); None if the database stayed busy.

        Each try waits for the database's write lock (SQLite's busy timeout); a
        try that still finds it taken is repeated :data:`ANSWER_TRIES` times in
        all. Then the student is told plainly that the answer was not saved,
        and the question stays on screen to be answered again.
        """
        from quizapp.study import is_busy_error

        for attempt in range(1, self.ANSWER_TRIES + 1):
            try:
                return answer()
            except Exception as exc:
                if not is_busy_error(exc):
                    raise
                log.warning("answer not saved, try %d of %d: %s", attempt, self.ANSWER_TRIES,
                            exc)
        self.answer_not_saved.emit(ANSWER_NOT_SAVED)
        self.status_message.emit(ANSWER_NOT_SAVED)
        return None

    def submit(self, given: str) -> None:
        """Grade and commit ``given`` for the question on show, then show feedback."""
        from quizapp.study import StaleQuestionError

        if self.state != self.QUESTION or self.session is None or self.question is None:
            return
        question = self.question
        session = self.session
        try:
            result = self._commit(
                lambda: session.answer(question, given, self.clock(), self._elapsed_ms())
            )
        except StaleQuestionError:
            self._show_next()
            self.status_message.emit("That question was answered already.")
            return
        if result is None:
            return
        self._after_answer(result)
        self._show_feedback(self._feedback(result))
        self.answered.emit(result)

    def rate(self, rating: int) -> None:
        """Commit a self-rated flashcard and go on to the next question."""
        from quizapp.study import StaleQuestionError

        if self.state != self.QUESTION or self.session is None or self.question is None:
            return
        session, question = self.session, self.question
        try:
            result = self._commit(
                lambda: session.answer_flashcard(question, rating, self.clock(),
                                                 self._elapsed_ms())
            )
        except StaleQuestionError:
            self._show_next()
            return
        if result is None:
            return
        self._after_answer(result)
        names = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
        when = describe_interval(result.interval)
        self.answered.emit(result)
        self._show_next()
        # Said on the next question, which is where the student is now looking.
        self.status_message.emit(
            (LEECH_NOTE + " " if result.leech else "")
            + f"Rated {names.get(rating, rating)}" + (f"; next review {when}." if when else ".")
        )

    def _after_answer(self, result: ReviewResult) -> None:
        # Committed: log it before any feedback (the verdict, or the flashcard's
        # status line) reaches the screen.
        self.feedback_log.write(result.review_id, result.card_id, result.kind, result.correct)
        self.last_result = result
        self._answered += 1
        self._correct += int(result.correct)
        self._stack.append(_Done(1, int(result.correct)))
        if result.leech:
            self.status_message.emit(LEECH_NOTE)

    def _feedback(self, result: ReviewResult) -> FeedbackInfo:
        verdict = result.verdict.value if isinstance(result.verdict, Verdict) else "wrong"
        titles = {"right": "Right", "partial": "Partly right", "wrong": "Not quite"}
        if result.kind == "overrule":
            title = "Counted as right"
        else:
            title = titles.get(verdict, "Not quite")
        when = describe_interval(result.interval)
        question = self.question
        correct_answer = result.correct_answer
        if question is not None and question.form is Form.TIMELINE:
            events = correct_answer.split(" | ")
            if len(question.item_dates) == len(events):  # each event with its date
                events = [f"{e} ({d})" for e, d in zip(events, question.item_dates, strict=True)]
            correct_answer = "  →  ".join(events)
        given = result.given or ""
        message = result.message
        if question is not None and question.form is Form.TIMELINE:
            given = "  →  ".join(given.split(" | "))
            # The answer line gives the order with its dates: say only how close it was.
            message = message.split(" The order is ")[0] if " The order is " in message \
                else ("" if message.startswith("The order is ") else message)
        if given == "" and result.kind == "study" and not result.correct:
            given = "(no answer)"
        return FeedbackInfo(
            verdict=verdict,
            title=title,
            message=message,
            given=given,
            correct_answer=correct_answer,
            evidence=(
                result.evidence
                if result.evidence is not None and result.evidence.sentence
                else (question.evidence if question is not None else None)
            ),
            next_due=f"Next review {when}." if when else "",
            leech=result.leech,
            can_overrule=(
                not result.correct
                and result.kind == "study"
                and question is not None
                and question.form in TYPED_FORMS
                and bool((result.given or "").strip())  # not after "Don't know"
            ),
        )

    def _show_media(self, question: Question, *, answered: bool) -> None:
        """The fact's pictures and sounds: the question side's, then all with the answer."""
        from quizapp.gui.controllers.media import show_fact_media

        show_fact_media(self.view.card.media, self.collection,
                        self.deck.deck_id if self.deck is not None else None, question.fact_id,
                        prompt=None if answered else question.prompt,
                        prompt_label=self.view.card.prompt)

    def _show_feedback(self, info: FeedbackInfo) -> None:
        self._feedback_info = info
        self.view.show_feedback(info)
        if self.question is not None:
            self._show_media(self.question, answered=True)
        self._set_state(self.FEEDBACK)

    def _flashcard_revealed(self) -> None:
        self.view.hint.setText(self.view.flashcard_panel.key_hint())
        if self.question is not None:  # the back's pictures and sounds with it
            self._show_media(self.question, answered=True)

    # ------------------------------------------------------- undo, overrule

    def undo(self) -> None:
        """Take back the last answer of this sitting; its card is asked again."""
        if not self.can_undo or self.session is None:
            return
        try:
            result = self.session.undo(self.clock())
        except ValueError as exc:
            self.status_message.emit(f"Cannot undo: {exc}.")
            return
        if result is None:
            self._stack.clear()
            self.status_message.emit("Nothing to undo.")
            self._update_buttons()
            return
        done = self._stack.pop()
        self._answered -= done.answered
        self._correct -= done.correct
        self.undone.emit(result)
        self._show_next()
        self.status_message.emit("Undone: the last answer no longer counts.")

    def overrule(self) -> None:
        """"I was right": count the typed answer just judged wrong as right."""
        if not self.can_overrule or self.session is None or self.last_result is None:
            return
        try:
            result = self.session.overrule(self.last_result.review_id, self.clock())
        except ValueError as exc:
            self.status_message.emit(f"Cannot overrule: {exc}.")
            return
        self.feedback_log.write(result.review_id, result.card_id, result.kind, result.correct)
        if self._stack:
            self._stack[-1] = _Done(1, 1)
        self._correct += 1
        info = self._feedback(result)
        prior = self.last_result
        self.last_result = result
        info = FeedbackInfo(
            verdict="right",
            title="Counted as right",
            message="Your answer was accepted.",
            given=prior.given or "",
            correct_answer=prior.correct_answer,
            evidence=info.evidence,
            next_due=info.next_due,
            leech=False,
            can_overrule=False,
        )
        self._show_feedback(info)
        self.status_message.emit("Counted as right.")
        self.overruled.emit(result)

    # ----------------------------------------------------------- card actions

    def report(self) -> None:
        """Report the question on show as wrong, with an optional reason."""
        if not self.has_question or self.session is None or self.question is None:
            return
        from quizapp.gui.views.dialogs import ReportDialog

        question = self.question
        dialog = ReportDialog(self.view)

        def send() -> None:
            if self.session is None or self.question is not question:
                return  # the sitting moved on meanwhile
            self.session.report(question, dialog.reason(), self.clock())
            self.status_message.emit("Thank you: the question was reported.")
            if self.state == self.QUESTION:
                self._show_next()

        dialog.accepted.connect(send)
        dialog.open()

    def bury(self) -> None:
        """Hide the card until tomorrow and go on."""
        if not self.has_question or self.session is None or self.question is None:
            return
        self.session.bury(self.question.card_id, self.clock())
        self.status_message.emit("Card buried until tomorrow.")
        self._show_next()

    def suspend(self) -> None:
        """Stop showing the card and go on."""
        if not self.has_question or self.session is None or self.question is None:
            return
        self.session.suspend(self.question.card_id)
        self.status_message.emit("Card suspended.")
        self._show_next()

    def restyle(self) -> None:
        """Re-render rich text after a theme change (highlight colours)."""
        self.view.restyle_progress()
        if self.state == self.FEEDBACK and self._feedback_info is not None:
            self.view.feedback.show_feedback(
                self._feedback_info, self.question.answers if self.question else ()
            )
