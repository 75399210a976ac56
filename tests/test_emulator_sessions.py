"""Session and batch semantics: close vs cancel, TTLs, rejected jobs (plain httpx)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.server import EmulatorServer

from tests.conftest import EmulatorClient, client_for, knobs, sampler_job, wait_until
from tests.payloads import BELL_QASM3

BACKEND = "ibm_emulator_simulator"


@pytest.fixture
def one_worker(make_emulator: Callable[..., EmulatorServer]) -> Iterator[EmulatorClient]:
    """A client of a server with a single worker, so that jobs queue behind each other."""
    server = make_emulator(EmulatorConfig(workers=1, test_knobs=True))
    client = client_for(server)
    yield client
    client.close()


def job_in(session_id: str, delay: float | None = None) -> dict[str, object]:
    options = knobs(delay=delay) if delay is not None else None
    return sampler_job(BELL_QASM3, shots=8, session_id=session_id, options=options)


def test_session_object(api: EmulatorClient) -> None:
    s = api.session(backend=BACKEND, mode="dedicated", max_ttl=600)
    assert len(s["id"]) == 20
    assert s["id"].isalnum()
    assert s["id"] == s["id"].lower()
    assert s["backend_name"] == BACKEND
    assert s["mode"] == "dedicated"
    assert s["state"] == "open"
    assert s["accepting_jobs"] is True
    assert s["max_ttl"] == 600
    assert s["timestamps"][0]["status"] == "open"
    assert s["started_at"] is not None
    assert s["activated_at"] is None
    got = api.ok("GET", f"/sessions/{s['id']}")
    assert got["id"] == s["id"]
    assert api.get("/sessions/nosuchsession0000000").status_code == 404


def test_legacy_session_payloads(legacy_api: EmulatorClient) -> None:
    from tests.payloads import SEED_BATCH, SEED_SESSION

    session = legacy_api.session(**SEED_SESSION)
    assert session["mode"] == "dedicated"
    batch = legacy_api.session(**SEED_BATCH)
    assert batch["mode"] == "batch"
    ttl = legacy_api.session(backend=BACKEND, max_session_ttl=120)
    assert ttl["max_ttl"] == 120


def test_unknown_backend_is_rejected(api: EmulatorClient) -> None:
    r = api.post("/sessions", json={"backend": "ibm_nowhere", "mode": "batch"})
    assert r.status_code == 400
    assert "ibm_nowhere" in r.json()["errors"][0]["message"]
    r = api.post("/sessions", json={"backend": BACKEND, "mode": "turbo"})
    assert r.status_code == 400
    assert "mode" in r.json()["errors"][0]["message"]


def test_close_lets_queued_jobs_run(one_worker: EmulatorClient) -> None:
    api = one_worker
    s = api.session(backend=BACKEND, mode="batch")
    first = api.submit(job_in(s["id"], delay=0.5))
    second = api.submit(job_in(s["id"]))
    api.wait(first, statuses={"Running"})
    assert api.job(second)["status"] == "Queued"
    api.ok("PATCH", f"/sessions/{s['id']}", 204, json={"accepting_jobs": False})
    state = api.ok("GET", f"/sessions/{s['id']}")
    assert state["accepting_jobs"] is False
    assert state["state"] != "closed"
    r = api.post("/jobs", json=job_in(s["id"]))
    assert r.status_code == 400
    assert "not accepting" in r.json()["errors"][0]["message"]
    assert api.wait(first)["status"] == "Completed"
    assert api.wait(second)["status"] == "Completed"
    wait_until(lambda: api.ok("GET", f"/sessions/{s['id']}")["state"] == "closed")
    closed = api.ok("GET", f"/sessions/{s['id']}")
    assert closed["closed_at"] is not None
    assert [t["status"] for t in closed["timestamps"]] == ["open", "active", "closed"]
    assert closed["elapsed_time"] > 0
    r = api.post("/jobs", json=job_in(s["id"]))
    assert r.status_code == 400
    assert "closed" in r.json()["errors"][0]["message"]


def test_cancel_drops_queued_jobs(one_worker: EmulatorClient) -> None:
    api = one_worker
    s = api.session(backend=BACKEND, mode="dedicated")
    running = api.submit(job_in(s["id"], delay=0.5))
    queued = api.submit(job_in(s["id"]))
    api.wait(running, statuses={"Running"})
    api.ok("DELETE", f"/sessions/{s['id']}/close", 204)
    cancelled = api.wait(queued)
    assert cancelled["status"] == "Cancelled"
    metrics = api.ok("GET", f"/jobs/{queued}/metrics")
    assert metrics["timestamps"]["running"] is None  # it never ran
    assert api.wait(running)["status"] == "Completed"  # running jobs finish
    wait_until(lambda: api.ok("GET", f"/sessions/{s['id']}")["state"] == "closed")
    assert api.post("/jobs", json=job_in(s["id"])).status_code == 400
    # Cancelling again is harmless.
    api.ok("DELETE", f"/sessions/{s['id']}/close", 204)


def test_closing_an_idle_session_closes_it_at_once(api: EmulatorClient) -> None:
    s = api.session(backend=BACKEND, mode="batch")
    api.ok("PATCH", f"/sessions/{s['id']}", 204, json={"accepting_jobs": False})
    state = api.ok("GET", f"/sessions/{s['id']}")
    assert state["state"] == "closed"
    assert api.request("PATCH", f"/sessions/{s['id']}", json={}).status_code == 400
    r = api.request("PATCH", f"/sessions/{s['id']}", json={"accepting_jobs": True})
    assert r.status_code == 400


def test_jobs_need_a_known_session(api: EmulatorClient) -> None:
    r = api.post("/jobs", json=job_in("nosuchsession0000000"))
    assert r.status_code == 404
    assert "nosuchsession0000000" in r.json()["errors"][0]["message"]
    s = api.session(backend=BACKEND, mode="batch")
    r = api.post("/jobs", json={**job_in(s["id"]), "backend": "ibm_emulator_27q"})
    assert r.status_code == 400
    assert BACKEND in r.json()["errors"][0]["message"]


def test_session_without_backend_takes_the_first_jobs(api: EmulatorClient) -> None:
    s = api.session(mode="batch")
    assert s["backend_name"] is None
    job = api.submit({**job_in(s["id"]), "backend": "ibm_emulator_27q"})
    api.wait(job)
    assert api.ok("GET", f"/sessions/{s['id']}")["backend_name"] == "ibm_emulator_27q"


def test_interactive_ttl_makes_a_session_inactive(api: EmulatorClient) -> None:
    s = api.session(backend=BACKEND, mode="dedicated", interactive_ttl=1)
    assert s["interactive_ttl"] == 1
    job = api.submit(job_in(s["id"]))
    api.wait(job)
    active = api.ok("GET", f"/sessions/{s['id']}")
    assert active["state"] == "active"
    assert active["activated_at"] is not None
    assert active["last_job_started"] is not None
    assert active["last_job_completed"] is not None
    wait_until(lambda: api.ok("GET", f"/sessions/{s['id']}")["state"] == "inactive", timeout=5)
    inactive = api.ok("GET", f"/sessions/{s['id']}")
    assert inactive["accepting_jobs"] is True
    assert inactive["state_reason"]
    # A new job makes it active again.
    api.wait(api.submit(job_in(s["id"])))
    again = api.ok("GET", f"/sessions/{s['id']}")
    assert [t["status"] for t in again["timestamps"]] == ["open", "active", "inactive", "active"]


def test_max_ttl_closes_a_session(one_worker: EmulatorClient) -> None:
    api = one_worker
    s = api.session(backend=BACKEND, mode="dedicated", max_ttl=1)
    running = api.submit(job_in(s["id"], delay=1.5))
    queued = api.submit(job_in(s["id"]))
    wait_until(lambda: api.ok("GET", f"/sessions/{s['id']}")["state"] == "closed", timeout=5)
    closed = api.ok("GET", f"/sessions/{s['id']}")
    assert "max_ttl" in closed["state_reason"]
    assert closed["active_ttl"] == 0
    assert api.wait(queued)["status"] == "Cancelled"
    assert api.wait(running)["status"] == "Completed"
    assert api.post("/jobs", json=job_in(s["id"])).status_code == 400


def test_open_session_expires_after_max_ttl(api: EmulatorClient) -> None:
    s = api.session(backend=BACKEND, mode="batch", max_ttl=1)
    wait_until(lambda: api.ok("GET", f"/sessions/{s['id']}")["state"] == "closed", timeout=5)


def test_a_session_closed_just_before_its_job_is_recorded_gets_no_job(
    make_emulator: Callable[..., EmulatorServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The TTL tick (or a cancel) can close the session after create_job's checks and before the
    # job is recorded: the job must then be refused, not put in the closed session.
    server = make_emulator()
    client = client_for(server)
    s = client.session(backend=BACKEND, mode="dedicated")
    store = server.store
    original = store.add_job

    def closing_first(job: Any) -> bool:
        store.cancel_session(store.sessions[s["id"]])  # as if the max TTL ran out just now
        return original(job)

    monkeypatch.setattr(store, "add_job", closing_first)
    r = client.post("/jobs", json=job_in(s["id"]))
    assert r.status_code == 400, r.text
    assert "closed" in r.json()["errors"][0]["message"]
    assert store.jobs == {}
    assert store.sessions[s["id"]].job_ids == []
    client.close()
