from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tensor_dtype import TensorDtype, check_tensor_dtype

T = TypeVar("T", bound="Tensor")


@_attrs_define
class Tensor:
    """An n-dimensional array: `data` is base64 of the zlib-compressed raw bytes, elements in C
    (row-major) order and little-endian. Booleans are bit-packed: the flattened array, eight
    elements per byte, least significant bit first, the last byte padded with zeros; so the
    decompressed length is `ceil(size / 8)` bytes for `bool` and `size * itemsize` for the
    other types, where `size` is the product of `shape`.

        Attributes:
            data (str):
            shape (list[int]): An array shape (numpy order); `[]` is a scalar.
            dtype (TensorDtype): Element type of a `Tensor`: floats (`f16`, `f32`, `f64`), signed and unsigned integers
                (`i8` ... `i64`, `u8` ... `u64`), complex (`c64`, `c128`) and `bool`.
    """

    data: str
    shape: list[int]
    dtype: TensorDtype
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        shape = self.shape

        dtype: str = self.dtype

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "shape": shape,
                "dtype": dtype,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        data = d.pop("data")

        shape = cast(list[int], d.pop("shape"))

        dtype = check_tensor_dtype(d.pop("dtype"))

        tensor = cls(
            data=data,
            shape=shape,
            dtype=dtype,
        )

        tensor.additional_properties = d
        return tensor

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
