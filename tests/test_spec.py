"""The OpenAPI document: valid, complete, and faithful to the payloads it must accept."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from openapi_spec_validator import validate

from tests import payloads
from tests.spec_schema import errors, load_spec

HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    spec = load_spec()
    return [
        (path, method, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    ]


def test_spec_is_valid_openapi_31() -> None:
    spec = load_spec()
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_servers_cover_current_regional_and_legacy_roots() -> None:
    urls = [s["url"] for s in load_spec()["servers"]]
    assert "https://quantum.cloud.ibm.com/api/v1" in urls
    assert "https://{region}.quantum.cloud.ibm.com/api/v1" in urls
    assert "https://api.quantum-computing.ibm.com/runtime" in urls


def test_every_operation_has_an_id_and_exactly_one_tag() -> None:
    ids = [op["operationId"] for _, _, op in operations()]
    assert len(ids) == len(set(ids))
    for path, method, op in operations():
        assert len(op.get("tags", [])) == 1, (method, path)


@pytest.mark.parametrize(
    ("path", "method", "status"),
    [
        ("/sessions", "post", "200"),
        ("/sessions/{session_id}", "patch", "204"),
        ("/sessions/{session_id}/close", "delete", "204"),
        ("/jobs", "post", "200"),
        ("/jobs/{job_id}", "delete", "204"),
        ("/jobs/{job_id}/cancel", "post", "204"),
        ("/jobs/{job_id}/tags", "put", "204"),
        ("/jobs/{job_id}/results", "get", "204"),
    ],
)
def test_status_codes_follow_the_real_service(path: str, method: str, status: str) -> None:
    responses = load_spec()["paths"][path][method]["responses"]
    assert status in responses
    if status == "204":
        assert "content" not in responses[status]
    assert "201" not in responses


def test_security_is_declared_at_document_level_only() -> None:
    spec = load_spec()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["IBMCloudAuth"]["scheme"] == "bearer"
    assert schemes["ServiceCRN"]["name"] == "Service-CRN"
    assert schemes["LegacyAccessToken"]["name"] == "x-access-token"
    assert {"IBMCloudAuth": [], "ServiceCRN": []} in spec["security"]
    # Operation-level security would force AuthenticatedClient (and its token-leaking repr).
    for path, method, op in operations():
        assert op.get("security", None) in (None, []), (method, path)


def test_error_body_allows_string_and_numeric_codes() -> None:
    body = {"errors": [{"code": 1208, "message": "bad", "more_info": "x"}], "trace": "t"}
    assert errors("ErrorContainer", body) == []
    body["errors"][0]["code"] = "service_unavailable"
    assert errors("ErrorContainer", body) == []


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ("CreateSessionRequest", payloads.SEED_SESSION),
        ("CreateSessionRequest", payloads.SEED_BATCH),
        ("CreateSessionRequest", {"backend": "b", "mode": "dedicated", "max_ttl": 600}),
        (
            "CreateSessionRequest",
            {"mode": "dedicated", "backend": "b", "instance": "crn:v1:bluemix:x", "max_ttl": 600},
        ),
        ("CreateJobRequest", payloads.seed_sampler_job("crw9s7cdbt40008jxesg")),
        ("CreateJobRequest", payloads.seed_estimator_job("crw9s7cdbt40008jxesg")),
        ("CreateJobRequest", payloads.seed_sampler_job()),
        ("CreateJobRequest", payloads.OFFICIAL_CLIENT_SAMPLER_JOB),
        ("CreateJobRequest", payloads.OFFICIAL_CLIENT_ESTIMATOR_JOB),
        ("UpdateSessionRequest", {"accepting_jobs": False}),
    ],
)
def test_seed_and_client_payloads_validate(schema: str, value: dict[str, Any]) -> None:
    assert errors(schema, value) == []


@pytest.mark.parametrize(
    ("schema", "value", "fragment"),
    [
        ("CreateJobRequest", {"program_id": "sampler"}, "params"),
        ("CreateJobRequest", {"program_id": "qasm3-runner", "params": {"pubs": [["x"]]}}, ""),
        ("CreateJobRequest", {"program_id": "sampler", "params": {"pubs": [[]]}}, ""),
        ("CreateJobRequest", {"program_id": "sampler", "params": {"pubs": [["x", None, 0]]}}, ""),
        ("CreateSessionRequest", {"backend": "b", "mode": "exclusive"}, "exclusive"),
        ("UpdateSessionRequest", {}, "accepting_jobs"),
    ],
)
def test_invalid_payloads_are_rejected(schema: str, value: dict[str, Any], fragment: str) -> None:
    problems = errors(schema, value)
    assert problems
    assert fragment in " ".join(problems)


def test_documented_examples_validate_against_their_schemas() -> None:
    checked = 0
    for _, _, op in operations():
        content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        ref = content.get("schema", {}).get("$ref", "")
        for example in content.get("examples", {}).values():
            assert errors(ref.rsplit("/", 1)[-1], example["value"]) == []
            checked += 1
    assert checked >= 5


def test_server_owned_status_strings_are_open_sets() -> None:
    schemas = load_spec()["components"]["schemas"]
    assert "enum" not in schemas["Job"]["properties"]["status"]
    assert "enum" not in schemas["JobState"]["properties"]["status"]
    assert "enum" not in schemas["Session"]["properties"]["state"]
    assert errors("JobState", {"status": "Cancelled - Ran too long", "reason_code": 1305}) == []


def test_every_operation_has_a_generated_function() -> None:
    for path, method, op in operations():
        module = importlib.import_module(
            f"qiskit_runtime_api.api.{op['tags'][0]}.{op['operationId']}"
        )
        for name in ("sync_detailed", "asyncio_detailed"):
            assert callable(getattr(module, name)), (method, path, name)
