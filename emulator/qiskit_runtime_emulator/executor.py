"""Validate the ``params`` of Sampler V2 / Estimator V2 jobs and execute them.

Two stages, matching the service's life cycle:

* :func:`validate_params` runs while ``POST /jobs`` is handled. It parses every PUB (OpenQASM 3/2
  text or a QPY circuit, parameter values, observables, shots/precision), checks shapes against
  the circuit and the backend, and raises :class:`InvalidParams` (HTTP 400) naming the bad part.
* :func:`run_prepared` runs in a worker thread. It simulates the circuits noiselessly and returns
  the result in both wire forms; a failure at this stage raises :class:`ExecutionError`, which
  the service reports as a failed job with a reason code.

The simulator is a small numpy state-vector engine rather than qiskit's reference primitives:
circuits submitted by qiskit-ibm-runtime are laid out on every qubit of the device (27, 127...),
so the engine first drops idle qubits (still in |0>) and splits the rest into groups of qubits
that interact, simulating each group separately. Idle qubits measure 0, and their Pauli factors
are known (I and Z give 1, X and Y give 0).
"""

from __future__ import annotations

import base64
import binascii
import functools
import io
import json
import math
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
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

from qiskit_runtime_emulator.backends import FakeBackend

__all__ = [
    "DEFAULT_PRECISION",
    "DEFAULT_SHOTS",
    "MAX_STATEVECTOR_QUBITS",
    "REASON_BASIS_GATES",
    "REASON_INTERNAL",
    "REASON_JOB_VALIDATION",
    "REASON_TRANSPILATION",
    "REASON_VALIDATION",
    "EstimatorPubSpec",
    "ExecutionError",
    "InvalidParams",
    "PreparedJob",
    "SamplerPubSpec",
    "run_prepared",
    "validate_params",
    "warm_up",
]

# Reason codes of IBM's error registry (service facts, section 10.4).
REASON_INTERNAL = 1000
REASON_JOB_VALIDATION = 1002
REASON_TRANSPILATION = 1003
REASON_BASIS_GATES = 1005
REASON_VALIDATION = 1008

DEFAULT_SHOTS = 4096
DEFAULT_PRECISION = 0.015625  # 1 / sqrt(4096)
MAX_STATEVECTOR_QUBITS = 24
"""Largest group of interacting qubits simulated (2**24 amplitudes take 256 MiB)."""
FUSION_QUBITS = 5
"""Gates are fused into blocks of up to this many qubits before they touch the state."""
MAX_TOTAL_SHOTS = 10_000_000
"""Sampler jobs: sum over PUBs of (number of bindings x shots)."""
MAX_TOTAL_EVALUATIONS = 1_000_000
"""Estimator jobs: sum over PUBs of the PUB size (expectation values to compute)."""

FloatArray: TypeAlias = npt.NDArray[np.float64]
ObjectArray: TypeAlias = npt.NDArray[np.object_]
ComplexArray: TypeAlias = npt.NDArray[np.complex128]

_PAULI_CHARS = frozenset("IXYZ")
_SAMPLER_OPTIONS = frozenset(
    {"default_shots", "dynamical_decoupling", "execution", "twirling", "simulator", "experimental"}
)
_ESTIMATOR_OPTIONS = _SAMPLER_OPTIONS | {"default_precision", "seed_estimator", "resilience"}
_SIMULATOR_OPTIONS = frozenset({"noise_model", "seed_simulator", "coupling_map", "basis_gates"})
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


# ------------------------------------------------------------------------------ small checks


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _positive_int(value: Any, path: str, what: str, *, maximum: int | None = None) -> int:
    # JSON encoders sometimes write integral numbers as 1000.0; accept those.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidParams(path, f"{what} must be a positive integer, got {_json_kind(value)}")
    if value <= 0:
        raise InvalidParams(path, f"{what} must be a positive integer, got {value}")
    if maximum is not None and value > maximum:
        raise InvalidParams(path, f"{what} is {value}, above the maximum of {maximum}")
    return value


def _positive_float(value: Any, path: str, what: str) -> float:
    if not _is_number(value):
        raise InvalidParams(path, f"{what} must be a positive number, got {_json_kind(value)}")
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


