from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.scheduler_timing import SchedulerTiming
    from ..models.stretch_value import StretchValue


T = TypeVar("T", bound="QuantumProgramItemMetadata")


@_attrs_define
class QuantumProgramItemMetadata:
    """What the service reports about one item: null unless the job's options asked for it
    (`scheduler_timing`, `stretch_values`).

        Attributes:
            scheduler_timing (None | SchedulerTiming | Unset):
            stretch_values (list[StretchValue] | None | Unset):
    """

    scheduler_timing: None | SchedulerTiming | Unset = UNSET
    stretch_values: list[StretchValue] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.scheduler_timing import SchedulerTiming

        scheduler_timing: dict[str, Any] | None | Unset
        if isinstance(self.scheduler_timing, Unset):
            scheduler_timing = UNSET
        elif isinstance(self.scheduler_timing, SchedulerTiming):
            scheduler_timing = self.scheduler_timing.to_dict()
        else:
            scheduler_timing = self.scheduler_timing

        stretch_values: list[dict[str, Any]] | None | Unset
        if isinstance(self.stretch_values, Unset):
            stretch_values = UNSET
        elif isinstance(self.stretch_values, list):
            stretch_values = []
            for stretch_values_type_0_item_data in self.stretch_values:
                stretch_values_type_0_item = stretch_values_type_0_item_data.to_dict()
                stretch_values.append(stretch_values_type_0_item)

        else:
            stretch_values = self.stretch_values

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if scheduler_timing is not UNSET:
            field_dict["scheduler_timing"] = scheduler_timing
        if stretch_values is not UNSET:
            field_dict["stretch_values"] = stretch_values

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.scheduler_timing import SchedulerTiming
        from ..models.stretch_value import StretchValue

        d = dict(src_dict)

        def _parse_scheduler_timing(data: object) -> None | SchedulerTiming | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                scheduler_timing_type_0 = SchedulerTiming.from_dict(data)

                return scheduler_timing_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SchedulerTiming | Unset, data)

        scheduler_timing = _parse_scheduler_timing(d.pop("scheduler_timing", UNSET))

        def _parse_stretch_values(data: object) -> list[StretchValue] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                stretch_values_type_0 = []
                _stretch_values_type_0 = data
                for stretch_values_type_0_item_data in _stretch_values_type_0:
                    stretch_values_type_0_item = StretchValue.from_dict(
                        stretch_values_type_0_item_data
                    )

                    stretch_values_type_0.append(stretch_values_type_0_item)

                return stretch_values_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[StretchValue] | None | Unset, data)

        stretch_values = _parse_stretch_values(d.pop("stretch_values", UNSET))

        quantum_program_item_metadata = cls(
            scheduler_timing=scheduler_timing,
            stretch_values=stretch_values,
        )

        quantum_program_item_metadata.additional_properties = d
        return quantum_program_item_metadata

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
