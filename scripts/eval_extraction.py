"""Score the fact extractor on the evaluation set (tests/extraction_eval).

Follows /work/shared/EXTRACTION.md ("How to score"): lenient one-to-one matching,
precision, recall and F1 per category, micro-averaged over the articles of each
split. Optional gold items are neither missed when absent nor counted when found.

Beside the lenient score, a **strict** one: a fact is right only when its value,
what it refers to and its speaker or role are all right.

- dates: the same value (a gold ``--MM-DD`` accepts any year), and the question
  stem shares at least half of its content words with the gold ``about`` (the
  event); a stem such as "When did this happen?" has none and is wrong;
- numbers: the value, and the qualifier ("more than", "about", ...) the gold has;
- what-a-number-counts: a right number whose counted thing shares at least half
  of its content words with the gold ``about`` (or ``counts``);
- speakers: every word of the name is a word of the gold name or an alias
  ("Council Anna Berg" is not Anna Berg);
- roles: every role found for a gold speaker has token F1 >= 0.5 with a gold role;
- who-said-what: the quote, and a strictly right speaker (a quote offered with no
  speaker is not right here).

It also prints, over the dates, numbers and quotes found (and the people found
who are gold speakers), the share of *ready* facts that are strictly wrong and
the share of strictly right facts that are *ready*. A fact without a level
counts as ready (that is how such facts are shown).

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
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "tests" / "extraction_eval"
CATEGORIES = ("dates", "numbers", "numbers-with-counts", "speakers", "quotes", "who-said-what")
EXTRA = ("speaker-roles",)
LABELS = {"numbers-with-counts": "what-a-number-counts", "speaker-roles": "roles"}

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


# ---- strict matching ---------------------------------------------------------------

_QUESTION_WORDS = word_set(
    """
    when what which who whom whose how many much did do does was were is are has have had
    happen happened this that there according
    """
)

_QUALIFIERS = {
    "more than": ">",
    "over": ">",
    "above": ">",
    "upwards of": ">",
    "in excess of": ">",
    "at least": ">=",
    "no fewer than": ">=",
    "no less than": ">=",
    "less than": "<",
    "fewer than": "<",
    "under": "<",
    "below": "<",
    "up to": "<=",
    "at most": "<=",
    "no more than": "<=",
    "about": "~",
    "approximately": "~",
    "around": "~",
    "roughly": "~",
    "some": "~",
    "an estimated": "~",
    "estimated": "~",
    "circa": "~",
    "almost": "<~",
    "nearly": "<~",
    "close to": "<~",
    "just under": "<~",
}


def qualifier_class(q: str | None) -> str | None:
    """A qualifier reduced to its meaning: >, >=, <, <=, ~, <~ (or None)."""
    if not q:
        return None
    key = fold(q)
    return _QUALIFIERS.get(key, key)


def stem_words(text: str | None) -> set[str]:
    """Content words of a question stem or counted thing, question words removed,
    each cut to its first five letters (received/receive, headquarters/headquarter)."""
    return {w[:5] for w in content_words(text) if w not in _QUESTION_WORDS}


def shares_half(pred: str | None, gold: str | None) -> bool:
    """The predicted phrase shares at least half of its content words with the gold."""
    pw, gw = stem_words(pred), stem_words(gold)
    return bool(pw) and len(pw & gw) >= 0.5 * len(pw)


def date_strict(g: dict[str, Any], f: Fact) -> bool:
    """The same value and a stem about the same event."""
    gv, pv = str(g["value"]), str(f.value)
    same = gv == pv or (gv.startswith("--") and len(pv) == 10 and pv[4:] == gv[1:])
    if not same:
        return False
    about = g.get("about")
    if about is None:  # development gold without an event phrase: value only
        return True
    return shares_half(f.stem, about) or shares_half(f.event, about)


def number_strict(g: dict[str, Any], f: Fact) -> bool:
    """The value and the qualifier."""
    return number_ok(g, f) and qualifier_class(f.qualifier) == qualifier_class(g.get("qualifier"))


def number_counts_strict(g: dict[str, Any], f: Fact) -> bool:
    """A strictly right number whose counted thing is the gold's."""
    if not number_strict(g, f):
        return False
    about = g.get("about") or g.get("counts") or ""
    return shares_half(f.counts, f"{about} {g.get('counts') or ''}")


