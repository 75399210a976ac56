from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.typed_primitive_result_value import TypedPrimitiveResultValue


T = TypeVar("T", bound="TypedPrimitiveResult")


@_attrs_define
class TypedPrimitiveResult:
    """
    Attributes:
        field_type_ (Literal['PrimitiveResult']):
        field_value (TypedPrimitiveResultValue):
    """

    field_type_: Literal["PrimitiveResult"]
    field_value: TypedPrimitiveResultValue

    def to_dict(self) -> dict[str, Any]:
        field_type_ = self.field_type_

        field_value = self.field_value.to_dict()

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
        from ..models.typed_primitive_result_value import TypedPrimitiveResultValue

        d = dict(src_dict)
        field_type_ = cast(Literal["PrimitiveResult"], d.pop("__type__"))
        if field_type_ != "PrimitiveResult":
            raise ValueError(f"__type__ must match const 'PrimitiveResult', got '{field_type_}'")

        field_value = TypedPrimitiveResultValue.from_dict(d.pop("__value__"))

        typed_primitive_result = cls(
            field_type_=field_type_,
            field_value=field_value,
        )

        return typed_primitive_result
