"""qiskit-ibm-runtime, unmodified, against the emulator over real HTTP (issue 8).

The official client is set up as a user would point it at the emulator: channel
``ibm_quantum_platform``, the emulator's API key and instance CRN, ``url=emulator.client_url`` (it
contains "experimental", so the client uses it verbatim), ``IAM_URL`` pointing at the emulator and
``QISKIT_FUNCTIONS_EXPERIMENTAL=1`` (no IBM Cloud instance discovery). The tests drive every flow
the README promises (backends, Sampler and Estimator in job, session and batch modes, job handles,
listings, sessions) and check the physics of the decoded results and the client's typed errors.

Every HTTP call the client makes is recorded by the emulator (``EmulatorServer.calls()``). After
each test, any 4xx/5xx answer must be one the test provoked on purpose (``expect_errors``); the last
test prints the de-duplicated list of calls (``pytest -rP -k http_calls``) and checks that the
flows covered every endpoint the client needs.
"""

from __future__ import annotations

import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pytest
from ibm_cloud_sdk_core.token_managers.token_manager import TokenManager
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit.primitives import BitArray, PrimitiveResult, SamplerPubResult
from qiskit.quantum_info import SparsePauliOp
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_ibm_runtime import (
    Batch,
    EstimatorV2,
    IBMBackend,
    QiskitRuntimeService,
    SamplerV2,
    Session,
)
from qiskit_ibm_runtime.exceptions import (
    IBMInputValueError,
    IBMNotAuthorizedError,
    IBMRuntimeError,
    RuntimeInvalidStateError,
    RuntimeJobFailureError,
    RuntimeJobMaxTimeoutError,
    RuntimeJobNotFound,
)
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.server import EmulatorServer

pytestmark = pytest.mark.filterwarnings(
    # qiskit-ibm-runtime 0.51 deprecates SamplerV2/EstimatorV2 in favour of client-side
    # primitives that submit "executor" programs; the V2 primitives are what this suite covers.
    "ignore:The (Sampler|Estimator)V2 class is deprecated:DeprecationWarning"
)

ROOT = "/experimental/api/v1"  # the root of EmulatorServer.client_url
IAM = "/identity/token"
BACKEND = "ibm_emulator_5q"

CallKey = tuple[str, str, int]

# Every call made during this module's tests, and the error answers provoked on purpose.
ALL_CALLS: Counter[CallKey] = Counter()
PROVOKED: set[CallKey] = set()
RAN: set[str] = set()
# The server's counters after the last test (module fixtures' calls count for the next test).
SEEN: dict[CallKey, int] = {}

# The endpoints the flows of this module must have used (method, template).
REQUIRED_ENDPOINTS = {
    ("POST", IAM),
    ("GET", ROOT + "/backends"),
    ("GET", ROOT + "/backends/{backend_name}/configuration"),
    ("GET", ROOT + "/backends/{backend_name}/properties"),
    ("GET", ROOT + "/backends/{backend_name}/status"),
    ("GET", ROOT + "/instances/usage"),
    ("POST", ROOT + "/jobs"),
    ("GET", ROOT + "/jobs"),
    ("GET", ROOT + "/jobs/{job_id}"),
    ("DELETE", ROOT + "/jobs/{job_id}"),
    ("GET", ROOT + "/jobs/{job_id}/results"),
    ("GET", ROOT + "/jobs/{job_id}/logs"),
    ("GET", ROOT + "/jobs/{job_id}/metrics"),
    ("POST", ROOT + "/jobs/{job_id}/cancel"),
    ("PUT", ROOT + "/jobs/{job_id}/tags"),
    ("POST", ROOT + "/sessions"),
    ("GET", ROOT + "/sessions/{session_id}"),
    ("PATCH", ROOT + "/sessions/{session_id}"),
    ("DELETE", ROOT + "/sessions/{session_id}/close"),
}


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    # These flows are about the wire: devices without noise keep their results exact (the noise,
    # the ISA check and the local testing mode's agreement are in test_isa_noise.py).
    config = EmulatorConfig(strict_responses=True, workers=2, test_knobs=True, noise=False)
    with EmulatorServer(config) as srv:
        yield srv
    assert srv.state.violation_count == 0, srv.state.response_violations


