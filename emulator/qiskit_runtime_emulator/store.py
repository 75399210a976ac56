"""Thread-safe in-memory store of sessions and jobs, and their state machines.

Every mutation happens under one re-entrant lock (``Store.lock``); the scheduler (its worker
threads and tick thread) and the HTTP handlers all go through the methods here, so the job and
session state machines live in one place:

* job: ``Queued -> Running -> Completed | Failed | Cancelled`` (cancel while queued: never runs;
  while running: its worker is stopped; past its ``cost``: ``Cancelled`` with reason code 1305
  and top-level status ``Cancelled - Ran too long``);
* session: ``open`` (no job yet) ``-> active`` (a job started) ``-> inactive`` (idle longer than
  ``interactive_ttl``) ``-> closed`` (``max_ttl`` reached, or not accepting jobs and nothing left
  to run, or cancelled).

Every job transition is logged at INFO on ``qiskit_runtime_emulator.jobs`` (one line: job,
status, program, backend, instance, and the reason of a failure or cancellation).
"""

from __future__ import annotations

import logging
import secrets
import string
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .text import log_text

__all__ = [
    "FINAL_STATUSES",
    "PENDING_STATUSES",
    "REASON_RAN_TOO_LONG",
    "JobRecord",
    "SessionRecord",
    "Store",
    "isoformat",
]

QUEUED = "Queued"
RUNNING = "Running"
COMPLETED = "Completed"
FAILED = "Failed"
CANCELLED = "Cancelled"
RAN_TOO_LONG_STATUS = "Cancelled - Ran too long"
REASON_RAN_TOO_LONG = 1305

PENDING_STATUSES = frozenset({QUEUED, RUNNING})
FINAL_STATUSES = frozenset({COMPLETED, FAILED, CANCELLED})

_ID_ALPHABET = string.ascii_lowercase + string.digits
_DEFAULT_SOLUTION = "Check the job's inputs and logs, then submit it again."

job_log = logging.getLogger("qiskit_runtime_emulator.jobs")


def _transition(job: JobRecord, detail: str = "") -> None:
    """One server-log line for a job's new status (INFO)."""
    if job_log.isEnabledFor(logging.INFO):
        job_log.info(
            "job %s %s: %s on %s, instance=%s%s",
            job.id,
            job.top_status,
            job.program_id,
            job.backend,
            job.instance_crn,
            f": {log_text(detail)}" if detail else "",
        )


def isoformat(ts: float | None) -> str | None:
    """Unix seconds -> ``2026-01-01T00:00:00.123Z`` (None stays None)."""
    if ts is None:
        return None
    dt = datetime.fromtimestamp(ts, UTC)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


@dataclass(eq=False)
class JobRecord:
    """A job and everything the service knows about it."""

    id: str
    seq: int
    instance_crn: str
    user_id: str
    program_id: str
    backend: str
    params: dict[str, Any]
    created: float
    cost: int
    session_id: str | None = None
    tags: list[str] = field(default_factory=list)
    log_level: str | None = None
    private: bool = False
    runtime: str | None = None
    calibration_id: str | None = None
    legacy: dict[str, str] | None = None  # hub/group/project when submitted the legacy way
    caller: str | None = None
    prepared: Any = None
    delay_seconds: float = 0.0
    fail_reason: str | None = None
    num_circuits: int | None = None
    num_qubits: list[int] | None = None
    circuit_depths: list[int] | None = None
    # mutable state
    status: str = QUEUED
    top_status: str = QUEUED
    reason: str | None = None
    reason_code: int | None = None
    reason_solution: str | None = None
    running_at: float | None = None
    finished_at: float | None = None
    deadline: float | None = None  # monotonic
    running_mono: float | None = None
    usage_seconds: float = 0.0
    execution_ns: float | None = None
    result: bytes | None = None
    result_read: bool = False
    logs: list[str] = field(default_factory=list)

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATUSES

    def log(self, level: str, message: str, ts: float | None = None) -> None:
        """Add a log line; ``message`` may come from the user: it stays on one line."""
        self.logs.append(f"{isoformat(ts or time.time())} {level:<7} {log_text(message)}")


