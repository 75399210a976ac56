"""The seed's execution modes over real HTTP (plain httpx), and the physics of the results."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest.codec import decode_result

from tests.conftest import EmulatorClient, sampler_job
from tests.payloads import (
    BELL_QASM3,
    BELL_STATE_QASM3,
    OFFICIAL_CLIENT_ESTIMATOR_JOB,
    OFFICIAL_CLIENT_SAMPLER_JOB,
    SEED_BATCH,
    SEED_SESSION,
    seed_estimator_job,
    seed_sampler_job,
)

DEFAULT_SHOTS = 4096
# Bell state: <ZZ> = 1, <XX> = 1, <YY> = -1, <IZ> = 0.
SEED_EXPECTATIONS = [1.0, 1.0, -1.0, 0.0]


def plain_counts(result: dict[str, Any], register: str = "c") -> Counter[str]:
    """Counts of a plain-form Sampler result's register, as bitstrings."""
    data = result["results"][0]["data"][register]
    width = data["num_bits"]
    return Counter(format(int(s, 16), f"0{width}b") for s in data["samples"])


def check_bell_plain(result: dict[str, Any], shots: int = DEFAULT_SHOTS) -> None:
    counts = plain_counts(result)
    assert sum(counts.values()) == shots
    assert set(counts) <= {"00", "11"}
    assert min(counts["00"], counts["11"]) > shots * 0.4


def check_seed_estimator_plain(result: dict[str, Any], tolerance: float = 0.1) -> None:
    evs = result["results"][0]["data"]["evs"]
    assert evs == pytest.approx(SEED_EXPECTATIONS, abs=tolerance)
    assert len(result["results"][0]["data"]["stds"]) == 4


def run_seed_session(api: EmulatorClient, session_body: dict[str, Any], close: str) -> None:
    session = api.session(**session_body)
    sid = session["id"]
    sampler = api.submit(seed_sampler_job(sid))
    estimator = api.submit(seed_estimator_job(sid))
    check_bell_plain(api.result(sampler))
    check_seed_estimator_plain(api.result(estimator))
    for job_id in (sampler, estimator):
        job = api.job(job_id)
        assert job["session_id"] == sid
        assert job["state"]["status"] == "Completed"
    if close == "patch":
        api.ok("PATCH", f"/sessions/{sid}", 204, json={"accepting_jobs": False})
    else:
        r = api.request("DELETE", f"/sessions/{sid}/close")
        assert r.status_code == 204
        assert r.content == b""
    state = api.ok("GET", f"/sessions/{sid}")
    assert state["state"] == "closed"
    assert state["accepting_jobs"] is False


def test_seed_session_flow_current_root(api: EmulatorClient) -> None:
    run_seed_session(api, {"backend": "ibm_emulator_simulator", "mode": "dedicated"}, close="patch")


def test_seed_session_flow_legacy_root(legacy_api: EmulatorClient) -> None:
    run_seed_session(legacy_api, SEED_SESSION, close="delete")
    job = legacy_api.ok("GET", "/jobs", params={"limit": 1})["jobs"][0]
    assert (job["hub"], job["group"], job["project"]) == ("hub1", "group1", "project1")


def test_seed_batch_flow(legacy_api: EmulatorClient) -> None:
    batch = legacy_api.session(**SEED_BATCH)
    assert batch["mode"] == "batch"
    jobs = [legacy_api.submit(seed_sampler_job(batch["id"])) for _ in range(3)]
    legacy_api.ok("PATCH", f"/sessions/{batch['id']}", 204, json={"accepting_jobs": False})
    for job_id in jobs:  # closing the batch lets its jobs run
        check_bell_plain(legacy_api.result(job_id))


def test_job_mode(api: EmulatorClient) -> None:
    sampler = api.submit(seed_sampler_job())
    estimator = api.submit(seed_estimator_job())
    check_bell_plain(api.result(sampler))
    check_seed_estimator_plain(api.result(estimator))
    assert api.job(sampler)["session_id"] is None


