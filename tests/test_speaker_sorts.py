"""A speaker's choices are speakers of the same sort: persons with persons, organisations
with organisations, states and places with their like.

Who-said offers speakers as choices, which-quote and speaker → position offer
other speakers' words: a person among places ("Paris", "Washington"), or a
person's words among a state's, give the answer away. Decks written here for
the purpose: persons only, persons mixed with places and organisations, too few
persons, and the deck's ``[[speakers]]`` (aliases, ``speaks_for``) and person
facts deciding a speaker's sort.
"""

from __future__ import annotations

import random

from quizapp.facts.model import Deck, Fact, FactKind, Speaker
from quizapp.questions.checks import QuestionChecker
from quizapp.questions.generate import ALL_FORMS, QuestionBuilder
from quizapp.questions.index import (
    ORGANISATION_SORT,
    PERSON_SORT,
    PLACE_SORT,
    speaker_sort,
)
from quizapp.questions.model import Evidence, Family, Form, Question
from quizapp.questions.normalize import norm_text

#: Statements in the third person, of similar length, with no name in them.
WORDS = [
    "The new bridge across the northern river will open before the first winter storms",
    "The harbour tariffs will fall by a clear margin before the end of the season",
    "The railway line to the coast must be repaired before any new trains can run",
    "The border crossings should stay open for trucks carrying grain and medicine",
    "The national grid needs fresh investment before the coming heat of the summer",
    "The fishing quotas for the eastern bay will be reviewed again by the experts",
    "The wheat harvest was larger than expected despite the very dry spring weather",
    "The peace talks must resume quickly because the ceasefire remains fragile",
    "The water reservoirs were filled to the brim after the long autumn rains",
    "The mountain roads should be cleared of snow before the school term begins",
]


def quote(i: int, speaker: str, role: str | None = None) -> Fact:
    return Fact(id=f"q{i}", kind=FactKind.QUOTE, text=WORDS[i], speaker=speaker, role=role,
                reported=False)


def deck(facts: list[Fact], speakers: tuple[Speaker, ...] = ()) -> Deck:
    return Deck(id="sorts", name="sorts", facts=tuple(facts), speakers=speakers)


def questions(builder: QuestionBuilder, fact_id: str, form: Form, n: int = 12) -> list[Question]:
    out = []
    for seed in range(n):
        q = builder.build(f"{fact_id}/x", fact_id, Family.RECOGNISE, random.Random(seed),
                          form=form)
        assert q is not None and q.form is form, (fact_id, form)
        out.append(q)
    return out


def offered(builder: QuestionBuilder, fact_id: str) -> set[Form]:
    return set(builder.forms_for(fact_id, Family.RECOGNISE))


def owners(d: Deck, choice: str) -> set[str]:
    """The speakers whose words a which-quote choice is."""
    return {f.speaker or "" for f in d.facts
            if f.kind is FactKind.QUOTE and norm_text(choice) in norm_text(f.text)}


PERSONS = ["Ana Petrova", "Boris Kim", "Carla Mendes", "Dario Rossi", "Elif Demir"]
PLACES = ["Moscow", "Paris and Washington", "Baku", "Ankara"]
ORGANISATIONS = ["European Union", "Red Cross", "World Bank"]


def test_a_deck_of_persons_offers_persons() -> None:
    d = deck([quote(i, name, "minister") for i, name in enumerate(PERSONS)])
    b = QuestionBuilder(d, forms=ALL_FORMS)
    checker = QuestionChecker(d)
    for i, name in enumerate(PERSONS):
        assert {Form.WHO_SAID, Form.WHICH_QUOTE} <= offered(b, f"q{i}")
        for q in questions(b, f"q{i}", Form.WHO_SAID):
            assert set(q.choices or ()) <= set(PERSONS) and name in (q.choices or ())
            assert checker.problems(q) == []
        for q in questions(b, f"q{i}", Form.WHICH_QUOTE):
            assert all(owners(d, c) <= set(PERSONS) for c in q.choices or ())


