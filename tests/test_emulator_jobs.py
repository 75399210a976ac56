"""Job semantics: listing and filters, delete, cancel, results, logs, metrics, tags, limits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from qiskit_runtime_emulator.config import EmulatorConfig, InstanceConfig
from qiskit_runtime_emulator.server import EmulatorServer

from tests.conftest import EmulatorClient, client_for, knobs, sampler_job, wait_until
from tests.payloads import BELL_QASM3, seed_estimator_job

BACKEND = "ibm_emulator_simulator"


@pytest.fixture
def own(fresh_emulator: EmulatorServer) -> Iterator[EmulatorClient]:
    """A client of a server of its own (exact counts in listings)."""
    client = client_for(fresh_emulator)
    yield client
    client.close()


def quick(**extra: Any) -> dict[str, Any]:
    return sampler_job(BELL_QASM3, shots=8, **extra)


def slow(delay: float = 5.0, **extra: Any) -> dict[str, Any]:
    return sampler_job(BELL_QASM3, shots=8, options=knobs(delay=delay), **extra)


def test_job_ids_and_object(api: EmulatorClient) -> None:
    created = api.ok("POST", "/jobs", json=quick(tags=["a"]))
    assert set(created) == {"id", "backend"}
    job_id = created["id"]
    assert len(job_id) == 20
    assert job_id.isalnum()
    assert job_id == job_id.lower()
    job = api.wait(job_id)
    assert job["status"] == "Completed"
    assert job["state"] == {"status": "Completed"}
    assert job["program"] == {"id": "sampler"}
    assert job["backend"] == BACKEND
    assert job["tags"] == ["a"]
    assert job["usage"]["status"] == "complete"
    assert datetime.fromisoformat(job["created"].replace("Z", "+00:00")) <= datetime.now(UTC)
    assert "params" not in job  # the wait helper excludes them
    full = api.job(job_id)
    assert full["params"]["pubs"][0][0] == BELL_QASM3
    assert "params" not in api.ok("GET", f"/jobs/{job_id}", params={"exclude_params": True})


def test_results_are_204_until_completed(api: EmulatorClient) -> None:
    job_id = api.submit(slow(0.5))
    r = api.get(f"/jobs/{job_id}/results")
    assert r.status_code == 204
    assert r.content == b""
    assert api.job(job_id)["usage"]["status"] == "pending"
    assert api.result(job_id)["results"]


def test_list_filters_sort_and_pages(own: EmulatorClient) -> None:
    api = own
    before = datetime.now(UTC) - timedelta(seconds=1)
    session = api.session(backend=BACKEND, mode="batch")
    a = api.submit(quick(tags=["x", "y"]))
    b = api.submit({**seed_estimator_job(), "tags": ["x"]})
    c = api.submit(quick(session_id=session["id"], backend=BACKEND))
    d = api.submit(quick(backend="ibm_emulator_27q"))
    for job_id in (a, b, c, d):
        api.wait(job_id)
    pending = api.submit(slow(5.0))
    middle = datetime.now(UTC)

    def ids(**params: object) -> list[str]:
        return [j["id"] for j in api.ok("GET", "/jobs", params=params)["jobs"]]

    everything = api.ok("GET", "/jobs")
    assert everything["count"] == 5
    assert everything["limit"] == 200
    assert everything["offset"] == 0
    assert [j["id"] for j in everything["jobs"]] == [pending, d, c, b, a]  # newest first
    assert all("params" not in j for j in everything["jobs"])
    assert ids(sort="ASC") == [a, b, c, d, pending]
    assert ids(pending=True) == [pending]
    assert ids(pending=False) == [d, c, b, a]
    assert ids(program="estimator") == [b]
    assert ids(backend="ibm_emulator_27q") == [d]
    assert ids(session_id=session["id"]) == [c]
    assert ids(tags="x") == [b, a]
    assert api.ok("GET", "/jobs", params=[("tags", "x"), ("tags", "y")])["jobs"][0]["id"] == a
    assert ids(tags=["x", "y"]) == [a]
    assert ids(created_after=before.isoformat()) == [pending, d, c, b, a]
    assert ids(created_after=middle.isoformat()) == []
    assert ids(created_before=before.isoformat()) == []
    assert ids(created_before=middle.strftime("%Y-%m-%dT%H:%M:%S.%fZ")) == [pending, d, c, b, a]
    page = api.ok("GET", "/jobs", params={"limit": 2, "offset": 1})
    assert [j["id"] for j in page["jobs"]] == [d, c]
    assert page["count"] == 5
    assert (page["limit"], page["offset"]) == (2, 1)
    assert ids(limit=2, offset=4) == [a]
    assert ids(offset=10) == []
    # Out-of-range limits fall back to the default, as the service does.
    assert api.ok("GET", "/jobs", params={"limit": 1000})["limit"] == 200
    with_params = api.ok("GET", "/jobs", params={"exclude_params": False, "limit": 1})
    assert "params" in with_params["jobs"][0]
    api.ok("POST", f"/jobs/{pending}/cancel", 204)


def test_delete_only_finished_jobs(api: EmulatorClient) -> None:
    running = api.submit(slow(5.0))
    r = api.request("DELETE", f"/jobs/{running}")
    assert r.status_code == 400
    assert "finished" in r.json()["errors"][0]["message"]
    api.ok("POST", f"/jobs/{running}/cancel", 204)
    api.wait(running)
    api.ok("DELETE", f"/jobs/{running}", 204)
    assert api.get(f"/jobs/{running}").status_code == 404
    assert api.request("DELETE", f"/jobs/{running}").status_code == 404


def test_cancel(api: EmulatorClient) -> None:
    job_id = api.submit(slow(5.0))
    api.wait(job_id, statuses={"Running"})
    r = api.post(f"/jobs/{job_id}/cancel")
    assert r.status_code == 204
    assert r.content == b""
    job = api.wait(job_id, timeout=2)
    assert job["status"] == "Cancelled"
    assert job["state"]["status"] == "Cancelled"
    assert api.get(f"/jobs/{job_id}/results").status_code == 204
    r = api.post(f"/jobs/{job_id}/cancel")
    assert r.status_code == 409
    assert "Cancelled" in r.json()["errors"][0]["message"]
    done = api.submit(quick())
    api.wait(done)
    assert api.post(f"/jobs/{done}/cancel").status_code == 409
    assert api.post("/jobs/nosuchjob00000000000/cancel").status_code == 404


def test_cancel_while_queued_never_runs(make_emulator: Callable[..., EmulatorServer]) -> None:
    server = make_emulator(EmulatorConfig(workers=1, test_knobs=True))
    api = client_for(server)
    blocker = api.submit(slow(5.0))
    queued = api.submit(quick())
    api.wait(blocker, statuses={"Running"})
    api.ok("POST", f"/jobs/{queued}/cancel", 204)
    api.ok("POST", f"/jobs/{blocker}/cancel", 204)
    assert api.wait(queued)["status"] == "Cancelled"
    assert api.ok("GET", f"/jobs/{queued}/metrics")["timestamps"]["running"] is None
    api.close()


def test_ran_too_long(api: EmulatorClient) -> None:
    # The 10 s delay is cut short at cost=1 s: the wait below gives up after 5 s otherwise.
    job_id = api.submit(slow(10.0, cost=1))
    job = api.wait(job_id, timeout=5)
    assert job["status"] == "Cancelled - Ran too long"
    assert job["state"]["status"] == "Cancelled"
    assert job["state"]["reason_code"] == 1305
    assert job["cost"] == 1
    assert api.get(f"/jobs/{job_id}/results").status_code == 204
    assert "ran longer" in api.get(f"/jobs/{job_id}/logs").text


def test_fail_knob(api: EmulatorClient) -> None:
    job_id = api.submit(sampler_job(BELL_QASM3, shots=8, options=knobs(fail="boom: simulated")))
    job = api.wait(job_id)
    assert job["status"] == "Failed"
    assert job["state"]["reason"] == "boom: simulated"
    assert job["state"]["reason_code"] == 1000
    assert api.get(f"/jobs/{job_id}/results").status_code == 204
    assert "boom: simulated" in api.get(f"/jobs/{job_id}/logs").text


def test_bad_knobs_are_rejected(api: EmulatorClient) -> None:
    bad = sampler_job(BELL_QASM3, options={"experimental": {"emulator": {"delay_seconds": "x"}}})
    r = api.post("/jobs", json=bad)
    assert r.status_code == 400
    assert "delay_seconds" in r.json()["errors"][0]["message"]
    bad = sampler_job(BELL_QASM3, options={"experimental": {"emulator": {"explode": True}}})
    assert api.post("/jobs", json=bad).status_code == 400


def test_logs(api: EmulatorClient) -> None:
    job_id = api.submit(seed_estimator_job())
    api.wait(job_id)
    r = api.get(f"/jobs/{job_id}/logs")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    text = r.text
    assert "queued" in text
    assert "started" in text
    assert "completed" in text
    assert "transpilation" in text  # the seed's legacy option is accepted with a warning


def test_metrics(api: EmulatorClient) -> None:
    caller = (
        "qiskit-version-2/qiskit_ibm_runtime-0.51.0,qiskit-2.6.2*/qiskit_ibm_runtime~sampler.py"
    )
    r = api.post("/jobs", json=quick(), headers={"X-Qx-Client-Application": caller})
    job_id = r.json()["id"]
    api.wait(job_id)
    m = api.ok("GET", f"/jobs/{job_id}/metrics")
    assert m["caller"] == caller
    ts = m["timestamps"]
    assert ts["created"] <= ts["running"] <= ts["finished"]
    assert m["usage"]["status"] == "complete"
    assert m["usage"]["qpu_charge_time_seconds"] >= 0
    assert m["qiskit_version"]
    assert m["num_circuits"] == 1
    assert m["num_qubits"] == [2]
    assert m["circuit_depths"][0] >= 2


def test_replace_tags(api: EmulatorClient) -> None:
    job_id = api.submit(quick(tags=["old"]))
    r = api.request("PUT", f"/jobs/{job_id}/tags", json={"tags": ["new", "other"]})
    assert r.status_code == 204
    assert api.job(job_id)["tags"] == ["new", "other"]
    api.ok("PUT", f"/jobs/{job_id}/tags", 204, json={"tags": []})
    assert api.job(job_id)["tags"] == []
    r = api.request("PUT", f"/jobs/{job_id}/tags", json={"tags": [str(i) for i in range(9)]})
    assert r.status_code == 400
    assert "tags" in r.json()["errors"][0]["message"]


def test_private_jobs(api: EmulatorClient) -> None:
    created = api.ok("POST", "/jobs", json=quick(private=True))
    assert created["private"] is True
    job = api.wait(created["id"])
    assert job["private"] is True
    assert "params" not in api.job(created["id"])
    assert api.get(f"/jobs/{created['id']}/results").status_code == 200
    assert api.get(f"/jobs/{created['id']}/results").status_code == 204  # read once


def test_rate_limit(make_emulator: Callable[..., EmulatorServer]) -> None:
    server = make_emulator(EmulatorConfig(rate_limit_per_minute=2))
    api = client_for(server)
    api.submit(quick())
    api.submit(quick())
    r = api.post("/jobs", json=quick())
    assert r.status_code == 429
    assert 0 < int(r.headers["Retry-After"]) <= 60
    assert server.stats()["jobs"] == 2
    api.close()


def test_usage_limit(make_emulator: Callable[..., EmulatorServer]) -> None:
    instance = InstanceConfig(
        crn="crn:v1:bluemix:public:quantum-computing:us-east:a/x:limited::",
        api_keys=("limited-key",),
        usage_limit_seconds=0.0,
    )
    server = make_emulator(EmulatorConfig(instances=(instance,)))
    api = client_for(server)
    usage = api.ok("GET", "/instances/usage")
    assert usage["usage_limit_reached"] is True
    r = api.post("/jobs", json=quick())
    assert r.status_code == 409
    api.close()


def test_instance_usage(own: EmulatorClient, fresh_emulator: EmulatorServer) -> None:
    usage = own.ok("GET", "/instances/usage")
    assert usage["instance_id"] == fresh_emulator.crn
    assert usage["usage_consumed_seconds"] == 0
    own.wait(own.submit(slow(0.2)))
    assert own.ok("GET", "/instances/usage")["usage_consumed_seconds"] >= 0.2


def test_backends(api: EmulatorClient) -> None:
    devices = api.ok("GET", "/backends")["devices"]
    names = [d["name"] for d in devices]
    assert names == ["ibm_emulator_5q", "ibm_emulator_27q", "ibm_emulator_127q", BACKEND]
    assert [d["is_simulator"] for d in devices] == [False, False, False, True]
    assert all("wait_time_seconds" not in d for d in devices)
    devices = api.ok("GET", "/backends", params={"fields": "wait_time_seconds"})["devices"]
    assert all("wait_time_seconds" in d for d in devices)
    for name in names:
        status = api.ok("GET", f"/backends/{name}/status")
        assert status["state"] is True
        assert status["length_queue"] >= 0
        config = api.ok("GET", f"/backends/{name}/configuration")
        assert config["backend_name"] == name
        if config["simulator"]:  # a simulator has no calibration
            r = api.get(f"/backends/{name}/properties")
            assert r.status_code == 404 and "simulator" in r.json()["errors"][0]["message"]
            continue
        props = api.ok("GET", f"/backends/{name}/properties")
        assert props["backend_name"] == name
    for suffix in ("status", "configuration", "properties"):
        r = api.get(f"/backends/ibm_nowhere/{suffix}")
        assert r.status_code == 404
        assert "ibm_nowhere" in r.json()["errors"][0]["message"]


def test_queue_length_counts_queued_jobs(make_emulator: Callable[..., EmulatorServer]) -> None:
    server = make_emulator(EmulatorConfig(workers=1, test_knobs=True))
    api = client_for(server)
    jobs = [api.submit(slow(5.0)) for _ in range(3)]
    api.wait(jobs[0], statuses={"Running"})
    assert api.ok("GET", f"/backends/{BACKEND}/status")["length_queue"] == 2
    for job_id in jobs:
        api.ok("POST", f"/jobs/{job_id}/cancel", 204)
    wait_until(lambda: api.ok("GET", f"/backends/{BACKEND}/status")["length_queue"] == 0)
    api.close()


def test_all_roots_serve_every_operation(emulator: EmulatorServer) -> None:
    spec_ops = emulator.state.spec.operations
    headers = emulator.headers()
    for root in (emulator.url, emulator.legacy_url, emulator.client_url):
        for method, template in spec_ops:
            path = template.replace("{job_id}", "nosuchjob00000000000")
            path = path.replace("{session_id}", "nosuchsession0000000")
            path = path.replace("{backend_name}", "ibm_emulator_5q")
            r = httpx.request(method, root + path, headers=headers)
            assert r.status_code in (200, 204, 400, 404), (method, path, r.text)
            if r.status_code == 404:
                assert "No such path" not in r.text


def test_stats_queue_length_leaves_out_cancelled_jobs(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    server = make_emulator(EmulatorConfig(workers=1, test_knobs=True))
    api = client_for(server)
    blocker = api.submit(slow(30.0))
    api.wait(blocker, statuses={"Running"})
    queued = [api.submit(quick()) for _ in range(3)]
    assert server.stats()["queue_length"] == 3
    for job_id in queued:
        api.ok("POST", f"/jobs/{job_id}/cancel", 204)
    assert server.stats()["queue_length"] == 0
    api.ok("POST", f"/jobs/{blocker}/cancel", 204)
    api.close()
