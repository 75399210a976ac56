"""The emulator's executor engine (quantum programs), without the HTTP layer.

Every program recorded from qiskit-ibm-runtime (``tests/data/executor``) validates and runs, and
its result, decoded by qiskit-ibm-runtime's own decoder chain (``DEFAULT_DECODERS["executor"]``:
the executor decoder, then the client-side Sampler or Estimator post-processing chosen from
``semantic_role``), gives the right physics. Fresh programs are built with the official client
too (its ``Executor.run`` encodes them exactly as for a real submission; only the final
``service._run`` is replaced by a recorder), and the validation errors are checked one by one.
"""

from __future__ import annotations

import base64
import copy
import json
import math
import pickle
import re
import struct
import zlib
from collections.abc import Callable
from functools import reduce
from typing import Any

import numpy as np
import pytest
from qiskit import QuantumCircuit, qpy
from qiskit.circuit import Parameter
from qiskit.providers.fake_provider import GenericBackendV2
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime.decoders.defaults import DEFAULT_DECODERS
from qiskit_runtime_emulator import executor
from qiskit_runtime_emulator.backends import get_backend
from qiskit_runtime_emulator.executor import MAX_TOTAL_SHOTS, InvalidParams
from qiskit_runtime_emulator.quantum_programs import (
    PreparedProgram,
    run_program,
    validate_program,
)

from tests import executor_data
from tests.spec_schema import errors

BACKEND = get_backend("ibm_emulator_5q")
# qiskit-mitigation's ZNE fit warns when noiseless data has zero standard errors.
pytestmark = pytest.mark.filterwarnings("ignore:No positive, finite standard errors:UserWarning")


def decode_with_qiskit(document: dict[str, Any]) -> Any:
    """What ``RuntimeJobV2.result()`` does with the downloaded JSON of an executor job."""
    return reduce(
        lambda value, decoder: decoder.decode(value) if decoder.is_applicable(value) else value,
        DEFAULT_DECODERS["executor"],
        json.dumps(document),
    )


def execute(body: dict[str, Any], *, seed: int | None = 7, **kwargs: Any) -> dict[str, Any]:
    prepared = validate_program(body["params"], BACKEND, **kwargs)
    # Both stages run in worker processes: what passes between them must pickle.
    document = run_program(pickle.loads(pickle.dumps(prepared)), seed=seed)
    assert errors("JobResult", document) == []
    return document


def assert_bell_counts(counts: dict[str, int], shots: int) -> None:
    assert set(counts) <= {"00", "11"}, counts
    assert sum(counts.values()) == shots
    # Binomial(shots, 1/2): 4 standard deviations.
    assert abs(counts.get("00", 0) - shots / 2) <= 4 * math.sqrt(shots) / 2, counts


# ------------------------------------------------------------------ recorded programs


def _tensor_layout(document: dict[str, Any]) -> list[dict[str, tuple[Any, ...]]]:
    return [
        {name: (tuple(t["shape"]), t["dtype"]) for name, t in item["results"].items()}
        for item in document["data"]
    ]


@pytest.mark.parametrize("name", executor_data.NAMES)
def test_recorded_programs_run_to_results_shaped_like_the_recorded_ones(name: str) -> None:
    body = executor_data.request(name)
    document = execute(body, in_session="session_id" in body)
    recorded = executor_data.result(name)
    assert _tensor_layout(document) == _tensor_layout(recorded)
    assert document["passthrough_data"] == body["params"]["quantum_program"]["passthrough_data"]
    assert document["semantic_role"] == body["params"]["quantum_program"]["semantic_role"]
    assert document["schema_version"] == "v2.0"
    assert [len(s["parts"]) for s in document["metadata"]["chunk_timing"]] == [1] * len(
        document["data"]
    )
    for item in document["data"]:
        assert item["metadata"] == {"scheduler_timing": None, "stretch_values": None}


