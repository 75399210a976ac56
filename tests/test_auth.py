"""IAM tokens: JWT decoding, refresh before expiry and once on a 401, failures, reprs."""

from __future__ import annotations

import httpx
import pytest
from qiskit_runtime_rest import AuthenticationError, RetryPolicy
from qiskit_runtime_rest.auth import (
    BearerTokenAuth,
    IAMAuth,
    LegacyTokenAuth,
    decode_jwt_claims,
)
from qiskit_runtime_rest.transport import Timeouts, build_http_client

from tests.fakes import (
    API_KEY,
    BASE,
    IAM,
    FakeService,
    b64url,
    job_json,
    make_async_runtime,
    make_jwt,
    make_runtime,
)

pytestmark = pytest.mark.usefixtures("clean_env")


def test_decode_jwt_claims() -> None:
    token = make_jwt(100, 3700, sub="me")
    assert decode_jwt_claims(token) == {"iat": 100, "exp": 3700, "sub": "me"}


@pytest.mark.parametrize(
    "token",
    ["opaque", "a.b", "a.!!!.c", f"x.{b64url(b'[1, 2]')}.y", f"x.{b64url(b'not json')}.y"],
)
def test_decode_jwt_rejects_non_jwts(token: str) -> None:
    with pytest.raises(ValueError, match="not a JWT"):
        decode_jwt_claims(token)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _client(service: FakeService, auth: httpx.Auth) -> httpx.Client:
    return build_http_client(
        base_url=BASE,
        headers={},
        auth=auth,
        timeouts=Timeouts(),
        transport=service.transport(),
    )


def test_token_refreshed_at_80_percent_of_its_lifetime(monkeypatch: pytest.MonkeyPatch) -> None:
    service = FakeService(token_lifetime=1000).on("GET", "/jobs/job-1", job_json())
    clock = Clock(0.0)
    tokens = iter([make_jwt(0, 1000, n=1), make_jwt(800, 1800, n=2)])

    def iam(request: httpx.Request) -> httpx.Response:
        service.iam_calls += 1
        token = next(tokens)
        service.valid.add(token)
        service.issued.append(token)
        return httpx.Response(200, json={"access_token": token, "expires_in": 1000})

    monkeypatch.setattr(service, "_iam", iam)
    auth = IAMAuth(API_KEY, IAM, clock=clock)
    with _client(service, auth) as client:
        client.get("/jobs/job-1")
        assert service.iam_calls == 1
        clock.now = 799.0
        client.get("/jobs/job-1")
        assert service.iam_calls == 1  # still fresh
        clock.now = 800.0
        client.get("/jobs/job-1")
        assert service.iam_calls == 2  # refreshed before expiry
    assert auth.expires_at == 1800
    used = [r.headers["Authorization"] for r in service.api_requests()]
    assert used == [f"Bearer {service.issued[0]}"] * 2 + [f"Bearer {service.issued[1]}"]


def test_opaque_token_uses_expires_in(monkeypatch: pytest.MonkeyPatch) -> None:
    service = FakeService().on("GET", "/jobs/job-1", job_json())
    service.check_auth = False
    clock = Clock(1000.0)

    def iam(request: httpx.Request) -> httpx.Response:
        service.iam_calls += 1
        return httpx.Response(200, json={"access_token": "opaque", "expires_in": 100})

    monkeypatch.setattr(service, "_iam", iam)
    auth = IAMAuth(API_KEY, IAM, clock=clock)
    with _client(service, auth) as client:
        client.get("/jobs/job-1")
        clock.now = 1079.0
        client.get("/jobs/job-1")
        assert service.iam_calls == 1
        clock.now = 1080.0
        client.get("/jobs/job-1")
        assert service.iam_calls == 2
    assert auth.expires_at == 1180.0


def test_token_response_without_access_token(monkeypatch: pytest.MonkeyPatch) -> None:
    service = FakeService()
    monkeypatch.setattr(service, "_iam", lambda r: httpx.Response(200, json={"nope": 1}))
    with make_runtime(service) as rt, pytest.raises(AuthenticationError, match="no access_token"):
        rt.job("job-1")


def test_401_refreshes_the_token_once_and_succeeds() -> None:
    service = FakeService().on("GET", "/jobs/job-1", job_json())
    with make_runtime(service) as rt:
        rt.job("job-1")
        service.revoke_tokens()  # e.g. revoked or expired early on the server side
        rt.job("job-1")
    assert service.iam_calls == 2
    statuses = [r.headers["Authorization"] for r in service.api_requests()]
    assert statuses[1] == statuses[0] != statuses[2]


def test_401_twice_raises_after_one_refresh() -> None:
    service = FakeService().on("GET", "/jobs/job-1", httpx.Response(401, json={"errors": []}))
    with make_runtime(service) as rt, pytest.raises(AuthenticationError) as info:
        rt.job("job-1")
    assert info.value.status_code == 401
    assert service.iam_calls == 2
    assert len(service.api_requests()) == 2


