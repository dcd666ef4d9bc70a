"""Study: next question → answer → one committed review row → feedback.

- :mod:`quizapp.study.session`: :class:`StudySession`, the sitting the GUI,
  the command line and tests drive alike (order, durability, undo, overrule,
  bury, suspend, report, pace).
- :mod:`quizapp.study.queue`: the candidate queues and the statements that
  read them.
- :mod:`quizapp.study.answers`: an answer's statements on the driver's
  connection.

Profiles and their study settings are a service (:mod:`quizapp.services.profiles`).
"""

from quizapp.study.session import ReviewResult, StaleQuestionError, StudySession, UndoResult

__all__ = ["ReviewResult", "StaleQuestionError", "StudySession", "UndoResult"]
