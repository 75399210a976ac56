"""PUBs: QASM scan, QPY circuits, parameter sweeps, observables, broadcasting, wire form, errors."""

from __future__ import annotations

import base64
import contextlib
import io
import subprocess
import sys
import zlib
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from qiskit import qasm3, qpy
from qiskit.circuit import Parameter, ParameterVector, QuantumCircuit
from qiskit.primitives.containers import BindingsArray
from qiskit.quantum_info import Pauli, SparsePauliOp
from qiskit_runtime_rest.errors import ValidationError
from qiskit_runtime_rest.pubs import (
    CircuitInfo,
    EstimatorPub,
    SamplerPub,
    as_estimator_pub,
    as_sampler_pub,
    scan_qasm,
)

from tests.payloads import BELL_QASM3, BELL_STATE_QASM3, EMPTY_PARAMETER_VALUES

PARAM_QASM3 = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
input angle phi;
qubit[2] q;
bit[2] c;
rx(theta) q[0];
rz(phi) q[1];
cx q[0], q[1];
c = measure q;
"""


def decode_npy(wire: dict[str, Any]) -> np.ndarray:
    """Decode an ndarray wrapper independently of the SDK's codec."""
    assert wire["__type__"] == "ndarray"
    raw = zlib.decompress(base64.b64decode(wire["__value__"]))
    return np.load(io.BytesIO(raw), allow_pickle=False)


def decode_qpy(wire: dict[str, Any]) -> tuple[int, QuantumCircuit]:
    assert wire["__type__"] == "QuantumCircuit"
    raw = zlib.decompress(base64.b64decode(wire["__value__"]))
    assert raw.startswith(b"QISKIT")
    circuits = qpy.load(io.BytesIO(raw))
    assert len(circuits) == 1
    return raw[6], circuits[0]


# -- QASM scan ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width", "names"),
    [
        (BELL_QASM3, 2, ()),
        (BELL_STATE_QASM3, 2, ()),
        (PARAM_QASM3, 2, ("phi", "theta")),
        ("OPENQASM 3;\nqubit q;\nqubit[3] r;\ninput float b;\ninput float[32] a;\n", 4, ("a", "b")),
        ('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nqreg r[3];\ncreg c[2];\n', 5, ()),
        ("OPENQASM 3.0;\nqreg q[4];\nqreg one;\n", 5, ()),
        # declarations in comments and strings are ignored
        ("OPENQASM 3.0;\n// qubit[9] x;\n/* input float y;\nqubit z; */\nqubit[2] q;\n", 2, ()),
        ('OPENQASM 3.0;\ninclude "a;qubit[7] b;";\nqubit[1] q;\n', 1, ()),
        # gate definitions and blocks do not confuse the statement split
        (
            "OPENQASM 3.0;\ngate g(a) x { rx(a) x; }\nqubit[3] q;\ninput angle t;\n"
            "if (true) { g(t) q[0]; }\n",
            3,
            ("t",),
        ),
        # pragmas and annotations are skipped
        ("OPENQASM 3.0;\npragma qubit[5] x\n@ann qubit\nqubit[2] q;\n", 2, ()),
        # no header: read as OpenQASM 3
        ("qubit[2] q;\ninput float x;\nh q[0];\n", 2, ("x",)),
        # cannot tell: unknown, so checks are skipped
        ("OPENQASM 3.0;\nconst int n = 3;\nqubit[n] q;\n", None, ()),
        ("OPENQASM 3.0;\nqubit[²] q;\n", None, ()),
        ("OPENQASM 3.0;\nh $0;\ncx $0, $3;\n", None, ()),
        ("OPENQASM 3.0;\nqubit[2] q;\ninput int[8] k;\n", 2, None),
        ("OPENQASM 3.0;\nqubit[2] q;\ninput float x;\ninput float x;\n", 2, None),
        ("OPENQASM 4.0;\nqubit[2] q;\n", None, None),
        ("hello world", None, None),
    ],
)
def test_scan_qasm(text: str, width: int | None, names: tuple[str, ...] | None) -> None:
    assert scan_qasm(text) == CircuitInfo(width, names)


