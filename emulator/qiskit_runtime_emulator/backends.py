"""Fake IBM backends served by the emulator.

Each backend carries the JSON documents IBM serves for a device (``GET /backends``,
``/backends/{name}/configuration``, ``/properties`` and ``/status``). The documents are generated
here, deterministically (fixed dates, error rates and coherence times), so that they stay
consistent with each other and qiskit-ibm-runtime can build an ``IBMBackend``/``Target`` from them
without the emulator depending on qiskit-ibm-runtime at run time.
"""

from __future__ import annotations

import copy
import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

__all__ = [
    "BACKENDS",
    "FakeBackend",
    "get_backend",
    "heavy_hex_eagle_127",
]

# Fixed timestamps keep the documents byte-for-byte reproducible between runs.
_CALIBRATION_DATE = "2026-01-01T00:00:00+00:00"

# Non-unitary instructions every IBM device supports next to its basis gates.
_NON_UNITARY = ("delay", "measure", "reset")

# OpenQASM 2 definitions IBM puts in the configuration's `gates` entries.
_QASM_DEFS: dict[str, tuple[list[str], str]] = {
    "id": ([], "gate id q { U(0, 0, 0) q; }"),
    "rz": (["theta"], "gate rz(theta) q { U(0, 0, theta) q; }"),
    "sx": ([], "gate sx q { U(pi/2, 3*pi/2, pi/2) q; }"),
    "x": ([], "gate x q { U(pi, 0, pi) q; }"),
    "cx": ([], "gate cx q0, q1 { CX q0, q1; }"),
    "cz": ([], "gate cz q0, q1 { U(pi/2, 0, pi) q1; CX q0, q1; U(pi/2, 0, pi) q1; }"),
    "ecr": ([], "gate ecr q0, q1 { rzx(pi/4) q0, q1; x q0; rzx(-pi/4) q0, q1; }"),
}

# Gate durations in ns (IBM-like orders of magnitude).
_GATE_LENGTH_NS = {
    "id": 32.0,
    "rz": 0.0,
    "sx": 32.0,
    "x": 32.0,
    "cx": 340.0,
    "cz": 68.0,
    "ecr": 660.0,
}


def _vary(index: int, spread: int, step: float) -> float:
    """Deterministic per-qubit variation: a small saw-tooth pattern, no randomness."""
    return ((index * 7 + 3) % spread) * step


def _nduv(name: str, unit: str, value: float) -> dict[str, Any]:
    return {"date": _CALIBRATION_DATE, "name": name, "unit": unit, "value": value}


