"""Job handles: status, waiting, results, cancellation, logs, metrics and tags.

:class:`Job` and :class:`AsyncJob` are twins; their logic (status classification, the polling
loop, result retrieval, tag handling) is written once, as flows run by the sync or async engine.

**Statuses.** ``status()`` returns the service's own string (``Queued``, ``Running``,
``Completed``, ``Cancelled``, ``Cancelled - Ran too long``, ``Failed``, or anything new). It is
compared case-insensitively; an unknown value is treated as "not finished yet" (logged once) and
never crashes. A job cancelled for running too long (``Cancelled - Ran too long`` or reason code
1305) counts as **failed**.

**Waiting.** ``wait()`` polls with a capped backoff (``poll_interval``, then x1.5 per poll, at
most ``max_poll_interval``), never sleeping past the deadline. The default timeout is
:data:`DEFAULT_WAIT_TIMEOUT` (one hour); ``timeout=None`` waits forever. A timeout raises
:class:`~qiskit_runtime_rest.errors.JobTimeoutError` (the job itself goes on); a failed job
raises :class:`~qiskit_runtime_rest.errors.JobFailedError`, a cancelled one
:class:`~qiskit_runtime_rest.errors.JobCancelledError`. ``on_status`` is called with every new
status; ``progress=True`` prints status changes to stderr.

**Results.** ``result()`` waits, downloads ``GET /jobs/{id}/results`` and decodes it with
:func:`qiskit_runtime_rest.codec.decode_result`. Nothing is cached: every call downloads the
result again and returns a new object that belongs to the caller (keep it in a variable).

**Idempotency tags.** Every submission carries a client-generated tag ``qrr-<32 hex digits>``
(see :mod:`qiskit_runtime_rest.primitives`). It is visible on the service, but ``tags()``
leaves it out and ``update_tags()`` keeps it; ``idempotency_tag`` shows it.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from qiskit_runtime_rest import _operations as ops
from qiskit_runtime_rest._core import AsyncEngine, Call, Engine, Flow, Sleep
from qiskit_runtime_rest.errors import (
    JobCancelledError,
    JobFailedError,
    JobTimeoutError,
    ValidationError,
)

if TYPE_CHECKING:
    from qiskit_runtime_api.models import Job as JobModel
    from qiskit_runtime_api.models import JobMetrics

    from qiskit_runtime_rest.results import PrimitiveResult

__all__ = [
    "DEFAULT_WAIT_TIMEOUT",
    "AsyncJob",
    "Job",
    "JobQuery",
    "Outcome",
    "classify_status",
    "is_idempotency_tag",
    "new_idempotency_tag",
]

logger = logging.getLogger("qiskit_runtime_rest")

DEFAULT_WAIT_TIMEOUT = 3600.0
"""Seconds ``wait()`` and ``result()`` wait by default (``timeout=None`` waits forever)."""
DEFAULT_POLL_INTERVAL = 0.2
MAX_POLL_INTERVAL = 5.0
_POLL_GROWTH = 1.5
_RESULT_RETRIES = 10
_MAX_TIME_REASON = 1305
_IDEMPOTENCY_TAG = re.compile(r"^qrr-[0-9a-f]{32}$")
_PAGE_SIZE = 200

Outcome = Literal["pending", "completed", "failed", "cancelled"]
_PENDING = frozenset({"queued", "running", "initializing", "validating", "pending"})
_warned_statuses: set[str] = set()


def new_idempotency_tag() -> str:
    """A fresh ``qrr-<uuid4 hex>`` tag identifying one submission."""
    return f"qrr-{uuid.uuid4().hex}"


def is_idempotency_tag(tag: str) -> bool:
    return bool(_IDEMPOTENCY_TAG.match(tag))


def classify_status(status: str, reason_code: int | None = None) -> Outcome:
    """Map a wire status (any case, possibly unknown) to what it means for the caller."""
    s = status.strip().lower()
    if s in ("completed", "done"):
        return "completed"
    if s.startswith(("cancelled", "canceled")):
        if "too long" in s or reason_code == _MAX_TIME_REASON:
            return "failed"
        return "cancelled"
    if s.startswith(("failed", "error")):
        return "failed"
    if s not in _PENDING and s not in _warned_statuses:
        _warned_statuses.add(s)
        logger.warning("unknown job status %r: treated as not finished", status)
    return "pending"


def _reason_code(model: JobModel) -> int | None:
    code = getattr(model.state, "reason_code", None)
    return code if isinstance(code, int) else None


def _outcome(model: JobModel) -> Outcome:
    return classify_status(model.status, _reason_code(model))


def _check_outcome(model: JobModel) -> None:
    """Raise for a failed or cancelled job."""
    outcome = _outcome(model)
    if outcome == "failed":
        state = model.state
        reason = state.reason if isinstance(state.reason, str) else None
        code = _reason_code(model)
        solution = state.reason_solution if isinstance(state.reason_solution, str) else None
        text = f"job {model.id} {model.status}"
        if code is not None or reason:
            text += f": error code {code}; {reason}" if code is not None else f": {reason}"
        if solution:
            text += f" ({solution})"
        raise JobFailedError(
            text,
            job_id=model.id,
            status=model.status,
            reason=reason,
            reason_code=code,
            reason_solution=solution,
        )
    if outcome == "cancelled":
        raise JobCancelledError(f"job {model.id} was cancelled", job_id=model.id)


def _user_tags(model: JobModel) -> list[str]:
    tags = model.tags if isinstance(model.tags, list) else []
    return [t for t in tags if not is_idempotency_tag(t)]


# -- flows ------------------------------------------------------------------------------------


class _Pacer:
    """The timing of a polling loop: a checked timeout, its deadline and a growing interval."""

    def __init__(
        self,
        timeout: float | None,
        poll_interval: float,
        max_poll_interval: float,
        clock: Callable[[], float],
    ) -> None:
        if timeout is not None and (
            isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout >= 0
        ):
            raise ValidationError(
                f"timeout must be a number of seconds >= 0, or None; got {timeout!r}"
            )
        self._clock = clock
        self.start = clock()
        self._deadline = None if timeout is None else self.start + timeout
        self._interval = max(poll_interval, 0.01)
        self._max_interval = max_poll_interval

    def pause(self) -> Sleep | None:
        """The sleep before the next poll (capped at the deadline); None once it has passed."""
        now = self._clock()
        if self._deadline is not None and now >= self._deadline:
            return None
        delay = (
            self._interval if self._deadline is None else min(self._interval, self._deadline - now)
        )
        self._interval = min(self._interval * _POLL_GROWTH, self._max_interval)
        return Sleep(delay)


def wait_flow(
    job_id: str,
    *,
    timeout: float | None,
    poll_interval: float,
    max_poll_interval: float,
    on_status: Callable[[str], object] | None,
    progress: bool,
    clock: Callable[[], float],
) -> Flow[JobModel]:
    """Poll until the job is final; return its last model or raise (timeout, failure)."""
    pacer = _Pacer(timeout, poll_interval, max_poll_interval, clock)
    start = pacer.start
    last: str | None = None
    while True:
        model: JobModel = yield ops.get_job_call(job_id)
        if model.status != last:
            last = model.status
            if progress:
                print(f"[{clock() - start:7.1f} s] job {job_id}: {last}", file=sys.stderr)
            if on_status is not None:
                on_status(last)
        if _outcome(model) != "pending":
            _check_outcome(model)
            return model
        pause = pacer.pause()
        if pause is None:
            raise JobTimeoutError(
                f"job {job_id} still {last} after {timeout:g} s (it goes on; wait again or "
                "cancel it)",
                job_id=job_id,
                timeout=float(timeout or 0.0),
                last_status=last,
            )
        yield pause


def result_flow(
    job_id: str,
    *,
    timeout: float | None,
    poll_interval: float,
    max_poll_interval: float,
    clock: Callable[[], float],
) -> Flow[PrimitiveResult]:
    """Wait for the job, then download and decode its result.

    A final job whose result is not stored yet (204) is asked again a few times, with backoff.
    """
    model = yield from wait_flow(
        job_id,
        timeout=timeout,
        poll_interval=poll_interval,
        max_poll_interval=max_poll_interval,
        on_status=None,
        progress=False,
        clock=clock,
    )
    delay = max(poll_interval, 0.05)
    for _ in range(_RESULT_RETRIES):
        payload: dict[str, Any] | None = yield ops.get_job_results_call(job_id)
        if payload is not None:
            from qiskit_runtime_rest.codec import decode_result

            return decode_result(payload)
        # 204: the job is final but its result is not stored yet.
        yield Sleep(delay)
        delay = min(delay * 2, max_poll_interval)
    raise JobTimeoutError(
        f"job {job_id} is {model.status} but its result is still not available",
        job_id=job_id,
        timeout=float(timeout or 0.0),
        last_status=model.status,
    )


def tag_list(tags: Iterable[str]) -> list[str]:
    """Tags as a list of strings (a bare string is refused rather than split into letters)."""
    if isinstance(tags, str | bytes) or not isinstance(tags, Iterable):
        raise ValidationError(f"tags must be an iterable of strings, not {type(tags).__name__}")
    out = list(tags)
    for tag in out:
        if not isinstance(tag, str) or not tag:
            raise ValidationError(f"tags must be non-empty strings, got {tag!r:.100}")
    return out


def wait_all_flow(
    job_ids: Sequence[str],
    *,
    timeout: float | None,
    clock: Callable[[], float],
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    max_poll_interval: float = MAX_POLL_INTERVAL,
) -> Flow[list[str]]:
    """Poll jobs until all are final; return their final statuses (failures are not raised)."""
    pacer = _Pacer(timeout, poll_interval, max_poll_interval, clock)
    statuses: dict[str, str] = {}
    pending = list(dict.fromkeys(job_ids))
    while pending:
        still: list[str] = []
        for job_id in pending:
            model: JobModel = yield ops.get_job_call(job_id)
            statuses[job_id] = model.status
            if _outcome(model) == "pending":
                still.append(job_id)
        pending = still
        if not pending:
            break
        pause = pacer.pause()
        if pause is None:
            raise JobTimeoutError(
                f"{len(pending)} job(s) still running after {timeout:g} s, e.g. {pending[0]}",
                job_id=pending[0],
                timeout=float(timeout or 0.0),
                last_status=statuses[pending[0]],
            )
        yield pause
    return [statuses[job_id] for job_id in job_ids]


def update_tags_flow(job_id: str, tags: Sequence[str]) -> Flow[None]:
    """Replace the user tags of a job, keeping its idempotency tag(s)."""
    model: JobModel = yield ops.get_job_call(job_id)
    current = model.tags if isinstance(model.tags, list) else []
    keep = [t for t in current if is_idempotency_tag(t)]
    yield ops.replace_job_tags_call(job_id, [*tags, *keep])
    return None


def _tags_flow(job_id: str) -> Flow[list[str]]:
    model: JobModel = yield ops.get_job_call(job_id)
    return _user_tags(model)


# -- listing ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JobQuery:
    """Filters of ``GET /jobs`` and the number of jobs wanted (None: all)."""

    limit: int | None = None
    pending: bool | None = None
    program: str | None = None
    backend: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    tags: Sequence[str] | None = None
    """Jobs carrying all these tags; a bare string is one tag (stored as a tuple)."""
    session_id: str | None = None
    descending: bool = True
    page_size: int = _PAGE_SIZE

    def __post_init__(self) -> None:
        tags = self.tags
        normalised = (tags,) if isinstance(tags, str) else tuple(tags) if tags else None
        object.__setattr__(self, "tags", normalised)

    def pages(self) -> Generator[Call[Any] | JobModel, Any, None]:
        """Yields list calls (send back the page) and the jobs to hand out (send None).

        Pages by ``offset``; a job seen on an earlier page (the list moved while paging) is not
        handed out twice.
        """
        if self.limit is not None and (
            isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit < 0
        ):
            raise ValidationError(f"limit must be an integer >= 0, or None; got {self.limit!r}")
        remaining = self.limit
        offset = 0
        seen: set[str] = set()
        while remaining is None or remaining > 0:
            size = self.page_size if remaining is None else min(self.page_size, remaining)
            page = yield ops.list_jobs_call(
                limit=size,
                offset=offset,
                pending=self.pending,
                program=self.program,
                backend=self.backend,
                created_after=self.created_after,
                created_before=self.created_before,
                tags=self.tags,
                session_id=self.session_id,
                descending=self.descending,
            )
            for model in page.jobs:
                if model.id in seen:
                    continue
                seen.add(model.id)
                yield model
                if remaining is not None:
                    remaining -= 1
                    if remaining == 0:
                        return
            offset += len(page.jobs)
            count = page.count if isinstance(page.count, int) else None
            if len(page.jobs) < size or (count is not None and offset >= count):
                return


def iter_jobs(engine: Engine, query: JobQuery) -> Iterator[Job]:
    """Auto-paginating iterator of :class:`Job` handles."""
    gen = query.pages()
    value: Any = None
    while True:
        try:
            item = gen.send(value)
        except StopIteration:
            return
        if isinstance(item, Call):
            value = engine.call(item)
        else:
            value = None
            yield Job._from_model(engine, item)


async def aiter_jobs(engine: AsyncEngine, query: JobQuery) -> AsyncIterator[AsyncJob]:
    """Auto-paginating async iterator of :class:`AsyncJob` handles."""
    gen = query.pages()
    value: Any = None
    while True:
        try:
            item = gen.send(value)
        except StopIteration:
            return
        if isinstance(item, Call):
            value = await engine.call(item)
        else:
            value = None
            yield AsyncJob._from_model(engine, item)


# -- handles ----------------------------------------------------------------------------------


class _JobBase:
    """What both handles share: identity, last known state, representation."""

    def __init__(
        self,
        job_id: str,
        *,
        backend: str | None = None,
        session_id: str | None = None,
        program_id: str | None = None,
        idempotency_tag: str | None = None,
    ) -> None:
        self._id = job_id
        self._backend = backend
        self._session_id = session_id
        self._program_id = program_id
        self._idempotency_tag = idempotency_tag
        self._last: JobModel | None = None

    def _remember(self, model: JobModel) -> JobModel:
        self._last = model
        if isinstance(model.backend, str):
            self._backend = model.backend
        if isinstance(model.session_id, str):
            self._session_id = model.session_id
        self._program_id = model.program.id if model.program is not None else self._program_id
        if self._idempotency_tag is None and isinstance(model.tags, list):
            self._idempotency_tag = next((t for t in model.tags if is_idempotency_tag(t)), None)
        return model

    @property
    def id(self) -> str:
        """The job id."""
        return self._id

    @property
    def job_id(self) -> str:
        """The job id (alias of ``id``)."""
        return self._id

    @property
    def backend(self) -> str | None:
        """The backend the job runs on."""
        return self._backend

    @property
    def session_id(self) -> str | None:
        """The session or batch the job belongs to, if any."""
        return self._session_id

    @property
    def program_id(self) -> str | None:
        """``sampler`` or ``estimator`` (when known)."""
        return self._program_id

    @property
    def idempotency_tag(self) -> str | None:
        """The ``qrr-...`` tag the submission carried (when known)."""
        return self._idempotency_tag

    @property
    def last_status(self) -> str | None:
        """The status seen by the last refresh (no request)."""
        return self._last.status if self._last is not None else None

    def __repr__(self) -> str:
        parts = [f"id={self._id!r}"]
        if self._backend:
            parts.append(f"backend={self._backend!r}")
        if self._session_id:
            parts.append(f"session_id={self._session_id!r}")
        if self._last is not None:
            parts.append(f"status={self._last.status!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _JobBase) and type(other) is type(self) and other.id == self.id

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._id))


class Job(_JobBase):
    """A handle on a job (sync). Obtained from ``run()``, ``Runtime.job(id)`` or ``jobs()``."""

    def __init__(self, engine: Engine, job_id: str, **kwargs: Any) -> None:
        super().__init__(job_id, **kwargs)
        self._engine = engine

    @classmethod
    def _from_model(cls, engine: Engine, model: JobModel) -> Job:
        job = cls(engine, model.id)
        job._remember(model)
        return job

    def details(self) -> JobModel:
        """Refresh and return the job object (generated ``qiskit_runtime_api.models.Job``)."""
        return self._remember(self._engine.call(ops.get_job_call(self._id)))

    def status(self) -> str:
        """Refresh and return the wire status (compare case-insensitively)."""
        return self.details().status

    def done(self) -> bool:
        """Whether the job reached a final state (completed, failed or cancelled)."""
        return _outcome(self.details()) != "pending"

    def wait(
        self,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = MAX_POLL_INTERVAL,
        on_status: Callable[[str], object] | None = None,
        progress: bool = False,
    ) -> str:
        """Wait until the job completes and return its final status.

        Raises ``JobTimeoutError``, ``JobFailedError`` or ``JobCancelledError``.
        """
        model = self._engine.drive(
            wait_flow(
                self._id,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                on_status=on_status,
                progress=progress,
                clock=self._engine.clock,
            )
        )
        return self._remember(model).status

    def result(
        self,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = MAX_POLL_INTERVAL,
    ) -> PrimitiveResult:
        """Wait for the job, then download and decode its result (not cached)."""
        return self._engine.drive(
            result_flow(
                self._id,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                clock=self._engine.clock,
            )
        )

    def cancel(self) -> None:
        """Ask the service to cancel the job (``ConflictError`` if it already finished)."""
        self._engine.call(ops.cancel_job_call(self._id))

    def delete(self) -> None:
        """Delete the job (only final jobs can be deleted)."""
        self._engine.call(ops.delete_job_call(self._id))

    def logs(self) -> str:
        """The job's logs (text; usually available once the job finished)."""
        return self._engine.call(ops.get_job_logs_call(self._id))

    def metrics(self) -> JobMetrics:
        """Timestamps and usage (generated ``qiskit_runtime_api.models.JobMetrics``)."""
        return self._engine.call(ops.get_job_metrics_call(self._id))

    def tags(self) -> list[str]:
        """The job's tags, without the idempotency tag."""
        return self._engine.drive(_tags_flow(self._id))

    def update_tags(self, tags: Iterable[str]) -> None:
        """Replace the job's tags (its idempotency tag is kept)."""
        self._engine.drive(update_tags_flow(self._id, tag_list(tags)))