@functools.lru_cache(maxsize=128)
def _load_qasm(text: str) -> Any:
    # Cached: clients resubmit the same program with new parameter values, and the OpenQASM 3
    # parser costs ~1 ms even for tiny programs. Cached circuits are shared, so nothing below
    # ever mutates a circuit.
    from qiskit import qasm2, qasm3

    match = _QASM_VERSION.match(text)
    if match is not None and match.group(1) == "2":
        return qasm2.loads(text, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
    return qasm3.loads(text)


@functools.lru_cache(maxsize=64)
def _load_qpy(text: str) -> Any:
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
    """Import qiskit and load the OpenQASM 3 parser now (~0.1 s) rather than on the first job."""
    _load_qasm('OPENQASM 3.0;\ninclude "stdgates.inc";\nqubit[1] q;\nbit[1] c;\nx q[0];\n')


def _parse_circuit(value: Any, backend: FakeBackend, path: str) -> Any:
    from qiskit.circuit import QuantumCircuit

    if isinstance(value, str):
        try:
            circuit = _load_qasm(value)
        except Exception as exc:  # the parsers raise assorted error types
            message = str(exc).strip() or type(exc).__name__
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
            f"got {_json_kind(value)}",
        )
    if not isinstance(circuit, QuantumCircuit):
        raise InvalidParams(path, f"expected a quantum circuit, got {type(circuit).__name__}")
    if circuit.num_qubits > backend.num_qubits:
        raise InvalidParams(
            path,
            f"the circuit has {circuit.num_qubits} qubits but backend {backend.name} has "
            f"{backend.num_qubits}",
        )
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


def _pauli_dict(value: Mapping[str, Any], num_qubits: int, path: str) -> dict[str, float]:
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


def _check_pauli(label: Any, num_qubits: int, path: str) -> None:
    if not isinstance(label, str):
        raise InvalidParams(path, f"a Pauli string must be a string, got {_json_kind(label)}")
    bad = set(label) - _PAULI_CHARS
    if bad:
        chars = ", ".join(repr(c) for c in sorted(bad))
        raise InvalidParams(
            path, f"Pauli string {label!r} contains {chars}; only I, X, Y and Z are allowed"
        )
    if len(label) != num_qubits:
        raise InvalidParams(
            path,
            f"Pauli string {label!r} has length {len(label)} but the circuit has {num_qubits} "
            "qubits",
        )


def _walk_observables(
    value: Any, num_qubits: int, path: str, leaves: list[dict[str, float]]
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
        f"of them, got {_json_kind(value)}",
    )


def _observables(value: Any, num_qubits: int, path: str) -> ObjectArray:
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
                    f"options.simulator.{key} has no effect: the emulator simulates noiselessly"
                )
    if program_id == "estimator":
        estimator_seed = _seed(options.get("seed_estimator"), "options.seed_estimator")
        seed = estimator_seed if estimator_seed is not None else seed
    for key in ("dynamical_decoupling", "twirling", "resilience", "execution"):
        section = options.get(key)
        if section is not None and not isinstance(section, Mapping):
            raise InvalidParams(f"options.{key}", f"must be an object, got {_json_kind(section)}")
        if section:
            warnings.append(f"options.{key} has no effect: the emulator simulates noiselessly")
    return shots, precision, seed


# ------------------------------------------------------------------------------ validation


def _pub_items(pub: Any, path: str, minimum: int, maximum: int, allow_bare: bool) -> list[Any]:
    if not isinstance(pub, list):
        if allow_bare:
            return [pub]
        raise InvalidParams(
            path,
            f"an Estimator PUB must be an array [circuit, observables, ...], got {_json_kind(pub)}",
        )
    if not minimum <= len(pub) <= maximum:
        raise InvalidParams(
            path, f"a PUB has {minimum} to {maximum} items, this one has {len(pub)}"
        )
    return pub


def _sampler_pub(pub: Any, backend: FakeBackend, path: str, default_shots: int) -> SamplerPubSpec:
    items = _pub_items(pub, path, 1, 3, allow_bare=True)
    circuit_path = f"{path}[0]" if isinstance(pub, list) else path
    circuit = _parse_circuit(items[0], backend, circuit_path)
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
    pub: Any, backend: FakeBackend, path: str, default_precision: float
) -> EstimatorPubSpec:
    items = _pub_items(pub, path, 2, 4, allow_bare=False)
    circuit = _parse_circuit(items[0], backend, f"{path}[0]")
    observables = _observables(items[1], circuit.num_qubits, f"{path}[1]")
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


