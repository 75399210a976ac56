from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TranspilationOptions")


@_attrs_define
class TranspilationOptions:
    """Legacy option (older documentation); accepted and ignored by current services.

    Attributes:
        optimization_level (int | Unset):
    """

    optimization_level: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        optimization_level = self.optimization_level

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if optimization_level is not UNSET:
            field_dict["optimization_level"] = optimization_level

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        optimization_level = d.pop("optimization_level", UNSET)

        transpilation_options = cls(
            optimization_level=optimization_level,
        )

        return transpilation_options