@pytest.fixture(scope="module")
def client_env(server: EmulatorServer) -> Iterator[None]:
    """The two environment variables that point the client at the emulator."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IAM_URL", server.iam_url)
        mp.setenv("QISKIT_FUNCTIONS_EXPERIMENTAL", "1")
        yield


def connect(server: EmulatorServer, token: str | None = None) -> QiskitRuntimeService:
    # No save_account: nothing is written to the user's home.
    return QiskitRuntimeService(
        channel="ibm_quantum_platform",
        token=token or server.api_key,
        instance=server.crn,
        url=server.client_url,
    )


@pytest.fixture(scope="module")
def service(server: EmulatorServer, client_env: None) -> QiskitRuntimeService:
    return connect(server)


@pytest.fixture(scope="module")
def backend(service: QiskitRuntimeService) -> IBMBackend:
    return service.backend(BACKEND)


@pytest.fixture(scope="module")
def pm(backend: IBMBackend) -> Any:
    return generate_preset_pass_manager(backend=backend, optimization_level=1)


@pytest.fixture(scope="module")
def bell(pm: Any) -> QuantumCircuit:
    """A measured Bell circuit, as an ISA circuit of the backend."""
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    return pm.run(qc)


@pytest.fixture(scope="module")
def ansatz(pm: Any) -> QuantumCircuit:
    """ry(theta) on q0, then cx: cos(theta/2)|00> + sin(theta/2)|11> (ISA, not measured)."""
    theta = Parameter("theta")
    qc = QuantumCircuit(2)
    qc.ry(theta, 0)
    qc.cx(0, 1)
    return pm.run(qc)


def observable(label: str, isa: QuantumCircuit) -> SparsePauliOp:
    return SparsePauliOp(label).apply_layout(isa.layout)


class ExpectedErrors:
    """The error answers a test provokes on purpose: (method, template, status)."""

    def __init__(self) -> None:
        self.keys: set[CallKey] = set()

    def add(self, method: str, path: str, status: int) -> None:
        self.keys.add((method, path if path == IAM else ROOT + path, status))


@pytest.fixture
def expect_errors() -> ExpectedErrors:
    return ExpectedErrors()


@pytest.fixture(autouse=True)
def _record_calls(
    server: EmulatorServer, expect_errors: ExpectedErrors, request: pytest.FixtureRequest
) -> Iterator[None]:
    violations = server.state.violation_count
    yield
    before = dict(SEEN)
    after = server.calls()
    SEEN.clear()
    SEEN.update(after)
    diff = {k: n - before.get(k, 0) for k, n in after.items() if n > before.get(k, 0)}
    ALL_CALLS.update(diff)
    RAN.add(request.node.name)
    errors = {k for k in diff if k[2] >= 400 or k[2] == 0}
    PROVOKED.update(errors & expect_errors.keys)
    assert server.state.violation_count == violations, server.state.response_violations
    unexpected = errors - expect_errors.keys
    assert not unexpected, f"unexpected error answers: {sorted(unexpected)}"
    missing = expect_errors.keys - errors
    assert not missing, f"errors the test meant to provoke did not happen: {sorted(missing)}"


def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def knobs(**values: Any) -> dict[str, Any]:
    """``options.experimental`` with the emulator's job knobs (delay_seconds, fail)."""
    return {"emulator": values}


def primitive(kind: str, mode: Any, **options: Any) -> Any:
    cls = SamplerV2 if kind == "sampler" else EstimatorV2
    return cls(mode=mode, options=options or None)


def run_one(kind: str, prim: Any, bell: QuantumCircuit, ansatz: QuantumCircuit) -> Any:
    if kind == "sampler":
        return prim.run([bell], shots=10)
    return prim.run([(ansatz, observable("ZZ", ansatz), [0.3])])


# ---------------------------------------------------------------------------- service, backends


