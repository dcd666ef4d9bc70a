"""Render every screen of the desktop app to PNG files, offscreen.

    python scripts/screenshots.py [OUTDIR] [--theme light|dark|both]

Runs on a demo profile in a temporary QUIZAPP_HOME (the user's data is never
touched): the main window (and its first-run hint), each question form on the
study screen, feedback for a right and a wrong answer, the end-of-session
summary, Browse (with the fact editor showing an error, and the new-deck
form), the Reader, Progress, the review of the facts found in an article, the
deck options and settings dialogs, the About box, the keyboard shortcuts, an
import error, the spreadsheet format help, a spreadsheet with bad rows, and the
report dialog; Browse, the typed and timeline questions and the article review
also at the size of a 1366×768 screen; then a deck with pictures and sounds on
the study card (question and answer), in Browse, the fact editor, the Reader and
a practice test, at the default size and at 1366×768 (``--only media`` renders
just these); the study screen's counts, a who-said question's feedback and the
summary offering to study more today at both sizes (``--only study``). Files go
to OUTDIR (default docs/screenshots/).

``--only class-report`` renders the class report dialog (a PostgreSQL
classroom) at its own size and at 1366×768: it makes a throw-away database
and roles on the server that ``QUIZAPP_TEST_PG_URL`` names (an admin
connection, as the tests use), three students who answer some questions and
a teacher, reads the report as the teacher, then drops them.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

DEMO_DECK = """\
format = 1
id = "world-capitals"
name = "World capitals"
description = "Plain question and answer cards, studied as flashcards."

[[facts]]
id = "qa-peru"
kind = "qa"
front = "What is the capital of Peru?"
back = "Lima"

[[facts]]
id = "qa-kazakhstan"
kind = "qa"
front = "What is the capital of Kazakhstan?"
back = "Astana"

[[facts]]
id = "qa-armenia"
kind = "qa"
front = "What is the capital of Armenia?"
back = "Yerevan"
"""

BAD_DECK = """\
format = 1
id = "broken deck"
name = ""

