"""Validate the ``params`` of Sampler V2 / Estimator V2 jobs and execute them.

Two stages, matching the service's life cycle:

* :func:`validate_params` runs while ``POST /jobs`` is handled. It parses every PUB (OpenQASM 3/2
  text or a QPY circuit, parameter values, observables, shots/precision), checks shapes against
  the circuit and the backend, and raises :class:`InvalidParams` (HTTP 400) naming the bad part.
  It then runs the ISA check of device backends (:mod:`.isa`): a violation does not make the
  request fail; the job is created and fails at once with reason code 1517, as on IBM Quantum
  (``PreparedJob.violation``).
* :func:`run_prepared` runs in a worker process (:mod:`.worker`). It simulates the circuits with
  qiskit-aer's V2 primitives (qiskit's ``StatevectorSampler`` / ``StatevectorEstimator`` when
  Aer is not installed), with the noise of the device's calibration unless the backend is
  noiseless (:mod:`.noise`), and returns the result in the wire form the job asked for
  (``support_qiskit``: qiskit-typed, else plain JSON); a failure at this stage raises
  :class:`ExecutionError`, which the service reports as a failed job with a reason code.

Circuits submitted by qiskit-ibm-runtime are laid out on every qubit of the device (27, 127...),
so qubits that no gate touches are dropped before simulation (:mod:`.circuits`), with or without
noise: the noise model is built for the active qubits only. Circuits with more than
:data:`FULL_NOISE_QUBITS` active qubits simulate the Pauli-twirled approximation of that model,
which qiskit-aer's stabilizer method runs at any width for Clifford circuits.

What the noise changes: Sampler counts carry gate, relaxation and readout errors; Estimator
values carry gate and relaxation errors but no readout error (as after the measurement-error
mitigation of the service's default resilience level 1). Error-mitigation and suppression
options (``resilience``, ``resilience_level``, ``twirling``, ``dynamical_decoupling``) are
accepted, kept in the job's params and noted in its log, and change nothing.

How the service's options map onto the primitives:

* shots (sampler): per PUB, PUB shots > ``params.shots`` > ``options.default_shots`` > 4096.
* precision (estimator): per PUB, PUB precision > ``params.precision`` >
  ``1 / sqrt(options.default_shots)`` > ``options.default_precision`` > 0.015625. Both
  primitives compute exact expectation values and add Gaussian noise with std = precision, like
  the shot noise of a hardware estimate; ``stds`` and ``ensemble_standard_error`` report the
  precision, the standard error the service would report.
* seeds: ``options.simulator.seed_simulator`` (sampler) and ``options.seed_estimator``
  (estimator, else ``seed_simulator``) make results reproducible.
"""

from __future__ import annotations

import base64
import binascii
import importlib.util
import io
import json
import math
import re
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
from qiskit_runtime_rest.codec import decode_ndarray, encode_result
from qiskit_runtime_rest.errors import ResultDecodeError
from qiskit_runtime_rest.results import (
    BitArray,
    DataBin,
    PrimitiveResult,
    PubResult,
    SamplerPubResult,
)

from qiskit_runtime_emulator.backends import Backend
from qiskit_runtime_emulator.circuits import ReducedCircuit, reduce_circuit, reduce_observable
from qiskit_runtime_emulator.errors import json_kind
from qiskit_runtime_emulator.isa import (
    REASON_NON_ISA,
    circuit_violation,
    non_isa_reason,
    observable_violation,
)
from qiskit_runtime_emulator.noise import Calibration, idle_readout_flips, noise_model
from qiskit_runtime_emulator.qasm_errors import describe_parse_error

__all__ = [
    "AER_AVAILABLE",
    "DEFAULT_PRECISION",
    "DEFAULT_SHOTS",
    "FULL_NOISE_QUBITS",
    "MAX_STATEVECTOR_QUBITS",
    "REASON_INTERNAL",
    "REASON_TRANSPILATION",
    "EstimatorPubSpec",
    "ExecutionError",
    "InvalidParams",
    "PreparedJob",
    "SamplerPubSpec",
    "run_prepared",
    "sample_reduced",
    "validate_params",
    "warm_up",
]

# Reason codes of IBM's error registry (service facts, section 10.4).
REASON_INTERNAL = 1000
REASON_TRANSPILATION = 1003

DEFAULT_SHOTS = 4096
DEFAULT_PRECISION = 0.015625  # 1 / sqrt(4096)
MAX_STATEVECTOR_QUBITS = 28
"""Most active qubits of a non-Clifford circuit (a state vector of 2**28 amplitudes takes 4 GiB).
With Aer, Clifford circuits run on the stabilizer method at any width."""
FULL_NOISE_QUBITS = 10
"""Most active qubits simulated with the full noise model (density matrices up to this width);
wider circuits simulate its Pauli-twirled approximation (the stabilizer method for Clifford
circuits, state-vector trajectories otherwise)."""
_AER_MAX_MEMORY_MB = (16 << MAX_STATEVECTOR_QUBITS) >> 20
_AER_PARALLEL_QUBITS = 14
"""Aer parallelizes state-vector updates from this width on (its statevector_parallel_threshold)."""
AER_AVAILABLE = importlib.util.find_spec("qiskit_aer") is not None
"""Run with qiskit-aer's primitives when it is installed (tests turn this off)."""
MAX_TOTAL_SHOTS = 10_000_000
"""Sampler jobs: sum over PUBs of (number of bindings x shots)."""
MAX_TOTAL_EVALUATIONS = 1_000_000
"""Estimator jobs: sum over PUBs of the PUB size (expectation values to compute)."""

FloatArray: TypeAlias = npt.NDArray[np.float64]
ObjectArray: TypeAlias = npt.NDArray[np.object_]

