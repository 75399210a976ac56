"""Figure 7: one small job and one large result, against qiskit-ibm-runtime doing the same work.

Three comparisons with the official client (`qiskit-ibm-runtime`_, unmodified), each measured in
the same run on the same machine:

* **Offline, end to end.** A Bell job of ``LOCAL_SHOTS`` shots through ``Runtime.local()`` (our
  SDK and the emulator in this process, the SDK's default poll schedule) against the official
  client's local testing mode, ``SamplerV2(mode=FakeManilaV2())`` (qiskit-aer in this process, no
  HTTP), given the Bell circuit transpiled once for the fake backend. Wall time from ``run()`` to
  the decoded result, alternating sides; the median is reported.
* **Same emulator.** Both clients against one emulator in its own process (so ``process_time``
  of this process is client work only): ours with the SDK, the official client set up as in the
  guide "The official client on the emulator", docs/guides/official-client.md (``IAM_URL``,
  ``QISKIT_FUNCTIONS_EXPERIMENTAL=1``, the emulator's ``/experimental/api/v1`` URL). Same circuit
  (the Bell circuit transpiled once for the backend; ours receives it as the OpenQASM 3 text of
  that ISA circuit, the official client as the ``QuantumCircuit``, which it serialises per job),
  same shots. Per job: ``run()`` (timed), an untimed pause so that the job is final by the first
  status check, then ``result()`` (timed): the client's active wall and CPU, as in figure 2. A
  last row has each client poll on its own default schedule right after ``run()``.
* **Decoding.** :func:`qiskit_runtime_rest.codec.decode_result` against
  ``json.loads(data, cls=RuntimeDecoder)`` (what the official client's ``ResultDecoder`` does
  with a downloaded result) on the same bytes: a Sampler result of 100 PUBs x 4096 shots x 127
  bits in the emulator's wire form.

.. _qiskit-ibm-runtime: https://github.com/Qiskit/qiskit-ibm-runtime
"""

from __future__ import annotations

import contextlib
import os
import time
import warnings
from collections.abc import Iterator
from typing import Any

from bench_client import MIN_REQUESTS, SETTLE_S, Contender, connect_runtime
from bench_common import Row, Section, Target, interleaved, median, p90, peak_memory
from bench_decode import sampler_payload
from bench_emulator import EmulatorProcess

__all__ = ["run"]

BACKEND = "ibm_emulator_5q"
LOCAL_SHOTS = 1000
SHOTS = 100
WORKERS = 4
WARMUP = 3
LOCAL_TARGET = Target("ratio_max", 0.5, "<= 0.5x")
CPU_TARGET = Target("ratio_max", 0.33, "<= 0.33x")
DECODE_TARGET = Target("ratio_max", 1.0, "<= 1.0x")
OFFICIAL = "qiskit-ibm-runtime"


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """qiskit-ibm-runtime 0.51 deprecates SamplerV2 (a DeprecationWarning per instance) and logs
    a warning when an account is given by token; neither is part of what is measured."""
    import logging

    log = logging.getLogger("qiskit_ibm_runtime")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            yield
    finally:
        log.setLevel(level)


