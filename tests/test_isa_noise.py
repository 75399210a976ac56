"""The emulator is as strict as the service (issue 12): the ISA check, noise from calibration
data, the simulator backend, fake-provider snapshots, errors that point, and logs.

Over real HTTP, through the SDK (typed ``JobFailedError.reason_code``), raw REST and
qiskit-ibm-runtime. The statistical tests are seeded (their counts are the same on every run)
and their bounds are 5 standard deviations wide besides the model's own slack, so that a new
qiskit-aer cannot make them flake either.
"""

from __future__ import annotations

import copy
import logging
import math
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from qiskit import QuantumCircuit, qasm3
from qiskit.transpiler import generate_preset_pass_manager
from qiskit_runtime_emulator.backends import DEVICES, get_backend, load_snapshot
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.executor import FULL_NOISE_QUBITS, validate_params
from qiskit_runtime_emulator.isa import build_target
from qiskit_runtime_emulator.noise import noise_model
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import (
    BadRequestError,
    EstimatorOptions,
    EstimatorPub,
    JobFailedError,
    Runtime,
    SamplerOptions,
    SamplerPub,
)

from tests.conftest import client_for, connect, wait_until
from tests.served import ServedEmulator
from tests.targets import describe, official_target

DEVICE = "ibm_emulator_5q"  # cz, rz, sx, x, id; qubits 0-1-2-3-4 in a line
SIMULATOR = "ibm_emulator_simulator"
NON_ISA = "Failed - Circuits do not match the target definition (non-ISA circuits)."

BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] meas; h q[0]; cx q[0], q[1]; '
    "meas = measure q;"
)
# The same Bell pair as an ISA circuit of ibm_emulator_5q (h = rz sx rz; cx = h cz h).
ISA_BELL = """OPENQASM 3.0; include "stdgates.inc"; bit[2] meas;
rz(pi/2) $0; sx $0; rz(pi/2) $0; rz(pi/2) $1; sx $1; rz(pi/2) $1;
cz $0, $1; rz(pi/2) $1; sx $1; rz(pi/2) $1;
meas[0] = measure $0; meas[1] = measure $1;"""
ISA_BELL_STATE = ISA_BELL.split("meas[0]")[0].replace("bit[2] meas;", "")


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    config = EmulatorConfig(
        strict_responses=True,
        fake_backends=("FakeManilaV2=fake_manila", "FakeSherbrooke"),
    )
    with EmulatorServer(config) as srv:
        yield srv
    assert srv.state.violation_count == 0, srv.state.response_violations


@pytest.fixture(scope="module")
def rt(server: EmulatorServer) -> Iterator[Runtime]:
    with connect(server) as runtime:
        yield runtime


def _ghz(n: int) -> QuantumCircuit:
    """An n-qubit GHZ circuit, measured."""
    circuit = QuantumCircuit(n)
    circuit.h(0)
    for q in range(n - 1):
        circuit.cx(q, q + 1)
    return circuit.measure_all(inplace=False)


def _failure(job: Any) -> JobFailedError:
    with pytest.raises(JobFailedError) as caught:
        job.result(timeout=120)
    return caught.value


def _counts(result: Any) -> dict[str, int]:
    total: dict[str, int] = {}
    for pub in result:
        for key, n in pub.data.meas.get_counts().items():
            total[key] = total.get(key, 0) + n
    return total


def _published(
    backend: Any,
) -> tuple[dict[int, dict[str, float]], dict[tuple[str, tuple[int, ...]], float]]:
    """Per qubit {name: value} and per (gate, qubits) the gate error, from the properties."""
    props = backend.properties()
    qubits = {i: {n["name"]: n["value"] for n in q} for i, q in enumerate(props["qubits"])}
    gates = {
        (g["gate"], tuple(g["qubits"])): p["value"]
        for g in props["gates"]
        for p in g["parameters"]
        if p["name"] == "gate_error"
    }
    return qubits, gates


# ---------------------------------------------------------------------------- the ISA check


