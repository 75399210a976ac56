"""The ``qiskit-runtime-rest`` command line against the emulator: every command, its output for
people and for scripts, and its exit codes (0 ok, 1 error, 2 usage) for bad credentials,
unknown ids, a server that is down and bad usage.

Most commands run in-process through click's ``CliRunner`` (credentials in the environment, as a
user would set them); a few run the installed script in a subprocess, as a shell does.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_rest import Runtime
from qiskit_runtime_rest.cli import cli
from qiskit_runtime_rest.cli.app import PROG

from tests.conftest import connect, knobs

# ISA for ibm_emulator_5q (cz, rz, sx, x): a Bell pair on coupled qubits $0 and $1, measured.
BELL = """OPENQASM 3.0; include "stdgates.inc"; bit[2] meas;
rz(pi/2) $0; sx $0; rz(pi/2) $0; rz(pi/2) $1; sx $1; rz(pi/2) $1; cz $0, $1;
rz(pi/2) $1; sx $1; rz(pi/2) $1; meas[0] = measure $0; meas[1] = measure $1;"""
UNMEASURED = BELL.split(" meas[0] =")[0]
BACKEND = "ibm_emulator_5q"
SCRIPT = Path(sys.executable).parent / PROG

Run = Callable[..., Result]


def credentials(server: EmulatorServer) -> dict[str, str]:
    """What a user exports to reach the emulator (the API key is exchanged at the service's own
    ``/identity/token``, so ``IAM_URL`` is not needed)."""
    return {
        "QISKIT_IBM_TOKEN": server.api_key,
        "QISKIT_IBM_INSTANCE": server.crn,
        "QISKIT_IBM_URL": server.url,
    }


@pytest.fixture
def run(emulator: EmulatorServer, clean_env: None) -> Run:
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        merged = credentials(emulator) if env is None else env
        return runner.invoke(cli, list(args), env=merged, input=input, catch_exceptions=True)

    return invoke


@pytest.fixture
def rt(emulator: EmulatorServer) -> Iterator[Runtime]:
    with connect(emulator) as client:
        yield client


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output, result.exception)
    return result.stdout


def failed(result: Result) -> str:
    """The one-line error of a failed command (exit code 1, nothing on stdout, no traceback)."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def tag() -> str:
    return f"cli-{uuid.uuid4().hex[:8]}"


def all_commands() -> Iterator[tuple[list[str], click.Command]]:
    def walk(prefix: list[str], command: click.Command) -> Iterator[tuple[list[str], Any]]:
        yield prefix, command
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk([*prefix, name], sub)

    yield from walk([], cli)


# -- help, usage, completion ---------------------------------------------------------------------


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    names = []
    for path, _ in all_commands():
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.stdout, path
        assert "Usage: qiskit-runtime-rest" in result.stdout or "Usage: cli" in result.stdout
        names.append(" ".join(path))
    expected = {"backends", "jobs", "job", "result", "logs", "cancel", "usage", "completion"}
    expected |= {"session show", "session close", "session cancel"}
    expected |= {"account save", "account list", "account use"}
    assert expected <= set(names)
    top = runner.invoke(cli, ["--help"]).stdout
    assert "Exit codes: 0 ok, 1 error" in top and "2" in top


@pytest.mark.parametrize(
    "args",
    [
        ["no-such-command"],
        ["jobs", "--limit", "-1"],
        ["jobs", "--no-such-option"],
        ["job"],  # missing JOB_ID
        ["result", "some-id", "--json", "--counts"],
        ["backends", "--min-qubits", "many"],
        ["completion", "tcsh"],
    ],
)
def test_usage_errors_exit_with_2(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args, env={"QISKIT_IBM_TOKEN": "unused"})
    assert result.exit_code == 2, (args, result.output)
    assert "Usage:" in result.stderr or "Error:" in result.stderr
    assert result.stdout == ""


def test_completion_scripts() -> None:
    runner = CliRunner()
    for shell in ("bash", "zsh", "fish"):
        result = runner.invoke(cli, ["completion", shell])
        assert result.exit_code == 0
        assert "_QISKIT_RUNTIME_REST_COMPLETE" in result.stdout, shell
    guessed = runner.invoke(cli, ["completion"], env={"SHELL": "/usr/bin/zsh"})
    assert "compdef" in guessed.stdout


# -- backends, usage -------------------------------------------------------------------------------


