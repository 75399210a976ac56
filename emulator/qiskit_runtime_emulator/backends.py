"""The backends the emulator serves: emulated devices, calibration snapshots and a simulator.

Each backend carries the JSON documents IBM serves for it (``GET /backends``,
``/backends/{name}/configuration``, ``/properties`` and ``/status``):

* :class:`FakeBackend`: the built-in devices (``ibm_emulator_5q``, ``_27q``, ``_127q``), whose
  documents are generated here, deterministically (fixed dates, error rates and coherence
  times), so that they stay consistent with each other and qiskit-ibm-runtime can build an
  ``IBMBackend``/``Target`` from them without the emulator depending on qiskit-ibm-runtime;
* :class:`SnapshotBackend`: a device of qiskit-ibm-runtime's fake provider (``FakeSherbrooke``
  served as ``ibm_sherbrooke``), whose documents are snapshots of a real IBM device, served as
  they are (:func:`load_snapshot`, the ``qiskit`` extra);
* :class:`SimulatorBackend`: ``ibm_emulator_simulator``, marked ``simulator: true`` like IBM's
  former cloud simulators: any circuit up to its width, no ISA check, no noise.

Devices check circuits against their target (:mod:`.isa`) and simulate the noise of their
calibration (:mod:`.noise`) unless built with ``noisy=False``. :func:`backend_registry` makes the
set one server serves from its configuration.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import itertools
import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from .noise import Calibration

__all__ = [
    "BACKENDS",
    "DEVICES",
    "SIMULATOR_NAME",
    "Backend",
    "FakeBackend",
    "SimulatorBackend",
    "SnapshotBackend",
    "backend_registry",
    "get_backend",
    "heavy_hex_eagle_127",
    "load_snapshot",
]

# Fixed timestamps keep the documents byte-for-byte reproducible between runs.
_CALIBRATION_DATE = "2026-01-01T00:00:00+00:00"

# Non-unitary instructions every IBM device supports next to its basis gates, and the control
# flow of dynamic circuits (IBM's devices list these three; while loops are not among them).
_NON_UNITARY = ("delay", "measure", "reset")
_CONTROL_FLOW = ("for_loop", "if_else", "switch_case")

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


class _Operational:
    """The status every served backend has: operational, with its queue."""

    if TYPE_CHECKING:  # fields or properties of the subclasses

        @property
        def backend_version(self) -> str: ...

        @property
        def queue_length(self) -> int: ...

    def status(self, *, length_queue: int | None = None) -> dict[str, Any]:
        """The ``GET /backends/{name}/status`` document."""
        return {
            "state": True,
            "status": "active",
            "message": "available",
            "length_queue": self.queue_length if length_queue is None else length_queue,
            "backend_version": self.backend_version,
        }


def _list_item(
    name: str, num_qubits: int, queue: int, *, simulator: bool, **more: Any
) -> dict[str, Any]:
    """An entry of ``GET /backends``; ``more`` adds the optional fields, ``wait=True`` the
    waiting-time estimates."""
    wait = more.pop("wait", False)
    item: dict[str, Any] = {
        "name": name,
        "status": {"name": "online", "reason": "available"},
        "is_simulator": simulator,
        "qubits": num_qubits,
        "queue_length": queue,
        **more,
    }
    if wait:
        # The emulator runs jobs almost at once; scale the figures with the queue.
        item["wait_time_seconds"] = {"average": 2 * queue, "p50": queue, "p95": 5 * queue + 1}
    return item


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
class FakeBackend(_Operational):
    """One emulated device and the documents the service serves for it.

    ``edges`` are undirected; ``two_qubit_gate`` decides the direction(s) listed in the coupling
    map: ``cx``/``cz`` devices list both directions, ``ecr`` devices one (as IBM Eagle devices do).
    ``basis_gates`` are the unitary basis gates of the configuration document; the full list of
    operations the device accepts is :attr:`operation_names`. ``noisy`` makes jobs simulate the
    noise of the device's calibration (the default).
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
    noisy: bool = True
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    simulator = False

    # ------------------------------------------------------------------ derived data

    @property
    def calibration(self) -> Calibration:
        """The picklable pointer to this device's calibration (for noise models)."""
        from .noise import Calibration

        return Calibration(self.name, None, tuple(self.basis_gates), self.dt_ns * 1e-9)

    def target(self) -> Any:
        """The qiskit ``Target`` of this device (built once; see :mod:`.isa`)."""
        from .isa import target_for

        return target_for(self)

    @property
    def basis_gates(self) -> list[str]:
        """The unitary basis gates, as in the configuration's ``basis_gates``."""
        return sorted([*self.single_qubit_gates, self.two_qubit_gate])

    @property
    def operation_names(self) -> list[str]:
        """Every instruction the device accepts: basis gates, delay, measure and reset, and the
        control flow of dynamic circuits."""
        return sorted([*self.basis_gates, *_NON_UNITARY, *_CONTROL_FLOW])

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

    def list_item(
        self, *, queue_length: int | None = None, include_wait_time: bool = True
    ) -> dict[str, Any]:
        """This device's entry in ``GET /backends`` (``{"devices": [...]}``)."""
        return _list_item(
            self.name,
            self.num_qubits,
            self.queue_length if queue_length is None else queue_length,
            simulator=False,
            clops={"type": "hardware", "value": self.clops},
            processor_type=self._processor_type(),
            performance_metrics=self._performance_metrics(),
            wait=include_wait_time,
        )

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


