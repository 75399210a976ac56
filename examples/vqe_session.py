"""A small VQE in a session, on the embedded emulator: one Estimator job per iteration.

Each iteration evaluates the energy at the current angles and at +-delta along each angle (a
parameter sweep in one PUB, so one job), then steps along the estimated gradient. The ansatz is
written for the backend (ISA: rz, sx and cz on coupled qubits $0 and $1), so it runs unchanged
on a device backend; errors are caught and reported as a user would.

    python examples/vqe_session.py [iterations]
"""

from __future__ import annotations

import sys

import numpy as np
from qiskit_runtime_rest import (
    EstimatorOptions,
    EstimatorPub,
    JobFailedError,
    Runtime,
    RuntimeRestError,
)

# H = ZZ + 0.5 (XI + IX): the ground energy is -sqrt(2) ~ -1.414 (ansatz permitting)
HAMILTONIAN = {"ZZ": 1.0, "XI": 0.5, "IX": 0.5}
ANSATZ = """OPENQASM 3.0; include "stdgates.inc";
input float[64] a; input float[64] b;
rz(pi/2) $0; sx $0; rz(a) $0; sx $0; rz(pi/2) $0;
rz(pi/2) $1; sx $1; rz(b) $1; sx $1; rz(pi/2) $1;
cz $0, $1;
"""


def main(iterations: int = 4) -> list[float]:
    delta, rate = 0.2, 1.0
    theta = np.array([0.3, -0.4])
    history: list[float] = []
    with Runtime.local() as rt:
        backend = rt.backend("ibm_emulator_5q")
        assert {"cz", "rz", "sx"} <= set(backend.basis_gates)
        print(f"{backend.name}: {backend.num_qubits} qubits, queue {backend.status().pending_jobs}")
        with rt.session(backend.name, max_time=600) as session:
            estimator = session.estimator(EstimatorOptions(seed_estimator=7))
            for step in range(iterations):
                shifts = [np.zeros(2)]
                shifts += [sign * delta * np.eye(2)[i] for i in range(2) for sign in (1, -1)]
                points = np.array([theta + shift for shift in shifts])  # (5, 2): a, b
                pub = EstimatorPub(ANSATZ, HAMILTONIAN, parameter_values=points)
                try:
                    result = estimator.run([pub], precision=0.01).result(timeout=120)
                except JobFailedError as error:
                    print(f"iteration {step}: job failed ({error.reason_code}): {error.reason}")
                    raise
                evs = result[0].data.get_ndarray("evs")
                gradient = np.array(
                    [(evs[1 + 2 * i] - evs[2 + 2 * i]) / (2 * delta) for i in range(2)]
                )
                theta = theta - rate * gradient
                history.append(float(evs[0]))
                print(f"iteration {step}: energy {evs[0]:+.4f}, angles {np.round(theta, 3)}")
            print(f"session {session.id}: usage {session.usage()} s")
    return history


if __name__ == "__main__":
    try:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 4)
    except RuntimeRestError as error:
        sys.exit(f"VQE failed: {error}")