_PAULI_CHARS = frozenset("IXYZ")
_SAMPLER_OPTIONS = frozenset(
    {"default_shots", "dynamical_decoupling", "execution", "twirling", "simulator", "experimental"}
)
_ESTIMATOR_OPTIONS = _SAMPLER_OPTIONS | {"default_precision", "seed_estimator", "resilience"}
_SIMULATOR_OPTIONS = frozenset({"noise_model", "seed_simulator", "coupling_map", "basis_gates"})
_NO_EFFECT_SECTIONS = {
    "dynamical_decoupling": "the emulator inserts no dynamical decoupling",
    "twirling": "the emulator does not twirl gates or measurements",
    "resilience": "the emulator applies no error mitigation",
    "execution": "the emulator always returns classified measurements",
}
_COMMON_PARAMS = frozenset({"pubs", "version", "support_qiskit", "options"})
_SAMPLER_PARAMS = _COMMON_PARAMS | {"shots"}
_ESTIMATOR_PARAMS = _COMMON_PARAMS | {"precision", "resilience_level"}
# Skips comments before the OpenQASM version statement.
_QASM_VERSION = re.compile(r"\A(?:\s+|//[^\n]*|/\*.*?\*/)*OPENQASM\s+([0-9]+)", re.DOTALL)


class ExecutionError(Exception):
    """A job failed while running; ``reason`` and ``reason_code`` go into the job's state."""

    def __init__(self, reason: str, reason_code: int = REASON_INTERNAL) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reason_code = reason_code


