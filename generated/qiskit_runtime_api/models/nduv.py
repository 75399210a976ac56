from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Nduv")


@_attrs_define
class Nduv:
    """A named, dated value with a unit.

    Attributes:
        date (datetime.datetime):
        name (str):
        unit (str):
        value (float):
    """

    date: datetime.datetime
    name: str
    unit: str
    value: float

    def to_dict(self) -> dict[str, Any]:
        date = self.date.isoformat()

        name = self.name

        unit = self.unit

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "date": date,
                "name": name,
                "unit": unit,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        date = datetime.datetime.fromisoformat(d.pop("date"))

        name = d.pop("name")

        unit = d.pop("unit")

        value = d.pop("value")

        nduv = cls(
            date=date,
            name=name,
            unit=unit,
            value=value,
        )

        return nduv