@pytest.mark.anyio
async def test_async_401_refreshes_once() -> None:
    service = FakeService().on("GET", "/jobs/job-1", job_json())
    async with make_async_runtime(service) as rt:
        await rt.job("job-1")
        service.revoke_tokens()
        await rt.job("job-1")
    assert service.iam_calls == 2


def test_bad_api_key_is_an_authentication_error() -> None:
    service = FakeService()
    with make_runtime(service, token="WRONG") as rt, pytest.raises(AuthenticationError) as info:
        rt.job("job-1")
    err = info.value
    assert err.status_code == 400
    assert "IAM token request failed" in str(err) and "BXNIM0415E" in str(err)
    assert service.api_requests() == []


def test_iam_outage_is_retried_like_the_call(monkeypatch: pytest.MonkeyPatch) -> None:
    service = FakeService().on("GET", "/jobs/job-1", job_json())
    real = service._iam
    replies = iter([httpx.Response(503), None])

    def flaky(request: httpx.Request) -> httpx.Response:
        reply = next(replies)
        return reply if reply is not None else real(request)

    monkeypatch.setattr(service, "_iam", flaky)
    with make_runtime(service, retry=RetryPolicy(initial_backoff=0.0)) as rt:
        assert rt.job("job-1").id == "job-1"


def test_reprs_hide_credentials() -> None:
    auth = IAMAuth(API_KEY, IAM)
    assert API_KEY not in repr(auth) and "hidden" in repr(auth)
    assert "TOK" not in repr(BearerTokenAuth("TOK"))
    assert "TOK" not in repr(LegacyTokenAuth("TOK"))
    with pytest.raises(ValueError):
        IAMAuth("")
    with pytest.raises(ValueError):
        IAMAuth(API_KEY, refresh_fraction=0.0)


def test_access_token_is_sent_as_is_and_never_refreshed() -> None:
    service = FakeService().on("GET", "/jobs/job-1", job_json())
    service.check_auth = False
    with make_runtime(service, token=None, access_token="READY-TOKEN") as rt:
        rt.job("job-1")
    assert service.api_requests()[0].headers["Authorization"] == "Bearer READY-TOKEN"
    assert service.iam_calls == 0


def test_bad_api_key_costs_one_iam_request() -> None:
    service = FakeService()
    with make_runtime(service, token="WRONG") as rt, pytest.raises(AuthenticationError) as info:
        rt.job("job-1")
    assert info.value.auth_request
    assert service.iam_calls == 1  # a rejected key is not an expired token: no second try
    assert service.api_requests() == []


@pytest.mark.anyio
async def test_async_bad_api_key_costs_one_iam_request() -> None:
    service = FakeService()
    async with make_async_runtime(service, token="WRONG") as rt:
        with pytest.raises(AuthenticationError):
            await rt.job("job-1")
    assert service.iam_calls == 1


def _iam_failing_once(
    service: FakeService, monkeypatch: pytest.MonkeyPatch, reply: httpx.Response | Exception
) -> None:
    """The next token request fails with ``reply``; later ones succeed."""
    real = service._iam
    pending = [reply]

    def flaky(request: httpx.Request) -> httpx.Response:
        if not pending:
            return real(request)
        service.iam_calls += 1
        failure = pending.pop()
        if isinstance(failure, Exception):
            raise failure
        return failure

    monkeypatch.setattr(service, "_iam", flaky)


@pytest.mark.parametrize(
    "reply",
    [httpx.Response(503, json={"errorMessage": "busy"}), httpx.ReadTimeout("slow IAM")],
    ids=["503", "read-timeout"],
)
def test_iam_failure_retries_a_non_idempotent_call(
    monkeypatch: pytest.MonkeyPatch, reply: httpx.Response | Exception
) -> None:
    service = FakeService().on("GET", "/jobs/job-1", job_json())
    service.on("POST", "/jobs/job-1/cancel", 204)
    auth = IAMAuth(API_KEY, IAM)
    with make_runtime(service, retry=RetryPolicy(initial_backoff=0.0), auth=auth) as rt:
        job = rt.job("job-1")
        auth.invalidate()  # the cancel needs a new token...
        _iam_failing_once(service, monkeypatch, reply)  # ...and IAM fails once
        job.cancel()  # POST /cancel was never sent: retried although not idempotent
    assert service.iam_calls == 3
    assert len(service.api_requests("POST", "/jobs/job-1/cancel")) == 1


def test_iam_503_during_submission_is_not_an_ambiguous_submission(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = FakeService().on("POST", "/jobs", {"id": "job-1", "backend": "fake_backend"})
    service.on("GET", "/jobs", {"jobs": [], "limit": 2, "offset": 0, "count": 0})
    _iam_failing_once(service, monkeypatch, httpx.Response(503))
    bell = 'OPENQASM 3.0; include "stdgates.inc"; qubit[1] q; bit[1] c; c[0] = measure q[0];'
    with make_runtime(service, retry=RetryPolicy(initial_backoff=0.0)) as rt:
        job = rt.sampler("fake_backend").run([bell])
    assert job.id == "job-1" and service.iam_calls == 2
    assert service.api_requests("GET", "/jobs") == []  # no look-up by tag
    assert len(service.api_requests("POST", "/jobs")) == 1
