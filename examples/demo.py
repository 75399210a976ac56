"""The three execution modes of the Qiskit Runtime REST API, end to end, offline.

Runs the execution-modes guide (job, session and batch modes, Sampler and Estimator) against
the local emulator started in this process by ``Runtime.local()``, over real HTTP on loopback,
then shows what a device backend asks of circuits:

* ``ibm_emulator_simulator`` (the first part) runs any circuit, without noise: hand-written
  OpenQASM with ``h`` and ``cx`` is fine there;
* a device backend (``ibm_emulator_5q``) runs only ISA circuits, written in its own
  instructions on its own coupled qubits, and simulates the noise of its calibration. Another
  circuit makes the job fail with reason code 1517, as on IBM Quantum. The demo writes an ISA
  circuit by hand, and, with the ``qiskit`` extra installed, transpiles one against the
  backend's ``Target``.

Point it at IBM Quantum instead with ``Runtime.from_env()`` and a real backend name (IBM has no
simulator backend any more: use the device part).

    python3 -m venv .venv && .venv/bin/python -m pip install -e ".[local]"
    .venv/bin/python examples/demo.py
"""

from __future__ import annotations

import sys
import time

import numpy as np
from qiskit_runtime_rest import EstimatorPub, JobFailedError, Runtime, SamplerPub

SIMULATOR = "ibm_emulator_simulator"  # any circuit, no noise
DEVICE = "ibm_emulator_5q"  # ISA circuits only (cz, rz, sx, x; qubits 0-1-2-3-4 in a line)

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

# The Bell circuit as an ISA circuit of ibm_emulator_5q: physical qubits $0 and $1 (coupled),
# h = rz(pi/2) sx rz(pi/2), and cx = h on the target around a cz.
ISA_BELL = """OPENQASM 3.0;
include "stdgates.inc";
bit[2] meas;
rz(pi/2) $0; sx $0; rz(pi/2) $0;
rz(pi/2) $1; sx $1; rz(pi/2) $1;
cz $0, $1;
rz(pi/2) $1; sx $1; rz(pi/2) $1;
meas[0] = measure $0;
meas[1] = measure $1;
"""


def ghz(n: int) -> str:
    gates = "".join(f"cx q[{i}], q[{i + 1}];\n" for i in range(n - 1))
    return (
        f'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[{n}] q;\nbit[{n}] meas;\n'
        f"h q[0];\n{gates}meas = measure q;\n"
    )


def modes(rt: Runtime) -> None:
    """The guide's three execution modes, on the simulator backend."""
    # -- job mode: one Sampler job on its own -----------------------------------------------
    job = rt.sampler(SIMULATOR).run([SamplerPub(BELL, shots=1000)])
    counts = job.result()[0].data.meas.get_counts()
    print(f"\n[job mode] {job.id}: Bell counts {dict(sorted(counts.items()))}")

    # -- session mode: iterative work with priority between jobs ----------------------------
    with rt.session(SIMULATOR, max_time=600) as session:
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

    # -- batch mode: everything submitted up front, then the block is left ------------------
    circuits = [ghz(n) for n in (2, 3, 4)]
    with rt.batch(SIMULATOR) as batch:
        jobs = [batch.sampler().run([SamplerPub(c, shots=200)]) for c in circuits]
    print(f"\n[batch {batch.id}] {len(jobs)} jobs submitted, batch closed")
    for n, job in zip((2, 3, 4), jobs, strict=True):
        counts = job.result()[0].data.meas.get_counts()
        top = dict(sorted(counts.items(), key=lambda kv: -kv[1])[:2])
        print(f"[batch] GHZ-{n} {job.id}: top counts {top}")


def device(rt: Runtime) -> None:
    """A device backend: ISA circuits only, with the noise of its calibration."""
    # A circuit that is not written for the device fails, as on IBM Quantum (code 1517).
    try:
        rt.sampler(DEVICE).run([SamplerPub(BELL, shots=100)]).result()
    except JobFailedError as failure:
        print(f"\n[device] h/cx on {DEVICE}: job failed, code {failure.reason_code}")
        print(f"         {failure.reason}")

    # A hand-written ISA circuit runs, with the device's gate and readout errors.
    counts = rt.sampler(DEVICE).run([SamplerPub(ISA_BELL, shots=4000)]).result()[0]
    counts = counts.data.meas.get_counts()
    errors = counts.get("01", 0) + counts.get("10", 0)
    print(f"[device] ISA Bell by hand: {dict(sorted(counts.items()))} ({errors / 40:.1f} % odd)")

    # With the qiskit extra: transpile against the backend's Target (qiskit-ibm-runtime's).
    try:
        from qiskit import QuantumCircuit
        from qiskit.quantum_info import SparsePauliOp
        from qiskit.transpiler import generate_preset_pass_manager

        target = rt.backend(DEVICE).target
    except ImportError:
        print("[device] install the qiskit extra to transpile circuits against the target")
        return
    pm = generate_preset_pass_manager(target=target, optimization_level=1, seed_transpiler=1)
    circuit = QuantumCircuit(3)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.cx(1, 2)
    isa = pm.run(circuit)  # laid out on the device's qubits, in its instructions
    observable = SparsePauliOp("ZZI").apply_layout(isa.layout)  # mapped to the same qubits
    pub = EstimatorPub(isa, observable, precision=0.002)
    evs = rt.estimator(DEVICE).run([pub]).result()[0].data.evs
    print(f"[device] GHZ-3 transpiled for the target: <Z1 Z2> = {float(evs):.3f} (1 if noiseless)")


def main() -> int:
    start = time.monotonic()
    with Runtime.local() as rt:
        print(f"connected: {rt!r}")
        modes(rt)
        device(rt)
    print(f"\ndone in {time.monotonic() - start:.1f} s; emulator stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
