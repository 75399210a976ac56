from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dynamical_decoupling_options import DynamicalDecouplingOptions
    from ..models.estimator_options_experimental import EstimatorOptionsExperimental
    from ..models.execution_options import ExecutionOptions
    from ..models.resilience_options import ResilienceOptions
    from ..models.simulator_options import SimulatorOptions
    from ..models.transpilation_options import TranspilationOptions
    from ..models.twirling_options import TwirlingOptions


T = TypeVar("T", bound="EstimatorOptions")


@_attrs_define
class EstimatorOptions:
    """
    Attributes:
        default_precision (float | Unset): Target precision per PUB (default 0.015625).
        default_shots (int | None | Unset): When set, overrides `default_precision`.
        seed_estimator (int | None | Unset):
        resilience_level (int | Unset): Accepted here too; the service reads it from `params.resilience_level`.
        dynamical_decoupling (DynamicalDecouplingOptions | Unset):
        execution (ExecutionOptions | Unset):
        twirling (TwirlingOptions | Unset):
        resilience (ResilienceOptions | Unset):
        simulator (SimulatorOptions | Unset):
        transpilation (TranspilationOptions | Unset): Legacy option (older documentation); accepted and ignored by
            current services.
        experimental (EstimatorOptionsExperimental | Unset):
    """

    default_precision: float | Unset = UNSET
    default_shots: int | None | Unset = UNSET
    seed_estimator: int | None | Unset = UNSET
    resilience_level: int | Unset = UNSET
    dynamical_decoupling: DynamicalDecouplingOptions | Unset = UNSET
    execution: ExecutionOptions | Unset = UNSET
    twirling: TwirlingOptions | Unset = UNSET
    resilience: ResilienceOptions | Unset = UNSET
    simulator: SimulatorOptions | Unset = UNSET
    transpilation: TranspilationOptions | Unset = UNSET
    experimental: EstimatorOptionsExperimental | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        default_precision = self.default_precision

        default_shots: int | None | Unset
        if isinstance(self.default_shots, Unset):
            default_shots = UNSET
        else:
            default_shots = self.default_shots

        seed_estimator: int | None | Unset
        if isinstance(self.seed_estimator, Unset):
            seed_estimator = UNSET
        else:
            seed_estimator = self.seed_estimator

        resilience_level = self.resilience_level

        dynamical_decoupling: dict[str, Any] | Unset = UNSET
        if not isinstance(self.dynamical_decoupling, Unset):
            dynamical_decoupling = self.dynamical_decoupling.to_dict()

        execution: dict[str, Any] | Unset = UNSET
        if not isinstance(self.execution, Unset):
            execution = self.execution.to_dict()

        twirling: dict[str, Any] | Unset = UNSET
        if not isinstance(self.twirling, Unset):
            twirling = self.twirling.to_dict()

        resilience: dict[str, Any] | Unset = UNSET
        if not isinstance(self.resilience, Unset):
            resilience = self.resilience.to_dict()

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
        if default_precision is not UNSET:
            field_dict["default_precision"] = default_precision
        if default_shots is not UNSET:
            field_dict["default_shots"] = default_shots
        if seed_estimator is not UNSET:
            field_dict["seed_estimator"] = seed_estimator
        if resilience_level is not UNSET:
            field_dict["resilience_level"] = resilience_level
        if dynamical_decoupling is not UNSET:
            field_dict["dynamical_decoupling"] = dynamical_decoupling
        if execution is not UNSET:
            field_dict["execution"] = execution
        if twirling is not UNSET:
            field_dict["twirling"] = twirling
        if resilience is not UNSET:
            field_dict["resilience"] = resilience
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
        from ..models.estimator_options_experimental import EstimatorOptionsExperimental
        from ..models.execution_options import ExecutionOptions
        from ..models.resilience_options import ResilienceOptions
        from ..models.simulator_options import SimulatorOptions
        from ..models.transpilation_options import TranspilationOptions
        from ..models.twirling_options import TwirlingOptions

        d = dict(src_dict)
        default_precision = d.pop("default_precision", UNSET)

        def _parse_default_shots(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        default_shots = _parse_default_shots(d.pop("default_shots", UNSET))

        def _parse_seed_estimator(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed_estimator = _parse_seed_estimator(d.pop("seed_estimator", UNSET))

        resilience_level = d.pop("resilience_level", UNSET)

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

        _resilience = d.pop("resilience", UNSET)
        resilience: ResilienceOptions | Unset
        if isinstance(_resilience, Unset):
            resilience = UNSET
        else:
            resilience = ResilienceOptions.from_dict(_resilience)

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
        experimental: EstimatorOptionsExperimental | Unset
        if isinstance(_experimental, Unset):
            experimental = UNSET
        else:
            experimental = EstimatorOptionsExperimental.from_dict(_experimental)

        estimator_options = cls(
            default_precision=default_precision,
            default_shots=default_shots,
            seed_estimator=seed_estimator,
            resilience_level=resilience_level,
            dynamical_decoupling=dynamical_decoupling,
            execution=execution,
            twirling=twirling,
            resilience=resilience,
            simulator=simulator,
            transpilation=transpilation,
            experimental=experimental,
        )

        return estimator_options
