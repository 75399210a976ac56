"""Options and job requests: documented JSON, field placement, seed payloads, limits, errors."""

from __future__ import annotations

import contextlib
import json
from inspect import get_annotations
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from qiskit_runtime_api.models import EstimatorJobRequest, SamplerJobRequest
from qiskit_runtime_rest.errors import ValidationError
from qiskit_runtime_rest.options import (
    MAX_EXECUTION_TIME,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    DynamicalDecouplingOptions,
    EnvironmentOptions,
    EstimatorOptions,
    ExecutionOptions,
    LayerNoiseLearningOptions,
    MeasureNoiseLearningOptions,
    PecOptions,
    ResilienceOptions,
    Rule,
    SamplerOptions,
    SimulatorOptions,
    TranspilationOptions,
    TwirlingOptions,
    ZneOptions,
)
from qiskit_runtime_rest.payloads import (
    build_job_request,
    estimator_options_model,
    sampler_options_model,
)
from qiskit_runtime_rest.pubs import EstimatorPub, SamplerPub

from tests import payloads
from tests.spec_schema import errors as spec_errors

SESSION_ID = "crw9s7cdbt40008jxesg"
HGP = ("hub1", "group1", "project1")
SEED_KW: dict[str, Any] = {"support_qiskit": None, "instance_hgp": HGP}


def seed_options(cls: Any) -> Any:
    return cls(
        transpilation=TranspilationOptions(optimization_level=1),
        twirling=TwirlingOptions(enable_gates=True, enable_measure=True),
    )


def assert_valid_request(request: SamplerJobRequest | EstimatorJobRequest) -> dict[str, Any]:
    body = request.to_dict()
    assert spec_errors("CreateJobRequest", json.loads(json.dumps(body))) == []
    return body


# -- seed and official-client payloads ---------------------------------------------------------


@pytest.mark.parametrize("session_id", [None, SESSION_ID])
def test_seed_sampler_job_is_reproduced(session_id: str | None) -> None:
    request = build_job_request(
        "sampler",
        payloads.SIMULATOR,
        [SamplerPub(payloads.BELL_QASM3)],
        seed_options(SamplerOptions),
        session_id=session_id,
        **SEED_KW,
    )
    assert isinstance(request, SamplerJobRequest)
    body = assert_valid_request(request)
    expected = payloads.seed_sampler_job(session_id)
    assert body == expected
    assert json.dumps(body, sort_keys=True) == json.dumps(expected, sort_keys=True)


@pytest.mark.parametrize("session_id", [None, SESSION_ID])
def test_seed_estimator_job_is_reproduced(session_id: str | None) -> None:
    request = build_job_request(
        "estimator",
        payloads.SIMULATOR,
        [EstimatorPub(payloads.BELL_STATE_QASM3, ["ZZ", "XX", "YY", "IZ"])],
        seed_options(EstimatorOptions),
        session_id=session_id,
        **SEED_KW,
    )
    assert isinstance(request, EstimatorJobRequest)
    body = assert_valid_request(request)
    expected = payloads.seed_estimator_job(session_id)
    assert json.dumps(body, sort_keys=True) == json.dumps(expected, sort_keys=True)


def test_support_qiskit_is_sent_by_default() -> None:
    body = build_job_request("sampler", "b", [SamplerPub(payloads.BELL_QASM3)]).to_dict()
    assert body == {
        "program_id": "sampler",
        "backend": "b",
        "params": {"pubs": [[payloads.BELL_QASM3]], "version": 2, "support_qiskit": True},
    }


def test_official_client_estimator_job_is_reproduced() -> None:
    options = EstimatorOptions(
        default_precision=0.01,
        resilience_level=1,
        environment=EnvironmentOptions(log_level="WARNING", job_tags=["exp-1"]),
        max_execution_time=300,
    )
    pub = EstimatorPub(payloads.BELL_STATE_QASM3, [{"ZZ": 1.0}, {"XX": 0.5, "YY": 0.5}])
    body = assert_valid_request(build_job_request("estimator", payloads.SIMULATOR, [pub], options))
    expected = json.loads(json.dumps(payloads.OFFICIAL_CLIENT_ESTIMATOR_JOB))
    expected["params"]["pubs"][0] = expected["params"]["pubs"][0][:2]  # we drop trailing nulls
    assert body == expected


