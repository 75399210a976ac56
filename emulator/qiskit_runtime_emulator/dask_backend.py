"""Execution on a Dask cluster: the API front end stays one process, jobs run on other machines.

``qiskit-runtime-emulator serve --dask-scheduler tcp://host:8786`` (or ``dask_scheduler`` in
the configuration file) makes :class:`DaskBackend` the :class:`~.execution.ExecutionBackend`:
each job is one Dask task, :func:`execute`, which runs on a Dask worker that has this package
and its ``local`` extra installed.

A running Dask task cannot be interrupted (a simulation holds the interpreter lock in native
code), so the task does not simulate in the worker's own process: it hands the job to a warm
child process (forked from a zygote kept by that worker, the local pool's machinery,
:mod:`.pool` and :mod:`.worker`; one per worker thread, kept between jobs) and waits for its
answer while it watches a Dask :class:`distributed.Event` named after the job. Cancelling a
job, and the scheduler ending a job that ran past its ``cost``, set that event: the task kills
the child (SIGKILL), so the simulation really stops and the Dask worker's thread is free at
once; the job ends ``Cancelled`` or ``Cancelled - Ran too long`` (code 1305), exactly as with
the local pool. A child that dies otherwise (out of memory, a crash) fails its job with the
pool's reasons.

The backend's capacity is the cluster's thread count (``nthreads`` summed over its workers, read
again as workers come and go); a job is ``Running`` once it is handed to the cluster.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

import attrs

from .execution import OnDone, OnStart, Outcome, Task

__all__ = ["DaskBackend", "execute"]

log = logging.getLogger("qiskit_runtime_emulator.dask")

_REASON_INTERNAL = 1000
_POLL_SECONDS = 0.1
_CAPACITY_REFRESH_SECONDS = 1.0
_RECONNECT_SECONDS = 5


def _event_name(job_id: str) -> str:
    return f"qiskit-runtime-emulator-cancel-{job_id}"


# Each Dask worker thread keeps its child process between jobs (a new one is warm, but its first
# job runs ~50 ms slower than the next ones): (pid, connection, memory cap).
_LOCAL = threading.local()


def _child(memory_mb: int | None) -> tuple[int, Connection]:
    """This thread's idle child process, or a new one forked from the worker's zygote."""
    from .pool import _ZYGOTE

    held = getattr(_LOCAL, "child", None)
    if held is not None:
        pid, conn, cap = held
        if cap == memory_mb and not conn.poll(0):  # an idle child never writes: data is EOF
            return pid, conn
        _drop()
    pid, conn = _ZYGOTE.fork(memory_mb)
    _LOCAL.child = (pid, conn, memory_mb)
    return pid, conn


def _drop() -> int | None:
    """Kill this thread's child process (if any) and reap it; its wait status."""
    from .pool import _ZYGOTE, _kill

    held = getattr(_LOCAL, "child", None)
    _LOCAL.child = None
    if held is None:
        return None
    pid, conn, _ = held
    _kill(pid)
    with contextlib.suppress(OSError):
        conn.close()
    return _ZYGOTE.reap(pid)


def execute(task: Task, memory_mb: int | None) -> Outcome:
    """Run ``task`` in a child process of this Dask worker; stop it when the job's cancel event
    is set. Runs on a Dask worker (imported there by name)."""
    from distributed import Event

    from .pool import _describe_death

    cancel = Event(_event_name(task.job_id))
    if cancel.is_set():
        return Outcome(task.job_id, stopped=True)
    _, conn = _child(memory_mb)
    reply: Any = None
    stopped = False
    try:
        conn.send(task)
        while True:
            if conn.poll(_POLL_SECONDS):
                with contextlib.suppress(EOFError, OSError):  # else the child died: None
                    reply = conn.recv()
                break
            if cancel.is_set():
                stopped = True
                break
    except (OSError, ValueError):  # the child died before it took the task
        reply = None
    if stopped:
        _drop()
        return Outcome(task.job_id, stopped=True)
    if reply is None:
        status = _drop()
        return Outcome(task.job_id, reason=_describe_death(status, memory_mb), reason_code=1000)
    outcome: Outcome = reply[0]
    if reply[1]:  # the child asks to be retired (after running out of memory, say)
        _drop()
    reason = outcome.reason
    if reason is not None and "memory" in reason.lower() and memory_mb:
        outcome = attrs.evolve(
            outcome, reason=f"{reason} (a worker may use {memory_mb} MiB: worker_memory_mb)"
        )
    return outcome


def _warm() -> bool:
    """Start this Dask worker's zygote now rather than on its first job."""
    from .pool import _ZYGOTE

    pid, conn = _ZYGOTE.fork(None)
    conn.close()  # the child exits when its connection closes
    _ZYGOTE.reap(pid)
    return True


@attrs.define
class _Running:
    task: Task
    future: Any
    on_done: OnDone
    started: float
    done: bool = False


