from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.auto import Auto, check_auto
from ..models.twirling_options_strategy import (
    TwirlingOptionsStrategy,
    check_twirling_options_strategy,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="TwirlingOptions")


@_attrs_define
class TwirlingOptions:
    """
    Attributes:
        enable_gates (bool | None | Unset):
        enable_measure (bool | None | Unset):
        num_randomizations (Auto | int | Unset): A positive count, or `auto` to let the service choose.
        shots_per_randomization (Auto | int | Unset): A positive count, or `auto` to let the service choose.
        strategy (TwirlingOptionsStrategy | Unset):
    """

    enable_gates: bool | None | Unset = UNSET
    enable_measure: bool | None | Unset = UNSET
    num_randomizations: Auto | int | Unset = UNSET
    shots_per_randomization: Auto | int | Unset = UNSET
    strategy: TwirlingOptionsStrategy | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enable_gates: bool | None | Unset
        if isinstance(self.enable_gates, Unset):
            enable_gates = UNSET
        else:
            enable_gates = self.enable_gates

        enable_measure: bool | None | Unset
        if isinstance(self.enable_measure, Unset):
            enable_measure = UNSET
        else:
            enable_measure = self.enable_measure

        num_randomizations: int | str | Unset
        if isinstance(self.num_randomizations, Unset):
            num_randomizations = UNSET
        elif isinstance(self.num_randomizations, str):
            num_randomizations = self.num_randomizations
        else:
            num_randomizations = self.num_randomizations

        shots_per_randomization: int | str | Unset
        if isinstance(self.shots_per_randomization, Unset):
            shots_per_randomization = UNSET
        elif isinstance(self.shots_per_randomization, str):
            shots_per_randomization = self.shots_per_randomization
        else:
            shots_per_randomization = self.shots_per_randomization

        strategy: str | Unset = UNSET
        if not isinstance(self.strategy, Unset):
            strategy = self.strategy

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enable_gates is not UNSET:
            field_dict["enable_gates"] = enable_gates
        if enable_measure is not UNSET:
            field_dict["enable_measure"] = enable_measure
        if num_randomizations is not UNSET:
            field_dict["num_randomizations"] = num_randomizations
        if shots_per_randomization is not UNSET:
            field_dict["shots_per_randomization"] = shots_per_randomization
        if strategy is not UNSET:
            field_dict["strategy"] = strategy

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_enable_gates(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enable_gates = _parse_enable_gates(d.pop("enable_gates", UNSET))

        def _parse_enable_measure(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enable_measure = _parse_enable_measure(d.pop("enable_measure", UNSET))

        def _parse_num_randomizations(data: object) -> Auto | int | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_auto_or_count_type_1 = check_auto(data)

                return componentsschemas_auto_or_count_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Auto | int | Unset, data)

        num_randomizations = _parse_num_randomizations(d.pop("num_randomizations", UNSET))

        def _parse_shots_per_randomization(data: object) -> Auto | int | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_auto_or_count_type_1 = check_auto(data)

                return componentsschemas_auto_or_count_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Auto | int | Unset, data)

        shots_per_randomization = _parse_shots_per_randomization(
            d.pop("shots_per_randomization", UNSET)
        )

        _strategy = d.pop("strategy", UNSET)
        strategy: TwirlingOptionsStrategy | Unset
        if isinstance(_strategy, Unset):
            strategy = UNSET
        else:
            strategy = check_twirling_options_strategy(_strategy)

        twirling_options = cls(
            enable_gates=enable_gates,
            enable_measure=enable_measure,
            num_randomizations=num_randomizations,
            shots_per_randomization=shots_per_randomization,
            strategy=strategy,
        )

        return twirling_options
