"""Secrets: API keys, legacy tokens and IAM access tokens never show up anywhere readable.

Distinctive secrets are configured (an emulator instance with its own API key and legacy token,
a wrong API key), then the SDK is driven through everything that writes text: jobs, sessions,
batches, listing, results, logs, failures, retries under injected faults, a token refresh after a
401, a refused IAM exchange, the legacy channel, sync and async, with ``progress=True``. All of
it is captured (every logger at DEBUG, including ``httpx``/``httpcore``, stdout and stderr, the
reprs of every object the user holds, and the full text of every exception with its chain and
notes) and scanned for the secrets and for any JWT (``eyJ...``).

A hostile service that *echoes* credentials in its error bodies (IAM quoting the API key, an API
error quoting the bearer token) must not get them into the SDK's error messages either.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import traceback
import types
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from qiskit_runtime_emulator.config import EmulatorConfig, InstanceConfig
from qiskit_runtime_emulator.faults import FaultConfig
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import (
    APIError,
    AsyncRuntime,
    AuthenticationError,
    JobFailedError,
    RetryPolicy,
    Runtime,
    RuntimeRestError,
    SamplerOptions,
    SamplerPub,
)

from tests.fakes import BASE, CRN, IAM, FakeService, job_json

API_KEY = "SECRET-APIKEY-q9Zt4u7Wb2Xy5Lm8"
LEGACY_TOKEN = "SECRET-LEGACYTOKEN-k3Vn6Rp1Hs0Dj"
WRONG_KEY = "SECRET-WRONGKEY-a1B2c3D4e5F6g7"
SECRETS = (API_KEY, LEGACY_TOKEN, WRONG_KEY)
INSTANCE = "crn:v1:bluemix:public:quantum-computing:us-east:a/secrets:instance-1::"
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{10,}")
BACKEND = "ibm_emulator_simulator"
BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; '
    "h q[0]; cx q[0], q[1]; meas = measure q;"
)
FAST = RetryPolicy(max_attempts=8, initial_backoff=0.01, max_backoff=0.05)


def exception_text(exc: BaseException) -> str:
    """Everything an exception can show: str, repr, attributes, traceback, chain and notes."""
    parts = [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    parts += [repr(v) for v in vars(exc).values()]
    return "\n".join(parts)


class Texts:
    """Collects every text the scenario produced."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, where: str, value: Any) -> None:
        self.items.append((where, value if isinstance(value, str) else repr(value)))

    def error(self, where: str, call: Any) -> BaseException:
        try:
            call()
        except Exception as exc:
            self.add(where, exception_text(exc))
            return exc
        raise AssertionError(f"{where}: no error")

    def reachable(self, where: str, root: object, depth: int = 4) -> None:
        """The reprs of every object reachable from ``root`` through attributes, mappings and
        sequences (the SDK's internals included: no repr may show a secret)."""
        seen: set[int] = set()
        stack: list[tuple[str, object, int]] = [(where, root, 0)]
        while stack and len(seen) < 3000:
            path, obj, level = stack.pop()
            if id(obj) in seen or isinstance(obj, type | types.ModuleType | types.FunctionType):
                continue
            seen.add(id(obj))
            plain = (str, bytes, int, float, bool, type(None), dict, list, tuple, set, frozenset)
            if not isinstance(obj, plain):  # the data objects hold is not what they show
                self.add(path, repr(obj))
            if level == depth or isinstance(obj, str | bytes | int | float | bool | None):
                continue
            if isinstance(obj, dict):
                children = [(f"{path}[{k!r}]", v) for k, v in obj.items()]
            elif isinstance(obj, list | tuple | set | frozenset):
                children = [(f"{path}[{i}]", v) for i, v in enumerate(obj)]
            else:
                names = list(getattr(obj, "__dict__", {}))
                for cls in type(obj).__mro__:
                    names += [n for n in getattr(cls, "__slots__", ()) if hasattr(obj, n)]
                children = [(f"{path}.{n}", getattr(obj, n)) for n in names]
            stack += [(child, value, level + 1) for child, value in children]

    def scan(self, secrets: tuple[str, ...]) -> None:
        assert self.items
        for where, text in self.items:
            for secret in secrets:
                assert secret not in text, f"{secret!r} leaked in {where}: {text[:300]}"
            leaked = JWT.search(text)
            assert leaked is None, f"a JWT leaked in {where}: {text[:300]}"


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    config = EmulatorConfig(
        instances=(
            InstanceConfig(crn=INSTANCE, api_keys=(API_KEY,), legacy_tokens=(LEGACY_TOKEN,)),
        ),
        strict_responses=True,
        test_knobs=True,
    )
    with EmulatorServer(config) as emu:
        yield emu


