from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="JobTimestamps")


@_attrs_define
class JobTimestamps:
    """
    Attributes:
        created (datetime.datetime | None | Unset):
        running (datetime.datetime | None | Unset):
        finished (datetime.datetime | None | Unset):
    """

    created: datetime.datetime | None | Unset = UNSET
    running: datetime.datetime | None | Unset = UNSET
    finished: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        created: None | str | Unset
        if isinstance(self.created, Unset):
            created = UNSET
        elif isinstance(self.created, datetime.datetime):
            created = self.created.isoformat()
        else:
            created = self.created

        running: None | str | Unset
        if isinstance(self.running, Unset):
            running = UNSET
        elif isinstance(self.running, datetime.datetime):
            running = self.running.isoformat()
        else:
            running = self.running

        finished: None | str | Unset
        if isinstance(self.finished, Unset):
            finished = UNSET
        elif isinstance(self.finished, datetime.datetime):
            finished = self.finished.isoformat()
        else:
            finished = self.finished

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if created is not UNSET:
            field_dict["created"] = created
        if running is not UNSET:
            field_dict["running"] = running
        if finished is not UNSET:
            field_dict["finished"] = finished

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_created(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_type_0 = datetime.datetime.fromisoformat(data)

                return created_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        created = _parse_created(d.pop("created", UNSET))

        def _parse_running(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                running_type_0 = datetime.datetime.fromisoformat(data)

                return running_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        running = _parse_running(d.pop("running", UNSET))

        def _parse_finished(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_type_0 = datetime.datetime.fromisoformat(data)

                return finished_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished = _parse_finished(d.pop("finished", UNSET))

        job_timestamps = cls(
            created=created,
            running=running,
            finished=finished,
        )

        return job_timestamps