def test_official_client_sampler_job_is_reproduced() -> None:
    options = SamplerOptions(default_shots=100, environment={"log_level": "warning"})
    pub = SamplerPub(payloads.BELL_QASM3, np.empty(0))
    request = build_job_request("sampler", payloads.SIMULATOR, [pub], options, session_id="sess1")
    body = assert_valid_request(request)
    expected = json.loads(json.dumps(payloads.OFFICIAL_CLIENT_SAMPLER_JOB))
    expected["params"]["pubs"][0] = expected["params"]["pubs"][0][:2]
    assert body == expected


def test_pub_tuples_and_qpy_circuits_build_valid_requests() -> None:
    from qiskit.circuit import Parameter, QuantumCircuit

    qc = QuantumCircuit(2)
    qc.rx(Parameter("t"), 0)
    qc.measure_all()
    request = build_job_request(
        "sampler", "b", [(qc, [[0.1], [0.2]], 50), SamplerPub(payloads.BELL_QASM3, shots=10)]
    )
    body = assert_valid_request(request)
    first = body["params"]["pubs"][0]
    assert first[0]["__type__"] == "QuantumCircuit"
    assert first[1]["__type__"] == "ndarray"
    assert first[2] == 50
    assert body["params"]["pubs"][1] == [payloads.BELL_QASM3, None, 10]
    est = build_job_request("estimator", "b", [(qc, [["ZZ"], ["XX"]], [0.1, 0.2, 0.3], 0.05)])
    pub = assert_valid_request(est)["params"]["pubs"][0]
    assert pub[1] == [["ZZ"], ["XX"]]
    assert pub[3] == 0.05


# -- options JSON --------------------------------------------------------------------------------


def test_unset_options_serialise_to_nothing() -> None:
    assert SamplerOptions().to_params_options() == {}
    assert EstimatorOptions().to_params_options() == {}
    empty_nested = SamplerOptions(twirling=TwirlingOptions(), execution=ExecutionOptions())
    assert empty_nested.to_params_options() == {}
    body = build_job_request("sampler", "b", [payloads.BELL_QASM3], empty_nested).to_dict()
    assert "options" not in body["params"]


def test_sampler_options_serialise_to_documented_json() -> None:
    options = SamplerOptions(
        default_shots=1000,
        dynamical_decoupling=DynamicalDecouplingOptions(enable=True, sequence_type="XpXm"),
        execution=ExecutionOptions(init_qubits=True, rep_delay=0.0001, meas_type="kerneled"),
        twirling=TwirlingOptions(
            enable_gates=True, num_randomizations="auto", shots_per_randomization=64
        ),
        simulator=SimulatorOptions(
            seed_simulator=42, coupling_map=[[0, 1], (1, 2)], basis_gates=["cx", "rz"]
        ),
        experimental={"custom": {"a": [1, 2]}},
    )
    expected = {
        "default_shots": 1000,
        "dynamical_decoupling": {"enable": True, "sequence_type": "XpXm"},
        "twirling": {
            "enable_gates": True,
            "num_randomizations": "auto",
            "shots_per_randomization": 64,
        },
        "simulator": {
            "seed_simulator": 42,
            "coupling_map": [[0, 1], [1, 2]],
            "basis_gates": ["cx", "rz"],
        },
        "execution": {"init_qubits": True, "rep_delay": 0.0001, "meas_type": "kerneled"},
        "experimental": {"custom": {"a": [1, 2]}},
    }
    assert options.to_params_options() == expected
    assert sampler_options_model(options).to_dict() == expected
    assert options.to_params_fields() == {}
    assert options.to_job_fields() == {}


