"""Thread-safe store of sessions and jobs (in memory, or durable in SQLite), and their state
machines.

Every mutation happens under one re-entrant lock (``Store.lock``); the scheduler (its worker
threads and tick thread) and the HTTP handlers all go through the methods here, so the job and
session state machines live in one place:

* job: ``Queued -> Running -> Completed | Failed | Cancelled`` (cancel while queued: never runs;
  while running: its worker is stopped; past its ``cost``: ``Cancelled`` with reason code 1305
  and top-level status ``Cancelled - Ran too long``);
* session: ``open`` (no job yet) ``-> active`` (a job started) ``-> inactive`` (idle longer than
  ``interactive_ttl``) ``-> closed`` (``max_ttl`` reached, or not accepting jobs and nothing left
  to run, or cancelled).

Durable (a data directory), every change is committed to disk before the method that made it
returns (:mod:`.database`; a job's start excepted, see :meth:`Store.start_job`); the timers
(cost deadlines, session TTLs) live in heaps of the live jobs and sessions (:mod:`.timers`), in
both modes.

Every job transition is logged at INFO on ``qiskit_runtime_emulator.jobs`` (one line: job,
status, program, backend, instance, and the reason of a failure or cancellation).
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import string
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .database import Database
from .text import log_text
from .timers import DeadlineHeap

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
_ID_SPACE = 26 * len(_ID_ALPHABET) ** 19


def _random_id() -> str:
    """20 characters: a letter, then 19 letters or digits, from one draw of the system's
    random source (a draw per character cost ~15% of the API's time per small job)."""
    n = secrets.randbelow(_ID_SPACE)
    chars = []
    for _ in range(19):
        n, digit = divmod(n, len(_ID_ALPHABET))
        chars.append(_ID_ALPHABET[digit])
    return string.ascii_lowercase[n] + "".join(chars)


_DEFAULT_SOLUTION = "Check the job's inputs and logs, then submit it again."
# Durable: larger results are written before the job's status, outside the store's lock.
_INLINE_RESULT_BYTES = 65536

job_log = logging.getLogger("qiskit_runtime_emulator.jobs")
store_log = logging.getLogger("qiskit_runtime_emulator.store")


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
    result: bytes | None = None  # in memory only; durable: on disk (Store.job_result)
    result_read: bool = False
    result_size: int | None = None
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
    """Jobs and sessions of all instances, in memory, or durable under ``data_dir``.

    In memory (``data_dir`` None), :attr:`jobs` and :attr:`sessions` hold every job and session.
    Durable, every change is committed to the SQLite database of ``data_dir``
    (:mod:`.database`) before the method that made it returns (but a job's start, written with
    the next change: see :meth:`start_job`), and only the live records stay in
    memory: :attr:`jobs` holds the Queued and Running jobs, :attr:`sessions` the sessions not
    closed; the others (and every result) are read from disk when asked for. Either way, read
    through the query methods (:meth:`get_job`, :meth:`query_jobs`, :meth:`get_session`,
    :meth:`sessions_of`, :meth:`job_logs`, :meth:`job_result`), which work in both modes.

    Retention: ``max_jobs`` and ``max_age`` (seconds since a job was created) bound the jobs kept;
    :meth:`apply_retention` (the scheduler's tick calls it) deletes the oldest final jobs beyond
    them and logs what it deleted. Live jobs are never deleted.

    Raises :class:`~.database.StoreError` if ``data_dir`` is in use by another server or holds a
    database of a newer schema.
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        max_jobs: int | None = None,
        max_age: float | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self.jobs: dict[str, JobRecord] = {}
        self.sessions: dict[str, SessionRecord] = {}
        self.max_jobs = max_jobs
        self.max_age = max_age
        self._seq = 0
        self._on_session_close: list[Callable[[SessionRecord], None]] = []
        self.on_job_final: list[Callable[[JobRecord], None]] = []
        """Called (under the lock) when a job reaches a final status."""
        self.deleted_jobs = 0
        self.consumed: dict[str, float] = {}  # usage seconds per instance CRN
        self._job_count = 0
        self._status_counts: dict[str, int] = {}  # top-level status -> jobs
        self._session_counts: dict[str, int] = {}  # state -> sessions
        self._queued: dict[str, int] = {}  # backend -> Queued jobs
        self._live_by_session: dict[str, dict[str, JobRecord]] = {}
        self._deadlines = DeadlineHeap()  # running jobs' cost deadlines (monotonic)
        self._wakeups = DeadlineHeap()  # sessions' next TTL event (monotonic)
        self._dirty_jobs: dict[str, tuple[JobRecord, bool]] = {}  # id -> (job, new)
        self._dirty_sessions: dict[str, SessionRecord] = {}
        self._dirty_usage: set[str] = set()
        self._dirty_results: dict[int, bytes] = {}  # job seq -> a small result to write
        self.recovered: list[JobRecord] = []
        """Durable: the live jobs found when the store opened, in submission order, all Queued
        (a job that was Running when the server stopped runs again: see :meth:`_load`); the
        server prepares them again and queues them."""
        self._db: Database | None = None
        if data_dir is not None:
            self._db = Database(data_dir)
            try:
                self._load()
            except BaseException:
                self._db.close()
                raise

    @property
    def durable(self) -> bool:
        return self._db is not None

    @property
    def data_dir(self) -> Path | None:
        return self._db.data_dir if self._db is not None else None

    def close(self) -> None:
        """Write what is still pending (a job's start) and close the database (durable); the
        store is not used afterwards."""
        with self.lock:
            if self._db is not None and not self._db.closed:
                try:
                    self._flush()
                finally:
                    self._db.close()

    # ------------------------------------------------------------------ identifiers

    def new_id(self) -> str:
        """A 20-character lowercase alphanumeric id, like IBM's (first character a letter).

        Always random (never seeded): an id must not repeat after a restart, or an old job
        handle would read another job."""
        with self.lock:
            new = _random_id()
            if new in self.jobs or new in self.sessions:
                return self.new_id()
            return new

    def next_seq(self) -> int:
        with self.lock:
            self._seq += 1
            return self._seq

    # ------------------------------------------------------------------ bookkeeping

    def _count(self, counts: dict[str, int], key: str, delta: int) -> None:
        value = counts.get(key, 0) + delta
        if value:
            counts[key] = value
        else:
            counts.pop(key, None)

    def _set_status(self, job: JobRecord, status: str, top_status: str) -> None:
        if job.status == QUEUED:
            self._count(self._queued, job.backend, -1)
        self._count(self._status_counts, job.top_status, -1)
        job.status, job.top_status = status, top_status
        self._count(self._status_counts, top_status, 1)
        if status == QUEUED:
            self._count(self._queued, job.backend, 1)

    def _track(self, job: JobRecord) -> None:
        """Count a job that is new to this store (added, or loaded live)."""
        self._job_count += 1
        self._count(self._status_counts, job.top_status, 1)
        if job.status == QUEUED:
            self._count(self._queued, job.backend, 1)
        if job.session_id is not None and not job.final:
            self._live_by_session.setdefault(job.session_id, {})[job.id] = job

    def _touch(self, job: JobRecord, new: bool = False) -> None:
        if self._db is not None:
            was = self._dirty_jobs.get(job.id)
            self._dirty_jobs[job.id] = (job, new or (was is not None and was[1]))

    def _touch_session(self, session: SessionRecord) -> None:
        if self._db is not None:
            self._dirty_sessions[session.id] = session

    def _flush(self) -> None:
        """Durable: commit what changed (under the lock), and let final records leave memory."""
        db = self._db
        if db is None or not (self._dirty_jobs or self._dirty_sessions or self._dirty_usage):
            return
        results, self._dirty_results = self._dirty_results, {}
        jobs, self._dirty_jobs = self._dirty_jobs, {}
        sessions, self._dirty_sessions = self._dirty_sessions, {}
        usage, self._dirty_usage = self._dirty_usage, set()
        wall, mono = time.time(), time.monotonic()
        with db.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO results (job_seq, data) VALUES (?, ?)", results.items()
            )
            for job, new in jobs.values():
                doc = _dumps(_job_doc(job))
                if new:
                    conn.execute(
                        "INSERT INTO jobs (seq, id, instance_crn, program_id, backend, status, "
                        "top_status, final, session_id, created, params, doc) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            job.seq,
                            job.id,
                            job.instance_crn,
                            job.program_id,
                            job.backend,
                            job.status,
                            job.top_status,
                            int(job.final),
                            job.session_id,
                            job.created,
                            _dumps(job.params),
                            doc,
                        ),
                    )
                    conn.executemany(
                        "INSERT OR IGNORE INTO job_tags (tag, job_seq) VALUES (?, ?)",
                        [(tag, job.seq) for tag in job.tags],
                    )
                else:
                    conn.execute(
                        "UPDATE jobs SET status = ?, top_status = ?, final = ?, doc = ? "
                        "WHERE seq = ?",
                        (job.status, job.top_status, int(job.final), doc, job.seq),
                    )
            for s in sessions.values():
                conn.execute(
                    "INSERT OR REPLACE INTO sessions (id, instance_crn, state, created, doc) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (s.id, s.instance_crn, s.state, s.created, _dumps(_session_doc(s, wall, mono))),
                )
            for crn in usage:
                conn.execute(
                    "INSERT OR REPLACE INTO usage (instance_crn, seconds) VALUES (?, ?)",
                    (crn, self.consumed.get(crn, 0.0)),
                )
        for job, _ in jobs.values():
            if job.final:
                self.jobs.pop(job.id, None)
        for s in sessions.values():
            if s.state == "closed":
                self.sessions.pop(s.id, None)

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
                    self._flush()
                    return False
                if session.backend_name is None:
                    session.backend_name = job.backend  # a session runs on its first job's
                    self._touch_session(session)
                session.job_ids.append(job.id)
            elif job.session_id is not None and self._db is not None:
                self._flush()
                return False  # closed meanwhile (a closed session leaves memory)
            self.jobs[job.id] = job
            self._track(job)
            self._touch(job, new=True)
            if job.final:
                self._job_final(job)
            self._flush()
            _transition(job)
            return True

    def get_job(self, crn: str, job_id: str, *, with_params: bool = True) -> JobRecord | None:
        """The job ``job_id`` of instance ``crn`` (None if there is none). Durable, a final job
        is read from disk, with its params only if ``with_params`` (else ``params`` is empty)."""
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None and self._db is not None:
                job = self._select_job("id = ?", (job_id,), with_params)
            if job is None or job.instance_crn != crn:
                return None
            return job

    def delete_job(self, job: JobRecord) -> None:
        with self.lock:
            if self._db is None:
                if self.jobs.pop(job.id, None) is None:
                    return
                self._forget(job)
                return
            with self._db.transaction() as conn:
                gone = conn.execute("DELETE FROM jobs WHERE seq = ?", (job.seq,)).rowcount
                if not gone:
                    return
                conn.execute("DELETE FROM job_tags WHERE job_seq = ?", (job.seq,))
                conn.execute("DELETE FROM results WHERE job_seq = ?", (job.seq,))
                self.deleted_jobs += 1
                conn.execute(
                    "INSERT OR REPLACE INTO counters (name, value) VALUES ('deleted_jobs', ?)",
                    (self.deleted_jobs,),
                )
            self.jobs.pop(job.id, None)
            self._forget(job, counted=True)

    def _forget(self, job: JobRecord, counted: bool = False) -> None:
        """A deleted job leaves the counts."""
        if not counted:
            self.deleted_jobs += 1
        self._job_count -= 1
        self._count(self._status_counts, job.top_status, -1)
        if job.status == QUEUED:
            self._count(self._queued, job.backend, -1)

    def query_jobs(
        self,
        crn: str,
        *,
        pending: bool | None = None,
        program: str | None = None,
        backend: str | None = None,
        session_id: str | None = None,
        created_after: float | None = None,
        created_before: float | None = None,
        tags: Sequence[str] = (),
        descending: bool = True,
        limit: int | None = 200,
        offset: int = 0,
        with_params: bool = False,
    ) -> tuple[list[JobRecord], int]:
        """One page of the jobs of instance ``crn`` that match every filter given, newest first
        (``descending``), and how many match in all.

        ``pending`` True: Queued or Running; False: final. ``tags``: jobs that have all of them.
        Durable, the records of the page carry their params only if ``with_params`` (else
        ``params`` is empty)."""
        if self._db is None:
            with self.lock:
                jobs = [j for j in self.jobs.values() if j.instance_crn == crn]
            if pending is not None:
                jobs = [j for j in jobs if (j.status in PENDING_STATUSES) == pending]
            if program is not None:
                jobs = [j for j in jobs if j.program_id == program]
            if backend is not None:
                jobs = [j for j in jobs if j.backend == backend]
            if session_id is not None:
                jobs = [j for j in jobs if j.session_id == session_id]
            if created_after is not None:
                jobs = [j for j in jobs if j.created >= created_after]
            if created_before is not None:
                jobs = [j for j in jobs if j.created <= created_before]
            if tags:
                wanted_tags = set(tags)
                jobs = [j for j in jobs if wanted_tags.issubset(j.tags)]
            jobs.sort(key=lambda j: j.seq, reverse=descending)
            end = None if limit is None else offset + limit
            return jobs[offset:end], len(jobs)
        where = ["instance_crn = ?"]
        args: list[Any] = [crn]
        if pending is not None:
            where.append("final = ?")
            args.append(0 if pending else 1)
        for column, value in (
            ("program_id", program),
            ("backend", backend),
            ("session_id", session_id),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        if created_after is not None:
            where.append("created >= ?")
            args.append(created_after)
        if created_before is not None:
            where.append("created <= ?")
            args.append(created_before)
        for tag in dict.fromkeys(tags):
            where.append("seq IN (SELECT job_seq FROM job_tags WHERE tag = ?)")
            args.append(tag)
        clause = " AND ".join(where)
        conn = self._db.conn
        count = int(conn.execute(f"SELECT count(*) FROM jobs WHERE {clause}", args).fetchone()[0])
        order = "DESC" if descending else "ASC"
        page = f"LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
        columns = _JOB_COLUMNS if with_params else _JOB_COLUMNS_NO_PARAMS
        rows = conn.execute(
            f"SELECT {columns} FROM jobs WHERE {clause} ORDER BY seq {order} {page}", args
        ).fetchall()
        with self.lock:  # a live job's record in memory is the current one
            out = [self.jobs.get(row[1]) or _job_from_row(row) for row in rows]
        return out, count

    def _select_job(
        self, clause: str, args: tuple[Any, ...], with_params: bool = True
    ) -> JobRecord | None:
        assert self._db is not None
        columns = _JOB_COLUMNS if with_params else _JOB_COLUMNS_NO_PARAMS
        row = self._db.conn.execute(f"SELECT {columns} FROM jobs WHERE {clause}", args).fetchone()
        return None if row is None else _job_from_row(row)

    def queued_jobs(self) -> int:
        """Jobs waiting for a worker (Queued), on every backend."""
        with self.lock:
            return sum(self._queued.values())

    def pending_on_backend(self, backend: str) -> int:
        """Jobs waiting for a worker (Queued) on ``backend``."""
        with self.lock:
            return self._queued.get(backend, 0)

    def job_logs(self, job: JobRecord) -> list[str]:
        """The job's log lines."""
        with self.lock:
            return list(job.logs)

    def job_result(self, job: JobRecord, *, consume: bool = True) -> bytes | None:
        """The result document (JSON bytes) of a completed job; None if it has none (yet).

        A private job's result can be read once through the API: it is deleted by the first
        read, unless ``consume`` is false (a look that is not the user's read)."""
        with self.lock:
            if job.result_read or job.status != COMPLETED:
                return None
            if self._db is None:
                result = job.result
                if job.private and consume:
                    job.result_read = True
                    job.result = None
                return result
        # Read outside the lock: a large result must not hold up the other requests.
        row = self._db.conn.execute(
            "SELECT data FROM results WHERE job_seq = ?", (job.seq,)
        ).fetchone()
        if row is None:
            return None
        if job.private and consume:
            with self.lock:
                if job.result_read:
                    return None
                job.result_read = True
                with self._db.transaction() as conn:
                    conn.execute("DELETE FROM results WHERE job_seq = ?", (job.seq,))
                    conn.execute(
                        "UPDATE jobs SET doc = ? WHERE seq = ?", (_dumps(_job_doc(job)), job.seq)
                    )
        return bytes(row[0])

    def set_tags(self, job: JobRecord, tags: Sequence[str]) -> None:
        """Replace the job's tags."""
        with self.lock:
            job.tags = list(tags)
            if self._db is None:
                return
            with self._db.transaction() as conn:
                conn.execute("DELETE FROM job_tags WHERE job_seq = ?", (job.seq,))
                conn.executemany(
                    "INSERT OR IGNORE INTO job_tags (tag, job_seq) VALUES (?, ?)",
                    [(tag, job.seq) for tag in job.tags],
                )
                conn.execute(
                    "UPDATE jobs SET doc = ? WHERE seq = ?", (_dumps(_job_doc(job)), job.seq)
                )

    def start_job(self, job: JobRecord) -> bool:
        """Queued -> Running; False if the job is no longer queued."""
        now, mono = time.time(), time.monotonic()
        with self.lock:
            if job.status != QUEUED:
                return False
            self._set_status(job, RUNNING, RUNNING)
            job.running_at = now
            job.running_mono = mono
            if job.cost > 0:
                job.deadline = mono + job.cost
                self._deadlines.schedule(job.id, job.deadline)
            job.log("INFO", f"Job started on {job.backend}", now)
            # Durable: a job's start is written with the store's next change, not on its own (a
            # job found Running after a crash runs again anyway), unless its session changes
            # state: a session's activation time starts its max TTL clock.
            self._touch(job)
            session = self.sessions.get(job.session_id) if job.session_id else None
            if session is not None:
                session.last_job_started = now
                session.idle_since_mono = None
                if session.state in ("open", "inactive"):
                    if session.activated_at is None:
                        session.activated_at = now
                        session.activated_mono = mono
                    self._set_state(session, "active", "A job started", now)
                    self._flush()
                self._touch_session(session)
                self._schedule_session(session)
            _transition(job)
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
        self._set_status(job, status, top_status or status)
        job.reason = reason
        job.reason_code = reason_code
        job.reason_solution = solution
        job.finished_at = now
        job.deadline = None
        self._deadlines.cancel(job.id)
        if was_running and job.running_mono is not None:
            job.usage_seconds = round(mono - job.running_mono, 6)
            self.consumed[job.instance_crn] = (
                self.consumed.get(job.instance_crn, 0.0) + job.usage_seconds
            )
            self._dirty_usage.add(job.instance_crn)
        job.prepared = None  # free memory; the params stay for GET
        self._touch(job)
        self._job_final(job)
        session = self.sessions.get(job.session_id) if job.session_id else None
        if session is not None:
            if was_running:
                session.last_job_completed = now
                session.idle_since_mono = mono
                session.elapsed_time = round(session.elapsed_time + job.usage_seconds, 6)
                self._touch_session(session)
            self._settle_session(session, now, mono)

    def _job_final(self, job: JobRecord) -> None:
        if job.session_id is not None:
            live = self._live_by_session.get(job.session_id)
            if live is not None:
                live.pop(job.id, None)
                if not live:
                    del self._live_by_session[job.session_id]
        for listener in self.on_job_final:
            try:
                listener(job)
            except Exception:  # pragma: no cover - a listener must not break the store
                store_log.exception("job listener failed")

    def complete_job(self, job: JobRecord, result: bytes, execution_ns: float | None) -> bool:
        db = self._db
        large = db is not None and len(result) > _INLINE_RESULT_BYTES
        if large:
            # The result first, outside the store's lock (a large one takes a while to write);
            # the job is Completed only once it is on disk.
            assert db is not None
            with db.transaction() as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO results (job_seq, data) VALUES (?, ?)",
                    (job.seq, result),
                )
        with self.lock:
            if job.status != RUNNING:
                if large:
                    assert db is not None
                    with db.transaction() as conn:
                        conn.execute("DELETE FROM results WHERE job_seq = ?", (job.seq,))
                return False
            if db is None:
                job.result = result
            elif not large:  # written with the job's new status, in one transaction
                self._dirty_results[job.seq] = result
            job.result_size = len(result)
            job.execution_ns = execution_ns
            self._finish(job, COMPLETED)
            job.log("INFO", "Job completed", job.finished_at)
            self._flush()
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
            self._flush()
            _transition(job, f"code {reason_code}: {reason}")
            return True

    def cancel_job(self, job: JobRecord, reason: str = "Cancelled by the user") -> bool:
        """Cancel a queued or running job; False if it is already final."""
        with self.lock:
            if job.final:
                return False
            self._finish(job, CANCELLED, reason=reason)
            job.log("INFO", f"Job cancelled: {reason}", job.finished_at)
            self._flush()
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
            self._flush()
            _transition(job, f"ran longer than {job.cost} s (code {REASON_RAN_TOO_LONG})")
            return True

    def overdue_jobs(self, now_mono: float) -> list[JobRecord]:
        """Running jobs past their cost deadline (each returned once; from the timer heap)."""
        with self.lock:
            out = []
            for job_id in self._deadlines.pop_due(now_mono):
                job = self.jobs.get(job_id)
                if job is not None and job.status == RUNNING:
                    out.append(job)
            return out

    # ------------------------------------------------------------------ sessions

    def add_session(self, session: SessionRecord) -> None:
        with self.lock:
            session.timestamps.append(("open", session.created))
            self.sessions[session.id] = session
            self._count(self._session_counts, session.state, 1)
            self._touch_session(session)
            self._schedule_session(session)
            self._flush()

    def get_session(self, crn: str, session_id: str) -> SessionRecord | None:
        with self.lock:
            session = self.sessions.get(session_id)
            if session is None and self._db is not None:
                session = self._select_session("id = ?", (session_id,))
            if session is None or session.instance_crn != crn:
                return None
            if session.id in self.sessions:
                self._settle_session(session, time.time(), time.monotonic())
                self._flush()
            return session

    def sessions_of(
        self, crn: str, *, limit: int | None = 200, offset: int = 0
    ) -> tuple[list[SessionRecord], int]:
        """One page of the sessions of instance ``crn``, newest first, and how many in all."""
        if self._db is None:
            with self.lock:
                found = [s for s in self.sessions.values() if s.instance_crn == crn]
            found.sort(key=lambda s: s.created, reverse=True)
            end = None if limit is None else offset + limit
            return found[offset:end], len(found)
        conn = self._db.conn
        count = int(
            conn.execute("SELECT count(*) FROM sessions WHERE instance_crn = ?", (crn,)).fetchone()[
                0
            ]
        )
        page = f"LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
        ids = [
            row[0]
            for row in conn.execute(
                f"SELECT id FROM sessions WHERE instance_crn = ? ORDER BY created DESC {page}",
                (crn,),
            )
        ]
        out = []
        with self.lock:
            for sid in ids:
                session = self.sessions.get(sid) or self._select_session("id = ?", (sid,))
                if session is not None:
                    out.append(session)
        return out, count

    def _select_session(self, clause: str, args: tuple[Any, ...]) -> SessionRecord | None:
        assert self._db is not None
        conn = self._db.conn
        row = conn.execute(
            f"SELECT id, instance_crn, state, created, doc FROM sessions WHERE {clause}", args
        ).fetchone()
        if row is None:
            return None
        session = _session_from_row(row, time.time(), time.monotonic())
        session.job_ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM jobs WHERE session_id = ? ORDER BY seq", (session.id,)
            )
        ]
        return session

    def _set_state(self, session: SessionRecord, state: str, reason: str, now: float) -> None:
        if session.state == state:
            return
        self._count(self._session_counts, session.state, -1)
        self._count(self._session_counts, state, 1)
        session.state = state
        session.state_reason = reason
        session.timestamps.append((state, now))
        if state == "closed":
            session.closed_at = now
            session.accepting_jobs = False
            self._wakeups.cancel(session.id)
        self._touch_session(session)

    def _session_jobs(self, session: SessionRecord, statuses: Iterable[str]) -> list[JobRecord]:
        """The session's live jobs whose status is one of ``statuses`` (Queued or Running)."""
        wanted = set(statuses)
        live = self._live_by_session.get(session.id)
        if not live:
            return []
        return [job for job in live.values() if job.status in wanted]

    def _settle_session(self, session: SessionRecord, now: float, mono: float) -> None:
        """Apply TTLs and pending closes (called under the lock), and set the next wake-up."""
        self._apply_ttls(session, now, mono)
        self._schedule_session(session)

    def _apply_ttls(self, session: SessionRecord, now: float, mono: float) -> None:
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
                self._touch_session(session)
            elif mono - session.idle_since_mono >= session.interactive_ttl:
                self._set_state(
                    session, "inactive", "The interactive time to live elapsed without jobs", now
                )
        elif pending and session.idle_since_mono is not None:
            session.idle_since_mono = None
            self._touch_session(session)

    def _schedule_session(self, session: SessionRecord) -> None:
        """The session's next TTL event in the timer heap: its max TTL, or its interactive TTL
        once it is active and idle."""
        if session.state == "closed" or session.id not in self.sessions:
            self._wakeups.cancel(session.id)
            return
        when = session.start_mono() + session.max_ttl
        if session.state == "active" and session.idle_since_mono is not None:
            when = min(when, session.idle_since_mono + session.interactive_ttl)
        self._wakeups.schedule(session.id, when)

    def settle_sessions(self) -> None:
        """Apply the TTLs that are due (from the timer heap: nothing per idle session)."""
        now, mono = time.time(), time.monotonic()
        with self.lock:
            for session_id in self._wakeups.pop_due(mono):
                session = self.sessions.get(session_id)
                if session is not None:
                    self._settle_session(session, now, mono)
            self._flush()

    def stop_accepting(self, session: SessionRecord) -> None:
        """PATCH accepting_jobs=false: queued jobs still run; closes when none is left."""
        now, mono = time.time(), time.monotonic()
        with self.lock:
            if session.accepting_jobs:
                session.accepting_jobs = False
                self._touch_session(session)
            self._settle_session(session, now, mono)
            self._flush()

    def resume_accepting(self, session: SessionRecord) -> bool:
        with self.lock:
            if session.state == "closed":
                return False
            session.accepting_jobs = True
            self._touch_session(session)
            self._flush()
            return True

    def cancel_session(self, session: SessionRecord) -> list[JobRecord]:
        """DELETE .../close: no new jobs, queued ones are cancelled, running ones finish."""
        now, mono = time.time(), time.monotonic()
        with self.lock:
            session.accepting_jobs = False
            self._touch_session(session)
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
            self._flush()
            return cancelled

    # ------------------------------------------------------------------ retention

    def maintain(self) -> None:
        """Once a second (the scheduler's tick): the retention policy, and, durable, a
        checkpoint of the database's write-ahead log (outside the lock: writers go on)."""
        self.apply_retention()
        db = self._db
        if db is not None and not db.closed:
            db.checkpoint()

    def apply_retention(self, now: float | None = None) -> list[str]:
        """Delete the oldest final jobs beyond ``max_jobs`` and those created more than
        ``max_age`` seconds ago; returns their ids (and logs what it deleted, at INFO)."""
        if self.max_jobs is None and self.max_age is None:
            return []
        now = time.time() if now is None else now
        cutoff = None if self.max_age is None else now - self.max_age
        deleted: list[JobRecord] = []
        with self.lock:
            excess = 0 if self.max_jobs is None else max(0, self._job_count - self.max_jobs)
            if self._db is None:
                for job in self.jobs.values():  # in submission order
                    if not (excess > 0 or (cutoff is not None and job.created < cutoff)):
                        break
                    if job.final:
                        deleted.append(job)
                        excess -= 1
                for job in deleted:
                    del self.jobs[job.id]
                    self._forget(job)
            else:
                deleted = self._delete_final(excess, cutoff)
        if deleted:
            why = ", ".join(
                f"{name}={value}"
                for name, value in (("max_jobs", self.max_jobs), ("max_age", self.max_age))
                if value is not None
            )
            store_log.info(
                "retention (%s): deleted %d final job(s), created %s to %s: %s%s",
                why,
                len(deleted),
                isoformat(deleted[0].created),
                isoformat(deleted[-1].created),
                ", ".join(j.id for j in deleted[:20]),
                f" and {len(deleted) - 20} more" if len(deleted) > 20 else "",
            )
        return [j.id for j in deleted]

    def _delete_final(self, excess: int, cutoff: float | None) -> list[JobRecord]:
        """Durable retention, in batches (each its own transaction; called under the lock)."""
        assert self._db is not None
        out: list[JobRecord] = []
        conn = self._db.conn
        if excess <= 0:
            if cutoff is None:
                return out
            row = conn.execute(
                "SELECT created FROM jobs WHERE final = 1 ORDER BY seq LIMIT 1"
            ).fetchone()
            if row is None or row[0] >= cutoff:
                return out
        while True:
            rows = conn.execute(
                "SELECT seq, id, top_status, status, created, backend, instance_crn "
                "FROM jobs WHERE final = 1 ORDER BY seq LIMIT 1000"
            ).fetchall()
            batch = []
            for row in rows:
                if not (excess > 0 or (cutoff is not None and row[4] < cutoff)):
                    break
                batch.append(row)
                excess -= 1
            if not batch:
                return out
            seqs = [(row[0],) for row in batch]
            with self._db.transaction() as conn:
                conn.executemany("DELETE FROM jobs WHERE seq = ?", seqs)
                conn.executemany("DELETE FROM job_tags WHERE job_seq = ?", seqs)
                conn.executemany("DELETE FROM results WHERE job_seq = ?", seqs)
                self.deleted_jobs += len(batch)
                conn.execute(
                    "INSERT OR REPLACE INTO counters (name, value) VALUES ('deleted_jobs', ?)",
                    (self.deleted_jobs,),
                )
            for seq, job_id, top_status, status, created, backend, crn in batch:
                self._job_count -= 1
                self._count(self._status_counts, top_status, -1)
                out.append(
                    JobRecord(
                        id=job_id,
                        seq=seq,
                        instance_crn=crn,
                        user_id="",
                        program_id="",
                        backend=backend,
                        params={},
                        created=created,
                        cost=0,
                        status=status,
                        top_status=top_status,
                    )
                )
            if len(batch) < len(rows):
                return out

    # ------------------------------------------------------------------ loading

    def _load(self) -> None:
        """Durable: read the counts, the open sessions and the live jobs; re-queue the jobs
        that were Running when the server stopped (they run again from the start)."""
        assert self._db is not None
        conn = self._db.conn
        wall, mono = time.time(), time.monotonic()
        self._seq = int(conn.execute("SELECT coalesce(max(seq), 0) FROM jobs").fetchone()[0])
        self.consumed = {crn: float(s) for crn, s in conn.execute("SELECT * FROM usage")}
        row = conn.execute("SELECT value FROM counters WHERE name = 'deleted_jobs'").fetchone()
        self.deleted_jobs = int(row[0]) if row else 0
        for status, n in conn.execute("SELECT top_status, count(*) FROM jobs GROUP BY 1"):
            self._status_counts[status] = int(n)
            self._job_count += int(n)
        for state, n in conn.execute("SELECT state, count(*) FROM sessions GROUP BY 1"):
            self._session_counts[state] = int(n)
        for row in conn.execute(
            "SELECT id, instance_crn, state, created, doc FROM sessions WHERE state != 'closed'"
        ):
            session = _session_from_row(row, wall, mono)
            session.job_ids = [
                r[0]
                for r in self._db.conn.execute(
                    "SELECT id FROM jobs WHERE session_id = ? ORDER BY seq", (session.id,)
                )
            ]
            self.sessions[session.id] = session
        for row in conn.execute(
            f"SELECT {_JOB_COLUMNS} FROM jobs WHERE final = 0 ORDER BY seq"
        ).fetchall():
            job = _job_from_row(row)
            self._job_count -= 1  # _track counts it again
            self._count(self._status_counts, job.top_status, -1)
            if job.status == RUNNING:
                job.status = job.top_status = QUEUED
                job.running_at = None
                job.log(
                    "WARNING",
                    "The emulator stopped while the job was running: it runs again from the start",
                    wall,
                )
                self._touch(job)
            self.jobs[job.id] = job
            self._track(job)
            self.recovered.append(job)
        with self.lock:
            for session in list(self.sessions.values()):
                self._settle_session(session, wall, mono)
            self._flush()
        if self.recovered or self.sessions:
            store_log.info(
                "store %s: %d job(s) and %d open session(s) to resume, %d job(s) stored",
                self._db.data_dir,
                len(self.recovered),
                len(self.sessions),
                self._job_count,
            )

    # ------------------------------------------------------------------ statistics

    def stats(self) -> dict[str, Any]:
        with self.lock:
            return {
                "jobs": self._job_count,
                "jobs_by_status": dict(self._status_counts),
                "jobs_deleted": self.deleted_jobs,
                "sessions": sum(self._session_counts.values()),
                "open_sessions": sum(
                    n for state, n in self._session_counts.items() if state != "closed"
                ),
                "sessions_by_state": dict(self._session_counts),
                "store": str(self.data_dir) if self._db is not None else "memory",
            }


