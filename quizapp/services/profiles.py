"""Profiles: one learner each, with study settings and per-deck overrides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from quizapp.scheduling import (
    StudySettings,
    settings_from,
)
from quizapp.scheduling.policy import steps_json
from quizapp.services.collection import Collection
from quizapp.storage import repository as repo
from quizapp.storage.models import (
    ProfileDeckRow,
    ProfileRow,
)


@dataclass(frozen=True, slots=True)
class ProfileInfo:
    """A learner, as views see it."""

    id: int
    name: str
    created_at: datetime | None


def _info(row: ProfileRow) -> ProfileInfo:
    assert row.id is not None
    return ProfileInfo(row.id, row.name, row.created_at)


def list_profiles(collection: Collection) -> list[ProfileInfo]:
    """Every learner, oldest first."""
    with collection.session() as s:
        return [_info(p) for p in repo.list_profiles(s)]


def create_profile(collection: Collection, name: str,
                   now: datetime | None = None) -> ProfileInfo:
    """A new learner with cards for every stored deck (ValueError for a bad or taken name)."""
    with collection.transaction() as s:
        return _info(repo.create_profile(s, name, now))


def rename_profile(collection: Collection, profile_id: int, name: str) -> None:
    """Rename a learner (ValueError for a bad or taken name)."""
    with collection.transaction() as s:
        repo.rename_profile(s, profile_id, name)


def delete_profile(collection: Collection, profile_id: int) -> None:
    """Delete a learner with all their cards, reviews and reports."""
    with collection.transaction() as s:
        if s.get(ProfileRow, profile_id) is None:
            raise repo.NotFoundError(f"no profile {profile_id}")
        repo.delete_profile(s, profile_id)


def profile_settings(collection: Collection, profile_id: int,
                     deck_id: int | None = None) -> StudySettings:
    """The settings that apply to a profile, or to one of its decks."""
    with collection.session() as s:
        profile = s.get(ProfileRow, profile_id)
        if profile is None:
            raise repo.NotFoundError(f"no profile {profile_id}")
        override = s.get(ProfileDeckRow, (profile_id, deck_id)) if deck_id is not None else None
        return settings_from(profile, override)


_SETTING_NAMES = ("desired_retention", "new_per_day", "reviews_per_day", "rollover_hour",
                  "timezone", "learning_steps", "relearning_steps", "maximum_interval", "fuzz")


def update_profile_settings(collection: Collection, profile_id: int,
                            **changes: Any) -> StudySettings:
    """Change a profile's default settings; the result is validated before it is stored.

    Keys: desired_retention, new_per_day, reviews_per_day, rollover_hour,
    timezone, learning_steps and relearning_steps (sequences of seconds),
    maximum_interval (days), fuzz.
    """
    unknown = set(changes) - set(_SETTING_NAMES)
    if unknown:
        raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
    with collection.transaction() as s:
        profile = s.get(ProfileRow, profile_id)
        if profile is None:
            raise repo.NotFoundError(f"no profile {profile_id}")
        for key, value in changes.items():
            if key in ("learning_steps", "relearning_steps"):
                value = steps_json(tuple(int(v) for v in value))
            setattr(profile, key, value)
        result = settings_from(profile)  # validates; an error rolls back
        s.add(profile)
        return result


def set_deck_overrides(collection: Collection, profile_id: int, deck_id: int, *,
                       desired_retention: float | None = None, new_per_day: int | None = None,
                       reviews_per_day: int | None = None) -> StudySettings:
    """Set a (profile, deck)'s overrides; None means "use the profile's value"."""
    with collection.transaction() as s:
        profile = s.get(ProfileRow, profile_id)
        if profile is None:
            raise repo.NotFoundError(f"no profile {profile_id}")
        if repo.find_deck(s, deck_id) is None:
            raise repo.NotFoundError(f"no deck {deck_id}")
        row = s.get(ProfileDeckRow, (profile_id, deck_id))
        if row is None:
            row = ProfileDeckRow(profile_id=profile_id, deck_id=deck_id)
        row.desired_retention = desired_retention
        row.new_per_day = new_per_day
        row.reviews_per_day = reviews_per_day
        result = settings_from(profile, row)
        unset = desired_retention is None and new_per_day is None and reviews_per_day is None
        if unset and s.get_bind().dialect.name == "sqlite":
            if s.get(ProfileDeckRow, (profile_id, deck_id)) is not None:
                s.delete(row)
        elif not unset or s.get(ProfileDeckRow, (profile_id, deck_id)) is not None:
            # On PostgreSQL a cleared row stays with NULLs: a classroom's
            # students may update their deck settings but delete no row.
            s.add(row)
        return result
