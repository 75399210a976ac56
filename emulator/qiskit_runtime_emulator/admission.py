"""Admission limits: what a request or a job may cost, checked before the work it would cause.

Three stages, each cheaper than what it protects:

* :class:`BodyGuard` (ASGI, outermost): the body's size (413 from ``Content-Length`` before a
  byte is read, or as soon as a chunked body passes the limit) and how long it takes to arrive;
  at most a few large bodies are read and handled at once.
* :func:`check_json_shape` before ``json.loads``: the depth, and the number of arrays and
  objects; :func:`admit_counts` on the parsed body before the spec's schema walks it: lower
  bounds of the bindings and executions that the parameter values' shapes imply;
  :func:`admit_params` before any circuit is parsed: includes (standard headers only), register
  sizes, OpenQASM text sizes, QPY payload sizes once inflated.
* :func:`admit_program_qpy` (executor jobs, off the event loop): the inflated size of the QPY
  file, before it is loaded;
* :func:`admit_prepared` on the parsed job, before it is queued: exact bindings and executions,
  classical bits, ``for``-loop iterations and an estimate of the result's size.

Executor jobs (quantum programs) pass the same stages: their items' elements count as bindings
and ``shots`` x elements as executions; their OpenQASM 3 texts and QPY file are checked like
PUB circuits (the QPY file, holding every item's circuit, against ``max_circuit_bytes`` per
circuit); their result estimate counts the samplexes' outputs beside the registers.

Each limit is a field of :class:`~.config.EmulatorConfig`; every message names the limit and
the value, and never quotes a server file.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import math
import re
import secrets
import zlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .config import EmulatorConfig
from .errors import ApiError, error_body
from .text import dumps_json
from .validation import REQUEST_VALIDATION_CODE

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from .executor import PreparedJob
    from .quantum_programs import PreparedProgram

__all__ = [
    "STANDARD_HEADERS",
    "BodyGuard",
    "ParamsInfo",
    "admit_counts",
    "admit_params",
    "admit_prepared",
    "admit_program_qpy",
    "check_json_shape",
    "json_depth",
    "json_shape",
]

STANDARD_HEADERS = ("qelib1.inc", "stdgates.inc")
"""The only files an OpenQASM program may include (served by the parsers themselves)."""
_LARGE_BODY = 1 << 20
"""Bodies above this size take one of the few large-request slots."""
_LARGE_SLOTS = 2
_DRAIN_BYTES = 1 << 30
"""A refused body is read (and dropped) up to this size, so that the client, which sends its
whole body before it reads the answer, gets the 413 rather than a reset connection."""
_DEFAULT_SHOTS = 4096
_INFLATE_CHUNK = 1 << 20


def _invalid(message: str) -> ApiError:
    return ApiError(400, f"Invalid params: {message}", code=REQUEST_VALIDATION_CODE)


def _size(n: int) -> str:
    """Bytes in words: ``16 MiB``, ``300 KiB``, ``12 bytes``."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift:
            value = n / (1 << shift)
            return f"{value:.0f} {unit}" if value >= 10 else f"{value:.1f} {unit}"
    return f"{n} bytes"


# ---------------------------------------------------------------------------- body