# ---------------------------------------------------------------------------- rows

_JOB_DOC_FIELDS = (
    "user_id",
    "cost",
    "tags",
    "log_level",
    "private",
    "runtime",
    "calibration_id",
    "legacy",
    "caller",
    "delay_seconds",
    "fail_reason",
    "num_circuits",
    "num_qubits",
    "circuit_depths",
    "reason",
    "reason_code",
    "reason_solution",
    "running_at",
    "finished_at",
    "usage_seconds",
    "execution_ns",
    "result_read",
    "result_size",
    "logs",
)
_JOB_COLUMNS_NO_PARAMS = (
    "seq, id, instance_crn, program_id, backend, status, top_status, session_id, created, NULL, doc"
)
_JOB_COLUMNS = _JOB_COLUMNS_NO_PARAMS.replace("NULL", "params")
_SESSION_DOC_FIELDS = (
    "user_id",
    "backend_name",
    "mode",
    "max_ttl",
    "interactive_ttl",
    "state_reason",
    "accepting_jobs",
    "activated_at",
    "closed_at",
    "last_job_started",
    "last_job_completed",
    "elapsed_time",
)


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _job_doc(job: JobRecord) -> dict[str, Any]:
    return {name: getattr(job, name) for name in _JOB_DOC_FIELDS}