@pytest.mark.parametrize(
    "text",
    [
        BELL_QASM3,
        PARAM_QASM3,
        "OPENQASM 3.0;\ninclude 'stdgates.inc';\nqubit q;\nqubit[3] r;\ninput float b;\n"
        "input angle a10;\ninput angle a2;\ninput float B;\n".replace("'", '"'),
    ],
)
def test_scan_qasm_agrees_with_qiskit(text: str) -> None:
    circuit = qasm3.loads(text)
    info = scan_qasm(text)
    assert info.num_qubits == circuit.num_qubits
    assert info.parameter_names == tuple(p.name for p in circuit.parameters)


qasm_fragments = st.sampled_from(
    [
        "OPENQASM 3.0;",
        "OPENQASM 2.0;",
        "qubit",
        "qreg",
        "input",
        "float",
        "angle",
        "[",
        "]",
        "2",
        "²",
        "n",
        "q",
        ";",
        "{",
        "}",
        "$0",
        "//",
        "/*",
        "*/",
        '"',
        "\n",
        " ",
        "pragma",
        "@",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(qasm_fragments, max_size=30).map("".join) | st.text())
def test_scan_qasm_never_raises(text: str) -> None:
    info = scan_qasm(text)
    assert info.num_qubits is None or info.num_qubits >= 0


def test_scan_of_qiskit_exported_program() -> None:
    qc = QuantumCircuit(3)
    qc.rx(Parameter("beta"), 0)
    qc.ry(Parameter("alpha"), 2)
    qc.measure_all()
    info = scan_qasm(qasm3.dumps(qc))
    assert info == CircuitInfo(3, ("alpha", "beta"))


# -- circuits ----------------------------------------------------------------------------------


def test_qasm_circuit_is_sent_as_text() -> None:
    pub = SamplerPub(BELL_QASM3)
    assert pub.to_wire() == [BELL_QASM3]
    assert (pub.num_qubits, pub.num_parameters, pub.shape) == (2, 0, ())


def test_quantum_circuit_round_trips_through_qpy() -> None:
    qc = QuantumCircuit(2, 2)
    theta, phi = Parameter("theta"), Parameter("phi")
    qc.rx(theta, 0)
    qc.rz(phi, 1)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    pub = SamplerPub(qc, [[0.1, 0.2], [0.3, 0.4]], shots=10)
    version, decoded = decode_qpy(pub.to_wire()[0])
    assert version == min(17, qpy.QPY_VERSION)
    assert decoded == qc
    assert pub.parameter_names == ("phi", "theta")
    assert pub.num_qubits == 2
    assert pub.shape == (2,)
    np.testing.assert_array_equal(decode_npy(pub.to_wire()[1]), [[0.1, 0.2], [0.3, 0.4]])


def test_parameter_vector_order_follows_qiskit() -> None:
    qc = QuantumCircuit(1)
    for p in ParameterVector("v", 11):
        qc.rz(p, 0)
    pub = SamplerPub(qc, {f"v[{i}]": i for i in range(11)})
    assert pub.parameter_names == tuple(p.name for p in qc.parameters)
    assert pub.parameter_values is not None
    np.testing.assert_array_equal(pub.parameter_values, [float(i) for i in range(11)])


def test_pub_is_immutable_and_values_are_read_only() -> None:
    values = np.array([[0.1, 0.2]])
    pub = SamplerPub(PARAM_QASM3, values)
    values[0, 0] = 9.0  # the PUB holds its own copy
    assert pub.parameter_values is not None
    assert pub.parameter_values[0, 0] == 0.1
    with pytest.raises(AttributeError):
        pub.shots = 5  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        pub.parameter_values[0, 0] = 1.0


# -- parameter values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "shape", "array_shape"),
    [
        ([0.1, 0.2], (), (2,)),
        (np.zeros((5, 2)), (5,), (5, 2)),
        (np.zeros((3, 4, 2)), (3, 4), (3, 4, 2)),
        ([[1, 2]], (1,), (1, 2)),
    ],
)
def test_two_parameter_sweeps(
    values: Any, shape: tuple[int, ...], array_shape: tuple[int, ...]
) -> None:
    pub = SamplerPub(PARAM_QASM3, values)
    assert pub.shape == shape
    assert pub.parameter_values is not None
    assert pub.parameter_values.shape == array_shape
    assert pub.parameter_values.dtype == np.float64


