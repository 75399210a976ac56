"""Sampler, Estimator and Executor: their input plus options become a job, submitted exactly once.

``rt.sampler(backend, options=...).run(pubs)`` returns a :class:`~qiskit_runtime_rest.jobs.Job`
(``AsyncJob`` with the async client); ``rt.executor(backend).run(program)`` an
:class:`~qiskit_runtime_rest.jobs.ExecutorJob` (a quantum program of the executor program, see
:mod:`qiskit_runtime_rest.programs`). Inside a session or batch the jobs carry its
``session_id``.

**A submission is never duplicated.** ``POST /jobs`` is not idempotent, so every submission
carries a client-generated tag ``qrr-<uuid4 hex>`` (added to the job's ``tags``; jobs hold at
most 8 tags, so 7 are left to the caller). Then:

* a 429 answer means the job was not created: the request is repeated after ``Retry-After``
  (by the retry policy), as is a connection failure before anything was sent;
* a 409 (usage limit) or any other 4xx is raised: nothing was created, and repeating would not
  help;
* an *ambiguous* failure (a 5xx, a dropped connection, a timeout after the request was sent,
  or a success answer whose body cannot be read) may or may not have created the job. The
  client waits a backoff delay, looks the job up with ``GET /jobs?tags=<tag>&limit=2`` and
  adopts it if found; only if it is not found does it submit again (same body, same tag),
  within the retry policy's attempt and time budget.

**Deadline.** A whole ``run()``, retries and look-ups included, ends within ``Timeouts.submit``
seconds (300 s by default) of its start; past it, the last failure (an ``APITimeoutError`` for a
silent server) is raised, with a note naming the tag to look for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, Protocol, TypeVar

import attrs

from qiskit_runtime_rest import _operations as ops
from qiskit_runtime_rest._core import AsyncEngine, Engine, Flow, Sleep, describe
from qiskit_runtime_rest.errors import (
    APIConnectionError,
    MalformedResponseError,
    RuntimeRestError,
    ServerError,
    ValidationError,
)
from qiskit_runtime_rest.jobs import (
    AsyncExecutorJob,
    AsyncJob,
    ExecutorJob,
    Job,
    new_idempotency_tag,
    tag_list,
)
from qiskit_runtime_rest.retry import request_was_sent

if TYPE_CHECKING:
    from qiskit_runtime_api.models import (
        EstimatorJobRequest,
        ExecutorJobRequest,
        SamplerJobRequest,
    )

    from qiskit_runtime_rest._core import _EngineBase
    from qiskit_runtime_rest.options import EstimatorOptions, SamplerOptions
    from qiskit_runtime_rest.programs import EncodedProgram, ExecutorOptions, QuantumProgram
    from qiskit_runtime_rest.pubs import EstimatorPubLike, SamplerPubLike
    from qiskit_runtime_rest.retry import RetryPolicy

    JobRequest = SamplerJobRequest | EstimatorJobRequest | ExecutorJobRequest

__all__ = [
    "AsyncEstimator",
    "AsyncExecutor",
    "AsyncSampler",
    "Estimator",
    "Executor",
    "Sampler",
    "Submitted",
    "submit_flow",
]

logger = logging.getLogger("qiskit_runtime_rest")

ProgramId = Literal["sampler", "estimator", "executor"]
SyncJobT = TypeVar("SyncJobT", Job, ExecutorJob)
AsyncJobT = TypeVar("AsyncJobT", AsyncJob, AsyncExecutorJob)


class Mode(Protocol):
    """What a primitive needs of the session or batch its jobs run in."""

    @property
    def id(self) -> str: ...

    @property
    def closed(self) -> bool: ...


@attrs.frozen
class Submitted:
    """What a submission produced: the job's id, backend and session."""

    id: str
    backend: str | None
    session_id: str | None
    adopted: bool = False


