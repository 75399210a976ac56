"""Noise models from a device's calibration, for the qubits a circuit actually uses.

A device's properties document (its calibration: T1, T2, gate errors and durations, readout
errors) gives the same noise model that qiskit-aer's ``NoiseModel.from_backend`` and
qiskit-ibm-runtime's fake backends (its local testing mode) build for the device:

* after each gate, a depolarizing error composed with thermal relaxation for the gate's
  duration, the depolarizing strength chosen so that the gate's average infidelity equals its
  published ``gate_error`` (qiskit-aer's ``basic_device_gate_errors``);
* on each measurement, a readout error with the published ``prob_meas1_prep0`` and
  ``prob_meas0_prep1`` (else a symmetric ``readout_error``);
* during delays, thermal relaxation (T1, T2) for the delay's duration.

Circuits are simulated on their active qubits only (:mod:`.circuits`), so :func:`noise_model`
builds the model for a list of physical qubits, renumbered ``0..k-1`` in that order: the model of
a 2-qubit Bell circuit on a 127-qubit device holds a dozen errors instead of a thousand.
:func:`pauli_twirled` approximates a model by Pauli channels (the same Pauli fidelities), which
qiskit-aer's stabilizer method simulates at any width. :func:`idle_readout_flips` draws the
readout errors of measured qubits that a reduced circuit left out (they stay in ``|0>``).

Everything here takes picklable inputs (:class:`Calibration` is a small frozen value) and caches
what it builds per process, so worker processes and executor programs share it.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from .isa import si_values

__all__ = [
    "Calibration",
    "idle_readout_flips",
    "noise_model",
    "pauli_twirled",
    "readout_probabilities",
]


@attrs.frozen
class Calibration:
    """Where a device's calibration is, and the settings its noise model needs.

    ``source`` is the path of a properties JSON file (a fake-provider snapshot), or None for the
    built-in device named ``backend``; ``dt`` is the device's sample time in seconds (delays
    given in ``dt`` units need it).
    """

    backend: str
    source: str | None
    basis_gates: tuple[str, ...]
    dt: float | None = None

    def properties(self) -> Mapping[str, Any]:
        """The properties document (read once per process)."""
        return _properties(self.backend, self.source)


@functools.lru_cache(maxsize=16)
def _properties(backend: str, source: str | None) -> Mapping[str, Any]:
    if source is None:
        from .backends import DEVICES

        return DEVICES[backend].properties()
    import json
    from pathlib import Path

    doc: Mapping[str, Any] = json.loads(Path(source).read_text(encoding="utf-8"))
    return doc


# qiskit-aer reads the calibration through these attribute names (qiskit-ibm-runtime's
# BackendProperties); small frozen records stand in for that class.
@attrs.frozen
class _Nduv:
    name: str
    value: float
    unit: str


@attrs.frozen
class _GateProperties:
    gate: str
    qubits: list[int]
    parameters: list[_Nduv]


@attrs.frozen
class _Properties:
    gates: list[_GateProperties]
    qubits: list[list[_Nduv]]


def _nduvs(items: Iterable[Mapping[str, Any]]) -> list[_Nduv]:
    out = []
    for item in items:
        value = item.get("value")
        if isinstance(value, int | float) and not isinstance(value, bool):
            out.append(_Nduv(str(item.get("name")), float(value), str(item.get("unit", ""))))
    return out


@functools.lru_cache(maxsize=4096)
def _gate_error(calibration: Calibration, position: int, pauli: bool) -> Any:
    """The error after gate entry ``position`` of the calibration (on its own qubits), or None:
    computed once per process, since building it (qiskit-aer composes channels and computes
    their fidelities) is what a noise model costs."""
    from qiskit_aer.noise.device.models import basic_device_gate_errors

    doc = calibration.properties()
    gate = doc["gates"][position]
    on = [int(q) for q in gate["qubits"]]
    table = doc.get("qubits") or []
    local = _Properties(
        [_GateProperties(str(gate["gate"]), list(range(len(on))), _nduvs(gate["parameters"]))],
        [_nduvs(table[q]) if q < len(table) else [] for q in on],
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="qiskit_aer.noise")
        errors = basic_device_gate_errors(local)
    if not errors:
        return None
    error = errors[0][2]
    if pauli:
        return pauli_twirled(error)
    from qiskit.quantum_info import Kraus
    from qiskit_aer.noise import QuantumError

    # The same channel as one Kraus map rather than the dozens of circuits the composition
    # holds: qiskit-aer loads a noise model for every job, four times faster this way.
    return QuantumError(Kraus(error.to_quantumchannel()))


@functools.lru_cache(maxsize=16)
def _gate_qubits(calibration: Calibration) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """``(gate name, qubits)`` of every gate entry of the calibration, in order."""
    return tuple(
        (str(g.get("gate")), tuple(int(q) for q in g.get("qubits") or ()))
        for g in calibration.properties().get("gates") or ()
    )


@functools.lru_cache(maxsize=32)
def noise_model(calibration: Calibration, qubits: tuple[int, ...], pauli: bool = False) -> Any:
    """The Aer ``NoiseModel`` of ``calibration`` for the physical ``qubits``, renumbered
    ``0..k-1`` in that order (-1 stands for a qubit without noise). ``pauli`` approximates every
    error by its Pauli twirl (:func:`pauli_twirled`) and leaves delays without relaxation, so
    that Clifford circuits keep qiskit-aer's stabilizer method.

    Each gate's error is computed once per process (:func:`_gate_error`): the first model of
    all 127 qubits of a device takes seconds, later ones on any of those qubits milliseconds.
    """
    from qiskit.circuit import Delay
    from qiskit_aer.noise import NoiseModel, ReadoutError
    from qiskit_aer.noise.passes import RelaxationNoisePass

    index = {q: i for i, q in enumerate(qubits) if q >= 0}
    model = NoiseModel(basis_gates=list(calibration.basis_gates))
    for q, i in index.items():
        p01, p10 = readout_probabilities(calibration, q)
        if p01 or p10:
            model.add_readout_error(ReadoutError([[1 - p01, p01], [p10, 1 - p10]]), [i])
    for position, (name, on) in enumerate(_gate_qubits(calibration)):
        if on and all(q in index for q in on):
            error = _gate_error(calibration, position, pauli)
            if error is not None:
                model.add_quantum_error(error, name, [index[q] for q in on])
    if not pauli and calibration.dt is not None:
        table = calibration.properties().get("qubits") or []
        values = [si_values(table[q]) if 0 <= q < len(table) else {} for q in qubits]
        t1s = [v.get("T1", math.inf) for v in values]
        t2s = [min(v.get("T2", math.inf), 2 * t1) for v, t1 in zip(values, t1s, strict=True)]
        if any(np.isfinite(t1s)):
            model._custom_noise_passes.append(
                RelaxationNoisePass(t1s=t1s, t2s=t2s, dt=calibration.dt, op_types=Delay)
            )
    return model


@functools.cache
def _pauli_labels(num_qubits: int) -> tuple[str, ...]:
    """The Pauli labels in the order of qiskit's ``Chi`` basis."""
    from qiskit.quantum_info import pauli_basis

    return tuple(pauli_basis(num_qubits).to_labels())


