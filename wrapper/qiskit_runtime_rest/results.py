"""Result containers of Sampler V2 / Estimator V2 jobs, with no qiskit dependency.

They mirror qiskit's ``qiskit.primitives`` containers (``BitArray``, ``DataBin``, ``PubResult``,
``SamplerPubResult``, ``PrimitiveResult``) closely enough that code written against one mostly works
against the other; ``to_qiskit()`` converts to the real thing when qiskit is installed.

Bit convention (the wire's and qiskit's): each shot is a big-endian, right-aligned byte string, so
the last byte holds bits 0..7 and bitstrings print bit 0 rightmost.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, TypeAlias, overload

import numpy as np
import numpy.typing as npt

from qiskit_runtime_rest.errors import ResultDecodeError, ValidationError

__all__ = [
    "BitArray",
    "DataBin",
    "DoubleSliceSpan",
    "ExecutionSpans",
    "FieldValue",
    "PrimitiveResult",
    "PubResult",
    "SamplerPubResult",
]

_Loc = int | tuple[int, ...] | None


def _num_bytes(num_bits: int) -> int:
    return (num_bits + 7) // 8


def _shape_repr(shape: tuple[int, ...]) -> str:
    return repr(tuple(int(n) for n in shape))


def _array_repr(value: npt.NDArray[Any]) -> str:
    return f"ndarray(<shape={_shape_repr(value.shape)}, dtype={value.dtype}>)"


def _as_index(loc: Any) -> tuple[Any, ...]:
    """Index the pub axes only: the shots and bytes axes are always taken whole."""
    head = loc if isinstance(loc, tuple) else (loc,)
    return (*head, slice(None), slice(None))


def _arrays_equal(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> bool:
    try:
        return bool(np.array_equal(a, b, equal_nan=True))
    except TypeError:  # equal_nan is undefined for non-numeric dtypes
        return bool(np.array_equal(a, b))


class BitArray:
    """Packed outcomes: uint8 ``array`` of shape ``(*shape, num_shots, ceil(num_bits / 8))``.

    Raises :class:`ResultDecodeError` when ``array`` and ``num_bits`` disagree, since these
    normally come from a result payload.
    """

    __slots__ = ("_array", "_num_bits")

    def __init__(self, array: npt.NDArray[np.uint8], num_bits: int) -> None:
        if not isinstance(array, np.ndarray):
            raise ResultDecodeError(f"BitArray array must be a numpy array, not {type(array)}")
        if array.dtype != np.uint8:
            raise ResultDecodeError(f"BitArray array must have dtype uint8, not {array.dtype}")
        if isinstance(num_bits, bool) or not isinstance(num_bits, int | np.integer):
            raise ResultDecodeError(f"num_bits must be an integer, not {type(num_bits).__name__}")
        if num_bits < 0:
            raise ResultDecodeError(f"num_bits must be >= 0, not {num_bits}")
        if array.ndim < 2:
            raise ResultDecodeError(
                f"BitArray array needs at least 2 axes (shots, bytes), got shape {array.shape}"
            )
        if array.shape[-1] != (int(num_bits) + 7) // 8:
            raise ResultDecodeError(
                f"BitArray array has {array.shape[-1]} bytes per shot, but num_bits={num_bits} "
                f"needs {_num_bytes(int(num_bits))}"
            )
        self._array = array
        self._num_bits = int(num_bits)

    # -- shape -------------------------------------------------------------------------------

    @property
    def array(self) -> npt.NDArray[np.uint8]:
        """The packed uint8 data, shape ``(*shape, num_shots, num_bytes)``."""
        return self._array

    @property
    def num_bits(self) -> int:
        """Bits per shot (the classical register's width)."""
        return self._num_bits

    @property
    def num_shots(self) -> int:
        """Shots per pub element (the second-last axis of :attr:`array`)."""
        return int(self._array.shape[-2])

    @property
    def shape(self) -> tuple[int, ...]:
        """The pub shape: :attr:`array`'s shape without the shots and bytes axes."""
        shape: tuple[int, ...] = self._array.shape[:-2]
        return shape

    @property
    def ndim(self) -> int:
        """Number of pub axes."""
        return self._array.ndim - 2

    @property
    def size(self) -> int:
        """Number of pub elements."""
        return int(np.prod(self.shape, dtype=np.int64))

    def __repr__(self) -> str:
        return (
            f"BitArray(<shape={_shape_repr(self.shape)}, num_shots={self.num_shots}, "
            f"num_bits={self._num_bits}>)"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BitArray):
            return NotImplemented
        return (
            self._num_bits == other._num_bits
            and self._array.shape == other._array.shape
            and bool(np.array_equal(self._masked(self._array), other._masked(other._array)))
        )

    __hash__ = None  # type: ignore[assignment]

    def __getitem__(self, indices: Any) -> BitArray:
        """Index the pub axes (numpy rules); shots and bits are never sliced."""
        return BitArray(self._array[_as_index(indices)], self._num_bits)

    # -- reading -------------------------------------------------------------------------------

    def _masked(self, rows: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
        """``rows`` with the padding bits above ``num_bits`` cleared (copying only if needed)."""
        excess = self._num_bits % 8
        if excess == 0 or rows.size == 0:
            return rows
        top = np.uint8((1 << excess) - 1)
        if not np.any(rows[..., 0] & ~top):
            return rows
        out = rows.copy()
        out[..., 0] &= top
        return out

    def _rows(self, loc: _Loc) -> npt.NDArray[np.uint8]:
        block = self._array if loc is None else self._array[_as_index(loc)]
        # An explicit row count: reshape(-1, 0) is ambiguous for zero-width registers.
        rows = int(np.prod(block.shape[:-1], dtype=np.int64))
        return self._masked(block.reshape(rows, block.shape[-1]))

    def _unique(self, loc: _Loc) -> tuple[list[int], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """Distinct outcomes as ints, their counts and (optionally) each shot's outcome index."""
        rows = self._rows(loc)
        n, nbytes = rows.shape
        if n == 0:
            empty = np.zeros(0, dtype=np.intp)
            return [], empty, empty
        if nbytes == 0:
            return [0], np.array([n], dtype=np.intp), np.zeros(n, dtype=np.intp)
        if nbytes <= 8:
            # Widen to big-endian uint64 so np.unique works on plain integers (fast path).
            wide = np.zeros((n, 8), dtype=np.uint8)
            wide[:, 8 - nbytes :] = rows
            values = wide.view(">u8").ravel()
            uniq, inv, counts = np.unique(values, return_inverse=True, return_counts=True)
            return [int(v) for v in uniq.tolist()], counts, inv.reshape(-1)
        uniq_rows, inv, counts = np.unique(rows, axis=0, return_inverse=True, return_counts=True)
        ints = [int.from_bytes(row.tobytes(), "big") for row in uniq_rows]
        return ints, counts, inv.reshape(-1)

    def get_int_counts(self, loc: _Loc = None) -> dict[int, int]:
        """Outcome (as int, bit 0 = LSB) -> count, over all pub elements or the one at ``loc``."""
        ints, counts, _ = self._unique(loc)
        return dict(zip(ints, (int(c) for c in counts.tolist()), strict=True))

    def get_counts(self, loc: _Loc = None) -> dict[str, int]:
        """Bitstring (bit 0 rightmost) -> count, over all pub elements or the one at ``loc``."""
        width = self._num_bits
        return {format(k, f"0{width}b"): v for k, v in self.get_int_counts(loc).items()}

    def get_bitstrings(self, loc: _Loc = None) -> list[str]:
        """One bitstring per shot, in shot order (pub elements flattened in C order)."""
        ints, _, inv = self._unique(loc)
        width = self._num_bits
        strings = [format(k, f"0{width}b") for k in ints]
        return [strings[i] for i in inv.tolist()]

    def to_bool_array(self, order: Literal["big", "little"] = "big") -> npt.NDArray[np.bool_]:
        """Unpacked bits, shape ``(*shape, num_shots, num_bits)``.

        ``order="big"`` puts the most significant bit (bit ``num_bits-1``) at ``[..., 0]``, as in
        the printed bitstring; ``"little"`` puts bit 0 there.
        """
        if order not in ("big", "little"):
            raise ValidationError(f"order must be 'big' or 'little', not {order!r}")
        bits = np.unpackbits(self._array, axis=-1)
        bits = bits[..., bits.shape[-1] - self._num_bits :]
        if order == "little":
            bits = bits[..., ::-1]
        return bits.astype(np.bool_)

    # -- construction --------------------------------------------------------------------------

    @classmethod
    def from_bool_array(
        cls, array: npt.ArrayLike, order: Literal["big", "little"] = "big"
    ) -> BitArray:
        """Pack bools of shape ``(*shape, num_shots, num_bits)``; see :meth:`to_bool_array`."""
        bits = np.asarray(array, dtype=np.bool_)
        if bits.ndim < 2:
            raise ValidationError("a bool array needs at least 2 axes (shots, bits)")
        if order == "little":
            bits = bits[..., ::-1]
        elif order != "big":
            raise ValidationError(f"order must be 'big' or 'little', not {order!r}")
        num_bits = bits.shape[-1]
        pad = -num_bits % 8
        if pad:
            # packbits pads on the right; the wire right-aligns, so pad on the left ourselves.
            zeros = np.zeros((*bits.shape[:-1], pad), dtype=np.bool_)
            bits = np.concatenate([zeros, bits], axis=-1)
        return cls(np.packbits(bits, axis=-1), num_bits)

    @classmethod
    def from_samples(
        cls,
        samples: Iterable[int | str] | npt.NDArray[np.integer[Any]],
        num_bits: int | None = None,
    ) -> BitArray:
        """One shot per sample: ints, ``"0x.."`` hex strings or ``"0101"`` bitstrings.

        Gives shape ``()``; :meth:`reshape` to nest. An unsigned/signed integer numpy array with
        ``num_bits <= 64`` is packed without a Python loop.
        """
        if isinstance(samples, np.ndarray) and samples.dtype.kind in "iu":
            return cls._from_int_array(samples.reshape(-1), num_bits)
        ints: list[int] = []
        for sample in samples:
            if isinstance(sample, str):
                base = 16 if sample[:2].lower() == "0x" else 2
                try:
                    ints.append(int(sample, base))
                except ValueError:
                    raise ValidationError(f"not a bitstring or hex string: {sample!r}") from None
            elif isinstance(sample, int | np.integer) and not isinstance(sample, bool):
                ints.append(int(sample))
            else:
                raise ValidationError(f"samples must be ints or strings, not {type(sample)}")
        if num_bits is None:
            num_bits = max([1, *(v.bit_length() for v in ints)])
        nbytes = _num_bytes(num_bits)
        limit = 1 << num_bits
        if any(v < 0 or v >= limit for v in ints):
            raise ValidationError(f"every sample must be a non-negative int below 2**{num_bits}")
        data = b"".join(v.to_bytes(nbytes, "big") for v in ints)
        array = np.frombuffer(data, dtype=np.uint8).reshape(len(ints), nbytes).copy()
        return cls(array, num_bits)

    @classmethod
    def _from_int_array(cls, values: npt.NDArray[Any], num_bits: int | None) -> BitArray:
        if values.size and (values.min() < 0):
            raise ValidationError("samples must be non-negative")
        top = int(values.max()) if values.size else 0
        if num_bits is None:
            num_bits = max(1, top.bit_length())
        if num_bits > 64:
            return cls.from_samples([int(v) for v in values.tolist()], num_bits)
        if top >> num_bits:
            raise ValidationError(f"every sample must be below 2**{num_bits}")
        nbytes = _num_bytes(num_bits)
        wide = values.astype(">u8").view(np.uint8).reshape(-1, 8)
        return cls(np.ascontiguousarray(wide[:, 8 - nbytes :]), num_bits)

    @classmethod
    def from_counts(cls, counts: Mapping[int | str, int], num_bits: int | None = None) -> BitArray:
        """Expand a counts mapping (keys as in :meth:`from_samples`) into shots, shape ``()``."""
        samples: list[int | str] = []
        for key, count in counts.items():
            samples.extend([key] * int(count))
        return cls.from_samples(samples, num_bits)

    def reshape(self, *shape: int) -> BitArray:
        """A new pub shape; a shape whose size is ``size * num_shots`` also re-cuts the shots."""
        nbytes = self._array.shape[-1]
        dims = tuple(map(int, shape))
        count = int(np.prod(dims, dtype=np.int64))
        if count == self.size:
            return BitArray(self._array.reshape(*dims, self.num_shots, nbytes), self._num_bits)
        if count == self.size * self.num_shots and dims:
            return BitArray(self._array.reshape(*dims, nbytes), self._num_bits)
        raise ValidationError(f"cannot reshape {self!r} to {dims}")

    # -- slicing, selecting, joining (qiskit's BitArray semantics) ----------------------------

    def _bit_indices(self, indices: int | Sequence[int], negative: bool = True) -> list[int]:
        items = [indices] if isinstance(indices, int | np.integer) else list(indices)
        out = []
        lowest = -self._num_bits if negative else 0
        for index in items:
            i = int(index)
            if not lowest <= i < self._num_bits:
                raise IndexError(f"bit index {i} is out of range for {self._num_bits} bits")
            out.append(i % self._num_bits)
        return out

    def slice_bits(self, indices: int | Sequence[int]) -> BitArray:
        """A BitArray of the bits at ``indices`` (bit 0 is the rightmost; bit ``i`` of the
        result is bit ``indices[i]`` of this one), as qiskit's ``BitArray.slice_bits``.

        Raises:
            IndexError: for an index outside ``[0, num_bits)``.
        """
        chosen = self._bit_indices(indices, negative=False)
        bits = self.to_bool_array(order="little")[..., chosen]
        return BitArray.from_bool_array(bits, order="little")

    def slice_shots(self, indices: int | Sequence[int]) -> BitArray:
        """A BitArray of the shots at ``indices`` (in that order), for every pub element.

        Raises:
            IndexError: for an index outside ``[0, num_shots)``.
        """
        items = [indices] if isinstance(indices, int | np.integer) else list(indices)
        shots = self.num_shots
        chosen = []
        for index in items:
            i = int(index)
            if not 0 <= i < shots:
                raise IndexError(f"shot index {i} is out of range for {shots} shots")
            chosen.append(i % shots)
        return BitArray(np.ascontiguousarray(self._array[..., chosen, :]), self._num_bits)

    def postselect(
        self, indices: int | Sequence[int], selection: bool | int | Sequence[bool | int]
    ) -> BitArray:
        """The shots whose bits at ``indices`` equal ``selection``, all pub elements pooled
        (shape ``()``), as qiskit's ``BitArray.postselect``.

        Raises:
            ValueError: when ``indices`` and ``selection`` differ in length.
            IndexError: for a bit index out of range.
        """
        index_list = [indices] if isinstance(indices, int | np.integer) else list(indices)
        wanted = [selection] if isinstance(selection, bool | int | np.integer) else list(selection)
        if len(wanted) != len(index_list):
            raise ValueError("lengths of indices and selection do not match")
        chosen = self._bit_indices(index_list)
        pooled = self._array.reshape(self.size * self.num_shots, self._array.shape[-1])
        flat = BitArray(pooled, self._num_bits)
        if not chosen:
            return flat
        bits = flat.to_bool_array(order="little")[:, chosen]
        keep = np.all(bits == np.asarray(wanted, dtype=bool), axis=-1)
        return BitArray(np.ascontiguousarray(pooled[keep]), self._num_bits)

    def expectation_values(self, observables: ObservablesLike) -> npt.NDArray[np.float64]:
        """Expectation values of diagonal observables, estimated from the shots, as qiskit's
        ``BitArray.expectation_values``.

        ``observables``: a label such as ``"ZIZ"`` (``I``, ``Z``, and the projectors ``0`` and
        ``1``; the leftmost letter acts on the highest bit), a ``{label: coefficient}`` dict,
        or (nested) lists of them; the result has the broadcast shape of this array's
        ``shape`` and the observables'.

        Raises:
            ValueError: for a label of the wrong length or with a letter other than I, Z, 0, 1,
                or shapes that do not broadcast.
        """
        grid = _observable_grid(observables)
        try:
            shape = np.broadcast_shapes(self.shape, grid.shape)
        except ValueError:
            raise ValueError(
                f"observables of shape {grid.shape} do not broadcast with shape {self.shape}"
            ) from None
        bits = self.to_bool_array(order="little")  # (*shape, shots, num_bits)
        out = np.zeros(shape, dtype=np.float64)
        grid = np.broadcast_to(grid, shape)
        positions = np.broadcast_to(
            np.arange(self.size).reshape(self.shape) if self.shape else np.zeros((), int), shape
        )
        flat_bits = bits.reshape(self.size, self.num_shots, self._num_bits)
        for index in np.ndindex(shape):
            shots = flat_bits[int(positions[index])]
            total = 0.0
            terms: dict[str, float] = grid.item(index)
            for label, coeff in terms.items():
                total += coeff * _diagonal_mean(shots, label, self._num_bits)
            out[index] = total
        return out

    @staticmethod
    def concatenate(bit_arrays: Sequence[BitArray], axis: int = 0) -> BitArray:
        """Join BitArrays along a pub axis (same ``num_bits`` and ``num_shots``).

        Raises:
            ValueError: for an empty sequence, different bits or shots, or a bad axis.
        """
        first = _first(bit_arrays)
        if any(b.num_bits != first.num_bits or b.num_shots != first.num_shots for b in bit_arrays):
            raise ValueError("all BitArrays must have the same num_bits and num_shots")
        ndim = first.ndim
        if not -ndim <= axis < ndim:
            raise ValueError(f"axis {axis} is out of bounds for {ndim} pub axes")
        joined = np.concatenate([b.array for b in bit_arrays], axis=axis % ndim)
        return BitArray(joined, first.num_bits)

    @staticmethod
    def concatenate_shots(bit_arrays: Sequence[BitArray]) -> BitArray:
        """Join BitArrays along the shots axis (same ``shape`` and ``num_bits``).

        Raises:
            ValueError: for an empty sequence or different shapes or bits.
        """
        first = _first(bit_arrays)
        if any(b.num_bits != first.num_bits or b.shape != first.shape for b in bit_arrays):
            raise ValueError("all BitArrays must have the same shape and num_bits")
        return BitArray(np.concatenate([b.array for b in bit_arrays], axis=-2), first.num_bits)

    @staticmethod
    def concatenate_bits(bit_arrays: Sequence[BitArray]) -> BitArray:
        """Join BitArrays bit-wise, shot by shot (same ``shape`` and ``num_shots``); the first
        array supplies the least significant bits, as in qiskit.

        Raises:
            ValueError: for an empty sequence or different shapes or shots.
        """
        _first(bit_arrays)
        try:
            return _concatenate_bits(bit_arrays)
        except ValidationError as exc:
            raise ValueError(str(exc)) from None

    def to_qiskit(self) -> Any:
        """The equivalent ``qiskit.primitives.BitArray`` (needs qiskit)."""
        from qiskit.primitives import BitArray as QiskitBitArray

        return QiskitBitArray(self._array, self._num_bits)


ObservablesLike: TypeAlias = str | Mapping[str, float] | Sequence[Any]
"""A diagonal observable label, a ``{label: coefficient}`` dict, or (nested) lists of them."""


def _first(bit_arrays: Sequence[BitArray]) -> BitArray:
    if not bit_arrays:
        raise ValueError("need at least one BitArray")
    return bit_arrays[0]


def _as_terms(item: object) -> dict[str, float]:
    if isinstance(item, str):
        return {item: 1.0}
    if isinstance(item, Mapping):
        return {str(k): float(v) for k, v in item.items()}
    raise ValueError(
        f"an observable must be a label or a {{label: coefficient}} dict, got {item!r:.60}"
    )


def _observable_grid(observables: object) -> npt.NDArray[Any]:
    """An object array of ``{label: coeff}`` dicts (shape: the observables' shape)."""
    if isinstance(observables, str | Mapping):
        grid = np.empty((), dtype=object)
        grid[()] = _as_terms(observables)
        return grid

    def shape_of(value: object) -> tuple[int, ...]:
        if isinstance(value, str | Mapping):
            return ()
        if not isinstance(value, Sequence) or isinstance(value, bytes):
            raise ValueError(f"not an observable or a list of them: {value!r:.60}")
        inner = {shape_of(v) for v in value}
        if len(inner) > 1:
            raise ValueError("nested observable lists must be rectangular")
        return (len(value), *(inner.pop() if inner else ()))

    grid = np.empty(shape_of(observables), dtype=object)
    for index in np.ndindex(grid.shape):
        item: Any = observables
        for i in index:
            item = item[i]
        grid[index] = _as_terms(item)
    return grid


def _diagonal_mean(shots: npt.NDArray[np.bool_], label: str, num_bits: int) -> float:
    """The mean over ``shots`` (bools, bit 0 first) of a diagonal label's eigenvalue."""
    if len(label) != num_bits:
        raise ValueError(f"observable {label!r} has {len(label)} qubits, not {num_bits}")
    values = np.ones(shots.shape[0], dtype=np.float64)
    for position, letter in enumerate(reversed(label.upper())):
        column = shots[:, position]
        if letter == "Z":
            values *= np.where(column, -1.0, 1.0)
        elif letter == "0":
            values *= ~column
        elif letter == "1":
            values *= column
        elif letter != "I":
            raise ValueError(f"observable {label!r} is not diagonal: only I, Z, 0 and 1")
    return float(values.mean()) if values.size else float("nan")


FieldValue: TypeAlias = BitArray | npt.NDArray[Any]
"""What a :class:`DataBin` field holds: a :class:`BitArray` or a numpy array."""


def _concatenate_bits(arrays: Sequence[BitArray]) -> BitArray:
    """Per-shot concatenation; the first array supplies the least significant bits (qiskit's)."""
    first = arrays[0]
    for other in arrays[1:]:
        if other.shape != first.shape or other.num_shots != first.num_shots:
            raise ValidationError("registers to join must have the same shape and shots")
    little = [a.to_bool_array(order="little") for a in arrays]
    return BitArray.from_bool_array(np.concatenate(little, axis=-1), order="little")


class DataBin:
    """A pub's data: named fields (``BitArray`` or ndarray) sharing a leading ``shape``.

    Fields are reachable as attributes (``data.meas``, ``data.evs``) and as keys (``data["meas"]``).
    """

    __slots__ = ("_fields", "_shape")

    def __init__(self, fields: Mapping[str, FieldValue], shape: Iterable[int] = ()) -> None:
        dims = tuple(map(int, shape))
        ndim = len(dims)
        checked: dict[str, FieldValue] = {}
        for name, value in fields.items():
            if not isinstance(name, str):
                raise ResultDecodeError(f"field names must be strings, not {type(name).__name__}")
            if isinstance(value, BitArray):
                if value.shape != dims:
                    raise ResultDecodeError(
                        f"field {name!r} has pub shape {_shape_repr(value.shape)}, but the "
                        f"DataBin shape is {_shape_repr(dims)}"
                    )
            elif isinstance(value, np.ndarray):
                if tuple(value.shape[:ndim]) != dims:
                    raise ResultDecodeError(
                        f"field {name!r} has shape {_shape_repr(value.shape)}, which does not "
                        f"start with the DataBin shape {_shape_repr(dims)}"
                    )
            else:
                raise ResultDecodeError(
                    f"field {name!r} must be a BitArray or numpy array, not {type(value).__name__}"
                )
            checked[name] = value
        self._fields = checked
        self._shape = dims

    @property
    def shape(self) -> tuple[int, ...]:
        """The pub shape every field starts with."""
        return self._shape

    @property
    def ndim(self) -> int:
        """Number of pub axes."""
        return len(self._shape)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails; guard private names so copy/pickle stay sane.
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(f"DataBin has no field {name!r}") from None

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self._fields})

    def __getitem__(self, name: str) -> Any:
        """The field ``name`` (a :class:`BitArray` or ndarray)."""
        try:
            return self._fields[name]
        except KeyError:
            raise KeyError(f"DataBin has no field {name!r}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._fields

    def __len__(self) -> int:
        return len(self._fields)

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def keys(self) -> list[str]:
        """Field names, in payload order."""
        return list(self._fields)

    def values(self) -> list[FieldValue]:
        """Field values, in payload order."""
        return list(self._fields.values())

    def items(self) -> list[tuple[str, FieldValue]]:
        """``(name, value)`` pairs, in payload order."""
        return list(self._fields.items())

    def get_bit_array(self, name: str) -> BitArray:
        """The field ``name``, checked to be a :class:`BitArray` (for typed code)."""
        value = self[name]
        if not isinstance(value, BitArray):
            raise TypeError(f"field {name!r} is a {type(value).__name__}, not a BitArray")
        return value

    def get_ndarray(self, name: str) -> npt.NDArray[Any]:
        """The field ``name``, checked to be a numpy array (for typed code)."""
        value = self[name]
        if not isinstance(value, np.ndarray):
            raise TypeError(f"field {name!r} is a {type(value).__name__}, not an ndarray")
        return value

    def __repr__(self) -> str:
        parts = [
            f"{name}={_array_repr(v) if isinstance(v, np.ndarray) else repr(v)}"
            for name, v in self._fields.items()
        ]
        parts.append(f"shape={_shape_repr(self._shape)}")
        return f"DataBin({', '.join(parts)})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DataBin):
            return NotImplemented
        if self._shape != other._shape or list(self._fields) != list(other._fields):
            return False
        for name, mine in self._fields.items():
            theirs = other._fields[name]
            if isinstance(mine, BitArray) or isinstance(theirs, BitArray):
                if mine != theirs:
                    return False
            elif not _arrays_equal(mine, theirs):
                return False
        return True

    __hash__ = None  # type: ignore[assignment]

    def to_qiskit(self) -> Any:
        """The equivalent ``qiskit.primitives.DataBin`` (needs qiskit)."""
        from qiskit.primitives import DataBin as QiskitDataBin

        fields = {
            name: value.to_qiskit() if isinstance(value, BitArray) else value
            for name, value in self._fields.items()
        }
        return QiskitDataBin(shape=self._shape, **fields)


class DoubleSliceSpan:
    """When the service ran part of some pubs: ``start`` and ``stop`` (timezone-aware) and,
    per pub index, which parameter sets and shots of that pub ran in this span
    (``data_slices[i] = (shape, args slice, shots slice)``), as qiskit-ibm-runtime's
    ``DoubleSliceSpan``."""

    __slots__ = ("_data_slices", "start", "stop")

    def __init__(
        self,
        start: datetime,
        stop: datetime,
        data_slices: Mapping[int, tuple[tuple[int, ...], slice, slice]],
    ) -> None:
        self.start = start
        self.stop = stop
        self._data_slices = dict(data_slices)

    @property
    def data_slices(self) -> dict[int, tuple[tuple[int, ...], slice, slice]]:
        """Per pub index: ``(shape, args slice, shots slice)``."""
        return dict(self._data_slices)

    @property
    def duration(self) -> float:
        """Seconds between start and stop."""
        return (self.stop - self.start).total_seconds()

    @property
    def pub_idxs(self) -> list[int]:
        """The pubs this span ran (part of)."""
        return sorted(self._data_slices)

    @property
    def size(self) -> int:
        """How many (parameter set, shot) elements ran in this span."""
        total = 0
        for shape, args, shots in self._data_slices.values():
            rows = int(np.prod(shape[:-1], dtype=np.int64))
            total += len(range(rows)[args]) * len(range(shape[-1])[shots])
        return total

    def contains_pub(self, pub_idx: int | Iterable[int]) -> bool:
        """Whether this span ran (part of) the pub(s)."""
        wanted = {pub_idx} if isinstance(pub_idx, int) else set(pub_idx)
        return not wanted.isdisjoint(self._data_slices)

    def mask(self, pub_idx: int) -> npt.NDArray[np.bool_]:
        """Which elements (of shape ``(*pub shape, shots)``) of pub ``pub_idx`` ran here.

        Raises:
            KeyError: if this span did not run that pub.
        """
        if pub_idx not in self._data_slices:
            raise KeyError(f"pub {pub_idx} is not included in the span")
        shape, args, shots = self._data_slices[pub_idx]
        mask = np.zeros(shape, dtype=np.bool_)
        rows = int(np.prod(shape[:-1], dtype=np.int64))
        mask.reshape(rows, shape[-1])[(args, shots)] = True
        return mask

    def to_qiskit(self) -> Any:
        """The equivalent ``qiskit_ibm_runtime.execution_span.DoubleSliceSpan`` (needs the
        ``qiskit`` extra)."""
        from qiskit_ibm_runtime.execution_span import DoubleSliceSpan as QiskitSpan

        return QiskitSpan(self.start, self.stop, self.data_slices)

    def __repr__(self) -> str:
        return (
            f"DoubleSliceSpan(<start='{self.start:%Y-%m-%d %H:%M:%S}', "
            f"stop='{self.stop:%Y-%m-%d %H:%M:%S}', size={self.size}>)"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DoubleSliceSpan):
            return NotImplemented
        return (self.start, self.stop, self._data_slices) == (
            other.start,
            other.stop,
            other._data_slices,
        )

    __hash__ = None  # type: ignore[assignment]


class ExecutionSpans(Sequence[DoubleSliceSpan]):
    """The execution spans of a job (``result.metadata["execution"]["execution_spans"]``):
    when each part of each pub ran, as qiskit-ibm-runtime's ``ExecutionSpans``."""

    __slots__ = ("_spans",)

    def __init__(self, spans: Iterable[DoubleSliceSpan]) -> None:
        self._spans = list(spans)

    @overload
    def __getitem__(self, index: int) -> DoubleSliceSpan: ...
    @overload
    def __getitem__(self, index: slice) -> list[DoubleSliceSpan]: ...
    def __getitem__(self, index: int | slice) -> DoubleSliceSpan | list[DoubleSliceSpan]:
        return self._spans[index]

    def __len__(self) -> int:
        return len(self._spans)

    @property
    def start(self) -> datetime | None:
        """The earliest start (None without spans)."""
        return min((s.start for s in self._spans), default=None)

    @property
    def stop(self) -> datetime | None:
        """The latest stop (None without spans)."""
        return max((s.stop for s in self._spans), default=None)

    @property
    def duration(self) -> float:
        """Seconds from the earliest start to the latest stop."""
        start, stop = self.start, self.stop
        return 0.0 if start is None or stop is None else (stop - start).total_seconds()

    @property
    def pub_idxs(self) -> list[int]:
        """The pubs any span ran."""
        return sorted({i for s in self._spans for i in s.pub_idxs})

    def filter_by_pub(self, pub_idx: int | Iterable[int]) -> ExecutionSpans:
        """The spans that ran (part of) the pub(s)."""
        return ExecutionSpans(s for s in self._spans if s.contains_pub(pub_idx))

    def to_qiskit(self) -> Any:
        """The equivalent ``qiskit_ibm_runtime.execution_span.ExecutionSpans`` (needs the
        ``qiskit`` extra)."""
        from qiskit_ibm_runtime.execution_span import ExecutionSpans as QiskitSpans

        return QiskitSpans([s.to_qiskit() for s in self._spans])

    def __repr__(self) -> str:
        return f"ExecutionSpans({self._spans!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ExecutionSpans):
            return NotImplemented
        return self._spans == other._spans

    __hash__ = None  # type: ignore[assignment]


def metadata_to_qiskit(value: Any) -> Any:
    """Metadata with the SDK's span objects turned into qiskit-ibm-runtime's."""
    if isinstance(value, ExecutionSpans | DoubleSliceSpan):
        return value.to_qiskit()
    if isinstance(value, dict):
        return {k: metadata_to_qiskit(v) for k, v in value.items()}
    if isinstance(value, list):
        return [metadata_to_qiskit(v) for v in value]
    return value


class PubResult:
    """The result of one pub: its :class:`DataBin` and metadata."""

    __slots__ = ("_data", "_metadata")

    def __init__(self, data: DataBin, metadata: Mapping[str, Any] | None = None) -> None:
        if not isinstance(data, DataBin):
            raise ResultDecodeError(f"data must be a DataBin, not {type(data).__name__}")
        self._data = data
        self._metadata: dict[str, Any] = dict(metadata or {})

    @property
    def data(self) -> DataBin:
        """The pub's data fields."""
        return self._data

    @property
    def metadata(self) -> dict[str, Any]:
        """The pub's metadata (``circuit_metadata``, ``shots``, ``target_precision``, ...)."""
        return self._metadata

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data={self._data!r}, metadata=<{len(self._metadata)} keys>)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PubResult):
            return NotImplemented
        return (
            type(self) is type(other)
            and self._data == other._data
            and self._metadata == other._metadata
        )

    __hash__ = None  # type: ignore[assignment]

    def to_qiskit(self) -> Any:
        """The equivalent ``qiskit.primitives.PubResult`` (needs qiskit)."""
        from qiskit.primitives import PubResult as QiskitPubResult

        return QiskitPubResult(self._data.to_qiskit(), metadata=dict(self._metadata))


