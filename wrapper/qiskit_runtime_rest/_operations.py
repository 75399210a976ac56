"""The API operations the SDK uses, each with its facts: one line per endpoint of the spec.

Calling an operation with the arguments of its generated endpoint makes a
:class:`~qiskit_runtime_rest._core.Call` (``get_job("job-1", exclude_params=True)``); mypy checks
those arguments against the generated signature. Error statuses never reach the parsers: the
transport raises typed errors first. Each generated endpoint module (and the models it uses) is
imported on the operation's first call, not with this module: the ``lambda`` in each line.

Facts (see the API reference, https://quantum.cloud.ibm.com/docs/en/api/qiskit-runtime-rest):
``POST /jobs`` and ``POST /sessions`` are not idempotent (the first has its own
reconciliation, see :mod:`qiskit_runtime_rest.primitives`), nor is ``POST /jobs/{id}/cancel``
(a second cancel answers 409); job submissions and result downloads carry large payloads.
"""

from __future__ import annotations

from qiskit_runtime_api import models
from qiskit_runtime_api.api import backends, instances, jobs, sessions, versions

from qiskit_runtime_rest._core import Operation, Returns, json_or_none, nothing, text

# sessions
create_session = Operation(
    lambda: sessions.create_session, Returns(lambda: models.Session), idempotent=False
)
get_session = Operation(lambda: sessions.get_session, Returns(lambda: models.Session))
update_session = Operation(lambda: sessions.update_session, nothing)
cancel_session = Operation(lambda: sessions.cancel_session, nothing)

# jobs
create_job = Operation(
    lambda: jobs.create_job,
    Returns(lambda: models.JobCreateResponse),
    idempotent=False,
    long=True,
)
get_job = Operation(lambda: jobs.get_job, Returns(lambda: models.Job))
list_jobs = Operation(lambda: jobs.list_jobs, Returns(lambda: models.JobList))
cancel_job = Operation(lambda: jobs.cancel_job, nothing, idempotent=False)
delete_job = Operation(lambda: jobs.delete_job, nothing)
get_job_results = Operation(
    lambda: jobs.get_job_results, json_or_none, long=True, large_answer=True
)
get_job_logs = Operation(lambda: jobs.get_job_logs, text)
get_job_metrics = Operation(lambda: jobs.get_job_metrics, Returns(lambda: models.JobMetrics))
replace_job_tags = Operation(lambda: jobs.replace_job_tags, nothing)

# backends, instance, versions
list_backends = Operation(lambda: backends.list_backends, Returns(lambda: models.BackendList))
get_backend_status = Operation(
    lambda: backends.get_backend_status, Returns(lambda: models.BackendStatus)
)
get_backend_configuration = Operation(
    lambda: backends.get_backend_configuration, Returns(lambda: models.BackendConfiguration)
)
get_backend_properties = Operation(
    lambda: backends.get_backend_properties, Returns(lambda: models.BackendProperties)
)
get_instance_usage = Operation(
    lambda: instances.get_instance_usage, Returns(lambda: models.InstanceUsage)
)
list_versions = Operation(lambda: versions.list_versions, Returns(lambda: models.VersionList))
