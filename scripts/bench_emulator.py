"""The emulator in a process of its own, so that its CPU time never counts against the client.

``EmulatorProcess(workers=8)`` starts ``python scripts/bench_emulator.py`` (this file), which runs
an ``EmulatorServer`` on loopback and answers one-line commands on stdin (``stats``,
``faults <json>``, ``stop``) with one JSON line on stdout. A client in the benchmark process
thus talks to the emulator over real HTTP, as it would to the service, and on a 2-core machine
client and server each get a core.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import IO, Any

__all__ = ["EmulatorProcess"]


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
    def api_key(self) -> str:
        return str(self.info["api_key"])

    @property
    def crn(self) -> str:
        return str(self.info["crn"])

    @property
    def api_version(self) -> str:
        return str(self.info["api_version"])

    def cpu_seconds(self) -> float:
        """User + system CPU seconds used so far by the emulator: its API process and the live
        processes under it (the worker zygote and the workers that run the jobs)."""
        import psutil

        if self._proc is None:
            raise RuntimeError("the emulator process is not running")
        root = psutil.Process(self._proc.pid)
        total = 0.0
        for proc in [root, *root.children(recursive=True)]:
            try:
                times = proc.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

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
