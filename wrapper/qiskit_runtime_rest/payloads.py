"""Job requests of ``POST /jobs``: PUBs and options turned into the generated request models.

The SDK talks to the service only through the generated client, so this module builds the
generated ``SamplerJobRequest`` / ``EstimatorJobRequest`` / ``ExecutorJobRequest`` models
(never raw dicts); their
``to_dict()`` is exactly the documented JSON body of ``POST /jobs`` (the ``CreateJobRequest``
schema of ``spec/qiskit-runtime.yaml``; the API reference is
https://quantum.cloud.ibm.com/docs/en/api/qiskit-runtime-rest).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypedDict, TypeVar, overload

from qiskit_runtime_api import models as gm
from qiskit_runtime_api.types import UNSET, Unset

from qiskit_runtime_rest.errors import ValidationError
from qiskit_runtime_rest.jobs import is_idempotency_tag
from qiskit_runtime_rest.options import (
    MAX_TAG_LENGTH,
    MAX_TAGS,
    EstimatorOptions,
    SamplerOptions,
)
from qiskit_runtime_rest.pubs import (
    EstimatorPub,
    EstimatorPubLike,
    SamplerPub,
    SamplerPubLike,
    as_estimator_pub,
    as_sampler_pub,
)

if TYPE_CHECKING:
    from qiskit_runtime_rest.programs import EncodedProgram, ExecutorOptions, QuantumProgram

__all__ = [
    "build_estimator_request",
    "build_executor_request",
    "build_job_request",
    "build_sampler_request",
    "estimator_options_model",
    "sampler_options_model",
]

_M = TypeVar("_M", gm.SamplerOptions, gm.EstimatorOptions)
_MAX_ID_LENGTH = 100  # backend and session_id limits of the spec


def _options_model(options: SamplerOptions | EstimatorOptions, model: type[_M]) -> _M | Unset:
    """The generated options model of ``params.options``; empty options are left out."""
    params_options = options.to_params_options()
    return model.from_dict(params_options) if params_options else UNSET


def sampler_options_model(options: SamplerOptions) -> gm.SamplerOptions:
    """The generated ``SamplerOptions`` equal to ``options.to_params_options()``."""
    return gm.SamplerOptions.from_dict(options.to_params_options())


def estimator_options_model(options: EstimatorOptions) -> gm.EstimatorOptions:
    """The generated ``EstimatorOptions`` equal to ``options.to_params_options()``.

    ``resilience_level`` is left out: it belongs in ``params`` (see ``to_params_fields``).
    """
    return gm.EstimatorOptions.from_dict(options.to_params_options())


# -- PUBs -> generated PUB items ------------------------------------------------------------

# The generated PUB item unions (each PUB position is typed as the union of all positions).
_SamplerItem: TypeAlias = (
    gm.EncodedNdarray | int | list[Any] | gm.ParameterValuesType2 | gm.QpyCircuit | str | None
)
_EstimatorItem: TypeAlias = (
    gm.EncodedNdarray
    | float
    | list[Any]
    | gm.ObservablesType1
    | gm.ParameterValuesType2
    | gm.QpyCircuit
    | str
    | None
)


def _pub_head(
    pub: SamplerPub | EstimatorPub,
) -> tuple[str | gm.QpyCircuit, gm.EncodedNdarray | None]:
    """The circuit and the parameter values of a PUB, as generated models."""
    wire = pub.wire_circuit
    circuit: str | gm.QpyCircuit = (
        wire
        if isinstance(wire, str)
        else gm.QpyCircuit(field_type_="QuantumCircuit", field_value=wire["__value__"])
    )
    encoded = None if pub.parameter_values is None else pub.encoded_values()
    if encoded is None:
        return circuit, None
    return circuit, gm.EncodedNdarray(field_type_="ndarray", field_value=encoded["__value__"])


def _sampler_pub_item(pub: object) -> list[_SamplerItem]:
    """``[circuit]``, ``[circuit, values]`` or ``[circuit, values|null, shots]``."""
    if not isinstance(pub, SamplerPub):
        pub = as_sampler_pub(pub)
    circuit, values = _pub_head(pub)
    if pub.shots is not None:
        return [circuit, values, pub.shots]
    return [circuit] if values is None else [circuit, values]


def _estimator_pub_item(pub: object) -> list[_EstimatorItem]:
    """``[circuit, observables]``, then ``values|null`` and ``precision`` when set."""
    if not isinstance(pub, EstimatorPub):
        pub = as_estimator_pub(pub)
    circuit, values = _pub_head(pub)
    observables = pub.observables
    item: list[_EstimatorItem] = [
        circuit,
        gm.ObservablesType1.from_dict(observables)
        if isinstance(observables, dict)
        else observables,
    ]
    if pub.precision is not None:
        item += [values, pub.precision]
    elif values is not None:
        item.append(values)
    return item


# -- job fields -----------------------------------------------------------------------------


def _check_pubs(pubs: object) -> Sequence[Any]:
    if isinstance(pubs, str | bytes | SamplerPub | EstimatorPub) or not isinstance(pubs, Sequence):
        raise ValidationError(
            "pubs must be a list of PUBs: wrap a single PUB in a list, e.g. run([pub])"
        )
    if not pubs:
        raise ValidationError("pubs is empty: a job needs at least one PUB")
    return pubs


class _JobKwargs(TypedDict, total=False):
    """The job-body fields shared by both programs (keyword arguments of the request models)."""

    backend: str
    session_id: str
    tags: list[str]
    log_level: gm.LogLevel
    cost: int
    private: bool
    runtime: str
    hub: str
    group: str
    project: str


def _job_kwargs(
    backend: object,
    options: SamplerOptions | EstimatorOptions | ExecutorOptions | None,
    session_id: object,
    tags: Sequence[str],
    instance_hgp: object,
) -> _JobKwargs:
    """Check the job-body fields shared by every program, once (limits of the spec's
    ``CreateJobRequest``: ids of 1 to 100 characters, at most 8 tags of 1 to 86)."""
    fields = _JobKwargs()
    for name, value in (("backend", backend), ("session_id", session_id)):
        if value is None and name == "session_id":
            continue
        if not isinstance(value, str) or not 1 <= len(value) <= _MAX_ID_LENGTH:
            raise ValidationError(f"{name} must be a string of 1 to {_MAX_ID_LENGTH} characters")
        fields[name] = value  # type: ignore[literal-required]
    job = {} if options is None else options.to_job_fields()
    if isinstance(tags, str) or not isinstance(tags, Sequence):
        raise ValidationError("tags must be a list of strings")
    option_tags = job.pop("tags", [])
    all_tags = [*option_tags, *tags]
    for tag in all_tags:
        if not isinstance(tag, str) or not 1 <= len(tag) <= MAX_TAG_LENGTH:
            raise ValidationError(
                f"job tag {tag!r:.100} must be a string of 1 to {MAX_TAG_LENGTH} characters"
            )
    if len(all_tags) > MAX_TAGS:
        sdk = sum(1 for tag in tags if is_idempotency_tag(tag))
        yours = len(all_tags) - sdk
        if sdk:
            raise ValidationError(
                f"too many job tags: {yours} given ({len(option_tags)} in "
                f"options.environment.job_tags, {len(tags) - sdk} in tags=), but a job carries "
                f"at most {MAX_TAGS} and {sdk} slot is reserved for the SDK's idempotency tag "
                f"(which makes retries safe), so at most {MAX_TAGS - sdk} are yours"
            )
        raise ValidationError(
            f"a job may carry at most {MAX_TAGS} tags, got {len(all_tags)} "
            f"({len(option_tags)} from options.environment.job_tags, {len(tags)} from tags=)"
        )
    if all_tags:
        fields["tags"] = all_tags
    if instance_hgp is not None:
        hgp = instance_hgp
        if (
            not isinstance(hgp, tuple | list)
            or len(hgp) != 3
            or not all(isinstance(part, str) and part for part in hgp)
        ):
            raise ValidationError("instance_hgp must be a (hub, group, project) tuple of strings")
        fields["hub"], fields["group"], fields["project"] = hgp
    fields.update(job)  # type: ignore[typeddict-item]
    return fields


# -- the builders -----------------------------------------------------------------------------


def build_sampler_request(
    backend: str,
    pubs: Sequence[SamplerPubLike],
    options: SamplerOptions | None = None,
    *,
    session_id: str | None = None,
    tags: Sequence[str] = (),
    support_qiskit: bool | None = True,
    instance_hgp: tuple[str, str, str] | None = None,
) -> gm.SamplerJobRequest:
    """The ``POST /jobs`` body of a Sampler V2 job (see :func:`build_job_request`)."""
    if options is not None and not isinstance(options, SamplerOptions):
        raise ValidationError(f"a Sampler job takes SamplerOptions, got {type(options).__name__}")
    items: list[list[_SamplerItem]] = []
    for pub in _check_pubs(pubs):
        items.append(_sampler_pub_item(pub))
    fields = _job_kwargs(backend, options, session_id, tags, instance_hgp)
    params = gm.SamplerParams(
        pubs=items,
        version=2,
        support_qiskit=UNSET if support_qiskit is None else support_qiskit,
        options=UNSET if options is None else _options_model(options, gm.SamplerOptions),
    )
    return gm.SamplerJobRequest(program_id="sampler", params=params, **fields)


def build_estimator_request(
    backend: str,
    pubs: Sequence[EstimatorPubLike],
    options: EstimatorOptions | None = None,
    *,
    session_id: str | None = None,
    tags: Sequence[str] = (),
    support_qiskit: bool | None = True,
    instance_hgp: tuple[str, str, str] | None = None,
) -> gm.EstimatorJobRequest:
    """The ``POST /jobs`` body of an Estimator V2 job (see :func:`build_job_request`)."""
    if options is not None and not isinstance(options, EstimatorOptions):
        raise ValidationError(
            f"an Estimator job takes EstimatorOptions, got {type(options).__name__}"
        )
    items: list[list[_EstimatorItem]] = []
    for pub in _check_pubs(pubs):
        items.append(_estimator_pub_item(pub))
    fields = _job_kwargs(backend, options, session_id, tags, instance_hgp)
    level = None if options is None else options.resilience_level
    params = gm.EstimatorParams(
        pubs=items,
        version=2,
        support_qiskit=UNSET if support_qiskit is None else support_qiskit,
        resilience_level=UNSET if level is None else level,
        options=UNSET if options is None else _options_model(options, gm.EstimatorOptions),
    )
    return gm.EstimatorJobRequest(program_id="estimator", params=params, **fields)


def build_executor_request(
    backend: str,
    program: QuantumProgram | EncodedProgram,
    options: ExecutorOptions | None = None,
    *,
    session_id: str | None = None,
    tags: Sequence[str] = (),
    instance_hgp: tuple[str, str, str] | None = None,
) -> gm.ExecutorJobRequest:
    """The ``POST /jobs`` body of an executor job: ``program``'s params (schema ``v2.0``) with
    ``options`` (``params.options``, and ``max_execution_time`` as the job's ``cost``); see
    :func:`build_job_request` for the other fields."""
    from qiskit_runtime_rest.programs import EncodedProgram, ExecutorOptions, QuantumProgram

    if not isinstance(program, QuantumProgram | EncodedProgram):
        raise ValidationError(
            "an executor job takes a QuantumProgram, or an EncodedProgram for programs encoded "
            "elsewhere (EncodedProgram.from_qiskit(program) for qiskit-ibm-runtime's), got "
            f"{type(program).__name__}"
        )
    if options is not None and not isinstance(options, ExecutorOptions):
        raise ValidationError(
            f"an executor job takes ExecutorOptions, got {type(options).__name__}"
        )
    params = program.to_params(options)
    fields = _job_kwargs(backend, options, session_id, tags, instance_hgp)
    try:
        model = gm.ExecutorParams.from_dict(params)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValidationError(
            f"the program's params do not have the executor's shape ({type(exc).__name__}: "
            f"{str(exc)[:200]})"
        ) from None
    return gm.ExecutorJobRequest(program_id="executor", params=model, **fields)


@overload
def build_job_request(
    program_id: Literal["sampler"],
    backend: str,
    pubs: Sequence[SamplerPubLike],
    options: SamplerOptions | None = None,
    *,
    session_id: str | None = None,
    tags: Sequence[str] = (),
    support_qiskit: bool | None = True,
    instance_hgp: tuple[str, str, str] | None = None,
) -> gm.SamplerJobRequest: ...


@overload
def build_job_request(
    program_id: Literal["estimator"],
    backend: str,
    pubs: Sequence[EstimatorPubLike],
    options: EstimatorOptions | None = None,
    *,
    session_id: str | None = None,
    tags: Sequence[str] = (),
    support_qiskit: bool | None = True,
    instance_hgp: tuple[str, str, str] | None = None,
) -> gm.EstimatorJobRequest: ...


@overload
def build_job_request(
    program_id: Literal["executor"],
    backend: str,
    pubs: QuantumProgram | EncodedProgram,
    options: ExecutorOptions | None = None,
    *,
    session_id: str | None = None,
    tags: Sequence[str] = (),
    support_qiskit: bool | None = True,
    instance_hgp: tuple[str, str, str] | None = None,
) -> gm.ExecutorJobRequest: ...


@overload
def build_job_request(
    program_id: Literal["sampler", "estimator", "executor"],
    backend: str,
    pubs: Any,
    options: SamplerOptions | EstimatorOptions | None = None,
    *,
    session_id: str | None = None,
    tags: Sequence[str] = (),
    support_qiskit: bool | None = True,
    instance_hgp: tuple[str, str, str] | None = None,
) -> gm.SamplerJobRequest | gm.EstimatorJobRequest | gm.ExecutorJobRequest: ...


def build_job_request(
    program_id: Literal["sampler", "estimator", "executor"],
    backend: str,
    pubs: Any,
    options: Any = None,
    *,
    session_id: str | None = None,
    tags: Sequence[str] = (),
    support_qiskit: bool | None = True,
    instance_hgp: tuple[str, str, str] | None = None,
) -> gm.SamplerJobRequest | gm.EstimatorJobRequest | gm.ExecutorJobRequest:
    """The generated request model of a job, ready for the generated ``create_job``.

    ``pubs`` may hold PUB objects or PUB-like tuples (coerced as qiskit's primitives do); for
    the executor program it is the program (see :func:`build_executor_request`;
    ``support_qiskit`` does not apply).
    ``tags`` are added after ``options.environment.job_tags`` (the SDK core passes its own
    idempotency tag here); the final list is checked against the service's limits (at most
    8 tags of 1 to 86 characters). ``support_qiskit=None`` leaves the key out (the seed
    documentation's payloads omit it); ``instance_hgp`` fills the legacy ``hub``/``group``/
    ``project`` fields. Options left unset are not sent; an empty ``options`` is left out.
    """
    common: dict[str, Any] = {
        "session_id": session_id,
        "tags": tags,
        "support_qiskit": support_qiskit,
        "instance_hgp": instance_hgp,
    }
    if program_id == "sampler":
        return build_sampler_request(backend, pubs, options, **common)
    if program_id == "estimator":
        return build_estimator_request(backend, pubs, options, **common)
    if program_id == "executor":
        del common["support_qiskit"]
        return build_executor_request(backend, pubs, options, **common)
    raise ValidationError(
        f"program_id must be 'sampler', 'estimator' or 'executor', got {program_id!r}"
    )