[[facts]]
id = "d-1"
kind = "date"
value = "2020-13-45"
"""


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--theme", choices=("light", "dark", "both"), default="both")
    parser.add_argument("--only", choices=("all", "media", "study", "class-report", "held"),
                        default="all",
                        help="media: only the screens with a deck's pictures and sounds; "
                             "study: only the study screen's counts, who-said feedback "
                             "and the summary offering to study more today; class-report: "
                             "the class report on a PostgreSQL server (QUIZAPP_TEST_PG_URL); "
                             "held: only the screens of facts held back from study (the "
                             "deck list's New, pending facts under review, Browse)")
    args = parser.parse_args(argv)
    out = Path(args.outdir).resolve()
    out.mkdir(parents=True, exist_ok=True)

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="quizapp-shots-") as home:
        os.environ["QUIZAPP_HOME"] = home
        os.environ.pop("QUIZAPP_DATABASE_URL", None)
        themes = ("light", "dark") if args.theme == "both" else (args.theme,)
        if args.only == "class-report":
            admin = os.environ.get("QUIZAPP_TEST_PG_URL", "").strip()
            if not admin:
                print("--only class-report needs QUIZAPP_TEST_PG_URL (an admin connection)",
                      file=sys.stderr)
                return 2
            written = render_class_report(out, admin)
        else:
            written = render_all(out, Path(home), themes, only=args.only)
            from quizapp.gui.controllers.backups import finish_exit_backups

            finish_exit_backups()  # the closed windows' backups, before their folder goes
    for path in written:
        print(path)
    return 0


def render_all(out: Path, home: Path, themes: tuple[str, ...], only: str = "all") -> list[Path]:
    """Render each screen once per theme; returns the files written."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QDialog, QWidget

    from quizapp.gui.main_window import MainWindow, app_icon
    from quizapp.gui.settings import GuiSettings
    from quizapp.gui.theme import apply_theme
    from quizapp.gui.views.dialogs import CsvFormatDialog, ImportErrorDialog, ReportDialog

    QCoreApplication.setApplicationName("quizapp")
    quiet_offscreen_warnings()
    app = QApplication.instance() or QApplication(["quizapp"])
    assert isinstance(app, QApplication)
    app.setWindowIcon(app_icon())
    written: list[Path] = []

    deck_file = home / "world-capitals.toml"
    deck_file.write_text(DEMO_DECK, encoding="utf-8")
    bad_file = home / "broken.toml"
    bad_file.write_text(BAD_DECK, encoding="utf-8")
    bad_rows = home / "capitals.csv"
    bad_rows.write_text("Front,Back\nCapital of France?,Paris\nCapital of Peru?,\n"
                        "Capital of Italy?,Rome\n\"Capital of Spain?\",Madrid,Europe\n",
                        encoding="utf-8")

    first = True
    for theme in themes:
        suffix = "" if theme == "light" else "-dark"
        apply_theme(app, theme)
        window = MainWindow(GuiSettings(width=1040, height=720, theme=theme))
        window.show()
        settle(app)
        window.open_collection()
        library = window.library
        assert library is not None
        if first:
            prepare_demo(window, deck_file)
            first = False
        window.reload_profiles("Demo")
        settle(app)

        def shot(
            name: str, widget: QWidget | None = None, window: MainWindow = window,
            suffix: str = suffix,
        ) -> None:
            settle(app)
            target = widget or window
            path = out / f"{name}{suffix}.png"
            target.grab().save(str(path))
            written.append(path)

        if only == "media":
            window.close()
            settle(app)
            continue
        if only == "study":
            render_study_screens(app, window, shot)
            window.close()
            settle(app)
            continue
        if only == "held":
            render_held_screens(app, window, shot)
            window.close()
            settle(app)
            continue

        window.deck_page.select_deck(None)
        window.hint.show()
        shot("first-run-hint")
        window.hint.hide()
        shot("main-window")

        # Study screen: each form, then feedback, then the summary.
        study = window.study
        seed = next(d for d in window.deck_model.decks() if d.key == "seed")
        window.deck_page.select_deck(seed.deck_id)
        window.start_study()
        settle(app)
        for form, question in demo_questions(window).items():
            study.present(question)
            if form == "flashcard_revealed":
                study.view.flashcard_panel.reveal()
            if form == "timeline":
                study.view.timeline_panel.list.setCurrentRow(1)
                study.view.timeline_panel.list.setFocus()
            shot(f"study-{form.replace('_', '-')}")
            if form in ("typed", "timeline"):  # and on a 1366×768 screen
                window.resize(1366, 728)
                shot(f"study-{form}-1366x768")
                window.resize(1040, 720)
        # The forms of questions/forms/, at the default size and at 1366×768.
        for name, question in new_form_questions(window).items():
            study.session.build_question(question.card_id, datetime.now(UTC))  # served
            study.present(question)
            shot(f"study-{name}")
            window.resize(1366, 728)
            shot(f"study-{name}-1366x768")
            window.resize(1040, 720)
            if name == "true-false":
                study.submit(wrong_answer_for(question.answers[0], question.choices))
                shot("feedback-true-false")
        questions = demo_questions(window)
        right = questions["choice"]
        study.present(right)
        study.submit(right.answers[0])
        shot("feedback-right")
        wrong = questions["typed"]
        study.present(wrong)
        typed_text = wrong_answer_for(wrong.answers[0])
        study.view.typed_panel.edit.setText(typed_text)
        study.submit(typed_text)
        shot("feedback-wrong")
        partial = questions.get("typed_date")
        if partial is not None:
            study.present(partial)
            typed_text = partly_right_date(partial.answers[0])
            study.view.typed_panel.edit.setText(typed_text)
            study.submit(typed_text)
            shot("feedback-partial")
        # Reporting a question: reasons to choose, and words of one's own.
        study.present(questions["choice"])
        window.act_report.trigger()
        settle(app)
        report = study.view.findChild(ReportDialog)
        report.choices[1].setChecked(True)
        report.choices[1].setFocus()
        report.details.setText("Two of the dates are both in the article")
        shot("report-dialog", report)
        report.reject()
        study.finish()
        shot("summary")
        # Today's new-card limit reached with new cards left: the way to study more.
        from quizapp.gui.views.study_view import ProgressInfo, SummaryInfo

        study.view.set_progress(ProgressInfo(20, 0, new=0, learning=0, review=0))
        study.view.show_summary(SummaryInfo(answered=20, correct=17, seconds=610,
                                            due_tomorrow=9, deck_name=seed.name,
                                            nothing_due=True, new_waiting=12, more_new=20))
        shot("summary-limit")
        window.resize(1366, 728)
        shot("summary-limit-1366x768")
        window.resize(1040, 720)
        window.show_decks()
        render_study_screens(app, window, shot)

        render_new_screens(app, window, shot)
        render_article_review(app, window, shot)
        render_practice_test(app, window, shot)

        # Dialogs.
        window.show_about()
        about = last_dialog(window, QDialog)
        shot("about", about)
        about.close()
        window.show_shortcuts()
        shortcuts = last_dialog(window, QDialog)
        shot("shortcuts", shortcuts)
        shortcuts.close()
        window.import_deck(bad_file)
        wait_for(app, lambda w=window: any(isinstance(d, ImportErrorDialog)
                                           for d in w.open_dialogs()))
        error = last_dialog(window, ImportErrorDialog)
        shot("import-error", error)
        error.close()
        window.show_csv_format()
        csv_help = last_dialog(window, CsvFormatDialog)
        shot("csv-format", csv_help)
        csv_help.close()
        window.import_deck(bad_rows)
        wait_for(app, lambda w=window: any(d.objectName() == "skip-bad-rows"
                                           for d in w.open_dialogs()))
        skip = next(d for d in window.open_dialogs() if d.objectName() == "skip-bad-rows")
        shot("import-bad-rows", skip)
        skip.close()
        window.close()
        settle(app)
    # Pictures and sounds last: the deck they add is in none of the screens above.
    for theme in themes if only != "study" else ():
        suffix = "" if theme == "light" else "-dark"
        apply_theme(app, theme)
        window = MainWindow(GuiSettings(width=1040, height=720, theme=theme))
        window.show()
        settle(app)
        window.open_collection()
        window.reload_profiles("Demo")
        settle(app)

        def media_shot(name: str, widget: QWidget | None = None, window: MainWindow = window,
                       suffix: str = suffix) -> None:
            settle(app)
            path = out / f"{name}{suffix}.png"
            (widget or window).grab().save(str(path))
            written.append(path)

        render_media_screens(app, window, media_shot)
        window.close()
        settle(app)
    return written


