"""The client core: operations as data, flows as generators, one send path per engine.

Modelled on openai-python's ``_base_client.py``: every request goes through one method per engine
(:meth:`Engine.send`, :meth:`AsyncEngine.send`), a plain loop that retries and refreshes the
token once after a 401; whether to repeat a failed attempt, and after how long, are pure
functions of the :class:`~qiskit_runtime_rest.retry.RetryPolicy`, shared by both engines.

* An :class:`Operation` is one endpoint of the API spec (``spec/qiskit-runtime.yaml``) as the
  generated client compiles it: its request builder, how to read its answer, and the facts that
  govern sending it (safe to repeat, timeout class, size limit of the answer). The generated
  endpoint module is imported on the operation's first call. The operations the SDK uses are
  listed in :mod:`qiskit_runtime_rest._operations`.
* A :class:`Call` is an operation with its arguments.
* A *flow* is a generator that yields :class:`Call` and :class:`Sleep` effects and returns a
  result; ``result = yield from call`` gives it the call's typed result (or raises the call's
  error in it). Logic with several steps (polling a job, submitting a job without ever
  duplicating it, paging) is written once, as a flow, and run by either engine
  (:meth:`Engine.run`, :meth:`AsyncEngine.run`) within an optional deadline that bounds every
  request, retries and token refreshes included.
"""

from __future__ import annotations

import logging
import sys
import time
import types
import typing
from collections.abc import Awaitable, Callable, Generator, Iterator, Mapping
from contextlib import closing
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, Protocol, TypeAlias, TypeVar, cast

import attrs
from qiskit_runtime_api import models as _models

from qiskit_runtime_rest.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    MalformedResponseError,
    RuntimeRestError,
)
from qiskit_runtime_rest.polling import DEFAULT_POLL, PollSchedule

if TYPE_CHECKING:
    import httpx
    from qiskit_runtime_api.client import Client

    from qiskit_runtime_rest.auth import RuntimeAuth
    from qiskit_runtime_rest.retry import RetryPolicy
    from qiskit_runtime_rest.transport import Timeouts

__all__ = [
    "AsyncEngine",
    "Call",
    "Effect",
    "Endpoint",
    "Engine",
    "Flow",
    "Operation",
    "Returns",
    "Sleep",
    "describe",
    "json_or_none",
    "nothing",
    "text",
]

logger = logging.getLogger("qiskit_runtime_rest")

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")
Parser: TypeAlias = Callable[["httpx.Response", "Client"], T]


# -- operations, calls, effects ---------------------------------------------------------------


class Endpoint(Protocol[P]):
    """A generated endpoint module (``qiskit_runtime_api.api.<tag>.<operation>``): its request
    builder and its answer parser."""

    def _get_kwargs(self, *args: P.args, **kwargs: P.kwargs) -> dict[str, Any]: ...

    def _parse_response(self, *, client: Client, response: httpx.Response) -> object: ...


@attrs.frozen
class Returns(Generic[T]):
    """What a success answer holds: the generated model that ``model()`` returns (a function,
    so that the model is imported on first use). The answer is read with the endpoint's
    generated parser, then checked against the types the model declares."""

    model: Callable[[], type[T]]


