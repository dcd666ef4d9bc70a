"""Hostile files of every kind are refused at once or read with a bounded result.

Each file is made by :mod:`tests.hostile` and imported in a child process with
at most :data:`MEMORY_LIMIT` bytes of address space; the only guard on time is
a generous :data:`HANG_GUARD_S` (no timing is asserted: seconds and peak
memory per file are printed by ``benchmarks/bench_hostile.py``). A refusal is
the usual ``FILE:LINE: field: what is wrong`` or ``FILE: MEMBER: ...`` lines,
never a traceback.
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from quizapp.extract.readers import MAX_ARTICLE_CHARS, MAX_ARTICLE_FILE_BYTES
from quizapp.facts.deckfile import MAX_DECK_BYTES, DeckFileError
from quizapp.importers import apkg as apkg_mod
from quizapp.importers import csvfile, import_file
from quizapp.importers.apkg import MAX_NOTE_VALUE, MAX_PACKAGE_BYTES
from quizapp.importers.csvfile import MAX_TEXT_BYTES
from tests import hostile

ROOT = Path(__file__).resolve().parent.parent
HANG_GUARD_S = 120
MEMORY_LIMIT = 3 * 1024**3

CHILD = r"""
import json, sys
from pathlib import Path
from quizapp.facts.deckfile import DeckFileError
from quizapp.importers import import_file
try:
    result = import_file(Path(sys.argv[1]), accept_articles=True)
except DeckFileError as exc:
    print(json.dumps({"refused": str(exc).splitlines()}))
else:
    facts = result.deck.facts
    print(json.dumps({"facts": len(facts),
                      "chars": sum(len(f.front or "") + len(f.back or "") for f in facts)}))
"""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_import(path: Path) -> dict[str, Any]:
    """Import ``path`` in a child process: its outcome, or the test fails on a crash."""
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
        timeout=HANG_GUARD_S, preexec_fn=_limit_memory, cwd=path.parent,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stderr == "", proc.stderr[-3000:]
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


def refusal(path: Path) -> list[str]:
    out = run_import(path)
    assert "refused" in out, out
    lines: list[str] = out["refused"]
    for line in lines:
        assert line.startswith(f"{path}:"), line
        assert "Traceback" not in line
    return lines


# ---------------------------------------------------------------- Anki packages


@pytest.mark.parametrize(
    ("writer", "expected"),
    [
        (hostile.write_apkg_generated,
         "collection.anki21: notes: flds: a generated column: a collection with computed "
         "columns is not read"),
        (hostile.write_apkg_trigger,
         "collection.anki21: sqlite_master: trigger: 't': a collection with triggers is not read"),
        (hostile.write_apkg_view,
         "collection.anki21: sqlite_master: view: 'storm': a collection with views is not read"),
        (hostile.write_apkg_huge_field,
         f"collection.anki21: notes row 1: flds: 3,000,005 bytes (at most {MAX_NOTE_VALUE:,} "
         "in one note)"),
    ],
    ids=["generated-columns", "trigger", "view", "huge-field"],
)
def test_hostile_anki_packages_are_refused_naming_member_and_record(
    tmp_path: Path, writer: Any, expected: str
) -> None:
    path = writer(tmp_path)
    lines = refusal(path)
    assert lines[0].startswith(f"{path}: {expected}"), lines


def test_the_text_taken_from_a_package_is_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notes each under the field limit whose text adds up past the package limit."""
    monkeypatch.setattr(apkg_mod, "MAX_TOTAL_TEXT", 1_000_000)
    path = hostile.write_apkg_huge_total(tmp_path, notes=30, chars=50_000)
    with pytest.raises(DeckFileError) as err:
        import_file(path)
    # 50,004 characters a note: the 20th goes past the cap.
    assert str(err.value) == (
        f"{path}: collection.anki21: notes row 20: flds: the notes up to this one hold more "
        "than 1,000,000 characters of text (at most that many in one package)"
    )
    monkeypatch.setattr(apkg_mod, "MAX_TOTAL_TEXT", 10_000_000)
    assert len(import_file(path).deck.facts) >= 30  # under the cap: every note read


