from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiVersion")


@_attrs_define
class ApiVersion:
    """
    Attributes:
        version (str):
        status (str): live or deprecated.
        sunset_date (str | Unset):
    """

    version: str
    status: str
    sunset_date: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        status = self.status

        sunset_date = self.sunset_date

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "version": version,
                "status": status,
            }
        )
        if sunset_date is not UNSET:
            field_dict["sunset_date"] = sunset_date

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        version = d.pop("version")

        status = d.pop("status")

        sunset_date = d.pop("sunset_date", UNSET)

        api_version = cls(
            version=version,
            status=status,
            sunset_date=sunset_date,
        )

        return api_version
