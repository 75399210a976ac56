from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobState")


@_attrs_define
class JobState:
    """
    Attributes:
        status (str): Queued, Running, Completed, Cancelled or Failed (an open set).
        reason (None | str | Unset): Why the job is in this state (failures, cancellations).
        reason_code (int | None | Unset): Registry code of the reason, e.g. 1305 for a job that ran too long, 1517 for
            circuits that do not match the backend's target (non-ISA circuits).
        reason_solution (None | str | Unset): What the user can do about it.
    """

    status: str
    reason: None | str | Unset = UNSET
    reason_code: int | None | Unset = UNSET
    reason_solution: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        reason_code: int | None | Unset
        if isinstance(self.reason_code, Unset):
            reason_code = UNSET
        else:
            reason_code = self.reason_code

        reason_solution: None | str | Unset
        if isinstance(self.reason_solution, Unset):
            reason_solution = UNSET
        else:
            reason_solution = self.reason_solution

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if reason_code is not UNSET:
            field_dict["reason_code"] = reason_code
        if reason_solution is not UNSET:
            field_dict["reason_solution"] = reason_solution

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = d.pop("status")

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_reason_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        reason_code = _parse_reason_code(d.pop("reason_code", UNSET))

        def _parse_reason_solution(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason_solution = _parse_reason_solution(d.pop("reason_solution", UNSET))

        job_state = cls(
            status=status,
            reason=reason,
            reason_code=reason_code,
            reason_solution=reason_solution,
        )

        return job_state
