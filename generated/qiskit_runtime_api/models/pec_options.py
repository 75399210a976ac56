from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PecOptions")


@_attrs_define
class PecOptions:
    """
    Attributes:
        max_overhead (float | None | Unset):
        noise_gain (float | Literal['auto'] | Unset):
    """

    max_overhead: float | None | Unset = UNSET
    noise_gain: float | Literal["auto"] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        max_overhead: float | None | Unset
        if isinstance(self.max_overhead, Unset):
            max_overhead = UNSET
        else:
            max_overhead = self.max_overhead

        noise_gain: float | Literal["auto"] | Unset
        if isinstance(self.noise_gain, Unset):
            noise_gain = UNSET
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

        def _parse_noise_gain(data: object) -> float | Literal["auto"] | Unset:
            if isinstance(data, Unset):
                return data
            noise_gain_type_1 = cast(Literal["auto"], data)
            if noise_gain_type_1 != "auto":
                raise ValueError(
                    f"noise_gain_type_1 must match const 'auto', got '{noise_gain_type_1}'"
                )
            return noise_gain_type_1
            return cast(float | Literal["auto"] | Unset, data)

        noise_gain = _parse_noise_gain(d.pop("noise_gain", UNSET))

        pec_options = cls(
            max_overhead=max_overhead,
            noise_gain=noise_gain,
        )

        return pec_options
