"""Fakes for the SDK's unit tests: a scripted service (IAM included) behind
``httpx.MockTransport``, a fake clock with its sleep, and :class:`RawServer`, a loopback HTTP
server scripted byte by byte (answers that trickle or never come, proxies).

Used by the unit tests of the SDK core (test_client*, test_auth, test_jobs, test_modes,
test_flows, test_reliability_*); the ``clean_env`` fixture lives in ``conftest.py``.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

import httpx
from qiskit_runtime_rest import AsyncRuntime, RetryPolicy, Runtime

API_KEY = "APIKEY-s3cr3t-0123456789"
CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/abc:inst-1::"
BASE = "https://runtime.test/api/v1"
IAM = "https://iam.test"
FAST_RETRY = RetryPolicy(initial_backoff=0.001, max_backoff=0.002, max_elapsed=5.0, jitter=False)

Reply = httpx.Response | dict[str, Any] | list[Any] | int | Exception | Callable[..., Any]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(iat: float, exp: float, **claims: Any) -> str:
    header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = b64url(json.dumps({"iat": int(iat), "exp": int(exp), **claims}).encode())
    return f"{header}.{payload}.c2lnbmF0dXJl"


def job_json(
    job_id: str = "job-1",
    status: str = "Queued",
    *,
    reason: str | None = None,
    reason_code: int | None = None,
    tags: list[str] | None = None,
    session_id: str | None = None,
    created: str = "2026-01-01T00:00:00Z",
) -> dict[str, Any]:
    state: dict[str, Any] = {"status": status.split(" - ")[0]}
    if reason is not None:
        state["reason"] = reason
    if reason_code is not None:
        state["reason_code"] = reason_code
    body: dict[str, Any] = {
        "id": job_id,
        "backend": "fake_backend",
        "state": state,
        "status": status,
        "program": {"id": "sampler"},
        "created": created,
        "cost": 0,
        "tags": tags or [],
    }
    if session_id is not None:
        body["session_id"] = session_id
    return body


def session_json(
    session_id: str = "sess-1", mode: str = "dedicated", state: str = "open", accepting: bool = True
) -> dict[str, Any]:
    return {
        "id": session_id,
        "backend_name": "fake_backend",
        "mode": mode,
        "state": state,
        "accepting_jobs": accepting,
        "max_ttl": 600,
    }


class FakeService:
    """Answers IAM and API requests; routes are scripted with :meth:`on`.

    A route's replies are used in order and the last one repeats. A reply is an
    ``httpx.Response``, a JSON body (200), a bare status code, an exception to raise (e.g.
    ``httpx.ReadTimeout``) or a callable ``f(request) -> reply``.
    """

    def __init__(self, *, token_lifetime: float = 3600.0) -> None:
        self.requests: list[httpx.Request] = []
        self.routes: dict[tuple[str, str], list[Reply]] = {}
        self.token_lifetime = token_lifetime
        self.issued: list[str] = []
        self.valid: set[str] = set()
        self.iam_calls = 0
        self.check_auth = True

    def on(self, method: str, path: str, *replies: Reply) -> FakeService:
        self.routes[(method.upper(), path)] = list(replies)
        return self

    def revoke_tokens(self) -> None:
        self.valid.clear()

    def api_requests(
        self, method: str | None = None, path: str | None = None
    ) -> list[httpx.Request]:
        out = [r for r in self.requests if r.url.host != "iam.test"]
        if method is not None:
            out = [r for r in out if r.method == method]
        if path is not None:
            out = [r for r in out if r.url.path == "/api/v1" + path]
        return out

    # -- the handler -----------------------------------------------------------------------

    def _iam(self, request: httpx.Request) -> httpx.Response:
        self.iam_calls += 1
        form = parse_qs(request.content.decode())
        if form.get("grant_type") != ["urn:ibm:params:oauth:grant-type:apikey"]:
            return httpx.Response(400, json={"errorMessage": "bad grant type"})
        if form.get("apikey") != [API_KEY]:
            return httpx.Response(
                400,
                json={
                    "errorCode": "BXNIM0415E",
                    "errorMessage": "Provided API key could not be found.",
                },
            )
        now = time.time()
        token = make_jwt(now, now + self.token_lifetime, n=len(self.issued))
        self.issued.append(token)
        self.valid.add(token)
        return httpx.Response(
            200,
            json={
                "access_token": token,
                "refresh_token": "not_supported",
                "token_type": "Bearer",
                "expires_in": int(self.token_lifetime),
                "expiration": int(now + self.token_lifetime),
            },
        )

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.host == "iam.test":
            return self._iam(request)
        if self.check_auth:
            auth = request.headers.get("Authorization", "")
            if not auth.startswith("Bearer ") or auth[7:] not in self.valid:
                return httpx.Response(
                    401, json={"errors": [{"code": "unauthorized", "message": "bad token"}]}
                )
        path = request.url.path.removeprefix("/api/v1")
        replies = self.routes.get((request.method, path))
        if replies is None:
            return httpx.Response(
                404,
                json={
                    "errors": [{"code": "not_found", "message": f"no route {path}"}],
                    "trace": "t1",
                },
            )
        reply = replies.pop(0) if len(replies) > 1 else replies[0]
        return self._render(reply, request)

    def _render(self, reply: Reply, request: httpx.Request) -> httpx.Response:
        if callable(reply) and not isinstance(reply, httpx.Response | Exception):
            return self._render(reply(request), request)
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx.Response):
            return reply
        if isinstance(reply, int):
            return httpx.Response(reply)
        return httpx.Response(200, json=reply)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def make_runtime(service: FakeService, **kwargs: Any) -> Runtime:
    settings: dict[str, Any] = {
        "token": API_KEY,
        "instance": CRN,
        "url": BASE,
        "iam_url": IAM,
        "retry": FAST_RETRY,
    }
    settings.update(kwargs)
    return Runtime(transport=service.transport(), **settings)


def make_async_runtime(service: FakeService, **kwargs: Any) -> AsyncRuntime:
    settings: dict[str, Any] = {
        "token": API_KEY,
        "instance": CRN,
        "url": BASE,
        "iam_url": IAM,
        "retry": FAST_RETRY,
    }
    settings.update(kwargs)
    return AsyncRuntime(transport=service.transport(), **settings)


class FakeTime:
    """A monotonic clock that only moves when something sleeps; ``sleeps`` records the pauses.

    Pass ``clock=t.clock, sleep=t.sleep`` to ``Runtime`` (``sleep=t.asleep`` to AsyncRuntime).
    """

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


# -- a loopback HTTP/1.1 server scripted byte by byte ------------------------------------------


class RawRequest(NamedTuple):
    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        """The path of the target (absolute-form targets, as proxies get, included)."""
        return urlsplit(self.target).path


Respond = Callable[[RawRequest, socket.socket, threading.Event], None]


def http_answer(status: int = 200, body: bytes | dict[str, Any] | list[Any] = b"") -> bytes:
    """A complete HTTP/1.1 answer (JSON for a dict or list body)."""
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    reason = httpx.codes.get_reason_phrase(status) or "Status"
    head = f"HTTP/1.1 {status} {reason}\r\nContent-Length: {len(body)}\r\n"
    if body:
        head += "Content-Type: application/json\r\n"
    return (head + "\r\n").encode() + body


def trickle(conn: socket.socket, data: bytes, stop: threading.Event, every: float = 0.1) -> None:
    """Send ``data`` a byte at a time (until the client goes away or the server stops)."""
    for i in range(len(data)):
        if stop.wait(every):
            return
        conn.sendall(data[i : i + 1])


def stay_silent(conn: socket.socket, stop: threading.Event) -> None:
    """Answer nothing until the client goes away or the server stops."""
    conn.settimeout(0.1)
    while not stop.is_set():
        try:
            if not conn.recv(65536):
                return
        except TimeoutError:
            continue


class RawServer:
    """A loopback HTTP/1.1 server whose answers a test writes byte by byte with ``respond``:
    answers that trickle or never come (deadline tests), or the hops of a proxy. Every request
    is recorded in ``requests``; connections are kept alive until the client closes them."""

    def __init__(self, respond: Respond) -> None:
        self.requests: list[RawRequest] = []
        self.stop = threading.Event()
        self._respond = respond
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.stop.set()
        self._listener.close()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            buffer = b""
            while not self.stop.is_set():
                conn.settimeout(0.1)
                try:
                    while b"\r\n\r\n" not in buffer:
                        chunk = conn.recv(65536)
                        if not chunk:
                            return
                        buffer += chunk
                except TimeoutError:
                    continue
                except OSError:
                    return
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                first, *lines = head.decode("latin-1").split("\r\n")
                method, target, _ = first.split(" ", 2)
                headers = {
                    k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)
                }
                length = int(headers.get("content-length", "0"))
                try:
                    while len(buffer) < length:
                        buffer += conn.recv(65536)
                except OSError:
                    return
                body, buffer = buffer[:length], buffer[length:]
                request = RawRequest(method, target, headers, body)
                self.requests.append(request)
                try:
                    self._respond(request, conn, self.stop)
                except OSError:
                    return  # the client went away
