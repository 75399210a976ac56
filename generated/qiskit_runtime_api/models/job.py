from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job_params import JobParams
    from ..models.job_program import JobProgram
    from ..models.job_state import JobState
    from ..models.job_usage import JobUsage


T = TypeVar("T", bound="Job")


@_attrs_define
class Job:
    """A job.

    Attributes:
        id (str):
        state (JobState):
        status (str): Queued, Running, Completed, Cancelled, `Cancelled - Ran too long` or Failed. An open set:
            compare case-insensitively and accept values you do not know.
        program (JobProgram):
        created (datetime.datetime):
        cost (int):
        backend (str | Unset):
        params (JobParams | Unset): The job's params as submitted (left out when `exclude_params` is true).
        runtime (str | Unset):
        tags (list[str] | Unset):
        session_id (None | str | Unset):
        user_id (str | Unset):
        usage (JobUsage | Unset):
        private (bool | Unset):
        estimated_running_time_seconds (float | None | Unset):
        calibration_id (str | Unset):
        hub (str | Unset):
        group (str | Unset):
        project (str | Unset):
    """

    id: str
    state: JobState
    status: str
    program: JobProgram
    created: datetime.datetime
    cost: int
    backend: str | Unset = UNSET
    params: JobParams | Unset = UNSET
    runtime: str | Unset = UNSET
    tags: list[str] | Unset = UNSET
    session_id: None | str | Unset = UNSET
    user_id: str | Unset = UNSET
    usage: JobUsage | Unset = UNSET
    private: bool | Unset = UNSET
    estimated_running_time_seconds: float | None | Unset = UNSET
    calibration_id: str | Unset = UNSET
    hub: str | Unset = UNSET
    group: str | Unset = UNSET
    project: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        state = self.state.to_dict()

        status = self.status

        program = self.program.to_dict()

        created = self.created.isoformat()

        cost = self.cost

        backend = self.backend

        params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.params, Unset):
            params = self.params.to_dict()

        runtime = self.runtime

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        session_id: None | str | Unset
        if isinstance(self.session_id, Unset):
            session_id = UNSET
        else:
            session_id = self.session_id

        user_id = self.user_id

        usage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.usage, Unset):
            usage = self.usage.to_dict()

        private = self.private

        estimated_running_time_seconds: float | None | Unset
        if isinstance(self.estimated_running_time_seconds, Unset):
            estimated_running_time_seconds = UNSET
        else:
            estimated_running_time_seconds = self.estimated_running_time_seconds

        calibration_id = self.calibration_id

        hub = self.hub

        group = self.group

        project = self.project

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "state": state,
                "status": status,
                "program": program,
                "created": created,
                "cost": cost,
            }
        )
        if backend is not UNSET:
            field_dict["backend"] = backend
        if params is not UNSET:
            field_dict["params"] = params
        if runtime is not UNSET:
            field_dict["runtime"] = runtime
        if tags is not UNSET:
            field_dict["tags"] = tags
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if usage is not UNSET:
            field_dict["usage"] = usage
        if private is not UNSET:
            field_dict["private"] = private
        if estimated_running_time_seconds is not UNSET:
            field_dict["estimated_running_time_seconds"] = estimated_running_time_seconds
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
        from ..models.job_params import JobParams
        from ..models.job_program import JobProgram
        from ..models.job_state import JobState
        from ..models.job_usage import JobUsage

        d = dict(src_dict)
        id = d.pop("id")

        state = JobState.from_dict(d.pop("state"))

        status = d.pop("status")

        program = JobProgram.from_dict(d.pop("program"))

        created = datetime.datetime.fromisoformat(d.pop("created"))

        cost = d.pop("cost")

        backend = d.pop("backend", UNSET)

        _params = d.pop("params", UNSET)
        params: JobParams | Unset
        if isinstance(_params, Unset):
            params = UNSET
        else:
            params = JobParams.from_dict(_params)

        runtime = d.pop("runtime", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        def _parse_session_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        session_id = _parse_session_id(d.pop("session_id", UNSET))

        user_id = d.pop("user_id", UNSET)

        _usage = d.pop("usage", UNSET)
        usage: JobUsage | Unset
        if isinstance(_usage, Unset):
            usage = UNSET
        else:
            usage = JobUsage.from_dict(_usage)

        private = d.pop("private", UNSET)

        def _parse_estimated_running_time_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        estimated_running_time_seconds = _parse_estimated_running_time_seconds(
            d.pop("estimated_running_time_seconds", UNSET)
        )

        calibration_id = d.pop("calibration_id", UNSET)

        hub = d.pop("hub", UNSET)

        group = d.pop("group", UNSET)

        project = d.pop("project", UNSET)

        job = cls(
            id=id,
            state=state,
            status=status,
            program=program,
            created=created,
            cost=cost,
            backend=backend,
            params=params,
            runtime=runtime,
            tags=tags,
            session_id=session_id,
            user_id=user_id,
            usage=usage,
            private=private,
            estimated_running_time_seconds=estimated_running_time_seconds,
            calibration_id=calibration_id,
            hub=hub,
            group=group,
            project=project,
        )

        return job
