"""The SDK's executor flows against the emulator, over real HTTP: ``rt.executor(backend)``,
``session.executor()`` and ``batch.executor()`` (sync and async) submit quantum programs built
from OpenQASM 3 and numpy, or encoded by qiskit-ibm-runtime, exactly once; results decode into
numpy arrays ``(*item.shape, shots, bits)`` and hand over to qiskit-ibm-runtime's decoders.

The circuits are ISA circuits of ``ibm_emulator_5q`` (``rz``, ``sx``, ``cz`` and measurements on
physical qubits), as the service requires.
"""

from __future__ import annotations

import asyncio
import json
import math
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.faults import FaultConfig
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import (
    AsyncExecutorJob,
    AsyncRuntime,
    BadRequestError,
    CircuitItem,
    EncodedProgram,
    ExecutorJob,
    ExecutorOptions,
    Job,
    JobFailedError,
    QuantumProgram,
    QuantumProgramResult,
    RetryPolicy,
    Runtime,
    SamplerPub,
    ValidationError,
)

from tests.conftest import connect

BACKEND = "ibm_emulator_5q"
# rx(theta) on qubit 0 as the transpiler writes it for the device's basis
RX = (
    'OPENQASM 3.0; include "stdgates.inc"; input float[64] theta; bit[1] meas; '
    "rz(pi/2) $0; sx $0; rz(pi + theta) $0; sx $0; rz(5*pi/2) $0; meas[0] = measure $0;"
)
# H on qubit 0, then CX(0, 1), in the device's basis
BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; bit[2] meas; '
    "rz(pi/2) $0; sx $0; rz(pi/2) $0; rz(pi/2) $1; sx $1; rz(pi/2) $1; cz $0, $1; "
    "rz(pi/2) $1; sx $1; rz(pi/2) $1; meas[0] = measure $0; meas[1] = measure $1;"
)
SEEDED = ExecutorOptions(experimental={"emulator": {"seed": 5}})


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    # noiseless: these tests compare distributions with their exact values (noise: below)
    config = EmulatorConfig(strict_responses=True, test_knobs=True, noiseless_backends=(BACKEND,))
    with EmulatorServer(config) as srv:
        yield srv
    assert srv.state.violation_count == 0, srv.state.response_violations


@pytest.fixture
def rt(server: EmulatorServer) -> Iterator[Runtime]:
    with connect(server) as client:
        yield client


def sweep_program(shots: int = 400) -> tuple[QuantumProgram, np.ndarray]:
    thetas = np.linspace(0.0, np.pi, 6).reshape(2, 3, 1)
    program = QuantumProgram([CircuitItem(RX, thetas), CircuitItem(BELL, shape=(2,))], shots=shots)
    return program, thetas


def assert_physics(result: QuantumProgramResult, thetas: np.ndarray, shots: int) -> None:
    """The rx sweep's excited-state probabilities are sin^2(theta/2) within 3 sigma; the Bell
    item gives only 00 and 11, balanced within 4 sigma."""
    swept = result[0]["meas"]
    assert swept.shape == (*thetas.shape[:-1], shots, 1) and swept.dtype == np.bool_
    p = np.sin(thetas[..., 0] / 2) ** 2
    sigma = np.sqrt(p * (1 - p) / shots)
    assert np.all(np.abs(swept[..., 0].mean(axis=-1) - p) <= 3 * sigma + 1e-9)
    assert result[1]["meas"].shape == (2, shots, 2)
    counts = result[1].get_counts("meas")
    assert set(counts) <= {"00", "11"} and sum(counts.values()) == 2 * shots
    assert abs(counts.get("00", 0) - shots) <= 4 * math.sqrt(2 * shots) / 2


# ---------------------------------------------------------------------------- modes


def test_job_mode_submits_once_and_decodes_typed_arrays(
    rt: Runtime, server: EmulatorServer
) -> None:
    program, thetas = sweep_program()
    executor = rt.executor(BACKEND, options=SEEDED)
    job = executor.run(program, tags=["sweep"])
    assert isinstance(job, ExecutorJob) and job.program is program
    assert job.program_id == "executor" and job.session_id is None
    result = job.result(timeout=120)
    assert isinstance(result, QuantumProgramResult)
    assert_physics(result, thetas, 400)
    assert result.semantic_role is None and len(result.chunk_timing) == 2
    assert result[0].bit_array("meas").shape == (2, 3)

    record = server.store.get_job(server.crn, job.id)
    assert record is not None and record.program_id == "executor"
    assert job.tags() == ["sweep"] and job.idempotency_tag in record.tags
    body = record.params
    assert body["quantum_program"]["circuits"] == {"data": [RX, BELL]}
    assert body["quantum_program"]["items"][1]["shape"] == [2]

    # the same job through a handle made from its id, and in the listing
    again = rt.executor_job(job.id).result()
    assert np.array_equal(again[0]["meas"], result[0]["meas"])
    assert again.raw == result.raw
    assert [j.id for j in rt.jobs(program="executor", tags=["sweep"])] == [job.id]
    listed = next(iter(rt.jobs(program="executor", tags=["sweep"])))
    assert listed.program_id == "executor"
    with pytest.raises(ValidationError, match="executor_job"):
        listed.result()  # a Job handle: its result would be a PrimitiveResult


