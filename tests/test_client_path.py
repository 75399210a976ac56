"""How much wrapper code one small job runs: the path from ``run()`` to the wire, measured.

One Bell job on the emulator (``sampler.run([pub])`` then ``job.result()``) is profiled with
``sys.setprofile``: every Python function of ``qiskit_runtime_rest`` that starts or resumes in
this thread is counted (lambdas and comprehensions included; generator resumptions count as
calls). The emulator runs in other threads and is not counted. A job submitted just before (and
not measured) occupies the emulator's only worker, so the measured job is still queued at the
first poll and the polling path (pauses, sleeps) is always part of the measurement.

``pytest -s tests/test_client_path.py`` prints the functions, by module.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import qiskit_runtime_rest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import SamplerOptions, SamplerPub

from tests.conftest import connect

BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; '
    "h q[0]; cx q[0], q[1]; meas = measure q;"
)
MAX_FUNCTIONS = 60
MAX_MODULES = 9

Function = tuple[str, int, str]  # module file, first line, name


def profile(action: Callable[[], object]) -> Counter[Function]:
    """Calls of wrapper functions made by ``action`` in this thread."""
    root = str(Path(qiskit_runtime_rest.__file__).parent) + "/"
    calls: Counter[Function] = Counter()

    def hook(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            code = frame.f_code
            if code.co_filename.startswith(root):
                name = code.co_filename.removeprefix(root)
                calls[(name, code.co_firstlineno, code.co_qualname)] += 1

    sys.setprofile(hook)
    try:
        action()
    finally:
        sys.setprofile(None)
    return calls


def report(calls: Counter[Function]) -> str:
    modules = sorted({f[0] for f in calls})
    lines = [
        f"{len(calls)} distinct wrapper functions in {len(modules)} modules, "
        f"{sum(calls.values())} calls"
    ]
    for module in modules:
        lines.append(f"  {module}")
        for (file, line, name), count in sorted(calls.items()):
            if file == module:
                lines.append(f"    {line:5d} {name} x{count}")
    return "\n".join(lines)


def test_one_small_job_runs_few_wrapper_functions() -> None:
    with (
        EmulatorServer(EmulatorConfig(workers=1, test_knobs=True)) as server,
        connect(server) as rt,
    ):
        sampler = rt.sampler("ibm_emulator_simulator")
        pub = SamplerPub(BELL, shots=100)
        sampler.run([pub]).result()  # warm-up: token, connection, lazy imports
        slow = SamplerOptions(experimental={"emulator": {"delay_seconds": 0.3}})
        rt.sampler("ibm_emulator_simulator", options=slow).run([pub])  # holds the only worker

        def small_job() -> None:
            job = sampler.run([pub])
            job.result()

        calls = profile(small_job)
    print("\n" + report(calls))
    modules = {f[0] for f in calls}
    assert any("sleep" in f[2].lower() or "pause" in f[2].lower() for f in calls), (
        "the measured job did not poll"
    )
    assert len(calls) <= MAX_FUNCTIONS, report(calls)
    assert len(modules) <= MAX_MODULES, report(calls)
