"""Quantum programs for the executor (``program_id: executor``) and their results, without qiskit.

The executor program runs a *quantum program*: circuits, each with the arguments that say how it
runs. This module builds one from OpenQASM 3 text and numpy arrays, encodes it into a job's
``params`` (schema version ``v2.0``), and decodes the result into numpy arrays::

    program = QuantumProgram(
        [CircuitItem(ry_qasm, {"theta": np.linspace(0, np.pi, 6).reshape(2, 3)})], shots=100
    )
    params = program.to_params()            # the job's "params"
    result = decode_program_result(payload)  # from GET /jobs/{id}/results
    result[0]["meas"].shape                  # (2, 3, 100, 1): (*item.shape, shots, bits)
    result[0].get_counts("meas", (1, 2))     # {"0": 43, "1": 57}

Programs that qiskit-ibm-runtime (or samplomatic) builds, such as twirled samplex items, are sent
as they are with :class:`EncodedProgram`; their results go back to the official client's decoders
with :meth:`QuantumProgramResult.to_qiskit`. Only numpy and attrs are imported here; qiskit and
qiskit-ibm-runtime only by :meth:`EncodedProgram.from_qiskit` and ``to_qiskit()``.

Conventions (the service's): parameter columns follow the circuit's parameters sorted by name;
a classical register comes back as a ``bool`` array whose last axis holds bit 0 first; an item's
shape is its own ``shape`` broadcast with the leading (sweep) shape of its arguments.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, NoReturn, TypeAlias, cast, overload

import attrs
import numpy as np
import numpy.typing as npt

from qiskit_runtime_rest.codec import decode_tensor, encode_tensor
from qiskit_runtime_rest.errors import ResultDecodeError, ValidationError
from qiskit_runtime_rest.pubs import (
    CircuitInfo,
    ParameterValuesLike,
    _coerce_parameter_values,
    scan_qasm,
)
from qiskit_runtime_rest.results import BitArray

__all__ = [
    "SCHEMA_VERSION",
    "ChunkPart",
    "ChunkSpan",
    "CircuitItem",
    "EncodedProgram",
    "ExecutorOptions",
    "ItemResult",
    "MeasLevel",
    "QuantumProgram",
    "QuantumProgramResult",
    "SchedulerTiming",
    "StretchValue",
    "decode_program_result",
]

SCHEMA_VERSION = "v2.0"
"""The executor params and result schema version this module writes and reads."""

MeasLevel: TypeAlias = Literal["classified", "kerneled", "avg_kerneled", "both"]
_MEAS_LEVELS = ("classified", "kerneled", "avg_kerneled", "both")
_TENSOR_KEYS = frozenset({"data", "shape", "dtype"})


def _fail(message: str) -> NoReturn:
    raise ValidationError(message)


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        _fail(f"{what} must be a positive integer, got {value!r}")
    return int(value)


def _as_shape(value: object, what: str) -> tuple[int, ...]:
    items = (value,) if isinstance(value, int | np.integer) else value
    if not isinstance(items, Sequence | np.ndarray) or isinstance(items, str):
        _fail(f"{what} must be a tuple of non-negative integers, got {value!r}")
    shape = []
    for n in items:
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
            _fail(f"{what} must be a tuple of non-negative integers, got {value!r}")
        shape.append(int(n))
    return tuple(shape)


def _to_json_tree(value: Any, path: str) -> Any:
    """``passthrough_data`` on the wire: numpy arrays become tensors, tuples lists."""
    if isinstance(value, np.ndarray):
        return encode_tensor(value)
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                _fail(f"passthrough_data{path}: keys must be strings, got {key!r}")
            out[key] = _to_json_tree(item, f"{path}.{key}")
        return out
    if isinstance(value, list | tuple):
        return [_to_json_tree(item, f"{path}[{i}]") for i, item in enumerate(value)]
    _fail(f"passthrough_data{path}: cannot send a {type(value).__name__} (JSON values and arrays)")


def _from_json_tree(value: Any, path: str) -> Any:
    """The inverse of :func:`_to_json_tree`: tensor objects become numpy arrays."""
    if isinstance(value, Mapping):
        if set(value) == _TENSOR_KEYS and isinstance(value.get("data"), str):
            return decode_tensor(value, path=path)
        return {key: _from_json_tree(item, f"{path}.{key}") for key, item in value.items()}
    if isinstance(value, list):
        return [_from_json_tree(item, f"{path}[{i}]") for i, item in enumerate(value)]
    return value


# -- programs ----------------------------------------------------------------------------------


@attrs.frozen(init=False, eq=False)
class CircuitItem:
    """An OpenQASM 3 circuit and the parameter values it runs with (immutable).

    ``parameter_values`` follows the Sampler PUB's conventions (see :mod:`.pubs`): an array of
    shape ``(*sweep, num_parameters)`` with columns in parameter-name order, a ``{name: values}``
    mapping whose entries broadcast together, or None for a circuit without parameters.
    ``shape`` (default ``()``) is broadcast with ``sweep``: extra axes repeat the same values, so
    ``CircuitItem(bell, shape=(4,))`` runs the circuit 4 times. The item's :attr:`shape` is the
    broadcast shape, and each register comes back as ``(*shape, shots, bits)``.

    Raises :class:`ValidationError` for values that do not fit the circuit (when the SDK can read
    its parameters) or a shape that does not broadcast.
    """

    circuit: str
    parameter_values: npt.NDArray[np.float64] | None
    shape: tuple[int, ...]
    chunk_size: int | Literal["auto"]
    info: CircuitInfo = attrs.field(repr=False)

    def __init__(
        self,
        circuit: str,
        parameter_values: ParameterValuesLike = None,
        *,
        shape: int | Sequence[int] = (),
        chunk_size: int | Literal["auto"] = "auto",
    ) -> None:
        if not isinstance(circuit, str):
            _fail(
                "a CircuitItem takes OpenQASM 3 text; send programs built with qiskit objects "
                f"through EncodedProgram.from_qiskit (got {type(circuit).__name__})"
            )
        if not circuit.strip():
            _fail("circuit is an empty string; expected OpenQASM 3 program text")
        info = scan_qasm(circuit)
        if circuit.lstrip().startswith("OPENQASM 2"):
            _fail("the executor takes OpenQASM 3 programs; this one is OpenQASM 2")
        values, sweep = _coerce_parameter_values(parameter_values, info)
        own = _as_shape(shape, "shape")
        try:
            full = tuple(int(n) for n in np.broadcast_shapes(own, sweep))
        except ValueError:
            _fail(f"shape {own} does not broadcast with the parameter values' sweep shape {sweep}")
        if chunk_size != "auto":
            chunk_size = _count(chunk_size, "chunk_size")
        self.__attrs_init__(circuit, values, full, chunk_size, info)

    @property
    def parameter_names(self) -> tuple[str, ...] | None:
        """Parameter names in column order, or None when the QASM scan could not tell."""
        return self.info.parameter_names

    @property
    def size(self) -> int:
        """Number of circuit executions (elements of :attr:`shape`), each of ``shots`` shots."""
        return math.prod(self.shape)

    def to_wire(self) -> dict[str, Any]:
        """The item's JSON object (``item_type: circuit``)."""
        values = self.parameter_values
        if values is None:
            values = np.zeros((0,), dtype=np.float64)
        return {
            "item_type": "circuit",
            "circuit_arguments": encode_tensor(values.astype(np.float64, copy=False)),
            "shape": list(self.shape),
            "chunk_size": self.chunk_size,
        }


