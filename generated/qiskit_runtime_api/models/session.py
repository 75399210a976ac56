from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.session_message import SessionMessage
    from ..models.session_timestamp import SessionTimestamp


T = TypeVar("T", bound="Session")


@_attrs_define
class Session:
    """A session or batch.

    Attributes:
        id (str):
        backend_name (None | str): Backend the session runs on; may be null while it is `open`.
        mode (str): `dedicated` or `batch`.
        state (str | Unset): `open` (waiting for its first job), `active` (has priority, running or waiting for
            jobs), `inactive` (no priority, no running jobs) or `closed`. An open set: the service
            also reports values such as `pending_inactive` and `pending_closed`.
        state_reason (None | str | Unset):
        accepting_jobs (bool | Unset):
        started_at (datetime.datetime | None | Unset):
        activated_at (datetime.datetime | None | Unset):
        closed_at (datetime.datetime | None | Unset):
        last_job_started (datetime.datetime | None | Unset):
        last_job_completed (datetime.datetime | None | Unset):
        interactive_ttl (int | None | Unset): Longest idle time between jobs, in seconds.
        max_ttl (int | None | Unset): Maximum lifetime in seconds.
        active_ttl (int | None | Unset): Remaining active time in seconds.
        timestamps (list[SessionTimestamp] | Unset):
        user_id (str | Unset):
        elapsed_time (float | None | Unset): Usage so far, in seconds.
        messages (list[SessionMessage] | Unset): Warnings (legacy service).
    """

    id: str
    backend_name: None | str
    mode: str
    state: str | Unset = UNSET
    state_reason: None | str | Unset = UNSET
    accepting_jobs: bool | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    activated_at: datetime.datetime | None | Unset = UNSET
    closed_at: datetime.datetime | None | Unset = UNSET
    last_job_started: datetime.datetime | None | Unset = UNSET
    last_job_completed: datetime.datetime | None | Unset = UNSET
    interactive_ttl: int | None | Unset = UNSET
    max_ttl: int | None | Unset = UNSET
    active_ttl: int | None | Unset = UNSET
    timestamps: list[SessionTimestamp] | Unset = UNSET
    user_id: str | Unset = UNSET
    elapsed_time: float | None | Unset = UNSET
    messages: list[SessionMessage] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        backend_name: None | str
        backend_name = self.backend_name

        mode = self.mode

        state = self.state

        state_reason: None | str | Unset
        if isinstance(self.state_reason, Unset):
            state_reason = UNSET
        else:
            state_reason = self.state_reason

        accepting_jobs = self.accepting_jobs

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        activated_at: None | str | Unset
        if isinstance(self.activated_at, Unset):
            activated_at = UNSET
        elif isinstance(self.activated_at, datetime.datetime):
            activated_at = self.activated_at.isoformat()
        else:
            activated_at = self.activated_at

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        elif isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        last_job_started: None | str | Unset
        if isinstance(self.last_job_started, Unset):
            last_job_started = UNSET
        elif isinstance(self.last_job_started, datetime.datetime):
            last_job_started = self.last_job_started.isoformat()
        else:
            last_job_started = self.last_job_started

        last_job_completed: None | str | Unset
        if isinstance(self.last_job_completed, Unset):
            last_job_completed = UNSET
        elif isinstance(self.last_job_completed, datetime.datetime):
            last_job_completed = self.last_job_completed.isoformat()
        else:
            last_job_completed = self.last_job_completed

        interactive_ttl: int | None | Unset
        if isinstance(self.interactive_ttl, Unset):
            interactive_ttl = UNSET
        else:
            interactive_ttl = self.interactive_ttl

        max_ttl: int | None | Unset
        if isinstance(self.max_ttl, Unset):
            max_ttl = UNSET
        else:
            max_ttl = self.max_ttl

        active_ttl: int | None | Unset
        if isinstance(self.active_ttl, Unset):
            active_ttl = UNSET
        else:
            active_ttl = self.active_ttl

        timestamps: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.timestamps, Unset):
            timestamps = []
            for timestamps_item_data in self.timestamps:
                timestamps_item = timestamps_item_data.to_dict()
                timestamps.append(timestamps_item)

        user_id = self.user_id

        elapsed_time: float | None | Unset
        if isinstance(self.elapsed_time, Unset):
            elapsed_time = UNSET
        else:
            elapsed_time = self.elapsed_time

        messages: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.messages, Unset):
            messages = []
            for messages_item_data in self.messages:
                messages_item = messages_item_data.to_dict()
                messages.append(messages_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "backend_name": backend_name,
                "mode": mode,
            }
        )
        if state is not UNSET:
            field_dict["state"] = state
        if state_reason is not UNSET:
            field_dict["state_reason"] = state_reason
        if accepting_jobs is not UNSET:
            field_dict["accepting_jobs"] = accepting_jobs
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if activated_at is not UNSET:
            field_dict["activated_at"] = activated_at
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at
        if last_job_started is not UNSET:
            field_dict["last_job_started"] = last_job_started
        if last_job_completed is not UNSET:
            field_dict["last_job_completed"] = last_job_completed
        if interactive_ttl is not UNSET:
            field_dict["interactive_ttl"] = interactive_ttl
        if max_ttl is not UNSET:
            field_dict["max_ttl"] = max_ttl
        if active_ttl is not UNSET:
            field_dict["active_ttl"] = active_ttl
        if timestamps is not UNSET:
            field_dict["timestamps"] = timestamps
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if elapsed_time is not UNSET:
            field_dict["elapsed_time"] = elapsed_time
        if messages is not UNSET:
            field_dict["messages"] = messages

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.session_message import SessionMessage
        from ..models.session_timestamp import SessionTimestamp

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_backend_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        backend_name = _parse_backend_name(d.pop("backend_name"))

        mode = d.pop("mode")

        state = d.pop("state", UNSET)

        def _parse_state_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        state_reason = _parse_state_reason(d.pop("state_reason", UNSET))

        accepting_jobs = d.pop("accepting_jobs", UNSET)

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_activated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                activated_at_type_0 = datetime.datetime.fromisoformat(data)

                return activated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        activated_at = _parse_activated_at(d.pop("activated_at", UNSET))

        def _parse_closed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        closed_at = _parse_closed_at(d.pop("closed_at", UNSET))

        def _parse_last_job_started(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_job_started_type_0 = datetime.datetime.fromisoformat(data)

                return last_job_started_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_job_started = _parse_last_job_started(d.pop("last_job_started", UNSET))

        def _parse_last_job_completed(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_job_completed_type_0 = datetime.datetime.fromisoformat(data)

                return last_job_completed_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_job_completed = _parse_last_job_completed(d.pop("last_job_completed", UNSET))

        def _parse_interactive_ttl(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        interactive_ttl = _parse_interactive_ttl(d.pop("interactive_ttl", UNSET))

        def _parse_max_ttl(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_ttl = _parse_max_ttl(d.pop("max_ttl", UNSET))

        def _parse_active_ttl(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        active_ttl = _parse_active_ttl(d.pop("active_ttl", UNSET))

        _timestamps = d.pop("timestamps", UNSET)
        timestamps: list[SessionTimestamp] | Unset = UNSET
        if _timestamps is not UNSET:
            timestamps = []
            for timestamps_item_data in _timestamps:
                timestamps_item = SessionTimestamp.from_dict(timestamps_item_data)

                timestamps.append(timestamps_item)

        user_id = d.pop("user_id", UNSET)

        def _parse_elapsed_time(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        elapsed_time = _parse_elapsed_time(d.pop("elapsed_time", UNSET))

        _messages = d.pop("messages", UNSET)
        messages: list[SessionMessage] | Unset = UNSET
        if _messages is not UNSET:
            messages = []
            for messages_item_data in _messages:
                messages_item = SessionMessage.from_dict(messages_item_data)

                messages.append(messages_item)

        session = cls(
            id=id,
            backend_name=backend_name,
            mode=mode,
            state=state,
            state_reason=state_reason,
            accepting_jobs=accepting_jobs,
            started_at=started_at,
            activated_at=activated_at,
            closed_at=closed_at,
            last_job_started=last_job_started,
            last_job_completed=last_job_completed,
            interactive_ttl=interactive_ttl,
            max_ttl=max_ttl,
            active_ttl=active_ttl,
            timestamps=timestamps,
            user_id=user_id,
            elapsed_time=elapsed_time,
            messages=messages,
        )

        return session
