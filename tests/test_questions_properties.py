"""Property-based tests: random decks, every form, every rule.

The hypothesis profiles (``ci`` and ``dev``, both without deadlines) are
registered and loaded in ``tests/conftest.py``.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field

from hypothesis import given
from hypothesis import strategies as st

from quizapp.facts.model import Deck, Fact, FactKind, Source, Speaker
from quizapp.facts.speakers import SpeakerRelations
from quizapp.questions.checks import QuestionChecker
from quizapp.questions.dates import DateStyle, PartialDate, format_date, is_valid, parse_date_text
from quizapp.questions.generate import QuestionBuilder, questions_json
from quizapp.questions.grading import grade
from quizapp.questions.model import Evidence, Family, Form, Question, Verdict
from quizapp.questions.normalize import close_enough, edit_distance, norm_text
from quizapp.questions.numbers import int_to_words, parse_number, style_for

FIRST = ["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Galina", "Hasan"]
LAST = ["Petrov", "Okafor", "Tanaka", "Novák", "Haddad", "Silva", "Jensen", "Rossi"]
ORGS = ["Moscow", "the Kremlin", "Paris and Washington", "the Ministry of Health"]
ROLES = [
    "mayor of the city", "head of the central bank", "defence minister", "spokesperson",
    "director of the museum", "chair of the committee", "governor of the province",
    "foreign minister", "press secretary of the president", "rector of the university",
]  # fmt: skip
EVENTS = [
    "harvest", "flood", "summit", "election", "strike", "treaty", "eclipse", "parade",
    "census", "festival", "merger", "launch",
]  # fmt: skip
COUNTS = [
    "tanks", "schools", "farms", "bridges", "doctors", "trade with the south",
    "former trade with the south", "share of the market", "current share of the market",
]  # fmt: skip
WORDS = [
    "we", "think", "the", "plan", "will", "help", "people", "in", "towns", "and", "farms",
    "because", "prices", "rise", "slowly", "while", "roads", "stay", "closed", "nobody",
    "expects", "quick", "change", "before", "winter", "comes", "again", "soon",
]  # fmt: skip
UNIT_FRACTIONS = {2: "half", 3: "third", 4: "quarter", 5: "fifth", 8: "eighth", 10: "tenth"}
QUALIFIERS = [None, None, None, None, "more than", "about", "at least", "up to", "nearly"]


@dataclass
class _Part:
    """One sentence of the generated article and the facts stated in it."""

    sentence: str
    facts: list[tuple[str, dict[str, object]]] = field(default_factory=list)  # span, fields


@st.composite
def date_parts(draw: st.DrawFn, i: int) -> _Part:
    precision = draw(st.sampled_from(["day", "month", "year", "monthday"]))
    d = PartialDate(
        None if precision == "monthday" else draw(st.integers(1950, 2023)),
        None if precision == "year" else draw(st.integers(1, 12)),
        draw(st.integers(1, 28)) if precision in ("day", "monthday") else None,
    )
    style = DateStyle(order=draw(st.sampled_from(["mdy", "dmy", "iso"])))
    text = format_date(d, style)
    name = EVENTS[i % len(EVENTS)]
    sentence = f"The {name} took place on {text} after long talks."
    fields: dict[str, object] = {
        "id": f"d{i}", "kind": FactKind.DATE, "value": d.iso(),
        "stem": f"When did the {name} take place?", "event": f"The {name}",
    }  # fmt: skip
    return _Part(sentence, [(text, fields)])


@st.composite
def number_texts(draw: st.DrawFn) -> tuple[str, float, str | None]:
    kind = draw(st.sampled_from(["count", "big", "percent", "money", "years", "fraction"]))
    if kind == "count":
        v = draw(st.integers(1, 99))
        return (int_to_words(v) if draw(st.booleans()) and v < 20 else str(v)), v, None
    if kind == "big":
        v = draw(st.integers(100, 250_000))
        return (f"{v:,}" if draw(st.booleans()) else str(v)), v, None
    if kind == "percent":
        v = draw(st.integers(1, 99))
        return f"{v}%", v, "%"
    if kind == "money":
        tenths = draw(st.integers(11, 999))
        return f"${tenths / 10:.1f} billion", tenths * 1e8, "USD"
    if kind == "years":
        v = draw(st.integers(2, 19))
        return f"{int_to_words(v)} years", v, "years"
    denominator = draw(st.sampled_from(sorted(UNIT_FRACTIONS)))
    return f"a {UNIT_FRACTIONS[denominator]}", round(1 / denominator, 3), None


@st.composite
def number_parts(draw: st.DrawFn, i: int) -> _Part:
    text, value, unit = draw(number_texts())
    qualifier = draw(st.sampled_from(QUALIFIERS))
    counts = draw(st.sampled_from(COUNTS))
    shown = f"{qualifier} {text}" if qualifier else text
    sentence = f"Officials reported {shown} for the {counts} in region {EVENTS[i % 12]}."
    fields: dict[str, object] = {
        "id": f"n{i}", "kind": FactKind.NUMBER, "value": value, "unit": unit, "counts": counts,
        "qualifier": qualifier, "stem": f"What figure was given for the {counts}?",
    }  # fmt: skip
    return _Part(sentence, [(text, fields)])


@st.composite
def quote_parts(draw: st.DrawFn, i: int, speakers: list[str]) -> _Part:
    speaker = draw(st.sampled_from(speakers))
    words = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=30))
    reported = draw(st.booleans())
    role = draw(st.sampled_from([None, *ROLES]))
    fields: dict[str, object] = {
        "id": f"q{i}", "kind": FactKind.QUOTE, "speaker": speaker, "role": role,
        "reported": reported,
    }  # fmt: skip
    facts: list[tuple[str, dict[str, object]]] = []
    if draw(st.booleans()):  # a number stated inside the quotation
        text, value, unit = draw(number_texts())
        words = [*words[:2], text, "were", "counted", *words[2:]]
        inner: dict[str, object] = {
            "id": f"qn{i}", "kind": FactKind.NUMBER, "value": value, "unit": unit,
            "counts": "items counted", "stem": "How many items were counted?",
        }  # fmt: skip
        facts.append((text, inner))
    quote = " ".join(words)
    if reported:
        sentence = f"{speaker[0].upper()}{speaker[1:]} said that {quote}."
    else:
        sentence = f"{speaker[0].upper()}{speaker[1:]} said: \u201c{quote}\u201d."
    return _Part(sentence, [(quote, fields), *facts])


@st.composite
def decks(draw: st.DrawFn) -> Deck:
    people = draw(
        st.lists(
            st.tuples(st.sampled_from(FIRST), st.sampled_from(LAST)).map(" ".join),
            max_size=6,
            unique=True,
        )
    )
    speakers = people + draw(st.lists(st.sampled_from(ORGS), max_size=3, unique=True))
    parts: list[_Part] = []
    for i in range(draw(st.integers(0, 7))):
        parts.append(draw(date_parts(i)))
    for i in range(draw(st.integers(0, 8))):
        parts.append(draw(number_parts(i)))
    if speakers:
        for i in range(draw(st.integers(0, 8))):
            parts.append(draw(quote_parts(i, speakers)))
    roles = draw(st.lists(st.sampled_from(ROLES), min_size=len(people), max_size=len(people)))
    for i, (name, role) in enumerate(zip(people, roles, strict=True)):
        fields: dict[str, object] = {"id": f"p{i}", "kind": FactKind.PERSON, "name": name,
                                     "role": role}  # fmt: skip
        parts.append(_Part(f"Among the guests was {name}, the {role}.", [(name, fields)]))
    order = draw(st.permutations(range(len(parts))))
    text = ""
    facts: list[Fact] = []
    for k in order:
        part = parts[k]
        base = len(text)
        for span, fields in part.facts:
            start = base + part.sentence.index(span)
            facts.append(
                Fact(source_id="src", text=span, start=start, end=start + len(span), **fields)  # type: ignore[arg-type]
            )
        text += part.sentence + " "
    for i in range(draw(st.integers(0, 3))):
        facts.append(
            Fact(id=f"qa{i}", kind=FactKind.QA, front=f"What is term {EVENTS[i]}?", back=WORDS[i])
        )
    published = draw(st.sampled_from([None, "2024", "2023-05"]))
    source = Source(id="src", title="Random article", text=text, published=published)
    return Deck(id="random", name="random", sources=(source,), facts=tuple(facts))


@given(deck=decks(), seed=st.integers(0, 2**32))
def test_every_form_of_a_random_deck_follows_the_rules(deck: Deck, seed: int) -> None:
    builder = QuestionBuilder(deck)
    checker = QuestionChecker(deck)
    rng = random.Random(seed)
    for fact in deck.facts:
        for family in Family:
            for form in builder.forms_for(fact.id, family):
                q = builder.build(f"{fact.id}/{family}", fact.id, family, rng, form=form)
                assert q is not None, (fact.id, form)
                assert q.form is form and q.family is family
                assert checker.problems(q) == [], (fact.id, form, q.prompt, q.choices)


@st.composite
def decks_with_speakers(draw: st.DrawFn) -> Deck:
    """A random deck whose ``[[speakers]]`` fold organisations together under one name
    (another organisation of the deck, or a new name) and let people speak for them."""
    deck = draw(decks())
    names = sorted(
        {f.speaker for f in deck.facts if f.kind is FactKind.QUOTE and f.speaker}
        | {f.name for f in deck.facts if f.kind is FactKind.PERSON and f.name}
    )
    orgs = [n for n in names if n in ORGS]
    persons = [n for n in names if n not in ORGS]
    tables: list[Speaker] = []
    shuffled = draw(st.permutations(orgs))
    if len(shuffled) >= 2 and draw(st.booleans()):  # two organisations of the deck are one
        tables.append(Speaker(shuffled[0], aliases=(shuffled[1],)))
        shuffled = shuffled[2:]
    for org in shuffled:
        if draw(st.booleans()):
            tables.append(Speaker(org, aliases=(f"the {org.split()[-1]} office",)))
    for person in persons:
        if orgs and draw(st.booleans()):
            tables.append(Speaker(person, speaks_for=(draw(st.sampled_from(orgs)),)))
    return dataclasses.replace(deck, speakers=tuple(tables))


@given(deck=decks_with_speakers(), seed=st.integers(0, 2**32))
def test_attribution_questions_offer_no_second_right_answer(deck: Deck, seed: int) -> None:
    """Who-said and which-quote never offer a speaker, or a statement of a speaker, that is the
    asked one under another name, speaks for them or is spoken for; every other rule holds."""
    builder = QuestionBuilder(deck)
    checker = QuestionChecker(deck)
    rel = SpeakerRelations.of(deck)
    rng = random.Random(seed)
    for fact in deck.facts:
        for family in Family:
            for form in builder.forms_for(fact.id, family):
                q = builder.build(f"{fact.id}/{family}", fact.id, family, rng, form=form)
                assert q is not None, (fact.id, form)
                assert checker.problems(q) == [], (fact.id, form, q.prompt, q.choices)
                if form is Form.WHO_SAID:
                    wrong = [c for c in q.choices or () if c != q.answers[0]]
                    assert not any(rel.related(c, fact.speaker or "") for c in wrong), q.choices
                if q.input_kind == "name" and fact.kind is FactKind.QUOTE:
                    # every other name of the speaker is accepted when typed
                    for name in rel.names(fact.speaker or ""):
                        assert grade(q, name, known_names=builder.known_names()).correct, name


@given(deck=decks(), seed=st.integers(0, 1000))
def test_question_json_is_deterministic_and_order_free(deck: Deck, seed: int) -> None:
    first = questions_json(deck, seed)
    assert questions_json(deck, seed) == first
    shuffled = Deck(
        id=deck.id, name=deck.name, sources=deck.sources, facts=tuple(reversed(deck.facts))
    )
    by_card = {q["card_id"]: q for q in questions_json(shuffled, seed)["questions"]}
    assert by_card == {q["card_id"]: q for q in first["questions"]}


@given(deck=decks())
def test_only_kind_appropriate_forms_are_offered(deck: Deck) -> None:
    builder = QuestionBuilder(deck)
    allowed = {
        FactKind.DATE: {Form.CHOICE, Form.TYPED, Form.CLOZE, Form.TIMELINE},
        FactKind.NUMBER: {Form.CHOICE, Form.LARGER, Form.TYPED, Form.CLOZE},
        FactKind.QUOTE: {Form.WHO_SAID, Form.WHICH_QUOTE, Form.TYPED},
        FactKind.PERSON: {Form.CHOICE, Form.TYPED},
        FactKind.QA: {Form.FLASHCARD, Form.TYPED},
    }
    for fact in deck.facts:
        forms = {f for fam in Family for f in builder.forms_for(fact.id, fam)}
        assert forms <= allowed[fact.kind]
        if fact.kind in (FactKind.DATE, FactKind.NUMBER):
            assert Form.CLOZE in forms  # every located number and date can be blanked


# --------------------------------------------------------------------------
# Reading and writing numbers, dates and names


@given(st.integers(0, 999_999_999))
def test_number_words_read_back(n: int) -> None:
    reading = parse_number(int_to_words(n))
    assert reading is not None and reading.value == n


@given(st.integers(1, 10**12))
def test_digits_with_separators_read_back(n: int) -> None:
    for text in (f"{n:,}", str(n)):
        reading = parse_number(text)
        assert reading is not None and reading.value == n


@given(st.integers(11, 9999), st.sampled_from([("$", " billion", 1e9), ("", " million", 1e6)]))
def test_scaled_numbers_keep_their_style(tenths: int, style: tuple[str, str, float]) -> None:
    prefix, scale_word, scale = style
    text = f"{prefix}{tenths / 10:.1f}{scale_word}"
    value = tenths / 10 * scale
    written = style_for(text, value, "USD" if prefix else None, None)
    mantissa = written.mantissa(value)
    assert mantissa is not None and written.render(mantissa) == text
    reading = parse_number(text)
    assert reading is not None and abs(reading.value - value) < 1e-6 * value


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    d = PartialDate(
        draw(st.one_of(st.none(), st.integers(1000, 2100))),
        draw(st.one_of(st.none(), st.integers(1, 12))),
        draw(st.one_of(st.none(), st.integers(1, 31))),
    )
    if d.precision not in ("day", "monthday", "month", "year") or not is_valid(d):
        return PartialDate(2020, 11, 10)
    return d


@given(partial_dates(), st.sampled_from(["mdy", "dmy", "iso"]), st.booleans(), st.booleans())
def test_dates_read_back_in_every_style(
    d: PartialDate, order: str, abbreviated: bool, ordinal: bool
) -> None:
    style = DateStyle(order=order, abbreviated=abbreviated, ordinal=ordinal)
    assert parse_date_text(format_date(d, style)) == d


@given(st.text(alphabet="abcdefghij", max_size=12), st.text(alphabet="abcdefghij", max_size=12))
def test_edit_distance_is_a_distance(a: str, b: str) -> None:
    d = edit_distance(a, b)
    assert d == edit_distance(b, a)
    assert (d == 0) == (a == b)
    assert d <= max(len(a), len(b))
    assert close_enough(norm_text(a), norm_text(a))


@given(
    st.tuples(st.sampled_from(FIRST), st.sampled_from(LAST)).map(" ".join),
    st.integers(0, 30),
)
def test_names_with_one_slip_are_accepted(name: str, position: int) -> None:
    from quizapp.questions.model import Evidence, Question

    q = Question(
        card_id="c", fact_id="f", family=Family.RECALL, form=Form.TYPED, prompt="Who?",
        answers=(name,), choices=None, evidence=Evidence(None, None, None), input_kind="name",
    )  # fmt: skip
    i = position % len(name)
    slipped = name[:i] + ("x" if name[i] != "x" else "y") + name[i + 1 :]
    assert grade(q, slipped.upper()).verdict is Verdict.RIGHT
    assert grade(q, name.lower()).verdict is Verdict.RIGHT


def _typed(answers: tuple[str, ...], kind: str) -> Question:
    return Question(
        card_id="c", fact_id="f", family=Family.RECALL, form=Form.TYPED, prompt="?",
        answers=answers, choices=None, evidence=Evidence(None, None, None), input_kind=kind,
    )  # fmt: skip


@given(st.integers(1990, 2030), st.integers(1, 12), st.integers(1, 28), st.sampled_from("/.-"))
def test_an_all_digit_date_is_right_read_either_way(
    year: int, month: int, day: int, sep: str
) -> None:
    """Day first or month first: an all-digit date is right when either reading is the key,
    and a date whose two readings both miss it is never right."""
    key = PartialDate(year, month, day)
    q = _typed((format_date(key), key.iso()), "date")
    assert grade(q, f"{day}{sep}{month}{sep}{year}").verdict is Verdict.RIGHT
    assert grade(q, f"{month}{sep}{day}{sep}{year}").verdict is Verdict.RIGHT
    other = (day % 28) + 1  # another day, also not the month
    if other != month:
        assert grade(q, f"{other}{sep}{other}{sep}{year}").verdict is not Verdict.RIGHT


@given(st.integers(100, 99_999).filter(lambda n: n % 100 != 0), st.sampled_from([1, -1, 2]))
def test_an_exact_count_is_exact_in_every_spelling(n: int, off: int) -> None:
    """An exact count ("380 vehicles", "1,960 personnel") accepts its value in digits,
    English or European separators and words, and never a neighbour."""
    key = f"{n:,}"
    q = _typed((key, str(n)), "number")
    for spelling in (str(n), key, key.replace(",", "."), key.replace(",", " "), int_to_words(n)):
        assert grade(q, spelling).verdict is Verdict.RIGHT, spelling
    assert grade(q, str(n + off)).verdict is Verdict.WRONG
