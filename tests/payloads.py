"""Request payloads of the execution-modes guide (the seed) and of the official client.

Shared by the spec, generated-model, emulator and contract tests. The seed sends OpenQASM 3
strings; its `resulting_qasm` and observables are filled in with a Bell circuit and Pauli strings.
Those circuits are not ISA circuits of a device, so the payloads target the emulator's simulator
backend (``SIMULATOR``), which runs any circuit.
"""

from __future__ import annotations

from typing import Any

SIMULATOR = "ibm_emulator_simulator"

BELL_QASM3 = """OPENQASM 3.0;
include "stdgates.inc";
bit[2] c;
qubit[2] q;
h q[0];
cx q[0], q[1];
c[0] = measure q[0];
c[1] = measure q[1];
"""

BELL_STATE_QASM3 = """OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
h q[0];
cx q[0], q[1];
"""

SEED_SESSION: dict[str, Any] = {"backend": SIMULATOR, "instance": "hub1/group1/project1"}

SEED_BATCH: dict[str, Any] = {
    "backend": SIMULATOR,
    "instance": "hub1/group1/project1",
    "mode": "batch",
}

SEED_OPTIONS: dict[str, Any] = {
    "transpilation": {"optimization_level": 1},
    "twirling": {"enable_gates": True, "enable_measure": True},
}


def seed_sampler_job(session_id: str | None = None) -> dict[str, Any]:
    """The guide's sampler job (session_id dropped for job mode)."""
    job: dict[str, Any] = {
        "program_id": "sampler",
        "backend": SIMULATOR,
        "hub": "hub1",
        "group": "group1",
        "project": "project1",
        "params": {"pubs": [[BELL_QASM3]], "version": 2, "options": dict(SEED_OPTIONS)},
    }
    if session_id is not None:
        job["session_id"] = session_id
    return job


def seed_estimator_job(session_id: str | None = None) -> dict[str, Any]:
    """The guide's estimator job: one PUB, a circuit and four observables."""
    job: dict[str, Any] = {
        "program_id": "estimator",
        "backend": SIMULATOR,
        "hub": "hub1",
        "group": "group1",
        "project": "project1",
        "params": {
            "pubs": [[BELL_STATE_QASM3, ["ZZ", "XX", "YY", "IZ"]]],
            "version": 2,
            "options": dict(SEED_OPTIONS),
        },
    }
    if session_id is not None:
        job["session_id"] = session_id
    return job


# The parameter-values array of a circuit without parameters, as the official client encodes it
# (float64, shape (0,)).
EMPTY_PARAMETER_VALUES = {
    "__type__": "ndarray",
    "__value__": (
        "eJyb7BfqGxDJyFDGUK2eklqcXKRupaBuk2ahrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC"
        "+RoGOpo6CrUKFAAuAFOzG1s="
    ),
}

# What qiskit-ibm-runtime 0.51 sends for a sampler job (circuit as QASM here instead of QPY).
OFFICIAL_CLIENT_SAMPLER_JOB: dict[str, Any] = {
    "program_id": "sampler",
    "params": {
        "pubs": [[BELL_QASM3, EMPTY_PARAMETER_VALUES, None]],
        "options": {"default_shots": 100},
        "version": 2,
        "support_qiskit": True,
    },
    "log_level": "WARNING",
    "backend": SIMULATOR,
    "session_id": "sess1",
}

OFFICIAL_CLIENT_ESTIMATOR_JOB: dict[str, Any] = {
    "program_id": "estimator",
    "params": {
        "pubs": [[BELL_STATE_QASM3, [{"ZZ": 1.0}, {"XX": 0.5, "YY": 0.5}], None, None]],
        "options": {"default_precision": 0.01},
        "resilience_level": 1,
        "version": 2,
        "support_qiskit": True,
    },
    "log_level": "WARNING",
    "backend": SIMULATOR,
    "tags": ["exp-1"],
    "cost": 300,
}
