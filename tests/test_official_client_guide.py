"""The guide "The official client on the emulator" (docs/guides/official-client.md) is right and
its snippet runs.

The snippet is run as written against an in-process emulator, with only the port changed, so the
docs cannot rot; the values it uses must be the ones ``qiskit-runtime-emulator serve`` prints.
"""

from __future__ import annotations

import ast
import re
import tomllib
import warnings
from pathlib import Path
from typing import Any

import pytest
from qiskit_runtime_emulator.cli import banner, build_parser
from qiskit_runtime_emulator.server import EmulatorServer

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guides" / "official-client.md"
INSTALL = '.venv/bin/python -m pip install -e ".[local,qiskit]"'
DEFAULT_HOST = "127.0.0.1:8000"


def section() -> str:
    return GUIDE.read_text(encoding="utf-8")


def snippet() -> str:
    blocks = re.findall(r"```python\n(.*?)```", section(), flags=re.DOTALL)
    assert len(blocks) == 1
    return str(blocks[0])


def quoted(pattern: str) -> str:
    match = re.search(pattern + r'\s*=\s*"([^"]+)"', snippet())
    assert match is not None, pattern
    return match.group(1)


def test_install_and_serve_commands() -> None:
    text = section()
    assert INSTALL in text
    assert ".venv/bin/qiskit-runtime-emulator serve" in text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    installed = " ".join(extras["local"] + extras["qiskit"])
    for requirement in ("qiskit-ibm-runtime", "qiskit-aer", "starlette", "uvicorn"):
        assert requirement in installed
    assert project["scripts"]["qiskit-runtime-emulator"] == "qiskit_runtime_emulator.cli:main"
    assert build_parser().parse_args(["serve"]).port == 8000


def test_snippet_uses_what_serve_prints() -> None:
    printed = banner(EmulatorServer(port=8000))  # not started: only its URLs and credentials
    values = {
        "IAM URL": quoted(r'os\.environ\["IAM_URL"\]'),
        "API key": quoted("token"),
        "instance CRN": quoted("instance"),
        "URL for qiskit-ibm-runtime": quoted("url"),
    }
    for label, value in values.items():
        line = next(ln for ln in printed.splitlines() if ln.strip().startswith(label + ":"))
        assert line.split(":", 1)[1].split()[0] == value, (label, line)
    assert DEFAULT_HOST in values["URL for qiskit-ibm-runtime"]


def test_snippet_runs_against_the_emulator(
    emulator: EmulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Set (and so restore afterwards) the variables the snippet assigns.
    monkeypatch.setenv("IAM_URL", emulator.iam_url)
    monkeypatch.setenv("QISKIT_FUNCTIONS_EXPERIMENTAL", "1")
    code = snippet().replace(DEFAULT_HOST, f"{emulator.host}:{emulator.port}")
    assert code != snippet()
    before = emulator.calls()
    namespace: dict[str, Any] = {"__name__": "guide"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # SamplerV2/EstimatorV2 in 0.51
        exec(compile(code, str(GUIDE), "exec"), namespace)

    lines = capsys.readouterr().out.strip().splitlines()
    counts = ast.literal_eval(lines[0])
    # ibm_emulator_5q simulates its calibration's noise: a few percent of 01 and 10.
    assert set(counts) <= {"00", "01", "10", "11"} and sum(counts.values()) == 1000
    assert counts.get("00", 0) + counts.get("11", 0) > 900, counts
    assert float(lines[1]) == pytest.approx(1.0, abs=5 * 0.01)

    after = emulator.calls()
    made = {k for k, n in after.items() if n > before.get(k, 0)}
    assert {k for k in made if k[2] >= 400} == set(), sorted(made)
    assert ("POST", "/identity/token", 200) in made
    assert ("POST", "/experimental/api/v1/sessions", 200) in made
