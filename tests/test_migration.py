"""What a qiskit-ibm-runtime user reaches for (issue 16), against the emulator over real HTTP:
run(shots=/precision=), changing options, many jobs (as_completed, wait_all with progress),
job and session usage, listings, URLs and connection errors, IAM routing, saved accounts."""

from __future__ import annotations

import asyncio
import io
import json
import os
import socket
import stat
import sys
import types
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from qiskit_runtime_emulator.config import EmulatorConfig
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import (
    APIConnectionError,
    AsyncRuntime,
    AuthenticationError,
    EstimatorOptions,
    EstimatorPub,
    FrozenOptionsError,
    JobFailedError,
    JobTimeoutError,
    Runtime,
    SamplerOptions,
    SamplerPub,
    ValidationError,
)
from qiskit_runtime_rest.accounts import Account
from qiskit_runtime_rest.progress import JobTally, ProgressDisplay

from tests.conftest import connect

BACKEND = "ibm_emulator_5q"
# ISA for ibm_emulator_5q (basis cz, rz, sx, x; qubits 0-1 coupled): a Bell pair, measured
BELL_ISA = (
    'OPENQASM 3.0; include "stdgates.inc"; bit[2] meas; '
    "rz(pi/2) $0; sx $0; rz(pi/2) $0; rz(pi/2) $1; sx $1; rz(pi/2) $1; cz $0, $1; "
    "rz(pi/2) $1; sx $1; rz(pi/2) $1; meas[0] = measure $0; meas[1] = measure $1;"
)
X_ISA = 'OPENQASM 3.0; include "stdgates.inc"; bit[1] c; x $0; c[0] = measure $0;'
# an Estimator PUB circuit: |0> on qubit 0 (ISA: nothing to do), observable Z
IDLE_ISA = 'OPENQASM 3.0; include "stdgates.inc"; rz(0) $0;'


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(test_knobs=True)) as srv:
        yield srv


@pytest.fixture(scope="module")
def rt(server: EmulatorServer) -> Iterator[Runtime]:
    with connect(server) as runtime:
        yield runtime


# -- running -------------------------------------------------------------------------------------


def test_run_with_shots_and_precision(rt: Runtime) -> None:
    sampler = rt.sampler(BACKEND)
    result = sampler.run([BELL_ISA, SamplerPub(X_ISA, shots=7)], shots=123).result()
    assert result[0].data.meas.num_shots == 123  # the call's default
    assert result[1].data.c.num_shots == 7  # the PUB's own shots win
    assert set(result[0].data.meas.get_counts()) <= {"00", "11", "01", "10"}
    estimator = rt.estimator(BACKEND)
    job = estimator.run(
        [(IDLE_ISA, "Z"), EstimatorPub(IDLE_ISA, "Z", precision=0.2)], precision=0.05
    )
    pubs = job.result()
    assert pubs[0].metadata["target_precision"] == pytest.approx(0.05)
    assert pubs[1].metadata["target_precision"] == pytest.approx(0.2)
    assert float(pubs[0].data.evs) == pytest.approx(1.0, abs=0.2)
    with pytest.raises(ValidationError, match="shots must be a positive integer"):
        sampler.run([BELL_ISA], shots=0)
    with pytest.raises(ValidationError, match="precision must be"):
        estimator.run([(IDLE_ISA, "Z")], precision=-1.0)


def test_options_change_by_one_call_and_assignment_says_how(rt: Runtime) -> None:
    options = SamplerOptions(default_shots=50)
    with pytest.raises(FrozenOptionsError, match=r"options\.replace\(default_shots=") as info:
        options.default_shots = 100  # type: ignore[misc]
    assert "with_options" in str(info.value)
    assert isinstance(info.value, AttributeError)  # still attrs' FrozenInstanceError family
    changed = options.replace(default_shots=100, twirling={"enable_gates": True})
    assert changed.default_shots == 100 and changed.twirling is not None
    merged = changed.replace(twirling={"enable_measure": True})  # nested dicts merge
    assert merged.twirling is not None
    assert merged.twirling.enable_gates is True and merged.twirling.enable_measure is True
    assert options.default_shots == 50  # the original is untouched
    with pytest.raises(ValidationError, match="no option 'shots'"):
        options.replace(shots=3)
    with pytest.raises(ValidationError):
        options.replace(default_shots=-1)

    sampler = rt.sampler(BACKEND, options=options)
    more = sampler.with_options(default_shots=80)
    assert more.options.default_shots == 80 and sampler.options.default_shots == 50
    assert more.backend == BACKEND
    assert more.run([BELL_ISA]).result()[0].data.meas.num_shots == 80
    est = rt.estimator(BACKEND).with_options(EstimatorOptions(default_precision=0.1))
    assert est.options.default_precision == 0.1
    assert rt.estimator(BACKEND).options == EstimatorOptions()