def runtime(server: EmulatorServer, cls: Any = Runtime, **kwargs: Any) -> Any:
    settings = {
        "token": API_KEY,
        "instance": INSTANCE,
        "url": server.url,
        "iam_url": server.iam_url,
        "trust_env": False,
        "retry": FAST,
    }
    settings.update(kwargs)
    return cls(**settings)


class StaleOnce(httpx.HTTPTransport):
    """The network, except that once ``stale`` is set, the next API request carries a token
    the service refuses (as it would a revoked one)."""

    stale = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        token = request.headers.get("Authorization")
        if self.stale and token:
            self.stale = False
            request.headers["Authorization"] = token[:-4] + "AAAA"
        return super().handle_request(request)


def drive_sync(server: EmulatorServer, texts: Texts) -> None:
    network = StaleOnce()
    with runtime(server, transport=network) as rt:
        texts.add("Runtime repr", rt)
        texts.add("Runtime str", str(rt))
        texts.add("account repr", rt.account)
        texts.reachable("Runtime", rt)
        texts.add("backends", rt.backends())
        sampler = rt.sampler(BACKEND)
        texts.add("sampler repr", sampler)
        job = sampler.run([SamplerPub(BELL, shots=20)], tags=["secrets-test"])
        texts.add("job repr", job)
        texts.add("result", job.result(timeout=60))
        texts.add("job repr after", job)
        texts.add("logs", job.logs())
        texts.add("metrics", job.metrics())
        texts.add("details", job.details())
        with rt.session(BACKEND, max_time=120) as session:
            texts.add("session repr", session)
            texts.add("session details", session.details())
            texts.add("wait", session.sampler().run([SamplerPub(BELL)]).wait(progress=True))
        with rt.batch(BACKEND) as batch:
            texts.add("batch repr", batch)
        texts.add("listing", [repr(j) for j in rt.jobs(limit=5)])
        failing = SamplerOptions(experimental={"emulator": {"fail": "boom"}})
        failed = rt.sampler(BACKEND, options=failing).run([SamplerPub(BELL)])
        assert isinstance(
            texts.error("failed job", lambda: failed.result(timeout=60)), JobFailedError
        )
        texts.error("404", lambda: rt.job("doesnotexist0000000"))
        texts.error("400", lambda: rt.sampler("no_such_backend").run([SamplerPub(BELL)]))
        # retries under injected faults (the retry log lines)
        server.set_faults(FaultConfig(rate=0.5, statuses=(429, 500, 503), drop_rate=0.1, seed=3))
        for _ in range(5):
            rt.backend_status(BACKEND)
        rt.sampler(BACKEND).run([SamplerPub(BELL, shots=5)]).wait(timeout=60)
        server.set_faults(None)
        # a 401 on a stale token, then a refresh
        network.stale = True
        texts.add("after refresh", rt.usage())
        assert not network.stale
    # a refused IAM exchange
    with runtime(server, token=WRONG_KEY) as bad:
        exc = texts.error("IAM refusal", bad.usage)
        assert isinstance(exc, AuthenticationError)
        texts.add("bad runtime repr", bad)
    # the legacy channel
    legacy_settings = {
        "channel": "legacy",
        "url": server.legacy_url,
        "instance": "hub1/group1/project1",
    }
    legacy = runtime(server, token=LEGACY_TOKEN, **legacy_settings)
    with legacy:
        texts.add("legacy repr", legacy)
        texts.reachable("legacy Runtime", legacy)
        legacy.sampler(BACKEND).run([SamplerPub(BELL, shots=5)]).wait(timeout=60)
        texts.error("legacy 404", lambda: legacy.job("doesnotexist0000000"))
    with runtime(server, token=WRONG_KEY, **legacy_settings) as bad_legacy:
        texts.error("legacy 401", bad_legacy.backends)


async def drive_async(server: EmulatorServer, texts: Texts) -> None:
    async with runtime(server, AsyncRuntime) as rt:
        texts.add("AsyncRuntime repr", rt)
        texts.reachable("AsyncRuntime", rt)
        async with rt.batch(BACKEND) as batch:
            texts.add("async batch", batch)
            job = await batch.sampler().run([SamplerPub(BELL, shots=10)])
            texts.add("async job", job)
        texts.add("async result", await job.result(timeout=60))
        try:
            await rt.job("doesnotexist0000000")
        except RuntimeRestError as exc:
            texts.add("async 404", exception_text(exc))
    async with runtime(server, AsyncRuntime, token=WRONG_KEY) as bad:
        try:
            await bad.backends()
        except AuthenticationError as exc:
            texts.add("async IAM refusal", exception_text(exc))


