"""Question forms, one module per family of forms.

Each module holds the planner of a form: a function ``plan(builder, fact)`` that
returns what the question needs (prompt, answer, checked distractors) or None when
the form cannot be asked well for that fact. :mod:`quizapp.questions.generate`
registers each planner with its family and number of choices and turns a plan
into a :class:`~quizapp.questions.model.Question` with the card's random generator.
"""
