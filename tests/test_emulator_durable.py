"""The durable store (issue 14): ``kill -9`` loses nothing, and a big store stays cheap.

The server runs as ``qiskit-runtime-emulator serve --data-dir`` in a process of its own
(:class:`tests.served.ServedEmulator`), so that it can be killed with SIGKILL and measured.
No timing assertions: the kill happens "mid-run" by construction (some jobs final, some not,
checked before the kill), and the big-store test compares ratios measured in the same run.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from qiskit_runtime_emulator.config import DEFAULT_CRN
from qiskit_runtime_emulator.store import JobRecord, Store

from tests.served import ServedEmulator

BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; '
    "c = measure q;"
)
SIMULATOR = "ibm_emulator_simulator"
CONFIG: dict[str, Any] = {"workers": 2, "test_knobs": True, "noise": False, "seed": 11}
RERUN = "The emulator stopped while the job was running: it runs again from the start"
MIB = 1 << 20


def sampler_job(i: int, delay: float = 0.0, **body: Any) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if delay:
        options = {"experimental": {"emulator": {"delay_seconds": delay}}}
    return {
        "program_id": "sampler",
        "backend": SIMULATOR,
        "tags": [f"n{i}"],
        "params": {"pubs": [[BELL, None, 10]], "version": 2, "options": options},
        **body,
    }


def count(client: httpx.Client, **params: Any) -> int:
    r = client.get("/jobs", params={"limit": 1, **params})
    assert r.status_code == 200, r.text
    return int(r.json()["count"])


def all_ids(client: httpx.Client) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    offset = 0
    while True:
        page = client.get("/jobs", params={"limit": 200, "offset": offset}).json()
        out.update({job["id"]: job for job in page["jobs"]})
        offset += 200
        if offset >= page["count"]:
            return out


def test_kill_9_mid_run_loses_no_job_session_or_result(tmp_path: Path) -> None:
    served = ServedEmulator(CONFIG, tmp_path, data_dir=tmp_path / "data")
    with served:
        with served.client() as client:
            r = client.post("/sessions", json={"mode": "batch", "max_ttl": 3600})
            assert r.status_code == 200, r.text
            session = r.json()
            ids = []
            for i in range(200):
                body = sampler_job(i, delay=0.05)
                if i % 10 == 0:
                    body["session_id"] = session["id"]
                r = client.post("/jobs", json=body)
                assert r.status_code == 200, r.text
                ids.append(r.json()["id"])
            deadline = time.monotonic() + 60
            while count(client, pending="false") < 40:
                assert time.monotonic() < deadline, "jobs do not finish"
                time.sleep(0.05)
            done_page = client.get("/jobs", params={"pending": "false", "limit": 200}).json()
            done = {job["id"]: job["status"] for job in done_page["jobs"]}
            results = {
                job_id: client.get(f"/jobs/{job_id}/results").content
                for job_id, status in done.items()
                if status == "Completed"
            }
            session_before = client.get(f"/sessions/{session['id']}").json()
            pending = count(client, pending="true")
        served.kill()
    print(f"killed with {len(done)} jobs final and {pending} pending")
    assert pending > 0, "the server was not killed mid-run"
    assert results

    with served, served.client() as client:  # the same data directory
        found = all_ids(client)
        assert set(found) == set(ids)
        deadline = time.monotonic() + 120
        while count(client, pending="true"):
            assert time.monotonic() < deadline, "the queued jobs did not run after restart"
            time.sleep(0.1)
        final = all_ids(client)
        # Every job ran to completion: those that were Running ran again (see the guide).
        assert {job["status"] for job in final.values()} == {"Completed"}
        for job_id, before in results.items():
            assert client.get(f"/jobs/{job_id}/results").content == before
        assert all(final[i]["tags"] == [f"n{n}"] for n, i in enumerate(ids))
        rerun = [
            job_id
            for job_id in ids
            if job_id not in done and RERUN in client.get(f"/jobs/{job_id}/logs").text
        ]
        print(f"{len(rerun)} job(s) were running at the kill and ran again")
        session_after = client.get(f"/sessions/{session['id']}").json()
        for key in ("id", "mode", "started_at", "activated_at", "max_ttl", "backend_name"):
            assert session_after[key] == session_before[key], key
        # The max TTL clock kept running from the session's start (wall-clock time).
        assert session_after["active_ttl"] <= session_before["active_ttl"]
        assert session_after["active_ttl"] > session_before["active_ttl"] - 300
        in_session = client.get("/jobs", params={"session_id": session["id"]}).json()
        assert in_session["count"] == 20
        assert served.errors() == ""


# ---------------------------------------------------------------------------- a big store


def fill(data_dir: Path, total: int, result: bytes) -> None:
    """Bring the store of ``data_dir`` to ``total`` completed jobs, through the store's API (the
    server is stopped: one server per directory)."""
    store = Store(data_dir)
    try:
        while store.stats()["jobs"] < total:
            now = time.time()
            job = JobRecord(
                id=store.new_id(),
                seq=store.next_seq(),
                instance_crn=DEFAULT_CRN,
                user_id="IBMid-emulator-user-1",
                program_id="sampler",
                backend=SIMULATOR,
                params={"pubs": [[BELL, None, 10]], "version": 2},
                created=now,
                cost=60,
                tags=["bulk"],
            )
            job.log("INFO", "Job queued", now)
            assert store.add_job(job)
            assert store.start_job(job)
            assert store.complete_job(job, result, 1000.0)
    finally:
        store.close()


def run_one_job(served: ServedEmulator) -> None:
    """Submit, wait for and delete a job: the server has done real work before it is measured."""
    with served.client() as client:
        job = client.post("/jobs", json=sampler_job(0))
        assert job.status_code == 200, job.text
        while client.get(f"/jobs/{job.json()['id']}").json()["status"] != "Completed":
            time.sleep(0.05)
        assert client.delete(f"/jobs/{job.json()['id']}").status_code == 204


@pytest.mark.slow
def test_a_store_of_50000_jobs_keeps_memory_cpu_and_listing_flat(tmp_path: Path) -> None:
    # Two servers at once, on stores of 1,000 and 50,000 jobs, measured in turn: the load of the
    # machine weighs on both alike.
    result = b'{"results":[],"metadata":{"version":2}}'
    sizes = (1000, 50000)
    servers = {}
    for n in sizes:
        (tmp_path / str(n)).mkdir()
        fill(tmp_path / str(n) / "data", n, result)
        servers[n] = ServedEmulator(CONFIG, tmp_path / str(n), data_dir=tmp_path / str(n) / "data")
    with servers[1000] as small_server, servers[50000] as big_server:
        for served in (small_server, big_server):
            run_one_job(served)
        clients = {n: servers[n].client() for n in sizes}
        times: dict[tuple[int, str], list[float]] = {
            (n, where): [] for n in sizes for where in ("first", "last")
        }
        for _ in range(15):
            for n in sizes:
                for where, params in (
                    ("first", {"limit": 200}),
                    ("last", {"limit": 200, "offset": n - 200}),
                ):
                    start = time.perf_counter()
                    r = clients[n].get("/jobs", params=params)
                    times[n, where].append(time.perf_counter() - start)
                    assert r.status_code == 200 and r.json()["count"] == n
                    assert len(r.json()["jobs"]) == 200
        for client in clients.values():
            client.close()
        time.sleep(1.0)
        procs = {n: psutil.Process(servers[n].process.pid) for n in sizes}
        cpu_before = {n: sum(procs[n].cpu_times()[:2]) for n in sizes}
        time.sleep(5.0)
        idle = {n: (sum(procs[n].cpu_times()[:2]) - cpu_before[n]) / 5.0 for n in sizes}
        rss = {n: servers[n].rss() for n in sizes}
    first = {n: statistics.median(times[n, "first"]) for n in sizes}
    last = {n: statistics.median(times[n, "last"]) for n in sizes}
    print(
        f"RSS {rss[1000] / MIB:.1f} -> {rss[50000] / MIB:.1f} MiB, idle CPU "
        f"{idle[1000]:.2%} -> {idle[50000]:.2%}, GET /jobs {first[1000] * 1e3:.1f} -> "
        f"{first[50000] * 1e3:.1f} ms (first page, x{first[50000] / first[1000]:.2f}), "
        f"{last[1000] * 1e3:.1f} -> {last[50000] * 1e3:.1f} ms (offset n - 200, "
        f"x{last[50000] / last[1000]:.2f})"
    )
    # The in-memory store took ~4.7 KB a job (230 MiB for 49,000 more) and a tick that scanned
    # every job (+11% of a core at 20,000 jobs).
    assert rss[50000] - rss[1000] < 40 * MIB
    assert idle[50000] - idle[1000] < 0.02
    assert first[50000] < 3 * first[1000]
    assert last[50000] < 5 * last[1000]