# -- many jobs -----------------------------------------------------------------------------------


def _slow(seconds: float) -> SamplerOptions:
    return SamplerOptions(experimental={"emulator": {"delay_seconds": seconds}})


def test_as_completed_hands_out_jobs_in_finishing_order(rt: Runtime) -> None:
    slow = rt.sampler(BACKEND, options=_slow(1.0)).run([X_ISA])
    quick = [rt.sampler(BACKEND).run([X_ISA]) for _ in range(3)]
    failing = rt.sampler(
        BACKEND, options=SamplerOptions(experimental={"emulator": {"fail": "boom"}})
    ).run([X_ISA])
    order = list(rt.as_completed([slow, *quick, failing], timeout=60))
    assert sorted(j.id for j in order) == sorted(j.id for j in [slow, *quick, failing])
    assert order[-1] == slow  # the slow one finishes last
    assert all(j.last_status is not None for j in order)
    with pytest.raises(JobFailedError, match="boom"):
        failing.result()
    # a timeout bounds the whole iteration
    stuck = rt.sampler(BACKEND, options=_slow(30)).run([X_ISA])
    try:
        with pytest.raises(JobTimeoutError):
            list(rt.as_completed([stuck], timeout=0.3))
    finally:
        stuck.cancel()


@pytest.mark.anyio
async def test_async_as_completed_and_wait_all(server: EmulatorServer) -> None:
    async with connect(server, AsyncRuntime) as art:
        sampler = art.sampler(BACKEND)
        slow = await art.sampler(BACKEND, options=_slow(1.0)).run([X_ISA])
        jobs = [slow, *await asyncio.gather(*(sampler.run([X_ISA]) for _ in range(4)))]
        seen = [job async for job in art.as_completed(jobs, timeout=60)]
        assert seen[-1] == slow and len(seen) == 5
        assert await art.wait_all(jobs) == ["Completed"] * 5


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wait_all_progress_is_one_live_line(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a terminal the display redraws one line in place (no line per status change)."""
    import rich.console

    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(rich.console, "_STD_STREAMS_OUTPUT", ())  # let rich take the fake tty
    jobs = [rt.sampler(BACKEND, options=_slow(0.5)).run([X_ISA]) for _ in range(3)]
    failing = rt.sampler(
        BACKEND, options=SamplerOptions(experimental={"emulator": {"fail": "boom"}})
    ).run([X_ISA])
    statuses = rt.wait_all([*jobs, failing], timeout=60, progress=True)
    assert statuses == ["Completed"] * 3 + ["Failed"]
    text = tty.getvalue()
    assert "\x1b[" in text  # cursor control: redrawn in place
    final = text.rsplit("\r", 1)[-1]
    assert "4/4" in text and "3 done, 1 failed, 0 running, 0 queued" in text, final
    assert text.count("\n") <= 3  # not one line per job per status change


def test_progress_in_jupyter_updates_one_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a notebook the line is one HTML output updated in place (IPython display handles)."""
    shown: list[str] = []
    updates: list[str] = []

    class Handle:
        def update(self, obj: Any) -> None:
            updates.append(obj.data)

    def display(obj: Any, display_id: bool = False) -> Handle:
        assert display_id is True
        shown.append(obj.data)
        return Handle()

    class HTML:
        def __init__(self, data: str) -> None:
            self.data = data

    fake = types.ModuleType("IPython.display")
    fake.display = display  # type: ignore[attr-defined]
    fake.HTML = HTML  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", types.ModuleType("IPython"))
    monkeypatch.setitem(sys.modules, "IPython.display", fake)
    monkeypatch.setattr("qiskit_runtime_rest.progress._in_jupyter", lambda console: True)
    display_ = ProgressDisplay("4 jobs", 4)
    display_.tally(JobTally(total=4, completed=1, running=2, queued=1))
    display_.tally(JobTally(total=4, completed=3, failed=1))
    display_.close()
    assert len(shown) == 1 and len(updates) == 3
    assert "1 done, 0 failed, 2 running, 1 queued" in updates[0]
    assert "3 done, 1 failed" in updates[-1] and "4/4" in updates[-1] and "0:00:0" in updates[-1]


def test_progress_without_rich_is_a_clear_error(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = rt.sampler(BACKEND).run([X_ISA])
    monkeypatch.setitem(sys.modules, "rich.progress", None)
    with pytest.raises(ImportError, match=r"pip install 'qiskit-runtime-rest\[progress\]'"):
        rt.wait_all([job], progress=True)
    with pytest.raises(ImportError, match=r"\[progress\]"):
        job.wait(progress=True)
    assert rt.wait_all([job]) == ["Completed"]


# -- jobs and sessions ---------------------------------------------------------------------------


def test_job_usage_creation_date_and_listing(rt: Runtime) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    tag = f"t{os.getpid()}-{id(rt)}"
    jobs = [rt.sampler(BACKEND).run([X_ISA], tags=[tag]) for _ in range(12)]
    rt.wait_all(jobs)
    job = jobs[0]
    created = job.creation_date
    assert created is not None and created.tzinfo is not None and created >= before
    assert job.usage() == pytest.approx(job.metrics().usage.qpu_charge_time_seconds)  # type: ignore[union-attr]
    assert job.usage() is not None and job.usage() >= 0  # type: ignore[operator]
    details = job.details()
    assert details.tags == [tag] and details.created == created and details.status == "Completed"
    listed = list(rt.jobs(tags=[tag]))
    assert len(listed) == 10  # the official client's default limit
    assert [j.id for j in listed] == [j.id for j in reversed(jobs)][:10]  # newest first
    assert [j.id for j in rt.jobs(3, skip=10, tags=[tag])] == [jobs[1].id, jobs[0].id]
    assert len(list(rt.jobs(None, tags=[tag]))) == 12
    oldest = list(rt.jobs(2, tags=[tag], descending=False))
    assert [j.id for j in oldest] == [jobs[0].id, jobs[1].id]
    assert list(rt.jobs(tags=[tag], created_after=datetime.now(UTC) + timedelta(hours=1))) == []
    assert len(list(rt.jobs(None, tags=[tag], pending=False, backend=BACKEND))) == 12
    with pytest.raises(ValidationError, match="skip must be"):
        rt.jobs(skip=-1)


def test_session_usage_and_details(rt: Runtime) -> None:
    with rt.session(BACKEND, max_time=120) as session:
        session.sampler().run([X_ISA]).result()
        details = session.details()
        assert details.mode == "dedicated" and details.accepting_jobs is True
        assert details.max_ttl == 120
        usage = session.usage()
        assert usage is None or usage >= 0
        assert "Unset" not in repr(details)
        assert [j.id for j in session.jobs()]
    assert rt.session_details(session.id).accepting_jobs is False


# -- URLs, errors, IAM ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123/api/v1"),
        ("http://localhost:8123/", "http://localhost:8123/api/v1"),
        ("https://proxy.example.com", "https://proxy.example.com/api/v1"),
        ("https://quantum.cloud.ibm.com", "https://quantum.cloud.ibm.com/api/v1"),
        ("https://cloud.ibm.com", "https://eu-de.quantum.cloud.ibm.com/api/v1"),
        ("http://127.0.0.1:8123/custom/root", "http://127.0.0.1:8123/custom/root"),
    ],
)
def test_bare_hosts_are_expanded_only_for_ibm_cloud(url: str, expected: str) -> None:
    eu = "crn:v1:bluemix:public:quantum-computing:eu-de:a/abc:inst::"
    assert Account("ibm_quantum_platform", "K", eu, url=url).runtime_url() == expected


