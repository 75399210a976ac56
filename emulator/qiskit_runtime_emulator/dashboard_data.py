"""Every read the dashboard makes of the store, in one place, as plain immutable views.

The dashboard (:mod:`.dashboard`) never touches a :class:`~.store.JobRecord` or
:class:`~.store.SessionRecord` itself: the functions here read them through the store's public
query methods (``query_jobs``, ``get_job``, ``sessions_of``), copy what a page shows while the
store's lock is held, and hand back frozen views. A store with another backing (a database) only
has to keep these functions' answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from .store import PENDING_STATUSES, JobRecord, SessionRecord, Store, isoformat

__all__ = [
    "JobDetail",
    "JobRow",
    "SessionRow",
    "instance_jobs",
    "instance_sessions",
    "job_detail",
    "job_statuses",
]


@attrs.frozen
class JobRow:
    """One line of a job list."""

    id: str
    status: str
    program: str
    backend: str
    created: str
    session_id: str | None
    tags: tuple[str, ...]
    pending: bool


@attrs.frozen
class SessionRow:
    """One line of a session list."""

    id: str
    mode: str
    state: str
    backend: str | None
    started: str
    closed: str | None
    accepting_jobs: bool
    jobs: int
    elapsed_seconds: float


@attrs.frozen
class JobDetail:
    """What the job page shows: the job, its logs and metrics, and its result document.

    ``params`` and ``result`` are None for a private job (the service shows neither).
    """

    row: JobRow
    instance_crn: str
    reason: str | None
    reason_code: int | None
    reason_solution: str | None
    cost: int
    private: bool
    params: Any
    result: bytes | None
    logs: tuple[str, ...]
    metrics: dict[str, Any]


def _row(job: JobRecord) -> JobRow:
    return JobRow(
        id=job.id,
        status=job.top_status,
        program=job.program_id,
        backend=job.backend,
        created=isoformat(job.created) or "",
        session_id=job.session_id,
        tags=tuple(job.tags),
        pending=job.status in PENDING_STATUSES,
    )


def instance_jobs(store: Store, crn: str, limit: int) -> tuple[list[JobRow], int]:
    """The newest ``limit`` jobs of an instance, newest first, and how many it has."""
    jobs, total = store.query_jobs(crn, limit=limit)  # newest first, one page from the store
    with store.lock:
        return [_row(j) for j in jobs], total


def _session_row(session: SessionRecord) -> SessionRow:
    return SessionRow(
        id=session.id,
        mode=session.mode,
        state=session.state,
        backend=session.backend_name,
        started=isoformat(session.created) or "",
        closed=isoformat(session.closed_at),
        accepting_jobs=session.accepting_jobs,
        jobs=len(session.job_ids),
        elapsed_seconds=session.elapsed_time,
    )


def instance_sessions(store: Store, crn: str, limit: int) -> list[SessionRow]:
    """The newest ``limit`` sessions and batches of an instance, newest first."""
    sessions, _ = store.sessions_of(crn, limit=limit)  # newest first
    with store.lock:
        return [_session_row(s) for s in sessions]


def _find(
    store: Store, crns: Iterable[str], job_id: str, *, with_params: bool = True
) -> JobRecord | None:
    for crn in crns:
        job = store.get_job(crn, job_id, with_params=with_params)
        if job is not None:
            return job
    return None


def job_statuses(store: Store, crns: Iterable[str], job_ids: Iterable[str]) -> dict[str, str]:
    """The status of each of ``job_ids`` that one of ``crns`` owns (others are left out)."""
    out: dict[str, str] = {}
    crns = list(crns)
    with store.lock:
        for job_id in job_ids:
            # a status, polled every 2 s: a durable store need not read the params from disk
            job = _find(store, crns, job_id, with_params=False)
            if job is not None:
                out[job.id] = job.top_status
    return out


def _metrics(job: JobRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "created": isoformat(job.created),
        "running": isoformat(job.running_at),
        "finished": isoformat(job.finished_at),
        "usage_seconds": job.usage_seconds,
        "queued_seconds": (
            round(job.running_at - job.created, 3) if job.running_at is not None else None
        ),
    }
    if job.execution_ns is not None:
        out["execution_seconds"] = round(job.execution_ns / 1e9, 6)
    if job.num_circuits is not None:
        out["num_circuits"] = job.num_circuits
    if job.num_qubits is not None:
        out["num_qubits"] = list(job.num_qubits)
    if job.circuit_depths is not None:
        out["circuit_depths"] = list(job.circuit_depths)
    if job.caller:
        out["caller"] = job.caller
    return out


def job_detail(store: Store, crns: Iterable[str], job_id: str) -> JobDetail | None:
    """The job ``job_id`` if one of ``crns`` owns it, else None."""
    crns = list(crns)
    with store.lock:
        job = _find(store, crns, job_id)
        if job is None:
            return None
        detail = JobDetail(
            row=_row(job),
            instance_crn=job.instance_crn,
            reason=job.reason,
            reason_code=job.reason_code,
            reason_solution=job.reason_solution,
            cost=job.cost,
            private=job.private,
            params=None if job.private else job.params,
            result=None,
            logs=tuple(store.job_logs(job)),
            metrics=_metrics(job),
        )
    if job.private:
        return detail
    # Outside the store's lock: a durable store reads a large result from disk meanwhile, and
    # the API's requests must not wait for it. A look, not the user's one read of the result.
    return attrs.evolve(detail, result=store.job_result(job, consume=False))