def submit_flow(
    request: JobRequest,
    tag: str,
    policy: RetryPolicy,
    clock: Callable[[], float],
    deadline: float | None = None,
) -> Flow[Submitted]:
    """Submit ``request`` (which carries ``tag``) so that at most one job is created, by
    ``deadline`` (a ``clock()`` value)."""
    start = clock()
    submit = ops.create_job(body=request)
    attempt = 1
    while True:
        try:
            created = yield from submit
        except (ServerError, APIConnectionError, MalformedResponseError) as exc:
            # A 5xx, a lost answer or an unreadable 200: the job may exist all the same.
            if not request_was_sent(exc):
                raise  # never reached the server (the engine already retried): nothing created
            ambiguous: Exception = exc
        else:
            session_id = created.session_id if isinstance(created.session_id, str) else None
            return Submitted(created.id, created.backend, session_id)
        logger.warning(
            "job submission got %s: it may have been created; looking it up by its tag %s",
            describe(ambiguous),
            tag,
        )
        pause = policy.backoff(attempt, ambiguous)
        if deadline is not None:
            pause = min(pause, deadline - clock())
        yield from Sleep(pause)
        try:
            page = yield from ops.list_jobs(limit=2, offset=0, tags=[tag], exclude_params=True)
        except RuntimeRestError as lookup_error:
            ambiguous.add_note(
                f"the job may have been created: look for a job tagged {tag!r} "
                f"(the look-up failed: {describe(lookup_error)})"
            )
            raise ambiguous from lookup_error
        if page.jobs:
            if len(page.jobs) > 1:
                logger.warning("%d jobs carry tag %s; adopting the oldest", len(page.jobs), tag)
            model = min(page.jobs, key=lambda m: m.created)
            logger.info("adopted job %s created by the ambiguous submission", model.id)
            return Submitted(
                model.id,
                model.backend if isinstance(model.backend, str) else None,
                model.session_id if isinstance(model.session_id, str) else None,
                adopted=True,
            )
        out_of_time = deadline is not None and clock() >= deadline
        if out_of_time or policy.gives_up(attempt, clock() - start, 0.0, ambiguous):
            ambiguous.add_note(f"no job tagged {tag!r} was found; it was not submitted again")
            raise ambiguous
        attempt += 1
        logger.info("no job tagged %s: submitting again (attempt %d)", tag, attempt)


class _Primitive:
    """What the primitives (and their async twins) share: building the job body."""

    program_id: ClassVar[ProgramId]

    def __init__(self, backend: str, options: Any = None, *, session: Mode | None = None) -> None:
        if not isinstance(backend, str) or not backend:
            raise ValidationError("backend must be a backend name")
        self._backend = backend
        self._options = options
        self._session = session

    @property
    def backend(self) -> str:
        """The backend this primitive's jobs run on."""
        return self._backend

    @property
    def session_id(self) -> str | None:
        """The session or batch its jobs join (None in job mode)."""
        return self._session.id if self._session is not None else None

    def _prepare(
        self, engine: _EngineBase, pubs: Any, tags: Iterable[str], deadline: float | None
    ) -> tuple[Flow[Submitted], str, str | None]:
        """The submission flow of a job, its idempotency tag and its session."""
        from qiskit_runtime_rest.payloads import build_job_request

        session = self._session
        session_id = None if session is None else session.id
        if session is not None and session.closed:
            raise ValidationError(f"session {session_id} is closed; it takes no new jobs")
        tag = new_idempotency_tag()
        request = build_job_request(
            self.program_id,
            self._backend,
            pubs,
            self._options,
            session_id=session_id,
            tags=(*tag_list(tags), tag),
            instance_hgp=engine.legacy_instance,
        )
        flow = submit_flow(request, tag, engine.retry, engine.clock, deadline)
        return flow, tag, session_id

    def __repr__(self) -> str:
        session = f", session_id={self.session_id!r}" if self._session is not None else ""
        return f"{type(self).__name__}(backend={self._backend!r}{session})"


class _SyncPrimitive(_Primitive, Generic[SyncJobT]):
    _job: type[SyncJobT]

    def __init__(
        self,
        engine: Engine,
        backend: str,
        options: Any = None,
        *,
        session: Mode | None = None,
    ) -> None:
        super().__init__(backend, options, session=session)
        self._engine = engine

    def _submit(self, pubs: Any, tags: Iterable[str]) -> SyncJobT:
        engine = self._engine
        deadline = engine.deadline(engine.timeouts.submit)
        flow, tag, session_id = self._prepare(engine, pubs, tags, deadline)
        job = engine.run(flow, deadline)
        return self._job(
            engine,
            job.id,
            backend=job.backend or self._backend,
            session_id=job.session_id or session_id,
            program_id=self.program_id,
            idempotency_tag=tag,
        )