class Operation(Generic[P, T]):
    """One endpoint of the spec and the facts that govern sending it.

    Calling the operation with the arguments of its generated request builder
    (``<endpoint>._get_kwargs``) makes a :class:`Call`. The endpoint module (and the models it
    uses) is imported on the operation's first call: ``endpoint`` returns it.

    Attributes:
        answer: how to read a success answer (status 2xx): a :class:`Returns` model, or a parser
            of its own (``nothing``, ``text``, ``json_or_none``).
        idempotent: safe to repeat after an ambiguous failure (a 5xx, a dropped connection).
        long: a large request or answer (job submission, result download): the ``submit``
            timeouts of :class:`~qiskit_runtime_rest.transport.Timeouts` apply.
        large_answer: (with ``long``) the answer may exceed ``MAX_RESPONSE_BYTES``:
            ``MAX_RESULT_BYTES`` applies.
    """

    __slots__ = (
        "_build",
        "_endpoint",
        "_model",
        "_name",
        "_parse",
        "answer",
        "idempotent",
        "large_answer",
        "long",
    )

    def __init__(
        self,
        endpoint: Callable[[], Endpoint[P]],
        answer: Returns[T] | Parser[T],
        *,
        idempotent: bool = True,
        long: bool = False,
        large_answer: bool = False,
    ) -> None:
        self._endpoint = endpoint
        self.answer = answer
        self.idempotent = idempotent
        self.long = long
        self.large_answer = large_answer
        # Set by _load() on the first call.
        self._build: Callable[P, dict[str, Any]] | None = None
        self._parse: Callable[..., object] = _not_loaded
        self._model: type[Any] | None = None
        self._name = ""

    def _load(self) -> Callable[P, dict[str, Any]]:
        """Import the endpoint module (and the answer's model): the request builder."""
        module = self._endpoint()
        if isinstance(self.answer, Returns):
            self._model = self.answer.model()
            self._parse = module._parse_response
        else:
            self._parse = self.answer
        self._name = module.__name__.rpartition(".")[2]  # type: ignore[attr-defined]
        self._build = build = module._get_kwargs
        return build

    @property
    def name(self) -> str:
        """The endpoint's name (``get_job``)."""
        if self._build is None:
            self._load()
        return self._name

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Call[T]:
        build = self._build
        if build is None:
            build = self._load()
        return Call(self, build(*args, **kwargs))

    def __repr__(self) -> str:
        return f"Operation({self.name})"

    def read(self, response: httpx.Response, client: Client) -> T:
        """The result in a success answer; MalformedResponseError for anything else."""
        status = response.status_code
        try:
            if 200 <= status < 300:
                model = self._model
                if model is None:
                    return cast(T, self._parse(response, client))
                parsed = self._parse(client=client, response=response)
                if not isinstance(parsed, model):
                    raise _Unreadable(f"expected a {model.__name__} body, got HTTP {status}")
                mismatch = _mismatch(parsed, ("model", model))
                if mismatch is None:
                    return cast(T, parsed)
                where, bad = mismatch
                raise _Unreadable(
                    f"the {model.__name__} body does not match the documented shape "
                    f"({where.lstrip('.')}: unexpected {type(bad).__name__} {bad!r:.60})"
                )
            problem = f"unexpected HTTP {status} (redirects are not followed)"
        except _Unreadable as exc:
            problem = str(exc)
        except _parse_errors() as exc:
            problem = (
                "the response does not match the documented shape "
                f"({type(exc).__name__}: {str(exc)[:200]})"
            )
        raise MalformedResponseError(f"{self.name}: {problem}", status_code=status)


def _not_loaded(*args: object, **kwargs: object) -> object:
    raise RuntimeError("the operation is read before it was called")  # pragma: no cover


@attrs.frozen
class Call(Generic[T]):
    """An operation with its arguments: ``request`` holds what the generated builder made
    (method, URL, query, JSON body)."""

    operation: Operation[..., T]
    request: dict[str, Any] = attrs.field(repr=False)

    @property
    def name(self) -> str:
        return self.operation.name

    def __iter__(self) -> Generator[Call[T], T, T]:
        """In a flow, ``result = yield from call`` yields the call and returns its result."""
        return (yield self)


@attrs.frozen
class Sleep:
    """Pause a flow for ``seconds`` (``yield from Sleep(s)``)."""

    seconds: float

    def __iter__(self) -> Generator[Sleep, object, None]:
        yield self


Effect: TypeAlias = Call[Any] | Sleep
Flow: TypeAlias = Generator[Effect, object, R]
"""A generator of effects that returns ``R``; every value it receives is typed by its call."""


def describe(exc: BaseException) -> str:
    """A short name of a failure for log lines: ``HTTP 503`` or the exception's type."""
    return f"HTTP {exc.status_code}" if isinstance(exc, APIError) else type(exc).__name__


# -- reading answers --------------------------------------------------------------------------


@cache
def _parse_errors() -> tuple[type[Exception], ...]:
    """What generated parsers raise on a body they cannot read (httpx.DecodingError for a broken
    Content-Encoding, RecursionError for absurdly nested JSON, the rest from ``from_dict``).

    A function, so that httpx is imported with the first client, not with this module: an
    ``except`` clause evaluates it only once something was raised.
    """
    import httpx

    return (
        httpx.HTTPError,
        LookupError,
        TypeError,
        ValueError,
        AttributeError,
        ArithmeticError,
        RecursionError,
    )


class _Unreadable(ValueError):
    """An answer of the wrong shape, described for the error message."""


def _unreadable(call: Call[Any], exc: Exception) -> MalformedResponseError:
    return MalformedResponseError(
        f"{call.name}: the response could not be read ({type(exc).__name__}: {str(exc)[:200]})"
    )


def nothing(response: httpx.Response, client: Client) -> None:
    """The answer has no content worth reading (204)."""


