"""Hostile server answers: every public call that reads a response raises only the SDK's errors.

A scripted service (``httpx.MockTransport``) answers one route with something broken (malformed,
truncated, empty, mistyped, huge or gzip-bombed bodies, HTML from a proxy, non-IANA statuses,
wrong content types, redirects, dropped connections) and the other routes normally. Each public
call of ``Runtime`` and ``AsyncRuntime`` that reads that route must either succeed (when the
broken part is something it does not read) or raise a
:class:`~qiskit_runtime_rest.errors.RuntimeRestError` of the expected kind; never a bare
``KeyError``/``TypeError``/``ValueError``/``json.JSONDecodeError``/``RecursionError``, and never
run out of memory.
"""

from __future__ import annotations

import asyncio
import copy
import gzip
import json
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qiskit_runtime_rest import (
    APIConnectionError,
    APIError,
    AsyncRuntime,
    AuthenticationError,
    BitArray,
    DataBin,
    MalformedResponseError,
    PrimitiveResult,
    ResultDecodeError,
    RetryPolicy,
    Runtime,
    RuntimeRestError,
    SamplerPub,
    SamplerPubResult,
    ServerError,
)
from qiskit_runtime_rest import transport as transport_module
from qiskit_runtime_rest.codec import encode_result

from tests.fakes import (
    API_KEY,
    BASE,
    CRN,
    IAM,
    FakeService,
    job_json,
    session_json,
)

pytestmark = pytest.mark.usefixtures("clean_env", "result_limit")


@pytest.fixture
def result_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Results get the same (documented, adjustable) limit as other answers in these tests."""
    monkeypatch.setattr(transport_module, "MAX_RESULT_BYTES", transport_module.MAX_RESPONSE_BYTES)


BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; '
    "h q[0]; cx q[0], q[1]; meas = measure q;"
)
RETRY = RetryPolicy(
    max_attempts=3, initial_backoff=0.0, max_backoff=0.001, max_elapsed=5.0, jitter=False
)
JSON = "application/json"
FAST_POLL = {"poll_interval": 0.001, "max_poll_interval": 0.002}
HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>"
    b"<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)


# -- valid answers of every route ---------------------------------------------------------------


def result_bytes() -> bytes:
    bits = BitArray.from_bool_array(np.array([[True, False], [False, True]]))
    result = PrimitiveResult([SamplerPubResult(DataBin({"meas": bits}))], {"version": 2})
    return json.dumps(encode_result(result)).encode()


def valid_routes() -> dict[tuple[str, str], tuple[int, bytes, str | None]]:
    """(method, path) -> (status, body, content type) of a well-behaved service."""
    job = job_json("j1", "Completed", tags=["exp"], session_id="s1")
    session = session_json("s1", "dedicated", state="active")
    nduv = {"date": "2026-01-01T00:00:00Z", "name": "T1", "unit": "us", "value": 100.0}
    bodies: dict[tuple[str, str], Any] = {
        ("GET", "/jobs/j1"): job,
        ("GET", "/jobs/j1/results"): result_bytes(),
        ("GET", "/jobs/j1/logs"): b"2026-01-01T00:00:00.000Z INFO    Job queued\n",
        ("GET", "/jobs/j1/metrics"): {
            "timestamps": {"created": "2026-01-01T00:00:00Z"},
            "usage": {"quantum_seconds": 1.0},
            "num_circuits": 1,
        },
        ("PUT", "/jobs/j1/tags"): None,
        ("POST", "/jobs/j1/cancel"): None,
        ("DELETE", "/jobs/j1"): None,
        ("GET", "/jobs"): {"jobs": [job], "count": 1, "limit": 5, "offset": 0},
        ("POST", "/jobs"): {"id": "j1", "backend": "fake_backend"},
        ("POST", "/sessions"): session,
        ("GET", "/sessions/s1"): session,
        ("PATCH", "/sessions/s1"): None,
        ("DELETE", "/sessions/s1/close"): None,
        ("GET", "/backends"): {
            "devices": [{"name": "fake_backend", "status": {"name": "online"}, "queue_length": 0}]
        },
        ("GET", "/backends/fake_backend/status"): {"length_queue": 0, "status": "active"},
        ("GET", "/backends/fake_backend/configuration"): {
            "backend_name": "fake_backend",
            "backend_version": "1.0.0",
            "basis_gates": ["cz", "rz", "sx", "x"],
            "coupling_map": [[0, 1], [1, 0]],
            "n_qubits": 2,
        },
        ("GET", "/backends/fake_backend/properties"): {
            "backend_name": "fake_backend",
            "backend_version": "1.0.0",
            "last_update_date": "2026-01-01T00:00:00Z",
            "qubits": [[nduv], [nduv]],
            "gates": [{"gate": "x", "qubits": [0], "parameters": [nduv]}],
        },
        ("GET", "/instances/usage"): {
            "instance_id": CRN,
            "plan_id": "plan",
            "usage_consumed_seconds": 1.5,
        },
        ("GET", "/versions"): {"versions": [{"version": "2026-04-15", "status": "live"}]},
    }
    out: dict[tuple[str, str], tuple[int, bytes, str | None]] = {}
    for key, body in bodies.items():
        if body is None:
            out[key] = (204, b"", None)
        elif isinstance(body, bytes):
            text = key[1].endswith("/logs")
            out[key] = (200, body, "text/plain; charset=utf-8" if text else JSON)
        else:
            out[key] = (200, json.dumps(body).encode(), JSON)
    return out


VALID = valid_routes()


# -- the public calls, by route -----------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One route and the public calls that read it (sync and async twins)."""

    method: str
    path: str
    sync: Callable[[Runtime], Any]
    run_async: Callable[[AsyncRuntime], Any]
    reads_body: bool = True  # False: the SDK ignores the body (204 routes)
    result: bool = False
    required: bool = True  # False: the documented body has no required field


