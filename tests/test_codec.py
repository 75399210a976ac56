"""The result wire codec: golden vectors, round trips, qiskit cross-checks, corrupted payloads."""

from __future__ import annotations

import base64
import contextlib
import copy
import io
import json
import zlib
from datetime import datetime
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qiskit_runtime_rest.codec import (
    decode_datetime,
    decode_ndarray,
    decode_result,
    decode_typed,
    encode_datetime,
    encode_execution_spans,
    encode_ndarray,
    encode_result,
    encode_typed,
)
from qiskit_runtime_rest.errors import ResultDecodeError, ValidationError
from qiskit_runtime_rest.results import (
    BitArray,
    DataBin,
    ExecutionSpans,
    PrimitiveResult,
    PubResult,
    SamplerPubResult,
)

# -- golden vectors (the JobResult schema of spec/qiskit-runtime.yaml) -------------------------

SAMPLER_GOLDEN = (
    '{"__type__": "PrimitiveResult", "__value__": {"pub_results": [{"__type__": "SamplerPubResult",'
    ' "__value__": {"data": {"__type__": "DataBin", "__value__": {"field_names": ["meas"], '
    '"field_types": ["BitArray"], "shape": [], "fields": {"meas": {"__type__": "BitArray", '
    '"__value__": {"num_bits": 2, "array": {"__type__": "ndarray", "__value__": '
    '"eJyb7BfqGxDJyFDGUK2eklqcXKRupaBeU2qorqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RomOgqGmjoKtQp'
    'kAy4GZmYGAOUhG74="}}}}}}, "metadata": {"circuit_metadata": {}}}}], "metadata": {"execution": '
    '{"execution_spans": {"__type__": "ExecutionSpans", "__value__": {"spans": [{"__type__": '
    '"DoubleSliceSpan", "__value__": {"start": {"__type__": "datetime", "__value__": '
    '"2026-01-01T00:00:00.000000"}, "stop": {"__type__": "datetime", "__value__": '
    '"2026-01-01T00:00:01.000000"}, "data_slices": {"0": [[4], 0, 1, 0, 4]}}}]}}}, "version": 2}}}'
)

ESTIMATOR_GOLDEN = (
    '{"__type__": "PrimitiveResult", "__value__": {"pub_results": [{"__type__": "PubResult", '
    '"__value__": {"data": {"__type__": "DataBin", "__value__": {"field_names": ["evs", "stds", '
    '"ensemble_standard_error"], "field_types": ["ndarray", "ndarray", "ndarray"], "shape": [2], '
    '"fields": {"evs": {"__type__": "ndarray", "__value__": "eJyb7BfqGxDJyFDGUK2eklqcXKRupaBuk2ahr'
    'qOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RpGOpo6CrUKFACumP5DXzVi3ttXi6xzf1jVYg8AUMojUw=="}, '
    '"stds": {"__type__": "ndarray", "__value__": "eJyb7BfqGxDJyFDGUK2eklqcXKRupaBuk2ahrqOgnpZfVFKU'
    'mBefX5SSChJ3S8wpTgWKF2ckFqQC+RpGOpo6CrUKFACuX3VZe0omd9jvkGt9Hbijzx4AVtcj5Q=="}, '
    '"ensemble_standard_error": {"__type__": "ndarray", "__value__": "eJyb7BfqGxDJyFDGUK2eklqcXKRu'
    "paBuk2ahrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RpGOpo6CrUKFACuXZ48TNrtbfaVL9UMOdb02AMAOY8h"
    'HQ=="}}}}, "metadata": {"target_precision": 0.015625, "shots": 4096, "circuit_metadata": {}, '
    '"num_randomizations": 32}}}], "metadata": {"dynamical_decoupling": {"enable": false, '
    '"sequence_type": "XX", "extra_slack_distribution": "middle", "scheduling_method": "alap"}, '
    '"twirling": {"enable_gates": false, "enable_measure": true, "num_randomizations": "auto", '
    '"shots_per_randomization": "auto", "interleave_randomizations": true, "strategy": '
    '"active-accum"}, "resilience": {"measure_mitigation": true, "zne_mitigation": false, '
    '"pec_mitigation": false}, "version": 2}}}'
)

NO_PARAMETERS = (
    "eJyb7BfqGxDJyFDGUK2eklqcXKRupaBuk2ahrqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RoGOpo6"
    "CrUKFAAuAFOzG1s="
)

PLAIN_SAMPLER = {
    "results": [
        {
            "data": {"c": {"samples": ["0x3", "0x0", "0x2", "0x1"], "num_bits": 2}},
            "metadata": {"circuit_metadata": {}},
        }
    ],
    "metadata": {"version": 2},
}

