"""Unit tests of the client core over httpx.MockTransport: headers, typed errors, retries,
idempotent submission, secrets."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from qiskit_runtime_rest import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    JobTimeoutError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    Runtime,
    SamplerPub,
    ServerError,
    Timeouts,
    ValidationError,
)
from qiskit_runtime_rest.jobs import is_idempotency_tag
from qiskit_runtime_rest.transport import error_from_response, parse_retry_after

from tests.fakes import (
    API_KEY,
    BASE,
    CRN,
    FakeService,
    FakeTime,
    job_json,
    make_async_runtime,
    make_runtime,
)

pytestmark = pytest.mark.usefixtures("clean_env")

BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; '
    "h q[0]; cx q[0], q[1]; meas = measure q;"
)


def created(job_id: str = "job-1") -> dict[str, Any]:
    return {"id": job_id, "backend": "fake_backend"}


# -- headers and transport ---------------------------------------------------------------------


def test_every_api_request_carries_bearer_crn_and_api_version() -> None:
    service = FakeService().on("GET", "/jobs/job-1", job_json())
    with make_runtime(service) as rt:
        rt.job("job-1")
        rt.job("job-1")
    api = service.api_requests()
    assert len(api) == 2
    for request in api:
        assert request.headers["Authorization"] == f"Bearer {service.issued[0]}"
        assert request.headers["Service-CRN"] == CRN
        assert request.headers["IBM-API-Version"] == "2026-04-15"
        assert request.url.params["exclude_params"] == "true"
    assert service.iam_calls == 1  # one token, reused


def test_iam_request_is_a_form_post_without_api_headers() -> None:
    service = FakeService().on("GET", "/jobs/job-1", job_json())
    with make_runtime(service) as rt:
        rt.job("job-1")
    iam = [r for r in service.requests if r.url.host == "iam.test"]
    assert len(iam) == 1
    assert iam[0].method == "POST" and iam[0].url.path == "/identity/token"
    assert iam[0].headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "Service-CRN" not in iam[0].headers and "Authorization" not in iam[0].headers


def test_api_version_is_configurable_and_can_be_left_out() -> None:
    service = FakeService().on("GET", "/jobs/job-1", job_json())
    with make_runtime(service, api_version="2025-05-01") as rt:
        rt.job("job-1")
    with make_runtime(service, api_version=None) as rt:
        rt.job("job-1")
    first, second = service.api_requests()
    assert first.headers["IBM-API-Version"] == "2025-05-01"
    assert "IBM-API-Version" not in second.headers


def test_legacy_channel_sends_access_token_and_hub_group_project() -> None:
    seen: list[dict[str, Any]] = []

    def submit(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=created())

    service = FakeService()
    service.check_auth = False
    service.on("POST", "/jobs", submit).on("POST", "/sessions", {**_session(), "id": "s1"})
    service.on("PATCH", "/sessions/s1", 204)
    with Runtime(
        token="LEGACY-TOKEN",
        channel="legacy",
        instance="hub1/group1/project1",
        url=BASE,
        transport=service.transport(),
    ) as rt:
        rt.sampler("fake_backend").run([SamplerPub(BELL)])
        with rt.session("fake_backend", max_time=60) as s:
            assert s.id == "s1"
    job_request, session_request = service.api_requests("POST")
    assert job_request.headers["x-access-token"] == "LEGACY-TOKEN"
    assert "Authorization" not in job_request.headers and "Service-CRN" not in job_request.headers
    assert (seen[0]["hub"], seen[0]["group"], seen[0]["project"]) == ("hub1", "group1", "project1")
    body = json.loads(session_request.content)
    assert body == {
        "backend": "fake_backend",
        "mode": "dedicated",
        "instance": "hub1/group1/project1",
        "max_session_ttl": 60,
    }
    assert service.iam_calls == 0


def _session() -> dict[str, Any]:
    return {"id": "s1", "backend_name": "fake_backend", "mode": "dedicated", "state": "open"}


def test_long_timeout_for_submissions_and_results_only() -> None:
    timeouts: dict[str, Any] = {}

    def record(name: str, reply: Any) -> Any:
        def handler(request: httpx.Request) -> Any:
            timeouts[name] = request.extensions["timeout"]
            return reply

        return handler

    service = FakeService()
    service.on("POST", "/jobs", record("submit", created()))
    service.on("GET", "/jobs/job-1", record("get", job_json(status="Completed")))
    service.on("GET", "/jobs/job-1/results", record("results", 204))
    timeout = Timeouts(connect=1.0, read=2.0, write=3.0, pool=4.0, submit=99.0)
    t = FakeTime()
    with make_runtime(service, timeout=timeout, clock=t.clock, sleep=t.sleep) as rt:
        job = rt.sampler("fake_backend").run([SamplerPub(BELL)])
        job.status()
        with pytest.raises(JobTimeoutError, match="not available"):  # 204: no result stored
            job.result()
    assert timeouts["get"] == {"connect": 1.0, "read": 2.0, "write": 3.0, "pool": 4.0}
    assert timeouts["submit"] == {"connect": 1.0, "read": 99.0, "write": 99.0, "pool": 4.0}
    assert timeouts["results"]["read"] == 99.0


def test_timeouts_coerce() -> None:
    assert Timeouts.coerce(None) == Timeouts()
    assert Timeouts.coerce(7).read == 7.0 and Timeouts.coerce(7).connect == 5.0
    assert Timeouts().submit == 300.0


# -- typed errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, APIError),
        (500, ServerError),
        (501, ServerError),
        (503, ServerError),
        (520, ServerError),
        (522, ServerError),
        (599, ServerError),
        (499, APIError),
    ],
)
def test_each_status_raises_its_typed_error(status: int, cls: type[APIError]) -> None:
    body = {"errors": [{"code": 1208, "message": "it went wrong", "more_info": "https://x"}]}
    service = FakeService().on("GET", "/jobs/job-1", httpx.Response(status, json=body))
    with make_runtime(service, retry=RetryPolicy(max_attempts=1)) as rt, pytest.raises(cls) as info:
        rt.job("job-1")
    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    assert err.errors[0].code == 1208 and err.errors[0].more_info == "https://x"
    assert "it went wrong" in str(err) and f"HTTP {status}" in str(err)
    assert err.method == "GET" and err.path == "/api/v1/jobs/job-1"


def test_401_without_refreshable_credentials_raises_authentication_error() -> None:
    service = FakeService().on("GET", "/jobs/job-1", job_json())
    with (
        make_runtime(service, token=None, access_token="not-a-valid-token") as rt,
        pytest.raises(AuthenticationError) as info,
    ):
        rt.job("job-1")
    assert info.value.status_code == 401
    assert len(service.api_requests()) == 1  # a static token is not retried


def test_non_json_proxy_error_body_is_tolerated() -> None:
    html = "<html><head><title>520</title></head><body>Web server is returning an unknown error"
    reply = httpx.Response(520, text=html, headers={"cf-ray": "8a1b2c3d4e5f-AMS"})
    service = FakeService().on("GET", "/jobs/job-1", reply)
    with (
        make_runtime(service, retry=RetryPolicy(max_attempts=1)) as rt,
        pytest.raises(ServerError) as info,
    ):
        rt.job("job-1")
    assert info.value.status_code == 520
    assert info.value.trace == "8a1b2c3d4e5f-AMS"
    assert "Web server is returning an unknown error" in str(info.value)
    assert info.value.errors == []


def test_error_body_trace_and_string_codes() -> None:
    request = httpx.Request("POST", "https://x/api/v1/jobs")
    response = httpx.Response(
        400,
        json={
            "errors": [{"code": "bad_request", "message": "m1"}, {"message": "m2"}],
            "trace": "abc",
        },
        request=request,
    )
    err = error_from_response(response)
    assert isinstance(err, BadRequestError)
    assert err.trace == "abc" and [d.code for d in err.errors] == ["bad_request", None]
    assert err.message.startswith("m1; m2")


def test_legacy_singular_error_body() -> None:
    request = httpx.Request("GET", "https://x/runtime/jobs")
    response = httpx.Response(
        401,
        json={"error": {"name": "ACCEPT_LICENSE_REQUIRED", "message": "accept"}},
        request=request,
    )
    err = error_from_response(response)
    assert isinstance(err, AuthenticationError) and "accept" in err.message


def test_empty_error_body() -> None:
    err = error_from_response(httpx.Response(503, request=httpx.Request("GET", "https://x/")))
    assert isinstance(err, ServerError) and err.message == "Service Unavailable"


def test_retry_after_parsing() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("1.5") == 1.5
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412475.0) == 5.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0


def test_connection_and_timeout_errors_are_mapped() -> None:
    service = FakeService().on("GET", "/jobs/a", httpx.ConnectError("refused"))
    service.on("GET", "/jobs/b", httpx.ReadTimeout("slow"))
    with make_runtime(service, retry=RetryPolicy(max_attempts=1)) as rt:
        with pytest.raises(APIConnectionError) as info:
            rt.job("a")
        assert not isinstance(info.value, APITimeoutError)
        assert isinstance(info.value.__cause__, httpx.ConnectError)
        with pytest.raises(APITimeoutError):
            rt.job("b")


def test_body_not_matching_the_model_is_malformed() -> None:
    service = FakeService().on("GET", "/jobs/a", {"unexpected": True})
    with make_runtime(service) as rt, pytest.raises(MalformedResponseError):
        rt.job("a")


# -- retries -----------------------------------------------------------------------------------


def test_429_is_retried_after_retry_after() -> None:
    limited = httpx.Response(
        429, headers={"Retry-After": "2"}, json={"errors": [{"message": "slow down"}]}
    )
    service = FakeService().on("GET", "/jobs/job-1", limited, job_json())
    sleeps: list[float] = []
    with make_runtime(service, sleep=sleeps.append) as rt:
        assert rt.job("job-1").id == "job-1"
    assert sleeps == [2.0]
    assert len(service.api_requests()) == 2


def test_retry_after_longer_than_the_cap_is_not_waited_for() -> None:
    limited = httpx.Response(429, headers={"Retry-After": "3600"})
    service = FakeService().on("GET", "/jobs/job-1", limited, job_json())
    never = lambda s: pytest.fail(f"slept {s}")  # noqa: E731
    policy = RetryPolicy(max_retry_after=30)
    with (
        make_runtime(service, retry=policy, sleep=never) as rt,
        pytest.raises(RateLimitError) as info,
    ):
        rt.job("job-1")
    assert info.value.retry_after == 3600.0


def test_503_is_retried_for_get_with_backoff() -> None:
    service = FakeService().on("GET", "/jobs/job-1", 503, 502, job_json())
    sleeps: list[float] = []
    policy = RetryPolicy(initial_backoff=0.5, max_backoff=8.0, jitter=False)
    with make_runtime(service, retry=policy, sleep=sleeps.append) as rt:
        rt.job("job-1")
    assert sleeps == [0.5, 1.0]


def test_retries_are_bounded() -> None:
    service = FakeService().on("GET", "/jobs/job-1", 503)
    policy = RetryPolicy(max_attempts=3, initial_backoff=0.0)
    with make_runtime(service, retry=policy) as rt, pytest.raises(ServerError):
        rt.job("job-1")
    assert len(service.api_requests()) == 3


def test_backoff_is_capped_and_jittered() -> None:
    policy = RetryPolicy(initial_backoff=1.0, max_backoff=4.0)
    for attempt in range(1, 8):
        delay = policy.backoff(attempt)
        cap = min(4.0, 2.0 ** (attempt - 1))
        assert cap / 2 <= delay <= cap


def test_4xx_are_not_retried() -> None:
    service = FakeService().on("GET", "/jobs/job-1", 400)
    with make_runtime(service) as rt, pytest.raises(BadRequestError):
        rt.job("job-1")
    assert len(service.api_requests()) == 1


def test_put_delete_patch_are_retried_but_session_post_is_not() -> None:
    service = FakeService()
    service.on("PUT", "/jobs/job-1/tags", 503, 204)
    service.on("GET", "/jobs/job-1", job_json())
    service.on("DELETE", "/jobs/job-1", 500, 204)
    service.on("POST", "/sessions", 503, {"id": "s", "backend_name": "b", "mode": "dedicated"})
    with make_runtime(service) as rt:
        job = rt.job("job-1")
        job.update_tags(["a"])
        job.delete()
        with pytest.raises(ServerError):
            rt.session("fake_backend")
    assert len(service.api_requests("PUT")) == 2
    assert len(service.api_requests("DELETE")) == 2
    assert len(service.api_requests("POST", "/sessions")) == 1


def test_session_post_is_retried_on_429_and_connect_errors() -> None:
    service = FakeService()
    service.on(
        "POST",
        "/sessions",
        httpx.Response(429, headers={"Retry-After": "0"}),
        httpx.ConnectError("refused"),
        {"id": "s", "backend_name": "b", "mode": "dedicated"},
    )
    service.on("PATCH", "/sessions/s", 204)
    with make_runtime(service) as rt, rt.session("fake_backend") as s:
        assert s.id == "s"
    assert len(service.api_requests("POST", "/sessions")) == 3


# -- job submission: never duplicated ---------------------------------------------------------


def _submissions(service: FakeService) -> list[dict[str, Any]]:
    return [json.loads(r.content) for r in service.api_requests("POST", "/jobs")]


def test_submission_carries_an_idempotency_tag() -> None:
    service = FakeService().on("POST", "/jobs", created())
    with make_runtime(service) as rt:
        job = rt.sampler("fake_backend").run([SamplerPub(BELL)], tags=["exp-1"])
    (body,) = _submissions(service)
    assert body["tags"][0] == "exp-1" and is_idempotency_tag(body["tags"][1])
    assert job.idempotency_tag == body["tags"][1]
    assert body["program_id"] == "sampler" and body["params"]["support_qiskit"] is True


def test_submission_429_is_retried_with_the_same_tag() -> None:
    service = FakeService().on(
        "POST", "/jobs", httpx.Response(429, headers={"Retry-After": "0.01"}), created()
    )
    with make_runtime(service) as rt:
        job = rt.sampler("fake_backend").run([SamplerPub(BELL)])
    first, second = _submissions(service)
    assert first == second
    assert job.id == "job-1"


def test_submission_409_is_raised_not_retried() -> None:
    service = FakeService().on("POST", "/jobs", 409)
    with make_runtime(service) as rt, pytest.raises(ConflictError):
        rt.sampler("fake_backend").run([SamplerPub(BELL)])
    assert len(_submissions(service)) == 1


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(503),
        httpx.Response(520, text="oops"),
        httpx.ReadTimeout("lost"),
        httpx.RemoteProtocolError("dropped"),
    ],
    ids=["503", "520", "read-timeout", "dropped"],
)
def test_ambiguous_failure_looks_up_by_tag_and_adopts(failure: Any) -> None:
    service = FakeService()
    tags_seen: list[str] = []

    def lookup(request: httpx.Request) -> dict[str, Any]:
        tag = request.url.params["tags"]
        tags_seen.append(tag)
        assert request.url.params["limit"] == "2"
        return {"jobs": [job_json("adopted-1", tags=[tag])], "limit": 2, "offset": 0, "count": 1}

    service.on("POST", "/jobs", failure, created("never"))
    service.on("GET", "/jobs", lookup)
    with make_runtime(service) as rt:
        job = rt.sampler("fake_backend").run([SamplerPub(BELL)])
    assert job.id == "adopted-1"
    assert len(_submissions(service)) == 1  # never submitted twice
    assert tags_seen == [_submissions(service)[0]["tags"][-1]]


def test_ambiguous_failure_not_found_resubmits_once_with_same_body() -> None:
    service = FakeService()
    service.on("POST", "/jobs", 500, created("job-2"))
    service.on("GET", "/jobs", {"jobs": [], "limit": 2, "offset": 0, "count": 0})
    with make_runtime(service) as rt:
        job = rt.sampler("fake_backend").run([SamplerPub(BELL)])
    assert job.id == "job-2"
    first, second = _submissions(service)
    assert first == second  # same idempotency tag


def test_ambiguous_failures_give_up_within_budget() -> None:
    service = FakeService()
    service.on("POST", "/jobs", 500)
    service.on("GET", "/jobs", {"jobs": [], "limit": 2, "offset": 0, "count": 0})
    policy = RetryPolicy(max_attempts=3, initial_backoff=0.0)
    with make_runtime(service, retry=policy) as rt, pytest.raises(ServerError) as info:
        rt.sampler("fake_backend").run([SamplerPub(BELL)])
    assert len(_submissions(service)) == 3
    assert any("not submitted again" in note for note in info.value.__notes__)


def test_lookup_failure_reraises_the_ambiguous_error_with_the_tag() -> None:
    service = FakeService()
    service.on("POST", "/jobs", 502)
    service.on("GET", "/jobs", 400)
    with make_runtime(service) as rt, pytest.raises(ServerError) as info:
        rt.sampler("fake_backend").run([SamplerPub(BELL)])
    tag = _submissions(service)[0]["tags"][-1]
    assert any(tag in note for note in info.value.__notes__)


def test_connect_error_before_sending_is_retried_without_lookup() -> None:
    service = FakeService()
    service.on("POST", "/jobs", httpx.ConnectError("refused"), created())
    with make_runtime(service) as rt:
        rt.sampler("fake_backend").run([SamplerPub(BELL)])
    assert service.api_requests("GET", "/jobs") == []


def test_too_many_user_tags() -> None:
    service = FakeService().on("POST", "/jobs", created())
    message = "1 slot is reserved for the SDK.s idempotency tag.*at most 7 are yours"
    with make_runtime(service) as rt, pytest.raises(ValidationError, match=message):
        rt.sampler("fake_backend").run([SamplerPub(BELL)], tags=[f"t{i}" for i in range(8)])
    assert _submissions(service) == []


@pytest.mark.anyio
async def test_async_submission_ambiguous_failure_adopts() -> None:
    service = FakeService()
    service.on("POST", "/jobs", 503, created("never"))
    service.on(
        "GET",
        "/jobs",
        lambda r: {"jobs": [job_json("adopted")], "limit": 2, "offset": 0, "count": 1},
    )
    async with make_async_runtime(service) as rt:
        job = await rt.sampler("fake_backend").run([SamplerPub(BELL)])
    assert job.id == "adopted" and len(_submissions(service)) == 1


@pytest.mark.anyio
async def test_async_headers_and_retries() -> None:
    service = FakeService().on("GET", "/jobs/job-1", 503, job_json())
    async with make_async_runtime(service) as rt:
        job = await rt.job("job-1")
    assert job.id == "job-1"
    for request in service.api_requests():
        assert request.headers["Service-CRN"] == CRN
        assert request.headers["IBM-API-Version"] == "2026-04-15"
    assert len(service.api_requests()) == 2


# -- secrets -----------------------------------------------------------------------------------


def test_no_secret_in_reprs_errors_or_debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    service = FakeService()
    service.on("GET", "/jobs/job-1", job_json())
    service.on("GET", "/jobs/bad", 400)
    with make_runtime(service) as rt:
        rt.job("job-1")
        with pytest.raises(BadRequestError) as info:
            rt.job("bad")
        token = service.issued[0]
        texts = [
            repr(rt),
            str(rt),
            repr(rt.account),
            str(info.value),
            repr(info.value),
        ]
        assert "channel='ibm_quantum_platform'" in repr(rt) and CRN in repr(rt)
    # a failed IAM exchange
    bad = FakeService()
    with (
        make_runtime(bad, token="WRONG-KEY-0000") as rt2,
        pytest.raises(AuthenticationError) as iam,
    ):
        rt2.job("job-1")
    texts += [str(iam.value), repr(iam.value), repr(rt2)]
    texts += [record.getMessage() for record in caplog.records]
    texts += [str(record.args) for record in caplog.records]
    for text in texts:
        assert API_KEY not in text
        assert token not in text
        assert "WRONG-KEY-0000" not in text
    assert caplog.records  # DEBUG logging was on and produced records