@attrs.frozen(kw_only=True)
class ExecutorOptions:
    """Execution options of a quantum program (the service's defaults).

    ``scheduler_timing`` and ``stretch_values`` ask for per-item timing metadata (hardware only);
    ``rep_delay`` (seconds) overrides the backend's delay between shots; ``experimental`` is
    passed through as is. ``max_execution_time`` (seconds) is sent as the job's ``cost``, as
    for Sampler and Estimator jobs: the job is cancelled when it runs longer.
    """

    init_qubits: bool = True
    rep_delay: float | None = None
    scheduler_timing: bool = False
    stretch_values: bool = False
    experimental: Mapping[str, Any] = attrs.field(factory=dict)
    max_execution_time: int | None = None

    def to_job_fields(self) -> dict[str, Any]:
        """Job-body fields: ``cost`` (from ``max_execution_time``), if set."""
        if self.max_execution_time is None:
            return {}
        _count(self.max_execution_time, "ExecutorOptions.max_execution_time")
        return {"cost": int(self.max_execution_time)}

    def to_wire(self) -> dict[str, Any]:
        """The ``params.options`` object."""
        for name in ("init_qubits", "scheduler_timing", "stretch_values"):
            if not isinstance(getattr(self, name), bool):
                _fail(f"ExecutorOptions.{name} must be a boolean")
        if self.rep_delay is not None and not (
            isinstance(self.rep_delay, int | float) and self.rep_delay >= 0
        ):
            _fail(f"ExecutorOptions.rep_delay must be >= 0 seconds or None, not {self.rep_delay!r}")
        return {
            "init_qubits": self.init_qubits,
            "rep_delay": self.rep_delay,
            "scheduler_timing": self.scheduler_timing,
            "stretch_values": self.stretch_values,
            "experimental": _to_json_tree(dict(self.experimental), ".experimental"),
        }


