"""Fact extraction from articles (quizapp.extract) and its evaluation script."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from quizapp.extract import extract_deck, extract_facts
from quizapp.facts.deckfile import load_deck_file
from quizapp.facts.jsonout import deck_json, fact_json
from quizapp.facts.model import DATE_VALUE_RE, Fact, FactKind
from quizapp.facts.text import sentence_bounds

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = (ROOT / "content" / "seed" / "article.txt").read_text(encoding="utf-8")
EVAL_DIR = ROOT / "tests" / "extraction_eval"


@pytest.fixture(scope="module")
def seed_facts() -> list[Fact]:
    return extract_facts(SEED_TEXT, source_id="seed", published="2024-04")


@pytest.fixture(scope="module")
def seed_deck():  # type: ignore[no-untyped-def]
    return load_deck_file(ROOT / "content" / "seed" / "deck.toml")


def _quotes(facts: list[Fact]) -> list[Fact]:
    return [f for f in facts if f.kind is FactKind.QUOTE]


def _quote_with(facts: list[Fact], words: str) -> Fact:
    found = [f for f in _quotes(facts) if words in f.text]
    assert found, f"no quote with {words!r}: {[f.text[:40] for f in _quotes(facts)]}"
    return found[0]


def assert_offsets(text: str, facts: list[Fact]) -> None:
    for f in facts:
        assert f.start is not None and f.end is not None, f.id
        assert text[f.start : f.end] == f.text, f.id
        assert f.text and f.text == f.text.strip(), f.id
        assert f.sentence is not None and f.sentence_start is not None
        assert text[f.sentence_start : f.sentence_start + len(f.sentence)] == f.sentence
        s, e = sentence_bounds(text, f.start, f.end)
        assert (s, e) == (f.sentence_start, f.sentence_start + len(f.sentence)), f.id
        if f.kind is FactKind.QUOTE:
            assert f.text[0] not in '“”"' and f.text[-1] not in '“”"', f.id


# ---- the seed article -------------------------------------------------------------


def test_seed_dates_recovered(seed_facts: list[Fact], seed_deck) -> None:  # type: ignore[no-untyped-def]
    got = {(f.start, f.value) for f in seed_facts if f.kind is FactKind.DATE}
    for gold in seed_deck.facts:
        if gold.kind is FactKind.DATE:
            assert (gold.start, gold.value) in got, gold.id


def test_seed_numbers_recovered(seed_facts: list[Fact], seed_deck) -> None:  # type: ignore[no-untyped-def]
    got = {f.start: f for f in seed_facts if f.kind is FactKind.NUMBER}
    for gold in seed_deck.facts:
        if gold.kind is not FactKind.NUMBER:
            continue
        fact = got.get(gold.start)
        assert fact is not None, gold.id
        assert fact.text == gold.text, gold.id
        assert fact.number_value == pytest.approx(gold.number_value, rel=0.005), gold.id
        assert fact.unit == gold.unit, gold.id
        assert fact.qualifier == gold.qualifier, gold.id


def test_seed_verbatim_quotes_and_speakers(seed_facts: list[Fact], seed_deck) -> None:  # type: ignore[no-untyped-def]
    verbatim = [f for f in seed_deck.facts if f.kind is FactKind.QUOTE and not f.reported]
    assert len(verbatim) == 6
    got = {(f.start, f.end): f for f in _quotes(seed_facts) if not f.reported}
    for gold in verbatim:
        fact = got.get((gold.start, gold.end))
        assert fact is not None, gold.id
        assert fact.text == gold.text
        assert fact.speaker == gold.speaker, gold.id


def test_seed_offsets_exact(seed_facts: list[Fact]) -> None:
    assert_offsets(SEED_TEXT, seed_facts)
    ids = [f.id for f in seed_facts]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"(?:d|n|q|p)-[a-z0-9-]+", i) for i in ids)


def test_seed_not_ordinals_or_date_digits(seed_facts: list[Fact]) -> None:
    numbers = {f.text for f in seed_facts if f.kind is FactKind.NUMBER}
    assert "Second" not in numbers and "second" not in numbers and "first" not in numbers
    assert not {"2020", "2023", "1991", "10", "16", "15"} & numbers


def test_seed_resolves_title_and_pronoun(seed_facts: list[Fact]) -> None:
    assert _quote_with(seed_facts, "the reasons for maintaining").speaker == "Konstantin Zatulin"
    assert _quote_with(seed_facts, "mutual recognition").speaker == "Nikol Pashinyan"


def test_stems_and_events(seed_facts: list[Fact]) -> None:
    for f in seed_facts:
        if f.kind in (FactKind.DATE, FactKind.NUMBER):
            assert f.stem and f.stem.endswith("?"), f.id
            assert f.event, f.id
    heli = next(f for f in seed_facts if f.kind is FactKind.NUMBER and f.text == "4")
    assert heli.stem == "How many helicopters arrived in Karabakh?"
    assert heli.counts == "helicopters"


# ---- quote patterns -----------------------------------------------------------------


def _one_quote(text: str) -> Fact:
    facts = extract_facts(text)
    assert_offsets(text, facts)
    quotes = [f for f in _quotes(facts) if not f.reported]
    assert len(quotes) == 1, [q.text for q in quotes]
    return quotes[0]


def test_quote_before_speaker() -> None:
    q = _one_quote('"We will build the bridge next year," said Mayor Anna Berg.')
    assert q.text == "We will build the bridge next year"
    assert q.speaker == "Anna Berg" and q.role == "Mayor"


def test_quote_before_speaker_name_first() -> None:
    q = _one_quote('"The water is safe to drink," Health Minister Tom Reed said on Monday.')
    assert q.speaker == "Tom Reed" and q.role == "Health Minister"


def test_quote_after_colon() -> None:
    q = _one_quote("Police chief Maria Lopez stated: “Nobody was hurt in the fire”.")
    assert q.text == "Nobody was hurt in the fire"
    assert q.speaker == "Maria Lopez"


def test_quote_after_colon_in_previous_paragraph() -> None:
    text = (
        "The plan was explained by the director of the museum Paul Anders:\n"
        "“We will open three new rooms in the spring.”\n"
    )
    q = _one_quote(text)
    assert q.speaker == "Paul Anders" and q.role == "director of the museum"


def test_quote_continues_across_sentences_and_paragraphs() -> None:
    text = (
        '"The harvest was poor this year," farmer John Miller said. "We lost half of the wheat '
        'to the rain."\n"Next year will be better, I hope."\n'
    )
    facts = extract_facts(text)
    assert_offsets(text, facts)
    quotes = [f for f in _quotes(facts) if not f.reported]
    assert [q.speaker for q in quotes] == ["John Miller"] * 3


def test_quote_interrupted_by_attribution_is_two_quotes() -> None:
    text = '"We are ready," coach Ben Ortiz told the press, "and we want to win the cup."'
    facts = extract_facts(text)
    quotes = [f for f in _quotes(facts) if not f.reported]
    assert [q.text for q in quotes] == ["We are ready", "and we want to win the cup."]
    assert {q.speaker for q in quotes} == {"Ben Ortiz"}


def test_pronoun_speaker_resolves_to_last_person() -> None:
    text = (
        "Environment spokeswoman Jane Holt told reporters the river is clean. "
        '"We test the water every day," she said.'
    )
    facts = extract_facts(text)
    assert_offsets(text, facts)
    q = _quote_with(facts, "We test the water")
    assert q.speaker == "Jane Holt"


def test_title_speaker_resolves_to_person_with_that_role() -> None:
    text = (
        "The deputy mayor Karl Stein said the road will reopen soon. "
        "According to the deputy, the repairs cost less than planned."
    )
    facts = extract_facts(text)
    q = _quote_with(facts, "the repairs cost")
    assert q.reported and q.speaker == "Karl Stein"


def test_surname_resolves_to_full_name() -> None:
    text = (
        "Finance Minister Olga Petrova presented the budget on Tuesday. "
        '"Taxes will not rise this year," Petrova said.'
    )
    q = _quote_with(extract_facts(text), "Taxes will not rise")
    assert q.speaker == "Olga Petrova" and q.role == "Finance Minister"


def test_reported_statement_span_and_speaker() -> None:
    text = "Company spokesman Ivan Roth said that the factory will close in May."
    q = _quote_with(extract_facts(text, published="2020-01-10"), "factory")
    assert q.reported and q.text == "the factory will close in May"
    assert q.speaker == "Ivan Roth"


def test_scare_quotes_are_not_quotes() -> None:
    text = 'The plan was called "bold" by critics and the robot was named "Robo One".'
    assert not _quotes(extract_facts(text))


# ---- general speaker and quote patterns (generalised on the second dev batch) -----------


def _statements(text: str) -> list[tuple[str, str | None, bool]]:
    facts = extract_facts(text)
    assert_offsets(text, facts)
    return [(f.text, f.speaker, f.reported) for f in _quotes(facts)]


def test_capitalised_speech_words_are_not_verbs() -> None:
    text = (
        "A team from Colorado State University and the United States Navy has analysed "
        "the crops. The US State Department said the envoy contacted Thailand."
    )
    got = _statements(text)
    assert got == [("the envoy contacted Thailand", "US State Department", True)]


def test_sentence_initial_common_noun_is_not_a_speaker() -> None:
    assert _statements("Estimates suggest 8000 migrants may be at sea in the region.") == []
    assert _statements("Recent reports have revealed that a defector was arrested.") == []


def test_place_word_as_surname_resolves_to_the_person() -> None:
    text = (
        "Valeska Paris, a former Scientologist, has claimed that the church held her. "
        "Paris claims she was sent to the ship aged eighteen."
    )
    assert {sp for _, sp, _ in _statements(text)} == {"Valeska Paris"}


def test_appositive_chains_and_abbreviated_roles() -> None:
    text = (
        "Cynthia Thompson, curator and director of exhibits at the University of Arkansas, "
        'Fayetteville, said, "These images serve as documentation of his life." '
        "Tom Molomby, SC, said that, as the parents came from India, they should be "
        "declared not guilty."
    )
    facts = extract_facts(text)
    q = _quote_with(facts, "These images")
    assert q.speaker == "Cynthia Thompson"
    assert q.role is not None and q.role.startswith("curator and director of exhibits")
    r = _quote_with(facts, "as the parents came")
    assert r.reported and r.speaker == "Tom Molomby"
    assert r.text == "as the parents came from India, they should be declared not guilty"


def test_possessive_statement_names_its_owner() -> None:
    text = (
        "PC World's recent analysis of its own traffic concluded, "
        '"Usually, Internet Explorer is the second browser after Firefox."'
    )
    assert _quote_with(extract_facts(text), "Usually").speaker == "PC World"


def test_according_to_forms() -> None:
    text = (
        "The Polaroids were all donated by the program, according to Kristen Wilkins, "
        "assistant professor of photography. According to the Saudi Interior Ministry "
        "over 345 pilgrims have been killed in the stampede. The Tsar organized his army "
        "according to the West European system."
    )
    assert _statements(text) == [
        ("The Polaroids were all donated by the program", "Kristen Wilkins", True),
        ("over 345 pilgrims have been killed in the stampede", "Saudi Interior Ministry", True),
    ]


def test_titles_in_quotation_marks_are_not_quotes() -> None:
    text = (
        'On a new website, "The Internet Explorer 6 Countdown", Microsoft has launched a '
        'campaign. The print "Cowboys and Indians" was shown.'
    )
    assert not [q for q in _statements(text) if not q[2]]


def test_signed_quotes_with_dash_and_pull_quotes_without_marks() -> None:
    text = (
        "Writing in a blog post, Matthew Ingram of The Globe and Mail described the fight.\n"
        "\"So far, it's the Internet: 1, Scientology: 0. But it's a long game.\" - Matthew Ingram\n"
        "NASA Administrator Charles Bolden announced the new homes of the shuttles.\n"
        "This was a very difficult decision, but one that was made with the public in mind. "
        "Charles Bolden, NASA Administrator\n"
    )
    got = _statements(text)
    assert (
        "So far, it's the Internet: 1, Scientology: 0. But it's a long game.",
        "Matthew Ingram",
        False,
    ) in got
    assert (
        "This was a very difficult decision, but one that was made with the public in mind",
        "Charles Bolden",
        False,
    ) in got


def test_paragraph_announced_by_a_colon_is_a_quote() -> None:
    text = (
        "Valeska Paris claims she was held on the ship for years.\n"
        "In a statement to the broadcaster, the Church denied these allegations:\n"
        "She certainly wasn't forced to be there. She was also never forced to work. "
        "They also claimed Paris was a volunteer and claim she has a vested interest.\n"
    )
    got = _statements(text)
    assert (
        "She certainly wasn't forced to be there. She was also never forced to work",
        "Church",
        False,
    ) in got
    assert ("Paris was a volunteer", "Church", True) in got
    assert ("she has a vested interest", "Church", True) in got


def test_quotation_continued_in_next_paragraph_without_new_mark() -> None:
    text = (
        'After the match, Panama coach Hernan Gomez said, "We learned a lot today.\n'
        'It was a very emotional day for all of us."\n'
        "English captain Harry Kane won the award. He said, "
        '"In the first half it felt good out there.\n'
        'We could have scored two or three goals." After the match, coach Nabil Maaloul '
        'said, "We were playing against a very good team."\n'
    )
    got = [(t.rstrip("."), sp) for t, sp, rep in _statements(text) if not rep]
    assert got == [
        ("We learned a lot today", "Hernan Gomez"),
        ("It was a very emotional day for all of us", "Hernan Gomez"),
        ("In the first half it felt good out there", "Harry Kane"),
        ("We could have scored two or three goals", "Harry Kane"),
        ("We were playing against a very good team", "Nabil Maaloul"),
    ]


def test_pronoun_prefers_person_named_in_the_same_sentence() -> None:
    text = (
        "Crown prosecutor Mark Tedeschi said the parents knew. Thomas Sam, 42, is a "
        "homeopath. Allegedly, Thomas' sister pleaded with him, but he replied "
        '"I am not able to do that".'
    )
    assert _quote_with(extract_facts(text), "not able").speaker == "Thomas Sam"


def test_unnamed_people_and_texts_as_speakers() -> None:
    text = (
        "One poster admitted to being part of the effort, writing in a blog post "
        '"I have loaded up the tool and started the attack on the homepage." '
        "A leaked internal letter seen by Sky News says "
        '"failure to return the questionnaire may result in the claim being withdrawn".'
    )
    facts = extract_facts(text)
    assert _quote_with(facts, "loaded up").speaker == "One poster"
    assert _quote_with(facts, "failure to return").speaker == "leaked internal letter"


def test_told_a_medium_then_clause_or_quote() -> None:
    text = (
        "As coauthor Colette Heald told The Huffington Post, US surface ozone has dropped "
        'since 1980. Home Secretary Suella Braverman told GB News: "It is clear that we '
        'have an unsustainable situation."'
    )
    assert _statements(text) == [
        ("US surface ozone has dropped since 1980", "Colette Heald", True),
        ("It is clear that we have an unsustainable situation.", "Suella Braverman", False),
    ]


def test_reported_clause_ending_on_a_quotation_stops_before_the_mark() -> None:
    text = (
        "Labour's Shadow Home Secretary Yvette Cooper said her party has supported the "
        'idea "for months", and said it was "damning that the Home Office is not doing '
        'this already".'
    )
    got = _statements(text)
    assert ('her party has supported the idea "for months', "Yvette Cooper", True) in got


def test_speech_words_used_as_nouns_are_not_verbs() -> None:
    assert _statements("Officials rejected the claims of the report about the state.") == []


def test_variant_forms_of_a_name_are_one_speaker() -> None:
    text = (
        'Gallery director Kathryn Waters said, "Pop art was about culture." '
        '"Everybody knows his name," Water said. Student Ahmed Mohamed built a clock. '
        '"I built it to impress my teacher," Ahmed said.'
    )
    speakers = {sp for _, sp, _ in _statements(text)}
    assert speakers == {"Kathryn Waters", "Ahmed Mohamed"}


def test_acronym_speaker_is_an_organisation_for_it() -> None:
    text = (
        'According to Yonhap news agency, the military is on high alert. "The South made '
        'another grave provocation", said KCNA. "Foolhardy provocation deserves harsh '
        'punishment", it added.'
    )
    assert _quote_with(extract_facts(text), "Foolhardy").speaker == "KCNA"


# ---- dates and numbers -----------------------------------------------------------------


def test_relative_dates_resolve_against_dateline() -> None:
    text = (
        "Storm hits coast\nSaturday, September 12, 2015\n"
        "A storm yesterday damaged the port. The mayor spoke on Thursday and will meet "
        "residents on Monday. The last storm came in March, and another in 2014."
    )
    facts = extract_facts(text)
    assert_offsets(text, facts)
    values = {f.text: f.value for f in facts if f.kind is FactKind.DATE}
    assert "Saturday, September 12, 2015" not in values  # the publication date, no event
    assert values["yesterday"] == "2015-09-11"
    assert values["on Thursday"] == "2015-09-10"
    assert values["on Monday"] == "2015-09-14"
    assert values["in March"] == "2015-03"
    assert values["2014"] == "2014"
    assert all(DATE_VALUE_RE.match(str(v)) for v in values.values())


def test_number_forms() -> None:
    text = (
        "About 80 people were evacuated. The bill of $1.5 million was paid by two companies. "
        "Prices rose 12 per cent over five years, and more than half of the 1,200 workers left. "
        "The team of twelve met at the Boeing 747 hangar on the 3rd floor."
    )
    facts = extract_facts(text)
    assert_offsets(text, facts)
    nums = {f.text: f for f in facts if f.kind is FactKind.NUMBER}
    assert nums["80"].qualifier == "about" and nums["80"].counts == "people"
    assert nums["$1.5 million"].value == 1_500_000 and nums["$1.5 million"].unit == "USD"
    assert nums["two"].value == 2 and nums["two"].counts == "companies"
    assert nums["12 per cent"].unit == "%" and nums["12 per cent"].value == 12
    assert nums["five years"].unit == "years"
    assert nums["half"].value == 0.5 and nums["half"].qualifier == "more than"
    assert nums["1,200"].value == 1200
    assert nums["twelve"].value == 12
    assert "747" not in nums and "3rd" not in nums


def test_range_both_ends() -> None:
    facts = extract_facts("The children were aged 8–10 years.")
    nums = [f for f in facts if f.kind is FactKind.NUMBER]
    assert [(f.value, f.unit) for f in nums] == [(8, "years"), (10, "years")]


# ---- file formats and JSON ------------------------------------------------------------


def _check_deck_json(deck) -> dict:  # type: ignore[no-untyped-def]
    data = deck_json(deck)
    json.dumps(data)
    text = deck.sources[0].text
    for f in data["facts"]:
        assert f["kind"] in {"date", "number", "quote", "person"}
        assert text[f["start"] : f["end"]] == f["text"]
        for key in ("id", "source", "kind", "text", "start", "end", "sentence"):
            assert key in f
        if f["kind"] == "date":
            assert DATE_VALUE_RE.match(f["value"])
        if f["kind"] == "number":
            assert isinstance(f["value"], int | float)
            assert {"unit", "counts", "qualifier"} <= set(f)
        if f["kind"] == "quote":
            assert isinstance(f["reported"], bool) and "speaker" in f
    return data


def test_txt_input(tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_text(SEED_TEXT, encoding="utf-8")
    deck = extract_deck(path)
    data = _check_deck_json(deck)
    assert deck.sources[0].text.strip() == SEED_TEXT.strip()
    assert any(f["kind"] == "quote" for f in data["facts"])


def test_markdown_input(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(
        "---\ntitle: Bridge opens\ndate: 2021-06-04\n---\n"
        "# Bridge opens\n\n"
        "The **new bridge** opened *yesterday* after [three years](http://x.org) of work.\n\n"
        '> "It is a great day for the town," said Mayor Anna Berg.\n\n'
        "- It cost $40 million.\n",
        encoding="utf-8",
    )
    deck = extract_deck(path)
    text = deck.sources[0].text
    assert "**" not in text and "](" not in text and "#" not in text and ">" not in text
    assert deck.sources[0].title == "Bridge opens"
    assert deck.sources[0].published == "2021-06-04"
    data = _check_deck_json(deck)
    by_text = {f["text"]: f for f in data["facts"]}
    assert by_text["yesterday"]["value"] == "2021-06-03"
    assert by_text["three years"]["value"] == 3
    assert by_text["$40 million"]["value"] == 40_000_000
    quote = next(f for f in data["facts"] if f["kind"] == "quote")
    assert quote["speaker"] == "Anna Berg"


def test_html_input(tmp_path: Path) -> None:
    path = tmp_path / "story.html"
    path.write_text(
        "<html><head><title>Site | Port closed</title>"
        '<meta property="article:published_time" content="2019-03-02T10:00:00Z">'
        '<style>p { color: red }</style><script>var x = "4 helicopters";</script></head>'
        "<body><nav>Home &amp; 5 links</nav><h1>Port closed</h1>"
        "<p>The port closed on <b>Friday</b> after 3&nbsp;ships collided.</p>"
        "<p>&ldquo;Nobody was hurt,&rdquo; said harbour master Lena Vogt.</p>"
        "<footer>&copy; 2019</footer></body></html>",
        encoding="utf-8",
    )
    deck = extract_deck(path)
    text = deck.sources[0].text
    assert "var x" not in text and "color" not in text and "Home" not in text
    assert "<" not in text and "&amp;" not in text
    assert deck.sources[0].title == "Port closed"
    data = _check_deck_json(deck)
    by_text = {f["text"]: f for f in data["facts"]}
    three = by_text.get("3 ships") or by_text.get("3")
    assert three is not None and three["value"] == 3
    assert by_text["on Friday"]["value"] == "2019-03-01"
    quote = next(f for f in data["facts"] if f["kind"] == "quote")
    assert quote["text"] == "Nobody was hurt" and quote["speaker"] == "Lena Vogt"


def test_fact_json_of_extracted_facts(seed_facts: list[Fact]) -> None:
    for f in seed_facts:
        data = fact_json(f)
        assert data["start"] == f.start and data["end"] == f.end


def test_progress_is_reported() -> None:
    calls: list[tuple[int, int]] = []
    extract_facts(SEED_TEXT, progress=lambda done, total: calls.append((done, total)))
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1]


# ---- the evaluation set and script -----------------------------------------------------


def _load_eval_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "eval_extraction", ROOT / "scripts" / "eval_extraction.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_extraction"] = module
    spec.loader.exec_module(module)
    return module


def test_evaluation_set_is_consistent() -> None:
    split = json.loads((EVAL_DIR / "split.json").read_text(encoding="utf-8"))
    wikinews = [a for a in split["dev"] + split["test"] if a != "seed"]
    assert len(wikinews) >= 8 and not set(split["dev"]) & set(split["test"])
    sources = (EVAL_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for aid in split["dev"] + split["test"]:
        gold = json.loads((EVAL_DIR / "gold" / f"{aid}.json").read_text(encoding="utf-8"))
        text = (ROOT / gold["article"]).read_text(encoding="utf-8")
        if aid != "seed":
            assert gold["url"] in sources and gold["licence"] == "CC BY 2.5"
        names = {s["name"] for s in gold["speakers"]}
        for key in ("dates", "numbers", "quotes"):
            for item in gold[key]:
                assert text[item["start"] : item["end"]] == item["text"], (aid, item)
        for q in gold["quotes"]:
            assert q["speaker"] is None or q["speaker"] in names


def test_eval_script_prints_figures(capsys: pytest.CaptureFixture[str]) -> None:
    module = _load_eval_script()
    assert module.main(["--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for part in ("dev", "test"):
        for category in module.CATEGORIES:
            figures = data["splits"][part][category]
            assert 0.0 <= figures["f1"] <= 1.0
        strict = data["splits"][part]["strict"]
        for category in (*module.CATEGORIES, *module.EXTRA):
            lenient = data["splits"][part][category]
            # the same required gold items, so the same TP + FN
            assert strict[category]["tp"] + strict[category]["fn"] == lenient["tp"] + lenient["fn"]
        ready = data["splits"][part]["ready"]
        assert ready["ready_wrong"] <= ready["ready"] and ready["right_ready"] <= ready["right"]
    assert module.main([]) == 0
    table = capsys.readouterr().out
    assert "| test | who-said-what |" in table and "| test | what-a-number-counts |" in table
    assert any(line.startswith("test: ") and "ready" in line for line in table.splitlines())
    print(table)  # the figures, for the record (no threshold here)


def test_strict_scoring_rules() -> None:
    module = _load_eval_script()
    berg = {"name": "Anna Berg", "aliases": ["Berg"], "role": "Secretary General", "roles": []}
    assert module.name_strict("Anna Berg", berg) and module.name_strict("Berg", berg)
    assert module.speaker_matches("Council Anna Berg", berg)  # lenient: the surname
    assert not module.name_strict("Council Anna Berg", berg)  # strict: a word too many
    gold_date = {"value": "1999", "about": "she became chair of the board"}
    right = Fact(id="d", kind=FactKind.DATE, value="1999", stem="When did she become chair?")
    vague = Fact(id="d2", kind=FactKind.DATE, value="1999", stem="When did this happen?")
    assert module.date_strict(gold_date, right) and not module.date_strict(gold_date, vague)
    gold_n = {
        "value": 3000,
        "unit": None,
        "counts": "workers",
        "qualifier": "more than",
        "about": "workers who lost their jobs",
    }
    n_ok = Fact(id="n", kind=FactKind.NUMBER, value=3000.0, counts="workers", qualifier="over")
    n_bound = Fact(id="n2", kind=FactKind.NUMBER, value=3000.0, counts="workers")
    n_what = Fact(id="n3", kind=FactKind.NUMBER, value=3000.0, counts="Cost", qualifier="over")
    assert module.number_counts_strict(gold_n, n_ok)
    assert module.number_ok(gold_n, n_bound) and not module.number_strict(gold_n, n_bound)
    assert module.number_strict(gold_n, n_what) and not module.number_counts_strict(gold_n, n_what)
