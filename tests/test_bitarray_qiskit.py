"""The SDK's BitArray methods against qiskit's BitArray on the same data, and execution spans
decoded into typed objects (and into qiskit-ibm-runtime's by ``to_qiskit()``), issue 16."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from qiskit.primitives import BitArray as QBitArray
from qiskit_runtime_rest import BitArray, Runtime, SamplerPub
from qiskit_runtime_rest.results import DoubleSliceSpan, ExecutionSpans

RNG = np.random.default_rng(7)


def pair(shape: tuple[int, ...] = (2, 3), shots: int = 40, bits: int = 11) -> tuple[Any, Any]:
    data = RNG.integers(0, 256, size=(*shape, shots, (bits + 7) // 8), dtype=np.uint8)
    data[..., 0] &= (1 << (bits % 8 or 8)) - 1
    return BitArray(data.copy(), bits), QBitArray(data.copy(), bits)


def same(ours: BitArray, theirs: Any) -> None:
    assert ours.shape == theirs.shape and ours.num_shots == theirs.num_shots
    assert ours.num_bits == theirs.num_bits
    assert np.array_equal(ours.array, theirs.array)


@pytest.mark.parametrize("indices", [3, [0, 2, 10], [10, 0], [5, 5, 1], []])
def test_slice_bits(indices: Any) -> None:
    ours, theirs = pair()
    same(ours.slice_bits(indices), theirs.slice_bits(indices))


@pytest.mark.parametrize("indices", [0, [1, 3, 39], [39, 0, 0]])
def test_slice_shots(indices: Any) -> None:
    ours, theirs = pair()
    same(ours.slice_shots(indices), theirs.slice_shots(indices))


@pytest.mark.parametrize(
    ("indices", "selection"), [(0, True), ([0, 3], [1, 0]), ([-1, 2, 5], [False, True, True])]
)
def test_postselect(indices: Any, selection: Any) -> None:
    ours, theirs = pair()
    same(ours.postselect(indices, selection), theirs.postselect(indices, selection))


def test_out_of_range_and_mismatched_arguments_raise_as_in_qiskit() -> None:
    ours, theirs = pair()
    calls = (
        lambda b: b.slice_bits(11),
        lambda b: b.slice_bits(-1),
        lambda b: b.slice_shots(40),
        lambda b: b.postselect(-12, True),
    )
    for call in calls:
        with pytest.raises(IndexError):
            call(theirs)
        with pytest.raises(IndexError):
            call(ours)
    with pytest.raises(ValueError):
        ours.postselect([0, 1], [True])


@pytest.mark.parametrize(
    "observables",
    [
        "ZIIIIIIIIIZ",
        {"ZZIIIIIIIII": 0.5, "IIIIIIIII01": 2.0},
        [["IIIIIIIIIIZ"], ["ZIIIIIIIIII"]],
        ["IIIIIIIIII1", "IIIIIIIIII0", "IIIIIIIIIII"],
    ],
)
def test_expectation_values(observables: Any) -> None:
    ours, theirs = pair()
    expected = theirs.expectation_values(observables)
    got = ours.expectation_values(observables)
    assert got.shape == expected.shape
    assert np.allclose(got, expected)
    with pytest.raises(ValueError):
        ours.expectation_values("XZ" + "I" * 9)
    with pytest.raises(ValueError):
        ours.expectation_values("ZZ")


def test_concatenations() -> None:
    (a, qa), (b, qb) = pair(), pair()
    same(BitArray.concatenate([a, b], axis=1), QBitArray.concatenate([qa, qb], axis=1))
    same(BitArray.concatenate_shots([a, b]), QBitArray.concatenate_shots([qa, qb]))
    (c, qc) = pair(bits=5)
    same(BitArray.concatenate_bits([a, c]), QBitArray.concatenate_bits([qa, qc]))
    with pytest.raises(ValueError):
        BitArray.concatenate([a, c])
    with pytest.raises(ValueError):
        BitArray.concatenate_shots([])


def test_execution_spans_are_typed_and_convert(server_rt: Runtime) -> None:
    qasm = 'OPENQASM 3.0; include "stdgates.inc"; bit[1] c; x $0; c[0] = measure $0;'
    result = server_rt.sampler("ibm_emulator_simulator").run([SamplerPub(qasm, shots=30)]).result()
    spans = result.metadata["execution"]["execution_spans"]
    assert isinstance(spans, ExecutionSpans) and len(spans) >= 1
    span = spans[0]
    assert isinstance(span, DoubleSliceSpan) and span.pub_idxs == [0]
    assert span.start <= span.stop and span.start.tzinfo is not None
    assert span.mask(0).shape == (30,) and span.size == 30 and spans.duration >= 0
    qiskit_result = result.to_qiskit()
    converted = qiskit_result.metadata["execution"]["execution_spans"]
    from qiskit_ibm_runtime.execution_span import ExecutionSpans as QiskitSpans

    assert isinstance(converted, QiskitSpans)
    assert converted[0].start == span.start and np.array_equal(converted[0].mask(0), span.mask(0))
    assert "__type__" not in repr(result.metadata)


@pytest.fixture(scope="module")
def server_rt() -> Any:
    from qiskit_runtime_emulator.server import EmulatorServer

    from tests.conftest import connect

    with EmulatorServer() as server, connect(server) as rt:
        yield rt
