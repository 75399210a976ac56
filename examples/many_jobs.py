"""Many jobs with live progress, on the embedded emulator.

Submits a batch of small Sampler jobs (one of them made to fail with the emulator's test knob),
shows one live progress line while they run (done / failed / running / queued, elapsed; the
``progress`` extra), then handles each job as it finishes.

    python examples/many_jobs.py [number of jobs]
"""

from __future__ import annotations

import sys

from qiskit_runtime_emulator import EmulatorConfig
from qiskit_runtime_rest import JobFailedError, Runtime

# ISA for ibm_emulator_5q: a Bell pair on coupled qubits $0 and $1, measured
BELL = """OPENQASM 3.0; include "stdgates.inc"; bit[2] meas;
rz(pi/2) $0; sx $0; rz(pi/2) $0; rz(pi/2) $1; sx $1; rz(pi/2) $1; cz $0, $1;
rz(pi/2) $1; sx $1; rz(pi/2) $1; meas[0] = measure $0; meas[1] = measure $1;"""


def main(count: int = 12) -> dict[str, int]:
    outcomes = {"completed": 0, "failed": 0}
    # test_knobs: this emulator honours options.experimental.emulator (the failing job below)
    with Runtime.local(EmulatorConfig(test_knobs=True)) as rt, rt.batch("ibm_emulator_5q") as batch:
        sampler = batch.sampler()
        failing = sampler.with_options(experimental={"emulator": {"fail": "demo failure"}})
        jobs = [sampler.run([BELL], shots=200) for _ in range(count - 1)]
        jobs.append(failing.run([BELL]))
        statuses = rt.wait_all(jobs, timeout=300, progress=True)  # one live line on stderr
        print("final statuses:", {s: statuses.count(s) for s in set(statuses)})
        for job in rt.as_completed(jobs, timeout=60):  # all done already: handed out at once
            try:
                counts = job.result()[0].data.get_bit_array("meas").get_counts()
                outcomes["completed"] += 1
                print(job.id, counts)
            except JobFailedError as error:
                outcomes["failed"] += 1
                print(job.id, "failed:", error.reason)
    return outcomes


if __name__ == "__main__":
    print(main(int(sys.argv[1]) if len(sys.argv) > 1 else 12))
