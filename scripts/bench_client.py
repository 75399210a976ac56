"""Figure 2: what the SDK adds to one small job, against raw httpx doing the same HTTP calls.

Both sides talk to the same emulator process over loopback, with one keep-alive connection and
an IAM token fetched once (before timing). One job = ``POST /jobs``, ``GET /jobs/{id}`` polls
(``exclude_params=true``) until final, ``GET /jobs/{id}/results``, decode. The poll schedule is
identical: poll at once, then every ``POLL_S`` (the SDK's minimum interval, with growth disabled
by ``max_poll_interval=POLL_S``). Jobs alternate SDK / raw and the median is reported, along with
the client's own CPU time per job (the server runs in another process, so ``process_time`` is
purely client work) and the requests per job counted by the server.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
from bench_common import FINAL_STATUSES, Row, Section, Target, bare_decode, median, p90
from bench_emulator import Emulator, EmulatorProcess

__all__ = ["BELL", "Contender", "RawClient", "connect_runtime", "run"]

BACKEND = "ibm_emulator_simulator"  # runs the hand-written Bell circuit (not an ISA circuit)
SHOTS = 100
POLL_S = 0.01
SETTLE_S = 0.05
MIN_REQUESTS = 3  # POST /jobs, GET /jobs/{id}, GET /jobs/{id}/results
WARMUP = 5
WORKERS = 4
BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; '
    "h q[0]; cx q[0], q[1]; meas = measure q;"
)
TARGET = Target("ratio_max", 1.3, "<= 1.3x")


def connect_runtime(emu: EmulatorProcess, *, asynchronous: bool = False, **kwargs: Any) -> Any:
    """A ``Runtime`` (or ``AsyncRuntime``) on the emulator process, as a user would build it."""
    from qiskit_runtime_rest import AsyncRuntime, Runtime

    cls = AsyncRuntime if asynchronous else Runtime
    return cls(
        api_key=emu.api_key,
        instance=emu.crn,
        url=emu.url,
        iam_url=emu.iam_url,
        trust_env=False,
        **kwargs,
    )


def raw_headers(emu: Emulator, http: httpx.Client | None = None) -> dict[str, str]:
    """IAM token exchange by hand, then the headers every API call carries."""
    from qiskit_runtime_rest.client import DEFAULT_API_VERSION

    client = http or httpx.Client(trust_env=False)
    try:
        answer = client.post(
            f"{emu.iam_url}/identity/token",
            data={"grant_type": "urn:ibm:params:oauth:grant-type:apikey", "apikey": emu.api_key},
        )
        answer.raise_for_status()
    finally:
        if http is None:
            client.close()
    return {
        "Authorization": f"Bearer {answer.json()['access_token']}",
        "Service-CRN": emu.crn,
        "IBM-API-Version": DEFAULT_API_VERSION,
    }


def sampler_body(qasm: str, shots: int, backend: str = BACKEND) -> dict[str, Any]:
    """The ``POST /jobs`` body a hand-written client sends."""
    return {
        "program_id": "sampler",
        "backend": backend,
        "params": {"pubs": [[qasm, None, shots]], "version": 2, "support_qiskit": True},
    }


class RawClient:
    """The baseline: httpx and the bare decoder, nothing else."""

    def __init__(self, emu: EmulatorProcess) -> None:
        self.http = httpx.Client(base_url=emu.url, timeout=30.0, trust_env=False)
        self.http.headers.update(raw_headers(emu, self.http))

    def submit(self, body: dict[str, Any]) -> str:
        created = self.http.post("/jobs", json=body)
        created.raise_for_status()
        return str(created.json()["id"])

    def finish(self, job_id: str, poll: float) -> list[Any]:
        """Poll at once, then every ``poll`` seconds; fetch and decode the result."""
        http = self.http
        while True:
            answer = http.get(f"/jobs/{job_id}", params={"exclude_params": "true"})
            answer.raise_for_status()
            status = answer.json()["status"]
            if status in FINAL_STATUSES:
                break
            time.sleep(poll)
        if status != "Completed":
            raise RuntimeError(f"job {job_id} {status}")
        while True:
            result = http.get(f"/jobs/{job_id}/results")
            result.raise_for_status()
            if result.status_code == 200 and result.content:
                return bare_decode(result.content)
            time.sleep(poll)  # 204: final but not stored yet

    def close(self) -> None:
        self.http.close()


class Contender:
    """One client under test: submit a job, then wait for, fetch and decode its result; the
    figures of each job it ran."""

    def __init__(self, submit: Callable[[], Any], finish: Callable[[Any], object]) -> None:
        self.submit = submit
        self.finish = finish
        self.active: list[float] = []
        self.cpu: list[float] = []
        self.requests: list[int] = []
        self.end_to_end: list[float] = []

    def reset(self) -> None:
        """Forget the jobs run so far (after a warm-up)."""
        for samples in (self.active, self.cpu, self.requests, self.end_to_end):
            samples.clear()

    def settled_job(self, emu: EmulatorProcess) -> None:
        """Submit, pause SETTLE_S (not timed), finish: the job is final by the first poll."""
        r0 = emu.stats()["requests"]
        c0, t0 = time.process_time(), time.perf_counter()
        handle = self.submit()
        t1, c1 = time.perf_counter(), time.process_time()
        time.sleep(SETTLE_S)
        c2, t2 = time.process_time(), time.perf_counter()
        self.finish(handle)
        t3, c3 = time.perf_counter(), time.process_time()
        self.requests.append(emu.stats()["requests"] - r0)
        self.active.append((t1 - t0) + (t3 - t2))
        self.cpu.append((c1 - c0) + (c3 - c2))

    def minimal(self) -> list[float]:
        """Active times of the jobs that took the minimal 3 requests (a loaded machine can
        make a job miss the first poll; those would include a poll pause)."""
        kept = [t for t, r in zip(self.active, self.requests, strict=True) if r == MIN_REQUESTS]
        return kept or self.active

    def racing_job(self) -> None:
        """Submit and poll at once, as ``job.result()`` right after ``run()`` does."""
        t0 = time.perf_counter()
        self.finish(self.submit())
        self.end_to_end.append(time.perf_counter() - t0)


def run(quick: bool) -> Section:
    from qiskit_runtime_rest import SamplerPub

    jobs = 10 if quick else 60
    section = Section("client", "2. Client overhead per job (submit + poll + fetch + decode)")
    section.config = {
        "emulator": {"workers": WORKERS, "process": "separate", "transport": "HTTP loopback"},
        "backend": BACKEND,
        "shots": SHOTS,
        "poll_interval_s": POLL_S,
        "poll_growth": "none (max_poll_interval = poll_interval)",
        "settle_pause_s": SETTLE_S,
        "jobs_each": jobs,
        "warmup_jobs_each": WARMUP,
        "order": "alternating SDK / raw",
        "statistic": "median",
    }
    with EmulatorProcess(workers=WORKERS) as emu:
        rt = connect_runtime(emu)
        raw = RawClient(emu)
        sampler = rt.sampler(BACKEND)
        body = sampler_body(BELL, SHOTS)
        sdk = Contender(
            lambda: sampler.run([SamplerPub(BELL, shots=SHOTS)]),
            lambda job: job.result(poll_interval=POLL_S, max_poll_interval=POLL_S),
        )
        base = Contender(lambda: raw.submit(body), lambda job_id: raw.finish(job_id, POLL_S))
        try:
            for side in (sdk, base):  # token, connection, lazy imports
                for _ in range(WARMUP):
                    side.racing_job()
                side.reset()
            for _ in range(jobs):
                for side in (sdk, base):
                    side.settled_job(emu)
            for _ in range(jobs):
                for side in (sdk, base):
                    side.racing_job()
        finally:
            raw.close()
            rt.close()
    sdk_active, base_active = sdk.minimal(), base.minimal()
    section.rows.append(
        Row(
            "SDK vs raw httpx: active wall per job (same 3 requests)",
            "s",
            median(sdk_active),
            median(base_active),
            TARGET,
            baseline_name="raw httpx + bare decode, same HTTP sequence",
            details={
                "jobs_with_3_requests": len(sdk_active),
                "baseline_jobs_with_3_requests": len(base_active),
                "requests_per_job": sdk.requests,
                "baseline_requests_per_job": base.requests,
                "p90_s": p90(sdk_active),
                "baseline_p90_s": p90(base_active),
                "samples_s": sdk.active,
                "baseline_samples_s": base.active,
            },
        )
    )
    section.rows.append(
        Row(
            "SDK vs raw httpx: client CPU per job",
            "s",
            median(sdk.cpu),
            median(base.cpu),
            baseline_name="raw httpx + bare decode",
            details={"samples_s": sdk.cpu, "baseline_samples_s": base.cpu},
        )
    )
    section.rows.append(
        Row(
            "SDK vs raw httpx: end-to-end wall per job, polling at once",
            "s",
            median(sdk.end_to_end),
            median(base.end_to_end),
            baseline_name="raw httpx, same poll schedule",
            details={
                "p90_s": p90(sdk.end_to_end),
                "baseline_p90_s": p90(base.end_to_end),
                "samples_s": sdk.end_to_end,
                "baseline_samples_s": base.end_to_end,
            },
        )
    )
    section.notes.append(
        f"active wall = submit + (poll, fetch, decode), with an untimed {SETTLE_S * 1e3:.0f} ms "
        "pause between them on both sides so that each job is final at the first poll; median "
        f"over the jobs that took exactly 3 requests (counted by the server): SDK "
        f"{len(sdk_active)}/{jobs}, raw {len(base_active)}/{jobs}"
    )
    section.notes.append(
        "end-to-end row: result() right after run(), polling at once then every "
        f"{POLL_S * 1e3:.0f} ms on both sides; whether the first poll finds the job final is a "
        "race with the emulator's worker, so this row measures the schedule as much as the client"
    )
    return section