@pytest.mark.parametrize("name", ["sampler-plain", "sampler-twirled"])
def test_recorded_sampler_programs_give_bell_counts(name: str) -> None:
    result = decode_with_qiskit(execute(executor_data.request(name)))
    counts = result[0].data.meas.get_counts()
    assert_bell_counts(counts, 100)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("estimator-level0", 1.0), ("estimator-level1", 2.0), ("estimator-level2-session", 1.0)],
)
def test_recorded_estimator_programs_give_the_expectation_values(
    name: str, expected: float
) -> None:
    body = executor_data.request(name)
    result = decode_with_qiskit(execute(body, in_session="session_id" in body))
    precision = body["params"]["quantum_program"]["passthrough_data"]["post_processor"]["precision"]
    evs = np.asarray(result[0].data.evs)
    assert abs(float(evs) - expected) <= 3 * precision


def test_recorded_rx_sweep_gives_sin_squared_probabilities() -> None:
    body = executor_data.request("executor-rx-sweep")
    result = decode_with_qiskit(execute(body))
    # A hand-built program has no semantic role: the client stops at QuantumProgramResult.
    assert type(result).__name__ == "QuantumProgramResult"
    meas = result[0]["meas"]
    assert meas.shape == (3, 50, 1) and meas.dtype == bool
    thetas = np.array([0.0, np.pi / 2, np.pi])
    p = np.sin(thetas / 2) ** 2
    sigma = np.sqrt(p * (1 - p) / 50)
    assert np.all(np.abs(meas[..., 0].mean(axis=1) - p) <= 3 * sigma + 1e-12)


def test_runs_are_reproducible_with_a_seed() -> None:
    body = executor_data.request("sampler-twirled")
    first, second = execute(body, seed=11), execute(body, seed=11)
    assert first["data"] == second["data"]
    assert execute(body, seed=12)["data"] != first["data"]


def test_runs_with_qiskits_reference_sampler_when_aer_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(executor, "AER_AVAILABLE", False)
    result = decode_with_qiskit(execute(executor_data.request("sampler-twirled")))
    assert_bell_counts(result[0].data.meas.get_counts(), 100)


# ------------------------------------------------------------------ fresh programs


class _RecordingService:
    """Stands in for ``QiskitRuntimeService``: takes the params ``Executor.run`` would submit."""

    is_local = False

    def __init__(self) -> None:
        self.submitted: list[dict[str, Any]] = []

    def _run(self, **kwargs: Any) -> dict[str, Any]:
        self.submitted.append(kwargs)
        return kwargs


@pytest.fixture(scope="module")
def qiskit_backend() -> Any:
    """A qiskit backend shaped like ``ibm_emulator_5q`` (cz on a line), for transpiling."""
    backend = GenericBackendV2(
        5,
        basis_gates=["cz", "id", "rz", "sx", "x"],
        coupling_map=[[i, i + 1] for i in range(4)] + [[i + 1, i] for i in range(4)],
        seed=3,
    )
    backend._instance = None  # read by the client when it builds the job's runtime options
    return backend


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch, qiskit_backend: Any) -> _RecordingService:
    import qiskit_ibm_runtime.executor.executor as executor_module
    import qiskit_ibm_runtime.executor_estimator.estimator as estimator_module
    import qiskit_ibm_runtime.executor_sampler.sampler as sampler_module

    service = _RecordingService()

    def modes(mode: Any = None) -> tuple[None, _RecordingService, Any]:
        return None, service, qiskit_backend

    for module in (executor_module, sampler_module, estimator_module):
        monkeypatch.setattr(module, "get_mode_service_backend", modes)
    return service


def submitted_body(service: _RecordingService) -> dict[str, Any]:
    (call,) = service.submitted
    assert call["program_id"] == "executor"
    body = {"program_id": "executor", "backend": "ibm_emulator_5q", "params": call["inputs"]}
    assert errors("CreateJobRequest", body) == []
    return json.loads(json.dumps(body))  # exactly what goes on the wire


@pytest.fixture(scope="module")
def isa(qiskit_backend: Any) -> Callable[[QuantumCircuit], QuantumCircuit]:
    manager = generate_preset_pass_manager(
        optimization_level=1, backend=qiskit_backend, seed_transpiler=1
    )
    return manager.run


