"""Profile files: a whole learner, moved to another computer with nothing lost.

A profile file (``"format": "quizapp-profile"``, UTF-8 JSON written
atomically, Qt-free) holds everything of one learner: the profile's settings
and per-deck overrides, every card's scheduling state, every study session,
every review row (undo and overrule rows with what they cancel, times to the
microsecond, state-before and state-after verbatim) and every question
report. Rows are mapped by deck key + fact key, never by database
ids, and the decks themselves travel along (sources and facts, retired facts
included), so the file imports into a fresh ``QUIZAPP_HOME``. A card is one per fact
(its ``family`` is the family it was last asked in); a file written before
schema 6, with a card per family, still imports: the cards of a fact are
merged and the memory is replayed from the answers, as the schema upgrade
does.
:func:`import_profile` checks the whole file first and stores it in one
transaction: a refused import writes nothing. The rows are read and written
in :mod:`quizapp.storage.progress`.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.facts.model import MediaFile
from quizapp.services.jsonfiles import (
    FILE_VERSION,
    Checker,
    ProgressFileError,
    iso,
    read_json,
    write_json_atomic,
)
from quizapp.storage import progress as store
from quizapp.storage.models import SCHEMA_VERSION
from quizapp.storage.progress import ColumnSpec
from quizapp.storage.repository import FAMILIES
from quizapp.storage.reviewstate import state_from_json
from quizapp.timeutil import utc_now

if TYPE_CHECKING:
    from quizapp.services.collection import Collection

__all__ = [
    "PROFILE_FORMAT",
    "ProfileImportResult",
    "ProgressFileError",
    "export_profile",
    "import_profile",
    "profile_data",
]

PROFILE_FORMAT = "quizapp-profile"
#: The schema from which a card is (profile, fact): one memory per fact.
ONE_MEMORY_SCHEMA = 6


# --------------------------------------------------------------------------
# Export


_CARD_SKIP = {"id", "profile_id", "fact_id", "deck_id"}
_REVIEW_SKIP = {"id", "card_id", "profile_id", "session_id", "cancels_id"}
_SESSION_SKIP = {"id", "profile_id"}
_REPORT_SKIP = {"id", "profile_id", "card_id", "fact_id"}
# A PostgreSQL login role belongs to one database server, not to the learner.
_PROFILE_SKIP = {"id", "db_role", "class_name"}
_OVERRIDE_SKIP = {"profile_id", "deck_id"}
_DECK_SKIP = {"id"}
_SOURCE_SKIP = {"id", "deck_id"}
_FACT_SKIP = {"id", "deck_id", "source_id"}


def _dump(values: Mapping[str, Any], skip: set[str]) -> dict[str, Any]:
    """A row's columns but ``skip``, in column order, times as ISO 8601 UTC text."""
    out: dict[str, Any] = {}
    for column, value in values.items():
        if column in skip:
            continue
        if isinstance(value, datetime):
            value = iso(value)
        out[column] = value
    return out


