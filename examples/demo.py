"""The three execution modes of the Qiskit Runtime REST API, end to end, offline.

Runs the execution-modes guide (job, session and batch modes, Sampler and Estimator) against
the local emulator started in this process by ``Runtime.local()``, over real HTTP on loopback.
Point it at IBM Quantum instead with ``Runtime.from_env()`` and a real backend name.

    python3 -m venv .venv && .venv/bin/python -m pip install -e ".[local]"
    .venv/bin/python examples/demo.py
"""

from __future__ import annotations

import sys
import time

import numpy as np
from qiskit_runtime_rest import EstimatorPub, Runtime, SamplerPub

BACKEND = "ibm_emulator_5q"

BELL = """OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[2] meas;
h q[0];
cx q[0], q[1];
meas = measure q;
"""

# The Bell state without measurements, for the Estimator.
BELL_STATE = """OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
h q[0];
cx q[0], q[1];
"""

# One parameter: ry(theta) then an entangling CX.
ANSATZ = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
qubit[2] q;
ry(theta) q[0];
cx q[0], q[1];
"""


def ghz(n: int) -> str:
    gates = "".join(f"cx q[{i}], q[{i + 1}];\n" for i in range(n - 1))
    return (
        f'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[{n}] q;\nbit[{n}] meas;\n'
        f"h q[0];\n{gates}meas = measure q;\n"
    )


def main() -> int:
    start = time.monotonic()
    with Runtime.local() as rt:
        print(f"connected: {rt!r}")

        # -- job mode: one Sampler job on its own -------------------------------------------
        job = rt.sampler(BACKEND).run([SamplerPub(BELL, shots=1000)])
        counts = job.result()[0].data.meas.get_counts()
        print(f"\n[job mode] {job.id}: Bell counts {dict(sorted(counts.items()))}")

        # -- session mode: iterative work with priority between jobs ------------------------
        with rt.session(BACKEND, max_time=600) as session:
            sampler = session.sampler()
            estimator = session.estimator()
            counts = sampler.run([SamplerPub(BELL, shots=500)]).result()[0].data.meas.get_counts()
            print(f"\n[session {session.id}] sampler counts {dict(sorted(counts.items()))}")

            evs = estimator.run([EstimatorPub(BELL_STATE, ["ZZ", "XX", "YY"])]).result()[0]
            print(f"[session] <ZZ>, <XX>, <YY> on Bell = {np.round(evs.data.evs, 3)}")

            # A sweep: observables of shape (3, 1) broadcast against 5 parameter bindings,
            # giving a (3, 5) grid of expectation values in one job.
            thetas = np.linspace(0, np.pi, 5)
            pub = EstimatorPub(ANSATZ, [["ZZ"], ["XX"], ["YY"]], parameter_values=thetas[:, None])
            sweep = estimator.run([pub]).result()[0].data.evs
            print(f"[session] sweep over theta = {np.round(thetas, 2)} (shape {sweep.shape})")
            for label, row in zip(("ZZ", "XX", "YY"), sweep, strict=True):
                print(f"           <{label}> = {np.round(row, 3)}")
        print(f"[session] closed: accepting_jobs={rt.session_details(session.id).accepting_jobs}")

        # -- batch mode: everything submitted up front, then the block is left --------------
        circuits = [ghz(n) for n in (2, 3, 4)]
        with rt.batch(BACKEND) as batch:
            jobs = [batch.sampler().run([SamplerPub(c, shots=200)]) for c in circuits]
        print(f"\n[batch {batch.id}] {len(jobs)} jobs submitted, batch closed")
        for n, job in zip((2, 3, 4), jobs, strict=True):
            counts = job.result()[0].data.meas.get_counts()
            top = dict(sorted(counts.items(), key=lambda kv: -kv[1])[:2])
            print(f"[batch] GHZ-{n} {job.id}: top counts {top}")

    print(f"\ndone in {time.monotonic() - start:.1f} s; emulator stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
