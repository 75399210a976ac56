"""Job handles over httpx.MockTransport: statuses, waiting, results, tags, listing."""

from __future__ import annotations

import gc
import itertools
import json
import logging
from datetime import UTC
from typing import Any

import httpx
import numpy as np
import pytest
from qiskit_runtime_rest import (
    BitArray,
    ConflictError,
    DataBin,
    JobCancelledError,
    JobFailedError,
    JobTimeoutError,
    PollSchedule,
    PrimitiveResult,
    Runtime,
    SamplerPubResult,
    ValidationError,
)
from qiskit_runtime_rest.codec import encode_result
from qiskit_runtime_rest.jobs import JobQuery, classify_status, new_idempotency_tag
from qiskit_runtime_rest.polling import DEFAULT_POLL, LOCAL_POLL

from tests.fakes import (
    FakeService,
    FakeTime,
    job_json,
    make_async_runtime,
    make_runtime,
)

pytestmark = pytest.mark.usefixtures("clean_env")


def result_json() -> dict[str, Any]:
    bits = BitArray(np.array([[0], [3], [3], [0]], dtype=np.uint8), 2)
    result = PrimitiveResult([SamplerPubResult(DataBin({"meas": bits}, shape=()))], {"version": 2})
    return encode_result(result)


# -- statuses ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "outcome"),
    [
        ("Queued", None, "pending"),
        ("RUNNING", None, "pending"),
        ("Completed", None, "completed"),
        ("completed", None, "completed"),
        ("DONE", None, "completed"),
        ("Failed", None, "failed"),
        ("ERROR", None, "failed"),
        ("Cancelled", None, "cancelled"),
        ("CANCELLED", 1305, "failed"),
        ("Cancelled - Ran too long", None, "failed"),
        ("Brand new status", None, "pending"),
    ],
)
def test_classify_status(status: str, code: int | None, outcome: str) -> None:
    assert classify_status(status, code) == outcome


def test_status_returns_the_wire_string_and_unknown_values_do_not_crash() -> None:
    service = FakeService().on(
        "GET", "/jobs/job-1", job_json(status="Validating"), job_json(status="Weird-New")
    )
    with make_runtime(service) as rt:
        job = rt.job("job-1")
        assert job.last_status == "Validating"
        assert job.status() == "Weird-New"
        assert not job.done()


# -- waiting -----------------------------------------------------------------------------------


def test_wait_polls_with_capped_backoff_and_reports_status_changes() -> None:
    statuses = ["Queued"] * 3 + ["Running"] * 8 + ["Completed"]
    service = FakeService().on("GET", "/jobs/job-1", *[job_json(status=s) for s in statuses])
    seen: list[str] = []
    t = FakeTime()
    with make_runtime(service, clock=t.clock, sleep=t.sleep) as rt:
        job = rt.job("job-1")
        assert (
            job.wait(poll_interval=0.5, max_poll_interval=2.0, on_status=seen.append) == "Completed"
        )
    assert seen == ["Queued", "Running", "Completed"]
    assert t.sleeps[:4] == [0.5, 0.75, 1.125, 1.6875]
    assert max(t.sleeps) == 2.0
    assert job.last_status == "Completed"


def test_wait_never_sleeps_past_the_deadline_and_raises_a_typed_timeout() -> None:
    service = FakeService().on("GET", "/jobs/job-1", job_json(status="Running"))
    t = FakeTime()
    with make_runtime(service, clock=t.clock, sleep=t.sleep) as rt:
        job = rt.job("job-1")
        with pytest.raises(JobTimeoutError) as info:
            job.wait(timeout=3.0, poll_interval=1.0)
    err = info.value
    assert (err.job_id, err.timeout, err.last_status) == ("job-1", 3.0, "Running")
    assert isinstance(err, TimeoutError)
    assert sum(t.sleeps) == pytest.approx(3.0)
    assert t.sleeps[-1] <= 3.0 - sum(t.sleeps[:-1]) + 1e-9


def test_wait_timeout_none_waits_until_final() -> None:
    replies = [job_json(status="Running")] * 50 + [job_json(status="Completed")]
    service = FakeService().on("GET", "/jobs/job-1", *replies)
    t = FakeTime()
    with make_runtime(service, clock=t.clock, sleep=t.sleep) as rt:
        job = rt.job("job-1")
        assert job.wait(timeout=None) == "Completed"
    assert max(t.sleeps) == 5.0  # the default cap


