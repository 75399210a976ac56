"""Figure 4: encoding a large parameter sweep into a job body.

A 10-parameter circuit swept over 10^5 bindings: 10^6 float64 values. Ours is what ``run()``
does before sending: ``SamplerPub(qasm, parameter_values=array)``, ``build_job_request(...)``,
``.to_dict()`` and ``json.dumps`` (values travel as base64(zlib(.npy))). The baseline is
``json.dumps`` of a hand-built body holding the values as bare nested lists (the ``tolist()``
that makes those lists is timed apart and reported, not counted).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import numpy.typing as npt
from bench_common import Row, Section, interleaved, median, peak_memory, timed

__all__ = ["run", "sweep_qasm"]

BACKEND = "ibm_emulator_27q"
NUM_PARAMS = 10
SHOTS = 100


def sweep_qasm(num_params: int) -> str:
    """An OpenQASM 3 circuit with ``num_params`` input angles, one per qubit."""
    lines = ['OPENQASM 3.0; include "stdgates.inc";']
    lines += [f"input float[64] p{i};" for i in range(num_params)]
    lines.append(f"qubit[{num_params}] q; bit[{num_params}] c;")
    lines += [f"ry(p{i}) q[{i}];" for i in range(num_params)]
    lines += [f"cx q[{i}], q[{i + 1}];" for i in range(num_params - 1)]
    lines.append("c = measure q;")
    return "\n".join(lines)


def run(quick: bool) -> Section:
    from qiskit_runtime_rest import SamplerPub
    from qiskit_runtime_rest.payloads import build_job_request

    bindings = 10_000 if quick else 100_000
    repeat = 3 if quick else 7
    qasm = sweep_qasm(NUM_PARAMS)
    values: npt.NDArray[np.float64] = np.random.default_rng(11).uniform(
        0.0, 2 * np.pi, size=(bindings, NUM_PARAMS)
    )
    nested: list[Any] = values.tolist()
    tolist_s = median([timed(values.tolist) for _ in range(3)])

    def ours() -> str:
        pub = SamplerPub(qasm, parameter_values=values, shots=SHOTS)
        request = build_job_request("sampler", BACKEND, [pub])
        return json.dumps(request.to_dict())

    def bare() -> str:
        body = {
            "program_id": "sampler",
            "backend": BACKEND,
            "params": {"pubs": [[qasm, nested, SHOTS]], "version": 2, "support_qiskit": True},
        }
        return json.dumps(body)

    samples = interleaved({"ours": ours, "bare": bare}, repeat=repeat, warmup=1)
    ours_size, bare_size = len(ours()), len(bare())
    section = Section("encode", "4. Parameter-sweep encoding (job body)")
    section.config = {
        "parameters": NUM_PARAMS,
        "bindings": bindings,
        "values": bindings * NUM_PARAMS,
        "dtype": "float64, uniform random",
        "repeat": repeat,
        "warmup": 1,
        "statistic": "median",
    }
    section.rows.append(
        Row(
            f"SamplerPub + build_job_request + to_dict + json.dumps, {values.size:,} values",
            "s",
            median(samples["ours"]),
            median(samples["bare"]),
            baseline_name="json.dumps of the body with bare nested lists",
            details={
                "body_bytes": ours_size,
                "baseline_body_bytes": bare_size,
                "baseline_tolist_s": tolist_s,
                "peak_memory_bytes": peak_memory(ours),
                "baseline_peak_memory_bytes": peak_memory(bare),
                "samples_s": samples["ours"],
                "baseline_samples_s": samples["bare"],
            },
        )
    )
    section.rows.append(
        Row(
            "job body size",
            "B",
            float(ours_size),
            float(bare_size),
            baseline_name="bare nested lists",
        )
    )
    section.notes.append(
        f"the baseline's values.tolist() ({tolist_s * 1e3:.0f} ms) is not counted; ours encodes "
        "the array as base64(zlib(.npy)), the wire form of ndarrays"
    )
    return section