class _AsyncPrimitive(_Primitive, Generic[AsyncJobT]):
    _job: type[AsyncJobT]

    def __init__(
        self,
        engine: AsyncEngine,
        backend: str,
        options: Any = None,
        *,
        session: Mode | None = None,
    ) -> None:
        super().__init__(backend, options, session=session)
        self._engine = engine

    async def _submit(self, pubs: Any, tags: Iterable[str]) -> AsyncJobT:
        engine = self._engine
        deadline = engine.deadline(engine.timeouts.submit)
        flow, tag, session_id = self._prepare(engine, pubs, tags, deadline)
        job = await engine.run(flow, deadline)
        return self._job(
            engine,
            job.id,
            backend=job.backend or self._backend,
            session_id=job.session_id or session_id,
            program_id=self.program_id,
            idempotency_tag=tag,
        )


class Sampler(_SyncPrimitive[Job]):
    """The V2 Sampler on one backend (in job mode, or in a session / batch).

    ``sampler.options`` holds its :class:`~qiskit_runtime_rest.SamplerOptions`;
    ``sampler.with_options(default_shots=2000)`` is a new Sampler with changed options.
    """

    program_id: ClassVar[ProgramId] = "sampler"
    _job = Job

    @property
    def options(self) -> SamplerOptions:
        """The options of this Sampler's jobs (immutable; see :meth:`with_options`)."""
        return _sampler_options(self._options)

    def with_options(self, options: SamplerOptions | None = None, **changes: Any) -> Sampler:
        """A Sampler like this one (same backend, session) with other options: ``options``
        replaces them, ``changes`` are applied as by ``SamplerOptions.replace``.

        Raises:
            ValidationError: for an unknown option or a value it does not accept.
        """
        return Sampler(
            self._engine,
            self._backend,
            _changed(options or self.options, changes),
            session=self._session,
        )

    def run(
        self,
        pubs: Sequence[SamplerPubLike],
        *,
        shots: int | None = None,
        tags: Sequence[str] = (),
    ) -> Job:
        """Submit Sampler PUBs (``SamplerPub`` objects, circuits or tuples) as one job.

        ``shots`` applies to the PUBs that set none (as in qiskit's ``SamplerV2.run``); without
        it, such PUBs get ``options.default_shots`` or the service's default.

        Raises:
            ValidationError: before anything is sent, for bad PUBs, shots, options or tags.
            APIError: a subclass for the service's refusal (``BadRequestError``,
                ``ConflictError`` when the instance's usage limit is reached, ...).
            APIConnectionError: ``APITimeoutError`` when the submission deadline passed.
        """
        return self._submit(pubs if shots is None else _with_shots(pubs, shots), tags)


class Estimator(_SyncPrimitive[Job]):
    """The V2 Estimator on one backend (in job mode, or in a session / batch).

    ``estimator.options`` holds its :class:`~qiskit_runtime_rest.EstimatorOptions`;
    ``estimator.with_options(resilience_level=2)`` is a new Estimator with changed options.
    """

    program_id: ClassVar[ProgramId] = "estimator"
    _job = Job

    @property
    def options(self) -> EstimatorOptions:
        """The options of this Estimator's jobs (immutable; see :meth:`with_options`)."""
        return _estimator_options(self._options)

    def with_options(self, options: EstimatorOptions | None = None, **changes: Any) -> Estimator:
        """An Estimator like this one with other options (see :meth:`Sampler.with_options`).

        Raises:
            ValidationError: for an unknown option or a value it does not accept.
        """
        return Estimator(
            self._engine,
            self._backend,
            _changed(options or self.options, changes),
            session=self._session,
        )

    def run(
        self,
        pubs: Sequence[EstimatorPubLike],
        *,
        precision: float | None = None,
        tags: Sequence[str] = (),
    ) -> Job:
        """Submit Estimator PUBs (``EstimatorPub`` objects or tuples) as one job.

        ``precision`` applies to the PUBs that set none (as in qiskit's ``EstimatorV2.run``);
        without it, such PUBs get ``options.default_precision`` or the service's default.

        Raises:
            ValidationError: before anything is sent, for bad PUBs, precision, options or tags.
            APIError: a subclass for the service's refusal (see :meth:`Sampler.run`).
            APIConnectionError: ``APITimeoutError`` when the submission deadline passed.
        """
        return self._submit(_with_precision(pubs, precision), tags)