def heavy_hex_eagle_127() -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The 127-qubit heavy-hex lattice of IBM Eagle devices: (undirected edges, coords).

    Seven rows of data qubits (14, 15, 15, 15, 15, 15, 14 wide) joined by rows of four bridge
    qubits, placed every fourth column with the offset alternating between 0 and 2.
    """
    width = 15
    rows: list[list[tuple[int, int]]] = []  # per row: (column, qubit index)
    edges: list[tuple[int, int]] = []
    coords: list[tuple[int, int]] = []
    next_q = 0
    n_rows = 7
    for r in range(n_rows):
        if r == 0:
            cols = list(range(width - 1))
        elif r == n_rows - 1:
            cols = list(range(1, width))
        else:
            cols = list(range(width))
        row = []
        for c in cols:
            row.append((c, next_q))
            coords.append((c, 2 * r))
            next_q += 1
        for (_, a), (_, b) in itertools.pairwise(row):
            edges.append((a, b))
        rows.append(row)
        if r < n_rows - 1:
            offset = 0 if r % 2 == 0 else 2
            bridges = []
            for c in range(offset, width, 4):
                bridges.append((c, next_q))
                coords.append((c, 2 * r + 1))
                next_q += 1
            rows.append(bridges)
    # Connect each bridge qubit to the data qubits in the same column above and below it.
    for i in range(1, len(rows), 2):
        above = dict(rows[i - 1])
        below = dict(rows[i + 1])
        for c, q in rows[i]:
            edges.append((above[c], q))
            edges.append((q, below[c]))
    return sorted(edges), coords


# IBM Falcon r5.11 27-qubit heavy-hex: the well-known layout of the 27-qubit devices.
_FALCON_27_EDGES: list[tuple[int, int]] = [
    (0, 1), (1, 2), (1, 4), (2, 3), (3, 5), (4, 7), (5, 8), (6, 7), (7, 10), (8, 9), (8, 11),
    (10, 12), (11, 14), (12, 13), (12, 15), (13, 14), (14, 16), (15, 18), (16, 19), (17, 18),
    (18, 21), (19, 20), (19, 22), (21, 23), (22, 25), (23, 24), (24, 25), (25, 26),
]  # fmt: skip
_FALCON_27_COORDS: list[tuple[int, int]] = [
    (0, 1), (1, 1), (1, 2), (1, 3), (2, 1), (2, 3), (3, 0), (3, 1), (3, 3), (3, 4), (4, 1),
    (4, 3), (5, 1), (5, 2), (5, 3), (6, 1), (6, 3), (7, 0), (7, 1), (7, 3), (7, 4), (8, 1),
    (8, 3), (9, 1), (9, 2), (9, 3), (10, 3),
]  # fmt: skip


@dataclass(frozen=True)
class FakeBackend:
    """One emulated device and the documents the service serves for it.

    ``edges`` are undirected; ``two_qubit_gate`` decides the direction(s) listed in the coupling
    map: ``cx``/``cz`` devices list both directions, ``ecr`` devices one (as IBM Eagle devices do).
    ``basis_gates`` are the unitary basis gates of the configuration document; the full list of
    operations the device accepts is :attr:`operation_names`.
    """

    name: str
    num_qubits: int
    edges: tuple[tuple[int, int], ...]
    coords: tuple[tuple[int, int], ...]
    two_qubit_gate: str
    processor_family: str
    processor_revision: str
    processor_segment: str | None = None
    backend_version: str = "1.0.0"
    online_date: str = "2025-06-01T00:00:00+00:00"
    clops: int = 30000
    quantum_volume: int | None = None
    max_shots: int = 100000
    queue_length: int = 0
    dt_ns: float = 0.5
    description: str = ""
    single_qubit_gates: tuple[str, ...] = ("id", "rz", "sx", "x")
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    # ------------------------------------------------------------------ derived data

    @property
    def basis_gates(self) -> list[str]:
        """The unitary basis gates, as in the configuration's ``basis_gates``."""
        return sorted([*self.single_qubit_gates, self.two_qubit_gate])

    @property
    def operation_names(self) -> list[str]:
        """Every instruction the device accepts: basis gates plus delay, measure and reset."""
        return sorted([*self.basis_gates, *_NON_UNITARY])

    @cached_property
    def coupling_map(self) -> list[list[int]]:
        """Directed edges on which the two-qubit basis gate is available."""
        out: list[list[int]] = []
        for a, b in self.edges:
            out.append([a, b])
            if self.two_qubit_gate != "ecr":
                out.append([b, a])
        return sorted(out)

    def _t1_us(self, q: int) -> float:
        return 180.0 + _vary(q, 13, 11.0)

    def _t2_us(self, q: int) -> float:
        return 110.0 + _vary(q, 11, 9.0)

    def _readout_error(self, q: int) -> float:
        return round(0.008 + _vary(q, 9, 0.0015), 6)

    def _gate_error(self, gate: str, qubits: Sequence[int]) -> float:
        if gate == "rz":
            return 0.0  # virtual gate
        if len(qubits) == 1:
            return round(2.0e-4 + _vary(qubits[0], 7, 2.5e-5), 8)
        return round(3.0e-3 + _vary(qubits[0] * 3 + qubits[1], 11, 2.0e-4), 8)

    # ------------------------------------------------------------------ documents

    def configuration(self) -> dict[str, Any]:
        """The ``GET /backends/{name}/configuration`` document (a fresh copy)."""
        if "configuration" not in self._cache:
            self._cache["configuration"] = self._build_configuration()
        return copy.deepcopy(self._cache["configuration"])

    def properties(self) -> dict[str, Any]:
        """The ``GET /backends/{name}/properties`` document (a fresh copy)."""
        if "properties" not in self._cache:
            self._cache["properties"] = self._build_properties()
        return copy.deepcopy(self._cache["properties"])

    def status(self, *, length_queue: int | None = None) -> dict[str, Any]:
        """The ``GET /backends/{name}/status`` document."""
        return {
            "state": True,
            "status": "active",
            "message": "available",
            "length_queue": self.queue_length if length_queue is None else length_queue,
            "backend_version": self.backend_version,
        }

    def list_item(
        self, *, queue_length: int | None = None, include_wait_time: bool = True
    ) -> dict[str, Any]:
        """This device's entry in ``GET /backends`` (``{"devices": [...]}``)."""
        q = self.queue_length if queue_length is None else queue_length
        item: dict[str, Any] = {
            "name": self.name,
            "status": {"name": "online", "reason": "available"},
            "is_simulator": False,
            "qubits": self.num_qubits,
            "queue_length": q,
            "clops": {"type": "hardware", "value": self.clops},
            "processor_type": self._processor_type(),
            "performance_metrics": self._performance_metrics(),
        }
        if include_wait_time:
            # The emulator runs jobs almost at once; scale the figures with the queue.
            item["wait_time_seconds"] = {"average": 2 * q, "p50": q, "p95": 5 * q + 1}
        return item

    def _processor_type(self) -> dict[str, Any]:
        return {
            "family": self.processor_family,
            "revision": self.processor_revision,
            "segment": self.processor_segment,
        }

    def _performance_metrics(self) -> dict[str, Any]:
        if "performance_metrics" not in self._cache:
            two_q = {
                (a, b): self._gate_error(self.two_qubit_gate, (a, b))
                for a, b in (tuple(e) for e in self.coupling_map)
            }
            best_edge = min(two_q, key=lambda e: (two_q[e], e))
            median_2q = statistics.median(two_q.values())
            readout = [self._readout_error(q) for q in range(self.num_qubits)]
            self._cache["performance_metrics"] = {
                "two_q_error_best": {
                    "value": two_q[best_edge],
                    "gate": self.two_qubit_gate,
                    "unit": "",
                    "qubits": list(best_edge),
                },
                # A layered error is a little worse than the median edge (crosstalk).
                "two_q_error_layered": {"value": round(1.2 * median_2q, 8), "unit": ""},
                "two_q_error_median": {"value": median_2q, "unit": ""},
                "readout_error_median": {"value": statistics.median(readout), "unit": ""},
            }
        return copy.deepcopy(self._cache["performance_metrics"])

    def _build_configuration(self) -> dict[str, Any]:
        n = self.num_qubits
        singles = [[q] for q in range(n)]
        gates: list[dict[str, Any]] = []
        for g in self.basis_gates:
            params, qasm_def = _QASM_DEFS[g]
            gates.append(
                {
                    "name": g,
                    "parameters": list(params),
                    "qasm_def": qasm_def,
                    "coupling_map": self.coupling_map if g == self.two_qubit_gate else singles,
                }
            )
        gates.append({"name": "reset", "parameters": None, "qasm_def": None})
        segment = f", segment: {self.processor_segment}" if self.processor_segment else ""
        return {
            "backend_name": self.name,
            "backend_version": self.backend_version,
            "n_qubits": n,
            "basis_gates": self.basis_gates,
            "gates": gates,
            "local": False,
            "simulator": False,
            "conditional": False,
            "open_pulse": False,
            "memory": True,
            "max_shots": self.max_shots,
            "max_experiments": 300,
            "coupling_map": self.coupling_map,
            "coords": [list(c) for c in self.coords],
            "dynamic_reprate_enabled": True,
            "supported_instructions": self.operation_names,
            "supported_features": ["qobj", "qasm3"],
            "rep_delay_range": [0.0, 500.0],
            "default_rep_delay": 250.0,
            "rep_times": [1000.0],
            "meas_levels": [1, 2],
            "meas_kernels": ["hw_qmfk"],
            "discriminators": ["hw_qmfk", "linear_discriminator", "quadratic_discriminator"],
            "meas_map": [list(range(n))],
            "timing_constraints": {
                "acquire_alignment": 16,
                "granularity": 16,
                "min_length": 64,
                "pulse_alignment": 16,
            },
            "dt": self.dt_ns,
            "dtm": self.dt_ns,
            "u_channel_lo": [],
            "n_uchannels": 0,
            "uchannels_enabled": False,
            "online_date": self.online_date,
            "processor_type": self._processor_type(),
            "sample_name": (
                f"family: {self.processor_family}, revision: {self.processor_revision}{segment}"
            ),
            "description": self.description or f"{n} qubit device (emulated)",
            "quantum_volume": self.quantum_volume,
            "n_registers": 1,
            "credits_required": True,
            "clops_h": self.clops,
            "parallel_compilation": True,
            "allow_q_object": True,
            "multi_meas_enabled": True,
            "measure_esp_enabled": False,
            "acquisition_latency": [],
            "conditional_latency": [],
            "url": "None",
        }

    def _build_properties(self) -> dict[str, Any]:
        n = self.num_qubits
        qubits = []
        for q in range(n):
            readout = self._readout_error(q)
            # Asymmetric assignment errors whose mean is the readout error, as on hardware
            # (relaxation makes 1 -> 0 more likely than 0 -> 1).
            qubits.append(
                [
                    _nduv("T1", "us", self._t1_us(q)),
                    _nduv("T2", "us", self._t2_us(q)),
                    _nduv("frequency", "GHz", round(4.8 + _vary(q, 17, 0.015), 6)),
                    _nduv("anharmonicity", "GHz", -0.31),
                    _nduv("readout_error", "", readout),
                    _nduv("prob_meas0_prep1", "", round(1.4 * readout, 6)),
                    _nduv("prob_meas1_prep0", "", round(0.6 * readout, 6)),
                    _nduv("readout_length", "ns", 1560.0),
                ]
            )
        gates: list[dict[str, Any]] = []
        for g in self.basis_gates:
            targets = self.coupling_map if g == self.two_qubit_gate else [[q] for q in range(n)]
            for qs in targets:
                gates.append(
                    {
                        "qubits": list(qs),
                        "gate": g,
                        "parameters": [
                            _nduv("gate_error", "", self._gate_error(g, qs)),
                            _nduv("gate_length", "ns", _GATE_LENGTH_NS[g]),
                        ],
                        "name": g + "_".join(str(q) for q in qs),
                    }
                )
        for q in range(n):
            gates.append(
                {
                    "qubits": [q],
                    "gate": "reset",
                    "parameters": [_nduv("gate_length", "ns", 1560.0)],
                    "name": f"reset{q}",
                }
            )
        return {
            "backend_name": self.name,
            "backend_version": self.backend_version,
            "last_update_date": _CALIBRATION_DATE,
            "qubits": qubits,
            "gates": gates,
            "general": [],
        }


