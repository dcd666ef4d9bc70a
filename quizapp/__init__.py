"""quizapp: questions built from the facts of a text, scheduled with FSRS."""

__version__ = "0.1.0"
