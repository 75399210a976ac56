from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.meas_level import MeasLevel, check_meas_level
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.circuit_item import CircuitItem
    from ..models.qasm_3_circuits import Qasm3Circuits
    from ..models.qpy_circuits import QpyCircuits
    from ..models.samplex_item import SamplexItem


T = TypeVar("T", bound="QuantumProgram")


@_attrs_define
class QuantumProgram:
    """Circuits, each with the arguments that say how often and with which parameter values it
    runs. Rules beyond the schema:
    - `circuits` holds exactly one circuit per entry of `items`, in the same order
      (`num_programs` of a QPY payload, or the length of an OpenQASM 3 list, equals the
      number of items);
    - the `chunk_size` of the items are either all `auto` or all integers, and integers are
      accepted only for jobs that run in a session;
    - every tensor's decompressed byte length matches its `shape` and `dtype` (see `Tensor`).

        Attributes:
            shots (int): Shots for every bound circuit (every element of every item's shape).
            circuits (Qasm3Circuits | QpyCircuits): The program's circuits, one per item, as one QPY payload or as OpenQASM
                3 texts.
            items (list[CircuitItem | SamplexItem]):
            semantic_role (None | str | Unset): How a client should post-process the result, echoed unchanged in it.
                qiskit-ibm-runtime's client-side primitives send `sampler_v2` and `estimator_v2`;
                an open set, reserved for IBM's clients.
            meas_level (MeasLevel | Unset): What classical registers return, for every item: `classified` (bits, the
                default),
                `kerneled` (one complex IQ point per shot and bit), `avg_kerneled` (IQ points averaged
                over shots) or `both`. Backends must support `classified`; the others exist on hardware
                only.
            passthrough_data (Any | Unset): Any JSON value (objects, arrays and scalars nested freely; a leaf may be a
                `Tensor`
                object). The service stores it and returns it unchanged in the result: clients keep their
                post-processing instructions here.
    """

    shots: int
    circuits: Qasm3Circuits | QpyCircuits
    items: list[CircuitItem | SamplexItem]
    semantic_role: None | str | Unset = UNSET
    meas_level: MeasLevel | Unset = UNSET
    passthrough_data: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.circuit_item import CircuitItem
        from ..models.qpy_circuits import QpyCircuits

        shots = self.shots

        circuits: dict[str, Any]
        if isinstance(self.circuits, QpyCircuits):
            circuits = self.circuits.to_dict()
        else:
            circuits = self.circuits.to_dict()

        items = []
        for items_item_data in self.items:
            items_item: dict[str, Any]
            if isinstance(items_item_data, CircuitItem):
                items_item = items_item_data.to_dict()
            else:
                items_item = items_item_data.to_dict()

            items.append(items_item)

        semantic_role: None | str | Unset
        if isinstance(self.semantic_role, Unset):
            semantic_role = UNSET
        else:
            semantic_role = self.semantic_role

        meas_level: str | Unset = UNSET
        if not isinstance(self.meas_level, Unset):
            meas_level = self.meas_level

        passthrough_data = self.passthrough_data

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shots": shots,
                "circuits": circuits,
                "items": items,
            }
        )
        if semantic_role is not UNSET:
            field_dict["semantic_role"] = semantic_role
        if meas_level is not UNSET:
            field_dict["meas_level"] = meas_level
        if passthrough_data is not UNSET:
            field_dict["passthrough_data"] = passthrough_data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.circuit_item import CircuitItem
        from ..models.qasm_3_circuits import Qasm3Circuits
        from ..models.qpy_circuits import QpyCircuits
        from ..models.samplex_item import SamplexItem

        d = dict(src_dict)
        shots = d.pop("shots")

        def _parse_circuits(data: object) -> Qasm3Circuits | QpyCircuits:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_program_circuits_type_0 = QpyCircuits.from_dict(data)

                return componentsschemas_program_circuits_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_program_circuits_type_1 = Qasm3Circuits.from_dict(data)

            return componentsschemas_program_circuits_type_1

        circuits = _parse_circuits(d.pop("circuits"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:

            def _parse_items_item(data: object) -> CircuitItem | SamplexItem:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_quantum_program_item_type_0 = CircuitItem.from_dict(data)

                    return componentsschemas_quantum_program_item_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_quantum_program_item_type_1 = SamplexItem.from_dict(data)

                return componentsschemas_quantum_program_item_type_1

            items_item = _parse_items_item(items_item_data)

            items.append(items_item)

        def _parse_semantic_role(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        semantic_role = _parse_semantic_role(d.pop("semantic_role", UNSET))

        _meas_level = d.pop("meas_level", UNSET)
        meas_level: MeasLevel | Unset
        if isinstance(_meas_level, Unset):
            meas_level = UNSET
        else:
            meas_level = check_meas_level(_meas_level)

        passthrough_data = d.pop("passthrough_data", UNSET)

        quantum_program = cls(
            shots=shots,
            circuits=circuits,
            items=items,
            semantic_role=semantic_role,
            meas_level=meas_level,
            passthrough_data=passthrough_data,
        )

        quantum_program.additional_properties = d
        return quantum_program

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
