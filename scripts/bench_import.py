"""Figure 1: what importing the SDK costs a fresh process, against importing httpx.

Each variant runs as ``python -c "<import>"`` in fresh processes, round-robin (one warm-up round
dropped, so .pyc files and the page cache are warm for everyone). Wall time is measured around
the whole process by the parent; peak RSS is the child's own ``VmHWM`` (see :func:`_child`).
A separate child per variant reports which heavy packages ended up in ``sys.modules``; a last one
also builds and decodes a job, to check qiskit stays out even then.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

from bench_common import Row, Section, Target, fresh_config, fresh_processes, fresh_rounds, median

__all__ = ["run"]

BASELINE = "import httpx"
FLOOR = "pass"
VARIANTS = {
    "import qiskit_runtime_rest": "import qiskit_runtime_rest",
    "from qiskit_runtime_rest import Runtime, SamplerPub": (
        "from qiskit_runtime_rest import Runtime, SamplerPub"
    ),
}
ADDED_MAX_S = 0.100
HEAVY = ("qiskit", "numpy", "httpx", "qiskit_runtime_api", "qiskit_runtime_emulator", "tenacity")

# Builds a job request and decodes a result without a server: the modules a real job needs.
_JOB_CODE = """
import json
from qiskit_runtime_rest import Runtime, SamplerPub
from qiskit_runtime_rest.codec import decode_result, encode_result
from qiskit_runtime_rest.payloads import build_job_request
from qiskit_runtime_rest.results import BitArray, DataBin, PrimitiveResult, SamplerPubResult
import numpy as np
qasm = 'OPENQASM 3.0; include "stdgates.inc"; input float[64] t; qubit[2] q; bit[2] c; '
qasm += 'ry(t) q[0]; cx q[0], q[1]; c = measure q;'
pub = SamplerPub(qasm, parameter_values=[[0.1], [0.2]], shots=10)
json.dumps(build_job_request("sampler", "ibm_emulator_5q", [pub]).to_dict())
bits = BitArray(np.zeros((2, 10, 1), dtype=np.uint8), 2)
result = PrimitiveResult([SamplerPubResult(DataBin({"c": bits}, (2,)), {})], {})
decode_result(json.dumps(encode_result(result)))
"""

_REPORT = """
import json, sys
heavy = {heavy!r}
print(json.dumps({{
    "loaded": [h for h in heavy if any(m == h or m.startswith(h + ".") for m in sys.modules)],
    "modules": len(sys.modules),
}}))
"""


def _modules(code: str, env: Mapping[str, str]) -> dict[str, Any]:
    report = _REPORT.format(heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", code + "\n" + report],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run(quick: bool) -> Section:
    with fresh_processes() as env:
        return _run(quick, env)


def _run(quick: bool, env: Mapping[str, str]) -> Section:
    repeat = 5 if quick else 11
    section = Section("import", "1. Import cost (fresh process)")
    walls, rss = fresh_rounds(env, repeat, {FLOOR: FLOOR, BASELINE: BASELINE, **VARIANTS})
    section.config = fresh_config(repeat)
    floor_wall, floor_rss = median(walls[FLOOR]), median(rss[FLOOR])
    base_wall, base_rss = median(walls[BASELINE]), median(rss[BASELINE])
    section.notes.append(
        f"interpreter floor (python -c pass): {floor_wall * 1e3:.1f} ms, "
        f"{floor_rss / 2**20:.1f} MiB; all wall times include it"
    )
    for name, code in VARIANTS.items():
        wall, peak_rss = median(walls[name]), median(rss[name])
        section.rows.append(
            Row(
                f"{name}: wall",
                "s",
                wall,
                base_wall,
                Target("delta_max", ADDED_MAX_S, f"adds < {ADDED_MAX_S * 1e3:.0f} ms"),
                baseline_name=BASELINE,
                details={
                    "added_ms": (wall - base_wall) * 1e3,
                    "over_floor_ms": (wall - floor_wall) * 1e3,
                    "baseline_over_floor_ms": (base_wall - floor_wall) * 1e3,
                    "samples_s": walls[name],
                    "baseline_samples_s": walls[BASELINE],
                    "code": code,
                },
            )
        )
        section.rows.append(
            Row(
                f"{name}: peak RSS",
                "B",
                peak_rss,
                base_rss,
                baseline_name=BASELINE,
                details={"samples_bytes": rss[name], "baseline_samples_bytes": rss[BASELINE]},
            )
        )
    checks = {
        "import qiskit_runtime_rest": _modules("import qiskit_runtime_rest", env),
        "from qiskit_runtime_rest import Runtime, SamplerPub": _modules(
            "from qiskit_runtime_rest import Runtime, SamplerPub", env
        ),
        "build a job request + decode a result": _modules(_JOB_CODE, env),
        BASELINE: _modules(BASELINE, env),
    }
    qiskit_seen = [name for name, c in checks.items() if "qiskit" in c["loaded"]]
    section.rows.append(
        Row(
            "qiskit in sys.modules (import, Runtime+SamplerPub, build+decode a job)",
            "",
            "yes: " + ", ".join(qiskit_seen) if qiskit_seen else "no",
            None,
            Target("flag", 0.0, "never"),
            details={"children": checks},
        )
    )
    return section