def flag_picture(width: int = 300, height: int = 200, portrait: bool = False) -> bytes:
    """A PNG of Japan's flag (a red disc on white), or a plain portrait, drawn here."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    if portrait:  # a head and shoulders in grey on a pale blue ground
        painter.fillRect(0, 0, width, height, QColor("#dbe7f3"))
        painter.setBrush(QColor("#6b7785"))
        painter.drawEllipse(width // 2 - width // 5, height // 5, 2 * (width // 5),
                            2 * (width // 5))
        painter.drawEllipse(width // 2 - width * 2 // 5, height * 3 // 5, width * 4 // 5,
                            height * 3 // 5)
    else:
        painter.setBrush(QColor("#bc002d"))
        r = height * 3 // 10
        painter.drawEllipse(width // 2 - r, height // 2 - r, 2 * r, 2 * r)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def media_demo_deck() -> object:
    """A "Flags" deck: a note with a picture on its front and a sound on its back."""
    import io
    import wave

    from quizapp.facts.media import media_file
    from quizapp.facts.model import Deck, Fact, FactKind

    sound = io.BytesIO()
    with wave.open(sound, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 800)
    return Deck(id="flags", name="Flags of the world", facts=(
        Fact(id="flag-japan", kind=FactKind.QA,
             front="Whose flag is this?\n[image: A red disc on a white field]",
             back="Japan's [sound: nihon.wav]", media=("japan.png", "nihon.wav")),
    ), media=(media_file("japan.png", flag_picture()), media_file("nihon.wav", sound.getvalue())))


def render_study_screens(app: object, window: Any, shot: Callable[..., None]) -> None:
    """The study screen at the default size and at 1366×768: a question under the three
    counts (new · learning · to review) in the middle of a sitting, the feedback of a
    who-said question (the sentence naming the speaker), and the summary offering to
    study more today."""
    from quizapp.questions.model import Form
    from quizapp.storage import repository as repo

    study = window.study
    seed = next(d for d in window.deck_model.decks() if d.key == "seed")
    window.deck_page.select_deck(seed.deck_id)
    window.start_study()
    settle(app)
    for _ in range(3):  # a few answers, one missed: a card is learning, new ones are fewer
        if study.question is None:
            break
        question = study.question
        if question.form is Form.FLASHCARD:
            study.rate(1)
        else:
            given: Any = wrong_answer_for(question.answers[0], question.choices)
            if question.form is Form.TIMELINE:
                given = list(reversed(question.answers[0].split(" | ")))
            study.submit(given)
            study.next()
        settle(app)
    for size, tail in (((1040, 720), ""), ((1366, 728), "-1366x768")):
        window.resize(*size)
        shot(f"study-counts{tail}")
    window.resize(1040, 720)
    with window.library.collection.session() as s:
        cards = repo.stored_cards(s, "seed", study.session.profile_id)
    question = study.session.build_question(int(cards["q-karasin"][0]), datetime.now(UTC),
                                            form=Form.WHO_SAID)
    study.present(question)
    study.submit(wrong_answer_for(question.answers[0], question.choices))
    for size, tail in (((1040, 720), ""), ((1366, 728), "-1366x768")):
        window.resize(*size)
        shot(f"feedback-who-said{tail}")
    window.resize(1040, 720)
    study.undo()
    window.show_status("")
    from quizapp.gui.views.study_view import ProgressInfo, SummaryInfo

    # The strip as it stands when today's new limit is reached and nothing else is due.
    study.view.set_progress(ProgressInfo(20, 0, new=0, learning=0, review=0))
    study.view.show_summary(SummaryInfo(answered=20, correct=17, seconds=610, due_tomorrow=9,
                                        deck_name=seed.name, nothing_due=True, new_waiting=12,
                                        more_new=20))
    for size, tail in (((1040, 720), ""), ((1366, 728), "-1366x768")):
        window.resize(*size)
        shot(f"summary-study-more{tail}")
    window.resize(1040, 720)
    study.stop()
    window.show_decks()


def render_media_screens(app: object, window: Any, shot: Callable[..., None]) -> None:
    """A deck with pictures and sounds: the study card (question and answer) and Browse,
    at the default size and at 1366×768."""
    library = window.library
    if "flags" not in {d.key for d in window.deck_model.decks()}:
        library.collection.import_deck(media_demo_deck())
        window.refresh_decks()
        settle(app)
    flags = next(d for d in window.deck_model.decks() if d.key == "flags")
    window.deck_page.select_deck(flags.deck_id)
    window.start_study()
    settle(app)
    study = window.study
    question = study.session.build_question(
        next(iter(_card_ids(library, "flags", study.session.profile_id).values())),
        datetime.now(UTC))
    default_size = (window.width(), window.height())
    for size, tail in ((default_size, ""), ((1366, 728), "-1366x768")):
        window.resize(*size)
        study.present(question)
        shot(f"study-picture{tail}")
        if question.form.value == "flashcard":  # its answer side, before the self-rating
            study.view.flashcard_panel.show_button.click()
            shot(f"study-picture-answer{tail}")
            continue
        study.view.typed_panel.edit.setText(question.answers[0])
        study.submit(question.answers[0])
        shot(f"study-picture-answer{tail}")
        study.undo()
    window.resize(*default_size)
    study.stop()
    window.show_decks()
    window.show_status("")
    window.show_page("browse")
    settle(app)
    window.browse.select_fact_key(flags.deck_id, "flag-japan")
    for size, tail in ((default_size, ""), ((1366, 728), "-1366x768")):
        window.resize(*size)
        shot(f"browse-picture{tail}")
    window.resize(*default_size)
    dialog = window.browse.edit_selected()
    settle(app)
    shot("fact-editor-picture", dialog)
    dialog.close()
    # The reader, on a person of the seed article a teacher gave a picture.
    seed = next(d for d in window.deck_model.decks() if d.key == "seed")
    if "portrait.png" not in {m.name for m in _media(library, "seed")}:
        from quizapp.services.media import add_picture

        picture = Path(tempfile.mkdtemp(prefix="quizapp-shots-")) / "portrait.png"
        picture.write_bytes(flag_picture(160, 200, portrait=True))
        add_picture(library.collection, "seed", "p-tokayev", picture, "A portrait")
    window.show_page("reader")
    window.reader.set_deck(seed.deck_id)
    window.reader.show_fact("p-tokayev")
    window.show_status("")
    settle(app)
    for size, tail in ((default_size, ""), ((1366, 728), "-1366x768")):
        window.resize(*size)
        shot(f"reader-picture{tail}")
    window.resize(*default_size)
    # A practice test on the flags.
    from quizapp.gui.views.practice_test_view import TestSetupValues
    from quizapp.quiz import TestStyle

    window.show_decks()
    window.start_practice_test()
    test = window.practice
    if test is not None and test.start(TestSetupValues((flags.deck_id,), 1, None, None,
                                                       TestStyle.PRACTICE)):
        settle(app)
        for size, tail in ((default_size, ""), ((1366, 728), "-1366x768")):
            window.resize(*size)
            shot(f"practice-test-picture{tail}")
        window.resize(*default_size)
        test.stop()
    window.show_decks()
    window.show_status("")
    settle(app)


def _media(library: Any, deck_key: str) -> list[Any]:
    from quizapp.services.media import media_of_deck

    return media_of_deck(library.collection, deck_key)


def _card_ids(library: Any, deck_key: str, profile_id: int) -> dict[Any, int]:
    from quizapp.storage import repository as repo

    with library.collection.session() as s:
        return {key: int(card_id) for key, (card_id, _memory)
                in repo.stored_cards(s, deck_key, profile_id).items()}


def render_new_screens(app: object, window: object, shot: Callable[..., None]) -> None:
    """Browse, the fact editor, Reader, Progress and the option dialogs."""
    from PySide6.QtWidgets import QDialog

    from quizapp.gui.views.deck_options_dialog import DeckOptionsDialog
    from quizapp.gui.views.fact_editor import FactEditorDialog, NewDeckDialog
    from quizapp.gui.views.settings_dialog import SettingsDialog

    w: Any = window
    seed = next(d for d in w.deck_model.decks() if d.key == "seed")
    w.deck_page.select_deck(seed.deck_id)

    # Browse: the seed deck, a fact with some history selected.
    w.show_page("browse")
    w.browse.set_deck(seed.deck_id)
    settle(app)
    studied = next((f for f in w.browse.model.facts() if f.reviews >= 2),
                   w.browse.model.fact_at(0))
    w.browse.select_fact(studied.fact_row_id)
    w.browse.view.table.setFocus()
    shot("browse")
    w.resize(1366, 728)
    shot("browse-1366x768")
    w.resize(1040, 720)

    # The fact editor with a value the deck loader refuses.
    dialog = w.browse.edit_selected()
    value = dialog.fields["value"] if dialog.kind() in ("date", "number") else None
    if value is not None:
        value.setText("2020-13-45" if dialog.kind() == "date" else "many")
    else:
        dialog.fields["stem"].setText("")
    dialog.try_save()
    shot("fact-editor-error", dialog)
    dialog.reject()
    settle(app)
    new_deck = w.browse.new_deck()
    new_deck.fields["name"].setText("Solar eclipse 2024")
    new_deck.fields["title"].setText("Millions watch total eclipse")
    new_deck.fields["text"].setText(
        "Millions of people across North America watched a total solar eclipse on "
        "April 8, 2024. The path of totality crossed more than 30 cities.")
    shot("new-deck", new_deck)
    new_deck.reject()
    settle(app)

    # The reader, with a quotation that holds a date selected.
    w.show_page("reader")
    w.reader.set_deck(seed.deck_id)
    keys = [s.key for s in w.reader.spans()]
    w.reader.show_fact("q-hajiyev" if "q-hajiyev" in keys else keys[0])
    w.reader.view.browser.verticalScrollBar().setValue(0)
    shot("reader")

    # Progress: computed off the GUI thread.
    w.show_page("progress")
    wait_for(app, lambda: w.progress.figures is not None and not w.progress.busy)
    w.progress.view.scroll_area.verticalScrollBar().setValue(0)
    shot("progress")
    bar = w.progress.view.scroll_area.verticalScrollBar()
    bar.setValue(w.progress.view.retention_section.y() - 16)
    shot("progress-mastery")
    bar.setValue(w.progress.view.calibration_section.y() - 16)
    shot("progress-calibration")
    bar.setValue(bar.maximum())
    shot("progress-tables")
    # The calibration chart on a 1366×768 screen (the window less the taskbar).
    size = w.size()
    w.resize(1366, 728)
    settle(app)
    bar.setValue(w.progress.view.calibration_section.y() - 16)
    shot("progress-calibration-1366x768")
    w.resize(size)
    settle(app)
    bar.setValue(0)

    # Dialogs: deck options and settings.
    w.show_decks()
    options = w.deck_options(seed.deck_id)
    options.new_default.setChecked(False)
    options.new_per_day.setValue(10)
    shot("deck-options", options)
    options.reject()
    settings = w.show_settings()
    wait_for(app, lambda: not settings.fit_running)  # the Personal parameters line
    shot("settings", settings)
    # Optimize now on the demo profile's short history, on a 1366×768 screen.
    w.resize(1366, 728)
    settings.optimize_now()
    wait_for(app, lambda: not settings.fit_running)
    shot("settings-1366x768", settings)
    w.resize(1040, 720)
    settings.reject()
    for d in w.open_dialogs():
        if isinstance(d, QDialog | DeckOptionsDialog | SettingsDialog | FactEditorDialog
                      | NewDeckDialog):
            d.close()
    settle(app)


def render_practice_test(app: object, window: object, shot: Callable[..., None]) -> None:
    """A practice test of multiple-choice questions on a true-or-false question, at the
    default size and at 1366×768; then its feedback after a wrong answer."""
    from quizapp.gui.views.practice_test_view import TestSetupValues
    from quizapp.questions.model import Form
    from quizapp.quiz import FormGroup, TestStyle

    window.show_decks()  # type: ignore[attr-defined]
    window.hint.hide()  # type: ignore[attr-defined]
    seed = next(d for d in window.deck_model.decks()  # type: ignore[attr-defined]
                if d.key == "seed")
    window.start_practice_test()  # type: ignore[attr-defined]
    panel = window.practice  # type: ignore[attr-defined]
    values = TestSetupValues((seed.deck_id,), 10, (FormGroup.CHOICE,), None,
                             TestStyle.PRACTICE)
    # A draw whose second question is a false statement: the first is answered on screen.
    for draw in range(1, 200):
        panel.draw = draw
        panel.start(values)
        questions = panel.test.questions if panel.test is not None else []
        if len(questions) > 1 and questions[1].form is Form.TRUE_FALSE \
                and questions[1].answers[0] == "False" and questions[0].choices:
            break
        panel.stop()
    first = panel.question
    panel.submit(first.answers[0])
    panel.next()
    shot("practice-test-true-false")
    window.resize(1366, 728)  # type: ignore[attr-defined]
    shot("practice-test-true-false-1366x768")
    window.resize(1040, 720)  # type: ignore[attr-defined]
    panel.submit("True")
    shot("practice-test-feedback-true-false")
    panel.stop()
    window.show_decks()  # type: ignore[attr-defined]


def render_held_screens(app: object, window: object, shot: Callable[..., None]) -> None:
    """Facts held back from study: the deck list's New capped by today's limit, an
    article's pending facts under review (check first, with their reasons), and Browse
    showing the seed's quotes no question can ask; each also at 1366×768."""
    from quizapp.importers.article import load_article

    w: Any = window
    col = w.library.collection
    taxes = ROOT / "tests" / "extraction_eval" / "articles" / "taxes.txt"
    key = load_article(taxes, accept_all=True).deck
    if not any(d.key == key.id for d in w.deck_model.decks()):
        col.import_deck(key)
    w.refresh_decks()
    deck = next(d for d in w.deck_model.decks() if d.key == key.id)
    w.show_page("decks")
    w.deck_page.select_deck(deck.deck_id)
    shot("decks-held")
    w.resize(1366, 728)
    shot("decks-held-1366x768")
    w.resize(1040, 720)

    panel = w.review_pending(deck.deck_id)
    settle(app)
    first = panel.review.items[0].fact.id
    for name, size in (("pending-review", (1180, 680)), ("pending-review-1366x768", (1366, 728))):
        panel.view.resize(*size)
        panel.select_fact(first)
        panel.view.table.scrollToTop()
        shot(name, panel.view)
    panel.view.force_close()
    settle(app)

    seed = next(d for d in w.deck_model.decks() if d.key == "seed")
    w.deck_page.select_deck(seed.deck_id)
    w.show_page("browse")
    w.browse.set_deck(seed.deck_id)
    settle(app)
    held = next(f for f in w.browse.model.facts() if f.held)
    w.browse.select_fact(held.fact_row_id)
    w.browse.view.table.setFocus()
    shot("browse-held")
    w.resize(1366, 728)
    shot("browse-held-1366x768")
    w.resize(1040, 720)
    w.show_page("decks")


