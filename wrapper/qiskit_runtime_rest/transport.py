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

The response hook also bounds the size of every body, *after* Content-Encoding decoding (so a
gzip "bomb" is stopped early): :data:`MAX_RESPONSE_BYTES` for every answer but result downloads,
:data:`MAX_RESULT_BYTES` for ``GET /jobs/{id}/results``. A larger success body raises
:class:`MalformedResponseError`; a larger error body still raises the error of its status, without
the body. Only the ``gzip`` and ``deflate`` encodings are asked for and accepted.

Transport failures (``httpx.TransportError``) become :class:`APIConnectionError` /
:class:`APITimeoutError` in :func:`map_transport_error`; the original exception is kept as
``__cause__``, which tells the retry policy whether the request may have reached the server.
"""

from __future__ import annotations

import email.utils
import json
import logging
import re
import ssl
import time
import urllib.parse
import zlib
from collections.abc import AsyncIterator, Iterator, Mapping
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
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    RuntimeRestError,
    ServerError,
)

__all__ = [
    "AUTH_REQUEST_EXTENSION",
    "DEFAULT_API_VERSION",
    "MAX_CONCURRENT_REQUESTS",
    "MAX_RESPONSE_BYTES",
    "MAX_RESULT_BYTES",
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
MAX_CONCURRENT_REQUESTS = 16
"""Requests an AsyncRuntime keeps in flight at once. httpcore's bookkeeping per request grows
with the number of pooled connections and queued requests, so an unbounded ``gather`` of a
thousand submissions is slower than a bounded one (see scripts/bench_concurrency.py)."""
AUTH_REQUEST_EXTENSION = "qiskit_runtime_rest.auth_request"
"""Request extension marking a credential request (IAM): its 4xx answers are 401-like."""

_MAX_MESSAGE = 300
_TRACE_HEADERS = ("x-request-id", "uber-trace-id", "x-global-transaction-id", "cf-ray")
_RESULT_ROUTE = ("GET", re.compile(r"/jobs/[^/]+/results/?$"))
_LONG_ROUTES = (("POST", re.compile(r"/jobs/?$")), _RESULT_ROUTE)

MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""Largest body (decoded) accepted for any answer but a result download: 32 MiB.

The biggest legitimate ones (a 200-job page, a large backend's properties) are a few MB. Read at
each request, so it can be changed at run time (``transport.MAX_RESPONSE_BYTES = ...``)."""
MAX_RESULT_BYTES = 2 * 1024 * 1024 * 1024
"""Largest result download (decoded): 2 GiB, far above what a job of 10 million shots returns."""
_ACCEPTED_ENCODINGS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": 0}
_STATUS_CLASSES: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: RequestTooLargeError,
    429: RateLimitError,
}


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Timeouts in seconds.

    ``connect``/``read``/``write``/``pool`` apply to every request; ``submit`` replaces ``read``
    and ``write`` for job submissions (``POST /jobs``) and result downloads, whose payloads can be
    large. ``None`` disables a timeout.

    ``pool`` (how long a request may wait for one of the client's own connections) is off by
    default: under heavy concurrency (``asyncio.gather`` of a thousand ``result()`` calls) requests
    queue for the 100 connections instead of failing, and each one is still bounded by the
    connect, read and write timeouts once it has a connection.
    """

    connect: float | None = 5.0
    read: float | None = 30.0
    write: float | None = 30.0
    pool: float | None = None
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


def _request_secrets(request: httpx.Request) -> list[str]:
    """The credentials a request carried: token headers, and the API key of an IAM request."""
    found = []
    for name in ("Authorization", "x-access-token"):
        value = request.headers.get(name)
        if value:
            found.append(value.strip().rpartition(" ")[2])
    if request.extensions.get(AUTH_REQUEST_EXTENSION):
        try:
            form = urllib.parse.parse_qs(request.content.decode("utf-8", errors="replace"))
        except httpx.RequestNotRead:  # pragma: no cover - IAM requests are never streamed
            form = {}
        found.extend(form.get("apikey", []))
    # Longest first, so that a secret containing another one is hidden whole.
    return sorted({s for s in found if len(s) >= 6}, key=len, reverse=True)


def _redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "<hidden>")
    return text


def error_from_response(response: httpx.Response) -> APIError:
    """The typed error for an answer with status >= 400 (its body must have been read).

    Tolerates any body: the service's ``ErrorContainer``, the legacy ``{"error": {...}}``, IAM's
    ``errorMessage`` and non-JSON text or HTML from proxies and CDNs. A credential of the request
    that the answer echoes (an IAM error quoting the API key, say) is replaced by ``<hidden>``.
    """
    status = response.status_code
    request = response.request
    secrets = _request_secrets(request)
    text = _redact(response.text, secrets) if response.content else ""
    body: Any = None
    try:
        body = json.loads(text) if text else None
    except (ValueError, RecursionError):
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
    elif body is None and text:
        message = f"{reason}: {_clip(text)}"
    else:
        message = reason
    is_auth_request = bool(request.extensions.get(AUTH_REQUEST_EXTENSION))
    kwargs: dict[str, Any] = {
        "status_code": status,
        "errors": details,
        "trace": trace,
        "method": request.method,
        "path": request.url.path,
        "body": body if body is not None else _clip(text) if text else None,
        "auth_request": is_auth_request,
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
        request = exc.request
    except RuntimeError:
        where, auth_request = "request", False
    else:
        where = f"{request.method} {request.url.path}"
        auth_request = bool(request.extensions.get(AUTH_REQUEST_EXTENSION))
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"{where} timed out ({type(exc).__name__}: {_clip(detail)})", auth_request=auth_request
        )
    return APIConnectionError(
        f"{where} failed: {type(exc).__name__}: {_clip(detail)}", auth_request=auth_request
    )


def request_was_sent(exc: BaseException) -> bool:
    """Whether a failed request may have reached the server (and had an effect).

    A failed credential (IAM token) request proves that the API request was never sent, as do
    connection set-up failures (``ConnectError``, ``ConnectTimeout``, ``PoolTimeout``). An HTTP
    error answer of the API itself means the request arrived.
    """
    if isinstance(exc, RuntimeRestError) and exc.auth_request:
        return False
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


class _BodyTooLarge(MalformedResponseError):
    """A response body past its size limit (raised while the body is read)."""


def _body_limit(request: httpx.Request) -> int:
    method, pattern = _RESULT_ROUTE
    if request.method == method and pattern.search(request.url.path):
        return MAX_RESULT_BYTES
    return MAX_RESPONSE_BYTES


class _BodyMeter:
    """Counts a body as it arrives, in decoded bytes, and raises once it exceeds the limit.

    Encoded bodies are inflated on the side, never more than the bytes left under the limit, so
    that the check happens *before* httpx's own decoder inflates a chunk.
    """

    def __init__(self, response: httpx.Response, limit: int) -> None:
        self.request = response.request
        self.status = response.status_code
        self.limit = limit
        self.size = 0
        codings = [
            c.strip().lower()
            for c in response.headers.get("Content-Encoding", "").split(",")
            if c.strip() and c.strip().lower() != "identity"
        ]
        if len(codings) > 1 or (codings and codings[0] not in _ACCEPTED_ENCODINGS):
            raise MalformedResponseError(
                f"{self._where()}: unsupported Content-Encoding {', '.join(codings)!r} "
                "(only gzip or deflate is accepted)",
                status_code=self.status,
            )
        self.coding = codings[0] if codings else "identity"
        self.wbits = _ACCEPTED_ENCODINGS[codings[0]] if codings else None
        self.inflater: Any = None
        declared = response.headers.get("Content-Length", "")
        if self.wbits is None and declared.isdigit() and int(declared) > limit:
            raise self._too_large(f"announces {int(declared)} bytes")

    def _where(self) -> str:
        return f"{self.request.method} {self.request.url.path} -> HTTP {self.status}"

    def _too_large(self, what: str) -> _BodyTooLarge:
        return _BodyTooLarge(
            f"{self._where()}: the response body {what}, more than the {self.limit}-byte limit "
            "(qiskit_runtime_rest.transport.MAX_RESPONSE_BYTES / MAX_RESULT_BYTES)",
            status_code=self.status,
        )

    def feed(self, chunk: bytes) -> None:
        if self.wbits is None:
            self.size += len(chunk)
        elif chunk:
            if self.inflater is None:
                wbits = self.wbits
                if wbits == 0:  # "deflate": a zlib stream, or (from some servers) raw deflate
                    zlib_header = len(chunk) > 1 and (chunk[0] & 0x0F) == 8
                    zlib_header = zlib_header and (chunk[0] * 256 + chunk[1]) % 31 == 0
                    wbits = zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS
                self.inflater = zlib.decompressobj(wbits)
            budget = self.limit - self.size + 1
            try:
                data = self.inflater.unconsumed_tail + chunk
                self.size += len(self.inflater.decompress(data, budget))
            except zlib.error as exc:
                raise MalformedResponseError(
                    f"{self._where()}: the body is not valid {self.coding} data ({exc})",
                    status_code=self.status,
                ) from None
        if self.size > self.limit:
            raise self._too_large("is larger")


class _LimitedStream(httpx.SyncByteStream):
    def __init__(self, stream: Any, meter: _BodyMeter) -> None:
        self._stream = stream
        self._meter = meter

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            self._meter.feed(chunk)
            yield chunk

    def close(self) -> None:
        self._stream.close()


class _AsyncLimitedStream(httpx.AsyncByteStream):
    def __init__(self, stream: Any, meter: _BodyMeter) -> None:
        self._stream = stream
        self._meter = meter

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            self._meter.feed(chunk)
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()


def _bodiless(response: httpx.Response) -> httpx.Response:
    """The response without its body (to build an error from an oversized error answer)."""
    headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-encoding"]
    return httpx.Response(response.status_code, headers=headers, request=response.request)


def _limit_body(response: httpx.Response, *, asynchronous: bool) -> None:
    meter = _BodyMeter(response, _body_limit(response.request))
    if asynchronous:
        response.stream = _AsyncLimitedStream(response.stream, meter)
    else:
        response.stream = _LimitedStream(response.stream, meter)


def _raise_for_status(response: httpx.Response) -> None:
    _log_response(response)
    try:
        _limit_body(response, asynchronous=False)
        if response.status_code >= 400:
            response.read()
    except MalformedResponseError:
        if response.status_code < 400:
            raise
        response.close()
        raise error_from_response(_bodiless(response)) from None
    if response.status_code >= 400:
        raise error_from_response(response)


async def _araise_for_status(response: httpx.Response) -> None:
    _log_response(response)
    try:
        _limit_body(response, asynchronous=True)
        if response.status_code >= 400:
            await response.aread()
    except MalformedResponseError:
        if response.status_code < 400:
            raise
        await response.aclose()
        raise error_from_response(_bodiless(response)) from None
    if response.status_code >= 400:
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
        "headers": {
            "User-Agent": user_agent,
            "Accept": "application/json",
            "Accept-Encoding": "gzip, deflate",
            **headers,
        },
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
    max_concurrency: int = MAX_CONCURRENT_REQUESTS,
) -> httpx.AsyncClient:
    """The ``httpx.AsyncClient`` twin of :func:`build_http_client`; its pool matches the
    engine's concurrency bound (plus room for token requests)."""
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
        limits=httpx.Limits(
            max_connections=max_concurrency + 4, max_keepalive_connections=max_concurrency
        ),
        event_hooks={"request": [aset_timeout], "response": [_araise_for_status]},
    )
