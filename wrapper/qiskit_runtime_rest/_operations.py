"""Every API operation the SDK uses, as a :class:`~qiskit_runtime_rest._core.Call`.

Each factory names the generated endpoint (``qiskit_runtime_api.api.<tag>.<operation>``), its
arguments, whether repeating it is safe, and how to read its answer. Error statuses never reach
the parsers: the transport raises typed errors first.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from qiskit_runtime_api.api.backends import (
    get_backend_configuration,
    get_backend_properties,
    get_backend_status,
    list_backends,
)
from qiskit_runtime_api.api.instances import get_instance_usage
from qiskit_runtime_api.api.jobs import (
    cancel_job,
    create_job,
    delete_job,
    get_job,
    get_job_logs,
    get_job_metrics,
    get_job_results,
    list_jobs,
    replace_job_tags,
)
from qiskit_runtime_api.api.sessions import (
    cancel_session,
    create_session,
    get_session,
    update_session,
)
from qiskit_runtime_api.api.versions import list_versions
from qiskit_runtime_api.models import (
    BackendConfiguration,
    BackendList,
    BackendProperties,
    BackendStatus,
    CreateSessionRequest,
    EstimatorJobRequest,
    InstanceUsage,
    JobCreateResponse,
    JobList,
    JobMetrics,
    ReplaceJobTagsRequest,
    SamplerJobRequest,
    UpdateSessionRequest,
    VersionList,
)
from qiskit_runtime_api.models import Job as JobModel
from qiskit_runtime_api.models import Session as SessionModel
from qiskit_runtime_api.types import UNSET, Response

from qiskit_runtime_rest._core import Call
from qiskit_runtime_rest.errors import MalformedResponseError

T = TypeVar("T")


def _model(cls: type[T], name: str) -> Callable[[Response[Any]], T]:
    def parse(response: Response[Any]) -> T:
        if not isinstance(response.parsed, cls):
            raise MalformedResponseError(
                f"{name}: expected a {cls.__name__} body, got HTTP {int(response.status_code)}",
                status_code=int(response.status_code),
            )
        return response.parsed

    return parse


def _nothing(response: Response[Any]) -> None:
    return None


def _content_or_none(response: Response[Any]) -> bytes | None:
    """Result bytes, or None for 204 (no result stored yet)."""
    if int(response.status_code) == 204 or not response.content:
        return None
    return response.content


def _text(response: Response[Any]) -> str:
    return response.content.decode("utf-8", errors="replace")


# -- sessions ---------------------------------------------------------------------------------


def create_session_call(body: CreateSessionRequest) -> Call[SessionModel]:
    return Call(
        "create_session",
        create_session.sync_detailed,
        create_session.asyncio_detailed,
        {"body": body},
        _model(SessionModel, "create_session"),
        idempotent=False,
    )


def get_session_call(session_id: str) -> Call[SessionModel]:
    return Call(
        "get_session",
        get_session.sync_detailed,
        get_session.asyncio_detailed,
        {"session_id": session_id},
        _model(SessionModel, "get_session"),
    )


def close_session_call(session_id: str) -> Call[None]:
    """PATCH ``accepting_jobs: false``: no new jobs; queued ones still run (idempotent)."""
    return Call(
        "close_session",
        update_session.sync_detailed,
        update_session.asyncio_detailed,
        {"session_id": session_id, "body": UpdateSessionRequest(accepting_jobs=False)},
        _nothing,
    )


def cancel_session_call(session_id: str) -> Call[None]:
    """DELETE ``/sessions/{id}/close``: no new jobs and queued ones do not run (idempotent)."""
    return Call(
        "cancel_session",
        cancel_session.sync_detailed,
        cancel_session.asyncio_detailed,
        {"session_id": session_id},
        _nothing,
    )


# -- jobs -------------------------------------------------------------------------------------


def create_job_call(body: SamplerJobRequest | EstimatorJobRequest) -> Call[JobCreateResponse]:
    return Call(
        "create_job",
        create_job.sync_detailed,
        create_job.asyncio_detailed,
        {"body": body},
        _model(JobCreateResponse, "create_job"),
        idempotent=False,
    )


def get_job_call(job_id: str) -> Call[JobModel]:
    return Call(
        "get_job",
        get_job.sync_detailed,
        get_job.asyncio_detailed,
        {"job_id": job_id, "exclude_params": True},
        _model(JobModel, "get_job"),
    )


def list_jobs_call(
    *,
    limit: int,
    offset: int,
    pending: bool | None = None,
    program: str | None = None,
    backend: str | None = None,
    created_after: datetime.datetime | None = None,
    created_before: datetime.datetime | None = None,
    tags: Sequence[str] | None = None,
    session_id: str | None = None,
    descending: bool = True,
) -> Call[JobList]:
    kwargs: dict[str, Any] = {
        "limit": limit,
        "offset": offset,
        "pending": UNSET if pending is None else pending,
        "program": program or UNSET,
        "backend": backend or UNSET,
        "created_after": created_after or UNSET,
        "created_before": created_before or UNSET,
        "tags": list(tags) if tags else UNSET,
        "session_id": session_id or UNSET,
        "sort": "DESC" if descending else "ASC",
        "exclude_params": True,
    }
    return Call(
        "list_jobs",
        list_jobs.sync_detailed,
        list_jobs.asyncio_detailed,
        kwargs,
        _model(JobList, "list_jobs"),
    )


def cancel_job_call(job_id: str) -> Call[None]:
    return Call(
        "cancel_job",
        cancel_job.sync_detailed,
        cancel_job.asyncio_detailed,
        {"job_id": job_id},
        _nothing,
        idempotent=False,
    )


def delete_job_call(job_id: str) -> Call[None]:
    return Call(
        "delete_job",
        delete_job.sync_detailed,
        delete_job.asyncio_detailed,
        {"job_id": job_id},
        _nothing,
    )


def get_job_results_call(job_id: str) -> Call[bytes | None]:
    return Call(
        "get_job_results",
        get_job_results.sync_detailed,
        get_job_results.asyncio_detailed,
        {"job_id": job_id},
        _content_or_none,
    )


def get_job_logs_call(job_id: str) -> Call[str]:
    return Call(
        "get_job_logs",
        get_job_logs.sync_detailed,
        get_job_logs.asyncio_detailed,
        {"job_id": job_id},
        _text,
    )


def get_job_metrics_call(job_id: str) -> Call[JobMetrics]:
    return Call(
        "get_job_metrics",
        get_job_metrics.sync_detailed,
        get_job_metrics.asyncio_detailed,
        {"job_id": job_id},
        _model(JobMetrics, "get_job_metrics"),
    )


def replace_job_tags_call(job_id: str, tags: Sequence[str]) -> Call[None]:
    return Call(
        "replace_job_tags",
        replace_job_tags.sync_detailed,
        replace_job_tags.asyncio_detailed,
        {"job_id": job_id, "body": ReplaceJobTagsRequest(tags=list(tags))},
        _nothing,
    )


# -- backends, instance, versions ---------------------------------------------------------------


def list_backends_call() -> Call[BackendList]:
    return Call(
        "list_backends",
        list_backends.sync_detailed,
        list_backends.asyncio_detailed,
        {},
        _model(BackendList, "list_backends"),
    )


def get_backend_status_call(name: str) -> Call[BackendStatus]:
    return Call(
        "get_backend_status",
        get_backend_status.sync_detailed,
        get_backend_status.asyncio_detailed,
        {"backend_name": name},
        _model(BackendStatus, "get_backend_status"),
    )


def get_backend_configuration_call(name: str) -> Call[BackendConfiguration]:
    return Call(
        "get_backend_configuration",
        get_backend_configuration.sync_detailed,
        get_backend_configuration.asyncio_detailed,
        {"backend_name": name},
        _model(BackendConfiguration, "get_backend_configuration"),
    )


def get_backend_properties_call(name: str) -> Call[BackendProperties]:
    return Call(
        "get_backend_properties",
        get_backend_properties.sync_detailed,
        get_backend_properties.asyncio_detailed,
        {"backend_name": name},
        _model(BackendProperties, "get_backend_properties"),
    )


def get_instance_usage_call() -> Call[InstanceUsage]:
    return Call(
        "get_instance_usage",
        get_instance_usage.sync_detailed,
        get_instance_usage.asyncio_detailed,
        {},
        _model(InstanceUsage, "get_instance_usage"),
    )


def list_versions_call() -> Call[VersionList]:
    return Call(
        "list_versions",
        list_versions.sync_detailed,
        list_versions.asyncio_detailed,
        {},
        _model(VersionList, "list_versions"),
    )
