"""Validate and run executor jobs: quantum programs (``program_id: executor``, params ``v2.0``).

qiskit-ibm-runtime's ``Executor``, and the client-side ``executor_sampler.Sampler`` and
``executor_estimator.Estimator`` built on it, submit a ``QuantumProgram``: circuits (QPY or
OpenQASM 3), each with the arguments that say how it runs. Two stages, like :mod:`.executor` for
Sampler and Estimator jobs:

* :func:`validate_program` checks a job's ``params`` when ``POST /jobs`` is handled: it decodes
  the tensors, loads the circuits and each samplex (samplomatic), checks the rules that the
  spec's JSON Schema cannot express, and raises :class:`~.executor.InvalidParams` (HTTP 400)
  whose message starts with the path of the bad field, e.g.
  ``quantum_program.items[1].circuit_arguments: ...``.
* :func:`run_program` simulates a validated program with qiskit-aer and returns the result
  document (``QuantumProgramResult`` of the spec); a failure raises
  :class:`~.executor.ExecutionError`.

Both are pure functions of picklable values (a :class:`PreparedProgram` pickles, samplexes
included), so they can run in worker processes. ``run_program`` takes the simulation seed and,
optionally, the device calibration whose noise to simulate (:class:`~.noise.Calibration`): like
Sampler jobs, circuits then run on their active qubits with the noise model of those qubits
(:func:`~.executor.sample_reduced`). The ISA check of :mod:`.isa` applies to program circuits
as it does to PUBs.

How items run:

* a circuit item binds its ``circuit_arguments`` (``(*sweep, num_parameters)``), broadcast to the
  item's shape, and samples ``shots`` shots per element;
* a samplex item draws parameter values from its samplex for every element of its shape (axes
  where the arguments vary are swept, the others are independent randomizations), binds them
  into the template circuit and samples it; the samplex's other outputs (such as
  ``measurement_flips.<register>``) go into the result beside the registers;
* each classical register comes back as a ``bool`` tensor ``(*shape, shots, size)``, column ``j``
  holding bit ``j``; ``passthrough_data`` and ``semantic_role`` are echoed unchanged.

What a simulator cannot do like the hardware is refused (``meas_level`` other than
``classified``) or accepted with a warning in the job log and no effect (``init_qubits: false``,
``rep_delay``, ``scheduler_timing`` and ``stretch_values``, whose item metadata stays null).
"""

from __future__ import annotations

import base64
import binascii
import copy
import dataclasses
import io
import math
import re
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
from qiskit_runtime_rest.codec import decode_tensor, encode_tensor
from qiskit_runtime_rest.errors import ResultDecodeError

from qiskit_runtime_emulator.backends import Backend
from qiskit_runtime_emulator.circuits import reduce_circuit
from qiskit_runtime_emulator.errors import json_kind
from qiskit_runtime_emulator.executor import (
    MAX_TOTAL_SHOTS,
    REASON_INTERNAL,
    REASON_TRANSPILATION,
    ExecutionError,
    InvalidParams,
    _bindings,
    _for_aer,
    _parse_circuit,
    _positive_int,
    sample_reduced,
)
from qiskit_runtime_emulator.isa import circuit_violation, non_isa_reason
from qiskit_runtime_emulator.noise import Calibration

__all__ = [
    "MAX_QPY_BYTES",
    "MAX_TENSOR_BYTES",
    "SCHEMA_VERSION",
    "CircuitItemSpec",
    "PreparedProgram",
    "SamplexItemSpec",
    "run_program",
    "validate_program",
]

SCHEMA_VERSION = "v2.0"
MAX_QPY_BYTES = 256 << 20
"""Largest decompressed QPY payload of one program (256 MiB)."""
MAX_TENSOR_BYTES = 64 << 20
"""Largest decompressed argument tensor (64 MiB): compressed data may not expand beyond it."""

