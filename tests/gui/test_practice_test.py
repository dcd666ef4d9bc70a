"""Taking whole practice tests on the widget, by keyboard and mouse, on real SQLite.

Checked against the database file: every answer is a committed ``test`` row
before anything reacts to it, the score is kept with its session, a card in
review is rescheduled by a test answer and a new card stays new.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from quizapp.gui.controllers.practice_test_panel import PracticeTestPanel
from quizapp.gui.views.practice_test_view import DeckChoice
from quizapp.gui.views.study_view import CHOICE_FORMS
from quizapp.questions.model import Form, Question
from quizapp.quiz import (
    GROUP_FORMS,
    FormGroup,
    QuizOptions,
    build_quiz,
    load_quiz_decks,
    practice_test_history,
    profile_cards,
)
from quizapp.services.collection import Collection
from quizapp.services.profiles import update_profile_settings
from quizapp.study import StudySession
from tests.gui.conftest import WAIT_MS, query
from tests.gui.test_main_window import assert_accessible

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
DIGITS = [getattr(Qt.Key, f"Key_{i}") for i in range(1, 10)]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def right_answer(q: Question) -> str | list[str]:
    return q.answers[0].split(" | ") if q.form is Form.TIMELINE else q.answers[0]


def make_reviews(col: Collection, profile_id: int) -> set[int]:
    """Study the first new recognise cards into Review state; return their ids."""
    update_profile_settings(col, profile_id, timezone="UTC", fuzz=False, new_per_day=10)
    session = StudySession(col, profile_id, deck_id=1)
    now = T0 - timedelta(days=3)
    for _ in range(60):
        q = session.next_question(now)
        if q is None:
            now += timedelta(minutes=11)
            q = session.next_question(now)
            if q is None:
                break
        session.answer(q, right_answer(q), now, 4000)
        now += timedelta(seconds=5)
    session.close(now)
    return {int(cid) for (cid,) in query_home(col, "SELECT id FROM card WHERE state = 2")}


def query_home(col: Collection, sql: str) -> list[tuple[object, ...]]:
    from sqlalchemy import text

    with col.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def mixed_draw(col: Collection, profile_id: int, reviews: set[int], questions: int,
               forms: frozenset[Form] | None) -> int:
    """A draw whose test asks cards in review and new cards both."""
    decks = load_quiz_decks(col, [1])
    cards = profile_cards(col, profile_id, decks)
    for draw in range(1, 300):
        quiz = build_quiz(decks, QuizOptions(questions=questions, forms=forms, draw=draw),
                          cards=cards)
        ids = {int(i.question.card_id) for i in quiz.items}
        if ids & reviews and ids - reviews:
            return draw
    raise AssertionError("no draw mixes review and new cards")


@pytest.fixture
def setup(qtbot: QtBot, quizapp_home: Path) -> Iterator[tuple[PracticeTestPanel, Collection,
                                                               int, set[int], Clock]]:
    col = Collection.open()  # the app's database under this test's QUIZAPP_HOME
    pid = col.profile().id
    assert pid is not None
    reviews = make_reviews(col, pid)
    assert reviews
    clock = Clock(T0)
    panel = PracticeTestPanel(None, clock=clock)
    qtbot.addWidget(panel.view)
    panel.view.resize(1000, 760)
    panel.view.show()
    qtbot.waitExposed(panel.view, timeout=WAIT_MS)
    panel.set_context(col, pid, [DeckChoice(1, "Russian peacekeepers leave Nagorno-Karabakh",
                                            40)])
    yield panel, col, pid, reviews, clock
    panel.stop()
    col.close()


def card_rows(home: Path, ids: set[int]) -> dict[int, tuple[object, ...]]:
    marks = ",".join(str(i) for i in sorted(ids))
    return {int(r[0]): r[1:] for r in query(
        home, f"SELECT id, state, stability, difficulty, due, reps, lapses FROM card "
              f"WHERE id IN ({marks})")}


def tick(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a check box or radio button on its indicator (its centre may be empty space)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def wait_state(qtbot: QtBot, panel: PracticeTestPanel, state: str) -> None:
    qtbot.waitUntil(lambda: panel.state == state, timeout=WAIT_MS)


def answer_with_keyboard(qtbot: QtBot, panel: PracticeTestPanel, q: Question,
                         right: bool) -> None:
    page = panel.view.question
    assert q.form in CHOICE_FORMS and q.choices is not None
    index = (q.choices.index(q.answers[0]) if right
             else next(i for i, c in enumerate(q.choices) if c not in q.answers))
    focused = QApplication.focusWidget()
    assert focused in page.choice_panel.buttons  # the keyboard is where the answer goes
    qtbot.keyClick(focused, DIGITS[index])


def answer_with_mouse(qtbot: QtBot, panel: PracticeTestPanel, q: Question, right: bool) -> None:
    page = panel.view.question
    if q.form in CHOICE_FORMS:
        assert q.choices is not None
        index = (q.choices.index(q.answers[0]) if right
                 else next(i for i, c in enumerate(q.choices) if c not in q.answers))
        qtbot.mouseClick(page.choice_panel.buttons[index], Qt.MouseButton.LeftButton)
    elif q.form is Form.TIMELINE:
        lst = page.timeline_panel.list
        target = q.answers[0].split(" | ")
        if not right:
            target.reverse()
        for i, event in enumerate(target):
            j = lst.events().index(event)
            lst.setCurrentRow(j)
            while j > i:
                qtbot.mouseClick(page.timeline_panel.up, Qt.MouseButton.LeftButton)
                j -= 1
        qtbot.mouseClick(page.timeline_panel.check, Qt.MouseButton.LeftButton)
    else:
        edit = page.typed_panel.edit
        qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(edit, q.answers[0] if right else "zzz nothing like it")
        qtbot.mouseClick(page.typed_panel.check, Qt.MouseButton.LeftButton)


def test_exam_style_test_by_keyboard(qtbot: QtBot, setup: tuple[
        PracticeTestPanel, Collection, int, set[int], Clock], quizapp_home: Path) -> None:
    panel, col, pid, reviews, clock = setup
    view = panel.view
    setup_page = view.setup
    assert_accessible(view)
    choice = GROUP_FORMS[FormGroup.CHOICE]
    panel.draw = mixed_draw(col, pid, reviews, 8, choice)
    # Set the form up with the mouse: multiple choice only, 8 questions, exam style.
    tick(qtbot, setup_page.chosen)
    for group, box in setup_page.group_boxes.items():
        if group is not FormGroup.CHOICE:
            tick(qtbot, box)
    assert setup_page.values().groups == (FormGroup.CHOICE,)
    setup_page.count.selectAll()
    qtbot.keyClicks(setup_page.count, "8")
    assert setup_page.exam.isChecked()
    qtbot.mouseClick(setup_page.start, Qt.MouseButton.LeftButton)
    wait_state(qtbot, panel, PracticeTestPanel.QUESTION)
    assert panel.test is not None
    asked = {int(q.card_id) for q in panel.test.questions}
    before = card_rows(quizapp_home, asked)
    rights = []
    for i in range(8):
        wait_state(qtbot, panel, PracticeTestPanel.QUESTION)
        q = panel.question
        assert q is not None and q.form in choice
        assert view.question.counter.text() == f"Question {i + 1} of 8"
        right = i % 3 != 2
        rights.append(right)
        clock.advance(15)
        with qtbot.waitSignal(panel.answered, timeout=WAIT_MS) as signal:
            answer_with_keyboard(qtbot, panel, q, right)
        result = signal.args[0]
        # Committed before the screen moved on: the row is in the file already.
        assert query(quizapp_home, "SELECT kind, correct FROM review WHERE id = ?",
                     result.review_id) == [("test", int(right))]
        assert not view.question.feedback.isVisible()  # exam style: no feedback yet
    wait_state(qtbot, panel, PracticeTestPanel.REPORT)
    report = panel.report
    assert report is not None
    assert (report.correct, report.total) == (sum(rights), 8)
    assert view.report.score.value.text() == f"{round(100 * sum(rights) / 8)}%"
    assert view.report.right.value.text() == f"{sum(rights)} of 8"
    assert view.report.time.value.text() == "2 min"
    details = view.report.details.toPlainText()
    for item in report.items:
        assert item.question.prompt[:30] in details
    assert "Right answer:" in details and "From the article:" in details
    # Kept per profile with its score.
    history = practice_test_history(col, pid)
    assert [(t.answered, t.correct) for t in history] == [(8, sum(rights))]
    assert query(quizapp_home, "SELECT answered, correct FROM study_session WHERE id = ?",
                 report.session_id) == [(8, sum(rights))]
    # Scheduling: review cards were rescheduled, new cards stayed new.
    after = card_rows(quizapp_home, asked)
    moved = [cid for cid in asked & reviews if after[cid] != before[cid]]
    assert moved and len(moved) == len(asked & reviews)
    for cid in asked - reviews:
        assert after[cid] == before[cid] and after[cid][0] == 0  # state new, untouched
    # The set-up page lists the test taken.
    qtbot.mouseClick(view.report.again, Qt.MouseButton.LeftButton)
    assert setup_page.history.rowCount() == 1
    assert f"{sum(rights)} of 8" in setup_page.history.item(0, 2).text()


def test_practice_style_test_by_mouse_with_a_review_round(
        qtbot: QtBot, setup: tuple[PracticeTestPanel, Collection, int, set[int], Clock],
        quizapp_home: Path) -> None:
    panel, col, pid, reviews, clock = setup
    view = panel.view
    panel.draw = mixed_draw(col, pid, reviews, 6, None)
    setup_page = view.setup
    setup_page.count.setValue(6)
    tick(qtbot, setup_page.practice)
    qtbot.mouseClick(setup_page.start, Qt.MouseButton.LeftButton)
    wait_state(qtbot, panel, PracticeTestPanel.QUESTION)
    assert panel.test is not None
    forms = {q.form for q in panel.test.questions}
    assert len(forms) >= 2  # a mix
    rights = []
    for i in range(6):
        wait_state(qtbot, panel, PracticeTestPanel.QUESTION)
        q = panel.question
        assert q is not None
        right = i % 2 == 0
        rights.append(right)
        clock.advance(20)
        answer_with_mouse(qtbot, panel, q, right)
        wait_state(qtbot, panel, PracticeTestPanel.FEEDBACK)
        fb = view.question.feedback
        assert fb.isVisible()
        # The answer was committed before its feedback showed.
        rows = query(quizapp_home, "SELECT kind FROM review WHERE kind = 'test'")
        assert len(rows) == i + 1
        assert fb.title.text().endswith("Right" if right else "Not quite")
        if not right:
            assert q.answers[0].split(" | ")[0][:15] in fb.answer.text() + fb.message.text()
        qtbot.mouseClick(fb.continue_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, panel, PracticeTestPanel.REPORT)
    report = panel.report
    assert report is not None and report.correct == sum(rights) == 3
    mistakes = len(report.mistakes)
    assert mistakes == 3
    assert view.report.review.text() == "Review my mistakes (3)"
    # The mistakes become a short review round at once.
    qtbot.mouseClick(view.report.review, Qt.MouseButton.LeftButton)
    wait_state(qtbot, panel, PracticeTestPanel.QUESTION)
    assert panel.in_round
    for _ in range(mistakes):
        wait_state(qtbot, panel, PracticeTestPanel.QUESTION)
        q = panel.question
        assert q is not None
        clock.advance(10)
        answer_with_mouse(qtbot, panel, q, True)
        wait_state(qtbot, panel, PracticeTestPanel.FEEDBACK)
        qtbot.keyClick(view.question.feedback.continue_button, Qt.Key.Key_Return)
    wait_state(qtbot, panel, PracticeTestPanel.REPORT)
    assert "3 of 3 right" in view.report.note.text()
    study = query(quizapp_home, "SELECT count(*) FROM review WHERE kind = 'study' AND "
                                "session_id != ?", report.session_id)
    assert study[0][0] >= 3
    # The review round did not change the test's score.
    history = practice_test_history(col, pid)
    assert [(t.answered, t.correct) for t in history] == [(6, 3)]


NEW_FORMS = frozenset({Form.DATE_EVENT, Form.NUMBER_MEANING, Form.SPEAKER_POSITION,
                       Form.TRUE_FALSE})


def test_new_forms_are_answered_by_keyboard(qtbot: QtBot, setup: tuple[
        PracticeTestPanel, Collection, int, set[int], Clock], quizapp_home: Path) -> None:
    panel, col, pid, _reviews, clock = setup
    view = panel.view
    choice = GROUP_FORMS[FormGroup.CHOICE]
    decks = load_quiz_decks(col, [1])
    cards = profile_cards(col, pid, decks)
    # A draw of multiple-choice questions that holds every new form.

    def forms_of(draw: int) -> set[Form]:
        quiz = build_quiz(decks, QuizOptions(questions=40, forms=choice, draw=draw),
                          cards=cards)
        return {i.question.form for i in quiz.items}

    draw = next(d for d in range(1, 200) if forms_of(d) >= NEW_FORMS)
    panel.draw = draw
    tick(qtbot, view.setup.chosen)
    for group, box in view.setup.group_boxes.items():
        if group is not FormGroup.CHOICE:
            tick(qtbot, box)
    assert view.setup.values().groups == (FormGroup.CHOICE,)
    view.setup.count.setValue(40)
    tick(qtbot, view.setup.practice)
    qtbot.mouseClick(view.setup.start, Qt.MouseButton.LeftButton)
    wait_state(qtbot, panel, PracticeTestPanel.QUESTION)
    assert panel.test is not None
    total = len(panel.test.questions)
    answered: dict[Form, list[bool]] = {}
    for _ in range(total):
        wait_state(qtbot, panel, PracticeTestPanel.QUESTION)
        q = panel.question
        assert q is not None and q.choices is not None
        right = len(answered.get(q.form, [])) % 2 == 0  # each form right, then wrong
        clock.advance(12)
        focused = QApplication.focusWidget()
        assert focused in view.question.choice_panel.buttons
        if q.form is Form.TRUE_FALSE:
            assert q.choices == ("True", "False")
            assert view.question.card.form_tag.text() == "TRUE OR FALSE?"
            truth = q.answers[0] == "True"
            key = Qt.Key.Key_T if truth == right else Qt.Key.Key_F
        else:
            index = (q.choices.index(q.answers[0]) if right
                     else next(j for j, c in enumerate(q.choices) if c not in q.answers))
            key = DIGITS[index]
        with qtbot.waitSignal(panel.answered, timeout=WAIT_MS) as signal:
            qtbot.keyClick(focused, key)
        result = signal.args[0]
        assert query(quizapp_home, "SELECT kind, correct, form FROM review WHERE id = ?",
                     result.review_id) == [("test", int(right), q.form.value)]
        wait_state(qtbot, panel, PracticeTestPanel.FEEDBACK)
        fb = view.question.feedback
        assert fb.isVisible() and fb.title.text().endswith("Right" if right else "Not quite")
        if q.form is Form.TRUE_FALSE and q.actual:
            assert q.actual in fb.message.text()  # which value the article gives
        answered.setdefault(q.form, []).append(right)
        qtbot.keyClick(fb.continue_button, Qt.Key.Key_Return)
    assert set(answered) >= NEW_FORMS
    wait_state(qtbot, panel, PracticeTestPanel.REPORT)
    report = panel.report
    assert report is not None
    assert report.correct == sum(r for rs in answered.values() for r in rs)


def test_time_limit_ends_the_test(qtbot: QtBot, setup: tuple[
        PracticeTestPanel, Collection, int, set[int], Clock], quizapp_home: Path) -> None:
    panel, _col, _pid, _reviews, clock = setup
    view = panel.view
    panel.draw = 7
    view.setup.count.setValue(5)
    tick(qtbot, view.setup.timed)
    view.setup.minutes.setValue(1)
    qtbot.mouseClick(view.setup.start, Qt.MouseButton.LeftButton)
    wait_state(qtbot, panel, PracticeTestPanel.QUESTION)
    assert view.question.clock.text() == "1:00 left"
    q = panel.question
    assert q is not None
    clock.advance(20)
    answer_with_mouse(qtbot, panel, q, True)
    wait_state(qtbot, panel, PracticeTestPanel.QUESTION)
    clock.advance(45)
    panel.timer.timeout.emit()  # the one-second tick
    wait_state(qtbot, panel, PracticeTestPanel.REPORT)
    report = panel.report
    assert report is not None and report.timed_out
    assert (report.answered, report.total) == (1, 5)
    assert view.report.title.text() == "Time is up"
    assert "4 not answered" in view.report.right.caption.text()
    assert query(quizapp_home, "SELECT count(*) FROM review WHERE kind = 'test'") == [(1,)]


def test_a_confirmation_question_is_answered_by_keyboard(qtbot: QtBot) -> None:
    import random

    from quizapp.gui.views.practice_test_view import QuestionPage
    from quizapp.questions.generate import ALL_FORMS, QuestionBuilder
    from quizapp.questions.model import Family
    from tests.test_confirmations import STATEMENTS, make_deck, quote_at

    text = (STATEMENTS + "Asked whether the grain corridor would reopen in May, Hikmet "
            "Hajiyev said: \u201cYes this is true\u201d.")
    deck = make_deck(text, [quote_at(text, "q-yes", "Yes this is true", "Hikmet Hajiyev")])
    q = QuestionBuilder(deck, forms=ALL_FORMS).build("1", "q-yes", Family.RECOGNISE,
                                                     random.Random(3), form=Form.CONFIRMATION)
    assert q is not None and q.choices is not None
    page = QuestionPage()
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    qtbot.waitExposed(page, timeout=WAIT_MS)
    page.activateWindow()
    page.show_question(q, 1, 1, "Practice test")
    qtbot.waitUntil(lambda: QApplication.focusWidget() in page.choice_panel.buttons,
                    timeout=WAIT_MS)
    assert page.form_tag.text() == "WHAT DID THEY CONFIRM?"
    assert page.current_panel is page.choice_panel
    assert page.hint.text() == f"Press 1–{len(q.choices)} to answer"
    focused = QApplication.focusWidget()
    assert focused in page.choice_panel.buttons
    with qtbot.waitSignal(page.choice_panel.submitted, timeout=WAIT_MS) as signal:
        qtbot.keyClick(focused, DIGITS[q.choices.index(q.answers[0])])
    assert signal.args == [q.answers[0]]