class BodyGuard:
    """Outermost ASGI layer: reads every request body under the size and time limits.

    A body over ``max_request_bytes`` gets a 413 naming the limit (decided from
    ``Content-Length`` when there is one; the rest of the body is read and dropped, up to 1 GiB
    and ``body_timeout``, then the connection is closed); a body that takes longer than
    ``body_timeout`` gets a 408. The body is handed on in one piece. Bodies over 1 MiB wait for
    one of two slots, held until the answer is sent, so that a crowd of large requests cannot
    multiply the memory they need.
    """

    def __init__(
        self,
        app: ASGIApp,
        config: EmulatorConfig,
        on_refused: Callable[[str, str, int], None] | None = None,
    ) -> None:
        self.app = app
        self.limit = config.max_request_bytes
        self.timeout = config.body_timeout
        self.on_refused = on_refused
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length, chunked = _body_headers(scope)
        if length is not None and length > self.limit:
            message = (
                f"The request body is {length} bytes ({_size(length)}); the limit "
                f"(max_request_bytes) is {self.limit} bytes ({_size(self.limit)})"
            )
            await self._drain(receive, 0)
            await self._refuse(scope, send, 413, message)
            return
        large = chunked or (length or 0) > _LARGE_BODY
        if large and self._slots is None:
            self._slots = asyncio.Semaphore(_LARGE_SLOTS)
        if large:
            assert self._slots is not None
            async with self._slots:
                await self._pass_on(scope, receive, send)
        else:
            await self._pass_on(scope, receive, send)

    async def _pass_on(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with asyncio.timeout(self.timeout):
                body, disconnected = await self._read(receive)
        except TimeoutError:
            message = f"The request body did not arrive within {self.timeout:g} s (body_timeout)"
            await self._refuse(scope, send, 408, message)
            return
        except _TooLarge as exc:
            message = (
                f"The request body exceeds the limit (max_request_bytes) of {self.limit} bytes "
                f"({_size(self.limit)})"
            )
            await self._drain(receive, exc.received)
            await self._refuse(scope, send, 413, message)
            return
        if disconnected:
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive) -> tuple[bytes, bool]:
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"", True
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.limit:
                raise _TooLarge(total)
            if chunk:
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return (chunks[0] if len(chunks) == 1 else b"".join(chunks)), False

    async def _drain(self, receive: Receive, received: int) -> None:
        """Read and drop what is left of a refused body, within the limits of time and size."""
        try:
            async with asyncio.timeout(self.timeout):
                while received <= _DRAIN_BYTES:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    received += len(message.get("body", b""))
                    if not message.get("more_body", False):
                        return
        except TimeoutError:
            return

    async def _refuse(self, scope: Scope, send: Send, status: int, message: str) -> None:
        body = dumps_json(error_body(status, message, secrets.token_hex(10)))
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        if self.on_refused is not None:
            self.on_refused(scope["method"], scope["path"], status)


class _TooLarge(Exception):
    def __init__(self, received: int) -> None:
        super().__init__(received)
        self.received = received


def _body_headers(scope: Scope) -> tuple[int | None, bool]:
    """The declared body length (None if not declared) and whether the body is chunked."""
    length: int | None = None
    chunked = False
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                length = None
        elif name == b"transfer-encoding":
            chunked = True
    return length, chunked


# ---------------------------------------------------------------------------- JSON depth

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_OPEN = frozenset(b"[{")


def json_shape(raw: bytes) -> tuple[int, int]:
    """How deeply the arrays and objects of a JSON text nest, and how many there are, without
    parsing it (brackets inside strings do not count)."""
    if b"[" not in raw and b"{" not in raw:
        return 0, 0
    text = _JSON_STRING.sub(b"", raw) if b'"' in raw else raw
    codes = np.frombuffer(text, dtype=np.uint8)
    brackets = codes[np.isin(codes, np.frombuffer(b"[]{}", dtype=np.uint8))]
    if brackets.size == 0:
        return 0, 0
    opening = np.isin(brackets, np.frombuffer(b"[{", dtype=np.uint8))
    steps = np.where(opening, 1, -1)
    return int(np.cumsum(steps, dtype=np.int64).max()), int(opening.sum())


