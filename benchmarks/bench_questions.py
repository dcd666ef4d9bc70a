"""How long question building takes on a large deck.

Builds a synthetic deck of 100,000 facts (numbers, dates, quotes, people and
Q/A notes in realistic proportions and styles), then prints JSON with the
builder's construction time, the time to its first question (the deck index
builds its people, number and date parts on first use, so the first question
pays for the parts it needs), the time all index parts take together, and the
median time to build one question, both the first time a card is shown (cold:
per-fact candidates are computed) and again later (warm: they are cached).

    python benchmarks/bench_questions.py [--facts 100000] [--builds 20000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.questions.generate import QuestionBuilder, card_id_for, card_rng
from quizapp.questions.model import Family
from quizapp.questions.numbers import int_to_words

FIRST = ("Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Galina", "Hasan", "Irina")
LAST = ("Petrov", "Ivanova", "Smith", "Okafor", "Tanaka", "Novak", "Kowalski", "Haddad", "Silva")
NOUNS = ("soldiers", "vehicles", "tanks", "schools", "hospitals", "farms", "bridges", "doctors")
PLACES = ("the north", "the south", "the capital", "the region", "the border", "the coast")
ROLES = ("minister", "director", "spokesperson", "chairman", "governor", "ambassador", "adviser")
BODIES = ("Ministry of Health", "Central Bank", "State Council", "Foreign Ministry", "Senate")
WORDS = ("the", "of", "and", "to", "in", "that", "is", "was", "for", "on", "with", "as", "by")
MONTHS = "January February March April May June July August September October November December"


def _name(rng: random.Random, i: int) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}{i % 400 if i % 400 else ''}"


def _number_fact(i: int, rng: random.Random) -> Fact:
    unit = rng.choice([None, None, "%", "USD", "years"])
    counts = f"{rng.choice(NOUNS)} in {rng.choice(PLACES)} {i % 300}"
    if unit == "%":
        value: float = rng.randint(1, 99)
        text = f"{int(value)}%"
    elif unit == "USD":
        mantissa = rng.randint(11, 99) / 10
        value = mantissa * 1e9
        text = f"${mantissa:.1f} billion"
    elif unit == "years":
        value = rng.randint(2, 30)
        text = f"{int_to_words(int(value))} years"
    else:
        value = rng.choice([rng.randint(2, 19), rng.randint(20, 999), rng.randint(1000, 99999)])
        text = f"{int(value):,}"
    qualifier = rng.choice([None] * 8 + ["more than", "about"])
    sentence = f"In {rng.choice(PLACES)}, {text} {counts} were counted."
    start = sentence.index(text)
    return Fact(
        id=f"n-{i}", kind=FactKind.NUMBER, text=text, value=value, unit=unit, counts=counts,
        qualifier=qualifier, stem=f"How many {counts} were counted?", start=start,
        end=start + len(text), sentence=sentence, sentence_start=0,
    )  # fmt: skip


def _date_fact(i: int, rng: random.Random) -> Fact:
    year = rng.randint(1900, 2023)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    kind = rng.choice(["day", "day", "month", "year"])
    month_name = MONTHS.split()[month - 1]
    if kind == "day":
        value, text = f"{year}-{month:02d}-{day:02d}", f"{month_name} {day}, {year}"
    elif kind == "month":
        value, text = f"{year}-{month:02d}", f"{month_name} {year}"
    else:
        value, text = str(year), str(year)
    sentence = f"Event number {i} happened on {text} in {rng.choice(PLACES)}."
    start = sentence.index(text)
    return Fact(
        id=f"d-{i}", kind=FactKind.DATE, text=text, value=value,
        stem=f"When did event number {i} happen?", event=f"Event number {i}",
        start=start, end=start + len(text), sentence=sentence, sentence_start=0,
    )  # fmt: skip


def _quote_fact(i: int, rng: random.Random) -> Fact:
    words = [rng.choice(WORDS) for _ in range(rng.randint(5, 60))]
    words[0] = f"Topic{i}"
    words[-1] = rng.choice(NOUNS)  # two content words: words of nothing but "the of and"
    # are not asked who said them
    return Fact(
        id=f"q-{i}", kind=FactKind.QUOTE, text=" ".join(words), speaker=_name(rng, i % 2000),
        role=f"{rng.choice(ROLES)} of the {rng.choice(BODIES)} {i % 2000}",
        reported=rng.random() < 0.3,
    )  # fmt: skip


def _person_fact(i: int, rng: random.Random) -> Fact:
    return Fact(
        id=f"p-{i}", kind=FactKind.PERSON, name=_name(rng, i), text=_name(rng, i),
        role=f"{rng.choice(ROLES)} of the {rng.choice(BODIES)} {i}",
    )  # fmt: skip


def synthetic_deck(size: int, seed: int = 7) -> Deck:
    """A deck of ``size`` facts: 30% numbers, 25% dates, 20% quotes, 15% people, 10% Q/A."""
    rng = random.Random(seed)
    facts: list[Fact] = []
    for i in range(size):
        r = i % 20
        if r < 6:
            facts.append(_number_fact(i, rng))
        elif r < 11:
            facts.append(_date_fact(i, rng))
        elif r < 15:
            facts.append(_quote_fact(i, rng))
        elif r < 18:
            facts.append(_person_fact(i, rng))
        else:
            facts.append(Fact(id=f"qa-{i}", kind=FactKind.QA, front=f"Term {i}?", back=f"x{i}"))
    return Deck(id="bench", name="Benchmark deck", facts=tuple(facts))


def _median_us(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1e6, 1)


def main() -> None:
    """Run the benchmark and print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=100_000)
    parser.add_argument("--builds", type=int, default=20_000)
    args = parser.parse_args()

    deck = synthetic_deck(args.facts)
    t0 = time.perf_counter()
    builder = QuestionBuilder(deck)
    construct_s = time.perf_counter() - t0

    rng = random.Random(1)
    cards = [(f.id, fam) for f in rng.sample(list(deck.facts), args.builds) for fam in Family]
    first_id, first_family = cards[0]
    first_card = card_id_for(first_id, first_family)
    t0 = time.perf_counter()
    builder.build(first_card, first_id, first_family, card_rng(0, first_card))
    first_question_s = construct_s + time.perf_counter() - t0
    t0 = time.perf_counter()
    index = QuestionBuilder(deck).index
    index.people, index.unit_of, index.date_of  # noqa: B018 (every part, as one question may need)
    all_parts_s = time.perf_counter() - t0
    cold: list[float] = []
    warm: list[float] = []
    built = 0
    for fact_id, family in cards:
        card = card_id_for(fact_id, family)
        t = time.perf_counter()
        question = builder.build(card, fact_id, family, card_rng(1, card))
        cold.append(time.perf_counter() - t)
        built += question is not None
    for fact_id, family in cards:
        card = card_id_for(fact_id, family)
        t = time.perf_counter()
        builder.build(card, fact_id, family, card_rng(2, card))
        warm.append(time.perf_counter() - t)
    print(
        json.dumps(
            {
                "facts": args.facts,
                "cards_built": len(cards),
                "questions": built,
                "builder_construction_s": round(construct_s, 3),
                "first_question_s": round(first_question_s, 3),
                "index_all_parts_s": round(all_parts_s, 3),
                "build_cold_median_us": _median_us(cold),
                "build_cold_p95_us": round(sorted(cold)[int(len(cold) * 0.95)] * 1e6, 1),
                "build_warm_median_us": _median_us(warm),
                "build_warm_p95_us": round(sorted(warm)[int(len(warm) * 0.95)] * 1e6, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
