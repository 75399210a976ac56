"""The API operations the SDK uses, each with its facts: one line per endpoint of the spec.

Calling an operation with the arguments of its generated endpoint makes a
:class:`~qiskit_runtime_rest._core.Call` (``get_job("job-1", exclude_params=True)``); mypy checks
those arguments against the generated signature. Error statuses never reach the parsers: the
transport raises typed errors first.

Facts (see the API reference, https://quantum.cloud.ibm.com/docs/en/api/qiskit-runtime-rest):
``POST /jobs`` and ``POST /sessions`` are not idempotent (the first has its own
reconciliation, see :mod:`qiskit_runtime_rest.primitives`), nor is ``POST /jobs/{id}/cancel``
(a second cancel answers 409); job submissions and result downloads carry large payloads.
"""

from __future__ import annotations

from qiskit_runtime_api.api.backends import (
    get_backend_configuration as _get_backend_configuration,
)
from qiskit_runtime_api.api.backends import get_backend_properties as _get_backend_properties
from qiskit_runtime_api.api.backends import get_backend_status as _get_backend_status
from qiskit_runtime_api.api.backends import list_backends as _list_backends
from qiskit_runtime_api.api.instances import get_instance_usage as _get_instance_usage
from qiskit_runtime_api.api.jobs import cancel_job as _cancel_job
from qiskit_runtime_api.api.jobs import create_job as _create_job
from qiskit_runtime_api.api.jobs import delete_job as _delete_job
from qiskit_runtime_api.api.jobs import get_job as _get_job
from qiskit_runtime_api.api.jobs import get_job_logs as _get_job_logs
from qiskit_runtime_api.api.jobs import get_job_metrics as _get_job_metrics
from qiskit_runtime_api.api.jobs import get_job_results as _get_job_results
from qiskit_runtime_api.api.jobs import list_jobs as _list_jobs
from qiskit_runtime_api.api.jobs import replace_job_tags as _replace_job_tags
from qiskit_runtime_api.api.sessions import cancel_session as _cancel_session
from qiskit_runtime_api.api.sessions import create_session as _create_session
from qiskit_runtime_api.api.sessions import get_session as _get_session
from qiskit_runtime_api.api.sessions import update_session as _update_session
from qiskit_runtime_api.api.versions import list_versions as _list_versions
from qiskit_runtime_api.models import (
    BackendConfiguration,
    BackendList,
    BackendProperties,
    BackendStatus,
    InstanceUsage,
    Job,
    JobCreateResponse,
    JobList,
    JobMetrics,
    Session,
    VersionList,
)

from qiskit_runtime_rest._core import Operation, json_or_none, model, nothing, text

# sessions
create_session = Operation(
    _create_session._get_kwargs,
    model(Session, _create_session._parse_response),
    idempotent=False,
)
get_session = Operation(_get_session._get_kwargs, model(Session, _get_session._parse_response))
update_session = Operation(_update_session._get_kwargs, nothing)
cancel_session = Operation(_cancel_session._get_kwargs, nothing)

# jobs
create_job = Operation(
    _create_job._get_kwargs,
    model(JobCreateResponse, _create_job._parse_response),
    idempotent=False,
    long=True,
)
get_job = Operation(_get_job._get_kwargs, model(Job, _get_job._parse_response))
list_jobs = Operation(_list_jobs._get_kwargs, model(JobList, _list_jobs._parse_response))
cancel_job = Operation(_cancel_job._get_kwargs, nothing, idempotent=False)
delete_job = Operation(_delete_job._get_kwargs, nothing)
get_job_results = Operation(
    _get_job_results._get_kwargs, json_or_none, long=True, large_answer=True
)
get_job_logs = Operation(_get_job_logs._get_kwargs, text)
get_job_metrics = Operation(
    _get_job_metrics._get_kwargs, model(JobMetrics, _get_job_metrics._parse_response)
)
replace_job_tags = Operation(_replace_job_tags._get_kwargs, nothing)

# backends, instance, versions
list_backends = Operation(
    _list_backends._get_kwargs, model(BackendList, _list_backends._parse_response)
)
get_backend_status = Operation(
    _get_backend_status._get_kwargs, model(BackendStatus, _get_backend_status._parse_response)
)
get_backend_configuration = Operation(
    _get_backend_configuration._get_kwargs,
    model(BackendConfiguration, _get_backend_configuration._parse_response),
)
get_backend_properties = Operation(
    _get_backend_properties._get_kwargs,
    model(BackendProperties, _get_backend_properties._parse_response),
)
get_instance_usage = Operation(
    _get_instance_usage._get_kwargs, model(InstanceUsage, _get_instance_usage._parse_response)
)
list_versions = Operation(
    _list_versions._get_kwargs, model(VersionList, _list_versions._parse_response)
)
