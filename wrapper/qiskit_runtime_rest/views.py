"""Typed views of the service's objects: what the SDK returns instead of generated models.

The generated models (``qiskit_runtime_api.models``) mirror the API spec exactly, so every
optional field is ``X | Unset``: awkward in user code (``mypy --strict`` rejects it) and noisy in
reprs. These frozen attrs classes hold the same data with ``None`` for what the service left
out, documented fields, and reprs that read well. Field names follow the wire (``max_ttl``,
``accepting_jobs``, ``length_queue`` -> :attr:`BackendStatus.pending_jobs` as in qiskit), and
backend documents keep their whole JSON in ``raw`` for fields not listed here.

Units: :class:`BackendProperties` convert calibration values to SI (seconds, hertz), as qiskit's
``BackendProperties`` does; :class:`Nduv` keeps the value and unit the service sent.

See the API reference, https://quantum.cloud.ibm.com/docs/en/api/qiskit-runtime-rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

if TYPE_CHECKING:
    from qiskit_runtime_api import models as gm

__all__ = [
    "ApiVersion",
    "BackendConfiguration",
    "BackendInfo",
    "BackendProperties",
    "BackendStatus",
    "GateProperties",
    "InstanceUsage",
    "JobDetails",
    "JobMetrics",
    "JobUsage",
    "Nduv",
    "QubitProperties",
    "SessionDetails",
]

T = TypeVar("T")


def _opt(value: object, kind: type[T]) -> T | None:
    """``value`` if it is a ``kind`` (``Unset``, ``None`` and wrong types give ``None``)."""
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # type: ignore[return-value]
    return value if isinstance(value, kind) else None


def _ints(value: object) -> list[int]:
    return [int(v) for v in value] if isinstance(value, list) else []


# -- jobs ----------------------------------------------------------------------------------------


@attrs.frozen
class JobUsage:
    """A job's quantum usage: ``qpu_charge_time_seconds``, and ``status`` (``pending`` until
    the usage is final, then ``complete``)."""

    qpu_charge_time_seconds: float | None
    status: str | None

    @classmethod
    def _from_model(cls, model: gm.JobUsage) -> JobUsage:
        return cls(_opt(model.qpu_charge_time_seconds, float), _opt(model.status, str))


@attrs.frozen
class JobMetrics:
    """What ``GET /jobs/{id}/metrics`` reports: timestamps, usage, circuit counts."""

    created: datetime | None
    running: datetime | None
    finished: datetime | None
    usage: JobUsage | None
    caller: str | None = attrs.field(repr=False)
    circuits_execution_time_ns: float | None = attrs.field(repr=False)
    qiskit_version: str | None = attrs.field(repr=False)
    num_circuits: int | None = attrs.field(repr=False)
    num_qubits: list[int] = attrs.field(repr=False)
    circuit_depths: list[int] = attrs.field(repr=False)

    @classmethod
    def _from_model(cls, model: gm.JobMetrics) -> JobMetrics:
        from qiskit_runtime_api.models import JobTimestamps
        from qiskit_runtime_api.models import JobUsage as UsageModel

        stamps = model.timestamps if isinstance(model.timestamps, JobTimestamps) else None
        usage = model.usage if isinstance(model.usage, UsageModel) else None
        return cls(
            created=_opt(stamps.created, datetime) if stamps else None,
            running=_opt(stamps.running, datetime) if stamps else None,
            finished=_opt(stamps.finished, datetime) if stamps else None,
            usage=JobUsage._from_model(usage) if usage else None,
            caller=_opt(model.caller, str),
            circuits_execution_time_ns=_opt(model.circuits_execution_time_ns, float),
            qiskit_version=_opt(model.qiskit_version, str),
            num_circuits=_opt(model.num_circuits, int),
            num_qubits=_ints(model.num_qubits),
            circuit_depths=_ints(model.circuit_depths),
        )


@attrs.frozen
class JobDetails:
    """A job as the service describes it (``GET /jobs/{id}``).

    ``status`` is the service's own string (``Queued``, ``Running``, ``Completed``,
    ``Cancelled``, ``Cancelled - Ran too long``, ``Failed``, or newer); ``tags`` leaves out the
    SDK's idempotency tag; ``reason``/``reason_code``/``reason_solution`` explain a failure.
    """

    id: str
    status: str
    backend: str | None
    program_id: str | None
    created: datetime
    session_id: str | None
    tags: list[str]
    reason: str | None = attrs.field(repr=False)
    reason_code: int | None = attrs.field(repr=False)
    reason_solution: str | None = attrs.field(repr=False)
    cost: int = attrs.field(repr=False)
    usage: JobUsage | None = attrs.field(repr=False)
    estimated_running_time_seconds: float | None = attrs.field(repr=False)
    private: bool | None = attrs.field(repr=False)
    runtime: str | None = attrs.field(repr=False)
    user_id: str | None = attrs.field(repr=False)
    calibration_id: str | None = attrs.field(repr=False)
    params: dict[str, Any] | None = attrs.field(repr=False)

    @classmethod
    def _from_model(cls, model: gm.Job, user_tags: list[str]) -> JobDetails:
        from qiskit_runtime_api.models import JobParams
        from qiskit_runtime_api.models import JobUsage as UsageModel

        state = model.state
        params = model.params.to_dict() if isinstance(model.params, JobParams) else None
        return cls(
            id=model.id,
            status=model.status,
            backend=_opt(model.backend, str),
            program_id=model.program.id if model.program is not None else None,
            created=model.created,
            session_id=_opt(model.session_id, str),
            tags=user_tags,
            reason=_opt(state.reason, str),
            reason_code=_opt(state.reason_code, int),
            reason_solution=_opt(state.reason_solution, str),
            cost=model.cost,
            usage=JobUsage._from_model(model.usage)
            if isinstance(model.usage, UsageModel)
            else None,
            estimated_running_time_seconds=_opt(model.estimated_running_time_seconds, float),
            private=_opt(model.private, bool),
            runtime=_opt(model.runtime, str),
            user_id=_opt(model.user_id, str),
            calibration_id=_opt(model.calibration_id, str),
            params=params,
        )


def _usage(value: object, model: type[gm.JobUsage]) -> JobUsage | None:
    return JobUsage._from_model(value) if isinstance(value, model) else None


# -- sessions and instance ---------------------------------------------------------------------


@attrs.frozen
class SessionDetails:
    """A session or batch as the service describes it (``GET /sessions/{id}``).

    ``mode`` is ``dedicated`` (a session) or ``batch``; ``state`` is ``open``, ``active``,
    ``inactive``, ``closed`` or newer; ``elapsed_time`` is the usage so far in seconds (what
    qiskit-ibm-runtime's ``Session.usage()`` reports). TTLs are in seconds.
    """

    id: str
    mode: str
    state: str | None
    backend_name: str | None
    accepting_jobs: bool | None
    elapsed_time: float | None
    max_ttl: int | None = attrs.field(repr=False)
    interactive_ttl: int | None = attrs.field(repr=False)
    active_ttl: int | None = attrs.field(repr=False)
    state_reason: str | None = attrs.field(repr=False)
    started_at: datetime | None = attrs.field(repr=False)
    activated_at: datetime | None = attrs.field(repr=False)
    closed_at: datetime | None = attrs.field(repr=False)
    last_job_started: datetime | None = attrs.field(repr=False)
    last_job_completed: datetime | None = attrs.field(repr=False)
    user_id: str | None = attrs.field(repr=False)

    @classmethod
    def _from_model(cls, model: gm.Session) -> SessionDetails:
        return cls(
            id=model.id,
            mode=model.mode,
            state=_opt(model.state, str),
            backend_name=_opt(model.backend_name, str),
            accepting_jobs=_opt(model.accepting_jobs, bool),
            elapsed_time=_opt(model.elapsed_time, float),
            max_ttl=_opt(model.max_ttl, int),
            interactive_ttl=_opt(model.interactive_ttl, int),
            active_ttl=_opt(model.active_ttl, int),
            state_reason=_opt(model.state_reason, str),
            started_at=_opt(model.started_at, datetime),
            activated_at=_opt(model.activated_at, datetime),
            closed_at=_opt(model.closed_at, datetime),
            last_job_started=_opt(model.last_job_started, datetime),
            last_job_completed=_opt(model.last_job_completed, datetime),
            user_id=_opt(model.user_id, str),
        )


@attrs.frozen
class InstanceUsage:
    """The instance's usage in the current period (``GET /instances/usage``), in seconds.

    ``usage_remaining_seconds`` is computed as qiskit-ibm-runtime does: the limit (or else the
    allocation) minus the consumption, at least 0; None when the instance has neither.
    """

    instance_id: str
    plan_id: str
    usage_consumed_seconds: float
    usage_limit_seconds: float | None
    usage_allocation_seconds: float | None
    usage_limit_reached: bool | None
    period_start: datetime | None = attrs.field(repr=False)
    period_end: datetime | None = attrs.field(repr=False)

    @property
    def usage_remaining_seconds(self) -> float | None:
        """Seconds left in the period (None when the instance has no limit or allocation)."""
        cap = self.usage_limit_seconds
        if cap is None:
            cap = self.usage_allocation_seconds
        return None if cap is None else max(cap - self.usage_consumed_seconds, 0.0)

    @classmethod
    def _from_model(cls, model: gm.InstanceUsage) -> InstanceUsage:
        from qiskit_runtime_api.models import UsagePeriod

        period = model.usage_period if isinstance(model.usage_period, UsagePeriod) else None
        return cls(
            instance_id=model.instance_id,
            plan_id=model.plan_id,
            usage_consumed_seconds=float(model.usage_consumed_seconds),
            usage_limit_seconds=_opt(model.usage_limit_seconds, float),
            usage_allocation_seconds=_opt(model.usage_allocation_seconds, float),
            usage_limit_reached=_opt(model.usage_limit_reached, bool),
            period_start=_opt(period.start_time, datetime) if period else None,
            period_end=_opt(period.end_time, datetime) if period else None,
        )


@attrs.frozen
class ApiVersion:
    """One API version the service understands (``status``: ``live`` or ``deprecated``)."""

    version: str
    status: str | None
    sunset_date: str | None

    @classmethod
    def _list(cls, model: gm.VersionList) -> list[ApiVersion]:
        return [
            cls(v.version, _opt(v.status, str), _opt(v.sunset_date, str)) for v in model.versions
        ]


# -- backends ------------------------------------------------------------------------------------


@attrs.frozen
class BackendInfo:
    """A backend as ``GET /backends`` lists it: name, state, size and queue.

    ``status`` is ``online``, ``paused``, ``offline`` or newer; ``queue_length`` is the number of
    jobs waiting (what ``least_busy()`` sorts by).
    """

    name: str
    status: str
    num_qubits: int | None
    queue_length: int
    simulator: bool
    status_reason: str | None = attrs.field(repr=False)
    processor_family: str | None = attrs.field(repr=False)
    processor_revision: str | None = attrs.field(repr=False)
    clops: float | None = attrs.field(repr=False)

    @classmethod
    def _from_model(cls, model: gm.BackendDevice) -> BackendInfo:
        from qiskit_runtime_api.models import Clops, ProcessorType

        processor = (
            model.processor_type if isinstance(model.processor_type, ProcessorType) else None
        )
        clops = model.clops if isinstance(model.clops, Clops) else None
        return cls(
            name=model.name,
            status=model.status.name,
            num_qubits=_opt(model.qubits, int),
            queue_length=model.queue_length,
            simulator=model.is_simulator is True,
            status_reason=_opt(model.status.reason, str),
            processor_family=_opt(processor.family, str) if processor else None,
            processor_revision=_opt(processor.revision, str) if processor else None,
            clops=_opt(clops.value, float) if clops else None,
        )


@attrs.frozen
class BackendStatus:
    """A backend's status, with qiskit's field names (``GET /backends/{name}/status``).

    ``operational`` is True when the backend takes jobs; ``status_msg`` is ``active``,
    ``maintenance``, ... (an open set); ``pending_jobs`` is the queue length.
    """

    backend_name: str
    operational: bool
    status_msg: str
    pending_jobs: int
    backend_version: str = attrs.field(repr=False)
    message: str | None = attrs.field(repr=False)

    @classmethod
    def _from_model(cls, name: str, model: gm.BackendStatus) -> BackendStatus:
        return cls(
            backend_name=name,
            operational=model.state is True,
            status_msg=_opt(model.status, str) or "",
            pending_jobs=max(model.length_queue, 0),
            backend_version=_opt(model.backend_version, str) or "0.0.0",
            message=_opt(model.message, str),
        )


@attrs.frozen
class BackendConfiguration:
    """A backend's configuration (``GET /backends/{name}/configuration``): size, gates,
    connectivity, limits. ``raw`` holds the whole document (every field IBM sends)."""

    backend_name: str
    backend_version: str
    num_qubits: int
    basis_gates: list[str]
    coupling_map: list[tuple[int, int]]
    simulator: bool
    max_shots: int | None = attrs.field(repr=False)
    max_experiments: int | None = attrs.field(repr=False)
    supported_instructions: list[str] = attrs.field(repr=False)
    supported_features: list[str] = attrs.field(repr=False)
    dt: float | None = attrs.field(repr=False)
    """Sample time in seconds (the document gives nanoseconds)."""
    processor_family: str | None = attrs.field(repr=False)
    raw: dict[str, Any] = attrs.field(repr=False, eq=False)

    @property
    def n_qubits(self) -> int:
        """The number of qubits (qiskit's name for :attr:`num_qubits`)."""
        return self.num_qubits

    @property
    def dynamic_circuits(self) -> bool:
        """Whether the backend lists ``dynamic_circuits`` among its features (the official
        client's ``dynamic_circuits`` filter reads the same)."""
        return "dynamic_circuits" in self.supported_features

    @classmethod
    def _from_model(cls, model: gm.BackendConfiguration) -> BackendConfiguration:
        raw = model.to_dict()
        dt = raw.get("dt")
        processor = raw.get("processor_type")
        return cls(
            backend_name=model.backend_name,
            backend_version=model.backend_version,
            num_qubits=model.n_qubits,
            basis_gates=list(model.basis_gates),
            coupling_map=[(int(a), int(b)) for a, b in (e[:2] for e in model.coupling_map)],
            simulator=model.simulator is True,
            max_shots=_opt(model.max_shots, int),
            max_experiments=_opt(model.max_experiments, int),
            supported_instructions=_strings(raw.get("supported_instructions")),
            supported_features=_strings(raw.get("supported_features")),
            dt=float(dt) * 1e-9 if isinstance(dt, int | float) else None,
            processor_family=_opt(processor.get("family"), str)
            if isinstance(processor, Mapping)
            else None,
            raw=raw,
        )


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


_PREFIXES = {
    "": 1.0,
    "s": 1.0,
    "ms": 1e-3,
    "us": 1e-6,
    "µs": 1e-6,
    "ns": 1e-9,
    "Hz": 1.0,
    "kHz": 1e3,
    "MHz": 1e6,
    "GHz": 1e9,
}


@attrs.frozen
class Nduv:
    """A named, dated value with its unit, as the service sends it (``value`` in ``unit``)."""

    name: str
    value: float
    unit: str
    date: datetime = attrs.field(repr=False)

    @property
    def si_value(self) -> float:
        """The value in SI units (seconds, hertz); unknown units are returned as they are."""
        return self.value * _PREFIXES.get(self.unit, 1.0)

    @classmethod
    def _from_model(cls, model: gm.Nduv) -> Nduv:
        return cls(model.name, float(model.value), model.unit, model.date)


def _by_name(items: Iterable[Nduv]) -> dict[str, Nduv]:
    return {item.name: item for item in items}


@attrs.frozen
class QubitProperties:
    """Calibration of one qubit, in SI units: ``t1``/``t2`` and ``readout_length`` in seconds,
    ``frequency`` in hertz; ``values`` holds every reported value by name."""

    qubit: int
    t1: float | None
    t2: float | None
    frequency: float | None
    readout_error: float | None
    readout_length: float | None = attrs.field(repr=False)
    operational: bool = attrs.field(repr=False)
    values: dict[str, Nduv] = attrs.field(repr=False)

    @classmethod
    def _from_values(cls, qubit: int, values: dict[str, Nduv]) -> QubitProperties:
        def si(name: str) -> float | None:
            item = values.get(name)
            return None if item is None else item.si_value

        flag = values.get("operational")
        return cls(
            qubit=qubit,
            t1=si("T1"),
            t2=si("T2"),
            frequency=si("frequency"),
            readout_error=si("readout_error"),
            readout_length=si("readout_length"),
            operational=flag is None or flag.value == 1,
            values=values,
        )


@attrs.frozen
class GateProperties:
    """Calibration of one gate on some qubits: ``error`` and ``length`` (seconds)."""

    gate: str
    qubits: tuple[int, ...]
    error: float | None
    length: float | None
    name: str | None = attrs.field(repr=False)
    operational: bool = attrs.field(repr=False)
    values: dict[str, Nduv] = attrs.field(repr=False)

    @classmethod
    def _from_model(cls, model: gm.GateProperties) -> GateProperties:
        values = _by_name(Nduv._from_model(p) for p in model.parameters)
        error = values.get("gate_error")
        length = values.get("gate_length")
        flag = values.get("operational")
        return cls(
            gate=model.gate,
            qubits=tuple(int(q) for q in model.qubits),
            error=None if error is None else error.si_value,
            length=None if length is None else length.si_value,
            name=_opt(model.name, str),
            operational=flag is None or flag.value == 1,
            values=values,
        )


@attrs.frozen
class BackendProperties:
    """A backend's calibration (``GET /backends/{name}/properties``), in SI units.

    ``qubits[i]`` is qubit ``i``'s :class:`QubitProperties`; ``gates`` lists
    :class:`GateProperties`; :meth:`gate_error` and :meth:`gate_length` look one up. ``raw``
    holds the whole document.
    """

    backend_name: str
    backend_version: str
    last_update_date: datetime
    qubits: list[QubitProperties] = attrs.field(repr=False)
    gates: list[GateProperties] = attrs.field(repr=False)
    general: list[Nduv] = attrs.field(repr=False)
    raw: dict[str, Any] = attrs.field(repr=False, eq=False)

    def gate_error(self, gate: str, qubits: int | Iterable[int]) -> float | None:
        """The error of ``gate`` on ``qubits`` (None if not reported).

        Raises:
            KeyError: if the backend reports no such gate on those qubits.
        """
        return self._gate(gate, qubits).error

    def gate_length(self, gate: str, qubits: int | Iterable[int]) -> float | None:
        """The duration of ``gate`` on ``qubits``, in seconds (None if not reported).

        Raises:
            KeyError: if the backend reports no such gate on those qubits.
        """
        return self._gate(gate, qubits).length

    def _gate(self, gate: str, qubits: int | Iterable[int]) -> GateProperties:
        key = (qubits,) if isinstance(qubits, int) else tuple(qubits)
        for item in self.gates:
            if item.gate == gate and item.qubits == key:
                return item
        raise KeyError(f"{self.backend_name} reports no {gate!r} on qubits {key}")

    @classmethod
    def _from_model(cls, name: str, model: gm.BackendProperties) -> BackendProperties:
        raw = model.to_dict()
        raw["backend_name"] = name  # as the official client does
        general = model.general if isinstance(model.general, list) else []
        return cls(
            backend_name=name,
            backend_version=model.backend_version,
            last_update_date=model.last_update_date,
            qubits=[
                QubitProperties._from_values(i, _by_name(Nduv._from_model(n) for n in items))
                for i, items in enumerate(model.qubits)
            ],
            gates=[GateProperties._from_model(g) for g in model.gates],
            general=[Nduv._from_model(n) for n in general],
            raw=raw,
        )
