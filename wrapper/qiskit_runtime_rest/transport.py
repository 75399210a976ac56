"""HTTP plumbing: one keep-alive :mod:`httpx` client per Runtime, typed errors, limits, deadlines.

Every request of a Runtime (API calls and IAM token requests alike) goes through one
``httpx.Client`` (or ``httpx.AsyncClient``) built here, so proxies, TLS verification and
connection reuse apply everywhere. A response hook reads any answer with status >= 400 and raises
the matching :mod:`~qiskit_runtime_rest.errors` class *before* the generated code sees it (the
generated code would otherwise return ``None`` for undocumented statuses, or crash on non-IANA ones
such as Cloudflare's 520-527).

The same hook bounds the size of every body, *after* Content-Encoding decoding (so a gzip "bomb"
is stopped early): :data:`MAX_RESPONSE_BYTES`, or the limit the request names (result downloads:
:data:`MAX_RESULT_BYTES`). A larger success body raises :class:`MalformedResponseError`; a larger
error body still raises the error of its status, without the body. Only the ``gzip`` and
``deflate`` encodings are asked for and accepted.

httpx's timeouts bound each socket operation, so a server that trickles its answer a byte at a
time never trips them. The synchronous client therefore also clamps every socket operation to
the deadline of the request in progress (:data:`NETWORK_DEADLINE`, set by the engine); the async
engine bounds each request with :func:`asyncio.timeout` instead.

Transport failures (``httpx.TransportError``) become :class:`APIConnectionError` /
:class:`APITimeoutError` in :func:`map_transport_error`.
"""

from __future__ import annotations

import email.utils
import json
import logging
import ssl
import time
import urllib.parse
import zlib
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

import attrs
import httpcore
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
    ServerError,
)

__all__ = [
    "AUTH_REQUEST_EXTENSION",
    "IAM_FROM_SERVICE_EXTENSION",
    "LIMIT_EXTENSION",
    "MAX_RESPONSE_BYTES",
    "MAX_RESULT_BYTES",
    "NETWORK_DEADLINE",
    "Timeouts",
    "build_async_http_client",
    "build_http_client",
    "error_from_response",
    "host_port",
    "map_transport_error",
    "parse_retry_after",
]

logger = logging.getLogger("qiskit_runtime_rest")

AUTH_REQUEST_EXTENSION = "qiskit_runtime_rest.auth_request"
"""Request extension marking a credential request (IAM): its 4xx answers are 401-like."""
IAM_FROM_SERVICE_EXTENSION = "qiskit_runtime_rest.iam_from_service"
"""Request extension marking a token request sent to the service's own ``/identity/token``
(no ``iam_url`` given for a service that is not IBM's)."""
LIMIT_EXTENSION = "qiskit_runtime_rest.max_bytes"
"""Request extension naming the body size limit of its answer (default MAX_RESPONSE_BYTES)."""
NETWORK_DEADLINE: ContextVar[float | None] = ContextVar(
    "qiskit_runtime_rest_deadline", default=None
)
"""``time.monotonic()`` by which the request in progress (in this thread or task) must end."""

MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""Largest body (decoded) accepted for any answer but a result download: 32 MiB.

