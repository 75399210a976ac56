from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobCreateResponse")


@_attrs_define
class JobCreateResponse:
    """
    Attributes:
        id (str):
        backend (str):
        session_id (str | Unset):
        private (bool | Unset):
        calibration_id (str | Unset):
    """

    id: str
    backend: str
    session_id: str | Unset = UNSET
    private: bool | Unset = UNSET
    calibration_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        backend = self.backend

        session_id = self.session_id

        private = self.private

        calibration_id = self.calibration_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "backend": backend,
            }
        )
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if private is not UNSET:
            field_dict["private"] = private
        if calibration_id is not UNSET:
            field_dict["calibration_id"] = calibration_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        backend = d.pop("backend")

        session_id = d.pop("session_id", UNSET)

        private = d.pop("private", UNSET)

        calibration_id = d.pop("calibration_id", UNSET)

        job_create_response = cls(
            id=id,
            backend=backend,
            session_id=session_id,
            private=private,
            calibration_id=calibration_id,
        )

        return job_create_response