def test_estimator_options_serialise_to_documented_json() -> None:
    options = EstimatorOptions(
        default_precision=0.02,
        default_shots=2000,
        seed_estimator=7,
        resilience_level=2,
        resilience=ResilienceOptions(
            measure_mitigation=True,
            measure_noise_learning=MeasureNoiseLearningOptions(num_randomizations=16),
            zne_mitigation=True,
            zne=ZneOptions(
                amplifier="pea",
                noise_factors=[1, 2, 3, 4],
                extrapolator=["double_exponential", "linear"],
                extrapolated_noise_factors=[0, 1],
            ),
            pec=PecOptions(max_overhead=50, noise_gain="auto"),
            layer_noise_learning=LayerNoiseLearningOptions(
                max_layers_to_learn=2, layer_pair_depths=[0, 1, 2]
            ),
        ),
        twirling=TwirlingOptions(strategy="all"),
    )
    expected = {
        "default_precision": 0.02,
        "default_shots": 2000,
        "seed_estimator": 7,
        "resilience": {
            "measure_mitigation": True,
            "measure_noise_learning": {"num_randomizations": 16},
            "zne_mitigation": True,
            "zne": {
                "amplifier": "pea",
                "noise_factors": [1.0, 2.0, 3.0, 4.0],
                "extrapolator": ["double_exponential", "linear"],
                "extrapolated_noise_factors": [0.0, 1.0],
            },
            "pec": {"max_overhead": 50.0, "noise_gain": "auto"},
            "layer_noise_learning": {"max_layers_to_learn": 2, "layer_pair_depths": [0, 1, 2]},
        },
        "twirling": {"strategy": "all"},
    }
    assert options.to_params_options() == expected
    assert estimator_options_model(options).to_dict() == expected
    # resilience_level sits in params, never in params.options
    assert options.to_params_fields() == {"resilience_level": 2}
    body = build_job_request("estimator", "b", [(payloads.BELL_STATE_QASM3, "ZZ")], options)
    params = assert_valid_request(body)["params"]
    assert params["resilience_level"] == 2
    assert "resilience_level" not in params["options"]
    assert params["options"] == expected


def test_environment_and_max_execution_time_go_to_the_job_body() -> None:
    options = SamplerOptions(
        environment=EnvironmentOptions(log_level="debug", job_tags=["a", "b"], private=True),
        max_execution_time=600,
        experimental={"image": "runtime:1.2"},
    )
    assert options.to_job_fields() == {
        "log_level": "DEBUG",
        "tags": ["a", "b"],
        "private": True,
        "cost": 600,
        "runtime": "runtime:1.2",
    }
    assert options.to_params_options() == {}
    body = assert_valid_request(
        build_job_request("sampler", "b", [payloads.BELL_QASM3], options, tags=["sdk-idem"])
    )
    assert body["tags"] == ["a", "b", "sdk-idem"]
    assert (body["log_level"], body["private"], body["cost"]) == ("DEBUG", True, 600)
    assert body["runtime"] == "runtime:1.2"
    assert "options" not in body["params"]


def test_experimental_keys_naming_options_are_deep_merged() -> None:
    options = EstimatorOptions(
        resilience=ResilienceOptions(measure_mitigation=True, zne=ZneOptions(amplifier="pea")),
        experimental={
            "resilience": {"zne": {"noise_factors": [1, 3]}, "measure_mitigation": False},
            "default_shots": 5,
            "new_feature": {"x": 1},
            "image": "img:1",
        },
    )
    assert options.to_params_options() == {
        "default_shots": 5,
        "resilience": {
            "measure_mitigation": False,
            "zne": {"amplifier": "pea", "noise_factors": [1.0, 3.0]},
        },
        "experimental": {"new_feature": {"x": 1}},
    }
    model = estimator_options_model(options)
    assert model.to_dict() == options.to_params_options()


def test_from_dict_reads_raw_rest_options() -> None:
    raw = {
        "default_shots": 100,
        "twirling": {"enable_gates": True, "num_randomizations": 8},
        "transpilation": {"optimization_level": 1},
        "environment": {"job_tags": ["x"]},
        "max_execution_time": 60,
    }
    options = SamplerOptions.from_dict(raw)
    assert options.twirling == TwirlingOptions(enable_gates=True, num_randomizations=8)
    assert SamplerOptions.from_dict(options.to_dict()) == options
    assert options.to_dict() == raw
    estimator = EstimatorOptions.from_dict({"resilience_level": 0, "resilience": {"pec": {}}})
    assert estimator.to_params_options() == {}
    assert estimator.to_params_fields() == {"resilience_level": 0}


def test_nested_options_accept_dicts_and_numpy_scalars() -> None:
    options = EstimatorOptions(
        resilience={"zne": {"noise_factors": np.array([1, 3, 5])}},
        default_shots=np.int64(10),  # type: ignore[arg-type]
        default_precision=np.float32(0.5),  # type: ignore[arg-type]
    )
    assert options.to_params_options() == {
        "default_precision": 0.5,
        "default_shots": 10,
        "resilience": {"zne": {"noise_factors": [1.0, 3.0, 5.0]}},
    }
    assert type(options.default_shots) is int


