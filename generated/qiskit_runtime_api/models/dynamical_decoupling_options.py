from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.dynamical_decoupling_options_extra_slack_distribution import (
    DynamicalDecouplingOptionsExtraSlackDistribution,
    check_dynamical_decoupling_options_extra_slack_distribution,
)
from ..models.dynamical_decoupling_options_scheduling_method import (
    DynamicalDecouplingOptionsSchedulingMethod,
    check_dynamical_decoupling_options_scheduling_method,
)
from ..models.dynamical_decoupling_options_sequence_type import (
    DynamicalDecouplingOptionsSequenceType,
    check_dynamical_decoupling_options_sequence_type,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="DynamicalDecouplingOptions")


@_attrs_define
class DynamicalDecouplingOptions:
    """
    Attributes:
        enable (bool | Unset):
        sequence_type (DynamicalDecouplingOptionsSequenceType | Unset):
        extra_slack_distribution (DynamicalDecouplingOptionsExtraSlackDistribution | Unset):
        scheduling_method (DynamicalDecouplingOptionsSchedulingMethod | Unset):
        skip_reset_qubits (bool | Unset):
    """

    enable: bool | Unset = UNSET
    sequence_type: DynamicalDecouplingOptionsSequenceType | Unset = UNSET
    extra_slack_distribution: DynamicalDecouplingOptionsExtraSlackDistribution | Unset = UNSET
    scheduling_method: DynamicalDecouplingOptionsSchedulingMethod | Unset = UNSET
    skip_reset_qubits: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        enable = self.enable

        sequence_type: str | Unset = UNSET
        if not isinstance(self.sequence_type, Unset):
            sequence_type = self.sequence_type

        extra_slack_distribution: str | Unset = UNSET
        if not isinstance(self.extra_slack_distribution, Unset):
            extra_slack_distribution = self.extra_slack_distribution

        scheduling_method: str | Unset = UNSET
        if not isinstance(self.scheduling_method, Unset):
            scheduling_method = self.scheduling_method

        skip_reset_qubits = self.skip_reset_qubits

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if enable is not UNSET:
            field_dict["enable"] = enable
        if sequence_type is not UNSET:
            field_dict["sequence_type"] = sequence_type
        if extra_slack_distribution is not UNSET:
            field_dict["extra_slack_distribution"] = extra_slack_distribution
        if scheduling_method is not UNSET:
            field_dict["scheduling_method"] = scheduling_method
        if skip_reset_qubits is not UNSET:
            field_dict["skip_reset_qubits"] = skip_reset_qubits

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        enable = d.pop("enable", UNSET)

        _sequence_type = d.pop("sequence_type", UNSET)
        sequence_type: DynamicalDecouplingOptionsSequenceType | Unset
        if isinstance(_sequence_type, Unset):
            sequence_type = UNSET
        else:
            sequence_type = check_dynamical_decoupling_options_sequence_type(_sequence_type)

        _extra_slack_distribution = d.pop("extra_slack_distribution", UNSET)
        extra_slack_distribution: DynamicalDecouplingOptionsExtraSlackDistribution | Unset
        if isinstance(_extra_slack_distribution, Unset):
            extra_slack_distribution = UNSET
        else:
            extra_slack_distribution = check_dynamical_decoupling_options_extra_slack_distribution(
                _extra_slack_distribution
            )

        _scheduling_method = d.pop("scheduling_method", UNSET)
        scheduling_method: DynamicalDecouplingOptionsSchedulingMethod | Unset
        if isinstance(_scheduling_method, Unset):
            scheduling_method = UNSET
        else:
            scheduling_method = check_dynamical_decoupling_options_scheduling_method(
                _scheduling_method
            )

        skip_reset_qubits = d.pop("skip_reset_qubits", UNSET)

        dynamical_decoupling_options = cls(
            enable=enable,
            sequence_type=sequence_type,
            extra_slack_distribution=extra_slack_distribution,
            scheduling_method=scheduling_method,
            skip_reset_qubits=skip_reset_qubits,
        )

        return dynamical_decoupling_options
