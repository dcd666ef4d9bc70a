"""The side-by-side benchmark's line protocol, shared by both sides' workers.

A worker reads one JSON request a line on standard input and writes one JSON
reply a line on standard output, until ``{"op": "quit"}``. Both
``quizapp_side.py`` and ``anki_side.py`` (each run by its own Python) import
this file from the folder they are in.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Protocol


class Side(Protocol):
    def study(self, n: int) -> dict[str, Any]: ...
    def deck_list(self, n: int) -> dict[str, Any]: ...
    def stats(self, n: int) -> dict[str, Any]: ...
    def stats_changed(self, n: int) -> dict[str, Any]: ...
    def stats_screen(self, n: int) -> dict[str, Any]: ...
    def search(self, n: int, word: str) -> dict[str, Any]: ...
    def import_file(self, file: str, rows: int) -> dict[str, Any]: ...
    def close(self) -> None: ...


def serve(make_side: Any) -> int:
    """Answer requests to the side ``make_side()`` builds, one JSON line in, one out."""
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr  # nothing but replies on the protocol stream
    side: Side = make_side()
    out.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        req = json.loads(line)
        op = req["op"]
        if op == "quit":
            break
        try:
            if op in ("study", "deck_list", "stats", "stats_changed", "stats_screen"):
                reply = getattr(side, op)(int(req["n"]))
            elif op == "search":
                reply = side.search(int(req["n"]), str(req["word"]))
            elif op == "import":
                reply = side.import_file(str(req["file"]), int(req["rows"]))
            else:
                reply = {"error": f"unknown request {op!r}"}
        except Exception as exc:  # reported to the orchestrator, which stops the run
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(reply) + "\n")
    side.close()
    out.write(json.dumps({"bye": True}) + "\n")
    return 0