def _sync_job_calls(rt: Runtime) -> Any:
    job = rt.job("j1")
    job.status()
    job.done()
    job.wait(timeout=5)
    job.tags()
    rt.wait_all([job], timeout=5)
    return job.details()


async def _async_job_calls(rt: AsyncRuntime) -> Any:
    job = await rt.job("j1")
    await job.status()
    await job.done()
    await job.wait(timeout=5)
    await job.tags()
    await rt.wait_all([job], timeout=5)
    return await job.details()


def _sync_session(rt: Runtime) -> Any:
    session = rt.session_from_id("s1")
    session.status()
    return rt.session_details("s1")


async def _async_session(rt: AsyncRuntime) -> Any:
    session = await rt.session_from_id("s1")
    await session.status()
    return await rt.session_details("s1")


def _sync_batch(rt: Runtime) -> Any:
    with rt.session("fake_backend", max_time=60) as session:
        return session.id


async def _async_batch(rt: AsyncRuntime) -> Any:
    async with rt.session("fake_backend", max_time=60) as session:
        return session.id


async def _alist(rt: AsyncRuntime) -> Any:
    return [(job.id, job.last_status) async for job in rt.jobs(limit=5)]


async def _aresult(rt: AsyncRuntime) -> Any:
    return (await (await rt.job("j1")).result(timeout=5, **FAST_POLL))[0].data.meas.get_counts()


async def _atags(rt: AsyncRuntime) -> Any:
    await (await rt.job("j1")).update_tags(["a"])


async def _alogs(rt: AsyncRuntime) -> Any:
    return await (await rt.job("j1")).logs()


async def _ametrics(rt: AsyncRuntime) -> Any:
    return await (await rt.job("j1")).metrics()


async def _acancel(rt: AsyncRuntime) -> Any:
    await (await rt.job("j1")).cancel()


async def _adelete(rt: AsyncRuntime) -> Any:
    await (await rt.job("j1")).delete()


async def _asubmit(rt: AsyncRuntime) -> Any:
    return (await rt.sampler("fake_backend").run([SamplerPub(BELL)])).id


async def _aclose(rt: AsyncRuntime) -> Any:
    await (await rt.session_from_id("s1")).close()


async def _acancel_session(rt: AsyncRuntime) -> Any:
    await (await rt.session_from_id("s1")).cancel()