def profile_data(collection: Collection, profile_id: int,
                 now: datetime | None = None) -> dict[str, Any]:
    """Everything of one profile, mapped by deck key + fact key (JSON-ready)."""
    from quizapp import __version__

    now = now or utc_now()
    from quizapp.storage import repository as repo

    with collection.session() as s:
        rows = store.read_profile_rows(s, profile_id)
        # The decks' pictures and sounds travel along (base64), so that they
        # are there on the other computer too.
        media = {deck_id: repo.load_media(s, deck_id) for deck_id in rows.sources}
    facts, decks_by_id = rows.facts, rows.decks
    card_ref: dict[int, tuple[str, str, str]] = {
        c["id"]: (decks_by_id[c["deck_id"]]["key"], facts[c["fact_id"]]["key"], c["family"])
        for c in rows.cards
    }
    decks_out = []
    for deck_id, sources in rows.sources.items():
        source_key = {src["id"]: src["key"] for src in sources}
        deck_facts = sorted((f for f in facts.values() if f["deck_id"] == deck_id),
                            key=lambda f: (f["position"], f["id"] or 0))
        decks_out.append({
            **_dump(decks_by_id[deck_id], _DECK_SKIP),
            "sources": [_dump(src, _SOURCE_SKIP) for src in sources],
            "facts": [{**_dump(f, _FACT_SKIP),
                       "source": source_key.get(f["source_id"]) if f["source_id"] else None}
                      for f in deck_facts],
            **({"media": [{"name": m.name, "mime": m.mime,
                           "sha256": hashlib.sha256(m.data).hexdigest(),
                           "data": base64.b64encode(m.data).decode("ascii")}
                          for m in media[deck_id]]} if media.get(deck_id) else {}),
        })

    def ref(card_id: int) -> dict[str, str]:
        deck, fact, family = card_ref[card_id]
        return {"deck": deck, "fact": fact, "family": family}

    return {
        "format": PROFILE_FORMAT,
        "version": FILE_VERSION,
        "schema": SCHEMA_VERSION,
        "app_version": __version__,
        "exported_at": iso(now),
        "profile": _dump(rows.profile, _PROFILE_SKIP),
        "deck_overrides": [{"deck": decks_by_id[o["deck_id"]]["key"],
                            **_dump(o, _OVERRIDE_SKIP)} for o in rows.overrides],
        "decks": decks_out,
        "cards": [{**ref(c["id"] or 0), **_dump(c, _CARD_SKIP)} for c in rows.cards],
        "sessions": [{"id": x["id"], **_dump(x, _SESSION_SKIP)} for x in rows.sessions],
        "reviews": [{"id": r["id"], **ref(r["card_id"]), "session": r["session_id"],
                     "cancels": r["cancels_id"], **_dump(r, _REVIEW_SKIP)} for r in rows.reviews],
        "reports": [{**ref(x["card_id"]), **_dump(x, _REPORT_SKIP)} for x in rows.reports],
    }


def export_profile(collection: Collection, profile_id: int, path: str | Path,
                   now: datetime | None = None) -> dict[str, int]:
    """Write the whole profile to ``path``; returns how many rows of each kind."""
    data = profile_data(collection, profile_id, now)
    write_json_atomic(path, data)
    return {k: len(data[k]) for k in ("decks", "cards", "sessions", "reviews", "reports")}


# --------------------------------------------------------------------------
# Import


@dataclass(frozen=True, slots=True)
class ProfileImportResult:
    """What importing a profile file did."""

    profile_id: int
    name: str
    cards: int
    sessions: int
    reviews: int
    reports: int
    decks_added: int
    facts_added: int
    replaced_empty: bool  # an untouched profile of the same name made way for it


def _convert(col: ColumnSpec, value: Any, chk: Checker, where: str) -> Any:
    name = col.name
    if value is None:
        if col.required:
            chk.add(where, name, "missing")
        return None
    if col.kind == "time":
        if not isinstance(value, str):
            chk.add(where, name, "not an ISO 8601 time")
            return None
        try:
            t = datetime.fromisoformat(value)
        except ValueError:
            chk.add(where, name, "not an ISO 8601 time")
            return None
        return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
    if col.kind == "bool":
        if not isinstance(value, bool):
            chk.add(where, name, "not true or false")
        return bool(value)
    if col.kind == "int":
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or float(value) != int(value):
            chk.add(where, name, "not a whole number")
            return None
        return int(value)
    if col.kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            chk.add(where, name, "not a number")
            return None
        return float(value)
    if col.kind == "str" and not isinstance(value, str):
        chk.add(where, name, "not text")
        return None
    if col.kind == "state":
        if not isinstance(value, str):
            chk.add(where, name, "not a card state (JSON text)")
            return None
        try:
            return state_from_json(value)
        except ValueError as exc:
            chk.add(where, name, f"not a card state: {exc}")
            return None
    return value


def _values(table: str, obj: Any, skip: set[str], chk: Checker,
            where: str) -> dict[str, Any]:
    """Checked column values of one row (missing optional columns take their defaults)."""
    if not isinstance(obj, dict):
        chk.add(where, "row", "not an object")
        return {}
    out: dict[str, Any] = {}
    for col in store.column_specs(table):
        if col.name in skip:
            continue
        if col.name not in obj:
            if col.required:
                chk.add(where, col.name, "missing")
            continue
        out[col.name] = _convert(col, obj[col.name], chk, where)
    return out