def _make_devices() -> dict[str, FakeBackend]:
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


DEVICES: dict[str, FakeBackend] = _make_devices()
"""The built-in emulated devices by name."""


# ---------------------------------------------------------------------------- the simulator

SIMULATOR_NAME = "ibm_emulator_simulator"

# Standard gates the simulator lists (it runs any circuit, these included), with their parameters.
_SIMULATOR_GATES: dict[str, tuple[str, ...]] = {
    "ccx": (), "ch": (), "cp": ("theta",), "crx": ("theta",), "cry": ("theta",),
    "crz": ("theta",), "cs": (), "csdg": (), "cswap": (), "csx": (),
    "cu": ("theta", "phi", "lam", "gamma"), "cx": (), "cy": (), "cz": (), "dcx": (), "ecr": (),
    "h": (), "id": (), "iswap": (), "p": ("theta",), "r": ("theta", "phi"), "rccx": (),
    "rx": ("theta",), "rxx": ("theta",), "ry": ("theta",), "ryy": ("theta",), "rz": ("phi",),
    "rzx": ("theta",), "rzz": ("theta",), "s": (), "sdg": (), "swap": (), "sx": (), "sxdg": (),
    "t": (), "tdg": (), "u": ("theta", "phi", "lam"), "u1": ("theta",), "u2": ("phi", "lam"),
    "u3": ("theta", "phi", "lam"), "x": (), "y": (), "z": (),
}  # fmt: skip


@dataclass(frozen=True)
class SimulatorBackend(_Operational):
    """A noiseless simulator: any circuit of up to ``num_qubits`` qubits, no ISA check.

    Its configuration says ``simulator: true`` and has no coupling map (any qubit pair), like
    IBM's former cloud simulators; it has no calibration (``properties`` is None). Circuits
    that are not Clifford circuits run as state vectors of at most 28 active qubits.
    """

    name: str = SIMULATOR_NAME
    num_qubits: int = 32
    max_shots: int = 100000
    backend_version: str = "1.0.0"
    queue_length: int = 0

    simulator = True
    noisy = False
    calibration = None

    @property
    def basis_gates(self) -> list[str]:
        """The standard gates the configuration lists (any other gate runs too)."""
        return sorted(_SIMULATOR_GATES)

    def target(self) -> Any:
        """The qiskit ``Target`` of the configuration (no couplings: any pair of qubits)."""
        from .isa import target_for

        return target_for(self)

    def configuration(self) -> dict[str, Any]:
        """The ``GET /backends/{name}/configuration`` document."""
        gates: list[dict[str, Any]] = [
            {"name": g, "parameters": list(params), "qasm_def": None}
            for g, params in sorted(_SIMULATOR_GATES.items())
        ]
        return {
            "backend_name": self.name,
            "backend_version": self.backend_version,
            "n_qubits": self.num_qubits,
            "basis_gates": self.basis_gates,
            "gates": gates,
            "local": False,
            "simulator": True,
            "conditional": True,
            "open_pulse": False,
            "memory": True,
            "max_shots": self.max_shots,
            "max_experiments": 300,
            "coupling_map": [],
            "supported_instructions": sorted(
                [*self.basis_gates, *_NON_UNITARY, *_CONTROL_FLOW, "while_loop"]
            ),
            "supported_features": ["qasm3"],
            "online_date": "2025-06-01T00:00:00+00:00",
            "description": (
                f"{self.num_qubits} qubit noiseless simulator (emulated): any circuit, no ISA check"
            ),
            "n_registers": 1,
            "credits_required": False,
            "url": "None",
        }

    def properties(self) -> None:
        """A simulator has no calibration."""
        return None

    def list_item(
        self, *, queue_length: int | None = None, include_wait_time: bool = True
    ) -> dict[str, Any]:
        """This simulator's entry in ``GET /backends``."""
        queue = self.queue_length if queue_length is None else queue_length
        return _list_item(self.name, self.num_qubits, queue, simulator=True, wait=include_wait_time)