def test_service_backends_and_target(
    service: QiskitRuntimeService, backend: IBMBackend, server: EmulatorServer
) -> None:
    names = [b.name for b in service.backends()]
    assert names == [
        "ibm_emulator_5q",
        "ibm_emulator_27q",
        "ibm_emulator_127q",
        "ibm_emulator_simulator",
    ]
    assert [b.name for b in service.backends(simulator=False)] == names[:3]
    assert [b.name for b in service.backends(min_num_qubits=100)] == ["ibm_emulator_127q"]
    assert isinstance(service.least_busy(), IBMBackend)
    busy = service.least_busy(min_num_qubits=20)
    assert busy.name in {"ibm_emulator_27q", "ibm_emulator_127q"} and busy.num_qubits >= 20

    # A real-looking target: basis gates, coupling map, calibrations (errors, durations, T1/T2).
    assert backend.num_qubits == 5
    assert set(backend.operation_names) == {
        "cz",
        "id",
        "rz",
        "sx",
        "x",
        "measure",
        "reset",
        "delay",
        "if_else",  # dynamic circuits, as on IBM's devices
        "for_loop",
        "switch_case",
    }
    assert sorted(backend.coupling_map.get_edges()) == sorted(
        [(i, i + 1) for i in range(4)] + [(i + 1, i) for i in range(4)]
    )
    target = backend.target
    cz = target["cz"][(0, 1)]
    assert cz.error is not None and 0 < cz.error < 0.05 and cz.duration and cz.duration > 0
    measure = target["measure"][(0,)]
    assert measure.error is not None and 0 < measure.error < 0.1
    assert target.dt and target.dt > 0
    qubit = backend.qubit_properties(0)
    assert qubit.t1 > 0 and qubit.t2 > 0
    assert backend.properties().gate_error("cz", [0, 1]) == pytest.approx(cz.error)
    status = backend.status()
    assert status.operational and status.status_msg == "active" and status.pending_jobs >= 0

    # The client validates ISA circuits against that target before sending anything.
    raw = QuantumCircuit(2)
    raw.h(0)
    raw.cx(0, 1)
    raw.measure_all()
    posts = server.calls().get(("POST", ROOT + "/jobs", 200), 0)
    with pytest.raises(IBMInputValueError, match="not supported by the target"):
        SamplerV2(mode=backend).run([raw])
    assert server.calls().get(("POST", ROOT + "/jobs", 200), 0) == posts


# ---------------------------------------------------------------------------- job mode


def test_sampler_job_mode_and_job_handle(
    service: QiskitRuntimeService, backend: IBMBackend, bell: QuantumCircuit
) -> None:
    job = SamplerV2(mode=backend).run([bell], shots=100)
    result = job.result()
    assert isinstance(result, PrimitiveResult)
    pub = result[0]
    assert isinstance(pub, SamplerPubResult)
    bits = pub.data.meas
    assert isinstance(bits, BitArray)
    assert (bits.num_shots, bits.num_bits, bits.shape) == (100, 2, ())
    counts = bits.get_counts()
    assert set(counts) == {"00", "11"} and sum(counts.values()) == 100

    assert job.status() == "DONE" and job.done()
    assert job.primitive_id == "sampler" and job.session_id is None
    inputs = job.inputs  # the params as the emulator stored them, decoded by the client
    assert inputs["support_qiskit"] is True and inputs["version"] == 2
    assert isinstance(inputs["pubs"][0][0], QuantumCircuit)

    usage = job.usage()
    assert isinstance(usage, int | float) and usage >= 0
    metrics = job.metrics()
    assert metrics["usage"]["status"] == "complete"
    assert all(metrics["timestamps"][k] for k in ("created", "running", "finished"))
    assert "Job completed" in job.logs()
    assert sorted(job.update_tags(["bell", "exp-1"])) == ["bell", "exp-1"]

    again = service.job(job.job_id())
    assert again.job_id() == job.job_id() and again.primitive_id == "sampler"
    assert sorted(again.tags) == ["bell", "exp-1"]
    assert again.status() == "DONE"
    assert again.backend().name == BACKEND
    assert again.result()[0].data.meas.get_counts() == counts