def test_official_client_payloads(api: EmulatorClient) -> None:
    session = api.session(backend="ibm_emulator_simulator", mode="dedicated")
    sampler_body = copy.deepcopy(OFFICIAL_CLIENT_SAMPLER_JOB)
    sampler_body["session_id"] = session["id"]
    sampler = api.submit(sampler_body)
    estimator = api.submit(copy.deepcopy(OFFICIAL_CLIENT_ESTIMATOR_JOB))
    typed = api.result(sampler)
    assert typed["__type__"] == "PrimitiveResult"
    counts = decode_result(typed)[0].data.get_bit_array("c").get_counts()
    assert sum(counts.values()) == 100
    assert set(counts) <= {"00", "11"}
    evs = decode_result(api.result(estimator))[0].data.get_ndarray("evs")
    assert evs.tolist() == pytest.approx([1.0, 0.0], abs=0.05)  # <ZZ> = 1, <XX + YY>/2 = 0
    job = api.job(estimator)
    assert job["tags"] == ["exp-1"]
    assert job["cost"] == 300


@pytest.mark.parametrize("support_qiskit", [True, False])
def test_bell_counts_in_both_forms(api: EmulatorClient, support_qiskit: bool) -> None:
    result = api.result(api.submit(sampler_job(BELL_QASM3, support_qiskit=support_qiskit)))
    if support_qiskit:
        assert result["__type__"] == "PrimitiveResult"
    else:
        assert "results" in result
        check_bell_plain(result)
    counts = decode_result(result)[0].data.get_bit_array("c").get_counts()
    assert sum(counts.values()) == DEFAULT_SHOTS
    assert set(counts) == {"00", "11"}


@pytest.mark.parametrize("support_qiskit", [True, False])
def test_zz_expectation_in_both_forms(api: EmulatorClient, support_qiskit: bool) -> None:
    body = {
        "program_id": "estimator",
        "backend": "ibm_emulator_simulator",
        "params": {
            "pubs": [[BELL_STATE_QASM3, {"ZZ": 1.0}]],
            "version": 2,
            "support_qiskit": support_qiskit,
            "options": {"default_precision": 0.01},
        },
    }
    result = api.result(api.submit(body))
    data = decode_result(result)[0].data
    assert float(data.get_ndarray("evs")) == pytest.approx(1.0, abs=0.05)
    assert float(data.get_ndarray("stds")) <= 0.02


def test_seeds_make_results_reproducible(api: EmulatorClient) -> None:
    job = sampler_job(
        BELL_QASM3, shots=64, options={"simulator": {"seed_simulator": 42}}, support_qiskit=False
    )
    first, second = (api.result(api.submit(job)) for _ in range(2))
    assert first["results"][0]["data"] == second["results"][0]["data"]
    estimator = {
        "program_id": "estimator",
        "backend": "ibm_emulator_simulator",
        "params": {
            "pubs": [[BELL_STATE_QASM3, ["IZ", "XI"]]],
            "version": 2,
            "options": {"seed_estimator": 7, "default_precision": 0.05},
        },
    }
    a, b = (api.result(api.submit(estimator)) for _ in range(2))
    assert a["results"][0]["data"]["evs"] == b["results"][0]["data"]["evs"]


def test_parametrized_broadcast(api: EmulatorClient) -> None:
    qasm = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
qubit[1] q;
ry(theta) q[0];
"""
    body = {
        "program_id": "estimator",
        "backend": "ibm_emulator_simulator",
        "params": {
            "pubs": [[qasm, [["Z"], ["X"]], [[0.0], [3.141592653589793]]]],
            "version": 2,
            "options": {"default_precision": 0.01},
        },
    }
    result = api.result(api.submit(body))
    evs = result["results"][0]["data"]["evs"]
    # shape (2, 1) x (2,) -> (2, 2): rows are observables Z, X; columns theta = 0, pi.
    assert evs == [pytest.approx([1.0, -1.0], abs=0.05), pytest.approx([0.0, 0.0], abs=0.05)]


def test_server_counts_jobs_and_sessions(fresh_emulator: EmulatorServer) -> None:
    from tests.conftest import client_for

    api = client_for(fresh_emulator)
    api.session(backend="ibm_emulator_simulator", mode="batch")
    api.wait(api.submit(sampler_job(BELL_QASM3, shots=10)))
    api.close()
    stats = fresh_emulator.stats()
    assert stats["jobs"] == 1
    assert stats["jobs_by_status"] == {"Completed": 1}
    assert stats["sessions"] == 1
    assert stats["open_sessions"] == 1
    assert len(fresh_emulator.store.jobs) == 1
