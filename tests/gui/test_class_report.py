"""The class report screen on a PostgreSQL classroom, read through a teacher's own role."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QStyleOptionComboBox
from pytestqt.qtbot import QtBot

from quizapp.gui.views.class_report_view import (
    ALL_CLASSES,
    STUDENT_COLUMNS,
    ClassReportDialog,
    ClassReportView,
)
from quizapp.services.classroom import add_student, add_teacher, class_report, init_classroom
from quizapp.services.collection import Collection

from ..classroom_student import T0, answer_questions, open_study
from ..conftest import PgDatabase

WAIT_MS = 20_000


@pytest.fixture(scope="module")
def teacher_url(pg_admin_url: str) -> Iterator[str]:
    """Class 7b (ana: 12 answers, ben: 8 answers and a report), class 7c (cy); teacher lee."""
    db = PgDatabase.create(pg_admin_url, "gui_class")
    try:
        engine = init_classroom(db.url)
        role = db.role_prefix
        for name, klass, answers in (("ana", "7b", 12), ("ben", "7b", 8), ("cy", "7c", 5)):
            account = add_student(engine, f"{role}{name}", class_name=klass, now=T0)
            with Collection.open(account.url) as col:
                session = open_study(col)
                answer_questions(session, answers, every_wrong=2)
                if name == "ben":
                    question = session.next_question(T0 + timedelta(hours=1))
                    assert question is not None
                    session.report(question, "Both dates are in the article", T0)
        lee = add_teacher(engine, f"{role}lee", class_name="7b", password="pw-lee")
        engine.dispose()
        yield lee.url
    finally:
        db.drop()


def column(view: ClassReportView, name: str) -> list[str]:
    c = STUDENT_COLUMNS.index(name)
    return [view.table.item(r, c).text() for r in range(view.table.rowCount())]


def test_the_teacher_sees_their_class(qtbot: QtBot, teacher_url: str, tmp_path: Path) -> None:
    with Collection.open(teacher_url, first_start=False) as col:
        with col.session() as s:
            expected = class_report(s)
        view = ClassReportView(col)
        qtbot.addWidget(view)
        view.resize(1100, 700)
        view.show()
        assert view.empty.isVisibleTo(view) and "Refresh" in view.empty.text()
        with qtbot.waitSignal(view.report_loaded, timeout=WAIT_MS) as loaded:
            qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
        assert loaded.args == [2]
        names = column(view, "Student")
        assert names == [s["name"] for s in expected["students"]] and len(names) == 2
        assert set(column(view, "Class")) == {"7b"}
        reviews = [str(s["decks"][0]["reviews"]) for s in expected["students"]]
        assert column(view, "Reviews") == reviews == ["12", "8"]
        assert column(view, "Accuracy") == ["50%", "50%"]
        assert column(view, "Reported") == ["0", "1"]
        # Only the teacher's class is offered; the seed deck is chosen.
        classes = [view.class_box.itemText(i) for i in range(view.class_box.count())]
        assert classes == [ALL_CLASSES, "7b"]
        assert view.deck_box.currentText() == expected["decks"][0]["name"]
        # At this size the deck box shows the deck's whole name, not a cut one.
        opt = QStyleOptionComboBox()
        view.deck_box.initStyleOption(opt)
        field = view.deck_box.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, opt, QStyle.SubControl.SC_ComboBoxEditField,
            view.deck_box)
        name_width = view.deck_box.fontMetrics().horizontalAdvance(view.deck_box.currentText())
        assert field.width() >= name_width
        assert view.reported.rowCount() == 1
        assert view.reported.item(0, 2).text() == "Both dates are in the article"
        assert view.missed.rowCount() > 0 and view.missed_title.isVisibleTo(view)
        # A missed fact says what it is about, not only its value ("2023").
        labels = [view.missed.item(i, 0).text() for i in range(view.missed.rowCount())]
        assert all(" — " in label for label in labels), labels
        view.grab().save(str(tmp_path / "class_report.png"))
        # A class filter keeps the students of that class.
        view.class_box.setCurrentIndex(1)
        assert column(view, "Student") == names
        view.runner.wait()


def test_a_failure_is_shown_in_plain_words(qtbot: QtBot, teacher_url: str) -> None:
    view = ClassReportView(_broken(teacher_url))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.load_failed, timeout=WAIT_MS) as failed:
        view.refresh()
    assert "password authentication failed" in failed.args[0]
    assert "could not be read" in view.empty.text() and view.empty.isVisibleTo(view)
    assert view.refresh_button.isEnabled()
    view.runner.wait()
    assert view.collection is not None
    view.collection.close()


def _broken(url: str) -> Collection:
    from sqlalchemy.engine import make_url

    from quizapp.storage.db import make_engine

    bad = make_url(url).set(password="wrong-password").render_as_string(hide_password=False)
    return Collection(make_engine(bad))


def test_the_dialog_reads_the_class_when_it_opens(qtbot: QtBot, teacher_url: str) -> None:
    with Collection.open(teacher_url, first_start=False) as col:
        dialog = ClassReportDialog(col)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.view.report is not None, timeout=WAIT_MS)
        assert dialog.view.table.rowCount() == 2
        dialog.close()
