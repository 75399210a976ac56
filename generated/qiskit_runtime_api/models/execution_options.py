from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.execution_options_meas_type import (
    ExecutionOptionsMeasType,
    check_execution_options_meas_type,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExecutionOptions")


@_attrs_define
class ExecutionOptions:
    """
    Attributes:
        init_qubits (bool | Unset):
        rep_delay (float | None | Unset):
        meas_type (ExecutionOptionsMeasType | Unset): Sampler only.
    """

    init_qubits: bool | Unset = UNSET
    rep_delay: float | None | Unset = UNSET
    meas_type: ExecutionOptionsMeasType | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        init_qubits = self.init_qubits

        rep_delay: float | None | Unset
        if isinstance(self.rep_delay, Unset):
            rep_delay = UNSET
        else:
            rep_delay = self.rep_delay

        meas_type: str | Unset = UNSET
        if not isinstance(self.meas_type, Unset):
            meas_type = self.meas_type

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if init_qubits is not UNSET:
            field_dict["init_qubits"] = init_qubits
        if rep_delay is not UNSET:
            field_dict["rep_delay"] = rep_delay
        if meas_type is not UNSET:
            field_dict["meas_type"] = meas_type

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        init_qubits = d.pop("init_qubits", UNSET)

        def _parse_rep_delay(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        rep_delay = _parse_rep_delay(d.pop("rep_delay", UNSET))

        _meas_type = d.pop("meas_type", UNSET)
        meas_type: ExecutionOptionsMeasType | Unset
        if isinstance(_meas_type, Unset):
            meas_type = UNSET
        else:
            meas_type = check_execution_options_meas_type(_meas_type)

        execution_options = cls(
            init_qubits=init_qubits,
            rep_delay=rep_delay,
            meas_type=meas_type,
        )

        return execution_options
