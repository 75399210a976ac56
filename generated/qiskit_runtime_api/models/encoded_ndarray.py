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

T = TypeVar("T", bound="EncodedNdarray")


@_attrs_define
class EncodedNdarray:
    """
    Attributes:
        field_type_ (Literal['ndarray']):
        field_value (float | list[Any] | str): base64 of zlib-compressed `.npy` bytes (or, from older encoders, a plain
            list).
    """

    field_type_: Literal["ndarray"]
    field_value: float | list[Any] | str

    def to_dict(self) -> dict[str, Any]:
        field_type_ = self.field_type_

        field_value: float | list[Any] | str
        if isinstance(self.field_value, list):
            field_value = self.field_value

        else:
            field_value = self.field_value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "__type__": field_type_,
                "__value__": field_value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        field_type_ = cast(Literal["ndarray"], d.pop("__type__"))
        if field_type_ != "ndarray":
            raise ValueError(f"__type__ must match const 'ndarray', got '{field_type_}'")

        def _parse_field_value(data: object) -> float | list[Any] | str:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                field_value_type_1 = cast(list[Any], data)

                return field_value_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(float | list[Any] | str, data)

        field_value = _parse_field_value(d.pop("__value__"))

        encoded_ndarray = cls(
            field_type_=field_type_,
            field_value=field_value,
        )

        return encoded_ndarray