def json_depth(raw: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest (see :func:`json_shape`)."""
    return json_shape(raw)[0]


def check_json_shape(raw: bytes, config: EmulatorConfig) -> None:
    """Raise a 400 if ``raw`` nests deeper than ``max_json_depth`` or holds more arrays and
    objects than ``max_json_containers`` (building them is most of what ``json.loads`` costs,
    and it holds the interpreter lock all along)."""
    depth_limit, count_limit = config.max_json_depth, config.max_json_containers
    if raw.count(b"[") + raw.count(b"{") <= min(depth_limit, count_limit):
        return  # too few brackets to pass either limit (the common case: a quick count)
    depth, containers = json_shape(raw)
    if depth > depth_limit:
        raise ApiError(
            400,
            f"The request body nests {depth} levels deep; the limit (max_json_depth) is "
            f"{depth_limit}",
            code=REQUEST_VALIDATION_CODE,
        )
    if containers > count_limit:
        raise ApiError(
            400,
            f"The request body holds {containers} JSON arrays and objects; the limit "
            f"(max_json_containers) is {count_limit}. Send parameter values as an encoded "
            "ndarray",
            code=REQUEST_VALIDATION_CODE,
        )


# ---------------------------------------------------------------------------- job params


@attrs.frozen
class ParamsInfo:
    """What :func:`admit_params` learnt: how much OpenQASM 3 text (its parser is slow) and
    inflated QPY the job holds, to decide where to parse it."""

    qasm3_bytes: int = 0
    qpy_bytes: int = 0


_COMMENT = re.compile(r"//[^\n]*|/\*.*?(?:\*/|\Z)", re.DOTALL)
_VERSION = re.compile(r"\A\s*OPENQASM\s+([0-9]+)")
_INCLUDE = re.compile(r"""\binclude\b(?:\s*(["'])([^"'\n]*)\1\s*;)?""")
_REGISTER_OLD = re.compile(r"\b(qreg|creg)\s+[A-Za-z_]\w*\s*\[([^\]]*)\]")
_REGISTER_NEW = re.compile(r"\b(qubit|bit)\b\s*(?:\[([^\]]*)\])?\s*[A-Za-z_]\w*\s*[;=]")
_CONST = re.compile(r"\bconst\s+[A-Za-z_]\w*(?:\[[^\]]*\])?\s+([A-Za-z_]\w*)\s*=\s*([0-9_]+)\s*;")
_PHYSICAL = re.compile(r"\$([0-9]+)")


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _designator(raw: str | None, consts: Mapping[str, int], where: str, line: int) -> int:
    if raw is None:
        return 1
    token = raw.strip()
    if token in consts:
        return consts[token]
    if re.fullmatch(r"[0-9][0-9_]*", token):
        digits = token.replace("_", "")
        # Python refuses to convert very long digit strings: such a size is too large anyway.
        return int(digits) if len(digits) <= 18 else 10**18
    raise _invalid(
        f"{where}: line {line}: a register size must be an integer literal or a constant set to one"
    )


def _scan_qasm(text: str, where: str, config: EmulatorConfig) -> tuple[bool, int]:
    """Check one OpenQASM program's text; return (is OpenQASM 3, its size in bytes)."""
    size = len(text.encode("utf-8", "surrogatepass"))
    code = _COMMENT.sub(lambda m: "\n" * m.group().count("\n") or " ", text)
    version = _VERSION.match(code)
    qasm3 = version is None or version.group(1) != "2"
    if not qasm3 and size > config.max_circuit_bytes:
        raise _invalid(
            f"{where}: the OpenQASM 2 program is {size} bytes; the limit (max_circuit_bytes) is "
            f"{config.max_circuit_bytes} bytes ({_size(config.max_circuit_bytes)})"
        )
    for match in _INCLUDE.finditer(code):
        if match.group(2) not in STANDARD_HEADERS:
            # The path is not repeated: the answer must never depend on the server's files.
            raise _invalid(
                f"{where}: line {_line(code, match.start())}: only the standard headers "
                f"{' and '.join(repr(h) for h in STANDARD_HEADERS)} may be included"
            )
    consts = {m.group(1): int(m.group(2).replace("_", "")[:18] or 0) for m in _CONST.finditer(code)}
    qubits = clbits = 0
    for pattern in (_REGISTER_OLD, _REGISTER_NEW) if qasm3 else (_REGISTER_OLD,):
        for match in pattern.finditer(code):
            count = _designator(match.group(2), consts, where, _line(code, match.start()))
            if match.group(1) in ("qreg", "qubit"):
                qubits += count
            else:
                clbits += count
    physical = [int(m.group(1)[:18]) for m in _PHYSICAL.finditer(code)] if qasm3 else []
    # A circuit wider than its backend is not an ISA circuit: its job fails with code 1517,
    # after parsing. This limit only keeps absurd widths from the parser.
    limit = config.max_circuit_qubits
    declared = max(qubits, max(physical) + 1 if physical else 0)
    if declared > limit:
        raise _invalid(
            f"{where}: the program uses {declared} qubits; the limit (max_circuit_qubits) is "
            f"{limit}"
        )
    if clbits > config.max_classical_bits:
        raise _invalid(
            f"{where}: the program declares {clbits} classical bits; the limit "
            f"(max_classical_bits) is {config.max_classical_bits}"
        )
    return qasm3, size


def _qpy_size(payload: Any, limit: int) -> int:
    """The size of a base64 QPY payload once inflated, counted up to ``limit + 1`` bytes (0 if
    the payload is malformed: the executor names that problem)."""
    if not isinstance(payload, str):
        return 0
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return 0
    if raw.startswith(b"QISKIT"):
        return len(raw)
    inflater = zlib.decompressobj()
    try:
        return len(inflater.decompress(raw, limit + 1))
    except zlib.error:
        return 0


def _check_qpy(value: Mapping[str, Any], where: str, config: EmulatorConfig) -> int:
    """Check a QPY circuit's inflated size; return it (0 if the payload is malformed)."""
    limit = config.max_circuit_bytes
    size = _qpy_size(value.get("__value__"), limit)
    if size > limit:
        raise _invalid(
            f"{where}: the QPY circuit inflates to more than {limit} bytes; the limit "
            f"(max_circuit_bytes) is {limit} bytes ({_size(limit)})"
        )
    return size


def _list_shape(value: Any) -> tuple[int, ...] | None:
    """The shape of a nested list, read along its first items (None if not a list)."""
    if not isinstance(value, list):
        return None
    shape: list[int] = []
    while isinstance(value, list):
        shape.append(len(value))
        if not value:
            break
        value = value[0]
    return tuple(shape)


def _bindings_at_least(values: Any) -> int:
    """A lower bound of the bindings that parameter values stand for (exact counts need the
    circuit; this one needs none): every axis but the last counts."""
    shapes: list[tuple[int, ...]] = []
    if isinstance(values, list):
        shape = _list_shape(values)
        if shape:
            shapes.append(shape)
    elif isinstance(values, Mapping) and "__type__" not in values:
        for column in values.values():
            shape = _list_shape(column)
            if shape:
                shapes.append(shape)
    return max((math.prod(shape[:-1]) for shape in shapes), default=1)


def _shots(pub: Any, params: Mapping[str, Any]) -> int:
    for candidate in (
        pub[2] if isinstance(pub, list) and len(pub) > 2 else None,
        params.get("shots"),
        (params.get("options") or {}).get("default_shots")
        if isinstance(params.get("options"), Mapping)
        else None,
    ):
        if isinstance(candidate, int | float) and not isinstance(candidate, bool):
            return max(1, int(candidate))
    return _DEFAULT_SHOTS


def admit_counts(body: Any, config: EmulatorConfig) -> None:
    """Check a job request's bindings and executions (lower bounds from the parameter values'
    shapes) before its body is checked against the spec, which walks every value.

    Takes the parsed body as it is (nothing is validated yet); raises ``ApiError(400)``.
    """
    from .backends import BACKENDS

    if not isinstance(body, Mapping):
        return
    program_id, params = body.get("program_id"), body.get("params")
    if program_id == "executor":
        _admit_program_counts(params, config)
        return
    pubs = params.get("pubs") if isinstance(params, Mapping) else None
    if program_id not in ("sampler", "estimator") or not isinstance(pubs, list):
        return
    assert isinstance(params, Mapping)
    backend = BACKENDS.get(body["backend"]) if isinstance(body.get("backend"), str) else None
    # Shots above the backend's maximum are the executor's to refuse, per PUB.
    max_shots = backend.max_shots if backend else max(b.max_shots for b in BACKENDS.values())
    bindings = executions = 0
    values_at = 1 if program_id == "sampler" else 2
    for pub in pubs:
        items = pub if isinstance(pub, list) else [pub]
        count = _bindings_at_least(items[values_at] if len(items) > values_at else None)
        bindings += count
        if program_id == "sampler":
            executions += count * min(_shots(pub, params), max_shots)
    _check_counts(bindings, executions, config)


def admit_params(program_id: str, params: Any, config: EmulatorConfig) -> ParamsInfo:
    """Check a job's circuits against the limits before any of them is parsed.

    Raises ``ApiError(400)`` naming the PUB, the limit and the value. Shapes that the executor
    refuses anyway are left to it (its messages are more precise).
    """
    if program_id == "executor":
        return _admit_program_circuits(params, config)
    pubs = params.get("pubs") if isinstance(params, Mapping) else None
    if not isinstance(pubs, list):
        return ParamsInfo()
    qasm3_bytes = qpy_bytes = 0
    for i, pub in enumerate(pubs):
        items = pub if isinstance(pub, list) else [pub]
        where = f"pubs[{i}][0]" if isinstance(pub, list) else f"pubs[{i}]"
        circuit = items[0] if items else None
        if isinstance(circuit, str):
            qasm3, size = _scan_qasm(circuit, where, config)
            if qasm3:
                qasm3_bytes += size
        elif isinstance(circuit, Mapping) and circuit.get("__type__") == "QuantumCircuit":
            qpy_bytes += _check_qpy(circuit, where, config)
    if qasm3_bytes > config.max_qasm3_bytes:
        raise _invalid(
            f"pubs: the job holds {qasm3_bytes} bytes of OpenQASM 3 text; the limit "
            f"(max_qasm3_bytes) is {config.max_qasm3_bytes} bytes "
            f"({_size(config.max_qasm3_bytes)}). Send large circuits as QPY or OpenQASM 2"
        )
    return ParamsInfo(qasm3_bytes, qpy_bytes)


def _check_counts(
    bindings: int, executions: int, config: EmulatorConfig, where: str = "pubs"
) -> None:
    if bindings > config.max_bindings:
        raise _invalid(
            f"{where}: the job has {bindings} parameter bindings; the limit (max_bindings) is "
            f"{config.max_bindings}"
        )
    if executions > config.max_executions:
        raise _invalid(
            f"{where}: the job asks for {executions} executions (shots x bindings); the limit "
            f"(max_executions) is {config.max_executions}"
        )


# ---------------------------------------------------------------------------- executor jobs

_PROGRAM = "quantum_program"


def _program_node(params: Any) -> Mapping[str, Any] | None:
    program = params.get(_PROGRAM) if isinstance(params, Mapping) else None
    return program if isinstance(program, Mapping) else None


def _int_shape(value: Any) -> tuple[int, ...] | None:
    """A JSON shape (an array of non-negative integers), or None for anything else."""
    if not isinstance(value, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in value
    ):
        return None
    return tuple(value)


def _elements_at_least(item: Any) -> int:
    """A lower bound of the elements an item runs, from its JSON alone: its ``shape`` and, for a
    circuit item, the sweep axes of its arguments (a broadcast is at least as large as either
    side; samplex arguments need the samplex, and are counted after it is loaded)."""
    if not isinstance(item, Mapping):
        return 0
    shape = _int_shape(item.get("shape")) or ()
    count = math.prod(shape)
    arguments = item.get("circuit_arguments")
    sweep = _int_shape(arguments.get("shape")) if isinstance(arguments, Mapping) else None
    if sweep:
        count = max(count, math.prod(sweep[:-1]))
    return count


def _admit_program_counts(params: Any, config: EmulatorConfig) -> None:
    """:func:`admit_counts` for an executor job: elements of the items (lower bounds) as
    bindings, ``shots`` times as many as executions."""
    program = _program_node(params)
    items = program.get("items") if program is not None else None
    if program is None or not isinstance(items, list):
        return
    shots = program.get("shots")
    shots = shots if isinstance(shots, int) and not isinstance(shots, bool) and shots > 0 else 1
    elements = sum(_elements_at_least(item) for item in items)
    _check_counts(elements, elements * shots, config, _PROGRAM)


def _admit_program_circuits(params: Any, config: EmulatorConfig) -> ParamsInfo:
    """:func:`admit_params` for an executor job: its OpenQASM texts like PUB circuits. (Its QPY
    file is measured by :func:`admit_program_qpy`, off the event loop.)"""
    program = _program_node(params)
    circuits = program.get("circuits") if program is not None else None
    if program is None or not isinstance(circuits, Mapping):
        return ParamsInfo()
    texts = circuits.get("data")
    if "b64_data" in circuits or not isinstance(texts, list):
        return ParamsInfo()
    where = f"{_PROGRAM}.circuits"
    qasm3_bytes = 0
    for i, text in enumerate(texts):
        if isinstance(text, str):
            qasm3, size = _scan_qasm(text, f"{where}.data[{i}]", config)
            if qasm3:
                qasm3_bytes += size
    if qasm3_bytes > config.max_qasm3_bytes:
        raise _invalid(
            f"{where}: the job holds {qasm3_bytes} bytes of OpenQASM 3 text; the limit "
            f"(max_qasm3_bytes) is {config.max_qasm3_bytes} bytes "
            f"({_size(config.max_qasm3_bytes)}). Send large circuits as QPY"
        )
    return ParamsInfo(qasm3_bytes=qasm3_bytes)


def admit_program_qpy(params: Any, config: EmulatorConfig) -> None:
    """Check an executor job's QPY file, once inflated, against ``max_circuit_bytes`` for each
    of the program's items (a file holds one circuit per item), before it is loaded. The file is
    inflated in pieces and counted, never held, and only up to the limit: a small body that
    inflates to gigabytes costs what the limit allows. Raises ``ApiError(400)``."""
    from .quantum_programs import MAX_QPY_BYTES

    program = _program_node(params)
    circuits = program.get("circuits") if program is not None else None
    if program is None or not isinstance(circuits, Mapping):
        return
    payload = circuits.get("b64_data")
    items = program.get("items")
    count = max(len(items) if isinstance(items, list) else 0, 1)
    limit = min(config.max_circuit_bytes * count, MAX_QPY_BYTES)
    if not isinstance(payload, str):
        return
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return  # the executor names the problem
    inflater = zlib.decompressobj()
    size = 0
    try:
        chunk = inflater.decompress(raw, _INFLATE_CHUNK)
        while chunk and size <= limit:
            size += len(chunk)
            chunk = inflater.decompress(inflater.unconsumed_tail, _INFLATE_CHUNK)
    except zlib.error:
        return
    if size > limit:
        raise _invalid(
            f"{_PROGRAM}.circuits.b64_data: the QPY file of {count} circuit(s) inflates to more "
            f"than {limit} bytes; the limit (max_circuit_bytes) is {config.max_circuit_bytes} "
            f"bytes ({_size(config.max_circuit_bytes)}) per circuit"
        )


def _output_bytes(spec: Any) -> float:
    """Bytes per element of a samplex output (its fixed dimensions; booleans bit-packed)."""
    count = math.prod(n for n in spec.shape if isinstance(n, int))
    dtype = np.dtype(spec.dtype)
    return count / 8 if dtype == np.bool_ else count * dtype.itemsize


def _program_result_bytes(prepared: PreparedProgram) -> int:
    """An estimate of an executor result's size: every register, bit-packed, and every samplex
    output but the parameter values (which are bound, not returned), base64-encoded."""
    total = 0.0
    for item in prepared.items:
        per_element = prepared.shots * sum(creg.size for creg in item.circuit.cregs) / 8
        samplex = getattr(item, "samplex", None)
        if samplex is not None:
            per_element += sum(
                _output_bytes(spec)
                for spec in samplex.outputs().specs
                if spec.name != "parameter_values"
            )
        total += math.prod(item.shape) * per_element * 4 / 3
    return int(total)


def _admit_program(prepared: PreparedProgram, config: EmulatorConfig) -> None:
    """:func:`admit_prepared` for an executor job."""
    bindings = 0
    for i, item in enumerate(prepared.items):
        _admit_circuit(item.circuit, f"{_PROGRAM}.items[{i}]", config)
        bindings += math.prod(item.shape)
    _check_counts(bindings, prepared.total_shots, config, _PROGRAM)
    _admit_result(_program_result_bytes(prepared), _PROGRAM, config)


def _admit_circuit(circuit: Any, where: str, config: EmulatorConfig) -> None:
    if circuit.num_clbits > config.max_classical_bits:
        raise _invalid(
            f"{where}: the circuit has {circuit.num_clbits} classical bits; the limit "
            f"(max_classical_bits) is {config.max_classical_bits}"
        )
    iterations = loop_iterations(circuit)
    if iterations > config.max_loop_iterations:
        raise _invalid(
            f"{where}: the circuit's for loops run {iterations} iterations; the limit "
            f"(max_loop_iterations) is {config.max_loop_iterations}"
        )


def _admit_result(estimate: int, where: str, config: EmulatorConfig) -> None:
    if estimate > config.max_result_bytes:
        raise _invalid(
            f"{where}: the result would take about {estimate} bytes ({_size(estimate)}); the "
            f"limit (max_result_bytes) is {config.max_result_bytes} bytes "
            f"({_size(config.max_result_bytes)})"
        )


# ---------------------------------------------------------------------------- parsed job


def loop_iterations(circuit: Any) -> int:
    """``for``-loop body executions in one pass of ``circuit`` (nested loops multiply)."""
    total = 0
    for inst in circuit.data:
        op = inst.operation
        blocks = getattr(op, "blocks", ())
        if not blocks:
            continue
        inner = max(loop_iterations(block) for block in blocks)
        if op.name == "for_loop":
            try:
                count = len(op.params[0])
            except (OverflowError, TypeError):
                count = 1 << 62
            total += count * (1 + inner)
        else:  # if/else, switch, box, and while (bounded by the job's cost, not here)
            total += inner
    return total


def _result_bytes(prepared: PreparedJob) -> int:
    """An estimate of the result document's size (the larger, plain-JSON form for Sampler
    samples written as hex strings; 8-byte floats, base64-encoded, for typed results)."""
    typed = prepared.support_qiskit
    total = 0.0
    for pub in prepared.pubs:
        size = math.prod(pub.shape)
        if prepared.program_id == "sampler":
            per_shot = sum(
                math.ceil(creg.size / 8) * 4 / 3 if typed else math.ceil(creg.size / 4) + 5
                for creg in pub.circuit.cregs
            )
            total += size * pub.shots * per_shot
        else:
            total += size * 3 * (11 if typed else 24)
    return int(total)


def admit_prepared(prepared: PreparedJob | PreparedProgram, config: EmulatorConfig) -> None:
    """Check a parsed job (a Sampler or Estimator job, or an executor job's program) against the
    limits; raises ``ApiError(400)``."""
    from .quantum_programs import PreparedProgram

    if isinstance(prepared, PreparedProgram):
        _admit_program(prepared, config)
        return
    bindings = executions = 0
    for i, pub in enumerate(prepared.pubs):
        _admit_circuit(pub.circuit, f"pubs[{i}]", config)
        count = math.prod(pub.parameter_values.shape[:-1])
        bindings += count
        if prepared.program_id == "sampler":
            executions += count * pub.shots
    _check_counts(bindings, executions, config)
    _admit_result(_result_bytes(prepared), "pubs", config)