def test_waits_follow_the_clients_poll_schedule() -> None:
    # rt.job() reads the job once, then the wait checks it 6 times.
    replies = [job_json(status="Running")] * 6 + [job_json(status="Completed")]
    service = FakeService().on("GET", "/jobs/job-1", *replies)
    t = FakeTime()
    schedule = PollSchedule(interval=0.1, max_interval=0.3, growth=2)
    with make_runtime(service, clock=t.clock, sleep=t.sleep, poll=schedule) as rt:
        assert rt.job("job-1").wait() == "Completed"
    assert t.sleeps == [0.1, 0.2, 0.3, 0.3, 0.3]


def test_the_default_schedule_costs_few_requests_per_minute() -> None:
    replies = [job_json(status="Running")] * 4 + [job_json(status="Completed")]
    service = FakeService().on("GET", "/jobs/job-1", *replies)
    t = FakeTime()
    with make_runtime(service, clock=t.clock, sleep=t.sleep) as rt:
        assert rt.job("job-1").wait() == "Completed"
    assert t.sleeps == pytest.approx([0.2, 0.3, 0.45])
    # The figure the docs give: 20 status checks for a job that takes one minute.
    assert DEFAULT_POLL.checks(60) == 20
    assert DEFAULT_POLL.checks(0) == 1
    assert list(itertools.islice(LOCAL_POLL.pauses(), 3)) == pytest.approx([0.01, 0.015, 0.0225])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"interval": 0.001},
        {"interval": float("inf")},
        {"interval": True},
        {"interval": 2.0, "max_interval": 1.0},
        {"growth": 0.5},
        {"growth": "2"},
    ],
)
def test_a_bad_poll_schedule_is_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        PollSchedule(**kwargs)


def test_poll_must_be_a_schedule() -> None:
    with pytest.raises(ValidationError, match="PollSchedule"):
        make_runtime(FakeService(), poll=0.1)


def test_failed_job_raises_with_reason() -> None:
    failed = job_json(
        status="Failed", reason="Error in the validation process of the job.", reason_code=1002
    )
    failed["state"]["reason_solution"] = "Check the job."
    service = FakeService().on("GET", "/jobs/job-1", failed)
    with make_runtime(service) as rt, pytest.raises(JobFailedError) as info:
        rt.job("job-1").wait()
    err = info.value
    assert (err.job_id, err.status, err.reason_code) == ("job-1", "Failed", 1002)
    assert err.reason == "Error in the validation process of the job."
    assert err.reason_solution == "Check the job."
    assert "1002" in str(err)


@pytest.mark.parametrize(
    "reply",
    [
        job_json(status="Cancelled - Ran too long", reason="Ran too long", reason_code=1305),
        job_json(status="Cancelled", reason="Ran too long", reason_code=1305),
    ],
)
def test_ran_too_long_is_a_failure(reply: dict[str, Any]) -> None:
    service = FakeService().on("GET", "/jobs/job-1", reply)
    with make_runtime(service) as rt, pytest.raises(JobFailedError) as info:
        rt.job("job-1").result()
    assert info.value.reason_code == 1305


def test_cancelled_job_raises_cancelled() -> None:
    service = FakeService().on("GET", "/jobs/job-1", job_json(status="Cancelled"))
    with make_runtime(service) as rt, pytest.raises(JobCancelledError) as info:
        rt.job("job-1").result()
    assert info.value.job_id == "job-1"


def test_unknown_status_keeps_polling_and_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    replies = [job_json(status="Mystery")] * 3 + [job_json(status="Completed")]
    service = FakeService().on("GET", "/jobs/job-1", *replies)
    t = FakeTime()
    with (
        caplog.at_level(logging.WARNING, logger="qiskit_runtime_rest"),
        make_runtime(service, clock=t.clock, sleep=t.sleep) as rt,
    ):
        job = rt.job("job-1")
        assert job.wait() == "Completed"
    assert sum("Mystery" in r.getMessage() for r in caplog.records) <= 1


def test_progress_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    service = FakeService().on(
        "GET", "/jobs/job-1", *[job_json(status="Queued")] * 2, job_json(status="Completed")
    )
    t = FakeTime()
    with make_runtime(service, clock=t.clock, sleep=t.sleep) as rt:
        job = rt.job("job-1")
        capsys.readouterr()
        job.wait(progress=True)
        job.wait()  # off by default
    out = capsys.readouterr()
    assert out.out == ""
    # stderr is not a terminal here: one final line, not a line per status change (issue 16)
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and "job job-1 Completed" in lines[0], out.err


# -- results -----------------------------------------------------------------------------------


def test_result_waits_then_decodes_and_is_not_cached() -> None:
    service = FakeService()
    service.on("GET", "/jobs/job-1", job_json(status="Running"), job_json(status="Completed"))
    service.on("GET", "/jobs/job-1/results", 204, result_json())
    t = FakeTime()
    with make_runtime(service, clock=t.clock, sleep=t.sleep) as rt:
        job = rt.job("job-1")
        first = job.result()
        second = job.result()
    assert first[0].data.meas.get_counts() == {"00": 2, "11": 2}
    assert first == second and first is not second
    assert len(service.api_requests("GET", "/jobs/job-1/results")) == 3  # 204, 200, 200


