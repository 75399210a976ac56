from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ReplaceJobTagsRequest")


@_attrs_define
class ReplaceJobTagsRequest:
    """
    Attributes:
        tags (list[str]):
    """

    tags: list[str]

    def to_dict(self) -> dict[str, Any]:
        tags = self.tags

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "tags": tags,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        tags = cast(list[str], d.pop("tags"))

        replace_job_tags_request = cls(
            tags=tags,
        )

        return replace_job_tags_request