def test_a_mixed_deck_keeps_each_sort_to_itself() -> None:
    names = PERSONS[:4] + PLACES + ORGANISATIONS[:2]
    facts = [quote(i, name, "minister" if name in PERSONS else None)
             for i, name in enumerate(names)]
    d = deck(facts)
    b = QuestionBuilder(d, forms=ALL_FORMS)
    checker = QuestionChecker(d)
    sorts = {**dict.fromkeys(PERSONS, PERSON_SORT), **dict.fromkeys(PLACES, PLACE_SORT),
             **dict.fromkeys(ORGANISATIONS, ORGANISATION_SORT)}
    assert {p.display: p.sort for p in b.index.people.values()} == {
        n: sorts[n] for n in names}
    asked = {PERSON_SORT: 0, PLACE_SORT: 0}
    for i, name in enumerate(names):
        fid = f"q{i}"
        if Form.WHO_SAID in offered(b, fid):
            for q in questions(b, fid, Form.WHO_SAID):
                assert {sorts[c] for c in q.choices or ()} == {sorts[name]}, q.choices
                assert checker.problems(q) == []
            asked[sorts[name]] += 1
        if Form.WHICH_QUOTE in offered(b, fid):
            for q in questions(b, fid, Form.WHICH_QUOTE):
                shown = {sorts[o] for c in q.choices or () for o in owners(d, c)}
                assert shown == {sorts[name]}, q.choices
                assert checker.problems(q) == []
        if Form.TRUE_FALSE in offered(b, fid):  # a false statement names one of its sort
            for q in questions(b, fid, Form.TRUE_FALSE, 20):
                assert q.claimed is not None and sorts[q.claimed] == sorts[name]
    assert asked == {PERSON_SORT: 4, PLACE_SORT: 4}
    # Two organisations only: one other to offer beside the answer is too few.
    for i, name in enumerate(names):
        if name in ORGANISATIONS:
            assert not offered(b, f"q{i}") & {Form.WHO_SAID, Form.WHICH_QUOTE}
            assert b.forms_for(f"q{i}", Family.RECALL) == (Form.TYPED,)


def test_too_few_persons_means_no_choice_of_speakers() -> None:
    names = PERSONS[:2] + PLACES
    d = deck([quote(i, name, "minister" if name in PERSONS else None)
              for i, name in enumerate(names)])
    b = QuestionBuilder(d, forms=ALL_FORMS)
    for i in range(2):  # one other person: who-said, which-quote and true or false go
        assert not offered(b, f"q{i}") & {Form.WHO_SAID, Form.WHICH_QUOTE, Form.TRUE_FALSE}
        assert b.forms_for(f"q{i}", Family.RECALL) == (Form.TYPED,)  # typed stays
    for i in range(2, len(names)):  # the places have three others of their sort
        assert Form.WHO_SAID in offered(b, f"q{i}")
        for q in questions(b, f"q{i}", Form.WHO_SAID):
            assert set(q.choices or ()) <= set(PLACES)


