"""SQLModel tables: the database schema of the current version.

Times are timezone-aware UTC in Python. SQLite keeps no zone, so the
:class:`UTCDateTime` column type stores naive UTC and hands back aware UTC;
on PostgreSQL it is a ``timestamptz``. Raw-SQL readers convert explicitly with
:func:`as_utc`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    LargeBinary,
    Table,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from quizapp.scheduling.state import CardState
from quizapp.storage.reviewstate import (
    AFTER_COLUMNS,
    BEFORE_COLUMNS,
    from_micros,
    micros,
    state_of_row,
)
from quizapp.timeutil import utc_now as utc_now  # the one clock, for the storage modules

SCHEMA_VERSION = 10

# The meta key that marks a database set up as a classroom (quizapp class init).
CLASSROOM_KEY = "classroom"


# Index expressions and partial-index conditions of schema 3, spelled the same
# on SQLite and PostgreSQL. Queries repeat them word for word (``{t}`` is where
# a query puts its table alias and a dot): SQLite uses an index on an
# expression, or a partial index, only for the same expression or condition.
RETIRED_WHERE = "{t}retired = TRUE"
LEECH_WHERE = "{t}lapses >= 8"  # LEECH_LAPSES
BURIED_WHERE = "{t}buried_until IS NOT NULL"
WRONG_WHERE = "{t}correct = FALSE"
HELD_WHERE = "{t}hold IS NOT NULL"
CANCELS_WHERE = "{t}cancels_id IS NOT NULL"
WRONG_CHOICE_WHERE = (
    "{t}correct = FALSE AND {t}choices IS NOT NULL AND {t}given IS NOT NULL"
)


def spelled(template: str, alias: str = "") -> str:
    """One of the templates above for table ``alias`` (none: as in the index)."""
    return template.replace("{t}", f"{alias}." if alias else "")


def _where(template: str) -> dict[str, Any]:
    """Keyword arguments that make an Index partial on both databases.

    Only SQLite's is named here: naming ``postgresql_where`` would import
    SQLAlchemy's PostgreSQL dialect (and its drivers' modules) with this module,
    at every start on SQLite. :func:`_partial_on_postgresql` gives the same
    condition to PostgreSQL just before a table is created there.
    """
    return {"sqlite_where": text(spelled(template))}


def _partial_on_postgresql(table: Table, connection: Connection, **_: Any) -> None:
    """Before a table is created on PostgreSQL: its partial indexes get their condition."""
    if connection.dialect.name != "postgresql":
        return
    for index in table.indexes:
        condition = index.dialect_options["sqlite"]["where"]
        if condition is not None:
            index.dialect_options["postgresql"]["where"] = condition


event.listen(Table, "before_create", _partial_on_postgresql)


def as_utc(value: datetime | str | int | None) -> datetime | None:
    """Convert a stored timestamp (naive UTC, ISO text, aware, or whole microseconds since
    the epoch: :class:`UTCMicros` on SQLite) to aware UTC."""
    if value is None:
        return None
    if isinstance(value, int):
        return from_micros(value)
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A datetime column that only takes aware times and returns aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; quizapp stores aware UTC times only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return as_utc(value)


class UTCMicros(UTCDateTime):
    """:class:`UTCDateTime` kept as whole microseconds since 1970-01-01 UTC on SQLite (an
    integer of 8 bytes instead of 26 characters of text; the same order), a
    ``timestamptz`` on PostgreSQL (schema 10: ``review.reviewed_at``)."""

    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; quizapp stores aware UTC times only")
        return micros(value) if dialect.name == "sqlite" else value.astimezone(UTC)


def _utc_column(nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(UTCDateTime(), nullable=nullable, index=index))


def _micros_column() -> Any:
    """A time as whole microseconds since the epoch (schema 10's review states)."""
    return Field(default=None, sa_column=Column(BigInteger(), nullable=True))


class Meta(SQLModel, table=True):
    """Key/value facts about the database itself (schema version)."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class DeckRow(SQLModel, table=True):
    """A deck: shared by every profile on the computer."""

    __tablename__ = "deck"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # the deck file's stable id
    name: str
    description: str = ""
    number_tolerance: float | None = None
    # The deck file's [[speakers]] tables as JSON (schema 4); NULL: none stated.
    speakers: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime | None = _utc_column(nullable=False)
    updated_at: datetime | None = _utc_column(nullable=False)


class SourceRow(SQLModel, table=True):
    """An article that a deck's facts come from."""

    __tablename__ = "source"
    __table_args__ = (UniqueConstraint("deck_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    deck_id: int = Field(foreign_key="deck.id", ondelete="CASCADE")
    key: str
    title: str
    text: str = Field(sa_column=Column(Text, nullable=False))
    published: str | None = None
    file: str | None = None
    url: str | None = None
    author: str | None = None
    licence: str | None = None


#: Why a fact is held back from study (``fact.hold``; NULL: it is studied).
HOLD_PENDING = "pending"  # found in an article, marked check, waiting for a teacher
HOLD_NO_FORM = "no_form"  # the question builder finds no question to ask about it
HOLDS = (HOLD_PENDING, HOLD_NO_FORM)
#: ``fact.hold``'s values, and a held fact is always out of study (retired).
HOLD_CHECK = "hold IS NULL OR (hold IN ('pending', 'no_form') AND retired = TRUE)"


class FactRow(SQLModel, table=True):
    """One fact of a deck (all kinds in one table; unused columns stay NULL).

    ``retired`` facts are out of study: no card is made for them, no count,
    question or distractor uses them. ``hold`` says why a retired fact is
    held back rather than removed (schema: held facts): NULL for a fact a
    newer version of its deck no longer has (or a fact that is studied),
    ``pending`` for an article's fact marked *check* that waits for a
    teacher, ``no_form`` for a fact no question form can ask; ``hold_reasons``
    is the JSON list of one-line reasons a teacher reads (NULL: none).
    """

    __tablename__ = "fact"
    __table_args__ = (
        UniqueConstraint("deck_id", "key"),
        Index("ix_fact_retired", "id", **_where(RETIRED_WHERE)),  # schema 3
        Index("ix_fact_held", "deck_id", "hold", **_where(HELD_WHERE)),  # held facts
        CheckConstraint(HOLD_CHECK, name="ck_fact_hold"),
    )
    id: int | None = Field(default=None, primary_key=True)
    deck_id: int = Field(foreign_key="deck.id", ondelete="CASCADE", index=True)
    key: str  # stable id from the deck file
    position: int = 0
    kind: str
    source_id: int | None = Field(default=None, foreign_key="source.id", ondelete="SET NULL")
    text: str = ""
    start: int | None = None
    end: int | None = None
    sentence: str | None = None
    sentence_start: int | None = None
    stem: str | None = None
    event: str | None = None
    value_text: str | None = None  # dates
    value_num: float | None = None  # numbers
    unit: str | None = None
    counts: str | None = None
    qualifier: str | None = None
    speaker: str | None = None
    role: str | None = None
    reported: bool = False
    name: str | None = None
    roles: str = "[]"  # JSON array
    front: str | None = None
    back: str | None = None
    tags: str = "[]"  # JSON array
    retired: bool = False  # removed from a newer version of its deck; history kept
    # The names of the deck's media files (table media) the fact shows, in order
    # (JSON array; schema: the media store).
    media: str = Field(default="[]", sa_column=Column(Text, nullable=False, server_default="[]"))
    hold: str | None = None  # see the class's description and HOLD_CHECK
    hold_reasons: str | None = Field(default=None, sa_column=Column(Text, nullable=True))

class MediaRow(SQLModel, table=True):
    """A picture or sound of a deck, its bytes kept in the database (the media store).

    Keyed by deck and name (a name is unique within its deck, as in Anki); a
    fact names the files it shows in ``fact.media``. Keeping the bytes here
    lets a classroom server share them and lets backups, restores and profile
    moves carry them with no extra step.
    """

    __tablename__ = "media"
    deck_id: int = Field(foreign_key="deck.id", primary_key=True, ondelete="CASCADE")
    name: str = Field(primary_key=True)
    mime: str
    size: int
    sha256: str
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ProfileRow(SQLModel, table=True):
    """One learner and their default study settings."""

    __tablename__ = "profile"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    created_at: datetime | None = _utc_column(nullable=False)
    desired_retention: float = 0.9
    new_per_day: int = 20
    reviews_per_day: int = 200
    rollover_hour: int = 4
    timezone: str | None = None  # IANA name; None = the computer's local zone
    learning_steps: str = "[60, 600]"  # seconds, JSON
    relearning_steps: str = "[600]"
    maximum_interval: int = 36500  # days
    fuzz: bool = True
    fsrs_parameters: str | None = None  # JSON list when fitted to this learner
    # Classroom on PostgreSQL (schema 2): the login role that owns this profile
    # (row-level security shows a student only the rows of their own profiles)
    # and the class it belongs to. Both None on a computer of one's own.
    db_role: str | None = Field(default=None, unique=True, index=True)
    class_name: str | None = Field(default=None, index=True)


class ClassTeacherRow(SQLModel, table=True):
    """A database role that teaches a class: it may read that class's profiles (schema 2)."""

    __tablename__ = "class_teacher"
    class_name: str = Field(primary_key=True)
    db_role: str = Field(primary_key=True)


class ClassDeckRetiredRow(SQLModel, table=True):
    """A deck a teacher removed from one class (schema 5).

    The deck leaves the deck list of every profile of that class and is not
    studied there; its cards and answers are kept, and other classes keep it.
    """

    __tablename__ = "class_deck_retired"
    class_name: str = Field(primary_key=True)
    deck_id: int = Field(foreign_key="deck.id", primary_key=True, ondelete="CASCADE")
    retired_at: datetime | None = _utc_column(nullable=False)
    retired_by: str | None = None  # the database role that retired it


class ProfileDeckRow(SQLModel, table=True):
    """Per-(profile, deck) overrides of the profile's settings."""

    __tablename__ = "profile_deck"
    profile_id: int = Field(foreign_key="profile.id", primary_key=True, ondelete="CASCADE")
    deck_id: int = Field(foreign_key="deck.id", primary_key=True, ondelete="CASCADE")
    desired_retention: float | None = None
    new_per_day: int | None = None
    reviews_per_day: int | None = None


class CardRow(SQLModel, table=True):
    """A (profile, fact) card: the learner's one FSRS memory of the fact (schema 6).

    ``state`` is 0 for a new card, else fsrs' State (1 learning, 2 review,
    3 relearning). ``family`` is the family of form the fact was last asked
    in (``recognise`` for a fact never asked); the form is chosen each time
    the fact is shown (:mod:`quizapp.scheduling.memory`). Before schema 6 a
    fact had one card per family; the upgrade merged them (their reviews
    point to the one card left).
    """

    __tablename__ = "card"
    __table_args__ = (
        # Before schema 6 a card was (profile, fact, family); the constraint
        # stays (SQLite cannot drop it without rebuilding the table), implied
        # by the unique index below.
        UniqueConstraint("profile_id", "fact_id", "family"),
        Index("ix_card_due", "profile_id", "suspended", "state", "due"),
        Index("ix_card_fact", "fact_id"),
        # Schema 6: one card per (profile, fact), and for the progress figures a
        # profile's cards in fact order with their stability (mastery). Schema
        # 3: partial indexes over the few leeches and buried cards.
        Index("ux_card_profile_fact", "profile_id", "fact_id", unique=True),
        Index("ix_card_mastery", "profile_id", "fact_id", "stability"),
        # Schema 3, for the deck list: a profile's cards per deck, by state and
        # suspension, with due times (each count of a deck is one index range).
        Index("ix_card_profile_deck", "profile_id", "deck_id", "state", "suspended", "due"),
        Index("ix_card_leech", "profile_id", "lapses", **_where(LEECH_WHERE)),
        Index("ix_card_buried", "profile_id", "buried_until", **_where(BURIED_WHERE)),
    )
    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(foreign_key="profile.id", ondelete="CASCADE")
    fact_id: int = Field(foreign_key="fact.id", ondelete="CASCADE")
    # No index of its own since schema 8: the deck list reads ix_card_profile_deck,
    # and a deck's delete reads the card table once.
    deck_id: int = Field(foreign_key="deck.id", ondelete="CASCADE")
    family: str
    state: int = 0
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = _utc_column()
    last_review: datetime | None = _utc_column()
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    buried_until: int | None = None  # study day number until which it is hidden
    last_shown_day: int | None = None  # study day of the last answer
    reported_forms: str = "[]"  # forms the learner reported as wrong (JSON)


class ReviewRow(SQLModel, table=True):
    """One answer, appended to the log and never edited."""

    __tablename__ = "review"
    __table_args__ = (
        # Schema 10: only the few rows that cancel another (undo, overrule).
        Index("ix_review_cancels", "cancels_id", **_where(CANCELS_WHERE)),
        # Schema 3: covering indexes for the progress figures' passes over the
        # log, per study day (with the state before that true retention reads,
        # since schema 10 a column of its own, and the overruled row's id for
        # the answer kind) and per card (in answer order, for the last answer
        # of a fact), and partial indexes over the wrong answers and the wrong
        # multiple-choice answers. Schema 8 put the card first in the per-card
        # index, which so also serves a card's answers without its profile (a
        # card's delete finds its answers by it), and dropped ix_review_card
        # (card, time) and
        # ix_review_profile_day (profile, day: the start of ix_review_day_cover).
        # Schema 10: the state before is a column of its own (it was the prefix
        # substr(state_before, 1, 11) of the state's JSON).
        Index("ix_review_day_cover", "profile_id", "study_day", "kind", "correct",
              "before_state", "cancels_id"),
        Index("ix_review_card_cover", "card_id", "profile_id", "reviewed_at", "id", "kind",
              "correct"),
        Index("ix_review_wrong", "profile_id", "card_id", "kind", **_where(WRONG_WHERE)),
        Index("ix_review_wrong_choice", "profile_id", "card_id", "form", "given",
              **_where(WRONG_CHOICE_WHERE)),
        # Schema 3: a learner's latest answers in one question form (their pace).
        Index("ix_review_pace", "profile_id", "form", "study_day", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="card.id", ondelete="CASCADE")
    profile_id: int = Field(foreign_key="profile.id", ondelete="CASCADE")
    session_id: int | None = Field(default=None, foreign_key="study_session.id")
    # Schema 10: whole microseconds since the epoch on SQLite (UTCMicros), before ISO text.
    reviewed_at: datetime | None = Field(
        default=None, sa_column=Column(UTCMicros(), nullable=False))
    study_day: int  # days since 1970-01-01 in the learner's zone, after rollover
    kind: str = "study"  # study | test | undo | overrule
    form: str | None = None
    prompt: str | None = None
    choices: str | None = None  # JSON array shown, in order
    given: str | None = None
    correct: bool | None = None
    verdict: str | None = None
    response_ms: int | None = None
    rating: int | None = None
    # Schema 10: the card's scheduling state before and after the answer, one column
    # per field (quizapp.storage.reviewstate; times in microseconds since the epoch).
    # Before, two JSON texts state_before and state_after.
    before_state: int | None = None
    before_step: int | None = None
    before_stability: float | None = None
    before_difficulty: float | None = None
    before_due: int | None = _micros_column()
    before_last_review: int | None = _micros_column()
    before_reps: int | None = None
    before_lapses: int | None = None
    before_suspended: bool | None = None
    before_last_shown_day: int | None = None
    after_state: int | None = None
    after_step: int | None = None
    after_stability: float | None = None
    after_difficulty: float | None = None
    after_due: int | None = _micros_column()
    after_last_review: int | None = _micros_column()
    after_reps: int | None = None
    after_lapses: int | None = None
    after_suspended: bool | None = None
    after_last_shown_day: int | None = None
    cancels_id: int | None = Field(default=None, foreign_key="review.id")

    @property
    def state_before(self) -> CardState | None:
        """The card's state before the answer (its ``before_*`` columns), None without one."""
        return state_of_row(self, BEFORE_COLUMNS)

    @property
    def state_after(self) -> CardState | None:
        """The card's state after the answer (its ``after_*`` columns), None without one."""
        return state_of_row(self, AFTER_COLUMNS)


class ReviewDayRow(SQLModel, table=True):
    """A profile's answers on one closed study day, as the progress figures count them
    (schema 8).

    Only effective answers count (:mod:`quizapp.storage.reviews`): study answers,
    right study answers, practice-test answers, and the study answers (and right
    ones) to cards that were in Review before the answer, which true retention
    counts. Kept for study days before the one :class:`ReviewDayMarkRow` names,
    made from the log when the figures are read (never by an answer), and made
    again for a day when a later row changes it (an undo or overrule of an
    answer of that day, a profile file's answers).
    """

    __tablename__ = "review_day"
    profile_id: int = Field(foreign_key="profile.id", primary_key=True, ondelete="CASCADE")
    study_day: int = Field(primary_key=True)
    reviews: int = 0
    correct: int = 0
    tests: int = 0
    in_review: int = 0
    in_review_correct: int = 0


class ReviewDayMarkRow(SQLModel, table=True):
    """How far a profile's :class:`ReviewDayRow` totals go (schema 8).

    ``through_day``: the last study day they hold; ``through_id``: the highest
    review row id that was read when they were made. A review row with a
    higher id is newer than the totals: its own day and the day of the row it
    cancels are counted again from the log.
    """

    __tablename__ = "review_day_mark"
    profile_id: int = Field(foreign_key="profile.id", primary_key=True, ondelete="CASCADE")
    through_day: int
    through_id: int


class StudySessionRow(SQLModel, table=True):
    """A sitting of study: when it began and ended, and what was answered."""

    __tablename__ = "study_session"
    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(foreign_key="profile.id", ondelete="CASCADE", index=True)
    started_at: datetime | None = _utc_column(nullable=False)
    ended_at: datetime | None = _utc_column()
    answered: int = 0
    correct: int = 0


class QuestionReportRow(SQLModel, table=True):
    """A learner's report that a generated question is wrong."""

    __tablename__ = "question_report"
    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(foreign_key="profile.id", ondelete="CASCADE", index=True)
    card_id: int = Field(foreign_key="card.id", ondelete="CASCADE")
    fact_id: int = Field(foreign_key="fact.id", ondelete="CASCADE", index=True)
    form: str
    prompt: str
    reason: str = ""
    created_at: datetime | None = _utc_column(nullable=False)
