"""Pictures and sounds: Anki packages, deck files, exports, the media store and backups.

Packages are written by the real Anki library (``anki`` in the test
environment) or edited from its fixture; media bytes are compared byte for
byte after every trip.
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from quizapp.exporters import export_deck
from quizapp.facts import media as media_rules
from quizapp.facts.deckfile import DeckFileError, load_deck_file
from quizapp.facts.media import media_file
from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.importers import apkg as apkg_module
from quizapp.importers import detect_and_load
from quizapp.services.collection import Collection
from quizapp.services.imports import import_path
from quizapp.services.media import add_picture, media_of_deck, with_media

from .mediadata import png, wav

FIXTURES = Path(__file__).parent / "fixtures" / "import"
PICTURE = png(3, 2, (10, 120, 200))
SOUND = wav()


def anki_package(folder: Path, *, legacy: bool) -> Path:
    """A package written by the real Anki: a note with a picture (with alt text) and a sound."""
    from anki.collection import Collection as AnkiCollection
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    folder.mkdir(parents=True, exist_ok=True)
    col = AnkiCollection(str(folder / "collection.anki2"))
    try:
        deck_id = col.decks.id("Flags")
        assert deck_id is not None
        picture = col.media.write_data("japan.png", PICTURE)
        sound = col.media.write_data("nihon.wav", SOUND)
        col.media.write_data("unused.png", png(1, 1))  # no note refers to it
        basic = col.models.by_name("Basic")
        assert basic is not None
        note = col.new_note(basic)
        note.fields[0] = f'Whose flag is this?<br><img src="{picture}" alt="A red disc on white">'
        note.fields[1] = f"Japan's [sound:{sound}]"
        note.guid = "flag-japan"
        col.add_note(note, deck_id)
        plain = col.new_note(basic)
        plain.fields[0], plain.fields[1] = "Capital of Japan?", "Tokyo"
        plain.guid = "capital-japan"
        col.add_note(plain, deck_id)
        path = folder / ("legacy.apkg" if legacy else "current.apkg")
        col.export_anki_package(
            out_path=str(path),
            options=ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                             with_media=True, legacy=legacy),
            limit=DeckIdLimit(deck_id))
    finally:
        col.close()
    return path


def flags_deck() -> Deck:
    return Deck(id="flags", name="Flags", facts=(
        Fact(id="jp", kind=FactKind.QA, front="Whose flag is this?\n[image: A red disc on white]",
             back="Japan's [sound: nihon.wav]", media=("japan.png", "nihon.wav")),
        Fact(id="tokyo", kind=FactKind.QA, front="Capital of Japan?", back="Tokyo"),
    ), media=(media_file("japan.png", PICTURE), media_file("nihon.wav", SOUND)))


def stored(db_url: str) -> dict[str, bytes]:
    """The media files of the stored deck "flags" ({} without that deck)."""
    from quizapp.services.decks import key_taken

    with Collection.open(db_url) as col:
        if not key_taken(col, "flags"):
            return {}
        return {m.name: m.data for m in media_of_deck(col, "flags")}


# --------------------------------------------------------------------------
# Anki packages in


@pytest.mark.parametrize("legacy", [True, False], ids=["legacy", "current-zstd"])
def test_a_real_anki_package_brings_its_picture_and_sound(tmp_path: Path, legacy: bool) -> None:
    path = anki_package(tmp_path / "anki", legacy=legacy)
    deck = detect_and_load(path)
    by_id = {f.front: f for f in deck.facts}
    flag = by_id["Whose flag is this?\n[image: A red disc on white]"]
    # The text keeps its alternatives (screen readers, text-only views); media names the files.
    assert flag.back == "Japan's [sound: nihon.wav]"
    assert flag.media == ("japan.png", "nihon.wav")
    assert by_id["Capital of Japan?"].media == ()
    # Only the files a note refers to come along, byte for byte.
    assert {m.name: (m.mime, m.data) for m in deck.media} == {
        "japan.png": ("image/png", PICTURE), "nihon.wav": ("audio/wav", SOUND)}
    db_url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    with Collection.open(db_url) as col:
        outcome = import_path(col, path)
        assert outcome.notices == ()
        loaded = col.load_deck(outcome.deck_key)
        assert {f.id: f.media for f in loaded.facts if f.media} == {flag.id: flag.media}
        assert loaded.media == ()  # bytes stay in the database until a screen or export asks
        got = {m.name: m.data for m in media_of_deck(col, outcome.deck_key)}
    assert got == {"japan.png": PICTURE, "nihon.wav": SOUND}


def _flag_package(tmp_path: Path, *, src: str = "flag.png", media_map: object = None,
                  members: dict[str, bytes] | None = None) -> Path:
    """The Anki fixture's legacy collection, its flag note showing ``src``."""
    db = tmp_path / "collection.anki21"
    with zipfile.ZipFile(FIXTURES / "anki_legacy.apkg") as zf:
        db.write_bytes(zf.read("collection.anki21"))
    conn = sqlite3.connect(db)
    conn.execute("UPDATE notes SET flds = replace(flds, 'flag.png', ?) WHERE guid = 'geo-flag'",
                 (src,))
    conn.commit()
    conn.close()
    path = tmp_path / "flags.apkg"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("collection.anki21", db.read_bytes())
        zf.writestr("media", json.dumps(media_map if media_map is not None else {"0": src}))
        for member, data in (members if members is not None else {"0": PICTURE}).items():
            zf.writestr(member, data)
    return path


