"""Figure 10: how the client's cost grows with the number of jobs.

**Jobs in flight.** ``AsyncRuntime`` submits N trivial Sampler jobs at once (``asyncio.gather``
of N ``sampler.run()``), then waits for and downloads all their results (``asyncio.gather`` of
N ``job.result()``, the SDK's default poll schedule), for N in ``SIZES``. Each N runs in a fresh
client process (``python scripts/bench_growth.py <json>``, this file), so that its peak RSS is
its own: after one warm-up job (imports, token, connections) the process resets its RSS peak
(``/proc/self/clear_refs``), then reports its CPU time per job and how far its RSS rose above
the level it had before the jobs (peak ``VmHWM`` minus ``VmRSS``). The emulator runs in a
process of its own and counts the requests. Each row's baseline is the same figure at
``REFERENCE`` = 100 jobs (10 jobs move the RSS by a few pages only, too little to divide): the
ratio shows how the cost *per job* grows with N (1.0x: the total grows linearly).

**Listing.** ``for job in rt.jobs(limit=L)`` over the jobs the first part left in the emulator,
for L in ``LISTED``: the peak of memory traced by ``tracemalloc`` while iterating (the SDK
fetches pages as the loop goes, so the peak should not depend on L), and, untraced, the time per
job listed. The baseline is the same figure at the smallest L.

``--quick`` runs N = 10, 100 and lists 10 and 100 jobs; the full run goes to 10,000 jobs in
flight and lists 1,000 and 10,000: about 100 s on 2 cores, 85 s of it the 10,000-job run (the
emulator runs 11,000 jobs in all, and the listing needs 10,000 of them, so the largest size stays
in the default run; ``--only`` leaves the figure out).
"""

from __future__ import annotations

import asyncio
import gc
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench_common import Row, Section, Target, peak_memory

__all__ = ["run"]

BACKEND = "ibm_emulator_simulator"  # runs the hand-written Bell circuit (not an ISA circuit)
SHOTS = 10
WORKERS = 8
SIZES = (10, 100, 1000, 10_000)
REFERENCE = 100  # in SIZES and QUICK_SIZES
QUICK_SIZES = (10, 100)
LISTED = (1000, 10_000)
QUICK_LISTED = (10, 100)
FLAT = Target("ratio_max", 1.5, "<= 1.5x")
BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; '
    "h q[0]; cx q[0], q[1]; meas = measure q;"
)


