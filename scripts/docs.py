"""Build or preview the documentation site (MkDocs, Material, mkdocstrings; the ``docs`` extra).

    python scripts/docs.py build            # site/ with warnings as errors (a gate of check.py)
    python scripts/docs.py serve [--port N] # live preview on http://127.0.0.1:8001, rebuilt on save

The pages are ``docs/*.md`` (configured in ``mkdocs.yml``); the API reference is rendered from
the docstrings of ``wrapper/``, ``emulator/`` and ``generated/``. Every Python block of the
guides runs in ``tests/test_docs.py`` against the emulator.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="docs.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build site/ (warnings are errors)")
    build.add_argument("--site-dir", default=None, help="where to write the site (default site/)")
    serve = sub.add_parser("serve", help="preview on http://127.0.0.1:PORT, rebuilt on save")
    serve.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    args = parser.parse_args(argv)
    # Material prints a banner about its successor on every build; the build log is ours.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = [sys.executable, "-m", "mkdocs"]
    if args.command == "build":
        cmd = [*mkdocs, "build", "--strict", "--clean"]
        if args.site_dir:
            cmd += ["--site-dir", args.site_dir]
    else:
        cmd = [*mkdocs, "serve", "--strict", "--dev-addr", f"127.0.0.1:{args.port}"]
    os.chdir(ROOT)
    # Become mkdocs (no child process): Ctrl+C and signals reach the server itself.
    os.execve(sys.executable, cmd, env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