def test_sampler_parameter_broadcasting(backend: IBMBackend, pm: Any) -> None:
    theta = Parameter("theta")
    qc = QuantumCircuit(1)
    qc.ry(theta, 0)
    qc.measure_all()
    isa = pm.run(qc)
    column = np.array([[0.0], [np.pi], [np.pi / 2]])  # shape (3, 1): a PUB of shape (3,)
    grid = np.array([[[0.0], [np.pi]], [[np.pi], [0.0]]])  # shape (2, 2, 1): a PUB of shape (2, 2)
    job = SamplerV2(mode=backend).run([(isa, column), (isa, grid)], shots=40)
    first, second = job.result()

    assert first.data.meas.shape == (3,) and first.data.meas.num_shots == 40
    assert first.data.meas[0].get_counts() == {"0": 40}
    assert first.data.meas[1].get_counts() == {"1": 40}
    assert set(first.data.meas[2].get_counts()) == {"0", "1"}

    assert second.data.meas.shape == (2, 2) and second.data.meas.num_shots == 40
    for index, bit in (((0, 0), "0"), ((0, 1), "1"), ((1, 0), "1"), ((1, 1), "0")):
        assert second.data.meas[index].get_counts() == {bit: 40}


def test_estimator_job_mode_precision_and_resilience(
    backend: IBMBackend, ansatz: QuantumCircuit
) -> None:
    estimator = EstimatorV2(mode=backend)
    estimator.options.default_precision = 0.05
    estimator.options.resilience_level = 1
    thetas = np.array([[0.0], [np.pi / 2], [np.pi]])  # shape (3,)
    observables = [[observable("ZZ", ansatz)], [observable("XX", ansatz)]]  # shape (2, 1)
    coarse = estimator.run([(ansatz, observables, thetas)])
    estimator.options.resilience_level = 2
    fine = estimator.run([(ansatz, observables, thetas)], precision=0.02)

    # <ZZ> = 1 for every theta; <XX> = sin(theta).
    exact = np.array([[1.0, 1.0, 1.0], [0.0, 1.0, 0.0]])
    for job, precision, level in ((coarse, 0.05, 1), (fine, 0.02, 2)):
        pub = job.result()[0]
        assert pub.data.evs.shape == (2, 3) and pub.data.stds.shape == (2, 3)
        assert np.all(np.abs(pub.data.evs - exact) <= 5 * precision), pub.data.evs
        assert np.all(pub.data.stds >= 0)
        assert pub.metadata["target_precision"] == pytest.approx(precision)
        inputs = job.inputs
        assert inputs["resilience_level"] == level
        assert inputs["options"]["default_precision"] == 0.05


# ---------------------------------------------------------------------------- sessions


def test_session_mode_details_status_and_from_id(
    service: QiskitRuntimeService,
    backend: IBMBackend,
    bell: QuantumCircuit,
    ansatz: QuantumCircuit,
    expect_errors: ExpectedErrors,
) -> None:
    with Session(backend=backend, max_time=600) as session:
        sid = session.session_id
        assert sid
        details = session.details()
        assert details is not None
        assert (details["id"], details["backend_name"], details["mode"]) == (
            sid,
            BACKEND,
            "dedicated",
        )
        assert details["max_time"] == 600 and details["accepting_jobs"] is True
        assert session.status() in {"Pending", "In progress, accepting new jobs"}

        sampled = SamplerV2(mode=session).run([bell], shots=50)
        estimated = EstimatorV2(mode=session).run([(ansatz, observable("ZZ", ansatz), [1.0])])
        assert sampled.session_id == sid and estimated.session_id == sid
        assert set(sampled.result()[0].data.meas.get_counts()) <= {"00", "11"}
        assert float(estimated.result()[0].data.evs) == pytest.approx(1.0, abs=5 * 0.015625)
        assert session.status() == "In progress, accepting new jobs"
        active = session.details()
        assert active is not None
        assert active["state"] == "active" and active["last_job_started"] is not None

        # Session.from_id on an open session: jobs join the same session.
        joined = Session.from_id(sid, service)
        assert joined.session_id == sid
        assert joined.status() == "In progress, accepting new jobs"
        third = SamplerV2(mode=joined).run([bell], shots=10)
        assert third.result()[0].data.meas.num_shots == 10
        assert service.job(third.job_id()).session_id == sid

    # Leaving the block closed it (PATCH accepting_jobs=false); nothing was left to run.
    wait_until(lambda: session.status() == "Closed")
    closed = session.details()
    assert closed is not None
    assert closed["state"] == "closed" and closed["accepting_jobs"] is False
    assert closed["closed_at"] is not None
    usage = session.usage()
    assert usage is not None and usage >= 0
    assert len(service.jobs(session_id=sid, limit=None)) == 3

    # A closed session comes back inactive: the client refuses new jobs without a request.
    reopened = Session.from_id(sid, service)
    with pytest.raises(IBMRuntimeError, match="session is closed"):
        SamplerV2(mode=reopened).run([bell], shots=10)
    with pytest.raises(IBMInputValueError, match="execution mode dedicated"):
        Batch.from_id(sid, service)

    expect_errors.add("GET", "/sessions/{session_id}", 404)
    with pytest.raises(IBMInputValueError, match="Session not found"):
        Session.from_id("no-such-session", service)


