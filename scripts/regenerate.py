"""Regenerate generated/qiskit_runtime_api from spec/qiskit-runtime.yaml, or check it for drift.

    python scripts/regenerate.py           # rewrite generated/ from the spec
    python scripts/regenerate.py --check   # exit 1 with a unified diff if generated/ is stale

Generation runs in a temporary directory, so the output depends only on the spec, the generator
config and the pinned generator version: the same input gives byte-identical files.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "qiskit-runtime.yaml"
CONFIG = ROOT / "spec" / "openapi-python-client.yaml"
# Template overrides: models/__init__.py and api/<tag>/__init__.py import their modules lazily
# (import-time budget).
TEMPLATES = ROOT / "spec" / "templates"
PACKAGE = "qiskit_runtime_api"
TARGET = ROOT / "generated" / PACKAGE
GENERATOR_VERSION = "0.29.1"
# Files we add to what the generator writes: --meta none writes no py.typed marker.
EXTRA_FILES = {"py.typed": ""}
# Caches that the post-hooks or imports leave behind; never part of the package.
_IGNORED = ("__pycache__", ".ruff_cache")


def _bin_dir() -> Path:
    return Path(sys.executable).parent


def generate(out_dir: Path) -> Path:
    """Generate the package into ``out_dir/<package>`` and return that path."""
    bin_dir = _bin_dir()
    generator = shutil.which("openapi-python-client", path=str(bin_dir)) or shutil.which(
        "openapi-python-client"
    )
    if generator is None:
        sys.exit("openapi-python-client is not installed: pip install -e '.[dev]'")
    if shutil.which("ruff", path=str(bin_dir)) is None and shutil.which("ruff") is None:
        # Without ruff the post-hooks are skipped with only a warning, and the output differs.
        sys.exit("ruff is not installed: pip install -e '.[dev]'")
    version = subprocess.run(
        [generator, "--version"], capture_output=True, text=True, check=True
    ).stdout
    if GENERATOR_VERSION not in version:
        sys.exit(f"openapi-python-client {GENERATOR_VERSION} is required, found: {version.strip()}")
    package_dir = out_dir / PACKAGE
    # literal_enums renders enum values from a set: pin hashing so the order is stable.
    env = dict(
        os.environ,
        PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONHASHSEED="0",
    )
    proc = subprocess.run(
        [
            generator,
            "generate",
            "--path",
            str(SPEC),
            "--config",
            str(CONFIG),
            "--meta",
            "none",
            "--custom-template-path",
            str(TEMPLATES),
            "--output-path",
            str(package_dir),
            "--fail-on-warning",
        ],
        cwd=out_dir,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        sys.exit(f"openapi-python-client failed (exit {proc.returncode})")
    for name, content in EXTRA_FILES.items():
        (package_dir / name).write_text(content)
    return package_dir


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part in _IGNORED for part in p.relative_to(root).parts)
    }


def check() -> int:
    """Compare a fresh generation with generated/; print a diff and return 1 on drift."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = _tree(generate(Path(tmp)))
    current = _tree(TARGET) if TARGET.exists() else {}
    drift = False
    for name in sorted(fresh.keys() | current.keys()):
        old, new = current.get(name), fresh.get(name)
        if old == new:
            continue
        drift = True
        old_lines = old.decode().splitlines(keepends=True) if old is not None else []
        new_lines = new.decode().splitlines(keepends=True) if new is not None else []
        sys.stdout.writelines(
            difflib.unified_diff(
                old_lines,
                new_lines,
                f"generated/{PACKAGE}/{name}" if old is not None else "/dev/null",
                f"spec -> {PACKAGE}/{name}" if new is not None else "/dev/null",
            )
        )
    if drift:
        print(
            "\ngenerated/ is out of date with spec/: run `python scripts/regenerate.py` "
            "and commit the result.",
            file=sys.stderr,
        )
        return 1
    print(f"generated/{PACKAGE} matches spec/qiskit-runtime.yaml ({len(fresh)} files)")
    return 0


def regenerate() -> int:
    """Replace generated/<package> with a fresh generation."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(Path(tmp))
        if TARGET.exists():
            shutil.rmtree(TARGET)
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(fresh, TARGET, ignore=shutil.ignore_patterns(*_IGNORED))
    print(f"regenerated generated/{PACKAGE} from spec/qiskit-runtime.yaml")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail with a diff on drift")
    args = parser.parse_args()
    return check() if args.check else regenerate()


if __name__ == "__main__":
    raise SystemExit(main())
