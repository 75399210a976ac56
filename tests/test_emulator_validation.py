"""Bad requests get a 400 whose message names the problem; nothing yields a 500."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import pytest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.server import EmulatorServer

from tests.conftest import EmulatorClient, sampler_job
from tests.payloads import (
    BELL_QASM3,
    BELL_STATE_QASM3,
    OFFICIAL_CLIENT_ESTIMATOR_JOB,
    OFFICIAL_CLIENT_SAMPLER_JOB,
    seed_estimator_job,
    seed_sampler_job,
)

PARAM_QASM = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] a;
input float[64] b;
bit[1] c;
qubit[1] q;
rx(a) q[0];
ry(b) q[0];
c[0] = measure q[0];
"""

SIX_QUBITS = """OPENQASM 3.0;
include "stdgates.inc";
bit[6] c;
qubit[6] q;
h q[0];
c = measure q;
"""


def estimator(pub: list[Any], **params: Any) -> dict[str, Any]:
    return {
        "program_id": "estimator",
        "backend": "ibm_emulator_simulator",
        "params": {"pubs": [pub], "version": 2, **params},
    }


BAD_JOBS: list[tuple[str, Any, str]] = [
    (
        "no program",
        {"backend": "ibm_emulator_simulator", "params": {"pubs": [[BELL_QASM3]]}},
        "program_id",
    ),
    ("unknown program", {**sampler_job(BELL_QASM3), "program_id": "qasm3-runner"}, "sampler"),
    ("no params", {"program_id": "sampler", "backend": "ibm_emulator_simulator"}, "params"),
    ("no pubs", {"program_id": "sampler", "params": {"version": 2}}, "pubs"),
    ("empty pubs", {"program_id": "sampler", "params": {"pubs": []}}, "pubs"),
    ("pubs not a list", {"program_id": "sampler", "params": {"pubs": "x"}}, "pubs"),
    ("shots wrong type", sampler_job(BELL_QASM3, shots="ten"), "pubs[0][2]"),  # type: ignore[arg-type]
    ("shots zero", sampler_job(BELL_QASM3, shots=0), "pubs[0][2]"),
    ("too many shots", sampler_job(BELL_QASM3, shots=10**9), "maximum"),
    (
        "version 1",
        {"program_id": "sampler", "params": {"pubs": [[BELL_QASM3]], "version": 1}},
        "version",
    ),
    ("unknown field", {**sampler_job(BELL_QASM3), "colour": "red"}, "colour"),
    ("unknown option", sampler_job(BELL_QASM3, options={"turbo": True}), "turbo"),
    (
        "bad option type",
        sampler_job(BELL_QASM3, options={"default_shots": "many"}),
        "default_shots",
    ),
    ("tags not a list", {**sampler_job(BELL_QASM3), "tags": "a"}, "tags"),
    ("too many tags", {**sampler_job(BELL_QASM3), "tags": list("abcdefghi")}, "tags"),
    ("cost too big", {**sampler_job(BELL_QASM3), "cost": 99999}, "cost"),
    ("bad log level", {**sampler_job(BELL_QASM3), "log_level": "LOUD"}, "log_level"),
    ("qasm does not parse", sampler_job("OPENQASM 3.0; qubit[2] q; h q[0]; bogus;"), "parse"),
    ("circuit not a string", sampler_job(42), "pubs[0][0]"),  # type: ignore[arg-type]
    ("no measurements", sampler_job(BELL_STATE_QASM3), "measure"),
    (
        "absurdly many qubits",
        sampler_job(SIX_QUBITS.replace("qubit[6]", "qubit[5000]")),
        "pubs[0][0]: the program uses 5000 qubits; the limit (max_circuit_qubits) is 2048",
    ),
    ("unknown backend", sampler_job(BELL_QASM3, backend="ibm_nowhere"), "ibm_nowhere"),
    (
        "parameter count mismatch",
        {"program_id": "sampler", "params": {"pubs": [[PARAM_QASM, [0.1, 0.2, 0.3]]]}},
        "pubs[0][1]",
    ),
    (
        "missing parameter values",
        {"program_id": "sampler", "params": {"pubs": [[PARAM_QASM]]}},
        "pubs[0][1]",
    ),
    (
        "parameter name unknown",
        {"program_id": "sampler", "params": {"pubs": [[PARAM_QASM, {"a": 1, "z": 2}]]}},
        "pubs[0][1]",
    ),
    ("estimator pub too short", estimator([BELL_STATE_QASM3]), "pubs[0]"),
    ("observable width", estimator([BELL_STATE_QASM3, "ZZZ"]), "pubs[0][1]"),
    ("observable letters", estimator([BELL_STATE_QASM3, {"AB": 1.0}]), "pubs[0][1]"),
    ("observable coeff", estimator([BELL_STATE_QASM3, {"ZZ": "one"}]), "pubs[0][1]"),
    (
        "broadcast mismatch",
        estimator(
            [
                PARAM_QASM.replace("bit[1] c;\n", "").replace("c[0] = measure q[0];\n", ""),
                ["Z", "X", "Y"],
                [[0.1, 0.2], [0.3, 0.4]],
            ]
        ),
        "broadcast",
    ),
    ("precision negative", estimator([BELL_STATE_QASM3, "ZZ", None, -1.0]), "pubs[0][3]"),
    (
        "resilience level",
        estimator([BELL_STATE_QASM3, "ZZ"], resilience_level=5),
        "resilience_level",
    ),
]