def test_session_close_lets_queued_jobs_run(
    service: QiskitRuntimeService,
    backend: IBMBackend,
    bell: QuantumCircuit,
    expect_errors: ExpectedErrors,
) -> None:
    session = Session(backend=backend)
    sampler = SamplerV2(mode=session, options={"experimental": knobs(delay_seconds=0.8)})
    jobs = [sampler.run([bell], shots=10) for _ in range(3)]  # 2 workers: the third queues
    session.close()
    details = session.details()
    assert details is not None and details["accepting_jobs"] is False
    assert details["state"] != "closed"
    assert session.status() in {"Pending", "In progress, not accepting new jobs"}

    # The service refuses new jobs while the session winds down (the client only knows the
    # session is closed once it is).
    late = Session.from_id(session.session_id, service)  # type: ignore[arg-type]
    expect_errors.add("POST", "/jobs", 400)
    with pytest.raises(IBMRuntimeError, match="not accepting jobs"):
        SamplerV2(mode=late).run([bell], shots=10)

    assert [sum(j.result()[0].data.meas.get_counts().values()) for j in jobs] == [10, 10, 10]
    wait_until(lambda: session.status() == "Closed")


def test_session_cancel_stops_queued_jobs(backend: IBMBackend, bell: QuantumCircuit) -> None:
    session = Session(backend=backend)
    sampler = SamplerV2(mode=session, options={"experimental": knobs(delay_seconds=0.8)})
    jobs = [sampler.run([bell], shots=10) for _ in range(3)]
    session.cancel()
    for job in jobs:
        job.wait_for_final_state(timeout=10)
    statuses = [job.status() for job in jobs]
    assert statuses[-1] == "CANCELLED", statuses  # it was still queued
    assert set(statuses) <= {"DONE", "CANCELLED"}
    for job, status in zip(jobs, statuses, strict=True):
        if status == "DONE":  # it was running: it finished
            assert job.result()[0].data.meas.num_shots == 10
        else:
            with pytest.raises(RuntimeInvalidStateError, match="cancelled"):
                job.result()
    wait_until(lambda: session.status() == "Closed")


# ---------------------------------------------------------------------------- batches


def test_batch_mode(
    service: QiskitRuntimeService,
    backend: IBMBackend,
    bell: QuantumCircuit,
    ansatz: QuantumCircuit,
) -> None:
    with Batch(backend=backend) as batch:
        details = batch.details()
        assert details is not None and details["mode"] == "batch"
        sampler = SamplerV2(mode=batch, options={"experimental": knobs(delay_seconds=0.5)})
        sampled = [sampler.run([bell], shots=20) for _ in range(3)]
        estimated = EstimatorV2(mode=batch).run(
            [(ansatz, [observable("ZZ", ansatz), observable("XX", ansatz)], [np.pi / 2])]
        )
    # The block was left before the jobs finished: they still run.
    assert sampled[-1].status() in {"QUEUED", "RUNNING"}
    closing = batch.details()
    assert closing is not None and closing["accepting_jobs"] is False
    assert [sum(j.result()[0].data.meas.get_counts().values()) for j in sampled] == [20] * 3
    evs = estimated.result()[0].data.evs
    assert evs.shape == (2,)
    assert np.all(np.abs(evs - [1.0, 1.0]) <= 5 * 0.015625)
    wait_until(lambda: batch.status() == "Closed")

    again = Batch.from_id(batch.session_id, service)  # type: ignore[arg-type]
    again_details = again.details()
    assert again_details is not None and again_details["mode"] == "batch"
    listed = service.jobs(session_id=batch.session_id, limit=None)
    assert {j.job_id() for j in listed} == {j.job_id() for j in [*sampled, estimated]}