def test_backends(run: Run) -> None:
    out = ok(run("backends"))
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "STATUS", "QUBITS", "QUEUE", "SIMULATOR"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows[BACKEND][1:3] == ["online", "5"]
    assert {"ibm_emulator_27q", "ibm_emulator_127q"} <= set(rows)

    listed = json.loads(ok(run("backends", "--min-qubits", "100", "--json")))
    assert "ibm_emulator_127q" in [b["name"] for b in listed]
    assert BACKEND not in [b["name"] for b in listed]
    assert all(b["num_qubits"] >= 100 and b["status"] == "online" for b in listed)


def test_usage(run: Run, emulator: EmulatorServer) -> None:
    out = ok(run("usage"))
    assert f"instance:      {emulator.crn}" in out
    assert "consumed:" in out and "period:" in out
    doc = json.loads(ok(run("usage", "--json")))
    assert doc["instance_id"] == emulator.crn
    assert isinstance(doc["usage_consumed_seconds"], float)
    assert "usage_remaining_seconds" in doc


# -- jobs ------------------------------------------------------------------------------------------


def test_jobs_lists_and_filters(run: Run, rt: Runtime) -> None:
    mine = tag()
    sampler = rt.sampler(BACKEND)
    first = sampler.run([BELL], shots=10, tags=[mine])
    with rt.batch(BACKEND) as batch:
        second = batch.sampler().run([BELL], shots=10, tags=[mine])
    rt.wait_all([first, second])
    slow = sampler.with_options(**knobs(delay=60))
    pending = slow.run([BELL], shots=10, tags=[mine, "slow"])
    try:
        listed = json.loads(ok(run("jobs", "--tag", mine, "--json")))
        assert [j["id"] for j in listed] == [pending.id, second.id, first.id]  # newest first
        assert {j["backend"] for j in listed} == {BACKEND}
        assert {j["program"] for j in listed} == {"sampler"}

        table = ok(run("jobs", "--tag", mine)).splitlines()
        assert table[0].split() == ["ID", "STATUS", "BACKEND", "PROGRAM", "CREATED", "SESSION"]
        assert [line.split()[0] for line in table[1:]] == [pending.id, second.id, first.id]
        assert table[2].split()[-1] == batch.id and table[3].split()[-1] == "-"

        def ids(*args: str) -> list[str]:
            return [j["id"] for j in json.loads(ok(run("jobs", "--tag", mine, "--json", *args)))]

        assert ids("--limit", "1") == [pending.id]
        assert ids("--session", batch.id) == [second.id]
        assert ids("--pending") == [pending.id]
        assert set(ids("--finished")) >= {second.id} and pending.id not in ids("--finished")
        assert ids("--tag", "slow") == [pending.id]  # every tag given
        assert ids("--backend", "ibm_emulator_27q") == []
        assert ids("--program", "estimator") == []
    finally:
        pending.cancel()


def test_job_shows_status_timestamps_usage_and_reason(run: Run, rt: Runtime) -> None:
    done = rt.sampler(BACKEND).run([BELL], shots=10, tags=["shown"])
    done.wait()
    out = ok(run("job", done.id))
    values = dict(line.split(":", 1) for line in out.splitlines())
    values = {k: v.strip() for k, v in values.items()}
    assert values["id"] == done.id and values["status"] == "Completed"
    assert values["backend"] == BACKEND and values["program"] == "sampler"
    assert values["tags"] == "shown"  # the idempotency tag is not shown
    for stamp in ("created", "running", "finished"):
        assert values[stamp].endswith("Z") and values[stamp][:2] == "20"
    assert values["usage"].endswith("s (complete)")
    assert "reason" not in values

    doc = json.loads(ok(run("job", done.id, "--json")))
    assert doc["details"]["status"] == "Completed"
    assert doc["timestamps"]["finished"] is not None
    assert doc["usage"]["status"] == "complete"

    failing = rt.sampler(BACKEND).with_options(**knobs(fail="broken on purpose"))
    bad = failing.run([BELL], shots=10)
    waited = run("job", bad.id, "--wait", "--timeout", "120")
    assert waited.exit_code == 1  # the job failed: --wait says so to scripts
    assert "status:   Failed" in waited.stdout
    assert "reason:   broken on purpose (code" in waited.stdout
    assert "solution:" in waited.stdout


def test_job_wait_shows_progress_and_ends_when_final(run: Run, rt: Runtime) -> None:
    slow = rt.sampler(BACKEND).with_options(**knobs(delay=1))
    job = slow.run([BELL], shots=10)
    result = run("job", job.id, "--wait", "--timeout", "120")
    assert result.exit_code == 0, result.output
    assert "status:   Completed" in result.stdout
    assert f"job {job.id}" in result.stderr  # the live line (rich, the progress extra)
    assert "Completed" in result.stderr


