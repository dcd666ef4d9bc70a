"""The share of each kind of question (who said what, person and role, date, number)
over many seeds of ``quizapp questions``, and the forms within each kind.

    python benchmarks/bench_kind_mix.py [DECK] [--seeds 1-40]

DECK is a deck file (default: the seed deck) or an article (.txt, .md, .html),
whose facts are found as ``quizapp extract`` finds them. Flags a kind over 40%
when the deck has at least three kinds. Then a study sitting is imitated: the
deck's cards, all due, served in a seeded random order, once as they come and
once with :func:`quizapp.questions.mix.prefer_kinds`; for each, the largest
share any kind takes among the first 20 questions.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.model import Deck
from quizapp.questions.generate import questions_for_deck
from quizapp.questions.mix import MAX_SHARE, Kind, kind_of, kind_shares, prefer_kinds

ROOT = Path(__file__).resolve().parent.parent
SITTING = 20  # questions of the imitated study sitting


def load(path: Path) -> Deck:
    """A deck file, or the facts found in an article."""
    if path.suffix.lower() == ".toml":
        return load_deck_file(path)
    from quizapp.importers.article import extract_article

    return extract_article(path).found


def sitting_peak(cards: list[tuple[str, Kind]], preferred: bool) -> float:
    """The largest share of one kind among the first ``SITTING`` questions served."""
    queue = list(cards)
    asked: list[Kind] = []
    while queue and len(asked) < SITTING:
        if preferred:
            queue = prefer_kinds(queue, lambda c: c[1], asked)
        asked.append(queue.pop(0)[1])
    return max(kind_shares(asked).values(), default=0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("deck", nargs="?", default=ROOT / "content" / "seed" / "deck.toml",
                        type=Path, help="a deck file or an article (default: the seed deck)")
    parser.add_argument("--seeds", default="1-40", help="first-last seed (default 1-40)")
    args = parser.parse_args(argv)
    first, _, last = args.seeds.partition("-")
    deck = load(args.deck)
    fact_kind = {f.id: kind_of(f.kind) for f in deck.facts}
    kinds: list[Kind] = []
    forms: dict[Kind, Counter[str]] = defaultdict(Counter)
    cards: list[tuple[str, Kind]] = []
    for seed in range(int(first), int(last or first) + 1):
        for q in questions_for_deck(deck, seed):
            kind = fact_kind[q.fact_id]
            kinds.append(kind)
            forms[kind][q.form.value] += 1
            if seed == int(first):
                cards.append((q.card_id, kind))
    shares = kind_shares(kinds)
    print(f"{deck.id}: {len(kinds)} questions over seeds {args.seeds}")
    several = len(shares) >= 3
    for kind, share in shares.items():
        flag = "OVER " if several and share > MAX_SHARE else "     "
        detail = ", ".join(f"{form} {n}" for form, n in forms[kind].most_common())
        print(f"{flag}{kind.value:<16} {share:6.1%}  ({detail})")
    peaks = {True: [], False: []}  # type: dict[bool, list[float]]
    for seed in range(int(first), int(last or first) + 1):
        order = cards[:]
        random.Random(seed).shuffle(order)
        for preferred in (False, True):
            peaks[preferred].append(sitting_peak(order, preferred))
    for preferred in (False, True):
        mean = sum(peaks[preferred]) / len(peaks[preferred])
        label = "with prefer_kinds" if preferred else "as they come     "
        print(f"study sitting of {SITTING}, {label}: largest kind share "
              f"{mean:.1%} on average, {max(peaks[preferred]):.1%} at most")
    return 0


if __name__ == "__main__":
    sys.exit(main())
