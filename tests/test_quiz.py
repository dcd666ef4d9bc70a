"""Quizzes and practice tests: the draw, versions, answer keys, printed PDFs and the log.

PDF checks extract text with ``pdftotext`` and render pages with ``pdftoppm``
(poppler-utils); without them these tests skip, except under CI=true, where
they fail.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from quizapp.assets import seed_deck_path
from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck
from quizapp.questions.model import Form, Question
from quizapp.questions.normalize import contains_phrase
from quizapp.quiz import (
    GROUP_FORMS,
    TEST_FORMS,
    FormGroup,
    PracticeTest,
    Quiz,
    QuizError,
    QuizOptions,
    TestSettings,
    TestStyle,
    answer_key,
    build_quiz,
    forms_of_groups,
    group_of,
    letter,
    practice_test_history,
    quiz_json,
)
from quizapp.scheduling import CardState, CardStateKind
from quizapp.services.collection import Collection
from quizapp.services.profiles import update_profile_settings
from quizapp.storage.models import CardRow, ReviewRow, StudySessionRow
from quizapp.study import StudySession

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def seed() -> Deck:
    return load_deck_file(seed_deck_path())


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """PDFs need a Qt application: let pytest-qt own it (one QApplication per run)."""


def poppler(tool: str) -> str:
    """The path of a poppler tool; skip without it, but never under CI=true."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} (poppler-utils) is missing on CI")
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def pdf_pages(pdf: Path) -> list[str]:
    """The text of every page (pdftotext -layout), one string per page."""
    out = subprocess.run([poppler("pdftotext"), "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def flat(text: str) -> str:
    """Text with runs of white space as one space (lines of a PDF joined)."""
    return re.sub(r"\s+", " ", text).replace("ﬁ", "fi").replace("ﬂ", "fl")


def answer(question: Question, right: bool) -> str | list[str]:
    """A right or wrong answer to any test question."""
    if question.form is Form.TIMELINE:
        order = question.answers[0].split(" | ")
        return order if right else list(reversed(order))
    if right:
        return question.answers[0]
    if question.choices is not None:
        return next(c for c in question.choices if c not in question.answers)
    return "zzz not it"


# ---------------------------------------------------------------- the draw


def test_quiz_asks_each_fact_once_in_test_forms(seed: Deck) -> None:
    quiz = build_quiz([seed], QuizOptions(questions=15))
    assert len(quiz.items) == 15 and not quiz.short
    facts = [i.question.fact_id for i in quiz.items]
    assert len(set(facts)) == len(facts)
    assert [i.number for i in quiz.items] == list(range(1, 16))
    assert all(i.question.form in TEST_FORMS for i in quiz.items)
    # A mix: several groups of forms, none taking over.
    groups = {group_of(i.question.form) for i in quiz.items}
    assert len(groups) >= 3


def test_no_question_gives_another_away(seed: Deck) -> None:
    for draw in range(1, 6):
        quiz = build_quiz([seed], QuizOptions(questions=15, draw=draw))
        for a in quiz.items:
            if a.question.form is Form.TIMELINE:
                continue
            for b in quiz.items:
                if a is not b:
                    prompt = b.question.prompt
                    # True or false answers "True" or "False": its content is the value
                    # the article gives.
                    shown = ((a.question.actual or "",) if a.question.form is Form.TRUE_FALSE
                             else a.question.answers)
                    leaked = [x for x in shown if x and contains_phrase(prompt, x)]
                    assert not leaked, (a.question.prompt, b.question.prompt)


def test_forms_can_be_restricted(seed: Deck) -> None:
    quiz = build_quiz([seed], QuizOptions(questions=8, forms=GROUP_FORMS[FormGroup.CHOICE]))
    assert len(quiz.items) == 8
    assert all(i.question.choices is not None for i in quiz.items)
    typed = build_quiz([seed], QuizOptions(questions=5,
                                           forms=forms_of_groups(["typed", "cloze"])))
    assert {i.question.form for i in typed.items} <= {Form.TYPED, Form.CLOZE}


def test_bad_options_and_short_quizzes_say_why(seed: Deck) -> None:
    with pytest.raises(QuizError):
        QuizOptions(questions=0)
    with pytest.raises(QuizError):
        QuizOptions(forms=frozenset({Form.FLASHCARD}))
    quiz = build_quiz([seed], QuizOptions(questions=200))
    assert quiz.short
    assert quiz.problems() and "ask for" in quiz.problems()[0]


def test_versions_ask_the_same_questions_in_another_order(seed: Deck) -> None:
    one = build_quiz([seed], QuizOptions(questions=12, version=1))
    two = build_quiz([seed], QuizOptions(questions=12, version=2))

    def content(q: Quiz) -> set[tuple[str, str, str, tuple[str, ...]]]:
        return {(i.question.fact_id, i.question.form.value, i.question.prompt,
                 tuple(sorted(i.question.choices or i.question.items or ())))
                for i in q.items}

    assert content(one) == content(two)
    assert [i.question.fact_id for i in one.items] != [i.question.fact_id for i in two.items]
    by_fact = {i.question.fact_id: i.question for i in two.items}
    reordered = [i for i in one.items if i.question.choices is not None
                 and i.question.choices != by_fact[i.question.fact_id].choices]
    assert reordered, "some choices should come in another order"
    # The same version again is the same paper.
    again = build_quiz([seed], QuizOptions(questions=12, version=1))
    assert quiz_json(again) == quiz_json(one)
    # Another draw asks other facts.
    other = build_quiz([seed], QuizOptions(questions=12, draw=2))
    assert content(other) != content(one)


def test_answer_key_points_at_the_right_choice(seed: Deck) -> None:
    quiz = build_quiz([seed], QuizOptions(questions=15, version=3))
    key = answer_key(quiz)
    assert [k.number for k in key] == [i.number for i in quiz.items]
    for item, k in zip(quiz.items, key, strict=True):
        q = item.question
        if q.form is Form.TIMELINE:
            assert q.items is not None and k.letter is not None
            order = [q.items[ord(x.strip()) - ord("A")] for x in k.letter.split(",")]
            assert " | ".join(order) == q.answers[0]
        elif q.choices is not None:
            assert k.letter is not None
            assert q.choices[ord(k.letter) - ord("A")] in q.answers
        else:
            assert k.letter is None and k.answer == q.answers[0]
    assert letter(0) == "A" and letter(25) == "Z" and letter(26) == "AA"


# ---------------------------------------------------------------- printing


def test_printed_quiz_holds_the_questions_and_its_key(seed: Deck, tmp_path: Path) -> None:
    from quizapp.gui.pdf import write_quiz_pdf

    quiz = build_quiz([seed], QuizOptions(questions=14, version=1))
    pdf = tmp_path / "quiz.pdf"
    pages = write_quiz_pdf(quiz, pdf, answer_key_page=True)
    texts = pdf_pages(pdf)
    assert len(texts) == pages >= 2
    key_pages = [i for i, t in enumerate(texts) if "Answer key" in t]
    assert key_pages, "no answer key page"
    first_key = key_pages[0]
    questions = flat(" ".join(texts[:first_key]))
    assert "Name" in texts[0] and "Date" in texts[0]
    assert f"Answer all {len(quiz.items)} questions" in questions
    # Every question once, numbered in order, none on the key's page.
    pages_text = "\n".join(texts[:first_key])
    numbers = [int(n) for n in re.findall(r"(?m)^\s*(\d{1,3})\.\s+\S", pages_text)]
    assert numbers == list(range(1, len(quiz.items) + 1))
    key_text = flat(" ".join(texts[first_key:]))
    assert "Name" not in texts[first_key]
    for item in quiz.items:
        words = flat(item.question.prompt)[:40]
        if item.question.form is Form.TIMELINE:
            words = "Put these events in order"
        assert words in questions, words
        assert words not in key_text or item.question.form is Form.TIMELINE
    for k in answer_key(quiz):
        row = re.search(rf"(?m)^\s*{k.number}\.\s+(\S.*)$", "\n".join(texts[first_key:]))
        assert row is not None, k
        if k.letter is not None:
            assert row.group(1).startswith(k.letter.split(",")[0]), (k, row.group(1))
        else:
            assert flat(k.answer)[:20] in flat(row.group(1)) or flat(k.answer)[:20] in key_text


def test_no_question_is_split_across_pages(seed: Deck, tmp_path: Path) -> None:
    from quizapp.gui.pdf import write_quiz_pdf

    quiz = build_quiz([seed], QuizOptions(questions=20, draw=4))
    pdf = tmp_path / "quiz.pdf"
    write_quiz_pdf(quiz, pdf, answer_key_page=False)
    texts = [flat(t) for t in pdf_pages(pdf)]
    assert len(texts) >= 3
    for item in quiz.items:
        q = item.question
        head = "Put these events in order" if q.form is Form.TIMELINE else flat(q.prompt)[:40]
        tail = (q.items or q.choices or ())
        last = flat(tail[-1])[:25] if tail else "Answer:"
        start = re.compile(rf"(?<!\d){item.number}\. {re.escape(head)}")
        on = [(i, m.start()) for i, t in enumerate(texts) if (m := start.search(t))]
        assert len(on) == 1, (item.number, head)
        page, at = texts[on[0][0]], on[0][1]
        assert last in page[at:], (item.number, last)


NEW_FORMS = frozenset({Form.DATE_EVENT, Form.NUMBER_MEANING, Form.SPEAKER_POSITION,
                       Form.TRUE_FALSE})


def test_printed_quiz_shows_every_new_form_with_a_right_key(seed: Deck, tmp_path: Path) -> None:
    from quizapp.gui.pdf import write_quiz_pdf

    assert GROUP_FORMS[FormGroup.CHOICE] >= NEW_FORMS
    quiz = build_quiz([seed], QuizOptions(questions=40, forms=NEW_FORMS))
    assert {i.question.form for i in quiz.items} == NEW_FORMS
    key = {k.number: k for k in answer_key(quiz)}
    facts = {f.id: f for f in seed.facts}
    for item in quiz.items:
        q, k = item.question, key[item.number]
        assert q.choices is not None and k.letter is not None
        assert q.choices[ord(k.letter) - ord("A")] == q.answers[0] == k.answer
        fact = facts[q.fact_id]
        if q.form is Form.TRUE_FALSE:
            assert q.choices == ("True", "False")  # the same order on every paper
            assert q.claimed is not None and q.actual is not None
            true = q.claimed == q.actual or q.claimed == fact.text
            assert k.answer == ("True" if true else "False"), q.prompt
            # A false statement's key says what the article gives instead.
            assert (k.why == "") if true else (q.actual in k.why and q.claimed in k.why)
        elif q.form is Form.DATE_EVENT:
            assert fact.kind.value == "date" and contains_phrase(q.prompt, fact.text)
        elif q.form is Form.NUMBER_MEANING:
            assert fact.kind.value == "number" and contains_phrase(q.prompt, fact.text)
            assert contains_phrase(k.answer, fact.counts or "")
        else:
            assert fact.kind.value == "quote" and fact.speaker is not None
            assert fact.speaker in q.prompt
            assert flat(k.answer).lower().rstrip(".") in flat(fact.text).lower()
    pdf = tmp_path / "quiz.pdf"
    write_quiz_pdf(quiz, pdf, answer_key_page=True)
    texts = pdf_pages(pdf)
    first_key = next(i for i, t in enumerate(texts) if "Answer key" in t)
    paper = flat(" ".join(texts[:first_key]))
    key_lines = "\n".join(texts[first_key:])
    assert "circle the letter" in paper
    for item in quiz.items:
        q = item.question
        assert flat(q.prompt)[:40] in paper, q.prompt
        for i, choice in enumerate(q.choices or ()):
            assert f"{letter(i)} {flat(choice)[:25]}" in paper, choice
        k = key[item.number]
        row = re.search(rf"(?m)^\s*{k.number}\.\s+(\S.*)$", key_lines)
        assert row is not None, k
        assert row.group(1).split()[:2] == [k.letter, k.answer.split()[0]], row.group(1)
        if k.why:
            assert flat(k.why)[1:30] in flat(" ".join(texts[first_key:])), k.why


def test_mixed_quizzes_use_the_new_forms(seed: Deck) -> None:
    seen: set[Form] = set()
    for draw in range(1, 21):
        quiz = build_quiz([seed], QuizOptions(questions=20, draw=draw))
        seen |= {i.question.form for i in quiz.items}
    assert seen >= NEW_FORMS


def test_two_seeds_print_the_same_questions_in_another_order(seed: Deck,
                                                             tmp_path: Path) -> None:
    from quizapp.gui.pdf import write_quiz_pdf

    orders = []
    for version in (1, 2):
        quiz = build_quiz([seed], QuizOptions(questions=10, version=version))
        pdf = tmp_path / f"v{version}.pdf"
        write_quiz_pdf(quiz, pdf, answer_key_page=True)
        text = flat(" ".join(t for t in pdf_pages(pdf) if "Answer key" not in t))
        heads = {i.question.fact_id: flat(i.question.prompt)[:40] for i in quiz.items
                 if i.question.form is not Form.TIMELINE}
        positions = {fid: text.index(h) for fid, h in heads.items()}
        orders.append(sorted(positions, key=positions.__getitem__))
    assert set(orders[0]) == set(orders[1])
    assert orders[0] != orders[1]


def test_printed_pages_render(seed: Deck, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from quizapp.gui.pdf import write_quiz_pdf

    quiz = build_quiz([seed], QuizOptions(questions=16))
    pdf = tmp_path / "quiz.pdf"
    pages = write_quiz_pdf(quiz, pdf, answer_key_page=True, paper="letter")
    subprocess.run([poppler("pdftoppm"), "-png", "-r", "40", str(pdf), str(tmp_path / "p")],
                   check=True)
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == pages >= 3
    for png in pngs:
        image = QImage(str(png))
        assert not image.isNull() and image.width() > 200 and image.height() > 200
        dark = sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
                   if image.pixelColor(x, y).lightness() < 128)
        assert dark > 100, f"{png.name} looks blank"


# ---------------------------------------------------------------- command line


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from quizapp.cli.quiz import register

    parser = argparse.ArgumentParser(prog="quizapp")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    status = args.func(args)
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_prints_a_quiz(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "quiz.pdf"
    status, out, err = run_cli(["quiz", "seed", "--questions", "8", "--seed", "3", "--pdf",
                                str(pdf), "--answer-key", "--json"], capsys)
    assert status == 0, err
    data = json.loads(out)
    assert len(data["questions"]) == 8 and data["version"] == 3
    texts = pdf_pages(pdf)
    assert "Answer key" in texts[-1]
    # Written with the user's usual mode, so that a print server can read it.
    old_mask = os.umask(0o022)
    try:
        pdf.unlink()
        status, _, err = run_cli(["quiz", "seed", "--questions", "8", "--pdf", str(pdf)],
                                 capsys)
    finally:
        os.umask(old_mask)
    assert status == 0, err
    assert pdf.stat().st_mode & 0o777 == 0o644
    status, _, err = run_cli(["quiz", str(seed_deck_path()), "--questions", "100"], capsys)
    assert status == 2 and err.startswith("quizapp: questions: only")
    status, _, err = run_cli(["quiz", "seed", "--forms", "choice,guess"], capsys)
    assert status == 2 and "guess" in err and "Traceback" not in err
    status, _, err = run_cli(["quiz", "no-such-deck"], capsys)
    assert status == 2 and "no-such-deck" in err
    status, _, err = run_cli(["quiz", "seed", "--pdf", str(tmp_path / "nope" / "q.pdf")], capsys)
    assert status == 2 and err.count("\n") == 1


# ---------------------------------------------------------------- practice tests


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    c = Collection.open(f"sqlite:///{tmp_path / 'q.sqlite3'}")
    pid = c.profile().id
    assert pid is not None
    update_profile_settings(c, pid, timezone="UTC", fuzz=False, new_per_day=12)
    yield c
    c.close()


def make_reviews(col: Collection, profile_id: int) -> set[int]:
    """Bring the first new recognise cards to Review state; return their card ids."""
    session = StudySession(col, profile_id, deck_id=1)
    now = T0
    for _ in range(80):
        q = session.next_question(now)
        if q is None:
            now += timedelta(minutes=11)
            q = session.next_question(now)
            if q is None:
                break
        session.answer(q, answer(q, True), now, 4000)
        now += timedelta(seconds=5)
    session.close(now)
    with col.session() as s:
        return {c.id for c in s.exec(select(CardRow).where(CardRow.state == 2)) if c.id}


def review_and_new_draw(col: Collection, profile_id: int, reviews: set[int],
                        options: QuizOptions) -> int:
    """A draw whose test asks at least one card in review and one new card."""
    from quizapp.quiz import load_quiz_decks, profile_cards

    decks = load_quiz_decks(col, [1])
    cards = profile_cards(col, profile_id, decks)
    for draw in range(1, 200):
        quiz = build_quiz(decks, QuizOptions(questions=options.questions, forms=options.forms,
                                             draw=draw), cards=cards)
        ids = {int(i.question.card_id) for i in quiz.items}
        if ids & reviews and ids - reviews:
            return draw
    raise AssertionError("no draw mixes review and new cards")


def test_practice_test_logs_kind_test_and_spares_new_cards(col: Collection) -> None:
    pid = col.profile().id
    assert pid is not None
    reviews = make_reviews(col, pid)
    assert reviews
    opts = QuizOptions(questions=8, forms=GROUP_FORMS[FormGroup.CHOICE])
    draw = review_and_new_draw(col, pid, reviews, opts)
    start = T0 + timedelta(days=3)
    test = PracticeTest(col, pid, TestSettings((1,), QuizOptions(
        questions=8, forms=opts.forms, draw=draw), TestStyle.EXAM, 600), start)
    with col.session() as s:
        before = {c.id: CardState.of(c) for c in s.exec(select(CardRow))}
    rights = []
    for i, q in enumerate(test.questions):
        right = i % 3 != 1
        rights.append(right)
        result = test.answer(i, answer(q, right), start + timedelta(seconds=20 * (i + 1)), 9000)
        assert result.kind == "test" and result.correct is right
        with col.session() as s:  # committed before anything else happens
            assert s.get(ReviewRow, result.review_id) is not None
    report = test.finish(start + timedelta(minutes=4))
    assert (report.correct, report.total, report.answered) == (sum(rights), 8, 8)
    assert report.seconds == 240
    with col.session() as s:
        rows = list(s.exec(select(ReviewRow).where(ReviewRow.kind == "test")))
        after = {c.id: CardState.of(c) for c in s.exec(select(CardRow))}
        session = s.get(StudySessionRow, report.session_id)
    assert len(rows) == 8 and {r.session_id for r in rows} == {report.session_id}
    assert session is not None and (session.answered, session.correct) == (8, sum(rights))
    asked = {int(q.card_id) for q in test.questions}
    for cid in asked & reviews:
        assert after[cid] != before[cid]  # FSRS moved the review card
        assert after[cid].reps == before[cid].reps + 1
    for cid in asked - reviews:
        assert after[cid] == before[cid]
        assert after[cid].state == CardStateKind.NEW or before[cid].state != 0
    for cid in set(after) - asked:
        assert after[cid] == before[cid]
    history = practice_test_history(col, pid)
    assert len(history) == 1
    assert (history[0].answered, history[0].correct) == (8, sum(rights))
    assert history[0].seconds == 240
    assert history[0].decks == ("Russian peacekeepers leave Nagorno-Karabakh",)


def test_time_limit_and_overrule_and_review_round(col: Collection) -> None:
    pid = col.profile().id
    assert pid is not None
    settings = TestSettings((1,), QuizOptions(questions=6, forms=forms_of_groups(["typed"]),
                                              draw=5), TestStyle.PRACTICE, 60)
    test = PracticeTest(col, pid, settings, T0)
    q0 = test.questions[0]
    wrong = test.answer(0, "zzz not it", T0 + timedelta(seconds=10), 5000)
    assert not wrong.correct
    test.answer(1, answer(test.questions[1], True), T0 + timedelta(seconds=20), 5000)
    with pytest.raises(ValueError, match="time is up"):
        test.answer(2, answer(test.questions[2], True), T0 + timedelta(seconds=61), 5000)
    report = test.finish(T0 + timedelta(seconds=70), timed_out=True)
    assert report.timed_out and report.answered == 2 and report.correct == 1
    assert report.seconds == 60
    assert [i.verdict for i in report.items][2:] == ["unanswered"] * 4
    # "I was right" on the typed answer: the score follows.
    test.overrule(0, T0 + timedelta(seconds=80))
    assert test.report is not None and test.report.correct == 2
    assert practice_test_history(col, pid)[0].correct == 2
    # The mistakes, asked again at once, are study answers in their own session.
    rnd = test.review_round(T0 + timedelta(seconds=90))
    assert [q.card_id for q in rnd.questions] == [q.card_id for q in test.questions[2:]]
    assert all(q.card_id != q0.card_id for q in rnd.questions)
    result = rnd.answer(0, answer(rnd.questions[0], True), T0 + timedelta(seconds=95), 4000)
    assert result.kind == "study"
    rnd.close(T0 + timedelta(seconds=100))
    history = practice_test_history(col, pid)
    assert len(history) == 1 and history[0].correct == 2


def test_a_printed_quiz_changes_nothing(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    with Collection.open() as home:  # the collection the command line uses
        pid = home.profile().id
        assert pid is not None
        make_reviews(home, pid)
        with home.session() as s:
            reviews = len(list(s.exec(select(ReviewRow))))
            cards = {c.id: CardState.of(c) for c in s.exec(select(CardRow))}
    status, _, err = run_cli(["quiz", "seed", "--questions", "5", "--pdf",
                              str(tmp_path / "q.pdf")], capsys)
    assert status == 0, err
    with Collection.open() as home, home.session() as s:
        assert len(list(s.exec(select(ReviewRow)))) == reviews > 0
        assert {c.id: CardState.of(c) for c in s.exec(select(CardRow))} == cards


# ---------------------------------------------------------------- printed fidelity

_DEAL = ("The deal was worth 23 billion US dollars. About 400 workers built the plant. "
         "The plant covers 12 hectares. It cost 90 million euros to run.")


def _deal_deck() -> Deck:
    from quizapp.facts.deckfile import parse_deck_text

    facts = [("n-deal", "23 billion US dollars", 23e9, "USD", "How much was the deal worth?"),
             ("n-workers", "400", 400.0, None, "How many workers built the plant?"),
             ("n-area", "12 hectares", 12.0, "hectares", "How large is the plant?"),
             ("n-cost", "90 million euros", 9e7, "EUR", "How much did it cost to run the plant?")]
    toml = (f'format = 1\nid = "deal"\nname = "Deal"\n[[sources]]\nid = "a"\n'
            f'title = "Deal"\ntext = """{_DEAL}"""\n')
    for fid, text, value, unit, stem in facts:
        start = _DEAL.index(text)
        toml += (f'[[facts]]\nid = "{fid}"\nkind = "number"\nsource = "a"\ntext = "{text}"\n'
                 f"start = {start}\nend = {start + len(text)}\nvalue = {value!r}\n"
                 + (f'unit = "{unit}"\n' if unit else "")
                 + f'stem = "{stem}"\ncounts = "{fid[2:]}"\n')
    return parse_deck_text(toml, Path("deal.toml"))


def test_the_key_writes_other_right_answers_as_people_do(tmp_path: Path) -> None:
    from quizapp.gui.pdf import write_quiz_pdf

    quiz = build_quiz([_deal_deck()], QuizOptions(questions=2,
                                                  forms=forms_of_groups(["cloze"])))
    also = {k.answer: k.also for k in answer_key(quiz)}
    assert also == {"23 billion US dollars": ("$23 billion",),
                    "90 million euros": ("\u20ac90 million",)}
    pdf = tmp_path / "deal.pdf"
    write_quiz_pdf(quiz, pdf, answer_key_page=True)
    key = flat(" ".join(pdf_pages(pdf)))
    assert "Also right: $23 billion" in key
    assert "23000000000" not in key and "90000000" not in key
    # The seed deck's "$7.3 billion" has no second line: its other form is the same.
    seed_quiz = build_quiz([load_deck_file(seed_deck_path())],
                           QuizOptions(questions=27, forms=forms_of_groups(["typed", "cloze"])))
    for k in answer_key(seed_quiz):
        assert not any(re.search(r"\d{5,}", a) for a in k.also), k


def test_a_printed_quiz_prints_a_long_quotation_whole(seed: Deck, tmp_path: Path) -> None:
    import dataclasses

    from quizapp.gui.pdf import write_quiz_pdf

    facts = tuple(
        dataclasses.replace(f, text=f.text.replace(". ", "; ")) if f.id == "q-karasin" else f
        for f in seed.facts
    )
    deck = dataclasses.replace(seed, facts=facts)
    words = next(f.text for f in facts if f.id == "q-karasin").rstrip(".")
    quiz = build_quiz([deck], QuizOptions(questions=8, forms=GROUP_FORMS[FormGroup.CHOICE],
                                          draw=2))
    item = next((i for i in quiz.items if i.question.fact_id == "q-karasin"), None)
    assert item is not None
    assert words in item.question.prompt
    for i in quiz.items:
        for text in (i.question.prompt, *(i.question.choices or ())):
            assert "\u2026" not in text.replace("[\u2026]", ""), text
    pdf = tmp_path / "long.pdf"
    write_quiz_pdf(quiz, pdf, answer_key_page=True)
    assert flat(words) in flat(" ".join(pdf_pages(pdf)))


def test_a_printed_quiz_asks_what_a_short_answer_confirmed(tmp_path: Path) -> None:
    from quizapp.gui.pdf import write_quiz_pdf
    from tests.test_confirmations import STATEMENTS, make_deck, quote_at

    text = (STATEMENTS + "Asked whether the grain corridor would reopen in May, Hikmet "
            "Hajiyev said: \u201cYes this is true\u201d.")
    deck = make_deck(text, [quote_at(text, "q-yes", "Yes this is true", "Hikmet Hajiyev")])
    quiz = build_quiz([deck], QuizOptions(questions=1, forms=frozenset({Form.CONFIRMATION})))
    assert [i.question.form for i in quiz.items] == [Form.CONFIRMATION]
    item = quiz.items[0]
    k = next(k for k in answer_key(quiz) if k.number == item.number)
    q = item.question
    assert k.answer == "The grain corridor would reopen in May" == q.answers[0]
    assert q.choices is not None and k.letter is not None
    assert q.choices[ord(k.letter) - ord("A")] == k.answer
    pdf = tmp_path / "quiz.pdf"
    write_quiz_pdf(quiz, pdf, answer_key_page=True)
    texts = pdf_pages(pdf)
    first_key = next(i for i, t in enumerate(texts) if "Answer key" in t)
    paper = flat(" ".join(texts[:first_key])).replace("\ufb00", "ff")
    assert "What did Hikmet Hajiyev confirm when saying \u201cYes this is true\u201d?" in paper
    for i, choice in enumerate(q.choices):
        assert f"{letter(i)} {flat(choice)[:30]}" in paper
    row = re.search(rf"(?m)^\s*{k.number}\.\s+(\S.*)$", "\n".join(texts[first_key:]))
    assert row is not None and row.group(1).split()[:2] == [k.letter, "The"]
