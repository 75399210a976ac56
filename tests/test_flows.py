"""The SDK's flows, driven by hand: results sent and errors thrown into the generators, no HTTP.

A flow yields :class:`~qiskit_runtime_rest._core.Call` and ``Sleep`` effects; the engines run
them. Here the test is the engine: it checks each effect, then sends the call's result (a
generated model, as the engine would) or throws the call's error into the flow. Covered: the
exactly-once submission, polling and result download, paging, and the IAM token flow
(``IAMAuth.auth_flow``, an httpx auth flow), plus the engine closing the flows it abandons.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Generator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from qiskit_runtime_api.client import Client
from qiskit_runtime_api.models import Job as JobModel
from qiskit_runtime_api.models import JobCreateResponse, JobList
from qiskit_runtime_rest import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    ConflictError,
    JobFailedError,
    JobTimeoutError,
    PrimitiveResult,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from qiskit_runtime_rest import _operations as ops
from qiskit_runtime_rest._core import Call, Engine, Sleep
from qiskit_runtime_rest.auth import BearerTokenAuth, IAMAuth
from qiskit_runtime_rest.jobs import (
    Cursor,
    JobQuery,
    Pacer,
    result_flow,
    wait_all_flow,
    wait_flow,
)
from qiskit_runtime_rest.primitives import Submitted, submit_flow
from qiskit_runtime_rest.transport import Timeouts

from tests.fakes import API_KEY, IAM, FakeTime, job_json, make_jwt
from tests.test_jobs import result_json

TAG = "qrr-" + "0" * 32
POLICY = RetryPolicy(max_attempts=3, initial_backoff=0.5, jitter=False)


def job(status: str = "Queued", job_id: str = "j1", **kwargs: Any) -> JobModel:
    return JobModel.from_dict(job_json(job_id, status, **kwargs))


def page(*jobs: dict[str, Any], count: int | None = None) -> JobList:
    body: dict[str, Any] = {"jobs": list(jobs), "limit": 2, "offset": 0}
    if count is not None:
        body["count"] = count
    return JobList.from_dict(body)


def request_of(effect: object) -> dict[str, Any]:
    assert isinstance(effect, Call)
    return effect.request


def finish(flow: Generator[Any, Any, Any], value: object = None) -> Any:
    """Send ``value`` and expect the flow to end; return its result."""
    with pytest.raises(StopIteration) as stop:
        flow.send(value)
    return stop.value.value


# -- submitting exactly once ----------------------------------------------------------------


def submission(clock: FakeTime | None = None, deadline: float | None = None) -> Any:
    from qiskit_runtime_rest.payloads import build_job_request

    request = build_job_request("sampler", "b", ["OPENQASM 3.0; qubit q;"], tags=[TAG])
    t = clock or FakeTime()
    return submit_flow(request, TAG, POLICY, t.clock, deadline)


def test_submit_sends_once_and_returns_the_created_job() -> None:
    flow = submission()
    create = next(flow)
    assert isinstance(create, Call) and create.name == "create_job"
    assert create.operation.idempotent is False and create.operation.long
    assert request_of(create)["json"]["tags"] == [TAG]
    created = JobCreateResponse.from_dict({"id": "j1", "backend": "b", "session_id": "s1"})
    assert finish(flow, created) == Submitted("j1", "b", "s1")


@pytest.mark.parametrize(
    "failure",
    [ServerError("down", status_code=503), APITimeoutError("lost"), APIConnectionError("gone")],
    ids=["503", "timeout", "dropped"],
)
def test_ambiguous_failure_is_looked_up_by_tag_and_adopted(failure: Exception) -> None:
    flow = submission()
    create = next(flow)
    pause = flow.throw(failure)
    assert pause == Sleep(0.5)  # the policy's first backoff
    lookup = flow.send(None)
    assert isinstance(lookup, Call) and lookup.name == "list_jobs"
    assert request_of(lookup)["params"]["tags"] == [TAG]
    found = page(job_json("old", created="2026-01-01T00:00:00Z", tags=[TAG]))
    submitted = finish(flow, found)
    assert submitted == Submitted("old", "fake_backend", None, adopted=True)
    assert create.name == "create_job"  # and it was yielded once


def test_not_found_after_an_ambiguous_failure_submits_the_same_call_again() -> None:
    flow = submission()
    create = next(flow)
    flow.throw(ServerError("down", status_code=500))
    flow.send(None)  # the pause
    again = flow.send(page())  # nothing carries the tag
    assert again is create  # the same body, the same tag
    created = JobCreateResponse.from_dict({"id": "j2", "backend": "b"})
    assert finish(flow, created).id == "j2"


def test_ambiguous_failures_stop_at_the_attempt_budget() -> None:
    flow = submission()
    next(flow)
    for _ in range(POLICY.max_attempts - 1):
        flow.throw(ServerError("down", status_code=500))
        flow.send(None)
        assert isinstance(flow.send(page()), Call)  # submitted again
    flow.throw(ServerError("down", status_code=500))
    flow.send(None)
    with pytest.raises(ServerError) as info:
        flow.send(page())
    assert any("not submitted again" in note for note in info.value.__notes__)


def test_no_resubmission_once_the_deadline_passed() -> None:
    t = FakeTime()
    flow = submission(t, deadline=1.0)
    next(flow)
    pause = flow.throw(APITimeoutError("lost"))
    assert isinstance(pause, Sleep) and pause.seconds <= 1.0
    t.now = 2.0
    flow.send(None)
    with pytest.raises(APITimeoutError) as info:
        flow.send(page())
    assert any(TAG in note for note in info.value.__notes__)


@pytest.mark.parametrize(
    "failure",
    [
        ConflictError("usage limit", status_code=409),
        RateLimitError("slow down", status_code=429),
        APIConnectionError("refused", sent=False),
    ],
    ids=["409", "429", "never-sent"],
)
def test_failures_that_created_nothing_are_raised_without_a_look_up(failure: Exception) -> None:
    flow = submission()
    next(flow)
    with pytest.raises(type(failure)):
        flow.throw(failure)


def test_a_failed_look_up_raises_the_ambiguous_error_with_the_tag() -> None:
    flow = submission()
    next(flow)
    flow.throw(ServerError("down", status_code=502))
    flow.send(None)
    with pytest.raises(ServerError) as info:
        flow.throw(ServerError("still down", status_code=503))
    assert any(TAG in note for note in info.value.__notes__)


# -- polling and results ----------------------------------------------------------------------


def test_wait_polls_with_growing_pauses_until_final() -> None:
    t = FakeTime()
    seen: list[str] = []
    flow = wait_flow("j1", Pacer(None, t.clock, 0.5, 2.0), on_status=seen.append)
    poll = next(flow)
    assert request_of(poll)["url"] == "/jobs/j1" and request_of(poll)["params"] == {
        "exclude_params": True
    }
    pauses = []
    for status in ["Queued", "Running", "Running", "Running"]:
        pause = flow.send(job(status))
        assert isinstance(pause, Sleep)
        pauses.append(pause.seconds)
        assert isinstance(flow.send(None), Call)
    assert pauses == [0.5, 0.75, 1.125, 1.6875]
    assert finish(flow, job("Completed")).status == "Completed"
    assert seen == ["Queued", "Running", "Completed"]


def test_wait_raises_a_failed_job() -> None:
    flow = wait_flow("j1", Pacer(None, FakeTime().clock))
    next(flow)
    with pytest.raises(JobFailedError, match="1002"):
        flow.send(job("Failed", reason="bad", reason_code=1002))


def test_wait_times_out_at_its_deadline_without_sleeping_past_it() -> None:
    t = FakeTime()
    flow = wait_flow("j1", Pacer(1.0, t.clock, 0.4, 1.0))
    next(flow)
    total = 0.0
    with pytest.raises(JobTimeoutError) as info:
        while True:
            pause = flow.send(job("Running"))
            assert isinstance(pause, Sleep)
            total += pause.seconds
            t.now += pause.seconds
            next(flow)
    assert total == pytest.approx(1.0)
    assert (info.value.timeout, info.value.last_status) == (1.0, "Running")


def test_a_request_timing_out_at_the_deadline_is_the_waits_timeout() -> None:
    t = FakeTime()
    flow = wait_flow("j1", Pacer(1.0, t.clock))
    next(flow)
    flow.send(job("Running"))
    flow.send(None)
    # before the deadline, a timed-out request is the request's own error
    early = wait_flow("j1", Pacer(1.0, t.clock))
    next(early)
    with pytest.raises(APITimeoutError):
        early.throw(APITimeoutError("slow"))
    t.now = 1.0
    with pytest.raises(JobTimeoutError):
        flow.throw(APITimeoutError("slow"))


def test_result_downloads_after_the_job_completed_and_retries_a_204() -> None:
    flow = result_flow("j1", Pacer(None, FakeTime().clock, 0.1))
    next(flow)
    download = flow.send(job("Completed"))
    assert isinstance(download, Call) and download.name == "get_job_results"
    assert download.operation.large_answer
    assert isinstance(flow.send(None), Sleep)  # 204: not stored yet
    assert flow.send(None) == download
    result = finish(flow, result_json())
    assert isinstance(result, PrimitiveResult)
    assert result[0].data.meas.get_counts() == {"00": 2, "11": 2}


def test_wait_all_returns_every_final_status() -> None:
    flow = wait_all_flow(["a", "b"], Pacer(None, FakeTime().clock))
    assert request_of(next(flow))["url"] == "/jobs/a"
    assert request_of(flow.send(job("Running", "a")))["url"] == "/jobs/b"
    assert isinstance(flow.send(job("Failed", "b")), Sleep)
    assert request_of(flow.send(None))["url"] == "/jobs/a"  # only the pending one
    assert finish(flow, job("Completed", "a")) == ["Completed", "Failed"]


# -- paging -------------------------------------------------------------------------------------


def test_pages_follow_offsets_and_skip_jobs_seen_before() -> None:
    query = JobQuery(page_size=2, tags="exp")
    cursor = query.first()
    assert cursor == Cursor()
    flow = query.page(cursor)
    params = request_of(next(flow))["params"]
    assert (params["limit"], params["offset"], params["tags"]) == (2, 0, ["exp"])
    first = finish(flow, page(job_json("a"), job_json("b"), count=5))
    assert [m.id for m in first.jobs] == ["a", "b"] and first.next is not None
    flow = query.page(first.next)
    assert request_of(next(flow))["params"]["offset"] == 2
    second = finish(flow, page(job_json("b"), job_json("c"), count=5))  # the list moved
    assert [m.id for m in second.jobs] == ["c"] and second.next is not None
    flow = query.page(second.next)
    next(flow)
    last = finish(flow, page(job_json("d")))  # a short page is the last one
    assert [m.id for m in last.jobs] == ["d"] and last.next is None


def test_jobs_pushed_into_the_next_page_are_known_by_their_creation_time() -> None:
    def at(job_id: str, minute: int) -> dict[str, Any]:
        return job_json(job_id, created=f"2026-01-01T00:{minute:02d}:00Z")

    query = JobQuery(page_size=3)
    flow = query.page(query.first() or Cursor())
    next(flow)
    first = finish(flow, page(at("e", 9), at("d", 8), at("c", 7)))
    assert first.next is not None
    # Only the jobs at the boundary's creation time are remembered, not every job listed.
    assert (first.next.boundary, first.next.at_boundary) == (
        datetime(2026, 1, 1, 0, 7, tzinfo=UTC),
        frozenset({"c"}),
    )
    flow = query.page(first.next)
    next(flow)
    # Two jobs were created meanwhile: d and c come again, b and a (one at c's time) are new.
    second = finish(flow, page(at("d", 8), at("c", 7), at("b", 7)))
    assert [m.id for m in second.jobs] == ["b"]
    assert second.next is not None and second.next.at_boundary == frozenset({"c", "b"})
    flow = query.page(second.next)
    next(flow)
    last = finish(flow, page(at("b", 7), at("a", 5)))
    assert [m.id for m in last.jobs] == ["a"] and last.next is None

    oldest_first = JobQuery(page_size=2, descending=False)
    flow = oldest_first.page(
        Cursor(2, None, datetime(2026, 1, 1, 0, 5, tzinfo=UTC), frozenset("a"))
    )
    next(flow)
    assert [m.id for m in finish(flow, page(at("z", 4), at("a", 5), at("b", 7))).jobs] == ["b"]


def test_a_limit_stops_paging_and_trims_the_page() -> None:
    query = JobQuery(limit=3, page_size=2)
    flow = query.page(query.first() or Cursor())
    next(flow)
    first = finish(flow, page(job_json("a"), job_json("b")))
    created = datetime(2026, 1, 1, tzinfo=UTC)
    assert first.next == Cursor(2, 1, created, frozenset({"a", "b"}))
    flow = query.page(first.next)
    assert request_of(next(flow))["params"]["limit"] == 1
    assert finish(flow, page(job_json("c"))).next is None
    assert JobQuery(limit=0).first() is None


# -- the IAM token flow (an httpx auth flow) ---------------------------------------------------


def token_response(request: httpx.Request, iat: float, exp: float) -> httpx.Response:
    token = make_jwt(iat, exp)
    return httpx.Response(200, json={"access_token": token}, request=request)


def test_token_is_fetched_then_reused_then_refreshed_at_80_percent() -> None:
    t = FakeTime()
    auth = IAMAuth(API_KEY, IAM, clock=t.clock)
    api = httpx.Request("GET", "https://runtime.test/api/v1/jobs")
    flow = auth.auth_flow(api)
    token_request = next(flow)
    assert str(token_request.url) == f"{IAM}/identity/token"
    assert b"apikey=" + API_KEY.encode() in token_request.read()
    sent = flow.send(token_response(token_request, 0, 1000))
    assert sent is api and sent.headers["Authorization"].startswith("Bearer ey")
    t.now = 799.0  # still fresh: no token request
    assert next(auth.auth_flow(httpx.Request("GET", "https://runtime.test/x"))).url.host == (
        "runtime.test"
    )
    t.now = 800.0
    assert next(auth.auth_flow(api)).url.path == "/identity/token"
    auth.invalidate()  # what the engine does after a 401
    t.now = 0.0
    assert next(auth.auth_flow(api)).url.path == "/identity/token"


def test_an_unusable_token_answer_is_an_authentication_error() -> None:
    auth = IAMAuth(API_KEY, IAM, clock=FakeTime().clock)
    flow = auth.auth_flow(httpx.Request("GET", "https://runtime.test/x"))
    request = next(flow)
    with pytest.raises(AuthenticationError, match="no access_token"):
        flow.send(httpx.Response(200, json={"token": "x"}, request=request))


# -- the engine closes what it abandons ----------------------------------------------------------


def test_run_closes_a_flow_interrupted_by_the_caller() -> None:
    def interrupt(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    engine = Engine(
        httpx.Client(base_url="https://runtime.test", transport=httpx.MockTransport(interrupt)),
        api=Client(base_url="https://runtime.test"),
        auth=BearerTokenAuth("token"),
        retry=POLICY,
        timeouts=Timeouts(),
        legacy_instance=None,
    )
    closed: list[bool] = []

    def flow() -> Generator[Any, object, None]:
        try:
            yield from ops.get_job("j1")
        finally:
            closed.append(True)

    with pytest.raises(KeyboardInterrupt):
        engine.run(flow())
    assert closed == [True]


# -- flows are typed ----------------------------------------------------------------------------


def test_what_flows_receive_is_typed() -> None:
    """mypy --strict on tests/flow_types.py: ``assert_type`` on every flow step and operation."""
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "tests/flow_types.py"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.dumps(out.stdout) == '""'
