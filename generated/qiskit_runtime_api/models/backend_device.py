from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.backend_device_performance_metrics import (
        BackendDevicePerformanceMetrics,
    )
    from ..models.backend_device_status import BackendDeviceStatus
    from ..models.clops import Clops
    from ..models.processor_type import ProcessorType
    from ..models.wait_time import WaitTime


T = TypeVar("T", bound="BackendDevice")


@_attrs_define
class BackendDevice:
    """
    Attributes:
        name (str):
        status (BackendDeviceStatus):
        queue_length (int):
        is_simulator (bool | Unset):
        qubits (int | Unset):
        clops (Clops | Unset):
        processor_type (ProcessorType | Unset):
        performance_metrics (BackendDevicePerformanceMetrics | Unset):
        wait_time_seconds (WaitTime | Unset):
    """

    name: str
    status: BackendDeviceStatus
    queue_length: int
    is_simulator: bool | Unset = UNSET
    qubits: int | Unset = UNSET
    clops: Clops | Unset = UNSET
    processor_type: ProcessorType | Unset = UNSET
    performance_metrics: BackendDevicePerformanceMetrics | Unset = UNSET
    wait_time_seconds: WaitTime | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        status = self.status.to_dict()

        queue_length = self.queue_length

        is_simulator = self.is_simulator

        qubits = self.qubits

        clops: dict[str, Any] | Unset = UNSET
        if not isinstance(self.clops, Unset):
            clops = self.clops.to_dict()

        processor_type: dict[str, Any] | Unset = UNSET
        if not isinstance(self.processor_type, Unset):
            processor_type = self.processor_type.to_dict()

        performance_metrics: dict[str, Any] | Unset = UNSET
        if not isinstance(self.performance_metrics, Unset):
            performance_metrics = self.performance_metrics.to_dict()

        wait_time_seconds: dict[str, Any] | Unset = UNSET
        if not isinstance(self.wait_time_seconds, Unset):
            wait_time_seconds = self.wait_time_seconds.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "status": status,
                "queue_length": queue_length,
            }
        )
        if is_simulator is not UNSET:
            field_dict["is_simulator"] = is_simulator
        if qubits is not UNSET:
            field_dict["qubits"] = qubits
        if clops is not UNSET:
            field_dict["clops"] = clops
        if processor_type is not UNSET:
            field_dict["processor_type"] = processor_type
        if performance_metrics is not UNSET:
            field_dict["performance_metrics"] = performance_metrics
        if wait_time_seconds is not UNSET:
            field_dict["wait_time_seconds"] = wait_time_seconds

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.backend_device_performance_metrics import (
            BackendDevicePerformanceMetrics,
        )
        from ..models.backend_device_status import BackendDeviceStatus
        from ..models.clops import Clops
        from ..models.processor_type import ProcessorType
        from ..models.wait_time import WaitTime

        d = dict(src_dict)
        name = d.pop("name")

        status = BackendDeviceStatus.from_dict(d.pop("status"))

        queue_length = d.pop("queue_length")

        is_simulator = d.pop("is_simulator", UNSET)

        qubits = d.pop("qubits", UNSET)

        _clops = d.pop("clops", UNSET)
        clops: Clops | Unset
        if isinstance(_clops, Unset):
            clops = UNSET
        else:
            clops = Clops.from_dict(_clops)

        _processor_type = d.pop("processor_type", UNSET)
        processor_type: ProcessorType | Unset
        if isinstance(_processor_type, Unset):
            processor_type = UNSET
        else:
            processor_type = ProcessorType.from_dict(_processor_type)

        _performance_metrics = d.pop("performance_metrics", UNSET)
        performance_metrics: BackendDevicePerformanceMetrics | Unset
        if isinstance(_performance_metrics, Unset):
            performance_metrics = UNSET
        else:
            performance_metrics = BackendDevicePerformanceMetrics.from_dict(_performance_metrics)

        _wait_time_seconds = d.pop("wait_time_seconds", UNSET)
        wait_time_seconds: WaitTime | Unset
        if isinstance(_wait_time_seconds, Unset):
            wait_time_seconds = UNSET
        else:
            wait_time_seconds = WaitTime.from_dict(_wait_time_seconds)

        backend_device = cls(
            name=name,
            status=status,
            queue_length=queue_length,
            is_simulator=is_simulator,
            qubits=qubits,
            clops=clops,
            processor_type=processor_type,
            performance_metrics=performance_metrics,
            wait_time_seconds=wait_time_seconds,
        )

        return backend_device