# -- the client process ----------------------------------------------------------------------


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak_rss() -> bool:
    """Set this process's ``VmHWM`` to its current RSS (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return True


async def _in_flight(config: dict[str, Any]) -> dict[str, Any]:
    from qiskit_runtime_rest import AsyncRuntime, SamplerPub

    n = int(config["jobs"])
    async with AsyncRuntime(
        api_key=config["api_key"],
        instance=config["crn"],
        url=config["url"],
        iam_url=config["iam_url"],
        trust_env=False,
    ) as rt:
        sampler = rt.sampler(BACKEND)
        await (await sampler.run([SamplerPub(BELL, shots=SHOTS)])).result()
        gc.collect()
        reset = _reset_peak_rss()
        rss0 = _status_kb("VmRSS") * 1024
        c0, t0 = time.process_time(), time.perf_counter()
        jobs = await asyncio.gather(
            *(sampler.run([SamplerPub(BELL, shots=SHOTS)]) for _ in range(n))
        )
        t1 = time.perf_counter()
        results = await asyncio.gather(*(job.result() for job in jobs))
        t2, c2 = time.perf_counter(), time.process_time()
        hwm = _status_kb("VmHWM") * 1024
        shots = sum(r[0].data.meas.num_shots for r in results)
    return {
        "jobs": n,
        "cpu_s": c2 - c0,
        "cpu_per_job_s": (c2 - c0) / n,
        "wall_s": t2 - t0,
        "submit_s": t1 - t0,
        "jobs_per_s": n / (t2 - t0),
        "rss_before_bytes": rss0,
        "peak_rss_bytes": hwm,
        "rss_growth_bytes": hwm - rss0,
        "rss_growth_per_job_bytes": (hwm - rss0) / n,
        "peak_reset": reset,
        "shots_received": shots,
    }


def _client(emu: Any, n: int) -> dict[str, Any]:
    config = {"jobs": n, "url": emu.url, "iam_url": emu.iam_url}
    config |= {"api_key": emu.api_key, "crn": emu.crn}
    r0, cpu0 = emu.stats()["requests"], emu.cpu_seconds()
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), json.dumps(config)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if out.returncode != 0:
        raise RuntimeError(f"the client process for {n} jobs failed:\n{out.stderr}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    # The warm-up job's requests (about 3) are counted too: negligible from 100 jobs on.
    result["requests_per_job"] = (emu.stats()["requests"] - r0) / n
    result["server_cpu_per_job_s"] = (emu.cpu_seconds() - cpu0) / n
    return result


# -- listing -----------------------------------------------------------------------------------


def _listing(emu: Any, sizes: tuple[int, ...]) -> dict[int, dict[str, Any]]:
    from bench_client import connect_runtime

    out: dict[int, dict[str, Any]] = {}
    with connect_runtime(emu) as rt:
        next(iter(rt.jobs(limit=1)))  # token, connection, lazy imports

        def walk(limit: int) -> int:
            return sum(1 for _ in rt.jobs(limit=limit))

        for size in sizes:
            c0, t0 = time.process_time(), time.perf_counter()
            listed = walk(size)
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
            out[size] = {
                "listed": listed,
                "seconds": seconds,
                "per_job_s": seconds / max(listed, 1),
                "cpu_per_job_s": cpu / max(listed, 1),
                "peak_traced_bytes": peak_memory(lambda size=size: walk(size)),
            }
    return out


# -- the figure --------------------------------------------------------------------------------


def run(quick: bool) -> Section:
    from bench_emulator import EmulatorProcess

    sizes = QUICK_SIZES if quick else SIZES
    listed = QUICK_LISTED if quick else LISTED
    section = Section("growth", "10. How cost grows: jobs in flight (AsyncRuntime), listing")
    section.config = {
        "emulator": {"workers": WORKERS, "process": "separate", "transport": "HTTP loopback"},
        "backend": BACKEND,
        "shots": SHOTS,
        "jobs_in_flight": list(sizes),
        "jobs_listed": list(listed),
        "client": "a fresh process per size; AsyncRuntime defaults (16 requests in flight)",
        "memory": "in flight: peak RSS above the level before the jobs; listing: tracemalloc peak",
        "baseline": f"in flight: the same figure at {REFERENCE} jobs; listing: at the smaller size",
    }
    with EmulatorProcess(workers=WORKERS) as emu:
        runs = {n: _client(emu, n) for n in sizes}
        lists = _listing(emu, listed)
    ref = runs[REFERENCE]
    for n, r in runs.items():
        section.rows.append(
            Row(
                f"{n:,} jobs in flight: client CPU per job",
                "s",
                r["cpu_per_job_s"],
                ref["cpu_per_job_s"],
                FLAT,
                baseline_name=f"the same at {REFERENCE} jobs",
                details=r,
            )
        )
        section.rows.append(
            Row(
                f"{n:,} jobs in flight: client peak RSS growth per job",
                "B",
                r["rss_growth_per_job_bytes"],
                ref["rss_growth_per_job_bytes"],
                FLAT,
                baseline_name=f"the same at {REFERENCE} jobs",
                details={"rss_growth_bytes": r["rss_growth_bytes"]},
            )
        )
    small, large = lists[listed[0]], lists[listed[-1]]
    section.rows.append(
        Row(
            f"rt.jobs() over {large['listed']:,} jobs: peak traced memory",
            "B",
            large["peak_traced_bytes"],
            small["peak_traced_bytes"],
            FLAT,
            baseline_name=f"the same over {small['listed']:,} jobs",
            details={"listing": {str(k): v for k, v in lists.items()}},
        )
    )
    section.rows.append(
        Row(
            f"rt.jobs() over {large['listed']:,} jobs: time per job listed",
            "s",
            large["per_job_s"],
            small["per_job_s"],
            baseline_name=f"the same over {small['listed']:,} jobs",
            details={"cpu_per_job_s": large["cpu_per_job_s"]},
        )
    )
    section.notes.append(
        "jobs in flight, per size (jobs/s, requests per job, server CPU per job): "
        + "; ".join(
            f"{n:,}: {r['jobs_per_s']:.0f}/s, {r['requests_per_job']:.1f} req, "
            f"{r['server_cpu_per_job_s'] * 1e3:.1f} ms"
            for n, r in runs.items()
        )
    )
    if not all(r["peak_reset"] for r in runs.values()):
        section.notes.append("could not reset the RSS peak: growth includes start-up")
    return section


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_in_flight(json.loads(sys.argv[1])))))