def test_no_secret_in_logs_reprs_errors_or_output(
    server: EmulatorServer, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("", "qiskit_runtime_rest", "httpx", "httpcore", "qiskit_runtime_emulator"):
        caplog.set_level(logging.DEBUG, logger=name)
    texts = Texts()
    drive_sync(server, texts)
    asyncio.run(drive_async(server, texts))
    records = caplog.records
    for record in records:
        texts.add(f"log {record.name}", record.getMessage())
        texts.add(f"log args {record.name}", record.args)
        if record.exc_info and record.exc_info[1] is not None:
            texts.add(f"log exc {record.name}", exception_text(record.exc_info[1]))
    out = capsys.readouterr()
    texts.add("stdout", out.out)
    texts.add("stderr", out.err)
    texts.scan(SECRETS)
    # the capture really saw DEBUG traffic of httpx/httpcore and the SDK's retries and refresh
    names = {r.name.split(".")[0] for r in records}
    assert {"httpx", "httpcore", "qiskit_runtime_rest"} <= names, names
    messages = [r.getMessage() for r in records]
    assert any("retrying" in m for m in messages)
    assert any("fetching a new token" in m for m in messages)
    assert any("identity/token" in m for m in messages)  # httpx logged the IAM request URL
    assert "job " in out.err  # progress=True printed the statuses


# -- a service that echoes credentials -----------------------------------------------------------


def echoing_service() -> FakeService:
    """IAM and API errors that quote the credentials they were sent."""

    class Echo(FakeService):
        def _iam(self, request: httpx.Request) -> httpx.Response:
            self.iam_calls += 1
            form = dict(p.split("=", 1) for p in request.content.decode().split("&"))
            if form.get("apikey") == WRONG_KEY:
                message = f"Provided API key {WRONG_KEY} could not be found."
                return httpx.Response(
                    400, json={"errorCode": "BXNIM0415E", "errorMessage": message}
                )
            return super()._iam(request)

    service = Echo()

    def echo(status: int) -> Any:
        def reply(request: httpx.Request) -> httpx.Response:
            auth = request.headers.get("Authorization", "")
            body = {
                "errors": [{"code": "echo", "message": f"rejected credentials: {auth}"}],
                "trace": "t-1",
                "request": {"headers": dict(request.headers)},
            }
            return httpx.Response(status, json=body)

        return reply

    service.on("GET", "/jobs/j401", echo(401))
    service.on("GET", "/jobs/j500", echo(500))
    service.on("GET", "/jobs/j403", echo(403))
    service.on("GET", "/jobs/ok", job_json("ok"))
    return service


@pytest.mark.usefixtures("clean_env")
def test_echoed_credentials_are_hidden_in_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    texts = Texts()
    service = echoing_service()
    settings = {"instance": CRN, "url": BASE, "iam_url": IAM, "retry": FAST}
    with Runtime(token=WRONG_KEY, transport=service.transport(), **settings) as rt:
        exc = texts.error("IAM echo", lambda: rt.job("ok"))
        assert isinstance(exc, AuthenticationError) and "<hidden>" in str(exc)
    service.on("POST", "/sessions", {"id": "s"})  # (unused) keeps the service shape
    from tests.fakes import API_KEY as GOOD_KEY

    with Runtime(token=GOOD_KEY, transport=service.transport(), **settings) as rt:
        rt.job("ok")
        token = service.issued[-1]
        for job_id in ("j401", "j500", "j403"):
            exc = texts.error(f"API echo {job_id}", lambda job_id=job_id: rt.job(job_id))
            assert isinstance(exc, APIError) and "<hidden>" in str(exc), str(exc)
            assert token not in json.dumps(exc.body)  # type: ignore[attr-defined]
    with Runtime(access_token=token, transport=service.transport(), **settings) as rt:
        exc = texts.error("bearer echo", lambda: rt.job("j403"))
        assert "<hidden>" in str(exc)
    # no credential in any URL either
    for request in service.requests:
        texts.add(f"url {request.method}", str(request.url))
    for record in caplog.records:
        texts.add("log", record.getMessage())
    texts.scan((GOOD_KEY, WRONG_KEY, token))
