"""The wire codec of primitive results, shared by the emulator (encodes) and the SDK (decodes).

Two result forms exist (the ``JobResult`` schema of ``spec/qiskit-runtime.yaml``):

* the qiskit-typed form, ``{"__type__": "PrimitiveResult", "__value__": {...}}``, which jobs
  submitted with ``support_qiskit: true`` return and qiskit-ibm-runtime's ``RuntimeDecoder``
  reads (``qiskit_ibm_runtime/utils/json.py`` in https://github.com/Qiskit/qiskit-ibm-runtime);
* the plain-JSON form, ``{"results": [...], "metadata": {...}}``, with hex-string samples for
  Sampler registers and numbers / nested lists for Estimator fields.

Arrays travel as ``{"__type__": "ndarray", "__value__": base64(zlib(.npy bytes))}``; pickled
(object-dtype) arrays are never produced or accepted. Executor jobs (quantum programs) use a third
array form, the tensor ``{"data": base64(zlib(raw little-endian bytes)), "shape", "dtype"}`` with
bit-packed booleans (:func:`encode_tensor`, :func:`decode_tensor`). Every decoding problem raises
:class:`ResultDecodeError` whose message starts with the path of the bad node in the payload.
Only numpy is imported here; qiskit is needed only by the ``to_qiskit()`` methods of the results.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import math
import zlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, NoReturn, TypeAlias

import numpy as np
import numpy.typing as npt

from qiskit_runtime_rest.errors import ResultDecodeError, ValidationError
from qiskit_runtime_rest.results import (
    BitArray,
    DataBin,
    DoubleSliceSpan,
    ExecutionSpans,
    FieldValue,
    PrimitiveResult,
    PubResult,
    SamplerPubResult,
)

try:  # 4-5x faster than the standard library; installed with qiskit-ibm-runtime
    from pybase64 import b64decode as _b64decode
except ImportError:  # pragma: no cover - the standard library decodes the same bytes
    from base64 import b64decode as _b64decode  # type: ignore[assignment]

__all__ = [
    "MAX_ARRAY_BYTES",
    "DataSlice",
    "ExecutionSpan",
    "decode_datetime",
    "decode_ndarray",
    "decode_result",
    "decode_tensor",
    "decode_typed",
    "encode_datetime",
    "encode_execution_spans",
    "encode_ndarray",
    "encode_result",
    "encode_tensor",
    "encode_typed",
]

DataSlice: TypeAlias = tuple[Sequence[int], int, int, int, int]
"""A pub's span slice: ``((*pub_shape, shots), arg_start, arg_stop, shot_start, shot_stop)``."""

ExecutionSpan: TypeAlias = tuple[datetime, datetime, Mapping[int, DataSlice]]
"""``(start, stop, {pub_index: DataSlice})``: one ``DoubleSliceSpan``."""

_NPY_MAGIC = b"\x93NUMPY"
_PUB_RESULT_TYPES = frozenset({"SamplerPubResult", "PubResult", "EstimatorPubResult"})
# The official decoder returns these strings unchanged when they appear as an ndarray's value
# (ZNE extrapolator names in Estimator metadata), so decode_typed does the same.
_EXTRAPOLATORS = frozenset(
    {
        "linear",
        "exponential",
        "double_exponential",
        "fallback",
        *(f"polynomial_degree_{d}" for d in range(1, 8)),
    }
)
_NUMERIC_KINDS = "biufc"
# A register wider than this is certainly corrupt, and would make the plain decoder build
# absurdly long strings before noticing.
_MAX_NUM_BITS = 1 << 20
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
# Decompressed bytes read to parse a .npy header (a version 1.0 header is at most 64 KiB).
_NPY_HEADER_PEEK = 1 << 17

MAX_ARRAY_BYTES = 1 << 30
"""Largest decompressed ``.npy`` payload (header included) one encoded ndarray may have: 1 GiB.

Arrays are inflated only up to the size their header declares, and never past this cap, so a
zlib "bomb" (a few KB that inflate to gigabytes) is refused with a :class:`ResultDecodeError`
instead of exhausting memory. Raise it (``codec.MAX_ARRAY_BYTES = ...``) for results larger than
this, e.g. more than ~60 million shots of a 127-bit register in one PUB.
"""


# -- errors and paths --------------------------------------------------------------------------


def _fail(path: str, message: str) -> NoReturn:
    """Raise ResultDecodeError at ``path`` (joined as ``f"{path}.{key}"`` from the root ``""``,
    so a leading dot is dropped here)."""
    path = path.lstrip(".")
    raise ResultDecodeError(f"{path}: {message}" if path else message)


