"""End to end: the SDK against the emulator over real HTTP (loopback), sync and async."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest
from qiskit_runtime_emulator.faults import FaultConfig
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import (
    AsyncRuntime,
    EstimatorPub,
    JobCancelledError,
    JobFailedError,
    NotFoundError,
    RetryPolicy,
    Runtime,
    SamplerOptions,
    SamplerPub,
)
from qiskit_runtime_rest.auth import IAMAuth
from qiskit_runtime_rest.jobs import is_idempotency_tag

from tests.conftest import connect, knobs

BACKEND = "ibm_emulator_simulator"  # hand-written circuits: not ISA circuits of a device
BELL = """OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[2] meas;
h q[0];
cx q[0], q[1];
meas = measure q;
"""
BELL_STATE = """OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
h q[0];
cx q[0], q[1];
"""
ANSATZ = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
qubit[2] q;
ry(theta) q[0];
cx q[0], q[1];
"""
GHZ3 = """OPENQASM 3.0;
include "stdgates.inc";
qubit[3] q;
bit[3] meas;
h q[0];
cx q[0], q[1];
cx q[1], q[2];
meas = measure q;
"""


@pytest.fixture
def rt(emulator: EmulatorServer) -> Iterator[Runtime]:
    with connect(emulator) as runtime:
        yield runtime


def correlated(counts: dict[str, int]) -> float:
    return (counts.get("00", 0) + counts.get("11", 0)) / sum(counts.values())


def server_session(server: EmulatorServer, session_id: str) -> Any:
    record = server.store.get_session(server.crn, session_id)
    assert record is not None
    return record


# -- job mode ----------------------------------------------------------------------------------


def test_job_mode_sampler_and_estimator(rt: Runtime) -> None:
    job = rt.sampler(BACKEND).run([SamplerPub(BELL, shots=500)], tags=["e2e"])
    result = job.result(timeout=60)
    counts = result[0].data.meas.get_counts()
    assert sum(counts.values()) == 500 and correlated(counts) > 0.9
    assert job.status() == "Completed" and job.done()
    assert job.tags() == ["e2e"] and is_idempotency_tag(job.idempotency_tag or "")
    assert job.metrics().usage is not None
    assert "Job completed" in job.logs()
    assert result.to_qiskit()[0].data.meas.get_counts() == counts

    est = rt.estimator(BACKEND).run([EstimatorPub(BELL_STATE, ["ZZ", "XX", "YY"])])
    est_result = est.result(timeout=60)
    evs = est_result[0].data.evs
    assert evs.shape == (3,)
    np.testing.assert_allclose(evs, [1, 1, -1], atol=0.2)
    np.testing.assert_array_equal(est_result.to_qiskit()[0].data.evs, evs)


def test_cancel_a_queued_or_running_job(rt: Runtime) -> None:
    slow = SamplerOptions(**knobs(delay=5))
    job = rt.sampler(BACKEND, options=slow).run([SamplerPub(BELL, shots=10)])
    job.cancel()
    assert job.status() == "Cancelled"
    assert "Job cancelled" in job.logs()
    with pytest.raises(JobCancelledError):
        job.result(timeout=10)


