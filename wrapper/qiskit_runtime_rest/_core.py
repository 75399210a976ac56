"""The sans-I/O core shared by the sync and async clients.

Logic is written once, as data and generators, and run by two thin engines:

* a :class:`Call` describes one API operation: which generated endpoint function to call (sync
  and async variants), with which arguments, whether it is safe to repeat, and how to read the
  answer;
* a *flow* is a generator that yields :class:`Call` and :class:`Sleep` effects and receives
  their results (or has their exceptions thrown in). Multi-step logic (polling a job, submitting
  a job without ever duplicating it) is a flow;
* :class:`Engine` and :class:`AsyncEngine` execute effects: they call the generated client with
  retries (:mod:`~qiskit_runtime_rest.retry`), refresh the token once on a 401, map transport
  failures to SDK errors and sleep with ``time.sleep`` / ``asyncio.sleep``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import httpx

from qiskit_runtime_rest.errors import (
    AuthenticationError,
    MalformedResponseError,
    RuntimeRestError,
)
from qiskit_runtime_rest.transport import MAX_CONCURRENT_REQUESTS, map_transport_error

if TYPE_CHECKING:
    from qiskit_runtime_api.client import Client
    from qiskit_runtime_api.types import Response

    from qiskit_runtime_rest.auth import RuntimeAuth
    from qiskit_runtime_rest.retry import RetryPolicy

__all__ = ["AsyncEngine", "Call", "Effect", "Engine", "Flow", "Sleep"]

logger = logging.getLogger("qiskit_runtime_rest")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One API operation, ready to run with either engine."""

    name: str
    sync_fn: Callable[..., Response[Any]] = field(repr=False)
    async_fn: Callable[..., Awaitable[Response[Any]]] = field(repr=False)
    kwargs: Mapping[str, Any]
    parse: Callable[[Response[Any]], T] = field(repr=False)
    idempotent: bool = True


@dataclass(frozen=True, slots=True)
class Sleep:
    """Pause a flow for ``seconds``."""

    seconds: float


Effect = Call[Any] | Sleep
Flow = Generator[Effect, Any, T]
"""A generator of effects returning ``T``."""


# What the generated code raises on a body it cannot read (httpx.DecodingError for a broken
# Content-Encoding, RecursionError for absurdly nested JSON, the rest from ``from_dict``).
_PARSE_ERRORS = (
    httpx.HTTPError,
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
    ArithmeticError,
    RecursionError,
)


def _malformed(call: Call[Any], exc: Exception) -> MalformedResponseError:
    return MalformedResponseError(
        f"{call.name}: the response does not match the documented shape "
        f"({type(exc).__name__}: {exc})"
    )


class _EngineBase:
    def __init__(self, api: Client, auth: RuntimeAuth, retry: RetryPolicy) -> None:
        self.api = api
        self.auth = auth
        self.retry = retry
        self.clock: Callable[[], float] = time.monotonic

    def _refresh_after_401(self, call: Call[Any], exc: AuthenticationError) -> bool:
        # A rejected token request (bad API key) is not an expired token: asking again fails too.
        if not self.auth.refreshable or exc.auth_request:
            return False
        logger.info("%s: HTTP %s, fetching a new token and trying once more", call.name, 401)
        self.auth.invalidate()
        return True


class Engine(_EngineBase):
    """Runs calls and flows synchronously."""

    def __init__(self, api: Client, auth: RuntimeAuth, retry: RetryPolicy) -> None:
        super().__init__(api, auth, retry)
        self.sleep: Callable[[float], None] = time.sleep

    def _invoke(self, call: Call[T]) -> T:
        try:
            response = call.sync_fn(client=self.api, **call.kwargs)
        except RuntimeRestError:
            raise
        except httpx.TransportError as exc:
            raise map_transport_error(exc) from exc
        except _PARSE_ERRORS as exc:
            raise _malformed(call, exc) from exc
        return call.parse(response)

    def _retrying(self, call: Call[T]) -> T:
        retrying = self.retry.retrying(idempotent=call.idempotent, name=call.name, sleep=self.sleep)
        for attempt in retrying:
            with attempt:
                return self._invoke(call)
        raise AssertionError("unreachable")  # pragma: no cover

    def call(self, call: Call[T]) -> T:
        """Run ``call`` with retries; on a 401, refresh the token and run it once more."""
        try:
            return self._retrying(call)
        except AuthenticationError as exc:
            if not self._refresh_after_401(call, exc):
                raise
        return self._retrying(call)

    def drive(self, flow: Flow[T]) -> T:
        """Run a flow to completion."""
        value: Any = None
        error: Exception | None = None
        while True:
            try:
                effect = flow.throw(error) if error is not None else flow.send(value)
            except StopIteration as stop:
                return cast(T, stop.value)
            value, error = None, None
            try:
                if isinstance(effect, Sleep):
                    if effect.seconds > 0:
                        self.sleep(effect.seconds)
                else:
                    value = self.call(effect)
            except Exception as exc:  # handed to the flow, which may handle it
                error = exc

    def close(self) -> None:
        self.api.get_httpx_client().close()


class AsyncEngine(_EngineBase):
    """Runs calls and flows on an asyncio event loop."""

    def __init__(
        self,
        api: Client,
        auth: RuntimeAuth,
        retry: RetryPolicy,
        *,
        max_concurrency: int = MAX_CONCURRENT_REQUESTS,
    ) -> None:
        super().__init__(api, auth, retry)
        import asyncio

        self.sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        # Bounds requests in flight, not flows: a thousand gathered submissions wait here
        # (backoff sleeps do not hold a slot).
        self._slots = asyncio.Semaphore(max_concurrency)

    async def _invoke(self, call: Call[T]) -> T:
        try:
            async with self._slots:
                response = await call.async_fn(client=self.api, **call.kwargs)
        except RuntimeRestError:
            raise
        except httpx.TransportError as exc:
            raise map_transport_error(exc) from exc
        except _PARSE_ERRORS as exc:
            raise _malformed(call, exc) from exc
        return call.parse(response)

    async def _retrying(self, call: Call[T]) -> T:
        retrying = self.retry.async_retrying(
            idempotent=call.idempotent, name=call.name, sleep=self.sleep
        )
        async for attempt in retrying:
            with attempt:
                return await self._invoke(call)
        raise AssertionError("unreachable")  # pragma: no cover

    async def call(self, call: Call[T]) -> T:
        """Run ``call`` with retries; on a 401, refresh the token and run it once more."""
        try:
            return await self._retrying(call)
        except AuthenticationError as exc:
            if not self._refresh_after_401(call, exc):
                raise
        return await self._retrying(call)

    async def drive(self, flow: Flow[T]) -> T:
        """Run a flow to completion."""
        value: Any = None
        error: Exception | None = None
        while True:
            try:
                effect = flow.throw(error) if error is not None else flow.send(value)
            except StopIteration as stop:
                return cast(T, stop.value)
            value, error = None, None
            try:
                if isinstance(effect, Sleep):
                    if effect.seconds > 0:
                        await self.sleep(effect.seconds)
                else:
                    value = await self.call(effect)
            except Exception as exc:  # handed to the flow, which may handle it
                error = exc

    async def close(self) -> None:
        await self.api.get_async_httpx_client().aclose()