ROUTES = [
    Route("GET", "/jobs/j1", _sync_job_calls, _async_job_calls),
    Route(
        "GET",
        "/jobs/j1/results",
        lambda rt: rt.job("j1").result(timeout=5, **FAST_POLL)[0].data.meas.get_counts(),
        _aresult,
        result=True,
    ),
    Route("GET", "/jobs/j1/logs", lambda rt: rt.job("j1").logs(), _alogs),
    Route("GET", "/jobs/j1/metrics", lambda rt: rt.job("j1").metrics(), _ametrics, required=False),
    Route("PUT", "/jobs/j1/tags", lambda rt: rt.job("j1").update_tags(["a"]), _atags, False),
    Route("POST", "/jobs/j1/cancel", lambda rt: rt.job("j1").cancel(), _acancel, False),
    Route("DELETE", "/jobs/j1", lambda rt: rt.job("j1").delete(), _adelete, False),
    Route("GET", "/jobs", lambda rt: [(j.id, j.last_status) for j in rt.jobs(limit=5)], _alist),
    Route(
        "POST",
        "/jobs",
        lambda rt: rt.sampler("fake_backend").run([SamplerPub(BELL)]).id,
        _asubmit,
    ),
    Route("POST", "/sessions", _sync_batch, _async_batch),
    Route("GET", "/sessions/s1", _sync_session, _async_session),
    Route("PATCH", "/sessions/s1", lambda rt: rt.session_from_id("s1").close(), _aclose, False),
    Route(
        "DELETE",
        "/sessions/s1/close",
        lambda rt: rt.session_from_id("s1").cancel(),
        _acancel_session,
        False,
    ),
    Route("GET", "/backends", lambda rt: rt.backends(), lambda rt: rt.backends()),
    Route(
        "GET",
        "/backends/fake_backend/status",
        lambda rt: rt.backend_status("fake_backend"),
        lambda rt: rt.backend_status("fake_backend"),
    ),
    Route(
        "GET",
        "/backends/fake_backend/configuration",
        lambda rt: rt.backend_configuration("fake_backend"),
        lambda rt: rt.backend_configuration("fake_backend"),
    ),
    Route(
        "GET",
        "/backends/fake_backend/properties",
        lambda rt: rt.backend_properties("fake_backend"),
        lambda rt: rt.backend_properties("fake_backend"),
    ),
    Route("GET", "/instances/usage", lambda rt: rt.usage(), lambda rt: rt.usage()),
    Route("GET", "/versions", lambda rt: rt.versions(), lambda rt: rt.versions()),
]
assert {(r.method, r.path) for r in ROUTES} == set(VALID), "every route has its calls"


# -- hostile answers ----------------------------------------------------------------------------

Reply = httpx.Response | Exception


@cache
def gzip_bomb(body: bytes = b"") -> bytes:
    """~64 KB of gzip that inflate to ``body`` padded with 64 MiB of JSON whitespace.

    The padded body is still valid (JSON ignores whitespace), so only the size limit refuses it.
    """
    out = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    head, tail = (body[:1], body[1:]) if body[:1] in (b"{", b"[") else (b"", body)
    spaces = b" " * (1 << 20)
    parts = [out.compress(head), *(out.compress(spaces) for _ in range(64)), out.compress(tail)]
    return b"".join([*parts, out.flush()])


@cache
def huge_json() -> bytes:
    """50 MB of valid JSON (one long string)."""
    return b'{"padding": "' + b"x" * (50 * 1024 * 1024) + b'"}'


def _wrong_types(body: bytes) -> bytes:
    """Every top-level value replaced by a value of another JSON type."""
    data = json.loads(body)
    if not isinstance(data, dict):
        return b"[1, 2, 3]"

    def other(value: Any) -> Any:
        if isinstance(value, bool):
            return "yes"
        if isinstance(value, int | float):
            return {"n": value}
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return 7
        if isinstance(value, dict):
            return "object"
        return 3.5

    return json.dumps({key: other(value) for key, value in data.items()}).encode()


