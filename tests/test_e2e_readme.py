"""The README's "Quick start" snippets and the demo script really run (against the emulator), and
the sections the docs site includes from the README are where it includes them from."""

from __future__ import annotations

import re
import runpy
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def quick_start_snippets() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Quick start\n", 1)[1]
    section = re.split(r"\n## (?!#)", section, maxsplit=1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


def test_readme_has_the_demo_command_and_a_tour() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    command = (
        'python3 -m venv .venv && .venv/bin/python -m pip install -e ".[local]" '
        "&& .venv/bin/python examples/demo.py"
    )
    assert command in text
    assert len(quick_start_snippets()) >= 5


def test_readme_snippets_run_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, Any] = {"__name__": "readme"}
    for snippet in quick_start_snippets():
        exec(compile(snippet, "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "Runtime(channel='ibm_quantum_platform'" in out
    assert "(2, 3)" in out and "[50, 50, 50]" in out
    assert "\n1517\n" in out  # the hand-written h/cx circuit on a device
    rt = namespace["rt"]
    assert rt.emulator is None  # closed: the emulator it started was stopped


def test_demo_script_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["demo.py"])
    with pytest.raises(SystemExit) as info:
        runpy.run_path(str(ROOT / "examples" / "demo.py"), run_name="__main__")
    assert info.value.code == 0
    out = capsys.readouterr().out
    for marker in ("[job mode]", "[session", "<ZZ>, <XX>, <YY>", "[batch", "emulator stopped"):
        assert marker in out
    # The device part: a non-ISA circuit fails (1517), ISA circuits run, with noise.
    assert "[device] h/cx on ibm_emulator_5q: job failed, code 1517" in out
    assert "Failed - Circuits do not match the target definition (non-ISA circuits)" in out
    assert "[device] ISA Bell by hand:" in out and "[device] GHZ-3 transpiled" in out


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = (
        'python3 -m venv .venv && .venv/bin/python -m pip install -e ".[dev]" '
        "&& .venv/bin/python scripts/check.py"
    )
    assert command in readme
    # .ci/run adds only pip's -q to the same command.
    assert command.replace("pip install -e", "pip install -q -e") in ci


def test_migration_table_is_single_sourced() -> None:
    """The "Coming from qiskit-ibm-runtime" table lives in the README, and the docs site's
    migration page includes it (docs/migration.md, whose snippets tests/test_docs.py runs)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Coming from qiskit-ibm-runtime\n", 1)[1]
    assert "| `service.least_busy(min_num_qubits=5)` | `rt.least_busy(min_num_qubits=5)`" in section
    assert "<!-- --8<-- [start:migration] -->" in section
    page = (ROOT / "docs" / "migration.md").read_text(encoding="utf-8")
    assert '--8<-- "README.md:migration"' in page
    assert "| qiskit-ibm-runtime |" not in page  # not a second copy


def test_docs_include_the_readme_commands_and_tour() -> None:
    page = (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("two-commands", "quick-start"):
        assert f'--8<-- "README.md:{name}"' in page
        assert f"<!-- --8<-- [start:{name}] -->" in text
        assert f"<!-- --8<-- [end:{name}] -->" in text