def test_result_missing_after_completion_gives_up() -> None:
    service = FakeService()
    service.on("GET", "/jobs/job-1", job_json(status="Completed"))
    service.on("GET", "/jobs/job-1/results", 204)
    t = FakeTime()
    with make_runtime(service, clock=t.clock, sleep=t.sleep) as rt:
        job = rt.job("job-1")
        with pytest.raises(JobTimeoutError, match="not available"):
            job.result()


# -- other job operations ------------------------------------------------------------------------


def test_cancel_logs_metrics_delete() -> None:
    service = FakeService()
    service.on("GET", "/jobs/job-1", job_json())
    service.on("POST", "/jobs/job-1/cancel", 204, 409)
    service.on("GET", "/jobs/job-1/logs", httpx.Response(200, text="line 1\nline 2\n"))
    service.on(
        "GET",
        "/jobs/job-1/metrics",
        {"usage": {"qpu_charge_time_seconds": 1.5, "status": "complete"}, "num_circuits": 2},
    )
    service.on("DELETE", "/jobs/job-1", 204)
    with make_runtime(service) as rt:
        job = rt.job("job-1")
        job.cancel()
        with pytest.raises(ConflictError):
            job.cancel()
        assert job.logs() == "line 1\nline 2\n"
        metrics = job.metrics()
        assert metrics.usage.qpu_charge_time_seconds == 1.5  # type: ignore[union-attr]
        assert metrics.num_circuits == 2
        job.delete()


def test_tags_hide_and_keep_the_idempotency_tag() -> None:
    idem = new_idempotency_tag()
    service = FakeService()
    service.on("GET", "/jobs/job-1", job_json(tags=["exp", idem]))
    service.on("PUT", "/jobs/job-1/tags", 204)
    with make_runtime(service) as rt:
        job = rt.job("job-1")
        assert job.idempotency_tag == idem
        assert job.tags() == ["exp"]
        job.update_tags(["new", "tags"])
        with pytest.raises(ValidationError):
            job.update_tags("oops")
    (put,) = service.api_requests("PUT")
    assert json.loads(put.content) == {"tags": ["new", "tags", idem]}


def test_job_equality_and_repr() -> None:
    service = FakeService().on("GET", "/jobs/job-1", job_json(session_id="s1"))
    with make_runtime(service) as rt:
        a, b = rt.job("job-1"), rt.job("job-1")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert repr(a) == "Job(id='job-1', backend='fake_backend', session_id='s1', status='Queued')"


# -- listing -----------------------------------------------------------------------------------


def _pages(total: int) -> Any:
    jobs = [job_json(f"j{i}") for i in range(total)]

    def handler(request: httpx.Request) -> dict[str, Any]:
        limit = int(request.url.params["limit"])
        offset = int(request.url.params["offset"])
        return {
            "jobs": jobs[offset : offset + limit],
            "limit": limit,
            "offset": offset,
            "count": total,
        }

    return handler


def test_jobs_auto_paginate_lazily() -> None:
    service = FakeService().on("GET", "/jobs", _pages(450))
    with make_runtime(service) as rt:
        it = rt.jobs(limit=None)
        first = next(it)
        assert first.id == "j0" and len(service.api_requests()) == 1
        rest = [j.id for j in it]
    assert rest == [f"j{i}" for i in range(1, 450)]
    offsets = [r.url.params["offset"] for r in service.api_requests()]
    assert offsets == ["0", "200", "400"]


def test_a_read_answer_is_freed_at_once_not_by_the_cyclic_collector() -> None:
    """httpx leaves each response in a reference cycle with its stream; the SDK breaks it, so
    that paging through 10,000 jobs holds one page at a time (scripts/bench_growth.py)."""
    with make_runtime(FakeService().on("GET", "/jobs", _pages(450))) as rt:
        next(iter(rt.jobs(limit=1)))
        gc.collect()
        gc.disable()
        try:
            # (responses that other tests keep alive are not this listing's)
            before = {id(o) for o in gc.get_objects() if isinstance(o, httpx.Response)}
            assert sum(1 for _ in rt.jobs(limit=None)) == 450
            left = [
                o for o in gc.get_objects() if isinstance(o, httpx.Response) and id(o) not in before
            ]
        finally:
            gc.enable()
    assert left == []


