from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobUsage")


@_attrs_define
class JobUsage:
    """
    Attributes:
        qpu_charge_time_seconds (float | Unset):
        status (str | Unset): pending or complete.
    """

    qpu_charge_time_seconds: float | Unset = UNSET
    status: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        qpu_charge_time_seconds = self.qpu_charge_time_seconds

        status = self.status

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if qpu_charge_time_seconds is not UNSET:
            field_dict["qpu_charge_time_seconds"] = qpu_charge_time_seconds
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        qpu_charge_time_seconds = d.pop("qpu_charge_time_seconds", UNSET)

        status = d.pop("status", UNSET)

        job_usage = cls(
            qpu_charge_time_seconds=qpu_charge_time_seconds,
            status=status,
        )

        return job_usage
