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

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.encoded_ndarray import EncodedNdarray
    from ..models.parameter_values_type_2 import ParameterValuesType2
    from ..models.qpy_circuit import QpyCircuit
    from ..models.sampler_options import SamplerOptions


T = TypeVar("T", bound="SamplerParams")


@_attrs_define
class SamplerParams:
    """
    Attributes:
        pubs (list[list[EncodedNdarray | int | list[Any] | None | ParameterValuesType2 | QpyCircuit | str]]):
        version (Literal[2] | Unset):
        support_qiskit (bool | Unset): true selects the Qiskit-typed result form; absent or false the plain JSON form.
        shots (int | None | Unset): Shots for PUBs that do not set their own; overrides `options.default_shots`.
        options (SamplerOptions | Unset):
    """

    pubs: list[
        list[EncodedNdarray | int | list[Any] | None | ParameterValuesType2 | QpyCircuit | str]
    ]
    version: Literal[2] | Unset = UNSET
    support_qiskit: bool | Unset = UNSET
    shots: int | None | Unset = UNSET
    options: SamplerOptions | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.encoded_ndarray import EncodedNdarray
        from ..models.parameter_values_type_2 import ParameterValuesType2
        from ..models.qpy_circuit import QpyCircuit

        pubs = []
        for pubs_item_data in self.pubs:
            pubs_item = []
            for componentsschemas_sampler_pub_item_data in pubs_item_data:
                componentsschemas_sampler_pub_item: dict[str, Any] | int | list[Any] | None | str
                if isinstance(componentsschemas_sampler_pub_item_data, QpyCircuit) or isinstance(
                    componentsschemas_sampler_pub_item_data, EncodedNdarray
                ):
                    componentsschemas_sampler_pub_item = (
                        componentsschemas_sampler_pub_item_data.to_dict()
                    )
                elif isinstance(componentsschemas_sampler_pub_item_data, list):
                    componentsschemas_sampler_pub_item = componentsschemas_sampler_pub_item_data

                elif isinstance(componentsschemas_sampler_pub_item_data, ParameterValuesType2):
                    componentsschemas_sampler_pub_item = (
                        componentsschemas_sampler_pub_item_data.to_dict()
                    )
                else:
                    componentsschemas_sampler_pub_item = componentsschemas_sampler_pub_item_data
                pubs_item.append(componentsschemas_sampler_pub_item)

            pubs.append(pubs_item)

        version = self.version

        support_qiskit = self.support_qiskit

        shots: int | None | Unset
        if isinstance(self.shots, Unset):
            shots = UNSET
        else:
            shots = self.shots

        options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.options, Unset):
            options = self.options.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "pubs": pubs,
            }
        )
        if version is not UNSET:
            field_dict["version"] = version
        if support_qiskit is not UNSET:
            field_dict["support_qiskit"] = support_qiskit
        if shots is not UNSET:
            field_dict["shots"] = shots
        if options is not UNSET:
            field_dict["options"] = options

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.encoded_ndarray import EncodedNdarray
        from ..models.parameter_values_type_2 import ParameterValuesType2
        from ..models.qpy_circuit import QpyCircuit
        from ..models.sampler_options import SamplerOptions

        d = dict(src_dict)
        pubs = []
        _pubs = d.pop("pubs")
        for pubs_item_data in _pubs:
            pubs_item = []
            _pubs_item = pubs_item_data
            for componentsschemas_sampler_pub_item_data in _pubs_item:

                def _parse_componentsschemas_sampler_pub_item(
                    data: object,
                ) -> (
                    EncodedNdarray
                    | int
                    | list[Any]
                    | None
                    | ParameterValuesType2
                    | QpyCircuit
                    | str
                ):
                    if data is None:
                        return data
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_circuit_type_1 = QpyCircuit.from_dict(data)

                        return componentsschemas_circuit_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_parameter_values_type_0 = EncodedNdarray.from_dict(data)

                        return componentsschemas_parameter_values_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, list):
                            raise TypeError()
                        componentsschemas_parameter_values_type_1 = cast(list[Any], data)

                        return componentsschemas_parameter_values_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        componentsschemas_parameter_values_type_2 = ParameterValuesType2.from_dict(
                            data
                        )

                        return componentsschemas_parameter_values_type_2
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    return cast(
                        EncodedNdarray
                        | int
                        | list[Any]
                        | None
                        | ParameterValuesType2
                        | QpyCircuit
                        | str,
                        data,
                    )

                componentsschemas_sampler_pub_item = _parse_componentsschemas_sampler_pub_item(
                    componentsschemas_sampler_pub_item_data
                )

                pubs_item.append(componentsschemas_sampler_pub_item)

            pubs.append(pubs_item)

        version = cast(Literal[2] | Unset, d.pop("version", UNSET))
        if version != 2 and not isinstance(version, Unset):
            raise ValueError(f"version must match const 2, got '{version}'")

        support_qiskit = d.pop("support_qiskit", UNSET)

        def _parse_shots(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        shots = _parse_shots(d.pop("shots", UNSET))

        _options = d.pop("options", UNSET)
        options: SamplerOptions | Unset
        if isinstance(_options, Unset):
            options = UNSET
        else:
            options = SamplerOptions.from_dict(_options)

        sampler_params = cls(
            pubs=pubs,
            version=version,
            support_qiskit=support_qiskit,
            shots=shots,
            options=options,
        )

        return sampler_params