def _as_items(items: Sequence[CircuitItem]) -> tuple[CircuitItem, ...]:
    if isinstance(items, CircuitItem):
        items = [items]
    out = tuple(items)
    for i, item in enumerate(out):
        if not isinstance(item, CircuitItem):
            _fail(f"items[{i}] must be a CircuitItem, got {type(item).__name__}")
    if not out:
        _fail("a quantum program needs at least one item")
    return out


def _check_meas_level(instance: Any, attribute: Any, value: Any) -> None:
    if value not in _MEAS_LEVELS:
        _fail(f"meas_level must be one of {', '.join(_MEAS_LEVELS)}, not {value!r}")


def _check_shots(instance: Any, attribute: Any, value: Any) -> None:
    _count(value, "shots")


@attrs.frozen(eq=False)
class QuantumProgram:
    """Circuit items that run ``shots`` shots per element of their shape (immutable).

    ``semantic_role`` and ``passthrough_data`` (JSON values; numpy arrays inside travel as
    tensors) come back unchanged in the result. Raises :class:`ValidationError` for bad input.
    """

    items: tuple[CircuitItem, ...] = attrs.field(converter=_as_items)
    shots: int = attrs.field(kw_only=True, validator=_check_shots)
    meas_level: MeasLevel = attrs.field(
        default="classified", kw_only=True, validator=_check_meas_level
    )
    semantic_role: str | None = attrs.field(default=None, kw_only=True)
    passthrough_data: Any = attrs.field(default=None, kw_only=True)

    @property
    def total_shots(self) -> int:
        """Shots over every element of every item."""
        return sum(item.size for item in self.items) * self.shots

    def to_params(self, options: ExecutorOptions | None = None) -> dict[str, Any]:
        """The executor job's ``params`` (schema version ``v2.0``, OpenQASM 3 circuits)."""
        items = [item.to_wire() for item in self.items]
        if len({item["chunk_size"] == "auto" for item in items}) > 1:
            _fail("chunk_size must be 'auto' for every item or an integer for every item")
        program: dict[str, Any] = {
            "shots": self.shots,
            "circuits": {"data": [item.circuit for item in self.items]},
            "items": items,
            "meas_level": self.meas_level,
            "semantic_role": self.semantic_role,
            "passthrough_data": _to_json_tree(self.passthrough_data, ""),
        }
        return {
            "schema_version": SCHEMA_VERSION,
            "quantum_program": program,
            "options": (options or ExecutorOptions()).to_wire(),
        }