def test_a_package_that_reads_past_its_step_budget_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apkg_mod, "SQL_STEPS_BASE", 50_000)
    monkeypatch.setattr(apkg_mod, "SQL_STEPS_PER_BYTE", 0)
    path = hostile.write_apkg_huge_total(tmp_path, notes=3_000, chars=10)
    with pytest.raises(DeckFileError) as err:
        import_file(path)
    assert "reading the collection took more steps than its size allows" in str(err.value)
    assert len(str(err.value).splitlines()) == 1


def test_a_value_longer_than_sqlite_may_give_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apkg_mod, "MAX_SQL_VALUE", 100_000)
    path = hostile.write_apkg_huge_field(tmp_path, chars=200_000)
    with pytest.raises(DeckFileError) as err:
        import_file(path)
    assert "a value longer than 100,000 bytes: not a real collection" in str(err.value)


# ---------------------------------------------------------------- deck files (TOML)


def test_a_deck_file_of_blank_lines_is_refused(tmp_path: Path) -> None:
    path = hostile.write_toml_blank_lines(tmp_path)
    assert refusal(path) == [
        f"{path}:1: format: missing (required)",
        f"{path}:1: id: missing (required)",
        f"{path}:1: name: missing (required)",
        f"{path}:1: facts: missing: a deck needs at least one [[facts]] table",
    ]


def test_a_deck_file_with_200000_problems_lists_50_and_counts_the_rest(tmp_path: Path) -> None:
    path = hostile.write_toml_many_errors(tmp_path)
    lines = refusal(path)
    assert len(lines) == 51
    assert all(re.match(rf"{re.escape(str(path))}:\d+: \w+: ", x) for x in lines)
    more = re.search(r": file: … and (\d+) more problems$", lines[-1])
    assert more is not None, lines[-1]
    assert int(more.group(1)) >= 200_000 - 50


# ---------------------------------------------------------------- articles


@pytest.mark.parametrize(
    "writer",
    [hostile.write_html_unclosed, hostile.write_md_emphasis, hostile.write_md_links],
    ids=["html-unclosed-tags", "md-emphasis-storm", "md-link-storm"],
)
def test_markup_storms_are_read_in_bounded_time(tmp_path: Path, writer: Any) -> None:
    path = writer(tmp_path)
    out = run_import(path)
    if "refused" in out:
        assert len(out["refused"]) == 1 and out["refused"][0].startswith(f"{path}:1: file: ")
    else:
        assert out["facts"] >= 1


def test_an_article_of_one_sentence_said_2000_times_is_read(tmp_path: Path) -> None:
    path = hostile.write_repeated_article(tmp_path, 2_000)
    out = run_import(path)
    assert out.get("facts", 0) >= 2_000, out  # a date, a number or a quote per sentence


def test_an_article_over_the_text_limit_is_refused_at_once(tmp_path: Path) -> None:
    repeats = MAX_ARTICLE_CHARS // len(hostile.SENTENCE) + 10
    path = hostile.write_repeated_article(tmp_path, repeats)
    assert path.stat().st_size < MAX_ARTICLE_FILE_BYTES
    lines = refusal(path)
    assert len(lines) == 1
    assert lines[0].startswith(f"{path}:1: file: too long for an article (2"), lines
    assert lines[0].endswith(
        f" characters of text; at most {MAX_ARTICLE_CHARS:,}): split it into shorter articles"
    )


# ---------------------------------------------------------------- size limits


