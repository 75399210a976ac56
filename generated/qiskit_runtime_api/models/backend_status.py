from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="BackendStatus")


@_attrs_define
class BackendStatus:
    """
    Attributes:
        length_queue (int):
        state (bool | Unset): true when the backend is operational.
        status (str | Unset): active, maintenance, ... (an open set).
        message (str | Unset):
        backend_version (str | Unset):
    """

    length_queue: int
    state: bool | Unset = UNSET
    status: str | Unset = UNSET
    message: str | Unset = UNSET
    backend_version: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        length_queue = self.length_queue

        state = self.state

        status = self.status

        message = self.message

        backend_version = self.backend_version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "length_queue": length_queue,
            }
        )
        if state is not UNSET:
            field_dict["state"] = state
        if status is not UNSET:
            field_dict["status"] = status
        if message is not UNSET:
            field_dict["message"] = message
        if backend_version is not UNSET:
            field_dict["backend_version"] = backend_version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        length_queue = d.pop("length_queue")

        state = d.pop("state", UNSET)

        status = d.pop("status", UNSET)

        message = d.pop("message", UNSET)

        backend_version = d.pop("backend_version", UNSET)

        backend_status = cls(
            length_queue=length_queue,
            state=state,
            status=status,
            message=message,
            backend_version=backend_version,
        )

        return backend_status