class SamplerPubResult(PubResult):
    """A Sampler pub's result: one :class:`BitArray` per classical register."""

    __slots__ = ()

    def join_data(self, names: Iterable[str] | None = None) -> FieldValue:
        """Join registers along the bits axis, as qiskit does.

        The first name supplies the least significant (rightmost) bits. ndarray fields (kerneled
        measurements) are concatenated along their last axis.
        """
        chosen = list(self._data) if names is None else list(names)
        if not chosen:
            raise ValidationError("no registers to join")
        for name in chosen:
            if name not in self._data:
                raise ValidationError(f"no register named {name!r}")
        values = [self._data[name] for name in chosen]
        if all(isinstance(v, BitArray) for v in values):
            return _concatenate_bits(values)
        if all(isinstance(v, np.ndarray) for v in values):
            return np.concatenate(values, axis=-1)
        raise ValidationError("cannot join BitArray and ndarray fields")

    def to_qiskit(self) -> Any:
        """The equivalent ``qiskit.primitives.SamplerPubResult`` (needs qiskit)."""
        from qiskit.primitives import SamplerPubResult as QiskitSamplerPubResult

        return QiskitSamplerPubResult(self._data.to_qiskit(), metadata=dict(self._metadata))


class PrimitiveResult(Sequence[PubResult]):
    """A job's result: one :class:`PubResult` per pub, plus job-level metadata."""

    __slots__ = ("_metadata", "_pub_results")

    def __init__(
        self, pub_results: Iterable[PubResult], metadata: Mapping[str, Any] | None = None
    ) -> None:
        results = list(pub_results)
        for i, item in enumerate(results):
            if not isinstance(item, PubResult):
                raise ResultDecodeError(
                    f"pub_results[{i}] must be a PubResult, not {type(item).__name__}"
                )
        self._pub_results = results
        self._metadata: dict[str, Any] = dict(metadata or {})

    @property
    def metadata(self) -> dict[str, Any]:
        """Job-level metadata (``execution``, ``version``, ...)."""
        return self._metadata

    @overload
    def __getitem__(self, index: int) -> PubResult: ...
    @overload
    def __getitem__(self, index: slice) -> list[PubResult]: ...
    def __getitem__(self, index: int | slice) -> PubResult | list[PubResult]:
        return self._pub_results[index]

    def __len__(self) -> int:
        return len(self._pub_results)

    def __iter__(self) -> Iterator[PubResult]:
        return iter(self._pub_results)

    def __repr__(self) -> str:
        return (
            f"PrimitiveResult({self._pub_results!r}, metadata=<{len(self._metadata)} keys>)"
            if len(self._pub_results) <= 3
            else f"PrimitiveResult(<{len(self._pub_results)} pub results>, "
            f"metadata=<{len(self._metadata)} keys>)"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PrimitiveResult):
            return NotImplemented
        return self._pub_results == other._pub_results and self._metadata == other._metadata

    __hash__ = None  # type: ignore[assignment]

    def to_qiskit(self) -> Any:
        """The equivalent ``qiskit.primitives.PrimitiveResult`` (needs qiskit)."""
        from qiskit.primitives import PrimitiveResult as QiskitPrimitiveResult

        return QiskitPrimitiveResult(
            [r.to_qiskit() for r in self._pub_results],
            metadata=metadata_to_qiskit(dict(self._metadata)),
        )