def bell(measure: bool) -> QuantumCircuit:
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    if measure:
        circuit.measure_all()
    return circuit


@pytest.mark.parametrize("twirling", [False, True])
def test_client_side_sampler_programs(
    recorder: _RecordingService, isa: Any, twirling: bool
) -> None:
    from qiskit_ibm_runtime.executor_sampler import Sampler

    sampler = Sampler(mode=None)
    sampler.options.twirling.enable_gates = twirling
    sampler.options.twirling.enable_measure = twirling
    sampler.run([isa(bell(measure=True))], shots=400)
    body = submitted_body(recorder)
    kinds = {item["item_type"] for item in body["params"]["quantum_program"]["items"]}
    assert kinds == {"samplex" if twirling else "circuit"}
    result = decode_with_qiskit(execute(body))
    # With twirling the client rounds the shots up to whole randomizations (448 = 7 x 64).
    program = body["params"]["quantum_program"]
    total = program["shots"] * math.prod(program["items"][0]["shape"] or [1])
    assert total == 400 if not twirling else total >= 400
    assert_bell_counts(result[0].data.meas.get_counts(), total)


@pytest.mark.parametrize("level", [0, 1, 2])
def test_client_side_estimator_programs(recorder: _RecordingService, isa: Any, level: int) -> None:
    from qiskit_ibm_runtime.executor_estimator import Estimator

    theta = Parameter("theta")
    circuit = QuantumCircuit(2)
    circuit.ry(theta, 0)
    circuit.cx(0, 1)
    transpiled = isa(circuit)
    observables = [
        SparsePauliOp(label).apply_layout(transpiled.layout) for label in ("ZZ", "IZ", "XX")
    ]
    thetas = np.array([[0.0], [0.9], [2.0]])
    estimator = Estimator(mode=None)
    estimator.options.resilience_level = level
    precision = 0.05
    # observables (3, 1) x parameter values (3,): a (3, 3) result
    estimator.run([(transpiled, [[o] for o in observables], thetas)], precision=precision)
    body = submitted_body(recorder)
    result = decode_with_qiskit(execute(body))
    evs = np.asarray(result[0].data.evs)
    assert evs.shape == (3, 3)
    t = thetas[:, 0]
    # ry(theta) then cx: <ZZ> = 1, <Z on qubit 0> = cos(theta), <XX> = sin(theta).
    expected = np.array([np.ones_like(t), np.cos(t), np.sin(t)])
    assert np.all(np.abs(evs - expected) <= 4 * precision), evs


def test_executor_with_a_hand_built_program(recorder: _RecordingService, isa: Any) -> None:
    from qiskit_ibm_runtime import Executor, QuantumProgram

    theta = Parameter("theta")
    circuit = QuantumCircuit(1, 1)
    circuit.rx(theta, 0)
    circuit.measure(0, 0)
    transpiled = isa(circuit)
    thetas = np.linspace(0, np.pi, 6).reshape(2, 3, 1)
    program = QuantumProgram(shots=200)
    program.append_circuit_item(transpiled, circuit_arguments=thetas)
    program.append_circuit_item(isa(bell(measure=True)))
    Executor(mode=None).run(program)
    body = submitted_body(recorder)
    result = decode_with_qiskit(execute(body))
    swept = next(iter(result[0].values()))
    assert swept.shape == (2, 3, 200, 1)
    p = np.sin(thetas[..., 0] / 2) ** 2
    sigma = np.sqrt(p * (1 - p) / 200)
    assert np.all(np.abs(swept[..., 0].mean(axis=-1) - p) <= 3 * sigma + 1e-12)
    meas = result[1]["meas"]
    assert meas.shape == (200, 2)
    assert np.all(meas[:, 0] == meas[:, 1])


# ------------------------------------------------------------------ validation errors


