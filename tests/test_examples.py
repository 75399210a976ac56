"""The examples run (fast: small circuits, few iterations), and a user's script using
backends, sessions, results and errors passes ``mypy --strict`` without casts or ignores."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
USER_SCRIPT = Path(__file__).with_name("user_script.py")


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vqe_in_a_session_lowers_the_energy(capsys: pytest.CaptureFixture[str]) -> None:
    history = _load(EXAMPLES / "vqe_session.py").main(3)
    assert len(history) == 3 and history[-1] < history[0]
    out = capsys.readouterr().out
    assert "iteration 2: energy" in out and "usage" in out


def test_many_jobs_with_progress(capsys: pytest.CaptureFixture[str]) -> None:
    outcomes = _load(EXAMPLES / "many_jobs.py").main(5)
    assert outcomes == {"completed": 4, "failed": 1}
    captured = capsys.readouterr()
    assert "4 done, 1 failed, 0 running, 0 queued" in captured.err  # the progress line
    assert captured.err.count("\n") <= 2  # one line, not one per status change


def test_user_script_runs(capsys: pytest.CaptureFixture[str]) -> None:
    _load(USER_SCRIPT).main()
    out = capsys.readouterr().out
    assert "ibm_emulator" in out and "Completed" in out


def test_user_code_passes_strict_mypy_without_casts() -> None:
    files = [USER_SCRIPT, EXAMPLES / "vqe_session.py", EXAMPLES / "many_jobs.py"]
    for path in files:
        text = path.read_text()
        assert "cast(" not in text and "type: ignore" not in text, path
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *map(str, files)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