# ---------------------------------------------------------------------------- failures


@pytest.mark.parametrize("kind", ["sampler", "estimator"])
def test_failed_job_raises_runtime_job_failure_error(
    kind: str, backend: IBMBackend, bell: QuantumCircuit, ansatz: QuantumCircuit
) -> None:
    reason = f"Injected failure of the {kind}: qubit 3 is on fire"
    prim = primitive(kind, backend, experimental=knobs(fail=reason))
    job = run_one(kind, prim, bell, ansatz)
    with pytest.raises(RuntimeJobFailureError, match="qubit 3 is on fire"):
        job.result()
    assert job.status() == "ERROR" and job.errored()
    message = job.error_message()
    assert message is not None and reason in message
    assert reason in job.logs()


@pytest.mark.parametrize("kind", ["sampler", "estimator"])
def test_job_past_max_execution_time_raises_max_timeout_error(
    kind: str,
    backend: IBMBackend,
    bell: QuantumCircuit,
    ansatz: QuantumCircuit,
    server: EmulatorServer,
) -> None:
    prim = primitive(kind, backend, max_execution_time=1, experimental=knobs(delay_seconds=3))
    job = run_one(kind, prim, bell, ansatz)
    with pytest.raises(RuntimeJobMaxTimeoutError, match="1305"):
        job.result()
    assert job.status() == "ERROR"
    record = server.store.get_job(server.crn, job.job_id())
    assert record is not None
    assert (record.top_status, record.status, record.reason_code) == (
        "Cancelled - Ran too long",
        "Cancelled",
        1305,
    )
    assert record.cost == 1


def test_cancel_job(
    backend: IBMBackend, bell: QuantumCircuit, expect_errors: ExpectedErrors
) -> None:
    sampler = SamplerV2(mode=backend, options={"experimental": knobs(delay_seconds=30)})
    job = sampler.run([bell], shots=10)
    job.cancel()
    assert job.status() == "CANCELLED" and job.cancelled()
    expect_errors.add("POST", "/jobs/{job_id}/cancel", 409)
    with pytest.raises(RuntimeInvalidStateError, match="cannot be cancelled"):
        job.cancel()
    with pytest.raises(RuntimeInvalidStateError, match="Job was cancelled"):
        job.result()
    assert "cancelled" in job.logs().lower()


# ---------------------------------------------------------------------------- listings


def test_jobs_filters_and_paging(
    service: QiskitRuntimeService,
    backend: IBMBackend,
    bell: QuantumCircuit,
    ansatz: QuantumCircuit,
    server: EmulatorServer,
    expect_errors: ExpectedErrors,
) -> None:
    tag = f"listing-{uuid.uuid4().hex[:8]}"
    tags = {"environment": {"job_tags": [tag]}}
    start = datetime.now()
    with Batch(backend=backend) as batch:
        sampled = [SamplerV2(mode=batch, options=tags).run([bell], shots=5) for _ in range(21)]
        estimated = EstimatorV2(mode=batch, options=tags).run(
            [(ansatz, observable("ZZ", ansatz), [0.0])]
        )
    everything = [*sampled, estimated]
    for job in everything:
        job.wait_for_final_state(timeout=30)
    newest_first = [j.job_id() for j in reversed(everything)]

    def ids(**filters: Any) -> list[str]:
        return [j.job_id() for j in service.jobs(job_tags=[tag], **filters)]

    pages = server.calls().get(("GET", ROOT + "/jobs", 200), 0)
    assert ids(limit=None) == newest_first  # 22 jobs in pages of 20
    assert server.calls()[("GET", ROOT + "/jobs", 200)] - pages == 2
    assert ids() == newest_first[:10]  # the client's default limit
    assert ids(limit=5, skip=3) == newest_first[3:8]
    assert ids(limit=3, descending=False) == newest_first[::-1][:3]
    assert ids(limit=None, program_id="estimator") == [estimated.job_id()]
    assert ids(limit=None, backend_name=BACKEND) == newest_first
    assert ids(limit=None, backend_name="ibm_emulator_27q") == []
    assert ids(limit=None, pending=True) == []
    assert ids(limit=None, pending=False) == newest_first
    assert ids(limit=None, session_id=batch.session_id) == newest_first
    assert ids(limit=None, created_after=start - timedelta(minutes=5)) == newest_first
    assert ids(limit=None, created_after=datetime.now() + timedelta(hours=1)) == []
    assert ids(limit=None, created_before=start - timedelta(hours=1)) == []
    assert [j.job_id() for j in service.jobs(job_tags=[tag, "other"], limit=None)] == []
    listed = service.jobs(job_tags=[tag], limit=1)[0]
    assert listed.job_id() == estimated.job_id() and listed.primitive_id == "estimator"
    assert listed.session_id == batch.session_id and listed.tags == [tag]

    # Deleting a job, then looking it up: the client's RuntimeJobNotFound (a 404).
    gone = sampled[0].job_id()
    service.delete_job(gone)
    expect_errors.add("GET", "/jobs/{job_id}", 404)
    with pytest.raises(RuntimeJobNotFound):
        service.job(gone)
    assert gone not in ids(limit=None)