@contextlib.contextmanager
def _environ(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _bell_circuit() -> Any:
    from qiskit import QuantumCircuit

    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.measure_all()
    return circuit


# -- offline: Runtime.local() against the local testing mode ------------------------------


def _offline(section: Section, repeat: int) -> None:
    from qiskit import qasm3
    from qiskit.transpiler import generate_preset_pass_manager
    from qiskit_ibm_runtime import SamplerV2
    from qiskit_ibm_runtime.fake_provider import FakeManilaV2
    from qiskit_runtime_emulator.config import EmulatorConfig
    from qiskit_runtime_rest import Runtime, SamplerPub
    from qiskit_runtime_rest.polling import LOCAL_POLL

    start = time.perf_counter()
    # The emulator serves the same calibration snapshot, with the same noise model.
    rt = Runtime.local(EmulatorConfig(fake_backends=("FakeManilaV2=fake_manila",)))
    startup = time.perf_counter() - start
    try:
        ours = rt.sampler("fake_manila")
        fake = FakeManilaV2()
        isa = generate_preset_pass_manager(backend=fake, optimization_level=1).run(_bell_circuit())
        isa_qasm = qasm3.dumps(isa)
        with _quiet():
            theirs = SamplerV2(mode=fake)
        counts: dict[str, Any] = {}
        requests: list[int] = []

        def run_ours() -> None:
            before = rt.emulator.stats()["requests"]
            result = ours.run([SamplerPub(isa_qasm, shots=LOCAL_SHOTS)]).result()
            requests.append(rt.emulator.stats()["requests"] - before)
            counts["ours"] = result[0].data.meas.get_counts()

        def run_theirs() -> None:
            result = theirs.run([isa], shots=LOCAL_SHOTS).result()
            counts["official"] = result[0].data.meas.get_counts()

        with _quiet():
            samples = interleaved({"ours": run_ours, "theirs": run_theirs}, repeat=repeat)
    finally:
        rt.close()
    # interleaved() ran one warm-up round first; a job that took 3 requests was final at the
    # first poll (made at once), one that took more slept on Runtime.local()'s schedule.
    at_once = sum(1 for r in requests[1:] if r <= MIN_REQUESTS)
    section.rows.append(
        Row(
            f"Bell job offline, {LOCAL_SHOTS} shots, run() to result: Runtime.local()",
            "s",
            median(samples["ours"]),
            median(samples["theirs"]),
            LOCAL_TARGET,
            baseline_name=f"{OFFICIAL} local testing mode: SamplerV2(mode=FakeManilaV2())",
            details={
                "runtime_local_startup_s": startup,
                "poll_schedule": (
                    f"Runtime.local(): at once, then {LOCAL_POLL.interval} s, "
                    f"x{LOCAL_POLL.growth}, max {LOCAL_POLL.max_interval} s"
                ),
                "requests_per_job": requests[1:],
                "jobs_final_at_first_poll": at_once,
                "mean_s": sum(samples["ours"]) / len(samples["ours"]),
                "p90_s": p90(samples["ours"]),
                "baseline_p90_s": p90(samples["theirs"]),
                "samples_s": samples["ours"],
                "baseline_samples_s": samples["theirs"],
                "last_counts": counts,
            },
        )
    )
    section.notes.append(
        f"offline row: {at_once} of {len(requests) - 1} jobs were final at the SDK's first poll "
        f"(made at once); the others were checked again {LOCAL_POLL.interval * 1e3:.0f} ms later "
        "and on (Runtime.local()'s poll schedule, LOCAL_POLL)"
    )
    section.notes.append(
        f"offline row: Runtime.local() started in {startup:.2f} s (not counted); both sides "
        "simulate FakeManilaV2's calibration noise with qiskit-aer (the emulator serves the "
        "snapshot as fake_manila), the same ISA circuit and shots"
    )


# -- both clients against the same emulator ------------------------------------------------


def _same_emulator(section: Section, jobs: int, e2e_jobs: int) -> None:
    from qiskit import qasm3
    from qiskit.transpiler import generate_preset_pass_manager
    from qiskit_runtime_rest import SamplerPub

    with (
        EmulatorProcess(workers=WORKERS) as emu,
        _environ(IAM_URL=emu.iam_url, QISKIT_FUNCTIONS_EXPERIMENTAL="1"),
        _quiet(),
    ):
        from qiskit_ibm_runtime import QiskitRuntimeService, SamplerV2

        service = QiskitRuntimeService(
            channel="ibm_quantum_platform",
            token=emu.api_key,
            instance=emu.crn,
            url=emu.client_url,
        )
        backend = service.backend(BACKEND)
        isa = generate_preset_pass_manager(backend=backend, optimization_level=1).run(
            _bell_circuit()
        )
        isa_qasm = qasm3.dumps(isa)
        theirs = SamplerV2(mode=backend)
        rt = connect_runtime(emu)
        try:
            ours = rt.sampler(BACKEND)
            sides = {
                "ours": Contender(
                    lambda: ours.run([SamplerPub(isa_qasm, shots=SHOTS)]),
                    lambda job: job.result(),
                ),
                "circuit": Contender(
                    lambda: ours.run([SamplerPub(isa, shots=SHOTS)]),
                    lambda job: job.result(),
                ),
                "official": Contender(
                    lambda: theirs.run([isa], shots=SHOTS), lambda job: job.result()
                ),
            }
            for side in sides.values():  # tokens, connections, lazy imports, QPY tables
                for _ in range(WARMUP):
                    side.settled_job(emu)
                side.reset()
            for _ in range(jobs):
                for side in sides.values():
                    side.settled_job(emu)
            for _ in range(e2e_jobs):
                for key in ("ours", "official"):
                    sides[key].racing_job()
        finally:
            rt.close()
    ours_side, circuit_side, official = sides["ours"], sides["circuit"], sides["official"]
    common = {
        "shots": SHOTS,
        "jobs_each": jobs,
        "requests_per_job": ours_side.requests,
        "baseline_requests_per_job": official.requests,
    }
    section.rows.append(
        Row(
            "client CPU per small job (run + result), same emulator: Runtime",
            "s",
            median(ours_side.cpu),
            median(official.cpu),
            CPU_TARGET,
            baseline_name=f"{OFFICIAL} SamplerV2(mode=backend), same ISA circuit and shots",
            details={
                **common,
                "samples_s": ours_side.cpu,
                "baseline_samples_s": official.cpu,
            },
        )
    )
    section.rows.append(
        Row(
            "client active wall per small job (run + result), same emulator: Runtime",
            "s",
            median(ours_side.active),
            median(official.active),
            baseline_name=f"{OFFICIAL} SamplerV2(mode=backend)",
            details={
                **common,
                "p90_s": p90(ours_side.active),
                "baseline_p90_s": p90(official.active),
                "samples_s": ours_side.active,
                "baseline_samples_s": official.active,
            },
        )
    )
    section.rows.append(
        Row(
            "client CPU per small job, ours given the QuantumCircuit (OpenQASM 3 export per job)",
            "s",
            median(circuit_side.cpu),
            median(official.cpu),
            baseline_name=f"{OFFICIAL} SamplerV2(mode=backend)",
            details={
                "requests_per_job": circuit_side.requests,
                "samples_s": circuit_side.cpu,
                "baseline_samples_s": official.cpu,
            },
        )
    )
    section.rows.append(
        Row(
            "end-to-end wall per small job, each client's default poll schedule",
            "s",
            median(ours_side.end_to_end),
            median(official.end_to_end),
            baseline_name=f"{OFFICIAL}: status at once, then every 0.5 s (its default)",
            details={
                "jobs_each": e2e_jobs,
                "samples_s": ours_side.end_to_end,
                "baseline_samples_s": official.end_to_end,
            },
        )
    )
    section.notes.append(
        "same-emulator rows: per job, run() and result() are timed with an untimed "
        f"{SETTLE_S * 1e3:.0f} ms pause between them, so both clients find the job final at "
        f"their first status check; requests per job counted by the server: ours "
        f"{median([float(r) for r in ours_side.requests]):.0f}, "
        f"{OFFICIAL} {median([float(r) for r in official.requests]):.0f}"
    )


# -- decoding the same bytes ---------------------------------------------------------------


def _decode(section: Section, shape: tuple[int, int, int], repeat: int) -> None:
    import json

    from qiskit_ibm_runtime import RuntimeDecoder
    from qiskit_runtime_rest.codec import decode_result

    payload = sampler_payload(*shape)

    def ours() -> object:
        return decode_result(payload)

    def theirs() -> object:
        return json.loads(payload, cls=RuntimeDecoder)

    decoded = theirs()  # the official decoder understands the emulator's wire form
    if decoded[0].data.meas.num_shots != shape[1]:
        raise RuntimeError(f"RuntimeDecoder read {decoded!r}")
    samples = interleaved({"ours": ours, "theirs": theirs}, repeat=repeat)
    pubs, shots, bits = shape
    mb = len(payload) / 1e6
    section.rows.append(
        Row(
            f"decode a Sampler result, {pubs} PUBs x {shots} shots x {bits} bits: decode_result",
            "s",
            median(samples["ours"]),
            median(samples["theirs"]),
            DECODE_TARGET,
            baseline_name=f"json.loads(data, cls={OFFICIAL}'s RuntimeDecoder), same bytes",
            details={
                "payload_mb": mb,
                "mb_per_s": mb / median(samples["ours"]),
                "baseline_mb_per_s": mb / median(samples["theirs"]),
                "peak_memory_bytes": peak_memory(ours),
                "baseline_peak_memory_bytes": peak_memory(theirs),
                "samples_s": samples["ours"],
                "baseline_samples_s": samples["theirs"],
            },
        )
    )


def run(quick: bool) -> Section:
    repeat_local = 3 if quick else 15
    jobs = 4 if quick else 40
    e2e_jobs = 2 if quick else 10
    decode_shape = (10, 512, 127) if quick else (100, 4096, 127)
    decode_repeat = 3 if quick else 9
    section = Section("official", f"7. Against {OFFICIAL}: a small job, a large result")
    section.config = {
        "backend": BACKEND,
        "offline": {
            "ours": "Runtime.local(): SDK + emulator in this process, over loopback HTTP",
            "baseline": "SamplerV2(mode=FakeManilaV2()), qiskit-aer in this process",
            "shots": LOCAL_SHOTS,
            "repeat": repeat_local,
            "warmup": 1,
        },
        "same_emulator": {
            "emulator": {"workers": WORKERS, "process": "separate", "transport": "HTTP loopback"},
            "shots": SHOTS,
            "jobs_each": jobs,
            "warmup_jobs_each": WARMUP,
            "settle_pause_s": SETTLE_S,
            "end_to_end_jobs_each": e2e_jobs,
            "order": "alternating",
        },
        "decode": {
            "shape": dict(zip(("pubs", "shots", "num_bits"), decode_shape, strict=True)),
            "repeat": decode_repeat,
        },
        "statistic": "median",
    }
    _offline(section, repeat_local)
    _same_emulator(section, jobs, e2e_jobs)
    _decode(section, decode_shape, decode_repeat)
    return section