def render_article_review(app: object, window: object, shot: Callable[..., None]) -> None:
    """The review of the facts found in the seed article, part way through: Accept all
    has taken the ready facts, one is rejected, the facts to check come first and the
    first of them is on show with its reason; also at the size of a 1366×768 screen."""
    from quizapp.gui.controllers.article_review_panel import open_article_review

    w: Any = window
    panel = open_article_review(w.library.collection, ROOT / "content" / "seed" / "article.txt",
                                w)
    wait_for(app, lambda: panel.review is not None)
    items = panel.review.items
    panel.accept_all()
    person = next((it for it in items if it.fact.kind.value == "person"), None)
    if person is not None:
        panel.reject(person.fact.id)
    doubtful = next((it for it in items if it.fact.level == "check"), items[0])
    panel.select_fact(doubtful.fact.id)
    panel.view.show_message("")
    panel.view.table.setFocus()
    panel.view.table.scrollToTop()
    panel.view.browser.verticalScrollBar().setValue(0)
    for name, size in (("article-review", (1180, 680)), ("article-review-1366x768", (1366, 728))):
        panel.view.resize(*size)
        panel.select_fact(doubtful.fact.id)
        panel.view.table.scrollToTop()
        shot(name, panel.view)
    panel.view.force_close()
    settle(app)