# ---------------------------------------------------------------------------- authentication


def test_bad_api_key_raises_not_authorized(
    server: EmulatorServer,
    client_env: None,
    expect_errors: ExpectedErrors,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the client does with a key IAM rejects (``400 BXNIM0415E``).

    ibm-cloud-sdk-core raises ``ApiException`` with IAM's ``errorMessage``; the client warns and
    falls back to ``Authorization: apikey <key>``, which the service answers 401: the client's
    ``IBMNotAuthorizedError``. During ``QiskitRuntimeService(...)`` that 401 is swallowed (it only
    logs "Invalid instance"); the next call raises it. ibm-cloud-sdk-core paces token requests:
    after a failed one, the next waits up to 60 s. The test moves sdk-core's clock forward instead
    of sleeping; the requests are the same.
    """
    clock = [0]
    real_time = time.time
    monkeypatch.setattr(
        TokenManager, "_get_current_time", staticmethod(lambda: int(real_time()) + clock[0])
    )
    expect_errors.add("POST", IAM, 400)
    expect_errors.add("GET", "/backends", 401)
    expect_errors.add("GET", "/instances/usage", 401)
    expect_errors.add("GET", "/jobs", 401)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bad = connect(server, token="not-a-valid-api-key")
    messages = [str(w.message) for w in caught]
    assert any("Provided API key could not be found" in m for m in messages), messages

    clock[0] += 61
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with pytest.raises(IBMNotAuthorizedError, match="Invalid API key"):
            bad.usage()
        clock[0] += 61
        with pytest.raises(IBMNotAuthorizedError, match="401"):
            bad.jobs()


# ---------------------------------------------------------------------------- the calls


def test_http_calls_of_the_official_client(request: pytest.FixtureRequest) -> None:
    """Print the de-duplicated calls (``pytest -rP``) and check them as a whole."""
    width = max((len(path) for _, path, _ in ALL_CALLS), default=10)
    lines = [f"{'method':7} {'path':{width}} status count"]
    for (method, path, status), count in sorted(ALL_CALLS.items(), key=lambda kv: kv[0][1:]):
        mark = "  (provoked)" if (method, path, status) in PROVOKED else ""
        lines.append(f"{method:7} {path:{width}} {status:6} {count:5}{mark}")
    print("\n".join(lines))

    errors = {k for k in ALL_CALLS if k[2] >= 400 or k[2] == 0}
    assert errors <= PROVOKED, f"unexpected error answers: {sorted(errors - PROVOKED)}"
    assert not [k for k in ALL_CALLS if not (k[1] == IAM or k[1].startswith(ROOT + "/"))], (
        "calls outside the API root or IAM"
    )
    module_tests = {item.name for item in request.session.items if item.module is request.module}
    if module_tests - {request.node.name} <= RAN:  # the whole module ran: check coverage
        used = {(method, path) for method, path, status in ALL_CALLS if status < 400}
        assert used >= REQUIRED_ENDPOINTS, sorted(REQUIRED_ENDPOINTS - used)
