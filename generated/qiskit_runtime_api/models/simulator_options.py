from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.simulator_options_noise_model_type_0 import (
        SimulatorOptionsNoiseModelType0,
    )


T = TypeVar("T", bound="SimulatorOptions")


@_attrs_define
class SimulatorOptions:
    """
    Attributes:
        seed_simulator (int | None | Unset): Seed for reproducible sampling.
        noise_model (None | SimulatorOptionsNoiseModelType0 | Unset):
        coupling_map (list[list[int]] | None | Unset):
        basis_gates (list[str] | None | Unset):
    """

    seed_simulator: int | None | Unset = UNSET
    noise_model: None | SimulatorOptionsNoiseModelType0 | Unset = UNSET
    coupling_map: list[list[int]] | None | Unset = UNSET
    basis_gates: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.simulator_options_noise_model_type_0 import (
            SimulatorOptionsNoiseModelType0,
        )

        seed_simulator: int | None | Unset
        if isinstance(self.seed_simulator, Unset):
            seed_simulator = UNSET
        else:
            seed_simulator = self.seed_simulator

        noise_model: dict[str, Any] | None | Unset
        if isinstance(self.noise_model, Unset):
            noise_model = UNSET
        elif isinstance(self.noise_model, SimulatorOptionsNoiseModelType0):
            noise_model = self.noise_model.to_dict()
        else:
            noise_model = self.noise_model

        coupling_map: list[list[int]] | None | Unset
        if isinstance(self.coupling_map, Unset):
            coupling_map = UNSET
        elif isinstance(self.coupling_map, list):
            coupling_map = []
            for coupling_map_type_0_item_data in self.coupling_map:
                coupling_map_type_0_item = coupling_map_type_0_item_data

                coupling_map.append(coupling_map_type_0_item)

        else:
            coupling_map = self.coupling_map

        basis_gates: list[str] | None | Unset
        if isinstance(self.basis_gates, Unset):
            basis_gates = UNSET
        elif isinstance(self.basis_gates, list):
            basis_gates = self.basis_gates

        else:
            basis_gates = self.basis_gates

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if seed_simulator is not UNSET:
            field_dict["seed_simulator"] = seed_simulator
        if noise_model is not UNSET:
            field_dict["noise_model"] = noise_model
        if coupling_map is not UNSET:
            field_dict["coupling_map"] = coupling_map
        if basis_gates is not UNSET:
            field_dict["basis_gates"] = basis_gates

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.simulator_options_noise_model_type_0 import (
            SimulatorOptionsNoiseModelType0,
        )

        d = dict(src_dict)

        def _parse_seed_simulator(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed_simulator = _parse_seed_simulator(d.pop("seed_simulator", UNSET))

        def _parse_noise_model(data: object) -> None | SimulatorOptionsNoiseModelType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                noise_model_type_0 = SimulatorOptionsNoiseModelType0.from_dict(data)

                return noise_model_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SimulatorOptionsNoiseModelType0 | Unset, data)

        noise_model = _parse_noise_model(d.pop("noise_model", UNSET))

        def _parse_coupling_map(data: object) -> list[list[int]] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                coupling_map_type_0 = []
                _coupling_map_type_0 = data
                for coupling_map_type_0_item_data in _coupling_map_type_0:
                    coupling_map_type_0_item = cast(list[int], coupling_map_type_0_item_data)

                    coupling_map_type_0.append(coupling_map_type_0_item)

                return coupling_map_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[list[int]] | None | Unset, data)

        coupling_map = _parse_coupling_map(d.pop("coupling_map", UNSET))

        def _parse_basis_gates(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                basis_gates_type_0 = cast(list[str], data)

                return basis_gates_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        basis_gates = _parse_basis_gates(d.pop("basis_gates", UNSET))

        simulator_options = cls(
            seed_simulator=seed_simulator,
            noise_model=noise_model,
            coupling_map=coupling_map,
            basis_gates=basis_gates,
        )

        return simulator_options