def validate_params(program_id: str, params: Any, backend: FakeBackend) -> PreparedJob:
    """Check a job's ``params`` against the program and backend; raise :class:`InvalidParams`."""
    if program_id not in ("sampler", "estimator"):
        raise InvalidParams("program_id", f"must be 'sampler' or 'estimator', got {program_id!r}")
    if not isinstance(params, Mapping):
        raise InvalidParams("params", f"must be an object, got {_json_kind(params)}")
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
        raise InvalidParams(
            "support_qiskit", f"must be a boolean, got {_json_kind(support_qiskit)}"
        )
    options = params.get("options") or {}
    if not isinstance(options, Mapping):
        raise InvalidParams("options", f"must be an object, got {_json_kind(options)}")
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
                    f"resilience_level {resilience_level} has no effect: the emulator simulates "
                    "noiselessly"
                )
        total = 0
        for i, pub in enumerate(pubs):
            espec = _estimator_pub(pub, backend, f"pubs[{i}]", precision)
            total += math.prod(espec.shape)
            specs.append(espec)
        if total > MAX_TOTAL_EVALUATIONS:
            raise InvalidParams(
                "pubs",
                f"the job asks for {total} expectation values; the limit is "
                f"{MAX_TOTAL_EVALUATIONS}",
            )
    return PreparedJob(
        program_id="sampler" if program_id == "sampler" else "estimator",
        backend_name=backend.name,
        pubs=tuple(specs),
        support_qiskit=support_qiskit,
        seed=seed,
        resilience_level=resilience_level,
        warnings=warnings,
    )


# ------------------------------------------------------------------------------ simulation


_Op: TypeAlias = tuple[ComplexArray, tuple[int, ...]]


@dataclass
class _Component:
    """Qubits that interact with each other, simulated as one state vector."""

    qubits: list[int]  # original qubit indices; local qubit j is qubits[j]
    circuit: Any  # the component's gates on len(qubits) qubits
    qargs: list[tuple[int, ...]]  # local qubits of each instruction of `circuit`
    columns: npt.NDArray[np.intp]  # parameter-value columns, in circuit.parameters order
    matrices: list[ComplexArray | None]  # per instruction; None when it has parameters
    static_state: ComplexArray | None = None

    def state(self, row: FloatArray) -> ComplexArray:
        """The final state vector for one row of parameter values."""
        if self.static_state is not None:
            return self.static_state
        if self.columns.size == 0:
            pairs = zip(self.matrices, self.qargs, strict=True)
            static = [(m, q) for m, q in pairs if m is not None]
            self.static_state = _simulate(len(self.qubits), static)
            return self.static_state
        bound = self.circuit.assign_parameters(row[self.columns])
        ops: list[_Op] = [
            (m if m is not None else _matrix(bound.data[i].operation), self.qargs[i])
            for i, m in enumerate(self.matrices)
        ]
        return _simulate(len(self.qubits), ops)


@dataclass
class _Program:
    """A circuit split into independent components, idle qubits and final measurements."""

    num_qubits: int
    components: list[_Component]
    location: dict[int, tuple[int, int]]  # original qubit -> (component, local qubit)
    measurements: dict[int, int]  # clbit index -> original qubit, or -1 for a constant 0


def _matrix(op: Any) -> ComplexArray:
    try:
        matrix = op.to_matrix()
    except Exception:
        try:
            from qiskit.quantum_info import Operator

            matrix = Operator(op).data
        except Exception as exc:
            raise ExecutionError(
                f"the emulator cannot simulate instruction {op.name!r}: {exc}",
                REASON_TRANSPILATION,
            ) from None
    return np.asarray(matrix, dtype=np.complex128)


