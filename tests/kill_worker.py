"""A process that forks quizapp operations for kill-loop tests and kills them with SIGKILL.

Started once by ``tests/test_kill_loops.py`` (``python tests/kill_worker.py``),
it imports quizapp once, then reads one JSON job a line on standard input and
answers one JSON line on standard output. A job runs one operation in a
forked child (so each round costs a fork, not a Python start-up):

``{"op": "start" | "restore" | "backup", "home": DIR, "backup": FILE,
"delay": SECONDS | null, "kill_at": "point:n" | null}``

``start`` opens the collection in ``$QUIZAPP_HOME`` as every command and the
desktop app do (first start, upgrade, recovery); ``restore`` and ``backup``
run ``quizapp restore FILE`` and ``quizapp backup``. With ``delay`` this
process sends the child SIGKILL that many seconds after the fork (the child is
not reaped before, so the signal cannot reach another process); with
``kill_at`` the child kills itself at that named point
(:mod:`quizapp.storage.crashpoints`). The answer says whether the child was
killed, its exit status, the operation's result (``{"ok": true}`` or
``{"ok": false, "error": ...}``) and how long it ran.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from typing import Any


def _run(job: dict[str, Any]) -> dict[str, Any]:
    from quizapp.cli import main
    from quizapp.services.collection import Collection

    op = job["op"]
    if op == "start":
        try:
            Collection.open().close()
        except Exception as exc:  # the next start's verdict, reported to the test
            return {"ok": False, "error": " ".join(str(exc).split())[:500]}
        return {"ok": True}
    if op == "restore":
        return {"ok": main(["restore", job["backup"]]) == 0}
    if op == "backup":
        return {"ok": main(["backup"]) == 0}
    raise ValueError(f"unknown op {op!r}")


def _child(job: dict[str, Any], out_fd: int) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.environ["QUIZAPP_HOME"] = job["home"]
    os.environ.pop("QUIZAPP_DATABASE_URL", None)
    if job.get("kill_at"):
        os.environ["QUIZAPP_TEST_KILL_AT"] = job["kill_at"]
    else:
        os.environ.pop("QUIZAPP_TEST_KILL_AT", None)
    try:
        result = _run(job)
    except BaseException as exc:
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
    os.write(out_fd, json.dumps(result).encode())
    os.close(out_fd)
    os._exit(0)


def serve() -> None:
    import quizapp.cli  # imported once, before any fork
    import quizapp.services.collection  # noqa: F401

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        read_fd, write_fd = os.pipe()
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            _child(job, write_fd)
        os.close(write_fd)
        if job.get("delay") is not None:
            time.sleep(job["delay"])
            os.kill(pid, signal.SIGKILL)  # not reaped yet: still our child, or its zombie
        _, status = os.waitpid(pid, 0)
        ran = time.perf_counter() - started
        chunks = []
        while chunk := os.read(read_fd, 65536):
            chunks.append(chunk)
        os.close(read_fd)
        raw = b"".join(chunks)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        answer = {"killed": killed and not raw, "result": json.loads(raw) if raw else None,
                  "seconds": ran}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    serve()
