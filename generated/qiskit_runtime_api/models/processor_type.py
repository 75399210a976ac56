from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ProcessorType")


@_attrs_define
class ProcessorType:
    """
    Attributes:
        family (str | Unset):
        revision (str | Unset):
        segment (None | str | Unset):
    """

    family: str | Unset = UNSET
    revision: str | Unset = UNSET
    segment: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        family = self.family

        revision = self.revision

        segment: None | str | Unset
        if isinstance(self.segment, Unset):
            segment = UNSET
        else:
            segment = self.segment

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if family is not UNSET:
            field_dict["family"] = family
        if revision is not UNSET:
            field_dict["revision"] = revision
        if segment is not UNSET:
            field_dict["segment"] = segment

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        family = d.pop("family", UNSET)

        revision = d.pop("revision", UNSET)

        def _parse_segment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        segment = _parse_segment(d.pop("segment", UNSET))

        processor_type = cls(
            family=family,
            revision=revision,
            segment=segment,
        )

        return processor_type