def test_a_non_isa_gate_fails_the_job_with_code_1517(rt: Runtime) -> None:
    job = rt.sampler(DEVICE).run([SamplerPub(BELL, shots=10)])
    failure = _failure(job)
    assert failure.reason_code == 1517 and failure.status == "Failed"
    assert failure.reason is not None and failure.reason.startswith(NON_ISA)
    assert failure.reason.endswith(
        "pubs[0][0]: instruction 0, h on qubit 0: h is not an instruction of ibm_emulator_5q "
        "(it has cz, delay, for_loop, id, if_else, measure, reset, rz, switch_case, sx, x)"
    )
    assert failure.reason_solution is not None
    assert "generate_preset_pass_manager" in failure.reason_solution
    # The request succeeded (the job exists) and the job never ran.
    assert job.status() == "Failed" and job.usage() == 0
    logs = job.logs()
    assert "Job failed (code 1517): Failed - Circuits do not match" in logs
    assert "Solution: Transpile your circuits" in logs and "Job started" not in logs


@pytest.mark.parametrize(
    ("backend", "program", "detail"),
    [
        (
            DEVICE,
            "bit[1] c; cz $0, $2; c[0] = measure $0;",
            "instruction 0, cz on qubits (0, 2): qubits 0 and 2 are not coupled on "
            "ibm_emulator_5q (cz acts on qubit 0 with 1 only)",
        ),
        (
            DEVICE,
            "qubit[6] q; bit[6] c; x q[0]; c = measure q;",
            "the circuit has 6 qubits but ibm_emulator_5q has 5",
        ),
        (
            DEVICE,
            "bit[1] c; x $7; c[0] = measure $7;",
            "the circuit has 8 qubits but ibm_emulator_5q has 5",
        ),
        (  # dynamic circuits: the devices list if_else, for_loop and switch_case, not while
            DEVICE,
            "bit[1] c; c[0] = measure $0; while (c[0]) { x $0; c[0] = measure $0; }",
            "instruction 1, while_loop on qubit 0: while_loop is not an instruction of "
            "ibm_emulator_5q",
        ),
        (
            DEVICE,
            "bit[1] c; c[0] = measure $0; if (c[0]) { x $0; h $0; }",
            "instruction 1 of block 0 of if_else (instruction 1), h on qubit 0: h is not an "
            "instruction",
        ),
    ],
    ids=["uncoupled", "too-many-qubits", "qubit-beyond", "while", "nested"],
)
def test_isa_violations_name_the_pub_instruction_and_qubits(
    rt: Runtime, backend: str, program: str, detail: str
) -> None:
    circuit = f'OPENQASM 3.0; include "stdgates.inc"; {program}'
    ok = 'OPENQASM 3.0; include "stdgates.inc"; bit[1] c; x $0; c[0] = measure $0;'
    job = rt.sampler(backend).run([SamplerPub(ok, shots=5), SamplerPub(circuit, shots=5)])
    failure = _failure(job)
    assert failure.reason_code == 1517
    assert failure.reason is not None and failure.reason.startswith(f"{NON_ISA} pubs[1][0]: ")
    assert detail in failure.reason, failure.reason


def test_two_qubit_gates_act_in_the_targets_direction(rt: Runtime) -> None:
    """Eagle devices couple each pair in one direction only (ecr on (0, 1), not (1, 0))."""
    circuit = QuantumCircuit(127, 1)
    circuit.x(0)
    circuit.ecr(1, 0)
    circuit.measure(0, 0)
    failure = _failure(rt.sampler("ibm_emulator_127q").run([SamplerPub(circuit, shots=5)]))
    assert failure.reason_code == 1517 and failure.reason is not None
    assert failure.reason.endswith(
        "pubs[0][0]: instruction 1, ecr on qubits (1, 0): ecr acts on qubits (0, 1) of "
        "ibm_emulator_127q in that direction only, not on (1, 0)"
    )
    circuit.data[1] = circuit.data[1].replace(qubits=(circuit.qubits[0], circuit.qubits[1]))
    assert rt.sampler("ibm_emulator_127q").run([SamplerPub(circuit, shots=5)]).result()


