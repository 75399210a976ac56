"""``Runtime`` and ``AsyncRuntime``: the entry points of the SDK.

Both resolve their settings the same way (:mod:`~qiskit_runtime_rest.accounts`), build one
keep-alive HTTP client (:mod:`~qiskit_runtime_rest.transport`) shared by API and IAM calls,
hand it to the generated ``qiskit_runtime_api`` client, and run every operation through the
shared core (:mod:`~qiskit_runtime_rest._core`), synchronously or on asyncio.

    rt = Runtime(token=API_KEY, instance=CRN)    # IBM Quantum Platform
    rt = Runtime.from_env()                      # QISKIT_IBM_TOKEN, QISKIT_IBM_INSTANCE, ...
    rt = Runtime.saved()                         # ~/.qiskit/qiskit-ibm.json
    rt = Runtime.local()                         # an emulator in this process

Every request carries ``IBM-API-Version`` (default :data:`DEFAULT_API_VERSION`) and, on the
current service, ``Service-CRN``. The repr shows the channel, URL and instance, never a token.
"""

from __future__ import annotations

import logging
import os
import platform
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from qiskit_runtime_rest import _operations as ops
from qiskit_runtime_rest._core import AsyncEngine, Engine
from qiskit_runtime_rest.accounts import Account, resolve_account, save_account
from qiskit_runtime_rest.backends import (
    AsyncBackend,
    Backend,
    BackendFilters,
    backend_infos,
    least_busy_candidates,
    no_backend,
    select,
)
from qiskit_runtime_rest.errors import ValidationError
from qiskit_runtime_rest.jobs import (
    DEFAULT_WAIT_TIMEOUT,
    AsyncExecutorJob,
    AsyncJob,
    ExecutorJob,
    Job,
    JobQuery,
    Pacer,
    Tracker,
    aiter_jobs,
    iter_jobs,
    next_completed_flow,
)
from qiskit_runtime_rest.jobs import wait_all_flow as _wait_all_flow
from qiskit_runtime_rest.modes import AsyncBatch, AsyncSession, Batch, Opening, Session
from qiskit_runtime_rest.polling import DEFAULT_POLL, LOCAL_POLL, PollSchedule
from qiskit_runtime_rest.primitives import (
    AsyncEstimator,
    AsyncExecutor,
    AsyncSampler,
    Estimator,
    Executor,
    Sampler,
)
from qiskit_runtime_rest.retry import RetryPolicy
from qiskit_runtime_rest.views import (
    ApiVersion,
    BackendConfiguration,
    BackendInfo,
    BackendProperties,
    BackendStatus,
    InstanceUsage,
    SessionDetails,
)

if TYPE_CHECKING:
    import httpx
    from qiskit_runtime_api.models import Job as JobModel

    from qiskit_runtime_rest.auth import RuntimeAuth
    from qiskit_runtime_rest.options import EstimatorOptions, SamplerOptions
    from qiskit_runtime_rest.programs import ExecutorOptions
    from qiskit_runtime_rest.progress import JobTally
    from qiskit_runtime_rest.transport import Timeouts

    AnyJob = TypeVar("AnyJob", bound=Job | ExecutorJob)
    AnyAsyncJob = TypeVar("AnyAsyncJob", bound=AsyncJob | AsyncExecutorJob)

__all__ = ["DEFAULT_API_VERSION", "MAX_CONCURRENT_REQUESTS", "AsyncRuntime", "Runtime"]

logger = logging.getLogger("qiskit_runtime_rest")

DEFAULT_API_VERSION = "2026-04-15"
"""The ``IBM-API-Version`` header every request carries unless ``api_version=`` says otherwise."""
MAX_CONCURRENT_REQUESTS = 16
"""Requests an AsyncRuntime keeps in flight at once. httpcore's bookkeeping per request grows
with the number of pooled connections and queued requests, so an unbounded ``gather`` of a
thousand submissions is slower than a bounded one (see scripts/bench_concurrency.py)."""

_VERSION = "0.1.0"
DEFAULT_JOBS_LIMIT = 10
"""Jobs ``jobs()`` lists by default, as qiskit-ibm-runtime's ``QiskitRuntimeService.jobs``."""


def _user_agent() -> str:
    import httpx

    return (
        f"qiskit-runtime-rest/{_VERSION} httpx/{httpx.__version__} "
        f"python/{platform.python_version()}"
    )


# Which sources the constructor reads besides its arguments (environment, saved account): set
# by the named constructors for the duration of one call, so the signature carries no flag.
_SOURCES: ContextVar[tuple[bool, bool]] = ContextVar("_SOURCES", default=(True, True))


@contextmanager
def _sources(*, use_env: bool, use_saved: bool) -> Iterator[None]:
    token = _SOURCES.set((use_env, use_saved))
    try:
        yield
    finally:
        _SOURCES.reset(token)


@contextmanager
def _tally_display(total: int, progress: bool) -> Iterator[Callable[[JobTally], object] | None]:
    """The progress callback of a many-job wait: a live display when ``progress``."""
    if not progress:
        yield None
        return
    from qiskit_runtime_rest.progress import open_display

    display = open_display(f"{total} jobs", total)
    try:
        yield display.tally
    finally:
        display.close()


