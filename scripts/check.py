"""Run every quality gate of the project, in order, and fail if any fails.

    python scripts/check.py            # ruff, format, spec, drift, mypy, docs, pytest
    python scripts/check.py -- -k seed # extra arguments after -- go to pytest

This is the README's test command and what .ci/run calls.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def gates(pytest_args: list[str]) -> list[tuple[str, list[str]]]:
    return [
        ("ruff check", [PY, "-m", "ruff", "check", "."]),
        ("ruff format --check", [PY, "-m", "ruff", "format", "--check", "."]),
        ("spec validation", [PY, "-m", "openapi_spec_validator", "spec/qiskit-runtime.yaml"]),
        ("generated-code drift", [PY, "scripts/regenerate.py", "--check"]),
        ("mypy (strict)", [PY, "-m", "mypy", "wrapper/", "emulator/"]),
        ("docs build (warnings are errors)", [PY, "scripts/docs.py", "build"]),
        ("pytest", [PY, "-m", "pytest", "-q", *pytest_args]),
    ]


def main(argv: list[str]) -> int:
    pytest_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    failed: list[str] = []
    summary: list[str] = []
    for name, cmd in gates(pytest_args):
        print(f"\n=== {name}: {' '.join(cmd[1:])}", flush=True)
        start = time.monotonic()
        code = subprocess.call(cmd, cwd=ROOT)
        took = time.monotonic() - start
        summary.append(f"  {'ok  ' if code == 0 else 'FAIL'} {name} ({took:.1f} s)")
        if code != 0:
            failed.append(name)
    print("\n=== summary\n" + "\n".join(summary))
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    print("all gates passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
