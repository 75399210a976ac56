"""The ISA check: do a job's circuits and observables match the backend's target?

Since March 2024 IBM Quantum runs only ISA circuits ("instruction set architecture": written in
the backend's own instructions, on its own qubits) and fails a job that holds another
circuit: status ``Failed``, reason code 1517, "Circuits do not match the target definition
(non-ISA circuits)" (https://quantum.cloud.ibm.com/docs/errors and IBM's note "What are ISA
circuits?"). The emulator does the same, with qiskit's ``Target``:

* :func:`build_target` makes the ``Target`` of a configuration and a properties document the
  way qiskit-ibm-runtime does (``IBMBackend.target``): instructions are the basis gates, the
  supported non-unitary instructions and control flow; each tied to the qubits (and pairs, in
  the listed direction) that the configuration's gate entries and the calibration list, faulty
  qubits and gates left out; errors and durations from the calibration. :func:`target_for`
  caches one per backend.
* :func:`circuit_violation` finds the first instruction the target does not support (recursing
  into control-flow blocks; barriers are always allowed) and says why: not an instruction of
  the backend, qubits that are not coupled (or coupled the other way round), a qubit beyond the
  device, or more qubits than the device has.
* :func:`observable_violation` checks that an Estimator observable acts on the circuit's qubits
  (its Pauli strings as long as the circuit is wide: the layout-mapped observables that
  ``SparsePauliOp.apply_layout`` gives).

All take picklable inputs (documents, circuits, ``{pauli: coeff}`` arrays), so that executor
programs can run the same checks anywhere. :data:`NON_ISA_REASON` and :data:`NON_ISA_SOLUTION`
are the job's ``state.reason`` prefix and ``reason_solution``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = [
    "NON_ISA_REASON",
    "NON_ISA_SOLUTION",
    "REASON_NON_ISA",
    "build_target",
    "circuit_violation",
    "non_isa_reason",
    "observable_violation",
    "si_values",
    "target_for",
]

REASON_NON_ISA = 1517
"""IBM's reason code for a job whose circuits are not ISA circuits."""
NON_ISA_REASON = "Failed - Circuits do not match the target definition (non-ISA circuits)."
NON_ISA_SOLUTION = (
    "Transpile your circuits for the backend's target before submitting them, for example "
    "with qiskit: pm = generate_preset_pass_manager(optimization_level=1, "
    "target=backend.target); isa_circuits = pm.run(circuits); and map observables with "
    "observable.apply_layout(isa_circuit.layout). See "
    "https://quantum.cloud.ibm.com/docs/errors (code 1517)."
)

_NON_UNITARY = frozenset({"measure", "delay", "reset"})
_CONTROL_FLOW = ("if_else", "while_loop", "for_loop", "switch_case")
_ALWAYS_ALLOWED = frozenset({"barrier", "store"})
"""Compiler directives and classical stores: not instructions of the target, never refused."""
_SI = {
    "": 1.0,
    "s": 1.0,
    "ms": 1e-3,
    "us": 1e-6,
    "µs": 1e-6,
    "ns": 1e-9,
    "Hz": 1.0,
    "kHz": 1e3,
    "KHz": 1e3,
    "MHz": 1e6,
    "GHz": 1e9,
}

_targets: dict[tuple[str, str], Any] = {}
_targets_lock = threading.Lock()


def non_isa_reason(detail: str) -> str:
    """The job's failure reason: the service's sentence, then what the emulator found."""
    return f"{NON_ISA_REASON} {detail}"


# ---------------------------------------------------------------------------- target


