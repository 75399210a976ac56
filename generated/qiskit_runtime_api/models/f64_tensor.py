from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="F64Tensor")


@_attrs_define
class F64Tensor:
    """A `Tensor` of 64-bit floats (`dtype` may be left out).

    Attributes:
        data (str):
        shape (list[int]): An array shape (numpy order); `[]` is a scalar.
        dtype (Literal['f64'] | Unset):
    """

    data: str
    shape: list[int]
    dtype: Literal["f64"] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        shape = self.shape

        dtype = self.dtype

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "shape": shape,
            }
        )
        if dtype is not UNSET:
            field_dict["dtype"] = dtype

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        data = d.pop("data")

        shape = cast(list[int], d.pop("shape"))

        dtype = cast(Literal["f64"] | Unset, d.pop("dtype", UNSET))
        if dtype != "f64" and not isinstance(dtype, Unset):
            raise ValueError(f"dtype must match const 'f64', got '{dtype}'")

        f64_tensor = cls(
            data=data,
            shape=shape,
            dtype=dtype,
        )

        f64_tensor.additional_properties = d
        return f64_tensor

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
