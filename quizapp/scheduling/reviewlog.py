"""Where the review-log helpers used to live; they are storage's now.

The rules for which review rows count are in :mod:`quizapp.storage.reviews`
and the table handles and :func:`run` in :mod:`quizapp.storage.reviewlog`.
The names are re-exported here for the modules that still import them from
this place (reports, the class view and progress files); it goes once they
import from storage.
"""

from quizapp.storage.reviewlog import card_table, fact_table, review_table, run
from quizapp.storage.reviews import (
    ANSWER_KINDS,
    ANSWER_KINDS_SQL,
    KIND_OVERRULE,
    KIND_STUDY,
    KIND_TEST,
    KIND_UNDO,
    answer_kind,
    is_cancelled,
    is_effective,
    not_cancelled_sql,
    state_before_is,
)

__all__ = ["ANSWER_KINDS", "ANSWER_KINDS_SQL", "KIND_OVERRULE", "KIND_STUDY", "KIND_TEST",
           "KIND_UNDO", "answer_kind", "card_table", "fact_table", "is_cancelled", "is_effective",
           "not_cancelled_sql", "review_table", "run", "state_before_is"]