def render_class_report(out: Path, admin_url: str) -> list[Path]:
    """The class report dialog, read by a teacher of a throw-away classroom, at two sizes."""
    import secrets

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from quizapp.gui.theme import apply_theme
    from quizapp.gui.views.class_report_view import ClassReportDialog
    from quizapp.questions.model import Form
    from quizapp.services.classroom import add_student, add_teacher, init_classroom
    from quizapp.services.collection import Collection
    from quizapp.storage.db import normalise_url
    from quizapp.study import StudySession

    QCoreApplication.setApplicationName("quizapp")
    quiet_offscreen_warnings()
    app = QApplication.instance() or QApplication(["quizapp"])
    assert isinstance(app, QApplication)
    apply_theme(app, "light")
    admin = normalise_url(admin_url)
    token = secrets.token_hex(4)
    name, prefix = f"quizapp_shots_{token}", f"shots_{token}_"
    server = create_engine(admin, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\''))
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)
    written: list[Path] = []
    try:
        engine = init_classroom(url)
        start = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
        for who, klass, answers in (("Ana Petrosyan", "7b", 24), ("Ben Aliyev", "7b", 16),
                                    ("Cy Novak", "7c", 10)):
            role = prefix + who.split()[0].lower()
            account = add_student(engine, role, class_name=klass, name=who, now=start)
            with Collection.open(account.url) as col:
                session = StudySession(col, seed=7)
                now, done = start, 0
                while done < answers:
                    q = session.next_question(now)
                    if q is None:
                        now += timedelta(days=1)
                        continue
                    right = done % 3 != 0
                    if q.form is Form.FLASHCARD:
                        session.answer_flashcard(q, 3 if right else 1, now, 2500)
                    else:
                        wrong = next((c for c in (q.choices or ()) if c not in q.answers),
                                     "certainly not this")
                        session.answer(q, q.answers[0] if right else wrong, now, 2500)
                    done += 1
                    now += timedelta(seconds=40)
        teacher = add_teacher(engine, prefix + "lee", class_name="7b", password="shots")
        engine.dispose()
        with Collection.open(teacher.url, first_start=False) as col:
            dialog = ClassReportDialog(col)
            dialog.show()
            wait_for(app, lambda: dialog.view.report is not None)
            default = (dialog.width(), dialog.height())
            for size, tail in ((default, ""), ((1366, 728), "-1366x768")):
                dialog.resize(*size)
                settle(app)
                path = out / f"class-report{tail}.png"
                dialog.grab().save(str(path))
                written.append(path)
            dialog.close()
            settle(app)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            roles = conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"),
                                 {"p": prefix + "%"}).scalars().all()
            for role in roles:
                conn.execute(text(f'DROP ROLE "{role}"'))
        server.dispose()
    return written


