"""Deadlines against a server that trickles its answer or stays silent.

httpx's timeouts bound each socket operation, so an answer that arrives a byte at a time never
trips them. A loopback server (:class:`tests.fakes.RawServer`) answers one kind of request slowly
(headers, body, or the IAM token answer, one byte every 0.1 s: tens of seconds in all) or not at
all; ``result(timeout=T)`` and ``wait(timeout=T)`` must raise ``JobTimeoutError`` and ``run()``
(whose deadline is ``Timeouts.submit``) ``APITimeoutError``, within T plus one poll. The bound is
checked generously (a few seconds, against the tens of seconds the answer takes): no timing
assertion that a loaded machine could break.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import numpy as np
import pytest
from qiskit_runtime_rest import (
    APITimeoutError,
    AsyncRuntime,
    BitArray,
    DataBin,
    JobTimeoutError,
    PrimitiveResult,
    RetryPolicy,
    Runtime,
    SamplerPubResult,
    Timeouts,
)
from qiskit_runtime_rest.codec import encode_result

from tests.fakes import (
    API_KEY,
    CRN,
    RawRequest,
    RawServer,
    http_answer,
    job_json,
    make_jwt,
    stay_silent,
    trickle,
)

pytestmark = pytest.mark.usefixtures("clean_env")

T = 0.4  # the caller's timeout (run(): Timeouts.submit)
POLL = {"poll_interval": 0.1, "max_poll_interval": 0.2}
BOUND = T + 3.0  # "T plus one poll", generously: the slow answers take tens of seconds
BELL = 'OPENQASM 3.0; include "stdgates.inc"; qubit[1] q; bit[1] c; c[0] = measure q[0];'
HOW = ["headers", "body", "iam", "silent"]
CALLS = ["result", "wait", "run"]


def _result_json() -> dict[str, Any]:
    bits = BitArray(np.array([[0], [1]], dtype=np.uint8), 1)
    return encode_result(PrimitiveResult([SamplerPubResult(DataBin({"c": bits}))], {}))


class SlowService:
    """The service on a RawServer; once ``armed``, the requests of the measured call answer
    ``how`` (trickled headers or body, a trickled IAM answer, or silence)."""

    def __init__(self, how: str, call: str) -> None:
        self.how = how
        self.call = call
        self.armed = False
        self.server = RawServer(self.respond)

    def _slow(self, request: RawRequest) -> bool:
        if not self.armed:
            return False
        path, method = request.path, request.method
        if self.how == "iam":
            return path == "/identity/token"
        if self.call == "run":
            return method == "POST" and path == "/api/v1/jobs"
        if self.call == "result":
            return path == "/api/v1/jobs/j1/results"
        return path == "/api/v1/jobs/j1"

    def _normal(self, request: RawRequest) -> bytes:
        path = request.path
        if path == "/identity/token":
            now = time.time()  # a token that expires at once: every request fetches a new one
            return http_answer(200, {"access_token": make_jwt(now, now), "expires_in": 0})
        if path == "/api/v1/jobs/j1/results":
            return http_answer(200, _result_json())
        if path == "/api/v1/jobs/j1":
            status = "Completed" if self.call == "result" else "Running"
            return http_answer(200, job_json("j1", status))
        if path == "/api/v1/jobs" and request.method == "POST":
            return http_answer(200, {"id": "j1", "backend": "fake_backend"})
        return http_answer(200, {"jobs": [], "limit": 2, "offset": 0, "count": 0})

    def respond(self, request: RawRequest, conn: Any, stop: threading.Event) -> None:
        answer = self._normal(request)
        if not self._slow(request):
            conn.sendall(answer)
        elif self.how == "silent":
            stay_silent(conn, stop)
        elif self.how == "body":
            head, _, body = answer.partition(b"\r\n\r\n")
            conn.sendall(head + b"\r\n\r\n")
            trickle(conn, body, stop)
        else:  # headers (of an API or IAM answer)
            trickle(conn, answer, stop)

    def settings(self) -> dict[str, Any]:
        return {
            "token": API_KEY,
            "instance": CRN,
            "url": f"{self.server.url}/api/v1",
            "iam_url": self.server.url,
            "trust_env": False,
            "timeout": Timeouts(submit=T),
            "retry": RetryPolicy(initial_backoff=0.01, max_backoff=0.02),
        }


def _expected(call: str) -> type[Exception]:
    return APITimeoutError if call == "run" else JobTimeoutError


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("how", HOW)
def test_sync_calls_end_by_their_deadline(how: str, call: str) -> None:
    service = SlowService(how, call)
    with service.server, Runtime(**service.settings()) as rt:
        if call == "run":
            action: Any = lambda: rt.sampler("fake_backend").run([BELL])  # noqa: E731
        else:
            job = rt.job("j1")
            action = getattr(job, call)
        service.armed = True
        start = time.monotonic()
        kwargs = {} if call == "run" else {"timeout": T, **POLL}
        with pytest.raises(_expected(call)):
            action(**kwargs)
        took = time.monotonic() - start
    assert took < BOUND, f"{call} against a {how} server took {took:.1f} s"
    assert any(service._slow(r) for r in service.server.requests), "the slow answer was asked for"


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("how", HOW)
def test_async_calls_end_by_their_deadline(how: str, call: str) -> None:
    service = SlowService(how, call)

    async def main() -> float:
        async with AsyncRuntime(**service.settings()) as rt:
            if call != "run":
                job = await rt.job("j1")
            service.armed = True
            start = time.monotonic()
            with pytest.raises(_expected(call)):
                if call == "run":
                    await rt.sampler("fake_backend").run([BELL])
                else:
                    await getattr(job, call)(timeout=T, **POLL)
            return time.monotonic() - start

    with service.server:
        took = asyncio.run(main())
    assert took < BOUND, f"{call} against a {how} server took {took:.1f} s"


def test_run_has_a_default_deadline_of_five_minutes() -> None:
    """The documented default: Timeouts.submit bounds a whole run() (README, Timeouts)."""
    assert Timeouts().submit == 300.0
