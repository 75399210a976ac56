"""Figure 3: decoding large results, against bare json + base64 + zlib + numpy.

Synthetic results in the real wire encoding (``codec.encode_result``, serialised as the emulator
does): a Sampler result of 100 PUBs x 4096 shots x 127 bits (random outcomes, so the packed
bytes do not compress), and an Estimator result of 10 PUBs x 10^4 expectation values (10^5 in
all, with their ``stds`` and ``ensemble_standard_error``). Three rows:

* ``codec.decode_result(bytes)`` against :func:`bench_common.bare_decode` of the same bytes;
* the whole ``Job.result()`` path (``GET /jobs/{id}``, ``GET /jobs/{id}/results``, decode) over
  an in-memory ``httpx.MockTransport``, against raw httpx doing the same two GETs on the same
  transport then the bare decode: the SDK's whole result path with no server in the way.

Throughput is payload megabytes (10^6 bytes of JSON) per second; peak memory is tracemalloc's
peak during one decode (run apart from the timed calls).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import numpy as np
from bench_common import Row, Section, Target, bare_decode, interleaved, median, peak_memory

__all__ = ["estimator_payload", "run", "sampler_payload"]

TARGET = Target("ratio_max", 1.2, "<= 1.2x")
_JOB_ID = "bench-decode-job"
_HOST = "http://bench.invalid"


def sampler_payload(
    pubs: int, shots: int, num_bits: int, seed: int = 7, *, distinct: bool = True
) -> bytes:
    """A typed Sampler result as the emulator would serve it. ``distinct=False`` encodes one
    PUB and repeats its node ``pubs`` times (the same bytes to decode, built in a fraction of
    the time: for results of hundreds of megabytes)."""
    from qiskit_runtime_rest.codec import encode_result
    from qiskit_runtime_rest.results import BitArray, DataBin, PrimitiveResult, SamplerPubResult

    rng = np.random.default_rng(seed)
    nbytes = (num_bits + 7) // 8
    results = []
    for _ in range(pubs if distinct else 1):
        array = rng.integers(0, 256, size=(shots, nbytes), dtype=np.uint8)
        if num_bits % 8:
            array[..., 0] &= np.uint8((1 << (num_bits % 8)) - 1)
        data = DataBin({"meas": BitArray(array, num_bits)})
        results.append(SamplerPubResult(data, {"circuit_metadata": {}}))
    doc = encode_result(PrimitiveResult(results, {"version": 2}), **_spans(pubs))
    if not distinct:
        body = doc["__value__"]
        body["pub_results"] = body["pub_results"] * pubs
    return _serialise(doc)


def estimator_payload(pubs: int, values_per_pub: int, seed: int = 7) -> bytes:
    """A typed Estimator result with ``pubs * values_per_pub`` expectation values."""
    from qiskit_runtime_rest.codec import encode_result
    from qiskit_runtime_rest.results import DataBin, PrimitiveResult, PubResult

    rng = np.random.default_rng(seed)
    results = []
    for _ in range(pubs):
        evs = rng.uniform(-1.0, 1.0, size=values_per_pub)
        stds = rng.uniform(0.0, 0.02, size=values_per_pub)
        data = DataBin(
            {"evs": evs, "stds": stds, "ensemble_standard_error": stds.copy()},
            shape=(values_per_pub,),
        )
        metadata = {"target_precision": 0.015625, "shots": 4096, "circuit_metadata": {}}
        results.append(PubResult(data, metadata))
    return _serialise(encode_result(PrimitiveResult(results, {"version": 2})))


def _spans(pubs: int) -> dict[str, Any]:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    slices = {i: ((4096,), 0, 1, 0, 4096) for i in range(pubs)}
    return {"execution_spans": [(start, start + timedelta(seconds=1), slices)]}


def _serialise(doc: Any) -> bytes:
    return json.dumps(doc, separators=(",", ":")).encode()


def _job_json(program: str) -> dict[str, Any]:
    return {
        "id": _JOB_ID,
        "state": {"status": "Completed"},
        "status": "Completed",
        "program": {"id": program},
        "created": "2026-01-01T00:00:00Z",
        "cost": 600,
        "backend": "ibm_emulator_127q",
    }


def _mock_transport(payload: bytes, program: str) -> httpx.MockTransport:
    job = json.dumps(_job_json(program)).encode()
    token = json.dumps({"access_token": "bench-token", "expires_in": 3600}).encode()
    json_headers = {"content-type": "application/json"}

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/identity/token"):
            return httpx.Response(200, content=token, headers=json_headers)
        if path.endswith(f"/jobs/{_JOB_ID}/results"):
            return httpx.Response(200, content=payload, headers=json_headers)
        if path.endswith(f"/jobs/{_JOB_ID}"):
            return httpx.Response(200, content=job, headers=json_headers)
        return httpx.Response(404, json={"errors": [{"message": f"no route {path}"}]})

    return httpx.MockTransport(handler)


def _result_paths(
    payload: bytes, program: str
) -> tuple[Callable[[], object], Callable[[], object], Callable[[], None]]:
    """``Job.result()`` and its raw twin over one mock transport; plus a closer."""
    from qiskit_runtime_rest import Runtime

    rt = Runtime(
        api_key="bench-key",
        instance="crn:v1:bluemix:public:quantum-computing:us-east:a/bench:bench::",
        url=f"{_HOST}/api/v1",
        iam_url=_HOST,
        transport=_mock_transport(payload, program),
        trust_env=False,
    )
    raw = httpx.Client(
        base_url=f"{_HOST}/api/v1",
        transport=_mock_transport(payload, program),
        headers={"Authorization": "Bearer bench-token"},
    )
    job = rt.job(_JOB_ID)  # fetches the token and the job once

    def sdk() -> object:
        return job.result()

    def bare() -> object:
        status = raw.get(f"/jobs/{_JOB_ID}", params={"exclude_params": "true"}).json()["status"]
        assert status == "Completed"
        return bare_decode(raw.get(f"/jobs/{_JOB_ID}/results").content)

    def close() -> None:
        raw.close()
        rt.close()

    return sdk, bare, close


def _pair_row(
    name: str,
    payload: bytes,
    ours: Callable[[], object],
    base: Callable[[], object],
    repeat: int,
    baseline_name: str,
) -> Row:
    samples = interleaved({"ours": ours, "base": base}, repeat=repeat, warmup=1)
    t_ours, t_base = median(samples["ours"]), median(samples["base"])
    mb = len(payload) / 1e6
    return Row(
        name,
        "s",
        t_ours,
        t_base,
        TARGET,
        baseline_name=baseline_name,
        details={
            "payload_mb": mb,
            "mb_per_s": mb / t_ours,
            "baseline_mb_per_s": mb / t_base,
            "peak_memory_bytes": peak_memory(ours),
            "baseline_peak_memory_bytes": peak_memory(base),
            "samples_s": samples["ours"],
            "baseline_samples_s": samples["base"],
        },
    )


def run(quick: bool) -> Section:
    from qiskit_runtime_rest.codec import decode_result

    sampler_shape = (10, 512, 127) if quick else (100, 4096, 127)
    estimator_shape = (10, 1000) if quick else (10, 10_000)
    repeat = 3 if quick else 9
    section = Section("decode", "3. Result decoding (typed wire form)")
    section.config = {
        "sampler": dict(zip(("pubs", "shots", "num_bits"), sampler_shape, strict=True)),
        "estimator": dict(zip(("pubs", "values_per_pub"), estimator_shape, strict=True)),
        "repeat": repeat,
        "warmup": 1,
        "order": "alternating",
        "statistic": "median",
        "memory": "tracemalloc peak of one separate call",
    }
    sampler = sampler_payload(*sampler_shape)
    estimator = estimator_payload(*estimator_shape)
    pubs, shots, bits = sampler_shape
    label = f"{pubs} PUBs x {shots} shots x {bits} bits"
    section.rows.append(
        _pair_row(
            f"decode_result, Sampler {label}",
            sampler,
            lambda: decode_result(sampler),
            lambda: bare_decode(sampler),
            repeat,
            "json.loads + base64 + zlib + np.load",
        )
    )
    sdk, bare, close = _result_paths(sampler, "sampler")
    try:
        section.rows.append(
            _pair_row(
                f"Job.result() path (2 GETs + decode), Sampler {label}",
                sampler,
                sdk,
                bare,
                repeat,
                "raw httpx, same 2 GETs on the same mock transport + bare decode",
            )
        )
    finally:
        close()
    epubs, values = estimator_shape
    section.rows.append(
        _pair_row(
            f"decode_result, Estimator {epubs} PUBs x {values} values",
            estimator,
            lambda: decode_result(estimator),
            lambda: bare_decode(estimator),
            repeat,
            "json.loads + base64 + zlib + np.load",
        )
    )
    section.notes.append(
        f"payloads: Sampler {len(sampler) / 1e6:.2f} MB, Estimator {len(estimator) / 1e6:.2f} MB "
        "of JSON (random data: zlib cannot shrink it much)"
    )
    return section
