"""Job requests of ``POST /jobs``: PUBs and options turned into the generated request models.

The SDK talks to the service only through the generated client, so this module builds the
generated ``SamplerJobRequest`` / ``EstimatorJobRequest`` models (never raw dicts); their
``to_dict()`` is exactly the documented JSON body (service facts, sections 6.1 and 8).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, TypeAlias, TypedDict, TypeVar, overload

from qiskit_runtime_api import models as gm
from qiskit_runtime_api.types import UNSET, Unset

from qiskit_runtime_rest.errors import ValidationError
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

__all__ = [
    "build_estimator_request",
    "build_job_request",
    "build_sampler_request",
    "estimator_options_model",
    "sampler_options_model",
]

_T = TypeVar("_T")
_M = TypeVar("_M", gm.SamplerOptions, gm.EstimatorOptions)
_MAX_ID_LENGTH = 100  # backend and session_id limits of the spec


def _u(value: _T | None) -> _T | Unset:
    """``None`` (unset option) -> ``UNSET`` (key left out of the generated model's dict)."""
    return UNSET if value is None else value


# -- options -> generated option models ----------------------------------------------------------


def _options_model(params_options: dict[str, Any], model: type[_M]) -> _M | Unset:
    """The generated options model of ``params.options``; an empty one is left out."""
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


def _circuit_item(value: str | dict[str, str]) -> str | gm.QpyCircuit:
    if isinstance(value, str):
        return value
    return gm.QpyCircuit(field_type_="QuantumCircuit", field_value=value["__value__"])


def _values_item(value: dict[str, str] | None) -> gm.EncodedNdarray | None:
    if value is None:
        return None
    return gm.EncodedNdarray(field_type_="ndarray", field_value=value["__value__"])


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


def _sampler_pub_item(pub: SamplerPub) -> list[_SamplerItem]:
    wire = pub.to_wire()
    item: list[_SamplerItem] = [_circuit_item(wire[0])]
    if len(wire) > 1:
        item.append(_values_item(wire[1]))
    if len(wire) > 2:
        item.append(wire[2])
    return item


def _estimator_pub_item(pub: EstimatorPub) -> list[_EstimatorItem]:
    wire = pub.to_wire()
    observables = wire[1]
    item: list[_EstimatorItem] = [
        _circuit_item(wire[0]),
        gm.ObservablesType1.from_dict(observables)
        if isinstance(observables, dict)
        else observables,
    ]
    if len(wire) > 2:
        item.append(_values_item(wire[2]))
    if len(wire) > 3:
        item.append(wire[3])
    return item


# -- job fields -----------------------------------------------------------------------------


def _check_pubs(pubs: object) -> list[Any]:
    if isinstance(pubs, str | bytes | SamplerPub | EstimatorPub) or not isinstance(pubs, Sequence):
        raise ValidationError(
            "pubs must be a list of PUBs: wrap a single PUB in a list, e.g. run([pub])"
        )
    if not pubs:
        raise ValidationError("pubs is empty: a job needs at least one PUB")
    return list(pubs)


def _check_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= _MAX_ID_LENGTH:
        raise ValidationError(f"{what} must be a string of 1 to {_MAX_ID_LENGTH} characters")
    return value


def _job_tags(option_tags: list[str] | None, extra: Sequence[str]) -> list[str] | Unset:
    if isinstance(extra, str) or not isinstance(extra, Sequence):
        raise ValidationError("tags must be a list of strings")
    tags = [*(option_tags or []), *extra]
    for tag in tags:
        if not isinstance(tag, str) or not 1 <= len(tag) <= MAX_TAG_LENGTH:
            raise ValidationError(
                f"job tag {tag!r:.100} must be a string of 1 to {MAX_TAG_LENGTH} characters"
            )
    if len(tags) > MAX_TAGS:
        raise ValidationError(
            f"a job may carry at most {MAX_TAGS} tags, got {len(tags)} "
            f"({len(option_tags or [])} from options.environment.job_tags, "
            f"{len(extra)} added by the SDK or the caller)"
        )
    return tags if tags else UNSET


def _instance(hgp: object) -> tuple[str, str, str] | None:
    if hgp is None:
        return None
    if (
        not isinstance(hgp, tuple | list)
        or len(hgp) != 3
        or not all(isinstance(p, str) and p for p in hgp)
    ):
        raise ValidationError("instance_hgp must be a (hub, group, project) tuple of strings")
    return (hgp[0], hgp[1], hgp[2])


class _JobKwargs(TypedDict):
    """The job-body fields shared by both programs (keyword arguments of the request models)."""

    backend: str
    session_id: str | Unset
    tags: list[str] | Unset
    log_level: gm.LogLevel | Unset
    cost: int | Unset
    private: bool | Unset
    runtime: str | Unset
    hub: str | Unset
    group: str | Unset
    project: str | Unset


def _job_kwargs(
    backend: object,
    options: SamplerOptions | EstimatorOptions,
    session_id: object,
    tags: Sequence[str],
    instance_hgp: object,
) -> _JobKwargs:
    """Check the job-body fields shared by both programs, once."""
    job = options.to_job_fields()
    hgp = _instance(instance_hgp)
    return _JobKwargs(
        backend=_check_id(backend, "backend"),
        session_id=UNSET if session_id is None else _check_id(session_id, "session_id"),
        tags=_job_tags(job.get("tags"), tags),
        log_level=job.get("log_level", UNSET),
        cost=job.get("cost", UNSET),
        private=job.get("private", UNSET),
        runtime=job.get("runtime", UNSET),
        hub=UNSET if hgp is None else hgp[0],
        group=UNSET if hgp is None else hgp[1],
        project=UNSET if hgp is None else hgp[2],
    )


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
    if options is None:
        options = SamplerOptions()
    if not isinstance(options, SamplerOptions):
        raise ValidationError(f"a Sampler job takes SamplerOptions, got {type(options).__name__}")
    items = [_sampler_pub_item(as_sampler_pub(pub)) for pub in _check_pubs(pubs)]
    fields = _job_kwargs(backend, options, session_id, tags, instance_hgp)
    params = gm.SamplerParams(
        pubs=items,
        version=2,
        support_qiskit=_u(support_qiskit),
        options=_options_model(options.to_params_options(), gm.SamplerOptions),
    )
    return gm.SamplerJobRequest(
        program_id="sampler",
        params=params,
        **fields,
    )


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
    if options is None:
        options = EstimatorOptions()
    if not isinstance(options, EstimatorOptions):
        raise ValidationError(
            f"an Estimator job takes EstimatorOptions, got {type(options).__name__}"
        )
    items = [_estimator_pub_item(as_estimator_pub(pub)) for pub in _check_pubs(pubs)]
    fields = _job_kwargs(backend, options, session_id, tags, instance_hgp)
    params = gm.EstimatorParams(
        pubs=items,
        version=2,
        support_qiskit=_u(support_qiskit),
        resilience_level=options.to_params_fields().get("resilience_level", UNSET),
        options=_options_model(options.to_params_options(), gm.EstimatorOptions),
    )
    return gm.EstimatorJobRequest(
        program_id="estimator",
        params=params,
        **fields,
    )


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
    program_id: Literal["sampler", "estimator"],
    backend: str,
    pubs: Sequence[SamplerPubLike | EstimatorPubLike],
    options: SamplerOptions | EstimatorOptions | None = None,
    *,
    session_id: str | None = None,
    tags: Sequence[str] = (),
    support_qiskit: bool | None = True,
    instance_hgp: tuple[str, str, str] | None = None,
) -> gm.SamplerJobRequest | gm.EstimatorJobRequest: ...


def build_job_request(
    program_id: Literal["sampler", "estimator"],
    backend: str,
    pubs: Sequence[Any],
    options: Any = None,
    *,
    session_id: str | None = None,
    tags: Sequence[str] = (),
    support_qiskit: bool | None = True,
    instance_hgp: tuple[str, str, str] | None = None,
) -> gm.SamplerJobRequest | gm.EstimatorJobRequest:
    """The generated request model of a primitive job, ready for the generated ``create_job``.

    ``pubs`` may hold PUB objects or PUB-like tuples (coerced as qiskit's primitives do).
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
    raise ValidationError(f"program_id must be 'sampler' or 'estimator', got {program_id!r}")