def name_strict(pred: str | None, gold: dict[str, Any]) -> bool:
    """Surname match, and no word of the name outside the gold's name and aliases."""
    if not pred or not speaker_matches(pred, gold):
        return False
    allowed: set[str] = set()
    for form in (gold["name"], *gold.get("aliases", [])):
        allowed.update(fold(form).split())
    return set(fold(pred).split()) <= allowed


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

    def who_strict(g: dict[str, Any], f: Fact) -> bool:
        if not quote_ok(g, f):
            return False
        sp = speakers_by_name.get(g["speaker"]) if g.get("speaker") else None
        if sp is None:
            return g.get("optional", False) and not f.speaker
        return name_strict(f.speaker, sp)

    def role_strict(g: dict[str, Any], name: str) -> bool:
        if not name_strict(name, g):
            return False
        gold_roles = [r for r in (g.get("role"), *g.get("roles", [])) if r]
        found = roles.get(name, [])
        return bool(found) and all(any(role_f1(p, r) >= 0.5 for r in gold_roles) for p in found)

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

    strict_checks: list[tuple[str, list[dict[str, Any]], list[Any], Callable[..., bool]]] = [
        ("dates", gold["dates"], dates, date_strict),
        ("numbers", gold["numbers"], numbers, number_strict),
        ("numbers-with-counts", gold["numbers"], numbers, number_counts_strict),
        ("speakers", gold["speakers"], speakers, lambda g, p: name_strict(p, g)),
        ("quotes", gold["quotes"], quotes, quote_ok),
        ("who-said-what", gold["quotes"], quotes, who_strict),
        ("speaker-roles", role_gold, named, role_strict),
    ]
    strict: dict[str, Any] = {}
    right: list[Fact] = []
    for name, g, p, ok in strict_checks:
        score, _pairs, missed, spurious = match(g, p, ok)
        strict[name] = {"score": score, "missed": missed, "spurious": spurious}
        if name in ("dates", "numbers-with-counts", "who-said-what"):
            right.extend(f for f in p if not any(f is s for s in spurious))
    out["strict"] = strict

    # The facts a teacher would judge: dates, numbers, quotes, and the people found
    # who are gold speakers (their role is judged); other people have no gold.
    judged: list[tuple[Fact, bool]] = [
        (f, any(f is r for r in right)) for f in (*dates, *numbers, *quotes)
    ]
    for f in facts:
        if f.kind is FactKind.PERSON and f.name:
            sp = next((s for s in gold["speakers"] if speaker_matches(f.name, s)), None)
            if sp is None:
                continue
            gold_roles = [r for r in (sp.get("role"), *sp.get("roles", [])) if r]
            found = [r for r in (f.role, *f.roles) if r]
            ok = name_strict(f.name, sp) and (
                all(any(role_f1(p, r) >= 0.5 for r in gold_roles) for p in found)
                if gold_roles
                else not found
            )
            judged.append((f, ok))
    out["judged"] = judged
    return out


def level_of(f: Fact) -> str:
    """A fact's confidence level; a fact without one is shown as ready."""
    return getattr(f, "level", None) or "ready"


