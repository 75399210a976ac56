"""Run every quality gate of the project, in order, and fail if any fails.

    python scripts/check.py            # ruff, format, spec, drift, mypy, docs, pytest
    python scripts/check.py -- -k seed # extra arguments after -- go to pytest

First, Debian's Chromium is installed with apt-get when /usr/bin/chromium is missing (as root):
the dashboard's browser test needs it.

This is the README's test command and what .ci/run calls.
"""

from __future__ import annotations

import os
import shutil
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


CHROMIUM = Path("/usr/bin/chromium")


def ensure_chromium() -> None:
    """The dashboard's browser test drives Debian's Chromium: install it (as root, with apt)
    when it is missing. Without it that test fails; it is never skipped."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        print(
            f"warning: {CHROMIUM} is missing and cannot be installed here (needs root and "
            "apt-get): run `apt-get install -y chromium`, or the browser test fails",
            flush=True,
        )
        return
    print("\n=== installing Debian's Chromium for the browser test (apt-get)", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.call(["apt-get", "update", "-q"], env=env)
    subprocess.call(["apt-get", "install", "-y", "-q", "chromium"], env=env)


def main(argv: list[str]) -> int:
    pytest_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    ensure_chromium()
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
