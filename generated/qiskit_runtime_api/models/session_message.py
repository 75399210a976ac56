from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SessionMessage")


@_attrs_define
class SessionMessage:
    """
    Attributes:
        level (str | Unset):
        data (str | Unset):
    """

    level: str | Unset = UNSET
    data: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        level = self.level

        data = self.data

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if level is not UNSET:
            field_dict["level"] = level
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        level = d.pop("level", UNSET)

        data = d.pop("data", UNSET)

        session_message = cls(
            level=level,
            data=data,
        )

        return session_message
