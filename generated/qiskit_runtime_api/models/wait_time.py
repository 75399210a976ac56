from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WaitTime")


@_attrs_define
class WaitTime:
    """
    Attributes:
        average (float | Unset):
        p50 (float | Unset):
        p95 (float | Unset):
    """

    average: float | Unset = UNSET
    p50: float | Unset = UNSET
    p95: float | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        average = self.average

        p50 = self.p50

        p95 = self.p95

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if average is not UNSET:
            field_dict["average"] = average
        if p50 is not UNSET:
            field_dict["p50"] = p50
        if p95 is not UNSET:
            field_dict["p95"] = p95

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        average = d.pop("average", UNSET)

        p50 = d.pop("p50", UNSET)

        p95 = d.pop("p95", UNSET)

        wait_time = cls(
            average=average,
            p50=p50,
            p95=p95,
        )

        return wait_time
