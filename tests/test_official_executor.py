"""qiskit-ibm-runtime's executor primitives, unmodified, against the emulator over real HTTP.

qiskit-ibm-runtime 0.51 builds its next-generation primitives on the executor program: the
client-side ``executor_sampler.Sampler`` and ``executor_estimator.Estimator`` compile PUBs into a
``QuantumProgram`` (twirling, basis changes and mitigation as samplex items) and submit it with
``program_id: executor``, as ``Executor`` does with a hand-built program. Here each of them runs
in job, session and batch mode (the default run spreads the modes over the cases; ``-m slow`` runs
the whole cross product), and every result is decoded by the client and checked for its physics:

* Sampler: a Bell state gives only ``00`` and ``11``, balanced within 4 binomial sigmas;
* Estimator: ``ry(theta)`` then ``cx`` gives ``<ZZ> = 1`` within the precision, and ``<ZI>``
  (``cos theta``), ``<XX>`` (``sin theta``) within 5 times it;
* Executor: an ``rx`` sweep's excited-state probabilities are ``sin^2(theta / 2)`` within
  3 sigmas, a Bell item's bits agree.

Jobs are seeded through ``options.experimental.emulator.seed`` (the executor's params carry no
seed of their own), so a run is reproducible; the tolerances are those of unseeded runs. Each case
records its end-to-end time and the HTTP calls the client made (``pytest -s`` prints them).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime import (
    Batch,
    Executor,
    IBMBackend,
    QiskitRuntimeService,
    QuantumProgram,
    Session,
)
from qiskit_ibm_runtime.exceptions import (
    RuntimeInvalidStateError,
    RuntimeJobFailureError,
    RuntimeJobMaxTimeoutError,
)
from qiskit_ibm_runtime.executor_estimator import Estimator
from qiskit_ibm_runtime.executor_sampler import Sampler
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.server import EmulatorServer

pytestmark = pytest.mark.filterwarnings(
    # qiskit-mitigation's ZNE fit warns when noiseless data has zero standard errors.
    "ignore:No positive, finite standard errors:UserWarning",
)

BACKEND = "ibm_emulator_5q"
ROOT = "/experimental/api/v1"
MODES = ("job", "session", "batch")
CallKey = tuple[str, str, int]

# case -> (seconds, HTTP calls by (method, path)); printed by the last test
FIGURES: dict[str, tuple[float, Counter[tuple[str, str]]]] = {}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    # noiseless: the flows are checked against exact distributions (device noise on executor
    # jobs: tests/test_sdk_executor.py)
    config = EmulatorConfig(
        strict_responses=True, workers=2, test_knobs=True, noiseless_backends=(BACKEND,)
    )
    with EmulatorServer(config) as srv:
        yield srv
    assert srv.state.violation_count == 0, srv.state.response_violations


@pytest.fixture(scope="module")
def service(server: EmulatorServer) -> Iterator[QiskitRuntimeService]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IAM_URL", server.iam_url)
        mp.setenv("QISKIT_FUNCTIONS_EXPERIMENTAL", "1")
        yield QiskitRuntimeService(
            channel="ibm_quantum_platform",
            token=server.api_key,
            instance=server.crn,
            url=server.client_url,
        )


@pytest.fixture(scope="module")
def backend(service: QiskitRuntimeService) -> IBMBackend:
    return service.backend(BACKEND)


@pytest.fixture(scope="module")
def isa(backend: IBMBackend) -> Callable[[QuantumCircuit], QuantumCircuit]:
    """ISA circuits of the device (cz, rz, sx, x on physical qubits), as a user makes them."""
    manager = generate_preset_pass_manager(backend=backend, optimization_level=1, seed_transpiler=1)
    return manager.run


@pytest.fixture(scope="module")
def bell(isa: Callable[[QuantumCircuit], QuantumCircuit]) -> QuantumCircuit:
    circuit = QuantumCircuit(2)
    circuit.h(0)
    circuit.cx(0, 1)
    circuit.measure_all()
    return isa(circuit)


@pytest.fixture(scope="module")
def ansatz(isa: Callable[[QuantumCircuit], QuantumCircuit]) -> QuantumCircuit:
    theta = Parameter("theta")
    circuit = QuantumCircuit(2)
    circuit.ry(theta, 0)
    circuit.cx(0, 1)
    return isa(circuit)


@pytest.fixture(scope="module")
def rx(isa: Callable[[QuantumCircuit], QuantumCircuit]) -> QuantumCircuit:
    theta = Parameter("theta")
    circuit = QuantumCircuit(1, 1)
    circuit.rx(theta, 0)
    circuit.measure(0, 0)
    return isa(circuit)


class Recorder:
    """The HTTP calls a case made (the emulator counts them) and its end-to-end time."""

    def __init__(self, server: EmulatorServer) -> None:
        self.server = server
        self.before = server.calls()
        self.start = time.perf_counter()
        self.allowed: set[CallKey] = set()

    def calls(self) -> Counter[CallKey]:
        after = self.server.calls()
        diff = {k: n - self.before.get(k, 0) for k, n in after.items()}
        return Counter({k: n for k, n in diff.items() if n > 0})

    def finish(self, name: str) -> None:
        seconds = time.perf_counter() - self.start
        calls = self.calls()
        errors = {k for k in calls if k[2] >= 400 or k[2] == 0} - self.allowed
        assert not errors, f"unexpected error answers: {sorted(errors)}"
        assert calls[("POST", ROOT + "/jobs", 200)] >= 1
        by_path: Counter[tuple[str, str]] = Counter()
        for (method, path, _), count in calls.items():
            by_path[(method, path.removeprefix(ROOT))] += count
        FIGURES[name] = (seconds, by_path)


@pytest.fixture
def recorder(server: EmulatorServer, request: pytest.FixtureRequest) -> Iterator[Recorder]:
    recording = Recorder(server)
    yield recording
    recording.finish(request.node.name)


def seeded(seed: int) -> dict[str, Any]:
    """``options.experimental`` that seeds the emulator's simulation of the job."""
    return {"emulator": {"seed": seed}}


