from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.backend_device import BackendDevice


T = TypeVar("T", bound="BackendList")


@_attrs_define
class BackendList:
    """
    Attributes:
        devices (list[BackendDevice]):
    """

    devices: list[BackendDevice]

    def to_dict(self) -> dict[str, Any]:
        devices = []
        for devices_item_data in self.devices:
            devices_item = devices_item_data.to_dict()
            devices.append(devices_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "devices": devices,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.backend_device import BackendDevice

        d = dict(src_dict)
        devices = []
        _devices = d.pop("devices")
        for devices_item_data in _devices:
            devices_item = BackendDevice.from_dict(devices_item_data)

            devices.append(devices_item)

        backend_list = cls(
            devices=devices,
        )

        return backend_list
