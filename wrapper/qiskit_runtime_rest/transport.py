"""HTTP plumbing: one keep-alive :mod:`httpx` client per Runtime, typed errors, timeouts.

Every request of a Runtime (API calls and IAM token requests alike) goes through one
``httpx.Client`` (or ``httpx.AsyncClient``) built here, so proxies, TLS verification and
connection reuse apply everywhere. Two event hooks do the rest:

* a request hook gives ``POST /jobs`` and ``GET /jobs/{id}/results`` the long ``submit``
  timeout (large payloads), other requests the default timeouts;
* a response hook reads any answer with status >= 400 and raises the matching
  :mod:`~qiskit_runtime_rest.errors` class *before* the generated code sees it. The generated
  code would otherwise return ``None`` for undocumented statuses, or crash on non-IANA ones such
  as Cloudflare's 520-527 (``HTTPStatus(520)`` raises ``ValueError``).

Transport failures (``httpx.TransportError``) become :class:`APIConnectionError` /
:class:`APITimeoutError` in :func:`map_transport_error`; the original exception is kept as
``__cause__``, which tells the retry policy whether the request may have reached the server.
"""

from __future__ import annotations

import email.utils
import logging
import re
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from qiskit_runtime_rest.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorDetail,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)

__all__ = [
    "AUTH_REQUEST_EXTENSION",
    "DEFAULT_API_VERSION",
    "Timeouts",
    "build_async_http_client",
    "build_http_client",
    "error_from_response",
    "map_transport_error",
    "parse_retry_after",
    "request_was_sent",
]

logger = logging.getLogger("qiskit_runtime_rest")

DEFAULT_API_VERSION = "2026-04-15"
AUTH_REQUEST_EXTENSION = "qiskit_runtime_rest.auth_request"
"""Request extension marking a credential request (IAM): its 4xx answers are 401-like."""

