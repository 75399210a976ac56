"""How the command line prints: aligned tables and ``key: value`` blocks for people, JSON for
scripts, one-line error messages. Pure functions of the SDK's views; no I/O here.

This module imports neither the SDK's client nor numpy at module level: ``--help`` loads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qiskit_runtime_rest.programs import QuantumProgramResult
    from qiskit_runtime_rest.results import PrimitiveResult

__all__ = [
    "describe_error",
    "fields",
    "plain",
    "result_counts",
    "result_document",
    "result_summary",
    "table",
    "to_json",
    "when",
]

NONE = "-"


def when(value: datetime | None) -> str:
    """A timestamp in UTC to the second, ISO 8601 (``2026-12-08T14:03:12Z``); ``-`` for None."""
    if value is None:
        return NONE
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def cell(value: Any) -> str:
    """A value as a table cell: ``-`` for None, timestamps as :func:`when`, lists joined."""
    if value is None or value == "":
        return NONE
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value) or NONE
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Columns aligned on the widest cell, headers in capitals, no trailing blanks."""
    cells = [[cell(v) for v in row] for row in rows]
    heads = [h.upper() for h in headers]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(heads)]
    lines = [heads, *cells]
    return "\n".join(
        "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def fields(pairs: Iterable[tuple[str, Any]]) -> str:
    """``key: value`` lines with the values aligned."""
    items = [(k, cell(v)) for k, v in pairs]
    width = max((len(k) for k, _ in items), default=0) + 1
    return "\n".join(f"{(k + ':').ljust(width)} {v}" for k, v in items)


def plain(value: Any) -> Any:
    """``value`` as JSON data: attrs views as objects (their ``raw`` and ``params`` documents
    left out), timestamps as ISO 8601, numpy values as numbers and lists."""
    import attrs

    if attrs.has(type(value)):
        return {
            f.name: plain(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if f.name not in ("raw", "params")
        }
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    tolist = getattr(value, "tolist", None)  # numpy arrays and scalars
    if callable(tolist):
        return plain(tolist())
    return str(value)


def to_json(value: Any) -> str:
    """Indented JSON of :func:`plain` ``value``."""
    return json.dumps(plain(value), indent=2, ensure_ascii=False)


def describe_error(exc: BaseException) -> str:
    """One line for an error: the SDK's message as it is (it names the request, the status and
    the service's reason), other errors with their type."""
    from qiskit_runtime_rest.errors import RuntimeRestError

    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, RuntimeRestError):
        return text
    return f"{type(exc).__name__}: {text}"


# -- results ------------------------------------------------------------------------------------


def _field_document(value: Any) -> Any:
    from qiskit_runtime_rest.results import BitArray

    if isinstance(value, BitArray):
        return {
            "counts": value.get_counts(),
            "num_shots": value.num_shots,
            "num_bits": value.num_bits,
            "shape": list(value.shape),
        }
    return plain(value)


def _entries(result: PrimitiveResult | QuantumProgramResult) -> list[tuple[str, dict[str, Any]]]:
    """Per PUB (``pub 0``) or executor item (``item 0``), its fields: an executor item's
    registers become BitArrays like a Sampler PUB's; its other outputs (named ``<kind>.<name>``
    by samplexes) stay arrays."""
    from qiskit_runtime_rest.programs import QuantumProgramResult

    if not isinstance(result, QuantumProgramResult):
        return [(f"pub {i}", dict(pub.data.items())) for i, pub in enumerate(result)]
    out = []
    for i, item in enumerate(result):
        data: dict[str, Any] = {}
        for name, array in item.items():
            register = "." not in name and array.dtype == bool and array.ndim >= 2
            data[name] = item.bit_array(name) if register else array
        out.append((f"item {i}", data))
    return out


def result_document(result: PrimitiveResult | QuantumProgramResult) -> dict[str, Any]:
    """A result as JSON data: per PUB (or executor item), each data field (a register's
    ``counts``, ``num_shots``, ``num_bits`` and ``shape``; an array's values) and the metadata."""
    from qiskit_runtime_rest.programs import QuantumProgramResult

    entries = [{"data": {k: _field_document(v) for k, v in d.items()}} for _, d in _entries(result)]
    if isinstance(result, QuantumProgramResult):
        for entry, item in zip(entries, result, strict=True):
            entry["metadata"] = plain(
                {"scheduler_timing": item.scheduler_timing, "stretch_values": item.stretch_values}
            )
        return {
            "items": entries,
            "metadata": {"chunk_timing": plain(result.chunk_timing)},
            "semantic_role": result.semantic_role,
            "passthrough_data": plain(result.passthrough_data),
        }
    for entry, pub in zip(entries, result, strict=True):
        entry["metadata"] = plain(pub.metadata)
    return {"pubs": entries, "metadata": plain(result.metadata)}


def result_counts(
    result: PrimitiveResult | QuantumProgramResult,
) -> list[dict[str, dict[str, int]]]:
    """Per PUB (or executor item), the counts of each classical register (over all of its
    elements).

    Raises:
        ValueError: the result has no register (an Estimator job's).
    """
    from qiskit_runtime_rest.results import BitArray

    out = [
        {name: v.get_counts() for name, v in data.items() if isinstance(v, BitArray)}
        for _, data in _entries(result)
    ]
    if not any(out):
        raise ValueError("the result holds no classical register (an Estimator job?); use --json")
    return out


def result_summary(result: PrimitiveResult | QuantumProgramResult, *, max_counts: int = 8) -> str:
    """A result for people: one block per PUB (or executor item), each field on a line (the
    most frequent ``max_counts`` outcomes of a register; an array's shape and values)."""
    import numpy as np

    from qiskit_runtime_rest.results import BitArray

    lines: list[str] = []
    for label, data in _entries(result):
        lines.append(f"{label}:")
        for name, value in data.items():
            if isinstance(value, BitArray):
                counts = sorted(value.get_counts().items(), key=lambda kv: (-kv[1], kv[0]))
                shown = ", ".join(f"{k!r}: {n}" for k, n in counts[:max_counts])
                extra = len(counts) - max_counts
                more = f", ... ({extra} more)" if extra > 0 else ""
                shape = f", shape {value.shape}" if value.shape else ""
                lines.append(
                    f"  {name}: {value.num_shots} shots x {value.num_bits} bits{shape}; "
                    f"counts {{{shown}{more}}}"
                )
            else:
                array = np.asarray(value)
                text = np.array2string(array, precision=6, threshold=20, separator=", ")
                lines.append(f"  {name} (shape {array.shape}): {' '.join(text.split())}")
    return "\n".join(lines)
