"""Shrink circuits to the qubits they use before they are simulated.

Circuits submitted by qiskit-ibm-runtime are ISA circuits laid out on every qubit of the device
(27, 127...), although most of those qubits see no operation. A qubit that only meets barriers,
delays, identities, resets and measurements stays in |0> for the whole circuit, so:

* it can be left out of the simulation, and a measurement of it yields 0;
* in a Pauli term, an I or Z on it contributes a factor 1 and an X or Y makes the term vanish.

:func:`reduce_circuit` builds the circuit on the remaining ("active") qubits and
:func:`reduce_observable` rewrites ``{pauli: coefficient}`` observables for it.

With noise (``noisy=True``) this still holds: gate errors and relaxation need a gate, and a qubit
in ``|0>`` does not relax. Delays and identities on active qubits are then kept (they carry
relaxation and gate errors), and the measurements of dropped qubits are listed so that their
readout errors can be drawn (:func:`.noise.idle_readout_flips`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = ["ReducedCircuit", "reduce_circuit", "reduce_observable"]

IntArray: TypeAlias = npt.NDArray[np.intp]

_NO_EFFECT = frozenset({"barrier", "delay", "id"})
"""Instructions that leave the state alone; dropped from reduced circuits."""
_KEEP_ZERO = frozenset({"measure", "reset"})
"""Instructions that leave a qubit in |0> in |0>."""
_TIMING = frozenset({"delay", "id"})
"""Kept on active qubits when simulating noise: they idle the qubit, which then relaxes."""


@dataclass(frozen=True, eq=False)
class ReducedCircuit:
    """A circuit restricted to its active qubits.

    ``circuit`` keeps the original classical bits and registers (same order, same names), so
    measurement results need no translation.
    """

    circuit: Any
    """The circuit to simulate; the original circuit itself when nothing could be dropped."""
    qubits: tuple[int, ...]
    """The original index of each qubit of ``circuit``; -1 for the spare qubit in |0>."""
    columns: IntArray
    """For each parameter of ``circuit`` (in its order), the original parameter's index."""
    num_original_qubits: int
    idle_measurements: tuple[tuple[int, int], ...] = ()
    """``(classical bit, original qubit)`` of each left-out measurement of a dropped qubit (the
    bit reads 0; with noise, a readout error may flip it)."""

    @property
    def is_identity(self) -> bool:
        """True when ``circuit`` is the original circuit, on all its qubits."""
        return self.qubits == tuple(range(self.num_original_qubits))


def reduce_circuit(circuit: Any, *, noisy: bool = False) -> ReducedCircuit:
    """Drop the qubits that stay in |0> (see the module docstring); keep at least one qubit.

    Measurements of dropped qubits are removed (their classical bit stays 0, and they are listed
    in ``idle_measurements``), except when another instruction also writes that bit: those are
    redirected to one spare qubit left in |0>. ``noisy`` keeps delays and identities on the
    active qubits.
    """
    from qiskit.circuit import QuantumCircuit, Qubit

    n = circuit.num_qubits
    qindex = {q: i for i, q in enumerate(circuit.qubits)}
    active = [False] * n
    writes: Counter[Any] = Counter()  # clbit -> number of instructions that may write it
    for inst in circuit.data:
        name = inst.operation.name
        if name in _NO_EFFECT:
            continue
        writes.update(inst.clbits)  # measurements, and control flow (conservatively)
        if name in _KEEP_ZERO:
            continue
        for q in inst.qubits:
            active[qindex[q]] = True
    all_parameters = list(circuit.parameters)
    has_vars = bool(getattr(circuit, "num_vars", 0) or getattr(circuit, "num_stretches", 0))
    if all(active) or has_vars:
        # Nothing to drop (or real-time variables, which a rebuilt circuit would have to declare).
        columns = np.arange(len(all_parameters), dtype=np.intp)
        return ReducedCircuit(circuit, tuple(range(n)), columns, n)

    timing = _TIMING if noisy else frozenset()
    kept = [q for q, on in zip(circuit.qubits, active, strict=True) if on]
    qubits = [qindex[q] for q in kept]
    spare: Any = None
    if not kept or any(
        inst.operation.name == "measure"
        and not active[qindex[inst.qubits[0]]]
        and writes[inst.clbits[0]] > 1
        for inst in circuit.data
    ):
        spare = Qubit()
        qubits.append(-1)
    reduced = QuantumCircuit(
        kept + ([spare] if spare is not None else []),
        list(circuit.clbits),
        *circuit.cregs,
        name=circuit.name,
        global_phase=circuit.global_phase,
        metadata=circuit.metadata,
    )
    idle: list[tuple[int, int]] = []
    for inst in circuit.data:
        name = inst.operation.name
        if name in _NO_EFFECT and name not in timing:
            continue
        if all(active[qindex[q]] for q in inst.qubits):
            reduced.append(inst, copy=False)
        elif name == "measure" and writes[inst.clbits[0]] > 1:
            reduced.append(inst.replace(qubits=(spare,)), copy=False)
        elif name == "measure":
            idle.append((circuit.find_bit(inst.clbits[0]).index, qindex[inst.qubits[0]]))
        # else: a reset, delay or identity, or a measurement whose bit stays 0, of a dropped qubit
    position = {p: i for i, p in enumerate(all_parameters)}
    columns = np.array([position[p] for p in reduced.parameters], dtype=np.intp)
    return ReducedCircuit(reduced, tuple(qubits), columns, n, tuple(idle))


def reduce_observable(observable: Mapping[str, float], reduced: ReducedCircuit) -> dict[str, float]:
    """Rewrite ``{pauli: coefficient}`` (labels over the original qubits, qubit 0 rightmost) for
    ``reduced.circuit``; terms that vanish on the dropped qubits are left out (the result may be
    empty)."""
    if reduced.is_identity:
        return dict(observable)
    n = reduced.num_original_qubits
    # String positions: qubit q is character n - 1 - q.
    kept = {q for q in reduced.qubits if q >= 0}
    idle = [n - 1 - q for q in range(n) if q not in kept]
    picks = [n - 1 - q if q >= 0 else -1 for q in reversed(reduced.qubits)]
    out: dict[str, float] = {}
    for label, coeff in observable.items():
        if any(label[p] in "XY" for p in idle):
            continue  # <0|X|0> = <0|Y|0> = 0
        key = "".join(label[p] if p >= 0 else "I" for p in picks)
        out[key] = out.get(key, 0.0) + coeff
    return out
