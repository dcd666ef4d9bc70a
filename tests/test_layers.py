"""The layer rules of docs/architecture.md, checked on every module's imports and strings.

1. Only ``quizapp/gui/`` imports PySide6 (or shiboken6).
2. Only ``quizapp/storage/`` (and the modules that read and write Anki's own
   file format) imports SQLAlchemy, SQLModel, sqlite3 or psycopg.
3. ``quizapp/gui/`` never imports ``quizapp.storage``.
4. Only ``quizapp/storage/`` (and the Anki-format modules) writes SQL: no other
   module has a string literal that reads as a statement (``SELECT … FROM``,
   ``INSERT INTO``, ``UPDATE … SET``, ``DELETE FROM``, ``CREATE TABLE``).

Imports and strings are read with :mod:`ast`, so those inside functions count
too; docstrings are prose, not statements, and are not read.

Modules that still break a rule while the code moves to its place are listed
in ``KNOWN`` (``KNOWN_SQL`` for rule 4); the lists may only shrink: a module
not on them that breaks a rule fails, and so does a listed module that no
longer breaks it (take it off).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "quizapp"

QT = ("PySide6", "shiboken6")
DATABASE = ("sqlalchemy", "sqlmodel", "sqlite3", "psycopg")
ANKI_FORMAT = {"importers/apkg.py", "exporters/apkg.py"}

# (rule, module path relative to quizapp/) that break a rule today: none. Keep it
# empty; a module that must break a rule for a while is listed here with a reason.
KNOWN: set[tuple[str, str]] = set()


# Modules outside storage/ that still hold SQL text: none (the list may only shrink).
KNOWN_SQL: set[str] = set()

# SQL keywords as quizapp writes them (upper case), so that prose ("select the
# cards from …") does not read as a statement.
SQL_TEXT = re.compile(r"\bSELECT\b.+\bFROM\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b"
                      r"|\bDELETE FROM\b|\bCREATE TABLE\b", re.DOTALL)


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


def string_literals(path: Path) -> list[str]:
    """The text of every string literal of ``path`` but its docstrings.

    An f-string is one literal, its replacement fields read as ``{}``, so that
    ``f"SELECT {columns} FROM card"`` is seen whole.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                skipped.add(id(first.value))  # a docstring
        elif isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in node.values)  # read with the f-string
    texts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            texts.append("".join(part.value if isinstance(part, ast.Constant) else "{}"
                                 for part in node.values))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in skipped):
            texts.append(node.value)
    return texts


def sql_violations(package: Path = PACKAGE) -> set[str]:
    """Every module of ``package`` outside storage/ and the Anki-format modules that
    holds SQL text."""
    found: set[str] = set()
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if rel.startswith("storage/") or rel in ANKI_FORMAT:
            continue
        if any(SQL_TEXT.search(text) for text in string_literals(path)):
            found.add(rel)
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


def test_no_new_module_outside_storage_writes_sql() -> None:
    new = sorted(sql_violations() - KNOWN_SQL)
    assert not new, f"these modules hold SQL text; it belongs in quizapp/storage/: {new}"


def test_the_list_of_known_sql_holders_only_shrinks() -> None:
    mended = sorted(KNOWN_SQL - sql_violations())
    assert not mended, f"these modules hold no SQL now: take them off KNOWN_SQL: {mended}"


@pytest.mark.parametrize("source", [
    'ROWS = "SELECT id FROM card WHERE profile_id = ?"\n',
    'def f(cols):\n    return f"SELECT {cols} FROM card"\n',
    'Q = ("SELECT id, due\\n"\n     "FROM card")\n',
    'def f():\n    run("INSERT INTO review (id) VALUES (1)")\n',
    'X = "UPDATE card SET due = NULL"\n',
    'X = "DELETE FROM review"\n',
    'X = "CREATE TABLE t (id INTEGER)"\n',
])
def test_the_checker_sees_sql_outside_storage(tmp_path: Path, source: str) -> None:
    (tmp_path / "study").mkdir()
    (tmp_path / "study" / "queue.py").write_text(source, encoding="utf-8")
    assert sql_violations(tmp_path) == {"study/queue.py"}


def test_the_checker_leaves_storage_anki_files_docstrings_and_prose(tmp_path: Path) -> None:
    statement = 'SQL = "SELECT id FROM card"\n'
    for rel in ("storage/counts.py", "importers/apkg.py", "exporters/apkg.py"):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text(statement, encoding="utf-8")
    (tmp_path / "browse.py").write_text(
        '"""Reads ``SELECT id FROM card`` through storage."""\n'
        'def f():\n    """Runs DELETE FROM review elsewhere."""\n'
        '    return "select the cards from the deck"\n', encoding="utf-8")
    assert sql_violations(tmp_path) == set()


# ------------------------------------------------------------------ arrows point down

#: What the packages of the core and storage must not import (docs/architecture.md):
#: the core (value types, extraction, questions, scheduling, the lexicon) sits below
#: storage, services, study and both faces; storage sits below services, study and faces.
UPWARD: dict[str, tuple[str, ...]] = {
    "facts/": ("quizapp.storage", "quizapp.services", "quizapp.study", "quizapp.gui",
               "quizapp.cli"),
    "extract/": ("quizapp.storage", "quizapp.services", "quizapp.study", "quizapp.gui",
                 "quizapp.cli"),
    "questions/": ("quizapp.storage", "quizapp.services", "quizapp.study", "quizapp.gui",
                   "quizapp.cli"),
    "scheduling/": ("quizapp.storage", "quizapp.services", "quizapp.study", "quizapp.gui",
                    "quizapp.cli"),
    "lexicon.py": ("quizapp.storage", "quizapp.services", "quizapp.study", "quizapp.gui",
                   "quizapp.cli"),
    "storage/": ("quizapp.services", "quizapp.study", "quizapp.gui", "quizapp.cli",
                 "quizapp.quiz", "quizapp.browse"),
}


def upward_imports(package: Path = PACKAGE) -> set[tuple[str, str]]:
    """(module, package above it) for every import that points up the layers."""
    found: set[tuple[str, str]] = set()
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        for prefix, banned in UPWARD.items():
            if rel == prefix or rel.startswith(prefix):
                found.update((rel, b) for n in imported_modules(path) for b in banned
                             if _under(n, (b,)))
    return found


def test_the_core_and_storage_import_nothing_above_them() -> None:
    assert not sorted(upward_imports())


def test_the_upward_check_sees_scheduling_reading_storage(tmp_path: Path) -> None:
    (tmp_path / "scheduling").mkdir()
    (tmp_path / "scheduling" / "optimize.py").write_text(
        "def f():\n    from quizapp.storage.fitlog import history_rows\n", encoding="utf-8")
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "a.py").write_text("from quizapp.study import StudySession\n",
                                                encoding="utf-8")
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "b.py").write_text("from quizapp.storage import writer\n",
                                                 encoding="utf-8")
    assert upward_imports(tmp_path) == {
        ("scheduling/optimize.py", "quizapp.storage"),
        ("storage/a.py", "quizapp.study"),
    }


def test_the_command_line_reaches_storage_only_through_services() -> None:
    reached = {(path.relative_to(PACKAGE).as_posix(), n)
               for path in sorted((PACKAGE / "cli").rglob("*.py"))
               for n in imported_modules(path) if _under(n, ("quizapp.storage",))}
    assert not sorted(reached)
