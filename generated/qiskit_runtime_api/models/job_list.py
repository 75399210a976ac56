from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.job import Job


T = TypeVar("T", bound="JobList")


@_attrs_define
class JobList:
    """
    Attributes:
        jobs (list[Job]):
        limit (int):
        offset (int):
        count (int | Unset): Number of matching jobs, ignoring `limit` and `offset`.
    """

    jobs: list[Job]
    limit: int
    offset: int
    count: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        jobs = []
        for jobs_item_data in self.jobs:
            jobs_item = jobs_item_data.to_dict()
            jobs.append(jobs_item)

        limit = self.limit

        offset = self.offset

        count = self.count

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "jobs": jobs,
                "limit": limit,
                "offset": offset,
            }
        )
        if count is not UNSET:
            field_dict["count"] = count

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.job import Job

        d = dict(src_dict)
        jobs = []
        _jobs = d.pop("jobs")
        for jobs_item_data in _jobs:
            jobs_item = Job.from_dict(jobs_item_data)

            jobs.append(jobs_item)

        limit = d.pop("limit")

        offset = d.pop("offset")

        count = d.pop("count", UNSET)

        job_list = cls(
            jobs=jobs,
            limit=limit,
            offset=offset,
            count=count,
        )

        return job_list
