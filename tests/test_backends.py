"""Backend handles against the emulator over real HTTP (issue 16): typed views, filters,
``least_busy()``, and the qiskit ``Target``, compared with what qiskit-ibm-runtime builds for the
same backend of the same emulator."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import (
    AsyncRuntime,
    Backend,
    BackendNotFoundError,
    NotFoundError,
    Runtime,
    SamplerOptions,
    SamplerPub,
)
from qiskit_runtime_rest.views import (
    BackendConfiguration,
    BackendProperties,
    BackendStatus,
    QubitProperties,
)

from tests.conftest import connect, wait_until
from tests.targets import describe, official_target

BACKEND = "ibm_emulator_5q"
NAMES = {"ibm_emulator_5q", "ibm_emulator_27q", "ibm_emulator_127q"}
SIMULATOR = "ibm_emulator_simulator"


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as srv:
        yield srv


@pytest.fixture(scope="module")
def rt(server: EmulatorServer) -> Iterator[Runtime]:
    with connect(server) as runtime:
        yield runtime


def _no_unset(value: object, path: str = "") -> None:
    """No ``Unset`` anywhere in a view (walked through attrs fields, lists and dicts)."""
    import attrs
    from qiskit_runtime_api.types import Unset

    assert not isinstance(value, Unset), path
    assert "Unset" not in repr(value)[:2000], path
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            _no_unset(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value[:50]):
            _no_unset(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in list(value.items())[:50]:
            _no_unset(item, f"{path}.{key}")


def test_backend_handle_and_typed_views(rt: Runtime) -> None:
    backend = rt.backend(BACKEND)
    assert isinstance(backend, Backend)
    assert backend.name == BACKEND and backend.num_qubits == 5
    assert set(backend.basis_gates) == {"cz", "rz", "sx", "x", "id"} - (
        {"id"} if "id" not in backend.basis_gates else set()
    )
    assert (0, 1) in backend.coupling_map and all(len(e) == 2 for e in backend.coupling_map)
    assert repr(backend) == "Backend(name='ibm_emulator_5q', num_qubits=5)"

    status = backend.status()
    assert isinstance(status, BackendStatus)
    assert status.operational is True and status.status_msg == "active"
    assert status.pending_jobs >= 0
    config = backend.configuration()
    assert isinstance(config, BackendConfiguration) and config.n_qubits == 5
    assert config.dt is not None and 0 < config.dt < 1e-6  # seconds, not nanoseconds
    props = backend.properties()
    assert isinstance(props, BackendProperties)
    q0 = props.qubits[0]
    assert isinstance(q0, QubitProperties)
    assert q0.t1 is not None and 1e-6 < q0.t1 < 1e-2  # SI seconds
    assert q0.frequency is not None and q0.frequency > 1e9  # hertz
    assert props.gate_error("cz", (0, 1)) is not None
    assert props.gate_length("sx", 0) is not None
    with pytest.raises(KeyError, match="reports no 'cz'"):
        props.gate_error("cz", (0, 4))
    for view in (status, config, props, rt.usage(), rt.versions(), rt.backend_status(BACKEND)):
        _no_unset(view)
        assert "object at 0x" not in repr(view)
    # documented: the classes and their public methods carry docstrings
    for cls in (BackendStatus, BackendConfiguration, BackendProperties, QubitProperties):
        assert cls.__doc__


def test_unknown_backend_is_a_not_found_error(rt: Runtime) -> None:
    with pytest.raises(NotFoundError):
        rt.backend("ibm_nowhere")


def test_backends_take_the_official_filters(rt: Runtime) -> None:
    assert {b.name for b in rt.backends()} == NAMES | {SIMULATOR}
    assert [b.name for b in rt.backends(name="ibm_emulator_27q")] == ["ibm_emulator_27q"]
    assert {b.name for b in rt.backends(min_num_qubits=27)} == NAMES - {BACKEND} | {SIMULATOR}
    assert {b.name for b in rt.backends(simulator=False, operational=True)} == NAMES
    assert [b.name for b in rt.backends(simulator=True)] == [SIMULATOR]
    # the emulator's devices list no "dynamic_circuits" feature, as the official client reads
    assert rt.backends(dynamic_circuits=True) == []
    assert {b.name for b in rt.backends(dynamic_circuits=False)} == NAMES | {SIMULATOR}
    small = rt.backends(filters=lambda b: b.num_qubits < 100 and b.status().operational)
    assert {b.name for b in small} == {BACKEND, "ibm_emulator_27q", SIMULATOR}


# ISA on every emulated device (x is native everywhere; physical qubit $0)
ISA_X = 'OPENQASM 3.0; include "stdgates.inc"; bit[1] c; x $0; c[0] = measure $0;'


def test_least_busy_picks_the_shortest_queue(make_emulator: Any) -> None:
    # one worker: the first slow job runs, the others wait in their backends' queues
    server = make_emulator(EmulatorConfig(workers=1, test_knobs=True))
    slow = SamplerOptions(experimental={"emulator": {"delay_seconds": 5}})
    with connect(server) as rt:
        busy = [
            rt.sampler(name, options=slow).run([SamplerPub(ISA_X, shots=10)])
            for name in (BACKEND, BACKEND, "ibm_emulator_27q", "ibm_emulator_127q")
        ]
        try:
            wait_until(lambda: rt.backend_status(BACKEND).pending_jobs == 1)
            assert rt.backend_status("ibm_emulator_27q").pending_jobs == 1
            # the simulator's queue is empty: the official client's least_busy() takes it too
            assert rt.least_busy(min_num_qubits=27).name == SIMULATOR
            assert rt.least_busy(min_num_qubits=27, simulator=False).name in {
                "ibm_emulator_27q",
                "ibm_emulator_127q",
            }
            busy.pop().cancel()  # the 127-qubit queue empties
            wait_until(lambda: rt.backend_status("ibm_emulator_127q").pending_jobs == 0)
            assert rt.least_busy(simulator=False).name == "ibm_emulator_127q"
            real = rt.least_busy(filters=lambda b: b.num_qubits < 100 and not b.simulator)
            assert real.name in {
                BACKEND,
                "ibm_emulator_27q",
            }
        finally:
            for job in busy:
                job.cancel()


def test_least_busy_filters(rt: Runtime) -> None:
    assert rt.least_busy().name in NAMES  # devices come first in the listing
    assert rt.least_busy(min_num_qubits=100).name == "ibm_emulator_127q"
    chosen = rt.least_busy(filters=lambda b: b.num_qubits == 27)
    assert chosen.name == "ibm_emulator_27q"
    with pytest.raises(BackendNotFoundError, match="min_num_qubits"):
        rt.least_busy(min_num_qubits=1000)
    assert rt.least_busy(simulator=True).name == SIMULATOR
    with pytest.raises(BackendNotFoundError):
        rt.least_busy(simulator=True, min_num_qubits=100)


@pytest.mark.anyio
async def test_async_backends(server: EmulatorServer) -> None:
    async with connect(server, AsyncRuntime) as art:
        backend = await art.backend(BACKEND)
        assert backend.num_qubits == 5 and (await backend.status()).operational
        assert (await backend.properties()) is not None
        assert {b.name for b in await art.backends(min_num_qubits=100)} == {"ibm_emulator_127q"}
        assert (await art.least_busy(min_num_qubits=100)).name == "ibm_emulator_127q"
        assert backend.target.num_qubits == 5


# -- the qiskit Target ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ibm_emulator_5q", "ibm_emulator_27q"])
def test_target_equals_the_official_clients(rt: Runtime, server: EmulatorServer, name: str) -> None:
    ours = rt.backend(name).target
    theirs = official_target(server, name)
    assert describe(ours) == describe(theirs)
    assert ours.operation_names == theirs.operation_names


def test_isa_path_with_the_target_runs_on_the_device(rt: Runtime) -> None:
    """target -> preset pass manager -> PUB with layout-mapped observables, as the README."""
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import SparsePauliOp
    from qiskit.transpiler import generate_preset_pass_manager
    from qiskit_runtime_rest import EstimatorPub

    backend = rt.backend(BACKEND)
    pm = generate_preset_pass_manager(
        target=backend.target, optimization_level=1, seed_transpiler=1
    )
    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    isa = pm.run(bell)
    assert set(isa.count_ops()) <= set(backend.basis_gates)
    zz = SparsePauliOp("ZZ").apply_layout(isa.layout)
    evs = rt.estimator(BACKEND).run([EstimatorPub(isa, zz)], precision=0.05).result()[0].data.evs
    assert float(evs) == pytest.approx(1.0, abs=0.2)
    measured = pm.run(bell.measure_all(inplace=False))
    counts = rt.sampler(BACKEND).run([SamplerPub(measured)], shots=200).result()[0].data
    assert set(counts.meas.get_counts()) <= {"00", "11", "01", "10"}


def test_backends_load_no_qiskit_until_a_target_is_asked_for(server: EmulatorServer) -> None:
    code = (
        "import sys\n"
        "from qiskit_runtime_rest import Runtime\n"
        f"rt = Runtime(token={server.api_key!r}, instance={server.crn!r}, url={server.url!r}, "
        "trust_env=False)\n"
        "b = rt.least_busy()\n"
        "b.properties(); b.status(); rt.backends(min_num_qubits=5)\n"
        "print(sorted(m for m in ('qiskit', 'qiskit_ibm_runtime') if m in sys.modules))\n"
        "b.target\n"
        "print('qiskit' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    ).stdout.split("\n")
    assert out[:2] == ["[]", "True"]