class AsyncSampler(_AsyncPrimitive[AsyncJob]):
    """The async twin of :class:`Sampler`."""

    program_id: ClassVar[ProgramId] = "sampler"
    _job = AsyncJob

    @property
    def options(self) -> SamplerOptions:
        """The options of this Sampler's jobs (immutable; see :meth:`with_options`)."""
        return _sampler_options(self._options)

    def with_options(self, options: SamplerOptions | None = None, **changes: Any) -> AsyncSampler:
        """An AsyncSampler with other options (see :meth:`Sampler.with_options`).

        Raises:
            ValidationError: for an unknown option or a value it does not accept.
        """
        return AsyncSampler(
            self._engine,
            self._backend,
            _changed(options or self.options, changes),
            session=self._session,
        )

    async def run(
        self,
        pubs: Sequence[SamplerPubLike],
        *,
        shots: int | None = None,
        tags: Sequence[str] = (),
    ) -> AsyncJob:
        """Submit Sampler PUBs as one job (see :meth:`Sampler.run`).

        Raises:
            ValidationError: before anything is sent, for bad PUBs, shots, options or tags.
            APIError: a subclass for the service's refusal.
            APIConnectionError: ``APITimeoutError`` when the submission deadline passed.
        """
        return await self._submit(pubs if shots is None else _with_shots(pubs, shots), tags)


class AsyncEstimator(_AsyncPrimitive[AsyncJob]):
    """The async twin of :class:`Estimator`."""

    program_id: ClassVar[ProgramId] = "estimator"
    _job = AsyncJob

    @property
    def options(self) -> EstimatorOptions:
        """The options of this Estimator's jobs (immutable; see :meth:`with_options`)."""
        return _estimator_options(self._options)

    def with_options(
        self, options: EstimatorOptions | None = None, **changes: Any
    ) -> AsyncEstimator:
        """An AsyncEstimator with other options (see :meth:`Sampler.with_options`).

        Raises:
            ValidationError: for an unknown option or a value it does not accept.
        """
        return AsyncEstimator(
            self._engine,
            self._backend,
            _changed(options or self.options, changes),
            session=self._session,
        )

    async def run(
        self,
        pubs: Sequence[EstimatorPubLike],
        *,
        precision: float | None = None,
        tags: Sequence[str] = (),
    ) -> AsyncJob:
        """Submit Estimator PUBs as one job (see :meth:`Estimator.run`).

        Raises:
            ValidationError: before anything is sent, for bad PUBs, precision, options or tags.
            APIError: a subclass for the service's refusal.
            APIConnectionError: ``APITimeoutError`` when the submission deadline passed.
        """
        return await self._submit(_with_precision(pubs, precision), tags)


class Executor(_SyncPrimitive[ExecutorJob]):
    """The executor program on one backend (in job mode, or in a session / batch): runs
    quantum programs, the input of qiskit-ibm-runtime's next-generation primitives.

    ``executor.run(QuantumProgram([CircuitItem(qasm, values)], shots=100))`` submits one job;
    ``executor.options`` holds its :class:`~qiskit_runtime_rest.ExecutorOptions`.
    """

    program_id: ClassVar[ProgramId] = "executor"
    _job = ExecutorJob

    @property
    def options(self) -> ExecutorOptions:
        """The options of this Executor's jobs (immutable; see :meth:`with_options`)."""
        return _executor_options(self._options)

    def with_options(self, options: ExecutorOptions | None = None, **changes: Any) -> Executor:
        """An Executor like this one (same backend, session) with other options: ``options``
        replaces them, ``changes`` are applied as by ``attrs.evolve``.

        Raises:
            ValidationError: for an unknown option.
        """
        changed = _evolved(options or self.options, changes)
        return Executor(self._engine, self._backend, changed, session=self._session)

    def run(
        self,
        program: QuantumProgram | EncodedProgram,
        *,
        options: ExecutorOptions | None = None,
        tags: Sequence[str] | None = None,
    ) -> ExecutorJob:
        """Submit a quantum program as one job: a :class:`~qiskit_runtime_rest.QuantumProgram`
        (OpenQASM 3 and numpy) or an :class:`~qiskit_runtime_rest.EncodedProgram` (params
        encoded already, e.g. by qiskit-ibm-runtime: ``EncodedProgram.from_qiskit(program)``).
        ``options`` replace this Executor's for this job.

        Raises:
            ValidationError: before anything is sent, for a bad program, options or tags.
            APIError: a subclass for the service's refusal (``BadRequestError`` naming the bad
                field, ``ConflictError`` when the instance's usage limit is reached, ...).
            APIConnectionError: ``APITimeoutError`` when the submission deadline passed.
        """
        executor = self if options is None else self.with_options(options)
        job = executor._submit(program, () if tags is None else tags)
        job._with_program(program)
        return job


