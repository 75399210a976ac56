from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.auto import Auto, check_auto
from ..types import UNSET, Unset

T = TypeVar("T", bound="MeasureNoiseLearningOptions")


@_attrs_define
class MeasureNoiseLearningOptions:
    """
    Attributes:
        num_randomizations (int | Unset):
        shots_per_randomization (Auto | int | Unset): A positive count, or `auto` to let the service choose.
    """

    num_randomizations: int | Unset = UNSET
    shots_per_randomization: Auto | int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        num_randomizations = self.num_randomizations

        shots_per_randomization: int | str | Unset
        if isinstance(self.shots_per_randomization, Unset):
            shots_per_randomization = UNSET
        elif isinstance(self.shots_per_randomization, str):
            shots_per_randomization = self.shots_per_randomization
        else:
            shots_per_randomization = self.shots_per_randomization

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if num_randomizations is not UNSET:
            field_dict["num_randomizations"] = num_randomizations
        if shots_per_randomization is not UNSET:
            field_dict["shots_per_randomization"] = shots_per_randomization

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        num_randomizations = d.pop("num_randomizations", UNSET)

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

        measure_noise_learning_options = cls(
            num_randomizations=num_randomizations,
            shots_per_randomization=shots_per_randomization,
        )

        return measure_noise_learning_options