def _ref(obj: Any, chk: Checker, where: str) -> tuple[str, str, str]:
    if not isinstance(obj, dict):
        return ("", "", "")
    parts = []
    for key in ("deck", "fact", "family"):
        v = obj.get(key)
        if not isinstance(v, str) or not v:
            chk.add(where, key, "missing or not text")
            v = ""
        parts.append(v)
    if parts[2] and parts[2] not in FAMILIES:
        chk.add(where, "family", f"not one of {', '.join(FAMILIES)}")
    return (parts[0], parts[1], parts[2])


def _check_profile_file(data: dict[str, Any], path: Path) -> store.ProfilePlan:
    chk = Checker(path)
    schema = data.get("schema")
    if isinstance(schema, int) and schema > SCHEMA_VERSION:
        raise ProgressFileError([f"{path}:1: schema: written by a newer quizapp (schema "
                                 f"{schema}); update quizapp to import it"])

    def items(key: str) -> list[Any]:
        raw = data.get(key, [])
        if not isinstance(raw, list):
            chk.add(key, key, "not a list")
            return []
        return raw

    profile = _values("profile", data.get("profile"), _PROFILE_SKIP, chk, "profile")
    if "name" in profile and isinstance(profile["name"], str) and not profile["name"].strip():
        chk.add("profile", "name", "empty")
    overrides = []
    for i, o in enumerate(items("deck_overrides")):
        where = f"deck_overrides[{i}]"
        deck = o.get("deck") if isinstance(o, dict) else None
        if not isinstance(deck, str):
            chk.add(where, "deck", "missing or not text")
            continue
        overrides.append((deck, _values("profile_deck", o, _OVERRIDE_SKIP, chk, where)))
    decks = []
    deck_facts: dict[str, set[str]] = {}
    media: dict[str, list[MediaFile]] = {}
    media_total = [0]
    for i, d in enumerate(items("decks")):
        where = f"decks[{i}]"
        values = _values("deck", d, _DECK_SKIP, chk, where)
        if not isinstance(d, dict):
            continue
        sources = [_values("source", src, _SOURCE_SKIP, chk, f"{where}.sources[{j}]")
                   for j, src in enumerate(d.get("sources") or [])]
        facts = []
        for j, f in enumerate(d.get("facts") or []):
            fwhere = f"{where}.facts[{j}]"
            fvalues = _values("fact", f, _FACT_SKIP, chk, fwhere)
            source = f.get("source") if isinstance(f, dict) else None
            if source is not None and not isinstance(source, str):
                chk.add(fwhere, "source", "not text")
                source = None
            facts.append((source, fvalues))
        decks.append((values, sources, facts))
        deck_facts[str(values.get("key"))] = {str(fv.get("key")) for _, fv in facts}
        media[str(values.get("key"))] = _media_files(d.get("media"), chk, where, media_total)
    cards = []
    for i, c in enumerate(items("cards")):
        where = f"cards[{i}]"
        ref = _ref(c, chk, where)
        cards.append((ref, _values("card", c, _CARD_SKIP, chk, where)))
    known_refs = {ref for ref, _ in cards}
    for ref in known_refs:
        if ref[0] and ref[1] and ref[1] not in deck_facts.get(ref[0], {ref[1]}):
            chk.add("cards", "fact", f"{ref[0]}/{ref[1]} is not among the file's facts")
    sessions = []
    session_ids: set[int] = set()
    for i, x in enumerate(items("sessions")):
        where = f"sessions[{i}]"
        sid = x.get("id") if isinstance(x, dict) else None
        if not isinstance(sid, int) or isinstance(sid, bool):
            chk.add(where, "id", "missing or not a whole number")
            continue
        session_ids.add(sid)
        sessions.append((sid, _values("study_session", x, _SESSION_SKIP, chk, where)))
    reviews = []
    seen: set[int] = set()
    for i, r in enumerate(items("reviews")):
        where = f"reviews[{i}]"
        if not isinstance(r, dict):
            chk.add(where, "review", "not an object")
            continue
        rid = r.get("id")
        if not isinstance(rid, int) or isinstance(rid, bool) or rid in seen:
            chk.add(where, "id", "missing, not a whole number, or used twice")
            continue
        ref = _ref(r, chk, where)
        if ref not in known_refs:
            chk.add(where, "card", f"{'/'.join(ref)} is not among the file's cards")
        session = r.get("session")
        if session is not None and session not in session_ids:
            chk.add(where, "session", f"{session} is not among the file's sessions")
        cancels = r.get("cancels")
        if cancels is not None and cancels not in seen:
            chk.add(where, "cancels", f"{cancels} is not an earlier review of the file")
        seen.add(rid)
        reviews.append((rid, ref, session, cancels,
                        _values("review", r, _REVIEW_SKIP, chk, where)))
    reports = []
    for i, x in enumerate(items("reports")):
        where = f"reports[{i}]"
        ref = _ref(x, chk, where)
        if ref not in known_refs:
            chk.add(where, "card", f"{'/'.join(ref)} is not among the file's cards")
        reports.append((ref, _values("question_report", x, _REPORT_SKIP, chk, where)))
    if chk.problems:
        raise ProgressFileError(chk.problems[:50])
    # Written before one memory per fact (schema 6; a card per family): the cards of a
    # fact are merged and its memory replayed from its answers, as the upgrade does.
    old = not (isinstance(schema, int) and schema >= ONE_MEMORY_SCHEMA)
    several = len({(ref[0], ref[1]) for ref, _ in cards}) < len(cards)
    return store.ProfilePlan(profile, overrides, decks, cards, sessions, reviews, reports,
                             replay=old or several, media=media)


