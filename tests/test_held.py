"""Facts held back from study: no question form, or pending a teacher's check.

Real databases (SQLite files, and the PostgreSQL server when given), the real
question builder and the real article extractor: a held fact gets no card, is
counted nowhere, is never asked, and comes back into study (with its cards)
when a teacher's edit or acceptance makes it askable; the database itself
refuses a held fact that is not out of study.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from quizapp.assets import seed_deck_path
from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck, Fact
from quizapp.importers.article import load_article
from quizapp.services.collection import Collection
from quizapp.services.counts import deck_counts, study_counts
from quizapp.services.held import accept_pending, held_counts, held_facts, reject_pending
from quizapp.services.profiles import create_profile, update_profile_settings
from quizapp.study import StudySession

pytestmark = pytest.mark.both_backends

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]
TAXES = ROOT / "tests" / "extraction_eval" / "articles" / "taxes.txt"
NO_FORM = {"q-peskov", "q-moscow-accuses", "q-armenia-position", "q-pashinyan-clarified"}


@pytest.fixture
def url(db_url: str, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'q.sqlite3'}" if db_url.startswith("sqlite") else db_url


def _cards(col: Collection, deck_key: str) -> dict[str, int]:
    """Fact key → how many cards it has (every profile)."""
    with col.session() as s:
        rows = s.execute(text(
            "SELECT f.key, count(c.id) FROM fact f JOIN deck d ON d.id = f.deck_id "
            "LEFT JOIN card c ON c.fact_id = f.id WHERE d.key = :k GROUP BY f.key"),
            {"k": deck_key}).all()
    return {k: int(n) for k, n in rows}


def _deck_id(col: Collection, key: str) -> int:
    with col.session() as s:
        return int(s.execute(text("SELECT id FROM deck WHERE key = :k"), {"k": key}).scalar_one())


def _seed() -> Deck:
    return load_deck_file(seed_deck_path())


def _asked(col: Collection, pid: int, deck_id: int) -> set[str]:
    """Every fact a sitting asks today with an unlimited new limit, answered right."""
    update_profile_settings(col, pid, new_per_day=1000)
    session = StudySession(col, pid, deck_id=deck_id, seed=5)
    asked: set[str] = set()
    now = T0
    while (q := session.next_question(now)) is not None and len(asked) < 100:
        asked.add(q.fact_id)
        session.answer(q, q.answers[0] if q.form.value != "timeline"
                       else q.answers[0].split(" | "), now, 1000)
    session.close(now)
    return asked


def test_facts_no_question_can_ask_get_no_card_and_no_count(url: str) -> None:
    with Collection.open(url, first_start=False) as col:
        col.import_deck(_seed())
        profile = create_profile(col, "P", T0)
        update_profile_settings(col, profile.id, timezone="UTC", new_per_day=1000)
        deck_id = _deck_id(col, "seed")
        cards = _cards(col, "seed")
        assert {k for k, n in cards.items() if n == 0} == NO_FORM
        assert len(cards) == 40
        listed = next(d for d in deck_counts(col, profile.id, T0) if d.deck_id == deck_id)
        assert (listed.new, listed.total, listed.new_today) == (36, 36, 36)
        assert study_counts(col, profile.id, deck_id, T0).new_left == 36
        held = held_facts(col, "seed")
        assert {f.id for f in held} == NO_FORM
        assert all(f.hold == "no_form" and f.reasons for f in held)
        assert held_counts(col)[deck_id].no_form == 4
        # The deck as studied leaves them out; as its teacher edits it, it has them.
        assert not NO_FORM & {f.id for f in col.load_deck("seed").facts}
        assert {f.id for f in col.load_deck("seed", include_held=True).facts} >= NO_FORM
        asked = _asked(col, profile.id, deck_id)
        assert len(asked) == 36 and not asked & NO_FORM


def test_an_edit_takes_the_verdict_again_both_ways(url: str) -> None:
    """A teacher's edit that gives a held quote content makes it studied, with its cards;
    one that empties a studied quote holds it back and takes its cards out of the counts."""
    with Collection.open(url, first_start=False) as col:
        seed = _seed()
        col.import_deck(seed)
        profile = create_profile(col, "P", T0)
        deck_id = _deck_id(col, "seed")
        karasin = next(f for f in seed.facts if f.id == "q-karasin")
        peskov = next(f for f in seed.facts if f.id == "q-peskov")
        edited = dataclasses.replace(seed, facts=tuple(
            dataclasses.replace(f, text=karasin.text, sentence=karasin.sentence,
                                start=karasin.start, end=karasin.end,
                                sentence_start=karasin.sentence_start)
            if f.id == "q-peskov" else f for f in seed.facts if f.id != "q-karasin"))
        assert peskov.text != karasin.text
        col.import_deck(edited)
        cards = _cards(col, "seed")
        assert cards["q-peskov"] == 1  # P's card: it is asked now
        assert {f.id for f in held_facts(col, "seed")} == NO_FORM - {"q-peskov"}
        listed = next(d for d in deck_counts(col, profile.id, T0) if d.deck_id == deck_id)
        assert listed.new == 36  # q-karasin left the deck, q-peskov came in
        # And back: the quote's words are gone again, so it is held, its cards kept.
        col.import_deck(dataclasses.replace(edited, facts=tuple(
            peskov if f.id == "q-peskov" else f for f in edited.facts)))
        assert _cards(col, "seed")["q-peskov"] == 1  # kept (history is never deleted) …
        listed = next(d for d in deck_counts(col, profile.id, T0) if d.deck_id == deck_id)
        assert listed.new == 35 and listed.total == 35  # … but not counted
        assert "q-peskov" in {f.id for f in held_facts(col, "seed", "no_form")}


def test_the_database_refuses_a_held_fact_that_is_studied(url: str) -> None:
    with Collection.open(url, first_start=False) as col:
        col.import_deck(_seed())
        for statement in ("UPDATE fact SET retired = FALSE WHERE key = 'q-peskov'",
                          "UPDATE fact SET hold = 'maybe' WHERE key = 'q-peskov'",
                          "UPDATE fact SET hold = 'pending' WHERE key = 'q-karasin'"):
            with pytest.raises(IntegrityError), col.transaction() as s:
                s.execute(text(statement))
        with col.transaction() as s:  # held and out of study: allowed
            s.execute(text("UPDATE fact SET hold = 'pending', retired = TRUE "
                           "WHERE key = 'q-karasin'"))


def test_pending_facts_wait_for_a_teacher(url: str) -> None:
    result = load_article(TAXES, accept_all=True)
    pending = {f.id: f for f in result.deck.facts if f.hold == "pending"}
    assert pending
    with Collection.open(url, first_start=False) as col:
        profile = create_profile(col, "P", T0)
        update_profile_settings(col, profile.id, timezone="UTC")
        col.import_deck(result.deck)
        key = result.deck.id
        deck_id = _deck_id(col, key)
        cards = _cards(col, key)
        assert all(cards[k] == 0 for k in pending)
        stored = held_facts(col, key, "pending")
        assert {f.id for f in stored} == set(pending)
        assert all(f.reasons == pending[f.id].reasons and f.reasons for f in stored)
        studied = sum(1 for n in cards.values() if n)
        listed = next(d for d in deck_counts(col, profile.id, T0) if d.deck_id == deck_id)
        assert listed.total == studied
        asked = _asked(col, profile.id, deck_id)
        assert asked and not asked & set(pending)
        # No pending fact lends a question its words (a distractor, a speaker, a date).
        study_deck = col.load_deck(key)
        assert not {f.id for f in study_deck.facts} & set(pending)

        first, second, *_ = stored
        accepted = accept_pending(col, key, first)
        assert accepted.hold in (None, "no_form")
        if accepted.hold is None:
            assert _cards(col, key)[first.id] == 1  # P's card (no first start: no Student)
        reject_pending(col, key, second.id)
        left = {f.id for f in held_facts(col, key, "pending")}
        assert left == set(pending) - {first.id, second.id}
        assert second.id not in {f.id for f in col.load_deck(key, include_held=True).facts}
        assert held_counts(col)[deck_id].pending == len(left)


class Learner:
    """Standard input and output of ``quizapp study`` for a learner who knows every note.

    It reads what the command prints and answers the last question right (a typed
    answer, or Enter then Good for a flashcard); ``terminal`` says whether it
    stands for a terminal (then it says yes to "study more today" once).
    """

    def __init__(self, terminal: bool = False) -> None:
        self.lines: list[str] = []
        self.terminal = terminal
        self.said_yes = False

    def print(self, line: str) -> None:
        self.lines.append(line)

    def isatty(self) -> bool:
        return self.terminal

    def readline(self) -> str:
        last = self.lines[-1]
        if last.endswith("[y/N]"):  # yes once, then no
            answer = "n\n" if self.said_yes else "y\n"
            self.said_yes = True
            return answer
        if last == "(Enter shows the answer)":
            return "\n"
        if last.startswith("How well did you know it?"):
            return "3\n"
        prompt = next(line for line in reversed(self.lines) if line.startswith("Note "))
        return prompt.replace("Note ", "answer ").rstrip("?") + "\n"

    def text(self) -> str:
        return "\n".join(self.lines)


def _study(argv: list[str], learner: Learner) -> int:
    from quizapp.cli import build_parser
    from quizapp.cli.study import run_study

    return run_study(build_parser().parse_args(["study", *argv]), learner, learner.print)


@pytest.mark.sqlite_only
def test_cli_study_says_what_the_daily_limit_holds_back_and_studies_more(
        capsys: pytest.CaptureFixture[str]) -> None:
    from quizapp.cli import main
    from quizapp.facts.model import FactKind

    notes = Deck(id="notes", name="Notes", facts=tuple(
        Fact(id=f"n{i}", kind=FactKind.QA, front=f"Note {i}?", back=f"answer {i}")
        for i in range(10)))
    with Collection.open() as col:
        col.import_deck(notes)
        update_profile_settings(col, col.profile().id, new_per_day=2)
    learner = Learner()
    assert _study(["notes"], learner) == 0
    asked = {line for line in learner.lines if line.startswith("Note ")}
    assert len(asked) == 2  # the day's limit
    assert ("Today's new limit holds back 8 new facts. Study 2 more today (the limit stays "
            "as it is): quizapp study notes --more 2") in learner.lines
    assert not any(line.endswith("[y/N]") for line in learner.lines)  # no terminal: no question
    # --more lets N more in, with no terminal, without changing the saved limit.
    learner = Learner()
    assert _study(["notes", "--more", "3"], learner) == 0
    assert len({line for line in learner.lines if line.startswith("Note ")}) == 3
    assert "holds back 5 new facts" in learner.text()
    # At a terminal the end of the sitting asks, and a yes studies more at once.
    learner = Learner(terminal=True)
    assert _study(["notes"], learner) == 0
    assert learner.said_yes
    assert len({line for line in learner.lines if line.startswith("Note ")}) == 2
    assert "holds back 3 new facts" in learner.text()
    assert main(["decks", "--json"]) == 0
    notes_row = next(d for d in json.loads(capsys.readouterr().out)["decks"]
                     if d["key"] == "notes")
    assert (notes_row["new"], notes_row["new_today"]) == (3, 0)  # 7 introduced; limit 2
    with Collection.open() as col:
        assert col.profile().new_per_day == 2


def test_an_edit_elsewhere_in_the_deck_keeps_held_facts_held(url: str) -> None:
    """Browse stores a whole deck for one fact's edit (through the deck loader, which
    knows nothing of holds): pending facts stay pending, facts with no form stay held,
    and Browse lists both with their state and reason."""
    from quizapp.browse import FactQuery, check_fact_edit, fact_fields, search_facts

    result = load_article(TAXES, accept_all=True)
    with Collection.open(url, first_start=False) as col:
        profile = create_profile(col, "P", T0)
        col.import_deck(result.deck)
        key = result.deck.id
        pending = {f.id for f in held_facts(col, key, "pending")}
        deck = col.load_deck(key, include_held=True)
        studied = next(f for f in deck.facts if f.hold is None)
        table = fact_fields(studied)
        edited = check_fact_edit(deck, {**table, "tags": ["checked"]}, replaces=studied.id)
        col.import_deck(edited)
        assert {f.id for f in held_facts(col, key, "pending")} == pending
        assert next(f for f in col.load_deck(key).facts if f.id == studied.id).tags == (
            "checked",)
        listed = {r.key: r for r in search_facts(col, profile.id, FactQuery(), T0)}
        assert {k for k, r in listed.items() if r.held == "pending"} == pending
        assert all(listed[k].state == "held pending" and listed[k].held_reason
                   for k in pending)

        col.import_deck(_seed())
        seed = col.load_deck("seed", include_held=True)
        fact = next(f for f in seed.facts if f.id == "d-trilateral-statement")
        col.import_deck(check_fact_edit(seed, {**fact_fields(fact), "tags": ["x"]},
                                        replaces=fact.id))
        assert {f.id for f in held_facts(col, "seed")} == NO_FORM
        listed = {r.key: r for r in search_facts(col, profile.id, FactQuery(), T0)}
        assert all(listed[k].state == "held no_form" and listed[k].held_reason
                   for k in NO_FORM)