def _start_emulator(config: Any) -> Any:
    try:
        from qiskit_runtime_emulator.server import EmulatorServer
    except ImportError as exc:
        raise ImportError(
            "Runtime.local() needs the local emulator: pip install 'qiskit-runtime-rest[local]'"
        ) from exc
    return EmulatorServer(config).start()


def _executor_model(model: JobModel) -> JobModel:
    """``model``, if it is an executor job's (a job whose program is not known yet passes)."""
    program = model.program.id if model.program is not None else None
    if program not in (None, "executor"):
        raise ValidationError(
            f"job {model.id} ran the {program} program, not the executor: use job({model.id!r})"
        )
    return model


class _RuntimeBase:
    """Configuration shared by both clients (no I/O here)."""

    def __init__(
        self,
        token: str | None = None,
        *,
        instance: str | None = None,
        channel: str | None = None,
        url: str | None = None,
        iam_url: str | None = None,
        api_key: str | None = None,
        access_token: str | None = None,
        auth: RuntimeAuth | None = None,
        verify: bool | str | None = None,
        proxies: str | Mapping[str, Any] | None = None,
        private_endpoint: bool | None = None,
        name: str | None = None,
        filename: str | os.PathLike[str] | None = None,
        timeout: Timeouts | float | None = None,
        retry: RetryPolicy | None = None,
        api_version: str | None = DEFAULT_API_VERSION,
        headers: Mapping[str, str] | None = None,
        trust_env: bool = True,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
        max_concurrency: int = MAX_CONCURRENT_REQUESTS,
        poll: PollSchedule | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Any] | None = None,
    ) -> None:
        if token and api_key and token != api_key:
            raise ValidationError("pass the API key as token= or api_key=, not both")
        if access_token and (token or api_key):
            raise ValidationError("pass either an API key (token=) or access_token=, not both")
        use_env, use_saved = _SOURCES.get()
        account = resolve_account(
            token=access_token or token or api_key,
            instance=instance,
            channel=channel,
            url=url,
            iam_url=iam_url,
            verify=verify,
            proxies=proxies,
            private_endpoint=private_endpoint,
            name=name,
            filename=filename,
            use_env=use_env,
            use_saved=use_saved,
        )
        self._account = account
        # httpx, and the modules built on it, are imported here, with the first client: not
        # with ``from qiskit_runtime_rest import Runtime``.
        from qiskit_runtime_rest.auth import RuntimeAuth
        from qiskit_runtime_rest.transport import Timeouts

        self._timeouts = Timeouts.coerce(timeout)
        self._retry = retry or RetryPolicy()
        if auth is not None and not isinstance(auth, RuntimeAuth):
            raise ValidationError("auth must be a qiskit_runtime_rest.auth.RuntimeAuth")
        self._auth = auth or self._make_auth(account, bool(access_token))
        self._headers = self._make_headers(account, api_version, headers)
        self._trust_env = trust_env
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
            raise ValidationError("max_concurrency must be a positive integer")
        if max_concurrency < 1:
            raise ValidationError("max_concurrency must be a positive integer")
        self._max_concurrency = max_concurrency
        if poll is not None and not isinstance(poll, PollSchedule):
            raise ValidationError("poll must be a qiskit_runtime_rest.PollSchedule")
        self._poll = poll or DEFAULT_POLL
        self._owned_server: Any = None
        self._connect(transport, clock, sleep)

    def _connect(self, transport: Any, clock: Any, sleep: Any) -> None:
        raise NotImplementedError

    def _engine_kwargs(self, clock: Callable[[], float] | None, sleep: Any) -> dict[str, Any]:
        from qiskit_runtime_api.client import Client

        kwargs: dict[str, Any] = {
            "api": Client(base_url=self.url),
            "auth": self._auth,
            "retry": self._retry,
            "timeouts": self._timeouts,
            "legacy_instance": self._account.legacy_instance,
            "poll": self._poll,
        }
        if clock is not None:
            kwargs["clock"] = clock
        if sleep is not None:
            kwargs["sleep"] = sleep
        return kwargs

    @staticmethod
    def _make_auth(account: Account, access_token: bool) -> RuntimeAuth:
        from qiskit_runtime_rest.auth import BearerTokenAuth, IAMAuth, LegacyTokenAuth

        if account.is_legacy:
            return LegacyTokenAuth(account.token)
        if access_token:
            return BearerTokenAuth(account.token)
        return IAMAuth(account.token, account.iam_base_url(), from_service=account.iam_from_service)

    @staticmethod
    def _make_headers(
        account: Account, api_version: str | None, extra: Mapping[str, str] | None
    ) -> dict[str, str]:
        headers: dict[str, str] = {}
        if api_version:
            headers["IBM-API-Version"] = api_version
        if not account.is_legacy and account.instance:
            headers["Service-CRN"] = account.instance
        for key, value in (extra or {}).items():
            if key.lower() in ("authorization", "x-access-token"):
                raise ValidationError(f"{key} is set by the client from the credentials")
            headers[key] = value
        return headers

    def _http_kwargs(self) -> dict[str, Any]:
        proxies = self._account.proxies
        return {
            "base_url": self._account.runtime_url(),
            "headers": self._headers,
            "auth": self._auth,
            "timeouts": self._timeouts,
            "verify": self._account.verify,
            "proxy": proxies if isinstance(proxies, str) else None,
            "proxies": proxies if isinstance(proxies, Mapping) else None,
            "user_agent": _user_agent(),
            "trust_env": self._trust_env,
        }

    # -- constructors --------------------------------------------------------------------------

    @classmethod
    def from_env(cls, **overrides: Any) -> Self:
        """Settings from the environment (``QISKIT_IBM_TOKEN``, ``QISKIT_IBM_INSTANCE``,
        ``QISKIT_IBM_URL``, ``QISKIT_IBM_CHANNEL``, ``IAM_URL``); arguments override them. The
        saved-account file is not read.

        Raises:
            ValidationError: no token or instance, or an unknown channel.
        """
        with _sources(use_env=True, use_saved=False):
            return cls(**overrides)

    @classmethod
    def saved(
        cls,
        name: str | None = None,
        filename: str | os.PathLike[str] | None = None,
        **overrides: Any,
    ) -> Self:
        """Settings from a saved account (``~/.qiskit/qiskit-ibm.json`` unless ``filename``):
        the one called ``name``, or the default one. Arguments override its fields; the
        environment is not read (except ``IAM_URL``).

        Raises:
            ValidationError: no such saved account, or an unreadable file.
        """
        with _sources(use_env=False, use_saved=True):
            return cls(name=name, filename=filename, **overrides)

    @staticmethod
    def save_account(
        token: str,
        instance: str,
        *,
        channel: str = "ibm_quantum_platform",
        url: str | None = None,
        name: str | None = None,
        filename: str | os.PathLike[str] | None = None,
        proxies: str | Mapping[str, str] | None = None,
        verify: bool = True,
        private_endpoint: bool = False,
        overwrite: bool = False,
        set_as_default: bool = False,
    ) -> Path:
        """Save an account where qiskit-ibm-runtime keeps them (``~/.qiskit/qiskit-ibm.json``,
        mode 0600), in its format: ``QiskitRuntimeService(name=...)`` and
        :meth:`saved` read it. An account of the same name is replaced only with
        ``overwrite=True``; ``set_as_default=True`` makes it the one read without a name.

        Raises:
            ValidationError: for missing or invalid settings, or an existing account of that
                name (without ``overwrite=True``).
        """
        return save_account(
            token=token,
            instance=instance,
            channel=channel,
            url=url,
            name=name,
            filename=filename,
            proxies=proxies,
            verify=verify,
            private_endpoint=private_endpoint,
            overwrite=overwrite,
            set_as_default=set_as_default,
        )

    @classmethod
    def local(
        cls, config: Any = None, *, channel: str = "ibm_quantum_platform", **kwargs: Any
    ) -> Self:
        """Start the emulator (``qiskit_runtime_emulator``, the ``local`` extra) in this process
        and connect to it. Closing the client stops the emulator.

        ``config`` is an ``EmulatorConfig``; ``channel="legacy"`` connects with the legacy
        ``x-access-token`` instead of IAM. Other arguments go to the constructor (e.g.
        ``retry=``, ``timeout=``); waits poll on
        :data:`~qiskit_runtime_rest.polling.LOCAL_POLL` unless ``poll=`` says otherwise.

        Raises:
            ImportError: without the ``local`` extra (the emulator).
        """
        server = _start_emulator(config)
        try:
            if channel == "legacy":
                creds: dict[str, Any] = {
                    "token": server.legacy_token,
                    "url": server.legacy_url,
                    "instance": server.config.default_instance.legacy_instance,
                }
            else:
                creds = {
                    "token": server.api_key,
                    "instance": server.crn,
                    "url": server.url,
                    "iam_url": server.iam_url,
                }
            with _sources(use_env=False, use_saved=False):
                runtime = cls(
                    **creds, channel=channel, trust_env=False, **{"poll": LOCAL_POLL, **kwargs}
                )
        except BaseException:
            server.stop()
            raise
        runtime._owned_server = server
        return runtime

    # -- properties ----------------------------------------------------------------------------

    @property
    def channel(self) -> str:
        """``ibm_quantum_platform``, ``ibm_cloud`` or ``legacy``."""
        return self._account.channel

    @property
    def url(self) -> str:
        """The API root requests go to."""
        return self._account.runtime_url()

    @property
    def instance(self) -> str | None:
        """The instance CRN (or legacy ``hub/group/project``)."""
        return self._account.instance

    @property
    def account(self) -> Account:
        """The resolved settings (the token is not in its repr)."""
        return self._account

    @property
    def emulator(self) -> Any:
        """The emulator started by :meth:`local` (None otherwise)."""
        return self._owned_server

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(channel={self.channel!r}, url={self.url!r}, "
            f"instance={self.instance!r})"
        )

    def _stop_server(self) -> None:
        server, self._owned_server = self._owned_server, None
        if server is not None:
            server.stop()

    @staticmethod
    def _query(
        limit: int | None,
        skip: int,
        pending: bool | None,
        program: str | None,
        backend: str | None,
        created_after: datetime | None,
        created_before: datetime | None,
        tags: Sequence[str] | None,
        session_id: str | None,
        descending: bool,
    ) -> JobQuery:
        return JobQuery(
            limit=limit,
            skip=skip,
            pending=pending,
            program=program,
            backend=backend,
            created_after=created_after,
            created_before=created_before,
            tags=tags,
            session_id=session_id,
            descending=descending,
        )


