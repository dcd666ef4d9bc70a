"""Attribution questions that offer a second right answer, over seeds of a deck.

For each seed, ``quizapp questions DECK --json --seed N`` is run as a
subprocess (with ``--quizapp-root`` another checkout's quizapp can be
measured), and every who-said and which-quote question is checked against the
speakers a deck file states (``--speakers-from``, default: DECK itself): a
question counts when one of its wrong choices is a speaker, or a statement of
a speaker, that is the asked speaker under another name, speaks for them, or
is spoken for by them. A question whose choices mix speakers of different
sorts (a person among places, a person's words among a state's) is counted
too, by this checkout's rule, whichever quizapp made the questions.

    python benchmarks/bench_attribution.py content/seed/deck.toml --seeds 1-40
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from quizapp.facts.deckfile import load_deck_file  # noqa: E402
from quizapp.facts.model import Deck, FactKind  # noqa: E402
from quizapp.facts.speakers import SpeakerRelations  # noqa: E402
from quizapp.questions.checks import QuestionChecker  # noqa: E402
from quizapp.questions.normalize import norm_text  # noqa: E402


def seeds_of(text: str) -> list[int]:
    """``"1-40"`` or ``"3,5,8"`` as a list of seeds."""
    if "-" in text:
        lo, hi = text.split("-", 1)
        return list(range(int(lo), int(hi) + 1))
    return [int(s) for s in text.split(",")]


def conflicts(question: dict[str, object], deck: Deck, rel: SpeakerRelations) -> list[str]:
    """The wrong choices of an attribution question that the article also gives the asked one."""
    fact = deck.fact(str(question["fact_id"]))
    speaker = fact.speaker or ""
    choices = [str(c) for c in question.get("choices") or []]  # type: ignore[attr-defined]
    answers = {norm_text(str(a)) for a in question.get("answers") or []}  # type: ignore[attr-defined]
    wrong = [c for c in choices if norm_text(c) not in answers]
    out: list[str] = []
    if question["form"] == "who_said":
        out += [c for c in wrong if rel.related(c, speaker)]
    elif question["form"] == "which_quote":
        for c in wrong:
            body = norm_text(c.rstrip("\u2026"))
            owners = {
                g.speaker or ""
                for g in deck.facts
                if g.kind is FactKind.QUOTE and norm_text(g.text).startswith(body)
            }
            if any(rel.related(o, speaker) for o in owners):
                out.append(c)
    return out


def mixed_sorts(question: dict[str, object], deck: Deck, checker: QuestionChecker) -> bool:
    """Whether an attribution question's choices mix speakers of different sorts (a
    person among places, a person's words among a state's), by this checkout's rule
    (:func:`quizapp.questions.index.speaker_sort`)."""
    choices = [str(c) for c in question.get("choices") or []]  # type: ignore[attr-defined]
    if question["form"] == "who_said":
        speakers = [{c} for c in choices]
    else:
        speakers = []
        for c in choices:
            body = norm_text(c.rstrip("\u2026"))
            speakers.append({g.speaker or "" for g in deck.facts
                             if g.kind is FactKind.QUOTE and body in norm_text(g.text)})
    sorts = {checker.sort_of(n) for names in speakers for n in names} - {None}
    return len(sorts) > 1


def main() -> None:
    """Print the count of attribution questions with a second right answer, per form."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("deck", type=Path)
    ap.add_argument("--seeds", default="1-40")
    ap.add_argument("--quizapp-root", type=Path, default=ROOT)
    ap.add_argument("--speakers-from", type=Path, default=None)
    ap.add_argument("--show", action="store_true", help="print each offending question")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    deck = load_deck_file(args.speakers_from or args.deck)
    rel = SpeakerRelations.of(deck)
    env = {**os.environ, "PYTHONPATH": str(args.quizapp_root)}
    checker = QuestionChecker(deck)
    asked = {"who_said": 0, "which_quote": 0, "speaker_position": 0}
    bad = {"who_said": 0, "which_quote": 0, "speaker_position": 0}
    mixed = {"who_said": 0, "which_quote": 0, "speaker_position": 0}
    for seed in seeds_of(args.seeds):
        out = subprocess.run(
            [sys.executable, "-m", "quizapp", "questions", str(args.deck), "--json",
             "--seed", str(seed)],
            env=env, cwd=args.quizapp_root, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        for q in json.loads(out)["questions"]:
            if q["form"] not in asked:
                continue
            asked[q["form"]] += 1
            if mixed_sorts(q, deck, checker):
                mixed[q["form"]] += 1
                if args.show:
                    print(f"seed {seed} {q['fact_id']} {q['form']}: mixed sorts {q['choices']}")
            found = conflicts(q, deck, rel)
            if found:
                bad[q["form"]] += 1
                if args.show:
                    print(f"seed {seed} {q['fact_id']} {q['form']}: {q['prompt']} -> {found}")
    total_bad, total = sum(bad.values()), sum(asked.values())
    if args.json:
        print(
            json.dumps(
                {
                    "quizapp": str(args.quizapp_root),
                    "seeds": args.seeds,
                    "asked": asked,
                    "second_right_answer": bad,
                    "mixed_sorts": mixed,
                }
            )
        )
        return
    print(f"quizapp at {args.quizapp_root}, deck {args.deck}, seeds {args.seeds}")
    for form in asked:
        print(f"  {form:16} {bad[form]:4} of {asked[form]:4} offer a second right answer, "
              f"{mixed[form]:4} mix persons, organisations and places")
    print(f"  {'total':16} {total_bad:4} of {total:4}, {sum(mixed.values()):4} mixed")


if __name__ == "__main__":
    main()