def _media_files(raw: object, chk: Checker, where: str, total: list[int]) -> list[MediaFile]:
    """A deck's media files from a profile file, each checked as every media file is."""
    from quizapp.facts.media import media_file, name_problem, size_problem, total_problem

    out: list[MediaFile] = []
    if raw is None:
        return out
    if not isinstance(raw, list):
        chk.add(where, "media", "not a list")
        return out
    for i, item in enumerate(raw):
        at = f"{where}.media[{i}]"
        name = item.get("name") if isinstance(item, dict) else None
        data = item.get("data") if isinstance(item, dict) else None
        if not isinstance(name, str) or not isinstance(data, str):
            chk.add(at, "media", "needs a name and its data (base64) as text")
            continue
        problem = name_problem(name) or size_problem(len(data) * 3 // 4)
        if problem is not None:
            chk.add(at, "name", problem)
            continue
        try:
            raw_bytes = base64.b64decode(data, validate=True)
        except ValueError:
            chk.add(at, "data", "not base64")
            continue
        digest = item.get("sha256")
        if digest is not None and digest != hashlib.sha256(raw_bytes).hexdigest():
            chk.add(at, "sha256", "does not match the data: the file is damaged")
            continue
        total[0] += len(raw_bytes)
        problem = total_problem(total[0])
        if problem is not None:
            chk.add(at, "data", problem)
            continue
        out.append(media_file(name, raw_bytes))
    return out


def import_profile(collection: Collection, path: str | Path, *, name: str | None = None,
                   now: datetime | None = None) -> ProfileImportResult:
    """Import a profile file (one transaction; ProgressFileError writes nothing).

    The profile keeps its name unless ``name`` is given. A profile of that name
    already here is replaced only when it has no history at all (a fresh
    computer's default profile); otherwise the import is refused.
    Decks missing here are added from the file; facts missing from a deck that
    is here are added as retired facts, so their history is kept without
    changing what others study.
    """
    del now
    path = Path(path)
    plan = _check_profile_file(read_json(path, PROFILE_FORMAT, "profile file"), path)
    target = (name or plan.profile.get("name") or "").strip()
    if not target:
        raise ProgressFileError([f"{path}:profile: name: missing"])
    with collection.transaction() as s:
        replaced = False
        existing = store.find_profile(s, target)
        if existing is not None:
            existing_id, has_history = existing
            if has_history:
                raise ProgressFileError([
                    f"{path}:profile: name: a profile named {target!r} already exists here "
                    "with its own progress; import under another name"])
            store.delete_empty_profile(s, existing_id)
            replaced = True
        decks_added, facts_added, fact_ids, deck_ids = store.import_decks(s, plan)
        pid = store.add_imported_profile(s, {**plan.profile, "name": target}, plan.overrides,
                                         deck_ids)
        store.insert_imported_history(s, pid, plan, fact_ids, deck_ids)
    return ProfileImportResult(pid, target, len(plan.cards), len(plan.sessions),
                               len(plan.reviews), len(plan.reports), decks_added, facts_added,
                               replaced)
