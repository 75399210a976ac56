"""Figure 5: many small jobs in one batch, ``AsyncRuntime`` against sequential ``Runtime``.

Async: inside ``async with rt.batch(backend)``, ``asyncio.gather`` of N ``sampler.run()`` calls,
then ``asyncio.gather`` of ``job.wait()``. Sync: inside ``with rt.batch(backend)``, N
``sampler.run()`` calls one after another, then ``rt.wait_all(jobs)``. Both wait with the SDK's
default schedule (0.2 s, x1.5 per poll, at most 5 s). The clock runs from opening the batch until
every job is final; the rate is jobs per second.

The emulator runs in its own process with enough workers that executing the (trivial) jobs is
not the bottleneck. The second pair of rows adds a fixed latency to every API request on the
server side (``FaultConfig(latency=...)``), as a WAN round trip to the real service would. Rows
marked "<= k in flight" run the same SDK calls behind a tighter semaphore in user code over a
k-connection pool, for comparison with the SDK's own bound (``max_concurrency``, default 16).
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import TYPE_CHECKING, Any

import httpx
from bench_client import BELL, connect_runtime
from bench_common import Row, Section, Target
from bench_emulator import EmulatorProcess

if TYPE_CHECKING:
    from qiskit_runtime_rest import AsyncJob

__all__ = ["run"]

BACKEND = "ibm_emulator_simulator"  # runs the hand-written Bell circuit (not an ISA circuit)
SHOTS = 10
WORKERS = 8
LATENCY_S = 0.02
BOUND_LOOPBACK = 8
BOUND_LATENCY = 16
TARGET = Target("ratio_min", 8.0, ">= 8x")


async def _async_batch(emu: EmulatorProcess, n: int, bound: int | None = None) -> dict[str, Any]:
    """The async side; ``bound``: at most that many calls in flight (a semaphore in user code)
    over a pool of as many connections (``transport=``), instead of the SDK's defaults."""
    from qiskit_runtime_rest import AsyncSampler, SamplerPub

    kwargs: dict[str, Any] = {}
    if bound is not None:
        limits = httpx.Limits(max_connections=bound, max_keepalive_connections=bound)
        kwargs["transport"] = httpx.AsyncHTTPTransport(limits=limits)
    gate = asyncio.Semaphore(bound or n)

    async def submit(sampler: AsyncSampler) -> AsyncJob:
        async with gate:
            return await sampler.run([SamplerPub(BELL, shots=SHOTS)])

    async def wait(job: AsyncJob) -> str:
        async with gate:
            return await job.wait()

    async with connect_runtime(emu, asynchronous=True, **kwargs) as rt:
        warm = await rt.sampler(BACKEND).run([SamplerPub(BELL, shots=SHOTS)])
        await warm.wait()
        cpu = _cpu(emu)
        start = time.perf_counter()
        async with rt.batch(BACKEND) as batch:
            sampler = batch.sampler()
            jobs = await asyncio.gather(*(submit(sampler) for _ in range(n)))
        submitted = time.perf_counter()
        statuses = await asyncio.gather(*(wait(job) for job in jobs))
        done = time.perf_counter()
    return _outcome(n, start, submitted, done, statuses, cpu, _cpu(emu))


def _sync_batch(emu: EmulatorProcess, n: int) -> dict[str, Any]:
    from qiskit_runtime_rest import SamplerPub

    with connect_runtime(emu) as rt:
        rt.sampler(BACKEND).run([SamplerPub(BELL, shots=SHOTS)]).wait()
        cpu = _cpu(emu)
        start = time.perf_counter()
        with rt.batch(BACKEND) as batch:
            sampler = batch.sampler()
            jobs = [sampler.run([SamplerPub(BELL, shots=SHOTS)]) for _ in range(n)]
        submitted = time.perf_counter()
        statuses = rt.wait_all(jobs)
        done = time.perf_counter()
    return _outcome(n, start, submitted, done, statuses, cpu, _cpu(emu))


def _cpu(emu: EmulatorProcess) -> tuple[float, float]:
    """(client, server) CPU seconds so far."""
    return time.process_time(), emu.cpu_seconds()