class InvalidParams(ValueError):
    """The job's ``params`` are invalid (HTTP 400); the message starts with the bad part's path,
    e.g. ``pubs[0][2]: parameter values have 3 columns but the circuit has 2 parameters``."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.detail = message


@dataclass(frozen=True, eq=False)
class SamplerPubSpec:
    """A validated Sampler PUB. ``parameter_values`` has shape ``(*shape, num_parameters)``."""

    circuit: Any
    parameter_values: FloatArray
    shots: int

    @property
    def shape(self) -> tuple[int, ...]:
        """The PUB's shape (the parameter values' shape without the last axis)."""
        return tuple(self.parameter_values.shape[:-1])


@dataclass(frozen=True, eq=False)
class EstimatorPubSpec:
    """A validated Estimator PUB; ``observables`` is an object array of ``{pauli: coeff}``."""

    circuit: Any
    observables: ObjectArray
    parameter_values: FloatArray
    precision: float
    shape: tuple[int, ...]

    @property
    def shots(self) -> int:
        """Shots a hardware estimator would spend for this precision (``1 / precision**2``)."""
        return max(1, math.ceil(1.0 / self.precision**2 - 1e-9))


@dataclass(frozen=True, eq=False)
class PreparedJob:
    """A job whose ``params`` passed validation, ready for :func:`run_prepared`."""

    program_id: Literal["sampler", "estimator"]
    backend_name: str
    pubs: tuple[SamplerPubSpec | EstimatorPubSpec, ...]
    support_qiskit: bool
    """Serve the qiskit-typed result (true) or the plain-JSON one (false, the default)."""
    seed: int | None
    resilience_level: int | None = None
    warnings: list[str] = field(default_factory=list)
    """Accepted-but-ignored inputs (unknown option keys, noise-related options), for the log."""
    noise: Calibration | None = None
    """The calibration whose noise the simulation applies (None: noiseless)."""
    violation: str | None = None
    """Why the job is not made of ISA circuits (the failure reason, code 1517), else None."""


# ------------------------------------------------------------------------------ small checks


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _positive_int(value: Any, path: str, what: str, *, maximum: int | None = None) -> int:
    # JSON encoders sometimes write integral numbers as 1000.0; accept those.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidParams(path, f"{what} must be a positive integer, got {json_kind(value)}")
    if value <= 0:
        raise InvalidParams(path, f"{what} must be a positive integer, got {value}")
    if maximum is not None and value > maximum:
        raise InvalidParams(path, f"{what} is {value}, above the maximum of {maximum}")
    return value


def _positive_float(value: Any, path: str, what: str) -> float:
    if not _is_number(value):
        raise InvalidParams(path, f"{what} must be a positive number, got {json_kind(value)}")
    number = float(value)
    if not (number > 0 and math.isfinite(number)):
        raise InvalidParams(path, f"{what} must be a positive number, got {value}")
    return number


def _seed(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidParams(path, f"a seed must be a non-negative integer or null, got {value!r}")
    return value


# ------------------------------------------------------------------------------ circuits


class _ParseCache:
    """Parsed circuits by program text (OpenQASM, or base64 QPY), least recently used first out.

    Clients resubmit the same small program with new parameter values, and the OpenQASM 3 parser
    costs ~1 ms even for tiny programs. Only small programs that give small circuits are kept,
    so the cache never holds more than a few MB. Cached circuits are shared: nothing below ever
    mutates a circuit.
    """

    MAX_TEXT = 8192
    MAX_INSTRUCTIONS = 2000
    MAX_BITS = 1024

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, text: str, parse: Callable[[str], Any]) -> Any:
        if len(text) > self.MAX_TEXT:
            return parse(text)
        with self._lock:
            circuit = self._items.get(text)
            if circuit is not None:
                self._items.move_to_end(text)
                return circuit
        circuit = parse(text)
        small = (
            len(circuit.data) <= self.MAX_INSTRUCTIONS
            and circuit.num_qubits + circuit.num_clbits <= self.MAX_BITS
        )
        if small:
            with self._lock:
                self._items[text] = circuit
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return circuit


_QASM_CACHE = _ParseCache(128)
_QPY_CACHE = _ParseCache(64)


def _load_qasm(text: str) -> Any:
    return _QASM_CACHE.get(text, _parse_qasm)


def _load_qpy(text: str) -> Any:
    return _QPY_CACHE.get(text, _parse_qpy)


def _parse_qasm(text: str) -> Any:
    from qiskit import qasm2, qasm3

    match = _QASM_VERSION.match(text)
    if match is not None and match.group(1) == "2":
        return qasm2.loads(text, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
    return qasm3.loads(text)


def _parse_qpy(text: str) -> Any:
    from qiskit import qpy

    raw = base64.b64decode(text, validate=True)
    try:
        data = zlib.decompress(raw)
    except zlib.error:
        if not raw.startswith(b"QISKIT"):
            raise ValueError("not a zlib-compressed QPY payload") from None
        data = raw  # uncompressed QPY: not what the client sends, but unambiguous
    programs = qpy.load(io.BytesIO(data))
    if len(programs) != 1:
        raise ValueError(f"the QPY payload holds {len(programs)} programs; exactly 1 is needed")
    return programs[0]


def warm_up() -> None:
    """Import qiskit and the primitives, and run tiny jobs now (~0.5 s) rather than on the first
    job."""
    from qiskit.circuit import QuantumCircuit

    bell = _load_qasm(
        'OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[2] q;\nbit[2] c;\nh q[0];\ncx q[0], q[1];\n'
        "c = measure q;\n"
    )
    _run_sampler([SamplerPubSpec(bell, np.zeros(0), 8)], seed=0)
    if _use_aer():  # noise models: qiskit-aer's noise package and qiskit's channel classes
        from qiskit_runtime_emulator.backends import DEVICES

        noise = DEVICES["ibm_emulator_5q"].calibration
        _run_sampler([SamplerPubSpec(bell, np.zeros(0), 8)], seed=0, noise=noise)
    state = QuantumCircuit(1)
    state.ry(0.5, 0)
    observables = np.empty((), dtype=object)
    observables[()] = {"Z": 1.0}
    _run_estimator([EstimatorPubSpec(state, observables, np.zeros(0), 0.1, ())], seed=0)


def _parse_circuit(value: Any, path: str) -> Any:
    from qiskit.circuit import QuantumCircuit

    if isinstance(value, str):
        try:
            circuit = _load_qasm(value)
        except Exception as exc:  # the parsers raise assorted error types
            message = describe_parse_error(exc, value)
            raise InvalidParams(path, f"the OpenQASM program does not parse: {message}") from None
    elif isinstance(value, Mapping) and value.get("__type__") == "QuantumCircuit":
        payload = value.get("__value__")
        if not isinstance(payload, str):
            raise InvalidParams(path, "a QuantumCircuit's __value__ must be a base64 string")
        try:
            circuit = _load_qpy(payload)
        except (binascii.Error, ValueError) as exc:
            raise InvalidParams(path, f"cannot decode the QPY circuit: {exc}") from None
        except Exception as exc:  # qpy raises assorted errors on corrupt payloads
            raise InvalidParams(path, f"cannot decode the QPY circuit: {exc!r}") from None
    else:
        raise InvalidParams(
            path,
            "a circuit must be OpenQASM text or a {'__type__': 'QuantumCircuit', ...} object, "
            f"got {json_kind(value)}",
        )
    if not isinstance(circuit, QuantumCircuit):
        raise InvalidParams(path, f"expected a quantum circuit, got {type(circuit).__name__}")
    return circuit


# ------------------------------------------------------------------------------ parameter values


def _numeric_array(value: Any, path: str) -> FloatArray:
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        raise InvalidParams(path, "parameter values are not a rectangular array") from None
    if array.dtype.kind not in "iuf":
        raise InvalidParams(path, "parameter values must be real numbers")
    out = array.astype(np.float64)
    if not np.all(np.isfinite(out)):
        raise InvalidParams(path, "parameter values must be finite numbers")
    return out


def _parameter_values(value: Any, circuit: Any, path: str) -> FloatArray:
    """Return the values as ``(*bind_shape, num_parameters)``, columns in ``circuit.parameters``
    order. A single-parameter circuit follows qiskit's ``BindingsArray`` rule: an array whose last
    axis is not 1 is the bind shape itself."""
    params = list(circuit.parameters)
    count = len(params)
    names = ", ".join(p.name for p in params)
    if value is None:
        if count:
            raise InvalidParams(
                path, f"the circuit has {count} parameters ({names}) but no values were given"
            )
        return np.zeros((0,), dtype=np.float64)
    if isinstance(value, Mapping) and "__type__" not in value:
        return _values_by_name(value, params, path)
    if isinstance(value, Mapping):
        try:
            raw = decode_ndarray(value, path=path)
        except ResultDecodeError as exc:
            raise InvalidParams("", str(exc)) from None
        array = _numeric_array(raw, path)
    elif isinstance(value, list) or _is_number(value):
        array = _numeric_array(value, path)
    else:
        raise InvalidParams(
            path, f"parameter values must be an array, an ndarray or an object, got {value!r}"
        )
    if count == 1 and (array.ndim == 0 or array.shape[-1] != 1):
        return array[..., np.newaxis]
    if array.ndim == 0 or array.shape[-1] != count:
        columns = 0 if array.ndim == 0 else array.shape[-1]
        raise InvalidParams(
            path,
            f"parameter values have {columns} columns (shape {array.shape}) but the circuit has "
            f"{count} parameters" + (f" ({names})" if count else ""),
        )
    return array


def _values_by_name(value: Mapping[str, Any], params: list[Any], path: str) -> FloatArray:
    by_name = {p.name: p for p in params}
    unknown = sorted(set(value) - set(by_name))
    if unknown:
        raise InvalidParams(path, f"the circuit has no parameter named {', '.join(unknown)}")
    missing = [name for name in by_name if name not in value]
    if missing:
        raise InvalidParams(path, f"no values for parameter {', '.join(missing)}")
    if not params:
        return np.zeros((0,), dtype=np.float64)
    columns = []
    for p in params:
        column = _numeric_array(value[p.name], f"{path}.{p.name}")
        if column.ndim and column.shape[-1] == 1:
            column = column[..., 0]  # qiskit's rule for single-parameter entries
        columns.append(column)
    try:
        stacked = np.stack(np.broadcast_arrays(*columns), axis=-1)
    except ValueError:
        shapes = ", ".join(f"{p.name}: {c.shape}" for p, c in zip(params, columns, strict=True))
        raise InvalidParams(path, f"parameter value shapes do not broadcast ({shapes})") from None
    return np.ascontiguousarray(stacked)


# ------------------------------------------------------------------------------ observables


def _pauli_dict(value: Mapping[str, Any], num_qubits: int | None, path: str) -> dict[str, float]:
    if not value:
        raise InvalidParams(path, "an observable needs at least one Pauli term")
    out: dict[str, float] = {}
    for label, coeff in value.items():
        _check_pauli(label, num_qubits, path)
        if not _is_number(coeff) or not math.isfinite(coeff):
            raise InvalidParams(
                path, f"the coefficient of {label!r} must be a real number, got {coeff!r}"
            )
        out[label] = out.get(label, 0.0) + float(coeff)
    return out


def _check_pauli(label: Any, num_qubits: int | None, path: str) -> None:
    """A Pauli string; of ``num_qubits`` characters unless None (devices: the ISA check)."""
    if not isinstance(label, str):
        raise InvalidParams(path, f"a Pauli string must be a string, got {json_kind(label)}")
    bad = set(label) - _PAULI_CHARS
    if bad:
        chars = ", ".join(repr(c) for c in sorted(bad))
        raise InvalidParams(
            path, f"Pauli string {label!r} contains {chars}; only I, X, Y and Z are allowed"
        )
    if num_qubits is not None and len(label) != num_qubits:
        raise InvalidParams(
            path,
            f"Pauli string {label!r} has length {len(label)} but the circuit has {num_qubits} "
            "qubits",
        )


def _walk_observables(
    value: Any, num_qubits: int | None, path: str, leaves: list[dict[str, float]]
) -> tuple[int, ...]:
    if isinstance(value, str):
        _check_pauli(value, num_qubits, path)
        leaves.append({value: 1.0})
        return ()
    if isinstance(value, Mapping):
        if "__type__" in value:
            if value.get("__type__") != "ObservablesArray" or "__value__" not in value:
                raise InvalidParams(path, f"unexpected typed object {value.get('__type__')!r}")
            return _walk_observables(value["__value__"], num_qubits, path, leaves)
        leaves.append(_pauli_dict(value, num_qubits, path))
        return ()
    if isinstance(value, list):
        if not value:
            raise InvalidParams(path, "an empty list of observables")
        shapes = [
            _walk_observables(item, num_qubits, f"{path}[{i}]", leaves)
            for i, item in enumerate(value)
        ]
        for i, shape in enumerate(shapes):
            if shape != shapes[0]:
                raise InvalidParams(
                    path,
                    f"observables are not a rectangular nested list: item 0 has shape "
                    f"{shapes[0]} but item {i} has shape {shape}",
                )
        return (len(value), *shapes[0])
    raise InvalidParams(
        path,
        "observables must be a Pauli string, a {pauli: coefficient} object or a (nested) list "
        f"of them, got {json_kind(value)}",
    )


def _observables(value: Any, num_qubits: int | None, path: str) -> ObjectArray:
    leaves: list[dict[str, float]] = []
    shape = _walk_observables(value, num_qubits, path, leaves)
    array = np.empty(len(leaves), dtype=object)
    for i, leaf in enumerate(leaves):
        array[i] = leaf
    return array.reshape(shape)


# ------------------------------------------------------------------------------ options


def _options(
    program_id: str, options: Mapping[str, Any], warnings: list[str]
) -> tuple[int | None, float | None, int | None]:
    """Check the options the emulator uses; return (default_shots, default_precision, seed)."""
    known = _SAMPLER_OPTIONS if program_id == "sampler" else _ESTIMATOR_OPTIONS
    for key in options:
        if key not in known:
            warnings.append(f"options.{key} is not a known {program_id} option and was ignored")
    shots = options.get("default_shots")
    if shots is not None:
        shots = _positive_int(shots, "options.default_shots", "default_shots")
    precision = options.get("default_precision")
    if precision is not None:
        precision = _positive_float(precision, "options.default_precision", "default_precision")
    simulator = options.get("simulator")
    seed = None
    if simulator is not None:
        if not isinstance(simulator, Mapping):
            raise InvalidParams("options.simulator", "must be an object")
        for key in simulator:
            if key not in _SIMULATOR_OPTIONS:
                warnings.append(f"options.simulator.{key} is not a known option and was ignored")
        seed = _seed(simulator.get("seed_simulator"), "options.simulator.seed_simulator")
        for key in ("noise_model", "coupling_map", "basis_gates"):
            if simulator.get(key) is not None:
                warnings.append(
                    f"options.simulator.{key} has no effect: device backends simulate the noise "
                    "of their own calibration on their own target, the simulator backend none"
                )
    if program_id == "estimator":
        estimator_seed = _seed(options.get("seed_estimator"), "options.seed_estimator")
        seed = estimator_seed if estimator_seed is not None else seed
    for key, why in _NO_EFFECT_SECTIONS.items():
        section = options.get(key)
        if section is not None and not isinstance(section, Mapping):
            raise InvalidParams(f"options.{key}", f"must be an object, got {json_kind(section)}")
        if section:
            warnings.append(f"options.{key} is recorded but has no effect: {why}")
    return shots, precision, seed


# ------------------------------------------------------------------------------ validation


def _pub_items(pub: Any, path: str, minimum: int, maximum: int, allow_bare: bool) -> list[Any]:
    if not isinstance(pub, list):
        if allow_bare:
            return [pub]
        raise InvalidParams(
            path,
            f"an Estimator PUB must be an array [circuit, observables, ...], got {json_kind(pub)}",
        )
    if not minimum <= len(pub) <= maximum:
        raise InvalidParams(
            path, f"a PUB has {minimum} to {maximum} items, this one has {len(pub)}"
        )
    return pub


def _sampler_pub(pub: Any, backend: Backend, path: str, default_shots: int) -> SamplerPubSpec:
    items = _pub_items(pub, path, 1, 3, allow_bare=True)
    circuit_path = f"{path}[0]" if isinstance(pub, list) else path
    circuit = _parse_circuit(items[0], circuit_path)
    if not circuit.cregs:
        raise InvalidParams(
            circuit_path, "a Sampler circuit needs a classical register to hold measurements"
        )
    if not any(inst.operation.name == "measure" for inst in circuit.data):
        raise InvalidParams(circuit_path, "the Sampler circuit has no measurements")
    values = _parameter_values(items[1] if len(items) > 1 else None, circuit, f"{path}[1]")
    shots = default_shots
    if len(items) > 2 and items[2] is not None:
        shots = _positive_int(items[2], f"{path}[2]", "shots", maximum=backend.max_shots)
    return SamplerPubSpec(circuit=circuit, parameter_values=values, shots=shots)


def _estimator_pub(
    pub: Any, backend: Backend, path: str, default_precision: float
) -> EstimatorPubSpec:
    items = _pub_items(pub, path, 2, 4, allow_bare=False)
    circuit = _parse_circuit(items[0], f"{path}[0]")
    # On devices, observables of another width than the circuit's are not ISA observables: the
    # job fails (code 1517) rather than the request; the simulator has no ISA.
    width = circuit.num_qubits if backend.simulator else None
    observables = _observables(items[1], width, f"{path}[1]")
    values = _parameter_values(items[2] if len(items) > 2 else None, circuit, f"{path}[2]")
    precision = default_precision
    if len(items) > 3 and items[3] is not None:
        precision = _positive_float(items[3], f"{path}[3]", "precision")
    bind_shape = values.shape[:-1]
    try:
        shape = np.broadcast_shapes(observables.shape, bind_shape)
    except ValueError:
        raise InvalidParams(
            path,
            f"observables shape {observables.shape} and parameter values shape {bind_shape} "
            "(without the parameter axis) do not broadcast",
        ) from None
    return EstimatorPubSpec(
        circuit=circuit,
        observables=observables,
        parameter_values=values,
        precision=precision,
        shape=tuple(shape),
    )


def _check_bindings(shape: tuple[int, ...], path: str) -> None:
    # An empty PUB (parameter values [] or {"theta": []}) has nothing to run, and the primitives
    # do not cope with it (Aer's crash the process): refuse it here.
    if 0 in shape:
        raise InvalidParams(
            path, f"the PUB has no parameter bindings (its shape {shape} has size 0)"
        )


def _violation(
    pubs: list[Any], specs: list[SamplerPubSpec | EstimatorPubSpec], backend: Backend
) -> str | None:
    """The ISA check (:mod:`.isa`): why the job's circuits or observables do not fit the
    backend's target, naming the PUB and field; None if they do. The simulator checks widths
    only."""
    for i, (pub, spec) in enumerate(zip(pubs, specs, strict=True)):
        where = f"pubs[{i}][0]" if isinstance(pub, list) else f"pubs[{i}]"
        if backend.simulator:
            if spec.circuit.num_qubits > backend.num_qubits:
                return (
                    f"{where}: the circuit has {spec.circuit.num_qubits} qubits but "
                    f"{backend.name} has {backend.num_qubits}"
                )
            continue
        found = circuit_violation(spec.circuit, backend.target(), backend.name)
        if found is not None:
            return f"{where}: {found}"
        if isinstance(spec, EstimatorPubSpec):
            found = observable_violation(spec.observables, spec.circuit.num_qubits)
            if found is not None:
                return f"pubs[{i}][1]{found if found.startswith('[') else ': ' + found}"
    return None


def validate_params(program_id: str, params: Any, backend: Backend) -> PreparedJob:
    """Check a job's ``params`` against the program and backend; raise :class:`InvalidParams`.

    A job that is valid but not made of ISA circuits comes back with ``violation`` set (the job
    is to fail with reason code 1517); ``noise`` is the backend's calibration when it simulates
    noise."""
    if program_id not in ("sampler", "estimator"):
        raise InvalidParams("program_id", f"must be 'sampler' or 'estimator', got {program_id!r}")
    if not isinstance(params, Mapping):
        raise InvalidParams("params", f"must be an object, got {json_kind(params)}")
    warnings: list[str] = []
    known = _SAMPLER_PARAMS if program_id == "sampler" else _ESTIMATOR_PARAMS
    for key in params:
        if key not in known:
            warnings.append(f"params.{key} is not a known {program_id} parameter and was ignored")
    version = params.get("version", 2)
    if isinstance(version, bool) or version != 2:
        raise InvalidParams(
            "version", f"only version 2 of the primitives is supported, got {version!r}"
        )
    support_qiskit = params.get("support_qiskit", False)
    if support_qiskit is None:
        support_qiskit = False
    if not isinstance(support_qiskit, bool):
        raise InvalidParams("support_qiskit", f"must be a boolean, got {json_kind(support_qiskit)}")
    options = params.get("options") or {}
    if not isinstance(options, Mapping):
        raise InvalidParams("options", f"must be an object, got {json_kind(options)}")
    default_shots, default_precision, seed = _options(program_id, options, warnings)
    pubs = params.get("pubs")
    if not isinstance(pubs, list) or not pubs:
        raise InvalidParams("pubs", "must be a non-empty array of PUBs")

    resilience_level: int | None = None
    specs: list[SamplerPubSpec | EstimatorPubSpec] = []
    if program_id == "sampler":
        shots = DEFAULT_SHOTS if default_shots is None else default_shots
        shots_path = "options.default_shots"
        if params.get("shots") is not None:
            shots = _positive_int(params["shots"], "shots", "shots")
            shots_path = "shots"
        if shots > backend.max_shots:
            raise InvalidParams(
                shots_path, f"shots is {shots}, above the maximum of {backend.max_shots}"
            )
        total = 0
        for i, pub in enumerate(pubs):
            spec = _sampler_pub(pub, backend, f"pubs[{i}]", shots)
            _check_bindings(spec.shape, f"pubs[{i}]")
            total += math.prod(spec.shape) * spec.shots
            specs.append(spec)
        if total > MAX_TOTAL_SHOTS:
            raise InvalidParams(
                "pubs", f"the job asks for {total} shots in all; the limit is {MAX_TOTAL_SHOTS}"
            )
    else:
        # Precedence (as the service documents it): params.precision, then
        # options.default_shots (as 1/sqrt(shots)), then options.default_precision.
        precision = DEFAULT_PRECISION if default_precision is None else default_precision
        if default_shots is not None:
            if default_precision is not None:
                warnings.append("options.default_shots overrides options.default_precision")
            precision = 1.0 / math.sqrt(default_shots)
        if params.get("precision") is not None:
            precision = _positive_float(params["precision"], "precision", "precision")
        level = params.get("resilience_level")
        if level is not None:
            if isinstance(level, bool) or level not in (0, 1, 2):
                raise InvalidParams("resilience_level", f"must be 0, 1 or 2, got {level!r}")
            resilience_level = int(level)
            if resilience_level:
                warnings.append(
                    f"resilience_level {resilience_level} is recorded but has no effect: the "
                    "emulator applies no error mitigation"
                )
        total = 0
        for i, pub in enumerate(pubs):
            espec = _estimator_pub(pub, backend, f"pubs[{i}]", precision)
            _check_bindings(espec.shape, f"pubs[{i}]")
            total += math.prod(espec.shape)
            specs.append(espec)
        if total > MAX_TOTAL_EVALUATIONS:
            raise InvalidParams(
                "pubs",
                f"the job asks for {total} expectation values; the limit is "
                f"{MAX_TOTAL_EVALUATIONS}",
            )
    violation = _violation(pubs, specs, backend)
    return PreparedJob(
        program_id="sampler" if program_id == "sampler" else "estimator",
        backend_name=backend.name,
        pubs=tuple(specs),
        support_qiskit=support_qiskit,
        seed=seed,
        resilience_level=resilience_level,
        warnings=warnings,
        noise=backend.calibration if backend.noisy else None,
        violation=None if violation is None else non_isa_reason(violation),
    )


# ------------------------------------------------------------------------------ execution


def _use_aer() -> bool:
    """Whether to run with qiskit-aer's primitives (else qiskit's reference ones)."""
    if not AER_AVAILABLE:
        return False
    try:
        import qiskit_aer.primitives  # noqa: F401
    except ImportError:
        return False
    return True


def _aer_backend_options(reduced: list[ReducedCircuit]) -> dict[str, Any]:
    # "automatic" lets Aer choose the stabilizer method for Clifford circuits (a GHZ state on 127
    # qubits runs in milliseconds) and the statevector method otherwise. The memory cap makes a
    # state vector beyond MAX_STATEVECTOR_QUBITS fail at once rather than exhaust the host.
    options: dict[str, Any] = {"method": "automatic", "max_memory_mb": _AER_MAX_MEMORY_MB}
    if max(len(circuit.qubits) for circuit in reduced) < _AER_PARALLEL_QUBITS:
        # Small circuits gain nothing from threads, and OpenMP's idle threads spin: on a busy
        # 2-core host, Bell jobs had a 90th percentile of 5-20 ms with threads, 2-5 ms without.
        options["max_parallel_threads"] = 1
    return options


def _check_width(reduced: list[ReducedCircuit], first: int = 0) -> None:
    """Without Aer every circuit is a state vector: refuse what would not fit."""
    for i, circuit in enumerate(reduced, first):
        width = len(circuit.qubits)
        if width > MAX_STATEVECTOR_QUBITS:
            raise ExecutionError(
                f"pubs[{i}]: the circuit acts on {width} qubits (idle qubits excluded); the "
                f"emulator simulates at most {MAX_STATEVECTOR_QUBITS}",
                REASON_INTERNAL,
            )


def _failure(exc: Exception, reduced: list[ReducedCircuit], first: int = 0) -> ExecutionError:
    """Describe an error a primitive raised while running the PUBs ``first, first + 1, ...``."""
    message = str(exc).strip().strip("'\"") or type(exc).__name__  # AerError quotes its text
    if "Insufficient memory" in message:  # Aer refused a state vector above the memory cap
        i, widest = max(enumerate(reduced, first), key=lambda item: len(item[1].qubits))
        return ExecutionError(
            f"pubs[{i}]: the circuit acts on {len(widest.qubits)} qubits (idle qubits excluded) "
            f"and is not a Clifford circuit; the emulator simulates at most "
            f"{MAX_STATEVECTOR_QUBITS} qubits of non-Clifford circuits",
            REASON_INTERNAL,
        )
    where = f"pubs[{first}]: " if len(reduced) == 1 else ""
    return ExecutionError(
        f"{where}the simulator cannot run the circuit: {message}", REASON_TRANSPILATION
    )


def _located_failure(
    exc: Exception,
    inputs: list[Any],
    reduced: list[ReducedCircuit],
    make_sampler: Callable[[], Any],
) -> ExecutionError:
    """The failure of a job whose PUBs ran together, naming the PUB: each runs alone, at the
    cost of a failed job only, until one fails."""
    from qiskit.exceptions import QiskitError

    if len(inputs) > 1:
        for i, single in enumerate(inputs):
            try:
                make_sampler().run([single]).result()
            except QiskitError as alone:
                return _failure(alone, [reduced[i]], i)
    return _failure(exc, reduced)


@cache
def _aer_instructions() -> tuple[frozenset[str], tuple[str, ...]]:
    """What qiskit-aer simulates as it is, and the basis to translate other gates to (its
    standard gates, non-unitary instructions and control flow)."""
    from qiskit.circuit.library import get_standard_gate_name_mapping
    from qiskit_aer import AerSimulator

    known = frozenset(AerSimulator().configuration().basis_gates) | {"measure", "barrier"}
    flow = {"if_else", "while_loop", "for_loop", "switch_case"}
    basis = (known & set(get_standard_gate_name_mapping())) | {"reset", "delay"} | flow
    return known, tuple(sorted(basis))


def _names(circuit: Any) -> set[str]:
    out: set[str] = set()
    for inst in circuit.data:
        out.add(inst.operation.name)
        for block in getattr(inst.operation, "blocks", ()):
            out |= _names(block)
    return out


def _for_aer(reduced: ReducedCircuit) -> ReducedCircuit:
    """``reduced`` with the gates Aer does not know (user-defined gates of an OpenQASM program,
    say) replaced by their definitions, in the gates it knows; as it is when there are none, or
    when a gate has no definition (Aer then says which). Device circuits passed the ISA check
    and never need this; the simulator backend's may."""
    if not _use_aer():
        return reduced  # qiskit's reference primitives use the definitions themselves
    known, basis = _aer_instructions()
    if _names(reduced.circuit) <= known:
        return reduced
    from qiskit import transpile
    from qiskit.exceptions import QiskitError

    try:
        unrolled = transpile(reduced.circuit, basis_gates=list(basis), optimization_level=0)
    except (QiskitError, ValueError):
        return reduced
    old = dict(zip(reduced.circuit.parameters, reduced.columns.tolist(), strict=True))
    columns = np.array([old[p] for p in unrolled.parameters], dtype=np.intp)
    return replace(reduced, circuit=unrolled, columns=columns)


