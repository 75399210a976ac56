"""Primitive unified blocs (PUBs) of the V2 Sampler and Estimator, checked before anything is sent.

A PUB bundles a circuit with the values to bind to its parameters and (for the Estimator) the
observables to measure. Both classes check shapes against the circuit up front, so a malformed
sweep fails here with a message naming the shapes instead of as a failed job minutes later.

Circuits are OpenQASM 3 (or 2) text, or a qiskit ``QuantumCircuit``. qiskit is imported only when
a qiskit object is actually passed in; numpy is imported on first use, not at module import.

Parameter values follow qiskit's ``BindingsArray`` conventions. For a circuit with ``k``
parameters, sorted by name (the column order the service binds them in):

* ``k >= 2``: an array of shape ``(*bind_shape, k)``; one binding is a 1-D array of length ``k``;
* ``k == 1``: a scalar is one binding; an array whose last axis has length 1 is read as
  ``(*bind_shape, 1)``; any other array is ``bind_shape`` itself (one value per binding);
* ``k == 0``: no values, or an empty array whose last axis has length 0;
* a mapping ``{name or Parameter or tuple of them: values}``: the entries broadcast together,
  and a single-parameter entry ending in an axis of length 1 drops that axis (qiskit's rule).

The PUB's shape is ``np.broadcast_shapes(observables.shape, bind_shape)`` (only ``bind_shape``
for the Sampler); results come back with that shape.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, Self, TypeAlias

import attrs

from qiskit_runtime_rest.errors import ValidationError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray: TypeAlias = npt.NDArray[np.float64]

__all__ = [
    "QPY_MAX_VERSION",
    "CircuitInfo",
    "CircuitLike",
    "EstimatorPub",
    "EstimatorPubLike",
    "ObservablesLike",
    "ParameterValuesLike",
    "SamplerPub",
    "SamplerPubLike",
    "as_estimator_pub",
    "as_sampler_pub",
    "scan_qasm",
]

QPY_MAX_VERSION = 17
"""Newest QPY format the service reads (``SERVICE_MAX_SUPPORTED_QPY_VERSION`` of the client)."""

CircuitLike: TypeAlias = Any
"""OpenQASM 3 (or 2) program text, or a qiskit ``QuantumCircuit``."""
ParameterValuesLike: TypeAlias = Any
"""None, a number, nested lists or a numpy array of numbers, a ``{parameter: values}`` mapping,
or a qiskit ``BindingsArray``."""
ObservablesLike: TypeAlias = Any
"""A Pauli string, a ``{pauli: coeff}`` dict, a qiskit ``SparsePauliOp``/``Pauli``, or (nested)
lists or an object array of those."""
SamplerPubLike: TypeAlias = Any
"""A :class:`SamplerPub`, a circuit, or a tuple ``(circuit, parameter_values?, shots?)``."""
EstimatorPubLike: TypeAlias = Any
"""An :class:`EstimatorPub` or a tuple ``(circuit, observables, parameter_values?, precision?)``."""


def _fail(message: str) -> NoReturn:
    raise ValidationError(message)


def _type_name(value: object) -> str:
    return type(value).__name__


def _is_qiskit_object(value: object) -> bool:
    """True for instances of classes defined in qiskit (checked without importing qiskit)."""
    return any(
        getattr(cls, "__module__", "").split(".")[0] == "qiskit" for cls in type(value).__mro__
    )


def _fmt_names(names: Sequence[str], limit: int = 6) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f", ... ({len(names) - limit} more)" if len(names) > limit else "")


# -- circuits ----------------------------------------------------------------------------------


@attrs.frozen
class CircuitInfo:
    """What the SDK knows about a circuit: width and parameter names (``None`` when unknown)."""

    num_qubits: int | None
    parameter_names: tuple[str, ...] | None

    @property
    def num_parameters(self) -> int | None:
        """Number of circuit parameters, or ``None`` when the scan could not tell."""
        return None if self.parameter_names is None else len(self.parameter_names)


# Strings are blanked before comments are removed so that "//" inside a string is not a comment.
_QASM_NOISE = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/', re.S)
_QASM_LINE_NOISE = re.compile(r"^[ \t]*(?:#?pragma\b|@)[^\n]*", re.M)
_QASM_HEADER = re.compile(r"\s*OPENQASM\s+(\d+)(?:\.(\d+))?\s*;")
_IDENT = r"[^\W\d]\w*"
_QUBIT_DECL = re.compile(rf"qubit\s*(?:\[\s*(?P<size>[^\]]*?)\s*\])?\s+(?P<name>{_IDENT})")
_QUBIT_OLD_DECL = re.compile(
    rf"(?:qubit|qreg)\s+(?P<name>{_IDENT})\s*(?:\[\s*(?P<size>[^\]]*?)\s*\])?"
)
_INPUT_DECL = re.compile(rf"input\s+(?:float|angle)\s*(?:\[\s*\d+\s*\])?\s+(?P<name>{_IDENT})")
_HARDWARE_QUBIT = re.compile(r"\$\d+")
_KEYWORD = re.compile(r"(qubit|qreg|input)\b")


def scan_qasm(text: str) -> CircuitInfo:
    """Width and parameter names of an OpenQASM 2/3 program, found by a regex scan (no qiskit).

    Recognised: ``qubit q;``, ``qubit[n] q;``, ``qreg q[n];`` (literal sizes) and the
    ``input float[64] x;`` / ``input angle x;`` parameter declarations of OpenQASM 3; OpenQASM 2
    has no parameters. Limits, by design: this is not a parser. Anything the scan cannot read
    for certain makes that quantity ``None`` (unknown), so checks are skipped rather than valid
    programs rejected: sizes given by expressions (``qubit[n] q;``), physical qubits (``$0``),
    ``input`` of other types, an unknown ``OPENQASM`` version, or a text with no qubit
    declaration at all. Names are returned sorted, the order the service binds columns in.
    """
    body = _QASM_LINE_NOISE.sub(
        " ", _QASM_NOISE.sub(lambda m: '""' if m[0][0] == '"' else " ", text)
    )
    header = _QASM_HEADER.match(body)
    version = int(header[1]) if header else 3
    if header:
        body = body[header.end() :]
    if version not in (2, 3):
        return CircuitInfo(None, None)

    width: int | None = 0
    found_register = False
    names: list[str] | None = []
    for chunk in body.split(";"):
        # A statement starts after the last brace: "} qubit[2] q" or "gate g a { h a".
        statement = re.split(r"[{}]", chunk)[-1].strip()
        keyword = _KEYWORD.match(statement)
        if keyword is None:
            continue
        if keyword[1] == "input":
            match = _INPUT_DECL.fullmatch(statement)
            if match is None or names is None or version == 2:
                names = None
            else:
                names.append(match["name"])
            continue
        found_register = True
        match = _QUBIT_DECL.fullmatch(statement) if keyword[1] == "qubit" else None
        match = match or _QUBIT_OLD_DECL.fullmatch(statement)
        size = None if match is None else match["size"]
        if match is None or (size is not None and not re.fullmatch(r"[0-9]+", size)):
            width = None
        elif width is not None:
            width += 1 if size is None else int(size)
    if _HARDWARE_QUBIT.search(body) or not found_register:
        width = None
    if names is not None and len(set(names)) != len(names):
        names = None
    if names is not None and not names and not found_register and not header:
        names = None  # not recognisably OpenQASM at all: do not claim "no parameters"
    return CircuitInfo(width, None if names is None else tuple(sorted(names)))


def _coerce_circuit(circuit: object) -> tuple[str | dict[str, str], CircuitInfo]:
    """The wire form of a circuit and what is known about it."""
    if isinstance(circuit, str):
        if not circuit.strip():
            _fail("circuit is an empty string; expected OpenQASM 3 (or 2) program text")
        return circuit, scan_qasm(circuit)
    if _is_qiskit_object(circuit):
        from qiskit.circuit import QuantumCircuit

        if isinstance(circuit, QuantumCircuit):
            return _encode_qpy(circuit), CircuitInfo(
                int(circuit.num_qubits), tuple(p.name for p in circuit.parameters)
            )
    _fail(
        f"circuit must be OpenQASM text (str) or a qiskit QuantumCircuit, got {_type_name(circuit)}"
    )


def _encode_qpy(circuit: Any) -> dict[str, str]:
    import base64
    import io
    import zlib

    from qiskit import qpy

    buffer = io.BytesIO()
    try:
        qpy.dump(circuit, buffer, version=min(QPY_MAX_VERSION, qpy.QPY_VERSION))
    except Exception as exc:  # qpy raises several types for unsupported circuit contents
        _fail(f"circuit cannot be serialised to QPY version {QPY_MAX_VERSION}: {exc}")
    text = base64.standard_b64encode(zlib.compress(buffer.getvalue())).decode("ascii")
    return {"__type__": "QuantumCircuit", "__value__": text}


# -- parameter values --------------------------------------------------------------------------


def _as_float_array(values: object, what: str) -> FloatArray:
    """A fresh float64 array of ``values``; only real numbers are accepted."""
    import numpy as np

    try:
        raw = np.asarray(values)
    except Exception as exc:  # ragged lists, objects whose __array__ fails, runaway nesting
        _fail(f"{what} is not a rectangular array of numbers ({type(exc).__name__}: {exc})")
    kind = raw.dtype.kind
    if kind not in "iuf":
        if kind == "c":
            _fail(f"{what} contains complex numbers; parameter values must be real")
        if kind == "b":
            _fail(f"{what} contains booleans; parameter values must be real numbers")
        _fail(f"{what} must contain only real numbers, got an array of dtype {raw.dtype}")
    array: FloatArray = raw.astype(np.float64)  # always a copy: the caller may mutate `values`
    finite = np.isfinite(array)
    if not finite.all():
        index = tuple(int(i) for i in np.argwhere(~finite)[0])
        _fail(f"{what} contains a non-finite value ({array[index]}) at index {index}")
    return array


def _key_names(key: object) -> tuple[str, ...]:
    """Parameter names of a mapping key: a name, a qiskit Parameter, or a tuple/vector of them."""
    if isinstance(key, str):
        return (key,)
    name = getattr(key, "name", None) if _is_qiskit_object(key) else None
    iterable = isinstance(key, tuple | list) or (
        _is_qiskit_object(key) and type(key).__name__ == "ParameterVector"
    )
    if iterable:
        names = tuple(_single_name(item, key) for item in key)  # type: ignore[attr-defined]
        if names:
            return names
    elif isinstance(name, str):
        return (name,)
    _fail(f"parameter_values keys must be parameter names or Parameters, got {key!r:.80}")


def _single_name(item: object, key: object) -> str:
    if isinstance(item, str):
        return item
    name = getattr(item, "name", None) if _is_qiskit_object(item) else None
    if not isinstance(name, str):
        _fail(f"parameter_values key {key!r:.80} must name parameters (str or Parameter)")
    return name


def _from_mapping(values: Mapping[Any, Any], names: tuple[str, ...] | None) -> FloatArray | None:
    import numpy as np

    columns: dict[str, FloatArray] = {}
    for key, value in values.items():
        key_names = _key_names(key)
        array = _as_float_array(value, f"parameter_values[{key!r}]")
        if len(key_names) == 1:
            # qiskit's convention: a trailing axis of length 1 is the parameter axis.
            entries = {key_names[0]: array[..., 0] if array.shape[-1:] == (1,) else array}
        elif array.shape[-1:] != (len(key_names),):
            _fail(
                f"parameter_values[{key!r}] has shape {array.shape} but names {len(key_names)} "
                f"parameters: the last axis must be {len(key_names)}"
            )
        else:
            entries = {name: array[..., i] for i, name in enumerate(key_names)}
        for name, column in entries.items():
            if name in columns:
                _fail(f"parameter_values gives parameter {name!r} more than once")
            columns[name] = column
    if names is not None:
        unknown = [n for n in columns if n not in set(names)]
        if unknown:
            _fail(
                f"parameter_values names unknown parameter(s) {_fmt_names(unknown)}; "
                f"the circuit has {len(names)} parameter(s) ({_fmt_names(names)})"
            )
        missing = [n for n in names if n not in columns]
        if missing:
            _fail(f"parameter_values has no values for parameter(s) {_fmt_names(missing)}")
        order = list(names)
    else:
        order = sorted(columns)
    if not order:
        return None
    try:
        shape = np.broadcast_shapes(*(columns[n].shape for n in order))
    except ValueError:
        shapes = ", ".join(f"{n}: {columns[n].shape}" for n in order)
        _fail(f"parameter_values entries do not broadcast together ({shapes})")
    out = np.empty((*shape, len(order)), dtype=np.float64)
    for i, name in enumerate(order):
        out[..., i] = columns[name]
    return out


def _describe_params(names: tuple[str, ...]) -> str:
    return f"{len(names)} parameter{'s' if len(names) != 1 else ''} ({_fmt_names(names)})"


def _coerce_parameter_values(
    values: object, info: CircuitInfo
) -> tuple[FloatArray | None, tuple[int, ...]]:
    """``(array of shape (*bind_shape, k) or None, bind_shape)`` after the checks above."""
    names = info.parameter_names
    if values is None:
        if names:
            _fail(f"the circuit has {_describe_params(names)} but no parameter_values were given")
        return None, ()
    if isinstance(values, Mapping):
        array = _from_mapping(values, names)
        if array is None:
            return None, ()
    elif _is_qiskit_object(values) and hasattr(values, "as_array"):  # qiskit BindingsArray
        data = getattr(values, "data", {})
        order = names if names is not None else sorted({n for key in data for n in key})
        try:
            raw = values.as_array(list(order))
        except Exception as exc:  # qiskit raises ValueError/KeyError for mismatched names
            _fail(f"parameter_values (BindingsArray) does not match the circuit: {exc}")
        array = _as_float_array(raw, "parameter_values")
    else:
        array = _as_float_array(values, "parameter_values")

    shape = array.shape
    if names is None:  # unknown parameter count: send as given, last axis = parameters
        array = array.reshape(1) if array.ndim == 0 else array
    elif len(names) == 1:
        array = array.reshape(1) if array.ndim == 0 else array
        array = array if array.shape[-1] == 1 else array[..., None]
    elif len(names) == 0:
        if array.ndim == 0 or array.shape[-1] != 0:
            _fail(
                f"parameter_values has shape {shape} but the circuit has no parameters: "
                "pass no values (or an array whose last axis has length 0)"
            )
    elif array.ndim == 0 or array.shape[-1] != len(names):
        _fail(
            f"parameter_values has shape {shape} but the circuit has {_describe_params(names)}: "
            f"the last axis must be {len(names)}"
        )
    array.setflags(write=False)
    return array, tuple(int(n) for n in array.shape[:-1])


# -- observables -------------------------------------------------------------------------------

_PAULI = re.compile(r"[IXYZ]+")


class _Terms(tuple[tuple[str, float], ...]):
    """One observable: its ``(pauli, coeff)`` terms (a leaf of the observables tree)."""

    __slots__ = ()


_ObsNode: TypeAlias = "str | _Terms | tuple[_ObsNode, ...]"


def _check_label(label: object) -> str:
    if not isinstance(label, str):
        _fail(f"Pauli strings must be str, got {_type_name(label)}")
    if not _PAULI.fullmatch(label):
        _fail(f"Pauli string {label!r} may contain only the letters I, X, Y, Z (and not be empty)")
    return label


def _real_coeff(label: str, coeff: object) -> float:
    if isinstance(coeff, bool) or not isinstance(coeff, numbers.Complex):
        _fail(f"coefficient of {label!r} must be a real number, got {_type_name(coeff)}")
    try:
        value = complex(coeff)
    except (OverflowError, TypeError, ValueError) as exc:
        _fail(f"coefficient of {label!r} is not a usable number ({exc})")
    if not (math.isfinite(value.real) and math.isfinite(value.imag)):
        _fail(f"coefficient of {label!r} is not finite ({coeff})")
    if value.imag != 0:
        _fail(f"coefficient of {label!r} is complex ({coeff}); observables need real ones")
    return value.real


def _terms_from_mapping(observable: Mapping[Any, Any]) -> _Terms:
    if not observable:
        _fail("an observable dict must have at least one {pauli: coeff} term")
    return _Terms(
        (_check_label(label), _real_coeff(label, coeff)) for label, coeff in observable.items()
    )


def _terms_from_qiskit(observable: Any) -> _Terms:
    from qiskit.quantum_info import SparsePauliOp

    try:
        if isinstance(observable, SparsePauliOp):
            op = observable
        elif type(observable).__name__ == "SparseObservable":
            op = SparsePauliOp.from_sparse_observable(observable)
        else:  # Pauli and whatever else SparsePauliOp accepts
            op = SparsePauliOp(observable)
        items = [(str(label), coeff) for label, coeff in op.to_list()]
    except Exception as exc:  # anything qiskit cannot turn into a Pauli sum
        _fail(f"cannot use {_type_name(observable)} as an observable: {exc}")
    # A SparsePauliOp may repeat a Pauli; the wire form is a mapping, so repeated terms are summed.
    summed: dict[str, object] = {}
    for label, coeff in items:
        summed[label] = summed[label] + coeff if label in summed else coeff
    if not summed:
        _fail(f"{_type_name(observable)} has no terms")
    return _Terms((_check_label(label), _real_coeff(label, c)) for label, c in summed.items())


def _walk_observables(node: object, depth: int) -> tuple[_ObsNode, tuple[int, ...]]:
    if isinstance(node, str):
        return _check_label(node), ()
    if isinstance(node, Mapping):
        return _terms_from_mapping(node), ()
    tolist = getattr(node, "tolist", None)
    if _is_qiskit_object(node):
        if type(node).__name__ == "ObservablesArray" and tolist is not None:
            return _walk_observables(tolist(), depth)
        return _terms_from_qiskit(node), ()
    if type(node).__module__ == "numpy" and tolist is not None:
        return _walk_observables(tolist(), depth)  # an ndarray (object/str dtype) or a scalar
    if isinstance(node, list | tuple):
        if not node:
            _fail("observables contain an empty list")
        children = [_walk_observables(child, depth + 1) for child in node]
        inner = children[0][1]
        for i, (_, child_shape) in enumerate(children):
            if child_shape != inner:
                _fail(
                    f"observables are ragged: at nesting depth {depth}, item 0 has shape "
                    f"{inner} but item {i} has shape {child_shape}"
                )
        return tuple(c[0] for c in children), (len(children), *inner)
    _fail(
        "an observable must be a Pauli string, a {pauli: coeff} dict or a qiskit SparsePauliOp, "
        f"got {_type_name(node)}"
    )


def _label_lengths(node: _ObsNode, out: set[int]) -> set[int]:
    if isinstance(node, str):
        out.add(len(node))
    elif isinstance(node, _Terms):
        out.update(len(label) for label, _ in node)
    else:
        for child in node:
            _label_lengths(child, out)
    return out


def _coerce_observables(observables: object, info: CircuitInfo) -> tuple[_ObsNode, tuple[int, ...]]:
    try:
        tree, shape = _walk_observables(observables, 0)
    except RecursionError:
        _fail("observables are nested too deeply")
    lengths = sorted(_label_lengths(tree, set()))
    if len(lengths) > 1:
        _fail(
            f"observables mix Pauli strings of different lengths {lengths}; "
            "all must have one character per qubit of the circuit"
        )
    if info.num_qubits is not None and lengths[0] != info.num_qubits:
        _fail(
            f"observables act on {lengths[0]} qubit(s) (Pauli strings of length {lengths[0]}) "
            f"but the circuit has {info.num_qubits} qubit(s)"
        )
    return tree, shape


def _observables_to_wire(node: _ObsNode) -> Any:
    if isinstance(node, str):
        return node
    if isinstance(node, _Terms):
        return dict(node)
    return [_observables_to_wire(child) for child in node]


# -- scalars -----------------------------------------------------------------------------------


def _coerce_shots(shots: object) -> int | None:
    if shots is None:
        return None
    if isinstance(shots, bool) or not isinstance(shots, numbers.Integral):
        _fail(f"shots must be a positive integer or None, got {_type_name(shots)}")
    if int(shots) <= 0:
        _fail(f"shots must be a positive integer, got {int(shots)}")
    return int(shots)


def _coerce_precision(precision: object) -> float | None:
    if precision is None:
        return None
    if isinstance(precision, bool) or not isinstance(precision, numbers.Real):
        _fail(f"precision must be a positive number or None, got {_type_name(precision)}")
    try:
        value = float(precision)
    except (OverflowError, ValueError) as exc:
        _fail(f"precision is not a usable number ({exc})")
    if not (math.isfinite(value) and value > 0):
        _fail(f"precision must be a finite number > 0, got {value}")
    return value


# -- the PUB classes ---------------------------------------------------------------------------


@attrs.frozen(init=False, eq=False, repr=False)
class _Pub:
    """What both PUBs hold (immutable; built by their constructors, which check everything)."""

    circuit: CircuitLike
    info: CircuitInfo
    parameter_values: FloatArray | None
    shape: tuple[int, ...]
    wire_circuit: str | dict[str, str]
    _encoded_values: list[dict[str, str]]  # the values' wire form, encoded at most once

    @property
    def num_qubits(self) -> int | None:
        """Circuit width, or ``None`` when the QASM scan could not tell."""
        return self.info.num_qubits

    @property
    def parameter_names(self) -> tuple[str, ...] | None:
        """Parameter names in column order, or ``None`` when the QASM scan could not tell."""
        return self.info.parameter_names

    @property
    def num_parameters(self) -> int | None:
        """Number of circuit parameters, or ``None`` when unknown."""
        return self.info.num_parameters

    @property
    def size(self) -> int:
        """Number of elements of the PUB's shape (1 for shape ``()``)."""
        return math.prod(self.shape)

    def encoded_values(self) -> dict[str, str] | None:
        """The parameter values in wire form (a typed ndarray node), encoded once; None if none."""
        if self.parameter_values is None:
            return None
        if not self._encoded_values:  # encoded once: a large sweep costs a compression
            from qiskit_runtime_rest.codec import encode_ndarray

            self._encoded_values.append(encode_ndarray(self.parameter_values))
        return self._encoded_values[0]

    def _copy_with(self, name: str, value: object) -> Self:
        """A copy of this PUB with one field changed (the checks of the rest stand)."""
        fields = {a.alias: getattr(self, a.name) for a in attrs.fields(type(self))}
        fields[name] = value
        new = object.__new__(type(self))
        new.__attrs_init__(**fields)
        return new

    def _describe(self) -> str:
        kind = "QuantumCircuit" if not isinstance(self.circuit, str) else "OpenQASM"
        width = "?" if self.num_qubits is None else self.num_qubits
        params = "?" if self.num_parameters is None else self.num_parameters
        return f"circuit=<{kind}, {width} qubits, {params} parameters>, shape={self.shape}"


