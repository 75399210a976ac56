"""The emulator in a process of its own, so that its CPU time never counts against the client.

``EmulatorProcess(workers=8)`` starts ``python scripts/bench_emulator.py`` (this file), which runs
an ``EmulatorServer`` on loopback and answers one-line commands on stdin (``stats``,
``faults <json>``, ``stop``) with one JSON line on stdout. A client in the benchmark process
thus talks to the emulator over real HTTP, as it would to the service, and on a 2-core machine
client and server each get a core.

``EmulatorCommand(["--workers", "8", ...])`` runs the emulator's own command line instead
(``qiskit-runtime-emulator serve``, with the default credentials), for figures that compare
options only the command line offers.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Protocol

__all__ = ["Emulator", "EmulatorCommand", "EmulatorProcess", "process_tree_cpu"]


class Emulator(Protocol):
    """What the figures need of a running emulator, however it was started."""

    @property
    def url(self) -> str: ...
    @property
    def iam_url(self) -> str: ...
    @property
    def api_key(self) -> str: ...
    @property
    def crn(self) -> str: ...
    def cpu_seconds(self) -> float: ...


def _stat_fields(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        # The command name (2nd field) may hold spaces and parentheses: split after the last ")".
        return f.read().rsplit(")", 1)[1].split()


def process_tree_cpu(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and of its descendants, live ones (worker
    processes the emulator may spawn) and reaped ones (``cutime``/``cstime``), from Linux /proc.
    """
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(_stat_fields(int(entry))[1])
            except (OSError, IndexError, ValueError):
                continue  # the process ended meanwhile
            children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = _stat_fields(current)
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
        todo += children.get(current, [])
    return total / tick


class EmulatorProcess:
    """A running emulator child process: URLs, credentials, stats and fault control."""

    def __init__(self, **config: Any) -> None:
        self.config = config
        self._proc: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] = {}

    def start(self, timeout: float = 60.0) -> EmulatorProcess:
        self._proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), json.dumps(self.config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.info = self._read()
        return self

    def _pipes(self) -> tuple[IO[str], IO[str]]:
        if self._proc is None or self._proc.stdin is None or self._proc.stdout is None:
            raise RuntimeError("the emulator process is not running")
        return self._proc.stdin, self._proc.stdout

    def _read(self) -> dict[str, Any]:
        _, stdout = self._pipes()
        line = stdout.readline()
        if not line:
            raise RuntimeError("the emulator process exited (see its stderr above)")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"emulator process: {answer['error']}")
        return answer

    def _command(self, text: str) -> dict[str, Any]:
        stdin, _ = self._pipes()
        stdin.write(text + "\n")
        stdin.flush()
        return self._read()

    @property
    def url(self) -> str:
        return str(self.info["url"])

    @property
    def iam_url(self) -> str:
        return str(self.info["iam_url"])

    @property
    def client_url(self) -> str:
        """The root to give qiskit-ibm-runtime (``.../experimental/api/v1``, used verbatim)."""
        return str(self.info["client_url"])

    @property
    def api_key(self) -> str:
        return str(self.info["api_key"])

    @property
    def crn(self) -> str:
        return str(self.info["crn"])

    @property
    def api_version(self) -> str:
        return str(self.info["api_version"])

    def cpu_seconds(self) -> float:
        """CPU seconds the emulator has used so far, worker processes included (Linux /proc)."""
        if self._proc is None:
            raise RuntimeError("the emulator process is not running")
        return process_tree_cpu(self._proc.pid)

    def stats(self) -> dict[str, Any]:
        return self._command("stats")

    def set_faults(self, faults: dict[str, Any] | None) -> None:
        self._command(f"faults {json.dumps(faults)}")

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.write("stop\n")
                proc.stdin.close()
            proc.wait(15)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        finally:
            if proc.stdout is not None:
                proc.stdout.close()

    def __enter__(self) -> EmulatorProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmulatorCommand:
    """``qiskit-runtime-emulator serve --port P ARGS`` as a child process, with the default
    instance's credentials (``qiskit_runtime_emulator.config.DEFAULT_API_KEY`` / ``DEFAULT_CRN``)
    and the same properties as :class:`EmulatorProcess` that the throughput figures use
    (``url``, ``iam_url``, ``api_key``, ``crn``, ``cpu_seconds()``). Ready when ``GET
    /api/v1/versions`` answers; its output goes to a temporary file, quoted if it fails."""

    def __init__(self, args: Sequence[str]) -> None:
        self.args = list(args)
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @staticmethod
    def command() -> list[str]:
        """The console script next to this interpreter, else ``python -m``."""
        script = Path(sys.executable).parent / "qiskit-runtime-emulator"
        if script.is_file():
            return [str(script)]
        return [sys.executable, "-m", "qiskit_runtime_emulator"]

    @classmethod
    def serve_help(cls) -> str:
        """The text of ``qiskit-runtime-emulator serve --help`` (its options, as documented)."""
        out = subprocess.run(
            [*cls.command(), "serve", "--help"], capture_output=True, text=True, timeout=120
        )
        return out.stdout if out.returncode == 0 else ""

    def start(self, timeout: float = 120.0) -> EmulatorCommand:
        import httpx

        self.port = _free_port()
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (open until stop())
        self._proc = subprocess.Popen(
            [*self.command(), "serve", "--port", str(self.port), *self.args],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while True:
            if self._proc.poll() is not None:
                raise RuntimeError(
                    f"the emulator exited with {self._proc.returncode}: {self.output()}"
                )
            try:
                if httpx.get(f"{self.url}/versions", timeout=1.0, trust_env=False).is_success:
                    return self
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError("the emulator did not answer in time")
            time.sleep(0.1)

    def output(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read()[-4000:].decode("utf-8", "replace")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    @property
    def iam_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_key(self) -> str:
        from qiskit_runtime_emulator.config import DEFAULT_API_KEY

        return DEFAULT_API_KEY

    @property
    def crn(self) -> str:
        from qiskit_runtime_emulator.config import DEFAULT_CRN

        return DEFAULT_CRN

    def cpu_seconds(self) -> float:
        if self._proc is None:
            raise RuntimeError("the emulator process is not running")
        return process_tree_cpu(self._proc.pid)

    def stop(self) -> None:
        """SIGTERM (the command line stops cleanly on it), then SIGKILL after 15 s."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> EmulatorCommand:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _serve(config_json: str) -> int:
    """The child: serve until ``stop`` or end of stdin."""
    from qiskit_runtime_emulator.config import EmulatorConfig
    from qiskit_runtime_emulator.faults import FaultConfig
    from qiskit_runtime_emulator.server import EmulatorServer

    def say(obj: Any) -> None:
        print(json.dumps(obj, default=str), flush=True)

    try:
        server = EmulatorServer(EmulatorConfig.from_dict(json.loads(config_json))).start()
    except Exception as exc:
        say({"error": f"{type(exc).__name__}: {exc}"})
        return 1
    say(
        {
            "url": server.url,
            "iam_url": server.iam_url,
            "client_url": server.client_url,
            "api_key": server.api_key,
            "crn": server.crn,
            "api_version": server.config.api_version,
        }
    )
    try:
        for line in sys.stdin:
            command, _, arg = line.strip().partition(" ")
            if command == "stats":
                say(server.stats())
            elif command == "faults":
                spec = json.loads(arg)
                server.set_faults(None if spec is None else FaultConfig(**spec))
                say({"ok": True})
            elif command == "stop":
                break
            else:
                say({"error": f"unknown command {command!r}"})
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(_serve(sys.argv[1] if len(sys.argv) > 1 else "{}"))
