"""Shared fixtures: emulator servers on loopback, and plain-httpx helpers to drive them.

* ``emulator``: one server for the whole test session (strict response checking on);
* ``fresh_emulator``: a server of its own, for fault, TTL and isolation tests;
* ``make_emulator``: a factory for servers with other settings (stopped after the test);
* ``api`` / ``legacy_api``: :class:`EmulatorClient` objects (httpx, authenticated) on the shared
  server's current and legacy roots;
* ``clean_env``: no ``QISKIT_IBM_*`` / ``IAM_URL`` variables and a HOME without saved accounts.

The scripted fake service and the fake clock of the SDK's unit tests are in ``tests/fakes.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import Runtime
from qiskit_runtime_rest.retry import RetryPolicy

FINAL = {"Completed", "Failed", "Cancelled", "Cancelled - Ran too long"}
_ENV_VARS = (
    "QISKIT_IBM_TOKEN",
    "QISKIT_IBM_INSTANCE",
    "QISKIT_IBM_URL",
    "QISKIT_IBM_CHANNEL",
    "IAM_URL",
)


class EmulatorClient:
    """A thin httpx client for one root of an emulator, with job/session helpers."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        self.http = httpx.Client(base_url=base_url, headers=headers, timeout=30.0)

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.request(method, path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.post(path, **kwargs)

    def ok(self, method: str, path: str, expected: int = 200, **kwargs: Any) -> Any:
        """Send a request, assert its status and return the JSON body (None if empty)."""
        r = self.http.request(method, path, **kwargs)
        assert r.status_code == expected, f"{method} {path}: {r.status_code} {r.text}"
        return r.json() if r.content and "json" in r.headers.get("content-type", "") else None

    def submit(self, job: dict[str, Any]) -> str:
        return str(self.ok("POST", "/jobs", json=job)["id"])

    def session(self, **body: Any) -> dict[str, Any]:
        out: dict[str, Any] = self.ok("POST", "/sessions", json=body)
        return out

    def job(self, job_id: str) -> dict[str, Any]:
        out: dict[str, Any] = self.ok("GET", f"/jobs/{job_id}")
        return out

    def wait(
        self, job_id: str, timeout: float = 30.0, statuses: set[str] = FINAL
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            job = self.ok("GET", f"/jobs/{job_id}", params={"exclude_params": "true"})
            if job["status"] in statuses:
                return dict(job)
            if time.monotonic() > deadline:
                raise AssertionError(f"job {job_id} still {job['status']} after {timeout} s")
            time.sleep(0.02)

    def result(self, job_id: str) -> Any:
        job = self.wait(job_id)
        assert job["status"] == "Completed", job
        return self.ok("GET", f"/jobs/{job_id}/results")


FAST_RETRY = RetryPolicy(initial_backoff=0.01, max_backoff=0.05)
"""Retries without the production backoff, so fault tests stay fast."""


def connect(server: EmulatorServer, cls: Any = Runtime, **kwargs: Any) -> Any:
    """A ``Runtime`` (or ``cls``, e.g. ``AsyncRuntime``) for ``server``'s default instance, over
    real HTTP; keyword arguments override the settings (``retry`` defaults to FAST_RETRY)."""
    settings: dict[str, Any] = {
        "token": server.api_key,
        "instance": server.crn,
        "url": server.url,
        "iam_url": server.iam_url,
        "trust_env": False,
        "retry": FAST_RETRY,
    }
    settings.update(kwargs)
    return cls(**settings)


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, step: float = 0.02) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(step)


def sampler_job(
    qasm: str,
    *,
    shots: int | None = None,
    backend: str = "ibm_emulator_simulator",
    support_qiskit: bool | None = None,
    session_id: str | None = None,
    options: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    pub: list[Any] = [qasm] if shots is None else [qasm, None, shots]
    params: dict[str, Any] = {"pubs": [pub], "version": 2}
    if support_qiskit is not None:
        params["support_qiskit"] = support_qiskit
    if options is not None:
        params["options"] = options
    job: dict[str, Any] = {"program_id": "sampler", "backend": backend, "params": params}
    if session_id is not None:
        job["session_id"] = session_id
    job.update(extra)
    return job


def knobs(delay: float | None = None, fail: str | None = None) -> dict[str, Any]:
    """``params.options`` with the emulator's test knobs."""
    emu: dict[str, Any] = {}
    if delay is not None:
        emu["delay_seconds"] = delay
    if fail is not None:
        emu["fail"] = fail
    return {"experimental": {"emulator": emu}}


def client_for(
    server: EmulatorServer, *, legacy: bool = False, api_key: str | None = None
) -> EmulatorClient:
    if legacy:
        return EmulatorClient(server.legacy_url, {"x-access-token": server.legacy_token})
    return EmulatorClient(server.url, server.headers(api_key=api_key))


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(strict_responses=True, test_knobs=True)) as server:
        yield server


def _assert_conforming(server: EmulatorServer) -> None:
    violations = server.state.response_violations
    assert server.state.violation_count == 0, (
        f"the emulator produced responses that violate the spec: {violations}"
    )


@pytest.fixture
def fresh_emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(strict_responses=True, test_knobs=True)) as server:
        yield server
        _assert_conforming(server)


@pytest.fixture
def make_emulator() -> Iterator[Callable[..., EmulatorServer]]:
    """A factory of started servers (stopped at the end of the test)."""
    servers: list[EmulatorServer] = []

    def make(config: EmulatorConfig | None = None) -> EmulatorServer:
        server = EmulatorServer(
            config or EmulatorConfig(strict_responses=True, test_knobs=True)
        ).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()
    for server in servers:
        _assert_conforming(server)


@pytest.fixture
def api(emulator: EmulatorServer) -> Iterator[EmulatorClient]:
    client = client_for(emulator)
    yield client
    client.close()


@pytest.fixture
def legacy_api(emulator: EmulatorServer) -> Iterator[EmulatorClient]:
    client = client_for(emulator, legacy=True)
    yield client
    client.close()


@pytest.fixture(autouse=True)
def _no_spec_violations(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test during which the shared emulator produced a non-conforming response."""
    if "emulator" not in request.fixturenames:
        yield
        return
    server: EmulatorServer = request.getfixturevalue("emulator")
    before = server.state.violation_count
    yield
    assert server.state.violation_count == before, server.state.response_violations


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[None]:
    """No QISKIT_IBM_* / IAM_URL variables, and a HOME without saved accounts; variables the
    test sets (as a documentation page may, for qiskit-ibm-runtime) are undone after it."""
    for var in (*_ENV_VARS, "QISKIT_FUNCTIONS_EXPERIMENTAL"):
        monkeypatch.setenv(var, "")  # recorded first, so that the original state is restored
        monkeypatch.delenv(var)
    monkeypatch.setenv("HOME", str(tmp_path))
    yield
