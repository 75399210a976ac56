"""Every API operation the SDK uses, as a :class:`~qiskit_runtime_rest._core.Call`.

Each factory names the generated endpoint (``qiskit_runtime_api.api.<tag>.<operation>``), its
arguments, whether repeating it is safe, and how to read its answer. Error statuses never reach
the parsers: the transport raises typed errors first.
"""

from __future__ import annotations

import datetime
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, TypeVar

import attrs
from qiskit_runtime_api import models as _models
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
    PlainPrimitiveResult,
    ReplaceJobTagsRequest,
    SamplerJobRequest,
    TypedPrimitiveResult,
    UpdateSessionRequest,
    VersionList,
)
from qiskit_runtime_api.models import Job as JobModel
from qiskit_runtime_api.models import Session as SessionModel
from qiskit_runtime_api.types import UNSET, Response, Unset

from qiskit_runtime_rest._core import Call
from qiskit_runtime_rest.errors import MalformedResponseError

T = TypeVar("T")


# -- checking parsed answers -------------------------------------------------------------------
#
# The generated ``from_dict`` methods build nested models but copy scalars as they come: a job
# whose ``status`` is a number, or whose ``tags`` hold objects, would reach the SDK (and users)
# unnoticed and fail far away with a bare TypeError. Each parsed answer is therefore checked
# against the types its generated model declares; a mismatch is a MalformedResponseError.


class _ModelNamespace(Mapping[str, Any]):
    """The generated models by name, for resolving annotations; the models package imports its
    modules lazily, so its ``vars()`` holds only what was already used."""

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(_models, name)
        except AttributeError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(_models.__all__)

    def __len__(self) -> int:
        return len(_models.__all__)


@cache
def _field_types(cls: Any) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(
        cls, globalns=vars(sys.modules[cls.__module__]), localns=_ModelNamespace()
    )
    return tuple((f.name, hints[f.name]) for f in attrs.fields(cls) if f.name in hints)


def _mismatch(value: Any, hint: Any, path: str) -> str | None:
    """Where ``value`` does not match the type ``hint`` (None when it does)."""
    origin = typing.get_origin(hint)
    if hint is Any:
        return None
    if origin in (typing.Union, types.UnionType):
        branches = typing.get_args(hint)
        if any(_mismatch(value, branch, path) is None for branch in branches):
            return None
        return f"{path}: unexpected {type(value).__name__} {value!r:.60}"
    if origin is typing.Literal:
        if value in typing.get_args(hint):
            return None
        return f"{path}: {value!r:.60} is not one of {typing.get_args(hint)}"
    if origin is list:
        if not isinstance(value, list):
            return f"{path}: expected an array, got {type(value).__name__}"
        (item,) = typing.get_args(hint)
        for i, element in enumerate(value):
            problem = _mismatch(element, item, f"{path}[{i}]")
            if problem:
                return problem
        return None
    if origin is dict:
        if not isinstance(value, dict):
            return f"{path}: expected an object, got {type(value).__name__}"
        _, item = typing.get_args(hint)
        for key, element in value.items():
            problem = _mismatch(element, item, f"{path}.{key}")
            if problem:
                return problem
        return None
    if hint is type(None):
        return None if value is None else f"{path}: expected null, got {type(value).__name__}"
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = not isinstance(value, bool) and (
            isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        )
    elif hint is float:
        ok = not isinstance(value, bool) and isinstance(value, int | float)
    elif isinstance(hint, type) and attrs.has(hint):
        return _model_mismatch(value, path) if isinstance(value, hint) else f"{path}: bad object"
    elif isinstance(hint, type):  # str, datetime, Unset
        ok = isinstance(value, hint)
    else:  # pragma: no cover - a construct the generator does not emit today
        return None
    return None if ok else f"{path}: expected {hint.__name__}, got {type(value).__name__}"


def _model_mismatch(model: Any, path: str) -> str | None:
    cls: Any = type(model)
    for name, hint in _field_types(cls):
        value = getattr(model, name)
        if isinstance(value, Unset) or _checker(hint)(value):
            continue
        return _mismatch(value, hint, f"{path}.{name}" if path else name) or f"{path}.{name}"
    return None


Checker = Callable[[Any], bool]