PLAIN_ESTIMATOR = {
    "results": [
        {
            "data": {
                "evs": 0.7428980350102542,
                "stds": 0.029884014518789213,
                "ensemble_standard_error": 0.03261147170624149,
            },
            "metadata": {
                "shots": 10016,
                "target_precision": 0.01,
                "circuit_metadata": {},
                "resilience": {},
                "num_randomizations": 32,
            },
        }
    ],
    "metadata": {},
}


def test_sampler_golden_decodes_to_documented_counts() -> None:
    result = decode_result(SAMPLER_GOLDEN)
    assert len(result) == 1
    pub = result[0]
    assert isinstance(pub, SamplerPubResult)
    assert pub.data.keys() == ["meas"]
    assert pub.data.meas.get_counts() == {"00": 2, "11": 2}
    assert pub.data.meas.get_bitstrings() == ["00", "11", "11", "00"]
    assert pub.data.meas.array.tolist() == [[0], [3], [3], [0]]
    assert pub.metadata == {"circuit_metadata": {}}
    assert result.metadata["version"] == 2
    spans = result.metadata["execution"]["execution_spans"]
    assert isinstance(spans, ExecutionSpans)  # decoded into typed spans (issue 16)
    span = spans[0]
    assert span.start == datetime(2026, 1, 1)
    assert span.stop == datetime(2026, 1, 1, 0, 0, 1)
    assert span.data_slices == {0: ((4,), slice(0, 1), slice(0, 4))}
    assert span.mask(0).tolist() == [True] * 4 and span.size == 4


def test_estimator_golden_decodes_to_documented_values() -> None:
    result = decode_result(ESTIMATOR_GOLDEN.encode())
    pub = result[0]
    assert type(pub) is PubResult
    assert pub.data.shape == (2,)
    assert pub.data.evs.tolist() == [0.98, 0.01]
    assert pub.data.stds.tolist() == [0.012, 0.015]
    assert pub.data["ensemble_standard_error"].tolist() == [0.011, 0.014]
    assert pub.data.evs.dtype == np.float64
    assert pub.metadata["target_precision"] == 0.015625
    assert result.metadata["twirling"]["strategy"] == "active-accum"


@pytest.mark.parametrize("golden", [SAMPLER_GOLDEN, ESTIMATOR_GOLDEN], ids=["sampler", "estimator"])
def test_typed_encoding_reproduces_golden_bytes(golden: str) -> None:
    """decode -> encode gives back the documented payload exactly, ndarray bytes included."""
    assert encode_result(decode_result(golden), typed=True) == json.loads(golden)


def test_no_parameter_ndarray_golden() -> None:
    array = decode_ndarray(NO_PARAMETERS)
    assert array.dtype == np.float64
    assert array.shape == (0,)
    assert encode_ndarray(np.zeros(0)) == {"__type__": "ndarray", "__value__": NO_PARAMETERS}


def test_plain_golden_examples() -> None:
    sampler = decode_result(PLAIN_SAMPLER)
    pub = sampler[0]
    assert isinstance(pub, SamplerPubResult)
    assert pub.data.c.get_bitstrings() == ["11", "00", "10", "01"]
    assert pub.data.c.get_counts() == {"11": 1, "00": 1, "10": 1, "01": 1}
    assert sampler.metadata == {"version": 2}
    assert encode_result(sampler, typed=False) == PLAIN_SAMPLER

    estimator = decode_result(json.dumps(PLAIN_ESTIMATOR))
    pub = estimator[0]
    assert type(pub) is PubResult
    assert pub.data.shape == ()
    assert float(pub.data.evs) == 0.7428980350102542
    assert pub.data.evs.shape == ()
    assert pub.metadata["shots"] == 10016
    assert encode_result(estimator, typed=False) == PLAIN_ESTIMATOR


# -- BitArray ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "num_bits", "counts", "ints"),
    [([[1]], 2, {"01": 1}, {1: 1}), ([[2, 1]], 10, {"1000000001": 1}, {513: 1})],
)
def test_bit_array_packing_examples(
    rows: list[list[int]], num_bits: int, counts: dict[str, int], ints: dict[int, int]
) -> None:
    from qiskit.primitives import BitArray as QiskitBitArray

    bits = BitArray(np.array(rows, dtype=np.uint8), num_bits)
    assert bits.get_counts() == counts
    assert bits.get_int_counts() == ints
    assert QiskitBitArray(np.array(rows, dtype=np.uint8), num_bits).get_counts() == counts


