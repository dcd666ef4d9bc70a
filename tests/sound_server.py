"""A real sound server for the tests: PulseAudio with one null sink, private to the run.

Qt Multimedia plays through PulseAudio on Linux. The tests start their own
server (``pulseaudio``, Debian's package, which ``.ci/run`` installs) with a
*null sink*: a real output device that plays into nothing, whose monitor
source records what reached it. ``PULSE_SERVER`` points the whole test run at
it before Qt Multimedia is first used, so every run, on any machine, has the
same one output device and never makes a sound on the speakers of the
computer running the tests. Without ``pulseaudio`` installed ``PULSE_SERVER``
names a socket that does not exist: the run then has no output device at all,
and the tests that need one fail saying what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SINK = "quizapp_test"
#: How long to wait for the server's socket to appear (a loaded machine is slow to start it).
START_WAIT_S = 30.0


@dataclass
class SoundServer:
    """A running PulseAudio server (its process, folder and socket)."""

    process: subprocess.Popen[bytes]
    folder: Path
    socket: Path

    @property
    def address(self) -> str:
        return f"unix:{self.socket}"

    def env(self) -> dict[str, str]:
        """The environment of a program that uses this server."""
        return {**os.environ, "PULSE_SERVER": self.address, "HOME": str(self.folder),
                "XDG_RUNTIME_DIR": str(self.folder)}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> SoundServer | None:
    """Start the server (None if ``pulseaudio`` is not installed or does not come up)."""
    binary = shutil.which("pulseaudio")
    if binary is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="quizapp-pulse-"))
    socket = folder / "native"
    script = folder / "default.pa"
    script.write_text(
        f"load-module module-null-sink sink_name={SINK}\n"
        f"load-module module-native-protocol-unix socket={socket} auth-anonymous=1\n"
        f"set-default-sink {SINK}\n")
    env = {**os.environ, "HOME": str(folder), "XDG_RUNTIME_DIR": str(folder)}
    env.pop("PULSE_SERVER", None)
    process = subprocess.Popen(
        [binary, "-n", "--daemonize=no", "--exit-idle-time=-1", "--disable-shm=yes",
         "--use-pid-file=no", "-F", str(script), "--log-target=stderr", "--log-level=error"],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)
    server = SoundServer(process, folder, socket)
    deadline = time.monotonic() + START_WAIT_S
    while not socket.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            return None
        time.sleep(0.05)
    return server


def _die_with_parent() -> None:
    """In the server's process: end it when the test run's process ends, however it ends."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class Recording:
    """What reaches the null sink, recorded from its monitor by ``parec`` until stopped."""

    def __init__(self, server: SoundServer) -> None:
        binary = shutil.which("parec")
        assert binary is not None, "parec (Debian's pulseaudio-utils) is needed"
        self.path = server.folder / f"recording-{time.monotonic_ns()}.raw"
        self._fh = open(self.path, "wb")  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen(
            [binary, f"--device={SINK}.monitor", "--format=s16le", "--channels=1",
             "--rate=8000", "--raw"],
            env=server.env(), stdout=self._fh, stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL)

    def stop(self) -> list[int]:
        """Stop recording; the 16-bit samples recorded."""
        import array

        self.process.terminate()
        self.process.wait(timeout=10)
        self._fh.close()
        data = self.path.read_bytes()
        samples = array.array("h")
        samples.frombytes(data[: len(data) // 2 * 2])
        return list(samples)