def ready_figures(judged: Sequence[tuple[Fact, bool]]) -> dict[str, Any]:
    """Share of ready facts that are wrong, share of right facts that are ready."""
    ready = [ok for f, ok in judged if level_of(f) == "ready"]
    right = [f for f, ok in judged if ok]
    ready_wrong = sum(1 for ok in ready if not ok)
    right_ready = sum(1 for f in right if level_of(f) == "ready")
    by_kind: dict[str, dict[str, int]] = {}
    for f, ok in judged:
        k = by_kind.setdefault(f.kind.value, {"facts": 0, "ready": 0, "ready_wrong": 0, "right": 0})
        k["facts"] += 1
        k["right"] += int(ok)
        if level_of(f) == "ready":
            k["ready"] += 1
            k["ready_wrong"] += int(not ok)
    return {
        "by_kind": by_kind,
        "facts": len(judged),
        "ready": len(ready),
        "ready_wrong": ready_wrong,
        "ready_wrong_share": round(ready_wrong / len(ready), 3) if ready else 0.0,
        "right": len(right),
        "right_ready": right_ready,
        "right_ready_share": round(right_ready / len(right), 3) if right else 0.0,
    }


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
        strict_totals = {c: Score() for c in (*CATEGORIES, *EXTRA)}
        judged: list[tuple[Fact, bool]] = []
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
                strict_totals[c].add(scores["strict"][c]["score"])
            judged.extend(scores["judged"])
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
            "strict": {
                c: {
                    "precision": round(s.precision, 3),
                    "recall": round(s.recall, 3),
                    "f1": round(s.f1, 3),
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                }
                for c, s in strict_totals.items()
            },
            "ready": ready_figures(judged),
        }
    return result


def format_table(result: dict[str, Any]) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| split | category | P | R | F1 | strict P | strict R | strict F1 | strict TP/FP/FN |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for part, figures in result["splits"].items():
        for c in (*CATEGORIES, *EXTRA):
            f, s = figures[c], figures["strict"][c]
            label = LABELS.get(c, c)
            lines.append(
                f"| {part} | {label} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} "
                f"| {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} "
                f"| {s['tp']}/{s['fp']}/{s['fn']} |"
            )
    lines.append("")
    for part, figures in result["splits"].items():
        r = figures["ready"]
        lines.append(
            f"{part}: {r['facts']} facts judged; ready {r['ready']}, of which wrong "
            f"{r['ready_wrong']} ({r['ready_wrong_share']:.1%}); right {r['right']}, of which "
            f"ready {r['right_ready']} ({r['right_ready_share']:.1%})"
        )
        for kind, k in sorted(r["by_kind"].items()):
            lines.append(
                f"  {part} {kind}s: {k['facts']} judged, {k['right']} right; ready {k['ready']}, "
                f"of which wrong {k['ready_wrong']}"
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
            bits += [str(item.value), str(item.unit), str(item.counts), repr(item.stem)]
        elif item.kind is FactKind.DATE:
            bits += [str(item.value), repr(item.stem)]
        elif item.kind is FactKind.QUOTE:
            bits.append(f"speaker={item.speaker}")
        elif item.kind is FactKind.PERSON:
            bits += [str(item.name), str(item.role), str(item.roles)]
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
        held: dict[str, Counter[str]] = defaultdict(Counter)
        for aid, scores in result["articles"].items():
            if scores["split"] != "dev":
                continue  # test failures are not looked at
            print(f"\n## {aid}")
            for c in (*CATEGORIES, *EXTRA):
                for g in scores[c]["missed"]:
                    print(f"  MISS {c}: {_describe(g)}")
                for p in scores[c]["spurious"]:
                    print(f"  FP   {c}: {_describe(p)}")
            for c in (*CATEGORIES, *EXTRA):
                for p in scores["strict"][c]["spurious"]:
                    if not any(p is q for q in scores[c]["spurious"]):
                        print(f"  STRICT-FP {c}: {_describe(p)}")
            for f, ok in scores["judged"]:
                if not ok and level_of(f) == "ready":
                    print(f"  READY-WRONG {f.kind.value}: {_describe(f)}")
            for f, ok in scores["judged"]:
                if ok and level_of(f) != "ready":
                    held[f.kind.value].update(f.reasons or ("(no reason)",))
                    print(f"  RIGHT-CHECK {f.kind.value}: {_describe(f)} | {'; '.join(f.reasons)}")
        if held:
            print("\n## right facts held for checking, by kind and reason (dev)")
            for kind, reasons in sorted(held.items()):
                for reason, n in reasons.most_common():
                    print(f"  {kind:7} {n:4}  {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