def pauli_twirled(error: Any) -> Any:
    """The Pauli channel with the same Pauli fidelities as ``error`` (a qiskit-aer
    ``QuantumError``): the channel ``error`` becomes when twirled over the Pauli group, which keeps
    its average gate fidelity."""
    from qiskit.quantum_info import Chi
    from qiskit_aer.noise import pauli_error

    # The diagonal of the chi matrix (process matrix in the Pauli basis) is what twirling keeps.
    chi = Chi(error.to_quantumchannel()).data
    labels = _pauli_labels(error.num_qubits)
    weights = np.clip(np.real(np.diag(chi)), 0.0, None)
    probabilities = weights / weights.sum()
    terms = [(label, float(p)) for label, p in zip(labels, probabilities, strict=True) if p > 0]
    return pauli_error(terms)


def readout_probabilities(calibration: Calibration, qubit: int) -> tuple[float, float]:
    """``(P(read 1 | prepared 0), P(read 0 | prepared 1))`` of a physical qubit."""
    table = calibration.properties().get("qubits") or []
    if not 0 <= qubit < len(table):
        return 0.0, 0.0
    values = si_values(table[qubit])
    if "prob_meas1_prep0" in values and "prob_meas0_prep1" in values:
        return values["prob_meas1_prep0"], values["prob_meas0_prep1"]
    symmetric = values.get("readout_error", 0.0)
    return symmetric, symmetric


def idle_readout_flips(
    calibration: Calibration,
    measured: Sequence[tuple[int, int]],
    shape: tuple[int, ...],
    rng: np.random.Generator,
) -> dict[int, npt.NDArray[np.bool_]]:
    """For each ``(classical bit, physical qubit)`` of ``measured`` (qubits that stay in
    ``|0>``), whether each of ``shape`` readouts came out 1: a draw with the qubit's
    ``P(read 1 | prepared 0)``."""
    out: dict[int, npt.NDArray[np.bool_]] = {}
    for clbit, qubit in measured:
        p01, _ = readout_probabilities(calibration, qubit)
        out[clbit] = rng.random(shape) < p01
    return out
