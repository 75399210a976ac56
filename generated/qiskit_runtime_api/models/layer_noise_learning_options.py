from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LayerNoiseLearningOptions")


@_attrs_define
class LayerNoiseLearningOptions:
    """
    Attributes:
        max_layers_to_learn (int | None | Unset):
        shots_per_randomization (int | Unset):
        num_randomizations (int | Unset):
        layer_pair_depths (list[int] | Unset):
    """

    max_layers_to_learn: int | None | Unset = UNSET
    shots_per_randomization: int | Unset = UNSET
    num_randomizations: int | Unset = UNSET
    layer_pair_depths: list[int] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        max_layers_to_learn: int | None | Unset
        if isinstance(self.max_layers_to_learn, Unset):
            max_layers_to_learn = UNSET
        else:
            max_layers_to_learn = self.max_layers_to_learn

        shots_per_randomization = self.shots_per_randomization

        num_randomizations = self.num_randomizations

        layer_pair_depths: list[int] | Unset = UNSET
        if not isinstance(self.layer_pair_depths, Unset):
            layer_pair_depths = self.layer_pair_depths

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if max_layers_to_learn is not UNSET:
            field_dict["max_layers_to_learn"] = max_layers_to_learn
        if shots_per_randomization is not UNSET:
            field_dict["shots_per_randomization"] = shots_per_randomization
        if num_randomizations is not UNSET:
            field_dict["num_randomizations"] = num_randomizations
        if layer_pair_depths is not UNSET:
            field_dict["layer_pair_depths"] = layer_pair_depths

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_max_layers_to_learn(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_layers_to_learn = _parse_max_layers_to_learn(d.pop("max_layers_to_learn", UNSET))

        shots_per_randomization = d.pop("shots_per_randomization", UNSET)

        num_randomizations = d.pop("num_randomizations", UNSET)

        layer_pair_depths = cast(list[int], d.pop("layer_pair_depths", UNSET))

        layer_noise_learning_options = cls(
            max_layers_to_learn=max_layers_to_learn,
            shots_per_randomization=shots_per_randomization,
            num_randomizations=num_randomizations,
            layer_pair_depths=layer_pair_depths,
        )

        return layer_noise_learning_options
