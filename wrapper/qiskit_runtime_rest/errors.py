"""The exception hierarchy: everything the SDK raises derives from :class:`RuntimeRestError`.

Messages and reprs never carry secrets: HTTP errors keep the method, the URL path and the
service's error body, never request headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BackendNotFoundError",
    "BadRequestError",
    "ConflictError",
    "ErrorDetail",
    "FrozenOptionsError",
    "JobCancelledError",
    "JobError",
    "JobFailedError",
    "JobTimeoutError",
    "MalformedResponseError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTooLargeError",
    "ResultDecodeError",
    "RuntimeRestError",
    "ServerError",
    "ValidationError",
]


class RuntimeRestError(Exception):
    """Base class of every error raised by qiskit-runtime-rest."""

    auth_request: bool = False
    """True when the failure is that of a credential (IAM token) request: the API request it
    was fetching a token for was never sent."""


class ValidationError(RuntimeRestError, ValueError):
    """Input rejected before anything was sent (PUB shapes, options, configuration)."""


class BackendNotFoundError(RuntimeRestError, LookupError):
    """No backend matches the criteria of ``least_busy()`` (or the backend named does not
    exist: then the service's :class:`NotFoundError` is raised instead)."""


class FrozenOptionsError(RuntimeRestError, attrs.exceptions.FrozenInstanceError):
    """An option was assigned to: options objects are immutable; the message says how to
    change them (``options.replace(...)``, ``sampler.with_options(...)``)."""

    def __init__(self, message: str) -> None:
        Exception.__init__(self, message)


class ResultDecodeError(RuntimeRestError, ValueError):
    """A result payload is truncated, corrupted or not in a known wire encoding."""


class MalformedResponseError(RuntimeRestError):
    """The service answered with a body that does not match the documented shape."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


@attrs.frozen
class ErrorDetail:
    """One entry of the service's ``errors`` list: ``code`` may be a string or a number."""

    code: str | int | None
    message: str
    more_info: str | None = attrs.field(default=None, repr=False)


class APIError(RuntimeRestError):
    """The service answered with an HTTP error status (after any retries)."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        errors: Sequence[ErrorDetail] = (),
        trace: str | None = None,
        method: str | None = None,
        path: str | None = None,
        body: Any = None,
        auth_request: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.auth_request = auth_request
        self.status_code = status_code
        self.errors = list(errors)
        self.trace = trace
        self.method = method
        self.path = path
        self.body = body

    def __str__(self) -> str:
        where = f" ({self.method} {self.path})" if self.method and self.path else ""
        trace = f" [trace {self.trace}]" if self.trace else ""
        return f"HTTP {self.status_code}{where}: {self.message}{trace}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, message={self.message!r})"


class BadRequestError(APIError):
    """400: the service rejected the request body or parameters."""


class RequestTooLargeError(BadRequestError):
    """413: the request body is larger than the service accepts (the message gives the limit);
    a :class:`BadRequestError`, so retrying the same request cannot help."""


class AuthenticationError(APIError):
    """401: the token or API key is missing, invalid or expired."""


class PermissionDeniedError(APIError):
    """403: the credentials are valid but not allowed to do this."""


class NotFoundError(APIError):
    """404: no such job, session or backend (in this instance)."""


class ConflictError(APIError):
    """409: the object is not in a state that allows this (e.g. cancelling a finished job)."""


class RateLimitError(APIError):
    """429: too many requests; ``retry_after`` holds the server's hint in seconds, if any."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(APIError):
    """5xx (or any non-standard status >= 500) from the service or a proxy in front of it."""


class APIConnectionError(RuntimeRestError):
    """The request never got an HTTP answer (DNS, refused or dropped connection, TLS).

    ``sent`` is False when the request certainly never reached the server (a refused connection,
    a connect timeout, no time left before sending), so repeating it cannot duplicate anything.
    The message names the request, the ``host:port`` it went to, and (once the client gave up)
    the operation and the attempts made: ``operation`` and ``attempts`` hold them.
    """

    def __init__(self, message: str, *, auth_request: bool = False, sent: bool = True) -> None:
        super().__init__(message)
        self.auth_request = auth_request
        self.sent = sent
        self.operation: str | None = None
        self.attempts: int | None = None

    def gave_up(self, operation: str, attempts: int, seconds: float) -> None:
        """Record that the client gave up on ``operation`` after ``attempts`` attempts."""
        if self.operation is not None:
            return
        self.operation = operation
        self.attempts = attempts
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        text = str(self.args[0]) if self.args else type(self).__name__
        self.args = (f"{operation}: {text} ({tries} over {seconds:.1f} s)",)


class APITimeoutError(APIConnectionError):
    """The request timed out before an answer arrived."""


class JobError(RuntimeRestError):
    """Base class of errors about a job's outcome."""

    def __init__(self, message: str, *, job_id: str) -> None:
        super().__init__(message)
        self.job_id = job_id


class JobFailedError(JobError):
    """The job ended in ``Failed`` (or was cancelled by the service for running too long)."""

    def __init__(
        self,
        message: str,
        *,
        job_id: str,
        status: str,
        reason: str | None = None,
        reason_code: int | None = None,
        reason_solution: str | None = None,
    ) -> None:
        super().__init__(message, job_id=job_id)
        self.status = status
        self.reason = reason
        self.reason_code = reason_code
        self.reason_solution = reason_solution


class JobCancelledError(JobError):
    """The job was cancelled, so it has no result."""


class JobTimeoutError(JobError, TimeoutError):
    """Waiting for the job exceeded the caller's timeout; the job itself goes on."""

    def __init__(
        self, message: str, *, job_id: str, timeout: float, last_status: str | None
    ) -> None:
        super().__init__(message, job_id=job_id)
        self.timeout = timeout
        self.last_status = last_status