def test_options_are_frozen() -> None:
    options = SamplerOptions(default_shots=1)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        options.default_shots = 2  # type: ignore[misc]
    assert attrs.evolve(options, default_shots=3).default_shots == 3


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: ResilienceOptions(pec_mitigation=True, zne_mitigation=True),
            "pec_mitigation and zne_mitigation cannot both be enabled",
        ),
        (
            lambda: EstimatorOptions(resilience={"pec_mitigation": True, "zne_mitigation": True}),
            "cannot both be enabled",
        ),
        (
            lambda: ResilienceOptions(
                measure_mitigation=False,
                measure_noise_learning=MeasureNoiseLearningOptions(num_randomizations=2),
            ),
            "measure_noise_learning is set but measure_mitigation is False",
        ),
        (lambda: EstimatorOptions(resilience_level=3), r"resilience_level must be <= 2, got 3"),
        (lambda: EstimatorOptions(resilience_level=-1), "must be >= 0"),
        (lambda: EstimatorOptions(default_precision=0), r"default_precision must be > 0"),
        (lambda: EstimatorOptions(default_precision=float("nan")), "must be finite"),
        (lambda: SamplerOptions(default_shots=0), r"SamplerOptions.default_shots must be >= 1"),
        (lambda: SamplerOptions(default_shots=True), "must be an integer, got True"),
        (lambda: SamplerOptions(default_shots=1.0), "must be an integer, got 1.0"),
        (lambda: SamplerOptions(max_execution_time=10801), "must be <= 10800"),
        (lambda: TranspilationOptions(optimization_level=4), "optimization_level must be <= 3"),
        (lambda: TwirlingOptions(num_randomizations=0), r"must be >= 1, got 0 \(or 'auto'\)"),
        (lambda: TwirlingOptions(num_randomizations="AUTO"), "or 'auto'"),
        (lambda: TwirlingOptions(strategy="some"), "strategy must be one of 'active'"),
        (lambda: TwirlingOptions(enable_gates=1), "enable_gates must be a boolean, got 1"),
        (lambda: DynamicalDecouplingOptions(sequence_type="XY8"), "one of 'XX', 'XpXm', 'XY4'"),
        (lambda: ExecutionOptions(rep_delay=-1), "rep_delay must be >= 0.0"),
        (lambda: ZneOptions(noise_factors=[0.5, 1]), r"noise_factors\[0\] must be >= 1.0"),
        (lambda: ZneOptions(noise_factors=[]), "at least 1 item"),
        (lambda: ZneOptions(noise_factors="135"), "must be a list"),
        (lambda: ZneOptions(extrapolator="cubic"), "extrapolator must be one of"),
        (
            lambda: ZneOptions(extrapolator="polynomial_degree_3", noise_factors=[1, 3]),
            "'polynomial_degree_3' needs at least 4 noise_factors, got 2",
        ),
        (lambda: PecOptions(max_overhead=0), "max_overhead must be > 0.0"),
        (lambda: SimulatorOptions(coupling_map=[[0, 1, 2]]), r"coupling_map\[0\] must have at"),
        (lambda: SimulatorOptions(coupling_map=[[0, -1]]), r"coupling_map\[0\]\[1\] must be >="),
        (lambda: SimulatorOptions(noise_model=[1]), "noise_model must be a dict"),
        (lambda: SimulatorOptions(noise_model={"a": float("inf")}), "not finite"),
        (lambda: SimulatorOptions(basis_gates=["cx", 3]), r"basis_gates\[1\] must be a string"),
        (lambda: EnvironmentOptions(log_level="verbose"), "log_level must be one of"),
        (lambda: EnvironmentOptions(job_tags="tag"), "job_tags must be a list"),
        (lambda: EnvironmentOptions(job_tags=[""]), r"job_tags\[0\] must have at least 1"),
        (lambda: EnvironmentOptions(job_tags=["t"] * 9), "at most 8 items, got 9"),
        (lambda: EnvironmentOptions(job_tags=["x" * 87]), "at most 86 characters, got 87"),
        (lambda: EstimatorOptions(execution={"meas_type": "kerneled"}), "is a Sampler option"),
        (lambda: SamplerOptions(twirling=5), "twirling must be a TwirlingOptions or a dict"),
        (lambda: SamplerOptions(twirling={"enabled": True}), "unknown option 'enabled' in"),
        (lambda: SamplerOptions(experimental={1: 2}), "non-string key"),
        (lambda: SamplerOptions(experimental={"x": object()}), "not JSON data"),
        (lambda: SamplerOptions(experimental={"image": 3}), r"experimental\['image'\] must be"),
        (
            lambda: SamplerOptions(experimental={"twirling": {"bogus": 1}}),
            "experimental options do not fit the typed options: unknown option 'bogus'",
        ),
        (lambda: SamplerOptions.from_dict({"resilience_level": 1}), "unknown option 'res"),
        (lambda: SamplerOptions.from_dict({"default_precision": 0.1}), "unknown option 'def"),
        (
            lambda: EstimatorOptions.from_dict({"resilience": {"zne": {"bogus": 1}}}),
            r"unknown option 'bogus' in EstimatorOptions.resilience.zne",
        ),
        (lambda: EstimatorOptions.from_dict([1]), "must be a dict"),  # type: ignore[arg-type]
    ],
)
def test_option_validation_errors(build: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        build()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: build_job_request("sampler", "b", [], None), "pubs is empty"),
        (lambda: build_job_request("sampler", "b", payloads.BELL_QASM3), "wrap a single PUB"),
        (
            lambda: build_job_request("sampler", "b", SamplerPub(payloads.BELL_QASM3)),
            "wrap a single PUB",
        ),
        (lambda: build_job_request("sampler", "", [payloads.BELL_QASM3]), "backend must be"),
        (
            lambda: build_job_request("sampler", "b", [payloads.BELL_QASM3], EstimatorOptions()),
            "a Sampler job takes SamplerOptions, got EstimatorOptions",
        ),
        (
            lambda: build_job_request("estimator", "b", [("q", "Z")], SamplerOptions()),
            "an Estimator job takes EstimatorOptions",
        ),
        (
            lambda: build_job_request("estimator", "b", [payloads.BELL_STATE_QASM3]),
            "needs observables",
        ),
        (lambda: build_job_request("noise", "b", [payloads.BELL_QASM3]), "program_id must be"),
        (
            lambda: build_job_request("sampler", "b", [payloads.BELL_QASM3], tags=["t"] * 9),
            "at most 8 tags, got 9",
        ),
        (
            lambda: build_job_request(
                "sampler",
                "b",
                [payloads.BELL_QASM3],
                SamplerOptions(environment={"job_tags": ["u"] * 8}),
                tags=["sdk"],
            ),
            r"got 9 \(8 from options.environment.job_tags, 1 from tags=",
        ),
        (
            lambda: build_job_request("sampler", "b", [payloads.BELL_QASM3], tags=["x" * 87]),
            "must be a string of 1 to 86 characters",
        ),
        (lambda: build_job_request("sampler", "b", [payloads.BELL_QASM3], tags="t"), "tags must"),
        (
            lambda: build_job_request("sampler", "b", [payloads.BELL_QASM3], session_id=""),
            "session_id must be",
        ),
        (
            lambda: build_job_request(
                "sampler", "b", [payloads.BELL_QASM3], instance_hgp=("a", "b")
            ),
            "instance_hgp must be",
        ),
    ],
)
def test_job_request_errors(call: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        call()


def test_eight_tags_including_the_sdk_tag_are_accepted() -> None:
    options = SamplerOptions(environment={"job_tags": [f"u{i}" for i in range(7)]})
    request = build_job_request("sampler", "b", [payloads.BELL_QASM3], options, tags=["sdk"])
    assert len(assert_valid_request(request)["tags"]) == 8


# -- property-based ------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=15,
)
weird = (
    json_values
    | st.sampled_from(["auto", "AUTO", "XX", "pea", "linear", "active", "debug", "kerneled"])
    | st.lists(st.sampled_from(["linear", "exponential", 1, 3.5, -1]), max_size=5)
    | st.builds(object)
    | st.complex_numbers()
)
OPTION_CLASSES = [
    SamplerOptions,
    EstimatorOptions,
    DynamicalDecouplingOptions,
    ExecutionOptions,
    TwirlingOptions,
    ResilienceOptions,
    ZneOptions,
    PecOptions,
    LayerNoiseLearningOptions,
    MeasureNoiseLearningOptions,
    SimulatorOptions,
    TranspilationOptions,
    EnvironmentOptions,
]


