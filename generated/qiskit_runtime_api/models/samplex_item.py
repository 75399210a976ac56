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
from attrs import field as _attrs_field

from ..models.auto import Auto, check_auto
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.samplex import Samplex
    from ..models.samplex_arguments import SamplexArguments


T = TypeVar("T", bound="SamplexItem")


@_attrs_define
class SamplexItem:
    """A template circuit whose parameter values the service draws from a samplex (samplomatic's
    description of randomizations: twirling, basis changes, noise injection). The samplex's
    inputs are bound to `samplex_arguments`; axes of `shape` beyond the arguments' own
    (broadcast) shape enumerate independent randomizations. The result holds the template's
    classical registers and the samplex's other outputs (e.g. `measurement_flips.<register>`).

        Attributes:
            item_type (Literal['samplex']):
            samplex (Samplex): A samplex serialized to JSON by samplomatic. `ssv` (samplex serialization version) repeats
                the version written inside `samplex_json` and must agree with it; the service reads
                versions up to the newest its samplomatic writes.
            samplex_arguments (SamplexArguments): Values for the samplex's inputs, by input name (e.g.
                `basis_changes.basis0`,
                `parameter_values`, `pauli_lindblad_maps.<name>`); every input the samplex requires must
                be given.
            shape (list[int]): An array shape (numpy order); `[]` is a scalar.
            chunk_size (Auto | int | Unset): A positive count, or `auto` to let the service choose.
    """

    item_type: Literal["samplex"]
    samplex: Samplex
    samplex_arguments: SamplexArguments
    shape: list[int]
    chunk_size: Auto | int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        item_type = self.item_type

        samplex = self.samplex.to_dict()

        samplex_arguments = self.samplex_arguments.to_dict()

        shape = self.shape

        chunk_size: int | str | Unset
        if isinstance(self.chunk_size, Unset):
            chunk_size = UNSET
        elif isinstance(self.chunk_size, str):
            chunk_size = self.chunk_size
        else:
            chunk_size = self.chunk_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "item_type": item_type,
                "samplex": samplex,
                "samplex_arguments": samplex_arguments,
                "shape": shape,
            }
        )
        if chunk_size is not UNSET:
            field_dict["chunk_size"] = chunk_size

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.samplex import Samplex
        from ..models.samplex_arguments import SamplexArguments

        d = dict(src_dict)
        item_type = cast(Literal["samplex"], d.pop("item_type"))
        if item_type != "samplex":
            raise ValueError(f"item_type must match const 'samplex', got '{item_type}'")

        samplex = Samplex.from_dict(d.pop("samplex"))

        samplex_arguments = SamplexArguments.from_dict(d.pop("samplex_arguments"))

        shape = cast(list[int], d.pop("shape"))

        def _parse_chunk_size(data: object) -> Auto | int | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_auto_or_count_type_1 = check_auto(data)

                return componentsschemas_auto_or_count_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Auto | int | Unset, data)

        chunk_size = _parse_chunk_size(d.pop("chunk_size", UNSET))

        samplex_item = cls(
            item_type=item_type,
            samplex=samplex,
            samplex_arguments=samplex_arguments,
            shape=shape,
            chunk_size=chunk_size,
        )

        samplex_item.additional_properties = d
        return samplex_item

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