@pytest.mark.parametrize("num_bits", [1, 2, 7, 8, 9, 16, 63, 64, 65, 127])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3)])
def test_bit_array_matches_qiskit(num_bits: int, shape: tuple[int, ...]) -> None:
    from qiskit.primitives import BitArray as QiskitBitArray

    rng = np.random.default_rng(num_bits)
    bools = rng.random((*shape, 50, num_bits)) < 0.3
    ours = BitArray.from_bool_array(bools)
    theirs = QiskitBitArray.from_bool_array(bools)
    np.testing.assert_array_equal(ours.array, theirs.array)
    assert (ours.shape, ours.num_shots, ours.num_bits) == (theirs.shape, 50, num_bits)
    assert ours.get_counts() == theirs.get_counts()
    assert ours.get_int_counts() == theirs.get_int_counts()
    assert ours.get_bitstrings() == theirs.get_bitstrings()
    for order in ("big", "little"):
        np.testing.assert_array_equal(ours.to_bool_array(order), theirs.to_bool_array(order))
    np.testing.assert_array_equal(
        BitArray.from_bool_array(bools[..., ::-1], "little").array, ours.array
    )
    if shape:
        loc = (1,) * len(shape)
        assert ours.get_counts(loc) == theirs.get_counts(loc)
        assert ours.get_bitstrings(loc) == theirs.get_bitstrings(loc)
        assert ours[1].get_counts() == theirs[1].get_counts()
    assert ours.to_qiskit().get_counts() == theirs.get_counts()


def test_bit_array_ignores_padding_bits_like_qiskit() -> None:
    from qiskit.primitives import BitArray as QiskitBitArray

    raw = np.array([[0b1111_0001], [0b0000_0001], [0b1000_0010]], dtype=np.uint8)
    ours, theirs = BitArray(raw, 2), QiskitBitArray(raw, 2)
    assert ours.get_counts() == theirs.get_counts() == {"01": 2, "10": 1}
    assert ours.get_bitstrings() == theirs.get_bitstrings()
    assert ours == BitArray(np.array([[1], [1], [2]], dtype=np.uint8), 2)
    # Padding never reaches the plain wire form either.
    plain = encode_result(PrimitiveResult([SamplerPubResult(DataBin({"c": ours}))]), typed=False)
    assert plain["results"][0]["data"]["c"]["samples"] == ["0x1", "0x1", "0x2"]


def test_bit_array_from_samples_matches_qiskit() -> None:
    from qiskit.primitives import BitArray as QiskitBitArray

    cases: list[tuple[list[int | str], int | None]] = [
        ([0, 5, 3, 5], 3),
        (["0x0", "0x1ff", "0xA"], 10),
        (["101", "011", "000"], None),
        ([2**126 + 1, 7], 127),
    ]
    for samples, num_bits in cases:
        ours = BitArray.from_samples(samples, num_bits)
        theirs = QiskitBitArray.from_samples(samples, num_bits)
        np.testing.assert_array_equal(ours.array, theirs.array)
        assert ours.num_bits == theirs.num_bits
    vectorised = BitArray.from_samples(np.array([0, 513, 7]), 10)
    assert vectorised == BitArray.from_samples([0, 513, 7], 10)
    assert BitArray.from_counts({"0x3": 2, "0x0": 1}, 2).get_counts() == {"11": 2, "00": 1}
    assert BitArray.from_samples([1, 2, 3, 0, 1, 2], 2).reshape(2, 3).shape == (2,)
    with pytest.raises(ValidationError):
        BitArray.from_samples([4], 2)
    with pytest.raises(ValidationError):
        BitArray.from_samples(["0xZZ"], 8)


@pytest.mark.parametrize(
    ("array", "num_bits"),
    [
        (np.zeros((4, 1), dtype=np.int64), 2),
        (np.zeros((4,), dtype=np.uint8), 2),
        (np.zeros((4, 2), dtype=np.uint8), 2),
        (np.zeros((4, 1), dtype=np.uint8), -1),
    ],
)
def test_bit_array_constructor_validates(array: Any, num_bits: int) -> None:
    with pytest.raises(ResultDecodeError):
        BitArray(array, num_bits)


