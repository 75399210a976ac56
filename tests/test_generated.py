"""The generated client: models keep every field of real payloads, requests carry the headers."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from qiskit_runtime_api import AuthenticatedClient, Client
from qiskit_runtime_api.api.jobs import create_job, get_job, get_job_logs, list_jobs
from qiskit_runtime_api.api.sessions import cancel_session, create_session, update_session
from qiskit_runtime_api.models import (
    CreateSessionRequest,
    EstimatorJobRequest,
    EstimatorOptions,
    EstimatorParams,
    Job,
    JobList,
    SamplerJobRequest,
    SamplerOptions,
    SamplerParams,
    Session,
    TranspilationOptions,
    TwirlingOptions,
    UpdateSessionRequest,
)

from tests import payloads

CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/abc:inst-1::"


def roundtrip(model: Any, value: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = model.from_dict(json.loads(json.dumps(value))).to_dict()
    return out


@pytest.mark.parametrize(
    ("model", "value"),
    [
        (CreateSessionRequest, payloads.SEED_SESSION),
        (CreateSessionRequest, payloads.SEED_BATCH),
        (SamplerJobRequest, payloads.seed_sampler_job("crw9s7cdbt40008jxesg")),
        (EstimatorJobRequest, payloads.seed_estimator_job("crw9s7cdbt40008jxesg")),
        (SamplerJobRequest, payloads.OFFICIAL_CLIENT_SAMPLER_JOB),
        (EstimatorJobRequest, payloads.OFFICIAL_CLIENT_ESTIMATOR_JOB),
    ],
)
def test_request_payloads_round_trip_through_models(model: Any, value: dict[str, Any]) -> None:
    assert roundtrip(model, value) == value


def test_wrong_program_id_is_rejected_by_the_model() -> None:
    with pytest.raises(ValueError, match="program_id"):
        SamplerJobRequest.from_dict(payloads.seed_estimator_job())


SESSION = {
    "id": "crw9s7cdbt40008jxesg",
    "backend_name": "ibm_fez",
    "mode": "dedicated",
    "state": "pending_inactive",
    "state_reason": None,
    "accepting_jobs": True,
    "max_ttl": 28800,
    "interactive_ttl": 60,
    "active_ttl": 28750,
    "started_at": "2026-01-01T00:00:00+00:00",
    "activated_at": "2026-01-01T00:00:05+00:00",
    "last_job_started": "2026-01-01T00:00:05+00:00",
    "last_job_completed": None,
    "closed_at": None,
    "timestamps": [{"status": "open", "timestamp": "2026-01-01T00:00:00+00:00"}],
    "user_id": "IBMid-123",
    "elapsed_time": 3.2,
}

JOB = {
    "id": "d1abc2def3ghi4jkl5mn",
    "backend": "ibm_fez",
    "program": {"id": "sampler"},
    "state": {"status": "Cancelled", "reason": "Ran too long", "reason_code": 1305},
    "status": "Cancelled - Ran too long",
    "created": "2026-01-01T00:00:00+00:00",
    "cost": 300,
    "tags": ["exp-1"],
    "session_id": "crw9s7cdbt40008jxesg",
    "user_id": "IBMid-123",
    "usage": {"qpu_charge_time_seconds": 0, "status": "complete"},
    "estimated_running_time_seconds": 1.4,
}


def test_response_models_round_trip_and_accept_unknown_states() -> None:
    assert roundtrip(Session, SESSION) == SESSION
    assert roundtrip(Job, JOB) == JOB
    page = {"jobs": [JOB], "count": 1, "limit": 200, "offset": 0}
    assert roundtrip(JobList, page) == page


def test_seed_payloads_are_expressible_without_raw_dicts() -> None:
    options = SamplerOptions(
        transpilation=TranspilationOptions(optimization_level=1),
        twirling=TwirlingOptions(enable_gates=True, enable_measure=True),
    )
    sampler = SamplerJobRequest(
        program_id="sampler",
        backend=payloads.SIMULATOR,
        hub="hub1",
        group="group1",
        project="project1",
        session_id="crw9s7cdbt40008jxesg",
        # The PUB tuple is the one deliberately free-form value (see the spec's comment).
        params=SamplerParams(pubs=[[payloads.BELL_QASM3]], version=2, options=options),
    )
    assert sampler.to_dict() == payloads.seed_sampler_job("crw9s7cdbt40008jxesg")

    estimator = EstimatorJobRequest(
        program_id="estimator",
        backend=payloads.SIMULATOR,
        hub="hub1",
        group="group1",
        project="project1",
        session_id="crw9s7cdbt40008jxesg",
        params=EstimatorParams(
            pubs=[[payloads.BELL_STATE_QASM3, ["ZZ", "XX", "YY", "IZ"]]],
            version=2,
            options=EstimatorOptions(
                transpilation=TranspilationOptions(optimization_level=1),
                twirling=TwirlingOptions(enable_gates=True, enable_measure=True),
            ),
        ),
    )
    assert estimator.to_dict() == payloads.seed_estimator_job("crw9s7cdbt40008jxesg")

    session = CreateSessionRequest(backend=payloads.SIMULATOR, instance="hub1/group1/project1")
    assert session.to_dict() == payloads.SEED_SESSION
    batch = CreateSessionRequest(
        backend=payloads.SIMULATOR, instance="hub1/group1/project1", mode="batch"
    )
    assert batch.to_dict() == payloads.SEED_BATCH


class Recorder:
    """An httpx MockTransport handler that records requests and answers like the service."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if request.method == "POST" and path.endswith("/sessions"):
            return httpx.Response(200, json=SESSION)
        if request.method == "POST" and path.endswith("/jobs"):
            return httpx.Response(200, json={"id": "job1", "backend": "ibm_emulator_5q"})
        if request.method == "GET" and path.endswith("/logs"):
            return httpx.Response(200, text="log line\n")
        if request.method == "GET" and path.endswith("/jobs"):
            return httpx.Response(200, json={"jobs": [JOB], "count": 1, "limit": 5, "offset": 0})
        if request.method == "GET":
            return httpx.Response(200, json=JOB)
        return httpx.Response(204)


