"""The SDK's quantum programs (``qiskit_runtime_rest.programs``): build, encode, run, decode.

Programs built from OpenQASM 3 text and numpy arrays are encoded to executor params, checked
against the spec, run by the emulator's executor engine (no HTTP needed) and decoded back into
per-item arrays of shape ``(*item.shape, shots, bits)``. Recorded official-client results decode
to the same counts as qiskit-ibm-runtime's own decoders.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

import numpy as np
import pytest
from qiskit_runtime_emulator.backends import get_backend
from qiskit_runtime_emulator.quantum_programs import run_program, validate_program
from qiskit_runtime_rest.codec import decode_tensor, encode_tensor
from qiskit_runtime_rest.errors import ResultDecodeError, ValidationError
from qiskit_runtime_rest.programs import (
    ChunkSpan,
    CircuitItem,
    EncodedProgram,
    ExecutorOptions,
    QuantumProgram,
    QuantumProgramResult,
    SchedulerTiming,
    StretchValue,
    decode_program_result,
)

from tests import executor_data
from tests.spec_schema import errors

BACKEND = get_backend("ibm_emulator_5q")
RY = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
bit[1] meas;
qubit[1] q;
ry(theta) q[0];
meas[0] = measure q[0];
"""
TWO_ANGLES = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] b;
input float[64] a;
bit[2] c;
qubit[2] q;
rx(a) q[0];
rx(b) q[1];
c = measure q;
"""
BELL = """OPENQASM 3.0;
include "stdgates.inc";
bit[2] meas;
qubit[2] q;
h q[0];
cx q[0], q[1];
meas = measure q;
"""


def run_on_emulator(params: dict[str, Any], *, seed: int = 5) -> dict[str, Any]:
    """Encode -> the emulator's engine -> the result document, checked against the spec."""
    body = {"program_id": "executor", "backend": BACKEND.name, "params": params}
    wire = json.loads(json.dumps(body))  # what would travel
    assert errors("CreateJobRequest", wire) == []
    document = run_program(validate_program(wire["params"], BACKEND), seed=seed)
    assert errors("JobResult", document) == []
    return json.loads(json.dumps(document))


def within_3_sigma(bits: np.ndarray, p: np.ndarray) -> bool:
    shots = bits.shape[-1]
    sigma = np.sqrt(p * (1 - p) / shots)
    return bool(np.all(np.abs(bits.mean(axis=-1) - p) <= 3 * sigma + 1e-12))


# ------------------------------------------------------------------ round trips


def test_a_2x3_sweep_round_trips_through_the_emulator() -> None:
    thetas = np.linspace(0, np.pi, 6).reshape(2, 3)
    program = QuantumProgram([CircuitItem(RY, thetas)], shots=400)
    assert program.items[0].shape == (2, 3)
    params = program.to_params()
    assert params["quantum_program"]["items"][0]["circuit_arguments"]["shape"] == [2, 3, 1]
    result = decode_program_result(run_on_emulator(params), program)
    meas = result[0]["meas"]
    assert meas.shape == (2, 3, 400, 1) and meas.dtype == np.bool_
    assert within_3_sigma(meas[..., 0], np.sin(thetas / 2) ** 2)
    counts = result[0].get_counts("meas", (1, 2))  # theta = pi: always 1
    assert counts == {"1": 400}


def test_parameters_by_name_broadcast_and_follow_name_order() -> None:
    # a: (2, 1), b: (3,) -> a (2, 3) sweep; the wire's columns are (a, b), sorted by name.
    # (qiskit's rule: a single parameter's trailing axis of length 1 is its parameter axis.)
    a = np.array([[0.0], [np.pi]])
    b = np.array([0.0, np.pi / 2, np.pi])
    item = CircuitItem(TWO_ANGLES, {"b": b, "a": a[..., None]})
    assert item.parameter_names == ("a", "b") and item.shape == (2, 3)
    program = QuantumProgram([item], shots=300)
    result = decode_program_result(run_on_emulator(program.to_params()), program)
    c = result[0]["c"]  # (2, 3, shots, 2): bit 0 is qubit 0 (angle a), bit 1 qubit 1 (angle b)
    assert c.shape == (2, 3, 300, 2)
    p_a = np.broadcast_to(np.sin(a / 2) ** 2, (2, 3))
    p_b = np.broadcast_to(np.sin(b / 2) ** 2, (2, 3))
    assert within_3_sigma(c[..., 0], p_a) and within_3_sigma(c[..., 1], p_b)


