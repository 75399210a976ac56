"""Contract: schemathesis fuzzes every operation of the spec against a running emulator.

Each operation of ``spec/qiskit-runtime.yaml`` is called with generated requests (the spec's
examples, schemathesis' coverage cases, then Hypothesis-generated valid *and* invalid data),
authenticated like the SDK (IAM bearer token from the emulator, ``Service-CRN``,
``IBM-API-Version``), and every answer must:

* never be a 5xx (``not_a_server_error``; the emulator runs in strict mode, where a response that
  violates the spec is turned into a 500 that names the violation);
* have a documented status, content type, headers and body (``status_code_conformance``,
  ``content_type_conformance``, ``response_headers_conformance``,
  ``response_schema_conformance``);
* reject invalid data with a 4xx (``negative_data_rejection``) and refuse to act without
  credentials (``ignored_auth``).

The fuzzer gets an emulator of its own (its jobs and sessions run there). Generated job bodies
may ask for a lot of work; :func:`bound_work` caps shots (of PUBs, jobs and executor programs)
and the emulator's delay knob, so that no operation needs to be skipped. ``max_examples`` is 15
per operation in the default run and 150 under ``-m slow``; the figures (operations, cases by
phase and mode, statuses, executor bodies) are printed at the end of the module (``pytest -s``)
and checked for coverage.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.server import EmulatorServer
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)

from tests.spec_schema import SPEC_PATH, load_spec

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]
BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; '
    "h q[0]; cx q[0], q[1]; meas = measure q;"
)
MAX_SHOTS = 1000  # per PUB and per job default: enough to exercise the executor, cheap to run
MAX_DELAY = 0.05  # the emulator's delay knob, in seconds


def make_schema(*modes: schemathesis.GenerationMode) -> Any:
    loaded = schemathesis.openapi.from_path(SPEC_PATH)
    # Requests carry the emulator's real credentials (see _run): generated values for the
    # security schemes would only be refused (ignored_auth checks requests without credentials).
    loaded.config.generation.update(
        modes=list(modes or (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)),
        with_security_parameters=False,
    )
    return loaded


schema = make_schema()

# operation -> Counter of "phase/mode" and "status NNN"
STATS: defaultdict[str, Counter[str]] = defaultdict(Counter)
# POST /jobs cases with an executor body (program_id executor): "mode" and "status NNN"
EXECUTOR: Counter[str] = Counter()


def operations() -> list[str]:
    spec = load_spec()
    methods = {"get", "put", "post", "delete", "patch"}
    return [
        f"{m.upper()} {path}" for path, item in spec["paths"].items() for m in item if m in methods
    ]


def bound_work(case: schemathesis.Case) -> None:
    """Cap what a generated job asks the emulator to do (shots, delays); types are untouched."""
    body = case.body
    if case.method != "POST" or case.path != "/jobs" or not isinstance(body, dict):
        return
    params = body.get("params")
    if not isinstance(params, dict):
        return

    def cap(container: dict[str, Any] | list[Any], key: Any, limit: float) -> None:
        value = container[key]
        if isinstance(value, int | float) and not isinstance(value, bool) and value > limit:
            container[key] = type(value)(limit)

    if "shots" in params:
        cap(params, "shots", MAX_SHOTS)
    options = params.get("options")
    if isinstance(options, dict):
        if "default_shots" in options:
            cap(options, "default_shots", MAX_SHOTS)
        experimental = options.get("experimental")
        knobs = experimental.get("emulator") if isinstance(experimental, dict) else None
        if isinstance(knobs, dict) and "delay_seconds" in knobs:
            cap(knobs, "delay_seconds", MAX_DELAY)
    pubs = params.get("pubs")
    if body.get("program_id") == "sampler" and isinstance(pubs, list):
        for pub in pubs:
            if isinstance(pub, list) and len(pub) >= 3:
                cap(pub, 2, MAX_SHOTS)
    program = params.get("quantum_program")
    if isinstance(program, dict) and "shots" in program:  # executor jobs: shots per element
        cap(program, "shots", MAX_SHOTS)


@pytest.fixture(scope="module")
def contract_emulator() -> Iterator[EmulatorServer]:
    """An emulator for the fuzzer alone (strict: a spec violation becomes a 500)."""
    config = EmulatorConfig(strict_responses=True, workers=2, test_knobs=True)
    with EmulatorServer(config) as server:
        yield server
        stats = server.stats()
    report(stats)
    assert server.state.violation_count == 0, server.state.response_violations
    assert stats["undocumented_statuses"] == {}, stats["undocumented_statuses"]


def report(stats: dict[str, Any]) -> None:
    if not STATS:
        return
    total: Counter[str] = Counter()
    print("\n== schemathesis contract run")
    for op in sorted(STATS):
        counts = STATS[op]
        total.update(counts)
        cases = sum(v for k, v in counts.items() if k.startswith("case "))
        statuses = ", ".join(
            f"{k[7:]}x{v}" for k, v in sorted(counts.items()) if k.startswith("status ")
        )
        print(f"  {op:45} {cases:5} cases   {statuses}")
    cases = sum(v for k, v in total.items() if k.startswith("case "))
    print(f"  operations fuzzed: {len(STATS)}, cases run: {cases}")
    print(f"  executor bodies among them: {dict(sorted(EXECUTOR.items()))}")
    print(
        "  by phase/mode: "
        + ", ".join(f"{k[5:]}={v}" for k, v in sorted(total.items()) if k.startswith("case "))
    )
    print(
        f"  emulator: {stats['requests']} requests, {stats['jobs']} jobs "
        f"{stats['jobs_by_status']}, {stats['sessions']} sessions, "
        f"violations {stats['response_violations']}"
    )


def _run(case: schemathesis.Case, server: EmulatorServer) -> None:
    bound_work(case)
    meta = case.meta
    phase = meta.phase.name.value if meta is not None else "explicit"
    mode = meta.generation.mode.value if meta is not None else "positive"
    op = f"{case.operation.method.upper()} {case.operation.path}"
    STATS[op][f"case {phase}/{mode}"] += 1
    response = case.call_and_validate(
        base_url=server.url, headers=server.headers(), checks=CHECKS, timeout=60
    )
    STATS[op][f"status {response.status_code}"] += 1
    if isinstance(case.body, dict) and case.body.get("program_id") == "executor":
        EXECUTOR[mode] += 1
        EXECUTOR[f"status {response.status_code}"] += 1


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_honours_the_spec(
    case: schemathesis.Case, contract_emulator: EmulatorServer
) -> None:
    _run(case, contract_emulator)


slow_schema = make_schema()


@pytest.mark.slow
@slow_schema.parametrize()
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_honours_the_spec_at_length(
    case: schemathesis.Case, contract_emulator: EmulatorServer
) -> None:
    _run(case, contract_emulator)


# -- stateful: chains of calls along the links schemathesis infers from the spec ------------------

stateful_schema = make_schema(GenerationMode.POSITIVE)
STATEFUL_CHECKS = [*CHECKS[:5], use_after_free, ensure_resource_availability]


def seed_jobs(server: EmulatorServer, count: int) -> None:
    """Real jobs for the chains to find (``GET /jobs`` links to every per-job operation): the
    fuzzer itself cannot write a circuit the emulator accepts."""
    delay = {"experimental": {"emulator": {"delay_seconds": 5}}}
    with httpx.Client(base_url=server.url, headers=server.headers()) as http:
        for i in range(count):
            params: dict[str, Any] = {"pubs": [[BELL, None, 10 + i]], "version": 2}
            if i % 2:
                params["options"] = delay  # still queued or running: cancellable
            body = {"program_id": "sampler", "backend": "ibm_emulator_simulator", "params": params}
            assert http.post("/jobs", json=body).status_code == 200


def run_stateful(server: EmulatorServer, max_examples: int, steps: int) -> set[str]:
    base: Any = stateful_schema.as_state_machine()
    headers = server.headers()
    seed_jobs(server, 6)

    class Workflow(base):  # type: ignore[misc, valid-type]
        def before_call(self, case: schemathesis.Case) -> None:
            bound_work(case)

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"base_url": server.url, "headers": headers, "timeout": 60}

        def validate_response(
            self, response: Any, case: schemathesis.Case, additional_checks: Any = None, **kw: Any
        ) -> None:
            op = f"{case.operation.method.upper()} {case.operation.path}"
            STATEFUL[op][f"status {response.status_code}"] += 1
            case.validate_response(
                response,
                checks=STATEFUL_CHECKS,
                transport_kwargs=kw or None,
                recorder=getattr(self, "recorder", None),
            )

    Workflow.run(
        settings=settings(
            max_examples=max_examples,
            stateful_step_count=steps,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            # Each step's data depends on the server's earlier answers, which a replay does not
            # reproduce: report a failure as found, without shrinking (or replaying) it.
            phases=[Phase.generate],
            database=None,
            # A fixed seed: whether random chains reach a created session or job is luck, and a
            # test that passes or fails by luck checks nothing.
            derandomize=True,
        )
    )
    calls = sum(sum(c.values()) for c in STATEFUL.values())
    ok = {op for op, c in STATEFUL.items() if any(k.startswith("status 2") for k in c)}
    print(f"\n== stateful: {calls} calls in {max_examples} scenarios; 2xx from: {sorted(ok)}")
    return ok


STATEFUL: defaultdict[str, Counter[str]] = defaultdict(Counter)


def test_stateful_chains_along_inferred_links(contract_emulator: EmulatorServer) -> None:
    """Create a session, submit into it, read the job back, tag, cancel, delete... by links."""
    ok = run_stateful(contract_emulator, max_examples=20, steps=6)
    # the chains reached operations on objects that earlier calls created or listed
    assert any("{session_id}" in op or "{job_id}" in op for op in ok), dict(STATEFUL)


@pytest.mark.slow
def test_stateful_chains_at_length(contract_emulator: EmulatorServer) -> None:
    run_stateful(contract_emulator, max_examples=100, steps=10)


def test_every_operation_was_fuzzed(contract_emulator: EmulatorServer) -> None:
    """Runs after the parametrized tests of this module: nothing was skipped or left out."""
    if not STATS:
        pytest.skip("run together with the contract tests")
    fuzzed = set(STATS)
    assert fuzzed == set(operations()), set(operations()) ^ fuzzed
    for op, counts in STATS.items():
        modes = {k.split("/")[1] for k in counts if k.startswith("case ")}
        assert modes == {"positive", "negative"}, (op, counts)
        assert any(k.startswith("status 4") for k in counts), (op, counts)  # invalid data refused
    accepted = {op for op, c in STATS.items() if any(k.startswith("status 2") for k in c)}
    # operations that need no existing object accepted generated data (jobs really ran)
    assert {"POST /jobs", "POST /sessions", "GET /jobs", "GET /backends"} <= accepted, accepted
    # the executor's request shapes were generated, valid and invalid, and refused with a 4xx
    assert EXECUTOR["positive"] > 0 and EXECUTOR["negative"] > 0, EXECUTOR
    assert any(k.startswith("status 4") for k in EXECUTOR), EXECUTOR
    assert EXECUTOR["status 200"] > 0, EXECUTOR  # and some were accepted, and ran
