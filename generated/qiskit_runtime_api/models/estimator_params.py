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
    from ..models.estimator_options import EstimatorOptions
    from ..models.observables_type_1 import ObservablesType1
    from ..models.parameter_values_type_2 import ParameterValuesType2
    from ..models.qpy_circuit import QpyCircuit


T = TypeVar("T", bound="EstimatorParams")


@_attrs_define
class EstimatorParams:
    """
    Attributes:
        pubs (list[list[EncodedNdarray | float | list[Any] | None | ObservablesType1 | ParameterValuesType2 | QpyCircuit
            | str]]):
        version (Literal[2] | Unset):
        support_qiskit (bool | Unset): true selects the Qiskit-typed result form; absent or false the plain JSON form.
        precision (float | None | Unset): Precision for PUBs that do not set their own.
        resilience_level (int | Unset): 0 (none), 1 (measurement mitigation, default) or 2 (adds ZNE and gate twirling).
        options (EstimatorOptions | Unset):
    """

    pubs: list[
        list[
            EncodedNdarray
            | float
            | list[Any]
            | None
            | ObservablesType1
            | ParameterValuesType2
            | QpyCircuit
            | str
        ]
    ]
    version: Literal[2] | Unset = UNSET
    support_qiskit: bool | Unset = UNSET
    precision: float | None | Unset = UNSET
    resilience_level: int | Unset = UNSET
    options: EstimatorOptions | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.encoded_ndarray import EncodedNdarray
        from ..models.observables_type_1 import ObservablesType1
        from ..models.parameter_values_type_2 import ParameterValuesType2
        from ..models.qpy_circuit import QpyCircuit

        pubs = []
        for pubs_item_data in self.pubs:
            pubs_item = []
            for componentsschemas_estimator_pub_item_data in pubs_item_data:
                componentsschemas_estimator_pub_item: (
                    dict[str, Any] | float | list[Any] | None | str
                )
                if isinstance(componentsschemas_estimator_pub_item_data, QpyCircuit) or isinstance(
                    componentsschemas_estimator_pub_item_data, ObservablesType1
                ):
                    componentsschemas_estimator_pub_item = (
                        componentsschemas_estimator_pub_item_data.to_dict()
                    )
                elif isinstance(componentsschemas_estimator_pub_item_data, list):
                    componentsschemas_estimator_pub_item = componentsschemas_estimator_pub_item_data

                elif isinstance(
                    componentsschemas_estimator_pub_item_data, EncodedNdarray
                ) or isinstance(componentsschemas_estimator_pub_item_data, ParameterValuesType2):
                    componentsschemas_estimator_pub_item = (
                        componentsschemas_estimator_pub_item_data.to_dict()
                    )
                else:
                    componentsschemas_estimator_pub_item = componentsschemas_estimator_pub_item_data
                pubs_item.append(componentsschemas_estimator_pub_item)

            pubs.append(pubs_item)

        version = self.version

        support_qiskit = self.support_qiskit

        precision: float | None | Unset
        if isinstance(self.precision, Unset):
            precision = UNSET
        else:
            precision = self.precision

        resilience_level = self.resilience_level

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
        if precision is not UNSET:
            field_dict["precision"] = precision
        if resilience_level is not UNSET:
            field_dict["resilience_level"] = resilience_level
        if options is not UNSET:
            field_dict["options"] = options

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.encoded_ndarray import EncodedNdarray
        from ..models.estimator_options import EstimatorOptions
        from ..models.observables_type_1 import ObservablesType1
        from ..models.parameter_values_type_2 import ParameterValuesType2
        from ..models.qpy_circuit import QpyCircuit

        d = dict(src_dict)
        pubs = []
        _pubs = d.pop("pubs")
        for pubs_item_data in _pubs:
            pubs_item = []
            _pubs_item = pubs_item_data
            for componentsschemas_estimator_pub_item_data in _pubs_item:

                def _parse_componentsschemas_estimator_pub_item(
                    data: object,
                ) -> (
                    EncodedNdarray
                    | float
                    | list[Any]
                    | None
                    | ObservablesType1
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
                        componentsschemas_observables_type_1 = ObservablesType1.from_dict(data)

                        return componentsschemas_observables_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    try:
                        if not isinstance(data, list):
                            raise TypeError()
                        componentsschemas_observables_type_2 = cast(list[Any], data)

                        return componentsschemas_observables_type_2
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
                        | float
                        | list[Any]
                        | None
                        | ObservablesType1
                        | ParameterValuesType2
                        | QpyCircuit
                        | str,
                        data,
                    )

                componentsschemas_estimator_pub_item = _parse_componentsschemas_estimator_pub_item(
                    componentsschemas_estimator_pub_item_data
                )

                pubs_item.append(componentsschemas_estimator_pub_item)

            pubs.append(pubs_item)

        version = cast(Literal[2] | Unset, d.pop("version", UNSET))
        if version != 2 and not isinstance(version, Unset):
            raise ValueError(f"version must match const 2, got '{version}'")

        support_qiskit = d.pop("support_qiskit", UNSET)

        def _parse_precision(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        precision = _parse_precision(d.pop("precision", UNSET))

        resilience_level = d.pop("resilience_level", UNSET)

        _options = d.pop("options", UNSET)
        options: EstimatorOptions | Unset
        if isinstance(_options, Unset):
            options = UNSET
        else:
            options = EstimatorOptions.from_dict(_options)

        estimator_params = cls(
            pubs=pubs,
            version=version,
            support_qiskit=support_qiskit,
            precision=precision,
            resilience_level=resilience_level,
            options=options,
        )

        return estimator_params
