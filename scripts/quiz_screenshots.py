"""Render the printed quiz, its answer key, a progress report and the class view to PNG.

    python scripts/quiz_screenshots.py [OUTDIR]

Works offscreen in a temporary QUIZAPP_HOME (the user's data is never
touched): four demo students study the seed deck and a small Q/A deck for a
few simulated weeks, take practice tests and report a question; then

- ``quiz-page1.png`` and ``quiz-answer-key.png``: a printed quiz (pdftoppm),
- ``quiz-multiple-choice-page1.png``, ``-page2.png`` and ``-answer-key.png``: a
  multiple-choice paper with what happened on a date, what a figure counts, what a
  speaker said should happen and true or false, and its key,
- ``progress-report.png``: one student's PDF progress report (pdftoppm),
- ``class-view.png``: the class view with the four progress files.

Needs ``pdftoppm`` (poppler-utils). Files go to OUTDIR (default docs/screenshots/).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CAPITALS = """\
format = 1
id = "world-capitals"
name = "World capitals"
description = "Plain question and answer cards."

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

[[facts]]
id = "qa-azerbaijan"
kind = "qa"
front = "What is the capital of Azerbaijan?"
back = "Baku"
"""

STUDENTS = (("Amira Haddad", 0.93), ("Ben Okafor", 0.78), ("Chloé Martin", 0.86),
            ("Daniel Kim", 0.64))
REASONS = {2: "Two of the choices could both be right",
           3: "The article gives this figure twice"}
START = datetime(2024, 4, 1, 16, 0, tzinfo=UTC)


def simulate(col, profile_id: int, accuracy: float, seed: int) -> datetime:  # type: ignore[no-untyped-def]
    """A few weeks of study, two practice tests and a report; returns the last time."""
    from quizapp.questions.model import Form
    from quizapp.quiz import PracticeTest, QuizOptions, TestSettings
    from quizapp.services.profiles import update_profile_settings
    from quizapp.study import StudySession

    update_profile_settings(col, profile_id, timezone="UTC", new_per_day=12)
    rng = random.Random(seed)
    now = START
    for day in range(42):
        now = START + timedelta(days=day, minutes=rng.randint(0, 90))
        if rng.random() < 0.2:
            continue
        session = StudySession(col, profile_id, seed=seed * 100 + day)
        for _ in range(40):
            q = session.next_question(now)
            if q is None:
                break
            right = rng.random() < accuracy
            ms = rng.randint(3000, 14000)
            if q.form is Form.FLASHCARD:
                session.answer_flashcard(q, 3 if right else 1, now, ms)
            else:
                answer = q.answers[0] if right else "not sure"
                session.answer(q, answer.split(" | ") if q.form is Form.TIMELINE else answer,
                               now, ms)
            now += timedelta(milliseconds=ms + 2000)
        session.close(now)
        if day in (20, 40):
            test = PracticeTest(col, profile_id, TestSettings(
                (1,), QuizOptions(questions=10, draw=seed + day)), now)
            for i, q in enumerate(test.questions):
                right = rng.random() < accuracy
                answer = q.answers[0] if right else "not sure"
                test.answer(i, answer.split(" | ") if q.form is Form.TIMELINE else answer,
                            now + timedelta(seconds=20 * i), 15000)
                if i == 3 and seed in (2, 3) and day == 40:
                    test.report_question(i, REASONS[seed], now)
            test.finish(now + timedelta(minutes=5))
            now += timedelta(minutes=6)
    return now


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="quizapp-shots-"))
    os.environ["QUIZAPP_HOME"] = str(tmp / "home")

    from PySide6.QtWidgets import QApplication

    app = QApplication(["quizapp"])
    from quizapp.facts.deckfile import parse_deck_text
    from quizapp.gui.pdf import write_progress_pdf, write_quiz_pdf
    from quizapp.gui.theme import apply_theme
    from quizapp.gui.views.class_view import ClassView
    from quizapp.quiz import QuizOptions, build_quiz, load_quiz_decks
    from quizapp.services.collection import Collection
    from quizapp.services.profiles import create_profile, list_profiles
    from quizapp.services.progress import export_progress, read_progress

    apply_theme(app, "light")
    col = Collection.open(durable=False)
    col.import_deck(parse_deck_text(CAPITALS, tmp / "capitals.toml"))
    first = list_profiles(col)[0]
    files = []
    for i, (name, accuracy) in enumerate(STUDENTS):
        pid = first.id if i == 0 else create_profile(col, name).id
        if i == 0:
            from quizapp.services.profiles import rename_profile

            rename_profile(col, pid, name)
        end = simulate(col, pid, accuracy, seed=i + 1)
        path = tmp / f"{name.split()[0].lower()}.json"
        export_progress(col, pid, path, end + timedelta(hours=1))
        files.append(path)

    quiz = build_quiz(load_quiz_decks(col, ["seed"]), QuizOptions(questions=12, version=1))
    pdf = tmp / "quiz.pdf"
    write_quiz_pdf(quiz, pdf, answer_key_page=True, note="Class 9B")
    # A multiple-choice paper of 8 questions with every form of questions/forms/, as many
    # of them as can be on its first page.
    from quizapp.questions.model import Form
    from quizapp.quiz import GROUP_FORMS, FormGroup

    new_forms = {Form.DATE_EVENT, Form.NUMBER_MEANING, Form.SPEAKER_POSITION, Form.TRUE_FALSE}
    decks = load_quiz_decks(col, ["seed"])

    def choice_paper(draw: int) -> Any:
        return build_quiz(decks, QuizOptions(
            questions=8, forms=GROUP_FORMS[FormGroup.CHOICE], draw=draw, version=1))

    def shows(quiz: Any) -> tuple[int, int]:
        forms = [i.question.form for i in quiz.items]
        return len(set(forms) & new_forms), len(set(forms[:4]) & new_forms)

    choice_quiz = max((choice_paper(d) for d in range(1, 300)), key=shows)
    choice_pdf = tmp / "choice.pdf"
    write_quiz_pdf(choice_quiz, choice_pdf, answer_key_page=True, note="Class 9B")
    report = tmp / "report.pdf"
    students = [read_progress(f) for f in files]
    shown = max(students, key=lambda p: (len(p.tests), len(p.reported), -len(p.student)))
    write_progress_pdf(shown, report)

    def render(src: Path, page: int, target: str) -> None:
        stem = tmp / target.removesuffix(".png")
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page),
                        "-singlefile", str(src), str(stem)], check=True)
        (out / target).write_bytes(stem.with_suffix(".png").read_bytes())

    render(pdf, 1, "quiz-page1.png")
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = next(int(line.split()[-1]) for line in pages.stdout.splitlines()
                 if line.startswith("Pages:"))
    render(pdf, count, "quiz-answer-key.png")
    render(report, 1, "progress-report.png")
    render(choice_pdf, 1, "quiz-multiple-choice-page1.png")
    render(choice_pdf, 2, "quiz-multiple-choice-page2.png")
    render(choice_pdf, 3, "quiz-multiple-choice-answer-key.png")

    view = ClassView()
    view.resize(1280, 820)
    view.load_files(files)
    view.show()
    for _ in range(10):
        app.processEvents()
    view.grab().save(str(out / "class-view.png"))
    view.close()
    col.close()
    for name in ("quiz-page1.png", "quiz-answer-key.png", "quiz-multiple-choice-page1.png",
                 "quiz-multiple-choice-page2.png", "quiz-multiple-choice-answer-key.png",
                 "progress-report.png", "class-view.png"):
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