@st.composite
def arbitrary_kwargs(draw: st.DrawFn) -> tuple[Any, dict[str, Any]]:
    cls = draw(st.sampled_from(OPTION_CLASSES))
    names = [f.name for f in attrs.fields(cls)]
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=4))
    return cls, {name: draw(weird) for name in chosen}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arbitrary_kwargs())
def test_option_constructors_raise_only_validation_errors(case: tuple[Any, dict[str, Any]]) -> None:
    cls, kwargs = case
    with contextlib.suppress(ValidationError):
        options = cls(**kwargs)
        # whatever was accepted serialises, and round-trips through from_dict (empty nested
        # options serialise to nothing, so compare the serialised forms)
        data = options.to_dict()
        assert cls.from_dict(data).to_dict() == data
        json.dumps(data, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([SamplerOptions, EstimatorOptions]), json_values)
def test_from_dict_raises_only_validation_errors(cls: Any, data: Any) -> None:
    with contextlib.suppress(ValidationError):
        cls.from_dict(data)


def valid_values(rule: Rule) -> st.SearchStrategy[Any]:
    """Values a field's rule accepts (built from the rule's own constraints)."""
    if rule.one_or_many:
        one = attrs.evolve(rule, one_or_many=False)
        return valid_values(one) | st.lists(valid_values(one), min_size=1, max_size=3)
    if rule.auto:
        return st.just("auto") | valid_values(attrs.evolve(rule, auto=False))
    kind = rule.kind
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        low = int(rule.minimum) if rule.minimum is not None else -(10**6)
        return st.integers(low, int(rule.maximum) if rule.maximum is not None else 10**6)
    if kind == "number":
        low = rule.minimum if rule.minimum is not None else -1e6
        return st.floats(low, 1e6, exclude_min=rule.exclusive)
    if kind == "string":
        if rule.enum is not None:
            return st.sampled_from(rule.enum)
        return st.text(min_size=max(rule.min_length, 1), max_size=rule.max_length or 10)
    if kind == "array":
        item = valid_values(rule.items or Rule("object"))
        return st.lists(item, min_size=rule.min_items, max_size=rule.max_items or 4)
    if kind == "object":
        return st.dictionaries(st.text(max_size=5), json_values, max_size=3)
    assert rule.options is not None
    return st.from_type(rule.options)


