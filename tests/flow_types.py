"""What flows receive is typed: ``mypy --strict`` checks this file (``tests/test_flows.py``).

Every step the SDK's flows take is a ``result = yield from <call or flow>``; here each kind of
step is taken once and its result's type asserted, for every operation and every flow. A step
that received ``Any`` would fail ``assert_type``. Nothing here runs.
"""

from __future__ import annotations

from typing import Any, assert_type

from qiskit_runtime_api.models import (
    BackendConfiguration,
    BackendList,
    BackendProperties,
    BackendStatus,
    CreateSessionRequest,
    ExecutorJobRequest,
    InstanceUsage,
    JobCreateResponse,
    JobList,
    JobMetrics,
    ReplaceJobTagsRequest,
    SamplerJobRequest,
    Session,
    UpdateSessionRequest,
    VersionList,
)
from qiskit_runtime_api.models import Job as JobModel
from qiskit_runtime_rest import _operations as ops
from qiskit_runtime_rest._core import Call, Flow, Sleep
from qiskit_runtime_rest.jobs import (
    Cursor,
    JobPage,
    JobQuery,
    Pacer,
    result_flow,
    tags_flow,
    update_tags_flow,
    wait_all_flow,
    wait_flow,
)
from qiskit_runtime_rest.primitives import Submitted, submit_flow
from qiskit_runtime_rest.programs import QuantumProgramResult, decode_program_result
from qiskit_runtime_rest.results import PrimitiveResult
from qiskit_runtime_rest.retry import RetryPolicy


def operation_steps(body: SamplerJobRequest) -> Flow[None]:
    """Each operation, as a flow step."""
    assert_type(ops.get_job("j"), Call[JobModel])
    created = yield from ops.create_job(body=body)
    assert_type(created, JobCreateResponse)
    job = yield from ops.get_job("j", exclude_params=True)
    assert_type(job, JobModel)
    jobs = yield from ops.list_jobs(limit=2, offset=0, tags=["t"])
    assert_type(jobs, JobList)
    payload = yield from ops.get_job_results("j")
    assert_type(payload, dict[str, Any] | None)
    logs = yield from ops.get_job_logs("j")
    assert_type(logs, str)
    metrics = yield from ops.get_job_metrics("j")
    assert_type(metrics, JobMetrics)
    assert_type((yield from ops.cancel_job("j")), None)
    assert_type((yield from ops.delete_job("j")), None)
    tags = ReplaceJobTagsRequest(tags=["t"])
    assert_type((yield from ops.replace_job_tags("j", body=tags)), None)
    session = yield from ops.create_session(body=CreateSessionRequest(backend="b", mode="batch"))
    assert_type(session, Session)
    assert_type((yield from ops.get_session("s")), Session)
    closing = UpdateSessionRequest(accepting_jobs=False)
    assert_type((yield from ops.update_session("s", body=closing)), None)
    assert_type((yield from ops.cancel_session("s")), None)
    assert_type((yield from ops.list_backends()), BackendList)
    assert_type((yield from ops.get_backend_status("b")), BackendStatus)
    assert_type((yield from ops.get_backend_configuration("b")), BackendConfiguration)
    assert_type((yield from ops.get_backend_properties("b")), BackendProperties)
    assert_type((yield from ops.get_instance_usage()), InstanceUsage)
    assert_type((yield from ops.list_versions()), VersionList)
    assert_type((yield from Sleep(1.0)), None)


def flow_steps(body: SamplerJobRequest, program: ExecutorJobRequest, pacer: Pacer) -> Flow[None]:
    """Each flow, as a step of a larger flow (``yield from``)."""
    submitted = yield from submit_flow(body, "tag", RetryPolicy(), pacer.clock, None)
    assert_type(submitted, Submitted)
    submitted = yield from submit_flow(program, "tag", RetryPolicy(), pacer.clock, None)
    assert_type(submitted, Submitted)
    model = yield from wait_flow("j", pacer)
    assert_type(model, JobModel)
    result = yield from result_flow("j", pacer)
    assert_type(result, PrimitiveResult)
    decoded = yield from result_flow("j", pacer, None, decode_program_result)
    assert_type(decoded, QuantumProgramResult)
    statuses = yield from wait_all_flow(["j"], pacer)
    assert_type(statuses, list[str])
    tags = yield from tags_flow("j")
    assert_type(tags, list[str])
    assert_type((yield from update_tags_flow("j", ["t"])), None)
    page = yield from JobQuery(limit=5).page(Cursor())
    assert_type(page, JobPage)
    assert_type(page.next, Cursor | None)
