"""The emulator's IAM token exchange, credential checks and instance isolation (plain httpx)."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import jwt
import pytest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.server import EmulatorServer

from tests.conftest import EmulatorClient, client_for, sampler_job
from tests.payloads import BELL_QASM3

GRANT = "urn:ibm:params:oauth:grant-type:apikey"
SECOND_KEY = "emulator-api-key-2"


def token(server: EmulatorServer, api_key: str) -> httpx.Response:
    return httpx.post(
        f"{server.iam_url}/identity/token",
        data={"grant_type": GRANT, "apikey": api_key, "response_type": "cloud_iam"},
        headers={"Accept": "application/json"},
    )


def test_token_exchange_returns_a_jwt(emulator: EmulatorServer) -> None:
    r = token(emulator, emulator.api_key)
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert body["refresh_token"] == "not_supported"
    assert body["scope"] == "ibm_openid"
    assert body["expires_in"] == 3600
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 3600
    assert abs(body["expiration"] - claims["exp"]) <= 1
    assert claims["sub"]
    assert emulator.crn in claims["instances"]


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"grant_type": GRANT, "apikey": "no-such-key"}, "BXNIM0415E"),
        ({"grant_type": GRANT}, "BXNIM0103E"),
        ({"grant_type": "password", "apikey": "emulator-api-key"}, "BXNIM0104E"),
    ],
)
def test_token_exchange_errors_look_like_iam(
    emulator: EmulatorServer, form: dict[str, str], code: str
) -> None:
    r = httpx.post(f"{emulator.iam_url}/identity/token", data=form)
    assert r.status_code == 400
    assert r.json()["errorCode"] == code
    assert "no-such-key" not in r.text  # keys are never echoed


def test_requests_need_credentials(emulator: EmulatorServer) -> None:
    for headers in [
        {},
        {"Authorization": "Bearer not-a-jwt", "Service-CRN": emulator.crn},
        {"Authorization": "Basic abc"},
        {"x-access-token": "wrong"},
        {"Authorization": "apikey wrong", "Service-CRN": emulator.crn},
    ]:
        r = httpx.get(f"{emulator.url}/jobs", headers=headers)
        assert r.status_code == 401, headers
        body = r.json()
        assert body["status_code"] == 401
        assert body["errors"][0]["message"]
        assert body["trace"]


def test_bearer_needs_a_matching_service_crn(emulator: EmulatorServer) -> None:
    bearer = {"Authorization": f"Bearer {emulator.issue_token()}"}
    assert httpx.get(f"{emulator.url}/jobs", headers=bearer).status_code == 401
    other = {**bearer, "Service-CRN": "crn:v1:bluemix:public:quantum-computing:us-east:a/x:y::"}
    r = httpx.get(f"{emulator.url}/jobs", headers=other)
    assert r.status_code == 401
    assert "Service-CRN" in r.json()["errors"][0]["message"]
    ok = {**bearer, "Service-CRN": emulator.crn}
    assert httpx.get(f"{emulator.url}/jobs", headers=ok).status_code == 200


def test_apikey_fallback_and_legacy_token(emulator: EmulatorServer) -> None:
    headers = {"Authorization": f"apikey {emulator.api_key}", "Service-CRN": emulator.crn}
    assert httpx.get(f"{emulator.url}/jobs", headers=headers).status_code == 200
    legacy = {"x-access-token": emulator.legacy_token}
    assert httpx.get(f"{emulator.legacy_url}/jobs", headers=legacy).status_code == 200
    # Later docs show the legacy token as a bearer token.
    bearer = {"Authorization": f"Bearer {emulator.legacy_token}"}
    assert httpx.get(f"{emulator.legacy_url}/jobs", headers=bearer).status_code == 200


def test_expired_token_is_rejected(make_emulator: Callable[..., EmulatorServer]) -> None:
    server = make_emulator(EmulatorConfig(token_lifetime=1))
    r = token(server, server.api_key)
    assert r.json()["expires_in"] == 1
    headers = {"Authorization": f"Bearer {r.json()['access_token']}", "Service-CRN": server.crn}
    assert httpx.get(f"{server.url}/jobs", headers=headers).status_code == 200
    time.sleep(2.1)
    r = httpx.get(f"{server.url}/jobs", headers=headers)
    assert r.status_code == 401
    assert "expired" in r.json()["errors"][0]["message"]


def test_token_of_another_server_is_rejected(
    emulator: EmulatorServer, fresh_emulator: EmulatorServer
) -> None:
    headers = {
        "Authorization": f"Bearer {fresh_emulator.issue_token()}",
        "Service-CRN": emulator.crn,
    }
    assert httpx.get(f"{emulator.url}/jobs", headers=headers).status_code == 401


def test_api_version_header_is_checked(emulator: EmulatorServer) -> None:
    headers = emulator.headers()
    for good in ["2026-04-15", "2024-01-01"]:
        r = httpx.get(f"{emulator.url}/jobs", headers={**headers, "IBM-API-Version": good})
        assert r.status_code == 200
    r = httpx.get(f"{emulator.url}/jobs", headers={**headers, "IBM-API-Version": "latest"})
    assert r.status_code == 400
    assert "IBM-API-Version" in r.json()["errors"][0]["message"]


def test_versions_need_no_auth(emulator: EmulatorServer) -> None:
    r = httpx.get(f"{emulator.url}/versions")
    assert r.status_code == 200
    versions = r.json()["versions"]
    assert any(v["status"] == "live" for v in versions)


def test_instances_are_isolated(fresh_emulator: EmulatorServer) -> None:
    one = client_for(fresh_emulator)
    two = client_for(fresh_emulator, api_key=SECOND_KEY)
    two.http.headers["Service-CRN"] = fresh_emulator.config.instances[1].crn
    try:
        session = one.session(backend="ibm_emulator_simulator", mode="batch")
        job_id = one.submit(sampler_job(BELL_QASM3, shots=10))
        one.wait(job_id)
        for path in [
            f"/jobs/{job_id}",
            f"/jobs/{job_id}/results",
            f"/jobs/{job_id}/logs",
            f"/jobs/{job_id}/metrics",
            f"/sessions/{session['id']}",
        ]:
            r = two.get(path)
            assert r.status_code == 404, path
        assert two.request("DELETE", f"/jobs/{job_id}").status_code == 404
        assert two.post(f"/jobs/{job_id}/cancel").status_code == 404
        assert two.request("PUT", f"/jobs/{job_id}/tags", json={"tags": []}).status_code == 404
        assert two.request("DELETE", f"/sessions/{session['id']}/close").status_code == 404
        r = two.post("/jobs", json=sampler_job(BELL_QASM3, shots=10, session_id=session["id"]))
        assert r.status_code == 404
        assert two.ok("GET", "/jobs")["count"] == 0
        assert one.ok("GET", "/jobs")["count"] == 1
        # The second key's token does not open the first instance.
        two.http.headers["Service-CRN"] = fresh_emulator.crn
        assert two.get("/jobs").status_code == 401
    finally:
        one.close()
        two.close()


def test_legacy_instance_must_match_the_token(legacy_api: EmulatorClient) -> None:
    r = legacy_api.post(
        "/sessions", json={"backend": "ibm_emulator_simulator", "instance": "h/g/p"}
    )
    assert r.status_code == 400
    assert "hub1/group1/project1" in r.json()["errors"][0]["message"]
    job = sampler_job(BELL_QASM3, shots=10, hub="hub1", group="other", project="project1")
    r = legacy_api.post("/jobs", json=job)
    assert r.status_code == 403
    assert "group" in r.json()["errors"][0]["message"]