The biggest legitimate ones (a 200-job page, a large backend's properties) are a few MB. Read at
each request, so it can be changed at run time (``transport.MAX_RESPONSE_BYTES = ...``)."""
MAX_RESULT_BYTES = 2 * 1024 * 1024 * 1024
"""Largest result download (decoded): 2 GiB, far above what a job of 10 million shots returns."""

_MAX_MESSAGE = 300
_TRACE_HEADERS = ("x-request-id", "uber-trace-id", "x-global-transaction-id", "cf-ray")
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


@attrs.frozen
class Timeouts:
    """Timeouts in seconds (``None`` disables one).

    ``connect``/``read``/``write``/``pool`` bound each network operation of a request, as in httpx;
    ``total`` bounds one attempt of a request from start to end, however slowly the server
    answers. Job submissions (``POST /jobs``) and result downloads, whose payloads can be large,
    use ``submit`` instead of ``read``, ``write`` and ``total``; ``submit`` is also the deadline of
    a whole ``run()``, retries and look-ups included.

    ``pool`` (how long a request may wait for one of the client's own connections) is off by
    default: under heavy concurrency (``asyncio.gather`` of a thousand ``result()`` calls) requests
    queue for the connections instead of failing.
    """

    connect: float | None = 5.0
    read: float | None = 30.0
    write: float | None = 30.0
    pool: float | None = None
    submit: float | None = 300.0
    total: float | None = 60.0

    @classmethod
    def coerce(cls, value: Timeouts | float | None) -> Timeouts:
        """A :class:`Timeouts` from a Timeouts, a number (read, write and total) or None."""
        if value is None:
            return cls()
        if isinstance(value, Timeouts):
            return value
        seconds = float(value)
        return cls(read=seconds, write=seconds, total=seconds)

    def default(self) -> httpx.Timeout:
        """The httpx timeouts of ordinary requests."""
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)

    def long(self) -> httpx.Timeout:
        """The httpx timeouts of job submissions and result downloads."""
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
    if (
        is_auth_request
        and status in (404, 405)
        and request.extensions.get(IAM_FROM_SERVICE_EXTENSION)
    ):
        return AuthenticationError(
            f"the server at {host_port(request.url)} offers no IAM token endpoint "
            f"(POST {request.url.path} -> HTTP {status}): pass iam_url= (the IAM service that "
            "exchanges your API key for tokens), or access_token= with a ready token",
            **kwargs,
        )
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


def host_port(url: httpx.URL) -> str:
    """``host:port`` of a URL, the scheme's default port spelled out."""
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.host}:{port}"


def map_transport_error(exc: httpx.TransportError) -> APIConnectionError:
    """The SDK error for an httpx transport failure (keep ``exc`` as its ``__cause__``): the
    message names the request and the ``host:port`` it went to."""
    try:
        request = exc.request
    except RuntimeError:
        where, auth_request = "request", False
    else:
        where = f"{request.method} {request.url.path} to {host_port(request.url)}"
        auth_request = bool(request.extensions.get(AUTH_REQUEST_EXTENSION))
    detail = f"{type(exc).__name__}: {_clip(str(exc) or type(exc).__name__)}"
    # Failures to set up a connection prove that nothing reached the server.
    sent = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"{where} timed out ({detail})", auth_request=auth_request, sent=sent
        )
    return APIConnectionError(f"{where} failed: {detail}", auth_request=auth_request, sent=sent)


# -- the response hook: size limits and typed errors -----------------------------------------------


class _BodyTooLarge(MalformedResponseError):
    """A response body past its size limit (raised while the body is read)."""


def _too_large(response: httpx.Response, limit: int, what: str) -> _BodyTooLarge:
    request = response.request
    return _BodyTooLarge(
        f"{request.method} {request.url.path} -> HTTP {response.status_code}: the response body "
        f"{what}, more than the {limit}-byte limit "
        "(qiskit_runtime_rest.transport.MAX_RESPONSE_BYTES / MAX_RESULT_BYTES)",
        status_code=response.status_code,
    )


def _limit_body(response: httpx.Response) -> None:
    """Bound the body of ``response`` by its limit: a declared length over it is refused at
    once (the HTTP/1.1 parser reads no more than a declared length); a body of unknown length,
    or encoded, is counted as it arrives."""
    limit: int = response.request.extensions.get(LIMIT_EXTENSION) or MAX_RESPONSE_BYTES
    headers = response.headers
    declared = headers.get("Content-Length", "")
    if "Content-Encoding" not in headers and declared.isdigit():
        if int(declared) > limit:
            raise _too_large(response, limit, f"announces {int(declared)} bytes")
        return
    response.stream = _LimitedStream(response, limit)


