"""The desktop app (PySide6): the only part of quizapp that imports Qt.

Layout lives in :mod:`quizapp.gui.views`, behaviour in
:mod:`quizapp.gui.controllers`, item models in :mod:`quizapp.gui.models`.
"""
