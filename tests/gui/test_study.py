"""Studying through the GUI, driven by keyboard and mouse, checked against the review log."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from quizapp.gui.controllers.study_panel import StudyPanel
from quizapp.gui.main_window import MainWindow
from quizapp.gui.views.study_view import CHOICE_FORMS, TYPED_FORMS
from quizapp.questions.model import Form, Question
from tests.gui.conftest import WAIT_MS, database_file, query
from tests.gui.test_main_window import assert_accessible

DIGITS = [getattr(Qt.Key, f"Key_{i}") for i in range(1, 10)]


@dataclass
class Log:
    """What the test did, to compare with the review table."""

    answers: list[tuple[int, bool]] = field(default_factory=list)  # (card id, correct)
    undone: list[int] = field(default_factory=list)  # card ids whose answer was undone
    overruled: list[int] = field(default_factory=list)


def wait_question(qtbot: QtBot, study: StudyPanel) -> Question:
    qtbot.waitUntil(lambda: study.state == StudyPanel.QUESTION, timeout=WAIT_MS)
    assert study.question is not None
    return study.question


def wait_strip(qtbot: QtBot, study: StudyPanel) -> str:
    """The progress strip's text, once a sitting's first question has had it counted."""
    qtbot.waitUntil(lambda: bool(study.view.progress_text.accessibleDescription()),
                    timeout=WAIT_MS)
    return study.view.progress_text.accessibleDescription()


def wait_feedback(qtbot: QtBot, study: StudyPanel) -> None:
    qtbot.waitUntil(
        lambda: study.state == StudyPanel.FEEDBACK and study.view.feedback.isVisible(),
        timeout=WAIT_MS,
    )


def wrong_choice(question: Question) -> int:
    assert question.choices is not None
    return next(i for i, c in enumerate(question.choices) if c not in question.answers)


def answer(qtbot: QtBot, study: StudyPanel, question: Question, right: bool,
           mouse: bool) -> None:
    """Answer the question on show, right or wrong, by keyboard or mouse."""
    view = study.view
    if question.form in CHOICE_FORMS:
        assert question.choices is not None
        index = question.choices.index(question.answers[0]) if right else wrong_choice(question)
        buttons = view.choice_panel.buttons
        if mouse:
            qtbot.mouseClick(buttons[index], Qt.MouseButton.LeftButton)
        else:
            focused = QApplication.focusWidget()
            assert focused in buttons  # the keyboard is where the answer goes
            qtbot.keyClick(focused, DIGITS[index])
    elif question.form in TYPED_FORMS:
        edit = view.typed_panel.edit
        assert edit.hasFocus()
        qtbot.keyClicks(edit, question.answers[0] if right else "zzz nothing like it")
        if mouse:
            qtbot.mouseClick(view.typed_panel.check, Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(edit, Qt.Key.Key_Return)
    elif question.form is Form.TIMELINE:
        lst = view.timeline_panel.list
        target = question.answers[0].split(" | ")
        if not right:
            target = list(reversed(target))
        for i, event in enumerate(target):  # selection sort with Alt+Up
            j = lst.events().index(event)
            lst.setCurrentRow(j)
            for _ in range(j - i):
                qtbot.keyClick(lst, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
        assert lst.events() == target
        if mouse:
            qtbot.mouseClick(view.timeline_panel.check, Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(lst, Qt.Key.Key_Return)
    else:
        panel = view.flashcard_panel
        qtbot.keyClick(panel.show_button, Qt.Key.Key_Space)
        assert panel.is_revealed
        key = Qt.Key.Key_3 if right else Qt.Key.Key_1
        qtbot.keyClick(panel.rating_buttons[2], key)


def make_recall_ready(home: Path, facts: int) -> None:
    """Put the first ``facts`` seed facts into Review, stable (30 days) and due now.

    They then come first, asked in a recall form (typed, cloze, timeline) as a
    grown memory is, as they would days into studying.
    """
    now = datetime.now(UTC).replace(tzinfo=None)
    con = sqlite3.connect(database_file(home))
    try:
        ids = [
            r[0]
            for r in con.execute(
                "SELECT c.id FROM card c JOIN fact f ON f.id = c.fact_id JOIN deck d "
                "ON d.id = c.deck_id WHERE d.key = 'seed' "
                "AND c.profile_id = 1 ORDER BY c.id LIMIT ?",
                (facts,),
            )
        ]
        con.executemany(
            "UPDATE card SET state = 2, stability = 30.0, difficulty = 5.0, reps = 3, "
            "due = ?, last_review = ? WHERE id = ?",
            [(now - timedelta(hours=1), now - timedelta(days=30), i) for i in ids],
        )
        con.commit()
    finally:
        con.close()


def reviews(home: Path) -> list[tuple[int, int, str, int | None, int | None]]:
    return [
        (int(r[0]), int(r[1]), str(r[2]), r[3], r[4])  # type: ignore[arg-type]
        for r in query(home, "SELECT id, card_id, kind, correct, cancels_id FROM review "
                             "ORDER BY id")
    ]


def test_study_with_keyboard_and_mouse_undo_and_overrule(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path
) -> None:
    make_recall_ready(quizapp_home, 8)
    window.refresh_decks()
    study = window.study
    log = Log()

    # Enter on the deck list starts studying.
    window.deck_page.table.setFocus()
    qtbot.keyClick(window.deck_page.table, Qt.Key.Key_Return)
    question = wait_question(qtbot, study)
    assert window.pages.currentWidget() is study.view
    assert_accessible(study.view)

    # Answer until a typed answer has been judged wrong and overruled, alternating
    # keyboard and mouse, right and wrong.
    step = 0
    overruled = False
    clear_on_this, clear_on_next = False, False  # status messages end with their question
    while not (overruled and log.undone):
        assert step < 40, "no typed question came up"
        question = wait_question(qtbot, study)
        if clear_on_this:
            assert window.status.text() == "", window.status.text()
        clear_on_this, clear_on_next = clear_on_next, False
        typed = question.form in TYPED_FORMS
        right = (not typed and step % 3 != 1) or (typed and overruled)
        answer(qtbot, study, question, right, mouse=step % 2 == 1)
        wait_feedback(qtbot, study)
        assert study.last_result is not None
        card = int(question.card_id)
        log.answers.append((card, study.last_result.correct))
        assert study.last_result.correct == right
        feedback = study.view.feedback
        assert feedback.banner.property("verdict") == ("right" if right else
                                                       study.last_result.verdict.value)
        if not right and question.form is not Form.TIMELINE:
            shown = feedback.answer.text() + feedback.message.text()
            assert study.last_result.correct_answer in shown
        assert feedback.evidence.isVisible()
        if typed and not right:
            assert feedback.overrule.isVisible()
            assert feedback.overrule.isEnabled()
            qtbot.mouseClick(feedback.overrule, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: study.last_result is not None
                            and study.last_result.kind == "overrule", timeout=WAIT_MS)
            assert feedback.banner.property("verdict") == "right"
            assert not feedback.overrule.isVisible()
            assert window.status.text() == "Counted as right."
            clear_on_this = True  # the next question clears it
            log.overruled.append(card)
            overruled = True
        else:
            assert not feedback.overrule.isVisible()
            if not log.undone and step >= 1:
                # Ctrl+Z: the answer is taken back and its card is asked again.
                qtbot.keyClick(feedback.continue_button, Qt.Key.Key_Z,
                               Qt.KeyboardModifier.ControlModifier)
                again = wait_question(qtbot, study)
                assert int(again.card_id) == card
                # Said on the question asked again, gone from the one after it.
                assert window.status.text().startswith("Undone")
                clear_on_next = True
                log.undone.append(card)
                step += 1
                continue
        # Enter or Space continues.
        key = Qt.Key.Key_Return if step % 2 == 0 else Qt.Key.Key_Space
        qtbot.keyClick(feedback.continue_button, key)
        step += 1
    if study.state == StudyPanel.FEEDBACK:
        qtbot.keyClick(study.view.feedback.continue_button, Qt.Key.Key_Return)
    wait_question(qtbot, study)
    if clear_on_this:
        assert window.status.text() == ""

    # Escape returns to the deck list, whose counts now show the progress.
    qtbot.keyClick(QApplication.focusWidget() or study.view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.deck_page,
                    timeout=WAIT_MS)
    assert not study.active
    seed = window.deck_model.decks()[0]
    assert seed.learning > 0 or seed.due < 8  # answered facts left the due reviews

    # The review log holds exactly what was done, in order.
    rows = reviews(quizapp_home)
    answers = [r for r in rows if r[2] == "study"]
    assert [(r[1], bool(r[3])) for r in answers] == log.answers
    undos = [r for r in rows if r[2] == "undo"]
    assert len(undos) == len(log.undone) == 1
    cancelled = next(r for r in rows if r[0] == undos[0][4])
    assert cancelled[1] == log.undone[0] and cancelled[2] == "study"
    overrules = [r for r in rows if r[2] == "overrule"]
    assert len(overrules) == 1 and overrules[0][1] == log.overruled[0]
    original = next(r for r in rows if r[0] == overrules[0][4])
    assert original[2] == "study" and original[3] == 0 and original[1] == log.overruled[0]
    assert overrules[0][3] == 1
    # The undo comes right after the answer it cancels; nothing is edited in place.
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    assert undos[0][0] == cancelled[0] + 1


def test_flashcards_by_keyboard(window: MainWindow, qtbot: QtBot, tmp_path: Path,
                                quizapp_home: Path) -> None:
    deck = tmp_path / "capitals.toml"
    deck.write_text(
        'format = 1\nid = "capitals"\nname = "Capitals"\n'
        '[[facts]]\nid = "qa-1"\nkind = "qa"\nfront = "Capital of Peru?"\nback = "Lima"\n'
        '[[facts]]\nid = "qa-2"\nkind = "qa"\nfront = "Capital of Chile?"\n'
        'back = "Santiago"\n',
        encoding="utf-8",
    )
    window.import_deck(deck)
    qtbot.waitUntil(lambda: window.deck_model.rowCount() == 2, timeout=WAIT_MS)
    capitals = next(d for d in window.deck_model.decks() if d.key == "capitals")
    window.deck_page.select_deck(capitals.deck_id)
    qtbot.mouseClick(window.deck_page.study_button, Qt.MouseButton.LeftButton)
    study = window.study
    ratings = []
    for rating_key, rating in ((Qt.Key.Key_3, 3), (Qt.Key.Key_1, 1)):
        question = wait_question(qtbot, study)
        assert question.form is Form.FLASHCARD
        panel = study.view.flashcard_panel
        assert not panel.back.isVisible()
        qtbot.keyClick(QApplication.focusWidget() or panel, Qt.Key.Key_Space)
        qtbot.waitUntil(lambda p=panel: p.back.isVisible(), timeout=WAIT_MS)
        with qtbot.waitSignal(study.answered, timeout=WAIT_MS):
            qtbot.keyClick(QApplication.focusWidget() or panel, rating_key)
        ratings.append((int(question.card_id), rating))
    logged = query(quizapp_home, "SELECT card_id, rating FROM review WHERE kind = 'study' "
                                 "ORDER BY id")
    assert [(int(c), int(r)) for c, r in logged] == ratings  # type: ignore[call-overload]


def test_report_bury_and_suspend(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = window.study
    window.start_study()
    first = wait_question(qtbot, study)
    from quizapp.gui.views.dialogs import REPORT_REASONS, ReportDialog

    # The report is a dialog of its own: reasons to choose and words to add; Cancel sends none.
    window.act_report.trigger()
    dialog = study.view.findChild(ReportDialog)
    assert dialog is not None and dialog.isVisible()
    assert [c.text() for c in dialog.choices] == list(REPORT_REASONS)
    dialog.reject()
    assert study.question is first
    assert query(quizapp_home, "SELECT count(*) FROM question_report") == [(0,)]
    window.act_report.trigger()
    qtbot.waitUntil(lambda: any(d.isVisible() for d in study.view.findChildren(ReportDialog)),
                    timeout=WAIT_MS)
    dialog = next(d for d in study.view.findChildren(ReportDialog) if d.isVisible())
    dialog.choices[1].setChecked(True)
    dialog.details.setText("two answers fit")
    dialog.send.click()
    second = wait_question(qtbot, study)
    reports = query(quizapp_home, "SELECT card_id, form, reason FROM question_report")
    assert reports == [(int(first.card_id), first.form.value,
                        "Another choice is right too: two answers fit")]

    study.bury()
    third = wait_question(qtbot, study)
    assert third.card_id != second.card_id
    buried = query(quizapp_home, "SELECT buried_until FROM card WHERE id = ?",
                   int(second.card_id))
    assert buried[0][0] is not None

    qtbot.mouseClick(study.view.suspend, Qt.MouseButton.LeftButton)
    wait_question(qtbot, study)
    suspended = query(quizapp_home, "SELECT suspended FROM card WHERE id = ?",
                      int(third.card_id))
    assert suspended == [(1,)]
    # None of these is an answer.
    assert query(quizapp_home, "SELECT count(*) FROM review") == [(0,)]


def test_summary_when_nothing_is_left(window: MainWindow, qtbot: QtBot,
                                      quizapp_home: Path) -> None:
    # Suspend every card but two so the session ends quickly.
    con = sqlite3.connect(database_file(quizapp_home))
    con.execute("UPDATE card SET suspended = 1 WHERE id > 2")
    con.commit()
    con.close()
    window.refresh_decks()
    study = window.study
    window.start_study()
    seen = 0
    while True:
        qtbot.waitUntil(lambda: study.state in (StudyPanel.QUESTION, StudyPanel.SUMMARY),
                        timeout=WAIT_MS)
        if study.state == StudyPanel.SUMMARY:
            break
        question = study.question
        assert question is not None
        answer(qtbot, study, question, right=True, mouse=False)
        if question.form is not Form.FLASHCARD:
            wait_feedback(qtbot, study)
            qtbot.keyClick(study.view.feedback.continue_button, Qt.Key.Key_Return)
        seen += 1
        assert seen < 20
    summary = study.view.summary
    assert summary.answered.value.text() == str(seen)
    assert summary.accuracy.value.text() == "100%"
    assert not summary.limits.isVisible()  # nothing held back by a limit: no such offer
    qtbot.keyClick(summary.back, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.deck_page, timeout=WAIT_MS)


def test_typed_answers_dont_know_by_key_empty_enter_and_no_overrule(
        window: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    make_recall_ready(quizapp_home, 8)
    window.refresh_decks()
    study = window.study
    window.start_study()
    for _ in range(40):  # answer choices until a typed question comes up
        question = wait_question(qtbot, study)
        if question.form in TYPED_FORMS:
            break
        answer(qtbot, study, question, right=True, mouse=False)
        wait_feedback(qtbot, study)
        qtbot.keyClick(study.view.feedback.continue_button, Qt.Key.Key_Return)
    else:
        pytest.fail("no typed question came up")
    edit = study.view.typed_panel.edit
    before = len(reviews(quizapp_home))
    # Enter on an empty line says what to do, and records nothing.
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert study.state == StudyPanel.QUESTION
    assert "Ctrl+D" in edit.placeholderText() or "⌘D" in edit.placeholderText()
    assert edit.placeholderText().startswith("Type an answer or press Don't know")
    # The shortcut is on the button itself and in the key hint, not only in a tooltip.
    shortcut = study.view.typed_panel.dont_know.text().split("(")[1].rstrip(")")
    assert shortcut in ("Ctrl+D", "⌘D")
    assert shortcut in study.view.typed_panel.key_hint()
    assert len(reviews(quizapp_home)) == before
    # Ctrl+D is "Don't know": counted as not known, the answer shown ...
    qtbot.keyClick(edit, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    wait_feedback(qtbot, study)
    assert len(reviews(quizapp_home)) == before + 1
    assert study.last_result is not None and not study.last_result.correct
    # ... and "I was right" is not offered: there was no answer to count as right.
    assert not study.view.feedback.overrule.isVisible()
    assert not study.can_overrule


def test_progress_strip_counts_new_learning_and_reviews(
        window: MainWindow, qtbot: QtBot) -> None:
    study = window.study
    window.start_study()
    question = wait_question(qtbot, study)
    text = wait_strip(qtbot, study)
    new_before = int(text.split(" new")[0])
    assert "learning" in text and "to review" in text and "answered today" in text
    assert new_before > 0
    answer(qtbot, study, question, right=False, mouse=False)  # a new card, missed
    wait_feedback(qtbot, study)
    qtbot.keyClick(study.view.feedback.continue_button, Qt.Key.Key_Return)
    wait_question(qtbot, study)
    text = study.view.progress_text.accessibleDescription()
    # The new fact was introduced (one fewer new) and its card is now learning.
    assert int(text.split(" new")[0]) == new_before - 1
    assert int(text.split("  ·  ")[1].split(" learning")[0]) == 1
    assert text.endswith("1 answered today")
    # Coloured as Anki colours them: new blue, learning red, to review green.
    from quizapp.gui.views.study_view import count_colours

    blue, red, green = count_colours()
    rich = study.view.progress_text.text()
    assert f'color:{blue}; font-weight:600;">{new_before - 1}</span> new' in rich
    assert f'color:{red}; font-weight:600;">1</span> learning' in rich
    assert f'color:{green}; font-weight:600;">0</span> to review' in rich


def test_first_question_is_on_screen_before_its_strip_is_counted(
        window: MainWindow, qtbot: QtBot) -> None:
    """The strip is read after the first question is shown: blank until then, never stale."""
    from quizapp.services.counts import study_counts

    study = window.study
    window.start_study()
    # start() has returned with the question up and no figure on the strip yet.
    assert study.state == StudyPanel.QUESTION and study.question is not None
    assert study.view.progress_text.accessibleDescription() == ""
    assert study.view.progress.accessibleDescription() == ""
    text = wait_strip(qtbot, study)  # filled at the event loop's next turn ...
    assert window.library is not None and window.profile is not None and study.deck
    c = study_counts(window.library.collection, window.profile.profile_id,
                     study.deck.deck_id, study.clock())
    # ... with the deck's counts as the study counts read them.
    assert text == (f"{c.new_left} new  ·  {c.learning_left} learning  ·  "
                    f"{c.review_left} to review  ·  {c.answered_today} answered today")
    question = study.question
    answer(qtbot, study, question, right=False, mouse=False)
    wait_feedback(qtbot, study)
    # A second sitting does not show the first one's figures while its own are read.
    study.stop()
    window.start_study()
    assert study.view.progress_text.accessibleDescription() == ""
    assert wait_strip(qtbot, study).endswith("1 answered today")


def test_strip_is_counted_after_the_first_question_has_been_painted(
        window: MainWindow, qtbot: QtBot) -> None:
    """The counts wait for the question's first paint, not merely for the loop's next turn
    (which may come before the paint: the learner would wait for the counts)."""
    study = window.study
    prompt = study.view.prompt
    seen: list[str] = []  # the strip's text at each paint of the question

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt names it)
            if event.type() == QEvent.Type.Paint and prompt.text():
                seen.append(study.view.progress_text.accessibleDescription())
            return False

    watch = Watch()
    prompt.installEventFilter(watch)
    try:
        window.start_study()
        assert study.state == StudyPanel.QUESTION
        text = wait_strip(qtbot, study)
    finally:
        prompt.removeEventFilter(watch)
    assert seen, "the question was counted before it was ever painted"
    assert seen[0] == ""  # painted first, with a blank strip ...
    assert text.endswith("answered today")  # ... and counted afterwards

    # A window that is not on screen gets no paint: its strip is counted all the same.
    study.stop()
    window.hide()
    window.start_study()
    assert not prompt.isVisible()
    assert wait_strip(qtbot, study).endswith("answered today")


def test_summary_says_when_the_daily_limit_holds_cards_back(
        window: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    con = sqlite3.connect(database_file(quizapp_home))
    con.execute("UPDATE profile SET new_per_day = 0")
    (new_facts,) = con.execute("SELECT count(*) FROM card WHERE family = 'recognise'").fetchone()
    con.commit()
    con.close()
    window.refresh_decks()
    study = window.study
    window.start_study()
    qtbot.waitUntil(lambda: study.state == StudyPanel.SUMMARY, timeout=WAIT_MS)
    summary = study.view.summary
    assert summary.title.text() == "Today's limit reached"
    assert f"{new_facts} new cards are waiting" in summary.subtitle.text()
    assert "importing" not in summary.subtitle.text()  # not "nothing is due"
    # The way to study more today is one click away: the deck's options, limits first.
    from quizapp.gui.views.deck_options_dialog import DeckOptionsDialog

    deck_id = study.deck.deck_id if study.deck else None
    assert summary.limits.isVisible()
    qtbot.mouseClick(summary.limits, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(d, DeckOptionsDialog)
                                for d in window.open_dialogs()), timeout=WAIT_MS)
    assert window.pages.currentWidget() is window.deck_page
    assert window.current_deck_id() == deck_id
    for d in window.open_dialogs():
        d.close()


def test_timeline_feedback_gives_each_event_its_date(window: MainWindow, qtbot: QtBot) -> None:
    import html
    from datetime import UTC, datetime

    from quizapp.storage import repository as repo

    study = window.study
    window.start_study()
    wait_question(qtbot, study)
    session = study.session
    assert session is not None and window.library is not None
    with window.library.collection.session() as s:
        cards = repo.stored_cards(s, "seed", session.profile_id)
    question = next(q for cid in sorted(int(c) for c, _state in cards.values())
                    if (q := session.build_question(cid, datetime.now(UTC), Form.TIMELINE)))
    assert len(question.item_dates) == len(question.answers[0].split(" | "))
    study.present(question)
    study.submit(list(reversed(question.answers[0].split(" | "))))
    wait_feedback(qtbot, study)
    shown = study.view.feedback.answer.text()
    for event, date in zip(question.answers[0].split(" | "), question.item_dates, strict=True):
        assert html.escape(f"{event} ({date})") in shown, shown
    assert " | " not in study.view.feedback.message.text()


def test_tab_stops_only_on_what_can_be_seen_and_used(
        window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QAbstractButton, QLineEdit

    window.resize(1100, 760)
    window.show()
    qtbot.waitExposed(window)
    study = window.study
    window.start_study()
    question = wait_question(qtbot, study)
    assert question.form in CHOICE_FORMS
    stops = []
    for _ in range(14):
        widget = QApplication.focusWidget()
        assert widget is not None
        stops.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    # Every stop is a control one can see and use: no panel or scroll area around the card.
    assert all(isinstance(w, (QAbstractButton, QLineEdit)) and w.isVisible() for w in stops), [
        f"{type(w).__name__}:{w.accessibleName()}" for w in stops]
    assert set(study.view.choice_panel.buttons) <= set(stops)


def test_a_leech_is_shown_with_its_sentence_first(
    window: MainWindow, qtbot: QtBot, quizapp_home: Path
) -> None:
    """A fact with 8 lapses comes back with "Read this first: <its sentence>" above the
    question; an ordinary question has no such line."""
    now = datetime.now(UTC).replace(tzinfo=None)
    con = sqlite3.connect(database_file(quizapp_home))
    try:
        card_id, sentence = con.execute(
            "SELECT c.id, f.sentence FROM card c JOIN fact f ON f.id = c.fact_id "
            "WHERE c.profile_id = 1 AND f.key = 'n-helicopters'").fetchone()
        con.execute("UPDATE card SET state = 2, stability = 3.0, difficulty = 8.0, reps = 20, "
                    "lapses = 8, due = ?, last_review = ? WHERE id = ?",
                    (now - timedelta(hours=1), now - timedelta(days=3), card_id))
        con.commit()
    finally:
        con.close()
    window.refresh_decks()
    study = window.study
    window.start_study()
    question = wait_question(qtbot, study)
    assert int(question.card_id) == card_id and question.leech
    first = study.view.card.evidence_first
    assert first.isVisible() and first.text() == f"Read this first: {sentence}"
    answer(qtbot, study, question, True, mouse=True)
    wait_feedback(qtbot, study)
    study.next()
    ordinary = wait_question(qtbot, study)
    assert not ordinary.leech and int(ordinary.card_id) != card_id
    assert not first.isVisible()


def test_who_said_feedback_shows_the_sentence_that_names_the_speaker(
        window: MainWindow, qtbot: QtBot) -> None:
    from quizapp.storage import repository as repo

    study = window.study
    window.start_study()
    wait_question(qtbot, study)
    session = study.session
    assert session is not None and window.library is not None
    with window.library.collection.session() as s:
        cards = repo.stored_cards(s, "seed", session.profile_id)
    card_id = int(cards["q-karasin"][0])
    question = session.build_question(card_id, datetime.now(UTC), Form.WHO_SAID)
    assert question is not None and question.form is Form.WHO_SAID
    study.present(question)
    answer(qtbot, study, question, right=False, mouse=True)
    wait_feedback(qtbot, study)
    shown = study.view.feedback.evidence.text()
    # The attribution, with the speaker's name marked, and the quotation after it.
    assert "This was stated, in particular, by the head of the Federation" in shown
    assert "font-weight:600;\">Grigory Karasin</span>" in shown
    assert "I think that this is an absolutely logical consequence" in shown
    assert study.view.feedback.evidence.isVisible()


def test_study_more_today_lets_more_new_cards_in_without_changing_the_limit(
        window: MainWindow, qtbot: QtBot, quizapp_home: Path) -> None:
    con = sqlite3.connect(database_file(quizapp_home))
    con.execute("UPDATE profile SET new_per_day = 0")
    con.commit()
    con.close()
    window.refresh_decks()
    # The deck list's New is capped by today's limit, as Anki shows it.
    assert [d.new for d in window.deck_model.decks()] == [0]
    study = window.study
    window.start_study()
    qtbot.waitUntil(lambda: study.state == StudyPanel.SUMMARY, timeout=WAIT_MS)
    summary = study.view.summary
    assert summary.title.text() == "Today's limit reached"
    assert summary.more.isVisible() and summary.more.text() == "Study more today"
    assert "10 more new cards" in summary.more.toolTip()
    qtbot.mouseClick(summary.more, Qt.MouseButton.LeftButton)
    question = wait_question(qtbot, study)
    # The next question is a new fact; the strip counts the ten allowed today.
    assert query(quizapp_home, "SELECT state, reps FROM card WHERE id = ?",
                 int(question.card_id)) == [(0, 0)]
    assert study.view.progress_text.accessibleDescription().startswith("10 new  ·  0 learning")
    answer(qtbot, study, question, right=True, mouse=False)
    if question.form is not Form.FLASHCARD:
        wait_feedback(qtbot, study)
    # The saved limit is unchanged.
    assert query(quizapp_home, "SELECT new_per_day FROM profile") == [(0,)]
    # Back on the deck list and in again: the allowance lasts for the rest of the day ...
    study.closed.emit()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.deck_page, timeout=WAIT_MS)
    window.refresh_decks()
    assert [d.new for d in window.deck_model.decks()] == [9]  # the deck list counts the extra
    window.start_study()
    wait_question(qtbot, study)
    assert wait_strip(qtbot, study).startswith("9 new")
    # ... and not into the next study day.
    study.stop()
    real_clock = study.clock
    study.clock = lambda: real_clock() + timedelta(days=1)
    window.start_study()
    question = wait_question(qtbot, study)  # the card learnt today, due again
    assert query(quizapp_home, "SELECT state FROM card WHERE id = ?",
                 int(question.card_id)) != [(0,)]
    assert wait_strip(qtbot, study).startswith("0 new")
    study.clock = real_clock