@pytest.mark.parametrize(
    ("values", "shape"),
    [(0.5, ()), ([0.5], ()), ([1, 2, 3], (3,)), ([[1], [2]], (2,)), (np.zeros((4, 3)), (4, 3))],
)
def test_one_parameter_follows_bindings_array_rules(values: Any, shape: tuple[int, ...]) -> None:
    qc = QuantumCircuit(1)
    qc.rx(Parameter("a"), 0)
    pub = SamplerPub(qc, values)
    assert pub.shape == shape
    assert pub.parameter_values is not None
    assert pub.parameter_values.shape == (*shape, 1)
    # the same shape as qiskit's own coercion
    assert BindingsArray.coerce({tuple(qc.parameters): values}).shape == shape


def test_parameterless_circuit_accepts_empty_values_like_the_official_client() -> None:
    pub = SamplerPub(BELL_QASM3, np.empty(0))
    assert pub.to_wire() == [BELL_QASM3, EMPTY_PARAMETER_VALUES]
    assert SamplerPub(BELL_QASM3, np.empty((4, 0))).shape == (4,)
    assert SamplerPub(BELL_QASM3, {}).to_wire() == [BELL_QASM3]


def test_dict_values_are_ordered_by_sorted_parameter_names() -> None:
    pub = SamplerPub(PARAM_QASM3, {"theta": [1.0, 2.0, 3.0], "phi": 0.5})
    assert pub.shape == (3,)
    np.testing.assert_array_equal(
        decode_npy(pub.to_wire()[1]), [[0.5, 1.0], [0.5, 2.0], [0.5, 3.0]]
    )


def test_dict_values_accept_parameters_and_tuple_keys() -> None:
    qc = QuantumCircuit(1)
    a, b, c = Parameter("a"), Parameter("b"), Parameter("c")
    qc.rx(a, 0)
    qc.ry(b, 0)
    qc.rz(c, 0)
    pub = SamplerPub(qc, {c: [[3.0], [30.0]], (a, "b"): [[1.0, 2.0], [10.0, 20.0]]})
    assert pub.shape == (2,)
    assert pub.parameter_values is not None
    np.testing.assert_array_equal(pub.parameter_values, [[1, 2, 3], [10, 20, 30]])
    # agrees with qiskit
    expected = BindingsArray.coerce({c: [[3.0], [30.0]], (a, "b"): [[1.0, 2.0], [10.0, 20.0]]})
    np.testing.assert_array_equal(pub.parameter_values, expected.as_array(qc.parameters))


def test_bindings_array_is_accepted() -> None:
    bindings = BindingsArray({("theta", "phi"): np.arange(10.0).reshape(5, 2)})
    pub = SamplerPub(PARAM_QASM3, bindings)
    assert pub.shape == (5,)
    assert pub.parameter_values is not None
    np.testing.assert_array_equal(pub.parameter_values[:, 0], np.arange(10.0)[1::2])


def test_large_sweep_round_trips() -> None:
    # Its speed is reported by scripts/bench.py (figure 4), not asserted here.
    values = np.random.default_rng(1).random((500_000, 2))  # 10**6 values
    wire = SamplerPub(PARAM_QASM3, values, shots=100).to_wire()
    np.testing.assert_array_equal(decode_npy(wire[1]), values)


