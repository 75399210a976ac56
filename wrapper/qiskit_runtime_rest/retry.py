"""When and how long to retry a failed request (the policy), built on :mod:`tenacity`.

One :class:`RetryPolicy` configures both :class:`tenacity.Retrying` (sync) and
:class:`tenacity.AsyncRetrying` (async), so the two clients retry identically.

What is retried:

* a **429** answer, for every request (the service documents that a rate-limited request had
  no effect), after the ``Retry-After`` delay; a ``Retry-After`` longer than
  ``max_retry_after`` is not waited for: the :class:`RateLimitError` is raised at once;
* a failure that proves the request was **never sent** (connect error or timeout, pool
  timeout, or a 5xx/connection failure of the IAM token request made for it), for every
  request;
* **5xx** answers (except 501 and 505), dropped connections and read/write timeouts, only for
  requests that are safe to repeat: GET, PUT, DELETE and PATCH (``accepting_jobs: false`` is
  idempotent). ``POST /jobs`` has its own reconciliation (see
  :mod:`qiskit_runtime_rest.primitives`); other POSTs (sessions, cancel) are not repeated after
  an ambiguous failure.

Backoff is exponential with jitter, ``initial_backoff * 2**(n-1)`` capped at ``max_backoff``;
attempts stop after ``max_attempts`` or once waiting would exceed ``max_elapsed`` seconds.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from qiskit_runtime_rest.errors import (
    APIConnectionError,
    APIError,
    RateLimitError,
    ServerError,
)
from qiskit_runtime_rest.transport import request_was_sent

__all__ = ["RetryPolicy"]

logger = logging.getLogger("qiskit_runtime_rest")

_NOT_RETRIED_5XX = frozenset({501, 505})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounded retries of transient failures.

    Attributes:
        max_attempts: attempts per request, the first included (1 disables retries).
        max_elapsed: seconds from the first attempt after which no retry starts.
        initial_backoff: delay before the first retry, in seconds (before jitter).
        max_backoff: cap of the exponential delay.
        max_retry_after: longest ``Retry-After`` the client is willing to wait for.
        jitter: randomise delays (half fixed, half uniform) to spread simultaneous retries.
    """

    max_attempts: int = 5
    max_elapsed: float = 60.0
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0
    jitter: bool = True

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def is_transient(self, exc: BaseException, *, idempotent: bool) -> bool:
        """Whether ``exc`` is worth another attempt of the same request."""
        if isinstance(exc, RateLimitError):
            return True
        if isinstance(exc, APIConnectionError):
            return idempotent or not request_was_sent(exc)
        if isinstance(exc, ServerError):
            return (idempotent or not request_was_sent(exc)) and (
                exc.status_code not in _NOT_RETRIED_5XX
            )
        return False

    def backoff(self, attempt: int, exc: BaseException | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        if isinstance(exc, RateLimitError) and exc.retry_after is not None:
            return exc.retry_after
        base = min(self.max_backoff, self.initial_backoff * 2.0 ** max(attempt - 1, 0))
        if not self.jitter:
            return base
        return base / 2.0 + random.uniform(0.0, base / 2.0)

    def gives_up(self, attempt: int, elapsed: float, delay: float, exc: BaseException) -> bool:
        """Whether to stop after attempt ``attempt``, ``elapsed`` seconds in, before ``delay``."""
        if attempt >= self.max_attempts:
            return True
        if isinstance(exc, RateLimitError) and delay > self.max_retry_after:
            return True
        return elapsed + delay > self.max_elapsed

    # -- tenacity ------------------------------------------------------------------------------

    def _tenacity_kwargs(self, *, idempotent: bool, name: str) -> dict[str, Any]:
        import tenacity

        def retry(state: tenacity.RetryCallState) -> bool:
            exc = state.outcome.exception() if state.outcome is not None else None
            return exc is not None and self.is_transient(exc, idempotent=idempotent)

        def wait(state: tenacity.RetryCallState) -> float:
            exc = state.outcome.exception() if state.outcome is not None else None
            return self.backoff(state.attempt_number, exc)

        def stop(state: tenacity.RetryCallState) -> bool:
            exc = state.outcome.exception() if state.outcome is not None else None
            if exc is None:  # pragma: no cover - only failed attempts reach stop
                return True
            return self.gives_up(
                state.attempt_number, state.seconds_since_start or 0.0, state.upcoming_sleep, exc
            )

        def before_sleep(state: tenacity.RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome is not None else None
            what = (
                f"HTTP {exc.status_code}"
                if isinstance(exc, APIError)
                else type(exc).__name__
                if exc is not None
                else "failure"
            )
            logger.info(
                "%s: %s, retrying in %.2f s (attempt %d of %d)",
                name,
                what,
                state.upcoming_sleep,
                state.attempt_number + 1,
                self.max_attempts,
            )

        return {
            "retry": retry,
            "wait": wait,
            "stop": stop,
            "before_sleep": before_sleep,
            "reraise": True,
        }

    def retrying(
        self, *, idempotent: bool, name: str, sleep: Callable[[float], None]
    ) -> Any:  # tenacity.Retrying, typed loosely to keep tenacity's import lazy
        import tenacity

        return tenacity.Retrying(
            sleep=sleep, **self._tenacity_kwargs(idempotent=idempotent, name=name)
        )

    def async_retrying(
        self, *, idempotent: bool, name: str, sleep: Callable[[float], Awaitable[None]]
    ) -> Any:  # tenacity.AsyncRetrying
        import tenacity

        return tenacity.AsyncRetrying(
            sleep=sleep, **self._tenacity_kwargs(idempotent=idempotent, name=name)
        )
