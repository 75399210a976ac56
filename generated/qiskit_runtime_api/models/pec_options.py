from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.auto import Auto, check_auto
from ..types import UNSET, Unset

T = TypeVar("T", bound="PecOptions")


@_attrs_define
class PecOptions:
    """
    Attributes:
        max_overhead (float | None | Unset):
        noise_gain (Auto | float | Unset):
    """

    max_overhead: float | None | Unset = UNSET
    noise_gain: Auto | float | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        max_overhead: float | None | Unset
        if isinstance(self.max_overhead, Unset):
            max_overhead = UNSET
        else:
            max_overhead = self.max_overhead

        noise_gain: float | str | Unset
        if isinstance(self.noise_gain, Unset):
            noise_gain = UNSET
        elif isinstance(self.noise_gain, str):
            noise_gain = self.noise_gain
        else:
            noise_gain = self.noise_gain

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if max_overhead is not UNSET:
            field_dict["max_overhead"] = max_overhead
        if noise_gain is not UNSET:
            field_dict["noise_gain"] = noise_gain

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_max_overhead(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        max_overhead = _parse_max_overhead(d.pop("max_overhead", UNSET))

        def _parse_noise_gain(data: object) -> Auto | float | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                noise_gain_type_1 = check_auto(data)

                return noise_gain_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Auto | float | Unset, data)

        noise_gain = _parse_noise_gain(d.pop("noise_gain", UNSET))

        pec_options = cls(
            max_overhead=max_overhead,
            noise_gain=noise_gain,
        )

        return pec_options