def test_result_for_people_and_for_scripts(run: Run, rt: Runtime) -> None:
    sampled = rt.sampler(BACKEND).run([BELL, BELL], shots=100)
    out = ok(run("result", sampled.id))
    assert out.splitlines()[0] == "pub 0:" and "pub 1:" in out
    assert "meas: 100 shots x 2 bits; counts {" in out

    counts = json.loads(ok(run("result", sampled.id, "--counts")))
    assert len(counts) == 2 and sum(counts[0]["meas"].values()) == 100
    assert set(counts[0]["meas"]) <= {"00", "01", "10", "11"}

    doc = json.loads(ok(run("result", sampled.id, "--json")))
    register = doc["pubs"][1]["data"]["meas"]
    assert register["num_shots"] == 100 and register["num_bits"] == 2 and register["shape"] == []
    assert "execution" in doc["metadata"]

    estimated = rt.estimator(BACKEND).run([(UNMEASURED, ["ZZ", "XX"])], precision=0.1)
    out = ok(run("result", estimated.id))
    assert "evs (shape (2,)): [" in out and "stds (shape (2,))" in out
    evs = json.loads(ok(run("result", estimated.id, "--json")))["pubs"][0]["data"]["evs"]
    assert len(evs) == 2 and all(abs(v - 1) < 0.5 for v in evs)
    assert "no classical register" in failed(run("result", estimated.id, "--counts"))


def test_result_of_an_executor_job(run: Run, rt: Runtime) -> None:
    from qiskit_runtime_rest import CircuitItem, QuantumProgram

    program = QuantumProgram([CircuitItem(BELL, shape=(3,))], shots=50)
    job = rt.executor(BACKEND).run(program)
    out = ok(run("result", job.id))
    assert out.splitlines()[0] == "item 0:"
    assert "meas: 50 shots x 2 bits, shape (3,); counts {" in out
    counts = json.loads(ok(run("result", job.id, "--counts")))
    assert sum(counts[0]["meas"].values()) == 150
    doc = json.loads(ok(run("result", job.id, "--json")))
    assert doc["items"][0]["data"]["meas"]["shape"] == [3]
    assert len(doc["metadata"]["chunk_timing"]) == 1 and doc["semantic_role"] is None


def test_logs_and_cancel(run: Run, rt: Runtime) -> None:
    done = rt.sampler(BACKEND).run([BELL], shots=10)
    done.wait()
    logs = ok(run("logs", done.id))
    assert "Job completed" in logs

    slow = rt.sampler(BACKEND).with_options(**knobs(delay=60))
    job = slow.run([BELL], shots=10)
    assert ok(run("cancel", job.id)).strip() == f"cancelled {job.id}"
    assert job.details().status.startswith("Cancel")
    line = failed(run("cancel", done.id))  # a finished job cannot be cancelled
    assert "HTTP 409" in line and done.id in line


def test_session_show_close_and_cancel(run: Run, rt: Runtime) -> None:
    session = rt.session(BACKEND, max_time=600, close_on_exit=False)
    out = ok(run("session", "show", session.id))
    values = {k.strip(): v.strip() for k, v in (ln.split(":", 1) for ln in out.splitlines())}
    assert values["id"] == session.id and values["mode"] == "dedicated"
    assert values["backend"] == BACKEND and values["accepting jobs"] == "yes"
    assert values["max ttl"] == "600"
    assert ok(run("session", "close", session.id)).strip() == f"closed session {session.id}"
    doc = json.loads(ok(run("session", "show", session.id, "--json")))
    assert doc["accepting_jobs"] is False

    batch = rt.batch(BACKEND, close_on_exit=False)
    assert ok(run("session", "cancel", batch.id)).strip() == f"cancelled batch {batch.id}"
    assert rt.session_details(batch.id).accepting_jobs is False


# -- accounts --------------------------------------------------------------------------------------