def si_values(items: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """``[{name, value, unit}, ...]`` (a qubit's or gate's calibration) -> ``{name: value in SI
    units}`` (seconds, hertz; unitless values as they are)."""
    out: dict[str, float] = {}
    for item in items:
        value = item.get("value")
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[str(item.get("name"))] = float(value) * _SI.get(str(item.get("unit", "")), 1.0)
    return out


def _operational(values: Mapping[str, float]) -> bool:
    return values.get("operational", 1.0) != 0.0


def build_target(configuration: Mapping[str, Any], properties: Mapping[str, Any] | None) -> Any:
    """The qiskit ``Target`` of a backend's configuration and properties documents, as
    qiskit-ibm-runtime builds it (see the module docstring)."""
    from qiskit.circuit import Gate, Parameter
    from qiskit.circuit.controlflow import ForLoopOp, IfElseOp, SwitchCaseOp, WhileLoopOp
    from qiskit.circuit.library import get_standard_gate_name_mapping
    from qiskit.providers import QubitProperties
    from qiskit.transpiler import InstructionProperties, Target

    control_flow = {
        "if_else": IfElseOp,
        "while_loop": WhileLoopOp,
        "for_loop": ForLoopOp,
        "switch_case": SwitchCaseOp,
    }
    standard = get_standard_gate_name_mapping()
    num_qubits = int(configuration["n_qubits"])
    supported = set(configuration.get("supported_instructions") or ("measure", "reset", "delay"))
    names = set(configuration.get("basis_gates") or ()) | (supported & _NON_UNITARY)
    names |= supported & set(_CONTROL_FLOW)
    gate_configs = {g["name"]: g for g in configuration.get("gates") or () if "name" in g}
    operations: dict[str, Any] = {}
    for name in sorted(names):
        if name in control_flow:
            continue
        if name in standard:
            operations[name] = standard[name]
        elif name in gate_configs:
            entry = gate_configs[name]
            pairs = entry.get("coupling_map") or []
            parameters = [Parameter(p) for p in entry.get("parameters") or ()]
            operations[name] = Gate(name, len(pairs[0]) if pairs else 0, parameters)
    qargs: dict[str, dict[tuple[int, ...], Any] | None] = dict.fromkeys(operations)
    for name in operations:
        pairs = gate_configs.get(name, {}).get("coupling_map")
        if pairs:
            qargs[name] = {tuple(p): None for p in pairs}

    settings: dict[str, Any] = {"num_qubits": num_qubits}
    dt = configuration.get("dt")
    if isinstance(dt, int | float):
        settings["dt"] = float(dt) * 1e-9  # the configuration gives dt in ns
    timing = configuration.get("timing_constraints")
    if isinstance(timing, Mapping):
        for key in ("granularity", "min_length", "pulse_alignment", "acquire_alignment"):
            if key in timing:
                settings[key] = timing[key]

    if properties:
        qubits = [si_values(q) for q in properties.get("qubits") or ()]
        faulty = {q for q, values in enumerate(qubits) if not _operational(values)}
        settings["qubit_properties"] = [
            QubitProperties(t1=v.get("T1"), t2=v.get("T2"), frequency=v.get("frequency"))
            for v in qubits
        ]
        for gate in properties.get("gates") or ():
            name = gate.get("gate")
            if name not in qargs:
                continue
            on = tuple(int(q) for q in gate.get("qubits") or ())
            values = si_values(gate.get("parameters") or ())
            entries = qargs[name]
            if faulty.intersection(on) or not _operational(values):
                if entries is not None:
                    entries.pop(on, None)
                continue
            if entries is None:
                entries = qargs[name] = {}
            entries[on] = InstructionProperties(
                error=values.get("gate_error"), duration=values.get("gate_length")
            )
        if "measure" in qargs:
            qargs["measure"] = {
                (q,): InstructionProperties(
                    error=values.get("readout_error"), duration=values.get("readout_length")
                )
                for q, values in enumerate(qubits)
                if q < num_qubits and q not in faulty
            }
    else:
        faulty = set()
    for name in _NON_UNITARY & set(qargs):
        if qargs[name] is None:
            qargs[name] = {(q,): None for q in range(num_qubits) if q not in faulty}

    target = Target(**settings)
    for name in sorted(names):
        if name in control_flow:
            target.add_instruction(control_flow[name], name=name)
        elif name in operations:
            target.add_instruction(operations[name], qargs[name], name=name)
    return target


def target_for(backend: Any) -> Any:
    """The ``Target`` of a served backend (built on first use, then kept)."""
    key = (backend.name, str(getattr(backend, "configuration_path", "") or "built-in"))
    with _targets_lock:
        target = _targets.get(key)
    if target is None:
        target = build_target(backend.configuration(), backend.properties())
        with _targets_lock:
            target = _targets.setdefault(key, target)
    return target


# ---------------------------------------------------------------------------- checks


def _qubits(qargs: Sequence[int]) -> str:
    return f"qubit {qargs[0]}" if len(qargs) == 1 else f"qubits {tuple(qargs)}"


def _why(name: str, qargs: tuple[int, ...], target: Any, backend: str) -> str:
    if name not in target.operation_names:
        allowed = ", ".join(sorted(target.operation_names))
        return f"{name} is not an instruction of {backend} (it has {allowed})"
    beyond = [q for q in qargs if q >= target.num_qubits]
    if beyond:
        return f"{backend} has no qubit {beyond[0]} (it has {target.num_qubits})"
    available = target.qargs_for_operation_name(name)
    if len(qargs) == 2 and available is not None:
        if tuple(reversed(qargs)) in available:
            return (
                f"{name} acts on qubits {tuple(reversed(qargs))} of {backend} in that direction "
                f"only, not on {qargs}"
            )
        partners = sorted({b for a, b in available if a == qargs[0]})
        return (
            f"qubits {qargs[0]} and {qargs[1]} are not coupled on {backend} ({name} acts on "
            f"qubit {qargs[0]} with {', '.join(map(str, partners)) or 'no qubit'} only)"
        )
    return f"{name} is not available on {_qubits(qargs)} of {backend}"


def _walk(
    instructions: Iterable[Any], index: Mapping[Any, int], target: Any, backend: str, where: str
) -> str | None:
    from qiskit.circuit import ControlFlowOp

    for position, instruction in enumerate(instructions):
        operation = instruction.operation
        name = operation.name
        qargs = tuple(index[q] for q in instruction.qubits)
        if name not in _ALWAYS_ALLOWED and not target.instruction_supported(name, qargs):
            at = f"instruction {position}{where}"
            return f"{at}, {name} on {_qubits(qargs) if qargs else 'no qubit'}: " + _why(
                name, qargs, target, backend
            )
        if isinstance(operation, ControlFlowOp):
            for number, block in enumerate(operation.blocks):
                pairs = zip(instruction.qubits, block.qubits, strict=True)
                inner = {q: index[outer] for outer, q in pairs}
                found = _walk(
                    block.data,
                    inner,
                    target,
                    backend,
                    f" of block {number} of {name} (instruction {position}){where}",
                )
                if found is not None:
                    return found
    return None


def circuit_violation(circuit: Any, target: Any, backend: str) -> str | None:
    """Why ``circuit`` is not an ISA circuit of ``target`` (the first offending instruction,
    counted from 0 in ``circuit.data``, and its qubits); None when it is one."""
    if circuit.num_qubits > target.num_qubits:
        return f"the circuit has {circuit.num_qubits} qubits but {backend} has {target.num_qubits}"
    index = {q: i for i, q in enumerate(circuit.qubits)}
    return _walk(circuit.data, index, target, backend, "")


def observable_violation(observables: Any, num_qubits: int) -> str | None:
    """Why an Estimator PUB's observables (an array of ``{pauli: coeff}``) do not act on the
    circuit's ``num_qubits`` qubits: the first Pauli string of another length, with its index
    in the array (``[1, 0]``, or nothing for a single observable); None when all fit."""
    import numpy as np

    for position, observable in np.ndenumerate(observables):
        for label in observable:
            if len(label) != num_qubits:
                at = "".join(f"[{i}]" for i in position)
                return (
                    f"{at}{': ' if at else ''}the Pauli string {label!r} acts on {len(label)} "
                    f"qubits but the circuit has {num_qubits}; an ISA observable acts on the "
                    "circuit's physical qubits (map it with "
                    "SparsePauliOp.apply_layout(isa_circuit.layout))"
                )
    return None
