"""qiskit ``Target`` objects in comparable form, and the one qiskit-ibm-runtime builds for a
backend of an emulator."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from qiskit_runtime_emulator.server import EmulatorServer


def describe(target: Any, digits: int | None = None) -> dict[str, Any]:
    """Everything a Target holds that transpilation reads, in comparable form; ``digits``
    rounds the floats (unit conversions may differ in the last bits)."""

    def r(x: float | None) -> float | None:
        return x if x is None or digits is None else float(f"{x:.{digits}g}")

    instructions = {}
    for name in target.operation_names:
        props = target[name]
        instructions[name] = (
            type(target.operation_from_name(name)).__name__,
            None
            if props is None
            else {
                qargs: None if p is None else (r(p.error), r(p.duration))
                for qargs, p in sorted(props.items(), key=lambda kv: str(kv[0]))
            },
        )
    qubits = [
        None if q is None else (r(q.t1), r(q.t2), r(q.frequency))
        for q in (target.qubit_properties or [])
    ]
    return {
        "num_qubits": target.num_qubits,
        "dt": r(target.dt),
        "granularity": target.granularity,
        "min_length": target.min_length,
        "pulse_alignment": target.pulse_alignment,
        "acquire_alignment": target.acquire_alignment,
        "concurrent_measurements": target.concurrent_measurements,
        "instructions": instructions,
        "qubits": qubits,
        "coupling": sorted(target.build_coupling_map().get_edges()),
    }


def official_target(server: EmulatorServer, name: str) -> Any:
    """``QiskitRuntimeService(...).backend(name).target`` against ``server``."""
    from qiskit_ibm_runtime import QiskitRuntimeService

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IAM_URL", server.iam_url)
        mp.setenv("QISKIT_FUNCTIONS_EXPERIMENTAL", "1")
        service = QiskitRuntimeService(
            channel="ibm_quantum_platform",
            token=server.api_key,
            instance=server.crn,
            url=server.client_url,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return service.backend(name).target
