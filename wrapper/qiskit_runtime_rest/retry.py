"""When to repeat a failed request, and after how long: pure functions of the failure.

Both engines (:mod:`qiskit_runtime_rest._core`) run the same loop and ask
:meth:`RetryPolicy.delay_before_retry` after each failed attempt, so the sync and async clients
retry identically.

What is retried:

* a **429** answer, for every request (a rate-limited request had no effect), after the
  ``Retry-After`` delay; a ``Retry-After`` longer than ``max_retry_after`` is not waited for: the
  :class:`RateLimitError` is raised at once;
* a failure that proves the request was **never sent** (connect error or timeout, pool timeout,
  or a 5xx/connection failure of the IAM token request made for it), for every request;
* **5xx** answers (except 501 and 505), dropped connections and read/write timeouts, only for
  requests that are safe to repeat (GET, PUT, DELETE, and the ``accepting_jobs: false`` PATCH).
  ``POST /jobs`` has its own reconciliation (see :mod:`qiskit_runtime_rest.primitives`); other
  POSTs (sessions, cancel) are not repeated after an ambiguous failure.

Backoff is exponential with jitter, ``initial_backoff * 2**(n-1)`` capped at ``max_backoff``;
attempts stop after ``max_attempts``, once waiting would pass ``max_elapsed`` seconds since the
first attempt, or once it would pass the caller's deadline.
"""

from __future__ import annotations

import random

import attrs

from qiskit_runtime_rest.errors import (
    APIConnectionError,
    RateLimitError,
    RuntimeRestError,
    ServerError,
)

__all__ = ["RetryPolicy", "request_was_sent"]

_NOT_RETRIED_5XX = frozenset({501, 505})


def request_was_sent(exc: BaseException) -> bool:
    """Whether a failed request may have reached the server (and had an effect).

    A failed credential (IAM token) request proves that the API request was never sent, as do
    connection set-up failures; an HTTP error answer of the API itself means it arrived.
    """
    if isinstance(exc, RuntimeRestError) and exc.auth_request:
        return False
    return not isinstance(exc, APIConnectionError) or exc.sent


def _at_least_one(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be at least 1")


@attrs.frozen
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

    max_attempts: int = attrs.field(default=5, validator=_at_least_one)
    max_elapsed: float = 60.0
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0
    jitter: bool = True

    def is_transient(self, exc: BaseException, *, idempotent: bool) -> bool:
        """Whether ``exc`` is worth another attempt of the same request."""
        if isinstance(exc, RateLimitError):
            return True
        if isinstance(exc, ServerError) and exc.status_code in _NOT_RETRIED_5XX:
            return False
        if isinstance(exc, APIConnectionError | ServerError):
            return idempotent or not request_was_sent(exc)
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

    def delay_before_retry(
        self,
        exc: BaseException,
        *,
        attempt: int,
        idempotent: bool,
        elapsed: float,
        remaining: float | None,
    ) -> float | None:
        """Seconds to wait before repeating a request that failed with ``exc``; None: give up.

        ``attempt`` counts the attempts made, ``elapsed`` the seconds since the first one, and
        ``remaining`` the seconds left before the caller's deadline (None: no deadline).
        """
        if not self.is_transient(exc, idempotent=idempotent):
            return None
        delay = self.backoff(attempt, exc)
        if self.gives_up(attempt, elapsed, delay, exc):
            return None
        if remaining is not None and delay >= remaining:
            return None
        return delay