@pytest.mark.parametrize(
    ("body", "needle"), [(b, n) for _, b, n in BAD_JOBS], ids=[i for i, _, _ in BAD_JOBS]
)
def test_bad_jobs_get_a_400_naming_the_problem(api: EmulatorClient, body: Any, needle: str) -> None:
    r = api.post("/jobs", json=body)
    assert r.status_code == 400, r.text
    error = r.json()
    assert error["status_code"] == 400
    assert error["trace"]
    message = error["errors"][0]["message"]
    assert needle in message, message
    assert error["errors"][0]["more_info"]


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"", "required"), (b"{not json", "JSON"), (b"[1, 2]", "object"), (b"null", "object")],
)
def test_unparseable_bodies(api: EmulatorClient, content: bytes, needle: str) -> None:
    r = api.post("/jobs", content=content, headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert needle in r.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"limit": "abc"}, "limit"),
        ({"offset": "first"}, "offset"),
        ({"pending": "maybe"}, "pending"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"sort": "UP"}, "sort"),
        ({"exclude_params": "2"}, "exclude_params"),
    ],
)
def test_bad_query_parameters(api: EmulatorClient, params: dict[str, Any], needle: str) -> None:
    r = api.get("/jobs", params=params)
    assert r.status_code == 400, r.text
    assert needle in r.json()["errors"][0]["message"]


def test_out_of_range_paging_falls_back_to_defaults(api: EmulatorClient) -> None:
    r = api.get("/jobs", params={"limit": 1000, "offset": -5})
    assert r.status_code == 200, r.text
    assert (r.json()["limit"], r.json()["offset"]) == (200, 0)


def test_bad_session_bodies(api: EmulatorClient) -> None:
    for body, needle in [
        ({"mode": "dedicated", "max_ttl": 0}, "max_ttl"),
        ({"mode": "dedicated", "max_ttl": "long"}, "max_ttl"),
        ({"backend": "ibm_emulator_simulator", "extra": 1}, "extra"),
    ]:
        r = api.post("/sessions", json=body)
        assert r.status_code == 400, r.text
        assert needle in r.json()["errors"][0]["message"]
    s = api.session(backend="ibm_emulator_simulator", mode="batch")
    r = api.request("PATCH", f"/sessions/{s['id']}", json={"accepting_jobs": "no"})
    assert r.status_code == 400
    assert "accepting_jobs" in r.json()["errors"][0]["message"]