def _line(n: int) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    return tuple((i, i + 1) for i in range(n - 1)), tuple((i, 0) for i in range(n))


def _make_backends() -> dict[str, FakeBackend]:
    line_edges, line_coords = _line(5)
    eagle_edges, eagle_coords = heavy_hex_eagle_127()
    backends = [
        FakeBackend(
            name="ibm_emulator_5q",
            num_qubits=5,
            edges=line_edges,
            coords=line_coords,
            two_qubit_gate="cz",
            processor_family="Heron",
            processor_revision="2",
            backend_version="1.3.0",
            clops=250000,
            description="5 qubit device (emulated, Heron-like, cz basis)",
        ),
        FakeBackend(
            name="ibm_emulator_27q",
            num_qubits=27,
            edges=tuple(_FALCON_27_EDGES),
            coords=tuple(_FALCON_27_COORDS),
            two_qubit_gate="cx",
            processor_family="Falcon",
            processor_revision="5.11",
            processor_segment="L",
            backend_version="1.2.0",
            clops=2400,
            quantum_volume=64,
            dt_ns=0.2222222222222222,
            description="27 qubit device (emulated, Falcon-like heavy-hex, cx basis)",
        ),
        FakeBackend(
            name="ibm_emulator_127q",
            num_qubits=127,
            edges=tuple(eagle_edges),
            coords=tuple(eagle_coords),
            two_qubit_gate="ecr",
            processor_family="Eagle",
            processor_revision="3",
            backend_version="1.1.0",
            clops=220000,
            quantum_volume=127,
            description="127 qubit device (emulated, Eagle-like heavy-hex, ecr basis)",
        ),
    ]
    return {b.name: b for b in backends}


BACKENDS: dict[str, FakeBackend] = _make_backends()
"""The emulator's devices by name."""


def get_backend(name: str) -> FakeBackend:
    """Return the backend called ``name``; ``KeyError`` (naming the known ones) if unknown."""
    try:
        return BACKENDS[name]
    except KeyError:
        raise KeyError(f"unknown backend {name!r}; known: {', '.join(sorted(BACKENDS))}") from None
