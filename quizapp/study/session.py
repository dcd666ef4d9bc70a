"""Study: next question → answer → one committed review row → feedback.

:class:`StudySession` is the core that the GUI, the command line and tests
drive alike, with plain values in and out and ``now`` (aware UTC) always
passed in::

    session = StudySession(collection, profile_id)
    while (question := session.next_question(now)) is not None:
        result = session.answer(question, given, now, response_ms)

**Order.** Due learning and relearning cards first, then due reviews, then new
cards in deck order, within the daily limits; a learning card due within
:data:`~quizapp.scheduling.LEARN_AHEAD` comes last, when nothing else is left.
The rules (limits, learn ahead) are stated in :mod:`quizapp.scheduling.policy`
and those of one memory per fact in :mod:`quizapp.scheduling.memory`: a card
is (profile, fact); when it is shown its family is chosen by its memory
(recognition while the stability is under 7 days, recall after), and every
answer, in either family, updates that one memory (a right multiple-choice
answer guess-corrected; Again or Good only). A leech (8 lapses) is asked in
another form than the one last missed, with its evidence shown first; it is
never suspended automatically.

**Durability.** Every answer, overrule, undo, bury, suspend and report is one
transaction, committed (SQLite WAL with ``synchronous=FULL``, so the commit is
on disk) before the method returns its result. A review row holds the card,
time, study day, form, prompt, the choices shown (JSON), the given answer,
right or not, the verdict, response time, rating, the card's state before and
after (JSON, :class:`~quizapp.scheduling.CardState`) and the kind. The log is
never edited: undo and overrule append rows that cancel earlier ones (see
:mod:`quizapp.storage.reviews`). The writes are those of
:mod:`quizapp.storage.writer`.

**Speed.** Each queue (learning, review, new) is read with a statement
compiled once: a ``LIMIT``-ed range scan of the ``ix_card_due`` index
(profile, suspended, state, due). On an SQLite file the session keeps the
head of every queue in memory, as Anki does: it serves questions from there,
puts its own answers in (the answered card leaves, a learning card comes back
at its due time), fetches again when a
queue runs short, and drops it all when the study day changes or anything
else wrote to the database (``PRAGMA data_version`` on the connection the
session holds; its own undo, overrule, bury, suspend and report drop it
too). Elsewhere (PostgreSQL) the queues are read afresh for every question.
The order is exactly that of one ``UNION ALL`` of the queues ordered by
(queue, due, id); ``tests/test_study_queue.py`` compares the two. Daily
counts are read from the log once per study day and then kept in memory. An
answer writes the card and the review with plain SQL on the driver's
connection, in one transaction (:class:`quizapp.storage.writer.AnswerWriter`;
on an SQLite file one writer, with its prepared statements, serves the whole
sitting). It is scheduled from the card as the queue read it when its
question was built, without reading the card again: the card's update names
those values and must change the row; when another writer changed the card
since, the card is read under the write lock and the answer scheduled from
what it is now (a question answered elsewhere in between is refused). The sitting's
study-session row is inserted with its first answer; its totals (answered,
right) are kept in memory and written with an undo or overrule and by
:meth:`StudySession.close`, not with each answer. A sitting the app never
ended (it was killed) is counted from its review rows and ended at its last
answer when the profile's next sitting begins.
Neither grows with the number of cards.
"""

from __future__ import annotations

import json
import random
import weakref
from bisect import insort
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from quizapp.facts.model import DeckOptions, Fact
from quizapp.questions.generate import ALL_FORMS, QuestionBuilder, stable_hash
from quizapp.questions.grading import grade, grade_flashcard
from quizapp.questions.mix import Kind, kind_of, prefer_kinds
from quizapp.questions.model import FAMILY_OF_FORM, Family, Form, Grade, Question
from quizapp.questions.related import gives_away, related_facts
from quizapp.scheduling import (
    LEARN_AHEAD,
    CardState,
    CardStateKind,
    Rating,
    StudySettings,
    day_start,
    memory,
    settings_from,
    study_day,
)
from quizapp.services.collection import Collection
from quizapp.storage import repository as repo
from quizapp.storage import reviewlog, writer
from quizapp.storage import study as db
from quizapp.storage.reviews import KIND_STUDY, KIND_TEST
from quizapp.storage.study import SittingDb
from quizapp.study.actions import CardActions, _card_key, _reported_forms
from quizapp.study.queue import (
    _BATCH,
    _KEPT_BATCH,
    _LAST_ID,
    _LEARN_HORIZON,
    _Q_LEARN_AHEAD,
    _Q_LEARNING,
    _Q_NEW,
    _Q_PREFERRED,
    _Q_REVIEW,
    _Candidate,
    _candidate,
    _DayCounts,
    _Part,
    _Row,
)
from quizapp.study.results import ReviewResult, StaleQuestionError, UndoResult