def _compile(circuit: Any) -> _Program:
    """Split ``circuit`` into interacting components; check what the simulator supports."""
    from qiskit.circuit import ControlFlowOp, QuantumCircuit

    n = circuit.num_qubits
    qindex = {q: i for i, q in enumerate(circuit.qubits)}
    cindex = {c: i for i, c in enumerate(circuit.clbits)}
    touched = [False] * n  # a gate has acted on the qubit: it may no longer be |0>
    collapsed = [False] * n  # measured after a gate: later gates would need mid-circuit collapse
    measurements: dict[int, int] = {}
    gates: list[tuple[Any, tuple[int, ...]]] = []
    parent = list(range(n))

    def find(q: int) -> int:
        while parent[q] != q:
            parent[q] = parent[parent[q]]
            q = parent[q]
        return q

    for inst in circuit.data:
        op = inst.operation
        name = op.name
        qubits = tuple(qindex[q] for q in inst.qubits)
        if isinstance(op, ControlFlowOp):
            raise ExecutionError(
                f"the emulator cannot run control flow ({name})", REASON_TRANSPILATION
            )
        if name in ("barrier", "delay", "id") or not qubits:
            continue  # no effect on the state (a 0-qubit gate is only a global phase)
        if name == "measure":
            q = qubits[0]
            measurements[cindex[inst.clbits[0]]] = q if touched[q] else -1
            collapsed[q] = collapsed[q] or touched[q]
            continue
        if name == "reset":
            if touched[qubits[0]]:
                raise ExecutionError(
                    f"the emulator cannot run a reset after gates (qubit {qubits[0]})",
                    REASON_TRANSPILATION,
                )
            continue  # a fresh qubit is already |0>
        if inst.clbits:
            raise ExecutionError(
                f"the emulator cannot run {name!r}, which uses classical bits",
                REASON_TRANSPILATION,
            )
        for q in qubits:
            if collapsed[q]:
                raise ExecutionError(
                    f"the emulator cannot run mid-circuit measurements: {name!r} acts on qubit "
                    f"{q} after it was measured",
                    REASON_TRANSPILATION,
                )
            touched[q] = True
        for q in qubits[1:]:
            parent[find(q)] = find(qubits[0])
        gates.append((op, qubits))

    groups: dict[int, list[int]] = {}
    for q in range(n):
        if touched[q]:
            groups.setdefault(find(q), []).append(q)
    location: dict[int, tuple[int, int]] = {}
    members = sorted(groups.values())
    for ci, qubits_of in enumerate(members):
        if len(qubits_of) > MAX_STATEVECTOR_QUBITS:
            raise ExecutionError(
                f"the circuit entangles {len(qubits_of)} qubits; the emulator simulates at most "
                f"{MAX_STATEVECTOR_QUBITS} interacting qubits",
                REASON_INTERNAL,
            )
        for j, q in enumerate(qubits_of):
            location[q] = (ci, j)
    sub_circuits = [QuantumCircuit(len(qs)) for qs in members]
    for op, qubits in gates:
        ci = location[qubits[0]][0]
        sub = sub_circuits[ci]
        sub.append(op, [sub.qubits[location[q][1]] for q in qubits], copy=False)
    column_of = {p: i for i, p in enumerate(circuit.parameters)}
    components = []
    for qs, sub in zip(members, sub_circuits, strict=True):
        matrices: list[ComplexArray | None] = [
            None if inst.operation.is_parameterized() else _matrix(inst.operation)
            for inst in sub.data
        ]
        columns = np.array([column_of[p] for p in sub.parameters], dtype=np.intp)
        qargs = [tuple(sub.find_bit(q).index for q in inst.qubits) for inst in sub.data]
        components.append(_Component(qs, sub, qargs, columns, matrices))
    return _Program(n, components, location, measurements)


def _apply(
    tensor: npt.NDArray[np.complex128], matrix: ComplexArray, axes: list[int]
) -> npt.NDArray[np.complex128]:
    """Apply a ``k``-qubit matrix on tensor ``axes`` (axes[0] is the matrix's lowest bit).

    One BLAS-backed tensordot: measured faster than slicing arithmetic for every gate size, and
    barely slower for 4-qubit matrices than for 1-qubit ones, hence the fusion below.
    """
    k = len(axes)
    # Input axes of the reshaped matrix run from its highest bit (axes[k-1]) to its lowest.
    gate = matrix.reshape((2,) * (2 * k))
    out = np.tensordot(gate, tensor, axes=(list(range(k, 2 * k)), axes[::-1]))
    return np.moveaxis(out, list(range(k)), axes[::-1])


