"""Executor jobs in the spec: what qiskit-ibm-runtime sends and reads validates and round-trips.

The bodies and results under ``tests/data/executor`` were recorded from the unmodified official
client. They must pass the spec's JSON Schemas, the emulator's request and response checks, and
survive ``from_dict``/``to_dict`` of the generated models unchanged (timestamps may change
spelling only: ``Z`` becomes ``+00:00``).
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from typing import Any

import httpx
import pytest
from qiskit_runtime_api import Client
from qiskit_runtime_api.api.jobs import create_job, get_job_results
from qiskit_runtime_api.models import (
    CircuitItem,
    ExecutorJobRequest,
    ExecutorOptions,
    ExecutorParams,
    F64Tensor,
    Job,
    Qasm3Circuits,
    QpyCircuits,
    QuantumProgram,
    QuantumProgramResult,
    SamplexItem,
    Tensor,
)
from qiskit_runtime_emulator.errors import ApiError
from qiskit_runtime_emulator.validation import load_spec as load_emulator_spec

from tests import executor_data
from tests.spec_schema import errors

NAMES = executor_data.NAMES


def _same_instant(a: Any, b: Any) -> bool:
    return (
        isinstance(a, str)
        and isinstance(b, str)
        and (datetime.fromisoformat(a) == datetime.fromisoformat(b))
    )


def assert_equal_json(actual: Any, expected: Any, path: str = "") -> None:
    """Equal JSON, except that ISO 8601 timestamps may be spelled differently."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        assert actual.keys() == expected.keys(), path
        for key in expected:
            assert_equal_json(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), path
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_equal_json(a, e, f"{path}[{i}]")
    elif actual != expected:
        assert path.endswith((".start", ".stop")) and _same_instant(actual, expected), path


@pytest.mark.parametrize("name", NAMES)
def test_recorded_bodies_and_results_validate_against_the_spec(name: str) -> None:
    assert errors("CreateJobRequest", executor_data.request(name)) == []
    assert errors("ExecutorJobRequest", executor_data.request(name)) == []
    assert errors("JobResult", executor_data.result(name)) == []
    assert errors("QuantumProgramResult", executor_data.result(name)) == []


@pytest.mark.parametrize("name", NAMES)
def test_emulator_request_and_response_checks_accept_them(name: str) -> None:
    spec = load_emulator_spec()
    spec.by_id["create_job"].check_body(executor_data.request(name))  # raises ApiError if not
    results = spec.by_id["get_job_results"].check_response(
        200, "application/json", executor_data.result(name)
    )
    assert results == []


@pytest.mark.parametrize("name", NAMES)
def test_generated_models_round_trip_the_recorded_bodies(name: str) -> None:
    body = executor_data.request(name)
    model = ExecutorJobRequest.from_dict(copy.deepcopy(body))
    assert model.to_dict() == body
    params = model.params
    assert isinstance(params, ExecutorParams)
    assert isinstance(params.quantum_program, QuantumProgram)
    assert isinstance(params.quantum_program.circuits, QpyCircuits)
    assert isinstance(params.options, ExecutorOptions)
    raw_items = body["params"]["quantum_program"]["items"]
    for item, raw in zip(params.quantum_program.items, raw_items, strict=True):
        assert isinstance(item, CircuitItem if raw["item_type"] == "circuit" else SamplexItem)
    # passthrough_data is opaque: kept exactly, tensors and all.
    assert (
        params.quantum_program.passthrough_data
        == (body["params"]["quantum_program"]["passthrough_data"])
    )


@pytest.mark.parametrize("name", NAMES)
def test_generated_models_round_trip_the_recorded_results(name: str) -> None:
    raw = executor_data.result(name)
    model = QuantumProgramResult.from_dict(copy.deepcopy(raw))
    assert_equal_json(model.to_dict(), raw)
    assert model.schema_version == "v2.0"
    for item in model.data:
        for tensor in item.results.additional_properties.values():
            assert isinstance(tensor, Tensor)
            assert tensor.dtype == "bool"
    span = model.metadata.chunk_timing[0]
    assert isinstance(span.start, datetime) and span.start.tzinfo is not None


