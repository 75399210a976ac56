from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.execution_mode import ExecutionMode, check_execution_mode
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateSessionRequest")


@_attrs_define
class CreateSessionRequest:
    """
    Attributes:
        backend (str | Unset): Backend the session runs on.
        backend_name (str | Unset): Fallback spelling of `backend`.
        mode (ExecutionMode | Unset): `dedicated` (a session: priority for iterative work) or `batch`.
        max_ttl (int | Unset): Maximum lifetime in seconds (default 28800), subject to plan limits.
        interactive_ttl (int | Unset): Longest idle time between jobs, in seconds, before the session goes inactive.
        active_ttl (int | Unset):
        instance (str | Unset): Legacy `hub/group/project`, or the instance CRN (the official client sends it; the
            current service takes the instance from the `Service-CRN` header).
        max_session_ttl (int | Unset): Legacy spelling of `max_ttl`.
    """

    backend: str | Unset = UNSET
    backend_name: str | Unset = UNSET
    mode: ExecutionMode | Unset = UNSET
    max_ttl: int | Unset = UNSET
    interactive_ttl: int | Unset = UNSET
    active_ttl: int | Unset = UNSET
    instance: str | Unset = UNSET
    max_session_ttl: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        backend = self.backend

        backend_name = self.backend_name

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode

        max_ttl = self.max_ttl

        interactive_ttl = self.interactive_ttl

        active_ttl = self.active_ttl

        instance = self.instance

        max_session_ttl = self.max_session_ttl

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if backend is not UNSET:
            field_dict["backend"] = backend
        if backend_name is not UNSET:
            field_dict["backend_name"] = backend_name
        if mode is not UNSET:
            field_dict["mode"] = mode
        if max_ttl is not UNSET:
            field_dict["max_ttl"] = max_ttl
        if interactive_ttl is not UNSET:
            field_dict["interactive_ttl"] = interactive_ttl
        if active_ttl is not UNSET:
            field_dict["active_ttl"] = active_ttl
        if instance is not UNSET:
            field_dict["instance"] = instance
        if max_session_ttl is not UNSET:
            field_dict["max_session_ttl"] = max_session_ttl

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        backend = d.pop("backend", UNSET)

        backend_name = d.pop("backend_name", UNSET)

        _mode = d.pop("mode", UNSET)
        mode: ExecutionMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = check_execution_mode(_mode)

        max_ttl = d.pop("max_ttl", UNSET)

        interactive_ttl = d.pop("interactive_ttl", UNSET)

        active_ttl = d.pop("active_ttl", UNSET)

        instance = d.pop("instance", UNSET)

        max_session_ttl = d.pop("max_session_ttl", UNSET)

        create_session_request = cls(
            backend=backend,
            backend_name=backend_name,
            mode=mode,
            max_ttl=max_ttl,
            interactive_ttl=interactive_ttl,
            active_ttl=active_ttl,
            instance=instance,
            max_session_ttl=max_session_ttl,
        )

        return create_session_request