def _edit(name: str, change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    params = executor_data.request(name)["params"]
    change(params)
    return params


def _program(params: dict[str, Any]) -> dict[str, Any]:
    program: dict[str, Any] = params["quantum_program"]
    return program


def _rewrite_qpy(params: dict[str, Any], version: int) -> None:
    circuits = _program(params)["circuits"]
    raw = bytearray(zlib.decompress(base64.b64decode(circuits["b64_data"])))
    raw[6] = version  # the version byte of the QPY file header
    circuits["b64_data"] = base64.b64encode(zlib.compress(bytes(raw))).decode()
    circuits["qpy_version"] = version


def _future_samplex(params: dict[str, Any]) -> None:
    samplex = _program(params)["items"][0]["samplex"]
    samplex["samplex_json"] = re.sub(
        r'("ssv\\*"\s*:\s*\\*")4', r"\g<1>99", samplex["samplex_json"], count=1
    )
    samplex["ssv"] = 99


def _args_of_shape(params: dict[str, Any], shape: tuple[int, ...]) -> None:
    data = zlib.compress(np.zeros(shape, "<f8").tobytes())
    _program(params)["items"][0]["circuit_arguments"] = {
        "data": base64.b64encode(data).decode(),
        "shape": list(shape),
        "dtype": "f64",
    }


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(params: dict[str, Any]) -> None:
        node: Any = params
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


QP = "quantum_program"
CASES: list[tuple[str, Callable[[dict[str, Any]], Any], str, str]] = [
    (
        "sampler-plain",
        lambda p: _rewrite_qpy(p, 99),
        "quantum_program.circuits.qpy_version",
        "QPY version 99, newer than the emulator reads: its qiskit",
    ),
    (
        "sampler-twirled",
        _future_samplex,
        "quantum_program.items[0].samplex.ssv",
        "serialization version (ssv) 99, newer than the emulator reads: its samplomatic",
    ),
    (
        "sampler-plain",
        _set([QP, "meas_level"], "kerneled"),
        "quantum_program.meas_level",
        "'kerneled' is not available",
    ),
    (
        "sampler-plain",
        _set([QP, "circuits", "num_programs"], 2),
        "quantum_program.circuits.num_programs",
        "holds 1 circuits",
    ),
    (
        "sampler-plain",
        lambda p: _program(p)["items"].append(copy.deepcopy(_program(p)["items"][0])),
        "quantum_program.circuits",
        "holds 1 circuits but the program has 2 items",
    ),
    (
        "executor-rx-sweep",
        lambda p: _args_of_shape(p, (3, 2)),
        "quantum_program.items[0].circuit_arguments",
        "its last axis must be 1, the number of parameters",
    ),
    (
        "executor-rx-sweep",
        _set([QP, "items", 0, "circuit_arguments", "shape"], [4, 1]),
        "quantum_program.items[0].circuit_arguments.data",
        "the 32 bytes that shape [4, 1] of f64 needs",
    ),
    (
        "executor-rx-sweep",
        _set([QP, "items", 0, "shape"], [2]),
        "quantum_program.items[0].shape",
        "does not broadcast with the circuit arguments' shape [3]",
    ),
    (
        "executor-rx-sweep",
        _set([QP, "items", 0, "item_type"], "pulse"),
        "quantum_program.items[0].item_type",
        "must be 'circuit' or 'samplex'",
    ),
    (
        "executor-rx-sweep",
        _set([QP, "items", 0, "chunk_size"], 4),
        "quantum_program.items[0].chunk_size",
        "only for jobs in a session",
    ),
    (
        "estimator-level1",
        _set([QP, "items", 1, "chunk_size"], 4),
        "quantum_program.items",
        "'auto' for every item or an integer for every item",
    ),
    (
        "estimator-level1",
        lambda p: _program(p)["items"][0]["samplex_arguments"].clear(),
        "quantum_program.items[0].samplex_arguments",
        "missing values for the samplex inputs: 'basis_changes.basis0'",
    ),
    (
        "estimator-level1",
        _set([QP, "items", 0, "samplex_arguments", "noise_scale"], 2),
        "quantum_program.items[0].samplex_arguments['noise_scale']",
        "no specification named 'noise_scale'",
    ),
    (
        "sampler-plain",
        _set(["schema_version"], "v1.1"),
        "schema_version",
        "runs executor params version 'v2.0'",
    ),
    ("sampler-plain", _set([QP, "shots"], 10**6), "quantum_program.shots", "above the maximum"),
    (
        "sampler-plain",
        _set([QP, "items", 0, "shape"], [MAX_TOTAL_SHOTS // 100 + 1]),
        "quantum_program",
        f"the limit is {MAX_TOTAL_SHOTS}",
    ),
    ("sampler-plain", lambda p: p.pop("options"), "options", "is required"),
]


@pytest.mark.parametrize(
    ("name", "change", "path", "message"), CASES, ids=[c[2] + ":" + c[3][:24] for c in CASES]
)
def test_bad_programs_get_an_error_naming_the_field(
    name: str, change: Callable[[dict[str, Any]], Any], path: str, message: str
) -> None:
    with pytest.raises(InvalidParams) as caught:
        validate_program(_edit(name, change), BACKEND)
    assert caught.value.path == path or str(caught.value).startswith(path + ":"), str(caught.value)
    assert message in str(caught.value)


def test_version_errors_name_both_versions() -> None:
    import samplomatic
    from qiskit import __version__ as qiskit_version
    from samplomatic.ssv import SSV

    with pytest.raises(InvalidParams) as qpy_error:
        validate_program(_edit("sampler-plain", lambda p: _rewrite_qpy(p, 99)), BACKEND)
    assert f"qiskit {qiskit_version} reads QPY versions up to {qpy.QPY_VERSION}" in str(
        qpy_error.value
    )
    with pytest.raises(InvalidParams) as ssv_error:
        validate_program(_edit("sampler-twirled", _future_samplex), BACKEND)
    assert f"samplomatic {samplomatic.__version__} reads ssv up to {SSV}" in str(ssv_error.value)


def test_integer_chunk_sizes_are_accepted_in_a_session() -> None:
    params = _edit("executor-rx-sweep", _set([QP, "items", 0, "chunk_size"], 2))
    assert validate_program(params, BACKEND, in_session=True).items[0].shape == (3,)


def test_ignored_inputs_are_accepted_with_warnings() -> None:
    def change(params: dict[str, Any]) -> None:
        params["future"] = 1
        params["options"].update(
            init_qubits=False, rep_delay=0.0001, scheduler_timing=True, stretch_values=True
        )
        _program(params)["items"][0]["extra"] = True  # ignored inside items, as the service does

    prepared = validate_program(_edit("sampler-plain", change), BACKEND)
    text = "\n".join(prepared.warnings)
    for needle in ("params.future", "init_qubits", "rep_delay", "scheduler_timing", "stretch"):
        assert needle in text
    document = run_program(prepared, seed=1)
    assert document["data"][0]["metadata"] == {"scheduler_timing": None, "stretch_values": None}


def test_openqasm3_circuits_and_repeated_items() -> None:
    qasm = (
        'OPENQASM 3.0; include "stdgates.inc"; input float[64] a; input float[64] b; '
        "bit[2] c; qubit[2] q; rx(a) q[0]; rx(b) q[1]; c = measure q;"
    )
    values = np.array([[0.0, np.pi], [np.pi, 0.0]])  # columns: a, b (sorted by name)
    params = {
        "quantum_program": {
            "shots": 16,
            "circuits": {"data": [qasm]},
            "items": [
                {
                    "item_type": "circuit",
                    "circuit_arguments": {
                        "data": base64.b64encode(zlib.compress(values.tobytes())).decode(),
                        "shape": [2, 2],
                    },
                    "shape": [3, 1],  # repeats the 2-point sweep 3 times: a (3, 2) item
                }
            ],
        },
        "options": {},
    }
    prepared = validate_program(params, BACKEND)
    assert isinstance(prepared, PreparedProgram) and prepared.items[0].shape == (3, 2)
    document = run_program(prepared, seed=3)
    (tensor,) = document["data"][0]["results"].values()
    assert tensor["shape"] == [3, 2, 16, 2]
    bits = np.unpackbits(
        np.frombuffer(zlib.decompress(base64.b64decode(tensor["data"])), np.uint8),
        bitorder="little",
    )[: 3 * 2 * 16 * 2].reshape(3, 2, 16, 2)
    # Point 0 flips qubit 1 only (bit 1), point 1 flips qubit 0 only (bit 0).
    assert np.all(bits[:, 0] == [0, 1]) and np.all(bits[:, 1] == [1, 0])


def test_corrupt_qpy_is_a_clear_error() -> None:
    def change(params: dict[str, Any]) -> None:
        # A valid QPY header (version 18, one circuit) followed by garbage.
        header = struct.pack("!6sBBBBQc", b"QISKIT", 18, 2, 6, 0, 1, b"p")
        circuits = _program(params)["circuits"]
        circuits["b64_data"] = base64.b64encode(zlib.compress(header + b"\xff" * 40)).decode()

    with pytest.raises(InvalidParams, match=r"quantum_program\.circuits\.b64_data: "):
        validate_program(_edit("sampler-plain", change), BACKEND)


def test_device_noise_runs_on_the_active_qubits_and_the_isa_check_applies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """``run_program(noise=...)`` simulates a calibration's noise on the qubits each circuit
    uses (the noise model is built for those only, as for Sampler jobs), reproducibly with a
    seed; the ISA check of Sampler and Estimator jobs finds non-ISA program circuits too."""
    from qiskit_runtime_emulator.isa import circuit_violation
    from qiskit_runtime_emulator.noise import Calibration

    # The device's calibration with 30 % readout errors, so that the flips are plain to see.
    properties = copy.deepcopy(BACKEND.properties())
    for qubit in properties["qubits"]:
        for nduv in qubit:
            if nduv["name"] in ("readout_error", "prob_meas1_prep0", "prob_meas0_prep1"):
                nduv["value"] = 0.3
    path = tmp_path / "properties.json"
    path.write_text(json.dumps(properties))
    calibration = Calibration("noisy_5q", str(path), tuple(BACKEND.basis_gates), 0.5e-9)
    built: list[tuple[int, ...]] = []
    original = executor.noise_model

    def spy(cal: Any, qubits: tuple[int, ...], pauli: bool = False) -> Any:
        built.append(qubits)
        return original(cal, qubits, pauli)

    monkeypatch.setattr(executor, "noise_model", spy)
    prepared = validate_program(executor_data.request("sampler-plain")["params"], BACKEND)
    prepared = pickle.loads(pickle.dumps(prepared))
    noise = pickle.loads(pickle.dumps(calibration))
    document = run_program(prepared, seed=2, noise=noise)
    counts = decode_with_qiskit(document)[0].data.meas.get_counts()
    # Readout flips each bit with probability 0.3: 01 and 10 appear (42 % of shots expected).
    assert counts.get("01", 0) + counts.get("10", 0) > 20, counts
    assert built == [(0, 1)]  # the Bell pair's qubits of the 5-qubit circuit, nothing else
    assert run_program(prepared, seed=2, noise=noise)["data"] == document["data"]

    target = BACKEND.target()
    (item,) = prepared.items
    assert circuit_violation(item.circuit, target, BACKEND.name) is None
    foreign = item.circuit.copy()
    foreign.h(3)
    found = circuit_violation(foreign, target, BACKEND.name)
    assert found is not None and found.endswith(
        "h on qubit 3: h is not an instruction of ibm_emulator_5q (it has cz, delay, for_loop, "
        "id, if_else, measure, reset, rz, switch_case, sx, x)"
    )


def test_argument_tensors_may_not_inflate_past_the_limit() -> None:
    from qiskit_runtime_emulator.quantum_programs import MAX_TENSOR_BYTES

    shape = [MAX_TENSOR_BYTES // 8 + 1, 1]
    params = _edit("executor-rx-sweep", _set([QP, "items", 0, "circuit_arguments", "shape"], shape))
    with pytest.raises(InvalidParams, match=f"more than the {MAX_TENSOR_BYTES}-byte limit"):
        validate_program(params, BACKEND)
