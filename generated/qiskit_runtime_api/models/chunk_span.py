from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.chunk_part import ChunkPart


T = TypeVar("T", bound="ChunkSpan")


@_attrs_define
class ChunkSpan:
    """One chunk of execution (its span may include some time outside circuits).

    Attributes:
        start (datetime.datetime):
        stop (datetime.datetime):
        parts (list[ChunkPart]):
    """

    start: datetime.datetime
    stop: datetime.datetime
    parts: list[ChunkPart]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        start = self.start.isoformat()

        stop = self.stop.isoformat()

        parts = []
        for parts_item_data in self.parts:
            parts_item = parts_item_data.to_dict()
            parts.append(parts_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "start": start,
                "stop": stop,
                "parts": parts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.chunk_part import ChunkPart

        d = dict(src_dict)
        start = datetime.datetime.fromisoformat(d.pop("start"))

        stop = datetime.datetime.fromisoformat(d.pop("stop"))

        parts = []
        _parts = d.pop("parts")
        for parts_item_data in _parts:
            parts_item = ChunkPart.from_dict(parts_item_data)

            parts.append(parts_item)

        chunk_span = cls(
            start=start,
            stop=stop,
            parts=parts,
        )

        chunk_span.additional_properties = d
        return chunk_span

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