@dataclass(eq=False)
class SessionRecord:
    """A session (``dedicated``) or batch."""

    id: str
    instance_crn: str
    user_id: str
    backend_name: str | None
    mode: str
    max_ttl: int
    interactive_ttl: int
    created: float
    created_mono: float
    state: str = "open"
    state_reason: str | None = None
    accepting_jobs: bool = True
    activated_at: float | None = None
    activated_mono: float | None = None
    closed_at: float | None = None
    last_job_started: float | None = None
    last_job_completed: float | None = None
    idle_since_mono: float | None = None
    elapsed_time: float = 0.0
    timestamps: list[tuple[str, float]] = field(default_factory=list)
    job_ids: list[str] = field(default_factory=list)

    def start_mono(self) -> float:
        return self.activated_mono if self.activated_mono is not None else self.created_mono

    def active_ttl(self, now_mono: float) -> int:
        if self.state == "closed":
            return 0
        return max(0, int(self.max_ttl - (now_mono - self.start_mono())))


class Store:
    """Jobs and sessions of all instances."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.jobs: dict[str, JobRecord] = {}
        self.sessions: dict[str, SessionRecord] = {}
        self._seq = 0
        self._on_session_close: list[Callable[[SessionRecord], None]] = []
        self.deleted_jobs = 0
        self.consumed: dict[str, float] = {}  # usage seconds per instance CRN

    # ------------------------------------------------------------------ identifiers

    def new_id(self) -> str:
        """A 20-character lowercase alphanumeric id, like IBM's (first character a letter).

        Always random (never seeded): an id must not repeat after a restart, or an old job
        handle would read another job."""
        with self.lock:
            chars = [secrets.choice(_ID_ALPHABET) for _ in range(19)]
            new = secrets.choice(string.ascii_lowercase) + "".join(chars)
            if new in self.jobs or new in self.sessions:
                return self.new_id()
            return new

    def next_seq(self) -> int:
        with self.lock:
            self._seq += 1
            return self._seq

    # ------------------------------------------------------------------ jobs

    def add_job(self, job: JobRecord) -> bool:
        """Record a new job; False (and nothing recorded) if its session accepts no new jobs.

        The session's state is checked here, under the lock, so that a session the tick closes
        while the job's request is handled never gets the job.
        """
        with self.lock:
            session = self.sessions.get(job.session_id) if job.session_id is not None else None
            if session is not None:
                self._settle_session(session, time.time(), time.monotonic())
                if session.state == "closed" or not session.accepting_jobs:
                    return False
                if session.backend_name is None:
                    session.backend_name = job.backend  # a session runs on its first job's
                session.job_ids.append(job.id)
            self.jobs[job.id] = job
            _transition(job)
            return True

    def get_job(self, crn: str, job_id: str) -> JobRecord | None:
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None or job.instance_crn != crn:
                return None
            return job

    def delete_job(self, job: JobRecord) -> None:
        with self.lock:
            if self.jobs.pop(job.id, None) is not None:
                self.deleted_jobs += 1

    def jobs_of(self, crn: str) -> list[JobRecord]:
        with self.lock:
            return [j for j in self.jobs.values() if j.instance_crn == crn]

    def queued_jobs(self) -> int:
        """Jobs waiting for a worker (Queued), on every backend."""
        with self.lock:
            return sum(1 for j in self.jobs.values() if j.status == QUEUED)

    def pending_on_backend(self, backend: str) -> int:
        with self.lock:
            return sum(1 for j in self.jobs.values() if j.backend == backend and j.status == QUEUED)

    def start_job(self, job: JobRecord) -> bool:
        """Queued -> Running; False if the job is no longer queued."""
        now, mono = time.time(), time.monotonic()
        with self.lock:
            if job.status != QUEUED:
                return False
            job.status = job.top_status = RUNNING
            job.running_at = now
            job.running_mono = mono
            if job.cost > 0:
                job.deadline = mono + job.cost
            job.log("INFO", f"Job started on {job.backend}", now)
            _transition(job)
            session = self.sessions.get(job.session_id) if job.session_id else None
            if session is not None:
                session.last_job_started = now
                session.idle_since_mono = None
                if session.state in ("open", "inactive"):
                    if session.activated_at is None:
                        session.activated_at = now
                        session.activated_mono = mono
                    self._set_state(session, "active", "A job started", now)
            return True

    def _finish(
        self,
        job: JobRecord,
        status: str,
        *,
        top_status: str | None = None,
        reason: str | None = None,
        reason_code: int | None = None,
        solution: str | None = None,
    ) -> None:
        now, mono = time.time(), time.monotonic()
        was_running = job.status == RUNNING
        job.status = status
        job.top_status = top_status or status
        job.reason = reason
        job.reason_code = reason_code
        job.reason_solution = solution
        job.finished_at = now
        job.deadline = None
        if was_running and job.running_mono is not None:
            job.usage_seconds = round(mono - job.running_mono, 6)
            self.consumed[job.instance_crn] = (
                self.consumed.get(job.instance_crn, 0.0) + job.usage_seconds
            )
        job.prepared = None  # free memory; the params stay for GET
        session = self.sessions.get(job.session_id) if job.session_id else None
        if session is not None:
            if was_running:
                session.last_job_completed = now
                session.idle_since_mono = mono
                session.elapsed_time = round(session.elapsed_time + job.usage_seconds, 6)
            self._settle_session(session, now, mono)

    def complete_job(self, job: JobRecord, result: bytes, execution_ns: float | None) -> bool:
        with self.lock:
            if job.status != RUNNING:
                return False
            job.result = result
            job.execution_ns = execution_ns
            self._finish(job, COMPLETED)
            job.log("INFO", "Job completed", job.finished_at)
            _transition(job, f"{job.usage_seconds:.3f} s")
            return True

    def fail_job(
        self,
        job: JobRecord,
        reason: str,
        reason_code: int | None,
        solution: str = _DEFAULT_SOLUTION,
    ) -> bool:
        """Queued or Running -> Failed with ``reason``, its code and the ``solution`` to show."""
        with self.lock:
            if job.final:
                return False
            self._finish(job, FAILED, reason=reason, reason_code=reason_code, solution=solution)
            job.log("ERROR", f"Job failed (code {reason_code}): {reason}", job.finished_at)
            if solution != _DEFAULT_SOLUTION:
                job.log("INFO", f"Solution: {solution}", job.finished_at)
            _transition(job, f"code {reason_code}: {reason}")
            return True

    def cancel_job(self, job: JobRecord, reason: str = "Cancelled by the user") -> bool:
        """Cancel a queued or running job; False if it is already final."""
        with self.lock:
            if job.final:
                return False
            self._finish(job, CANCELLED, reason=reason)
            job.log("INFO", f"Job cancelled: {reason}", job.finished_at)
            _transition(job, reason)
            return True

    def time_out_job(self, job: JobRecord) -> bool:
        """A running job exceeded its ``cost``: Cancelled, reason 1305."""
        with self.lock:
            if job.status != RUNNING:
                return False
            self._finish(
                job,
                CANCELLED,
                top_status=RAN_TOO_LONG_STATUS,
                reason=f"The job ran longer than its maximum execution time ({job.cost} s).",
                reason_code=REASON_RAN_TOO_LONG,
                solution="Raise the job's maximum execution time (cost) or split the work.",
            )
            job.log("ERROR", f"Job cancelled: ran longer than {job.cost} s", job.finished_at)
            _transition(job, f"ran longer than {job.cost} s (code {REASON_RAN_TOO_LONG})")
            return True

    def overdue_jobs(self, now_mono: float) -> list[JobRecord]:
        with self.lock:
            return [
                j
                for j in self.jobs.values()
                if j.status == RUNNING and j.deadline is not None and j.deadline <= now_mono
            ]

    # ------------------------------------------------------------------ sessions

    def add_session(self, session: SessionRecord) -> None:
        with self.lock:
            session.timestamps.append(("open", session.created))
            self.sessions[session.id] = session

    def get_session(self, crn: str, session_id: str) -> SessionRecord | None:
        with self.lock:
            session = self.sessions.get(session_id)
            if session is None or session.instance_crn != crn:
                return None
            self._settle_session(session, time.time(), time.monotonic())
            return session

    def sessions_of(self, crn: str) -> list[SessionRecord]:
        """The sessions and batches of an instance (TTLs applied), in no particular order."""
        now, mono = time.time(), time.monotonic()
        with self.lock:
            out = [s for s in self.sessions.values() if s.instance_crn == crn]
            for session in out:
                self._settle_session(session, now, mono)
            return out

    def _set_state(self, session: SessionRecord, state: str, reason: str, now: float) -> None:
        if session.state == state:
            return
        session.state = state
        session.state_reason = reason
        session.timestamps.append((state, now))
        if state == "closed":
            session.closed_at = now
            session.accepting_jobs = False

    def _session_jobs(self, session: SessionRecord, statuses: Iterable[str]) -> list[JobRecord]:
        wanted = set(statuses)
        out = []
        for jid in session.job_ids:
            job = self.jobs.get(jid)
            if job is not None and job.status in wanted:
                out.append(job)
        return out

    def _settle_session(self, session: SessionRecord, now: float, mono: float) -> None:
        """Apply TTLs and pending closes (called under the lock)."""
        if session.state == "closed":
            return
        if mono - session.start_mono() >= session.max_ttl:
            for job in self._session_jobs(session, [QUEUED]):
                self._finish(
                    job,
                    CANCELLED,
                    reason="The session reached its maximum time to live before the job ran.",
                )
                job.log("INFO", "Job cancelled: the session's maximum TTL was reached", now)
                _transition(job, "the session's maximum TTL was reached")
            self._set_state(
                session, "closed", "The maximum time to live (max_ttl) was reached", now
            )
            return
        pending = self._session_jobs(session, PENDING_STATUSES)
        if not session.accepting_jobs:
            if not pending:
                self._set_state(session, "closed", "Closed: not accepting jobs, none left", now)
            return
        if session.state == "active" and not pending:
            if session.idle_since_mono is None:
                session.idle_since_mono = mono
            elif mono - session.idle_since_mono >= session.interactive_ttl:
                self._set_state(
                    session, "inactive", "The interactive time to live elapsed without jobs", now
                )
        elif pending:
            session.idle_since_mono = None

    def settle_sessions(self) -> None:
        now, mono = time.time(), time.monotonic()
        with self.lock:
            for session in self.sessions.values():
                if session.state != "closed":
                    self._settle_session(session, now, mono)

    def stop_accepting(self, session: SessionRecord) -> None:
        """PATCH accepting_jobs=false: queued jobs still run; closes when none is left."""
        now, mono = time.time(), time.monotonic()
        with self.lock:
            session.accepting_jobs = False
            self._settle_session(session, now, mono)

    def resume_accepting(self, session: SessionRecord) -> bool:
        with self.lock:
            if session.state == "closed":
                return False
            session.accepting_jobs = True
            return True

    def cancel_session(self, session: SessionRecord) -> list[JobRecord]:
        """DELETE .../close: no new jobs, queued ones are cancelled, running ones finish."""
        now, mono = time.time(), time.monotonic()
        with self.lock:
            session.accepting_jobs = False
            cancelled = []
            for job in self._session_jobs(session, [QUEUED]):
                self._finish(job, CANCELLED, reason="The session was cancelled")
                job.log("INFO", "Job cancelled: the session was cancelled", now)
                _transition(job, "the session was cancelled")
                cancelled.append(job)
            if session.state != "closed" and not self._session_jobs(session, [RUNNING]):
                self._set_state(session, "closed", "Cancelled by the user", now)
            else:
                self._settle_session(session, now, mono)
            return cancelled

    # ------------------------------------------------------------------ statistics

    def stats(self) -> dict[str, Any]:
        with self.lock:
            by_status: dict[str, int] = {}
            for job in self.jobs.values():
                by_status[job.top_status] = by_status.get(job.top_status, 0) + 1
            sessions_by_state: dict[str, int] = {}
            for s in self.sessions.values():
                sessions_by_state[s.state] = sessions_by_state.get(s.state, 0) + 1
            return {
                "jobs": len(self.jobs),
                "jobs_by_status": by_status,
                "jobs_deleted": self.deleted_jobs,
                "sessions": len(self.sessions),
                "open_sessions": sum(1 for s in self.sessions.values() if s.state != "closed"),
                "sessions_by_state": sessions_by_state,
            }
