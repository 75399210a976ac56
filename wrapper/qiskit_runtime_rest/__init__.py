"""qiskit-runtime-rest: a typed, lightweight SDK for the Qiskit Runtime REST API.

    from qiskit_runtime_rest import Runtime, SamplerPub

    with Runtime.local() as rt:                       # or Runtime.from_env(), Runtime(token=...)
        job = rt.sampler("ibm_emulator_simulator").run([SamplerPub(bell_qasm, shots=1000)])
        print(job.result()[0].data.meas.get_counts())

Importing the package is cheap: only the error classes load eagerly; every other name (and with
it httpx, numpy or the generated client) is imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from qiskit_runtime_rest.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BackendNotFoundError,
    BadRequestError,
    ConflictError,
    ErrorDetail,
    FrozenOptionsError,
    JobCancelledError,
    JobError,
    JobFailedError,
    JobTimeoutError,
    MalformedResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTooLargeError,
    ResultDecodeError,
    RuntimeRestError,
    ServerError,
    ValidationError,
)

if TYPE_CHECKING:
    from qiskit_runtime_rest.accounts import Account
    from qiskit_runtime_rest.backends import AsyncBackend, Backend
    from qiskit_runtime_rest.client import DEFAULT_API_VERSION, AsyncRuntime, Runtime
    from qiskit_runtime_rest.jobs import (
        DEFAULT_WAIT_TIMEOUT,
        AsyncExecutorJob,
        AsyncJob,
        ExecutorJob,
        Job,
    )
    from qiskit_runtime_rest.modes import AsyncBatch, AsyncSession, Batch, Session
    from qiskit_runtime_rest.options import (
        DynamicalDecouplingOptions,
        EnvironmentOptions,
        EstimatorOptions,
        ExecutionOptions,
        LayerNoiseLearningOptions,
        MeasureNoiseLearningOptions,
        PecOptions,
        ResilienceOptions,
        SamplerOptions,
        SimulatorOptions,
        TranspilationOptions,
        TwirlingOptions,
        ZneOptions,
    )
    from qiskit_runtime_rest.polling import PollSchedule
    from qiskit_runtime_rest.primitives import (
        AsyncEstimator,
        AsyncExecutor,
        AsyncSampler,
        Estimator,
        Executor,
        Sampler,
    )
    from qiskit_runtime_rest.programs import (
        CircuitItem,
        EncodedProgram,
        ExecutorOptions,
        ItemResult,
        QuantumProgram,
        QuantumProgramResult,
    )
    from qiskit_runtime_rest.pubs import EstimatorPub, SamplerPub
    from qiskit_runtime_rest.results import (
        BitArray,
        DataBin,
        DoubleSliceSpan,
        ExecutionSpans,
        PrimitiveResult,
        PubResult,
        SamplerPubResult,
    )
    from qiskit_runtime_rest.retry import RetryPolicy
    from qiskit_runtime_rest.transport import Timeouts
    from qiskit_runtime_rest.views import (
        ApiVersion,
        BackendConfiguration,
        BackendInfo,
        BackendProperties,
        BackendStatus,
        GateProperties,
        InstanceUsage,
        JobDetails,
        JobMetrics,
        JobUsage,
        Nduv,
        QubitProperties,
        SessionDetails,
    )

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "Account": "accounts",
    "Backend": "backends",
    "AsyncBackend": "backends",
    "Runtime": "client",
    "AsyncRuntime": "client",
    "DEFAULT_API_VERSION": "client",
    "Job": "jobs",
    "AsyncJob": "jobs",
    "DEFAULT_WAIT_TIMEOUT": "jobs",
    "ExecutorJob": "jobs",
    "AsyncExecutorJob": "jobs",
    "Session": "modes",
    "Batch": "modes",
    "AsyncSession": "modes",
    "AsyncBatch": "modes",
    "Sampler": "primitives",
    "Estimator": "primitives",
    "AsyncSampler": "primitives",
    "AsyncEstimator": "primitives",
    "Executor": "primitives",
    "AsyncExecutor": "primitives",
    "CircuitItem": "programs",
    "EncodedProgram": "programs",
    "ExecutorOptions": "programs",
    "ItemResult": "programs",
    "QuantumProgram": "programs",
    "QuantumProgramResult": "programs",
    "SamplerPub": "pubs",
    "EstimatorPub": "pubs",
    "SamplerOptions": "options",
    "EstimatorOptions": "options",
    "DynamicalDecouplingOptions": "options",
    "EnvironmentOptions": "options",
    "ExecutionOptions": "options",
    "LayerNoiseLearningOptions": "options",
    "MeasureNoiseLearningOptions": "options",
    "PecOptions": "options",
    "ResilienceOptions": "options",
    "SimulatorOptions": "options",
    "TranspilationOptions": "options",
    "TwirlingOptions": "options",
    "ZneOptions": "options",
    "PrimitiveResult": "results",
    "PubResult": "results",
    "SamplerPubResult": "results",
    "DataBin": "results",
    "BitArray": "results",
    "DoubleSliceSpan": "results",
    "ExecutionSpans": "results",
    "ApiVersion": "views",
    "BackendConfiguration": "views",
    "BackendInfo": "views",
    "BackendProperties": "views",
    "BackendStatus": "views",
    "GateProperties": "views",
    "InstanceUsage": "views",
    "JobDetails": "views",
    "JobMetrics": "views",
    "JobUsage": "views",
    "Nduv": "views",
    "QubitProperties": "views",
    "SessionDetails": "views",
    "PollSchedule": "polling",
    "RetryPolicy": "retry",
    "Timeouts": "transport",
}

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_WAIT_TIMEOUT",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "Account",
    "ApiVersion",
    "AsyncBackend",
    "AsyncBatch",
    "AsyncEstimator",
    "AsyncExecutor",
    "AsyncExecutorJob",
    "AsyncJob",
    "AsyncRuntime",
    "AsyncSampler",
    "AsyncSession",
    "AuthenticationError",
    "Backend",
    "BackendConfiguration",
    "BackendInfo",
    "BackendNotFoundError",
    "BackendProperties",
    "BackendStatus",
    "BadRequestError",
    "Batch",
    "BitArray",
    "CircuitItem",
    "ConflictError",
    "DataBin",
    "DoubleSliceSpan",
    "DynamicalDecouplingOptions",
    "EncodedProgram",
    "EnvironmentOptions",
    "ErrorDetail",
    "Estimator",
    "EstimatorOptions",
    "EstimatorPub",
    "ExecutionOptions",
    "ExecutionSpans",
    "Executor",
    "ExecutorJob",
    "ExecutorOptions",
    "FrozenOptionsError",
    "GateProperties",
    "InstanceUsage",
    "ItemResult",
    "Job",
    "JobCancelledError",
    "JobDetails",
    "JobError",
    "JobFailedError",
    "JobMetrics",
    "JobTimeoutError",
    "JobUsage",
    "LayerNoiseLearningOptions",
    "MalformedResponseError",
    "MeasureNoiseLearningOptions",
    "Nduv",
    "NotFoundError",
    "PecOptions",
    "PermissionDeniedError",
    "PollSchedule",
    "PrimitiveResult",
    "PubResult",
    "QuantumProgram",
    "QuantumProgramResult",
    "QubitProperties",
    "RateLimitError",
    "RequestTooLargeError",
    "ResilienceOptions",
    "ResultDecodeError",
    "RetryPolicy",
    "Runtime",
    "RuntimeRestError",
    "Sampler",
    "SamplerOptions",
    "SamplerPub",
    "SamplerPubResult",
    "ServerError",
    "Session",
    "SessionDetails",
    "SimulatorOptions",
    "Timeouts",
    "TranspilationOptions",
    "TwirlingOptions",
    "ValidationError",
    "ZneOptions",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'qiskit_runtime_rest' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"qiskit_runtime_rest.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    # The public names only: no typing helpers or imported modules in tab completion.
    return sorted(__all__)
