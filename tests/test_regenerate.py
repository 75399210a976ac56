"""The drift check fails on a spec change that reaches generated code, passes without one."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def regenerate_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regenerate", ROOT / "scripts" / "regenerate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_drift_check_fails_after_a_spec_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    regenerate = regenerate_module()
    spec = tmp_path / "qiskit-runtime.yaml"
    shutil.copy(ROOT / "spec" / "qiskit-runtime.yaml", spec)
    monkeypatch.setattr(regenerate, "SPEC", spec)

    assert regenerate.check() == 0

    text = spec.read_text()
    assert "summary: Create a session or a batch\n" in text
    spec.write_text(text.replace("summary: Create a session or a batch\n", "summary: Open one\n"))
    assert regenerate.check() == 1
    out, err = capsys.readouterr()
    assert "+++ spec -> qiskit_runtime_api/api/sessions/create_session.py" in out
    assert "Open one" in out
    assert "out of date" in err