class AsyncExecutor(_AsyncPrimitive[AsyncExecutorJob]):
    """The async twin of :class:`Executor`."""

    program_id: ClassVar[ProgramId] = "executor"
    _job = AsyncExecutorJob

    @property
    def options(self) -> ExecutorOptions:
        """The options of this Executor's jobs (immutable; see :meth:`with_options`)."""
        return _executor_options(self._options)

    def with_options(self, options: ExecutorOptions | None = None, **changes: Any) -> AsyncExecutor:
        """An AsyncExecutor with other options (see :meth:`Executor.with_options`).

        Raises:
            ValidationError: for an unknown option.
        """
        changed = _evolved(options or self.options, changes)
        return AsyncExecutor(self._engine, self._backend, changed, session=self._session)

    async def run(
        self,
        program: QuantumProgram | EncodedProgram,
        *,
        options: ExecutorOptions | None = None,
        tags: Sequence[str] | None = None,
    ) -> AsyncExecutorJob:
        """Submit a quantum program as one job (see :meth:`Executor.run`).

        Raises:
            ValidationError: before anything is sent, for a bad program, options or tags.
            APIError: a subclass for the service's refusal.
            APIConnectionError: ``APITimeoutError`` when the submission deadline passed.
        """
        executor = self if options is None else self.with_options(options)
        job = await executor._submit(program, () if tags is None else tags)
        job._with_program(program)
        return job


# -- options and per-call defaults ---------------------------------------------------------------

_Opts = TypeVar("_Opts", "SamplerOptions", "EstimatorOptions")


def _sampler_options(options: object) -> SamplerOptions:
    from qiskit_runtime_rest.options import SamplerOptions

    return options if isinstance(options, SamplerOptions) else SamplerOptions()


def _estimator_options(options: object) -> EstimatorOptions:
    from qiskit_runtime_rest.options import EstimatorOptions

    return options if isinstance(options, EstimatorOptions) else EstimatorOptions()


def _changed(options: _Opts, changes: dict[str, Any]) -> _Opts:
    return options.replace(**changes) if changes else options


def _executor_options(options: object) -> ExecutorOptions:
    from qiskit_runtime_rest.programs import ExecutorOptions

    return options if isinstance(options, ExecutorOptions) else ExecutorOptions()


def _evolved(options: ExecutorOptions, changes: dict[str, Any]) -> ExecutorOptions:
    from qiskit_runtime_rest.programs import ExecutorOptions

    if not isinstance(options, ExecutorOptions):
        raise ValidationError(f"an Executor takes ExecutorOptions, got {type(options).__name__}")
    if not changes:
        return options
    try:
        return attrs.evolve(options, **changes)
    except TypeError as exc:
        raise ValidationError(f"unknown executor option: {exc}") from None


def _check_pub_list(pubs: object) -> Sequence[Any]:
    if isinstance(pubs, str | bytes) or not isinstance(pubs, Sequence):
        raise ValidationError(
            "pubs must be a list of PUBs: wrap a single PUB in a list, e.g. run([pub])"
        )
    return pubs


def _with_shots(pubs: Sequence[SamplerPubLike], shots: int | None) -> Sequence[SamplerPubLike]:
    """The PUBs, those without shots given ``shots`` (qiskit's ``SamplerV2.run`` rule)."""
    if shots is None:
        return pubs
    from qiskit_runtime_rest.pubs import as_sampler_pub

    out = []
    for pub in _check_pub_list(pubs):
        coerced = as_sampler_pub(pub)
        out.append(coerced if coerced.shots is not None else coerced.with_shots(shots))
    return out


def _with_precision(
    pubs: Sequence[EstimatorPubLike], precision: float | None
) -> Sequence[EstimatorPubLike]:
    """The PUBs, those without precision given ``precision`` (``EstimatorV2.run``'s rule)."""
    if precision is None:
        return pubs
    from qiskit_runtime_rest.pubs import as_estimator_pub

    out = []
    for pub in _check_pub_list(pubs):
        coerced = as_estimator_pub(pub)
        out.append(coerced if coerced.precision is not None else coerced.with_precision(precision))
    return out