def test_files_one_byte_over_each_size_limit_are_refused_at_once(tmp_path: Path) -> None:
    csv = hostile.write_over_size(tmp_path, "big.csv", MAX_TEXT_BYTES)
    assert refusal(csv) == [
        f"{csv}:1: file: too large ({MAX_TEXT_BYTES + 1:,} bytes; at most {MAX_TEXT_BYTES:,}): "
        "split it into several files"
    ]
    toml = hostile.write_over_size(tmp_path, "big.toml", MAX_DECK_BYTES)
    assert refusal(toml) == [f"{toml}:1: file: too large ({MAX_DECK_BYTES + 1} bytes)"]
    package = hostile.write_over_size(tmp_path, "big.apkg", MAX_PACKAGE_BYTES)
    assert refusal(package) == [
        f"{package}: zip: file: too large ({MAX_PACKAGE_BYTES + 1:,} bytes; at most "
        f"{MAX_PACKAGE_BYTES:,})"
    ]
    article = tmp_path / "long.md"
    with article.open("w", encoding="utf-8") as fh:
        fh.write("# Long\n\n")
        while fh.tell() <= MAX_ARTICLE_FILE_BYTES:
            fh.write(hostile.SENTENCE)
    assert refusal(article)[0].startswith(f"{article}:1: file: too large for an article (")


def test_a_csv_over_the_row_limit_is_refused_and_one_at_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csvfile, "MAX_ROWS", 1_000)
    at = hostile.write_csv_rows(tmp_path, 1_000, "at.csv")
    assert len(import_file(at).deck.facts) == 1_000
    over = hostile.write_csv_rows(tmp_path, 1_001, "over.csv")
    with pytest.raises(DeckFileError) as err:
        import_file(over)
    assert str(err.value) == (
        f"{over}:1002: file: more than 1,000 rows: split the file into several files"
    )


def test_a_streamed_csv_keeps_every_row_and_the_existing_messages(tmp_path: Path) -> None:
    """Rows are read as a stream: a large file gives every row, a bad one every message."""
    path = hostile.write_csv_rows(tmp_path, 200_000, "rows.csv", width=10)
    facts = import_file(path).deck.facts
    assert len(facts) == 200_000
    assert (facts[0].front, facts[-1].back) == ("Question 0?", "Answer 199999 " + "x" * 10)
    assert [f.id for f in facts[:3]] == [f.id for f in list(facts)[:3]]
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8") as fh:
        fh.write("Front,Back\n")
        for i in range(70_000):
            fh.write(f"Q{i},A{i}\n" if i != 65_000 else f"Q{i},\n")
        fh.write('"never closed,x\n')
    with pytest.raises(DeckFileError) as err:
        import_file(bad)
    assert str(err.value) == (
        f'{bad}:70002: row: a quoted field is never closed (" without its closing ")'
    )


def test_packages_still_read_after_the_checks(tmp_path: Path) -> None:
    """The limits leave real packages alone (both fixtures, legacy and current)."""
    for name in ("anki_legacy.apkg", "anki_current.apkg"):
        deck = import_file(hostile.FIXTURES / name).deck
        assert len(deck.facts) >= 5
    with zipfile.ZipFile(hostile.LEGACY) as zf:
        assert "collection.anki21" in zf.namelist()


def test_a_csv_is_read_in_memory_near_its_size(tmp_path: Path) -> None:
    """A 30 MB CSV: its rows are streamed and its facts packed (whole-file reading took 310 MB).

    The figure asserted is the child's peak resident memory, not a time; the
    benchmark measures a CSV at the 100 MB limit, stored into SQLite.
    """
    path = hostile.write_csv_rows(tmp_path, 300_000, "m30.csv", width=70)
    assert path.stat().st_size > 30_000_000
    # The child's own high-water mark (VmHWM): ru_maxrss would count the size of
    # the process that started it.
    child = (
        "import re, sys\n"
        "from pathlib import Path\n"
        "from quizapp.importers import import_file\n"
        "deck = import_file(Path(sys.argv[1])).deck\n"
        "status = Path('/proc/self/status').read_text()\n"
        "print(len(deck.facts), int(re.search(r'VmHWM:\\s+(\\d+) kB', status)[1]) // 1024)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", child, str(path)], capture_output=True, text=True,
        timeout=HANG_GUARD_S, cwd=tmp_path, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    facts, peak_mb = map(int, proc.stdout.split())
    assert facts == 300_000
    assert peak_mb < 200, f"peak {peak_mb} MB"
