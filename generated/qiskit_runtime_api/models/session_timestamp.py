from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SessionTimestamp")


@_attrs_define
class SessionTimestamp:
    """
    Attributes:
        status (str): The state entered.
        timestamp (datetime.datetime):
    """

    status: str
    timestamp: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        timestamp = self.timestamp.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
                "timestamp": timestamp,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = d.pop("status")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        session_timestamp = cls(
            status=status,
            timestamp=timestamp,
        )

        return session_timestamp
