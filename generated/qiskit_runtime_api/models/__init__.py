"""Contains all the data models used in inputs/outputs.

The models are imported lazily, on first access: importing the package does not import all of
them (custom template of qiskit-runtime-rest, spec/templates/models_init.py.jinja).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api_version import ApiVersion
    from .auto import Auto
    from .backend_configuration import BackendConfiguration
    from .backend_device import BackendDevice
    from .backend_device_performance_metrics import BackendDevicePerformanceMetrics
    from .backend_device_status import BackendDeviceStatus
    from .backend_list import BackendList
    from .backend_properties import BackendProperties
    from .backend_status import BackendStatus
    from .chunk_part import ChunkPart
    from .chunk_span import ChunkSpan
    from .circuit_item import CircuitItem
    from .clops import Clops
    from .create_session_request import CreateSessionRequest
    from .dynamical_decoupling_options import DynamicalDecouplingOptions
    from .dynamical_decoupling_options_extra_slack_distribution import (
        DynamicalDecouplingOptionsExtraSlackDistribution,
    )
    from .dynamical_decoupling_options_scheduling_method import (
        DynamicalDecouplingOptionsSchedulingMethod,
    )
    from .dynamical_decoupling_options_sequence_type import (
        DynamicalDecouplingOptionsSequenceType,
    )
    from .encoded_ndarray import EncodedNdarray
    from .error_container import ErrorContainer
    from .error_item import ErrorItem
    from .estimator_job_request import EstimatorJobRequest
    from .estimator_options import EstimatorOptions
    from .estimator_options_experimental import EstimatorOptionsExperimental
    from .estimator_params import EstimatorParams
    from .execution_mode import ExecutionMode
    from .execution_options import ExecutionOptions
    from .execution_options_meas_type import ExecutionOptionsMeasType
    from .executor_job_request import ExecutorJobRequest
    from .executor_options import ExecutorOptions
    from .executor_params import ExecutorParams
    from .experimental_options import ExperimentalOptions
    from .f64_tensor import F64Tensor
    from .gate_properties import GateProperties
    from .instance_usage import InstanceUsage
    from .job import Job
    from .job_create_response import JobCreateResponse
    from .job_list import JobList
    from .job_metrics import JobMetrics
    from .job_params import JobParams
    from .job_program import JobProgram
    from .job_state import JobState
    from .job_timestamps import JobTimestamps
    from .job_usage import JobUsage
    from .layer_noise_learning_options import LayerNoiseLearningOptions
    from .log_level import LogLevel
    from .meas_level import MeasLevel
    from .measure_noise_learning_options import MeasureNoiseLearningOptions
    from .named_tensors import NamedTensors
    from .nduv import Nduv
    from .observables_type_1 import ObservablesType1
    from .parameter_values_type_2 import ParameterValuesType2
    from .pauli_lindblad_map import PauliLindbladMap
    from .pec_options import PecOptions
    from .plain_primitive_result import PlainPrimitiveResult
    from .plain_primitive_result_metadata import PlainPrimitiveResultMetadata
    from .plain_pub_result import PlainPubResult
    from .plain_pub_result_data import PlainPubResultData
    from .plain_pub_result_metadata import PlainPubResultMetadata
    from .processor_type import ProcessorType
    from .qasm_3_circuits import Qasm3Circuits
    from .qpy_circuit import QpyCircuit
    from .qpy_circuits import QpyCircuits
    from .quantum_program import QuantumProgram
    from .quantum_program_item_metadata import QuantumProgramItemMetadata
    from .quantum_program_item_result import QuantumProgramItemResult
    from .quantum_program_metadata import QuantumProgramMetadata
    from .quantum_program_result import QuantumProgramResult
    from .replace_job_tags_request import ReplaceJobTagsRequest
    from .resilience_options import ResilienceOptions
    from .sampler_job_request import SamplerJobRequest
    from .sampler_options import SamplerOptions
    from .sampler_options_experimental import SamplerOptionsExperimental
    from .sampler_params import SamplerParams
    from .samplex import Samplex
    from .samplex_arguments import SamplexArguments
    from .samplex_item import SamplexItem
    from .scheduler_timing import SchedulerTiming
    from .session import Session
    from .session_message import SessionMessage
    from .session_timestamp import SessionTimestamp
    from .simulator_options import SimulatorOptions
    from .simulator_options_noise_model_type_0 import SimulatorOptionsNoiseModelType0
    from .sort_order import SortOrder
    from .stretch_value import StretchValue
    from .tensor import Tensor
    from .tensor_dtype import TensorDtype
    from .transpilation_options import TranspilationOptions
    from .twirling_options import TwirlingOptions
    from .twirling_options_strategy import TwirlingOptionsStrategy
    from .typed_primitive_result import TypedPrimitiveResult
    from .typed_primitive_result_value import TypedPrimitiveResultValue
    from .typed_primitive_result_value_metadata import TypedPrimitiveResultValueMetadata
    from .typed_primitive_result_value_pub_results_item import (
        TypedPrimitiveResultValuePubResultsItem,
    )
    from .update_session_request import UpdateSessionRequest
    from .usage_period import UsagePeriod
    from .version_list import VersionList
    from .wait_time import WaitTime
    from .zne_extrapolator import ZneExtrapolator
    from .zne_options import ZneOptions
    from .zne_options_amplifier import ZneOptionsAmplifier

_MODULES: dict[str, str] = {
    "ApiVersion": ".api_version",
    "Auto": ".auto",
    "BackendConfiguration": ".backend_configuration",
    "BackendDevice": ".backend_device",
    "BackendDevicePerformanceMetrics": ".backend_device_performance_metrics",
    "BackendDeviceStatus": ".backend_device_status",
    "BackendList": ".backend_list",
    "BackendProperties": ".backend_properties",
    "BackendStatus": ".backend_status",
    "ChunkPart": ".chunk_part",
    "ChunkSpan": ".chunk_span",
    "CircuitItem": ".circuit_item",
    "Clops": ".clops",
    "CreateSessionRequest": ".create_session_request",
    "DynamicalDecouplingOptions": ".dynamical_decoupling_options",
    "DynamicalDecouplingOptionsExtraSlackDistribution": ".dynamical_decoupling_options_extra_slack_distribution",
    "DynamicalDecouplingOptionsSchedulingMethod": ".dynamical_decoupling_options_scheduling_method",
    "DynamicalDecouplingOptionsSequenceType": ".dynamical_decoupling_options_sequence_type",
    "EncodedNdarray": ".encoded_ndarray",
    "ErrorContainer": ".error_container",
    "ErrorItem": ".error_item",
    "EstimatorJobRequest": ".estimator_job_request",
    "EstimatorOptions": ".estimator_options",
    "EstimatorOptionsExperimental": ".estimator_options_experimental",
    "EstimatorParams": ".estimator_params",
    "ExecutionMode": ".execution_mode",
    "ExecutionOptions": ".execution_options",
    "ExecutionOptionsMeasType": ".execution_options_meas_type",
    "ExecutorJobRequest": ".executor_job_request",
    "ExecutorOptions": ".executor_options",
    "ExecutorParams": ".executor_params",
    "ExperimentalOptions": ".experimental_options",
    "F64Tensor": ".f64_tensor",
    "GateProperties": ".gate_properties",
    "InstanceUsage": ".instance_usage",
    "Job": ".job",
    "JobCreateResponse": ".job_create_response",
    "JobList": ".job_list",
    "JobMetrics": ".job_metrics",
    "JobParams": ".job_params",
    "JobProgram": ".job_program",
    "JobState": ".job_state",
    "JobTimestamps": ".job_timestamps",
    "JobUsage": ".job_usage",
    "LayerNoiseLearningOptions": ".layer_noise_learning_options",
    "LogLevel": ".log_level",
    "MeasLevel": ".meas_level",
    "MeasureNoiseLearningOptions": ".measure_noise_learning_options",
    "NamedTensors": ".named_tensors",
    "Nduv": ".nduv",
    "ObservablesType1": ".observables_type_1",
    "ParameterValuesType2": ".parameter_values_type_2",
    "PauliLindbladMap": ".pauli_lindblad_map",
    "PecOptions": ".pec_options",
    "PlainPrimitiveResult": ".plain_primitive_result",
    "PlainPrimitiveResultMetadata": ".plain_primitive_result_metadata",
    "PlainPubResult": ".plain_pub_result",
    "PlainPubResultData": ".plain_pub_result_data",
    "PlainPubResultMetadata": ".plain_pub_result_metadata",
    "ProcessorType": ".processor_type",
    "Qasm3Circuits": ".qasm_3_circuits",
    "QpyCircuit": ".qpy_circuit",
    "QpyCircuits": ".qpy_circuits",
    "QuantumProgram": ".quantum_program",
    "QuantumProgramItemMetadata": ".quantum_program_item_metadata",
    "QuantumProgramItemResult": ".quantum_program_item_result",
    "QuantumProgramMetadata": ".quantum_program_metadata",
    "QuantumProgramResult": ".quantum_program_result",
    "ReplaceJobTagsRequest": ".replace_job_tags_request",
    "ResilienceOptions": ".resilience_options",
    "SamplerJobRequest": ".sampler_job_request",
    "SamplerOptions": ".sampler_options",
    "SamplerOptionsExperimental": ".sampler_options_experimental",
    "SamplerParams": ".sampler_params",
    "Samplex": ".samplex",
    "SamplexArguments": ".samplex_arguments",
    "SamplexItem": ".samplex_item",
    "SchedulerTiming": ".scheduler_timing",
    "Session": ".session",
    "SessionMessage": ".session_message",
    "SessionTimestamp": ".session_timestamp",
    "SimulatorOptions": ".simulator_options",
    "SimulatorOptionsNoiseModelType0": ".simulator_options_noise_model_type_0",
    "SortOrder": ".sort_order",
    "StretchValue": ".stretch_value",
    "Tensor": ".tensor",
    "TensorDtype": ".tensor_dtype",
    "TranspilationOptions": ".transpilation_options",
    "TwirlingOptions": ".twirling_options",
    "TwirlingOptionsStrategy": ".twirling_options_strategy",
    "TypedPrimitiveResult": ".typed_primitive_result",
    "TypedPrimitiveResultValue": ".typed_primitive_result_value",
    "TypedPrimitiveResultValueMetadata": ".typed_primitive_result_value_metadata",
    "TypedPrimitiveResultValuePubResultsItem": ".typed_primitive_result_value_pub_results_item",
    "UpdateSessionRequest": ".update_session_request",
    "UsagePeriod": ".usage_period",
    "VersionList": ".version_list",
    "WaitTime": ".wait_time",
    "ZneExtrapolator": ".zne_extrapolator",
    "ZneOptions": ".zne_options",
    "ZneOptionsAmplifier": ".zne_options_amplifier",
}

__all__ = (
    "ApiVersion",
    "Auto",
    "BackendConfiguration",
    "BackendDevice",
    "BackendDevicePerformanceMetrics",
    "BackendDeviceStatus",
    "BackendList",
    "BackendProperties",
    "BackendStatus",
    "ChunkPart",
    "ChunkSpan",
    "CircuitItem",
    "Clops",
    "CreateSessionRequest",
    "DynamicalDecouplingOptions",
    "DynamicalDecouplingOptionsExtraSlackDistribution",
    "DynamicalDecouplingOptionsSchedulingMethod",
    "DynamicalDecouplingOptionsSequenceType",
    "EncodedNdarray",
    "ErrorContainer",
    "ErrorItem",
    "EstimatorJobRequest",
    "EstimatorOptions",
    "EstimatorOptionsExperimental",
    "EstimatorParams",
    "ExecutionMode",
    "ExecutionOptions",
    "ExecutionOptionsMeasType",
    "ExecutorJobRequest",
    "ExecutorOptions",
    "ExecutorParams",
    "ExperimentalOptions",
    "F64Tensor",
    "GateProperties",
    "InstanceUsage",
    "Job",
    "JobCreateResponse",
    "JobList",
    "JobMetrics",
    "JobParams",
    "JobProgram",
    "JobState",
    "JobTimestamps",
    "JobUsage",
    "LayerNoiseLearningOptions",
    "LogLevel",
    "MeasLevel",
    "MeasureNoiseLearningOptions",
    "NamedTensors",
    "Nduv",
    "ObservablesType1",
    "ParameterValuesType2",
    "PauliLindbladMap",
    "PecOptions",
    "PlainPrimitiveResult",
    "PlainPrimitiveResultMetadata",
    "PlainPubResult",
    "PlainPubResultData",
    "PlainPubResultMetadata",
    "ProcessorType",
    "Qasm3Circuits",
    "QpyCircuit",
    "QpyCircuits",
    "QuantumProgram",
    "QuantumProgramItemMetadata",
    "QuantumProgramItemResult",
    "QuantumProgramMetadata",
    "QuantumProgramResult",
    "ReplaceJobTagsRequest",
    "ResilienceOptions",
    "SamplerJobRequest",
    "SamplerOptions",
    "SamplerOptionsExperimental",
    "SamplerParams",
    "Samplex",
    "SamplexArguments",
    "SamplexItem",
    "SchedulerTiming",
    "Session",
    "SessionMessage",
    "SessionTimestamp",
    "SimulatorOptions",
    "SimulatorOptionsNoiseModelType0",
    "SortOrder",
    "StretchValue",
    "Tensor",
    "TensorDtype",
    "TranspilationOptions",
    "TwirlingOptions",
    "TwirlingOptionsStrategy",
    "TypedPrimitiveResult",
    "TypedPrimitiveResultValue",
    "TypedPrimitiveResultValueMetadata",
    "TypedPrimitiveResultValuePubResultsItem",
    "UpdateSessionRequest",
    "UsagePeriod",
    "VersionList",
    "WaitTime",
    "ZneExtrapolator",
    "ZneOptions",
    "ZneOptionsAmplifier",
)


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