def _fuse(ops: list[_Op], limit: int = FUSION_QUBITS) -> list[_Op]:
    """Merge gates into blocks of at most ``limit`` qubits (one matrix each).

    Open blocks have disjoint qubits, so they commute and can be emitted in any order; a gate
    joins (and merges) the blocks it touches, or flushes them when the result would be too wide.
    """
    blocks: list[tuple[list[int], ComplexArray] | None] = []
    open_block: dict[int, int] = {}  # qubit -> index in `blocks`
    out: list[_Op] = []

    def flush(index: int) -> None:
        block = blocks[index]
        assert block is not None
        qubits, matrix = block
        out.append((matrix, tuple(qubits)))
        for q in qubits:
            del open_block[q]
        blocks[index] = None

    for matrix, qubits in ops:
        touched = sorted({open_block[q] for q in qubits if q in open_block})
        span = set(qubits)
        for index in touched:
            block = blocks[index]
            assert block is not None
            span.update(block[0])
        width = len(span)
        if width > limit:
            for index in touched:
                flush(index)
            touched = []
        # Merge the touched blocks: disjoint qubits, so the joint matrix is a Kronecker product.
        merged_qubits: list[int] = []
        merged: ComplexArray = np.ones((1, 1), dtype=np.complex128)
        for index in touched:
            block = blocks[index]
            assert block is not None
            # Qubits added later are the higher bits of the merged index.
            merged = np.asarray(np.kron(block[1], merged), dtype=np.complex128)
            merged_qubits.extend(block[0])
            for q in block[0]:
                del open_block[q]
            blocks[index] = None
        for q in qubits:
            if q not in merged_qubits:
                merged = np.asarray(np.kron(np.eye(2), merged), dtype=np.complex128)
                merged_qubits.append(q)
        # Left-multiply by the gate, embedded on the block's qubits.
        m = len(merged_qubits)
        axes = [m - 1 - merged_qubits.index(q) for q in qubits]
        columns = merged.reshape((2,) * m + (1 << m,))
        merged = np.ascontiguousarray(_apply(columns, matrix, axes)).reshape(1 << m, 1 << m)
        blocks.append((merged_qubits, merged))
        for q in merged_qubits:
            open_block[q] = len(blocks) - 1
    for index in sorted(set(open_block.values())):
        flush(index)
    return out


def _simulate(n: int, ops: list[_Op]) -> ComplexArray:
    """Evolve |0...0> on ``n`` qubits; return the state in qiskit's order (qubit 0 = lowest bit).

    The tensor's axes are not kept in a fixed order: ``order[a]`` is the qubit on axis ``a``.
    Each gate's tensordot leaves its qubits on the leading axes; restoring the canonical order
    after every gate would cost a strided copy of the state each time, so it is done once at the
    end.
    """
    psi = np.zeros(1 << n, dtype=np.complex128)
    psi[0] = 1.0
    state = psi.reshape((2,) * n)
    order = list(range(n - 1, -1, -1))
    for matrix, qubits in _fuse(ops):
        axes = [order.index(q) for q in qubits]
        diagonal = np.diagonal(matrix)
        if not np.any(matrix - np.diag(diagonal)):
            # Diagonal blocks (rz, cz, ...) scale slices of the state in place: no copies.
            for index, factor in enumerate(diagonal):
                if factor != 1:
                    where: list[Any] = [slice(None)] * n
                    for bit, axis in enumerate(axes):
                        where[axis] = (index >> bit) & 1
                    state[tuple(where)] *= factor
            continue
        k = len(qubits)
        # The reshaped matrix's input axes run from its highest bit (qubits[k-1]) to its lowest;
        # its output axes come first in the result, in the same order.
        gate = matrix.reshape((2,) * (2 * k))
        state = np.tensordot(gate, state, axes=(list(range(k, 2 * k)), axes[::-1]))
        used = set(axes)
        order = list(qubits[::-1]) + [q for a, q in enumerate(order) if a not in used]
    canonical = state.transpose([order.index(n - 1 - a) for a in range(n)])
    return np.ascontiguousarray(canonical).reshape(-1)


