from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.auto import Auto, check_auto
from ..models.zne_extrapolator import ZneExtrapolator, check_zne_extrapolator
from ..models.zne_options_amplifier import (
    ZneOptionsAmplifier,
    check_zne_options_amplifier,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ZneOptions")


@_attrs_define
class ZneOptions:
    """
    Attributes:
        amplifier (ZneOptionsAmplifier | Unset):
        noise_factors (list[float] | Unset):
        extrapolator (list[ZneExtrapolator] | Unset | ZneExtrapolator): One extrapolator or a list to try in order.
        extrapolated_noise_factors (Auto | list[float] | Unset):
    """

    amplifier: ZneOptionsAmplifier | Unset = UNSET
    noise_factors: list[float] | Unset = UNSET
    extrapolator: list[ZneExtrapolator] | Unset | ZneExtrapolator = UNSET
    extrapolated_noise_factors: Auto | list[float] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        amplifier: str | Unset = UNSET
        if not isinstance(self.amplifier, Unset):
            amplifier = self.amplifier

        noise_factors: list[float] | Unset = UNSET
        if not isinstance(self.noise_factors, Unset):
            noise_factors = self.noise_factors

        extrapolator: list[str] | str | Unset
        if isinstance(self.extrapolator, Unset):
            extrapolator = UNSET
        elif isinstance(self.extrapolator, str):
            extrapolator = self.extrapolator
        else:
            extrapolator = []
            for extrapolator_type_1_item_data in self.extrapolator:
                extrapolator_type_1_item: str = extrapolator_type_1_item_data
                extrapolator.append(extrapolator_type_1_item)

        extrapolated_noise_factors: list[float] | str | Unset
        if isinstance(self.extrapolated_noise_factors, Unset):
            extrapolated_noise_factors = UNSET
        elif isinstance(self.extrapolated_noise_factors, list):
            extrapolated_noise_factors = self.extrapolated_noise_factors

        else:
            extrapolated_noise_factors = self.extrapolated_noise_factors

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if amplifier is not UNSET:
            field_dict["amplifier"] = amplifier
        if noise_factors is not UNSET:
            field_dict["noise_factors"] = noise_factors
        if extrapolator is not UNSET:
            field_dict["extrapolator"] = extrapolator
        if extrapolated_noise_factors is not UNSET:
            field_dict["extrapolated_noise_factors"] = extrapolated_noise_factors

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _amplifier = d.pop("amplifier", UNSET)
        amplifier: ZneOptionsAmplifier | Unset
        if isinstance(_amplifier, Unset):
            amplifier = UNSET
        else:
            amplifier = check_zne_options_amplifier(_amplifier)

        noise_factors = cast(list[float], d.pop("noise_factors", UNSET))

        def _parse_extrapolator(data: object) -> list[ZneExtrapolator] | Unset | ZneExtrapolator:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                extrapolator_type_0 = check_zne_extrapolator(data)

                return extrapolator_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            extrapolator_type_1 = []
            _extrapolator_type_1 = data
            for extrapolator_type_1_item_data in _extrapolator_type_1:
                extrapolator_type_1_item = check_zne_extrapolator(extrapolator_type_1_item_data)

                extrapolator_type_1.append(extrapolator_type_1_item)

            return extrapolator_type_1

        extrapolator = _parse_extrapolator(d.pop("extrapolator", UNSET))

        def _parse_extrapolated_noise_factors(data: object) -> Auto | list[float] | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                extrapolated_noise_factors_type_0 = cast(list[float], data)

                return extrapolated_noise_factors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, str):
                raise TypeError()
            extrapolated_noise_factors_type_1 = check_auto(data)

            return extrapolated_noise_factors_type_1

        extrapolated_noise_factors = _parse_extrapolated_noise_factors(
            d.pop("extrapolated_noise_factors", UNSET)
        )

        zne_options = cls(
            amplifier=amplifier,
            noise_factors=noise_factors,
            extrapolator=extrapolator,
            extrapolated_noise_factors=extrapolated_noise_factors,
        )

        return zne_options
