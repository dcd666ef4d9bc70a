"""Questions built from facts, and the grading of answers to them.

- :mod:`.generate`: :class:`~.generate.QuestionBuilder` (forms per fact, prompts) and
  :func:`~.generate.questions_json` (the question JSON of DESIGN.md).
- :mod:`.grading`: :func:`~.grading.grade` and :func:`~.grading.rating_for`.
- :mod:`.distractors`, :mod:`.index`: wrong answers and the deck indexes behind them.
- :mod:`.numbers`, :mod:`.dates`, :mod:`.normalize`: reading and writing values.
- :mod:`.checks`: audits built questions against the rules, from the facts alone.
"""