def test_api_key_goes_to_ibm_iam_only_for_ibm(server: EmulatorServer) -> None:
    crn = server.crn
    assert Account("ibm_cloud", "K", crn).iam_base_url() == "https://iam.cloud.ibm.com"
    local = Account("ibm_cloud", "K", crn, url="http://127.0.0.1:9")
    assert local.iam_base_url() == "http://127.0.0.1:9" and local.iam_from_service
    named = Account("ibm_cloud", "K", crn, url="http://127.0.0.1:9", iam_url="http://iam.corp")
    assert named.iam_base_url() == "http://iam.corp"
    # the emulator offers /identity/token: a bare host and the API key are all it takes
    origin = server.url.removesuffix("/api/v1")
    with Runtime(token=server.api_key, instance=crn, url=origin, trust_env=False) as rt:
        assert rt.url == server.url
        assert rt.backend(BACKEND).num_qubits == 5


def test_a_server_without_a_token_endpoint_asks_for_iam_url(server: EmulatorServer) -> None:
    # the emulator's legacy root has no /identity/token below it; point the "service" there
    with Runtime(token=server.api_key, instance=server.crn, url=server.url, trust_env=False) as rt:
        rt._auth.token_url = server.url + "/nowhere/identity/token"  # type: ignore[attr-defined]
        with pytest.raises(AuthenticationError, match=r"offers no IAM token endpoint.*iam_url="):
            rt.usage()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_errors_name_host_port_operation_and_attempts() -> None:
    from qiskit_runtime_rest import RetryPolicy

    port = _free_port()
    policy = RetryPolicy(max_attempts=3, initial_backoff=0.01, max_backoff=0.02)
    crn = "crn:v1:bluemix:public:quantum-computing:us-east:a/x:y::"
    with (
        Runtime(access_token="T", instance=crn, url=f"http://127.0.0.1:{port}", retry=policy) as rt,
        pytest.raises(APIConnectionError) as info,
    ):
        rt.backend_status(BACKEND)
    text = str(info.value)
    assert f"127.0.0.1:{port}" in text and "get_backend_status" in text
    assert "3 attempts" in text, text
    assert info.value.attempts == 3 and info.value.operation == "get_backend_status"


