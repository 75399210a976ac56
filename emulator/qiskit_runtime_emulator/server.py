"""Run the emulator in-process: uvicorn in a background thread, on loopback by default.

    with EmulatorServer() as emu:
        httpx.get(f"{emu.url}/versions")

``url`` is the current-service root (``.../api/v1``), ``legacy_url`` the legacy root
(``.../runtime``) and ``iam_url`` the IAM base (``POST {iam_url}/identity/token``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import socket
import threading
import time
from types import TracebackType
from typing import Any

import attrs
import uvicorn

from .app import EmulatorState, create_app
from .auth import APIKEY_GRANT
from .config import EmulatorConfig
from .connections import ConnectionGuard, connection_cap, guarded_protocol, quiet_exception_handler
from .execution import ExecutionBackend
from .faults import FaultConfig
from .store import Store

__all__ = ["EmulatorServer"]

_BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; '
    "c = measure q;"
)


@functools.cache
def _warm_validation() -> None:
    """Import qiskit's parsers now (once per process) rather than on the first job; running
    jobs is the worker processes' business."""
    from .backends import BACKENDS
    from .executor import validate_params

    # The device's check builds its qiskit Target (kept for later jobs).
    validate_params("sampler", {"pubs": [[_BELL]]}, BACKENDS["ibm_emulator_5q"])


class EmulatorServer:
    """One emulator: its own store, scheduler, credentials and fault settings.

    Jobs run in ``config.workers`` local worker processes, or on ``backend`` when given (any
    :class:`~.execution.ExecutionBackend`). The store is in memory unless ``data_dir`` (or
    ``config.data_dir``) names a directory: then it is durable there, and the jobs, sessions and
    results already in it are served (and its live jobs run); :meth:`stop` closes it. Raises
    :class:`~.database.StoreError` if the directory is in use by another server or holds a
    database of a newer schema.
    """

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        backend: ExecutionBackend | None = None,
        data_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        config = config or EmulatorConfig()
        if data_dir is not None:
            config = attrs.evolve(config, data_dir=os.fspath(data_dir))
        self.config: EmulatorConfig = config
        self.host = host
        self.port = port
        self.state = EmulatorState(self.config, backend=backend)
        self.app = create_app(self.state)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._error: BaseException | None = None
        self.connections = ConnectionGuard(
            cap=connection_cap(self.config.max_connections, self.config.workers),
            header_timeout=self.config.header_timeout,
            keep_alive_timeout=self.config.keep_alive_timeout,
        )

    # ------------------------------------------------------------------ credentials, URLs

    @property
    def store(self) -> Store:
        return self.state.store

    @property
    def api_key(self) -> str:
        return self.config.default_instance.api_keys[0]

    @property
    def crn(self) -> str:
        return self.config.default_instance.crn

    @property
    def legacy_token(self) -> str:
        return self.config.default_instance.legacy_tokens[0]

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base_url}/api/v1"

    @property
    def legacy_url(self) -> str:
        return f"{self.base_url}/runtime"

    @property
    def client_url(self) -> str:
        """The root to give qiskit-ibm-runtime (its URL resolver keeps URLs with "experimental")."""
        return f"{self.base_url}/experimental/api/v1"

    @property
    def iam_url(self) -> str:
        return self.base_url

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ------------------------------------------------------------------ control

    def set_faults(self, faults: FaultConfig | None) -> None:
        """Inject faults from now on (None: stop); counts are kept (see :meth:`stats`)."""
        self.state.faults.set(faults)

    def stats(self) -> dict[str, Any]:
        """Jobs (by status), sessions, queue, workers, connections, requests served and
        injected faults by kind."""
        out = self.state.stats()
        guard = self.connections
        out["connections"] = {
            "open": len(guard.open),
            "cap": guard.cap,
            "evicted": guard.evicted,
            "timed_out": guard.timed_out,
        }
        return out

    def calls(self) -> dict[tuple[str, str, int], int]:
        """Requests answered so far: ``(method, path template, status) -> count``.

        The template includes the root (``/experimental/api/v1/jobs/{job_id}``); the IAM
        exchange is ``/identity/token``; a path without a route is recorded as sent; status 0
        is a connection dropped on purpose. Use :meth:`reset_calls` to start afresh.
        """
        return self.state.calls_snapshot()

    def reset_calls(self) -> None:
        """Forget the requests recorded by :meth:`calls`."""
        self.state.reset_calls()

    def issue_token(self, api_key: str | None = None) -> str:
        """An IAM access token for ``api_key`` (default: the default instance's key)."""
        answer = self.state.auth.issue_token(
            {
                "grant_type": APIKEY_GRANT,
                "apikey": api_key or self.api_key,
            }
        )
        return str(answer["access_token"])

    def headers(self, *, api_key: str | None = None, crn: str | None = None) -> dict[str, str]:
        """Ready-made current-service headers (Bearer token, Service-CRN, IBM-API-Version)."""
        return {
            "Authorization": f"Bearer {self.issue_token(api_key)}",
            "Service-CRN": crn or self.crn,
            "IBM-API-Version": self.config.api_version,
        }

    def start(self, timeout: float = 30.0) -> EmulatorServer:
        """Start serving (in a daemon thread) and wait until the port accepts connections."""
        if self.running:
            return self
        with contextlib.suppress(ImportError):  # load qiskit now rather than on the first job
            _warm_validation()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # proto=IPPROTO_TCP: asyncio then sets TCP_NODELAY on accepted connections (with proto 0
        # it does not, and Nagle plus delayed ACKs add ~40 ms to every keep-alive request).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(2048)
        sock.setblocking(False)
        self._socket = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            http=guarded_protocol(self.connections),
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
            timeout_keep_alive=max(1, round(self.config.keep_alive_timeout)),
        )
        server = uvicorn.Server(config)
        self._server = server
        self.state.scheduler.start()

        async def serve() -> None:
            asyncio.get_running_loop().set_exception_handler(quiet_exception_handler())
            await server.serve(sockets=[sock])

        def run() -> None:
            try:
                asyncio.run(serve())
            except BaseException as exc:  # pragma: no cover - reported by start()
                self._error = exc

        self._thread = threading.Thread(target=run, name=f"emulator-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if self._error is not None or not self._thread.is_alive():
                self.stop()
                raise RuntimeError(f"the emulator failed to start: {self._error!r}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError("the emulator did not start in time")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        """Stop serving and stop the workers (running jobs are abandoned; with a durable store,
        they run again when a server next opens its data directory, which this one closes)."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        self._server = None
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.close()
            self._socket = None
        self.state.scheduler.stop()
        self.state.store.close()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<EmulatorServer {self.url} ({state})>"
