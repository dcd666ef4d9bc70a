"""Media no fact names any more are deleted with the change that left them so, never before:
an import that updates a deck, an edit that takes a picture off a fact, a large deck
stored in steps. Backups and restores are not touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.facts.media import media_file
from quizapp.facts.model import Deck, Fact, FactKind
from quizapp.services.collection import Collection
from quizapp.services.media import media_of_deck, media_sizes
from tests.mediadata import png, wav

pytestmark = pytest.mark.both_backends

JAPAN, FRANCE, SHARED, SOUND = png(3, 2), png(2, 3, (0, 0, 200)), png(4, 4, (9, 9, 9)), wav()


def flags(*facts: Fact, media: tuple[str, ...]) -> Deck:
    files = {"japan.png": JAPAN, "france.png": FRANCE, "shared.png": SHARED,
             "nihon.wav": SOUND, "japan2.png": png(5, 5)}
    return Deck(id="flags", name="Flags", facts=facts,
                media=tuple(media_file(n, files[n]) for n in media))


def qa(fid: str, front: str, *media: str) -> Fact:
    marks = " ".join(f"[image: {m}]" if m.endswith(".png") else f"[sound: {m}]" for m in media)
    return Fact(id=fid, kind=FactKind.QA, front=f"{front} {marks}".strip(), back=fid,
                media=media)


V1 = flags(qa("jp", "Japan?", "japan.png", "nihon.wav"), qa("fr", "France?", "france.png"),
           qa("a", "Shared A?", "shared.png"), qa("b", "Shared B?", "shared.png"),
           media=("japan.png", "nihon.wav", "france.png", "shared.png"))


def names(col: Collection) -> list[str]:
    return sorted(media_sizes(col, "flags"))


def test_an_update_deletes_the_files_no_fact_names_any_more(db_url: str) -> None:
    with Collection.open(db_url) as col:
        col.import_deck(V1)
        assert names(col) == ["france.png", "japan.png", "nihon.wav", "shared.png"]
        # fr and b leave the deck; jp shows another picture and keeps its sound.
        v2 = flags(qa("jp", "Japan?", "japan2.png", "nihon.wav"),
                   qa("a", "Shared A?", "shared.png"),
                   media=("japan2.png", "nihon.wav", "shared.png"))
        result = col.import_deck(v2)
        assert result.retired == 2
        # france.png (its fact retired) and japan.png (replaced) are gone; shared.png
        # stays while "a" names it, though "b", which named it too, was retired.
        assert names(col) == ["japan2.png", "nihon.wav", "shared.png"]
        assert "fr" not in {f.id for f in col.load_deck("flags").facts}
        full = _deck_with_retired(col)
        assert full["fr"].media == () and full["b"].media == ()  # retired: shows nothing
        # The last fact naming shared.png leaves: the file goes.
        col.import_deck(flags(qa("jp", "Japan?", "japan2.png", "nihon.wav"),
                              media=("japan2.png", "nihon.wav")))
        assert names(col) == ["japan2.png", "nihon.wav"]
        # A fact coming back brings its file back with the import that names it.
        col.import_deck(V1)
        assert names(col) == ["france.png", "japan.png", "nihon.wav", "shared.png"]
        got = {m.name: m.data for m in media_of_deck(col, "flags")}
        assert got["france.png"] == FRANCE and got["shared.png"] == SHARED


def _deck_with_retired(col: Collection) -> dict[str, Fact]:
    from quizapp.storage import repository as repo

    with col.session() as s:
        return {f.id: f for f in repo.load_deck(s, "flags", include_retired=True).facts}


def test_an_edit_that_takes_a_picture_off_a_fact_deletes_it(db_url: str) -> None:
    from quizapp.browse import check_fact_edit, fact_fields

    with Collection.open(db_url) as col:
        col.import_deck(V1)
        deck = col.load_deck("flags")
        table = fact_fields(deck.fact("jp"))
        table["media"] = ["nihon.wav"]
        table["front"] = "Japan?"
        col.import_deck(check_fact_edit(deck, table, replaces="jp"))
        assert col.load_deck("flags").fact("jp").media == ("nihon.wav",)
        assert names(col) == ["france.png", "nihon.wav", "shared.png"]
        # Taking shared.png off one of the two facts that show it keeps the file.
        deck = col.load_deck("flags")
        table = fact_fields(deck.fact("a"))
        table.pop("media")
        table["front"] = "Shared A?"
        col.import_deck(check_fact_edit(deck, table, replaces="a"))
        assert names(col) == ["france.png", "nihon.wav", "shared.png"]


def test_an_update_stopped_before_its_end_deletes_nothing(db_url: str) -> None:
    class StopError(Exception):
        pass

    def stop(done: int, total: int) -> None:
        raise StopError

    with Collection.open(db_url) as col:
        col.import_deck(V1)
        with pytest.raises(StopError):
            col.import_deck(flags(qa("jp", "Japan?"), media=()), step=stop)
        assert names(col) == ["france.png", "japan.png", "nihon.wav", "shared.png"]
        assert col.load_deck("flags").fact("fr").media == ("france.png",)


@pytest.mark.sqlite_only
def test_a_large_deck_stored_in_steps_deletes_its_orphans_in_the_last_step(
        tmp_path: Path) -> None:
    from quizapp.storage import staged

    db_url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    with Collection.open(db_url) as col:
        col.import_deck(V1)
        many = tuple(qa(f"n{i}", f"Note {i}?") for i in range(300))
        # No media come with this version (a spreadsheet, say): every file goes.
        bigger = Deck(id="flags", name="Flags", facts=(qa("jp", "Japan?"), *many))
        result = staged.import_deck(col.engine, bigger, step_facts=100, pause_s=0, min_facts=1)
        assert result.added == 300 and result.retired == 3
        assert names(col) == []


@pytest.mark.sqlite_only
def test_a_backup_keeps_the_files_and_a_restore_brings_them_back(
        tmp_path: Path, quizapp_home: Path) -> None:
    from quizapp.services.backups import restore, take

    db = tmp_path / "q.sqlite3"
    with Collection.open(f"sqlite:///{db}") as col:
        col.import_deck(V1)
    backup = take(db, quizapp_home, "manual").backup
    with Collection.open(f"sqlite:///{db}") as col:
        col.import_deck(flags(qa("jp", "Japan?", "japan.png"), media=("japan.png",)))
        assert names(col) == ["japan.png"]
    assert restore(backup.path, db) is not None
    with Collection.open(f"sqlite:///{db}") as col:
        assert names(col) == ["france.png", "japan.png", "nihon.wav", "shared.png"]
        assert col.load_deck("flags").fact("fr").media == ("france.png",)


def test_a_picture_added_to_a_fact_is_kept(db_url: str, tmp_path: Path) -> None:
    from quizapp.services.media import add_picture

    with Collection.open(db_url) as col:
        col.import_deck(V1)
        picture = tmp_path / "tower.png"
        picture.write_bytes(png(6, 6))
        add_picture(col, "flags", "fr", picture, "A tower")
        # The next store of the deck (as an edit saves it) keeps it: a fact names it.
        col.import_deck(col.load_deck("flags"))
        assert "tower.png" in names(col)
        assert col.load_deck("flags").fact("fr").media == ("france.png", "tower.png")
