"""Where the key stands among a question's choices, fact by fact, over many seeds.

    python benchmarks/bench_key_positions.py [DECK] [--seeds 1-40] [--min-asked 8]

For every fact asked with choices (multiple choice) at least ``--min-asked``
times over the seeds, prints the places the key took, and flags a fact whose
key always takes the same place, or stands first or last in 90% of the
questions or more: a student could then answer from the layout alone.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

from quizapp.facts.deckfile import load_deck_file
from quizapp.questions.generate import questions_json

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("deck", nargs="?", default=ROOT / "content" / "seed" / "deck.toml",
                        type=Path, help="a deck file (default: the seed deck)")
    parser.add_argument("--seeds", default="1-40", help="first-last seed (default 1-40)")
    parser.add_argument("--min-asked", type=int, default=8)
    args = parser.parse_args(argv)
    first, _, last = args.seeds.partition("-")
    deck = load_deck_file(args.deck)
    places: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for seed in range(int(first), int(last or first) + 1):
        for q in questions_json(deck, seed)["questions"]:
            if q["form"] == "choice" and q["choices"]:
                places[q["fact_id"]].append((q["choices"].index(q["answers"][0]),
                                             len(q["choices"])))
    asked = {k: v for k, v in places.items() if len(v) >= args.min_asked}
    flagged = 0
    for fact_id, seen in sorted(asked.items()):
        edge = sum(1 for p, n in seen if p in (0, n - 1)) / len(seen)
        bad = len({p for p, _ in seen}) < 2 or edge >= 0.9
        flagged += bad
        counts = ", ".join(f"{p + 1}: {c}" for p, c in sorted(Counter(p for p, _ in seen).items()))
        print(f"{'FLAG ' if bad else '     '}{fact_id}: asked {len(seen)}, key at {counts}; "
              f"first or last {edge:.0%}")
    print(f"{len(asked)} facts asked with choices at least {args.min_asked} times; "
          f"{flagged} flagged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