class _LimitedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that raises once it passes its size limit, counted in decoded bytes.

    Encoded bodies are inflated on the side, never more than the bytes left under the limit, so
    that the check happens *before* httpx's own decoder inflates a chunk.
    """

    def __init__(self, response: httpx.Response, limit: int) -> None:
        self._response = response
        self._stream: Any = response.stream
        self._limit = limit
        self._size = 0
        self._inflater: Any = None
        codings = response.headers.get("Content-Encoding", "").lower().replace(",", " ").split()
        while "identity" in codings:
            codings.remove("identity")
        self._coding = ", ".join(codings)
        self._wbits: int | None = None
        if len(codings) == 1 and codings[0] in _ACCEPTED_ENCODINGS:
            self._wbits = _ACCEPTED_ENCODINGS[codings[0]]
        elif codings:
            request = response.request
            raise MalformedResponseError(
                f"{request.method} {request.url.path} -> HTTP {response.status_code}: "
                f"unsupported Content-Encoding {self._coding!r} (only gzip or deflate is accepted)",
                status_code=response.status_code,
            )

    def _count(self, chunk: bytes) -> bytes:
        if self._wbits is None:
            self._size += len(chunk)
        elif chunk:
            if self._inflater is None:
                wbits = self._wbits
                if wbits == 0:  # "deflate": a zlib stream, or (from some servers) raw deflate
                    zlib_header = len(chunk) > 1 and (chunk[0] & 0x0F) == 8
                    zlib_header = zlib_header and (chunk[0] * 256 + chunk[1]) % 31 == 0
                    wbits = zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS
                self._inflater = zlib.decompressobj(wbits)
            budget = self._limit - self._size + 1
            try:
                data = self._inflater.unconsumed_tail + chunk
                self._size += len(self._inflater.decompress(data, budget))
            except zlib.error as exc:
                request, status = self._response.request, self._response.status_code
                raise MalformedResponseError(
                    f"{request.method} {request.url.path} -> HTTP {status}: the body is not "
                    f"valid {self._coding} data ({exc})",
                    status_code=status,
                ) from None
        if self._size > self._limit:
            raise _too_large(self._response, self._limit, "is larger")
        return chunk

    def __iter__(self) -> Iterator[bytes]:
        return map(self._count, self._stream)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield self._count(chunk)

    def close(self) -> None:
        self._stream.close()

    async def aclose(self) -> None:
        await self._stream.aclose()


def _bodiless(response: httpx.Response) -> httpx.Response:
    """The response without its body (to build an error from an oversized error answer)."""
    headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-encoding"]
    return httpx.Response(response.status_code, headers=headers, request=response.request)


def _check_response(response: httpx.Response) -> None:
    """Limit the body of every answer; raise the typed error of a status >= 400."""
    request = response.request
    logger.debug("%s %s -> %s", request.method, request.url.path, response.status_code)
    try:
        _limit_body(response)
        if response.status_code >= 400:
            response.read()
    except MalformedResponseError:
        if response.status_code < 400:
            raise
        response.close()
        raise error_from_response(_bodiless(response)) from None
    if response.status_code >= 400:
        raise error_from_response(response)


async def _acheck_response(response: httpx.Response) -> None:
    """The async twin of :func:`_check_response`."""
    request = response.request
    logger.debug("%s %s -> %s", request.method, request.url.path, response.status_code)
    try:
        _limit_body(response)
        if response.status_code >= 400:
            await response.aread()
    except MalformedResponseError:
        if response.status_code < 400:
            raise
        await response.aclose()
        raise error_from_response(_bodiless(response)) from None
    if response.status_code >= 400:
        raise error_from_response(response)


# -- deadlines of the synchronous client -------------------------------------------------------


_PASSED = "the deadline of the request has passed"


def _clamp(timeout: float | None, error: type[Exception]) -> float | None:
    """``timeout`` shortened to the time left before :data:`NETWORK_DEADLINE`."""
    deadline = NETWORK_DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error(_PASSED)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every operation ends by the deadline of the request using it."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream
        # Delegated as bound methods: httpcore calls them on every request.
        self.close = stream.close  # type: ignore[method-assign]
        self.get_extra_info = stream.get_extra_info  # type: ignore[method-assign]

    # read and write run for every chunk: _clamp is written out in them.
    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        deadline = NETWORK_DEADLINE.get()
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise httpcore.ReadTimeout(_PASSED)
            timeout = left if timeout is None else min(timeout, left)
        return self._stream.read(max_bytes, timeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        deadline = NETWORK_DEADLINE.get()
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise httpcore.WriteTimeout(_PASSED)
            timeout = left if timeout is None else min(timeout, left)
        self._stream.write(buffer, timeout)

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, timeout))


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend, with :class:`_DeadlineStream` connections."""

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def _enforce_deadlines(client: httpx.Client) -> None:
    """Give the connection pools of ``client``'s own transports the deadline backend.

    httpx has no public way to choose httpcore's network backend, so the pools' backend is
    replaced; a transport without one (a caller's ``transport=``) keeps per-operation timeouts.
    """
    for transport in (client._transport, *client._mounts.values()):
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if backend is not None and not isinstance(backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(backend)  # type: ignore[union-attr]


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
        user_agent=user_agent,
        trust_env=trust_env,
    )
    mounts: dict[str, httpx.BaseTransport | None] = {
        _proxy_pattern(k): httpx.HTTPTransport(proxy=url, verify=kwargs["verify"])
        for k, url in (proxies or {}).items()
    }
    client = httpx.Client(
        **kwargs,
        mounts=mounts or None,
        transport=transport,
        event_hooks={"response": [_check_response]},
    )
    _enforce_deadlines(client)
    return client


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
    max_concurrency: int,
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
        user_agent=user_agent,
        trust_env=trust_env,
    )
    mounts: dict[str, httpx.AsyncBaseTransport | None] = {
        _proxy_pattern(k): httpx.AsyncHTTPTransport(proxy=url, verify=kwargs["verify"])
        for k, url in (proxies or {}).items()
    }
    return httpx.AsyncClient(
        **kwargs,
        mounts=mounts or None,
        transport=transport,
        limits=httpx.Limits(
            max_connections=max_concurrency + 4, max_keepalive_connections=max_concurrency
        ),
        event_hooks={"response": [_acheck_response]},
    )
