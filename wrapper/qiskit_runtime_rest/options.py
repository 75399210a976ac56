"""Options of the V2 Sampler and Estimator: frozen attrs classes checked at construction.

Every option defaults to ``None``, meaning *unset*: only the options you set are sent, and the
service applies its own defaults to the rest (as qiskit-ibm-runtime does). Nested options may be
given as option objects or as plain dicts; :meth:`SamplerOptions.from_dict` /
:meth:`EstimatorOptions.from_dict` read a whole ``params.options``-style dict.

Each field carries its :class:`Rule` (type, bounds, accepted strings), the constraints of the
option's schema in ``spec/qiskit-runtime.yaml`` (a test compares every rule with the spec); the
rules are applied, with the full option path in messages, when an options object is built.

Where each option goes in a job (the ``SamplerJobRequest`` / ``EstimatorJobRequest`` schemas of
the spec, and qiskit-ibm-runtime's ``options`` package, https://github.com/Qiskit/qiskit-ibm-runtime):

* ``params.options``: everything but the fields below (:meth:`to_params_options`);
* ``params.resilience_level``: ``EstimatorOptions.resilience_level`` (:meth:`to_params_fields`);
* the job body (:meth:`to_job_fields`): ``environment.log_level`` -> ``log_level``,
  ``environment.job_tags`` -> ``tags``, ``environment.private`` -> ``private``,
  ``max_execution_time`` -> ``cost``, ``experimental["image"]`` -> ``runtime``.

``experimental`` keys that name an option of ``params.options`` (e.g. ``"resilience"``) are
deep-merged into it, the rest stay under ``options.experimental``: the official client's rule.
The merged result must still be valid typed options (the API spec forbids unknown keys).
Only attrs and the standard library are imported here.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from typing import Any, ClassVar, Literal, NoReturn, Self, TypeAlias, TypeVar, cast, get_args

import attrs
from attrs import field

from qiskit_runtime_rest.errors import FrozenOptionsError, ValidationError

__all__ = [
    "MAX_EXECUTION_TIME",
    "MAX_TAGS",
    "MAX_TAG_LENGTH",
    "DynamicalDecouplingOptions",
    "EnvironmentOptions",
    "EstimatorOptions",
    "ExecutionOptions",
    "LayerNoiseLearningOptions",
    "MeasureNoiseLearningOptions",
    "PecOptions",
    "ResilienceOptions",
    "Rule",
    "SamplerOptions",
    "SimulatorOptions",
    "TranspilationOptions",
    "TwirlingOptions",
    "ZneOptions",
]

MAX_EXECUTION_TIME = 10800
"""Largest ``max_execution_time`` (the job's ``cost``) the service accepts, in seconds."""
MAX_TAGS = 8
"""Most tags a job may carry (service limit)."""
MAX_TAG_LENGTH = 86
"""Longest tag the service accepts, in characters."""

SequenceType: TypeAlias = Literal["XX", "XpXm", "XY4"]
SlackDistribution: TypeAlias = Literal["middle", "edges"]
SchedulingMethod: TypeAlias = Literal["alap", "asap"]
MeasType: TypeAlias = Literal["classified", "kerneled", "avg_kerneled"]
TwirlingStrategy: TypeAlias = Literal["active", "active-accum", "active-circuit", "all"]
Auto: TypeAlias = Literal["auto"]
ZneAmplifier: TypeAlias = Literal["gate_folding", "gate_folding_front", "gate_folding_back", "pea"]
ZneExtrapolator: TypeAlias = Literal[
    "linear",
    "exponential",
    "double_exponential",
    "polynomial_degree_1",
    "polynomial_degree_2",
    "polynomial_degree_3",
    "polynomial_degree_4",
    "polynomial_degree_5",
    "polynomial_degree_6",
    "polynomial_degree_7",
    "fallback",
]
LogLevel: TypeAlias = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

# Noise factors each ZNE extrapolator needs at least (as qiskit-ibm-runtime checks).
_ZNE_REQUIRED_FACTORS: dict[str, int] = {
    "linear": 2,
    "exponential": 2,
    "double_exponential": 4,
    "fallback": 2,
    **{f"polynomial_degree_{d}": d + 1 for d in range(1, 8)},
}
_ZNE_DEFAULT_FACTORS = (1.0, 3.0, 5.0)
_ZNE_DEFAULT_EXTRAPOLATORS = ("exponential", "linear")


_O = TypeVar("_O", bound="_Options")

# Key order of params.options as the official client builds it (dict order only; cosmetic).
_PARAMS_KEY_ORDER = (
    "default_precision",
    "default_shots",
    "seed_estimator",
    "dynamical_decoupling",
    "resilience",
    "twirling",
    "simulator",
    "execution",
    "transpilation",
    "experimental",
)


# The option path of the object under construction (e.g. "EstimatorOptions.resilience.zne"), set
# while nested options are built from dicts so that error messages name the full path.
_PATH: ContextVar[str | None] = ContextVar("_PATH", default=None)


def _fail(message: str) -> NoReturn:
    raise ValidationError(message)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- rules: what each option accepts -------------------------------------------------------------

Kind: TypeAlias = Literal["boolean", "integer", "number", "string", "array", "object", "options"]


@attrs.frozen
class Rule:
    """What one option accepts, in the terms of the JSON schemas of ``spec/qiskit-runtime.yaml``
    (``tests/test_options.py`` checks every rule against the spec).

    ``kind`` is the JSON type (``options``: a nested option class, given as one or as a dict);
    ``minimum``/``maximum`` bound numbers (``exclusive``: the minimum itself is refused); ``enum``
    lists the accepted strings (``upper``: compared upper-cased); ``auto`` also accepts
    ``"auto"``; ``items`` is the rule of an array's items, with ``min_items``/``max_items``;
    ``min_length``/``max_length`` bound strings; ``one_or_many`` accepts one value or a non-empty
    array of them; ``adapt`` turns a qiskit object (a CouplingMap, an Aer NoiseModel) into plain
    data first.
    """

    kind: Kind
    minimum: float | None = None
    maximum: float | None = None
    exclusive: bool = False
    enum: tuple[str, ...] | None = None
    upper: bool = False
    auto: bool = False
    items: Rule | None = None
    min_items: int = 0
    max_items: int | None = None
    min_length: int = 0
    max_length: int | None = None
    one_or_many: bool = False
    options: type[_Options] | None = None
    adapt: Callable[[object, str], object] | None = attrs.field(default=None, eq=False)


def _as_list(value: object, where: str) -> list[Any]:
    if isinstance(value, str | bytes | Mapping):
        _fail(f"{where} must be a list, got {_show(value)}")
    if isinstance(value, Sequence):
        return list(value)
    tolist = getattr(value, "tolist", None)
    if type(value).__module__ == "numpy" and tolist is not None:  # a numpy array
        items = tolist()
        if isinstance(items, list):
            return items
    _fail(f"{where} must be a list, got {_show(value)}")


def _plain_json(value: object, where: str) -> Any:
    """A deep copy of a JSON-compatible value (dict/list/str/finite number/bool/None)."""
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            _fail(f"{where} is not finite ({number}); JSON has no NaN or infinity")
        return number
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                _fail(f"{where} has a non-string key {_show(key)}")
            out[key] = _plain_json(item, f"{where}.{key}")
        return out
    if isinstance(value, list | tuple):
        return [_plain_json(item, f"{where}[{i}]") for i, item in enumerate(value)]
    _fail(f"{where} holds a {type(value).__name__}, which is not JSON data")


def _conform(value: object, rule: Rule, where: str) -> object:
    """``value`` checked against ``rule`` and normalised (numpy scalars become ``int``/
    ``float``, lists become tuples so that options stay immutable); ValidationError otherwise."""
    if rule.adapt is not None:
        value = rule.adapt(value, where)
    if rule.auto and value == "auto" and isinstance(value, str):
        return value
    kind = rule.kind
    if rule.auto:
        try:
            return _conform(value, attrs.evolve(rule, auto=False), where)
        except ValidationError as exc:
            _fail(f"{exc} (or 'auto')")
    if rule.one_or_many:
        one = attrs.evolve(rule, one_or_many=False)
        many = Rule("array", items=one, min_items=1)
        return _conform(value, one if isinstance(value, str) else many, where)
    if kind == "boolean":
        if not isinstance(value, bool):
            _fail(f"{where} must be a boolean, got {_show(value)}")
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            _fail(f"{where} must be an integer, got {_show(value)}")
        number: float = int(value)
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            _fail(f"{where} must be a number, got {_show(value)}")
        try:
            number = float(value)
        except (OverflowError, ValueError):
            _fail(f"{where} is not a usable number: {_show(value)}")
        if not math.isfinite(number):
            _fail(f"{where} must be finite, got {number}")
    elif kind == "string":
        text = value.upper() if rule.upper and isinstance(value, str) else value
        if rule.enum is not None:
            if not isinstance(text, str) or text not in rule.enum:
                _fail(
                    f"{where} must be one of {', '.join(map(repr, rule.enum))}; got {_show(value)}"
                )
            return text
        if not isinstance(text, str):
            _fail(f"{where} must be a string, got {_show(value)}")
        if len(text) < rule.min_length:
            _fail(f"{where} must have at least {rule.min_length} character(s)")
        if rule.max_length is not None and len(text) > rule.max_length:
            _fail(f"{where} must have at most {rule.max_length} characters, got {len(text)}")
        return text
    elif kind == "array":
        items = _as_list(value, where)
        if len(items) < rule.min_items:
            _fail(f"{where} must have at least {rule.min_items} item(s), got {len(items)}")
        if rule.max_items is not None and len(items) > rule.max_items:
            _fail(f"{where} must have at most {rule.max_items} items, got {len(items)}")
        item = rule.items or Rule("object")
        return tuple(_conform(v, item, f"{where}[{i}]") for i, v in enumerate(items))
    elif kind == "object":
        if not isinstance(value, Mapping):
            _fail(f"{where} must be a dict, got {_show(value)}")
        try:
            return _plain_json(value, where)
        except RecursionError:
            _fail(f"{where} is nested too deeply")
    else:  # options
        cls = rule.options
        assert cls is not None
        if isinstance(value, cls):
            return value
        if isinstance(value, Mapping):
            return _from_mapping(cls, value, where)
        _fail(f"{where} must be a {cls.__name__} or a dict, got {_show(value)}")
    if rule.minimum is not None:
        if rule.exclusive and number <= rule.minimum:
            _fail(f"{where} must be > {rule.minimum}, got {number}")
        if not rule.exclusive and number < rule.minimum:
            _fail(f"{where} must be >= {rule.minimum}, got {number}")
    if rule.maximum is not None and number > rule.maximum:
        _fail(f"{where} must be <= {rule.maximum}, got {number}")
    return number


def _dump(value: Any, rule: Rule) -> Any:
    """The JSON data of a value that :func:`_conform` accepted."""
    if isinstance(value, _Options):
        return value.to_dict()
    if isinstance(value, tuple):
        item = rule.items or Rule("object")
        return [_dump(v, item) for v in value]
    if isinstance(value, Mapping):
        return _plain_json(value, "")
    return value


def _noise_model(value: object, where: str) -> object:
    """A qiskit_aer ``NoiseModel`` as the typed ``NoiseModel`` node the service reads."""
    to_dict = getattr(value, "to_dict", None)
    if type(value).__module__.split(".")[0] != "qiskit_aer" or to_dict is None:
        return value
    try:
        body = to_dict(serializable=True)
    except Exception as exc:  # whatever Aer raises for an unserialisable model
        _fail(f"{where} cannot be serialised: {exc}")
    return {"__type__": "NoiseModel", "__value__": _plain_json(body, where)}


def _coupling_map(value: object, where: str) -> object:
    """A qiskit ``CouplingMap`` as its list of edges."""
    get_edges = getattr(value, "get_edges", None)
    if type(value).__module__.startswith("qiskit") and get_edges is not None:
        return [list(edge) for edge in get_edges()]
    return value


def _rule(kind: Kind | Any, **constraints: Any) -> dict[str, Rule]:
    """The metadata of an option field: its rule (fields default to None, unset); ``kind`` may
    be a ``Literal`` of the accepted strings."""
    if kind not in get_args(Kind):
        kind, constraints = "string", {"enum": get_args(kind), **constraints}
    return {"rule": Rule(kind, **constraints)}


def _nested(cls: type[_Options]) -> dict[str, Rule]:
    """The metadata of a nested option field (a typed converter lets it take a dict too)."""
    return {"rule": Rule("options", options=cls)}


_INDEX = Rule("integer", minimum=0)


def _from_mapping(cls: type[_O], data: object, where: str) -> _O:
    if not isinstance(data, Mapping):
        _fail(f"{where} must be a dict, got {_show(data)}")
    names = {f.name for f in attrs.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if not isinstance(key, str) or key not in names:
            known = ", ".join(sorted(names))
            _fail(f"unknown option {_show(key)} in {where} (known: {known})")
        kwargs[key] = value
    token = _PATH.set(where)
    try:
        return cls(**kwargs)
    finally:
        _PATH.reset(token)


# Typed pass-through converters: they only widen ``__init__`` so that nested options may be given
# as dicts (mypy's attrs plugin reads a converter's signature); ``__attrs_post_init__`` checks
# and converts the value with the full option path for error messages.


def _dynamical_decoupling(
    value: DynamicalDecouplingOptions | Mapping[str, Any] | None,
) -> DynamicalDecouplingOptions | None:
    return cast("DynamicalDecouplingOptions | None", value)


def _execution(value: ExecutionOptions | Mapping[str, Any] | None) -> ExecutionOptions | None:
    return cast("ExecutionOptions | None", value)


def _twirling(value: TwirlingOptions | Mapping[str, Any] | None) -> TwirlingOptions | None:
    return cast("TwirlingOptions | None", value)


def _measure_noise_learning(
    value: MeasureNoiseLearningOptions | Mapping[str, Any] | None,
) -> MeasureNoiseLearningOptions | None:
    return cast("MeasureNoiseLearningOptions | None", value)


def _zne(value: ZneOptions | Mapping[str, Any] | None) -> ZneOptions | None:
    return cast("ZneOptions | None", value)


def _pec(value: PecOptions | Mapping[str, Any] | None) -> PecOptions | None:
    return cast("PecOptions | None", value)


def _layer_noise_learning(
    value: LayerNoiseLearningOptions | Mapping[str, Any] | None,
) -> LayerNoiseLearningOptions | None:
    return cast("LayerNoiseLearningOptions | None", value)


def _resilience(value: ResilienceOptions | Mapping[str, Any] | None) -> ResilienceOptions | None:
    return cast("ResilienceOptions | None", value)


def _simulator(value: SimulatorOptions | Mapping[str, Any] | None) -> SimulatorOptions | None:
    return cast("SimulatorOptions | None", value)


def _transpilation(
    value: TranspilationOptions | Mapping[str, Any] | None,
) -> TranspilationOptions | None:
    return cast("TranspilationOptions | None", value)


def _environment(value: EnvironmentOptions | Mapping[str, Any] | None) -> EnvironmentOptions | None:
    return cast("EnvironmentOptions | None", value)


# -- the option classes ------------------------------------------------------------------------

_C = TypeVar("_C", bound=type)


def _refuse_assignment(self: object, name: str, value: object) -> NoReturn:
    kind = type(self).__name__
    raise FrozenOptionsError(
        f"{kind} objects are immutable: cannot set {name!r}. Make a changed copy with "
        f"options.replace({name}=...) (nested options take a dict that is merged in, e.g. "
        "options.replace(twirling={'enable_gates': True})), or change a primitive's options "
        f"with sampler.with_options({name}=...) / estimator.with_options({name}=...)"
    )


def _refuse_deletion(self: object, name: str) -> NoReturn:
    _refuse_assignment(self, name, None)


def _immutable(cls: _C) -> _C:
    """Make assigning to an option raise :class:`FrozenOptionsError`, which says how to change
    options (attrs' own ``FrozenInstanceError`` does not)."""
    cls.__setattr__ = _refuse_assignment  # type: ignore[assignment,method-assign]
    cls.__delattr__ = _refuse_deletion  # type: ignore[assignment,method-assign]
    return cls


@_immutable
@attrs.frozen(kw_only=True)
class _Options:
    """Shared behaviour: checks in ``__attrs_post_init__``, dict conversion."""

    def __attrs_post_init__(self) -> None:
        where = _PATH.get() or type(self).__name__
        token = _PATH.set(None)  # options built by the checks below start their own paths
        try:
            for f in attrs.fields(type(self)):
                value = getattr(self, f.name)
                if value is not None:
                    # Frozen class: normalised values are stored the way attrs documents.
                    rule = f.metadata["rule"]
                    object.__setattr__(self, f.name, _conform(value, rule, f"{where}.{f.name}"))
            self._check(where)
        finally:
            _PATH.reset(token)

    def _check(self, where: str) -> None:
        """Rules that involve several fields (``where`` is the option path, for messages)."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build from a dict of option names (nested options as dicts); unknown keys are errors."""
        return _from_mapping(cls, data, cls.__name__)

    def to_dict(self) -> dict[str, Any]:
        """The set options as JSON data (nested dicts; unset and empty options left out)."""
        out: dict[str, Any] = {}
        for f in attrs.fields(type(self)):
            value = getattr(self, f.name)
            if value is None:
                continue
            data = _dump(value, f.metadata["rule"])
            if data != {}:
                out[f.name] = data
        return out

    def is_empty(self) -> bool:
        """True when no option is set."""
        return not self.to_dict()

    def replace(self, **changes: Any) -> Self:
        """A copy of these options with ``changes`` applied (the options are immutable).

        ``options.replace(default_shots=2000)`` sets one option; ``None`` unsets it. A dict for
        nested options is merged into the current ones
        (``options.replace(twirling={"enable_gates": True})`` keeps the other twirling options);
        an options object replaces them whole.

        Raises:
            ValidationError: for an unknown option name or a value the option does not accept.
        """
        fields = {f.name: f for f in attrs.fields(type(self))}
        updates: dict[str, Any] = {}
        for name, value in changes.items():
            spec = fields.get(name)
            if spec is None:
                known = ", ".join(sorted(fields))
                _fail(f"{type(self).__name__} has no option {name!r}; options are: {known}")
            current = getattr(self, name)
            if isinstance(value, Mapping) and isinstance(current, _Options):
                value = current.replace(**value)
            updates[name] = value
        return attrs.evolve(self, **updates)


@_immutable
@attrs.frozen(kw_only=True)
class DynamicalDecouplingOptions(_Options):
    """Dynamical decoupling: pulse sequences inserted in idle periods."""

    enable: bool | None = field(default=None, metadata=_rule("boolean"))
    sequence_type: SequenceType | None = field(default=None, metadata=_rule(SequenceType))
    extra_slack_distribution: SlackDistribution | None = field(
        default=None, metadata=_rule(SlackDistribution)
    )
    scheduling_method: SchedulingMethod | None = field(
        default=None, metadata=_rule(SchedulingMethod)
    )
    skip_reset_qubits: bool | None = field(default=None, metadata=_rule("boolean"))


@_immutable
@attrs.frozen(kw_only=True)
class ExecutionOptions(_Options):
    """Execution: qubit initialisation, repetition delay, and (Sampler only) ``meas_type``."""

    init_qubits: bool | None = field(default=None, metadata=_rule("boolean"))
    rep_delay: float | None = field(default=None, metadata=_rule("number", minimum=0.0))
    meas_type: MeasType | None = field(default=None, metadata=_rule(MeasType))


@_immutable
@attrs.frozen(kw_only=True)
class TwirlingOptions(_Options):
    """Pauli twirling of gates and measurements."""

    enable_gates: bool | None = field(default=None, metadata=_rule("boolean"))
    enable_measure: bool | None = field(default=None, metadata=_rule("boolean"))
    num_randomizations: int | Auto | None = field(
        default=None, metadata=_rule("integer", minimum=1, auto=True)
    )
    shots_per_randomization: int | Auto | None = field(
        default=None, metadata=_rule("integer", minimum=1, auto=True)
    )
    strategy: TwirlingStrategy | None = field(default=None, metadata=_rule(TwirlingStrategy))


@_immutable
@attrs.frozen(kw_only=True)
class MeasureNoiseLearningOptions(_Options):
    """Readout-noise learning for measurement mitigation (TREX)."""

    num_randomizations: int | None = field(default=None, metadata=_rule("integer", minimum=1))
    shots_per_randomization: int | Auto | None = field(
        default=None, metadata=_rule("integer", minimum=1, auto=True)
    )


@_immutable
@attrs.frozen(kw_only=True)
class ZneOptions(_Options):
    """Zero-noise extrapolation."""

    amplifier: ZneAmplifier | None = field(default=None, metadata=_rule(ZneAmplifier))
    noise_factors: Sequence[float] | None = field(
        default=None, metadata=_rule("array", items=Rule("number", minimum=1.0), min_items=1)
    )
    extrapolator: ZneExtrapolator | Sequence[ZneExtrapolator] | None = field(
        default=None, metadata=_rule(ZneExtrapolator, one_or_many=True)
    )
    extrapolated_noise_factors: Sequence[float] | Auto | None = field(
        default=None, metadata=_rule("array", items=Rule("number", minimum=0.0), auto=True)
    )

    def _check(self, where: str) -> None:
        factors = self.noise_factors if self.noise_factors is not None else _ZNE_DEFAULT_FACTORS
        chosen = self.extrapolator if self.extrapolator is not None else _ZNE_DEFAULT_EXTRAPOLATORS
        for name in (chosen,) if isinstance(chosen, str) else chosen:
            need = _ZNE_REQUIRED_FACTORS[name]
            if len(factors) < need:
                _fail(
                    f"{where}: extrapolator {name!r} needs at least {need} noise_factors, "
                    f"got {len(factors)} ({', '.join(map(str, factors))})"
                )


@_immutable
@attrs.frozen(kw_only=True)
class PecOptions(_Options):
    """Probabilistic error cancellation."""

    max_overhead: float | None = field(
        default=None, metadata=_rule("number", minimum=0.0, exclusive=True)
    )
    noise_gain: float | Auto | None = field(
        default=None, metadata=_rule("number", minimum=0.0, auto=True)
    )


@_immutable
@attrs.frozen(kw_only=True)
class LayerNoiseLearningOptions(_Options):
    """Layer noise learning (used by PEC and PEA)."""

    max_layers_to_learn: int | None = field(default=None, metadata=_rule("integer", minimum=0))
    shots_per_randomization: int | None = field(default=None, metadata=_rule("integer", minimum=1))
    num_randomizations: int | None = field(default=None, metadata=_rule("integer", minimum=1))
    layer_pair_depths: Sequence[int] | None = field(
        default=None, metadata=_rule("array", items=_INDEX)
    )


@_immutable
@attrs.frozen(kw_only=True)
class ResilienceOptions(_Options):
    """Estimator error mitigation: measurement mitigation, ZNE, PEC."""

    measure_mitigation: bool | None = field(default=None, metadata=_rule("boolean"))
    measure_noise_learning: MeasureNoiseLearningOptions | None = field(
        default=None,
        converter=_measure_noise_learning,
        metadata=_nested(MeasureNoiseLearningOptions),
    )
    zne_mitigation: bool | None = field(default=None, metadata=_rule("boolean"))
    zne: ZneOptions | None = field(default=None, converter=_zne, metadata=_nested(ZneOptions))
    pec_mitigation: bool | None = field(default=None, metadata=_rule("boolean"))
    pec: PecOptions | None = field(default=None, converter=_pec, metadata=_nested(PecOptions))
    layer_noise_learning: LayerNoiseLearningOptions | None = field(
        default=None,
        converter=_layer_noise_learning,
        metadata=_nested(LayerNoiseLearningOptions),
    )

    def _check(self, where: str) -> None:
        if self.pec_mitigation is True and self.zne_mitigation is True:
            _fail(
                f"{where}: pec_mitigation and zne_mitigation cannot both be enabled "
                "(the service rejects it); set one of them to False"
            )
        noise_learning = self.measure_noise_learning
        if self.measure_mitigation is False and noise_learning and not noise_learning.is_empty():
            _fail(f"{where}: measure_noise_learning is set but measure_mitigation is False")


@_immutable
@attrs.frozen(kw_only=True)
class SimulatorOptions(_Options):
    """Simulator settings (ignored by real devices)."""

    seed_simulator: int | None = field(default=None, metadata=_rule("integer", minimum=0))
    noise_model: Mapping[str, Any] | None = field(
        default=None, metadata=_rule("object", adapt=_noise_model)
    )
    coupling_map: Sequence[Sequence[int]] | None = field(
        default=None,
        metadata=_rule(
            "array",
            items=Rule("array", items=_INDEX, min_items=2, max_items=2),
            adapt=_coupling_map,
        ),
    )
    basis_gates: Sequence[str] | None = field(
        default=None, metadata=_rule("array", items=Rule("string", min_length=1))
    )


@_immutable
@attrs.frozen(kw_only=True)
class TranspilationOptions(_Options):
    """Legacy option of older services and documentation (the seed sends it)."""

    optimization_level: int | None = field(
        default=None, metadata=_rule("integer", minimum=0, maximum=3)
    )


@_immutable
@attrs.frozen(kw_only=True)
class EnvironmentOptions(_Options):
    """Job-level settings: sent in the job body, not in ``params.options``."""

    log_level: LogLevel | None = field(default=None, metadata=_rule(LogLevel, upper=True))
    job_tags: Sequence[str] | None = field(
        default=None,
        metadata=_rule(
            "array",
            items=Rule("string", min_length=1, max_length=MAX_TAG_LENGTH),
            max_items=MAX_TAGS,
        ),
    )
    private: bool | None = field(default=None, metadata=_rule("boolean"))


@_immutable
@attrs.frozen(kw_only=True)
class _PrimitiveOptions(_Options):
    """Fields shared by the Sampler and the Estimator."""

    # Fields that are not part of params.options (see the module docstring).
    _NOT_IN_PARAMS_OPTIONS: ClassVar[frozenset[str]] = frozenset(
        {"environment", "max_execution_time", "experimental", "resilience_level"}
    )

    dynamical_decoupling: DynamicalDecouplingOptions | None = field(
        default=None,
        converter=_dynamical_decoupling,
        metadata=_nested(DynamicalDecouplingOptions),
    )
    execution: ExecutionOptions | None = field(
        default=None, converter=_execution, metadata=_nested(ExecutionOptions)
    )
    twirling: TwirlingOptions | None = field(
        default=None, converter=_twirling, metadata=_nested(TwirlingOptions)
    )
    simulator: SimulatorOptions | None = field(
        default=None, converter=_simulator, metadata=_nested(SimulatorOptions)
    )
    transpilation: TranspilationOptions | None = field(
        default=None,
        converter=_transpilation,
        metadata=_nested(TranspilationOptions),
    )
    environment: EnvironmentOptions | None = field(
        default=None, converter=_environment, metadata=_nested(EnvironmentOptions)
    )
    max_execution_time: int | None = field(
        default=None, metadata=_rule("integer", minimum=1, maximum=MAX_EXECUTION_TIME)
    )
    experimental: Mapping[str, Any] | None = field(default=None, metadata=_rule("object"))

    @classmethod
    def params_option_names(cls) -> tuple[str, ...]:
        """Names of the options that go in ``params.options``."""
        return tuple(f.name for f in attrs.fields(cls) if f.name not in cls._NOT_IN_PARAMS_OPTIONS)

    def _check(self, where: str) -> None:
        image = (self.experimental or {}).get("image")
        if image is not None and not isinstance(image, str):
            _fail(f"{where}.experimental['image'] must be a string 'name:tag', got {_show(image)}")
        self.resolved()  # experimental keys merged into typed options must be valid

    def resolved(self) -> Self:
        """These options with ``experimental`` keys naming an option merged into that option."""
        names = self.params_option_names()
        experimental = dict(self.experimental or {})
        merge = {k: v for k, v in experimental.items() if k in names}
        if not merge:
            return self
        data = self.to_dict()
        rest = {k: v for k, v in experimental.items() if k not in names}
        data.pop("experimental", None)
        _deep_merge(data, merge)
        if rest:
            data["experimental"] = rest
        try:
            return type(self).from_dict(data)
        except ValidationError as exc:
            _fail(f"experimental options do not fit the typed options: {exc}")

    def to_params_options(self) -> dict[str, Any]:
        """``params.options``: only set keys, nested, with ``experimental`` merged in."""
        resolved = self.resolved()
        data = resolved.to_dict()
        for name in self._NOT_IN_PARAMS_OPTIONS:
            data.pop(name, None)
        experimental = _plain_json(resolved.experimental or {}, "experimental")
        experimental.pop("image", None)  # sent as the job's `runtime`, as the official client does
        if experimental:
            data["experimental"] = experimental
        return {k: data[k] for k in sorted(data, key=_params_key_rank)}

    def to_params_fields(self) -> dict[str, Any]:
        """Top-level ``params`` fields other than ``options`` (the Estimator's resilience level)."""
        return {}

    def to_job_fields(self) -> dict[str, Any]:
        """Job-body fields: ``log_level``, ``tags``, ``private``, ``cost``, ``runtime`` (if set)."""
        out: dict[str, Any] = {}
        environment = self.environment
        if environment is not None:
            if environment.log_level is not None:
                out["log_level"] = environment.log_level
            if environment.job_tags is not None:
                out["tags"] = list(environment.job_tags)
            if environment.private is not None:
                out["private"] = environment.private
        if self.max_execution_time is not None:
            out["cost"] = self.max_execution_time
        image = (self.experimental or {}).get("image")
        if image is not None:
            out["runtime"] = image
        return out


def _params_key_rank(key: str) -> int:
    return _PARAMS_KEY_ORDER.index(key) if key in _PARAMS_KEY_ORDER else len(_PARAMS_KEY_ORDER)


def _deep_merge(base: dict[str, Any], new: Mapping[str, Any]) -> None:
    """Merge ``new`` into ``base`` in place; nested dicts merge, anything else replaces."""
    for key, value in new.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _deep_merge(base[key], value)
        else:
            base[key] = value


@_immutable
@attrs.frozen(kw_only=True)
class SamplerOptions(_PrimitiveOptions):
    """Options of a Sampler V2 job; ``None`` everywhere means "the service's default"."""

    default_shots: int | None = field(default=None, metadata=_rule("integer", minimum=1))


@_immutable
@attrs.frozen(kw_only=True)
class EstimatorOptions(_PrimitiveOptions):
    """Options of an Estimator V2 job; ``None`` everywhere means "the service's default"."""

    default_precision: float | None = field(
        default=None, metadata=_rule("number", minimum=0.0, exclusive=True)
    )
    default_shots: int | None = field(default=None, metadata=_rule("integer", minimum=1))
    seed_estimator: int | None = field(default=None, metadata=_rule("integer", minimum=0))
    resilience_level: int | None = field(
        default=None, metadata=_rule("integer", minimum=0, maximum=2)
    )
    resilience: ResilienceOptions | None = field(
        default=None, converter=_resilience, metadata=_nested(ResilienceOptions)
    )

    def _check(self, where: str) -> None:
        if self.execution is not None and self.execution.meas_type is not None:
            _fail(f"{where}.execution.meas_type is a Sampler option")
        super()._check(where)

    def to_params_fields(self) -> dict[str, Any]:
        """``{"resilience_level": n}`` when set: it sits in ``params``, not ``params.options``."""
        return {} if self.resilience_level is None else {"resilience_level": self.resilience_level}
