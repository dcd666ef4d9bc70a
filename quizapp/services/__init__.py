"""Use cases that the command line and the desktop app both call.

Each service takes an open :class:`~quizapp.services.collection.Collection`, does one
thing a user asks for (import a file, …) with the same checks and wording on
both faces, and returns a typed result. See docs/architecture.md.
"""