def test_seeded_runs_repeat_and_the_result_goes_to_qiskit(rt: Runtime) -> None:
    program, _ = sweep_program(shots=50)
    executor = rt.executor(BACKEND)
    first = executor.run(program, options=SEEDED).result()
    second = executor.run(program, options=SEEDED).result()
    assert all(np.array_equal(a["meas"], b["meas"]) for a, b in zip(first, second, strict=True))
    # qiskit-ibm-runtime's decoders: a hand-built program gives its QuantumProgramResult
    converted = first.to_qiskit()
    assert type(converted).__name__ == "QuantumProgramResult"
    assert np.array_equal(converted[0]["meas"], first[0]["meas"])


def test_session_and_batch_executors(rt: Runtime) -> None:
    program, thetas = sweep_program(shots=200)
    with rt.session(BACKEND) as session:
        executor = session.executor(SEEDED)
        # integer chunk sizes are for dedicated sessions
        chunked = QuantumProgram([CircuitItem(BELL, shape=(4,), chunk_size=2)], shots=100)
        jobs = [executor.run(program), executor.run(chunked)]
        assert all(job.session_id == session.id for job in jobs)
        assert_physics(jobs[0].result(), thetas, 200)
        assert jobs[1].result()[0]["meas"].shape == (4, 100, 2)
    with rt.batch(BACKEND) as batch:
        jobs = [batch.executor().run(program, options=SEEDED) for _ in range(2)]
        with pytest.raises(BadRequestError, match="chunk_size"):
            batch.executor().run(chunked)
    assert rt.wait_all(jobs, timeout=120) == ["Completed", "Completed"]
    for job in rt.as_completed(jobs, timeout=120):
        assert job.session_id == batch.id
        assert_physics(job.result(), thetas, 200)


def test_async_executor_in_every_mode(server: EmulatorServer) -> None:
    program, thetas = sweep_program(shots=200)

    async def main() -> list[QuantumProgramResult]:
        async with connect(server, AsyncRuntime) as rt:
            jobs: list[AsyncExecutorJob] = [await rt.executor(BACKEND, SEEDED).run(program)]
            async with rt.session(BACKEND) as session:
                jobs.append(await session.executor(SEEDED).run(program))
            async with rt.batch(BACKEND) as batch:
                jobs.append(await batch.executor().run(program, options=SEEDED))
            assert [j.session_id for j in jobs] == [None, session.id, batch.id]
            again = await rt.executor_job(jobs[0].id)
            return [*await asyncio.gather(*(j.result() for j in jobs)), await again.result()]

    results = asyncio.run(main())
    for result in results:
        assert_physics(result, thetas, 200)
    assert np.array_equal(results[0][0]["meas"], results[3][0]["meas"])


# ---------------------------------------------------------------------------- programs from qiskit


def test_a_twirled_program_built_by_qiskit_ibm_runtime_is_submitted_as_is(rt: Runtime) -> None:
    from qiskit import QuantumCircuit
    from qiskit.primitives import PrimitiveResult
    from qiskit.transpiler import generate_preset_pass_manager
    from qiskit_ibm_runtime.executor_sampler.prepare import prepare
    from qiskit_ibm_runtime.options_models.sampler import SamplerOptions

    backend = rt.backend(BACKEND)
    manager = generate_preset_pass_manager(optimization_level=1, target=backend.target)
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.measure_all()
    options = SamplerOptions()
    options.twirling.enable_gates = True
    options.twirling.enable_measure = True
    # the program and options the client-side Sampler would submit: samplex items, QPY
    program, runtime_options = prepare([manager.run(circuit)], options, shots=256)
    program._semantic_role = "sampler_v2"  # what executor_sampler.Sampler.run sets next
    encoded = EncodedProgram.from_qiskit(program, runtime_options)
    assert encoded.params["quantum_program"]["items"][0]["item_type"] == "samplex"

    result = rt.executor(BACKEND).run(encoded, options=SEEDED).result()
    assert result.semantic_role == "sampler_v2" and "measurement_flips.meas" in result[0]
    assert result.passthrough_data == encoded.params["quantum_program"]["passthrough_data"]
    decoded = result.to_qiskit()  # the client's post-processing: twirling undone
    assert isinstance(decoded, PrimitiveResult)
    counts = decoded[0].data.meas.get_counts()
    shots = sum(counts.values())
    assert shots >= 256 and set(counts) <= {"00", "11"}
    assert abs(counts.get("00", 0) - shots / 2) <= 4 * math.sqrt(shots) / 2


# ---------------------------------------------------------------------------- exactly once, errors


