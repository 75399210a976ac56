"""Sessions and batches over httpx.MockTransport: bodies, routing, closing on every exit path."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx
import pytest
from qiskit_runtime_rest import (
    AsyncBatch,
    AsyncSession,
    Batch,
    NotFoundError,
    RetryPolicy,
    SamplerPub,
    ServerError,
    Session,
    ValidationError,
)

from tests.fakes import (
    API_KEY,
    FakeService,
    make_async_runtime,
    make_runtime,
    session_json,
)

pytestmark = pytest.mark.usefixtures("clean_env")

BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; '
    "h q[0]; cx q[0], q[1]; meas = measure q;"
)


def service_with_session(mode: str = "dedicated", sid: str = "s1") -> FakeService:
    service = FakeService()
    service.on("POST", "/sessions", session_json(sid, mode))
    service.on("GET", f"/sessions/{sid}", session_json(sid, mode, state="active"))
    service.on("PATCH", f"/sessions/{sid}", 204)
    service.on("DELETE", f"/sessions/{sid}/close", 204)
    service.on("POST", "/jobs", {"id": "job-1", "backend": "fake_backend", "session_id": sid})
    return service


def bodies(service: FakeService, method: str, path: str) -> list[Any]:
    return [
        json.loads(r.content) if r.content else None for r in service.api_requests(method, path)
    ]


def test_session_create_route_and_close_on_exit() -> None:
    service = service_with_session()
    with make_runtime(service) as rt:
        with rt.session("fake_backend", max_time=600) as session:
            assert isinstance(session, Session) and session.id == "s1"
            job = session.sampler().run([SamplerPub(BELL)])
            assert job.session_id == "s1"
            assert session.status() == "active"
            assert session.details().max_ttl == 600
        assert session.closed
    assert bodies(service, "POST", "/sessions") == [
        {"backend": "fake_backend", "mode": "dedicated", "max_ttl": 600}
    ]
    assert bodies(service, "POST", "/jobs")[0]["session_id"] == "s1"
    assert bodies(service, "PATCH", "/sessions/s1") == [{"accepting_jobs": False}]
    assert service.api_requests("DELETE") == []


def test_batch_body_has_no_ttl_unless_given() -> None:
    service = service_with_session("batch")
    with make_runtime(service) as rt, rt.batch("fake_backend") as batch:
        assert isinstance(batch, Batch)
        batch.estimator().run(
            [(BELL.replace("bit[2] meas; ", "").replace(" meas = measure q;", ""), "ZZ")]
        )
    assert bodies(service, "POST", "/sessions") == [{"backend": "fake_backend", "mode": "batch"}]
    assert bodies(service, "POST", "/jobs")[0]["program_id"] == "estimator"
    assert len(service.api_requests("PATCH")) == 1


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_session_closed_when_the_block_raises(error: BaseException) -> None:
    service = service_with_session()
    with make_runtime(service) as rt, pytest.raises(type(error)), rt.session("fake_backend"):
        raise error
    assert bodies(service, "PATCH", "/sessions/s1") == [{"accepting_jobs": False}]


def test_cancel_on_error_cancels_instead_of_closing() -> None:
    service = service_with_session()
    with make_runtime(service) as rt:
        with pytest.raises(ValueError), rt.session("fake_backend", cancel_on_error=True):
            raise ValueError("bad")
        with rt.session("fake_backend", cancel_on_error=True):
            pass  # no error: closed normally
    assert len(service.api_requests("DELETE", "/sessions/s1/close")) == 1
    assert len(service.api_requests("PATCH", "/sessions/s1")) == 1


def test_close_and_cancel_are_idempotent() -> None:
    service = service_with_session()
    with make_runtime(service) as rt:
        session = rt.session("fake_backend")
        session.close()
        session.close()
        session.cancel()  # still meaningful after close: drops queued jobs
        session.cancel()
        session.close()
        with session:
            pass
    assert len(service.api_requests("PATCH")) == 1
    assert len(service.api_requests("DELETE")) == 1


def test_404_on_close_is_swallowed() -> None:
    service = service_with_session()
    service.on("PATCH", "/sessions/s1", 404)
    service.on("DELETE", "/sessions/s1/close", 404)
    with make_runtime(service) as rt:
        with rt.session("fake_backend") as session:
            pass
        session.cancel()
        assert session.closed


def test_cleanup_failure_never_masks_the_original_exception(
    caplog: pytest.LogCaptureFixture,
) -> None:
    service = service_with_session()
    service.on("PATCH", "/sessions/s1", 500)
    with make_runtime(service, retry=RetryPolicy(max_attempts=2, initial_backoff=0.0)) as rt:
        with (
            caplog.at_level(logging.WARNING, logger="qiskit_runtime_rest"),
            pytest.raises(ZeroDivisionError),
            rt.session("fake_backend"),
        ):
            1 / 0  # noqa: B018
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert any("could not close session s1" in w and "ZeroDivisionError" in w for w in warnings)
        assert all(API_KEY not in w for w in warnings)
        # without an exception in flight, a failed close is raised
        with pytest.raises(ServerError), rt.session("fake_backend"):
            pass


def test_close_on_exit_false_leaves_the_session_open() -> None:
    service = service_with_session()
    with make_runtime(service) as rt:
        with rt.session("fake_backend", close_on_exit=False) as session:
            pass
        assert not session.closed
    assert service.api_requests("PATCH") == []


def test_no_jobs_into_a_closed_session() -> None:
    service = service_with_session()
    with make_runtime(service) as rt:
        with rt.session("fake_backend") as session:
            sampler = session.sampler()
        with pytest.raises(ValidationError, match="closed"):
            sampler.run([SamplerPub(BELL)])
    assert service.api_requests("POST", "/jobs") == []


def test_attach_by_id_checks_the_mode() -> None:
    service = FakeService()
    service.on("GET", "/sessions/s1", session_json("s1", "dedicated"))
    service.on("GET", "/sessions/b1", session_json("b1", "batch"))
    service.on("GET", "/sessions/gone", 404)
    with make_runtime(service) as rt:
        assert rt.session_from_id("s1").backend == "fake_backend"
        assert isinstance(rt.batch_from_id("b1"), Batch)
        with pytest.raises(ValidationError, match="batch_from_id"):
            rt.session_from_id("b1")
        with pytest.raises(ValidationError, match="session_from_id"):
            rt.batch_from_id("s1")
        with pytest.raises(NotFoundError):
            rt.session_from_id("gone")
        assert rt.session_details("s1").mode == "dedicated"


def test_bad_arguments() -> None:
    service = service_with_session()
    with make_runtime(service) as rt:
        with pytest.raises(ValidationError, match="max_time"):
            rt.session("fake_backend", max_time=0)
        with pytest.raises(ValidationError, match="backend"):
            rt.batch("")
    assert service.api_requests() == []


def test_unknown_session_state_is_returned_as_is() -> None:
    service = service_with_session()
    service.on("GET", "/sessions/s1", session_json("s1", state="pending_closed"))
    with make_runtime(service) as rt, rt.session("fake_backend") as session:
        assert session.status() == "pending_closed"
        assert "s1" in repr(session)


def test_session_jobs_takes_a_bare_string_as_one_tag() -> None:
    service = service_with_session()
    service.on("GET", "/jobs", {"jobs": [], "limit": 200, "offset": 0, "count": 0})
    with make_runtime(service) as rt, rt.session("fake_backend") as session:
        assert list(session.jobs(tags="exp1")) == []
        assert list(rt.jobs(tags="exp1")) == []
    for request in service.api_requests("GET", "/jobs"):
        assert request.url.params.get_list("tags") == ["exp1"]
    assert service.api_requests("GET", "/jobs")[0].url.params["session_id"] == "s1"


# -- async -------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_session_and_batch() -> None:
    service = service_with_session()
    async with make_async_runtime(service) as rt:
        async with rt.session("fake_backend", max_time=60) as session:
            assert isinstance(session, AsyncSession)
            job = await session.sampler().run([SamplerPub(BELL)])
            assert job.session_id == "s1"
            assert await session.status() == "active"
        batch = await rt.batch("fake_backend")
        assert isinstance(batch, AsyncBatch)
        await batch.close()
        await batch.close()
        with pytest.raises(RuntimeError):
            async with rt.session("fake_backend", cancel_on_error=True):
                raise RuntimeError("x")
        attached = await rt.session_from_id("s1")
        assert (await attached.details()).id == "s1"
        service.on("GET", "/jobs", {"jobs": [], "limit": 200, "offset": 0, "count": 0})
        assert [j async for j in attached.jobs(tags="exp1")] == []
    assert service.api_requests("GET", "/jobs")[0].url.params.get_list("tags") == ["exp1"]
    assert len(service.api_requests("PATCH")) == 2
    assert len(service.api_requests("DELETE")) == 1


@pytest.mark.anyio
async def test_async_session_closed_on_exception() -> None:
    service = service_with_session()
    async with make_async_runtime(service) as rt:
        with pytest.raises(KeyError):
            async with rt.session("fake_backend"):
                raise KeyError("k")
    assert bodies(service, "PATCH", "/sessions/s1") == [{"accepting_jobs": False}]


def test_session_request_never_retried_after_an_ambiguous_failure() -> None:
    service = service_with_session()
    service.on("POST", "/sessions", httpx.ReadTimeout("lost"), session_json())
    with make_runtime(service) as rt, pytest.raises(Exception, match="timed out"):
        rt.session("fake_backend")
    assert len(service.api_requests("POST", "/sessions")) == 1