# (each PUB's attrs initialiser takes its own fields: a different signature by design)
@attrs.frozen(init=False, eq=False, repr=False)
class SamplerPub(_Pub):  # type: ignore[override]
    """A Sampler PUB: a circuit, optional parameter values and optional shots (immutable)."""

    shots: int | None

    def __init__(
        self,
        circuit: CircuitLike,
        parameter_values: ParameterValuesLike = None,
        shots: int | None = None,
    ) -> None:
        wire_circuit, info = _coerce_circuit(circuit)
        values, bind_shape = _coerce_parameter_values(parameter_values, info)
        self.__attrs_init__(
            circuit=circuit,
            wire_circuit=wire_circuit,
            info=info,
            parameter_values=values,
            shape=bind_shape,
            shots=_coerce_shots(shots),
            encoded_values=[],
        )

    def with_shots(self, shots: int | None) -> SamplerPub:
        """This PUB with ``shots`` instead (None: the job's default).

        Raises:
            ValidationError: if ``shots`` is not a positive integer.
        """
        return self._copy_with("shots", _coerce_shots(shots))

    def to_wire(self) -> list[Any]:
        """``[circuit]``, ``[circuit, values]`` or ``[circuit, values|null, shots]``."""
        wire: list[Any] = [self.wire_circuit, self.encoded_values(), self.shots]
        while len(wire) > 1 and wire[-1] is None:
            wire.pop()
        return wire

    def __repr__(self) -> str:
        return f"SamplerPub({self._describe()}, shots={self.shots})"


