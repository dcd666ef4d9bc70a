"""Fact extraction from English news articles: offline, rules only, no Qt.

``extract_facts(text)`` finds dates, numbers, speakers, quotes and reported
statements with exact offsets into ``text``; ``extract_deck(path)`` reads a
.txt, .md or .html article and returns a deck for the teacher to review.
"""

from __future__ import annotations

from quizapp.extract.pipeline import extract_deck, extract_facts
from quizapp.extract.readers import ArticleError, read_article

__all__ = ["ArticleError", "extract_deck", "extract_facts", "read_article"]