class AsyncJob(_JobBase):
    """The async twin of :class:`Job`: the same methods, as coroutines."""

    def __init__(self, engine: AsyncEngine, job_id: str, **kwargs: Any) -> None:
        super().__init__(job_id, **kwargs)
        self._engine = engine

    @classmethod
    def _from_model(cls, engine: AsyncEngine, model: JobModel) -> AsyncJob:
        job = cls(engine, model.id)
        job._remember(model)
        return job

    async def details(self) -> JobModel:
        """Refresh and return the job object (generated ``qiskit_runtime_api.models.Job``)."""
        return self._remember(await self._engine.call(ops.get_job_call(self._id)))

    async def status(self) -> str:
        """Refresh and return the wire status (compare case-insensitively)."""
        return (await self.details()).status

    async def done(self) -> bool:
        """Whether the job reached a final state (completed, failed or cancelled)."""
        return _outcome(await self.details()) != "pending"

    async def wait(
        self,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = MAX_POLL_INTERVAL,
        on_status: Callable[[str], object] | None = None,
        progress: bool = False,
    ) -> str:
        """Wait until the job completes and return its final status (see :meth:`Job.wait`)."""
        model = await self._engine.drive(
            wait_flow(
                self._id,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                on_status=on_status,
                progress=progress,
                clock=self._engine.clock,
            )
        )
        return self._remember(model).status

    async def result(
        self,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = MAX_POLL_INTERVAL,
    ) -> PrimitiveResult:
        """Wait for the job, then download and decode its result (not cached)."""
        return await self._engine.drive(
            result_flow(
                self._id,
                timeout=timeout,
                poll_interval=poll_interval,
                max_poll_interval=max_poll_interval,
                clock=self._engine.clock,
            )
        )

    async def cancel(self) -> None:
        """Ask the service to cancel the job (``ConflictError`` if it already finished)."""
        await self._engine.call(ops.cancel_job_call(self._id))

    async def delete(self) -> None:
        """Delete the job (only final jobs can be deleted)."""
        await self._engine.call(ops.delete_job_call(self._id))

    async def logs(self) -> str:
        """The job's logs (text; usually available once the job finished)."""
        return await self._engine.call(ops.get_job_logs_call(self._id))

    async def metrics(self) -> JobMetrics:
        """Timestamps and usage (generated ``qiskit_runtime_api.models.JobMetrics``)."""
        return await self._engine.call(ops.get_job_metrics_call(self._id))

    async def tags(self) -> list[str]:
        """The job's tags, without the idempotency tag."""
        return await self._engine.drive(_tags_flow(self._id))

    async def update_tags(self, tags: Iterable[str]) -> None:
        """Replace the job's tags (its idempotency tag is kept)."""
        await self._engine.drive(update_tags_flow(self._id, tag_list(tags)))