@st.composite
def valid_options(draw: st.DrawFn, cls: Any) -> Any:
    kwargs = {}
    for f in attrs.fields(cls):
        value = draw(st.none() | valid_values(f.metadata["rule"]))
        if value is not None:
            kwargs[f.name] = value
    try:  # a few cross-field rules (ZNE factors, PEC with ZNE, ...) still reject some draws
        return cls(**kwargs)
    except ValidationError:
        assume(False)


for _cls in OPTION_CLASSES:
    st.register_type_strategy(_cls, valid_options(_cls))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_type(SamplerOptions) | st.from_type(EstimatorOptions))
def test_generated_models_match_to_params_options(options: Any) -> None:
    model: Any
    if isinstance(options, SamplerOptions):
        model = sampler_options_model(options)
        request = build_job_request("sampler", "b", [payloads.BELL_QASM3], options)
    else:
        model = estimator_options_model(options)
        request = build_job_request("estimator", "b", [(payloads.BELL_STATE_QASM3, "ZZ")], options)
    assert model.to_dict() == options.to_params_options()
    body = request.to_dict()
    assert body["params"].get("options", {}) == options.to_params_options()
    assert {k: body[k] for k in options.to_job_fields() if k != "tags"} == {
        k: v for k, v in options.to_job_fields().items() if k != "tags"
    }


# -- the rules are the spec's ----------------------------------------------------------------------

# Where an option's schema lives when it is not a property of its class's schema: job-level
# options go to the job body (``CreateJobRequest``), ``environment`` is the SDK's grouping of them.
JOB_FIELDS = {
    ("EnvironmentOptions", "log_level"): ("SamplerJobRequest", "log_level"),
    ("EnvironmentOptions", "job_tags"): ("SamplerJobRequest", "tags"),
    ("EnvironmentOptions", "private"): ("SamplerJobRequest", "private"),
    ("_PrimitiveOptions", "max_execution_time"): ("SamplerJobRequest", "cost"),
}
# Checks the SDK makes beyond the spec, each with its reason.
STRICTER = {
    # an empty list cannot be extrapolated; the extrapolators need 2 or more (ZneOptions._check)
    ("ZneOptions", "noise_factors", "min_items"),
    # an edge of a coupling map is a pair of qubits
    ("SimulatorOptions", "coupling_map", "min_items"),
    ("SimulatorOptions", "coupling_map", "max_items"),
    # a gate name is never empty
    ("SimulatorOptions", "basis_gates", "min_length"),
    # a job may not run for 0 seconds
    ("_PrimitiveOptions", "max_execution_time", "minimum"),
}