def test_importing_pubs_loads_neither_qiskit_nor_numpy() -> None:
    code = (
        "import sys, qiskit_runtime_rest.pubs as p; p.SamplerPub(p.__doc__ and 'qubit q;');"
        "print('qiskit' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# -- observables and broadcasting --------------------------------------------------------------


def test_broadcasting_observables_against_parameter_values() -> None:
    pub = EstimatorPub(PARAM_QASM3, [["ZZ"], ["XX"]], np.zeros((5, 2)))
    assert pub.observables_shape == (2, 1)
    assert pub.shape == (2, 5)
    assert pub.size == 10
    assert pub.to_wire()[1] == [["ZZ"], ["XX"]]


def test_observable_forms() -> None:
    single = EstimatorPub(BELL_STATE_QASM3, {"XX": 0.5, "YY": 0.5})
    assert single.shape == ()
    assert single.to_wire() == [BELL_STATE_QASM3, {"XX": 0.5, "YY": 0.5}]
    assert EstimatorPub(BELL_STATE_QASM3, "ZZ").to_wire()[1] == "ZZ"
    array = np.array([["ZZ", "XX"], ["YY", "IZ"]], dtype=object)
    assert EstimatorPub(BELL_STATE_QASM3, array).shape == (2, 2)
    assert EstimatorPub(BELL_STATE_QASM3, [{"ZZ": 1}, "XX"]).to_wire()[1] == [{"ZZ": 1.0}, "XX"]


def test_sparse_pauli_op_conversion() -> None:
    op = SparsePauliOp.from_list([("XX", 0.5), ("YY", 0.25), ("XX", 0.25 + 0j)])
    pub = EstimatorPub(BELL_STATE_QASM3, [op, SparsePauliOp("ZI")])
    assert pub.shape == (2,)
    assert pub.to_wire()[1] == [{"XX": 0.75, "YY": 0.25}, {"ZI": 1.0}]
    assert EstimatorPub(BELL_STATE_QASM3, Pauli("-XZ")).to_wire()[1] == {"XZ": -1.0}
    with pytest.raises(ValidationError, match=r"coefficient of 'XX' is complex"):
        EstimatorPub(BELL_STATE_QASM3, SparsePauliOp.from_list([("XX", 1j)]))


def test_estimator_wire_forms() -> None:
    pv = decode_npy(EstimatorPub(PARAM_QASM3, "ZZ", [1.0, 2.0]).to_wire()[2])
    np.testing.assert_array_equal(pv, [1.0, 2.0])
    assert EstimatorPub(BELL_STATE_QASM3, "ZZ", precision=0.01).to_wire() == [
        BELL_STATE_QASM3,
        "ZZ",
        None,
        0.01,
    ]


def test_sampler_wire_forms() -> None:
    assert SamplerPub(BELL_QASM3, shots=100).to_wire() == [BELL_QASM3, None, 100]
    assert SamplerPub(BELL_QASM3, shots=np.int64(7)).to_wire() == [BELL_QASM3, None, 7]
    wire = SamplerPub(PARAM_QASM3, [1, 2], 5).to_wire()
    assert wire[2] == 5
    assert decode_npy(wire[1]).dtype == np.float64


def test_coercion_helpers() -> None:
    pub = SamplerPub(BELL_QASM3)
    assert as_sampler_pub(pub) is pub
    assert as_sampler_pub(BELL_QASM3).to_wire() == [BELL_QASM3]
    assert as_sampler_pub((PARAM_QASM3, [1, 2], 10)).shots == 10
    assert as_sampler_pub([BELL_QASM3]).shape == ()
    qc = QuantumCircuit(1)
    assert as_sampler_pub(qc).num_qubits == 1
    assert as_estimator_pub((BELL_STATE_QASM3, "ZZ", None, 0.1)).precision == 0.1
    assert as_estimator_pub((PARAM_QASM3, ["ZZ", "XX"], [[1, 2], [3, 4]])).shape == (2,)


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: SamplerPub(""), "circuit is an empty string"),
        (lambda: SamplerPub(b"OPENQASM 3;"), "circuit must be OpenQASM text .* got bytes"),
        (lambda: SamplerPub(42), "got int"),
        (
            lambda: SamplerPub(PARAM_QASM3, np.zeros((5, 3))),
            r"parameter_values has shape \(5, 3\) but the circuit has 2 parameters "
            r"\(phi, theta\): the last axis must be 2",
        ),
        (lambda: SamplerPub(PARAM_QASM3, 1.0), r"has shape \(\) but the circuit has 2"),
        (lambda: SamplerPub(PARAM_QASM3), r"has 2 parameters \(phi, theta\) but no parameter_"),
        (lambda: SamplerPub(BELL_QASM3, [1.0]), "but the circuit has no parameters"),
        (lambda: SamplerPub(PARAM_QASM3, [1.0, float("nan")]), r"non-finite value \(nan\) at"),
        (lambda: SamplerPub(PARAM_QASM3, [1.0, np.inf]), "non-finite"),
        (lambda: SamplerPub(PARAM_QASM3, [[1, 2], [3]]), "not a rectangular array"),
        (lambda: SamplerPub(PARAM_QASM3, ["a", "b"]), "must contain only real numbers"),
        (lambda: SamplerPub(PARAM_QASM3, [1j, 2]), "complex numbers"),
        (lambda: SamplerPub(PARAM_QASM3, [True, False]), "booleans"),
        (lambda: SamplerPub(PARAM_QASM3, {"theta": 1}), r"no values for parameter\(s\) phi"),
        (
            lambda: SamplerPub(PARAM_QASM3, {"theta": 1, "phi": 2, "psi": 3}),
            r"unknown parameter\(s\) psi",
        ),
        (
            lambda: SamplerPub(PARAM_QASM3, {"theta": [1, 2], "phi": [1, 2, 3]}),
            r"do not broadcast together \(phi: \(3,\), theta: \(2,\)\)",
        ),
        (
            lambda: SamplerPub(PARAM_QASM3, {("theta", "phi"): [1, 2, 3]}),
            "names 2 parameters: the last axis must be 2",
        ),
        (lambda: SamplerPub(PARAM_QASM3, {3: 1}), "keys must be parameter names"),
        (lambda: SamplerPub(PARAM_QASM3, {"theta": 1, ("theta",): 2, "phi": 1}), "more than once"),
        (lambda: SamplerPub(BELL_QASM3, shots=0), "shots must be a positive integer, got 0"),
        (lambda: SamplerPub(BELL_QASM3, shots=True), "shots must be a positive integer or None"),
        (lambda: SamplerPub(BELL_QASM3, shots=1.5), "got float"),
        (
            lambda: EstimatorPub(PARAM_QASM3, ["ZZ", "XX", "YY"], np.zeros((5, 2))),
            r"observables shape \(3,\) does not broadcast with parameter_values shape \(5,\) "
            r"\(from array of shape \(5, 2\)\)",
        ),
        (
            lambda: EstimatorPub(BELL_STATE_QASM3, "ZZZ"),
            r"act on 3 qubit\(s\) .* but the circuit has 2 qubit\(s\)",
        ),
        (lambda: EstimatorPub(BELL_STATE_QASM3, ["ZZ", "XXX"]), r"different lengths \[2, 3\]"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, "zz"), "only the letters I, X, Y, Z"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, ""), "only the letters"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, {}), "at least one"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, []), "empty list"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, [["ZZ"], "XX"]), "observables are ragged"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, {"ZZ": True}), "must be a real number"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, {"ZZ": "1"}), "must be a real number"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, {"ZZ": 1 + 2j}), "is complex"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, {"ZZ": float("inf")}), "not finite"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, {"ZZ": 10**400}), "not a usable number"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, {1: 1.0}), "must be str"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, 5), "an observable must be a Pauli string"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, "ZZ", precision=0), "finite number > 0"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, "ZZ", precision=False), "positive number"),
        (lambda: EstimatorPub(BELL_STATE_QASM3, "ZZ", precision="0.1"), "positive number"),
        (lambda: as_sampler_pub((BELL_QASM3, None, 1, 2)), "got 4 items"),
        (lambda: as_sampler_pub(3), "cannot make a Sampler PUB from int"),
        (lambda: as_sampler_pub(EstimatorPub(BELL_STATE_QASM3, "ZZ")), "EstimatorPub was given"),
        (lambda: as_estimator_pub(BELL_STATE_QASM3), "needs observables"),
        (lambda: as_estimator_pub((BELL_STATE_QASM3,)), "got 1 items"),
        (lambda: as_estimator_pub(SamplerPub(BELL_QASM3)), "SamplerPub was given"),
    ],
)
def test_validation_errors(build: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        build()


def test_unknown_parameter_count_skips_the_checks() -> None:
    text = "OPENQASM 3.0;\nqubit[2] q;\ninput int[8] k;\n"
    assert SamplerPub(text).shape == ()
    assert SamplerPub(text, [1, 2, 3]).shape == ()  # read as (k=3,)
    # estimator: either reading (k = last axis, or one parameter per entry) may broadcast
    assert EstimatorPub(text, ["ZZ", "XX", "YY"], [1, 2, 3]).shape == (3,)


def test_deeply_nested_observables_are_a_validation_error() -> None:
    deep: Any = "ZZ"
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(ValidationError, match="nested too deeply"):
        EstimatorPub(BELL_STATE_QASM3, deep)


# -- property-based: arbitrary input raises only ValidationError --------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=6)
    | st.complex_numbers(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=4) | st.integers(), children, max_size=4)
        | st.tuples(children, children)
    ),
    max_leaves=20,
)
arrays = hnp.arrays(
    dtype=hnp.scalar_dtypes(),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
)
pauli_like = st.text(alphabet="IXYZxz ", max_size=4)
anything = (
    json_values
    | arrays
    | pauli_like
    | st.builds(object)
    | st.sampled_from([SparsePauliOp("XX"), Parameter("theta"), QuantumCircuit(2), np.float64])
)
circuits = st.sampled_from(
    [BELL_QASM3, PARAM_QASM3, "OPENQASM 3.0;\nqubit[2] q;\ninput int k;\n", QuantumCircuit(2)]
) | st.one_of(st.text(max_size=30), st.integers(), st.none())


def _only_validation_errors(build: Any, *args: Any) -> None:
    with contextlib.suppress(ValidationError):
        build(*args)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(circuits, anything, anything)
def test_sampler_pub_raises_only_validation_errors(circuit: Any, values: Any, shots: Any) -> None:
    _only_validation_errors(SamplerPub, circuit, values, shots)
    _only_validation_errors(as_sampler_pub, (circuit, values, shots))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(circuits, anything | st.lists(pauli_like, max_size=3), anything, anything)
def test_estimator_pub_raises_only_validation_errors(
    circuit: Any, observables: Any, values: Any, precision: Any
) -> None:
    _only_validation_errors(EstimatorPub, circuit, observables, values, precision)
    _only_validation_errors(as_estimator_pub, (circuit, observables, values, precision))


@settings(max_examples=100, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
        elements=st.floats(-10, 10),
    )
)
def test_valid_sweeps_round_trip(values: np.ndarray) -> None:
    try:
        pub = EstimatorPub(PARAM_QASM3, "ZZ", values)
    except ValidationError:
        assert values.shape[-1] != 2
        return
    assert pub.shape == values.shape[:-1]
    np.testing.assert_array_equal(decode_npy(pub.to_wire()[2]), values)
