from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job_timestamps import JobTimestamps
    from ..models.job_usage import JobUsage


T = TypeVar("T", bound="JobMetrics")


@_attrs_define
class JobMetrics:
    """
    Attributes:
        caller (str | Unset): Derived from the `X-Qx-Client-Application` request header.
        timestamps (JobTimestamps | Unset):
        usage (JobUsage | Unset):
        circuits_execution_time_ns (float | Unset):
        qiskit_version (str | Unset):
        num_circuits (int | Unset):
        num_qubits (list[int] | Unset):
        circuit_depths (list[int] | Unset):
    """

    caller: str | Unset = UNSET
    timestamps: JobTimestamps | Unset = UNSET
    usage: JobUsage | Unset = UNSET
    circuits_execution_time_ns: float | Unset = UNSET
    qiskit_version: str | Unset = UNSET
    num_circuits: int | Unset = UNSET
    num_qubits: list[int] | Unset = UNSET
    circuit_depths: list[int] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        caller = self.caller

        timestamps: dict[str, Any] | Unset = UNSET
        if not isinstance(self.timestamps, Unset):
            timestamps = self.timestamps.to_dict()

        usage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.usage, Unset):
            usage = self.usage.to_dict()

        circuits_execution_time_ns = self.circuits_execution_time_ns

        qiskit_version = self.qiskit_version

        num_circuits = self.num_circuits

        num_qubits: list[int] | Unset = UNSET
        if not isinstance(self.num_qubits, Unset):
            num_qubits = self.num_qubits

        circuit_depths: list[int] | Unset = UNSET
        if not isinstance(self.circuit_depths, Unset):
            circuit_depths = self.circuit_depths

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if caller is not UNSET:
            field_dict["caller"] = caller
        if timestamps is not UNSET:
            field_dict["timestamps"] = timestamps
        if usage is not UNSET:
            field_dict["usage"] = usage
        if circuits_execution_time_ns is not UNSET:
            field_dict["circuits_execution_time_ns"] = circuits_execution_time_ns
        if qiskit_version is not UNSET:
            field_dict["qiskit_version"] = qiskit_version
        if num_circuits is not UNSET:
            field_dict["num_circuits"] = num_circuits
        if num_qubits is not UNSET:
            field_dict["num_qubits"] = num_qubits
        if circuit_depths is not UNSET:
            field_dict["circuit_depths"] = circuit_depths

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.job_timestamps import JobTimestamps
        from ..models.job_usage import JobUsage

        d = dict(src_dict)
        caller = d.pop("caller", UNSET)

        _timestamps = d.pop("timestamps", UNSET)
        timestamps: JobTimestamps | Unset
        if isinstance(_timestamps, Unset):
            timestamps = UNSET
        else:
            timestamps = JobTimestamps.from_dict(_timestamps)

        _usage = d.pop("usage", UNSET)
        usage: JobUsage | Unset
        if isinstance(_usage, Unset):
            usage = UNSET
        else:
            usage = JobUsage.from_dict(_usage)

        circuits_execution_time_ns = d.pop("circuits_execution_time_ns", UNSET)

        qiskit_version = d.pop("qiskit_version", UNSET)

        num_circuits = d.pop("num_circuits", UNSET)

        num_qubits = cast(list[int], d.pop("num_qubits", UNSET))

        circuit_depths = cast(list[int], d.pop("circuit_depths", UNSET))

        job_metrics = cls(
            caller=caller,
            timestamps=timestamps,
            usage=usage,
            circuits_execution_time_ns=circuits_execution_time_ns,
            qiskit_version=qiskit_version,
            num_circuits=num_circuits,
            num_qubits=num_qubits,
            circuit_depths=circuit_depths,
        )

        return job_metrics
