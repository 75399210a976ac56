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

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.executor_options import ExecutorOptions
    from ..models.quantum_program import QuantumProgram


T = TypeVar("T", bound="ExecutorParams")


@_attrs_define
class ExecutorParams:
    """The `params` of an executor job: a quantum program and the execution options.

    Attributes:
        quantum_program (QuantumProgram): Circuits, each with the arguments that say how often and with which parameter
            values it
            runs. Rules beyond the schema:
            - `circuits` holds exactly one circuit per entry of `items`, in the same order
              (`num_programs` of a QPY payload, or the length of an OpenQASM 3 list, equals the
              number of items);
            - the `chunk_size` of the items are either all `auto` or all integers, and integers are
              accepted only for jobs that run in a session;
            - every tensor's decompressed byte length matches its `shape` and `dtype` (see `Tensor`).
        options (ExecutorOptions): Execution options of a quantum program (all optional).
        schema_version (Literal['v2.0'] | Unset): Version of this params schema. Clients send it; `v2.0` when absent.
    """

    quantum_program: QuantumProgram
    options: ExecutorOptions
    schema_version: Literal["v2.0"] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        quantum_program = self.quantum_program.to_dict()

        options = self.options.to_dict()

        schema_version = self.schema_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "quantum_program": quantum_program,
                "options": options,
            }
        )
        if schema_version is not UNSET:
            field_dict["schema_version"] = schema_version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.executor_options import ExecutorOptions
        from ..models.quantum_program import QuantumProgram

        d = dict(src_dict)
        quantum_program = QuantumProgram.from_dict(d.pop("quantum_program"))

        options = ExecutorOptions.from_dict(d.pop("options"))

        schema_version = cast(Literal["v2.0"] | Unset, d.pop("schema_version", UNSET))
        if schema_version != "v2.0" and not isinstance(schema_version, Unset):
            raise ValueError(f"schema_version must match const 'v2.0', got '{schema_version}'")

        executor_params = cls(
            quantum_program=quantum_program,
            options=options,
            schema_version=schema_version,
        )

        executor_params.additional_properties = d
        return executor_params

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