def quiet_offscreen_warnings() -> None:
    """Drop the offscreen platform's chatter about window hints; keep everything else."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if "propagateSizeHints" in message:
            return
        print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def settle(app: object) -> None:
    """Let layouts and paints finish."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    for _ in range(5):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    del app


def wait_for(app: object, condition: Callable[[], bool], timeout_s: float = 15.0) -> None:
    """Process events until ``condition`` holds."""
    import time

    end = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not appear in time")
        settle(app)


def last_dialog(window: object, kind: type) -> object:
    """The most recent dialog of ``kind`` the window opened."""
    dialogs = [d for d in window.open_dialogs() if isinstance(d, kind)]  # type: ignore[attr-defined]
    if not dialogs:
        raise LookupError(f"no {kind.__name__} open")
    return dialogs[-1]


def prepare_demo(window: object, deck_file: Path) -> None:
    """A "Demo" profile with ten weeks of history, and a flashcard deck."""
    from quizapp.study import StudySession

    library = window.library  # type: ignore[attr-defined]
    profile = library.create_profile("Demo")
    library.import_deck_file(deck_file)
    seed_id = next(d.deck_id for d in library.deck_summaries(profile.profile_id)
                   if d.key == "seed")
    days = 75
    start = datetime.now(UTC) - timedelta(days=days)
    # Ten weeks of study on most days: most answers right, some wrong, at a steady pace.
    for day in range(days):
        if day % 7 in (5,) or day % 11 == 3:
            continue  # a day off now and then
        now = start + timedelta(days=day)
        session = StudySession(library.collection, profile.profile_id, deck_id=seed_id, seed=day)
        for i in range(6 + day % 9):
            question = session.next_question(now)
            if question is None:
                break
            right = (i * 7 + day) % 6 != 0
            given = question.answers[0] if right else wrong_answer_for(question.answers[0],
                                                                        question.choices)
            session.answer(question, given, now, 4000 + 300 * (i % 7))
            now += timedelta(seconds=40)
        session.close(now)