def test_item_shape_repeats_and_extends_a_sweep() -> None:
    bell = CircuitItem(BELL, shape=4)
    sweep = CircuitItem(RY, np.array([0.0, np.pi]), shape=(3, 1))  # (3, 2): 3 repeats
    program = QuantumProgram([bell, sweep], shots=50, semantic_role="mine")
    result = decode_program_result(run_on_emulator(program.to_params()), program)
    assert result[0]["meas"].shape == (4, 50, 2)
    assert set(result[0].get_counts("meas")) <= {"00", "11"}
    assert sum(result[0].get_counts("meas").values()) == 200
    assert result[1]["meas"].shape == (3, 2, 50, 1)
    assert np.all(result[1]["meas"][:, 0] == 0) and np.all(result[1]["meas"][:, 1] == 1)
    assert result.semantic_role == "mine"
    assert [part.item for span in result.chunk_timing for part in span.parts] == [0, 1]


def test_passthrough_data_comes_back_unchanged_with_arrays() -> None:
    data = {"tag": "run-1", "weights": np.arange(6.0).reshape(2, 3), "flags": [True, None, 3]}
    program = QuantumProgram([CircuitItem(BELL)], shots=10, passthrough_data=data)
    params = program.to_params(ExecutorOptions(experimental={"note": "x"}))
    assert params["options"]["experimental"] == {"note": "x"}
    result = decode_program_result(run_on_emulator(params))
    back = result.passthrough_data
    assert back["tag"] == "run-1" and back["flags"] == [True, None, 3]
    assert np.array_equal(back["weights"], data["weights"])


def test_sdk_programs_decode_with_qiskit_ibm_runtime_too() -> None:
    thetas = np.array([[0.0], [np.pi]])
    program = QuantumProgram([CircuitItem(RY, thetas)], shots=20)
    result = decode_program_result(run_on_emulator(program.to_params()))
    official = result.to_qiskit()
    assert type(official).__name__ == "QuantumProgramResult"
    assert np.array_equal(official[0]["meas"], result[0]["meas"])


# ------------------------------------------------------------------ recorded programs


def test_encoded_programs_are_sent_as_they_are() -> None:
    params = executor_data.request("sampler-twirled")["params"]
    program = EncodedProgram(params)
    assert program.num_items == 1 and "items=1" in repr(program)
    assert program.to_params() == params
    replaced = program.to_params(ExecutorOptions(init_qubits=False))
    assert replaced["options"]["init_qubits"] is False
    assert params["options"]["init_qubits"] is True  # the original is untouched
    document = run_on_emulator(program.to_params())
    counts = decode_program_result(document).to_qiskit()[0].data.meas.get_counts()
    assert set(counts) <= {"00", "11"} and sum(counts.values()) == 100


def test_encoded_program_from_a_qiskit_program() -> None:
    from qiskit import QuantumCircuit, transpile
    from qiskit.circuit import Parameter
    from qiskit_ibm_runtime import QuantumProgram as RuntimeProgram

    theta = Parameter("theta")
    circuit = QuantumCircuit(1, 1)
    circuit.rx(theta, 0)
    circuit.measure(0, 0)
    isa = transpile(circuit, basis_gates=["rz", "sx", "x", "cz"], optimization_level=1)
    program = RuntimeProgram(shots=100)
    program.append_circuit_item(isa, circuit_arguments=np.array([[0.0], [np.pi]]))
    encoded = EncodedProgram.from_qiskit(program, {"execution": {"init_qubits": True}})
    assert encoded.params["quantum_program"]["circuits"]["qpy_version"] >= 10
    result = decode_program_result(run_on_emulator(encoded.to_params()))
    (meas,) = result[0].values()
    assert meas.shape == (2, 100, 1)
    assert not meas[0].any() and meas[1].all()