@cache
def _checker(hint: Any) -> Checker:
    """A fast yes/no test of ``value`` against ``hint`` (``_mismatch`` explains a failure)."""
    origin = typing.get_origin(hint)
    if hint is Any:
        return lambda value: True
    if origin in (typing.Union, types.UnionType):
        branches = tuple(_checker(branch) for branch in typing.get_args(hint))
        return lambda value: any(check(value) for check in branches)
    if origin is typing.Literal:
        allowed = typing.get_args(hint)
        return lambda value: value in allowed
    if origin is list:
        item = _checker(typing.get_args(hint)[0])
        return lambda value: isinstance(value, list) and all(item(v) for v in value)
    if origin is dict:
        item = _checker(typing.get_args(hint)[1])
        return lambda value: isinstance(value, dict) and all(item(v) for v in value.values())
    if hint is type(None):
        return lambda value: value is None
    if hint is bool:
        return lambda value: isinstance(value, bool)
    if hint is int:
        return lambda value: (
            not isinstance(value, bool)
            and (isinstance(value, int) or (isinstance(value, float) and value.is_integer()))
        )
    if hint is float:
        return lambda value: not isinstance(value, bool) and isinstance(value, int | float)
    if isinstance(hint, type) and attrs.has(hint):
        model: type = hint
        return lambda value: isinstance(value, model) and _model_mismatch(value, "") is None
    if isinstance(hint, type):  # str, datetime, Unset
        kind: type = hint
        return lambda value: isinstance(value, kind)
    return lambda value: True  # pragma: no cover - a construct the generator does not emit


def _model(cls: type[T], name: str) -> Callable[[Response[Any]], T]:
    def parse(response: Response[Any]) -> T:
        status = int(response.status_code)
        if not isinstance(response.parsed, cls):
            raise MalformedResponseError(
                f"{name}: expected a {cls.__name__} body, got HTTP {status}", status_code=status
            )
        problem = _model_mismatch(response.parsed, "")
        if problem:
            raise MalformedResponseError(
                f"{name}: the {cls.__name__} body does not match the documented shape ({problem})",
                status_code=status,
            )
        return response.parsed

    return parse


def _success(response: Response[Any], name: str) -> int:
    """The status of a 2xx answer; anything else that got here (a redirect) is malformed."""
    status = int(response.status_code)
    if not 200 <= status < 300:
        raise MalformedResponseError(
            f"{name}: unexpected HTTP {status} (redirects are not followed)", status_code=status
        )
    return status


def _nothing(name: str) -> Callable[[Response[Any]], None]:
    def parse(response: Response[Any]) -> None:
        _success(response, name)

    return parse


def _result_or_none(response: Response[Any]) -> dict[str, Any] | None:
    """The result as the generated client parsed it (a plain dict again, for the codec), or None
    for 204 (no result stored yet). Decoding from the parsed form, not from ``content``, keeps
    large results from being JSON-parsed twice."""
    status = _success(response, "get_job_results")
    if status == 204:
        return None
    if not response.content:
        raise MalformedResponseError(
            f"get_job_results: HTTP {status} with an empty body", status_code=status
        )
    parsed = response.parsed
    if not isinstance(parsed, TypedPrimitiveResult | PlainPrimitiveResult):
        raise MalformedResponseError(
            f"get_job_results: HTTP {status} with a body that is not a result",
            status_code=status,
        )
    payload: dict[str, Any] = parsed.to_dict()
    return payload


def _text(response: Response[Any]) -> str:
    _success(response, "get_job_logs")
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
        _nothing("close_session"),
    )


def cancel_session_call(session_id: str) -> Call[None]:
    """DELETE ``/sessions/{id}/close``: no new jobs and queued ones do not run (idempotent)."""
    return Call(
        "cancel_session",
        cancel_session.sync_detailed,
        cancel_session.asyncio_detailed,
        {"session_id": session_id},
        _nothing("cancel_session"),
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
        _nothing("cancel_job"),
        idempotent=False,
    )


def delete_job_call(job_id: str) -> Call[None]:
    return Call(
        "delete_job",
        delete_job.sync_detailed,
        delete_job.asyncio_detailed,
        {"job_id": job_id},
        _nothing("delete_job"),
    )


def get_job_results_call(job_id: str) -> Call[dict[str, Any] | None]:
    return Call(
        "get_job_results",
        get_job_results.sync_detailed,
        get_job_results.asyncio_detailed,
        {"job_id": job_id},
        _result_or_none,
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
        _nothing("replace_job_tags"),
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
