"""Executor jobs on the emulator's HTTP layer: admission limits, validation off the event loop,
seeds, and the bodies recorded from qiskit-ibm-runtime, run as they were sent.

(The official client's flows are in ``tests/test_official_executor.py``, the SDK's in
``tests/test_sdk_executor.py``, the engine alone in ``tests/test_quantum_programs.py``.)
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import io
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from qiskit import QuantumCircuit, qpy
from qiskit_runtime_emulator import quantum_programs
from qiskit_runtime_emulator.backends import get_backend
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.execution import Task
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_emulator.worker import run_task

from tests import executor_data
from tests.conftest import EmulatorClient, client_for
from tests.spec_schema import errors

BACKEND = "ibm_emulator_5q"
BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; bit[2] meas; rz(pi/2) $0; sx $0; rz(pi/2) $0; '
    "rz(pi/2) $1; sx $1; rz(pi/2) $1; cz $0, $1; rz(pi/2) $1; sx $1; rz(pi/2) $1; "
    "meas[0] = measure $0; meas[1] = measure $1;"
)
EMPTY_ARGS = {"data": base64.b64encode(zlib.compress(b"")).decode(), "shape": [0], "dtype": "f64"}


def program_body(
    circuits: list[str] | dict[str, Any],
    *,
    shots: int = 10,
    shapes: list[list[int]] | None = None,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    texts = circuits if isinstance(circuits, list) else None
    count = len(texts) if texts is not None else len(shapes or [[]])
    items = [
        {"item_type": "circuit", "circuit_arguments": EMPTY_ARGS, "shape": shape}
        for shape in (shapes or [[]] * count)
    ]
    return {
        "program_id": "executor",
        "backend": BACKEND,
        "params": {
            "schema_version": "v2.0",
            "quantum_program": {
                "shots": shots,
                "circuits": {"data": texts} if texts is not None else circuits,
                "items": items,
            },
            "options": options or {},
        },
    }


@pytest.fixture(scope="module")
def limited() -> Iterator[EmulatorServer]:
    """An emulator with small admission limits."""
    config = EmulatorConfig(
        strict_responses=True,
        max_bindings=50,
        max_executions=5000,
        max_classical_bits=8,
        max_circuit_qubits=8,
        max_qasm3_bytes=4096,
        max_circuit_bytes=2048,
        max_result_bytes=25,
    )
    with EmulatorServer(config) as server:
        yield server
    assert server.state.violation_count == 0, server.state.response_violations


@pytest.fixture
def limited_api(limited: EmulatorServer) -> Iterator[EmulatorClient]:
    client = client_for(limited)
    yield client
    client.close()


def refused(api: EmulatorClient, body: dict[str, Any]) -> str:
    response = api.post("/jobs", json=body)
    assert response.status_code == 400, response.text
    message: str = response.json()["errors"][0]["message"]
    return message


def qpy_circuits(*circuits: QuantumCircuit) -> dict[str, Any]:
    buffer = io.BytesIO()
    qpy.dump(list(circuits), buffer)
    return {
        "b64_data": base64.b64encode(zlib.compress(buffer.getvalue())).decode(),
        "qpy_version": qpy.QPY_VERSION,
        "num_programs": len(circuits),
    }


# ---------------------------------------------------------------------------- recorded bodies


@pytest.mark.parametrize("name", executor_data.NAMES)
def test_recorded_bodies_run_over_http(name: str, api: EmulatorClient) -> None:
    body = executor_data.request(name)
    body["backend"] = BACKEND
    if "session_id" in body:  # recorded in a dedicated session (integer chunk sizes)
        body["session_id"] = api.session(backend=BACKEND, mode="dedicated")["id"]
    job_id = api.submit(body)
    result = api.result(job_id)
    assert errors("QuantumProgramResult", result) == []
    assert result["passthrough_data"] == body["params"]["quantum_program"]["passthrough_data"]
    job = api.job(job_id)
    assert job["program"] == {"id": "executor"} and job["params"] == body["params"]
    metrics = api.ok("GET", f"/jobs/{job_id}/metrics")
    assert metrics["num_circuits"] == len(result["data"])
    listed = api.ok("GET", "/jobs", params={"program": "executor", "limit": 200})["jobs"]
    assert job_id in {j["id"] for j in listed}
    samplers = api.ok("GET", "/jobs", params={"program": "sampler", "limit": 200})["jobs"]
    assert job_id not in {j["id"] for j in samplers}


# ---------------------------------------------------------------------------- admission


def test_bindings_and_executions_are_counted_before_the_schema_check(
    limited_api: EmulatorClient,
) -> None:
    many = program_body([BELL], shapes=[[60]])
    assert "max_bindings" in refused(limited_api, many)
    heavy = program_body([BELL, BELL], shots=1000, shapes=[[3], [4]])
    message = refused(limited_api, heavy)
    assert "7000 executions" in message and "max_executions" in message
    assert message.startswith("Invalid params: quantum_program:")


def test_circuit_sizes_qubits_and_classical_bits_are_limited(
    limited_api: EmulatorClient,
) -> None:
    long_text = BELL + " // " + "x" * 5000
    message = refused(limited_api, program_body([long_text]))
    assert "max_qasm3_bytes" in message and "quantum_program.circuits" in message
    # wider than the backend but within max_circuit_qubits: not an ISA circuit, so the job is
    # accepted and fails with code 1517, as on IBM Quantum
    wide = limited_api.wait(limited_api.submit(program_body([BELL.replace("$1", "$7")])))
    assert wide["status"] == "Failed" and wide["state"]["reason_code"] == 1517, wide
    assert "non-ISA" in wide["state"]["reason"] and "items[0]" in wide["state"]["reason"], wide
    # past max_circuit_qubits: refused before parsing
    message = refused(limited_api, program_body([BELL.replace("$1", "$9")]))
    assert "circuits.data[0]" in message and "the limit (max_circuit_qubits) is 8" in message
    many_bits = BELL.replace("bit[2] meas", "bit[16] meas")
    assert "max_classical_bits" in refused(limited_api, program_body([many_bits]))

    big = QuantumCircuit(1, 1)
    for i in range(400):
        big.rz(0.001 * (i + 1), 0)
    big.measure(0, 0)
    message = refused(limited_api, program_body(qpy_circuits(big)))
    assert "max_circuit_bytes" in message and "circuits.b64_data" in message
    bomb = {  # 30 KiB of body that would inflate to 30 MiB: counted up to the limit, refused
        "b64_data": base64.b64encode(zlib.compress(b"QISKIT" + bytes(30 << 20), 9)).decode(),
        "qpy_version": qpy.QPY_VERSION,
        "num_programs": 1,
    }
    message = refused(limited_api, program_body(bomb))
    assert "inflates to more than 2048 bytes" in message
    bits = QuantumCircuit(1, 12)
    bits.measure(0, 0)
    message = refused(limited_api, program_body(qpy_circuits(bits)))
    assert "items[0]" in message and "max_classical_bits" in message


def test_the_result_estimate_counts_samplex_outputs(limited_api: EmulatorClient) -> None:
    # 50 randomizations x 1 shot of a 2-bit register: 12.5 bytes of bits, and as much again of
    # measurement flips; base64 makes it 33 bytes, over the limit of 25 (the bits alone: 17).
    body = executor_data.request("sampler-twirled")
    body["backend"] = BACKEND
    program = body["params"]["quantum_program"]
    program["items"][0]["shape"] = [50]
    program["shots"] = 1
    message = refused(limited_api, body)
    assert "about 33 bytes" in message and "max_result_bytes" in message
    program["items"][0]["shape"] = [20]
    assert limited_api.post("/jobs", json=body).status_code == 200


def test_executor_bodies_are_validated_off_the_event_loop(
    api: EmulatorClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_loop: list[bool] = []
    validate = quantum_programs.validate_program

    def spy(*args: Any, **kwargs: Any) -> Any:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return validate(*args, **kwargs)

    monkeypatch.setattr(quantum_programs, "validate_program", spy)
    api.submit(program_body([BELL]))  # a small body: a Sampler job's would be checked inline
    assert on_loop == [False]


# ---------------------------------------------------------------------------- seeds


def _meas(api: EmulatorClient, body: dict[str, Any]) -> list[Any]:
    result = api.result(api.submit(body))
    return [item["results"]["meas"]["data"] for item in result["data"]]


def test_the_seed_knob_needs_no_test_knobs(limited_api: EmulatorClient) -> None:
    seeded: Callable[[int], dict[str, Any]] = lambda seed: program_body(  # noqa: E731
        [BELL], shots=50, options={"experimental": {"emulator": {"seed": seed}}}
    )
    first, again, other = (_meas(limited_api, seeded(s)) for s in (7, 7, 8))
    assert first == again and first != other
    bad = program_body([BELL], options={"experimental": {"emulator": {"seed": "x"}}})
    assert "seed must be an integer" in refused(limited_api, bad)
    knob = program_body([BELL], options={"experimental": {"emulator": {"delay_seconds": 1}}})
    assert "test knobs are disabled" in refused(limited_api, knob)


def test_the_configured_seed_makes_executor_jobs_reproducible(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    server = make_emulator(EmulatorConfig(strict_responses=True, seed=11))
    client = client_for(server)
    try:
        body = executor_data.request("sampler-twirled")
        body["backend"] = BACKEND
        first, again = _meas(client, body), _meas(client, body)
        assert first == again
    finally:
        client.close()


def test_a_job_that_cannot_be_simulated_fails_with_a_reason(api: EmulatorClient) -> None:
    body = program_body([BELL], shots=10)
    body["params"]["quantum_program"]["meas_level"] = "kerneled"
    assert "'kerneled' is not available" in refused(api, body)
    newer = executor_data.request("sampler-plain")
    newer["backend"] = BACKEND
    circuits = newer["params"]["quantum_program"]["circuits"]
    raw = bytearray(zlib.decompress(base64.b64decode(circuits["b64_data"])))
    raw[6] = 99  # the QPY header's version byte
    circuits["b64_data"] = base64.b64encode(zlib.compress(bytes(raw))).decode()
    circuits["qpy_version"] = 99
    message = refused(api, newer)
    assert "QPY version 99" in message and "qiskit" in message


def test_results_carry_numpy_shaped_registers(api: EmulatorClient) -> None:
    body = program_body([BELL], shots=30, shapes=[[2, 3]])
    body["backend"] = "ibm_emulator_simulator"  # no noise: both bits of a Bell pair agree
    result = api.result(api.submit(body))
    tensor = result["data"][0]["results"]["meas"]
    assert tensor["shape"] == [2, 3, 30, 2] and tensor["dtype"] == "bool"
    bits = np.unpackbits(
        np.frombuffer(zlib.decompress(base64.b64decode(tensor["data"])), np.uint8),
        bitorder="little",
    )[: 2 * 3 * 30 * 2].reshape(2, 3, 30, 2)
    # A Bell pair on a device with its calibration's noise: the bits agree but for a few shots.
    assert np.mean(bits[..., 0] == bits[..., 1]) > 0.8


def test_the_worker_checks_executor_results_against_their_schema() -> None:
    """What a worker does with an executor job: ``QuantumProgramResult`` is the schema its
    result is checked against (in strict mode a violation fails the job)."""
    prepared = quantum_programs.validate_program(
        program_body([BELL], shots=5)["params"], get_backend(BACKEND)
    )
    outcome = run_task(Task("job-1", prepared))
    assert outcome.result is not None and outcome.violations == ()
    broken = dataclasses.replace(prepared, semantic_role=5)  # not a string: breaks the schema
    outcome = run_task(Task("job-2", broken))
    assert outcome.violations and "5 is not of type" in outcome.violations[0]