def text(response: httpx.Response, client: Client) -> str:
    """The answer as text (job logs)."""
    return response.content.decode("utf-8", errors="replace")


def json_or_none(response: httpx.Response, client: Client) -> dict[str, Any] | None:
    """A JSON object (a result, for the codec to decode), or None for 204 (not stored yet)."""
    if response.status_code == 204:
        return None
    if not response.content:
        raise _Unreadable(f"HTTP {response.status_code} with an empty body")
    payload = response.json()
    if not isinstance(payload, dict):
        raise _Unreadable(f"HTTP {response.status_code} with a body that is not a JSON object")
    return payload


# The generated ``from_dict`` methods build nested models but copy scalars as they come: a job
# whose ``status`` is a number, or whose ``tags`` hold objects, would reach users unnoticed and
# fail far away with a bare TypeError. Parsed answers are therefore checked against the types
# their generated models declare, with one walker over cached plans of those types.

Plan: TypeAlias = tuple[Any, ...]


class _ModelNamespace(Mapping[str, Any]):
    """The generated models by name, for resolving annotations (the models package imports its
    modules lazily, so its ``vars()`` holds only what was already used)."""

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
def _plan(hint: Any) -> Plan:
    """How to check a value against the type ``hint``: ``(kind, argument)``."""
    origin = typing.get_origin(hint)
    if hint is Any:
        return ("any", None)
    if origin in (typing.Union, types.UnionType):
        return ("union", tuple(_plan(branch) for branch in typing.get_args(hint)))
    if origin is typing.Literal:
        return ("in", typing.get_args(hint))
    if origin is list:
        return ("list", _plan(typing.get_args(hint)[0]))
    if origin is dict:
        return ("dict", _plan(typing.get_args(hint)[1]))
    if hint is type(None) or hint in (bool, int, float):
        return (hint, None)
    if isinstance(hint, type) and attrs.has(hint):
        return ("model", hint)
    if isinstance(hint, type):  # str, datetime, Unset
        return ("type", hint)
    return ("any", None)  # Any, and constructs the generator does not emit today


@cache
def _fields(cls: type) -> tuple[tuple[str, Plan], ...]:
    """The fields of a generated model and the plans of their types."""
    names = vars(sys.modules[cls.__module__])
    hints = typing.get_type_hints(cls, globalns=names, localns=_ModelNamespace())
    return tuple((f.name, _plan(hints[f.name])) for f in attrs.fields(cls))


def _mismatch(value: object, plan: Plan) -> tuple[str, object] | None:
    """Where ``value`` breaks ``plan``: the path to the bad value (``.field[index]``) and the
    value; None if it conforms. (Messages are written by the caller: union branches that do not
    match cost no formatting.)"""
    kind = plan[0]
    if kind == "union":
        for branch in plan[1]:
            if branch[0] == "type":  # the common case (str | Unset), without a call
                if isinstance(value, branch[1]):
                    return None
            elif _mismatch(value, branch) is None:
                return None
        return ("", value)
    if kind == "type":
        ok = isinstance(value, plan[1])
    elif kind == "model":
        if not isinstance(value, plan[1]):
            return ("", value)
        for name, field in _fields(plan[1]):
            problem = _mismatch(getattr(value, name), field)
            if problem is not None:
                return (f".{name}{problem[0]}", problem[1])
        return None
    elif kind == "list" or kind == "dict":
        if not isinstance(value, list if kind == "list" else dict):
            return ("", value)
        items = enumerate(value) if isinstance(value, list) else value.items()
        for key, item in items:
            problem = _mismatch(item, plan[1])
            if problem is not None:
                return (f"[{key!r}]{problem[0]}", problem[1])
        return None
    elif kind == "in":
        ok = value in plan[1]
    elif kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = not isinstance(value, bool) and (
            isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        )
    elif kind is float:
        ok = not isinstance(value, bool) and isinstance(value, int | float)
    elif kind is type(None):
        ok = value is None
    else:
        ok = True
    return None if ok else ("", value)


# -- the engines ------------------------------------------------------------------------------