@pytest.mark.parametrize(
    ("name", "counts"),
    [("sampler-plain", {"00": 55, "11": 45}), ("executor-rx-sweep", None)],
)
def test_recorded_results_decode_like_the_official_client(
    name: str, counts: dict[str, int] | None
) -> None:
    result = decode_program_result(executor_data.result_text(name))
    assert isinstance(result, QuantumProgramResult) and len(result) == 1
    official = result.to_qiskit()
    if counts is not None:
        assert result[0].get_counts("meas") == counts
        assert official[0].data.meas.get_counts() == counts
    else:
        assert np.array_equal(official[0]["meas"], result[0]["meas"])
        assert result[0]["meas"].shape == (3, 50, 1)
    assert isinstance(result.chunk_timing[0], ChunkSpan)
    assert result.chunk_timing[0].start.tzinfo is not None


def test_samplex_outputs_come_as_arrays() -> None:
    result = decode_program_result(executor_data.result("estimator-level1"))
    first = result[0]
    assert set(first) == {"measurement_flips._meas", "_meas"}
    assert first["_meas"].shape == (7, 2, 64, 5)
    assert first["measurement_flips._meas"].shape == (7, 2, 1, 5)
    assert "ItemResult(" in repr(first)
    again = decode_program_result(executor_data.result("estimator-level1"))
    assert again[0] == first and again[1] != first