@attrs.frozen(eq=False)
class EncodedProgram:
    """The ``params`` of an executor job, already encoded: sent as they are.

    Use it for programs that qiskit-ibm-runtime or samplomatic build (samplex items, QPY
    circuits): see :meth:`from_qiskit`. Only the outline is checked here; the service checks the
    rest. Raises :class:`ValidationError` if ``params`` is not a JSON object with a
    ``quantum_program``.
    """

    params: Mapping[str, Any] = attrs.field(repr=False)

    @params.validator
    def _check(self, attribute: Any, value: Any) -> None:
        if not isinstance(value, Mapping) or not isinstance(value.get("quantum_program"), Mapping):
            _fail("EncodedProgram needs the executor params: an object with a quantum_program")
        if not isinstance(value.get("quantum_program", {}).get("items"), list):
            _fail("EncodedProgram: params.quantum_program.items must be a list")

    @property
    def num_items(self) -> int:
        """Number of items in the program."""
        return len(self.params["quantum_program"]["items"])

    def __repr__(self) -> str:
        version = self.params.get("schema_version", "?")
        return f"EncodedProgram(schema_version={version!r}, items={self.num_items})"

    @classmethod
    def from_qiskit(cls, program: Any, options: Any = None) -> EncodedProgram:
        """Encode a qiskit-ibm-runtime (or samplomatic) ``QuantumProgram`` with qiskit-ibm-
        runtime's own encoder, exactly as its ``Executor`` would send it.

        ``options`` is qiskit-ibm-runtime's ``ExecutorOptions`` (or a dict of them). Needs the
        ``qiskit`` extra; raises ImportError without it.
        """
        try:
            from qiskit_ibm_runtime import QuantumProgram as RuntimeProgram
            from qiskit_ibm_runtime.options_models.executor import (
                ExecutorOptions as RuntimeOptions,
            )
            from qiskit_ibm_runtime.quantum_program.params_converters import (
                QUANTUM_PROGRAM_PARAMS_CONVERTERS,
            )
        except ImportError as exc:
            raise ImportError(
                "EncodedProgram.from_qiskit needs qiskit-ibm-runtime: "
                "pip install 'qiskit-runtime-rest[qiskit]'"
            ) from exc
        if not isinstance(program, RuntimeProgram):
            program = RuntimeProgram.from_(program)
        if options is None:
            options = RuntimeOptions()
        elif isinstance(options, Mapping):
            options = RuntimeOptions(**options)
        converter = QUANTUM_PROGRAM_PARAMS_CONVERTERS[SCHEMA_VERSION]
        return cls(converter.encoder(program, options).model_dump(mode="json"))

    def to_params(self, options: ExecutorOptions | None = None) -> dict[str, Any]:
        """A copy of the params; ``options``, if given, replace ``params.options``."""
        params = copy.deepcopy(dict(self.params))
        if options is not None:
            params["options"] = options.to_wire()
        params.setdefault("options", {})
        return params


# -- results -----------------------------------------------------------------------------------


@attrs.frozen
class SchedulerTiming:
    """The scheduled timing of an item's circuit, in units of the backend's ``dt``."""

    timing: str
    circuit_duration: int


@attrs.frozen
class StretchValue:
    """How one ``stretch`` of an item's circuit was resolved (units of ``dt``)."""

    name: str
    value: int
    remainder: int
    expanded_values: tuple[tuple[int, int], ...]


@attrs.frozen
class ChunkPart:
    """Elements ``element_range`` (``start, stop, step``) of item ``item``'s permuted, flattened
    shape ran in a chunk."""

    item: int
    size: int
    permutation: tuple[int, ...]
    element_range: tuple[int, int, int]


@attrs.frozen
class ChunkSpan:
    """When one chunk of bound circuits ran, and what it held."""

    start: datetime
    stop: datetime
    parts: tuple[ChunkPart, ...]