def _bindings(reduced: ReducedCircuit, values: FloatArray) -> tuple[Any, int]:
    """Parameter values for ``reduced.circuit``: ``(bindings, repeat)``.

    When the reduced circuit has no parameters left, the bindings are ``None`` and ``repeat`` is
    the number of bindings the PUB asked for (all alike): the caller repeats the circuit itself.
    """
    parameters = tuple(reduced.circuit.parameters)
    if not parameters:
        return None, math.prod(values.shape[:-1])
    from qiskit.primitives.containers import BindingsArray

    return BindingsArray({parameters: values[..., reduced.columns]}), 1


def _circuit_metadata(circuit: Any) -> dict[str, Any]:
    metadata = circuit.metadata or {}
    try:
        json.dumps(metadata)
    except (TypeError, ValueError):
        # Metadata from QPY may hold arbitrary objects; send what JSON can carry.
        metadata = json.loads(json.dumps(metadata, default=str))
    return dict(metadata)


def _noise_options(reduced: ReducedCircuit, noise: Calibration, *, seeded: bool) -> dict[str, Any]:
    """Aer options that simulate the noise of ``noise`` on the reduced circuit's active qubits:
    the full model up to :data:`FULL_NOISE_QUBITS` qubits, else its Pauli twirl."""
    options = _aer_backend_options([reduced])
    options["noise_model"] = noise_model(
        noise, reduced.qubits, len(reduced.qubits) > FULL_NOISE_QUBITS
    )
    if not seeded:
        # State-vector trajectories then share their work until the noise draws differ (ten
        # times faster at 14 qubits). Aer's branching does not follow the seed: a seeded job,
        # which must give the same counts every time, runs its trajectories one by one.
        options["shot_branching_enable"] = True
    return options


