"""Score the fact extractor on the evaluation set (tests/extraction_eval).

Follows /work/shared/EXTRACTION.md ("How to score"): lenient one-to-one matching,
precision, recall and F1 per category, micro-averaged over the articles of each
split. Optional gold items are neither missed when absent nor counted when found.

    python scripts/eval_extraction.py            # table
    python scripts/eval_extraction.py --json     # the same figures as JSON
    python scripts/eval_extraction.py --split dev --details   # dev failures only
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "tests" / "extraction_eval"
CATEGORIES = ("dates", "numbers", "numbers-with-counts", "speakers", "quotes", "who-said-what")
EXTRA = ("speaker-roles",)

sys.path.insert(0, str(ROOT))

from quizapp.extract import extract_facts  # noqa: E402
from quizapp.facts.model import Fact, FactKind  # noqa: E402


def word_set(text: str) -> frozenset[str]:
    """The words of a text as a set."""
    return frozenset(text.split())


_STOP = word_set(
    """
    a an the of in on at to for from by with and or but as is are was were be been that
    which who this these those it its their his her our than more most less only per
    each every all any some many much few other
    """
)


@dataclass(slots=True)
class Score:
    """True positives, false positives and false negatives of one category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        """Add another count (micro-averaging)."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


# ---- normalisation ------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case, accents, possessives and punctuation removed."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’]s\b", "", text.lower())
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s-]", " ", text)).strip()


def quote_words(text: str) -> list[str]:
    """Words of a quote, for the half-of-both-sides rule."""
    return re.findall(r"\w+", fold(text))


def content_words(text: str | None) -> set[str]:
    """Content words of a counts/unit phrase, crudely stemmed."""
    out = set()
    for w in re.findall(r"[a-z0-9%]+", fold(text or "").replace("%", " percent ")):
        if w in _STOP:
            continue
        if len(w) > 3 and w.endswith("s"):
            w = w[:-1]
        out.add(w)
    return out


def _surname(name: str) -> str:
    parts = fold(name).split()
    return parts[-1] if parts else ""


def speaker_matches(pred: str | None, gold: dict[str, Any]) -> bool:
    """Surname (accents, case, possessive removed) or an alias."""
    if not pred:
        return False
    forms = {fold(gold["name"]), *(fold(a) for a in gold.get("aliases", []))}
    surnames = {_surname(gold["name"]), *(_surname(a) for a in gold.get("aliases", []))}
    p = fold(pred)
    return p in forms or _surname(pred) in surnames


def role_f1(pred: str | None, gold: str | None) -> float:
    """Token F1 between two role strings."""
    a, b = fold(pred or "").split(), fold(gold or "").split()
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


# ---- one-to-one matching ---------------------------------------------------------


def match(
    gold: Sequence[dict[str, Any]],
    pred: Sequence[Any],
    ok: Callable[[dict[str, Any], Any], bool],
) -> tuple[Score, list[tuple[dict[str, Any], Any]], list[dict[str, Any]], list[Any]]:
    """Maximum one-to-one matching; optional gold items only absorb predictions."""
    required = [g for g in gold if not g.get("optional")]
    optional = [g for g in gold if g.get("optional")]
    owner: dict[int, int] = {}  # pred index -> required gold index

    def augment(gi: int, seen: set[int]) -> bool:
        for pi, p in enumerate(pred):
            if pi in seen or not ok(required[gi], p):
                continue
            seen.add(pi)
            if pi not in owner or augment(owner[pi], seen):
                owner[pi] = gi
                return True
        return False

    for gi in range(len(required)):
        augment(gi, set())
    matched_pred = set(owner)
    absorbed: set[int] = set()
    for g in optional:
        for pi, p in enumerate(pred):
            if pi not in matched_pred and pi not in absorbed and ok(g, p):
                absorbed.add(pi)
                break
    pairs = [(required[gi], pred[pi]) for pi, gi in owner.items()]
    matched_gold = set(owner.values())
    missed = [g for gi, g in enumerate(required) if gi not in matched_gold]
    spurious = [p for pi, p in enumerate(pred) if pi not in matched_pred and pi not in absorbed]
    return Score(len(pairs), len(spurious), len(missed)), pairs, missed, spurious


def date_ok(g: dict[str, Any], f: Fact) -> bool:
    """Value (a --MM-DD gold accepts any year) or overlapping surface text."""
    assert f.start is not None and f.end is not None
    if g["start"] < f.end and f.start < g["end"]:
        return True
    gv, pv = str(g["value"]), str(f.value)
    if gv == pv:
        return True
    return gv.startswith("--") and len(pv) == 10 and pv[4:] == gv[1:]


def number_ok(g: dict[str, Any], f: Fact) -> bool:
    """Value within 0.5%; a percentage also as a fraction."""
    gv, pv = float(g["value"]), float(f.value)  # type: ignore[arg-type]
    candidates = [gv]
    if g.get("unit") == "%":
        candidates.append(gv / 100)
    if f.unit == "%":
        candidates = [*candidates, *(c * 100 for c in candidates)]
    return any(abs(pv - c) <= 0.005 * abs(c) or pv == c for c in candidates)


def number_counts_ok(g: dict[str, Any], f: Fact) -> bool:
    """Value, and a content word shared with the gold's counts or unit."""
    if not number_ok(g, f):
        return False
    gold_words = content_words(g.get("counts")) | content_words(g.get("unit"))
    pred_words = content_words(f.counts) | content_words(f.unit)
    return bool(gold_words & pred_words)


