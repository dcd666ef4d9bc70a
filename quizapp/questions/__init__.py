"""Questions built from facts, and the grading of answers to them.

- :mod:`.generate`: :class:`~.generate.QuestionBuilder` (forms per fact, prompts) and
  :func:`~.generate.questions_json` (the question JSON of DESIGN.md).
- :mod:`.grading`: :func:`~.grading.grade` (the rating an answer earns is one memory's rule:
  :func:`quizapp.scheduling.memory.rating_for`).
- :mod:`.distractors`, :mod:`.index`: wrong answers and the deck indexes behind them.
- :mod:`.numbers`, :mod:`.dates`, :mod:`.normalize`: reading and writing values.
- :mod:`.checks`: the run-time guard every built question passes, re-deriving each rule
  from the facts alone (a question that fails is not shown).
- :mod:`.prompts`: the fixed words of prompts and the text rules the builder and the
  guard share (cloze masking, which-quote options, quotations with no content).
- :mod:`.related`: :func:`~.related.related_facts`, the facts a question about one may
  give away to the other, and :func:`~.related.gives_away` for a study session.
"""
