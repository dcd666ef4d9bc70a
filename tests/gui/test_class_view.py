"""The class view: several students' progress files side by side."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from quizapp.gui.views.class_view import ClassView, ClassViewDialog
from quizapp.services.collection import Collection
from quizapp.services.profiles import create_profile
from quizapp.services.progress import export_progress, read_progress
from tests.gui.conftest import WAIT_MS
from tests.gui.test_main_window import assert_accessible
from tests.test_progressfile import T0, qa_deck, study_history


def progress_files(tmp_path: Path) -> list[Path]:
    col = Collection.open(f"sqlite:///{tmp_path / 'class.sqlite3'}")
    try:
        col.import_deck(qa_deck())
        first = col.profile().id
        assert first is not None
        second = create_profile(col, "Zoe").id
        study_history(col, first, days=3)
        study_history(col, second, days=2, seed=1)
        files = []
        for pid, name in ((first, "student"), (second, "zoe")):
            files.append(tmp_path / f"{name}.json")
            export_progress(col, pid, files[-1], T0 + timedelta(days=20))
        return files
    finally:
        col.close()


def cell(view: ClassView, row: int, header_start: str) -> str:
    t = view.table
    col = next(c for c in range(t.columnCount())
               if (t.horizontalHeaderItem(c) or None) is not None
               and t.horizontalHeaderItem(c).text().startswith(header_start))
    item = t.item(row, col)
    assert item is not None
    return item.text()


def test_class_view_shows_students_side_by_side(qtbot: QtBot, tmp_path: Path) -> None:
    files = progress_files(tmp_path)
    bad = tmp_path / "broken.json"
    bad.write_text("{ not json", encoding="utf-8")
    view = ClassView()
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view, timeout=WAIT_MS)
    assert view.empty.isVisible() and not view.table.isVisible()
    with qtbot.waitSignal(view.files_loaded, timeout=WAIT_MS):
        read = view.load_files([*files, bad])
    assert read == 2
    t = view.table
    assert t.isVisible() and t.rowCount() == 2
    assert [t.item(r, 0).text() for r in range(2)] == ["Student", "Zoe"]
    headers = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    assert any(h.startswith("Capitals\nmastered") for h in headers)
    assert any(h.startswith("Russian peacekeepers") for h in headers)
    assert "Most missed facts" in headers and "Reported\nquestions" in headers
    students = {s.student: s for s in (read_progress(f) for f in files)}
    for row, name in enumerate(["Student", "Zoe"]):
        s = students[name]
        seed = next(d for d in s.decks if d.key == "seed")
        assert cell(view, row, "Russian peacekeepers") == f"{seed.mastered} of {seed.facts}"
        assert cell(view, row, "Tests\ntaken") == "1"
        assert cell(view, row, "Test\naverage") == f"{round(100 * s.test_scores[0])}%"
        assert cell(view, row, "Reported") == "1"
        assert cell(view, row, "Most missed").split(";")[0] == s.most_missed[0]["label"]
    assert view.reported.isVisible() and view.reported.rowCount() == 2
    assert view.missed.isVisible() and view.missed.rowCount() > 0
    assert view.problem_label.isVisible()
    assert "broken.json" in view.problem_label.text()
    assert "2 students" in view.subtitle.text()
    assert_accessible(view)
    # The same file twice is one student; Clear closes them all.
    assert view.load_files(files[:1]) == 0 and t.rowCount() == 2
    qtbot.mouseClick(view.clear_button, Qt.MouseButton.LeftButton)
    assert t.rowCount() == 0 and view.empty.isVisible()


def test_class_view_dialog(qtbot: QtBot) -> None:
    dialog = ClassViewDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog, timeout=WAIT_MS)
    assert dialog.view.open_button.isVisible()
    assert_accessible(dialog)


def test_file_menu_glue_exports_and_imports(qtbot: QtBot, tmp_path: Path) -> None:
    from quizapp.gui.controllers.progress_files import (
        export_profile_file,
        export_progress_file,
        import_profile_file,
    )

    col = Collection.open(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    other = Collection.open(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    try:
        pid = col.profile().id
        assert pid is not None
        study_history(col, pid, days=2)
        written = export_progress_file(None, col, pid, "Student", tmp_path / "ann",
                                       T0 + timedelta(days=5))
        assert written is not None
        json_file, pdf = written
        assert json_file.suffix == ".json" and read_progress(json_file).student == "Student"
        assert pdf.read_bytes().startswith(b"%PDF")
        moved = export_profile_file(None, col, pid, "Student", tmp_path / "p.json")
        assert moved is not None
        result = import_profile_file(None, other, moved, name="Ann")
        assert result is not None and result.name == "Ann" and result.reviews > 10
    finally:
        col.close()
        other.close()


def test_core_modules_load_without_qt() -> None:
    import subprocess
    import sys

    code = ("import sys, quizapp.quiz, quizapp.services.progress, quizapp.services.profile_file, "
            "quizapp.cli.quiz; "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
