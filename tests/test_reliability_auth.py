"""Authentication against the emulator, as the SDK meets it: missing, wrong and expired credentials.

* no credentials -> 401 (raw HTTP), and an SDK holding a bad token or API key raises
  ``AuthenticationError`` without retrying forever;
* the wrong instance: a ``Service-CRN`` the token does not grant -> 401 (``AuthenticationError``),
  and the jobs and sessions of another instance -> 404 (``NotFoundError``): an instance never sees
  another one's objects;
* an expired IAM token -> 401, then the SDK fetches a new token once and the request succeeds. The
  emulator issues 2-second tokens and the SDK's clock is set back, so that its *proactive* refresh
  (at 80 % of the lifetime) cannot hide the expiry: the 401-then-refresh path is the one taken,
  which an ASGI recorder in front of the emulator proves (the 401 it answered, then the 200).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import (
    AsyncRuntime,
    AuthenticationError,
    NotFoundError,
    SamplerPub,
)
from qiskit_runtime_rest.auth import IAMAuth

from tests.conftest import connect

BACKEND = "ibm_emulator_simulator"
BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; '
    "h q[0]; cx q[0], q[1]; meas = measure q;"
)


class StatusRecorder:
    """ASGI middleware: records (method, path, status) of every answer the emulator sends."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[tuple[str, str, int]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def recording_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                self.seen.append((scope["method"], scope["path"], message["status"]))
            await send(message)

        await self.app(scope, receive, recording_send)

    def statuses(self, path_suffix: str) -> list[int]:
        return [s for _, p, s in self.seen if p.endswith(path_suffix)]


def recorded_emulator(config: EmulatorConfig) -> tuple[EmulatorServer, StatusRecorder]:
    server = EmulatorServer(config)
    recorder = StatusRecorder(server.app)
    server.app = recorder
    return server, recorder


def test_no_credentials_is_401_and_bad_ones_are_authentication_errors(
    emulator: EmulatorServer,
) -> None:
    r = httpx.get(f"{emulator.url}/jobs", headers={"Service-CRN": emulator.crn})
    assert r.status_code == 401 and r.json()["status_code"] == 401
    # a bearer token nobody issued: 401, and a plain token cannot be refreshed
    with connect(emulator, token=None, access_token="not-a-token") as rt:
        with pytest.raises(AuthenticationError) as info:
            rt.usage()
        assert info.value.status_code == 401
    # an unknown API key: IAM refuses the exchange (400), which is an authentication error
    with connect(emulator, token="unknown-api-key-0000") as rt:
        with pytest.raises(AuthenticationError, match="IAM token request failed") as info:
            rt.usage()
        assert "unknown-api-key-0000" not in str(info.value)


def test_wrong_instance(emulator: EmulatorServer) -> None:
    second = emulator.config.instances[1]
    # the first instance's key does not grant the second instance: 401
    with connect(emulator, instance=second.crn) as rt, pytest.raises(AuthenticationError) as info:
        rt.backends()
    assert info.value.status_code == 401 and "Service-CRN" in str(info.value)
    # the second instance's own credentials work, but never see the first one's objects: 404
    with (
        connect(emulator) as one,
        connect(emulator, token=second.api_keys[0], instance=second.crn) as two,
    ):
        with one.batch(BACKEND) as batch:
            job = batch.sampler().run([SamplerPub(BELL, shots=10)])
        job.wait(timeout=60)
        for call in (
            lambda: two.job(job.id),
            lambda: two.session_details(batch.id),
            lambda: two.batch_from_id(batch.id),
        ):
            with pytest.raises(NotFoundError) as missing:
                call()
            assert missing.value.status_code == 404
        assert job.id not in [j.id for j in two.jobs(limit=50)]


class LaggingClock:
    """A wall clock that can be set a minute back: the SDK then believes its token is fresh,
    while the emulator's clock says it expired."""

    def __init__(self) -> None:
        self.lag = 0.0

    def __call__(self) -> float:
        return time.time() - self.lag


def _lagging_auth(server: EmulatorServer) -> tuple[IAMAuth, LaggingClock]:
    clock = LaggingClock()
    return IAMAuth(server.api_key, server.iam_url, clock=clock), clock


def _check_refresh(recorder: StatusRecorder, before: int, fetched: int, first: int) -> None:
    after = recorder.seen[before:]
    usage = [s for _, p, s in after if p.endswith("/instances/usage")]
    iam = [s for _, p, s in after if p.endswith("/identity/token")]
    # the expired token was refused, a new one fetched once, and the same request succeeded
    assert usage == [401, 200], after
    assert iam == [200], after
    assert fetched == first + 1


def test_expired_token_is_refused_then_refreshed_once_sync() -> None:
    server, recorder = recorded_emulator(EmulatorConfig(strict_responses=True, token_lifetime=2))
    with server:
        auth, clock = _lagging_auth(server)
        with connect(server, auth=auth) as rt:
            rt.usage()  # the first token
            first, clock.lag = auth.fetch_count, 60.0
            time.sleep(2.5)
            before = len(recorder.seen)
            assert rt.usage().instance_id == server.crn
            _check_refresh(recorder, before, auth.fetch_count, first)


def test_expired_token_is_refused_then_refreshed_once_async() -> None:
    server, recorder = recorded_emulator(EmulatorConfig(strict_responses=True, token_lifetime=2))

    async def main() -> None:
        auth, clock = _lagging_auth(server)
        async with connect(server, AsyncRuntime, auth=auth) as rt:
            await rt.usage()
            first, clock.lag = auth.fetch_count, 60.0
            await asyncio.sleep(2.5)
            before = len(recorder.seen)
            assert (await rt.usage()).instance_id == server.crn
            _check_refresh(recorder, before, auth.fetch_count, first)

    with server:
        asyncio.run(main())


def test_proactive_refresh_avoids_the_401() -> None:
    """With its clock right, the SDK renews a 2-second token before it expires: no 401 at all."""
    server, recorder = recorded_emulator(EmulatorConfig(strict_responses=True, token_lifetime=2))
    with server:
        auth = IAMAuth(server.api_key, server.iam_url)
        with connect(server, auth=auth) as rt:
            deadline = time.monotonic() + 4
            while time.monotonic() < deadline:  # two lifetimes of polling
                rt.usage()
                time.sleep(0.1)
    statuses = recorder.statuses("/instances/usage")
    assert statuses and set(statuses) == {200}, statuses
    assert auth.fetch_count >= 3