def in_mode(mode: str, backend: IBMBackend, run: Callable[[Any], Any]) -> Any:
    """``run(mode_object)`` in job mode (the backend), in a session or in a batch."""
    if mode == "job":
        return run(backend)
    context = Session(backend=backend) if mode == "session" else Batch(backend=backend)
    with context as opened:
        out = run(opened)
    assert opened.session_id is not None
    return out


def assert_bell(counts: dict[str, int], shots: int) -> None:
    assert set(counts) <= {"00", "11"}, counts
    assert sum(counts.values()) == shots
    assert abs(counts.get("00", 0) - shots / 2) <= 4 * math.sqrt(shots) / 2, counts


# ---------------------------------------------------------------------------- cases

SAMPLER = [("job", False), ("session", True), ("batch", True)]
ESTIMATOR = [("job", 0), ("session", 1), ("batch", 2)]
SLOW = pytest.mark.slow


def _others(done: list[tuple[str, Any]], values: tuple[Any, ...]) -> list[Any]:
    return [
        pytest.param(mode, value, marks=SLOW)
        for mode in MODES
        for value in values
        if (mode, value) not in done
    ]


@pytest.mark.parametrize(("mode", "twirling"), [*SAMPLER, *_others(SAMPLER, (False, True))])
def test_executor_sampler(
    mode: str,
    twirling: bool,
    backend: IBMBackend,
    bell: QuantumCircuit,
    service: QiskitRuntimeService,
    recorder: Recorder,
) -> None:
    def run(where: Any) -> Any:
        sampler = Sampler(mode=where)
        sampler.options.twirling.enable_gates = twirling
        sampler.options.twirling.enable_measure = twirling
        sampler.options.experimental = seeded(1)
        return sampler.run([bell], shots=300)

    job = in_mode(mode, backend, run)
    result = job.result()
    bits = result[0].data.meas
    # With twirling the client rounds shots up to whole randomizations.
    assert bits.num_shots == 300 if not twirling else bits.num_shots >= 300
    assert_bell(bits.get_counts(), bits.num_shots)
    assert job.primitive_id == "executor"
    assert (job.session_id is None) == (mode == "job")
    program = job.inputs["quantum_program"]  # the stored params, decoded by the client
    kinds = {type(item).__name__ for item in program.items}
    assert kinds == {"SamplexItem" if twirling else "CircuitItem"}


@pytest.mark.parametrize(("mode", "level"), [*ESTIMATOR, *_others(ESTIMATOR, (0, 1, 2))])
def test_executor_estimator(
    mode: str,
    level: int,
    backend: IBMBackend,
    ansatz: QuantumCircuit,
    recorder: Recorder,
) -> None:
    precision = 0.05
    thetas = np.array([[0.4], [1.3], [2.5]])
    labels = ("ZZ", "IZ", "XX")  # qiskit's order: "IZ" is Z on the ansatz's qubit 0
    observables = [[SparsePauliOp(label).apply_layout(ansatz.layout)] for label in labels]

    def run(where: Any) -> Any:
        estimator = Estimator(mode=where)
        estimator.options.resilience_level = level
        estimator.options.experimental = seeded(2 + level)
        return estimator.run([(ansatz, observables, thetas)], precision=precision)

    job = in_mode(mode, backend, run)
    pub = job.result()[0]
    evs = np.asarray(pub.data.evs)
    assert evs.shape == (3, 3)
    t = thetas[:, 0]
    # ry(theta) then cx: cos(theta/2)|00> + sin(theta/2)|11>
    expected = np.array([np.ones_like(t), np.cos(t), np.sin(t)])
    assert np.all(np.abs(evs[0] - 1.0) <= precision), evs[0]
    assert np.all(np.abs(evs - expected) <= 5 * precision), evs
    assert job.primitive_id == "executor"