@attrs.frozen(init=False, eq=False, repr=False)
class EstimatorPub(_Pub):  # type: ignore[override]
    """An Estimator PUB: circuit, observables, optional parameter values and precision."""

    precision: float | None
    observables_shape: tuple[int, ...]
    _observables: _ObsNode

    def __init__(
        self,
        circuit: CircuitLike,
        observables: ObservablesLike,
        parameter_values: ParameterValuesLike = None,
        precision: float | None = None,
    ) -> None:
        import numpy as np

        wire_circuit, info = _coerce_circuit(circuit)
        tree, obs_shape = _coerce_observables(observables, info)
        values, bind_shape = _coerce_parameter_values(parameter_values, info)
        readings = [bind_shape]
        if values is not None and info.parameter_names is None:
            # Parameter count unknown: the service may also read the whole array as the
            # bindings of one parameter (qiskit's rule), so accept either reading.
            readings.append(tuple(int(n) for n in values.shape))
        shape = None
        for reading in readings:
            try:
                shape = tuple(int(n) for n in np.broadcast_shapes(obs_shape, reading))
                break
            except ValueError:
                continue
        if shape is None:
            source = "" if values is None else f" (from array of shape {values.shape})"
            _fail(
                f"observables shape {obs_shape} does not broadcast with parameter_values shape "
                f"{bind_shape}{source}"
            )
        self.__attrs_init__(
            circuit=circuit,
            wire_circuit=wire_circuit,
            info=info,
            parameter_values=values,
            shape=shape,
            precision=_coerce_precision(precision),
            observables_shape=obs_shape,
            observables=tree,
            encoded_values=[],
        )

    @property
    def observables(self) -> Any:
        """The observables in wire form: a Pauli string or dict, or nested lists of them."""
        return _observables_to_wire(self._observables)

    def with_precision(self, precision: float | None) -> EstimatorPub:
        """This PUB with ``precision`` instead (None: the job's default).

        Raises:
            ValidationError: if ``precision`` is not a positive number.
        """
        return self._copy_with("precision", _coerce_precision(precision))

    def to_wire(self) -> list[Any]:
        """``[circuit, observables]``, then ``values|null`` and ``precision`` when set."""
        wire: list[Any] = [
            self.wire_circuit,
            self.observables,
            self.encoded_values(),
            self.precision,
        ]
        while len(wire) > 2 and wire[-1] is None:
            wire.pop()
        return wire

    def __repr__(self) -> str:
        return (
            f"EstimatorPub({self._describe()}, observables_shape={self.observables_shape}, "
            f"precision={self.precision})"
        )