def test_pubs_without_bindings_get_a_400_and_the_emulator_keeps_serving(
    api: EmulatorClient,
) -> None:
    # Parameter values of shape (0, 1): a PUB of shape (0,), which crashed Aer (and the process).
    one_param = PARAM_QASM.replace("input float[64] b;\n", "").replace("ry(b) q[0];\n", "")
    state = one_param.replace("bit[1] c;\n", "").replace("c[0] = measure q[0];\n", "")
    for body in [
        {"program_id": "sampler", "params": {"pubs": [[one_param, []]], "version": 2}},
        {"program_id": "sampler", "params": {"pubs": [[one_param, {"a": []}]], "version": 2}},
        estimator([state, "Z", []]),
        estimator([state, "Z", {"a": []}]),
    ]:
        r = api.post("/jobs", json=body)
        assert r.status_code == 400, r.text
        message = r.json()["errors"][0]["message"]
        assert "pubs[0]: the PUB has no parameter bindings" in message, message
    job_id = api.submit(
        {
            "program_id": "sampler",
            "backend": "ibm_emulator_simulator",
            "params": {"pubs": [[one_param, [0.0], 8]], "version": 2},
        }
    )
    result = api.result(job_id)
    assert result["results"][0]["data"]["c"]["samples"] == ["0x0"] * 8


def test_the_seed_and_client_payloads_are_accepted(api: EmulatorClient) -> None:
    session = api.session(backend="ibm_emulator_simulator", mode="dedicated")
    for body in [
        seed_sampler_job(session["id"]),
        seed_estimator_job(session["id"]),
        {**copy.deepcopy(OFFICIAL_CLIENT_SAMPLER_JOB), "session_id": session["id"]},
        copy.deepcopy(OFFICIAL_CLIENT_ESTIMATOR_JOB),
    ]:
        assert api.post("/jobs", json=body).status_code == 200


def _mutations(rng: random.Random, value: Any, depth: int = 0) -> Any:
    """A randomly damaged copy of a JSON value."""
    junk: list[Any] = [None, -1, 0, 1.5, "", "x", [], {}, [None], {"a": 1}, True, 10**12]
    if depth > 6 or rng.random() < 0.15:
        return rng.choice(junk)
    if isinstance(value, dict):
        out = {
            k: _mutations(rng, v, depth + 1) if rng.random() < 0.3 else v for k, v in value.items()
        }
        if out and rng.random() < 0.2:
            out.pop(rng.choice(list(out)))
        return out
    if isinstance(value, list):
        items = [_mutations(rng, v, depth + 1) if rng.random() < 0.3 else v for v in value]
        if rng.random() < 0.2:
            items.append(rng.choice(junk))
        return items
    return value


def test_damaged_payloads_never_cause_a_500(api: EmulatorClient) -> None:
    rng = random.Random(1234)
    seeds = [
        seed_sampler_job(),
        seed_estimator_job(),
        copy.deepcopy(OFFICIAL_CLIENT_ESTIMATOR_JOB),
        {k: v for k, v in OFFICIAL_CLIENT_SAMPLER_JOB.items() if k != "session_id"},
    ]
    statuses: dict[int, int] = {}
    for i in range(200):
        body = _mutations(rng, copy.deepcopy(seeds[i % len(seeds)]))
        r = api.post("/jobs", json=body)
        statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
        assert r.status_code in (200, 400, 403, 404), (json.dumps(body)[:500], r.text)
    assert statuses.get(400, 0) > 50


def test_non_strict_mode_logs_instead_of_failing() -> None:
    with EmulatorServer(EmulatorConfig(strict_responses=False)) as server:
        op = server.state.spec.by_id["get_job"]
        assert op.check_response(200, "application/json", {"id": "x"})  # a violation...
        assert server.config.strict_responses is False
