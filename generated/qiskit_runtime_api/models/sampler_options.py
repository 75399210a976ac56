from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dynamical_decoupling_options import DynamicalDecouplingOptions
    from ..models.execution_options import ExecutionOptions
    from ..models.sampler_options_experimental import SamplerOptionsExperimental
    from ..models.simulator_options import SimulatorOptions
    from ..models.transpilation_options import TranspilationOptions
    from ..models.twirling_options import TwirlingOptions


T = TypeVar("T", bound="SamplerOptions")


@_attrs_define
class SamplerOptions:
    """
    Attributes:
        default_shots (int | Unset): Shots per PUB when neither the PUB nor `params.shots` sets them (default 4096).
        dynamical_decoupling (DynamicalDecouplingOptions | Unset):
        execution (ExecutionOptions | Unset):
        twirling (TwirlingOptions | Unset):
        simulator (SimulatorOptions | Unset):
        transpilation (TranspilationOptions | Unset): Legacy option (older documentation); accepted and ignored by
            current services.
        experimental (SamplerOptionsExperimental | Unset):
    """

    default_shots: int | Unset = UNSET
    dynamical_decoupling: DynamicalDecouplingOptions | Unset = UNSET
    execution: ExecutionOptions | Unset = UNSET
    twirling: TwirlingOptions | Unset = UNSET
    simulator: SimulatorOptions | Unset = UNSET
    transpilation: TranspilationOptions | Unset = UNSET
    experimental: SamplerOptionsExperimental | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        default_shots = self.default_shots

        dynamical_decoupling: dict[str, Any] | Unset = UNSET
        if not isinstance(self.dynamical_decoupling, Unset):
            dynamical_decoupling = self.dynamical_decoupling.to_dict()

        execution: dict[str, Any] | Unset = UNSET
        if not isinstance(self.execution, Unset):
            execution = self.execution.to_dict()

        twirling: dict[str, Any] | Unset = UNSET
        if not isinstance(self.twirling, Unset):
            twirling = self.twirling.to_dict()

        simulator: dict[str, Any] | Unset = UNSET
        if not isinstance(self.simulator, Unset):
            simulator = self.simulator.to_dict()

        transpilation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.transpilation, Unset):
            transpilation = self.transpilation.to_dict()

        experimental: dict[str, Any] | Unset = UNSET
        if not isinstance(self.experimental, Unset):
            experimental = self.experimental.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if default_shots is not UNSET:
            field_dict["default_shots"] = default_shots
        if dynamical_decoupling is not UNSET:
            field_dict["dynamical_decoupling"] = dynamical_decoupling
        if execution is not UNSET:
            field_dict["execution"] = execution
        if twirling is not UNSET:
            field_dict["twirling"] = twirling
        if simulator is not UNSET:
            field_dict["simulator"] = simulator
        if transpilation is not UNSET:
            field_dict["transpilation"] = transpilation
        if experimental is not UNSET:
            field_dict["experimental"] = experimental

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.dynamical_decoupling_options import DynamicalDecouplingOptions
        from ..models.execution_options import ExecutionOptions
        from ..models.sampler_options_experimental import SamplerOptionsExperimental
        from ..models.simulator_options import SimulatorOptions
        from ..models.transpilation_options import TranspilationOptions
        from ..models.twirling_options import TwirlingOptions

        d = dict(src_dict)
        default_shots = d.pop("default_shots", UNSET)

        _dynamical_decoupling = d.pop("dynamical_decoupling", UNSET)
        dynamical_decoupling: DynamicalDecouplingOptions | Unset
        if isinstance(_dynamical_decoupling, Unset):
            dynamical_decoupling = UNSET
        else:
            dynamical_decoupling = DynamicalDecouplingOptions.from_dict(_dynamical_decoupling)

        _execution = d.pop("execution", UNSET)
        execution: ExecutionOptions | Unset
        if isinstance(_execution, Unset):
            execution = UNSET
        else:
            execution = ExecutionOptions.from_dict(_execution)

        _twirling = d.pop("twirling", UNSET)
        twirling: TwirlingOptions | Unset
        if isinstance(_twirling, Unset):
            twirling = UNSET
        else:
            twirling = TwirlingOptions.from_dict(_twirling)

        _simulator = d.pop("simulator", UNSET)
        simulator: SimulatorOptions | Unset
        if isinstance(_simulator, Unset):
            simulator = UNSET
        else:
            simulator = SimulatorOptions.from_dict(_simulator)

        _transpilation = d.pop("transpilation", UNSET)
        transpilation: TranspilationOptions | Unset
        if isinstance(_transpilation, Unset):
            transpilation = UNSET
        else:
            transpilation = TranspilationOptions.from_dict(_transpilation)

        _experimental = d.pop("experimental", UNSET)
        experimental: SamplerOptionsExperimental | Unset
        if isinstance(_experimental, Unset):
            experimental = UNSET
        else:
            experimental = SamplerOptionsExperimental.from_dict(_experimental)

        sampler_options = cls(
            default_shots=default_shots,
            dynamical_decoupling=dynamical_decoupling,
            execution=execution,
            twirling=twirling,
            simulator=simulator,
            transpilation=transpilation,
            experimental=experimental,
        )

        return sampler_options