def demo_questions(window: object) -> dict[str, object]:
    """One question of each form for the demo profile, built by the core."""
    from quizapp.questions.model import Form
    from quizapp.storage import repository as repo

    study = window.study  # type: ignore[attr-defined]
    library = window.library  # type: ignore[attr-defined]
    session = study.session
    now = datetime.now(UTC)
    with library.collection.session() as s:
        seed_cards = {k: c for k, (c, _m) in repo.stored_cards(
            s, "seed", session.profile_id).items()}
        qa_cards = {k: c for k, (c, _m) in repo.stored_cards(
            s, "world-capitals", session.profile_id).items()}
    found: dict[str, object] = {}
    # Which-is-larger is left out: the seed has no quantity with two comparable others.
    wanted = [Form.CHOICE, Form.WHO_SAID, Form.WHICH_QUOTE, Form.TYPED, Form.CLOZE,
              Form.TIMELINE]
    for form in wanted:
        for _key, card_id in sorted(seed_cards.items()):
            question = session.build_question(card_id, now, form=form)
            if question is not None and question.form is form:
                if form is Form.TYPED and question.input_kind == "date":
                    if re.search(r"\b\d{1,2}\b.*\d{4}", question.answers[0]):
                        found.setdefault("typed_date", question)  # a full date
                    continue
                found[form.value] = question
                break
    for card_id in qa_cards.values():
        question = session.build_question(card_id, now, form=Form.FLASHCARD)
        if question is not None:
            found["flashcard"] = question
            found["flashcard_revealed"] = question
            break
    return found