def _schema(node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with its ``$ref`` resolved (and a nullable type reduced to the type)."""
    from tests.spec_schema import load_spec

    while "$ref" in node:
        node = load_spec()["components"]["schemas"][node["$ref"].rpartition("/")[2]]
    kind = node.get("type")
    if isinstance(kind, list):
        node = {**node, "type": next(k for k in kind if k != "null")}
    return node


def _rule_problems(rule: Rule, node: dict[str, Any], where: tuple[str, str]) -> list[str]:
    """How ``rule`` differs from the schema ``node``."""
    node = _schema(node)
    problems: list[str] = []
    branches = [_schema(b) for b in node.get("anyOf", [])]
    if branches:
        auto = [b for b in branches if b.get("enum") == ["auto"]]
        rest = [b for b in branches if b.get("enum") != ["auto"]]
        if rule.auto != bool(auto):
            problems.append("auto")
        if rule.one_or_many:  # one value, or an array of them
            return _rule_problems(attrs.evolve(rule, one_or_many=False), rest[0], where)
        node = rest[0]
    if rule.kind == "options":
        assert rule.options is not None
        return [] if node.get("title") == rule.options.__name__ else ["nested class"]
    if rule.kind != node.get("type"):
        problems.append(f"type {rule.kind} != {node.get('type')}")
    expected = {
        "minimum": node.get("minimum", node.get("exclusiveMinimum")),
        "maximum": node.get("maximum"),
        "exclusive": "exclusiveMinimum" in node,
        # compared as sets; a case-insensitive rule sends the upper-case spellings
        "enum": {e.upper() if rule.upper else e for e in node["enum"]} if "enum" in node else None,
        "min_items": node.get("minItems", 0),
        "max_items": node.get("maxItems"),
        "min_length": node.get("minLength", 0),
        "max_length": node.get("maxLength"),
    }
    for name, value in expected.items():
        mine = getattr(rule, name)
        mine = set(mine) if name == "enum" and mine is not None else mine
        if mine != value and (*where, name) not in STRICTER:
            problems.append(f"{name} {mine!r} != {value!r}")
    if rule.items is not None or "items" in node:
        if rule.items is None or "items" not in node:
            problems.append("items")
        else:
            problems += [f"items {p}" for p in _rule_problems(rule.items, node["items"], where)]
    return problems


def test_option_rules_are_those_of_the_spec() -> None:
    from tests.spec_schema import load_spec

    schemas = load_spec()["components"]["schemas"]
    checked = 0
    for cls in [*OPTION_CLASSES, EnvironmentOptions]:
        for f in attrs.fields(cls):
            owner = next(c.__name__ for c in cls.__mro__ if f.name in get_annotations(c))
            where = (owner, f.name)
            if f.name in ("experimental", "environment"):
                continue  # free-form JSON; the SDK's grouping of job fields (checked below)
            schema, prop = JOB_FIELDS.get(where, (cls.__name__, f.name))
            properties = schemas[schema]["properties"]
            assert prop in properties, f"{cls.__name__}.{f.name} is not in the spec"
            problems = _rule_problems(f.metadata["rule"], properties[prop], where)
            assert not problems, f"{cls.__name__}.{f.name}: {problems}"
            checked += 1
    assert checked > 50
    job = schemas["SamplerJobRequest"]["properties"]
    assert _schema(job["tags"])["maxItems"] == MAX_TAGS
    assert _schema(job["tags"])["items"]["maxLength"] == MAX_TAG_LENGTH
    assert _schema(job["cost"])["maximum"] == MAX_EXECUTION_TIME
    assert _schema(job["backend"])["maxLength"] == _schema(job["session_id"])["maxLength"] == 100


def test_a_rule_differing_from_the_spec_is_reported() -> None:
    from tests.spec_schema import load_spec

    spec = load_spec()["components"]["schemas"]["SamplerOptions"]["properties"]
    assert _rule_problems(Rule("integer", minimum=2), spec["default_shots"], ("x", "y"))
    assert not _rule_problems(Rule("integer", minimum=1), spec["default_shots"], ("x", "y"))
