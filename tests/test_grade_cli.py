"""``quizapp grade DECK --json``: typed answers on standard input, one verdict line each."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.assets import seed_deck_path
from quizapp.cli import main

ROOT = Path(__file__).resolve().parent.parent
CLINIC = Path(__file__).parent / "data" / "grading_deck.toml"


def run_grade(
    argv: list[str],
    lines: list[str] | bytes,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, list[dict[str, object]], str]:
    data = lines if isinstance(lines, bytes) else "".join(f"{x}\n" for x in lines).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    status = main(["grade", *argv])
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def answer(fact_id: object, form: object, text: object) -> str:
    return json.dumps({"fact_id": fact_id, "form": form, "answer": text})


def test_every_line_gets_its_verdict_in_order(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        answer("d-trilateral-statement", "typed", "11/10/2020"),  # month first: right
        answer("d-trilateral-statement", "typed", "November 12, 2020"),
        answer("n-vehicles", "typed", "383"),  # an exact count is exact
        answer("q-moscow-accuses", "typed", "the Kremlin"),  # another name of Moscow
        answer("q-karasin", "typed", "Moscow"),  # Karasin speaks for Moscow
        answer("n-weapons-share-before", "typed", "more than half"),
        answer("d-main-forces-deployed", "cloze", "November of the same year"),
        answer("p-pashinyan", "typed", "Prime Minister Nikol Pashinyan"),
    ]
    status, out, err = run_grade([str(seed_deck_path()), "--json"], lines, monkeypatch, capsys)
    assert status == 0 and err == ""
    assert [(o["fact_id"], o["form"], o["verdict"]) for o in out] == [
        ("d-trilateral-statement", "typed", "right"),
        ("d-trilateral-statement", "typed", "partial"),
        ("n-vehicles", "typed", "wrong"),
        ("q-moscow-accuses", "typed", "right"),
        ("q-karasin", "typed", "partial"),
        ("n-weapons-share-before", "typed", "right"),
        ("d-main-forces-deployed", "cloze", "right"),
        ("p-pashinyan", "typed", "right"),
    ]
    assert out[1]["message"] == (
        "Right month and year, wrong day. The answer is November 10, 2020."
    )
    assert out[2]["message"] == "The answer is 380."
    assert all(set(o) == {"fact_id", "form", "verdict", "message"} for o in out)


def test_bad_lines_get_an_error_and_the_others_are_still_graded(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        answer("qa-capital", "typed", "Lima"),
        "this is not JSON",
        answer("no-such-fact", "typed", "x"),
        answer("qa-capital", "essay", "Lima"),
        answer("q-benson", "cloze", "x"),  # a quote has no cloze
        "[1, 2]",
        json.dumps({"fact_id": "qa-capital", "form": "typed"}),
        "",  # blank lines are skipped
        answer("n-beds", "typed", 212),  # a number is taken as its text
        answer("d-next-week", "cloze", "next week"),
    ]
    status, out, err = run_grade([str(CLINIC), "--json"], lines, monkeypatch, capsys)
    assert status == 0 and err == ""
    assert [o["verdict"] for o in out] == [
        "right", "error", "error", "error", "error", "error", "error", "right", "right",
    ]  # fmt: skip
    assert out[1]["message"].startswith("line 2: not valid JSON")
    assert out[2]["message"] == "no fact with id 'no-such-fact' in this deck"
    assert out[3]["message"] == "unknown form 'essay' (use typed or cloze)"
    assert out[4]["message"] == "a quote fact has no cloze"
    assert out[5]["message"] == "line 6: expected a JSON object"
    assert out[6]["message"] == "line 7: answer: expected a string, got nothing"
    assert (out[2]["fact_id"], out[2]["form"]) == ("no-such-fact", "typed")


def test_overlong_and_non_utf8_lines_are_errors(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (
        answer("qa-capital", "typed", "x" * 300_000).encode()
        + b"\n\xff\xfe not text\n"
        + answer("qa-capital", "typed", "Lima").encode()
        + b"\n"
    )
    status, out, _ = run_grade([str(CLINIC), "--json"], data, monkeypatch, capsys)
    assert status == 0
    assert [o["verdict"] for o in out] == ["error", "error", "right"]
    assert out[0]["message"] == "line 1: longer than 100000 bytes"
    assert out[1]["message"] == "line 2: not UTF-8 text"


def test_a_stored_deck_is_named_by_its_id_or_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(CLINIC)]) == 0
    capsys.readouterr()
    for name in ("grading-clinic", "A new clinic (grading examples)"):
        lines = [answer("q-ministry-open", "typed", "the health ministry"),
                 answer("q-reilly", "typed", "the Ministry of Health")]  # fmt: skip
        status, out, _ = run_grade([name, "--json"], lines, monkeypatch, capsys)
        assert status == 0
        # the stored deck keeps its speakers: an alias is right, a spokesman's ministry partial
        assert [o["verdict"] for o in out] == ["right", "partial"]


def test_a_bad_deck_is_refused_with_exit_status_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(CLINIC.read_text(encoding="utf-8").replace(
        'speaks_for = ["the Ministry of Health"]', 'speaks_for = ["the Ministry of Truth"]', 1),
        encoding="utf-8")  # fmt: skip
    status, out, err = run_grade([str(bad), "--json"], [answer("qa-capital", "typed", "Lima")],
                                 monkeypatch, capsys)  # fmt: skip
    assert status == 2 and out == []
    assert "speakers.speaks_for: 'the Ministry of Truth' is no speaker of this deck" in err
    assert "Traceback" not in err
    status, _, err = run_grade(["no-such-deck", "--json"], [], monkeypatch, capsys)
    assert status == 2 and "no deck named 'no-such-deck'" in err


def test_grade_runs_as_a_module(tmp_path: Path) -> None:
    lines = "\n".join([
        answer("n-military-personnel", "typed", "1.960"),  # European thousands
        answer("n-military-personnel", "typed", "1,955"),  # an exact count
        "{broken",
        answer("q-paris-washington", "typed", "Washington"),  # an organisation's last word
    ]) + "\n"  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QUIZAPP_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "quizapp", "grade", str(seed_deck_path()), "--json"],
        input=lines.encode(), capture_output=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [o["verdict"] for o in out] == ["right", "wrong", "error", "wrong"]
