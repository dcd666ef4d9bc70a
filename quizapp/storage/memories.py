"""One memory per fact: every card's state replayed from the review log.

A card is (profile, fact): one FSRS memory that answers in either family of
forms update (:mod:`quizapp.scheduling.memory`). :func:`replay_memories`
recomputes every card of a profile from its *effective study answers* (rows
of kind ``study`` that nothing cancels, and ``overrule`` rows standing in for
the study answer they replace, at that answer's time; undo rows, cancelled
rows and practice-test answers do not count, see
:mod:`quizapp.storage.reviews`), in answer order, through
:func:`quizapp.scheduling.memory.answer`:

- the family of an answer is the family of its logged form
  (:data:`quizapp.questions.model.FAMILY_OF_FORM`); a row with no known form
  counts as a recall answer;
- the number of choices of a recognition answer is the length of the logged
  ``choices`` list (none logged: a right answer counts as Good);
- the settings are the profile's (its FSRS parameters, retention, steps and
  maximum interval; a deck's retention override for that deck's cards) with
  **fuzz off**, so that the same log gives the same states on every machine
  and every run (the schema upgrade and a recompute after a parameter switch
  are reproducible);
- ``family`` becomes the family the fact was last asked in (``recognise`` for
  a fact never answered).

Suspension, burying, the last study day shown and reported forms are left as
they are. Used by the schema 5 → 6 upgrade (:func:`quizapp.storage.db`) and
after new FSRS parameters are adopted (``services/optimize.py``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlmodel import Session

from quizapp.questions.model import FAMILY_OF_FORM
from quizapp.scheduling.memory import Family, answer
from quizapp.scheduling.policy import settings_from
from quizapp.scheduling.scheduler import SchedulerSettings
from quizapp.scheduling.state import CardState
from quizapp.storage.models import as_utc
from quizapp.storage.reviews import KIND_OVERRULE, KIND_STUDY, effective_sql
from quizapp.storage.writer import set_memories

_FORM_FAMILY: dict[str, Family] = {
    form.value: Family(family.value) for form, family in FAMILY_OF_FORM.items()}

_PROFILE_SQL = text(
    "SELECT desired_retention, new_per_day, reviews_per_day, rollover_hour, timezone,"
    " learning_steps, relearning_steps, maximum_interval, fuzz, fsrs_parameters"
    " FROM profile WHERE id = :p")
_OVERRIDES_SQL = text(
    "SELECT deck_id, desired_retention, new_per_day, reviews_per_day FROM profile_deck"
    " WHERE profile_id = :p")
_CARDS_SQL = text("SELECT id, deck_id FROM card WHERE profile_id = :p")
_ANSWERS_SQL = text(
    "SELECT r.card_id, r.id, r.form, r.choices, r.correct, r.kind, r.reviewed_at,"
    " o.kind, o.reviewed_at"
    " FROM review r LEFT JOIN review o ON o.id = r.cancels_id"
    f" WHERE r.profile_id = :p AND r.kind IN ('{KIND_STUDY}', '{KIND_OVERRULE}')"
    f" AND {effective_sql('r')}")

@dataclass(slots=True)
class _Settings:
    """A profile's settings columns (:class:`~quizapp.scheduling.policy.ProfileSettingsLike`)."""

    desired_retention: float
    new_per_day: int
    reviews_per_day: int
    rollover_hour: int
    timezone: str | None
    learning_steps: str
    relearning_steps: str
    maximum_interval: int
    fuzz: bool
    fsrs_parameters: str | None


@dataclass(slots=True)
class _Override:
    desired_retention: float | None
    new_per_day: int | None
    reviews_per_day: int | None


#: A card suspended with this many lapses or more before schema 6 was suspended by
#: the old automatic leech rule (8 lapses), not by the learner.
OLD_LEECH_LAPSES = 8


