"""Session hygiene: every way out of a ``with session/batch`` block leaves no open session.

Checked on the server (the emulator's store), for sessions and batches, sync and async: a normal
exit, an exception, ``KeyboardInterrupt``, a ``JobTimeoutError`` from ``wait()`` inside the block,
``asyncio.CancelledError`` (a cancelled task, ``asyncio.wait_for`` and ``asyncio.timeout``
expiring around the block, a second cancellation while the block is being closed). "No open
session" means: the session has ``accepting_jobs`` false as soon as the block is left, and reaches
``closed`` once the jobs queued in it are done (``cancel_on_error=True`` cancels them instead).
Closing twice, or closing a session some other handle already closed or cancelled, is harmless.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.faults import FaultConfig
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import (
    AsyncRuntime,
    JobTimeoutError,
    Runtime,
    SamplerOptions,
    SamplerPub,
)

from tests.conftest import connect

BACKEND = "ibm_emulator_simulator"
BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; '
    "h q[0]; cx q[0], q[1]; meas = measure q;"
)


SLOW = SamplerOptions(experimental={"emulator": {"delay_seconds": 0.4}})


class Boom(Exception):
    pass


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(strict_responses=True, workers=2, test_knobs=True)) as emu:
        yield emu
        assert emu.state.violation_count == 0, emu.state.response_violations
        # Whichever tests of this module ran, every session they opened ends closed.
        deadline = time.monotonic() + 30
        while open_sessions(emu):
            assert time.monotonic() < deadline, open_sessions(emu)
            time.sleep(0.05)
        assert emu.stats()["open_sessions"] == 0


def record(server: EmulatorServer, session_id: str) -> Any:
    found = server.store.get_session(server.crn, session_id)
    assert found is not None, session_id
    return found


def assert_left_cleanly(server: EmulatorServer, session_id: str, timeout: float = 30) -> None:
    """accepting_jobs is false now; the session is closed once its jobs are done."""
    assert record(server, session_id).accepting_jobs is False
    deadline = time.monotonic() + timeout
    while record(server, session_id).state != "closed":
        assert time.monotonic() < deadline, record(server, session_id).state
        time.sleep(0.02)
    jobs = [server.store.jobs[j] for j in record(server, session_id).job_ids]
    assert all(job.final for job in jobs)


def open_sessions(server: EmulatorServer) -> list[str]:
    server.store.settle_sessions()
    with server.store.lock:
        return [s.id for s in server.store.sessions.values() if s.state != "closed"]


# -- sync ---------------------------------------------------------------------------------------


def _raise(kind: str, job: Any) -> None:
    if kind == "exception":
        raise Boom("user code failed")
    if kind == "keyboard-interrupt":
        raise KeyboardInterrupt
    if kind == "job-timeout":
        job.wait(timeout=0.05)  # the job sleeps 0.4 s: JobTimeoutError
    if kind == "system-exit":
        raise SystemExit(3)


RAISED = {
    "normal": None,
    "exception": Boom,
    "keyboard-interrupt": KeyboardInterrupt,
    "job-timeout": JobTimeoutError,
    "system-exit": SystemExit,
}


@pytest.mark.parametrize("mode", ["session", "batch"])
@pytest.mark.parametrize("kind", list(RAISED))
def test_sync_block_exits_leave_no_open_session(
    server: EmulatorServer, mode: str, kind: str
) -> None:
    with connect(server, Runtime) as rt:
        opener = rt.session if mode == "session" else rt.batch
        expected = RAISED[kind]
        block = opener(BACKEND, max_time=300)
        try:
            with block as session:
                job = session.sampler(options=SLOW).run([SamplerPub(BELL, shots=10)])
                _raise(kind, job)
        except BaseException as exc:
            assert expected is not None and isinstance(exc, expected), repr(exc)
        else:
            assert expected is None
        assert session.closed
        assert_left_cleanly(server, session.id)
        # the queued job was not cancelled by a plain close: it ran
        assert job.wait(timeout=30) == "Completed"


@pytest.mark.parametrize("mode", ["session", "batch"])
def test_cancel_on_error_cancels_queued_jobs(server: EmulatorServer, mode: str) -> None:
    with connect(server, Runtime) as rt:
        opener = rt.session if mode == "session" else rt.batch
        with pytest.raises(Boom), opener(BACKEND, cancel_on_error=True) as session:
            jobs = [
                session.sampler(options=SLOW).run([SamplerPub(BELL, shots=10)]) for _ in range(6)
            ]
            raise Boom
        assert_left_cleanly(server, session.id)
        statuses = [server.store.jobs[j.id].status for j in jobs]
        # two workers: at most the first jobs started before the cancellation; the rest never ran
        assert statuses.count("Cancelled") >= 4, statuses
        assert set(statuses) <= {"Cancelled", "Completed"}, statuses
        assert record(server, session.id).state_reason


def test_closing_twice_and_from_other_handles_is_harmless(server: EmulatorServer) -> None:
    with connect(server, Runtime) as rt:
        with rt.batch(BACKEND) as batch:
            job = batch.sampler().run([SamplerPub(BELL, shots=10)])
            batch.close()  # explicitly, inside the block: leaving it closes again
            batch.close()
        assert_left_cleanly(server, batch.id)
        other = rt.batch_from_id(batch.id)
        other.close()  # a second handle on an already closed session
        other.cancel()
        batch.cancel()
        with other:
            pass
        assert job.wait(timeout=30) == "Completed"
        assert rt.session_details(batch.id).state == "closed"
        # cancelled first, then closed by leaving the block: still one clean end
        with rt.session(BACKEND) as session:
            session.cancel()
        assert_left_cleanly(server, session.id)
        assert record(server, session.id).state_reason == "Cancelled by the user"


def test_a_failed_close_never_hides_the_original_error(server: EmulatorServer) -> None:
    """The close fails (the service is down) while an exception is propagating: the exception
    wins, and the session is closed once the service is back (here: by the same handle)."""
    with connect(server, Runtime) as rt:
        session = rt.session(BACKEND)
        # 429 answers never take effect (a 5xx may come after the close was applied)
        server.set_faults(
            FaultConfig(rate=1.0, statuses=(429,), retry_after=0.01, methods=("PATCH",))
        )
        try:
            with pytest.raises(Boom), session:
                raise Boom
        finally:
            server.set_faults(None)
        assert not session.closed and record(server, session.id).accepting_jobs is True
        session.close()
        assert_left_cleanly(server, session.id)


# -- async --------------------------------------------------------------------------------------


async def _async_block(
    server: EmulatorServer, mode: str, body: Callable[[Any, Any], Any]
) -> tuple[str, Any, BaseException | None]:
    """Run ``body(session, job)`` inside ``async with``; return the session id, job, error."""
    async with connect(server, AsyncRuntime) as rt:
        opener = rt.session if mode == "session" else rt.batch
        seen: dict[str, Any] = {}

        async def block() -> None:
            async with opener(BACKEND, max_time=300) as session:
                seen["session"] = session
                seen["job"] = await session.sampler(options=SLOW).run([SamplerPub(BELL, shots=10)])
                await body(session, seen["job"])

        error: BaseException | None = None
        try:
            await block()
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            error = exc
        assert seen["session"].closed
        status = await seen["job"].wait(timeout=30)
        return seen["session"].id, status, error


async def _cancelled_task(server: EmulatorServer, mode: str) -> tuple[str, Any, BaseException]:
    """A task blocked inside the block is cancelled from outside."""
    started = asyncio.Event()
    result: dict[str, Any] = {}

    async def body(session: Any, job: Any) -> None:
        result["session"] = session.id
        started.set()
        await job.wait(timeout=60)

    task = asyncio.ensure_future(_async_block(server, mode, body))
    await started.wait()
    await asyncio.sleep(0.05)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError as exc:
        return result["session"], None, exc
    raise AssertionError("the task was not cancelled")  # pragma: no cover


async def _body_for(kind: str, session: Any, job: Any) -> None:
    if kind == "exception":
        raise Boom
    if kind == "keyboard-interrupt":
        raise KeyboardInterrupt
    if kind == "job-timeout":
        await job.wait(timeout=0.05)
    if kind == "asyncio-timeout":
        async with asyncio.timeout(0.05):
            await job.wait(timeout=60)
    if kind == "wait-for":
        await asyncio.wait_for(job.wait(timeout=60), timeout=0.05)


ASYNC_RAISED: dict[str, Any] = {
    "normal": None,
    "exception": Boom,
    "keyboard-interrupt": KeyboardInterrupt,
    "job-timeout": JobTimeoutError,
    "asyncio-timeout": TimeoutError,
    "wait-for": TimeoutError,
}


@pytest.mark.parametrize("mode", ["session", "batch"])
@pytest.mark.parametrize("kind", [*ASYNC_RAISED, "cancelled-task"])
def test_async_block_exits_leave_no_open_session(
    server: EmulatorServer, mode: str, kind: str
) -> None:
    if kind == "cancelled-task":
        session_id, _, error = asyncio.run(_cancelled_task(server, mode))
        assert isinstance(error, asyncio.CancelledError)
    else:
        session_id, status, error = asyncio.run(
            _async_block(server, mode, lambda s, j: _body_for(kind, s, j))
        )
        expected = ASYNC_RAISED[kind]
        assert (error is None) if expected is None else isinstance(error, expected), repr(error)
        assert status == "Completed"
    assert_left_cleanly(server, session_id)


def test_async_cancelled_again_while_closing_still_closes(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    """The task is cancelled, then cancelled again while ``__aexit__`` waits for the close: the
    close request is not abandoned halfway (it is shielded from the second cancellation)."""
    server = make_emulator()
    server.set_faults(FaultConfig(latency=0.3, methods=("PATCH",)))  # a slow close

    async def main() -> str:
        async with connect(server, AsyncRuntime) as rt:
            entered = asyncio.Event()
            ids: list[str] = []

            async def block() -> None:
                async with rt.batch(BACKEND) as batch:
                    ids.append(batch.id)
                    entered.set()
                    await asyncio.sleep(60)

            task = asyncio.ensure_future(block())
            await entered.wait()
            task.cancel()  # starts the close (which takes 0.3 s)
            await asyncio.sleep(0.1)
            task.cancel()  # ... and interrupts it
            with pytest.raises(asyncio.CancelledError):
                await task
            await asyncio.sleep(0.5)  # the loop keeps running: the close can finish
            return ids[0]

    session_id = asyncio.run(main())
    assert_left_cleanly(server, session_id)
