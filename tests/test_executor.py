"""The emulator's executor and fake backends, without the HTTP layer.

Covers the seed's flows (OpenQASM 3 Bell circuit through the Sampler and Estimator), parameter
sweeps with broadcasting, QPY circuits, request-time validation messages, run-time failures,
qiskit-ibm-runtime's backend converter and ISA circuits transpiled for the 27- and 127-qubit
devices. Tests taking the ``engine`` fixture run twice: with qiskit-aer's primitives (the normal
path) and with qiskit's reference primitives (the fallback when Aer is not installed).

Most tests run on the simulator backend (any circuit, no noise). Tests of the simulation engine
on device-sized circuits use noiseless devices and drop the ISA check's verdict
(:func:`prepare`); ``tests/test_isa_noise.py`` covers the check and the noise.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import math
import zlib
from typing import Any

import numpy as np
import pytest
from qiskit import QuantumCircuit, qasm3, qpy
from qiskit.circuit import Parameter
from qiskit_runtime_emulator import executor
from qiskit_runtime_emulator.backends import DEVICES, Backend, FakeBackend, get_backend
from qiskit_runtime_emulator.circuits import reduce_circuit, reduce_observable
from qiskit_runtime_emulator.executor import (
    MAX_STATEVECTOR_QUBITS,
    REASON_INTERNAL,
    REASON_TRANSPILATION,
    ExecutionError,
    InvalidParams,
    PreparedJob,
    run_prepared,
    validate_params,
    warm_up,
)
from qiskit_runtime_rest.codec import decode_result, encode_ndarray, encode_result
from qiskit_runtime_rest.results import PrimitiveResult

BELL = """OPENQASM 3.0;
include "stdgates.inc";
bit[2] meas;
qubit[2] q;
h q[0];
cx q[0], q[1];
meas[0] = measure q[0];
meas[1] = measure q[1];
"""
BELL_STATE = """OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
h q[0];
cx q[0], q[1];
"""
BELL_QASM2 = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
"""
RY = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
qubit[1] q;
ry(theta) q[0];
"""
SEED_OPTIONS = {
    "transpilation": {"optimization_level": 1},
    "twirling": {"enable_gates": True, "enable_measure": True},
}


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_up()


@pytest.fixture
def small() -> Backend:
    """The simulator backend: any circuit, no noise."""
    return get_backend("ibm_emulator_simulator")


def quiet(name: str) -> FakeBackend:
    """A device backend without noise."""
    return dataclasses.replace(DEVICES[name], noisy=False)


def prepare(program_id: str, params: dict[str, Any], backend: Backend) -> PreparedJob:
    """validate_params, with the ISA check's verdict dropped (these tests exercise the engine)."""
    return dataclasses.replace(validate_params(program_id, params, backend), violation=None)


