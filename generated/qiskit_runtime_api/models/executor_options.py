from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.experimental_options import ExperimentalOptions


T = TypeVar("T", bound="ExecutorOptions")


@_attrs_define
class ExecutorOptions:
    """Execution options of a quantum program (all optional).

    Attributes:
        init_qubits (bool | Unset): Reset the qubits to the ground state before each shot (default true).
        rep_delay (float | None | Unset): Delay between shots, in seconds, on backends with a dynamic repetition rate;
            must lie
            in the backend's `rep_delay_range`. null uses the backend's default.
        scheduler_timing (bool | Unset): Report each item's scheduled circuit timing in the result's item metadata
            (default false).
        stretch_values (bool | Unset): Report the resolved value of each `stretch` of each item's circuit in the
            result's
            item metadata (default false).
        experimental (ExperimentalOptions | Unset): Options that may change or go away without notice (any JSON values).
    """

    init_qubits: bool | Unset = UNSET
    rep_delay: float | None | Unset = UNSET
    scheduler_timing: bool | Unset = UNSET
    stretch_values: bool | Unset = UNSET
    experimental: ExperimentalOptions | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        init_qubits = self.init_qubits

        rep_delay: float | None | Unset
        if isinstance(self.rep_delay, Unset):
            rep_delay = UNSET
        else:
            rep_delay = self.rep_delay

        scheduler_timing = self.scheduler_timing

        stretch_values = self.stretch_values

        experimental: dict[str, Any] | Unset = UNSET
        if not isinstance(self.experimental, Unset):
            experimental = self.experimental.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if init_qubits is not UNSET:
            field_dict["init_qubits"] = init_qubits
        if rep_delay is not UNSET:
            field_dict["rep_delay"] = rep_delay
        if scheduler_timing is not UNSET:
            field_dict["scheduler_timing"] = scheduler_timing
        if stretch_values is not UNSET:
            field_dict["stretch_values"] = stretch_values
        if experimental is not UNSET:
            field_dict["experimental"] = experimental

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.experimental_options import ExperimentalOptions

        d = dict(src_dict)
        init_qubits = d.pop("init_qubits", UNSET)

        def _parse_rep_delay(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        rep_delay = _parse_rep_delay(d.pop("rep_delay", UNSET))

        scheduler_timing = d.pop("scheduler_timing", UNSET)

        stretch_values = d.pop("stretch_values", UNSET)

        _experimental = d.pop("experimental", UNSET)
        experimental: ExperimentalOptions | Unset
        if isinstance(_experimental, Unset):
            experimental = UNSET
        else:
            experimental = ExperimentalOptions.from_dict(_experimental)

        executor_options = cls(
            init_qubits=init_qubits,
            rep_delay=rep_delay,
            scheduler_timing=scheduler_timing,
            stretch_values=stretch_values,
            experimental=experimental,
        )

        executor_options.additional_properties = d
        return executor_options

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