def test_data_bin_access_and_validation() -> None:
    bits = BitArray.from_samples([1, 2, 3], 2)
    evs = np.array(0.5)
    data = DataBin({"meas": bits, "evs": evs}, ())
    assert data.meas is bits and data["evs"] is evs
    assert "meas" in data and "nope" not in data and len(data) == 2
    assert list(data) == data.keys() == ["meas", "evs"]
    assert data.items() == [("meas", bits), ("evs", evs)]
    assert data.get_bit_array("meas") is bits
    assert data.get_ndarray("evs") is evs
    with pytest.raises(TypeError):
        data.get_bit_array("evs")
    with pytest.raises(AttributeError):
        _ = data.nope
    with pytest.raises(KeyError):
        _ = data["nope"]
    with pytest.raises(ResultDecodeError, match="meas"):
        DataBin({"meas": bits}, (3,))
    with pytest.raises(ResultDecodeError, match="evs"):
        DataBin({"evs": np.zeros(2)}, (3,))
    assert copy.deepcopy(data) == data


def test_reprs_are_short() -> None:
    bits = BitArray(np.zeros((10, 10, 4096, 16), dtype=np.uint8), 127)
    data = DataBin({"meas": bits, "evs": np.zeros((10, 10, 1000))}, (10, 10))
    result = PrimitiveResult([SamplerPubResult(data, {"x": list(range(1000))})] * 50, {"m": 1})
    for obj in (bits, data, result[0], result, result[:2]):
        assert len(repr(obj)) < 400, repr(obj)
    assert repr(bits) == "BitArray(<shape=(10, 10), num_shots=4096, num_bits=127>)"


# -- round trips ------------------------------------------------------------------------------


def sampler_result(shape: tuple[int, ...], shots: int = 20, seed: int = 0) -> PrimitiveResult:
    rng = np.random.default_rng(seed)
    pubs = []
    for k in range(2):
        fields = {
            "meas": BitArray.from_bool_array(rng.random((*shape, shots, 5 + k)) < 0.5),
            "alpha": BitArray.from_bool_array(rng.random((*shape, shots, 70)) < 0.5),
            "one": BitArray.from_bool_array(rng.random((*shape, shots, 1)) < 0.5),
        }
        pubs.append(SamplerPubResult(DataBin(fields, shape), {"circuit_metadata": {"k": k}}))
    return PrimitiveResult(pubs, {"version": 2})


def estimator_result(shape: tuple[int, ...], seed: int = 0) -> PrimitiveResult:
    rng = np.random.default_rng(seed)
    fields = {
        "evs": rng.normal(size=shape),
        "stds": rng.random(shape),
        "ensemble_standard_error": rng.random(shape),
        "evs_noise_factors": rng.normal(size=(*shape, 3)),
        "evs_extrapolated": rng.normal(size=(*shape, 2, 4)),
    }
    metadata = {"target_precision": 0.015625, "shots": 4096, "circuit_metadata": {}}
    return PrimitiveResult([PubResult(DataBin(fields, shape), metadata)], {"version": 2})


SHAPES = [(), (3,), (2, 3)]