def test_jobs_limit_and_filters() -> None:
    from datetime import datetime

    service = FakeService().on("GET", "/jobs", _pages(500))
    after = datetime(2026, 1, 1, tzinfo=UTC)
    with make_runtime(service) as rt:
        jobs = list(
            rt.jobs(
                limit=3,
                pending=True,
                program="sampler",
                backend="fake_backend",
                created_after=after,
                tags=["a", "b"],
                session_id="s1",
                descending=False,
            )
        )
        everything = list(rt.jobs(limit=None))
        default = [j.id for j in rt.jobs()]  # 10, as in qiskit-ibm-runtime
        skipped = [j.id for j in rt.jobs(3, skip=5)]
    assert default == [f"j{i}" for i in range(10)] and skipped == ["j5", "j6", "j7"]
    assert [j.id for j in jobs] == ["j0", "j1", "j2"]
    params = service.api_requests()[0].url.params
    assert params["limit"] == "3" and params["pending"] == "true" and params["sort"] == "ASC"
    assert params.get_list("tags") == ["a", "b"] and params["session_id"] == "s1"
    assert params["created_after"].startswith("2026-01-01T00:00:00")
    assert len(everything) == 500
    assert [r.url.params["limit"] for r in service.api_requests()[1:4]] == ["200"] * 3
    assert service.api_requests()[-1].url.params["offset"] == "5"


def test_wait_all_returns_final_statuses_without_raising() -> None:
    service = FakeService()
    service.on("GET", "/jobs/a", job_json("a", "Running"), job_json("a", "Completed"))
    service.on("GET", "/jobs/b", job_json("b", "Failed"))
    t = FakeTime()
    with make_runtime(service, clock=t.clock, sleep=t.sleep) as rt:
        jobs = [rt.job("a"), rt.job("b")]
        assert rt.wait_all(jobs) == ["Completed", "Failed"]
    service.on("GET", "/jobs/c", job_json("c", "Running"))
    t = FakeTime()
    with make_runtime(service, clock=t.clock, sleep=t.sleep) as rt:
        job = rt.job("c")
        with pytest.raises(JobTimeoutError):
            rt.wait_all([job], timeout=2.0)


@pytest.mark.parametrize("timeout", ["10", -1.0, float("nan"), True])
def test_wait_all_checks_its_timeout_like_wait(timeout: Any) -> None:
    service = FakeService().on("GET", "/jobs/a", job_json("a", "Running"))
    with make_runtime(service) as rt:
        job = rt.job("a")
        with pytest.raises(ValidationError, match="timeout must be"):
            rt.wait_all([job], timeout=timeout)
        with pytest.raises(ValidationError, match="timeout must be"):
            job.wait(timeout=timeout)
    assert len(service.api_requests()) == 1  # refused before polling


def test_job_query_takes_a_bare_string_as_one_tag() -> None:
    assert JobQuery(tags="exp1").tags == ("exp1",)
    assert JobQuery(tags=["a", "b"]).tags == ("a", "b")
    assert JobQuery(tags=[]).tags is None and JobQuery().tags is None


# -- async twins -------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_job_wait_result_and_listing() -> None:
    service = FakeService()
    service.on(
        "GET", "/jobs/job-1", *[job_json(status="Running")] * 2, job_json(status="Completed")
    )
    service.on("GET", "/jobs/job-1/results", result_json())
    service.on("GET", "/jobs", _pages(3))
    service.on("PUT", "/jobs/job-1/tags", 204)
    t = FakeTime()
    async with make_async_runtime(service, clock=t.clock, sleep=t.asleep) as rt:
        job = await rt.job("job-1")
        assert await job.wait() == "Completed"
        result = await job.result()
        assert result[0].data.meas.get_counts() == {"00": 2, "11": 2}
        assert await job.status() == "Completed" and await job.done()
        assert await job.tags() == []
        await job.update_tags(["x"])
        ids = [j.id async for j in rt.jobs(limit=2)]
        assert ids == ["j0", "j1"]
        assert await rt.wait_all([job]) == ["Completed"]
    assert t.sleeps  # slept through the engine's (fake) async sleep


@pytest.mark.anyio
async def test_async_timeout_and_failure() -> None:
    service = FakeService()
    service.on("GET", "/jobs/a", job_json("a", "Queued"))
    service.on("GET", "/jobs/b", job_json("b", "Failed", reason="boom", reason_code=1000))
    t = FakeTime()
    async with make_async_runtime(service, clock=t.clock, sleep=t.asleep) as rt:
        a, b = await rt.job("a"), await rt.job("b")
        with pytest.raises(JobTimeoutError):
            await a.wait(timeout=1.0)
        with pytest.raises(JobFailedError, match="boom"):
            await b.result()


def test_sync_runtime_type() -> None:
    assert Runtime.__name__ == "Runtime"