def new_form_questions(window: object) -> dict[str, Any]:
    """A question of each form of ``questions/forms/`` on the seed deck, for the demo
    profile's cards (a false statement for true or false)."""
    import random

    from quizapp.assets import seed_deck_path
    from quizapp.facts.deckfile import load_deck_file
    from quizapp.questions.generate import ALL_FORMS, QuestionBuilder
    from quizapp.questions.model import Family, Form
    from quizapp.storage import repository as repo

    study = window.study  # type: ignore[attr-defined]
    library = window.library  # type: ignore[attr-defined]
    with library.collection.session() as s:
        cards = {k: c for k, (c, _m) in repo.stored_cards(
            s, "seed", study.session.profile_id).items()}
    deck = load_deck_file(seed_deck_path())
    builder = QuestionBuilder(deck, forms=ALL_FORMS)
    # The fact each form is shown with: one a reader of the seed knows.
    facts = {Form.DATE_EVENT: "d-pashinyan-readiness", Form.NUMBER_MEANING: "n-helicopters",
             Form.SPEAKER_POSITION: "q-pashinyan-no-redeployment",
             Form.TRUE_FALSE: "n-military-personnel"}
    found: dict[str, Any] = {}
    for form, fact_id in facts.items():
        card = cards.get(fact_id)
        if card is None or form not in builder.forms_for(fact_id, Family.RECOGNISE):
            continue
        for n in range(100):
            q = builder.build(card, fact_id, Family.RECOGNISE, random.Random(n), form=form)
            if q is not None and (form is not Form.TRUE_FALSE or q.answers[0] == "False"):
                found[form.value.replace("_", "-")] = q
                break
    return found


def wrong_answer_for(answer: str, choices: object = None) -> str:
    """A plausible wrong answer: another choice, or a near miss when typed."""
    if choices:
        for c in choices:  # type: ignore[attr-defined]
            if c != answer:
                return str(c)
    if any(ch.isdigit() for ch in answer):
        return "".join(str((int(ch) + 3) % 10) if ch.isdigit() else ch for ch in answer)
    return "Ilham Aliyev" if answer != "Ilham Aliyev" else "Nikol Pashinyan"


def partly_right_date(answer: str) -> str:
    """The right year with a wrong day, for a partial verdict."""
    m = re.search(r"\b(\d{1,2})\b", answer)
    if m is None:
        return answer + " 1"
    day = int(m.group(1))
    return answer[: m.start()] + str(day % 27 + 1) + answer[m.end():]


if __name__ == "__main__":
    sys.exit(main())