def _outcome(
    n: int,
    start: float,
    submitted: float,
    done: float,
    statuses: list[str],
    cpu0: tuple[float, float],
    cpu1: tuple[float, float],
) -> dict[str, Any]:
    return {
        "jobs": n,
        "seconds": done - start,
        "jobs_per_s": n / (done - start),
        "submit_seconds": submitted - start,
        "submit_jobs_per_s": n / (submitted - start),
        "wait_seconds": done - submitted,
        "completed": sum(1 for s in statuses if s.lower() == "completed"),
        "client_cpu_ms_per_job": (cpu1[0] - cpu0[0]) / n * 1e3,
        "server_cpu_ms_per_job": (cpu1[1] - cpu0[1]) / n * 1e3,
    }


def _row(name: str, fast: dict[str, Any], slow: dict[str, Any], target: Target | None) -> Row:
    return Row(
        f"{name} ({fast['jobs']} jobs) vs Runtime ({slow['jobs']} jobs)",
        "jobs/s",
        fast["jobs_per_s"],
        slow["jobs_per_s"],
        target,
        baseline_name="sync Runtime: sequential submission, then wait_all",
        details={"async": fast, "sync": slow},
    )


def run(quick: bool) -> Section:
    n_async = 100 if quick else 1000
    n_sync = 50 if quick else 1000
    n_sync_latency = 20 if quick else 200
    section = Section("concurrency", "5. Concurrency: one batch of trivial jobs")
    section.config = {
        "emulator": {"workers": WORKERS, "process": "separate", "transport": "HTTP loopback"},
        "backend": BACKEND,
        "shots": SHOTS,
        "async_jobs": n_async,
        "sync_jobs": n_sync,
        "sync_jobs_with_latency": n_sync_latency,
        "injected_latency_s": LATENCY_S,
        "wait": "SDK default schedule (0.2 s, x1.5, max 5 s); async: gather(job.wait()); "
        "sync: rt.wait_all(jobs)",
        "http_pool": "SDK default (httpx: 100 connections), or `bound` where noted",
        "bound_loopback": BOUND_LOOPBACK,
        "bound_latency": BOUND_LATENCY,
    }
    with EmulatorProcess(workers=WORKERS) as emu:
        slow = _sync_batch(emu, n_sync)
        fast = asyncio.run(_async_batch(emu, n_async))
        bounded = asyncio.run(_async_batch(emu, n_async, BOUND_LOOPBACK))
        emu.set_faults({"latency": LATENCY_S})
        slow_wan = _sync_batch(emu, n_sync_latency)
        fast_wan = asyncio.run(_async_batch(emu, n_async))
        bounded_wan = asyncio.run(_async_batch(emu, n_async, BOUND_LATENCY))
        emu.set_faults(None)
        section.config["emulator_stats"] = emu.stats()
    wan = f"+{LATENCY_S * 1e3:.0f} ms/request"
    section.rows += [
        _row("loopback: AsyncRuntime", fast, slow, TARGET),
        _row(f"loopback: AsyncRuntime, <= {BOUND_LOOPBACK} in flight", bounded, slow, None),
        _row(f"{wan}: AsyncRuntime", fast_wan, slow_wan, TARGET),
        _row(f"{wan}: AsyncRuntime, <= {BOUND_LATENCY} in flight", bounded_wan, slow_wan, None),
    ]
    cpu_ms = bounded["client_cpu_ms_per_job"] + bounded["server_cpu_ms_per_job"]
    cores = len(os.sched_getaffinity(0))
    ceiling = cores / (cpu_ms / 1e3)
    section.config["loopback_ceiling_jobs_per_s"] = ceiling
    section.notes.append(
        f"loopback ceiling: client and emulator share {cores} cores and a job costs "
        f"{bounded['client_cpu_ms_per_job']:.1f} ms client + "
        f"{bounded['server_cpu_ms_per_job']:.1f} ms server CPU (bounded async run), so async "
        f"cannot exceed ~{ceiling:.0f} jobs/s here, {ceiling / slow['jobs_per_s']:.1f}x the sync "
        "rate: on loopback sync pays no latency to hide; 8x needs a remote service's round trip"
    )
    section.notes.append(
        "'<= k in flight': the same AsyncRuntime calls behind an asyncio.Semaphore(k) in user "
        "code, over transport=httpx.AsyncHTTPTransport(limits=k connections), for comparison "
        "with the SDK's own bound (AsyncRuntime(max_concurrency=16) by default)"
    )
    if n_sync != n_async or n_sync_latency != n_async:
        section.notes.append(
            "sync rates measured on fewer jobs where noted (a rate is a rate: sequential "
            "submission does not speed up or slow down with N)"
        )
    return section