def _sample(
    state: ComplexArray, n: int, local_qubits: list[int], shots: int, rng: np.random.Generator
) -> npt.NDArray[np.bool_]:
    """Sample ``shots`` outcomes of ``local_qubits``; returns bools of shape (shots, len)."""
    probs = (state.real**2 + state.imag**2).reshape((2,) * n)
    keep = sorted({n - 1 - j for j in local_qubits})
    drop = tuple(a for a in range(n) if a not in keep)
    marginal = probs.sum(axis=drop).reshape(-1) if drop else probs.reshape(-1)
    marginal = marginal / marginal.sum()
    outcomes = rng.choice(marginal.size, size=shots, p=marginal)
    width = len(keep)
    # Axis keep[r] holds bit (width-1-r) of the outcome index and is local qubit n-1-keep[r].
    position = {n - 1 - axis: width - 1 - r for r, axis in enumerate(keep)}
    out = np.empty((shots, len(local_qubits)), dtype=np.bool_)
    for col, j in enumerate(local_qubits):
        out[:, col] = (outcomes >> position[j]) & 1
    return out


def _circuit_metadata(circuit: Any) -> dict[str, Any]:
    metadata = circuit.metadata or {}
    try:
        json.dumps(metadata)
    except (TypeError, ValueError):
        # Metadata from QPY may hold arbitrary objects; send what JSON can carry.
        metadata = json.loads(json.dumps(metadata, default=str))
    return dict(metadata)


def _run_sampler_pub(pub: SamplerPubSpec, rng: np.random.Generator) -> SamplerPubResult:
    circuit = pub.circuit
    program = _compile(circuit)
    shape = pub.shape
    values = pub.parameter_values.reshape(math.prod(shape), pub.parameter_values.shape[-1])
    clbits = np.zeros((values.shape[0], pub.shots, circuit.num_clbits), dtype=np.bool_)
    # Which clbits each component feeds: component -> (local qubits, clbit indices).
    feeds: dict[int, tuple[list[int], list[int]]] = {}
    for clbit, q in program.measurements.items():
        if q < 0:
            continue  # a measured idle qubit: the bit stays 0
        ci, j = program.location[q]
        locals_, bits = feeds.setdefault(ci, ([], []))
        locals_.append(j)
        bits.append(clbit)
    for b, row in enumerate(values):
        for ci, (locals_, bits) in feeds.items():
            component = program.components[ci]
            state = component.state(row)
            clbits[b][:, bits] = _sample(state, len(component.qubits), locals_, pub.shots, rng)
    fields: dict[str, BitArray] = {}
    for creg in circuit.cregs:
        columns = [circuit.find_bit(c).index for c in creg]
        # Register bit 0 is the least significant bit: "little" order puts it first.
        bools = clbits[:, :, columns].reshape(*shape, pub.shots, len(columns))
        fields[creg.name] = BitArray.from_bool_array(bools, order="little")
    return SamplerPubResult(
        DataBin(fields, shape=shape), {"circuit_metadata": _circuit_metadata(circuit)}
    )


def _split_terms(
    program: _Program, observable: Mapping[str, float]
) -> tuple[float, list[tuple[float, list[tuple[int, str]]]]]:
    """Split each Pauli term over components: (constant part, [(coeff, [(component, label)])]).

    Idle qubits are in |0>: I and Z contribute a factor 1 and X, Y make the term vanish.
    """
    n = program.num_qubits
    constant = 0.0
    terms: list[tuple[float, list[tuple[int, str]]]] = []
    for label, coeff in observable.items():
        chars: dict[int, list[str]] = {}
        vanishes = False
        for q in range(n):
            ch = label[n - 1 - q]
            if ch == "I":
                continue
            where = program.location.get(q)
            if where is None:
                if ch != "Z":
                    vanishes = True
                    break
                continue
            ci, j = where
            size = len(program.components[ci].qubits)
            chars.setdefault(ci, ["I"] * size)[size - 1 - j] = ch
        if vanishes:
            continue
        if not chars:
            constant += coeff
        else:
            terms.append((coeff, [(ci, "".join(c)) for ci, c in sorted(chars.items())]))
    return constant, terms


