"""What a learner does to an answer or a card: undo, overrule, bury, suspend, report.

:class:`CardActions` is part of :class:`~quizapp.study.StudySession`. Each
action is one transaction of :mod:`quizapp.storage.writer`, committed before
the method returns; undo and overrule append rows that cancel earlier ones
(the log is never edited), and every action drops the session's kept queue
(it changes cards).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Protocol

from quizapp.questions.model import Evidence, Form, Grade, Question, Verdict
from quizapp.scheduling import CardStateKind, StudySettings, memory
from quizapp.storage import repository as repo
from quizapp.storage import writer
from quizapp.storage.memories import choices_shown, family_of_form
from quizapp.storage.reviews import KIND_OVERRULE, KIND_STUDY, KIND_TEST, KIND_UNDO
from quizapp.study.results import ReviewResult, UndoResult

if TYPE_CHECKING:
    from datetime import datetime

    from quizapp.services.collection import Collection
    from quizapp.study.queue import _DayCounts


class _Sitting(Protocol):
    """What the actions use of the study session they are part of."""

    _col: Collection
    profile_id: int
    _history: list[int]
    _session_row_id: int | None
    _totals: tuple[int, int]
    _row_ended: bool
    _counts: _DayCounts | None
    _preferred: int | None
    _shown: dict[int, tuple[int, int]]
    _no_form: set[int]
    _last_form: dict[int, Form]

    def study_day(self, now: datetime) -> int: ...

    def settings_for(self, deck_id: int) -> StudySettings: ...

    def _drop_queue(self) -> None: ...

    def _set_suspended(self, card_id: int | str, value: bool) -> None: ...

    def _card(self, card: writer.StoredCard | None, card_id: int | str) -> writer.StoredCard: ...

    def _writable_card(self, w: writer.StudyWriter,
                       card_id: int | str) -> writer.StoredCard: ...

    def _counted(self, answered: int, correct: bool) -> tuple[int, int]: ...

    @staticmethod
    def _require_latest(w: writer.StudyWriter, row: writer.LoggedReview) -> None: ...


class CardActions:
    """Undo, overrule, bury, suspend and report, for :class:`~quizapp.study.StudySession`."""

    # Set by the session; the actions change them.
    _session_row_id: int | None
    _preferred: int | None

    def overrule(self: _Sitting, review_id: int, now: datetime) -> ReviewResult:
        """"I was right": count a wrongly graded answer as right.

        Appends a kind ``overrule`` row that cancels the answer and answers the
        fact's memory again as right from that answer's state-before, at that
        answer's time, in the family and with the choices of that answer.
        Only the card's latest answer can be overruled.
        """
        self._drop_queue()  # it changes cards: fetch the queue afresh
        with writer.writing(self._col) as w:
            orig = w.review(review_id)
            if orig is None or orig.profile_id != self.profile_id:
                raise repo.NotFoundError(f"no review {review_id} for this profile")
            if orig.kind not in (KIND_STUDY, KIND_TEST):
                raise ValueError(f"a {orig.kind} row cannot be overruled")
            if orig.correct:
                raise ValueError("that answer was already counted as right")
            if w.is_cancelled(review_id):
                raise ValueError("that answer was already undone or overruled")
            self._require_latest(w, orig)
            card = self._card(w.card(orig.card_id), orig.card_id)
            assert orig.state_before is not None and orig.state_after is not None
            assert orig.reviewed_at is not None
            before = orig.state_before
            result = Grade(Verdict.RIGHT, orig.given or "", "Counted as right at your request.")
            rating = int(memory.rating_for(True))
            settings = self.settings_for(card.deck_id).scheduler
            if orig.kind == KIND_STUDY or before.state == CardStateKind.REVIEW:
                after = memory.answer(
                    before, family_of_form(orig.form), True, orig.reviewed_at, settings,
                    choices=choices_shown(orig.form, orig.choices),
                ).with_changes(
                    last_shown_day=orig.state_after.last_shown_day)
            else:
                after = before
            w.set_card_state(card.id, after)
            session_row_id = w.session_row(self.profile_id, now, self._session_row_id)
            new_id = w.append_review(
                card_id=card.id, profile_id=self.profile_id, session_id=session_row_id,
                reviewed_at=now, study_day=orig.study_day, kind=KIND_OVERRULE,
                form=orig.form, prompt=orig.prompt, choices=orig.choices, given=orig.given,
                correct=True, verdict=Verdict.RIGHT.value, response_ms=orig.response_ms,
                rating=rating, state_before=orig.state_before, state_after=after,
                cancels_id=orig.id,
            )
            totals = (self._counted(0, True) if orig.session_id == session_row_id
                      else self._totals)
            # The sitting's totals so far, this overrule's included (its row stays open).
            w.set_session_totals(session_row_id, *totals, ended_at=None)
            fact_key = w.fact_key(card.fact_id)
        self._session_row_id = session_row_id
        self._totals, self._row_ended = totals, False
        self._history.append(new_id)
        return ReviewResult(
            review_id=new_id, card_id=str(card.id), fact_id=fact_key, kind=KIND_OVERRULE,
            correct=True, verdict=Verdict.RIGHT, message=result.message,
            correct_answer=result.correct_answer, given=orig.given,
            evidence=Evidence(None, None, None), rating=rating, state=after.state,
            due=after.due, interval=(after.due - now) if after.due is not None else None,
        )

    def undo(self: _Sitting, now: datetime) -> UndoResult | None:
        """Take back this session's last answer (or overrule); None when there is none.

        Appends a kind ``undo`` row cancelling it and restores the card exactly
        from that row's state-before. The card is asked again next.
        """
        self._drop_queue()  # it changes cards: fetch the queue afresh
        today = self.study_day(now)
        while self._history:
            target = self._history[-1]
            with writer.writing(self._col) as w:
                row = w.review(target)
                if row is None or w.is_cancelled(target):
                    self._history.pop()  # already cancelled (e.g. by an overrule)
                    continue
                self._require_latest(w, row)
                card = self._card(w.card(row.card_id), row.card_id)
                assert row.state_before is not None
                current = card.state
                restored = row.state_before
                w.set_card_state(card.id, restored)
                session_row_id = w.session_row(self.profile_id, now, self._session_row_id)
                undo_id = w.append_review(
                    card_id=card.id, profile_id=self.profile_id, session_id=session_row_id,
                    reviewed_at=now, study_day=today, kind=KIND_UNDO,
                    state_before=current, state_after=restored,
                    cancels_id=row.id,
                )
                counted_kind = row.kind
                if row.kind == KIND_OVERRULE and row.cancels_id is not None:
                    original = w.review(row.cancels_id)
                    counted_kind = original.kind if original is not None else KIND_STUDY
                totals = (self._counted(-1, bool(row.correct))
                          if row.session_id == session_row_id else self._totals)
                # The sitting's totals so far, this undo's included (its row stays open).
                w.set_session_totals(session_row_id, *totals, ended_at=None)
                result = UndoResult(undo_id, target, str(card.id), restored)
                deck_id, fact_row_id, row_day = card.deck_id, card.fact_id, row.study_day
            self._history.pop()
            self._session_row_id = session_row_id
            self._totals, self._row_ended = totals, False
            if (counted_kind == KIND_STUDY and self._counts is not None
                    and self._counts.day == row_day):
                self._counts.add(deck_id, fact_row_id, restored.state, sign=-1)
            self._preferred = card.id
            self._shown.pop(card.id, None)
            self._last_form.pop(card.id, None)  # asked again as it was before the answer
            return result
        return None

    @staticmethod
    def _require_latest(w: writer.StudyWriter, row: writer.LoggedReview) -> None:
        if w.answered_since(row.card_id, row.id):
            raise ValueError("the card was answered again since; undo that answer first")

    # ------------------------------------------------------------------ card actions

    def bury(self: _Sitting, card_id: int | str, now: datetime) -> None:
        """Hide a card until the next study day."""
        self._drop_queue()  # it changes cards: fetch the queue afresh
        today = self.study_day(now)
        with writer.writing(self._col) as w:
            card = self._writable_card(w, card_id)
            w.bury(card.id, today)

    def suspend(self: _Sitting, card_id: int | str) -> None:
        """Stop showing a card until it is unsuspended."""
        self._set_suspended(card_id, True)

    def unsuspend(self: _Sitting, card_id: int | str) -> None:
        """Show a suspended card again (its scheduling state is kept)."""
        self._set_suspended(card_id, False)

    def _set_suspended(self: _Sitting, card_id: int | str, value: bool) -> None:
        self._drop_queue()  # it changes cards: fetch the queue afresh
        with writer.writing(self._col) as w:
            card = self._writable_card(w, card_id)
            w.set_suspended(card.id, value)

    def report(self: _Sitting, question: Question, reason: str, now: datetime) -> int:
        """Report a question as wrong: its form is no longer used for this fact's card.

        Records the form on the card and a question report for the teacher's
        views; returns the report's id. A card with no form left is not shown.
        """
        self._drop_queue()  # it changes cards: fetch the queue afresh
        with writer.writing(self._col) as w:
            card = self._writable_card(w, question.card_id)
            forms = _reported_forms(card.reported_forms)
            if question.form.value not in forms:
                forms.append(question.form.value)
            w.set_reported_forms(card.id, json.dumps(forms))
            report_id = w.add_report(self.profile_id, card.id, card.fact_id,
                                     question.form.value, question.prompt, reason.strip(), now)
        self._shown.pop(card.id, None)
        self._no_form.discard(card.id)
        return report_id

    def _card(self: _Sitting, card: writer.StoredCard | None,
              card_id: int | str) -> writer.StoredCard:
        """``card`` (read as ``card_id``) if it is this profile's; NotFoundError otherwise."""
        if card is None or card.profile_id != self.profile_id:
            raise repo.NotFoundError(f"no card {card_id!r} for this profile")
        return card

    def _writable_card(self: _Sitting, w: writer.StudyWriter,
                       card_id: int | str) -> writer.StoredCard:
        return self._card(w.card(_card_key(card_id)), card_id)


def _card_key(card_id: int | str) -> int:
    try:
        return int(card_id)
    except ValueError:
        raise repo.NotFoundError(f"no card {card_id!r}") from None


def _reported_forms(text: str | None) -> list[str]:
    forms = json.loads(text or "[]")
    return [str(f) for f in forms] if isinstance(forms, list) else []
