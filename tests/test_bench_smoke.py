"""Smoke test of the benchmark suite: a quick run of the in-process figures writes well-formed
JSON and a table. No timing is asserted: the benchmark reports, it does not judge."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("import", "encode", "decode")


def _check_row(row: dict[str, Any]) -> None:
    assert set(row) >= {"name", "unit", "ours", "baseline", "ratio", "target", "met", "details"}
    assert isinstance(row["name"], str) and row["name"]
    assert isinstance(row["ours"], int | float | str)
    if isinstance(row["ours"], int | float) and isinstance(row["baseline"], int | float):
        assert row["ours"] >= 0 and row["baseline"] > 0
        assert row["ratio"] == row["ours"] / row["baseline"]
    if row["target"] is not None:
        assert set(row["target"]) == {"kind", "value", "text"}
        assert row["met"] in (True, False, None)
    else:
        assert row["met"] is None
    assert isinstance(row["details"], dict)


def test_quick_run_writes_json(tmp_path: Path) -> None:
    output = tmp_path / "bench.json"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench.py"),
            "--quick",
            "--only",
            ",".join(FIGURES),
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert str(output) in run.stdout
    for header in ("figure", "ours", "baseline", "ratio", "target", "met?"):
        assert header in run.stdout

    doc = json.loads(output.read_text(encoding="utf-8"))
    assert doc["schema"] == 1
    assert doc["quick"] is True
    assert doc["only"] == list(FIGURES)
    assert doc["errors"] == {}
    machine = doc["machine"]
    assert machine["cpu_model"] and machine["cores"] >= 1 and machine["python"]
    assert {"numpy", "qiskit", "httpx"} <= set(machine["versions"])
    assert set(doc["figures"]) == set(FIGURES)
    for section in doc["figures"].values():
        assert section["title"] and section["rows"]
        assert isinstance(section["config"], dict) and isinstance(section["notes"], list)
        for row in section["rows"]:
            _check_row(row)
    rows = [row for section in doc["figures"].values() for row in section["rows"]]
    summary = doc["summary"]
    assert summary["rows"] == len(rows)
    assert summary["met"] == sum(1 for row in rows if row["met"] is True)
    assert summary["missed"] == [row["name"] for row in rows if row["met"] is False]

    # The import figure also checks, in child processes, that qiskit is never imported.
    flag = doc["figures"]["import"]["rows"][-1]
    assert flag["target"]["kind"] == "flag"
    assert set(flag["details"]["children"]) >= {"import qiskit_runtime_rest", "import httpx"}
