"""Jobs on a Dask cluster (issue 14): a ``distributed.LocalCluster`` of 2 worker processes.

The same jobs give the same results as on the local pool (same server seed); cancelling a
running job and the cost limit really stop the simulation (the child process that runs it on
the Dask worker is killed, and both workers take new jobs at once); failures keep the pool's
reasons; a job whose Dask worker dies runs again on another.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from typing import Any

import psutil
import pytest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.dask_backend import DaskBackend
from qiskit_runtime_emulator.server import EmulatorServer

from tests.conftest import EmulatorClient, client_for, knobs, sampler_job, wait_until

BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; '
    "c = measure q;"
)
GHZ = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[3] q; bit[3] c; h q[0]; cx q[0], q[1]; '
    "cx q[1], q[2]; rx(0.4) q[2]; c = measure q;"
)
ANSATZ = """OPENQASM 3.0; include "stdgates.inc";
input float[64] theta; qubit[2] q; ry(theta) q[0]; cx q[0], q[1];"""
# 10,000 iterations of a 20-qubit layer: minutes of simulation, unless it is stopped.
LONG = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[20] q; bit[2] c; '
    "for uint i in [0:9999] { h q; rz(0.1) q[0]; cx q[0], q[1]; } "
    "c[0] = measure q[0]; c[1] = measure q[1];"
)
SEED = 4321


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as local:
        yield local


@pytest.fixture(scope="module")
def on_dask(cluster: Any) -> Iterator[EmulatorServer]:
    backend = DaskBackend(cluster.scheduler_address)
    config = EmulatorConfig(seed=SEED, test_knobs=True, strict_responses=True)
    with EmulatorServer(config, backend=backend) as server:
        assert backend.wait_ready(120), "the Dask cluster did not come up"
        yield server


@pytest.fixture(scope="module")
def on_pool() -> Iterator[EmulatorServer]:
    config = EmulatorConfig(seed=SEED, test_knobs=True, strict_responses=True, workers=1)
    with EmulatorServer(config) as server:
        yield server


@pytest.fixture
def dask_api(on_dask: EmulatorServer) -> Iterator[EmulatorClient]:
    client = client_for(on_dask)
    yield client
    client.close()


def _job_process(cluster: Any, job_id: str) -> psutil.Process:
    """The process simulating ``job_id``: the child of the zygote of the Dask worker whose task
    it is (each worker has one thread, so one child)."""
    from distributed import Client

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        deadline = time.monotonic() + 60
        while True:
            found = [
                a for a, keys in client.processing().items() if any(job_id in str(k) for k in keys)
            ]
            if found or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert found, f"no Dask worker runs job {job_id}"
        pid = client.run(os.getpid, workers=found)[found[0]]
    children = []
    deadline = time.monotonic() + 60
    while not children and time.monotonic() < deadline:
        for zygote in psutil.Process(pid).children():
            children.extend(p for p in zygote.children() if p.status() != psutil.STATUS_ZOMBIE)
        time.sleep(0.05)
    assert len(children) == 1, children
    return children[0]


def _gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def _results(server: EmulatorServer, job: dict[str, Any]) -> tuple[str, Any]:
    api = client_for(server)
    try:
        job_id = api.submit(job)
        final = api.wait(job_id, timeout=120)
        doc = api.result(job_id) if final["status"] == "Completed" else None
        return final["status"], doc and doc["results"]
    finally:
        api.close()


def test_same_results_as_the_local_pool(on_dask: EmulatorServer, on_pool: EmulatorServer) -> None:
    sampler = {
        "program_id": "sampler",
        "backend": "ibm_emulator_simulator",
        "params": {"pubs": [[BELL, None, 500], [GHZ, None, 500]], "version": 2},
    }
    estimator = {
        "program_id": "estimator",
        "backend": "ibm_emulator_simulator",
        "params": {
            "pubs": [[ANSATZ, [["ZZ"], ["XX"]], [[0.0], [0.7], [1.4]], 0.05]],
            "version": 2,
        },
    }
    device = sampler_job(
        'OPENQASM 3.0; include "stdgates.inc"; bit[2] meas; rz(pi/2) $0; sx $0; rz(pi/2) $0; '
        "rz(pi/2) $1; sx $1; rz(pi/2) $1; cz $0, $1; rz(pi/2) $1; sx $1; rz(pi/2) $1; "
        "meas[0] = measure $0; meas[1] = measure $1;",
        shots=400,
        backend="ibm_emulator_5q",  # with the device's noise
    )
    for job in (sampler, estimator, device):
        on_dask_status, on_dask_results = _results(on_dask, job)
        on_pool_status, on_pool_results = _results(on_pool, job)
        assert on_dask_status == on_pool_status == "Completed"
        assert on_dask_results == on_pool_results


def test_cancel_stops_running_jobs(
    cluster: Any, on_dask: EmulatorServer, dask_api: EmulatorClient
) -> None:
    long_jobs = [dask_api.submit(sampler_job(LONG, shots=10)) for _ in range(2)]
    for job_id in long_jobs:  # both workers are busy
        dask_api.wait(job_id, timeout=120, statuses={"Running"})
    simulations = [_job_process(cluster, job_id) for job_id in long_jobs]
    assert len({p.pid for p in simulations}) == 2
    time.sleep(1.0)
    for job_id in long_jobs:
        dask_api.ok("POST", f"/jobs/{job_id}/cancel", 204)
    for job_id in long_jobs:
        job = dask_api.wait(job_id, timeout=30)
        assert job["status"] == "Cancelled"
        assert job["state"]["reason"] == "Cancelled by the user"
        assert dask_api.get(f"/jobs/{job_id}/results").status_code == 204
    # The simulations are gone, not left running on the workers ...
    wait_until(lambda: all(_gone(p) for p in simulations), timeout=30, step=0.2)
    # ... and both workers take new jobs (minutes before the long ones would have ended).
    quick = [dask_api.submit(sampler_job(BELL, shots=10)) for _ in range(2)]
    for job_id in quick:
        assert dask_api.wait(job_id, timeout=60)["status"] == "Completed"


def test_a_queued_job_cancelled_never_runs(dask_api: EmulatorClient) -> None:
    blockers = [dask_api.submit(sampler_job(BELL, shots=10, options=knobs(delay=20)))]
    blockers.append(dask_api.submit(sampler_job(BELL, shots=10, options=knobs(delay=20))))
    queued = dask_api.submit(sampler_job(BELL, shots=10))
    for job_id in blockers:
        dask_api.wait(job_id, timeout=120, statuses={"Running"})
    dask_api.ok("POST", f"/jobs/{queued}/cancel", 204)
    for job_id in blockers:
        dask_api.ok("POST", f"/jobs/{job_id}/cancel", 204)
    assert dask_api.wait(queued, timeout=30)["status"] == "Cancelled"
    metrics = dask_api.ok("GET", f"/jobs/{queued}/metrics")
    assert metrics["timestamps"]["running"] is None
    for job_id in blockers:
        assert dask_api.wait(job_id, timeout=30)["status"] == "Cancelled"


def test_cost_limit_ends_the_job_as_the_pool_does(
    cluster: Any, on_dask: EmulatorServer, dask_api: EmulatorClient
) -> None:
    job_id = dask_api.submit(sampler_job(LONG, shots=10, cost=2))
    dask_api.wait(job_id, timeout=120, statuses={"Running"})
    simulation = _job_process(cluster, job_id)
    job = dask_api.wait(job_id, timeout=60)
    assert job["status"] == "Cancelled - Ran too long"
    assert job["state"]["reason_code"] == 1305
    assert job["state"]["reason"] == ("The job ran longer than its maximum execution time (2 s).")
    wait_until(lambda: _gone(simulation), timeout=30, step=0.2)
    quick = dask_api.submit(sampler_job(BELL, shots=10))
    assert dask_api.wait(quick, timeout=60)["status"] == "Completed"


def test_failures_keep_their_reasons(dask_api: EmulatorClient) -> None:
    job_id = dask_api.submit(sampler_job(BELL, shots=10, options=knobs(fail="boom on dask")))
    job = dask_api.wait(job_id, timeout=60)
    assert (job["status"], job["state"]["reason"], job["state"]["reason_code"]) == (
        "Failed",
        "boom on dask",
        1000,
    )
    stats = dask_api.ok("GET", "/jobs", params={"limit": 1})
    assert stats["count"] >= 1


def test_the_config_file_key_and_the_option_select_the_cluster(cluster: Any, tmp_path: Any) -> None:
    from qiskit_runtime_emulator.cli import build_parser
    from qiskit_runtime_emulator.config import load_config

    args = build_parser().parse_args(["serve", "--dask-scheduler", cluster.scheduler_address])
    assert args.dask_scheduler == cluster.scheduler_address
    path = tmp_path / "emulator.yaml"
    path.write_text(f"dask_scheduler: {cluster.scheduler_address}\nseed: {SEED}\n")
    with EmulatorServer(load_config(path)) as server:
        backend = server.state.backend
        assert isinstance(backend, DaskBackend)
        assert backend.wait_ready(120)
        status, results = _results(server, sampler_job(BELL, shots=50))
        assert status == "Completed" and len(results[0]["data"]["c"]["samples"]) == 50


def test_a_job_whose_dask_worker_dies_runs_again_elsewhere(
    cluster: Any, dask_api: EmulatorClient
) -> None:
    """Dask reschedules the task of a lost worker: the job is not dropped, it runs again."""
    job_id = dask_api.submit(sampler_job(BELL, shots=20, options=knobs(delay=6)))
    dask_api.wait(job_id, timeout=120, statuses={"Running"})
    worker = _job_process(cluster, job_id).parent().parent()  # the Dask worker (its nanny
    # restarts it)
    worker.kill()
    job = dask_api.wait(job_id, timeout=120)
    assert job["status"] == "Completed", job
    assert len(dask_api.result(job_id)["results"][0]["data"]["c"]["samples"]) == 20
