"""The server object, configuration files, the CLI, and the official client against the emulator."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import qiskit_runtime_emulator
from qiskit_runtime_emulator.cli import banner, build_parser
from qiskit_runtime_emulator.config import (
    CONFIG_ENV_VAR,
    DEFAULT_API_KEY,
    DEFAULT_CRN,
    DEFAULT_LEGACY_TOKEN,
    EmulatorConfig,
    load_config,
)
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_emulator.validation import spec_path


def test_lazy_public_names() -> None:
    assert qiskit_runtime_emulator.EmulatorServer is EmulatorServer
    assert qiskit_runtime_emulator.EmulatorConfig is EmulatorConfig
    with pytest.raises(AttributeError):
        _ = qiskit_runtime_emulator.nothing_here


def test_server_urls_and_credentials(emulator: EmulatorServer) -> None:
    assert emulator.running
    assert emulator.url == f"http://127.0.0.1:{emulator.port}/api/v1"
    assert emulator.legacy_url == f"http://127.0.0.1:{emulator.port}/runtime"
    assert emulator.iam_url == f"http://127.0.0.1:{emulator.port}"
    assert emulator.api_key == DEFAULT_API_KEY
    assert emulator.crn == DEFAULT_CRN
    assert emulator.legacy_token == DEFAULT_LEGACY_TOKEN
    assert emulator.port > 0
    assert "running" in repr(emulator)


def test_servers_are_independent_and_stop_cleanly() -> None:
    with EmulatorServer() as a, EmulatorServer() as b:
        assert a.port != b.port
        headers = a.headers()
        r = httpx.post(
            f"{a.url}/sessions",
            headers=headers,
            json={"backend": "ibm_emulator_5q", "mode": "batch"},
        )
        assert r.status_code == 200
        assert a.stats()["sessions"] == 1
        assert b.stats()["sessions"] == 0
        port = a.port
    assert not a.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/api/v1/versions", timeout=1)


def test_unknown_paths_and_methods(emulator: EmulatorServer) -> None:
    r = httpx.get(f"{emulator.base_url}/api/v2/jobs")
    assert r.status_code == 404
    assert r.json()["errors"][0]["code"] == "not_found"
    r = httpx.request("PUT", f"{emulator.url}/versions")
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET"


def test_config_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = {
        "workers": 3,
        "token_lifetime": 60,
        "rate_limit_per_minute": 5,
        "instances": [
            {
                "crn": "crn:v1:bluemix:public:quantum-computing:eu-de:a/acct:inst::",
                "api_keys": ["k1"],
                "hub": "h",
                "group": "g",
                "project": "p",
                "legacy_tokens": ["t1"],
                "plan_id": "open",
            }
        ],
    }
    json_file = tmp_path / "emulator.json"
    json_file.write_text(json.dumps(data))
    yaml_file = tmp_path / "emulator.yaml"
    yaml_file.write_text(
        "workers: 3\ntoken_lifetime: 60\nrate_limit_per_minute: 5\ninstances:\n"
        "  - crn: 'crn:v1:bluemix:public:quantum-computing:eu-de:a/acct:inst::'\n"
        "    api_keys: [k1]\n    hub: h\n    group: g\n    project: p\n"
        "    legacy_tokens: [t1]\n    plan_id: open\n"
    )
    a = load_config(json_file)
    b = load_config(yaml_file)
    assert a == b
    assert a.workers == 3
    assert a.default_instance.legacy_instance == "h/g/p"
    monkeypatch.setenv(CONFIG_ENV_VAR, str(yaml_file))
    assert load_config() == b
    monkeypatch.delenv(CONFIG_ENV_VAR)
    assert load_config() == EmulatorConfig()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"wokers": 2}))
    with pytest.raises(ValueError, match="wokers"):
        load_config(bad)


def test_spec_is_found() -> None:
    assert spec_path().name == "qiskit-runtime.yaml"


def test_banner_and_parser(emulator: EmulatorServer) -> None:
    text = banner(emulator)
    for value in (
        emulator.url,
        emulator.legacy_url,
        emulator.iam_url,
        emulator.api_key,
        emulator.crn,
        emulator.legacy_token,
        "QISKIT_FUNCTIONS_EXPERIMENTAL",
        "QiskitRuntimeService(",
    ):
        assert value in text
    args = build_parser().parse_args(["serve", "--port", "0", "--workers", "3"])
    assert (args.host, args.port, args.workers) == ("127.0.0.1", 0, 3)


def test_cli_serves_until_interrupted(tmp_path: Path) -> None:
    # Durable by default, in the user's data folder ($XDG_DATA_HOME here).
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "XDG_DATA_HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "qiskit_runtime_emulator", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        url = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if "base URL" in line:
                url = line.split(": ", 1)[1].strip()
            if "Ctrl+C" in line:
                break
        assert url is not None and url.endswith("/api/v1")
        assert httpx.get(f"{url}/versions").status_code == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(20) == 0
        assert (tmp_path / "qiskit-runtime-emulator" / "emulator.sqlite3").is_file()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_calls_are_recorded_by_template_and_status(fresh_emulator: EmulatorServer) -> None:
    emu = fresh_emulator
    headers = emu.headers()  # mints the token in-process: no IAM call
    httpx.get(f"{emu.url}/backends", headers=headers)
    httpx.get(f"{emu.client_url}/jobs/nope", headers=headers)
    httpx.get(f"{emu.base_url}/nowhere")
    httpx.post(f"{emu.iam_url}/identity/token", data={"grant_type": "x"})
    assert emu.calls() == {
        ("GET", "/api/v1/backends", 200): 1,
        ("GET", "/experimental/api/v1/jobs/{job_id}", 404): 1,
        ("GET", "/nowhere", 404): 1,
        ("POST", "/identity/token", 400): 1,
    }
    emu.reset_calls()
    assert emu.calls() == {}


def test_secrets_never_appear_in_the_configuration_repr() -> None:
    """Configurations get printed and logged: API keys, legacy tokens and the JWT secret are
    left out of their reprs (and of the dashboard's sign-ins)."""
    from qiskit_runtime_emulator.config import EmulatorConfig
    from qiskit_runtime_emulator.dashboard import _Login

    config = EmulatorConfig(jwt_secret="jwt-s3cret")
    text = repr(config)
    keys = [k for i in config.instances for k in (*i.api_keys, *i.legacy_tokens)]
    assert keys and "jwt-s3cret" not in text
    assert not [k for k in keys if k in text]
    assert "tok-s3cret" not in repr(_Login("tok-s3cret", "csrf-s3cret", 1.0))