def merged_card(cards: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What the one card of a fact keeps of the per-family cards it replaces.

    ``cards`` are the old cards' ``suspended``, ``lapses``, ``buried_until``,
    ``last_shown_day`` and ``reported_forms`` (JSON), lowest id first. The fact
    stays suspended when the learner suspended one of its cards (a card
    suspended with fewer than :data:`OLD_LEECH_LAPSES` lapses); a suspension at
    8 lapses or more was the old automatic leech rule, which asking the fact
    another way replaces, so it is lifted. The latest burial and study day
    shown are kept, and the union of the reported forms. The memory itself
    is replayed from the log (:func:`replay_memories`).
    """
    forms: list[str] = []
    for c in cards:
        try:
            listed = json.loads(c.get("reported_forms") or "[]")
        except ValueError:
            listed = []
        for form in listed if isinstance(listed, list) else []:
            if isinstance(form, str) and form not in forms:
                forms.append(form)
    buried = [int(c["buried_until"]) for c in cards if c.get("buried_until") is not None]
    shown = [int(c["last_shown_day"]) for c in cards if c.get("last_shown_day") is not None]
    return {
        "suspended": any(bool(c.get("suspended")) and int(c.get("lapses") or 0)
                         < OLD_LEECH_LAPSES for c in cards),
        "buried_until": max(buried) if buried else None,
        "last_shown_day": max(shown) if shown else None,
        "reported_forms": json.dumps(forms),
    }


def family_of_form(form: str | None) -> Family:
    """The family a logged form belongs to (recall for a form quizapp does not know)."""
    return _FORM_FAMILY.get(form or "", Family.RECALL)


def choices_shown(form: str | None, choices: str | None) -> int:
    """How many options a recognition answer chose among (0: none logged, or a recall form)."""
    if family_of_form(form) is not Family.RECOGNISE or not choices:
        return 0
    try:
        shown = json.loads(choices)
    except ValueError:
        return 0
    return len(shown) if isinstance(shown, list) else 0


def replay_states(answers: list[tuple[datetime, int, Family, bool, int]],
                  settings: SchedulerSettings) -> tuple[CardState, Family]:
    """A card's memory after its answers (time, review id, family, right, choices) and the
    family it was last asked in; the answers are taken in (time, id) order."""
    memory = CardState()
    last = Family.RECOGNISE
    for at, _rid, family, correct, choices in sorted(answers, key=lambda a: (a[0], a[1])):
        memory = answer(memory, family, correct, at, settings, choices=choices)
        last = family
    return memory, last


def replay_memories(conn: Connection, profile_id: int) -> int:
    """Recompute every card of ``profile_id`` from its effective study answers; how many.

    Runs inside the caller's transaction (``conn``'s); writes the FSRS state,
    ``reps``, ``lapses`` and ``family`` of each card (see the module docstring).
    """
    row = conn.execute(_PROFILE_SQL, {"p": profile_id}).first()
    if row is None:
        return 0
    profile = _Settings(*row)
    base = _without_fuzz(settings_from(profile).scheduler)
    per_deck = {
        int(deck_id): _without_fuzz(settings_from(profile, _Override(ret, new, rev)).scheduler)
        for deck_id, ret, new, rev in conn.execute(_OVERRIDES_SQL, {"p": profile_id})}
    answers: dict[int, list[tuple[datetime, int, Family, bool, int]]] = defaultdict(list)
    for (card_id, review_id, form, choices, correct, kind, at, original_kind,
         original_at) in conn.execute(_ANSWERS_SQL, {"p": profile_id}):
        if kind == KIND_OVERRULE:
            if original_kind != KIND_STUDY:
                continue  # it stands in for a practice-test answer
            at = original_at
        when = as_utc(at)
        assert when is not None
        answers[int(card_id)].append((when, int(review_id), family_of_form(form),
                                      bool(correct), choices_shown(form, choices)))
    params: list[dict[str, Any]] = []
    for card_id, deck_id in conn.execute(_CARDS_SQL, {"p": profile_id}):
        settings = per_deck.get(int(deck_id), base)
        memory, family = replay_states(answers.get(int(card_id), []), settings)
        params.append({
            "b_id": int(card_id), "b_state": memory.state, "b_step": memory.step,
            "b_stability": memory.stability, "b_difficulty": memory.difficulty,
            "b_due": memory.due, "b_last_review": memory.last_review, "b_reps": memory.reps,
            "b_lapses": memory.lapses, "b_family": family.value})
    set_memories(conn, params)
    return len(params)


def replay_profile(session: Session, profile_id: int) -> int:
    """:func:`replay_memories` in ``session``'s transaction (the caller commits).

    The session's pending changes (new parameters just set) are flushed first,
    so that the replay reads them.
    """
    session.flush()
    return replay_memories(session.connection(), profile_id)


def _without_fuzz(settings: SchedulerSettings) -> SchedulerSettings:
    return replace(settings, fuzz=False)


def profile_ids(conn: Connection) -> list[int]:
    """Every profile's id."""
    return [int(p) for (p,) in conn.execute(text("SELECT id FROM profile ORDER BY id"))]