def _job_from_row(row: Sequence[Any]) -> JobRecord:
    seq, job_id, crn, program_id, backend, status, top_status, session_id, created, params, doc = (
        row
    )
    return JobRecord(
        id=job_id,
        seq=seq,
        instance_crn=crn,
        program_id=program_id,
        backend=backend,
        params=json.loads(params) if params is not None else {},
        created=created,
        session_id=session_id,
        status=status,
        top_status=top_status,
        **json.loads(doc),
    )


def _session_doc(s: SessionRecord, wall: float, mono: float) -> dict[str, Any]:
    doc = {name: getattr(s, name) for name in _SESSION_DOC_FIELDS}
    doc["timestamps"] = s.timestamps
    # Monotonic clocks do not survive a restart: store the wall-clock time instead.
    doc["idle_since"] = None if s.idle_since_mono is None else wall - (mono - s.idle_since_mono)
    return doc


def _session_from_row(row: Sequence[Any], wall: float, mono: float) -> SessionRecord:
    session_id, crn, state, created, doc = row
    data = json.loads(doc)
    idle_since = data.pop("idle_since")
    timestamps = [(str(st), float(ts)) for st, ts in data.pop("timestamps")]
    activated_at = data.get("activated_at")
    return SessionRecord(
        id=session_id,
        instance_crn=crn,
        state=state,
        created=created,
        created_mono=mono - (wall - created),
        activated_mono=None if activated_at is None else mono - (wall - activated_at),
        idle_since_mono=None if idle_since is None else mono - (wall - idle_since),
        timestamps=timestamps,
        **data,
    )