# -- saved accounts ------------------------------------------------------------------------------


def test_save_account_writes_what_qiskit_ibm_runtime_reads(
    tmp_path: Path, server: EmulatorServer, monkeypatch: pytest.MonkeyPatch, clean_env: None
) -> None:
    from qiskit_ibm_runtime.accounts import AccountManager

    path = tmp_path / "qiskit-ibm.json"
    Runtime.save_account(
        token=server.api_key, instance=server.crn, url=server.url, name="emu", filename=path
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(ValidationError, match="overwrite=True"):
        Runtime.save_account(token="other", instance=server.crn, name="emu", filename=path)
    Runtime.save_account(
        token=server.api_key,
        instance=server.crn,
        url=server.url,
        name="emu",
        filename=path,
        overwrite=True,
        set_as_default=True,
    )
    Runtime.save_account(token="K2", instance=server.crn, name="second", filename=path)
    saved = json.loads(path.read_text())
    assert set(saved) == {"emu", "second"} and saved["emu"]["is_default_account"] is True
    account = AccountManager.get(filename=str(path), name="emu")
    assert account.token == server.api_key and account.instance == server.crn
    assert account.url == server.url and account.channel == "ibm_quantum_platform"
    assert AccountManager.get(filename=str(path)).token == server.api_key  # the default one
    monkeypatch.setenv("IAM_URL", server.iam_url)
    with Runtime.saved(name="emu", filename=path, trust_env=False) as rt:
        assert rt.backend(BACKEND).num_qubits == 5
    with Runtime.saved(filename=path, trust_env=False) as rt:  # the default account
        assert rt.instance == server.crn
    with pytest.raises(ValidationError, match="no saved account named 'missing'"):
        Runtime.saved(name="missing", filename=path)
