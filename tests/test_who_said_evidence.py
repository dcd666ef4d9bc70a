"""Who said it? The feedback's evidence is the sentence that names the speaker.

A quote's own sentence often is only the quotation ("“…”"); the learner who
missed the speaker must see where the article says who spoke: the sentence
before the quote ("This was stated by X:"), the quote's own sentence when it
names them ("“…” said X."), or the one after a report that is attributed
afterwards. The speaker's name is the highlighted part.
"""

from __future__ import annotations

import random

import pytest

from quizapp.assets import seed_deck_path
from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck, Fact, FactKind, Source
from quizapp.questions.generate import ALL_FORMS, QuestionBuilder
from quizapp.questions.model import Family, Form, Question


def _asked_for_speaker(builder: QuestionBuilder, fact: Fact) -> list[Question]:
    out = []
    for family, form in ((Family.RECOGNISE, Form.WHO_SAID), (Family.RECALL, Form.TYPED)):
        q = builder.build("1", fact.id, family, random.Random(5), form)
        if q is not None and (form is Form.WHO_SAID or q.input_kind == "name"):
            out.append(q)
    return out


def _highlighted(q: Question) -> str:
    e = q.evidence
    assert e.sentence and e.highlight_start is not None and e.highlight_end is not None
    return e.sentence[e.highlight_start:e.highlight_end]


def test_every_who_said_question_of_the_seed_shows_the_sentence_naming_the_speaker() -> None:
    deck = load_deck_file(seed_deck_path())
    builder = QuestionBuilder(deck)
    asked = 0
    for fact in deck.facts:
        if fact.kind is not FactKind.QUOTE:
            continue
        for q in _asked_for_speaker(builder, fact):
            asked += 1
            assert _highlighted(q) in q.answers, (fact.id, q.evidence)
            assert q.evidence.sentence is not None
    assert asked >= 10
    # Karasin's quotation stands alone in its paragraph; the sentence before it names him.
    karasin = next(f for f in deck.facts if f.id == "q-karasin")
    q = _asked_for_speaker(builder, karasin)[0]
    assert q.evidence.sentence is not None
    assert q.evidence.sentence.startswith("This was stated, in particular, by the head of the "
                                          "Federation Council Committee")
    assert "I think that this is an absolutely logical consequence" in q.evidence.sentence
    assert _highlighted(q) == "Grigory Karasin"


ARTICLE = (
    "The talks ended late on Tuesday. Speaking to reporters afterwards, the foreign "
    "minister Ana Petrova was blunt:\n“We will not sign a text that nobody has read.”\n"
    "Later, Boris Kim said that the talks would go on. “Nothing is settled yet,” said "
    "Boris Kim. Carla Mendes agreed. Dario Rossi did not. Elif Demir left early."
)


def _deck() -> Deck:
    text = ARTICLE
    facts = []
    for i, (quote, speaker) in enumerate((
            ("We will not sign a text that nobody has read.", "Ana Petrova"),
            ("Nothing is settled yet", "Boris Kim"))):
        start = text.index(quote)
        facts.append(Fact(id=f"q{i}", kind=FactKind.QUOTE, source_id="a", text=quote,
                          start=start, end=start + len(quote), speaker=speaker,
                          role="minister", reported=False))
    for i, name in enumerate(("Carla Mendes", "Dario Rossi", "Elif Demir")):
        facts.append(Fact(id=f"o{i}", kind=FactKind.QUOTE, text=f"Words number {i} here.",
                          speaker=name, role="minister", reported=False))
    return Deck(id="talks", name="Talks", sources=(Source("a", "Talks", text),),
                facts=tuple(facts))


@pytest.mark.parametrize("form", [Form.WHO_SAID, Form.TYPED])
def test_the_speaker_named_in_the_sentence_before_the_quote(form: Form) -> None:
    builder = QuestionBuilder(_deck(), forms=ALL_FORMS)
    family = Family.RECOGNISE if form is Form.WHO_SAID else Family.RECALL
    q = builder.build("1", "q0", family, random.Random(1), form)
    assert q is not None
    sentence = q.evidence.sentence
    assert sentence is not None
    assert sentence.startswith("Speaking to reporters afterwards, the foreign minister Ana")
    assert sentence.endswith("nobody has read.”")
    assert _highlighted(q) == "Ana Petrova"
    # Named in the quote's own sentence: that sentence, the name marked.
    q = builder.build("1", "q1", family, random.Random(1), form)
    assert q is not None
    assert q.evidence.sentence == "“Nothing is settled yet,” said Boris Kim."
    assert _highlighted(q) == "Boris Kim"
