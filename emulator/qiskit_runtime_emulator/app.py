"""The emulator's ASGI application (Starlette): routes from the spec, handlers, checks, faults.

Every operation of ``spec/qiskit-runtime.yaml`` is served under both roots, ``/api/v1`` (current
service) and ``/runtime`` (legacy), with the same handlers; ``POST /identity/token`` emulates IAM.
For each request: faults (if configured) -> authentication -> parameter and body validation
against the spec -> handler -> response validation against the spec (strict mode turns a
violation into a 500 that names it, so tests catch it).

Each answered request is logged at INFO on ``qiskit_runtime_emulator.access`` (method, path
without the query, status, milliseconds, instance; never a credential), and each job transition
on ``qiskit_runtime_emulator.jobs`` (:mod:`.store`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .admission import (
    BodyGuard,
    admit_counts,
    admit_params,
    admit_prepared,
    admit_program_qpy,
    check_json_shape,
)
from .auth import Authenticator, IamError, Principal
from .backends import Backend, backend_registry
from .config import EmulatorConfig
from .errors import ApiError, error_body
from .execution import ExecutionBackend
from .faults import FaultDecision, FaultInjector, FaultKind
from .metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from .metrics import UNMATCHED_ROUTE, Metrics
from .pool import ProcessPool
from .scheduler import Scheduler
from .store import JobRecord, SessionRecord, Store, isoformat
from .text import dumps_json
from .validation import REQUEST_VALIDATION_CODE, Operation, Spec, load_spec

if TYPE_CHECKING:
    from .executor import PreparedJob
    from .quantum_programs import PreparedProgram

__all__ = ["API_ROOTS", "EmulatorState", "create_app"]

log = logging.getLogger("qiskit_runtime_emulator")
access_log = logging.getLogger("qiskit_runtime_emulator.access")

API_ROOTS = ("/api/v1", "/runtime", "/experimental/api/v1")
"""Current root, legacy root, and an alias whose name makes qiskit-ibm-runtime use it verbatim."""
IAM_PATH = "/identity/token"
METRICS_PATH = "/metrics"
_DROP_FLAG = "qiskit_runtime_emulator.drop"
_INSTANCE = "qiskit_runtime_emulator.instance"
"""Where a request's scope keeps the instance it was authenticated for (for the access log)."""
_JSON = "application/json"
_MAX_COST = 10800
# Bodies up to this size are parsed and validated on the event loop (a thread hop costs
# ~0.15 ms), if their OpenQASM 3 text is short too (its parser takes ~20 ms per KiB) and their
# QPY circuits small once inflated.
_INLINE_VALIDATION_BYTES = 16384
_INLINE_QASM3_BYTES = 2048
_INLINE_QPY_BYTES = 65536
# Larger jobs are parsed in threads, this many at once (each may take a few hundred MB).
_PARSE_SLOTS = 2
# Items of a job list checked against the spec at each end of the page.
_LIST_SAMPLE = 5
# Distinct (method, path, status) entries kept by the call recorder.
_MAX_CALL_KEYS = 10000
# Durable store: results larger than this are read from disk in a thread, off the event loop.
_INLINE_RESULT_BYTES = 262144

_VERSIONS = [
    {"version": "2026-04-15", "status": "live"},
    {"version": "2026-02-15", "status": "deprecated", "sunset_date": "2027-02-15"},
    {"version": "2025-05-01", "status": "deprecated", "sunset_date": "2027-01-01"},
    {"version": "2025-01-01", "status": "deprecated", "sunset_date": "2027-01-01"},
    {"version": "2024-01-01", "status": "deprecated", "sunset_date": "2027-01-01"},
]


def _trace() -> str:
    return secrets.token_hex(10)


@cache
def _qiskit_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qiskit")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


# ---------------------------------------------------------------------------- state