FloatArray: TypeAlias = npt.NDArray[np.float64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

_KNOWN_PARAMS = frozenset({"schema_version", "quantum_program", "options"})
_KNOWN_PROGRAM = frozenset(
    {"shots", "circuits", "items", "semantic_role", "meas_level", "passthrough_data"}
)
_KNOWN_OPTIONS = frozenset(
    {"init_qubits", "rep_delay", "scheduler_timing", "stretch_values", "experimental"}
)
_MEAS_LEVELS = ("classified", "kerneled", "avg_kerneled", "both")
# The SSV that samplomatic writes into the samplex JSON (possibly inside escaped JSON strings).
_ENCODED_SSV = re.compile(r'"ssv\\*"\s*:\s*\\*"(\d+)')
# Angles this close to a multiple of pi/2 (relative to pi/2) are snapped onto it: samplexes
# draw them as float32, and exact Clifford angles keep circuits eligible for Aer's stabilizer
# method.
_CLIFFORD_SNAP = 1e-6


@dataclass(frozen=True, eq=False)
class CircuitItemSpec:
    """A validated circuit item: ``arguments`` has shape ``(*sweep, num_parameters)`` and
    broadcasts to ``(*shape, num_parameters)``."""

    circuit: Any
    arguments: FloatArray
    shape: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class SamplexItemSpec:
    """A validated samplex item: a finalized samplex, its bound (broadcastable) arguments, and
    the template circuit its ``parameter_values`` output binds into."""

    circuit: Any
    samplex: Any
    arguments: Any
    shape: tuple[int, ...]


ItemSpec: TypeAlias = CircuitItemSpec | SamplexItemSpec


@dataclass(frozen=True, eq=False)
class PreparedProgram:
    """An executor job whose ``params`` passed :func:`validate_program`, ready to run."""

    backend_name: str
    shots: int
    items: tuple[ItemSpec, ...]
    semantic_role: str | None
    passthrough_data: Any
    warnings: list[str] = field(default_factory=list)
    """Accepted-but-ignored inputs (unknown keys, options a simulator cannot honour)."""
    seed: int | None = None
    """Seeds the run (samplex draws and shot sampling); executor params carry no seed, so the
    server sets it (its configured seed, or the job's ``experimental.emulator.seed``)."""
    noise: Calibration | None = None
    """The calibration whose noise the simulation applies (None: noiseless)."""
    violation: str | None = None
    """Why the circuits are not ISA circuits for the backend (the job is to fail with reason
    code 1517); None when they are."""

    @property
    def circuits(self) -> list[Any]:
        """The circuit of each item, in order (for the job's metrics)."""
        return [item.circuit for item in self.items]

    @property
    def total_shots(self) -> int:
        """Shots over all elements of all items."""
        return sum(math.prod(item.shape) for item in self.items) * self.shots


# ------------------------------------------------------------------------------ small checks


def _mapping(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidParams(path, f"must be an object, got {json_kind(value)}")
    return value


def _warn_unknown(
    value: Mapping[str, Any], known: frozenset[str], path: str, warnings: list[str]
) -> None:
    for key in value:
        if key not in known:
            warnings.append(f"params.{path}{key} is not a known field and was ignored")


def _bool(value: Any, path: str, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InvalidParams(path, f"must be a boolean, got {json_kind(value)}")
    return value


def _shape(value: Any, path: str) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise InvalidParams(
            path, f"must be an array of non-negative integers, got {json_kind(value)}"
        )
    for n in value:
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InvalidParams(path, f"must be an array of non-negative integers, got {value!r}")
    return tuple(value)


def _tensor(value: Any, path: str, *, default_dtype: str | None = None) -> npt.NDArray[Any]:
    try:
        return decode_tensor(
            value, path=path, default_dtype=default_dtype, max_bytes=MAX_TENSOR_BYTES
        )
    except ResultDecodeError as exc:
        raise InvalidParams("", str(exc)) from None


def _broadcast(
    shape: tuple[int, ...], inner: tuple[int, ...], path: str, what: str
) -> tuple[int, ...]:
    try:
        full = tuple(int(n) for n in np.broadcast_shapes(shape, inner))
    except ValueError:
        raise InvalidParams(
            path, f"shape {list(shape)} does not broadcast with the {what} shape {list(inner)}"
        ) from None
    if 0 in full:
        raise InvalidParams(path, f"the item has no elements to run (its shape {list(full)})")
    return full


# ------------------------------------------------------------------------------ options


def _options(options: Mapping[str, Any], warnings: list[str]) -> None:
    """Check the executor options; none changes what the emulator computes."""
    _warn_unknown(options, _KNOWN_OPTIONS, "options.", warnings)
    if not _bool(options.get("init_qubits"), "options.init_qubits", True):
        warnings.append(
            "options.init_qubits is false: the emulator starts every shot from |0> regardless"
        )
    rep_delay = options.get("rep_delay")
    if rep_delay is not None:
        if isinstance(rep_delay, bool) or not isinstance(rep_delay, int | float):
            raise InvalidParams(
                "options.rep_delay", f"must be a number of seconds or null, got {rep_delay!r}"
            )
        if not (math.isfinite(rep_delay) and rep_delay >= 0):
            raise InvalidParams("options.rep_delay", f"must be >= 0, got {rep_delay}")
        warnings.append("options.rep_delay has no effect on a simulator")
    for name in ("scheduler_timing", "stretch_values"):
        if _bool(options.get(name), f"options.{name}", False):
            warnings.append(
                f"options.{name} is not available from the emulator: the result's item "
                f"metadata reports {name} as null"
            )
    experimental = options.get("experimental")
    if experimental is not None:
        _mapping(experimental, "options.experimental")


# ------------------------------------------------------------------------------ circuits


def _inflate_qpy(text: Any, path: str) -> bytes:
    if not isinstance(text, str):
        raise InvalidParams(path, f"must be a base64 string, got {json_kind(text)}")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidParams(path, f"invalid base64 ({exc})") from None
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(raw, MAX_QPY_BYTES + 1)
    except zlib.error as exc:
        raise InvalidParams(path, f"not a zlib-compressed QPY file ({exc})") from None
    if len(data) > MAX_QPY_BYTES:
        raise InvalidParams(path, f"the QPY file is larger than {MAX_QPY_BYTES} bytes")
    if not inflater.eof:
        raise InvalidParams(path, "the zlib stream is truncated")
    return data


def _qpy_circuits(node: Mapping[str, Any], backend: Backend, path: str) -> list[Any]:
    from qiskit import __version__ as qiskit_version
    from qiskit import qpy
    from qiskit.circuit import QuantumCircuit
    from qiskit.qpy import formats

    declared_version = _positive_int(node.get("qpy_version"), f"{path}.qpy_version", "qpy_version")
    declared_count = _positive_int(node.get("num_programs"), f"{path}.num_programs", "num_programs")
    data = _inflate_qpy(node.get("b64_data"), f"{path}.b64_data")
    if len(data) < formats.FILE_HEADER_V10_SIZE or not data.startswith(b"QISKIT"):
        raise InvalidParams(f"{path}.b64_data", "not a QPY file (no QISKIT header)")
    # Versions 10 and later share this header layout; the schema admits no earlier version.
    header = formats.FILE_HEADER_V10._make(
        struct.unpack(formats.FILE_HEADER_V10_PACK, data[: formats.FILE_HEADER_V10_SIZE])
    )
    if header.qpy_version > qpy.QPY_VERSION:
        raise InvalidParams(
            f"{path}.qpy_version",
            f"the circuits are QPY version {header.qpy_version}, newer than the emulator reads: "
            f"its qiskit {qiskit_version} reads QPY versions up to {qpy.QPY_VERSION}",
        )
    if header.qpy_version != declared_version:
        raise InvalidParams(
            f"{path}.qpy_version",
            f"is {declared_version} but the QPY file is version {header.qpy_version}",
        )
    if header.num_programs != declared_count:
        raise InvalidParams(
            f"{path}.num_programs",
            f"is {declared_count} but the QPY file holds {header.num_programs} circuits",
        )
    try:
        circuits = list(qpy.load(io.BytesIO(data)))
    except Exception as exc:  # qpy raises assorted errors on corrupt or unsupported payloads
        raise InvalidParams(f"{path}.b64_data", f"cannot load the QPY circuits: {exc!r}") from None
    for i, circuit in enumerate(circuits):
        where = f"{path}.b64_data (circuit {i})"
        if not isinstance(circuit, QuantumCircuit):
            raise InvalidParams(where, f"expected a quantum circuit, got {type(circuit).__name__}")
    return circuits


def _violation(items: tuple[ItemSpec, ...], backend: Backend) -> str | None:
    """The ISA check (:mod:`.isa`), as for Sampler and Estimator jobs: why an item's circuit
    does not fit the backend's target, naming the item; None if every one does. The simulator
    backend checks widths only."""
    for i, item in enumerate(items):
        where = f"quantum_program.items[{i}]"
        circuit = item.circuit
        if backend.simulator:
            if circuit.num_qubits > backend.num_qubits:
                return (
                    f"{where}: the circuit has {circuit.num_qubits} qubits but "
                    f"{backend.name} has {backend.num_qubits}"
                )
            continue
        found = circuit_violation(circuit, backend.target(), backend.name)
        if found is not None:
            return f"{where}: {found}"
    return None


def _circuits(node: Any, backend: Backend) -> list[Any]:
    path = "quantum_program.circuits"
    node = _mapping(node, path)
    if "b64_data" in node:
        return _qpy_circuits(node, backend, path)
    texts = node.get("data")
    if not isinstance(texts, list):
        raise InvalidParams(
            path, "must be QPY ({b64_data, qpy_version, num_programs}) or OpenQASM 3 ({data})"
        )
    out = []
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InvalidParams(f"{path}.data[{i}]", f"must be a string, got {json_kind(text)}")
        out.append(_parse_circuit(text, f"{path}.data[{i}]"))
    return out


# ------------------------------------------------------------------------------ items


def _circuit_item(item: Mapping[str, Any], circuit: Any, path: str) -> CircuitItemSpec:
    node = item.get("circuit_arguments")
    where = f"{path}.circuit_arguments"
    dtype = node.get("dtype", "f64") if isinstance(node, Mapping) else "f64"
    if dtype != "f64":
        raise InvalidParams(f"{where}.dtype", f"circuit arguments are f64, got {dtype!r}")
    arguments = _tensor(node, where, default_dtype="f64")
    count = circuit.num_parameters
    if arguments.ndim == 0 or arguments.shape[-1] != count:
        names = ", ".join(p.name for p in circuit.parameters)
        raise InvalidParams(
            where,
            f"has shape {list(arguments.shape)}; its last axis must be {count}, the number of "
            f"parameters of the item's circuit" + (f" ({names})" if names else ""),
        )
    if not np.all(np.isfinite(arguments)):
        raise InvalidParams(where, "circuit arguments must be finite numbers")
    shape = _shape(item.get("shape"), f"{path}.shape")
    full = _broadcast(shape, tuple(arguments.shape[:-1]), f"{path}.shape", "circuit arguments'")
    return CircuitItemSpec(circuit=circuit, arguments=arguments, shape=full)


def _load_samplex(node: Any, path: str) -> Any:
    import samplomatic
    from samplomatic.serialization import samplex_from_json
    from samplomatic.ssv import SSV

    node = _mapping(node, path)
    ssv = _positive_int(node.get("ssv"), f"{path}.ssv", "ssv")
    text = node.get("samplex_json")
    if not isinstance(text, str):
        raise InvalidParams(f"{path}.samplex_json", f"must be a string, got {json_kind(text)}")
    encoded = _ENCODED_SSV.search(text)
    if encoded is None:
        raise InvalidParams(
            f"{path}.samplex_json", "no serialization version (ssv) found in the samplex JSON"
        )
    if ssv > SSV or int(encoded.group(1)) > SSV:
        newest = max(ssv, int(encoded.group(1)))
        raise InvalidParams(
            f"{path}.ssv",
            f"the samplex is serialization version (ssv) {newest}, newer than the emulator "
            f"reads: its samplomatic {samplomatic.__version__} reads ssv up to {SSV}",
        )
    if int(encoded.group(1)) != ssv:
        raise InvalidParams(
            f"{path}.ssv", f"is {ssv} but the samplex JSON is version {encoded.group(1)}"
        )
    try:
        samplex = samplex_from_json(text)
        samplex.finalize()  # a samplex read back from JSON samples only once finalized
    except Exception as exc:  # samplomatic raises assorted errors for bad samplexes
        raise InvalidParams(f"{path}.samplex_json", f"cannot load the samplex: {exc}") from None
    return samplex


def _samplex_argument(value: Any, path: str) -> Any:
    if isinstance(value, bool | int):
        return value
    if isinstance(value, Mapping) and "sparse_terms" in value:
        from qiskit.quantum_info import PauliLindbladMap

        try:
            terms = [(str(p), list(q), float(r)) for p, q, r in value["sparse_terms"]]
            return PauliLindbladMap.from_sparse_list(terms, int(value["num_qubits"]))
        except Exception as exc:  # wrong arity, types or qubit indices
            raise InvalidParams(path, f"not a valid Pauli-Lindblad map: {exc}") from None
    if isinstance(value, Mapping):
        return _tensor(value, path)
    raise InvalidParams(
        path, f"must be a boolean, an integer, a Pauli-Lindblad map or a tensor, got {value!r}"
    )


def _samplex_item(item: Mapping[str, Any], circuit: Any, path: str) -> SamplexItemSpec:
    samplex = _load_samplex(item.get("samplex"), f"{path}.samplex")
    arguments = samplex.inputs().make_broadcastable()
    given = _mapping(item.get("samplex_arguments"), f"{path}.samplex_arguments")
    for name, raw in given.items():
        where = f"{path}.samplex_arguments[{name!r}]"
        value = _samplex_argument(raw, where)
        try:
            arguments[name] = value
        except Exception as exc:  # samplomatic's ValueError/TypeError name the expectation
            raise InvalidParams(where, str(exc).strip()) from None
    if not arguments.fully_bound:
        missing = arguments.describe(prefix="", include_bound=False)
        raise InvalidParams(
            f"{path}.samplex_arguments", f"missing values for the samplex inputs: {missing}"
        )
    outputs = {spec.name: spec for spec in samplex.outputs().specs}
    values = outputs.get("parameter_values")
    width = values.shape[-1] if values is not None else 0
    if width != circuit.num_parameters:
        raise InvalidParams(
            f"{path}.samplex",
            f"the samplex yields {width} parameter values but the item's circuit has "
            f"{circuit.num_parameters} parameters",
        )
    shape = _shape(item.get("shape"), f"{path}.shape")
    full = _broadcast(shape, tuple(arguments.shape), f"{path}.shape", "samplex arguments'")
    return SamplexItemSpec(circuit=circuit, samplex=samplex, arguments=arguments, shape=full)


def _chunk_sizes(items: list[Any], in_session: bool) -> None:
    sizes: list[int | str] = []
    for i, item in enumerate(items):
        size = item.get("chunk_size", "auto")
        if size != "auto":
            size = _positive_int(
                size, f"quantum_program.items[{i}].chunk_size", "chunk_size (or 'auto')"
            )
        sizes.append(size)
    if "auto" in sizes and len(set(sizes)) > 1:
        raise InvalidParams(
            "quantum_program.items",
            "chunk_size must be 'auto' for every item or an integer for every item, not a mix",
        )
    if sizes and sizes[0] != "auto" and not in_session:
        raise InvalidParams(
            "quantum_program.items[0].chunk_size",
            f"is {sizes[0]}: integer chunk sizes are accepted only for jobs in a session "
            "(mode dedicated); use 'auto'",
        )


# ------------------------------------------------------------------------------ validation


def validate_program(params: Any, backend: Backend, *, in_session: bool = False) -> PreparedProgram:
    """Check an executor job's ``params`` (schema version ``v2.0``) for ``backend``.

    ``in_session`` tells whether the job runs in a dedicated session (integer ``chunk_size``
    values are accepted only there). Returns a :class:`PreparedProgram`; raises
    :class:`~.executor.InvalidParams` (a 400) naming the path of the bad field, relative to
    ``params``.
    """
    params = _mapping(params, "params")
    warnings: list[str] = []
    _warn_unknown(params, _KNOWN_PARAMS, "", warnings)
    version = params.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise InvalidParams(
            "schema_version",
            f"the emulator runs executor params version {SCHEMA_VERSION!r}, got {version!r}",
        )
    if "options" not in params:
        raise InvalidParams("options", "is required (an object, possibly empty)")
    _options(_mapping(params["options"], "options"), warnings)
    program = _mapping(params.get("quantum_program"), "quantum_program")
    _warn_unknown(program, _KNOWN_PROGRAM, "quantum_program.", warnings)
    shots = _positive_int(
        program.get("shots"), "quantum_program.shots", "shots", maximum=backend.max_shots
    )
    level = program.get("meas_level", "classified")
    if level != "classified":
        known = level in _MEAS_LEVELS
        raise InvalidParams(
            "quantum_program.meas_level",
            f"{level!r} is not available: the emulator simulates measurements and returns "
            "classified bits only (meas_level 'classified')"
            + ("" if known else f"; the known levels are {', '.join(_MEAS_LEVELS)}"),
        )
    role = program.get("semantic_role")
    if role is not None and not isinstance(role, str):
        raise InvalidParams(
            "quantum_program.semantic_role", f"must be a string or null, got {json_kind(role)}"
        )
    items = program.get("items")
    if not isinstance(items, list):
        raise InvalidParams("quantum_program.items", f"must be an array, got {json_kind(items)}")
    for i, item in enumerate(items):
        _mapping(item, f"quantum_program.items[{i}]")
    _chunk_sizes(items, in_session)
    circuits = _circuits(program.get("circuits"), backend)
    if len(circuits) != len(items):
        raise InvalidParams(
            "quantum_program.circuits",
            f"holds {len(circuits)} circuits but the program has {len(items)} items: each item "
            "needs exactly one circuit",
        )
    specs: list[ItemSpec] = []
    for i, (item, circuit) in enumerate(zip(items, circuits, strict=True)):
        path = f"quantum_program.items[{i}]"
        kind = item.get("item_type")
        if kind == "circuit":
            specs.append(_circuit_item(item, circuit, path))
        elif kind == "samplex":
            specs.append(_samplex_item(item, circuit, path))
        else:
            raise InvalidParams(
                f"{path}.item_type", f"must be 'circuit' or 'samplex', got {kind!r}"
            )
    prepared = PreparedProgram(
        backend_name=backend.name,
        shots=shots,
        items=tuple(specs),
        semantic_role=role,
        passthrough_data=copy.deepcopy(program.get("passthrough_data")),
        warnings=warnings,
        noise=backend.calibration if backend.noisy else None,
    )
    if prepared.total_shots > MAX_TOTAL_SHOTS:
        raise InvalidParams(
            "quantum_program",
            f"the program asks for {prepared.total_shots} shots in all (shots x the elements "
            f"of every item); the limit is {MAX_TOTAL_SHOTS}",
        )
    violation = _violation(prepared.items, backend)
    if violation is None:
        return prepared
    return dataclasses.replace(prepared, violation=non_isa_reason(violation))


# ------------------------------------------------------------------------------ execution


def _snap_clifford(values: FloatArray) -> FloatArray:
    turns = values / (np.pi / 2)
    nearest = np.round(turns)
    return np.where(np.abs(turns - nearest) < _CLIFFORD_SNAP, nearest * (np.pi / 2), values)


def _item_failure(exc: Exception, width: int, index: int) -> ExecutionError:
    message = str(exc).strip().strip("'\"") or type(exc).__name__  # AerError quotes its text
    where = f"quantum_program.items[{index}]"
    if "Insufficient memory" in message:
        return ExecutionError(
            f"{where}: the circuit acts on {width} qubits (idle qubits excluded) and is too wide "
            "for the emulator's state-vector simulation",
            REASON_INTERNAL,
        )
    return ExecutionError(
        f"{where}: the simulator cannot run the circuit: {message}", REASON_TRANSPILATION
    )


def _sample_registers(
    circuit: Any,
    values: FloatArray,
    shots: int,
    *,
    index: int,
    seed: int,
    noise: Calibration | None,
) -> dict[str, BoolArray]:
    """Sample ``circuit`` bound to ``values`` (``(*shape, num_parameters)``): one bool array
    ``(*shape, shots, size)`` per classical register."""
    from qiskit.exceptions import QiskitError

    shape = tuple(values.shape[:-1])
    # Idle qubits are dropped, with or without noise: the noise model is built for the
    # remaining (active) qubits.
    reduced = _for_aer(reduce_circuit(circuit, noisy=noise is not None))
    bindings, repeat = _bindings(reduced, values)
    try:
        data = sample_reduced(reduced, bindings, shots * repeat, seed=seed, noise=noise)
    except QiskitError as exc:  # AerError is one
        raise _item_failure(exc, len(reduced.qubits), index) from exc
    out: dict[str, BoolArray] = {}
    for register in circuit.cregs:
        bits = getattr(data, register.name).to_bool_array(order="little")
        out[register.name] = np.ascontiguousarray(bits).reshape(*shape, shots, register.size)
    return out


def _draw(samplex: Any, arguments: Any, shape: tuple[int, ...], rng: Any) -> dict[str, Any]:
    """Sample ``samplex`` for every element of ``shape``: axes where the arguments vary are swept
    (one ``sample`` call per point of the sweep), the others are independent randomizations."""
    own = tuple(arguments.shape)
    lead = len(shape) - len(own)
    swept = [axis for axis in range(len(shape)) if axis >= lead and own[axis - lead] > 1]
    randomized = [axis for axis in range(len(shape)) if axis not in swept]
    rand_shape = tuple(shape[axis] for axis in randomized)
    out: dict[str, Any] = {}
    for point in np.ndindex(*(shape[axis] for axis in swept)):
        at = dict(zip(swept, point, strict=True))
        # Index every axis of the arguments' own shape: size-1 axes are dropped too, so that the
        # samplex sees unbatched inputs.
        bound = arguments[tuple(at.get(lead + j, 0) for j in range(len(own)))]
        sample = samplex.sample(
            bound, num_randomizations=math.prod(rand_shape), rng=rng, max_workers=1
        )
        target = tuple(at.get(axis, slice(None)) for axis in range(len(shape)))
        for name, value in sample.items():
            value = np.asarray(value)
            if name not in out:
                out[name] = np.empty((*shape, *value.shape[1:]), dtype=value.dtype)
            out[name][target] = value.reshape(*rand_shape, *value.shape[1:])
    return out


def _run_item(
    item: ItemSpec,
    shots: int,
    index: int,
    seed: np.random.SeedSequence,
    noise: Calibration | None,
) -> dict[str, npt.NDArray[Any]]:
    sim_seed = int(seed.generate_state(1)[0])
    if isinstance(item, CircuitItemSpec):
        count = item.arguments.shape[-1]
        values = np.broadcast_to(item.arguments, (*item.shape, count))
        return dict(
            _sample_registers(
                item.circuit,
                _snap_clifford(values),
                shots,
                index=index,
                seed=sim_seed,
                noise=noise,
            )
        )
    outputs = _draw(item.samplex, item.arguments, item.shape, np.random.default_rng(seed))
    values = np.asarray(outputs.pop("parameter_values", np.zeros((*item.shape, 0))))
    registers = _sample_registers(
        item.circuit,
        _snap_clifford(values.astype(np.float64)),
        shots,
        index=index,
        seed=sim_seed,
        noise=noise,
    )
    return {**outputs, **registers}


def _timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def run_program(
    prepared: PreparedProgram, *, seed: int | None = None, noise: Calibration | None = None
) -> dict[str, Any]:
    """Run a validated program; return its ``QuantumProgramResult`` document (JSON-ready).

    ``seed`` makes the run reproducible (samplex draws and shot sampling); ``noise``, a device's
    calibration, simulates its noise on the qubits each circuit uses (default: none). Each item
    is one chunk of ``metadata.chunk_timing``. Raises :class:`~.executor.ExecutionError` when an
    item cannot be simulated.
    """
    seeds = np.random.SeedSequence(seed).spawn(len(prepared.items))
    data: list[dict[str, Any]] = []
    spans: list[dict[str, Any]] = []
    for index, (item, item_seed) in enumerate(zip(prepared.items, seeds, strict=True)):
        start = datetime.now(UTC)
        try:
            outputs = _run_item(item, prepared.shots, index, item_seed, noise)
        except ExecutionError:
            raise
        except MemoryError:
            raise ExecutionError("the job needs more memory than the emulator has") from None
        except Exception as exc:
            raise ExecutionError(
                f"quantum_program.items[{index}]: the simulation failed: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        stop = datetime.now(UTC)
        data.append(
            {
                "results": {name: encode_tensor(value) for name, value in outputs.items()},
                "metadata": {"scheduler_timing": None, "stretch_values": None},
            }
        )
        size = math.prod(item.shape)
        spans.append(
            {
                "start": _timestamp(start),
                "stop": _timestamp(stop),
                "parts": [
                    {
                        "idx_item": index,
                        "size": size,
                        "permutation": list(range(len(item.shape))),
                        "element_range": [0, size, 1],
                    }
                ],
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "data": data,
        "metadata": {"chunk_timing": spans},
        "passthrough_data": copy.deepcopy(prepared.passthrough_data),
        "semantic_role": prepared.semantic_role,
    }