class _Chunked(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body sent in chunks of 64 KiB, like a socket would (for both clients)."""

    def __init__(self, data: bytes, size: int = 1 << 16) -> None:
        self.data = data
        self.size = size

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self.data), self.size):
            yield self.data[start : start + self.size]

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


@dataclass(frozen=True)
class Scenario:
    """A hostile answer, made from the route's valid (status, body, content type).

    ``expect``: "malformed" (MalformedResponseError, or ResultDecodeError for results; success
    where the SDK does not read the body), "ok" (must succeed), "lenient" (success or any SDK
    error), or the name of the error class the status maps to.
    """

    name: str
    make: Callable[[int, bytes, str | None], Reply]
    expect: str


def _resp(status: int, body: bytes, ctype: str | None, **headers: str) -> httpx.Response:
    """An answer whose body arrives as a stream, as from a socket (httpx decodes it lazily)."""
    h = {"Content-Length": str(len(body)), **headers}
    if ctype:
        h["Content-Type"] = ctype
    return httpx.Response(status, stream=_Chunked(body), headers=h)


SCENARIOS = [
    Scenario("malformed-json", lambda s, b, c: _resp(200, b'{"id": "j1", "sta', JSON), "malformed"),
    Scenario("truncated", lambda s, b, c: _resp(200, b[: len(b) // 2] or b"{", JSON), "malformed"),
    Scenario("empty-200", lambda s, b, c: _resp(200, b"", JSON), "malformed"),
    Scenario("json-null", lambda s, b, c: _resp(200, b"null", JSON), "malformed"),
    Scenario("json-list", lambda s, b, c: _resp(200, b"[1, 2]", JSON), "malformed"),
    Scenario("json-string", lambda s, b, c: _resp(200, b'"ok"', JSON), "malformed"),
    Scenario("missing-fields", lambda s, b, c: _resp(200, b"{}", JSON), "malformed"),
    Scenario(
        "wrong-types",
        lambda s, b, c: _resp(200, _wrong_types(b) if b else b'{"a": 1}', JSON),
        "malformed",
    ),
    Scenario("invalid-utf8", lambda s, b, c: _resp(200, b"\xff\xfe\xfa{", JSON), "malformed"),
    Scenario(
        "deep-nesting",
        lambda s, b, c: _resp(200, b"[" * 100_000 + b"]" * 100_000, JSON),
        "malformed",
    ),
    Scenario("html-200", lambda s, b, c: _resp(200, HTML_PAGE, "text/html"), "malformed"),
    Scenario(
        "wrong-content-type",
        lambda s, b, c: _resp(s, b, "text/html; charset=iso-8859-1" if b else None),
        "lenient",
    ),
    Scenario("html-502", lambda s, b, c: _resp(502, HTML_PAGE, "text/html"), "ServerError"),
    Scenario(
        "cloudflare-520",
        lambda s, b, c: _resp(520, b"error code: 520", "text/plain", **{"cf-ray": "8f-EWR"}),
        "ServerError",
    ),
    Scenario("nginx-499", lambda s, b, c: _resp(499, b"", None), "APIError"),
    Scenario("status-418-json-list", lambda s, b, c: _resp(418, b"[]", JSON), "APIError"),
    Scenario(
        "redirect",
        lambda s, b, c: _resp(302, b"", None, Location="https://login.example/sso"),
        "malformed",
    ),
    Scenario(
        "gzip-bomb",
        lambda s, b, c: _resp(s, gzip_bomb(b), c, **{"Content-Encoding": "gzip"}),
        "malformed",
    ),
    Scenario(
        "gzip-bomb-error-status",
        lambda s, b, c: _resp(503, gzip_bomb(b), JSON, **{"Content-Encoding": "gzip"}),
        "ServerError",
    ),
    Scenario(
        "corrupt-gzip",
        lambda s, b, c: _resp(200, b"not gzip at all", JSON, **{"Content-Encoding": "gzip"}),
        "malformed",
    ),
    Scenario(
        "unasked-encoding",
        lambda s, b, c: _resp(200, b"\x1b\x00\x00", JSON, **{"Content-Encoding": "br"}),
        "malformed",
    ),
    Scenario(
        "valid-gzip",
        lambda s, b, c: _resp(s, gzip.compress(b) if b else b, c, **{"Content-Encoding": "gzip"}),
        "ok",
    ),
    Scenario(
        "huge-json",
        lambda s, b, c: _resp(200, huge_json(), JSON),
        "malformed",
    ),
    Scenario(
        "huge-json-chunked",  # no Content-Length: the limit applies as the body arrives
        lambda s, b, c: httpx.Response(
            200, stream=_Chunked(huge_json()), headers={"Content-Type": JSON}
        ),
        "malformed",
    ),
    Scenario(
        "dropped", lambda s, b, c: httpx.RemoteProtocolError("peer closed"), "APIConnectionError"
    ),
]
EXPECTED: dict[str, tuple[type[BaseException], ...]] = {
    "ServerError": (ServerError,),
    "APIError": (APIError,),
    "APIConnectionError": (APIConnectionError,),
}


class HostileService(FakeService):
    """The well-behaved service, except for one route (``target``) that answers ``reply``."""

    def __init__(self, target: tuple[str, str] | None, reply: Callable[..., Reply]) -> None:
        super().__init__()
        self.target = target
        self.reply = reply

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "iam.test":
            self.requests.append(request)
            return self._iam(request)
        self.requests.append(request)
        key = (request.method, request.url.path.removeprefix("/api/v1"))
        status, body, ctype = VALID[key]
        if key == self.target:
            reply = self.reply(status, body, ctype)
            if isinstance(reply, Exception):
                raise reply
            return reply
        return _resp(status, body, ctype)


def _runtime(service: FakeService) -> Runtime:
    return Runtime(
        token=API_KEY,
        instance=CRN,
        url=BASE,
        iam_url=IAM,
        retry=RETRY,
        transport=service.transport(),
    )


def _async_runtime(service: FakeService) -> AsyncRuntime:
    return AsyncRuntime(
        token=API_KEY,
        instance=CRN,
        url=BASE,
        iam_url=IAM,
        retry=RETRY,
        transport=service.transport(),
    )


def _check(
    outcome: BaseException | None, scenario: Scenario, route: Route, service: FakeService
) -> None:
    """The outcome of a call under ``scenario``: None (success) or the exception it raised."""
    if outcome is not None and not isinstance(outcome, RuntimeRestError):
        raise AssertionError(f"a bare {type(outcome).__name__} escaped") from outcome
    expect = scenario.expect
    if route.method == "POST" and route.path == "/jobs" and outcome is None:
        if expect not in ("ok", "lenient"):
            # an ambiguous answer to a submission: the job was looked up by its tag and adopted
            lookups = [r for r in service.api_requests("GET", "/jobs") if "tags" in r.url.params]
            assert lookups, f"{scenario.name}: the submission succeeded without a look-up"
        return
    if expect == "ok":
        assert outcome is None, f"a valid gzip answer failed: {outcome!r}"
    elif expect == "lenient":
        return
    elif expect == "malformed":
        if scenario.name != "redirect" and (not route.reads_body or route.path.endswith("/logs")):
            return  # the SDK does not read (or parse) this body: success is fine too
        if outcome is None and scenario.name == "missing-fields" and not route.required:
            return  # the documented shape has no required field: {} is valid
        allowed: tuple[type[BaseException], ...] = (MalformedResponseError,)
        if route.result:
            allowed += (ResultDecodeError,)
        assert outcome is not None, f"{scenario.name} on {route.path} was accepted"
        assert isinstance(outcome, allowed), f"{type(outcome).__name__}: {outcome}"
    else:
        assert isinstance(outcome, EXPECTED[expect]), f"{type(outcome).__name__}: {outcome}"
        if scenario.name == "nginx-499":
            assert isinstance(outcome, APIError) and not isinstance(outcome, ServerError)
            assert outcome.status_code == 499


def _run_sync(route: Route, service: FakeService) -> BaseException | None:
    with _runtime(service) as rt:
        try:
            route.sync(rt)
        except Exception as exc:
            return exc
    return None


def _run_async(route: Route, service: FakeService) -> BaseException | None:
    async def main() -> BaseException | None:
        async with _async_runtime(service) as rt:
            try:
                await route.run_async(rt)
            except Exception as exc:
                return exc
        return None

    return asyncio.run(main())


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_hostile_answers_raise_typed_errors(route: Route, scenario: Scenario) -> None:
    target = (route.method, route.path)
    for run in (_run_sync, _run_async):
        service = HostileService(target, scenario.make)
        _check(run(route, service), scenario, route, service)
        assert service.api_requests(route.method), "the hostile route was reached"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_hostile_iam_answers_are_authentication_or_typed_errors(scenario: Scenario) -> None:
    """The IAM token exchange answers badly: calls fail with typed errors naming IAM."""

    class BadIam(HostileService):
        def _iam(self, request: httpx.Request) -> httpx.Response:
            self.iam_calls += 1
            body = json.dumps({"access_token": "x.y.z", "expires_in": 3600}).encode()
            reply = scenario.make(200, body, JSON)
            if isinstance(reply, Exception):
                raise reply
            return reply

    for run in (_run_sync, _run_async):
        outcome = run(ROUTES[-2], BadIam(None, scenario.make))  # GET /instances/usage
        if outcome is None:
            assert scenario.expect in ("ok", "lenient")
            continue
        assert isinstance(outcome, RuntimeRestError), repr(outcome)
        if scenario.expect == "malformed":
            assert isinstance(outcome, AuthenticationError | MalformedResponseError), outcome
        for secret in (API_KEY,):
            assert secret not in str(outcome) and secret not in repr(outcome)


def test_size_limit_is_read_at_each_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit is a documented module setting; a body just under it is read, just over it not."""
    body = json.dumps({"versions": [{"version": "x" * 4000, "status": "live"}]}).encode()
    service = HostileService(("GET", "/versions"), lambda s, b, c: _resp(200, body, JSON))
    with _runtime(service) as rt:
        monkeypatch.setattr(transport_module, "MAX_RESPONSE_BYTES", len(body))
        assert rt.versions()[0].version == "x" * 4000
        monkeypatch.setattr(transport_module, "MAX_RESPONSE_BYTES", len(body) - 1)
        with pytest.raises(MalformedResponseError, match="MAX_RESPONSE_BYTES"):
            rt.versions()
        gz = gzip.compress(body)
        service.reply = lambda s, b, c: _resp(200, gz, JSON, **{"Content-Encoding": "gzip"})
        with pytest.raises(MalformedResponseError, match="limit"):  # decoded size counts
            rt.versions()
        monkeypatch.setattr(transport_module, "MAX_RESPONSE_BYTES", len(body))
        assert rt.versions()[0].status == "live"
        # deflate, both as a zlib stream and as raw deflate (what some servers send)
        for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
            packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
            data = packer.compress(body) + packer.flush()
            service.reply = lambda s, b, c, d=data: _resp(
                200, d, JSON, **{"Content-Encoding": "deflate"}
            )
            assert rt.versions()[0].status == "live"


def test_results_have_their_own_larger_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    body = result_bytes()
    service = HostileService(None, lambda s, b, c: _resp(s, b, c))
    with _runtime(service) as rt:
        job = rt.job("j1")
        # a limit smaller than the result for every other call does not apply to results
        monkeypatch.setattr(transport_module, "MAX_RESPONSE_BYTES", len(body) - 1)
        assert job.result(timeout=5)[0].data.meas.num_shots == 2
        monkeypatch.setattr(transport_module, "MAX_RESULT_BYTES", len(body) - 1)
        with pytest.raises(MalformedResponseError, match="MAX_RESULT_BYTES"):
            job.result(timeout=5)


# -- property-based: one field of a valid answer replaced by anything ------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def _json_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            paths += _json_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            paths += _json_paths(value, (*prefix, i))
    return paths


def _mutated(body: bytes, choice: int, value: Any, delete: bool) -> bytes:
    data = json.loads(body)
    paths = _json_paths(data)
    if not paths:
        return json.dumps(value).encode()
    path = paths[choice % len(paths)]
    out = copy.deepcopy(data)
    node = out
    for key in path[:-1]:
        node = node[key]
    if delete and isinstance(node, dict):
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return json.dumps(out).encode()


JSON_ROUTES = [
    r for r in ROUTES if r.reads_body and VALID[(r.method, r.path)][2] == JSON and not r.result
]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    route=st.sampled_from(JSON_ROUTES),
    choice=st.integers(min_value=0),
    value=JSON_VALUES,
    delete=st.booleans(),
)
def test_mutated_answers_raise_only_sdk_errors(
    route: Route, choice: int, value: Any, delete: bool
) -> None:
    target = (route.method, route.path)
    body = _mutated(VALID[target][1], choice, value, delete)
    service = HostileService(target, lambda s, b, c: _resp(200, body, JSON))
    outcome = _run_sync(route, service)
    if outcome is not None:
        assert isinstance(outcome, RuntimeRestError), repr(outcome)
