"""Bad input, property-based: the SDK's entry points raise only its own typed errors.

Extends ``test_pubs.py`` / ``test_options.py`` / ``test_codec.py`` (which fuzz the PUB and option
constructors and mutate single nodes of golden results) with:

* the whole submission path (``build_job_request`` and ``sampler.run()`` / ``estimator.run()``
  through a client) and the other public calls that take user values (``wait`` timeouts, listing
  limits, tags, session lifetimes): only :class:`ValidationError`, and nothing is sent;
* result payloads cut at any byte, with bytes flipped, or replaced by arbitrary JSON or bytes:
  :class:`ResultDecodeError` naming the problem, or a valid result;
* zlib decompression bombs inside encoded arrays: refused after inflating no more than the array's
  declared size (and never more than ``codec.MAX_ARRAY_BYTES``), in bounded memory.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import tracemalloc
import zlib
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qiskit_runtime_rest import (
    BitArray,
    DataBin,
    EstimatorOptions,
    PrimitiveResult,
    ResultDecodeError,
    SamplerOptions,
    SamplerPubResult,
    ValidationError,
)
from qiskit_runtime_rest import codec as codec_module
from qiskit_runtime_rest.codec import decode_ndarray, decode_result, encode_result
from qiskit_runtime_rest.payloads import build_job_request

from tests.fakes import FakeService, job_json, make_runtime

BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; '
    "h q[0]; cx q[0], q[1]; meas = measure q;"
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from([BELL, "ZZ", "XX", "auto", "sampler", "ndarray", "__type__"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
        | st.tuples(inner, inner)
    ),
    max_leaves=12,
)
anything = (
    json_values
    | st.builds(object)
    | st.sampled_from([np.float64(1.5), np.arange(4), np.zeros((2, 0)), b"bytes", {1, 2}])
)


def only_validation_errors(call: Any) -> None:
    with contextlib.suppress(ValidationError):
        call()


# -- submission ---------------------------------------------------------------------------------


@SETTINGS
@given(
    program=st.sampled_from(["sampler", "estimator"]) | st.text(max_size=5),
    backend=st.just("ibm_fez") | anything,
    pubs=st.lists(anything, max_size=3) | anything,
    options=st.none() | st.builds(SamplerOptions) | st.builds(EstimatorOptions) | anything,
    session_id=st.none() | anything,
    tags=st.lists(st.text(max_size=90), max_size=9) | anything,
)
def test_build_job_request_raises_only_validation_errors(
    program: Any, backend: Any, pubs: Any, options: Any, session_id: Any, tags: Any
) -> None:
    def build() -> None:
        request = build_job_request(
            program, backend, pubs, options, session_id=session_id, tags=tags
        )
        json.dumps(request.to_dict(), allow_nan=False)  # whatever is accepted can be sent

    only_validation_errors(build)


@pytest.mark.usefixtures("clean_env")
@SETTINGS
@given(
    pubs=st.lists(anything, max_size=3) | anything,
    tags=st.lists(st.text(max_size=90), max_size=9) | anything,
    estimator=st.booleans(),
)
def test_run_raises_only_validation_errors_and_sends_nothing_bad(
    pubs: Any, tags: Any, estimator: bool
) -> None:
    service = FakeService().on("POST", "/jobs", {"id": "j1", "backend": "fake_backend"})
    with make_runtime(service) as rt:
        primitive = rt.estimator("fake_backend") if estimator else rt.sampler("fake_backend")
        try:
            job = primitive.run(pubs, tags=tags)
        except ValidationError:
            assert service.api_requests() == []  # refused before anything was sent
        else:
            assert job.id == "j1"


@pytest.mark.usefixtures("clean_env")
@SETTINGS
@given(value=anything)
def test_other_user_values_raise_only_validation_errors(value: Any) -> None:
    service = FakeService()
    service.on("GET", "/jobs/j1", job_json("j1", "Completed"))
    service.on("GET", "/jobs", {"jobs": [], "count": 0, "limit": 200, "offset": 0})
    service.on("PUT", "/jobs/j1/tags", 204)
    service.on("POST", "/sessions", {"id": "s1", "backend_name": "b", "mode": "dedicated"})
    service.on("PATCH", "/sessions/s1", 204)
    service.on("POST", "/jobs", {"id": "j1", "backend": "b"})
    with make_runtime(service) as rt:
        job = rt.job("j1")
        only_validation_errors(lambda: job.wait(timeout=value))
        only_validation_errors(lambda: list(rt.jobs(limit=value)))
        only_validation_errors(lambda: job.update_tags(value))
        only_validation_errors(lambda: rt.session("b", max_time=value).close())
        only_validation_errors(lambda: rt.sampler(value))
        only_validation_errors(lambda: rt.batch(value))
        only_validation_errors(lambda: rt.sampler("b", options=value).run([BELL]))


# -- result payloads ----------------------------------------------------------------------------


def sampler_payload() -> bytes:
    rng = np.random.default_rng(3)
    bits = BitArray.from_bool_array(rng.random((64, 5)) < 0.5)
    result = PrimitiveResult([SamplerPubResult(DataBin({"meas": bits}))], {"version": 2})
    return json.dumps(encode_result(result)).encode()


def plain_payload() -> bytes:
    rng = np.random.default_rng(4)
    bits = BitArray.from_bool_array(rng.random((16, 3)) < 0.5)
    result = PrimitiveResult([SamplerPubResult(DataBin({"c": bits}))], {"version": 2})
    return json.dumps(encode_result(result, typed=False)).encode()


PAYLOADS = [sampler_payload(), plain_payload()]


def decodes_or_refuses(payload: Any) -> None:
    try:
        result = decode_result(payload)
    except ResultDecodeError as exc:
        assert str(exc)  # a message that says what is wrong
        return
    for pub in result:  # whatever decodes is usable
        for value in pub.data.values():
            value.get_counts() if isinstance(value, BitArray) else np.asarray(value).sum()


@SETTINGS
@given(which=st.sampled_from([0, 1]), cut=st.integers(min_value=0))
def test_truncated_results_are_refused(which: int, cut: int) -> None:
    payload = PAYLOADS[which]
    cut %= len(payload)
    with pytest.raises(ResultDecodeError):
        decode_result(payload[:cut])


@SETTINGS
@given(which=st.sampled_from([0, 1]), data=st.data())
def test_corrupted_result_bytes_decode_or_are_refused(which: int, data: st.DataObject) -> None:
    payload = bytearray(PAYLOADS[which])
    for _ in range(data.draw(st.integers(1, 8))):
        payload[data.draw(st.integers(0, len(payload) - 1))] = data.draw(st.integers(0, 255))
    decodes_or_refuses(bytes(payload))


@SETTINGS
@given(payload=json_values | st.binary(max_size=200) | st.text(max_size=200))
def test_arbitrary_payloads_decode_or_are_refused(payload: Any) -> None:
    decodes_or_refuses(payload)
    if not isinstance(payload, bytes):
        with contextlib.suppress(ResultDecodeError):
            decode_ndarray(payload)


# -- decompression bombs --------------------------------------------------------------------------


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def b64(raw: bytes) -> str:
    return base64.standard_b64encode(raw).decode()


def bomb(header_of: np.ndarray, extra: int) -> str:
    """A zlib stream: the .npy file of ``header_of``, then ``extra`` more zero bytes."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(npy_bytes(header_of))]
    zeros = bytes(1 << 20)
    for _ in range(extra >> 20):
        parts.append(packer.compress(zeros))
    parts.append(packer.flush())
    return b64(b"".join(parts))