@dataclass
class RateLimiter:
    """Sliding one-minute window of job submissions per user."""

    per_minute: int
    _hits: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, user: str) -> float | None:
        """None if allowed (and counted), else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(user, deque())
            while hits and now - hits[0] >= 60.0:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return max(0.0, 60.0 - (now - hits[0]))
            hits.append(now)
            return None


class EmulatorState:
    """Everything one emulator server owns: config, spec, store, scheduler, auth, faults.

    Jobs run on ``backend`` (default: a :class:`~.dask_backend.DaskBackend` when
    ``config.dask_scheduler`` is set, else a :class:`~.pool.ProcessPool` of ``config.workers``
    local worker processes). With ``config.data_dir``, the store is durable: the live jobs it
    finds there are prepared again and queued (:meth:`resume_jobs`).
    """

    def __init__(
        self, config: EmulatorConfig | None = None, *, backend: ExecutionBackend | None = None
    ) -> None:
        self.config = config or EmulatorConfig()
        self.backends: dict[str, Backend] = backend_registry(
            self.config.fake_backends,
            noise=self.config.noise,
            noiseless=self.config.noiseless_backends,
        )
        self.spec: Spec = load_spec()
        self.store = Store(
            self.config.data_dir, max_jobs=self.config.max_jobs, max_age=self.config.max_age
        )
        self.metrics = Metrics(self.store)
        self.auth = Authenticator(self.config)
        self.faults = FaultInjector()
        self.limiter = (
            RateLimiter(self.config.rate_limit_per_minute)
            if self.config.rate_limit_per_minute
            else None
        )
        if backend is None and self.config.dask_scheduler:
            from .dask_backend import DaskBackend

            backend = DaskBackend(
                self.config.dask_scheduler, memory_mb=self.config.worker_memory_mb
            )
        self.backend: ExecutionBackend = backend or ProcessPool(
            self.config.workers, memory_mb=self.config.worker_memory_mb
        )
        self.scheduler = Scheduler(
            self.store,
            self.backend,
            tick_seconds=self.config.tick_seconds,
            check_results=self.config.validate_responses,
            strict=self.config.strict_responses,
            default_seed=self.config.seed,
        )
        self._parse_slots: asyncio.Semaphore | None = None
        self.response_violations: list[str] = []  # the last 100
        self.violation_count = 0
        self.undocumented_statuses: dict[str, int] = {}
        self.requests = 0
        # (method, path template with its root, status) -> count; see record_call().
        self.calls: dict[tuple[str, str, int], int] = {}
        self._doc_cache: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()
        self.resume_jobs()

    def resume_jobs(self) -> None:
        """Queue again the live jobs a durable store found on disk (in submission order): each
        is validated and prepared again from its stored params; one that no longer can be (its
        backend is gone from the configuration, say) fails with the reason."""
        recovered, self.store.recovered = self.store.recovered, []
        for job in recovered:
            if job.final:  # its session's max TTL ran out while the server was down
                continue
            try:
                backend = self.backends.get(job.backend)
                if backend is None:
                    raise ValueError(f"backend {job.backend} is not served any more")
                session = self.store.sessions.get(job.session_id) if job.session_id else None
                in_session = session is not None and session.mode == "dedicated"
                prepared, _ = _prepare(job.program_id, job.params, backend, self.config, in_session)
                _, _, seed = _emulator_knobs(job.params, enabled=True)
                if seed is not None and prepared.seed is None:
                    prepared = replace(prepared, seed=seed)
            except Exception as exc:
                self.store.fail_job(
                    job,
                    f"The emulator restarted and could not prepare the job again: {exc}",
                    1000,
                )
                continue
            if prepared.violation is not None:
                from .isa import NON_ISA_SOLUTION, REASON_NON_ISA

                self.store.fail_job(job, prepared.violation, REASON_NON_ISA, NON_ISA_SOLUTION)
                continue
            job.prepared = prepared
            self.scheduler.submit(job)
        if recovered:
            log.info("resumed %d job(s) from the store", len(recovered))

    # ------------------------------------------------------------------ statistics

    def stats(self) -> dict[str, Any]:
        out = self.store.stats()
        out["faults"] = self.faults.snapshot()
        out["requests"] = self.requests
        out["queue_length"] = self.store.queued_jobs()
        out["executed"] = self.scheduler.executed
        out["workers"] = self.backend.describe()
        out["response_violations"] = self.violation_count
        out["undocumented_statuses"] = dict(self.undocumented_statuses)
        return out

    def log_request(self, request: Request, status: int, started: float) -> None:
        """One access-log line (INFO): method, path (no query), status, ms and instance."""
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "%s %s %d %.1f ms instance=%s",
                request.method,
                request.url.path,
                status,
                (time.perf_counter() - started) * 1000,
                request.scope.get(_INSTANCE, "-"),
            )

    def record_call(self, method: str, template: str, status: int, known: bool = True) -> None:
        """Count one answered request by method, path template (with root) and status.

        Status 0 stands for a connection dropped on purpose (fault injection). Paths without a
        route (``known`` false) are recorded verbatim, up to a bounded number of distinct
        entries (and as ``<unmatched>`` in the metrics).
        """
        key = (method, template, status)
        self.metrics.request(method, template if known else UNMATCHED_ROUTE, status)
        with self._lock:
            if key in self.calls:
                self.calls[key] += 1
            elif len(self.calls) < _MAX_CALL_KEYS:
                self.calls[key] = 1

    def calls_snapshot(self) -> dict[tuple[str, str, int], int]:
        """A copy of the per-call counters (see :meth:`record_call`)."""
        with self._lock:
            return dict(self.calls)

    def reset_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    def parse_slots(self) -> asyncio.Semaphore:
        """Slots for parsing large jobs in threads (created on the server's event loop)."""
        if self._parse_slots is None:
            self._parse_slots = asyncio.Semaphore(_PARSE_SLOTS)
        return self._parse_slots

    def record_violation(self, message: str) -> None:
        log.error("response violates the spec: %s", message)
        with self._lock:
            self.violation_count += 1
            self.response_violations.append(message)
            del self.response_violations[:-100]


# ---------------------------------------------------------------------------- replies


@dataclass
class Reply:
    """What a handler answers; ``body`` is a JSON value, raw bytes, text or None (no body)."""

    status: int = 200
    body: Any = None
    content_type: str | None = _JSON
    headers: dict[str, str] = field(default_factory=dict)
    prevalidated: bool = False


def _no_content() -> Reply:
    return Reply(204, None, None)


@dataclass
class Ctx:
    """One request, parsed and authenticated."""

    request: Request
    op: Operation
    principal: Principal | None
    params: dict[str, Any]
    body: Any
    root: str
    body_size: int = 0

    @property
    def who(self) -> Principal:
        assert self.principal is not None
        return self.principal


Handler = Callable[[Ctx], Awaitable[Reply]]


# ---------------------------------------------------------------------------- JSON views


def session_json(s: SessionRecord, now_mono: float) -> dict[str, Any]:
    return {
        "id": s.id,
        "backend_name": s.backend_name,
        "mode": s.mode,
        "state": s.state,
        "state_reason": s.state_reason,
        "accepting_jobs": s.accepting_jobs,
        "started_at": isoformat(s.created),
        "activated_at": isoformat(s.activated_at),
        "closed_at": isoformat(s.closed_at),
        "last_job_started": isoformat(s.last_job_started),
        "last_job_completed": isoformat(s.last_job_completed),
        "interactive_ttl": s.interactive_ttl,
        "max_ttl": s.max_ttl,
        "active_ttl": s.active_ttl(now_mono),
        "timestamps": [{"status": st, "timestamp": isoformat(ts)} for st, ts in s.timestamps],
        "user_id": s.user_id,
        "elapsed_time": s.elapsed_time,
    }


def _job_usage(job: JobRecord) -> dict[str, Any]:
    return {
        "qpu_charge_time_seconds": job.usage_seconds,
        "status": "complete" if job.final else "pending",
    }


def job_json(job: JobRecord, *, include_params: bool) -> dict[str, Any]:
    state: dict[str, Any] = {"status": job.status}
    if job.reason is not None:
        state["reason"] = job.reason
    if job.reason_code is not None:
        state["reason_code"] = job.reason_code
    if job.reason_solution is not None:
        state["reason_solution"] = job.reason_solution
    out: dict[str, Any] = {
        "id": job.id,
        "backend": job.backend,
        "state": state,
        "status": job.top_status,
        "program": {"id": job.program_id},
        "created": isoformat(job.created),
        "cost": job.cost,
        "tags": list(job.tags),
        "session_id": job.session_id,
        "user_id": job.user_id,
        "usage": _job_usage(job),
        "estimated_running_time_seconds": None,
    }
    if include_params and not job.private:
        out["params"] = job.params
    if job.private:
        out["private"] = True
    if job.runtime is not None:
        out["runtime"] = job.runtime
    if job.calibration_id is not None:
        out["calibration_id"] = job.calibration_id
    if job.legacy:
        out.update(job.legacy)
    return out


# ---------------------------------------------------------------------------- handlers


class Handlers:
    """One coroutine per operationId."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self.config = state.config
        self.store = state.store

    # -------------------------------------------------------------- helpers

    def _backend(self, ctx: Ctx, name: str, *, status: int = 404) -> Backend:
        visible = self._visible_backends(ctx)
        backend = self.state.backends.get(name)
        if backend is None or backend.name not in visible:
            raise ApiError(
                status,
                f"Backend {name!r} not found; available backends: {', '.join(visible)}",
            )
        return backend

    def _visible_backends(self, ctx: Ctx) -> list[str]:
        allowed = ctx.who.instance.backends
        return [n for n in self.state.backends if allowed is None or n in allowed]

    def _job(self, ctx: Ctx, *, with_params: bool = False) -> JobRecord:
        job_id = ctx.params["job_id"]
        job = self.store.get_job(ctx.who.crn, job_id, with_params=with_params)
        if job is None:
            raise ApiError(404, f"Job {job_id} not found")
        return job

    def _session(self, ctx: Ctx, session_id: str) -> SessionRecord:
        session = self.store.get_session(ctx.who.crn, session_id)
        if session is None:
            raise ApiError(404, f"Session {session_id} not found")
        return session

    def _queue_length(self, backend: str) -> int:
        return self.store.pending_on_backend(backend)

    # -------------------------------------------------------------- sessions

    async def create_session(self, ctx: Ctx) -> Reply:
        body: dict[str, Any] = ctx.body
        who = ctx.who
        instance = body.get("instance")
        if (
            who.legacy
            and isinstance(instance, str)
            and not instance.startswith("crn:")
            and instance != who.instance.legacy_instance
        ):
            raise ApiError(
                400,
                f"instance {instance!r} is not the instance of the access token "
                f"({who.instance.legacy_instance})",
            )
        backend_name = body.get("backend") or body.get("backend_name")
        if backend_name is not None:
            self._backend(ctx, backend_name, status=400)
        max_ttl = body.get("max_ttl", body.get("max_session_ttl"))
        max_ttl = min(int(max_ttl), self.config.session_max_ttl) if max_ttl else None
        interactive = body.get("interactive_ttl") or self.config.session_interactive_ttl
        if max_ttl is None:
            max_ttl = self.config.session_max_ttl
        now = time.time()
        session = SessionRecord(
            id=self.store.new_id(),
            instance_crn=who.crn,
            user_id=who.user_id,
            backend_name=backend_name,
            mode=body.get("mode") or "dedicated",
            max_ttl=max_ttl,
            interactive_ttl=min(int(interactive), max_ttl),
            created=now,
            created_mono=time.monotonic(),
        )
        self.store.add_session(session)
        return Reply(200, session_json(session, time.monotonic()))

    async def get_session(self, ctx: Ctx) -> Reply:
        session = self._session(ctx, ctx.params["session_id"])
        with self.store.lock:
            return Reply(200, session_json(session, time.monotonic()))

    async def update_session(self, ctx: Ctx) -> Reply:
        session = self._session(ctx, ctx.params["session_id"])
        if ctx.body["accepting_jobs"]:
            if not self.store.resume_accepting(session):
                raise ApiError(400, f"Session {session.id} is closed")
        else:
            self.store.stop_accepting(session)
        return _no_content()

    async def cancel_session(self, ctx: Ctx) -> Reply:
        session = self._session(ctx, ctx.params["session_id"])
        self.store.cancel_session(session)
        return _no_content()

    # -------------------------------------------------------------- jobs

    async def create_job(self, ctx: Ctx) -> Reply:
        from .executor import InvalidParams
        from .isa import NON_ISA_SOLUTION, REASON_NON_ISA

        body: dict[str, Any] = ctx.body
        who = ctx.who
        program_id: str = body["program_id"]
        params: dict[str, Any] = body["params"]

        legacy_fields = {k: body[k] for k in ("hub", "group", "project") if k in body}
        if who.legacy and legacy_fields:
            inst = who.instance
            expected = {"hub": inst.hub, "group": inst.group, "project": inst.project}
            for key, value in legacy_fields.items():
                if value != expected[key]:
                    raise ApiError(
                        403,
                        f"{key} {value!r} does not match the access token's instance "
                        f"({inst.legacy_instance})",
                    )

        session: SessionRecord | None = None
        session_id = body.get("session_id")
        if session_id is not None:
            session = self.store.get_session(who.crn, session_id)
            if session is None:
                raise ApiError(404, f"Session {session_id} not found")
            if session.state == "closed":
                raise ApiError(400, f"Session {session_id} is closed; it accepts no new jobs")
            if not session.accepting_jobs:
                raise ApiError(
                    400, f"Session {session_id} is not accepting jobs (it is being closed)"
                )

        backend_name = body.get("backend") or (session.backend_name if session else None)
        if backend_name is None:
            visible = self._visible_backends(ctx)
            if not visible:
                raise ApiError(400, "This instance has no backend to run the job on")
            # Like the service: without a backend, the job goes to the shortest queue.
            backend_name = min(visible, key=lambda n: (self._queue_length(n), n))
        backend = self._backend(ctx, backend_name, status=400)
        if session is not None and session.backend_name not in (None, backend.name):
            raise ApiError(
                400,
                f"Session {session.id} runs on {session.backend_name}; "
                f"the job targets {backend.name}",
            )

        limit = who.instance.usage_limit_seconds
        if limit is not None and self.store.consumed.get(who.crn, 0.0) >= limit:
            raise ApiError(409, "Usage exceeds the instance's limit", code=1206)

        delay, fail, seed = _emulator_knobs(params, enabled=self.config.test_knobs)
        info = admit_params(program_id, params, self.config)
        in_session = session is not None and session.mode == "dedicated"

        try:
            if (
                program_id != "executor"  # samplexes and tensors: always loaded in a thread
                and ctx.body_size <= _INLINE_VALIDATION_BYTES
                and info.qasm3_bytes <= _INLINE_QASM3_BYTES
                and info.qpy_bytes <= _INLINE_QPY_BYTES
            ):
                prepared, circuits = _prepare(program_id, params, backend, self.config, in_session)
            else:  # parsing big circuits takes a while: keep the event loop responsive
                async with self.state.parse_slots():
                    prepared, circuits = await run_in_threadpool(
                        _prepare, program_id, params, backend, self.config, in_session
                    )
        except InvalidParams as exc:
            raise ApiError(400, f"Invalid params: {exc}", code=REQUEST_VALIDATION_CODE) from None
        except ApiError:
            raise
        except Exception as exc:  # the executor must name problems; never answer 500
            log.exception("validate_params raised an unexpected error")
            raise ApiError(
                400, f"Invalid params: {type(exc).__name__}: {exc}", code=REQUEST_VALIDATION_CODE
            ) from None
        if seed is not None and prepared.seed is None:
            prepared = replace(prepared, seed=seed)

        if self.state.limiter is not None:
            wait = self.state.limiter.check(who.user_id)
            if wait is not None:
                raise ApiError(
                    429,
                    f"Rate limit exceeded: at most {self.state.limiter.per_minute} jobs "
                    "per minute per user",
                    headers={"Retry-After": str(max(1, math.ceil(wait)))},
                )

        cost = body.get("cost")
        cost = min(int(cost), _MAX_COST) if cost else self.config.default_job_cost
        now = time.time()
        job = JobRecord(
            id=self.store.new_id(),
            seq=self.store.next_seq(),
            instance_crn=who.crn,
            user_id=who.user_id,
            program_id=program_id,
            backend=backend.name,
            params=params,
            created=now,
            cost=cost,
            session_id=session.id if session else None,
            tags=list(body.get("tags") or []),
            log_level=body.get("log_level"),
            private=bool(body.get("private", False)),
            runtime=body.get("runtime"),
            calibration_id=body.get("calibration_id"),
            legacy=(
                {
                    "hub": who.instance.hub,
                    "group": who.instance.group,
                    "project": who.instance.project,
                }
                if who.legacy or legacy_fields
                else None
            ),
            caller=ctx.request.headers.get("x-qx-client-application"),
            prepared=prepared,
            delay_seconds=delay,
            fail_reason=fail,
            num_circuits=len(circuits),
            num_qubits=[qubits for qubits, _ in circuits],
            circuit_depths=[depth for _, depth in circuits],
        )
        job.log("INFO", f"Job queued: {program_id} on {backend.name}", now)
        if prepared.violation is None:
            job.log("INFO", _simulation_note(backend, prepared, self.config.seed), now)
        for warning in prepared.warnings:
            job.log("WARNING", warning, now)
        # The session's state is checked again when the job is recorded, atomically: its TTL may
        # have run out (or it may have been closed) while this request was handled.
        if self.store.durable and ctx.body_size > _INLINE_VALIDATION_BYTES:
            added = await run_in_threadpool(self.store.add_job, job)  # writes the params
        else:
            added = self.store.add_job(job)
        if not added:
            assert session is not None
            raise ApiError(400, f"Session {session.id} is closed; it accepts no new jobs")
        if prepared.violation is not None:
            # Like IBM Quantum: the request succeeds, the job fails (code 1517) without running.
            self.store.fail_job(job, prepared.violation, REASON_NON_ISA, NON_ISA_SOLUTION)
        else:
            self.state.scheduler.submit(job)
        out: dict[str, Any] = {"id": job.id, "backend": job.backend}
        if job.session_id is not None:
            out["session_id"] = job.session_id
        if job.private:
            out["private"] = True
        return Reply(200, out)

    async def list_jobs(self, ctx: Ctx) -> Reply:
        p = ctx.params
        # Out-of-range paging values are not an error on the real service: it uses the defaults.
        limit = int(p.get("limit", 200))
        if not 1 <= limit <= 200:
            limit = 200
        offset = max(int(p.get("offset", 0)), 0)
        include = not p.get("exclude_params", True)
        after, before = p.get("created_after"), p.get("created_before")
        page, count = self.store.query_jobs(
            ctx.who.crn,
            pending=p.get("pending"),
            program=p.get("program"),
            backend=p.get("backend"),
            session_id=p.get("session_id"),
            created_after=after.timestamp() if after is not None else None,
            created_before=before.timestamp() if before is not None else None,
            tags=p.get("tags") or (),
            descending=p.get("sort", "DESC") == "DESC",
            limit=limit,
            offset=offset,
            with_params=include,
        )
        with self.store.lock:
            jobs = [job_json(j, include_params=include) for j in page]
        return Reply(200, {"jobs": jobs, "count": count, "limit": limit, "offset": offset})

    async def get_job(self, ctx: Ctx) -> Reply:
        include = not ctx.params.get("exclude_params", False)
        job = self._job(ctx, with_params=include)
        with self.store.lock:
            return Reply(200, job_json(job, include_params=include))

    async def delete_job(self, ctx: Ctx) -> Reply:
        job = self._job(ctx)
        with self.store.lock:
            if not job.final:
                raise ApiError(
                    400, f"Job {job.id} is {job.status}: only finished jobs can be deleted"
                )
            self.store.delete_job(job)
        return _no_content()

    async def cancel_job(self, ctx: Ctx) -> Reply:
        job = self._job(ctx)
        if not self.state.scheduler.cancel(job):
            raise ApiError(409, f"Job {job.id} is {job.top_status}: it cannot be cancelled")
        return _no_content()

    async def get_job_results(self, ctx: Ctx) -> Reply:
        job = self._job(ctx)
        if self.store.durable and (job.result_size or 0) > _INLINE_RESULT_BYTES:
            result = await run_in_threadpool(self.store.job_result, job)
        else:
            result = self.store.job_result(job)
        if result is None:
            return _no_content()
        return Reply(200, result, prevalidated=True)

    async def get_job_logs(self, ctx: Ctx) -> Reply:
        lines = self.store.job_logs(self._job(ctx))
        text = "\n".join(lines) + ("\n" if lines else "")
        return Reply(200, text, "text/plain")

    async def get_job_metrics(self, ctx: Ctx) -> Reply:
        job = self._job(ctx)
        with self.store.lock:
            out: dict[str, Any] = {
                "timestamps": {
                    "created": isoformat(job.created),
                    "running": isoformat(job.running_at),
                    "finished": isoformat(job.finished_at),
                },
                "usage": _job_usage(job),
                "qiskit_version": _qiskit_version(),
            }
            if job.caller:
                out["caller"] = job.caller
            if job.execution_ns is not None:
                out["circuits_execution_time_ns"] = job.execution_ns
            if job.num_circuits is not None:
                out["num_circuits"] = job.num_circuits
            if job.num_qubits is not None:
                out["num_qubits"] = list(job.num_qubits)
            if job.circuit_depths is not None:
                out["circuit_depths"] = list(job.circuit_depths)
        return Reply(200, out)

    async def replace_job_tags(self, ctx: Ctx) -> Reply:
        self.store.set_tags(self._job(ctx), ctx.body["tags"])
        return _no_content()

    # -------------------------------------------------------------- backends

    async def list_backends(self, ctx: Ctx) -> Reply:
        fields = ctx.params.get("fields") or ""
        wait = "wait_time_seconds" in fields
        devices = [
            self.state.backends[n].list_item(
                queue_length=self._queue_length(n), include_wait_time=wait
            )
            for n in self._visible_backends(ctx)
        ]
        return Reply(200, {"devices": devices})

    async def get_backend_status(self, ctx: Ctx) -> Reply:
        backend = self._backend(ctx, ctx.params["backend_name"])
        return Reply(200, backend.status(length_queue=self._queue_length(backend.name)))

    def _document(self, ctx: Ctx, kind: str) -> Reply:
        backend = self._backend(ctx, ctx.params["backend_name"])
        key = (kind, backend.name)
        cached = self.state._doc_cache.get(key)
        if cached is None:
            doc = backend.configuration() if kind == "configuration" else backend.properties()
            if doc is None:
                raise ApiError(
                    404, f"Backend {backend.name} is a simulator: it has no calibration data"
                )
            violations = ctx.op.check_response(200, _JSON, doc)
            if violations:
                return Reply(200, doc)  # let the generic check report it
            cached = json.dumps(doc, separators=(",", ":")).encode()
            self.state._doc_cache[key] = cached
        return Reply(200, cached, prevalidated=True)

    async def get_backend_configuration(self, ctx: Ctx) -> Reply:
        return self._document(ctx, "configuration")

    async def get_backend_properties(self, ctx: Ctx) -> Reply:
        return self._document(ctx, "properties")

    # -------------------------------------------------------------- instances, versions

    async def get_instance_usage(self, ctx: Ctx) -> Reply:
        inst = ctx.who.instance
        consumed = round(self.store.consumed.get(inst.crn, 0.0), 6)
        now = datetime.now(UTC)
        start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        end = (
            start.replace(year=start.year + 1, month=1)
            if start.month == 12
            else start.replace(month=start.month + 1)
        )
        limit = inst.usage_limit_seconds
        out: dict[str, Any] = {
            "instance_id": inst.crn,
            "plan_id": inst.plan_id,
            "usage_period": {
                "start_time": isoformat(start.timestamp()),
                "end_time": isoformat(end.timestamp()),
            },
            "usage_consumed_seconds": consumed,
            "usage_limit_seconds": limit,
            "usage_allocation_seconds": limit,
            "usage_remaining_seconds": None if limit is None else max(0.0, limit - consumed),
            "usage_limit_reached": limit is not None and consumed >= limit,
        }
        return Reply(200, out)

    async def list_versions(self, ctx: Ctx) -> Reply:
        return Reply(200, {"versions": _VERSIONS})


def _emulator_knobs(
    params: Mapping[str, Any], *, enabled: bool
) -> tuple[float, str | None, int | None]:
    """``options.experimental.emulator``: ``delay_seconds`` and ``fail`` (400 if the
    configuration does not enable them, ``test_knobs``), and ``seed`` (always accepted: it seeds
    a job that sets no seed of its own, such as an executor job); 400 if malformed."""
    options = params.get("options")
    if not isinstance(options, Mapping):
        return 0.0, None, None
    experimental = options.get("experimental")
    if not isinstance(experimental, Mapping):
        return 0.0, None, None
    knobs = experimental.get("emulator")
    if knobs is None:
        return 0.0, None, None
    where = "params.options.experimental.emulator"
    seed = knobs.get("seed") if isinstance(knobs, Mapping) else None
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise ApiError(400, f"{where}.seed must be an integer >= 0", code=REQUEST_VALIDATION_CODE)
    if isinstance(knobs, Mapping) and set(knobs) <= {"seed"}:
        return 0.0, None, seed
    if not enabled:
        raise ApiError(
            400,
            f"{where}: the emulator's test knobs are disabled on this server (enable them with "
            "test_knobs: true in its configuration, or serve --test-knobs)",
            code=REQUEST_VALIDATION_CODE,
        )
    if not isinstance(knobs, Mapping):
        raise ApiError(400, f"{where} must be an object", code=REQUEST_VALIDATION_CODE)
    unknown = set(knobs) - {"delay_seconds", "fail", "seed"}
    if unknown:
        raise ApiError(
            400,
            f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: delay_seconds, "
            "fail, seed",
            code=REQUEST_VALIDATION_CODE,
        )
    delay = knobs.get("delay_seconds", 0.0)
    if isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay <= 3600:
        raise ApiError(
            400,
            f"{where}.delay_seconds must be a number of seconds in [0, 3600]",
            code=REQUEST_VALIDATION_CODE,
        )
    fail = knobs.get("fail")
    if fail is not None and not isinstance(fail, str):
        raise ApiError(400, f"{where}.fail must be a string", code=REQUEST_VALIDATION_CODE)
    return float(delay), fail, seed


def _simulation_note(
    backend: Backend, prepared: PreparedJob | PreparedProgram, default_seed: int | None
) -> str:
    """The job log's line on how the job is simulated."""
    if prepared.noise is not None:
        how = (
            f"with the noise of {backend.name}'s calibration (gate, relaxation and readout "
            "errors of the qubits the circuits use)"
        )
    elif backend.simulator:
        how = "without noise (a simulator backend)"
    else:
        how = "without noise (noise is turned off for this backend)"
    seed = prepared.seed if prepared.seed is not None else default_seed
    return f"The job is simulated {how}; seed {'random' if seed is None else seed}"


def _prepare(
    program_id: str,
    params: Any,
    backend: Backend,
    config: EmulatorConfig,
    in_session: bool = False,
) -> tuple[PreparedJob | PreparedProgram, list[tuple[int, int]]]:
    """Validate a job's params with its program's validator (:func:`.executor.validate_params`
    for Sampler and Estimator, :func:`.quantum_programs.validate_program` for executor jobs,
    where ``in_session`` allows integer chunk sizes), check the parsed job against the admission
    limits, and measure its circuits (qubits, depth) for the metrics. Every job's circuits pass
    here, once, whatever its program. Like validation, this runs off the event loop for large
    bodies and for every executor job."""
    prepared: PreparedJob | PreparedProgram
    if program_id == "executor":
        from .quantum_programs import validate_program

        admit_program_qpy(params, config)
        program = validate_program(params, backend, in_session=in_session)
        prepared, circuits = program, program.circuits
    else:
        from .executor import validate_params

        job = validate_params(program_id, params, backend)
        prepared, circuits = job, [pub.circuit for pub in job.pubs]
    admit_prepared(prepared, config)
    return prepared, [(int(c.num_qubits), int(c.depth())) for c in circuits]


# ---------------------------------------------------------------------------- dispatch


class Dispatcher:
    """Turns a request on one path template into a validated handler call and response."""

    def __init__(self, state: EmulatorState, handlers: Handlers) -> None:
        self.state = state
        self.handlers = handlers

    def _error(
        self,
        status: int,
        message: str,
        trace: str,
        code: str | int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        return Reply(status, error_body(status, message, trace, code), _JSON, dict(headers or {}))

    async def dispatch(
        self, request: Request, ops: Mapping[str, Operation], root: str, rel_path: str
    ) -> Response:
        state = self.state
        state.requests += 1
        trace = _trace()
        op = ops.get(request.method)
        if op is None:
            allowed = ", ".join(sorted(ops))
            reply = self._error(
                405, f"Method {request.method} not allowed on {rel_path}; allowed: {allowed}", trace
            )
            reply.headers["Allow"] = allowed
            return self._render(reply, None)

        fault = state.faults.decide(request.method, rel_path)
        if fault.latency:
            await asyncio.sleep(fault.latency)
        if fault.kind is not FaultKind.NONE and not fault.after:
            return self._fault_reply(request, fault, trace, op)

        reply = await self._handle(request, op, root, trace)

        if fault.kind is not FaultKind.NONE:
            # "after": the handler ran (and took effect) but the client never learns it.
            return self._fault_reply(request, fault, trace, op)
        return self._render(self._checked(op, reply, trace), op)

    async def _handle(self, request: Request, op: Operation, root: str, trace: str) -> Reply:
        try:
            principal = None if op.public else self.state.auth.authenticate(request.headers)
            if principal is not None:
                request.scope[_INSTANCE] = (
                    principal.instance.legacy_instance if principal.legacy else principal.crn
                )
            params = op.parse_params(request.path_params, request.query_params, request.headers)
            body: Any = None
            size = 0
            if op.body_validator is not None:
                raw = await request.body()
                size = len(raw)
                if not raw.strip():
                    if op.body_required:
                        raise ApiError(
                            400, "A JSON request body is required", code=REQUEST_VALIDATION_CODE
                        )
                elif size <= _INLINE_VALIDATION_BYTES:
                    body = _parse_body(op, raw, self.state.config)
                else:
                    async with self.state.parse_slots():
                        body = await run_in_threadpool(_parse_body, op, raw, self.state.config)
            handler: Handler = getattr(self.handlers, op.operation_id)
            return await handler(Ctx(request, op, principal, params, body, root, size))
        except ApiError as exc:
            return self._error(exc.status, exc.message, trace, exc.code, exc.headers)
        except ClientDisconnect:
            # The client went away before sending its whole body (a cancelled request): nobody
            # will read this answer, and it is not a failure of the emulator.
            log.debug("%s %s: the client disconnected", request.method, request.url.path)
            return self._error(400, "The client disconnected before the request was read", trace)
        except Exception as exc:
            log.exception("%s %s failed", request.method, request.url.path)
            return self._error(500, f"Internal error of the emulator: {exc}", trace)

    def _fault_reply(
        self, request: Request, fault: FaultDecision, trace: str, op: Operation
    ) -> Response:
        if fault.kind is FaultKind.DROP:
            request.scope[_DROP_FLAG] = True
            return Response(b"", 500)
        messages = {
            429: "Too many requests (injected fault): retry after the delay in Retry-After",
            500: "Internal server error (injected fault)",
            502: "Bad gateway (injected fault)",
            503: "Service unavailable (injected fault)",
            504: "Gateway timeout (injected fault)",
        }
        headers = {}
        if fault.status in (429, 503):
            headers["Retry-After"] = _retry_after(fault.retry_after)
        reply = self._error(
            fault.status,
            messages.get(fault.status, f"Injected fault {fault.status}"),
            trace,
            headers=headers,
        )
        return self._render(reply, None)

    def _checked(self, op: Operation, reply: Reply, trace: str) -> Reply:
        state = self.state
        if not state.config.validate_responses or reply.prevalidated:
            return reply
        body = reply.body
        if op.operation_id == "list_jobs" and isinstance(body, dict):
            jobs = body.get("jobs")
            if isinstance(jobs, list) and len(jobs) > 2 * _LIST_SAMPLE:
                # Every item comes from the same builder: check the first and last few only
                # (a 200-job page costs ~17 ms to validate in full).
                body = {**body, "jobs": jobs[:_LIST_SAMPLE] + jobs[-_LIST_SAMPLE:]}
        violations = op.check_response(reply.status, reply.content_type, body)
        if not violations:
            return reply
        is_error = reply.status >= 400 and isinstance(reply.body, dict) and "errors" in reply.body
        if is_error and all("is not documented" in v for v in violations):
            # An error status the spec does not list for this operation: a gap of the spec,
            # recorded (see stats()) but not turned into a 500.
            key = f"{op.operation_id}:{reply.status}"
            with state._lock:
                state.undocumented_statuses[key] = state.undocumented_statuses.get(key, 0) + 1
            log.warning("%s answered %s, not documented in the spec", op.operation_id, reply.status)
            return reply
        message = "; ".join(violations)
        state.record_violation(message)
        if not state.config.strict_responses:
            return reply
        return self._error(500, f"Emulator response violates the spec: {message}", trace)

    def _render(self, reply: Reply, op: Operation | None) -> Response:
        body = reply.body
        if body is None:
            return Response(status_code=reply.status, headers=reply.headers or None)
        if isinstance(body, bytes):
            content = body
        elif isinstance(body, str):
            content = body.encode("utf-8", "replace")  # a lone surrogate becomes "?"
        else:
            content = dumps_json(body)
        media = reply.content_type or _JSON
        if media.startswith("text/"):
            media += "; charset=utf-8"
        return Response(content, reply.status, headers=reply.headers or None, media_type=media)


def _parse_body(op: Operation, raw: bytes, config: EmulatorConfig) -> Any:
    """Parse and check a JSON request body: its shape first (cheap), then, for a job, its
    bindings and executions, then the spec's schema (which walks every value)."""
    check_json_shape(raw, config)
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise ApiError(
            400, f"The request body is not valid JSON: {exc}", code=REQUEST_VALIDATION_CODE
        ) from None
    if op.operation_id == "create_job":
        admit_counts(body, config)
    op.check_body(body)
    return body


def _retry_after(seconds: float) -> str:
    # The spec documents an integer; fractions are sent as a decimal, as some clients accept.
    if float(seconds).is_integer():
        return str(int(seconds))
    return f"{seconds:g}"


# ---------------------------------------------------------------------------- IAM


async def _iam_token(state: EmulatorState, request: Request) -> Response:
    fault = state.faults.decide(request.method, IAM_PATH, iam=True)
    if fault.latency:
        await asyncio.sleep(fault.latency)
    request_id = _trace()
    if fault.kind is FaultKind.DROP:
        request.scope[_DROP_FLAG] = True
        return Response(b"", 500)
    if fault.kind is FaultKind.STATUS:
        headers = {"Retry-After": _retry_after(fault.retry_after)} if fault.status == 429 else {}
        body = {"errorCode": "BXNIM0000E", "errorMessage": "Injected fault", "context": {}}
        return Response(json.dumps(body).encode(), fault.status, headers=headers, media_type=_JSON)
    try:
        raw = (await request.body()).decode("utf-8")
        values = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
        answer = state.auth.issue_token(values)
    except IamError as exc:
        return Response(dumps_json(exc.body(request_id)), exc.status, media_type=_JSON)
    except Exception as exc:  # a malformed form body
        err = IamError(400, "BXNIM0109E", f"Invalid request: {exc}")
        return Response(dumps_json(err.body(request_id)), 400, media_type=_JSON)
    return Response(json.dumps(answer).encode(), 200, media_type=_JSON)


# ---------------------------------------------------------------------------- app


class _ConnectionDropper:
    """Outermost ASGI layer: closes the connection, without an answer, for dropped requests."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def guarded_send(message: Message) -> None:
            if scope.get(_DROP_FLAG):
                return
            await send(message)

        await self.app(scope, receive, guarded_send)
        if scope.get(_DROP_FLAG):
            transport = getattr(getattr(send, "__self__", None), "transport", None)
            if transport is None:
                raise ConnectionAbortedError("injected dropped connection")
            transport.close()
            # Let the server notice the lost connection so that it sends nothing.
            for _ in range(3):
                await asyncio.sleep(0)


def create_app(state: EmulatorState | EmulatorConfig | None = None) -> ASGIApp:
    """The ASGI app for ``state`` (or a new state for a config)."""
    if not isinstance(state, EmulatorState):
        state = EmulatorState(state)
    st: EmulatorState = state
    handlers = Handlers(st)
    missing = [op_id for op_id in st.spec.by_id if not hasattr(handlers, op_id)]
    if missing:
        raise RuntimeError(f"no handler for operation(s): {', '.join(missing)}")
    dispatcher = Dispatcher(st, handlers)

    by_template: dict[str, dict[str, Operation]] = {}
    for (method, template), op in st.spec.operations.items():
        by_template.setdefault(template, {})[method] = op

    def endpoint(
        ops: dict[str, Operation], root: str, template: str
    ) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            started = time.perf_counter()
            rel = request.url.path[len(root) :]
            response = await dispatcher.dispatch(request, ops, root, rel)
            status = 0 if request.scope.get(_DROP_FLAG) else response.status_code
            st.record_call(request.method, root + template, status)
            st.log_request(request, status, started)
            return response

        run.__name__ = f"{ops[next(iter(ops))].operation_id}_{root.strip('/').replace('/', '_')}"
        return run

    async def iam(request: Request) -> Response:
        started = time.perf_counter()
        response = await _iam_token(st, request)
        status = 0 if request.scope.get(_DROP_FLAG) else response.status_code
        st.record_call(request.method, IAM_PATH, status)
        st.log_request(request, status, started)
        return response

    async def not_found(request: Request) -> Response:
        started = time.perf_counter()
        trace = _trace()
        body = error_body(404, f"No such path: {request.method} {request.url.path}", trace)
        st.record_call(request.method, request.url.path, 404, known=False)
        st.log_request(request, 404, started)
        return Response(dumps_json(body), 404, media_type=_JSON)

    async def metrics(request: Request) -> Response:
        # Not an operation of the IBM API (so not in the spec): the emulator's own page, behind
        # the same credentials as the API, since its figures describe every tenant's work.
        started = time.perf_counter()
        try:
            st.auth.authenticate_caller(request.headers)
        except ApiError as exc:
            status = exc.status
            response = Response(
                dumps_json(error_body(exc.status, exc.message, _trace(), exc.code)),
                exc.status,
                media_type=_JSON,
            )
        else:
            status = 200
            response = Response(st.metrics.render(), 200, media_type=METRICS_CONTENT_TYPE)
        st.record_call(request.method, METRICS_PATH, status)
        st.log_request(request, status, started)
        return response

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    routes: list[Route] = [
        Route(IAM_PATH, iam, methods=["POST"]),
        Route(METRICS_PATH, metrics, methods=["GET"]),
    ]
    for root in API_ROOTS:
        for template, ops in by_template.items():
            routes.append(Route(root + template, endpoint(ops, root, template), methods=methods))
    if st.config.dashboard:
        from .dashboard import dashboard_routes

        def record(request: Request, template: str, status: int, started: float) -> None:
            st.record_call(request.method, template, status)
            st.log_request(request, status, started)

        routes.extend(dashboard_routes(st, record))
    routes.append(Route("/{path:path}", not_found, methods=[*methods, "HEAD", "OPTIONS"]))
    app = Starlette(routes=routes)
    app.state.emulator = st

    def refused(method: str, path: str, status: int) -> None:
        st.record_call(method, path, status, known=False)
        access_log.info("%s %s %d - ms instance=-", method, path, status)

    return BodyGuard(_ConnectionDropper(app), st.config, refused)