# ---------------------------------------------------------------------------- snapshots


@functools.cache
def _read_json(path: str) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _median_metrics(properties: Mapping[str, Any], basis: Iterable[str]) -> dict[str, Any]:
    """``performance_metrics`` of a list entry, computed from a properties document."""
    readout = [
        nduv["value"]
        for qubit in properties.get("qubits", [])
        for nduv in qubit
        if nduv.get("name") == "readout_error"
    ]
    two_q: dict[tuple[str, tuple[int, ...]], float] = {}
    for gate in properties.get("gates", []):
        if len(gate.get("qubits", ())) != 2 or gate.get("gate") not in basis:
            continue
        for nduv in gate.get("parameters", []):
            if nduv.get("name") == "gate_error":
                two_q[(gate["gate"], tuple(gate["qubits"]))] = float(nduv["value"])
    out: dict[str, Any] = {}
    if two_q:
        (gate, pair), best = min(two_q.items(), key=lambda kv: (kv[1], kv[0]))
        median_2q = statistics.median(two_q.values())
        out["two_q_error_best"] = {"value": best, "gate": gate, "unit": "", "qubits": list(pair)}
        out["two_q_error_median"] = {"value": median_2q, "unit": ""}
    if readout:
        out["readout_error_median"] = {"value": statistics.median(readout), "unit": ""}
    return out


@dataclass(frozen=True, eq=False)
class SnapshotBackend(_Operational):
    """A real device's calibration snapshot from qiskit-ibm-runtime's fake provider.

    The configuration and properties documents are the snapshot's JSON files, served as they are
    under ``name`` (see :func:`load_snapshot`).
    """

    name: str
    class_name: str
    configuration_path: str
    properties_path: str | None
    noisy: bool = True
    queue_length: int = 0

    simulator = False

    @cached_property
    def _configuration(self) -> dict[str, Any]:
        doc = copy.deepcopy(_read_json(self.configuration_path))
        doc["backend_name"] = self.name
        return dict(doc)

    @cached_property
    def _properties(self) -> dict[str, Any] | None:
        if self.properties_path is None:
            return None
        doc = copy.deepcopy(_read_json(self.properties_path))
        doc["backend_name"] = self.name
        return dict(doc)

    @property
    def num_qubits(self) -> int:
        """The device's qubits (``n_qubits``)."""
        return int(self._configuration["n_qubits"])

    @property
    def max_shots(self) -> int:
        """The most shots per PUB."""
        return int(self._configuration.get("max_shots") or 100000)

    @property
    def backend_version(self) -> str:
        return str(self._configuration.get("backend_version", "1.0.0"))

    @property
    def basis_gates(self) -> list[str]:
        """The unitary basis gates of the configuration."""
        return list(self._configuration.get("basis_gates", []))

    @property
    def calibration(self) -> Calibration | None:
        """The picklable pointer to the snapshot's calibration; None without properties."""
        from .noise import Calibration

        if self.properties_path is None:
            return None
        dt = self._configuration.get("dt")
        return Calibration(
            self.name,
            self.properties_path,
            tuple(self.basis_gates),
            float(dt) * 1e-9 if isinstance(dt, int | float) else None,
        )

    def target(self) -> Any:
        """The qiskit ``Target`` of the snapshot (built once; see :mod:`.isa`)."""
        from .isa import target_for

        return target_for(self)

    def configuration(self) -> dict[str, Any]:
        """The ``GET /backends/{name}/configuration`` document (a fresh copy)."""
        return copy.deepcopy(self._configuration)

    def properties(self) -> dict[str, Any] | None:
        """The ``GET /backends/{name}/properties`` document (a fresh copy); None without one."""
        return copy.deepcopy(self._properties)

    def list_item(
        self, *, queue_length: int | None = None, include_wait_time: bool = True
    ) -> dict[str, Any]:
        """This device's entry in ``GET /backends``."""
        conf = self._configuration
        item: dict[str, Any] = {}
        clops = conf.get("clops_h")
        if not isinstance(clops, int | float):
            clops = conf.get("clops")
        if isinstance(clops, int | float) and not isinstance(clops, bool):
            item["clops"] = {"type": "hardware", "value": clops}
        processor = conf.get("processor_type")
        if isinstance(processor, Mapping):
            # The listing gives them as strings (some snapshots have a numeric revision).
            item["processor_type"] = {
                k: None if processor[k] is None else str(processor[k])
                for k in ("family", "revision", "segment")
                if k in processor
            }
        if self._properties is not None:
            item["performance_metrics"] = _median_metrics(self._properties, self.basis_gates)
        queue = self.queue_length if queue_length is None else queue_length
        return _list_item(
            self.name, self.num_qubits, queue, simulator=False, wait=include_wait_time, **item
        )