def quote_ok(g: dict[str, Any], f: Fact) -> bool:
    """At least half of the words of both the gold and the predicted quote."""
    gw, pw = quote_words(g["text"]), quote_words(f.text)
    if not gw or not pw:
        return False
    common = sum((Counter(gw) & Counter(pw)).values())
    return common >= 0.5 * len(gw) and common >= 0.5 * len(pw)


# ---- scoring an article -------------------------------------------------------------


def score_article(gold: dict[str, Any], facts: list[Fact]) -> dict[str, Any]:
    """Scores of one article, with the failures for --details."""
    dates = [f for f in facts if f.kind is FactKind.DATE]
    numbers = [f for f in facts if f.kind is FactKind.NUMBER]
    quotes = [f for f in facts if f.kind is FactKind.QUOTE]
    speakers = sorted({f.speaker for f in quotes if f.speaker})
    roles: dict[str, list[str]] = {}
    for f in facts:
        if f.kind is FactKind.PERSON and f.name:
            roles.setdefault(f.name, []).extend(r for r in (f.role, *f.roles) if r)
        if f.kind is FactKind.QUOTE and f.speaker and f.role:
            roles.setdefault(f.speaker, []).append(f.role)
    speakers_by_name = {s["name"]: s for s in gold["speakers"]}

    def who_ok(g: dict[str, Any], f: Fact) -> bool:
        if not quote_ok(g, f):
            return False
        sp = speakers_by_name.get(g["speaker"]) if g.get("speaker") else None
        if sp is None:
            return g.get("optional", False)
        return speaker_matches(f.speaker, sp)

    def role_ok(g: dict[str, Any], name: str) -> bool:
        if not speaker_matches(name, g):
            return False
        gold_roles = [r for r in (g.get("role"), *g.get("roles", [])) if r]
        return any(role_f1(p, r) >= 0.5 for p in roles.get(name, []) for r in gold_roles)

    out: dict[str, Any] = {}
    checks: list[tuple[str, list[dict[str, Any]], list[Any], Callable[..., bool]]] = [
        ("dates", gold["dates"], dates, date_ok),
        ("numbers", gold["numbers"], numbers, number_ok),
        ("numbers-with-counts", gold["numbers"], numbers, number_counts_ok),
        ("speakers", gold["speakers"], speakers, lambda g, p: speaker_matches(p, g)),
        ("quotes", gold["quotes"], quotes, quote_ok),
        ("who-said-what", gold["quotes"], quotes, who_ok),
    ]
    for name, g, p, ok in checks:
        score, _pairs, missed, spurious = match(g, p, ok)
        out[name] = {"score": score, "missed": missed, "spurious": spurious}
    role_gold = [s for s in gold["speakers"] if s.get("role")]
    named = [s for s in speakers if roles.get(s)]
    score, _pairs, missed, spurious = match(role_gold, named, role_ok)
    out["speaker-roles"] = {"score": score, "missed": missed, "spurious": spurious}
    return out


