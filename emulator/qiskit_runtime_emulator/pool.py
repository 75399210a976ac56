"""The local execution backend: a pool of worker processes that can be killed and replaced.

Workers are forked from one zygote process per API process (:mod:`.worker`), which has imported
qiskit and qiskit-aer and run tiny jobs once: a new worker is warm in a few milliseconds, so a
worker killed for running too long (or cancelled) is replaced at once. The zygote is started by
the first pool that needs it, in the background: ``ProcessPool.start`` returns at once, and jobs
wait in the queue until a worker is up.

Each worker is served by a thread of the API process that sends it a task, waits for its answer
(or its death) and reports the outcome. Killing a worker is how a running job is stopped: it is
the only way to stop a simulation that holds the interpreter lock in native code. A worker that
dies without being asked to (a crash, the kernel's out-of-memory killer) fails only the job it was
running, with a reason that says how it died.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

import attrs

from .execution import OnDone, OnStart, Outcome, Task

__all__ = ["ProcessPool", "WorkerStartError"]

log = logging.getLogger("qiskit_runtime_emulator.pool")

_REASON_INTERNAL = 1000
_ZYGOTE_START_TIMEOUT = 300.0  # importing qiskit on a loaded 2-core machine can take a while


class WorkerStartError(RuntimeError):
    """No worker process could be started."""


class _Zygote:
    """The client side of the zygote: start it, ask it to fork a worker or reap one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._ctl: socket.socket | None = None

    def _start(self) -> socket.socket:
        from .worker import FRAME

        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = dict(os.environ)
        # The zygote must import this package from where the API process did.
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        # glibc reserves up to 8 x cores malloc arenas of 64 MiB of address space each, which
        # would count against RLIMIT_AS (worker_memory_mb) on a many-core machine.
        env.setdefault("MALLOC_ARENA_MAX", "2")
        try:
            proc = subprocess.Popen(
                [sys.executable, "-m", "qiskit_runtime_emulator.worker", str(child.fileno())],
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,  # workers print nothing; errors go to stderr
                env=env,
                start_new_session=True,  # Ctrl+C in a terminal is for the API process only
            )
        except OSError as exc:
            parent.close()
            raise WorkerStartError(f"cannot start the worker zygote: {exc}") from exc
        finally:
            child.close()
        parent.settimeout(_ZYGOTE_START_TIMEOUT)
        try:
            data = b""
            while len(data) < FRAME.size:
                chunk = parent.recv(FRAME.size - len(data))
                if not chunk:
                    break
                data += chunk
        except OSError:
            data = b""
        if len(data) < FRAME.size or FRAME.unpack(data)[0] != b"R":
            parent.close()
            proc.kill()
            proc.wait()
            raise WorkerStartError(
                f"the worker zygote did not start (exit status {proc.returncode}); "
                "see its error output above"
            )
        parent.settimeout(None)
        self._proc, self._ctl = proc, parent
        return parent

    def _ask(self, command: bytes, argument: int, fds: tuple[int, ...] = ()) -> int:
        from .worker import FRAME

        with self._lock:
            ctl = self._ctl
            if ctl is None or self._proc is None or self._proc.poll() is not None:
                ctl = self._start()
            try:
                socket.send_fds(ctl, [FRAME.pack(command, argument)], list(fds))
                data = b""
                while len(data) < FRAME.size:
                    chunk = ctl.recv(FRAME.size - len(data))
                    if not chunk:
                        raise EOFError
                    data += chunk
            except (OSError, EOFError) as exc:
                self._close()
                raise WorkerStartError(f"the worker zygote went away: {exc}") from exc
            return int(FRAME.unpack(data)[1])

    def fork(self, memory_mb: int | None) -> tuple[int, Connection]:
        """A new worker: its pid and the connection to it."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            pid = self._ask(b"F", memory_mb or 0, (theirs.fileno(),))
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        return pid, Connection(ours.detach())

    def reap(self, pid: int) -> int | None:
        """Wait for a dead worker and return its wait status (None if unknown)."""
        try:
            status = self._ask(b"W", pid)
        except WorkerStartError:
            return None
        return None if status < 0 else status

    def _close(self) -> None:
        if self._ctl is not None:
            with contextlib.suppress(OSError):
                self._ctl.close()
        self._ctl = None
        proc, self._proc = self._proc, None
        if proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(2)

    def close(self) -> None:
        with self._lock:
            self._close()


_ZYGOTE = _Zygote()
atexit.register(_ZYGOTE.close)


def _describe_death(status: int | None, memory_mb: int | None) -> str:
    limit = f" (a worker may use {memory_mb} MiB: worker_memory_mb)" if memory_mb else ""
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        if sig == signal.SIGKILL:
            return (
                "The emulator's worker process running the job was killed (SIGKILL), as the "
                f"operating system does when memory runs out{limit}; other jobs were not affected"
            )
        return (
            f"The emulator's worker process running the job crashed ({name}){limit}; other jobs "
            "were not affected"
        )
    if status is not None and os.WIFEXITED(status):
        return (
            "The emulator's worker process running the job exited unexpectedly (exit status "
            f"{os.WEXITSTATUS(status)}){limit}; other jobs were not affected"
        )
    return f"The emulator's worker process running the job stopped unexpectedly{limit}"


class _Worker:
    def __init__(self, pid: int, conn: Connection) -> None:
        self.pid = pid
        self.conn = conn
        self.started = time.time()
        self.jobs = 0


class _Slot:
    """One worker process and the thread that serves it."""

    def __init__(self, pool: ProcessPool, index: int) -> None:
        self.pool = pool
        self.index = index
        self.worker: _Worker | None = None
        self.job_id: str | None = None
        self.job_started: float | None = None
        self.kill_requested = False
        self.thread = threading.Thread(
            target=self._loop, name=f"emulator-worker-{index}", daemon=True
        )

    # The pool's lock guards worker, job_id and kill_requested.

    def _loop(self) -> None:
        pool = self.pool
        failures = 0
        while not pool.stopping:
            try:
                self._ensure_worker()  # warm before the next task comes
            except WorkerStartError as exc:
                if pool.stopping:
                    return
                failures += 1
                log.error("cannot start a worker process: %s", exc)
            item = pool.inbox.get()
            if item is None:
                return
            task, on_start, on_done = item
            try:
                self._ensure_worker()  # it may have died while idle
                failures = 0
            except WorkerStartError as exc:
                outcome = self._no_worker(task, on_start, str(exc))
                time.sleep(min(30.0, 0.5 * 2**failures))
            else:
                outcome = self._execute(task, on_start)
            try:
                on_done(outcome)
            except Exception:  # the scheduler's bug must not stop the worker thread
                log.exception("job %s: the completion callback failed", task.job_id)

    def _ensure_worker(self) -> None:
        """Have a live worker: replace one that died while idle (an idle worker never writes,
        so anything to read means end of file), start one if there is none."""
        worker = self.worker
        if worker is not None and worker.conn.poll(0):
            self._retire(worker)
        if self.worker is None:
            self._launch()

    def _launch(self) -> None:
        pool = self.pool
        t0 = time.perf_counter()
        pid, conn = _ZYGOTE.fork(pool.memory_mb)
        with pool.lock:
            stopping = pool.stopping
            if not stopping:
                self.worker = _Worker(pid, conn)
                pool.started_workers += 1
                pool.last_start_seconds = time.perf_counter() - t0
            else:
                _kill(pid)
        if stopping:
            conn.close()
            _ZYGOTE.reap(pid)
            raise WorkerStartError("the pool is stopping")

    def _no_worker(self, task: Task, on_start: OnStart, reason: str) -> Outcome:
        """No worker could be started: fail the task rather than keep it waiting forever."""
        if not on_start():
            return Outcome(task.job_id, stopped=True)
        return Outcome(
            task.job_id,
            reason=f"The emulator could not start a worker process: {reason}",
            reason_code=_REASON_INTERNAL,
        )

    def _execute(self, task: Task, on_start: OnStart) -> Outcome:
        pool = self.pool
        worker = self.worker
        assert worker is not None
        # The job is this slot's before it is Running: a cancel that comes at any moment after
        # it started finds it here (and kills the worker).
        with pool.lock:
            self.job_id = task.job_id
            self.job_started = time.time()
            self.kill_requested = False
        if not on_start():
            with pool.lock:
                killed = self.kill_requested
                self.job_id = self.job_started = None
                self.kill_requested = False
            if killed:
                self._retire(worker)
            return Outcome(task.job_id, stopped=True)
        reply: Any = None
        try:
            worker.conn.send(task)
            reply = worker.conn.recv()
        except (EOFError, OSError):
            reply = None  # the worker died (killed on purpose or not)
        except Exception as exc:  # the task could not be pickled, or the answer unpickled
            log.exception("job %s: cannot exchange it with a worker", task.job_id)
            reply = (
                Outcome(
                    task.job_id,
                    reason=f"Internal error of the emulator: {type(exc).__name__}: {exc}",
                    reason_code=_REASON_INTERNAL,
                ),
                True,
            )
        with pool.lock:
            killed = self.kill_requested
            self.job_id = None
            self.job_started = None
            self.kill_requested = False
            worker.jobs += 1
        if reply is not None:
            outcome, retire = reply
            if retire or killed:
                self._retire(worker)
            reason = outcome.reason
            if reason is not None and "memory" in reason.lower() and pool.memory_mb:
                reason += f" (a worker may use {pool.memory_mb} MiB: worker_memory_mb)"
                outcome = attrs.evolve(outcome, reason=reason)
            return outcome  # type: ignore[no-any-return]
        status = self._retire(worker)
        if killed:
            return Outcome(task.job_id, stopped=True)
        reason = _describe_death(status, pool.memory_mb)
        log.warning("job %s: %s", task.job_id, reason)
        return Outcome(task.job_id, reason=reason, reason_code=_REASON_INTERNAL)

    def _retire(self, worker: _Worker) -> int | None:
        """Make sure ``worker`` is dead, forget it and reap it; return its wait status."""
        with self.pool.lock:  # after this, nothing kills its pid, which the reaping frees
            if self.worker is worker:
                self.worker = None
            _kill(worker.pid)
        with contextlib.suppress(OSError):
            worker.conn.close()
        return _ZYGOTE.reap(worker.pid)

    def kill(self) -> None:
        """Stop the running task (called under the pool's lock)."""
        self.kill_requested = True
        if self.worker is not None:
            _kill(self.worker.pid)


def _kill(pid: int) -> None:
    # Safe by pid: the zygote keeps dead workers as zombies until they are reaped, by us.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


class ProcessPool:
    """:class:`~.execution.ExecutionBackend` on ``size`` local worker processes.

    ``memory_mb`` caps each worker's address space (``RLIMIT_AS``; None: no cap): a simulation
    that needs more fails (its job only) instead of taking the machine's memory.
    """

    def __init__(self, size: int, *, memory_mb: int | None = None) -> None:
        self.size = max(1, size)
        self.memory_mb = memory_mb
        self.inbox: queue.SimpleQueue[tuple[Task, OnStart, OnDone] | None] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.stopping = False
        self.started_workers = 0
        self.last_start_seconds: float | None = None
        self._slots: list[_Slot] = []

    @property
    def capacity(self) -> int:
        return self.size

    def start(self) -> None:
        if self._slots:
            return
        self.stopping = False
        self._slots = [_Slot(self, i) for i in range(self.size)]
        for slot in self._slots:
            slot.thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        with self.lock:
            self.stopping = True
            for slot in self._slots:
                slot.kill()
        for _ in self._slots:
            self.inbox.put(None)
        deadline = time.monotonic() + timeout
        for slot in self._slots:
            slot.thread.join(max(0.0, deadline - time.monotonic()))
        for slot in self._slots:
            worker = slot.worker
            if worker is not None:  # idle workers (busy ones were retired by their thread)
                slot._retire(worker)
        self._slots = []

    def submit(self, task: Task, on_start: OnStart, on_done: OnDone) -> None:
        self.inbox.put((task, on_start, on_done))

    def cancel(self, job_id: str) -> None:
        with self.lock:
            for slot in self._slots:
                if slot.job_id == job_id:
                    slot.kill()

    def describe(self) -> list[dict[str, Any]]:
        with self.lock:
            return [
                {
                    "pid": slot.worker.pid if slot.worker else None,
                    "job_id": slot.job_id,
                    "job_started": slot.job_started,
                    "jobs_run": slot.worker.jobs if slot.worker else 0,
                }
                for slot in self._slots
            ]