def _kind(value: Any) -> str:
    """The JSON type name of ``value``, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _get(obj: Mapping[str, Any], key: str, path: str) -> Any:
    if key not in obj:
        _fail(path, f"missing key {key!r}")
    return obj[key]


def _as_int(value: Any, path: str, *, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(path, f"expected an integer, got {_kind(value)}")
    if value < 0:
        _fail(path, f"expected an integer >= 0, got {value}")
    if maximum is not None and value > maximum:
        _fail(path, f"{value} is larger than the supported maximum {maximum}")
    return value


def _typed_body(node: Any, types: Collection[str], path: str) -> Mapping[str, Any]:
    """Check ``node`` is ``{"__type__": one of types, "__value__": {...}}``; return the value."""
    if not isinstance(node, Mapping):
        _fail(path, f"expected a typed {'/'.join(sorted(types))} object, got {_kind(node)}")
    kind = node.get("__type__")
    if kind not in types:
        _fail(path, f"expected __type__ {' or '.join(map(repr, sorted(types)))}, got {kind!r}")
    body = node.get("__value__")
    if not isinstance(body, Mapping):
        _fail(path, f"__value__ of {kind} must be an object, got {_kind(body)}")
    return body


# -- ndarray and datetime ----------------------------------------------------------------------


def encode_ndarray(arr: npt.ArrayLike) -> dict[str, str]:
    """``{"__type__": "ndarray", "__value__": base64(zlib(.npy))}``; object arrays are refused."""
    array = np.asarray(arr)
    if array.dtype.hasobject:
        raise ValidationError("object-dtype arrays cannot be encoded (they would need pickle)")
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    text = base64.standard_b64encode(zlib.compress(buffer.getvalue())).decode("ascii")
    return {"__type__": "ndarray", "__value__": text}


def _npy_header(head: bytes, path: str) -> tuple[tuple[int, ...], bool, np.dtype[Any], int]:
    """Shape, Fortran order, dtype and data offset of the .npy file starting with ``head``."""
    if not head.startswith(_NPY_MAGIC):
        _fail(path, "not a .npy array (bad magic bytes)")
    # Parse the header ourselves rather than call np.load: it lets us refuse object dtypes before
    # any payload is touched, check the data length exactly (np.load would allocate whatever the
    # header claims first) and inflate no more than the header announces.
    stream = io.BytesIO(head)
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            _fail(path, f"unsupported .npy format version {version}")
    except ResultDecodeError:
        raise
    except Exception as exc:  # numpy raises ValueError/SyntaxError/TypeError for bad headers
        _fail(path, f"bad .npy header ({exc})")
    if dtype.hasobject:
        _fail(path, "pickled (object-dtype) arrays are not accepted")
    if dtype.kind == "V":
        _fail(path, f"structured or void dtype {dtype} is not accepted")
    if min(shape, default=0) < 0:
        _fail(path, f"negative dimension in .npy shape {tuple(shape)}")
    return tuple(shape), bool(fortran), dtype, stream.tell()


def _load_npy(text: str, path: str) -> npt.NDArray[Any]:
    try:
        raw = _b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        _fail(path, f"invalid base64 ({exc})")
    # Inflate the header first, then continue the same stream for exactly the bytes it announces
    # (plus one, to detect a stream that holds more): a zlib bomb never inflates past the declared
    # size nor the cap, and no byte is inflated twice (small arrays take a single call).
    inflater = zlib.decompressobj()
    try:
        head = inflater.decompress(raw, _NPY_HEADER_PEEK)
        shape, fortran, dtype, offset = _npy_header(head, path)
        count = math.prod(shape)  # Python ints: np.prod could wrap around for absurd shapes
        expected = count * dtype.itemsize
        if offset + expected > MAX_ARRAY_BYTES:
            _fail(
                path,
                f".npy shape {shape} of {dtype} needs {expected} bytes, more than the "
                f"{MAX_ARRAY_BYTES}-byte limit of one array (codec.MAX_ARRAY_BYTES)",
            )
        wanted = offset + expected + 1 - len(head)
        rest = b""
        if wanted > 0 and not inflater.eof:
            rest = inflater.decompress(inflater.unconsumed_tail, wanted)
    except zlib.error as exc:
        _fail(path, f"corrupted or truncated zlib stream ({exc})")
    held = len(head) + len(rest) - offset
    if held > expected:
        _fail(
            path,
            f".npy data holds more than the {expected} bytes that shape {shape} of {dtype} "
            "needs (refusing to inflate it further)",
        )
    if not inflater.eof:
        _fail(path, "corrupted or truncated zlib stream (it ends before its end marker)")
    if held != expected:
        _fail(
            path,
            f".npy data holds {held} bytes, but shape {shape} of {dtype} needs {expected}",
        )
    # One copy, into an ordinary writable array (as np.load would give): the bytes that came
    # with the header, then the rest of the stream.
    flat = np.empty(count, dtype=dtype)
    into = flat.view(np.uint8)
    first = max(0, min(len(head) - offset, expected))
    into[:first] = np.frombuffer(head, dtype=np.uint8, count=first, offset=offset)
    into[first:] = np.frombuffer(rest, dtype=np.uint8)
    return flat.reshape(shape, order="F" if fortran else "C")


def decode_ndarray(value: Any, *, path: str = "") -> npt.NDArray[Any]:
    """Decode an ndarray node or its ``__value__``: a base64 .npy string or a plain JSON list."""
    if isinstance(value, Mapping):
        if value.get("__type__") != "ndarray":
            _fail(path, f"expected an ndarray, got __type__ {value.get('__type__')!r}")
        value = _get(value, "__value__", path)
    if isinstance(value, str):
        return _load_npy(value, path)
    if isinstance(value, list | int | float):
        try:
            array = np.array(value)
        except (ValueError, TypeError, OverflowError, RecursionError) as exc:
            _fail(path, f"not a rectangular numeric list ({exc})")
        if array.dtype.hasobject:
            _fail(path, "not a rectangular list of numbers")
        return array
    _fail(path, f"expected a base64 string or a list, got {_kind(value)}")


# -- tensors (executor jobs) -------------------------------------------------------------------

TENSOR_DTYPES: Mapping[str, np.dtype[Any]] = {
    name: np.dtype(spec)
    for name, spec in {
        "bool": "?",
        "f16": "<f2",
        "f32": "<f4",
        "f64": "<f8",
        "i8": "i1",
        "i16": "<i2",
        "i32": "<i4",
        "i64": "<i8",
        "u8": "u1",
        "u16": "<u2",
        "u32": "<u4",
        "u64": "<u8",
        "c64": "<c8",
        "c128": "<c16",
    }.items()
}
"""Tensor ``dtype`` names and the numpy types they hold on the wire (little-endian)."""
_TENSOR_NAMES = {(dtype.kind, dtype.itemsize): name for name, dtype in TENSOR_DTYPES.items()}


def encode_tensor(arr: npt.ArrayLike) -> dict[str, Any]:
    """``{"data": base64(zlib(bytes)), "shape": [...], "dtype": name}`` of an array.

    Elements are written in C order, little-endian; booleans are bit-packed (the flattened array,
    least significant bit first). Raises :class:`ValidationError` for dtypes a tensor cannot
    hold (strings, objects, ...).
    """
    array = np.asarray(arr)
    name = _TENSOR_NAMES.get((array.dtype.kind, array.dtype.itemsize))
    if name is None:
        raise ValidationError(
            f"arrays of dtype {array.dtype} cannot be sent as tensors; use one of "
            f"{', '.join(TENSOR_DTYPES)}"
        )
    if name == "bool":
        raw = np.packbits(array.reshape(-1), bitorder="little").tobytes()
    else:
        raw = np.ascontiguousarray(array, dtype=TENSOR_DTYPES[name]).tobytes()
    data = base64.standard_b64encode(zlib.compress(raw)).decode("ascii")
    return {"data": data, "shape": [int(n) for n in array.shape], "dtype": name}


def decode_tensor(
    node: Any, *, path: str = "", default_dtype: str | None = None, max_bytes: int | None = None
) -> npt.NDArray[Any]:
    """Decode a tensor object (see :func:`encode_tensor`) into a new writable array.

    ``default_dtype`` is used when the object has no ``dtype`` (``f64`` for circuit
    arguments). The compressed data is inflated no further than its shape and dtype need, and
    never past ``max_bytes`` (default and at most :data:`MAX_ARRAY_BYTES`), so a small body
    cannot expand into gigabytes. Raises :class:`ResultDecodeError`, naming ``path``, for
    anything malformed or too large.
    """
    if not isinstance(node, Mapping):
        _fail(path, f"expected a tensor object {{data, shape, dtype}}, got {_kind(node)}")
    text = _get(node, "data", path)
    if not isinstance(text, str):
        _fail(f"{path}.data", f"expected a base64 string, got {_kind(text)}")
    dims = _get(node, "shape", path)
    if not isinstance(dims, list | tuple):
        _fail(f"{path}.shape", f"expected an array of integers, got {_kind(dims)}")
    shape = tuple(_as_int(n, f"{path}.shape[{i}]") for i, n in enumerate(dims))
    name = node.get("dtype", default_dtype)
    if name not in TENSOR_DTYPES:
        _fail(f"{path}.dtype", f"unknown dtype {name!r}; one of {', '.join(TENSOR_DTYPES)}")
    dtype = TENSOR_DTYPES[name]
    count = math.prod(shape)
    expected = (count + 7) // 8 if name == "bool" else count * dtype.itemsize
    limit = MAX_ARRAY_BYTES if max_bytes is None else min(max_bytes, MAX_ARRAY_BYTES)
    if expected > limit:
        _fail(
            path,
            f"shape {list(shape)} of {name} needs {expected} bytes, more than the "
            f"{limit}-byte limit of one array",
        )
    try:
        compressed = _b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        _fail(f"{path}.data", f"invalid base64 ({exc})")
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(compressed, expected + 1)
    except zlib.error as exc:
        _fail(f"{path}.data", f"corrupted or truncated zlib stream ({exc})")
    if len(raw) != expected or not inflater.eof:
        held = "more than" if len(raw) > expected else f"{len(raw)} bytes, not"
        if len(raw) == expected:  # the right size, but the stream does not end there
            held = "an unterminated stream, not"
        _fail(
            f"{path}.data",
            f"holds {held} the {expected} bytes that shape {list(shape)} of {name} needs",
        )
    if name == "bool":
        bits = np.unpackbits(np.frombuffer(raw, dtype=np.uint8), count=count, bitorder="little")
        return bits.astype(bool).reshape(shape)
    return np.frombuffer(raw, dtype=dtype).astype(dtype.newbyteorder("="), copy=True).reshape(shape)


def encode_datetime(dt: datetime) -> dict[str, str]:
    """``{"__type__": "datetime", "__value__": ISO 8601 with microseconds}``."""
    return {"__type__": "datetime", "__value__": dt.isoformat(timespec="microseconds")}


def decode_datetime(value: Any, *, path: str = "") -> datetime:
    """Decode a datetime node or its ISO 8601 ``__value__``."""
    if isinstance(value, Mapping):
        if value.get("__type__") != "datetime":
            _fail(path, f"expected a datetime, got __type__ {value.get('__type__')!r}")
        value = _get(value, "__value__", path)
    if not isinstance(value, str):
        _fail(path, f"expected an ISO 8601 string, got {_kind(value)}")
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        _fail(path, f"bad datetime ({exc})")


# -- generic typed values (metadata) -----------------------------------------------------------


def encode_typed(obj: Any) -> Any:
    """Make ``obj`` JSON-ready: ndarrays, datetimes, complex numbers, sets and result objects
    become typed nodes, numpy scalars become Python numbers, tuples lists, keys strings."""
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    if isinstance(obj, np.generic):
        return encode_typed(obj.item())
    if isinstance(obj, complex):
        return {"__type__": "complex", "__value__": [obj.real, obj.imag]}
    if isinstance(obj, datetime):
        return encode_datetime(obj)
    if isinstance(obj, np.ndarray):
        return encode_ndarray(obj)
    if isinstance(obj, Mapping):
        return {str(key): encode_typed(value) for key, value in obj.items()}
    if isinstance(obj, list | tuple):
        return [encode_typed(item) for item in obj]
    if isinstance(obj, set | frozenset):
        return {"__type__": "set", "__value__": [encode_typed(item) for item in obj]}
    if isinstance(obj, BitArray):
        return _encode_field(obj)
    if isinstance(obj, DataBin):
        return _encode_data_bin(obj)
    if isinstance(obj, PubResult):
        return _encode_pub_result(obj)
    if isinstance(obj, PrimitiveResult):
        return encode_result(obj, typed=True)
    if isinstance(obj, ExecutionSpans):
        return encode_execution_spans(_span_tuple(span) for span in obj)
    if isinstance(obj, DoubleSliceSpan):
        return encode_execution_spans([_span_tuple(obj)])["__value__"]["spans"][0]
    raise ValidationError(f"cannot encode a {type(obj).__name__} as JSON")


def _span_tuple(span: DoubleSliceSpan) -> ExecutionSpan:
    slices = {
        index: (shape, args.start or 0, args.stop, shots.start or 0, shots.stop)
        for index, (shape, args, shots) in span.data_slices.items()
    }
    return span.start, span.stop, slices


def decode_typed(obj: Any, *, path: str = "") -> Any:
    """Walk a JSON value, decoding known typed nodes.

    ``ndarray``, ``datetime``, ``complex`` and ``set`` become Python values; result nodes
    (``PrimitiveResult``, ``SamplerPubResult``/``PubResult``, ``DataBin``, ``BitArray``) become
    result objects. Nodes of other types (``ExecutionSpans``, ``DoubleSliceSpan``, ...) stay
    dicts, with their contents decoded.
    """
    if isinstance(obj, list):
        items = []
        for i, item in enumerate(obj):
            items.append(decode_typed(item, path=f"{path}[{i}]"))
        return items
    if not isinstance(obj, Mapping):
        return obj
    kind = obj.get("__type__")
    if not isinstance(kind, str) or "__value__" not in obj:
        decoded = {}
        for key, item in obj.items():
            decoded[key] = decode_typed(item, path=f"{path}.{key}")
        return decoded
    value = obj["__value__"]
    if kind == "ndarray":
        if isinstance(value, str) and value in _EXTRAPOLATORS:
            return value
        return decode_ndarray(value, path=path)
    if kind == "datetime":
        return decode_datetime(value, path=path)
    if kind == "complex":
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            _fail(path, "a complex value must be [real, imag]")
        return complex(value[0], value[1])
    if kind == "set":
        items = decode_typed(value, path=path)
        if not isinstance(items, list):
            _fail(path, "a set's __value__ must be an array")
        try:
            return set(items)
        except TypeError:  # unhashable members: keep the list rather than fail
            return items
    if kind == "BitArray":
        return _decode_field(obj, path)
    if kind == "DataBin":
        return _decode_data_bin(obj, path)
    if kind in _PUB_RESULT_TYPES:
        return _decode_pub_result(obj, path)
    if kind == "PrimitiveResult":
        return _decode_typed_result(obj, path)
    if kind == "ExecutionSpans":
        return _decode_spans(value, path)
    decoded = {}
    for key, item in obj.items():
        decoded[key] = decode_typed(item, path=path)
    return decoded


def _decode_spans(value: Any, path: str) -> ExecutionSpans:
    """An ``ExecutionSpans`` node: ``{"spans": [DoubleSliceSpan nodes]}``, each span
    ``{"start", "stop", "data_slices": {"i": [shape, a0, a1, s0, s1]}}``. (One function: it
    is on every result's path.)"""
    nodes = value.get("spans") if isinstance(value, Mapping) else None
    if not isinstance(nodes, list):
        _fail(path, "an ExecutionSpans node must hold a list of spans")
    spans = []
    for i, node in enumerate(nodes):
        where = f"{path}.spans[{i}]"
        body = _typed_body(node, ("DoubleSliceSpan",), where)
        start = decode_datetime(_get(body, "start", where), path=f"{where}.start")
        stop = decode_datetime(_get(body, "stop", where), path=f"{where}.stop")
        raw = _get(body, "data_slices", where)
        if not isinstance(raw, Mapping):
            _fail(f"{where}.data_slices", f"expected an object, got {_kind(raw)}")
        slices: dict[int, tuple[tuple[int, ...], slice, slice]] = {}
        for key, item in raw.items():
            ok = isinstance(item, list) and len(item) == 5 and isinstance(item[0], list)
            for n in [*item[0], *item[1:]] if ok else ():
                ok = ok and isinstance(n, int) and not isinstance(n, bool)
            if not ok or not str(key).isdigit():
                _fail(f"{where}.data_slices.{key}", "expected pub index: [shape, a0, a1, s0, s1]")
            shape, a0, a1, s0, s1 = item
            slices[int(key)] = (tuple(shape), slice(a0, a1), slice(s0, s1))
        spans.append(DoubleSliceSpan(start, stop, slices))
    return ExecutionSpans(spans)


def encode_execution_spans(spans: Iterable[ExecutionSpan]) -> dict[str, Any]:
    """The typed ``ExecutionSpans`` node of ``DoubleSliceSpan`` items, for job metadata."""
    encoded = []
    for start, stop, slices in spans:
        data_slices = {
            str(int(index)): [[int(n) for n in shape], int(a0), int(a1), int(s0), int(s1)]
            for index, (shape, a0, a1, s0, s1) in slices.items()
        }
        encoded.append(
            {
                "__type__": "DoubleSliceSpan",
                "__value__": {
                    "start": encode_datetime(start),
                    "stop": encode_datetime(stop),
                    "data_slices": data_slices,
                },
            }
        )
    return {"__type__": "ExecutionSpans", "__value__": {"spans": encoded}}


# -- encoding results --------------------------------------------------------------------------


def _encode_field(value: FieldValue) -> dict[str, Any]:
    if isinstance(value, BitArray):
        return {
            "__type__": "BitArray",
            "__value__": {"num_bits": value.num_bits, "array": encode_ndarray(value.array)},
        }
    return encode_ndarray(value)


def _encode_data_bin(data: DataBin) -> dict[str, Any]:
    names = data.keys()
    return {
        "__type__": "DataBin",
        "__value__": {
            "field_names": names,
            "field_types": [
                "BitArray" if isinstance(data[n], BitArray) else "ndarray" for n in names
            ],
            "shape": list(data.shape),
            "fields": {name: _encode_field(data[name]) for name in names},
        },
    }


def _encode_pub_result(pub: PubResult) -> dict[str, Any]:
    return {
        "__type__": "SamplerPubResult" if isinstance(pub, SamplerPubResult) else "PubResult",
        "__value__": {"data": _encode_data_bin(pub.data), "metadata": encode_typed(pub.metadata)},
    }


def _hex_samples(bits: BitArray) -> Any:
    """Hex strings (``"0x3"``) nested as ``(*shape, shots)``."""
    array = bits.array
    nbytes = array.shape[-1]
    excess = bits.num_bits % 8
    if excess and array.size:
        array = array.copy()
        array[..., 0] &= np.uint8((1 << excess) - 1)  # padding bits never reach the wire
    outer = array.shape[:-1]
    if nbytes == 0:
        strings = ["0x0"] * int(np.prod(outer, dtype=np.int64))
    else:
        digits = np.ascontiguousarray(array).tobytes().hex()
        width = 2 * nbytes
        strings = [
            "0x" + (digits[i : i + width].lstrip("0") or "0") for i in range(0, len(digits), width)
        ]
    return np.array(strings, dtype=object).reshape(outer).tolist()


def _plain_field(value: FieldValue) -> Any:
    if isinstance(value, BitArray):
        return {"samples": _hex_samples(value), "num_bits": value.num_bits}
    if value.dtype.kind in "biuf":
        return value.tolist()
    # Complex (kerneled) data has no plain-JSON spelling; the typed node decodes anywhere.
    return encode_ndarray(value)


def encode_result(
    result: PrimitiveResult,
    *,
    typed: bool = True,
    execution_spans: Iterable[ExecutionSpan] | None = None,
) -> dict[str, Any]:
    """Encode a result in the typed (``support_qiskit``) form, or the plain-JSON form.

    ``execution_spans``, if given, is stored as ``metadata.execution.execution_spans``.
    """
    metadata: dict[str, Any] = dict(result.metadata)
    if execution_spans is not None:
        execution = metadata.get("execution") or {}
        if not isinstance(execution, Mapping):
            raise ValidationError("metadata['execution'] must be a mapping")
        metadata["execution"] = {
            **execution,
            "execution_spans": encode_execution_spans(execution_spans),
        }
    if typed:
        return {
            "__type__": "PrimitiveResult",
            "__value__": {
                "pub_results": [_encode_pub_result(pub) for pub in result],
                "metadata": encode_typed(metadata),
            },
        }
    return {
        "results": [
            {
                "data": {name: _plain_field(value) for name, value in pub.data.items()},
                "metadata": encode_typed(pub.metadata),
            }
            for pub in result
        ],
        "metadata": encode_typed(metadata),
    }


# -- decoding results --------------------------------------------------------------------------


def _decode_field(value: Any, path: str) -> FieldValue:
    """A DataBin field: a typed ``BitArray`` node, or a (typed or plain) numeric ndarray."""
    kind = value.get("__type__") if isinstance(value, Mapping) else "ndarray"
    if kind == "ndarray":
        array = decode_ndarray(value, path=path)
        if array.dtype.kind not in _NUMERIC_KINDS:
            _fail(path, f"expected numbers, got an array of dtype {array.dtype}")
        return array
    if kind != "BitArray":
        _fail(path, f"expected a BitArray or ndarray, got __type__ {kind!r}")
    body = _typed_body(value, ("BitArray",), path)
    num_bits = _as_int(_get(body, "num_bits", path), f"{path}.num_bits", maximum=_MAX_NUM_BITS)
    array_path = f"{path}.array"
    array = decode_ndarray(_get(body, "array", path), path=array_path)
    if array.dtype != np.uint8:
        # Plain JSON lists decode as int64; accept them when every value is a byte.
        if array.dtype.kind not in "iu" or (
            array.size and (int(array.min()) < 0 or int(array.max()) > 255)
        ):
            _fail(array_path, f"a BitArray needs uint8 bytes, got dtype {array.dtype}")
        array = array.astype(np.uint8)
    if array.ndim < 2:
        _fail(array_path, f"a BitArray needs axes (..., shots, bytes), got shape {array.shape}")
    nbytes = (num_bits + 7) // 8
    if array.shape[-1] != nbytes:
        _fail(
            array_path,
            f"shape {array.shape} has {array.shape[-1]} bytes per shot, but num_bits={num_bits} "
            f"needs {nbytes}",
        )
    return BitArray(array, num_bits)


def _check_shapes(fields: Mapping[str, FieldValue], shape: tuple[int, ...], path: str) -> None:
    """Every field of a DataBin starts with its shape (``path`` leads to the fields)."""
    for name, value in fields.items():
        if isinstance(value, BitArray):
            if value.shape != shape:
                _fail(
                    f"{path}.{name}",
                    f"BitArray {name!r} has pub shape {value.shape} (array shape "
                    f"{value.array.shape}), but the DataBin shape is {shape}",
                )
        elif tuple(value.shape[: len(shape)]) != shape:
            _fail(
                f"{path}.{name}",
                f"ndarray {name!r} has shape {value.shape}, not led by DataBin shape {shape}",
            )


def _decode_data_bin(node: Any, path: str) -> DataBin:
    body = _typed_body(node, ("DataBin",), path)
    fields = _get(body, "fields", path)
    fields_path = f"{path}.fields"
    if not isinstance(fields, Mapping):
        _fail(fields_path, f"expected an object, got {_kind(fields)}")
    dims = _get(body, "shape", path)
    if not isinstance(dims, list | tuple):
        _fail(f"{path}.shape", f"expected an array of integers, got {_kind(dims)}")
    shape: tuple[int, ...] = ()
    for i, n in enumerate(dims):
        shape += (_as_int(n, f"{path}.shape[{i}]"),)
    names: list[str] = list(fields)
    if "field_names" in body:
        declared = body["field_names"]
        names_path = f"{path}.field_names"
        if not isinstance(declared, list) or not all(
            map(isinstance, declared, [str] * len(declared))
        ):
            _fail(names_path, "expected an array of strings")
        if len(set(declared)) != len(declared) or set(declared) != set(fields):
            _fail(names_path, f"{declared} does not match the fields {names}")
        names = list(declared)
    types: list[Any] | None = None
    if body.get("field_types") is not None:
        types = body["field_types"]
        if not isinstance(types, list) or len(types) != len(names):
            _fail(f"{path}.field_types", f"expected an array of {len(names)} type names")
    decoded: dict[str, FieldValue] = {}
    for i, name in enumerate(names):
        value = _decode_field(fields[name], f"{fields_path}.{name}")
        if types is not None:
            actual = "BitArray" if isinstance(value, BitArray) else "ndarray"
            if types[i] in ("BitArray", "ndarray") and types[i] != actual:
                _fail(f"{path}.field_types[{i}]", f"says {types[i]!r}, but {name!r} is {actual}")
        decoded[name] = value
    _check_shapes(decoded, shape, fields_path)
    return DataBin(decoded, shape)


def _decode_metadata(value: Any, path: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        _fail(path, f"expected an object, got {_kind(value)}")
    decoded = decode_typed(value, path=path)
    if not isinstance(decoded, dict):
        _fail(path, f"expected an object, got a typed {value.get('__type__')!r} node")
    return decoded


def _decode_pub_result(node: Any, path: str) -> PubResult:
    kind = node.get("__type__") if isinstance(node, Mapping) else None
    body = _typed_body(node, _PUB_RESULT_TYPES, path)
    data = _decode_data_bin(_get(body, "data", path), f"{path}.data")
    metadata = _decode_metadata(body.get("metadata"), f"{path}.metadata")
    cls = SamplerPubResult if kind == "SamplerPubResult" else PubResult
    return cls(data, metadata)


def _decode_typed_result(node: Any, path: str) -> PrimitiveResult:
    body = _typed_body(node, ("PrimitiveResult",), path)
    items = _get(body, "pub_results", path)
    items_path = f"{path}.pub_results"
    if not isinstance(items, list):
        _fail(items_path, f"expected an array, got {_kind(items)}")
    pubs = []
    for i, item in enumerate(items):
        pubs.append(_decode_pub_result(item, f"{items_path}[{i}]"))
    metadata = _decode_metadata(body.get("metadata"), f"{path}.metadata")
    return PrimitiveResult(pubs, metadata)


def _bad_sample(flat: list[str], nbytes: int) -> tuple[int, str]:
    """Find the first invalid hex sample (only run once the fast path has failed)."""
    for i, sample in enumerate(flat):
        digits = sample[2:]
        if sample[:2] not in ("0x", "0X") or not digits or not _HEX_DIGITS.issuperset(digits):
            return i, f"{sample!r} is not a hex string like '0x3'"
        if len(digits.lstrip("0")) > 2 * nbytes:
            return i, f"{sample!r} does not fit in {nbytes} bytes"
    return 0, "invalid hex samples"


def _decode_plain_register(value: Mapping[str, Any], path: str) -> BitArray:
    num_bits = _as_int(_get(value, "num_bits", path), f"{path}.num_bits", maximum=_MAX_NUM_BITS)
    samples_path = f"{path}.samples"
    samples = _get(value, "samples", path)
    if not isinstance(samples, list):
        _fail(samples_path, f"expected an array of hex strings, got {_kind(samples)}")
    try:
        grid = np.asarray(samples)
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        _fail(samples_path, f"nested lists are not rectangular ({exc})")
    nbytes = (num_bits + 7) // 8
    if grid.size == 0:
        return BitArray(np.zeros((*grid.shape, nbytes), dtype=np.uint8), num_bits)
    if grid.dtype.kind != "U":
        _fail(samples_path, f"expected hex strings like '0x3', got an array of {grid.dtype}")
    flat: list[str] = grid.reshape(-1).tolist()
    width = 2 * nbytes
    # One join and one bytes.fromhex for all shots instead of an int() per shot; any bad sample
    # makes fromhex fail or the byte count come out wrong, and _bad_sample then names it.
    raw = b""
    ok = all(s[:2] in ("0x", "0X") for s in flat) and min(map(len, flat)) > 2
    if ok:
        try:
            raw = bytes.fromhex("".join([s[2:].lstrip("0").rjust(width, "0") for s in flat]))
        except ValueError:
            ok = False
        ok = ok and len(raw) == len(flat) * nbytes
    if not ok:
        index, message = _bad_sample(flat, nbytes)
        where = "".join(f"[{int(i)}]" for i in np.unravel_index(index, grid.shape))
        _fail(samples_path + where, message)
    array = np.frombuffer(raw, dtype=np.uint8).reshape(*grid.shape, nbytes).copy()
    excess = num_bits % 8
    if excess and np.any(array[..., 0] >> np.uint8(excess)):
        index = int(np.flatnonzero(array[..., 0] >> np.uint8(excess))[0])
        where = "".join(f"[{int(i)}]" for i in np.unravel_index(index, grid.shape))
        _fail(samples_path + where, f"{flat[index]!r} does not fit in num_bits={num_bits}")
    return BitArray(array, num_bits)


def _common_prefix(shapes: list[tuple[int, ...]]) -> tuple[int, ...]:
    if not shapes:
        return ()
    prefix: list[int] = []
    for dims in zip(*shapes, strict=False):
        if len(set(dims)) != 1:
            break
        prefix.append(dims[0])
    return tuple(prefix)


def _decode_plain_pub(item: Any, path: str) -> PubResult:
    if not isinstance(item, Mapping):
        _fail(path, f"expected an object, got {_kind(item)}")
    data_path = f"{path}.data"
    data = _get(item, "data", path)
    if not isinstance(data, Mapping):
        _fail(data_path, f"expected an object, got {_kind(data)}")
    fields: dict[str, FieldValue] = {}
    for name, value in data.items():
        field_path = f"{data_path}.{name}"
        if isinstance(value, Mapping) and "__type__" not in value:
            fields[name] = _decode_plain_register(value, field_path)
        else:
            fields[name] = _decode_field(value, field_path)
    registers = [v for v in fields.values() if isinstance(v, BitArray)]
    if registers:
        shape = registers[0].shape
    elif isinstance(fields.get("evs"), np.ndarray):
        shape = tuple(fields["evs"].shape)
    else:
        shape = _common_prefix([tuple(v.shape) for v in fields.values()])
    _check_shapes(fields, shape, data_path)
    metadata = _decode_metadata(item.get("metadata"), f"{path}.metadata")
    cls = SamplerPubResult if registers else PubResult
    return cls(DataBin(fields, shape), metadata)


def _decode_plain_result(payload: Mapping[str, Any]) -> PrimitiveResult:
    items = payload["results"]
    if not isinstance(items, list):
        _fail("results", f"expected an array, got {_kind(items)}")
    pubs = [_decode_plain_pub(item, f"results[{i}]") for i, item in enumerate(items)]
    metadata = _decode_metadata(payload.get("metadata"), "metadata")
    return PrimitiveResult(pubs, metadata)


def decode_result(payload: Mapping[str, Any] | str | bytes) -> PrimitiveResult:
    """Decode a job result in either wire form (typed ``PrimitiveResult`` or plain JSON).

    Raises :class:`ResultDecodeError`, naming the path of the offending node, for anything that
    is not a well-formed result.
    """
    if isinstance(payload, str | bytes | bytearray):
        try:
            payload = json.loads(payload)
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
            raise ResultDecodeError(f"result payload is not valid JSON ({exc})") from None
    if not isinstance(payload, Mapping):
        raise ResultDecodeError(f"result payload must be a JSON object, got {_kind(payload)}")
    try:
        if "__type__" in payload:
            return _decode_typed_result(payload, "")
        if "results" in payload:
            return _decode_plain_result(payload)
    except ResultDecodeError:
        raise
    except RecursionError:
        raise ResultDecodeError("result payload is nested too deeply") from None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError) as exc:
        # Defence in depth: the checks above should catch every malformed payload, but a result
        # decoder must never leak a bare built-in exception to SDK callers.
        raise ResultDecodeError(f"malformed result payload ({type(exc).__name__}: {exc})") from exc
    raise ResultDecodeError(
        "result payload is neither a typed PrimitiveResult nor a plain {'results': [...]} object"
    )