def current_client(recorder: Recorder) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url="https://quantum.cloud.ibm.com/api/v1",
        token="iam-access-token",
        headers={"Service-CRN": CRN, "IBM-API-Version": "2026-04-15"},
        httpx_args={"transport": httpx.MockTransport(recorder)},
    )


def test_generated_client_sends_the_documented_headers_and_bodies() -> None:
    recorder = Recorder()
    client = current_client(recorder)
    body = SamplerJobRequest.from_dict(payloads.seed_sampler_job())

    created = create_session.sync_detailed(
        client=client, body=CreateSessionRequest(backend="ibm_emulator_5q", mode="batch")
    )
    assert isinstance(created.parsed, Session)
    assert created.parsed.state == "pending_inactive"
    job = create_job.sync_detailed(client=client, body=body, parent_job_id="parent-1")
    assert job.status_code == 200
    fetched = get_job.sync_detailed("job1", client=client, exclude_params=True)
    assert isinstance(fetched.parsed, Job)
    assert fetched.parsed.status == "Cancelled - Ran too long"
    page = list_jobs.sync_detailed(client=client, limit=5, tags=["a", "b"], pending=False)
    assert isinstance(page.parsed, JobList)
    assert get_job_logs.sync_detailed("job1", client=client).parsed == "log line\n"
    closed = update_session.sync_detailed(
        "s1", client=client, body=UpdateSessionRequest(accepting_jobs=False)
    )
    assert closed.status_code == 204
    assert cancel_session.sync_detailed("s1", client=client).status_code == 204

    for request in recorder.requests:
        assert request.headers["Authorization"] == "Bearer iam-access-token"
        assert request.headers["Service-CRN"] == CRN
        assert request.headers["IBM-API-Version"] == "2026-04-15"
        assert request.url.host == "quantum.cloud.ibm.com"
        assert request.url.path.startswith("/api/v1/")
        if request.method in ("POST", "PATCH", "PUT") and request.content:
            assert request.headers["Content-Type"] == "application/json"

    methods = [(r.method, r.url.path.removeprefix("/api/v1")) for r in recorder.requests]
    assert methods == [
        ("POST", "/sessions"),
        ("POST", "/jobs"),
        ("GET", "/jobs/job1"),
        ("GET", "/jobs"),
        ("GET", "/jobs/job1/logs"),
        ("PATCH", "/sessions/s1"),
        ("DELETE", "/sessions/s1/close"),
    ]
    post_job = recorder.requests[1]
    assert post_job.headers["Parent-Job-Id"] == "parent-1"
    assert json.loads(post_job.content) == payloads.seed_sampler_job()
    assert json.loads(recorder.requests[5].content) == {"accepting_jobs": False}
    assert recorder.requests[2].url.params["exclude_params"] == "true"
    listing = recorder.requests[3].url.params
    assert listing.get_list("tags") == ["a", "b"]
    assert listing["limit"] == "5"
    assert listing["pending"] == "false"


def test_legacy_root_and_access_token_header() -> None:
    recorder = Recorder()
    client = Client(
        base_url="https://api.quantum-computing.ibm.com/runtime",
        headers={"x-access-token": "legacy-token"},
        httpx_args={"transport": httpx.MockTransport(recorder)},
    )
    create_session.sync_detailed(
        client=client, body=CreateSessionRequest.from_dict(payloads.SEED_SESSION)
    )
    (request,) = recorder.requests
    assert request.url.path == "/runtime/sessions"
    assert request.headers["x-access-token"] == "legacy-token"
    assert "Authorization" not in request.headers
    assert json.loads(request.content) == payloads.SEED_SESSION


@pytest.mark.parametrize("count", [1, 32, "auto"])
def test_auto_or_count_options_round_trip(count: int | str) -> None:
    options = {
        "twirling": {"num_randomizations": count, "shots_per_randomization": count},
        "resilience": {
            "measure_noise_learning": {"shots_per_randomization": count},
            "pec": {"noise_gain": "auto" if isinstance(count, str) else 0.5},
            "zne": {"extrapolated_noise_factors": "auto" if isinstance(count, str) else [0, 1]},
        },
    }
    assert roundtrip(EstimatorOptions, options) == options