class _EngineBase:
    """The connection (HTTP client, credentials, policy, context) and the decisions both
    engines take around an attempt."""

    def __init__(
        self,
        *,
        api: Client,
        auth: RuntimeAuth,
        retry: RetryPolicy,
        timeouts: Timeouts,
        legacy_instance: tuple[str, str, str] | None,
        clock: Callable[[], float],
        poll: PollSchedule = DEFAULT_POLL,
    ) -> None:
        self.api = api
        self.auth = auth
        self.retry = retry
        self.timeouts = timeouts
        self.poll = poll
        """The schedule of waits' status checks."""
        self.legacy_instance = legacy_instance
        """``(hub, group, project)`` on the legacy channel: sent in job and session bodies."""
        self.clock = clock
        self._long = timeouts.long()
        self._root = ""
        """The base URL of the API, ending in ``/``."""
        import httpx  # imported with the client already

        # httpx leaves every response in a reference cycle with its stream, freed only by the
        # cyclic collector: a read answer's stream is replaced by this empty one, so that the
        # answer (a page of 200 jobs, a result) is freed as soon as it was read.
        self._drained = httpx.ByteStream(b"")

    def deadline(self, seconds: float | None) -> float | None:
        """The ``clock()`` value ``seconds`` from now (None: no deadline)."""
        return None if seconds is None else self.clock() + seconds

    def _prepare(
        self, call: Call[Any], deadline: float | None
    ) -> tuple[dict[str, Any], float | None]:
        """The keyword arguments of ``httpx.Client.request`` for ``call``, and the seconds its
        next attempt may take: its own bound (``Timeouts.total`` or ``submit``), within
        ``deadline``."""
        from qiskit_runtime_rest import transport

        operation = call.operation
        timeouts = self.timeouts
        # One absolute URL with its query: httpx parses it once, where a relative URL is parsed,
        # merged with the base URL and parsed again, and parsed once more to add the query (a
        # quarter of httpx's own work on a small job).
        kwargs = dict(call.request)
        url = self._root + kwargs["url"].lstrip("/")
        params = kwargs.pop("params", None)
        if params:
            import httpx

            url = f"{url}?{httpx.QueryParams(params)}"
        kwargs["url"] = url
        if operation.long:
            budget = timeouts.submit
            kwargs["timeout"] = self._long
            if operation.large_answer:
                kwargs["extensions"] = {transport.LIMIT_EXTENSION: transport.MAX_RESULT_BYTES}
        else:
            budget = timeouts.total
        if deadline is None:
            return kwargs, budget
        left = deadline - self.clock()
        if left <= 0:
            raise APITimeoutError(
                f"{call.name}: the deadline passed before it was sent", sent=False
            )
        return kwargs, left if budget is None else min(budget, left)

    def _retry_delay(
        self, call: Call[Any], exc: Exception, attempt: int, start: float, deadline: float | None
    ) -> float | None:
        now = self.clock()
        delay = self.retry.delay_before_retry(
            exc,
            attempt=attempt,
            idempotent=call.operation.idempotent,
            elapsed=now - start,
            remaining=None if deadline is None else deadline - now,
        )
        if delay is not None:
            logger.info(
                "%s: %s, retrying in %.2f s (attempt %d of %d)",
                call.name,
                describe(exc),
                delay,
                attempt + 1,
                self.retry.max_attempts,
            )
        return delay

    def _give_up(self, call: Call[Any], exc: Exception, attempt: int, start: float) -> None:
        """Name the operation and the attempts made in a connection failure's message."""
        if isinstance(exc, APIConnectionError):
            exc.gave_up(call.name, attempt, self.clock() - start)

    def _refresh(self, call: Call[Any], exc: AuthenticationError) -> bool:
        """Forget the token after a 401, if a new one can be fetched."""
        # A rejected token request (bad API key) is not an expired token: asking again fails too.
        if not self.auth.refreshable or exc.auth_request:
            return False
        logger.info("%s: HTTP 401, fetching a new token and trying once more", call.name)
        self.auth.invalidate()
        return True