__all__ = ["ReviewResult", "StaleQuestionError", "StudySession", "UndoResult"]

_ORDER_SEPARATOR = " | "
_FORM_VALUES = frozenset(f.value for f in Form)
_ANSWERED = -1  # in StudySession._shown: the question was answered


@dataclass(frozen=True, slots=True)
class _DeckTools:
    builder: QuestionBuilder
    options: DeckOptions
    names: tuple[str, ...]
    related: dict[str, set[str]]  # fact key -> facts whose questions may give it away




class StudySession(CardActions):
    """One sitting of study for one profile (optionally one deck).

    Not thread-safe: use one session per thread. On an SQLite file the session
    holds one connection (released by :meth:`close`, when the session is
    dropped, or when the collection closes).
    """

    def __init__(self, collection: Collection, profile_id: int | None = None, *,
                 deck_id: int | None = None, seed: int = 0) -> None:
        self._col = collection
        self._deck_id = deck_id
        self._seed = seed
        with collection.session() as s:
            profile = db.load_profile(s, profile_id)
            assert profile.id is not None
            self.profile_id: int = profile.id
            self.profile_name: str = profile.name
            self._settings = settings_from(profile)
            self._deck_settings = {
                o.deck_id: settings_from(profile, o)
                for o in db.deck_overrides(s, self.profile_id)
            }
            unfinished = writer.open_session_ids(s, self.profile_id)
        # Sittings of this profile that never ended (the app was killed): counted from
        # their reviews and ended at their last answer (see writer.end_unfinished_sessions);
        # a write transaction only when there is one.
        if unfinished:
            with writer.writing(collection) as w:
                w.end_unfinished_sessions(self.profile_id)
        self._decks: dict[int, _DeckTools] = {}
        self._no_form: set[int] = set()  # cards with no question form (skipped)
        self._shown: dict[int, tuple[int, int]] = {}  # card id -> (reps when built, deck id)
        # card id -> the card as read when its question was built (its answer is
        # scheduled from it when the card's row is still exactly so)
        self._held: dict[int, _Candidate] = {}
        self._last_form: dict[int, Form] = {}  # card id -> form of its last answer this sitting
        self._asked_kinds: list[Kind] = []  # the kind of each question served this sitting
        self._asked_facts: dict[int, set[str]] = {}  # deck id -> fact keys served this sitting
        self._kinds: dict[int, Kind] = {}  # fact row id -> the kind of its questions
        self._history: list[int] = []  # review ids answered in this session (undo stack)
        self._preferred: int | None = None
        self._counts: _DayCounts | None = None
        self._extra_new: dict[tuple[int, int], int] = {}  # (study day, deck id) -> more new
        self._session_row_id: int | None = None
        # The sitting's totals (answered, right), written with its undo and overrule and
        # when it ends; whether its row was ended (an answer after that opens it again).
        self._totals: tuple[int, int] = (0, 0)
        self._row_ended = False
        # The queue kept in memory (SQLite files) and the connection it is read on.
        self._link = db.SittingConnection(collection, db.keeps_queue(collection.engine), self,
                                          StudySession._held_anew)
        self._keep = self._link.keep
        self._parts: dict[int, _Part] = {}
        self._queue_day: int | None = None
        self._data_version: Any = None
        self._day_ends: dict[int, datetime] = {}

    # ------------------------------------------------------------------ settings

    @property
    def settings(self) -> StudySettings:
        """The profile's settings (decks may override retention and limits)."""
        return self._settings

    def settings_for(self, deck_id: int) -> StudySettings:
        """The settings that apply to one deck."""
        return self._deck_settings.get(deck_id, self._settings)

    def study_day(self, now: datetime) -> int:
        """The learner's study day at ``now``."""
        return study_day(now, self._settings.rollover_hour, self._settings.timezone)

    def study_more_today(self, deck_id: int, count: int, day: int) -> None:
        """Let ``count`` more new facts of a deck be introduced on study day ``day``.

        On top of the deck's saved new-per-day limit, which is not changed:
        nothing is written, and the allowance lasts as long as whoever keeps
        it (the desktop app keeps it until it is closed; another study day
        does not see it).
        """
        if count <= 0:
            return
        key = (day, deck_id)
        self._extra_new[key] = self._extra_new.get(key, 0) + count
        self._drop_queue()  # the new queue was read under the old limit

    def more_today(self, deck_id: int, day: int) -> int:
        """The new facts allowed on study day ``day`` beyond the deck's saved limit."""
        return self._extra_new.get((day, deck_id), 0)

    # ------------------------------------------------------------------ questions

    def next_question(self, now: datetime) -> Question | None:
        """The next question to ask, or None when nothing is left for now."""
        today = self.study_day(now)
        while True:
            candidates = self._candidates(now, today)
            if self._preferred is not None and all(
                    c.card_id != self._preferred for c in candidates):
                self._preferred = None  # no longer eligible (e.g. suspended since)
            if not candidates:
                return None
            for cand in self._in_mix_order(candidates):
                question = self._build(cand)
                if question is not None:
                    if cand.card_id == self._preferred:
                        self._preferred = None
                    self._shown[cand.card_id] = (cand.reps, cand.deck_id)
                    self._held[cand.card_id] = cand
                    self._asked_kinds.append(self._kind(cand))
                    self._asked_facts.setdefault(cand.deck_id, set()).add(cand.fact_key)
                    return question
                self._add_no_form(cand.card_id)
                if cand.card_id == self._preferred:
                    self._preferred = None

    def _kind(self, cand: _Candidate) -> Kind:
        kind = self._kinds.get(cand.fact_row_id)
        if kind is None:
            fact = self._tools(cand.deck_id).builder.index.facts.get(cand.fact_key)
            # Q/A facts load lazily (a deck of notes is not read whole): a note is a note.
            kind = kind_of(fact.kind) if fact is not None else Kind.NOTE
            self._kinds[cand.fact_row_id] = kind
        return kind

    def _in_mix_order(self, candidates: list[_Candidate]) -> Iterator[_Candidate]:
        """``candidates`` with the sitting's preferences applied inside each queue.

        A preference, never a rule: every candidate is kept and no card moves
        ahead of another queue (a due review still comes before new cards).
        Within a queue, a card whose fact is related to one asked earlier in the
        sitting (a shared evidence sentence, or a question that shows its answer)
        goes behind the others, and then the kinds of question are mixed so that
        no kind passes 40% of the sitting when another due card would avoid it.
        A queue is put in order only when the sitting reaches it (the first
        candidate usually gives the question).
        """
        kinds = self._kinds
        first = candidates[0]
        one_kind = kinds.get(first.fact_row_id) or self._kind(first)
        if (all((kinds.get(c.fact_row_id) or self._kind(c)) is one_kind for c in candidates)
                and not any(self._tools(d).related for d in {c.deck_id for c in candidates})):
            yield from candidates  # one kind, no related facts (a deck of notes): as they come
            return
        start = 0
        while start < len(candidates):
            end = start
            while end < len(candidates) and candidates[end].queue == candidates[start].queue:
                end += 1
            group = candidates[start:end]
            if candidates[start].queue != _Q_PREFERRED and len(group) > 1:
                group = self._preferred_order(group)
            yield from group
            start = end

    def _preferred_order(self, group: list[_Candidate]) -> list[_Candidate]:
        fresh: list[_Candidate] = []
        given: list[_Candidate] = []
        for c in group:
            related = self._tools(c.deck_id).related
            asked = self._asked_facts.get(c.deck_id)
            if related and asked and gives_away(c.fact_key, asked, related):
                given.append(c)
            else:
                fresh.append(c)
        if len({self._kind(c) for c in group}) == 1:  # one kind: nothing to mix
            return fresh + given
        return (prefer_kinds(fresh, self._kind, self._asked_kinds)
                + prefer_kinds(given, self._kind, self._asked_kinds))

    def build_question(self, card_id: int | str, now: datetime,
                       form: Form | None = None) -> Question | None:
        """A question for any card of this profile, ignoring study state (practice tests)."""
        del now  # questions do not depend on the time; kept for a uniform API
        with self._col.session() as s:
            card = self._card(db.find_card(s, _card_key(card_id)), card_id)
            fact_key = db.fact_key(s, card.fact_id)
            st = card.state
            cand = _Candidate(card.id, card.deck_id, card.fact_id, fact_key, card.family,
                              card.reps, card.reported_forms, _Q_NEW, st.state, st.stability,
                              st.lapses, st.step, st.difficulty, st.last_review,
                              st.last_shown_day, st.due, True)
        self._tools(card.deck_id)
        question = self._build(cand, form)
        if question is not None:
            self._shown[card.id] = (card.reps, card.deck_id)
            self._held[card.id] = cand
        return question

    def _tools(self, deck_id: int) -> _DeckTools:
        """A deck's question builder (loaded once per session)."""
        tools = self._decks.get(deck_id)
        if tools is None:
            # Q/A facts are left out and fetched as their cards come up (a deck of
            # tens of thousands of notes is not read whole for its first question).
            with self._col.session() as s:
                deck = db.load_deck(s, deck_id)
            me = weakref.ref(self)  # no cycle: a dropped session still frees its connection

            def fetch(key: str) -> Fact | None:
                session = me()
                return session._fetch_fact(deck_id, key) if session is not None else None

            builder = QuestionBuilder(deck, fetch=fetch, forms=ALL_FORMS)
            tools = _DeckTools(builder, deck.options, builder.known_names(),
                               {k: v for k, v in related_facts(deck).items() if v})
            self._decks[deck_id] = tools
        return tools

    def _fetch_fact(self, deck_id: int, key: str) -> Fact | None:
        """A fact of a deck not held yet, fetched with the others of the kept queue's cards."""
        tools = self._decks.get(deck_id)
        held = tools.builder.index.facts if tools is not None else {}
        keys = {key} | {row.fact_key for part in self._parts.values() for row in part.rows
                        if row.deck_id == deck_id and row.fact_key not in held}
        found = None
        with self._col.session() as s:
            for fact in db.load_facts(s, deck_id, keys):
                if fact.id == key:
                    found = fact
                elif tools is not None:
                    held[fact.id] = fact
        return found

    def _deck_of(self, card_id: str) -> _DeckTools:
        """The deck tools for a question's card (no query when this session built it)."""
        shown = self._shown.get(_card_key(card_id))
        if shown is not None:
            return self._tools(shown[1])
        with self._col.session() as s:
            deck_id = self._card(db.find_card(s, _card_key(card_id)), card_id).deck_id
        return self._tools(deck_id)

    def _build(self, cand: _Candidate, form: Form | None = None) -> Question | None:
        """The question for a card: its family chosen by its memory, then a form of it.

        The family is :func:`quizapp.scheduling.memory.choose_presentation`'s
        (recognition while the memory is young, recall from a stability of
        ``RECALL_FROM_STABILITY_DAYS``; recall at once when no recognise form
        is left for the fact), the other family when the chosen one has no
        form left. A leech (8 lapses) is asked in another form than the one it
        was last missed in when there is one, and its question carries
        ``leech`` (the screens show its evidence first and flag it).
        """
        exclude = frozenset(Form(f) for f in _reported_forms(cand.reported_forms)
                            if f in _FORM_VALUES)
        rng = random.Random(stable_hash(self._seed, cand.card_id, cand.reps))
        builder = self._tools(cand.deck_id).builder
        if form is not None:
            return builder.build(str(cand.card_id), cand.fact_key, FAMILY_OF_FORM[form], rng,
                                 form=form, exclude=exclude)
        can_recognise = any(f not in exclude
                            for f in builder.forms_for(cand.fact_key, Family.RECOGNISE))
        state = CardState(state=cand.state, stability=cand.stability, lapses=cand.lapses)
        shown = memory.choose_presentation(state, can_recognise=can_recognise)
        first = Family(shown.family.value)
        question = None
        if shown.other_form:
            missed = self._last_missed_form(cand.card_id)
            if missed is not None:
                question = builder.build(str(cand.card_id), cand.fact_key, first, rng,
                                         exclude=exclude | {missed})
        last = self._last_form.get(cand.card_id)
        if question is None and last is not None:
            # Back within minutes (a learning card): another form of the family when
            # there is one, so that the answer just seen is not simply repeated;
            # true or false (two choices) only when no other form is left.
            for avoid in ({last, Form.TRUE_FALSE}, {last}):
                question = builder.build(str(cand.card_id), cand.fact_key, first, rng,
                                         exclude=exclude | avoid)
                if question is not None:
                    break
        for family in (first, *(f for f in Family if f is not first)):
            if question is not None:
                break
            question = builder.build(str(cand.card_id), cand.fact_key, family, rng,
                                     exclude=exclude)
        if question is not None and shown.needs_another_way_in:
            question = replace(question, leech=True)
        return question

    def _last_missed_form(self, card_id: int) -> Form | None:
        """The form the card's latest wrong answer was asked in (None: none, or unknown)."""
        with self._db() as conn:
            form = reviewlog.last_wrong_form(conn, self.profile_id, card_id)
        return Form(form) if form in _FORM_VALUES else None

    # ------------------------------------------------------------------ the queue

    def _candidates(self, now: datetime, today: int) -> list[_Candidate]:
        """The first few eligible cards of every queue, in serving order.

        Ordered by (queue, due, id): the preferred card, learning cards due
        now, reviews, new cards, then learning cards due within LEARN_AHEAD;
        at most :data:`_BATCH` of each queue. On an SQLite file the queues are
        kept in memory between questions (fetched :data:`_KEPT_BATCH` at a
        time, updated on this session's own answers, dropped when anything
        else wrote to the database or the study day changed); elsewhere they
        are fetched afresh on every call.
        """
        with self._db() as conn:
            counts = self._day_counts(conn, today)
            self._sync_queue(conn, today)
            out: list[_Candidate] = []
            if self._preferred is not None:
                params = self._part_params(today)
                params["card_id"] = self._preferred
                out.extend(_candidate(_Row(*r), _Q_PREFERRED) for r in db.read_part(
                    conn, _Q_PREFERRED, self._deck_id is not None, bool(self._no_form), None, 0,
                    params))
            learning = self._queue_rows(conn, _Q_LEARNING, now, today, counts)
            ahead: list[_Candidate] = []
            for row in learning:
                assert row.due is not None
                if row.due <= now:
                    out.append(_candidate(row, _Q_LEARNING))
                else:
                    ahead.append(_candidate(row, _Q_LEARN_AHEAD))
            out.extend(_candidate(row, _Q_REVIEW)
                       for row in self._queue_rows(conn, _Q_REVIEW, now, today, counts))
            out.extend(_candidate(row, _Q_NEW)
                       for row in self._queue_rows(conn, _Q_NEW, now, today, counts))
            out.extend(ahead)
            return out

    def _queue_rows(self, conn: SittingDb, queue: int, now: datetime, today: int,
                    counts: _DayCounts) -> list[_Row]:
        """The first :data:`_BATCH` eligible cards of a queue (fetched when memory runs short)."""
        horizon = (now + LEARN_AHEAD, _LAST_ID)
        kept = self._parts.get(queue)
        fetched = kept is None
        while True:
            part = kept if kept is not None else self._fetch_part(conn, queue, now, today, counts)
            self._parts[queue] = part
            taken: list[_Row] = []
            for row in part.rows:
                if queue == _Q_LEARNING and row.key() > horizon:
                    break
                if self._eligible(row, queue, counts):
                    taken.append(row)
                    if len(taken) == _BATCH:
                        return taken
            if fetched or part.bound is None or (queue == _Q_LEARNING and horizon <= part.bound):
                return taken
            kept, fetched = None, True  # memory ran short of the head of the queue

    def _fetch_part(self, conn: SittingDb, queue: int, now: datetime, today: int,
                    counts: _DayCounts) -> _Part:
        decks: tuple[str | None, list[int]] = (None, [])
        if queue in (_Q_REVIEW, _Q_NEW):
            limited = self._deck_filter(counts, new=queue == _Q_NEW)
            if limited is None:
                return _Part([], None)  # every deck reached its limit today
            decks = limited
        size = _KEPT_BATCH if self._keep else _BATCH
        params = self._part_params(today)
        if decks[0] is not None:
            params["decks"] = decks[1]
        horizon: datetime | None = None
        if queue == _Q_LEARNING:
            horizon = now + LEARN_AHEAD + _LEARN_HORIZON
            params["horizon"] = horizon
        elif queue == _Q_REVIEW:
            params["day_end"] = self._day_end(today)
        rows = [_Row(*r) for r in db.read_part(conn, queue, self._deck_id is not None,
                                               bool(self._no_form), decks[0], size, params)]
        if len(rows) < size:
            return _Part(rows, None if horizon is None else (horizon, _LAST_ID))
        last = rows[-1]
        return _Part(rows, (last.due, last.card_id) if last.due is not None
                     else (datetime.min, last.card_id))

    def _part_params(self, today: int) -> dict[str, Any]:
        params: dict[str, Any] = {"profile_id": self.profile_id, "today": today}
        if self._deck_id is not None:
            params["deck_id"] = self._deck_id
        if self._no_form:
            params["no_form"] = sorted(self._no_form)
        return params

    def _eligible(self, row: _Row, queue: int, counts: _DayCounts) -> bool:
        """The rules the fetch applied, for what changed since: answers, limits, no form."""
        if row.card_id in self._no_form:
            return False
        if queue == _Q_REVIEW:
            return self._deck_open(row.deck_id, counts, new=False)
        if queue == _Q_NEW:
            return self._deck_open(row.deck_id, counts, new=True)
        return True

    def _sync_queue(self, conn: SittingDb, today: int) -> None:
        """Drop the kept queue when another study day began or anything else wrote."""
        if not self._keep:
            self._drop_queue()
            return
        version = db.data_version(conn)
        if version != self._data_version or today != self._queue_day:
            self._drop_queue()
            self._data_version = version
            self._queue_day = today

    def _drop_queue(self) -> None:
        self._parts.clear()
        self._queue_day = None

    def _add_no_form(self, card_id: int) -> None:
        self._no_form.add(card_id)

    def _queue_answered(self, card_id: int, kind: str, after: CardState, family: str,
                        today: int) -> None:
        """Put this session's own answer into the kept queue (or drop the queue)."""
        if not self._parts:
            return
        found = None
        if kind == KIND_STUDY and today == self._queue_day:
            for queue, part in self._parts.items():
                for i, row in enumerate(part.rows):
                    if row.card_id == card_id:
                        found = queue, part.rows.pop(i)
                        break
                if found is not None:
                    break
        if found is None:
            # Not a card this queue holds (or not a study answer): its place is
            # unknown here, so fetch afresh.
            self._drop_queue()
            return
        if after.suspended or after.due is None:
            return
        if after.state in (CardStateKind.LEARNING, CardStateKind.RELEARNING):
            queue = _Q_LEARNING
        elif after.state == CardStateKind.REVIEW and after.due < self._day_end(today):
            queue = _Q_REVIEW
        else:
            return
        target = self._parts.get(queue)
        row = found[1]  # taken out of its queue above: updated in place
        row.reps, row.due, row.state = after.reps, after.due, after.state
        row.stability, row.lapses = after.stability, after.lapses
        row.step, row.difficulty, row.last_review = after.step, after.difficulty, after.last_review
        row.last_shown_day, row.family = after.last_shown_day, family
        if target is not None and (target.bound is None or row.key() <= target.bound):
            insort(target.rows, row, key=_Row.key)

    def _day_end(self, today: int) -> datetime:
        end = self._day_ends.get(today)
        if end is None:
            end = day_start(today + 1, self._settings.rollover_hour, self._settings.timezone)
            self._day_ends[today] = end
        return end

    def _limit(self, deck_id: int | None, new: bool) -> int:
        settings = self._settings if deck_id is None else self.settings_for(deck_id)
        return settings.new_per_day if new else settings.reviews_per_day

    @staticmethod
    def _done(counts: _DayCounts, deck_id: int, new: bool) -> int:
        return (len(counts.new_facts.get(deck_id, ())) if new
                else counts.reviews.get(deck_id, 0))

    def _deck_open(self, deck_id: int, counts: _DayCounts, *, new: bool) -> bool:
        """Whether a deck is still under its new (or review) limit today."""
        more = self.more_today(deck_id, counts.day) if new else 0
        return self._done(counts, deck_id, new) < self._limit(deck_id, new) + more

    def _deck_filter(self, counts: _DayCounts, *, new: bool) -> tuple[str | None, list[int]] | None:
        """The decks still under their new (or review) limit today, as a SQL filter.

        ``(None, [])`` for every deck, ``("not_in", closed)`` or ``("in", open)``;
        None when no deck is open: the queue is empty. Limits are per deck: the
        (profile, deck) override, else the profile's value.
        """
        if self._deck_id is not None:
            return (None, []) if self._deck_open(self._deck_id, counts, new=new) else None
        known = set(counts.new_facts if new else counts.reviews) | set(self._deck_settings)
        more = {d for (day, d) in self._extra_new if day == counts.day} if new else set()
        if self._limit(None, new) > 0:
            closed = sorted(d for d in known if not self._deck_open(d, counts, new=new))
            return ("not_in", closed) if closed else (None, [])
        open_decks = sorted(d for d in set(self._deck_settings) | more
                            if self._deck_open(d, counts, new=new))
        return ("in", open_decks) if open_decks else None

    def _day_counts(self, conn: SittingDb, today: int) -> _DayCounts:
        """Today's new facts and reviews per deck, read from the log once per study day."""
        if self._counts is not None and self._counts.day == today:
            return self._counts
        counts = _DayCounts(today)
        for deck_id, fact_row_id, was_new in reviewlog.day_answers(conn, self.profile_id, today):
            counts.add(deck_id, fact_row_id,
                       CardStateKind.NEW if was_new else CardStateKind.REVIEW)
        self._counts = counts
        return counts

    # ------------------------------------------------------------------ connection

    @contextmanager
    def _db(self, *, write: bool = False) -> Iterator[SittingDb]:
        """A connection for one unit of work: committed (``write``) or ended, never left open.

        On an SQLite file it is the session's held connection; elsewhere one
        from the pool for the call.
        """
        with self._link.unit(write=write) as conn:
            yield conn


    @property
    def _conn(self) -> SittingDb | None:
        """The connection held on an SQLite file (None when none is held)."""
        return self._link.conn

    def _held_anew(self) -> None:
        self._data_version = None  # data_version values of two connections do not compare
        self._drop_queue()

    def _release_connection(self) -> None:
        self._link.release()

    # ------------------------------------------------------------------ answers

    def answer(self, question: Question, given: str | Sequence[str], now: datetime,
               response_ms: int | None = None) -> ReviewResult:
        """Grade ``given``, schedule the card and commit the review; then return feedback.

        ``given`` is the typed text, the chosen choice, or for a timeline the
        items in the learner's order (a list, or joined with " | ").
        """
        return self._answer(question, KIND_STUDY, given, now, response_ms)

    def answer_flashcard(self, question: Question, rating: int, now: datetime,
                         response_ms: int | None = None) -> ReviewResult:
        """Record a self-rated answer (1 Again … 4 Easy) to a flashcard (or any question)."""
        rating = int(Rating(rating))
        result = grade_flashcard(question, rating)  # Again is wrong; Hard, Good, Easy right
        # One memory per fact: Again or Good, whatever the self-rating (see memory).
        return self._record(question, KIND_STUDY, None, result,
                            int(memory.rating_for(result.correct)), now, response_ms)

    def record_test_answer(self, question: Question, given: str | Sequence[str], now: datetime,
                           response_ms: int | None = None) -> ReviewResult:
        """Log a practice-test answer (kind ``test``).

        Only a card already in Review state is rescheduled; new, learning and
        relearning cards are left as they are. Daily limits are not touched.
        """
        return self._answer(question, KIND_TEST, given, now, response_ms)

    def _answer(self, question: Question, kind: str, given: str | Sequence[str],
                now: datetime, response_ms: int | None) -> ReviewResult:
        tools = self._deck_of(question.card_id)
        result = grade(question, given, deck_options=tools.options, known_names=tools.names)
        text = given if isinstance(given, str) else _ORDER_SEPARATOR.join(given)
        return self._record(question, kind, text, result, int(memory.rating_for(result.correct)),
                            now, response_ms)

    def _record(self, question: Question, kind: str, given: str | None, result: Grade,
                rating: int, now: datetime, response_ms: int | None) -> ReviewResult:
        today = self.study_day(now)
        card_id = _card_key(question.card_id)
        family = memory.Family(question.family.value)
        choices = len(question.choices) if question.choices is not None else 0

        def scheduled(before: CardState, deck_id: int) -> CardState:
            settings = self.settings_for(deck_id).scheduler
            if kind == KIND_STUDY:
                return memory.answer(before, family, result.correct, now, settings,
                                     choices=choices).shown_on(today)
            if before.state == CardStateKind.REVIEW:
                return memory.answer(before, family, result.correct, now, settings,
                                     choices=choices)
            return before

        cand = self._held.get(card_id)
        w, pooled = self._link.answer_writer()  # one transaction on the driver's connection
        try:
            w.begin()
            card: writer.LockedCard | None = None
            state = cand.held_state() if cand is not None else None
            if (cand is not None and state is not None
                    and self._shown.get(card_id, (None,))[0] == cand.reps):
                # The card as its question was built from: written only if it still is so.
                held = writer.LockedCard(self.profile_id, cand.deck_id, cand.fact_row_id,
                                         state, cand.family)
                after = scheduled(held.state, held.deck_id)
                if w.write_held_card(held, card_id, after, question.family.value):
                    card = held
            if card is None:  # nothing held, or the card changed since: read it, locked
                card = w.lock_card(card_id)
                if card is None or card.profile_id != self.profile_id:
                    raise repo.NotFoundError(f"no card {question.card_id!r} for this profile")
                shown = self._shown.get(card_id)
                if shown is not None and shown[0] != card.state.reps:
                    raise StaleQuestionError("this question was answered already")
                after = scheduled(card.state, card.deck_id)
                w.write_card(card, card_id, after, question.family.value)
            deck_id, fact_row_id, before = card.deck_id, card.fact_id, card.state
            # 8 lapses: the fact is a leech from now on (asked another way, never suspended).
            leech = memory.is_leech(after) and not memory.is_leech(before)
            session_row_id = self._session_row_id
            if session_row_id is None:
                session_row_id = w.start_session(self.profile_id, now)
            elif self._row_ended:
                w.reopen_session(session_row_id)
            review_id = w.append_review(card_id, self.profile_id, session_row_id, now,
                                        writer.AnswerRow(
                today, kind, question.form.value, question.prompt, _shown_choices(question),
                given, result.correct, result.verdict.value, response_ms, rating,
                before, after))
            w.commit()
        except BaseException:
            w.rollback()
            raise
        finally:
            if pooled is not None:
                w.close()
                pooled.close()
        # Committed: now update what this object remembers.
        self._session_row_id = session_row_id
        self._totals = self._counted(1, result.correct)
        self._row_ended = False
        self._history.append(review_id)
        self._shown[card_id] = (_ANSWERED, deck_id)  # a second submit is refused
        self._held.pop(card_id, None)
        if kind == KIND_STUDY:
            self._last_form[card_id] = question.form
        if kind == KIND_STUDY and self._counts is not None and self._counts.day == today:
            self._counts.add(deck_id, fact_row_id, before.state)
        self._queue_answered(card_id, kind, after, question.family.value, today)
        return ReviewResult(
            review_id=review_id, card_id=question.card_id, fact_id=question.fact_id,
            kind=kind, correct=result.correct, verdict=result.verdict,
            message=result.message, correct_answer=result.correct_answer, given=given,
            evidence=question.evidence, rating=rating, state=after.state, due=after.due,
            interval=(after.due - now) if after.due is not None else None, leech=leech,
        )

    # ------------------------------------------------------------------ helpers

    def close(self, now: datetime) -> None:
        """Mark the sitting as ended and let go of the held connection.

        Writes the sitting's totals and end on its study-session row; nothing
        is written if nothing was answered. The session may be used on (it
        connects again, and its row is open again at its next answer).
        """
        self._release_connection()
        self._drop_queue()
        if self._session_row_id is None:
            return
        with writer.writing(self._col) as w:
            w.set_session_totals(self._session_row_id, *self._totals, ended_at=now)
        self._row_ended = True

    def _counted(self, answered: int, correct: bool) -> tuple[int, int]:
        """The sitting's totals after an answer (1), an undo (-1) or an overrule (0)."""
        total, right = self._totals
        return total + answered, right + (answered if answered else 1) * int(correct)


def _shown_choices(question: Question) -> str | None:
    shown: Sequence[str] | None = question.choices if question.choices is not None \
        else question.items
    return json.dumps(list(shown), ensure_ascii=False) if shown is not None else None