def load_set(eval_dir: Path = EVAL_DIR) -> dict[str, list[dict[str, Any]]]:
    """The gold of every article, by split."""
    split = json.loads((eval_dir / "split.json").read_text(encoding="utf-8"))
    out: dict[str, list[dict[str, Any]]] = {}
    for part in ("dev", "test"):
        out[part] = [
            json.loads((eval_dir / "gold" / f"{aid}.json").read_text(encoding="utf-8"))
            for aid in split.get(part, [])
        ]
    return out


def evaluate(eval_dir: Path = EVAL_DIR, splits: Sequence[str] = ("dev", "test")) -> dict[str, Any]:
    """Figures per split and category, plus per-article failures."""
    result: dict[str, Any] = {"splits": {}, "articles": {}}
    for part, golds in load_set(eval_dir).items():
        if part not in splits:
            continue
        totals = {c: Score() for c in (*CATEGORIES, *EXTRA)}
        for gold in golds:
            text = (ROOT / gold["article"]).read_text(encoding="utf-8")
            facts = extract_facts(text, source_id=gold["id"], published=gold.get("published"))
            for f in facts:
                if f.start is not None and text[f.start : f.end] != f.text:
                    raise AssertionError(f"{gold['id']}: bad offsets for {f.id}")
            scores = score_article(gold, facts)
            result["articles"][gold["id"]] = {"split": part, **scores}
            for c in totals:
                totals[c].add(scores[c]["score"])
        result["splits"][part] = {
            "articles": [g["id"] for g in golds],
            **{
                c: {
                    "precision": round(s.precision, 3),
                    "recall": round(s.recall, 3),
                    "f1": round(s.f1, 3),
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                }
                for c, s in totals.items()
            },
        }
    return result


def format_table(result: dict[str, Any]) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| split | category | P | R | F1 | TP | FP | FN |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for part, figures in result["splits"].items():
        for c in (*CATEGORIES, *EXTRA):
            f = figures[c]
            label = c if c in CATEGORIES else f"{c} (extra)"
            lines.append(
                f"| {part} | {label} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} "
                f"| {f['tp']} | {f['fp']} | {f['fn']} |"
            )
    return "\n".join(lines)


def _describe(item: Any) -> str:
    if isinstance(item, dict):
        bits = [
            str(item.get(k)) for k in ("text", "name", "value", "counts", "speaker") if k in item
        ]
        return " | ".join(bits)
    if isinstance(item, Fact):
        bits = [repr(item.text[:90])]
        if item.kind is FactKind.NUMBER:
            bits += [str(item.value), str(item.unit), str(item.counts)]
        elif item.kind is FactKind.DATE:
            bits.append(str(item.value))
        elif item.kind is FactKind.QUOTE:
            bits.append(f"speaker={item.speaker}")
        return " | ".join(bits)
    return str(item)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all")
    ap.add_argument(
        "--details", action="store_true", help="list misses and false positives (dev only)"
    )
    ap.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    args = ap.parse_args(argv)
    splits = ("dev", "test") if args.split == "all" else (args.split,)
    result = evaluate(args.eval_dir, splits)
    if args.json:
        data = {"splits": result["splits"]}
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_table(result))
    if args.details:
        for aid, scores in result["articles"].items():
            if scores["split"] != "dev":
                continue  # test failures are not looked at
            print(f"\n## {aid}")
            for c in (*CATEGORIES, *EXTRA):
                for g in scores[c]["missed"]:
                    print(f"  MISS {c}: {_describe(g)}")
                for p in scores[c]["spurious"]:
                    print(f"  FP   {c}: {_describe(p)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