def test_an_ambiguous_submission_is_adopted_not_repeated(server: EmulatorServer) -> None:
    program, _ = sweep_program(shots=20)
    # every POST /jobs takes effect, but the first answers are lost (connection dropped)
    server.set_faults(FaultConfig(drop_rate=1.0, methods=("POST",), paths=("/jobs",), seed=3))
    policy = RetryPolicy(max_attempts=4, initial_backoff=0.01, max_backoff=0.02)
    try:
        with connect(server, retry=policy) as rt:
            before = len(server.store.jobs)
            job = rt.executor(BACKEND).run(program, tags=["ambiguous"])
            created = len(server.store.jobs) - before
            faults = server.stats()["faults"]
            server.set_faults(None)
            assert created == 1
            assert any(key.endswith("_after") for key in faults), faults  # it was ambiguous
            assert job.result(timeout=120)[0]["meas"].shape == (2, 3, 20, 1)
    finally:
        server.set_faults(None)


def test_bad_programs_fail_before_sending_or_name_the_field(rt: Runtime) -> None:
    executor = rt.executor(BACKEND)
    with pytest.raises(ValidationError, match="QuantumProgram"):
        executor.run([SamplerPub(BELL)])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="ExecutorOptions"):
        executor.run(sweep_program()[0], options={"init_qubits": True})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="unknown executor option"):
        executor.with_options(seed=3)
    with pytest.raises(ValidationError, match="tags"):
        executor.run(sweep_program()[0], tags=["x"] * 8)
    too_wide = QuantumProgram([CircuitItem(BELL.replace("$1", "$7"))], shots=10)
    with pytest.raises(JobFailedError, match="non-ISA") as failed:  # as on IBM Quantum
        executor.run(too_wide).result()
    assert failed.value.reason_code == 1517
    # a Sampler job is not an executor job, and the other way round
    sampled = rt.sampler(BACKEND).run([SamplerPub(BELL, shots=10)])
    with pytest.raises(ValidationError, match="sampler program"):
        rt.executor_job(sampled.id)
    assert isinstance(rt.job(sampled.id), Job)


def test_the_cost_limit_and_cancellation_apply(rt: Runtime) -> None:
    program = QuantumProgram([CircuitItem(BELL)], shots=10)
    slow = {"emulator": {"delay_seconds": 3}}
    job = rt.executor(BACKEND).run(
        program, options=ExecutorOptions(max_execution_time=1, experimental=slow)
    )
    with pytest.raises(JobFailedError) as failed:
        job.result(timeout=60)
    assert failed.value.reason_code == 1305
    waiting = ExecutorOptions(experimental={"emulator": {"delay_seconds": 30}})
    job = rt.executor(BACKEND, waiting).run(program)
    job.cancel()
    assert job.status() == "Cancelled"


# ---------------------------------------------------------------------------- no qiskit


def test_the_sdk_runs_executor_jobs_without_qiskit(server: EmulatorServer) -> None:
    """A user's process: builds, submits and decodes a program; imports no qiskit, samplomatic
    or pydantic (the emulator runs in this test's process, the client in another)."""
    script = textwrap.dedent(
        f"""
        import json, sys
        import numpy as np
        from qiskit_runtime_rest import CircuitItem, QuantumProgram, Runtime
        rt = Runtime(token={server.api_key!r}, instance={server.crn!r}, url={server.url!r},
                     iam_url={server.iam_url!r}, trust_env=False)
        program = QuantumProgram([CircuitItem({RX!r}, np.array([[0.0], [np.pi]]))], shots=20)
        result = rt.executor({BACKEND!r}).run(program).result(timeout=120)
        heavy = [m for m in ("qiskit", "samplomatic", "pydantic", "qiskit_ibm_runtime")
                 if m in sys.modules]
        print(json.dumps({{"means": result[0]["meas"].mean(axis=(1, 2)).tolist(), "heavy": heavy}}))
        rt.close()
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=180, check=True
    )
    report: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    assert report == {"means": [0.0, 1.0], "heavy": []}


def test_device_noise_and_the_isa_check_apply_to_executor_jobs() -> None:
    """Executor jobs on a device backend simulate its calibration's noise, and a circuit that is
    not in the backend's instructions fails with code 1517, like a Sampler job."""
    with Runtime.local(EmulatorConfig(seed=5)) as noisy:
        program = QuantumProgram([CircuitItem(BELL)], shots=2000)
        bits = noisy.executor(BACKEND).run(program).result()[0]["meas"]
        disagree = float(np.mean(bits[..., 0] != bits[..., 1]))
        assert 0.0 < disagree < 0.2  # readout and gate errors: some 01 and 10, mostly Bell pairs
        logical = QuantumProgram([CircuitItem(BELL.replace("cz $0, $1;", "cx $0, $1;"))], shots=10)
        with pytest.raises(JobFailedError, match="cx") as failed:
            noisy.executor(BACKEND).run(logical).result()
        assert failed.value.reason_code == 1517