class _PauliEvaluator:
    """Expectation values of Pauli labels on each component's state, for one binding at a time.

    States and values of parameter-free components are kept across bindings.
    """

    def __init__(self, program: _Program) -> None:
        self._program = program
        self._row: FloatArray = np.zeros(0)
        self._states: dict[int, Any] = {}
        self._values: dict[tuple[int, str], float] = {}
        self._static_states: dict[int, Any] = {}
        self._static_values: dict[tuple[int, str], float] = {}

    def bind(self, row: FloatArray) -> None:
        """Switch to another row of parameter values."""
        self._row = row
        self._states.clear()
        self._values.clear()

    def expectation(self, ci: int, label: str) -> float:
        """<psi|P|psi> for component ``ci`` and its local Pauli ``label``."""
        from qiskit.quantum_info import Pauli, Statevector

        component = self._program.components[ci]
        static = component.columns.size == 0
        values = self._static_values if static else self._values
        key = (ci, label)
        value = values.get(key)
        if value is None:
            states = self._static_states if static else self._states
            if ci not in states:
                states[ci] = Statevector(component.state(self._row))
            value = float(np.real(states[ci].expectation_value(Pauli(label))))
            values[key] = value
        return value


def _run_estimator_pub(pub: EstimatorPubSpec, rng: np.random.Generator) -> PubResult:
    program = _compile(pub.circuit)
    shape = pub.shape
    values = pub.parameter_values
    bind_shape = values.shape[:-1]
    flat_values = values.reshape(math.prod(bind_shape), values.shape[-1])
    size = math.prod(shape)
    binding = np.broadcast_to(np.arange(flat_values.shape[0]).reshape(bind_shape), shape).reshape(
        -1
    )
    observable = np.broadcast_to(
        np.arange(pub.observables.size).reshape(pub.observables.shape), shape
    ).reshape(-1)
    split: dict[int, tuple[float, list[tuple[float, list[tuple[int, str]]]]]] = {}
    by_binding: dict[int, list[int]] = {}
    for position in range(size):
        by_binding.setdefault(int(binding[position]), []).append(position)
    evaluator = _PauliEvaluator(program)
    evs = np.zeros(size, dtype=np.float64)
    for b, positions in by_binding.items():
        evaluator.bind(flat_values[b])
        for position in positions:
            o = int(observable[position])
            if o not in split:
                split[o] = _split_terms(program, pub.observables.flat[o])  # type: ignore[arg-type]
            constant, terms = split[o]
            total = constant
            for coeff, factors in terms:
                product = coeff
                for ci, label in factors:
                    product *= evaluator.expectation(ci, label)
                    if product == 0.0:
                        break
                total += product
            evs[position] = total
    # Hardware estimates carry shot noise; model it as Gaussian with std = precision, as
    # qiskit's StatevectorEstimator does.
    evs = evs + rng.normal(0.0, pub.precision, size=size)
    stds = np.full(shape, pub.precision, dtype=np.float64)
    data = DataBin(
        {"evs": evs.reshape(shape), "stds": stds, "ensemble_standard_error": stds.copy()},
        shape=shape,
    )
    metadata = {
        "target_precision": pub.precision,
        "shots": pub.shots,
        "circuit_metadata": _circuit_metadata(pub.circuit),
    }
    return PubResult(data, metadata)


def _estimator_job_metadata(prepared: PreparedJob) -> dict[str, Any]:
    # What was actually applied: nothing, since the simulation is noiseless.
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


def run_prepared(prepared: PreparedJob) -> tuple[dict[str, Any], dict[str, Any]]:
    """Execute a validated job; return ``(typed_result, plain_result)`` JSON documents.

    Raises :class:`ExecutionError` when the job cannot be executed.
    """
    rng = np.random.default_rng(prepared.seed)
    start = datetime.now(UTC)
    pub_results: list[PubResult] = []
    try:
        for pub in prepared.pubs:
            if isinstance(pub, SamplerPubSpec):
                pub_results.append(_run_sampler_pub(pub, rng))
            else:
                pub_results.append(_run_estimator_pub(pub, rng))
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
        typed = encode_result(result, typed=True, execution_spans=spans)
        plain = encode_result(result, typed=False, execution_spans=spans)
    else:
        result = PrimitiveResult(pub_results, _estimator_job_metadata(prepared))
        typed = encode_result(result, typed=True)
        plain = encode_result(result, typed=False)
    return typed, plain
