"""Job handles: status, waiting, results, cancellation, logs, metrics, tags, and listings.

:class:`Job` and :class:`AsyncJob` are twins; their logic (status classification, the polling
loop, result retrieval, tag handling, paging) is written once, as flows
(:mod:`qiskit_runtime_rest._core`) run by the sync or async engine.

**Statuses.** ``status()`` returns the service's own string (``Queued``, ``Running``,
``Completed``, ``Cancelled``, ``Cancelled - Ran too long``, ``Failed``, or anything new). It is
compared case-insensitively; an unknown value is treated as "not finished yet" (logged once) and
never crashes. A job cancelled for running too long (``Cancelled - Ran too long`` or reason code
1305, see https://quantum.cloud.ibm.com/docs/errors) counts as **failed**.

**Waiting.** ``wait()`` checks at once, then on the client's poll schedule
(:class:`~qiskit_runtime_rest.polling.PollSchedule`: 0.2 s, growing x1.5 per check, at most 5 s;
``poll_interval`` and ``max_poll_interval`` override it for one wait), never sleeping past the
deadline. The default timeout is
:data:`DEFAULT_WAIT_TIMEOUT` (one hour); ``timeout=None`` waits forever. The timeout bounds the
whole call, every request (retries and token refreshes included) and the result download: once
it has passed, :class:`~qiskit_runtime_rest.errors.JobTimeoutError` is raised (the job itself
goes on). A failed job raises :class:`~qiskit_runtime_rest.errors.JobFailedError`, a cancelled
one :class:`~qiskit_runtime_rest.errors.JobCancelledError`. ``on_status`` is called with every
new status; ``progress=True`` shows a live line with the status and the time elapsed
(:mod:`qiskit_runtime_rest.progress`, the ``progress`` extra).

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
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, overload

import attrs

from qiskit_runtime_rest import _operations as ops
from qiskit_runtime_rest._core import AsyncEngine, Engine, Flow, Sleep
from qiskit_runtime_rest.errors import (
    APITimeoutError,
    JobCancelledError,
    JobFailedError,
    JobTimeoutError,
    ValidationError,
)
from qiskit_runtime_rest.polling import DEFAULT_POLL, MIN_POLL_INTERVAL, PollSchedule
from qiskit_runtime_rest.views import JobDetails, JobMetrics

if TYPE_CHECKING:
    from qiskit_runtime_api.models import Job as JobModel

    from qiskit_runtime_rest.programs import QuantumProgram, QuantumProgramResult
    from qiskit_runtime_rest.progress import JobTally, ProgressDisplay
    from qiskit_runtime_rest.results import PrimitiveResult

__all__ = [
    "DEFAULT_WAIT_TIMEOUT",
    "AsyncExecutorJob",
    "AsyncJob",
    "Cursor",
    "ExecutorJob",
    "Job",
    "JobPage",
    "JobQuery",
    "Outcome",
    "Pacer",
    "Tracker",
    "classify_status",
    "is_idempotency_tag",
    "new_idempotency_tag",
    "next_completed_flow",
    "result_flow",
    "tags_flow",
    "update_tags_flow",
    "wait_all_flow",
    "wait_flow",
]

logger = logging.getLogger("qiskit_runtime_rest")

DEFAULT_WAIT_TIMEOUT = 3600.0
"""Seconds ``wait()`` and ``result()`` wait by default (``timeout=None`` waits forever)."""
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


def tag_list(tags: Iterable[str]) -> list[str]:
    """Tags as a list of strings (a bare string is refused rather than split into letters)."""
    if isinstance(tags, str | bytes) or not isinstance(tags, Iterable):
        raise ValidationError(f"tags must be an iterable of strings, not {type(tags).__name__}")
    out = list(tags)
    for tag in out:
        if not isinstance(tag, str) or not tag:
            raise ValidationError(f"tags must be non-empty strings, got {tag!r:.100}")
    return out


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


def _outcome(model: JobModel) -> Outcome:
    code = model.state.reason_code
    return classify_status(model.status, code if isinstance(code, int) else None)


def _settled(model: JobModel) -> bool:
    """Whether the job is final: True when completed; raises when it failed or was cancelled."""
    state = model.state
    code = state.reason_code if isinstance(state.reason_code, int) else None
    outcome = classify_status(model.status, code)
    if outcome == "pending":
        return False
    if outcome == "cancelled":
        raise JobCancelledError(f"job {model.id} was cancelled", job_id=model.id)
    if outcome == "failed":
        reason = state.reason if isinstance(state.reason, str) else None
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
    return True


def _user_tags(model: JobModel) -> list[str]:
    tags = model.tags if isinstance(model.tags, list) else []
    return [t for t in tags if not is_idempotency_tag(t)]


def _details(model: JobModel) -> JobDetails:
    return JobDetails._from_model(model, _user_tags(model))


def _usage_seconds(metrics: JobMetrics, partial: bool) -> float | None:
    """qiskit-ibm-runtime's reading of the metrics' usage: 0 while ``pending``."""
    usage = metrics.usage
    if usage is None:
        return None if partial else 0.0
    if not partial and (usage.status or "pending") == "pending":
        return 0.0
    return usage.qpu_charge_time_seconds


def _status_display(
    job_id: str, progress: bool, on_status: Callable[[str], object] | None
) -> tuple[Callable[[str], object] | None, ProgressDisplay | None]:
    """``on_status`` extended with a live display of the status when ``progress``."""
    if not progress:
        return on_status, None
    from qiskit_runtime_rest.progress import open_display

    display = open_display(f"job {job_id}", None)

    def show(status: str) -> None:
        display.update(status)
        if on_status is not None:
            on_status(status)

    return show, display


# -- flows ------------------------------------------------------------------------------------


class Pacer:
    """The timing of a wait: a checked timeout, its deadlines, and the growing poll interval.

    The pauses follow ``schedule``, whose first pause and cap ``poll_interval`` and
    ``max_poll_interval`` override. Polling stops at ``deadline`` (a ``clock()`` value; None: no
    deadline), and every request of the wait, retries and token refreshes included, ends by
    ``hard_deadline``, one ``max_poll_interval`` later (so that a check started at the deadline
    can finish).
    """

    def __init__(
        self,
        timeout: float | None,
        clock: Callable[[], float],
        poll_interval: float | None = None,
        max_poll_interval: float | None = None,
        schedule: PollSchedule = DEFAULT_POLL,
    ) -> None:
        if timeout is not None and (
            isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout >= 0
        ):
            raise ValidationError(
                f"timeout must be a number of seconds >= 0, or None; got {timeout!r}"
            )
        if poll_interval is None:
            poll_interval = schedule.interval
        if max_poll_interval is None:
            max_poll_interval = schedule.max_interval
        self.clock = clock
        self.start = clock()
        self.timeout = timeout
        self.deadline: float | None = None
        self.hard_deadline: float | None = None
        if timeout is not None:
            self.deadline = self.start + timeout
            self.hard_deadline = self.deadline + max_poll_interval
        self.first_interval = max(poll_interval, MIN_POLL_INTERVAL)
        """The first pause (also that before asking again for a result not stored yet)."""
        self.max_interval = max_poll_interval
        self._interval = self.first_interval
        self._growth = schedule.growth

    def pause(self) -> float | None:
        """Seconds to sleep before the next poll (capped at the deadline); None once it passed."""
        now = self.clock()
        if self.deadline is not None and now >= self.deadline:
            return None
        delay = (
            self._interval if self.deadline is None else min(self._interval, self.deadline - now)
        )
        self._interval = min(self._interval * self._growth, self.max_interval)
        return delay

    def expired(self) -> bool:
        """Whether the wait is over (a request that timed out now is the wait's timeout)."""
        return self.deadline is not None and self.clock() >= self.deadline

    def timed_out(self, message: str, job_id: str, last_status: str | None) -> JobTimeoutError:
        return JobTimeoutError(
            f"{message} after {self.timeout:g} s (it goes on; wait again or cancel it)",
            job_id=job_id,
            timeout=float(self.timeout or 0.0),
            last_status=last_status,
        )


def wait_flow(
    job_id: str,
    pacer: Pacer,
    *,
    on_status: Callable[[str], object] | None = None,
) -> Flow[JobModel]:
    """Poll until the job is final; return its last model or raise (timeout, failure).
    ``on_status`` gets every new status."""
    last: str | None = None
    while True:
        try:
            model = yield from ops.get_job(job_id, exclude_params=True)
        except APITimeoutError as exc:
            if not pacer.expired():
                raise
            raise pacer.timed_out(f"job {job_id} still {last}", job_id, last) from exc
        if model.status != last:
            last = model.status
            if on_status is not None:
                on_status(last)
        if _settled(model):
            return model
        pause = pacer.pause()
        if pause is None:
            raise pacer.timed_out(f"job {job_id} still {last}", job_id, last)
        yield from Sleep(pause)


R = TypeVar("R")
Decoder = Callable[[dict[str, Any]], R]


@overload
def result_flow(
    job_id: str,
    pacer: Pacer,
    on_status: Callable[[str], object] | None = None,
) -> Flow[PrimitiveResult]: ...


@overload
def result_flow(
    job_id: str,
    pacer: Pacer,
    on_status: Callable[[str], object] | None,
    decode: Decoder[R],
) -> Flow[R]: ...


def result_flow(
    job_id: str,
    pacer: Pacer,
    on_status: Callable[[str], object] | None = None,
    decode: Decoder[Any] | None = None,
) -> Flow[Any]:
    """Wait for the job, then download and decode its result: with ``decode`` (an executor
    job's), else as a Sampler or Estimator result (:func:`~.codec.decode_result`).

    A final job whose result is not stored yet (204) is asked again a few times, with backoff.
    """
    model = yield from wait_flow(job_id, pacer, on_status=on_status)
    delay = max(pacer.first_interval, 0.05)
    for _ in range(_RESULT_RETRIES):
        try:
            payload = yield from ops.get_job_results(job_id)
        except APITimeoutError as exc:
            if not pacer.expired():
                raise
            message = f"job {job_id} is {model.status} but its result did not arrive"
            raise pacer.timed_out(message, job_id, model.status) from exc
        if payload is not None:
            if decode is not None:
                return decode(payload)
            from qiskit_runtime_rest.codec import decode_result

            return decode_result(payload)
        # 204: the job is final but its result is not stored yet.
        yield from Sleep(delay)
        delay = min(delay * 2, pacer.max_interval)
    raise JobTimeoutError(
        f"job {job_id} is {model.status} but its result is still not available",
        job_id=job_id,
        timeout=float(pacer.timeout or 0.0),
        last_status=model.status,
    )


class Tracker:
    """The state of a wait for many jobs: which are still pending, and what each last showed."""

    def __init__(self, job_ids: Iterable[str]) -> None:
        self.order = list(dict.fromkeys(job_ids))
        self.pending = list(self.order)
        self.models: dict[str, JobModel] = {}

    def tally(self) -> JobTally:
        """The counts of the jobs in each state, as last seen."""
        from qiskit_runtime_rest.progress import JobTally

        counts = {"completed": 0, "failed": 0, "cancelled": 0, "running": 0, "queued": 0}
        for model in self.models.values():
            outcome = _outcome(model)
            if outcome != "pending":
                counts[outcome] += 1
            elif model.status.strip().lower() == "running":
                counts["running"] += 1
            else:
                counts["queued"] += 1
        counts["queued"] += len(self.order) - len(self.models)
        return JobTally(total=len(self.order), **counts)

    def statuses(self) -> list[str]:
        return [self.models[job_id].status for job_id in self.order]


def _poll_round(tracker: Tracker, pacer: Pacer) -> Flow[list[str]]:
    """Poll every pending job once; return those that reached a final state."""
    finished: list[str] = []
    still: list[str] = []
    for job_id in tracker.pending:
        try:
            model = yield from ops.get_job(job_id, exclude_params=True)
        except APITimeoutError as exc:
            if not pacer.expired():
                raise
            raise _all_timed_out(tracker, pacer, job_id) from exc
        tracker.models[job_id] = model
        (still if _outcome(model) == "pending" else finished).append(job_id)
    tracker.pending = still
    return finished


def _all_timed_out(tracker: Tracker, pacer: Pacer, job_id: str) -> JobTimeoutError:
    model = tracker.models.get(job_id)
    message = f"{len(tracker.pending)} job(s) still running, e.g. {job_id},"
    return pacer.timed_out(message, job_id, model.status if model else None)


def wait_all_flow(
    job_ids: Sequence[str],
    pacer: Pacer,
    on_progress: Callable[[JobTally], object] | None = None,
) -> Flow[list[str]]:
    """Poll jobs until all are final; return their final statuses (failures are not raised).
    ``on_progress`` gets the counts after every round of polls."""
    tracker = Tracker(job_ids)
    while True:
        yield from _poll_round(tracker, pacer)
        if on_progress is not None:
            on_progress(tracker.tally())
        if not tracker.pending:
            return tracker.statuses()
        pause = pacer.pause()
        if pause is None:
            raise _all_timed_out(tracker, pacer, tracker.pending[0])
        yield from Sleep(pause)


def next_completed_flow(
    tracker: Tracker,
    pacer: Pacer,
    on_progress: Callable[[JobTally], object] | None = None,
) -> Flow[list[str]]:
    """Poll the tracker's pending jobs until at least one is final; return those that are
    (in submission order). ``[]`` when none is pending."""
    while tracker.pending:
        finished = yield from _poll_round(tracker, pacer)
        if on_progress is not None:
            on_progress(tracker.tally())
        if finished:
            return finished
        pause = pacer.pause()
        if pause is None:
            raise _all_timed_out(tracker, pacer, tracker.pending[0])
        yield from Sleep(pause)
    return []


def tags_flow(job_id: str) -> Flow[list[str]]:
    """The user tags of a job (its idempotency tag left out)."""
    model = yield from ops.get_job(job_id, exclude_params=True)
    return _user_tags(model)


def update_tags_flow(job_id: str, tags: Sequence[str]) -> Flow[None]:
    """Replace the user tags of a job, keeping its idempotency tag(s)."""
    from qiskit_runtime_api.models import ReplaceJobTagsRequest

    model = yield from ops.get_job(job_id, exclude_params=True)
    current = model.tags if isinstance(model.tags, list) else []
    keep = [t for t in current if is_idempotency_tag(t)]
    yield from ops.replace_job_tags(job_id, body=ReplaceJobTagsRequest(tags=[*tags, *keep]))


# -- listing ----------------------------------------------------------------------------------


def _query_tags(tags: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """A bare string is one tag; no tags is None."""
    if isinstance(tags, str):
        return (tags,)
    return tuple(tags) if tags else None


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValidationError(f"{attribute.name} must be an integer >= 0, or None; got {value!r}")


@attrs.frozen
class Cursor:
    """Where the next page of a listing starts, and where the jobs handed out so far end: the
    creation time of the last one (``boundary``) and the ids of those created at that time."""

    offset: int = 0
    remaining: int | None = None
    boundary: datetime | None = None
    at_boundary: frozenset[str] = frozenset()


@attrs.frozen
class JobPage:
    """One page of a listing: its new jobs, and the cursor of the next page (None: the end)."""

    jobs: list[JobModel]
    next: Cursor | None


@attrs.frozen(kw_only=True)
class JobQuery:
    """Filters of ``GET /jobs``, the number of jobs wanted (``limit``; None: all) and how many
    matching jobs to pass over first (``skip``)."""

    limit: int | None = attrs.field(default=None, validator=_non_negative)
    skip: int = attrs.field(default=0, validator=_non_negative)
    pending: bool | None = None
    program: str | None = None
    backend: str | None = None
    created_after: datetime | None = None
    created_before: datetime | None = None
    tags: tuple[str, ...] | None = attrs.field(default=None, converter=_query_tags)
    """Jobs carrying all these tags; a bare string is one tag."""
    session_id: str | None = None
    descending: bool = True
    page_size: int = _PAGE_SIZE

    def first(self) -> Cursor | None:
        """The cursor of the first page (None when no job is wanted)."""
        return None if self.limit == 0 else Cursor(offset=self.skip, remaining=self.limit)

    def page(self, cursor: Cursor) -> Flow[JobPage]:
        """Fetch the page at ``cursor``. Pages by ``offset``; a job seen on an earlier page (the
        list moved while paging) is not handed out twice.

        Jobs created while paging enter at the head of a newest-first listing and push the jobs
        of the last page into the next one: those are recognised by their creation time (after
        the boundary, or at it with an id seen there), so the memory of a listing stays flat
        however many jobs it goes through.
        """
        from qiskit_runtime_api.types import UNSET

        remaining = cursor.remaining
        size = self.page_size if remaining is None else min(self.page_size, remaining)
        page = yield from ops.list_jobs(
            limit=size,
            offset=cursor.offset,
            pending=UNSET if self.pending is None else self.pending,
            program=self.program or UNSET,
            backend=self.backend or UNSET,
            created_after=self.created_after or UNSET,
            created_before=self.created_before or UNSET,
            tags=list(self.tags) if self.tags else UNSET,
            session_id=self.session_id or UNSET,
            sort="DESC" if self.descending else "ASC",
            exclude_params=True,
        )
        edge, at_edge = cursor.boundary, cursor.at_boundary
        boundary, at_boundary = edge, set(at_edge)
        fresh: list[JobModel] = []
        for model in page.jobs:
            if remaining is not None and len(fresh) >= remaining:
                break
            created = model.created
            if edge is not None and (
                (created > edge if self.descending else created < edge)
                or (created == edge and model.id in at_edge)
            ):
                continue  # handed out on an earlier page
            if boundary is None or (created < boundary if self.descending else created > boundary):
                boundary, at_boundary = created, set()
            if created == boundary:
                at_boundary.add(model.id)
            fresh.append(model)
        remaining = None if remaining is None else remaining - len(fresh)
        offset = cursor.offset + len(page.jobs)
        count = page.count if isinstance(page.count, int) else None
        if remaining == 0 or len(page.jobs) < size or (count is not None and offset >= count):
            return JobPage(fresh, None)
        return JobPage(fresh, Cursor(offset, remaining, boundary, frozenset(at_boundary)))


def iter_jobs(engine: Engine, query: JobQuery) -> Iterator[Job]:
    """Auto-paginating iterator of :class:`Job` handles."""
    cursor = query.first()
    while cursor is not None:
        page = engine.run(query.page(cursor))
        for model in page.jobs:
            yield Job._from_model(engine, model)
        cursor = page.next


async def aiter_jobs(engine: AsyncEngine, query: JobQuery) -> AsyncIterator[AsyncJob]:
    """Auto-paginating async iterator of :class:`AsyncJob` handles."""
    cursor = query.first()
    while cursor is not None:
        page = await engine.run(query.page(cursor))
        for model in page.jobs:
            yield AsyncJob._from_model(engine, model)
        cursor = page.next


# -- handles ----------------------------------------------------------------------------------


E = TypeVar("E", Engine, AsyncEngine)


class _JobBase(Generic[E]):
    """What both handles share: identity, last known state, representation."""

    def __init__(
        self,
        engine: E,
        job_id: str,
        *,
        backend: str | None = None,
        session_id: str | None = None,
        program_id: str | None = None,
        idempotency_tag: str | None = None,
    ) -> None:
        self._engine: E = engine
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
        """``sampler``, ``estimator`` or ``executor`` (when known)."""
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


class _SyncJob(_JobBase[Engine]):
    """What the sync handles share: everything but the result, whose type depends on the
    program."""

    @classmethod
    def _from_model(cls, engine: Engine, model: JobModel) -> Self:
        job = cls(engine, model.id)
        job._remember(model)
        return job

    def _refresh(self) -> JobModel:
        return self._remember(self._engine.send(ops.get_job(self._id, exclude_params=True)))

    def details(self) -> JobDetails:
        """Refresh and return the job as the service describes it (status, reason, creation
        date, tags, usage...).

        Raises:
            NotFoundError: if the job does not exist (any more).
        """
        return _details(self._refresh())

    def status(self) -> str:
        """Refresh and return the wire status (compare case-insensitively).

        Raises:
            NotFoundError: if the job does not exist (any more).
        """
        return self._refresh().status

    @property
    def creation_date(self) -> datetime | None:
        """When the job was created (timezone-aware), as last seen; fetched if never seen."""
        if self._last is None:
            self._refresh()
        return self._last.created if self._last is not None else None

    def done(self) -> bool:
        """Whether the job reached a final state (completed, failed or cancelled).

        Raises:
            NotFoundError: if the job does not exist (any more).
        """
        return _outcome(self._refresh()) != "pending"

    def wait(
        self,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        poll_interval: float | None = None,
        max_poll_interval: float | None = None,
        on_status: Callable[[str], object] | None = None,
        progress: bool = False,
    ) -> str:
        """Wait until the job completes and return its final status.

        ``on_status`` is called with every new status; ``progress=True`` shows a live line
        (status, time elapsed) in the terminal or notebook (the ``progress`` extra).

        Raises:
            JobTimeoutError: the job is still running at ``timeout`` (it goes on).
            JobFailedError: the job failed (or ran too long, code 1305).
            JobCancelledError: the job was cancelled.
            ImportError: ``progress=True`` without the ``progress`` extra.
        """
        pacer = Pacer(
            timeout, self._engine.clock, poll_interval, max_poll_interval, self._engine.poll
        )
        show, display = _status_display(self._id, progress, on_status)
        try:
            flow = wait_flow(self._id, pacer, on_status=show)
            return self._remember(self._engine.run(flow, pacer.hard_deadline)).status
        finally:
            if display is not None:
                display.close()

    def cancel(self) -> None:
        """Ask the service to cancel the job (``ConflictError`` if it already finished).

        Raises:
            ConflictError: the job already finished.
            NotFoundError: no such job.
        """
        self._engine.send(ops.cancel_job(self._id))

    def delete(self) -> None:
        """Delete the job (only final jobs can be deleted).

        Raises:
            ConflictError: the job is not final yet.
            NotFoundError: no such job.
        """
        self._engine.send(ops.delete_job(self._id))

    def logs(self) -> str:
        """The job's logs (text; usually available once the job finished).

        Raises:
            NotFoundError: no such job.
        """
        return self._engine.send(ops.get_job_logs(self._id))

    def metrics(self) -> JobMetrics:
        """The job's timestamps (created, running, finished) and usage.

        Raises:
            NotFoundError: if the job does not exist (any more).
        """
        return JobMetrics._from_model(self._engine.send(ops.get_job_metrics(self._id)))

    def usage(self, partial: bool = False) -> float | None:
        """The job's quantum usage in seconds, as qiskit-ibm-runtime's ``job.usage()``: 0 until
        the service reports it final, unless ``partial=True`` (the usage accumulated so far).

        Raises:
            NotFoundError: if the job does not exist (any more).
        """
        return _usage_seconds(self.metrics(), partial)

    def tags(self) -> list[str]:
        """The job's tags, without the idempotency tag.

        Raises:
            NotFoundError: no such job.
        """
        return self._engine.run(tags_flow(self._id))

    def update_tags(self, tags: Iterable[str]) -> None:
        """Replace the job's tags (its idempotency tag is kept).

        Raises:
            ValidationError: tags that are not non-empty strings.
            NotFoundError: no such job.
        """
        self._engine.run(update_tags_flow(self._id, tag_list(tags)))

    def _wait_result(self, pacer: Pacer, progress: bool, decode: Decoder[R]) -> R:
        """Wait for the job, then download its result and ``decode`` it."""
        show, display = _status_display(self._id, progress, None)
        try:
            flow = result_flow(self._id, pacer, show, decode)
            return self._engine.run(flow, pacer.hard_deadline)
        finally:
            if display is not None:
                display.close()


class Job(_SyncJob):
    """A handle on a Sampler or Estimator job (sync). Obtained from ``run()``,
    ``Runtime.job(id)`` or ``jobs()``."""

    def result(
        self,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        poll_interval: float | None = None,
        max_poll_interval: float | None = None,
        progress: bool = False,
    ) -> PrimitiveResult:
        """Wait for the job, then download and decode its result (not cached: keep it).

        ``progress=True`` shows a live line while waiting (see :meth:`wait`).

        Raises:
            JobTimeoutError: the job is still running at ``timeout``, or its result did not
                arrive in time (the job goes on).
            JobFailedError: the job failed (or ran too long, code 1305).
            JobCancelledError: the job was cancelled.
            ResultDecodeError: the result could not be decoded.
            ValidationError: the job ran the executor program (see :class:`ExecutorJob`).
            ImportError: ``progress=True`` without the ``progress`` extra.
        """
        if self._program_id == "executor":
            raise _executor_result_error(self._id)
        pacer = Pacer(
            timeout, self._engine.clock, poll_interval, max_poll_interval, self._engine.poll
        )
        if not progress:
            return self._engine.run(result_flow(self._id, pacer), pacer.hard_deadline)
        from qiskit_runtime_rest.codec import decode_result

        return self._wait_result(pacer, progress, decode_result)


class _AsyncJob(_JobBase[AsyncEngine]):
    """What the async handles share (see :class:`_SyncJob`)."""

    @classmethod
    def _from_model(cls, engine: AsyncEngine, model: JobModel) -> Self:
        job = cls(engine, model.id)
        job._remember(model)
        return job

    async def _refresh(self) -> JobModel:
        model = await self._engine.send(ops.get_job(self._id, exclude_params=True))
        return self._remember(model)

    async def details(self) -> JobDetails:
        """Refresh and return the job as the service describes it (see :meth:`Job.details`).

        Raises:
            NotFoundError: if the job does not exist (any more).
        """
        return _details(await self._refresh())

    async def status(self) -> str:
        """Refresh and return the wire status (compare case-insensitively).

        Raises:
            NotFoundError: if the job does not exist (any more).
        """
        return (await self._refresh()).status

    @property
    def creation_date(self) -> datetime | None:
        """When the job was created (timezone-aware), as last seen (None if never seen: await
        :meth:`details` first)."""
        return self._last.created if self._last is not None else None

    async def done(self) -> bool:
        """Whether the job reached a final state (completed, failed or cancelled).

        Raises:
            NotFoundError: if the job does not exist (any more).
        """
        return _outcome(await self._refresh()) != "pending"

    async def wait(
        self,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        poll_interval: float | None = None,
        max_poll_interval: float | None = None,
        on_status: Callable[[str], object] | None = None,
        progress: bool = False,
    ) -> str:
        """Wait until the job completes and return its final status (see :meth:`Job.wait`).

        Raises:
            JobTimeoutError: the job is still running at ``timeout`` (it goes on).
            JobFailedError: the job failed (or ran too long, code 1305).
            JobCancelledError: the job was cancelled.
            ImportError: ``progress=True`` without the ``progress`` extra.
        """
        pacer = Pacer(
            timeout, self._engine.clock, poll_interval, max_poll_interval, self._engine.poll
        )
        show, display = _status_display(self._id, progress, on_status)
        try:
            flow = wait_flow(self._id, pacer, on_status=show)
            return self._remember(await self._engine.run(flow, pacer.hard_deadline)).status
        finally:
            if display is not None:
                display.close()

    async def cancel(self) -> None:
        """Ask the service to cancel the job (``ConflictError`` if it already finished).

        Raises:
            ConflictError: the job already finished.
            NotFoundError: no such job.
        """
        await self._engine.send(ops.cancel_job(self._id))

    async def delete(self) -> None:
        """Delete the job (only final jobs can be deleted).

        Raises:
            ConflictError: the job is not final yet.
            NotFoundError: no such job.
        """
        await self._engine.send(ops.delete_job(self._id))

    async def logs(self) -> str:
        """The job's logs (text; usually available once the job finished).

        Raises:
            NotFoundError: no such job.
        """
        return await self._engine.send(ops.get_job_logs(self._id))

    async def metrics(self) -> JobMetrics:
        """The job's timestamps and usage (see :meth:`Job.metrics`).

        Raises:
            NotFoundError: if the job does not exist (any more).
        """
        return JobMetrics._from_model(await self._engine.send(ops.get_job_metrics(self._id)))

    async def usage(self, partial: bool = False) -> float | None:
        """The job's quantum usage in seconds (see :meth:`Job.usage`).

        Raises:
            NotFoundError: if the job does not exist (any more).
        """
        return _usage_seconds(await self.metrics(), partial)

    async def tags(self) -> list[str]:
        """The job's tags, without the idempotency tag.

        Raises:
            NotFoundError: no such job.
        """
        return await self._engine.run(tags_flow(self._id))

    async def update_tags(self, tags: Iterable[str]) -> None:
        """Replace the job's tags (its idempotency tag is kept).

        Raises:
            ValidationError: tags that are not non-empty strings.
            NotFoundError: no such job.
        """
        await self._engine.run(update_tags_flow(self._id, tag_list(tags)))

    async def _wait_result(self, pacer: Pacer, progress: bool, decode: Decoder[R]) -> R:
        """Wait for the job, then download its result and ``decode`` it."""
        show, display = _status_display(self._id, progress, None)
        try:
            flow = result_flow(self._id, pacer, show, decode)
            return await self._engine.run(flow, pacer.hard_deadline)
        finally:
            if display is not None:
                display.close()


class AsyncJob(_AsyncJob):
    """The async twin of :class:`Job`: the same methods, as coroutines."""

    async def result(
        self,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        poll_interval: float | None = None,
        max_poll_interval: float | None = None,
        progress: bool = False,
    ) -> PrimitiveResult:
        """Wait for the job, then download and decode its result (see :meth:`Job.result`).

        Raises:
            JobTimeoutError: the job is still running at ``timeout``, or its result did not
                arrive in time (the job goes on).
            JobFailedError: the job failed (or ran too long, code 1305).
            JobCancelledError: the job was cancelled.
            ResultDecodeError: the result could not be decoded.
            ValidationError: the job ran the executor program (see :class:`AsyncExecutorJob`).
            ImportError: ``progress=True`` without the ``progress`` extra.
        """
        if self._program_id == "executor":
            raise _executor_result_error(self._id)
        from qiskit_runtime_rest.codec import decode_result

        pacer = Pacer(
            timeout, self._engine.clock, poll_interval, max_poll_interval, self._engine.poll
        )
        return await self._wait_result(pacer, progress, decode_result)


def _executor_result_error(job_id: str) -> ValidationError:
    return ValidationError(
        f"job {job_id} ran the executor program: its result is a QuantumProgramResult; get it "
        f"with rt.executor_job({job_id!r}).result()"
    )


def _program_decoder(program: QuantumProgram | None) -> Decoder[QuantumProgramResult]:
    """Decodes an executor result, checking its shapes against ``program`` when known."""
    from qiskit_runtime_rest.programs import decode_program_result

    def decode(payload: dict[str, Any]) -> QuantumProgramResult:
        return decode_program_result(payload, program)

    return decode


class _ExecutorHandle:
    """The program an executor job was submitted with (its result's shapes are checked against
    it), when known."""

    _program: QuantumProgram | None = None

    def _with_program(self, program: object) -> None:
        from qiskit_runtime_rest.programs import QuantumProgram

        self._program = program if isinstance(program, QuantumProgram) else None

    @property
    def program(self) -> QuantumProgram | None:
        """The :class:`~.programs.QuantumProgram` this handle submitted (None when the job was
        submitted pre-encoded, or the handle was made from an id)."""
        return self._program


class ExecutorJob(_ExecutorHandle, _SyncJob):
    """A handle on an executor job (sync): the result is a
    :class:`~qiskit_runtime_rest.programs.QuantumProgramResult`. Obtained from
    ``Executor.run()`` or ``Runtime.executor_job(id)``; the other methods are :class:`Job`'s."""

    def result(
        self,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        poll_interval: float | None = None,
        max_poll_interval: float | None = None,
        progress: bool = False,
    ) -> QuantumProgramResult:
        """Wait for the job, then download and decode its result into numpy arrays, one
        mapping per item (not cached: keep it). ``to_qiskit()`` on it gives what
        qiskit-ibm-runtime's decoders make of it.

        Raises:
            JobTimeoutError: the job is still running at ``timeout``, or its result did not
                arrive in time (the job goes on).
            JobFailedError: the job failed (or ran too long, code 1305).
            JobCancelledError: the job was cancelled.
            ResultDecodeError: the result is not a well-formed executor result, or its arrays
                do not fit the submitted program.
            ImportError: ``progress=True`` without the ``progress`` extra.
        """
        pacer = Pacer(
            timeout, self._engine.clock, poll_interval, max_poll_interval, self._engine.poll
        )
        return self._wait_result(pacer, progress, _program_decoder(self._program))


class AsyncExecutorJob(_ExecutorHandle, _AsyncJob):
    """The async twin of :class:`ExecutorJob`."""

    async def result(
        self,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        poll_interval: float | None = None,
        max_poll_interval: float | None = None,
        progress: bool = False,
    ) -> QuantumProgramResult:
        """Wait for the job, then download and decode its result (see
        :meth:`ExecutorJob.result`).

        Raises:
            JobTimeoutError: the job is still running at ``timeout``, or its result did not
                arrive in time (the job goes on).
            JobFailedError: the job failed (or ran too long, code 1305).
            JobCancelledError: the job was cancelled.
            ResultDecodeError: the result is not a well-formed executor result, or its arrays
                do not fit the submitted program.
            ImportError: ``progress=True`` without the ``progress`` extra.
        """
        pacer = Pacer(
            timeout, self._engine.clock, poll_interval, max_poll_interval, self._engine.poll
        )
        decode = _program_decoder(self._program)
        return await self._wait_result(pacer, progress, decode)