def _refused(path: Path, db_url: str) -> str:
    """The one-line refusal of importing ``path``; the database is checked to be unchanged."""
    from quizapp.services.decks import deck_keys

    with Collection.open(db_url) as col:
        with pytest.raises(DeckFileError) as err:
            import_path(col, path)
        assert deck_keys(col) == {"seed"}  # nothing of the package was stored
    (line,) = str(err.value).splitlines()
    return line


@pytest.mark.parametrize(("src", "problem"), [
    ("../evil.png", "'../evil.png' holds a path separator"),
    ("..", "'..' is not a plain file name"),
    ("a\\b.png", "holds a path separator"),
    ("C:evil.png", "names a drive"),
])
def test_a_referenced_media_name_that_is_a_path_refuses_the_package(
        tmp_path: Path, src: str, problem: str) -> None:
    path = _flag_package(tmp_path, src=src)
    line = _refused(path, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    assert line.startswith(f"{path}: 0: media: ") and problem in line
    assert not (tmp_path.parent / "evil.png").exists()


def test_media_too_large_refuses_the_package_and_stores_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _flag_package(tmp_path)
    monkeypatch.setattr(media_rules, "MAX_MEDIA_FILE", len(PICTURE) - 1)
    monkeypatch.setattr(apkg_module, "MAX_MEDIA_FILE", len(PICTURE) - 1)
    line = _refused(path, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    assert line == (f"{path}: 0: media: 'flag.png': {len(PICTURE):,} bytes "
                    f"(at most {len(PICTURE) - 1:,} in one media file)")


def test_media_adding_up_to_too_much_refuses_the_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _flag_package(tmp_path)
    monkeypatch.setattr(apkg_module, "MAX_MEDIA_TOTAL", len(PICTURE) - 1)
    line = _refused(path, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    assert line.startswith(f"{path}: 0: media: the media files add up to more than ")


def test_a_zstd_media_bomb_is_stopped_at_the_file_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A current package's member inflating past the limit is refused while it is read."""
    import zstandard

    current = anki_package(tmp_path / "anki", legacy=False)
    bomb = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(current) as src, zipfile.ZipFile(bomb, "w") as out:
        media = zstandard.ZstdDecompressor().decompressobj().decompress(src.read("media"))
        names = [n for n, v in apkg_module._pb_fields(media) if n == 1]
        assert len(names) == 2
        for info in src.infolist():
            data = src.read(info)
            if info.filename in ("0", "1"):
                data = zstandard.ZstdCompressor().compress(bytes(4 << 20))
            out.writestr(info, data)
    monkeypatch.setattr(media_rules, "MAX_MEDIA_FILE", 1 << 20)
    monkeypatch.setattr(apkg_module, "MAX_MEDIA_FILE", 1 << 20)
    line = _refused(bomb, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    assert line.startswith(f"{bomb}: ") and ": size: too large once decompressed" in line


def test_a_file_the_package_lacks_leaves_the_text_alternative(tmp_path: Path) -> None:
    path = _flag_package(tmp_path, members={})
    with Collection.open(f"sqlite:///{tmp_path / 'q.sqlite3'}") as col:
        outcome = import_path(col, path)
        (notice,) = outcome.notices
        assert notice.startswith("1 media file(s) the notes refer to are not in the package "
                                 "(flag.png)")
        flag = col.load_deck(outcome.deck_key).fact("anki-geo-flag")
    assert flag.front == "Whose flag is this?\n[image: flag.png]" and flag.media == ()


def test_a_damaged_media_map_refuses_a_package_whose_notes_show_media(tmp_path: Path) -> None:
    path = _flag_package(tmp_path, media_map=["not", "a", "map"])
    line = _refused(path, f"sqlite:///{tmp_path / 'q.sqlite3'}")
    assert line == f"{path}: media: map: not a JSON object of numbered files"


# --------------------------------------------------------------------------
# Deck files


def _deck_file(folder: Path, media: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "flags.toml"
    path.write_text(
        'format = 1\nid = "flags"\nname = "Flags"\n\n'
        '[[facts]]\nid = "jp"\nkind = "qa"\nfront = "Whose flag? [image: japan.png]"\n'
        f'back = "Japan\'s"\nmedia = {media}\n' + extra, encoding="utf-8")
    return path


def test_a_deck_file_names_media_relative_to_its_folder(tmp_path: Path) -> None:
    (tmp_path / "deck" / "pictures").mkdir(parents=True)
    (tmp_path / "deck" / "pictures" / "japan.png").write_bytes(PICTURE)
    (tmp_path / "deck" / "nihon.wav").write_bytes(SOUND)
    deck = load_deck_file(_deck_file(tmp_path / "deck", '["pictures/japan.png", "nihon.wav"]'))
    assert deck.facts[0].media == ("japan.png", "nihon.wav")
    assert {m.name: m.data for m in deck.media} == {"japan.png": PICTURE, "nihon.wav": SOUND}


@pytest.mark.parametrize(("entry", "message"), [
    ('["/etc/passwd"]', "'/etc/passwd' is an absolute path"),
    ('["../secret.png"]', "'../secret.png' leaves the deck file's folder"),
    ('["pictures/../../secret.png"]', "leaves the deck file's folder"),
    ('["link.png"]', "'link.png' leads outside the deck file's folder"),
    ('["missing.png"]', "'missing.png': no such file next to the deck file"),
    ('["big.png"]', "'big.png': 101 bytes (at most 100 in one media file)"),
    ('["japan.png", "other/japan.png"]', "'other/japan.png' has the name of 'japan.png'"),
    ('"japan.png"', "expected array of strings, got string"),
])
def test_deck_file_media_outside_its_folder_or_too_large_are_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str, message: str) -> None:
    (tmp_path / "secret.png").write_bytes(PICTURE)
    folder = tmp_path / "deck"
    (folder / "other").mkdir(parents=True)
    (folder / "japan.png").write_bytes(PICTURE)
    (folder / "other" / "japan.png").write_bytes(PICTURE)
    (folder / "big.png").write_bytes(bytes(101))
    (folder / "link.png").symlink_to(tmp_path / "secret.png")
    monkeypatch.setattr(media_rules, "MAX_MEDIA_FILE", 100)
    path = _deck_file(folder, entry)
    with pytest.raises(DeckFileError) as err:
        load_deck_file(path)
    (line,) = str(err.value).splitlines()
    assert line.startswith(f"{path}:10: media: ") and message in line


def test_deck_file_media_adding_up_to_too_much_are_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "japan.png").write_bytes(PICTURE)
    (folder / "nihon.wav").write_bytes(SOUND)
    monkeypatch.setattr(media_rules, "MAX_MEDIA_TOTAL", len(PICTURE) + 10)
    path = _deck_file(folder, '["japan.png", "nihon.wav"]')
    with pytest.raises(DeckFileError) as err:
        load_deck_file(path)
    assert str(err.value) == (f"{path}:10: media: media of more than {len(PICTURE) + 10:,} "
                              "bytes (at most that many in one deck)")


def test_deck_file_round_trip_is_byte_for_byte(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    with Collection.open(db_url) as col:
        col.import_deck(flags_deck())
        deck = with_media(col, col.load_deck("flags"))
    out = tmp_path / "out" / "flags.toml"
    out.parent.mkdir()
    export_deck(deck, out)
    assert (out.parent / "flags.media" / "japan.png").read_bytes() == PICTURE
    back = load_deck_file(out)
    assert back.facts == deck.facts
    assert {m.name: m.data for m in back.media} == {"japan.png": PICTURE, "nihon.wav": SOUND}


def test_fact_json_names_the_media(tmp_path: Path) -> None:
    from quizapp.facts.jsonout import deck_json

    facts = deck_json(flags_deck())["facts"]
    assert facts[0]["media"] == ["japan.png", "nihon.wav"] and "media" not in facts[1]


# --------------------------------------------------------------------------
# Anki packages out, and through the real Anki


def test_apkg_export_round_trips_media_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "flags.apkg"
    export_deck(flags_deck(), out)
    with zipfile.ZipFile(out) as zf:
        assert json.loads(zf.read("media")) == {"0": "japan.png", "1": "nihon.wav"}
    back = detect_and_load(out)
    assert back.id == "flags"
    assert [(f.id, f.front, f.back, f.media) for f in back.facts] == [
        (f.id, f.front, f.back, f.media) for f in flags_deck().facts]
    assert {m.name: m.data for m in back.media} == {"japan.png": PICTURE, "nihon.wav": SOUND}


def test_an_exported_package_goes_through_the_real_anki_with_its_media(tmp_path: Path) -> None:
    from anki.collection import Collection as AnkiCollection
    from anki.collection import (
        DeckIdLimit,
        ExportAnkiPackageOptions,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )

    ours = tmp_path / "flags.apkg"
    export_deck(flags_deck(), ours)
    (tmp_path / "anki").mkdir()
    col = AnkiCollection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(
            package_path=str(ours), options=ImportAnkiPackageOptions(with_scheduling=False)))
        folder = Path(col.media.dir())
        assert (folder / "japan.png").read_bytes() == PICTURE
        assert (folder / "nihon.wav").read_bytes() == SOUND
        (note,) = [col.get_note(n) for n in col.find_notes("Japan's")]
        assert '<img src="japan.png" alt="A red disc on white">' in note["Question"]
        assert "[sound:nihon.wav]" in note["Answer"]
        assert col.media.check().missing == []  # Anki finds every file its notes name
        theirs = tmp_path / "from-anki.apkg"
        deck_id = col.decks.id_for_name("Flags")
        assert deck_id is not None
        col.export_anki_package(
            out_path=str(theirs),
            options=ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False,
                                             with_media=True, legacy=False),
            limit=DeckIdLimit(deck_id))
    finally:
        col.close()
    back = detect_and_load(theirs)
    assert back.id == "flags"  # quizapp's own note type: the same deck, the same fact ids
    assert {f.id: f.media for f in back.facts} == {f.id: f.media for f in flags_deck().facts}
    assert {m.name: m.data for m in back.media} == {"japan.png": PICTURE, "nihon.wav": SOUND}


def test_cli_export_writes_the_stored_media(tmp_path: Path, quizapp_home: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from quizapp.cli import main

    with Collection.open() as col:
        col.import_deck(flags_deck())
    assert main(["export", "flags", str(tmp_path / "flags.apkg")]) == 0
    back = detect_and_load(tmp_path / "flags.apkg")
    assert {m.name: m.data for m in back.media} == {"japan.png": PICTURE, "nihon.wav": SOUND}


# --------------------------------------------------------------------------
# The media store: re-imports, the editor's picture, backups


def test_reimporting_keeps_and_updates_media_by_name(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    with Collection.open(db_url) as col:
        col.import_deck(flags_deck())
        other = png(1, 1, (0, 0, 0))
        deck = flags_deck()
        col.import_deck(Deck(id=deck.id, name=deck.name, facts=deck.facts,
                             media=(media_file("japan.png", other),)))
    assert stored(db_url) == {"japan.png": other, "nihon.wav": SOUND}


def test_add_picture_stores_it_and_shows_it_with_the_fact(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    picture = tmp_path / "tokyo tower.png"
    picture.write_bytes(PICTURE)
    with Collection.open(db_url) as col:
        col.import_deck(flags_deck())
        fact = add_picture(col, "flags", "tokyo", picture, "Tokyo Tower at night")
        assert fact.media == ("tokyo tower.png",)
        assert fact.front == "Capital of Japan?\n[image: Tokyo Tower at night]"
        assert col.load_deck("flags").fact("tokyo") == fact
        # A sound, a file too large or a name taken by another file is refused; nothing changes.
        (tmp_path / "a.wav").write_bytes(SOUND)
        with pytest.raises(media_rules.MediaError, match=r"a\.wav: media: not a picture"):
            add_picture(col, "flags", "tokyo", tmp_path / "a.wav")
        clash = tmp_path / "other" / "japan.png"
        clash.parent.mkdir()
        clash.write_bytes(png(1, 1))
        with pytest.raises(media_rules.MediaError,
                           match=r"the deck has another file named 'japan\.png'"):
            add_picture(col, "flags", "tokyo", clash)
        assert col.load_deck("flags").fact("tokyo") == fact
    assert stored(db_url)["tokyo tower.png"] == PICTURE
    assert stored(db_url)["japan.png"] == PICTURE


def test_a_backup_and_restore_keep_the_media_bytes(quizapp_home: Path) -> None:
    from quizapp.config import app_home
    from quizapp.services import backups

    db = app_home() / "quizapp.sqlite3"
    with Collection.open() as col:
        col.import_deck(flags_deck())
    taken = backups.take(db, quizapp_home, "manual")
    with Collection.open() as col, col.transaction() as s:
        from quizapp.storage import repository as repo

        row = repo.find_deck(s, "flags")
        assert row is not None and row.id is not None
        repo.delete_deck(s, row.id)
    assert stored(f"sqlite:///{db}") == {}
    backups.restore(taken.backup.path, db)
    assert stored(f"sqlite:///{db}") == {"japan.png": PICTURE, "nihon.wav": SOUND}


def test_media_names_are_checked_the_same_everywhere() -> None:
    from quizapp.facts.media import name_problem

    for good in ("flag.png", "a b.png", "Ünïcode.mp3", "x..y.png"):
        assert name_problem(good) is None, good
    for bad in ("", " ", "a/b.png", "a\\b.png", "..", "../x", "a\x00.png", "C:x.png",
                "x" * 256):
        assert name_problem(bad) is not None, bad


def test_a_typed_answer_is_the_backs_words_without_its_media_marks() -> None:
    import random

    from quizapp.questions.generate import QuestionBuilder
    from quizapp.questions.model import Family, Form

    deck = Deck(id="flags", name="Flags", facts=(
        *flags_deck().facts,
        Fact(id="only-picture", kind=FactKind.QA, front="Which flag is Japan's?",
             back="[image: japan.png]", media=("japan.png",)),
    ))
    builder = QuestionBuilder(deck)
    typed = {}
    for fact in deck.facts:
        for family in Family:
            q = builder.build(f"{fact.id}/{family.value}", fact.id, family, random.Random(1),
                              form=Form.TYPED)
            if q is not None:
                typed[fact.id] = q
    assert typed["jp"].answers == ("Japan's",)
    assert "[image: A red disc on white]" in typed["jp"].prompt  # shown as the picture
    assert "only-picture" not in typed  # an answer that is only a picture is not typed


def test_a_profile_file_carries_the_decks_media_to_another_computer(tmp_path: Path) -> None:
    from quizapp.services.profile_file import export_profile, import_profile
    from quizapp.services.progress import ProgressFileError

    here = f"sqlite:///{tmp_path / 'here.sqlite3'}"
    there = f"sqlite:///{tmp_path / 'there.sqlite3'}"
    with Collection.open(here) as col:
        col.import_deck(flags_deck())
        export_profile(col, col.profile().id or 0, tmp_path / "me.json")
    with Collection.open(there, first_start=False) as col:
        import_profile(col, tmp_path / "me.json", name="Me")
        assert col.load_deck("flags").fact("jp").media == ("japan.png", "nihon.wav")
    assert stored(there) == {"japan.png": PICTURE, "nihon.wav": SOUND}
    # A damaged or hostile file is refused whole.
    data = json.loads((tmp_path / "me.json").read_text())
    deck = next(d for d in data["decks"] if d["key"] == "flags")
    deck["media"][0]["name"] = "../evil.png"
    deck["media"][1]["data"] = deck["media"][1]["data"][:-8] + "AAAAAAA="
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with Collection.open(f"sqlite:///{tmp_path / 'third.sqlite3'}", first_start=False) as col:
        with pytest.raises(ProgressFileError) as err:
            import_profile(col, tmp_path / "bad.json", name="Me")
        from quizapp.services.decks import deck_keys

        assert deck_keys(col) == set()
    lines = str(err.value).splitlines()
    assert any(".media[0]: name: '../evil.png' holds a path separator" in x for x in lines)
    assert any(".media[1]: sha256: does not match the data" in x for x in lines)


def test_the_media_benchmark_reports_its_figures() -> None:
    """benchmarks/bench_media.py at a tiny size: every figure, and the pictures carried."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_media", Path(__file__).resolve().parent.parent / "benchmarks" / "bench_media.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    figures = bench.run(3, 1)
    assert figures["media_files"] == 3 and figures["media_bytes"] == 3 * 1024
    assert {"load_s", "store_s", "export_s", "database_bytes", "peak_rss_mib"} <= set(figures)


def test_a_percent_encoded_picture_name_finds_its_file(tmp_path: Path) -> None:
    """HTML may name "my map.png" as my%20map.png; the file keeps its own name."""
    path = _flag_package(tmp_path, src="my%20map.png", media_map={"0": "my map.png"})
    deck = detect_and_load(path)
    flag = deck.fact("anki-geo-flag")
    assert flag.media == ("my map.png",)
    assert [(m.name, m.data) for m in deck.media] == [("my map.png", PICTURE)]


def test_the_questions_of_a_fact_deck_export_with_the_facts_picture(tmp_path: Path) -> None:
    """A teacher's picture of a person goes into each exported question of that person."""
    portrait = tmp_path / "tokayev.png"
    portrait.write_bytes(PICTURE)
    with Collection.open(f"sqlite:///{tmp_path / 'q.sqlite3'}") as col:
        add_picture(col, "seed", "p-tokayev", portrait)
        deck = with_media(col, col.load_deck("seed"))
    out = tmp_path / "seed.apkg"
    export_deck(deck, out)
    with zipfile.ZipFile(out) as zf:
        assert json.loads(zf.read("media")) == {"0": "tokayev.png"}
        assert zf.read("0") == PICTURE
        db = tmp_path / "collection.anki2"
        db.write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        fields = [r[0].split("\x1f") for r in conn.execute("SELECT flds FROM notes")]
    finally:
        conn.close()
    with_picture = [f for f in fields if '<img src="tokayev.png">' in f[0]]
    assert with_picture and all(f[3].startswith("p-tokayev.") for f in with_picture)
    assert len(with_picture) == sum(1 for f in fields if f[3].startswith("p-tokayev."))