class DaskBackend:
    """:class:`~.execution.ExecutionBackend` on the Dask cluster whose scheduler is at
    ``address`` (``tcp://host:8786``). ``memory_mb`` caps each job's child process, as the
    pool's ``worker_memory_mb`` does. Raises ``ImportError`` without the ``dask`` extra."""

    def __init__(self, address: str, *, memory_mb: int | None = None) -> None:
        import distributed  # noqa: F401  (fail early, with the extra's name in the message)

        self.address = address
        self.memory_mb = memory_mb
        self._client: Any = None
        self._lock = threading.Lock()
        self._running: dict[str, _Running] = {}
        self._capacity = 0
        self._capacity_read = 0.0
        self._connect_error: str | None = None
        self._stopping = False
        self._connected = threading.Event()

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self._stopping = False
        threading.Thread(target=self._connect, name="emulator-dask-connect", daemon=True).start()

    def _connect(self) -> None:
        from distributed import Client

        while True:
            try:
                client = Client(self.address, timeout="30s", set_as_default=False)
                break
            except Exception as exc:  # no scheduler there (yet): jobs wait, the log says why
                if self._stopping:
                    return
                if self._connect_error is None:
                    log.error(
                        "cannot reach the Dask scheduler at %s (%s); jobs stay queued, "
                        "trying again every %d s",
                        self.address,
                        exc,
                        _RECONNECT_SECONDS,
                    )
                self._connect_error = f"{type(exc).__name__}: {exc}"
                time.sleep(_RECONNECT_SECONDS)
        if self._stopping:
            client.close()
            return
        self._client = client
        self._connected.set()
        log.info("running jobs on the Dask cluster at %s", self.address)
        with contextlib.suppress(Exception):
            client.run(_warm)  # every worker's zygote, before the first job

    def stop(self) -> None:
        self._stopping = True
        client, self._client = self._client, None
        with self._lock:
            running = list(self._running.values())
            self._running.clear()
        if client is None:
            return
        for item in running:
            with contextlib.suppress(Exception):
                self._signal(client, item.task.job_id)
        with contextlib.suppress(Exception):
            client.close(timeout=10)

    # ------------------------------------------------------------------ capacity

    @property
    def capacity(self) -> int:
        client = self._client
        now = time.monotonic()
        if client is not None and now - self._capacity_read >= _CAPACITY_REFRESH_SECONDS:
            self._capacity_read = now
            with contextlib.suppress(Exception):
                workers = client.scheduler_info(n_workers=-1).get("workers", {})
                self._capacity = sum(int(w.get("nthreads", 1)) for w in workers.values())
        return self._capacity

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Wait until connected with at least one worker thread (for tests and tools)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._connected.is_set():
                self._capacity_read = 0.0
                if self.capacity > 0:
                    return True
            time.sleep(0.05)
        return False

    # ------------------------------------------------------------------ tasks

    def submit(self, task: Task, on_start: OnStart, on_done: OnDone) -> None:
        client = self._client
        if not on_start():
            on_done(Outcome(task.job_id, stopped=True))
            return
        if client is None:
            on_done(
                Outcome(
                    task.job_id,
                    reason=f"The emulator is not connected to the Dask scheduler at "
                    f"{self.address}" + (f": {self._connect_error}" if self._connect_error else ""),
                    reason_code=_REASON_INTERNAL,
                )
            )
            return
        future = client.submit(
            execute,
            task,
            self.memory_mb,
            key=f"qiskit-runtime-emulator-job-{task.job_id}-{time.time_ns()}",
            pure=False,
            retries=0,
        )
        item = _Running(task, future, on_done, time.time())
        with self._lock:
            self._running[task.job_id] = item
        future.add_done_callback(lambda f: self._finished(item, f))

    def _finished(self, item: _Running, future: Any) -> None:
        job_id = item.task.job_id
        try:
            outcome: Outcome = future.result()
        except Exception as exc:  # the Dask worker died, or the task could not run there
            name = type(exc).__name__
            if name == "CancelledError":
                outcome = Outcome(job_id, stopped=True)
            else:
                outcome = Outcome(
                    job_id,
                    reason=f"The Dask worker running the job failed ({name}: {exc}); other jobs "
                    "were not affected",
                    reason_code=_REASON_INTERNAL,
                )
        with self._lock:
            if item.done:
                return
            item.done = True
            self._running.pop(job_id, None)
        client = self._client
        if client is not None:
            from distributed import Event

            with contextlib.suppress(Exception):
                # The task has returned: forget its cancel event (clearing deletes it).
                Event(_event_name(job_id), client=client).clear()
        try:
            item.on_done(outcome)
        except Exception:
            log.exception("job %s: the completion callback failed", job_id)

    @staticmethod
    def _signal(client: Any, job_id: str) -> None:
        from distributed import Event

        Event(_event_name(job_id), client=client).set()

    def cancel(self, job_id: str) -> None:
        client = self._client
        with self._lock:
            item = self._running.get(job_id)
        if client is None or item is None:
            return
        # The task kills its child process (or, not started yet, returns at once). The future
        # is not cancelled: its callback would clear the event before the task has seen it.
        try:
            self._signal(client, job_id)
        except Exception:
            log.exception("job %s: cannot signal the Dask task to stop", job_id)

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            running = [
                {"job_id": r.task.job_id, "job_started": r.started, "dask": self.address}
                for r in self._running.values()
            ]
        return running
