"""The job queue, the worker threads that execute jobs, and the tick that enforces deadlines.

Workers take jobs in submission order and run them through the executor
(``executor.run_prepared``). Emulator-only knobs (``params.options.experimental.emulator``,
read when the job is created) make behaviour testable: ``delay_seconds`` sleeps, interruptibly,
before execution and ``fail`` makes the job fail with that reason. The tick thread ends jobs that
run past their ``cost`` (``Cancelled - Ran too long``, reason code 1305) and applies session TTLs.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from .store import JobRecord, Store

__all__ = ["ResultCheck", "Scheduler"]

log = logging.getLogger("qiskit_runtime_emulator.scheduler")

ResultCheck = Callable[[Any], list[str]]
"""Checks a result document against the spec: the list of violations (empty when valid)."""


class Scheduler:
    """A FIFO queue served by ``workers`` threads, plus a tick thread."""

    def __init__(
        self,
        store: Store,
        *,
        workers: int = 2,
        tick_seconds: float = 0.05,
        result_check: ResultCheck | None = None,
        strict: bool = True,
    ) -> None:
        self.store = store
        self.workers = max(1, workers)
        self.tick_seconds = tick_seconds
        self.result_check = result_check
        self.strict = strict
        self._queue: deque[JobRecord] = deque()
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.executed = 0

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        for i in range(self.workers):
            t = threading.Thread(target=self._work, name=f"emulator-worker-{i}", daemon=True)
            t.start()
            self._threads.append(t)
        t = threading.Thread(target=self._tick, name="emulator-tick", daemon=True)
        t.start()
        self._threads.append(t)

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        # Wake jobs sleeping on the delay knob.
        with self.store.lock:
            for job in self.store.jobs.values():
                if not job.final:
                    job.cancel_event.set()
        deadline = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
        self._threads.clear()

    # ------------------------------------------------------------------ queue

    def submit(self, job: JobRecord) -> None:
        with self._cond:
            self._queue.append(job)
            self._cond.notify()

    def _next(self) -> JobRecord | None:
        with self._cond:
            while not self._queue and not self._stop.is_set():
                self._cond.wait(0.5)
            if self._stop.is_set():
                return None
            return self._queue.popleft()

    def _work(self) -> None:
        while True:
            job = self._next()
            if job is None:
                return
            if not self.store.start_job(job):
                continue  # cancelled while queued
            try:
                self._run(job)
            except Exception as exc:  # never let a worker die
                log.exception("job %s: unexpected error", job.id)
                self.store.fail_job(job, f"Internal error of the emulator: {exc}", 1000)
            finally:
                with self._cond:
                    self.executed += 1

    def _run(self, job: JobRecord) -> None:
        from .executor import ExecutionError, run_prepared

        if job.delay_seconds > 0 and job.cancel_event.wait(job.delay_seconds):
            return  # cancelled or timed out while sleeping
        if self._stop.is_set():
            return
        if job.fail_reason is not None:
            self.store.fail_job(job, job.fail_reason, 1000)
            return
        t0 = time.perf_counter()
        try:
            # The result in the form the job asked for (params.support_qiskit).
            doc = run_prepared(job.prepared)
        except ExecutionError as exc:
            self.store.fail_job(job, exc.reason, exc.reason_code)
            return
        elapsed_ns = (time.perf_counter() - t0) * 1e9
        if job.cancel_event.is_set():
            return  # cancelled or timed out while running: the result is discarded
        if (
            job.cost > 0
            and job.running_mono is not None
            and time.monotonic() - job.running_mono > job.cost
        ):
            self.store.time_out_job(job)
            return
        if self.result_check is not None:
            violations = self.result_check(doc)
            if violations:
                msg = f"job {job.id}: result violates the spec: {'; '.join(violations[:3])}"
                log.error(msg)
                if self.strict:
                    self.store.fail_job(job, msg, 1000)
                    return
        body = json.dumps(doc, separators=(",", ":")).encode()
        self.store.complete_job(job, body, round(elapsed_ns))

    # ------------------------------------------------------------------ tick

    def _tick(self) -> None:
        while not self._stop.wait(self.tick_seconds):
            try:
                for job in self.store.overdue_jobs(time.monotonic()):
                    self.store.time_out_job(job)
                self.store.settle_sessions()
            except Exception:
                log.exception("scheduler tick failed")