class Engine(_EngineBase):
    """Sends calls and runs flows synchronously."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        sleep: Callable[[float], object] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(clock=clock, **kwargs)
        self.http = http
        self.sleep = sleep
        self._root = str(http.base_url)

    def send(self, call: Call[T], deadline: float | None = None) -> T:
        """Send ``call``: repeat it per the retry policy, once more after a 401 with a new
        token, all by ``deadline`` (a ``clock()`` value). Raises the SDK's typed errors."""
        start = self.clock()
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            try:
                return self._attempt(call, deadline)
            except AuthenticationError as exc:
                if refreshed or not self._refresh(call, exc):
                    raise
                refreshed = True
            except (APIError, APIConnectionError) as exc:
                delay = self._retry_delay(call, exc, attempt, start, deadline)
                if delay is None:
                    self._give_up(call, exc, attempt, start)
                    raise
                self.sleep(delay)

    def _attempt(self, call: Call[T], deadline: float | None) -> T:
        import httpx

        from qiskit_runtime_rest import transport

        kwargs, budget = self._prepare(call, deadline)
        scope = transport.NETWORK_DEADLINE.set(
            None if budget is None else time.monotonic() + budget
        )
        try:
            response = self.http.request(**kwargs)
            response.stream = self._drained
        except httpx.TransportError as exc:
            raise transport.map_transport_error(exc) from exc
        except RuntimeRestError:
            raise
        except _parse_errors() as exc:  # a body httpx cannot decode (DecodingError), and the like
            raise _unreadable(call, exc) from exc
        finally:
            transport.NETWORK_DEADLINE.reset(scope)
        return call.operation.read(response, self.api)

    def run(self, flow: Flow[R], deadline: float | None = None) -> R:
        """Run ``flow`` to its end, sending its calls by ``deadline``; a call's error is thrown
        into the flow (which may handle it). The flow is closed on every way out."""
        with closing(flow):
            value: object = None
            error: Exception | None = None
            while True:
                try:
                    effect = flow.send(value) if error is None else flow.throw(error)
                except StopIteration as stop:
                    return cast(R, stop.value)
                value = error = None
                try:
                    if isinstance(effect, Sleep):
                        if effect.seconds > 0:
                            self.sleep(effect.seconds)
                    else:
                        value = self.send(effect, deadline)
                except Exception as exc:
                    error = exc

    def close(self) -> None:
        self.http.close()


class AsyncEngine(_EngineBase):
    """Sends calls and runs flows on an asyncio event loop."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        sleep: Callable[[float], Awaitable[object]] | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_concurrency: int,
        **kwargs: Any,
    ) -> None:
        import asyncio  # here, not with the module: a synchronous client never needs it

        super().__init__(clock=clock, **kwargs)
        self.http = http
        self.sleep = sleep or asyncio.sleep
        self._root = str(http.base_url)
        # Bounds requests in flight, not flows: a thousand gathered submissions wait here
        # (backoff sleeps do not hold a slot).
        self._slots = asyncio.Semaphore(max_concurrency)

    async def send(self, call: Call[T], deadline: float | None = None) -> T:
        """Send ``call`` (see :meth:`Engine.send`)."""
        start = self.clock()
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            try:
                return await self._attempt(call, deadline)
            except AuthenticationError as exc:
                if refreshed or not self._refresh(call, exc):
                    raise
                refreshed = True
            except (APIError, APIConnectionError) as exc:
                delay = self._retry_delay(call, exc, attempt, start, deadline)
                if delay is None:
                    self._give_up(call, exc, attempt, start)
                    raise
                await self.sleep(delay)

    async def _attempt(self, call: Call[T], deadline: float | None) -> T:
        import asyncio

        import httpx

        from qiskit_runtime_rest import transport

        # Waiting for a turn is bounded by the call's deadline only: the request's own time
        # budget starts once it holds a slot, so ten thousand gathered calls queue up without
        # timing out (waits and results still end by their deadline).
        try:
            async with asyncio.timeout(None if deadline is None else deadline - self.clock()):
                await self._slots.acquire()
        except TimeoutError:
            raise APITimeoutError(
                f"{call.name}: the deadline passed before it was sent", sent=False
            ) from None
        try:
            kwargs, budget = self._prepare(call, deadline)
            async with asyncio.timeout(budget):
                response = await self.http.request(**kwargs)
                response.stream = self._drained
        except httpx.TransportError as exc:
            raise transport.map_transport_error(exc) from exc
        except RuntimeRestError:
            raise
        except _parse_errors() as exc:
            raise _unreadable(call, exc) from exc
        except TimeoutError as exc:  # asyncio.timeout: the answer did not end in time
            request = call.request
            where = (
                f"{request['method']} {request['url']} to {transport.host_port(self.http.base_url)}"
            )
            raise APITimeoutError(f"{where} did not end within {budget:.3g} s") from exc
        finally:
            self._slots.release()
        return call.operation.read(response, self.api)

    async def run(self, flow: Flow[R], deadline: float | None = None) -> R:
        """Run ``flow`` to its end (see :meth:`Engine.run`)."""
        with closing(flow):
            value: object = None
            error: Exception | None = None
            while True:
                try:
                    effect = flow.send(value) if error is None else flow.throw(error)
                except StopIteration as stop:
                    return cast(R, stop.value)
                value = error = None
                try:
                    if isinstance(effect, Sleep):
                        if effect.seconds > 0:
                            await self.sleep(effect.seconds)
                    else:
                        value = await self.send(effect, deadline)
                except Exception as exc:
                    error = exc

    async def close(self) -> None:
        await self.http.aclose()
