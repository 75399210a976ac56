"""Connection hygiene: no connection is held for free, and running out of them stays quiet.

uvicorn closes a keep-alive connection after ``timeout_keep_alive`` of silence once it has
answered, and refuses requests (503) past ``limit_concurrency``, but it has no limit on the time a
client takes to send a request's head, and idle connections count against its concurrency limit.
:func:`guarded_protocol` adds both to uvicorn's h11 protocol:

* a request's head must arrive within ``header_timeout`` of the connection opening (or of the
  previous answer, plus the keep-alive time), however slowly it trickles in, or the connection
  is closed;
* at most ``max_connections`` are open at once (never more than the file descriptors the
  process may open allow, less a reserve for its own files): past that, the oldest connection
  that has no request in progress is closed to make room.

The body's own time limit is :class:`~.admission.BodyGuard`'s. :func:`quiet_exception_handler`
turns asyncio's traceback per failed ``accept()`` into one warning line every few seconds when
the process runs out of file descriptors anyway.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import time
from collections import OrderedDict
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["ConnectionGuard", "connection_cap", "guarded_protocol", "quiet_exception_handler"]

log = logging.getLogger("qiskit_runtime_emulator.connections")

_FD_RESERVE = 64
"""File descriptors kept for the process itself (spec, logs, worker channels, ...)."""
_EXHAUSTION = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
_QUIET_SECONDS = 10.0


def connection_cap(max_connections: int, workers: int = 0) -> int:
    """``max_connections``, lowered to fit the process's file descriptor limit."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not a POSIX system
        return max_connections
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return max_connections
    return max(1, min(max_connections, soft - _FD_RESERVE - 2 * workers))


class ConnectionGuard:
    """The open connections of one server, oldest first, and the limits they live under."""

    def __init__(self, *, cap: int, header_timeout: float, keep_alive_timeout: float) -> None:
        self.cap = cap
        self.header_timeout = header_timeout
        self.keep_alive_timeout = keep_alive_timeout
        self.open: OrderedDict[H11Protocol, None] = OrderedDict()
        self.evicted = 0
        self.timed_out = 0

    def opened(self, protocol: H11Protocol) -> None:
        self.open[protocol] = None
        if len(self.open) <= self.cap:
            return
        for other in self.open:
            if other is not protocol and _idle(other):
                self.evicted += 1
                _close(other)
                self.open.pop(other, None)
                return
        _close(protocol)  # every other connection is busy: no room for this one
        self.open.pop(protocol, None)

    def closed(self, protocol: H11Protocol) -> None:
        self.open.pop(protocol, None)


def _idle(protocol: H11Protocol) -> bool:
    cycle = protocol.cycle
    return (cycle is None or cycle.response_complete) and protocol.conn.their_state is h11.IDLE


def _close(protocol: H11Protocol) -> None:
    transport = protocol.transport
    if transport is not None and not transport.is_closing():
        transport.close()


def guarded_protocol(guard: ConnectionGuard) -> type[H11Protocol]:
    """uvicorn's h11 protocol with a header deadline and the guard's connection cap."""

    class GuardedH11Protocol(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            guard.opened(self)
            self._arm(guard.header_timeout)

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            guard.closed(self)
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:
                self._disarm()  # the head is in: BodyGuard times the body

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
                self._arm(guard.keep_alive_timeout + guard.header_timeout)

        def _arm(self, seconds: float) -> None:
            self._disarm()
            self._deadline = self.loop.call_later(seconds, self._expire)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expire(self) -> None:
            self._deadline = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                guard.timed_out += 1
                self.transport.close()

    return GuardedH11Protocol


class _QuietHandler:
    def __init__(self) -> None:
        self.last = 0.0
        self.suppressed = 0

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if isinstance(exc, OSError) and exc.errno in _EXHAUSTION:
            now = time.monotonic()
            if now - self.last < _QUIET_SECONDS:
                self.suppressed += 1
                return
            more = f" ({self.suppressed} more since the last report)" if self.suppressed else ""
            log.warning(
                "cannot accept connections: %s; new clients wait until connections close%s",
                exc.strerror or errno.errorcode.get(exc.errno or 0, "out of resources"),
                more,
            )
            self.last = now
            self.suppressed = 0
            return
        loop.default_exception_handler(context)


def quiet_exception_handler() -> Any:
    """An asyncio exception handler that reports file descriptor exhaustion in one line per
    10 s (with a count) instead of a traceback per failed ``accept()``; other errors as usual."""
    return _QuietHandler()
