"""The forms of questions/forms/ in the study screen, answered with the keyboard alone."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quizapp.facts.deckfile import load_deck_file
from quizapp.gui.controllers.study_panel import StudyPanel
from quizapp.gui.main_window import MainWindow
from quizapp.gui.views.question_widgets import ChoicePanel
from quizapp.questions.forms.base import FALSE, TRUE
from quizapp.questions.generate import ALL_FORMS, FORM_SPECS, QuestionBuilder
from quizapp.questions.model import Family, Form, Question
from quizapp.storage import repository as repo
from tests.conftest import SEED_DECK
from tests.gui.conftest import WAIT_MS, query
from tests.gui.test_question_widgets import make
from tests.gui.test_study import DIGITS, wait_feedback, wait_question


def new_form_questions(card_ids: dict[str, str]) -> list[Question]:
    """A question of each new form on the seed deck (true or false both ways), built with
    the stored card ids of the profile."""
    deck = load_deck_file(SEED_DECK)
    builder = QuestionBuilder(deck, forms=ALL_FORMS)
    out: list[Question] = []
    wanted = [Form.DATE_EVENT, Form.NUMBER_MEANING, Form.SPEAKER_POSITION, Form.TRUE_FALSE,
              Form.TRUE_FALSE]
    truths: set[str] = set()
    for form in wanted:
        found = None
        for fact in deck.facts:
            if form not in builder.forms_for(fact.id, Family.RECOGNISE):
                continue
            card = card_ids[fact.id]  # one card (memory) per fact
            for seed in range(50):
                q = builder.build(card, fact.id, Family.RECOGNISE, random.Random(seed), form=form)
                if q is not None and (form is not Form.TRUE_FALSE or q.answers[0] not in truths):
                    found = q
                    break
            if found is not None:
                break
        assert found is not None, form
        truths.add(found.answers[0])
        out.append(found)
    # The seed has no short answer whose content the article states (no confirmation form).
    assert {q.form for q in out} == set(FORM_SPECS) - {Form.CONFIRMATION}
    return out


def test_new_forms_answered_by_keyboard_in_the_study_screen(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path
) -> None:
    seed = next(d for d in window.deck_model.decks() if d.key == "seed")
    window.deck_page.select_deck(seed.deck_id)
    window.start_study()
    study = window.study
    wait_question(qtbot, study)
    session = study.session
    assert session is not None and window.library is not None
    with window.library.collection.session() as s:
        card_ids = {k: c for k, (c, _m) in repo.stored_cards(
            s, "seed", session.profile_id).items()}
    before = len(query(quizapp_home, "SELECT id FROM review"))
    for i, question in enumerate(new_form_questions(card_ids)):
        # The session serves the card (its own builder offers the default forms), and the
        # screen shows the card's question in a new form.
        assert session.build_question(question.card_id, datetime.now(UTC)) is not None
        study.present(question)
        shown = wait_question(qtbot, study)
        assert shown is question
        view = study.view
        panel = view.current_panel
        assert isinstance(panel, ChoicePanel) and panel.isVisible()
        assert [b.choice for b in panel.buttons] == list(question.choices or ())
        assert view.card.form_tag.text()  # the form says what it asks
        focused = QApplication.focusWidget()
        assert focused in panel.buttons  # the keyboard is where the answer goes
        assert question.choices is not None
        right = i % 2 == 0
        answer = question.answers[0]
        if question.form is Form.TRUE_FALSE:
            assert "T" in view.hint.text() and "F" in view.hint.text()
            given = answer if right else ({TRUE, FALSE} - {answer}).pop()
            qtbot.keyClick(focused, Qt.Key.Key_T if given == TRUE else Qt.Key.Key_F)
        else:
            index = question.choices.index(answer) if right else next(
                j for j, c in enumerate(question.choices) if c != answer)
            qtbot.keyClick(focused, DIGITS[index])
        wait_feedback(qtbot, study)
        result = study.last_result
        assert result is not None and result.correct == right, (question.prompt, right)
        feedback = view.feedback
        assert feedback.evidence.isVisible()  # the article's sentence, after every answer
        if question.form is Form.TRUE_FALSE:
            assert question.actual is not None and question.actual in feedback.message.text()
        elif not right:
            assert answer in feedback.answer.text() + feedback.message.text()
        qtbot.keyClick(feedback.continue_button, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: study.state != StudyPanel.FEEDBACK, timeout=WAIT_MS)
    rows = query(quizapp_home, "SELECT form, correct FROM review ORDER BY id")[before:]
    assert [r[0] for r in rows] == [q.form.value for q in new_form_questions(card_ids)]
    assert [bool(r[1]) for r in rows] == [i % 2 == 0 for i in range(len(rows))]


def test_true_false_keys_pick_true_and_false(qtbot: QtBot) -> None:
    panel = ChoicePanel()
    qtbot.addWidget(panel)
    panel.show_question(make(Form.TRUE_FALSE, prompt="True or false? 4 helicopters arrived.",
                             choices=(TRUE, FALSE), answers=(TRUE,)))
    panel.show()
    panel.focus_answer()
    assert panel.key_hint() == "Press T (or 1) for True, F (or 2) for False"
    for key, want in ((Qt.Key.Key_F, FALSE), (Qt.Key.Key_T, TRUE), (Qt.Key.Key_2, FALSE)):
        with qtbot.waitSignal(panel.submitted, timeout=WAIT_MS) as blocker:
            qtbot.keyClick(QApplication.focusWidget() or panel, key)
        assert blocker.args == [want]
    # On another choice form, T and F are no answers.
    panel.show_question(make(Form.CHOICE))
    panel.focus_answer()
    with qtbot.assertNotEmitted(panel.submitted):
        qtbot.keyClick(QApplication.focusWidget() or panel, Qt.Key.Key_T)


def test_every_form_has_a_name_in_the_history_and_the_reader() -> None:
    from quizapp.gui.controllers.reader_panel import FORM_NAMES
    from quizapp.gui.models.history_model import FORM_LABELS

    assert {f.value for f in Form} <= set(FORM_LABELS)
    assert {f.value for f in Form} <= set(FORM_NAMES)
