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

from ..models.log_level import LogLevel, check_log_level
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.executor_params import ExecutorParams


T = TypeVar("T", bound="ExecutorJobRequest")


@_attrs_define
class ExecutorJobRequest:
    """A quantum program for the executor program: the request that qiskit-ibm-runtime's
    `Executor` (and the client-side `executor_sampler.Sampler` and
    `executor_estimator.Estimator` built on it) sends.

        Attributes:
            program_id (Literal['executor']):
            params (ExecutorParams): The `params` of an executor job: a quantum program and the execution options.
            backend (str | Unset): Backend to run on (send it, since ISA circuits only run on the backend they target).
            session_id (str | Unset): Run inside this session or batch.
            tags (list[str] | Unset):
            log_level (LogLevel | Unset): Log level of the job; the official client sends upper case.
            cost (int | Unset): Maximum execution time in seconds (what clients call `max_execution_time`); values
                above the maximum are capped.
            private (bool | Unset): Inputs are not kept and results can be read once.
            runtime (str | Unset): Image `name:tag` to run.
            calibration_id (str | Unset):
            hub (str | Unset): Legacy instance hub.
            group (str | Unset): Legacy instance group.
            project (str | Unset): Legacy instance project.
    """

    program_id: Literal["executor"]
    params: ExecutorParams
    backend: str | Unset = UNSET
    session_id: str | Unset = UNSET
    tags: list[str] | Unset = UNSET
    log_level: LogLevel | Unset = UNSET
    cost: int | Unset = UNSET
    private: bool | Unset = UNSET
    runtime: str | Unset = UNSET
    calibration_id: str | Unset = UNSET
    hub: str | Unset = UNSET
    group: str | Unset = UNSET
    project: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        program_id = self.program_id

        params = self.params.to_dict()

        backend = self.backend

        session_id = self.session_id

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        log_level: str | Unset = UNSET
        if not isinstance(self.log_level, Unset):
            log_level = self.log_level

        cost = self.cost

        private = self.private

        runtime = self.runtime

        calibration_id = self.calibration_id

        hub = self.hub

        group = self.group

        project = self.project

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "program_id": program_id,
                "params": params,
            }
        )
        if backend is not UNSET:
            field_dict["backend"] = backend
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if tags is not UNSET:
            field_dict["tags"] = tags
        if log_level is not UNSET:
            field_dict["log_level"] = log_level
        if cost is not UNSET:
            field_dict["cost"] = cost
        if private is not UNSET:
            field_dict["private"] = private
        if runtime is not UNSET:
            field_dict["runtime"] = runtime
        if calibration_id is not UNSET:
            field_dict["calibration_id"] = calibration_id
        if hub is not UNSET:
            field_dict["hub"] = hub
        if group is not UNSET:
            field_dict["group"] = group
        if project is not UNSET:
            field_dict["project"] = project

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.executor_params import ExecutorParams

        d = dict(src_dict)
        program_id = cast(Literal["executor"], d.pop("program_id"))
        if program_id != "executor":
            raise ValueError(f"program_id must match const 'executor', got '{program_id}'")

        params = ExecutorParams.from_dict(d.pop("params"))

        backend = d.pop("backend", UNSET)

        session_id = d.pop("session_id", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        _log_level = d.pop("log_level", UNSET)
        log_level: LogLevel | Unset
        if isinstance(_log_level, Unset):
            log_level = UNSET
        else:
            log_level = check_log_level(_log_level)

        cost = d.pop("cost", UNSET)

        private = d.pop("private", UNSET)

        runtime = d.pop("runtime", UNSET)

        calibration_id = d.pop("calibration_id", UNSET)

        hub = d.pop("hub", UNSET)

        group = d.pop("group", UNSET)

        project = d.pop("project", UNSET)

        executor_job_request = cls(
            program_id=program_id,
            params=params,
            backend=backend,
            session_id=session_id,
            tags=tags,
            log_level=log_level,
            cost=cost,
            private=private,
            runtime=runtime,
            calibration_id=calibration_id,
            hub=hub,
            group=group,
            project=project,
        )

        return executor_job_request