def test_generated_client_sends_and_parses_executor_jobs() -> None:
    body = executor_data.request("executor-rx-sweep")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            return httpx.Response(200, json={"id": "job1", "backend": body["backend"]})
        return httpx.Response(200, json=executor_data.result("executor-rx-sweep"))

    client = Client(
        base_url="https://quantum.cloud.ibm.com/api/v1",
        httpx_args={"transport": httpx.MockTransport(handler)},
    )
    created = create_job.sync_detailed(client=client, body=ExecutorJobRequest.from_dict(body))
    assert created.status_code == 200
    assert json.loads(seen[0].content) == body
    fetched = get_job_results.sync_detailed("job1", client=client)
    assert isinstance(fetched.parsed, QuantumProgramResult)
    assert fetched.parsed.data[0].results["meas"].shape == [3, 50, 1]


def test_a_job_may_report_the_executor_program() -> None:
    job = {
        "id": "d1abc2def3ghi4jkl5mn",
        "backend": "ibm_emulator_5q",
        "program": {"id": "executor"},
        "state": {"status": "Completed"},
        "status": "Completed",
        "created": "2026-01-01T00:00:00+00:00",
        "cost": 300,
    }
    assert errors("Job", job) == []
    assert Job.from_dict(job).program.id == "executor"


def test_programs_are_expressible_with_the_generated_models() -> None:
    qasm = 'OPENQASM 3.0; include "stdgates.inc"; bit[1] c; c[0] = measure $0;'
    program = QuantumProgram(
        shots=10,
        circuits=Qasm3Circuits(data=[qasm]),
        items=[
            CircuitItem(
                item_type="circuit",
                circuit_arguments=F64Tensor(data="eJwDAAAAAAE=", shape=[0], dtype="f64"),
                shape=[4],
            )
        ],
        meas_level="classified",
    )
    request = ExecutorJobRequest(
        program_id="executor",
        backend="ibm_emulator_5q",
        params=ExecutorParams(quantum_program=program, options=ExecutorOptions()),
    )
    body = request.to_dict()
    assert errors("CreateJobRequest", body) == []
    assert body["params"]["quantum_program"]["items"][0]["shape"] == [4]


def _mutate(name: str, path: list[Any], value: Any) -> dict[str, Any]:
    body = executor_data.request(name)
    node: Any = body
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return body


PROGRAM = ["params", "quantum_program"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (_mutate("sampler-plain", ["params", "schema_version"], "v1.1"), "v2.0"),
        (_mutate("sampler-plain", [*PROGRAM, "shots"], 0), "shots"),
        (_mutate("sampler-plain", [*PROGRAM, "meas_level"], "raw"), "meas_level"),
        (_mutate("sampler-plain", [*PROGRAM, "items", 0, "item_type"], "pulse"), "item_type"),
        (_mutate("sampler-plain", [*PROGRAM, "items", 0, "shape"], [-1]), "shape"),
        (_mutate("sampler-plain", [*PROGRAM, "items", 0, "chunk_size"], 0), "chunk_size"),
        (_mutate("sampler-plain", [*PROGRAM, "circuits"], {"qpy": "x"}), "circuits"),
        (_mutate("sampler-plain", ["params", "options"], None), "options"),
        (
            _mutate("sampler-twirled", [*PROGRAM, "items", 0, "samplex_arguments"], {"x": "y"}),
            "samplex_arguments",
        ),
        (
            _mutate(
                "estimator-level1",
                [*PROGRAM, "items", 0, "samplex_arguments", "basis_changes.basis0", "dtype"],
                "u7",
            ),
            "samplex_arguments",
        ),
    ],
)
def test_malformed_executor_bodies_get_a_400_naming_the_field(
    body: dict[str, Any], fragment: str
) -> None:
    assert errors("CreateJobRequest", body) != []
    with pytest.raises(ApiError) as caught:
        load_emulator_spec().by_id["create_job"].check_body(body)
    assert caught.value.status == 400
    assert fragment in caught.value.message


def test_unknown_fields_are_allowed_where_the_service_ignores_them() -> None:
    body = executor_data.request("sampler-plain")
    body["params"]["future_option"] = 1
    body["params"]["quantum_program"]["items"][0]["extra"] = {"a": 1}
    body["params"]["options"]["experimental"] = {"anything": [1, 2]}
    assert errors("CreateJobRequest", body) == []
    assert ExecutorJobRequest.from_dict(copy.deepcopy(body)).to_dict() == body
    # ... but not at the job level, which is shared with the Sampler and Estimator requests.
    body["unknown"] = True
    assert errors("CreateJobRequest", body) != []