def test_a_non_isa_observable_fails_the_job_over_rest(server: EmulatorServer, rt: Runtime) -> None:
    """The SDK (like qiskit-ibm-runtime) refuses observables of the wrong width before sending;
    a REST client that sends one gets the service's job failure."""
    api = client_for(server)
    try:
        pub = [ISA_BELL_STATE, [["ZZ"], ["IZZ"]]]  # the circuit has 2 qubits ($0, $1)
        body = {
            "program_id": "estimator",
            "backend": DEVICE,
            "params": {"pubs": [pub], "version": 2},
        }
        job_id = api.submit(body)
        state = api.wait(job_id)
    finally:
        api.close()
    assert state["status"] == "Failed" and state["state"]["reason_code"] == 1517
    assert state["state"]["reason"] == (
        f"{NON_ISA} pubs[0][1][1][0]: the Pauli string 'IZZ' acts on 3 qubits but the circuit "
        "has 2; an ISA observable acts on the circuit's physical qubits (map it with "
        "SparsePauliOp.apply_layout(isa_circuit.layout))"
    )
    failure = _failure(rt.job(job_id))  # the SDK's typed error for the same job
    assert failure.reason_code == 1517


def test_the_official_client_reports_1517_as_the_service_does(
    server: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """qiskit-ibm-runtime checks ISA circuits before submitting; with that check out of the way
    (as for a client that does not check), the job fails and the client raises what it raises
    against IBM Quantum."""
    from qiskit_ibm_runtime import QiskitRuntimeService, SamplerV2, base_primitive
    from qiskit_ibm_runtime.exceptions import RuntimeJobFailureError

    monkeypatch.setenv("IAM_URL", server.iam_url)
    monkeypatch.setenv("QISKIT_FUNCTIONS_EXPERIMENTAL", "1")
    monkeypatch.setattr(base_primitive, "validate_isa_circuits", lambda *args, **kwargs: None)
    service = QiskitRuntimeService(
        channel="ibm_quantum_platform",
        token=server.api_key,
        instance=server.crn,
        url=server.client_url,
    )
    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    bell.measure_all()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # SamplerV2 in 0.51
        job = SamplerV2(mode=service.backend(DEVICE)).run([bell], shots=10)
    with pytest.raises(RuntimeJobFailureError, match=r"Error code 1517; Failed - Circuits do not"):
        job.result()
    assert job.status() == "ERROR"


def test_the_official_client_runs_any_circuit_on_the_simulator_backend(
    server: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """qiskit-ibm-runtime skips its ISA check for a backend whose configuration says
    ``simulator: true``, and the emulator runs the circuit as it is."""
    from qiskit_ibm_runtime import QiskitRuntimeService, SamplerV2

    monkeypatch.setenv("IAM_URL", server.iam_url)
    monkeypatch.setenv("QISKIT_FUNCTIONS_EXPERIMENTAL", "1")
    service = QiskitRuntimeService(
        channel="ibm_quantum_platform",
        token=server.api_key,
        instance=server.crn,
        url=server.client_url,
    )
    backend = service.backend(SIMULATOR)
    assert backend.configuration().simulator and backend.num_qubits == 32
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # SamplerV2 in 0.51
        job = SamplerV2(mode=backend).run([_ghz(3)], shots=100)
    assert set(job.result()[0].data.meas.get_counts()) == {"000", "111"}


@pytest.mark.parametrize("name", ["ibm_emulator_27q", "ibm_emulator_127q", "ibm_sherbrooke"])
def test_circuits_transpiled_against_the_target_run(rt: Runtime, name: str) -> None:
    from qiskit.quantum_info import SparsePauliOp

    backend = rt.backend(name)
    pm = generate_preset_pass_manager(
        target=backend.target, optimization_level=1, seed_transpiler=3
    )
    bell = QuantumCircuit(2)
    bell.h(0)
    bell.cx(0, 1)
    isa = pm.run(bell)
    assert isa.num_qubits == backend.num_qubits
    measured = pm.run(bell.measure_all(inplace=False))
    counts = rt.sampler(name).run([SamplerPub(measured, shots=2000)]).result()[0]
    counts = counts.data.meas.get_counts()
    assert counts.get("00", 0) + counts.get("11", 0) > 1700, counts  # noisy, still a Bell pair
    zz = SparsePauliOp("ZZ").apply_layout(isa.layout)
    evs = rt.estimator(name).run([EstimatorPub(isa, zz, precision=0.01)]).result()[0].data.evs
    assert 0.8 < float(evs) < 1.05


def test_the_simulator_backend_runs_anything(rt: Runtime) -> None:
    configuration = rt.backend(SIMULATOR).configuration()
    assert configuration.simulator is True and configuration.num_qubits == 32
    assert rt.backend(SIMULATOR).properties() is None
    program = """OPENQASM 3.0; include "stdgates.inc";
    gate flip a, b { x a; swap a, b; }
    qubit[4] q; bit[4] c;
    h q[0]; cx q[0], q[1]; flip q[2], q[3]; ccx q[0], q[1], q[2]; u3(pi, 0, pi) q[1];
    c[0] = measure q[0];
    while (c[0]) { x q[0]; c[0] = measure q[0]; }
    c[1] = measure q[1]; c[2] = measure q[2]; c[3] = measure q[3];"""
    counts = rt.sampler(SIMULATOR).run([SamplerPub(program, shots=400)]).result()[0].data
    # q0 ends in 0 (the loop resets it); q1 = not q0_initial; q2 = q0_initial; q3 = 1.
    assert set(counts.c.get_counts()) == {"1010", "1100"}, counts.c.get_counts()
    wide = "OPENQASM 3.0; qubit[33] q; bit[1] c; c[0] = measure q[32];"
    failure = _failure(rt.sampler(SIMULATOR).run([SamplerPub(wide, shots=5)]))
    assert failure.reason_code == 1517
    assert failure.reason is not None
    assert failure.reason.endswith("the circuit has 33 qubits but ibm_emulator_simulator has 32")


# ---------------------------------------------------------------------------- noise


def test_noisy_bell_matches_the_published_errors(rt: Runtime) -> None:
    """A Bell pair on a device reads 01 or 10 as often as its calibration says.

    Model: the two bits are read with the published assignment errors a_i = P(1|0) and
    b_i = P(0|1), the pair being 00 or 11 half of the time each, which gives
    P_ro = (a_0 + a_1 - 2 a_0 a_1 + b_0 + b_1 - 2 b_0 b_1) / 2; each gate's depolarizing error
    (its published gate_error e, less the relaxation during the gate) leaves the parity random
    with probability 4e/3 for the two-qubit gate, and the pair's parity is then odd half of the
    time: the gates add P_g = 2/3 (e_cz + e_sx0 + 2 e_sx1). Both independent:
    P_odd = P_ro + P_g - 2 P_ro P_g. Bound: 5 standard deviations of the estimate at 400,000
    shots, plus 10 % of P_g for the part of the gate errors that is relaxation, which acts on
    the parity otherwise.
    """
    qubits, gates = _published(get_backend(DEVICE))
    a = [qubits[q]["prob_meas1_prep0"] for q in (0, 1)]
    b = [qubits[q]["prob_meas0_prep1"] for q in (0, 1)]
    p_ro = (a[0] + a[1] - 2 * a[0] * a[1] + b[0] + b[1] - 2 * b[0] * b[1]) / 2
    p_g = 2 / 3 * (gates[("cz", (0, 1))] + gates[("sx", (0,))] + 2 * gates[("sx", (1,))])
    predicted = p_ro + p_g - 2 * p_ro * p_g
    shots = 4 * 100_000
    options = SamplerOptions(simulator={"seed_simulator": 1234})
    sampler = rt.sampler(DEVICE, options=options)
    result = sampler.run([SamplerPub(ISA_BELL, shots=100_000)] * 4).result()
    counts = _counts(result)
    observed = (counts.get("01", 0) + counts.get("10", 0)) / shots
    sigma = math.sqrt(predicted * (1 - predicted) / shots)
    bound = 5 * sigma + 0.1 * p_g
    assert abs(observed - predicted) < bound, (observed, predicted, bound)
    # What the bound excludes: no gate errors, or readout errors alone.
    assert abs(p_ro - predicted) > bound and observed > 0.01
    # The same seed gives the same counts, bit for bit.
    again = sampler.run([SamplerPub(ISA_BELL, shots=100_000)] * 4).result()
    assert all(
        np.array_equal(x.data.meas.array, y.data.meas.array)
        for x, y in zip(result, again, strict=True)
    )


def test_the_estimator_carries_gate_noise_and_no_readout_error(rt: Runtime) -> None:
    _, gates = _published(get_backend(DEVICE))
    p_g = 2 / 3 * (gates[("cz", (0, 1))] + gates[("sx", (0,))] + 2 * gates[("sx", (1,))])
    pub = EstimatorPub(ISA_BELL_STATE, ["ZZ", "ZI"], precision=0.0005)
    estimator = rt.estimator(DEVICE, options=EstimatorOptions(seed_estimator=5))
    zz, zi = estimator.run([pub]).result()[0].data.evs
    # <ZZ> = 1 - 2 P_odd with the gates' share of P_odd only; the readout errors (about 2 %)
    # would take it to about 0.95.
    assert abs(zz - (1 - 2 * p_g)) < 5 * 0.0005 + 0.2 * p_g, (zz, 1 - 2 * p_g)
    assert abs(zi) < 0.01


def test_idle_measured_qubits_show_their_readout_error(rt: Runtime) -> None:
    """Qubit 4 is only measured (left out of the simulation): its readout error is drawn from
    its published P(1|0); qubit 3 is flipped by x, then read with P(0|1)."""
    qubits, gates = _published(get_backend(DEVICE))
    program = (
        'OPENQASM 3.0; include "stdgates.inc"; bit[2] meas; x $3; '
        "meas[0] = measure $4; meas[1] = measure $3;"
    )
    shots = 100_000
    options = SamplerOptions(simulator={"seed_simulator": 99})
    bits = rt.sampler(DEVICE, options=options).run([SamplerPub(program, shots=shots)])
    array = bits.result()[0].data.meas.to_bool_array(order="little")
    p01 = qubits[4]["prob_meas1_prep0"]
    assert abs(array[:, 0].mean() - p01) < 5 * math.sqrt(p01 * (1 - p01) / shots)
    p10 = qubits[3]["prob_meas0_prep1"]
    e_x = gates[("x", (3,))]
    zeros = 1 - array[:, 1].mean()
    assert abs(zeros - p10) < 5 * math.sqrt(p10 * (1 - p10) / shots) + e_x


def test_noise_off_reproducible_seeds_and_the_servers_seed(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    quiet = make_emulator(EmulatorConfig(noiseless_backends=(DEVICE,)))
    with connect(quiet) as rt:
        counts = rt.sampler(DEVICE).run([SamplerPub(ISA_BELL, shots=4000)]).result()[0]
        assert set(counts.data.meas.get_counts()) == {"00", "11"}
        assert "without noise (noise is turned off" in rt.jobs(limit=1).__next__().logs()
        # The other devices keep their noise: readout errors on |1> and on |0>.
        ones = 'OPENQASM 3.0; include "stdgates.inc"; bit[2] c; x $0; c = measure $0, $1;'.replace(
            "c = measure $0, $1;", "c[0] = measure $0; c[1] = measure $1;"
        )
        noisy = rt.sampler("ibm_emulator_27q").run([SamplerPub(ones, shots=4000)])
        assert len(noisy.result()[0].data.c.get_counts()) >= 3
    arrays = []
    for _ in range(2):  # two servers with the same seed: jobs without one of their own agree
        seeded = make_emulator(EmulatorConfig(seed=21))
        with connect(seeded) as rt:
            result = rt.sampler(DEVICE).run([SamplerPub(ISA_BELL, shots=2000)]).result()
            arrays.append(result[0].data.meas.array)
            assert "seed 21" in rt.jobs(limit=1).__next__().logs()
    assert np.array_equal(arrays[0], arrays[1])
    assert len({bytes(a) for a in arrays[0]}) > 2  # noisy: 01 or 10 among the shots


def _total_variation(a: dict[str, int], b: dict[str, int]) -> float:
    na, nb = sum(a.values()), sum(b.values())
    return 0.5 * sum(abs(a.get(k, 0) / na - b.get(k, 0) / nb) for k in set(a) | set(b))


def test_agrees_with_the_local_testing_mode_on_the_same_snapshot(rt: Runtime) -> None:
    """The emulator serving FakeManilaV2's snapshot and qiskit-ibm-runtime's local testing mode
    (``SamplerV2(mode=FakeManilaV2())``) give the same noisy distributions: total-variation
    distance at most 0.03 at 20,000 shots each (two runs of either side differ by about 0.003
    for Bell and 0.01 for GHZ-5; a wrong model, e.g. no readout error, gives 0.05 or more)."""
    from qiskit_ibm_runtime import SamplerV2
    from qiskit_ibm_runtime.fake_provider import FakeManilaV2

    fake = FakeManilaV2()
    pm = generate_preset_pass_manager(
        target=rt.backend("fake_manila").target, optimization_level=1, seed_transpiler=7
    )
    shots = 20_000
    for n in (2, 5):
        isa = pm.run(_ghz(n))
        options = SamplerOptions(simulator={"seed_simulator": 11})
        ours = rt.sampler("fake_manila", options=options).run([SamplerPub(isa, shots=shots)])
        ours_counts = ours.result()[0].data.meas.get_counts()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # SamplerV2 in 0.51
            local = SamplerV2(mode=fake, options={"simulator": {"seed_simulator": 13}})
        theirs = local.run([isa], shots=shots).result()[0].data.meas.get_counts()
        noiseless = {"0" * n: shots // 2, "1" * n: shots // 2}
        assert _total_variation(ours_counts, theirs) < 0.03, (n, ours_counts, theirs)
        assert _total_variation(theirs, noiseless) > 0.05  # the bound sees the noise


# ---------------------------------------------------------------------------- calibration


@pytest.mark.parametrize(
    "name", [*DEVICES, "FakeManilaV2", "FakeSherbrooke", "FakeFez", "FakeTorino"]
)
def test_the_emulators_target_is_the_official_clients(name: str) -> None:
    from qiskit_ibm_runtime.utils.backend_converter import convert_to_target
    from qiskit_ibm_runtime.utils.backend_decoder import (
        configuration_from_server_data,
        properties_from_server_data,
    )

    backend = DEVICES[name] if name in DEVICES else load_snapshot(name)
    conf, props = backend.configuration(), backend.properties()
    ours = build_target(conf, props)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = convert_to_target(
            configuration_from_server_data(copy.deepcopy(conf)),
            properties_from_server_data(copy.deepcopy(props)),
        )
    assert describe(ours, 12) == describe(theirs, 12)


def test_a_snapshot_is_served_as_the_device(server: EmulatorServer, rt: Runtime) -> None:
    from qiskit_ibm_runtime.fake_provider import FakeSherbrooke

    expected = describe(FakeSherbrooke().target)
    backend = rt.backend("ibm_sherbrooke")
    assert backend.num_qubits == 127 and not backend.simulator
    assert describe(backend.target) == expected
    assert describe(official_target(server, "ibm_sherbrooke")) == expected
    listed = {b.name: b for b in rt.backends()}
    assert {"fake_manila", "ibm_sherbrooke"} <= set(listed)
    with pytest.raises(ValueError, match=r"unknown fake backend 'FakeNowhere'; .*FakeSherbrooke"):
        EmulatorServer(EmulatorConfig(fake_backends=("FakeNowhere",)))
    with pytest.raises(ValueError, match="noiseless_backends: unknown backend"):
        EmulatorServer(EmulatorConfig(noiseless_backends=("ibm_nowhere",)))


def test_the_noise_model_is_the_local_testing_modes_on_the_qubits_used() -> None:
    """For physical qubits (2, 1) of FakeManilaV2, renumbered (0, 1): the same gate and readout
    errors as qiskit-ibm-runtime's model of the whole device, and nothing else."""
    from qiskit.quantum_info import average_gate_fidelity
    from qiskit_ibm_runtime.fake_provider import FakeManilaV2

    snapshot = load_snapshot("FakeManilaV2")
    assert snapshot.calibration is not None
    ours = noise_model(snapshot.calibration, (2, 1))
    theirs = FakeManilaV2()._get_noise_model_from_backend_v2()
    rename = {0: 2, 1: 1}
    local = ours._local_quantum_errors
    assert local and {len(q) for g in local.values() for q in g} == {1, 2}
    for gate, errors in local.items():
        for qubits, error in errors.items():
            physical = tuple(rename[q] for q in qubits)
            reference = theirs._local_quantum_errors[gate][physical]
            assert average_gate_fidelity(error) == pytest.approx(
                average_gate_fidelity(reference), abs=1e-12
            ), (gate, physical)
    for qubits, readout in ours._local_readout_errors.items():
        reference = theirs._local_readout_errors[(rename[qubits[0]],)]
        np.testing.assert_allclose(readout.probabilities, reference.probabilities)
    assert ours._local_readout_errors.keys() == {(0,), (1,)}
    # Wider circuits get the Pauli twirl of the same errors: same fidelities.
    twirled = noise_model(snapshot.calibration, (2, 1), pauli=True)
    error = twirled._local_quantum_errors["cx"][(1, 0)]
    assert average_gate_fidelity(error) == pytest.approx(
        average_gate_fidelity(ours._local_quantum_errors["cx"][(1, 0)]), abs=1e-12
    )
    assert FULL_NOISE_QUBITS == 10


def test_wide_clifford_circuits_run_with_the_twirled_noise(rt: Runtime) -> None:
    name = "ibm_emulator_27q"
    pm = generate_preset_pass_manager(
        target=rt.backend(name).target, optimization_level=1, seed_transpiler=5
    )
    n = FULL_NOISE_QUBITS + 2
    isa = pm.run(_ghz(n))
    options = SamplerOptions(simulator={"seed_simulator": 8})
    counts = rt.sampler(name, options=options).run([SamplerPub(isa, shots=2000)]).result()
    counts = counts[0].data.meas.get_counts()
    ends = counts.get("0" * n, 0) + counts.get("1" * n, 0)
    assert 1000 < ends < 1990, counts  # mostly GHZ, visibly noisy


# ---------------------------------------------------------------------------- errors, logs


@pytest.mark.parametrize(
    ("program", "detail"),
    [
        (
            'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c; h q[0]\n'
            "cx q[0], q[1]; c = measure q;",
            "line 2, column 1: unexpected 'cx', expected ';'",
        ),
        (
            "OPENQASM 3.0; qubit[2] q; bit[2] c;\nc = measure q; c[0] = = 1;",
            "line 2, column 23: unexpected '='",
        ),
        (
            'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c;\n\n  foo q[0];',
            "line 3, column 3: gate 'foo' is not defined",
        ),
        (
            'OPENQASM 2.0; include "qelib1.inc"; qreg q[2]; creg c[2];\nh q[0]\ncx q[0],q[1];',
            "line 3, column 1: needed ';', but instead saw an identifier (at 'cx')",
        ),
    ],
    ids=["missing-semicolon", "unexpected-token", "undefined-gate", "qasm2"],
)
def test_parse_errors_give_line_column_and_token(rt: Runtime, program: str, detail: str) -> None:
    ok = 'OPENQASM 3.0; include "stdgates.inc"; qubit[1] q; bit[1] c; c[0] = measure q[0];'
    with pytest.raises(BadRequestError) as caught:
        rt.sampler(SIMULATOR).run([SamplerPub(ok), SamplerPub(program)])
    message = caught.value.errors[0].message
    assert message == f"Invalid params: pubs[1][0]: the OpenQASM program does not parse: {detail}"


def test_each_request_and_job_transition_is_logged(
    rt: Runtime, server: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="qiskit_runtime_emulator"):
        job = rt.sampler(SIMULATOR).run([SamplerPub(BELL, shots=5)])
        job.result(timeout=60)
        failed = rt.sampler(DEVICE).run([SamplerPub(BELL, shots=5)])
        _failure(failed)
    access = [r.getMessage() for r in caplog.records if r.name.endswith(".access")]
    jobs = [r.getMessage() for r in caplog.records if r.name.endswith(".jobs")]
    post = next(line for line in access if line.startswith("POST /api/v1/jobs 200 "))
    assert post.endswith(f" ms instance={server.crn}")
    assert any(line.startswith(f"GET /api/v1/jobs/{job.id} 200 ") for line in access)
    assert any(line.startswith("POST /identity/token") for line in access) or access
    for status in ("Queued", "Running", "Completed"):
        assert any(
            line.startswith(f"job {job.id} {status}: sampler on {SIMULATOR}") for line in jobs
        )
    assert any(f"job {failed.id} Failed" in line and "code 1517" in line for line in jobs)
    text = "\n".join(access + jobs)
    assert server.api_key not in text and "Bearer" not in text
    # Options that change nothing are in the job's own log.
    options = SamplerOptions(twirling={"enable_gates": True}, dynamical_decoupling={"enable": True})
    warned = rt.sampler(SIMULATOR, options=options).run([SamplerPub(BELL, shots=5)])
    warned.result(timeout=60)
    logs = warned.logs()
    assert "options.twirling is recorded but has no effect" in logs
    assert "options.dynamical_decoupling is recorded but has no effect" in logs
    assert "The job is simulated without noise (a simulator backend); seed random" in logs


def test_serve_logs_at_the_chosen_level(tmp_path: Path) -> None:
    config = {"workers": 1, "fake_backends": ["FakeManilaV2=fake_manila"]}
    (tmp_path / "info").mkdir()
    (tmp_path / "warning").mkdir()
    with ServedEmulator(config, tmp_path / "info", log_level="info") as served:
        banner = served.out_path.read_text()
        assert "fake_manila (noisy)" in banner and f"{SIMULATOR} (simulator)" in banner
        with served.client() as http:
            body = {
                "program_id": "sampler",
                "backend": SIMULATOR,
                "params": {"pubs": [[BELL, None, 5]], "version": 2},
            }
            job_id = http.post("/jobs", json=body).json()["id"]
            wait_until(lambda: http.get(f"/jobs/{job_id}").json()["status"] == "Completed")
        lines = served.errors().splitlines()
    assert any("qiskit_runtime_emulator.access: POST /api/v1/jobs 200 " in ln for ln in lines)
    assert any(f"qiskit_runtime_emulator.jobs: job {job_id} Completed" in ln for ln in lines)
    assert not any("Bearer" in ln or "emulator-api-key" in ln for ln in lines)
    with ServedEmulator({"workers": 1}, tmp_path / "warning") as served, served.client() as http:
        assert http.get("/backends").status_code == 200
        assert "access" not in served.errors()


def test_validation_runs_the_isa_check_once_per_pub() -> None:
    """``validate_params`` (what executor programs and the API share) finds the first violation
    in PUB order and leaves valid jobs alone."""
    device = get_backend(DEVICE)
    ok = validate_params("sampler", {"pubs": [[ISA_BELL]]}, device)
    assert ok.violation is None and ok.noise is not None
    bad = validate_params("sampler", {"pubs": [[ISA_BELL], [BELL], [BELL]]}, device)
    assert bad.violation is not None and " pubs[1][0]: instruction 0, h on" in bad.violation
    simulator = validate_params("sampler", {"pubs": [[BELL]]}, get_backend(SIMULATOR))
    assert simulator.violation is None and simulator.noise is None
    circuit = qasm3.loads(ISA_BELL)
    assert validate_params("sampler", {"pubs": [[qasm3.dumps(circuit)]]}, device).violation is None


# ---------------------------------------------------------------------------- long variants


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_noisy_ghz_state_on_all_127_qubits(rt: Runtime) -> None:
    """127 active qubits: the Pauli-twirled model on Aer's stabilizer method (~25 s)."""
    name = "ibm_emulator_127q"
    pm = generate_preset_pass_manager(
        target=rt.backend(name).target, optimization_level=1, seed_transpiler=5
    )
    isa = pm.run(_ghz(127))
    options = SamplerOptions(simulator={"seed_simulator": 3})
    meas = rt.sampler(name, options=options).run([SamplerPub(isa, shots=1000)]).result()[0]
    bits = meas.data.meas.to_bool_array(order="little")
    ones = bits.mean(axis=1)
    # Mostly near all-0 or all-1, with noise: neither perfect nor random.
    assert 0.3 < np.mean(ones < 0.5) < 0.7
    assert np.mean((ones < 0.1) | (ones > 0.9)) > 0.5 and np.mean((ones == 0) | (ones == 1)) < 0.5


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("fake", ["FakeManilaV2", "FakeSherbrooke"])
def test_agrees_with_the_local_testing_mode_at_100000_shots(
    make_emulator: Callable[..., EmulatorServer], fake: str
) -> None:
    """The local-testing-mode comparison with 5 times the shots and a bound of 0.015 (the
    statistical distance at 100,000 shots is about 0.005), on a 5- and a 127-qubit snapshot."""
    from qiskit_ibm_runtime import SamplerV2, fake_provider

    backend = getattr(fake_provider, fake)()
    server = make_emulator(EmulatorConfig(fake_backends=(f"{fake}=served",)))
    with connect(server) as rt:
        pm = generate_preset_pass_manager(
            target=rt.backend("served").target, optimization_level=1, seed_transpiler=7
        )
        isa = pm.run(_ghz(5))
        options = SamplerOptions(simulator={"seed_simulator": 17})
        pubs = [SamplerPub(isa, shots=100_000)]
        ours = rt.sampler("served", options=options).run(pubs).result()[0].data.meas.get_counts()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # SamplerV2 in 0.51
        local = SamplerV2(mode=backend, options={"simulator": {"seed_simulator": 19}})
    theirs = local.run([isa], shots=100_000).result()[0].data.meas.get_counts()
    assert _total_variation(ours, theirs) < 0.015, (ours, theirs)