def test_the_deck_says_who_is_a_person() -> None:
    # "Lula" is one word, but a person fact names him (and he has a role); "the Kremlin"
    # is another name of Moscow, a place; "Elysee" stands for Paris; the Commission is
    # an organisation whoever speaks for it.
    facts = [
        quote(0, "Lula", "President of Brazil"),
        quote(1, "Ana Petrova", "minister"),
        quote(2, "Boris Kim", "minister"),
        quote(3, "the Kremlin"),
        quote(4, "Elysee"),
        quote(5, "Ankara"),
        quote(6, "European Commission"),
        Fact(id="p-lula", kind=FactKind.PERSON, text="Lula", name="Lula",
             role="President of Brazil"),
    ]
    speakers = (
        Speaker("Moscow", aliases=("the Kremlin", "Russia")),
        Speaker("Paris", aliases=("Elysee",)),
        Speaker("Ana Petrova", speaks_for=("European Commission",)),
    )
    d = deck(facts, speakers)
    b = QuestionBuilder(d, forms=ALL_FORMS)
    ix = b.index
    sort = {name: ix.person_of(name).sort for name in  # type: ignore[union-attr]
            ("Lula", "Ana Petrova", "Moscow", "Russia", "Paris", "Ankara",
             "European Commission")}
    assert sort == {"Lula": PERSON_SORT, "Ana Petrova": PERSON_SORT, "Moscow": PLACE_SORT,
                    "Russia": PLACE_SORT, "Paris": PLACE_SORT, "Ankara": PLACE_SORT,
                    "European Commission": ORGANISATION_SORT}
    checker = QuestionChecker(d)
    assert checker.sort_of("Lula") == PERSON_SORT and checker.sort_of("Elysee") == PLACE_SORT
    for q in questions(b, "q0", Form.WHO_SAID):
        assert set(q.choices or ()) == {"Lula", "Ana Petrova", "Boris Kim"}
    places = {ix.person_of(n).key for n in ("Moscow", "Paris", "Ankara")}  # type: ignore[union-attr]
    for q in questions(b, "q3", Form.WHO_SAID):
        assert {ix.person_of(c).key for c in q.choices or ()} == places  # type: ignore[union-attr]
    # The Commission has no other organisation beside it.
    assert Form.WHO_SAID not in offered(b, "q6")


def test_speaker_sort_reads_names_roles_and_person_facts() -> None:
    assert speaker_sort(["Nikol Pashinyan"]) == PERSON_SORT
    assert speaker_sort(["Lula"], has_role=True) == PERSON_SORT
    assert speaker_sort(["Lula"], person_fact=True) == PERSON_SORT
    assert speaker_sort(["Lula"]) == PLACE_SORT  # nothing says who Lula is
    assert speaker_sort(["Moscow", "the Kremlin", "Russia"]) == PLACE_SORT
    assert speaker_sort(["Paris and Washington"], has_role=True) == PLACE_SORT
    assert speaker_sort(["Russian Federation"]) == PLACE_SORT
    assert speaker_sort(["the Armenian authorities"]) == PLACE_SORT
    assert speaker_sort(["Caucasus Institute"], has_role=True) == ORGANISATION_SORT
    assert speaker_sort(["European Union"]) == ORGANISATION_SORT


def test_the_guard_refuses_a_mixed_choice_of_speakers() -> None:
    names = PERSONS[:3] + PLACES[:3]
    d = deck([quote(i, name, "minister" if name in PERSONS else None)
              for i, name in enumerate(names)])
    checker = QuestionChecker(d)
    evidence = Evidence(WORDS[0], None, None)
    mixed = Question("q0/x", "q0", Family.RECOGNISE, Form.WHO_SAID,
                     f"Who said: \u201c{WORDS[0]}\u201d?", (PERSONS[0],),
                     (PERSONS[0], PERSONS[1], "Moscow", PERSONS[2]), evidence,
                     input_kind="choice")
    assert any("another sort" in p and "Moscow" in p for p in checker.problems(mixed))
    same = Question("q0/x", "q0", Family.RECOGNISE, Form.WHO_SAID,
                    f"Who said: \u201c{WORDS[0]}\u201d?", (PERSONS[0],),
                    (PERSONS[0], PERSONS[1], PERSONS[2]), evidence, input_kind="choice")
    assert checker.problems(same) == []
    which = Question("q0/x", "q0", Family.RECOGNISE, Form.WHICH_QUOTE,
                     f"Which of these did {PERSONS[0]} say?", (WORDS[0],),
                     (WORDS[0], WORDS[1], WORDS[3]), evidence, input_kind="choice")
    problems = checker.problems(which)
    assert any("another sort" in p and WORDS[3][:20] in p for p in problems), problems
    assert not any(WORDS[1][:20] in p for p in problems)
