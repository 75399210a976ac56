"""A user's script, checked with ``mypy --strict`` by tests/test_examples.py (never run
there): backends, sessions, results and errors, typed end to end without casts."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import numpy.typing as npt
from qiskit_runtime_rest import (
    APIConnectionError,
    Backend,
    BackendNotFoundError,
    BackendProperties,
    BitArray,
    EstimatorOptions,
    ExecutionSpans,
    FrozenOptionsError,
    JobDetails,
    JobFailedError,
    JobTimeoutError,
    Runtime,
    SamplerOptions,
    SamplerPub,
    SessionDetails,
)

# ISA for a cz device with qubits 0 and 1 coupled
BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; bit[2] c; rz(pi/2) $0; sx $0; rz(pi/2) $0; '
    "cz $0, $1; c[0] = measure $0; c[1] = measure $1;"
)
IDLE = 'OPENQASM 3.0; include "stdgates.inc"; rz(0) $0;'


def pick_backend(rt: Runtime) -> Backend:
    try:
        return rt.least_busy(min_num_qubits=5, filters=lambda b: "cz" in b.basis_gates)
    except BackendNotFoundError:
        return rt.backend("ibm_emulator_5q")


def describe(backend: Backend) -> str:
    props: BackendProperties | None = backend.properties()
    t1: float | None = props.qubits[0].t1 if props is not None else None
    error: float | None = props.gate_error("cz", (0, 1)) if props is not None else None
    pairs: list[tuple[int, int]] = backend.coupling_map
    return f"{backend.name}: {backend.num_qubits} qubits, T1 {t1}, cz error {error}, {pairs[:2]}"


def sample(rt: Runtime, backend: Backend) -> dict[str, int]:
    try:
        options = SamplerOptions(default_shots=100).replace(default_shots=200)
    except FrozenOptionsError as frozen:  # what assigning to an option raises
        raise SystemExit(str(frozen)) from frozen
    with rt.session(backend.name, max_time=300) as session:
        sampler = session.sampler(options).with_options(default_shots=300)
        job = sampler.run([SamplerPub(BELL)], shots=50)
        try:
            result = job.result(timeout=60)
        except JobFailedError as failure:
            code: int | None = failure.reason_code
            raise SystemExit(f"failed with code {code}") from failure
        except JobTimeoutError as late:
            raise SystemExit(f"{late.job_id} still {late.last_status}") from late
        details: SessionDetails = session.details()
        usage: float | None = session.usage()
        print(details.state, usage)
    bits: BitArray = result[0].data.get_bit_array("c")
    spans = result.metadata["execution"]["execution_spans"]
    if isinstance(spans, ExecutionSpans):
        print(spans.duration)
    evs: npt.NDArray[np.float64] = bits.expectation_values(["ZZ", "IZ"])
    first: BitArray = bits.slice_bits([0]).postselect(0, True)
    print(evs, first.num_shots)
    info: JobDetails = job.details()
    created: datetime = info.created
    print(created, job.usage())
    return bits.get_counts()


def many(rt: Runtime, backend: Backend) -> list[str]:
    estimator = rt.estimator(backend.name, options=EstimatorOptions(resilience_level=1))
    jobs = [estimator.run([(IDLE, "Z")], precision=0.1) for _ in range(3)]
    done = [job.id for job in rt.as_completed(jobs, timeout=120)]
    statuses: list[str] = rt.wait_all(jobs, progress=False)
    return done + statuses


def main() -> None:
    try:
        with Runtime.local() as rt:
            backend = pick_backend(rt)
            print(describe(backend))
            print(sample(rt, backend))
            print(many(rt, backend))
    except APIConnectionError as error:
        print(f"{error.operation} failed after {error.attempts} attempts: {error}")


if __name__ == "__main__":
    main()
