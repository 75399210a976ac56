"""Execution modes: sessions (``mode: dedicated``) and batches (``mode: batch``).

``with rt.session(backend, max_time=600) as s:`` creates a session (``POST /sessions``), routes
the jobs of ``s.sampler()`` / ``s.estimator()`` / ``s.executor()`` into it, and **closes** it on
every way out of the block, exceptions and ``KeyboardInterrupt`` included. Closing
(``PATCH /sessions/{id}`` with ``accepting_jobs: false``) stops new jobs but lets the queued ones
run, so a batch can be left as soon as its jobs are submitted. ``cancel()``
(``DELETE /sessions/{id}/close``) also stops queued jobs; ``cancel_on_error=True`` makes an
exception in the block cancel instead of close. ``close_on_exit=False`` leaves the session open.

``close()`` and ``cancel()`` are idempotent: repeating them sends nothing, and a 404 (the session
is gone) is ignored. Cleanup on exit never hides the block's own exception: a cleanup failure is
logged at WARNING and the original exception propagates.

``POST /sessions`` is not idempotent and sessions carry no tags to look them up by, so it is
retried only when the service answered 429 or the connection failed before the request was sent;
any other failure is raised (a session may then exist; it expires after its TTL).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, Self, TypeVar

from qiskit_runtime_rest import _operations as ops
from qiskit_runtime_rest._core import AsyncEngine, Call, Engine, Flow
from qiskit_runtime_rest.errors import NotFoundError, ValidationError
from qiskit_runtime_rest.jobs import AsyncJob, Job, JobQuery, aiter_jobs, iter_jobs
from qiskit_runtime_rest.primitives import (
    AsyncEstimator,
    AsyncExecutor,
    AsyncSampler,
    Estimator,
    Executor,
    Sampler,
)

if TYPE_CHECKING:
    from qiskit_runtime_api.models import Session as SessionModel

    from qiskit_runtime_rest.options import EstimatorOptions, SamplerOptions
    from qiskit_runtime_rest.programs import ExecutorOptions
    from qiskit_runtime_rest.views import SessionDetails

__all__ = ["AsyncBatch", "AsyncSession", "Batch", "Session"]

logger = logging.getLogger("qiskit_runtime_rest")

Mode = Literal["dedicated", "batch"]
ExitAction = Literal["close", "cancel"]


# -- shared logic -----------------------------------------------------------------------------


def create_session_call(
    backend: str,
    mode: Mode,
    *,
    max_time: int | None,
    legacy_instance: tuple[str, str, str] | None,
) -> Call[SessionModel]:
    """``POST /sessions``: current body ``{backend, mode, max_ttl}``; legacy adds ``instance``
    and spells the lifetime ``max_session_ttl``."""
    from qiskit_runtime_api.models import CreateSessionRequest

    if not isinstance(backend, str) or not backend:
        raise ValidationError("backend must be a backend name")
    if max_time is not None and (
        isinstance(max_time, bool) or not isinstance(max_time, int) or max_time <= 0
    ):
        raise ValidationError(f"max_time must be a positive number of seconds, got {max_time!r}")
    body = CreateSessionRequest(backend=backend, mode=mode)
    if legacy_instance is not None:
        body.instance = "/".join(legacy_instance)
        if max_time is not None:
            body.max_session_ttl = max_time
    elif max_time is not None:
        body.max_ttl = max_time
    return ops.create_session(body=body)


def check_mode(model: SessionModel, expected: Mode) -> None:
    if model.mode != expected:
        kind = "batch" if model.mode == "batch" else "session"
        want = "batch_from_id" if model.mode == "batch" else "session_from_id"
        raise ValidationError(
            f"{model.id} is a {kind} (mode {model.mode!r}), not a "
            f"{'batch' if expected == 'batch' else 'session'}; use {want}()"
        )


def _end_flow(session_id: str, action: ExitAction) -> Flow[None]:
    """Close (``PATCH accepting_jobs: false``: queued jobs still run) or cancel (``DELETE
    /sessions/{id}/close``: queued jobs do not run) a session; both are idempotent."""
    from qiskit_runtime_api.models import UpdateSessionRequest

    if action == "cancel":
        call = ops.cancel_session(session_id)
    else:
        call = ops.update_session(session_id, body=UpdateSessionRequest(accepting_jobs=False))
    try:
        yield from call
    except NotFoundError:
        logger.info("session %s not found while trying to %s it (already gone)", session_id, action)


def exit_action(
    exc_type: type[BaseException] | None, *, close_on_exit: bool, cancel_on_error: bool
) -> ExitAction | None:
    """What leaving a ``with`` block does."""
    if exc_type is not None and cancel_on_error:
        return "cancel"
    return "close" if close_on_exit else None


def _cleanup_failed(
    session_id: str, action: ExitAction, exc_type: type[BaseException] | None, error: Exception
) -> None:
    if exc_type is None:
        raise error
    logger.warning(
        "could not %s session %s while handling %s: %s: %s",
        action,
        session_id,
        exc_type.__name__,
        type(error).__name__,
        error,
    )


def _session_details(model: SessionModel) -> SessionDetails:
    from qiskit_runtime_rest.views import SessionDetails

    return SessionDetails._from_model(model)


def _session_query(session_id: str, limit: int | None, filters: dict[str, Any]) -> JobQuery:
    try:
        return JobQuery(limit=limit, session_id=session_id, **filters)
    except TypeError as exc:
        raise ValidationError(f"unknown job filter: {exc}") from None


class _ModeBase:
    mode: ClassVar[Mode] = "dedicated"

    def __init__(
        self,
        session_id: str,
        backend: str | None,
        *,
        close_on_exit: bool = True,
        cancel_on_error: bool = False,
        model: SessionModel | None = None,
    ) -> None:
        self._id = session_id
        self._backend = backend
        self.close_on_exit = close_on_exit
        self.cancel_on_error = cancel_on_error
        self._closed = False
        self._cancelled = False
        self._last = model

    @property
    def id(self) -> str:
        """The session id (sent as ``session_id`` by the jobs of this session)."""
        return self._id

    @property
    def session_id(self) -> str:
        """The session id (alias of ``id``)."""
        return self._id

    @property
    def backend(self) -> str | None:
        """The backend the session runs on."""
        return self._backend

    @property
    def closed(self) -> bool:
        """Whether this handle closed or cancelled the session."""
        return self._closed

    def _remember(self, model: SessionModel) -> SessionModel:
        self._last = model
        if isinstance(model.backend_name, str):
            self._backend = model.backend_name
        return model

    def _end(self, action: ExitAction) -> Flow[None] | None:
        """The flow that closes or cancels, or None if already done (idempotence)."""
        if self._cancelled or (action == "close" and self._closed):
            return None
        return _end_flow(self._id, action)

    def _ended(self, action: ExitAction) -> None:
        self._closed = True
        self._cancelled = self._cancelled or action == "cancel"

    def _backend_name(self) -> str:
        if not self._backend:
            raise ValidationError(f"session {self._id} has no backend yet")
        return self._backend

    def __repr__(self) -> str:
        state = " closed" if self._closed else ""
        return f"{type(self).__name__}(id={self._id!r}, backend={self._backend!r}{state})"


# -- sync -------------------------------------------------------------------------------------


class Session(_ModeBase):
    """A session (``mode: dedicated``): jobs get priority on the backend between them."""

    mode: ClassVar[Mode] = "dedicated"

    def __init__(self, engine: Engine, session_id: str, backend: str | None, **kwargs: Any) -> None:
        super().__init__(session_id, backend, **kwargs)
        self._engine = engine

    @classmethod
    def _create(
        cls,
        engine: Engine,
        backend: str,
        *,
        max_time: int | None = None,
        close_on_exit: bool = True,
        cancel_on_error: bool = False,
    ) -> Self:
        call = create_session_call(
            backend, cls.mode, max_time=max_time, legacy_instance=engine.legacy_instance
        )
        model = engine.send(call)
        session = cls(
            engine,
            model.id,
            model.backend_name if isinstance(model.backend_name, str) else backend,
            close_on_exit=close_on_exit,
            cancel_on_error=cancel_on_error,
            model=model,
        )
        logger.info("opened %s %s on %s", cls.mode, model.id, session.backend)
        return session

    @classmethod
    def _attach(cls, engine: Engine, session_id: str) -> Self:
        model = engine.send(ops.get_session(session_id))
        check_mode(model, cls.mode)
        return cls(
            engine,
            model.id,
            model.backend_name if isinstance(model.backend_name, str) else None,
            model=model,
        )

    def sampler(self, options: SamplerOptions | None = None) -> Sampler:
        """A Sampler whose jobs run in this session.

        Raises:
            ValidationError: the session has no backend yet.
        """
        return Sampler(self._engine, self._backend_name(), options, session=self)

    def estimator(self, options: EstimatorOptions | None = None) -> Estimator:
        """An Estimator whose jobs run in this session.

        Raises:
            ValidationError: the session has no backend yet.
        """
        return Estimator(self._engine, self._backend_name(), options, session=self)

    def executor(self, options: ExecutorOptions | None = None) -> Executor:
        """An Executor (quantum programs) whose jobs run in this session.

        Raises:
            ValidationError: the session has no backend yet.
        """
        return Executor(self._engine, self._backend_name(), options, session=self)

    def details(self) -> SessionDetails:
        """Refresh and return the session as the service describes it (state,
        accepting_jobs, TTLs, timestamps, usage).

        Raises:
            NotFoundError: if the session does not exist (any more).
        """
        return _session_details(self._remember(self._engine.send(ops.get_session(self._id))))

    def status(self) -> str:
        """The session's ``state`` (``open``, ``active``, ``inactive``, ``closed``, or newer).

        Raises:
            NotFoundError: if the session does not exist (any more).
        """
        return self.details().state or "unknown"

    def usage(self) -> float | None:
        """The session's usage so far in seconds (``elapsed_time``), as qiskit-ibm-runtime's
        ``Session.usage()``: for a session, from its first job's start until it ends; for a
        batch, the time its jobs spent on the QPU. None until the service reports it.

        Raises:
            NotFoundError: if the session does not exist (any more).
        """
        return self.details().elapsed_time

    def jobs(self, limit: int | None = None, **filters: Any) -> Iterator[Job]:
        """The jobs of this session (newest first; all of them unless ``limit``), fetched
        page by page; ``filters`` as in :meth:`Runtime.jobs`.

        Raises:
            ValidationError: for an unknown filter or a negative ``limit``.
        """
        return iter_jobs(self._engine, _session_query(self._id, limit, filters))

    def close(self) -> None:
        """Stop accepting jobs; queued jobs still run. Idempotent; a 404 is ignored.

        Raises:
            APIError: a subclass for a refused request (a 404 is ignored).
        """
        flow = self._end("close")
        if flow is not None:
            self._engine.run(flow)
            self._ended("close")

    def cancel(self) -> None:
        """Stop accepting jobs and drop the queued ones. Idempotent; a 404 is ignored.

        Raises:
            APIError: a subclass for a refused request (a 404 is ignored).
        """
        flow = self._end("cancel")
        if flow is not None:
            self._engine.run(flow)
            self._ended("cancel")

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        action = exit_action(
            exc_type, close_on_exit=self.close_on_exit, cancel_on_error=self.cancel_on_error
        )
        if action is None:
            return
        try:
            self.cancel() if action == "cancel" else self.close()
        except Exception as error:
            _cleanup_failed(self._id, action, exc_type, error)


class Batch(Session):
    """A batch (``mode: batch``): submit all jobs up front, then leave the block."""

    mode: ClassVar[Mode] = "batch"


# -- async ------------------------------------------------------------------------------------


class AsyncSession(_ModeBase):
    """The async twin of :class:`Session` (``async with rt.session(...) as s``)."""

    mode: ClassVar[Mode] = "dedicated"

    def __init__(
        self, engine: AsyncEngine, session_id: str, backend: str | None, **kwargs: Any
    ) -> None:
        super().__init__(session_id, backend, **kwargs)
        self._engine = engine
        self._ending: Awaitable[None] | None = None  # the cleanup of the ``async with`` exit

    @classmethod
    async def _create(
        cls,
        engine: AsyncEngine,
        backend: str,
        *,
        max_time: int | None = None,
        close_on_exit: bool = True,
        cancel_on_error: bool = False,
    ) -> Self:
        call = create_session_call(
            backend, cls.mode, max_time=max_time, legacy_instance=engine.legacy_instance
        )
        model = await engine.send(call)
        session = cls(
            engine,
            model.id,
            model.backend_name if isinstance(model.backend_name, str) else backend,
            close_on_exit=close_on_exit,
            cancel_on_error=cancel_on_error,
            model=model,
        )
        logger.info("opened %s %s on %s", cls.mode, model.id, session.backend)
        return session

    @classmethod
    async def _attach(cls, engine: AsyncEngine, session_id: str) -> Self:
        model = await engine.send(ops.get_session(session_id))
        check_mode(model, cls.mode)
        return cls(
            engine,
            model.id,
            model.backend_name if isinstance(model.backend_name, str) else None,
            model=model,
        )

    def sampler(self, options: SamplerOptions | None = None) -> AsyncSampler:
        """An AsyncSampler whose jobs run in this session.

        Raises:
            ValidationError: the session has no backend yet.
        """
        return AsyncSampler(self._engine, self._backend_name(), options, session=self)

    def estimator(self, options: EstimatorOptions | None = None) -> AsyncEstimator:
        """An AsyncEstimator whose jobs run in this session.

        Raises:
            ValidationError: the session has no backend yet.
        """
        return AsyncEstimator(self._engine, self._backend_name(), options, session=self)

    def executor(self, options: ExecutorOptions | None = None) -> AsyncExecutor:
        """An AsyncExecutor (quantum programs) whose jobs run in this session.

        Raises:
            ValidationError: the session has no backend yet.
        """
        return AsyncExecutor(self._engine, self._backend_name(), options, session=self)

    async def details(self) -> SessionDetails:
        """Refresh and return the session (see :meth:`Session.details`).

        Raises:
            NotFoundError: if the session does not exist (any more).
        """
        model = await self._engine.send(ops.get_session(self._id))
        return _session_details(self._remember(model))

    async def status(self) -> str:
        """The session's ``state``.

        Raises:
            NotFoundError: if the session does not exist (any more).
        """
        return (await self.details()).state or "unknown"

    async def usage(self) -> float | None:
        """The session's usage so far in seconds (see :meth:`Session.usage`).

        Raises:
            NotFoundError: if the session does not exist (any more).
        """
        return (await self.details()).elapsed_time

    def jobs(self, limit: int | None = None, **filters: Any) -> AsyncIterator[AsyncJob]:
        """The jobs of this session (see :meth:`Session.jobs`).

        Raises:
            ValidationError: for an unknown filter or a negative ``limit``.
        """
        return aiter_jobs(self._engine, _session_query(self._id, limit, filters))

    async def close(self) -> None:
        """Stop accepting jobs; queued jobs still run. Idempotent; a 404 is ignored.

        Raises:
            APIError: a subclass for a refused request (a 404 is ignored).
        """
        flow = self._end("close")
        if flow is not None:
            await self._engine.run(flow)
            self._ended("close")

    async def cancel(self) -> None:
        """Stop accepting jobs and drop the queued ones. Idempotent; a 404 is ignored.

        Raises:
            APIError: a subclass for a refused request (a 404 is ignored).
        """
        flow = self._end("cancel")
        if flow is not None:
            await self._engine.run(flow)
            self._ended("cancel")

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        action = exit_action(
            exc_type, close_on_exit=self.close_on_exit, cancel_on_error=self.cancel_on_error
        )
        if action is None:
            return
        # Shielded: a second cancellation (a task cancelled twice, a timeout around the cleanup)
        # must not abandon the close request halfway; it finishes in the background and the
        # cancellation propagates. The handle keeps a reference to the task until it is done.
        import asyncio

        ending = asyncio.ensure_future(self._exit_cleanup(action, exc_type))
        # if nobody awaits it any more (cancelled again), its outcome is still collected
        ending.add_done_callback(lambda task: task.cancelled() or task.exception())
        self._ending = ending
        await asyncio.shield(ending)

    async def _exit_cleanup(self, action: ExitAction, exc_type: type[BaseException] | None) -> None:
        try:
            await (self.cancel() if action == "cancel" else self.close())
        except Exception as error:
            _cleanup_failed(self._id, action, exc_type, error)


class AsyncBatch(AsyncSession):
    """The async twin of :class:`Batch`."""

    mode: ClassVar[Mode] = "batch"


S = TypeVar("S", bound=AsyncSession)


class Opening(Generic[S]):
    """What ``AsyncRuntime.session()`` returns: ``await`` it, or ``async with`` it.

    ``s = await rt.session(...)`` opens the session; ``async with rt.session(...) as s:`` opens it
    and closes it on the way out.
    """

    def __init__(self, opener: Callable[[], Awaitable[S]]) -> None:
        self._opener = opener
        self._session: S | None = None

    async def _open(self) -> S:
        if self._session is None:
            self._session = await self._opener()
        return self._session

    def __await__(self) -> Generator[Any, None, S]:
        return self._open().__await__()

    async def __aenter__(self) -> S:
        session = await self._open()
        await session.__aenter__()
        return session

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.__aexit__(exc_type, exc, tb)