_MAX_MESSAGE = 300
_TRACE_HEADERS = ("x-request-id", "uber-trace-id", "x-global-transaction-id", "cf-ray")
_LONG_ROUTES = (
    ("POST", re.compile(r"/jobs/?$")),
    ("GET", re.compile(r"/jobs/[^/]+/results/?$")),
)
_STATUS_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Timeouts in seconds.

    ``connect``/``read``/``write``/``pool`` apply to every request; ``submit`` replaces ``read``
    and ``write`` for job submissions (``POST /jobs``) and result downloads, whose payloads can be
    large. ``None`` disables a timeout.
    """

    connect: float | None = 5.0
    read: float | None = 30.0
    write: float | None = 30.0
    pool: float | None = 5.0
    submit: float | None = 300.0

    @classmethod
    def coerce(cls, value: Timeouts | float | None) -> Timeouts:
        """A :class:`Timeouts` from a Timeouts, a number (the read/write timeout) or None."""
        if value is None:
            return cls()
        if isinstance(value, Timeouts):
            return value
        seconds = float(value)
        return cls(read=seconds, write=seconds)

    def default(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)

    def long(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect, read=self.submit, write=self.submit, pool=self.pool
        )


# -- errors -----------------------------------------------------------------------------------


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None  # pragma: no cover - older Pythons
    current = time.time() if now is None else now
    return max(when.timestamp() - current, 0.0)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."


def _details(body: Any) -> tuple[list[ErrorDetail], str | None]:
    """``errors[]`` (and the legacy singular ``error``) of an error body, plus its trace."""
    details: list[ErrorDetail] = []
    trace: str | None = None
    if not isinstance(body, dict):
        return details, trace
    raw_trace = body.get("trace")
    if isinstance(raw_trace, str | int):
        trace = str(raw_trace)
    items = body.get("errors")
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict):
                code = item.get("code")
                message = str(item.get("message") or item.get("solution") or "")
                more_info = item.get("more_info")
                details.append(
                    ErrorDetail(
                        code if isinstance(code, str | int) else None,
                        message,
                        more_info if isinstance(more_info, str) else None,
                    )
                )
            elif isinstance(item, str):
                details.append(ErrorDetail(None, item))
    legacy = body.get("error")
    if isinstance(legacy, dict):
        code = legacy.get("code", legacy.get("name"))
        details.append(
            ErrorDetail(
                code if isinstance(code, str | int) else None, str(legacy.get("message", ""))
            )
        )
    elif isinstance(legacy, str):
        details.append(ErrorDetail(None, legacy))
    if not details:
        # IAM: {"errorCode": "BXNIM0415E", "errorMessage": "..."}; others: {"message": "..."}
        text = body.get("errorMessage") or body.get("message") or body.get("detail")
        if isinstance(text, str):
            code = body.get("errorCode")
            details.append(ErrorDetail(code if isinstance(code, str | int) else None, text))
    return details, trace


def error_from_response(response: httpx.Response) -> APIError:
    """The typed error for an answer with status >= 400 (its body must have been read).

    Tolerates any body: the service's ``ErrorContainer``, the legacy ``{"error": {...}}``, IAM's
    ``errorMessage`` and non-JSON text or HTML from proxies and CDNs.
    """
    status = response.status_code
    request = response.request
    body: Any = None
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    details, trace = _details(body)
    if trace is None:
        for header in _TRACE_HEADERS:
            if header in response.headers:
                trace = response.headers[header]
                break
    reason = httpx.codes.get_reason_phrase(status) or "Unknown status"
    if details:
        message = "; ".join(_clip(d.message) for d in details if d.message) or reason
        codes = [str(d.code) for d in details if d.code is not None]
        if codes:
            message = f"{message} (code {', '.join(codes)})"
    elif body is None and response.content:
        message = f"{reason}: {_clip(response.text)}"
    else:
        message = reason
    is_auth_request = bool(request.extensions.get(AUTH_REQUEST_EXTENSION))
    kwargs: dict[str, Any] = {
        "status_code": status,
        "errors": details,
        "trace": trace,
        "method": request.method,
        "path": request.url.path,
        "body": body if body is not None else _clip(response.text) if response.content else None,
    }
    if is_auth_request and 400 <= status < 500 and status != 429:
        return AuthenticationError(f"IAM token request failed: {message}", **kwargs)
    if status == 429:
        return RateLimitError(
            message, retry_after=parse_retry_after(response.headers.get("Retry-After")), **kwargs
        )
    cls = _STATUS_CLASSES.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else APIError
    return cls(message, **kwargs)


def map_transport_error(exc: httpx.TransportError) -> APIConnectionError:
    """The SDK error for an httpx transport failure (keep ``exc`` as its ``__cause__``)."""
    try:
        where = f"{exc.request.method} {exc.request.url.path}"
    except RuntimeError:
        where = "request"
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{where} timed out ({type(exc).__name__}: {_clip(detail)})")
    return APIConnectionError(f"{where} failed: {type(exc).__name__}: {_clip(detail)}")


def request_was_sent(exc: BaseException) -> bool:
    """Whether a failed request may have reached the server (and had an effect).

    Only connection set-up failures (``ConnectError``, ``ConnectTimeout``, ``PoolTimeout``)
    prove that nothing was sent. An HTTP error answer means the request arrived.
    """
    if isinstance(exc, APIConnectionError):
        cause = exc.__cause__
        return not isinstance(cause, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    return True


# -- hooks ------------------------------------------------------------------------------------


def _log_response(response: httpx.Response) -> None:
    request = response.request
    logger.debug("%s %s -> %s", request.method, request.url.path, response.status_code)


def _route_timeouts(timeouts: Timeouts) -> Any:
    long = timeouts.long().as_dict()

    def set_timeout(request: httpx.Request) -> None:
        path = request.url.path
        for method, pattern in _LONG_ROUTES:
            if request.method == method and pattern.search(path):
                request.extensions = {**request.extensions, "timeout": long}
                return

    return set_timeout


def _raise_for_status(response: httpx.Response) -> None:
    _log_response(response)
    if response.status_code >= 400:
        response.read()
        raise error_from_response(response)


async def _araise_for_status(response: httpx.Response) -> None:
    _log_response(response)
    if response.status_code >= 400:
        await response.aread()
        raise error_from_response(response)


# -- clients ----------------------------------------------------------------------------------

Verify = bool | str | ssl.SSLContext


def _ssl_verify(verify: Verify) -> bool | ssl.SSLContext:
    if isinstance(verify, str):
        return ssl.create_default_context(cafile=verify)
    return verify


def _proxy_pattern(key: str) -> str:
    """qiskit-ibm-runtime style proxy keys (``https``, ``http://host``) -> httpx mount keys."""
    if "://" in key:
        return key
    return f"{key}://"


def _client_kwargs(
    *,
    base_url: str,
    headers: Mapping[str, str],
    auth: httpx.Auth,
    timeouts: Timeouts,
    verify: Verify,
    proxy: str | None,
    proxies: Mapping[str, str] | None,
    user_agent: str,
    trust_env: bool,
) -> dict[str, Any]:
    return {
        "base_url": base_url.rstrip("/"),
        "headers": {"User-Agent": user_agent, "Accept": "application/json", **headers},
        "auth": auth,
        "timeout": timeouts.default(),
        "verify": _ssl_verify(verify),
        "proxy": proxy,
        "follow_redirects": False,
        "trust_env": trust_env,
        "_proxies": dict(proxies or {}),
    }


def build_http_client(
    *,
    base_url: str,
    headers: Mapping[str, str],
    auth: httpx.Auth,
    timeouts: Timeouts,
    verify: Verify = True,
    proxy: str | None = None,
    proxies: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    user_agent: str = "qiskit-runtime-rest",
    trust_env: bool = True,
) -> httpx.Client:
    """The one ``httpx.Client`` a :class:`~qiskit_runtime_rest.Runtime` uses for everything.

    ``proxy`` is one proxy URL for all traffic; ``proxies`` maps URL patterns (``https``,
    ``https://host``, ...) to proxy URLs, as in qiskit-ibm-runtime's saved accounts. Without
    either, the standard ``HTTPS_PROXY``/``NO_PROXY`` environment variables apply (unless
    ``trust_env`` is false). ``transport`` replaces the network (tests use
    ``httpx.MockTransport``).
    """
    kwargs = _client_kwargs(
        base_url=base_url,
        headers=headers,
        auth=auth,
        timeouts=timeouts,
        verify=verify,
        proxy=proxy,
        proxies=proxies,
        user_agent=user_agent,
        trust_env=trust_env,
    )
    mounts: dict[str, httpx.BaseTransport | None] = {
        _proxy_pattern(k): httpx.HTTPTransport(proxy=url, verify=kwargs["verify"])
        for k, url in kwargs.pop("_proxies").items()
    }
    return httpx.Client(
        **kwargs,
        mounts=mounts or None,
        transport=transport,
        event_hooks={"request": [_route_timeouts(timeouts)], "response": [_raise_for_status]},
    )


def build_async_http_client(
    *,
    base_url: str,
    headers: Mapping[str, str],
    auth: httpx.Auth,
    timeouts: Timeouts,
    verify: Verify = True,
    proxy: str | None = None,
    proxies: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    user_agent: str = "qiskit-runtime-rest",
    trust_env: bool = True,
) -> httpx.AsyncClient:
    """The ``httpx.AsyncClient`` twin of :func:`build_http_client`."""
    kwargs = _client_kwargs(
        base_url=base_url,
        headers=headers,
        auth=auth,
        timeouts=timeouts,
        verify=verify,
        proxy=proxy,
        proxies=proxies,
        user_agent=user_agent,
        trust_env=trust_env,
    )
    mounts: dict[str, httpx.AsyncBaseTransport | None] = {
        _proxy_pattern(k): httpx.AsyncHTTPTransport(proxy=url, verify=kwargs["verify"])
        for k, url in kwargs.pop("_proxies").items()
    }
    set_timeout = _route_timeouts(timeouts)

    async def aset_timeout(request: httpx.Request) -> None:
        set_timeout(request)

    return httpx.AsyncClient(
        **kwargs,
        mounts=mounts or None,
        transport=transport,
        event_hooks={"request": [aset_timeout], "response": [_araise_for_status]},
    )
