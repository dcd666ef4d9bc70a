"""The one atomic writer: whole files or none, with the mode a new file gets."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from quizapp.files import atomic_path, atomic_text, write_text_atomic


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_umask_mode_not_a_private_temp_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "quiz.pdf"
        write_text_atomic(target, "hello")
    finally:
        os.umask(old)
    assert target.read_text(encoding="utf-8") == "hello"
    assert mode(target) == 0o644  # a print server or a colleague can read it


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "deck.toml"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert mode(target) == 0o600


def test_a_failure_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_text("kept", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_text(target) as fh:
        fh.write("half")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]


def test_a_missing_folder_is_named_in_the_error(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "file.txt"
    with pytest.raises(FileNotFoundError, match="nowhere"):
        write_text_atomic(target, "x")

    class RefusedError(Exception):
        pass

    def refuse(path: Path) -> RefusedError:
        return RefusedError(str(path))

    with pytest.raises(RefusedError), atomic_path(target, missing_folder=refuse):
        pass


def test_line_ends_are_written_as_given(tmp_path: Path) -> None:
    target = tmp_path / "rows.csv"
    with atomic_text(target) as fh:
        fh.write("a\r\nb\n")
    assert target.read_bytes() == b"a\r\nb\n"