def typed_result_with(array_value: str, num_bits: int = 5) -> dict[str, Any]:
    payload = json.loads(sampler_payload())
    meas = payload["__value__"]["pub_results"][0]["__value__"]["data"]["__value__"]["fields"]
    meas["meas"]["__value__"]["array"]["__value__"] = array_value
    meas["meas"]["__value__"]["num_bits"] = num_bits
    return payload


def peak_bytes(call: Any) -> int:
    tracemalloc.start()
    try:
        call()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def test_zlib_bomb_in_an_array_is_refused_in_bounded_memory() -> None:
    # 64 shots x 1 byte declared, 256 MiB of zeros after it: ~250 KB of base64
    value = bomb(np.zeros((64, 1), np.uint8), 256 << 20)
    assert len(value) < 400_000
    payload = typed_result_with(value)

    def decode() -> None:
        with pytest.raises(ResultDecodeError, match="more than the 64 bytes"):
            decode_result(payload)

    assert peak_bytes(decode) < 8 << 20  # nowhere near the 256 MiB the stream inflates to


def test_array_declaring_a_huge_shape_is_refused_before_inflating() -> None:
    header = npy_bytes(np.zeros((64, 1), np.uint8)).replace(b"(64, 1)", b"(68719476736, 1)")
    value = b64(zlib.compress(header + bytes(1 << 20)))
    payload = typed_result_with(value)

    def decode() -> None:
        with pytest.raises(ResultDecodeError, match="MAX_ARRAY_BYTES"):
            decode_result(payload)

    assert peak_bytes(decode) < 8 << 20


def test_array_limit_is_adjustable(monkeypatch: pytest.MonkeyPatch) -> None:
    array = np.packbits(np.ones((4096, 5), bool), axis=-1, bitorder="big")
    payload = typed_result_with(b64(zlib.compress(npy_bytes(array))))
    assert decode_result(payload)[0].data.meas.num_shots == 4096
    monkeypatch.setattr(codec_module, "MAX_ARRAY_BYTES", 4000)
    with pytest.raises(ResultDecodeError, match="4000-byte limit"):
        decode_result(payload)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param(npy_bytes(np.zeros((64, 1), np.uint8))[:-3], "needs 64", id="short-data"),
        pytest.param(
            npy_bytes(np.zeros((64, 1), np.uint8)) + b"\x00", "more than the 64", id="long-data"
        ),
        pytest.param(b"\x93NUMPY\x01\x00", "header", id="truncated-header"),
    ],
)
def test_declared_size_must_match_the_data(raw: bytes, message: str) -> None:
    with pytest.raises(ResultDecodeError, match=message):
        decode_result(typed_result_with(b64(zlib.compress(raw))))


def test_truncated_zlib_stream_is_named() -> None:
    stream = zlib.compress(npy_bytes(np.zeros((64, 1), np.uint8)))
    for cut in (len(stream) - 1, len(stream) - 5, len(stream) // 2, 3):
        with pytest.raises(ResultDecodeError, match=r"zlib|header|magic"):
            decode_result(typed_result_with(b64(stream[:cut])))
