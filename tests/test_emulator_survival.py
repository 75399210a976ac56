"""The emulator survives its users (issue 11), each check against a running server.

The server runs as ``qiskit-runtime-emulator serve`` in a process of its own
(:class:`tests.served.ServedEmulator`), with two instances and two workers, so that its memory
can be measured and its worker processes killed. No check depends on how fast this machine is:
"the API answers while every worker is busy" is an ordering (the probes come back while both
workers' jobs are still running), "another tenant's job runs within one scheduling slot" too
(it starts before the first tenant's job that was queued before it); durations are printed as
figures, and the bounds on memory are generous.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import errno
import json
import logging
import os
import resource
import signal
import socket
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import numpy as np
import psutil
import pytest
from qiskit_runtime_emulator.admission import admit_params
from qiskit_runtime_emulator.cli import build_parser
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.connections import quiet_exception_handler
from qiskit_runtime_emulator.errors import ApiError
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import BadRequestError, RequestTooLargeError, SamplerPub

from tests.conftest import EmulatorClient, client_for, connect, wait_until
from tests.served import SECOND_API_KEY, SECOND_CRN, PeakRSS, ServedEmulator

BELL = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c; h q[0]; cx q[0], q[1]; '
    "c = measure q;"
)
# Never ends: qubit 0 stays in |0>, so c[0] is always false.
WHILE = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[1] q; bit[1] c; c[0] = measure q[0]; '
    "while (c[0] == false) { x q[0]; x q[0]; c[0] = measure q[0]; }"
)
# 10,000 iterations (within max_loop_iterations) of a 20-qubit layer: minutes of simulation.
FOR = (
    'OPENQASM 3.0; include "stdgates.inc"; qubit[20] q; bit[2] c; '
    "for uint i in [0:9999] { h q; rz(0.1) q[0]; cx q[0], q[1]; } "
    "c[0] = measure q[0]; c[1] = measure q[1];"
)
FINAL = {"Completed", "Failed", "Cancelled", "Cancelled - Ran too long"}
MIB = 1 << 20
RSS_BOUND = 1024 * MIB
"""The API process stays under 1 GiB whatever a request asks for (it idles at ~250 MiB)."""

CONFIG: dict[str, Any] = {
    "workers": 2,
    "test_knobs": True,
    "strict_responses": True,
    "worker_memory_mb": 3072,
    "noise": False,  # these tests are about workers and limits, not noise
}
SIMULATOR = "ibm_emulator_simulator"  # runs the hand-written circuits below (not ISA circuits)


def sampler(qasm: str, *, backend: str = SIMULATOR, shots: int = 10, **body: Any) -> Any:
    return {
        "program_id": "sampler",
        "backend": backend,
        "params": {"pubs": [[qasm, None, shots]], "version": 2},
        **body,
    }


def submit(client: httpx.Client, job: dict[str, Any]) -> str:
    r = client.post("/jobs", json=job)
    assert r.status_code == 200, r.text
    return str(r.json()["id"])


def job(client: httpx.Client, job_id: str) -> dict[str, Any]:
    r = client.get(f"/jobs/{job_id}", params={"exclude_params": "true"})
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def wait(
    client: httpx.Client, job_id: str, statuses: set[str] = FINAL, timeout: float = 120
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        state = job(client, job_id)
        if state["status"] in statuses:
            return state
        assert time.monotonic() < deadline, f"job {job_id} still {state['status']}"
        time.sleep(0.05)


def running_at(client: httpx.Client, job_id: str) -> str:
    stamps = client.get(f"/jobs/{job_id}/metrics").json()["timestamps"]
    return str(stamps["running"])


def _alive(proc: psutil.Process) -> bool:
    """Still running (a zombie is not; is_running() tells a reused pid from the process)."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _describe(pid: int) -> str:
    try:
        proc = psutil.Process(pid)
        return f"{pid}: {proc.status()} ppid {proc.ppid()} {proc.cmdline()[:4]}"
    except psutil.Error as exc:
        return f"{pid}: {exc!r}"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedEmulator]:
    with ServedEmulator(CONFIG, tmp_path_factory.mktemp("served")) as server:
        yield server
        assert "Traceback" not in server.errors(), server.errors()[-3000:]


# ---------------------------------------------------------------------------- execution