@pytest.mark.parametrize("mode", MODES)
def test_executor_with_a_hand_built_program(
    mode: str,
    backend: IBMBackend,
    rx: QuantumCircuit,
    bell: QuantumCircuit,
    recorder: Recorder,
) -> None:
    thetas = np.linspace(0.0, np.pi, 8).reshape(2, 4, 1)
    shots = 400

    def run(where: Any) -> Any:
        program = QuantumProgram(shots=shots)
        program.append_circuit_item(rx, circuit_arguments=thetas)
        program.append_circuit_item(bell)
        executor = Executor(mode=where)
        executor.options.experimental = seeded(3)
        return executor.run(program)

    job = in_mode(mode, backend, run)
    result = job.result()
    assert type(result).__name__ == "QuantumProgramResult"
    swept = result[0]["c"]
    assert swept.shape == (2, 4, shots, 1) and swept.dtype == bool
    p = np.sin(thetas[..., 0] / 2) ** 2
    sigma = np.sqrt(p * (1 - p) / shots)
    assert np.all(np.abs(swept[..., 0].mean(axis=-1) - p) <= 3 * sigma + 1e-9)
    meas = result[1]["meas"]
    assert meas.shape == (shots, 2) and np.all(meas[:, 0] == meas[:, 1])
    assert 0.3 < meas[:, 0].mean() < 0.7


# ---------------------------------------------------------------------------- job handles


def test_service_job_decodes_an_executor_job_again(
    service: QiskitRuntimeService,
    backend: IBMBackend,
    bell: QuantumCircuit,
    server: EmulatorServer,
    recorder: Recorder,
) -> None:
    sampler = Sampler(mode=backend)
    sampler.options.twirling.enable_gates = True
    sampler.options.environment.job_tags = ["exec-again"]
    job = sampler.run([bell], shots=200)
    counts = job.result()[0].data.meas.get_counts()

    again = service.job(job.job_id())
    assert again.primitive_id == "executor"
    assert again.result()[0].data.meas.get_counts() == counts
    assert again.status() == "DONE" and "Job completed" in again.logs()
    metrics = again.metrics()
    assert metrics["num_qubits"] == [5] and metrics["usage"]["status"] == "complete"

    listed = service.jobs(program_id="executor", job_tags=["exec-again"])
    assert [j.job_id() for j in listed] == [job.job_id()]
    assert all(j.primitive_id == "executor" for j in service.jobs(program_id="executor"))
    samplers = service.jobs(program_id="sampler", limit=50)
    assert job.job_id() not in {j.job_id() for j in samplers}
    record = server.store.get_job(server.crn, job.job_id())
    assert record is not None and record.program_id == "executor"


def test_executor_job_past_its_max_execution_time(
    backend: IBMBackend, rx: QuantumCircuit, recorder: Recorder
) -> None:
    program = QuantumProgram(shots=10)
    program.append_circuit_item(rx, circuit_arguments=np.array([[0.5]]))
    executor = Executor(mode=backend)
    executor.options.max_execution_time = 1
    executor.options.experimental = {"emulator": {"delay_seconds": 3}}
    job = executor.run(program)
    with pytest.raises(RuntimeJobMaxTimeoutError, match="1305"):
        job.result()


def test_executor_job_cancelled_and_failed(
    backend: IBMBackend, rx: QuantumCircuit, recorder: Recorder
) -> None:
    program = QuantumProgram(shots=10)
    program.append_circuit_item(rx, circuit_arguments=np.array([[0.5]]))
    slow = Executor(mode=backend, options={"experimental": {"emulator": {"delay_seconds": 30}}})
    job = slow.run(program)
    job.cancel()
    assert job.status() == "CANCELLED"
    with pytest.raises(RuntimeInvalidStateError, match="cancelled"):
        job.result()

    failing = Executor(mode=backend, options={"experimental": {"emulator": {"fail": "on fire"}}})
    job = failing.run(program)
    with pytest.raises(RuntimeJobFailureError, match="on fire"):
        job.result()


# ---------------------------------------------------------------------------- figures


def test_figures_of_the_flows() -> None:
    """Print each case's end-to-end time and HTTP calls (``pytest -s``)."""
    if not FIGURES:
        pytest.skip("run together with the flows")
    for name, (seconds, calls) in sorted(FIGURES.items()):
        total = sum(calls.values())
        shown = ", ".join(f"{m} {p} x{n}" for (m, p), n in sorted(calls.items()))
        print(f"\n{name}: {seconds:.2f} s, {total} HTTP calls: {shown}")
    for _, calls in FIGURES.values():
        assert calls[("POST", "/jobs")] >= 1