@attrs.frozen(eq=False)
class ItemResult(Mapping[str, npt.NDArray[Any]]):
    """The outputs of one item, by name: a mapping of numpy arrays.

    Each classical register is a ``bool`` array ``(*item.shape, shots, bits)`` (bit 0 first on
    the last axis); samplex items add their own outputs, e.g. ``measurement_flips.<register>``.
    """

    data: Mapping[str, npt.NDArray[Any]]
    scheduler_timing: SchedulerTiming | None = None
    stretch_values: tuple[StretchValue, ...] | None = None

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        return self.data[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}=<{v.dtype}{list(v.shape)}>" for k, v in self.data.items())
        return f"ItemResult({fields})"

    def __eq__(self, other: object) -> bool:
        # Mapping's own __eq__ would compare the arrays with ==, whose truth is ambiguous.
        if not isinstance(other, ItemResult):
            return NotImplemented
        return (
            self.data.keys() == other.data.keys()
            and all(
                a.dtype == b.dtype and np.array_equal(a, b)
                for a, b in ((self.data[k], other.data[k]) for k in self.data)
            )
            and (self.scheduler_timing, self.stretch_values)
            == (other.scheduler_timing, other.stretch_values)
        )

    __hash__ = None  # type: ignore[assignment]

    def bit_array(self, name: str) -> BitArray:
        """Register ``name`` as a :class:`~.results.BitArray` (like a Sampler result's)."""
        bits = self.data[name]
        if bits.dtype != np.bool_ or bits.ndim < 2:
            raise ValidationError(f"{name!r} is not a register of bits (shape {bits.shape})")
        return BitArray.from_bool_array(bits, order="little")

    def get_counts(self, name: str, loc: int | tuple[int, ...] | None = None) -> dict[str, int]:
        """Bitstring counts of register ``name`` at index ``loc`` of the item's shape (all
        elements together when None); bitstrings print bit 0 rightmost."""
        return self.bit_array(name).get_counts(loc)


@attrs.frozen(eq=False)
class QuantumProgramResult(Sequence[ItemResult]):
    """The result of an executor job: one :class:`ItemResult` per item, in order."""

    items: tuple[ItemResult, ...]
    chunk_timing: tuple[ChunkSpan, ...]
    passthrough_data: Any
    semantic_role: str | None
    raw: Mapping[str, Any] = attrs.field(repr=False)
    """The result document as downloaded (what :meth:`to_qiskit` decodes)."""

    @overload
    def __getitem__(self, index: int) -> ItemResult: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ItemResult]: ...
    def __getitem__(self, index: int | slice) -> ItemResult | Sequence[ItemResult]:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return f"QuantumProgramResult({list(self.items)!r}, semantic_role={self.semantic_role!r})"

    def to_qiskit(self) -> Any:
        """Decode with qiskit-ibm-runtime's own decoders, as ``RuntimeJobV2.result()`` does.

        Programs from its client-side ``Sampler``/``Estimator`` (``semantic_role``
        ``sampler_v2`` / ``estimator_v2``) give a qiskit ``PrimitiveResult``, post-processed
        as the client does (twirling undone, mitigation applied); others give its
        ``QuantumProgramResult``. Needs the ``qiskit`` extra; raises ImportError without it.
        """
        try:
            from qiskit_ibm_runtime.decoders.defaults import DEFAULT_DECODERS
        except ImportError as exc:
            raise ImportError(
                "to_qiskit() needs qiskit-ibm-runtime: pip install 'qiskit-runtime-rest[qiskit]'"
            ) from exc
        value: Any = json.dumps(self.raw)
        for decoder in DEFAULT_DECODERS["executor"]:
            if decoder.is_applicable(value):
                value = decoder.decode(value)
        return value


def _bad(path: str, message: str) -> NoReturn:
    raise ResultDecodeError(f"{path}: {message}" if path else message)