def test_endless_and_long_jobs_stop_at_their_cost_while_others_are_served(
    served: ServedEmulator,
) -> None:
    with served.client() as a, served.client(second=True) as b:
        endless = submit(a, sampler(WHILE, cost=4))
        long_for = submit(a, sampler(FOR, cost=7))
        backlog = submit(a, sampler(BELL))  # instance A's third job waits for a worker
        for job_id in (endless, long_for):
            wait(a, job_id, {"Running"})
        busy = served.workers()
        # Every worker is busy with a simulation that holds the interpreter lock; the API
        # answers anyway, and another instance's job gets the first worker that frees up.
        latencies = []
        for _ in range(5):
            t0 = time.perf_counter()
            assert a.get("/backends").status_code == 200
            latencies.append(time.perf_counter() - t0)
        other = submit(b, sampler(BELL))
        assert job(a, endless)["status"] == job(a, long_for)["status"] == "Running"
        assert job(b, other)["status"] == "Queued" and job(a, backlog)["status"] == "Queued"
        print(f"\nGET /backends while both workers are busy: max {max(latencies) * 1e3:.1f} ms")

        done = wait(b, other)
        assert done["status"] == "Completed"
        assert job(a, long_for)["status"] == "Running"  # B's job ran in the first free slot
        assert running_at(b, other) < running_at(a, backlog)  # before A's earlier job
        for job_id, cost in ((endless, 4), (long_for, 7)):
            state = wait(a, job_id)
            assert state["status"] == "Cancelled - Ran too long", state
            assert state["state"]["reason_code"] == 1305
            usage = a.get(f"/jobs/{job_id}/metrics").json()["usage"]
            assert usage["qpu_charge_time_seconds"] >= cost
        assert wait(a, backlog)["status"] == "Completed"
        # The two workers were killed (their simulations never end) and replaced. SIGKILL is
        # asynchronous: a process freeing a large simulation takes a moment to exit.
        assert len(busy) == 2
        with contextlib.suppress(AssertionError):  # the assertion below says which is alive
            wait_until(lambda: not any(_alive(p) for p in busy), timeout=10)
        alive = [_describe(p.pid) for p in busy if _alive(p)]
        assert not alive, alive
        # replacements are forked as soon as the pool sees the death: wait for them, not a tick
        wait_until(lambda: len(served.workers()) == 2, timeout=30)