@pytest.mark.parametrize("typed", [True, False], ids=["typed", "plain"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_sampler_round_trip(shape: tuple[int, ...], typed: bool) -> None:
    result = sampler_result(shape)
    encoded = encode_result(result, typed=typed)
    decoded = decode_result(json.dumps(encoded))
    assert decoded == result
    for ours, theirs in zip(decoded, result, strict=True):
        assert isinstance(ours, SamplerPubResult)
        assert ours.data.keys() == ["meas", "alpha", "one"]
        for name in ours.data:
            assert ours.data[name].get_counts() == theirs.data[name].get_counts()
    if not typed:
        samples = encoded["results"][0]["data"]["meas"]["samples"]
        # Nested as (*shape, shots): a flat list for shape (), one level per pub axis otherwise.
        assert np.array(samples).shape == (*shape, 20)
        assert all(s.startswith("0x") for s in np.array(samples).ravel())


@pytest.mark.parametrize("typed", [True, False], ids=["typed", "plain"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_estimator_round_trip(shape: tuple[int, ...], typed: bool) -> None:
    result = estimator_result(shape)
    encoded = encode_result(result, typed=typed)
    decoded = decode_result(json.dumps(encoded))
    assert decoded == result
    assert type(decoded[0]) is PubResult
    assert decoded[0].data.shape == shape
    if not typed:
        evs = encoded["results"][0]["data"]["evs"]
        assert np.array(evs).shape == shape
        assert isinstance(evs, float) == (shape == ())


def test_round_trip_edge_cases() -> None:
    fields = {
        "empty": BitArray(np.zeros((2, 0, 1), dtype=np.uint8), 3),
        "zero_width": BitArray(np.zeros((2, 4, 0), dtype=np.uint8), 0),
    }
    result = PrimitiveResult([SamplerPubResult(DataBin(fields, (2,)))], {})
    for typed in (True, False):
        assert decode_result(encode_result(result, typed=typed)) == result
    # qiskit's formatting (bin(0)) spells the empty outcome "0"; we follow it.
    assert fields["zero_width"].get_counts() == {"0": 8}
    # Kerneled (complex) sampler data: typed form only; the plain form has no spelling for it.
    kerneled = PrimitiveResult(
        [SamplerPubResult(DataBin({"c": np.array([[1 + 2j, 3j]])}, (1,)))], {}
    )
    assert decode_result(encode_result(kerneled, typed=True)) == kerneled


def test_execution_spans_and_metadata_values() -> None:
    start, stop = datetime(2026, 1, 1), datetime(2026, 1, 1, 0, 0, 1)
    spans = encode_execution_spans([(start, stop, {0: ((4,), 0, 1, 0, 4)})])
    golden = json.loads(SAMPLER_GOLDEN)["__value__"]["metadata"]["execution"]["execution_spans"]
    assert spans == golden
    result = PrimitiveResult(decode_result(SAMPLER_GOLDEN)[:1], {"version": 2})
    encoded = encode_result(result, execution_spans=[(start, stop, {0: ((4,), 0, 1, 0, 4)})])
    assert encoded == json.loads(SAMPLER_GOLDEN)

    metadata = {
        "when": datetime(2026, 2, 3, 4, 5, 6, 7),
        "z": 1 + 2j,
        "arr": np.arange(3),
        "n": np.int64(7),
        "t": (1, 2),
        "extrapolator": {"__type__": "ndarray", "__value__": "exponential"},
        "other": {
            "__type__": "Mystery",
            "__value__": {"at": encode_datetime(datetime(2020, 1, 1))},
        },
    }
    decoded = decode_typed(json.loads(json.dumps(encode_typed(metadata))))
    assert decoded["when"] == metadata["when"]
    assert decoded["z"] == 1 + 2j
    np.testing.assert_array_equal(decoded["arr"], np.arange(3))
    assert decoded["n"] == 7 and decoded["t"] == [1, 2]
    assert decoded["extrapolator"] == "exponential"
    assert decoded["other"] == {"__type__": "Mystery", "__value__": {"at": datetime(2020, 1, 1)}}
    assert decode_datetime("2026-01-01T00:00:00Z").tzinfo is not None


def test_ndarray_codec() -> None:
    for array in [np.arange(12).reshape(3, 4), np.asfortranarray(np.ones((2, 3))), np.array(1.5)]:
        decoded = decode_ndarray(encode_ndarray(array))
        np.testing.assert_array_equal(decoded, array)
        assert decoded.dtype == array.dtype and decoded.flags.writeable
    assert decode_ndarray([0.5, 0.25]).tolist() == [0.5, 0.25]
    assert decode_ndarray(3).shape == ()
    with pytest.raises(ValueError):
        encode_ndarray(np.array([{}, None], dtype=object))


# -- qiskit and the official client -----------------------------------------------------------


def assert_same_as_qiskit(ours: PrimitiveResult, theirs: Any) -> None:
    assert len(theirs) == len(ours)
    for mine, other in zip(ours, theirs, strict=True):
        assert list(other.data) == mine.data.keys()
        assert tuple(other.data.shape) == mine.data.shape
        for name, value in mine.data.items():
            if isinstance(value, BitArray):
                assert other.data[name].num_bits == value.num_bits
                assert other.data[name].get_counts() == value.get_counts()
                for loc in np.ndindex(*mine.data.shape):
                    assert other.data[name].get_counts(loc) == value.get_counts(loc)
            else:
                np.testing.assert_array_equal(other.data[name], value)


RESULTS = [
    pytest.param(lambda: decode_result(SAMPLER_GOLDEN), id="sampler-golden"),
    pytest.param(lambda: decode_result(ESTIMATOR_GOLDEN), id="estimator-golden"),
    *(pytest.param(lambda s=s: sampler_result(s), id=f"sampler{s}") for s in SHAPES),
    *(pytest.param(lambda s=s: estimator_result(s), id=f"estimator{s}") for s in SHAPES),
]


@pytest.mark.parametrize("make", RESULTS)
def test_to_qiskit(make: Any) -> None:
    from qiskit.primitives import PrimitiveResult as QiskitPrimitiveResult
    from qiskit.primitives import PubResult as QiskitPubResult
    from qiskit.primitives import SamplerPubResult as QiskitSamplerPubResult

    ours = make()
    theirs = ours.to_qiskit()
    assert isinstance(theirs, QiskitPrimitiveResult)
    plain = {k: v for k, v in ours.metadata.items() if k != "execution"}
    assert {k: v for k, v in theirs.metadata.items() if k != "execution"} == plain
    if "execution" in ours.metadata:
        from qiskit_ibm_runtime.execution_span import ExecutionSpans as QiskitSpans

        spans = theirs.metadata["execution"]["execution_spans"]
        assert isinstance(spans, QiskitSpans)
        assert [s.start for s in spans] == [
            s.start for s in ours.metadata["execution"]["execution_spans"]
        ]
    for mine, other in zip(ours, theirs, strict=True):
        expected = QiskitSamplerPubResult if isinstance(mine, SamplerPubResult) else QiskitPubResult
        assert type(other) is expected
        assert other.metadata == mine.metadata
    assert_same_as_qiskit(ours, theirs)


@pytest.mark.parametrize("make", RESULTS)
def test_official_client_decodes_our_encoding(make: Any) -> None:
    from qiskit_ibm_runtime import RuntimeDecoder

    ours = make()
    text = json.dumps(encode_result(ours, typed=True))
    theirs = json.loads(text, cls=RuntimeDecoder)
    assert_same_as_qiskit(ours, theirs)


def test_official_client_decodes_our_execution_spans() -> None:
    from qiskit_ibm_runtime import RuntimeDecoder
    from qiskit_ibm_runtime.execution_span import DoubleSliceSpan, ExecutionSpans

    start, stop = datetime(2026, 1, 1), datetime(2026, 1, 1, 0, 0, 2)
    result = sampler_result((2, 3), shots=20)
    slices = {0: ((2, 3, 20), 0, 6, 0, 20), 1: ((2, 3, 20), 0, 6, 0, 20)}
    text = json.dumps(encode_result(result, execution_spans=[(start, stop, slices)]))
    theirs = json.loads(text, cls=RuntimeDecoder)
    spans = theirs.metadata["execution"]["execution_spans"]
    assert isinstance(spans, ExecutionSpans)
    (span,) = list(spans)
    assert isinstance(span, DoubleSliceSpan)
    assert (span.start, span.stop) == (start, stop)
    assert span.pub_idxs == [0, 1]
    assert span.size == 240  # both pubs: 6 parameter sets x 20 shots each


@pytest.mark.parametrize("make", RESULTS)
def test_we_decode_the_official_clients_encoding(make: Any) -> None:
    """qiskit-ibm-runtime's RuntimeEncoder omits field_types; we still read its output."""
    from qiskit_ibm_runtime import RuntimeEncoder

    ours = make()
    text = json.dumps(ours.to_qiskit(), cls=RuntimeEncoder)
    assert decode_result(text) == ours


def test_join_data_matches_qiskit() -> None:
    pub = sampler_result((2,))[0]
    assert isinstance(pub, SamplerPubResult)
    ours = pub.join_data()
    assert isinstance(ours, BitArray)
    assert ours.get_counts() == pub.to_qiskit().join_data().get_counts()
    assert ours.num_bits == 5 + 70 + 1
    pair = pub.join_data(["one", "meas"])
    assert isinstance(pair, BitArray)
    assert pair.get_bitstrings() == pub.to_qiskit().join_data(["one", "meas"]).get_bitstrings()


# -- corrupted payloads -----------------------------------------------------------------------


def b64_zlib(data: bytes) -> str:
    return base64.standard_b64encode(zlib.compress(data)).decode()


def npy(array: np.ndarray, *, allow_pickle: bool = False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


MEAS = ["__value__", "pub_results", 0, "__value__", "data", "__value__", "fields", "meas"]
MEAS_PATH = "pub_results[0].data.fields.meas"
GOOD_ARRAY = json.loads(SAMPLER_GOLDEN)["__value__"]["pub_results"][0]["__value__"]["data"][
    "__value__"
]["fields"]["meas"]["__value__"]["array"]["__value__"]


def mutate(payload: Any, path: list[Any], value: Any = ..., delete: bool = False) -> Any:
    out = copy.deepcopy(payload)
    node = out
    for key in path[:-1]:
        node = node[key]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


SAMPLER = json.loads(SAMPLER_GOLDEN)
ESTIMATOR = json.loads(ESTIMATOR_GOLDEN)
ARRAY = [*MEAS, "__value__", "array", "__value__"]
DATA = ["__value__", "pub_results", 0, "__value__", "data", "__value__"]

CORRUPTED = [
    ("truncated base64", SAMPLER, ARRAY, GOOD_ARRAY[:-1], f"{MEAS_PATH}.array", "base64"),
    ("bad base64 chars", SAMPLER, ARRAY, "!!!" + GOOD_ARRAY, f"{MEAS_PATH}.array", "base64"),
    (
        "truncated zlib",
        SAMPLER,
        ARRAY,
        base64.standard_b64encode(zlib.compress(npy(np.zeros((4, 1), np.uint8)))[:-6]).decode(),
        f"{MEAS_PATH}.array",
        "zlib",
    ),
    ("not zlib", SAMPLER, ARRAY, base64.b64encode(b"hello world!").decode(), MEAS_PATH, "zlib"),
    ("not npy", SAMPLER, ARRAY, b64_zlib(b"PK\x03\x04 zip file"), f"{MEAS_PATH}.array", "magic"),
    (
        "bad npy header",
        SAMPLER,
        ARRAY,
        b64_zlib(b"\x93NUMPY\x01\x00\x10\x00{'descr': __import__}\n"),
        f"{MEAS_PATH}.array",
        "header",
    ),
    (
        "pickled npy",
        SAMPLER,
        ARRAY,
        b64_zlib(npy(np.array([[{}]], dtype=object), allow_pickle=True)),
        f"{MEAS_PATH}.array",
        "pickle",
    ),
    (
        "npy shorter than header",
        SAMPLER,
        ARRAY,
        b64_zlib(npy(np.zeros((4, 1), np.uint8))[:-2]),
        f"{MEAS_PATH}.array",
        "needs 4",
    ),
    (
        "float bits",
        SAMPLER,
        ARRAY,
        b64_zlib(npy(np.zeros((4, 1)))),
        f"{MEAS_PATH}.array",
        "uint8",
    ),
    ("num_bits mismatch", SAMPLER, [*MEAS, "__value__", "num_bits"], 9, MEAS_PATH, "num_bits=9"),
    ("num_bits type", SAMPLER, [*MEAS, "__value__", "num_bits"], "2", MEAS_PATH, "integer"),
    ("shape mismatch", SAMPLER, [*DATA, "shape"], [4], MEAS_PATH, "DataBin shape"),
    ("bad shape", SAMPLER, [*DATA, "shape"], ["a"], "data.shape[0]", "integer"),
    ("field names", SAMPLER, [*DATA, "field_names"], ["c"], "data.field_names", "match"),
    ("field types", SAMPLER, [*DATA, "field_types"], ["ndarray"], "field_types[0]", "BitArray"),
    ("unknown field", SAMPLER, MEAS, {"__type__": "Pickle", "__value__": {}}, MEAS_PATH, "Pickle"),
    (
        "pub type",
        SAMPLER,
        ["__value__", "pub_results", 0, "__type__"],
        "X",
        "pub_results[0]",
        "'X'",
    ),
    ("pub_results", SAMPLER, ["__value__", "pub_results"], {}, "pub_results", "array"),
    ("metadata", SAMPLER, ["__value__", "metadata"], [], "metadata", "object"),
    (
        "bad datetime",
        SAMPLER,
        ["__value__", "metadata", "t"],
        encode_datetime(datetime.now()) | {"__value__": "yesterday"},
        "metadata.t",
        "datetime",
    ),
    (
        "evs shape",
        ESTIMATOR,
        [*DATA, "shape"],
        [3],
        "pub_results[0].data.fields.evs",
        "shape",
    ),
    (
        "evs strings",
        ESTIMATOR,
        [*DATA, "fields", "evs"],
        {"__type__": "ndarray", "__value__": ["a", "b"]},
        "fields.evs",
        "numbers",
    ),
    ("ragged evs", ESTIMATOR, [*DATA, "fields", "evs"], [[1.0], [1.0, 2.0]], "fields.evs", "rect"),
]
DELETED = [
    ("no pub_results", SAMPLER, ["__value__", "pub_results"], "", "pub_results"),
    ("no fields", SAMPLER, [*DATA, "fields"], "pub_results[0].data", "fields"),
    ("no shape", SAMPLER, [*DATA, "shape"], "pub_results[0].data", "shape"),
    ("no data", SAMPLER, ["__value__", "pub_results", 0, "__value__", "data"], "[0]", "data"),
    ("no num_bits", SAMPLER, [*MEAS, "__value__", "num_bits"], MEAS_PATH, "num_bits"),
    ("no array", SAMPLER, [*MEAS, "__value__", "array"], MEAS_PATH, "array"),
    ("no __value__", SAMPLER, [*MEAS, "__value__"], MEAS_PATH, "__value__"),
]


@pytest.mark.parametrize(
    ("payload", "path", "value", "where", "what"),
    [pytest.param(*case[1:], id=case[0]) for case in CORRUPTED],
)
def test_corrupted_typed_payloads(
    payload: Any, path: list[Any], value: Any, where: str, what: str
) -> None:
    bad = mutate(payload, path, value)
    with pytest.raises(ResultDecodeError) as info:
        decode_result(bad)
    assert where in str(info.value)
    assert what in str(info.value)


@pytest.mark.parametrize(
    ("payload", "path", "where", "what"), [pytest.param(*c[1:], id=c[0]) for c in DELETED]
)
def test_missing_keys(payload: Any, path: list[Any], where: str, what: str) -> None:
    with pytest.raises(ResultDecodeError) as info:
        decode_result(mutate(payload, path, delete=True))
    assert where in str(info.value) and what in str(info.value)


PLAIN_SAMPLES = ["results", 0, "data", "c", "samples"]


@pytest.mark.parametrize(
    ("path", "value", "where", "what"),
    [
        pytest.param(PLAIN_SAMPLES, ["0x3", "0xZZ"], "c.samples[1]", "hex", id="bad-hex"),
        pytest.param(PLAIN_SAMPLES, ["0x3", "3"], "c.samples[1]", "hex", id="no-prefix"),
        pytest.param(PLAIN_SAMPLES, ["0x3", "0x"], "c.samples[1]", "hex", id="empty-hex"),
        pytest.param(PLAIN_SAMPLES, ["0x3", "0x 3"], "c.samples[1]", "hex", id="space"),
        pytest.param(PLAIN_SAMPLES, ["0x3", "0x4"], "c.samples[1]", "num_bits=2", id="overflow"),
        pytest.param(PLAIN_SAMPLES, ["0x3", "0x100"], "c.samples[1]", "fit", id="too-long"),
        pytest.param(PLAIN_SAMPLES, [["0x3"], ["0x1", "0x2"]], "c.samples", "rect", id="ragged"),
        pytest.param(PLAIN_SAMPLES, [3, 1], "c.samples", "hex", id="ints"),
        pytest.param(PLAIN_SAMPLES, "0x3", "c.samples", "array", id="not-list"),
        pytest.param(["results", 0, "data", "c", "num_bits"], None, "c.num_bits", "int", id="nb"),
        pytest.param(["results", 0, "data"], [], "results[0].data", "object", id="data"),
        pytest.param(["results"], {}, "results", "array", id="results"),
        pytest.param(["results", 0], "x", "results[0]", "object", id="pub"),
    ],
)
def test_corrupted_plain_payloads(path: list[Any], value: Any, where: str, what: str) -> None:
    with pytest.raises(ResultDecodeError) as info:
        decode_result(mutate(PLAIN_SAMPLER, path, value))
    assert where in str(info.value) and what in str(info.value)


def test_plain_register_shapes_must_agree() -> None:
    payload = mutate(
        PLAIN_SAMPLER, ["results", 0, "data", "d"], {"samples": [["0x1"]], "num_bits": 1}
    )
    with pytest.raises(ResultDecodeError, match=r"results\[0\]\.data\.d"):
        decode_result(payload)


@pytest.mark.parametrize(
    "payload",
    [b"\xff\xfe", "{", "[]", "null", json.dumps({"foo": 1}), json.dumps({"__type__": "Other"})],
)
def test_not_a_result(payload: Any) -> None:
    with pytest.raises(ResultDecodeError):
        decode_result(payload)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 300)
    | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def json_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            paths += json_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            paths += json_paths(value, (*prefix, i))
    return paths


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    golden=st.sampled_from([SAMPLER, ESTIMATOR, PLAIN_SAMPLER, PLAIN_ESTIMATOR]),
    choice=st.integers(min_value=0),
    action=st.sampled_from(["replace", "delete"]),
    value=JSON_VALUES,
)
def test_fuzzed_payloads_only_raise_result_decode_error(
    golden: Any, choice: int, action: str, value: Any
) -> None:
    paths = json_paths(golden)
    path = list(paths[choice % len(paths)])
    bad = mutate(golden, path, value, delete=action == "delete" and isinstance(path[-1], str))
    with contextlib.suppress(ResultDecodeError):
        decode_result(bad)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_fuzzed_array_bytes_only_raise_result_decode_error(data: st.DataObject) -> None:
    raw = bytearray(zlib.decompress(base64.b64decode(GOOD_ARRAY)))
    for _ in range(data.draw(st.integers(1, 4))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(raw)))
    text = b64_zlib(bytes(raw[:cut]))
    try:
        decode_result(mutate(SAMPLER, ARRAY, text))
    except ResultDecodeError as exc:
        assert MEAS_PATH in str(exc)


# -- speed ------------------------------------------------------------------------------------
