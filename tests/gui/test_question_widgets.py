"""The answer panels on their own, with hand-made questions (no database)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.gui.views.question_widgets import (
    ChoicePanel,
    FlashcardPanel,
    TimelinePanel,
    TypedPanel,
)
from quizapp.gui.views.study_view import FeedbackInfo, StudyView, evidence_html
from quizapp.questions.model import Evidence, Family, Form, Question

WAIT_MS = 10_000
EVIDENCE = Evidence("In total, 4 helicopters arrived in Karabakh.", 10, 11)


def make(form: Form, **kw: object) -> Question:
    values: dict[str, object] = {
        "card_id": "1",
        "fact_id": "n-helicopters",
        "family": Family.RECOGNISE,
        "form": form,
        "prompt": "How many helicopters arrived in Karabakh?",
        "answers": ("4",),
        "choices": ("2", "4", "6", "12"),
        "evidence": EVIDENCE,
    }
    values.update(kw)
    return Question(**values)  # type: ignore[arg-type]


def test_choice_keys_pick_and_submit(qtbot: QtBot) -> None:
    panel = ChoicePanel()
    qtbot.addWidget(panel)
    panel.show_question(make(Form.CHOICE))
    panel.show()
    panel.focus_answer()
    with qtbot.waitSignal(panel.submitted, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(panel.buttons[0], Qt.Key.Key_2)
    assert blocker.args == ["4"]
    assert [b.accessibleName() for b in panel.buttons][1] == "Answer 2: 4"
    with qtbot.waitSignal(panel.submitted, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(panel.buttons[3], Qt.MouseButton.LeftButton)
    assert blocker.args == ["12"]
    # A digit past the last choice does nothing.
    with qtbot.assertNotEmitted(panel.submitted):
        qtbot.keyClick(panel, Qt.Key.Key_7)


def test_typed_enter_submits_and_empty_does_not(qtbot: QtBot) -> None:
    panel = TypedPanel()
    qtbot.addWidget(panel)
    panel.show_question(make(Form.TYPED, choices=None, family=Family.RECALL))
    panel.show()
    with qtbot.assertNotEmitted(panel.submitted):
        qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(panel.edit, "four")
    with qtbot.waitSignal(panel.submitted, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(panel.edit, Qt.Key.Key_Return)
    assert blocker.args == ["four"]
    with qtbot.waitSignal(panel.submitted, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(panel.dont_know, Qt.MouseButton.LeftButton)
    assert blocker.args == [""]


def test_timeline_moves_with_alt_arrows_and_submits_with_enter(qtbot: QtBot) -> None:
    panel = TimelinePanel()
    qtbot.addWidget(panel)
    events = ("B happened", "A happened", "C happened")
    panel.show_question(
        make(Form.TIMELINE, choices=None, items=events, answers=("A happened | B happened | C"
                                                                  " happened",))
    )
    panel.show()
    panel.list.setCurrentRow(0)
    qtbot.keyClick(panel.list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert panel.order() == ["A happened", "B happened", "C happened"]
    assert panel.list.currentRow() == 1
    assert panel.list.item(0).text().startswith("1.")
    with qtbot.waitSignal(panel.submitted, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    assert blocker.args == ["A happened | B happened | C happened"]


def test_flashcard_space_reveals_then_digits_rate(qtbot: QtBot) -> None:
    panel = FlashcardPanel()
    qtbot.addWidget(panel)
    panel.show_question(make(Form.FLASHCARD, choices=None, prompt="Capital of Peru?",
                             answers=("Lima",), back="Lima"))
    panel.show()
    panel.setFocus()
    with qtbot.assertNotEmitted(panel.rated):
        qtbot.keyClick(panel, Qt.Key.Key_3)
    assert not panel.is_revealed
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    assert panel.is_revealed and panel.back.text() == "Lima"
    with qtbot.waitSignal(panel.rated, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(panel.rating_buttons[2], Qt.Key.Key_4)
    assert blocker.args == [4]


def test_evidence_highlight_uses_span_or_finds_the_answer() -> None:
    marked = evidence_html(Evidence("Peskov said “yes”.", None, None, None, 13, 16), ())
    assert "yes</span>" in marked
    found = evidence_html(EVIDENCE, ("4",))
    assert ">4</span> helicopters" in found
    plain = evidence_html(Evidence("No answer <here>.", None, None), ("zzz",))
    assert plain == "No answer &lt;here&gt;."


def test_feedback_enter_continues(qtbot: QtBot) -> None:
    view = StudyView()
    qtbot.addWidget(view)
    view.show()
    view.show_question(make(Form.CHOICE))
    view.show_feedback(FeedbackInfo("wrong", "Not quite", "", "2", "4", EVIDENCE, "", False,
                                    False))
    assert view.feedback.isVisible()
    assert "4" in view.feedback.answer.text()
    with qtbot.waitSignal(view.feedback.continue_requested, timeout=WAIT_MS):
        qtbot.keyClick(view.feedback.continue_button, Qt.Key.Key_Return)


def test_the_selected_timeline_row_has_one_highlight(qtbot: QtBot) -> None:
    """The chosen event is one flat accent-coloured row: no second, inner focus band."""
    from PySide6.QtWidgets import QApplication

    from quizapp.gui.theme import apply_theme, colors

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "light")
    panel = TimelinePanel()
    qtbot.addWidget(panel)
    panel.resize(600, 300)
    panel.show_question(make(Form.TIMELINE, prompt="Put these events in order.",
                             choices=None, items=("First event", "Second", "Third one"),
                             answers=("First event | Second | Third one",)))
    panel.show()
    qtbot.waitExposed(panel)
    lst = panel.list
    panel.activateWindow()
    lst.setFocus()
    lst.setCurrentRow(1)
    qtbot.waitUntil(lst.hasFocus, timeout=WAIT_MS)
    image = lst.viewport().grab().toImage()
    rect = lst.visualItemRect(lst.item(1))
    accent = str(colors().accent).lower()
    y = rect.center().y()
    # Right of the text, across the row: every pixel is the same colour.
    xs = range(rect.left() + rect.width() * 2 // 3, rect.right() - 12)
    seen = {image.pixelColor(x, y).name() for x in xs}
    seen |= {image.pixelColor(x, rect.top() + 6).name() for x in xs}
    assert len(seen) == 1, seen
    if accent.startswith("#"):
        assert seen == {accent}
