"""What the scheduler hands to an executor, what it gets back, and the executor interface.

The scheduler (:mod:`.scheduler`) decides which job runs next; an :class:`ExecutionBackend` runs
it somewhere else than the API process and reports back. :class:`~.pool.ProcessPool` (local
worker processes) is the one implementation today; anything that can run a picklable
:class:`Task`, stop it on request and call back when it ends (a Dask cluster, say) can take its
place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import attrs

__all__ = ["ExecutionBackend", "OnDone", "OnStart", "Outcome", "Task"]


@attrs.frozen
class Task:
    """One job, ready to run: everything an executor needs, and nothing of the API process.

    ``prepared`` is the validated :class:`~.executor.PreparedJob` (picklable). ``delay_seconds``
    and ``fail_reason`` are the emulator's test knobs (sleep before running; fail with this
    reason). ``check_result`` asks the executor to check the result document against the
    spec's ``JobResult`` schema (violations come back in :attr:`Outcome.violations`).
    """

    job_id: str
    prepared: Any
    delay_seconds: float = 0.0
    fail_reason: str | None = None
    check_result: bool = True


@attrs.frozen
class Outcome:
    """How a task ended: a result, a failure with its reason, or stopped on request.

    ``result`` is the result document as JSON bytes; ``execution_ns`` the time the simulation
    took; ``violations`` what the spec check found in the result (empty when it conforms).
    """

    job_id: str
    result: bytes | None = None
    execution_ns: float | None = None
    reason: str | None = None
    reason_code: int | None = None
    stopped: bool = False
    violations: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.reason is not None


OnStart = Callable[[], bool]
"""Called when the task is about to run; False means "do not run it" (cancelled meanwhile)."""
OnDone = Callable[[Outcome], None]
"""Called exactly once per submitted task, from any thread, when it has ended."""


class ExecutionBackend(Protocol):
    """Runs tasks out of the API process, ``capacity`` at a time."""

    @property
    def capacity(self) -> int:
        """How many tasks run at once; the scheduler never has more than this in flight."""
        ...

    def start(self) -> None:
        """Get ready to run tasks (may return before workers are up; tasks then wait)."""
        ...

    def stop(self) -> None:
        """Stop everything; running tasks are abandoned (their ``on_done`` may not be called)."""
        ...

    def submit(self, task: Task, on_start: OnStart, on_done: OnDone) -> None:
        """Run ``task`` as soon as a worker is free; never blocks."""
        ...

    def cancel(self, job_id: str) -> None:
        """Stop the task of ``job_id`` if it is running (its ``on_done`` then gets
        ``stopped=True``); nothing if it is not running here."""
        ...

    def describe(self) -> list[dict[str, Any]]:
        """One entry per worker, for statistics (``pid``, ``job_id``, ``started``, ...)."""
        ...