def _with_idle_readout(
    data: Any, reduced: ReducedCircuit, noise: Calibration, rng: np.random.Generator
) -> Any:
    """``data`` (qiskit's ``DataBin`` of BitArrays) with the readout errors of the measured
    qubits that the reduction left out (their bits read 0 before)."""
    from qiskit.primitives.containers import BitArray as QiskitBitArray
    from qiskit.primitives.containers import DataBin as QiskitDataBin

    circuit = reduced.circuit
    registers = {creg.name: getattr(data, creg.name) for creg in circuit.cregs}
    first = next(iter(registers.values()))
    flips = idle_readout_flips(
        noise, reduced.idle_measurements, (*first.shape, first.num_shots), rng
    )
    fields: dict[str, Any] = {}
    for creg in circuit.cregs:
        bits = registers[creg.name]
        array = np.array(bits.array, dtype=np.uint8)
        width = array.shape[-1]
        for k, clbit in enumerate(creg):
            flip = flips.get(circuit.find_bit(clbit).index)
            if flip is not None:
                # BitArray packs bit k of the register into byte -1 - k // 8, bit k % 8.
                array[..., width - 1 - k // 8] |= flip.astype(np.uint8) << (k % 8)
        fields[creg.name] = QiskitBitArray(array, bits.num_bits)
    return QiskitDataBin(**fields, shape=data.shape)


def sample_reduced(
    reduced: ReducedCircuit,
    bindings: Any,
    shots: int,
    *,
    seed: int | None,
    noise: Calibration | None,
) -> Any:
    """Sample ``reduced.circuit`` (``shots`` shots per binding) with Aer, with the noise of
    ``noise`` on its active qubits and the readout errors of its left-out measured qubits
    (:func:`.noise.idle_readout_flips`); qiskit's reference sampler when Aer is missing (no
    noise then). Returns qiskit's ``DataBin`` (one ``BitArray`` per register); raises
    ``QiskitError`` when the simulator refuses the circuit, :class:`ExecutionError` for noise
    without Aer."""
    sampler: Any
    if _use_aer():
        from qiskit_aer.primitives import SamplerV2

        options = (
            _aer_backend_options([reduced])
            if noise is None
            else _noise_options(reduced, noise, seeded=seed is not None)
        )
        sampler = SamplerV2(seed=seed, options={"backend_options": options})
    else:
        from qiskit.primitives import StatevectorSampler

        if noise is not None:
            raise ExecutionError(
                f"simulating the noise of {noise.backend} needs qiskit-aer, which is not installed"
            )
        sampler = StatevectorSampler(seed=np.random.default_rng(seed))
    data = sampler.run([(reduced.circuit, bindings, shots)]).result()[0].data
    if noise is not None and reduced.idle_measurements:
        rng = np.random.default_rng(None if seed is None else [seed, REASON_NON_ISA])
        data = _with_idle_readout(data, reduced, noise, rng)
    return data


def _run_sampler(
    pubs: list[SamplerPubSpec], seed: int | None, noise: Calibration | None = None
) -> list[PubResult]:
    from qiskit.exceptions import QiskitError

    datas: list[Any] = []
    if noise is not None:
        # One simulation per PUB: each has its own active qubits, hence its own noise model.
        for i, pub in enumerate(pubs):
            reduced_pub = _for_aer(reduce_circuit(pub.circuit, noisy=True))
            bindings, repeat = _bindings(reduced_pub, pub.parameter_values)
            try:
                datas.append(
                    sample_reduced(
                        reduced_pub,
                        bindings,
                        pub.shots * repeat,
                        seed=None if seed is None else seed + i,  # as Aer seeds PUBs
                        noise=noise,
                    )
                )
            except QiskitError as exc:
                raise _failure(exc, [reduced_pub], i) from exc
            except (ExecutionError, MemoryError):
                raise
            except Exception as exc:
                raise ExecutionError(
                    f"pubs[{i}]: the simulation failed: {type(exc).__name__}: {exc}"
                ) from exc
        return _sampler_results(pubs, datas)
    reduced = [_for_aer(reduce_circuit(pub.circuit)) for pub in pubs]
    inputs = []
    for pub, circuit in zip(pubs, reduced, strict=True):
        bindings, repeat = _bindings(circuit, pub.parameter_values)
        inputs.append((circuit.circuit, bindings, pub.shots * repeat))
    aer = _use_aer()
    if not aer:
        _check_width(reduced)

    def make_sampler() -> Any:
        if aer:
            from qiskit_aer.primitives import SamplerV2

            # Aer seeds the PUBs' simulations with seed, seed + 1, ...
            return SamplerV2(seed=seed, options={"backend_options": _aer_backend_options(reduced)})
        from qiskit.primitives import StatevectorSampler

        # A shared generator: an integer seed would give every PUB the same random stream.
        return StatevectorSampler(seed=np.random.default_rng(seed))

    try:
        results = make_sampler().run(inputs).result()
    except QiskitError as exc:  # AerError is one
        raise _located_failure(exc, inputs, reduced, make_sampler) from exc
    return _sampler_results(pubs, [result.data for result in results])


def _sampler_results(pubs: list[SamplerPubSpec], datas: list[Any]) -> list[PubResult]:
    out: list[PubResult] = []
    for pub, data in zip(pubs, datas, strict=True):
        fields: dict[str, BitArray] = {}
        for creg in pub.circuit.cregs:
            # One field per classical register, named after it (the primitives do the same).
            array = np.asarray(getattr(data, creg.name).array, dtype=np.uint8)
            shape = (*pub.shape, pub.shots, array.shape[-1])
            fields[creg.name] = BitArray(array.reshape(shape), creg.size)
        metadata = {"circuit_metadata": _circuit_metadata(pub.circuit)}
        out.append(SamplerPubResult(DataBin(fields, shape=pub.shape), metadata))
    return out


def _pub_seeds(seed: int | None, count: int) -> list[int | None]:
    """One seed per PUB, derived from the job's seed (``None``: unseeded)."""
    if seed is None:
        return [None] * count
    return [int(s) for s in np.random.SeedSequence(seed).generate_state(count)]


def _run_estimator(
    pubs: list[EstimatorPubSpec], seed: int | None, noise: Calibration | None = None
) -> list[PubResult]:
    aer = _use_aer()
    if noise is not None and not aer:
        raise ExecutionError(
            f"simulating the noise of {noise.backend} needs qiskit-aer, which is not installed"
        )
    rng = np.random.default_rng(seed)  # the reference estimator's noise, shared by the PUBs
    out: list[PubResult] = []
    for i, (pub, pub_seed) in enumerate(zip(pubs, _pub_seeds(seed, len(pubs)), strict=True)):
        reduced = _for_aer(reduce_circuit(pub.circuit, noisy=noise is not None))
        observables = np.empty(pub.observables.shape, dtype=object)
        # qiskit rejects observables that are 0 (all terms vanish on idle qubits, or zero
        # coefficients): estimate the identity for those, and subtract that exact 1 afterwards.
        offsets = np.zeros(pub.observables.shape, dtype=np.float64)
        for index, observable in np.ndenumerate(pub.observables):
            terms = reduce_observable(observable, reduced)
            if not any(terms.values()):
                terms = {"I" * len(reduced.qubits): 1.0}
                offsets[index] = 1.0
            observables[index] = terms
        bindings, repeat = _bindings(reduced, pub.parameter_values)
        if repeat > 1:  # no parameters left: one circuit, the PUB's shape from the observables
            observables = np.broadcast_to(observables, pub.shape).copy()
        estimator: Any
        if aer:
            from qiskit_aer.primitives import EstimatorV2

            # Aer adds Gaussian noise with std = precision to the exact values, drawn from
            # default_rng(run_options["seed_simulator"]), which it restarts for every PUB: hence
            # one estimator and one derived seed per PUB.
            run_options = {} if pub_seed is None else {"seed_simulator": pub_seed}
            backend_options = (
                _aer_backend_options([reduced])
                if noise is None
                else _noise_options(reduced, noise, seeded=pub_seed is not None)
            )
            estimator = EstimatorV2(
                options={
                    "default_precision": pub.precision,
                    "backend_options": backend_options,
                    "run_options": run_options,
                }
            )
        else:
            from qiskit.primitives import StatevectorEstimator

            _check_width([reduced], i)
            estimator = StatevectorEstimator(default_precision=pub.precision, seed=rng)
        from qiskit.exceptions import QiskitError

        try:
            result = estimator.run([(reduced.circuit, observables, bindings)]).result()[0]
        except QiskitError as exc:
            raise _failure(exc, [reduced], i) from exc
        except MemoryError:
            raise
        except Exception as exc:
            raise ExecutionError(
                f"pubs[{i}]: the simulation failed: {type(exc).__name__}: {exc}"
            ) from exc
        evs = np.asarray(np.reshape(result.data.evs, pub.shape) - offsets, dtype=np.float64)
        # The service reports the standard error of each estimate, about the target precision.
        # Aer reports the precision; the reference estimator reports 0 (exact values before
        # noise is added): report the precision where no positive value is given.
        reported = np.broadcast_to(np.asarray(result.data.stds, dtype=np.float64), pub.shape)
        stds = np.where(reported > 0, reported, pub.precision)
        data = DataBin(
            {"evs": evs, "stds": stds, "ensemble_standard_error": stds.copy()}, shape=pub.shape
        )
        metadata = {
            "target_precision": pub.precision,
            "shots": pub.shots,
            "circuit_metadata": _circuit_metadata(pub.circuit),
        }
        out.append(PubResult(data, metadata))
    return out


def _estimator_job_metadata() -> dict[str, Any]:
    # What was actually applied: nothing (no suppression or mitigation is emulated).
    return {
        "dynamical_decoupling": {"enable": False},
        "twirling": {"enable_gates": False, "enable_measure": False},
        "resilience": {
            "measure_mitigation": False,
            "zne_mitigation": False,
            "pec_mitigation": False,
        },
        "version": 2,
    }


def run_prepared(prepared: PreparedJob, *, typed: bool | None = None) -> dict[str, Any]:
    """Execute a validated job; return its result as a JSON document.

    The document is the qiskit-typed form when ``typed`` is true and the plain-JSON form when it
    is false; by default (None) the form the job asked for (``prepared.support_qiskit``).
    Raises :class:`ExecutionError` when the job cannot be executed (reason code 1517 for a
    job that is not made of ISA circuits).
    """
    if typed is None:
        typed = prepared.support_qiskit
    if prepared.violation is not None:
        raise ExecutionError(prepared.violation, REASON_NON_ISA)
    start = datetime.now(UTC)
    try:
        if prepared.program_id == "sampler":
            sampler_pubs = [p for p in prepared.pubs if isinstance(p, SamplerPubSpec)]
            pub_results = _run_sampler(sampler_pubs, prepared.seed, prepared.noise)
        else:
            estimator_pubs = [p for p in prepared.pubs if isinstance(p, EstimatorPubSpec)]
            pub_results = _run_estimator(estimator_pubs, prepared.seed, prepared.noise)
    except ExecutionError:
        raise
    except MemoryError:
        raise ExecutionError("the job needs more memory than the emulator has") from None
    except Exception as exc:
        raise ExecutionError(f"the simulation failed: {type(exc).__name__}: {exc}") from exc
    stop = datetime.now(UTC)
    if prepared.program_id == "sampler":
        result = PrimitiveResult(pub_results, {"version": 2})
        spans = [
            (
                start,
                stop,
                {
                    i: ((*pub.shape, pub.shots), 0, math.prod(pub.shape), 0, pub.shots)
                    for i, pub in enumerate(prepared.pubs)
                },
            )
        ]
        return encode_result(result, typed=typed, execution_spans=spans)
    result = PrimitiveResult(pub_results, _estimator_job_metadata())
    return encode_result(result, typed=typed)
