"""An Anki package's media are stored as they are read: one file in memory at a time,
and still all or nothing (a bad file found while storing stores nothing at all)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from quizapp.facts.deckfile import DeckFileError
from quizapp.facts.model import MediaStream
from quizapp.importers import detect_and_load
from quizapp.services.collection import Collection
from quizapp.services.imports import import_path, load_path, store_loaded

pytestmark = pytest.mark.both_backends

ROOT = Path(__file__).resolve().parent.parent


def picture_package(folder: Path, count: int, size: int, seed: int = 3) -> Path:
    """A package (genanki) of ``count`` notes, each with its own picture of ``size`` bytes."""
    import genanki

    rng = random.Random(seed)
    model = genanki.Model(1607392319, "Basic", fields=[{"name": "Front"}, {"name": "Back"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Front}}",
                                      "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}])
    deck = genanki.Deck(2059400111, "Pictures")
    files = []
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        picture = folder / f"p{i:03d}.png"
        picture.write_bytes(rng.randbytes(size))
        files.append(str(picture))
        deck.add_note(genanki.Note(model=model, guid=f"pic-{i}", fields=[
            f'Picture {i}?<br><img src="{picture.name}">', f"Thing {i}"]))
    path = folder / "pictures.apkg"
    genanki.Package(deck, media_files=files).write_to_file(str(path))
    return path


def damage_member(path: Path, name: str) -> str:
    """Flip a byte inside the stored data of the member holding the file ``name``."""
    import json

    with zipfile.ZipFile(path) as zf:
        numbers = {v: k for k, v in json.loads(zf.read("media")).items()}
        info = zf.getinfo(numbers[name])
    with open(path, "r+b") as fh:
        fh.seek(info.header_offset + 26)
        name_len = int.from_bytes(fh.read(2), "little")
        extra_len = int.from_bytes(fh.read(2), "little")
        at = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
        fh.seek(at)
        byte = fh.read(1)
        fh.seek(at)
        fh.write(bytes([byte[0] ^ 0xFF]))
    return numbers[name]


def stored_state(db_url: str) -> tuple[list[str], int]:
    from quizapp.services.decks import key_taken
    from quizapp.services.media import media_sizes

    with Collection.open(db_url) as col:
        decks = [d for d in ("pictures",) if key_taken(col, d)]
        sizes = media_sizes(col, "pictures") if decks else {}
    return decks, len(sizes)


def test_the_package_media_are_read_while_stored(tmp_path: Path, db_url: str) -> None:
    path = picture_package(tmp_path / "src", 6, 3000)
    deck = detect_and_load(path)
    # Reading the package holds no media bytes: they wait in the package.
    assert isinstance(deck.media, MediaStream) and len(deck.media) == 6
    with Collection.open(db_url) as col:
        outcome = store_loaded(col, path, deck)
        from quizapp.services.media import media_of_deck

        got = {m.name: m.data for m in media_of_deck(col, outcome.deck_key)}
    with zipfile.ZipFile(path) as zf:
        import json

        by_name = {v: zf.read(k) for k, v in json.loads(zf.read("media")).items()}
    assert got == by_name and len(got) == 6


def test_a_bad_file_found_while_storing_stores_nothing(tmp_path: Path, db_url: str) -> None:
    path = picture_package(tmp_path / "src", 5, 4000)
    member = damage_member(path, "p003.png")  # its bytes no longer match the archive's CRC
    deck, notices = load_path(path)  # the directory reads well: nothing is read yet
    with Collection.open(db_url) as col, pytest.raises(DeckFileError) as refused:
        store_loaded(col, path, deck, notices)
    (line,) = [str(p) for p in refused.value.problems]
    assert line.startswith(f"{path}: {member}: media: 'p003.png' cannot be read"), line
    # p000…p002 were written before p003 was read: the transaction took them back.
    assert stored_state(db_url) == ([], 0)


def test_a_package_changed_after_reading_is_refused(tmp_path: Path, db_url: str) -> None:
    path = picture_package(tmp_path / "src", 3, 2000)
    deck, notices = load_path(path)
    picture_package(tmp_path / "src", 3, 2100)  # another package under the same name
    with Collection.open(db_url) as col, pytest.raises(DeckFileError) as refused:
        store_loaded(col, path, deck, notices)
    assert "changed since it was read" in str(refused.value.problems[0])
    assert stored_state(db_url) == ([], 0)
    with Collection.open(db_url) as col:  # read again, it imports
        assert import_path(col, path).added == 3
    assert stored_state(db_url) == (["pictures"], 3)


@pytest.mark.sqlite_only
def test_the_command_line_refuses_a_bad_file_with_one_line_and_stores_nothing(
        tmp_path: Path, quizapp_home: Path) -> None:
    path = picture_package(tmp_path / "src", 4, 4000)
    member = damage_member(path, "p002.png")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QUIZAPP_HOME": str(quizapp_home)}
    done = subprocess.run([sys.executable, "-m", "quizapp", "import", str(path)],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"{path}: {member}: media: 'p002.png' cannot be read (Bad CRC-32 for file '{member}')"]
    listed = subprocess.run([sys.executable, "-m", "quizapp", "decks"], capture_output=True,
                            text=True, env=env, timeout=300, check=True)
    assert "pictures" not in listed.stdout.lower()


@pytest.mark.sqlite_only
def test_storing_a_package_holds_one_media_file_in_memory_not_the_package(
        tmp_path: Path) -> None:
    # 24 incompressible pictures of 1 MiB: 24 MiB of media. Python's own allocations
    # (tracemalloc) while the deck is read and stored stay near one file's size.
    import tracemalloc

    mib = 1024 * 1024
    path = picture_package(tmp_path / "src", 24, mib)
    db_url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    with Collection.open(db_url) as col:
        tracemalloc.start()
        try:
            outcome = import_path(col, path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert outcome.added == 24
    assert stored_state(db_url) == (["pictures"], 24)
    assert peak < 6 * mib, f"peak {peak / mib:.1f} MiB while storing 24 MiB of media"
