"""Fault injection: error statuses (429 with Retry-After), dropped connections, latency, counts."""

from __future__ import annotations

import time
from collections import Counter

import httpx
import pytest
from qiskit_runtime_emulator.faults import FaultConfig, FaultInjector, FaultKind
from qiskit_runtime_emulator.server import EmulatorServer

from tests.conftest import client_for, sampler_job
from tests.payloads import BELL_QASM3


def test_faults_are_off_by_default(fresh_emulator: EmulatorServer) -> None:
    client = client_for(fresh_emulator)
    for _ in range(20):
        assert client.get("/versions").status_code == 200
    assert fresh_emulator.stats()["faults"] == {}
    client.close()


def test_statuses_appear_and_are_counted(fresh_emulator: EmulatorServer) -> None:
    fresh_emulator.set_faults(FaultConfig(rate=0.6, statuses=(429, 500, 503), seed=7))
    client = client_for(fresh_emulator)
    seen: Counter[int] = Counter()
    for _ in range(150):
        r = client.get("/backends")
        seen[r.status_code] += 1
        if r.status_code == 429:
            assert float(r.headers["Retry-After"]) == pytest.approx(0.05)
        if r.status_code != 200:
            body = r.json()
            assert body["status_code"] == r.status_code
            assert body["errors"][0]["message"]
            assert body["trace"]
    client.close()
    assert set(seen) == {200, 429, 500, 503}
    faults = fresh_emulator.stats()["faults"]
    assert faults["total"] == seen[429] + seen[500] + seen[503]
    for status in (429, 500, 503):
        assert faults[str(status)] == seen[status]
    # 429 is always injected before the handler runs.
    assert "429_after" not in faults
    fresh_emulator.set_faults(None)


def test_429_never_takes_effect(fresh_emulator: EmulatorServer) -> None:
    fresh_emulator.set_faults(FaultConfig(rate=1.0, statuses=(429,), seed=1))
    client = client_for(fresh_emulator)
    for _ in range(10):
        r = client.post("/jobs", json=sampler_job(BELL_QASM3, shots=10))
        assert r.status_code == 429
        assert "Retry-After" in r.headers
    client.close()
    assert fresh_emulator.stats()["jobs"] == 0


def test_server_errors_may_come_after_the_job_was_created(fresh_emulator: EmulatorServer) -> None:
    fresh_emulator.set_faults(FaultConfig(rate=1.0, statuses=(500, 503), seed=3))
    client = client_for(fresh_emulator)
    for _ in range(30):
        r = client.post("/jobs", json=sampler_job(BELL_QASM3, shots=10))
        assert r.status_code in (500, 503)
    client.close()
    faults = fresh_emulator.stats()["faults"]
    after = faults.get("500_after", 0) + faults.get("503_after", 0)
    assert 0 < after < 30
    # Exactly the "after" faults created jobs: the ambiguous case.
    assert fresh_emulator.stats()["jobs"] == after


def test_dropped_connections_surface_as_protocol_errors(fresh_emulator: EmulatorServer) -> None:
    fresh_emulator.set_faults(FaultConfig(drop_rate=1.0, seed=5))
    client = client_for(fresh_emulator)
    for _ in range(10):
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            client.post("/jobs", json=sampler_job(BELL_QASM3, shots=10))
    faults = fresh_emulator.stats()["faults"]
    assert faults["drop"] == 10
    assert faults.get("drop_before", 0) + faults.get("drop_after", 0) == 10
    assert fresh_emulator.stats()["jobs"] == faults.get("drop_after", 0)
    # The server keeps serving once faults are off; the client reconnects.
    fresh_emulator.set_faults(None)
    assert client.get("/versions").status_code == 200
    client.close()


def test_latency_and_iam_exclusion(fresh_emulator: EmulatorServer) -> None:
    fresh_emulator.set_faults(FaultConfig(rate=1.0, statuses=(503,), latency=0.2))
    # IAM is spared unless include_iam is set.
    token = httpx.post(
        f"{fresh_emulator.iam_url}/identity/token",
        data={"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": "emulator-api-key"},
    )
    assert token.status_code == 200
    t0 = time.perf_counter()
    assert httpx.get(f"{fresh_emulator.url}/versions").status_code == 503
    assert time.perf_counter() - t0 >= 0.2
    fresh_emulator.set_faults(FaultConfig(rate=1.0, statuses=(429,), include_iam=True))
    token = httpx.post(
        f"{fresh_emulator.iam_url}/identity/token",
        data={"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": "emulator-api-key"},
    )
    assert token.status_code == 429
    assert "Retry-After" in token.headers
    fresh_emulator.set_faults(None)


def test_injector_decisions_are_reproducible() -> None:
    def draws(seed: int) -> list[str]:
        inj = FaultInjector(FaultConfig(rate=0.5, drop_rate=0.1, seed=seed))
        return [inj.decide("POST", "/jobs").label for _ in range(50)]

    assert draws(11) == draws(11)
    inj = FaultInjector(FaultConfig(rate=1.0, methods=("POST",), paths=("/jobs",)))
    assert inj.decide("GET", "/jobs").kind is FaultKind.NONE
    assert inj.decide("POST", "/sessions").kind is FaultKind.NONE
    assert inj.decide("POST", "/jobs").kind is FaultKind.STATUS
    with pytest.raises(ValueError, match="rate"):
        FaultConfig(rate=2.0)
    with pytest.raises(ValueError, match="status"):
        FaultConfig(rate=0.1, statuses=(200,))
