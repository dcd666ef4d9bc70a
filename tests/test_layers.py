"""The layer rules of docs/architecture.md, checked on every module's imports.

1. Only ``quizapp/gui/`` imports PySide6 (or shiboken6).
2. Only ``quizapp/storage/`` (and the modules that read and write Anki's own
   file format) imports SQLAlchemy, SQLModel, sqlite3 or psycopg.
3. ``quizapp/gui/`` never imports ``quizapp.storage``.

Imports are read with :mod:`ast`, so imports inside functions count too.
Modules that still break a rule while the code moves to its place are listed
in ``KNOWN``; the list may only shrink: a module not on it that breaks a rule
fails, and so does a listed module that no longer breaks it (take it off).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "quizapp"

QT = ("PySide6", "shiboken6")
DATABASE = ("sqlalchemy", "sqlmodel", "sqlite3", "psycopg")
ANKI_FORMAT = {"importers/apkg.py", "exporters/apkg.py"}

# (rule, module path relative to quizapp/) that break a rule today.
KNOWN: set[tuple[str, str]] = {
    ("database", "browse.py"),
    ("database", "classroom.py"),
    ("database", "collection.py"),
    ("database", "counts.py"),
    ("database", "progressfile.py"),
    ("database", "quiz.py"),
    ("database", "scheduling/optimize.py"),
    ("database", "scheduling/reviewlog.py"),
    ("database", "study/answers.py"),
    ("database", "study/queue.py"),
    ("database", "study/session.py"),
}


def imported_modules(path: Path) -> set[str]:
    """Every module name ``path`` imports, at any depth of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            # ``from quizapp import storage`` imports the package quizapp.storage.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _under(name: str, roots: tuple[str, ...]) -> bool:
    return any(name == root or name.startswith(root + ".") for root in roots)


def violations(package: Path = PACKAGE) -> set[tuple[str, str]]:
    """(rule, module) for every rule a module of ``package`` breaks."""
    found: set[tuple[str, str]] = set()
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        names = imported_modules(path)
        in_gui = rel.startswith("gui/")
        if not in_gui and any(_under(n, QT) for n in names):
            found.add(("qt", rel))
        if (not rel.startswith("storage/") and rel not in ANKI_FORMAT
                and any(_under(n, DATABASE) for n in names)):
            found.add(("database", rel))
        if in_gui and any(_under(n, ("quizapp.storage",)) for n in names):
            found.add(("gui-storage", rel))
    return found


WINDOW = "quizapp.gui.main_window"


def modules_importing_the_window(package: Path = PACKAGE) -> set[str]:
    """The modules under ``gui/`` that import the main window (type-checking imports too)."""
    return {path.relative_to(package).as_posix()
            for path in sorted((package / "gui").rglob("*.py"))
            if any(_under(n, (WINDOW,)) for n in imported_modules(path))}


def test_the_window_imports_its_controllers_and_none_imports_it_back() -> None:
    """No import circle: only the start-up imports the window; the window imports safekeeping."""
    assert modules_importing_the_window() == {"gui/app.py"}
    assert "quizapp.gui.controllers.safekeeping" in imported_modules(
        PACKAGE / "gui" / "main_window.py")


def test_the_circle_check_sees_a_controller_importing_the_window(tmp_path: Path) -> None:
    (tmp_path / "gui" / "controllers").mkdir(parents=True)
    (tmp_path / "gui" / "controllers" / "keep.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from quizapp.gui.main_window import MainWindow\n", encoding="utf-8")
    (tmp_path / "gui" / "views").mkdir()
    (tmp_path / "gui" / "views" / "page.py").write_text("import quizapp.gui.views\n",
                                                         encoding="utf-8")
    assert modules_importing_the_window(tmp_path) == {"gui/controllers/keep.py"}


def test_no_new_module_breaks_a_layer_rule() -> None:
    new = sorted(violations() - KNOWN)
    assert not new, (
        "these modules break a layer rule of docs/architecture.md "
        f"(rule, module): {new}")


def test_the_list_of_known_breaks_only_shrinks() -> None:
    mended = sorted(KNOWN - violations())
    assert not mended, f"these modules obey the rules now: take them off KNOWN: {mended}"


@pytest.mark.parametrize(("source", "rule"), [
    ("from PySide6.QtCore import QObject\n", "qt"),
    ("def f():\n    import sqlite3\n", "database"),
    ("from sqlalchemy import text\n", "database"),
])
def test_the_checker_sees_a_break_outside_its_package(
        tmp_path: Path, source: str, rule: str) -> None:
    (tmp_path / "study").mkdir()
    (tmp_path / "study" / "queue.py").write_text(source, encoding="utf-8")
    assert violations(tmp_path) == {(rule, "study/queue.py")}


def test_the_checker_sees_the_gui_reaching_into_storage(tmp_path: Path) -> None:
    (tmp_path / "gui").mkdir()
    (tmp_path / "gui" / "a.py").write_text("from quizapp import storage\n", encoding="utf-8")
    (tmp_path / "gui" / "b.py").write_text(
        "import quizapp.storage.db\nfrom PySide6 import QtCore\n", encoding="utf-8")
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "c.py").write_text("import sqlite3\n", encoding="utf-8")
    assert violations(tmp_path) == {("gui-storage", "gui/a.py"), ("gui-storage", "gui/b.py")}