@pytest.fixture(params=["aer", "reference"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run with qiskit-aer's primitives, or with qiskit's reference ones (Aer "not installed")."""
    monkeypatch.setattr(executor, "AER_AVAILABLE", request.param == "aer")
    return str(request.param)


def qpy_node(circuit: QuantumCircuit) -> dict[str, str]:
    """A circuit as qiskit-ibm-runtime sends it: base64(zlib(QPY))."""
    buffer = io.BytesIO()
    qpy.dump(circuit, buffer)
    value = base64.standard_b64encode(zlib.compress(buffer.getvalue())).decode()
    return {"__type__": "QuantumCircuit", "__value__": value}


def run(program_id: str, params: dict[str, Any], backend: Backend) -> PrimitiveResult:
    typed = run_prepared(prepare(program_id, params, backend), typed=True)
    result = decode_result(typed)
    # Both forms must be plain JSON (the plain form of the same result, without a second run).
    json.dumps(typed)
    json.dumps(encode_result(result, typed=False))
    return result


def invalid(program_id: str, params: dict[str, Any], backend: Backend) -> str:
    with pytest.raises(InvalidParams) as info:
        validate_params(program_id, params, backend)
    return str(info.value)


# ------------------------------------------------------------------------------ backends


@pytest.mark.parametrize("name", sorted(DEVICES))
def test_backend_documents_build_a_target_in_qiskit_ibm_runtime(name: str) -> None:
    from qiskit_ibm_runtime.utils.backend_converter import convert_to_target
    from qiskit_ibm_runtime.utils.backend_decoder import (
        configuration_from_server_data,
        properties_from_server_data,
    )

    backend = DEVICES[name]
    # configuration_from_server_data returns None (and logs) on an invalid document.
    configuration = configuration_from_server_data(backend.configuration())
    assert configuration is not None
    properties = properties_from_server_data(backend.properties())
    target = convert_to_target(configuration, properties)

    assert target.num_qubits == backend.num_qubits
    assert set(backend.operation_names) <= set(target.operation_names)
    two_q = backend.two_qubit_gate
    assert {tuple(e) for e in backend.coupling_map} == set(target[two_q])
    assert all(target[two_q][edge].error > 0 for edge in target[two_q])
    assert set(target["measure"]) == {(q,) for q in range(backend.num_qubits)}
    assert target.qubit_properties[0].t1 > 0
    assert target.build_coupling_map().is_connected()


def test_backend_documents_are_consistent_and_deterministic() -> None:
    assert [b.num_qubits for b in DEVICES.values()] == [5, 27, 127]
    for backend in DEVICES.values():
        conf, props = backend.configuration(), backend.properties()
        assert conf == backend.configuration()  # fixed values, fresh copies
        conf["n_qubits"] = -1
        assert backend.configuration()["n_qubits"] == backend.num_qubits
        assert conf["backend_name"] == props["backend_name"] == backend.name
        assert conf["backend_version"] == props["backend_version"]
        assert len(props["qubits"]) == backend.num_qubits
        names = {nduv["name"] for nduv in props["qubits"][0]}
        assert {"T1", "T2", "frequency", "readout_error", "readout_length"} <= names
        assert {"prob_meas0_prep1", "prob_meas1_prep0"} <= names
        status = backend.status(length_queue=3)
        assert status == {
            "state": True,
            "status": "active",
            "message": "available",
            "length_queue": 3,
            "backend_version": backend.backend_version,
        }
        item = backend.list_item(queue_length=2)
        assert item["name"] == backend.name and item["qubits"] == backend.num_qubits
        assert item["status"]["name"] == "online" and item["queue_length"] == 2
        assert item["is_simulator"] is False and item["clops"]["type"] == "hardware"
        assert set(item["wait_time_seconds"]) == {"average", "p50", "p95"}
        assert "wait_time_seconds" not in backend.list_item(include_wait_time=False)
        assert item["performance_metrics"]["two_q_error_median"]["value"] > 0
    assert DEVICES["ibm_emulator_127q"].configuration()["basis_gates"] == [
        "ecr",
        "id",
        "rz",
        "sx",
        "x",
    ]
    with pytest.raises(KeyError, match="ibm_emulator_5q"):
        get_backend("ibm_nowhere")
    simulator = get_backend("ibm_emulator_simulator")
    conf = simulator.configuration()
    assert conf["simulator"] is True and conf["coupling_map"] == [] and conf["n_qubits"] == 32
    assert simulator.properties() is None and simulator.list_item()["is_simulator"] is True


# ------------------------------------------------------------------------------ sampler


def test_seed_bell_sampler_counts_and_reproducibility(small: Backend, engine: str) -> None:
    params = {
        "pubs": [[BELL, None, 1000]],
        "version": 2,
        "options": {**SEED_OPTIONS, "simulator": {"seed_simulator": 42}},
    }
    prepared = validate_params("sampler", params, small)
    assert any("transpilation" in w for w in prepared.warnings)
    assert any("twirling" in w for w in prepared.warnings)
    result = decode_result(run_prepared(prepared, typed=True))
    counts = result[0].data.meas.get_counts()
    assert set(counts) <= {"00", "11"} and sum(counts.values()) == 1000
    assert 350 < counts["00"] < 650
    again = run("sampler", params, small)
    assert again[0].data.meas == result[0].data.meas  # same seed, same shots
    other = run("sampler", {**params, "options": {"simulator": {"seed_simulator": 7}}}, small)
    assert other[0].data.meas != result[0].data.meas
    assert result.metadata["version"] == 2
    spans = result.metadata["execution"]["execution_spans"]
    assert type(spans).__name__ == "ExecutionSpans" and spans.pub_idxs == [0]  # decoded (issue 16)


def test_sampler_forms_and_defaults(small: Backend) -> None:
    # The seed's bare [[qasm]] PUB, default shots; a bare circuit; OpenQASM 2; params.shots.
    assert run("sampler", {"pubs": [[BELL]]}, small)[0].data.meas.num_shots == 4096
    assert run("sampler", {"pubs": [BELL], "shots": 10}, small)[0].data.meas.num_shots == 10
    opts = {"default_shots": 20}
    result = run("sampler", {"pubs": [[BELL_QASM2, None, 30], [BELL]], "options": opts}, small)
    assert result[0].data.c.num_shots == 30 and result[1].data.meas.num_shots == 20
    assert set(result[0].data.c.get_counts()) <= {"00", "11"}


def test_sampler_plain_and_typed_forms(small: Backend) -> None:
    prepared = validate_params("sampler", {"pubs": [[BELL, None, 5]]}, small)
    assert prepared.support_qiskit is False  # absent means the plain form (REST docs)
    plain = run_prepared(prepared)  # the job's own form: plain
    typed = run_prepared(prepared, typed=True)
    samples = plain["results"][0]["data"]["meas"]["samples"]
    assert len(samples) == 5 and set(samples) <= {"0x0", "0x3"}
    assert typed["__type__"] == "PrimitiveResult"
    pub = typed["__value__"]["pub_results"][0]
    assert pub["__type__"] == "SamplerPubResult"
    assert pub["__value__"]["metadata"] == {"circuit_metadata": {}}


def test_typed_result_decodes_with_the_official_client(small: Backend) -> None:
    from qiskit_ibm_runtime import RuntimeDecoder

    params = {"pubs": [[BELL, None, 100]], "support_qiskit": True}
    prepared = validate_params("sampler", params, small)
    assert prepared.support_qiskit is True
    typed = run_prepared(prepared)
    result = json.loads(json.dumps(typed), cls=RuntimeDecoder)
    counts = result[0].data.meas.get_counts()
    assert set(counts) <= {"00", "11"} and sum(counts.values()) == 100
    est = validate_params("estimator", {"pubs": [[BELL_STATE, ["ZZ", "XX"]]]}, small)
    decoded = json.loads(json.dumps(run_prepared(est, typed=True)), cls=RuntimeDecoder)
    assert decoded[0].data.evs.shape == (2,)


def test_sampler_parameter_sweep_and_registers(small: Backend, engine: str) -> None:
    theta = Parameter("theta")
    circuit = QuantumCircuit(2, 1)
    circuit.rx(theta, 0)
    circuit.measure(0, 0)
    circuit.measure_all()  # a second register, "meas"
    values = np.array([[0.0], [math.pi], [0.0]])
    params = {"pubs": [[qpy_node(circuit), encode_ndarray(values), 50]]}
    result = run("sampler", params, small)
    c, meas = result[0].data.c, result[0].data.meas
    assert c.shape == (3,) and meas.shape == (3,) and c.num_bits == 1 and meas.num_bits == 2
    assert c.get_counts(0) == {"0": 50} and c.get_counts(1) == {"1": 50}
    assert meas.get_counts(1) == {"01": 50}


# ------------------------------------------------------------------------------ estimator


def test_seed_bell_estimator(small: Backend, engine: str) -> None:
    params = {
        "pubs": [[BELL_STATE, ["ZZ", "XX", "YY", {"ZI": 0.5, "IZ": 0.5, "XY": 1}]]],
        "version": 2,
        "options": {**SEED_OPTIONS, "seed_estimator": 1},
    }
    result = run("estimator", params, small)
    data = result[0].data
    precision = 0.015625
    np.testing.assert_allclose(data.evs, [1, 1, -1, 0], atol=5 * precision)
    np.testing.assert_allclose(data.stds, precision)
    np.testing.assert_allclose(data.ensemble_standard_error, precision)
    meta = result[0].metadata
    assert meta["target_precision"] == precision and meta["shots"] == 4096
    assert meta["circuit_metadata"] == {}
    assert result.metadata["version"] == 2
    assert run("estimator", params, small)[0].data == data  # seeded noise


def test_estimator_precision_rules(small: Backend) -> None:
    def precision(params: dict[str, Any]) -> float:
        pub = validate_params("estimator", params, small).pubs[0]
        return float(pub.precision)  # type: ignore[union-attr]

    pub: list[Any] = [BELL_STATE, "ZZ"]
    assert precision({"pubs": [pub]}) == 0.015625
    assert precision({"pubs": [pub], "options": {"default_precision": 0.1}}) == 0.1
    assert precision({"pubs": [pub], "options": {"default_shots": 100}}) == pytest.approx(0.1)
    assert precision({"pubs": [pub], "precision": 0.2, "options": {"default_shots": 4}}) == 0.2
    assert precision({"pubs": [[*pub, None, 0.3]], "precision": 0.2}) == 0.3
    result = run("estimator", {"pubs": [[*pub, None, 0.001]], "resilience_level": 0}, small)
    assert result[0].data.evs == pytest.approx(1, abs=0.01)
    assert result[0].metadata["shots"] == 1_000_000


def test_estimator_broadcast_sweep(small: Backend, engine: str) -> None:
    thetas = np.linspace(0, math.pi, 5)
    values = thetas.reshape(1, 5, 1)  # bind shape (1, 5), one parameter
    observables = [["Z"], ["X"]]  # shape (2, 1)
    params = {
        "pubs": [[RY, observables, encode_ndarray(values), 1e-4]],
        "options": {"seed_estimator": 3},
    }
    result = run("estimator", params, small)
    evs = result[0].data.evs
    assert evs.shape == (2, 5) and result[0].data.shape == (2, 5)
    np.testing.assert_allclose(evs[0], np.cos(thetas), atol=1e-3)
    np.testing.assert_allclose(evs[1], np.sin(thetas), atol=1e-3)


def test_parameter_value_spellings_agree(small: Backend) -> None:
    circuit = QuantumCircuit(2)
    a, b = Parameter("a"), Parameter("b")
    circuit.ry(a, 0)
    circuit.ry(b, 1)
    columns = np.array([[0.3, 1.1], [2.0, 0.4]])  # columns sorted by name: a, b
    spellings: list[Any] = [
        columns.tolist(),
        encode_ndarray(columns),
        {"__type__": "ndarray", "__value__": columns.tolist()},
        {"b": [1.1, 0.4], "a": [0.3, 2.0]},
    ]
    expected = np.cos(columns[:, 0]) * np.cos(columns[:, 1])
    for values in spellings:
        pubs = [[qpy_node(circuit), "ZZ", values, 1e-6]]
        evs = run("estimator", {"pubs": pubs}, small)[0].data.evs
        np.testing.assert_allclose(evs, expected, atol=1e-4)


def test_idle_qubits_and_separate_components(small: Backend, engine: str) -> None:
    circuit = QuantumCircuit(5)
    circuit.h(0)
    circuit.cx(0, 1)  # Bell pair on qubits 0, 1
    circuit.x(3)  # qubit 3 alone in |1>; qubits 2 and 4 idle
    # Labels: qubit 0 is the rightmost character.
    observables = ["IIIZZ", "IZIII", "ZIIII", "XIIII", "ZZZZZ", "IXIXX", {"IZIZZ": 2.0, "YIIII": 5}]
    params = {"pubs": [[qpy_node(circuit), observables, None, 1e-6]]}
    evs = run("estimator", params, small)[0].data.evs
    np.testing.assert_allclose(evs, [1, -1, 1, 0, -1, 0, -2], atol=1e-4)


# ------------------------------------------------------------------------------ validation


@pytest.mark.parametrize(
    ("program_id", "pub", "message"),
    [
        ("sampler", ["OPENQASM 3.0; qubit[2] q; foo q[0];"],
         r"pubs\[0\]\[0\]: .*does not parse"),
        ("sampler", ["OPENQASM 2.0; qreg q[2]; h q[5];"], r"pubs\[0\]\[0\]: .*does not parse"),
        ("sampler", [42], r"pubs\[0\]\[0\]: a circuit must be"),
        ("sampler", [BELL, None, -5], r"pubs\[0\]\[2\]: shots must be a positive integer, got -5"),
        ("sampler", [BELL, None, 0], r"pubs\[0\]\[2\]: shots must be a positive"),
        ("sampler", [BELL, None, 10**9], r"pubs\[0\]\[2\]: shots is 1000000000, above"),
        ("sampler", [BELL_STATE], r"pubs\[0\]\[0\]: .*classical register"),
        ("sampler", [BELL.replace("meas[0] = measure q[0];\nmeas[1] = measure q[1];\n", "")],
         r"pubs\[0\]\[0\]: the Sampler circuit has no measurements"),
        ("estimator", [BELL_STATE, "ZZZ"],
         r"pubs\[0\]\[1\]: Pauli string 'ZZZ' has length 3 but the circuit has 2 qubits"),
        ("estimator", [BELL_STATE, ["ZZ", ["XX"]]], r"pubs\[0\]\[1\]: .*rectangular"),
        ("estimator", [BELL_STATE, ["ZZ", "AB"]],
         r"pubs\[0\]\[1\]\[1\]: Pauli string 'AB' contains 'A', 'B'; only I, X, Y and Z"),
        ("estimator", [BELL_STATE, {"ZZ": "one"}], r"pubs\[0\]\[1\]: the coefficient of 'ZZ'"),
        ("estimator", [BELL_STATE, []], r"pubs\[0\]\[1\]: an empty list"),
        ("estimator", [BELL_STATE, "ZZ", None, -1.0],
         r"pubs\[0\]\[3\]: precision must be a positive number, got -1.0"),
        ("estimator", [BELL_STATE], r"pubs\[0\]: a PUB has 2 to 4 items, this one has 1"),
        ("estimator", BELL_STATE, r"pubs\[0\]: an Estimator PUB must be an array"),
        ("estimator", [RY, "Z"], r"pubs\[0\]\[2\]: the circuit has 1 parameters \(theta\) but no"),
        ("estimator", [RY, "Z", {"phi": 1.0}],
         r"pubs\[0\]\[2\]: the circuit has no parameter named phi"),
        ("estimator", [RY, "Z", [["x"]]], r"pubs\[0\]\[2\]: parameter values must be real"),
        ("estimator", [RY, ["Z", "X", "Y"], [0.1, 0.2]],
         r"pubs\[0\]: observables shape \(3,\) and parameter values shape \(2,\) .*broadcast"),
    ],
)  # fmt: skip
def test_invalid_pubs_name_the_problem(
    small: Backend, program_id: str, pub: Any, message: str
) -> None:
    with pytest.raises(InvalidParams, match=message):
        validate_params(program_id, {"pubs": [pub]}, small)


def test_invalid_parameter_columns_and_width(small: Backend) -> None:
    circuit = QuantumCircuit(2)
    circuit.ry(Parameter("a"), 0)
    circuit.ry(Parameter("b"), 1)
    node = qpy_node(circuit)
    message = invalid("estimator", {"pubs": [[node, "ZZ", [[1.0, 2.0, 3.0]]]]}, small)
    assert message == (
        "pubs[0][2]: parameter values have 3 columns (shape (1, 3)) but the circuit has 2 "
        "parameters (a, b)"
    )
    # Too wide for the device: not a 400, a job that fails with code 1517 (an ISA violation).
    wide = QuantumCircuit(6, 6)
    wide.measure(range(6), range(6))
    device = get_backend("ibm_emulator_5q")
    prepared = validate_params("sampler", {"pubs": [[qpy_node(wide)]]}, device)
    assert prepared.violation is not None
    assert prepared.violation.endswith(
        "pubs[0][0]: the circuit has 6 qubits but ibm_emulator_5q has 5"
    )
    with pytest.raises(ExecutionError) as info:
        run_prepared(prepared)
    assert info.value.reason_code == 1517


RX_MEASURED = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
bit[1] c;
qubit[1] q;
rx(theta) q[0];
c[0] = measure q[0];
"""


@pytest.mark.parametrize("values", [[], {"theta": []}], ids=["list", "by-name"])
@pytest.mark.parametrize("program_id", ["sampler", "estimator"])
def test_pubs_without_bindings_are_refused(small: Backend, program_id: str, values: Any) -> None:
    # Shape (0,): nothing to run, and Aer's primitives crash the process on it.
    pub = [RX_MEASURED, values] if program_id == "sampler" else [RY, "Z", values]
    good = [RX_MEASURED, [0.1]] if program_id == "sampler" else [RY, "Z", [0.1]]
    message = invalid(program_id, {"pubs": [good, pub]}, small)
    assert message == "pubs[1]: the PUB has no parameter bindings (its shape (0,) has size 0)"


def test_empty_ndarray_bindings_are_refused(small: Backend) -> None:
    circuit = QuantumCircuit(2)
    circuit.ry(Parameter("a"), 0)
    circuit.ry(Parameter("b"), 1)
    values = encode_ndarray(np.zeros((3, 0, 2)))
    message = invalid("estimator", {"pubs": [[qpy_node(circuit), "ZZ", values]]}, small)
    assert message == "pubs[0]: the PUB has no parameter bindings (its shape (3, 0) has size 0)"


def test_invalid_job_level_params(small: Backend) -> None:
    assert invalid("sampler", {"pubs": []}, small).startswith("pubs: must be a non-empty")
    assert "version 2" in invalid("sampler", {"pubs": [[BELL]], "version": 1}, small)
    assert "program_id" in invalid("qaoa", {"pubs": [[BELL]]}, small)
    assert "seed" in invalid(
        "sampler", {"pubs": [[BELL]], "options": {"simulator": {"seed_simulator": -1}}}, small
    )
    assert "resilience_level" in invalid(
        "estimator", {"pubs": [[BELL_STATE, "ZZ"]], "resilience_level": 7}, small
    )
    assert "default_shots" in invalid(
        "sampler", {"pubs": [[BELL]], "options": {"default_shots": 0}}, small
    )


# ------------------------------------------------------------------------------ run-time failures


def test_dynamic_circuits_run_with_aer(small: Backend, engine: str) -> None:
    from qiskit.circuit.classical import expr

    mid = QuantumCircuit(1, 2)
    mid.x(0)
    mid.measure(0, 0)  # 1
    mid.x(0)
    mid.measure(0, 1)  # 0
    reset = QuantumCircuit(1, 1)
    reset.reset(0)  # a reset of a fresh qubit is a no-op
    reset.x(0)
    reset.reset(0)  # a reset after a gate
    reset.measure(0, 0)
    feed_forward = QuantumCircuit(2, 2)
    feed_forward.h(0)
    feed_forward.measure(0, 0)
    with feed_forward.if_test(expr.equal(feed_forward.clbits[0], True)):
        feed_forward.x(1)
    feed_forward.measure(1, 1)
    circuits = [mid, reset, feed_forward]
    if engine == "reference":
        # qiskit's StatevectorSampler runs resets, but measures only at the end.
        assert run("sampler", {"pubs": [[qpy_node(reset), None, 10]]}, small)[
            0
        ].data.c.get_counts() == {"0": 10}
        for circuit, message in [(mid, "mid-circuit"), (feed_forward, "ControlFlowOp")]:
            prepared = validate_params("sampler", {"pubs": [[qpy_node(circuit)]]}, small)
            with pytest.raises(ExecutionError, match=message) as info:
                run_prepared(prepared)
            assert info.value.reason_code == REASON_TRANSPILATION
        return
    params = {
        "pubs": [[qpy_node(circuit), None, 100] for circuit in circuits],
        "options": {"simulator": {"seed_simulator": 5}},
    }
    result = run("sampler", params, small)
    assert result[0].data.c.get_counts() == {"01": 100}
    assert result[1].data.c.get_counts() == {"0": 100}
    counts = result[2].data.c.get_counts()
    assert set(counts) == {"00", "11"} and sum(counts.values()) == 100


def test_unknown_instructions_fail_at_run_time(small: Backend, engine: str) -> None:
    from qiskit.circuit import Gate

    opaque = QuantumCircuit(2)
    opaque.h(0)
    opaque.append(Gate("mystery", 1, []), [1])  # no definition: nothing can simulate it
    measured = opaque.measure_all(inplace=False)
    jobs = [
        ("sampler", {"pubs": [[BELL], [qpy_node(measured)]]}, r"pubs\[1\]: "),
        ("estimator", {"pubs": [[BELL_STATE, "ZZ"], [qpy_node(opaque), "ZZ"]]}, r"pubs\[1\]: "),
    ]
    for program_id, params, where in jobs:
        prepared = validate_params(program_id, params, small)  # fine at submission
        with pytest.raises(ExecutionError, match=where + "the simulator cannot run") as info:
            run_prepared(prepared)
        assert info.value.reason_code == REASON_TRANSPILATION
        assert "mystery" in info.value.reason


def test_circuits_beyond_the_state_vector_limit_fail(engine: str) -> None:
    big = quiet("ibm_emulator_127q")
    width = MAX_STATEVECTOR_QUBITS + 2
    circuit = QuantumCircuit(width)
    circuit.h(0)
    for q in range(width - 1):
        circuit.cx(q, q + 1)
    circuit.t(range(width))  # not a Clifford circuit
    pubs = [[BELL_STATE, "ZZ"], [qpy_node(circuit), "Z" * width]]
    prepared = prepare("estimator", {"pubs": pubs}, big)
    with pytest.raises(ExecutionError) as info:
        run_prepared(prepared)
    assert info.value.reason_code == REASON_INTERNAL
    assert f"pubs[1]: the circuit acts on {width} qubits" in info.value.reason
    measured = circuit.measure_all(inplace=False)
    prepared = prepare("sampler", {"pubs": [[BELL], [qpy_node(measured)]]}, big)
    with pytest.raises(ExecutionError, match=rf"pubs\[1\]: the circuit acts on {width} qubits"):
        run_prepared(prepared)


def test_clifford_circuits_on_all_127_qubits_run_with_aer(engine: str) -> None:
    big = quiet("ibm_emulator_127q")
    ghz = QuantumCircuit(127)
    ghz.h(0)
    for q in range(126):
        ghz.cx(q, q + 1)
    # (|0...0> + |1...1>) / sqrt(2): <Z...Z> = 0 for an odd number of qubits.
    observables = ["Z" * 127, "X" * 127, "I" * 125 + "ZZ", {"I" * 126 + "X": 1.0}]
    estimator = {"pubs": [[qpy_node(ghz), observables, None, 1e-6]]}
    sampler = {"pubs": [[qpy_node(ghz.measure_all(inplace=False)), None, 100]]}
    if engine == "reference":
        with pytest.raises(ExecutionError, match="acts on 127 qubits"):
            run("estimator", estimator, big)
        return
    evs = run("estimator", estimator, big)[0].data.evs
    np.testing.assert_allclose(evs, [0, 1, 1, 0], atol=1e-4)
    counts = run("sampler", sampler, big)[0].data.meas.get_counts()
    assert set(counts) == {"0" * 127, "1" * 127} and sum(counts.values()) == 100


@pytest.mark.parametrize("variant", ["aer", "reference", "aer-broken"])
def test_the_primitives_in_use(
    small: Backend, monkeypatch: pytest.MonkeyPatch, variant: str
) -> None:
    import sys

    import qiskit.primitives
    import qiskit_aer.primitives

    used: list[str] = []
    for module, name in [
        (qiskit_aer.primitives, "SamplerV2"),
        (qiskit_aer.primitives, "EstimatorV2"),
        (qiskit.primitives, "StatevectorSampler"),
        (qiskit.primitives, "StatevectorEstimator"),
    ]:
        original = getattr(module, name)

        def spy(*args: Any, _original: Any = original, _name: str = name, **kwargs: Any) -> Any:
            used.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    monkeypatch.setattr(executor, "AER_AVAILABLE", variant != "reference")
    if variant == "aer-broken":  # installed but not importable: fall back
        monkeypatch.setitem(sys.modules, "qiskit_aer.primitives", None)
    run("sampler", {"pubs": [[BELL, None, 10]]}, small)
    run("estimator", {"pubs": [[BELL_STATE, "ZZ"], [BELL_STATE, "XX"]]}, small)
    if variant == "aer":
        assert used == ["SamplerV2", "EstimatorV2", "EstimatorV2"]
    else:
        assert used == ["StatevectorSampler", "StatevectorEstimator", "StatevectorEstimator"]


def test_estimator_noise_is_seeded_and_independent_across_pubs(small: Backend, engine: str) -> None:
    pub = [BELL_STATE, ["ZZ", "XX", "IZ"], None, 0.1]
    params = {"pubs": [pub, pub], "options": {"seed_estimator": 11}}
    first = run("estimator", params, small)
    again = run("estimator", params, small)
    np.testing.assert_array_equal(first[0].data.evs, again[0].data.evs)
    np.testing.assert_array_equal(first[1].data.evs, again[1].data.evs)
    assert not np.array_equal(first[0].data.evs, first[1].data.evs)  # fresh noise per PUB
    other = run("estimator", {**params, "options": {"seed_estimator": 12}}, small)
    assert not np.array_equal(first[0].data.evs, other[0].data.evs)
    # seed_simulator seeds the estimator too when seed_estimator is absent.
    by_simulator = {**params, "options": {"simulator": {"seed_simulator": 11}}}
    np.testing.assert_array_equal(
        run("estimator", by_simulator, small)[0].data.evs, first[0].data.evs
    )
    # The noise has std = precision: 6 values at precision 0.1 around 1, 1, 0.
    deviations = np.concatenate([pub.data.evs - [1, 1, 0] for pub in first])
    assert np.all(np.abs(deviations) < 0.5) and np.any(np.abs(deviations) > 1e-3)
    np.testing.assert_allclose(first[0].data.stds, 0.1)


def test_zero_observables_and_parameterless_sweeps(small: Backend, engine: str) -> None:
    # qiskit's ObservablesArray rejects the zero operator; the executor handles it.
    params = {"pubs": [[BELL_STATE, [{"ZZ": 0.0}, {"XX": 1.0}], None, 1e-6]]}
    np.testing.assert_allclose(run("estimator", params, small)[0].data.evs, [0, 1], atol=1e-4)
    # A circuit without parameters swept over 3 (empty) bindings.
    empty = encode_ndarray(np.zeros((3, 0)))
    result = run("estimator", {"pubs": [[BELL_STATE, [["ZZ"], ["XX"]], empty, 1e-6]]}, small)
    assert result[0].data.evs.shape == (2, 3)
    np.testing.assert_allclose(result[0].data.evs, 1, atol=1e-4)
    meas = run("sampler", {"pubs": [[BELL, empty, 7]]}, small)[0].data.meas
    assert meas.shape == (3,) and meas.num_shots == 7
    assert set(meas.get_counts()) <= {"00", "11"} and sum(meas.get_counts().values()) == 21


# ------------------------------------------------------------------------------ idle qubits


def _idle_qubit_circuit() -> QuantumCircuit:
    circuit = QuantumCircuit(6, 4)
    theta = Parameter("theta")
    circuit.h(1)
    circuit.cx(1, 3)
    circuit.ry(theta, 3)
    circuit.barrier()
    circuit.delay(100, 5)
    circuit.reset(4)
    circuit.id(2)
    circuit.measure(1, 0)
    circuit.measure(3, 1)
    circuit.measure(0, 2)  # an idle qubit, the only writer of bit 2: bit 2 stays 0
    circuit.measure(3, 3)
    circuit.measure(5, 3)  # an idle qubit overwrites bit 3 with 0
    return circuit


def test_reduce_circuit_keeps_the_active_qubits_and_the_classical_bits() -> None:
    circuit = _idle_qubit_circuit()
    reduced = reduce_circuit(circuit)
    assert reduced.qubits == (1, 3, -1)  # -1: a spare qubit in |0> for the overwrite of bit 3
    assert reduced.circuit.num_qubits == 3 and reduced.circuit.clbits == circuit.clbits
    assert reduced.circuit.cregs == circuit.cregs
    assert dict(reduced.circuit.count_ops()) == {"h": 1, "cx": 1, "ry": 1, "measure": 4}
    assert reduced.columns.tolist() == [0] and not reduced.is_identity
    assert circuit.num_qubits == 6 and len(circuit.data) == 12  # the original is untouched

    # Labels have qubit 0 rightmost; the reduced qubits are (1, 3, spare).
    # Idle qubits 0, 2, 4, 5: X or Y there drop the term, Z counts as I; equal labels merge.
    observable = {
        "IIZIZI": 1.0,
        "IIXIZI": 5.0,
        "ZZIZZZ": 2.0,
        "ZIIIZI": -2.0,
        "IIIIIX": 3.0,
        "IIIIIZ": 0.5,
    }
    reduced_observable = {"IZZ": 1.0, "IXZ": 5.0, "IIZ": 0.0, "III": 0.5}
    assert reduce_observable(observable, reduced) == reduced_observable
    assert reduce_observable({"XIIIII": 1.0}, reduced) == {}

    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    same = reduce_circuit(bell)
    assert same.circuit is bell and same.is_identity
    assert reduce_observable({"XX": 1.0}, same) == {"XX": 1.0}
    nothing = reduce_circuit(QuantumCircuit(3))
    assert nothing.qubits == (-1,) and reduce_observable({"ZIZ": 2.0}, nothing) == {"I": 2.0}


def test_idle_qubit_reduction_end_to_end(engine: str) -> None:
    backend = quiet("ibm_emulator_27q")
    circuit = _idle_qubit_circuit()
    params = {
        "pubs": [[qpy_node(circuit), [[0.0], [math.pi]], 50]],
        "options": {"simulator": {"seed_simulator": 2}},
    }
    c = run("sampler", params, backend)[0].data.c
    assert c.shape == (2,) and c.num_bits == 4
    assert set(c.get_counts(0)) == {"0000", "0011"}  # bits 2, 3: 0; ry(0) leaves the Bell pair
    assert set(c.get_counts(1)) == {"0001", "0010"}  # ry(pi) flips qubit 3

    state = circuit.remove_final_measurements(inplace=False)
    observables = ["IIIIZI", "IIZIZI", "XIIIII", "IZIIII", {"IIXIXI": 1.0, "ZIIZII": 0.25}]
    params = {"pubs": [[qpy_node(state), observables, [0.3], 1e-6]]}
    evs = run("estimator", params, backend)[0].data.evs
    np.testing.assert_allclose(evs, [0, math.cos(0.3), 0, 1, math.cos(0.3) + 0.25], atol=1e-4)


# ------------------------------------------------------------------------------ ISA circuits


def _qiskit_backend(fake: FakeBackend) -> Any:
    """A qiskit BackendV2 whose Target comes from qiskit-ibm-runtime's converter."""
    from qiskit.providers import BackendV2, Options
    from qiskit_ibm_runtime.utils.backend_converter import convert_to_target
    from qiskit_ibm_runtime.utils.backend_decoder import (
        configuration_from_server_data,
        properties_from_server_data,
    )

    target = convert_to_target(
        configuration_from_server_data(fake.configuration()),
        properties_from_server_data(fake.properties()),
    )

    class _Backend(BackendV2):  # type: ignore[misc]
        @property
        def target(self) -> Any:
            return target

        @property
        def max_circuits(self) -> None:
            return None

        @classmethod
        def _default_options(cls) -> Any:
            return Options()

        def run(self, run_input: Any, **options: Any) -> Any:
            raise NotImplementedError

    return _Backend(name=fake.name)


@pytest.mark.parametrize("name", ["ibm_emulator_27q", "ibm_emulator_127q"])
def test_isa_circuits_run_thanks_to_idle_qubit_removal(name: str, engine: str) -> None:
    from qiskit.quantum_info import SparsePauliOp
    from qiskit.transpiler import generate_preset_pass_manager

    fake = quiet(name)
    pm = generate_preset_pass_manager(
        backend=_qiskit_backend(fake), optimization_level=1, seed_transpiler=11
    )
    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    measured = bell.copy()
    measured.measure_all()
    isa = pm.run(measured)
    assert isa.num_qubits == fake.num_qubits
    assert set(isa.count_ops()) <= {*fake.operation_names, "barrier"}

    params = {
        "pubs": [[qpy_node(isa), None, 1000]],
        "options": {"simulator": {"seed_simulator": 1}},
    }
    assert validate_params("sampler", params, fake).violation is None  # an ISA circuit
    counts = run("sampler", params, fake)[0].data.meas.get_counts()
    assert set(counts) <= {"00", "11"} and sum(counts.values()) == 1000

    isa_state = pm.run(bell)
    observables = [
        {label: float(coeff.real) for label, coeff in op.to_list()}
        for op in (
            SparsePauliOp(p).apply_layout(isa_state.layout) for p in ("ZZ", "XX", "YY", "IZ")
        )
    ]
    assert len(next(iter(observables[0]))) == fake.num_qubits
    estimator: dict[str, Any] = {"pubs": [[qpy_node(isa_state), observables, None, 1e-6]]}
    assert validate_params("estimator", estimator, fake).violation is None
    evs = run("estimator", estimator, fake)[0].data.evs
    np.testing.assert_allclose(evs, [1, 1, -1, 0], atol=1e-4)


def test_wide_results_from_independent_pairs(engine: str) -> None:
    fake = quiet("ibm_emulator_127q")
    circuit = QuantumCircuit(127)
    pairs = [(q, q + 1) for q in range(0, 40, 2)]  # 20 Bell pairs: 40 qubits, never 2^40
    for a, b in pairs:
        circuit.h(a)
        circuit.cx(a, b)
    circuit.x(126)
    circuit.measure_all()
    params = {
        "pubs": [[qpy_node(circuit), None, 200]],
        "options": {"simulator": {"seed_simulator": 3}},
    }
    if engine == "reference":  # 41 active qubits: a state vector would not fit
        with pytest.raises(ExecutionError, match="acts on 41 qubits") as info:
            run("sampler", params, fake)
        assert info.value.reason_code == REASON_INTERNAL
        return
    # Aer simulates this Clifford circuit with the stabilizer method.
    meas = run("sampler", params, fake)[0].data.meas
    assert meas.num_bits == 127 and meas.array.shape == (200, 16)
    bits = meas.to_bool_array(order="little")
    for a, b in pairs:
        assert np.array_equal(bits[:, a], bits[:, b])
    assert bits[:, 126].all() and not bits[:, 40:126].any()
    assert 0.3 < bits[:, 0].mean() < 0.7 and not np.array_equal(bits[:, 0], bits[:, 2])


def test_twenty_qubit_ten_pub_estimator_job() -> None:
    fake = quiet("ibm_emulator_27q")
    n = 20
    thetas = [Parameter(f"t{i:02d}") for i in range(n)]
    circuit = QuantumCircuit(n)
    for q in range(n):
        circuit.h(q)
        circuit.ry(thetas[q], q)
        circuit.h(q)
    for q in range(n - 1):
        circuit.cz(q, q + 1)
    for q in range(n):
        circuit.rz(0.3, q)  # diagonal: Z expectations are unchanged
    # Each qubit is H.RY(t).H|0>, whose <Z> is cos(t); cz and rz do not change Z products.
    qasm = qasm3.dumps(circuit)
    observables = [
        "Z" * n,
        "I" * (n - 1) + "Z",
        {"Z" + "I" * (n - 1): 0.5, "I" * (n - 2) + "ZZ": 0.5},
    ]
    rng = np.random.default_rng(0)
    rows = rng.uniform(0, 1, size=(10, n))
    pubs = [[qasm, observables, row.tolist(), 1e-6] for row in rows]
    prepared = prepare("estimator", {"pubs": pubs}, fake)
    assert isinstance(prepared, PreparedJob) and len(prepared.pubs) == 10
    result = decode_result(run_prepared(prepared, typed=True))
    for row, pub in zip(rows, result, strict=True):
        c = np.cos(row)  # the QASM parameters t00..t19 sort like the columns
        expected = [np.prod(c), c[0], 0.5 * c[n - 1] + 0.5 * c[0] * c[1]]
        np.testing.assert_allclose(pub.data.evs, expected, atol=1e-4)


def _random_circuit(num_qubits: int, depth: int, seed: int) -> QuantumCircuit:
    """Gates of 1 to 3 qubits on random qubits, some parameterized, some diagonal."""
    from qiskit.circuit.library import (
        CCXGate,
        CPhaseGate,
        CXGate,
        CZGate,
        ECRGate,
        HGate,
        RZZGate,
        SwapGate,
        SXGate,
        UGate,
    )

    rng = np.random.default_rng(seed)
    angle = Parameter("angle")
    circuit = QuantumCircuit(num_qubits)
    for _ in range(depth):
        kind = int(rng.integers(9))
        if kind == 0:
            gate, width = UGate(*rng.uniform(-3, 3, size=3)), 1
        elif kind == 1:
            gate, width = (HGate() if rng.random() < 0.5 else SXGate()), 1
        elif kind == 2:
            circuit.rz(angle * rng.uniform(0.5, 2), int(rng.integers(num_qubits)))
            continue
        elif kind == 3:
            gate, width = CXGate(), 2
        elif kind == 4:
            gate, width = ECRGate(), 2
        elif kind == 5:
            gate, width = (CZGate() if rng.random() < 0.5 else SwapGate()), 2
        elif kind == 6:
            gate, width = RZZGate(float(rng.uniform(-3, 3))), 2
        elif kind == 7:
            gate, width = CPhaseGate(float(rng.uniform(-3, 3))), 2
        else:
            gate, width = CCXGate(), 3
        qubits = rng.choice(num_qubits, size=width, replace=False).tolist()
        circuit.append(gate, qubits)
    return circuit


@pytest.mark.parametrize("seed", range(4))
def test_simulation_matches_qiskit_statevector(seed: int, engine: str) -> None:
    from qiskit.quantum_info import Pauli, Statevector

    # 8 qubits; odd seeds leave the top qubit idle, and with few gates, independent groups of
    # qubits occur too.
    backend = quiet("ibm_emulator_27q")
    width = 8
    circuit = _random_circuit(width - seed % 2, 7 if seed == 2 else 60, seed)
    if seed % 2:
        circuit = circuit.tensor(QuantumCircuit(1))
    rng = np.random.default_rng(100 + seed)
    labels = ["".join(rng.choice(list("IXYZ"), size=width)) for _ in range(12)]
    values = [[0.4], [1.7]]
    params: dict[str, Any] = {
        "pubs": [[qpy_node(circuit), [[label] for label in labels], values, 1e-9]]
    }
    evs = run("estimator", params, backend)[0].data.evs
    assert evs.shape == (12, 2)
    for column, value in enumerate(values):
        state = Statevector(circuit.assign_parameters(value))
        expected = [state.expectation_value(Pauli(label)).real for label in labels]
        np.testing.assert_allclose(evs[:, column], expected, atol=1e-6)

    measured = circuit.measure_all(inplace=False)
    shots = 4000
    params = {
        "pubs": [[qpy_node(measured), [values[0]], shots]],
        "options": {"simulator": {"seed_simulator": seed}},
    }
    counts = run("sampler", params, backend)[0].data.meas.get_counts()
    probabilities = Statevector(circuit.assign_parameters(values[0])).probabilities_dict()
    for outcome, p in probabilities.items():
        # Binomial standard deviation, with 5 sigma of slack; for rare outcomes (p * shots near
        # 0) the count is Poisson-like and a few stray hits are normal.
        slack = 5 * math.sqrt(p * (1 - p) / shots) + 4 / shots
        assert abs(counts.get(outcome, 0) / shots - p) < slack
    assert set(counts) <= {k for k, p in probabilities.items() if p > 1e-12}