def _is_circuit(value: object) -> bool:
    if isinstance(value, str):
        return True
    if not _is_qiskit_object(value):
        return False
    from qiskit.circuit import QuantumCircuit

    return isinstance(value, QuantumCircuit)


def as_sampler_pub(pub: SamplerPubLike) -> SamplerPub:
    """Coerce a SamplerPub, a circuit, or a ``(circuit, parameter_values?, shots?)`` tuple."""
    if isinstance(pub, SamplerPub):
        return pub
    if isinstance(pub, EstimatorPub):
        _fail("an EstimatorPub was given where a Sampler PUB is expected")
    if _is_circuit(pub):
        return SamplerPub(pub)
    if isinstance(pub, tuple | list):
        if not 1 <= len(pub) <= 3:
            _fail(
                f"a Sampler PUB tuple is (circuit, parameter_values?, shots?): got {len(pub)} items"
            )
        return SamplerPub(*pub)
    _fail(f"cannot make a Sampler PUB from {_type_name(pub)}")


def as_estimator_pub(pub: EstimatorPubLike) -> EstimatorPub:
    """Coerce an EstimatorPub or a ``(circuit, observables, parameter_values?, precision?)``."""
    if isinstance(pub, EstimatorPub):
        return pub
    if isinstance(pub, SamplerPub):
        _fail("a SamplerPub was given where an Estimator PUB is expected")
    if _is_circuit(pub):
        _fail("an Estimator PUB needs observables: pass (circuit, observables[, values])")
    if isinstance(pub, tuple | list):
        if not 2 <= len(pub) <= 4:
            _fail(
                "an Estimator PUB tuple is (circuit, observables, parameter_values?, "
                f"precision?): got {len(pub)} items"
            )
        return EstimatorPub(*pub)
    _fail(f"cannot make an Estimator PUB from {_type_name(pub)}")
