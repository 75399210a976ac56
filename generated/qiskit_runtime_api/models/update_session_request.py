from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="UpdateSessionRequest")


@_attrs_define
class UpdateSessionRequest:
    """
    Attributes:
        accepting_jobs (bool): false stops the session from taking new jobs; queued jobs still run.
    """

    accepting_jobs: bool

    def to_dict(self) -> dict[str, Any]:
        accepting_jobs = self.accepting_jobs

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "accepting_jobs": accepting_jobs,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        accepting_jobs = d.pop("accepting_jobs")

        update_session_request = cls(
            accepting_jobs=accepting_jobs,
        )

        return update_session_request
