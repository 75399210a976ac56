"""Faults: hundreds of jobs through the SDK while the emulator fails 20 % of requests.

The emulator answers 429/500/503 to 20 % of API requests and drops 5 % of connections, half of
the 5xx and drops *after* the request took effect (a job or session was created, but the client
never hears of it). Through ``AsyncRuntime`` (and ``Runtime``), jobs are submitted into batches
and sessions, then waited for. Afterwards, on the server:

* every submission produced exactly one job: the server's jobs, counted by the SDK's
  idempotency tag (``qrr-<uuid>``), match the submissions one to one (none lost, none duplicated);
* every result is the right one: job ``i`` flips the qubits of ``i % 32`` and asks for a number of
  shots unique to it, so its counts are ``{bitstring(i % 32): shots(i)}`` and nothing else;
* no session is left open. Precisely: every session the SDK opened has ``accepting_jobs``
  false as soon as its block is left, and is ``closed`` once its jobs are done. A ``POST
  /sessions`` that fails ambiguously (a 5xx or a drop after the session was created) leaves a
  session the SDK never learns of, which it cannot close (the API offers no way to find it); the
  test counts those orphans and checks that no job ever ran in them.

The default run submits 240 jobs (200 async in 4 batches, 40 sync in a session); ``-m slow``
submits 1,200 (1,000 async in 10 batches, 200 sync). The figures are printed (``pytest -s``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.faults import FaultConfig
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import (
    APIConnectionError,
    AsyncJob,
    AsyncRuntime,
    Job,
    RetryPolicy,
    Runtime,
    SamplerPub,
    ServerError,
)
from qiskit_runtime_rest.jobs import is_idempotency_tag

from tests.conftest import connect

BACKEND = "ibm_emulator_simulator"
FAULTS = FaultConfig(
    rate=0.2, statuses=(429, 500, 503), drop_rate=0.05, retry_after=0.01, seed=20260415
)


# Ten attempts: under 25 % failures, a request fails ten times in a row with probability 1e-6.
RETRY = RetryPolicy(max_attempts=10, initial_backoff=0.01, max_backoff=0.2, max_elapsed=120)
POLL = {"poll_interval": 0.05, "max_poll_interval": 0.5}


def circuit(mask: int) -> str:
    flips = "".join(f"x q[{k}]; " for k in range(5) if mask >> k & 1)
    return (
        f'OPENQASM 3.0; include "stdgates.inc"; qubit[5] q; bit[5] meas; {flips}meas = measure q;'
    )


def expected_counts(i: int) -> dict[str, int]:
    return {format(i % 32, "05b"): shots(i)}


def shots(i: int) -> int:
    return 1 + i  # unique per job: a result can only belong to its own job


async def open_batch(rt: AsyncRuntime, opened: list[str], failed: Counter[str]) -> Any:
    """Open a batch; an ambiguous failure of POST /sessions is not retried by the SDK (it could
    create a second session), so the caller tries again, as a user would."""
    while True:
        try:
            batch = await rt.batch(BACKEND, max_time=600)
        except (ServerError, APIConnectionError) as exc:
            failed[type(exc).__name__] += 1
            continue
        opened.append(batch.id)
        return batch


async def run_async_batches(
    server: EmulatorServer, first: int, batches: int, per_batch: int, opened: list[str]
) -> tuple[dict[int, AsyncJob], Counter[str]]:
    failed: Counter[str] = Counter()
    jobs: dict[int, AsyncJob] = {}

    async def one_batch(b: int) -> None:
        batch = await open_batch(rt, opened, failed)
        async with batch:
            sampler = batch.sampler()
            indices = range(first + b * per_batch, first + (b + 1) * per_batch)
            submitted = await asyncio.gather(
                *(sampler.run([SamplerPub(circuit(i % 32), shots=shots(i))]) for i in indices)
            )
            jobs.update(zip(indices, submitted, strict=True))
        # the block is left once everything is submitted: the batch takes no more jobs
        record = server.store.get_session(server.crn, batch.id)
        assert record is not None and record.accepting_jobs is False

    async with connect(server, AsyncRuntime, retry=RETRY) as rt:
        await asyncio.gather(*(one_batch(b) for b in range(batches)))
        ordered = sorted(jobs)
        results = await asyncio.gather(*(jobs[i].result(timeout=300, **POLL) for i in ordered))
        for i, result in zip(ordered, results, strict=True):
            assert result[0].data.meas.get_counts() == expected_counts(i), i
    return jobs, failed


def run_sync_session(
    server: EmulatorServer, first: int, count: int, opened: list[str]
) -> tuple[dict[int, Job], Counter[str]]:
    failed: Counter[str] = Counter()
    jobs: dict[int, Job] = {}
    with connect(server, Runtime, retry=RETRY) as rt:
        while True:
            try:
                session = rt.session(BACKEND, max_time=600)
                break
            except (ServerError, APIConnectionError) as exc:
                failed[type(exc).__name__] += 1
        opened.append(session.id)
        with session:
            sampler = session.sampler()
            for i in range(first, first + count):
                jobs[i] = sampler.run([SamplerPub(circuit(i % 32), shots=shots(i))])
        for i, job in jobs.items():
            assert job.result(timeout=300, **POLL)[0].data.meas.get_counts() == expected_counts(i)
    return jobs, failed


def wait_until(predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def check_server(server: EmulatorServer, jobs: dict[int, Any], opened: list[str]) -> dict[str, Any]:
    store = server.store
    with store.lock:
        records = list(store.jobs.values())
        sessions = dict(store.sessions)
    # one server job per submission, found by the idempotency tag the SDK sent
    by_tag = Counter(t for r in records for t in r.tags if is_idempotency_tag(t))
    sent = {job.idempotency_tag for job in jobs.values()}
    duplicated = {t: n for t, n in by_tag.items() if n > 1}
    lost = sent - set(by_tag)
    assert not duplicated, f"{len(duplicated)} submissions created more than one job"
    assert not lost, f"{len(lost)} submissions created no job"
    assert set(by_tag) == sent, "the server holds jobs nobody submitted"
    assert len(records) == len(jobs) == len(sent)
    assert {r.id for r in records} == {job.id for job in jobs.values()}
    assert all(r.status == "Completed" for r in records)
    # the jobs ran in the sessions the SDK opened, which all closed once their jobs were done
    assert {r.session_id for r in records} <= set(opened)

    def all_closed() -> bool:
        store.settle_sessions()
        return all(sessions[sid].state == "closed" for sid in opened)

    wait_until(all_closed)
    assert all(sessions[sid].accepting_jobs is False for sid in opened)
    orphans = [s for sid, s in sessions.items() if sid not in opened]
    assert all(not s.job_ids for s in orphans), "a job ran in a session the SDK never saw"
    stats = server.stats()
    return {
        "jobs submitted": len(jobs),
        "jobs on the server": stats["jobs"],
        "lost": len(lost),
        "duplicated": len(duplicated),
        "sessions opened by the SDK": len(opened),
        "sessions left open by the SDK": sum(sessions[s].state != "closed" for s in opened),
        "orphan sessions (ambiguous POST /sessions, empty)": len(orphans),
        "faults": stats["faults"],
        "requests": stats["requests"],
    }


def run_scenario(
    make_emulator: Callable[..., EmulatorServer],
    caplog: pytest.LogCaptureFixture,
    *,
    batches: int,
    per_batch: int,
    sync_jobs: int,
) -> dict[str, Any]:
    server = make_emulator(EmulatorConfig(strict_responses=True, workers=2, seed=7))
    server.set_faults(FAULTS)
    caplog.set_level(logging.INFO, logger="qiskit_runtime_rest")
    opened: list[str] = []
    t0 = time.perf_counter()
    async_jobs, failed_async = asyncio.run(run_async_batches(server, 0, batches, per_batch, opened))
    first = batches * per_batch
    sync_jobs_done, failed_sync = run_sync_session(server, first, sync_jobs, opened)
    elapsed = time.perf_counter() - t0
    server.set_faults(None)
    figures = check_server(server, {**async_jobs, **sync_jobs_done}, opened)
    messages = [r.getMessage() for r in caplog.records]
    figures["adopted after an ambiguous failure"] = sum("adopted job" in m for m in messages)
    figures["submitted again (not found by tag)"] = sum("submitting again" in m for m in messages)
    figures["session opens that failed"] = dict(failed_async + failed_sync)
    figures["seconds"] = round(elapsed, 1)
    print("\n== faults run: " + "; ".join(f"{k}: {v}" for k, v in figures.items()))
    faults = figures["faults"]
    # the scenario really exercised every kind of fault, and the ambiguous cases
    for kind in ("429", "500", "503", "drop"):
        assert faults.get(kind, 0) > 0, (kind, faults)
    assert any(k.endswith("_after") for k in faults), faults
    assert faults["total"] >= 0.15 * figures["requests"], faults
    assert figures["adopted after an ambiguous failure"] > 0, figures
    return figures


def test_240_jobs_under_faults_all_complete_once_and_correctly(
    make_emulator: Callable[..., EmulatorServer], caplog: pytest.LogCaptureFixture
) -> None:
    run_scenario(make_emulator, caplog, batches=4, per_batch=50, sync_jobs=40)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_1200_jobs_under_faults_all_complete_once_and_correctly(
    make_emulator: Callable[..., EmulatorServer], caplog: pytest.LogCaptureFixture
) -> None:
    run_scenario(make_emulator, caplog, batches=10, per_batch=100, sync_jobs=200)
