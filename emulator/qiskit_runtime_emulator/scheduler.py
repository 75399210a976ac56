"""Which job runs next, on what, and for how long.

Queued jobs wait in one queue per instance; when the execution backend (:mod:`.execution`; the
local :class:`~.pool.ProcessPool` by default) has a free worker, the next job comes from the
instance served least recently, so one tenant's backlog delays another tenant's first job by at
most the job already running. A job is ``Running`` from the moment a worker takes it; the tick
thread ends jobs that run past their ``cost`` (``Cancelled - Ran too long``, reason code 1305)
by having the backend kill their worker, applies session TTLs (both from the store's timer
heaps: a tick costs nothing per stored job), and, once a second, the store's maintenance
(retention policy, database checkpoint).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace

from .execution import ExecutionBackend, Outcome, Task
from .store import JobRecord, Store

__all__ = ["Scheduler"]

log = logging.getLogger("qiskit_runtime_emulator.scheduler")
_RETENTION_EVERY = 1.0  # seconds between two checks of the retention policy


class Scheduler:
    """Per-instance queues served in turn, an execution backend, and a tick thread.

    ``check_results`` has the backend check each result against the spec; a violation fails the
    job when ``strict`` (it is logged either way). ``default_seed`` seeds the simulation of jobs
    that do not set a seed of their own (None: random).
    """

    def __init__(
        self,
        store: Store,
        backend: ExecutionBackend,
        *,
        tick_seconds: float = 0.05,
        check_results: bool = True,
        strict: bool = True,
        default_seed: int | None = None,
    ) -> None:
        self.store = store
        self.backend = backend
        self.tick_seconds = tick_seconds
        self.check_results = check_results
        self.strict = strict
        self.default_seed = default_seed
        self._queues: dict[str, deque[JobRecord]] = {}
        self._last_served: dict[str, int] = {}
        self._turn = 0
        self._in_flight: dict[str, JobRecord] = {}
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.executed = 0

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        self.backend.start()
        for target, name in ((self._dispatch, "emulator-dispatch"), (self._tick, "emulator-tick")):
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        deadline = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
        self._threads.clear()
        self.backend.stop()

    # ------------------------------------------------------------------ queue

    def submit(self, job: JobRecord) -> None:
        with self._cond:
            self._queues.setdefault(job.instance_crn, deque()).append(job)
            self._cond.notify_all()

    def cancel(self, job: JobRecord) -> bool:
        """Cancel a queued or running job (a running one is stopped); False if already final."""
        if not self.store.cancel_job(job):
            return False
        self.backend.cancel(job.id)
        return True

    def _next_job(self) -> JobRecord | None:
        """The head of the queue of the instance served least recently (under the lock)."""
        best: str | None = None
        for crn, jobs in self._queues.items():
            while jobs and jobs[0].final:  # cancelled while queued
                jobs.popleft()
            if not jobs:
                continue
            key = (self._last_served.get(crn, -1), jobs[0].seq)
            if best is None or key < (self._last_served.get(best, -1), self._queues[best][0].seq):
                best = crn
        if best is None:
            for crn in [c for c, jobs in self._queues.items() if not jobs]:
                del self._queues[crn]
            return None
        self._turn += 1
        self._last_served[best] = self._turn
        return self._queues[best].popleft()

    def _dispatch(self) -> None:
        while not self._stop.is_set():
            with self._cond:
                job = None
                if len(self._in_flight) < self.backend.capacity:
                    job = self._next_job()
                if job is None:
                    self._cond.wait(0.5)
                    continue
                self._in_flight[job.id] = job
            try:
                self.backend.submit(self._task(job), self._starter(job), self._finisher(job))
            except Exception as exc:
                log.exception("job %s: the executor refused it", job.id)
                self._done(job, Outcome(job.id, reason=f"Internal error: {exc}", reason_code=1000))

    def _task(self, job: JobRecord) -> Task:
        prepared = job.prepared
        if prepared is not None and prepared.seed is None and self.default_seed is not None:
            prepared = replace(prepared, seed=self.default_seed)
        return Task(
            job_id=job.id,
            prepared=prepared,
            delay_seconds=job.delay_seconds,
            fail_reason=job.fail_reason,
            check_result=self.check_results,
        )

    def _starter(self, job: JobRecord) -> Callable[[], bool]:
        def on_start() -> bool:
            return self.store.start_job(job)

        return on_start

    def _finisher(self, job: JobRecord) -> Callable[[Outcome], None]:
        def on_done(outcome: Outcome) -> None:
            self._done(job, outcome)

        return on_done

    def _done(self, job: JobRecord, outcome: Outcome) -> None:
        try:
            self._record(job, outcome)
        except Exception:
            if not self._stop.is_set():  # once stopped, the store may be closed: nothing to do
                log.exception("job %s: its outcome could not be recorded", job.id)
        finally:
            with self._cond:
                self._in_flight.pop(job.id, None)
                self.executed += 1
                self._cond.notify_all()

    def _record(self, job: JobRecord, outcome: Outcome) -> None:
        if outcome.stopped:
            return  # cancelled, or timed out: the store already says so
        if outcome.failed:
            self.store.fail_job(job, outcome.reason or "", outcome.reason_code)
            return
        if job.deadline is not None and time.monotonic() > job.deadline:
            self.store.time_out_job(job)
            return
        if outcome.violations:
            msg = f"job {job.id}: result violates the spec: {'; '.join(outcome.violations)}"
            log.error(msg)
            if self.strict:
                self.store.fail_job(job, msg, 1000)
                return
        assert outcome.result is not None
        self.store.complete_job(job, outcome.result, outcome.execution_ns)

    # ------------------------------------------------------------------ tick

    def _tick(self) -> None:
        next_retention = time.monotonic()
        while not self._stop.wait(self.tick_seconds):
            try:
                now = time.monotonic()
                for job in self.store.overdue_jobs(now):
                    if self.store.time_out_job(job):
                        self.backend.cancel(job.id)
                self.store.settle_sessions()
                if now >= next_retention:
                    next_retention = now + _RETENTION_EVERY
                    self.store.maintain()
            except Exception:
                log.exception("scheduler tick failed")
