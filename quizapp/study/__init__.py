"""Study: next question → answer → one committed review row → feedback.

- :mod:`quizapp.study.session`: :class:`StudySession`, the sitting the GUI,
  the command line and tests drive alike (order, durability, undo, overrule,
  bury, suspend, report).
- :mod:`quizapp.study.queue`: the candidate queues and what a session keeps
  of them.
- :mod:`quizapp.study.actions`: undo, overrule, bury, suspend and report.
- :mod:`quizapp.study.results`: what a sitting hands back.

The statements are storage's: the queues' reads in
:mod:`quizapp.storage.study`, the log's in :mod:`quizapp.storage.reviewlog`,
and every write of card, review and study-session rows in
:mod:`quizapp.storage.writer`.

Profiles and their study settings are a service (:mod:`quizapp.services.profiles`).
:func:`is_busy_error` tells a caller that an answer was not stored because
another program held the database's write lock; the answer may be given again.
"""

from quizapp.storage.db import is_busy_error
from quizapp.study.session import ReviewResult, StaleQuestionError, StudySession, UndoResult

__all__ = ["ReviewResult", "StaleQuestionError", "StudySession", "UndoResult", "is_busy_error"]
