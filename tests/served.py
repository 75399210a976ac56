"""An emulator served by its command line in a process of its own, to attack and to measure.

``ServedEmulator(config, tmp_path)`` starts ``python -m qiskit_runtime_emulator serve`` with
``config`` (written to a JSON file), with its store in memory (``--ephemeral``) unless
``data_dir`` is given (``--data-dir``), reads the URL from its banner, and gives the server's
resident memory (:meth:`rss`, the API process alone: workers are separate processes) and its
worker processes (:meth:`workers`). Its output goes to files (:meth:`log`); ``log_level``
(default ``warning``: only problems reach :meth:`errors`) is its ``--log-level``.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import psutil
from qiskit_runtime_emulator.config import DEFAULT_API_KEY, DEFAULT_CRN

SECOND_API_KEY = "emulator-api-key-2"
SECOND_CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/emulator:instance-2::"
API_VERSION = "2026-04-15"


class ServedEmulator:
    """``qiskit-runtime-emulator serve`` in a subprocess (see the module docstring)."""

    def __init__(
        self,
        config: dict[str, Any],
        tmp_path: Path,
        *,
        nofile: int | None = None,
        log_level: str = "warning",
        data_dir: Path | None = None,
    ) -> None:
        self.log_level = log_level
        self.data_dir = data_dir
        self.config_path = tmp_path / "emulator.json"
        self.config_path.write_text(json.dumps(config))
        self.out_path = tmp_path / "emulator.out"
        self.err_path = tmp_path / "emulator.err"
        self.nofile = nofile
        self.proc: subprocess.Popen[bytes] | None = None
        self.base_url = ""
        self._tokens: dict[str, str] = {}

    def __enter__(self) -> ServedEmulator:
        nofile = self.nofile

        def limit_files() -> None:
            if nofile is not None:
                _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, hard))

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-m", "qiskit_runtime_emulator", "serve", "--port", "0"]
        command += ["--log-level", self.log_level]
        command += ["--data-dir", str(self.data_dir)] if self.data_dir else ["--ephemeral"]
        self.base_url = ""
        skip = self.out_path.stat().st_size if self.out_path.exists() else 0
        with self.out_path.open("ab") as out, self.err_path.open("ab") as err:
            self.proc = subprocess.Popen(
                [*command, "--config", str(self.config_path)],
                stdout=out,
                stderr=err,
                env=env,
                preexec_fn=limit_files,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            text = self.out_path.read_bytes()[skip:].decode()  # this run's banner, not the last
            for line in text.splitlines():
                if "base URL (current service):" in line:
                    self.base_url = line.split(": ", 1)[1].strip().removesuffix("/api/v1")
            if self.base_url and "Ctrl+C" in text:
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.__exit__(None, None, None)
        raise AssertionError(f"the emulator did not start: {self.log()}")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def kill(self) -> None:
        """SIGKILL the server (its worker processes go with their zygote's control socket)."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()
        self._tokens.clear()

    # ------------------------------------------------------------------ access

    @property
    def url(self) -> str:
        return f"{self.base_url}/api/v1"

    def token(self, api_key: str = DEFAULT_API_KEY) -> str:
        if api_key not in self._tokens:
            r = httpx.post(
                f"{self.base_url}/identity/token",
                data={"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": api_key},
            )
            r.raise_for_status()
            self._tokens[api_key] = r.json()["access_token"]
        return self._tokens[api_key]

    def headers(self, second: bool = False) -> dict[str, str]:
        key, crn = (SECOND_API_KEY, SECOND_CRN) if second else (DEFAULT_API_KEY, DEFAULT_CRN)
        return {
            "Authorization": f"Bearer {self.token(key)}",
            "Service-CRN": crn,
            "IBM-API-Version": API_VERSION,
        }

    def client(self, second: bool = False, timeout: float = 60.0) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=self.headers(second), timeout=timeout)

    def log(self) -> str:
        return self.out_path.read_text() + self.err_path.read_text()

    def errors(self) -> str:
        return self.err_path.read_text()

    # ------------------------------------------------------------------ processes

    @property
    def process(self) -> psutil.Process:
        assert self.proc is not None
        return psutil.Process(self.proc.pid)

    def rss(self) -> int:
        """Resident memory of the API process (workers and their zygote excluded)."""
        return int(self.process.memory_info().rss)

    def workers(self) -> list[psutil.Process]:
        """The worker processes (children of the zygote, itself a child of the server)."""
        out: list[psutil.Process] = []
        for child in self.process.children():
            try:
                if "qiskit_runtime_emulator.worker" in " ".join(child.cmdline()):
                    out.extend(child.children())
            except psutil.NoSuchProcess:
                continue
        return out


class PeakRSS:
    """Samples a process's resident memory in a thread while a block runs; ``peak`` in bytes."""

    def __init__(self, served: ServedEmulator, every: float = 0.02) -> None:
        self.served = served
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self.served.rss())
            except psutil.Error:
                return
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRSS:
        self.peak = self.served.rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.served.rss())