def test_accounts_save_list_use(run: Run, emulator: EmulatorServer, tmp_path: Path) -> None:
    nothing: dict[str, str] = {}  # no QISKIT_IBM_* variables: credentials from the saved file
    assert "no saved account" in ok(run("account", "list", env=nothing))
    saved = run(
        "account", "save", "--name", "emu", "--token", emulator.api_key,
        "--instance", emulator.crn, "--url", emulator.url, env=nothing,
    )  # fmt: skip
    assert "saved account emu in" in ok(saved)
    # The API key is asked for, unechoed, when not given (here a wrong one).
    prompted = run(
        "account", "save", "--name", "bad", "--instance", emulator.crn,
        "--url", emulator.url, env=nothing, input="wrong-key-456\n",
    )  # fmt: skip
    assert "saved account bad" in ok(prompted) and "wrong-key-456" not in prompted.stdout
    path = tmp_path / ".qiskit" / "qiskit-ibm.json"
    assert oct(path.stat().st_mode & 0o777) == "0o600"

    listing = ok(run("account", "list", env=nothing))
    assert emulator.api_key not in listing and "wrong-key-456" not in listing
    assert listing.splitlines()[0].split() == ["NAME", "CHANNEL", "INSTANCE", "URL", "DEFAULT"]

    # An account by name; without a name, the default one (none yet: the first of the channel,
    # "bad", whose key the service refuses); then "emu" made the default.
    assert BACKEND in ok(run("--account", "emu", "backends", env=nothing))
    assert "HTTP 400" in failed(run("backends", env=nothing))
    assert "emu is now the default account" in ok(run("account", "use", "emu", env=nothing))
    rows = json.loads(ok(run("account", "list", "--json", env=nothing)))
    assert {r["name"]: r["default"] for r in rows} == {"bad": False, "emu": True}
    assert BACKEND in ok(run("backends", env=nothing))

    line = failed(run("account", "use", "nope", env=nothing))
    assert "no saved account named 'nope'" in line and "bad, emu" in line
    again = ["account", "save", "--name", "emu", "--token", "k", "--instance", emulator.crn]
    assert "already saved" in failed(run(*again, env=nothing))
    assert "saved account emu" in ok(run(*again, "--overwrite", env=nothing))


# -- failures ----------------------------------------------------------------------------------


def test_bad_credentials_are_one_line_without_the_key(run: Run, emulator: EmulatorServer) -> None:
    env = credentials(emulator) | {"QISKIT_IBM_TOKEN": "wrong-api-key-123"}
    line = failed(run("jobs", env=env))
    assert "HTTP 400" in line or "HTTP 401" in line
    assert "wrong-api-key-123" not in line
    crn = credentials(emulator) | {"QISKIT_IBM_INSTANCE": "crn:v1:bluemix:public:x:y:a/z:w::"}
    assert "HTTP 40" in failed(run("backends", env=crn))


def test_no_credentials_says_how_to_give_them(run: Run) -> None:
    line = failed(run("jobs", env={}))
    assert "--token" in line and "account save" in line


@pytest.mark.parametrize(
    "args",
    [
        ["job", "no-such-job"],
        ["result", "no-such-job"],
        ["logs", "no-such-job"],
        ["cancel", "no-such-job"],
        ["session", "show", "no-such-session"],
        ["session", "close", "no-such-session"],
    ],
)
def test_unknown_ids(run: Run, args: list[str]) -> None:
    line = failed(run(*args))
    assert "HTTP 404" in line and args[-1] in line


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_server_that_is_down(run: Run, emulator: EmulatorServer) -> None:
    port = _closed_port()
    env = credentials(emulator) | {"QISKIT_IBM_URL": f"http://127.0.0.1:{port}"}
    line = failed(run("backends", env=env))
    assert f"127.0.0.1:{port}" in line and "attempts" in line


# -- the installed script -----------------------------------------------------------------------


def script(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    assert SCRIPT.is_file(), f"{SCRIPT} is not installed (pip install -e .)"
    full = {k: v for k, v in os.environ.items() if not k.startswith(("QISKIT_IBM", "IAM_URL"))}
    return subprocess.run(
        [str(SCRIPT), *args], env=full | env, capture_output=True, text=True, timeout=120
    )


def test_the_installed_script(emulator: EmulatorServer, rt: Runtime, tmp_path: Path) -> None:
    env = credentials(emulator) | {"HOME": str(tmp_path)}
    done = script("backends", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert BACKEND in [b["name"] for b in json.loads(done.stdout)]

    job = rt.sampler(BACKEND).run([BELL], shots=10)
    shown = script("job", job.id, "--wait", env=env)
    assert shown.returncode == 0 and "status:   Completed" in shown.stdout

    missing = script("job", "no-such-job", env=env)
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.startswith("error: HTTP 404") and "Traceback" not in missing.stderr
    debug = script("--debug", "job", "no-such-job", env=env)
    assert debug.returncode == 1 and "Traceback" in debug.stderr and "NotFoundError" in debug.stderr
    assert script("jobs", "--limit", "x", env=env).returncode == 2

    words = {"COMP_WORDS": f"{PROG} se", "COMP_CWORD": "1"}
    completed = script(env=env | words | {"_QISKIT_RUNTIME_REST_COMPLETE": "bash_complete"})
    assert completed.returncode == 0 and "session" in completed.stdout