def _get(node: Any, key: str, path: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(node, Mapping) or key not in node:
        _bad(path, f"missing {key!r}")
    value = node[key]
    if not isinstance(value, kind):
        _bad(f"{path}.{key}" if path else key, f"has the wrong type ({type(value).__name__})")
    return value


def _ints(value: Any, path: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in value
    ):
        _bad(path, "expected an array of integers")
    return tuple(value)


def _datetime(value: Any, path: str) -> datetime:
    if not isinstance(value, str):
        _bad(path, "expected an ISO 8601 date-time string")
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        _bad(path, f"bad date-time ({exc})")


def _item_metadata(node: Any, path: str) -> tuple[SchedulerTiming | None, Any]:
    if node is None:
        return None, None
    if not isinstance(node, Mapping):
        _bad(path, "expected an object")
    timing_node = node.get("scheduler_timing")
    timing = None
    if timing_node is not None:
        where = f"{path}.scheduler_timing"
        timing = SchedulerTiming(
            _get(timing_node, "timing", where, str),
            _get(timing_node, "circuit_duration", where, int),
        )
    stretches_node = node.get("stretch_values")
    stretches = None
    if stretches_node is not None:
        if not isinstance(stretches_node, list):
            _bad(f"{path}.stretch_values", "expected an array")
        out = []
        for i, entry in enumerate(stretches_node):
            where = f"{path}.stretch_values[{i}]"
            pairs = _get(entry, "expanded_values", where, list)
            out.append(
                StretchValue(
                    _get(entry, "name", where, str),
                    _get(entry, "value", where, int),
                    _get(entry, "remainder", where, int),
                    tuple(
                        cast(tuple[int, int], _ints(p, f"{where}.expanded_values[{j}]"))
                        for j, p in enumerate(pairs)
                    ),
                )
            )
        stretches = tuple(out)
    return timing, stretches


def _chunk_timing(node: Any) -> tuple[ChunkSpan, ...]:
    spans = _get(node, "chunk_timing", "metadata", list)
    out = []
    for i, span in enumerate(spans):
        where = f"metadata.chunk_timing[{i}]"
        parts = []
        for j, part in enumerate(_get(span, "parts", where, list)):
            at = f"{where}.parts[{j}]"
            element_range = _ints(_get(part, "element_range", at, list), f"{at}.element_range")
            if len(element_range) != 3:
                _bad(f"{at}.element_range", "expected [start, stop, step]")
            parts.append(
                ChunkPart(
                    _get(part, "idx_item", at, int),
                    _get(part, "size", at, int),
                    _ints(_get(part, "permutation", at, list), f"{at}.permutation"),
                    element_range,
                )
            )
        out.append(
            ChunkSpan(
                _datetime(_get(span, "start", where, str), f"{where}.start"),
                _datetime(_get(span, "stop", where, str), f"{where}.stop"),
                tuple(parts),
            )
        )
    return tuple(out)


def _check_against(program: QuantumProgram, items: Sequence[ItemResult]) -> None:
    if len(items) != len(program.items):
        _bad("data", f"holds {len(items)} items but the program has {len(program.items)}")
    for i, (item, result) in enumerate(zip(program.items, items, strict=True)):
        for name, array in result.items():
            expected = (*item.shape, program.shots)
            if array.shape[:-1] != expected:
                _bad(
                    f"data[{i}].results.{name}",
                    f"has shape {list(array.shape)}, expected (*item.shape, shots, bits) with "
                    f"item.shape {item.shape} and {program.shots} shots",
                )


def decode_program_result(
    payload: Mapping[str, Any] | str | bytes, program: QuantumProgram | None = None
) -> QuantumProgramResult:
    """Decode an executor job's result (schema version ``v2.0``) with numpy.

    With ``program`` (the one submitted), each register's shape is checked against its item:
    ``(*item.shape, shots, bits)``. Raises :class:`ResultDecodeError`, naming the path of the
    bad node, for anything malformed.
    """
    if isinstance(payload, str | bytes | bytearray):
        try:
            payload = json.loads(payload)
        except (ValueError, RecursionError) as exc:
            raise ResultDecodeError(f"result payload is not valid JSON ({exc})") from None
    if not isinstance(payload, Mapping):
        raise ResultDecodeError(f"result payload must be a JSON object, not {type(payload)}")
    version = payload.get("schema_version")
    if version != SCHEMA_VERSION:
        _bad("schema_version", f"expected {SCHEMA_VERSION!r} (an executor result), got {version!r}")
    items = []
    for i, node in enumerate(_get(payload, "data", "", list)):
        where = f"data[{i}]"
        results = _get(node, "results", where, Mapping)
        arrays = {
            str(name): decode_tensor(tensor, path=f"{where}.results.{name}")
            for name, tensor in results.items()
        }
        timing, stretches = _item_metadata(node.get("metadata"), f"{where}.metadata")
        items.append(ItemResult(arrays, timing, stretches))
    role = payload.get("semantic_role")
    if role is not None and not isinstance(role, str):
        _bad("semantic_role", "expected a string or null")
    result = QuantumProgramResult(
        items=tuple(items),
        chunk_timing=_chunk_timing(_get(payload, "metadata", "", Mapping)),
        passthrough_data=_from_json_tree(payload.get("passthrough_data"), "passthrough_data"),
        semantic_role=role,
        raw=payload,
    )
    if program is not None:
        _check_against(program, result.items)
    return result
