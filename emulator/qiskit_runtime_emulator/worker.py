"""The worker side of the local process pool: a zygote that forks warm workers, and their loop.

``python -m qiskit_runtime_emulator.worker FD`` is the zygote: it imports qiskit and qiskit-aer,
runs tiny jobs once (about a second in all), then waits on the control socket ``FD`` for orders
from the API process (:class:`~.pool.ProcessPool`):

* ``F`` (with a socket attached): fork a worker that serves tasks on that socket; reply with its
  pid. A fork costs a few milliseconds, so a worker killed for running too long is replaced at
  once, already warm;
* ``W pid``: reap that (dead) worker and reply with its wait status. Workers stay zombies until
  then, so the API process can kill them by pid without any risk of hitting a reused pid.

A worker reads :class:`~.execution.Task` objects and answers ``(Outcome, retire)`` for each; it
exits when its socket closes. It runs with ``RLIMIT_AS`` at the pool's memory limit, ignores
SIGINT (Ctrl+C is the API process's business) and dies with the zygote, which dies when the API
process goes away (its control socket reaches end of file).

:func:`run_task` is what a worker does with a task; any other executor can call it too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import struct
import sys
import time
from functools import cache
from typing import Any

from .execution import Outcome, Task

__all__ = ["FRAME", "run_task"]

FRAME = struct.Struct("!c7xq")
"""One control message: a command byte and a 64-bit argument (16 bytes)."""
_REASON_INTERNAL = 1000
_PR_SET_PDEATHSIG = 1


@cache
def _result_validator(schema: str = "JobResult") -> Any:
    from .validation import load_spec

    return load_spec().schema_validator(schema)


def simulate(prepared: Any) -> tuple[dict[str, Any], str]:
    """Run a validated job with its program's engine: executor programs
    (:func:`.quantum_programs.run_program`), Sampler and Estimator jobs
    (:func:`.executor.run_prepared`). Returns the result document and the spec schema it
    follows. Every job's simulation starts here, so what applies to all of them at run time
    (a backend's noise model, say) is passed here, once. Raises
    :class:`~.executor.ExecutionError`."""
    from .quantum_programs import PreparedProgram, run_program

    if isinstance(prepared, PreparedProgram):
        return run_program(
            prepared, seed=prepared.seed, noise=prepared.noise
        ), "QuantumProgramResult"
    from .executor import run_prepared

    return run_prepared(prepared), "JobResult"


def run_task(task: Task) -> Outcome:
    """Execute ``task`` here and now; every failure comes back as an :class:`Outcome`."""
    from .executor import ExecutionError
    from .text import dumps_json

    if task.delay_seconds > 0:
        time.sleep(task.delay_seconds)
    if task.fail_reason is not None:
        return Outcome(task.job_id, reason=task.fail_reason, reason_code=_REASON_INTERNAL)
    t0 = time.perf_counter()
    try:
        doc, schema = simulate(task.prepared)
    except ExecutionError as exc:
        return Outcome(task.job_id, reason=exc.reason, reason_code=exc.reason_code)
    except MemoryError:
        return Outcome(
            task.job_id,
            reason="the job needs more memory than an emulator worker may use",
            reason_code=_REASON_INTERNAL,
        )
    elapsed_ns = (time.perf_counter() - t0) * 1e9
    violations: tuple[str, ...] = ()
    if task.check_result:
        violations = tuple(e.message for e in _result_validator(schema).iter_errors(doc))[:3]
    return Outcome(
        task.job_id,
        result=dumps_json(doc),
        execution_ns=round(elapsed_ns),
        violations=violations,
    )


# ---------------------------------------------------------------------------- worker


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


def _serve(fd: int, memory_mb: int) -> None:
    from multiprocessing.connection import Connection

    _die_with_parent()
    if memory_mb > 0:
        import resource

        limit = memory_mb << 20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        with contextlib.suppress(ValueError, OSError):  # not every system has RLIMIT_AS
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    conn = Connection(fd)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        retire = False
        try:
            outcome = run_task(task)
        except MemoryError:
            outcome = Outcome(
                task.job_id,
                reason="the job needs more memory than an emulator worker may use",
                reason_code=_REASON_INTERNAL,
            )
            retire = True
        except Exception as exc:  # never let one job take the worker down
            outcome = Outcome(
                task.job_id,
                reason=f"Internal error of the emulator: {type(exc).__name__}: {exc}",
                reason_code=_REASON_INTERNAL,
            )
            retire = True
        # A job that ran out of memory may leave the heap fragmented or a library in a bad
        # state: hand back its outcome, then make way for a fresh worker.
        retire = retire or (outcome.reason is not None and "memory" in outcome.reason)
        try:
            conn.send((outcome, retire))
        except (OSError, ValueError):
            return
        if retire:
            return


# ---------------------------------------------------------------------------- zygote


def _recv_frame(ctl: socket.socket) -> tuple[bytes, int, list[int]]:
    data = b""
    fds: list[int] = []
    while len(data) < FRAME.size:
        chunk, got, _flags, _addr = socket.recv_fds(ctl, FRAME.size - len(data), 1)
        if not chunk:
            raise EOFError
        data += chunk
        fds.extend(got)
    command, argument = FRAME.unpack(data)
    return command, argument, fds


def _reap(pid: int) -> int:
    deadline = time.monotonic() + 10.0
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return -1
        if done:
            return status
        if time.monotonic() > deadline:  # asked to reap a live worker: end it first
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10.0
        time.sleep(0.005)


def _zygote(ctl_fd: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ctl = socket.socket(fileno=ctl_fd)
    from .executor import warm_up

    warm_up()  # imports qiskit and Aer, and runs tiny jobs: workers start warm
    _result_validator()
    _result_validator("QuantumProgramResult")
    with contextlib.suppress(ImportError):  # executor jobs' samplexes unpickle in the workers
        import samplomatic  # noqa: F401
    ctl.sendall(FRAME.pack(b"R", os.getpid()))
    while True:
        try:
            command, argument, fds = _recv_frame(ctl)
        except (EOFError, OSError):
            return  # the API process is gone; the workers die with us (PR_SET_PDEATHSIG)
        if command == b"F" and fds:
            pid = os.fork()
            if pid == 0:  # the worker
                code = 0
                try:
                    ctl.close()
                    for extra in fds[1:]:
                        os.close(extra)
                    _serve(fds[0], argument)
                except BaseException:
                    code = 1
                finally:
                    os._exit(code)
            for fd in fds:
                os.close(fd)
            ctl.sendall(FRAME.pack(b"P", pid))
        elif command == b"W":
            ctl.sendall(FRAME.pack(b"S", _reap(argument)))
        else:
            for fd in fds:
                os.close(fd)
            ctl.sendall(FRAME.pack(b"E", 0))


if __name__ == "__main__":  # pragma: no cover - run by the pool
    _zygote(int(sys.argv[1]))