def test_a_killed_worker_fails_only_its_job(served: ServedEmulator) -> None:
    with served.client() as a, served.client(second=True) as b:
        victim = submit(a, sampler(WHILE, cost=600))
        wait(a, victim, {"Running"})
        # The worker that spins is the one that burns CPU time.
        workers = served.workers()
        first = {p.pid: p.cpu_times().user for p in workers}
        time.sleep(0.5)
        spinning = max(workers, key=lambda p: p.cpu_times().user - first[p.pid])
        bystander = submit(b, sampler(BELL))
        os.kill(spinning.pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would
        state = wait(a, victim)
        assert state["status"] == "Failed"
        assert "killed (SIGKILL)" in state["state"]["reason"]
        assert "other jobs were not affected" in state["state"]["reason"]
        assert wait(b, bystander)["status"] == "Completed"
        after = submit(a, sampler(BELL))
        assert wait(a, after)["status"] == "Completed"
        # replacements are forked as soon as the pool sees the death: wait for them, not a tick
        wait_until(lambda: len(served.workers()) == 2, timeout=30)


def test_sigterm_stops_a_server_whose_workers_never_finish(tmp_path: Path) -> None:
    with ServedEmulator(CONFIG, tmp_path) as served:
        with served.client() as a:
            for _ in range(2):
                wait(a, submit(a, sampler(WHILE, cost=600)), {"Running"})
        workers = served.workers()
        assert served.proc is not None
        served.proc.send_signal(signal.SIGTERM)
        assert served.proc.wait(60) == 0
    assert workers and not any(_alive(p) for p in workers)


def test_a_job_over_the_worker_memory_cap_fails_alone(served: ServedEmulator) -> None:
    wide = (
        'OPENQASM 3.0; include "stdgates.inc"; qubit[27] q; bit[27] c; '
        + "".join(f"h q[{i}]; t q[{i}]; " for i in range(27))
        + "c = measure q;"
    )  # a 27-qubit state vector: 2 GiB, more than the 3 GiB cap leaves
    with served.client() as a:
        big = submit(a, sampler(wide))
        small = submit(a, sampler(BELL))
        state = wait(a, big)
        assert state["status"] == "Failed"
        assert "memory" in state["state"]["reason"]
        assert "worker_memory_mb" in state["state"]["reason"]
        assert wait(a, small)["status"] == "Completed"
        assert wait(a, submit(a, sampler(BELL)))["status"] == "Completed"


# ---------------------------------------------------------------------------- admission

PARAMETRIC = (
    'OPENQASM 3.0; include "stdgates.inc"; input float[64] theta; qubit[1] q; bit[1] c; '
    "rx(theta) q[0]; c[0] = measure q[0];"
)
WIDE_127 = "OPENQASM 3.0; qubit[127] q; bit[127] c; c = measure q;"


def _raw_job(pubs_json: bytes) -> bytes:
    return (
        b'{"program_id":"sampler","backend":"ibm_emulator_simulator","params":{"pubs":'
        + pubs_json
        + b"}}"
    )


def _qpy_bomb() -> dict[str, str]:
    inflated = b"QISKIT" + bytes(64 * MIB)  # 64 MiB once inflated, 64 KiB on the wire
    return {
        "__type__": "QuantumCircuit",
        "__value__": base64.b64encode(zlib.compress(inflated, 9)).decode(),
    }


def _chunks(total: int, size: int = MIB) -> Iterator[bytes]:
    block = b" " * size
    while total > 0:
        yield block[: min(size, total)]
        total -= size


# name -> (request keyword arguments, expected status, what the message must name)
ATTACKS: dict[str, tuple[dict[str, Any], int, list[str]]] = {
    "64-byte program declaring 10,000,000 qubits": (
        {"json": sampler("OPENQASM 2.0; qreg q[10000000]; creg c[1]; measure q[0] -> c[0];")},
        400,
        ["10000000 qubits", "(max_circuit_qubits) is 2048"],
    ),
    "100,000,000 classical bits": (
        {"json": sampler("OPENQASM 3.0; qubit[1] q; bit[100000000] c; c[0] = measure q[0];")},
        400,
        ["100000000 classical bits", "(max_classical_bits) is 1024"],
    ),
    "1,000,000 bindings x 1 shot (9.5 MB)": (
        {
            "content": _raw_job(
                b'[["'
                + PARAMETRIC.replace('"', '\\"').encode()
                + b'",['
                + b",".join([b"[0.1]"] * 1_000_000)
                + b"],1]]"
            ),
            "headers": {"content-type": "application/json"},
        },
        400,
        ["holds 1000005 JSON arrays and objects", "(max_json_containers) is 500000"],
    ),
    "200,000 bindings x 1 shot (1.9 MB)": (
        {"json": {**sampler(PARAMETRIC), "params": {"pubs": [[PARAMETRIC, [[0.1]] * 200000, 1]]}}},
        400,
        ["200000 parameter bindings", "(max_bindings) is 100000"],
    ),
    "200 bindings x 100,000 shots": (
        {
            "json": {
                **sampler(PARAMETRIC),
                "params": {"pubs": [[PARAMETRIC, [[0.1]] * 200, 100000]]},
            }
        },
        400,
        ["20000000 executions", "(max_executions) is 10000000"],
    ),
    "a for loop of 1,000,000 iterations": (
        {"json": sampler(FOR.replace("[0:9999]", "[0:999999]"))},
        400,
        ["1000000 iterations", "(max_loop_iterations) is 100000"],
    ),
    "300 KB of OpenQASM 3": (
        {"json": sampler(BELL.replace("c = measure q;", "x q[0]; " * 40000 + "c = measure q;"))},
        400,
        ["bytes of OpenQASM 3 text", "(max_qasm3_bytes) is 262144"],
    ),
    "a QPY circuit that inflates to 64 MiB": (
        {"json": {**sampler(BELL), "params": {"pubs": [[_qpy_bomb(), None, 10]]}}},
        400,
        ["inflates to more than", "(max_circuit_bytes) is 4194304"],
    ),
    "100 PUBs x 100,000 shots x 127 bits (370 MB of result)": (
        {
            "json": {
                **sampler(WIDE_127, backend="ibm_emulator_127q"),
                "params": {"pubs": [[WIDE_127, None, 100000]] * 100},
            }
        },
        400,
        ["the result would take about", "(max_result_bytes) is 268435456"],
    ),
    "JSON nested 100,000 deep": (
        {
            "content": b'{"program_id":"sampler","params":' + b"[" * 100000 + b"]" * 100000 + b"}",
            "headers": {"content-type": "application/json"},
        },
        400,
        ["nests 100001 levels deep", "(max_json_depth) is 64"],
    ),
    "a 20 MiB body": (
        {"content": b" " * (20 * MIB), "headers": {"content-type": "application/json"}},
        413,
        ["20971520 bytes", "(max_request_bytes) is 16777216 bytes"],
    ),
    "a 500 MB body": (
        {
            "content": _chunks(500_000_000),
            "headers": {"content-type": "application/json", "content-length": "500000000"},
        },
        413,
        ["500000000 bytes", "(max_request_bytes) is 16777216 bytes"],
    ),
    "a 20 MiB chunked body (no Content-Length)": (
        {"content": _chunks(20 * MIB), "headers": {"content-type": "application/json"}},
        413,
        ["exceeds the limit (max_request_bytes) of 16777216 bytes"],
    ),
}


def test_each_admission_limit_answers_fast_and_memory_stays_bounded(
    served: ServedEmulator,
) -> None:
    figures = []
    with served.client() as a, PeakRSS(served) as overall:
        idle = served.rss()
        for name, (request, status, needles) in ATTACKS.items():
            if not isinstance(request.get("content", b""), bytes):  # a generator: fresh copy
                request = {
                    **request,
                    "content": _chunks(int(name.split()[1]) * 1_000_000)
                    if "500 MB" in name
                    else _chunks(20 * MIB),
                }
            with PeakRSS(served) as peak:
                t0 = time.perf_counter()
                r = a.post("/jobs", **request)
                elapsed = time.perf_counter() - t0
            assert r.status_code == status, (name, r.status_code, r.text[:300])
            message = r.json()["errors"][0]["message"]
            for needle in needles:
                assert needle in message, (name, message)
            figures.append(
                f"  {name}: {status} in {elapsed * 1e3:.0f} ms, peak RSS {peak.peak / MIB:.0f} MiB"
            )
            assert elapsed < 60, (name, elapsed)  # generous: these are milliseconds to seconds
        # The server still works.
        assert wait(a, submit(a, sampler(BELL)))["status"] == "Completed"
    print(f"\nAPI process RSS idle {idle / MIB:.0f} MiB, peak {overall.peak / MIB:.0f} MiB")
    print("\n".join(figures))
    assert overall.peak < RSS_BOUND, overall.peak


def test_an_include_of_a_server_file_is_refused_without_quoting_it(
    served: ServedEmulator, tmp_path: Path
) -> None:
    secret_file = tmp_path / "settings.yaml"
    secret_file.write_text("jwt_secret: do-not-read-me-1f2e3d\n")
    paths = [str(secret_file), str(served.config_path), "/etc/passwd", "../../../../etc/hostname"]
    with served.client() as a:
        for path in paths:
            for program in (
                f'OPENQASM 2.0; include "{path}"; qreg q[1]; creg c[1]; measure q[0] -> c[0];',
                f"OPENQASM 3.0; include '{path}'; qubit[1] q; bit[1] c; c[0] = measure q[0];",
                f'OPENQASM 3.0;\n/* hidden */ include /* x */ "{path}" ;\nqubit[1] q; bit[1] c;',
            ):
                r = a.post("/jobs", json=sampler(program))
                assert r.status_code == 400, r.text
                text = r.text
                assert "may be included" in text and "stdgates.inc" in text
                assert path not in text and "do-not-read-me" not in text
                assert "root:" not in text and "jwt_secret" not in text


# ---------------------------------------------------------------------------- connections


def _raise_own_file_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert soft == resource.RLIM_INFINITY or soft >= wanted, (
        f"this test opens {wanted} sockets; the hard limit on open files is {hard}"
    )


def _closed_by_peer(sock: socket.socket, timeout: float) -> bool:
    sock.settimeout(timeout)
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def _read_until_closed(sock: socket.socket, timeout: float) -> bytes:
    sock.settimeout(timeout)
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_idle_and_slow_connections_do_not_shut_out_a_real_client(tmp_path: Path) -> None:
    _raise_own_file_limit(4096)
    config = {**CONFIG, "workers": 1, "header_timeout": 2.0, "body_timeout": 2.0}
    # 1,024 file descriptors for the server, as with `ulimit -n 1024`, and 1,500 idle clients.
    with ServedEmulator(config, tmp_path, nofile=1024) as served, PeakRSS(served) as peak:
        host, port = served.base_url.removeprefix("http://").rsplit(":", 1)
        idle = [socket.create_connection((host, int(port))) for _ in range(1500)]
        slow_head = socket.create_connection((host, int(port)))
        slow_head.sendall(b"GET /api/v1/versions HTTP/1.1\r\nHost: x\r\n")  # never finished
        slow_body = socket.create_connection((host, int(port)))
        slow_body.sendall(b"POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        try:
            # A real client is served at once (the oldest idle connections make room) ...
            r = httpx.get(f"{served.url}/versions", timeout=60)
            assert r.status_code == 200
            with served.client() as a:
                assert a.get("/backends").status_code == 200
                assert wait(a, submit(a, sampler(BELL)))["status"] == "Completed"
            # ... the head that never ends is cut off, the body that never comes gets a 408 ...
            assert _closed_by_peer(slow_head, 60)
            answer = _read_until_closed(slow_body, 60)
            assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
            assert b"body_timeout" in answer
            # ... and the idle connections that are left are closed after header_timeout.
            assert all(_closed_by_peer(s, 60) for s in idle[-50:])
        finally:
            for s in [*idle, slow_head, slow_body]:
                s.close()
        r = httpx.get(f"{served.url}/versions", timeout=60)
        assert r.status_code == 200
        errors = served.errors()
    print(f"\n1,500 idle connections: server peak RSS {peak.peak / MIB:.0f} MiB")
    assert "Traceback" not in errors and len(errors.splitlines()) <= 5, errors[-3000:]
    assert peak.peak < RSS_BOUND


def test_descriptor_exhaustion_is_reported_in_one_quiet_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    loop = asyncio.new_event_loop()
    try:
        handler = quiet_exception_handler()
        caplog.set_level(logging.WARNING, logger="qiskit_runtime_emulator.connections")
        for _ in range(1000):  # what asyncio reports for each failed accept()
            handler(
                loop,
                {
                    "message": "socket.accept() out of system resource",
                    "exception": OSError(errno.EMFILE, "Too many open files"),
                },
            )
    finally:
        loop.close()
    lines = [r for r in caplog.records if r.name == "qiskit_runtime_emulator.connections"]
    assert len(lines) == 1
    assert lines[0].exc_info is None
    assert "Too many open files" in lines[0].getMessage()


# ---------------------------------------------------------------------------- in-process servers


def _knob_job(delay: float | None = None, fail: str | None = None, **body: Any) -> Any:
    knobs: dict[str, Any] = {}
    if delay is not None:
        knobs["delay_seconds"] = delay
    if fail is not None:
        knobs["fail"] = fail
    out = sampler(BELL, **body)
    out["params"]["options"] = {"experimental": {"emulator": knobs}}
    return out


def test_each_instance_gets_its_turn(make_emulator: Callable[..., EmulatorServer]) -> None:
    server = make_emulator(EmulatorConfig(workers=1, test_knobs=True))
    a = client_for(server)
    b = EmulatorClient(server.url, server.headers(api_key=SECOND_API_KEY, crn=SECOND_CRN))
    try:
        backlog = [a.submit(_knob_job(delay=0.3)) for _ in range(4)]
        a.wait(backlog[0], statuses={"Running"})
        first_of_b = b.submit(sampler(BELL))
        assert b.wait(first_of_b)["status"] == "Completed"
        # B's first job ran right after the job that was running when it came, before the
        # three jobs that A had queued earlier.
        started = {j: a.ok("GET", f"/jobs/{j}/metrics")["timestamps"]["running"] for j in backlog}
        mine = b.ok("GET", f"/jobs/{first_of_b}/metrics")["timestamps"]["running"]
        assert started[backlog[0]] < mine
        assert all(started[j] is None or started[j] >= mine for j in backlog[1:])
        for j in backlog:
            assert a.wait(j)["status"] == "Completed"
    finally:
        a.close()
        b.close()


def test_a_cancelled_running_job_stops_running(fresh_emulator: EmulatorServer) -> None:
    api = client_for(fresh_emulator)
    try:
        job_id = api.submit(sampler(WHILE, cost=600))
        api.wait(job_id, statuses={"Running"})
        (pid,) = [w["pid"] for w in fresh_emulator.stats()["workers"] if w["job_id"] == job_id]
        busy = psutil.Process(pid)
        api.ok("POST", f"/jobs/{job_id}/cancel", 204)
        assert api.wait(job_id)["status"] == "Cancelled"
        # killed (and reaped), not left to spin
        wait_until(lambda: not _alive(busy), timeout=30)
        assert api.wait(api.submit(sampler(BELL)))["status"] == "Completed"
    finally:
        api.close()


def test_test_knobs_are_off_by_default(make_emulator: Callable[..., EmulatorServer]) -> None:
    server = make_emulator(EmulatorConfig())
    api = client_for(server)
    try:
        for job in (_knob_job(delay=5), _knob_job(fail="boom")):
            r = api.post("/jobs", json=job)
            assert r.status_code == 400
            assert "test knobs are disabled" in r.json()["errors"][0]["message"]
    finally:
        api.close()
    assert EmulatorConfig().test_knobs is False
    assert build_parser().parse_args(["serve", "--test-knobs"]).test_knobs is True


def test_lone_surrogates_nuls_and_newlines_read_back(fresh_emulator: EmulatorServer) -> None:
    api = client_for(fresh_emulator)
    try:
        reason = "bad \ud800 reason\x00 with\na forged line"
        # JSON carries lone surrogates as escapes ("\ud800"), which decode to lone surrogates.
        body = json.dumps(_knob_job(fail=reason, tags=["tag-\udfff"])).encode()
        r = api.post("/jobs", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 200, r.text
        job_id = r.json()["id"]
        api.wait(job_id)
        for path in (f"/jobs/{job_id}", f"/jobs/{job_id}/logs", "/jobs"):
            r = api.get(path)
            assert r.status_code == 200, r.text
            text = r.content.decode("utf-8")  # strict: valid UTF-8
            assert "\\ud800" not in text and "\\udfff" not in text
        state = api.job(job_id)
        assert state["state"]["reason"] == "bad \ufffd reason\x00 with\na forged line"
        assert state["tags"] == ["tag-\ufffd"]
        logs = api.get(f"/jobs/{job_id}/logs").text
        (failed,) = [line for line in logs.splitlines() if "Job failed" in line]
        assert failed.endswith("bad \ufffd reason\\x00 with\\na forged line")
    finally:
        api.close()


def test_ids_never_repeat_across_restarts_and_the_seed_seeds_simulations() -> None:
    runs = []
    for _ in range(2):  # the same server, started twice with the same seed
        with EmulatorServer(EmulatorConfig(seed=7)) as server:
            api = client_for(server)
            session = api.session(backend=SIMULATOR, mode="batch")["id"]
            job_id = api.submit(sampler(BELL, shots=200))
            runs.append((session, job_id, api.result(job_id)))
            api.close()
    (s1, j1, r1), (s2, j2, r2) = runs
    assert s1 != s2 and j1 != j2
    assert r1["results"][0]["data"]["c"]["samples"] == r2["results"][0]["data"]["c"]["samples"]


def test_a_body_over_the_limit_is_a_typed_error_in_the_sdk(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    server = make_emulator(EmulatorConfig(max_request_bytes=64 * 1024))
    with connect(server) as rt:
        values = np.random.default_rng(0).random((20000, 1))  # ~200 KB, incompressible
        big = SamplerPub(PARAMETRIC, parameter_values=values, shots=1)
        with pytest.raises(RequestTooLargeError) as caught:
            rt.sampler(SIMULATOR).run([big])
        assert caught.value.status_code == 413
        assert "(max_request_bytes) is 65536 bytes" in str(caught.value)
        assert isinstance(caught.value, BadRequestError)
        assert len(list(rt.jobs(limit=5))) == 0  # nothing was created, nothing resubmitted


def test_the_parse_cache_keeps_only_small_circuits() -> None:
    from qiskit_runtime_emulator import executor

    small = BELL.replace("c = measure q;", "x q[1]; c = measure q;")
    large = BELL.replace("c = measure q;", "x q[0]; " * 1100 + "c = measure q;")  # 9 KB
    # a short text, many instructions (each gate broadcast over 600 qubits)
    many = 'OPENQASM 2.0; include "qelib1.inc"; qreg q[600]; x q; y q; z q; h q;'
    assert len(many) < 100
    before = len(executor._QASM_CACHE)
    for text in (small, large, many):
        executor._load_qasm(text)
    assert len(executor._QASM_CACHE) == before + 1  # only the small one
    assert executor._load_qasm(small) is executor._load_qasm(small)


def test_the_emulator_guide_lists_every_limit() -> None:
    guide = Path(__file__).resolve().parent.parent / "docs" / "guides" / "emulator.md"
    section = guide.read_text(encoding="utf-8")
    settings = {f.name for f in attrs.fields(EmulatorConfig)}
    limits = {name for name in settings if name.startswith("max_") or name.endswith("_timeout")}
    limits |= {"worker_memory_mb", "test_knobs", "workers"}
    for name in sorted(limits):
        assert f"`{name}`" in section, name
    for status in ("413", "408", "400"):
        assert f"| {status} |" in section


# ---------------------------------------------------------------------------- long variants


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_job_within_the_limits_runs_for_minutes_while_the_api_answers(
    served: ServedEmulator,
) -> None:
    """100 PUBs x 100,000 shots on the 127-qubit backend (typed result, ~210 MB): admitted."""
    # An ISA circuit of the device: every qubit in (|0> - i|1>)/sqrt(2), measured.
    coins = 'OPENQASM 3.0; include "stdgates.inc"; qubit[127] q; bit[127] c; sx q; c = measure q;'
    body = {
        **sampler(coins, backend="ibm_emulator_127q", cost=60),
        "params": {"pubs": [[coins, None, 100000]] * 100, "version": 2, "support_qiskit": True},
    }
    with served.client() as a, served.client(second=True) as b, PeakRSS(served) as peak:
        big = submit(a, body)
        wait(a, big, {"Running"})
        latencies = []
        while job(a, big)["status"] == "Running":
            t0 = time.perf_counter()
            assert b.get("/backends").status_code == 200
            latencies.append(time.perf_counter() - t0)
            other = submit(b, sampler(BELL))
            assert wait(b, other)["status"] == "Completed"
            time.sleep(0.2)
        final = job(a, big)
        assert final["status"] in ("Completed", "Cancelled - Ran too long"), final
        if final["status"] == "Completed":
            assert a.get(f"/jobs/{big}/results").status_code == 200
    print(
        f"\n{len(latencies)} probes during the job: max {max(latencies, default=0) * 1e3:.0f} ms;"
        f" API process peak RSS {peak.peak / MIB:.0f} MiB; job {final['status']}"
    )
    assert peak.peak < 2 * RSS_BOUND  # the ~210 MB result is held by the API process


@pytest.mark.parametrize(
    ("program", "refusal"),
    [
        ("OPENQASM 3.0; const uint n = 3000; qubit[n] q;", "uses 3000 qubits"),
        ("OPENQASM 3.0; qubit[n] q;", "an integer literal or a constant"),
        ("OPENQASM 3.0; qubit[2] q; bit[1_000_000] c;", "1000000 classical bits"),
        ("OPENQASM 3.0; bit[1] c; c[0] = measure $2048;", "uses 2049 qubits"),
        ("OPENQASM 2.0;\n\ninclude 'x.inc';", "line 3: only the standard headers"),
        ("OPENQASM 3.0; include; qubit q;", "only the standard headers"),
        ('OPENQASM 3.0; include "stdgates.inc"; qubit[2] q; bit[2] c;', None),
        ("OPENQASM 3.0; include 'stdgates.inc'; bit[1] c; c[0] = measure $2047;", None),
        ('// include "/etc/passwd";\nOPENQASM 3.0; qubit[127] q; /* bit[5000] c; */', None),
    ],
)
def test_program_text_checks(program: str, refusal: str | None) -> None:
    params = {"pubs": [[program]]}
    if refusal is None:
        admit_params("sampler", params, EmulatorConfig())
        return
    with pytest.raises(ApiError) as caught:
        admit_params("sampler", params, EmulatorConfig())
    assert caught.value.status == 400
    assert refusal in caught.value.message