def test_item_metadata_is_typed() -> None:
    document = executor_data.result("executor-rx-sweep")
    document["data"][0]["metadata"] = {
        "scheduler_timing": {"timing": "main,rz,0,0", "circuit_duration": 1200},
        "stretch_values": [
            {"name": "s", "value": 16, "remainder": 0, "expanded_values": [[0, 16], [40, 16]]}
        ],
    }
    item = decode_program_result(document)[0]
    assert item.scheduler_timing == SchedulerTiming("main,rz,0,0", 1200)
    assert item.stretch_values == (StretchValue("s", 16, 0, ((0, 16), (40, 16))),)


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: CircuitItem(RY), "no parameter_values"),
        (lambda: CircuitItem(BELL, np.zeros((3, 1))), "the circuit has no parameters"),
        (lambda: CircuitItem(TWO_ANGLES, np.zeros((4, 3))), "last axis must be 2"),
        (lambda: CircuitItem(RY, np.zeros(3), shape=(2,)), "does not broadcast"),
        (lambda: CircuitItem(RY, {"phi": 1.0}), "unknown parameter"),
        (lambda: CircuitItem(BELL, shape=(-1,)), "non-negative integers"),
        (lambda: CircuitItem(BELL, chunk_size=0), "chunk_size must be a positive integer"),
        (lambda: CircuitItem(object()), "OpenQASM 3 text"),  # type: ignore[arg-type]
        (lambda: CircuitItem("OPENQASM 2.0; qreg q[1];"), "OpenQASM 3"),
        (lambda: QuantumProgram([], shots=1), "at least one item"),
        (lambda: QuantumProgram([CircuitItem(BELL)], shots=0), "shots"),
        (lambda: QuantumProgram([CircuitItem(BELL)], shots=1, meas_level="raw"), "meas_level"),
        (
            lambda: QuantumProgram(
                [CircuitItem(BELL)], shots=1, passthrough_data={1: 2}
            ).to_params(),
            "keys must be strings",
        ),
        (
            lambda: QuantumProgram(
                [CircuitItem(BELL, chunk_size=2), CircuitItem(BELL)], shots=1
            ).to_params(),
            "'auto' for every item",
        ),
        (lambda: EncodedProgram({"pubs": []}), "quantum_program"),
    ],
)
def test_bad_programs_are_refused_before_sending(build: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        build()


def _result_with(change: Any) -> dict[str, Any]:
    document = executor_data.result("sampler-plain")
    change(document)
    return document


@pytest.mark.parametrize(
    ("document", "where"),
    [
        (_result_with(lambda d: d.update(schema_version="v1.0")), "schema_version"),
        (_result_with(lambda d: d.pop("data")), "missing 'data'"),
        (
            _result_with(lambda d: d["data"][0]["results"]["meas"].update(shape=[100, 3])),
            "data[0].results.meas.data",
        ),
        (
            _result_with(lambda d: d["data"][0]["results"]["meas"].update(dtype="b1")),
            "data[0].results.meas.dtype",
        ),
        (
            _result_with(lambda d: d["metadata"]["chunk_timing"][0].update(start="yesterday")),
            "metadata.chunk_timing[0].start",
        ),
        ("not json", "not valid JSON"),
    ],
)
def test_malformed_results_raise_naming_the_node(document: Any, where: str) -> None:
    with pytest.raises(ResultDecodeError) as caught:
        decode_program_result(document)
    assert where in str(caught.value)


def test_results_are_checked_against_the_program() -> None:
    program = QuantumProgram([CircuitItem(BELL, shape=2)], shots=100)
    with pytest.raises(ResultDecodeError, match=r"data\[0\]\.results\.meas: has shape \[100, 2\]"):
        decode_program_result(executor_data.result("sampler-plain"), program)


# ------------------------------------------------------------------ tensors


@pytest.mark.parametrize(
    "array",
    [
        np.arange(24, dtype=np.float64).reshape(2, 3, 4),
        np.array([True, False, True, True, False, False, True, False, True]),
        np.zeros((3, 0)),
        np.arange(10, dtype=np.uint8),
        np.arange(-5, 5, dtype=np.int16).reshape(2, 5),
        np.array([1 + 2j, 3 - 1j], dtype=np.complex64),
        np.array(2.5, dtype=np.float32),
        np.arange(4, dtype=">f8"),  # big-endian input is written little-endian
    ],
)
def test_tensors_round_trip(array: np.ndarray) -> None:
    back = decode_tensor(json.loads(json.dumps(encode_tensor(array))))
    assert back.shape == array.shape
    assert np.array_equal(back, array)
    assert back.dtype == array.dtype.newbyteorder("=") and back.flags.writeable


def test_bool_tensors_are_bit_packed_lsb_first_over_the_flat_array() -> None:
    tensor = encode_tensor(
        np.array([[True, False, False], [False, False, False], [True, True, False]])
    )
    raw = zlib.decompress(base64.b64decode(tensor["data"]))
    assert raw == bytes([0b11000001, 0b0])  # bits 0, 6, 7 of the flattened (3, 3) array


def test_damaged_tensors_are_refused() -> None:
    good = encode_tensor(np.arange(4.0))
    bomb = {
        "data": base64.b64encode(zlib.compress(b"\0" * (1 << 20))).decode(),
        "shape": [2],
        "dtype": "f64",
    }
    for node, needle in [
        ({**good, "shape": [5]}, "holds 32 bytes, not the 40 bytes"),
        (bomb, "holds more than the 16 bytes"),
        ({**good, "data": "!!"}, "invalid base64"),
        ({**good, "dtype": "f128"}, "unknown dtype"),
        ({**good, "shape": [1 << 40]}, "more than the"),
        ([1, 2], "expected a tensor object"),
    ]:
        with pytest.raises(ResultDecodeError, match=needle):
            decode_tensor(node, path="x")
    with pytest.raises(ValidationError, match="cannot be sent as tensors"):
        encode_tensor(np.array(["a"]))