def load_snapshot(spec: str, *, noisy: bool = True) -> SnapshotBackend:
    """The fake-provider device ``spec`` names: ``FakeSherbrooke`` (served under the snapshot's
    own name, ``ibm_sherbrooke``) or ``FakeSherbrooke=my_name``.

    Raises:
        ValueError: an unknown class, or qiskit-ibm-runtime (the ``qiskit`` extra) missing.
    """
    class_name, _, name = spec.partition("=")
    class_name, name = class_name.strip(), name.strip()
    try:
        from qiskit_ibm_runtime import fake_provider
    except ImportError:
        raise ValueError(
            f"fake backend {class_name}: qiskit-ibm-runtime's fake provider is needed "
            "(pip install 'qiskit-runtime-rest[local,qiskit]')"
        ) from None
    cls = getattr(fake_provider, class_name, None)
    conf_file = getattr(cls, "conf_filename", None)
    if not isinstance(cls, type) or not conf_file or not class_name.startswith("Fake"):
        known = sorted(n for n in dir(fake_provider) if n.startswith("Fake") and n[4:5].isupper())
        raise ValueError(
            f"unknown fake backend {class_name!r}; qiskit_ibm_runtime.fake_provider has "
            f"{', '.join(k for k in known if 'Provider' not in k)}"
        )
    folder = Path(getattr(cls, "dirname", ""))
    props_file = getattr(cls, "props_filename", None)
    conf_path = str(folder / conf_file)
    served = name or str(_read_json(conf_path)["backend_name"])
    return SnapshotBackend(
        name=served,
        class_name=class_name,
        configuration_path=conf_path,
        properties_path=str(folder / props_file) if props_file else None,
        noisy=noisy,
    )


# ---------------------------------------------------------------------------- registries

Backend: TypeAlias = FakeBackend | SnapshotBackend | SimulatorBackend
"""Anything the emulator serves as a backend."""

BACKENDS: dict[str, Backend] = {**DEVICES, SIMULATOR_NAME: SimulatorBackend()}
"""The backends an emulator serves by default: the devices, then the simulator."""


def backend_registry(
    fake_backends: Sequence[str] = (),
    *,
    noise: bool = True,
    noiseless: Sequence[str] = (),
) -> dict[str, Backend]:
    """The backends of one server: the built-in devices, the fake-provider snapshots named in
    ``fake_backends`` (see :func:`load_snapshot`), then the simulator. Devices simulate the
    noise of their calibration unless ``noise`` is false or they are named in ``noiseless``.

    Raises:
        ValueError: an unknown fake backend or noiseless name, or two backends of one name.
    """
    out: dict[str, Backend] = {}
    for name, device in DEVICES.items():
        out[name] = dataclasses.replace(device, noisy=noise and name not in noiseless)
    for spec in fake_backends:
        snapshot = load_snapshot(spec)
        if snapshot.name in out or snapshot.name == SIMULATOR_NAME:
            raise ValueError(f"fake backend {spec}: a backend named {snapshot.name} exists")
        out[snapshot.name] = dataclasses.replace(
            snapshot, noisy=noise and snapshot.name not in noiseless
        )
    out[SIMULATOR_NAME] = SimulatorBackend()
    unknown = sorted(set(noiseless) - set(out))
    if unknown:
        raise ValueError(
            f"noiseless_backends: unknown backend(s) {', '.join(unknown)}; known: {', '.join(out)}"
        )
    return out


def get_backend(name: str) -> Backend:
    """Return the default backend called ``name``; ``KeyError`` (naming the known ones) if
    unknown."""
    try:
        return BACKENDS[name]
    except KeyError:
        raise KeyError(f"unknown backend {name!r}; known: {', '.join(sorted(BACKENDS))}") from None