class Runtime(_RuntimeBase):
    """The synchronous client.

    Args:
        token: IBM Cloud API key (current service) or legacy access token; ``api_key`` is an
            alias. Falls back on ``QISKIT_IBM_TOKEN``, then a saved account.
        instance: the instance CRN (current service) or ``hub/group/project`` (legacy).
        channel: ``ibm_quantum_platform`` (default), ``ibm_cloud`` (the same) or ``legacy``.
        url: API root override (a bare host such as ``https://cloud.ibm.com`` is turned into
            the regional API host of the CRN).
        iam_url: IAM root override (default ``https://iam.cloud.ibm.com``, or ``IAM_URL``).
        access_token: a ready IAM bearer token instead of an API key (never refreshed).
        auth: the credentials to send instead of those built from ``token``: an
            :class:`~qiskit_runtime_rest.auth.IAMAuth` with its own clock or refresh fraction,
            say (``token`` is still required, to resolve the account).
        verify: TLS verification: a bool or a CA bundle path.
        proxies: one proxy URL, or ``{pattern: proxy URL}`` (qiskit-ibm-runtime's form too).
        name: which saved account (by default, the default one).
        filename: the saved-account file (default ``~/.qiskit/qiskit-ibm.json``).
        timeout: a :class:`Timeouts`, or seconds for each request (and each read and write).
        retry: the :class:`RetryPolicy` of transient failures.
        api_version: the ``IBM-API-Version`` header (None to leave it out).
        headers: extra headers for every API request.
        transport: an ``httpx.BaseTransport`` replacing the network (tests).
        max_concurrency: AsyncRuntime only: requests in flight at once (default 16); more
            concurrent calls wait their turn.
        poll: when waits check on jobs (:class:`~qiskit_runtime_rest.polling.PollSchedule`;
            default: at once, then 0.2 s growing x1.5 up to 5 s).
        clock: the monotonic clock that waits, polls, backoffs and deadlines read;
            replaceable in tests and simulations.
        sleep: the sleep of waits, polls and backoffs (a coroutine function for AsyncRuntime);
            replaceable in tests and simulations.
    """

    def _connect(
        self,
        transport: httpx.BaseTransport | None,
        clock: Callable[[], float] | None,
        sleep: Callable[[float], object] | None,
    ) -> None:
        import httpx

        from qiskit_runtime_rest.transport import build_http_client

        if transport is not None and not isinstance(transport, httpx.BaseTransport):
            raise TypeError("Runtime takes an httpx.BaseTransport")
        http = build_http_client(**self._http_kwargs(), transport=transport)
        self._engine = Engine(http, **self._engine_kwargs(clock, sleep))

    # -- primitives and modes -------------------------------------------------------------------

    def sampler(self, backend: str, options: SamplerOptions | None = None) -> Sampler:
        """A Sampler in job mode (each ``run()`` is a job of its own).

        Raises:
            ValidationError: ``backend`` is not a backend name.
        """
        return Sampler(self._engine, backend, options)

    def estimator(self, backend: str, options: EstimatorOptions | None = None) -> Estimator:
        """An Estimator in job mode.

        Raises:
            ValidationError: ``backend`` is not a backend name.
        """
        return Estimator(self._engine, backend, options)

    def executor(self, backend: str, options: ExecutorOptions | None = None) -> Executor:
        """An Executor in job mode: runs quantum programs (``program_id: executor``), the input
        of qiskit-ibm-runtime's next-generation primitives.

        Raises:
            ValidationError: ``backend`` is not a backend name.
        """
        return Executor(self._engine, backend, options)

    def session(
        self,
        backend: str,
        max_time: int | None = None,
        *,
        cancel_on_error: bool = False,
        close_on_exit: bool = True,
    ) -> Session:
        """Open a session (``mode: dedicated``, ``max_ttl=max_time`` seconds); use it in a
        ``with`` block to close it on the way out.

        Raises:
            ValidationError: a bad ``backend`` or ``max_time`` (before sending).
            APIError: a subclass for the service's refusal (``NotFoundError``: no such backend).
        """
        return Session._create(
            self._engine,
            backend,
            max_time=max_time,
            close_on_exit=close_on_exit,
            cancel_on_error=cancel_on_error,
        )

    def batch(
        self,
        backend: str,
        max_time: int | None = None,
        *,
        cancel_on_error: bool = False,
        close_on_exit: bool = True,
    ) -> Batch:
        """Open a batch (``mode: batch``); leave the ``with`` block once jobs are submitted.

        Raises:
            ValidationError: a bad ``backend`` or ``max_time`` (before sending).
            APIError: a subclass for the service's refusal (``NotFoundError``: no such backend).
        """
        return Batch._create(
            self._engine,
            backend,
            max_time=max_time,
            close_on_exit=close_on_exit,
            cancel_on_error=cancel_on_error,
        )

    def session_from_id(self, session_id: str) -> Session:
        """Attach to an existing session (ValidationError if it is a batch).

        Raises:
            NotFoundError: no such session.
            ValidationError: it is a batch.
        """
        return Session._attach(self._engine, session_id)

    def batch_from_id(self, session_id: str) -> Batch:
        """Attach to an existing batch (ValidationError if it is a dedicated session).

        Raises:
            NotFoundError: no such batch.
            ValidationError: it is a dedicated session.
        """
        return Batch._attach(self._engine, session_id)

    def session_details(self, session_id: str) -> SessionDetails:
        """The session or batch ``session_id`` (state, accepting_jobs, TTLs, usage...).

        Raises:
            NotFoundError: if there is no such session.
        """
        return SessionDetails._from_model(self._engine.send(ops.get_session(session_id)))

    # -- jobs ----------------------------------------------------------------------------------

    def job(self, job_id: str) -> Job:
        """A handle on an existing job (fetched once, so a wrong id fails here).

        Raises:
            NotFoundError: no such job.
        """
        return Job._from_model(
            self._engine, self._engine.send(ops.get_job(job_id, exclude_params=True))
        )

    def executor_job(self, job_id: str) -> ExecutorJob:
        """A handle on an existing executor job, whose ``result()`` is a
        :class:`~qiskit_runtime_rest.QuantumProgramResult` (fetched once).

        Raises:
            NotFoundError: no such job.
            ValidationError: the job did not run the executor program (use :meth:`job`).
        """
        model = self._engine.send(ops.get_job(job_id, exclude_params=True))
        return ExecutorJob._from_model(self._engine, _executor_model(model))

    def jobs(
        self,
        limit: int | None = DEFAULT_JOBS_LIMIT,
        skip: int = 0,
        *,
        pending: bool | None = None,
        program: str | None = None,
        backend: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        tags: Sequence[str] | None = None,
        session_id: str | None = None,
        descending: bool = True,
    ) -> Iterator[Job]:
        """The newest ``limit`` jobs (10 by default, as in qiskit-ibm-runtime; None: all) that
        match every filter, after skipping the first ``skip``; fetched page by page as you
        iterate.

        Filters: ``pending`` (True: queued or running; False: finished), ``program``
        (``sampler``, ``estimator``, ``executor``), ``backend``, ``created_after`` /
        ``created_before`` (datetimes; naive ones are taken as UTC), ``tags`` (jobs carrying
        all of them), ``session_id`` (a session's or batch's jobs); ``descending=False`` lists
        the oldest first.

        Raises:
            ValidationError: for a negative ``limit`` or ``skip``.
        """
        query = self._query(
            limit,
            skip,
            pending,
            program,
            backend,
            created_after,
            created_before,
            tags,
            session_id,
            descending,
        )
        return iter_jobs(self._engine, query)

    def wait_all(
        self,
        jobs: Iterable[Job | ExecutorJob],
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        progress: bool = False,
    ) -> list[str]:
        """Wait for every job to finish; return their final statuses, in order (failures
        included, not raised). ``progress=True`` shows one live line with the counts of jobs
        done, failed, running and queued and the time elapsed (the ``progress`` extra).

        Raises:
            JobTimeoutError: for the first job still running at ``timeout`` (they go on).
            ImportError: ``progress=True`` without the ``progress`` extra.
        """
        ids = [j.id for j in jobs]
        pacer = Pacer(timeout, self._engine.clock, schedule=self._engine.poll)
        with _tally_display(len(ids), progress) as show:
            return self._engine.run(_wait_all_flow(ids, pacer, show), pacer.hard_deadline)

    def as_completed(
        self,
        jobs: Iterable[AnyJob],
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        progress: bool = False,
    ) -> Iterator[AnyJob]:
        """The jobs, each handed out as soon as it is final (completed, failed or cancelled),
        like ``concurrent.futures.as_completed``: ``for job in rt.as_completed(jobs):
        job.result()`` (which raises for a failed job). ``timeout`` bounds the whole
        iteration; ``progress=True`` shows the counts live, as :meth:`wait_all`.

        Raises:
            JobTimeoutError: once ``timeout`` passed with jobs still running (they go on).
            ImportError: ``progress=True`` without the ``progress`` extra.
        """
        handles = {j.id: j for j in jobs}
        tracker = Tracker(handles)
        pacer = Pacer(timeout, self._engine.clock, schedule=self._engine.poll)
        with _tally_display(len(handles), progress) as show:
            while tracker.pending:
                flow = next_completed_flow(tracker, pacer, show)
                for job_id in self._engine.run(flow, pacer.hard_deadline):
                    job = handles[job_id]
                    job._remember(tracker.models[job_id])
                    yield job

    # -- backends and instance -------------------------------------------------------------------

    def backend(self, name: str) -> Backend:
        """A handle on the backend ``name`` (its configuration is fetched now).

        Raises:
            NotFoundError: if this instance has no such backend.
        """
        return Backend._load(self._engine, name)

    def backends(
        self,
        name: str | None = None,
        min_num_qubits: int | None = None,
        *,
        simulator: bool | None = None,
        operational: bool | None = None,
        dynamic_circuits: bool | None = None,
        filters: Callable[[Backend], bool] | None = None,
    ) -> list[Backend]:
        """The backends this instance can use that match every filter given, as in
        qiskit-ibm-runtime's ``QiskitRuntimeService.backends``: ``name``, ``min_num_qubits``,
        ``simulator``, ``operational`` (asks each backend's status), ``dynamic_circuits``, and
        ``filters``, a callable that keeps the backends it returns True for
        (``filters=lambda b: b.status().pending_jobs < 10``).

        Raises:
            ValidationError: for a bad filter value.
        """
        spec = BackendFilters(
            name=name,
            min_num_qubits=min_num_qubits,
            simulator=simulator,
            operational=operational,
            dynamic_circuits=dynamic_circuits,
            filters=filters,
        )
        found = []
        for backend_name in spec.names(self._engine.send(ops.list_backends())):
            backend = Backend._load(self._engine, backend_name)
            if not spec.by_configuration(backend.configuration()):
                continue
            if operational is not None and backend.status().operational != operational:
                continue
            found.append(backend)
        return select(found, spec)

    def least_busy(
        self,
        min_num_qubits: int | None = None,
        *,
        simulator: bool | None = None,
        operational: bool | None = None,
        dynamic_circuits: bool | None = None,
        filters: Callable[[Backend], bool] | None = None,
    ) -> Backend:
        """The online backend with the shortest queue among those that match the filters (see
        :meth:`backends`), as qiskit-ibm-runtime's ``least_busy`` chooses.

        Raises:
            BackendNotFoundError: if no online backend matches.
        """
        spec = BackendFilters(
            min_num_qubits=min_num_qubits,
            simulator=simulator,
            operational=operational,
            dynamic_circuits=dynamic_circuits,
            filters=filters,
        )
        names = least_busy_candidates(self._engine.send(ops.list_backends()), min_num_qubits)
        if any(v is not None for v in (simulator, operational, dynamic_circuits, filters)):
            allowed = {
                b.name
                for b in self.backends(
                    min_num_qubits=min_num_qubits,
                    simulator=simulator,
                    operational=operational,
                    dynamic_circuits=dynamic_circuits,
                    filters=filters,
                )
            }
            names = [n for n in names if n in allowed]
        if not names:
            raise no_backend(spec)
        return self.backend(names[0])

    def backend_list(self, min_num_qubits: int | None = None) -> list[BackendInfo]:
        """The backends of this instance as one ``GET /backends`` lists them (name, status,
        qubits, queue length, simulator), in the service's order: a summary in one request,
        where :meth:`backends` fetches each backend's configuration.

        Raises:
            ValidationError: for a bad ``min_num_qubits``.
        """
        return backend_infos(self._engine.send(ops.list_backends()), min_num_qubits)

    def backend_status(self, name: str) -> BackendStatus:
        """The status of backend ``name`` (``rt.backend(name).status()`` without the handle).

        Raises:
            NotFoundError: if this instance has no such backend.
        """
        return BackendStatus._from_model(name, self._engine.send(ops.get_backend_status(name)))

    def backend_configuration(self, name: str) -> BackendConfiguration:
        """The configuration of backend ``name``.

        Raises:
            NotFoundError: if this instance has no such backend.
        """
        model = self._engine.send(ops.get_backend_configuration(name))
        return BackendConfiguration._from_model(model)

    def backend_properties(self, name: str) -> BackendProperties:
        """The calibration of backend ``name``.

        Raises:
            NotFoundError: if this instance has no such backend.
        """
        model = self._engine.send(ops.get_backend_properties(name))
        return BackendProperties._from_model(name, model)

    def usage(self) -> InstanceUsage:
        """Usage of the instance in the current period.

        Raises:
            APIError: a subclass for a refused request (``AuthenticationError``...).
        """
        return InstanceUsage._from_model(self._engine.send(ops.get_instance_usage()))

    def versions(self) -> list[ApiVersion]:
        """API versions the service understands.

        Raises:
            APIError: a subclass for a refused request.
        """
        return ApiVersion._list(self._engine.send(ops.list_versions()))

    # -- lifecycle -----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP connections (and stop the emulator started by :meth:`local`).

        Raises:
            Nothing: failures to close connections are not raised.
        """
        try:
            self._engine.close()
        finally:
            self._stop_server()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncRuntime(_RuntimeBase):
    """The asyncio client: the same constructor as :class:`Runtime` (``transport`` is an
    ``httpx.AsyncBaseTransport``), coroutines instead of blocking calls."""

    def _connect(
        self,
        transport: httpx.AsyncBaseTransport | None,
        clock: Callable[[], float] | None,
        sleep: Callable[[float], Awaitable[object]] | None,
    ) -> None:
        import httpx

        from qiskit_runtime_rest.transport import build_async_http_client

        if transport is not None and not isinstance(transport, httpx.AsyncBaseTransport):
            raise TypeError("AsyncRuntime takes an httpx.AsyncBaseTransport")
        http = build_async_http_client(
            **self._http_kwargs(), transport=transport, max_concurrency=self._max_concurrency
        )
        self._engine = AsyncEngine(
            http, max_concurrency=self._max_concurrency, **self._engine_kwargs(clock, sleep)
        )

    # -- primitives and modes -------------------------------------------------------------------

    def sampler(self, backend: str, options: SamplerOptions | None = None) -> AsyncSampler:
        """An AsyncSampler in job mode.

        Raises:
            ValidationError: ``backend`` is not a backend name.
        """
        return AsyncSampler(self._engine, backend, options)

    def estimator(self, backend: str, options: EstimatorOptions | None = None) -> AsyncEstimator:
        """An AsyncEstimator in job mode.

        Raises:
            ValidationError: ``backend`` is not a backend name.
        """
        return AsyncEstimator(self._engine, backend, options)

    def executor(self, backend: str, options: ExecutorOptions | None = None) -> AsyncExecutor:
        """An AsyncExecutor in job mode (see :meth:`Runtime.executor`).

        Raises:
            ValidationError: ``backend`` is not a backend name.
        """
        return AsyncExecutor(self._engine, backend, options)

    def session(
        self,
        backend: str,
        max_time: int | None = None,
        *,
        cancel_on_error: bool = False,
        close_on_exit: bool = True,
    ) -> Opening[AsyncSession]:
        """``async with rt.session(backend) as s:`` (or ``s = await rt.session(backend)``).

        Raises:
            ValidationError: a bad ``backend`` or ``max_time`` (before sending).
            APIError: a subclass for the service's refusal (``NotFoundError``: no such backend).
        """

        async def opener() -> AsyncSession:
            return await AsyncSession._create(
                self._engine,
                backend,
                max_time=max_time,
                close_on_exit=close_on_exit,
                cancel_on_error=cancel_on_error,
            )

        return Opening(opener)

    def batch(
        self,
        backend: str,
        max_time: int | None = None,
        *,
        cancel_on_error: bool = False,
        close_on_exit: bool = True,
    ) -> Opening[AsyncBatch]:
        """``async with rt.batch(backend) as b:`` (or ``b = await rt.batch(backend)``).

        Raises:
            ValidationError: a bad ``backend`` or ``max_time`` (before sending).
            APIError: a subclass for the service's refusal (``NotFoundError``: no such backend).
        """

        async def opener() -> AsyncBatch:
            return await AsyncBatch._create(
                self._engine,
                backend,
                max_time=max_time,
                close_on_exit=close_on_exit,
                cancel_on_error=cancel_on_error,
            )

        return Opening(opener)

    async def session_from_id(self, session_id: str) -> AsyncSession:
        """Attach to an existing session (ValidationError if it is a batch).

        Raises:
            NotFoundError: no such session.
            ValidationError: it is a batch.
        """
        return await AsyncSession._attach(self._engine, session_id)

    async def batch_from_id(self, session_id: str) -> AsyncBatch:
        """Attach to an existing batch (ValidationError if it is a dedicated session).

        Raises:
            NotFoundError: no such batch.
            ValidationError: it is a dedicated session.
        """
        return await AsyncBatch._attach(self._engine, session_id)

    async def session_details(self, session_id: str) -> SessionDetails:
        """The session or batch ``session_id`` (see :meth:`Runtime.session_details`).

        Raises:
            NotFoundError: if there is no such session.
        """
        return SessionDetails._from_model(await self._engine.send(ops.get_session(session_id)))

    # -- jobs ----------------------------------------------------------------------------------

    async def job(self, job_id: str) -> AsyncJob:
        """A handle on an existing job (fetched once, so a wrong id fails here).

        Raises:
            NotFoundError: no such job.
        """
        return AsyncJob._from_model(
            self._engine, await self._engine.send(ops.get_job(job_id, exclude_params=True))
        )

    async def executor_job(self, job_id: str) -> AsyncExecutorJob:
        """A handle on an existing executor job (see :meth:`Runtime.executor_job`).

        Raises:
            NotFoundError: no such job.
            ValidationError: the job did not run the executor program (use :meth:`job`).
        """
        model = await self._engine.send(ops.get_job(job_id, exclude_params=True))
        return AsyncExecutorJob._from_model(self._engine, _executor_model(model))

    def jobs(
        self,
        limit: int | None = DEFAULT_JOBS_LIMIT,
        skip: int = 0,
        *,
        pending: bool | None = None,
        program: str | None = None,
        backend: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        tags: Sequence[str] | None = None,
        session_id: str | None = None,
        descending: bool = True,
    ) -> AsyncIterator[AsyncJob]:
        """``async for job in rt.jobs(...)``: the newest ``limit`` jobs (10 by default) that
        match the filters, after ``skip`` (see :meth:`Runtime.jobs`).

        Raises:
            ValidationError: for a negative ``limit`` or ``skip``.
        """
        query = self._query(
            limit,
            skip,
            pending,
            program,
            backend,
            created_after,
            created_before,
            tags,
            session_id,
            descending,
        )
        return aiter_jobs(self._engine, query)

    async def wait_all(
        self,
        jobs: Iterable[AsyncJob | AsyncExecutorJob],
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        progress: bool = False,
    ) -> list[str]:
        """Wait for every job to finish; return their final statuses (see
        :meth:`Runtime.wait_all`).

        Raises:
            JobTimeoutError: for the first job still running at ``timeout`` (they go on).
            ImportError: ``progress=True`` without the ``progress`` extra.
        """
        ids = [j.id for j in jobs]
        pacer = Pacer(timeout, self._engine.clock, schedule=self._engine.poll)
        with _tally_display(len(ids), progress) as show:
            return await self._engine.run(_wait_all_flow(ids, pacer, show), pacer.hard_deadline)

    async def as_completed(
        self,
        jobs: Iterable[AnyAsyncJob],
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        *,
        progress: bool = False,
    ) -> AsyncIterator[AnyAsyncJob]:
        """``async for job in rt.as_completed(jobs):`` each job as soon as it is final (see
        :meth:`Runtime.as_completed`).

        Raises:
            JobTimeoutError: once ``timeout`` passed with jobs still running (they go on).
            ImportError: ``progress=True`` without the ``progress`` extra.
        """
        handles = {j.id: j for j in jobs}
        tracker = Tracker(handles)
        pacer = Pacer(timeout, self._engine.clock, schedule=self._engine.poll)
        with _tally_display(len(handles), progress) as show:
            while tracker.pending:
                flow = next_completed_flow(tracker, pacer, show)
                for job_id in await self._engine.run(flow, pacer.hard_deadline):
                    job = handles[job_id]
                    job._remember(tracker.models[job_id])
                    yield job

    # -- backends and instance -------------------------------------------------------------------

    async def backend(self, name: str) -> AsyncBackend:
        """A handle on the backend ``name`` (its configuration and calibration are fetched).

        Raises:
            NotFoundError: if this instance has no such backend.
        """
        return await AsyncBackend._load(self._engine, name)

    async def backends(
        self,
        name: str | None = None,
        min_num_qubits: int | None = None,
        *,
        simulator: bool | None = None,
        operational: bool | None = None,
        dynamic_circuits: bool | None = None,
        filters: Callable[[AsyncBackend], bool] | None = None,
    ) -> list[AsyncBackend]:
        """The backends matching the filters (see :meth:`Runtime.backends`).

        Raises:
            ValidationError: for a bad filter value.
        """
        spec = BackendFilters(
            name=name,
            min_num_qubits=min_num_qubits,
            simulator=simulator,
            operational=operational,
            dynamic_circuits=dynamic_circuits,
            filters=filters,
        )
        found = []
        for backend_name in spec.names(await self._engine.send(ops.list_backends())):
            backend = await AsyncBackend._load(self._engine, backend_name)
            if not spec.by_configuration(backend.configuration()):
                continue
            if operational is not None and (await backend.status()).operational != operational:
                continue
            found.append(backend)
        return select(found, spec)

    async def least_busy(
        self,
        min_num_qubits: int | None = None,
        *,
        simulator: bool | None = None,
        operational: bool | None = None,
        dynamic_circuits: bool | None = None,
        filters: Callable[[AsyncBackend], bool] | None = None,
    ) -> AsyncBackend:
        """The online backend with the shortest queue (see :meth:`Runtime.least_busy`).

        Raises:
            BackendNotFoundError: if no online backend matches.
        """
        spec = BackendFilters(
            min_num_qubits=min_num_qubits,
            simulator=simulator,
            operational=operational,
            dynamic_circuits=dynamic_circuits,
            filters=filters,
        )
        listing = await self._engine.send(ops.list_backends())
        names = least_busy_candidates(listing, min_num_qubits)
        if any(v is not None for v in (simulator, operational, dynamic_circuits, filters)):
            matching = await self.backends(
                min_num_qubits=min_num_qubits,
                simulator=simulator,
                operational=operational,
                dynamic_circuits=dynamic_circuits,
                filters=filters,
            )
            allowed = {b.name for b in matching}
            names = [n for n in names if n in allowed]
        if not names:
            raise no_backend(spec)
        return await self.backend(names[0])

    async def backend_list(self, min_num_qubits: int | None = None) -> list[BackendInfo]:
        """The backends of this instance as ``GET /backends`` lists them (see
        :meth:`Runtime.backend_list`).

        Raises:
            ValidationError: for a bad ``min_num_qubits``.
        """
        return backend_infos(await self._engine.send(ops.list_backends()), min_num_qubits)

    async def backend_status(self, name: str) -> BackendStatus:
        """The status of backend ``name``.

        Raises:
            NotFoundError: if this instance has no such backend.
        """
        model = await self._engine.send(ops.get_backend_status(name))
        return BackendStatus._from_model(name, model)

    async def backend_configuration(self, name: str) -> BackendConfiguration:
        """The configuration of backend ``name``.

        Raises:
            NotFoundError: if this instance has no such backend.
        """
        model = await self._engine.send(ops.get_backend_configuration(name))
        return BackendConfiguration._from_model(model)

    async def backend_properties(self, name: str) -> BackendProperties:
        """The calibration of backend ``name``.

        Raises:
            NotFoundError: if this instance has no such backend.
        """
        model = await self._engine.send(ops.get_backend_properties(name))
        return BackendProperties._from_model(name, model)

    async def usage(self) -> InstanceUsage:
        """Usage of the instance in the current period.

        Raises:
            APIError: a subclass for a refused request.
        """
        return InstanceUsage._from_model(await self._engine.send(ops.get_instance_usage()))

    async def versions(self) -> list[ApiVersion]:
        """API versions the service understands.

        Raises:
            APIError: a subclass for a refused request.
        """
        return ApiVersion._list(await self._engine.send(ops.list_versions()))

    # -- lifecycle -----------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the HTTP connections (and stop the emulator started by :meth:`local`).

        Raises:
            Nothing: failures to close connections are not raised.
        """
        try:
            await self._engine.close()
        finally:
            self._stop_server()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