def test_saved_account_written_by_qiskit_ibm_runtime_connects(
    emulator: EmulatorServer, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qiskit_ibm_runtime.accounts.management import AccountManager

    path = tmp_path / "qiskit-ibm.json"
    AccountManager.save(
        token=emulator.api_key,
        instance=emulator.crn,
        url=emulator.url,
        channel="ibm_quantum_platform",
        filename=str(path),
        name="emulator",
        proxies=None,
        verify=True,
        overwrite=True,
        set_as_default=True,
    )
    for var in ("QISKIT_IBM_TOKEN", "QISKIT_IBM_INSTANCE", "QISKIT_IBM_URL", "QISKIT_IBM_CHANNEL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("IAM_URL", emulator.iam_url)
    with Runtime.saved(filename=path) as saved:
        assert saved.url == emulator.url
        job = saved.sampler(BACKEND).run([SamplerPub(BELL, shots=20)])
        assert sum(job.result(timeout=60)[0].data.meas.get_counts().values()) == 20


def test_fetch_list_tag_and_delete(rt: Runtime) -> None:
    job = rt.sampler(BACKEND).run([SamplerPub(BELL, shots=10)], tags=["list-me"])
    job.wait(timeout=60)
    again = rt.job(job.id)
    assert again == job and again.backend == BACKEND
    found = list(rt.jobs(tags=["list-me"], limit=5))
    assert job in found
    job.update_tags(["renamed"])
    assert job.tags() == ["renamed"]
    assert job.id in [j.id for j in rt.jobs(tags=[job.idempotency_tag or ""])]
    job.delete()
    with pytest.raises(NotFoundError):
        rt.job(job.id)


class Skewed:
    """A wall clock that can be moved forward; the IAM token's age is read from it."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def __call__(self) -> float:
        return time.time() + self.ahead


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


def test_token_refresh_before_expiry_and_after_a_401(emulator: EmulatorServer) -> None:
    clock, network = Skewed(), StaleOnce()
    auth = IAMAuth(emulator.api_key, emulator.iam_url, clock=clock)
    with connect(emulator, auth=auth, transport=network) as rt:
        rt.backend_status(BACKEND)
        fetched = auth.fetch_count
        clock.ahead = 3000  # 80 % of the emulator's 1 h lifetime passed
        rt.backend_status(BACKEND)
        assert auth.fetch_count == fetched + 1
        clock.ahead = 0
        network.stale = True  # the service answers 401: one refresh, then success
        rt.backend_status(BACKEND)
        assert auth.fetch_count == fetched + 2 and not network.stale


def test_backends_usage_versions(rt: Runtime) -> None:
    names = [b.name for b in rt.backends()]
    assert BACKEND in names
    status = rt.backend_status(BACKEND)
    assert status.operational is True and status.status_msg == "active"
    assert rt.backend_configuration(BACKEND).n_qubits == 32
    assert rt.backend_configuration("ibm_emulator_5q").n_qubits == 5
    assert rt.usage().instance_id
    assert rt.versions()


def test_failed_job_raises_with_reason(rt: Runtime) -> None:
    options = SamplerOptions(experimental={"emulator": {"fail": "boom on purpose"}})
    job = rt.sampler(BACKEND, options=options).run([SamplerPub(BELL, shots=10)])
    with pytest.raises(JobFailedError) as info:
        job.result(timeout=60)
    assert "boom on purpose" in str(info.value.reason)


def test_legacy_channel(emulator: EmulatorServer) -> None:
    with Runtime(
        token=emulator.legacy_token,
        channel="legacy",
        instance=emulator.config.default_instance.legacy_instance,
        url=emulator.legacy_url,
        trust_env=False,
    ) as rt:
        with rt.batch(BACKEND) as batch:
            job = batch.sampler().run([SamplerPub(BELL, shots=20)])
        assert sum(job.result(timeout=60)[0].data.meas.get_counts().values()) == 20
        record = emulator.store.get_job(emulator.crn, job.id)
        assert record is not None and record.legacy == {
            "hub": "hub1",
            "group": "group1",
            "project": "project1",
        }


# -- session and batch modes -------------------------------------------------------------------


def test_session_mode_with_sweep_and_broadcasting(rt: Runtime, emulator: EmulatorServer) -> None:
    thetas = np.linspace(0, np.pi, 5)
    with rt.session(BACKEND, max_time=600) as session:
        counts = session.sampler().run([SamplerPub(BELL, shots=200)]).result()[0]
        assert correlated(counts.data.meas.get_counts()) > 0.9
        # observables of shape (2, 1) broadcast with 5 bindings -> (2, 5)
        pub = EstimatorPub(ANSATZ, [["ZZ"], ["XX"]], parameter_values=thetas.reshape(5, 1))
        evs = session.estimator().run([pub]).result()[0].data.evs
        assert evs.shape == (2, 5)
        np.testing.assert_allclose(evs[0], np.ones(5), atol=0.2)  # <ZZ> = 1 for every theta
        np.testing.assert_allclose(evs[1], np.sin(thetas), atol=0.2)
        assert session.details().accepting_jobs is True
        assert {j.session_id for j in session.jobs()} == {session.id}
    record = server_session(emulator, session.id)
    assert record.accepting_jobs is False and record.mode == "dedicated" and record.max_ttl == 600


def test_batch_mode_submits_up_front(rt: Runtime, emulator: EmulatorServer) -> None:
    circuits = [BELL, GHZ3, BELL]
    with rt.batch(BACKEND) as batch:
        jobs = [batch.sampler().run([SamplerPub(c, shots=100)]) for c in circuits]
    assert server_session(emulator, batch.id).accepting_jobs is False
    results = [job.result(timeout=60) for job in jobs]  # the queued jobs still ran
    assert set(results[1][0].data.meas.get_counts()) <= {
        "000",
        "111",
        "001",
        "110",
        "011",
        "100",
        "010",
        "101",
    }
    assert rt.wait_all(jobs) == ["Completed"] * 3
    assert server_session(emulator, batch.id).mode == "batch"


def test_session_closed_after_an_exception(rt: Runtime, emulator: EmulatorServer) -> None:
    with pytest.raises(RuntimeError, match="user code failed"), rt.session(BACKEND) as session:
        session.sampler().run([SamplerPub(BELL, shots=10)])
        raise RuntimeError("user code failed")
    assert server_session(emulator, session.id).accepting_jobs is False
    assert rt.session_details(session.id).accepting_jobs is False


def test_cancel_on_error_cancels_queued_jobs(rt: Runtime, emulator: EmulatorServer) -> None:
    slow = SamplerOptions(experimental={"emulator": {"delay_seconds": 0.5}})
    with pytest.raises(KeyboardInterrupt), rt.batch(BACKEND, cancel_on_error=True) as batch:
        jobs = [batch.sampler(options=slow).run([SamplerPub(BELL, shots=10)]) for _ in range(4)]
        raise KeyboardInterrupt
    record = server_session(emulator, batch.id)
    assert record.accepting_jobs is False
    statuses = [job.status() for job in jobs]
    assert "Cancelled" in statuses


def test_attach_to_existing_session(rt: Runtime) -> None:
    with rt.session(BACKEND) as session:
        attached = rt.session_from_id(session.id)
        job = attached.sampler().run([SamplerPub(BELL, shots=10)])
        assert job.session_id == session.id
        job.wait(timeout=60)


# -- async -------------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_job_session_and_batch(emulator: EmulatorServer) -> None:
    async with connect(emulator, AsyncRuntime) as rt:
        job = await rt.sampler(BACKEND).run([SamplerPub(BELL, shots=100)])
        counts = (await job.result(timeout=60))[0].data.meas.get_counts()
        assert correlated(counts) > 0.9

        async with rt.session(BACKEND, max_time=300) as session:
            estimator = session.estimator()
            thetas = np.array([[0.0], [np.pi / 2], [np.pi]])  # 3 bindings of one parameter
            # observables (3, 1) x bindings (3,) -> a (3, 3) grid of expectation values
            pub = EstimatorPub(ANSATZ, [["ZZ"], ["XX"], ["YY"]], parameter_values=thetas)
            ejob = await estimator.run([pub])
            evs = (await ejob.result(timeout=60))[0].data.evs
            assert evs.shape == (3, 3)
            np.testing.assert_allclose(evs[0], [1, 1, 1], atol=0.2)
            np.testing.assert_allclose(evs[1], [0, 1, 0], atol=0.2)
            sjob = await session.sampler().run([SamplerPub(BELL, shots=50)])
            await sjob.wait(timeout=60)
        assert server_session(emulator, session.id).accepting_jobs is False

        async with rt.batch(BACKEND) as batch:
            sampler = batch.sampler()
            jobs = await asyncio.gather(
                *(sampler.run([SamplerPub(c, shots=50)]) for c in (BELL, GHZ3, BELL))
            )
            ejob = await batch.estimator().run([EstimatorPub(BELL_STATE, ["ZZ", "XX"])])
        assert server_session(emulator, batch.id).accepting_jobs is False
        results = await asyncio.gather(*(j.result(timeout=60) for j in jobs))
        assert [sum(r[0].data.meas.get_counts().values()) for r in results] == [50, 50, 50]
        batch_evs = (await ejob.result(timeout=60))[0].data.evs
        np.testing.assert_allclose(batch_evs, [1, 1], atol=0.2)
        listed = [j.id async for j in rt.jobs(session_id=batch.id)]
        assert sorted(listed) == sorted(j.id for j in [*jobs, ejob])


@pytest.mark.anyio
async def test_async_session_closed_after_exception(emulator: EmulatorServer) -> None:
    async with connect(emulator, AsyncRuntime) as rt:
        with pytest.raises(ZeroDivisionError):
            async with rt.session(BACKEND) as session:
                await session.sampler().run([SamplerPub(BELL, shots=10)])
                1 / 0  # noqa: B018
        details = await rt.session_details(session.id)
        assert details.accepting_jobs is False


# -- faults ------------------------------------------------------------------------------------


def test_retried_submissions_under_faults_create_exactly_one_job_each(
    fresh_emulator: EmulatorServer,
) -> None:
    fresh_emulator.set_faults(
        FaultConfig(
            rate=0.4,
            statuses=(429, 500, 503),
            drop_rate=0.2,
            retry_after=0.01,
            methods=("POST",),
            paths=("/jobs",),
            seed=11,
        )
    )
    policy = RetryPolicy(max_attempts=12, initial_backoff=0.01, max_backoff=0.05, max_elapsed=60)
    submitted = 12
    with connect(fresh_emulator, retry=policy) as rt:
        jobs = [rt.sampler(BACKEND).run([SamplerPub(BELL, shots=10)]) for _ in range(submitted)]
        faults = fresh_emulator.stats()["faults"]
        fresh_emulator.set_faults(None)
        assert len({j.id for j in jobs}) == submitted
        stats = fresh_emulator.stats()
        assert stats["jobs"] == submitted  # exactly one job per run(), despite the faults
        tags = [t for rec in fresh_emulator.store.jobs.values() for t in rec.tags]
        assert len(tags) == len(set(tags)) == submitted
        assert rt.wait_all(jobs, timeout=60) == ["Completed"] * submitted
    # the scenario really exercised the ambiguous cases and the plain retries
    assert faults.get("total", 0) >= 5
    assert any(key.endswith("_after") for key in faults), faults
    assert faults.get("429", 0) >= 1, faults


def test_runtime_local_starts_and_stops_its_emulator() -> None:
    with Runtime.local() as rt:
        server = rt.emulator
        assert server.running
        job = rt.sampler(BACKEND).run([SamplerPub(BELL, shots=20)])
        assert sum(job.result(timeout=60)[0].data.meas.get_counts().values()) == 20
    assert not server.running and rt.emulator is None
