"""Smoke tests of the benchmark suite: quick runs write well-formed JSON and a table, and every
row the figures promise is there, with numbers (or "not available" and a reason, for a feature
another issue adds). No timing is asserted: the benchmark reports, it does not judge.

The default run covers three in-process figures and two of the issue-18 figures (about 12 s in
all); ``-m slow`` runs the other issue-18 figures in their quick form (about 30 s more)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("import", "encode", "decode")
NOT_AVAILABLE = "not available"


def _check_row(row: dict[str, Any]) -> None:
    assert set(row) >= {"name", "unit", "ours", "baseline", "ratio", "target", "met", "details"}
    assert isinstance(row["name"], str) and row["name"]
    assert isinstance(row["ours"], int | float | str)
    if isinstance(row["ours"], int | float) and isinstance(row["baseline"], int | float):
        assert row["ours"] >= 0 and row["baseline"] >= 0
        if row["baseline"] > 0:
            assert row["ratio"] == row["ours"] / row["baseline"]
        else:
            assert row["ratio"] is None
    if row["ours"] == NOT_AVAILABLE:
        assert row["baseline"] is None and row["ratio"] is None and row["met"] is None
        assert isinstance(row["details"]["why"], str) and row["details"]["why"]
    if row["target"] is not None:
        assert set(row["target"]) == {"kind", "value", "text"}
        assert row["met"] in (True, False, None)
    else:
        assert row["met"] is None
    assert isinstance(row["details"], dict)


def _run(tmp_path: Path, figures: tuple[str, ...], timeout: float) -> tuple[dict[str, Any], str]:
    """``bench.py --quick --only figures``: its JSON document (checked) and its stdout."""
    output = tmp_path / "bench.json"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench.py"),
            "--quick",
            "--only",
            ",".join(figures),
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    assert str(output) in run.stdout
    for header in ("figure", "ours", "baseline", "ratio", "target", "met?"):
        assert header in run.stdout

    doc: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    assert doc["schema"] == 1
    assert doc["quick"] is True
    assert doc["only"] == list(figures)
    assert doc["errors"] == {}
    machine = doc["machine"]
    assert machine["cpu_model"] and machine["cores"] >= 1 and machine["python"]
    assert {"numpy", "qiskit", "httpx"} <= set(machine["versions"])
    assert set(doc["figures"]) == set(figures)
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
    return doc, run.stdout


def _row(doc: dict[str, Any], figure: str, prefix: str) -> dict[str, Any]:
    """The one row of ``figure`` whose name starts with ``prefix``."""
    found = [r for r in doc["figures"][figure]["rows"] if r["name"].startswith(prefix)]
    assert len(found) == 1, (prefix, [r["name"] for r in doc["figures"][figure]["rows"]])
    return found[0]


def _target(row: dict[str, Any]) -> tuple[str, float] | None:
    return None if row["target"] is None else (row["target"]["kind"], row["target"]["value"])


def _measured(row: dict[str, Any], target: tuple[str, float] | None) -> None:
    """A row with numbers on both sides and the given target (kind, value), or none."""
    assert isinstance(row["ours"], int | float) and not isinstance(row["ours"], bool)
    assert isinstance(row["baseline"], int | float) and not isinstance(row["baseline"], bool)
    assert _target(row) == target


def _measured_or_not_available(row: dict[str, Any], target: tuple[str, float] | None) -> None:
    if row["ours"] == NOT_AVAILABLE:
        assert _target(row) == target
    else:
        _measured(row, target)


def test_quick_run_writes_json(tmp_path: Path) -> None:
    doc, _ = _run(tmp_path, FIGURES, timeout=60)
    # The import figure also checks, in child processes, that qiskit is never imported.
    flag = doc["figures"]["import"]["rows"][-1]
    assert flag["target"]["kind"] == "flag"
    assert set(flag["details"]["children"]) >= {"import qiskit_runtime_rest", "import httpx"}


def test_quick_growth_and_store(tmp_path: Path) -> None:
    """How cost grows with jobs in flight and listed; the durable store's row (not available
    until the emulator offers one, and then measured)."""
    doc, stdout = _run(tmp_path, ("growth", "store"), timeout=120)
    for n in (10, 100):
        _measured(
            _row(doc, "growth", f"{n} jobs in flight: client CPU per job"), ("ratio_max", 1.5)
        )
        growth = _row(doc, "growth", f"{n} jobs in flight: client peak RSS growth per job")
        _measured(growth, ("ratio_max", 1.5))
    details = _row(doc, "growth", "100 jobs in flight: client CPU per job")["details"]
    assert details["jobs"] == 100 and details["shots_received"] == 100 * 10
    assert details["requests_per_job"] >= 3  # submit, status, result
    listing = _row(doc, "growth", "rt.jobs() over 100 jobs: peak traced memory")
    _measured(listing, ("ratio_max", 1.5))
    assert {v["listed"] for v in listing["details"]["listing"].values()} == {10, 100}
    _measured(_row(doc, "growth", "rt.jobs() over 100 jobs: time per job listed"), None)

    (store,) = doc["figures"]["store"]["rows"]
    assert store["unit"] == "jobs/s"
    _measured_or_not_available(store, None)
    if store["ours"] == NOT_AVAILABLE:
        assert f"{NOT_AVAILABLE}: {store['details']['why']}" in stdout


@pytest.mark.slow
def test_quick_issue18_figures(tmp_path: Path) -> None:
    """Every other figure of issue 18 in its quick form: the rows against qiskit-ibm-runtime,
    start-up, the emulator's jobs/s target and decoding against the result's size."""
    figures = ("official", "startup", "emulator", "decode_size")
    doc, _ = _run(tmp_path, figures, timeout=600)

    _measured(_row(doc, "official", "Bell job offline"), ("ratio_max", 0.5))
    _measured(_row(doc, "official", "client CPU per small job (run + result)"), ("ratio_max", 0.33))
    active = _row(doc, "official", "client active wall per small job")
    _measured(active, None)
    assert min(active["details"]["requests_per_job"]) >= 3
    _measured(_row(doc, "official", "client CPU per small job, ours given"), None)
    _measured(_row(doc, "official", "end-to-end wall per small job"), None)
    _measured(_row(doc, "official", "decode a Sampler result"), ("ratio_max", 1.0))

    imports = "from qiskit_runtime_rest import Runtime, SamplerPub"
    _measured(_row(doc, "startup", f"{imports}: wall"), ("ratio_max", 0.10))
    _measured(_row(doc, "startup", f"{imports}: peak RSS"), None)
    _measured_or_not_available(
        _row(doc, "startup", "qiskit-runtime-rest --help: wall"), ("ratio_max", 0.2)
    )

    _measured(_row(doc, "emulator", "trivial Sampler jobs"), ("ratio_min", 0.5))

    for label in ("1 MiB", "4 MiB"):
        row = _row(doc, "decode_size", f"decode_result, {label} (")
        _measured(row, ("ratio_max", 1.2))
        assert set(row["details"]["seconds"]) == {"ours", "bare", "official"}
    _measured(_row(doc, "decode_size", "decode_result time per MB"), ("ratio_max", 1.5))
